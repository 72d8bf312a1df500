//! The GIL lab's parameters, switch rules, workload programs and report arithmetic.

use super::bytecode::{Op, Program};
use super::interp::MAX_C_CALL_KIB;
use super::sched::{self, Machine, Policy, Schedule, TaskSpec};
use crate::model::params::check_range;
use serde::{Deserialize, Serialize};

/// When the interpreter lets another thread run, each named with the Python it stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SwitchRule {
    /// Hand the GIL over every `ticks` instructions when another thread waits.
    Ticks,
    /// A waiter asks for the GIL after `switch_ms`; the holder drops it before any instruction.
    IntervalAny,
    /// As above, but the request is honoured only at eval-breaker points (calls, loop ends).
    #[default]
    IntervalEvalBreaker,
    /// No GIL: threads run bytecode at the same time.
    FreeThreaded,
    /// One interpreter (and one GIL) per process: nothing is shared.
    Processes,
}

impl SwitchRule {
    pub const ALL: [SwitchRule; 5] = [
        SwitchRule::Ticks,
        SwitchRule::IntervalAny,
        SwitchRule::IntervalEvalBreaker,
        SwitchRule::FreeThreaded,
        SwitchRule::Processes,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SwitchRule::Ticks => "ticks",
            SwitchRule::IntervalAny => "interval-any",
            SwitchRule::IntervalEvalBreaker => "interval-eval-breaker",
            SwitchRule::FreeThreaded => "free-threaded",
            SwitchRule::Processes => "processes",
        }
    }

    /// Which Python behaves this way, in the page's language.
    pub fn versions(self) -> String {
        match self {
            SwitchRule::Ticks => t!("gil.model.versions_ticks"),
            SwitchRule::IntervalAny => t!("gil.model.versions_interval_any"),
            SwitchRule::IntervalEvalBreaker => t!("gil.model.versions_eval_breaker"),
            SwitchRule::FreeThreaded => t!("gil.model.versions_free_threaded"),
            SwitchRule::Processes => t!("gil.model.versions_processes"),
        }
        .to_string()
    }

    /// Whether threads share one lock to run bytecode.
    pub fn has_gil(self) -> bool {
        !matches!(self, SwitchRule::FreeThreaded | SwitchRule::Processes)
    }

    /// Whether threads see each other's globals.
    pub fn shares_globals(self) -> bool {
        self != SwitchRule::Processes
    }

    /// Whether a pending drop request is honoured before `op`.
    pub fn may_switch_before(self, op: Op) -> bool {
        match self {
            SwitchRule::IntervalAny => true,
            SwitchRule::IntervalEvalBreaker => op.is_eval_breaker(),
            _ => false,
        }
    }
}

/// The work each thread runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// A countdown: pure bytecode.
    #[default]
    Cpu,
    /// `sleep(io_ms)` in a loop: blocking IO, the GIL released meanwhile.
    Io,
    /// A countdown of `cpu_steps`, then `sleep(io_ms)`, per unit.
    Mixed,
    /// The notes' bank: `balance = balance + n; balance = balance - n` in a called function.
    Bank,
    /// The visitor's own program (`program`, the bank when absent): it defines
    /// `worker(n, units)`.
    Custom,
    /// `c_hash(c_kib)` per unit: C code that releases the GIL while it works, like hashlib.
    CHash,
    /// `c_sum(c_kib)` per unit: C code that keeps the GIL, like `sum(range(n))`.
    CSum,
}

impl Workload {
    pub const ALL: [Workload; 7] = [
        Workload::Cpu,
        Workload::Io,
        Workload::Mixed,
        Workload::Bank,
        Workload::Custom,
        Workload::CHash,
        Workload::CSum,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Workload::Cpu => "cpu",
            Workload::Io => "io",
            Workload::Mixed => "mixed",
            Workload::Bank => "bank",
            Workload::Custom => "custom",
            Workload::CHash => "c_hash",
            Workload::CSum => "c_sum",
        }
    }

    /// Units of work (in all, split over the threads) when `units` is 0.
    pub fn default_units(self) -> u32 {
        match self {
            Workload::Cpu => 3_000_000,
            Workload::Io => 40,
            Workload::Mixed => 40,
            Workload::Bank => 1_000_000,
            Workload::Custom => 1_000,
            Workload::CHash | Workload::CSum => 64,
        }
    }
}

