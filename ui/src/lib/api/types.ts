// Generated from the Rust types in crates/api by
// `UPDATE_BINDINGS=1 cargo test -p notedeck-api --features ts bindings`. Do not edit.

export type ActDto = { 
/**
 * The action.
 */
action: string, 
/**
 * Cards it changed.
 */
changed: number, 
/**
 * Cards it left as they were (already suspended, say).
 */
unchanged: number, 
/**
 * The batch's id, which `undo_preview` shows while it is the newest
 * step (null when nothing changed).
 */
undo_id: string | null, };

export type ActRequest = { 
/**
 * The cards (none: every card matching `search`).
 */
card_ids: Array<string>, 
/**
 * With no card ids: act on every card this search finds.
 */
search?: string | null, 
/**
 * `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `tag` or `untag`.
 */
action: CardAction, 
/**
 * The tag of `tag` and `untag`.
 */
tag?: string | null, };

export type ActionDto = { 
/**
 * Globally unique id (UUIDv7).
 */
id: string, 
/**
 * The card acted on.
 */
card_id: string, 
/**
 * UTC time, RFC 3339.
 */
acted_at: string, 
/**
 * Learner's day, `YYYY-MM-DD`.
 */
day: string, 
/**
 * `suspend`, `unsuspend`, `bury`, `unbury`, `forget`, `tag` or `untag`.
 */
action: string, 
/**
 * The tag of a tag action.
 */
tag: string | null, 
/**
 * The day a bury lasts until.
 */
buried_until: string | null, };

export type AnkiExportDto = { 
/**
 * The package written.
 */
out: string, 
/**
 * Anki notes written (a reversed pair is one note).
 */
notes: number, 
/**
 * Cards written.
 */
cards: number, 
/**
 * Review-log entries written (with progress).
 */
reviews: number, 
/**
 * Media files included.
 */
media: number, 
/**
 * Media the cards name that the media folder lacks.
 */
media_missing: Array<string>, };

export type AnkiFileDto = { 
/**
 * Its path under the folder.
 */
path: string, 
/**
 * The Anki deck.
 */
deck: string, 
/**
 * The Anki notes in it.
 */
notes: number, 
/**
 * `written`, `unchanged`, `updated` (notedeck wrote it before and it
 * was not edited since) or `kept` (edited since: left as it is).
 */
outcome: string, };

export type AnkiImportDto = { 
/**
 * The package's format: `current` (Anki 2.1.50 and later, zstd) or
 * `legacy` (schema 11).
 */
format: string, 
/**
 * The folder the notes were written into.
 */
into: string, 
/**
 * Notes in the package.
 */
notes: number, 
/**
 * Cards in the package.
 */
cards: number, 
/**
 * Review-log entries in the package.
 */
reviews: number, 
/**
 * Media files copied into the folder's `media/`.
 */
media_copied: number, 
/**
 * Media files already there, the same.
 */
media_present: number, 
/**
 * Media the notes name that the package lacks.
 */
media_missing: Array<string>, 
/**
 * Media left out, each with why.
 */
media_skipped: Array<string>, 
/**
 * Each note type and how its notes were written.
 */
notetypes: Array<AnkiNoteTypeDto>, 
/**
 * The note files, one per deck.
 */
files: Array<AnkiFileDto>, 
/**
 * Notes left out, each with why.
 */
skipped: Array<string>, 
/**
 * The import of the written notes (none in a dry run).
 */
import?: ImportReportDto | null, 
/**
 * Anki's schedules and review log brought to the cards (none in a
 * dry run).
 */
progress?: AnkiProgressDto | null, };

export type AnkiNoteTypeDto = { 
/**
 * Its name in Anki.
 */
name: string, 
/**
 * How its notes were written (`basic`, `reversed`,
 * `optional_reversed`, `cloze`, `fields`).
 */
mapped_as: string, 
/**
 * What that means, in words.
 */
mapping: string, 
/**
 * Its notes.
 */
notes: number, };

export type AnkiProgressDto = { 
/**
 * Cards whose schedule and answers were brought in.
 */
cards: number, 
/**
 * Answers added to the log (imported: the replay starts from them).
 */
answers: number, 
/**
 * Answers already in the log from an earlier import.
 */
already: number, 
/**
 * Cards suspended, buried or flagged as in Anki.
 */
marked: number, 
/**
 * Cards with a schedule in Anki but no answer to carry it (a due
 * date set by hand on a new card): they start new.
 */
without_answers: number, 
/**
 * Anki cards that found no card here, each with why.
 */
unmatched: Array<string>, };

export type AnswerDto = { 
/**
 * The log row.
 */
review: ReviewDto, 
/**
 * The card after the answer.
 */
card: CardDto, 
/**
 * True when this answer made the card a leech (tagged `leech`, and
 * suspended unless the leech action is `tag`).
 */
became_leech: boolean, 
/**
 * True when this answer had arrived before (sent again after its reply
 * was lost): nothing was recorded now, and `review` is the earlier one.
 */
again: boolean, };

