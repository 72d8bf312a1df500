//! The explorer lab's questions and answers: the parameters of `lab.run("explore", …)` (also
//! what the page's form builds), which searches they ask for, and the result both show.
//!
//! Kept here, pure, so the console and the page validate alike and the result's arithmetic
//! (merging exact counts into a reduced search) is tested natively. Timing and threads are the
//! runtime's business: it runs the searches, measures them and calls [`ExploreResult::assemble`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::presets::{PRESETS, preset};
use super::search::{
    AssertionFailure, BUFFER_CAPACITY, Deadlock, FLUSH, FinalState, Limits, Options, Reduction,
    Report, RunError, Strategy,
};
use crate::model::params::check_range;

/// Fewest states a visitor may allow a search.
pub const BUDGET_MIN: u64 = 100;
/// Most states a visitor may allow a search: the visited set of a million states stays well
/// inside the page's memory.
pub const BUDGET_MAX: u64 = Limits::DEFAULT.max_states;
/// The budget on the page's main thread, used only when there are no workers: small enough that
/// the page never freezes for long (tens of milliseconds).
pub const MAIN_THREAD_BUDGET: u64 = 20_000;
/// Most preemptions in bounded mode (beyond about 8 it covers every schedule of the presets).
pub const PREEMPTIONS_MAX: u32 = 10;
/// Most schedules in random mode.
pub const RANDOM_SCHEDULES_MAX: u64 = 100_000;
/// Shortest and longest allowed schedule (steps); longer ones are cut and reported.
pub const MAX_STEPS_RANGE: (usize, usize) = (10, 10_000);

/// The preset used when neither `program` nor `preset` is given.
pub const DEFAULT_PRESET: &str = "balance";

/// Which schedules to try, as the console and the form name them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Every schedule, with reduction; then, if it fits the budget, every schedule one by one
    /// to count how many reach each final state.
    #[default]
    Exhaustive,
    /// Every schedule one by one, with exact counts (no reduction).
    Count,
    /// Schedules with at most `preemptions` preemptions.
    Bounded,
    /// `schedules` random schedules from `seed`.
    Random,
    /// Dynamic partial-order reduction: one schedule per trace, no visited set.
    Dpor,
    /// Every schedule under x86-TSO: stores wait in per-thread store buffers.
    Tso,
}

impl Mode {
    /// Every mode, in menu order.
    pub const ALL: [Mode; 6] = [
        Mode::Exhaustive,
        Mode::Count,
        Mode::Dpor,
        Mode::Tso,
        Mode::Bounded,
        Mode::Random,
    ];

    /// The id used in JSON and in the form.
    pub fn id(self) -> &'static str {
        match self {
            Mode::Exhaustive => "exhaustive",
            Mode::Count => "count",
            Mode::Bounded => "bounded",
            Mode::Random => "random",
            Mode::Dpor => "dpor",
            Mode::Tso => "tso",
        }
    }

    /// The mode with this id.
    pub fn from_id(id: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.id() == id)
    }

    /// Menu text.
    pub fn title(self) -> String {
        match self {
            Mode::Exhaustive => t!("explorer.mode.exhaustive"),
            Mode::Count => t!("explorer.mode.count"),
            Mode::Bounded => t!("explorer.mode.bounded"),
            Mode::Random => t!("explorer.mode.random"),
            Mode::Dpor => t!("explorer.mode.dpor"),
            Mode::Tso => t!("explorer.mode.tso"),
        }
        .to_string()
    }
}

/// Parameters of `lab.run("explore", params)`. Unknown fields are rejected.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExploreParams {
    /// Program text; give this or `preset`.
    pub program: Option<String>,
    /// Preset id, e.g. `balance`; give this or `program`.
    pub preset: Option<String>,
    /// Which schedules to try.
    pub mode: Mode,
    /// Most states per search.
    pub budget: u64,
    /// Preemptions allowed per schedule (mode `bounded`).
    pub preemptions: u32,
    /// Schedules to sample (mode `random`).
    pub schedules: u64,
    /// Seed of the random schedules (mode `random`).
    pub seed: u64,
    /// Longest schedule in steps; longer ones (endless loops) are cut and reported.
    pub max_steps: usize,
}

impl Default for ExploreParams {
    fn default() -> ExploreParams {
        ExploreParams {
            program: None,
            preset: None,
            mode: Mode::Exhaustive,
            budget: BUDGET_MAX,
            preemptions: 2,
            schedules: 1_000,
            seed: 1,
            max_steps: Limits::DEFAULT.max_steps,
        }
    }
}

