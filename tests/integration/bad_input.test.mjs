// Malformed requests, each answered with the right 4xx and error code; afterwards the server is
// still up and nothing was written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, rawRequest } from '../support/harness.mjs';

let server;
let admin;
let workerId;
let usersBefore;
before(async () => {
  server = await startServer({ users: [{ login: 'worker', role: 'grid_worker' }] });
  admin = await server.login('admin');
  usersBefore = (await server.request('GET', '/api/v1/users', { cookie: admin })).body.items;
  workerId = usersBefore.find((u) => u.login === 'worker').id;
});
after(async () => { await server.stop(); });

const json = (body) => ({ body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const newUser = (over) => ({ login: 'newuser', name: '新用户', role: 'volunteer', password: 'Newuser#2026', ...over });

// [name, method, path, options, status, code, field]
const cases = [
  ['broken JSON', 'POST', '/api/v1/auth/login', json('{"login":'), 400, 'malformed_json'],
  ['JSON array instead of object', 'POST', '/api/v1/auth/login', json('[1,2]'), 400, 'malformed_json'],
  ['JSON null body', 'POST', '/api/v1/users', json('null'), 400, 'malformed_json', null, true],
  ['empty body', 'POST', '/api/v1/auth/login', json(''), 400, 'malformed_json'],
  ['not JSON content type', 'POST', '/api/v1/auth/login', { body: 'login=admin', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
  ['login of the wrong type', 'POST', '/api/v1/auth/login', json({ login: 42, password: 'x' }), 400, 'invalid_field', 'login'],
  ['password missing', 'POST', '/api/v1/auth/login', json({ login: 'admin' }), 400, 'missing_field', 'password'],
  ['unknown field', 'POST', '/api/v1/auth/login', json({ login: 'admin', password: 'x', remember: true }), 400, 'unknown_field', 'remember'],
  ['SQL in the login', 'POST', '/api/v1/auth/login', json({ login: "' OR '1'='1' --", password: "' OR '1'='1" }), 401, 'bad_credentials'],
  ['invalid UTF-8 in JSON', 'POST', '/api/v1/auth/login', { body: Buffer.from([0x7b, 0x22, 0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
  ['JSON nested too deep', 'POST', '/api/v1/auth/login', json(`{"login":${'['.repeat(500)}${']'.repeat(500)}}`), 400, 'malformed_json'],
  ['unknown role', 'POST', '/api/v1/users', json(newUser({ role: 'superuser' })), 400, 'invalid_field', 'role', true],
  ['SQL in a new login', 'POST', '/api/v1/users', json(newUser({ login: "x'; DROP TABLE users; --" })), 400, 'invalid_field', 'login', true],
  ['scope as a string', 'POST', '/api/v1/users', json(newUser({ scope_node_id: '12' })), 400, 'invalid_field', 'scope_node_id', true],
  ['scope as a fraction', 'POST', '/api/v1/users', json(newUser({ scope_node_id: 1.5 })), 400, 'invalid_field', 'scope_node_id', true],
  ['empty name', 'POST', '/api/v1/users', json(newUser({ name: '' })), 400, 'invalid_field', 'name', true],
  ['name far too long', 'POST', '/api/v1/users', json(newUser({ name: '长'.repeat(5000) })), 400, 'invalid_field', 'name', true],
  ['phone with letters', 'POST', '/api/v1/users', json(newUser({ phone: 'call me' })), 400, 'invalid_field', 'phone', true],
  ['unknown field on create', 'POST', '/api/v1/users', json(newUser({ is_admin: true })), 400, 'unknown_field', 'is_admin', true],
  ['weak password on create', 'POST', '/api/v1/users', json(newUser({ password: 'password' })), 400, 'weak_password', 'password', true],
  ['NUL inside a string', 'POST', '/api/v1/users', json('{"login":"nul\\u0000user","name":"x","role":"volunteer","password":"Newuser#2026"}'), 400, 'invalid_field', 'login', true],
  ['non-numeric id', 'GET', '/api/v1/users/abc', {}, 404, 'not_found', null, true],
  ['id past 64 bits', 'GET', '/api/v1/users/99999999999999999999999', {}, 404, 'not_found', null, true],
  ['limit out of range', 'GET', '/api/v1/users?limit=100000', {}, 400, 'invalid_field', 'limit', true],
  ['limit not a number', 'GET', '/api/v1/users?limit=ten', {}, 400, 'invalid_field', 'limit', true],
  ['SQL in a role filter', 'GET', "/api/v1/users?role=admin'%20OR%20'1'='1", {}, 400, 'invalid_field', 'role', true],
  ['since not a time', 'GET', '/api/v1/audit?since=yesterday', {}, 400, 'invalid_field', 'since', true],
  ['If-Match garbage', 'PATCH', 'WORKER', { ...json({ name: 'x' }), headers: { 'content-type': 'application/json', 'if-match': 'banana' } }, 400, 'invalid_field', 'If-Match', true],
  ['active as a string', 'PATCH', 'WORKER', { ...json({ active: 'yes' }), headers: { 'content-type': 'application/json', 'if-match': '"v1"' } }, 400, 'invalid_field', 'active', true],
  ['garbage session cookie', 'GET', '/api/v1/users', { headers: { cookie: 'gridgov_session=%%%;;==; x' } }, 401, 'unauthenticated'],
  ['oversized session cookie', 'GET', '/api/v1/users', { headers: { cookie: `gridgov_session=${'a'.repeat(8000)}` } }, 401, 'unauthenticated'],
  ['malformed API key', 'GET', '/api/v1/users', { headers: { authorization: 'Bearer ggk_nope' } }, 401, 'unauthenticated'],
  ['bad percent-encoding in the query', 'GET', '/api/v1/users?q=%zz', {}, 400, 'bad_path', null, true],
];

for (const [name, method, rawPath, options, status, code, field, authed] of cases) {
  test(`${name}: ${status} ${code}`, async () => {
    const path = rawPath === 'WORKER' ? `/api/v1/users/${workerId}` : rawPath;
    const headers = { ...(options.headers ?? {}) };
    if (authed) headers.cookie = admin;
    const res = await fetch(server.base + path, { method, headers, body: options.body });
    const body = await res.json();
    assert.equal(res.status, status);
    assert.equal(body.error.code, code);
    if (field) assert.equal(body.error.field, field);
    assert.ok(body.error.message);
  });
}

// requests that fetch() would refuse to send, written on the socket as they are
const raw = [
  ['body over the limit', () => `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${3 * 1024 * 1024}\r\n\r\n{"login":"`, 413, 'payload_too_large'],
  ['headers over the limit', () => `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(40000)}\r\n\r\n`, 431, 'headers_too_large'],
  ['path traversal', () => 'GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_path'],
  ['encoded path traversal', () => 'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_path'],
  ['encoded slash traversal', () => 'GET /assets/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_path'],
  ['NUL in the path', () => 'GET /index.html%00.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_path'],
  ['absolute-form target', () => 'GET http://evil.example/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'bad_path'],
  ['not HTTP at all', () => 'HELLO THERE\r\n\r\n', 400, 'bad_request'],
  ['Content-Length not a number', () => 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400, 'bad_request'],
];

for (const [name, make, status, code] of raw) {
  test(`${name}: ${status} ${code}`, async () => {
    const res = await rawRequest(server.port, make());
    assert.equal(res.status, status, res.text.slice(0, 300));
    assert.equal(res.body?.error?.code, code);
  });
}

test('a body cut short does not hang or crash the server', async () => {
  const res = await rawRequest(server.port,
    'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"login"', { endAfterWrite: true, waitMs: 3000 });
  assert.ok(res.status === null || res.status >= 400);
});

test('after all that: the server is up and nothing was written', async () => {
  assert.ok(cases.length + raw.length >= 30, 'at least 30 malformed requests');
  assert.equal((await server.request('GET', '/healthz')).status, 200);
  const usersAfter = (await server.request('GET', '/api/v1/users', { cookie: admin })).body.items;
  assert.deepEqual(usersAfter, usersBefore);
  for (const action of ['user_created', 'user_updated', 'password_set']) {
    const r = await server.request('GET', `/api/v1/audit?action=${action}`, { cookie: admin });
    const fromApi = r.body.items.filter((a) => a.actor === 'admin');
    assert.equal(fromApi.length, 0, action);
  }
  assert.equal(server.child.exitCode, null, 'still running');
});
