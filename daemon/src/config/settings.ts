import type { Kysely } from 'kysely';
import { validate as isValidCron } from 'node-cron';
import {
  DEFAULT_SETTINGS, MODULE_ID, OPTION_KEYS, PULL_STATUS_KEYS,
  type Settings, type StatusMap,
} from '../domain/settings.ts';

/** The part of Bitrix's b_option this reader needs. */
export interface OptionTables {
  b_option: { MODULE_ID: string; NAME: string; VALUE: string | null };
}

export interface SettingsProblem {
  /** The b_option NAME, e.g. 'status_map'. */
  key: string;
  message: string;
}

export interface SettingsReadResult {
  settings: Readonly<Settings>;
  /** One entry per option that could not be used; its default was used instead. */
  problems: SettingsProblem[];
}

type SettingName = keyof typeof OPTION_KEYS;
type Parser<K extends SettingName> = (raw: string) => Settings[K];

/**
 * Business settings as admins saved them on the module's options page. A value that cannot be used (malformed JSON,
 * wrong shape) is reported with its key and replaced by the default, so one typo on the options page does not stop
 * every sync; callers log or surface `problems` (doctor, status).
 */
export async function readSettings(db: Kysely<OptionTables>): Promise<SettingsReadResult> {
  const rows = await db
    .selectFrom('b_option')
    .select(['NAME', 'VALUE'])
    .where('MODULE_ID', '=', MODULE_ID)
    .where('NAME', 'in', Object.values(OPTION_KEYS))
    .execute();
  return parseSettings(new Map(rows.map((r) => [r.NAME, r.VALUE])));
}

/** Pure part of readSettings: option NAME -> VALUE as stored. */
export function parseSettings(values: ReadonlyMap<string, string | null>): SettingsReadResult {
  const settings: Settings = structuredClone({ ...DEFAULT_SETTINGS }) as Settings;
  const problems: SettingsProblem[] = [];
  const apply = <K extends SettingName>(name: K, parse: Parser<K>) => {
    const key = OPTION_KEYS[name];
    const raw = values.get(key);
    // Bitrix saves an emptied field as ''; that means "not set", not "broken".
    if (raw === undefined || raw === null || raw.trim() === '') return;
    try {
      settings[name] = parse(raw.trim());
    } catch (error) {
      problems.push({ key, message: `option '${key}' of ${MODULE_ID}: ${(error as Error).message}; using the default` });
    }
  };

  apply('statusMap', (raw) => statusMap(json(raw)));
  apply('defaultSalesAccount', (raw) => raw);
  apply('productAccounts', (raw) => stringRecord(json(raw)));
  apply('taxMap', (raw) => stringRecord(json(raw)));
  apply('invoiceNumberPolicy', (raw) => {
    if (raw !== 'bitrix' && raw !== 'xero') throw new Error(`must be 'bitrix' or 'xero', got '${raw}'`);
    return raw;
  });
  apply('invoiceKinds', (raw) => {
    const value = json(raw);
    if (!Array.isArray(value) || !value.every((k) => k === 'smart' || k === 'legacy')) {
      throw new Error(`must be a JSON array of "smart" and/or "legacy", got ${raw}`);
    }
    return [...new Set(value as Array<'smart' | 'legacy'>)];
  });
  apply('syncSchedule', cron);
  apply('scanSchedule', cron);
  apply('startDate', calendarDate);
  apply('importContacts', (raw) => {
    if (raw !== 'all' && raw !== 'customers' && raw !== 'off') throw new Error(`must be 'all', 'customers' or 'off', got '${raw}'`);
    return raw;
  });

  return { settings: deepFreeze(settings), problems };
}

/** 'YYYY-MM-DD' naming a real day (what the options page's date field and the installer save). */
export function calendarDate(raw: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!day || day.toISOString().slice(0, 10) !== raw) throw new Error(`must be a date YYYY-MM-DD, got '${raw}'`);
  return raw;
}

function json(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`is not valid JSON (${(error as Error).message})`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isPlainObject(value)) throw new Error('must be a JSON object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    // Account codes like 200 are often typed as numbers; they mean the same code.
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else if (typeof v === 'string') out[k] = v;
    else throw new Error(`value of '${k}' must be a string, got ${JSON.stringify(v)}`);
  }
  return out;
}

function statusMap(value: unknown): StatusMap {
  if (!isPlainObject(value)) throw new Error('must be a JSON object');
  const map: StatusMap = {};
  if (value.push !== undefined) {
    if (!isPlainObject(value.push)) throw new Error('"push" must be an object');
    const createAs = value.push.createAs;
    if (createAs !== undefined && createAs !== 'DRAFT' && createAs !== 'SUBMITTED' && createAs !== 'AUTHORISED') {
      throw new Error(`"push.createAs" must be DRAFT, SUBMITTED or AUTHORISED, got ${JSON.stringify(createAs)}`);
    }
    map.push = createAs === undefined ? {} : { createAs };
  }
  if (value.pull !== undefined) {
    if (!isPlainObject(value.pull)) throw new Error('"pull" must be an object');
    map.pull = {};
    for (const kind of ['smart', 'legacy'] as const) {
      const byStatus = value.pull[kind];
      if (byStatus === undefined) continue;
      const record = stringRecord(byStatus);
      for (const status of Object.keys(record)) {
        if (!(PULL_STATUS_KEYS as readonly string[]).includes(status)) {
          throw new Error(`"pull.${kind}" has unknown Xero status '${status}'`);
        }
      }
      map.pull[kind] = record;
    }
  }
  if (value.skipStages !== undefined) {
    if (!Array.isArray(value.skipStages) || !value.skipStages.every((s) => typeof s === 'string')) {
      throw new Error('"skipStages" must be an array of stage ids');
    }
    map.skipStages = value.skipStages as string[];
  }
  return map;
}

function cron(raw: string): string {
  if (!isValidCron(raw)) throw new Error(`is not a cron expression: '${raw}'`);
  return raw;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
