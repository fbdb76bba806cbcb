"""Imports a package written by `notedeck export-anki` with Anki's own
backend (the `anki` package from PyPI) into a fresh collection, and prints
what Anki then holds as JSON: notes, cards (deck, note type, fields, queue,
due date, interval, ease, reps, lapses), review-log entries per card, and
media. Run by tests/it/anki.rs when ANKI_PYTHON names a Python with `anki`
installed (`make test` sets it up; see the README), and by hand:

    python tests/anki/check_export.py out.apkg [again.apkg]

With a second path, Anki then exports what it imported there (current
format, with scheduling and media), for the way back into notedeck.
"""

import datetime
import json
import os
import sys
import tempfile

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)


def main(package: str, again: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        try:
            col.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=os.path.abspath(package),
                    options=ImportAnkiPackageOptions(with_scheduling=True),
                )
            )
            today = col.sched.today
            # Anki's day begins at its rollover hour (4 am), not at midnight:
            # the calendar date of its `today` is the day before the next
            # cutoff, so the dates stay right when this runs after midnight.
            today_date = datetime.date.fromtimestamp(col.sched.day_cutoff) - datetime.timedelta(
                days=1
            )
            cards = []
            for cid in col.find_cards(""):
                card = col.get_card(cid)
                note = card.note()
                due_date = None
                if card.type == 2:
                    days = card.due - today
                    due_date = str(today_date + datetime.timedelta(days=days))
                cards.append(
                    {
                        "guid": note.guid,
                        "ord": card.ord,
                        "deck": col.decks.name(card.did),
                        "notetype": note.note_type()["name"],
                        "fields": dict(note.items()),
                        "tags": note.tags,
                        "type": card.type,
                        "queue": card.queue,
                        "due_date": due_date,
                        "interval": card.ivl,
                        "ease": card.factor,
                        "reps": card.reps,
                        "lapses": card.lapses,
                        "revlog": col.db.scalar("select count() from revlog where cid = ?", cid),
                        "question": card.question(),
                    }
                )
            print(
                json.dumps(
                    {
                        "notes": col.note_count(),
                        "cards": col.card_count(),
                        "revlog": col.db.scalar("select count() from revlog"),
                        "media": sorted(os.listdir(col.media.dir())),
                        "cards_detail": cards,
                    },
                    ensure_ascii=False,
                )
            )
            if again:
                col.export_anki_package(
                    out_path=os.path.abspath(again),
                    options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True, legacy=False),
                    limit=None,
                )
        finally:
            col.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
