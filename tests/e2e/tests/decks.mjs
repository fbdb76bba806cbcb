// The Decks screen, and the screens its deck menu leads to (Study more, Deck options).

import path from 'node:path';
import { assert, assertEqual, test, until } from '../lib.mjs';

test('Decks: the tree shows counts and folds', async (t) => {
  await t.importNotes('decks');
  const { page, goto, shot } = await t.open();
  await goto('#/import');
  await page.getByRole('navigation').getByRole('link', { name: 'Decks' }).click();
  await page.getByText('notedeck tour').waitFor();
  await page.getByText('AI alignment concepts').waitFor();
  const fold = page.getByRole('button', { name: /Fold decks/ });
  assertEqual(await fold.getAttribute('aria-expanded'), 'true', 'the top deck starts open');
  await fold.click();
  const unfold = page.getByRole('button', { name: /Unfold decks/ });
  assertEqual(await unfold.getAttribute('aria-expanded'), 'false', 'folded');
  assert(!(await page.getByText('notedeck tour').isVisible()), 'sub-decks hide when folded');
  await unfold.click();
  await page.getByText('notedeck tour').waitFor();
  await page.getByText('Due tomorrow').waitFor();
  await shot('decks-light');
});

test('Decks: a folder of many note decks starts folded, and a long list shows 100 decks, then more', async (t) => {
  // big/shelf holds 120 notes, each a deck of its own: big › shelf › note-…
  t.writeNotes(path.join('big', 'shelf'), 120);
  await t.cli('import', path.join(t.vault, 'big'));
  const { page, goto, expectNoBanner } = await t.open();
  await goto('#/decks');
  const unfold = page.getByRole('button', { name: 'Unfold shelf' });
  await unfold.waitFor();
  assertEqual(await unfold.getAttribute('aria-expanded'), 'false', 'a sub-deck of 120 decks starts folded');
  assertEqual(await page.getByRole('button', { name: 'Fold big' }).getAttribute('aria-expanded'), 'true', 'the top deck starts open');
  const rows = () => page.locator('.deck-table .deck-item:not(.deck-more)').count();
  assertEqual(await rows(), 2, 'big and shelf');
  await unfold.click();
  assertEqual(await rows(), 102, 'the first 100 of its decks');
  await page.getByRole('button', { name: /Show 20 more decks/ }).click();
  assertEqual(await rows(), 122, 'all of them');
  assertEqual(await page.locator('.deck-more').count(), 0, 'nothing more to show');
  // Opened by the learner, it stays open.
  await page.reload();
  await page.getByRole('button', { name: 'Fold shelf' }).waitFor();
  await expectNoBanner('many decks');
});

test('Study more: a cram session from the deck menu leaves schedules as they were', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  const cards = await api('api/cards');
  const deckName = cards[0].deck;
  await goto('#/');
  await page.getByLabel(`More for ${deckName}`, { exact: true }).click();
  await page.getByRole('group', { name: deckName }).getByRole('link', { name: 'Study more…' }).click();
  await page.getByRole('heading', { name: 'Study more' }).waitFor();
  await page.getByLabel(/Cram/).check();
  await until(async () => /Cram \(schedules unchanged\): \d+ card/.test(await page.locator('.study-count').textContent()), 'the session was not counted');
  await shot('study-light');
  await page.getByRole('button', { name: 'Start' }).click();
  await page.locator('.study-badge', { hasText: 'Cram' }).waitFor();
  const front = (await page.locator('.front-face').textContent()).trim();
  const before = (await api('api/cards')).find((c) => front.includes(c.heading_path.at(-1) ?? '\u0000'));
  assert(before, 'the crammed card is known');
  await page.keyboard.press('Space');
  await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
  await page.keyboard.press('1');
  await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'the cram answer was not counted');
  await until(async () => {
    const log = await api('api/export/reviews?format=json');
    return log.length > 0 && log[log.length - 1].kind === 'cram';
  }, 'the answer was not logged as cram');
  const after = (await api('api/cards')).find((c) => c.id === before.id);
  for (const field of ['due', 'interval_days', 'ease_factor', 'repetitions', 'lapses']) {
    assertEqual(after[field], before[field], `cram left ${field} alone`);
  }
  await expectNoBanner('cram');
});

test('Deck options: a deck’s own limit, set from its menu, caps its queue and can be inherited again', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  const cards = await api('api/cards');
  const deckName = cards[0].deck;
  await goto('#/');
  await page.getByLabel(`More for ${deckName}`, { exact: true }).click();
  await page.getByRole('group', { name: deckName }).getByRole('link', { name: 'Options…' }).click();
  await page.getByRole('heading', { name: 'Deck options' }).waitFor();
  await page.getByLabel('New cards per day').fill('2');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await shot('deck-options-light');
  const options = await api(`api/decks/options?deck=${encodeURIComponent(deckName)}`);
  assertEqual(options.own.new_per_day, 2, 'the deck keeps its own limit');
  const queue = await api(`api/due?deck=${encodeURIComponent(deckName)}`);
  assert(queue.filter((c) => c.queue === 'new').length <= 2, 'the queue holds at most 2 new cards');
  await page.getByLabel('New cards per day').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await until(async () => (await api(`api/decks/options?deck=${encodeURIComponent(deckName)}`)).own.new_per_day === null, 'the limit was not cleared');
  await expectNoBanner('deck options');
  // The deck list and its queue filtered by a tag.
  await goto('#/');
  await page.getByLabel('Only cards tagged').fill('alignment');
  await page.getByRole('button', { name: 'Filter' }).click();
  await until(async () => (await page.evaluate(() => location.hash)).includes('tag=alignment'), 'the filter is not in the address');
  const tagged = await api('api/due?tag=alignment');
  assert(tagged.length > 0, 'the tagged queue is not empty');
  assert(tagged.every((c) => c.tags.includes('alignment') || c.user_tags.includes('alignment')), 'every card of the tagged queue has the tag');
  assertEqual((await api('api/due?tag=no-such-tag')).length, 0, 'cards with an unknown tag');
  await until(async () => (await page.getByRole('link', { name: /Review all/ }).textContent()).includes(String(tagged.length)), 'Review all counts the tagged cards');
  await shot('decks-tag-light');
  await page.getByRole('link', { name: 'Show all cards' }).click();
});
