// ARCHITECTURE.md: nothing in the UI but `api/backend.ts` knows whether it
// runs under Tauri or in a browser; screens ask `backend.capabilities`.
import { describe, expect, it } from 'vitest';

// Every source file of the UI, as text (tests left out).
const sources = import.meta.glob<string>(['../**/*.ts', '../**/*.svelte', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the transport boundary', () => {
  it('is known to backend.ts alone', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    const offenders = Object.entries(sources)
      .filter(([path]) => !path.endsWith('api/backend.ts'))
      .filter(([, text]) => /backend\.kind|__TAURI__/.test(text))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
