// The registry of actual population over HTTP on the demo city: a grid worker adds people in their
// grid (the identity number checked, birth date and gender read from it), numbers and phones come
// back masked; the community verifies; a centre sees them unmasked only with a reason, audited;
// edits carry their version; every change is kept; searches by exact number and phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointInGrid } from '../support/harness.mjs';

let server;
const as = {};
let grid;
let person;
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'gridhead', 'center', 'admin', 'dept']) as[login] = await server.login(login, 'Gridgov@2026');
  grid = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie: as.admin })).body.items[0];
});
after(async () => { await server?.stop(); });

const add = (body, who = 'worker') => server.request('POST', '/api/v1/people', { cookie: as[who], body });

test('a grid worker adds a person; the number is checked, read and masked', async () => {
  const r = await add({ name: '张建国', id_number: '320115199003071230', phone: '13912345678', household_type: 'registered', ethnicity: '汉族', node_id: grid.id });
  assert.equal(r.status, 201, r.text);
  person = r.body;
  // the birth date is a third of the number: without a reveal the age stands for it
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const age = Number(today.slice(0, 4)) - 1990 - (today.slice(5) < '03-07' ? 1 : 0);
  assert.deepEqual([person.id_number, person.phone, person.gender, person.birth_date, person.age, person.state, person.version],
    ['3****************0', '139****5678', 'M', null, age, 'collected', 1]);
  const cases = [
    [await add({ name: '王五', id_number: '320115199003071231', household_type: 'registered', node_id: grid.id }), 400, 'id_number'],
    [await add({ name: '王五', id_number: '320115199003071230', household_type: 'registered', node_id: grid.id }), 409, 'id_number'],
    [await add({ name: '王五', household_type: 'tourist', node_id: grid.id }), 400, 'household_type'],
    [await add({ name: '王五', household_type: 'floating' }), 400, 'node_id'],
    [await add({ name: '王五', household_type: 'floating', node_id: grid.id, phone: 'call me' }), 400, 'phone'],
    [await add({ name: '王五', household_type: 'floating', node_id: grid.id }, 'dept'), 403, undefined],
  ];
  for (const [res, status, field] of cases) {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error.field, field, res.text);
  }
});

test('unmasked only for roles that may, with a reason, and audited', async () => {
  const path = `/api/v1/people/${person.id}`;
  assert.equal((await server.request('GET', `${path}?reveal=id_number&reason=check`, { cookie: as.worker })).status, 403);
  const noReason = await server.request('GET', `${path}?reveal=id_number`, { cookie: as.center });
  assert.equal(noReason.body.error.field, 'reason');
  const shown = await server.request('GET', `${path}?reveal=id_number,phone&reason=${encodeURIComponent('核实走访对象')}`, { cookie: as.center });
  assert.equal(shown.status, 200, shown.text);
  assert.deepEqual([shown.body.id_number, shown.body.phone], ['320115199003071230', '13912345678']);
  const audit = await server.request('GET', '/api/v1/audit?action=personal_data_viewed', { cookie: as.admin });
  const entry = audit.body.items.find((a) => a.target === `person:${person.id}`);
  assert.ok(entry, 'the view is audited');
  assert.match(entry.detail, /id_number,phone: 核实走访对象/);
  assert.equal((await server.request('GET', path, { cookie: as.dept })).status, 404, 'a department does not see the registry');
});

