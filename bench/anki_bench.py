"""Anki's side of the notedeck benchmark: the same work, through Anki's backend.

Runs inside the virtual environment that `scripts/bench.sh` makes, with the
`anki` package from PyPI (Anki's Rust backend and its Python layer, without
the Qt desktop app). Given the cards notedeck made (`notedeck-bench
--anki-tsv`), it measures in a fresh collection in a temporary folder:

- `import_ms`: Anki's text import (`Collection.import_csv`, the backend's
  CSV importer the desktop app's import dialog calls) of the TSV into the
  Basic notetype in the Default deck; one Basic note, so one card, per line.
  The metadata call before it (`get_csv_metadata`) is left out of the time.
- `open_ms`: opening the collection alone (its phase's process time and
  peak memory are the fixed cost of Python, `import anki` and an open
  collection, which every later phase pays too).
- `reimport_unchanged_ms`: the same file again. Anki matches notes by their
  first field (duplicate handling "update"), so nothing changes.
- `reimport_edited_ms`: the file with the back of every 100th card edited
  (1% of cards; notedeck's row edits 1% of notes, which changes fewer cards,
  but either way the time goes mostly to reading and matching every row).
- `add_ms`: the same notes added through the Python API into a second fresh
  collection (`new_note` per note, then one `add_notes` call).
- `open_queue_ms`: open the collection in a new process and build today's
  queue (`sched.get_queued_cards()`, what the reviewer calls: the backend
  gathers every due and new card within the limits and returns the first).
- `queue_ms`: the same queue rebuilt in the open collection. Anki caches its
  queue, so the cache is first dropped by saving the deck's options unchanged
  (a deck-config change, which clears the queues), outside the timed part.
  Reading the cached queue is reported as `queue_cached_ms`.
- `answer_median_ms`, `answer_p99_ms`: `sched.answer_card(good)` on the card
  at the head of the queue, timed alone; fetching the next card is reported as
  `next_card_median_ms`. Each answer is its own backend operation, committed
  when it returns; the collection runs in WAL mode with `synchronous` read back
  from SQLite (FULL in Anki 26.9, so each commit is fsynced). `answers_committed`
  counts answers after which the WAL file was written, as evidence.
- `stats_ms`: the backend's `graphs(search="", days=365)`, the one call
  behind Anki's statistics screen, over the whole collection.
- `export_reviews_ms`: Anki has no review-log export, so the `revlog` table
  is read through Anki's Python database layer (`col.db.all`, in pages of
  50,000 rows by id, since it materialises whole result sets) and written as
  CSV with the `csv` module. Columns are the raw ones (timestamps stay epoch
  milliseconds, not formatted dates).

Before the queue, Anki gets a simulated year of history like notedeck's:
`--reviews` revlog rows spread over the cards with a simple SM-2, inserted in
one transaction, the cards set to the resulting review state. Anki reads the
real clock, so its "today" is the day this runs, not notedeck's fixed date.
Daily limits stay at Anki's defaults (20 new, 200 reviews, as notedeck's),
except in the answer phase, which raises them so that `--answers` distinct
cards can be answered (notedeck's benchmark does the same).

Every phase runs in its own process (this script with `--phase`), so its
peak memory (`*_peak_mb`, see `measure.py`) and its whole-process wall time
(`*_process_ms`: Python start-up, `import anki`, opening and closing the
collection) are its own. `peak_mb` is the largest peak of the phases with a
notedeck counterpart (not the history simulation, which is harness code, nor
`add`).

    python bench/anki_bench.py --tsv cards.tsv --reviews 1000000 --answers 500 --json anki.json
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import run_measured  # noqa: E402

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy
    from anki.decks import DeckId
    from anki.scheduler.v3 import Scheduler

T = TypeVar("T")
Figures = dict[str, Any]

# The phases in the order they run; each is one process.
PHASES = (
    "import",
    "open",
    "reimport_unchanged",
    "reimport_edited",
    "add",
    "simulate",
    "queue",
    "answer",
    "stats",
    "export_reviews",
    "export_cards",
)
# Phases left out of `peak_mb`: the history simulation is harness work, and
# adding notes through the Python API has no notedeck counterpart.
NOT_IN_PEAK = ("simulate", "add")
# Phases that only read, run three times (the median of each figure, the
# largest peak): one sample of a few hundred milliseconds moves ±40 % on a
# shared machine. `compare.py` does the same for notedeck's commands.
REPEATED = ("stats", "export_reviews", "export_cards")
RUNS = 3
DAY_MS = 86_400_000
# The history starts a year before today; the collection is made older than
# that so every simulated day has a non-negative day number.
HISTORY_DAYS = 365
COLLECTION_AGE_DAYS = 400
DEFAULT_DECK_ID = 1
EXPORT_PAGE = 50_000
EDIT_MARK = "<p>edited by the benchmark</p>"


@dataclass(frozen=True)
class Paths:
    """Where one run keeps its files."""

    work: Path

    @property
    def collection(self) -> Path:
        return self.work / "collection.anki2"

    @property
    def add_collection(self) -> Path:
        return self.work / "add" / "collection.anki2"

    @property
    def edited_tsv(self) -> Path:
        return self.work / "cards-edited.tsv"

    @property
    def reviews_csv(self) -> Path:
        return self.work / "reviews.csv"

    @property
    def cards_csv(self) -> Path:
        return self.work / "cards.csv"

    def figures(self, phase: str) -> Path:
        return self.work / f"phase-{phase}.json"


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def timed(action: Callable[[], T]) -> tuple[float, T]:
    """Runs `action` and returns (milliseconds, its result)."""
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000.0, result


def self_peak_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux KiB units)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def percentile(values: list[float], q: float) -> float:
    """The value at quantile `q` of `values`, picked like notedeck-bench does."""
    ordered = sorted(values)
    return ordered[int((len(ordered) - 1) * q)]


def read_tsv(path: Path) -> list[tuple[str, str]]:
    """The (front, back) pairs of a notedeck-bench TSV, header lines skipped."""
    pairs = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            if line.startswith("#"):
                continue
            front, _, back = line.rstrip("\n").partition("\t")
            pairs.append((front, back))
    return pairs


def write_edited_tsv(source: Path, target: Path, every: int = 100) -> int:
    """Copies the TSV with the back of every `every`-th card changed; returns how many."""
    edited = 0
    with source.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        index = 0
        for line in src:
            if not line.startswith("#"):
                if index % every == 0:
                    line = line.rstrip("\n") + f" {EDIT_MARK}\n"
                    edited += 1
                index += 1
            out.write(line)
    return edited


class Lcg:
    """The deterministic generator notedeck's history simulation uses."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def below(self, n: int) -> int:
        self.state = (self.state * 6_364_136_223_846_793_005 + 1_442_695_040_888_963_407) % (
            1 << 64
        )
        return (self.state >> 33) % max(n, 1)


