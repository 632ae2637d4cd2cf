import { describe, expect, it } from 'vitest';
import { longDay, msDateOfDay, parseDay, parseInstant } from './dates.ts';

describe('Xero dates', () => {
  it('emits calendar dates as midnight-UTC .NET dates', () => {
    expect(msDateOfDay('2018-10-20')).toBe('/Date(1539993600000+0000)/');
  });

  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2018-10-20T00:00:00.000Z', '2018-10-20'],
    ['2021-10-18T00:00:00+11:00', '2021-10-18'], // the day the client wrote, not the UTC instant
    ['2024-05-01T13:45:00', '2024-05-01'],
    ['/Date(1539993600000+0000)/', '2018-10-20'],
    ['/Date(1539993600000)/', '2018-10-20'],
  ])('reads %s as %s', (input, day) => {
    expect(parseDay(input)).toBe(day);
  });

  it.each(['2024-02-30', '01/05/2024', 'tomorrow', '', 42])('refuses %s', (input) => {
    expect(parseDay(input)).toBeUndefined();
  });

  it('reads If-Modified-Since in ISO and RFC 1123 forms', () => {
    expect(parseInstant('2024-01-02T03:04:05.000Z')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseInstant('2024-01-02T03:04:05')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseInstant('Tue, 02 Jan 2024 03:04:05 GMT')?.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(parseInstant('garbage')).toBeUndefined();
  });

  it('writes lock dates the long way', () => {
    expect(longDay('2026-06-30')).toBe('30 June 2026');
  });
});
