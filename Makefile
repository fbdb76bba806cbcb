# notedeck: the targets a newcomer can guess.
# `make run` and `make test` install what is missing first (scripts/setup.sh).

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
DEMO_DB ?= target/demo/collection.sqlite3

.PHONY: run test setup build lint fmt bench

## Set up, import the sample decks into a fresh demo collection and list them.
run: setup
	$(CARGO) build --release -p notedeck-cli
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./target/release/notedeck --db $(DEMO_DB) import decks --deck "Sample decks"
	@echo
	./target/release/notedeck --db $(DEMO_DB) decks

## Set up, check formatting and lints, and run every test.
test: setup lint
	$(CARGO) test --workspace --locked

## Benchmarks on a generated vault (BENCH_ARGS="--notes 1000 --reviews 100000" for a quick run).
BENCH_ARGS ?= --notes 10000 --sections 10 --reviews 1000000 --answers 500
bench: setup
	$(CARGO) run --release --locked -p notedeck-bench -- $(BENCH_ARGS)

setup:
	@./scripts/setup.sh

build: setup
	$(CARGO) build --workspace

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all
