import type { Kysely } from 'kysely';
import type { Config } from '../../config/config.ts';
import type { Settings } from '../../domain/settings.ts';
import { loadOrgContext } from '../../sync/push/org-loader.ts';
import type { PushGateway } from '../../sync/push/push-context.ts';
import type { OrgContext } from '../../sync/plan/org-context.ts';
import { resolveTaxType } from '../../sync/plan/tax-type.ts';
import type { SecretRedactor } from '../../util/redact.ts';
import { IdentityClient, XeroApiError, type XeroGateway } from '../../xero/index.ts';
import type { RefreshTokenStore } from '../../xero/token-store-port.ts';
import { note, ok, problem, type Finding } from './finding.ts';

/** Scopes the sync uses: invoices and payments, contacts, and the organisation's settings (tax rates, accounts). */
const NEEDED_SCOPES = ['accounting.transactions', 'accounting.contacts', 'accounting.settings'];
/** More skew than this breaks Xero's If-Modified-Since reads and token lifetimes. */
const MAX_SKEW_SECONDS = 60;

export interface XeroCheckDeps {
  config: Config;
  gateway: XeroGateway;
  redactor: SecretRedactor;
  tokenStore: RefreshTokenStore;
  db: Kysely<any>;
  settings: Readonly<Settings>;
}

/** What a failed Xero call says the admin should change, by the variable to fix. */
function xeroProblem(error: unknown, config: Config): Finding {
  if (!(error instanceof XeroApiError)) return problem('xero', `unexpected failure: ${(error as Error)?.message ?? String(error)}`);
  if (error.code === 'xero_not_connected') return problem('xero', `${error.message}`);
  if (error.type === 'auth') return problem('xero', `Xero refused the app's credentials (${error.detail ?? error.message}): check XERO_CLIENT_ID and XERO_CLIENT_SECRET (a Custom Connection's secret from developer.xero.com → My Apps)`);
  if (error.type === 'forbidden') return problem('xero', `Xero refused the organisation${config.xero.tenantId ? ` XERO_TENANT_ID=${config.xero.tenantId}` : ''} (${error.detail ?? error.message}): check XERO_TENANT_ID, or connect the app to the organisation again`);
  if (error.type === 'network' || error.type === 'timeout') return problem('xero', `cannot reach Xero (${error.message}): check the network, a proxy, and XERO_API_URL / XERO_IDENTITY_URL / XERO_CONNECTIONS_URL`);
  if (error.type === 'not_found') return problem('xero', `${error.message}: check XERO_API_URL (it should end in /api.xro/2.0)`);
  return problem('xero', error.message);
}

export async function checkXero(deps: XeroCheckDeps): Promise<Finding[]> {
  const { config, gateway } = deps;
  const out: Finding[] = [];
  let tenantId: string;
  try {
    tenantId = await gateway.connect();
    const org = await gateway.getOrganisation();
    out.push(ok('xero', `connected to "${org.name ?? '?'}" (${String(org.countryCode ?? '?')}, base currency ${String(org.baseCurrency ?? '?')}), tenant ${tenantId || '(Custom Connection)'}`));
  } catch (error) {
    return [xeroProblem(error, config)];
  }
  out.push(...await checkScopes(deps));
  let context: OrgContext;
  try {
    context = await loadOrgContext(gateway as unknown as PushGateway);
  } catch (error) {
    return [...out, xeroProblem(error, config)];
  }
  out.push(...checkSettingsAgainstOrg(deps.settings, context));
  out.push(...await checkCurrencies(deps.db, context));
  return out;
}

async function checkScopes(deps: XeroCheckDeps): Promise<Finding[]> {
  let granted: string | undefined;
  if (deps.config.xero.auth === 'authorization_code') {
    granted = (await deps.tokenStore.read())?.tokenSet.scope;
  } else {
    // A fresh client-credentials token says which scopes the Custom Connection was given (no API budget spent).
    const { xero } = deps.config;
    const identity = new IdentityClient({
      identityUrl: xero.identityUrl, connectionsUrl: xero.connectionsUrl, clientId: xero.clientId!, clientSecret: xero.clientSecret!,
      timeoutMs: xero.httpTimeoutMs, redactor: deps.redactor,
    });
    granted = (await identity.clientCredentials()).scope;
  }
  if (granted === undefined) return [note('xero', 'the token does not list its scopes; cannot check them')];
  const have = new Set(granted.split(/\s+/));
  // Reading the organisation's settings is all the sync does with them, so the read-only variant is enough.
  const missing = NEEDED_SCOPES.filter((s) => !have.has(s) && !(s === 'accounting.settings' && have.has('accounting.settings.read')));
  if (missing.length > 0) return [problem('xero', `the app lacks the scopes ${missing.join(', ')}: add them to the connection (developer.xero.com → My Apps${deps.config.xero.auth === 'authorization_code' ? ', then run b24xero connect again' : ''})`)];
  return [ok('xero', `scopes granted: ${NEEDED_SCOPES.join(', ')}`)];
}

