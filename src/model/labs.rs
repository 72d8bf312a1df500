//! The lab registry: every lab, its console experiments with their parameters, and the notes'
//! syllabus mapped onto the labs, as plain data.
//!
//! This is the one place a lab is declared. The UI attaches a view and console runners by id
//! (`src/ui/labs.rs`); the home page, the navigation, `window.lab.labs()` and `lab.help()`
//! read this table; native tests loop over it (ids unique, every concept mapped to a lab that
//! exists, every experiment documented, every lab with an end-to-end spec, parameter
//! definitions that agree with the validation they drive).
//!
//! Parameters arriving from the console are checked against their [`ParamDef`]s first, so
//! every bad field is rejected with its name and range before the lab's own `validate` sees
//! the cross-field and pool-size rules.

pub mod cores;
pub mod event_loop;
pub mod explorer;
pub mod gil;
pub mod idioms;
pub mod io;
pub mod processes;
pub mod shared_memory;

mod syllabus;

pub use syllabus::{Concept, PLANNED_LABS, SYLLABUS, Shown};

use crate::model::params::parse_json;
use explorer::litmus_hw;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The pool size validation assumes when it checks console parameters without a pool
/// (native tests, `lab.help()`); the runtime re-checks against the real pool.
pub const NOMINAL_POOL: u32 = 16;

/// What values one parameter takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int {
        min: i64,
        max: i64,
        default: i64,
    },
    /// One of these strings.
    Choice {
        options: &'static [&'static str],
        default: &'static str,
    },
    Bool {
        default: bool,
    },
    /// Free text of at most `max_chars` characters, or absent.
    Text {
        max_chars: usize,
    },
}

/// One parameter of a console experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamDef {
    pub name: &'static str,
    pub kind: Kind,
    /// One line for `lab.help()` and the README.
    pub doc: &'static str,
}

/// Something `window.lab.run(id, params)` runs.
#[derive(Clone, Copy, Debug)]
pub struct ExperimentInfo {
    /// Stable id, documented in the README.
    pub id: &'static str,
    pub summary: &'static str,
    pub params: &'static [ParamDef],
    /// Needs the worker pool (and so cross-origin isolation).
    pub needs_threads: bool,
    /// Parses and validates console JSON exactly as a run would, with [`NOMINAL_POOL`] threads.
    pub check: fn(&str) -> Result<(), String>,
}

/// One lab page.
#[derive(Clone, Copy, Debug)]
pub struct LabInfo {
    /// Stable id used in URLs (`#/cores`), in every layer's file name and in the e2e spec's.
    pub id: &'static str,
    pub title: &'static str,
    pub title_zh: &'static str,
    pub summary: &'static str,
    /// Needs real worker threads to be useful at all.
    pub needs_threads: bool,
    /// Runs for real (true) or steps a model (false); shown as a badge.
    pub real: bool,
    pub experiments: &'static [ExperimentInfo],
}

impl LabInfo {
    /// The title in Chinese or in English.
    pub fn title_in(&self, chinese: bool) -> &'static str {
        if chinese { self.title_zh } else { self.title }
    }

    /// The syllabus concepts this lab shows (fully or in part).
    pub fn concepts(&self) -> impl Iterator<Item = &'static Concept> + '_ {
        SYLLABUS
            .iter()
            .filter(|c| c.shown != Shown::Planned && c.labs.contains(&self.id))
    }
}

/// Every lab, in menu order.
pub fn all() -> &'static [LabInfo] {
    &LABS
}

/// The lab with this id.
pub fn find(id: &str) -> Option<&'static LabInfo> {
    LABS.iter().find(|lab| lab.id == id)
}

/// Every experiment, in menu order.
pub fn experiments() -> impl Iterator<Item = &'static ExperimentInfo> {
    LABS.iter().flat_map(|lab| lab.experiments.iter())
}

/// The experiment with this id.
pub fn experiment(id: &str) -> Option<&'static ExperimentInfo> {
    experiments().find(|e| e.id == id)
}

/// The range of whole-number parameter `param` of experiment `id`, as `lab.help()` prints it.
pub fn int_range(id: &str, param: &str) -> Option<(i64, i64)> {
    experiment(id)?
        .params
        .iter()
        .find(|p| p.name == param)
        .and_then(|p| match p.kind {
            Kind::Int { min, max, .. } => Some((min, max)),
            _ => None,
        })
}

