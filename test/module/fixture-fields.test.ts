import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBitrixSchema } from '../fixture/index.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { MODULE_CLI, phpJson } from './php.ts';

interface InstallerField {
  ENTITY_ID: string; FIELD_NAME: string; USER_TYPE_ID: string; XML_ID: string; SORT: number; MULTIPLE: string;
  MANDATORY: string; SHOW_FILTER: string; SHOW_IN_LIST: string; EDIT_IN_LIST: string; IS_SEARCHABLE: string;
  SETTINGS: string; EDIT_FORM_LABEL: Record<string, string>; LIST_COLUMN_LABEL: Record<string, string>; LIST_FILTER_LABEL: Record<string, string>;
}

// The fixture stands in for a portal the module is installed on, so its module fields must be exactly what the
// installer passes to CUserTypeEntity::Add (SETTINGS as PHP serializes them, labels per language).
describe("the fixture's module fields", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('fixture_fields');
    await createBitrixSchema(t.db);
  });
  afterAll(async () => { await t?.drop(); });

  it('are the installer’s fields, in its order, with its settings and en/ru labels', async () => {
    const installer = phpJson<InstallerField[]>([MODULE_CLI, 'user-fields']);
    const rows = await t.db.selectFrom('b_user_field').selectAll().where('XML_ID', 'like', 'XERO\\_%').orderBy('ID').execute();
    expect(rows.map((r) => ({
      ENTITY_ID: r.ENTITY_ID, FIELD_NAME: r.FIELD_NAME, USER_TYPE_ID: r.USER_TYPE_ID, XML_ID: r.XML_ID, SORT: r.SORT,
      MULTIPLE: r.MULTIPLE, MANDATORY: r.MANDATORY, SHOW_FILTER: r.SHOW_FILTER, SHOW_IN_LIST: r.SHOW_IN_LIST,
      EDIT_IN_LIST: r.EDIT_IN_LIST, IS_SEARCHABLE: r.IS_SEARCHABLE, SETTINGS: r.SETTINGS,
    }))).toEqual(installer.map(({ EDIT_FORM_LABEL: _e, LIST_COLUMN_LABEL: _c, LIST_FILTER_LABEL: _f, ...f }) => f));
    const langs = await t.db.selectFrom('b_user_field_lang').selectAll().where('USER_FIELD_ID', 'in', rows.map((r) => r.ID)).execute();
    for (const [i, field] of installer.entries()) {
      for (const [lang, label] of Object.entries(field.EDIT_FORM_LABEL)) {
        expect(langs.find((l) => l.USER_FIELD_ID === rows[i]!.ID && l.LANGUAGE_ID === lang), `${field.ENTITY_ID}.${field.FIELD_NAME} ${lang}`)
          .toMatchObject({ EDIT_FORM_LABEL: label, LIST_COLUMN_LABEL: field.LIST_COLUMN_LABEL[lang], LIST_FILTER_LABEL: field.LIST_FILTER_LABEL[lang] });
      }
    }
  });
});
