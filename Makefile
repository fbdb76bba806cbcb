# notedeck: the targets a newcomer can guess.
# `make run` and `make test` install what is missing first (scripts/setup.sh).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
DEMO_DB ?= target/demo/collection.sqlite3

.PHONY: run demo serve test setup build lint fmt bench ui e2e desktop-test faults fuzz package bench-ui bench-fsrs bench-anki

## Open notedeck: the desktop window when there is a display, otherwise
## `notedeck serve` with its URL. The sample decks are there on first start.
run: setup ui
	$(CARGO) build --release --locked -p notedeck-cli -p notedeck-desktop
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		./target/release/notedeck-desktop; \
	else \
		echo "No display: serving the same UI in your browser instead."; \
		./target/release/notedeck decks --json | grep -q '^\[\]$$' && \
			./target/release/notedeck import decks --deck "Sample decks" >/dev/null; \
		./target/release/notedeck serve; \
	fi

## Import the sample decks into a fresh demo collection and list them.
demo: setup
	$(CARGO) build --release --locked -p notedeck-cli
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./target/release/notedeck --db $(DEMO_DB) import decks --deck "Sample decks"
	@echo
	./target/release/notedeck --db $(DEMO_DB) decks

## Set up, check formatting and lints, and run every test: Rust unit and
## integration tests, the UI's unit tests, then the browser end-to-end test
## against `notedeck serve` in Debian's Chromium. No incremental caches: a
## fresh clone builds once, and they would double the disk it needs.
test: export CARGO_INCREMENTAL = 0
test: setup ui lint
	@./scripts/setup.sh --anki
	ANKI_PYTHON=$(CURDIR)/.bench-venv/bin/python $(CARGO) test --workspace --locked --features notedeck-api/ts
	npm --prefix ui test
	$(MAKE) e2e
	$(MAKE) desktop-test

## The web UI, built into ui/dist (embedded into the notedeck binary).
ui: setup
	npm --prefix ui run build

## Browser end-to-end test (builds the UI and the binary that embeds it).
e2e: ui
	@./scripts/setup.sh --browser
	$(CARGO) build --locked -p notedeck-cli
	npm --prefix ui run e2e

## Desktop end-to-end test: the real Tauri binary under Xvfb, through tauri-driver.
desktop-test: ui
	@./scripts/setup.sh --desktop
	$(CARGO) build --locked -p notedeck-cli -p notedeck-desktop
	xvfb-run -a -s "-screen 0 1280x900x24" node tests/desktop/run.mjs

## A .deb with the desktop app and the CLI (Tauri's bundler, from npm).
## `PACKAGE_BUNDLES=deb,appimage` also builds an AppImage (the bundler
## downloads its AppImage tools on first use).
PACKAGE_BUNDLES ?= deb
package: ui
	$(CARGO) build --release --locked -p notedeck-cli
	cd src-tauri && npx --yes @tauri-apps/cli@2 build --bundles $(PACKAGE_BUNDLES)
	@ls -l target/release/bundle/*/

## The fault tests at length: many kill -9 rounds over import, answers and
## export, and the full-disk test (make test runs 3 rounds of each).
FAULT_ROUNDS ?= 40
faults: setup
	NOTEDECK_FAULT_ROUNDS=$(FAULT_ROUNDS) $(CARGO) test --locked -p notedeck-cli --test it -- faults odd_notes --test-threads 1

## Benchmarks: notedeck beside Anki on the same generated work (installs
## Anki's `anki` package into .bench-venv). BENCH_ARGS="--quick" for a quick
## run, "--no-anki" for notedeck alone, "--out bench.md" keeps the report.
BENCH_ARGS ?=

## Fuzz for FUZZ_SECONDS each (cargo-fuzz, nightly): the note parser and
## renderer (parse_render), how notes reference media (media_paths), then
## what a note may expand into (expansion: clozes, footnotes, embeds).
## New inputs go to fuzz/target/corpus*; crashes to fuzz/artifacts/
## (minimise them into fuzz/regressions/, which `make test` replays).
FUZZ_SECONDS ?= 120
fuzz: setup
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	mkdir -p fuzz/target/corpus fuzz/target/corpus-media fuzz/target/corpus-expansion fuzz/artifacts/parse_render fuzz/artifacts/media_paths fuzz/artifacts/expansion
	cd fuzz && $(CARGO) +nightly fuzz run parse_render target/corpus corpus/parse_render -- \
		-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
		-artifact_prefix=artifacts/parse_render/
	cd fuzz && $(CARGO) +nightly fuzz run media_paths target/corpus-media corpus/media_paths -- \
		-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
		-artifact_prefix=artifacts/media_paths/
	cd fuzz && $(CARGO) +nightly fuzz run expansion target/corpus-expansion corpus/expansion -- \
		-max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=131072 \
		-artifact_prefix=artifacts/expansion/

bench: setup
	./scripts/bench.sh $(BENCH_ARGS)

## FSRS beside SM-2 on 100,000 cards and 1,000,000 reviews (notedeck alone).
bench-fsrs: setup
	$(CARGO) build --release --locked -p notedeck-bench
	./target/release/notedeck-bench --shape rich --notes 1000 --sections 100 --reviews 1000000 --answers 500 --fsrs

## `import-anki` on a package of 100,000 cards and 1,000,000 reviews made by
## Anki's own backend (kept under target/bench-anki), beside Anki's import.
bench-anki: setup
	@./scripts/setup.sh --anki
	$(CARGO) build --release --locked -p notedeck-cli
	.bench-venv/bin/python bench/anki_import.py $(ANKI_BENCH_ARGS)

## Review latency on a ~100,000-card collection: launch to first card and
## answer to next card, in the desktop window (Xvfb) and in Chromium.
bench-ui: ui
	@./scripts/setup.sh --browser --desktop
	$(CARGO) build --release --locked -p notedeck-cli -p notedeck-desktop -p notedeck-bench
	xvfb-run -a -s "-screen 0 1280x900x24" node bench/latency.mjs $(LATENCY_ARGS)
	xvfb-run -a -s "-screen 0 1280x900x24" bench/webkit-floor/floor.sh 6

setup:
	@./scripts/setup.sh

build: setup
	$(CARGO) build --workspace

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked --features notedeck-api/ts -- -D warnings
	npm --prefix ui run check

fmt:
	$(CARGO) fmt --all
