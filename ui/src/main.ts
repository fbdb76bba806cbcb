import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { backend } from './lib/api/backend';
import { prefetchFirstQueue } from './lib/prefetch';
import './lib/theme.svelte';
import { reportError } from './lib/errors.svelte';

// First of all: the review screen's first queue is on its way while the
// app mounts.
prefetchFirstQueue(window.location.hash, backend);

// Anything that escapes a screen still reaches the user as a message.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});
window.addEventListener('error', (event) => {
  if (event.error !== undefined || event.message) reportError(event.error ?? event.message);
});

const target = document.getElementById('app');
if (target) mount(App, { target });
