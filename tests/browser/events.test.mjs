// One event through the closed loop in Chromium, across four roles on the demo city: the grid
// worker reports it from the events page, the street's centre accepts and dispatches it, the
// street's 城管中队 signs and handles it, the centre verifies, closes and records the rating.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, newPage, logIn } from '../support/browser.mjs';
import { startServer, outDir, pointInGrid } from '../support/harness.mjs';
import { png } from '../support/images.mjs';

let server;
let browser;
let url;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(login, fn) {
  const { context, page, problems } = await newPage(browser, { width: 1300, height: 860 });
  await logIn(page, server.base, login, 'Gridgov@2026');
  await page.locator('[data-test="welcome"]').waitFor();
  await fn(page);
  assert.deepEqual(problems.filter((p) => !p.includes('401')), [], login);
  await context.close();
}

const status = (page, text) => page.locator('[data-test="event-status"]').getByText(text).waitFor();

test('a worker reports, the centre dispatches, the department handles, the centre closes', async () => {
  const point = await pointInGrid(server, await server.login('admin', 'Gridgov@2026'));
  await as('worker', async (page) => {
    await page.locator('[data-test="nav-/events"]').click();
    await page.locator('[data-test="report-event"]').click();
    await page.locator('input[data-test="report-title"], [data-test="report-title"] input').first().fill('永兴路口垃圾暴露');
    await page.locator('textarea[data-test="report-description"], [data-test="report-description"] textarea').first().fill('垃圾桶满溢，垃圾散落在人行道上');
    await page.locator('[data-test="report-category"] input').first().fill('暴露垃圾');
    await page.locator('.el-cascader__suggestion-item').first().click();
    await page.locator('input[data-test="report-lon"], [data-test="report-lon"] input').first().fill(point[0].toFixed(6));
    await page.locator('input[data-test="report-lat"], [data-test="report-lat"] input').first().fill(point[1].toFixed(6));
    await page.locator('[data-test="report-submit"]').click();
    await status(page, '待受理');
    url = page.url();
    assert.match(url, /\/events\/\d+$/);
    await page.screenshot({ path: join(outDir(), 'event-reported.png'), animations: 'disabled' });
  });
  await as('center', async (page) => {
    await page.goto(url);
    await page.locator('[data-test="event-category"]').getByText('暴露垃圾').waitFor();
    await page.locator('[data-test="step-accept"]').click();
    await status(page, '已受理');
    await page.locator('[data-test="dispatch-due"]').waitFor();
    await page.locator('[data-test="dispatch-departments"]').getByText('禄口街道城管中队').waitFor();
    await page.locator('[data-test="step-dispatch"]').click();
    await status(page, '已派遣');
    await page.locator('[data-test="assignments"]').getByText('禄口街道城管中队').waitFor();
    // the map of the place, drawn (WebGL) with the grid tiles loaded
    await page.locator('[data-test="event-map"] canvas').waitFor();
    await page.screenshot({ path: join(outDir(), 'event-dispatched.png'), animations: 'disabled' });
  });
  await as('dept', async (page) => {
    // the bell tells of the new task; its notification opens the event
    await page.locator('[data-test="notifications"] sup').filter({ hasText: '1' }).waitFor();
    await page.locator('[data-test="notifications"] button').click();
    await page.locator('[data-test="notification-list"]').getByText('永兴路口垃圾暴露').click();
    await page.locator('[data-test="step-sign"]').click();
    await status(page, '处置中');
    await page.locator('textarea[data-test="step-note"], [data-test="step-note"] textarea').first().fill('已清运，路面已冲洗');
    // a photo of the result, shown to the reporter
    await page.locator('[data-test="attachments"]').getByText('群众可见').click();
    await page.locator('[data-test="attachment-input"]').setInputFiles({ name: '处置后.png', mimeType: 'image/png', buffer: png(120, 90, 4) });
    await page.locator('[data-test="attachment-photo"] img').waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test="attachment-photo"] img')].every((img) => img.complete && img.naturalWidth === 120));
    await page.locator('[data-test="timeline"]').getByText('处置后.png').waitFor();
    await page.locator('[data-test="step-handle"]').click();
    await status(page, '已处置');
  });
  await as('center', async (page) => {
    await page.goto(url);
    await page.locator('[data-test="step-verify-pass"]').click();
    await status(page, '已结案');
    await page.locator('[data-test="evaluate-rating"]').getByText('满意', { exact: true }).click();
    await page.locator('[data-test="step-evaluate"]').click();
    await status(page, '已评价');
    await page.locator('[data-test="timeline"] .el-timeline-item').nth(7).waitFor();
    assert.equal(await page.locator('[data-test="timeline"] .el-timeline-item').count(), 8);  // seven steps and the attached photo
    await page.locator('[data-test="timeline"]').getByText('已清运，路面已冲洗').waitFor();
    await page.screenshot({ path: join(outDir(), 'event-closed.png'), animations: 'disabled' });
  });
});

test('a resident reports without an account, gets a code and a QR code, and follows the case', async () => {
  const { context, page, problems } = await newPage(browser, { width: 420, height: 860 });
  await page.goto(`${server.base}/login`);
  await page.locator('[data-test="public-report-link"]').click();
  await page.locator('input[data-test="public-title"], [data-test="public-title"] input').first().fill('井盖缺失');
  await page.locator('textarea[data-test="public-description"], [data-test="public-description"] textarea').first().fill('禄口中心小学门口井盖缺失，很危险');
  await page.locator('[data-test="public-submit"]').click();
  const code = (await page.locator('[data-test="public-code"]').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{10}$/);
  await page.locator('[data-test="attachment-input"]').setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: png(64, 64, 8) });
  await page.locator('[data-test="attachment-photo"] img').waitFor();
  await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
  await page.screenshot({ path: join(outDir(), 'public-report.png'), animations: 'disabled' });
  await page.getByText('查看办理进度').click();
  await page.locator('[data-test="tracked"]').getByText('待受理').first().waitFor();
  await page.locator('[data-test="tracked"] [data-test="attachment-photo"] img').waitFor();
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);  // the login page asks who is signed in
  await context.close();
});
