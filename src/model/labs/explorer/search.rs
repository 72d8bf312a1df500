//! Searching the schedules of a program and reporting what they lead to.
//!
//! Three strategies share one engine ([`machine`](super::machine)'s `exec`) and one
//! [`Collector`] of outcomes, one strategy per file:
//!
//! - [`dfs`]: exhaustive depth-first search. With [`Reduction::None`] it enumerates every
//!   complete schedule without hashing, so it can count exactly how many schedules reach each
//!   final state. [`Reduction::StateCache`] adds a visited set. [`Reduction::Full`] adds sleep
//!   sets (a partial-order reduction) and runs a thread's purely local steps together with the
//!   shared step before them.
//! - [`dpor`]: [`Reduction::Dpor`], dynamic partial-order reduction: one complete schedule per
//!   Mazurkiewicz trace (schedules equal up to swapping steps that commute), no visited set.
//! - [`preemption`]: depth-first search that allows at most *k* preemptions per schedule.
//! - [`tso`]: exhaustive search under x86-TSO, where stores wait in per-thread buffers.
//! - [`random`]: *n* random schedules from a seeded generator, for programs too big to exhaust.
//!
//! **Invariant:** no limit is silent. Every budget that cuts the search short sets
//! [`Report::limit_reached`], and the caller's `should_stop` is asked every 1024 states.

mod dfs;
mod dpor;
mod preemption;
mod random;
mod tso;

pub use tso::{BUFFER_CAPACITY, FLUSH, TsoStep};

use std::collections::BTreeMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use super::ast::Program;
use super::compile::{Code, compile};
use super::machine::{
    Halt, HaltKind, all_done, deadlock_description, exec, failed_checks, next_is_local,
    runnable_mask,
};
use super::parser::ParseError;

/// Budgets that keep a search finite. Reaching one is reported, never silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Most states to generate (each step of the search makes one).
    pub max_states: u64,
    /// Most steps in one schedule; longer schedules are cut (this is what ends endless loops).
    pub max_steps: usize,
    /// Most schedules to finish.
    pub max_schedules: u64,
}

impl Limits {
    /// Defaults sized for a browser worker: well under a second for most programs, and a visited
    /// set of at most a million states (a few hundred bytes each).
    pub const DEFAULT: Limits = Limits {
        max_states: 1_000_000,
        max_steps: 1_000,
        max_schedules: 1_000_000,
    };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// How much an exhaustive search prunes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    /// Every complete schedule, one by one; exact schedule counts per final state.
    None,
    /// Each distinct state is expanded once (a visited set), no other pruning.
    StateCache,
    /// Visited set, sleep sets, and local steps run together with the step before them.
    Full,
    /// Source-set DPOR with sleep sets: one schedule per trace, no visited set.
    Dpor,
}

/// Which schedules to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Strategy {
    /// All of them.
    Exhaustive {
        /// How much to prune.
        reduction: Reduction,
    },
    /// All schedules that switch away from a thread that could go on at most
    /// `max_preemptions` times.
    BoundedPreemption {
        /// Preemptions allowed per schedule.
        max_preemptions: u32,
    },
    /// Every schedule under x86-TSO (store buffers; see [`tso`]), with a visited set.
    Tso,
    /// `schedules` random schedules, each step picking a runnable thread uniformly.
    Random {
        /// Number of schedules.
        schedules: u64,
        /// Seed; the same seed gives the same schedules.
        seed: u64,
    },
}

/// A search's strategy and budgets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Which schedules to try.
    pub strategy: Strategy,
    /// When to give up.
    pub limits: Limits,
}

impl Options {
    /// Exhaustive search with full reduction and default limits.
    pub fn exhaustive() -> Options {
        Options::with(Strategy::Exhaustive {
            reduction: Reduction::Full,
        })
    }

    /// Exhaustive enumeration of every schedule, with exact counts per final state.
    pub fn count_schedules() -> Options {
        Options::with(Strategy::Exhaustive {
            reduction: Reduction::None,
        })
    }

