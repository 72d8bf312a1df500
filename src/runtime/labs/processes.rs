//! The processes lab for real: processes with their own memory ([`crate::runtime::process`])
//! against threads sharing the page's memory, a process `Pool`, crashes, thread-local
//! storage and the measured cost table.
//!
//! Page-side functions are futures that only start processes, post messages and await
//! answers; what blocks (a timed wait, a thread pool) runs inside a process or on the pool.

use crate::model::labs::processes::downloads as model_downloads;
use crate::model::labs::processes::loops::{LoopsParams, LoopsReport, LoopsRun, RequestTimes};
use crate::model::labs::processes::manager::{ManagerParams, ManagerReport, WORKERS, WorkerCalls};
use crate::model::labs::processes::subprocess::{
    ChildEvent, ChildOutput, RunningTotal, SubprocessParams, SubprocessReport,
    report as subprocess_report,
};
use crate::model::labs::processes::{
    CRASH_TASKS, CRASH_THREADS, CRASHING_TASK, CRASHING_THREAD, CostRow, CostsParams, CostsReport,
    CrashMode, CrashParams, CrashReport, IsolationParams, IsolationReport, PoolBook, PoolCallback,
    PoolParams, PoolReport, Submit, TaskResult, ThreadLocalParams, ThreadLocalReport, TransferRow,
    greeting, pool_expected_ms, task_error, task_input, task_output, verdicts,
};
use crate::model::labs::processes::{
    DownloadsParams, DownloadsReport, JoinDaemonParams, JoinDaemonReport, StrategyRun, ThreadInfo,
    expected_ms, join_daemon_threads,
};
use crate::model::thread_state::thread_name;
use crate::runtime::cancel::{self, RunToken};
use crate::runtime::labs::gil;
use crate::runtime::process::{self, Process, Task};
use crate::runtime::sync::{self, Barrier, park, park_until, wake};
use crate::runtime::{clock, crash, env, pool};
use futures::FutureExt;
use futures::channel::{mpsc, oneshot};
use futures::future::{join_all, try_join_all};
use futures::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use wasm_bindgen::JsValue;

/// The one global counter of the isolation demo: each process has its own copy of it.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Longest a single task may take beyond its own wait before the page gives up on it.
const TASK_SLACK_MS: u32 = 15_000;
/// Deadline of every wait inside the thread demos.
const WAIT_TIMEOUT_MS: f64 = 5_000.0;

// ---- tasks a process runs (looked up by `process::process_task`) ----

/// The task `kind` a process can run.
pub fn task(kind: &str) -> Option<Task> {
    let task: Task = match kind {
        "count" => |input| count(input.to_string()).boxed_local(),
        "square" => |input| square(input.to_string()).boxed_local(),
        "crash-thread" => |input| crash_thread(input.to_string()).boxed_local(),
        // A request's computing in `process-loops`.
        "compute" => |input| compute(input.to_string()).boxed_local(),
        // The child program of `subprocess`, a line of its stdin at a time.
        "child-start" => |input| child_start(input.to_string()).boxed_local(),
        "child-line" => |input| child_line(input.to_string()).boxed_local(),
        "child-end" => |_| child_end().boxed_local(),
        // The GIL lab's `processes` rule runs its interpreter in real processes.
        "gil-warm" => |input| gil::process_warm_up(input.to_string()).boxed_local(),
        "gil-interpret" => |input| gil::process_interpret(input.to_string()).boxed_local(),
        _ => return None,
    };
    Some(task)
}

/// Adds 1 to this process's `COUNTER` `increments` times and returns what it reads.
async fn count(input: String) -> Result<String, String> {
    let increments: u64 = input.parse().map_err(|_| "count: bad input")?;
    for _ in 0..increments {
        COUNTER.fetch_add(1, Ordering::Relaxed);
    }
    Ok(COUNTER.load(Ordering::Relaxed).to_string())
}

/// One pool task as the page sends it.
#[derive(Serialize, Deserialize)]
struct SquareTask {
    input: u64,
    wait_ms: u32,
    /// Panic instead of answering: the process crashes under the task.
    panic: bool,
    /// Raise instead of answering: the task fails, its process lives on.
    #[serde(default)]
    raise: bool,
}

/// Waits `wait_ms` for real (a timed wait in the process's own thread), then squares.
async fn square(input: String) -> Result<String, String> {
    let task: SquareTask = serde_json::from_str(&input).map_err(|e| e.to_string())?;
    sync::sleep_worker(f64::from(task.wait_ms), cancel::issue()).map_err(|e| e.to_string())?;
    if task.panic {
        panic!(
            "task with input {} panicked in process {}",
            task.input,
            process::own_pid()
        );
    }
    if task.raise {
        return Err(task_error(task.input));
    }
    Ok(task_output(task.input).to_string())
}

/// In a process with its own threads: each thread works, one panics. The process learns of
/// it (its threads share its memory, so the crash flag too) and exits with all its threads.
async fn crash_thread(input: String) -> Result<String, String> {
    let threads: u32 = input.parse().map_err(|_| "crash-thread: bad input")?;
    let finished = pool::submit(move |token| {
        sync::run_actors(threads, token, false, |actor| {
            let _ = actor.sleep(50.0, 0);
            if actor.index == CRASHING_THREAD {
                panic!(
                    "thread {} of process {} panicked",
                    thread_name(actor.index),
                    process::own_pid()
                );
            }
            let _ = actor.sleep(400.0, 0);
        })
        .len()
    })
    .await?;
    Ok(finished.to_string())
}

