// The Review screen.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assert, assertEqual, findProbeDeck, test, until } from '../lib.mjs';

test('Review: Space shows the answer without moving the front, 3 answers Good', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/');
  await page.getByRole('link', { name: /Review all/ }).click();
  const showAnswer = page.getByRole('button', { name: /Show answer/ });
  await showAnswer.waitFor();
  const firstFront = (await page.locator('.front-face').textContent()).trim();
  assert(firstFront.length > 0, 'the front has text');
  assertEqual(await page.locator('.card-html.back').count(), 0, 'the back is hidden before Space');
  const before = await page.locator('.front-face').boundingBox();
  await shot('review-front-light');
  await page.keyboard.press('Space');
  await page.locator('.card-html.back').waitFor();
  const after = await page.locator('.front-face').boundingBox();
  assert(Math.abs(before.y - after.y) < 0.5 && Math.abs(before.height - after.height) < 0.5, `the front moved: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
  for (const label of ['Again', 'Hard', 'Good', 'Easy']) {
    const button = page.locator('.answer-button', { has: page.locator('.answer-label', { hasText: new RegExp(`^${label}$`) }) });
    assertEqual(await button.count(), 1, `one ${label} button`);
    const interval = (await button.locator('.answer-interval').textContent()).trim();
    // Again and Hard bring the card back today as well (SM-2's same-day repeat).
    const sameDay = label === 'Again' || label === 'Hard' ? 'today · ' : '';
    assert(new RegExp(`^${sameDay}(<1d|\\d+(\\.\\d)?(d|mo|y))$`).test(interval), `${label} shows when it comes back, got "${interval}"`);
  }
  await page.getByRole('link', { name: 'Open note' }).waitFor();
  const href = await page.getByRole('link', { name: 'Open note' }).getAttribute('href');
  assert(href.startsWith('obsidian://open?path='), `Open note links to Obsidian: ${href}`);
  await shot('review-back-light');
  await page.keyboard.press('3');
  await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'done today did not reach 1');
  // The next card shows before the answer is saved; wait for the write.
  await page.locator('[data-saving="false"]').waitFor();
  const summary = await api('api/summary');
  assertEqual(summary.answers, 1, 'answers today');
  assert(summary.time_ms > 0, `the answer was sent with its duration (time_ms ${summary.time_ms})`);
  await expectNoBanner('review');
});

test('Review: u undoes and shows the card again, then it is answered again', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, expectNoBanner } = await t.open();
  // This screen's own answer to take back: the first card, answered Good.
  await goto('#/review');
  await page.getByRole('button', { name: /Show answer/ }).waitFor();
  const firstFront = (await page.locator('.front-face').textContent()).trim();
  await page.keyboard.press('Space');
  await page.locator('.card-html.back').waitFor();
  await page.keyboard.press('3');
  await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'done today did not reach 1');
  await page.locator('[data-saving="false"]').waitFor();

  await page.keyboard.press('u');
  await until(async () => (await page.getByTestId('done').textContent()).includes('0 done'), 'done today did not go back to 0');
  await page.getByText(/Took back Good/).waitFor();
  assertEqual((await page.locator('.front-face').textContent()).trim(), firstFront, 'the undone card is shown first');
  assertEqual((await api('api/summary')).answers, 0, 'answers after undo');
  await page.keyboard.press('Space');
  await page.locator('.card-html.back').waitFor();
  await page.keyboard.press('3');
  await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'done today did not reach 1 again');
  // Two more: Again by click, Easy by key, and Ctrl+Z is undo too.
  await page.getByRole('button', { name: /Show answer/ }).click();
  await page.locator('.answer-button.again').click();
  await until(async () => (await page.getByTestId('done').textContent()).includes('2 done'), 'done today did not reach 2');
  await page.keyboard.press('Control+z');
  await until(async () => (await page.getByTestId('done').textContent()).includes('1 done'), 'Ctrl+Z did not undo');
  await page.keyboard.press('Space');
  await page.locator('.card-html.back').waitFor();
  await page.keyboard.press('1');
  await until(async () => (await page.getByTestId('done').textContent()).includes('2 done'), 'done today did not reach 2 again');
  await page.keyboard.press('Space');
  await page.locator('.card-html.back').waitFor();
  await page.keyboard.press('4');
  await until(async () => (await page.getByTestId('done').textContent()).includes('3 done'), 'done today did not reach 3');
  await expectNoBanner('undo');
});

test('Review: @ suspends and - buries the card on screen, u brings it back, Space answers Good', async (t) => {
  await t.importNotes('decks');
  const { page, api, goto, shot, expectNoBanner } = await t.open();
  await goto('#/review');
  await page.getByRole('button', { name: /Show answer/ }).waitFor();

  const front = async () => (await page.locator('.front-face').textContent()).trim();
  const marked = async (field) => (await api('api/cards')).filter((c) => c[field]).length;
  const first = await front();
  await page.keyboard.press('@');
  await page.getByText(/Suspended “/).waitFor();
  await until(async () => (await marked('suspended')) === 1, 'the card was not suspended');
  assert((await front()) !== first, 'the suspended card left the screen');
  await shot('review-suspended-light');
  await page.keyboard.press('u');
  await page.getByText(/Took back suspending/).waitFor();
  await until(async () => (await front()) === first, 'the unsuspended card is not back on screen');
  assertEqual(await marked('suspended'), 0, 'suspended cards after undo');
  await page.getByRole('button', { name: 'Bury' }).click();
  await page.getByText(/Buried “/).waitFor();
  await until(async () => (await marked('buried_until')) === 1, 'the card was not buried');
  await page.keyboard.press('u');
  await page.getByText(/Took back burying/).waitFor();
  await until(async () => (await front()) === first, 'the unburied card is not back on screen');
  // Space on the answer side answers Good, as in Anki.
  const answersBefore = (await api('api/summary')).answers;
  await page.keyboard.press('Space');
  await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
  await page.keyboard.press('Space');
  await until(async () => (await api('api/summary')).answers === answersBefore + 1, 'Space on the answer did not answer');
  const log = await api('api/export/reviews?format=json');
  assertEqual(log[log.length - 1].grade, 4, 'Space answers Good (grade 4)');
  await expectNoBanner('suspend and bury');
});

test('Review: a phrase selected on the back and C makes a cloze card in the note; a reading card is shown in full and answered', async (t) => {
  await t.importNotes('decks', 'more');
  const { page, api, goto, shot, settle, expectNoBanner } = await t.open();
  // As Card health's "Review as reading" does: the facts about the tide
  // (too long to answer) become a reading card.
  const facts = (await api('api/doctor')).find((f) => f.rule === 'too_long' && f.note.endsWith('tides.md'));
  assert(facts, 'the facts about the tide are a finding');
  await t.post('api/cards/reading', { card_ids: [facts.card_id] });

  const decks = await api('api/decks');
  const more = decks.find((d) => d.short_name === 'more');
  const tides = more?.children.find((d) => d.short_name === 'Tides and currents');
  assert(tides, `no Tides and currents deck in ${JSON.stringify(more?.children.map((d) => d.name))}`);
  assertEqual(`${tides.new} new, ${tides.reading} reading`, '1 new, 2 reading', 'one flashcard; a long section and the facts read as reading cards');
  await goto(`#/review?deck=${encodeURIComponent(tides.name)}`);
  await page.getByRole('button', { name: /Show answer/ }).waitFor();
  await page.keyboard.press('Space');
  const back = page.locator('.card-html.back');
  await back.waitFor();
  await page.locator('.extract-hint').waitFor();
  // Select "the earth turns" on the back, as a mouse drag would.
  await back.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf('the earth turns');
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 'the earth turns'.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error('the phrase is not on the back');
  });
  await page.keyboard.press('c');
  const made = page.getByText(/Made a cloze card \(([0-9a-f]{12})\)/);
  await made.waitFor();
  const cardId = (await made.textContent()).match(/\(([0-9a-f]{12})\)/)[1];
  const note = readFileSync(path.join(t.moreDir, 'tides.md'), 'utf8');
  assert(note.includes('and ==the earth turns== beneath'), `the cloze is written into the note: ${note.slice(0, 200)}`);
  assert(note.includes('## What pulls the sea?\n#cloze\n'), 'the section is tagged #cloze');
  await shot('review-made-cloze-light');
  // The new card is in the card browser.
  await goto(`#/browse?q=${encodeURIComponent(`deck:"${tides.name}"`)}`);
  await until(async () => (await page.locator('.browse-row .browse-front', { hasText: 'beneath the bulge' }).count()) >= 1, 'the new cloze card is not in the browser');
  const detail = await api(`api/card?card_id=${cardId}`);
  assertEqual(detail.card.kind, 'cloze', 'the new card is a cloze');
  await shot('browse-made-cloze-light');
  // Back to the deck: the flashcard is answered, then the reading card
  // is shown in full with Hard, Good and Easy.
  await goto(`#/review?deck=${encodeURIComponent(tides.name)}`);
  for (let i = 0; i < 6; i++) {
    if ((await page.locator('.queue-tag[data-queue="reading"]').count()) > 0) break;
    const show = page.getByRole('button', { name: /Show answer/ });
    await show.waitFor();
    await page.keyboard.press('Space');
    await page.locator('.answer-buttons').waitFor();
    await page.keyboard.press('3');
    await page.locator('[data-saving="false"]').waitFor();
    await settle();
  }
  await page.locator('.queue-tag[data-queue="reading"]').waitFor();
  assertEqual(await page.getByRole('button', { name: /Show answer/ }).count(), 0, 'a reading card has no hidden answer');
  const labels = await page.locator('.answer-buttons .answer-label').allTextContents();
  assertEqual(labels.join(','), 'Hard,Good,Easy', 'a reading card is answered by when to read it again');
  await shot('review-reading-light');
  const readingId = (await api(`api/due?deck=${encodeURIComponent(tides.name)}`)).find((c) => c.kind === 'reading')?.id;
  await page.keyboard.press('3');
  await page.locator('[data-saving="false"]').waitFor();
  await settle();
  const read = await api(`api/card?card_id=${readingId}`);
  assertEqual(read.reviews.at(-1)?.kind, 'read', 'the reading is logged as read');
  await expectNoBanner('reading and making cards');
});

