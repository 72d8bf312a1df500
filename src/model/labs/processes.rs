//! The processes lab: parameters, reports and the bookkeeping of a process `Pool`.
//!
//! A process here is a Worker with its own wasm instance and its own memory (the runtime's
//! `process` module). What is pure lives here: which task went to which process, results kept
//! in submission order whatever order they arrive in, a crashed process's task recorded as an
//! error and its worker replaced, and the percentiles and verdicts of the cost table.

use crate::model::params::check_range;
use serde::{Deserialize, Serialize};

pub mod loops;
pub mod manager;
pub mod subprocess;

/// Most processes a run may start at once (each is a Worker with its own memory).
pub const MAX_PROCESSES: u32 = 8;
/// Most tasks one pool run may take.
pub const MAX_TASKS: u32 = 64;
/// Longest simulated task (a real timed wait in the process).
pub const MAX_TASK_MS: u32 = 2000;

/// `run("isolation", {increments})`: one global counter, two processes and two threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IsolationParams {
    pub increments: u32,
}

impl Default for IsolationParams {
    fn default() -> Self {
        IsolationParams { increments: 1000 }
    }
}

impl IsolationParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("increments", self.increments, 1, 1_000_000)
    }
}

/// Each process's copy of the counter, and the one counter two threads share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsolationReport {
    /// The counter as each process read it after its own increments.
    pub process_counters: Vec<u64>,
    /// The page's own copy, which no process can touch.
    pub page_counter: u64,
    /// The counter two threads of the page's process incremented together.
    pub thread_counter: u64,
    pub increments: u32,
    /// The processes' ids, so the page can say whose copy is whose.
    pub pids: Vec<u32>,
}

/// How the tasks reach the pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Submit {
    /// `pool.map(square, inputs)`: one list in submission order once every task has ended;
    /// if a task raised, `map` raises the first error to arrive instead.
    #[default]
    Map,
    /// `pool.apply_async(square, (x,), callback=…, error_callback=…)` per task: each result
    /// reaches its callback in the parent as it arrives.
    ApplyAsync,
}

/// `run("pool", {…})`: `Pool(processes)` over `tasks` tasks by `map` or `apply_async`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PoolParams {
    pub processes: u32,
    pub tasks: u32,
    pub task_ms: u32,
    pub submit: Submit,
    /// The task (by submission index) whose function raises `ValueError` in its process;
    /// -1: none.
    pub fail_task: i32,
    /// Task i waits `task_ms × (tasks − i) / tasks`: later tasks end first.
    pub descending: bool,
}

impl Default for PoolParams {
    fn default() -> Self {
        PoolParams {
            processes: 3,
            tasks: 8,
            task_ms: 100,
            submit: Submit::Map,
            fail_task: -1,
            descending: false,
        }
    }
}

impl PoolParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("processes", self.processes, 1, MAX_PROCESSES)?;
        check_range("tasks", self.tasks, 1, MAX_TASKS)?;
        check_range("task_ms", self.task_ms, 0, MAX_TASK_MS)?;
        check_range("fail_task", self.fail_task, -1, self.tasks as i32 - 1)
    }

    /// Whether task `index` raises.
    pub fn fails(&self, index: u32) -> bool {
        i64::from(self.fail_task) == i64::from(index)
    }

    /// How long each task waits in its process.
    pub fn waits_ms(&self) -> Vec<u32> {
        (0..self.tasks)
            .map(|i| {
                if self.descending {
                    self.task_ms * (self.tasks - i) / self.tasks
                } else {
                    self.task_ms
                }
            })
            .collect()
    }
}

/// How long the waits alone take when each of `processes` processes takes the next task as
/// soon as it is free (the pool's own rule), start-up left out.
pub fn pool_expected_ms(waits_ms: &[u32], processes: u32) -> u32 {
    let mut free_at = vec![0u32; processes.max(1) as usize];
    for &wait in waits_ms {
        if let Some(first_free) = free_at.iter_mut().min() {
            *first_free += wait;
        }
    }
    free_at.into_iter().max().unwrap_or(0)
}

