// Restructuring the grid tree over HTTP: split, merge and renumber with dry runs, the tree "as
// of" an earlier time, the lineage, bad input naming the field, and a second gridgov process on
// the same database that routes by the new tree within its refresh interval.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch } from '../support/harness.mjs';

const rect = (lon0, lat0, lon1, lat1) => ({
  type: 'Polygon',
  coordinates: [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
});

let server;
let other;
let admin;
let worker;
const ids = {};
before(async () => {
  server = await startServer({ users: [{ login: 'worker', role: 'grid_worker' }] });
  admin = await server.login('admin');
  worker = await server.login('worker');
  const post = async (body) => {
    const r = await server.request('POST', '/api/v1/grid/nodes', { cookie: admin, body });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  ids.city = await post({ code: '3201', name: '南京市', boundary: rect(118, 31, 119, 32) });
  ids.district = await post({ code: '320115', name: '江宁区', parent_id: ids.city });
  ids.street = await post({ code: '320115005', name: '禄口街道', parent_id: ids.district });
  ids.c1 = await post({ code: '320115005001', name: '永兴社区', parent_id: ids.street, boundary: rect(118.8, 31.7, 118.82, 31.71) });
  ids.c2 = await post({ code: '320115005002', name: '白云路社区', parent_id: ids.street, boundary: rect(118.82, 31.7, 118.84, 31.71) });
  ids.g1 = await post({ code: '320115005001001', name: '第1网格', parent_id: ids.c1, kind: 'comprehensive', households: 200, population: 500, boundary: rect(118.8, 31.7, 118.81, 31.71) });
  ids.g2 = await post({ code: '320115005001002', name: '第2网格', parent_id: ids.c1, kind: 'comprehensive', households: 100, population: 300, boundary: rect(118.81, 31.7, 118.82, 31.71) });
  // a second process on the same database, looking for changes every 100 ms
  other = await launch({ dir: server.dir, database: server.database, common: server.common, args: ['--refresh-ms', '100'] });
});
after(async () => {
  await other?.stop();
  await server.stop();
});

const locate = (srv, lon, lat, extra = '') =>
  srv.request('GET', `/api/v1/grid/locate?lon=${lon}&lat=${lat}${extra}`, { cookie: admin });

const westHalf = { code: '320115005001003', name: '第1网格西', boundary: rect(118.8, 31.7, 118.805, 31.71) };
const eastHalf = { code: '320115005001004', name: '第1网格东', boundary: rect(118.805, 31.7, 118.81, 31.71) };

test('a split is checked, previewed, then done; the tree as of before still has the old grid', async () => {
  const split = (body, cookie = admin) =>
    server.request('POST', `/api/v1/grid/nodes/${ids.g1}/split`, { cookie, body });
  const bad = [
    [{ parts: 'two' }, 'parts'],
    [{ parts: [westHalf] }, 'parts'],
    [{ parts: [westHalf, { ...eastHalf, boundary: undefined }] }, 'parts[1].boundary'],
    [{ parts: [westHalf, { ...eastHalf, colour: 'red' }] }, 'parts[1].colour'],
    [{ parts: [westHalf, { ...eastHalf, code: '32011500500' }] }, 'parts[1].code'],
    [{ parts: [westHalf, { ...eastHalf, boundary: rect(118.806, 31.7, 118.81, 31.71) }] }, 'parts'],
    [{ parts: [westHalf, eastHalf], tolerance_m: -1 }, 'tolerance_m'],
    [{ parts: [westHalf, eastHalf], dry_run: 'yes' }, 'dry_run'],
  ];
  for (const [body, field] of bad) {
    const r = await split(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
  }
  assert.equal((await split({ parts: [westHalf, eastHalf] }, worker)).status, 403);

  const preview = await split({ parts: [westHalf, eastHalf], dry_run: true });
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(preview.body.created.map((n) => n.code), ['320115005001003', '320115005001004']);
  const gap = await split({ parts: [westHalf, { ...eastHalf, boundary: rect(118.806, 31.7, 118.81, 31.71) }], dry_run: true });
  assert.equal(gap.body.findings[0].kind, 'gap');
  assert.ok(Math.abs(gap.body.findings[0].area_m2 - 105000) < 5000, gap.text);
  assert.equal((await locate(server, 118.8075, 31.705)).body.node.id, ids.g1, 'a dry run writes nothing');

  ids.before = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const done = await split({ parts: [westHalf, eastHalf], reason: '人口增长' });
  assert.equal(done.status, 201, done.text);
  assert.ok(done.body.retired[0].valid_to);
  ids.east = done.body.created[1].id;
  assert.equal((await locate(server, 118.8075, 31.705)).body.node.code, '320115005001004');
  const then = await locate(server, 118.8075, 31.705, `&as_of=${ids.before}`);
  assert.equal(then.status, 200, then.text);
  assert.equal(then.body.node.code, '320115005001001');
  assert.equal(then.body.path.length, 5);
  const children = await server.request('GET', `/api/v1/grid/nodes?parent_id=${ids.c1}&as_of=${ids.before}`, { cookie: admin });
  assert.deepEqual(children.body.items.map((n) => n.code), ['320115005001001', '320115005001002']);
  const now = await server.request('GET', `/api/v1/grid/nodes?parent_id=${ids.c1}`, { cookie: admin });
  assert.deepEqual(now.body.items.map((n) => n.code), ['320115005001002', '320115005001003', '320115005001004']);
  const lineage = await server.request('GET', `/api/v1/grid/nodes/${ids.g1}/lineage`, { cookie: admin });
  assert.deepEqual(lineage.body.items.map((l) => [l.operation, l.successor_code]),
    [['split', '320115005001003'], ['split', '320115005001004']]);
  assert.equal(lineage.body.items[0].reason, '人口增长');
  const again = await split({ parts: [westHalf, eastHalf] });
  assert.equal(again.status, 409, again.text);
});

test('another process on the same database routes by the new tree within its refresh interval', async () => {
  let code;
  for (let i = 0; i < 50 && code !== '320115005001004'; ++i) {
    code = (await locate(other, 118.8075, 31.705)).body.node?.code;
    if (code !== '320115005001004') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(code, '320115005001004');
});

test('merging neighbours and renumbering make new grids with the old ones kept', async () => {
  const merge = (body) => server.request('POST', '/api/v1/grid/merge', { cookie: admin, body });
  for (const [body, field] of [
    [{ node_ids: 'x', code: '320115005001005', name: '合' }, 'node_ids'],
    [{ node_ids: [ids.east, ids.east], code: '320115005001005', name: '合' }, 'node_ids'],
    [{ node_ids: [ids.east, ids.g2] }, 'code'],
    [{ node_ids: [ids.east, ids.c2], code: '320115005001005', name: '合' }, 'node_ids'],
  ]) {
    const r = await merge(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
  }
  const merged = await merge({ node_ids: [ids.east, ids.g2], code: '320115005001005', name: '东部网格', reason: '人员调整' });
  assert.equal(merged.status, 201, merged.text);
  const node = merged.body.created[0];
  assert.equal(node.population, null, 'the east half had no population, so no sum');
  assert.equal((await locate(server, 118.815, 31.705)).body.node.id, node.id);

  const renumber = (id, body) => server.request('POST', `/api/v1/grid/nodes/${id}/renumber`, { cookie: admin, body });
  assert.equal((await renumber(node.id, { code: '320115005009001' })).body.error.field, 'code');
  assert.equal((await renumber(node.id, {})).body.error.field, 'code');
  assert.equal((await renumber(node.id, { code: '320115005001001' })).status, 409, 'codes are never reused');
  const moved = await renumber(node.id, { code: '320115005002001', reason: '划入白云路社区' });
  assert.equal(moved.status, 201, moved.text);
  assert.equal(moved.body.created[0].parent_id, ids.c2);
  const history = await server.request('GET', `/api/v1/grid/nodes/${node.id}/lineage`, { cookie: admin });
  assert.deepEqual(history.body.items.map((l) => l.operation), ['merge', 'merge', 'move']);
  const old = await server.request('GET', `/api/v1/grid/nodes/${ids.g2}`, { cookie: admin });
  assert.equal(old.status, 200);
  assert.ok(old.body.valid_to);
  assert.equal(old.body.path.length, 5);
});
