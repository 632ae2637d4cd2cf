import type { OrgCountry } from '../../contract.ts';
import { AU_PRESET } from './au.ts';
import { NZ_PRESET } from './nz.ts';
import type { OrgPreset } from './preset.ts';
import { UK_PRESET } from './uk.ts';
import { US_PRESET } from './us.ts';

export const PRESETS: Record<OrgCountry, OrgPreset> = { NZ: NZ_PRESET, AU: AU_PRESET, UK: UK_PRESET, US: US_PRESET };

export { accountClassOf, CURRENCY_NAMES, type OrgPreset } from './preset.ts';
