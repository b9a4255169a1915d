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
  await worker.page.locator('[data-test="registry-table"]').getByText('3****************0').waitFor();
  assert.ok(!(await worker.page.content()).includes('320115199003071230'), 'masked for the worker');
  await worker.page.screenshot({ path: join(outDir(), 'registry.png'), animations: 'disabled' });
  await worker.context.close();

  const centre = await newPage(browser);
  await logIn(centre.page, server.base, 'center', 'Gridgov@2026');
  await centre.page.locator('[data-test="nav-/registry"]').click();
  await centre.page.locator('input[data-test="registry-id"], [data-test="registry-id"] input').first().fill('320115199003071230');
  await centre.page.locator('[data-test="registry-find"]').click();
  await centre.page.locator('[data-test="registry-table"]').getByText('张建国').click();
  await centre.page.locator('[data-test="person-id-number"]').getByText('3****************0').waitFor();
  await centre.page.locator('[data-test="person-reveal"]').click();
  await centre.page.locator('.el-message-box input').fill('入户走访核实身份');
  await centre.page.locator('.el-message-box .el-button--primary').click();
  await centre.page.locator('[data-test="person-id-number"]').getByText('320115199003071230').waitFor();
  await centre.page.locator('[data-test="person-verify"]').click();
  await centre.page.locator('[data-test="person-state"]').getByText('已核实').waitFor();
  assert.deepEqual(centre.problems.filter((p) => !p.includes('401')), []);
  await centre.context.close();
});

