// The live figures over HTTP on the demo city: counted at start, moved within a second or two by
// a report, pushed over an event stream, seen by a second process on the same database, limited
// to the viewer's scope, and bad questions refused with the field at fault.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, pointInGrid } from '../support/harness.mjs';

let server;
let other;
const as = {};
let street;
let grid;
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'center', 'volunteer', 'leader', 'admin']) as[login] = await server.login(login, 'Gridgov@2026');
  street = (await server.request('GET', '/api/v1/grid/nodes?q=320115005&limit=1', { cookie: as.center })).body.items[0];
  grid = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie: as.center })).body.items[0];
  // a second process on the same database
  other = await launch({ dir: server.dir, database: server.database, common: server.common });
});
after(async () => {
  await other?.stop();
  await server?.stop();
});

const figures = async (srv, query, who = 'center') => {
  for (let i = 0; i < 50; ++i) {  // counted in the background after a start
    const res = await srv.request('GET', `/api/v1/figures${query}`, { cookie: as[who] });
    if (res.status !== 503) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the figures were never counted');
};
const until = async (check, what) => {
  const started = Date.now();
  while (Date.now() - started < 5000) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`not within 5 s: ${what}`);
};

test('a report moves the figures of its street and grid on both processes within seconds', async () => {
  const before = (await figures(server, `?node_id=${street.id}`)).body.total;
  const beforeOther = (await figures(other, `?node_id=${street.id}`)).body.total;
  assert.deepEqual(beforeOther, before, 'two processes agree');
  const point = await pointInGrid(server, as.center);
  const made = await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '路灯不亮', description: '小区路灯坏了', category_code: 'CG0101', lon: point[0], lat: point[1] } });
  assert.equal(made.status, 201, made.text);
  const waited = await until(async () => (await figures(server, `?node_id=${street.id}`)).body.total.intake === before.intake + 1, 'intake + 1');
  assert.ok(waited < 2000, `the figure moved after ${waited} ms`);
  await until(async () => (await figures(other, `?node_id=${street.id}`)).body.total.intake === before.intake + 1, 'the other process sees it');
  // the map's layer of open events, from the top of the tree down
  const top = (await server.request('GET', '/api/v1/grid/nodes', { cookie: as.admin })).body.items[0];
  for (const node of [top.id, street.id]) {
    const layer = await server.request('GET', `/api/v1/events.geojson?open=1&node_id=${node}`, { cookie: as.admin });
    assert.match(layer.headers.get('content-type'), /^application\/geo\+json/);
    const mine = layer.body.features.find((f) => f.properties.id === made.body.id);
    assert.ok(mine && ['green', 'yellow', 'red'].includes(mine.properties.colour), JSON.stringify(layer.body.features.slice(0, 2)));
  }
  // the grid and the street's split by grid and by channel
  const byGrid = (await figures(server, `?node_id=${street.id}&by=grid`)).body;
  const mine = byGrid.groups.find((g) => g.key === String(made.body.node_id));
  assert.ok(mine && mine.intake >= 1 && mine.name, JSON.stringify(byGrid.groups.slice(0, 3)));
  const byChannel = (await figures(server, `?node_id=${street.id}&by=channel`)).body;
  assert.ok(byChannel.groups.some((g) => g.key === 'grid_worker' && g.name === '网格员上报'), JSON.stringify(byChannel.groups));
  // what stands now, by status × category × street for the city
  const status = await server.request('GET', '/api/v1/figures/status?level=3&by_category=true', { cookie: as.center });
  assert.equal(status.status, 200, status.text);
  assert.deepEqual(status.body.columns, ['node_id', 'status', 'category', 'count', 'overdue']);
  const row = status.body.rows.find(([node, state, category]) => node === street.id && state === 'reported' && category === 'CG0101');
  assert.ok(row && row[3] >= 1, JSON.stringify(status.body.rows.slice(0, 5)));
  assert.equal(status.body.nodes[String(street.id)], street.name);
  assert.equal(status.body.categories.CG0101, '暴露垃圾');
  const trend = await server.request('GET', `/api/v1/figures/trend?node_id=${street.id}`, { cookie: as.leader });
  assert.equal(trend.body.points.length, 30);
  assert.equal(trend.body.points.at(-1).reported, (await figures(server, `?node_id=${street.id}`)).body.total.intake);
});

test('an open event stream gets the new figures within seconds of a report', async () => {
  const controller = new AbortController();
  const res = await fetch(`${server.base}/api/v1/figures/stream?node_id=${grid.id}`, { headers: { cookie: as.worker }, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const nextEvent = async () => {
    for (;;) {
      const at = buffer.indexOf('\n\n');
      if (at >= 0) {
        const block = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (data) return JSON.parse(data.slice(6));
        continue;  // a comment
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  };
  const first = await nextEvent();
  assert.equal(first.node_id, grid.id);
  const point = await pointInGrid(server, as.center);
  const started = Date.now();
  await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '井盖缺失', description: '路口井盖缺失', category_code: 'CG0101', lon: point[0], lat: point[1] } });
  let pushed;
  do pushed = await nextEvent(); while (pushed.today.intake === first.today.intake && Date.now() - started < 5000);
  assert.equal(pushed.today.intake, first.today.intake + 1);
  assert.ok(Date.now() - started < 3000, `pushed after ${Date.now() - started} ms`);
  assert.ok(pushed.open_now >= 1);
  controller.abort();
});

test('the figures stay within the viewer\'s scope, and bad questions name their field', async () => {
  assert.equal((await figures(server, `?node_id=${street.id}`, 'worker')).status, 403, 'a grid worker sees their grid only');
  assert.equal((await figures(server, '', 'worker')).body.node_id, grid.id, 'by default: their grid');
  assert.equal((await figures(server, '', 'volunteer')).status, 403);
  for (const [query, field] of [['?by=colour', 'by'], ['?since=2026-13-01', 'since'], ['?since=2026-11-23&until=2026-11-01', 'since'],
    ['?node_id=999999999', 'node_id'], ['?node_id=abc', 'node_id'], ['?since=2000-01-01&until=2026-01-01', 'since']]) {
    const res = await figures(server, query);
    assert.equal(res.status, 400, `${query}: ${res.text}`);
    assert.equal(res.body.error.field, field, query);
  }
  const depts = await server.request('GET', `/api/v1/figures/departments?node_id=${street.id}&since=2026-01-01`, { cookie: as.center });
  assert.equal(depts.status, 200, depts.text);
  assert.ok(Array.isArray(depts.body.items));
});
