import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { extractText, parseDocumentStrict, type ParsedDocument } from '@duban/policy-parser';

interface ParseOptions {
  json?: boolean;
  referenceDate?: string;
}

/**
 * `parse FILE [--json]`: a stable command for scripts. With --json, stdout is exactly one JSON
 * object (the ParsedDocument); errors go to stderr with a non-zero exit code. Needs no database.
 */
@Command({ name: 'parse', arguments: '<file>', description: '解析政策文件（.txt/.docx/.pdf），输出措施、牵头单位、目标与时限' })
export class ParseCommand extends CommandRunner {
  async run([file]: string[], options: ParseOptions): Promise<void> {
    const text = await extractText(await readFile(file), basename(file));
    const doc = parseDocumentStrict(text, { referenceDate: options.referenceDate });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(doc)}\n`);
      return;
    }
    printSummary(doc);
  }

  @Option({ flags: '--json', description: '输出一个 JSON 对象（供脚本使用）' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--reference-date <YYYY-MM-DD>', description: '文件未写日期时，用于推算“8月23日前”等日期的年份' })
  parseReferenceDate(value: string): string {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error('--reference-date 必须是 YYYY-MM-DD');
    return value;
  }
}

function printSummary(doc: ParsedDocument): void {
  console.log(`${doc.docNumber ?? '（无文号）'}  ${doc.title ?? '（无标题）'}`);
  console.log(`发文：${doc.issuer ?? '-'}  日期：${doc.issuedOn ?? '-'}  主送：${doc.addressees.join('、') || '-'}`);
  console.log(`${doc.sections.length} 个部分，${doc.measures.length} 条措施`);
  for (const m of doc.measures) {
    const mode = m.leadMode === 'respective' ? '分别牵头' : m.leadMode === 'joint' ? '共同牵头' : m.leadMode === 'single' ? '牵头' : '无牵头单位';
    console.log(`  ${m.label} ${m.title}  [${mode}] ${m.leads.join('、')}${m.cooperating.length ? `；配合：${m.cooperating.join('、')}` : ''}`);
  }
  for (const f of doc.forms) console.log(`表格：${f.title}（${f.columns.join('、')}）`);
  for (const r of doc.requests) console.log(`要求：${r.text}${r.date ? `（${r.date}）` : ''}`);
  for (const w of doc.warnings) console.log(`提示：${w}`);
}