impl ExploreParams {
    /// Checks every field, naming it and its allowed range.
    pub fn validate(&self) -> Result<(), String> {
        if self.program.is_some() && self.preset.is_some() {
            return Err("give either program or preset, not both".into());
        }
        if let Some(id) = &self.preset
            && preset(id).is_none()
        {
            let ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
            return Err(format!(
                "unknown preset '{id}'; presets are: {}",
                ids.join(", ")
            ));
        }
        check_range("budget", self.budget, BUDGET_MIN, BUDGET_MAX)?;
        check_range(
            "max_steps",
            self.max_steps,
            MAX_STEPS_RANGE.0,
            MAX_STEPS_RANGE.1,
        )?;
        check_range("preemptions", self.preemptions, 0, PREEMPTIONS_MAX)?;
        check_range("schedules", self.schedules, 1, RANDOM_SCHEDULES_MAX)
    }

    /// The program text to explore: `program`, the preset's text, or the default preset.
    pub fn source(&self) -> &str {
        if let Some(program) = &self.program {
            return program;
        }
        let id = self.preset.as_deref().unwrap_or(DEFAULT_PRESET);
        preset(id)
            .or_else(|| preset(DEFAULT_PRESET))
            .map_or("", |p| p.source)
    }

    /// The first (or only) search, with at most `budget` states.
    pub fn options(&self, budget: u64) -> Options {
        let strategy = match self.mode {
            Mode::Exhaustive => Strategy::Exhaustive {
                reduction: Reduction::Full,
            },
            Mode::Count => Strategy::Exhaustive {
                reduction: Reduction::None,
            },
            Mode::Bounded => Strategy::BoundedPreemption {
                max_preemptions: self.preemptions,
            },
            Mode::Random => Strategy::Random {
                schedules: self.schedules,
                seed: self.seed,
            },
            Mode::Dpor => Strategy::Exhaustive {
                reduction: Reduction::Dpor,
            },
            Mode::Tso => Strategy::Tso,
        };
        Options {
            strategy,
            limits: self.limits(budget),
        }
    }

    /// The counting search that follows a complete reduced one (mode `exhaustive` only).
    pub fn counting_options(&self, budget: u64) -> Option<Options> {
        (self.mode == Mode::Exhaustive).then(|| Options {
            limits: self.limits(budget),
            ..Options::count_schedules()
        })
    }

    fn limits(&self, budget: u64) -> Limits {
        Limits {
            max_states: budget,
            max_steps: self.max_steps,
            // Every schedule costs at least one state, so the state budget bounds this too.
            max_schedules: budget,
        }
    }
}

/// One search's size and time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pass {
    /// Schedules (search paths) that reached an end.
    pub schedules: u64,
    /// States generated.
    pub states: u64,
    /// Wall time of the search, measured where it ran.
    pub ms: f64,
    /// Why it stopped early, if it did.
    pub limit_reached: Option<String>,
}

/// What `lab.run("explore", …)` resolves to and what the page shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExploreResult {
    /// The mode that ran.
    pub mode: Mode,
    /// Thread names, by index (witnesses list these indices).
    pub threads: Vec<String>,
    /// Distinct final states, each with a witness and, when known, its exact schedule count.
    pub final_states: Vec<FinalState>,
    /// Distinct deadlocks with witnesses.
    pub deadlocks: Vec<Deadlock>,
    /// Distinct failed asserts with witnesses.
    pub assertion_failures: Vec<AssertionFailure>,
    /// Distinct errors (division by zero, releasing a lock not held, …) with witnesses.
    pub errors: Vec<RunError>,
    /// Schedules the main search finished.
    pub schedules: u64,
    /// States the main search generated.
    pub states: u64,
    /// Wall time of the main search.
    pub ms: f64,
    /// `states / ms × 1000`, when the time is measurable.
    pub states_per_s: Option<f64>,
    /// Why the main search is incomplete, if it is.
    pub limit_reached: Option<String>,
    /// Mode `dpor`: Mazurkiewicz traces explored, one schedule each.
    pub traces: Option<u64>,
    /// Mode `dpor`: paths abandoned because every continuation was covered already.
    pub sleep_blocked: Option<u64>,
    /// Mode `tso`: the memory model's rules, and how witnesses write store-buffer drains.
    pub memory_model: Option<String>,
    /// True when `final_states[].schedules` are exact counts of complete schedules.
    pub counts_exact: bool,
    /// Every complete schedule, when counted exactly.
    pub total_schedules: Option<u64>,
    /// Why counts are missing, when they are.
    pub counts_note: Option<String>,
    /// The counting search run after the reduced one (mode `exhaustive`), for comparison.
    pub unreduced: Option<Pass>,
    /// `"worker"`, or `"main-thread (budget reduced)"` when the page has no workers.
    pub ran_on: String,
    /// The state budget each search had.
    pub budget: u64,
}

