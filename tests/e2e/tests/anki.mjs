// Import: an Anki package typed as a path is previewed (nothing written),
// then imported with its progress; its report names the note types and
// the progress kept, and the cards are there.

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SHOTS, assert, assertEqual, test } from '../lib.mjs';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/anki/sm2-current.apkg');

test('Import: an Anki package previewed, then imported with its progress', async (t) => {
  const { page, goto } = await t.open();
  await goto('#/import');
  await page.getByLabel('Folders or notes').fill(FIXTURE);
  await page.getByRole('button', { name: 'Preview' }).click();
  const report = page.locator('#anki-report');
  await report.getByText('Anki package: nothing was written yet').waitFor();
  await report.getByText('9 notes, 11 cards, 45 reviews').waitFor();
  await report.getByText('Basic (and reversed card)').waitFor();
  const into = path.join(path.dirname(t.db), 'Anki');
  assert(!existsSync(into), 'a preview writes nothing');

  // The import streams its progress, as a notes import does.
  const streamed = page.waitForRequest((r) => r.url().includes('/api/anki/import/stream'));
  await report.getByRole('button', { name: 'Import' }).click();
  await streamed;
  await page.locator('#anki-report').getByText('From Anki').waitFor();
  await page.locator('#anki-report').getByText('Progress kept: 9 cards').waitFor();
  assert(existsSync(path.join(into, 'Biology', 'Cells.md')), 'notes written beside the collection');
  const check = JSON.parse(await t.cli('check', '--json'));
  assertEqual(check.reviews, 43, "Anki's answers are in the log");
  assert(check.ok, 'and the log replays');
  mkdirSync(SHOTS, { recursive: true });
  await page.locator('#anki-report').screenshot({ path: path.join(SHOTS, 'import-anki-light.png') });
});
