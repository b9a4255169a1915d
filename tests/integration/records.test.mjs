// The other records of the registry over HTTP on the demo city: key places and their inspections,
// licences and certificates of people, organisations and places, households with their head and
// members, and what every record shares (versions, verification by the community, history, the
// viewer's scope, the contact's phone encrypted and shown masked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/harness.mjs';

let server;
const as = {};
let grid;
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'gridhead', 'center', 'admin', 'dept']) as[login] = await server.login(login, 'Gridgov@2026');
  grid = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie: as.admin })).body.items[0];
});
after(async () => { await server?.stop(); });

const call = (method, path, who, body, headers) => server.request(method, path, { cookie: as[who], body, headers });
const expectErrors = (cases) => {
  for (const [res, status, field] of cases) {
    assert.equal(res.status, status, res.text);
    assert.equal(res.body.error.field, field, res.text);
  }
};

test('key places: kinds and risk from the code tables, the contact masked, inspections due and done', async () => {
  const add = (body, who = 'worker') => call('POST', '/api/v1/places', who, body);
  expectErrors([
    [await add({ kind: '42', name: '加油站', risk_level: 'high', node_id: grid.id }), 400, 'kind'],
    [await add({ kind: '04', name: '加油站', risk_level: 'extreme', node_id: grid.id }), 400, 'risk_level'],
    [await add({ kind: '04', name: '加油站', risk_level: 'high' }), 400, 'node_id'],
    [await add({ kind: '04', name: '加油站', risk_level: 'high', node_id: grid.id, contact_phone: 'x' }), 400, 'contact_phone'],
    [await add({ kind: '04', risk_level: 'high', node_id: grid.id }), 400, 'name'],
    [await add({ kind: '04', name: '加油站', risk_level: 'high', node_id: grid.id }, 'dept'), 403, undefined],
  ]);
  const made = await add({ kind: '04', name: '禄口加油站', risk_level: 'high', contact_name: '周强', contact_phone: '139-1234-5678', node_id: grid.id });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.body.contact_phone, made.body.inspect_every_days, made.body.state, made.body.last_inspected_at],
    ['139****5678', 7, 'collected', null], 'a high risk place is inspected weekly');
  const path = `/api/v1/places/${made.body.id}`;

  const due = await call('GET', `/api/v1/places?inspection_due=true&node_id=${grid.id}`, 'worker');
  assert.ok(due.body.items.some((p) => p.id === made.body.id), 'never inspected: due');

  const inspect = (body) => call('POST', `${path}/inspections`, 'worker', body);
  expectErrors([
    [await inspect({ result: 'hazard_found' }), 400, 'hazard_type'],
    [await inspect({ result: 'hazard_found', hazard_type: '77' }), 400, 'hazard_type'],
    [await inspect({ result: 'fine' }), 400, 'result'],
    [await inspect({ result: 'passed', inspected_at: '2001-01-01T00:00:00Z' }), 400, 'inspected_at'],
    [await inspect({ result: 'passed', event_id: 999999999 }), 400, 'event_id'],
  ]);
  const found = await inspect({ result: 'hazard_found', hazard_type: '01', notes: '灭火器过期', rectify_by: '2026-12-01' });
  assert.equal(found.status, 201, found.text);
  const earlier = new Date(Date.now() - 3 * 86400e3).toISOString();
  assert.equal((await inspect({ result: 'passed', inspected_at: earlier })).status, 201, 'an inspection sent late from a phone');
  const list = await call('GET', `${path}/inspections`, 'center');
  assert.deepEqual(list.body.items.map((i) => i.result), ['hazard_found', 'passed'], 'the latest first');
  const after = await call('GET', path, 'worker');
  assert.equal(after.body.last_inspected_at, found.body.inspected_at, 'the late one does not move the last inspection back');
  const notDue = await call('GET', `/api/v1/places?inspection_due=true&node_id=${grid.id}`, 'worker');
  assert.ok(!notDue.body.items.some((p) => p.id === made.body.id));

  assert.equal((await call('GET', `${path}?reveal=contact_phone&reason=x1`, 'worker')).status, 403);
  const shown = await call('GET', `${path}?reveal=contact_phone&reason=${encodeURIComponent('联系整改')}`, 'center');
  assert.equal(shown.body.contact_phone, '13912345678');
  const audit = await call('GET', '/api/v1/audit?action=personal_data_viewed', 'admin');
  assert.ok(audit.body.items.some((a) => a.target === `place:${made.body.id}`));

  const edited = await call('PATCH', path, 'worker', { risk_level: 'medium', contact_phone: '13800001111' }, { 'if-match': '"v1"' });
  assert.deepEqual([edited.status, edited.body.risk_level, edited.body.contact_phone, edited.body.version], [200, 'medium', '138****1111', 2]);
  assert.equal((await call('PATCH', path, 'worker', { name: 'x' }, { 'if-match': '"v1"' })).status, 409);
  assert.equal((await call('POST', `${path}/state`, 'worker', { state: 'verified' }, { 'if-match': '"v2"' })).status, 403, 'a grid worker does not verify');
  expectErrors([[await call('POST', `${path}/state`, 'gridhead', { state: 'approved' }, { 'if-match': '"v2"' }), 400, 'state']]);
  const verified = await call('POST', `${path}/state`, 'gridhead', { state: 'verified' }, { 'if-match': '"v2"' });
  assert.deepEqual([verified.status, verified.body.state, verified.body.version], [200, 'verified', 3]);
  const history = await call('GET', `${path}/history`, 'center');
  assert.deepEqual(history.body.items.map((c) => Object.keys(c.changes).sort().join()), ['contact_phone,risk_level', 'state']);
  assert.deepEqual(history.body.items[0].changes.contact_phone, ['139****5678', '138****1111'], 'phones masked in the history');
  assert.equal((await call('GET', path, 'dept')).status, 404);
  const byName = await call('GET', `/api/v1/places?q=${encodeURIComponent('禄口加')}&risk_level=medium`, 'center');
  assert.deepEqual(byName.body.items.map((p) => p.id), [made.body.id]);
});

