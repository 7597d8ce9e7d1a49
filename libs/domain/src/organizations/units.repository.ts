import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { UnitAliasEntity, type AliasOrigin } from './unit-alias.entity';
import { UnitEntity } from './unit.entity';
import type { UnitKind } from './unit-kind';
import { normalizeUnitName } from './unit-name';

export interface UnitListFilter {
  kind?: UnitKind;
  parentId?: string;
  keyAssisted?: boolean;
  /** Substring of any name the unit goes by. */
  q?: string;
  limit: number;
  offset: number;
}

export type UnitWrite = Pick<
  UnitEntity,
  'code' | 'name' | 'shortName' | 'kind' | 'parentId' | 'adminCode' | 'keyAssisted' | 'formerNationalPovertyCounty' | 'sources'
>;

/** Queries of the organization registry. Writes take the caller's transaction manager. */
@Injectable()
export class UnitsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async snapshot(manager: EntityManager): Promise<{ units: UnitEntity[]; aliases: UnitAliasEntity[] }> {
    const units = await manager.find(UnitEntity);
    const aliases = await manager.find(UnitAliasEntity);
    return { units, aliases };
  }

  async insert(manager: EntityManager, data: UnitWrite): Promise<UnitEntity> {
    return manager.save(manager.create(UnitEntity, data));
  }

  async update(manager: EntityManager, unit: UnitEntity, data: UnitWrite): Promise<UnitEntity> {
    Object.assign(unit, data);
    return manager.save(unit);
  }

  async addAliases(manager: EntityManager, rows: { unitId: string; alias: string; origin: AliasOrigin }[]): Promise<void> {
    if (rows.length === 0) return;
    await manager.insert(
      UnitAliasEntity,
      rows.map((r) => ({ ...r, alias: normalizeUnitName(r.alias) })),
    );
  }

  findById(id: string): Promise<UnitEntity | null> {
    return this.dataSource.manager.findOne(UnitEntity, { where: { id } });
  }

  findByCode(code: string): Promise<UnitEntity | null> {
    return this.dataSource.manager.findOne(UnitEntity, { where: { code } });
  }

  async aliasesOf(unitId: string): Promise<string[]> {
    const rows = await this.dataSource.manager.find(UnitAliasEntity, { where: { unitId }, order: { alias: 'ASC' } });
    return rows.map((r) => r.alias);
  }

  async list(filter: UnitListFilter): Promise<{ items: UnitEntity[]; total: number }> {
    const qb = this.dataSource.manager.createQueryBuilder(UnitEntity, 'u');
    if (filter.kind) qb.andWhere('u.kind = :kind', { kind: filter.kind });
    if (filter.parentId) qb.andWhere('u.parent_id = :parentId', { parentId: filter.parentId });
    if (filter.keyAssisted !== undefined) qb.andWhere('u.key_assisted = :ka', { ka: filter.keyAssisted });
    if (filter.q) {
      qb.andWhere('exists (select 1 from unit_aliases a where a.unit_id = u.id and a.alias like :q)', {
        q: `%${normalizeUnitName(filter.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    }
    qb.orderBy('u.kind', 'ASC').addOrderBy('u.admin_code', 'ASC', 'NULLS LAST').addOrderBy('u.code', 'ASC');
    const [items, total] = await qb.take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items, total };
  }

  /** Maps each printed name to its unit, or null when no unit goes by that name. */
  async resolve(names: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, UnitEntity | null>> {
    const normalized = names.map(normalizeUnitName);
    const rows = normalized.length
      ? await manager
          .createQueryBuilder(UnitAliasEntity, 'a')
          .innerJoinAndSelect('a.unit', 'u')
          .where('a.alias in (:...names)', { names: [...new Set(normalized)] })
          .getMany()
      : [];
    const byAlias = new Map(rows.map((r) => [r.alias, r.unit ?? null]));
    return new Map(names.map((n, i) => [n, byAlias.get(normalized[i]) ?? null]));
  }

  async countByKind(): Promise<{ kind: UnitKind; count: number; keyAssisted: number }[]> {
    const rows: { kind: UnitKind; count: string; key_assisted: string }[] = await this.dataSource.query(
      `select kind, count(*) as count, count(*) filter (where key_assisted) as key_assisted
         from units group by kind order by kind`,
    );
    return rows.map((r) => ({ kind: r.kind, count: Number(r.count), keyAssisted: Number(r.key_assisted) }));
  }
}
