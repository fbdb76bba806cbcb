import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { backend } from './lib/api/backend';
import { prefetchFirstPage, prefetchFirstQueue } from './lib/prefetch';
import './lib/theme.svelte';
import { reportError } from './lib/errors.svelte';
import { applyRemoteImages } from './lib/privacy';
import { applyTextSize, loadTextSize } from './lib/textSize';
import { takeLaunchAnswers } from './lib/launch';
import { applyFontChoice, fontChoice } from './lib/fonts';

/** This tab's session storage, or null where the page may not use it. */
function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

applyTextSize(loadTextSize());
applyFontChoice(document.documentElement, fontChoice(backend.capabilities.desktopWindow, navigator.userAgent));

// Anything that escapes a screen still reaches the user as a message.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});
window.addEventListener('error', (event) => {
  if (event.error !== undefined || event.message) reportError(event.error ?? event.message);
});

// Web images are blocked before any card can show one, when the learner
// turned them off (asked first, before the queue; the app is mounted after
// it, or after 500 ms at most). In a browser the server's own policy
// already blocks them: no wait there. With `--review`, the desktop app
// answered the settings and the queue while its window opened.
const launch = takeLaunchAnswers(window, sessionStorageOrNull(), Date.now());
const imagePolicy = launch
  ? Promise.resolve(void applyRemoteImages(launch.settings.remote_images))
  : backend
      .settings()
      .then((settings) => void applyRemoteImages(settings.remote_images))
      .catch(() => {});

// Then the review screen's first queue (or the card browser's first page)
// is on its way while the app mounts.
prefetchFirstQueue(window.location.hash, backend, launch);
prefetchFirstPage(window.location.hash, backend);

const ready =
  backend.capabilities.serverBlocksRemoteImages ? Promise.resolve() : Promise.race([imagePolicy, new Promise((resolve) => setTimeout(resolve, 500))]);

void ready.then(() => {
  const target = document.getElementById('app');
  if (target) mount(App, { target });
});