/// Computes for `input` ms on the calling thread (a request's CPU part): sums a sequence,
/// checking the clock every 1024 steps, and returns how many steps it took.
async fn compute(input: String) -> Result<String, String> {
    let ms: f64 = input.parse().map_err(|_| "compute: bad input")?;
    let until = clock::now_ms() + ms;
    let (mut steps, mut sum) = (0u64, 0u64);
    while clock::now_ms() < until {
        for _ in 0..1024 {
            steps += 1;
            sum = sum.wrapping_add(steps.wrapping_mul(steps) ^ (sum >> 3));
        }
    }
    Ok(format!("{steps} {}", std::hint::black_box(sum) & 1))
}

/// The one child program `subprocess` starts (Python's `child.py`).
const CHILD_PROGRAM: &str = "running-total";

thread_local! {
    /// The child program's state, in the child process's own memory.
    static CHILD: RefCell<Option<RunningTotal>> = const { RefCell::new(None) };
}

fn child_answer(output: Option<ChildOutput>) -> Result<String, String> {
    let output = output.ok_or("the child program has not started")?;
    serde_json::to_string(&output).map_err(|e| e.to_string())
}

async fn child_start(program: String) -> Result<String, String> {
    if program != CHILD_PROGRAM {
        return Err(format!("no child program named '{program}'"));
    }
    CHILD.with(|child| *child.borrow_mut() = Some(RunningTotal::default()));
    child_answer(Some(ChildOutput::default()))
}

async fn child_line(line: String) -> Result<String, String> {
    child_answer(CHILD.with(|child| child.borrow_mut().as_mut().map(|c| c.line(&line))))
}

async fn child_end() -> Result<String, String> {
    child_answer(CHILD.with(|child| child.borrow().as_ref().map(RunningTotal::end)))
}

// ---- page side ----

fn terminate_all(processes: &[Process]) {
    for process in processes {
        process.terminate();
    }
}

/// `run("isolation")`: the same global counter in two processes and on two threads.
pub async fn isolation(params: IsolationParams) -> Result<IsolationReport, String> {
    params.validate()?;
    COUNTER.store(0, Ordering::Relaxed);
    let processes = Process::spawn_many("counter", 2, 0).await?;
    let input = params.increments.to_string();
    let counted = try_join_all(
        processes
            .iter()
            .map(|p| p.call("count", &input, TASK_SLACK_MS)),
    )
    .await;
    let pids = processes.iter().map(Process::pid).collect();
    terminate_all(&processes);
    let process_counters = counted?
        .iter()
        .map(|text| text.parse::<u64>().map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let page_counter = COUNTER.load(Ordering::Relaxed);
    let increments = u64::from(params.increments);
    let thread_counter = pool::submit(move |token| {
        sync::run_actors(2, token, false, |_| {
            for _ in 0..increments {
                COUNTER.fetch_add(1, Ordering::Relaxed);
            }
        });
        COUNTER.load(Ordering::Relaxed)
    })
    .await?;
    Ok(IsolationReport {
        process_counters,
        page_counter,
        thread_counter,
        increments: params.increments,
        pids,
    })
}

/// What a pool task does after its wait.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Answer,
    /// Its function raises; the process lives on.
    Raise,
    /// Its process crashes under it.
    Panic,
}

/// One task of a pool run: its input, its wait and its fate.
fn square_task(index: u32, wait_ms: u32, fate: Fate) -> String {
    serde_json::to_string(&SquareTask {
        input: task_input(index),
        wait_ms,
        panic: fate == Fate::Panic,
        raise: fate == Fate::Raise,
    })
    .unwrap_or_default()
}

/// What a pool run leaves behind: the book, and the wall and start-up times.
struct PoolRun {
    book: PoolBook,
    ms: f64,
    start_ms: f64,
}

/// `Pool(processes).map(square, tasks)`: each process takes the next task when it is free;
/// a process that crashes fails its task and is replaced; `close` and `join` at the end.
/// `on_result` runs in the page as each answer arrives, as `apply_async`'s callbacks run in
/// the parent's result-handler thread.
async fn run_pool(
    processes: u32,
    waits_ms: &[u32],
    fate: impl Fn(u32) -> Fate,
    on_result: impl Fn(&TaskResult),
    token: RunToken,
) -> Result<PoolRun, String> {
    let tasks = waits_ms.len() as u32;
    let started = clock::now_ms();
    let workers = Process::spawn_many("pool-worker", processes, 0).await?;
    let start_ms = clock::now_ms() - started;
    let book = Rc::new(RefCell::new(PoolBook::new(tasks)));
    let plan: Vec<(String, u32)> = (0..tasks)
        .map(|i| {
            let wait = waits_ms[i as usize];
            (square_task(i, wait, fate(i)), wait)
        })
        .collect();
    let plan = Rc::new(plan);
    let loops = workers.into_iter().map(|first| {
        let (book, plan, on_result) = (book.clone(), plan.clone(), &on_result);
        async move {
            let mut process = first;
            let outcome = loop {
                if token.is_cancelled() {
                    break Err("cancelled".to_string());
                }
                let pid = process.pid();
                // close() then join(): a worker with nothing left to take exits.
                let Some(task) = book.borrow_mut().take(pid) else {
                    break Ok(());
                };
                let (input, wait) = &plan[task as usize];
                let answer = process.call("square", input, wait + TASK_SLACK_MS).await;
                let done_ms = clock::now_ms() - started;
                let recorded =
                    match answer.and_then(|t| t.parse::<u64>().map_err(|e| e.to_string())) {
                        Ok(value) => book.borrow_mut().done(task, pid, value, done_ms),
                        Err(error) => {
                            let crashed = !process.alive();
                            book.borrow_mut().failed(task, pid, error, crashed, done_ms)
                        }
                    };
                match recorded {
                    Ok(result) => on_result(&result),
                    Err(error) => break Err(error),
                }
                if !process.alive() {
                    // A crashed worker is replaced, as multiprocessing.Pool does.
                    match Process::spawn("pool-worker", 0).await {
                        Ok(fresh) => process = fresh,
                        Err(error) => break Err(error),
                    }
                }
            };
            process.terminate();
            outcome
        }
    });
    let outcomes = join_all(loops).await;
    outcomes.into_iter().collect::<Result<Vec<()>, String>>()?;
    let book = Rc::try_unwrap(book)
        .map_err(|_| "the pool's book is still shared".to_string())?
        .into_inner();
    Ok(PoolRun {
        book,
        ms: clock::now_ms() - started,
        start_ms,
    })
}

