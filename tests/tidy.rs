//! Tidy checks run by `cargo test`: text scans that keep the code base's promises true.
//! Every source file opens with a `//!` doc; the model layer names no browser crate; the
//! ARCHITECTURE.md code map and the `src/` folders match both ways; every lab in the registry
//! has its files in every layer, a stylesheet and an end-to-end spec, and every experiment a
//! runner and a README entry; nothing the page's thread can reach blocks; every translated
//! string is in English and Chinese.
#![cfg(not(target_arch = "wasm32"))]

use concurrency_lab::model::labs;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn folders(dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.push(
                path.strip_prefix(root())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
            folders(&path, out);
        }
    }
}

#[test]
fn every_source_file_starts_with_a_module_doc() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("tests"), &mut files);
    rust_files(&root().join("benches"), &mut files);
    let missing: Vec<_> = files
        .iter()
        .filter(|f| {
            !fs::read_to_string(f)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "files without a leading //! doc: {missing:?}"
    );
}

#[test]
fn the_model_layer_names_no_browser_crate() {
    let mut files = Vec::new();
    rust_files(&root().join("src/model"), &mut files);
    files.push(root().join("src/model.rs"));
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for name in [
            "web_sys",
            "js_sys",
            "wasm_bindgen",
            "gloo",
            "yew",
            "rayon",
            "Instant::now",
            "SystemTime",
        ] {
            assert!(
                !text.contains(name),
                "{} names {name}: the model must stay pure",
                file.display()
            );
        }
    }
}

#[test]
fn architecture_code_map_matches_the_src_folders() {
    let doc = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut dirs = Vec::new();
    folders(&root().join("src"), &mut dirs);
    for dir in &dirs {
        assert!(
            doc.contains(&format!("`{dir}/`")),
            "ARCHITECTURE.md code map lacks `{dir}/`"
        );
    }
    // And the other way: every `src/…/` the doc names exists.
    for word in doc
        .split('`')
        .filter(|w| w.starts_with("src/") && w.ends_with('/'))
    {
        assert!(
            root().join(word).is_dir(),
            "ARCHITECTURE.md names {word}, which does not exist"
        );
    }
    assert!(
        doc.lines().count() <= 150,
        "ARCHITECTURE.md should stay within 150 lines"
    );
}

#[test]
fn every_lab_has_a_spec_a_stylesheet_and_a_module_in_each_layer() {
    let ui_registry = fs::read_to_string(root().join("src/ui/labs.rs")).unwrap();
    for lab in labs::all() {
        let id = lab.id;
        let module = id.replace('-', "_");
        let mut wanted = vec![
            format!("tests/e2e/specs/{id}.test.mjs"),
            format!("www/labs/{id}.css"),
            format!("src/model/labs/{module}.rs"),
            format!("src/ui/labs/{module}.rs"),
        ];
        if lab.real {
            wanted.push(format!("src/runtime/labs/{module}.rs"));
        }
        for path in wanted {
            assert!(root().join(&path).exists(), "lab '{id}' has no {path}");
        }
        assert!(
            ui_registry.contains(&format!("\"{id}\" => html!")),
            "src/ui/labs.rs attaches no view to lab '{id}'"
        );
    }
    // And no stylesheet for a lab that does not exist.
    for entry in fs::read_dir(root().join("www/labs")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let id = name.trim_end_matches(".css");
        assert!(
            labs::find(id).is_some(),
            "www/labs/{name} belongs to no lab"
        );
    }
}

#[test]
fn every_experiment_has_a_runner_and_a_readme_entry_naming_its_fields() {
    let ui_registry = fs::read_to_string(root().join("src/ui/labs.rs")).unwrap();
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for experiment in labs::experiments() {
        let id = experiment.id;
        assert!(
            ui_registry.contains(&format!("\"{id}\" => |json| console(\"{id}\"")),
            "src/ui/labs.rs has no console runner for '{id}'"
        );
        let section = readme
            .split("### `lab.run(")
            .find(|s| s.starts_with(&format!("\"{id}\"")))
            .unwrap_or_else(|| panic!("README.md has no section ### `lab.run(\"{id}\", params)`"));
        for param in experiment.params {
            assert!(
                section.contains(&format!("`{}`", param.name)),
                "README.md's lab.run(\"{id}\") section does not document `{}`",
                param.name
            );
        }
    }
}

/// Names that block, or that reach code which does; none may appear in the UI layer.
const BLOCKING_NAMES: [&str; 9] = [
    "rayon",
    "memory_atomic_wait32",
    "Mutex",
    "RwLock",
    "Condvar",
    "block_until",
    "run_actors",
    "sleep_worker",
    "thread::sleep",
];

