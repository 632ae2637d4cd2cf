/** The simulator's accounting engine: organisations and the Accounting API's business rules (test/sim/contract.ts). */
import type { AccountingEngine } from '../contract.ts';
import { createOrganisation, restoreOrganisation } from './organisation.ts';

export const accountingEngine: AccountingEngine = { createOrganisation, restoreOrganisation };
