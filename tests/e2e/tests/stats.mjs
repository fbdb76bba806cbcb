// The Statistics screen and its downloads.

import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SHOTS, assert, assertEqual, findProbeDeck, test, until } from '../lib.mjs';

test('Statistics: the answers show in numbers, charts and the heatmap', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  const { page, api, goto, shot, settle, expectNoBanner } = await t.open();
  const probeDeck = await findProbeDeck(t);
  await goto('#/stats');
  const reviews = page.getByTestId('stat-reviews');
  await reviews.waitFor();
  const answers = (await api('api/summary')).answers;
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

test('Statistics: Export reviews (CSV) downloads the review log', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  const { page, api, goto } = await t.open();
  await goto('#/stats');
  await page.getByTestId('stat-reviews').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export reviews (CSV)' }).click()]);
  const file = await download.path();
  const text = readFileSync(file, 'utf8');
  const lines = text.trim().split(/\r?\n/);
  assert(lines[0].startsWith('review_id'), `the header starts with review_id: ${lines[0].slice(0, 80)}`);
  const answers = (await api('api/summary')).answers;
  assertEqual(lines.length - 1, answers, 'rows in the export');
  const header = lines[0].split(',');
  const duration = header.indexOf('duration_ms');
  // duration_ms comes before session and FSRS's two columns (appended
  // later), after any quoted heading: counted from the end.
  assertEqual(duration, header.length - 4, 'duration_ms is the fourth column from the end');
  assert(lines.slice(1).every((l) => /\d/.test(l.split(',').at(-4))), 'every answer has its duration');
});

test('Statistics: the progress report downloads, and opens with no script and no request', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  const { page, goto } = await t.open();
  await goto('#/stats');
  await page.getByTestId('stat-reviews').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Progress report (HTML)' }).click()]);
  const file = await download.path();
  const html = readFileSync(file, 'utf8');
  assert(!/<script/i.test(html), 'the report holds no script');
  assert(html.includes("default-src 'none'"), 'the report forbids every request itself');
  const report = `${file}.html`;
  copyFileSync(file, report);
  const offline = await t.newContext({ javaScriptEnabled: false });
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

test('Statistics: the decks table shows 100 decks, then more on request', async (t) => {
  await t.cli('import', t.writeNotes('shelf', 120));
  const { page, goto, expectNoBanner } = await t.open();
  await goto('#/stats');
  const table = page.getByRole('region', { name: 'Decks' });
  await table.locator('.show-more').waitFor();
  const rows = () => table.locator('tbody tr').count();
  assertEqual(await rows(), 100, 'rows shown at first');
  assert((await table.locator('.show-more').textContent()).includes('100 decks of 120 shown'), 'says how many are shown');
  await table.getByRole('button', { name: 'Show 20 more decks' }).click();
  assertEqual(await rows(), 120, 'every deck');
  await expectNoBanner('many decks');
});
