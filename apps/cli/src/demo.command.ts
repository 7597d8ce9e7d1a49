import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Command, CommandRunner } from 'nest-commander';
import { DocumentsService, type DocumentView } from '@duban/domain';
import { parseDocument } from '@duban/policy-parser';
import { MigrateCommand } from './migrate.command';
import { SeedCommand } from './seed.command';

const SEEDS = resolve('libs/policy-parser/test/fixtures');
const DEMO_DUE_ON = '2026-12-31';

/**
 * `npm run demo`. What exists today: migrate, seed the registry and the demo users, import and
 * publish both reference documents, and print what was created. The month of officer work
 * (reports, reviews, reminders, escalation) is added as those parts land; until then this says so.
 * Running it again reuses what the first run created.
 */
@Command({ name: 'demo', description: '演示：迁移、注册表与演示用户、导入并发布两份参考文件' })
export class DemoCommand extends CommandRunner {
  constructor(
    private readonly migrate: MigrateCommand,
    private readonly seed: SeedCommand,
    private readonly documents: DocumentsService,
  ) {
    super();
  }

  async run(): Promise<void> {
    console.log('== 1/4 数据库迁移');
    await this.migrate.run([], {});
    console.log('\n== 2/4 单位注册表与演示用户');
    await this.seed.run([], { demo: true });
    console.log('\n== 3/4 导入并发布 晋乡振发〔2022〕11号（31 条举措）');
    const policy = await this.importOnce(resolve(SEEDS, '000_a562abd291d0ca74.txt'));
    await this.publish(policy);
    console.log('\n== 4/4 导入并发布 晋乡振发〔2021〕29号（县际结对帮扶，主送各市乡村振兴局）');
    const pairing = await this.importOnce(resolve(SEEDS, '004_24f8692a3fe2826a.txt'));
    // The notice names no lead clauses; it is addressed to every city bureau, so each task item goes to all 11.
    let view = pairing;
    if (view.status === 'draft') {
      for (const m of view.measures.filter((x) => x.leads.length === 0)) {
        view = await this.documents.updateMeasure(view.id, m.no, { version: m.version, leads: ['各市乡村振兴局'], leadMode: 'respective' });
      }
    }
    await this.publish(view);
    this.printTable(await this.documents.view(policy.id));
    console.log('\n演示尚未包含（见 issues 5-8）：通过 HTTP 模拟一个月的签收、报送、审核（接口已实现），提醒与督办，统计看板与导出，结对帮扶统计表收集。');
    console.log('启动服务：npm start，然后访问 http://127.0.0.1:3000/api/docs（演示用户密码 Duban@2026）');
  }

  private async importOnce(file: string): Promise<DocumentView> {
    const text = await readFile(file);
    const docNumber = parseDocument(text.toString('utf8')).docNumber;
    const existing = docNumber ? await this.documents.findIdByDocNumber(docNumber) : null;
    if (existing) {
      console.log(`已导入过（${docNumber}），沿用草稿/发布记录 ${existing}`);
      return this.documents.view(existing);
    }
    const view = await this.documents.createDraft({ buffer: text, filename: basename(file) }, null);
    console.log(`导入：${view.docNumber} ${view.measures.length} 条举措，${view.sections.length} 个部分；未解析名称：${view.unresolvedNames.join('、') || '无'}`);
    return view;
  }

  private async publish(view: DocumentView): Promise<void> {
    const result = await this.documents.publish(view.id, null, { defaultDueOn: DEMO_DUE_ON });
    console.log(`发布：新建任务 ${result.created} 个，已存在 ${result.existing} 个（无时限的举措默认 ${DEMO_DUE_ON} 前完成）`);
  }

  private printTable(view: DocumentView): void {
    console.log(`\n${view.docNumber} 举措与牵头单位（共 ${view.taskCount} 个任务）`);
    for (const m of view.measures) {
      const mode = m.leadMode === 'respective' ? '分别' : m.leadMode === 'joint' ? '共同' : '单独';
      console.log(`  ${m.label.padEnd(6, '　')}${m.title.padEnd(14, '　')} ${mode}  ${m.leads.map((l) => l.unit?.shortName ?? l.printedName).join('、')}`);
    }
  }
}