test('edits carry their version; the community verifies; every change is kept', async () => {
  const path = `/api/v1/people/${person.id}`;
  const patch = (body, headers, who = 'worker') => server.request('PATCH', path, { cookie: as[who], body, headers });
  assert.equal((await patch({ employer: '禄口机场' }, {})).status, 428);
  const edited = await patch({ employer: '南京禄口国际机场', phone: '13800001111' }, { 'if-match': '"v1"' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.version, 2);
  assert.equal((await patch({ employer: 'x' }, { 'if-match': '"v1"' })).status, 409, 'stale');
  assert.equal((await server.request('POST', `${path}/verify`, { cookie: as.worker, headers: { 'if-match': '"v2"' } })).status, 403);
  const verified = await server.request('POST', `${path}/verify`, { cookie: as.gridhead, headers: { 'if-match': '"v2"' } });
  assert.equal(verified.body.state, 'verified');
  const history = await server.request('GET', `${path}/history`, { cookie: as.center });
  assert.deepEqual(history.body.items.map((h) => h.version), [1, 2, 3]);
  assert.deepEqual(history.body.items[1].changes.phone, ['139****5678', '138****1111']);
  assert.ok(!history.text.includes('13800001111'), 'masked in the history too');
});

test('found by exact number and phone, by name, within the viewer scope', async () => {
  const find = async (q, who = 'center') => (await server.request('GET', `/api/v1/people?${q}`, { cookie: as[who] })).body.items.map((p) => p.name);
  assert.deepEqual(await find('id_number=320115199003071230'), ['张建国']);
  assert.deepEqual(await find('id_number=320115199003071231'), []);
  assert.deepEqual(await find('phone=138-0000-1111'), ['张建国']);
  assert.deepEqual(await find(`name=${encodeURIComponent('张')}`), ['张建国']);
  assert.deepEqual(await find('', 'worker'), ['张建国']);
});

test('special groups with the attributes of GB/T 31000, and the visits they are due', async () => {
  const groups = (await server.request('GET', '/api/v1/registry/groups', { cookie: as.worker })).body.items;
  const mental = groups.find((g) => g.tag === 'severe_mental_disorder');
  assert.deepEqual(mental.attributes.map((a) => a.code_table), ['mental_diagnosis', 'mental_risk_level']);
  const diagnoses = (await server.request('GET', '/api/v1/code-tables/mental_diagnosis', { cookie: as.worker })).body.items;
  assert.ok(diagnoses.some((d) => d.name === '持久的妄想性障碍（偏执性精神病）'), 'the OCR slip corrected');
  assert.equal((await server.request('GET', '/api/v1/code-tables/nope', { cookie: as.worker })).status, 404);

  const put = (tag, body, who = 'worker') => server.request('PUT', `/api/v1/people/${person.id}/groups/${tag}`, { cookie: as[who], body });
  const cases = [
    [await put('severe_mental_disorder', { attributes: { diagnosis: '01' } }), 400, 'attributes.risk_level'],
    [await put('severe_mental_disorder', { attributes: { diagnosis: '01', risk_level: '09' } }), 400, 'attributes.risk_level'],
    [await put('severe_mental_disorder', { attributes: { diagnosis: '01', risk_level: '03', colour: 'x' } }), 400, 'attributes.colour'],
    [await put('astronaut', {}), 400, 'tag'],
    [await put('elderly_alone', { attention: '07' }), 400, 'attention'],
  ];
  for (const [res, status, field] of cases) {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error.field, field, res.text);
  }
  const tagged = await put('severe_mental_disorder', { attributes: { diagnosis: '01', risk_level: '03' }, attention: '01', visit_every_days: 14 });
  assert.equal(tagged.status, 200, tagged.text);
  assert.deepEqual([tagged.body.name, tagged.body.attention, tagged.body.visit_every_days], ['严重精神障碍患者', '01', 14]);
  // newly in the group: a visit is due now; once visited, no longer
  const due = async () => (await server.request('GET', '/api/v1/registry/visits-due', { cookie: as.worker })).body.items.map((d) => [d.person_name, d.tag]);
  assert.deepEqual(await due(), [['张建国', 'severe_mental_disorder']]);
  const visited = await server.request('POST', `/api/v1/people/${person.id}/groups/severe_mental_disorder/visits`, { cookie: as.worker });
  assert.ok(visited.body.last_visit_at);
  assert.deepEqual(await due(), []);
  assert.equal((await server.request('GET', `/api/v1/people/${person.id}/groups`, { cookie: as.center })).body.items.length, 1);
  assert.equal((await server.request('DELETE', `/api/v1/people/${person.id}/groups/severe_mental_disorder`, { cookie: as.worker })).status, 204);
  assert.equal((await server.request('GET', `/api/v1/people/${person.id}/groups`, { cookie: as.center })).body.items.length, 0);
});

