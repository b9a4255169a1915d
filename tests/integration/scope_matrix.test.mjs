// Role × scope × route over the whole API: a grid worker of grid A records an event, a person, a
// key place, a patrol and a visit, each carrying a marker; then everyone who must not see grid A
// (a worker of another community's grid, that community's centre and scoped administrator, a
// department handler the event was never sent to, a volunteer, an API key of the other
// community, nobody at all) walks every route of the OpenAPI document, with A's ids in every path
// parameter. No answer may carry the marker, none may be a 5xx, and every answer, a denial above
// all, comes within a second (a denial audited inside a transaction once froze SQLite).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointInGrid } from '../support/harness.mjs';

const MARKER = '越权探针甲';
const PASSWORD = 'Gridgov@2026';
let server;
const as = {};
const ids = new Set();
let keyB;

before(async () => {
  server = await startServer({ demo: true, demoArgs: ['--people', '0', '--events', '0'] });
  as.admin = await server.login('admin', PASSWORD);
  as.worker = await server.login('worker', PASSWORD);
  const node = async (code) => (await server.request('GET', `/api/v1/grid/nodes?q=${code}`, { cookie: as.admin })).body.items.find((n) => n.code === code);
  const gridA = await node('320115005001001');
  const communityB = await node('320115005002');
  const gridB = (await server.request('GET', `/api/v1/grid/nodes?parent_id=${communityB.id}`, { cookie: as.admin })).body.items[0];
  const user = async (login, role, scope) => {
    const r = await server.request('POST', '/api/v1/users', { cookie: as.admin,
      body: { login, name: login, role, scope_node_id: scope, password: PASSWORD } });
    assert.equal(r.status, 201, r.text);
  };
  await user('worker-b', 'grid_worker', gridB.id);
  await user('centre-b', 'center', communityB.id);
  await user('admin-b', 'admin', communityB.id);
  for (const login of ['worker-b', 'centre-b', 'admin-b', 'dept', 'volunteer']) as[login] = await server.login(login, PASSWORD);
  const key = await server.request('POST', '/api/v1/api-keys', { cookie: as.admin, body: { name: 'B 社区系统', role: 'center', scope_node_id: communityB.id } });
  keyB = key.body.key;

  // grid A's records, each with the marker
  const point = await pointInGrid(server, as.admin);
  const made = async (path, body, headers) => {
    const r = await server.request('POST', path, { cookie: as.worker, body, headers });
    assert.ok(r.status === 201 || r.status === 200, `${path}: ${r.text}`);
    ids.add(r.body.id);
    return r.body;
  };
  await made('/api/v1/events', { channel: 'grid_worker', title: MARKER, description: `${MARKER} 13912345678`, category_code: 'CG0602', lon: point[0], lat: point[1] });
  const person = await made('/api/v1/people', { name: MARKER, household_type: 'registered', node_id: gridA.id, phone: '13912345678' });
  await made('/api/v1/places', { kind: '01', name: MARKER, risk_level: 'medium', contact_name: MARKER, contact_phone: '13912345678', node_id: gridA.id });
  await made('/api/v1/patrols', { lon: point[0], lat: point[1] });
  await made('/api/v1/visits', { kind: 'person', target_id: person.id, notes: MARKER, findings: MARKER, lon: point[0], lat: point[1] });
  // the grid's own worker sees them: the marker is there to be found
  const own = await server.request('GET', '/api/v1/events', { cookie: as.worker });
  assert.ok(own.text.includes(MARKER), 'the worker of grid A sees the event');
});
after(async () => { await server?.stop(); });

// Every route of the API document, with each of A's ids in its path parameters (on a fresh
// database they are all 1: the first record of every table is grid A's).
async function routes() {
  const doc = (await server.request('GET', '/api/v1/openapi.json')).body;
  const out = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (/stream|\/metrics$/.test(path)) continue;  // an endless event stream; the metrics page
    for (const method of Object.keys(methods)) {
      const m = method.toUpperCase();
      const params = path.match(/\{[^}]+\}/g) ?? [];
      if (params.length === 0) {
        out.push([m, path]);
        continue;
      }
      for (const id of ids) {
        let filled = path;
        for (const p of params) filled = filled.replace(p, p === '{file}' ? `${id}.json` : String(id));
        out.push([m, filled]);
      }
    }
  }
  return out;
}

