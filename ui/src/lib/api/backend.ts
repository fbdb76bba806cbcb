// The one module that talks to notedeck. Every screen calls `backend`; it is
// the desktop app's `invoke` when running inside Tauri and `fetch` against
// the HTTP API of `notedeck serve` otherwise. Nothing else in the UI knows
// which. The operations, their routes and their types come from
// `operations.ts` and `types.ts`, generated from the Rust service layer.

import type {
  ActDto,
  AnswerDto,
  BrowsePageDto,
  BrowseRequest,
  CardDetailDto,
  CardDto,
  DeckOptionsDto,
  EvaluationDto,
  OptimizedDto,
  DeckOptionsRequest,
  OpenedDto,
  DaySummaryDto,
  DeckNode,
  DismissRequest,
  ExtractRequest,
  ExtractedDto,
  ReadingDto,
  ErrorCode,
  FindingDto,
  ImportNotesRequest,
  ImportProgressDto,
  ImportReportDto,
  QueueCardDto,
  SettingsDto,
  SettingsUpdate,
  StatsDto,
  StudyRequest,
  UndoDto,
  UndoStepDto,
} from './types';
import { OPERATIONS, REPORT_FILE_NAME, type OperationName, type Operations } from './operations';
import { readLines } from './ndjson';
import { answerDuration } from '../privacy';

export type { ImportProgressDto, ImportNotesRequest };

/** Failures found on this side of the wire, not by the server. */
export type ClientErrorCode = 'network' | 'bad_response' | 'unexpected';

/** What every rejected call gives: the server's `ApiError` or one of ours. */
export interface BackendError {
  code: ErrorCode | ClientErrorCode;
  message: string;
}

/** An answer button, or a raw SM-2 grade 0–5. */
export type Grade = 'again' | 'hard' | 'good' | 'easy' | '0' | '1' | '2' | '3' | '4' | '5';

/** What can be done to cards besides answering them. */
export type CardAction = 'suspend' | 'unsuspend' | 'bury' | 'unbury' | 'forget' | 'tag' | 'untag';

export type ExportKind = 'reviews' | 'cards';
export type ExportFormat = 'csv' | 'json';

/** What a transport can do beyond the operations: screens ask this, never `kind`. */
export interface Capabilities {
  /** A native dialog chooses folders and notes (`pickPaths`). */
  readonly pickPaths: boolean;
  /** The page's own policy already blocks web images when they are off. */
  readonly serverBlocksRemoteImages: boolean;
}