export type AnswerRequest = { 
/**
 * The card answered.
 */
card_id: string, 
/**
 * 0–5, or again, hard, good, easy.
 */
grade: Grade, 
/**
 * How long the answer took, in milliseconds, when known.
 */
duration_ms?: number | null, 
/**
 * The custom study session (`ahead`, `extra_new`, `failed_today`,
 * `cram`) the answer was given in; absent for the daily queue.
 */
session?: SessionKind | null, 
/**
 * A key the page made for this answer (16–64 letters, digits, `-`,
 * `_`): sent again under the same key, it is recorded only once.
 */
answer_key?: string | null, 
/**
 * How long ago (ms) the answer was given, when it waited in the page
 * for the network: it is recorded at that time (never before the
 * card's newest answer).
 */
waited_ms?: number | null, };

export type ApiError = { 
/**
 * Stable code.
 */
code: ErrorCode, 
/**
 * One readable line saying what happened and what to do.
 */
message: string, };

export type BrowsePageDto = { 
/**
 * Cards matching the search, in all.
 */
total: number, 
/**
 * The position of the first card of this page.
 */
offset: number, 
/**
 * The page's cards.
 */
cards: Array<CardSummaryDto>, };

export type BrowseRequest = { 
/**
 * The search (see the README's query syntax); empty finds every card.
 */
search?: string | null, 
/**
 * `note` (the default), `due`, `interval`, `ease`, `lapses` or `created`.
 */
sort?: Sort | null, 
/**
 * Largest first.
 */
descending?: Flag | null, 
/**
 * The first card's position (0 first).
 */
offset?: Count | null, 
/**
 * Cards on the page (default 200, at most 1000).
 */
limit?: Count | null, };

export type BucketDto = { 
/**
 * Label.
 */
label: string, 
/**
 * Cards.
 */
count: number, };

export type CardAction = "suspend" | "unsuspend" | "bury" | "unbury" | "forget" | "tag" | "untag";

export type CardChangeDto = { 
/**
 * `added`, `updated`, `moved`, `retired` or `restored`.
 */
kind: string, 
/**
 * The card.
 */
card_id: string, 
/**
 * Its headings.
 */
heading: string, 
/**
 * For a moved card: its headings before.
 */
from: string | null, };

export type CardDetailDto = { 
/**
 * The card, as `cards --json` shows it.
 */
card: CardDto, 
/**
 * Its answers from the log, oldest first.
 */
reviews: Array<ReviewDto>, 
/**
 * What was done to it (suspend, bury, forget, tag), oldest first.
 */
actions: Array<ActionDto>, };

export type CardDto = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Full deck name.
 */
deck: string, 
/**
 * Absolute path of the source note.
 */
note: string, 
/**
 * One-based line of the card's heading in the note.
 */
line: number, 
/**
 * Headings from the top of the note down to the card.
 */
heading_path: Array<string>, 
/**
 * `section`, `definition`, `basic`, `reversed`, `cloze` or `reading`.
 */
kind: string, 
/**
 * Front: breadcrumb and heading, sanitised HTML.
 */
front_html: string, 
/**
 * Back: the section body, sanitised HTML.
 */
back_html: string, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * `new`, `learning`, `review` or `retired`.
 */
state: string, 
/**
 * SM-2 E-Factor.
 */
ease_factor: number, 
/**
 * Current interval in days.
 */
interval_days: number, 
/**
 * SM-2 repetitions.
 */
repetitions: number, 
/**
 * Times a learned card was forgotten.
 */
lapses: number, 
/**
 * Due day `YYYY-MM-DD`, or null for new cards.
 */
due: string | null, 
/**
 * Put aside: out of every queue until unsuspended.
 */
suspended: boolean, 
/**
 * Buried: out of the queue before this day `YYYY-MM-DD` (null when not).
 */
buried_until: string | null, 
/**
 * Failed too often (tagged `leech`).
 */
leech: boolean, 
/**
 * notedeck's own tags, kept in the collection (never in the note).
 */
user_tags: Array<string>, 
/**
 * FSRS's stability (days for recall to fall to 90 %); null under SM-2.
 */
stability: number | null, 
/**
 * FSRS's difficulty (1–10); null under SM-2.
 */
difficulty: number | null, 
/**
 * FSRS's probability of recalling the card today (0–1); null under
 * SM-2 and for new cards.
 */
retrievability: number | null, };

export type CardRequest = { 
/**
 * The card's id.
 */
card_id: string, };

export type CardSummaryDto = { 
/**
 * Stable id.
 */
id: string, 
/**
 * Full deck name.
 */
deck: string, 
/**
 * The card's own heading (or its deck's last part).
 */
heading: string, 
/**
 * The front as plain text, without the breadcrumb (at most 200 characters).
 */
front_text: string, 
/**
 * `section`, `definition`, `basic`, `reversed`, `cloze` or `reading`.
 */
kind: string, 
/**
 * `new`, `learning`, `review` or `retired`.
 */
state: string, 
/**
 * Due day, or null for a new card.
 */
due: string | null, 
/**
 * Current interval in days.
 */
interval_days: number, 
/**
 * SM-2 E-Factor.
 */
ease_factor: number, 
/**
 * Times forgotten.
 */
lapses: number, 
/**
 * Suspended.
 */
suspended: boolean, 
/**
 * Buried until this day, if still to come.
 */
buried_until: string | null, 
/**
 * Tagged `leech`.
 */
leech: boolean, 
/**
 * Note tags and notedeck tags.
 */
tags: Array<string>, };

export type Count = number;