/// Checks console JSON against `id`'s parameter definitions (names, types, ranges), then
/// parses it into the lab's parameter type. Empty text or `null` gives the defaults.
pub fn parse<P: DeserializeOwned + Default>(id: &str, json: &str) -> Result<P, String> {
    let trimmed = json.trim();
    if !(trimmed.is_empty() || trimmed == "null" || trimmed == "undefined")
        && let Some(info) = experiment(id)
    {
        let value: Value = serde_json::from_str(trimmed)
            .map_err(|e| format!("{id}: parameters are not valid JSON: {e}"))?;
        let Value::Object(fields) = value else {
            return Err(format!("{id}: parameters must be a JSON object"));
        };
        check_fields(id, info.params, &fields)?;
    }
    parse_json(id, json)
}

fn check_fields(id: &str, defs: &[ParamDef], fields: &Map<String, Value>) -> Result<(), String> {
    for (name, value) in fields {
        let Some(def) = defs.iter().find(|d| d.name == name) else {
            let known: Vec<&str> = defs.iter().map(|d| d.name).collect();
            return Err(format!(
                "{id}: unknown parameter '{name}'; parameters are: {}",
                if known.is_empty() {
                    "(none)".to_string()
                } else {
                    known.join(", ")
                }
            ));
        };
        def.check(value).map_err(|e| format!("{id}: {e}"))?;
    }
    Ok(())
}

impl ParamDef {
    /// The range as `lab.help()` prints it, e.g. `integer 1..=16, default 2`.
    pub fn range_text(&self) -> String {
        match self.kind {
            Kind::Int { min, max, default } => format!("integer {min}..={max}, default {default}"),
            Kind::Choice { options, default } => {
                format!("one of {}, default {default}", options.join(" | "))
            }
            Kind::Bool { default } => format!("true or false, default {default}"),
            Kind::Text { max_chars } => format!("text of at most {max_chars} characters"),
        }
    }

    /// Checks one JSON value, naming the field and its range when it does not fit.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let name = self.name;
        let fits = match self.kind {
            Kind::Int { min, max, .. } => match value.as_i64() {
                Some(v) => (min..=max).contains(&v),
                // A whole number written as a float (JSON from some clients) still counts.
                None => value
                    .as_f64()
                    .is_some_and(|v| v.fract() == 0.0 && v >= min as f64 && v <= max as f64),
            },
            Kind::Choice { options, .. } => value.as_str().is_some_and(|s| options.contains(&s)),
            Kind::Bool { .. } => value.is_boolean(),
            Kind::Text { max_chars } => {
                value.is_null()
                    || value
                        .as_str()
                        .is_some_and(|s| s.chars().count() <= max_chars)
            }
        };
        if fits {
            return Ok(());
        }
        let shown = match value {
            Value::String(s) if s.chars().count() > 40 => {
                t!("params.long_text", n = s.chars().count()).to_string()
            }
            other => other.to_string(),
        };
        Err(match self.kind {
            Kind::Int { min, max, .. } => t!(
                "params.integer",
                name = name,
                min = min,
                max = max,
                shown = shown
            ),
            Kind::Choice { options, .. } => t!(
                "params.one_of",
                name = name,
                options = options.join(", "),
                shown = shown
            ),
            Kind::Bool { .. } => t!("params.bool", name = name, shown = shown),
            Kind::Text { max_chars } => {
                t!("params.text", name = name, max = max_chars, shown = shown)
            }
        }
        .to_string())
    }
}

/// `parse` then the lab's own validation, as an [`ExperimentInfo::check`].
fn check_with<P: DeserializeOwned + Default>(
    id: &str,
    json: &str,
    validate: impl FnOnce(&P) -> Result<(), String>,
) -> Result<(), String> {
    validate(&parse::<P>(id, json)?)
}

const fn int(name: &'static str, min: i64, max: i64, default: i64, doc: &'static str) -> ParamDef {
    ParamDef {
        name,
        kind: Kind::Int { min, max, default },
        doc,
    }
}

const fn choice(
    name: &'static str,
    options: &'static [&'static str],
    doc: &'static str,
) -> ParamDef {
    ParamDef {
        name,
        kind: Kind::Choice {
            options,
            default: options[0],
        },
        doc,
    }
}

