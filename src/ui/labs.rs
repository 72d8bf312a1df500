//! The lab registry: one entry per lab page drives the navigation and the home page; its
//! experiments are what `window.lab.labs()` lists and `window.lab.run(id, params)` runs.

pub mod cores;
pub mod event_loop;
pub mod explorer;
pub mod shared_memory;

use crate::model::params::parse_json;
use crate::ui::boot::require_threads;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use yew::{Html, html};

/// Runs a lab from JSON parameters and resolves to its JSON result (console API).
pub type ConsoleRun = fn(String) -> LocalBoxFuture<'static, Result<String, String>>;

/// Something the console can run: `window.lab.run(id, params)`.
pub struct Experiment {
    /// Stable id, documented in the README.
    pub id: &'static str,
    pub run: ConsoleRun,
}

/// One lab page as the shell and the console see it.
pub struct Lab {
    /// Stable id used in URLs (`#/cores`).
    pub id: &'static str,
    pub title: &'static str,
    pub title_zh: &'static str,
    pub summary: &'static str,
    /// The notes' concepts this lab makes runnable.
    pub concepts: &'static [&'static str],
    /// Needs real worker threads (and so cross-origin isolation).
    pub needs_threads: bool,
    /// Runs for real (true) or is a step-through model (false); shown as a badge.
    pub real: bool,
    pub view: fn() -> Html,
    /// What this page offers to the console (often one, sometimes several).
    pub experiments: &'static [Experiment],
}

/// The console path every threaded experiment shares: parse the JSON into the lab's
/// parameter type (unknown fields and bad values are rejected by it), wait for the pool,
/// run exactly what the UI runs, and serialise the report.
pub fn console<P, R, Fut>(
    lab: &'static str,
    json: String,
    run: impl FnOnce(P) -> Fut + 'static,
) -> LocalBoxFuture<'static, Result<String, String>>
where
    P: DeserializeOwned + Default + 'static,
    R: Serialize,
    Fut: Future<Output = Result<R, String>> + 'static,
{
    async move {
        let params: P = parse_json(lab, &json)?;
        require_threads().await?;
        let report = run(params).await?;
        serde_json::to_string(&report).map_err(|e| e.to_string())
    }
    .boxed_local()
}

/// Every lab, in menu order.
pub fn all() -> &'static [Lab] {
    &LABS
}

/// The lab page with this id.
pub fn find(id: &str) -> Option<&'static Lab> {
    LABS.iter().find(|lab| lab.id == id)
}

/// Every experiment id, in menu order (what `window.lab.labs()` returns).
pub fn experiment_ids() -> Vec<&'static str> {
    LABS.iter()
        .flat_map(|lab| lab.experiments.iter().map(|e| e.id))
        .collect()
}

/// The experiment with this id.
pub fn experiment(id: &str) -> Option<&'static Experiment> {
    LABS.iter()
        .flat_map(|lab| lab.experiments.iter())
        .find(|e| e.id == id)
}

static LABS: [Lab; 4] = [
    Lab {
        id: "cores",
        title: "Cores & parallelism",
        title_zh: "多核与并行",
        summary: "Render the same image on 1, 2 … N real threads. Watch each worker's timeline, \
                  measure the speedup and see concurrency (taking turns) next to parallelism (at once).",
        concepts: &[
            "process vs thread",
            "concurrency vs parallelism",
            "CPU-bound work",
            "CPU use ≈ N × 100 %",
        ],
        needs_threads: true,
        real: true,
        view: || html! { <cores::CoresLab /> },
        experiments: &[Experiment {
            id: "cores",
            run: |json| console("cores", json, cores::run_report),
        }],
    },
    Lab {
        id: "shared-memory",
        title: "Races, locks & signals",
        title_zh: "竞态、锁与同步",
        summary: "Lose updates on a shared balance, deadlock two threads and watch the watchdog name the \
                  cycle, bound a section with a semaphore, signal with events and conditions, and feed a \
                  bounded queue.",
        concepts: &[
            "race condition",
            "Lock / RLock",
            "deadlock",
            "Semaphore",
            "Event / Condition / Barrier",
            "Queue",
        ],
        needs_threads: true,
        real: true,
        view: || html! { <shared_memory::SharedMemoryLab /> },
        experiments: &[
            Experiment {
                id: "race",
                run: |json| console("race", json, crate::runtime::race::run),
            },
            Experiment {
                id: "deadlock",
                run: |json| console("deadlock", json, crate::runtime::deadlock::run),
            },
            Experiment {
                id: "semaphore",
                run: |json| console("semaphore", json, crate::runtime::semaphore::run),
            },
            Experiment {
                id: "signals",
                run: |json| console("signals", json, crate::runtime::signals::run),
            },
            Experiment {
                id: "queue",
                run: |json| console("queue", json, crate::runtime::queue::run),
            },
        ],
    },
    Lab {
        id: "explorer",
        title: "Interleaving explorer",
        title_zh: "交错执行",
        summary: "Be the scheduler: run two threads' atomic steps in any order and watch \
                  balance = balance + n lose an update. Then let a model checker try every \
                  schedule, list every ending and replay any of them.",
        concepts: &[
            "race condition",
            "atomic steps",
            "lock, RLock, deadlock",
            "every interleaving",
        ],
        needs_threads: false,
        real: false,
        view: || html! { <explorer::ExplorerLab /> },
        experiments: &[Experiment {
            id: "explore",
            run: explorer::console_run,
        }],
    },
    Lab {
        id: "event-loop",
        title: "Event loop",
        title_zh: "事件循环",
        summary: "asyncio and JavaScript run many tasks on one thread. Start N waits on this page's own \
                  event loop, block the loop and watch the page freeze, then step through a model of the \
                  loop's queues in Python and JavaScript side by side.",
        concepts: &[
            "coroutines and async/await",
            "one thread, many waits",
            "a blocked loop",
            "microtasks vs macrotasks",
            "generators, greenlet, gevent",
        ],
        // The real tasks and the model run without workers; only the comparisons need them.
        needs_threads: false,
        real: true,
        view: || html! { <event_loop::EventLoopLab /> },
        experiments: &[
            Experiment {
                id: "async-waits",
                run: event_loop::console_async_waits,
            },
            Experiment {
                id: "block-loop",
                run: event_loop::console_block_loop,
            },
            Experiment {
                id: "loop-model",
                run: event_loop::console_loop_model,
            },
        ],
    },
];
