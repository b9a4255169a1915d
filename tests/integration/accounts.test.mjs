// Accounts over HTTP: login and logout with the session cookie, lock-out, permissions by role,
// editing with ETag / If-Match, masked phones and audited reveals, API keys, the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PASSWORD } from '../support/harness.mjs';

let server;
let admin;
before(async () => {
  server = await startServer({
    users: [
      { login: 'center', role: 'center', name: '李娜' },
      { login: 'worker', role: 'grid_worker', name: '刘洋', phone: '13900001111' },
      { login: 'locked', role: 'grid_worker' },
    ],
  });
  admin = await server.login('admin');
});
after(async () => { await server.stop(); });

test('login sets an HttpOnly SameSite session cookie and me tells who it is', async () => {
  const r = await server.request('POST', '/api/v1/auth/login', { body: { login: 'worker', password: PASSWORD } });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^gridgov_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /Max-Age=43200/);
  assert.equal(r.body.user.login, 'worker');
  assert.equal(r.body.user.phone, '139****1111');
  const me = await server.request('GET', '/api/v1/auth/me', { cookie: cookie.split(';')[0] });
  assert.equal(me.status, 200);
  assert.equal(me.body.role, 'grid_worker');
  assert.equal(me.body.role_label, '网格员');
  assert.deepEqual(me.body.permissions, ['keep_registry', 'view_figures']);  // a grid worker keeps the base records of their grids and sees their figures
});

test('without a session the API answers 401', async () => {
  const r = await server.request('GET', '/api/v1/auth/me');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthenticated');
  const forged = await server.request('GET', '/api/v1/users', { cookie: 'gridgov_session=forged' });
  assert.equal(forged.status, 401);
});

test('logout ends the session on the server, not only in the browser', async () => {
  const cookie = await server.login('center');
  assert.equal((await server.request('GET', '/api/v1/auth/me', { cookie })).status, 200);
  const out = await server.request('POST', '/api/v1/auth/logout', { cookie });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal((await server.request('GET', '/api/v1/auth/me', { cookie })).status, 401);
});

test('five wrong passwords lock the login, and the lock is audited', async () => {
  const codes = [];
  for (let i = 0; i < 5; i++) {
    const r = await server.request('POST', '/api/v1/auth/login', { body: { login: 'locked', password: 'Wrong-pass1' } });
    codes.push(r.status);
  }
  assert.deepEqual(codes, [401, 401, 401, 401, 423]);
  const right = await server.request('POST', '/api/v1/auth/login', { body: { login: 'locked', password: PASSWORD } });
  assert.equal(right.status, 423);
  assert.equal(right.body.error.code, 'account_locked');
  const audit = await server.request('GET', '/api/v1/audit?action=account_locked', { cookie: admin });
  assert.equal(audit.body.total, 1);
  assert.equal(audit.body.items[0].target, 'user:locked');
  // the admin unlocks it
  const list = await server.request('GET', '/api/v1/users?q=locked', { cookie: admin });
  const user = list.body.items[0];
  assert.ok(user.locked_until);
  const unlocked = await server.request('PATCH', `/api/v1/users/${user.id}`,
    { cookie: admin, body: { unlock: true }, headers: { 'if-match': `"v${user.version}"` } });
  assert.equal(unlocked.status, 200);
  assert.equal(unlocked.body.locked_until, null);
  assert.equal((await server.request('POST', '/api/v1/auth/login', { body: { login: 'locked', password: PASSWORD } })).status, 200);
});

test('an admin creates a user who can then log in; a weak password is refused', async () => {
  const weak = await server.request('POST', '/api/v1/users',
    { cookie: admin, body: { login: 'zhaomin', name: '赵敏', role: 'volunteer', password: 'short' } });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.code, 'weak_password');
  assert.equal(weak.body.error.field, 'password');
  const created = await server.request('POST', '/api/v1/users',
    { cookie: admin, body: { login: 'zhaomin', name: '赵敏', role: 'volunteer', password: 'Zhaomin#2026', phone: '13800138000' } });
  assert.equal(created.status, 201);
  assert.equal(created.headers.get('location'), `/api/v1/users/${created.body.id}`);
  assert.equal(created.headers.get('etag'), '"v1"');
  assert.equal(created.body.phone, '138****8000');
  assert.equal((await server.request('POST', '/api/v1/auth/login', { body: { login: 'zhaomin', password: 'Zhaomin#2026' } })).status, 200);
  const again = await server.request('POST', '/api/v1/users',
    { cookie: admin, body: { login: 'zhaomin', name: 'x', role: 'volunteer', password: 'Zhaomin#2026' } });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.field, 'login');
});

