import type { EntityManager } from 'typeorm';
import { normalizeUnitName } from '../organizations/unit-name';
import type { UnitKind } from '../organizations/unit-kind';
import type { FormUnit } from './form-validation';

export interface DirectoryUnit extends FormUnit {
  name: string;
  adminCode: string | null;
}

/**
 * Every active unit and every name it is known by, loaded once per command (the registry has a
 * few hundred units), so a form of thousands of rows resolves names without a query per cell.
 */
export class UnitDirectory {
  private constructor(
    private readonly byName: Map<string, DirectoryUnit>,
    readonly byId: Map<string, DirectoryUnit>,
  ) {}

  static async load(manager: EntityManager): Promise<UnitDirectory> {
    const rows: Record<string, unknown>[] = await manager.query(
      `select u.id, u.code, u.name, u.short_name, u.kind, u.parent_id, u.key_assisted, u.admin_code, array_agg(a.alias) filter (where a.alias is not null) as names
         from units u left join unit_aliases a on a.unit_id = u.id where u.active group by u.id`,
    );
    const byName = new Map<string, DirectoryUnit>();
    const byId = new Map<string, DirectoryUnit>();
    for (const r of rows) {
      const kind = r.kind as UnitKind;
      const unit: DirectoryUnit = {
        id: r.id as string,
        code: r.code as string,
        name: r.name as string,
        shortName: r.short_name as string,
        kind,
        cityId: kind === 'city_government' ? (r.id as string) : ((r.parent_id as string | null) ?? null),
        keyAssisted: r.key_assisted as boolean,
        adminCode: (r.admin_code as string | null) ?? null,
      };
      byId.set(unit.id, unit);
      for (const n of [unit.name, unit.shortName, ...((r.names as string[] | null) ?? [])]) byName.set(normalizeUnitName(n), unit);
    }
    return new UnitDirectory(byName, byId);
  }

  /** A unit by a printed name; a county name is tried with its city's name first (朔州市应县). */
  resolve(name: string, cityShortName?: string): DirectoryUnit | null {
    const n = normalizeUnitName(name);
    if (cityShortName) {
      const withCity = this.byName.get(normalizeUnitName(cityShortName) + n);
      if (withCity) return withCity;
    }
    return this.byName.get(n) ?? null;
  }
}