export type CountsDto = { 
/**
 * New cards.
 */
added: number, 
/**
 * Cards whose content changed in place.
 */
updated: number, 
/**
 * Cards whose content did not change.
 */
unchanged: number, 
/**
 * Cards matched by content after a rename or move.
 */
moved: number, 
/**
 * Cards whose section left the note.
 */
retired: number, 
/**
 * Retired cards whose section came back.
 */
restored: number, 
/**
 * Sections or files that made no card.
 */
skipped: number, };

export type DayCountDto = { 
/**
 * `YYYY-MM-DD` (for weeks: the first day).
 */
date: string, 
/**
 * The count.
 */
count: number, };

export type DayStatsDto = { 
/**
 * `YYYY-MM-DD`.
 */
date: string, 
/**
 * Answers, repeats included.
 */
reviews: number, 
/**
 * Answers by grade 0–5.
 */
by_grade: [number, number, number, number, number, number], 
/**
 * Answers by kind.
 */
by_kind: KindCountsDto, 
/**
 * Milliseconds spent, where measured.
 */
time_ms: number, 
/**
 * Retention on learned cards.
 */
retention: RetentionDto, 
/**
 * Retention on young cards.
 */
retention_young: RetentionDto, 
/**
 * Retention on mature cards.
 */
retention_mature: RetentionDto, 
/**
 * Cards answered for the first time.
 */
new_learned: number, };

export type DaySummaryDto = { 
/**
 * The learner's day.
 */
day: string, 
/**
 * Answers given today.
 */
answers: number, 
/**
 * Distinct cards answered today.
 */
cards: number, 
/**
 * Answers below 3.
 */
again: number, 
/**
 * Time spent answering, when measured.
 */
time_ms: number, 
/**
 * Cards due tomorrow (in the deck and its sub-decks when one is
 * given; flashcards, new ones not counted).
 */
due_tomorrow: number, 
/**
 * New cards today's limits hold back for later days.
 */
new_waiting: number, 
/**
 * Due cards today's limits hold back.
 */
due_waiting: number, 
/**
 * Reading cards the daily reading limit holds back.
 */
reading_waiting: number, 
/**
 * What holds cards back and by which limit, in words (null: nothing
 * is held back).
 */
held_back: string | null, };

export type Days = number;

export type DeckNode = { 
/**
 * Full name, `Parent::Child`.
 */
name: string, 
/**
 * Last part of the name.
 */
short_name: string, 
/**
 * Cards not retired.
 */
total: number, 
/**
 * Cards never answered.
 */
new: number, 
/**
 * Answered cards due today or earlier.
 */
due: number, 
/**
 * Reading cards waiting (never read, or due again), counted apart
 * from the flashcards above.
 */
reading: number, 
/**
 * Reading cards today's reading limit still allows.
 */
reading_today: number, 
/**
 * Flashcards due by tomorrow (with today's left undone).
 */
due_tomorrow: number, 
/**
 * New cards today's limits still allow (the rest wait for later days).
 */
new_today: number, 
/**
 * Due cards today's review limit still allows.
 */
due_today: number, 
/**
 * Sub-decks.
 */
children: Array<DeckNode>, };

export type DeckOptionValues = { 
/**
 * New cards introduced per day.
 */
new_per_day: number | null, 
/**
 * First-of-day answers per day.
 */
reviews_per_day: number | null, 
/**
 * Note order or random.
 */
new_order: NewOrder | null, 
/**
 * The longest interval, in days (null: none).
 */
max_interval: number | null, 
/**
 * Siblings (the cards of one `:::` pair or cloze paragraph) are not
 * shown on the same day (on by default).
 */
bury_siblings: boolean | null, 
/**
 * Learning steps of new cards (`1m 10m`; empty: none).
 */
learning_steps: string | null, 
/**
 * Relearning steps of lapsed cards.
 */
relearning_steps: string | null, };

export type DeckOptionsDto = { 
/**
 * The deck.
 */
deck: string, 
/**
 * Set on this deck (null fields are inherited).
 */
own: DeckOptionValues, 
/**
 * In force: the deck's own, its parents', then the collection's.
 */
effective: DeckOptionValues, };

export type DeckOptionsRequest = { 
/**
 * The deck.
 */
deck: string, 
/**
 * New cards introduced per day.
 */
new_per_day?: number | null, 
/**
 * First-of-day answers per day.
 */
reviews_per_day?: number | null, 
/**
 * `note` or `random`.
 */
new_order?: NewOrder | null, 
/**
 * The longest interval, in days.
 */
max_interval?: number | null, 
/**
 * Keep siblings (a `:::` pair, a cloze paragraph) off the same day.
 */
bury_siblings?: boolean | null, 
/**
 * Learning steps of new cards (`1m 10m`; `""`: none).
 */
learning_steps?: string | null, 
/**
 * Relearning steps of lapsed cards (`10m`; `""`: none).
 */
relearning_steps?: string | null, };

export type DeckRequest = { 
/**
 * The deck (with its sub-decks); absent or empty for every deck.
 */
deck?: string | null, 
/**
 * Only the cards with this tag (note tag or notedeck tag), where the
 * operation takes one (`decks`, `due`).
 */
tag?: string | null, };

export type DeckSummaryDto = { 
/**
 * Deck name.
 */
deck: string, 
/**
 * Card counts.
 */
cards: StateCountsDto, 
/**
 * Answers in the range.
 */
reviews: number, 
/**
 * Retention in the range.
 */
retention: RetentionDto, };

