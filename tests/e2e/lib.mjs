// What the browser end-to-end tests share: the configuration, the notes
// they import, assertions, the test registry, and `Env`, the world of one
// test: its own temporary vault and collection, its own `notedeck serve`,
// its own browser contexts, all removed when the test ends.

import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
// playwright-core is a dev dependency of the UI package.
export const { chromium } = createRequire(path.join(repo, 'ui/package.json'))('playwright-core');

export const BIN = process.env.NOTEDECK_BIN ?? path.join(repo, 'target/debug/notedeck');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = process.env.NOTEDECK_SHOTS ?? '/tmp/notedeck-shots';
export const SHARED_NOTES = path.resolve(repo, '../shared/notes');
export const STEP_TIMEOUT = 15_000;
/** How long one test may take, its setup and cleanup included. */
export const TEST_TIMEOUT = STEP_TIMEOUT * 4;

// A strict policy enforced on top of the server's own (the browser applies
// both), so the UI is always tested under the Content-Security-Policy it
// needs at most: no inline styles or scripts, no data: fonts.
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

export const PROBE_NOTE = `---
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
export const READING_NOTE = `# Tides and currents

## What pulls the sea?

The moon pulls the sea toward it, and the earth turns beneath the bulge.

## How the tides were explained

${'People watched the sea rise and fall for thousands of years before anyone could say why it happened twice a day. '.repeat(9)}

## Facts about the tide

${'The tide turns every six hours. '.repeat(12)}
`;

// ---------- assertions ----------

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export async function until(fn, message, timeout = STEP_TIMEOUT) {
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

/** The name of the deck PROBE_NOTE was imported into (the server must know it). */
export async function findProbeDeck(t) {
  const decks = await t.api('api/decks');
  const more = decks.find((d) => d.short_name === 'more');
  const probeDeck = more?.children.find((d) => d.short_name === 'Rendering probe')?.name ?? '';
  assert(probeDeck, `no Rendering probe deck in ${JSON.stringify(decks.map((d) => d.name))}`);
  return probeDeck;
}

// ---------- the registry ----------

const registered = [];

/**
 * A test: `fn(t)` gets a fresh `Env` (nothing imported, no server yet), sets
 * up what it needs and checks one behaviour. Names must be unique.
 */
export function test(name, fn) {
  if (registered.some((r) => r.name === name)) throw new Error(`two tests are named "${name}"`);
  registered.push({ name, fn });
}

export function registeredTests() {
  return registered;
}

// ---------- the server ----------

/**
 * Starts `notedeck serve` (with `lan`, `serve --lan`: it is still reached
 * only through 127.0.0.1, never at the network address it prints, and its
 * pairing code is kept as `pairPath`).
 */
function startServer(db, lan = false) {
  return new Promise((resolve, reject) => {
    const args = ['--db', db, 'serve', '--port', '0', ...(lan ? ['--lan'] : [])];
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise((r) => child.once('exit', r));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`notedeck serve printed no URL in 20 s.\nstdout: ${out}\nstderr: ${err}`));
    }, 20_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/notedeck is serving http:\/\/[^/\s]*:(\d+)\/\?token=(\w+)\s/);
      const pair = out.match(/pair a [^:]*: http:\/\/[^/\s]+(\/pair\?code=\w+)\s/);
      if (match && (!lan || pair)) {
        clearTimeout(timer);
        const url = `http://127.0.0.1:${match[1]}/`;
        resolve({ child, exited, url, token: match[2], pairPath: pair?.[1] ?? null, stderr: () => err });
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

async function stopServer(server) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5_000);
  await server.exited;
  clearTimeout(timer);
}

/** The Content-Security-Policy the server last sent with the page. */
export let serverCsp = null;

// ---------- one test's world ----------