/** One method per operation of the API. */
export interface Backend {
  /** Which transport this is (for this module and its tests only). */
  readonly kind: 'web' | 'tauri';
  /** What it can do beyond the operations. */
  readonly capabilities: Capabilities;
  /** The deck tree (counting only the cards with `tag`, if given). */
  decks(tag?: string | null): Promise<DeckNode[]>;
  /** Today's queue (of a deck, and of the cards with `tag`, if given). */
  due(deck?: string | null, tag?: string | null): Promise<QueueCardDto[]>;
  /** Records an answer (in a custom study session, when `session` is given). */
  answer(cardId: string, grade: Grade, durationMs?: number | null, session?: string | null): Promise<AnswerDto>;
  /** A custom study session's queue. */
  study(request: StudyRequest): Promise<QueueCardDto[]>;
  /** Takes back the newest answer or action (a whole selection at once). */
  undo(expected?: string | null): Promise<UndoDto>;
  /** What the next undo would take back (null: nothing), to ask first. */
  undoPreview(): Promise<UndoStepDto | null>;
  /** Suspends, buries, forgets or tags cards, as one undoable step. */
  act(cardIds: string[], action: CardAction, tag?: string | null): Promise<ActDto>;
  /** Does an action to every card a search finds. */
  actOnSearch(search: string, action: CardAction, tag?: string | null): Promise<ActDto>;
  /** One page of the card browser's search. */
  browse(request: BrowseRequest): Promise<BrowsePageDto>;
  /** One card with its whole history. */
  card(cardId: string): Promise<CardDetailDto>;
  /** A deck's options: its own and those in force. */
  deckOptions(deck: string): Promise<DeckOptionsDto>;
  /** Sets a deck's own options (null fields are inherited). */
  setDeckOptions(request: DeckOptionsRequest): Promise<DeckOptionsDto>;
  /** Opens a note the way the system does (Obsidian in a vault, else the default program). */
  openNote(path: string, heading?: string | null): Promise<OpenedDto>;
  /** Today's answers (to one deck's cards, or to any). */
  daySummary(deck?: string | null): Promise<DaySummaryDto>;
  /**
   * Imports (or, with `dry_run`, previews) notes. `onProgress` hears how far
   * it is while it runs: files read, then the write.
   */
  importNotes(request: ImportNotesRequest, onProgress?: (progress: ImportProgressDto) => void): Promise<ImportReportDto>;
  sources(): Promise<string[]>;
  stats(deck: string | null, days: number, tag?: string | null): Promise<StatsDto>;
  settings(): Promise<SettingsDto>;
  updateSettings(update: SettingsUpdate): Promise<SettingsDto>;
  /** Fits FSRS's parameters to the review log. */
  optimize(): Promise<OptimizedDto>;
  /** Scores SM-2 and FSRS (default and fitted) on the learner's later answers. */
  evaluateSchedulers(): Promise<EvaluationDto>;
  cards(deck?: string | null): Promise<CardDto[]>;
  /** The card doctor's findings (of a deck and its sub-decks, or all). */
  doctor(deck?: string | null): Promise<FindingDto[]>;
  /** Dismisses one finding of the card doctor: it stays dismissed. */
  dismissFinding(cardId: string, rule: string): Promise<DismissRequest>;
  /** Makes sections reading cards (or flashcards again); kept across imports. */
  reviewAsReading(cardIds: string[], reading: boolean): Promise<ReadingDto>;
  /**
   * Writes a card made from text selected on a card into its note (a cloze
   * of `text`, or `question` answered by it), imports the note again and
   * gives the new card; undo takes it out.
   */
  extract(request: ExtractRequest): Promise<ExtractedDto>;
  /** Saves an export; gives a line to show (the file name or path). */
  exportReviews(format: ExportFormat, deck?: string | null): Promise<string>;
  exportCards(format: ExportFormat, deck?: string | null): Promise<string>;
  /** Saves the progress report (one HTML page, no script). */
  exportReport(deck: string | null, days: number): Promise<string>;
  /** A URL a plain `<a download>` can fetch the report from, where the transport has one. */
  reportHref(deck: string | null, days: number): string | null;
  /**
   * Asks for folders (or note files) with the native dialog, where the
   * transport has one (the desktop app); `null` means "type the paths".
   */
  pickPaths(folders: boolean): Promise<string[]> | null;
  /** A URL a plain `<a download>` can fetch, where the transport has one. */
  exportHref(kind: ExportKind, format: ExportFormat, deck?: string | null): string | null;
  /**
   * The address to load the collection's media file `name` (`<hash>.<ext>`)
   * from, or null where the card HTML's own `media/<name>` works (the web).
   */
  mediaSrc(name: string): string | null;
  /**
   * Tells the desktop app the first card is on screen; gives its answer,
   * the ms since the app started, or null where there is no such thing.
   */
  firstCardShown(): Promise<number | null>;
  /**
   * Opens a web, mail or Obsidian link outside the app where the page
   * cannot (the desktop window); null means "let the link work itself".
   */
  openExternal(url: string): Promise<void> | null;
  /**
   * Opens a media file of the collection (a PDF) with the system's viewer,
   * or null where the card's own link does it (the web: a download).
   */
  openMedia(name: string): Promise<void> | null;
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

/** The operations that answer with JSON (or, for the import, also progress). */
type CallName = { [K in OperationName]: (typeof OPERATIONS)[K]['delivery'] extends 'file' ? never : K }[OperationName];

/** Runs one operation by name: how is up to the transport. */
type Call = <K extends CallName>(name: K, request: Operations[K]['request']) => Promise<Operations[K]['response']>;

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
  const networkError = (): BackendError => ({
    code: 'network',
    message: 'Cannot reach the notedeck server. Is `notedeck serve` still running?',
  });
  const brokeOff = (): BackendError => ({ code: 'network', message: 'The connection to the notedeck server broke off.' });

