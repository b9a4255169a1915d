// The event catalogue, departments and working calendar over HTTP: reading the shipped
// categories and the 2026 calendar, computing deadlines across holidays, editing with If-Match,
// creating departments, and bad input answered with the field at fault.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/harness.mjs';

let server;
let admin;
let worker;
before(async () => {
  server = await startServer({ demo: true, users: [] });
  admin = await server.login('admin', 'Gridgov@2026');
  worker = await server.login('worker', 'Gridgov@2026');
});
after(async () => { await server?.stop(); });

const get = (path, cookie = admin) => server.request('GET', path, { cookie });

test('everyone signed in reads the catalogue: majors with their minors, routing and limits', async () => {
  const r = await get('/api/v1/catalogue/categories', worker);
  assert.equal(r.status, 200);
  const majors = r.body.items;
  const names = majors.map((m) => m.name);
  for (const n of ['市容环境', '宣传广告', '施工管理', '街面秩序', '突发事件', '婚恋家庭纠纷', '消防安全', '社会救助', '疫情防控']) {
    assert.ok(names.includes(n), n);
  }
  const garbage = majors.find((m) => m.code === 'CG01').minors.find((c) => c.code === 'CG0101');
  assert.deepEqual([garbage.name, garbage.name_en, garbage.department_kind, garbage.handling_level], ['暴露垃圾', 'Exposed garbage', 'cgj', 3]);
  const kinds = await get('/api/v1/catalogue/department-kinds', worker);
  assert.ok(kinds.body.items.some((k) => k.code === 'scjg' && k.name === '市场监管'));
});

test('the 2026 calendar has the official holidays, and deadlines count working time only', async () => {
  const cal = await get('/api/v1/calendar/years/2026');
  assert.equal(cal.status, 200);
  assert.deepEqual(cal.body.working_hours, ['08:30-12:00', '13:30-17:30']);
  const day = (d) => cal.body.days.find((x) => x.day === d);
  assert.equal(day('2026-10-01').working, false);
  assert.equal(day('2026-10-10').working, true);
  const deadline = await get(`/api/v1/calendar/deadline?start=${encodeURIComponent('2026-09-30T16:00:00+08:00')}&hours=4`);
  assert.equal(deadline.status, 200, deadline.text);
  assert.equal(deadline.body.deadline, '2026-10-08T03:00:00.000Z');  // 11:00 in China
  const days = await get(`/api/v1/calendar/deadline?start=${encodeURIComponent('2026-11-20T17:00:00+08:00')}&days=1`);
  assert.equal(days.body.deadline, '2026-11-23T09:00:00.000Z');  // Monday 17:00 in China
  for (const [path, field] of [
    ['/api/v1/calendar/years/1999', 'year'],
    ['/api/v1/calendar/years/20x6', 'year'],
    ['/api/v1/calendar/deadline?hours=-1', 'hours'],
    ['/api/v1/calendar/deadline', 'hours'],
    ['/api/v1/calendar/deadline?start=yesterday&hours=1', 'start'],
  ]) {
    const r = await get(path);
    assert.equal(r.status, 400, `${path} -> ${r.text}`);
    assert.equal(r.body.error.field, field, path);
  }
});

test('admins edit the calendar and the catalogue; others may not', async () => {
  const put = (day, body, cookie = admin) => server.request('PUT', `/api/v1/calendar/days/${day}`, { cookie, body });
  assert.equal((await put('2026-12-31', { working: false, name: '临时放假' }, worker)).status, 403);
  assert.equal((await put('2026-12-31', { working: false, name: '临时放假' })).status, 200);
  const after = await get(`/api/v1/calendar/deadline?start=${encodeURIComponent('2026-12-30T17:00:00+08:00')}&hours=1`);
  assert.equal(after.body.deadline, '2027-01-04T01:00:00.000Z', 'skips 31 December, New Year and the weekend');
  assert.equal((await put('2026-13-01', { working: true, name: 'x' })).body.error.field, 'day');
  assert.equal((await put('2026-12-30', { name: 'x' })).body.error.field, 'working');
  assert.equal((await server.request('DELETE', '/api/v1/calendar/days/2026-12-31', { cookie: admin })).status, 204);
  assert.equal((await server.request('DELETE', '/api/v1/calendar/days/2026-12-31', { cookie: admin })).status, 404);

  const patch = (code, body, version, cookie = admin) => server.request('PATCH', `/api/v1/catalogue/categories/${code}`, {
    cookie, body, headers: version === undefined ? {} : { 'if-match': `"v${version}"` },
  });
  assert.equal((await patch('CG0101', { handle_limit: 2 })).status, 428);
  assert.equal((await patch('CG0101', { handle_limit: 2 }, 1, worker)).status, 403);
  assert.equal((await patch('CG0101', { handle_limit: 0 }, 1)).body.error.field, 'handle_limit');
  assert.equal((await patch('CG0101', { handle_unit: 'weeks' }, 1)).body.error.field, 'handle_unit');
  assert.equal((await patch('CG0101', { department_kind: 'mafia' }, 1)).body.error.field, 'department_kind');
  assert.equal((await patch('CG0101', { accept_hours: 'soon' }, 1)).body.error.field, 'accept_hours');
  assert.equal((await patch('CG0101', { colour: 'red' }, 1)).body.error.field, 'colour');
  const ok = await patch('CG0101', { handle_limit: 2, handle_unit: 'hours' }, 1);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, 2);
  assert.equal((await patch('CG0101', { handle_limit: 3 }, 1)).status, 409);
  assert.equal((await patch('XX0000', { handle_limit: 3 }, 1)).status, 404);
});

test('departments serve a district or a street', async () => {
  const street = (await get('/api/v1/grid/nodes?q=320115005&limit=1')).body.items[0];
  const post = (body, cookie = admin) => server.request('POST', '/api/v1/departments', { cookie, body });
  const made = await post({ name: '禄口街道市场监管所', kind: 'scjg', node_id: street.id, phone: '025-52100000' });
  assert.equal(made.status, 201, made.text);
  assert.equal((await post({ name: '禄口街道市场监管所', kind: 'scjg', node_id: street.id })).status, 409);
  assert.equal((await post({ name: 'x', kind: 'nope', node_id: street.id })).body.error.field, 'kind');
  assert.equal((await post({ name: 'x', kind: 'scjg' })).body.error.field, 'node_id');
  assert.equal((await post({ name: '', kind: 'scjg', node_id: street.id })).body.error.field, 'name');
  assert.equal((await post({ name: 'x', kind: 'scjg', node_id: street.id }, worker)).status, 403);
  const list = await get(`/api/v1/departments?node_id=${street.id}&kind=scjg`, worker);
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((d) => d.name === '禄口街道市场监管所'));
  assert.equal((await get(`/api/v1/departments/${made.body.id}`)).body.phone, '025-52100000');
});
