// The command centre in Chromium on the Nanjing-scale demo city (12,600 grids) with a year of
// events: it opens on the city, its figures match the API, clicking the ranking drills from the
// city down to a grid with every panel following, the search box goes straight to a district
// (its base data as the registry counts it), and a report made elsewhere reaches the open screen
// within seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, newPage, logIn } from '../support/browser.mjs';
import { startServer, outDir, pointInGrid } from '../support/harness.mjs';

let server;
let browser;
before(async () => {
  // the Nanjing-scale tree (12,600 grids) with a year of events
  server = await startServer({ demo: true, demoArgs: ['--scale', 'city', '--events', '20000', '--people', '6000'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const kpi = async (page, name) => Number((await page.locator(`[data-test="kpi-${name}"] b`).innerText()).trim());

test('the command centre drills from the city to a grid and its figures match the API', async (t) => {
  const { context, page, problems } = await newPage(browser, { width: 1600, height: 900 });
  const started = Date.now();
  await logIn(page, server.base, 'admin', 'Gridgov@2026');
  await page.locator('[data-test="nav-/command"]').click();
  await page.locator('[data-test="command-path"]').getByText('南京市').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-test="kpi-open"] b')?.textContent?.trim() !== '0', null, { timeout: 60000 });
  const firstView = Date.now() - started;
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const get = async (path) => (await server.request('GET', path, { headers: { cookie } })).body;
  await page.locator('[data-test="period"]').getByText('本年').click();
  for (const level of ['江宁区', '禄口街道', null, null]) {
    // the figures shown are the API's for the node on the path
    const path = await page.locator('[data-test="command-path"]').innerText();
    const node = (await get('/api/v1/grid/nodes?q=' + encodeURIComponent(path.split('›').at(-1).trim()) + '&limit=1')).items[0];
    const year = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4);
    const api = await get(`/api/v1/figures?node_id=${node.id}&since=${year}-01-01`);
    await page.waitForFunction((n) => document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() === String(n), api.total.intake, { timeout: 10000 })
      .catch(async (e) => { throw new Error(`${node.name} (${node.id}): the API says ${api.total.intake}, the page ${await kpi(page, 'intake')}; ${e.message}`); });
    const status = await get(`/api/v1/figures/status?node_id=${node.id}`);
    const open = status.rows.filter((r) => ['reported', 'accepted', 'dispatched', 'in_progress', 'handled'].includes(r[1])).reduce((n, r) => n + r[3], 0);
    assert.equal(await kpi(page, 'open'), open, `open now at ${node.name}`);
    // one level down by the ranking: the named child, else the best
    const before = await page.locator('[data-test="command-path"]').textContent();
    const rows = page.locator('[data-test="ranking-table"] .el-table__row');
    await rows.first().waitFor();
    if (level) await rows.filter({ hasText: level }).first().click();
    else await rows.first().click();
    await page.waitForFunction((prev) => document.querySelector('[data-test="command-path"]')?.textContent !== prev, before, { timeout: 10000 });
  }
  const path = await page.locator('[data-test="command-path"]').innerText();
  assert.equal(path.split('›').length, 5, path);  // 南京市 › 江宁区 › 禄口街道 › a community › a grid
  assert.match(path, /网格/);
  await page.locator('[data-test="command-path"]').getByText('禄口街道').click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test="command-path"] .el-breadcrumb__inner')].at(-1)?.textContent?.trim() === '禄口街道', null, { timeout: 10000 });
  // the street's communities drawn, coloured by what is open in each
  await page.waitForFunction(() => {
    const m = window.__gridgovCommandMap;
    return m && m.queryRenderedFeatures({ layers: ['children-fill'] }).some((f) => f.state?.value > 0);
  }, null, { timeout: 120000 });
  await page.screenshot({ path: join(outDir(), 'command-centre.png') });
  // straight to a district by the search box, and the panels follow
  await page.locator('input[data-test="command-search"], [data-test="command-search"] input').first().fill('秦淮区');
  await page.locator('.el-autocomplete-suggestion li', { hasText: '秦淮区' }).first().click();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-test="command-path"] .el-breadcrumb__inner')].map((e) => e.textContent.trim()).join('›') === '南京市›秦淮区', null, { timeout: 10000 });
  const qinhuai = (await get('/api/v1/grid/nodes?q=' + encodeURIComponent('秦淮区') + '&limit=1')).items[0];
  const year = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4);
  const figures = await get(`/api/v1/figures?node_id=${qinhuai.id}&since=${year}-01-01`);
  await page.waitForFunction((n) => document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() === String(n), figures.total.intake, { timeout: 10000 });
  // and its base data, as the registry counts it
  const registry = await get(`/api/v1/registry/figures?node_id=${qinhuai.id}`);
  assert.ok(registry.people > 0, 'people live in 秦淮区');
  await page.waitForFunction((n) => document.querySelector('[data-test="base-people"]')?.textContent?.replace(/,/g, '') === String(n), registry.people, { timeout: 10000 });
  assert.equal(Number((await page.locator('[data-test="base-households"]').innerText()).replace(/,/g, '')), registry.households);
  t.diagnostic(`first view of the city (debug build, from the login form): ${firstView} ms`);
  assert.ok(firstView < 20000, `first view after ${firstView} ms`);
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});

