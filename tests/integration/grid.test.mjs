// The grid tree over HTTP: building nodes with boundaries, the code and geometry rules, editing
// with If-Match, boundary versions, GeoJSON of children, locating points (also from GCJ-02 and
// BD-09 coordinates), and scopes; then the demo city built from Nanjing's real divisions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/harness.mjs';

const square = (lon, lat, size) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});

let server;
let admin;
const ids = {};
before(async () => {
  server = await startServer({ users: [{ login: 'worker', role: 'grid_worker' }] });
  admin = await server.login('admin');
});
after(async () => { await server.stop(); });

const post = (body) => server.request('POST', '/api/v1/grid/nodes', { cookie: admin, body });

test('an admin builds city, district, street, community and grids', async () => {
  const city = await post({ code: '3201', name: '南京市', boundary: square(118, 31, 1) });
  assert.equal(city.status, 201, city.text);
  assert.equal(city.body.level, 1);
  assert.equal(city.body.level_label, '市');
  ids.city = city.body.id;
  ids.district = (await post({ code: '320115', name: '江宁区', parent_id: ids.city, boundary: square(118.5, 31.5, 0.3) })).body.id;
  ids.street = (await post({ code: '320115005', name: '禄口街道', parent_id: ids.district, boundary: square(118.8, 31.7, 0.02) })).body.id;
  ids.community = (await post({ code: '320115005001', name: '永兴社区', parent_id: ids.street, boundary: square(118.8, 31.7, 0.02) })).body.id;
  const g1 = await post({ code: '320115005001001', name: '永兴第1网格', parent_id: ids.community, kind: 'comprehensive', households: 310, population: 820, boundary: square(118.8, 31.7, 0.01) });
  assert.equal(g1.status, 201, g1.text);
  assert.equal(g1.body.kind, 'comprehensive');
  // 0.01° square at 31.7° N: 1112 m north-south × 946 m east-west
  assert.ok(Math.abs(g1.body.area_m2 - 1.0519e6) < 0.005e6, `area ${g1.body.area_m2}`);
  ids.g1 = g1.body.id;
  const g2 = await post({ code: '320115005001002', name: '禄口中心小学', parent_id: ids.community, kind: 'dedicated', subtype: 'school', boundary: square(118.81, 31.7, 0.01) });
  assert.equal(g2.status, 201, g2.text);
  ids.g2 = g2.body.id;
});

