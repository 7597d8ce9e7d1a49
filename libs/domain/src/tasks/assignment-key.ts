import { createHash } from 'node:crypto';

/** SHA-256 of the sorted lead unit ids: the identity of a task within its measure. */
export function assignmentKeyOf(leadUnitIds: string[]): string {
  return createHash('sha256').update([...leadUnitIds].sort().join(',')).digest('hex');
}
