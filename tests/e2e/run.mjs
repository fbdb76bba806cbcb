#!/usr/bin/env node
// Browser end-to-end tests of the notedeck web UI, each against its own
// `notedeck serve` on its own temporary collection.
//
//   node tests/e2e/run.mjs               (or `npm run e2e` in ui/)
//   node tests/e2e/run.mjs --grep TEXT   only the tests whose name contains TEXT
//   node tests/e2e/run.mjs --jobs 1      one test at a time (2 by default)
//
// Needs `target/debug/notedeck` (NOTEDECK_BIN overrides it), ui/dist built
// into that binary, and Debian's Chromium at /usr/bin/chromium (CHROMIUM
// overrides it). Screenshots of every screen, light and dark, go to
// /tmp/notedeck-shots (NOTEDECK_SHOTS overrides it). One `ok - name` or
// `not ok - name` line per test; the last line is `N passed, M failed`; the
// exit status is non-zero on any failure.
//
// The tests are in tests/*.mjs, grouped by screen; lib.mjs has what they
// share. Every test gets a fresh `Env` (lib.mjs): its own vault and
// collection, its own server, its own browser contexts (one Chromium serves
// them all), and sets up what it needs itself, mostly through the CLI. After
// each test, a CSP violation, page error or console error in any of its
// pages fails it. Two tests run at a time: most of a test is waiting (for
// the page to settle, for the server), and a fresh context, server and page
// load per test cost about a second each; the verdicts are printed in the
// tests' order all the same. See README.md.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, CHROMIUM, Env, SHARED_NOTES, SHOTS, TEST_TIMEOUT, chromium, registeredTests, serverCsp, withTimeout } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { grep: null, jobs: 2 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--grep') args.grep = argv[++i] ?? '';
    else if (argv[i].startsWith('--grep=')) args.grep = argv[i].slice('--grep='.length);
    else if (argv[i] === '--jobs') args.jobs = Number(argv[++i]);
    else if (argv[i].startsWith('--jobs=')) args.jobs = Number(argv[i].slice('--jobs='.length));
    else {
      console.log(`usage: node tests/e2e/run.mjs [--grep TEXT] [--jobs N]  (unknown argument: ${argv[i]})`);
      process.exit(2);
    }
  }
  return args;
}

function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** An error's message (its first 12 lines) and where it was thrown (3 frames, the tests' own first). */
function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const message = `${error.name}: ${error.message}`.split('\n');
  const all = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  const ours = all.filter((l) => l.includes('/tests/e2e/'));
  const frames = ours.length > 0 ? ours : all;
  const shown = message.length > 12 ? [...message.slice(0, 12), `… (${message.length - 12} more lines)`] : message;
  return [...shown, ...frames.slice(0, 3).map((f) => `  ${f.trim()}`)].join('\n');
}

function indent(text) {
  return `  ${String(text).split('\n').join('\n  ')}`;
}

async function main() {
  const { grep, jobs } = parseArgs(process.argv.slice(2));
  if (!(Number.isInteger(jobs) && jobs >= 1)) {
    console.log('usage: --jobs takes a whole number, 1 or more');
    process.exit(2);
  }
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

  const dir = path.join(here, 'tests');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
    await import(pathToFileURL(path.join(dir, file)).href);
  }
  const tests = registeredTests().filter((t) => grep === null || t.name.includes(grep));
  if (tests.length === 0) {
    console.log(`not ok - no test name contains "${grep}"`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }

  console.log(`# ${tests.length} tests with ${BIN}${jobs > 1 ? `, ${jobs} at a time` : ''}`);
  if (!existsSync(SHARED_NOTES)) console.log(`# ${SHARED_NOTES} is missing: the second import has only the probe note`);
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  // One Chromium for every test; a new one if it went away.
  let browser = null;
  const getBrowser = async () => {
    const current = browser;
    if (current && (await current).isConnected()) return current;
    if (browser === current) browser = launch();
    return browser;
  };

  /** Runs one test in its own Env; resolves to its verdict and what to print. */
  async function runTest({ name, fn }) {
    const t0 = Date.now();
    let error = null;
    let env = null;
    let ran = false;
    try {
      env = new Env(await getBrowser());
      const run = Promise.resolve().then(() => fn(env));
      run.catch(() => {}); // still running after a time-out: its later failure is not news
      await withTimeout(run, TEST_TIMEOUT, name);
      ran = true;
      await env.checkProblems();
    } catch (err) {
      error = err;
      // A failure is easier to read with what else went wrong in the page.
      if (env && !ran) await env.checkProblems().catch((more) => (error.also = more.message));
    }
    const notes = env ? await env.close({ keep: error !== null }).catch((e) => [`cleanup: ${e.message}`]) : [];
    const ms = Date.now() - t0;
    if (error === null) return { ok: true, ms, text: `ok - ${name}` };
    const lines = [`not ok - ${name}`, indent(describe(error))];
    if (error.also) lines.push(indent(error.also));
    for (const note of notes) lines.push(indent(`# ${note.split('\n').join('\n# ')}`));
    return { ok: false, ms, text: lines.join('\n') };
  }

  // `jobs` workers take the tests in turn; the verdicts are printed in the
  // tests' order, each as soon as those before it are printed.
  const verdicts = new Array(tests.length);
  let printed = 0;
  const flush = () => {
    for (; printed < tests.length && verdicts[printed]; printed++) {
      const verdict = verdicts[printed];
      if (verdict.ok) passed++;
      else failed++;
      console.log(verdict.text);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < tests.length) {
      const index = next++;
      verdicts[index] = await runTest(tests[index]);
      flush();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, tests.length) }, worker));
  } catch (err) {
    failed++;
    console.log(`not ok - the runner: ${err?.stack ?? err}`);
  } finally {
    await (await browser)?.close().catch(() => {});
  }
  const slowest = tests
    .map((t, i) => ({ name: t.name, ms: verdicts[i]?.ms ?? 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  console.log(`# slowest: ${slowest.map((t) => `${(t.ms / 1000).toFixed(1)} s ${t.name}`).join('; ')}`);
  if (serverCsp) console.log(`# the server's CSP: ${serverCsp}`);
  else console.log('# the server sent no Content-Security-Policy');
  console.log(`# screenshots in ${SHOTS}`);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
