"""notedeck beside Anki on the same work, in the same run: one Markdown table.

1. `notedeck-bench` generates the vault, imports it, simulates the review
   history and times everything in-process (its own JSON figures); it also
   writes the cards it made as a TSV for Anki.
2. The real `notedeck` CLI is timed as whole processes on copies of that
   data: a first import and an unchanged re-import into a fresh collection,
   then `due`, `stats` and `export reviews` on the benchmark's collection.
3. Unless `--no-anki`, `anki_bench.py` (in the virtual environment with
   Anki's `anki` package) does the same work with Anki's backend.

The table has one row per measure: notedeck, Anki, the ratio Anki ÷ notedeck
(how many times faster or smaller notedeck is) and whether the issue's
target is met. Run it through `scripts/bench.sh`, which builds the binaries
and installs Anki first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import Measured, run_measured  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# notedeck-bench's fixed "now": the CLI imports with the same. It reviews the
# benchmark's collection a day later, because the benchmark's own answers
# have used up that day's review limit (its queue would be empty).
NOW = "2026-06-01T09:00:00Z"
REVIEW_NOW = "2026-06-02T09:00:00Z"
WORK_MARKER = ".notedeck-bench-compare"
Figures = dict[str, float]


# --------------------------------------------------------------------------
# Targets and rows
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A goal from the issue: notedeck's value below `below`, or Anki ÷ notedeck ≥ `ratio`."""

    below: float | None = None
    ratio: float | None = None

    def describe(self, unit: str) -> str:
        if self.ratio is not None:
            return f"≥ {self.ratio:g}× faster than Anki"
        return f"< {self.below:g} {unit}"

    def met(self, notedeck: float | None, anki: float | None) -> bool | None:
        """True or False, or None when the figures to judge are missing."""
        if notedeck is None:
            return None
        if self.ratio is not None:
            return None if anki is None else anki >= self.ratio * notedeck
        return notedeck < (self.below or 0.0)


@dataclass(frozen=True)
class Row:
    """One line of the table: keys into notedeck's and Anki's figures."""

    label: str
    notedeck: str | None
    anki: str | None
    unit: str = "ms"
    target: Target | None = None


FAST_IMPORT = Target(ratio=5)
MEMORY = Target(below=150)