export type DeviceDto = { 
/**
 * Its id (`notedeck devices --forget ID`).
 */
id: string, 
/**
 * Its name, from its browser.
 */
name: string, 
/**
 * When it was paired (UTC, RFC 3339).
 */
paired_at: string, 
/**
 * When it last made a request (UTC, RFC 3339).
 */
last_seen: string, };

export type DeviceRequest = { 
/**
 * The device's id.
 */
id: string, };

export type DismissRequest = { 
/**
 * The card.
 */
card_id: string, 
/**
 * The doctor's rule (`too_long`, …).
 */
rule: DoctorRule, 
/**
 * True to dismiss (the default), false to bring the finding back.
 */
dismissed: boolean, };

export type DoctorPageDto = { 
/**
 * Every rule with findings, and how many (not dismissed), in the
 * doctor's order of rules.
 */
rules: Array<RuleFindingsDto>, 
/**
 * Cards with at least one finding.
 */
cards: number, 
/**
 * The first findings of each rule (or of the rule asked for), by note
 * and line.
 */
findings: Array<FindingDto>, };

export type DoctorPageRequest = { 
/**
 * The deck (with its sub-decks); absent or empty for every deck.
 */
deck?: string | null, 
/**
 * Only this rule's findings (the counts still cover every rule).
 */
rule?: DoctorRule | null, 
/**
 * Findings of each rule, the first ones by note and line (default
 * [`DOCTOR_PAGE_FINDINGS`], at most [`MAX_DOCTOR_PAGE_FINDINGS`]).
 */
limit?: Count | null, };

export type DoctorRule = "too_long" | "enumeration" | "vague_front" | "answer_in_front" | "near_duplicate" | "leech" | "link_only";

export type ErrorCode = "path_not_found" | "newer_schema" | "not_a_collection" | "deck_not_found" | "card_not_found" | "no_sources" | "card_retired" | "nothing_to_undo" | "undo_moved" | "bad_backup" | "damaged" | "invalid_input" | "forbidden" | "disk_full" | "storage" | "io";

export type EvaluationDto = { 
/**
 * SM-2 (recall taken as 90 % after its interval).
 */
sm2: ScoreDto, 
/**
 * FSRS with the published default parameters.
 */
fsrs_default: ScoreDto, 
/**
 * FSRS with parameters fitted on the earlier answers.
 */
fsrs_fitted: ScoreDto, };

export type ExportAnkiRequest = { 
/**
 * The package to write (`.apkg`).
 */
out: string, 
/**
 * Only this deck and its sub-decks (default: every deck).
 */
deck?: string | null, 
/**
 * With each card's schedule and review log.
 */
with_progress: boolean, };

export type ExportFormat = "csv" | "json";

export type ExportRequest = { 
/**
 * `csv` (the default) or `json`.
 */
format?: ExportFormat | null, 
/**
 * One deck (with its sub-decks), or every deck.
 */
deck?: string | null, };

export type ExtractRequest = { 
/**
 * The card the text was selected on.
 */
card_id: string, 
/**
 * The text to make a cloze of.
 */
cloze?: string | null, 
/**
 * The question the selected text answers (with `answer`).
 */
question?: string | null, 
/**
 * The selected text that answers `question`.
 */
answer?: string | null, };

export type ExtractedDto = { 
/**
 * The new card's id.
 */
card_id: string, 
/**
 * The note written into (absolute path).
 */
note: string, 
/**
 * The new card's line (1-based) in the note.
 */
line: number, 
/**
 * The write's id, which `undo_preview` shows while it is the newest
 * step.
 */
undo_id: string, };

export type FindingDto = { 
/**
 * The card.
 */
card_id: string, 
/**
 * The note file.
 */
note: string, 
/**
 * The card's line in the note.
 */
line: number, 
/**
 * The card's front as plain text (at most 120 characters).
 */
front: string, 
/**
 * The rule that found it.
 */
rule: DoctorRule, 
/**
 * What was measured.
 */
value: number, 
/**
 * The rule's threshold, in the same unit.
 */
threshold: number, 
/**
 * What to do about it.
 */
fix: string, };

export type Flag = boolean;

export type FsrsStatsDto = { 
/**
 * Cards by stability (days for recall to fall to 90 %).
 */
stability: Array<BucketDto>, 
/**
 * Cards by their probability of recall today.
 */
retrievability: Array<BucketDto>, 
/**
 * Mean probability of recall today.
 */
average_retrievability: number | null, 
/**
 * Mean recall FSRS predicted for the range's first answers of a day.
 */
predicted_retention: number | null, 
/**
 * Share of those answers recalled.
 */
actual_retention: number | null, 
/**
 * Answers compared.
 */
answers_compared: number, 
/**
 * The retention cards are scheduled for.
 */
desired_retention: number, };

export type Grade = "again" | "hard" | "good" | "easy" | "0" | "1" | "2" | "3" | "4" | "5";

export type ImportAnkiRequest = { 
/**
 * The package: an `.apkg` or `.colpkg` exported by Anki.
 */
file: string, 
/**
 * The folder its notes are written into (default: `Anki` beside the
 * collection).
 */
into?: string | null, 
/**
 * The deck the notes go under (default: the folder's name).
 */
deck?: string | null, 
/**
 * Show what would be written and imported, writing nothing.
 */
dry_run: boolean, };

