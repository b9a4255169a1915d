// gridgov behind the shipped nginx site (deploy/nginx-gridgov.conf): the proxy block of the site
// is taken as it ships, around it a server on a free port without TLS, and gridgov trusts the
// proxy. A client that forges X-Forwarded-For and X-Real-IP neither escapes the per-address limit
// of anonymous reports nor writes a forged address into the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, DB } from '../support/harness.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
let server;
let nginx;
let base;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// The shipped site's proxy location, verbatim.
function shippedProxyBlock() {
  const site = readFileSync(new URL('../../deploy/nginx-gridgov.conf', import.meta.url), 'utf8');
  const start = site.indexOf('location ~ ^/(api|open311|healthz|readyz)');
  assert.ok(start > 0, 'the shipped site proxies the API');
  const end = site.indexOf('\n    }\n', start);
  return site.slice(start, end + 6);
}

before(async () => {
  if (!NGINX) return;
  server = await startServer({ args: ['--trust-proxy', 'true', '--public-reports-per-hour', '3', '--metrics-allow', '10.1.2.3', '--public-url', 'https://grid.example.gov.cn'] });
  const port = await freePort();
  const dir = join(server.dir, 'nginx');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream gridgov { server 127.0.0.1:${server.port}; keepalive 8; }
  server {
    listen 127.0.0.1:${port};
    ${shippedProxyBlock()}
  }
}
`);
  nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  base = `http://127.0.0.1:${port}`;
  // ready when it answers
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not come up');
});
after(async () => { nginx?.kill(); await server?.stop(); });

test('forged forwarding headers change neither the report limit nor the audited address', { skip: !NGINX && 'nginx is not installed' }, async () => {
  const report = (forged) => fetch(`${base}/api/v1/public/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forged, 'x-real-ip': forged },
    body: JSON.stringify({ title: '路灯不亮', description: '小区门口路灯不亮', lon: 118.8, lat: 31.7 }),
  });
  const statuses = [];
  const first = await report('203.0.113.1');
  statuses.push(first.status);
  // the tracking link is built on the configured public address, not on what the client sent
  assert.match((await first.json()).track_url, /^https:\/\/grid\.example\.gov\.cn\/track\/[0-9A-Z]{10}$/);
  for (let i = 1; i < 5; i++) statuses.push((await report(`203.0.113.${i + 1}`)).status);
  assert.deepEqual(statuses, [201, 201, 201, 429, 429], 'three an hour from one address, whatever it claims');
  // a failed login through the proxy is audited with the address nginx saw
  const failed = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7', 'x-real-ip': '198.51.100.7' },
    body: JSON.stringify({ login: 'admin', password: 'wrong-password-1' }),
  });
  assert.equal(failed.status, 401);
  const admin = await server.login('admin');
  const audit = await server.request('GET', '/api/v1/audit?action=login_failed', { cookie: admin });
  assert.equal(audit.body.items[0].ip, '127.0.0.1', JSON.stringify(audit.body.items[0]));
});

test('/metrics answers only the monitoring addresses; the database file is its owner\'s alone', { skip: !NGINX && 'nginx is not installed' }, async () => {
  assert.equal((await server.request('GET', '/metrics')).status, 404, 'not from an address outside metrics_allow');
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  if (DB === 'sqlite') assert.equal(statSync(join(server.dir, 'gridgov.db')).mode & 0o777, 0o600);
});
