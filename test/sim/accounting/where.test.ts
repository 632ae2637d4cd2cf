import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { compileWhere } from './where.ts';

const invoice = {
  Type: 'ACCREC', Status: 'AUTHORISED', Reference: 'Order 42', Total: 115, AmountDue: 15.5, Date: '2026-02-01',
  UpdatedDateUTC: '2026-02-03T10:20:30.000Z', FullyPaidOnDate: null, SentToContact: false,
  Contact: { ContactID: '6d3d5bd4-1a63-4f1f-9f34-7d6b3c3a1b2c', Name: 'Acme Ltd' },
};
const matches = (where: string) => compileWhere(where, 'Invoice')(invoice);

describe('where expressions', () => {
  it.each([
    ['Status=="AUTHORISED"', true],
    ['Status == "authorised"', true], // string comparison ignores case, as Xero's collation does
    ['Status!="AUTHORISED"', false],
    ['Type=="ACCREC" AND Contact.ContactID==Guid("6D3D5BD4-1A63-4F1F-9F34-7D6B3C3A1B2C")', true],
    ['Type=="ACCREC" && Contact.ContactID==GUID("00000000-0000-0000-0000-000000000000")', false],
    ['Date>=DateTime(2026,01,01)', true],
    ['Date>=DateTime(2026, 02, 01) AND Date<DateTime(2026,02,02)', true],
    ['Date > DateTime(2026,02,01)', false],
    ['UpdatedDateUTC >= DateTime(2026,02,03,10,20,30)', true],
    ['UpdatedDateUTC > DateTime.Parse("2026-02-03T10:20:31")', false],
    ['AmountDue>0', true],
    ['AmountDue > 15.5', false],
    ['Total>=115 and AmountDue<=15.5', true],
    ['Reference.Contains("der 4")', true],
    ['Reference.StartsWith("order")', true],
    ['Reference.EndsWith("41")', false],
    ['Reference.ToLower()=="order 42"', true],
    ['Contact.Name.StartsWith("Acme")', true],
    ['Status=="DRAFT" OR Status=="AUTHORISED"', true],
    ['(Status=="DRAFT" || Status=="PAID") && Total>0', false],
    ['NOT (Status=="DRAFT")', true],
    ['!SentToContact', true],
    ['SentToContact==false', true],
    ['FullyPaidOnDate==null', true],
    ['FullyPaidOnDate!=null', false],
    ['Reference!=null', true],
  ])('%s → %s', (where, expected) => {
    expect(matches(where)).toBe(expected);
  });

  it.each([
    ['Status=="AUTHORISED" AND', 'Syntax error: expression expected'],
    ['Status=="AUTHORISED', 'Unterminated string literal'],
    ['Status=="A" ^ Total>1', "Syntax error '^' at position 12"],
    ['Reference.Matches("x")', "No applicable method 'Matches' exists"],
    ['DateTime(2026)', 'DateTime() expects year, month, day[, hour, minute, second]'],
  ])('rejects %s with a QueryParseException', (where, message) => {
    try {
      compileWhere(where, 'Invoice');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).response).toEqual({ status: 400, body: { ErrorNumber: 16, Type: 'QueryParseException', Message: message } });
    }
  });

  it('names an unknown field and the type when it evaluates', () => {
    expect(() => matches('Colour=="red"')).toThrow(ApiError);
    try {
      matches('Contact.Colour=="red"');
    } catch (error) {
      expect((error as ApiError).response.body).toMatchObject({ Message: "No property or field 'Colour' exists in type 'Invoice'" });
    }
  });
});
