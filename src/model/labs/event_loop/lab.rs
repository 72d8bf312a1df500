//! The event-loop lab's parameters, their bounds, its reports and the arithmetic behind
//! them: what the runtime measures goes in, what the page and the console show comes out.
//!
//! Three console experiments share this file: `async-waits` (many waits on one thread),
//! `block-loop` (a loop that stops turning) and `loop-model` (a preset run to its end in
//! the simulator). Everything here is pure: no clock, no browser, tested natively.

use super::presets;
use super::sim::{DEFAULT_STEP_LIMIT, run_preset};
use super::view::{Outcome, TaskState};
use crate::model::params::check_range;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Most tasks one run may start (one timeline lane each).
pub const MAX_TASKS: u32 = 50;
/// Longest single wait a task may ask for.
pub const MAX_WAIT_MS: u32 = 5_000;
/// Longest CPU slice a task may take between its waits.
pub const MAX_CPU_MS: u32 = 200;
/// Most wait rounds per task.
pub const MAX_ROUNDS: u32 = 10;
/// Largest extra wait of task i over task i − 1.
pub const MAX_STAGGER_MS: u32 = 1_000;
/// Longest deadline for the `timeout` strategy.
pub const MAX_TIMEOUT_MS: u32 = 60_000;
/// Every task's work added up must fit in this, so the sequential comparison (and with
/// it any run) ends within a minute.
pub const MAX_TOTAL_MS: u64 = 60_000;

/// How the one-thread run waits for its tasks (asyncio's names in brackets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// All of them (`gather`, `Promise.all`).
    #[default]
    Gather,
    /// The first to finish; the others are cancelled (`wait(FIRST_COMPLETED)`, `Promise.race`).
    First,
    /// All of them, but no longer than `timeout_ms`; late ones are cancelled (`wait_for`).
    Timeout,
}

/// `lab.run("async-waits", params)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AsyncWaitsParams {
    pub tasks: u32,
    /// Each round's simulated IO: an awaited timer of this many ms.
    pub wait_ms: u32,
    /// CPU work before each wait (busy computing, no await inside).
    pub cpu_ms: u32,
    pub rounds: u32,
    /// Task i waits `wait_ms + i × stagger_ms`, so the tasks finish in turn.
    pub stagger_ms: u32,
    pub strategy: Strategy,
    /// The deadline of the `timeout` strategy.
    pub timeout_ms: u32,
    /// Also run the same tasks awaited one after another.
    pub sequential: bool,
    /// Also run the same tasks on the worker threads (needs the pool).
    pub threads: bool,
}

impl Default for AsyncWaitsParams {
    fn default() -> Self {
        AsyncWaitsParams {
            tasks: 10,
            wait_ms: 500,
            cpu_ms: 0,
            rounds: 1,
            stagger_ms: 0,
            strategy: Strategy::Gather,
            timeout_ms: 1_000,
            sequential: true,
            threads: true,
        }
    }
}

impl AsyncWaitsParams {
    /// Checks every bound, naming the field and its range.
    pub fn validate(&self) -> Result<(), String> {
        check_range("tasks", self.tasks, 1, MAX_TASKS)?;
        check_range("wait_ms", self.wait_ms, 0, MAX_WAIT_MS)?;
        check_range("cpu_ms", self.cpu_ms, 0, MAX_CPU_MS)?;
        check_range("rounds", self.rounds, 1, MAX_ROUNDS)?;
        check_range("stagger_ms", self.stagger_ms, 0, MAX_STAGGER_MS)?;
        check_range("timeout_ms", self.timeout_ms, 1, MAX_TIMEOUT_MS)?;
        let total = self.sequential_ms();
        if total > MAX_TOTAL_MS {
            return Err(format!(
                "the tasks' work adds up to {total} ms (tasks × rounds × (cpu_ms + wait_ms), \
                 plus stagger); keep it at most {MAX_TOTAL_MS} ms"
            ));
        }
        Ok(())
    }

    /// Task `i`'s wait per round.
    pub fn wait_of(&self, task: u32) -> u64 {
        u64::from(self.wait_ms) + u64::from(task) * u64::from(self.stagger_ms)
    }

