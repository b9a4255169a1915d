// The grid map in Chromium on the demo city: the boundaries render as vector tiles, searching
// finds 禄口街道 and shows its path and 30 communities, the coverage check finds nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, newPage, logIn } from '../support/browser.mjs';
import { startServer, outDir } from '../support/harness.mjs';

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

test('the command map shows the demo city and drills down to Lukou street', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logIn(page, server.base, 'admin', 'Gridgov@2026');
  await page.locator('[data-test="welcome"]').waitFor();
  await page.locator('[data-test="nav-/map"]').click();
  await page.locator('[data-test="map-selected"]').getByText('南京市').waitFor();
  // the districts are drawn from the tiles
  await page.waitForFunction(() => {
    const m = window.__gridgovMap;
    return m && m.loaded() && m.queryRenderedFeatures({ layers: ['areas-fill'] }).length >= 5;
  }, null, { timeout: 30000 });
  const names = await page.evaluate(() => [...new Set(window.__gridgovMap.queryRenderedFeatures({ layers: ['areas-fill'] }).map((f) => f.properties.name))]);
  assert.ok(names.includes('江宁区'), names.join(','));
  await page.screenshot({ path: join(outDir(), 'map-city.png') });

  // search and drill down to the street
  await page.locator('input[data-test="map-search"], [data-test="map-search"] input').first().fill('禄口');
  await page.locator('.el-autocomplete-suggestion li').first().click();
  await page.locator('[data-test="map-selected"]').getByText('禄口街道').waitFor();
  const path = await page.locator('[data-test="map-path"]').innerText();
  assert.match(path, /南京市\s*›\s*江宁区\s*›\s*禄口街道/);
  assert.equal(await page.locator('[data-test="map-children"] li').count(), 30);
  await page.waitForFunction(() => {
    const m = window.__gridgovMap;
    return m && !m.isMoving() && m.loaded() && m.getZoom() > 10 &&
      m.queryRenderedFeatures({ layers: ['areas-fill'] }).some((f) => f.properties.level >= 4);
  }, null, { timeout: 30000 });
  await page.locator('[data-test="check-coverage"]').click();
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('[data-test="findings-count"]').count(), 0, 'no coverage findings in the demo city');
  await page.screenshot({ path: join(outDir(), 'map-street.png') });
  // colour the grids by households
  await page.locator('[data-test="color-by"]').getByText('户数').click();
  const paint = await page.evaluate(() => JSON.stringify(window.__gridgovMap.getPaintProperty('areas-fill', 'fill-color')));
  assert.match(paint, /households/);
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});

test('an admin edits a grid, sees its worker, and imports nodes after a dry run', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logIn(page, server.base, 'admin', 'Gridgov@2026');
  await page.locator('[data-test="welcome"]').waitFor();
  await page.goto(`${server.base}/map`);
  await page.locator('[data-test="map-selected"]').getByText('南京市').waitFor();
  await page.locator('input[data-test="map-search"], [data-test="map-search"] input').first().fill('320115005001001');
  await page.locator('.el-autocomplete-suggestion li').first().click();
  await page.locator('[data-test="map-selected"]').getByText('永兴社区第1网格').waitFor();
  // the demo's grid worker serves this grid
  await page.locator('[data-test="workers"]').getByText('刘洋').waitFor();
  // edit its households
  await page.locator('[data-test="edit-node"]').click();
  await page.locator('input[data-test="node-households"], [data-test="node-households"] input').first().fill('321');
  await page.locator('[data-test="save-node"]').click();
  await page.locator('.el-descriptions').getByText('321').waitFor();

  // import: a file with a problem is refused at the check, the fixed one goes in
  await page.locator('[data-test="nav-/grid-import"]').click();
  const square = (lon, lat, s) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + s, lat], [lon + s, lat + s], [lon, lat + s], [lon, lat]]] });
  const file = (kind) => JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { code: '320115005001900', name: '试点网格', kind }, geometry: square(118.85, 31.70, 0.001) }] });
  await page.locator('[data-test="import-file"]').setInputFiles({ name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(file('unknown')) });
  await page.locator('[data-test="import-check"]').click();
  await page.locator('[data-test="import-problems"]').getByText('features[0].properties.kind').waitFor();
  assert.ok(await page.locator('[data-test="import-commit"]').isDisabled());
  await page.locator('[data-test="import-file"]').setInputFiles({ name: 'good.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(file('comprehensive')) });
  await page.locator('[data-test="import-check"]').click();
  await page.locator('[data-test="import-report"]').getByText(/1 个节点，0 个问题/).waitFor();
  await page.locator('[data-test="import-commit"]').click();
  await page.getByText('已导入 1 个节点').waitFor();
  await page.screenshot({ path: join(outDir(), 'grid-import.png'), animations: 'disabled' });
  const check = await page.evaluate(async () => (await (await fetch('/api/v1/grid/nodes?q=320115005001900')).json()).items.length);
  assert.equal(check, 1);
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});

test('an admin renumbers a grid from the map after checking it, and its history shows the change', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1400, height: 900 });
  await logIn(page, server.base, 'admin', 'Gridgov@2026');
  await page.locator('[data-test="welcome"]').waitFor();
  await page.goto(`${server.base}/map`);
  await page.locator('[data-test="map-selected"]').getByText('南京市').waitFor();
  await page.locator('input[data-test="map-search"], [data-test="map-search"] input').first().fill('320115005001002');
  await page.locator('.el-autocomplete-suggestion li').first().click();
  await page.locator('[data-test="map-selected"]').getByText('永兴社区第2网格').waitFor();
  await page.locator('[data-test="lineage"]').getByText('自设立以来未调整').waitFor();
  await page.locator('[data-test="renumber"]').click();
  await page.locator('input[data-test="new-code"], [data-test="new-code"] input').first().fill('320115005001950');
  await page.locator('input[data-test="reason"], [data-test="reason"] input').first().fill('统一编号');
  assert.ok(await page.locator('[data-test="restructure-commit"]').isDisabled(), 'confirm waits for the check');
  await page.locator('[data-test="restructure-check"]').click();
  await page.locator('[data-test="restructure-outcome"]').getByText('320115005001950').waitFor();
  await page.screenshot({ path: join(outDir(), 'grid-renumber.png'), animations: 'disabled' });
  await page.locator('[data-test="restructure-commit"]').click();
  await page.locator('.el-descriptions').getByText('320115005001950').waitFor();
  await page.locator('[data-test="lineage"]').getByText('由 320115005001002 重新编号而来（统一编号）').waitFor();
  const old = await page.evaluate(async () => (await (await fetch('/api/v1/grid/nodes?q=320115005001002')).json()).items.length);
  assert.equal(old, 0, 'the old code is no longer current');
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});