test('standard addresses from the road to the room, and who lives where', async () => {
  const point = await pointInGrid(server, as.admin);
  const add = (body, who = 'worker') => server.request('POST', '/api/v1/addresses', { cookie: as[who], body });
  const road = await add({ level: 'road', name: '永兴路' }, 'center');
  assert.equal(road.status, 201, road.text);
  assert.equal((await add({ level: 'road', name: '永兴路' }, 'center')).body.error.field, 'name');
  const house = await add({ parent_id: road.body.id, level: 'house', name: '18号', lon: point[0], lat: point[1] });
  assert.equal(house.status, 201, house.text);
  assert.equal(house.body.node_id, grid.id, 'the grid from the point');
  const compound = (await add({ parent_id: house.body.id, level: 'compound', name: '翠屏小区' })).body;
  const building = (await add({ parent_id: compound.id, level: 'building', name: '3幢' })).body;
  assert.equal((await add({ parent_id: building.id, level: 'building', name: '4幢' })).body.error.field, 'parent_id');
  assert.equal((await add({ parent_id: building.id, level: 'unit', name: '2单元', room_use: 'rented' })).body.error.field, 'room_use');
  const unit = (await add({ parent_id: building.id, level: 'unit', name: '2单元' })).body;
  const room = await add({ parent_id: unit.id, level: 'room', name: '502室', floor: 5, room_use: 'rented', area_m2: 89.5 });
  assert.equal(room.status, 201, room.text);
  assert.deepEqual([room.body.full_name, room.body.node_id, room.body.room_use, room.body.area_m2],
    ['永兴路18号翠屏小区3幢2单元502室', grid.id, 'rented', 89.5]);
  const found = await server.request('GET', `/api/v1/addresses?q=${encodeURIComponent('永兴路18号翠屏')}`, { cookie: as.worker });
  assert.deepEqual(found.body.items.map((a) => a.level), ['compound', 'building', 'unit', 'room']);
  // a rented room: the person moves in as a tenant, then out
  const moved = await server.request('POST', `/api/v1/addresses/${room.body.id}/residents`, { cookie: as.worker, body: { person_id: person.id, relation: 'tenant', from_date: '2026-03-01' } });
  assert.equal(moved.status, 201, moved.text);
  assert.equal((await server.request('POST', `/api/v1/addresses/${unit.id}/residents`, { cookie: as.worker, body: { person_id: person.id, relation: 'tenant' } })).body.error.field, 'room_id');
  const homes = await server.request('GET', `/api/v1/people/${person.id}/homes`, { cookie: as.center });
  assert.deepEqual(homes.body.items.map((h) => [h.room, h.relation, h.to_date]), [['永兴路18号翠屏小区3幢2单元502室', 'tenant', null]]);
  assert.equal((await server.request('POST', `/api/v1/residences/${moved.body.id}/end`, { cookie: as.worker, body: { to_date: '2026-11-01' } })).status, 204);
  const residents = await server.request('GET', `/api/v1/addresses/${room.body.id}/residents`, { cookie: as.worker });
  assert.deepEqual(residents.body.items.map((x) => [x.person_name, x.to_date]), [['张建国', '2026-11-01']]);
  // edits carry their version; the room becomes vacant
  const edited = await server.request('PATCH', `/api/v1/addresses/${room.body.id}`, { cookie: as.worker, body: { room_use: 'vacant' }, headers: { 'if-match': '"v1"' } });
  assert.equal(edited.body.room_use, 'vacant');
  assert.equal((await server.request('PATCH', `/api/v1/addresses/${room.body.id}`, { cookie: as.worker, body: { room_use: 'rented' }, headers: { 'if-match': '"v1"' } })).status, 409);
  assert.equal((await server.request('GET', `/api/v1/addresses/${room.body.id}`, { cookie: as.dept })).status, 404);
});