const fn flag(name: &'static str, default: bool, doc: &'static str) -> ParamDef {
    ParamDef {
        name,
        kind: Kind::Bool { default },
        doc,
    }
}

const fn text(name: &'static str, max_chars: usize, doc: &'static str) -> ParamDef {
    ParamDef {
        name,
        kind: Kind::Text { max_chars },
        doc,
    }
}

const POOL: i64 = shared_memory::MAX_THREADS as i64;

static LABS: [LabInfo; 7] = [
    LabInfo {
        id: "cores",
        title: "Cores & parallelism",
        title_zh: "多核与并行",
        summary: "Render the same image on 1, 2 … N real threads. Watch each worker's timeline, \
                  measure the speedup and see concurrency (tasks taking turns on one thread) next to \
                  parallelism (threads at once).",
        needs_threads: true,
        real: true,
        experiments: &[ExperimentInfo {
            id: "cores",
            summary: "Mandelbrot on 1 thread and on `threads`: wall times, speedup, CPU use derived from the work rate",
            params: &[
                int(
                    "threads",
                    1,
                    POOL,
                    2,
                    "threads to compare with one (at most the pool's workers)",
                ),
                int(
                    "width",
                    cores::MIN_SIDE as i64,
                    cores::MAX_SIDE as i64,
                    640,
                    "image width in pixels",
                ),
                int(
                    "height",
                    cores::MIN_SIDE as i64,
                    cores::MAX_SIDE as i64,
                    400,
                    "image height in pixels",
                ),
                int(
                    "max_iter",
                    1,
                    cores::MAX_ITER as i64,
                    1000,
                    "iterations per pixel at most",
                ),
                int(
                    "chunk_rows",
                    1,
                    cores::MAX_SIDE as i64,
                    4,
                    "rows per work item (at most height)",
                ),
                choice(
                    "schedule",
                    &["parallel", "interleaved"],
                    "parallel: threads at once; interleaved: that many tasks taking turns on one thread",
                ),
                int(
                    "repeats",
                    1,
                    cores::MAX_REPEATS as i64,
                    1,
                    "measurements per side; the median is reported",
                ),
            ],
            needs_threads: true,
            check: |json| {
                check_with::<cores::CoresParams>("cores", json, |p| p.validate(NOMINAL_POOL))
            },
        }],
    },
    LabInfo {
        id: "shared-memory",
        title: "Races, locks & signals",
        title_zh: "竞态、锁与同步",
        summary: "Lose updates on a shared balance, deadlock two threads and watch the watchdog name the \
                  cycle, bound a section with a semaphore, signal with events and conditions, and feed a \
                  bounded queue.",
        needs_threads: true,
        real: true,
        experiments: &[
            ExperimentInfo {
                id: "race",
                summary: "balance = balance + n on real threads: final balances and lost updates",
                params: &[
                    int("threads", 1, POOL, 2, "threads updating the balance"),
                    int(
                        "iterations",
                        1,
                        2_000_000,
                        1_000_000,
                        "deposit-then-withdraw rounds per thread",
                    ),
                    choice(
                        "variant",
                        &["unsync", "lock", "atomic"],
                        "unsync: load then store; lock: inside a Lock; atomic: one fetch_add",
                    ),
                    int("repeats", 1, 50, 1, "independent runs"),
                    int(
                        "think",
                        0,
                        1000,
                        50,
                        "arithmetic steps between the load and the store",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::RaceParams>("race", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "deadlock",
                summary: "two threads, two locks (or one lock twice); the watchdog names the cycle",
                params: &[
                    choice(
                        "scenario",
                        &["ab-ba", "self-lock", "rlock"],
                        "which deadlock to build",
                    ),
                    flag("fix", false, "apply the fix (one lock order, or an RLock)"),
                    int(
                        "hold_ms",
                        1,
                        1000,
                        50,
                        "how long a thread holds its first lock",
                    ),
                    int(
                        "timeout_ms",
                        100,
                        10_000,
                        3000,
                        "deadline of every lock wait",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::DeadlockParams>("deadlock", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "semaphore",
                summary: "threads entering a section a Semaphore bounds",
                params: &[
                    int("threads", 1, POOL, 5, "threads that want in"),
                    int("permits", 1, POOL, 2, "the semaphore's count"),
                    int("rounds", 1, 20, 3, "entries per thread"),
                    int("work_ms", 1, 500, 40, "time inside per entry"),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::SemaphoreParams>("semaphore", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "signals",
                summary: "Event, Condition and Barrier: wake-up latency and arrival spread",
                params: &[
                    choice(
                        "kind",
                        &["event", "condition", "barrier"],
                        "which primitive",
                    ),
                    int("threads", 2, POOL, 4, "threads taking part"),
                    int("rounds", 1, 50, 3, "signals sent"),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::SignalParams>("signals", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "queue",
                summary: "producers and consumers through a bounded queue",
                params: &[
                    int("producers", 1, POOL, 2, "producer threads"),
                    int(
                        "consumers",
                        1,
                        POOL,
                        2,
                        "consumer threads (producers + consumers at most the pool)",
                    ),
                    int("capacity", 1, 10_000, 8, "queue size"),
                    int("items", 1, 200_000, 2000, "items produced in all"),
                    int("produce_us", 0, 100_000, 200, "work per item produced, µs"),
                    int("consume_us", 0, 100_000, 400, "work per item consumed, µs"),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::QueueParams>("queue", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "starvation",
                summary: "two real threads: a lock with no order among waiters starves one, a ticket lock takes turns; polite retries in step livelock, random waits do not",
                params: &[
                    choice(
                        "scenario",
                        &[
                            "unfair-lock",
                            "fair-lock",
                            "livelock",
                            "random-backoff",
                            "pool-exhaustion",
                        ],
                        "what the threads do",
                    ),
                    int(
                        "duration_ms",
                        100,
                        3000,
                        600,
                        "how long they keep at it (pool-exhaustion: each task's patience)",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<shared_memory::StarvationParams>("starvation", json, |p| {
                        p.validate()
                    })
                },
            },
        ],
    },
    LabInfo {
        id: "gil",
        title: "The GIL",
        title_zh: "全局解释器锁",
        summary: "Python-like bytecode on real threads that must hold one real interpreter lock. See \
                  CPU-bound threads take turns, IO-bound ones overlap, and the notes' bank lose updates \
                  under one CPython's switch rule and not under another's.",
        needs_threads: true,
        real: true,
        experiments: &[
            ExperimentInfo {
                id: "gil",
                summary: "1 thread vs N threads running bytecode under a switch rule: speedup, hand-overs, GIL waits, lost updates",
                params: &[
                    int(
                        "threads",
                        1,
                        gil::lab::MAX_THREADS as i64,
                        2,
                        "threads running worker(n, units) (at most the pool's workers)",
                    ),
                    choice(
                        "workload",
                        &["cpu", "io", "mixed", "bank", "custom", "c_hash", "c_sum"],
                        "what each thread runs",
                    ),
                    choice(
                        "rule",
                        &[
                            "interval-eval-breaker",
                            "ticks",
                            "interval-any",
                            "free-threaded",
                            "processes",
                        ],
                        "when the GIL changes hands (which Python)",
                    ),
                    int(
                        "switch_ms",
                        1,
                        100,
                        5,
                        "switch interval of the interval rules",
                    ),
                    int(
                        "ticks",
                        1,
                        100_000,
                        100,
                        "instructions between hand-overs under ticks",
                    ),
                    int(
                        "units",
                        0,
                        gil::lab::MAX_UNITS as i64,
                        0,
                        "units of work in all, split over the threads (0: the workload's default)",
                    ),
                    int(
                        "io_ms",
                        0,
                        1000,
                        25,
                        "milliseconds of each sleep (io, mixed)",
                    ),
                    int(
                        "cpu_steps",
                        1,
                        1_000_000,
                        20_000,
                        "countdown steps per unit (mixed)",
                    ),
                    int(
                        "c_kib",
                        1,
                        gil::interp::MAX_C_CALL_KIB as i64,
                        1_024,
                        "KiB each C call hashes (c_hash, c_sum)",
                    ),
                    text(
                        "program",
                        gil::parser::MAX_SOURCE_CHARS,
                        "the program of workload custom; defines worker(n, units)",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<gil::GilParams>("gil", json, |p| p.validate(NOMINAL_POOL))
                },
            },
            ExperimentInfo {
                id: "thread-count",
                summary: "tasks/s against the number of threads for tasks of C ms computing and W ms waiting, against N = cores × (1 + W/C)",
                params: &[
                    int("wait_ms", 0, 1000, 20, "W: blocking wait per task"),
                    int("cpu_ms", 1, 100, 5, "C: computing per task"),
                    int(
                        "max_threads",
                        1,
                        gil::lab::MAX_SWEEP_THREADS as i64,
                        32,
                        "the largest thread count measured",
                    ),
                    flag("gil", true, "computing needs the one GIL"),
                    int(
                        "duration_ms",
                        100,
                        5000,
                        400,
                        "time measured per thread count",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<gil::ThreadCountParams>("thread-count", json, |p| p.validate())
                },
            },
            ExperimentInfo {
                id: "sched-model",
                summary: "a model: one task set on a virtual clock under one way of running it",
                params: &[
                    choice(
                        "policy",
                        &[
                            "serial",
                            "threads",
                            "threads-gil",
                            "processes",
                            "coroutines",
                            "greenlet",
                        ],
                        "how the tasks run",
                    ),
                    choice(
                        "tasks",
                        &["downloads", "two-waits", "cpu-only"],
                        "which task set",
                    ),
                    int("cores", 1, 16, 2, "cores of the modelled machine"),
                    int(
                        "quantum_ms",
                        1,
                        1000,
                        10,
                        "time slice of threads and processes",
                    ),
                    int(
                        "switch_ms",
                        0,
                        100,
                        1,
                        "time a core loses switching threads",
                    ),
                    int("interval_ms", 1, 100, 5, "the GIL's switch interval"),
                    int("start_ms", 0, 5000, 50, "time to start a process"),
                ],
                needs_threads: false,
                check: |json| check_with::<gil::SchedParams>("sched-model", json, |p| p.validate()),
            },
        ],
    },
    LabInfo {
        id: "processes",
        title: "Processes",
        title_zh: "多进程",
        summary: "Start real processes (workers with their own wasm instance and memory): see each keep its \
                  own copy of a global, a Pool return results in order, a crashed process die alone while a \
                  crashing thread takes its whole process, and measure start, switch and copy costs.",
        needs_threads: true,
        real: true,
        experiments: &[
            ExperimentInfo {
                id: "isolation",
                summary: "one global counter incremented in 2 processes (two copies) and on 2 threads (one)",
                params: &[int(
                    "increments",
                    1,
                    1_000_000,
                    1000,
                    "increments by each process and each thread",
                )],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::IsolationParams>("isolation", json, |p| p.validate())
                },
            },
            ExperimentInfo {
                id: "pool",
                summary: "Pool(processes).map over tasks that each wait task_ms: results in submission order",
                params: &[
                    int(
                        "processes",
                        1,
                        processes::MAX_PROCESSES as i64,
                        3,
                        "processes in the pool",
                    ),
                    int(
                        "tasks",
                        1,
                        processes::MAX_TASKS as i64,
                        8,
                        "tasks submitted at once",
                    ),
                    int(
                        "task_ms",
                        0,
                        processes::MAX_TASK_MS as i64,
                        100,
                        "real timed wait inside each task",
                    ),
                    choice(
                        "submit",
                        &["map", "apply_async"],
                        "map: one list in order at the end (or the first error raised); apply_async: a callback or error_callback in the page per result as it arrives",
                    ),
                    int(
                        "fail_task",
                        -1,
                        processes::MAX_TASKS as i64 - 1,
                        -1,
                        "the task whose function raises ValueError (-1: none; below tasks)",
                    ),
                    flag(
                        "descending",
                        false,
                        "task i waits task_ms × (tasks − i) / tasks: later tasks wait less (with a process each, they end first)",
                    ),
                ],
                needs_threads: true,
                check: |json| check_with::<processes::PoolParams>("pool", json, |p| p.validate()),
            },
            ExperimentInfo {
                id: "crash",
                summary: "a panicking process dies alone and the pool replaces it; a panicking thread takes its process",
                params: &[choice(
                    "mode",
                    &["process", "thread"],
                    "process: a pool task panics; thread: one thread of a 3-thread process panics",
                )],
                needs_threads: true,
                check: |json| check_with::<processes::CrashParams>("crash", json, |_| Ok(())),
            },
            ExperimentInfo {
                id: "downloads",
                summary: "the notes' downloads (5-10 s each, 1 s = scale_ms): sequential, processes, Pool(5), threads, coroutines",
                params: &[
                    int(
                        "scale_ms",
                        10,
                        400,
                        100,
                        "real milliseconds per second of the notes",
                    ),
                    int("seed", 0, 1_000_000, 1, "picks each file's randint(5, 10)"),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::DownloadsParams>("downloads", json, |p| p.validate())
                },
            },
            ExperimentInfo {
                id: "join-daemon",
                summary: "join with a timeout returns while the worker lives; the program waits for it, not for a daemon",
                params: &[
                    int("work_ms", 50, 5000, 600, "the worker's real work"),
                    int(
                        "join_timeout_ms",
                        10,
                        5000,
                        200,
                        "the main thread's join timeout",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::JoinDaemonParams>("join-daemon", json, |p| p.validate())
                },
            },
            ExperimentInfo {
                id: "costs",
                summary: "create and round-trip costs of processes, pool threads and futures; bulk copy vs shared memory",
                params: &[int(
                    "repeats",
                    3,
                    processes::MAX_REPEATS as i64,
                    15,
                    "samples per row (medians with p10/p90)",
                )],
                needs_threads: true,
                check: |json| check_with::<processes::CostsParams>("costs", json, |p| p.validate()),
            },
            ExperimentInfo {
                id: "thread-local",
                summary: "a per-thread slot, a dictionary keyed by thread and one shared global, set by each thread",
                params: &[int(
                    "threads",
                    1,
                    POOL,
                    3,
                    "threads that each store a greeting",
                )],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::ThreadLocalParams>("thread-local", json, |p| {
                        p.validate(NOMINAL_POOL)
                    })
                },
            },
            ExperimentInfo {
                id: "subprocess",
                summary: "Popen with stdin and stdout: a child process fed line by line, its output, exit status and observed states",
                params: &[
                    text(
                        "stdin",
                        200,
                        "lines written to the child's stdin, a number per line (at most 12 lines of 15 characters)",
                    ),
                    int(
                        "interval_ms",
                        0,
                        1000,
                        200,
                        "pause before each line written; 0 writes them at once, as communicate() does",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::subprocess::SubprocessParams>("subprocess", json, |p| {
                        p.validate()
                    })
                },
            },
            ExperimentInfo {
                id: "process-loops",
                summary: "requests that wait then compute: one process's event loop against one loop per process",
                params: &[
                    int(
                        "processes",
                        1,
                        processes::MAX_PROCESSES as i64,
                        2,
                        "processes in the second run, each with its own event loop",
                    ),
                    int(
                        "requests",
                        1,
                        processes::loops::MAX_REQUESTS as i64,
                        16,
                        "requests in all, shared out evenly",
                    ),
                    int("wait_ms", 0, 1000, 100, "each request's wait (its IO)"),
                    int(
                        "cpu_ms",
                        1,
                        100,
                        20,
                        "each request's computing after its wait (requests × cpu_ms at most 4000)",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::loops::LoopsParams>("process-loops", json, |p| {
                        p.validate()
                    })
                },
            },
            ExperimentInfo {
                id: "manager",
                summary: "a Manager process holds a dict and a lock; two processes do d[\"n\"] += 1 through proxies, a message per call",
                params: &[
                    int(
                        "increments",
                        1,
                        processes::manager::MAX_INCREMENTS as i64,
                        500,
                        "d[\"n\"] += 1 in each of the two worker processes",
                    ),
                    flag(
                        "lock",
                        false,
                        "hold the manager's Lock around each increment",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<processes::manager::ManagerParams>("manager", json, |p| {
                        p.validate()
                    })
                },
            },
        ],
    },
    LabInfo {
        id: "io",
        title: "IO models",
        title_zh: "IO 模型",
        summary: "Real requests with real delays under blocking, thread-per-connection, non-blocking polling, \
                  multiplexing and async IO; and select, poll and epoll measured: select scans every \
                  descriptor and stops at 1024, epoll's ready list costs only what is ready.",
        needs_threads: true,
        real: true,
        experiments: &[
            ExperimentInfo {
                id: "io-models",
                summary: "the same delayed requests under blocking, thread-per-connection, non-blocking, multiplexing and async IO",
                params: &[
                    int(
                        "connections",
                        1,
                        io::MAX_CONNECTIONS as i64,
                        10,
                        "requests, one per connection",
                    ),
                    int(
                        "delay_ms",
                        10,
                        2000,
                        200,
                        "the service worker's real delay before each answer",
                    ),
                    int("bytes", 0, 65_536, 1024, "size of each answer"),
                    int(
                        "seed",
                        0,
                        io::MAX_SEED as i64,
                        1,
                        "0: every delay is delay_ms; else each is drawn from delay_ms/2..3*delay_ms/2",
                    ),
                ],
                needs_threads: true,
                check: |json| check_with::<io::IoModelsParams>("io-models", json, |p| p.validate()),
            },
            ExperimentInfo {
                id: "select-epoll",
                summary: "ns per wait of select, poll and epoll for 10 to max_fds descriptors with `ready` ready; log-log slopes",
                params: &[
                    int(
                        "max_fds",
                        10,
                        100_000,
                        100_000,
                        "the most descriptors measured (select stops at 1024)",
                    ),
                    int("ready", 1, 10, 10, "descriptors ready at each wait"),
                    int(
                        "repeats",
                        10,
                        2000,
                        200,
                        "waits per figure at least (more until 2 ms are timed)",
                    ),
                ],
                needs_threads: true,
                check: |json| {
                    check_with::<io::SelectEpollParams>("select-epoll", json, |p| p.validate())
                },
            },
        ],
    },
    LabInfo {
        id: "explorer",
        title: "Interleaving explorer",
        title_zh: "交错执行",
        summary: "Be the scheduler: run two threads' atomic steps in any order and watch \
                  balance = balance + n lose an update. Then let a model checker try every \
                  schedule, list every ending and replay any of them.",
        needs_threads: false,
        real: false,
        experiments: &[
            ExperimentInfo {
                id: "explore",
                summary: "a model checker over every schedule of a small thread program",
                params: &[
                    text(
                        "program",
                        explorer::MAX_SOURCE_CHARS,
                        "program text (or give preset)",
                    ),
                    text("preset", 64, "preset id, e.g. balance (or give program)"),
                    choice(
                        "mode",
                        &["exhaustive", "count", "dpor", "tso", "bounded", "random"],
                        "which schedules to try",
                    ),
                    int(
                        "budget",
                        explorer::BUDGET_MIN as i64,
                        explorer::BUDGET_MAX as i64,
                        explorer::BUDGET_MAX as i64,
                        "most states per search",
                    ),
                    int(
                        "preemptions",
                        0,
                        explorer::PREEMPTIONS_MAX as i64,
                        2,
                        "preemptions per schedule (mode bounded)",
                    ),
                    int(
                        "schedules",
                        1,
                        explorer::RANDOM_SCHEDULES_MAX as i64,
                        1000,
                        "schedules to sample (mode random)",
                    ),
                    int("seed", 0, 1 << 53, 1, "seed of the random schedules"),
                    int(
                        "max_steps",
                        explorer::MAX_STEPS_RANGE.0 as i64,
                        explorer::MAX_STEPS_RANGE.1 as i64,
                        1000,
                        "longest schedule in steps",
                    ),
                ],
                needs_threads: false,
                check: |json| {
                    check_with::<explorer::ExploreParams>("explore", json, |p| p.validate())
                },
            },
            ExperimentInfo {
                id: "litmus-hw",
                summary: "a litmus test run millions of times on real threads: which memory model your CPU follows",
                params: &[
                    choice(
                        "test",
                        &["SB", "MP", "LB", "WRC", "ISA2", "RWC", "SB3", "IRIW"],
                        "litmus test (SB store buffering, MP message passing, LB load buffering, …)",
                    ),
                    int(
                        "iterations",
                        litmus_hw::ITERATIONS_RANGE.0 as i64,
                        litmus_hw::ITERATIONS_RANGE.1 as i64,
                        1_000_000,
                        "runs of the test",
                    ),
                    flag(
                        "fence",
                        false,
                        "sequentially consistent atomics instead of plain accesses (weak outcomes vanish)",
                    ),
                ],
                // Shared memory between workers needs cross-origin isolation.
                needs_threads: true,
                check: |json| {
                    check_with::<litmus_hw::LitmusHwParams>("litmus-hw", json, |p| p.validate())
                },
            },
        ],
    },
    LabInfo {
        id: "event-loop",
        title: "Event loop",
        title_zh: "事件循环",
        summary: "asyncio and JavaScript run many tasks on one thread. Start N waits on this page's own \
                  event loop, block the loop and watch the page freeze, then step through a model of the \
                  loop's queues in Python and JavaScript side by side.",
        // The real tasks and the model run without workers; only the comparisons need them.
        needs_threads: false,
        real: true,
        experiments: &[
            ExperimentInfo {
                id: "async-waits",
                summary: "N real waits on the page's own loop, against the same waits in turn and on threads",
                params: &[
                    int(
                        "tasks",
                        1,
                        event_loop::lab::MAX_TASKS as i64,
                        10,
                        "coroutines started",
                    ),
                    int(
                        "wait_ms",
                        0,
                        event_loop::lab::MAX_WAIT_MS as i64,
                        500,
                        "each round's awaited timer",
                    ),
                    int(
                        "cpu_ms",
                        0,
                        event_loop::lab::MAX_CPU_MS as i64,
                        0,
                        "computing before each wait",
                    ),
                    int(
                        "rounds",
                        1,
                        event_loop::lab::MAX_ROUNDS as i64,
                        1,
                        "compute-then-wait rounds per task",
                    ),
                    int(
                        "stagger_ms",
                        0,
                        event_loop::lab::MAX_STAGGER_MS as i64,
                        0,
                        "task i waits i × stagger_ms longer",
                    ),
                    choice(
                        "strategy",
                        &["gather", "first", "timeout"],
                        "wait for all, the first, or until timeout_ms",
                    ),
                    int(
                        "timeout_ms",
                        1,
                        event_loop::lab::MAX_TIMEOUT_MS as i64,
                        1000,
                        "deadline of the timeout strategy",
                    ),
                    flag(
                        "sequential",
                        true,
                        "also await the same tasks one after another",
                    ),
                    flag(
                        "threads",
                        true,
                        "also run them on worker threads (needs the pool)",
                    ),
                ],
                needs_threads: false,
                check: |json| {
                    check_with::<event_loop::lab::AsyncWaitsParams>("async-waits", json, |p| {
                        p.validate()
                    })
                },
            },
            ExperimentInfo {
                id: "block-loop",
                summary: "the same computing in one go, in chunks, or on a worker: frame gaps and long tasks",
                params: &[
                    int(
                        "work_ms",
                        1,
                        event_loop::lab::MAX_WORK_MS as i64,
                        1000,
                        "milliseconds of computing",
                    ),
                    choice(
                        "mode",
                        &["block", "chunked", "offload"],
                        "where the computing runs",
                    ),
                    int(
                        "chunk_ms",
                        1,
                        event_loop::lab::MAX_CHUNK_MS as i64,
                        5,
                        "slice between yields (mode chunked)",
                    ),
                ],
                needs_threads: false,
                check: |json| {
                    check_with::<event_loop::lab::BlockLoopParams>("block-loop", json, |p| {
                        p.validate()
                    })
                },
            },
            ExperimentInfo {
                id: "loop-model",
                summary: "a preset, or your own JavaScript, run to its end in the event-loop model",
                params: &[
                    text(
                        "preset",
                        64,
                        "preset id, e.g. print-sum (when source is empty)",
                    ),
                    int(
                        "max_steps",
                        1,
                        event_loop::DEFAULT_STEP_LIMIT as i64,
                        event_loop::DEFAULT_STEP_LIMIT as i64,
                        "step budget",
                    ),
                    choice("language", &["js", "python"], "which model runs source"),
                    text(
                        "source",
                        event_loop::lab::MAX_SOURCE_CHARS,
                        "your own program (the JavaScript subset in the README)",
                    ),
                ],
                needs_threads: false,
                check: |json| {
                    check_with::<event_loop::lab::LoopModelParams>("loop-model", json, |p| {
                        p.validate()
                    })
                },
            },
            ExperimentInfo {
                id: "js-real",
                summary: "your own JavaScript run for real by the browser's engine, in a Worker with a time limit",
                params: &[
                    text(
                        "source",
                        event_loop::lab::MAX_SOURCE_CHARS,
                        "the program (the same subset the model runs)",
                    ),
                    int(
                        "timeout_ms",
                        100,
                        event_loop::lab::MAX_REAL_MS as i64,
                        5000,
                        "the Worker is stopped after this long",
                    ),
                ],
                needs_threads: false,
                check: |json| {
                    check_with::<event_loop::lab::JsRealParams>("js-real", json, |p| p.validate())
                },
            },
        ],
    },
];

#[cfg(test)]
mod tests;
