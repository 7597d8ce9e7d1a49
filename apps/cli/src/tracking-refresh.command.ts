import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { TrackingRefreshService } from '@duban/domain';

/**
 * `tracking:refresh`: brings the tracking read model up to date now (decision 51), e.g. after a
 * bulk load; `--rebuild` recomputes everything from the base tables. The worker does the same
 * every TRACKING_REFRESH_SECONDS; summaries are exact either way, only faster once folded.
 */
@Command({
  name: 'tracking:refresh',
  description: '立即更新督办统计读模型（--rebuild 全部重算）',
})
export class TrackingRefreshCommand extends CommandRunner {
  constructor(
    private readonly refresher: TrackingRefreshService,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  @Option({
    flags: '--rebuild',
    description: '全部重算（批量导入数据或调整日历之后）',
  })
  parseRebuild(): boolean {
    return true;
  }

  async run(_args: string[], options: { rebuild?: boolean }): Promise<void> {
    const t0 = Date.now();
    if (options.rebuild) await this.dataSource.query(`update tracking_state set needs_rebuild = true`);
    const out = await this.refresher.refresh();
    if (out.busy) {
      console.error('另一个进程正在更新统计读模型，请稍后再试');
      process.exitCode = 2;
      return;
    }
    console.log(`统计读模型已更新：${out.rebuilt ? '全部重算，' : ''}合并 ${out.folded} 项任务变更，用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
  }
}