/// `run("pool")`: `map`, or `apply_async` with a callback and an error callback per task.
pub async fn pool_map(params: PoolParams) -> Result<PoolReport, String> {
    params.validate()?;
    let fate = |i| {
        if params.fails(i) {
            Fate::Raise
        } else {
            Fate::Answer
        }
    };
    let calls = RefCell::new(Vec::<PoolCallback>::new());
    let start = clock::now_ms();
    // The callbacks: the page's own closures, called as each answer arrives.
    let on_result = |r: &TaskResult| {
        if params.submit == Submit::ApplyAsync {
            calls.borrow_mut().push(PoolCallback {
                task: r.task,
                kind: if r.error.is_some() {
                    "error_callback"
                } else {
                    "callback"
                }
                .into(),
                value: r.value,
                error: r.error.clone(),
                at_ms: clock::now_ms() - start,
            });
        }
    };
    let waits = params.waits_ms();
    let run = run_pool(params.processes, &waits, fate, on_result, cancel::issue()).await?;
    let results = run.book.results();
    let done_at =
        |pick: fn(f64, f64) -> f64, from: f64| results.iter().map(|r| r.done_ms).fold(from, pick);
    Ok(PoolReport {
        results_in_order: run.book.values_in_order(),
        ms: run.ms,
        start_ms: run.start_ms,
        arrival_order: run.book.arrival_order().to_vec(),
        processes: params.processes,
        task_ms: params.task_ms,
        restarted: run.book.restarted(),
        submit: params.submit,
        map_raised: (params.submit == Submit::Map)
            .then(|| run.book.first_error())
            .flatten(),
        callbacks: calls.into_inner(),
        first_result_ms: done_at(f64::min, f64::INFINITY),
        last_result_ms: done_at(f64::max, 0.0),
        expected_ms: pool_expected_ms(&waits, params.processes),
        results,
    })
}

/// Whether the page still answers: a task on its own event loop runs, and nothing in the
/// page's memory has panicked.
async fn page_answers() -> bool {
    let (sender, receiver) = oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = sender.send(());
    });
    receiver.await.is_ok() && crash::message().is_none()
}

/// `run("crash")`.
pub async fn crash(params: CrashParams) -> Result<CrashReport, String> {
    match params.mode {
        CrashMode::Process => {
            let waits = [50; CRASH_TASKS as usize];
            let fate = |i| {
                if i == CRASHING_TASK {
                    Fate::Panic
                } else {
                    Fate::Answer
                }
            };
            let run = run_pool(2, &waits, fate, |_| {}, cancel::issue()).await?;
            let results = run.book.results();
            let exit_message = results
                .iter()
                .find_map(|r| r.error.clone())
                .unwrap_or_default();
            Ok(CrashReport {
                mode: params.mode,
                crashed: run.book.restarted(),
                completed_tasks: results.iter().filter(|r| r.value.is_some()).count() as u32,
                total_tasks: CRASH_TASKS,
                page_alive: page_answers().await,
                restarted: run.book.restarted(),
                threads_lost: 0,
                exit_message,
                results,
            })
        }
        CrashMode::Thread => {
            let process = Process::spawn("threaded", CRASH_THREADS).await?;
            let answer = process
                .call("crash-thread", &CRASH_THREADS.to_string(), TASK_SLACK_MS)
                .await;
            let exited = process.join(2_000).await;
            process.terminate();
            let exit_message = match &answer {
                Ok(_) => String::new(),
                Err(error) => error.clone(),
            };
            Ok(CrashReport {
                mode: params.mode,
                crashed: u32::from(exited && answer.is_err()),
                completed_tasks: u32::from(answer.is_ok()) * CRASH_THREADS,
                total_tasks: CRASH_THREADS,
                page_alive: page_answers().await,
                restarted: 0,
                threads_lost: if exited { CRASH_THREADS } else { 0 },
                exit_message,
                results: Vec::new(),
            })
        }
    }
}