SECTIONS: list[tuple[str, list[Row]]] = [
    (
        "in-process (timed inside one program around the operation)",
        [
            Row("first import", "import_ms", "import_ms", target=FAST_IMPORT),
            Row("re-import, nothing changed", "reimport_unchanged_ms", "reimport_unchanged_ms"),
            Row(
                "re-import after 1% edited (notedeck: notes, Anki: cards)",
                "reimport_edited_ms",
                "reimport_edited_ms",
            ),
            Row("add the same notes through the API (Anki only)", None, "add_ms"),
            Row("open collection + today's queue", "open_queue_ms", "open_queue_ms"),
            Row("today's queue, warm", "queue_ms", "queue_ms", target=Target(below=5)),
            Row(
                "answer, median (durable)",
                "answer_median_ms",
                "answer_median_ms",
                target=Target(below=0.3),
            ),
            Row("answer, p99 (durable)", "answer_p99_ms", "answer_p99_ms", target=Target(below=3)),
            Row(
                "statistics over a year (the day's answers counted into the kept totals)",
                "stats_ms",
                "stats_ms",
                target=Target(ratio=3),
            ),
            Row("export the review log as CSV", "export_reviews_ms", "export_reviews_ms"),
            Row("peak memory, whole run / largest phase", "peak_mb", "peak_mb", "MB", MEMORY),
        ],
    ),
    (
        "notedeck only (in-process): card doctor, card browser, the disk's floor",
        [
            Row("card doctor over every card", "doctor_ms", None, target=Target(below=2000)),
            Row("search index of the imported cards (after the import)", "search_index_ms", None),
            Row("search: one word, first page", "search_word_ms", None, target=Target(below=50)),
            Row("search: a phrase and a field, first page", "search_phrase_ms", None, target=Target(below=50)),
            Row("search: state and lapses, by due", "search_fields_ms", None, target=Target(below=50)),
            Row("browse every card by interval, first page", "browse_first_page_ms", None, target=Target(below=50)),
            Row("suspend 10,000 selected cards", "suspend_10k_ms", None, target=Target(below=1000)),
            Row(
                "SQLite's own floor for the first import: the same rows inserted again, durable",
                "import_floor_ms",
                None,
            ),
            Row("first import over SQLite's own floor", "import_over_floor", None, "×"),
            Row(
                "SQLite's own floor for statistics: stepping the log's rows, the columns read, two threads",
                "stats_floor_ms",
                None,
            ),
            Row("statistics over SQLite's own floor", "stats_over_floor", None, "×"),
            Row(
                "statistics, first time (counts the whole log, keeps its totals)",
                "stats_first_ms",
                None,
            ),
            Row("the disk's floor: a bare durable one-row transaction, median", "disk_floor_median_ms", None),
            Row("pages an answer writes to the WAL", "answer_pages", None, "pages"),
            Row(
                "the same pages' floor: a bare durable transaction of that many pages, median",
                "disk_floor_pages_median_ms",
                None,
            ),
            Row("answer median over the one-row floor", "answer_over_floor", None, "×"),
            Row("answer median over the same pages' floor", "answer_over_pages_floor", None, "×"),
        ],
    ),
    (
        "whole process (start to exit: `notedeck` CLI vs one Python process per Anki phase)",
        [
            Row("import into a fresh collection", "cli_import_ms", "import_process_ms"),
            Row("re-import, nothing changed", "cli_reimport_ms", "reimport_unchanged_process_ms"),
            Row("open + today's queue (`due`)", "cli_due_ms", "queue_process_ms"),
            Row("first `due` of the day (takes the daily backup)", "cli_due_first_ms", None),
            Row(
                "statistics over a year (`stats`)",
                "cli_stats_ms",
                "stats_process_ms",
                target=Target(ratio=3),
            ),
            Row(
                "export the review log (`export reviews`)",
                "cli_export_ms",
                "export_reviews_process_ms",
                target=Target(ratio=3),
            ),
            Row(
                "export the cards (`export cards`; Anki: `export_card_csv`)",
                "cli_export_cards_ms",
                "export_cards_process_ms",
                target=Target(ratio=3),
            ),
            Row("open the collection, nothing else (Anki only)", None, "open_process_ms"),
        ],
    ),
    (
        "peak memory of each process",
        [
            Row("import", "cli_import_mb", "import_peak_mb", "MB", MEMORY),
            Row(
                "re-import, nothing changed",
                "cli_reimport_mb",
                "reimport_unchanged_peak_mb",
                "MB",
                MEMORY,
            ),
            Row("open + today's queue", "cli_due_mb", "queue_peak_mb", "MB", MEMORY),
            Row("statistics", "cli_stats_mb", "stats_peak_mb", "MB", MEMORY),
            Row("export the review log", "cli_export_mb", "export_reviews_peak_mb", "MB", MEMORY),
            Row("export the cards", "cli_export_cards_mb", "export_cards_peak_mb", "MB", MEMORY),
        ],
    ),
]


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------


def show(value: float | None, unit: str) -> str:
    """A figure for the table: milliseconds or seconds, or whole megabytes."""
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "pages":
        return f"{value:.1f}"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    if value >= 1:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def show_ratio(notedeck: float | None, anki: float | None) -> str:
    """Anki ÷ notedeck: above 1, notedeck is faster (or smaller)."""
    if notedeck is None or anki is None or notedeck <= 0:
        return "—"
    ratio = anki / notedeck
    return f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×"


def show_target(row: Row, notedeck: float | None, anki: float | None) -> str:
    if row.target is None:
        return ""
    verdict = {True: "yes", False: "**no**", None: "n/a"}[row.target.met(notedeck, anki)]
    return f"{verdict} ({row.target.describe(row.unit)})"


def table(notedeck: Figures, anki: Figures) -> list[str]:
    """The comparison as Markdown lines."""
    lines = [
        "| measure | notedeck | Anki | Anki ÷ notedeck | target met? |",
        "|---|---|---|---|---|",
    ]
    for title, rows in SECTIONS:
        lines.append(f"| ***{title}*** | | | | |")
        for row in rows:
            nd = notedeck.get(row.notedeck) if row.notedeck else None
            an = anki.get(row.anki) if row.anki else None
            if nd is None and an is None:
                continue
            cells = [
                row.label,
                show(nd, row.unit),
                show(an, row.unit),
                show_ratio(nd, an),
                show_target(row, nd, an),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


# --------------------------------------------------------------------------
# Running things
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """The files of one comparison run, all under `work`."""

    work: Path

    @property
    def bench_dir(self) -> Path:
        return self.work / "notedeck"

    @property
    def vault(self) -> Path:
        return self.bench_dir / "vault"

    @property
    def bench_db(self) -> Path:
        return self.bench_dir / "collection.sqlite3"

    @property
    def bench_json(self) -> Path:
        return self.work / "notedeck.json"

    @property
    def tsv(self) -> Path:
        return self.work / "cards.tsv"

    @property
    def cli(self) -> Path:
        return self.work / "cli"

    @property
    def anki_json(self) -> Path:
        return self.work / "anki.json"

    @property
    def anki_work(self) -> Path:
        return self.work / "anki"


def fresh_work_dir(work: Path) -> None:
    """Empties `work`, refusing to touch a folder this script did not make."""
    if work.exists() and any(work.iterdir()) and not (work / WORK_MARKER).exists():
        sys.exit(f"{work} is not empty and was not made by compare.py: choose another --work")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / WORK_MARKER).touch()


