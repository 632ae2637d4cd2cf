import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../daemon/src/domain/invoice.ts';
import { isOnlineInvoiceUrl, planPulledInvoice, pullReason, targetStage, type BitrixPullSide, type PulledXeroInvoice } from '../../../daemon/src/sync/plan/pull-invoice.ts';

const st = (id: string, semantics: Stage['semantics'], sort: number): Stage => ({ id, name: id, semantics, sort });
const smartStages = (cat: number) => [st(`DT31_${cat}:N`, 'process', 10), st(`DT31_${cat}:S`, 'process', 20), st(`DT31_${cat}:P`, 'success', 30), st(`DT31_${cat}:D`, 'failure', 40)];
const legacyStages = [st('N', 'process', 100), st('S', 'process', 110), st('X', 'process', 120), st('P', 'success', 130), st('D', 'failure', 140)];
const smart = (cat = 1, stage = `DT31_${cat}:N`, uf: Partial<BitrixPullSide['uf']> = {}): BitrixPullSide => {
  const stages = smartStages(cat);
  return { kind: 'smart', stages, categoryId: cat, stage: stages.find((s) => s.id === stage)!, uf: { status: 'DRAFT', amountDue: 100, url: null, ...uf } };
};
const legacy = (stage = 'N'): BitrixPullSide => ({ kind: 'legacy', stages: legacyStages, categoryId: null, stage: legacyStages.find((s) => s.id === stage)!, uf: { status: null, amountDue: null, url: null } });
const xero = (o: Partial<PulledXeroInvoice>): PulledXeroInvoice => ({ invoiceID: 'x', status: 'DRAFT', sentToContact: false, amountDue: 100, amountPaid: 0, paidOn: null, ...o });

describe('pullReason', () => {
  it.each([
    [{ status: 'DRAFT' }, null], [{ status: 'SUBMITTED' }, null],
    [{ status: 'AUTHORISED' }, 'approved'], [{ status: 'AUTHORISED', sentToContact: true }, 'sent'],
    [{ status: 'AUTHORISED', amountPaid: 10, amountDue: 90 }, 'part_paid'],
    [{ status: 'PAID', amountDue: 0, amountPaid: 100 }, 'paid'], [{ status: 'VOIDED' }, 'voided'], [{ status: 'deleted' }, 'deleted'],
  ] as const)('%j → %s', (o, reason) => {
    expect(pullReason(xero(o))).toBe(reason);
  });
});

describe('targetStage defaults follow Bitrix\'s own stages', () => {
  it('smart: sent → the category\'s :S, paid → its success stage, voided/deleted → its first failure stage', () => {
    expect(targetStage('sent', smart(7), undefined)).toEqual({ stage: expect.objectContaining({ id: 'DT31_7:S' }) });
    expect(targetStage('paid', smart(7), undefined)).toEqual({ stage: expect.objectContaining({ id: 'DT31_7:P' }) });
    expect(targetStage('voided', smart(7), undefined)).toEqual({ stage: expect.objectContaining({ id: 'DT31_7:D' }) });
    expect(targetStage('deleted', smart(7), undefined)).toEqual({ stage: expect.objectContaining({ id: 'DT31_7:D' }) });
  });
  it('legacy: S, P, D', () => {
    expect(targetStage('sent', legacy(), undefined)).toEqual({ stage: expect.objectContaining({ id: 'S' }) });
    expect(targetStage('paid', legacy(), undefined)).toEqual({ stage: expect.objectContaining({ id: 'P' }) });
    expect(targetStage('voided', legacy(), undefined)).toEqual({ stage: expect.objectContaining({ id: 'D' }) });
  });
  it('approved has no default (unmapped); a part payment with nothing mapped asks nothing', () => {
    expect(targetStage('approved', smart(), undefined)).toEqual({ unmapped: expect.stringContaining('AUTHORISED') });
    expect(targetStage('part_paid', smart(), undefined)).toEqual({ none: true });
  });
  it('a category without a :S stage: sent is unmapped, named', () => {
    const side = { ...smart(3), stages: smartStages(3).filter((s) => !s.id.endsWith(':S')) };
    expect(targetStage('sent', side, undefined)).toEqual({ unmapped: expect.stringContaining('category 3') });
  });
});