impl ExploreResult {
    /// Builds the result from the main search and, in mode `exhaustive`, the counting one.
    pub fn assemble(
        mode: Mode,
        threads: Vec<String>,
        main: (Report, f64),
        counting: Option<(Report, f64)>,
        ran_on: &str,
        budget: u64,
    ) -> ExploreResult {
        let (report, ms) = main;
        let complete = report.limit_reached.is_none();
        let mut final_states = report.final_states;
        let mut deadlocks = report.deadlocks;
        let mut assertion_failures = report.assertion_failures;
        let mut errors = report.errors;
        let mut total_schedules = None;
        let counts_note;
        let mut unreduced = None;
        match mode {
            Mode::Count if complete => {
                total_schedules = Some(report.schedules);
                counts_note = None;
            }
            Mode::Count => {
                counts_note = Some(
                    "counts not available: the enumeration stopped early, so they would only be \
                     lower bounds"
                        .to_string(),
                );
            }
            Mode::Exhaustive => match counting {
                Some((counted, counted_ms)) => {
                    let counted_complete = counted.limit_reached.is_none();
                    if counted_complete {
                        let by_state: BTreeMap<&BTreeMap<String, i64>, Option<u64>> = counted
                            .final_states
                            .iter()
                            .map(|f| (&f.shared, f.schedules))
                            .collect();
                        for state in &mut final_states {
                            state.schedules = by_state.get(&state.shared).copied().flatten();
                        }
                        // Deadlocks, failures and errors are counted like endings.
                        let by_text: BTreeMap<&str, Option<u64>> = counted
                            .deadlocks
                            .iter()
                            .map(|d| (d.description.as_str(), d.schedules))
                            .chain(
                                counted
                                    .assertion_failures
                                    .iter()
                                    .map(|a| (a.message.as_str(), a.schedules)),
                            )
                            .chain(
                                counted
                                    .errors
                                    .iter()
                                    .map(|e| (e.message.as_str(), e.schedules)),
                            )
                            .collect();
                        let count = |text: &str| by_text.get(text).copied().flatten();
                        for d in &mut deadlocks {
                            d.schedules = count(&d.description);
                        }
                        for a in &mut assertion_failures {
                            a.schedules = count(&a.message);
                        }
                        for e in &mut errors {
                            e.schedules = count(&e.message);
                        }
                        total_schedules = Some(counted.schedules);
                        counts_note = None;
                    } else if counted
                        .limit_reached
                        .as_deref()
                        .is_some_and(|reason| reason.starts_with("cancelled"))
                    {
                        counts_note =
                            Some("counts not available: counting was cancelled".to_string());
                    } else {
                        counts_note = Some(format!(
                            "counts not available: listing every schedule one by one needs more \
                             than the budget of {budget} states"
                        ));
                    }
                    unreduced = Some(Pass {
                        schedules: counted.schedules,
                        states: counted.states,
                        ms: counted_ms,
                        limit_reached: counted.limit_reached,
                    });
                }
                None => {
                    counts_note = Some(
                        "counts not available: the search with reduction did not finish".into(),
                    );
                }
            },
            Mode::Bounded | Mode::Random => {
                counts_note = Some(format!(
                    "counts not available: {} mode does not try every schedule",
                    mode.id()
                ));
            }
            Mode::Dpor => {
                counts_note = Some(
                    "counts not available: dpor runs one schedule per trace, not every schedule"
                        .to_string(),
                );
            }
            Mode::Tso => {
                counts_note = Some(
                    "counts not available: tso mode merges schedules that reach the same state"
                        .to_string(),
                );
            }
        }
        let counts_exact = total_schedules.is_some();
        if !counts_exact {
            for state in &mut final_states {
                state.schedules = None;
            }
            deadlocks.iter_mut().for_each(|d| d.schedules = None);
            assertion_failures
                .iter_mut()
                .for_each(|a| a.schedules = None);
            errors.iter_mut().for_each(|e| e.schedules = None);
        }
        ExploreResult {
            mode,
            threads,
            final_states,
            deadlocks,
            assertion_failures,
            errors,
            schedules: report.schedules,
            states: report.states,
            ms,
            states_per_s: (ms > 0.0).then(|| report.states as f64 / ms * 1000.0),
            limit_reached: report.limit_reached,
            traces: report.traces,
            sleep_blocked: report.sleep_blocked,
            memory_model: (mode == Mode::Tso).then(|| {
                format!(
                    "x86-TSO: each thread's stores wait in a FIFO store buffer (at most \
                     {BUFFER_CAPACITY}) and reach memory later; a thread reads its own newest \
                     buffered store first; fence, atomics and lock operations drain the buffer \
                     first. In witnesses, {FLUSH} + t is a step where thread t's oldest \
                     buffered store reaches memory."
                )
            }),
            counts_exact,
            total_schedules,
            counts_note,
            unreduced,
            ran_on: ran_on.to_string(),
            budget,
        }
    }
}

