// Generated from crates/api/src/ops.rs by
// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.

import type { ActDto, ActRequest, AnkiExportDto, AnkiImportDto, AnswerDto, AnswerRequest, BrowsePageDto, BrowseRequest, CardDetailDto, CardDto, CardRequest, DaySummaryDto, DeckNode, DeckOptionsDto, DeckOptionsRequest, DeckRequest, DeviceDto, DeviceRequest, DismissRequest, DoctorPageDto, DoctorPageRequest, EvaluationDto, ExportAnkiRequest, ExportRequest, ExtractRequest, ExtractedDto, FindingDto, ImportAnkiRequest, ImportNotesRequest, ImportReportDto, NoRequest, NoteRequest, NoteViewDto, OpenNoteRequest, OpenedDto, OptimizedDto, QueueCardDto, ReadingDto, ReadingRequest, SettingsDto, SettingsUpdate, StatsDto, StatsRequest, StudyRequest, SyncFolderRequest, SyncReportDto, SyncStatusDto, UndoDto, UndoRequest, UndoStepDto } from './types';

/** Each operation's request and response. */
export interface Operations {
  decks: { request: DeckRequest; response: Array<DeckNode> };
  cards: { request: DeckRequest; response: Array<CardDto> };
  due: { request: DeckRequest; response: Array<QueueCardDto> };
  study: { request: StudyRequest; response: Array<QueueCardDto> };
  day_summary: { request: DeckRequest; response: DaySummaryDto };
  answer: { request: AnswerRequest; response: AnswerDto };
  undo: { request: UndoRequest; response: UndoDto };
  undo_preview: { request: NoRequest; response: UndoStepDto | null };
  act: { request: ActRequest; response: ActDto };
  browse: { request: BrowseRequest; response: BrowsePageDto };
  card: { request: CardRequest; response: CardDetailDto };
  note: { request: NoteRequest; response: NoteViewDto };
  open_note: { request: OpenNoteRequest; response: OpenedDto };
  import_notes: { request: ImportNotesRequest; response: ImportReportDto };
  sources: { request: NoRequest; response: Array<string> };
  doctor: { request: DeckRequest; response: Array<FindingDto> };
  doctor_page: { request: DoctorPageRequest; response: DoctorPageDto };
  dismiss_finding: { request: DismissRequest; response: DismissRequest };
  extract: { request: ExtractRequest; response: ExtractedDto };
  review_as_reading: { request: ReadingRequest; response: ReadingDto };
  stats: { request: StatsRequest; response: StatsDto };
  settings: { request: NoRequest; response: SettingsDto };
  update_settings: { request: SettingsUpdate; response: SettingsDto };
  optimize: { request: NoRequest; response: OptimizedDto };
  evaluate_schedulers: { request: NoRequest; response: EvaluationDto };
  deck_options: { request: DeckRequest; response: DeckOptionsDto };
  set_deck_options: { request: DeckOptionsRequest; response: DeckOptionsDto };
  devices: { request: NoRequest; response: Array<DeviceDto> };
  forget_device: { request: DeviceRequest; response: Array<DeviceDto> };
  sync_status: { request: NoRequest; response: SyncStatusDto };
  sync_now: { request: NoRequest; response: SyncReportDto };
  sync_folder: { request: SyncFolderRequest; response: SyncStatusDto };
  import_anki: { request: ImportAnkiRequest; response: AnkiImportDto };
  export_anki: { request: ExportAnkiRequest; response: AnkiExportDto };
  export_reviews: { request: ExportRequest; response: string };
  export_cards: { request: ExportRequest; response: string };
  export_report: { request: StatsRequest; response: string };
}

/** The name of an operation. */
export type OperationName = keyof Operations;