/// The error a failing pool task raises, as Python prints it.
pub fn task_error(input: u64) -> String {
    format!("ValueError: bad input {input}")
}

/// One call of an `apply_async` callback in the page (the parent), as a result arrived.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolCallback {
    pub task: u32,
    /// `callback` with the value, or `error_callback` with the error.
    pub kind: String,
    pub value: Option<u64>,
    pub error: Option<String>,
    /// ms after the run started, read inside the callback.
    pub at_ms: f64,
}

/// The input of pool task `index`: the notes square numbers, so a result is easy to check.
pub fn task_input(index: u32) -> u64 {
    u64::from(index) + 1
}

/// What a pool task computes from its input.
pub fn task_output(input: u64) -> u64 {
    input * input
}

/// One task of a pool run, as it came back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// Submission index.
    pub task: u32,
    pub input: u64,
    /// `None` when the task failed.
    pub value: Option<u64>,
    /// The process that ran (or crashed on) it.
    pub pid: u32,
    /// When it finished, ms after the run started: the order results arrived in.
    pub done_ms: f64,
    pub error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolReport {
    /// Values in submission order (`map`'s promise), `None` for failed tasks.
    pub results_in_order: Vec<Option<u64>>,
    /// Wall time of the whole run, process start-up included.
    pub ms: f64,
    /// Of which starting the processes.
    pub start_ms: f64,
    pub results: Vec<TaskResult>,
    /// Task indices in the order their results arrived.
    pub arrival_order: Vec<u32>,
    pub processes: u32,
    pub task_ms: u32,
    /// Processes started to replace crashed ones.
    pub restarted: u32,
    pub submit: Submit,
    /// `map` only: the error it raises (the first to arrive), once every task has ended.
    pub map_raised: Option<String>,
    /// `apply_async` only: every callback call, in the order they ran.
    pub callbacks: Vec<PoolCallback>,
    /// When the first result reached the page, and when the last did (when `map` returns).
    pub first_result_ms: f64,
    pub last_result_ms: f64,
    /// What the waits alone should take on these processes ([`pool_expected_ms`]).
    pub expected_ms: u32,
}

/// The page's side of `Pool(k)`: which task is where, results by submission index, crashed
/// workers to replace. The runtime drives it with the real processes.
#[derive(Clone, Debug, Default)]
pub struct PoolBook {
    slots: Vec<Option<TaskResult>>,
    next: u32,
    running: Vec<(u32, u32)>,
    arrivals: Vec<u32>,
    restarted: u32,
}

impl PoolBook {
    /// A book for `tasks` tasks submitted at once (`map`).
    pub fn new(tasks: u32) -> PoolBook {
        PoolBook {
            slots: vec![None; tasks as usize],
            ..PoolBook::default()
        }
    }

    /// The next task for an idle `pid`, if any is left; marks it running there.
    pub fn take(&mut self, pid: u32) -> Option<u32> {
        if self.next as usize >= self.slots.len() {
            return None;
        }
        let task = self.next;
        self.next += 1;
        self.running.push((task, pid));
        Some(task)
    }

    /// Records `result` in its slot and returns it (what a callback is handed).
    fn finish(&mut self, task: u32, result: TaskResult) -> Result<TaskResult, String> {
        let Some(position) = self.running.iter().position(|(t, _)| *t == task) else {
            return Err(format!("task {task} is not running"));
        };
        self.running.swap_remove(position);
        self.arrivals.push(task);
        self.slots[task as usize] = Some(result.clone());
        Ok(result)
    }

    /// Records a task's value.
    pub fn done(
        &mut self,
        task: u32,
        pid: u32,
        value: u64,
        done_ms: f64,
    ) -> Result<TaskResult, String> {
        let input = task_input(task);
        self.finish(
            task,
            TaskResult {
                task,
                input,
                value: Some(value),
                pid,
                done_ms,
                error: None,
            },
        )
    }

