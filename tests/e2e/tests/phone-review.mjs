import path from 'node:path';
import { SHOTS, assert, assertEqual, test, until } from '../lib.mjs';

/** A paired phone: 390×844, touch, opened by the pairing URL at 127.0.0.1. */
async function pairedPhone(t) {
  t.lan = true;
  await t.start();
  const phone = await t.newPage(
    {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36',
    },
    { withToken: false },
  );
  await phone.goto(new URL(t.pairPath, t.base).href);
  await phone.getByRole('heading', { name: 'Decks' }).waitFor();
  return phone;
}

/** How many answers the log holds (through the CLI, another process). */
async function logged(t) {
  return JSON.parse(await t.cli('check', '--json')).reviews;
}

test('Phone: ten cards reviewed by tapping the card and the buttons show in the statistics', async (t) => {
  await t.importNotes('decks');
  const phone = await pairedPhone(t);
  await phone.goto(new URL('#/review', t.base).href);
  // "Open note" cannot open a file on a phone: the note is shown read-only,
  // at this card.
  await phone.getByRole('link', { name: 'Open note' }).tap();
  const view = phone.getByRole('dialog');
  await view.waitFor();
  const marked = view.locator('.current');
  assertEqual(await marked.count(), 1, 'the card it was opened from is marked');
  assert(await marked.isVisible(), 'and in view');
  await phone.screenshot({ path: path.join(SHOTS, 'phone-note-view-light.png') });
  assertEqual(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'the note view fits the phone');
  await view.getByRole('button', { name: 'Close' }).tap();
  await view.waitFor({ state: 'detached' });
  for (let i = 0; i < 10; i++) {
    const card = phone.locator('article.review-card');
    await card.waitFor();
    // The front answers a tap anywhere on the card.
    await card.locator('.front-face').tap();
    await phone.locator('.answer-button.good').tap();
  }
  await until(async () => (await logged(t)) === 10, 'ten answers logged');
  await phone.goto(new URL('#/stats', t.base).href);
  const reviews = phone.getByTestId('stat-reviews');
  await reviews.waitFor();
  assertEqual((await reviews.textContent())?.trim(), '10', 'the statistics count the ten answers');
  assertEqual(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'the statistics fit the phone');
});

test('Phone: answers given offline wait in the page, are sent once when the network returns, and a lost reply is not answered twice', async (t) => {
  await t.importNotes('decks');
  const phone = await pairedPhone(t);
  await phone.goto(new URL('#/review', t.base).href);
  const answerOne = async () => {
    await phone.getByRole('button', { name: /Show answer/ }).tap();
    await phone.locator('.answer-button.good').tap();
  };
  // The first answer reaches notedeck, but its reply is lost: the page
  // sends it again, and it is recorded once.
  let lost = 0;
  await phone.context().route('**/api/answer', async (route) => {
    if (lost === 0) {
      lost++;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await answerOne();
  const keptInPage = () => phone.evaluate(() => JSON.parse(localStorage.getItem('notedeck.pendingAnswers') ?? '[]').length);
  await until(async () => lost === 1 && (await keptInPage()) === 0, 'the answer whose reply was lost is sent again and then let go');
  assertEqual(await logged(t), 1, 'the answer sent twice is recorded once');
  await phone.context().unroute('**/api/answer');

  // Off the network: three answers wait, the page says so.
  await phone.context().setOffline(true);
  for (let i = 0; i < 3; i++) await answerOne();
  const notice = phone.locator('[data-testid="offline"]');
  await notice.waitFor();
  await until(async () => /3 answers wait/.test((await notice.textContent()) ?? ''), 'three answers shown as waiting').catch(async (e) => { throw new Error(`${e.message}: ${await notice.textContent()}`); });
  await phone.screenshot({ path: path.join(SHOTS, 'phone-offline-light.png') });
  assertEqual(await logged(t), 1, 'nothing more is recorded while offline');
  // Kept in the page's storage too, for a tab the browser closes.
  assertEqual(await keptInPage(), 3, 'the waiting answers are kept in storage');

  await phone.context().setOffline(false);
  await notice.waitFor({ state: 'detached' });
  await until(async () => (await logged(t)) === 4, 'the three waiting answers recorded, once each');
  await until(async () => (await phone.evaluate(() => localStorage.getItem('notedeck.pendingAnswers'))) === null, 'nothing is kept once recorded');
  const check = JSON.parse(await t.cli('check', '--json'));
  assertEqual(check.ok, true, 'the log replays to the cards');
  t.allow(/ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_RESET|Failed to fetch/);
});

test('Phone: Settings on the computer makes a new pairing code with its QR image, and the phone that opens it shows up as paired', async (t) => {
  t.lan = true;
  await t.importNotes('decks');
  const { page, goto } = await t.open();
  await goto('#/settings');
  await page.getByRole('button', { name: 'New pairing code' }).click();
  const pairing = page.getByTestId('pairing');
  await pairing.waitFor();
  const image = pairing.getByRole('img', { name: 'QR code of the pairing address' });
  assert((await image.evaluate((img) => img.naturalWidth)) > 0, 'the QR code image loads under the page policy');
  const url = new URL((await pairing.locator('.pair-url code').textContent()).trim());
  assert(/^\/pair$/.test(url.pathname) && url.searchParams.get('code'), `a pairing URL: ${url}`);
  await page.locator('section[aria-labelledby="devices-title"]').screenshot({ path: path.join(SHOTS, 'settings-pairing-light.png') });
  // The phone reaches this machine through loopback (never its network address).
  const phone = await t.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, { withToken: false });
  await phone.goto(new URL(`${url.pathname}${url.search}`, t.base).href);
  await phone.getByRole('heading', { name: 'Decks' }).waitFor();
  await page.getByText('is paired: it opens notedeck from now on').waitFor();
  assertEqual(await pairing.count(), 0, 'the code is put away once used');
  // A paired phone cannot make codes: that is done at the computer.
  const refused = await phone.evaluate(async () => (await fetch('/api/pairing', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
  assertEqual(refused, 403, 'a phone is refused a pairing code');
});

test('Phone: answers left waiting by a tab closed while offline are sent, once, when the page is opened again', async (t) => {
  await t.importNotes('decks');
  const phone = await pairedPhone(t);
  await phone.goto(new URL('#/review', t.base).href);
  await phone.getByRole('button', { name: /Show answer/ }).waitFor();
  await phone.context().setOffline(true);
  for (let i = 0; i < 2; i++) {
    await phone.getByRole('button', { name: /Show answer/ }).tap();
    await phone.locator('.answer-button.good').tap();
  }
  await phone.getByTestId('offline').waitFor();
  const context = phone.context();
  await phone.close();
  await context.setOffline(false);
  assertEqual(await logged(t), 0, 'nothing reached notedeck before the tab closed');
  const again = await context.newPage();
  await again.goto(new URL('#/decks', t.base).href);
  await until(async () => (await logged(t)) === 2, 'the two kept answers recorded when the page opens');
  await until(async () => (await again.evaluate(() => localStorage.getItem('notedeck.pendingAnswers'))) === null, 'and let go');
  t.allow(/ERR_INTERNET_DISCONNECTED|Failed to fetch/);
});