/// `run("downloads")`: the notes' download examples, with their seconds as real waits.
pub async fn downloads(params: DownloadsParams) -> Result<DownloadsReport, String> {
    params.validate()?;
    let files = model_downloads(&params);
    let two: Vec<u32> = files.iter().take(2).map(|f| f.ms).collect();
    let download = |index: usize, ms: u32| square_task(index as u32, ms, Fate::Answer);
    let mut strategies = Vec::new();
    let mut record = |name: &str, count: usize, ms: f64, start_ms: f64| {
        strategies.push(StrategyRun {
            name: name.to_string(),
            files: count as u32,
            ms,
            expected_ms: expected_ms(name, &files[..count]),
            start_ms,
        });
    };

    // Sequential: one process downloads one file after the other.
    let single = Process::spawn("download", 0).await?;
    let start = clock::now_ms();
    let mut outcome = Ok(());
    for (index, ms) in two.iter().enumerate() {
        if let Err(error) = single
            .call("square", &download(index, *ms), ms + TASK_SLACK_MS)
            .await
        {
            outcome = Err(error);
            break;
        }
    }
    single.terminate();
    outcome?;
    record("sequential", 2, clock::now_ms() - start, 0.0);

    // Two Process objects started, then both joined; their start-up counts, as in the notes.
    let start = clock::now_ms();
    let pair = Process::spawn_many("download", 2, 0).await?;
    let start_ms = clock::now_ms() - start;
    let joined = try_join_all(pair.iter().zip(&two).enumerate().map(|(index, (p, ms))| {
        let input = download(index, *ms);
        async move { p.call("square", &input, ms + TASK_SLACK_MS).await }
    }))
    .await;
    terminate_all(&pair);
    joined?;
    record("processes", 2, clock::now_ms() - start, start_ms);

    // Pool(5) over all five files.
    let waits: Vec<u32> = files.iter().map(|f| f.ms).collect();
    let run = run_pool(5, &waits, |_| Fate::Answer, |_| {}, cancel::issue()).await?;
    record("pool", 5, run.ms, run.start_ms);

    // Two threads of the page's process, each waiting for its file.
    let waits_two = two.clone();
    let threads_ms = pool::submit(move |token| {
        let start = clock::now_ms();
        let waited = sync::run_actors(2, token, false, |actor| {
            sync::sleep_worker(f64::from(waits_two[actor.index as usize]), token)
        });
        waited
            .into_iter()
            .collect::<Result<Vec<()>, _>>()
            .map(|_| clock::now_ms() - start)
            .map_err(|e| e.to_string())
    })
    .await??;
    record("threads", 2, threads_ms, 0.0);

    // Two coroutines on the page's own event loop.
    let start = clock::now_ms();
    join_all(
        two.iter()
            .map(|ms| gloo::timers::future::TimeoutFuture::new(*ms)),
    )
    .await;
    record("coroutines", 2, clock::now_ms() - start, 0.0);

    Ok(DownloadsReport { files, strategies })
}

/// `run("join-daemon")`: a main thread starts a worker and a daemon, joins the worker with a
/// timeout (it returns while the worker is still alive), and ends; the program waits for the
/// worker, not for the daemon. A browser cannot kill a thread, so the daemon checks, every
/// 10 ms round, whether the program has ended, as the interpreter's exit would stop it.
pub async fn join_daemon(params: JoinDaemonParams) -> Result<JoinDaemonReport, String> {
    params.validate()?;
    let names = join_daemon_threads(params.work_ms);
    pool::submit(move |token| {
        let worker_done = AtomicI32::new(0);
        let program_over = AtomicI32::new(0);
        let start = clock::now_ms();
        let since = move || clock::now_ms() - start;
        // `threading._active`: each thread enters its ident as it starts and leaves as it
        // ends; `current_thread()` looks the caller's ident up. Workers only.
        let active: Mutex<Vec<(u32, &'static str)>> = Mutex::new(Vec::new());
        let current_thread = || {
            let ident = pool::worker_index();
            let table = active.lock().unwrap_or_else(|e| e.into_inner());
            table
                .iter()
                .find(|(i, _)| *i == ident)
                .map_or("<unknown>", |(_, name)| *name)
                .to_string()
        };
        let results = sync::run_actors(3, token, false, |actor| {
            let ident = pool::worker_index();
            let name = names[actor.index as usize].0;
            active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((ident, name));
            let figures = join_daemon_thread(actor, &params, &worker_done, &program_over, since);
            let seen = current_thread();
            active
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|(i, _)| *i != ident);
            figures.map(|f| (f, ident, seen))
        });
        let mut results = results.into_iter();
        let mut next = || {
            results
                .next()
                .unwrap_or_else(|| Err("a thread is missing".into()))
        };
        let (main, worker, daemon) = (next()?, next()?, next()?);
        let threads = [&main, &worker, &daemon]
            .iter()
            .zip(names.iter())
            .map(|((_, ident, seen), (name, target, daemon))| ThreadInfo {
                name: (*name).into(),
                target: target.clone(),
                daemon: *daemon,
                ident: *ident,
                current_thread: seen.clone(),
            })
            .collect();
        let (main, worker, daemon) = (main.0, worker.0, daemon.0);
        Ok::<_, String>(JoinDaemonReport {
            join_returned_ms: main[0],
            alive_after_join: main[1] > 0.0,
            worker_finished_ms: worker[0],
            program_exit_ms: main[2],
            daemon_rounds: daemon[0] as u32,
            daemon_finished: daemon[1] > 0.0,
            work_ms: params.work_ms,
            join_timeout_ms: params.join_timeout_ms,
            threads,
        })
    })
    .await?
}

