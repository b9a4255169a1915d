// Open311 GeoReport v2 on the demo city, as a client that knows only the spec would use it: it
// discovers the endpoint, lists services and a definition, posts a request with its API key (form
// fields, attributes), reads it back by id and by token, filters requests, and gets errors in the
// spec's shape; every resource in JSON and in XML (parsed as XML), times with their offset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readFileSync, readdirSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, pointInGrid } from '../support/harness.mjs';

let server;
let admin;
let apiKey;
let point;
const xml = new XMLParser({ parseTagValue: false, isArray: (name) => ['service', 'request', 'attribute', 'value', 'endpoint', 'format', 'error'].includes(name) });
const W3C = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/;

before(async () => {
  server = await startServer({ demo: true });
  admin = await server.login('admin', 'Gridgov@2026');
  const issued = await server.request('POST', '/api/v1/api-keys', { cookie: admin, body: { name: '城市随手拍 App', role: 'center' } });
  assert.equal(issued.status, 201, issued.text);
  apiKey = issued.body.key;
  point = await pointInGrid(server, admin);
});
after(async () => { await server?.stop(); });

const form = (fields) => new URLSearchParams(fields).toString();
const post = (ext, fields) => server.request('POST', `/open311/v2/requests.${ext}`, { body: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
function parseXml(r) {
  assert.match(r.headers.get('content-type'), /^text\/xml; charset=utf-8/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  assert.equal(XMLValidator.validate(r.text), true, r.text);
  return xml.parse(r.text);
}

test('discovery names the GeoReport v2 endpoint and its formats', async () => {
  const j = await server.request('GET', '/open311/v2/discovery.json');
  assert.equal(j.status, 200);
  assert.equal(j.body.endpoints[0].specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.equal(j.body.endpoints[0].url, `${server.base}/open311/v2`);
  assert.deepEqual(j.body.endpoints[0].formats, ['text/xml', 'application/json']);
  const x = parseXml(await server.request('GET', '/open311/v2/discovery.xml'));
  assert.deepEqual(x.discovery.endpoints.endpoint[0].formats.format, ['text/xml', 'application/json']);
});

test('services are the open categories; a definition lists its attributes, in both formats', async () => {
  const j = await server.request('GET', '/open311/v2/services.json');
  const light = j.body.find((s) => s.service_code === 'CG0602');
  assert.deepEqual([light.service_name, light.type, light.metadata, light.group], ['路灯故障', 'realtime', true, '公用设施']);
  assert.ok(j.body.every((s) => /^(CG|AQ)/.test(s.service_code)), 'disputes and the like are not offered');
  const x = parseXml(await server.request('GET', '/open311/v2/services.xml'));
  assert.equal(x.services.service.length, j.body.length);
  assert.equal(x.services.service.find((s) => s.service_code === 'CG0602').service_name, '路灯故障');
  const def = await server.request('GET', '/open311/v2/services/CG0602.json');
  assert.deepEqual(def.body.attributes.map((a) => [a.code, a.datatype, a.order]), [['HAZARD', 'singlevaluelist', 1], ['OBSERVED', 'datetime', 2]]);
  const defXml = parseXml(await server.request('GET', '/open311/v2/services/CG0602.xml'));
  assert.equal(defXml.service_definition.service_code, 'CG0602');
  assert.deepEqual(defXml.service_definition.attributes.attribute[0].values.value.map((v) => v.key), ['yes', 'no']);
  const missing = await server.request('GET', '/open311/v2/services/MD0101.json');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body, [{ code: 404, description: 'service_code provided was not found.' }]);
  const missingXml = parseXml(await server.request('GET', '/open311/v2/services/NOPE.xml'));
  assert.equal(missingXml.errors.error[0].code, '404');
});

let created;
test('a client posts a request with its API key and reads it back by id and by token', async () => {
  const r = await post('json', { api_key: apiKey, service_code: 'CG0602', lat: point[1], long: point[0], address_string: '禄口街道永兴路 18 号', description: '路灯整晚不亮', first_name: '芳', last_name: '王', phone: '13812345678', 'attribute[HAZARD]': 'yes', device_id: 'ios-7f3a' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.length, 1);
  created = r.body[0];
  // the schema's string id, and (the request exists at once) no token beside it
  assert.equal(typeof created.service_request_id, 'string');
  assert.match(created.service_request_id, /^\d+$/);
  assert.equal('token' in created, false);
  // the sending system learns the resident's tracking code from the notice
  created.token = /查询码 ([0-9A-Z]{10})/.exec(created.service_notice)[1];
  assert.equal(created.account_id, null);

  const one = await server.request('GET', `/open311/v2/requests/${created.service_request_id}.json`);
  assert.equal(one.status, 200, one.text);
  const req = one.body[0];
  assert.equal(req.status, 'open');
  assert.deepEqual([req.service_code, req.service_name, req.description, req.address], ['CG0602', '路灯故障', '路灯整晚不亮', '禄口街道永兴路 18 号']);
  assert.match(req.requested_datetime, W3C);
  assert.match(req.expected_datetime, W3C);
  // the place is published to about a hundred metres, in plain decimals
  assert.ok(Math.abs(req.lat - point[1]) <= 0.0005 + 1e-9 && Math.abs(req.long - point[0]) <= 0.0005 + 1e-9);
  assert.ok(!/"(lat|long)":-?[\d.]+[eE]/.test(one.text), one.text);
  assert.ok(!one.text.includes('13812345678') && !one.text.includes('王芳'), 'no personal data');
  const oneXml = parseXml(await server.request('GET', `/open311/v2/requests/${created.service_request_id}.xml`));
  assert.equal(oneXml.service_requests.request[0].service_request_id, String(created.service_request_id));
  assert.equal(oneXml.service_requests.request[0].address_id, '');

  const token = await server.request('GET', `/open311/v2/tokens/${created.token}.json`);
  assert.deepEqual(token.body, [{ service_request_id: created.service_request_id, token: created.token }]);
  // staff see it as an Open311 event, its reporter (masked) and what else the client sent
  const staff = await server.request('GET', `/api/v1/events/${created.service_request_id}`, { cookie: admin });
  assert.equal(staff.body.channel, 'open311');
  assert.equal(staff.body.reporter_name, '王芳');
  assert.equal(staff.body.reporter_phone, '138****5678');
  assert.deepEqual(staff.body.timeline[0].data.details, { HAZARD: 'yes', device_id: 'ios-7f3a' });
  // XML posts answer in XML
  const x = parseXml(await post('xml', { api_key: apiKey, service_code: 'AQ0101', address_string: '禄口街道商业街 3 号', description: '电动车楼道充电' }));
  assert.match(x.service_requests.request[0].service_request_id, /^\d+$/);
});

test('requests are filtered by id, service, dates and status; closed when the case is', async () => {
  const id = created.service_request_id;
  // close it through the loop
  const center = await server.login('center', 'Gridgov@2026');
  const dept = await server.login('dept', 'Gridgov@2026');
  const act = (cookie, body) => server.request('POST', `/api/v1/events/${id}/actions`, { cookie, body });
  for (const [who, body] of [[center, { action: 'accept' }], [center, { action: 'dispatch' }], [dept, { action: 'sign' }], [dept, { action: 'handle' }], [center, { action: 'verify', passed: true }]]) {
    assert.equal((await act(who, body)).status, 200);
  }
  const get = (q) => server.request('GET', `/open311/v2/requests.json?${q}`);
  const closed = await get('status=closed');
  assert.deepEqual(closed.body.map((r) => r.service_request_id), [id]);
  assert.equal(closed.body[0].agency_responsible, '禄口街道城管中队');
  assert.equal(closed.body[0].status_notes, '已结案');
  assert.ok((await get('status=open')).body.every((r) => r.status === 'open' && r.service_request_id !== id));
  assert.deepEqual((await get('service_code=CG0602')).body.map((r) => r.service_request_id), [id]);
  assert.equal((await get('status=open,closed')).body.length, (await get('')).body.length);
  const today = new Date();
  const from = new Date(today.getTime() - 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  assert.ok((await get(`start_date=${from}`)).body.some((r) => r.service_request_id === id));
  assert.deepEqual((await get(`end_date=2020-01-01T00:00:00%2B08:00`)).body, []);
  // the ids override the other filters
  assert.deepEqual((await get(`service_request_id=${id}&status=open`)).body.map((r) => r.service_request_id), [id]);
  const xmlList = parseXml(await server.request('GET', '/open311/v2/requests.xml?status=closed'));
  assert.equal(xmlList.service_requests.request[0].status, 'closed');
  assert.match(xmlList.service_requests.request[0].updated_datetime, W3C);
});

test('errors come in the spec shape with the right status', async () => {
  const cases = [
    [await post('json', { service_code: 'CG0602', address_string: 'x' }), 403, /api_key/],
    [await post('json', { api_key: 'ggk_not_a_key', service_code: 'CG0602', address_string: 'x' }), 403, /api_key/],
    [await post('json', { api_key: apiKey, address_string: 'x' }), 400, /service_code/],
    [await post('json', { api_key: apiKey, service_code: 'MD0101', address_string: 'x' }), 404, /service_code/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602' }), 400, /location/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602', lat: '32.1' }), 400, /lat and long/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602', lat: '132.1', long: '118.8' }), 400, /lat/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602', address_string: 'x', 'attribute[HAZARD]': 'maybe' }), 400, /HAZARD/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602', address_string: 'x', 'attribute[COLOUR]': 'red' }), 400, /COLOUR/],
    [await post('json', { api_key: apiKey, service_code: 'CG0602', address_string: 'x', phone: 'call me' }), 400, /phone/],
    [await server.request('GET', '/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, /90 days/],
    [await server.request('GET', '/open311/v2/requests.json?start_date=yesterday'), 400, /start_date/],
    [await server.request('GET', '/open311/v2/requests.json?status=pending'), 400, /status/],
    [await server.request('GET', '/open311/v2/requests/999999.json'), 404, /service_request_id/],
    [await server.request('GET', '/open311/v2/requests/abc.json'), 404, /service_request_id/],
    [await server.request('GET', '/open311/v2/tokens/ZZZZZZZZZZ.json'), 404, /token/],
  ];
  for (const [r, status, text] of cases) {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.length, 1, r.text);
    assert.equal(r.body[0].code, status);
    assert.match(r.body[0].description, text);
  }
  const x = parseXml(await server.request('POST', '/open311/v2/requests.xml', { body: 'service_code=CG0602', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
  assert.deepEqual(x.errors.error, [{ code: '403', description: 'api_key was not provided.' }]);
  const wrongType = await server.request('POST', '/open311/v2/requests.json', { body: { api_key: apiKey } });
  assert.equal(wrongType.status, 400);
  for (const path of ['/open311/v2/services.html', '/open311/v2/services.csv', '/open311/v2/nothing.json']) {
    const r = await server.request('GET', path);
    assert.equal(r.status, 404, path);
    assert.equal(r.body[0].code, 404, `${path}: an Open311 error list, not gridgov's own body`);
  }
});

test('only the published subset is public: no internal reports, no personal numbers, no tracking code', async () => {
  // a grid worker's internal report and a resident's report that names a phone
  const worker = await server.login('worker', 'Gridgov@2026');
  const internal = await server.request('POST', '/api/v1/events', { cookie: worker,
    body: { channel: 'grid_worker', title: '群租房排查', description: '302 室住户张三 13912345678 群租', category_code: 'CG0602', lon: point[0], lat: point[1] } });
  assert.equal(internal.status, 201, internal.text);
  const resident = await post('json', { api_key: apiKey, service_code: 'CG0602', lat: point[1], long: point[0],
    description: '楼下路灯坏了，请回电 139 1234 5678，身份证 320115199003071230' });
  const rid = resident.body[0].service_request_id;
  const ids = Array.from({ length: internal.body.id + 5 }, (_, i) => i + 1).join(',');
  const all = await server.request('GET', `/open311/v2/requests.json?service_request_id=${ids}`);
  assert.equal(all.status, 200);
  assert.ok(!all.body.some((r) => r.service_request_id === String(internal.body.id)), 'an internal report is not public');
  assert.equal((await server.request('GET', `/open311/v2/requests/${internal.body.id}.json`)).status, 404);
  const published = all.body.find((r) => r.service_request_id === rid);
  assert.ok(published, 'the resident report is public');
  assert.ok(!/\d{6}/.test(published.description.replace(/\s/g, '')), published.description);
  assert.match(published.description, /＊＊＊/);
  // staff still see what was sent
  const staff = await server.request('GET', `/api/v1/events/${rid}`, { cookie: admin });
  assert.match(staff.body.description, /139 1234 5678/);
  // no public answer carries a tracking code
  for (const r of all.body) {
    const code = (await server.request('GET', `/api/v1/events/${r.service_request_id}`, { cookie: admin })).body.tracking_code;
    assert.ok(!JSON.stringify(r).includes(code), `request ${r.service_request_id} shows its tracking code`);
  }
});

test('reads may be set to need an API key, and a key reads within its scope', async () => {
  const closed = await startServer({ args: ['--open311-read-key', 'true'] });
  try {
    const r = await closed.request('GET', '/open311/v2/requests.json');
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, [{ code: 403, description: 'api_key was not provided.' }]);
    const one = await closed.request('GET', '/open311/v2/requests/1.xml');
    assert.equal(one.status, 403);
    const a = await closed.login('admin');
    const key = (await closed.request('POST', '/api/v1/api-keys', { cookie: a, body: { name: '读取', role: 'center' } })).body.key;
    const ok = await closed.request('GET', `/open311/v2/requests.json?api_key=${key}`);
    assert.equal(ok.status, 200, ok.text);
    assert.deepEqual(ok.body, []);
    assert.equal((await closed.request('GET', '/open311/v2/requests.json?api_key=ggk_x')).status, 403);
  } finally {
    await closed.stop();
  }
});

test('every answer validates against the GeoReport v2 JSON Schemas', async () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const dir = new URL('../data/open311/', import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
  const check = (schema, r) => {
    const validate = ajv.getSchema(schema);
    assert.ok(validate(r.body), `${schema}: ${JSON.stringify(validate.errors)}\n${r.text.slice(0, 500)}`);
  };
  const get = (path) => server.request('GET', path);
  check('discovery.schema.json', await get('/open311/v2/discovery.json'));
  check('services.schema.json', await get('/open311/v2/services.json'));
  check('service-definition.schema.json', await get('/open311/v2/services/CG0602.json'));
  const made = await post('json', { api_key: apiKey, service_code: 'CG0602', lat: point[1], long: point[0], description: 'x'.repeat(4000) });
  assert.equal(made.status, 200, made.text);
  check('created.schema.json', made);
  const id = made.body[0].service_request_id;
  const all = await get('/open311/v2/requests.json');
  assert.ok(all.body.length >= 2);
  check('requests.schema.json', all);
  check('requests.schema.json', await get(`/open311/v2/requests/${id}.json`));
  check('requests.schema.json', await get('/open311/v2/requests.json?status=closed'));
  check('tokens.schema.json', await get(`/open311/v2/tokens/${created.token}.json`));
  for (const r of [await get('/open311/v2/requests/999999.json'), await get('/open311/v2/services/NOPE.json'),
    await get('/open311/v2/services.csv'), await get('/open311/v2/requests.json?status=pending'),
    await post('json', { service_code: 'CG0602', address_string: 'x' }),
    await post('json', { api_key: apiKey, service_code: 'ZZ9999', address_string: 'x' })]) {
    check('errors.schema.json', r);
    assert.equal(r.body[0].code, r.status);
  }
});
