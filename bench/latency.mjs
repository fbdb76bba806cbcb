// Latency of the review screen on a large collection, as a person sees it:
//   - launch to first card: the desktop app started with `--review` until
//     the first due card is painted (its own clock from process start), and
//     in Chromium from navigation to `notedeck serve` until the same;
//   - answer to next card: from the key press (the event's timeStamp) to the
//     first animation frame with the next card in the DOM.
// The UI records both in `window.__notedeckPerf` (ui/src/lib/perf.ts).
//
// Usage (through `make bench-ui`, which builds release binaries and
// provides Xvfb):
//   node bench/latency.mjs [--db COLLECTION] [--launches 5] [--answers 40]
// Without --db it builds a ~100,000-card collection with notedeck-bench.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from '../ui/node_modules/playwright-core/index.mjs';
import { freePortPair, startDriver, webdriver } from '../tests/desktop/tauri-driver.mjs';

const repo = resolve(import.meta.dirname, '..');
const release = join(repo, 'target/release');
const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const launches = Number(flag('--launches', '5'));
const answers = Number(flag('--answers', '40'));
const skipDesktop = argv.includes('--no-desktop');
const skipBrowser = argv.includes('--no-browser');
const verbose = argv.includes('--verbose');
const work = mkdtempSync(join(tmpdir(), 'notedeck-latency-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let db = flag('--db', null);
if (db) {
  // A copy: the benchmark answers cards, and the given collection stays as it was.
  const copy = join(work, 'collection.sqlite3');
  copyFileSync(db, copy);
  db = copy;
} else {
  console.log('building a ~100,000-card collection with notedeck-bench…');
  execFileSync(join(release, 'notedeck-bench'), ['--notes', '8100', '--sections', '10', '--reviews', '300000', '--answers', '1', '--dir', work], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  db = join(work, 'collection.sqlite3');
}
const cards = JSON.parse(execFileSync(join(release, 'notedeck'), ['--db', db, 'decks', '--json'], { maxBuffer: 1 << 28 }).toString())
  .reduce((sum, deck) => sum + deck.total, 0);
console.log(`collection: ${db} (${cards} cards)`);

const quantile = (values, q) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))];
};
const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '–');

async function waitFor(what, check, timeoutMs = 30000) {
  const start = Date.now();
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Reviews `answers` cards with the keyboard; returns the answer-to-next-card times. */
async function answerCards(readPerf, press) {
  for (let i = 0; i < answers; i++) {
    const before = (await readPerf()).nextCardMs.length;
    await press(' ');
    await sleep(30);
    await press('3');
    await waitFor('the next card', async () => (await readPerf()).nextCardMs.length > before, 10000);
    await sleep(30);
  }
  return (await readPerf()).nextCardMs;
}

async function desktop() {
  const port = freePortPair(15000);
  const driver = startDriver(port, { NOTEDECK_DB: db }, ['ignore', 'ignore', 'inherit']);
  const wd = webdriver(port);
  const launch = [];
  const page = [];
  const next = [];
  try {
    await waitFor('tauri-driver', async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok);
    for (let run = 0; run < launches; run++) {
      const session = (await wd('POST', '/session', {
        capabilities: { alwaysMatch: { 'tauri:options': { application: join(release, 'notedeck-desktop'), args: ['--review'] } } },
      })).sessionId;
      const readPerf = async () => (await wd('POST', `/session/${session}/execute/sync`, { script: 'return window.__notedeckPerf ?? null', args: [] })) ?? { nextCardMs: [] };
      const perf = await waitFor('the first card', async () => {
        const p = await readPerf();
        return p && p.launchMs !== null && p.launchMs !== undefined ? p : null;
      });
      launch.push(perf.launchMs);
      page.push(perf.firstCardMs);
      if (run === 0 && answers > 0) {
        const press = (key) => wd('POST', `/session/${session}/actions`, {
          actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }],
        });
        next.push(...(await answerCards(readPerf, press)));
      }
      await wd('DELETE', `/session/${session}`);
      await sleep(300);
    }
  } finally {
    driver.kill();
  }
  return { launch, page, next };
}

async function browser() {
  const server = spawn(join(release, 'notedeck'), ['--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolveUrl, reject) => {
    createInterface({ input: server.stdout }).on('line', (line) => {
      const found = line.match(/http:\/\/\S+/);
      if (found) resolveUrl(found[0]);
    });
    server.on('exit', () => reject(new Error('notedeck serve stopped')));
  });
  const browserApp = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const launch = [];
  const next = [];
  const browse = [];
  // Open the printed URL once (the token becomes a cookie), then time
  // plain navigations to the review screen, as a returning user makes them.
  const printed = new URL(url);
  const context = await browserApp.newContext();
  await context.request.get(printed.href, { maxRedirects: 0 });
  try {
    for (let run = 0; run < launches; run++) {
      const page = await context.newPage();
      await page.goto(`${printed.origin}/#/review`);
      const readPerf = () => page.evaluate(() => window.__notedeckPerf ?? { nextCardMs: [] });
      const perf = await waitFor('the first card', async () => {
        const p = await readPerf();
        return p.firstCardMs !== null && p.firstCardMs !== undefined ? p : null;
      });
      launch.push(perf.firstCardMs);
      if (run === 0 && answers > 0) next.push(...(await answerCards(readPerf, (key) => page.keyboard.press(key === ' ' ? 'Space' : key))));
      await page.close();
    }
    // The card browser: navigation to its first page of rows painted.
    for (let run = 0; run < launches; run++) {
      const page = await context.newPage();
      await page.goto(`${printed.origin}/#/browse`);
      // The UI times its own first rows (the frame after they are in the
      // DOM), as it times the first card: a poll from here would add its
      // own round trips.
      const perf = await waitFor('the first rows', async () => {
        const p = await page.evaluate(() => window.__notedeckPerf ?? {});
        return typeof p.firstRowsMs === 'number' ? p : null;
      });
      browse.push(perf.firstRowsMs);
      await page.close();
    }
  } finally {
    await browserApp.close();
    server.kill();
  }
  return { launch, next, browse };
}

const rows = [];
const results = {};
if (!skipDesktop) results.desktop = await desktop();
if (!skipBrowser) results.browser = await browser();
for (const [name, r] of Object.entries(results)) {
  if (verbose) console.log(`${name} answer-to-next-card times in order: ${r.next.map((ms) => Math.round(ms)).join(' ')}`);
  rows.push([`${name}: launch to first card, median (${r.launch.length} launches)`, fmt(quantile(r.launch, 0.5)), '400 ms']);
  rows.push([`${name}: launch to first card, worst`, fmt(Math.max(...r.launch)), '400 ms']);
  if (r.page) rows.push([`${name}: of which page load to first card, median`, fmt(quantile(r.page, 0.5)), '']);
  rows.push([`${name}: answer to next card, median (${r.next.length} answers)`, fmt(quantile(r.next, 0.5)), '16 ms']);
  rows.push([`${name}: answer to next card, p95`, fmt(quantile(r.next, 0.95)), '16 ms']);
  if (r.browse?.length) rows.push([`${name}: card browser, page load to first rows painted, median (${r.browse.length} loads)`, fmt(quantile(r.browse, 0.5)), '200 ms']);
}
console.log(`\n| measure (${cards} cards) | notedeck | target |\n|---|---|---|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
rmSync(work, { recursive: true, force: true });
