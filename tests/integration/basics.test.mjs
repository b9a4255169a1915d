// The server's plumbing against a running gridgov: health, readiness, metrics, errors for unknown
// paths and wrong methods, the web app's files and fallback, gzip, headers, keep-alive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { startServer, DB, WEB_ROOT } from '../support/harness.mjs';

// a request without any decoding: the bytes as they came
const raw = (method, path, headers = {}) => new Promise((resolve, reject) => {
  const req = http.request(`${server.base}${path}`, { method, headers }, (res) => {
    const parts = [];
    res.on('data', (b) => parts.push(b));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
  });
  req.on('error', reject);
  req.end();
});

let server;
before(async () => { server = await startServer(); });
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0, 'gridgov exits cleanly on SIGTERM');
});

test('healthz and readyz answer, readyz names the database', async () => {
  const h = await server.request('GET', '/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok' });
  const r = await server.request('GET', '/readyz');
  assert.equal(r.status, 200);
  assert.equal(r.body.database, DB === 'sqlite' ? 'sqlite' : 'postgresql');
});

test('every answer carries a request id, and a given one is kept', async () => {
  const a = await server.request('GET', '/healthz');
  assert.match(a.headers.get('x-request-id'), /^[A-Za-z0-9_-]{8,}$/);
  const b = await server.request('GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
  assert.equal(b.headers.get('x-request-id'), 'trace-42');
  const c = await server.request('GET', '/nope/api', { headers: { 'x-request-id': 'bad id with spaces' } });
  assert.notEqual(c.headers.get('x-request-id'), 'bad id with spaces');
  assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
});

test('metrics count requests by route and report the pool', async () => {
  await server.request('GET', '/healthz');
  await server.request('GET', '/api/v1/nothing-here');
  const m = await server.request('GET', '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.match(m.text, /gridgov_http_requests_total\{route="\/healthz",method="GET",status="200"\} \d+/);
  assert.match(m.text, /gridgov_http_requests_total\{route="not_found",method="GET",status="404"\} 1/);
  assert.match(m.text, /gridgov_http_request_duration_seconds_bucket\{route="\/healthz",le="\+Inf"\} \d+/);
  assert.match(m.text, /gridgov_db_pool_size \d+/);
  assert.match(m.text, /gridgov_http_open_connections \d+/);
});

test('unknown API paths are JSON 404s and wrong methods 405 with Allow', async () => {
  const nf = await server.request('GET', '/api/v1/does-not-exist');
  assert.equal(nf.status, 404);
  assert.equal(nf.body.error.code, 'route_not_found');
  assert.ok(nf.body.error.request_id);
  const na = await server.request('DELETE', '/api/v1/auth/login');
  assert.equal(na.status, 405);
  assert.equal(na.headers.get('allow'), 'POST');
  assert.equal(na.body.error.code, 'method_not_allowed');
  const ns = await server.request('POST', '/some/page', { body: {} });
  assert.equal(ns.status, 405);
  assert.equal(ns.headers.get('allow'), 'GET, HEAD');
});

test('the map has no base tiles unless the deployment names its tile server', async () => {
  const admin = await server.login('admin');
  const r = await server.request('GET', '/api/v1/map/config', { cookie: admin });
  assert.equal(r.status, 200);
  assert.equal(r.body.base_tiles_url, null);
  const other = await startServer({ args: ['--base-tiles-url', 'https://tiles.city.example/{z}/{x}/{y}.png', '--base-tiles-attribution', '© 市测绘院'] });
  try {
    const cookie = await other.login('admin');
    const c = await other.request('GET', '/api/v1/map/config', { cookie });
    assert.equal(c.body.base_tiles_url, 'https://tiles.city.example/{z}/{x}/{y}.png');
    assert.equal(c.body.base_tiles_attribution, '© 市测绘院');
  } finally {
    await other.stop();
  }
});

test('the OpenAPI document and the version are public', async () => {
  const doc = await server.request('GET', '/api/v1/openapi.json');
  assert.equal(doc.status, 200);
  assert.ok(doc.body.paths['/api/v1/users']);
  const v = await server.request('GET', '/api/v1/version');
  assert.equal(v.body.name, 'gridgov');
});

test('the web app is served with types, caching and the index fallback', { skip: !existsSync(join(WEB_ROOT, 'index.html')) && 'web app not built' }, async () => {
  const index = await server.request('GET', '/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const route = await server.request('GET', '/admin/users');
  assert.equal(route.status, 200);
  assert.equal(route.text, index.text);
  const asset = readdirSync(join(WEB_ROOT, 'assets')).find((f) => f.endsWith('.js'));
  const js = await server.request('GET', `/assets/${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const head = await raw('HEAD', `/assets/${asset}`);
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(js.text));
  assert.equal(head.body.length, 0);
  const missing = await server.request('GET', '/assets/missing-file.js');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.error.code, 'not_found');
});

test('the web app and the API go gzipped to clients that take it, as they are to others', { skip: !existsSync(join(WEB_ROOT, 'index.html')) && 'web app not built' }, async () => {
  const asset = readdirSync(join(WEB_ROOT, 'assets')).filter((f) => f.endsWith('.js'))
    .map((f) => ({ f, size: statSync(join(WEB_ROOT, 'assets', f)).size })).sort((a, b) => b.size - a.size)[0].f;
  const file = readFileSync(join(WEB_ROOT, 'assets', asset));
  const packed = await raw('GET', `/assets/${asset}`, { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(packed.headers['content-encoding'], 'gzip');
  assert.equal(packed.headers.vary, 'Accept-Encoding');
  assert.ok(packed.body.length < file.length / 2, `${packed.body.length} bytes for ${file.length}`);
  assert.deepEqual(gunzipSync(packed.body), file);
  const again = await raw('HEAD', `/assets/${asset}`, { 'Accept-Encoding': 'gzip' });
  assert.equal(Number(again.headers['content-length']), packed.body.length);
  const plain = await raw('GET', `/assets/${asset}`, { 'Accept-Encoding': 'gzip;q=0, br' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(plain.body, file);
  // an API answer, compressed as it is made
  const api = await raw('GET', '/api/v1/openapi.json', { 'Accept-Encoding': 'gzip' });
  assert.equal(api.headers['content-encoding'], 'gzip');
  const document = JSON.parse(gunzipSync(api.body).toString('utf8'));
  assert.ok(document.paths['/api/v1/figures']);
  const small = await raw('GET', '/healthz', { 'Accept-Encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined, 'too small to be worth it');
});

test('keep-alive: many requests on one connection', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ports = new Set();
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve, reject) => {
      http.get(`${server.base}/healthz`, { agent }, (res) => {
        ports.add(res.socket.localPort);
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
  }
  agent.destroy();
  assert.equal(ports.size, 1, 'all 20 requests used the same connection');
});

test('the access log has one JSON line per request', async () => {
  await server.request('GET', '/healthz', { headers: { 'x-request-id': 'logged-1' } });
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(join(server.dir, 'access.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const line = lines.find((l) => l.request_id === 'logged-1');
  assert.ok(line);
  assert.equal(line.status, 200);
  assert.equal(line.route, '/healthz');
  assert.equal(typeof line.us, 'number');
});