def step(message: str) -> None:
    print(f"\n== {message}", file=sys.stderr, flush=True)


def run_notedeck_bench(args: argparse.Namespace, layout: Layout) -> dict[str, Any]:
    """notedeck-bench's in-process figures (its table goes to standard error)."""
    step(
        f"notedeck-bench: {args.shape} shape, {args.notes} notes × {args.sections} sections, "
        f"{args.reviews} reviews"
    )
    run_measured(
        [
            args.bench_bin, "--dir", layout.bench_dir, "--shape", args.shape, "--notes", args.notes,
            "--sections", args.sections, "--reviews", args.reviews, "--answers", args.answers,
            "--json", layout.bench_json, "--anki-tsv", layout.tsv,
        ],
        stdout=sys.stderr,
    )  # fmt: skip
    return json.loads(layout.bench_json.read_text())


def wait_for_backup_aside(db: Path, timeout_s: float = 300) -> None:
    """Waits until no `notedeck … daily-backup-aside` process of `db` runs."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        running = False
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                args = cmdline.read_bytes().split(b"\0")
            except OSError:
                continue
            if b"daily-backup-aside" in args and any(a.endswith(db.name.encode()) for a in args):
                running = True
                break
        if not running:
            return
        time.sleep(0.05)
    print("warning: the day's backup was still running; timing on", file=sys.stderr)


def run_cli(args: argparse.Namespace, layout: Layout) -> Figures:
    """Whole-process wall time and peak memory of the real CLI on the same data."""
    step("notedeck CLI, whole processes")
    layout.cli.mkdir()
    fresh_db = layout.cli / "import.sqlite3"
    review_db = layout.cli / "review.sqlite3"
    stats, reviews = layout.cli / "stats.json", layout.cli / "reviews.csv"
    for suffix in ("", "-wal"):
        source = Path(f"{layout.bench_db}{suffix}")
        if source.exists():
            shutil.copyfile(source, f"{review_db}{suffix}")

    def cli(db: Path, *rest: str | Path, out: str | None = None) -> Measured:
        now = NOW if db == fresh_db else REVIEW_NOW
        command = [args.cli_bin, "--db", db, "--now", now, *rest]
        if out is None:
            measured = run_measured(command, quiet=True)
        else:
            with (layout.cli / out).open("wb") as file:
                measured = run_measured(command, stdout=file, quiet=True)
        print(
            f"{' '.join(map(str, rest))}: {measured.wall_ms:.0f} ms, {measured.peak_mb:.0f} MB",
            file=sys.stderr,
        )
        return measured

    runs: dict[str, Measured] = {
        "import": cli(fresh_db, "import", "--json", layout.vault, out="import.json"),
        "reimport": cli(fresh_db, "import", "--json", layout.vault, out="reimport.json"),
        "due_first": cli(review_db, "due", "--json", out="due-first.json"),
    }
    # The first `due` of the day leaves the day's backup copying in a
    # process of its own; the next timings wait until it is done, so that
    # they do not share the machine with it.
    wait_for_backup_aside(review_db)
    def repeated(db: Path, *rest: str | Path) -> Measured:
        """The median wall time of three runs and the largest peak, as
        anki_bench.py does for Anki's reading phases (REPEATED); each run
        writes a new file (the last one removed first, untimed, as for
        Anki: replacing a file of 300 MB costs the kernel a quarter second
        to free it)."""
        output = Path(rest[rest.index("--out") + 1])
        runs = []
        for _ in range(3):
            output.unlink(missing_ok=True)
            runs.append(cli(db, *rest))
        return Measured(
            wall_ms=statistics.median(m.wall_ms for m in runs),
            peak_mb=max(m.peak_mb for m in runs),
            peak_exact=all(m.peak_exact for m in runs),
        )

    runs |= {
        "due": cli(review_db, "due", "--json", out="due.json"),
        "stats": repeated(review_db, "stats", "--days", "365", "--format", "json", "--out", stats),
        "export": repeated(review_db, "export", "reviews", "--format", "csv", "--out", reviews),
        "export_cards": repeated(
            review_db, "export", "cards", "--format", "csv", "--out", layout.cli / "cards.csv"
        ),
    }
    figures: Figures = {}
    for name, measured in runs.items():
        figures[f"cli_{name}_ms"] = measured.wall_ms
        figures[f"cli_{name}_mb"] = measured.peak_mb
        if not measured.peak_exact:
            print(
                f"warning: peak memory of `{name}` is an upper bound (no GNU time)", file=sys.stderr
            )
    figures["cli_queue_length"] = len(json.loads((layout.cli / "due.json").read_text()))
    imported = json.loads((layout.cli / "import.json").read_text())
    figures["cli_import_cards"] = imported["totals"]["added"]
    return figures


def run_anki(args: argparse.Namespace, layout: Layout) -> dict[str, Any]:
    """Anki's figures from anki_bench.py, run with the virtual environment's Python."""
    step(f"Anki ({args.anki_python}): the same cards and review count")
    run_measured(
        [
            args.anki_python, ROOT / "bench" / "anki_bench.py", "--tsv", layout.tsv,
            "--reviews", args.reviews, "--answers", args.answers,
            "--json", layout.anki_json, "--work", layout.anki_work,
        ],
        stdout=sys.stderr,
    )  # fmt: skip
    return json.loads(layout.anki_json.read_text())


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def machine() -> str:
    """CPU model and count, and the OS, for the report's header."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def report(
    args: argparse.Namespace,
    bench: dict[str, Any],
    cli: Figures,
    anki: dict[str, Any] | None,
) -> str:
    """The Markdown report: what was run, the table, and what the figures mean."""
    notedeck: Figures = {**bench["rows"], **cli}
    lines = [
        f"notedeck: the {args.shape} vault shape ({SHAPES[args.shape]}), "
        f"{args.notes:,} notes × {args.sections} sections = {bench['cards']:,} cards, "
        f"{bench['reviews']:,} simulated review rows, {args.answers} answers timed; "
        f"the CLI imports the vault as left after the 1% edit ({cli['cli_import_cards']:,.0f} "
        f"cards) and reviews a copy of the benchmark's collection the next day (queue of "
        f"{cli['cli_queue_length']:.0f}).",
    ]
    if anki:
        answer = anki["facts"]["answer"]
        lines.append(
            f"Anki {anki['anki_version']} (PyPI `anki`, no Qt): the same {anki['cards']:,} cards "
            f"as Basic notes, {anki['reviews']:,} simulated revlog rows, {answer['answers']} "
            f"answers timed (SQLite {answer['journal_mode']}, synchronous="
            f"{answer['synchronous']}; {answer['answers_committed']} seen committed to the WAL)."
        )
    else:
        lines.append("Anki: not run (`--no-anki`).")
    lines += [f"Machine: {machine()}; {time.strftime('%Y-%m-%d')}.", ""]
    lines += table(notedeck, anki["rows"] if anki else {})
    return "\n".join(lines) + "\n"