    /// At most `max_preemptions` preemptions per schedule.
    pub fn bounded_preemption(max_preemptions: u32) -> Options {
        Options::with(Strategy::BoundedPreemption { max_preemptions })
    }

    /// `schedules` random schedules from `seed`.
    pub fn random(schedules: u64, seed: u64) -> Options {
        Options::with(Strategy::Random { schedules, seed })
    }

    /// `strategy` with default limits.
    pub fn with(strategy: Strategy) -> Options {
        Options {
            strategy,
            limits: Limits::DEFAULT,
        }
    }
}

/// Passed to the caller's `should_stop` callback every 1024 states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// States generated so far.
    pub states: u64,
    /// Schedules finished so far.
    pub schedules: u64,
    /// Distinct outcomes found so far (final states, deadlocks, failures, errors).
    pub outcomes: usize,
}

/// What a search found. Serialises to the console API's JSON shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Distinct final states (every thread finished), ordered by their values.
    pub final_states: Vec<FinalState>,
    /// Distinct deadlocks, by description.
    pub deadlocks: Vec<Deadlock>,
    /// Distinct failed asserts (in threads, or top-level checks on a final state).
    pub assertion_failures: Vec<AssertionFailure>,
    /// Distinct errors such as division by zero.
    pub errors: Vec<RunError>,
    /// Schedules finished: complete schedules for [`Reduction::None`], otherwise search paths
    /// that reached an end (the others were pruned as already covered).
    pub schedules: u64,
    /// States generated (one per search step; a step of [`Reduction::Full`] may run a thread's
    /// local statements too).
    pub states: u64,
    /// Why the search is incomplete, if it is.
    pub limit_reached: Option<String>,
    /// [`Reduction::Dpor`] only: the traces explored, one complete schedule each (equal to
    /// `schedules`; a complete search explores every trace).
    pub traces: Option<u64>,
    /// [`Reduction::Dpor`] only: paths abandoned because every runnable thread's step was
    /// already covered by a sibling (sleep sets); they are not schedules.
    pub sleep_blocked: Option<u64>,
}

/// One final state and a schedule that reaches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalState {
    /// Shared variables by name.
    pub shared: BTreeMap<String, i64>,
    /// Thread index of every atomic step, in order; [`replay`](super::replay) re-runs it.
    pub witness: Vec<usize>,
    /// How many complete schedules end here; known only for [`Reduction::None`].
    pub schedules: Option<u64>,
    /// The top-level asserts that fail in this state (it is a wrong ending), as messages.
    pub failed_checks: Vec<String>,
}

/// A deadlock and a schedule that reaches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlock {
    /// Thread index of every atomic step.
    pub witness: Vec<usize>,
    /// Who waits for what.
    pub description: String,
    /// How many complete schedules end in it; known only for [`Reduction::None`].
    pub schedules: Option<u64>,
}

/// A failed assert and a schedule that makes it fail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssertionFailure {
    /// Thread index of every atomic step.
    pub witness: Vec<usize>,
    /// Thread (or "after all threads"), condition and message.
    pub message: String,
    /// How many complete schedules fail so; known only for [`Reduction::None`].
    pub schedules: Option<u64>,
}

/// An error outcome and a schedule that causes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunError {
    /// Thread index of every atomic step.
    pub witness: Vec<usize>,
    /// What went wrong.
    pub message: String,
    /// How many complete schedules end so; known only for [`Reduction::None`].
    pub schedules: Option<u64>,
}

/// Explores the schedules of `program` as `options` say. `should_stop` is called every 1024
/// states with the progress so far; returning true ends the search (reported as a limit).
pub fn explore(
    program: &Program,
    options: &Options,
    should_stop: &mut dyn FnMut(&Progress) -> bool,
) -> Result<Report, ParseError> {
    let code = compile(program)?;
    Ok(explore_code(&code, options, should_stop))
}

