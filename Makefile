# Herald — the two commands a newcomer needs are `make run` and `make test`.
SWIFT   ?= swift
CONFIG  ?= etc/herald.yaml
BIN     := .build/debug
RELEASE := .build/release
## Release builds link the Swift runtime and Foundation statically: only the pages the daemon touches are
## resident and no runtime library is relocated at start (idle RSS, BENCHMARKS.md). SQLite stays dynamic;
## libcurl is loaded on the first transfer. `make run` and `make test` keep the quicker debug build.
RELEASE_FLAGS := -c release --static-swift-stdlib

.PHONY: all deps build release run test bench plugins check clean

all: build

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

## The binaries to deploy: $(RELEASE)/herald and $(RELEASE)/herald-plugins.
release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## The daemon on the shipped config: SQLite state in var/, programme data from etc/data, messages to var/outbox.
## First it posts each shipped job once for a sample logical time inside the programme's life, so the
## outbox shows what the jobs produce (a logical time runs once: later `make run`s say it already ran).
run: build
	@echo "== sample posts into var/outbox (each logical time runs once)"
	@$(BIN)/herald trigger weekly-anniversaries --at 2013-12-02T09:00:00Z --config $(CONFIG)
	@$(BIN)/herald trigger monthly-funding-summary --at 2013-03-01T09:00:00Z --config $(CONFIG)
	@echo "== the daemon (Ctrl-C to stop)"
	$(BIN)/herald run --config $(CONFIG)

## Unit and integration tests (real processes and servers on loopback); never the benchmarks.
test: deps
	$(SWIFT) build --build-tests
	@SWIFT=$(SWIFT) scripts/test

## Validates etc/herald.yaml, schedules/, plugins and destinations.
check: build
	$(BIN)/herald check --config $(CONFIG)

## After adding or removing a folder in plugins/: regenerates the plugin list in Package.swift.
plugins:
	@scripts/sync-plugins

## Benchmarks (release build); each prints its figures and the command that reproduces them.
bench: release
	@bench/run

clean:
	rm -rf .build var