describe('targetStage with a status map', () => {
  it('a mapped stage wins; SENT falls back to the AUTHORISED mapping; DELETED to VOIDED', () => {
    expect(targetStage('approved', legacy(), { AUTHORISED: 'X' })).toEqual({ stage: expect.objectContaining({ id: 'X' }) });
    expect(targetStage('sent', legacy(), { AUTHORISED: 'X' } as never)).toEqual({ stage: expect.objectContaining({ id: 'X' }) });
    expect(targetStage('sent', legacy(), { SENT: 'S', AUTHORISED: 'X' } as never)).toEqual({ stage: expect.objectContaining({ id: 'S' }) });
    expect(targetStage('deleted', legacy(), { VOIDED: 'D' })).toEqual({ stage: expect.objectContaining({ id: 'D' }) });
  });
  it('a smart stage mapped in another category stands for the same suffix in this one', () => {
    expect(targetStage('paid', smart(7), { PAID: 'DT31_1:P' })).toEqual({ stage: expect.objectContaining({ id: 'DT31_7:P' }) });
  });
  it('a mapped stage that does not exist is unmapped, naming it', () => {
    expect(targetStage('paid', legacy(), { PAID: 'GONE' })).toEqual({ unmapped: expect.stringContaining('GONE') });
  });
});

describe('planPulledInvoice', () => {
  it('a draft: no stage, only the fields that differ', () => {
    const p = planPulledInvoice(xero({ status: 'DRAFT', amountDue: 100 }), smart(), undefined);
    expect(p).toMatchObject({ reason: null, stage: null, left: null, fields: {}, wantsOnlineUrl: false });
  });
  it('sent: a move to :S, UF status, and the online link wanted once', () => {
    const p = planPulledInvoice(xero({ status: 'AUTHORISED', sentToContact: true }), smart(), undefined);
    expect(p.stage).toEqual({ stageId: 'DT31_1:S', xeroStatus: 'AUTHORISED', reason: 'sent' });
    expect(p.fields).toEqual({ UF_CRM_XERO_STATUS: 'AUTHORISED' });
    expect(p.wantsOnlineUrl).toBe(true);
    const later = planPulledInvoice(xero({ status: 'AUTHORISED', sentToContact: true }), smart(1, 'DT31_1:S', { status: 'AUTHORISED', url: 'https://in.xero.com/abc' }), undefined);
    expect(later).toMatchObject({ stage: null, left: { why: 'already' }, fields: {}, wantsOnlineUrl: false });
  });
  it('part paid with no PART_PAID stage mapped: an emailed invoice still reaches :S, an approved-only one stays', () => {
    const sent = planPulledInvoice(xero({ status: 'AUTHORISED', sentToContact: true, amountPaid: 40, amountDue: 60 }), smart(), undefined);
    expect(sent.stage).toEqual({ stageId: 'DT31_1:S', xeroStatus: 'AUTHORISED', reason: 'part_paid' });
    expect(sent.fields).toMatchObject({ UF_CRM_XERO_AMOUNT_DUE: 60 });
    const approved = planPulledInvoice(xero({ status: 'AUTHORISED', amountPaid: 40, amountDue: 60 }), smart(), undefined);
    expect(approved).toMatchObject({ stage: null, left: null });
  });
  it('paid: legacy gets the payment date; amount due 0', () => {
    const p = planPulledInvoice(xero({ status: 'PAID', amountDue: 0, amountPaid: 100, paidOn: '2026-12-01' }), legacy('S'), undefined);
    expect(p.stage).toEqual({ stageId: 'P', xeroStatus: 'PAID', reason: 'paid', payment: { date: '2026-12-01', reference: null } });
    expect(p.fields).toEqual({ UF_CRM_XERO_STATUS: 'PAID', UF_CRM_XERO_AMOUNT_DUE: 0 });
  });
  it('never from a closed stage back into the process, never backwards; a closed invoice may close differently', () => {
    expect(planPulledInvoice(xero({ status: 'AUTHORISED', sentToContact: true }), legacy('P'), undefined).left).toMatchObject({ why: 'closed' });
    expect(planPulledInvoice(xero({ status: 'AUTHORISED', sentToContact: true }), legacy('X'), undefined).left).toMatchObject({ why: 'behind' });
    expect(planPulledInvoice(xero({ status: 'VOIDED' }), legacy('P'), undefined).stage).toMatchObject({ stageId: 'D' });
  });
  it('amount due within half a cent is unchanged; a draft owes nothing yet, so its amount due is not copied', () => {
    const approved = smart(1, 'DT31_1:N', { status: 'AUTHORISED', url: 'https://in.xero.com/a' });
    expect(planPulledInvoice(xero({ status: 'AUTHORISED', amountDue: 100.004 }), approved, undefined).fields).toEqual({});
    expect(planPulledInvoice(xero({ status: 'AUTHORISED', amountDue: 99.99 }), approved, undefined).fields).toEqual({ UF_CRM_XERO_AMOUNT_DUE: 99.99 });
    expect(planPulledInvoice(xero({ status: 'DRAFT', amountDue: 42 }), smart(), undefined).fields).toEqual({});
  });
  it('the staff deep link is not an online invoice', () => {
    expect(isOnlineInvoiceUrl('https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=1')).toBe(false);
    expect(isOnlineInvoiceUrl(null)).toBe(false);
    expect(isOnlineInvoiceUrl('https://in.xero.com/xyz')).toBe(true);
  });
});