/// `balance = -8`, or `x = 1, y = 2`; the values of a final state in declaration-name order.
pub fn shared_text(shared: &BTreeMap<String, i64>) -> String {
    if shared.is_empty() {
        return "(no shared variables)".to_string();
    }
    let parts: Vec<String> = shared
        .iter()
        .map(|(name, value)| format!("{name} = {value}"))
        .collect();
    parts.join(", ")
}

/// `8 of 70 schedules reach it`, or `counts not available` without an exact count.
pub fn count_text(count: Option<u64>, total: Option<u64>) -> String {
    match (count, total) {
        (Some(1), Some(total)) => format!("1 of {total} schedules reaches it"),
        (Some(count), Some(total)) => format!("{count} of {total} schedules reach it"),
        _ => "counts not available".to_string(),
    }
}

/// Parses a whole number typed into a form field, with the field's allowed range in the message.
pub fn parse_field<T>(field: &str, text: &str, min: T, max: T) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    let value = text
        .trim()
        .parse::<T>()
        .map_err(|_| format!("{field} must be a whole number from {min} to {max}"))?;
    check_range(field, value, min, max)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::super::search::explore;
    use super::*;
    use crate::model::params::parse_json;

    fn run(params: &ExploreParams, budget: u64) -> ExploreResult {
        params.validate().expect("valid");
        let program = parse(params.source()).expect("parses");
        let threads = program.threads.iter().map(|t| t.name.clone()).collect();
        let main = explore(&program, &params.options(budget), &mut |_| false).unwrap();
        let counting = match params.counting_options(budget) {
            Some(options) if main.limit_reached.is_none() => {
                Some((explore(&program, &options, &mut |_| false).unwrap(), 2.0))
            }
            _ => None,
        };
        ExploreResult::assemble(params.mode, threads, (main, 1.0), counting, "test", budget)
    }

    #[test]
    fn defaults_explore_the_balance_race_with_exact_counts_merged_in() {
        let params: ExploreParams = parse_json("explore", "").unwrap();
        assert_eq!(params, ExploreParams::default());
        let result = run(&params, BUDGET_MAX);
        assert_eq!(result.threads, ["t1", "t2"]);
        assert!(result.counts_exact);
        assert_eq!(result.total_schedules, Some(70));
        let counts: Vec<(String, Option<u64>)> = result
            .final_states
            .iter()
            .map(|f| (shared_text(&f.shared), f.schedules))
            .collect();
        assert!(counts.contains(&("balance = -8".into(), Some(8))));
        assert!(counts.contains(&("balance = 0".into(), Some(30))));
        let unreduced = result.unreduced.as_ref().expect("both searches ran");
        assert_eq!((unreduced.schedules, unreduced.states), (70, 251));
        assert!(result.states < unreduced.states, "reduction prunes");
        assert_eq!(result.states_per_s, Some(result.states as f64 * 1000.0));
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["mode"], "exhaustive");
        assert_eq!(json["final_states"][0]["shared"]["balance"], -8);
        assert!(json["final_states"][0]["witness"].is_array());
        assert_eq!(json["ran_on"], "test");
    }

    #[test]
    fn counts_are_withheld_when_the_enumeration_does_not_fit_or_does_not_apply() {
        let params = ExploreParams {
            preset: Some("balance-3".into()),
            ..ExploreParams::default()
        };
        // With reduction the 3-thread race takes 4 529 states; one by one, 110 251.
        let small = run(&params, 10_000);
        assert_eq!(small.limit_reached, None, "the reduced search fits");
        assert!(!small.counts_exact);
        assert!(small.final_states.iter().all(|f| f.schedules.is_none()));
        assert!(
            small
                .counts_note
                .as_deref()
                .unwrap()
                .contains("10000 states")
        );
        assert!(small.unreduced.unwrap().limit_reached.is_some());

        let count = ExploreParams {
            mode: Mode::Count,
            ..params.clone()
        };
        let cut = run(&count, 2_000);
        assert!(cut.limit_reached.unwrap().contains("max_states"));
        assert!(cut.final_states.iter().all(|f| f.schedules.is_none()));
        let full = run(&count, BUDGET_MAX);
        assert_eq!(full.total_schedules, Some(34_650));
        assert!(full.unreduced.is_none());

        let random = ExploreParams {
            mode: Mode::Random,
            schedules: 50,
            ..params
        };
        let sampled = run(&random, BUDGET_MAX);
        assert_eq!(sampled.schedules, 50);
        assert_eq!(
            sampled.counts_note.as_deref(),
            Some("counts not available: random mode does not try every schedule")
        );
    }

    #[test]
    fn bounded_mode_and_presets_by_id() {
        let params = ExploreParams {
            preset: Some("deadlock-ab-ba".into()),
            mode: Mode::Bounded,
            preemptions: 1,
            ..ExploreParams::default()
        };
        assert_eq!(run(&params, BUDGET_MAX).deadlocks.len(), 1);
        let inline = ExploreParams {
            program: Some("shared x = 0\nthread t { x = 1 }".into()),
            ..ExploreParams::default()
        };
        assert_eq!(run(&inline, BUDGET_MIN).final_states.len(), 1);
    }

    #[test]
    fn bad_parameters_name_the_field_and_the_range() {
        let err = |json: &str| {
            parse_json::<ExploreParams>("explore", json)
                .and_then(|p| p.validate())
                .unwrap_err()
        };
        assert!(err(r#"{"budgett": 5}"#).contains("unknown field `budgett`"));
        assert!(err(r#"{"mode": "all"}"#).contains("unknown variant `all`"));
        assert_eq!(
            err(r#"{"budget": 5}"#),
            "budget must be between 100 and 1000000 (got 5)"
        );
        assert_eq!(
            err(r#"{"mode": "random", "schedules": 0}"#),
            "schedules must be between 1 and 100000 (got 0)"
        );
        assert_eq!(
            err(r#"{"preemptions": 11}"#),
            "preemptions must be between 0 and 10 (got 11)"
        );
        assert!(
            err(r#"{"preset": "nope"}"#)
                .starts_with("unknown preset 'nope'; presets are: balance, ")
        );
        assert_eq!(
            err(r#"{"preset": "balance", "program": "x"}"#),
            "give either program or preset, not both"
        );
        assert!(err(r#"{"budget": -1}"#).contains("invalid value"));
    }

    #[test]
    fn texts_for_the_page() {
        let shared: BTreeMap<String, i64> = [("x".to_string(), 1), ("y".to_string(), -2)].into();
        assert_eq!(shared_text(&shared), "x = 1, y = -2");
        assert_eq!(shared_text(&BTreeMap::new()), "(no shared variables)");
        assert_eq!(count_text(Some(8), Some(70)), "8 of 70 schedules reach it");
        assert_eq!(count_text(Some(1), Some(2)), "1 of 2 schedules reaches it");
        assert_eq!(count_text(None, Some(70)), "counts not available");
        assert_eq!(parse_field("budget", " 500 ", 100u64, 1000), Ok(500));
        assert_eq!(
            parse_field("budget", "lots", 100u64, 1000),
            Err("budget must be a whole number from 100 to 1000".into())
        );
        assert_eq!(
            parse_field("budget", "5", 100u64, 1000),
            Err("budget must be between 100 and 1000 (got 5)".into())
        );
        for mode in Mode::ALL {
            assert_eq!(Mode::from_id(mode.id()), Some(mode));
        }
    }

    #[test]
    fn deadlocks_and_failed_checks_are_counted_like_endings() {
        let params = ExploreParams {
            preset: Some("deadlock-ab-ba".into()),
            ..ExploreParams::default()
        };
        let result = run(&params, BUDGET_MAX);
        assert_eq!(result.total_schedules, Some(6));
        assert_eq!(result.final_states[0].schedules, Some(4));
        assert_eq!(result.deadlocks[0].schedules, Some(2));
        let balance = run(&ExploreParams::default(), BUDGET_MAX);
        let wrong: u64 = balance
            .final_states
            .iter()
            .filter(|f| !f.failed_checks.is_empty())
            .filter_map(|f| f.schedules)
            .sum();
        assert_eq!(wrong, 40);
        assert_eq!(balance.assertion_failures[0].schedules, Some(40));
        // Without exact counts nothing pretends to be counted.
        let sampled = run(
            &ExploreParams {
                preset: Some("deadlock-ab-ba".into()),
                mode: Mode::Random,
                ..ExploreParams::default()
            },
            BUDGET_MAX,
        );
        assert_eq!(sampled.deadlocks[0].schedules, None);
    }
}
