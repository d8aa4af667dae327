// Open an HTML file in headless Chromium (playwright-core) and report what a reader would meet:
// console errors and warnings, uncaught page errors, every request other than the file itself, and
// what rendered (SVG charts with drawn shapes, tables with rows); optionally a screenshot.
//
//   node chromium_check.mjs REPORT.html [SCREENSHOT.png]
//
// Environment: SSOT_E2E_CACHE (the folder holding node_modules/playwright-core, default
// ~/.cache/ssot-lsp-e2e), SSOT_E2E_CHROMIUM (default /usr/bin/chromium). Prints one JSON object.
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, screenshot] = process.argv.slice(2);
const cache = process.env.SSOT_E2E_CACHE || path.join(os.homedir(), '.cache', 'ssot-lsp-e2e');
const require = createRequire(path.join(cache, 'package.json'));
const { chromium } = require('playwright-core');

const browser = await chromium.launch({
  executablePath: process.env.SSOT_E2E_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
         '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
const result = { console: [], pageErrors: [], requests: [], charts: [], tables: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  const url = pathToFileURL(path.resolve(report)).href;
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') result.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => result.pageErrors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== url) result.requests.push(r.url()); });
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  result.charts = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => ({
    label: s.getAttribute('aria-label'),
    shapes: s.querySelectorAll('polygon, rect:not(.hover), polyline').length,
    width: Math.round(s.getBoundingClientRect().width),
  })));
  result.tables = await page.$$eval('table', (ts) => ts.map((t) => t.querySelectorAll('tbody tr').length));
  result.title = await page.title();
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