export class Env {
  constructor(browser) {
    this.browser = browser;
    this.tmp = mkdtempSync(path.join(tmpdir(), 'notedeck-e2e-'));
    this.vault = path.join(this.tmp, 'vault');
    /** The repository's own decks. */
    this.decksDir = path.join(this.vault, 'decks');
    /** The shared real notes, the rendering probe and the tides note. */
    this.moreDir = path.join(this.vault, 'more');
    this.db = path.join(this.tmp, 'c.sqlite3');
    cpSync(path.join(repo, 'decks'), this.decksDir, { recursive: true });
    mkdirSync(this.moreDir, { recursive: true });
    if (existsSync(SHARED_NOTES)) cpSync(SHARED_NOTES, path.join(this.moreDir, 'shared'), { recursive: true });
    writeFileSync(path.join(this.moreDir, 'rendering-probe.md'), PROBE_NOTE);
    writeFileSync(path.join(this.moreDir, 'tides.md'), READING_NOTE);
    mkdirSync(SHOTS, { recursive: true });
    this.server = null;
    this.contexts = [];
    this.pages = [];
    /** Page errors and console errors seen in any of this test's pages. */
    this.problems = [];
    /** CSP violations reported by any document of this test's pages. */
    this.violations = [];
    /** Patterns of problems and violations a test causes on purpose. */
    this.allowed = [];
    this.closed = false;
    /** Set before the server starts: `serve --lan`, with a pairing code. */
    this.lan = false;
  }

  // ----- setup through the CLI (another process on the same collection) -----

  /** Runs `notedeck --db <this collection> ...args`; resolves to its stdout. */
  async cli(...args) {
    if (this.closed) throw new Error('the test is over');
    const { stdout } = await run(BIN, ['--db', this.db, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return stdout;
  }

  /**
   * Imports folders of the vault in one go: 'decks' (the repository's own
   * decks) and 'more' (the shared real notes, the rendering probe and the
   * tides note).
   */
  importNotes(...folders) {
    const dirs = { decks: this.decksDir, more: this.moreDir };
    return this.cli('import', ...folders.map((f) => dirs[f] ?? assert(false, `no folder ${f} in the vault`)));
  }

  /**
   * Writes `count` small notes into `folder` of the vault (made when
   * missing): `note-000.md`… holding `text(i)`, by default a heading and
   * one question section in the project's own words. Returns the folder.
   */
  writeNotes(folder, count, text = (i) => `# Note ${i}\n\n## Question ${i}\n\nAnswer ${i}.\n`) {
    const dir = path.join(this.vault, folder);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `note-${String(i).padStart(3, '0')}.md`), text(i));
    return dir;
  }

  /**
   * Answers the first `count` cards of today's queue (of `deck`, if given)
   * in the terminal, with `grades` in turn and a duration each, as the
   * review screen sends them. Returns the ids answered.
   */
  async answer(count, { grades = ['good'], deck } = {}) {
    const queue = JSON.parse(await this.cli('due', '--json', ...(deck ? ['--deck', deck] : [])));
    const picked = queue.slice(0, count);
    for (const [i, card] of picked.entries()) {
      await this.cli('answer', card.id, grades[i % grades.length], '--duration-ms', String(1200 + 300 * i));
    }
    return picked.map((c) => c.id);
  }

  /** Answers Good until `deck` has nothing left today. */
  async answerAll(deck) {
    for (let round = 0; round < 5; round++) {
      if ((await this.answer(1000, { deck })).length === 0) return;
    }
    throw new Error(`${deck} still has cards due after five rounds of answers`);
  }

  // ----- the server -----

  /** Starts `notedeck serve` on this collection (once). */
  async start() {
    if (this.closed) throw new Error('the test is over');
    this.starting ??= startServer(this.db, this.lan).then((server) => {
      this.server = server;
      this.base = server.url;
      this.token = server.token;
      this.pairPath = server.pairPath;
      return server;
    });
    return this.starting;
  }

  /** A JSON API call with the token header, as scripts make them. */
  async api(route, init = {}) {
    await this.start();
    const response = await fetch(new URL(route, this.base), { ...init, headers: { ...init.headers, 'X-Notedeck-Token': this.token } });
    const text = await response.text();
    if (!response.ok) throw new Error(`${route}: ${response.status} ${text}`);
    return JSON.parse(text);
  }

