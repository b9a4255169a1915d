// One event through the whole closed loop over HTTP on the demo city, across four roles: a grid
// worker reports it (a retry is the same event), the street's centre accepts and dispatches it to
// the department the catalogue names, the department signs and handles it, the centre sends it
// back once for rework, then verifies, closes and records the resident's rating. Also scopes and
// bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, gridgov, pointInGrid } from '../support/harness.mjs';

let server;
const as = {};
let event;
let point;
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'center', 'dept', 'volunteer', 'admin', 'leader']) as[login] = await server.login(login, 'Gridgov@2026');
  point = await pointInGrid(server, as.admin);
});
after(async () => { await server?.stop(); });

const act = (who, body, id = event.id) => server.request('POST', `/api/v1/events/${id}/actions`, { cookie: as[who], body });

test('a grid worker reports; a retry with the same Idempotency-Key is the same event', async () => {
  const body = { channel: 'grid_worker', title: '永兴路垃圾暴露', description: '路口垃圾桶满溢，垃圾散落路面', category_code: 'CG0101', lon: point[0], lat: point[1] };
  const first = await server.request('POST', '/api/v1/events', { cookie: as.worker, body, headers: { 'idempotency-key': 'phone-1-0001' } });
  assert.equal(first.status, 201, first.text);
  event = first.body;
  assert.equal(event.status, 'reported');
  assert.equal(event.category_name, '暴露垃圾');
  assert.match(event.tracking_code, /^[0-9A-Z]{10}$/);
  assert.equal(event.deadline.stage, 'accept');
  assert.equal(event.deadline.colour, 'green');
  const again = await server.request('POST', '/api/v1/events', { cookie: as.worker, body, headers: { 'idempotency-key': 'phone-1-0001' } });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, event.id);
  // the hotline's resend of its own case number is the same event too
  const hotline = { channel: 'hotline_12345', external_id: '12345-20261122-0042', title: '噪声', description: '夜间施工噪声', category_code: 'CG0301', lon: point[0], lat: point[1] };
  const h1 = await server.request('POST', '/api/v1/events', { cookie: as.center, body: hotline });
  const h2 = await server.request('POST', '/api/v1/events', { cookie: as.center, body: hotline });
  assert.deepEqual([h1.status, h2.status, h2.body.id], [201, 200, h1.body.id]);
});

test('an external case number belongs to its sender: never found or squatted by another', async () => {
  const body = { channel: 'hotline_12345', external_id: 'SEC-31', title: '噪声', description: '夜间施工噪声，来电人王女士', lon: point[0], lat: point[1] };
  // a volunteer cannot report as the 12345 hotline at all
  const squat = await server.request('POST', '/api/v1/events', { cookie: as.volunteer, body });
  assert.deepEqual([squat.status, squat.body.error.field], [403, 'channel']);
  // two systems with their own keys, the same case number: two cases, each finds its own again
  const key = async (name) => (await server.request('POST', '/api/v1/api-keys', { cookie: as.admin, body: { name, role: 'center' } })).body.key;
  const [k1, k2] = [await key('12345 热线'), await key('另一系统')];
  const send = (k) => server.request('POST', '/api/v1/events', { headers: { authorization: `Bearer ${k}` }, body });
  const a = await send(k1);
  const b = await send(k2);
  assert.deepEqual([a.status, b.status], [201, 201]);
  assert.notEqual(a.body.id, b.body.id);
  const again = await send(k1);
  assert.deepEqual([again.status, again.body.id], [200, a.body.id]);
  // a person through the centre's own form does not reach either system's case
  const byHand = await server.request('POST', '/api/v1/events', { cookie: as.center, body });
  assert.equal(byHand.status, 201);
  assert.ok(![a.body.id, b.body.id].includes(byHand.body.id));
});

