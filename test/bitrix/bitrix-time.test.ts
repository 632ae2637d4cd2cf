import { describe, expect, it } from 'vitest';
import {
  naiveToUtc, repeatedWallClockSeconds, resolveBitrixTimeZone, shiftNaive, utcToNaive,
} from '../../daemon/src/bitrix/bitrix-time.ts';
import { passStart } from '../../daemon/src/bitrix/scan.ts';

describe('Bitrix naive times', () => {
  it('shifts naive times by calendar arithmetic alone, across days, months and leap days', () => {
    expect(shiftNaive('2024-03-31 00:00:10', -20)).toBe('2024-03-30 23:59:50');
    expect(shiftNaive('2024-02-28 23:59:59', 1)).toBe('2024-02-29 00:00:00');
    expect(shiftNaive('2024-12-31 23:55:00', 600)).toBe('2025-01-01 00:05:00');
  });

  it('converts a naive Bitrix time to UTC in the BITRIX_TIMEZONE zone, and back', () => {
    expect(naiveToUtc('2025-01-15 09:30:00', 'Pacific/Auckland').toISOString()).toBe('2025-01-14T20:30:00.000Z');
    expect(naiveToUtc('2025-07-15 09:30:00', 'Pacific/Auckland').toISOString()).toBe('2025-07-14T21:30:00.000Z');
    expect(naiveToUtc('2025-07-15 09:30:00', 'Europe/Berlin').toISOString()).toBe('2025-07-15T07:30:00.000Z');
    expect(utcToNaive(new Date('2025-07-15T07:30:00Z'), 'Europe/Berlin')).toBe('2025-07-15 09:30:00');
    expect(naiveToUtc('2025-07-15 09:30:00', 'UTC').toISOString()).toBe('2025-07-15T09:30:00.000Z');
  });

  it('reads a time in the repeated hour after DST ends as its first occurrence, and one in the spring gap as PHP does', () => {
    // Europe/Berlin: 2025-10-26 03:00 CEST -> 02:00 CET, so 02:30 happens twice.
    expect(naiveToUtc('2025-10-26 02:30:00', 'Europe/Berlin').toISOString()).toBe('2025-10-26T00:30:00.000Z');
    // 2025-03-30 02:30 does not exist in Berlin; read with the winter offset.
    expect(naiveToUtc('2025-03-30 02:30:00', 'Europe/Berlin').toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('knows when a wall-clock time repeats, so the scan can look back across the fall-back', () => {
    expect(repeatedWallClockSeconds('2025-10-26 02:30:00', 'Europe/Berlin')).toBe(3600);
    expect(repeatedWallClockSeconds('2025-10-26 03:30:00', 'Europe/Berlin')).toBe(0);
    expect(repeatedWallClockSeconds('2025-04-06 02:30:00', 'Pacific/Auckland')).toBe(3600);
    expect(repeatedWallClockSeconds('2025-04-06 02:30:00', 'UTC')).toBe(0);
    expect(passStart({ time: '2025-10-26 02:30:00', id: 9 }, 300, 'Europe/Berlin')).toEqual({ time: '2025-10-26 01:25:00', id: 0 });
    expect(passStart({ time: '2025-10-26 02:30:00', id: 9 }, 300)).toEqual({ time: '2025-10-26 02:25:00', id: 0 });
  });

  it('defaults BITRIX_TIMEZONE to the system zone and rejects a zone that does not exist', () => {
    expect(resolveBitrixTimeZone(undefined)).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(resolveBitrixTimeZone(' Europe/Moscow ')).toBe('Europe/Moscow');
    expect(() => resolveBitrixTimeZone('Mars/Olympus')).toThrow(/BITRIX_TIMEZONE "Mars\/Olympus" is not an IANA time zone/);
  });
});
