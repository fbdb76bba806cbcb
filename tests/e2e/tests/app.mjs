// The app as a whole: the server, the page and its CSP, the token, zoom and the keyboard.

import { assert, assertEqual, pageHelpers, test, until } from '../lib.mjs';

test('the server answers /api/health', async (t) => {
  const api = (route) => t.api(route);
  const health = await until(() => api('api/health'), 'no health answer');
  assertEqual(health.ok, true, 'health');
});

test('the page loads under a strict CSP with no script from elsewhere', async (t) => {
  const { page, base, goto, shot } = await t.open();
  await goto('#/');
  await page.getByRole('heading', { name: 'Decks', level: 1 }).waitFor();
  const scripts = await page.evaluate(() => [...document.scripts].map((s) => ({ src: s.src, inline: !s.src && s.textContent.trim() !== '' })));
  assert(scripts.every((s) => !s.inline), 'index.html has an inline script');
  assert(scripts.every((s) => s.src.startsWith(base)), `a script comes from elsewhere: ${JSON.stringify(scripts)}`);
  await page.getByRole('link', { name: 'Import notes' }).waitFor();
  await shot('decks-empty-light');
});

test('Without the token the page says how to get in, and the API refuses', async (t) => {
  const stranger = await t.newPage({}, { withToken: false });
  const { goto, shot, bannerText } = pageHelpers(stranger, t.base);
  await goto('#/', stranger);
  await stranger.locator('.banner.error').first().waitFor();
  const text = await bannerText(stranger);
  assert(/token is required/.test(text), `the banner explains the token: "${text}"`);
  await shot('no-token', stranger);
  const status = await stranger.evaluate(async () => (await fetch('/api/decks')).status);
  assertEqual(status, 403, 'the API without the token');
  await stranger.context().close();
});

test('Zoom 200%: no screen scrolls sideways at 640 CSS pixels', async (t) => {
  await t.importNotes('decks', 'more');
  await t.answer(6, { grades: ['good', 'again', 'easy', 'hard'] });
  const zoomed = await t.newPage({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 });
  const { goto, shot, settle } = pageHelpers(zoomed, t.base);
  for (const [hash, ready] of [
    ['#/', 'notedeck tour'],
    ['#/review', null],
    ['#/import', 'Refresh all notes'],
    ['#/stats', 'Hardest cards'],
    ['#/settings', 'New day starts at'],
  ]) {
    await goto(hash, zoomed);
    if (ready === null) {
      await zoomed.getByRole('button', { name: /Show answer/ }).waitFor();
      await zoomed.keyboard.press('Space');
      await zoomed.locator('.card-html.back').waitFor();
    } else {
      await zoomed.getByText(ready, { exact: false }).first().waitFor();
    }
    await settle(zoomed);
    const overflow = await zoomed.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const name = hash.replace(/[#/?=]/g, '') || 'decks';
    await shot(`zoom200-${name}`, zoomed);
    assert(overflow <= 0, `${hash} scrolls sideways by ${overflow}px at 200% zoom`);
  }
  await zoomed.context().close();
});

test('Keyboard: the navigation is reachable with Tab and shows a focus ring', async (t) => {
  await t.importNotes('decks');
  const { page, goto } = await t.open();
  await goto('#/');
  await page.getByText('notedeck tour').waitFor();
  await page.keyboard.press('Tab');
  assertEqual(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content', 'first Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: el.textContent.trim(), outline: style.outlineStyle, width: style.outlineWidth };
  });
  assertEqual(focused.text, 'Decks', 'third Tab');
  assert(focused.outline !== 'none' && focused.width !== '0px', `a visible focus ring: ${JSON.stringify(focused)}`);
});