test('codes, kinds and geometry are checked, naming the field', async () => {
  const cases = [
    [{ code: '32011', name: 'x', parent_id: ids.city }, 'code'],
    [{ code: '320215', name: 'x', parent_id: ids.city }, 'code'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community }, 'kind'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'dedicated', subtype: 'casino' }, 'subtype'],
    [{ code: '320115005001003', name: 'x', parent_id: 999999, kind: 'comprehensive' }, 'parent_id'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive', boundary: { type: 'Point', coordinates: [1, 2] } }, 'boundary'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive', boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }, 'boundary.coordinates[0]'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive', boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 95], [0, 0]]] } }, 'boundary.coordinates[0][2]'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive', crs: 'mercator', boundary: square(118.8, 31.7, 0.01) }, 'crs'],
    [{ code: '320115005001003', name: '', parent_id: ids.community, kind: 'comprehensive' }, 'name'],
    [{ code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive', households: -5 }, 'households'],
  ];
  for (const [body, field] of cases) {
    const r = await post(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} -> ${r.text}`);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  const dup = await post({ code: '320115005001001', name: 'x', parent_id: ids.community, kind: 'comprehensive' });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.field, 'code');
  const worker = await server.login('worker');
  const denied = await server.request('POST', '/api/v1/grid/nodes', { cookie: worker, body: { code: '320115005001003', name: 'x', parent_id: ids.community, kind: 'comprehensive' } });
  assert.equal(denied.status, 403);
});

test('nodes list, search and show their path; children come as GeoJSON', async () => {
  const roots = await server.request('GET', '/api/v1/grid/nodes', { cookie: admin });
  assert.deepEqual(roots.body.items.map((n) => n.code), ['3201']);
  const grids = await server.request('GET', `/api/v1/grid/nodes?parent_id=${ids.community}`, { cookie: admin });
  assert.deepEqual(grids.body.items.map((n) => n.code), ['320115005001001', '320115005001002']);
  const found = await server.request('GET', `/api/v1/grid/nodes?q=${encodeURIComponent('小学')}`, { cookie: admin });
  assert.equal(found.body.items[0].subtype, 'school');
  const one = await server.request('GET', `/api/v1/grid/nodes/${ids.g1}?geometry=1`, { cookie: admin });
  assert.deepEqual(one.body.path.map((p) => p.name), ['南京市', '江宁区', '禄口街道', '永兴社区', '永兴第1网格']);
  assert.equal(one.body.boundary.type, 'Polygon');
  assert.equal(one.headers.get('etag'), '"v1"');
  const fc = await server.request('GET', `/api/v1/grid/nodes/${ids.community}/children.geojson`, { cookie: admin });
  assert.match(fc.headers.get('content-type'), /^application\/geo\+json/);
  assert.equal(fc.body.type, 'FeatureCollection');
  assert.equal(fc.body.features.length, 2);
  assert.equal(fc.body.features[0].properties.code, '320115005001001');
});

test('points find their grid and its path, also from Chinese map coordinates', async () => {
  const r = await server.request('GET', '/api/v1/grid/locate?lon=118.805&lat=31.705', { cookie: admin });
  assert.equal(r.status, 200);
  assert.equal(r.body.node.code, '320115005001001');
  assert.equal(r.body.path.length, 5);
  // the same place as an AMap (GCJ-02) position: about 500 m off in raw numbers, same grid once converted
  const gcj = { lon: 118.805 + 0.00513, lat: 31.705 - 0.00218 };
  const raw = await server.request('GET', `/api/v1/grid/locate?lon=${gcj.lon}&lat=${gcj.lat}`, { cookie: admin });
  const converted = await server.request('GET', `/api/v1/grid/locate?lon=${gcj.lon}&lat=${gcj.lat}&crs=gcj02`, { cookie: admin });
  assert.equal(converted.body.node.code, '320115005001001');
  assert.notEqual(raw.body.node?.code, '320115005001001');
  // outside every grid: the district answers, and the nearest grid when asked for
  const outside = await server.request('GET', '/api/v1/grid/locate?lon=118.7995&lat=31.705&max_distance_m=100', { cookie: admin });
  assert.equal(outside.body.node.code, '320115');
  const batch = await server.request('POST', '/api/v1/grid/locate', { cookie: admin, body: { points: [[118.805, 31.705], [118.815, 31.705], [100, 20]] } });
  assert.deepEqual(batch.body.items.map((i) => i.node?.code ?? null), ['320115005001001', '320115005001002', null]);
  const bad = await server.request('GET', '/api/v1/grid/locate?lon=200&lat=31', { cookie: admin });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'lon');
  const missing = await server.request('GET', '/api/v1/grid/locate?lon=118', { cookie: admin });
  assert.equal(missing.body.error.field, 'lat');
  const badPoint = await server.request('POST', '/api/v1/grid/locate', { cookie: admin, body: { points: [[118.8, 31.7], ['x', 1]] } });
  assert.equal(badPoint.body.error.field, 'points[1]');
});

test('a new boundary is a new version; the old one answers as of its time', async () => {
  const before = new Date().toISOString();
  await new Promise((r) => setTimeout(r, 20));
  const put = await server.request('PUT', `/api/v1/grid/nodes/${ids.g1}/boundary`, { cookie: admin, body: { geometry: square(118.8, 31.7, 0.005), reason: '网格调整' } });
  assert.equal(put.status, 200, put.text);
  const history = await server.request('GET', `/api/v1/grid/nodes/${ids.g1}/boundaries`, { cookie: admin });
  assert.equal(history.body.items.length, 2);
  assert.equal(history.body.items[0].reason, '网格调整');
  assert.equal(history.body.items[0].valid_to, null);
  const then = await server.request('GET', `/api/v1/grid/nodes/${ids.g1}?as_of=${before}`, { cookie: admin });
  assert.equal(then.body.boundary.coordinates[0][2][0], 118.81);
  // routing follows at once: this point left grid 1 and is now in the community only
  const r = await server.request('GET', '/api/v1/grid/locate?lon=118.808&lat=31.708', { cookie: admin });
  assert.equal(r.body.node.code, '320115005001');
});

test('the coverage check reports the gaps left in a community, with their place', async () => {
  const r = await server.request('GET', `/api/v1/grid/coverage?node_id=${ids.community}`, { cookie: admin });
  assert.equal(r.status, 200, r.text);
  const gaps = r.body.findings.filter((f) => f.kind === 'gap');
  assert.ok(gaps.length >= 1);
  assert.deepEqual(gaps[0].codes, ['320115005001']);
  const total = gaps.reduce((sum, g) => sum + g.area_m2, 0);
  // the community is 0.02° square; its two grids cover 0.005² + 0.01² of it
  assert.ok(Math.abs(total - (0.0004 - 0.000025 - 0.0001) * 111195 * 111195 * 0.8507) < 0.02e6, `gap ${total}`);
  assert.equal(gaps[0].geometry.type, 'Polygon');
  const inside = await server.request('GET', `/api/v1/grid/locate?lon=${gaps[0].point[0]}&lat=${gaps[0].point[1]}`, { cookie: admin });
  assert.equal(inside.body.node.code, '320115005001', 'the point of a gap lies in the parent, in no child');
  const bad = await server.request('GET', '/api/v1/grid/coverage?tolerance_m=-1', { cookie: admin });
  assert.equal(bad.body.error.field, 'tolerance_m');
});

test('edits need If-Match and keep the rules', async () => {
  const path = `/api/v1/grid/nodes/${ids.g2}`;
  const none = await server.request('PATCH', path, { cookie: admin, body: { name: '禄口小学' } });
  assert.equal(none.status, 428);
  const ok = await server.request('PATCH', path, { cookie: admin, body: { name: '禄口小学', households: 0 }, headers: { 'if-match': '"v1"' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, 2);
  const stale = await server.request('PATCH', path, { cookie: admin, body: { name: 'x' }, headers: { 'if-match': '"v1"' } });
  assert.equal(stale.status, 409);
  const rule = await server.request('PATCH', path, { cookie: admin, body: { kind: 'comprehensive' }, headers: { 'if-match': '"v2"' } });
  assert.equal(rule.status, 400);
  assert.equal(rule.body.error.field, 'subtype');
});

test('a GeoJSON import is checked feature by feature, previewed, then written all or nothing', async () => {
  const feature = (code, name, geometry, extra = {}) => ({ type: 'Feature', properties: { code, name, ...extra }, geometry });
  const file = {
    type: 'FeatureCollection',
    features: [
      feature('320115005002', '白云路社区', square(118.82, 31.70, 0.02)),
      feature('320115005002001', '白云第1网格', square(118.82, 31.70, 0.01), { kind: 'comprehensive' }),
      feature('320115005002002', '白云第2网格', square(118.825, 31.70, 0.01), { kind: 'comprehensive' }),  // overlaps 1
      feature('320115005002003', '', null, { kind: 'comprehensive' }),
      feature('3201150050020', '错码', null),
      feature('320115005002004', '没类型', null),
    ],
  };
  const geo = { 'content-type': 'application/geo+json' };
  const dry = await server.request('POST', '/api/v1/grid/import?dry_run=1', { cookie: admin, body: JSON.stringify(file), headers: geo });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.body.dry_run, true);
  assert.deepEqual(dry.body.problems.map((p) => p.field), [
    'features[3].properties.name', 'features[4].properties.code', 'features[5].properties.kind']);
  assert.ok(dry.body.findings.some((f) => f.kind === 'overlap' && f.codes.includes('320115005002001') && f.codes.includes('320115005002002')));
  assert.ok(dry.body.findings.some((f) => f.kind === 'gap' && f.codes[0] === '320115005002'));
  // a file that names the fields its own way is read through a mapping
  const theirs = { type: 'FeatureCollection', features: file.features.slice(0, 3).map((f) => ({ ...f,
    properties: { WGBM: Number(f.properties.code), NAME: f.properties.name, LX: f.properties.kind } })) };
  const unmapped = await server.request('POST', '/api/v1/grid/import?dry_run=1', { cookie: admin, body: JSON.stringify(theirs), headers: geo });
  assert.equal(unmapped.body.problems[0].field, 'features[0].properties.code');
  assert.match(unmapped.body.problems[0].message, /code:WGBM/);
  const mapped = await server.request('POST', '/api/v1/grid/import?dry_run=1&map=WGBM:code,NAME:name,LX:kind', { cookie: admin, body: JSON.stringify(theirs), headers: geo });
  assert.deepEqual(mapped.body.problems, [], mapped.text);
  assert.equal(mapped.body.nodes, 3);
  assert.equal((await server.request('POST', '/api/v1/grid/import?dry_run=1&map=WGBM:colour', { cookie: admin, body: JSON.stringify(theirs), headers: geo })).body.error.field, 'map');
  // the real import refuses the file and writes nothing
  const refused = await server.request('POST', '/api/v1/grid/import', { cookie: admin, body: JSON.stringify(file), headers: geo });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.field, 'features[3].properties.name');
  assert.equal((await server.request('GET', '/api/v1/grid/nodes?q=320115005002', { cookie: admin })).body.items.length, 0);
  // fixed: written at once, and the tree routes to it
  file.features = file.features.slice(0, 2).concat([feature('320115005002002', '白云第2网格', square(118.83, 31.70, 0.01), { kind: 'comprehensive' }),
    feature('320115005002003', '白云第3网格', square(118.82, 31.71, 0.02), { kind: 'dedicated', subtype: 'market', households: 0 })]);
  const ok = await server.request('POST', '/api/v1/grid/import', { cookie: admin, body: JSON.stringify(file), headers: geo });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.nodes, 4);
  // findings do not stop an import: the market grid reaches 0.01° north out of its community
  const outside = ok.body.findings.find((f) => f.kind === 'outside_parent' && f.codes[0] === '320115005002003');
  assert.ok(outside, JSON.stringify(ok.body.findings.map((f) => [f.kind, f.codes])));
  assert.deepEqual(outside.codes, ['320115005002003', '320115005002']);
  const at = await server.request('GET', '/api/v1/grid/locate?lon=118.835&lat=31.705', { cookie: admin });
  assert.equal(at.body.node.code, '320115005002002');
  // exported again, the same nodes come back
  const out = await server.request('GET', `/api/v1/grid/export.geojson?node_id=${ids.street}`, { cookie: admin });
  assert.equal(out.status, 200);
  const codes = out.body.features.map((f) => f.properties.code);
  assert.ok(codes.includes('320115005002003') && codes.includes('320115005001001'));
  const market = out.body.features.find((f) => f.properties.code === '320115005002003');
  assert.equal(market.properties.parent_code, '320115005002');
  assert.equal(market.properties.subtype, 'market');
  assert.equal(market.geometry.type, 'Polygon');
  // bad files
  const notGeo = await server.request('POST', '/api/v1/grid/import', { cookie: admin, body: '{"type":"Feature"}', headers: geo });
  assert.equal(notGeo.status, 400);
  const worker = await server.login('worker');
  assert.equal((await server.request('POST', '/api/v1/grid/import', { cookie: worker, body: JSON.stringify(file), headers: geo })).status, 403);
});

test('the demo city: Nanjing with Lukou street cut into its real communities and 145 grids', async () => {
  const demo = await startServer({ demo: true });
  try {
    const cookie = await demo.login('admin', 'Gridgov@2026');
    const roots = await demo.request('GET', '/api/v1/grid/nodes', { cookie });
    assert.equal(roots.body.items[0].name, '南京市');
    const districts = await demo.request('GET', `/api/v1/grid/nodes?parent_id=${roots.body.items[0].id}`, { cookie });
    assert.equal(districts.body.items.length, 11);
    const lukou = (await demo.request('GET', `/api/v1/grid/nodes?q=${encodeURIComponent('禄口街道')}`, { cookie })).body.items[0];
    assert.equal(lukou.code, '320115005');
    const communities = await demo.request('GET', `/api/v1/grid/nodes?parent_id=${lukou.id}`, { cookie });
    assert.equal(communities.body.items.length, 30);
    assert.ok(communities.body.items.some((c) => c.name === '永兴社区'));
    let grids = 0;
    let dedicated = 0;
    for (const c of communities.body.items) {
      const g = await demo.request('GET', `/api/v1/grid/nodes?parent_id=${c.id}`, { cookie });
      grids += g.body.items.length;
      dedicated += g.body.items.filter((x) => x.kind === 'dedicated').length;
    }
    assert.equal(grids, 145);
    assert.equal(dedicated, 14);
    // vector tiles: the grids of Lukou at zoom 13, nothing far out at sea, 404 for a tile that cannot be
    const tileOf = (lon, lat, z) => {
      const n = 2 ** z;
      const r = (lat * Math.PI) / 180;
      return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)];
    };
    const [z, x, y] = tileOf(118.87, 31.72, 13);
    const tile = await fetch(`${demo.base}/api/v1/grid/tiles/${z}/${x}/${y}.mvt`, { headers: { cookie } });
    assert.equal(tile.status, 200);
    assert.equal(tile.headers.get('content-type'), 'application/vnd.mapbox-vector-tile');
    const bytes = Buffer.from(await tile.arrayBuffer());
    assert.ok(bytes.length > 1000, `tile of ${bytes.length} bytes`);
    assert.ok(bytes.includes(Buffer.from('areas')) && bytes.includes(Buffer.from('outlines')));
    assert.ok(bytes.includes(Buffer.from('网格')), 'grid names in the tile');
    const [sz, sx, sy] = tileOf(150, 20, 13);
    const sea = await fetch(`${demo.base}/api/v1/grid/tiles/${sz}/${sx}/${sy}.mvt`, { headers: { cookie } });
    assert.equal(sea.status, 200);
    assert.equal((await sea.arrayBuffer()).byteLength, 0);
    assert.equal((await fetch(`${demo.base}/api/v1/grid/tiles/3/9/1.mvt`, { headers: { cookie } })).status, 404);
    assert.equal((await fetch(`${demo.base}/api/v1/grid/tiles/3/1/1.png`, { headers: { cookie } })).status, 404);
    // neighbours, nearby, workers and the 一格一员 report
    const first = (await demo.request('GET', `/api/v1/grid/nodes?q=320115005001001`, { cookie })).body.items[0];
    const neighbours = await demo.request('GET', `/api/v1/grid/nodes/${first.id}/neighbours`, { cookie });
    assert.ok(neighbours.body.items.length >= 2, JSON.stringify(neighbours.body));
    assert.ok(neighbours.body.items.every((n) => n.level === 5 && n.shared_m >= 1));
    const located = await demo.request('GET', `/api/v1/grid/nodes/${first.id}?geometry=1`, { cookie });
    const [lon, lat] = located.body.boundary.coordinates[0][0];
    const nearby = await demo.request('GET', `/api/v1/grid/nearby?lon=${lon}&lat=${lat}&radius_m=300`, { cookie });
    assert.ok(nearby.body.items.some((n) => n.code === first.code && n.distance_m === 0));
    const workers = await demo.request('GET', `/api/v1/grid/nodes/${first.id}/workers`, { cookie });
    assert.deepEqual(workers.body.items.map((w) => [w.login, w.duty]), [['worker', 'full_time']]);
    const staffing = await demo.request('GET', '/api/v1/grid/staffing', { cookie });
    assert.equal(staffing.body.items.length, 130, 'every comprehensive grid but the demo worker\'s lacks its worker');
    const users = (await demo.request('GET', '/api/v1/users?role=grid_head', { cookie })).body.items;
    const put = await demo.request('PUT', `/api/v1/grid/nodes/${first.id}/workers/${users[0].id}`, { cookie, body: { duty: 'boss' } });
    assert.equal(put.status, 400);
    assert.equal(put.body.error.field, 'duty');
    const coverage = await demo.request('GET', '/api/v1/grid/coverage', { cookie });
    assert.equal(coverage.body.findings.length, 0, JSON.stringify(coverage.body.findings.slice(0, 3)));
    assert.equal(coverage.body.nodes_checked, 197);
    // the demo grid worker is scoped to a grid and sees its path, not the neighbours
    const worker = await demo.login('worker', 'Gridgov@2026');
    const me = (await demo.request('GET', '/api/v1/auth/me', { cookie: worker })).body;
    const mine = await demo.request('GET', `/api/v1/grid/nodes/${me.scope_node_id}`, { cookie: worker });
    assert.equal(mine.body.code, '320115005001001');
    const siblings = await demo.request('GET', `/api/v1/grid/nodes?parent_id=${mine.body.parent_id}`, { cookie: worker });
    assert.deepEqual(siblings.body.items.map((n) => n.code), ['320115005001001']);
  } finally {
    await demo.stop();
  }
});
