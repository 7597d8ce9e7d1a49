/**
 * The status board (督办看板) at /board: one small page, plain HTML/CSS/JS, no framework. It signs in
 * through the same login route, keeps the token in sessionStorage, and polls the tracking API.
 * Colours always come with text (红/黄/绿 and a word), tables are real tables with captions and
 * header cells, and updates are announced politely to screen readers.
 */
export function boardPage(refreshSeconds: number): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办看板</title>
<style>
  :root { --red: #b3261e; --yellow: #8a6100; --green: #1e6b34; --line: #d0d4da; font-family: "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; }
  [hidden] { display: none !important; }
  body { margin: 0; color: #1b1d21; background: #f6f7f9; }
  header { display: flex; align-items: center; justify-content: space-between; padding: .6rem 1rem; background: #8f1d1d; color: #fff; }
  header h1 { font-size: 1.25rem; margin: 0; }
  main { padding: 1rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(28rem, 1fr)); }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; overflow-x: auto; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 1.05rem; margin: .2rem 0 .6rem; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; }
  caption { text-align: left; font-size: .85rem; color: #555; padding-bottom: .3rem; }
  th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left; vertical-align: top; }
  thead th { background: #eef0f3; }
  .light { display: inline-block; min-width: 3.2em; padding: 0 .3em; border-radius: 3px; color: #fff; font-weight: bold; text-align: center; }
  .light-red { background: var(--red); } .light-yellow { background: var(--yellow); } .light-green { background: var(--green); }
  .figures { display: flex; flex-wrap: wrap; gap: .6rem; list-style: none; padding: 0; margin: 0; }
  .figures li { border: 1px solid var(--line); border-radius: 4px; padding: .4rem .7rem; min-width: 7rem; }
  .figures strong { display: block; font-size: 1.4rem; }
  progress { width: 10rem; height: 1rem; vertical-align: middle; }
  form.login { max-width: 22rem; margin: 3rem auto; background: #fff; padding: 1.2rem; border: 1px solid var(--line); border-radius: 6px; display: grid; gap: .6rem; }
  label { font-weight: bold; } input, select, button { font: inherit; padding: .35rem; }
  button { cursor: pointer; }
  .error { color: var(--red); }
  .muted { color: #555; font-size: .85rem; }
  :focus-visible { outline: 3px solid #1a5fb4; outline-offset: 2px; }
</style>
</head>
<body>
<header>
  <h1>督办看板</h1>
  <div id="who" class="muted" style="color:#fff"></div>
</header>
<form class="login" id="login" hidden aria-labelledby="login-title">
  <h2 id="login-title">登录</h2>
  <label for="username">用户名</label>
  <input id="username" name="username" autocomplete="username" required>
  <label for="password">密码</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">登录</button>
  <p id="login-error" class="error" role="alert"></p>
</form>
<div id="board" hidden>
  <p class="muted" style="padding: 0 1rem">
    <label for="doc">文件</label> <select id="doc"></select>
    <span id="updated" aria-live="polite"></span>
    <button type="button" id="logout">退出登录</button>
  </p>
  <main>
    <section class="wide" aria-labelledby="h-figures"><h2 id="h-figures">总体情况</h2><ul class="figures" id="figures"></ul></section>
    <section class="wide" aria-labelledby="h-grid"><h2 id="h-grid">举措 × 牵头单位信号灯</h2><div id="grid"></div></section>
    <section aria-labelledby="h-overdue"><h2 id="h-overdue">逾期任务</h2><div id="overdue"></div></section>
    <section aria-labelledby="h-esc"><h2 id="h-esc">督办事项</h2><div id="escalations"></div></section>
    <section aria-labelledby="h-targets"><h2 id="h-targets">目标进度</h2><div id="targets"></div></section>
    <section aria-labelledby="h-ranking"><h2 id="h-ranking">考核排名</h2><div id="ranking"></div></section>
  </main>
</div>
<script>
(function () {
  'use strict';
  var REFRESH_MS = ${Math.max(5, refreshSeconds)} * 1000;
  var LIGHT = { red: '红 逾期或督办', yellow: '黄 临近截止', green: '绿 正常推进' };
  var KEY = 'duban.board.token';
  var timer = null;
  function $(id) { return document.getElementById(id); }
  function esc(s) { return String(s == null ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function pct(x) { return x == null ? '—' : (Math.round(x * 1000) / 10) + '%'; }
  function light(l) { return '<span class="light light-' + l + '">' + LIGHT[l] + '</span>'; }
  function table(caption, head, rows, empty) {
    if (!rows.length) return '<p>' + esc(empty) + '</p>';
    return '<table><caption>' + esc(caption) + '</caption><thead><tr>' + head.map(function (h) { return '<th scope="col">' + esc(h) + '</th>'; }).join('') +
      '</tr></thead><tbody>' + rows.join('') + '</tbody></table>';
  }
  function api(path) {
    return fetch('/api/v1' + path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(KEY) } }).then(function (r) {
      if (r.status === 401) { logout(); throw new Error('unauthorized'); }
      if (r.status === 403) return null;
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }
  function showLogin() { $('board').hidden = true; $('login').hidden = false; $('who').textContent = ''; }
  function logout() { sessionStorage.removeItem(KEY); if (timer) clearInterval(timer); timer = null; showLogin(); }
  $('logout').addEventListener('click', logout);
  $('login').addEventListener('submit', function (ev) {
    ev.preventDefault();
    $('login-error').textContent = '';
    fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: $('username').value, password: $('password').value }) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) { $('login-error').textContent = res.body.message || '登录失败'; return; }
        sessionStorage.setItem(KEY, res.body.accessToken);
        start();
      })
      .catch(function () { $('login-error').textContent = '无法连接服务器'; });
  });
  $('doc').addEventListener('change', refresh);
  function qs() { var d = $('doc').value; return d ? '?documentId=' + encodeURIComponent(d) : ''; }
  function start() {
    $('login').hidden = true; $('board').hidden = false;
    api('/me').then(function (me) { $('who').textContent = me.displayName; }).catch(function () {});
    api('/documents?limit=100').then(function (page) {
      $('doc').innerHTML = '<option value="">全部文件</option>' + page.items.map(function (d) { return '<option value="' + esc(d.id) + '">' + esc(d.docNumber || d.title) + '</option>'; }).join('');
      if (page.items.length) $('doc').value = page.items[0].id;
      refresh();
      if (timer) clearInterval(timer);
      timer = setInterval(refresh, REFRESH_MS);
    }).catch(function () {});
  }
  function refresh() {
    var q = qs();
    Promise.all([api('/tracking/summaries/all' + q), api('/tracking/grid' + q), api('/tracking/overdue' + (q ? q + '&' : '?') + 'limit=50'), api('/tracking/escalations' + (q ? q + '&' : '?') + 'limit=50'), api('/tracking/targets' + q), api('/tracking/rankings' + q)])
      .then(function (r) { render(r[0], r[1], r[2], r[3], r[4], r[5]); $('updated').textContent = '更新于 ' + new Date().toLocaleTimeString('zh-CN', { hour12: false }); })
      .catch(function (e) { $('updated').textContent = '更新失败：' + e.message; });
  }
  function render(summary, grid, overdue, escalations, targets, ranking) {
    var t = summary.rows[0] || { tasks: 0, lights: { green: 0, yellow: 0, red: 0 }, missedReports: 0, openEscalations: 0, onTimeRate: null, avgCloseWorkingDays: null };
    var figures = [['任务总数', t.tasks], ['绿 正常推进', t.lights.green], ['黄 临近截止', t.lights.yellow], ['红 逾期或督办', t.lights.red], ['未报送期次', t.missedReports], ['未解除督办', t.openEscalations], ['按时报送率', pct(t.onTimeRate)], ['平均销号用时（工作日）', t.avgCloseWorkingDays == null ? '—' : t.avgCloseWorkingDays]];
    $('figures').innerHTML = figures.map(function (f) { return '<li><span>' + esc(f[0]) + '</span><strong>' + esc(f[1]) + '</strong></li>'; }).join('');
    var cell = {};
    grid.cells.forEach(function (c) { cell[c.measureId + ':' + c.unitId] = c; });
    var head = '<tr><th scope="col">举措</th><th scope="col">举措状态</th>' + grid.units.map(function (u) { return '<th scope="col">' + esc(u.name) + '</th>'; }).join('') + '</tr>';
    var body = grid.measures.map(function (m) {
      return '<tr><th scope="row">' + esc((m.docNumber || '') + m.label + ' ' + m.title) + '</th><td>' + light(m.light) + '</td>' + grid.units.map(function (u) {
        var c = cell[m.id + ':' + u.id];
        return '<td>' + (c ? light(c.light) + (c.overdueTasks ? ' 逾期' + c.overdueTasks + '项' : '') : '<span class="muted">—</span>') + '</td>';
      }).join('') + '</tr>';
    }).join('');
    $('grid').innerHTML = grid.measures.length ? '<table><caption>截至 ' + esc(grid.today) + '；每格为该单位牵头任务中最差的信号灯</caption><thead>' + head + '</thead><tbody>' + body + '</tbody></table>' : '<p>暂无任务</p>';
    $('overdue').innerHTML = table('按截止日期排序', ['文号', '举措', '任务', '牵头单位', '截止日期'], overdue.map(function (o) {
      return '<tr><td>' + esc(o.docNumber) + '</td><td>' + esc(o.measureLabel) + '</td><td>' + esc(o.title) + '</td><td>' + esc(o.leads.join('、')) + '</td><td>' + esc(o.dueOn) + '</td></tr>';
    }), '暂无逾期任务');
    var kinds = { accept: '签收', task_due: '任务办结', period_due: '定期报送' };
    $('escalations').innerHTML = table('级别高的在前', ['级别', '任务', '牵头单位', '事项', '逾期工作日'], escalations.map(function (e) {
      return '<tr><td>' + e.level + '级</td><td>' + esc((e.docNumber || '') + e.measureLabel + ' ' + e.title) + '</td><td>' + esc(e.leads.join('、')) + '</td><td>' + esc(kinds[e.obligationType] || e.obligationType) + '</td><td>' + e.overdueWorkingDays + '</td></tr>';
    }), '暂无未解除的督办');
    $('targets').innerHTML = table('完成度 =（最新值 − 基数）÷（目标 − 基数）', ['举措', '指标', '基数', '目标', '最新值', '完成度'], targets.map(function (g) {
      var share = g.share == null ? 0 : g.share;
      var silent = g.perCounty && g.silentCounties.length ? '<div class="muted">未填报：' + esc(g.silentCounties.join('、')) + '</div>' : '';
      return '<tr><td>' + esc((g.docNumber || '') + g.measureLabel) + '</td><td>' + esc(g.indicator) + (g.perCounty ? '（每县）' : '') + silent + '</td><td>' + esc(g.baseline == null ? '—' : g.baseline) + '</td><td>' + esc(g.target) + esc(g.unit || '') +
        '</td><td>' + esc(g.latest == null ? '—' : g.latest) + '</td><td><progress max="100" value="' + Math.round(share * 100) + '" aria-label="' + esc(g.indicator) + '完成度"></progress> ' + pct(g.share) + '</td></tr>';
    }), '暂无量化目标');
    $('ranking').innerHTML = ranking === null ? '<p class="muted">考核排名仅对省局可见</p>' : table('得分含明细：按时报送、目标完成、逾期与退回扣分', ['名次', '单位', '得分', '按时报送率', '目标完成度', '逾期工作日', '退回次数'], ranking.map(function (r) {
      return '<tr><td>' + r.rank + '</td><td>' + esc(r.name) + '</td><td>' + r.score + '</td><td>' + pct(r.onTimeRate) + '</td><td>' + pct(r.targetShare) + '</td><td>' + r.overdueWorkingDays + '</td><td>' + r.returnedSubmissions + '</td></tr>';
    }), '暂无数据');
  }
  if (sessionStorage.getItem(KEY)) start(); else showLogin();
})();
</script>
</body>
</html>`;
}
