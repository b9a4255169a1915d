// Outgoing webhooks to a real HTTP receiver: a department's system subscribes to its categories in
// one street; every matching action arrives signed, in order, and only those; a receiver that
// fails gets the delivery again with backoff; a delivery queued while the receiver is down
// survives kill -9 of gridgov; one that keeps failing is marked failed and can be sent again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { startServer, launch, pointInGrid } from '../support/harness.mjs';

let server;
let admin;
let center;
let point;
let street;
const received = [];
let answer = () => 200;
let receiver;
let receiverPort;

function listen(port = 0) {
  return new Promise((resolve) => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        const status = answer(body);
        if (status === 200) received.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    receiver.listen(port, '127.0.0.1', () => resolve(receiver.address().port));
  });
}

async function waitFor(what, check, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// the receiver is on this machine: the test lets webhooks reach loopback, which they may not
const env = { GRIDGOV_WEBHOOKS_POLL_MS: '100', GRIDGOV_WEBHOOKS_FIRST_RETRY_MS: '300', GRIDGOV_WEBHOOKS_MAX_ATTEMPTS: '3', GRIDGOV_WEBHOOKS_ALLOW_INTERNAL: 'true' };
before(async () => {
  receiverPort = await listen();
  server = await startServer({ demo: true, env });
  admin = await server.login('admin', 'Gridgov@2026');
  center = await server.login('center', 'Gridgov@2026');
  point = await pointInGrid(server, admin);
  street = (await server.request('GET', '/api/v1/grid/nodes?q=320115005&limit=1', { cookie: admin })).body.items[0];
});
after(async () => {
  await server?.stop();
  receiver?.close();
});

let secret;
let subscription;
const report = (category, extra = {}) => server.request('POST', '/api/v1/events', { cookie: center, body: { channel: 'hotline_12345', title: '热线转办', description: '市民来电', category_code: category, lon: point[0], lat: point[1], reporter_phone: '13700001111', ...extra } });
const deliveriesFor = (id) => received.filter((d) => d.json.event.id === id);

test('a subscription gets every action of its categories in its area, signed and in order', async () => {
  const bad = [
    [{ name: 'x', url: 'ftp://example.org/hook' }, 'url'],
    [{ name: 'x', url: `http://127.0.0.1:${receiverPort}/`, categories: ['ZZ99'] }, 'categories[0]'],
    [{ name: 'x', url: `http://127.0.0.1:${receiverPort}/`, actions: ['explode'] }, 'actions[0]'],
    [{ url: `http://127.0.0.1:${receiverPort}/` }, 'name'],
  ];
  for (const [body, field] of bad) {
    const r = await server.request('POST', '/api/v1/webhooks', { cookie: admin, body });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.field, field);
  }
  assert.equal((await server.request('POST', '/api/v1/webhooks', { cookie: center, body: { name: 'x', url: 'http://127.0.0.1/' } })).status, 403);

  const made = await server.request('POST', '/api/v1/webhooks', { cookie: admin, body: { name: '禄口街道城管案件系统', url: `http://127.0.0.1:${receiverPort}/gridgov`, categories: ['CG06'], node_id: street.id } });
  assert.equal(made.status, 201, made.text);
  secret = made.body.secret;
  subscription = made.body;
  assert.match(secret, /^whsec_/);
  // another system wants only safety hazards
  await server.request('POST', '/api/v1/webhooks', { cookie: admin, body: { name: '应急管理', url: `http://127.0.0.1:${receiverPort}/safety`, categories: ['AQ'] } });

  const light = (await report('CG0602')).body;
  const other = (await report('CG0101')).body;  // another category: not for this subscriber
  const act = (body) => server.request('POST', `/api/v1/events/${light.id}/actions`, { cookie: center, body });
  await act({ action: 'accept' });
  await act({ action: 'dispatch' });
  await waitFor('three deliveries', () => deliveriesFor(light.id).length >= 3);
  const got = deliveriesFor(light.id);
  assert.deepEqual(got.map((d) => d.json.action.action), ['report', 'accept', 'dispatch']);
  assert.deepEqual(got.map((d) => d.json.action.seq), [1, 2, 3]);
  for (const d of got) {
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(d.headers['x-gridgov-signature']);
    assert.equal(createHmac('sha256', secret).update(`${t}.${d.body}`).digest('hex'), v1, 'signed with the secret');
    assert.ok(Math.abs(Date.now() / 1000 - Number(t)) < 60);
    assert.equal(d.headers['x-gridgov-delivery'], String(d.json.delivery_id));
    assert.equal(d.json.event.category_code, 'CG0602');
    assert.ok(!d.body.includes('13700001111'), 'no personal data');
  }
  assert.deepEqual(got[2].json.event.assignments.map((a) => a.department_name), ['禄口街道城管中队']);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(deliveriesFor(other.id).length, 0, 'another category is not delivered');
  assert.ok(received.every((d) => d.json.subscription.id === subscription.id), 'the safety system got nothing');
  const list = await server.request('GET', `/api/v1/webhooks/${subscription.id}/deliveries?status=delivered`, { cookie: admin });
  assert.equal(list.body.items.length, 3);
});

