// Every screen in the dark theme.

import { assertEqual, findProbeDeck, test, until } from '../lib.mjs';

test('Screenshots: every screen in the dark theme', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  // The probe deck is done for today.
  const probeDeck = await findProbeDeck(t);
  await t.answerAll(probeDeck);
  const { page, goto, shot, settle, setTheme } = await t.open();
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
  await page.getByLabel('Folders or notes').fill(`${t.decksDir}\n${t.moreDir}`);
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
});
