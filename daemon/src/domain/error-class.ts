/**
 * How a failure is treated (ARCHITECTURE rule 7), one vocabulary for the planners, the Xero gateway and the stored
 * record errors (b_b24xero_record_error.CLASS): retry with back-off, needs a person, or never retry.
 */
export const ERROR_CLASSES = ['retry', 'needs_person', 'never'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];
