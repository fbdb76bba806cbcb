// The one module that talks to notedeck. Every screen calls `backend`; it is
// the desktop app's `invoke` when running inside Tauri and `fetch` against
// the HTTP API of `notedeck serve` otherwise. Nothing else in the UI knows
// which. The operations, their routes and their types come from
// `operations.ts` and `types.ts`, generated from the Rust service layer.

import type { AnkiImportDto, ErrorCode, ImportAnkiRequest, ImportNotesRequest, ImportProgressDto, ImportReportDto, PairingDto } from './types';
import { OPERATIONS, operationClient, type Call, type FileName, type OperationClient, type Operations } from './operations';
import { readLines } from './ndjson';
import { answerDuration } from '../privacy';

export type { CardAction, ExportFormat, Grade, ImportNotesRequest, ImportProgressDto } from './types';

/** Failures found on this side of the wire, not by the server. */
export type ClientErrorCode = 'network' | 'bad_response' | 'unexpected';

/** What every rejected call gives: the server's `ApiError` or one of ours. */
export interface BackendError {
  code: ErrorCode | ClientErrorCode;
  message: string;
}


/** What a transport can do beyond the operations: screens ask this, never `kind`. */
export interface Capabilities {
  /** A native dialog chooses folders and notes (`pickPaths`). */
  readonly pickPaths: boolean;
  /** The page's own policy already blocks web images when they are off. */
  readonly serverBlocksRemoteImages: boolean;
  /** A server is there to pair a phone with (`pairPhone`). */
  readonly pairPhones: boolean;
  /** The page runs in the desktop app's own window (not a browser tab). */
  readonly desktopWindow: boolean;
}

/**
 * One method per operation of the API (the generated `OperationClient`,
 * each taking its request object), and what only a transport can do.
 */