/// The body of `join-daemon`'s thread `actor.index` (0 main, 1 worker, 2 daemon): its
/// figures, ms after the start.
fn join_daemon_thread(
    actor: sync::Actor,
    params: &JoinDaemonParams,
    worker_done: &AtomicI32,
    program_over: &AtomicI32,
    since: impl Fn() -> f64,
) -> Result<[f64; 3], String> {
    match actor.index {
        // Main: join(timeout), is_alive(), then the end of the program.
        0 => {
            let deadline = clock::now_ms() + f64::from(params.join_timeout_ms);
            let _ = park(worker_done, 0, deadline, actor, false);
            let joined_at = since();
            let alive = worker_done.load(Ordering::Acquire) == 0;
            // The interpreter waits for every non-daemon thread before it exits.
            let deadline = clock::now_ms() + f64::from(params.work_ms) + WAIT_TIMEOUT_MS;
            park_until(worker_done, deadline, actor, |done| done != 0)
                .map_err(|e| e.to_string())?;
            let exit_at = since();
            program_over.store(1, Ordering::Release);
            Ok([joined_at, f64::from(u8::from(alive)), exit_at])
        }
        // The worker: real work (a timed wait), then done.
        1 => {
            actor
                .sleep(f64::from(params.work_ms), 0)
                .map_err(|e| e.to_string())?;
            let finished_at = since();
            worker_done.store(1, Ordering::Release);
            wake(worker_done, u32::MAX);
            Ok([finished_at, 0.0, 0.0])
        }
        // The daemon: a job three times the worker's, in 10 ms rounds, stopped
        // when the program ends (whether it got to finish is measured, not assumed).
        _ => {
            let job_rounds = params.work_ms * 3 / 10;
            let mut rounds = 0u32;
            while rounds < job_rounds && program_over.load(Ordering::Acquire) == 0 {
                actor.sleep(10.0, 0).map_err(|e| e.to_string())?;
                rounds += 1;
            }
            Ok([
                f64::from(rounds),
                f64::from(u8::from(rounds == job_rounds)),
                0.0,
            ])
        }
    }
}

/// `run("subprocess")`: `Popen(child, stdin=PIPE, stdout=PIPE, stderr=PIPE)` for real. The
/// child is a process of its own (a fresh instance and memory) running the running-total
/// program; the parent writes its stdin a line at a time, closes it, and waits for the exit.
pub async fn subprocess(params: SubprocessParams) -> Result<SubprocessReport, String> {
    params.validate()?;
    let token = cancel::issue();
    let lines = params.lines();
    let start = clock::now_ms();
    let child = Process::spawn("child", 0).await?;
    let started_ms = clock::now_ms() - start;
    let fed = feed_child(&child, &lines, params.interval_ms, token).await;
    // The child has exited (or the run failed): either way its Worker goes.
    child.terminate();
    let events: Vec<ChildEvent> = serde_json::from_str(&fed?).map_err(|e| e.to_string())?;
    let events: Vec<ChildEvent> = events
        .into_iter()
        .map(|e| ChildEvent {
            at_ms: e.at_ms - start,
            ..e
        })
        .collect();
    subprocess_report(child.pid(), params.interval_ms, started_ms, &events)
}

async fn feed_child(
    child: &Process,
    lines: &[String],
    interval_ms: u32,
    token: RunToken,
) -> Result<String, String> {
    let budget = interval_ms * lines.len() as u32 + TASK_SLACK_MS;
    let pipe = child.popen(CHILD_PROGRAM, budget).await?;
    for line in lines {
        if interval_ms > 0 {
            gloo::timers::future::TimeoutFuture::new(interval_ms).await;
        }
        if token.is_cancelled() {
            return Err("cancelled".into());
        }
        pipe.write(line);
    }
    pipe.close();
    pipe.exited().await
}

/// Increments each worker makes per request, so a run can stop between two batches.
const MANAGER_BATCH: u32 = 100;

/// `run("manager")`: a manager process serves a dict and a lock to two worker processes,
/// which increment `d["n"]` through proxies, with or without the lock.
pub async fn manager(params: ManagerParams) -> Result<ManagerReport, String> {
    params.validate()?;
    let token = cancel::issue();
    let processes = Process::spawn_many("manager", 1 + WORKERS, 0).await?;
    let outcome = manager_run(&processes, &params, token).await;
    terminate_all(&processes);
    outcome
}

async fn manager_run(
    processes: &[Process],
    params: &ManagerParams,
    token: RunToken,
) -> Result<ManagerReport, String> {
    let (server, workers) = processes.split_first().ok_or("no manager process")?;
    let names: Vec<String> = (0..workers.len()).map(|i| format!("proxy-{i}")).collect();
    for (worker, name) in workers.iter().zip(&names) {
        process::connect(server, worker, name);
    }
    let list = js_sys::Array::new();
    names.iter().for_each(|n| {
        list.push(&n.into());
    });
    server
        .request("manager-serve", &[("names", list.into())], TASK_SLACK_MS)
        .await?;
    let mut calls = vec![WorkerCalls::default(); workers.len()];
    let start = clock::now_ms();
    let mut left = params.increments;
    while left > 0 {
        if token.is_cancelled() {
            return Err("cancelled".into());
        }
        let batch = left.min(MANAGER_BATCH);
        left -= batch;
        let answers = try_join_all(workers.iter().zip(&names).map(|(worker, name)| {
            let fields = [
                ("name", JsValue::from(name.as_str())),
                ("increments", batch.into()),
                ("lock", params.lock.into()),
            ];
            async move { worker.request("manager-work", &fields, 30_000).await }
        }))
        .await?;
        for ((total, answer), worker) in calls.iter_mut().zip(answers).zip(workers) {
            let part: WorkerCalls = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
            total.pid = worker.pid();
            total.calls += part.calls;
            total.ms += part.ms;
        }
    }
    let ms = clock::now_ms() - start;
    #[derive(Deserialize)]
    struct Served {
        n: u64,
        served: u64,
    }
    let read = server.request("manager-read", &[], TASK_SLACK_MS).await?;
    let served: Served = serde_json::from_str(&read).map_err(|e| e.to_string())?;
    Ok(ManagerReport::new(
        params,
        served.n,
        server.pid(),
        calls,
        served.served,
        ms,
    ))
}