  post(route, body) {
    return this.api(route, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  // ----- the browser -----

  /** A browser context closed with the test, with none of the page checks. */
  async newContext(options = {}) {
    if (this.closed) throw new Error('the test is over');
    const context = await this.browser.newContext(options);
    this.contexts.push(context);
    if (this.closed) await context.close(); // the test timed out meanwhile
    return context;
  }

  /**
   * A page in a context of its own, under the strict CSP, its errors and CSP
   * violations collected. With the token it has opened the printed URL, as
   * a person does; `theme` is put in its localStorage first.
   */
  async newPage(options = {}, { withToken = true, theme } = {}) {
    await this.start();
    const base = this.base;
    const origin = new URL(base).origin;
    const storageState = theme ? { cookies: [], origins: [{ origin, localStorage: [{ name: 'notedeck.theme', value: theme }] }] } : undefined;
    const context = await this.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, storageState, ...options });
    if (withToken) {
      // As a person does: open the printed URL once. The server answers
      // with the token as a cookie and the address without it (the
      // context's request client shares the browser's cookies).
      const opened = await context.request.get(`${base}?token=${this.token}`, { maxRedirects: 0 });
      assertEqual(opened.status(), 303, 'the printed URL redirects');
      const cookie = opened.headers()['set-cookie'] ?? '';
      assert(/HttpOnly/i.test(cookie) && /SameSite=Strict/i.test(cookie), `the token cookie: ${cookie}`);
    }
    await context.exposeBinding('__notedeckCspViolation', (_source, text) => this.violations.push(text));
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        const text = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`;
        window.__cspViolations.push(text);
        window.__notedeckCspViolation?.(text);
      });
    });
    await context.route(
      (url) => url.origin === origin && (url.pathname === '/' || url.pathname === '/index.html'),
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
    page.on('pageerror', (e) => this.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      // A failed request is logged by Chromium; the error tests cause one on purpose.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) this.problems.push(`console: ${m.text()}`);
    });
    this.pages.push(page);
    return page;
  }

  /**
   * The test's main page (light theme, with the token) and the helpers the
   * tests use, each acting on that page unless given another.
   */
  async open() {
    const page = await this.newPage({}, { theme: 'light' });
    return { page, base: this.base, api: (route, init) => this.api(route, init), ...pageHelpers(page, this.base) };
  }

  /** A problem matching `pattern` is caused on purpose: not a failure. */
  allow(pattern) {
    this.allowed.push(pattern);
  }

  /** Throws if any page of the test had a CSP violation, a page error or a console error. */
  async checkProblems() {
    // A round trip to each page delivers the events it has already sent.
    for (const page of this.pages) await page.evaluate(() => 0).catch(() => {});
    const all = [...this.problems, ...this.violations.map((v) => `CSP: ${v}`)].filter((p) => !this.allowed.some((re) => re.test(p)));
    assert(all.length === 0, `CSP violations, page errors or console errors:\n${all.join('\n')}`);
  }

  /** Closes the browser contexts and the server; removes the files unless kept. Returns notes to print. */
  async close({ keep }) {
    this.closed = true;
    const notes = [];
    const server = this.starting?.then(stopServer, () => {});
    await Promise.all([...this.contexts.map((c) => c.close().catch(() => {})), server]);
    if (this.server) {
      const stderr = this.server.stderr().trim();
      if (keep && stderr) notes.push(`server stderr:\n${stderr.split('\n').slice(-20).join('\n')}`);
    }
    if (keep) notes.push(`kept ${this.tmp} for inspection`);
    else rmSync(this.tmp, { recursive: true, force: true });
    return notes;
  }
}

/** shot, settle, goto, setTheme, bannerText and expectNoBanner on `page` (or the page given last). */
export function pageHelpers(page, base) {
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
    // A page not on the app yet has no storage of the app's own.
    if (!target.url().startsWith(base)) await goto('', target);
    await target.evaluate((t) => localStorage.setItem('notedeck.theme', t), theme);
    await target.reload();
  };
  const bannerText = async (target = page) => (await target.locator('.banner.error').allTextContents()).join(' | ');
  const expectNoBanner = async (what, target = page) => {
    const text = await bannerText(target);
    assert(text === '', `${what}: an error banner says "${text}"`);
  };
  return { shot, settle, goto, setTheme, bannerText, expectNoBanner };
}