    /// Records a task that failed: an error it returned, or its process crashing under it.
    /// A crash also counts a replacement process.
    pub fn failed(
        &mut self,
        task: u32,
        pid: u32,
        error: String,
        crashed: bool,
        done_ms: f64,
    ) -> Result<TaskResult, String> {
        if crashed {
            self.restarted += 1;
        }
        let input = task_input(task);
        self.finish(
            task,
            TaskResult {
                task,
                input,
                value: None,
                pid,
                done_ms,
                error: Some(error),
            },
        )
    }

    /// Every task has a result or an error (what `join` waits for).
    pub fn finished(&self) -> bool {
        self.slots.iter().all(Option::is_some)
    }

    pub fn restarted(&self) -> u32 {
        self.restarted
    }

    pub fn arrival_order(&self) -> &[u32] {
        &self.arrivals
    }

    /// The results in submission order, whatever order they arrived in.
    pub fn results(&self) -> Vec<TaskResult> {
        self.slots.iter().flatten().cloned().collect()
    }

    /// What `map` raises when a task failed: the first error to arrive (CPython keeps only
    /// that one, and raises it after every task has ended).
    pub fn first_error(&self) -> Option<String> {
        self.arrivals.iter().find_map(|&t| {
            self.slots[t as usize]
                .as_ref()
                .and_then(|r| r.error.clone())
        })
    }

    /// `map`'s answer: values in submission order (`None` where a task failed).
    pub fn values_in_order(&self) -> Vec<Option<u64>> {
        self.slots
            .iter()
            .map(|slot| slot.as_ref().and_then(|r| r.value))
            .collect()
    }
}

/// How the crash demo crashes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrashMode {
    /// One pool task panics in its process; the pool replaces that process.
    #[default]
    Process,
    /// One thread of a process with threads panics; the whole process dies with it.
    Thread,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrashParams {
    pub mode: CrashMode,
}

/// Tasks of the process-crash demo, and which one panics.
pub const CRASH_TASKS: u32 = 6;
pub const CRASHING_TASK: u32 = 2;
/// Threads of the process in the thread-crash demo, and which one panics.
pub const CRASH_THREADS: u32 = 3;
pub const CRASHING_THREAD: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrashReport {
    pub mode: CrashMode,
    /// Processes that died.
    pub crashed: u32,
    /// Tasks whose results reached the page.
    pub completed_tasks: u32,
    pub total_tasks: u32,
    /// The page answered after the crash (a task on its own event loop ran).
    pub page_alive: bool,
    /// Processes started to replace crashed ones.
    pub restarted: u32,
    /// Threads that died with the crashed process (thread mode).
    pub threads_lost: u32,
    /// What the crashed process said as it died.
    pub exit_message: String,
    /// Process mode: each task's outcome in submission order.
    pub results: Vec<TaskResult>,
}

/// `run("thread-local", {threads})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThreadLocalParams {
    pub threads: u32,
}

impl Default for ThreadLocalParams {
    fn default() -> Self {
        ThreadLocalParams { threads: 3 }
    }
}

impl ThreadLocalParams {
    pub fn validate(&self, pool_threads: u32) -> Result<(), String> {
        check_range("threads", self.threads, 1, pool_threads.max(1))
    }
}

/// The greeting thread `index` stores, as in the notes' per-thread `Student`.
pub fn greeting(index: u32) -> String {
    format!(
        "hello from {}",
        crate::model::thread_state::thread_name(index)
    )
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadLocalReport {
    /// What each thread read back from its `threading.local()`-style slot.
    pub values: Vec<String>,
    /// What each thread read back from a global dictionary keyed by its thread.
    pub dict_values: Vec<String>,
    /// The one shared global every thread wrote: whoever wrote last.
    pub shared_value: String,
    /// What each thread read from the shared global after all had written.
    pub shared_reads: Vec<String>,
}

/// `run("downloads", {scale_ms, seed})`: the notes' downloads, 1 s of theirs = `scale_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DownloadsParams {
    pub scale_ms: u32,
    pub seed: u32,
}

