// The current hash route, as reactive state.

import { parseHash, type Route } from './route';

export const router: { route: Route } = $state({ route: parseHash(window.location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parseHash(window.location.hash);
});

export function navigate(hash: string): void {
  if (window.location.hash === hash) router.route = parseHash(hash);
  else window.location.hash = hash;
}
