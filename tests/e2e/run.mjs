#!/usr/bin/env node
// Browser end-to-end test of the notedeck web UI against a real
// `notedeck serve` on a temporary collection.
//
//   node tests/e2e/run.mjs          (or `npm run e2e` in ui/)
//
// Needs `target/debug/notedeck` (NOTEDECK_BIN overrides it), ui/dist built
// into that binary, and Debian's Chromium at /usr/bin/chromium (CHROMIUM
// overrides it). Screenshots of every screen, light and dark, go to
// /tmp/notedeck-shots (NOTEDECK_SHOTS overrides it). The last line is
// `N passed, M failed`; the exit status is non-zero on any failure.

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
// playwright-core is a dev dependency of the UI package.
const { chromium } = createRequire(path.join(repo, 'ui/package.json'))('playwright-core');

const BIN = process.env.NOTEDECK_BIN ?? path.join(repo, 'target/debug/notedeck');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.NOTEDECK_SHOTS ?? '/tmp/notedeck-shots';
const SHARED_NOTES = path.resolve(repo, '../shared/notes');
const STEP_TIMEOUT = 15_000;

// A strict policy enforced on top of the server's own (the browser applies
// both), so the UI is always tested under the Content-Security-Policy it
// needs at most: no inline styles or scripts, no data: fonts.
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

const PROBE_NOTE = `---
title: Rendering probe
tags: [probe]
---

# Rendering probe

A note written to check what card HTML may and may not do: ==highlights==
and [[Wikilinks]] render, scripts never run.

## Does a script in a note run?

<script>window.__pwned=1</script>
Nothing in this section may run. <img src=x onerror="window.__pwned=2">
<a href="javascript:window.__pwned=3">A link that must not run either</a>

## What is Euler's identity?

$e^{i\\pi} + 1 = 0$ links five constants. As a display:

$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$

> [!info] Where it comes from
> Euler's formula $e^{ix} = \\cos x + i \\sin x$ at $x = \\pi$.

## How much do the teas cost?

| tea | cups | price |
|:--|:-:|--:|
| green | 2 | 3.50 |

## Cards written in the note

The {{c1::mitochondrion}} is where a cell makes most of its ATP.

Light covers $d = {{c1::c\\,t::speed times time}}$ in a vacuum.
`;

// A short section (a flashcard) and a long one (a reading card), in the
// project's own words.
const READING_NOTE = `# Tides and currents

## What pulls the sea?

The moon pulls the sea toward it, and the earth turns beneath the bulge.

## How the tides were explained

${'People watched the sea rise and fall for thousands of years before anyone could say why it happened twice a day. '.repeat(9)}

## Facts about the tide

${'The tide turns every six hours. '.repeat(12)}
`;

// ---------- a tiny test harness ----------

let passed = 0;
let failed = 0;
const results = [];