test('edits need If-Match with the current version', async () => {
  const list = await server.request('GET', '/api/v1/users?q=worker', { cookie: admin });
  const worker = list.body.items.find((u) => u.login === 'worker');
  const path = `/api/v1/users/${worker.id}`;
  const noMatch = await server.request('PATCH', path, { cookie: admin, body: { name: '刘洋洋' } });
  assert.equal(noMatch.status, 428);
  const ok = await server.request('PATCH', path, { cookie: admin, body: { name: '刘洋洋' }, headers: { 'if-match': `"v${worker.version}"` } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.name, '刘洋洋');
  assert.equal(ok.headers.get('etag'), `"v${worker.version + 1}"`);
  const stale = await server.request('PATCH', path, { cookie: admin, body: { name: 'stale' }, headers: { 'if-match': `"v${worker.version}"` } });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  const now = await server.request('GET', path, { cookie: admin });
  assert.equal(now.body.name, '刘洋洋');
});

test('phones are masked; revealing one needs the right role and is audited', async () => {
  const list = await server.request('GET', '/api/v1/users?role=grid_worker&q=worker', { cookie: admin });
  const worker = list.body.items.find((u) => u.login === 'worker');
  assert.equal(worker.phone, '139****1111');
  const shown = await server.request('GET', `/api/v1/users/${worker.id}?reveal=phone`, { cookie: admin });
  assert.equal(shown.body.phone, '13900001111');
  const audit = await server.request('GET', '/api/v1/audit?action=personal_data_viewed', { cookie: admin });
  assert.equal(audit.body.items[0].target, `user:${worker.id}`);
  assert.equal(audit.body.items[0].actor, 'admin');
  const center = await server.login('center');
  const denied = await server.request('GET', `/api/v1/users/${worker.id}?reveal=phone`, { cookie: center });
  assert.equal(denied.status, 403);
});

test('roles bound what users may do, and denials are audited', async () => {
  const worker = await server.login('worker');
  const list = await server.request('GET', '/api/v1/users', { cookie: worker });
  assert.equal(list.status, 403);
  assert.equal(list.body.error.code, 'forbidden');
  const create = await server.request('POST', '/api/v1/users',
    { cookie: worker, body: { login: 'sneaky', name: 'x', role: 'admin', password: 'Sneaky#2026' } });
  assert.equal(create.status, 403);
  const auditByWorker = await server.request('GET', '/api/v1/audit', { cookie: worker });
  assert.equal(auditByWorker.status, 403);
  const denials = await server.request('GET', '/api/v1/audit?action=denied', { cookie: admin });
  assert.ok(denials.body.items.some((a) => a.actor === 'worker' && a.target === 'user:sneaky'));
  const center = await server.login('center');
  assert.equal((await server.request('GET', '/api/v1/users', { cookie: center })).status, 200);
});

test('a cross-origin write with a session cookie is refused', async () => {
  const r = await server.request('POST', '/api/v1/users', {
    cookie: admin,
    headers: { origin: 'https://evil.example' },
    body: { login: 'csrf', name: 'x', role: 'volunteer', password: 'Csrf#2026x' },
  });
  assert.equal(r.status, 403);
  const check = await server.request('GET', '/api/v1/users?q=csrf', { cookie: admin });
  assert.equal(check.body.total, 0);
});

test('API keys let other systems in until revoked', async () => {
  const issued = await server.request('POST', '/api/v1/api-keys', { cookie: admin, body: { name: '12345 热线', role: 'center' } });
  assert.equal(issued.status, 201);
  assert.match(issued.body.key, /^ggk_[A-Za-z0-9-]{8}_[A-Za-z0-9_-]{43}$/);
  const asKey = await server.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${issued.body.key}` } });
  assert.equal(asKey.status, 200);
  assert.equal(asKey.body.kind, 'api_key');
  assert.equal(asKey.body.role, 'center');
  const viaHeader = await server.request('GET', '/api/v1/users', { headers: { 'x-api-key': issued.body.key } });
  assert.equal(viaHeader.status, 200);
  const listed = await server.request('GET', '/api/v1/api-keys', { cookie: admin });
  assert.ok(listed.body.items.some((k) => k.prefix === issued.body.prefix && !('key' in k)));
  assert.equal((await server.request('DELETE', `/api/v1/api-keys/${issued.body.id}`, { cookie: admin })).status, 204);
  const after = await server.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${issued.body.key}` } });
  assert.equal(after.status, 401);
});

