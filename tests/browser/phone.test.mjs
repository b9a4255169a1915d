// The grid worker's phone in Chromium at a phone's size: a report with a photo and a patrol made
// without a connection wait in the phone's outbox; back online they are sent, each once, with the
// times they were made, and the report appears on the open command centre within seconds. A
// report's place picked on the map of the grids instead of the phone's position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, newPage, logIn } from '../support/browser.mjs';
import { startServer, outDir, pointInGrid } from '../support/harness.mjs';

// a 1×1 PNG, as a phone's camera would give a JPEG
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let server;
let browser;
before(async () => {
  server = await startServer({ demo: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a report and a patrol made offline are sent once when the phone is back, and reach the command centre', async () => {
  const admin = await server.login('admin', 'Gridgov@2026');
  const point = await pointInGrid(server, admin);
  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.context.grantPermissions(['geolocation'], { origin: server.base });
  await phone.context.setGeolocation({ longitude: point[0], latitude: point[1], accuracy: 8 });
  await logIn(phone.page, server.base, 'worker', 'Gridgov@2026');
  await phone.page.locator('[data-test="phone"]').waitFor();
  // my grid, with what is open there
  await phone.page.locator('[data-test="my-grid-320115005001001"]').getByText('专职网格员').waitFor();
  await phone.page.screenshot({ path: join(outDir(), 'phone-tasks.png') });
  // open once with a connection, as a worker does in the morning
  await phone.page.locator('[data-test="phone-tab-report"]').click();
  await phone.page.locator('[data-test="report-where"]').waitFor();
  await phone.page.locator('[data-test="phone-tab-patrol"]').click();
  await phone.page.locator('[data-test="patrol-start"]').waitFor();

  // the centre's screen, open meanwhile
  const centre = await newPage(browser, { width: 1600, height: 900 });
  await logIn(centre.page, server.base, 'center', 'Gridgov@2026');
  await centre.page.locator('[data-test="nav-/command"]').click();
  await centre.page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() ?? ''), null, { timeout: 30000 });
  await new Promise((r) => setTimeout(r, 1500));
  const before = Number(await centre.page.locator('[data-test="kpi-intake"] b').innerText());

  await phone.context.setOffline(true);
  await phone.page.locator('[data-test="phone-online"]').getByText('离线').waitFor();
  // a patrol: started, walked, a check-in, ended
  await phone.page.locator('[data-test="patrol-start"]').click();
  await phone.page.locator('[data-test="patrol-stop"]').waitFor();
  await phone.context.setGeolocation({ longitude: point[0], latitude: point[1] + 0.001, accuracy: 8 });
  await phone.page.locator('[data-test="patrol-check-in"]').click();
  await phone.page.locator('[data-test="patrol-stop"]').click();
  // a report
  const made = Date.now();
  await phone.page.locator('[data-test="phone-tab-report"]').click();
  await phone.page.locator('[data-test="report-category"]').click();
  await phone.page.locator('.el-select-dropdown__item:visible', { hasText: '暴露垃圾' }).first().click();
  await phone.page.locator('input[data-test="report-title"], [data-test="report-title"] input').first().fill('垃圾桶满溢（离线上报）');
  await phone.page.locator('[data-test="report-photos"]').setInputFiles({ name: 'bin.png', mimeType: 'image/png', buffer: png });
  await phone.page.locator('[data-test="report-send"]').click();
  await phone.page.getByText('已保存，联网后自动上报').waitFor();
  const pending = Number(await phone.page.locator('[data-test="phone-pending"] sup').innerText());
  assert.ok(pending >= 4, `${pending} waiting: the patrol, its check-in, its end and the report`);
  await phone.page.screenshot({ path: join(outDir(), 'phone-offline.png') });
  await new Promise((r) => setTimeout(r, 2000));  // time passes before the phone is back

  const back = Date.now();
  await phone.context.setOffline(false);
  await phone.page.locator('[data-test="phone-pending"] sup').waitFor({ state: 'hidden', timeout: 20000 });
  await centre.page.waitForFunction((n) => document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() === String(n), before + 1, { timeout: 15000 });
  assert.ok(Date.now() - back < 15000);

  const worker = await server.login('worker', 'Gridgov@2026');
  const events = (await server.request('GET', '/api/v1/events?limit=50', { cookie: worker })).body.items.filter((e) => e.title === '垃圾桶满溢（离线上报）');
  assert.equal(events.length, 1, 'sent once');
  const seen = Date.parse(events[0].reported_at);
  assert.ok(seen >= made - 1000 && seen < back, `the time it was made: ${events[0].reported_at}`);
  const photos = (await server.request('GET', `/api/v1/events/${events[0].id}/attachments`, { cookie: worker })).body.items;
  assert.equal(photos.length, 1, 'the photo went after the report, once');
  assert.equal(photos[0].content_type, 'image/png');
  const patrols = (await server.request('GET', '/api/v1/patrols', { cookie: worker })).body.items;
  assert.equal(patrols.length, 1);
  assert.ok(patrols[0].ended_at && Date.parse(patrols[0].ended_at) < back);
  const visits = (await server.request('GET', `/api/v1/visits?patrol_id=${patrols[0].id}`, { cookie: worker })).body.items;
  assert.deepEqual(visits.map((v) => v.kind), ['check_in']);
  await centre.page.screenshot({ path: join(outDir(), 'command-after-phone.png') });
  assert.deepEqual(phone.problems.filter((p) => !p.includes('401') && !p.includes('ERR_INTERNET_DISCONNECTED') && !p.includes('Failed to fetch')), []);
  await phone.context.close();
  await centre.context.close();
});