function checkSettingsAgainstOrg(settings: Readonly<Settings>, org: OrgContext): Finding[] {
  const out: Finding[] = [];
  const accounts = new Map(org.accounts.map((a) => [a.code, a]));
  const named: Array<[string, string]> = [
    ...(settings.defaultSalesAccount ? [['default_sales_account', settings.defaultSalesAccount] as [string, string]] : []),
    ...Object.entries(settings.productAccounts).map(([product, code]): [string, string] => [`product_accounts["${product}"]`, code]),
  ];
  for (const [option, code] of named) {
    const account = accounts.get(code);
    if (!account) out.push(problem('settings', `module option ${option} names account code ${code}, which the organisation does not have: pick a revenue account from Xero's chart of accounts`));
    else if (account.status !== 'ACTIVE') out.push(problem('settings', `module option ${option} names account ${code} "${account.name}", which is ${account.status} in Xero: pick an active one`));
  }
  const taxTypes = new Map(org.taxRates.map((t) => [t.taxType, t]));
  for (const [percent, taxType] of Object.entries(settings.taxMap)) {
    const rate = taxTypes.get(taxType);
    if (!rate) out.push(problem('settings', `module option tax_map maps "${percent}" to tax type ${taxType}, which the organisation does not have (it has ${[...taxTypes.keys()].slice(0, 8).join(', ')})`));
    else if (rate.status !== 'ACTIVE') out.push(problem('settings', `module option tax_map maps "${percent}" to ${taxType}, which is ${rate.status} in Xero`));
  }
  if (out.length === 0) out.push(ok('settings', 'the account codes and tax types the module options name exist in the organisation'));
  out.push(...noTaxAssumption(settings, org));
  return out;
}

/** Says once which Xero rate rows without tax get when the tax map does not choose (plan/tax-type.ts). */
function noTaxAssumption(settings: Readonly<Settings>, org: OrgContext): Finding[] {
  if (Object.keys(settings.taxMap).some((k) => k.trim() !== '' && Number(k) === 0)) return [];
  const resolved = resolveTaxType(0, settings.taxMap, org);
  if (!resolved.ok) return [problem('tax', `rows without tax (0 %, which crm 23 stores for "no tax"): ${resolved.error.message}`)];
  const rate = org.taxRates.find((t) => t.taxType === resolved.value.taxType);
  return [note('tax', `assumption: rows without tax (0 %, which crm 23 stores for "no tax") go to Xero as ${resolved.value.taxType}` +
    `${rate?.name ? ` "${rate.name}"` : ''}; for zero-rated sales instead, map "0" in the module option tax_map (e.g. {"0":"ZERORATEDOUTPUT"})`)];
}

async function checkCurrencies(db: Kysely<any>, org: OrgContext): Promise<Finding[]> {
  const rows = await db.selectFrom('b_catalog_currency').select('CURRENCY').execute().catch(() => null);
  if (!rows) return [];
  const enabled = new Set([org.baseCurrency, ...org.currencies]);
  const missing = rows.map((r: { CURRENCY: string }) => r.CURRENCY.toUpperCase()).filter((c: string) => !enabled.has(c));
  if (missing.length === 0) return [ok('currencies', `every Bitrix currency is enabled in Xero (${[...enabled].join(', ')})`)];
  return [note('currencies', `Bitrix currencies not enabled in Xero: ${missing.join(', ')}: invoices in them fail until you add them in Xero (Settings → Currencies; needs a plan with multi-currency)`)];
}

/** Xero's clock (the Date header of its identity service) against ours. */
export async function checkClock(config: Config, now: () => number = Date.now): Promise<Finding[]> {
  const started = now();
  let date: string | null;
  try {
    const res = await fetch(`${config.xero.identityUrl}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(config.xero.httpTimeoutMs) });
    date = res.headers.get('date');
    await res.body?.cancel();
  } catch (error) {
    return [problem('clock', `cannot reach ${config.xero.identityUrl} to compare clocks: ${(error as Error).message}`)];
  }
  if (!date) return [note('clock', 'Xero sent no Date header; clock skew not checked')];
  const skew = Math.round((now() + started) / 2 / 1000 - Date.parse(date) / 1000);
  if (Math.abs(skew) > MAX_SKEW_SECONDS) return [problem('clock', `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} Xero's: turn on time synchronisation (timedatectl set-ntp true)`)];
  return [ok('clock', `within ${Math.max(1, Math.abs(skew))} s of Xero's`)];
}