export type ImportNotesRequest = { 
/**
 * Files and folders; none means every source imported before.
 */
paths: Array<string>, 
/**
 * Put the notes under this deck.
 */
deck: string | null, 
/**
 * Report without writing.
 */
dry_run: boolean, };

export type ImportPhase = "reading" | "saving";

export type ImportProgressDto = { 
/**
 * Note files handled so far.
 */
done: number, 
/**
 * Note files in this import.
 */
total: number, 
/**
 * `reading` while files are read and written, then `saving`.
 */
phase: ImportPhase, };

export type ImportReportDto = { 
/**
 * True when nothing was written.
 */
dry_run: boolean, 
/**
 * Sums over all notes.
 */
totals: CountsDto, 
/**
 * One entry per note file.
 */
notes: Array<NoteReportDto>, 
/**
 * What the card doctor finds in the cards of the notes this import
 * added or changed (not dismissed; see `notedeck doctor`); null for a
 * dry run, or when the import wrote more than
 * [`crate::DOCTOR_COUNT_CARDS`] cards (the doctor then runs on demand
 * only, so a large import stays fast).
 */
doctor_findings: number | null, 
/**
 * What the learner should know before (or after) this import, in
 * words: notes moving to another deck, say.
 */
warnings: Array<string>, };

export type KindCountsDto = { 
/**
 * First answers of cards being learned.
 */
learn: number, 
/**
 * First-of-day answers of learned cards.
 */
review: number, 
/**
 * First-of-day answers of lapsed cards being relearned.
 */
relearn: number, 
/**
 * Same-day repeats.
 */
repeat: number, 
/**
 * Answers in cram sessions (custom study; no schedule changes).
 */
cram: number, 
/**
 * Reading cards read (re-reading, never counted as recall).
 */
read: number, };

export type LeechAction = "suspend" | "tag";

export type NewOrder = "note" | "random";

export type NoRequest = Record<symbol, never>;

export type NoteCardDto = { 
/**
 * The card's id.
 */
id: string, 
/**
 * `section`, `reading`, `cloze`, …
 */
kind: string, 
/**
 * Its line in the note (1-based).
 */
line: number, 
/**
 * The headings above it, the note's title first.
 */
heading_path: Array<string>, 
/**
 * Its front, as the review shows it.
 */
front_html: string, 
/**
 * Its back.
 */
back_html: string, };

export type NoteReportDto = { 
/**
 * Absolute path.
 */
path: string, 
/**
 * Deck of its cards.
 */
deck: string | null, 
/**
 * `new`, `updated`, `unchanged`, `moved`, `skipped` or `missing`.
 */
status: string, 
/**
 * Previous path of a moved note.
 */
moved_from: string | null, 
/**
 * The deck its cards were in before, when this import moves them to
 * another deck.
 */
deck_before: string | null, 
/**
 * What made no card, and why.
 */
skipped_items: Array<SkippedDto>, 
/**
 * Problems that did not stop a card.
 */
warnings: Array<string>, 
/**
 * The cards added, updated, moved, retired or restored, by name (the
 * first 25 of a note; the counts have them all).
 */
changes: Array<CardChangeDto>, 
/**
 * New cards.
 */
added: number, 
/**
 * Cards whose content changed in place.
 */
updated: number, 
/**
 * Cards whose content did not change.
 */
unchanged: number, 
/**
 * Cards matched by content after a rename or move.
 */
moved: number, 
/**
 * Cards whose section left the note.
 */
retired: number, 
/**
 * Retired cards whose section came back.
 */
restored: number, 
/**
 * Sections or files that made no card.
 */
skipped: number, };

export type NoteRequest = { 
/**
 * The note's path, as the collection has it.
 */
path: string, };

export type NoteViewDto = { 
/**
 * The note's path, as the collection has it.
 */
path: string, 
/**
 * The note's file name.
 */
file_name: string, 
/**
 * Its cards (at most [`crate::NOTE_VIEW_MAX_CARDS`], and at most
 * [`crate::NOTE_VIEW_MAX_BYTES`] of HTML), in note order.
 */
cards: Array<NoteCardDto>, 
/**
 * Cards of the note left out for those limits.
 */
left_out: number, 
/**
 * The note's whole text, read from disk now and rendered (sanitised
 * as cards are); null when it cannot be (then `cards` are shown).
 */
html: string | null, 
/**
 * Why `html` is null, in a line to show.
 */
no_html: string | null, };

export type OpenNoteRequest = { 
/**
 * The note's path, as the collection has it.
 */
path: string, 
/**
 * The heading to open it at (Obsidian only).
 */
heading?: string | null, };

export type OpenedDto = { 
/**
 * `obsidian` (the note is in an Obsidian vault) or `default` (the
 * system's program for the file).
 */
how: string, 
/**
 * What was opened: Obsidian's link or the file's path.
 */
target: string, };

export type OptimizedDto = { 
/**
 * The 21 fitted parameters, now FSRS's.
 */
parameters: Array<number>, 
/**
 * Answers fitted on (first answers of a day after a gap).
 */
reviews_used: number, 
/**
 * True when FSRS is in force: the parameters apply to the answers
 * from now on (under SM-2 they wait until FSRS is chosen).
 */
applied: boolean, };

