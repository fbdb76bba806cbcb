"""Times `notedeck import-anki` on a large Anki package beside Anki's own
import of the same package (issue 28's figure: 100,000 cards and 1,000,000
reviews under 30 s and 200 MB).

The package is made once with Anki's backend (`anki` from PyPI, in
.bench-venv: `scripts/setup.sh --anki`) and kept under target/bench-anki/:
NOTES Basic notes in 100 decks, and REVIEWS review-log rows spread over
them (written with SQL, as Anki's own database check accepts), exported as
a current-format package with scheduling.

    .bench-venv/bin/python bench/anki_import.py [--notes 100000] [--reviews 1000000]
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_package(path: str, notes: int, reviews: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        basic = col.models.by_name("Basic")
        decks = [col.decks.id(f"Bench::Deck {d:03}") for d in range(100)]
        rng = random.Random(7)
        batch = []
        for i in range(notes):
            note = col.new_note(basic)
            note["Front"] = f"Question {i} about <b>topic {i % 977}</b>"
            note["Back"] = f"Answer {i}: the value is {rng.randint(1, 10**6)}"
            batch.append((note, decks[i % len(decks)]))
        col.add_notes([__import__("anki.collection", fromlist=["AddNoteRequest"]).AddNoteRequest(note=n, deck_id=d) for n, d in batch])
        card_ids = col.db.list("select id from cards")
        now_ms = int(time.time() * 1000)
        day_ms = 86_400_000
        rows = []
        for k in range(reviews):
            cid = card_ids[k % len(card_ids)]
            at = now_ms - day_ms * 400 + k * (day_ms * 399 // max(reviews, 1))
            ease = rng.choice([1, 3, 3, 3, 4])
            rows.append((at + k % 1000, cid, -1, ease, 10, 5, 2500, 6000, 1))
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) values (?,?,?,?,?,?,?,?,?)",
            rows,
        )
        today = col.sched.today
        col.db.execute(
            "update cards set type = 2, queue = 2, ivl = 10, due = ?, factor = 2500, reps = 10 where id in (select distinct cid from revlog)",
            today + 5,
        )
        col.export_anki_package(
            out_path=path,
            options=ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False),
            limit=None,
        )
        col.close()


def timed(cmd: list[str], env=None) -> tuple[float, int]:
    start = time.time()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, capture_output=True, text=True, env=env)
    elapsed = time.time() - start
    if out.returncode != 0:
        sys.exit(f"failed: {cmd}\n{out.stderr[-2000:]}")
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args()
    cache = os.path.join(ROOT, "target", "bench-anki")
    os.makedirs(cache, exist_ok=True)
    package = os.path.join(cache, f"bench-{args.notes}-{args.reviews}.apkg")
    if not os.path.exists(package):
        print(f"making {package} with Anki's backend…", flush=True)
        make_package(package, args.notes, args.reviews)
    notedeck = os.path.join(ROOT, "target", "release", "notedeck")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "collection.sqlite3")
        into = os.path.join(tmp, "Anki")
        seconds, peak = timed([notedeck, "--db", db, "import-anki", package, "--into", into])
        print(f"| notedeck import-anki, whole process | {seconds:.2f} s | {peak / 1024:.0f} MB |")
        check, _ = timed([notedeck, "--db", db, "check"])
        print(f"| notedeck check afterwards | {check:.2f} s | |")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.time()
        col = Collection(os.path.join(tmp, "collection.anki2"))
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=package, options=ImportAnkiPackageOptions(with_scheduling=True))
        )
        col.close()
        print(f"| Anki's own import of the same package, in-process | {time.time() - start:.2f} s | |")


if __name__ == "__main__":
    main()
