import { describe, expect, it, vi } from 'vitest';
import { createTauriBackend, createWebBackend, pickBackend, toBackendError } from './backend';

function fakeFetch(status: number, body: string, statusText = '') {
  return vi.fn(async (_input: string, _init?: RequestInit) => new Response(body, { status, statusText }));
}

describe('web backend', () => {
  it('gets JSON and builds query strings', async () => {
    const fetch = fakeFetch(200, '[]');
    const api = createWebBackend(fetch);
    await api.due('Exam::Week 1');
    await api.due(null);
    await api.stats(null, 30);
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/due?deck=Exam%3A%3AWeek+1', '/api/due', '/api/stats?days=30']);
  });

  it('posts answers as JSON with a whole duration', async () => {
    const fetch = fakeFetch(200, '{}');
    await createWebBackend(fetch).answer('abc', 'good', 1234.6);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/answer');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ card_id: 'abc', grade: 'good', duration_ms: 1235 });
  });

  it('rejects with the server ApiError', async () => {
    const fetch = fakeFetch(404, '{"code":"deck_not_found","message":"no deck named `X`"}');
    await expect(createWebBackend(fetch).due('X')).rejects.toEqual({ code: 'deck_not_found', message: 'no deck named `X`' });
  });

  it('describes an error that is not JSON', async () => {
    const fetch = fakeFetch(502, 'Bad Gateway', 'Bad Gateway');
    await expect(createWebBackend(fetch).decks()).rejects.toEqual({
      code: 'bad_response',
      message: 'The server answered 502 Bad Gateway: Bad Gateway.',
    });
  });

  it('describes a success that is not JSON', async () => {
    const fetch = fakeFetch(200, '<!doctype html>');
    await expect(createWebBackend(fetch).decks()).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('says when the server cannot be reached', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(createWebBackend(fetch).decks()).rejects.toMatchObject({ code: 'network' });
  });

  it('links exports', () => {
    const api = createWebBackend(fakeFetch(200, '{}'));
    expect(api.exportHref('reviews', 'csv', null)).toBe('/api/export/reviews?format=csv');
    expect(api.exportHref('cards', 'json', 'A::B')).toBe('/api/export/cards?format=json&deck=A%3A%3AB');
    expect(api.pickPaths(true)).toBeNull();
  });
});

describe('tauri backend', () => {
  it('invokes snake_case commands with snake_case arguments', async () => {
    const invoke = vi.fn(async () => ({}));
    const api = createTauriBackend({ core: { invoke } });
    await api.daySummary();
    await api.importNotes({ paths: ['/v'], deck: null, dry_run: true });
    await api.answer('abc', 'easy', 10);
    await api.updateSettings({ new_per_day: 5, reviews_per_day: null, rollover_hour: null });
    await api.pickPaths(true);
    expect(invoke.mock.calls).toEqual([
      ['day_summary', {}],
      ['import_notes', { paths: ['/v'], deck: null, dry_run: true }],
      ['answer', { card_id: 'abc', grade: 'easy', duration_ms: 10 }],
      ['update_settings', { new_per_day: 5, reviews_per_day: null, rollover_hour: null }],
      ['pick_import_paths', { folders: true }],
    ]);
    expect(api.exportHref('reviews', 'csv')).toBeNull();
  });

  it('passes ApiError rejections through and wraps strings', async () => {
    const api = createTauriBackend({
      core: {
        invoke: vi.fn(async (cmd: string) => {
          throw cmd === 'undo' ? { code: 'nothing_to_undo', message: 'nothing to undo' } : 'plain failure';
        }),
      },
    });
    await expect(api.undo()).rejects.toEqual({ code: 'nothing_to_undo', message: 'nothing to undo' });
    await expect(api.decks()).rejects.toEqual({ code: 'unexpected', message: 'plain failure' });
  });

  it('is chosen only when the Tauri global is there', () => {
    expect(pickBackend({ __TAURI__: { core: { invoke: async () => null } } }).kind).toBe('tauri');
    expect(pickBackend({}).kind).toBe('web');
    expect(pickBackend(undefined).kind).toBe('web');
  });
});

describe('toBackendError', () => {
  it('always gives a readable message', () => {
    expect(toBackendError(new Error('boom'))).toEqual({ code: 'unexpected', message: 'boom' });
    expect(toBackendError(undefined).message).toMatch(/went wrong/);
    expect(toBackendError({ code: 'io', message: '' }).message).toMatch(/went wrong/);
  });
});