/// `run("process-loops")`: the same requests served by one process's event loop, then by
/// `processes` processes with a loop each. Processes start before the clock does.
pub async fn process_loops(params: LoopsParams) -> Result<LoopsReport, String> {
    params.validate()?;
    let token = cancel::issue();
    let cores = env::hardware_concurrency();
    let one_loop = loops_run(1, &params, cores, token).await?;
    if token.is_cancelled() {
        return Err("cancelled".into());
    }
    let many_loops = loops_run(params.processes, &params, cores, token).await?;
    Ok(LoopsReport::new(one_loop, many_loops, cores, &params))
}

async fn loops_run(
    count: u32,
    params: &LoopsParams,
    cores: u32,
    token: RunToken,
) -> Result<LoopsRun, String> {
    let processes = Process::spawn_many("loop", count, 0).await?;
    let served = serve_requests(&processes, params, token).await;
    terminate_all(&processes);
    let (start, answers) = served?;
    let origin = clock::page_time_origin();
    let mut requests = Vec::new();
    for (process, answer) in answers.iter().enumerate() {
        let times: Vec<[f64; 3]> = serde_json::from_str(answer).map_err(|e| e.to_string())?;
        requests.extend(times.into_iter().map(|[s, w, e]| RequestTimes {
            process: process as u32,
            start_ms: s - origin - start,
            waited_ms: w - origin - start,
            end_ms: e - origin - start,
        }));
    }
    let ms = requests.iter().map(|r| r.end_ms).fold(0.0, f64::max);
    Ok(LoopsRun {
        processes: count,
        ms,
        expected_ms: params.expected_ms(count, cores),
        requests,
    })
}

/// Warms each process up (one short computation, untimed), then sends every process its
/// share at once. Returns the start on the page's clock and each process's stamps.
async fn serve_requests(
    processes: &[Process],
    params: &LoopsParams,
    token: RunToken,
) -> Result<(f64, Vec<String>), String> {
    try_join_all(
        processes
            .iter()
            .map(|p| p.call("compute", "5", TASK_SLACK_MS)),
    )
    .await?;
    if token.is_cancelled() {
        return Err("cancelled".into());
    }
    let budget = params.wait_ms + params.requests * params.cpu_ms + TASK_SLACK_MS;
    let shares = params.shares(processes.len() as u32);
    let start = clock::now_ms();
    let answers = try_join_all(
        processes
            .iter()
            .zip(shares)
            .map(|(process, share)| async move {
                let fields = [
                    ("count", share.into()),
                    ("waitMs", params.wait_ms.into()),
                    ("cpuMs", params.cpu_ms.into()),
                ];
                process.request("loop-requests", &fields, budget).await
            }),
    )
    .await?;
    Ok((start, answers))
}

thread_local! {
    /// `threading.local()`: one slot per thread, invisible to the others.
    static GREETING: RefCell<String> = const { RefCell::new(String::new()) };
}

/// `run("thread-local")`: each thread stores its greeting three ways, waits for all the
/// others to store theirs, then reads all three back.
pub async fn thread_local(params: ThreadLocalParams) -> Result<ThreadLocalReport, String> {
    params.validate(pool::threads())?;
    let threads = params.threads;
    let reads = pool::submit(move |token| {
        // Workers only: these locks are never reachable from the page's thread.
        let by_thread: Mutex<HashMap<u32, String>> = Mutex::new(HashMap::new());
        let shared = Mutex::new(String::new());
        let all_stored = Barrier::new(0, threads);
        let turn = AtomicI32::new(0);
        sync::run_actors(threads, token, false, |actor| {
            let mine = greeting(actor.index);
            GREETING.with(|slot| *slot.borrow_mut() = mine.clone());
            by_thread
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(actor.index, mine.clone());
            // One after another, in thread order, so the last writer is known: there is
            // only one shared slot and each write replaces the one before.
            park_until(&turn, clock::now_ms() + WAIT_TIMEOUT_MS, actor, |t| {
                t == actor.index as i32
            })
            .map_err(|e| e.to_string())?;
            *shared.lock().unwrap_or_else(|e| e.into_inner()) = mine;
            turn.fetch_add(1, Ordering::AcqRel);
            wake(&turn, u32::MAX);
            all_stored
                .wait(actor, WAIT_TIMEOUT_MS)
                .map_err(|e| e.to_string())?;
            let local = GREETING.with(|slot| slot.borrow().clone());
            let dict = by_thread
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&actor.index)
                .cloned()
                .unwrap_or_default();
            let global = shared.lock().unwrap_or_else(|e| e.into_inner()).clone();
            Ok::<_, String>((local, dict, global))
        })
    })
    .await?;
    let reads = reads.into_iter().collect::<Result<Vec<_>, String>>()?;
    let shared_reads: Vec<String> = reads.iter().map(|r| r.2.clone()).collect();
    Ok(ThreadLocalReport {
        values: reads.iter().map(|r| r.0.clone()).collect(),
        dict_values: reads.iter().map(|r| r.1.clone()).collect(),
        shared_value: shared_reads.last().cloned().unwrap_or_default(),
        shared_reads,
    })
}

// ---- the cost table ----

/// Operations timed together per sample, so each sample spans well over the timer's 5 µs.
const FUTURE_BATCH: u32 = 1000;
const THREAD_TASK_BATCH: u32 = 50;
const THREAD_ROUNDS: u32 = 500;
const PROCESS_ROUNDS: u32 = 100;
/// Process start-ups measured at most (each takes tens to hundreds of ms).
const MAX_PROCESS_SPAWNS: u32 = 8;
const BULK_MEGABYTES: f64 = 16.0;
const BULK_CHUNK_BYTES: u32 = 64 * 1024;

