# The README's commands. Each installs what is missing first, so they work on a
# fresh Debian 12 machine.
JOBS ?= $(shell nproc)
PORT ?= 8080
DATA ?= var

.PHONY: deps build run test clean format

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

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf build
