import type { InvoiceKind, Stage } from '../../domain/invoice.ts';
import type { StatusMap } from '../../domain/settings.ts';

/**
 * The invoice pull's planner (pure): what Xero's view of a linked invoice asks of its Bitrix twin — a stage move
 * through the admin's status map, and the UF_CRM_XERO_* fields kept true. The executor (sync/pull/invoice-pull.ts)
 * reads both sides and queues what this returns; nothing here reads or writes.
 */

/** Why the invoice moves: the set_stage payload's `reason` (sql/inbox/set_stage.schema.json). */
export type PullReason = 'approved' | 'sent' | 'part_paid' | 'paid' | 'voided' | 'deleted';

/** Status-map pull keys, tried in order, for each reason; 'SENT' is Xero's AUTHORISED with SentToContact. */
const MAP_KEYS: Readonly<Record<PullReason, readonly string[]>> = {
  approved: ['AUTHORISED'],
  sent: ['SENT', 'AUTHORISED'],
  part_paid: ['PART_PAID'],
  paid: ['PAID'],
  voided: ['VOIDED'],
  deleted: ['DELETED', 'VOIDED'],
};

export interface PulledXeroInvoice {
  invoiceID: string;
  status: string;
  sentToContact: boolean;
  amountDue: number | null;
  amountPaid: number | null;
  /** 'YYYY-MM-DD' of the full payment (FullyPaidOnDate), for a legacy invoice's paid status. */
  paidOn: string | null;
}

/** The Bitrix side as the applier would leave it: stored values with still-pending inbox fields laid over them. */
export interface BitrixPullSide {
  kind: InvoiceKind;
  stage: Stage;
  /** Smart invoices: the category's stages; legacy: every invoice status. In SORT order. */
  stages: readonly Stage[];
  /** Smart invoices' category (null for legacy). */
  categoryId: number | null;
  uf: { status: string | null; amountDue: number | null; url: string | null };
}

export interface StageMove {
  stageId: string;
  xeroStatus: string;
  reason: PullReason;
  payment?: { date: string; reference: string | null };
}

/** Why no stage move although Xero's status asks for one: only 'unmapped' is reported (once) to the admin. */
export type LeftAlone =
  | { why: 'unmapped'; message: string }
  | { why: 'already' | 'closed' | 'behind'; message: string };

export interface PulledInvoicePlan {
  reason: PullReason | null;
  stage: StageMove | null;
  left: LeftAlone | null;
  /** UF_CRM_XERO_* values that differ from Bitrix's (empty when nothing does). */
  fields: Partial<Record<'UF_CRM_XERO_STATUS' | 'UF_CRM_XERO_AMOUNT_DUE', string | number | null>>;
  /** The invoice is approved and Bitrix holds no online invoice link yet: ask Xero for it (one call). */
  wantsOnlineUrl: boolean;
}

/** DRAFT / SUBMITTED ask nothing of Bitrix's stage; the rest map as the issue's table says. */
export function pullReason(inv: Pick<PulledXeroInvoice, 'status' | 'sentToContact' | 'amountDue' | 'amountPaid'>): PullReason | null {
  switch (inv.status.toUpperCase()) {
    case 'AUTHORISED':
      if ((inv.amountPaid ?? 0) > 0 && (inv.amountDue ?? 0) > 0) return 'part_paid';
      return inv.sentToContact ? 'sent' : 'approved';
    case 'PAID': return 'paid';
    case 'VOIDED': return 'voided';
    case 'DELETED': return 'deleted';
    default: return null;
  }
}

type PullMap = NonNullable<StatusMap['pull']>['smart'];

/**
 * The Bitrix stage a reason leads to, or why none: the admin's map first (a smart-invoice stage mapped in another
 * category is taken by its suffix in this one — 'DT31_1:P' stands for 'DT31_7:P' — so one map serves every
 * category), then Bitrix's own stages: sent → ':S' ('S' for legacy), paid → the first success stage, voided / deleted
 * → the first failure stage. "Approved" and a partial payment have no default: only a mapping moves them.
 */
export function targetStage(reason: PullReason, side: Pick<BitrixPullSide, 'kind' | 'stages' | 'categoryId'>, map: PullMap | undefined):
  { stage: Stage } | { unmapped: string } | { none: true } {
  const byId = new Map(side.stages.map((s) => [s.id, s]));
  for (const key of MAP_KEYS[reason]) {
    const mapped = map?.[key as keyof NonNullable<PullMap>];
    if (!mapped) continue;
    const stage = byId.get(mapped) ?? (side.kind === 'smart' ? byId.get(inThisCategory(mapped, side.categoryId)) : undefined);
    if (stage) return { stage };
    return { unmapped: `the status map sends Xero ${key} to stage ${mapped}, which ${side.kind === 'smart' ? `has no counterpart in category ${side.categoryId}` : 'is not an invoice status'}` };
  }
  if (reason === 'part_paid') return { none: true };
  if (reason === 'approved') return { unmapped: 'no Bitrix stage is mapped to Xero AUTHORISED (approved)' };
  const found = defaultStage(reason, side);
  if (found) return { stage: found };
  const wanted = reason === 'sent' ? `a "${side.kind === 'smart' ? ':S' : 'S'}" (sent) stage` : reason === 'paid' ? 'a success stage' : 'a failure stage';
  return { unmapped: `no stage is mapped to Xero ${reason === 'sent' ? 'SENT' : reason.toUpperCase()} and ${side.kind === 'smart' ? `category ${side.categoryId}` : 'the invoice statuses'} has no ${wanted}` };
}

