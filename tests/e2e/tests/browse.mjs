// The Cards screen (the card browser) and its undo.

import { assert, assertEqual, test, until } from '../lib.mjs';

test('Cards: search, a card with its history, keyboard, suspend and undo from the browser', async (t) => {
  await t.importNotes('decks');
  // Four cards answered (so in their learning steps), with a history each.
  await t.answer(4, { grades: ['good', 'again', 'easy', 'good'] });
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/browse');
  await page.getByRole('heading', { name: 'Cards' }).waitFor();
  await until(async () => /in your collection/.test(await page.locator('.lede').textContent()), 'the browser did not count the cards');
  const all = (await api('api/cards')).length;
  assert((await page.locator('.lede').textContent()).includes(`${all} cards`), 'every card is counted');
  await page.getByLabel('Search cards').fill('state:learning');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await until(async () => /found/.test(await page.locator('.lede').textContent()), 'the search did not answer');
  // The first card is shown with its history from the log.
  await page.locator('.browse-history tbody tr').first().waitFor();
  const first = await page.locator('.browse-row.active .browse-front').textContent();
  await shot('browse-light');
  // Arrow keys move through the list.
  await page.locator('.browse-scroll').focus();
  await page.keyboard.press('ArrowDown');
  await until(async () => (await page.locator('.browse-row.active .browse-front').textContent()) !== first, 'ArrowDown did not move');
  await page.keyboard.press('ArrowUp');
  await until(async () => (await page.locator('.browse-row.active .browse-front').textContent()) === first, 'ArrowUp did not move back');
  await page.getByRole('group', { name: /Change this card/ }).getByRole('button', { name: 'Suspend this card', exact: true }).click();
  await page.getByText(/Suspended 1 card/).waitFor();
  await until(async () => (await api('api/cards')).filter((c) => c.suspended).length === 1, 'the card was not suspended');
  await page.locator('.browse-row.active .browse-state', { hasText: 'Suspended' }).waitFor();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByText(/Took back suspend/).waitFor();
  await until(async () => (await api('api/cards')).filter((c) => c.suspended).length === 0, 'undo did not unsuspend');
  // A malformed search says where.
  await page.getByLabel('Search cards').fill('state:ripe');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.locator('.field-error', { hasText: 'at character 7' }).waitFor();
  await expectNoBanner('card browser');
});

test('Cards: an answer from yesterday is named and asked about before undo takes it back; Space never presses Undo again', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  // Answered yesterday in the terminal (another process, another day).
  const card = (await api('api/cards')).find((c) => c.state === 'new' && !c.suspended);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  await t.cli('--now', yesterday, 'answer', card.id, 'good');
  const logged = async () => (await api('api/export/reviews?format=json')).filter((r) => r.card_id === card.id).length;
  assertEqual(await logged(), 1, 'the answer is in the log');
  await goto('#/browse');
  await page.getByRole('heading', { name: 'Cards' }).waitFor();
  const undoButton = page.locator('.undo-button');
  await undoButton.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const question = await dialog.textContent();
  assert(question.includes('yesterday') && question.includes(`“${card.heading_path.at(-1)}”`), `the question names the card and the day: ${question}`);
  await shot('undo-asks-light');
  // The safe answer has the focus: Space keeps the answer.
  await page.keyboard.press('Space');
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText(/Kept it/).waitFor();
  assertEqual(await logged(), 1, 'Space kept yesterday’s answer');
  assert(!(await page.evaluate(() => document.activeElement?.classList.contains('undo-button'))), 'the focus left the Undo button');
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  assertEqual(await page.getByRole('dialog').count(), 0, 'Space did not press Undo again');
  assertEqual(await logged(), 1, 'still kept');
  // Taken back only when asked for.
  await undoButton.click();
  await dialog.getByRole('button', { name: 'Take it back' }).click();
  await page.getByText(/Took back Good/).waitFor();
  assertEqual(await logged(), 0, 'taken back when confirmed');
  await expectNoBanner('undo asks');
});

test('Cards: the action buttons say what they act on, and act on exactly that', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/browse?q=');
  await page.getByRole('heading', { name: 'Cards' }).waitFor();
  await until(async () => (await page.locator('.browse-row .browse-front').count()) >= 3, 'too few rows');
  const shown = await page.locator('.browse-row.active .browse-front').textContent();
  const group = page.getByRole('group', { name: /^Change / });
  assertEqual(await group.getByRole('button', { name: /^Suspend / }).textContent(), 'Suspend this card', 'no selection: the card shown');
  // Check two other cards while the first stays shown.
  const rows = page.locator('.browse-row');
  await rows.nth(1).locator('input[type="checkbox"]').check();
  await rows.nth(2).locator('input[type="checkbox"]').check();
  assertEqual(await page.locator('.browse-row.active .browse-front').textContent(), shown, 'the shown card stays');
  const suspend = group.getByRole('button', { name: 'Suspend 2 selected', exact: true });
  await suspend.waitFor();
  await shot('browse-selected-light');
  const checked = await page.evaluate(() => [...document.querySelectorAll('.browse-row')].slice(1, 3).map((r) => r.querySelector('.browse-front').textContent));
  await suspend.click();
  await page.getByText(/Suspended 2 cards/).waitFor();
  const suspended = (await api('api/cards')).filter((c) => c.suspended);
  assertEqual(suspended.length, 2, 'exactly the two selected');
  const suspendedRows = () =>
    page.evaluate(() => [...document.querySelectorAll('.browse-row')].filter((r) => r.querySelector('[data-state="suspended"]')).map((r) => r.querySelector('.browse-front').textContent).sort());
  await until(async () => JSON.stringify(await suspendedRows()) === JSON.stringify(checked.sort()), 'the checked rows are not the suspended ones');
  // This screen's own step: undone without asking.
  await page.locator('.undo-button').click();
  await page.getByText(/Took back suspend/).waitFor();
  assertEqual(await page.getByRole('dialog').count(), 0, 'no question for this screen’s own step');
  assertEqual((await api('api/cards')).filter((c) => c.suspended).length, 0, 'undone');
  await expectNoBanner('browser actions');
});
