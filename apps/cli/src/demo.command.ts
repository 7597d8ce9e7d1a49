import { Command, CommandRunner } from 'nest-commander';
import { MigrateCommand } from './migrate.command';
import { SeedCommand } from './seed.command';

/**
 * `npm run demo`. What exists today: migrate, seed the registry and the demo users, and show them.
 * The month of officer work (import, publish, report, escalate) is added as those parts land;
 * until then this says so instead of pretending.
 */
@Command({ name: 'demo', description: '演示：迁移、导入注册表与演示用户，并展示结果' })
export class DemoCommand extends CommandRunner {
  constructor(
    private readonly migrate: MigrateCommand,
    private readonly seed: SeedCommand,
  ) {
    super();
  }

  async run(): Promise<void> {
    console.log('== 1/2 数据库迁移');
    await this.migrate.run([], {});
    console.log('== 2/2 单位注册表与演示用户');
    await this.seed.run([], { demo: true });
    console.log('\n尚未实现（见 issues）：文件导入与任务发布、报送审核、提醒与督办、统计看板、结对帮扶统计表。');
    console.log('启动服务：npm start（API 与 worker），然后访问 http://127.0.0.1:3000/api/docs');
  }
}