/// `run("costs")`.
pub async fn costs(params: CostsParams) -> Result<CostsReport, String> {
    params.validate()?;
    let repeats = params.repeats;
    let mut rows = Vec::new();
    let row = |name: &str, batch: u32, samples: &[f64]| {
        CostRow::of(name, batch, samples).ok_or_else(|| format!("{name}: no finite samples"))
    };

    let mut spawn_us = Vec::new();
    for _ in 0..repeats.min(MAX_PROCESS_SPAWNS) {
        let start = clock::now_ms();
        let process = Process::spawn("spawn-cost", 0).await?;
        spawn_us.push((clock::now_ms() - start) * 1000.0);
        process.terminate();
    }
    rows.push(row("spawn-process", 1, &spawn_us)?);

    let thread_task_us = pool::submit(move |_| {
        (0..repeats)
            .map(|_| {
                let start = clock::now_ms();
                for _ in 0..THREAD_TASK_BATCH {
                    pool::scope(|scope| scope.spawn(|_| std::hint::black_box(())));
                }
                (clock::now_ms() - start) * 1000.0 / f64::from(THREAD_TASK_BATCH)
            })
            .collect::<Vec<f64>>()
    })
    .await?;
    rows.push(row(
        "spawn-thread-task",
        THREAD_TASK_BATCH,
        &thread_task_us,
    )?);

    let mut future_us = Vec::new();
    for _ in 0..repeats {
        let start = clock::now_ms();
        let receivers = (0..FUTURE_BATCH).map(|_| {
            let (sender, receiver) = oneshot::channel();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = sender.send(());
            });
            receiver
        });
        join_all(receivers.collect::<Vec<_>>()).await;
        future_us.push((clock::now_ms() - start) * 1000.0 / f64::from(FUTURE_BATCH));
    }
    rows.push(row("spawn-future", FUTURE_BATCH, &future_us)?);

    // Two processes joined by channels: ping-pong, then a bulk copy.
    let pair = Process::spawn_many("ipc", 2, 0).await?;
    let measured = process_pair(&pair, repeats).await;
    terminate_all(&pair);
    let (process_us, copied) = measured?;
    rows.push(row("roundtrip-process", PROCESS_ROUNDS, &process_us)?);

    let thread_us = pool::submit(move |token| thread_ping_pong(repeats, token)).await??;
    rows.push(row("roundtrip-thread", THREAD_ROUNDS, &thread_us)?);

    rows.push(row(
        "roundtrip-future",
        FUTURE_BATCH,
        &future_ping_pong(repeats)?,
    )?);
    rows.push(row(
        "roundtrip-future-js-loop",
        FUTURE_BATCH,
        &js_loop_ping_pong(repeats).await?,
    )?);

    let shared = pool::submit(shared_transfer).await??;
    let transfer = vec![copied, shared];
    let verdicts = verdicts(&rows, &transfer);
    Ok(CostsReport {
        rows,
        transfer,
        verdicts,
    })
}

#[derive(Deserialize)]
struct BulkOutcome {
    ms: f64,
    bytes: u64,
    sum_matches: bool,
}

/// Connects `a` and `b` under `name`, starts `b`'s end (`serve`), then runs `a`'s (`drive`
/// with `fields`) and returns what `a` reports.
async fn over_channel(
    (a, b): (&Process, &Process),
    name: &str,
    (serve, drive): (&str, &str),
    fields: &[(&str, JsValue)],
) -> Result<String, String> {
    process::connect(a, b, name);
    b.request(serve, &[("name", name.into())], TASK_SLACK_MS)
        .await?;
    let mut all = vec![("name", JsValue::from(name))];
    all.extend_from_slice(fields);
    a.request(drive, &all, 60_000).await
}

/// Round trips between two processes over a MessageChannel, and a bulk copy through it.
async fn process_pair(pair: &[Process], samples: u32) -> Result<(Vec<f64>, TransferRow), String> {
    let ends = (&pair[0], &pair[1]);
    let answer = over_channel(
        ends,
        "ping",
        ("echo", "ping-pong"),
        &[
            ("samples", samples.into()),
            ("rounds", PROCESS_ROUNDS.into()),
        ],
    )
    .await?;
    let round_trips: Vec<f64> = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    let answer = over_channel(
        ends,
        "bulk",
        ("bulk-receive", "bulk-send"),
        &[
            ("megabytes", BULK_MEGABYTES.into()),
            ("chunkBytes", BULK_CHUNK_BYTES.into()),
        ],
    )
    .await?;
    let bulk: BulkOutcome = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    if !bulk.sum_matches {
        return Err("the bulk copy arrived with different bytes".into());
    }
    Ok((
        round_trips,
        TransferRow {
            name: "queue-between-processes".into(),
            megabytes: BULK_MEGABYTES,
            mb_per_s: BULK_MEGABYTES / (bulk.ms / 1000.0),
            bytes_copied: bulk.bytes,
        },
    ))
}