    /// Task `i`'s own duration if it had the thread to itself.
    pub fn task_ms(&self, task: u32) -> u64 {
        u64::from(self.rounds) * (u64::from(self.cpu_ms) + self.wait_of(task))
    }

    /// Ideal time of the tasks awaited one after another: every duration added up.
    pub fn sequential_ms(&self) -> u64 {
        (0..self.tasks).map(|i| self.task_ms(i)).sum()
    }

    /// Expected time on one thread: the loop runs ready tasks first come, first served,
    /// each for one CPU slice up to its next wait; waits overlap, slices never do, and a
    /// timer that comes due while a slice runs waits for it. Exact timers assumed.
    pub fn one_thread_ms(&self) -> u64 {
        let cpu = u64::from(self.cpu_ms);
        let mut ready: VecDeque<(u32, u32)> = (0..self.tasks).map(|i| (i, 0)).collect();
        // (due, creation order, task, round): fired in due order, ties by creation.
        let mut timers: Vec<(u64, u64, u32, u32)> = Vec::new();
        let (mut now, mut created, mut last_done) = (0u64, 0u64, 0u64);
        loop {
            if let Some((task, round)) = ready.pop_front() {
                now += cpu;
                timers.push((now + self.wait_of(task), created, task, round));
                created += 1;
            } else if let Some(&next) = timers.iter().min() {
                now = now.max(next.0);
            } else {
                return last_done;
            }
            timers.sort_unstable();
            while timers.first().is_some_and(|t| t.0 <= now) {
                let (due, _, task, round) = timers.remove(0);
                if round + 1 < self.rounds {
                    ready.push_back((task, round + 1));
                } else {
                    last_done = last_done.max(due.max(now));
                }
            }
        }
    }

    /// Ideal time on `workers` threads that each take the next task when free (tasks in
    /// index order, as the runtime hands them out): a blocked worker holds its task's
    /// whole duration, so only `workers` waits overlap.
    pub fn threads_ms(&self, workers: u32) -> u64 {
        let mut free_at = vec![0u64; workers.max(1) as usize];
        for task in 0..self.tasks {
            if let Some(soonest) = free_at.iter_mut().min() {
                *soonest += self.task_ms(task);
            }
        }
        free_at.into_iter().max().unwrap_or(0)
    }
}

/// `lab.run("async-waits", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AsyncWaitsReport {
    pub tasks: u32,
    pub wait_ms: u32,
    pub cpu_ms: u32,
    pub rounds: u32,
    pub stagger_ms: u32,
    pub strategy: Strategy,
    pub timeout_ms: u32,
    /// Wall time of the one-thread run, until the strategy was satisfied.
    pub wall_ms: f64,
    /// Per task: ms from the start of the run until it finished; `null` if cancelled.
    pub finish_ms: Vec<Option<f64>>,
    pub states: Vec<TaskState>,
    pub done: u32,
    pub cancelled: u32,
    /// The `first` strategy's winner.
    pub winner: Option<u32>,
    /// What the one-thread run should take with exact timers (see `one_thread_ms`).
    pub ideal_ms: u64,
    /// The same tasks awaited one after another (all of them), if asked for.
    pub sequential_ms: Option<f64>,
    pub sequential_ideal_ms: u64,
    /// The same tasks on worker threads that block while they wait, if asked for.
    pub threads_ms: Option<f64>,
    /// Workers used for `threads_ms` (the pool size; 0 when skipped).
    pub threads_used: u32,
    pub threads_ideal_ms: Option<u64>,
    /// `sequential_ms / wall_ms`: how many waits overlapped on average.
    pub overlap: Option<f64>,
}

/// How each task of the one-thread run ended, as the runtime saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskEnd {
    pub state: TaskState,
    /// ms since the start of the run; `None` unless done.
    pub finish_ms: Option<f64>,
}

/// What the runtime measured, before it becomes a report.
#[derive(Clone, Debug, PartialEq)]
pub struct AsyncWaitsMeasured {
    pub wall_ms: f64,
    pub ends: Vec<TaskEnd>,
    pub sequential_ms: Option<f64>,
    pub threads: Option<(f64, u32)>,
}

