//! Differential testing of the explorer's searches: a seeded generator of random valid
//! programs, a brute-force count of Mazurkiewicz traces, and [`compare`], which runs every
//! exhaustive mode on one program and says where they disagree. `cargo test` runs a few
//! hundred programs; `make bench` runs thousands and prints programs per second.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::ast::{
    AtomicOp, BinaryOp, Check, Declaration, DeclarationKind, Expr, Method, Program, Span, Stmt,
    StmtKind, Thread, UnaryOp,
};
use super::compile::{Code, Footprint, ObjectKind, Op, compile};
use super::machine::{footprint, runnable_mask};
use super::parser::ParseError;
use super::search::{Limits, Options, Reduction, Report, Strategy, advance, explore};
use crate::model::rng::SplitMix64;

/// Budgets small enough that a generated program explores in milliseconds.
pub const SMALL_LIMITS: Limits = Limits {
    max_states: 50_000,
    max_steps: 200,
    max_schedules: 50_000,
};

/// What [`compare`] found on one program.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Every mode finished within [`SMALL_LIMITS`], so the outcome sets were compared.
    pub compared: bool,
    /// Complete schedules (enumerated one by one).
    pub schedules: u64,
    /// Mazurkiewicz traces (brute force).
    pub traces: u64,
    /// Schedules DPOR explored.
    pub dpor_schedules: u64,
    /// Some schedule stops the run early (a failed assert or an error). DPOR then treats the
    /// stopping step as commuting with steps it does not conflict with, so it may explore
    /// fewer schedules than there are traces (prefixes cut at different points). Semaphores
    /// allow the same (see [`compare`]).
    pub halts: bool,
}

/// Runs plain enumeration, the state cache, sleep sets and DPOR on `program` and checks they
/// find the same outcomes, and that DPOR explores one schedule per trace (at most one when a
/// run can halt). `Err` describes the first disagreement.
pub fn compare(program: &Program) -> Result<Comparison, String> {
    let report_for = |reduction| {
        let options = Options {
            strategy: Strategy::Exhaustive { reduction },
            limits: SMALL_LIMITS,
        };
        explore(program, &options, &mut |_| false).map_err(|e| e.to_string())
    };
    let plain = report_for(Reduction::None)?;
    let others = [
        ("state cache", report_for(Reduction::StateCache)?),
        ("sleep sets", report_for(Reduction::Full)?),
        ("dpor", report_for(Reduction::Dpor)?),
    ];
    if plain.limit_reached.is_some() || others.iter().any(|(_, r)| r.limit_reached.is_some()) {
        return Ok(Comparison::default());
    }
    let expected = outcomes(&plain);
    for (name, report) in &others {
        let found = outcomes(report);
        if found != expected {
            return Err(format!(
                "{name} found {found:?}, every schedule gives {expected:?}"
            ));
        }
    }
    let traces = count_traces(program).map_err(|e| e.to_string())?;
    let dpor = &others[2].1;
    let halts = !expected.assertion_failures.is_empty() || !expected.errors.is_empty();
    // A semaphore's release and acquire commute when both can run (the count goes up and
    // down), so DPOR, which does not race them, counts such schedules once; the brute-force
    // count keeps both orders apart because both write the count.
    let optimal = if halts || uses_semaphore(program)? {
        dpor.schedules <= traces
    } else {
        dpor.schedules == traces
    };
    if !optimal {
        return Err(format!(
            "dpor explored {} schedules for {traces} traces",
            dpor.schedules
        ));
    }
    Ok(Comparison {
        compared: true,
        schedules: plain.schedules,
        traces,
        dpor_schedules: dpor.schedules,
        halts,
    })
}

fn uses_semaphore(program: &Program) -> Result<bool, String> {
    let code = compile(program).map_err(|e| e.to_string())?;
    Ok(code.instrs.iter().any(|instr| match instr.op {
        Op::Acquire { object } | Op::Release { object } => {
            code.objects[object as usize].kind == ObjectKind::Semaphore
        }
        _ => false,
    }))
}

