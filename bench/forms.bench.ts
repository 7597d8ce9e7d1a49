/**
 * Form upload benchmark: the whole check of an .xlsx statistics form (zip-bomb guard, reading the
 * official layout, every cell checked against the pairing template with names resolved) against
 * the baseline of exceljs merely loading the same file, measured in the same run. Sizes: a city's
 * form (20 rows) and the largest allowed (FORM_MAX_ROWS, 2,000 rows). Prints figures only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import { checkForm, inferTemplate, inspectXlsx, readFormXlsx } from '../libs/domain/src';
import { normalizeUnitName } from '../libs/domain/src/organizations/unit-name';

interface RegistryUnit {
  code: string;
  name: string;
  shortName: string;
  kind: 'city_government' | 'county' | 'city_bureau' | 'provincial_bureau' | 'provincial_department' | 'provincial_body';
  parentCode: string | null;
  aliases: string[];
  keyAssisted: boolean;
}

const COLUMNS = ['市名', '重点帮扶县', '结对帮扶县', '具体负责人', '单位及职务', '联系方式', '备注'];
const spec = inferTemplate({ title: '全省市域内县际结对帮扶情况统计表', columns: COLUMNS, headerFields: [], footerFields: [] });
const units = (JSON.parse(readFileSync(join(process.cwd(), 'data/registry/units.json'), 'utf8')) as { units: RegistryUnit[] }).units;
const byName = new Map<string, RegistryUnit>();
for (const u of units) for (const n of [u.name, u.shortName, ...u.aliases]) byName.set(normalizeUnitName(n), u);
const toForm = (u: RegistryUnit) => ({ id: u.code, code: u.code, shortName: u.shortName, kind: u.kind, cityId: u.kind === 'city_government' ? u.code : u.parentCode, keyAssisted: u.keyAssisted });
const ctx = {
  resolve: (n: string, city?: string) => {
    const u = (city ? byName.get(normalizeUnitName(city + n)) : undefined) ?? byName.get(normalizeUnitName(n));
    return u ? toForm(u) : null;
  },
  submitterCityId: null,
  crossCityExceptions: new Set<string>(),
};

/** Rows cycling through every (key county, other county of its city) pair of the registry. */
function rows(n: number): string[][] {
  const pairs: string[][] = [];
  for (const city of units.filter((u) => u.kind === 'city_government')) {
    const counties = units.filter((u) => u.parentCode === city.code && u.kind === 'county');
    for (const k of counties.filter((c) => c.keyAssisted)) for (const h of counties.filter((c) => c !== k)) pairs.push([city.shortName, k.shortName, h.shortName, '王五', `${h.shortName}人民政府 副县长`, '13994996777', '']);
  }
  return Array.from({ length: n }, (_, i) => pairs[i % pairs.length]);
}

async function xlsx(data: string[][]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([spec.title]);
  ws.addRow(['填报单位：山西省乡村振兴局', '', '', '', '填报时间：2021-08-20']);
  ws.addRow(COLUMNS);
  for (const r of data) ws.addRow(r);
  ws.addRow([]);
  ws.addRow(['填表人：赵六', '', '', '', '联系方式：13994996777']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function median(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

async function main(): Promise<void> {
  const limits = { maxBytes: 5 << 20, maxInflatedBytes: 50 << 20, maxRatio: 200 };
  console.log('| rows | file | guard only | full check (guard + read + cells) | exceljs load alone (baseline) | ratio full/baseline | problems found |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [n, runs] of [
    [20, 30],
    [2000, 7],
  ] as const) {
    const file = await xlsx(rows(n));
    let problems = 0;
    const guard = await median(async () => inspectXlsx(file, limits), runs);
    const full = await median(async () => {
      if (inspectXlsx(file, limits)) throw new Error('rejected');
      const sheet = await readFormXlsx(spec, file, 2000);
      problems = checkForm(spec, sheet.header, sheet.rows, ctx).problems.length;
    }, runs);
    const base = await median(async () => new Workbook().xlsx.load(file as unknown as ArrayBuffer), runs);
    console.log(`| ${n} | ${(file.length / 1024).toFixed(1)} KB | ${guard.toFixed(1)} ms | ${full.toFixed(1)} ms | ${base.toFixed(1)} ms | ${(full / base).toFixed(2)}× | ${problems} |`);
  }
}

void main();
