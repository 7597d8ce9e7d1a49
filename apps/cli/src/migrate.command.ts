import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@duban/config';

interface MigrateOptions {
  revert?: boolean;
  all?: boolean;
  status?: boolean;
}

/** Runs migrations up (default), reverts the last one (--revert) or all (--revert --all), or lists them. */
@Command({ name: 'migrate', description: '执行数据库迁移（数据库不存在时自动创建）' })
export class MigrateCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async run(_: string[], options: MigrateOptions): Promise<void> {
    const db = new URL(this.config.database.url).pathname.slice(1);
    if (options.status) {
      const pending = await this.dataSource.showMigrations();
      const done = await this.dataSource.query<{ name: string }[]>(`select name from schema_migrations order by id`).catch(() => []);
      console.log(`数据库 ${db}：已执行 ${done.length} 个迁移${pending ? '，有待执行的迁移' : '，已是最新'}`);
      done.forEach((m) => console.log(`  ✔ ${m.name}`));
      return;
    }
    if (options.revert) {
      let count = 0;
      do {
        const before: { n: string }[] = await this.dataSource.query(`select count(*) as n from schema_migrations`);
        if (Number(before[0].n) === 0) break;
        await this.dataSource.undoLastMigration({ transaction: 'each' });
        count++;
      } while (options.all);
      console.log(`数据库 ${db}：已回滚 ${count} 个迁移`);
      return;
    }
    const ran = await this.dataSource.runMigrations({ transaction: 'each' });
    console.log(`数据库 ${db}：执行了 ${ran.length} 个迁移${ran.length ? '：' + ran.map((m) => m.name).join('、') : '（已是最新）'}`);
  }

  @Option({ flags: '--revert', description: '回滚最近一个迁移' })
  parseRevert(): boolean {
    return true;
  }

  @Option({ flags: '--all', description: '与 --revert 一起使用：回滚全部迁移' })
  parseAll(): boolean {
    return true;
  }

  @Option({ flags: '--status', description: '列出已执行的迁移' })
  parseStatus(): boolean {
    return true;
  }
}