export type PairingDto = { 
/**
 * The URL that pairs a phone, at the best home-network address.
 */
url: string, 
/**
 * The network interface that address is on (`wlan0`, say).
 */
interface: string, 
/**
 * The same code at the machine's other addresses (VPN, bridges).
 */
other_urls: Array<string>, 
/**
 * Minutes the code may be used in (once).
 */
minutes: number, 
/**
 * The QR code of `url` as an SVG document (made by notedeck).
 */
qr_svg: string, };

export type PeriodRetentionDto = { 
/**
 * First day of the period.
 */
start: string, 
/**
 * All learned cards.
 */
all: RetentionDto, 
/**
 * Young cards.
 */
young: RetentionDto, 
/**
 * Mature cards.
 */
mature: RetentionDto, };

export type QueueCardDto = { 
/**
 * Why it is queued: `due`, `new`, `repeat` or `learning` (in its
 * learning steps).
 */
queue: string, 
/**
 * Interval in days that Again, Hard, Good and Easy would give.
 */
intervals: [number, number, number, number], 
/**
 * Seconds until Again, Hard, Good and Easy would show the card again
 * within its learning steps (null: the interval in days applies; all
 * null without learning steps).
 */
step_seconds: [number | null, number | null, number | null, number | null], 
/**
 * Stable id.
 */
id: string, 
/**
 * Full deck name.
 */
deck: string, 
/**
 * Absolute path of the source note.
 */
note: string, 
/**
 * One-based line of the card's heading in the note.
 */
line: number, 
/**
 * Headings from the top of the note down to the card.
 */
heading_path: Array<string>, 
/**
 * `section`, `definition`, `basic`, `reversed`, `cloze` or `reading`.
 */
kind: string, 
/**
 * Front: breadcrumb and heading, sanitised HTML.
 */
front_html: string, 
/**
 * Back: the section body, sanitised HTML.
 */
back_html: string, 
/**
 * Tags.
 */
tags: Array<string>, 
/**
 * `new`, `learning`, `review` or `retired`.
 */
state: string, 
/**
 * SM-2 E-Factor.
 */
ease_factor: number, 
/**
 * Current interval in days.
 */
interval_days: number, 
/**
 * SM-2 repetitions.
 */
repetitions: number, 
/**
 * Times a learned card was forgotten.
 */
lapses: number, 
/**
 * Due day `YYYY-MM-DD`, or null for new cards.
 */
due: string | null, 
/**
 * Put aside: out of every queue until unsuspended.
 */
suspended: boolean, 
/**
 * Buried: out of the queue before this day `YYYY-MM-DD` (null when not).
 */
buried_until: string | null, 
/**
 * Failed too often (tagged `leech`).
 */
leech: boolean, 
/**
 * notedeck's own tags, kept in the collection (never in the note).
 */
user_tags: Array<string>, 
/**
 * FSRS's stability (days for recall to fall to 90 %); null under SM-2.
 */
stability: number | null, 
/**
 * FSRS's difficulty (1–10); null under SM-2.
 */
difficulty: number | null, 
/**
 * FSRS's probability of recalling the card today (0–1); null under
 * SM-2 and for new cards.
 */
retrievability: number | null, };

export type ReadingDto = { 
/**
 * The cards whose kind changed.
 */
changed: Array<string>, };

export type ReadingRequest = { 
/**
 * The cards (sections; other kinds are left as they are).
 */
card_ids: Array<string>, 
/**
 * True (the default) to review them as reading cards, false to make
 * them flashcards again.
 */
reading: boolean, };

export type RetentionDto = { 
/**
 * First-of-day answers on learned cards.
 */
answers: number, 
/**
 * Of those, graded 3 or more.
 */
passed: number, 
/**
 * `passed / answers`.
 */
rate: number | null, };

export type ReviewDto = { 
/**
 * Globally unique id (UUIDv7).
 */
id: string, 
/**
 * Card answered.
 */
card_id: string, 
/**
 * UTC time, RFC 3339.
 */
answered_at: string, 
/**
 * Learner's day, `YYYY-MM-DD`.
 */
day: string, 
/**
 * Grade 0–5.
 */
grade: number, 
/**
 * `learn`, `review`, `relearn` or `repeat`.
 */
kind: string, 
/**
 * State before the answer.
 */
before: ScheduleDto, 
/**
 * State after the answer.
 */
after: ScheduleDto, 
/**
 * Time taken, when known.
 */
duration_ms: number | null, };

export type RuleFindingsDto = { 
/**
 * The rule.
 */
rule: DoctorRule, 
/**
 * Its findings.
 */
findings: number, };

export type ScheduleDto = { 
/**
 * Repetitions `n`.
 */
repetitions: number, 
/**
 * E-Factor in hundredths (250 = 2.5), exact.
 */
ease_hundredths: number, 
/**
 * Interval in days.
 */
interval_days: number, 
/**
 * Due day, or null for a new card.
 */
due: string | null, 
/**
 * Lapses.
 */
lapses: number, };

export type SchedulerName = "sm2" | "fsrs";

export type ScoreDto = { 
/**
 * Mean log loss (lower is better).
 */
log_loss: number, 
/**
 * RMSE over the open benchmark's bins (lower is better).
 */
rmse_bins: number, 
/**
 * Answers tested.
 */
reviews_tested: number, 
/**
 * Answers its parameters were fitted on (0: none were fitted).
 */
reviews_trained: number, };

