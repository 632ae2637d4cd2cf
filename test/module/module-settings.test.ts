import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../daemon/src/config/settings.ts';
import { DEFAULT_SETTINGS } from '../../daemon/src/domain/settings.ts';
import { MODULE_CLI, phpJson } from './php.ts';

describe("the module's default_option.php", () => {
  it("holds exactly the daemon's defaults for the settings both read", () => {
    const defaults = phpJson<Record<string, string>>([MODULE_CLI, 'default-options']);
    const parsed = parseSettings(new Map(Object.entries(defaults)));
    expect(parsed.problems).toEqual([]);
    expect(parsed.settings).toEqual(DEFAULT_SETTINGS);
  });
});
