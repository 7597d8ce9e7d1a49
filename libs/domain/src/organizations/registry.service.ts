import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain.errors';
import { hasRole, type Actor } from '../accounts/actor';
import { AuditService } from '../audit/audit.service';
import { UnitEntity as Unit } from './unit.entity';
import type { AliasOrigin } from './unit-alias.entity';
import type { UnitEntity } from './unit.entity';
import { UNIT_KIND_LABELS, type UnitKind } from './unit-kind';
import { normalizeUnitName } from './unit-name';
import type { RegistryUnitInput, RejectedRow } from './registry-input';
import { UnitsRepository, type UnitWrite } from './units.repository';

export interface RegistryApplyReport {
  created: number;
  updated: number;
  unchanged: number;
  aliasesAdded: number;
  rejected: RejectedRow[];
  /** True when nothing was written (dry run, or rejected rows in all-or-nothing mode). */
  rolledBack: boolean;
}

export interface RegistryApplyOptions {
  origin: Extract<AliasOrigin, 'registry' | 'import'>;
  /** Apply the valid rows even if some rows are rejected (default: all or nothing). */
  partial?: boolean;
  dryRun?: boolean;
}

const PARENT_KIND: Partial<Record<UnitKind, UnitKind>> = { county: 'city_government', city_bureau: 'city_government' };

class Rollback extends Error {}

/**
 * Loads the organization registry: the shipped file (`seed`) and users' CSV imports. One
 * transaction per call; rows are matched by `code`. Names a unit has gone by are never dropped,
 * so a renamed unit is still found under its old name in older documents.
 */
