// Starts a real gridgov server for the integration and browser tests: a fresh database (a new
// SQLite file, or a new database on the private PostgreSQL server that ctest started), accounts
// made with the `gridgov user add` command, `gridgov serve` on a free port; and stops it again.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.GRIDGOV_BIN ?? '../build/debug/gridgov';
export const DB = process.env.GRIDGOV_TEST_DB ?? 'sqlite';
export const WEB_ROOT = process.env.GRIDGOV_WEB_ROOT ?? '../web/dist';
export const OUT = process.env.GRIDGOV_TEST_OUT ?? join(tmpdir(), 'gridgov-test-out');
export const PASSWORD = 'Passw0rd!';

let counter = 0;

export function freshDatabaseUrl(dir) {
  if (DB === 'sqlite') return `sqlite:${join(dir, 'gridgov.db')}`;
  const state = process.env.GRIDGOV_TEST_PG_STATE;
  if (!state) throw new Error('GRIDGOV_TEST_PG_STATE is not set: run the tests through ctest');
  const admin = readFileSync(join(state, 'url'), 'utf8').trim();
  const name = `it_${process.pid}_${counter++}_${Date.now() % 100000}`;
  execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${name}`]);
  return admin.replace(/\/[^/]*$/, `/${name}`);
}

// Runs the gridgov binary to completion; returns { status, stdout, stderr }.
export function gridgov(args, { input = '', env = {} } = {}) {
  const r = spawnSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startServer({ users = [], args = [], env = {}, demo = false, demoArgs = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-it-'));
  const database = freshDatabaseUrl(dir);
  const common = ['--database', database, '--key-file', join(dir, 'gridgov.key'), '--log-level', 'warn'];
  if (demo) {
    const r = gridgov(['demo', ...common, ...demoArgs]);
    if (r.status !== 0) throw new Error(`gridgov demo failed: ${r.stderr}`);
  }
  const accounts = demo ? users : [{ login: 'admin', role: 'admin', name: '管理员', phone: '13851000001' }, ...users];
  for (const u of accounts) {
    const extra = [];
    if (u.phone) extra.push('--phone', u.phone);
    if (u.scope) extra.push('--scope', String(u.scope));
    const r = gridgov(['user', ...common, 'add', u.login, '--role', u.role, '--name', u.name ?? u.login,
      '--password-stdin', ...extra], { input: `${u.password ?? PASSWORD}\n` });
    if (r.status !== 0) throw new Error(`user add ${u.login} failed: ${r.stderr}`);
  }
  return launch({ dir, database, common, args, env });
}

// Starts `gridgov serve` on an existing database (also used to restart one after a crash).
export async function launch({ dir, database, common, args = [], env = {} }) {
  const child = spawn(BIN, ['serve', ...common, '--log-level', 'info', '--port', '0', '--web-root', WEB_ROOT,
    '--access-log', join(dir, 'access.log'), '--threads', '2', '--shutdown-grace', '10', ...args],
  { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gridgov did not start:\n${stderr}`)), 30000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on http:\/\/[\d.]+:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`gridgov exited with ${code}:\n${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // a server that dies on its own leaves what it said, for the failing test to be understood
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (stopping || code === 0 || signal === 'SIGKILL') return;  // stopped, or killed on purpose
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, `server-died-${port}.log`), `exit ${code} ${signal}\n${stderr}`);
    process.stderr.write(`gridgov on port ${port} died (${code ?? signal}); its log: ${join(OUT, `server-died-${port}.log`)}\n${stderr.slice(-3000)}\n`);
  });
  const server = {
    dir, database, port, child, common, args, env,
    base: `http://127.0.0.1:${port}`,
    get stderr() { return stderr; },
    async stop() {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited,
    // fetch against the server; returns { status, headers, body (parsed JSON when JSON), text }
    async request(method, path, { body, headers = {}, cookie, json = true } = {}) {
      const h = { ...headers };
      if (cookie) h.cookie = cookie;
      let payload = body;
      if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        payload = JSON.stringify(body);
        if (json && !h['content-type']) h['content-type'] = 'application/json';
      }
      const res = await fetch(server.base + path, { method, headers: h, body: payload, redirect: 'manual' });
      const text = await res.text();
      let parsed;
      if (/^application\/(geo\+)?json/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    async login(login, password = PASSWORD) {
      const r = await server.request('POST', '/api/v1/auth/login', { body: { login, password } });
      if (r.status !== 200) throw new Error(`login ${login}: ${r.status} ${r.text}`);
      const cookie = r.headers.get('set-cookie').split(';')[0];
      return cookie;
    },
  };
  return server;
}

// Sends raw bytes on a new connection and returns what came back before the server closed it
// (or before `waitMs` passed), with the status code of the first response.
export function rawRequest(port, data, { waitMs = 5000, endAfterWrite = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const done = () => {
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: m ? Number(m[1]) : null, text: received, body: bodyOf(received) });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => {
      socket.write(data);
      if (endAfterWrite) socket.end();
    });
    socket.on('data', (chunk) => { received += chunk.toString('latin1'); });
    socket.on('close', () => { clearTimeout(timer); done(); });
    socket.on('error', () => {});
  });
}

function bodyOf(raw) {
  const at = raw.indexOf('\r\n\r\n');
  if (at < 0) return undefined;
  try { return JSON.parse(raw.slice(at + 4)); } catch { return undefined; }
}

export function outDir() {
  mkdirSync(OUT, { recursive: true });
  return OUT;
}

// A point inside a grid of the demo city (the mean of a convex cell's corners), as [lon, lat].
export async function pointInGrid(server, cookie, code = '320115005001001') {
  const grid = (await server.request('GET', `/api/v1/grid/nodes?q=${code}`, { cookie })).body.items[0];
  const shape = (await server.request('GET', `/api/v1/grid/nodes/${grid.id}?geometry=1`, { cookie })).body.boundary;
  const ring = (shape.type === 'Polygon' ? shape.coordinates : shape.coordinates[0])[0].slice(0, -1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}
