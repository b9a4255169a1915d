// `gridgov simulate` beside a running server on the same database: in a few seconds at a fast pace
// the simulated city reports events through every channel and takes them round the loop (accepted,
// dispatched, signed for, handled, verified, evaluated), each step a real action in the event's
// chain, and the server's live figures follow.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, gridgov } from '../support/harness.mjs';

let server;
let centre;
before(async () => {
  server = await startServer({ demo: true });
  centre = await server.login('center', 'Gridgov@2026');
});
after(async () => { await server?.stop(); });

test('a simulated city reports and works events round the loop while the server serves', async () => {
  const figures = async () => {
    for (;;) {
      const res = await server.request('GET', '/api/v1/figures', { cookie: centre });
      if (res.status === 200) return res.body.total;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const before = await figures();
  const run = gridgov(['simulate', ...server.common, '--minutes', '0.25', '--speed', '10000', '--reports-per-minute', '240']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /simulation over: (\d+) reported/);
  const list = await server.request('GET', '/api/v1/events?limit=500', { cookie: centre });
  const statuses = new Set(list.body.items.map((e) => e.status));
  const channels = new Set(list.body.items.map((e) => e.channel));
  assert.ok(list.body.total >= 30, `${list.body.total} events`);
  for (const s of ['closed', 'evaluated']) assert.ok(statuses.has(s), `some ${s}: ${[...statuses]}`);
  for (const c of ['grid_worker', 'hotline_12345', 'resident']) assert.ok(channels.has(c), `from ${c}: ${[...channels]}`);
  // each step is an action in the event's chain
  const done = list.body.items.find((e) => e.status === 'evaluated');
  const detail = await server.request('GET', `/api/v1/events/${done.id}`, { cookie: centre });
  const actions = detail.body.timeline.map((a) => a.action);
  assert.ok(actions.includes('verify') && actions.includes('evaluate'), actions.join(','));
  // the server's figures followed
  let after;
  for (let i = 0; i < 40; ++i) {
    after = await figures();
    if (after.intake >= before.intake + list.body.total) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(after.intake, before.intake + list.body.total);
  assert.ok(after.closed > before.closed);
});