test('licences of a person, an organisation and a place; unique per kind; expiring soon', async () => {
  const person = await call('POST', '/api/v1/people', 'worker', { name: '李秀英', household_type: 'floating', node_id: grid.id });
  const org = await call('POST', '/api/v1/organisations', 'worker', { kind: 'individual_business', name: '秀英小吃店', node_id: grid.id, phone: '025-5212 3456' });
  assert.equal(org.status, 201, org.text);
  assert.equal(org.body.phone, '025****3456', 'an organisation phone is masked too');
  const add = (body, who = 'worker') => call('POST', '/api/v1/licences', who, body);
  expectErrors([
    [await add({ holder_type: 'dog', holder_id: 1, kind: '10', number: 'x' }), 400, 'holder_type'],
    [await add({ holder_type: 'person', holder_id: 999999999, kind: '01', number: 'x' }), 400, 'holder_id'],
    [await add({ holder_type: 'person', holder_id: person.body.id, kind: '55', number: 'x' }), 400, 'kind'],
    [await add({ holder_type: 'person', holder_id: person.body.id, kind: '01', number: 'x', valid_until: '2026-13-01' }), 400, 'valid_until'],
    [await add({ holder_type: 'person', holder_id: person.body.id, kind: '01', number: 'x', issued_on: '2026-05-01', valid_until: '2026-01-01' }), 400, 'valid_until'],
    [await add({ holder_type: 'person', holder_id: person.body.id, kind: '01' }), 400, 'number'],
  ]);
  const soon = new Date(Date.now() + 10 * 86400e3).toISOString().slice(0, 10);
  const permit = await add({ holder_type: 'person', holder_id: person.body.id, kind: '01', number: '320115202600001', issuer: '江宁分局', issued_on: '2025-12-01', valid_until: soon });
  assert.equal(permit.status, 201, permit.text);
  assert.equal(permit.body.node_id, grid.id, 'in its holder grid');
  const food = await add({ holder_type: 'organisation', holder_id: org.body.id, kind: '11', number: 'JY13201150012345', valid_until: '2030-06-30' });
  assert.equal(food.status, 201, food.text);
  assert.equal((await add({ holder_type: 'organisation', holder_id: org.body.id, kind: '11', number: 'JY13201150012345' })).status, 409);

  const expiring = await call('GET', `/api/v1/licences?expiring_within_days=30&node_id=${grid.id}`, 'gridhead');
  assert.ok(expiring.body.items.some((l) => l.id === permit.body.id));
  assert.ok(!expiring.body.items.some((l) => l.id === food.body.id));
  const held = await call('GET', `/api/v1/licences?holder_type=organisation&holder_id=${org.body.id}`, 'center');
  assert.deepEqual(held.body.items.map((l) => l.number), ['JY13201150012345']);

  const renewed = await call('PATCH', `/api/v1/licences/${permit.body.id}`, 'worker', { valid_until: '2027-12-01' }, { 'if-match': '"v1"' });
  assert.deepEqual([renewed.status, renewed.body.valid_until, renewed.body.version], [200, '2027-12-01', 2]);
  expectErrors([[await call('PATCH', `/api/v1/licences/${permit.body.id}`, 'worker', { holder_id: 5 }, { 'if-match': '"v2"' }), 400, 'holder_id']]);
  const history = await call('GET', `/api/v1/licences/${permit.body.id}/history`, 'center');
  assert.deepEqual(history.body.items[0].changes.valid_until, [soon, '2027-12-01']);
  assert.equal((await call('GET', `/api/v1/licences/${permit.body.id}`, 'dept')).status, 404);

  const orgVerified = await call('POST', `/api/v1/organisations/${org.body.id}/state`, 'gridhead', { state: 'flagged' }, { 'if-match': '"v1"' });
  assert.deepEqual([orgVerified.status, orgVerified.body.state], [200, 'flagged']);
  const orgHistory = await call('GET', `/api/v1/organisations/${org.body.id}/history`, 'center');
  assert.deepEqual(orgHistory.body.items.map((c) => c.changes.state), [['collected', 'flagged']]);
});