pub(crate) fn explore_code(
    code: &Code,
    options: &Options,
    should_stop: &mut dyn FnMut(&Progress) -> bool,
) -> Report {
    let counting = options.strategy
        == Strategy::Exhaustive {
            reduction: Reduction::None,
        };
    let mut collector = Collector::new(code, options.limits, counting, should_stop);
    match options.strategy {
        Strategy::Exhaustive {
            reduction: Reduction::Dpor,
        } => {
            let stats = dpor::run(code, &mut collector);
            let mut report = collector.finish();
            report.traces = Some(report.schedules);
            report.sleep_blocked = Some(stats.sleep_blocked);
            return report;
        }
        Strategy::Exhaustive { reduction } => dfs::run(code, reduction, &mut collector),
        Strategy::BoundedPreemption { max_preemptions } => {
            preemption::run(code, max_preemptions, &mut collector);
        }
        Strategy::Random { schedules, seed } => {
            random::run(code, schedules, seed, &mut collector);
        }
        Strategy::Tso => tso::run(code, &mut collector),
    }
    collector.finish()
}

/// Runs one search step of `thread`: its next atomic step, and with `fuse` also the purely
/// local steps right after it (they commute with every other thread's steps). Every atomic
/// step is appended to `path`.
pub(crate) fn advance(
    code: &Code,
    words: &mut [i64],
    thread: usize,
    path: &mut Vec<u8>,
    fuse: bool,
    max_steps: usize,
) -> Result<(), Halt> {
    path.push(thread as u8);
    exec(code, words, thread)?;
    if fuse {
        while path.len() < max_steps && next_is_local(code, words, thread) {
            path.push(thread as u8);
            exec(code, words, thread)?;
        }
    }
    Ok(())
}

/// Re-runs a witness of a [`Strategy::Tso`] search, describing each step and the store
/// buffers after it.
pub fn replay_tso(program: &Program, witness: &[usize]) -> Result<Vec<TsoStep>, String> {
    let code = compile(program).map_err(|e| e.to_string())?;
    tso::replay(&code, witness)
}

/// What a strategy does with the state one step produced.
pub(crate) enum Child {
    /// Still running: explore it; these threads can step.
    Explore(u8),
    /// It ended (finished, halted or out of steps) and is recorded: try the next sibling.
    Ended,
    /// A budget ran out or the caller cancelled: end the search.
    Stop,
}

/// Takes `thread`'s step into `child` and records whatever ends there. Shared by every
/// strategy, so an outcome is counted the same way whichever search found it.
pub(crate) fn step_child(
    code: &Code,
    child: &mut [i64],
    thread: usize,
    path: &mut Vec<u8>,
    fuse: bool,
    max_steps: usize,
    collector: &mut Collector<'_>,
) -> Child {
    let result = advance(code, child, thread, path, fuse, max_steps);
    if !collector.state() {
        return Child::Stop;
    }
    match result {
        Err(halt) => collector.halted(&halt, path),
        Ok(()) => {
            let enabled = runnable_mask(code, child);
            if enabled == 0 {
                collector.terminal(child, path);
            } else if path.len() >= max_steps {
                collector.step_limit();
            } else {
                return Child::Explore(enabled);
            }
        }
    }
    if collector.stopped() {
        Child::Stop
    } else {
        Child::Ended
    }
}

/// Gathers outcomes with their first witness, counts work, and enforces the budgets.
pub(crate) struct Collector<'a> {
    code: &'a Code,
    pub limits: Limits,
    counting: bool,
    /// By values: the first witness, the schedules that end here, the checks that fail here.
    final_states: BTreeMap<Vec<i64>, (Vec<usize>, u64, Vec<String>)>,
    /// By description or message: the first witness and the schedules that end so.
    deadlocks: BTreeMap<String, (Vec<usize>, u64)>,
    assertion_failures: BTreeMap<String, (Vec<usize>, u64)>,
    errors: BTreeMap<String, (Vec<usize>, u64)>,
    schedules: u64,
    states: u64,
    stop_reason: Option<String>,
    schedules_cut: u64,
    should_stop: &'a mut dyn FnMut(&Progress) -> bool,
}