/// `lab.run("gil", params)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GilParams {
    pub threads: u32,
    pub workload: Workload,
    pub rule: SwitchRule,
    /// The switch interval of the interval rules.
    pub switch_ms: u32,
    /// Instructions between hand-overs under `ticks`.
    pub ticks: u32,
    /// Units of work in all, split over the threads; 0 takes the workload's default.
    pub units: u32,
    /// Milliseconds of each `sleep` (io, mixed).
    pub io_ms: u32,
    /// Countdown steps per unit (mixed).
    pub cpu_steps: u32,
    /// KiB each `c_hash`/`c_sum` call hashes (c_hash, c_sum).
    pub c_kib: u32,
    /// The program of workload `custom`.
    pub program: Option<String>,
}

impl Default for GilParams {
    fn default() -> Self {
        GilParams {
            threads: 2,
            workload: Workload::Cpu,
            rule: SwitchRule::IntervalEvalBreaker,
            switch_ms: 5,
            ticks: 100,
            units: 0,
            io_ms: 25,
            cpu_steps: 20_000,
            c_kib: 1_024,
            program: None,
        }
    }
}

/// Most threads a GIL run may use (the pool's size is checked too).
pub const MAX_THREADS: u32 = 16;
pub const MAX_UNITS: u32 = 5_000_000;
/// Sleeps added up must stay within this (ms), so a run ends within seconds.
pub const MAX_SLEEP_TOTAL_MS: u64 = 20_000;
/// The C workloads' hashing added up (KiB): a few seconds on one thread.
pub const MAX_C_TOTAL_KIB: u64 = 1 << 20;

impl GilParams {
    /// Checks every field against its range and the pool's size.
    pub fn validate(&self, pool: u32) -> Result<(), String> {
        check_range("threads", self.threads, 1, pool.clamp(1, MAX_THREADS))?;
        check_range("switch_ms", self.switch_ms, 1, 100)?;
        check_range("ticks", self.ticks, 1, 100_000)?;
        check_range("units", self.units, 0, MAX_UNITS)?;
        check_range("io_ms", self.io_ms, 0, 1_000)?;
        check_range("cpu_steps", self.cpu_steps, 1, 1_000_000)?;
        check_range("c_kib", self.c_kib, 1, MAX_C_CALL_KIB)?;
        let hashed = u64::from(self.effective_units()) * u64::from(self.c_kib);
        if matches!(self.workload, Workload::CHash | Workload::CSum) && hashed > MAX_C_TOTAL_KIB {
            return Err(format!(
                "units × c_kib is {hashed} KiB of hashing; keep it at most {MAX_C_TOTAL_KIB} KiB"
            ));
        }
        let units = u64::from(self.effective_units());
        if matches!(self.workload, Workload::Io | Workload::Mixed)
            && units * u64::from(self.io_ms) > MAX_SLEEP_TOTAL_MS
        {
            return Err(format!(
                "units × io_ms is {} ms of sleeping; keep it at most {MAX_SLEEP_TOTAL_MS} ms",
                units * u64::from(self.io_ms)
            ));
        }
        match (&self.program, self.workload) {
            (Some(_), w) if w != Workload::Custom => {
                return Err("program is only used with workload custom".into());
            }
            _ => {}
        }
        self.program().map(|_| ())
    }

    pub fn effective_units(&self) -> u32 {
        if self.units == 0 {
            self.workload.default_units()
        } else {
            self.units
        }
    }

    /// The source the threads run.
    pub fn source(&self) -> String {
        match self.workload {
            // Without a program, custom starts from the bank, ready to edit.
            Workload::Custom => self.program.clone().unwrap_or_else(|| BANK.to_string()),
            Workload::CHash | Workload::CSum => c_source(self.workload, self.c_kib),
            w => workload_source(w, self.io_ms, self.cpu_steps),
        }
    }

    /// The compiled program, checked to define `worker(n, units)`.
    pub fn program(&self) -> Result<Program, String> {
        let program = Program::compile(&self.source()).map_err(|e| format!("program: {e}"))?;
        match program.function("worker") {
            Some(f) if program.functions[f].params == 2 => Ok(program),
            _ => Err("program: define worker(n, units), which each thread calls".into()),
        }
    }

    /// Each thread's share of the units (the first threads take the remainder).
    pub fn shares(&self, threads: u32) -> Vec<i64> {
        let units = self.effective_units();
        (0..threads)
            .map(|t| i64::from(units / threads + u32::from(t < units % threads)))
            .collect()
    }
}

/// Thread `t`'s `n`: 5, 8, 13, 21, … (the notes' 5 and 8 first).
pub fn thread_amount(t: u32) -> i64 {
    let (mut a, mut b) = (5i64, 8i64);
    for _ in 0..t {
        (a, b) = (b, a.saturating_add(b));
    }
    a
}

