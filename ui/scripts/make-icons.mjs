// Makes the home-screen icons offered with the web app manifest over https
// (`public/icons/icon-{192,512}.png`): `node ui/scripts/make-icons.mjs`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const here = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = createRequire(path.join(here, '../package.json'))('playwright-core');
// The home-screen icon: the favicon's cards on a full square of the
// theme's background, with room around them for Android's mask.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#f6f4ef"/><g transform="translate(6.4 6.4) scale(0.6)"><rect x="5" y="8" width="20" height="17" rx="3" fill="#9cc9b4"/><rect x="8" y="5" width="20" height="17" rx="3" fill="#2c6a59"/><path d="M13 12h10M13 16h7" stroke="#fffdf9" stroke-width="2" stroke-linecap="round" fill="none"/></g></svg>`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: path.join(here, `../public/icons/icon-${size}.png`), omitBackground: false });
}
await browser.close();
