// Attachments of events over HTTP: staff attach photos and documents (type read from the bytes,
// size and count limited, each an action in the chain with its SHA-256), read them back exactly;
// a resident adds a photo through the tracking code and sees the public ones on the tracking page;
// scopes hide the rest; with a directory configured, the bytes are files on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, gridgov, pointInGrid } from '../support/harness.mjs';
import { png } from '../support/images.mjs';

const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

let server;
const as = {};
let point;
let event;
before(async () => {
  server = await startServer({ demo: true, env: { GRIDGOV_ATTACHMENTS_MAX_BYTES: '300000' } });
  for (const login of ['worker', 'center', 'dept', 'admin']) as[login] = await server.login(login, 'Gridgov@2026');
  point = await pointInGrid(server, as.admin);
  const made = await server.request('POST', '/api/v1/events', { cookie: as.worker, body: { channel: 'grid_worker', title: '垃圾满溢', description: '小区门口垃圾桶满溢', category_code: 'CG0101', lon: point[0], lat: point[1] } });
  assert.equal(made.status, 201, made.text);
  event = made.body;
});
after(async () => { await server?.stop(); });

const upload = (path, bytes, { name = '现场照片.png', type = 'image/png', cookie, query = '' } = {}) =>
  server.request('POST', `${path}?name=${encodeURIComponent(name)}${query}`, { cookie, body: new Uint8Array(bytes), headers: type ? { 'content-type': type } : {} });

test('staff attach a photo and a document; both read back byte for byte, each an action in the chain', async () => {
  const photo = png(64, 48);
  const r = await upload(`/api/v1/events/${event.id}/attachments`, photo, { cookie: as.worker, query: '&note=' + encodeURIComponent('整改前') });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.content_type, r.body.size, r.body.sha256, r.body.file_name], ['image/png', photo.length, sha(photo), '现场照片.png']);
  assert.equal(r.headers.get('location'), r.body.url);
  // the type comes from the bytes: a PDF sent as octet-stream is a PDF
  const doc = await upload(`/api/v1/events/${event.id}/attachments`, pdf, { cookie: as.center, name: '../../处理意见.pdf', type: 'application/octet-stream' });
  assert.equal(doc.status, 201, doc.text);
  assert.deepEqual([doc.body.content_type, doc.body.file_name], ['application/pdf', '处理意见.pdf']);

  const list = await server.request('GET', `/api/v1/events/${event.id}/attachments`, { cookie: as.center });
  assert.deepEqual(list.body.items.map((a) => a.file_name), ['现场照片.png', '处理意见.pdf']);
  const got = await fetch(server.base + r.body.url, { headers: { cookie: as.center } });
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.match(got.headers.get('content-disposition'), /^inline; filename\*=UTF-8''%E7%8E%B0/);
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(photo), 'the same bytes');
  const gotDoc = await fetch(server.base + doc.body.url, { headers: { cookie: as.center } });
  assert.match(gotDoc.headers.get('content-disposition'), /^attachment;/);
  assert.ok(Buffer.from(await gotDoc.arrayBuffer()).equals(pdf));

  const detail = await server.request('GET', `/api/v1/events/${event.id}`, { cookie: as.center });
  const attaches = detail.body.timeline.filter((a) => a.action === 'attach');
  assert.equal(attaches.length, 2);
  assert.equal(attaches[0].note, '整改前');
  assert.equal(attaches[0].data.sha256, sha(photo));
  assert.equal(detail.body.status, 'reported', 'attaching changes no state');
  const verify = gridgov(['audit', 'verify', ...server.common]);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});

test('bad files get clear errors and leave nothing behind', async () => {
  const path = `/api/v1/events/${event.id}/attachments`;
  const cases = [
    [await upload(path, Buffer.from('just some text'), { cookie: as.center, type: 'text/plain' }), 415, 'file'],
    [await upload(path, png(8, 8), { cookie: as.center, type: 'image/jpeg' }), 415, 'Content-Type'],
    [await upload(path, Buffer.alloc(0), { cookie: as.center }), 400, 'file'],
    [await server.request('POST', path, { cookie: as.center, body: new Uint8Array(png(8, 8)), headers: { 'content-type': 'image/png' } }), 400, 'name'],
    [await upload(path, png(8, 8), { cookie: as.center, query: '&public=maybe' }), 400, 'public'],
    // over the configured 300,000 bytes (but under what the server reads for uploads)
    [await upload(path, png(400, 400, 13), { cookie: as.center }), 413, 'file'],
    // an image signature before random bytes, and a real photo cut in half, do not decode
    [await upload(path, Buffer.concat([png(8, 8).subarray(0, 8), Buffer.from(Array.from({ length: 50000 }, (_, i) => (i * 7919) % 251))]), { cookie: as.center }), 415, 'file'],
    [await upload(path, png(120, 120, 4).subarray(0, 20000), { cookie: as.center }), 415, 'file'],
    [await upload(path, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]), { cookie: as.center, type: 'image/jpeg' }), 415, 'file'],
  ];
  for (const [r, status, field] of cases) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error.field, field, r.text);
  }
  // far over: the server stops reading
  const huge = await upload(path, Buffer.alloc(40 * 1024 * 1024, 0xff), { cookie: as.center }).catch((e) => ({ status: 'closed', e }));
  assert.ok(huge.status === 413 || huge.status === 'closed', String(huge.status));
  const list = await server.request('GET', path, { cookie: as.center });
  assert.equal(list.body.items.length, 2, 'nothing was added');
});