test('households: a head, members with their relation, moving between households, history', async () => {
  const person = async (name) => (await call('POST', '/api/v1/people', 'worker', { name, household_type: 'registered', node_id: grid.id })).body;
  const [father, mother, son] = [await person('赵大海'), await person('钱丽'), await person('赵小川')];
  expectErrors([
    [await call('POST', '/api/v1/households', 'worker', { number: '3201150051' }), 400, 'node_id'],
    [await call('POST', '/api/v1/households', 'worker', { kind: 'tribe', node_id: grid.id }), 400, 'kind'],
    [await call('POST', '/api/v1/households', 'worker', { room_id: 999999999 }), 400, 'room_id'],
  ]);
  const made = await call('POST', '/api/v1/households', 'worker', { number: '320115005100231', head_person_id: father.id });
  assert.equal(made.status, 201, made.text);
  assert.deepEqual([made.body.node_id, made.body.head_person_id, made.body.members.map((m) => [m.name, m.relation])],
    [grid.id, father.id, [['赵大海', '01']]], 'the grid and the first member from the head');
  assert.equal((await call('POST', '/api/v1/households', 'worker', { number: '320115005100231', node_id: grid.id })).status, 409);
  const path = `/api/v1/households/${made.body.id}`;
  expectErrors([
    [await call('PUT', `${path}/members/${mother.id}`, 'worker', { relation: '42' }), 400, 'relation'],
    [await call('PUT', `${path}/members/999999999`, 'worker', { relation: '02' }), 400, 'person_id'],
  ]);
  assert.equal((await call('PUT', `${path}/members/${mother.id}`, 'worker', { relation: '01' })).status, 409, 'one head');
  await call('PUT', `${path}/members/${mother.id}`, 'worker', { relation: '02' });
  const full = await call('PUT', `${path}/members/${son.id}`, 'worker', { relation: '03' });
  assert.deepEqual(full.body.members.map((m) => m.relation), ['01', '02', '03']);

  const other = await call('POST', '/api/v1/households', 'worker', { number: '320115005100232', node_id: grid.id, kind: 'collective' });
  const moved = await call('PUT', `/api/v1/households/${other.body.id}/members/${son.id}`, 'worker', { relation: '99' });
  assert.deepEqual(moved.body.members.map((m) => m.name), ['赵小川']);
  assert.equal((await call('GET', path, 'gridhead')).body.members.length, 2, 'moving leaves the first household');
  const sonHistory = await call('GET', `/api/v1/people/${son.id}/history`, 'center');
  assert.deepEqual(sonHistory.body.items.filter((c) => c.changes.household_id).map((c) => c.changes.household_id), [[null, made.body.id], [made.body.id, other.body.id]]);

  const newHead = await call('PATCH', path, 'worker', { head_person_id: mother.id }, { 'if-match': `"v${(await call('GET', path, 'worker')).body.version}"` });
  assert.equal(newHead.status, 200, newHead.text);
  assert.deepEqual(newHead.body.members.map((m) => [m.name, m.relation]), [['钱丽', '01'], ['赵大海', '99']]);
  const left = await call('DELETE', `${path}/members/${father.id}`, 'worker');
  assert.deepEqual(left.body.members.map((m) => m.name), ['钱丽']);
  assert.equal((await call('DELETE', `${path}/members/${father.id}`, 'worker')).status, 404);
  const byNumber = await call('GET', '/api/v1/households?number=320115005100231', 'center');
  assert.deepEqual(byNumber.body.items.map((h) => h.id), [made.body.id]);
  assert.equal((await call('GET', path, 'dept')).status, 404);
  const history = await call('GET', `${path}/history`, 'center');
  assert.deepEqual(history.body.items.map((c) => c.changes.head_person_id), [[father.id, mother.id]]);
});