/** Each operation's HTTP route, and how its result arrives. */
export const OPERATIONS = {
  decks: { method: 'GET', path: '/api/decks', delivery: 'json' },
  cards: { method: 'GET', path: '/api/cards', delivery: 'json' },
  due: { method: 'GET', path: '/api/due', delivery: 'json' },
  study: { method: 'GET', path: '/api/study', delivery: 'json' },
  day_summary: { method: 'GET', path: '/api/summary', delivery: 'json' },
  answer: { method: 'POST', path: '/api/answer', delivery: 'json' },
  undo: { method: 'POST', path: '/api/undo', delivery: 'json' },
  undo_preview: { method: 'GET', path: '/api/undo', delivery: 'json' },
  act: { method: 'POST', path: '/api/cards/act', delivery: 'json' },
  browse: { method: 'GET', path: '/api/browse', delivery: 'json' },
  card: { method: 'GET', path: '/api/card', delivery: 'json' },
  note: { method: 'GET', path: '/api/note', delivery: 'json' },
  open_note: { method: 'POST', path: '/api/notes/open', delivery: 'json' },
  import_notes: { method: 'POST', path: '/api/import', delivery: 'progress' },
  sources: { method: 'GET', path: '/api/sources', delivery: 'json' },
  doctor: { method: 'GET', path: '/api/doctor', delivery: 'json' },
  doctor_page: { method: 'GET', path: '/api/doctor/page', delivery: 'json' },
  dismiss_finding: { method: 'POST', path: '/api/doctor/dismiss', delivery: 'json' },
  extract: { method: 'POST', path: '/api/extract', delivery: 'json' },
  review_as_reading: { method: 'POST', path: '/api/cards/reading', delivery: 'json' },
  stats: { method: 'GET', path: '/api/stats', delivery: 'json' },
  settings: { method: 'GET', path: '/api/settings', delivery: 'json' },
  update_settings: { method: 'POST', path: '/api/settings', delivery: 'json' },
  optimize: { method: 'POST', path: '/api/scheduler/optimize', delivery: 'json' },
  evaluate_schedulers: { method: 'GET', path: '/api/scheduler/evaluate', delivery: 'json' },
  deck_options: { method: 'GET', path: '/api/decks/options', delivery: 'json' },
  set_deck_options: { method: 'POST', path: '/api/decks/options', delivery: 'json' },
  devices: { method: 'GET', path: '/api/devices', delivery: 'json' },
  forget_device: { method: 'POST', path: '/api/devices/forget', delivery: 'json' },
  sync_status: { method: 'GET', path: '/api/sync', delivery: 'json' },
  sync_now: { method: 'POST', path: '/api/sync', delivery: 'json' },
  sync_folder: { method: 'POST', path: '/api/sync/folder', delivery: 'json' },
  import_anki: { method: 'POST', path: '/api/anki/import', delivery: 'json' },
  export_anki: { method: 'POST', path: '/api/anki/export', delivery: 'json' },
  export_reviews: { method: 'GET', path: '/api/export/reviews', delivery: 'file' },
  export_cards: { method: 'GET', path: '/api/export/cards', delivery: 'file' },
  export_report: { method: 'GET', path: '/api/export/report', delivery: 'file' },
} as const satisfies Record<OperationName, { method: 'GET' | 'POST'; path: string; delivery: string }>;

/** The operations that answer with JSON (the import also with progress). */
export type CallName = { [K in OperationName]: (typeof OPERATIONS)[K]['delivery'] extends 'file' ? never : K }[OperationName];

/** The operations that deliver a file (the exports). */
export type FileName = { [K in OperationName]: (typeof OPERATIONS)[K]['delivery'] extends 'file' ? K : never }[OperationName];

/** Runs one operation by name: how is up to the transport. */
export type Call = <K extends CallName>(name: K, request: Operations[K]['request']) => Promise<Operations[K]['response']>;

/** A method's arguments: the request, optional when every field is. */
type Args<R> = {} extends R ? [request?: R] : [request: R];

