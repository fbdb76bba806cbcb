#!/usr/bin/env bash
# notedeck's benchmark beside Anki's, on the same work, in one run (bench/compare.py).
#   scripts/bench.sh                  three vault shapes, each beside Anki: small (10,000 notes × 10
#                                     sections ≈ 124,000 cards, 1,000,000 reviews), rich (1,000
#                                     notes × 100 sections = 100,000 cards, 100,000 reviews) and the
#                                     held-out prose shape (2,500 posts × 20 sections ≈ 52,500
#                                     cards, 100,000 reviews)
#   scripts/bench.sh --quick          1,000 notes × 10 sections, 100,000 reviews
#   scripts/bench.sh --no-anki        notedeck only (no Python packages needed)
#   scripts/bench.sh --out FILE.md    also write the report to FILE.md
# Other flags go to bench/compare.py: --shape small|rich|prose --notes N --sections S --reviews R --answers A --json FILE.
#
# Anki's backend is the `anki` package from PyPI (its Rust backend and Python
# layer, no Qt), pinned below and installed into .bench-venv on first use.
# Peak memory is read with GNU time (Debian's `time`), installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

ANKI_VERSION=26.9.3
VENV=.bench-venv
PYTHON=${PYTHON:-python3}

want_anki=true
for flag in "$@"; do
  if [ "$flag" = --no-anki ]; then want_anki=false; fi
done

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "bench: needs Python 3.10 or newer as \`$PYTHON\` (set PYTHON=...)" >&2
  exit 1
fi

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time with apt-get (for peak memory)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time
fi

if $want_anki && ! "$VENV/bin/python" -c \
  "import importlib.metadata as m, sys; sys.exit(m.version('anki') != '$ANKI_VERSION')" 2>/dev/null; then
  echo "bench: installing anki==$ANKI_VERSION from PyPI into $VENV"
  if ! "$PYTHON" -m venv "$VENV"; then
    echo "bench: \`$PYTHON -m venv\` failed; on Debian: apt-get install python3-venv" >&2
    exit 1
  fi
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "anki==$ANKI_VERSION"
fi

export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --locked -p notedeck-bench -p notedeck-cli

exec "$PYTHON" bench/compare.py --anki-python "$VENV/bin/python" "$@"
