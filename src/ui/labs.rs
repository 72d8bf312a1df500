//! The UI half of the lab registry: the page and the console runners of each lab declared in
//! [`crate::model::labs`], attached by id. Adding a lab here is one line in [`view`] and one
//! line per experiment in [`runner`]; a wasm test checks that every declared id has both.

pub mod cores;
pub mod event_loop;
pub mod explorer;
pub mod gil;
pub mod io;
pub mod processes;
pub mod shared_memory;

use crate::model::labs::{self as registry, parse};
use crate::runtime::labs::event_loop as event_loop_kernel;
use crate::runtime::labs::explorer as explorer_kernel;
use crate::runtime::labs::gil as gil_kernel;
use crate::runtime::labs::io as io_kernel;
use crate::runtime::labs::processes as processes_kernel;
use crate::runtime::labs::shared_memory::{deadlock, queue, race, semaphore, signals, starvation};
use crate::ui::boot::{boot, require_threads};
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use yew::{Html, html};

/// Runs an experiment from JSON parameters and resolves to its JSON report (console API).
pub type ConsoleRun = fn(String) -> LocalBoxFuture<'static, Result<String, String>>;

/// The page of lab `id`.
pub fn view(id: &str) -> Option<Html> {
    Some(match id {
        "cores" => html! { <cores::CoresLab /> },
        "shared-memory" => html! { <shared_memory::SharedMemoryLab /> },
        "gil" => html! { <gil::GilLab /> },
        "processes" => html! { <processes::ProcessesLab /> },
        "io" => html! { <io::IoLab /> },
        "explorer" => html! { <explorer::ExplorerLab /> },
        "event-loop" => html! { <event_loop::EventLoopLab /> },
        _ => return None,
    })
}

/// The console runner of experiment `id`: the same code path as the page's Run button.
pub fn runner(id: &str) -> Option<ConsoleRun> {
    let run: ConsoleRun = match id {
        "cores" => |json| console("cores", json, cores::run_report),
        "race" => |json| console("race", json, race::run),
        "deadlock" => |json| console("deadlock", json, deadlock::run),
        "semaphore" => |json| console("semaphore", json, semaphore::run),
        "signals" => |json| console("signals", json, signals::run),
        "queue" => |json| console("queue", json, queue::run),
        "starvation" => |json| console("starvation", json, starvation::run),
        "gil" => |json| console("gil", json, gil_kernel::run),
        "thread-count" => |json| console("thread-count", json, gil_kernel::thread_count),
        "sched-model" => |json| console("sched-model", json, gil::run_sched_model),
        "isolation" => |json| console("isolation", json, processes_kernel::isolation),
        "pool" => |json| console("pool", json, processes_kernel::pool_map),
        "crash" => |json| console("crash", json, processes_kernel::crash),
        "downloads" => |json| console("downloads", json, processes_kernel::downloads),
        "join-daemon" => |json| console("join-daemon", json, processes_kernel::join_daemon),
        "costs" => |json| console("costs", json, processes_kernel::costs),
        "thread-local" => |json| console("thread-local", json, processes_kernel::thread_local),
        "subprocess" => |json| console("subprocess", json, processes_kernel::subprocess),
        "process-loops" => |json| console("process-loops", json, processes_kernel::process_loops),
        "manager" => |json| console("manager", json, processes_kernel::manager),
        "io-models" => |json| console("io-models", json, io_kernel::io_models),
        "select-epoll" => |json| console("select-epoll", json, io_kernel::select_epoll),
        "explore" => |json| console("explore", json, explorer::run_search),
        "litmus-hw" => |json| console("litmus-hw", json, explorer_kernel::litmus_hw),
        "async-waits" => |json| console("async-waits", json, event_loop_kernel::async_waits),
        "block-loop" => |json| console("block-loop", json, event_loop::run_block_loop),
        "loop-model" => |json| console("loop-model", json, event_loop::run_loop_model),
        "js-real" => |json| console("js-real", json, event_loop_kernel::js_real),
        _ => return None,
    };
    Some(run)
}

/// The one shape of a console experiment: check the JSON against the experiment's parameter
/// definitions and parse it into `P`, wait for the pool's start-up to settle (and demand it
/// where the experiment needs threads), run, and serialise the report.
pub fn console<P, R, Fut>(
    id: &'static str,
    json: String,
    run: impl FnOnce(P) -> Fut + 'static,
) -> LocalBoxFuture<'static, Result<String, String>>
where
    P: DeserializeOwned + Default + 'static,
    R: Serialize,
    Fut: Future<Output = Result<R, String>> + 'static,
{
    async move {
        let params: P = parse(id, &json)?;
        if registry::experiment(id).is_some_and(|e| e.needs_threads) {
            require_threads().await?;
        } else {
            // Resolves at once without isolation; labs that can use workers then find them.
            boot().await;
        }
        let report = run(params).await?;
        serde_json::to_string(&report).map_err(|e| e.to_string())
    }
    .boxed_local()
}
