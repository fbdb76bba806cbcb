// Every screen on a phone: a 390 px touch screen.

import path from 'node:path';

import { SHOTS, assert, assertEqual, pageHelpers, test, until } from '../lib.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

test('Phone: every screen fits 390 px with no sideways scroll, the heatmap opens on the current weeks, and the card browser shows a card\'s details on tap', async (t) => {
  await t.importNotes('decks', 'more');
  // Answers, so that Statistics and the card browser have a history to show.
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  const deck = (await t.api('api/decks'))[0].name;
  const phone = await t.newPage(PHONE, { theme: 'light' });
  const { goto } = pageHelpers(phone, t.base);
  const fits = async (what) => {
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 390, `${what} is ${width} px wide on a 390 px phone`);
  };
  const screens = [
    ['#/', 'Decks'],
    ['#/review', 'All decks'],
    ['#/study', 'Study more'],
    ['#/health', 'Card health'],
    ['#/import', 'Import'],
    ['#/settings', 'Settings'],
    [`#/options?deck=${encodeURIComponent(deck)}`, 'Deck options'],
  ];
  for (const [hash, heading] of screens) {
    await goto(hash);
    await phone.getByRole('heading', { name: heading, exact: true }).first().waitFor();
    await fits(hash);
  }

  // Statistics: the heatmap's box scrolls, and opens at its right end (today).
  await goto('#/stats');
  await phone.getByTestId('stat-reviews').waitFor();
  await fits('#/stats');
  const heatmap = await phone.locator('.heatmap-scroll').evaluate((box) => ({ left: box.scrollLeft, width: box.clientWidth, all: box.scrollWidth }));
  assert(heatmap.all > heatmap.width, `the year does not fit the phone, so its box scrolls: ${JSON.stringify(heatmap)}`);
  assert(heatmap.left + heatmap.width >= heatmap.all - 1, `the heatmap opens scrolled to the current weeks: ${JSON.stringify(heatmap)}`);
  await phone.screenshot({ path: path.join(SHOTS, 'phone-stats-light.png') });

  // The card browser: a list; a tap shows the card in its place, with a
  // way back to the list.
  await goto('#/browse');
  const rows = phone.locator('.browse-row .browse-front');
  await rows.first().waitFor();
  await fits('#/browse');
  const back = phone.getByRole('button', { name: 'Back to the list' });
  assert(!(await back.isVisible()), 'the list shows first, without a way back');
  const front = (await rows.nth(1).textContent()).trim();
  await rows.nth(1).tap();
  await back.waitFor();
  await phone.locator('.browse-schedule').waitFor();
  await phone.locator('.browse-history-title').waitFor();
  assert(!(await phone.locator('.browse-list').isVisible()), 'the card takes the list’s place');
  assertEqual((await phone.locator('.browse-row.active .browse-front').textContent()).trim(), front, 'the card tapped is the card shown');
  await fits('a card in the browser');
  await phone.screenshot({ path: path.join(SHOTS, 'phone-card-details-light.png') });
  await back.tap();
  await phone.locator('.browse-list').waitFor();
  await until(async () => !(await back.isVisible()), 'Back to the list did not go back');
});