test('what a room holds and what an organisation has, as their pages list them', async () => {
  const address = async (body) => {
    const res = await call('POST', '/api/v1/addresses', 'center', body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const road = await address({ level: 'road', name: '飞天大道' });
  const house = await address({ parent_id: road.id, level: 'house', name: '9号', node_id: grid.id });
  const room = await address({ parent_id: house.id, level: 'room', name: '101室', room_use: 'business' });
  const other = await address({ parent_id: house.id, level: 'room', name: '102室', room_use: 'rented' });
  const org = await call('POST', '/api/v1/organisations', 'worker', { kind: 'individual_business', name: '飞天小吃店', address_id: room.id, node_id: grid.id });
  assert.equal(org.status, 201, org.text);
  const place = await call('POST', '/api/v1/places', 'worker', { kind: '01', name: '飞天小吃店', risk_level: 'medium', organisation_id: org.body.id, address_id: room.id, node_id: grid.id });
  assert.equal(place.status, 201, place.text);
  const household = await call('POST', '/api/v1/households', 'worker', { number: '320115005100301', room_id: other.id });
  assert.equal(household.status, 201, household.text);

  const ids = async (path, who = 'worker') => {
    const res = await call('GET', path, who);
    assert.equal(res.status, 200, res.text);
    return res.body.items.map((x) => x.id);
  };
  assert.deepEqual(await ids(`/api/v1/organisations?address_id=${room.id}`), [org.body.id]);
  assert.deepEqual(await ids(`/api/v1/organisations?address_id=${other.id}`), []);
  assert.deepEqual(await ids(`/api/v1/places?address_id=${room.id}`), [place.body.id]);
  assert.deepEqual(await ids(`/api/v1/places?organisation_id=${org.body.id}`), [place.body.id]);
  assert.deepEqual(await ids(`/api/v1/households?room_id=${other.id}`), [household.body.id]);
  assert.deepEqual(await ids(`/api/v1/households?room_id=${room.id}`), []);
  assert.equal((await call('GET', `/api/v1/households?room_id=${other.id}`, 'dept')).status, 403, 'a department does not see the registry');
  assert.equal((await call('GET', '/api/v1/places?organisation_id=0', 'worker')).body.error.field, 'organisation_id');
});

test('duplicates of a person found and merged: the kept record takes what it lacks, the rest moves, history kept', async () => {
  const add = (body) => call('POST', '/api/v1/people', 'worker', { household_type: 'registered', node_id: grid.id, ...body });
  const a = (await add({ name: '王芳', birth_date: '1985-02-03', phone: '13700001111', employer: '禄口街道' })).body;
  const b = (await add({ name: '王芳', id_number: '320115198502030244' })).body;
  const c = (await add({ name: '王芳', id_number: '320115198502030463' })).body;
  assert.equal((await call('PUT', `/api/v1/people/${b.id}/groups/elderly_alone`, 'worker', {})).status, 200);
  const permit = await call('POST', '/api/v1/licences', 'worker', { holder_type: 'person', holder_id: b.id, kind: '01', number: '320115202699999' });
  assert.equal(permit.status, 201, permit.text);

  const dup = await call('GET', `/api/v1/people/duplicates?node_id=${grid.id}`, 'gridhead');
  assert.equal(dup.status, 200, dup.text);
  const pairs = dup.body.items.map((p) => [p.first.id, p.second.id].join());
  assert.ok(pairs.includes([a.id, b.id].join()), 'same name and birth date');
  assert.ok(!pairs.includes([b.id, c.id].join()), 'two different numbers are two people');
  assert.equal((await call('GET', '/api/v1/people/duplicates', 'dept')).status, 403);

  const merge = (kept, merged, version, who = 'gridhead') => call('POST', `/api/v1/people/${kept}/merge`, who, { merge_id: merged }, { 'if-match': `"v${version}"` });
  assert.equal((await merge(a.id, b.id, 1, 'worker')).status, 403, 'a grid worker does not merge');
  assert.equal((await merge(b.id, c.id, 1)).status, 409, 'two different documents');
  assert.equal((await merge(a.id, a.id, 1)).body.error.field, 'merge_id');
  assert.equal((await merge(a.id, 999999999, 1)).body.error.field, 'merge_id');
  assert.equal((await merge(a.id, b.id, 7)).status, 409, 'stale');
  const merged = await merge(a.id, b.id, 1);
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual([merged.body.id_number, merged.body.phone, merged.body.gender, merged.body.employer, merged.body.version],
    ['3****************4', '137****1111', 'F', '禄口街道', 2]);
  assert.equal((await call('GET', `/api/v1/people/${b.id}`, 'gridhead')).status, 404, 'the merged record is gone');
  const byNumber = await call('GET', '/api/v1/people?id_number=320115198502030244', 'gridhead');
  assert.deepEqual(byNumber.body.items.map((p) => p.id), [a.id], 'its number finds the kept record');
  const groups = await call('GET', `/api/v1/people/${a.id}/groups`, 'gridhead');
  assert.deepEqual(groups.body.items.map((g) => g.tag), ['elderly_alone']);
  const licences = await call('GET', `/api/v1/licences?holder_type=person&holder_id=${a.id}`, 'gridhead');
  assert.deepEqual(licences.body.items.map((l) => l.number), ['320115202699999']);
  const merges = await call('GET', `/api/v1/people/${a.id}/merges`, 'center');
  assert.deepEqual(merges.body.items.map((m) => [m.merged_id, m.record.id_number, m.history.length > 0]), [[b.id, '3****************4', true]]);
  const history = await call('GET', `/api/v1/people/${a.id}/history`, 'center');
  assert.deepEqual(history.body.items.at(-1).changes.merged_from, [null, b.id]);
  const audit = await call('GET', '/api/v1/audit?action=person_merged', 'admin');
  assert.ok(audit.body.items.some((e) => e.target === `person:${a.id}` && e.detail === `person:${b.id}`));
});

test('people exported by filter as CSV and Excel, masked unless asked, audited; an import with a column mapping', async () => {
  const add = (body) => call('POST', '/api/v1/people', 'worker', { node_id: grid.id, ...body });
  await add({ name: '孙流动', household_type: 'floating', id_number: '11010519491231002X', phone: '13612345678' });
  const csv = await call('GET', `/api/v1/people.csv?household_type=floating&node_id=${grid.id}`, 'worker');
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  const lines = csv.text.replace(/^\ufeff/, '').trim().split('\r\n');
  assert.equal(lines[0], '姓名,证件类型,证件号码,性别,出生日期,年龄,民族,联系电话,户籍类型,户籍地址,工作单位,网格编码,网格名称,状态,编号');
  const row = lines.find((l) => l.startsWith('孙流动,'));
  assert.ok(row, csv.text);
  // without a reveal: the age, not the birth date (a third of the number)
  assert.match(row, /^孙流动,居民身份证,1\*{16}X,女,,\d\d,,136\*{4}5678,流动,,,320115005001001,/);
  assert.ok(lines.slice(1).every((l) => l.includes(',流动,')), 'only the floating population');
  assert.equal(csv.headers.get('x-total-count'), String(lines.length - 1));

  assert.equal((await call('GET', '/api/v1/people.csv?reveal=id_number&reason=check', 'worker')).status, 403);
  assert.equal((await call('GET', '/api/v1/people.csv?tag=aliens', 'center')).body.error.field, 'tag');
  assert.equal((await call('GET', '/api/v1/people.ods', 'center')).status, 404);
  const res = await fetch(`${server.base}/api/v1/people.xlsx?household_type=floating&reveal=id_number,phone&reason=${encodeURIComponent('流动人口核查')}`, { headers: { cookie: as.center } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition'), /people\.xlsx/);
  const xlsx = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...xlsx.slice(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip: an Excel workbook');
  const audit = await call('GET', '/api/v1/audit?action=people_exported', 'admin');
  assert.ok(audit.body.items.some((e) => /masked/.test(e.detail)), 'the masked export is audited');
  assert.ok(audit.body.items.some((e) => /id_number,phone: 流动人口核查/.test(e.detail)), 'the unmasked one with its reason');

  // the unmasked export imports again: every line is found already registered
  const again = await server.request('POST', '/api/v1/people/import?dry_run=true', { cookie: as.center, body: xlsx });
  assert.equal(again.status, 200, again.text);
  assert.ok(again.body.problems.length > 0 && again.body.problems.every((p) => p.field === 'id_number'), again.text);
  assert.ok(again.body.problems.some((p) => /already/i.test(p.message)), again.text);
  assert.deepEqual(again.body.ignored_columns, ['年龄', '网格名称', '状态', '编号']);

  // a department's file with its own headers, mapped column by column
  const file = '\ufeff户主姓名,证件号,户口性质,所在网格,备注\r\n周明,320115199001011234,户籍,320115005001001,无\r\n';
  const post = (q) => server.request('POST', `/api/v1/people/import${q}`, { cookie: as.gridhead, body: file, headers: { 'content-type': 'text/csv' } });
  const unmapped = await post('?dry_run=true');
  assert.deepEqual(unmapped.body.problems.map((p) => p.field), ['name'], 'without a mapping nothing names the person');
  const map = encodeURIComponent('户主姓名:name,证件号:id_number,户口性质:household_type,所在网格:grid,备注:');
  const mapped = await post(`?dry_run=true&map=${map}`);
  assert.equal(mapped.status, 200, mapped.text);
  assert.deepEqual(mapped.body.problems, []);
  assert.deepEqual(mapped.body.columns.map((c) => c.field), ['name', 'id_number', 'household_type', 'grid', null]);
  assert.equal((await post(`?dry_run=true&map=${encodeURIComponent('证件号:passport_no')}`)).body.error.field, 'map');
  const done = await post(`?map=${map}`);
  assert.deepEqual([done.status, done.body.added], [200, 1]);
});

test('an import file larger than an ordinary request body is accepted up to the upload limit', async () => {
  const note = 'x'.repeat(3 * 1024 * 1024);
  const file = `\ufeff姓名,户籍类型,网格编码,备注\r\n韩雪,户籍,320115005001001,${note}\r\n`;
  const dry = await server.request('POST', '/api/v1/people/import?dry_run=true', { cookie: as.gridhead, body: file, headers: { 'content-type': 'text/csv' } });
  assert.equal(dry.status, 200, dry.text.slice(0, 300));
  assert.deepEqual([dry.body.rows, dry.body.problems], [1, []]);
  const tooBig = await server.request('POST', '/api/v1/auth/login', { body: `{"login":"${note}"}`, headers: { 'content-type': 'application/json' } });
  assert.equal(tooBig.status, 413, 'an ordinary request keeps its limit');
});

test('whether a number is registered elsewhere cannot be tested: only what one sees is refused', async () => {
  // a worker of another community's grid
  const communityB = (await server.request('GET', '/api/v1/grid/nodes?q=320115005002', { cookie: as.admin })).body.items.find((n) => n.code === '320115005002');
  const gridB = (await server.request('GET', `/api/v1/grid/nodes?parent_id=${communityB.id}`, { cookie: as.admin })).body.items[0];
  const made = await call('POST', '/api/v1/users', 'admin', { login: 'prober', name: '探测', role: 'grid_worker', scope_node_id: gridB.id, password: 'Gridgov@2026' });
  assert.equal(made.status, 201, made.text);
  as.prober = await server.login('prober', 'Gridgov@2026');
  const number = '320115197001010013';
  const first = await call('POST', '/api/v1/people', 'worker', { name: '赵一', household_type: 'registered', node_id: grid.id, id_number: number });
  assert.equal(first.status, 201, first.text);
  // the grid's own worker is told (they can find the record anyway)
  const again = await call('POST', '/api/v1/people', 'worker', { name: '赵一', household_type: 'registered', node_id: grid.id, id_number: number });
  assert.deepEqual([again.status, again.body.error.field], [409, 'id_number']);
  // the other worker gets what any new number gets: a record, and no word of the first
  const probe = await call('POST', '/api/v1/people', 'prober', { name: '赵一', household_type: 'registered', node_id: gridB.id, id_number: number });
  assert.equal(probe.status, 201, probe.text);
  const fresh = await call('POST', '/api/v1/people', 'prober', { name: '钱二', household_type: 'registered', node_id: gridB.id, id_number: '320115197001020027' });
  assert.equal(fresh.status, 201, fresh.text);
  assert.deepEqual(Object.keys(probe.body).sort(), Object.keys(fresh.body).sort());
  assert.equal(probe.body.state, fresh.body.state);
  // an import's dry run tells no more of a number registered only in grid A
  const onlyInA = await call('POST', '/api/v1/people', 'worker', { name: '孙三', household_type: 'registered', node_id: grid.id, id_number: '320115197001030030' });
  assert.equal(onlyInA.status, 201, onlyInA.text);
  const csv = `姓名,证件号码,户籍类型,网格编码\r\n孙三,320115197001030030,户籍人口,${gridB.code}\r\n`;
  const dry = await server.request('POST', '/api/v1/people/import?dry_run=true', { cookie: as.prober, body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(dry.status, 200, dry.text);
  assert.ok(!dry.body.problems.some((p) => p.field === 'id_number'), dry.text);
  // the centre over both sees the two records as one person to merge
  const dup = await call('GET', '/api/v1/people/duplicates', 'center');
  assert.ok(dup.body.items.some((p) => p.reason === 'same_document' && [p.first.id, p.second.id].sort().join() === [first.body.id, probe.body.id].sort().join()), dup.text);
});
