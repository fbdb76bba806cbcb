// Hash routes (`#/review?deck=NAME`): the page itself stays at `/`, so card
// images with relative `media/…` sources always resolve.

export type RouteName = 'decks' | 'review' | 'study' | 'options' | 'browse' | 'import' | 'stats' | 'settings' | 'health' | 'not-found';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
}

const PATHS: Record<string, RouteName> = {
  '': 'decks',
  '/': 'decks',
  '/decks': 'decks',
  '/review': 'review',
  '/import': 'import',
  '/stats': 'stats',
  '/settings': 'settings',
  '/health': 'health',
  '/browse': 'browse',
  '/study': 'study',
  '/options': 'options',
};

export function parseHash(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = raw.indexOf('?');
  const path = (q === -1 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
  const params: Record<string, string> = {};
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(raw.slice(q + 1))) params[key] = value;
  }
  return { name: PATHS[path] ?? 'not-found', params };
}

export function href(name: Exclude<RouteName, 'not-found'>, params: Record<string, string | null | undefined> = {}): string {
  const path = name === 'decks' ? '/' : `/${name}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}
