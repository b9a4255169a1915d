// Rotating the key of personal data: with the server stopped, `gridgov keys rotate` encrypts every
// document number and phone again under a new key and recomputes the lookup hashes; the server
// started with the new key finds and shows them as before, and a server given the old key (or any
// other) refuses to start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { startServer, launch, gridgov } from '../support/harness.mjs';

test('the key is rotated: every number found and shown as before under the new key, none under the old', async () => {
  let server = await startServer({ demo: true });
  const login = async (s, who) => s.login(who, 'Gridgov@2026');
  let cookie = await login(server, 'center');
  const grid = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie })).body.items[0];
  const person = await server.request('POST', '/api/v1/people', { cookie, body: { name: '郑和', id_number: '320115199003071230', phone: '13912345678', household_type: 'registered', node_id: grid.id } });
  assert.equal(person.status, 201, person.text);
  const org = await server.request('POST', '/api/v1/organisations', { cookie, body: { kind: 'enterprise', name: '宝船厂', node_id: grid.id, phone: '02552123456' } });
  assert.equal(org.status, 201, org.text);
  const { dir, database, common } = server;
  await server.stop();

  const oldKey = readFileSync(join(dir, 'gridgov.key'), 'utf8');
  const newKeyFile = join(dir, 'new.key');
  const rotated = gridgov(['keys', 'rotate', ...common, '--new-key-file', newKeyFile]);
  assert.equal(rotated.status, 0, rotated.stderr);
  assert.match(rotated.stdout, /people\.id_number: 1 re-encrypted/);
  assert.notEqual(readFileSync(newKeyFile, 'utf8'), oldKey);
  const again = gridgov(['keys', 'rotate', ...common, '--new-key-file', newKeyFile]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 values encrypted again .* \(\d+ were already\)/, 'a second run finds nothing left to do');

  const withNew = common.map((a) => (a === join(dir, 'gridgov.key') ? newKeyFile : a));
  server = await launch({ dir, database, common: withNew });
  cookie = await login(server, 'center');
  const found = await server.request('GET', '/api/v1/people?id_number=320115199003071230', { cookie });
  assert.deepEqual(found.body.items.map((p) => p.id), [person.body.id], 'the lookup hash is under the new key');
  assert.equal((await server.request('GET', '/api/v1/people?phone=13912345678', { cookie })).body.items.length, 1);
  const shown = await server.request('GET', `/api/v1/people/${person.body.id}?reveal=id_number,phone&reason=${encodeURIComponent('核实')}`, { cookie });
  assert.deepEqual([shown.body.id_number, shown.body.phone], ['320115199003071230', '13912345678']);
  const users = await server.request('GET', '/api/v1/users?q=admin', { cookie: await login(server, 'admin') });
  assert.equal(users.status, 200, users.text);
  assert.equal(users.body.items.find((u) => u.login === 'admin').phone, '138****0001', 'users phones open too');
  await server.stop();

  // the old key opens nothing: a server given it refuses to start, and says why
  const refused = gridgov(['serve', ...common, '--port', '0']);
  assert.equal(refused.status, 2, refused.stderr);
  assert.match(refused.stderr, /does not open the personal data in this database \(users\.phone_enc\)/);
  // so does a server given a key it has never seen
  const stranger = gridgov(['serve', ...common.map((a) => (a === join(dir, 'gridgov.key') ? join(dir, 'other.key') : a)), '--port', '0']);
  assert.equal(stranger.status, 2, stranger.stderr);
});