test('scopes: a department not assigned the case sees none of its files', async () => {
  const r = await server.request('GET', `/api/v1/events/${event.id}/attachments`, { cookie: as.dept });
  assert.equal(r.status, 404);
  const list = await server.request('GET', `/api/v1/events/${event.id}/attachments`, { cookie: as.center });
  const file = await server.request('GET', list.body.items[0].url, { cookie: as.dept });
  assert.equal(file.status, 404);
  assert.equal((await upload(`/api/v1/events/${event.id}/attachments`, png(8, 8), { cookie: as.dept })).status, 404);
  assert.equal((await upload(`/api/v1/events/${event.id}/attachments`, png(8, 8))).status, 401);
});

test('a resident adds a photo through the tracking code; the tracking page shows only the public files', async () => {
  const made = await server.request('POST', '/api/v1/public/events', { body: { title: '井盖缺失', description: '人行道井盖缺失', category_code: 'CG0601', lon: point[0], lat: point[1] } });
  const code = made.body.tracking_code;
  const photo = png(32, 32, 5);
  const mine = await upload(`/api/v1/public/track/${code}/attachments`, photo, { name: 'IMG_0001.png' });
  assert.equal(mine.status, 201, mine.text);
  const staffEvent = (await server.request('GET', `/api/v1/events?channel=resident&status=reported`, { cookie: as.center })).body.items.find((e) => e.tracking_code === code);
  // staff add one for themselves and one for the reporter to see
  await upload(`/api/v1/events/${staffEvent.id}/attachments`, png(16, 16, 3), { cookie: as.center, name: 'internal.png' });
  await upload(`/api/v1/events/${staffEvent.id}/attachments`, png(16, 16, 9), { cookie: as.center, name: 'result.png', query: '&public=true' });
  const tracked = await server.request('GET', `/api/v1/public/track/${code}`);
  assert.deepEqual(tracked.body.attachments.map((a) => a.file_name), ['IMG_0001.png', 'result.png']);
  const got = await fetch(server.base + tracked.body.attachments[0].url);
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(photo));
  const staffOnly = (await server.request('GET', `/api/v1/events/${staffEvent.id}/attachments`, { cookie: as.center })).body.items.find((a) => a.file_name === 'internal.png');
  assert.equal((await server.request('GET', `/api/v1/public/track/${code}/attachments/${staffOnly.id}`)).status, 404);
  // once dispatched, the reporter adds no more
  await server.request('POST', `/api/v1/events/${staffEvent.id}/actions`, { cookie: as.center, body: { action: 'accept' } });
  await server.request('POST', `/api/v1/events/${staffEvent.id}/actions`, { cookie: as.center, body: { action: 'dispatch' } });
  const late = await upload(`/api/v1/public/track/${code}/attachments`, photo, { name: 'late.png' });
  assert.equal(late.status, 409, late.text);
  assert.equal((await upload('/api/v1/public/track/0000000000/attachments', photo)).status, 404);
});

test('with a directory configured, the bytes are content-addressed files on disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-files-'));
  await server.stop();
  const { launch } = await import('../support/harness.mjs');
  server = await launch({ ...server, env: { GRIDGOV_ATTACHMENTS_DIRECTORY: dir } });
  as.center = await server.login('center', 'Gridgov@2026');
  const photo = png(20, 20, 11);
  const r = await upload(`/api/v1/events/${event.id}/attachments`, photo, { cookie: as.center });
  assert.equal(r.status, 201, r.text);
  const file = join(dir, r.body.sha256.slice(0, 2), r.body.sha256);
  assert.ok(existsSync(file));
  assert.ok(readFileSync(file).equals(photo));
  // the ones kept in the database before still read back
  const list = await server.request('GET', `/api/v1/events/${event.id}/attachments`, { cookie: as.center });
  for (const a of list.body.items) {
    const got = await fetch(server.base + a.url, { headers: { cookie: as.center } });
    assert.equal(sha(Buffer.from(await got.arrayBuffer())), a.sha256);
  }
});