test('a report outside every grid belongs to the top of the tree and its centre sees it', async () => {
  const top = (await server.request('GET', '/api/v1/grid/nodes', { cookie: as.admin })).body.items.find((n) => !n.parent_id);
  const made = await server.request('POST', '/api/v1/users', { cookie: as.admin,
    body: { login: 'city-centre', name: '市指挥中心', role: 'center', scope_node_id: top.id, password: 'Gridgov@2026' } });
  assert.equal(made.status, 201, made.text);
  const city = await server.login('city-centre', 'Gridgov@2026');
  const far = await server.request('POST', '/api/v1/events', { cookie: city,
    body: { channel: 'hotline_12345', title: '外地来电', description: '地点不在任何网格内', lon: 100.5, lat: 25.1 } });
  assert.equal(far.status, 201, far.text);
  assert.equal(far.body.node_id, top.id);
  assert.equal((await server.request('GET', `/api/v1/events/${far.body.id}`, { cookie: city })).status, 200);
  const queue = await server.request('GET', '/api/v1/events?status=reported&limit=500', { cookie: city });
  assert.ok(queue.body.items.some((e) => e.id === far.body.id), 'in the city centre\'s queue');
  // a street's centre does not see it
  assert.equal((await server.request('GET', `/api/v1/events/${far.body.id}`, { cookie: as.center })).status, 404);
});