/// The number of Mazurkiewicz traces of `source`: every complete schedule (local steps run
/// with the step before them) is enumerated and reduced to a canonical form, the
/// lexicographically least schedule equivalent to it under swapping adjacent steps whose
/// footprints do not conflict. Brute force, for checking DPOR on small programs.
pub fn count_traces(program: &Program) -> Result<u64, ParseError> {
    let code = compile(program)?;
    let mut traces = HashSet::new();
    let mut steps = Vec::new();
    walk_traces(&code, code.initial_words.clone(), &mut steps, &mut traces);
    Ok(traces.len() as u64)
}

fn walk_traces(
    code: &Code,
    words: Vec<i64>,
    steps: &mut Vec<(usize, Footprint)>,
    traces: &mut HashSet<Vec<usize>>,
) {
    let enabled = runnable_mask(code, &words);
    if enabled == 0 {
        traces.insert(canonical_trace(steps));
        return;
    }
    for thread in (0..code.threads.len()).filter(|t| enabled & (1 << t) != 0) {
        steps.push((thread, footprint(code, &words, thread)));
        let mut child = words.clone();
        match advance(code, &mut child, thread, &mut Vec::new(), true, usize::MAX) {
            Ok(()) => walk_traces(code, child, steps, traces),
            Err(_) => {
                traces.insert(canonical_trace(steps));
            }
        }
        steps.pop();
    }
}

/// The least (by thread index, step by step) schedule that keeps every conflicting pair of
/// `steps` in its order.
fn canonical_trace(steps: &[(usize, Footprint)]) -> Vec<usize> {
    let before = |i: usize| {
        (0..i).filter(move |&j| steps[j].0 == steps[i].0 || steps[j].1.conflicts(steps[i].1))
    };
    let mut placed = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    while order.len() < steps.len() {
        let next = (0..steps.len())
            .filter(|&i| !placed[i] && before(i).all(|j| placed[j]))
            .min_by_key(|&i| steps[i].0)
            .expect("some step has all its predecessors placed");
        placed[next] = true;
        order.push(steps[next].0);
    }
    order
}

/// Everything a report found, without witnesses or counts.
#[derive(Debug, PartialEq, Eq)]
pub struct OutcomeSet {
    pub finals: BTreeSet<BTreeMap<String, i64>>,
    pub deadlocks: BTreeSet<String>,
    pub assertion_failures: BTreeSet<String>,
    pub errors: BTreeSet<String>,
}

/// What `report` found.
pub fn outcomes(report: &Report) -> OutcomeSet {
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

/// Builds random valid programs: two or three threads over shared `x` and `y`, a lock `m`, an
/// rlock `r`, a semaphore `s`, an event `e` and a condition `c` on `m`. Statements may misuse
/// objects (release without acquire, notify without the lock) so error outcomes get exercised.
pub struct ProgramGenerator {
    rng: SplitMix64,
}

impl ProgramGenerator {
    /// A generator whose programs all follow from `seed`.
    pub fn new(seed: u64) -> ProgramGenerator {
        ProgramGenerator {
            rng: SplitMix64::new(seed),
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.rng.below(items.len() as u64) as usize]
    }

    /// The next program.
    pub fn program(&mut self) -> Program {
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
            7 if self.chance(50) => [StmtKind::Yield, StmtKind::Pass, StmtKind::Fence]
                [self.rng.below(3) as usize]
                .clone(),
            7 => {
                let op = AtomicOp::ALL[self.rng.below(3) as usize];
                let small = |g: &mut Self| {
                    if g.chance(50) {
                        Expr::name("a")
                    } else {
                        Expr::Int(g.rng.below(3) as i64)
                    }
                };
                StmtKind::Atomic {
                    target: self.chance(70).then(|| "a".to_string()),
                    op,
                    var: self.pick(&["x", "y"]).to_string(),
                    args: (0..op.arity()).map(|_| small(self)).collect(),
                }
            }
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
