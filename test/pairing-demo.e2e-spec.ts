import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbook } from 'exceljs';
import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { AccountsService, DocumentsService, FormsService, PairingsService, runPairingFormDemo } from '../libs/domain/src';
import { REPO_ROOT, startApi, type TestApi } from './support/test-app';

/** The function `npm run demo` calls: one city on time, one invalid then fixed and late, the roll-up written. */
describe('pairing form demo', () => {
  const clock = new ManualClock('2021-08-12T02:00:00Z');
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi('pairingdemo', { clock });
  });
  afterAll(async () => api.close());

  it('collects the form from 朔州 (on time) and 大同 (rejected, then late) and writes the roll-up', async () => {
    const documents = api.app.get(DocumentsService);
    let view = await documents.createDraft({ buffer: readFileSync(join(REPO_ROOT, 'libs/policy-parser/test/fixtures/004_24f8692a3fe2826a.txt')), filename: '004.txt' }, null);
    for (const m of view.measures.filter((x) => x.leads.length === 0)) view = await documents.updateMeasure(view.id, m.no, { version: m.version, leads: ['各市乡村振兴局'], leadMode: 'respective' });
    await documents.publish(view.id, null, { defaultDueOn: '2021-12-31' });
    const rollupFile = join(tmpdir(), `pairing-rollup-${process.pid}.xlsx`);
    const deps = { dataSource: api.app.get(DataSource), accounts: api.app.get(AccountsService), forms: api.app.get(FormsService), pairings: api.app.get(PairingsService), clock };
    const result = await runPairingFormDemo(deps, { documentId: view.id, dueOn: '2021-08-23', rollupFile });
    const log = result.log.join('\n');
    expect(log).toMatch(/朔州市按时报送/);
    expect(log).toMatch(/大同市报送被拒收，未保存：第 1 行「联系方式」：「137-0000」不是有效的电话号码/);
    expect(log).toMatch(/大同市改正后报送：逾期（2021-08-25）/);
    expect(result.missing).toHaveLength(9);
    const wb = new Workbook();
    await wb.xlsx.readFile(rollupFile);
    const ws = wb.worksheets[0];
    expect(ws.getCell(1, 1).text).toBe('全省市域内县际结对帮扶情况统计表');
    expect([4, 5, 6, 7].map((r) => `${ws.getCell(r, 1).text}${ws.getCell(r, 2).text}←${ws.getCell(r, 3).text}`)).toEqual(['大同市云州区←平城区', '大同市阳高县←平城区', '朔州市应县←朔城区', '朔州市右玉县←平鲁区']);
    const pairings = (await api.app.get(DataSource).query(`select count(*)::int as n from pairings`))[0].n;
    expect(pairings).toBe(4);
  });
});