function inThisCategory(stageId: string, categoryId: number | null): string {
  const suffix = /^DT31_\d+:(.+)$/.exec(stageId)?.[1];
  return suffix && categoryId !== null ? `DT31_${categoryId}:${suffix}` : stageId;
}

function defaultStage(reason: Exclude<PullReason, 'approved' | 'part_paid'>, side: Pick<BitrixPullSide, 'kind' | 'stages' | 'categoryId'>): Stage | undefined {
  if (reason === 'sent') {
    const id = side.kind === 'smart' ? `DT31_${side.categoryId}:S` : 'S';
    return side.stages.find((s) => s.id === id && s.semantics === 'process');
  }
  const semantics = reason === 'paid' ? 'success' : 'failure';
  // Legacy: P and D are Bitrix's own paid / declined; otherwise the first stage of the semantics in SORT order.
  const own = side.kind === 'legacy' ? side.stages.find((s) => s.id === (reason === 'paid' ? 'P' : 'D') && s.semantics === semantics) : undefined;
  return own ?? [...side.stages].sort((a, b) => a.sort - b.sort).find((s) => s.semantics === semantics);
}

/**
 * Whether Bitrix may move from `current` to `target`: never from a closed stage (paid or declined) back into the
 * process, and never backwards within the process (someone moved it on by hand). A closed invoice may close
 * differently (paid in Bitrix by hand, then voided in Xero: declined).
 */
function moveAllowed(current: Stage, target: Stage): LeftAlone | null {
  if (current.id === target.id) return { why: 'already', message: `already in ${target.id}` };
  if (target.semantics === 'process' && current.semantics !== 'process') {
    return { why: 'closed', message: `${current.id} is closed in Bitrix; not moved back to ${target.id}` };
  }
  if (target.semantics === 'process' && current.sort > target.sort) {
    return { why: 'behind', message: `${current.id} is past ${target.id} already` };
  }
  return null;
}

const AMOUNT_TOLERANCE = 0.005;

/** What to queue for one linked invoice Xero reported changed. */
export function planPulledInvoice(xero: PulledXeroInvoice, side: BitrixPullSide, map: StatusMap['pull']): PulledInvoicePlan {
  const status = xero.status.toUpperCase();
  const reason = pullReason(xero);
  let stage: StageMove | null = null;
  let left: LeftAlone | null = null;
  if (reason) {
    const stageMap = side.kind === 'smart' ? map?.smart : map?.legacy;
    let target = targetStage(reason, side, stageMap);
    // A part payment with no PART_PAID stage mapped still counts as what it is besides: an invoice that was emailed
    // reaches the "sent" stage (an approved-only one moves only where the map says; no report for it here).
    if ('none' in target && reason === 'part_paid') {
      const fallback = targetStage(xero.sentToContact ? 'sent' : 'approved', side, stageMap);
      if ('stage' in fallback) target = fallback;
    }
    if ('stage' in target) {
      left = moveAllowed(side.stage, target.stage);
      if (!left) {
        stage = { stageId: target.stage.id, xeroStatus: status, reason };
        if (reason === 'paid' && side.kind === 'legacy' && xero.paidOn) stage.payment = { date: xero.paidOn, reference: null };
      }
    } else if ('unmapped' in target) {
      left = { why: 'unmapped', message: target.unmapped };
    }
  }
  const fields: PulledInvoicePlan['fields'] = {};
  if (side.uf.status !== status) fields.UF_CRM_XERO_STATUS = status;
  // A draft owes nothing yet: its amount due is Xero's total, which Bitrix has already.
  const owes = status !== 'DRAFT' && status !== 'SUBMITTED';
  if (owes && xero.amountDue !== null && (side.uf.amountDue === null || Math.abs(side.uf.amountDue - xero.amountDue) >= AMOUNT_TOLERANCE)) {
    fields.UF_CRM_XERO_AMOUNT_DUE = xero.amountDue;
  }
  const approved = status === 'AUTHORISED' || status === 'PAID';
  return { reason, stage, left, fields, wantsOnlineUrl: approved && !isOnlineInvoiceUrl(side.uf.url) };
}

/** The staff deep link (go.xero.com) is what a draft gets; an approved invoice's customer link is anything else. */
export function isOnlineInvoiceUrl(url: string | null): boolean {
  return !!url && !/^https:\/\/go\.xero\.com\/AccountsReceivable\/View\.aspx/i.test(url);
}
