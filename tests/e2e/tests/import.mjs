// The Import screen.

import { existsSync } from 'node:fs';
import { SHARED_NOTES, assert, assertEqual, test } from '../lib.mjs';

test('Import: preview then import the decks folder', async (t) => {
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/');
  await page.getByRole('navigation').getByRole('link', { name: 'Import' }).click();
  await page.getByLabel('Folders or notes').fill(t.decksDir);
  await page.getByRole('button', { name: 'Preview' }).click();
  const report = page.locator('#import-report[data-dry-run="true"]');
  await report.waitFor();
  const rows = await report.locator('tbody tr:not(.details-row)').count();
  assertEqual(rows, 2, 'notes in the preview');
  assert((await report.textContent()).includes('nothing was written'), 'the preview says nothing was written');
  const decksBefore = await api('api/decks');
  assertEqual(decksBefore.length, 0, 'decks after a dry run');
  await shot('import-preview-light');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#import-report[data-dry-run="false"]').waitFor();
  const decks = await api('api/decks');
  assert(decks.length === 1 && decks[0].total > 0, `decks after the import: ${JSON.stringify(decks).slice(0, 200)}`);
  await expectNoBanner('import');
});

test('Import: a folder with the shared notes reports warnings and skipped sections', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/import');
  await page.getByLabel('Folders or notes').fill(t.moreDir);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.locator('#import-report[data-dry-run="false"]');
  await report.waitFor();
  const rows = await report.locator('tbody tr:not(.details-row)').count();
  assert(rows >= 2, `notes in the report: ${rows}`);
  if (existsSync(SHARED_NOTES)) {
    const text = await report.textContent();
    assert(text.includes('Warning'), 'the report shows warnings');
    assert(text.includes('Skipped'), 'the report shows skipped sections');
  }
  await shot('import-report-light');
  const decks = await api('api/decks');
  const more = decks.find((d) => d.short_name === 'more');
  const probeDeck = more?.children.find((d) => d.short_name === 'Rendering probe')?.name ?? '';
  assert(probeDeck, `no Rendering probe deck in ${JSON.stringify(decks.map((d) => d.name))}`);
  await expectNoBanner('second import');
  // Refresh all notes (no paths) works too.
  await page.getByRole('button', { name: 'Refresh all notes' }).click();
  await page.locator('#import-report[data-dry-run="false"]').waitFor();
  await expectNoBanner('refresh');
});

test('Import: a report of many notes shows its first 200 rows, the rest on request', async (t) => {
  const many = t.writeNotes('many', 250);
  const { page, goto, expectNoBanner } = await t.open();
  await goto('#/import');
  await page.getByLabel('Folders or notes').fill(many);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const report = page.locator('#import-report[data-dry-run="false"]');
  await report.waitFor();
  const rows = () => report.locator('tbody tr:not(.details-row)').count();
  assertEqual(await rows(), 200, 'rows shown at first');
  assert((await report.textContent()).includes('250 notes:'), 'the summary counts every note');
  assert((await report.locator('.show-more').textContent()).includes('200 notes of 250 shown'), 'says how many are shown');
  await page.getByRole('button', { name: 'Show 50 more notes' }).click();
  assertEqual(await rows(), 250, 'rows after Show more');
  assertEqual(await report.locator('.show-more').count(), 0, 'nothing more to show');
  await expectNoBanner('many notes');
});