/// The Python the threads run for each built-in workload.
pub fn workload_source(workload: Workload, io_ms: u32, cpu_steps: u32) -> String {
    match workload {
        Workload::Cpu => "\
# CPU-bound: count down, nothing but bytecode.
def worker(n, units):
    while units > 0:
        units = units - 1
"
        .to_string(),
        Workload::Io => format!(
            "\
# IO-bound: block in IO (the GIL is released while sleeping).
def worker(n, units):
    for i in range(units):
        sleep({io_ms})
"
        ),
        Workload::Mixed => format!(
            "\
# Mixed: some computing, then blocking IO, per unit.
def worker(n, units):
    for i in range(units):
        steps = {cpu_steps}
        while steps > 0:
            steps = steps - 1
        sleep({io_ms})
"
        ),
        Workload::CHash | Workload::CSum => c_source(workload, GilParams::default().c_kib),
        Workload::Bank | Workload::Custom => BANK.to_string(),
    }
}

/// The Python of the C workloads, each call hashing `c_kib` KiB.
fn c_source(workload: Workload, c_kib: u32) -> String {
    if workload == Workload::CHash {
        format!(
            "\
# C that releases the GIL while it works (Py_BEGIN_ALLOW_THREADS),
# as hashlib.sha256(data).digest() does for large data.
def worker(n, units):
    for i in range(units):
        c_hash({c_kib})
"
        )
    } else {
        format!(
            "\
# C that keeps the GIL until it returns, as sum(range(n)) does:
# no other thread runs bytecode meanwhile.
def worker(n, units):
    for i in range(units):
        c_sum({c_kib})
"
        )
    }
}

/// The notes' bank program.
pub const BANK: &str = "\
# The notes' bank: every thread deposits n and withdraws it again.
balance = 0

def change_it(n):
    global balance
    balance = balance + n
    balance = balance - n

def worker(n, units):
    for i in range(units):
        change_it(n)
";

/// What one measured run of N threads did.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GilRun {
    pub threads: u32,
    pub wall_ms: f64,
    /// Bytecode instructions executed by all threads.
    pub instructions: u64,
    /// Times the GIL passed to a different thread.
    pub handoffs: u64,
    /// Time threads spent waiting for the GIL, added over threads.
    pub gil_wait_ms: f64,
    /// Time threads spent in `sleep`, added over threads.
    pub sleep_ms: f64,
    /// Stores of a global that overwrote another thread's store since this thread's load.
    pub lost_updates: u64,
    /// The globals at the end (each process's own copy under `processes`).
    pub globals: Vec<Vec<(String, i64)>>,
}

/// `lab.run("gil", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GilReport {
    pub lab: &'static str,
    pub threads: u32,
    pub workload: Workload,
    pub rule: SwitchRule,
    pub versions: String,
    pub switch_ms: u32,
    pub ticks: u32,
    pub units: u32,
    pub wall_ms: f64,
    /// The same work on one thread, measured in the same job.
    pub baseline_ms: f64,
    pub speedup: f64,
    /// Derived from the instruction rate: 100 × (instructions per ms) / (one thread's rate
    /// while computing), capped at cores × 100.
    pub cpu_percent: f64,
    pub cpu_text: String,
    pub handoffs: u64,
    pub handoffs_per_s: f64,
    pub gil_wait_ms: f64,
    pub instructions: u64,
    /// `balance` at the end (bank; under processes, process 0's copy), else null.
    pub final_balance: Option<i64>,
    /// Lost updates counted at the stores (bank), else null.
    pub lost_updates: Option<u64>,
    pub globals: Vec<Vec<(String, i64)>>,
    pub cores: u32,
    pub why: String,
}

/// Builds the report from the one-thread baseline and the N-thread run.
pub fn report(params: &GilParams, baseline: &GilRun, run: &GilRun, cores: u32) -> GilReport {
    let speedup = if run.wall_ms > 0.0 {
        baseline.wall_ms / run.wall_ms
    } else {
        0.0
    };
    // One thread's instruction rate while it computes (its sleeps are its own wall time).
    let baseline_exec_ms = (baseline.wall_ms - baseline.sleep_ms).max(1e-3);
    let rate_one = baseline.instructions as f64 / baseline_exec_ms;
    let cpu_percent = if run.wall_ms > 0.0 && rate_one > 0.0 {
        (100.0 * run.instructions as f64 / run.wall_ms / rate_one)
            .min(100.0 * f64::from(cores.max(1)))
    } else {
        0.0
    };
    let bank = params.workload == Workload::Bank
        || run.globals.iter().flatten().any(|(n, _)| n == "balance");
    let final_balance = run
        .globals
        .first()
        .and_then(|g| g.iter().find(|(n, _)| n == "balance").map(|(_, v)| *v));
    GilReport {
        lab: "gil",
        threads: run.threads,
        workload: params.workload,
        rule: params.rule,
        versions: params.rule.versions(),
        switch_ms: params.switch_ms,
        ticks: params.ticks,
        units: params.effective_units(),
        wall_ms: run.wall_ms,
        baseline_ms: baseline.wall_ms,
        speedup,
        cpu_percent,
        cpu_text: crate::model::labs::cores::cpu_text(cpu_percent, cores),
        handoffs: run.handoffs,
        handoffs_per_s: if run.wall_ms > 0.0 {
            run.handoffs as f64 * 1000.0 / run.wall_ms
        } else {
            0.0
        },
        gil_wait_ms: run.gil_wait_ms,
        instructions: run.instructions,
        final_balance: if bank { final_balance } else { None },
        lost_updates: bank.then_some(run.lost_updates),
        globals: run.globals.clone(),
        cores,
        why: why(params, speedup),
    }
}

