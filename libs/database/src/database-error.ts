/** PostgreSQL error codes the domain reacts to. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
export const PG_SERIALIZATION_FAILURE = '40001';

/** True when `error` is a driver error with the given SQLSTATE (TypeORM wraps it in QueryFailedError). */
export function isPgError(error: unknown, code: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const direct = (error as { code?: unknown }).code;
  const wrapped = (error as { driverError?: { code?: unknown } }).driverError?.code;
  return direct === code || wrapped === code;
}
