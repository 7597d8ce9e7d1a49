import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { Workbook } from 'exceljs';
import mammoth from 'mammoth';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { withDatabase } from '../libs/database/src/database-url';
import { runId, TEST_SERVER_URL } from './support/test-db';
import { clearQueues, REPO_ROOT, TEST_REDIS_URL } from './support/test-app';

// `npm run demo` as a user runs it (the built CLI), twice, against its own database and queue prefix.
const CLI = resolve(REPO_ROOT, 'dist/apps/cli/apps/cli/src/main.js');
const demoDb = `duban_t${runId()}_demo`;
const prefix = `t-demo-${runId()}`.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 40);
const outDir = mkdtempSync(join(tmpdir(), 'duban-demo-'));
const env = {
  ...process.env,
  DATABASE_URL: withDatabase(TEST_SERVER_URL, `duban_t${runId()}_democli`),
  DEMO_DATABASE_URL: withDatabase(TEST_SERVER_URL, demoDb),
  DEMO_QUEUE_PREFIX: prefix,
  DEMO_OUTPUT_DIR: outDir,
  REDIS_URL: TEST_REDIS_URL,
  LOG_LEVEL: 'error',
};

function demo(extraEnv: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [CLI, 'demo', '--port', '0'], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 170_000, cwd: REPO_ROOT });
  return { status: res.status, out: res.stdout, err: res.stderr };
}

async function query<T>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: withDatabase(TEST_SERVER_URL, demoDb) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('npm run demo', () => {
  afterAll(async () => {
    await clearQueues(prefix);
    const admin = new Client({ connectionString: withDatabase(TEST_SERVER_URL, 'postgres') });
    await admin.connect();
    for (const db of [demoDb, `duban_t${runId()}_democli`]) await admin.query(`drop database if exists "${db}" with (force)`);
    await admin.end();
  });

  it('plays the month through the API and exits 0, twice', async () => {
    const outputs: string[] = [];
    for (const round of [1, 2]) {
      const res = demo();
      if (res.status !== 0) throw new Error(`round ${round} exited ${res.status}\n${res.out}\n${res.err}`);
      outputs.push(res.out);
    }
    // The second run starts from a recreated database and tells the same story.
    const month = (out: string) => out.slice(out.indexOf('== 2/4'), out.indexOf('== 3/4'));
    expect(month(outputs[1])).toBe(month(outputs[0]));
    const out = outputs[1];
    for (const line of ['退回（请补充企业名单及申报进度）', '签收任务 3 个（逾期签收）', '督办解除', '确认办结', '批准省财政厅延期申请', '审签', '演示完成']) expect(out).toContain(line);

    // And as stored: what the month did, once each.
    const [facts] = await query<Record<string, string>>(`
      select (select count(*) from report_submissions where status = 'returned') as returned,
             (select count(*) from report_submissions where status = 'approved') as approved,
             (select count(*) from extension_requests where status = 'approved') as extensions,
             (select count(*) from tasks where status = 'closed' and origin = 'measure') as closed,
             (select count(*) from escalations where level = 3 and resolved_at is null) as level3,
             (select count(*) from escalations where obligation_type = 'accept' and resolved_at is not null) as resolvedAccept,
             (select count(*) from tasks where status = 'assigned' and origin = 'measure') as unaccepted`);
    expect(facts).toEqual(expect.objectContaining({ returned: '1', approved: '5', extensions: '1', closed: '1', unaccepted: '0' }));
    expect(Number(facts.level3)).toBeGreaterThan(0);
    expect(Number(facts.resolvedaccept)).toBeGreaterThan(0);

    // The pairing form: 大同's rejected upload stored nothing, its fixed one is late; 吕梁 was returned once.
    expect(out).toMatch(/datong\.officer +上传 Excel 统计表被拒收（HTTP 400，未保存任何内容）：.*「137-0000」不是有效的电话号码/);
    const forms = await query<{ city: string; revisions: string; late: boolean; status: string }>(`
      select u.short_name as city, count(*) as revisions, bool_or(s.late) as late, (array_agg(s.status order by s.revision desc))[1] as status
        from form_submissions s join units u on u.id = s.unit_id group by 1 order by 1`);
    const byCity = Object.fromEntries(forms.map((f) => [f.city, f]));
    expect(Object.keys(byCity)).toHaveLength(8);
    expect(byCity['大同市乡村振兴局']).toEqual(expect.objectContaining({ revisions: '1', late: true, status: 'accepted' }));
    expect(byCity['吕梁市乡村振兴局']).toEqual(expect.objectContaining({ revisions: '2', late: false, status: 'accepted' }));
    const book = new Workbook();
    await book.xlsx.readFile(join(outDir, '结对帮扶统计汇总表.xlsx'));
    const sheet = book.worksheets[0];
    expect(sheet.getCell(1, 1).text).toBe('全省市域内县际结对帮扶情况统计表');
    const [pairings] = await query<{ n: string }>(`select count(*) as n from pairings`);
    const dataRows: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 3 && row.getCell(2).text && row.getCell(3).text) dataRows.push(`${row.getCell(2).text}←${row.getCell(3).text}`);
    });
    expect(dataRows).toHaveLength(Number(pairings.n));
    expect(dataRows).toEqual(expect.arrayContaining(['应县←朔城区', '右玉县←平鲁区']));
    expect(out).toContain('关闭征集被拒（HTTP 409）');

    // The ledger and the bulletin, as downloaded from the API: one ledger row per task (measure, form and visit tasks alike), the bulletin names the missed reports.
    const ledger = new Workbook();
    await ledger.xlsx.readFile(join(outDir, '督办台账.xlsx'));
    const byOrigin = await query<{ origin: string; n: string }>(`select origin, count(*) as n from tasks group by origin`);
    const ledgerSheet = ledger.worksheets[0];
    expect(ledgerSheet.getRow(1).getCell(1).text).toMatch(/[\u4e00-\u9fa5]/);
    expect(ledgerSheet.actualRowCount - 1).toBe(byOrigin.reduce((a, r) => a + Number(r.n), 0));
    const originColumn = (ledgerSheet.getRow(1).values as unknown[]).indexOf('来源');
    const perOrigin: Record<string, number> = {};
    ledgerSheet.eachRow((row, n) => {
      if (n > 1) perOrigin[row.getCell(originColumn).text] = (perOrigin[row.getCell(originColumn).text] ?? 0) + 1;
    });
    const labels: Record<string, string> = { measure: '举措', form: '报表征集', visit: '结对互访' };
    expect(perOrigin).toEqual(Object.fromEntries(byOrigin.map((r) => [labels[r.origin], Number(r.n)])));
    const bulletin = (await mammoth.extractRawText({ path: join(outDir, '情况通报-2026-11.docx') })).value;
    expect(bulletin).toContain('政策落实情况通报（2026-11）');
    expect(bulletin).toContain('三级督办事项');
    expect(out).toMatch(/考核排名（前 5 名与末 3 名/);
  }, 600_000);

  it('says which store is missing and how to start it, and exits non-zero', () => {
    const res = demo({ REDIS_URL: 'redis://127.0.0.1:1', SERVICE_CONNECT_TIMEOUT_MS: '2000' });
    expect(res.status).not.toBe(0);
    expect(res.err).toContain('REDIS_URL');
    expect(res.err).toMatch(/docker compose up -d|redis-server/);
    expect(existsSync(outDir)).toBe(true);
  });
});