test('a failing receiver gets the delivery again, with backoff', async () => {
  let failures = 0;
  answer = () => (failures++ < 2 ? 503 : 200);
  const e = (await report('CG0603')).body;
  await waitFor('the delivery after two failures', () => deliveriesFor(e.id).length === 1);
  assert.equal(failures, 3);
  // the receiver has answered; the delivery is written as delivered just after
  const d = await waitFor('the delivery written as delivered', async () => {
    const item = (await server.request('GET', `/api/v1/webhooks/${subscription.id}/deliveries?limit=1`, { cookie: admin })).body.items[0];
    return item.status === 'pending' ? null : item;
  });
  assert.deepEqual([d.event_id, d.status, d.attempts, d.last_status], [e.id, 'delivered', 3, 200]);
  answer = () => 200;
});

test('a delivery queued while the receiver is down survives kill -9 and arrives later', async () => {
  await new Promise((r) => receiver.close(r));
  const e = (await report('CG0604')).body;
  await new Promise((r) => setTimeout(r, 400));
  server.child.kill('SIGKILL');
  await server.exited;
  await listen(receiverPort);
  server = await launch({ ...server, env });
  await waitFor('the delivery after the restart', () => deliveriesFor(e.id).length === 1);
  assert.equal(deliveriesFor(e.id)[0].json.action.action, 'report');
});

test('a delivery that keeps failing is marked failed; an administrator sends it again', async () => {
  admin = await server.login('admin', 'Gridgov@2026');
  center = await server.login('center', 'Gridgov@2026');
  answer = () => 500;
  const e = (await report('CG0605')).body;
  const failed = await waitFor('the failed delivery', async () => {
    const items = (await server.request('GET', `/api/v1/webhooks/${subscription.id}/deliveries?status=failed`, { cookie: admin })).body.items;
    return items.find((d) => d.event_id === e.id);
  });
  assert.equal(failed.attempts, 3);
  assert.equal(failed.last_error, 'HTTP 500');
  answer = () => 200;
  const again = await server.request('POST', `/api/v1/webhooks/${subscription.id}/deliveries/${failed.id}/retry`, { cookie: admin });
  assert.equal(again.status, 200, again.text);
  await waitFor('the delivery sent again', () => deliveriesFor(e.id).length === 1);
  assert.equal((await server.request('POST', `/api/v1/webhooks/${subscription.id}/deliveries/${failed.id}/retry`, { cookie: admin })).status, 409);
  // paused: nothing more is queued
  const paused = await server.request('PATCH', `/api/v1/webhooks/${subscription.id}`, { cookie: admin, body: { active: false } });
  assert.equal(paused.body.active, false);
  const quiet = (await report('CG0602')).body;
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(deliveriesFor(quiet.id).length, 0);
});

test('without the setting a webhook never reaches this machine or a link-local address', async () => {
  const guarded = await startServer({ env: { ...env, GRIDGOV_WEBHOOKS_ALLOW_INTERNAL: 'false', GRIDGOV_WEBHOOKS_MAX_ATTEMPTS: '1' } });
  try {
    const a = await guarded.login('admin');
    const seen = received.length;
    for (const url of [`http://127.0.0.1:${receiverPort}/ssrf`, `http://localhost:${receiverPort}/ssrf`, 'http://169.254.169.254/latest/meta-data/']) {
      const hook = await guarded.request('POST', '/api/v1/webhooks', { cookie: a, body: { name: 'ssrf', url } });
      assert.equal(hook.status, 201, hook.text);
      const e = await guarded.request('POST', '/api/v1/events', { cookie: a, body: { channel: 'hotline_12345', title: '探测', description: '内部地址' } });
      const failed = await waitFor(`the refused delivery to ${url}`, async () => {
        const items = (await guarded.request('GET', `/api/v1/webhooks/${hook.body.id}/deliveries?status=failed`, { cookie: a })).body.items;
        return items.find((d) => d.event_id === e.body.id);
      });
      assert.ok(failed.last_error, JSON.stringify(failed));
      await guarded.request('PATCH', `/api/v1/webhooks/${hook.body.id}`, { cookie: a, body: { active: false } });
    }
    assert.equal(received.length, seen, 'nothing reached the receiver');
  } finally {
    await guarded.stop();
  }
});