impl<'a> Collector<'a> {
    fn new(
        code: &'a Code,
        limits: Limits,
        counting: bool,
        should_stop: &'a mut dyn FnMut(&Progress) -> bool,
    ) -> Collector<'a> {
        Collector {
            code,
            limits,
            counting,
            final_states: BTreeMap::new(),
            deadlocks: BTreeMap::new(),
            assertion_failures: BTreeMap::new(),
            errors: BTreeMap::new(),
            schedules: 0,
            states: 0,
            stop_reason: None,
            schedules_cut: 0,
            should_stop,
        }
    }

    /// True once the search must end.
    pub fn stopped(&self) -> bool {
        self.stop_reason.is_some()
    }

    /// Counts one generated state. Returns false when the search must end.
    pub fn state(&mut self) -> bool {
        if self.stopped() {
            return false;
        }
        if self.states == self.limits.max_states {
            self.stop_reason = Some(format!(
                "stopped after {} states (max_states); results are incomplete",
                self.states
            ));
            return false;
        }
        self.states += 1;
        if self.states.is_multiple_of(1024) {
            let progress = Progress {
                states: self.states,
                schedules: self.schedules,
                outcomes: self.final_states.len()
                    + self.deadlocks.len()
                    + self.assertion_failures.len()
                    + self.errors.len(),
            };
            if (self.should_stop)(&progress) {
                self.stop_reason = Some(format!(
                    "cancelled after {} states; results are incomplete",
                    self.states
                ));
                return false;
            }
        }
        true
    }

    fn schedule_done(&mut self) {
        self.schedules += 1;
        if self.schedules >= self.limits.max_schedules && !self.stopped() {
            self.stop_reason = Some(format!(
                "stopped after {} schedules (max_schedules); results are incomplete",
                self.schedules
            ));
        }
    }

    /// Records a state where no thread can run: a final state or a deadlock.
    pub fn terminal(&mut self, words: &[i64], path: &[u8]) {
        let witness = || path.iter().map(|&t| usize::from(t)).collect::<Vec<_>>();
        if all_done(self.code, words) {
            let shared = words[..self.code.shared.len()].to_vec();
            let entry = self
                .final_states
                .entry(shared)
                .or_insert_with(|| (witness(), 0, failed_checks(self.code, words)));
            entry.1 += 1;
            for message in entry.2.clone() {
                self.assertion_failures
                    .entry(message)
                    .or_insert_with(|| (witness(), 0))
                    .1 += 1;
            }
        } else {
            self.deadlocks
                .entry(deadlock_description(self.code, words))
                .or_insert_with(|| (witness(), 0))
                .1 += 1;
        }
        self.schedule_done();
    }

    /// Records a step that stopped the run.
    pub fn halted(&mut self, halt: &Halt, path: &[u8]) {
        let witness = || path.iter().map(|&t| usize::from(t)).collect::<Vec<_>>();
        let outcomes = match halt.kind {
            HaltKind::AssertionFailed => &mut self.assertion_failures,
            HaltKind::Error => &mut self.errors,
        };
        outcomes
            .entry(halt.message.clone())
            .or_insert_with(|| (witness(), 0))
            .1 += 1;
        self.schedule_done();
    }

    /// Records a schedule cut at `max_steps`.
    pub fn step_limit(&mut self) {
        self.schedules_cut += 1;
        self.schedule_done();
    }

    fn finish(self) -> Report {
        let mut reasons: Vec<String> = self.stop_reason.into_iter().collect();
        if self.schedules_cut > 0 {
            reasons.push(format!(
                "{} schedules were cut at {} steps (max_steps), so a loop may never end; \
                 what happens after that is not explored",
                self.schedules_cut, self.limits.max_steps
            ));
        }
        let names = &self.code.shared;
        Report {
            final_states: self
                .final_states
                .into_iter()
                .map(|(values, (witness, count, failed_checks))| FinalState {
                    shared: names
                        .iter()
                        .zip(values)
                        .map(|(var, value)| (var.name.clone(), value))
                        .collect(),
                    witness,
                    schedules: self.counting.then_some(count),
                    failed_checks,
                })
                .collect(),
            deadlocks: self
                .deadlocks
                .into_iter()
                .map(|(description, (witness, count))| Deadlock {
                    witness,
                    description,
                    schedules: self.counting.then_some(count),
                })
                .collect(),
            assertion_failures: self
                .assertion_failures
                .into_iter()
                .map(|(message, (witness, count))| AssertionFailure {
                    witness,
                    message,
                    schedules: self.counting.then_some(count),
                })
                .collect(),
            errors: self
                .errors
                .into_iter()
                .map(|(message, (witness, count))| RunError {
                    witness,
                    message,
                    schedules: self.counting.then_some(count),
                })
                .collect(),
            schedules: self.schedules,
            states: self.states,
            limit_reached: (!reasons.is_empty()).then(|| reasons.join("; ")),
            traces: None,
            sleep_blocked: None,
        }
    }
}

