import type { InvoiceKind } from '../../domain/invoice.ts';
import { getCursor, setCursor } from '../../state/cursors.ts';
import type { EntityType, LinkXeroType } from '../../state/tables.ts';
import { pushInvoices } from './invoice-sync.ts';
import { syncItems } from './item-sync.ts';
import type { PushContext } from './push-context.ts';
import { settingsFingerprint } from './settings-fingerprint.ts';

/**
 * b_b24xero_cursor row holding the fingerprint of the settings every linked record was last planned with:
 * '<fingerprint>' once a re-plan is complete, '<fingerprint> <phase> <last link ID>' while one is under way (a crash
 * or a failed pass resumes after the last page done instead of starting over).
 */
export const SETTINGS_CURSOR = 'replan:settings';

/** Links re-planned per page (each invoice page is read, planned and pushed like a scan page). */
const PAGE = 200;

const PHASES = ['item', 'invoice'] as const;
type Phase = (typeof PHASES)[number];

const KIND_OF: Readonly<Record<'smart_invoice' | 'legacy_invoice', InvoiceKind>> = { smart_invoice: 'smart', legacy_invoice: 'legacy' };

interface Progress {
  fingerprint: string;
  /** null: complete. */
  phase: Phase | null;
  afterLinkId: number;
}

export function decodeReplanCursor(value: string | null): Progress | null {
  if (!value) return null;
  const [fingerprint, phase, after] = value.split(' ');
  if (!fingerprint || !/^[0-9a-f]{64}$/.test(fingerprint)) return null;
  if (phase === undefined) return { fingerprint, phase: null, afterLinkId: 0 };
  const afterLinkId = Number(after);
  if (!(PHASES as readonly string[]).includes(phase) || !Number.isSafeInteger(afterLinkId) || afterLinkId < 0) return null;
  return { fingerprint, phase: phase as Phase, afterLinkId };
}

export function encodeReplanCursor(progress: Progress): string {
  return progress.phase === null ? progress.fingerprint : `${progress.fingerprint} ${progress.phase} ${progress.afterLinkId}`;
}

/**
 * Whether the settings differ from those every linked record was last planned with (or that re-plan is unfinished).
 * While true, the pass plans every invoice it reads — the "untouched since its push" shortcut assumes unchanged
 * settings — so what the feed and the scan handle can be left out of the re-plan.
 */
export async function settingsChangedSinceLastPlan(ctx: Pick<PushContext, 'state' | 'settings'>): Promise<boolean> {
  const stored = decodeReplanCursor(await getCursor(ctx.state, SETTINGS_CURSOR));
  return !(stored?.fingerprint === settingsFingerprint(ctx.settings) && stored.phase === null);
}

/**
 * A change of the module's settings (tax map, account codes, number policy, status map, kinds) reaches records
 * already in Xero without waiting for their next Bitrix edit: when the settings' fingerprint differs from the one
 * stored, every linked Item and every synced invoice link is re-planned in pages of 200 — products first, so
 * invoices see the same Items. Re-planning is cheap: the content hash comparison leaves records whose payload the
 * change does not affect free of API calls; the rest are updated in batches of 50.
 *
 * A settings change is not a Bitrix edit, so it never raises a conflict: invoices Xero already owns (approved,
 * paid, voided) keep their Xero content, and their link adopts the new hash — only a later Bitrix edit of their
 * content is then reported as a conflict (see pushInvoices' `settingsReplan`).
 *
 * Runs after the change feed and the safety scan of the same pass, skipping what they already planned (`done`;
 * with `ctx.settingsChanged` set they plan everything they read).
 * The fingerprint is stored only after the last page; a dry run stores nothing.
 */
export async function replanAfterSettingsChange(ctx: PushContext, done: ReadonlySet<string>): Promise<void> {
  const fingerprint = settingsFingerprint(ctx.settings);
  const stored = decodeReplanCursor(await getCursor(ctx.state, SETTINGS_CURSOR));
  if (stored?.fingerprint === fingerprint && stored.phase === null) return;
  const progress: Progress = stored?.fingerprint === fingerprint ? stored : { fingerprint, phase: 'item', afterLinkId: 0 };
  if (stored?.fingerprint !== fingerprint) ctx.log.info('module settings changed; re-planning the records already in Xero');

  for (const phase of PHASES.slice(PHASES.indexOf(progress.phase ?? 'item'))) {
    if (progress.phase !== phase) Object.assign(progress, { phase, afterLinkId: 0 });
    for (;;) {
      const page = await linkPage(ctx, phase === 'item' ? 'item' : 'invoice', progress.afterLinkId);
      if (page.length === 0) break;
      await replanPage(ctx, phase, page.filter((l) => !done.has(`${l.ENTITY_TYPE}:${l.ENTITY_ID}`)));
      progress.afterLinkId = page[page.length - 1]!.ID;
      if (!ctx.dryRun) await setCursor(ctx.state, SETTINGS_CURSOR, encodeReplanCursor(progress));
      if (page.length < PAGE) break;
    }
  }
  if (!ctx.dryRun) await setCursor(ctx.state, SETTINGS_CURSOR, encodeReplanCursor({ fingerprint, phase: null, afterLinkId: 0 }));
}

/** Synced links of one Xero type after a link ID, in ID order (the primary key: O(page) however many links exist). */
async function linkPage(ctx: PushContext, xeroType: LinkXeroType, afterLinkId: number) {
  return ctx.state.selectFrom('b_b24xero_link').select(['ID', 'ENTITY_TYPE', 'ENTITY_ID'])
    .where('XERO_TYPE', '=', xeroType)
    .where('STATE', '=', 'synced')
    .where('ID', '>', afterLinkId)
    .orderBy('ID').limit(PAGE).execute();
}

async function replanPage(ctx: PushContext, phase: Phase, links: ReadonlyArray<{ ENTITY_TYPE: EntityType; ENTITY_ID: number }>): Promise<void> {
  if (links.length === 0) return;
  if (phase === 'item') {
    await syncItems(ctx, links.map((l) => l.ENTITY_ID), { refresh: true });
    return;
  }
  for (const entityType of ['smart_invoice', 'legacy_invoice'] as const) {
    const kind = KIND_OF[entityType];
    const ids = links.filter((l) => l.ENTITY_TYPE === entityType).map((l) => l.ENTITY_ID);
    if (ids.length === 0 || !ctx.settings.invoiceKinds.includes(kind)) continue;
    await pushInvoices(ctx, kind, ids, { forced: new Set(ids), settingsReplan: true });
  }
}