test('figures of the registry for a node: people, groups, records collected and verified, visits due, rooms', async () => {
  // one more person in the community's other grid, floating, in a group never visited
  const other = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001002', { cookie: as.admin })).body.items[0];
  const li = await add({ name: '李秀英', id_number: '320115200002290023', household_type: 'floating', node_id: other.id }, 'gridhead');
  assert.equal(li.status, 201, li.text);
  assert.equal((await server.request('PUT', `/api/v1/people/${li.body.id}/groups/elderly_alone`, { cookie: as.gridhead, body: {} })).status, 200);
  const community = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001&limit=1', { cookie: as.admin })).body.items[0];
  const figures = async (q, who = 'center') => (await server.request('GET', `/api/v1/registry/figures?${q}`, { cookie: as[who] })).body;
  const all = await figures(`node_id=${community.id}`);
  assert.equal(all.people, 2);
  assert.deepEqual(all.by_household_type, { floating: 1, registered: 1 });
  assert.deepEqual(all.by_state, { collected: 1, verified: 1 });
  assert.deepEqual(all.by_group, { elderly_alone: 1 });
  assert.equal(all.collected_in_period, 2);
  assert.equal(all.verified_in_period, 1);
  assert.equal(all.visits_due, 1);
  assert.deepEqual([all.rooms, all.rooms_by_use], [1, { vacant: 1 }]);
  // the worker's own grid only
  const mine = await figures('', 'worker');
  assert.deepEqual([mine.people, mine.visits_due], [1, 0]);
  assert.equal((await figures('since=2020-01-01T00:00:00Z&until=2020-02-01T00:00:00Z')).collected_in_period, 0);
  const outside = await server.request('GET', `/api/v1/registry/figures?node_id=${community.id}`, { cookie: as.worker });
  assert.equal(outside.status, 403);
});

