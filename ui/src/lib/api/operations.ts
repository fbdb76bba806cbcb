// Generated from crates/api/src/ops.rs by
// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.

import type { ActDto, ActRequest, AnswerDto, AnswerRequest, BrowsePageDto, BrowseRequest, CardDetailDto, CardDto, CardRequest, DaySummaryDto, DeckNode, DeckOptionsDto, DeckOptionsRequest, DeckRequest, DismissRequest, EvaluationDto, ExportRequest, ExtractRequest, ExtractedDto, FindingDto, ImportNotesRequest, ImportReportDto, NoRequest, OpenNoteRequest, OpenedDto, OptimizedDto, QueueCardDto, ReadingDto, ReadingRequest, SettingsDto, SettingsUpdate, StatsDto, StatsRequest, StudyRequest, UndoDto, UndoRequest, UndoStepDto } from './types';

/** Each operation's request and response. */
export interface Operations {
  decks: { request: DeckRequest; response: DeckNode[] };
  cards: { request: DeckRequest; response: CardDto[] };
  due: { request: DeckRequest; response: QueueCardDto[] };
  study: { request: StudyRequest; response: QueueCardDto[] };
  day_summary: { request: DeckRequest; response: DaySummaryDto };
  answer: { request: AnswerRequest; response: AnswerDto };
  undo: { request: UndoRequest; response: UndoDto };
  undo_preview: { request: NoRequest; response: UndoStepDto | null };
  act: { request: ActRequest; response: ActDto };
  browse: { request: BrowseRequest; response: BrowsePageDto };
  card: { request: CardRequest; response: CardDetailDto };
  open_note: { request: OpenNoteRequest; response: OpenedDto };
  import_notes: { request: ImportNotesRequest; response: ImportReportDto };
  sources: { request: NoRequest; response: string[] };
  doctor: { request: DeckRequest; response: FindingDto[] };
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
  open_note: { method: 'POST', path: '/api/notes/open', delivery: 'json' },
  import_notes: { method: 'POST', path: '/api/import', delivery: 'progress' },
  sources: { method: 'GET', path: '/api/sources', delivery: 'json' },
  doctor: { method: 'GET', path: '/api/doctor', delivery: 'json' },
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
  export_reviews: { method: 'GET', path: '/api/export/reviews', delivery: 'file' },
  export_cards: { method: 'GET', path: '/api/export/cards', delivery: 'file' },
  export_report: { method: 'GET', path: '/api/export/report', delivery: 'file' },
} as const satisfies Record<OperationName, { method: 'GET' | 'POST'; path: string; delivery: string }>;

/** The file name the progress report is saved under (`shell::REPORT_FILE_NAME`). */
export const REPORT_FILE_NAME = 'notedeck-report.html';
