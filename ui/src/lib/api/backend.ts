// The one module that talks to notedeck. Every screen calls `backend`; it is
// the desktop app's `invoke` when running inside Tauri and `fetch` against
// the HTTP API of `notedeck serve` otherwise. Nothing else in the UI knows
// which.

import type {
  AnswerDto,
  CardDto,
  DaySummaryDto,
  DeckNode,
  ErrorCode,
  ImportReportDto,
  QueueCardDto,
  SettingsDto,
  SettingsUpdate,
  StatsDto,
} from './types';

/** Failures found on this side of the wire, not by the server. */
export type ClientErrorCode = 'network' | 'bad_response' | 'unexpected';

/** What every rejected call gives: the server's `ApiError` or one of ours. */
export interface BackendError {
  code: ErrorCode | ClientErrorCode;
  message: string;
}

/** An answer button, or a raw SM-2 grade 0–5. */
export type Grade = 'again' | 'hard' | 'good' | 'easy' | '0' | '1' | '2' | '3' | '4' | '5';

export type ExportKind = 'reviews' | 'cards';
export type ExportFormat = 'csv' | 'json';

/** The body of `POST /api/import`: no paths means every known source. */
export interface ImportNotesRequest {
  paths: string[];
  deck: string | null;
  dry_run: boolean;
}

/** One method per operation of the API. */
export interface Backend {
  readonly kind: 'web' | 'tauri';
  decks(): Promise<DeckNode[]>;
  due(deck?: string | null): Promise<QueueCardDto[]>;
  answer(cardId: string, grade: Grade, durationMs?: number | null): Promise<AnswerDto>;
  undo(): Promise<AnswerDto>;
  daySummary(): Promise<DaySummaryDto>;
  importNotes(request: ImportNotesRequest): Promise<ImportReportDto>;
  sources(): Promise<string[]>;
  stats(deck: string | null, days: number): Promise<StatsDto>;
  settings(): Promise<SettingsDto>;
  updateSettings(update: SettingsUpdate): Promise<SettingsDto>;
  cards(deck?: string | null): Promise<CardDto[]>;
  /** Saves an export; gives a line to show (the file name or path). */
  exportReviews(format: ExportFormat, deck?: string | null): Promise<string>;
  exportCards(format: ExportFormat, deck?: string | null): Promise<string>;
  /**
   * Asks for folders (or note files) with the native dialog, where the
   * transport has one (the desktop app); `null` means "type the paths".
   */
  pickPaths(folders: boolean): Promise<string[]> | null;
  /** A URL a plain `<a download>` can fetch, where the transport has one. */
  exportHref(kind: ExportKind, format: ExportFormat, deck?: string | null): string | null;
}

/** Turns anything a call threw into a `BackendError` with a readable message. */
export function toBackendError(err: unknown): BackendError {
  if (isBackendError(err)) return { code: err.code, message: err.message };
  if (typeof err === 'string' && err.trim() !== '') return { code: 'unexpected', message: err };
  if (err instanceof Error && err.message) return { code: 'unexpected', message: err.message };
  return { code: 'unexpected', message: 'Something went wrong, and notedeck was not told what.' };
}