test('ten resends of one case racing each other make one event', async () => {
  const body = { channel: 'hotline_12345', external_id: '12345-RACE-1', title: '井盖缺失', description: '路口井盖缺失', category_code: 'CG0601', lon: point[0], lat: point[1] };
  const answers = await Promise.all(Array.from({ length: 10 }, () => server.request('POST', '/api/v1/events', { cookie: as.center, body })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
  assert.equal(new Set(answers.map((a) => a.body.id)).size, 1);
});

test('bad reports are refused with the field at fault, and nothing is written', async () => {
  const before = (await server.request('GET', '/api/v1/events?limit=1', { cookie: as.admin })).body.total;
  const base = { channel: 'grid_worker', title: 't', description: 'd' };
  for (const [body, field] of [
    [{ ...base, channel: 'pigeon' }, 'channel'],
    [{ ...base, title: '' }, 'title'],
    [{ ...base, description: 'x'.repeat(4001) }, 'description'],
    [{ ...base, category_code: 'CG01' }, 'category_code'],
    [{ ...base, lon: 118.8 }, 'lat'],
    [{ ...base, lon: 'east', lat: 31.7 }, 'lon'],
    [{ ...base, lon: 200, lat: 31.7 }, 'lon'],
    [{ ...base, reporter_phone: 'call me' }, 'reporter_phone'],
    [{ ...base, colour: 'red' }, 'colour'],
  ]) {
    const r = await server.request('POST', '/api/v1/events', { cookie: as.worker, body });
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)} -> ${r.text}`);
    assert.equal(r.body.error.field, field);
  }
  const onSpot = await server.request('POST', '/api/v1/events', { cookie: as.center, body: { ...base, resolved_on_spot: true } });
  assert.equal(onSpot.status, 403);
  assert.equal((await server.request('GET', '/api/v1/events?limit=1', { cookie: as.admin })).body.total, before);
});

test('the centre accepts and dispatches; the department signs and handles; rework; close; rating', async () => {
  assert.equal((await server.request('GET', `/api/v1/events/${event.id}`, { cookie: as.dept })).status, 404, 'not yet the department\'s');
  assert.equal((await act('worker', { action: 'accept' })).status, 403);
  assert.equal((await act('center', { action: 'dance' })).body.error.field, 'action');
  assert.equal((await act('center', { action: 'dispatch' })).status, 409, 'accept first');
  const accepted = await act('center', { action: 'accept', note: '属实' });
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.body.status, 'accepted');
  assert.equal(accepted.body.deadline.stage, 'dispatch');
  const plan = await server.request('GET', `/api/v1/events/${event.id}/dispatch-plan`, { cookie: as.center });
  assert.equal(plan.body.suggested.name, '禄口街道城管中队');
  assert.ok(Date.parse(plan.body.due) > Date.now());
  const dispatched = await act('center', { action: 'dispatch' });
  assert.equal(dispatched.status, 200, dispatched.text);
  assert.equal(dispatched.body.assignments[0].department_name, '禄口街道城管中队');
  assert.equal(dispatched.body.deadline.stage, 'handle');

  assert.equal((await server.request('GET', `/api/v1/events/${event.id}`, { cookie: as.dept })).status, 200);
  assert.equal((await act('dept', { action: 'handle' })).status, 409, 'sign first');
  assert.equal((await act('dept', { action: 'sign' })).body.status, 'in_progress');
  assert.equal((await act('dept', { action: 'handle', note: '已清运' })).body.status, 'handled');
  const rework = await act('center', { action: 'verify', passed: false, note: '仍有散落垃圾' });
  assert.equal(rework.body.status, 'in_progress');
  assert.equal(rework.body.rework_count, 1);
  assert.equal((await act('dept', { action: 'handle', note: '已彻底清理' })).body.status, 'handled');
  assert.equal((await act('center', { action: 'verify' })).body.error.field, 'passed');
  assert.equal((await act('center', { action: 'verify', passed: true })).body.status, 'closed');
  assert.equal((await act('center', { action: 'evaluate', satisfaction: 'meh' })).body.error.field, 'satisfaction');
  const rated = await act('center', { action: 'evaluate', satisfaction: 'satisfied', note: '电话回访' });
  assert.equal(rated.body.status, 'evaluated');
  assert.equal((await act('center', { action: 'accept' })).status, 409);

  const full = await server.request('GET', `/api/v1/events/${event.id}`, { cookie: as.worker });
  assert.deepEqual(full.body.timeline.map((a) => a.action),
    ['report', 'accept', 'dispatch', 'sign', 'handle', 'verify', 'handle', 'verify', 'evaluate']);
  assert.deepEqual(full.body.timeline.map((a) => a.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(full.body.timeline[3].actor_name, '杨帆');
  assert.equal(new Set(full.body.timeline.map((a) => a.hash)).size, 9);
});

test('each sees what their role and place allow', async () => {
  const list = async (who, query = '') => (await server.request('GET', `/api/v1/events?limit=100${query}`, { cookie: as[who] })).body;
  assert.ok((await list('center', '&status=evaluated')).items.some((e) => e.id === event.id));
  assert.ok((await list('dept')).items.some((e) => e.id === event.id));
  assert.equal((await list('volunteer')).total, 0);
  assert.equal((await server.request('GET', `/api/v1/events/${event.id}`, { cookie: as.volunteer })).status, 404);
  const cancelled = await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '重复', description: '同一处垃圾' } });
  assert.equal((await act('center', { action: 'cancel' }, cancelled.body.id)).body.error.field, 'reason');
  assert.equal((await act('center', { action: 'cancel', reason: 'duplicate' }, cancelled.body.id)).body.error.field, 'duplicate_of');
  const done = await act('center', { action: 'cancel', reason: 'duplicate', duplicate_of: event.id }, cancelled.body.id);
  assert.equal(done.body.status, 'cancelled');
  assert.equal((await list('center', '&open=1&category=CG03')).items.length, 1, 'the hotline case is still open');
  for (const [query, field] of [['&status=lost', 'status'], ['&channel=fax', 'channel'], ['&since=today', 'since'], ['&colour=blue', 'colour']]) {
    const r = await server.request('GET', `/api/v1/events?${query.slice(1)}`, { cookie: as.center });
    assert.equal(r.body.error.field, field, query);
  }
});

test('the list exports as CSV in China time, and the export is audited', async () => {
  const r = await server.request('GET', '/api/v1/events.csv?status=evaluated', { cookie: as.center });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const lines = r.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], '编号,查询码,状态,来源,类别,标题,地址,上报时间,处置时限,承办部门,返工次数,满意度');
  const row = lines.find((l) => l.startsWith(`${event.id},`));
  assert.ok(row, r.text);
  assert.match(row, /已评价,网格员上报,暴露垃圾,永兴路垃圾暴露,,\d{4}-\d\d-\d\d \d\d:\d\d,.*,禄口街道城管中队,1,satisfied$/);
  assert.ok(!/1[3-9]\d{9}/.test(r.text), 'no phone numbers');
  const audit = await server.request('GET', '/api/v1/audit?action=events_exported', { cookie: as.admin });
  assert.ok(audit.body.items.length >= 1);
  assert.equal((await server.request('GET', '/api/v1/events.csv?status=nope', { cookie: as.center })).status, 400);
});

test('the list exports as an Excel workbook that GDAL reads back', async () => {
  const res = await fetch(`${server.base}/api/v1/events.xlsx?status=evaluated`, { headers: { cookie: as.center } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const file = join(mkdtempSync(join(tmpdir(), 'gridgov-xlsx-')), 'events.xlsx');
  writeFileSync(file, bytes);
  const read = spawnSync('ogrinfo', ['-ro', '-al', '-q', file], { encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  assert.match(read.stdout, /永兴路垃圾暴露/);
  assert.match(read.stdout, /禄口街道城管中队/);
});

test('gridgov audit verify finds every chain intact', () => {
  const r = gridgov(['audit', 'verify', ...server.common]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /every chain is intact/);
});

test('escalation, supervision, an extension asked and granted, and a reopened case', async () => {
  const made = await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '施工扰民', description: '夜间施工', category_code: 'CG0301', lon: point[0], lat: point[1] } });
  const id = made.body.id;
  const street = made.body.owner_node_id;
  const up = await act('center', { action: 'escalate', note: '需区里协调' }, id);
  assert.equal(up.status, 200, up.text);
  assert.notEqual(up.body.owner_node_id, street);
  assert.equal(up.body.escalations, 1);
  assert.equal(up.body.status, 'reported', 'escalation leaves the state');
  assert.equal((await act('center', { action: 'escalate' }, id)).status, 409, 'no higher than the district');
  assert.equal((await act('leader', { action: 'supervise' }, id)).body.error.field, 'note');
  assert.equal((await act('center', { action: 'supervise', note: 'x' }, id)).status, 403);
  assert.equal((await act('leader', { action: 'supervise', note: '三日内办结' }, id)).body.supervised, true);

  await act('center', { action: 'accept' }, id);
  await act('center', { action: 'dispatch' }, id);
  await act('dept', { action: 'sign' }, id);
  assert.equal((await act('dept', { action: 'request_extension', hours: 8 }, id)).body.error.field, 'note');
  assert.equal((await act('dept', { action: 'request_extension', hours: 0, note: 'x' }, id)).body.error.field, 'hours');
  assert.equal((await act('center', { action: 'decide_extension', approved: true }, id)).status, 409, 'nothing asked yet');
  const asked = await act('dept', { action: 'request_extension', hours: 8, note: '需协调施工单位' }, id);
  assert.equal(asked.body.assignments[0].extension_hours, 8);
  const before = Date.parse(asked.body.assignments[0].due);
  const granted = await act('center', { action: 'decide_extension', approved: true }, id);
  assert.equal(granted.body.assignments[0].extensions, 1);
  assert.equal(granted.body.assignments[0].extension_hours, null);
  assert.ok(Date.parse(granted.body.assignments[0].due) > before);
  assert.equal(granted.body.handle_due, granted.body.assignments[0].due);

  await act('dept', { action: 'handle', note: '已停工' }, id);
  await act('center', { action: 'verify', passed: true }, id);
  const tracking = granted.body.tracking_code;
  const rated = await server.request('POST', `/api/v1/public/track/${tracking}/rating`, { body: { satisfaction: 'unsatisfied', comment: '还在施工' } });
  assert.equal(rated.status, 200, rated.text);
  const reopened = await server.request('POST', `/api/v1/public/track/${tracking}/reopen`, { body: { comment: '晚上仍有噪声' } });
  assert.equal(reopened.status, 200, reopened.text);
  assert.equal(reopened.body.status, 'accepted');
  const full = await server.request('GET', `/api/v1/events/${id}`, { cookie: as.center });
  assert.equal(full.body.reopened, 1);
  assert.deepEqual(full.body.timeline.slice(-2).map((a) => [a.action, a.actor_kind]), [['evaluate', 'public'], ['reopen', 'public']]);
  // the first event was rated satisfied: it stays closed
  assert.equal((await act('center', { action: 'reopen' })).status, 409);
});