/** One typed method per operation that answers with JSON, named as the operation in camelCase. */
export function operationClient(call: Call) {
  return {
    /** The deck tree (counting only the cards with `tag`, if given). */
    decks: (...args: Args<DeckRequest>) => call('decks', (args[0] ?? {}) as DeckRequest),
    /** Every card (of a deck and its sub-decks). */
    cards: (...args: Args<DeckRequest>) => call('cards', (args[0] ?? {}) as DeckRequest),
    /** Today's queue (of a deck, and of the cards with `tag`, if given). */
    due: (...args: Args<DeckRequest>) => call('due', (args[0] ?? {}) as DeckRequest),
    /** A custom study session's queue. */
    study: (...args: Args<StudyRequest>) => call('study', (args[0] ?? {}) as StudyRequest),
    /** Today's answers (to one deck's cards, or to any) and what waits. */
    daySummary: (...args: Args<DeckRequest>) => call('day_summary', (args[0] ?? {}) as DeckRequest),
    /** Records an answer (in a custom study session, when `session` is given). */
    answer: (...args: Args<AnswerRequest>) => call('answer', (args[0] ?? {}) as AnswerRequest),
    /**
     * Takes back the newest answer or action (a whole selection at once);
     * with `expected`, only that step.
     */
    undo: (...args: Args<UndoRequest>) => call('undo', (args[0] ?? {}) as UndoRequest),
    /** What the next undo would take back (null: nothing), to ask first. */
    undoPreview: (...args: Args<NoRequest>) => call('undo_preview', (args[0] ?? {}) as NoRequest),
    /**
     * Suspends, buries, forgets or tags cards (or every card a search
     * finds), as one undoable step.
     */
    act: (...args: Args<ActRequest>) => call('act', (args[0] ?? {}) as ActRequest),
    /** One page of the card browser's search. */
    browse: (...args: Args<BrowseRequest>) => call('browse', (args[0] ?? {}) as BrowseRequest),
    /** One card with its whole history. */
    card: (...args: Args<CardRequest>) => call('card', (args[0] ?? {}) as CardRequest),
    /**
     * A note's cards in note order, read-only: what a device that cannot
     * open the note (a phone) shows for "Open note".
     */
    note: (...args: Args<NoteRequest>) => call('note', (args[0] ?? {}) as NoteRequest),
    /**
     * Opens a note the way the system does (Obsidian in a vault, else the
     * default program).
     */
    openNote: (...args: Args<OpenNoteRequest>) => call('open_note', (args[0] ?? {}) as OpenNoteRequest),
    /**
     * Imports (or, with `dry_run`, previews) notes, telling how far it is
     * as it goes: files read, then the write.
     */
    importNotes: (...args: Args<ImportNotesRequest>) => call('import_notes', (args[0] ?? {}) as ImportNotesRequest),
    /** The folders and files imported before. */
    sources: (...args: Args<NoRequest>) => call('sources', (args[0] ?? {}) as NoRequest),
    /** The card doctor's findings (of a deck and its sub-decks, or all). */
    doctor: (...args: Args<DeckRequest>) => call('doctor', (args[0] ?? {}) as DeckRequest),
    /**
     * A part of the card doctor's findings: how many each rule has, and
     * the first of each (or of one rule).
     */
    doctorPage: (...args: Args<DoctorPageRequest>) => call('doctor_page', (args[0] ?? {}) as DoctorPageRequest),
    /** Dismisses one finding of the card doctor (or brings it back). */
    dismissFinding: (...args: Args<DismissRequest>) => call('dismiss_finding', (args[0] ?? {}) as DismissRequest),
    /**
     * Writes a card made from text selected on a card into its note (a
     * cloze of the text, or a question it answers), imports the note
     * again and gives the new card; undo takes it out.
     */
    extract: (...args: Args<ExtractRequest>) => call('extract', (args[0] ?? {}) as ExtractRequest),
    /**
     * Makes sections reading cards (or flashcards again); kept across
     * imports.
     */
    reviewAsReading: (...args: Args<ReadingRequest>) => call('review_as_reading', (args[0] ?? {}) as ReadingRequest),
    /** Statistics over the last `days` days (30 when absent). */
    stats: (...args: Args<StatsRequest>) => call('stats', (args[0] ?? {}) as StatsRequest),
    /** The collection's settings. */
    settings: (...args: Args<NoRequest>) => call('settings', (args[0] ?? {}) as NoRequest),
    /** Changes some settings (the fields given) at once. */
    updateSettings: (...args: Args<SettingsUpdate>) => call('update_settings', (args[0] ?? {}) as SettingsUpdate),
    /** Fits FSRS's parameters to the review log. */
    optimize: (...args: Args<NoRequest>) => call('optimize', (args[0] ?? {}) as NoRequest),
    /**
     * Scores SM-2 and FSRS (default and fitted) on the learner's later
     * answers.
     */
    evaluateSchedulers: (...args: Args<NoRequest>) => call('evaluate_schedulers', (args[0] ?? {}) as NoRequest),
    /** A deck's options: its own and those in force. */
    deckOptions: (...args: Args<DeckRequest>) => call('deck_options', (args[0] ?? {}) as DeckRequest),
    /** Sets a deck's own options (null fields are inherited). */
    setDeckOptions: (...args: Args<DeckOptionsRequest>) => call('set_deck_options', (args[0] ?? {}) as DeckOptionsRequest),
    /**
     * The devices paired with `serve --lan`, the most recently paired
     * first.
     */
    devices: (...args: Args<NoRequest>) => call('devices', (args[0] ?? {}) as NoRequest),
    /** Forgets a paired device: its token opens nothing from then on. */
    forgetDevice: (...args: Args<DeviceRequest>) => call('forget_device', (args[0] ?? {}) as DeviceRequest),
    /** Where sync through a folder stands: this device and each other one. */
    syncStatus: (...args: Args<NoRequest>) => call('sync_status', (args[0] ?? {}) as NoRequest),
    /**
     * Syncs now: writes this device's new records to the sync folder and
     * merges the other devices'.
     */
    syncNow: (...args: Args<NoRequest>) => call('sync_now', (args[0] ?? {}) as NoRequest),
    /**
     * Sets the folder to sync through (and syncs), or with none turns
     * sync off (everything merged so far stays). Only on the computer
     * that holds the collection.
     */
    syncFolder: (...args: Args<SyncFolderRequest>) => call('sync_folder', (args[0] ?? {}) as SyncFolderRequest),
    /**
     * Reads an Anki package (`.apkg`, `.colpkg`) on this computer, writes
     * its notes as Markdown and its media into a folder, and imports it.
     */
    importAnki: (...args: Args<ImportAnkiRequest>) => call('import_anki', (args[0] ?? {}) as ImportAnkiRequest),
    /**
     * Writes cards (a deck, or all) as an Anki package (`.apkg`) on this
     * computer, with their progress when asked.
     */
    exportAnki: (...args: Args<ExportAnkiRequest>) => call('export_anki', (args[0] ?? {}) as ExportAnkiRequest),
  };
}

/** The typed client of every JSON operation. */
export type OperationClient = ReturnType<typeof operationClient>;
