// A grid worker's field work over HTTP on the demo city: a patrol started, its track sent late and
// out of order (the distance follows time), resent without doubling, ended; visits with their own
// times, one reporting its finding as an event, resent without doubling either; the centre sees
// where the worker is and finds the nearest worker to a spot; the worker's grids with what is open
// there; bad input named by its field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointInGrid } from '../support/harness.mjs';

let server;
const as = {};
let point;
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'center', 'gridhead']) as[login] = await server.login(login, 'Gridgov@2026');
  point = await pointInGrid(server, as.center);
});
after(async () => { await server?.stop(); });

const call = (method, path, who, body, headers) => server.request(method, path, { cookie: as[who], body, headers });
const ago = (minutes) => new Date(Date.now() - minutes * 60e3).toISOString();

test('a patrol: started once whatever the resends, its track in time order, ended', async () => {
  const start = { lon: point[0], lat: point[1], started_at: ago(60) };
  const first = await call('POST', '/api/v1/patrols', 'worker', start, { 'idempotency-key': 'phone-patrol-1' });
  assert.equal(first.status, 201, first.text);
  const again = await call('POST', '/api/v1/patrols', 'worker', start, { 'idempotency-key': 'phone-patrol-1' });
  assert.equal(again.body.id, first.body.id, 'a resend is the same patrol');
  assert.equal(first.body.points, 1);
  assert.equal((await call('POST', '/api/v1/patrols', 'center', start)).status, 403);
  const path = `/api/v1/patrols/${first.body.id}`;
  // two chunks sent late, the later one first; about 111 m a step north
  const steps = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => ({ at: ago(60 - k * 5), lon: point[0], lat: point[1] + k * 0.001, accuracy_m: 8 }));
  const step = (k) => steps[k];
  assert.equal((await call('POST', `${path}/points`, 'worker', { points: [step(3), step(4)] })).status, 200);
  const sent = await call('POST', `${path}/points`, 'worker', { points: [step(1), step(2)] });
  assert.equal(sent.body.points, 5);
  assert.ok(Math.abs(sent.body.distance_m - 445) < 5, `${sent.body.distance_m} m`);
  const resent = await call('POST', `${path}/points`, 'worker', { points: [step(1), step(2)] });
  assert.deepEqual([resent.body.points, resent.body.distance_m], [5, sent.body.distance_m], 'nothing doubled');
  for (const [body, field] of [[{ points: [{ at: ago(1), lon: 'x', lat: 1 }] }, 'points'], [{}, 'points'],
    [{ points: [{ at: ago(120), lon: point[0], lat: point[1] }] }, 'points']]) {
    const res = await call('POST', `${path}/points`, 'worker', body);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.field, field);
  }
  const ended = await call('POST', `${path}/end`, 'worker', { ended_at: ago(30) });
  assert.equal(ended.status, 200, ended.text);
  assert.equal((await call('POST', `${path}/points`, 'worker', { points: [step(8)] })).body.error.field, 'points', 'after its end');
  const shown = await call('GET', path, 'center');
  assert.equal(shown.body.track.coordinates.length, 5);
  assert.deepEqual(shown.body.times, [...shown.body.times].sort(), 'the track in time order');
  assert.ok((await call('GET', '/api/v1/patrols', 'center')).body.items.some((p) => p.id === first.body.id));
});

test('visits keep their own time; a finding reported becomes one event however often it is sent', async () => {
  const person = await call('POST', '/api/v1/people', 'worker', { name: '孙桂兰', household_type: 'registered', node_id: (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie: as.center })).body.items[0].id });
  assert.equal(person.status, 201, person.text);
  const visited = await call('POST', '/api/v1/visits', 'worker', { kind: 'person', target_id: person.body.id, at: ago(120), notes: '独居老人，身体尚可' });
  assert.equal(visited.status, 201, visited.text);
  assert.equal(Date.parse(visited.body.at) < Date.now() - 100 * 60e3, true, 'the time it happened');
  const finding = { kind: 'check_in', lon: point[0], lat: point[1], at: ago(10), findings: '楼道堆放杂物', report: { title: '楼道堆物', category_code: 'CG0101' } };
  const reported = await call('POST', '/api/v1/visits', 'worker', finding, { 'idempotency-key': 'phone-visit-7' });
  assert.equal(reported.status, 201, reported.text);
  assert.ok(reported.body.event_id);
  const resent = await call('POST', '/api/v1/visits', 'worker', finding, { 'idempotency-key': 'phone-visit-7' });
  assert.deepEqual([resent.body.id, resent.body.event_id], [reported.body.id, reported.body.event_id]);
  const event = await call('GET', `/api/v1/events/${reported.body.event_id}`, 'center');
  assert.deepEqual([event.body.channel, event.body.title], ['patrol', '楼道堆物']);
  const mine = await call('GET', '/api/v1/visits?kind=check_in', 'gridhead');
  assert.equal(mine.body.items.filter((v) => v.id === reported.body.id).length, 1);
  for (const [body, field] of [[{ kind: 'party', target_id: 1 }, 'kind'], [{ kind: 'person' }, 'target_id'], [{ kind: 'person', target_id: 999999999 }, 'target_id'],
    [{ kind: 'check_in', at: new Date(Date.now() + 3600e3).toISOString() }, 'at'], [{ kind: 'check_in', at: ago(60 * 24 * 40) }, 'at'], [{ kind: 'check_in', at: 'yesterday' }, 'at']]) {
    const res = await call('POST', '/api/v1/visits', 'worker', body);
    assert.equal(res.status, res.body?.error?.code === 'missing_field' ? 400 : 400, res.text);
    assert.equal(res.body.error.field, field, JSON.stringify(body));
  }
});

