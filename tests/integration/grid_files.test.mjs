// Uploading the grid tree as a zipped Shapefile or a GeoPackage over HTTP: the files are made by
// exporting the demo street through GDAL, then checked (dry run) and imported into an empty tree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridgov, startServer } from '../support/harness.mjs';

let server;
let admin;
const files = {};
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-files-'));
  const demo = ['--database', `sqlite:${join(dir, 'demo.db')}`, '--key-file', join(dir, 'k.key'), '--log-level', 'warn'];
  assert.equal(gridgov(['demo', ...demo]).status, 0);
  for (const name of ['tree.shp.zip', 'tree.gpkg']) {
    const r = gridgov(['export', ...demo, '-o', join(dir, name)]);
    assert.equal(r.status, 0, r.stderr);
    files[name] = readFileSync(join(dir, name));
  }
  server = await startServer({ users: [{ login: 'worker', role: 'grid_worker' }] });
  admin = await server.login('admin');
});
after(async () => { await server?.stop(); });

const upload = (body, type, query, cookie = admin) => server.request('POST', `/api/v1/grid/import?${query}`, {
  cookie, body, headers: { 'content-type': type },
});

test('a zipped Shapefile and a GeoPackage are read through GDAL and checked like GeoJSON', async () => {
  for (const [name, type] of [['tree.shp.zip', 'application/zip'], ['tree.gpkg', 'application/geopackage+sqlite3']]) {
    const r = await upload(files[name], type, 'dry_run=1');
    assert.equal(r.status, 200, `${name}: ${r.text}`);
    assert.equal(r.body.nodes, 197, name);
    assert.deepEqual(r.body.problems, [], name);
    assert.deepEqual(r.body.findings, [], name);
  }
  // browsers often send such files as octet-stream: the first bytes tell them apart
  const real = await upload(files['tree.gpkg'], 'application/octet-stream', 'dry_run=0');
  assert.equal(real.status, 201, real.text);
  assert.equal(real.body.nodes, 197);
  const found = await server.request('GET', '/api/v1/grid/nodes?q=永兴社区第1网格', { cookie: admin });
  assert.equal(found.body.items[0].code.length, 15);
});

test('other bytes, broken files and people without the right are turned away', async () => {
  const text = await upload('just text', 'text/plain', 'dry_run=1');
  assert.equal(text.status, 415, text.text);
  const broken = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(200, 7)]);
  const r = await upload(broken, 'application/octet-stream', 'dry_run=1');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.field, 'file');
  const brokenZip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)]);
  assert.equal((await upload(brokenZip, 'application/zip', 'dry_run=1')).status, 400);
  const worker = await server.login('worker');
  assert.equal((await upload(files['tree.gpkg'], 'application/zip', 'dry_run=1', worker)).status, 403);
});
