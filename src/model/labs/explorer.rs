//! Interleaving explorer: a tiny language for thread programs and a model checker that tries
//! every schedule.
//!
//! Bird's-eye view: source text → [`parse`] → [`Program`] (syntax tree, printable with
//! `Display`) → compiled atomic steps → either [`Machine`] (one step at a time, for the UI's
//! step mode, with labels and a [`MachineView`]) or [`explore`] (a search over schedules
//! returning a serialisable [`Report`]). [`replay`] re-runs any witness schedule of a report.
//! On top sit the lab's parameters and result ([`ExploreParams`], [`ExploreResult`]), step
//! mode's undo/redo [`History`], and the thread line ranges it shows ([`thread_lines`]).
//!
//! ```text
//! # two threads deposit then withdraw; the result should be 0
//! shared balance = 0
//! thread t1 { balance = balance + 5; balance = balance - 5 }
//! thread t2 { balance = balance + 8; balance = balance - 8 }
//! ```
//!
//! **Invariant:** pure and deterministic. No clocks, threads, OS randomness or web crates: the
//! same program and options give the same report, natively and in a browser worker.
//!
//! **Invariant:** nothing a visitor types panics or hangs. Input size and nesting are bounded
//! by the parser, arithmetic wraps (division by zero is an error outcome), loops are cut by the
//! per-schedule step budget, and every cut is stated in [`Report::limit_reached`].

mod ast;
mod compile;
pub mod differential;
mod history;
mod lab;
mod lexer;
mod litmus;
pub mod litmus_hw;
mod machine;
mod outline;
mod parser;
mod presets;
mod printer;
mod replay;
mod search;
#[cfg(test)]
mod testing;

pub use crate::model::rng::SplitMix64;
pub use ast::{
    BinaryOp, Check, Declaration, DeclarationKind, Expr, Method, Program, Span, Stmt, StmtKind,
    Thread, UnaryOp,
};
pub use history::{Entry, History, MAX_HISTORY};
pub use lab::{
    BUDGET_MAX, BUDGET_MIN, DEFAULT_PRESET, ExploreParams, ExploreResult, MAIN_THREAD_BUDGET,
    MAX_STEPS_RANGE, Mode, PREEMPTIONS_MAX, Pass, RANDOM_SCHEDULES_MAX, count_text, parse_field,
    shared_text,
};
pub use litmus::{LITMUS, Litmus, litmus, outcome_name};
pub use machine::{
    ConditionView, EventView, LockView, Machine, MachineView, Outcome, SemaphoreView, StepEffect,
    StepInfo, ThreadStatus, ThreadView, VariableView,
};
pub use outline::{LineRange, thread_lines};
pub use parser::{
    MAX_EXPR_DEPTH, MAX_LOCALS, MAX_NESTING, MAX_OBJECTS, MAX_PERMITS, MAX_REPEAT, MAX_SHARED,
    MAX_SOURCE_CHARS, MAX_THREADS, ParseError, RESERVED, parse,
};
pub use presets::{PRESETS, Preset, preset};
pub use replay::{parse_schedule, replay, replay_machine, schedule_text};
pub use search::{
    AssertionFailure, BUFFER_CAPACITY, Deadlock, FLUSH, FinalState, Limits, Options, Progress,
    Reduction, Report, RunError, Strategy, TsoStep, explore, replay_tso,
};

/// Parses `source` and explores it; the one call the console needs.
pub fn explore_source(source: &str, options: &Options) -> Result<Report, ParseError> {
    explore(&parse(source)?, options, &mut |_| false)
}