test('the centre sees where the worker is and finds the nearest worker to a spot', async () => {
  const positions = await call('GET', '/api/v1/workers/positions?within_minutes=120', 'center');
  const worker = positions.body.items.find((w) => w.login === 'worker');
  assert.ok(worker, JSON.stringify(positions.body.items));
  const nearest = await call('GET', `/api/v1/workers/nearest?lon=${point[0] + 0.002}&lat=${point[1]}&within_minutes=120`, 'center');
  assert.equal(nearest.body.items[0].login, 'worker');
  assert.ok(nearest.body.items[0].distance_m > 100 && nearest.body.items[0].distance_m < 1000, JSON.stringify(nearest.body.items[0]));
  assert.equal((await call('GET', '/api/v1/workers/nearest?lon=abc', 'center')).body.error.field, 'lon');
});

test('a report sent late by a phone keeps the time it was seen, and is made once', async () => {
  const seen = ago(45);
  const body = { channel: 'grid_worker', title: '护栏损坏', description: '路口护栏被撞坏', category_code: 'CG0101', lon: point[0], lat: point[1], observed_at: seen };
  const made = await call('POST', '/api/v1/events', 'worker', body, { 'idempotency-key': 'phone-report-3' });
  assert.equal(made.status, 201, made.text);
  assert.equal(Date.parse(made.body.reported_at), Date.parse(seen));
  const again = await call('POST', '/api/v1/events', 'worker', body, { 'idempotency-key': 'phone-report-3' });
  assert.deepEqual([again.status, again.body.id], [200, made.body.id]);
  const timeline = (await call('GET', `/api/v1/events/${made.body.id}`, 'center')).body.timeline;
  assert.equal(Date.parse(timeline[0].at), Date.parse(seen));
  for (const observed of [new Date(Date.now() + 3600e3).toISOString(), ago(60 * 24 * 8), 'soon']) {
    const res = await call('POST', '/api/v1/events', 'worker', { ...body, observed_at: observed });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.error.field, 'observed_at');
  }
});

test('a worker sees the grids she serves with what is open and overdue there now', async () => {
  let mine;
  for (let i = 0; i < 100; ++i) {  // counted after a start, and the finding above within a second
    mine = await call('GET', '/api/v1/grid/mine', 'worker');
    if (mine.body.items?.[0]?.open > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(mine.status, 200);
  assert.equal(mine.body.items.length, 1);
  const [grid] = mine.body.items;
  assert.equal(grid.code, '320115005001001');
  assert.equal(grid.duty, 'full_time');
  const status = await call('GET', `/api/v1/figures/status?node_id=${grid.id}`, 'center');
  const open = status.body.rows.filter((r) => ['reported', 'accepted', 'dispatched', 'in_progress', 'handled'].includes(r[1]));
  assert.equal(grid.open, open.reduce((n, r) => n + r[3], 0));
  assert.equal(grid.overdue, open.reduce((n, r) => n + r[4], 0));
  assert.ok(grid.open > 0, 'the finding reported above is open there');
  // the grid head leads the community; the centre serves no grid
  const head = await call('GET', '/api/v1/grid/mine', 'gridhead');
  assert.deepEqual(head.body.items.map((n) => n.duty), ['head']);
  assert.deepEqual((await call('GET', '/api/v1/grid/mine', 'center')).body.items, []);
  assert.equal((await server.request('GET', '/api/v1/grid/mine')).status, 401);
});
