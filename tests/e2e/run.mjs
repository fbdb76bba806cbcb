#!/usr/bin/env node
// Browser end-to-end tests of the notedeck web UI, each against its own
// `notedeck serve` on its own temporary collection.
//
//   node tests/e2e/run.mjs               (or `npm run e2e` in ui/)
//   node tests/e2e/run.mjs --grep TEXT   only the tests whose name contains TEXT
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
// pages fails it.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, CHROMIUM, Env, SHARED_NOTES, SHOTS, TEST_TIMEOUT, chromium, registeredTests, serverCsp, withTimeout } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { grep: null, jobs: 1 };
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
    const notes = env ? await env.close({ keep: error !== null }) : [];
    if (process.env.E2E_TIMES) console.log(`# ${Date.now() - t0} ms ${name}`);
    if (error === null) {
      passed++;
      console.log(`ok - ${name}`);
    } else {
      failed++;
      const lines = [`not ok - ${name}`, indent(String(error?.stack ?? error).split('\n').slice(0, 6).join('\n'))];
      if (error.also) lines.push(indent(error.also));
      for (const note of notes) lines.push(indent(`# ${note.split('\n').join('\n# ')}`));
      console.log(lines.join('\n'));
    }
  }

  try {
    const queue = [...tests];
    const worker = async () => {
      while (queue.length > 0) await runTest(queue.shift());
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  } catch (err) {
    failed++;
    console.log(`not ok - setup: ${err?.stack ?? err}`);
  } finally {
    await (await browser)?.close().catch(() => {});
  }
  if (serverCsp) console.log(`# the server's CSP: ${serverCsp}`);
  else console.log('# the server sent no Content-Security-Policy');
  console.log(`# screenshots in ${SHOTS}`);
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main();
