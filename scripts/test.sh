#!/usr/bin/env bash
# `make test`: every check in order, continuing past failures, then one summary line.
# Exits non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

passed=0
failed=0
failures=()

step() {
  local name=$1
  shift
  local started=$SECONDS
  printf '\n==> %s\n' "$name"
  if "$@"; then
    passed=$((passed + 1))
    printf '    ok: %s (%d s)\n' "$name" $((SECONDS - started))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '    FAILED: %s (%d s)\n' "$name" $((SECONDS - started))
  fi
}

e2e() { (cd tests/e2e && node --test --test-concurrency=1 specs/); }

step "rustfmt" cargo fmt --all -- --check
step "clippy, native" cargo clippy --all-targets -- -D warnings
step "clippy, wasm" cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
step "native tests" cargo test
# Every tests/web_*.rs is a wasm test binary: found here, never listed by hand.
wasm_tests=()
for file in tests/web_*.rs; do wasm_tests+=(--test "$(basename "$file" .rs)"); done
step "wasm tests in headless Chromium" cargo test --target wasm32-unknown-unknown "${wasm_tests[@]}"
step "release build (trunk)" trunk build --release --public-url ./
step "end-to-end tests of dist/ in headless Chromium" e2e

printf '\n'
for name in "${failures[@]}"; do printf 'failed step: %s\n' "$name"; done
printf 'steps: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