/// One sentence on why the figures come out as they do.
fn why(params: &GilParams, speedup: f64) -> String {
    let io = matches!(params.workload, Workload::Io | Workload::Mixed);
    let speedup = format!("{speedup:.2}");
    if params.rule.has_gil() && params.workload == Workload::CHash {
        return t!("gil.model.why_c_hash", speedup = speedup).to_string();
    }
    if params.rule.has_gil() && params.workload == Workload::CSum {
        return t!("gil.model.why_c_sum", speedup = speedup).to_string();
    }
    match (params.rule.has_gil(), io, params.rule) {
        (true, false, _) => t!("gil.model.why_cpu_with_gil", speedup = speedup),
        (true, true, _) => t!("gil.model.why_io_with_gil", speedup = speedup),
        (false, _, SwitchRule::Processes) => t!("gil.model.why_processes", speedup = speedup),
        (false, _, _) => t!("gil.model.why_no_gil", speedup = speedup),
    }
    .to_string()
}

/// The last instruction index at which a holder notices a drop request issued at `request`,
/// running `code` in a loop from index 0, for the native protocol tests.
pub fn instructions_until_drop(code: &[Op], rule: SwitchRule, request_at: usize) -> Option<usize> {
    if code.is_empty()
        || !matches!(
            rule,
            SwitchRule::IntervalAny | SwitchRule::IntervalEvalBreaker
        )
    {
        return None;
    }
    (0..=code.len()).find(|k| rule.may_switch_before(code[(request_at + k) % code.len()]))
}

// ---- the scheduling model's console experiment ----

/// Which task set the scheduling model runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskSet {
    #[default]
    Downloads,
    TwoWaits,
    CpuOnly,
}

impl TaskSet {
    pub fn tasks(self) -> Vec<TaskSpec> {
        match self {
            TaskSet::Downloads => sched::downloads(),
            TaskSet::TwoWaits => sched::two_waits(),
            TaskSet::CpuOnly => sched::cpu_only(),
        }
    }
}

/// `lab.run("sched-model", params)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SchedParams {
    pub policy: Policy,
    pub tasks: TaskSet,
    pub cores: u32,
    pub quantum_ms: u32,
    pub switch_ms: u32,
    pub interval_ms: u32,
    pub start_ms: u32,
}

impl Default for SchedParams {
    fn default() -> Self {
        SchedParams {
            policy: Policy::Serial,
            tasks: TaskSet::Downloads,
            cores: 2,
            quantum_ms: 10,
            switch_ms: 1,
            interval_ms: 5,
            start_ms: 50,
        }
    }
}

impl SchedParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("cores", self.cores, 1, 16)?;
        check_range("quantum_ms", self.quantum_ms, 1, 1_000)?;
        check_range("switch_ms", self.switch_ms, 0, 100)?;
        check_range("interval_ms", self.interval_ms, 1, 100)?;
        check_range("start_ms", self.start_ms, 0, 5_000)
    }

    pub fn machine(&self) -> Machine {
        Machine {
            cores: self.cores,
            quantum_ms: self.quantum_ms,
            switch_ms: self.switch_ms,
            interval_ms: self.interval_ms,
            start_ms: self.start_ms,
        }
    }
}

/// `lab.run("sched-model", …)` resolves to this: a model, not a measurement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SchedReport {
    pub policy: Policy,
    pub tasks: Vec<TaskSpec>,
    pub total_ms: u32,
    pub utilisation: f64,
    pub cpu_ms: u32,
    pub spans: Vec<sched::ModelSpan>,
}