test('a report placed by a point picked on the map goes to the grid under that point', async () => {
  const admin = await server.login('admin', 'Gridgov@2026');
  const point = await pointInGrid(server, admin);
  const phone = await newPage(browser, { width: 390, height: 844 });
  await phone.context.grantPermissions(['geolocation'], { origin: server.base });
  await phone.context.setGeolocation({ longitude: point[0], latitude: point[1], accuracy: 30 });
  await logIn(phone.page, server.base, 'worker', 'Gridgov@2026');
  await phone.page.locator('[data-test="phone-tab-report"]').click();
  await phone.page.locator('[data-test="report-where"]').waitFor();
  await phone.page.locator('[data-test="report-pick"]').click();
  // the map opens at the phone's position with the pin there; a tap beside it moves the pin
  const map = phone.page.locator('[data-test="picker-map"] canvas');
  await map.waitFor();
  await phone.page.waitForFunction(() => window.__gridgovPickerMap?.loaded(), null, { timeout: 20000 });
  await phone.page.locator('[data-test="picker-point"]').waitFor();
  const box = await map.boundingBox();
  await map.click({ position: { x: box.width / 2 + 20, y: box.height / 2 - 15 } });
  await phone.page.waitForFunction(() => {
    const text = document.querySelector('[data-test="picker-point"]')?.textContent ?? '';
    return !text.includes('正在查找');
  }, null, { timeout: 10000 });
  const picked = (await phone.page.locator('[data-test="picker-point"]').innerText()).split('·');
  const [lon, lat] = picked[0].split(',').map(Number);
  assert.ok(lon > point[0] + 1e-6 && lat > point[1] + 1e-6, `the pin moved east and north: ${picked[0]}`);
  const grid = picked[1].trim();
  await phone.page.screenshot({ path: join(outDir(), 'phone-pick-on-map.png') });
  await phone.page.locator('[data-test="picker-use"]').click();
  await phone.page.locator('[data-test="report-where"]').getByText('地图选点').waitFor();
  await phone.page.locator('[data-test="report-category"]').click();
  await phone.page.locator('.el-select-dropdown__item:visible', { hasText: '暴露垃圾' }).first().click();
  await phone.page.locator('input[data-test="report-title"], [data-test="report-title"] input').first().fill('路边垃圾堆放（地图选点）');
  await phone.page.locator('[data-test="report-send"]').click();
  await phone.page.getByText('已上报').waitFor();

  const worker = await server.login('worker', 'Gridgov@2026');
  const [event] = (await server.request('GET', '/api/v1/events?limit=50', { cookie: worker })).body.items.filter((e) => e.title === '路边垃圾堆放（地图选点）');
  assert.ok(Math.abs(event.location[0] - lon) < 1e-5 && Math.abs(event.location[1] - lat) < 1e-5, `at the picked point: ${event.location}`);
  const node = (await server.request('GET', `/api/v1/grid/nodes/${event.node_id}`, { cookie: worker })).body;
  assert.equal(node.name, grid, 'the grid the picker named');
  assert.deepEqual(phone.problems.filter((p) => !p.includes('401')), []);
  await phone.context.close();
});