test('a report reaches the open command centre within seconds, and the big screen shows the same', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1600, height: 900 });
  await logIn(page, server.base, 'center', 'Gridgov@2026');
  await page.locator('[data-test="nav-/command"]').click();
  await page.locator('[data-test="command-path"]').getByText('禄口街道').waitFor();
  await page.waitForFunction(() => /\d/.test(document.querySelector('[data-test="kpi-intake"] b')?.textContent ?? ''), null, { timeout: 30000 });
  await new Promise((r) => setTimeout(r, 1500));  // the stream's first summary
  const before = await kpi(page, 'intake');
  const worker = await server.login('worker', 'Gridgov@2026');
  const point = await pointInGrid(server, worker);
  const started = Date.now();
  const made = await server.request('POST', '/api/v1/events', { cookie: worker, body: { channel: 'grid_worker', title: '消防通道堵塞', description: '杂物堆放堵塞消防通道', category_code: 'CG0101', lon: point[0], lat: point[1] } });
  assert.equal(made.status, 201, made.text);
  await page.waitForFunction((n) => document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() === String(n), before + 1, { timeout: 10000 });
  const took = Date.now() - started;
  assert.ok(took < 5000, `on the screen after ${took} ms`);

  // a spot on the map: the grid there, its workers, its neighbours, the nearest workers
  await page.waitForFunction(() => window.__gridgovCommandMap?.queryRenderedFeatures({ layers: ['children-fill'] }).length > 0, null, { timeout: 30000 });
  await page.waitForFunction(() => !window.__gridgovCommandMap.isMoving(), null, { timeout: 10000 });
  const box = await page.locator('[data-test="command-map"]').boundingBox();
  const at = await page.evaluate(([lon, lat]) => window.__gridgovCommandMap.project([lon, lat]), point);
  await page.mouse.click(box.x + at.x, box.y + at.y, { button: 'right' });
  await page.locator('[data-test="spot-panel"]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-test="spot-grid"]')?.textContent?.trim() !== '…', null, { timeout: 10000 });
  assert.match(await page.locator('[data-test="spot-grid"]').innerText(), /网格/, 'the grid holding the spot');

  await page.goto(`${server.base}/screen`);
  await page.locator('.command.screen [data-test="kpi-intake"]').waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-test="kpi-intake"] b')?.textContent?.trim() === String(n), before + 1, { timeout: 10000 });
  await page.waitForFunction(() => window.__gridgovCommandMap?.queryRenderedFeatures({ layers: ['children-fill'] }).length > 0, null, { timeout: 30000 });
  await page.screenshot({ path: join(outDir(), 'command-big-screen.png') });
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});
