// Desktop end-to-end test: the real notedeck-desktop binary in its real
// webview (WebKitGTK), driven over WebDriver by tauri-driver under Xvfb.
// The window must open on the sample decks; one card is reviewed with the
// keyboard; the answer must then be in the collection (read back with the
// real CLI). Run through `make desktop-test` (it provides Xvfb).
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortPair, startDriver, webdriver } from './tauri-driver.mjs';

const repo = resolve(import.meta.dirname, '../..');
const app = process.env.NOTEDECK_DESKTOP_BIN ?? join(repo, 'target/debug/notedeck-desktop');
const cli = process.env.NOTEDECK_BIN ?? join(repo, 'target/debug/notedeck');
const dir = mkdtempSync(join(tmpdir(), 'notedeck-desktop-'));
const db = join(dir, 'collection.sqlite3');
// tauri-driver listens on `port` and runs WebKitWebDriver on `port + 1`.
const port = freePortPair();
let passed = 0;
let failed = 0;

const driver = startDriver(port, { NOTEDECK_DB: db });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const wd = webdriver(port);

async function waitFor(what, check, timeoutMs = 20000) {
  const start = Date.now();
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function check(name, body) {
  try {
    await body();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`not ok - ${name}: ${err.message}`);
  }
}

let session;
try {
  await waitFor('tauri-driver', async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok);
  session = (await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: app } } },
  })).sessionId;
  const script = (source) => wd('POST', `/session/${session}/execute/sync`, { script: source, args: [] });
  const press = (key) => wd('POST', `/session/${session}/actions`, {
    actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value: key }, { type: 'keyUp', value: key }] }],
  });

  await check('the window opens on the sample decks', async () => {
    await waitFor('the deck list', async () => (await script('return document.body.innerText')).includes('Sample decks'));
  });

  await check('the window runs under the page policy (notedeck_api::page_csp): no eval, no inline style', async () => {
    const outcome = await script(`
      let evaluated = 'blocked';
      try { new Function('return 1')(); evaluated = 'allowed'; } catch (e) { evaluated = 'blocked'; }
      const probe = document.createElement('style');
      probe.textContent = '#csp-probe { width: 123px; }';
      document.head.append(probe);
      const div = document.createElement('div');
      div.id = 'csp-probe';
      document.body.append(div);
      const width = div.getBoundingClientRect().width;
      probe.remove();
      div.remove();
      return evaluated + ' ' + (width === 123 ? 'styled' : 'unstyled');
    `);
    if (outcome !== 'blocked unstyled') throw new Error(`expected eval and an inline <style> to be blocked, got "${outcome}"`);
  });

  // Screenshots of the real window for people to look at (not committed).
  const shots = process.env.NOTEDECK_SHOTS ?? '/tmp/notedeck-shots';
  mkdirSync(shots, { recursive: true });
  const shoot = async (name) => {
    // The text is in the DOM a frame or two before the window shows it.
    await sleep(250);
    const png = await wd('GET', `/session/${session}/screenshot`);
    writeFileSync(join(shots, `desktop-${name}.png`), Buffer.from(png, 'base64'));
  };
  await shoot('decks');

  await check('the Import screen offers the native folder and file pickers', async () => {
    await script("location.hash = '#/import'; return true");
    await waitFor('the picker buttons', async () => {
      const text = await script('return document.body.innerText');
      return text.includes('Choose folder') && text.includes('Choose notes');
    });
    await shoot('import');
  });

  await check('a card is reviewed with the keyboard and saved', async () => {
    await script("location.hash = '#/review'; return true");
    await waitFor('the first card', async () => (await script('return document.body.innerText')).includes('Show answer'));
    await shoot('review-front');
    await press(' ');
    await waitFor('the answer buttons', async () => (await script('return document.body.innerText')).includes('Good'));
    await shoot('review-back');
    await press('3');
    await waitFor('the answer to be saved', async () => {
      const out = execFileSync(cli, ['--db', db, 'check', '--json']).toString();
      return JSON.parse(out).reviews === 1;
    });
    const cards = JSON.parse(execFileSync(cli, ['--db', db, 'cards', '--json']).toString());
    const answered = cards.filter((c) => c.repetitions === 1);
    if (answered.length !== 1) throw new Error(`expected one answered card, found ${answered.length}`);
  });

  await check('Review on your phone: New pairing code serves phones from the app and shows its QR image; the code pairs a phone', async () => {
    await script("location.hash = '#/settings'; return true");
    await waitFor('the pairing button', async () => script("const b = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'New pairing code'); if (!b) return false; b.click(); return true"));
    const url = await waitFor('the pairing code and its QR image', async () => script(
      "const box = document.querySelector('[data-testid=pairing]'); const img = box && box.querySelector('img'); return img && img.complete && img.naturalWidth > 0 ? box.querySelector('.pair-url code').textContent.trim() : null",
    ));
    await script("document.querySelector('section[aria-labelledby=devices-title]').scrollIntoView({ block: 'start' }); return true");
    await sleep(500);
    await shoot('settings-pairing');
    const pair = new URL(url);
    // The phone is simulated through loopback, with the printed address as Host.
    const answer = await new Promise((done, fail) => {
      const request = http.request(
        { host: '127.0.0.1', port: Number(pair.port), path: `${pair.pathname}${pair.search}`, headers: { Host: pair.host, 'User-Agent': 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0' } },
        (response) => {
          response.resume();
          done({ status: response.statusCode, cookie: String(response.headers['set-cookie'] ?? '') });
        },
      );
      request.on('error', fail);
      request.end();
    });
    if (answer.status !== 303 || !answer.cookie.startsWith('notedeck_device=')) throw new Error(`pairing answered ${JSON.stringify(answer)}`);
    await waitFor('the phone to show as paired', async () => (await script('return document.body.innerText')).includes('Firefox on Android is paired'), 15000);
  });

  await check('a card image shows in the desktop window (media:// scheme)', async () => {
    // A note with an image, imported beside the app with the real CLI.
    const notes = join(dir, 'pictures');
    mkdirSync(notes, { recursive: true });
    // A 2x2 PNG, written byte for byte.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR42mP8z8DwnwEIGBkZGRgYAAAkCAMBf1lQEwAAAABJRU5ErkJggg==',
      'base64',
    );
    writeFileSync(join(notes, 'dot.png'), png);
    writeFileSync(join(notes, 'pictures.md'), '# Pictures\n## A dot\n![a dot](dot.png)\n');
    execFileSync(cli, ['--db', db, 'import', notes, '--deck', 'Pictures']);
    await script("location.hash = '#/review?deck=Pictures'; return true");
    await waitFor('the picture card', async () => (await script('return document.body.innerText')).includes('A dot'));
    await press(' ');
    const size = await waitFor('the image to load', async () => {
      const found = await script("const img = [...document.images].find((i) => /media/.test(i.getAttribute('src') ?? '')); return img && img.complete && img.naturalWidth > 0 ? [img.naturalWidth, img.getAttribute('src')] : null");
      return found;
    }, 10000).catch(async (err) => {
      await shoot('image-failure');
      const html = await script("return [...document.images].map((i) => i.outerHTML).join(' ')");
      throw new Error(`${err.message}; images: ${html}`);
    });
    if (size[0] !== 2) throw new Error(`the image loaded at width ${size[0]} from ${size[1]}`);
    if (!size[1].startsWith('media:')) throw new Error(`the image came from ${size[1]}, not the media scheme`);
    await shoot('review-image');
  });
} catch (err) {
  failed += 1;
  console.log(`not ok - desktop session: ${err.message}`);
} finally {
  if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
  driver.kill();
  rmSync(dir, { recursive: true, force: true });
}
// A collection that cannot be opened: the window still opens and says why.
await check('a collection that cannot be opened is explained in the window', async () => {
  const badDir = mkdtempSync(join(tmpdir(), 'notedeck-desktop-bad-'));
  const bad = join(badDir, 'collection.sqlite3');
  writeFileSync(bad, 'These bytes are a shopping list, not a SQLite database.\n'.repeat(20));
  const badPort = port + 4000;
  const badDriver = startDriver(badPort, { NOTEDECK_DB: bad });
  const client = webdriver(badPort);
  let badSession;
  try {
    await waitFor('tauri-driver', async () => (await fetch(`http://127.0.0.1:${badPort}/status`)).ok);
    badSession = (await client('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application: app } } },
    })).sessionId;
    const text = await waitFor('the explanation', async () => {
      const body = await client('POST', `/session/${badSession}/execute/sync`, { script: 'return document.body.innerText', args: [] });
      return body.includes('is not a notedeck collection') ? body : null;
    });
    if (!text.includes(bad)) throw new Error(`the message does not say where the collection is: ${text}`);
    const png = await client('GET', `/session/${badSession}/screenshot`);
    writeFileSync(join(process.env.NOTEDECK_SHOTS ?? '/tmp/notedeck-shots', 'desktop-bad-collection.png'), Buffer.from(png, 'base64'));
  } finally {
    if (badSession) await client('DELETE', `/session/${badSession}`).catch(() => {});
    badDriver.kill();
    rmSync(badDir, { recursive: true, force: true });
  }
});
// `--review DECK`: the window opens on that deck's review, its first card
// shown from the answers the app made while the window was being built
// (window.__notedeckLaunch, taken once per tab), and a reload asks afresh.
await check('--review opens on the first card from the launch answers, taken once per tab', async () => {
  const launchDir = mkdtempSync(join(tmpdir(), 'notedeck-desktop-launch-'));
  const launchPort = port + 6000;
  const launchDriver = startDriver(launchPort, { NOTEDECK_DB: join(launchDir, 'collection.sqlite3') });
  const client = webdriver(launchPort);
  let launchSession;
  try {
    await waitFor('tauri-driver', async () => (await fetch(`http://127.0.0.1:${launchPort}/status`)).ok);
    launchSession = (await client('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application: app, args: ['--review', 'Sample decks'] } } },
    })).sessionId;
    const run = (source) => client('POST', `/session/${launchSession}/execute/sync`, { script: source, args: [] });
    await waitFor('the first card', async () => (await run('return document.body.innerText')).includes('Show answer'));
    const taken = await run("return [sessionStorage.getItem('notedeck-launch-taken'), location.hash, window.__notedeckLaunch === undefined]");
    if (taken[0] === null) throw new Error('the first card was not shown from the launch answers');
    if (taken[1] !== '#/review?deck=Sample%20decks') throw new Error(`the window opened on ${taken[1]}`);
    if (!taken[2]) throw new Error('the launch answers were left on the window after they were taken');
    // The first card is answered; a reload runs the script again, and the
    // page must ask afresh (stale answers would show the answered card).
    const firstCard = "const a = document.querySelector('.review-card a[data-card]'); return a ? a.getAttribute('data-card') : null";
    const first = await run(firstCard);
    const key = (value) => client('POST', `/session/${launchSession}/actions`, {
      actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }],
    });
    await key(' ');
    await waitFor('the answer buttons', async () => (await run('return document.body.innerText')).includes('Good'));
    await key('3');
    await waitFor('the answer to be saved', async () => {
      const out = execFileSync(cli, ['--db', join(launchDir, 'collection.sqlite3'), 'check', '--json']).toString();
      return JSON.parse(out).reviews === 1;
    });
    await run('window.__beforeReload = true; location.reload(); return true');
    const after = await waitFor('the first card after the reload', async () => run(`if (window.__beforeReload) return null; ${firstCard}`));
    if (after === first) throw new Error(`after a reload the answered card ${first} came first again: the launch answers were used twice`);
  } finally {
    if (launchSession) await client('DELETE', `/session/${launchSession}`).catch(() => {});
    launchDriver.kill();
    rmSync(launchDir, { recursive: true, force: true });
  }
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
