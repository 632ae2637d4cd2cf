/** MySQL/MariaDB error numbers the repositories react to (mysql2 puts them on `errno`). */
export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_DEADLOCK = 1213;

export function isMysqlError(error: unknown, errno: number): boolean {
  return typeof error === 'object' && error !== null && (error as { errno?: unknown }).errno === errno;
}