/// Runs the scheduling model.
pub fn sched_model(params: &SchedParams) -> Result<SchedReport, String> {
    params.validate()?;
    let tasks = params.tasks.tasks();
    let Schedule {
        total_ms,
        utilisation,
        cpu_ms,
        spans,
    } = sched::simulate(&tasks, params.policy, params.machine());
    Ok(SchedReport {
        policy: params.policy,
        tasks,
        total_ms,
        utilisation,
        cpu_ms,
        spans,
    })
}

// ---- how many threads ----

/// `lab.run("thread-count", params)`: tasks of `cpu_ms` computing then `wait_ms` blocking,
/// run by 1 … `max_threads` threads for `duration_ms` each.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThreadCountParams {
    pub wait_ms: u32,
    pub cpu_ms: u32,
    pub max_threads: u32,
    /// Computing needs the one GIL (true) or runs freely (false).
    pub gil: bool,
    /// How long each thread count runs.
    pub duration_ms: u32,
}

impl Default for ThreadCountParams {
    fn default() -> Self {
        ThreadCountParams {
            wait_ms: 20,
            cpu_ms: 5,
            max_threads: 32,
            gil: true,
            duration_ms: 400,
        }
    }
}

/// The most logical threads a sweep may run.
pub const MAX_SWEEP_THREADS: u32 = 64;

impl ThreadCountParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("wait_ms", self.wait_ms, 0, 1_000)?;
        check_range("cpu_ms", self.cpu_ms, 1, 100)?;
        check_range("max_threads", self.max_threads, 1, MAX_SWEEP_THREADS)?;
        check_range("duration_ms", self.duration_ms, 100, 5_000)
    }

    /// The thread counts measured: 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64 up to the maximum.
    pub fn counts(&self) -> Vec<u32> {
        [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
            .into_iter()
            .filter(|&n| n <= self.max_threads)
            .chain(
                (!matches!(
                    self.max_threads,
                    1 | 2 | 3 | 4 | 6 | 8 | 12 | 16 | 24 | 32 | 48 | 64
                ))
                .then_some(self.max_threads),
            )
            .collect()
    }

    /// The notes' formula: N = cores × (1 + W / C); with a GIL only one thread computes at a
    /// time, so bytecode has one "core".
    pub fn formula_optimum(&self, cores: u32) -> f64 {
        let computing = if self.gil { 1 } else { cores.max(1) };
        f64::from(computing) * (1.0 + f64::from(self.wait_ms) / f64::from(self.cpu_ms.max(1)))
    }

    /// Tasks per second the formula's model allows with `threads`: every thread finishes a
    /// task per C + W, until the computing is saturated.
    pub fn ideal_tasks_per_s(&self, threads: u32, cores: u32) -> f64 {
        let computing = if self.gil {
            1.0
        } else {
            f64::from(cores.max(1))
        };
        let per_thread = 1000.0 / f64::from(self.cpu_ms + self.wait_ms);
        (f64::from(threads) * per_thread).min(computing * 1000.0 / f64::from(self.cpu_ms.max(1)))
    }
}

/// One measured thread count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ThroughputPoint {
    pub threads: u32,
    pub tasks_per_s: f64,
    /// What the formula's model allows at this count.
    pub ideal_tasks_per_s: f64,
}

/// `lab.run("thread-count", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreadCountReport {
    pub wait_ms: u32,
    pub cpu_ms: u32,
    pub gil: bool,
    pub cores: u32,
    pub points: Vec<ThroughputPoint>,
    /// The fewest threads reaching 95 % of the best measured throughput.
    pub measured_optimum: u32,
    pub formula_optimum: f64,
    /// Pool workers that carried the threads (more threads take turns on them, waiting as timers).
    pub workers: u32,
}

/// Builds the report from `(threads, tasks per second)` measurements.
pub fn thread_count_report(
    params: &ThreadCountParams,
    measured: &[(u32, f64)],
    cores: u32,
    workers: u32,
) -> ThreadCountReport {
    let best = measured.iter().map(|m| m.1).fold(0.0, f64::max);
    let measured_optimum = measured
        .iter()
        .find(|m| m.1 >= 0.95 * best)
        .map_or(1, |m| m.0);
    ThreadCountReport {
        wait_ms: params.wait_ms,
        cpu_ms: params.cpu_ms,
        gil: params.gil,
        cores,
        points: measured
            .iter()
            .map(|&(threads, tasks_per_s)| ThroughputPoint {
                threads,
                tasks_per_s,
                ideal_tasks_per_s: params.ideal_tasks_per_s(threads, cores),
            })
            .collect(),
        measured_optimum,
        formula_optimum: params.formula_optimum(cores),
        workers,
    }
}
