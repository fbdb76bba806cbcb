// The Card health screen.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROBE_NOTE, assert, assertEqual, findProbeDeck, test, until } from '../lib.mjs';

test('Card health: the doctor lists weak cards, each leading to its note', async (t) => {
  await t.importNotes('decks', 'more');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  const probeDeck = await findProbeDeck(t);
  await goto('#/import');
  await page.getByLabel('Folders or notes').fill(t.moreDir);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.locator('#import-report[data-dry-run="false"]').waitFor();
  await page.getByRole('link', { name: 'Card health' }).click();
  await page.getByRole('heading', { name: 'Card health' }).waitFor();
  await until(async () => !(await page.locator('.lede').textContent()).includes('Examining'), 'the doctor did not answer');
  const findings = await api('api/doctor');
  const shown = await page.locator('.finding').count();
  assertEqual(shown, findings.length, 'every finding is listed');
  if (findings.length > 0) {
    const front = await page.locator('.finding .finding-front').first().textContent();
    assert(findings.some((f) => (f.front || '(no front)') === front.trim()), `a finding names its card by its front: ${front}`);
  }
  // Long passages of the shared notes are reading cards; a section of
  // too many short facts is still too long to answer.
  assert(findings.some((f) => f.rule === 'too_long'), 'the facts section is too long');
  const group = page.locator('.health-rule[data-rule="too_long"]');
  await group.waitFor();
  const first = findings.find((f) => f.rule === 'too_long');
  const link = group.locator('.finding a').first();
  const target = decodeURIComponent((await link.getAttribute('href')) ?? '');
  assert(target.startsWith('obsidian://open?path='), `the note link: ${target}`);
  assert(target.includes(first.note), `the first finding's note link names its note: ${target}`);
  await group.getByText(`:${first.line}`, { exact: false }).first().waitFor();
  await shot('health-light');
  // "Review as reading" makes it a reading card, and the finding goes.
  await group.locator('.finding').first().getByRole('button', { name: 'Review as reading' }).click();
  await until(async () => (await page.locator('.finding').count()) === findings.length - 1, 'the finding of the card now read is still listed');
  assertEqual((await api(`api/card?card_id=${first.card_id}`)).card.kind, 'reading', 'the card is a reading card');
  const remaining = await api('api/doctor');
  if (remaining.length > 0) {
    await page.locator('.finding .dismiss').first().click();
    await until(async () => (await page.locator('.finding').count()) === remaining.length - 1, 'the dismissed finding is still listed');
    assertEqual((await api('api/doctor')).length, remaining.length - 1, 'the dismissal is kept');
  }
  await expectNoBanner('card health');
  // Each deck reaches its own card health through its "⋯" menu.
  await goto('#/');
  await page.getByLabel(`More for ${probeDeck}`, { exact: true }).click();
  await shot('decks-menu-light');
  await page.getByRole('group', { name: probeDeck }).getByRole('link', { name: 'Card health' }).click();
  await page.getByRole('heading', { name: 'Card health' }).waitFor();
  await until(async () => (await page.locator('#health-deck').inputValue()) === probeDeck, 'the deck is not chosen in the Deck field');
  // An edited note's preview names the cards it would change.
  const probePath = path.join(t.moreDir, 'rendering-probe.md');
  writeFileSync(probePath, `${PROBE_NOTE}\n## A section added later\n\nSomething new to learn.\n`);
  try {
    await goto('#/import');
    await page.getByLabel('Folders or notes').fill(t.moreDir);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#import-report[data-dry-run="true"]').waitFor();
    await page.locator('.detail.change[data-change="added"]', { hasText: 'A section added later' }).waitFor();
    await page.locator('.detail.change[data-change="added"]').scrollIntoViewIfNeeded();
    await shot('import-changes-light');
  } finally {
    writeFileSync(probePath, PROBE_NOTE);
  }
});

test('Card health: a rule of many findings shows 50, then more on request', async (t) => {
  // The same question in 60 notes: near-duplicates.
  await t.cli('import', t.writeNotes('same', 60, () => '# Rivers\n\n## Which river flows through the capital?\n\nThe one on the map.\n'));
  const { page, goto, expectNoBanner } = await t.open();
  await goto('#/health');
  const group = page.locator('[data-rule="near_duplicate"]');
  await group.locator('.show-more').waitFor();
  const total = Number(await group.locator('.badge').textContent());
  assert(total > 50, `near-duplicates found: ${total}`);
  assertEqual(await group.locator('.finding').count(), 50, 'findings shown at first');
  // The screen fetched 50 of them; the rest come when asked for.
  const first = await t.api(`api/doctor/page?limit=50`);
  assertEqual(first.findings.length, 50, 'a page of findings');
  assertEqual(first.rules.find((r) => r.rule === 'near_duplicate')?.findings, total, 'the rule counted whole');
  await group.getByRole('button', { name: /^Show all \d+ left$/ }).click();
  await until(async () => (await group.locator('.finding').count()) === total, 'every finding is shown');
  await expectNoBanner('many findings');
});
