// What the page says when something fails.

import { assert, assertEqual, test } from '../lib.mjs';

test('Errors: an API failure shows its message, not a blank screen', async (t) => {
  await t.importNotes('decks');
  const { page, goto, shot, bannerText } = await t.open();
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

test('Errors: a lost connection during review says so and can be retried', async (t) => {
  await t.importNotes('decks');
  const { page, goto, bannerText } = await t.open();
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