impl Default for DownloadsParams {
    fn default() -> Self {
        DownloadsParams {
            scale_ms: 100,
            seed: 1,
        }
    }
}

impl DownloadsParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("scale_ms", self.scale_ms, 10, 400)?;
        check_range("seed", self.seed, 0, 1_000_000)
    }
}

/// The notes' five files; the first two are the ones most of their examples download.
pub const FILES: [&str; 5] = [
    "Python.pdf",
    "nazha.mkv",
    "something.mp4",
    "lena.png",
    "lol.avi",
];

/// One file: `randint(5, 10)` seconds in the notes, drawn here from `seed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Download {
    pub name: String,
    pub seconds: u32,
    /// Real wait in the lab: seconds × scale_ms.
    pub ms: u32,
}

/// The five files with their seeded durations (5 to 10 s each, as `randint(5, 10)`).
pub fn downloads(params: &DownloadsParams) -> Vec<Download> {
    // xorshift32: tiny and deterministic, so the page and the tests agree on the files.
    let mut state = params.seed.wrapping_mul(2_654_435_761).max(1);
    FILES
        .iter()
        .map(|name| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let seconds = 5 + state % 6;
            Download {
                name: (*name).to_string(),
                seconds,
                ms: seconds * params.scale_ms,
            }
        })
        .collect()
}

/// The ways the notes download, each with the files it takes and the time it should take.
pub const DOWNLOAD_STRATEGIES: [(&str, usize, &str); 5] = [
    (
        "sequential",
        2,
        "one process, one file after the other: ≈ the sum",
    ),
    (
        "processes",
        2,
        "two Process objects, then join both: ≈ the longer one",
    ),
    (
        "pool",
        5,
        "Pool(5) over five files, close, join: ≈ the longest",
    ),
    (
        "threads",
        2,
        "two threads, then join both: ≈ the longer one",
    ),
    (
        "coroutines",
        2,
        "two coroutines on one event loop: ≈ the longer one",
    ),
];

/// What a strategy should take with zero overhead: the sum for sequential, else the longest.
pub fn expected_ms(strategy: &str, files: &[Download]) -> u32 {
    if strategy == "sequential" {
        files.iter().map(|f| f.ms).sum()
    } else {
        files.iter().map(|f| f.ms).max().unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyRun {
    pub name: String,
    pub files: u32,
    /// Wall time, process start-up included where there is one.
    pub ms: f64,
    pub expected_ms: u32,
    /// Of `ms`, starting processes.
    pub start_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DownloadsReport {
    pub files: Vec<Download>,
    pub strategies: Vec<StrategyRun>,
}

/// `run("join-daemon", {work_ms, join_timeout_ms})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JoinDaemonParams {
    pub work_ms: u32,
    pub join_timeout_ms: u32,
}

impl Default for JoinDaemonParams {
    fn default() -> Self {
        JoinDaemonParams {
            work_ms: 600,
            join_timeout_ms: 200,
        }
    }
}

impl JoinDaemonParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("work_ms", self.work_ms, 50, 5000)?;
        check_range("join_timeout_ms", self.join_timeout_ms, 10, 5000)
    }
}

/// What the main thread saw of a worker it joined with a timeout and of a daemon thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinDaemonReport {
    /// When `worker.join(timeout)` returned, ms after the start.
    pub join_returned_ms: f64,
    /// `worker.is_alive()` right after that join.
    pub alive_after_join: bool,
    /// When the worker (not a daemon) finished its work.
    pub worker_finished_ms: f64,
    /// When the program ended: after its last non-daemon thread.
    pub program_exit_ms: f64,
    /// Rounds of 10 ms the daemon did before the program ended.
    pub daemon_rounds: u32,
    /// Whether the daemon finished its job (three times the worker's) before the program
    /// ended and stopped it.
    pub daemon_finished: bool,
    pub work_ms: u32,
    pub join_timeout_ms: u32,
    /// The three threads as `threading` describes them, in the order main, worker, daemon.
    pub threads: Vec<ThreadInfo>,
}

