import type { Kysely } from 'kysely';
import type { FixtureInfo } from '../fixture/index.ts';

/** Records the applier's PHPUnit tests work on (filled in with the applier). */
export async function buildApplierScenario(_db: Kysely<any>, _info: FixtureInfo): Promise<Record<string, number>> {
  return {};
}
