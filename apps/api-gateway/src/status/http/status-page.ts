// The status page: one HTML document and one script, both served by the gateway itself (no CDN:
// the operators' network may have no internet). The script polls /status.json and redraws.

export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Darvazeh — service status</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f5f6f8; }
  header { background: #123; color: #fff; padding: 12px 20px; display: flex; gap: 16px; align-items: center; }
  header h1 { font-size: 18px; margin: 0; flex: 1; }
  nav button { background: #234; color: #fff; border: 0; padding: 6px 12px; border-radius: 4px; cursor: pointer; }
  nav button[aria-selected="true"] { background: #4a7; }
  main { padding: 16px 20px; }
  section[hidden] { display: none; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { padding: 6px 8px; border-bottom: 1px solid #e3e5e8; text-align: left; vertical-align: middle; }
  th { background: #eef0f3; cursor: default; }
  th[data-sort] { cursor: pointer; }
  .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
  tr.state-ready .dot { background: #2a9d4b; }
  tr.state-not_ready .dot, .card.state-not_ready .dot { background: #e0a100; }
  tr.state-down .dot, .card.state-down .dot { background: #d12c2c; }
  tr.state-down td.state { color: #d12c2c; font-weight: 600; }
  tr.state-unknown .dot { background: #999; }
  .card.state-ready .dot { background: #2a9d4b; }
  .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
  .card { background: #fff; border-radius: 6px; padding: 12px 14px; box-shadow: 0 1px 2px #0002; }
  .card h3 { margin: 0 0 6px; font-size: 15px; }
  .card dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
  .card dt { color: #667; }
  svg.spark { width: 180px; height: 32px; }
  #updated { font-size: 12px; opacity: .8; }
  #incidents li { margin: 2px 0; }
</style>
</head>
<body>
<header>
  <h1>Darvazeh — e-service status</h1>
  <nav>
    <button data-view="apps" aria-selected="true">Apps</button>
    <button data-view="cards" aria-selected="false">Service cards</button>
    <button data-view="ranking" aria-selected="false">Ranking</button>
  </nav>
  <label>window <select id="window"><option value="5">5 min</option><option value="15" selected>15 min</option><option value="60">60 min</option></select></label>
  <span id="updated">loading…</span>
</header>
<main>
  <section id="view-apps">
    <table id="apps">
      <thead><tr><th>app</th><th>state</th><th>since</th><th>req/s</th><th>errors</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>consumer lag</th><th>outbox backlog</th><th>last hour (req/min)</th><th>last hour (p95)</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Recent incidents</h2>
    <ul id="incidents"></ul>
  </section>
  <section id="view-cards" hidden><div class="cards" id="cards"></div></section>
  <section id="view-ranking" hidden>
    <table id="ranking">
      <thead><tr><th data-sort="name">service</th><th data-sort="kind">kind</th><th data-sort="agency">providing agency</th><th data-sort="availability">availability</th><th data-sort="p95">p95 ms</th><th data-sort="errorRate">error rate</th><th data-sort="requests">requests</th></tr></thead>
      <tbody></tbody>
    </table>
    <h2>Providing agencies (GSB services)</h2>
    <table id="provider-ranking">
      <thead><tr><th data-sort="agency">providing agency</th><th data-sort="services">services</th><th data-sort="availability">availability</th><th data-sort="p95">p95 ms</th><th data-sort="errorRate">error rate</th><th data-sort="requests">requests</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
<script src="/status/app.js"></script>
</body>
</html>`;

export const STATUS_PAGE_SCRIPT = `'use strict';
(function () {
  // One sort state per ranking table: key, direction (availability starts best first).
  var sorts = { ranking: { key: 'availability', dir: -1, tie: 'name' }, 'provider-ranking': { key: 'availability', dir: -1, tie: 'agency' } };
  var last = null, timer = null;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(v >= 0.999 || v === 0 ? 1 : 2) + '%'; }
  function num(v) { return v === null || v === undefined ? '–' : String(v); }
  function spark(points, key, color) {
    var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark'); svg.setAttribute('viewBox', '0 0 180 32');
    var values = points.map(function (p) { return p[key] || 0; });
    var max = Math.max.apply(null, values.concat([1]));
    var d = values.map(function (v, i) { return (i ? 'L' : 'M') + (i * 180 / Math.max(1, values.length - 1)).toFixed(1) + ',' + (30 - v / max * 28).toFixed(1); }).join(' ');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d); path.setAttribute('fill', 'none'); path.setAttribute('stroke', color); path.setAttribute('stroke-width', '1.5');
    svg.appendChild(path);
    return svg;
  }
  function renderApps(s) {
    var body = document.querySelector('#apps tbody');
    body.replaceChildren();
    s.apps.forEach(function (a) {
      var tr = el('tr', { 'data-app': a.name, 'data-state': a.state, 'class': 'state-' + a.state });
      var name = el('td'); name.appendChild(el('span', { 'class': 'dot' })); name.appendChild(document.createTextNode(a.name)); tr.appendChild(name);
      tr.appendChild(el('td', { 'class': 'state' }, a.state.replace('_', ' ')));
      tr.appendChild(el('td', {}, new Date(a.since).toLocaleTimeString()));
      tr.appendChild(el('td', {}, a.requestsPerSecond));
      tr.appendChild(el('td', {}, pct(a.errorRate)));
      tr.appendChild(el('td', {}, num(a.p50)));
      tr.appendChild(el('td', {}, num(a.p95)));
      tr.appendChild(el('td', {}, num(a.p99)));
      tr.appendChild(el('td', {}, num(a.consumerLag)));
      tr.appendChild(el('td', {}, num(a.outboxBacklog)));
      var c1 = el('td'); c1.appendChild(spark(a.lastHour, 'requests', '#2a6fb0')); tr.appendChild(c1);
      var c2 = el('td'); c2.appendChild(spark(a.lastHour, 'p95', '#b05a2a')); tr.appendChild(c2);
      body.appendChild(tr);
    });
    var list = document.getElementById('incidents');
    list.replaceChildren();
    if (s.incidents.length === 0) list.appendChild(el('li', {}, 'none since the gateway started'));
    s.incidents.forEach(function (i) { list.appendChild(el('li', { 'data-app': i.app }, new Date(i.at).toLocaleString() + ' — ' + i.app + ': ' + i.from + ' → ' + i.to)); });
  }
  function renderCards(s) {
    var box = document.getElementById('cards');
    box.replaceChildren();
    s.cards.forEach(function (c) {
      var card = el('div', { 'class': 'card state-' + c.measured.state, 'data-service-id': c.serviceId || '' });
      var h = el('h3'); h.appendChild(el('span', { 'class': 'dot' })); h.appendChild(document.createTextNode(c.name)); card.appendChild(h);
      var dl = el('dl');
      [['service id', c.serviceId || '–'], ['agency', c.agency], ['parent ministry', c.parentMinistry], ['channels', c.channels.join(', ')],
       ['declared volume', c.declaredVolumePerDay === null ? '–' : c.declaredVolumePerDay.toLocaleString('en') + ' per day'],
       ['declared service time', c.declaredServiceTimeMinutes === null ? '–' : c.declaredServiceTimeMinutes + ' min'],
       ['measured: requests (last hour)', c.measured.requestsLastHour],
       ['measured: per day at current rate', c.measured.requestsPerDayAtCurrentRate.toLocaleString('en')],
       ['measured: success rate', pct(c.measured.successRate)],
       ['measured: median (' + c.citizenFacingStep + ')', c.measured.medianMs === null ? '–' : c.measured.medianMs + ' ms']].forEach(function (p) {
        dl.appendChild(el('dt', {}, p[0])); dl.appendChild(el('dd', {}, p[1]));
      });
      card.appendChild(dl);
      box.appendChild(card);
    });
  }
  function sorted(rows, sort) {
    return rows.slice().sort(function (a, b) {
      var x = a[sort.key], y = b[sort.key];
      if (Array.isArray(x)) { x = x.join(', '); y = y.join(', '); }
      if (x === y) return a[sort.tie] < b[sort.tie] ? -1 : 1;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sort.dir;
    });
  }
  function renderRanking(s) {
    var body = document.querySelector('#ranking tbody');
    body.replaceChildren();
    sorted(s.ranking, sorts.ranking).forEach(function (r, i) {
      var tr = el('tr', { 'data-name': r.name, 'data-rank': i + 1 });
      [r.name, r.kind, r.agency || '–', pct(r.availability), num(r.p95), pct(r.errorRate), r.requests].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      body.appendChild(tr);
    });
    var providers = document.querySelector('#provider-ranking tbody');
    providers.replaceChildren();
    sorted(s.providerRanking, sorts['provider-ranking']).forEach(function (r, i) {
      var tr = el('tr', { 'data-agency': r.agency, 'data-rank': i + 1 });
      [r.agency, r.services.join(', '), pct(r.availability), num(r.p95), pct(r.errorRate), r.requests].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      providers.appendChild(tr);
    });
  }
  function render(s) {
    last = s;
    renderApps(s); renderCards(s); renderRanking(s);
    document.getElementById('updated').textContent = 'updated ' + new Date(s.generatedAt).toLocaleTimeString() + ' · every ' + s.refreshMs / 1000 + ' s';
  }
  function refresh() {
    var w = document.getElementById('window').value;
    fetch('/status.json?window=' + w, { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (s) {
      render(s);
      clearTimeout(timer);
      timer = setTimeout(refresh, s.refreshMs);
    }, function () {
      document.getElementById('updated').textContent = 'gateway not answering — retrying';
      clearTimeout(timer);
      timer = setTimeout(refresh, 5000);
    });
  }
  document.querySelectorAll('nav button').forEach(function (b) {
    b.addEventListener('click', function () {
      document.querySelectorAll('nav button').forEach(function (o) { o.setAttribute('aria-selected', String(o === b)); });
      ['apps', 'cards', 'ranking'].forEach(function (v) { document.getElementById('view-' + v).hidden = v !== b.dataset.view; });
    });
  });
  document.querySelectorAll('#ranking th[data-sort], #provider-ranking th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var sort = sorts[th.closest('table').id], k = th.dataset.sort;
      sort.dir = sort.key === k ? -sort.dir : (k === 'availability' ? -1 : 1);
      sort.key = k;
      if (last) renderRanking(last);
    });
  });
  document.getElementById('window').addEventListener('change', refresh);
  refresh();
})();
`;
