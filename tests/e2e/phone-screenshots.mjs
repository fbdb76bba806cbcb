#!/usr/bin/env node
// The phone screenshots of the README: every screen at 390×844 (a touch
// phone, device scale 1), light and dark, into docs/screenshots/phone/ as
// `<screen>-<light|dark>.png`. Run by hand, not by `make test`:
//
//   node tests/e2e/phone-screenshots.mjs
//
// It imports the repository's sample decks (copied into a temporary vault)
// into a temporary collection, answers cards over the past six weeks so
// that Statistics has something to show, serves it and takes each screen's
// viewport (not the full page). NOTEDECK_BIN overrides the binary
// (target/debug/notedeck), CHROMIUM the browser (/usr/bin/chromium),
// NOTEDECK_PHONE_SHOTS the folder.

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { chromium } = createRequire(path.join(repo, 'ui/package.json'))('playwright-core');
const BIN = process.env.NOTEDECK_BIN ?? path.join(repo, 'target/debug/notedeck');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = process.env.NOTEDECK_PHONE_SHOTS ?? path.join(repo, 'docs/screenshots/phone');
const DAYS = 42;

const tmp = mkdtempSync(path.join(tmpdir(), 'notedeck-phone-'));
const db = path.join(tmp, 'collection.sqlite3');
const vault = path.join(tmp, 'vault');
const cli = (...args) => execFileSync(BIN, ['--db', db, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** The same answers on every run: a small linear congruential generator. */
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/** Six weeks of answers, some days skipped, today's cards left for Review. */
function history() {
  const start = new Date(Date.now() - DAYS * 86_400_000);
  const at = (day) => new Date(start.getTime() + day * 86_400_000).toISOString().replace(/T.*/, 'T10:00:00Z');
  cpSync(path.join(repo, 'decks'), path.join(vault, 'decks'), { recursive: true });
  cli('--now', at(0), 'import', path.join(vault, 'decks'));
  for (let day = 0; day < DAYS; day++) {
    if (random() < 0.2) continue;
    const queue = JSON.parse(cli('--now', at(day), 'due', '--json'));
    for (const card of queue.slice(0, 3 + Math.floor(random() * 6))) {
      const r = random();
      const grade = r < 0.12 ? 'again' : r < 0.2 ? 'hard' : r < 0.92 ? 'good' : 'easy';
      cli('--now', at(day), 'answer', card.id, grade, '--duration-ms', String(2000 + Math.floor(random() * 9000)));
    }
  }
}

function serve() {
  const token = 'phonescreenshots0000000000';
  const child = spawn(BIN, ['--db', db, 'serve', '--port', '0'], { env: { ...process.env, NOTEDECK_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`notedeck serve exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve({ child, url: match[1], token });
    });
  });
}

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  history();
  const { child, url, token } = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
        isMobile: true,
        hasTouch: true,
        storageState: { cookies: [], origins: [{ origin: url, localStorage: [{ name: 'notedeck.theme', value: theme }] }] },
      });
      const page = await context.newPage();
      const shot = async (name) => {
        await settle(page);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > 390) console.log(`warning: ${name} is ${wide} px wide`);
        await page.screenshot({ path: path.join(OUT, `${name}-${theme}.png`) });
        console.log(`${name}-${theme}.png`);
      };
      const go = async (hash) => {
        await page.goto(`${url}/${hash}`);
        await settle(page);
      };
      await page.goto(`${url}/?token=${token}`);
      await shot('decks');
      await go('#/review');
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
      await shot('review-front');
      await page.keyboard.press('Space');
      await page.locator('.answer-button').first().waitFor();
      await shot('review-back');
      await go('#/browse');
      await page.locator('.browse-row .browse-front').first().waitFor();
      await shot('cards');
      // A card with a history: the third row (the first were answered most).
      await page.locator('.browse-row').nth(2).tap();
      await page.locator('.browse-detail .browse-history, .browse-detail .empty').first().waitFor();
      await shot('card-details');
      await go('#/stats');
      await page.getByTestId('stat-reviews').waitFor();
      await shot('stats');
      await go('#/settings');
      await page.getByLabel('New cards per day').waitFor();
      await shot('settings');
      // Import: a preview of the vault, its report one block per note.
      await go('#/import');
      await page.getByLabel('Folders or notes').fill(path.join(vault, 'decks'));
      await page.getByRole('button', { name: 'Preview' }).tap();
      await page.locator('#import-report').waitFor();
      await page.getByRole('button', { name: 'Preview' }).evaluate((button) => button.scrollIntoView());
      await shot('import');
      await context.close();
    }
  } finally {
    await browser.close();
    child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
