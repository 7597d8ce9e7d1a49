import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { SeedService } from '@duban/domain';

interface ImportOptions {
  dryRun?: boolean;
  partial?: boolean;
}

/** Updates the registry from a user's CSV and reports every rejected row. Exit code 2 when rows were rejected. */
@Command({ name: 'registry:import', arguments: '<file>', description: '从 CSV 更新单位注册表，逐行报告被拒绝的原因' })
export class RegistryImportCommand extends CommandRunner {
  constructor(private readonly seed: SeedService) {
    super();
  }

  async run([file]: string[], options: ImportOptions): Promise<void> {
    const report = await this.seed.importCsv(await readFile(file, 'utf8'), options);
    const verb = report.rolledBack ? '（未写入任何内容）' : '';
    console.log(`导入 ${file}${verb}：新增 ${report.created}，更新 ${report.updated}，未变 ${report.unchanged}，新增别名 ${report.aliasesAdded}，拒绝 ${report.rejected.length}`);
    for (const r of report.rejected) console.log(`  第 ${r.row} 行（${r.code ?? '?'}）：${r.reason}`);
    if (report.rejected.length > 0) process.exitCode = 2;
  }

  @Option({ flags: '--dry-run', description: '只检查，不写入' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--partial', description: '有被拒绝的行时仍写入其余有效行' })
  parsePartial(): boolean {
    return true;
  }
}
