import { resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CalendarService, missingCalendarNotice } from '@duban/calendar';
import { SeedService, UNIT_KIND_LABELS, UnitsRepository } from '@duban/domain';

interface SeedOptions {
  demo?: boolean;
  file?: string;
}

export const DEFAULT_REGISTRY_FILE = 'data/registry/units.json';

/** Loads the organization registry (idempotent) and, with --demo, the demo accounts. */
@Command({ name: 'seed', description: '导入单位注册表（可重复执行）；--demo 同时创建演示用户' })
export class SeedCommand extends CommandRunner {
  constructor(
    private readonly seed: SeedService,
    private readonly units: UnitsRepository,
    private readonly calendar: CalendarService,
  ) {
    super();
  }

  async run(_: string[], options: SeedOptions): Promise<void> {
    const file = resolve(options.file ?? DEFAULT_REGISTRY_FILE);
    const report = await this.seed.seedRegistry(file);
    console.log(`单位注册表（${file}）：新增 ${report.created}，更新 ${report.updated}，未变 ${report.unchanged}，新增别名 ${report.aliasesAdded}`);
    for (const row of await this.units.countByKind()) {
      const extra = row.kind === 'county' ? `（其中重点帮扶县 ${row.keyAssisted} 个）` : '';
      console.log(`  ${UNIT_KIND_LABELS[row.kind]}：${row.count}${extra}`);
    }
    const cal = await this.calendar.seedFromLibrary();
    const status = await this.calendar.status();
    console.log(`工作日历：已导入 ${status.coveredYears[0]}–${status.coveredYears.at(-1)} 年的节假日与调休（${cal.days} 天）`);
    const notice = missingCalendarNotice(status.missing);
    if (notice) console.warn(`⚠ ${notice}`);
    if (options.demo) {
      const demo = await this.seed.seedDemoUsers();
      console.log(`演示用户（密码均为 ${demo.password}，仅供演示）：`);
      for (const u of demo.users) console.log(`  ${u.username.padEnd(18)} ${u.roles.join(',').padEnd(24)} ${u.unit}  ${u.displayName}`);
    }
  }

  @Option({ flags: '--demo', description: '同时创建演示用户' })
  parseDemo(): boolean {
    return true;
  }

  @Option({ flags: '-f, --file <path>', description: `注册表文件（默认 ${DEFAULT_REGISTRY_FILE}）` })
  parseFile(value: string): string {
    return value;
  }
}