/// One thread of `join-daemon` as `threading` would describe it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThreadInfo {
    /// `Thread(name=...)`; the first thread of a program is `MainThread`.
    pub name: String,
    /// `target` and `args` as the Python idiom writes them.
    pub target: String,
    pub daemon: bool,
    /// `threading.get_ident()`: the index of the pool worker it ran on.
    pub ident: u32,
    /// What `threading.current_thread().name` returned inside the thread: its ident looked
    /// up in the table of running threads, which each thread enters as it starts.
    pub current_thread: String,
}

/// Name, target and daemon flag of `join-daemon`'s threads, in actor order.
pub fn join_daemon_threads(work_ms: u32) -> [(&'static str, String, bool); 3] {
    [
        ("MainThread", "main()".into(), false),
        ("worker", format!("work({work_ms})"), false),
        ("daemon", format!("housekeeping({})", work_ms * 3), true),
    ]
}

/// `run("costs", {repeats})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CostsParams {
    pub repeats: u32,
}

impl Default for CostsParams {
    fn default() -> Self {
        CostsParams { repeats: 15 }
    }
}

pub const MAX_REPEATS: u32 = 101;

impl CostsParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("repeats", self.repeats, 3, MAX_REPEATS)
    }
}

/// The rows of the cost table, in the order shown, with what each measures.
pub const COST_ROWS: [(&str, &str); 7] = [
    (
        "spawn-process",
        "start a process (Worker + own wasm instance and memory) until it answers",
    ),
    (
        "spawn-thread-task",
        "hand a task to a running pool thread and join it",
    ),
    (
        "spawn-future",
        "create a future on the page's loop and await it",
    ),
    (
        "roundtrip-process",
        "ping-pong between two processes over a MessageChannel, two connected duplex ends like multiprocessing.Pipe()",
    ),
    (
        "roundtrip-thread",
        "memory.atomic.wait/notify ping-pong between two threads",
    ),
    (
        "roundtrip-future",
        "two futures on one thread, switched by a user-space executor, there and back",
    ),
    (
        "roundtrip-future-js-loop",
        "the same, each wake-up a JavaScript microtask on the page's loop",
    ),
];

/// What row `name` measures, in the page's language (English: [`COST_ROWS`]).
pub fn cost_what(name: &str) -> String {
    match name {
        "spawn-process" => t!("processes.costs.what_spawn_process"),
        "spawn-thread-task" => t!("processes.costs.what_spawn_thread_task"),
        "spawn-future" => t!("processes.costs.what_spawn_future"),
        "roundtrip-process" => t!("processes.costs.what_roundtrip_process"),
        "roundtrip-thread" => t!("processes.costs.what_roundtrip_thread"),
        "roundtrip-future" => t!("processes.costs.what_roundtrip_future"),
        "roundtrip-future-js-loop" => t!("processes.costs.what_roundtrip_future_js_loop"),
        _ => return String::new(),
    }
    .to_string()
}

/// One row of the cost table: microseconds per operation over the repeats.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostRow {
    pub name: String,
    pub what: String,
    pub median_us: f64,
    pub p10_us: f64,
    pub p90_us: f64,
    /// Operations timed together in one sample (timer resolution is 5 µs at best).
    pub batch: u32,
    pub samples: u32,
}

impl CostRow {
    /// Summarises per-operation samples (µs); `None` without finite samples.
    pub fn of(name: &str, batch: u32, samples_us: &[f64]) -> Option<CostRow> {
        Some(CostRow {
            name: name.to_string(),
            what: cost_what(name),
            median_us: percentile(samples_us, 0.5)?,
            p10_us: percentile(samples_us, 0.1)?,
            p90_us: percentile(samples_us, 0.9)?,
            batch,
            samples: samples_us.len() as u32,
        })
    }
}

/// Bulk transfer between two processes (copied) and between two threads (shared).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TransferRow {
    pub name: String,
    pub megabytes: f64,
    pub mb_per_s: f64,
    /// Bytes that crossed by copy (0 when the consumer read the producer's memory).
    pub bytes_copied: u64,
}