  async function send(method: 'GET' | 'POST', path: string, body: unknown, accept: string): Promise<Response> {
    try {
      return await fetchFn(base + path, {
        method,
        headers: body === undefined ? { accept } : { accept, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw networkError();
    }
  }

  async function readText(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch {
      throw brokeOff();
    }
  }

  /** The error for a response that is not OK: the server's ApiError when it sent one. */
  function failure(response: Response, text: string): BackendError {
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: described below.
    }
    if (isBackendError(parsed)) return { code: parsed.code, message: parsed.message };
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const detail = text.trim().slice(0, 200);
    return {
      code: 'bad_response',
      message: `The server answered ${status}${detail ? `: ${detail}` : ''}.`,
    };
  }

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body, 'application/json');
    const text = await readText(response);
    if (!response.ok) throw failure(response, text);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw {
        code: 'bad_response',
        message: `The server sent something that is not JSON for ${path.split('?')[0]}.`,
      } satisfies BackendError;
    }
  }

  /**
   * `POST /api/import/stream`: NDJSON lines `{"progress":…}`, then one
   * `{"report":…}` or `{"error":…}`.
   */
  async function importStream(req: ImportNotesRequest, onProgress: (p: ImportProgressDto) => void): Promise<ImportReportDto> {
    const path = '/api/import/stream';
    const response = await send('POST', path, req, 'application/x-ndjson, application/json');
    if (!response.ok) throw failure(response, await readText(response));
    const notJson: BackendError = { code: 'bad_response', message: `The server sent something that is not JSON for ${path}.` };
    let outcome: { report: ImportReportDto } | { error: BackendError } | null = null;
    const onLine = (line: string) => {
      if (outcome) return;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        throw notJson;
      }
      if (typeof message !== 'object' || message === null) throw notJson;
      const m = message as { progress?: ImportProgressDto; report?: ImportReportDto; error?: unknown };
      if (m.progress) onProgress(m.progress);
      else if (m.report) outcome = { report: m.report };
      else if (m.error !== undefined) {
        outcome = {
          error: isBackendError(m.error)
            ? { code: m.error.code, message: m.error.message }
            : { code: 'bad_response', message: 'The import failed, and the server did not say why.' },
        };
      }
    };
    if (response.body) {
      try {
        await readLines(response.body, onLine);
      } catch (err) {
        // Ours (a line that is not JSON) as it is; a failed read means the connection broke.
        throw isBackendError(err) ? err : brokeOff();
      }
    } else {
      const text = await readText(response);
      for (const line of text.split('\n')) if (line.trim() !== '') onLine(line);
    }
    const result = outcome as { report: ImportReportDto } | { error: BackendError } | null;
    if (!result) throw { code: 'bad_response', message: 'The import stopped before the server sent its report.' } satisfies BackendError;
    if ('error' in result) throw result.error;
    return result.report;
  }

  /** An operation over HTTP: GET with the request as query, POST with it as body. */
  const op: Call = (name, req) => {
    const { method, path } = OPERATIONS[name];
    return method === 'GET'
      ? request('GET', `${path}${query(req as Record<string, string | number | null | undefined>)}`)
      : request('POST', path, req);
  };

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
    capabilities: { pickPaths: false, serverBlocksRemoteImages: true },
    ...operations(op),
    importNotes: (req, onProgress) => (onProgress ? importStream(req, onProgress) : op('import_notes', req)),
    exportReviews: (format, deck) => download('reviews', format, deck),
    exportCards: (format, deck) => download('cards', format, deck),
    exportHref,
    reportHref: (deck, days) => `${base}/api/export/report${query({ deck, days })}`,
    exportReport: async (deck, days) => {
      const link = document.createElement('a');
      link.href = `${base}/api/export/report${query({ deck, days })}`;
      link.download = REPORT_FILE_NAME;
      document.body.append(link);
      link.click();
      link.remove();
      return link.download;
    },
    pickPaths: () => null,
    mediaSrc: () => null,
    firstCardShown: async () => null,
    openExternal: () => null,
    openMedia: () => null,
  };
}

