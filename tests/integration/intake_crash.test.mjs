// Nothing acknowledged is lost: gridgov is killed with SIGKILL three times in the middle of
// sustained intake from eight concurrent clients; after each restart every event that was
// answered 201 is there, once, and the action chains are intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, gridgov } from '../support/harness.mjs';

test('events acknowledged before a kill -9 are all there after the restart', async () => {
  let server = await startServer({ users: [{ login: 'hotline', role: 'center' }] });
  const acknowledged = new Map();  // external id → event id
  try {
    for (let round = 0; round < 3; ++round) {
      const cookie = await server.login('hotline');
      let stop = false;
      const client = async (c) => {
        for (let i = 0; !stop; ++i) {
          const external = `crash-${round}-${c}-${i}`;
          try {
            const r = await server.request('POST', '/api/v1/events', {
              cookie, body: { channel: 'hotline_12345', external_id: external, title: '断电测试', description: '持续上报', lon: 118.85, lat: 31.67 },
            });
            if (r.status === 201) acknowledged.set(external, r.body.id);
          } catch {
            return;  // the server is gone: whatever was not answered does not count
          }
        }
      };
      const clients = Array.from({ length: 8 }, (_, c) => client(c));
      await new Promise((resolve) => setTimeout(resolve, 700 + round * 300));
      server.child.kill('SIGKILL');
      stop = true;
      await server.exited;
      await Promise.all(clients);
      server = await launch(server);
    }
    assert.ok(acknowledged.size > 50, `only ${acknowledged.size} events were acknowledged`);
    const admin = await server.login('admin');
    const seen = new Map();
    for (let offset = 0; ; offset += 500) {
      const page = await server.request('GET', `/api/v1/events?channel=hotline_12345&limit=500&offset=${offset}`, { cookie: admin });
      for (const e of page.body.items) seen.set(e.external_id, e.id);
      if (page.body.items.length < 500) break;
    }
    for (const [external, id] of acknowledged) assert.equal(seen.get(external), id, external);
    const verified = gridgov(['audit', 'verify', ...server.common]);
    assert.equal(verified.status, 0, verified.stdout);
  } finally {
    await server.stop();
  }
});
