//! Turns `locales/*.yml` into one sorted table of plain data (`$OUT_DIR/translations.rs`),
//! which `src/translations.rs` serves to rust-i18n's `t!`. rust-i18n's own loader emits
//! one insertion call per string instead: about 166 KB of wasm code for ~2 000 strings.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=locales");
    // Language → (key → text), the same reader rust-i18n's macro uses.
    let by_language = rust_i18n_support::load_locales("locales", |_| false);
    let languages: Vec<&String> = by_language.keys().collect();
    let mut keys: Vec<&String> = by_language
        .values()
        .flat_map(|texts| texts.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let mut out = String::new();
    writeln!(
        out,
        "pub static LANGUAGES: [&str; {}] = {:?};",
        languages.len(),
        languages
    )
    .unwrap();
    writeln!(
        out,
        "pub static TEXTS: [(&str, [Option<&str>; {}]); {}] = [",
        languages.len(),
        keys.len()
    )
    .unwrap();
    for key in keys {
        let texts: Vec<Option<&String>> =
            languages.iter().map(|l| by_language[*l].get(key)).collect();
        writeln!(out, "    ({key:?}, {texts:?}),").unwrap();
    }
    out.push_str("];\n");
    let path = Path::new(&std::env::var("OUT_DIR").unwrap()).join("translations.rs");
    std::fs::write(path, out).unwrap();
}