/// Puts measurements and expectations together.
pub fn async_waits_report(p: &AsyncWaitsParams, m: &AsyncWaitsMeasured) -> AsyncWaitsReport {
    let count = |state: TaskState| m.ends.iter().filter(|e| e.state == state).count() as u32;
    let winner = (p.strategy == Strategy::First)
        .then(|| {
            m.ends
                .iter()
                .enumerate()
                .filter_map(|(i, e)| e.finish_ms.map(|t| (i as u32, t)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        })
        .flatten();
    AsyncWaitsReport {
        tasks: p.tasks,
        wait_ms: p.wait_ms,
        cpu_ms: p.cpu_ms,
        rounds: p.rounds,
        stagger_ms: p.stagger_ms,
        strategy: p.strategy,
        timeout_ms: p.timeout_ms,
        wall_ms: m.wall_ms,
        finish_ms: m.ends.iter().map(|e| e.finish_ms).collect(),
        states: m.ends.iter().map(|e| e.state).collect(),
        done: count(TaskState::Done),
        cancelled: count(TaskState::Cancelled),
        winner,
        ideal_ms: p.one_thread_ms(),
        sequential_ms: m.sequential_ms,
        sequential_ideal_ms: p.sequential_ms(),
        threads_ms: m.threads.map(|(ms, _)| ms),
        threads_used: m.threads.map_or(0, |(_, n)| n),
        threads_ideal_ms: m.threads.map(|(_, n)| p.threads_ms(n)),
        overlap: m
            .sequential_ms
            .filter(|_| m.wall_ms > 0.0 && p.strategy == Strategy::Gather)
            .map(|s| s / m.wall_ms),
    }
}

/// Longest deliberate block of the page's main thread.
pub const MAX_WORK_MS: u32 = 3_000;
/// Largest chunk of the `chunked` mode (above 50 ms a chunk is itself a long task).
pub const MAX_CHUNK_MS: u32 = 50;
/// A task at least this long is a "long task" (the browser's own threshold).
pub const LONG_TASK_MS: f64 = 50.0;

/// Where the same computation runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockMode {
    /// In one go on the page's main thread: nothing else runs meanwhile.
    #[default]
    Block,
    /// On the main thread in chunks, giving the loop back between chunks.
    Chunked,
    /// On a worker thread (asyncio's `run_in_executor`); the page only awaits.
    Offload,
}

impl BlockMode {
    pub const ALL: [BlockMode; 3] = [BlockMode::Block, BlockMode::Chunked, BlockMode::Offload];

    pub fn name(self) -> &'static str {
        match self {
            BlockMode::Block => "block",
            BlockMode::Chunked => "chunked",
            BlockMode::Offload => "offload",
        }
    }
}

/// `lab.run("block-loop", params)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BlockLoopParams {
    /// Milliseconds of computing, the same in every mode.
    pub work_ms: u32,
    pub mode: BlockMode,
    /// The `chunked` mode's slice between two yields.
    pub chunk_ms: u32,
}

impl Default for BlockLoopParams {
    fn default() -> Self {
        BlockLoopParams {
            work_ms: 1_000,
            mode: BlockMode::Block,
            chunk_ms: 5,
        }
    }
}

impl BlockLoopParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("work_ms", self.work_ms, 1, MAX_WORK_MS)?;
        check_range("chunk_ms", self.chunk_ms, 1, MAX_CHUNK_MS)
    }
}

/// Frame timing seen by a probe of animation frames.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct FrameStats {
    /// Frames painted between the start and the end of the window.
    pub frames: u32,
    /// Longest time without a frame, including from the start to the first frame and
    /// from the last frame to the end.
    pub longest_gap_ms: f64,
}