# --------------------------------------------------------------------------
# Anki operations
# --------------------------------------------------------------------------


def open_collection(path: Path) -> Collection:
    """Opens (or creates) an Anki collection."""
    from anki.collection import Collection

    path.parent.mkdir(parents=True, exist_ok=True)
    return Collection(str(path))


def default_deck() -> DeckId:
    """Anki's Default deck, where everything goes."""
    from anki.decks import DeckId

    return DeckId(DEFAULT_DECK_ID)


def db(col: Collection) -> DBProxy:
    """The collection's database layer (None only once it is closed)."""
    assert col.db is not None
    return col.db


def scheduler(col: Collection) -> Scheduler:
    """The v3 scheduler, the only one Anki still runs."""
    from anki.scheduler.v3 import Scheduler

    assert isinstance(col.sched, Scheduler)
    return col.sched


def import_tsv(col: Collection, tsv: Path) -> Figures:
    """Imports `tsv` with Anki's CSV importer into Basic / Default; returns the log counts."""
    from anki.import_export_pb2 import CsvMetadata, ImportCsvRequest

    metadata_ms, metadata = timed(lambda: col.get_csv_metadata(str(tsv), None))
    basic = col.models.id_for_name("Basic")
    assert basic is not None, "a new collection has the Basic notetype"
    metadata.global_notetype.id = basic
    metadata.global_notetype.ClearField("field_columns")
    metadata.global_notetype.field_columns.extend([1, 2])
    metadata.deck_id = DEFAULT_DECK_ID
    metadata.dupe_resolution = CsvMetadata.UPDATE
    metadata.match_scope = CsvMetadata.NOTETYPE
    request = ImportCsvRequest(path=str(tsv), metadata=metadata)
    took, response = timed(lambda: col.import_csv(request))
    log = response.log
    return {
        "ms": took,
        "metadata_ms": metadata_ms,
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "first_field_match": len(log.first_field_match),
    }


