/**
 * The cache of tracking answers (decision 55): an answer is served again only while nothing it
 * reads has changed. Each case makes one kind of change (a task write waiting to be folded, the
 * fold itself, a renamed measure, the clock, another scope, a rebuild) and checks that the next
 * answer is computed afresh and shows the change, and that an unchanged answer is served as it was.
 */
import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { ManualClock } from '../libs/calendar/src';
import { encodeAnswer, TrackingAnswerCache, TrackingRefreshService } from '../libs/domain/src';
import { startApi, type TestApi } from './support/test-app';

describe('the cache of tracking answers', () => {
  const clock = new ManualClock('2026-11-23T02:00:00Z');
  let api: TestApi;
  let db: DataSource;
  let coordinator: string;
  let docId: string;
  let task2: string;

  const get = async (url: string, token = coordinator): Promise<{ cache: string; body: any }> => {
    const res = await api.request('GET', url, { token });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    return { cache: String(res.headers['x-tracking-cache']), body: res.body };
  };
  const refresh = (): Promise<unknown> => api.app.get(TrackingRefreshService).refresh();

  beforeAll(async () => {
    api = await startApi('tracking-cache', { clock });
    db = api.app.get(DataSource);
    coordinator = await api.login('coordinator');
    const text = [
      '缓存〔2026〕1号',
      '关于缓存测试的通知',
      '一、任务',
      '（一）培育龙头企业。力争到2027年重点帮扶县国家级龙头企业数量由现在的5家增长到8家以上。（省农业农村厅牵头负责）',
      '（二）推进项目建设。（省财政厅牵头负责）',
    ].join('\n\n');
    const doc = await api.request('POST', '/api/v1/documents', { token: coordinator, body: { text } });
    docId = doc.body.id;
    expect((await api.request('POST', `/api/v1/documents/${docId}/publish`, { token: coordinator, body: { defaultDueOn: '2026-12-31' } })).status).toBe(200);
    [{ id: task2 }] = await db.query(`select t.id from tasks t join measures m on m.id = t.measure_id where m.document_id = $1 and m.no = 2`, [docId]);
    await refresh();
  }, 60_000);
  afterAll(async () => api?.close());

  it('serves an unchanged answer again, the same bytes, for each cached route', async () => {
    for (const url of ['/api/v1/tracking/summaries/measure', `/api/v1/tracking/grid?documentId=${docId}`, '/api/v1/tracking/targets', '/api/v1/tracking/rankings']) {
      const first = await get(url);
      const again = await get(url);
      expect([first.cache, again.cache]).toEqual(['miss', 'hit']);
      expect(again.body).toEqual(first.body);
    }
    // Query strings that differ are different answers.
    expect((await get(`/api/v1/tracking/summaries/unit?documentId=${docId}`)).cache).toBe('miss');
    expect((await get('/api/v1/tracking/summaries/unit')).cache).toBe('miss');
  });

  it('computes afresh after a task write, before and after the worker folds it', async () => {
    const before = await get('/api/v1/tracking/summaries/all');
    expect(before.body.rows[0].overdueTasks).toBe(0);
    await db.query(`update tasks set due_on = '2026-11-10' where id = $1`, [task2]);
    const written = await get('/api/v1/tracking/summaries/all');
    expect(written.cache).toBe('miss');
    expect(written.body.rows[0].overdueTasks).toBe(1);
    expect((await get('/api/v1/tracking/summaries/all')).cache).toBe('hit');
    await refresh();
    const folded = await get('/api/v1/tracking/summaries/all');
    expect(folded.cache).toBe('miss');
    expect(folded.body).toEqual(written.body);
    // A refresh that finds nothing to fold changes nothing: still cached.
    await refresh();
    expect((await get('/api/v1/tracking/summaries/all')).cache).toBe('hit');
  });

  it('shows a renamed measure at once', async () => {
    const before = await get('/api/v1/tracking/summaries/measure');
    expect(before.body.rows.map((r: any) => r.detail)).toContain('推进项目建设');
    await db.query(`update measures set title = '推进重点项目建设' where document_id = $1 and no = 2`, [docId]);
    const after = await get('/api/v1/tracking/summaries/measure');
    expect(after.cache).toBe('miss');
    expect(after.body.rows.map((r: any) => r.detail)).toContain('推进重点项目建设');
  });

  it('keys answers by the day: a new day computes afresh', async () => {
    await get('/api/v1/tracking/summaries/all'); // the rename above changed the catalog version
    expect((await get('/api/v1/tracking/summaries/all')).cache).toBe('hit');
    clock.set('2026-11-24T02:00:00Z');
    try {
      const next = await get('/api/v1/tracking/summaries/all');
      expect(next.cache).toBe('miss');
      expect(next.body.today).toBe('2026-11-24');
    } finally {
      clock.set('2026-11-23T02:00:00Z');
    }
  });

  it('never gives one scope the answer of another', async () => {
    const all = await get('/api/v1/tracking/summaries/all');
    expect(all.body.rows[0].tasks).toBe(2);
    const officer = await get('/api/v1/tracking/summaries/all', await api.login('czt.officer'));
    expect(officer.cache).toBe('miss');
    expect(officer.body.rows[0].tasks).toBe(1);
    // Another user of the same unit sees the same tasks, so shares the entry.
    const head = await get('/api/v1/tracking/summaries/all', await api.login('czt.head'));
    expect(head.cache).toBe('hit');
    expect(head.body).toEqual(officer.body);
  });

  it('caches nothing while the read model is being rebuilt, and counts its hits', async () => {
    const cache = api.app.get(TrackingAnswerCache);
    const hits = cache.hits;
    await db.query(`update tracking_state set needs_rebuild = true`);
    const during = await get('/api/v1/tracking/summaries/all');
    expect(during.cache).toBe('off');
    expect(during.body.rows[0].tasks).toBe(2);
    await refresh();
    expect((await get('/api/v1/tracking/summaries/all')).cache).toBe('miss');
    expect((await get('/api/v1/tracking/summaries/all')).cache).toBe('hit');
    expect(cache.hits).toBe(hits + 1);
  });
});

describe('cached tracking answers over the wire', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi('tracking-cache-gzip');
    await api.app.get(TrackingRefreshService).refresh();
  });
  afterAll(async () => api?.close());

  it('sends a small answer as is, even to a caller that accepts gzip', async () => {
    const token = await api.login('coordinator');
    const plain = await api.request('GET', '/api/v1/tracking/summaries/all', { token });
    const small = await api.app.inject({ method: 'GET', url: '/api/v1/tracking/summaries/all', headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, br' } });
    expect(small.headers['x-tracking-cache']).toBe('hit');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['vary']).toBe('accept-encoding');
    expect(JSON.parse(small.body)).toEqual(plain.body);
  });

  it('gzips a large answer once, and the bytes decode to the same answer', () => {
    const answer = { rows: Array.from({ length: 2000 }, (_, i) => ({ key: `k${i}`, label: `第${i}项举措`, tasks: i })) };
    const encoded = encodeAnswer(answer);
    expect(JSON.parse(encoded.json.toString('utf8'))).toEqual(answer);
    expect(encoded.gzip).not.toBeNull();
    expect(encoded.gzip!.length).toBeLessThan(encoded.json.length / 3);
    expect(JSON.parse(gunzipSync(encoded.gzip!).toString('utf8'))).toEqual(answer);
    expect(encodeAnswer({ small: true }).gzip).toBeNull();
  });
});
