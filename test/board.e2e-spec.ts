import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { REPO_ROOT, startApi, type TestApi } from './support/test-app';

/**
 * The status board (/board) in a real browser: Debian's headless Chromium driven by playwright-core.
 * A coordinator signs in through the page's form and sees the grid of lights, the overdue and
 * escalation lists, target progress and the ranking, in Chinese, with words beside the colours.
 */
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = resolve(REPO_ROOT, 'test/output');

describe('status board page', () => {
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  let api: TestApi;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-wqy-microhei`);
    api = await startApi('board', { clock, env: { BOARD_REFRESH_SECONDS: '5' } });
    const coordinator = await api.login('coordinator');
    const text = [
      '看板〔2026〕1号',
      '关于看板测试的通知',
      '一、任务',
      '（一）培育龙头企业。力争到2027年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上。（省农业农村厅牵头负责）',
      '（二）推进项目建设。（省财政厅牵头负责）',
    ].join('\n\n');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text } });
    await api.request('POST', `/api/v1/documents/${doc.body.id}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } });
    const db = api.app.get(DataSource);
    // （二） is overdue and escalated to level 3.
    const [t2] = await db.query(`select t.id from tasks t join measures m on m.id = t.measure_id where m.document_id = $1 and m.no = 2`, [doc.body.id]);
    await db.query(`update tasks set due_on = '2026-11-10' where id = $1`, [t2.id]);
    await db.query(
      `insert into escalations (obligation_type, obligation_id, task_id, level, due_on, overdue_working_days, raised_at) values ('task_due', $1, $1, 3, '2026-11-10', 9, now())`,
      [t2.id],
    );
    await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as { port: number }).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs a coordinator in and shows the grid, the lists, progress and the ranking', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
    await page.goto(`${base}/board`);
    await expectText(page.locator('h1'), '督办看板');
    await page.getByLabel('用户名').fill('coordinator');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: /.+/ }).waitFor();
    await page.getByLabel('密码').fill('Duban@2026');
    await page.getByRole('button', { name: '登录' }).click();

    const grid = page.locator('#grid table');
    await grid.waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('duban.board.token'))).toMatch(/^ey/);
    expect(await page.locator('#login').isVisible()).toBe(false);
    // The measures x lead units grid: a row per measure with its light in words, a column per lead unit.
    const header = await grid.locator('thead th').allTextContents();
    expect(header).toEqual(['举措', '举措状态', '省财政厅', '省农业农村厅']);
    const overdueRow = grid.locator('tbody tr', { hasText: '（二）' });
    await expectText(overdueRow.locator('th[scope="row"]'), '看板〔2026〕1号（二）');
    expect(await overdueRow.locator('td').allTextContents()).toEqual(['红 逾期或督办', '红 逾期或督办 逾期1项', '—']);
    const onTrack = grid.locator('tbody tr', { hasText: '（一）' });
    expect(await onTrack.locator('td').allTextContents()).toEqual(['绿 正常推进', '—', '绿 正常推进']);

    await expectText(page.locator('#figures'), '任务总数2');
    await expectText(page.locator('#overdue tbody tr'), '推进项目建设');
    await expectText(page.locator('#escalations tbody tr'), '3级');
    const progress = page.locator('#targets progress');
    expect(await progress.getAttribute('aria-label')).toContain('完成度');
    expect(await progress.getAttribute('value')).toBe('0');
    const ranking = await page.locator('#ranking tbody tr td:nth-child(2)').allTextContents();
    expect(ranking.sort()).toEqual(['省农业农村厅', '省财政厅']);

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: resolve(OUTPUT, 'board.png'), fullPage: true });
  }, 60_000);

  it('updates itself: a change shows up on the next poll without a reload', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/board`);
    await page.getByLabel('用户名').fill('coordinator');
    await page.getByLabel('密码').fill('Duban@2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#grid table').waitFor();
    await expectText(page.locator('#figures'), '红 逾期或督办1');
    // （一） falls overdue: the next poll (every 5 s here) turns it red.
    await api.app.get(DataSource).query(`update tasks set due_on = '2026-11-20' where title like '（一）%'`);
    await page.locator('#figures', { hasText: '红 逾期或督办2' }).waitFor({ timeout: 15_000 });
  }, 60_000);

  it('shows a unit officer their own tasks and no ranking', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/board`);
    await page.getByLabel('用户名').fill('nynct.officer');
    await page.getByLabel('密码').fill('Duban@2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#grid table').waitFor();
    expect(await page.locator('#grid thead th').allTextContents()).toEqual(['举措', '举措状态', '省农业农村厅']);
    await expectText(page.locator('#ranking'), '考核排名仅对省局可见');
  }, 60_000);
});

async function expectText(locator: import('playwright-core').Locator, text: string): Promise<void> {
  await locator.first().waitFor();
  expect((await locator.first().textContent())?.replace(/\s+/g, '')).toContain(text.replace(/\s+/g, ''));
}