/// Frame statistics of sorted frame times inside `[from, to]`: the gaps between
/// consecutive frames, with the window's edges counted as frames.
pub fn frame_stats(frame_times: &[f64], from: f64, to: f64) -> FrameStats {
    let inside: Vec<f64> = frame_times
        .iter()
        .copied()
        .filter(|&t| t >= from && t <= to)
        .collect();
    let mut previous = from;
    let mut longest: f64 = 0.0;
    for &t in inside.iter().chain(std::iter::once(&to)) {
        longest = longest.max(t - previous);
        previous = t;
    }
    FrameStats {
        frames: inside.len() as u32,
        longest_gap_ms: longest,
    }
}

/// Long tasks that started at or after `from`: `(count, longest ms, total ms)`.
pub fn long_task_stats(entries: &[(f64, f64)], from: f64) -> (u32, f64, f64) {
    let mine = entries
        .iter()
        .filter(|(start, duration)| *start >= from && *duration >= LONG_TASK_MS);
    mine.fold((0, 0.0, 0.0), |(n, longest, total), (_, d)| {
        (n + 1, f64::max(longest, *d), total + d)
    })
}

/// `lab.run("block-loop", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BlockLoopReport {
    pub mode: BlockMode,
    pub work_ms: u32,
    pub chunk_ms: u32,
    /// From the start of the work until its result was back on the page.
    pub wall_ms: f64,
    pub longest_frame_gap_ms: f64,
    pub frames: u32,
    /// Tasks of 50 ms or more on the main thread (PerformanceObserver "longtask").
    pub long_tasks: u32,
    pub longest_long_task_ms: f64,
    pub long_task_total_ms: f64,
    /// False where the browser does not report long tasks (the counts are then 0).
    pub long_tasks_supported: bool,
    /// Times the chunked mode gave the loop back.
    pub yields: u32,
    /// `scheduler.yield`, `setTimeout(0)`, or empty outside the chunked mode.
    pub yield_with: String,
    /// Rounds of the mixing kernel computed: the same work shows as similar counts.
    pub iterations: u64,
    pub checksum: u64,
}

/// Rounds of [`mix`] per batch between two clock reads: ~10 µs of work, so reading the
/// clock costs little and a batch overshoots the requested time by almost nothing.
pub const MIX_BATCH: u32 = 4_096;

/// The busy work of the lab: `rounds` rounds of a xorshift-multiply mix. Pure
/// computation, no memory traffic, nothing an optimiser can skip (each round feeds the next).
pub fn mix(mut state: u64, rounds: u32) -> u64 {
    for _ in 0..rounds {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
    }
    state
}

/// `lab.run("loop-model", params)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoopModelParams {
    pub preset: String,
    pub max_steps: usize,
    /// `js` or `python`: which model runs `source`.
    pub language: String,
    /// The visitor's own program; empty runs `preset`.
    pub source: String,
}

impl Default for LoopModelParams {
    fn default() -> Self {
        LoopModelParams {
            preset: "print-sum".into(),
            max_steps: DEFAULT_STEP_LIMIT,
            language: "js".into(),
            source: String::new(),
        }
    }
}

/// The longest program the editor and the console accept.
pub const MAX_SOURCE_CHARS: usize = 20_000;

/// `lab.run("loop-model", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoopModelReport {
    /// The preset run, or empty for the visitor's own source.
    pub preset: String,
    pub language: String,
    /// Every printed line, in order.
    pub output: Vec<String>,
    /// The virtual clock at the end.
    pub virtual_ms: u64,
    pub steps: usize,
    /// `finished`, `idle_with_pending`, `step_limit` or `error`.
    pub outcome: &'static str,
    /// What is still pending, or the error, when the run did not simply finish.
    pub detail: Option<String>,
    /// The queues the program used (`script`, `microtasks`, `timers` for JavaScript).
    pub queues_seen: Vec<String>,
    /// Reasons of promises rejected and never handled (JavaScript).
    pub unhandled: Vec<String>,
    /// The exception that ended a Python program (its traceback's last line).
    pub exception: Option<String>,
}

