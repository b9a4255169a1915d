// The gridgov command line and the server's life: subcommands, settings from a TOML file and
// the environment, refusing bad settings, and a graceful stop that finishes requests in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, launch, gridgov, freshDatabaseUrl, PASSWORD, DB } from '../support/harness.mjs';

test('version, migrate, user add / passwd / list', () => {
  assert.match(gridgov(['version']).stdout, /^gridgov \d+\.\d+\.\d+/);
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-cli-'));
  const db = ['--database', freshDatabaseUrl(dir), '--key-file', join(dir, 'k.key'), '--log-level', 'warn'];
  const m = gridgov(['migrate', ...db]);
  assert.equal(m.status, 0, m.stderr);
  assert.match(m.stdout, /schema version [1-9]/);
  const again = gridgov(['migrate', ...db]);
  assert.match(again.stdout, /0 migration\(s\) applied/);
  const add = gridgov(['user', ...db, 'add', 'wangqiang', '--role', 'center', '--name', '王强', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(add.status, 0, add.stderr);
  const weak = gridgov(['user', ...db, 'add', 'weakling', '--password-stdin'], { input: 'weak\n' });
  assert.equal(weak.status, 2);
  assert.match(weak.stderr, /\[password\]/);
  const dup = gridgov(['user', ...db, 'add', 'wangqiang', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(dup.status, 2);
  const badRole = gridgov(['user', ...db, 'add', 'someone', '--role', 'king', '--password-stdin'], { input: `${PASSWORD}\n` });
  assert.equal(badRole.status, 2);
  const passwd = gridgov(['user', ...db, 'passwd', 'wangqiang', '--password-stdin'], { input: 'Another#2026\n' });
  assert.equal(passwd.status, 0, passwd.stderr);
  const list = gridgov(['user', ...db, 'list']);
  assert.match(list.stdout, /wangqiang\s+center\s+yes\s+王强/);
  assert.doesNotMatch(list.stdout, /weakling|someone/);
});

test('api-key add / list / revoke: the key is printed once and opens the API until revoked', async () => {
  const server = await startServer();
  try {
    const add = gridgov(['api-key', ...server.common, 'add', '12345 热线', '--role', 'center']);
    assert.equal(add.status, 0, add.stderr);
    const key = add.stdout.trim();
    assert.match(key, /^ggk_[A-Za-z0-9-]{8}_[A-Za-z0-9_-]{43}$/);
    const me = await server.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.role, 'center');
    const list = gridgov(['api-key', ...server.common, 'list']);
    assert.match(list.stdout, /center\s+-\s+yes\s+12345 热线/);
    assert.doesNotMatch(list.stdout, new RegExp(key.slice(13)), 'the secret is shown once');
    assert.equal(gridgov(['api-key', ...server.common, 'add', 'x', '--role', 'admin']).status, 2, 'never an administrator');
    assert.equal(gridgov(['api-key', ...server.common, 'add', 'x', '--scope', '999']).status, 2);
    const id = /^(\d+)/m.exec(list.stdout.split('\n')[1])[1];
    assert.equal(gridgov(['api-key', ...server.common, 'revoke', id]).status, 0);
    // the server caches nothing of keys: the next request is refused
    const after = await server.request('GET', '/api/v1/auth/me', { headers: { authorization: `Bearer ${key}` } });
    assert.equal(after.status, 401);
  } finally {
    await server.stop();
  }
});

test('validate checks the coverage of the demo city and exits 0; a broken tree exits 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-validate-'));
  const db = ['--database', freshDatabaseUrl(dir), '--key-file', join(dir, 'k.key'), '--log-level', 'warn'];
  assert.equal(gridgov(['demo', ...db]).status, 0);
  const ok = gridgov(['validate', ...db]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /197 nodes with boundaries, 33 parents checked, 0 finding\(s\)/);
  const street = gridgov(['validate', ...db, '--node', '320115005', '--tolerance-m', '0.5']);
  assert.match(street.stdout, /176 nodes with boundaries, 31 parents checked, 0 finding/);
  const unknown = gridgov(['validate', ...db, '--node', '999999']);
  assert.equal(unknown.status, 2);
});

