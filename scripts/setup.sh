#!/usr/bin/env bash
# Installs what notedeck's build and tests need and is not there yet.
# Safe to run again: it only installs what is missing.
#   scripts/setup.sh            Rust toolchain, C compiler, Node.js, crates, npm packages
#   scripts/setup.sh --browser  also Debian's Chromium, for the browser tests
#   scripts/setup.sh --desktop  also Xvfb, WebKitWebDriver and tauri-driver, for the desktop test
#   scripts/setup.sh --anki     also Anki's backend (`anki` from PyPI, the benchmark's pin) in
#                               .bench-venv, which opens the packages `export-anki` writes
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=false
want_desktop_test=false
want_anki=false
for flag in "$@"; do
  case "$flag" in
    --browser) want_browser=true ;;
    --desktop) want_desktop_test=true ;;
    --anki) want_anki=true ;;
    *) echo "setup: unknown flag $flag (use --browser, --desktop and/or --anki)" >&2; exit 2 ;;
  esac
done

need_apt=()
command -v cc >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    need_apt+=(cargo rustc)
  fi
fi
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
# A test opens the collection with Python's sqlite3, as a user's own tool would.
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if $want_browser && [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi
# The desktop app (Tauri) builds against WebKitGTK.
pkg-config --exists webkit2gtk-4.1 2>/dev/null || need_apt+=(libwebkit2gtk-4.1-dev librsvg2-dev libssl-dev)
if $want_anki && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  need_apt+=(python3-venv)
fi
if $want_desktop_test; then
  command -v xvfb-run >/dev/null 2>&1 || need_apt+=(xvfb xauth)
  [ -x /usr/bin/WebKitWebDriver ] || need_apt+=(webkit2gtk-driver)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if $want_desktop_test && ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver with cargo"
  cargo install tauri-driver --locked
fi

# Anki's backend, pinned as the benchmark pins it, for the export test.
if $want_anki; then
  anki_version=$(sed -n 's/^ANKI_VERSION=//p' scripts/bench.sh)
  if ! .bench-venv/bin/python -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('anki') != '$anki_version')" 2>/dev/null; then
    echo "setup: installing anki==$anki_version from PyPI into .bench-venv"
    python3 -m venv .bench-venv
    .bench-venv/bin/pip install --quiet --disable-pip-version-check "anki==$anki_version"
  fi
fi

# Rust crates come from crates.io through Cargo.lock.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch

# npm packages come from the npm registry through ui/package-lock.json;
# reinstalled only when the lock file changed.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "setup: installing the UI's npm packages"
  npm --prefix ui ci --no-audit --no-fund --loglevel=error
fi
