import { describe, expect, it, vi } from 'vitest';
import { createTauriBackend, createWebBackend, pickBackend, toBackendError } from './backend';

function fakeFetch(status: number, body: string, statusText = '') {
  return vi.fn(async (_input: string, _init?: RequestInit) => new Response(body, { status, statusText }));
}

describe('web backend', () => {
  it('gets JSON and builds query strings', async () => {
    const fetch = fakeFetch(200, '[]');
    const api = createWebBackend(fetch);
    await api.due({ deck: 'Exam::Week 1' });
    await api.due({ deck: null });
    await api.stats({ deck: null, days: 30 });
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/due?deck=Exam%3A%3AWeek+1', '/api/due', '/api/stats?days=30']);
  });

  it('posts answers as JSON with a whole duration', async () => {
    const fetch = fakeFetch(200, '{}');
    await createWebBackend(fetch).answer({ card_id: 'abc', grade: 'good', duration_ms: 1234.6 });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/answer');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ card_id: 'abc', grade: 'good', duration_ms: 1235 });
  });

  it('gives up on an answer the server has not answered in 15 s, as a network failure (to be sent again)', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(
      (_input: string, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const api = createWebBackend(fetch);
    const answered = api.answer({ card_id: 'abc', grade: 'good', answer_key: 'k'.repeat(32) });
    const outcome = expect(answered).rejects.toEqual({ code: 'network', message: 'The notedeck server did not answer within 15 s.' });
    await vi.advanceTimersByTimeAsync(15_000);
    await outcome;
    // Other operations are not cut short.
    expect(fetch.mock.calls.length).toBe(1);
    void api.decks();
    expect(fetch.mock.calls[1][1]?.signal).toBeUndefined();
    vi.useRealTimers();
  });

  it('rejects with the server ApiError', async () => {
    const fetch = fakeFetch(404, '{"code":"deck_not_found","message":"no deck named `X`"}');
    await expect(createWebBackend(fetch).due({ deck: 'X' })).rejects.toEqual({ code: 'deck_not_found', message: 'no deck named `X`' });
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

  it('streams an import: progress lines, then the report', async () => {
    const report = { dry_run: true, totals: {}, notes: [] };
    const lines = [
      '{"progress":{"done":0,"total":2,"phase":"reading"}}\n{"progress":{"done":1,',
      '"total":2,"phase":"reading"}}\n',
      '{"progress":{"done":2,"total":2,"phase":"saving"}}\n',
      `{"report":${JSON.stringify(report)}}\n`,
    ];
    const fetch = vi.fn(async (_input: string, _init?: RequestInit) => new Response(streamOf(lines), { status: 200 }));
    const seen: unknown[] = [];
    const result = await createWebBackend(fetch).importNotes({ paths: ['/v'], deck: null, dry_run: true }, (p) => seen.push(p));
    expect(result).toEqual(report);
    expect(seen).toEqual([
      { done: 0, total: 2, phase: 'reading' },
      { done: 1, total: 2, phase: 'reading' },
      { done: 2, total: 2, phase: 'saving' },
    ]);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/import/stream');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(init?.body as string)).toEqual({ paths: ['/v'], deck: null, dry_run: true });
  });

  it('imports without the stream when nobody listens for progress', async () => {
    const fetch = fakeFetch(200, '{"dry_run":false,"totals":{},"notes":[]}');
    await createWebBackend(fetch).importNotes({ paths: [], deck: null, dry_run: false });
    expect(fetch.mock.calls[0][0]).toBe('/api/import');
  });

  it('rejects with the error line of a streamed import', async () => {
    const fetch = vi.fn(async () =>
      new Response(streamOf(['{"progress":{"done":1,"total":9,"phase":"reading"}}\n', '{"error":{"code":"path_not_found","message":"no such folder"}}']), {
        status: 200,
      }),
    );
    await expect(createWebBackend(fetch).importNotes({ paths: ['/x'], deck: null, dry_run: true }, () => {})).rejects.toEqual({
      code: 'path_not_found',
      message: 'no such folder',
    });
  });

  it('rejects a streamed import refused before it began with the JSON error', async () => {
    const fetch = fakeFetch(403, '{"code":"forbidden","message":"bad origin"}');
    await expect(createWebBackend(fetch).importNotes({ paths: ['/x'], deck: null, dry_run: false }, () => {})).rejects.toEqual({
      code: 'forbidden',
      message: 'bad origin',
    });
  });

  it('says so when a streamed import ends without a report or sends garbage', async () => {
    const cut = vi.fn(async () => new Response(streamOf(['{"progress":{"done":1,"total":9,"phase":"reading"}}\n']), { status: 200 }));
    await expect(createWebBackend(cut).importNotes({ paths: [], deck: null, dry_run: true }, () => {})).rejects.toMatchObject({
      code: 'bad_response',
      message: expect.stringMatching(/before the server sent its report/),
    });
    const garbage = vi.fn(async () => new Response(streamOf(['<html>\n']), { status: 200 }));
    await expect(createWebBackend(garbage).importNotes({ paths: [], deck: null, dry_run: true }, () => {})).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('says so when a streamed import breaks off', async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"progress":{"done":1,"total":9,"phase":"reading"}}\n'));
        controller.error(new TypeError('network error'));
      },
    });
    const fetch = vi.fn(async () => new Response(broken, { status: 200 }));
    await expect(createWebBackend(fetch).importNotes({ paths: [], deck: null, dry_run: false }, () => {})).rejects.toEqual({
      code: 'network',
      message: 'The connection to the notedeck server broke off.',
    });
  });

  it('leaves media sources alone and has no launch time', async () => {
    const api = createWebBackend(fakeFetch(200, '{}'));
    expect(api.mediaSrc('abc.png')).toBeNull();
    await expect(api.firstCardShown()).resolves.toBeNull();
  });

  it('links exports', () => {
    const api = createWebBackend(fakeFetch(200, '{}'));
    expect(api.fileHref('export_reviews', { format: 'csv', deck: null })).toBe('/api/export/reviews?format=csv');
    expect(api.fileHref('export_cards', { format: 'json', deck: 'A::B' })).toBe('/api/export/cards?format=json&deck=A%3A%3AB');
    expect(api.fileHref('export_report', { deck: null, days: 365 })).toBe('/api/export/report?days=365');
    expect(api.pickPaths(true)).toBeNull();
  });
});

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('tauri backend', () => {
  it('runs operations through `call` by name, with snake_case requests', async () => {
    const invoke = vi.fn(async () => ({}));
    const api = createTauriBackend({ core: { invoke } });
    await api.daySummary();
    await api.importNotes({ paths: ['/v'], deck: null, dry_run: true });
    await api.answer({ card_id: 'abc', grade: 'easy', duration_ms: 10 });
    await api.updateSettings({ new_per_day: 5, reviews_per_day: null, rollover_hour: null });
    await api.due({ deck: 'Exam' });
    await api.stats({ days: 30 });
    await api.pickPaths(true);
    await api.saveFile('export_cards', { format: 'json', deck: 'A' });
    expect(invoke.mock.calls).toEqual([
      ['call', { op: 'day_summary', args: {} }],
      ['import_notes', { paths: ['/v'], deck: null, dry_run: true }],
      ['call', { op: 'answer', args: { card_id: 'abc', grade: 'easy', duration_ms: 10 } }],
      ['call', { op: 'update_settings', args: { new_per_day: 5, reviews_per_day: null, rollover_hour: null } }],
      ['call', { op: 'due', args: { deck: 'Exam' } }],
      ['call', { op: 'stats', args: { days: 30 } }],
      ['pick_import_paths', { folders: true }],
      ['save_file', { op: 'export_cards', args: { format: 'json', deck: 'A' } }],
    ]);
    expect(api.fileHref('export_reviews', { format: 'csv' })).toBeNull();
  });

  it('gives the import a progress channel when asked to', async () => {
    class Channel<T> {
      onmessage: (message: T) => void = () => {};
    }
    let channel: Channel<unknown> | undefined;
    const invoke = vi.fn(async (_cmd: string, args?: Record<string, unknown>) => {
      channel = args?.on_progress as Channel<unknown>;
      channel.onmessage({ done: 1, total: 2, phase: 'reading' });
      channel.onmessage({ done: 2, total: 2, phase: 'saving' });
      return { dry_run: false, totals: {}, notes: [] };
    });
    const api = createTauriBackend({ core: { invoke, Channel } });
    const seen: unknown[] = [];
    const report = await api.importNotes({ paths: ['/v'], deck: 'D', dry_run: false }, (p) => seen.push(p));
    expect(report).toEqual({ dry_run: false, totals: {}, notes: [] });
    expect(channel).toBeInstanceOf(Channel);
    expect(invoke.mock.calls[0][0]).toBe('import_notes');
    expect(invoke.mock.calls[0][1]).toMatchObject({ paths: ['/v'], deck: 'D', dry_run: false });
    expect(seen).toEqual([
      { done: 1, total: 2, phase: 'reading' },
      { done: 2, total: 2, phase: 'saving' },
    ]);
  });

  it('loads media through the media protocol', () => {
    const convertFileSrc = vi.fn((path: string, protocol?: string) => `${protocol}://localhost/${encodeURIComponent(path)}`);
    const api = createTauriBackend({ core: { invoke: async () => null, convertFileSrc } });
    expect(api.mediaSrc('ab12.png')).toBe('media://localhost/ab12.png');
    expect(convertFileSrc).toHaveBeenCalledWith('ab12.png', 'media');
  });

  it('asks for the launch time once and accepts only a number', async () => {
    const invoke = vi.fn(async () => 812.5);
    await expect(createTauriBackend({ core: { invoke } }).firstCardShown()).resolves.toBe(812.5);
    expect(invoke).toHaveBeenCalledWith('first_card_shown', {});
    await expect(createTauriBackend({ core: { invoke: async () => 'soon' } }).firstCardShown()).resolves.toBeNull();
  });

  it('passes ApiError rejections through and wraps strings', async () => {
    const api = createTauriBackend({
      core: {
        invoke: vi.fn(async (_cmd: string, args?: Record<string, unknown>) => {
          throw args?.op === 'undo' ? { code: 'nothing_to_undo', message: 'nothing to undo' } : 'plain failure';
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

describe('capabilities', () => {
  it('say what a transport can do, so screens never read its kind', () => {
    const web = createWebBackend(vi.fn());
    const tauri = createTauriBackend({ core: { invoke: async () => null } });
    expect(web.capabilities).toEqual({ pickPaths: false, serverBlocksRemoteImages: true, pairPhones: true, desktopWindow: false });
    expect(tauri.capabilities).toEqual({ pickPaths: true, serverBlocksRemoteImages: false, pairPhones: true, desktopWindow: true });
  });
});
