import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SeedService } from '../libs/domain/src';
import { REGISTRY_FILE, REPO_ROOT, startApi, type TestApi } from './support/test-app';

const csvHeaders = { 'content-type': 'text/csv' };

// Lead departments and the cc list of 晋乡振发〔2022〕11号, as printed (line breaks joined).
const SEED_000_NAMES = [
  '省财政厅', '省地方金融监管局', '中国人民银行太原中心支行', '省发展改革委', '省教育厅', '省卫健委', '省人社厅', '省医保局',
  '省住建厅', '省水利厅', '省乡村振兴局', '省农业农村厅', '省商务厅', '省科技厅', '省文旅厅', '省林草局', '省能源局',
  '国网山西省电力公司', '省交通厅', '省通信管理局', '省工信厅', '省应急厅', '省邮政管理局', '省民政厅', '省残联',
  '省委组织部', '省国资委', '省工商联', '省自然资源厅',
];
const SEED_COUNTIES = ['应县', '盂县', '黎城县', '绛县', '云州区', '右玉县', '繁峙县', '河曲县', '朔州市应县'];

describe('organization registry', () => {
  let api: TestApi;
  let coordinator: string;

  beforeAll(async () => {
    api = await startApi('registry');
    coordinator = await api.login('coordinator');
  });
  afterAll(async () => api.close());

  it('ships the 11 cities with their bureaus and every county under a city', async () => {
    const cities = await api.request('GET', '/api/v1/units?kind=city_government&limit=100', { token: coordinator });
    const bureaus = await api.request('GET', '/api/v1/units?kind=city_bureau&limit=100', { token: coordinator });
    expect(cities.body.total).toBe(11);
    expect(bureaus.body.total).toBe(11);
    const cityIds = new Set(cities.body.items.map((c: { id: string }) => c.id));
    expect(bureaus.body.items.every((b: { parentId: string }) => cityIds.has(b.parentId))).toBe(true);
    const counties = await api.request('GET', '/api/v1/units?kind=county&limit=500', { token: coordinator });
    expect(counties.body.total).toBe(117);
    expect(counties.body.items.every((c: { parentId: string }) => cityIds.has(c.parentId))).toBe(true);
  });

  it('flags only sourced key assisted counties, each with its sources', async () => {
    const key = await api.request('GET', '/api/v1/units?kind=county&keyAssisted=true&limit=500', { token: coordinator });
    expect(key.body.total).toBeGreaterThanOrEqual(40);
    expect(key.body.total).toBeLessThanOrEqual(46);
    for (const county of key.body.items) expect(county.sources.length).toBeGreaterThan(0);
  });

  it('resolves every lead department, cc unit and county named in the reference documents to one unit', async () => {
    const res = await api.request('POST', '/api/v1/units/resolve', { token: coordinator, body: { names: [...SEED_000_NAMES, ...SEED_COUNTIES, '省地 方金融监管局', '某某局'] } });
    expect(res.status).toBe(200);
    const unresolved = res.body.filter((r: { unit: unknown }) => r.unit === null).map((r: { name: string }) => r.name);
    expect(unresolved).toEqual(['某某局']);
    const byName = new Map(res.body.map((r: { name: string; unit: { name: string } }) => [r.name, r.unit]));
    expect((byName.get('省地方金融监管局') as { name: string }).name).toBe((byName.get('省地 方金融监管局') as { name: string }).name);
    expect((byName.get('朔州市应县') as { keyAssisted: boolean }).keyAssisted).toBe(true);
  });

  it('seeding again changes nothing', async () => {
    const report = await api.app.get(SeedService).seedRegistry(REGISTRY_FILE);
    expect(report).toEqual(expect.objectContaining({ created: 0, updated: 0, aliasesAdded: 0, rejected: [] }));
    expect(report.unchanged).toBeGreaterThan(190);
  });

  it('shows a unit with all its names', async () => {
    const list = await api.request('GET', '/api/v1/units?q=应县', { token: coordinator });
    const ying = list.body.items.find((u: { shortName: string }) => u.shortName === '应县');
    const detail = await api.request('GET', `/api/v1/units/${ying.code}`, { token: coordinator });
    expect(detail.body.aliases).toEqual(expect.arrayContaining(['应县', '应县人民政府']));
    expect((await api.request('GET', '/api/v1/units/no.such', { token: coordinator })).body.code).toBe('UNIT_NOT_FOUND');
  });

  it('imports a user CSV, reporting every rejected row with its line and reason, writing nothing by default', async () => {
    const admin = await api.login('admin');
    const before = await api.request('GET', '/api/v1/units?kind=county&keyAssisted=true&limit=500', { token: admin });
    const notKey = (await api.request('GET', '/api/v1/units?kind=county&keyAssisted=false&q=平遥', { token: admin })).body.items[0];
    const csv = [
      'code,name,shortName,kind,parentCode,aliases,keyAssisted',
      `${notKey.code},${notKey.name},${notKey.shortName},county,${notKey.code.replace('county.', 'city.').slice(0, 9)}00,,是`, // 2: valid
      'dept.x,山西省测试厅,省测试厅,provincial_department,,测试厅,否', // 3: valid new unit
      'dept.y,山西省别的厅,省别的厅,ministry,,,', // 4: bad kind
      'county.999999,某县人民政府,某县,county,city.999900,,', // 5: parent missing
      'dept.z,山西省重名厅,省财政厅,provincial_department,,,', // 6: name held by another unit
      'dept.w,山西省布尔厅,省布尔厅,provincial_department,,,maybe', // 7: bad boolean
      'dept.x,山西省测试厅二,省测试厅二,provincial_department,,,', // 8: duplicate code
      'dept.v,山西省上级厅,省上级厅,provincial_department,prov.czt,,true', // 9: key assisted non-county; department with parent
    ].join('\n');
    const strict = await api.request('POST', '/api/v1/units/import', { token: admin, body: csv, headers: csvHeaders });
    expect(strict.status).toBe(200);
    expect(strict.body.rolledBack).toBe(true);
    expect(strict.body.rejected.map((r: { row: number }) => r.row)).toEqual([4, 5, 6, 7, 8, 9]);
    const reasons = Object.fromEntries(strict.body.rejected.map((r: { row: number; reason: string }) => [r.row, r.reason]));
    expect(reasons[4]).toContain('kind');
    expect(reasons[5]).toContain('parentCode');
    expect(reasons[6]).toContain('省财政厅');
    expect(reasons[7]).toContain('keyAssisted');
    expect(reasons[8]).toContain('重复');
    expect(reasons[9]).toContain('重点帮扶县');
    const unchanged = await api.request('GET', '/api/v1/units?kind=county&keyAssisted=true&limit=500', { token: admin });
    expect(unchanged.body.total).toBe(before.body.total);
    expect((await api.request('GET', '/api/v1/units/dept.x', { token: admin })).status).toBe(404);

    const partial = await api.request('POST', '/api/v1/units/import?partial=true', { token: admin, body: csv, headers: csvHeaders });
    expect(partial.body).toEqual(expect.objectContaining({ created: 1, updated: 1, rolledBack: false }));
    const after = await api.request('GET', '/api/v1/units?kind=county&keyAssisted=true&limit=500', { token: admin });
    expect(after.body.total).toBe(before.body.total + 1);
    const resolved = await api.request('POST', '/api/v1/units/resolve', { token: admin, body: { names: ['测试厅'] } });
    expect(resolved.body[0].unit.code).toBe('dept.x');
  });

  it('rejects a CSV with unknown columns as a whole, and a body that is not CSV', async () => {
    const admin = await api.login('admin');
    const bad = await api.request('POST', '/api/v1/units/import', { token: admin, body: 'code,name,kind,colour\n', headers: csvHeaders });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('REGISTRY_CSV_BAD_HEADER');
    expect(bad.body.message).toContain('colour');
    const json = await api.request('POST', '/api/v1/units/import', { token: admin, body: { code: 'x' } });
    expect(json.status).toBe(400);
    expect(json.body.code).toBe('REGISTRY_CSV_REQUIRED');
  });

  it('the example CSV shipped with the registry imports cleanly', async () => {
    const text = readFileSync(resolve(REPO_ROOT, 'data/registry/key-counties-example.csv'), 'utf8');
    const res = await api.request('POST', '/api/v1/units/import?dryRun=true', { token: await api.login('admin'), body: text, headers: csvHeaders });
    expect(res.body.rejected).toEqual([]);
  });
});