test('Review: card HTML cannot run scripts, math renders with KaTeX', async (t) => {
  await t.importNotes('decks', 'more');
  const { page, goto, shot, expectNoBanner } = await t.open();
  const probeDeck = await findProbeDeck(t);
  await goto(`#/review?deck=${encodeURIComponent(probeDeck)}`);
  let sawMath = false;
  let sawScriptCard = false;
  let sawCloze = false;
  let sawMathCloze = false;
  let sawTable = false;
  for (let i = 0; i < 12; i++) {
    const showAnswer = page.getByRole('button', { name: /Show answer/ });
    const done = page.getByRole('heading', { name: /All done for today|Done for today|Nothing more today|Nothing to review/ });
    await until(async () => (await showAnswer.count()) > 0 || (await done.count()) > 0, 'neither a card nor the end screen');
    if ((await done.count()) > 0) break;
    const question = await page.locator('.front-face').textContent();
    const questionBox = await page.locator('.front-face .front').boundingBox();
    await page.keyboard.press('Space');
    await page.locator('.card-html.back, .front-face.cloze-answer').first().waitFor();
    const front = await page.locator('.front-face').textContent();
    if (question.includes('Light covers')) {
      // A cloze inside math: a boxed blank (the hint), then the boxed answer.
      assert(question.includes('speed times time'), 'the hint shows in the formula');
      assert((await page.locator('.front-face .katex .boxpad').count()) >= 1, 'the blank is boxed in the formula');
      assert(!front.includes('speed times time'), 'the answer replaces the hint');
      sawMathCloze = true;
      await shot('review-math-cloze-light');
    } else if (question.includes('[…]')) {
      // A cloze card: the answer fills the blank in place, marked.
      assertEqual(await page.locator('.front-face mark').textContent(), 'mitochondrion', 'the cloze answer');
      assert(!front.includes('[…]'), 'the blank is filled on the answer side');
      assert(front.includes('Cards written in the note'), 'the breadcrumb stays');
      const answerBox = await page.locator('.front-face .front').boundingBox();
      assertEqual(Math.round(answerBox.y), Math.round(questionBox.y), 'the cloze paragraph does not move');
      sawCloze = true;
      await shot('review-cloze-light');
    }
    if (front.includes('script')) {
      sawScriptCard = true;
      await shot('review-probe-light');
    }
    if (front.includes('teas cost')) {
      // Column alignment survives as classes (the CSP refuses style attributes).
      const cells = await page.locator('.card-html.back td').evaluateAll((tds) => tds.map((td) => getComputedStyle(td).textAlign));
      assertEqual(cells.join(','), 'left,center,right', 'the columns keep their alignment');
      sawTable = true;
    }
    if (front.includes('Euler')) {
      await page.locator('.card-html.back .katex').first().waitFor();
      assert((await page.locator('.card-html.back .katex-display').count()) >= 1, 'display math renders');
      sawMath = true;
      await shot('review-math-light');
    }
    const html = await page.locator('.review-card').innerHTML();
    assert(!/<script/i.test(html), 'a <script> element reached the page');
    assert(!/onerror/i.test(html), 'an onerror attribute reached the page');
    assert(!/javascript:/i.test(html), 'a javascript: link reached the page');
    for (const link of await page.locator('.card-html a').all()) await link.click({ trial: true }).catch(() => {});
    assertEqual(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned');
    await page.keyboard.press('3');
    await page.waitForTimeout(50);
  }
  assert(sawScriptCard, 'the script probe card was reviewed');
  assert(sawMathCloze, 'the cloze inside math was reviewed');
  assert(sawMath, 'the math card was reviewed');
  assert(sawCloze, 'the cloze card was reviewed');
  assert(sawTable, 'the table card was reviewed');
  await page.getByRole('heading', { name: /^(All done|Done) for today$/ }).waitFor();
  await page.getByText(/Tomorrow: \d+ cards? due in Rendering probe/).waitFor();
  assertEqual(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned at the end');
  await shot('review-done-light');
  await expectNoBanner('probe review');
});