/** The methods every transport makes the same way from its `op`. */
function operations(op: Call) {
  return {
    decks: (tag?: string | null) => op('decks', tag ? { tag } : {}),
    due: (deck?: string | null, tag?: string | null) =>
      op('due', { ...(deck ? { deck } : {}), ...(tag ? { tag } : {}) }),
    answer: (cardId: string, grade: Grade, durationMs?: number | null, session?: string | null) =>
      op(
        'answer',
        session
          ? { card_id: cardId, grade, duration_ms: answerDuration(durationMs), session }
          : { card_id: cardId, grade, duration_ms: answerDuration(durationMs) },
      ),
    study: (request: StudyRequest) => op('study', request),
    undo: (expected?: string | null) => op('undo', expected ? { expected } : {}),
    undoPreview: () => op('undo_preview', {}),
    act: (cardIds: string[], action: CardAction, tag?: string | null) =>
      op('act', tag ? { card_ids: cardIds, action, tag } : { card_ids: cardIds, action }),
    actOnSearch: (search: string, action: CardAction, tag?: string | null) =>
      op('act', tag ? { card_ids: [], search, action, tag } : { card_ids: [], search, action }),
    browse: (request: BrowseRequest) => op('browse', request),
    card: (cardId: string) => op('card', { card_id: cardId }),
    deckOptions: (deck: string) => op('deck_options', { deck }),
    setDeckOptions: (request: DeckOptionsRequest) => op('set_deck_options', request),
    openNote: (path: string, heading?: string | null) => op('open_note', heading ? { path, heading } : { path }),
    daySummary: (deck?: string | null) => op('day_summary', deck ? { deck } : {}),
    sources: () => op('sources', {}),
    stats: (deck: string | null, days: number, tag?: string | null) =>
      op('stats', { ...(deck ? { deck } : {}), days, ...(tag ? { tag } : {}) }),
    settings: () => op('settings', {}),
    updateSettings: (update: SettingsUpdate) => op('update_settings', update),
    optimize: () => op('optimize', {}),
    evaluateSchedulers: () => op('evaluate_schedulers', {}),
    cards: (deck?: string | null) => op('cards', deck ? { deck } : {}),
    doctor: (deck?: string | null) => op('doctor', deck ? { deck } : {}),
    dismissFinding: (cardId: string, rule: string) => op('dismiss_finding', { card_id: cardId, rule, dismissed: true }),
    reviewAsReading: (cardIds: string[], reading: boolean) => op('review_as_reading', { card_ids: cardIds, reading }),
    extract: (request: ExtractRequest) => op('extract', request),
  } satisfies Partial<Backend>;
}

/** A Tauri IPC channel: the command sends messages to `onmessage`. */
export interface TauriChannel<T> {
  onmessage: (message: T) => void;
}

/** What the desktop shell puts on `window` (`withGlobalTauri`). */
export interface TauriGlobal {
  core: {
    invoke: (command: string, args?: Record<string, unknown>) => Promise<unknown>;
    Channel?: new <T>() => TauriChannel<T>;
    convertFileSrc?: (path: string, protocol?: string) => string;
  };
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
  /** An operation through the desktop app's one `call` command. */
  const op: Call = (name, req) => call('call', { op: name, args: req });
  return {
    kind: 'tauri',
    capabilities: { pickPaths: true, serverBlocksRemoteImages: false },
    ...operations(op),
    importNotes: (req, onProgress) => {
      const args: Record<string, unknown> = { paths: req.paths, deck: req.deck, dry_run: req.dry_run };
      const Channel = tauri.core.Channel;
      if (onProgress && Channel) {
        const channel = new Channel<ImportProgressDto>();
        channel.onmessage = (progress) => onProgress(progress);
        args.on_progress = channel;
      }
      return call('import_notes', args);
    },
    exportReviews: (format, deck) => call('export_reviews', { format, deck: deck ?? null }),
    exportCards: (format, deck) => call('export_cards', { format, deck: deck ?? null }),
    exportHref: () => null,
    reportHref: () => null,
    exportReport: (deck, days) => call('export_report', { deck, days }),
    pickPaths: (folders) => call('pick_import_paths', { folders }),
    mediaSrc: (name) => tauri.core.convertFileSrc?.(name, 'media') ?? null,
    firstCardShown: async () => {
      const ms = await call<unknown>('first_card_shown');
      return typeof ms === 'number' && Number.isFinite(ms) ? ms : null;
    },
    openExternal: (url) => call('open_external', { url }),
    openMedia: (name) => call('open_media', { name }),
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