@Injectable()
export class RegistryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Whether a unit's submissions need its head's sign-off before they reach the province. Set by
   * an admin or coordinator, or by the unit's own head.
   */
  async setRequiresSignoff(actor: Actor, code: string, requiresSignoff: boolean): Promise<Unit> {
    return this.dataSource.transaction(async (manager) => {
      const unit = await manager.findOne(Unit, { where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', `单位“${code}”不存在`);
      const own = unit.id === actor.unitId && hasRole(actor, 'unit_head');
      if (!own && !hasRole(actor, 'admin', 'coordinator')) throw new ForbiddenError('FORBIDDEN_ROLE', '只有本单位负责人、省级协调员或管理员可以设置审签');
      const before = unit.requiresSignoff;
      unit.requiresSignoff = requiresSignoff;
      const saved = await manager.save(unit);
      await this.audit.record(manager, actor, { action: 'unit.signoffSet', entityType: 'unit', entityId: unit.id, before: { requiresSignoff: before }, after: { requiresSignoff } });
      return saved;
    });
  }

  async apply(inputs: RegistryUnitInput[], preRejected: RejectedRow[], options: RegistryApplyOptions): Promise<RegistryApplyReport> {
    const report: RegistryApplyReport = { created: 0, updated: 0, unchanged: 0, aliasesAdded: 0, rejected: [...preRejected], rolledBack: false };
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.query(`lock table units in share row exclusive mode`);
        await this.applyIn(manager, inputs, options, report);
        const strictFail = !options.partial && report.rejected.length > 0;
        if (options.dryRun || strictFail) throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
      report.rolledBack = true;
    }
    report.rejected.sort((a, b) => a.row - b.row);
    return report;
  }

  private async applyIn(manager: EntityManager, inputs: RegistryUnitInput[], options: RegistryApplyOptions, report: RegistryApplyReport): Promise<void> {
    const snap = await this.units.snapshot(manager);
    const byCode = new Map(snap.units.map((u) => [u.code, u]));
    const byId = new Map(snap.units.map((u) => [u.id, u]));
    const owner = new Map(snap.aliases.map((a) => [a.alias, a.unitId]));
    const seen = new Set<string>();
    for (const input of orderParentsFirst(inputs)) {
      const reject = (reason: string): void => void report.rejected.push({ row: input.row, code: input.code, reason });
      if (seen.has(input.code)) {
        reject(`code “${input.code}” 在文件中重复出现`);
        continue;
      }
      seen.add(input.code);
      const existing = byCode.get(input.code) ?? null;
      const parent = input.parentCode ? (byCode.get(input.parentCode) ?? null) : null;
      const problem = this.checkParent(input, parent) ?? this.checkNames(input, existing, owner);
      if (problem) {
        reject(problem);
        continue;
      }
      const data: UnitWrite = {
        code: input.code,
        name: input.name,
        shortName: input.shortName,
        kind: input.kind,
        parentId: parent?.id ?? null,
        adminCode: input.adminCode,
        // The shipped file is incomplete by design, so seeding never clears a flag an import set.
        keyAssisted:
          input.keyAssisted === null
            ? (existing?.keyAssisted ?? false)
            : options.origin === 'registry'
              ? input.keyAssisted || (existing?.keyAssisted ?? false)
              : input.keyAssisted,
        formerNationalPovertyCounty: input.formerNationalPovertyCounty ?? existing?.formerNationalPovertyCounty ?? null,
        sources: [...new Set([...(existing?.sources ?? []), ...input.sources])],
      };
      let unit: UnitEntity;
      if (!existing) {
        unit = await this.units.insert(manager, data);
        report.created++;
      } else if (differs(existing, data)) {
        unit = await this.units.update(manager, existing, data);
        report.updated++;
      } else {
        unit = existing;
        report.unchanged++;
      }
      byCode.set(unit.code, unit);
      byId.set(unit.id, unit);
      const newNames = [...new Set([input.name, input.shortName, ...input.aliases].map(normalizeUnitName))].filter(
        (n) => owner.get(n) !== unit.id,
      );
      await this.units.addAliases(manager, newNames.map((alias) => ({ unitId: unit.id, alias, origin: options.origin })));
      newNames.forEach((n) => owner.set(n, unit.id));
      report.aliasesAdded += newNames.length;
    }
  }

  private checkParent(input: RegistryUnitInput, parent: UnitEntity | null): string | null {
    if (input.parentCode && !parent) return `上级单位 parentCode “${input.parentCode}” 不存在`;
    const wanted = PARENT_KIND[input.kind];
    if (wanted && parent?.kind !== wanted) {
      return `${UNIT_KIND_LABELS[input.kind]}的上级必须是${UNIT_KIND_LABELS[wanted]}（parentCode）`;
    }
    if (!wanted && parent) return `${UNIT_KIND_LABELS[input.kind]}不应有上级单位`;
    return null;
  }

  private checkNames(input: RegistryUnitInput, existing: UnitEntity | null, owner: Map<string, string>): string | null {
    for (const name of [input.name, input.shortName, ...input.aliases]) {
      const holder = owner.get(normalizeUnitName(name));
      if (holder && holder !== existing?.id) return `名称“${name}”已属于另一个单位，一个名称只能对应一个单位`;
    }
    return null;
  }

  /** Maps a printed name to a unit and remembers it as a user alias (a coordinator's correction). */
  async addUserAlias(unitId: string, alias: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const resolved = await this.units.resolve([alias], manager);
      const holder = resolved.get(alias);
      if (holder && holder.id !== unitId) {
        throw new ValidationFailedError(`名称“${alias}”已属于${holder.name}`, [{ field: 'alias', message: '名称已被占用' }], 'UNIT_ALIAS_TAKEN');
      }
      if (!holder) await this.units.addAliases(manager, [{ unitId, alias, origin: 'user' }]);
    });
  }
}

function differs(u: UnitEntity, d: UnitWrite): boolean {
  return (
    u.name !== d.name ||
    u.shortName !== d.shortName ||
    u.kind !== d.kind ||
    u.parentId !== d.parentId ||
    u.adminCode !== d.adminCode ||
    u.keyAssisted !== d.keyAssisted ||
    u.formerNationalPovertyCounty !== d.formerNationalPovertyCounty ||
    JSON.stringify(u.sources) !== JSON.stringify(d.sources)
  );
}

/** Parents before children, so a file may list a county before its city. Order is otherwise kept. */
function orderParentsFirst(inputs: RegistryUnitInput[]): RegistryUnitInput[] {
  const codes = new Set(inputs.map((i) => i.code));
  const done = new Set<string>();
  const out: RegistryUnitInput[] = [];
  let pending = inputs;
  while (pending.length > 0) {
    const next: RegistryUnitInput[] = [];
    for (const i of pending) {
      if (!i.parentCode || !codes.has(i.parentCode) || done.has(i.parentCode) || i.parentCode === i.code) {
        out.push(i);
        done.add(i.code);
      } else next.push(i);
    }
    if (next.length === pending.length) return out.concat(next); // a cycle: let checkParent report it
    pending = next;
  }
  return out;
}
