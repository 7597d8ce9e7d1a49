/**
 * Parse-time benchmark for @duban/policy-parser: prints median and p95 of `parseDocument` on each
 * seed and on a ~1 MB synthetic document, next to two baselines measured in the same run
 * (`cleanText` alone, and one plain regex scan over the same text) so the ratios stay meaningful
 * on a busy machine. Targets: seeds < 20 ms, 1 MB < 500 ms. Prints figures only; asserts nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanText, parseDocument, toChineseNumeral } from '../libs/policy-parser/src';

// Found from the source tree or from the repo root, so the script also runs compiled under dist/.
const FIXTURES =
  [join(__dirname, '..', 'libs', 'policy-parser', 'test', 'fixtures'), join(process.cwd(), 'libs', 'policy-parser', 'test', 'fixtures')].find((d) =>
    existsSync(join(d, '000_a562abd291d0ca74.txt')),
  ) ?? join(process.cwd(), 'libs', 'policy-parser', 'test', 'fixtures');

interface Stats {
  median: number;
  p95: number;
}

function measure(fn: () => unknown, runs: number, warmup: number): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p95: times[Math.min(runs - 1, Math.ceil(runs * 0.95) - 1)] };
}

/** Repeats seed 000's measures, renumbered and with rotated lead clauses, until the text reaches `bytes`. */
function syntheticDocument(seed: string, bytes: number): string {
  const measures = cleanText(seed)
    .split('\n')
    .filter((l) => l.startsWith('（') && /负责）$/.test(l))
    .map((l) => l.replace(/^（[一二三四五六七八九十百]+）/, ''));
  const clauses = ['（省财政厅牵头负责）', '（省发展改革委、省财政厅分别牵头负责）', '（省人社厅、省乡村振兴局牵头负责）', '（省教育厅会同省财政厅负责）'];
  const out: string[] = ['晋乡振发〔2022〕99号', '关于印发《合成测试政策措施》的通知', '各市、县（区）人民政府：'];
  let size = 0;
  let n = 0;
  for (let section = 1; size < bytes; section++) {
    out.push(`${toChineseNumeral(section)}、第${section}部分措施`);
    for (let k = 0; k < 20 && size < bytes; k++) {
      const body = measures[n % measures.length].replace(/（[^（）]*负责）$/, clauses[n % clauses.length]).replace(/\d+/, String(n % 97));
      n++;
      // PDF-like wrapping every 27 characters, with a page marker now and then.
      const wrapped = (`（${toChineseNumeral(n)}）${body}`.match(/.{1,27}/gu) ?? []).join('\n\n');
      out.push(n % 7 === 0 ? `${wrapped}\n\n— ${n} —\n\n` : wrapped);
      size += Buffer.byteLength(wrapped);
    }
  }
  out.push('山西省乡村振兴局 2022 年 2 月 8 日印发');
  return out.join('\n\n');
}

function row(name: string, s: Stats, base: Stats): string {
  const f = (x: number): string => x.toFixed(2).padStart(9);
  return `${name.padEnd(30)}${f(s.median)}${f(s.p95)}${(s.median / base.median).toFixed(1).padStart(9)}x`;
}

function main(): void {
  const seed000 = readFileSync(join(FIXTURES, '000_a562abd291d0ca74.txt'), 'utf8');
  const seed004 = readFileSync(join(FIXTURES, '004_24f8692a3fe2826a.txt'), 'utf8');
  const big = syntheticDocument(seed000, 1024 * 1024);
  const docs: [string, string, number][] = [
    ['seed 000', seed000, 50],
    ['seed 004', seed004, 50],
    [`synthetic ${(Buffer.byteLength(big) / 1024 / 1024).toFixed(2)} MB`, big, 20],
  ];
  console.log(`node ${process.version}; times in ms (median, p95 over N runs after warm-up)`);
  console.log(`${'document / step'.padEnd(30)}${'median'.padStart(9)}${'p95'.padStart(9)}${'vs scan'.padStart(10)}`);
  for (const [name, text, runs] of docs) {
    const warmup = Math.max(3, Math.floor(runs / 5));
    const scan = measure(() => text.match(/（[^（）\n]{1,80}负责）/g)?.length ?? 0, runs, warmup);
    const clean = measure(() => cleanText(text), runs, warmup);
    const parse = measure(() => parseDocument(text), runs, warmup);
    const measures = parseDocument(text).measures.length;
    console.log(`-- ${name}: ${text.length} chars, ${measures} measures, N=${runs}`);
    console.log(row('  regex scan (baseline)', scan, scan));
    console.log(row('  cleanText', clean, scan));
    console.log(row('  parseDocument', parse, scan));
  }
}

main();
