// The registry in Chromium: a grid worker adds a person in their grid and finds them, the number
// masked; the street's centre opens the record and sees the full number only after giving a reason.
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

test('a worker adds a person; the centre reveals the number with a reason', async () => {
  const worker = await newPage(browser);
  await logIn(worker.page, server.base, 'worker', 'Gridgov@2026');
  await worker.page.locator('[data-test="nav-/registry"]').click();
  await worker.page.locator('[data-test="registry-add"]').click();
  await worker.page.locator('input[data-test="person-name"], [data-test="person-name"] input').first().fill('张建国');
  await worker.page.locator('input[data-test="person-id"], [data-test="person-id"] input').first().fill('320115199003071230');
  await worker.page.locator('[data-test="person-save"]').click();
  await worker.page.locator('[data-test="registry-table"]').getByText('3201**********1230').waitFor();
  assert.ok(!(await worker.page.content()).includes('320115199003071230'), 'masked for the worker');
  await worker.page.screenshot({ path: join(outDir(), 'registry.png'), animations: 'disabled' });
  await worker.context.close();

  const centre = await newPage(browser);
  await logIn(centre.page, server.base, 'center', 'Gridgov@2026');
  await centre.page.locator('[data-test="nav-/registry"]').click();
  await centre.page.locator('input[data-test="registry-id"], [data-test="registry-id"] input').first().fill('320115199003071230');
  await centre.page.locator('[data-test="registry-find"]').click();
  await centre.page.locator('[data-test="registry-table"]').getByText('张建国').click();
  await centre.page.locator('[data-test="person-id-number"]').getByText('3201**********1230').waitFor();
  await centre.page.locator('[data-test="person-reveal"]').click();
  await centre.page.locator('.el-message-box input').fill('入户走访核实身份');
  await centre.page.locator('.el-message-box .el-button--primary').click();
  await centre.page.locator('[data-test="person-id-number"]').getByText('320115199003071230').waitFor();
  await centre.page.locator('[data-test="person-verify"]').click();
  await centre.page.locator('[data-test="person-state"]').getByText('已核实').waitFor();
  assert.deepEqual(centre.problems.filter((p) => !p.includes('401')), []);
  await centre.context.close();
});
