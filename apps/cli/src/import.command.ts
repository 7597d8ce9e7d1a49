import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DocumentsService, type DocumentView } from '@duban/domain';

interface ImportOptions {
  publish?: boolean;
  defaultDueOn?: string;
}

/** `import FILE [--publish]`: what POST /documents (and /publish) do, from the command line. */
@Command({ name: 'import', arguments: '<file>', description: '导入政策文件为草稿；--publish 同时发布任务' })
export class ImportCommand extends CommandRunner {
  constructor(private readonly documents: DocumentsService) {
    super();
  }

  async run([file]: string[], options: ImportOptions): Promise<void> {
    const view = await this.documents.createDraft({ buffer: await readFile(file), filename: basename(file) }, null);
    printDraft(view);
    if (!options.publish) return;
    const result = await this.documents.publish(view.id, null, { defaultDueOn: options.defaultDueOn });
    console.log(`已发布：新建任务 ${result.created} 个，已存在 ${result.existing} 个`);
    for (const w of result.warnings) console.log(`提示：${w}`);
  }

  @Option({ flags: '--publish', description: '导入后立即发布任务' })
  parsePublish(): boolean {
    return true;
  }

  @Option({ flags: '--default-due-on <YYYY-MM-DD>', description: '没有完成时限的举措使用的默认时限' })
  parseDefaultDueOn(value: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error('--default-due-on 必须是 YYYY-MM-DD');
    return value;
  }
}

function printDraft(view: DocumentView): void {
  console.log(`已导入草稿 ${view.id}：${view.docNumber ?? '（无文号）'} ${view.title ?? ''}`);
  console.log(`  ${view.measures.length} 条举措；未解析的单位名称：${view.unresolvedNames.join('、') || '无'}`);
  for (const p of view.problems) console.log(`  待处理：${p}`);
}