/// A fast, deterministic hasher for states (multiply-rotate over 64-bit words).
#[derive(Default)]
pub(crate) struct WordHasher(u64);

const HASH_MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(26) ^ value).wrapping_mul(HASH_MULTIPLIER);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn finish(&self) -> u64 {
        // Fold high bits down: the table indexes with low bits, the control bytes with high.
        self.0 ^ (self.0 >> 32)
    }
}

pub(crate) type WordHash = BuildHasherDefault<WordHasher>;

#[cfg(test)]
mod tests {
    use super::super::presets::{PRESETS, preset};
    use super::super::testing::{final_values, outcomes, program, run, run_with};
    use super::{Limits, Options, Reduction, Strategy, explore};

    #[test]
    fn reduced_and_unreduced_searches_find_the_same_outcomes_on_every_preset() {
        for preset in PRESETS {
            let full = run(preset.source, Reduction::Full);
            let cached = run(preset.source, Reduction::StateCache);
            assert_eq!(full.limit_reached, None, "{}", preset.id);
            assert_eq!(cached.limit_reached, None, "{}", preset.id);
            assert_eq!(outcomes(&full), outcomes(&cached), "{}", preset.id);
            assert!(full.states <= cached.states, "{}", preset.id);
            let plain = run(preset.source, Reduction::None);
            // Plain enumeration of `semaphore` and `producer-consumer` exceeds the default
            // budget (hundreds of thousands of schedules), as does `aba-stack`'s retry loops,
            // and `spin-lock`'s spinning makes schedules of any length; it must say so.
            if plain.limit_reached.is_none() {
                assert_eq!(outcomes(&full), outcomes(&plain), "{}", preset.id);
            } else {
                assert!(
                    ["semaphore", "producer-consumer", "spin-lock", "aba-stack"]
                        .contains(&preset.id),
                    "{}",
                    preset.id
                );
            }
        }
    }

    #[test]
    fn reduction_explores_ten_times_fewer_states_on_the_three_thread_race() {
        let source = preset("balance-3").unwrap().source;
        let plain = run(source, Reduction::None);
        let full = run(source, Reduction::Full);
        assert_eq!(plain.limit_reached, None);
        // 12 steps in 3 runs of 4: 12! / (4!)^3 complete schedules.
        assert_eq!(plain.schedules, 34_650);
        assert_eq!(outcomes(&plain), outcomes(&full));
        assert!(
            plain.states >= 10 * full.states,
            "{} vs {}",
            plain.states,
            full.states
        );
        let counted: u64 = plain.final_states.iter().filter_map(|f| f.schedules).sum();
        assert_eq!(counted, 34_650);
        assert!(full.final_states.iter().all(|f| f.schedules.is_none()));
    }

    #[test]
    fn bounded_preemption_grows_towards_the_full_outcome_set() {
        let source = preset("balance").unwrap().source;
        let serial = run_with(source, Options::bounded_preemption(0));
        assert_eq!(final_values(&serial, "balance"), [0].into_iter().collect());
        // One preemption is not enough here: the interrupted thread resumes and finishes last,
        // and its load-store pairs then see its own consistent values. The notes' −8 needs two.
        let one = run_with(source, Options::bounded_preemption(1));
        assert_eq!(final_values(&one, "balance"), [0].into_iter().collect());
        let two = run_with(source, Options::bounded_preemption(2));
        assert!(final_values(&two, "balance").contains(&-8));
        let all = run_with(source, Options::bounded_preemption(8));
        assert_eq!(
            outcomes(&all),
            outcomes(&run(source, Reduction::Full)),
            "enough preemptions cover everything"
        );
        let deadlock = run_with(
            preset("deadlock-ab-ba").unwrap().source,
            Options::bounded_preemption(1),
        );
        assert_eq!(deadlock.deadlocks.len(), 1, "one preemption suffices");
    }