test('a worker registers a key place and records a hazard; a department file is mapped and imported through the wizard; the figures count them', async () => {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const worker = await newPage(browser);
  await logIn(worker.page, server.base, 'worker', 'Gridgov@2026');
  await worker.page.locator('[data-test="nav-/registry"]').click();
  await worker.page.getByRole('tab', { name: '重点场所' }).click();
  await worker.page.locator('[data-test="place-add"]').click();
  await worker.page.locator('input[data-test="place-name"], [data-test="place-name"] input').first().fill('禄口加油站');
  await worker.page.locator('[data-test="place-save"]').click();
  await worker.page.locator('[data-test="places-table"]').getByText('禄口加油站').click();
  await worker.page.locator('[data-test="place-view"]').waitFor();
  await worker.page.locator('[data-test="inspection-hazard_found"]').click();
  await worker.page.locator('[data-test="inspection-hazard"]').click();
  await worker.page.locator('.el-select-dropdown__item', { hasText: '火灾隐患' }).click();
  await worker.page.locator('[data-test="inspection-save"]').click();
  await worker.page.locator('[data-test="inspections"]').getByText('发现隐患').waitFor();
  await worker.page.screenshot({ path: join(outDir(), 'registry-place.png'), animations: 'disabled' });
  await worker.context.close();

  const head = await newPage(browser);
  await logIn(head.page, server.base, 'gridhead', 'Gridgov@2026');
  await head.page.locator('[data-test="nav-/registry"]').click();
  await head.page.getByRole('tab', { name: '批量导入' }).click();
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-import-'));
  const file = join(dir, '人口.csv');
  writeFileSync(file, '\ufeff户主姓名,证件号,户口性质,所在网格\r\n冯晓梅,320115198502030244,户籍,320115005001001\r\n');
  await head.page.locator('[data-test="import-file"]').setInputFiles(file);
  await head.page.locator('[data-test="import-check"]').click();
  await head.page.locator('[data-test="import-summary"]').getByText('1 处问题').waitFor();
  for (const [header, field] of [['户主姓名', '姓名'], ['证件号', '证件号码'], ['户口性质', '户籍类型'], ['所在网格', '网格编码']]) {
    await head.page.locator(`[data-test="map-${header}"]`).click();
    await head.page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${field}$`) }).click();
    await head.page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' }); // the list has closed
  }
  await head.page.locator('[data-test="import-check"]').click();
  await head.page.locator('[data-test="import-summary"]').getByText('0 处问题').waitFor();
  await head.page.screenshot({ path: join(outDir(), 'registry-import.png'), animations: 'disabled' });
  await head.page.locator('[data-test="import-go"]').click();
  await head.page.getByText('已导入 1 人').waitFor();
  await head.page.getByRole('tab', { name: '统计' }).click();
  await head.page.locator('[data-test="registry-figures"]').waitFor();
  const figures = await (await fetch(`${server.base}/api/v1/registry/figures`, { headers: { cookie: await head.page.context().cookies().then((c) => c.map((x) => `${x.name}=${x.value}`).join('; ')) } })).json();
  await head.page.locator('[data-test="figure-people"]').getByText(String(figures.people)).waitFor();
  assert.ok(figures.people >= 2 && figures.inspections_due >= 0);
  assert.deepEqual(head.problems.filter((p) => !p.includes('401')), []);
  await head.context.close();
});

test('a room\'s page leads to the people, household, organisation and place at it, and back', async () => {
  const admin = await server.login('center', 'Gridgov@2026');
  const grid = (await server.request('GET', '/api/v1/grid/nodes?q=320115005001001', { cookie: admin })).body.items[0];
  const post = async (path, body) => {
    const res = await server.request('POST', path, { cookie: admin, body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const road = await post('/api/v1/addresses', { level: 'road', name: '飞天大道' });
  const house = await post('/api/v1/addresses', { parent_id: road.id, level: 'house', name: '9号', node_id: grid.id });
  const room = await post('/api/v1/addresses', { parent_id: house.id, level: 'room', name: '101室', room_use: 'rented' });
  const org = await post('/api/v1/organisations', { kind: 'individual_business', name: '飞天小吃店', address_id: room.id, node_id: grid.id });
  await post('/api/v1/places', { kind: '01', name: '飞天小吃店后厨', risk_level: 'medium', organisation_id: org.id, address_id: room.id, node_id: grid.id });
  await post('/api/v1/people', { name: '欧阳飞天', household_type: 'floating', node_id: grid.id });

  const worker = await newPage(browser);
  await logIn(worker.page, server.base, 'worker', 'Gridgov@2026');
  await worker.page.locator('[data-test="nav-/registry"]').click();
  await worker.page.getByRole('tab', { name: '标准地址' }).click();
  await worker.page.locator('input[data-test="address-q"], [data-test="address-q"] input').first().fill('飞天大道9号');
  await worker.page.locator('[data-test="address-find"]').click();
  await worker.page.locator('[data-test="addresses-table"]').getByText('飞天大道9号101室').click();
  await worker.page.locator('[data-test="address-view"]').waitFor();
  await worker.page.locator('[data-test="room-use"]').getByText('出租').waitFor();
  // a tenant moves in, chosen by name
  await worker.page.locator('[data-test="person-picker"] input').first().fill('欧阳');
  await worker.page.locator('.el-select-dropdown__item:visible', { hasText: '欧阳飞天' }).click();
  await worker.page.locator('[data-test="move-in"]').click();
  await worker.page.locator('[data-test="room-residents"]').getByText('欧阳飞天').waitFor();
  await worker.page.screenshot({ path: join(outDir(), 'registry-room.png'), animations: 'disabled' });
  // the organisation at the room, its place, and back to the room from the place
  await worker.page.locator('[data-test="address-links"]').getByText('飞天小吃店', { exact: true }).click();
  await worker.page.locator('[data-test="org-view"]').waitFor();
  await worker.page.locator('[data-test="org-places"]').getByText('飞天小吃店后厨').click();
  await worker.page.locator('[data-test="place-view"]').getByRole('link', { name: '飞天小吃店', exact: true }).waitFor();
  await worker.page.locator('[data-test="place-view"]').getByRole('link', { name: '飞天大道9号101室' }).click();
  await worker.page.locator('[data-test="address-view"]').waitFor();
  // the tenant's household, headed by them
  await worker.page.locator('[data-test="nav-/registry"]').click();
  await worker.page.getByRole('tab', { name: '户' , exact: true }).click();
  await worker.page.locator('[data-test="household-add"]').click();
  await worker.page.locator('input[data-test="household-new-number"], [data-test="household-new-number"] input').first().fill('320115005100901');
  await worker.page.locator('.el-dialog [data-test="person-picker"] input').first().fill('欧阳');
  await worker.page.locator('.el-select-dropdown__item:visible', { hasText: '欧阳飞天' }).click();
  await worker.page.locator('[data-test="household-save"]').click();
  await worker.page.locator('[data-test="household-view"]').waitFor();
  await worker.page.locator('[data-test="household-members"]').getByText('户主', { exact: true }).waitFor();
  await worker.page.locator('[data-test="household-members"]').getByText('欧阳飞天').click();
  await worker.page.locator('[data-test="person-household"]').getByText('320115005100901').waitFor();
  const homes = worker.page.getByRole('link', { name: '飞天大道9号101室' });
  await homes.waitFor();
  assert.deepEqual(worker.problems.filter((p) => !p.includes('401')), []);
  await worker.context.close();
});