async function step(name, fn) {
  const started = Date.now();
  try {
    await withTimeout(fn(), STEP_TIMEOUT * 4, name);
    passed++;
    results.push(`ok - ${name} (${Date.now() - started} ms)`);
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    results.push(`not ok - ${name}`);
    console.log(`not ok - ${name}\n  ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n  ')}`);
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function until(fn, message, timeout = STEP_TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${message} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

// ---------- the server ----------

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['--db', db, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`notedeck serve printed no URL in 20 s.\nstdout: ${out}\nstderr: ${err}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/notedeck is serving (http:\/\/[^/\s]+)\/\?token=(\w+)\s/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `${match[1]}/`, token: match[2], stderr: () => err });
      }
    });
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${BIN}: ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`notedeck serve exited with ${code} before serving.\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

// The token `notedeck serve` printed; scripts send it as a header.
let serverToken = '';
// The collection the server serves (the CLI writes to it as another process).
let dbPath = '';

async function api(base, route, init = {}) {
  const response = await fetch(new URL(route, base), { ...init, headers: { ...init.headers, 'X-Notedeck-Token': serverToken } });
  const text = await response.text();
  if (!response.ok) throw new Error(`${route}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// ---------- the run ----------

async function main() {
  if (!existsSync(BIN)) {
    console.log(`not ok - ${BIN} does not exist: build it (cargo build -p notedeck-cli) or set NOTEDECK_BIN`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  if (!existsSync(CHROMIUM)) {
    console.log(`not ok - no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }

  const tmp = mkdtempSync(path.join(tmpdir(), 'notedeck-e2e-'));
  const vault = path.join(tmp, 'vault');
  const decksDir = path.join(vault, 'decks');
  const moreDir = path.join(vault, 'more');
  cpSync(path.join(repo, 'decks'), decksDir, { recursive: true });
  mkdirSync(moreDir, { recursive: true });
  if (existsSync(SHARED_NOTES)) cpSync(SHARED_NOTES, path.join(moreDir, 'shared'), { recursive: true });
  else console.log(`# ${SHARED_NOTES} is missing: the second import has only the probe note`);
  writeFileSync(path.join(moreDir, 'rendering-probe.md'), PROBE_NOTE);
  writeFileSync(path.join(moreDir, 'tides.md'), READING_NOTE);
  mkdirSync(SHOTS, { recursive: true });

  let server;
  let browser;
  try {
    dbPath = path.join(tmp, 'c.sqlite3');
    server = await startServer(dbPath);
    const base = server.url;
    serverToken = server.token;
    console.log(`# server ${base} (${BIN})`);

    await step('the server answers /api/health', async () => {
      const health = await until(() => api(base, 'api/health'), 'no health answer');
      assertEqual(health.ok, true, 'health');
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });

    const problems = [];
    let serverCsp = null;

    async function newPage(options = {}, { withToken = true } = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
      if (withToken) {
        // As a person does: open the printed URL once. The server answers
        // with the token as a cookie and the address without it (the
        // context's request client shares the browser's cookies).
        const opened = await context.request.get(`${base}?token=${serverToken}`, { maxRedirects: 0 });
        assertEqual(opened.status(), 303, 'the printed URL redirects');
        const cookie = opened.headers()['set-cookie'] ?? '';
        assert(/HttpOnly/i.test(cookie) && /SameSite=Strict/i.test(cookie), `the token cookie: ${cookie}`);
      }
      await context.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
        });
      });
      await context.route(
        (url) => url.origin === new URL(base).origin && (url.pathname === '/' || url.pathname === '/index.html'),
        async (route) => {
          const response = await route.fetch();
          const headers = response.headers();
          serverCsp = headers['content-security-policy'] ?? null;
          headers['content-security-policy'] = serverCsp ? `${serverCsp}, ${STRICT_CSP}` : STRICT_CSP;
          await route.fulfill({ response, headers });
        },
      );
      const page = await context.newPage();
      // Requests still open, to say which one a timed-out wait was waiting for.
      const open = new Set();
      page.on('request', (r) => open.add(r));
      page.on('requestfinished', (r) => open.delete(r));
      page.on('requestfailed', (r) => open.delete(r));
      page.openRequests = () => [...open].map((r) => `${r.method()} ${r.url()}`);
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        // A failed request is logged by Chromium; the error tests cause one on purpose.
        if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      return page;
    }

    const page = await newPage();
    const shot = async (name, target = page) => {
      await target.evaluate(() => document.fonts.ready);
      await target.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    };
    // Like Playwright's `networkidle` (no request for 500 ms), but Chromium's
    // own favicon fetch does not count: after a reload it sometimes never
    // reports finishing, and the wait then ran out (seen here, with the
    // server answering the favicon at once).
    const settle = async (target = page) => {
      const deadline = Date.now() + 30000;
      let quietSince = null;
      for (;;) {
        const open = target.openRequests().filter((r) => !/\/favicon\.svg$/.test(r));
        if (open.length > 0) quietSince = null;
        else if (quietSince === null) quietSince = Date.now();
        else if (Date.now() - quietSince >= 500) return;
        if (Date.now() > deadline) throw new Error(`the page did not settle; requests still open: ${open.join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const goto = async (hash, target = page) => {
      await target.goto(`${base}${hash}`, { waitUntil: 'domcontentloaded' });
      await settle(target);
    };
    const setTheme = async (theme, target = page) => {
      await target.evaluate((t) => localStorage.setItem('notedeck.theme', t), theme);
      await target.reload();
    };
    const bannerText = async (target = page) =>
      (await target.locator('.banner.error').allTextContents()).join(' | ');
    const expectNoBanner = async (what, target = page) => {
      const text = await bannerText(target);
      assert(text === '', `${what}: an error banner says "${text}"`);
    };

    await step('the page loads under a strict CSP with no script from elsewhere', async () => {
      await goto('#/');
      await setTheme('light');
      await page.getByRole('heading', { name: 'Decks', level: 1 }).waitFor();
      const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src, inline: !s.src && s.textContent.trim() !== '' })));
      assert(scripts.every((s) => !s.inline), 'index.html has an inline script');
      assert(scripts.every((s) => s.src.startsWith(base)), `a script comes from elsewhere: ${JSON.stringify(scripts)}`);
      await page.getByRole('link', { name: 'Import notes' }).waitFor();
      await shot('decks-empty-light');
    });

    await step('Import: preview then import the decks folder', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Import' }).click();
      await page.getByLabel('Folders or notes').fill(decksDir);
      await page.getByRole('button', { name: 'Preview' }).click();
      const report = page.locator('#import-report[data-dry-run="true"]');
      await report.waitFor();
      const rows = await report.locator('tbody tr:not(.details-row)').count();
      assertEqual(rows, 2, 'notes in the preview');
      assert((await report.textContent()).includes('nothing was written'), 'the preview says nothing was written');
      const decksBefore = await api(base, 'api/decks');
      assertEqual(decksBefore.length, 0, 'decks after a dry run');
      await shot('import-preview-light');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.locator('#import-report[data-dry-run="false"]').waitFor();
      const decks = await api(base, 'api/decks');
      assert(decks.length === 1 && decks[0].total > 0, `decks after the import: ${JSON.stringify(decks).slice(0, 200)}`);
      await expectNoBanner('import');
    });

    let firstFront = '';
    await step('Decks: the tree shows counts and folds', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Decks' }).click();
      await page.getByText('notedeck tour').waitFor();
      await page.getByText('AI alignment concepts').waitFor();
      const fold = page.getByRole('button', { name: /Fold decks/ });
      assertEqual(await fold.getAttribute('aria-expanded'), 'true', 'the top deck starts open');
      await fold.click();
      const unfold = page.getByRole('button', { name: /Unfold decks/ });
      assertEqual(await unfold.getAttribute('aria-expanded'), 'false', 'folded');
      assert(!(await page.getByText('notedeck tour').isVisible()), 'sub-decks hide when folded');
      await unfold.click();
      await page.getByText('notedeck tour').waitFor();
      await page.getByText('Due tomorrow').waitFor();
      await shot('decks-light');
    });

    await step('Review: Space shows the answer without moving the front, 3 answers Good', async () => {
      await page.getByRole('link', { name: /Review all/ }).click();
      const showAnswer = page.getByRole('button', { name: /Show answer/ });
      await showAnswer.waitFor();
      firstFront = (await page.locator('.front-face').textContent()).trim();
      assert(firstFront.length > 0, 'the front has text');
      assertEqual(await page.locator('.card-html.back').count(), 0, 'the back is hidden before Space');
      const before = await page.locator('.front-face').boundingBox();
      await shot('review-front-light');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      const after = await page.locator('.front-face').boundingBox();
      assert(Math.abs(before.y - after.y) < 0.5 && Math.abs(before.height - after.height) < 0.5, `the front moved: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      for (const label of ['Again', 'Hard', 'Good', 'Easy']) {
        const button = page.locator('.answer-button', { has: page.locator('.answer-label', { hasText: new RegExp(`^${label}$`) }) });
        assertEqual(await button.count(), 1, `one ${label} button`);
        const interval = (await button.locator('.answer-interval').textContent()).trim();
        // Again and Hard bring the card back today as well (SM-2's same-day repeat).
        const sameDay = label === 'Again' || label === 'Hard' ? 'today · ' : '';
        assert(new RegExp(`^${sameDay}(<1d|\\d+(\\.\\d)?(d|mo|y))$`).test(interval), `${label} shows when it comes back, got "${interval}"`);
      }
      await page.getByRole('link', { name: 'Open note' }).waitFor();
      const href = await page.getByRole('link', { name: 'Open note' }).getAttribute('href');
      assert(href.startsWith('obsidian://open?path='), `Open note links to Obsidian: ${href}`);
      await shot('review-back-light');
      await page.keyboard.press('3');
      await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'done today did not reach 1');
      // The next card shows before the answer is saved; wait for the write.
      await page.locator('[data-saving="false"]').waitFor();
      const summary = await api(base, 'api/summary');
      assertEqual(summary.answers, 1, 'answers today');
      assert(summary.time_ms > 0, `the answer was sent with its duration (time_ms ${summary.time_ms})`);
      await expectNoBanner('review');
    });

    await step('Review: u undoes and shows the card again, then it is answered again', async () => {
      await page.keyboard.press('u');
      await until(async () => (await page.getByTestId('done').textContent()).includes('0 done'), 'done today did not go back to 0');
      await page.getByText(/Took back Good/).waitFor();
      assertEqual((await page.locator('.front-face').textContent()).trim(), firstFront, 'the undone card is shown first');
      assertEqual((await api(base, 'api/summary')).answers, 0, 'answers after undo');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      await page.keyboard.press('3');
      await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'done today did not reach 1 again');
      // Two more: Again by click, Easy by key, and Ctrl+Z is undo too.
      await page.getByRole('button', { name: /Show answer/ }).click();
      await page.locator('.answer-button.again').click();
      await until(async () => (await page.getByTestId('done').textContent()).includes('2 done'), 'done today did not reach 2');
      await page.keyboard.press('Control+z');
      await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'Ctrl+Z did not undo');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      await page.keyboard.press('1');
      await until(async () => (await page.getByTestId('done').textContent()).includes('2 done'), 'done today did not reach 2 again');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      await page.keyboard.press('4');
      await until(async () => (await page.getByTestId('done').textContent()).includes('3 done'), 'done today did not reach 3');
      await expectNoBanner('undo');
    });

    await step('Review: @ suspends and - buries the card on screen, u brings it back, Space answers Good', async () => {
      const front = async () => (await page.locator('.front-face').textContent()).trim();
      const marked = async (field) => (await api(base, 'api/cards')).filter((c) => c[field]).length;
      const first = await front();
      await page.keyboard.press('@');
      await page.getByText(/Suspended “/).waitFor();
      await until(async () => (await marked('suspended')) === 1, 'the card was not suspended');
      assert((await front()) !== first, 'the suspended card left the screen');
      await shot('review-suspended-light');
      await page.keyboard.press('u');
      await page.getByText(/Took back suspending/).waitFor();
      await until(async () => (await front()) === first, 'the unsuspended card is not back on screen');
      assertEqual(await marked('suspended'), 0, 'suspended cards after undo');
      await page.getByRole('button', { name: 'Bury' }).click();
      await page.getByText(/Buried “/).waitFor();
      await until(async () => (await marked('buried_until')) === 1, 'the card was not buried');
      await page.keyboard.press('u');
      await page.getByText(/Took back burying/).waitFor();
      await until(async () => (await front()) === first, 'the unburied card is not back on screen');
      // Space on the answer side answers Good, as in Anki.
      const answersBefore = (await api(base, 'api/summary')).answers;
      await page.keyboard.press('Space');
      await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
      await page.keyboard.press('Space');
      await until(async () => (await api(base, 'api/summary')).answers === answersBefore + 1, 'Space on the answer did not answer');
      const log = await api(base, 'api/export/reviews?format=json');
      assertEqual(log[log.length - 1].grade, 4, 'Space answers Good (grade 4)');
      await expectNoBanner('suspend and bury');
    });

    await step('Cards: search, a card with its history, keyboard, suspend and undo from the browser', async () => {
      await goto('#/browse');
      await page.getByRole('heading', { name: 'Cards' }).waitFor();
      await until(async () => /in your collection/.test(await page.locator('.lede').textContent()), 'the browser did not count the cards');
      const all = (await api(base, 'api/cards')).length;
      assert((await page.locator('.lede').textContent()).includes(`${all} cards`), 'every card is counted');
      await page.getByLabel('Search cards').fill('state:learning');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await until(async () => /found/.test(await page.locator('.lede').textContent()), 'the search did not answer');
      // The first card is shown with its history from the log.
      await page.locator('.browse-history tbody tr').first().waitFor();
      const first = await page.locator('.browse-row.active .browse-front').textContent();
      await shot('browse-light');
      // Arrow keys move through the list.
      await page.locator('.browse-scroll').focus();
      await page.keyboard.press('ArrowDown');
      await until(async () => (await page.locator('.browse-row.active .browse-front').textContent()) !== first, 'ArrowDown did not move');
      await page.keyboard.press('ArrowUp');
      await until(async () => (await page.locator('.browse-row.active .browse-front').textContent()) === first, 'ArrowUp did not move back');
      await page.getByRole('group', { name: /Change this card/ }).getByRole('button', { name: 'Suspend this card', exact: true }).click();
      await page.getByText(/Suspended 1 card/).waitFor();
      await until(async () => (await api(base, 'api/cards')).filter((c) => c.suspended).length === 1, 'the card was not suspended');
      await page.locator('.browse-row.active .browse-state', { hasText: 'Suspended' }).waitFor();
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.getByText(/Took back suspend/).waitFor();
      await until(async () => (await api(base, 'api/cards')).filter((c) => c.suspended).length === 0, 'undo did not unsuspend');
      // A malformed search says where.
      await page.getByLabel('Search cards').fill('state:ripe');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.locator('.field-error', { hasText: 'at character 7' }).waitFor();
      await expectNoBanner('card browser');
    });

    await step('Cards: an answer from yesterday is named and asked about before undo takes it back; Space never presses Undo again', async () => {
      // Answered yesterday in the terminal (another process, another day).
      const card = (await api(base, 'api/cards')).find((c) => c.state === 'new' && !c.suspended);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      execFileSync(BIN, ['--db', dbPath, '--now', yesterday, 'answer', card.id, 'good']);
      const logged = async () => (await api(base, 'api/export/reviews?format=json')).filter((r) => r.card_id === card.id).length;
      assertEqual(await logged(), 1, 'the answer is in the log');
      await goto('#/browse');
      await page.getByRole('heading', { name: 'Cards' }).waitFor();
      const undoButton = page.locator('.undo-button');
      await undoButton.click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      const question = await dialog.textContent();
      assert(question.includes('yesterday') && question.includes(`“${card.heading_path.at(-1)}”`), `the question names the card and the day: ${question}`);
      await shot('undo-asks-light');
      // The safe answer has the focus: Space keeps the answer.
      await page.keyboard.press('Space');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText(/Kept it/).waitFor();
      assertEqual(await logged(), 1, 'Space kept yesterday’s answer');
      assert(!(await page.evaluate(() => document.activeElement?.classList.contains('undo-button'))), 'the focus left the Undo button');
      await page.keyboard.press('Space');
      await page.waitForTimeout(300);
      assertEqual(await page.getByRole('dialog').count(), 0, 'Space did not press Undo again');
      assertEqual(await logged(), 1, 'still kept');
      // Taken back only when asked for.
      await undoButton.click();
      await dialog.getByRole('button', { name: 'Take it back' }).click();
      await page.getByText(/Took back Good/).waitFor();
      assertEqual(await logged(), 0, 'taken back when confirmed');
      await expectNoBanner('undo asks');
    });

    await step('Cards: the action buttons say what they act on, and act on exactly that', async () => {
      await goto('#/browse?q=');
      await page.getByRole('heading', { name: 'Cards' }).waitFor();
      await until(async () => (await page.locator('.browse-row .browse-front').count()) >= 3, 'too few rows');
      const shown = await page.locator('.browse-row.active .browse-front').textContent();
      const group = page.getByRole('group', { name: /^Change / });
      assertEqual(await group.getByRole('button', { name: /^Suspend / }).textContent(), 'Suspend this card', 'no selection: the card shown');
      // Check two other cards while the first stays shown.
      const rows = page.locator('.browse-row');
      await rows.nth(1).locator('input[type="checkbox"]').check();
      await rows.nth(2).locator('input[type="checkbox"]').check();
      assertEqual(await page.locator('.browse-row.active .browse-front').textContent(), shown, 'the shown card stays');
      const suspend = group.getByRole('button', { name: 'Suspend 2 selected', exact: true });
      await suspend.waitFor();
      await shot('browse-selected-light');
      const checked = await page.evaluate(() => [...document.querySelectorAll('.browse-row')].slice(1, 3).map((r) => r.querySelector('.browse-front').textContent));
      await suspend.click();
      await page.getByText(/Suspended 2 cards/).waitFor();
      const suspended = (await api(base, 'api/cards')).filter((c) => c.suspended);
      assertEqual(suspended.length, 2, 'exactly the two selected');
      const suspendedRows = () =>
        page.evaluate(() => [...document.querySelectorAll('.browse-row')].filter((r) => r.querySelector('[data-state="suspended"]')).map((r) => r.querySelector('.browse-front').textContent).sort());
      await until(async () => JSON.stringify(await suspendedRows()) === JSON.stringify(checked.sort()), 'the checked rows are not the suspended ones');
      // This screen's own step: undone without asking.
      await page.locator('.undo-button').click();
      await page.getByText(/Took back suspend/).waitFor();
      assertEqual(await page.getByRole('dialog').count(), 0, 'no question for this screen’s own step');
      assertEqual((await api(base, 'api/cards')).filter((c) => c.suspended).length, 0, 'undone');
      await expectNoBanner('browser actions');
    });

    await step('Study more: a cram session from the deck menu leaves schedules as they were', async () => {
      const cards = await api(base, 'api/cards');
      const deckName = cards[0].deck;
      await goto('#/');
      await page.getByLabel(`More for ${deckName}`, { exact: true }).click();
      await page.getByRole('group', { name: deckName }).getByRole('link', { name: 'Study more…' }).click();
      await page.getByRole('heading', { name: 'Study more' }).waitFor();
      await page.getByLabel(/Cram/).check();
      await until(async () => /Cram \(schedules unchanged\): \d+ card/.test(await page.locator('.study-count').textContent()), 'the session was not counted');
      await shot('study-light');
      await page.getByRole('button', { name: 'Start' }).click();
      await page.locator('.study-badge', { hasText: 'Cram' }).waitFor();
      const front = (await page.locator('.front-face').textContent()).trim();
      const before = (await api(base, 'api/cards')).find((c) => front.includes(c.heading_path.at(-1) ?? '\u0000'));
      assert(before, 'the crammed card is known');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
      await page.keyboard.press('1');
      await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'the cram answer was not counted');
      await until(async () => {
        const log = await api(base, 'api/export/reviews?format=json');
        return log.length > 0 && log[log.length - 1].kind === 'cram';
      }, 'the answer was not logged as cram');
      const after = (await api(base, 'api/cards')).find((c) => c.id === before.id);
      for (const field of ['due', 'interval_days', 'ease_factor', 'repetitions', 'lapses']) {
        assertEqual(after[field], before[field], `cram left ${field} alone`);
      }
      await expectNoBanner('cram');
    });

    await step('Deck options: a deck’s own limit, set from its menu, caps its queue and can be inherited again', async () => {
      const cards = await api(base, 'api/cards');
      const deckName = cards[0].deck;
      await goto('#/');
      await page.getByLabel(`More for ${deckName}`, { exact: true }).click();
      await page.getByRole('group', { name: deckName }).getByRole('link', { name: 'Options…' }).click();
      await page.getByRole('heading', { name: 'Deck options' }).waitFor();
      await page.getByLabel('New cards per day').fill('2');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.').waitFor();
      await shot('deck-options-light');
      const options = await api(base, `api/decks/options?deck=${encodeURIComponent(deckName)}`);
      assertEqual(options.own.new_per_day, 2, 'the deck keeps its own limit');
      const queue = await api(base, `api/due?deck=${encodeURIComponent(deckName)}`);
      assert(queue.filter((c) => c.queue === 'new').length <= 2, 'the queue holds at most 2 new cards');
      await page.getByLabel('New cards per day').fill('');
      await page.getByRole('button', { name: 'Save' }).click();
      await until(async () => (await api(base, `api/decks/options?deck=${encodeURIComponent(deckName)}`)).own.new_per_day === null, 'the limit was not cleared');
      await expectNoBanner('deck options');
      // The deck list and its queue filtered by a tag.
      await goto('#/');
      await page.getByLabel('Only cards tagged').fill('alignment');
      await page.getByRole('button', { name: 'Filter' }).click();
      await until(async () => (await page.evaluate(() => location.hash)).includes('tag=alignment'), 'the filter is not in the address');
      const tagged = await api(base, 'api/due?tag=alignment');
      assert(tagged.length > 0, 'the tagged queue is not empty');
      assert(tagged.every((c) => c.tags.includes('alignment') || c.user_tags.includes('alignment')), 'every card of the tagged queue has the tag');
      assertEqual((await api(base, 'api/due?tag=no-such-tag')).length, 0, 'cards with an unknown tag');
      await until(async () => (await page.getByRole('link', { name: /Review all/ }).textContent()).includes(String(tagged.length)), 'Review all counts the tagged cards');
      await shot('decks-tag-light');
      await page.getByRole('link', { name: 'Show all cards' }).click();
    });

    let probeDeck = '';
    await step('Import: a folder with the shared notes reports warnings and skipped sections', async () => {
      await goto('#/import');
      await page.getByLabel('Folders or notes').fill(moreDir);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const report = page.locator('#import-report[data-dry-run="false"]');
      await report.waitFor();
      const rows = await report.locator('tbody tr:not(.details-row)').count();
      assert(rows >= 2, `notes in the report: ${rows}`);
      if (existsSync(SHARED_NOTES)) {
        const text = await report.textContent();
        assert(text.includes('Warning'), 'the report shows warnings');
        assert(text.includes('Skipped'), 'the report shows skipped sections');
      }
      await shot('import-report-light');
      const decks = await api(base, 'api/decks');
      const more = decks.find((d) => d.short_name === 'more');
      probeDeck = more?.children.find((d) => d.short_name === 'Rendering probe')?.name ?? '';
      assert(probeDeck, `no Rendering probe deck in ${JSON.stringify(decks.map((d) => d.name))}`);
      await expectNoBanner('second import');
      // Refresh all notes (no paths) works too.
      await page.getByRole('button', { name: 'Refresh all notes' }).click();
      await page.locator('#import-report[data-dry-run="false"]').waitFor();
      await expectNoBanner('refresh');
    });

    await step('Card health: the doctor lists weak cards, each leading to its note', async () => {
      await goto('#/import');
      await page.getByLabel('Folders or notes').fill(moreDir);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.locator('#import-report[data-dry-run="false"]').waitFor();
      await page.getByRole('link', { name: 'Card health' }).click();
      await page.getByRole('heading', { name: 'Card health' }).waitFor();
      await until(async () => !(await page.locator('.lede').textContent()).includes('Examining'), 'the doctor did not answer');
      const findings = await api(base, 'api/doctor');
      const shown = await page.locator('.finding').count();
      assertEqual(shown, findings.length, 'every finding is listed');
      if (findings.length > 0) {
        const front = await page.locator('.finding .finding-front').first().textContent();
        assert(findings.some((f) => (f.front || '(no front)') === front.trim()), `a finding names its card by its front: ${front}`);
      }
      // Long passages of the shared notes are reading cards; a section of
      // too many short facts is still too long to answer.
      assert(findings.some((f) => f.rule === 'too_long'), 'the facts section is too long');
      const group = page.locator('.health-rule[data-rule="too_long"]');
      await group.waitFor();
      const first = findings.find((f) => f.rule === 'too_long');
      const link = group.locator('.finding a').first();
      const target = decodeURIComponent((await link.getAttribute('href')) ?? '');
      assert(target.startsWith('obsidian://open?path='), `the note link: ${target}`);
      assert(target.includes(first.note), `the first finding's note link names its note: ${target}`);
      await group.getByText(`:${first.line}`, { exact: false }).first().waitFor();
      await shot('health-light');
      // "Review as reading" makes it a reading card, and the finding goes.
      await group.locator('.finding').first().getByRole('button', { name: 'Review as reading' }).click();
      await until(async () => (await page.locator('.finding').count()) === findings.length - 1, 'the finding of the card now read is still listed');
      assertEqual((await api(base, `api/card?card_id=${first.card_id}`)).card.kind, 'reading', 'the card is a reading card');
      const remaining = await api(base, 'api/doctor');
      if (remaining.length > 0) {
        await page.locator('.finding .dismiss').first().click();
        await until(async () => (await page.locator('.finding').count()) === remaining.length - 1, 'the dismissed finding is still listed');
        assertEqual((await api(base, 'api/doctor')).length, remaining.length - 1, 'the dismissal is kept');
      }
      await expectNoBanner('card health');
      // Each deck reaches its own card health through its "⋯" menu.
      await goto('#/');
      await page.getByLabel(`More for ${probeDeck}`, { exact: true }).click();
      await shot('decks-menu-light');
      await page.getByRole('group', { name: probeDeck }).getByRole('link', { name: 'Card health' }).click();
      await page.getByRole('heading', { name: 'Card health' }).waitFor();
      await until(async () => (await page.locator('#health-deck').inputValue()) === probeDeck, 'the deck is not chosen in the Deck field');
      // An edited note's preview names the cards it would change.
      const probePath = path.join(moreDir, 'rendering-probe.md');
      writeFileSync(probePath, `${PROBE_NOTE}\n## A section added later\n\nSomething new to learn.\n`);
      try {
        await goto('#/import');
        await page.getByLabel('Folders or notes').fill(moreDir);
        await page.getByRole('button', { name: 'Preview' }).click();
        await page.locator('#import-report[data-dry-run="true"]').waitFor();
        await page.locator('.detail.change[data-change="added"]', { hasText: 'A section added later' }).waitFor();
        await page.locator('.detail.change[data-change="added"]').scrollIntoViewIfNeeded();
        await shot('import-changes-light');
      } finally {
        writeFileSync(probePath, PROBE_NOTE);
      }
    });

    await step('Review: a phrase selected on the back and C makes a cloze card in the note; a reading card is shown in full and answered', async () => {
      const decks = await api(base, 'api/decks');
      const more = decks.find((d) => d.short_name === 'more');
      const tides = more?.children.find((d) => d.short_name === 'Tides and currents');
      assert(tides, `no Tides and currents deck in ${JSON.stringify(more?.children.map((d) => d.name))}`);
      assertEqual(`${tides.new} new, ${tides.reading} reading`, '1 new, 2 reading', 'one flashcard; a long section and the facts read as reading cards');
      await goto(`#/review?deck=${encodeURIComponent(tides.name)}`);
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
      await page.keyboard.press('Space');
      const back = page.locator('.card-html.back');
      await back.waitFor();
      await page.locator('.extract-hint').waitFor();
      // Select "the earth turns" on the back, as a mouse drag would.
      await back.evaluate((el) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf('the earth turns');
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 'the earth turns'.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          return;
        }
        throw new Error('the phrase is not on the back');
      });
      await page.keyboard.press('c');
      const made = page.getByText(/Made a cloze card \(([0-9a-f]{12})\)/);
      await made.waitFor();
      const cardId = (await made.textContent()).match(/\(([0-9a-f]{12})\)/)[1];
      const note = readFileSync(path.join(moreDir, 'tides.md'), 'utf8');
      assert(note.includes('and ==the earth turns== beneath'), `the cloze is written into the note: ${note.slice(0, 200)}`);
      assert(note.includes('## What pulls the sea?\n#cloze\n'), 'the section is tagged #cloze');
      await shot('review-made-cloze-light');
      // The new card is in the card browser.
      await goto(`#/browse?q=${encodeURIComponent(`deck:"${tides.name}"`)}`);
      await until(async () => (await page.locator('.browse-row .browse-front', { hasText: 'beneath the bulge' }).count()) >= 1, 'the new cloze card is not in the browser');
      const detail = await api(base, `api/card?card_id=${cardId}`);
      assertEqual(detail.card.kind, 'cloze', 'the new card is a cloze');
      await shot('browse-made-cloze-light');
      // Back to the deck: the flashcard is answered, then the reading card
      // is shown in full with Hard, Good and Easy.
      await goto(`#/review?deck=${encodeURIComponent(tides.name)}`);
      for (let i = 0; i < 6; i++) {
        if ((await page.locator('.queue-tag[data-queue="reading"]').count()) > 0) break;
        const show = page.getByRole('button', { name: /Show answer/ });
        await show.waitFor();
        await page.keyboard.press('Space');
        await page.locator('.answer-buttons').waitFor();
        await page.keyboard.press('3');
        await page.locator('[data-saving="false"]').waitFor();
        await settle();
      }
      await page.locator('.queue-tag[data-queue="reading"]').waitFor();
      assertEqual(await page.getByRole('button', { name: /Show answer/ }).count(), 0, 'a reading card has no hidden answer');
      const labels = await page.locator('.answer-buttons .answer-label').allTextContents();
      assertEqual(labels.join(','), 'Hard,Good,Easy', 'a reading card is answered by when to read it again');
      await shot('review-reading-light');
      const readingId = (await api(base, `api/due?deck=${encodeURIComponent(tides.name)}`)).find((c) => c.kind === 'reading')?.id;
      await page.keyboard.press('3');
      await page.locator('[data-saving="false"]').waitFor();
      await settle();
      const read = await api(base, `api/card?card_id=${readingId}`);
      assertEqual(read.reviews.at(-1)?.kind, 'read', 'the reading is logged as read');
      await expectNoBanner('reading and making cards');
    });

    await step('Review: card HTML cannot run scripts, math renders with KaTeX', async () => {
      await goto(`#/review?deck=${encodeURIComponent(probeDeck)}`);
      let sawMath = false;
      let sawScriptCard = false;
      let sawCloze = false;
      let sawMathCloze = false;
      let sawTable = false;
      for (let i = 0; i < 12; i++) {
        const showAnswer = page.getByRole('button', { name: /Show answer/ });
        const done = page.getByRole('heading', { name: /All done for today|Done for today|Nothing more today|Nothing to review/ });
        await until(async () => (await showAnswer.count()) > 0 || (await done.count()) > 0, 'neither a card nor the end screen');
        if ((await done.count()) > 0) break;
        const question = await page.locator('.front-face').textContent();
        const questionBox = await page.locator('.front-face .front').boundingBox();
        await page.keyboard.press('Space');
        await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
        const front = await page.locator('.front-face').textContent();
        if (question.includes('Light covers')) {
          // A cloze inside math: a boxed blank (the hint), then the boxed answer.
          assert(question.includes('speed times time'), 'the hint shows in the formula');
          assert((await page.locator('.front-face .katex .boxpad').count()) >= 1, 'the blank is boxed in the formula');
          assert(!front.includes('speed times time'), 'the answer replaces the hint');
          sawMathCloze = true;
          await shot('review-math-cloze-light');
        } else if (question.includes('[…]')) {
          // A cloze card: the answer fills the blank in place, marked.
          assertEqual(await page.locator('.front-face mark').textContent(), 'mitochondrion', 'the cloze answer');
          assert(!front.includes('[…]'), 'the blank is filled on the answer side');
          assert(front.includes('Cards written in the note'), 'the breadcrumb stays');
          const answerBox = await page.locator('.front-face .front').boundingBox();
          assertEqual(Math.round(answerBox.y), Math.round(questionBox.y), 'the cloze paragraph does not move');
          sawCloze = true;
          await shot('review-cloze-light');
        }
        if (front.includes('script')) {
          sawScriptCard = true;
          await shot('review-probe-light');
        }
        if (front.includes('teas cost')) {
          // Column alignment survives as classes (the CSP refuses style attributes).
          const cells = await page.locator('.card-html.back td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td).textAlign));
          assertEqual(cells.join(','), 'left,center,right', 'the columns keep their alignment');
          sawTable = true;
        }
        if (front.includes('Euler')) {
          await page.locator('.card-html.back .katex').first().waitFor();
          assert((await page.locator('.card-html.back .katex-display').count()) >= 1, 'display math renders');
          sawMath = true;
          await shot('review-math-light');
        }
        const html = await page.locator('.review-card').innerHTML();
        assert(!/<script/i.test(html), 'a <script> element reached the page');
        assert(!/onerror/i.test(html), 'an onerror attribute reached the page');
        assert(!/javascript:/i.test(html), 'a javascript: link reached the page');
        for (const link of await page.locator('.card-html a').all()) await link.click({ trial: true }).catch(() => {});
        assertEqual(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned');
        await page.keyboard.press('3');
        await page.waitForTimeout(50);
      }
      assert(sawScriptCard, 'the script probe card was reviewed');
      assert(sawMathCloze, 'the cloze inside math was reviewed');
      assert(sawMath, 'the math card was reviewed');
      assert(sawCloze, 'the cloze card was reviewed');
      assert(sawTable, 'the table card was reviewed');
      await page.getByRole('heading', { name: /^(All done|Done) for today$/ }).waitFor();
      await page.getByText(/Tomorrow: \d+ cards? due in Rendering probe/).waitFor();
      assertEqual(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned at the end');
      await shot('review-done-light');
      await expectNoBanner('probe review');
    });

    await step('Statistics: the answers show in numbers, charts and the heatmap', async () => {
      await goto('#/stats');
      const reviews = page.getByTestId('stat-reviews');
      await reviews.waitFor();
      const answers = (await api(base, 'api/summary')).answers;
      assert(answers >= 5, `answers today: ${answers}`);
      await until(async () => Number((await reviews.textContent()).replace(/\D/g, '')) === answers, `the Reviews tile does not show ${answers}`);
      assertEqual(await page.locator('canvas').count(), 4, 'charts');
      const today = page.locator('.heat-cell[data-count]:not([data-count="0"])');
      assert((await today.count()) >= 1, 'the heatmap has a day with answers');
      assertEqual(await page.locator('.heatmap-svg .heat-cell').count() >= 52 * 7 + 1, true, 'the heatmap covers a year');
      await page.getByLabel('Deck', { exact: true }).selectOption(probeDeck);
      await page.getByText(/Rendering probe/).first().waitFor();
      await page.locator('label', { hasText: '7 days' }).click();
      await until(async () => (await page.locator('.lede').textContent()).includes('Rendering probe'), 'the deck filter did not apply');
      await page.getByLabel('Deck', { exact: true }).selectOption('');
      await page.locator('label', { hasText: '30 days' }).click();
      // A tag narrows the statistics to its cards.
      await page.getByLabel('Tag', { exact: true }).fill('alignment');
      await page.getByLabel('Tag', { exact: true }).press('Enter');
      await until(async () => (await page.locator('.lede').textContent()).includes('tagged alignment'), 'the tag filter did not apply');
      await page.getByLabel('Tag', { exact: true }).fill('');
      await page.getByLabel('Tag', { exact: true }).press('Enter');
      await until(async () => !(await page.locator('.lede').textContent()).includes('tagged'), 'the tag filter did not clear');
      await settle(page);
      await shot('stats-light');
      await expectNoBanner('stats');
    });

    await step('Statistics: Export reviews (CSV) downloads the review log', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export reviews (CSV)' }).click()]);
      const file = await download.path();
      const text = readFileSync(file, 'utf8');
      const lines = text.trim().split(/\r?\n/);
      assert(lines[0].startsWith('review_id'), `the header starts with review_id: ${lines[0].slice(0, 80)}`);
      const answers = (await api(base, 'api/summary')).answers;
      assertEqual(lines.length - 1, answers, 'rows in the export');
      const header = lines[0].split(',');
      const duration = header.indexOf('duration_ms');
      // duration_ms comes before session and FSRS's two columns (appended
      // later), after any quoted heading: counted from the end.
      assertEqual(duration, header.length - 4, 'duration_ms is the fourth column from the end');
      assert(lines.slice(1).every((l) => /\d/.test(l.split(',').at(-4))), 'every answer has its duration');
    });

    await step('Statistics: the progress report downloads, and opens with no script and no request', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Progress report (HTML)' }).click()]);
      const file = await download.path();
      const html = readFileSync(file, 'utf8');
      assert(!/<script/i.test(html), 'the report holds no script');
      assert(html.includes("default-src 'none'"), 'the report forbids every request itself');
      const report = `${file}.html`;
      copyFileSync(file, report);
      const offline = await browser.newContext({ javaScriptEnabled: false });
      try {
        const sheet = await offline.newPage();
        const requests = [];
        sheet.on('request', (r) => requests.push(r.url()));
        await sheet.goto(`file://${report}`);
        await sheet.getByRole('heading', { name: 'Progress report' }).waitFor();
        assert((await sheet.locator('svg').count()) >= 3, 'the charts are drawn without script');
        assertEqual(requests.length, 1, `requests besides the page: ${JSON.stringify(requests)}`);
        await sheet.screenshot({ path: path.join(SHOTS, 'report-light.png'), fullPage: true });
      } finally {
        await offline.close();
      }
    });

    await step('Settings: limits save and the theme applies', async () => {
      await goto('#/settings');
      const field = page.getByLabel('New cards per day');
      await field.waitFor();
      // The card text size applies at once and is kept.
      await page.getByRole('radio', { name: 'Large', exact: true }).check();
      assertEqual(await page.evaluate(() => document.documentElement.style.getPropertyValue('--card-scale')), '1.15', 'card text scale');
      await page.reload();
      await field.waitFor();
      assertEqual(await page.evaluate(() => document.documentElement.style.getPropertyValue('--card-scale')), '1.15', 'card text scale after a reload');
      await page.getByRole('radio', { name: 'Normal', exact: true }).check();
      await field.fill('25');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.').waitFor();
      assertEqual((await api(base, 'api/settings')).new_per_day, 25, 'new_per_day');
      await field.fill('-1');
      await page.getByText('A whole number, 0 or more.').waitFor();
      assert(await page.getByRole('button', { name: 'Save' }).isDisabled(), 'Save is off while a field is wrong');
      assertEqual(await field.getAttribute('aria-invalid'), 'true', 'the field is marked invalid');
      await field.fill('25');
      await shot('settings-light');
      await page.getByLabel('Dark').check();
      assertEqual(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'data-theme');
      await page.reload();
      await page.getByLabel('Dark').waitFor();
      assertEqual(await page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'data-theme after reload');
      assert(await page.getByLabel('Dark').isChecked(), 'the dark choice is kept');
    });

    await step('Scheduler: FSRS chosen in Settings replays the log (cards carry its state), Statistics shows it, SM-2 again gives every card back', async () => {
      const before = await api(base, 'api/cards');
      await goto('#/settings');
      await page.getByRole('radio', { name: /FSRS/ }).check();
      await page.getByLabel("FSRS's desired retention").fill('0.99');
      await page.locator('.field-error', { hasText: '0.70 to 0.97' }).waitFor();
      assert(await page.getByRole('button', { name: 'Apply' }).isDisabled(), 'Apply is off while the retention is wrong');
      await page.getByLabel("FSRS's desired retention").fill('0.85');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText(/Now scheduling with FSRS/).waitFor();
      const settings = await api(base, 'api/settings');
      assertEqual(settings.scheduler, 'fsrs', 'scheduler');
      assertEqual(settings.desired_retention, 0.85, 'desired retention');
      // Reading cards are read, not recalled: they carry no memory state.
      const answered = (await api(base, 'api/cards')).filter((c) => c.due !== null && c.kind !== 'reading');
      assert(answered.length > 0 && answered.every((c) => c.stability > 0 && c.retrievability !== null), 'answered cards carry FSRS state');
      await shot('settings-scheduler');
      // Too few answers to fit: said right under the button pressed.
      const fit = page.getByRole('button', { name: 'Fit FSRS to my answers' });
      await fit.click();
      const failure = page.locator('.settings-form .field-error', { hasText: 'FSRS could not be fitted' });
      await failure.waitFor();
      const [pressed, said] = [await fit.boundingBox(), await failure.boundingBox()];
      assert(said.y > pressed.y && said.y - (pressed.y + pressed.height) < 120, `the error is next to the button: ${JSON.stringify([pressed, said])}`);
      await expectNoBanner('fitting FSRS');
      // Too few answers to compare: the Statistics screen says so.
      await goto('#/stats');
      await page.getByRole('button', { name: 'Compare on my answers' }).click();
      await page.getByText(/FSRS needs at least/).waitFor();
      await page.getByRole('heading', { name: 'FSRS', exact: true }).waitFor();
      await goto('#/settings');
      await page.getByRole('radio', { name: /SM-2/ }).check();
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByText(/Now scheduling with SM-2/).waitFor();
      const after = await api(base, 'api/cards');
      const state = (c) => JSON.stringify([c.id, c.due, c.interval_days, c.ease_factor, c.repetitions, c.lapses, c.stability]);
      assertEqual(after.map(state).join(), before.map(state).join(), 'every card as it was');
      await expectNoBanner('scheduler');
    });

    await step('Errors: an API failure shows its message, not a blank screen', async () => {
      await setTheme('light');
      await goto(`#/review?deck=${encodeURIComponent('No such deck')}`);
      const banner = page.locator('.banner.error');
      await banner.first().waitFor();
      const text = await bannerText();
      assert(/No such deck/i.test(text), `the banner shows the server's message: "${text}"`);
      await page.getByRole('button', { name: 'Try again' }).waitFor();
      await shot('error-light');
      await page.getByRole('button', { name: 'Dismiss this message' }).first().click();
      assertEqual(await banner.count(), 0, 'the banner can be dismissed');
    });

    await step('Errors: a lost connection during review says so and can be retried', async () => {
      await goto('#/review');
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      await page.route('**/api/due*', (route) => route.abort());
      // Again brings the card back today, so the queue is fetched again.
      await page.keyboard.press('1');
      const retry = page.getByRole('button', { name: 'Load the next card again' });
      await retry.waitFor();
      assert(/Cannot reach the notedeck server/.test(await bannerText()), `the banner explains: "${await bannerText()}"`);
      await page.unroute('**/api/due*');
      await retry.click();
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
    });

    await step('Screenshots: every screen in the dark theme', async () => {
      await setTheme('dark');
      await goto('#/');
      await page.getByText('notedeck tour').waitFor();
      await shot('decks-dark');
      await goto('#/review');
      await page.getByRole('button', { name: /Show answer/ }).waitFor();
      await shot('review-front-dark');
      await page.keyboard.press('Space');
      await page.locator('.card-html.back').waitFor();
      await shot('review-back-dark');
      await goto(`#/review?deck=${encodeURIComponent(probeDeck)}`);
      await page.getByRole('heading', { name: /^(All done|Done) for today$/ }).waitFor();
      await shot('review-done-dark');
      await goto('#/import');
      await page.getByLabel('Folders or notes').fill(`${decksDir}\n${moreDir}`);
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('#import-report[data-dry-run="true"]').waitFor();
      await shot('import-preview-dark');
      await goto('#/stats');
      await page.getByTestId('stat-reviews').waitFor();
      await settle(page);
      await shot('stats-dark');
      await goto('#/health');
      await page.getByRole('heading', { name: 'Card health' }).waitFor();
      await until(async () => !(await page.locator('.lede').textContent()).includes('Examining'), 'the doctor did not answer');
      await shot('health-dark');
      await goto('#/settings');
      await page.getByLabel('New cards per day').waitFor();
      await shot('settings-dark');
      assertEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(21, 23, 25)', 'dark background');
      await setTheme('light');
    });

    await step('Without the token the page says how to get in, and the API refuses', async () => {
      const stranger = await newPage({}, { withToken: false });
      await goto('#/', stranger);
      await stranger.locator('.banner.error').first().waitFor();
      const text = await bannerText(stranger);
      assert(/token is required/.test(text), `the banner explains the token: "${text}"`);
      await shot('no-token', stranger);
      const status = await stranger.evaluate(async () => (await fetch('/api/decks')).status);
      assertEqual(status, 403, 'the API without the token');
      await stranger.context().close();
    });

    await step('Settings: web images can be turned off, and the page then blocks them', async () => {
      await goto('#/settings');
      const box = page.getByLabel('Show images from the web in cards');
      await box.waitFor();
      assert(await box.isChecked(), 'on by default');
      await box.uncheck();
      await page.getByText('Saved.', { exact: false }).first().waitFor();
      assertEqual((await api(base, 'api/settings')).remote_images, false, 'stored');
      const blocked = await page.evaluate(async () => {
        const img = new Image();
        const loaded = new Promise((resolve) => {
          img.onload = () => resolve('loaded');
          img.onerror = () => resolve('blocked');
        });
        img.src = 'https://example.invalid/pixel.png';
        return loaded;
      });
      assertEqual(blocked, 'blocked', 'a web image');
      // That refusal is logged as a console error on purpose: not a problem.
      for (let i = problems.length - 1; i >= 0; i--) if (problems[i].includes('example.invalid')) problems.splice(i, 1);
      const tasks = page.getByLabel('Only tasks (a to-do list)');
      assert(await tasks.isChecked(), 'to-do lists are skipped by default');
      await tasks.uncheck();
      await page.getByText('The next import applies it.', { exact: false }).waitFor();
      assertEqual((await api(base, 'api/settings')).skip_rules.only_tasks, false, 'the skip rule is stored');
      await tasks.check();
      await page.getByText('The next import applies it.', { exact: false }).waitFor();
      await shot('settings-images-off');
      await box.check();
      await page.getByText('Reload the page', { exact: false }).waitFor();
      assertEqual((await api(base, 'api/settings')).remote_images, true, 'stored again');
      await page.reload();
      await settle(page);
    });

    await step('Zoom 200%: no screen scrolls sideways at 640 CSS pixels', async () => {
      const zoomed = await newPage({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
      for (const [hash, ready] of [
        ['#/', 'notedeck tour'],
        ['#/review', null],
        ['#/import', 'Refresh all notes'],
        ['#/stats', 'Hardest cards'],
        ['#/settings', 'New day starts at'],
      ]) {
        await goto(hash, zoomed);
        if (ready === null) {
          await zoomed.getByRole('button', { name: /Show answer/ }).waitFor();
          await zoomed.keyboard.press('Space');
          await zoomed.locator('.card-html.back').waitFor();
        } else {
          await zoomed.getByText(ready, { exact: false }).first().waitFor();
        }
        await settle(zoomed);
        const overflow = await zoomed.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        const name = hash.replace(/[#/?=]/g, '') || 'decks';
        await shot(`zoom200-${name}`, zoomed);
        assert(overflow <= 0, `${hash} scrolls sideways by ${overflow}px at 200% zoom`);
      }
      await zoomed.context().close();
    });

    await step('Keyboard: the navigation is reachable with Tab and shows a focus ring', async () => {
      await goto('#/');
      await page.reload();
      await page.getByText('notedeck tour').waitFor();
      await page.keyboard.press('Tab');
      assertEqual(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content', 'first Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { text: el.textContent.trim(), outline: style.outlineStyle, width: style.outlineWidth };
      });
      assertEqual(focused.text, 'Decks', 'third Tab');
      assert(focused.outline !== 'none' && focused.width !== '0px', `a visible focus ring: ${JSON.stringify(focused)}`);
    });

    await step('No CSP violation, page error or console error', async () => {
      const violations = await page.evaluate(() => window.__cspViolations);
      const all = [...problems, ...violations.map((v) => `CSP: ${v}`)];
      assert(all.length === 0, all.join('\n'));
      if (serverCsp) console.log(`# the server's CSP: ${serverCsp}`);
      else console.log('# the server sent no Content-Security-Policy');
    });
  } catch (err) {
    failed++;
    console.log(`not ok - setup: ${err?.stack ?? err}`);
  } finally {
    await browser?.close().catch(() => {});
    if (server) {
      server.child.kill('SIGTERM');
      const stderr = server.stderr().trim();
      if (failed > 0 && stderr) console.log(`# server stderr:\n# ${stderr.split('\n').slice(-20).join('\n# ')}`);
    }
    if (failed === 0) rmSync(tmp, { recursive: true, force: true });
    else console.log(`# kept ${tmp} for inspection`);
  }
  console.log(`# screenshots in ${SHOTS}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