    #[test]
    fn random_schedules_are_reproducible_and_sound() {
        let source = preset("balance").unwrap().source;
        let first = run_with(source, Options::random(300, 11));
        let again = run_with(source, Options::random(300, 11));
        assert_eq!(first, again);
        assert_eq!(first.schedules, 300);
        assert_eq!(first.states, 300 * 8);
        let everything = final_values(&run(source, Reduction::Full), "balance");
        let sampled = final_values(&first, "balance");
        assert!(sampled.is_subset(&everything));
        assert!(sampled.len() >= 5, "{sampled:?}");
        assert_ne!(first, run_with(source, Options::random(300, 12)));
    }

    #[test]
    fn every_budget_is_reported_when_reached() {
        let source = preset("balance-3").unwrap().source;
        let mut options = Options::count_schedules();
        options.limits = Limits {
            max_states: 500,
            ..Limits::DEFAULT
        };
        let report = run_with(source, options);
        assert_eq!(report.states, 500);
        assert!(report.limit_reached.unwrap().contains("max_states"));

        options.limits = Limits {
            max_schedules: 10,
            ..Limits::DEFAULT
        };
        let report = run_with(source, options);
        assert_eq!(report.schedules, 10);
        assert!(report.limit_reached.unwrap().contains("max_schedules"));

        let endless = "shared x = 0\nthread t { while true { x = x + 1 } }\nthread u { x = 5 }";
        for strategy in [
            Strategy::Exhaustive {
                reduction: Reduction::None,
            },
            Strategy::Exhaustive {
                reduction: Reduction::Full,
            },
            Strategy::BoundedPreemption { max_preemptions: 2 },
            Strategy::Random {
                schedules: 5,
                seed: 1,
            },
        ] {
            let mut options = Options::with(strategy);
            options.limits.max_steps = 40;
            options.limits.max_states = 100_000;
            let report = run_with(endless, options);
            let limit = report.limit_reached.expect("the loop never ends");
            assert!(limit.contains("max_steps"), "{strategy:?}: {limit}");
            assert!(report.final_states.is_empty());
        }

        let mut calls = 0;
        let report = explore(
            &program(source),
            &Options::count_schedules(),
            &mut |progress| {
                calls += 1;
                progress.states >= 2048
            },
        )
        .unwrap();
        assert_eq!(calls, 2);
        assert_eq!(report.states, 2048);
        assert!(report.limit_reached.unwrap().contains("cancelled"));
    }

    #[test]
    fn reports_serialise_to_the_console_shape() {
        let report = run(preset("check-then-act").unwrap().source, Reduction::None);
        let text = serde_json::to_string(&report).unwrap();
        assert!(text.starts_with(r#"{"final_states":[{"shared":{"x":1},"witness":["#));
        let json = serde_json::to_value(&report).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "final_states",
                "deadlocks",
                "assertion_failures",
                "errors",
                "schedules",
                "states",
                "limit_reached",
                "traces",
                "sleep_blocked",
            ],
            "a report read back keeps its fields in declaration order (preserve_order)"
        );
        assert_eq!(json["final_states"][0]["shared"]["x"], 1);
        assert!(json["final_states"][0]["witness"].is_array());
        assert!(json["final_states"][0]["schedules"].is_u64());
        assert!(json["assertion_failures"][0]["message"].is_string());
        assert!(json["assertion_failures"][0]["witness"][0].is_u64());
        assert!(json["limit_reached"].is_null());
        let reduced = run(preset("deadlock-ab-ba").unwrap().source, Reduction::Full);
        let json = serde_json::to_value(&reduced).unwrap();
        assert!(json["final_states"][0]["schedules"].is_null());
        assert!(json["deadlocks"][0]["description"].is_string());
    }
}
