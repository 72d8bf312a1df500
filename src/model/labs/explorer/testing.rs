//! Test support and property tests: helpers that run programs and compare outcome sets, a
//! seeded generator of random valid programs, and fuzz tests of the parser and explorer. All
//! randomness comes from [`SplitMix64`], so every failure reproduces from its seed.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::{
    BinaryOp, Check, Declaration, DeclarationKind, Expr, Method, Program, Span, Stmt, StmtKind,
    Thread, UnaryOp,
};
use super::machine::Outcome;
use super::parser::parse;
use super::replay::replay_machine;
use super::search::{Limits, Options, Reduction, Report, Strategy, explore};
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

/// Everything a report found, without witnesses or counts.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct OutcomeSet {
    pub finals: BTreeSet<BTreeMap<String, i64>>,
    pub deadlocks: BTreeSet<String>,
    pub assertion_failures: BTreeSet<String>,
    pub errors: BTreeSet<String>,
}

pub(crate) fn outcomes(report: &Report) -> OutcomeSet {
    OutcomeSet {
        finals: report
            .final_states
            .iter()
            .map(|f| f.shared.clone())
            .collect(),
        deadlocks: report
            .deadlocks
            .iter()
            .map(|d| d.description.clone())
            .collect(),
        assertion_failures: report
            .assertion_failures
            .iter()
            .map(|a| a.message.clone())
            .collect(),
        errors: report.errors.iter().map(|e| e.message.clone()).collect(),
    }
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

/// Builds random valid programs: two or three threads over shared `x` and `y`, a lock `m`, an
/// rlock `r`, a semaphore `s`, an event `e` and a condition `c` on `m`. Statements may misuse
/// objects (release without acquire, notify without the lock) so error outcomes get exercised.
struct ProgramGenerator {
    rng: SplitMix64,
}

impl ProgramGenerator {
    fn chance(&mut self, percent: u64) -> bool {
        self.rng.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.below(items.len() as u64) as usize]
    }

    fn program(&mut self) -> Program {
        let declaration = |name: &str, kind| Declaration {
            name: name.to_string(),
            kind,
            span: Span::default(),
        };
        let mut declarations = vec![
            declaration(
                "x",
                DeclarationKind::Shared {
                    initial: self.rng.below(3) as i64,
                },
            ),
            declaration("y", DeclarationKind::Shared { initial: 0 }),
            declaration("m", DeclarationKind::Lock),
            declaration("r", DeclarationKind::RLock),
            declaration("s", DeclarationKind::Semaphore { permits: 1 }),
            declaration("e", DeclarationKind::Event),
        ];
        declarations.push(declaration(
            "c",
            DeclarationKind::Condition {
                lock: "m".to_string(),
            },
        ));
        let thread_count = 2 + self.rng.below(2) as usize;
        let threads = (0..thread_count)
            .map(|index| {
                // Every thread assigns its local `a` first, so expressions may read it.
                let mut body = vec![statement(StmtKind::Assign {
                    target: "a".to_string(),
                    value: Expr::Int(self.rng.below(3) as i64),
                })];
                for _ in 0..1 + self.rng.below(3) {
                    body.push(self.statement(0));
                }
                Thread {
                    name: format!("t{}", index + 1),
                    body,
                    span: Span::default(),
                }
            })
            .collect();
        let checks = if self.chance(30) {
            vec![Check {
                condition: self.expr(1, false),
                message: self.chance(50).then(|| "final \"check\"".to_string()),
                span: Span::default(),
            }]
        } else {
            Vec::new()
        };
        Program {
            declarations,
            threads,
            checks,
        }
    }

    fn block(&mut self, depth: u32) -> Vec<Stmt> {
        (0..1 + self.rng.below(2))
            .map(|_| self.statement(depth + 1))
            .collect()
    }

    fn statement(&mut self, depth: u32) -> Stmt {
        let nested = depth < 2;
        let kind = match self.rng.below(if nested { 20 } else { 12 }) {
            0..=4 => StmtKind::Assign {
                target: self.pick(&["x", "y"]).to_string(),
                value: self.expr(2, true),
            },
            5 => StmtKind::Assign {
                target: "a".to_string(),
                value: self.expr(2, true),
            },
            6 => StmtKind::Assert {
                condition: self.expr(2, true),
                message: self.chance(50).then(|| "must hold".to_string()),
            },
            7 => [StmtKind::Yield, StmtKind::Pass][self.rng.below(2) as usize].clone(),
            8 => StmtKind::Call {
                object: "e".to_string(),
                method: [Method::Set, Method::Clear, Method::Wait][self.rng.below(3) as usize],
            },
            9 => {
                let notify = StmtKind::Call {
                    object: "c".to_string(),
                    method: [Method::Notify, Method::NotifyAll][self.rng.below(2) as usize],
                };
                // Mostly under the lock, as it must be; sometimes not, to get the error.
                if self.chance(80) {
                    StmtKind::With {
                        object: "c".to_string(),
                        body: vec![statement(notify)],
                    }
                } else {
                    notify
                }
            }
            10 => StmtKind::Call {
                object: self.pick(&["m", "r", "s"]).to_string(),
                method: [Method::Acquire, Method::Release][self.rng.below(2) as usize],
            },
            11 => StmtKind::With {
                object: "c".to_string(),
                body: vec![statement(StmtKind::Call {
                    object: "c".to_string(),
                    method: Method::Wait,
                })],
            },
            12 | 13 => StmtKind::If {
                condition: self.expr(2, true),
                then_body: self.block(depth),
                else_body: if self.chance(50) {
                    self.block(depth)
                } else {
                    Vec::new()
                },
            },
            14 => StmtKind::Repeat {
                count: self.rng.below(3) as u32,
                body: self.block(depth),
            },
            15 | 16 => StmtKind::With {
                object: self.pick(&["m", "r", "s", "c"]).to_string(),
                body: self.block(depth),
            },
            _ => StmtKind::While {
                // Bounded: `a` counts up to 2 and the body bumps it first.
                condition: binary(BinaryOp::Lt, Expr::name("a"), Expr::Int(2)),
                body: {
                    let mut body = vec![statement(StmtKind::Assign {
                        target: "a".to_string(),
                        value: binary(BinaryOp::Add, Expr::name("a"), Expr::Int(1)),
                    })];
                    body.extend(self.block(depth));
                    body
                },
            },
        };
        statement(kind)
    }

    fn expr(&mut self, depth: u32, locals: bool) -> Expr {
        if depth == 0 || self.chance(35) {
            return match self.rng.below(if locals { 5 } else { 4 }) {
                0 => Expr::Int(self.rng.below(4) as i64),
                1 => Expr::Bool(self.chance(50)),
                2 => Expr::name("x"),
                3 => Expr::name("y"),
                _ => Expr::name("a"),
            };
        }
        if self.chance(20) {
            let op = if self.chance(50) {
                UnaryOp::Neg
            } else {
                UnaryOp::Not
            };
            return Expr::Unary {
                op,
                operand: Box::new(self.expr(depth - 1, locals)),
            };
        }
        // Division is rare: with small values it mostly divides by zero and ends the run.
        let op = if self.chance(8) {
            [BinaryOp::Div, BinaryOp::Mod][self.rng.below(2) as usize]
        } else {
            BinaryOp::ALL[self.rng.below(BinaryOp::ALL.len() as u64 - 2) as usize]
        };
        binary(
            op,
            self.expr(depth - 1, locals),
            self.expr(depth - 1, locals),
        )
    }
}