/// One claim of the notes, checked on this machine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub claim: String,
    pub confirmed: bool,
    /// How the measured figures compare, e.g. "process 58× thread, thread 3.1× future".
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostsReport {
    pub rows: Vec<CostRow>,
    pub transfer: Vec<TransferRow>,
    pub verdicts: Vec<Verdict>,
}

/// The cost table as CSV, one row per measurement (µs rows, then the two transfers).
pub fn costs_csv(report: &CostsReport) -> String {
    let mut out =
        String::from("name,median_us,p10_us,p90_us,samples,batch,mb_per_s,bytes_copied\n");
    for r in &report.rows {
        out.push_str(&format!(
            "{},{:.3},{:.3},{:.3},{},{},,\n",
            r.name, r.median_us, r.p10_us, r.p90_us, r.samples, r.batch
        ));
    }
    for t in &report.transfer {
        out.push_str(&format!(
            "{},,,,,,{:.1},{}\n",
            t.name, t.mb_per_s, t.bytes_copied
        ));
    }
    out
}

/// Linear-interpolated percentile `q` in `0..=1`; `None` when empty or not finite.
pub fn percentile(samples: &[f64], q: f64) -> Option<f64> {
    if samples.is_empty() || samples.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (low, high) = (position.floor() as usize, position.ceil() as usize);
    let weight = position - low as f64;
    Some(sorted[low] * (1.0 - weight) + sorted[high] * weight)
}

fn median_of(rows: &[CostRow], name: &str) -> Option<f64> {
    rows.iter().find(|r| r.name == name).map(|r| r.median_us)
}

/// The notes' three claims against the measured rows.
pub fn verdicts(rows: &[CostRow], transfer: &[TransferRow]) -> Vec<Verdict> {
    let mut out = Vec::new();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::INFINITY };
    if let (Some(p), Some(t), Some(f)) = (
        median_of(rows, "roundtrip-process"),
        median_of(rows, "roundtrip-thread"),
        median_of(rows, "roundtrip-future"),
    ) {
        out.push(Verdict {
            claim: t!("processes.costs.claim_switch").to_string(),
            confirmed: p > t && t > f,
            detail: t!(
                "processes.costs.detail_switch",
                p = format!("{p:.1}"),
                pt = format!("{:.1}", ratio(p, t)),
                t = format!("{t:.2}"),
                tf = format!("{:.1}", ratio(t, f)),
                f = format!("{f:.2}")
            )
            .to_string(),
        });
    }
    if let (Some(p), Some(t), Some(f)) = (
        median_of(rows, "spawn-process"),
        median_of(rows, "spawn-thread-task"),
        median_of(rows, "spawn-future"),
    ) {
        out.push(Verdict {
            claim: t!("processes.costs.claim_start").to_string(),
            confirmed: p > t && t > f,
            detail: t!(
                "processes.costs.detail_start",
                p = format!("{:.1}", p / 1000.0),
                pt = format!("{:.0}", ratio(p, t)),
                t = format!("{t:.1}"),
                tf = format!("{:.1}", ratio(t, f)),
                f = format!("{f:.2}")
            )
            .to_string(),
        });
    }
    let by_name = |name: &str| transfer.iter().find(|r| r.name == name);
    if let (Some(copied), Some(shared)) = (
        by_name("queue-between-processes"),
        by_name("shared-between-threads"),
    ) {
        out.push(Verdict {
            claim: t!("processes.costs.claim_copy").to_string(),
            confirmed: copied.bytes_copied > 0
                && shared.bytes_copied == 0
                && copied.mb_per_s < shared.mb_per_s,
            detail: t!(
                "processes.costs.detail_copy",
                copied = format!("{:.0}", copied.mb_per_s),
                bytes = copied.bytes_copied,
                shared = format!("{:.0}", shared.mb_per_s),
                slower = format!("{:.1}", ratio(shared.mb_per_s, copied.mb_per_s))
            )
            .to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