test('export and import carry the whole tree from one database to another', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-exchange-'));
  const other = mkdtempSync(join(tmpdir(), 'gridgov-exchange-'));
  const from = ['--database', freshDatabaseUrl(dir), '--key-file', join(dir, 'k.key'), '--log-level', 'warn'];
  const to = ['--database', freshDatabaseUrl(other), '--key-file', join(other, 'k.key'), '--log-level', 'warn'];
  assert.equal(gridgov(['demo', ...from]).status, 0);
  const file = join(dir, 'tree.geojson');
  assert.equal(gridgov(['export', ...from, '-o', file]).status, 0);
  const partial = join(dir, 'lukou.geojson');
  assert.equal(gridgov(['export', ...from, '--node', '320115005', '-o', partial]).status, 0);
  const orphan = gridgov(['import', ...to, partial]);
  assert.equal(orphan.status, 1);
  assert.match(orphan.stdout, /No node with code 320115 here or in the file/);
  const dry = gridgov(['import', ...to, file, '--dry-run']);
  assert.equal(dry.status, 0, dry.stdout + dry.stderr);
  assert.match(dry.stdout, /197 nodes, 0 problem\(s\), 0 coverage finding\(s\)/);
  assert.equal(gridgov(['export', ...to]).stdout.trim(), '{"type":"FeatureCollection","features":[]}');
  const real = gridgov(['import', ...to, file]);
  assert.match(real.stdout, /imported 197 nodes/);
  assert.equal(gridgov(['validate', ...to]).status, 0);
});

test('Shapefile and GeoPackage go out and come back through GDAL, Chinese names and all', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-gis-'));
  const db = (name) => ['--database', DB === 'sqlite' ? `sqlite:${join(dir, name)}.db` : freshDatabaseUrl(dir), '--key-file', join(dir, 'k.key'), '--log-level', 'warn'];
  const from = db('from');
  assert.equal(gridgov(['demo', ...from]).status, 0);
  for (const ext of ['gpkg', 'shp']) {
    const file = join(dir, `tree.${ext}`);
    const out = gridgov(['export', ...from, '-o', file]);
    assert.equal(out.status, 0, out.stderr);
    const to = db(`to-${ext}`);
    const imported = gridgov(['import', ...to, file]);
    assert.match(imported.stdout, /197 nodes, 0 problem\(s\), 0 coverage finding\(s\)/, imported.stdout + imported.stderr);
    assert.equal(gridgov(['validate', ...to]).status, 0);
    const back = JSON.parse(gridgov(['export', ...to, '--node', '320115005001']).stdout);
    assert.ok(back.features.some((f) => f.properties.name === '永兴社区第1网格'), ext);
  }
  const bad = gridgov(['export', ...from, '-o', join(dir, 'tree.xyz')]);
  assert.equal(bad.status, 2);
  const unreadable = join(dir, 'broken.gpkg');
  writeFileSync(unreadable, 'not a geopackage');
  assert.notEqual(gridgov(['import', ...db('never'), unreadable]).status, 0);
});

test('serve --help documents every setting with its variable', () => {
  const help = gridgov(['serve', '--help']).stdout;
  for (const flag of ['--port', '--database', '--threads', '--max-body-bytes', '--idle-timeout', '--request-timeout',
    '--shutdown-grace', '--web-root', '--session-idle-minutes', '--login-max-failures', '--key-file', '--access-log']) {
    assert.ok(help.includes(flag), flag);
  }
  assert.match(help, /GRIDGOV_DATABASE_URL/);
});

test('bad settings stop the start with a clear message', () => {
  const r = gridgov(['serve', '--port', '99999']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /http\.port/);
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-cfg-'));
  writeFileSync(join(dir, 'bad.toml'), '[http]\nprot = 8080\n');
  const c = gridgov(['serve', '--config', join(dir, 'bad.toml')]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /unknown setting 'http\.prot'/);
  const d = gridgov(['migrate', '--database', 'mysql://nope']);
  assert.equal(d.status, 2);
});

test('settings come from a TOML file and GRIDGOV_* variables override it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-cfg-'));
  const file = join(dir, 'gridgov.toml');
  writeFileSync(file, '[http]\nmax_body_bytes = 2048\n[login]\nmax_failures = 2\n');
  const server = await startServer({ args: ['--config', file], env: { GRIDGOV_LOGIN_MAX_FAILURES: '3' } });
  try {
    const big = await server.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password: 'x'.repeat(3000) } });
    assert.equal(big.status, 413);
    const codes = [];
    for (let i = 0; i < 3; i++) {
      codes.push((await server.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password: 'Wrong#123' } })).status);
    }
    assert.deepEqual(codes, [401, 401, 423]);
  } finally {
    await server.stop();
  }
});