def sqlite_settings(col: Collection) -> Figures:
    """The SQLite settings Anki opened its collection with."""
    names = ("journal_mode", "synchronous", "locking_mode")
    return {name: db(col).scalar(f"pragma {name}") for name in names}


def drop_study_queues(col: Collection) -> None:
    """Makes Anki rebuild its queue next time.

    Saving the deck's options unchanged is a deck-config change, which clears
    the cached queues (saving the deck itself is a no-op and does not).
    """
    config = col.decks.config_dict_for_deck_id(default_deck())
    col.decks.update_config(config)


def raise_daily_limits(col: Collection, answers: int) -> None:
    """Lets at least `answers` distinct cards into today's queue."""
    config = col.decks.config_dict_for_deck_id(default_deck())
    config["new"]["perDay"] = max(config["new"]["perDay"], answers)
    config["rev"]["perDay"] = max(config["rev"]["perDay"], 10 * answers, 9999)
    col.decks.update_config(config)


# --------------------------------------------------------------------------
# Simulated history
# --------------------------------------------------------------------------

# Anki's answer buttons for notedeck's simulated grades [1, 3, 4, 4, 4, 5]:
# again, hard, good, good, good, easy.
BUTTONS = (1, 2, 3, 3, 3, 4)
REVLOG_LEARN, REVLOG_REVIEW, REVLOG_RELEARN = 0, 1, 2


@dataclass
class SimCard:
    """A card's SM-2 state during the simulation."""

    ivl: int = 0
    factor: int = 2500
    reps: int = 0
    lapses: int = 0
    due: int = 0
    learning: bool = True


