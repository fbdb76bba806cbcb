// Settings → Sync: a folder set from the page, another computer's answer
// merged by Sync now, the other computer listed.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { BIN, SHOTS, assert, assertEqual, test } from '../lib.mjs';

const run = promisify(execFile);

test('Sync: a folder set in Settings, another computer\'s answer merged by Sync now, that computer listed', async (t) => {
  await t.importNotes('decks');
  const folder = mkdtempSync(path.join(tmpdir(), 'notedeck-sync-'));
  // The other computer: its own collection of the same decks, answering
  // one card and syncing through the folder.
  const other = path.join(t.tmp, 'other.sqlite3');
  await run(BIN, ['--db', other, 'import', t.decksDir]);
  const due = JSON.parse((await run(BIN, ['--db', other, 'due', '--json'])).stdout);
  await run(BIN, ['--db', other, 'answer', due[0].id, 'good']);
  await run(BIN, ['--db', other, 'sync', '--folder', folder]);

  const { page, goto } = await t.open();
  await goto('#/settings');
  const panel = page.locator('section[aria-labelledby="sync-title"]');
  await panel.getByLabel('Folder your sync carries').fill(folder);
  await panel.getByRole('button', { name: 'Sync through this folder' }).click();
  await panel.getByText('Sync is on').waitFor();
  await panel.getByText('1 record merged').waitFor();
  const check = JSON.parse(await t.cli('check', '--json'));
  assertEqual(check.reviews, 1, 'the other computer\'s answer is in this collection');
  assert(check.ok, 'and the log replays');
  mkdirSync(SHOTS, { recursive: true });
  await panel.screenshot({ path: path.join(SHOTS, 'settings-sync-light.png') });
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await panel.getByText('Synced:').waitFor();
  await panel.getByRole('button', { name: 'Turn sync off' }).click();
  await panel.getByLabel('Folder your sync carries').waitFor();
});
