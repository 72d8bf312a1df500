//! The lab registry: one entry per lab page drives the navigation and the home page; its
//! experiments are what `window.lab.labs()` lists and `window.lab.run(id, params)` runs.

pub mod cores;
pub mod explorer;

use futures::future::LocalBoxFuture;
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

static LABS: [Lab; 2] = [
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
            run: cores::console_run,
        }],
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
];