NOTES = [
    "How to read it:",
    "- Ratio: Anki's figure divided by notedeck's; above 1× notedeck is that many times faster "
    "(or smaller). The targets are the issue's, set for about 100,000 cards; at other sizes "
    "they are shown for orientation.",
    "- Whole-process times run from spawning the command to its exit (including about 1.5 ms "
    "for GNU time, which reads each process's peak memory). notedeck's in-process peak memory "
    "is the whole benchmark in one process (vault generation, three imports, the simulated "
    "history, every timing); each real CLI command's own peak is in the last section. "
    "Every timed command starts after the disk's pending writes are flushed; the commands "
    "that only read (statistics and both exports, notedeck's and Anki's alike) are the median "
    "of three runs (their largest peak), the others one run.",
    "- notedeck imports Markdown (parsing, rendering and sanitising HTML, matching cards to "
    "earlier imports); Anki imports the resulting front/back HTML as a tab-separated text file "
    "with its CSV importer, one Basic note per card, matching duplicates by first field.",
    '- Anki reads the real clock, so its "today" is the day of the run; its history is '
    "simulated relative to that day with the same shape as notedeck's (SM-2, spread over the "
    "year). Both queues use 20 new / 200 reviews a day; both answer phases raise the review "
    "limit (untimed) so that every timed answer is a different card's first of the day, and "
    "notedeck counts the pages of answers to cards not answered yet.",
    "- Durable answers: notedeck commits each answer with SQLite synchronous=FULL; Anki's "
    "`answer_card` is one backend operation that commits on return, also with "
    "synchronous=FULL in WAL mode.",
    "- Anki's statistics are its `graphs` backend call (everything its statistics screen "
    "shows, whole collection, 365 days). Anki has no review-log export: its figure is reading "
    "`revlog` through its Python DB layer (in pages of 50,000 rows) and writing CSV with "
    "Python's `csv` module (raw columns, no date formatting).",
    "- Anki's whole-process figures include starting Python and importing `anki` (see the "
    "open-only row); Anki's desktop app pays that once per session, not per operation. Its "
    "peak memory is that of the Python process with Anki's backend, without the Qt app.",
]