test('SIGTERM finishes a request in flight, then the server exits 0', async () => {
  const server = await startServer();
  const body = JSON.stringify({ login: 'admin', password: PASSWORD });
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.on('connect', resolve));
  let answer = '';
  socket.on('data', (c) => { answer += c; });
  const closed = new Promise((resolve) => socket.on('close', resolve));
  // half the request, then the signal, then the rest
  socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 300));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  // a new connection is refused while draining
  const refused = await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    s.on('error', () => resolve(true));
    s.on('connect', () => { s.destroy(); resolve(false); });
  });
  assert.ok(refused, 'no new connections while stopping');
  socket.write(body.slice(10));
  await closed;
  assert.match(answer, /^HTTP\/1\.1 200 OK/);
  assert.match(answer, /Connection: close/i);
  const { code } = await server.exited;
  assert.equal(code, 0);
});

test('idle keep-alive connections do not hold up a stop', async () => {
  const server = await startServer();
  const socket = net.connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.on('connect', resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  server.child.kill('SIGTERM');
  const { code } = await server.exited;
  assert.equal(code, 0);
  assert.ok(Date.now() - started < 5000, 'stopped without waiting for the idle connection');
  socket.destroy();
});

test('a client that sends its head too slowly is cut off, and so is an idle one', async () => {
  const server = await startServer({ args: ['--request-timeout', '1', '--idle-timeout', '1'] });
  try {
    const slow = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => slow.on('connect', resolve));
    const started = Date.now();
    slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');  // never finished
    await new Promise((resolve) => slow.on('close', resolve));
    const waited = Date.now() - started;
    assert.ok(waited >= 900 && waited < 5000, `closed after ${waited} ms`);

    const idle = net.connect(server.port, '127.0.0.1');
    let answer = '';
    idle.on('data', (c) => { answer += c; });
    await new Promise((resolve) => idle.on('connect', resolve));
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => idle.on('close', resolve));
    assert.match(answer, /^HTTP\/1\.1 200 OK/);
    assert.equal((await server.request('GET', '/healthz')).status, 200, 'still serving');
  } finally {
    await server.stop();
  }
});

test('Expect: 100-continue is answered before the body is sent', async () => {
  const server = await startServer();
  try {
    const body = JSON.stringify({ login: 'admin', password: PASSWORD });
    const socket = net.connect(server.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c) => { answer += c; });
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
    for (let i = 0; i < 50 && !answer; i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(answer, /^HTTP\/1\.1 100 Continue\r\n\r\n/);
    socket.write(body);
    await new Promise((resolve) => socket.on('close', resolve));
    assert.match(answer, /HTTP\/1\.1 200 OK/);
    const tooBig = await new Promise((resolve) => {
      const s = net.connect(server.port, '127.0.0.1');
      let text = '';
      s.on('data', (c) => { text += c; });
      s.on('close', () => resolve(text));
      s.on('connect', () => s.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n'));
    });
    assert.match(tooBig, /^HTTP\/1\.1 413/);
  } finally {
    await server.stop();
  }
});

test('what was acknowledged survives kill -9', async () => {
  const server = await startServer();
  const admin = await server.login('admin');
  const created = [];
  for (let i = 0; i < 20; i++) {
    const r = await server.request('POST', '/api/v1/users',
      { cookie: admin, body: { login: `durable${i}`, name: `持久 ${i}`, role: 'volunteer', password: 'Durable#2026' } });
    assert.equal(r.status, 201);
    created.push(r.body.login);
  }
  server.child.kill('SIGKILL');
  const { signal } = await server.exited;
  assert.equal(signal, 'SIGKILL');
  const again = await launch(server);
  try {
    const cookie = await again.login('admin');
    const list = await again.request('GET', '/api/v1/users?q=durable&limit=100', { cookie });
    assert.deepEqual(list.body.items.map((u) => u.login).sort(), created.sort());
    assert.equal((await again.request('POST', '/api/v1/auth/login', { body: { login: 'durable7', password: 'Durable#2026' } })).status, 200);
  } finally {
    await again.stop();
  }
});