export type SessionKind = "ahead" | "extra_new" | "failed_today" | "cram";

export type SettingsDto = { 
/**
 * New cards introduced per day.
 */
new_per_day: number, 
/**
 * First-of-day answers per day, new cards included.
 */
reviews_per_day: number, 
/**
 * Hour (0–23) at which a new learning day starts.
 */
rollover_hour: number, 
/**
 * Cards may load images from the web (off: only the collection's own
 * media and embedded images are shown).
 */
remote_images: boolean, 
/**
 * Which kinds of section make no card (each on unless turned off).
 */
skip_rules: SkipRulesDto, 
/**
 * Labels in prose (`Part 1:`, a bold line, a short line above a
 * paragraph) start sections of their own (on unless turned off).
 */
implicit_headings: boolean, 
/**
 * Reading cards offered per day (default 5); 0 turns reading cards
 * off (long sections are flashcards).
 */
reading_per_day: number, 
/**
 * Learning steps of new cards (`1m 10m`; empty: none, SM-2 alone).
 */
learning_steps: string, 
/**
 * Relearning steps of lapsed cards (`10m`; empty: none).
 */
relearning_steps: string, 
/**
 * Lapses from which a card is a leech (0: never).
 */
leech_threshold: number, 
/**
 * What happens to a leech: `suspend` (and tag) or only `tag`.
 */
leech_action: LeechAction, 
/**
 * The scheduler in force: `sm2` (the default) or `fsrs`.
 */
scheduler: SchedulerName, 
/**
 * FSRS's desired retention (0.70–0.97), kept under SM-2 too.
 */
desired_retention: number, 
/**
 * FSRS's 21 parameters (the published defaults until `optimize`).
 */
fsrs_parameters: Array<number>, 
/**
 * When `optimize` last fitted the parameters (null: the defaults).
 */
fsrs_fitted_at: string | null, };

export type SettingsUpdate = { 
/**
 * New cards introduced per day.
 */
new_per_day: number | null, 
/**
 * First-of-day answers per day.
 */
reviews_per_day: number | null, 
/**
 * Hour at which a new learning day starts.
 */
rollover_hour: number | null, 
/**
 * Whether cards may load images from the web.
 */
remote_images?: boolean, 
/**
 * Whether labels in prose start sections (the next import applies it).
 */
implicit_headings?: boolean, 
/**
 * Reading cards offered per day, 0–1000 (0 turns reading cards off;
 * turning them on or off applies at the next import).
 */
reading_per_day?: number, 
/**
 * Learning steps of new cards (`1m 10m`; empty: none).
 */
learning_steps?: string, 
/**
 * Relearning steps of lapsed cards (`10m`; empty: none).
 */
relearning_steps?: string, 
/**
 * The junk-section rules, all of them (the next import applies them).
 */
skip_rules?: SkipRulesDto, 
/**
 * Lapses from which a card is a leech (0: never).
 */
leech_threshold?: number, 
/**
 * What happens to a leech.
 */
leech_action?: LeechAction, 
/**
 * `sm2` or `fsrs`: a switch replays the review log under the new
 * scheduler (switching back gives exactly the states of before).
 */
scheduler?: SchedulerName, 
/**
 * FSRS's desired retention, 0.70–0.97.
 */
desired_retention?: number, };

export type SkipRulesDto = { 
/**
 * Sections holding only `#tags`.
 */
only_tags: boolean, 
/**
 * Sections holding only links (reading lists).
 */
only_links: boolean, 
/**
 * Sections holding only tasks (to-do lists).
 */
only_tasks: boolean, 
/**
 * Sections left empty after unsafe HTML was removed.
 */
empty: boolean, 
/**
 * Sections whose only content is media that is not there.
 */
only_missing_media: boolean, 
/**
 * Whole notes that are mostly links (index, map-of-content pages).
 */
link_pages: boolean, };

export type SkippedDto = { 
/**
 * The heading, for a section.
 */
heading: string | null, 
/**
 * One-based line, for a section.
 */
line: number | null, 
/**
 * Why.
 */
reason: string, };

export type Sort = "note" | "due" | "interval" | "ease" | "lapses" | "created" | "stability" | "difficulty" | "retrievability";

export type StateCountsDto = { 
/**
 * Never answered.
 */
new: number, 
/**
 * Answered, not yet passed twice.
 */
learning: number, 
/**
 * Interval < 21 days.
 */
young: number, 
/**
 * Interval >= 21 days.
 */
mature: number, 
/**
 * Out of the queue.
 */
retired: number, 
/**
 * All cards not retired.
 */
total: number, };