SHAPES = {
    "small": "many small notes, each section one of seven kinds: lists, callouts, code, tables, "
    "definitions, links and math, prose",
    "rich": "fewer, longer notes; every section a paragraph with emphasis, inline code, a link "
    "and a wikilink, then a two-item list",
    "prose": "the held-out shape, which the importer was not tuned on: blog posts with Jekyll "
    "front matter and Liquid, two to four paragraphs a section, footnotes, quotes, callouts, "
    "nested lists, aliased wikilinks and tags",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shape",
        default="small,rich,prose",
        help="vault shapes to run, comma-separated (small, rich, prose); each has its own table",
    )
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--sections", type=int, default=10)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=500)
    parser.add_argument(
        "--quick", action="store_true", help="1,000 notes and 100,000 reviews (overrides both)"
    )
    parser.add_argument("--no-anki", action="store_true", help="notedeck's figures only")
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--json", type=Path, help="also write every figure (JSON) here")
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench-compare")
    parser.add_argument("--keep", action="store_true", help="keep --work (vaults, collections)")
    parser.add_argument("--bench-bin", type=Path, default=ROOT / "target/release/notedeck-bench")
    parser.add_argument("--cli-bin", type=Path, default=ROOT / "target/release/notedeck")
    parser.add_argument("--anki-python", type=Path, default=ROOT / ".bench-venv/bin/python")
    args = parser.parse_args()
    args.shapes = [shape.strip() for shape in args.shape.split(",") if shape.strip()]
    for shape in args.shapes:
        if shape not in SHAPES:
            parser.error(f"--shape {shape}: the shapes are {', '.join(sorted(SHAPES))}")
    if args.quick:
        args.notes, args.reviews = 1_000, 100_000
    return args


def for_shape(args: argparse.Namespace, shape: str) -> argparse.Namespace:
    """The run of one shape: the rich shape imports 1,000 notes × 100 sections
    (100,000 cards), the prose shape 2,500 posts × 20 sections, each with a
    smaller history (their point is the import), a tenth of that with
    --quick; flags given explicitly still win."""
    run = argparse.Namespace(**vars(args))
    run.shape = shape
    shaped = {"rich": (1_000, 100), "prose": (2_500, 20)}
    if shape in shaped:
        defaults = argparse.Namespace(notes=10_000, sections=10, reviews=1_000_000, answers=500)
        scale = 10 if args.quick else 1
        notes, sections = shaped[shape]
        if args.notes in (defaults.notes, 1_000) and args.sections == defaults.sections:
            run.notes, run.sections = notes // scale, sections
        if args.reviews in (defaults.reviews, 100_000):
            run.reviews = 100_000 // scale
        if args.answers == defaults.answers:
            run.answers = 100
    return run


def main() -> None:
    args = parse_args()
    for binary in (args.bench_bin, args.cli_bin):
        if not binary.exists():
            sys.exit(f"{binary} is missing: run scripts/bench.sh (or cargo build --release)")
    if not args.no_anki and not args.anki_python.exists():
        sys.exit(f"{args.anki_python} is missing: run scripts/bench.sh, which installs Anki")
    texts, everything = [], {}
    fresh_work_dir(args.work)
    for shape in args.shapes:
        run = for_shape(args, shape)
        layout = Layout(args.work / shape)
        fresh_work_dir(layout.work)
        bench = run_notedeck_bench(run, layout)
        cli = run_cli(run, layout)
        anki = None if run.no_anki else run_anki(run, layout)
        texts.append(f"### The {shape} vault shape\n\n" + report(run, bench, cli, anki))
        everything[shape] = {"notedeck": bench, "notedeck_cli": cli, "anki": anki}
    text = "\n".join([*texts, "\n".join(NOTES) + "\n"])
    print()
    print(text, end="")
    if args.out:
        args.out.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2) + "\n")
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
