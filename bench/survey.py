#!/usr/bin/env python3
"""Imports a public note collection as a new user would and measures what
the README's table "Tried on public collections" reports: notes, cards,
skipped sections by reason, warnings, long backs, and cards whose visible
text still shows markup (anywhere, and outside code and math).

    bench/survey.py PATH [--notedeck target/release/notedeck]

Nothing is written beside the collection: the notedeck collection goes to a
temporary folder.
"""

import argparse
import collections
import html
import json
import re
import subprocess
import tempfile
import time

# Leftover markup a card should never show as text.
MARKUP = [
    "{{", "}}", "{%", "%%", ":LOGBOOK:", "((", "[[", "]]", "\\(", "\\[", "$$",
    "{{fm.",
]
BLOCK_ID = re.compile(r"\s\^[A-Za-z0-9-]{3,}\s*$", re.M)
PROPERTY = re.compile(r"^[A-Za-z][\w.-]*:: ", re.M)
# Logseq's task markers, at the start of a line or list item.
TASK = re.compile(r"(^|\n)\s*(TODO|DOING|DONE|NOW|LATER|WAITING|WAIT|CANCELED|CANCELLED) ")


def visible_text(fragment: str, drop_code_and_math: bool) -> str:
    """The text a person sees in a card's HTML (tags dropped)."""
    if drop_code_and_math:
        fragment = re.sub(r"<pre.*?</pre>", " ", fragment, flags=re.S)
        fragment = re.sub(r"<code.*?</code>", " ", fragment, flags=re.S)
        fragment = re.sub(
            r'<span class="math[^"]*"[^>]*>.*?</span>', " ", fragment, flags=re.S
        )
    fragment = re.sub(r"<br\s*/?>|</p>|</li>|</div>|</h\d>", "\n", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def leftovers(text: str) -> list:
    found = [m for m in MARKUP if m in text]
    if BLOCK_ID.search(text):
        found.append("^block-id")
    if PROPERTY.search(text):
        found.append("key:: value")
    if TASK.search(text):
        found.append("task marker")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--notedeck", default="target/release/notedeck")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/survey.sqlite3"
        run = lambda *a: subprocess.run(
            [args.notedeck, "--db", db, *a], check=True, capture_output=True, text=True
        ).stdout
        started = time.monotonic()
        report = json.loads(run("import", args.path, "--json"))
        seconds = time.monotonic() - started
        cards = [c for c in json.loads(run("cards", "--json")) if c["state"] != "retired"]
    reasons = collections.Counter()
    warnings = collections.Counter()
    for note in report["notes"]:
        for item in note.get("skipped_items", []):
            reasons[item["reason"].split(":")[0].split(" (rule")[0]] += 1
        for warning in note.get("warnings", []):
            warnings[re.sub(r"^line \d+: ", "", warning)[:60]] += 1
    long_backs = sum(len(visible_text(c["back_html"], False)) > 2000 for c in cards)
    anywhere, outside = collections.Counter(), collections.Counter()
    from_app_folders = 0
    examples = []
    for card in cards:
        relative = card["note"][len(args.path.rstrip("/")):]
        if re.search(r"/(logseq|\.[^/]+|node_modules|_site)/", relative):
            from_app_folders += 1
        html_text = card["front_html"] + "\n" + card["back_html"]
        found = leftovers(visible_text(html_text, False))
        anywhere.update(set(found))
        found_outside = leftovers(visible_text(html_text, True))
        outside.update(set(found_outside))
        if found_outside and len(examples) < 8:
            examples.append((card["note"], card["line"], found_outside))
    with_markup = lambda drop: sum(
        1 for c in cards
        if leftovers(visible_text(c["front_html"] + "\n" + c["back_html"], drop))
    )
    print(json.dumps({
        "notes": sum(1 for n in report["notes"] if n.get("deck")),
        "cards": len(cards),
        "skipped_sections": dict(reasons.most_common()),
        "warnings": sum(warnings.values()),
        "warning_kinds": dict(warnings.most_common(6)),
        "backs_over_2000": long_backs,
        "cards_with_markup": with_markup(False),
        "cards_with_markup_outside_code_and_math": with_markup(True),
        "markup_anywhere": dict(anywhere),
        "markup_outside": dict(outside),
        "cards_from_app_folders": from_app_folders,
        "examples": examples,
        "import_seconds": round(seconds, 2),
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
