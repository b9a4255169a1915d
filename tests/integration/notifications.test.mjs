// Staff are told what they must act on: the department when a case is dispatched to it, the
// centre when a department returns it or asks for time, both when a leader flags it; each user
// sees only their own notifications and marks them read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pointInGrid } from '../support/harness.mjs';

let server;
const as = {};
before(async () => {
  server = await startServer({ demo: true });
  for (const login of ['worker', 'center', 'dept', 'leader', 'admin']) as[login] = await server.login(login, 'Gridgov@2026');
});
after(async () => { await server?.stop(); });

const mine = async (who, q = '') => (await server.request('GET', `/api/v1/notifications${q}`, { cookie: as[who] })).body;

test('the department hears of its task, the centre of a return and a request for time, both of supervision', async () => {
  const point = await pointInGrid(server, as.admin);
  const made = await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '路灯不亮', description: '永兴路路灯不亮', category_code: 'CG0602', lon: point[0], lat: point[1] } });
  const id = made.body.id;
  const act = (who, body) => server.request('POST', `/api/v1/events/${id}/actions`, { cookie: as[who], body });
  assert.equal((await mine('dept')).unread, 0);
  await act('center', { action: 'accept' });
  await act('center', { action: 'dispatch' });
  let dept = await mine('dept');
  assert.equal(dept.unread, 1);
  assert.deepEqual([dept.items[0].event_id, dept.items[0].action, dept.items[0].event_title, dept.items[0].read], [id, 'dispatch', '路灯不亮', false]);
  assert.equal((await mine('center')).unread, 0, 'the centre did the dispatching itself');

  await act('dept', { action: 'sign' });
  await act('dept', { action: 'request_extension', hours: 8, note: '需要更换灯杆' });
  let centre = await mine('center');
  assert.equal(centre.items[0].action, 'request_extension');
  assert.equal(centre.items[0].note, '需要更换灯杆');
  await act('leader', { action: 'supervise', note: '涉及行人安全，加快办理' });
  assert.equal((await mine('center')).items[0].action, 'supervise');
  dept = await mine('dept', '?unread=true');
  assert.deepEqual(dept.items.map((n) => n.action), ['supervise', 'dispatch']);
  await act('dept', { action: 'return', note: '不属于本部门职责' });
  assert.equal((await mine('center')).items[0].action, 'return');
  assert.equal((await mine('worker')).unread, 0, 'nobody else is told');

  // read: one, then all
  const marked = await server.request('POST', '/api/v1/notifications/read', { cookie: as.dept, body: { ids: [dept.items[0].id] } });
  assert.equal(marked.body.marked, 1);
  assert.equal((await mine('dept')).unread, 1);
  // another user's ids are not theirs to mark
  assert.equal((await server.request('POST', '/api/v1/notifications/read', { cookie: as.center, body: { ids: [dept.items[1].id] } })).body.marked, 0);
  await server.request('POST', '/api/v1/notifications/read', { cookie: as.dept, body: {} });
  assert.equal((await mine('dept')).unread, 0);
  const bad = await server.request('POST', '/api/v1/notifications/read', { cookie: as.dept, body: { ids: ['x'] } });
  assert.deepEqual([bad.status, bad.body.error.field], [400, 'ids']);
  assert.equal((await server.request('GET', '/api/v1/notifications?unread=maybe', { cookie: as.dept })).body.error.field, 'unread');
});