impl LoopModelParams {
    /// Checks the step budget and that the preset exists, naming the field.
    pub fn validate(&self) -> Result<(), String> {
        check_range("max_steps", self.max_steps, 1, DEFAULT_STEP_LIMIT)?;
        if !matches!(self.language.as_str(), "js" | "python") {
            return Err(format!(
                "language must be js or python, not '{}'",
                self.language
            ));
        }
        if self.source.chars().count() > MAX_SOURCE_CHARS {
            return Err(format!(
                "source must be at most {MAX_SOURCE_CHARS} characters"
            ));
        }
        if !self.source.is_empty() {
            return Ok(());
        }
        if presets::find(&self.preset).is_none() {
            let ids: Vec<&str> = presets::PRESETS.iter().map(|p| p.id).collect();
            return Err(format!(
                "unknown preset '{}'; presets are: {}",
                self.preset,
                ids.join(", ")
            ));
        }
        Ok(())
    }
}

/// Runs a preset to its end in the simulator (the model half of the lab).
pub fn loop_model(params: &LoopModelParams) -> Result<LoopModelReport, String> {
    params.validate()?;
    if !params.source.is_empty() {
        return own_source(params);
    }
    let result = run_preset(&params.preset, params.max_steps).map_err(|e| e.to_string())?;
    Ok(LoopModelReport {
        preset: params.preset.clone(),
        language: params.language.clone(),
        output: result.output,
        virtual_ms: result.virtual_ms,
        steps: result.steps,
        outcome: outcome_name(&result.outcome),
        detail: outcome_detail(&result.outcome),
        queues_seen: Vec::new(),
        unhandled: Vec::new(),
        exception: None,
    })
}

/// The visitor's own program in its language's model.
fn own_source(params: &LoopModelParams) -> Result<LoopModelReport, String> {
    if params.language == "python" {
        let run = super::py::run_py(&params.source, params.max_steps).map_err(|e| e.to_string())?;
        let outcome = match (&run.stopped, &run.exception) {
            (None, None) => "finished",
            (None, Some(_)) => "exception",
            (Some(s), _) if s.contains("step budget") => "step_limit",
            (Some(_), _) => "error",
        };
        return Ok(LoopModelReport {
            preset: String::new(),
            language: params.language.clone(),
            output: run.output,
            virtual_ms: run.virtual_ms.round() as u64,
            steps: run.steps,
            outcome,
            detail: run.stopped.or(run.exception.clone()),
            queues_seen: Vec::new(),
            unhandled: Vec::new(),
            exception: run.exception,
        });
    }
    let run = super::js::run_js(&params.source, params.max_steps).map_err(|e| e.to_string())?;
    let outcome = match &run.stopped {
        None => "finished",
        Some(s) if s.contains("step budget") => "step_limit",
        Some(_) => "error",
    };
    Ok(LoopModelReport {
        preset: String::new(),
        language: params.language.clone(),
        output: run.output,
        virtual_ms: run.virtual_ms.round() as u64,
        steps: run.steps,
        outcome,
        detail: run.stopped,
        queues_seen: run.queues_seen.iter().map(|q| q.to_string()).collect(),
        unhandled: run.unhandled,
        exception: None,
    })
}

/// The outcome's name as the JSON and the page show it.
pub fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Finished => "finished",
        Outcome::IdleWithPending { .. } => "idle_with_pending",
        Outcome::StepLimit { .. } => "step_limit",
        Outcome::Error { .. } => "error",
    }
}

fn outcome_detail(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Finished => None,
        Outcome::IdleWithPending { pending } => {
            Some(format!("still pending: {}", pending.join("; ")))
        }
        Outcome::StepLimit { steps } => Some(format!("stopped after {steps} steps")),
        Outcome::Error { message } => Some(message.clone()),
    }
}

/// `lab.run("js-real", {source, timeout_ms})`: the visitor's program in the browser's own
/// engine, in a Worker of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JsRealParams {
    pub source: String,
    pub timeout_ms: u32,
}

impl Default for JsRealParams {
    fn default() -> Self {
        JsRealParams {
            source: "console.log('hello from the real engine')".into(),
            timeout_ms: 5000,
        }
    }
}

/// Longest a real run may take before its Worker is stopped.
pub const MAX_REAL_MS: u32 = 30_000;