test('people imported from CSV and Excel: a dry run names every line at fault, then all or nothing', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const csv = (lines) => '\ufeff' + lines.join('\r\n') + '\r\n';
  const header = '姓名,身份证号,手机,户籍类型,网格编码,备注';
  const bad = csv([header,
    '王强,44030719851101561 8,13700003333,流动,320115005001001,',
    '赵六,440307198511015619,,户籍,320115005001001,',       // check character wrong
    '钱七,44030719851101561X,,暂住,320115005001001,',       // an unknown household type
    '孙八,11010519491231002X,,户籍,999999999999999,',        // no such grid
    '"周,九",440307198511015618,,户籍,320115005001001,"重复"']); // the first line's number again
  const post = (body, q = '') => server.request('POST', `/api/v1/people/import${q}`, { cookie: as.gridhead, body, headers: { 'content-type': 'text/csv' } });
  const dry = await post(bad, '?dry_run=true');
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.body.problems.map((p) => [p.line, p.field]), [[3, 'id_number'], [4, 'household_type'], [5, 'grid'], [6, 'id_number']]);
  assert.deepEqual(dry.body.ignored_columns, ['备注']);
  const refused = await post(bad);
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.field, 'file');
  assert.equal(refused.body.report.added, 0);
  const before = (await server.request('GET', '/api/v1/people', { cookie: as.center })).body.total;
  // the fixed file goes in whole, from a real workbook
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-import-'));
  writeFileSync(join(dir, 'people.csv'), csv([header,
    '王强,440307198511015618,13700003333,流动,320115005001001,',
    '孙八,11010519491231002X,,户籍,320115005001002,']));
  execFileSync('ogr2ogr', ['-f', 'XLSX', join(dir, 'people.xlsx'), join(dir, 'people.csv')]);
  const xlsx = readFileSync(join(dir, 'people.xlsx'));
  const done = await server.request('POST', '/api/v1/people/import', { cookie: as.gridhead, body: new Uint8Array(xlsx), headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.equal(done.status, 200, done.text);
  assert.deepEqual([done.body.rows, done.body.added, done.body.problems], [2, 2, []]);
  assert.equal((await server.request('GET', '/api/v1/people', { cookie: as.center })).body.total, before + 2);
  const wang = (await server.request('GET', '/api/v1/people?id_number=440307198511015618', { cookie: as.center })).body.items[0];
  assert.deepEqual([wang.name, wang.household_type, wang.source, wang.gender], ['王强', 'floating', 'imported', 'M']);
  // each imported record begins its history with what it was imported with, masked
  for (const [number, name, masked] of [['440307198511015618', '王强', '4****************8'], ['11010519491231002X', '孙八', '1****************X']]) {
    const person = (await server.request('GET', `/api/v1/people?id_number=${number}`, { cookie: as.center })).body.items[0];
    const history = await server.request('GET', `/api/v1/people/${person.id}/history`, { cookie: as.center });
    assert.deepEqual(history.body.items.map((c) => [c.version, c.changes.name[1], c.changes.id_number[1]]), [[1, name, masked]]);
  }
  const audited = await server.request('GET', '/api/v1/audit?action=people_imported', { cookie: as.admin });
  assert.match(audited.body.items[0].detail, /^2 rows, people \d+ to \d+$/);
  // the same file again: every line is on the registry already
  const again = await server.request('POST', '/api/v1/people/import?dry_run=true', { cookie: as.gridhead, body: new Uint8Array(xlsx) });
  assert.deepEqual(again.body.problems.map((p) => p.line), [2, 3]);
});

test('organisations with a checked credit code, in their address grid', async () => {
  const room = (await server.request('GET', `/api/v1/addresses?q=${encodeURIComponent('永兴路18号')}`, { cookie: as.worker })).body.items[0];
  const add = (body, who = 'worker') => server.request('POST', '/api/v1/organisations', { cookie: as[who], body });
  const cases = [
    [await add({ kind: 'enterprise', name: '禄口物流有限公司', credit_code: '91350100M000100Y44', address_id: room.id }), 400, 'credit_code'],
    [await add({ kind: 'shop', name: 'x', address_id: room.id }), 400, 'kind'],
    [await add({ kind: 'enterprise', name: '禄口物流有限公司' }), 400, 'node_id'],
    [await add({ kind: 'enterprise', name: 'x', address_id: room.id }, 'dept'), 403, undefined],
  ];
  for (const [res, status, field] of cases) {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error.field, field, res.text);
  }
  const made = await add({ kind: 'enterprise', name: '禄口物流有限公司', credit_code: '91350100m000100y43', legal_representative: '陈明', address_id: room.id, industry: '道路货物运输', employees: 35 });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.body.credit_code, made.body.node_id], ['91350100M000100Y43', grid.id]);
  assert.equal((await add({ kind: 'enterprise', name: '另一家', credit_code: '91350100M000100Y43', address_id: room.id })).body.error.field, 'credit_code');
  const found = await server.request('GET', '/api/v1/organisations?q=91350100M000100Y43', { cookie: as.center });
  assert.deepEqual(found.body.items.map((o) => o.name), ['禄口物流有限公司']);
  const edited = await server.request('PATCH', `/api/v1/organisations/${made.body.id}`, { cookie: as.worker, body: { employees: 40 }, headers: { 'if-match': '"v1"' } });
  assert.deepEqual([edited.status, edited.body.employees, edited.body.version], [200, 40, 2]);
  assert.equal((await server.request('GET', `/api/v1/organisations/${made.body.id}`, { cookie: as.dept })).status, 404);
});
