import { readFile } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../common/domain.errors';
import { AccountsService } from '../accounts/accounts.service';
import { DEMO_PASSWORD, DEMO_USERS } from '../accounts/demo-users';
import { parseRegistryCsv } from './registry-csv';
import { parseRegistryJson } from './registry-input';
import { RegistryService, type RegistryApplyReport } from './registry.service';
import { UnitsRepository } from './units.repository';

export interface DemoUserReport {
  username: string;
  displayName: string;
  unit: string;
  roles: string[];
  created: boolean;
}

/** Loads the shipped registry file and the demo accounts; both idempotent. */
@Injectable()
export class SeedService {
  constructor(
    private readonly registry: RegistryService,
    private readonly units: UnitsRepository,
    private readonly accounts: AccountsService,
  ) {}

  /** Seeds the registry from a JSON file; all or nothing. */
  async seedRegistry(file: string): Promise<RegistryApplyReport> {
    const { inputs, rejected } = parseRegistryJson(await readFile(file, 'utf8'));
    const report = await this.registry.apply(inputs, rejected, { origin: 'registry' });
    if (report.rolledBack) {
      throw new ValidationFailedError(
        `注册表文件 ${file} 有 ${report.rejected.length} 行无效，未写入任何内容：\n` +
          report.rejected.map((r) => `  第 ${r.row} 条（${r.code ?? '?'}）：${r.reason}`).join('\n'),
        undefined,
        'REGISTRY_FILE_INVALID',
      );
    }
    return report;
  }

  /** Imports a user's CSV (see REGISTRY_CSV_COLUMNS). */
  async importCsv(text: string, options: { partial?: boolean; dryRun?: boolean } = {}): Promise<RegistryApplyReport> {
    const { inputs, rejected } = parseRegistryCsv(text);
    return this.registry.apply(inputs, rejected, { origin: 'import', ...options });
  }

  async seedDemoUsers(): Promise<{ password: string; users: DemoUserReport[] }> {
    const units = await this.units.resolve(DEMO_USERS.map((u) => u.unitName));
    const missing = DEMO_USERS.filter((u) => !units.get(u.unitName)).map((u) => u.unitName);
    if (missing.length) {
      throw new ValidationFailedError(`演示用户所属单位不在注册表中：${missing.join('、')}（请先运行 seed）`, undefined, 'DEMO_UNITS_MISSING');
    }
    const users: DemoUserReport[] = [];
    for (const demo of DEMO_USERS) {
      const unit = units.get(demo.unitName);
      if (!unit) continue; // checked above
      const { created } = await this.accounts.upsertUser({
        username: demo.username,
        displayName: demo.displayName,
        password: DEMO_PASSWORD,
        unitId: unit.id,
        roles: demo.roles,
      });
      users.push({ username: demo.username, displayName: demo.displayName, unit: unit.name, roles: demo.roles, created });
    }
    return { password: DEMO_PASSWORD, users };
  }
}
