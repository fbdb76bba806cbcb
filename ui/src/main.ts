import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { backend } from './lib/api/backend';
import { prefetchFirstPage, prefetchFirstQueue } from './lib/prefetch';
import './lib/theme.svelte';
import { reportError } from './lib/errors.svelte';
import { applyRemoteImages } from './lib/privacy';
import { applyTextSize, loadTextSize } from './lib/textSize';

applyTextSize(loadTextSize());

// Anything that escapes a screen still reaches the user as a message.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});
window.addEventListener('error', (event) => {
  if (event.error !== undefined || event.message) reportError(event.error ?? event.message);
});

// Web images are blocked before any card can show one, when the learner
// turned them off (asked first, so that it is answered before the queue:
// the desktop answers one call at a time; never waits long). In a browser
// the server's own policy already blocks them: no wait there.
const imagePolicy = backend
  .settings()
  .then((settings) => void applyRemoteImages(settings.remote_images))
  .catch(() => {});

// Then the review screen's first queue (or the card browser's first page)
// is on its way while the app mounts.
prefetchFirstQueue(window.location.hash, backend);
prefetchFirstPage(window.location.hash, backend);

const ready =
  backend.capabilities.serverBlocksRemoteImages ? Promise.resolve() : Promise.race([imagePolicy, new Promise((resolve) => setTimeout(resolve, 500))]);

void ready.then(() => {
  const target = document.getElementById('app');
  if (target) mount(App, { target });
});
