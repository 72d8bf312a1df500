//! The registry's promises, checked over the whole table: unique ids, a syllabus that names
//! only labs that exist (or are planned), and parameter definitions that agree with the
//! validation each experiment really runs.

use super::syllabus::PLANNED_LABS;
use super::*;
use std::collections::HashSet;

#[test]
fn lab_and_experiment_ids_are_unique() {
    let labs: HashSet<_> = all().iter().map(|l| l.id).collect();
    assert_eq!(labs.len(), all().len());
    let ids: Vec<_> = experiments().map(|e| e.id).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert_eq!(
        ids,
        [
            "cores",
            "race",
            "deadlock",
            "semaphore",
            "signals",
            "queue",
            "starvation",
            "gil",
            "thread-count",
            "sched-model",
            "isolation",
            "pool",
            "crash",
            "downloads",
            "join-daemon",
            "costs",
            "thread-local",
            "subprocess",
            "process-loops",
            "manager",
            "io-models",
            "select-epoll",
            "explore",
            "litmus-hw",
            "async-waits",
            "block-loop",
            "loop-model",
            "js-real"
        ]
    );
}

#[test]
fn every_syllabus_row_names_a_lab_that_exists_or_is_planned() {
    let planned: HashSet<_> = PLANNED_LABS.iter().map(|(id, _)| *id).collect();
    for concept in SYLLABUS {
        assert!(!concept.labs.is_empty(), "{} names no lab", concept.en);
        for id in concept.labs {
            assert!(
                find(id).is_some() || planned.contains(id),
                "{} names unknown lab {id}",
                concept.en
            );
        }
        if concept.shown != Shown::Planned {
            assert!(
                find(concept.labs[0]).is_some(),
                "{} is marked shown by {}, which does not exist",
                concept.en,
                concept.labs[0]
            );
        }
        if concept.shown == Shown::Partly {
            assert!(
                !concept.gap.is_empty(),
                "{} is partly shown: say what is missing",
                concept.en
            );
            assert_eq!(concept.gap_text_in("en"), concept.gap);
            let chinese = concept.gap_text_in("zh-CN");
            assert!(
                !chinese.is_ascii(),
                "{}: no Chinese gap: {chinese}",
                concept.en
            );
        }
    }
    // No planned lab id may shadow a real one.
    assert!(planned.iter().all(|id| find(id).is_none()));
}

#[test]
fn every_lab_shows_concepts_and_the_rows_cover_the_notes() {
    for lab in all() {
        assert!(
            lab.concepts().count() >= 2,
            "{} shows no syllabus row",
            lab.id
        );
    }
    // 48 rows, as in the syllabus the notes were read into.
    assert_eq!(SYLLABUS.len(), 48);
    let planned = SYLLABUS
        .iter()
        .filter(|c| c.shown == Shown::Planned)
        .count();
    assert_eq!(
        planned, 0,
        "update the count when a lab starts showing a row"
    );
}

/// A JSON object with one field.
fn one(name: &str, value: serde_json::Value) -> String {
    serde_json::json!({ name: value }).to_string()
}

#[test]
fn defaults_pass_and_every_bound_is_named_when_broken() {
    for e in experiments() {
        assert_eq!((e.check)(""), Ok(()), "{}: defaults", e.id);
        assert_eq!((e.check)("{}"), Ok(()), "{}: empty object", e.id);
        let unknown = (e.check)(&one("no_such_field", 1.into())).unwrap_err();
        assert!(unknown.contains("no_such_field"), "{}: {unknown}", e.id);
        for p in e.params {
            let err = |value: serde_json::Value| {
                let message = (e.check)(&one(p.name, value.clone()))
                    .expect_err(&format!("{}.{} accepted {value}", e.id, p.name));
                assert!(message.contains(p.name), "{}: {message}", e.id);
                message
            };
            match p.kind {
                Kind::Int { min, max, default } => {
                    assert!((min..=max).contains(&default), "{}.{}", e.id, p.name);
                    assert_eq!(
                        (e.check)(&one(p.name, default.into())),
                        Ok(()),
                        "{}.{}",
                        e.id,
                        p.name
                    );
                    let message = err((max + 1).into());
                    assert!(
                        message.contains(&format!("between {min} and {max}")),
                        "{message}"
                    );
                    err((min - 1).into());
                    err(1.5.into());
                    err("7".into());
                }
                Kind::Choice { options, default } => {
                    assert!(options.contains(&default));
                    for option in options {
                        assert_eq!(
                            (e.check)(&one(p.name, (*option).into())),
                            Ok(()),
                            "{}.{}={option}",
                            e.id,
                            p.name
                        );
                    }
                    let message = err("bogus".into());
                    assert!(message.contains(options[0]), "{message}");
                }
                Kind::Bool { default } => {
                    assert_eq!((e.check)(&one(p.name, default.into())), Ok(()));
                    assert_eq!((e.check)(&one(p.name, (!default).into())), Ok(()));
                    err("yes".into());
                }
                Kind::Text { max_chars } => {
                    err("x".repeat(max_chars + 1).into());
                    err(5.into());
                }
            }
        }
    }
}

#[test]
fn pool_and_cross_field_rules_still_apply_after_the_definitions() {
    let cores = experiment("cores").unwrap();
    // chunk_rows fits its definition but not this height.
    let message = (cores.check)(r#"{"height": 16, "chunk_rows": 17}"#).unwrap_err();
    assert_eq!(message, "chunk_rows must be between 1 and 16 (got 17)");
    let explore = experiment("explore").unwrap();
    let message = (explore.check)(r#"{"preset": "nope"}"#).unwrap_err();
    assert!(message.starts_with("unknown preset 'nope'"), "{message}");
    let message = (explore.check)(r#"[1, 2]"#).unwrap_err();
    assert_eq!(message, "explore: parameters must be a JSON object");
}

#[test]
fn range_text_is_what_help_prints() {
    let race = experiment("race").unwrap();
    let texts: Vec<String> = race
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.range_text()))
        .collect();
    assert_eq!(
        texts,
        [
            "threads: integer 1..=16, default 2",
            "iterations: integer 1..=2000000, default 1000000",
            "variant: one of unsync | lock | atomic, default unsync",
            "repeats: integer 1..=50, default 1",
            "think: integer 0..=1000, default 50",
        ]
    );
}
