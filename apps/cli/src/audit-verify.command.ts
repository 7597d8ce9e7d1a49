import { Command, CommandRunner } from 'nest-commander';
import { AuditService } from '@duban/domain';

/** `audit:verify`: recomputes the audit log's hash chain; exit code 3 when it is broken. */
@Command({ name: 'audit:verify', description: '校验审计日志哈希链，发现篡改、删除或插入' })
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async run(): Promise<void> {
    const result = await this.audit.verify();
    if (result.ok) {
      console.log(`审计日志完整：已校验 ${result.checked} 条记录`);
      return;
    }
    console.error(`审计日志被破坏：第 ${result.brokenAt} 条记录（之前 ${result.checked} 条完好）— ${result.reason}`);
    process.exitCode = 3;
  }
}
