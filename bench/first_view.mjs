// The command centre's first view: Chromium (software WebGL, as in the browser tests) logs in as
// the city's administrator, then opens /command and waits for the city's figures and its map;
// prints the milliseconds from the navigation to both drawn: best, median and worst of RUNS (9).
// Usage: node bench/first_view.mjs http://127.0.0.1:PORT [RUNS]
import { launch, newPage, logIn } from '../tests/support/browser.mjs';

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 9);
const browser = await launch();
const { page } = await newPage(browser, { width: 1600, height: 900 });
await logIn(page, base, 'admin', 'Gridgov@2026');
await page.locator('[data-test="welcome"]').waitFor({ timeout: 60000 });
const times = [];
for (let i = 0; i < runs; ++i) {
  const started = Date.now();
  await page.goto(`${base}/command`);
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-test="kpi-open"] b')?.textContent?.trim() ?? '')
    && document.querySelector('[data-test="kpi-open"] b').textContent.trim() !== '0', null, { timeout: 60000 });
  await page.waitForFunction(() => window.__gridgovCommandMap?.queryRenderedFeatures({ layers: ['children-fill'] }).length > 0, null, { timeout: 60000 });
  times.push(Date.now() - started);
}
const inOrder = times.join(', ');
times.sort((a, b) => a - b);
console.log(`  first view of the command centre (city): best ${times[0]} ms, median ${times[Math.floor(runs / 2)]} ms, worst ${times[runs - 1]} ms (in order: ${inOrder})`);
await browser.close();
