import type { UnitKind } from '../organizations/unit-kind';
import type { Role } from './role';

/**
 * Who is acting: the signed-in user, their unit and roles. Every scoped query takes an Actor, so a
 * query without a scope does not compile.
 */
export interface Actor {
  readonly userId: string;
  readonly username: string;
  readonly unitId: string;
  readonly unitKind: UnitKind;
  /** For city-bureau and county users: their city government's unit id; otherwise null. */
  readonly cityId: string | null;
  readonly roles: readonly Role[];
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