test('changing one\'s own password needs the current one, and ends the other sessions', async () => {
  const cookie = await server.login('center');
  const elsewhere = await server.login('center');  // the same account on another computer
  const wrong = await server.request('POST', '/api/v1/auth/password', { cookie, body: { current_password: 'nope', new_password: 'Center#2027' } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.field, 'current_password');
  const ok = await server.request('POST', '/api/v1/auth/password', { cookie, body: { current_password: PASSWORD, new_password: 'Center#2027' } });
  assert.equal(ok.status, 204);
  assert.equal((await server.request('GET', '/api/v1/auth/me', { cookie })).status, 200, 'this session goes on');
  assert.equal((await server.request('GET', '/api/v1/auth/me', { cookie: elsewhere })).status, 401, 'the other one ends');
  assert.equal((await server.request('POST', '/api/v1/auth/login', { body: { login: 'center', password: 'Center#2027' } })).status, 200);
  // wrong current passwords count toward the lock like failed logins
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    statuses.push((await server.request('POST', '/api/v1/auth/password', { cookie, body: { current_password: `guess-${i}`, new_password: 'Center#2028' } })).status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 423]);
  const locked = await server.request('POST', '/api/v1/auth/password', { cookie, body: { current_password: 'Center#2027', new_password: 'Center#2028' } });
  assert.equal(locked.status, 423, 'locked even with the right password');
  // an administrator unlocks
  const user = (await server.request('GET', '/api/v1/users?q=center', { cookie: admin })).body.items.find((u) => u.login === 'center');
  const unlocked = await server.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin, body: { unlock: true }, headers: { 'if-match': `"${user.version}"` } });
  assert.equal(unlocked.status, 200, unlocked.text);
});

test('one address cannot lock out everyone: its failures are limited, then it waits', async () => {
  const limited = await startServer({ args: ['--login-failures-per-address', '6'] });
  try {
    const fail = (login) => limited.request('POST', '/api/v1/auth/login', { body: { login, password: 'Wrong-pass1' } });
    const statuses = [];
    for (const login of ['a1', 'a1', 'a1', 'a2', 'a2', 'a2', 'admin', 'admin']) statuses.push((await fail(login)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429]);
    const waited = await fail('admin');
    assert.ok(Number(waited.headers.get('retry-after')) > 0);
    assert.match(waited.body.error.message, /登录失败次数过多/);
  } finally {
    await limited.stop();
  }
});

test('the audit log records logins and failures with their origin', async () => {
  const r = await server.request('GET', '/api/v1/audit?action=login&limit=500', { cookie: admin });
  assert.equal(r.status, 200);
  assert.ok(r.body.total >= 3);
  assert.equal(r.body.items[0].ip, '127.0.0.1');
  assert.ok(r.body.items[0].request_id);
  const failed = await server.request('GET', '/api/v1/audit?action=login_failed', { cookie: admin });
  assert.ok(failed.body.total >= 4);
  const since = new Date(Date.now() + 3600e3).toISOString();
  const none = await server.request('GET', `/api/v1/audit?since=${since}`, { cookie: admin });
  assert.equal(none.body.total, 0);
});