export interface Backend extends Omit<OperationClient, 'importNotes' | 'importAnki'> {
  /** Which transport this is (for this module and its tests only). */
  readonly kind: 'web' | 'tauri';
  /** What it can do beyond the operations. */
  readonly capabilities: Capabilities;
  /**
   * Imports (or, with `dry_run`, previews) notes. `onProgress` hears how far
   * it is while it runs: files read, then the write.
   */
  importNotes(request: ImportNotesRequest, onProgress?: (progress: ImportProgressDto) => void): Promise<ImportReportDto>;
  /**
   * Brings in an Anki package (or, with `dry_run`, shows what it would
   * write). `onProgress` hears the import of its notes.
   */
  importAnki(request: ImportAnkiRequest, onProgress?: (progress: ImportProgressDto) => void): Promise<AnkiImportDto>;
  /** Saves the file an operation delivers (an export); gives a line to show (the file name or path). */
  saveFile<K extends FileName>(name: K, request: Operations[K]['request']): Promise<string>;
  /** A URL a plain `<a download>` can fetch an operation's file from, where the transport has one. */
  fileHref<K extends FileName>(name: K, request: Operations[K]['request']): string | null;
  /**
   * Asks for folders (or note files) with the native dialog, where the
   * transport has one (the desktop app); `null` means "type the paths".
   */
  pickPaths(folders: boolean): Promise<string[]> | null;
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
  /**
   * A new pairing code (its URL and QR code) from `notedeck serve --lan`,
   * or from the desktop app, which then serves phones while it is open;
   * null where no shell can.
   */
  pairPhone(): Promise<PairingDto> | null;
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

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * How long an answer may go unanswered before it counts as lost (a phone
 * gone off the network may otherwise wait minutes): it is then sent again,
 * which its key makes harmless.
 */
export const ANSWER_TIMEOUT_MS = 15_000;

/** The HTTP implementation; `base` is '' for the page's own origin. */
export function createWebBackend(fetchFn: FetchLike = (i, init) => fetch(i, init), base = ''): Backend {
  const networkError = (): BackendError => ({
    code: 'network',
    message: 'Cannot reach the notedeck server. Is `notedeck serve` still running?',
  });
  const brokeOff = (): BackendError => ({ code: 'network', message: 'The connection to the notedeck server broke off.' });

  const timedOut = (ms: number): BackendError => ({
    code: 'network',
    message: `The notedeck server did not answer within ${ms / 1000} s.`,
  });

  async function send(method: 'GET' | 'POST', path: string, body: unknown, accept: string, timeoutMs?: number): Promise<Response> {
    const controller = timeoutMs === undefined ? null : new AbortController();
    const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
    try {
      return await fetchFn(base + path, {
        method,
        headers: body === undefined ? { accept } : { accept, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller?.signal,
      });
    } catch {
      throw controller?.signal.aborted ? timedOut(timeoutMs ?? 0) : networkError();
    } finally {
      clearTimeout(timer);
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

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const response = await send(method, path, body, 'application/json', timeoutMs);
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
   * `POST /api/import/stream` (or `/api/anki/import/stream`): NDJSON lines
   * `{"progress":…}`, then one `{"report":…}` or `{"error":…}`.
   */
  async function importStream<R, T>(
    path: string,
    req: R,
    onProgress: (p: ImportProgressDto) => void,
  ): Promise<T> {
    const response = await send('POST', path, req, 'application/x-ndjson, application/json');
    if (!response.ok) throw failure(response, await readText(response));
    const notJson: BackendError = { code: 'bad_response', message: `The server sent something that is not JSON for ${path}.` };
    let outcome: { report: T } | { error: BackendError } | null = null;
    const onLine = (line: string) => {
      if (outcome) return;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        throw notJson;
      }
      if (typeof message !== 'object' || message === null) throw notJson;
      const m = message as { progress?: ImportProgressDto; report?: T; error?: unknown };
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
    const result = outcome as { report: T } | { error: BackendError } | null;
    if (!result) throw { code: 'bad_response', message: 'The import stopped before the server sent its report.' } satisfies BackendError;
    if ('error' in result) throw result.error;
    return result.report;
  }

  /** An operation over HTTP: GET with the request as query, POST with it as body. */
  const op: Call = (name, req) => {
    const { method, path } = OPERATIONS[name];
    return method === 'GET'
      ? request('GET', `${path}${query(req)}`)
      : request('POST', path, req, name === 'answer' ? ANSWER_TIMEOUT_MS : undefined);
  };

  const fileHref = <K extends FileName>(name: K, req: Operations[K]['request']) => `${base}${OPERATIONS[name].path}${query(req)}`;

  /** A download through a plain link; the server names the file. */
  async function download<K extends FileName>(name: K, req: Operations[K]['request']): Promise<string> {
    const link = document.createElement('a');
    link.href = fileHref(name, req);
    link.download = '';
    document.body.append(link);
    link.click();
    link.remove();
    return 'the download';
  }

  return {
    kind: 'web',
    capabilities: { pickPaths: false, serverBlocksRemoteImages: true, pairPhones: true, desktopWindow: false },
    ...operations(op),
    importNotes: (req, onProgress) =>
      onProgress ? importStream<ImportNotesRequest, ImportReportDto>('/api/import/stream', req, onProgress) : op('import_notes', req),
    importAnki: (req, onProgress) =>
      onProgress ? importStream<ImportAnkiRequest, AnkiImportDto>('/api/anki/import/stream', req, onProgress) : op('import_anki', req),
    saveFile: download,
    fileHref,
    pickPaths: () => null,
    mediaSrc: () => null,
    firstCardShown: async () => null,
    openExternal: () => null,
    openMedia: () => null,
    pairPhone: () => request<PairingDto>('POST', '/api/pairing', {}),
  };
}

/** The methods every transport makes the same way from its `op`: the generated client, with answer times rounded. */
function operations(op: Call) {
  const client = operationClient(op);
  return {
    ...client,
    answer: (request) => client.answer({ ...request, duration_ms: answerDuration(request.duration_ms) }),
  } satisfies Omit<OperationClient, 'importNotes' | 'importAnki'>;
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
    capabilities: { pickPaths: true, serverBlocksRemoteImages: false, pairPhones: true, desktopWindow: true },
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
    importAnki: (req, onProgress) => {
      const args: Record<string, unknown> = { request: req };
      const Channel = tauri.core.Channel;
      if (onProgress && Channel) {
        const channel = new Channel<ImportProgressDto>();
        channel.onmessage = (progress) => onProgress(progress);
        args.on_progress = channel;
      }
      return call('import_anki', args);
    },
    saveFile: (name, req) => call('save_file', { op: name, args: req }),
    fileHref: () => null,
    pickPaths: (folders) => call('pick_import_paths', { folders }),
    mediaSrc: (name) => tauri.core.convertFileSrc?.(name, 'media') ?? null,
    firstCardShown: async () => {
      const ms = await call<unknown>('first_card_shown');
      return typeof ms === 'number' && Number.isFinite(ms) ? ms : null;
    },
    openExternal: (url) => call('open_external', { url }),
    openMedia: (name) => call('open_media', { name }),
    pairPhone: () => call('pair_phone'),
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
