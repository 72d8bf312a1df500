# The two commands a newcomer needs: `make serve` and `make test`. Both install whatever is
# missing first (scripts/install.sh) and are quiet when everything is present.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: serve test dist serve-dist bench soak tools clean

## serve: build and serve on http://127.0.0.1:8080 with COOP/COEP, rebuilding on change
serve:
	@scripts/install.sh serve
	trunk serve

## test: fmt, clippy, native tests, wasm tests and end-to-end tests in headless Chromium
test:
	@scripts/install.sh test
	@scripts/test.sh

## dist: the release site in dist/ for any static host, at its root or under a sub-path
dist:
	@scripts/install.sh serve
	trunk build --release --public-url ./

## serve-dist: serve the release build in dist/ as a static host would (port 8080)
serve-dist: dist
	@scripts/install.sh test
	node tests/e2e/serve.mjs dist 8080

## bench: print performance figures (kernel native vs wasm, efficiency, size, start-up, explorer)
bench: dist
	@scripts/install.sh test
	cargo bench --bench kernels
	cargo bench --bench explore
	node tests/e2e/bench.mjs

## soak: every console experiment 50 times on one page, some cancelled; prints memory and workers
soak: dist
	@scripts/install.sh test
	cd tests/e2e && SOAK_ROUNDS=50 node --test --test-name-pattern=soak specs/soak.test.mjs

## tools: install everything `make test` needs, without running anything
tools:
	@scripts/install.sh test

clean:
	cargo clean
	rm -rf dist tests/e2e/artifacts
