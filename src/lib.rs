//! Concurrency Lab: watch and measure concurrency for real in the browser.
//!
//! Three layers, called in one direction only: `ui` → `runtime` → `model`.
//! `model` is pure Rust tested natively; `runtime` and `ui` exist only in wasm.
//! See ARCHITECTURE.md for the invariants.
#![cfg_attr(target_arch = "wasm32", feature(stdarch_wasm_atomic_wait))]

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
compile_error!(
    "wasm builds need shared memory: build through trunk or `make`, which use .cargo/config.toml \
     (target-feature=+atomics,+bulk-memory and -Z build-std)"
);

// Translated text: `t!("key")` anywhere in the crate, from `locales/*.yml` (compiled in).
// Only the page sets the locale; native tests read English, the default. The texts come
// from `translations` (a table build.rs makes); `i18n!` is given no folder of its own.
#[macro_use]
extern crate rust_i18n;
i18n!(
    "no-locales-here",
    fallback = "en",
    backend = translations::Translations
);

pub mod translations;

pub mod model;

#[cfg(target_arch = "wasm32")]
pub mod runtime;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Entry point on the page's main thread: mounts the app and installs `window.lab`.
/// Workers load the same module but have no `document`, so they skip all of this.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    runtime::crash::install_hook();
    if runtime::env::is_window() {
        ui::mount();
    }
}
