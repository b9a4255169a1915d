// The web app in Debian's Chromium (headless, driven by playwright-core): log in, see the shell
// with the navigation of the role, switch language, log out; screenshots go to the test output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, newPage as openPage, logIn as logInAs } from '../support/browser.mjs';
import { startServer, outDir, PASSWORD } from '../support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ users: [{ login: 'worker', role: 'grid_worker', name: '刘洋' }] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const newPage = (viewport) => openPage(browser, viewport);
const logIn = (page, login, password = PASSWORD) => logInAs(page, server.base, login, password);

test('an admin logs in, sees the admin navigation, and logs out', async () => {
  const { context, page, problems } = await newPage();
  await logIn(page, 'admin');
  await page.locator('[data-test="welcome"]').waitFor();
  assert.match(await page.locator('[data-test="welcome"]').innerText(), /欢迎，管理员/);
  const nav = await page.locator('[data-test="nav"]').innerText();
  for (const item of ['工作台', '用户管理', '审计日志', '接口密钥', '我的账户']) assert.ok(nav.includes(item), item);
  await page.locator('[data-test="nav-/users"]').click();
  await page.locator('[data-test="users-table"]').getByText('worker').waitFor();
  await page.screenshot({ path: join(outDir(), 'users.png'), animations: 'disabled' });
  await page.locator('[data-test="nav-/"]').click();
  await page.locator('[data-test="welcome"]').waitFor();
  await page.screenshot({ path: join(outDir(), 'home.png'), animations: 'disabled' });

  await page.locator('[data-test="current-user"]').click();
  await page.locator('[data-test="logout"]').click();
  await page.waitForURL(/\/login/);
  // the session is over on the server too
  const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).status);
  assert.equal(me, 401);
  await page.goto(`${server.base}/users`);
  await page.waitForURL(/\/login\?next=/);
  assert.deepEqual(problems.filter((p) => !p.includes('401')), []);
  await context.close();
});

test('a grid worker sees only what the role allows, and on a phone starts on 网格通', async () => {
  const { context, page } = await newPage({ width: 390, height: 844 });
  await logIn(page, 'worker');
  await page.locator('[data-test="phone"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/phone');
  await page.screenshot({ path: join(outDir(), 'worker-phone.png'), animations: 'disabled' });
  await page.goto(`${server.base}/audit`);
  await page.locator('[data-test="phone"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/phone', 'no admin pages: back to the phone');
  // on a desktop, the workbench, without the admin pages
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.base}/`);
  await page.locator('[data-test="welcome"]').waitFor();
  const nav = await page.locator('[data-test="nav"]').innerHTML();
  assert.ok(!nav.includes('/users') && !nav.includes('/audit'), 'no admin pages for a grid worker');
  assert.ok(nav.includes('/phone'), '网格通 in the navigation');
  await context.close();
});

test('a wrong password shows the error in Chinese, and the English switch works', async () => {
  const { context, page } = await newPage();
  await logIn(page, 'admin', 'Wrong#2026');
  const error = page.locator('[data-test="login-error"]');
  await error.waitFor();
  assert.match(await error.innerText(), /账号或密码错误/);
  await page.screenshot({ path: join(outDir(), 'login.png'), animations: 'disabled' });
  await page.locator('[data-test="lang-switch"]').click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  await context.close();
});