export type StatsDto = { 
/**
 * The learner's today.
 */
today: string, 
/**
 * First day of the range.
 */
from: string, 
/**
 * Days in the range.
 */
days_in_range: number, 
/**
 * Deck filter.
 */
deck: string | null, 
/**
 * Tag filter.
 */
tag: string | null, 
/**
 * Card counts by state.
 */
cards: StateCountsDto, 
/**
 * Answers in the range.
 */
reviews: number, 
/**
 * Time spent in the range, milliseconds.
 */
time_ms: number, 
/**
 * Retention over the range.
 */
retention: PeriodRetentionDto, 
/**
 * Retention per ISO week.
 */
retention_weekly: Array<PeriodRetentionDto>, 
/**
 * Retention per month.
 */
retention_monthly: Array<PeriodRetentionDto>, 
/**
 * One entry per day of the range.
 */
days: Array<DayStatsDto>, 
/**
 * Cards due on each of the next 30 days (today includes overdue).
 */
forecast_days: Array<DayCountDto>, 
/**
 * Cards due per week after that, up to a year.
 */
forecast_weeks: Array<DayCountDto>, 
/**
 * Answers per day over the past year (days without answers left out).
 */
heatmap: Array<DayCountDto>, 
/**
 * Days in a row with answers, up to today.
 */
current_streak: number, 
/**
 * Longest run of days with answers.
 */
longest_streak: number, 
/**
 * Interval histogram of learned cards.
 */
intervals: Array<BucketDto>, 
/**
 * E-Factor histogram of answered cards.
 */
eases: Array<BucketDto>, 
/**
 * Cards with the most lapses, lowest E-Factor: fix their notes.
 */
hardest: Array<CardDto>, 
/**
 * Cards tagged `leech` (forgotten too often), most lapses first.
 */
leeches: Array<CardDto>, 
/**
 * One row per deck.
 */
decks: Array<DeckSummaryDto>, 
/**
 * FSRS's figures (null under SM-2).
 */
fsrs: FsrsStatsDto | null, };

export type StatsRequest = { 
/**
 * One deck (with its sub-decks), or every deck.
 */
deck?: string | null, 
/**
 * Days back from today (1 to 36,500; 30 when absent).
 */
days?: Days | null, 
/**
 * Only the cards with this tag (note tag or notedeck tag).
 */
tag?: string | null, };

export type StudyRequest = { 
/**
 * One deck and its sub-decks.
 */
deck?: string | null, 
/**
 * Cards with this note tag or notedeck tag.
 */
tag?: string | null, 
/**
 * Cards this search finds.
 */
search?: string | null, 
/**
 * Review ahead: cards due within this many days.
 */
ahead?: Count | null, 
/**
 * Cram: every card, schedules untouched.
 */
cram?: Flag | null, 
/**
 * This many new cards beyond today's limit.
 */
extra_new?: Count | null, 
/**
 * The cards failed today, again.
 */
failed_today?: Flag | null, };

export type SyncDeviceDto = { 
/**
 * Its id (its folder's name in `notedeck-sync/`).
 */
id: string, 
/**
 * Its name.
 */
name: string, 
/**
 * When its newest record merged here happened (UTC, RFC 3339).
 */
last_record_at: string | null, 
/**
 * Its records merged here.
 */
records: number, 
/**
 * Its lines skipped here (damaged, changed, from a newer notedeck).
 */
skipped: number, 
/**
 * Why lines were skipped, one per file that has one.
 */
problems: Array<string>, 
/**
 * Its files a sync tool made as conflicting copies (read like any).
 */
conflict_copies: Array<string>, 
/**
 * Its records waiting to be merged here.
 */
waiting: number, 
/**
 * Why the newest of them waits.
 */
waiting_reason: string | null, };

export type SyncFolderRequest = { 
/**
 * A folder your own sync carries (it must exist); null: sync off.
 */
folder?: string | null, };

export type SyncReportDto = { 
/**
 * Records this device wrote to its files.
 */
written: number, 
/**
 * Records of other devices merged here.
 */
merged: number, 
/**
 * Records waiting to be merged.
 */
waiting: number, 
/**
 * Lines of other devices' files skipped.
 */
skipped: number, };

export type SyncStatusDto = { 
/**
 * The folder the user's sync carries, when sync is on.
 */
folder: string | null, 
/**
 * This device's id, once sync has been set up.
 */
device_id: string | null, 
/**
 * This device's name (the computer's).
 */
device_name: string, 
/**
 * The other devices.
 */
devices: Array<SyncDeviceDto>, };

export type UndoDto = { 
/**
 * The answer taken back, or null when actions were.
 */
review: ReviewDto | null, 
/**
 * The card as it is now (the answered card, or the first acted on).
 */
card: CardDto, 
/**
 * The actions taken back (with an answer: a leech's tag and suspension).
 */
actions: Array<ActionDto>, 
/**
 * The card taken out of its note (`extract` undone; `line` is 0), if
 * that was what undo took back.
 */
unwritten: ExtractedDto | null, };

export type UndoRequest = { 
/**
 * The step to take back.
 */
expected?: string | null, };

export type UndoStepDto = { 
/**
 * The step's id: pass it as `undo`'s `expected`.
 */
id: string, 
/**
 * `answer`, `actions` or `extraction`.
 */
what: string, 
/**
 * The answered card, the first acted on, or the card a new card was
 * made on.
 */
card_id: string, 
/**
 * That card's heading.
 */
heading: string, 
/**
 * Cards the step changes.
 */
cards: number, 
/**
 * The learner's day it was done on, `YYYY-MM-DD`.
 */
day: string, 
/**
 * When, UTC RFC 3339.
 */
at: string, 
/**
 * True when it was done today.
 */
today: boolean, 
/**
 * One line naming the card and when (`Good on “Tides”, answered
 * yesterday (2026-03-01 09:14 UTC)`).
 */
description: string, };