/// Two pool threads pass a turn back and forth through one word of shared memory, each
/// sleeping in `memory.atomic.wait` until the other wakes it. Microseconds per round trip.
fn thread_ping_pong(samples: u32, token: RunToken) -> Result<Vec<f64>, String> {
    static TURN: AtomicI32 = AtomicI32::new(0);
    TURN.store(0, Ordering::Release);
    let wait_for = |actor: sync::Actor, value: i32| {
        park_until(&TURN, clock::now_ms() + WAIT_TIMEOUT_MS, actor, |t| {
            t == value
        })
        .map_err(|e| e.to_string())
    };
    let pass = |value: i32| {
        TURN.store(value, Ordering::Release);
        wake(&TURN, 1);
    };
    let results = sync::run_actors(2, token, false, |actor| {
        let mut out = Vec::new();
        let mut turn = 0;
        for _ in 0..samples {
            let start = clock::now_ms();
            for _ in 0..THREAD_ROUNDS {
                if actor.index == 0 {
                    pass(turn + 1);
                    wait_for(actor, turn + 2)?;
                } else {
                    wait_for(actor, turn + 1)?;
                    pass(turn + 2);
                }
                turn += 2;
            }
            out.push((clock::now_ms() - start) * 1000.0 / f64::from(THREAD_ROUNDS));
        }
        Ok::<_, String>(out)
    });
    results.into_iter().next().unwrap_or_else(|| Ok(Vec::new()))
}

/// The echo end of a ping-pong between two futures: every value straight back.
async fn echo(mut input: mpsc::Receiver<u32>, mut output: mpsc::Sender<u32>) {
    while let Some(value) = input.next().await {
        if output.send(value).await.is_err() {
            break;
        }
    }
}

/// Two futures pass a value there and back over channels, switched by a user-space executor
/// on the page's thread (`LocalPool::run_until_stalled` polls until nothing is ready and never
/// parks): a coroutine switch with no system and no browser in between.
fn future_ping_pong(samples: u32) -> Result<Vec<f64>, String> {
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    let mut out = Vec::new();
    for _ in 0..samples {
        let mut pool = LocalPool::new();
        let (mut to_echo, echo_in) = mpsc::channel::<u32>(1);
        let (echo_out, mut back) = mpsc::channel::<u32>(1);
        let spawner = pool.spawner();
        spawner
            .spawn_local(echo(echo_in, echo_out))
            .map_err(|e| e.to_string())?;
        let rounds = Rc::new(std::cell::Cell::new(0u32));
        let counted = rounds.clone();
        spawner
            .spawn_local(async move {
                for round in 0..FUTURE_BATCH {
                    if to_echo.send(round).await.is_err() || back.next().await.is_none() {
                        break;
                    }
                    counted.set(counted.get() + 1);
                }
            })
            .map_err(|e| e.to_string())?;
        let start = clock::now_ms();
        pool.run_until_stalled();
        let elapsed = clock::now_ms() - start;
        if rounds.get() != FUTURE_BATCH {
            return Err(format!(
                "only {} of {FUTURE_BATCH} hand-offs ran",
                rounds.get()
            ));
        }
        out.push(elapsed * 1000.0 / f64::from(FUTURE_BATCH));
    }
    Ok(out)
}

/// The same ping-pong with each future spawned on the browser's loop: every wake-up goes
/// through a JavaScript microtask, which is what a Rust future in a web page pays.
async fn js_loop_ping_pong(samples: u32) -> Result<Vec<f64>, String> {
    let (mut to_echo, echo_in) = mpsc::channel::<u32>(1);
    let (echo_out, mut back) = mpsc::channel::<u32>(1);
    wasm_bindgen_futures::spawn_local(echo(echo_in, echo_out));
    let mut out = Vec::new();
    for _ in 0..samples {
        let start = clock::now_ms();
        for round in 0..FUTURE_BATCH {
            to_echo.send(round).await.map_err(|e| e.to_string())?;
            back.next().await.ok_or("the echo future ended")?;
        }
        out.push((clock::now_ms() - start) * 1000.0 / f64::from(FUTURE_BATCH));
    }
    Ok(out)
}

/// The same bytes as the bulk copy, produced by one thread and read by another in place:
/// the consumer waits for each chunk's publication and reads the producer's memory.
fn shared_transfer(token: RunToken) -> Result<TransferRow, String> {
    let chunk = BULK_CHUNK_BYTES as usize;
    let chunks = (BULK_MEGABYTES * 1_048_576.0) as usize / chunk;
    let buffer: Vec<std::sync::atomic::AtomicU8> = (0..chunks * chunk)
        .map(|_| std::sync::atomic::AtomicU8::new(0))
        .collect();
    let published = AtomicI32::new(0);
    let times = sync::run_actors(2, token, false, |actor| {
        let start = clock::now_ms();
        let mut sum = 0u64;
        for c in 0..chunks {
            let base = c * chunk;
            if actor.index == 0 {
                for i in (0..chunk).step_by(4096) {
                    buffer[base + i].store(((c + i) & 255) as u8, Ordering::Relaxed);
                }
                published.store(c as i32 + 1, Ordering::Release);
                wake(&published, 1);
            } else {
                park_until(&published, clock::now_ms() + WAIT_TIMEOUT_MS, actor, |p| {
                    p > c as i32
                })
                .map_err(|e| e.to_string())?;
                for i in (0..chunk).step_by(4096) {
                    sum += u64::from(buffer[base + i].load(Ordering::Relaxed));
                }
            }
        }
        Ok::<_, String>((start, clock::now_ms(), sum))
    });
    let (producer, consumer) = (times[0].clone()?, times[1].clone()?);
    let expected: u64 = (0..chunks)
        .flat_map(|c| {
            (0..chunk)
                .step_by(4096)
                .map(move |i| ((c + i) & 255) as u64)
        })
        .sum();
    if consumer.2 != expected {
        return Err("the consumer read different bytes than the producer wrote".into());
    }
    let ms = (consumer.1 - producer.0).max(1e-3);
    Ok(TransferRow {
        name: "shared-between-threads".into(),
        megabytes: BULK_MEGABYTES,
        mb_per_s: BULK_MEGABYTES / (ms / 1000.0),
        bytes_copied: 0,
    })
}