fn statement(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::default(),
    }
}

fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
    }
}

/// Budgets small enough that a generated program explores in milliseconds.
fn small_limits() -> Limits {
    Limits {
        max_states: 50_000,
        max_steps: 200,
        max_schedules: 50_000,
    }
}

#[test]
fn generated_programs_round_trip_and_reduction_keeps_every_outcome() {
    let mut generator = ProgramGenerator {
        rng: SplitMix64::new(2024),
    };
    let mut compared = 0;
    for case in 0..300 {
        let generated = generator.program();
        let printed = generated.to_string();
        let parsed = parse(&printed).unwrap_or_else(|e| panic!("case {case}: {e}\n{printed}"));
        assert_eq!(parsed, generated, "case {case}:\n{printed}");
        assert_eq!(parsed.to_string(), printed, "case {case}");

        let report_for = |reduction| {
            let options = Options {
                strategy: Strategy::Exhaustive { reduction },
                limits: small_limits(),
            };
            let report = explore(&parsed, &options, &mut |_| false).expect("compiles");
            assert_witnesses_replay(&parsed, &report);
            report
        };
        let full = report_for(Reduction::Full);
        let cached = report_for(Reduction::StateCache);
        let plain = report_for(Reduction::None);
        assert!(full.states <= small_limits().max_states);
        if full.limit_reached.is_none() && cached.limit_reached.is_none() {
            assert_eq!(
                outcomes(&full),
                outcomes(&cached),
                "case {case}:\n{printed}"
            );
            if plain.limit_reached.is_none() {
                assert_eq!(outcomes(&full), outcomes(&plain), "case {case}:\n{printed}");
                compared += 1;
            }
        }
        for options in [Options::bounded_preemption(1), Options::random(20, case)] {
            let options = Options {
                limits: small_limits(),
                ..options
            };
            let report = explore(&parsed, &options, &mut |_| false).expect("compiles");
            assert_witnesses_replay(&parsed, &report);
        }
    }
    assert!(
        compared >= 150,
        "only {compared} programs were compared in full"
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
                limits: small_limits(),
            };
            let report = explore(&program, &options, &mut |_| false).expect("compiles");
            assert!(report.states <= small_limits().max_states);
            assert_eq!(parse(&program.to_string()), Ok(program), "{source}");
        }
    }
    assert!(parsed > 0, "some soups should be programs");
}
