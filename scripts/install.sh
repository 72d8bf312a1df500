#!/usr/bin/env bash
# Installs what `make serve` (`install.sh serve`) or `make test` (`install.sh test`) needs.
# Only what is missing or at the wrong version is installed; silent when all is present.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
# wasm-bindgen-cli must match the crate exactly: read the pin from Cargo.toml.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'install: %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

rust() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal
  fi
  local installed
  installed=$(rustup component list --toolchain nightly --installed)
  for component in rust-src rustfmt clippy; do
    grep -q "^$component" <<<"$installed" || { say "adding $component"; rustup component add --toolchain nightly "$component"; }
  done
  rustup target list --toolchain nightly --installed | grep -q '^wasm32-unknown-unknown$' ||
    { say "adding target wasm32-unknown-unknown"; rustup target add --toolchain nightly wasm32-unknown-unknown; }
}

trunk_tool() {
  [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return
  say "building trunk $TRUNK_VERSION from crates.io (about 10-15 minutes, once per machine)"
  cargo +nightly install trunk --version "$TRUNK_VERSION" --quiet
}

wasm_bindgen_tool() {
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] && return
  say "building wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once per machine)"
  # No --locked: with it this version's build fails here.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --quiet
}

browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list 2>/dev/null | grep -qi 'wqy'; then return; fi
  say "installing chromium, chromium-driver and a CJK font from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei >/dev/null
}

e2e_packages() {
  # Every package the lock file pins (playwright-core, axe-core), at its pinned version.
  local missing
  missing=$(cd tests/e2e && node -e '
    const lock = require("./package-lock.json");
    const out = Object.entries(lock.packages[""].dependencies).filter(([name]) => {
      try { return require(`./node_modules/${name}/package.json`).version !== lock.packages[`node_modules/${name}`].version; }
      catch { return true; }
    }).map(([name]) => name);
    process.stdout.write(out.join(" "));')
  [ -z "$missing" ] && return
  say "installing $missing (npm ci, from the lock file)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# Trunk.toml sets offline = true so trunk never downloads a tool; that also passes --offline
# to cargo, so every crate the build needs, the ones `-Z build-std` compiles for std included,
# must be in the cache first. `cargo fetch` with the wasm target resolves those too. It is
# quiet and offline-fast when the cache already holds everything.
crates() {
  cargo fetch --quiet --target wasm32-unknown-unknown
  cargo fetch --quiet
}

case "${1:-serve}" in
  serve) rust; wasm_bindgen_tool; trunk_tool; crates ;;
  test) rust; wasm_bindgen_tool; trunk_tool; crates; browser; e2e_packages ;;
  *) echo "usage: $0 serve|test" >&2; exit 2 ;;
esac
