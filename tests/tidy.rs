//! Tidy checks run by `cargo test`: text scans that keep the code base's promises true.
//! Every source file opens with a `//!` doc; the model layer names no browser crate; the
//! ARCHITECTURE.md code map and the `src/` folders match both ways; every lab page in the
//! registry has an end-to-end spec, and every console experiment a README entry.
#![cfg(not(target_arch = "wasm32"))]

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

/// Ids in the registry: lab pages (routes) and the console experiments they offer. The first
/// `id:` after an `Experiment {` literal is an experiment's; every other `id:` is a page's.
fn registry_ids() -> (Vec<String>, Vec<String>) {
    let registry = fs::read_to_string(root().join("src/ui/labs.rs")).unwrap();
    let (mut pages, mut experiments) = (Vec::new(), Vec::new());
    let mut in_experiment = false;
    for line in registry.lines() {
        if line.contains("Experiment {") && !line.contains("struct ") {
            in_experiment = true;
        }
        let Some(id) = line
            .trim()
            .strip_prefix("id: \"")
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        if std::mem::take(&mut in_experiment) {
            experiments.push(id.to_owned());
        } else {
            pages.push(id.to_owned());
        }
    }
    (pages, experiments)
}

#[test]
fn every_lab_has_an_end_to_end_spec_and_a_readme_entry() {
    let (pages, experiments) = registry_ids();
    assert!(
        pages.iter().any(|id| id == "cores"),
        "lab page ids not found in src/ui/labs.rs: {pages:?}"
    );
    assert!(
        experiments.iter().any(|id| id == "cores"),
        "experiment ids not found in src/ui/labs.rs: {experiments:?}"
    );
    for id in pages {
        let spec = root().join(format!("tests/e2e/specs/{id}.test.mjs"));
        assert!(
            spec.exists(),
            "lab '{id}' has no end-to-end spec at {}",
            spec.display()
        );
    }
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for id in experiments {
        assert!(
            readme.contains(&format!("run(\"{id}\"")),
            "README.md does not document lab.run(\"{id}\", …)"
        );
    }
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