def sm2_step(card: SimCard, button: int, day: int) -> tuple[int, int]:
    """Applies one answer on `day`; returns (revlog type, last interval).

    A plain SM-2 in Anki's units (factor in permille, intervals in days):
    a new or lapsed card graduates on hard/good/easy, again restarts it.
    Intraday steps are folded into the next day.
    """
    last_ivl = card.ivl
    kind = REVLOG_LEARN if card.reps == 0 else REVLOG_REVIEW
    if card.learning and card.reps > 0:
        kind = REVLOG_RELEARN
    if button == 1:
        if not card.learning:
            card.lapses += 1
            card.factor = max(1300, card.factor - 200)
        card.learning, card.ivl = True, 1
    elif card.learning:
        card.learning, card.ivl = False, 4 if button == 4 else 1
    elif button == 2:
        card.ivl, card.factor = max(card.ivl + 1, int(card.ivl * 1.2)), max(1300, card.factor - 150)
    elif button == 3:
        card.ivl = max(card.ivl + 1, card.ivl * card.factor // 1000)
    else:
        card.ivl = max(card.ivl + 1, int(card.ivl * card.factor / 1000 * 1.3))
        card.factor += 150
    card.reps += 1
    card.due = day + card.ivl
    return kind, last_ivl


def simulate_history(
    card_ids: list[int], count: int, today: int, now_ms: int, seed: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Revlog rows and card updates for `count` answers spread over the year.

    Mirrors notedeck's `fixtures::simulate_history`: each card in turn gets up
    to ceil(count / cards) answers, starting on a random day in the first month
    of the year and coming back when due (at most 20 days later).
    """
    per_card = -(-count // max(len(card_ids), 1))
    random = Lcg(seed)
    start = today - HISTORY_DAYS
    revlog: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for cid in card_ids:
        if len(revlog) == count:
            break
        card = SimCard()
        day = start + random.below(30)
        for _ in range(per_card):
            if len(revlog) == count or day >= today:
                break
            button = BUTTONS[random.below(6)]
            kind, last_ivl = sm2_step(card, button, day)
            # Same time of day as now, `today - day` days ago; the running row
            # number (below 50,000,000) keeps ids unique across days.
            answered_ms = now_ms - (today - day) * DAY_MS + len(revlog)
            taken_ms = 3000 + random.below(5000)
            revlog.append(
                (answered_ms, cid, -1, button, card.ivl, last_ivl, card.factor, taken_ms, kind)
            )
            day = min(card.due, day + 20)
        if card.reps:
            # type 2 / queue 2: a review card due on day `due`.
            updates.append((2, 2, card.due, card.ivl, card.factor, card.reps, card.lapses, cid))
    return revlog, updates


def chunks(rows: list[T], size: int) -> Iterator[list[T]]:
    """`rows` in slices of at most `size`."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --------------------------------------------------------------------------
# Phases: each runs in its own process and returns its figures.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseArgs:
    """What every phase may need."""

    paths: Paths
    tsv: Path
    reviews: int
    answers: int
    seed: int


def phase_import(args: PhaseArgs) -> Figures:
    """A fresh collection, then the first text import (timed)."""
    col = open_collection(args.paths.collection)
    db(col).execute("update col set crt = crt - ?", COLLECTION_AGE_DAYS * 86_400)
    counts = import_tsv(col, args.tsv)
    notes = col.note_count()
    cards = col.card_count()
    col.close()
    return {
        "rows": {"import_ms": counts.pop("ms")},
        "facts": {**counts, "notes": notes, "cards": cards},
    }


def phase_open(args: PhaseArgs) -> Figures:
    """Opens and closes the collection: the fixed cost every other phase pays."""
    took, col = timed(lambda: open_collection(args.paths.collection))
    facts = sqlite_settings(col)
    col.close()
    return {"rows": {"open_ms": took}, "facts": facts}


def phase_reimport(args: PhaseArgs, tsv: Path, key: str) -> Figures:
    """The same (or the edited) file imported again into the existing collection."""
    col = open_collection(args.paths.collection)
    counts = import_tsv(col, tsv)
    counts["notes_marked_edited"] = db(col).scalar(
        "select count() from notes where flds like ?", f"%{EDIT_MARK}%"
    )
    col.close()
    return {"rows": {key: counts.pop("ms")}, "facts": counts}


def phase_add(args: PhaseArgs) -> Figures:
    """The same notes added through the Python API into another fresh collection."""
    from anki.collection import AddNoteRequest

    pairs = read_tsv(args.tsv)
    col = open_collection(args.paths.add_collection)
    basic = col.models.by_name("Basic")
    assert basic is not None

    def add() -> float:
        requests = []
        for front, back in pairs:
            note = col.new_note(basic)
            note.fields[0], note.fields[1] = front, back
            requests.append(AddNoteRequest(note=note, deck_id=default_deck()))
        call_ms, _ = timed(lambda: col.add_notes(requests))
        return call_ms

    took, call_ms = timed(add)
    cards = col.card_count()
    col.close()
    return {"rows": {"add_ms": took}, "facts": {"add_notes_call_ms": call_ms, "added_cards": cards}}


def phase_simulate(args: PhaseArgs) -> Figures:
    """Writes the simulated history in one transaction (harness work, not measured)."""
    col = open_collection(args.paths.collection)
    today = col.sched.today
    now_ms = int(time.time() * 1000)
    card_ids = db(col).list("select id from cards order by id")
    revlog, updates = simulate_history(card_ids, args.reviews, today, now_ms, args.seed)

    def write() -> None:
        for chunk in chunks(revlog, 100_000):
            db(col).executemany("insert into revlog values (?,?,?,?,?,?,?,?,?)", chunk)
        for chunk in chunks(updates, 100_000):
            db(col).executemany(
                "update cards set type=?, queue=?, due=?, ivl=?, factor=?, reps=?, lapses=?,"
                " mod=strftime('%s','now'), usn=-1 where id=?",
                chunk,
            )

    took, _ = timed(lambda: db(col).transact(write))
    facts = {"reviews": len(revlog), "cards_with_history": len(updates), "today": today}
    col.close()
    return {"rows": {"simulate_ms": took}, "facts": facts}


def phase_queue(args: PhaseArgs) -> Figures:
    """Open + first queue (cold), the cached queue, then a rebuilt queue (warm)."""
    started = time.perf_counter()
    col = open_collection(args.paths.collection)
    sched = scheduler(col)
    first = sched.get_queued_cards()
    open_queue_ms = (time.perf_counter() - started) * 1000.0
    cached_ms, _ = timed(sched.get_queued_cards)
    drop_study_queues(col)
    queue_ms, queued = timed(sched.get_queued_cards)
    facts = {
        "queue_new": queued.new_count,
        "queue_learning": queued.learning_count,
        "queue_review": queued.review_count,
        "queue_cached_ms": cached_ms,
        "queue_first_card": first.cards[0].card.id if first.cards else None,
    }
    col.close()
    return {"rows": {"open_queue_ms": open_queue_ms, "queue_ms": queue_ms}, "facts": facts}


def phase_answer(args: PhaseArgs) -> Figures:
    """Answers `--answers` cards "good", one backend operation (one commit) each."""
    from anki.scheduler_pb2 import CardAnswer

    col = open_collection(args.paths.collection)
    raise_daily_limits(col, args.answers)
    sched = scheduler(col)
    wal = Path(str(args.paths.collection) + "-wal")
    answer_ms: list[float] = []
    next_ms: list[float] = []
    committed = 0
    for _ in range(args.answers):
        took, queued = timed(sched.get_queued_cards)
        next_ms.append(took)
        if not queued.cards:
            break
        head = queued.cards[0]
        answer = CardAnswer(
            card_id=head.card.id,
            current_state=head.states.current,
            new_state=head.states.good,
            rating=CardAnswer.GOOD,
            answered_at_millis=int(time.time() * 1000),
            milliseconds_taken=3000,
        )
        before = wal.stat().st_mtime_ns if wal.exists() else None
        started = time.perf_counter()
        sched.answer_card(answer)
        answer_ms.append((time.perf_counter() - started) * 1000.0)
        if wal.exists() and wal.stat().st_mtime_ns != before:
            committed += 1
    facts = {
        "answers": len(answer_ms),
        "answers_committed": committed,
        "next_card_median_ms": statistics.median(next_ms),
        **sqlite_settings(col),
    }
    col.close()
    rows = {}
    if answer_ms:
        rows = {
            "answer_median_ms": percentile(answer_ms, 0.5),
            "answer_p99_ms": percentile(answer_ms, 0.99),
        }
    return {"rows": rows, "facts": facts}


def phase_stats(args: PhaseArgs) -> Figures:
    """Anki's statistics screen data: `graphs` over the last 365 days, whole collection."""
    col = open_collection(args.paths.collection)
    took, graphs = timed(lambda: col._backend.graphs(search="", days=365))
    facts = {"graphs_bytes": graphs.ByteSize()}
    col.close()
    return {"rows": {"stats_ms": took}, "facts": facts}


def phase_export_reviews(args: PhaseArgs) -> Figures:
    """The review log as CSV, read through Anki's Python DB layer (no built-in export).

    `col.db.all` returns whole result sets, so the log is read in pages of
    `EXPORT_PAGE` rows by id rather than at once, to keep memory bounded.
    """
    col = open_collection(args.paths.collection)
    columns = ("id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type")
    query = f"select {', '.join(columns)} from revlog where id > ? order by id limit ?"

    def export() -> int:
        exported, last_id = 0, -1
        with args.paths.reviews_csv.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            while rows := db(col).all(query, last_id, EXPORT_PAGE):
                writer.writerows(rows)
                exported += len(rows)
                last_id = rows[-1][0]
        return exported

    took, exported = timed(export)
    col.close()
    return {"rows": {"export_reviews_ms": took}, "facts": {"exported_reviews": exported}}


def phase_export_cards(args: PhaseArgs) -> Figures:
    """Every card as CSV with Anki's own exporter (`export_card_csv`, with HTML)."""
    col = open_collection(args.paths.collection)
    took, exported = timed(
        lambda: col.export_card_csv(
            out_path=str(args.paths.cards_csv), limit=None, with_html=True
        )
    )
    col.close()
    return {"rows": {"export_cards_ms": took}, "facts": {"exported_cards": exported}}


def run_phase(name: str, args: PhaseArgs) -> Figures:
    """Runs one phase in this process.

    Anki's Python modules are imported first, so that no in-process figure
    includes importing them (the whole-process figure does).
    """
    import anki.collection  # noqa: F401
    import anki.scheduler.v3  # noqa: F401

    paths = args.paths
    phases: dict[str, Callable[[], Figures]] = {
        "import": lambda: phase_import(args),
        "open": lambda: phase_open(args),
        "reimport_unchanged": lambda: phase_reimport(args, args.tsv, "reimport_unchanged_ms"),
        "reimport_edited": lambda: phase_reimport(args, paths.edited_tsv, "reimport_edited_ms"),
        "add": lambda: phase_add(args),
        "simulate": lambda: phase_simulate(args),
        "queue": lambda: phase_queue(args),
        "answer": lambda: phase_answer(args),
        "stats": lambda: phase_stats(args),
        "export_reviews": lambda: phase_export_reviews(args),
        "export_cards": lambda: phase_export_cards(args),
    }
    figures = phases[name]()
    figures["self_peak_mb"] = self_peak_mb()
    return figures


# --------------------------------------------------------------------------
# The driver: one process per phase, figures merged into one JSON file.
# --------------------------------------------------------------------------


def anki_version() -> str:
    """The installed `anki` package's version."""
    from importlib.metadata import version

    return version("anki")


def run_all(args: argparse.Namespace) -> Figures:
    """Runs every phase in its own process and merges their figures."""
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="anki-bench-"))
    paths = Paths(work)
    if paths.collection.exists():
        sys.exit(f"{paths.collection} exists: give an empty --work folder")
    work.mkdir(parents=True, exist_ok=True)
    edited = write_edited_tsv(Path(args.tsv), paths.edited_tsv)
    rows: Figures = {}
    facts: Figures = {"edited_cards": edited}
    for phase in PHASES:
        command = [
            sys.executable, __file__, "--phase", phase, "--work", work,
            "--tsv", args.tsv, "--reviews", args.reviews,
            "--answers", args.answers, "--seed", args.seed,
        ]  # fmt: skip
        runs = []
        for _ in range(RUNS if phase in REPEATED else 1):
            # Each run writes a new file, as compare.py does for notedeck.
            for output in (paths.reviews_csv, paths.cards_csv):
                output.unlink(missing_ok=True)
            measured = run_measured(command, stdout=sys.stderr)
            runs.append((measured, json.loads(paths.figures(phase).read_text())))
        figures = runs[0][1]
        for key in figures["rows"]:
            figures["rows"][key] = statistics.median(f["rows"][key] for _, f in runs)
        rows.update(figures["rows"])
        facts[phase] = figures["facts"]
        wall_ms = statistics.median(m.wall_ms for m, _ in runs)
        peak_mb = max(m.peak_mb for m, _ in runs)
        rows[f"{phase}_process_ms"] = wall_ms
        rows[f"{phase}_peak_mb"] = peak_mb
        shown = ", ".join(f"{k} {v:.1f}" for k, v in figures["rows"].items())
        cost = f"process {wall_ms:.0f} ms, peak {peak_mb:.0f} MB ({len(runs)} runs)"
        print(f"anki {phase}: {shown}; {cost}", file=sys.stderr)
    rows["peak_mb"] = max(  # the largest peak of any measured phase
        rows[f"{phase}_peak_mb"] for phase in PHASES if phase not in NOT_IN_PEAK
    )
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "anki_version": anki_version(),
        "cards": facts["import"]["cards"],
        "reviews": facts["simulate"]["reviews"],
        "rows": rows,
        "facts": facts,
    }


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tsv", required=True, help="cards from notedeck-bench --anki-tsv")
    parser.add_argument("--reviews", type=int, default=1_000_000, help="simulated revlog rows")
    parser.add_argument("--answers", type=int, default=500, help="answers to time")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", help="write the figures here (default: standard output)")
    parser.add_argument("--work", help="folder for the collections (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.phase:
        phase_args = PhaseArgs(
            paths=Paths(Path(args.work)),
            tsv=Path(args.tsv),
            reviews=args.reviews,
            answers=args.answers,
            seed=args.seed,
        )
        figures = run_phase(args.phase, phase_args)
        phase_args.paths.figures(args.phase).write_text(json.dumps(figures))
        return
    result = run_all(args)
    text = json.dumps(result, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