async function timed(method, path, who) {
  const headers = {};
  let cookie;
  if (who === 'key-b') headers.authorization = `Bearer ${keyB}`;
  else if (who !== 'nobody') cookie = as[who];
  const write = method !== 'GET' && method !== 'HEAD';
  const send = async () => {
    const started = performance.now();
    const r = await server.request(method, path, { cookie, headers, body: write ? {} : undefined });
    return { r, ms: performance.now() - started };
  };
  let { r, ms } = await send();
  // a busy machine may slow one answer; a frozen server answers neither
  if (ms > 1000) ({ r, ms } = await send());
  return { r, ms };
}

const outsiders = ['worker-b', 'centre-b', 'admin-b', 'dept', 'volunteer', 'key-b', 'nobody'];

test('nobody outside grid A reads what was recorded in it, on any route', async () => {
  const all = await routes();
  const gets = all.filter(([m]) => m === 'GET');
  assert.ok(gets.length > 80, `${gets.length} reads`);
  const leaks = [];
  for (const who of outsiders) {
    for (const [method, path] of gets) {
      const { r, ms } = await timed(method, path, who);
      if (r.status >= 500) leaks.push(`${who} ${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      if (ms > 1000) leaks.push(`${who} ${method} ${path}: ${Math.round(ms)} ms`);
      if (r.text.includes(MARKER)) leaks.push(`${who} ${method} ${path}: ${r.status} shows grid A's record`);
      // a record of grid A (a patrol carries no text of its own) is not there for them at all
      if (r.status < 300 && /^\/api\/v1\/(events|people|places|patrols)\/\d+/.test(path)) leaks.push(`${who} ${method} ${path}: ${r.status}`);
    }
  }
  assert.deepEqual(leaks, []);
  // the same walk by grid A's community head finds the marker on each kind of record: the
  // search above could have seen a leak
  as.gridhead = await server.login('gridhead', PASSWORD);
  const found = new Set();
  for (const [method, path] of gets) {
    const { r } = await timed(method, path, 'gridhead');
    if (r.text.includes(MARKER) || (r.status === 200 && path === '/api/v1/patrols/1')) found.add(path.split('/')[3]);
  }
  for (const kind of ['events', 'people', 'places', 'patrols', 'visits']) assert.ok(found.has(kind), `${kind}: ${[...found]}`);
});

test('every write outside one\'s scope or role is refused at once and changes nothing of grid A', async () => {
  const writes = (await routes()).filter(([m, path]) => m !== 'GET' && !/auth\/(login|logout|password)/.test(path));
  assert.ok(writes.length > 60, `${writes.length} writes`);
  const before = (await server.request('GET', '/api/v1/events', { cookie: as.worker })).text;
  const problems = [];
  for (const who of outsiders) {
    for (const [method, path] of writes) {
      const { r, ms } = await timed(method, path, who);
      if (r.status >= 500) problems.push(`${who} ${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
      if (ms > 1000) problems.push(`${who} ${method} ${path}: ${Math.round(ms)} ms`);
      if (r.status < 300 && /^\/api\/v1\/(events|people|places|patrols|visits)\/\d+/.test(path)) problems.push(`${who} ${method} ${path}: ${r.status} changed grid A's record`);
      if (r.text.includes(MARKER)) problems.push(`${who} ${method} ${path}: ${r.status} shows grid A's record`);
    }
  }
  assert.deepEqual(problems, []);
  // the server still answers and grid A's event is as it was
  assert.equal((await server.request('GET', '/healthz')).status, 200);
  const afterwards = (await server.request('GET', '/api/v1/events', { cookie: as.worker })).text;
  assert.equal(JSON.parse(afterwards).total, JSON.parse(before).total);
});