impl JsRealParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("timeout_ms", self.timeout_ms, 100, MAX_REAL_MS)?;
        if self.source.trim().is_empty() {
            return Err("source must not be empty".into());
        }
        if self.source.chars().count() > MAX_SOURCE_CHARS {
            return Err(format!(
                "source must be at most {MAX_SOURCE_CHARS} characters"
            ));
        }
        Ok(())
    }
}

/// What the real engine printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsRealReport {
    pub output: Vec<String>,
    pub unhandled: Vec<String>,
    /// Wall time of the run in the Worker, ms.
    pub ms: f64,
    pub timed_out: bool,
    /// A syntax error, or why the run stopped.
    pub error: Option<String>,
}

/// The first line where two outputs differ (`None` if they agree).
pub fn first_difference(model: &[String], real: &[String]) -> Option<usize> {
    let n = model.len().max(real.len());
    (0..n).find(|&i| model.get(i) != real.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::parse_json;

    #[test]
    fn defaults_are_valid_and_unknown_fields_are_rejected() {
        AsyncWaitsParams::default().validate().unwrap();
        BlockLoopParams::default().validate().unwrap();
        let err = parse_json::<AsyncWaitsParams>("async-waits", r#"{"task": 3}"#).unwrap_err();
        assert!(err.contains("unknown field `task`"), "{err}");
        let err = parse_json::<BlockLoopParams>("block-loop", r#"{"mode": "spin"}"#).unwrap_err();
        assert!(err.contains("unknown variant `spin`"), "{err}");
        let p: AsyncWaitsParams = parse_json(
            "async-waits",
            r#"{"strategy": "timeout", "timeout_ms": 300}"#,
        )
        .unwrap();
        assert_eq!(
            (p.strategy, p.timeout_ms, p.tasks),
            (Strategy::Timeout, 300, 10)
        );
    }

    #[test]
    fn bounds_name_the_field_and_the_range() {
        let bad = |p: AsyncWaitsParams| p.validate().unwrap_err();
        let base = AsyncWaitsParams::default();
        assert_eq!(
            bad(AsyncWaitsParams {
                tasks: 0,
                ..base.clone()
            }),
            "tasks must be between 1 and 50 (got 0)"
        );
        assert_eq!(
            bad(AsyncWaitsParams {
                cpu_ms: 500,
                ..base.clone()
            }),
            "cpu_ms must be between 0 and 200 (got 500)"
        );
        // 50 tasks × 5 s one after another would take over four minutes.
        let err = bad(AsyncWaitsParams {
            tasks: 50,
            wait_ms: 5_000,
            ..base
        });
        assert!(err.contains("adds up to 250000 ms"), "{err}");
        let err = BlockLoopParams {
            work_ms: 5_000,
            ..BlockLoopParams::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(err, "work_ms must be between 1 and 3000 (got 5000)");
    }

    /// Ten 200 ms waits: 200 ms overlapped on one thread, 2000 ms one after another,
    /// 1000 ms on two blocking workers (five rounds of two), 800 ms on three (4 rounds).
    #[test]
    fn expectations_for_ten_waits() {
        let p = AsyncWaitsParams {
            tasks: 10,
            wait_ms: 200,
            ..AsyncWaitsParams::default()
        };
        assert_eq!(p.one_thread_ms(), 200);
        let staggered = AsyncWaitsParams {
            stagger_ms: 30,
            ..p.clone()
        };
        assert_eq!(staggered.one_thread_ms(), 200 + 9 * 30);
        assert_eq!(p.sequential_ms(), 2_000);
        assert_eq!(p.threads_ms(2), 1_000);
        assert_eq!(p.threads_ms(3), 800);
        assert_eq!(p.threads_ms(10), 200);
        assert_eq!(p.threads_ms(0), 2_000, "no workers counts as one");
    }

    /// CPU slices do not overlap on one thread. Three tasks, 10 ms slices, 100 ms waits:
    /// slices at 0–10, 10–20, 20–30, timers due at 110, 120, 130, so one round ends at
    /// 130. With two rounds the loop is idle until 110; task 0 computes 110–120 (timer
    /// 220), task 1 120–130 (230), task 2 130–140 (240): done at 240. Ten tasks of 20 ms
    /// and 200 ms: the last slice ends at 200, its wait at 400, twice the longest task.
    #[test]
    fn cpu_work_serialises_on_one_thread_and_stagger_lengthens_waits() {
        let p = AsyncWaitsParams {
            tasks: 3,
            wait_ms: 100,
            cpu_ms: 10,
            ..AsyncWaitsParams::default()
        };
        assert_eq!(p.task_ms(0), 110);
        assert_eq!(p.one_thread_ms(), 130);
        let two = AsyncWaitsParams { rounds: 2, ..p };
        assert_eq!(two.one_thread_ms(), 240);
        let ten = AsyncWaitsParams {
            tasks: 10,
            wait_ms: 200,
            cpu_ms: 20,
            ..AsyncWaitsParams::default()
        };
        assert_eq!(ten.one_thread_ms(), 400);
        assert_eq!(ten.sequential_ms(), 2_200);
        let only_cpu = AsyncWaitsParams { wait_ms: 0, ..ten };
        assert_eq!(only_cpu.one_thread_ms(), 200, "pure computing just adds up");
        let staggered = AsyncWaitsParams {
            stagger_ms: 50,
            ..AsyncWaitsParams::default()
        };
        assert_eq!(staggered.wait_of(3), 500 + 150);
    }

    #[test]
    fn report_counts_states_and_finds_the_winner() {
        let p = AsyncWaitsParams {
            tasks: 3,
            strategy: Strategy::First,
            ..AsyncWaitsParams::default()
        };
        let ends = vec![
            TaskEnd {
                state: TaskState::Cancelled,
                finish_ms: None,
            },
            TaskEnd {
                state: TaskState::Done,
                finish_ms: Some(501.0),
            },
            TaskEnd {
                state: TaskState::Cancelled,
                finish_ms: None,
            },
        ];
        let m = AsyncWaitsMeasured {
            wall_ms: 502.0,
            ends,
            sequential_ms: Some(1_500.0),
            threads: Some((750.0, 2)),
        };
        let r = async_waits_report(&p, &m);
        assert_eq!((r.done, r.cancelled, r.winner), (1, 2, Some(1)));
        assert_eq!(r.finish_ms, [None, Some(501.0), None]);
        assert_eq!(r.threads_ideal_ms, Some(1_000));
        assert_eq!(r.overlap, None, "overlap only means something for gather");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["states"][0], "cancelled");
        assert_eq!(json["strategy"], "first");
    }

    /// Frames at 0, 16, 33 then nothing until 533: the window [0, 600] has a 500 ms hole
    /// and the tail from 533 to 600 counts too.
    #[test]
    fn frame_gaps_include_the_window_edges() {
        let frames = [-16.0, 0.0, 16.0, 33.0, 533.0, 700.0];
        let s = frame_stats(&frames, 0.0, 600.0);
        assert_eq!(s.frames, 4);
        assert_eq!(s.longest_gap_ms, 500.0);
        let none = frame_stats(&[], 10.0, 110.0);
        assert_eq!((none.frames, none.longest_gap_ms), (0, 100.0));
    }

    #[test]
    fn long_tasks_before_the_run_or_short_ones_do_not_count() {
        let entries = [
            (5.0, 400.0),
            (20.0, 30.0),
            (100.0, 1_000.0),
            (1_200.0, 60.0),
        ];
        assert_eq!(long_task_stats(&entries, 10.0), (2, 1_000.0, 1_060.0));
        assert_eq!(long_task_stats(&[], 0.0), (0, 0.0, 0.0));
    }

    #[test]
    fn mix_is_deterministic_and_depends_on_every_round() {
        assert_eq!(mix(1, 3), mix(mix(1, 1), 2));
        assert_ne!(mix(1, 3), mix(1, 4));
        assert_eq!(mix(7, 0), 7);
    }

    #[test]
    fn loop_model_runs_presets_and_names_the_valid_ids() {
        let r = loop_model(&LoopModelParams::default()).unwrap();
        assert_eq!(r.output, ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]);
        assert_eq!(r.virtual_ms, 1_000);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["outcome"], "finished");
        let js = loop_model(&LoopModelParams {
            preset: "js-order".into(),
            ..LoopModelParams::default()
        })
        .unwrap();
        assert_eq!(
            js.output,
            [
                "script start",
                "script end",
                "promise1",
                "promise2",
                "setTimeout"
            ]
        );
        let err = loop_model(&LoopModelParams {
            preset: "nope".into(),
            ..LoopModelParams::default()
        })
        .unwrap_err();
        assert!(
            err.starts_with("unknown preset 'nope'; presets are: print-sum, "),
            "{err}"
        );
        for preset in presets::STABLE_IDS {
            let report = loop_model(&LoopModelParams {
                preset: preset.into(),
                max_steps: DEFAULT_STEP_LIMIT,
                ..LoopModelParams::default()
            })
            .unwrap();
            let direct = run_preset(preset, DEFAULT_STEP_LIMIT).unwrap();
            assert_eq!(report.outcome, "finished", "{preset}");
            assert_eq!(
                (report.output, report.virtual_ms),
                (direct.output, direct.virtual_ms)
            );
        }
        let short = loop_model(&LoopModelParams {
            preset: "gevent".into(),
            max_steps: 3,
            ..LoopModelParams::default()
        })
        .unwrap();
        assert_eq!(short.steps, 3);
        assert_eq!(short.outcome, "step_limit");
        assert_eq!(short.detail.as_deref(), Some("stopped after 3 steps"));
    }

    #[test]
    fn own_javascript_runs_in_its_model_and_errors_name_the_field_or_the_line() {
        let report = loop_model(&LoopModelParams {
            source: "setTimeout(() => console.log('t'), 5); Promise.resolve().then(() => console.log('m')); console.log('s');".into(),
            ..LoopModelParams::default()
        })
        .unwrap();
        assert_eq!(report.output, ["s", "m", "t"]);
        assert_eq!((report.outcome, report.virtual_ms), ("finished", 5));
        assert_eq!(report.queues_seen, ["script", "microtasks", "timers"]);
        let err = loop_model(&LoopModelParams {
            source: "let a = 1;\nfor (const x of [1]) {}".into(),
            ..LoopModelParams::default()
        })
        .unwrap_err();
        assert!(err.starts_with("line 2, column 14: for … of"), "{err}");
        let python = loop_model(&LoopModelParams {
            language: "python".into(),
            source: "import asyncio\nasync def main():\n    await asyncio.sleep(0.5)\n    print('late')\n    raise ValueError('x')\nasyncio.run(main())\n".into(),
            ..LoopModelParams::default()
        })
        .unwrap();
        assert_eq!(python.output, ["late"]);
        assert_eq!((python.outcome, python.virtual_ms), ("exception", 500));
        assert_eq!(python.exception.as_deref(), Some("ValueError: x"));
        let err = loop_model(&LoopModelParams {
            language: "ruby".into(),
            ..LoopModelParams::default()
        })
        .unwrap_err();
        assert!(err.contains("language must be js or python"), "{err}");
        let looping = loop_model(&LoopModelParams {
            source: "for (;;) {}".into(),
            ..LoopModelParams::default()
        })
        .unwrap();
        assert_eq!(looping.outcome, "error");
        assert!(looping.detail.unwrap().contains("endless loop"));
    }

    #[test]
    fn real_run_bounds_and_the_first_difference() {
        assert!(JsRealParams::default().validate().is_ok());
        let err = JsRealParams {
            timeout_ms: 50,
            ..JsRealParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.contains("timeout_ms") && err.contains("100"), "{err}");
        let lines = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            first_difference(&lines(&["a", "b"]), &lines(&["a", "b"])),
            None
        );
        assert_eq!(
            first_difference(&lines(&["a", "b"]), &lines(&["a", "c"])),
            Some(1)
        );
        assert_eq!(
            first_difference(&lines(&["a"]), &lines(&["a", "c"])),
            Some(1)
        );
    }
}