export function isBackendError(err: unknown): err is BackendError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as BackendError).code === 'string' &&
    typeof (err as BackendError).message === 'string' &&
    (err as BackendError).message !== ''
  );
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The HTTP implementation; `base` is '' for the page's own origin. */
export function createWebBackend(fetchFn: FetchLike = (i, init) => fetch(i, init), base = ''): Backend {
  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetchFn(base + path, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw {
        code: 'network',
        message: 'Cannot reach the notedeck server. Is `notedeck serve` still running?',
      } satisfies BackendError;
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw { code: 'network', message: 'The connection to the notedeck server broke off.' } satisfies BackendError;
    }
    if (!response.ok) {
      let parsed: unknown = undefined;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: described below.
      }
      if (isBackendError(parsed)) throw { code: parsed.code, message: parsed.message } satisfies BackendError;
      const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      const detail = text.trim().slice(0, 200);
      throw {
        code: 'bad_response',
        message: `The server answered ${status}${detail ? `: ${detail}` : ''}.`,
      } satisfies BackendError;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw {
        code: 'bad_response',
        message: `The server sent something that is not JSON for ${path.split('?')[0]}.`,
      } satisfies BackendError;
    }
  }

  const exportHref = (kind: ExportKind, format: ExportFormat, deck?: string | null) =>
    `${base}/api/export/${kind}${query({ format, deck })}`;

  async function download(kind: ExportKind, format: ExportFormat, deck?: string | null): Promise<string> {
    const link = document.createElement('a');
    link.href = exportHref(kind, format, deck);
    link.download = `notedeck-${kind}.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    return link.download;
  }

  return {
    kind: 'web',
    decks: () => request('GET', '/api/decks'),
    due: (deck) => request('GET', `/api/due${query({ deck })}`),
    answer: (cardId, grade, durationMs) =>
      request('POST', '/api/answer', {
        card_id: cardId,
        grade,
        duration_ms: durationMs === undefined || durationMs === null ? null : Math.max(0, Math.round(durationMs)),
      }),
    undo: () => request('POST', '/api/undo', {}),
    daySummary: () => request('GET', '/api/summary'),
    importNotes: (req) => request('POST', '/api/import', req),
    sources: () => request('GET', '/api/sources'),
    stats: (deck, days) => request('GET', `/api/stats${query({ deck, days })}`),
    settings: () => request('GET', '/api/settings'),
    updateSettings: (update) => request('POST', '/api/settings', update),
    cards: (deck) => request('GET', `/api/cards${query({ deck })}`),
    exportReviews: (format, deck) => download('reviews', format, deck),
    exportCards: (format, deck) => download('cards', format, deck),
    exportHref,
    pickPaths: () => null,
  };
}

/** What the desktop shell puts on `window`. */
export interface TauriGlobal {
  core: { invoke: (command: string, args?: Record<string, unknown>) => Promise<unknown> };
}

/**
 * The desktop implementation: each operation is the Tauri command of the
 * same name in snake_case, with the same snake_case arguments as the HTTP
 * API's query and body.
 */
export function createTauriBackend(tauri: TauriGlobal): Backend {
  async function call<T>(command: string, args: Record<string, unknown> = {}): Promise<T> {
    try {
      return (await tauri.core.invoke(command, args)) as T;
    } catch (err) {
      throw toBackendError(err);
    }
  }
  return {
    kind: 'tauri',
    decks: () => call('decks'),
    due: (deck) => call('due', { deck: deck ?? null }),
    answer: (cardId, grade, durationMs) =>
      call('answer', { card_id: cardId, grade, duration_ms: durationMs == null ? null : Math.max(0, Math.round(durationMs)) }),
    undo: () => call('undo'),
    daySummary: () => call('day_summary'),
    importNotes: (req) => call('import_notes', { paths: req.paths, deck: req.deck, dry_run: req.dry_run }),
    sources: () => call('sources'),
    stats: (deck, days) => call('stats', { deck, days }),
    settings: () => call('settings'),
    updateSettings: (update) => call('update_settings', { ...update }),
    cards: (deck) => call('cards', { deck: deck ?? null }),
    exportReviews: (format, deck) => call('export_reviews', { format, deck: deck ?? null }),
    exportCards: (format, deck) => call('export_cards', { format, deck: deck ?? null }),
    exportHref: () => null,
    pickPaths: (folders) => call('pick_import_paths', { folders }),
  };
}

/** Picks the transport: Tauri inside the desktop app, HTTP in a browser. */
export function pickBackend(global: { __TAURI__?: TauriGlobal } | undefined): Backend {
  const tauri = global?.__TAURI__;
  return tauri?.core?.invoke ? createTauriBackend(tauri) : createWebBackend();
}

export const backend: Backend = pickBackend(
  typeof window === 'undefined' ? undefined : (window as unknown as { __TAURI__?: TauriGlobal }),
);
