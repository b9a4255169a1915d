// The public side of events, without an account: a resident reports (a retry with the same
// Idempotency-Key is the same report), follows the case by its tracking code (no staff names, notes
// or phone numbers), gets the link as a QR code, and rates the result once the case is closed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startServer, pointInGrid } from '../support/harness.mjs';
import { png } from '../support/images.mjs';

let server;
let center;
let code;
let point;
before(async () => {
  server = await startServer({ demo: true });
  center = await server.login('center', 'Gridgov@2026');
  point = await pointInGrid(server, center);
});
after(async () => { await server?.stop(); });

const publicPost = (path, body, headers = {}) => server.request('POST', path, { body, headers });

test('a resident reports without an account and follows the case by its code', async () => {
  const key = randomUUID();
  const body = { title: '路灯不亮', description: '禄口街道永兴路路灯连续三晚不亮', category_code: 'CG0602', reporter_name: '王女士', reporter_phone: '13912345678', lon: point[0], lat: point[1] };
  const first = await publicPost('/api/v1/public/events', body, { 'idempotency-key': key });
  assert.equal(first.status, 201, first.text);
  code = first.body.tracking_code;
  assert.match(first.body.track_url, new RegExp(`/track/${code}$`));
  const retry = await publicPost('/api/v1/public/events', body, { 'idempotency-key': key });
  assert.deepEqual([retry.status, retry.body.tracking_code], [200, code]);
  const tracked = await server.request('GET', `/api/v1/public/track/${code}`);
  assert.equal(tracked.status, 200);
  assert.equal(tracked.body.status_label, '待受理');
  assert.equal(tracked.body.category_name, '路灯故障');
  assert.ok(!tracked.text.includes('13912345678') && !tracked.text.includes('王女士'), 'no personal data');
  const qr = await server.request('GET', `/api/v1/public/track/${code}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  assert.match(qr.text, /^<svg[^>]+viewBox="0 0 (\d+) \1"/);
});

test('staff work the case; the public sees departments and steps, not names; the resident rates', async () => {
  // staff see the reporter, masked
  const list = await server.request('GET', '/api/v1/events?channel=resident', { cookie: center });
  const event = list.body.items.find((e) => e.tracking_code === code);
  assert.equal(event.reporter_phone, '139****5678');
  const act = (body, cookie = center) => server.request('POST', `/api/v1/events/${event.id}/actions`, { cookie, body });
  assert.equal((await publicPost(`/api/v1/public/track/${code}/rating`, { satisfaction: 'satisfied' })).status, 409, 'not closed yet');
  await act({ action: 'accept', note: '李娜已核实' });
  await act({ action: 'dispatch' });
  const dept = await server.login('dept', 'Gridgov@2026');
  await act({ action: 'sign' }, dept);
  await act({ action: 'handle', note: '杨帆更换了灯泡' }, dept);
  await act({ action: 'verify', passed: true });
  const tracked = await server.request('GET', `/api/v1/public/track/${code}`);
  assert.deepEqual(tracked.body.steps.map((s) => s.action), ['report', 'accept', 'dispatch', 'sign', 'handle', 'verify']);
  assert.deepEqual(tracked.body.steps[2].departments, ['禄口街道城管中队']);
  assert.ok(!tracked.text.includes('李娜') && !tracked.text.includes('杨帆'), 'no staff names or notes');
  assert.equal(tracked.body.can_rate, true);
  const bad = await publicPost(`/api/v1/public/track/${code}/rating`, { satisfaction: 'ok' });
  assert.equal(bad.body.error.field, 'satisfaction');
  const rated = await publicPost(`/api/v1/public/track/${code}/rating`, { satisfaction: 'basically_satisfied', comment: '修得挺快' });
  assert.equal(rated.status, 200, rated.text);
  assert.equal(rated.body.satisfaction, 'basically_satisfied');
  assert.equal((await publicPost(`/api/v1/public/track/${code}/rating`, { satisfaction: 'satisfied' })).status, 409, 'once');
});

test('a second report of the same problem is suggested as a duplicate and linked; its reporter still follows it', async () => {
  const body = { title: '路灯还是不亮', description: '同一盏路灯', category_code: 'CG0602', lon: point[0] + 0.0002, lat: point[1] };
  const second = await publicPost('/api/v1/public/events', body);
  const list = await server.request('GET', '/api/v1/events?channel=resident&status=reported', { cookie: center });
  const fresh = list.body.items.find((e) => e.tracking_code === second.body.tracking_code);
  // a third, on the centre's side, sees the open second report as a possible duplicate
  const third = await server.request('POST', '/api/v1/events', { cookie: center, body: { ...body, channel: 'hotline_12345' } });
  assert.equal(third.status, 201, third.text);
  assert.deepEqual(third.body.possible_duplicates.map((d) => d.id), [fresh.id]);
  assert.ok(third.body.possible_duplicates[0].distance_m < 100);
  const linked = await server.request('POST', `/api/v1/events/${third.body.id}/actions`, { cookie: center, body: { action: 'cancel', reason: 'duplicate', duplicate_of: fresh.id } });
  assert.equal(linked.body.status, 'cancelled');
  const tracked = await server.request('GET', `/api/v1/public/track/${third.body.tracking_code}`);
  assert.equal(tracked.body.merged_into.status_label, '待受理');
  assert.equal(tracked.body.merged_into.tracking_code, undefined, 'the other reporter\'s code stays theirs');
});

test('wrong codes and bad reports', async () => {
  for (const c of ['NOPE', 'ILOU000000', 'ZZZZZZZZZZ']) {
    assert.equal((await server.request('GET', `/api/v1/public/track/${c}`)).status, 404, c);
  }
  assert.equal((await publicPost('/api/v1/public/events', { title: '', description: 'x' })).body.error.field, 'title');
  assert.equal((await publicPost('/api/v1/public/events', { title: 'x', description: 'y', channel: 'grid_worker' })).body.error.field, 'channel');
  assert.equal((await publicPost('/api/v1/public/events', { title: 'x', description: 'y' }, { 'idempotency-key': 'short' })).body.error.field, 'Idempotency-Key');
});

test('reports without an account are limited per address', async () => {
  const limited = await startServer({ args: ['--public-reports-per-hour', '3'] });
  try {
    const send = () => limited.request('POST', '/api/v1/public/events', { body: { title: '测试', description: '限流' } });
    for (let i = 0; i < 3; ++i) assert.equal((await send()).status, 201);
    const refused = await send();
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.body.error.code, 'too_many_requests');
    assert.ok(Number(refused.headers.get('retry-after')) > 3000);
  } finally {
    await limited.stop();
  }
});

test('the public\'s photos are capped a report and an address a day', async () => {
  const capped = await startServer({ env: { GRIDGOV_ATTACHMENTS_PUBLIC_PER_DAY: '4' } });
  try {
    const report = await capped.request('POST', '/api/v1/public/events', { body: { title: '路灯不亮', description: '小区门口路灯不亮', lon: 118.8, lat: 31.7 } });
    assert.equal(report.status, 201, report.text);
    const code = report.body.tracking_code;
    const attach = (photo, name) => capped.request('POST', `/api/v1/public/track/${code}/attachments?name=${name}`, { body: new Uint8Array(photo), headers: { 'content-type': 'image/png' } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attach(png(16, 16, i + 1), `p${i}.png`)).status);
    assert.deepEqual(statuses, [201, 201, 201, 201, 429]);
  } finally {
    await capped.stop();
  }
});
