//! Test support and property tests: helpers that run programs and compare outcome sets, a
//! seeded generator of random valid programs, and fuzz tests of the parser and explorer. All
//! randomness comes from [`SplitMix64`], so every failure reproduces from its seed.

use std::collections::BTreeSet;

use super::ast::Program;
pub(crate) use super::differential::outcomes;
use super::differential::{ProgramGenerator, SMALL_LIMITS, compare, count_traces};
use super::machine::Outcome;
use super::parser::parse;
use super::replay::replay_machine;
use super::search::{Options, Reduction, Report, Strategy, explore};
use crate::model::rng::SplitMix64;

/// Parses `source` or fails the test with the parse error.
pub(crate) fn program(source: &str) -> Program {
    parse(source).unwrap_or_else(|error| panic!("{error}\n{source}"))
}

/// Explores `source` exhaustively with `reduction` and default limits.
pub(crate) fn run(source: &str, reduction: Reduction) -> Report {
    run_with(source, Options::with(Strategy::Exhaustive { reduction }))
}

/// Explores `source` with `options`, checks that every witness replays to its outcome, and
/// returns the report.
pub(crate) fn run_with(source: &str, options: Options) -> Report {
    let program = program(source);
    let report = explore(&program, &options, &mut |_| false).expect("compiles");
    assert_witnesses_replay(&program, &report);
    report
}

/// Final values of shared variable `var` across the report's final states.
pub(crate) fn final_values(report: &Report, var: &str) -> BTreeSet<i64> {
    report.final_states.iter().map(|f| f.shared[var]).collect()
}

/// Replays every witness in `report` and checks it reaches the outcome it is reported for.
pub(crate) fn assert_witnesses_replay(program: &Program, report: &Report) {
    let outcome_of = |witness: &[usize]| {
        let (machine, _) = replay_machine(program, witness).expect("witness replays");
        serde_json::to_string(&machine.view()).expect("the view serialises");
        machine.outcome().expect("witness ends the run")
    };
    for state in &report.final_states {
        match outcome_of(&state.witness) {
            Outcome::Finished { shared, .. } => assert_eq!(shared, state.shared),
            other => panic!("final state witness ended in {other:?}"),
        }
    }
    for deadlock in &report.deadlocks {
        assert_eq!(
            outcome_of(&deadlock.witness),
            Outcome::Deadlock {
                description: deadlock.description.clone()
            }
        );
    }
    for failure in &report.assertion_failures {
        match outcome_of(&failure.witness) {
            Outcome::AssertionFailed { message } => assert_eq!(message, failure.message),
            Outcome::Finished { failed_checks, .. } => {
                assert!(failed_checks.contains(&failure.message));
            }
            other => panic!("assertion witness ended in {other:?}"),
        }
    }
    for error in &report.errors {
        assert_eq!(
            outcome_of(&error.witness),
            Outcome::Error {
                message: error.message.clone()
            }
        );
    }
}

#[test]
fn generated_programs_round_trip_and_every_mode_finds_the_same_outcomes() {
    let mut generator = ProgramGenerator::new(2024);
    let mut compared = 0;
    let mut halting = 0;
    for case in 0..300 {
        let generated = generator.program();
        let printed = generated.to_string();
        let parsed = parse(&printed).unwrap_or_else(|e| panic!("case {case}: {e}\n{printed}"));
        assert_eq!(parsed, generated, "case {case}:\n{printed}");
        assert_eq!(parsed.to_string(), printed, "case {case}");

        let comparison = compare(&parsed).unwrap_or_else(|e| panic!("case {case}: {e}\n{printed}"));
        if comparison.compared {
            compared += 1;
            halting += u32::from(comparison.halts);
            assert!(comparison.traces <= comparison.schedules);
        }
        for options in [
            Options::exhaustive(),
            Options::count_schedules(),
            Options::with(Strategy::Exhaustive {
                reduction: Reduction::Dpor,
            }),
            Options::bounded_preemption(1),
            Options::random(20, case),
        ] {
            let options = Options {
                limits: SMALL_LIMITS,
                ..options
            };
            let report = explore(&parsed, &options, &mut |_| false).expect("compiles");
            assert!(report.states <= SMALL_LIMITS.max_states);
            assert_witnesses_replay(&parsed, &report);
        }
    }
    assert!(
        compared >= 150,
        "only {compared} programs were compared in full"
    );
    assert!(
        halting >= 30 && compared - halting >= 30,
        "{halting} of {compared} halt: both kinds must be covered"
    );
}

#[test]
fn the_trace_count_is_the_number_of_orders_of_conflicting_steps() {
    let count = |source: &str| count_traces(&program(source)).unwrap();
    // Two independent stores: one trace, two schedules.
    assert_eq!(
        count("shared x = 0\nshared y = 0\nthread a { x = 1 }\nthread b { y = 1 }"),
        1
    );
    // Two stores to one variable: two traces.
    assert_eq!(
        count("shared x = 0\nthread a { x = 1 }\nthread b { x = 2 }"),
        2
    );
    // Two loads of one variable commute.
    assert_eq!(
        count("shared x = 0\nthread a { r = x }\nthread b { r = x }"),
        1
    );
}

#[test]
fn random_bytes_never_panic_the_parser() {
    let mut rng = SplitMix64::new(99);
    for _ in 0..3_000 {
        let length = rng.below(120) as usize;
        let bytes: Vec<u8> = (0..length).map(|_| rng.below(256) as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        let _ = parse(&text);
        let ascii: String = bytes.iter().map(|b| char::from(32 + b % 95)).collect();
        let _ = parse(&ascii);
    }
}

#[test]
fn token_soups_never_panic_and_whatever_parses_explores_within_budget() {
    const TOKENS: &[&str] = &[
        "shared",
        "x",
        "y",
        "=",
        "0",
        "1",
        "7",
        "-",
        "lock",
        "m",
        "rlock",
        "semaphore",
        "event",
        "condition",
        "c",
        "(",
        ")",
        "thread",
        "t",
        "u",
        "{",
        "}",
        "\n",
        ";",
        ".",
        "acquire",
        "release",
        "wait",
        "notify",
        "set",
        "if",
        "elif",
        "else",
        "while",
        "repeat",
        "with",
        "assert",
        ",",
        "\"msg\"",
        "+",
        "*",
        "/",
        "%",
        "==",
        "!=",
        "<",
        ">=",
        "and",
        "or",
        "not",
        "!",
        "&&",
        "||",
        "true",
        "false",
        "yield",
        "pass",
        "fence",
        "a",
        "99999999999999999999",
        "#",
        "@",
        "\"",
    ];
    let mut rng = SplitMix64::new(7);
    let mut parsed = 0;
    for _ in 0..20_000 {
        let count = 1 + rng.below(40) as usize;
        let soup: Vec<&str> = (0..count)
            .map(|_| TOKENS[rng.below(TOKENS.len() as u64) as usize])
            .collect();
        let source = soup.join(" ");
        if let Ok(program) = parse(&source) {
            parsed += 1;
            let options = Options {
                strategy: Strategy::Exhaustive {
                    reduction: Reduction::Full,
                },
                limits: SMALL_LIMITS,
            };
            let report = explore(&program, &options, &mut |_| false).expect("compiles");
            assert!(report.states <= SMALL_LIMITS.max_states);
            assert_eq!(parse(&program.to_string()), Ok(program), "{source}");
        }
    }
    assert!(parsed > 0, "some soups should be programs");
}