#[test]
fn the_page_thread_cannot_reach_rayon_or_a_blocking_wait() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in &files {
        let text = fs::read_to_string(file).unwrap();
        let path = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The pool is the only door to rayon; it refuses the page's thread at run time.
        if path != "src/runtime/pool.rs" {
            assert!(
                !text.contains("rayon::"),
                "{path} calls rayon directly: use pool::scope"
            );
        }
        // Parking happens in two places, both of which refuse the page's thread.
        if path != "src/runtime/pool.rs" && path != "src/runtime/sync.rs" {
            assert!(
                !text.contains("memory_atomic_wait32"),
                "{path} parks a thread: wait through runtime::sync"
            );
        }
        if path.starts_with("src/ui") {
            for name in BLOCKING_NAMES {
                assert!(
                    !text.contains(name),
                    "{path} names {name}: the UI must never block"
                );
            }
        }
    }
    // The one Mutex the page reads (the crash message) is only ever tried, never waited for.
    let crash = fs::read_to_string(root().join("src/runtime/crash.rs")).unwrap();
    assert!(crash.contains("try_lock") && !crash.contains(".lock()"));
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let head: String = readme.lines().take(20).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("make serve") && head.contains("make test"),
        "README must open with make serve / make test"
    );
    let ci = fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.contains("make test"), ".ci/run must run make test");
}

/// Every `locales/*.yml` as key → (language → text), read line by line: the files keep to
/// one shape (`key:` at the margin, `  en: …` / `  zh-CN: …` under it), which this also
/// checks, and a key lives in one file only (rust-i18n merges them; a second copy would
/// silently win or lose).
fn translations() -> Vec<(String, Vec<(String, String)>)> {
    let mut paths: Vec<_> = fs::read_dir(root().join("locales"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yml"))
        .collect();
    paths.sort();
    let mut keys: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for path in paths {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).unwrap();
        let first_of_file = keys.len();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("_version") {
                continue;
            }
            if let Some(key) = line.strip_suffix(':').filter(|_| !line.starts_with(' ')) {
                assert!(
                    !keys.iter().any(|(k, _)| k == key),
                    "locales/{file}:{}: {key} is already defined",
                    n + 1
                );
                keys.push((key.to_string(), Vec::new()));
                continue;
            }
            let (language, value) = line
                .trim_start()
                .split_once(": ")
                .unwrap_or_else(|| panic!("locales/{file}:{}: not `  lang: text`", n + 1));
            assert!(
                keys.len() > first_of_file,
                "locales/{file}:{}: a text before any key",
                n + 1
            );
            let (_, languages) = keys.last_mut().unwrap();
            languages.push((language.to_string(), value.to_string()));
        }
    }
    keys
}

#[test]
fn every_translated_string_is_in_both_languages() {
    let keys = translations();
    for (key, languages) in &keys {
        let names: Vec<&str> = languages.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(names, ["en", "zh-CN"], "{key}: wants en and zh-CN");
        // An empty English text is allowed (a suffix only Chinese has); Chinese never is.
        assert!(
            !languages[1].1.trim_matches('"').is_empty(),
            "{key} has no Chinese text"
        );
    }
    let known = |key: &str| keys.iter().any(|(k, _)| k == key);
    // Every key the code uses exists, so no visible string falls back to its key.
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in files {
        let source = fs::read_to_string(&file).unwrap();
        // `t!(` then the key's literal, possibly on the next line (rustfmt splits long calls).
        for (at, _) in source.match_indices("t!(") {
            let after = source[at + 3..].trim_start();
            if !after.starts_with('"') {
                continue;
            }
            // `format!("…")` ends in `t!("` too: only a bare `t!` is a translation.
            let before = source[..at].chars().next_back().unwrap_or(' ');
            let line_start = source[..at].rfind('\n').map_or(0, |n| n + 1);
            let in_comment = source[line_start..at].trim_start().starts_with("//");
            if before.is_alphanumeric() || before == '_' || in_comment {
                continue;
            }
            let rest = &after[1..];
            let key = &rest[..rest.find('"').unwrap()];
            assert!(
                known(key),
                "{}: t!(\"{key}\") has no translation",
                file.display()
            );
        }
    }
    // Keys built at run time: every lab's idea.
    for lab in labs::all() {
        assert!(
            known(&format!("concept.{}", lab.id)),
            "no concept.{} text",
            lab.id
        );
    }
    // And no key that nothing uses.
    let mut all_source = String::new();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for file in files {
        all_source.push_str(&fs::read_to_string(file).unwrap());
    }
    for (key, _) in &keys {
        assert!(
            key.starts_with("concept.") || all_source.contains(&format!("\"{key}\"")),
            "locales: {key} is used nowhere"
        );
    }
}
