import { describe, expect, it } from 'vitest';
import { PhpFloat, phpSerialize } from '../fixture/php-serialize.ts';
import { booleanSettings, doubleSettings, stringSettings } from '../fixture/user-fields.ts';

describe('PHP serialize for user-field SETTINGS', () => {
  it('writes the boolean settings exactly as Bitrix stores them, with DEFAULT_VALUE 1 for the sync checkbox', () => {
    expect(phpSerialize(booleanSettings(1))).toBe(
      'a:4:{s:13:"DEFAULT_VALUE";i:1;s:7:"DISPLAY";s:8:"CHECKBOX";s:5:"LABEL";a:2:{i:0;s:0:"";i:1;s:0:"";}s:14:"LABEL_CHECKBOX";s:0:"";}',
    );
  });

  it('writes string settings with integer sizes and empty strings', () => {
    expect(phpSerialize(stringSettings())).toBe(
      'a:6:{s:4:"SIZE";i:20;s:4:"ROWS";i:1;s:6:"REGEXP";s:0:"";s:10:"MIN_LENGTH";i:0;s:10:"MAX_LENGTH";i:0;s:13:"DEFAULT_VALUE";s:0:"";}',
    );
  });

  it('keeps whole-valued floats as PHP doubles', () => {
    expect(phpSerialize(doubleSettings(2))).toContain('s:9:"MIN_VALUE";d:0;');
    expect(phpSerialize(new PhpFloat(1.5))).toBe('d:1.5;');
  });

  it('counts string lengths in UTF-8 bytes like PHP', () => {
    expect(phpSerialize('Синхронизировать')).toBe('s:32:"Синхронизировать";');
    expect(phpSerialize({ '10': 'x', a: null, b: true })).toBe('a:3:{i:10;s:1:"x";s:1:"a";N;s:1:"b";b:1;}');
  });
});
