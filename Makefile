# The README's commands. Each installs what is missing first, so they work on a
# fresh Debian 12 machine.
JOBS ?= $(shell nproc)
PORT ?= 8080
DATA ?= var

.PHONY: deps build run test clean format bench bench-postgres fuzz tsan crash thread-safety

deps:
	@bash scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

run: build
	@mkdir -p $(DATA)
	@./build/release/bin/kansli serve --data-dir $(DATA) --port $(PORT) --demo

test: deps
	@cmake --preset test >/dev/null
	@cmake --build --preset test -j $(JOBS)
	@ctest --preset test -j $(JOBS)

# Benchmarks with their baselines (bench/README.md); a few minutes at the
# default 100,000 cases (growth measured at 1,000, 10,000 and 100,000).
# make bench BENCH_ARGS="--cases 1000000" for the issue's size: 10,000,
# 100,000 and 1,000,000 cases, about 10 minutes and 1.5 GB in /tmp.
BENCH_ARGS ?=
bench: deps
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS)
	@./build/bench/bin/kansli_bench $(BENCH_ARGS)
	@./build/bench/bin/render_bench

# Kansli on PostgreSQL with one and two nodes beside a raw one-row-per-
# transaction libpq loop on the same (durable) cluster and beside SQLite, and
# migrate-store of a generated 100,000-case data dir (bench/README.md).
bench-postgres: deps
	@cmake --preset bench >/dev/null
	@cmake --build --preset bench -j $(JOBS) --target postgres_bench kansli
	@./build/bench/bin/postgres_bench $(BENCH_ARGS)

# Every libFuzzer target for FUZZ_SECONDS (default 60) each; needs clang 16.
fuzz:
	@bash scripts/install-deps --fuzz
	@JOBS=$(JOBS) bash scripts/fuzz

# The concurrency tests (label `concurrency`) under ThreadSanitizer. They live
# in the store and API suites; only those are built.
tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target store_tests api_tests kansli
	@ctest --preset tsan

# Clang's thread-safety analysis (-Wthread-safety -Werror) of the program:
# every member a mutex guards (kansli/mutex.h) is touched only with it held.
# Compiles only; needs clang 16 (scripts/install-deps --fuzz or --ci).
thread-safety:
	@bash scripts/install-deps --fuzz
	@cmake --preset thread-safety >/dev/null
	@cmake --build --preset thread-safety -j $(JOBS) --target kansli

# The crash test's long form: 25 SIGKILLs instead of 4.
crash: deps
	@cmake --preset test >/dev/null
	@cmake --build --preset test -j $(JOBS) --target durability_tests kansli
	@KANSLI_CRASH_KILLS=$${KANSLI_CRASH_KILLS:-25} ctest --preset test --timeout 3600 -R '^Crash\.'

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
