// The Settings screen.

import path from 'node:path';

import { SHOTS, assert, assertEqual, test } from '../lib.mjs';

test('Settings: limits save and the theme applies', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot } = await t.open();
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
  assertEqual((await api('api/settings')).new_per_day, 25, 'new_per_day');
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

test('Scheduler: FSRS chosen in Settings replays the log (cards carry its state), Statistics shows it, SM-2 again gives every card back', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(8, { grades: ['good', 'again', 'easy', 'hard'] });
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  const before = await api('api/cards');
  await goto('#/settings');
  await page.getByRole('radio', { name: /FSRS/ }).check();
  await page.getByLabel("FSRS's desired retention").fill('0.99');
  await page.locator('.field-error', { hasText: '0.70 to 0.97' }).waitFor();
  assert(await page.getByRole('button', { name: 'Apply' }).isDisabled(), 'Apply is off while the retention is wrong');
  await page.getByLabel("FSRS's desired retention").fill('0.85');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText(/Now scheduling with FSRS/).waitFor();
  const settings = await api('api/settings');
  assertEqual(settings.scheduler, 'fsrs', 'scheduler');
  assertEqual(settings.desired_retention, 0.85, 'desired retention');
  // Reading cards are read, not recalled: they carry no memory state.
  const answered = (await api('api/cards')).filter((c) => c.due !== null && c.kind !== 'reading');
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
  const after = await api('api/cards');
  const state = (c) => JSON.stringify([c.id, c.due, c.interval_days, c.ease_factor, c.repetitions, c.lapses, c.stability]);
  assertEqual(after.map(state).join(), before.map(state).join(), 'every card as it was');
  await expectNoBanner('scheduler');
});

test('Settings: web images can be turned off, and the page then blocks them', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, settle } = await t.open();
  await goto('#/settings');
  const box = page.getByLabel('Show images from the web in cards');
  await box.waitFor();
  assert(await box.isChecked(), 'on by default');
  await box.uncheck();
  await page.getByText('Saved.', { exact: false }).first().waitFor();
  assertEqual((await api('api/settings')).remote_images, false, 'stored');
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
  t.allow(/example\.invalid/);
  const tasks = page.getByLabel('Only tasks (a to-do list)');
  assert(await tasks.isChecked(), 'to-do lists are skipped by default');
  await tasks.uncheck();
  await page.getByText('The next import applies it.', { exact: false }).waitFor();
  assertEqual((await api('api/settings')).skip_rules.only_tasks, false, 'the skip rule is stored');
  await tasks.check();
  await page.getByText('The next import applies it.', { exact: false }).waitFor();
  await shot('settings-images-off');
  await box.check();
  await page.getByText('Reload the page', { exact: false }).waitFor();
  assertEqual((await api('api/settings')).remote_images, true, 'stored again');
  await page.reload();
  await settle(page);
});

test('Phone: a phone pairs once by its code (no token), Settings lists it, and Forget this device shuts it out', async (t) => {
  t.lan = true;
  await t.importNotes('decks');
  await t.start();
  assert(t.pairPath, 'serve --lan printed a pairing URL');
  const phone = await t.newPage(
    {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0',
    },
    { withToken: false },
  );
  await phone.goto(new URL(t.pairPath, t.base).href);
  await phone.getByRole('heading', { name: 'Decks' }).waitFor();
  const cookies = await phone.context().cookies();
  const device = cookies.find((c) => c.name === 'notedeck_device');
  assert(device && device.httpOnly && device.sameSite === 'Strict', `the device cookie: ${JSON.stringify(device)}`);
  assert(!cookies.some((c) => c.name.startsWith('notedeck_token')), 'the phone never held the server token');
  // Made for a thumb: nothing scrolls sideways, the answer buttons sit
  // in one row, each at least 44 px tall.
  assertEqual(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'the deck list fits the phone');
  await phone.goto(new URL('#/review', t.base).href);
  await phone.getByRole('button', { name: /Show answer/ }).click();
  const buttons = await phone.locator('.answer-button').evaluateAll((all) => all.map((b) => b.getBoundingClientRect()).map((r) => [Math.round(r.top), r.height]));
  assertEqual(buttons.length, 4, 'four answer buttons');
  assert(buttons.every(([top, height]) => top === buttons[0][0] && height >= 44), `one row of buttons at least 44 px tall: ${JSON.stringify(buttons)}`);
  assertEqual(await phone.evaluate(() => document.documentElement.scrollWidth), 390, 'the review fits the phone');
  await phone.screenshot({ path: path.join(SHOTS, 'phone-review-back-light.png') });
  const again = await phone.evaluate(async (path) => (await fetch(path, { redirect: 'manual' })).status, t.pairPath);
  assertEqual(again, 403, 'the code works once');
  const { page, goto } = await t.open();
  await goto('#/settings');
  await page.getByText('Firefox on Android').waitFor();
  await page.locator('section[aria-labelledby="devices-title"]').screenshot({ path: path.join(SHOTS, 'settings-devices-light.png') });
  await page.getByRole('button', { name: 'Forget this device' }).click();
  await page.getByText('Firefox on Android is forgotten').waitFor();
  const refused = await phone.evaluate(async () => (await fetch('/api/decks')).status);
  assertEqual(refused, 403, 'a forgotten device is refused');
});
