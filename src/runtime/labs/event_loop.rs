//! The event-loop lab for real: async tasks on the page's own event loop, the same waits
//! awaited one after another and on worker threads, and the loop deliberately blocked,
//! measured with a frame probe and a long-task observer against chunked and offloaded work.
//!
//! Tasks on the main thread are futures given to `spawn_local`; the browser's loop polls
//! them when their timer fires, so they only ever wait by returning. The one deliberate
//! exception on the whole site is [`block_loop`] in mode `block`: bounded by
//! [`MAX_WORK_MS`], it only computes (no lock, no `Atomics.wait`), to show what that does.

use crate::model::labs::event_loop::TaskState;
use crate::model::labs::event_loop::lab::{
    AsyncWaitsMeasured, AsyncWaitsParams, AsyncWaitsReport, BlockLoopParams, BlockLoopReport,
    BlockMode, MAX_WORK_MS, MIX_BATCH, Strategy, TaskEnd, async_waits_report, frame_stats,
    long_task_stats, mix,
};
use crate::model::labs::event_loop::lab::{JsRealParams, JsRealReport};
use crate::model::thread_state::ThreadState;
use crate::runtime::cancel::{self, RunToken};
use crate::runtime::telemetry::{self, Span};
use crate::runtime::{clock, pool};
use futures::StreamExt;
use futures::channel::oneshot;
use futures::future::{self, AbortHandle, Abortable, Either};
use futures::stream::FuturesUnordered;
use gloo::timers::future::TimeoutFuture;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Lanes of the worker-thread comparison are this plus the worker's index; the lanes of
/// the main-thread tasks are their task numbers.
pub const WORKER_LANE_BASE: u32 = 1_000;
/// Timeline marks of the three phases of `async-waits`.
pub const MARK_ONE_THREAD: u32 = 1;
pub const MARK_SEQUENTIAL: u32 = 2;
pub const MARK_THREADS: u32 = 3;

/// How often a waiting run looks at its cancel token.
const CANCEL_POLL_MS: u32 = 20;

/// What the page can show while a run is going.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// "one thread", "one after another", "worker threads" (in the page's language), or
    /// empty when idle.
    pub phase: String,
    /// The main-thread tasks' states (the current phase's).
    pub states: Vec<TaskState>,
}

thread_local! {
    static LIVE: RefCell<Live> = RefCell::new(Live::default());
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// The current run's phase and task states (cheap; read on animation frames).
pub fn live() -> Live {
    LIVE.with(|l| l.borrow().clone())
}

fn set_phase(phase: String, tasks: u32) {
    LIVE.with(|l| {
        *l.borrow_mut() = Live {
            phase,
            states: vec![TaskState::Pending; tasks as usize],
        }
    });
}

fn set_state(task: u32, state: TaskState) {
    LIVE.with(|l| {
        if let Some(slot) = l.borrow_mut().states.get_mut(task as usize) {
            *slot = state;
        }
    });
}

fn state_of(task: u32) -> Option<TaskState> {
    LIVE.with(|l| l.borrow().states.get(task as usize).copied())
}

/// One event-loop run at a time: they share the telemetry and the live states.
struct Busy;

impl Busy {
    fn take() -> Result<Busy, String> {
        if BUSY.with(|b| b.replace(true)) {
            return Err(t!("event_loop.phase.already_running").to_string());
        }
        Ok(Busy)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        BUSY.with(|b| b.set(false));
        LIVE.with(|l| l.borrow_mut().phase.clear());
    }
}

/// Resolves once the run is cancelled (`lab.cancel()` or a Cancel button).
async fn cancelled(token: RunToken) {
    while !token.is_cancelled() {
        TimeoutFuture::new(CANCEL_POLL_MS).await;
    }
}

/// Computes for `ms` of wall time in batches of the mixing kernel, stopping early when
/// `stop` says so. Returns `(checksum, rounds)`. Never waits: this is the CPU work.
fn burn(ms: f64, seed: u64, stop: impl Fn() -> bool) -> (u64, u64) {
    let end = clock::now_ms() + ms;
    let (mut state, mut rounds) = (seed | 1, 0u64);
    loop {
        state = mix(state, MIX_BATCH);
        rounds += u64::from(MIX_BATCH);
        if clock::now_ms() >= end || stop() {
            return (state, rounds);
        }
    }
}

/// A span that is recorded when dropped: a wait cut short by a cancel still shows.
struct OpenSpan {
    lane: u32,
    state: ThreadState,
    label: u32,
    start_ms: f64,
}

impl OpenSpan {
    fn begin(lane: u32, state: ThreadState, label: u32) -> OpenSpan {
        OpenSpan {
            lane,
            state,
            label,
            start_ms: clock::now_ms(),
        }
    }
}

impl Drop for OpenSpan {
    fn drop(&mut self) {
        telemetry::record(Span {
            lane: self.lane,
            state: self.state,
            label: self.label,
            start_ms: self.start_ms,
            end_ms: clock::now_ms(),
        });
    }
}

/// One task on the page's event loop: per round, a CPU slice (if any) and then an
/// awaited timer, the lab's stand-in for IO. Resolves to its finish time since `t0`.
async fn task(index: u32, p: Rc<AsyncWaitsParams>, t0: f64) -> f64 {
    for _ in 0..p.rounds {
        if p.cpu_ms > 0 {
            set_state(index, TaskState::Running);
            let _span = OpenSpan::begin(index, ThreadState::Working, index);
            burn(f64::from(p.cpu_ms), u64::from(index), || false);
        }
        set_state(index, TaskState::Pending);
        let _span = OpenSpan::begin(index, ThreadState::Waiting, index);
        // A wait is at most MAX_WAIT_MS + 49 × MAX_STAGGER_MS, far inside u32.
        TimeoutFuture::new(p.wait_of(index).min(u64::from(u32::MAX)) as u32).await;
    }
    set_state(index, TaskState::Done);
    clock::now_ms() - t0
}

/// Measures `params` on one thread (with its strategy), then one after another, then on
/// the worker threads, and reports. Fails with "cancelled" when cancelled.
pub async fn async_waits(params: AsyncWaitsParams) -> Result<AsyncWaitsReport, String> {
    params.validate()?;
    let _busy = Busy::take()?;
    let token = cancel::issue();
    telemetry::reset(0);
    let p = Rc::new(params);
    let (wall_ms, ends) = one_thread(&p, token).await?;
    let sequential_ms = if p.sequential {
        Some(sequential(&p, token).await?)
    } else {
        None
    };
    let threads = if p.threads && pool::threads() > 0 {
        set_phase(t!("event_loop.phase.workers").to_string(), 0);
        Some(on_workers(&p).await?)
    } else {
        None
    };
    let measured = AsyncWaitsMeasured {
        wall_ms,
        ends,
        sequential_ms,
        threads,
    };
    Ok(async_waits_report(&p, &measured))
}

/// All tasks at once on the page's own loop, awaited as the strategy says.
async fn one_thread(
    p: &Rc<AsyncWaitsParams>,
    token: RunToken,
) -> Result<(f64, Vec<TaskEnd>), String> {
    set_phase(t!("event_loop.phase.one_thread").to_string(), p.tasks);
    let t0 = clock::now_ms();
    telemetry::mark(MARK_ONE_THREAD, t0);
    let finished: Rc<RefCell<Vec<Option<f64>>>> =
        Rc::new(RefCell::new(vec![None; p.tasks as usize]));
    let mut aborts = Vec::new();
    let mut endings = FuturesUnordered::new();
    for index in 0..p.tasks {
        let (abort, registration) = AbortHandle::new_pair();
        let (sender, receiver) = oneshot::channel::<()>();
        let work = Abortable::new(task(index, p.clone(), t0), registration);
        let finished = finished.clone();
        // A real task on the browser's event loop: spawn_local returns at once and the
        // loop polls the future whenever its timer fires.
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(at) = work.await {
                finished.borrow_mut()[index as usize] = Some(at);
                let _ = sender.send(());
            }
        });
        aborts.push(abort);
        endings.push(receiver);
    }
    let wanted = if p.strategy == Strategy::First {
        1
    } else {
        p.tasks as usize
    };
    let enough = async move {
        let mut done = 0;
        while let Some(ending) = endings.next().await {
            done += usize::from(ending.is_ok());
            if done >= wanted {
                break;
            }
        }
    };
    let deadline = async {
        match p.strategy {
            Strategy::Timeout => TimeoutFuture::new(p.timeout_ms).await,
            _ => future::pending::<()>().await,
        }
    };
    let outcome = future::select(
        Box::pin(enough),
        Box::pin(future::select(
            Box::pin(deadline),
            Box::pin(cancelled(token)),
        )),
    )
    .await;
    let wall_ms = clock::now_ms() - t0;
    // Whatever has not finished is cancelled now: its future is dropped at its await,
    // which clears its timer (as asyncio's cancel() raises CancelledError there).
    for (index, abort) in aborts.iter().enumerate() {
        abort.abort();
        if state_of(index as u32) != Some(TaskState::Done) {
            set_state(index as u32, TaskState::Cancelled);
        }
    }
    if let Either::Right((Either::Right(_), _)) = outcome {
        return Err("cancelled".into());
    }
    let finished = finished.borrow();
    let ends = finished
        .iter()
        .map(|at| TaskEnd {
            state: if at.is_some() {
                TaskState::Done
            } else {
                TaskState::Cancelled
            },
            finish_ms: *at,
        })
        .collect();
    Ok((wall_ms, ends))
}

/// The same tasks, each awaited to its end before the next starts.
async fn sequential(p: &Rc<AsyncWaitsParams>, token: RunToken) -> Result<f64, String> {
    set_phase(t!("event_loop.phase.sequential").to_string(), p.tasks);
    let t0 = clock::now_ms();
    telemetry::mark(MARK_SEQUENTIAL, t0);
    let all = async {
        for index in 0..p.tasks {
            task(index, p.clone(), t0).await;
        }
    };
    match future::select(Box::pin(all), Box::pin(cancelled(token))).await {
        Either::Left(_) => Ok(clock::now_ms() - t0),
        Either::Right(_) => {
            for index in 0..p.tasks {
                if state_of(index) != Some(TaskState::Done) {
                    set_state(index, TaskState::Cancelled);
                }
            }
            Err("cancelled".into())
        }
    }
}

/// The same tasks on the pool: each worker takes the next task and *blocks* through its
/// waits, as a thread doing blocking IO does. Resolves to (wall ms, workers).
async fn on_workers(p: &AsyncWaitsParams) -> Result<(f64, u32), String> {
    let workers = pool::threads();
    let p = p.clone();
    let wall = pool::submit(move |token| workers_run(&p, workers, token)).await??;
    Ok((wall, workers))
}

fn workers_run(p: &AsyncWaitsParams, workers: u32, token: RunToken) -> Result<f64, String> {
    let next = AtomicU32::new(0);
    let start = clock::now_ms();
    telemetry::mark(MARK_THREADS, start);
    crate::runtime::pool::scope(|scope| {
        for _ in 0..workers {
            let next = &next;
            scope.spawn(move |_| {
                let lane = WORKER_LANE_BASE + crate::runtime::pool::worker_index();
                while !token.is_cancelled() {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= p.tasks {
                        break;
                    }
                    for _ in 0..p.rounds {
                        if p.cpu_ms > 0 {
                            let _span = OpenSpan::begin(lane, ThreadState::Working, index);
                            burn(f64::from(p.cpu_ms), u64::from(index), || {
                                token.is_cancelled()
                            });
                        }
                        let _span = OpenSpan::begin(lane, ThreadState::Sleeping, index);
                        worker_sleep(p.wait_of(index) as f64, token);
                    }
                }
            });
        }
    });
    if token.is_cancelled() {
        return Err("cancelled".into());
    }
    Ok(clock::now_ms() - start)
}

/// Sleeps the calling *worker* for `ms`, in naps short enough to notice a cancel.
///
/// A worker may block: that is the point of the comparison (a thread doing blocking IO
/// holds its thread while it waits). `std::thread::sleep` is banned crate-wide because
/// on the page it traps; `sync::sleep_worker` parks on an atomic nobody notifies and
/// refuses to block the page's main thread.
fn worker_sleep(ms: f64, token: RunToken) {
    // Cancellation shows in the caller's loop; the sleep's own result adds nothing.
    let _ = crate::runtime::sync::sleep_worker(ms, token);
}

/// A finished `block-loop` run: the report, plus the frames and long tasks for drawing
/// (ms since the start of the work).
#[derive(Clone, Debug, PartialEq)]
pub struct BlockLoopOutcome {
    pub report: BlockLoopReport,
    pub frames_ms: Vec<f64>,
    /// `(start, duration)` of each long task.
    pub long_tasks_ms: Vec<(f64, f64)>,
}

/// Runs `work_ms` of computing as `mode` says while a probe watches the frames.
pub async fn block_loop(params: BlockLoopParams) -> Result<BlockLoopOutcome, String> {
    params.validate()?;
    if params.mode == BlockMode::Offload && pool::threads() == 0 {
        return Err("mode \"offload\" needs the worker threads, which are not running".into());
    }
    let _busy = Busy::take()?;
    let token = cancel::issue();
    let probe = FrameProbe::start();
    let observer = LongTasks::start();
    // A few ordinary frames first, so the probe's first gap is not the start-up.
    for _ in 0..3 {
        next_frame().await;
    }
    let start = clock::now_ms();
    let work_ms = f64::from(params.work_ms.min(MAX_WORK_MS));
    let (checksum, iterations, yields, yield_with) = match params.mode {
        BlockMode::Block => {
            let (checksum, rounds) = block_in_a_task(work_ms).await;
            (checksum, rounds, 0, "")
        }
        BlockMode::Chunked => chunked(work_ms, f64::from(params.chunk_ms), token).await?,
        BlockMode::Offload => {
            let (checksum, rounds) = pool::submit(move |token| {
                let result = burn(work_ms, 7, || token.is_cancelled());
                if token.is_cancelled() {
                    Err("cancelled".to_string())
                } else {
                    Ok(result)
                }
            })
            .await??;
            (checksum, rounds, 0, "")
        }
    };
    let end = clock::now_ms();
    // The first frame after the work closes the last gap; long-task entries are
    // delivered a little after the task they describe.
    next_frame().await;
    next_frame().await;
    TimeoutFuture::new(60).await;
    let frames = probe.stop();
    let (supported, entries) = match observer {
        Some(observer) => (true, observer.stop()),
        None => (false, Vec::new()),
    };
    let window_end = frames.iter().copied().find(|&t| t >= end).unwrap_or(end);
    let stats = frame_stats(&frames, start, window_end);
    let (long_tasks, longest, total) = long_task_stats(&entries, start - 1.0);
    let report = BlockLoopReport {
        mode: params.mode,
        work_ms: params.work_ms,
        chunk_ms: params.chunk_ms,
        wall_ms: end - start,
        longest_frame_gap_ms: stats.longest_gap_ms,
        frames: stats.frames,
        long_tasks,
        longest_long_task_ms: longest,
        long_task_total_ms: total,
        long_tasks_supported: supported,
        yields,
        yield_with: yield_with.into(),
        iterations,
        checksum,
    };
    Ok(BlockLoopOutcome {
        report,
        frames_ms: frames
            .iter()
            .filter(|&&t| t >= start - 50.0 && t <= window_end)
            .map(|t| t - start)
            .collect(),
        long_tasks_ms: entries
            .iter()
            .filter(|(s, _)| *s >= start - 1.0)
            .map(|(s, d)| (s - start, *d))
            .collect(),
    })
}

/// The deliberate block: `work_ms` of computing inside one timer task of the page's loop,
/// so nothing else on this thread runs until it returns.
///
/// It runs in a plain `setTimeout` callback rather than in a polled future: in this
/// shared-memory build, futures are woken through `Atomics.waitAsync`, whose tasks the
/// browser's long-task reporting does not see, and the block must be seen.
async fn block_in_a_task(work_ms: f64) -> (u64, u64) {
    let (sender, receiver) = oneshot::channel();
    let _timer = gloo::timers::callback::Timeout::new(0, move || {
        let _ = sender.send(burn(work_ms, 7, || false));
    });
    receiver.await.unwrap_or((0, 0))
}

/// The work in slices of `chunk_ms`, giving the loop back after each one.
async fn chunked(
    work_ms: f64,
    chunk_ms: f64,
    token: RunToken,
) -> Result<(u64, u64, u32, &'static str), String> {
    let (mut done_ms, mut checksum, mut rounds, mut yields) = (0.0, 7u64, 0u64, 0u32);
    let mut how = "";
    while done_ms < work_ms {
        if token.is_cancelled() {
            return Err("cancelled".into());
        }
        let begin = clock::now_ms();
        let (state, n) = burn((work_ms - done_ms).min(chunk_ms), checksum, || false);
        done_ms += clock::now_ms() - begin;
        checksum = state;
        rounds += n;
        how = yield_to_loop().await;
        yields += 1;
    }
    Ok((checksum, rounds, yields, how))
}

/// Gives the event loop a turn: `scheduler.yield()` where the browser has it (the
/// continuation keeps its place ahead of other tasks), else a `setTimeout(0)`.
async fn yield_to_loop() -> &'static str {
    if let Some(promise) = scheduler_yield() {
        let _ = JsFuture::from(promise).await;
        "scheduler.yield"
    } else {
        TimeoutFuture::new(0).await;
        "setTimeout(0)"
    }
}

fn scheduler_yield() -> Option<js_sys::Promise> {
    let scheduler = js_sys::Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
    if scheduler.is_undefined() {
        return None;
    }
    let function: js_sys::Function = js_sys::Reflect::get(&scheduler, &"yield".into())
        .ok()?
        .dyn_into()
        .ok()?;
    function.call0(&scheduler).ok()?.dyn_into().ok()
}

/// Resolves on the next animation frame (or after 100 ms where frames are not drawn, as
/// in a hidden tab, so a run never hangs on them).
async fn next_frame() {
    let (sender, receiver) = oneshot::channel::<()>();
    let _frame = gloo::render::request_animation_frame(move |_| {
        let _ = sender.send(());
    });
    future::select(receiver, TimeoutFuture::new(100)).await;
}

/// Records the time of every animation frame until stopped.
struct FrameProbe {
    times: Rc<RefCell<Vec<f64>>>,
    alive: Rc<Cell<bool>>,
    frame: Rc<RefCell<Option<gloo::render::AnimationFrame>>>,
}

impl FrameProbe {
    fn start() -> FrameProbe {
        let probe = FrameProbe {
            times: Rc::default(),
            alive: Rc::new(Cell::new(true)),
            frame: Rc::default(),
        };
        probe_next(
            probe.times.clone(),
            probe.alive.clone(),
            probe.frame.clone(),
        );
        probe
    }

    fn stop(self) -> Vec<f64> {
        self.alive.set(false);
        self.frame.borrow_mut().take();
        self.times.take()
    }
}

fn probe_next(
    times: Rc<RefCell<Vec<f64>>>,
    alive: Rc<Cell<bool>>,
    slot: Rc<RefCell<Option<gloo::render::AnimationFrame>>>,
) {
    if !alive.get() {
        return;
    }
    let next_slot = slot.clone();
    let frame = gloo::render::request_animation_frame(move |_| {
        times.borrow_mut().push(clock::now_ms());
        probe_next(times, alive, next_slot);
    });
    *slot.borrow_mut() = Some(frame);
}

/// A `PerformanceObserver` for long tasks (50 ms or more on the main thread).
struct LongTasks {
    observer: web_sys::PerformanceObserver,
    entries: Rc<RefCell<Vec<(f64, f64)>>>,
    _callback: Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>,
}

impl LongTasks {
    /// `None` where the browser does not report long tasks.
    fn start() -> Option<LongTasks> {
        let class = js_sys::Reflect::get(&js_sys::global(), &"PerformanceObserver".into()).ok()?;
        let types = js_sys::Reflect::get(&class, &"supportedEntryTypes".into()).ok()?;
        let types: js_sys::Array = types.dyn_into().ok()?;
        if !types.includes(&"longtask".into(), 0) {
            return None;
        }
        let entries: Rc<RefCell<Vec<(f64, f64)>>> = Rc::default();
        let sink = entries.clone();
        let callback = Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(
            move |list: web_sys::PerformanceObserverEntryList| {
                sink.borrow_mut().extend(entry_times(&list.get_entries()));
            },
        );
        let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        let kinds = js_sys::Array::of1(&"longtask".into());
        observer.observe(&web_sys::PerformanceObserverInit::new(&kinds));
        Some(LongTasks {
            observer,
            entries,
            _callback: callback,
        })
    }

    /// Stops observing; returns `(startTime, duration)` of every long task seen.
    fn stop(self) -> Vec<(f64, f64)> {
        let pending = entry_times(&self.observer.take_records());
        self.observer.disconnect();
        let mut entries = self.entries.take();
        entries.extend(pending);
        entries
    }
}

fn entry_times(list: &js_sys::Array) -> Vec<(f64, f64)> {
    list.iter()
        .map(|entry| {
            let entry: web_sys::PerformanceEntry = entry.unchecked_into();
            (entry.start_time(), entry.duration())
        })
        .collect()
}

#[wasm_bindgen(module = "/src/runtime/labs/js_real.js")]
extern "C" {
    #[wasm_bindgen(js_name = runReal)]
    fn run_real(source: &str, timeout_ms: u32, top_await: bool) -> js_sys::Promise;
}

/// `run("js-real")`: the program in a fresh Worker (the browser's engine), captured.
pub async fn js_real(params: JsRealParams) -> Result<JsRealReport, String> {
    params.validate()?;
    let top_await = crate::model::labs::event_loop::js::has_top_level_await(&params.source);
    let value = JsFuture::from(run_real(&params.source, params.timeout_ms, top_await))
        .await
        .map_err(|e| crate::runtime::env::js_error_text(&e))?;
    let json: String = js_sys::JSON::stringify(&value)
        .map_err(|e| crate::runtime::env::js_error_text(&e))?
        .into();
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(flatten)]
        report: JsRealReport,
        #[serde(default)]
        failed_to_load: bool,
    }
    let answer: Answer = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    match (answer.failed_to_load, answer.report.error) {
        // The engine would not even load it (a syntax error): reject, as the model does.
        (true, Some(error)) => Err(error),
        (_, error) => Ok(JsRealReport {
            error,
            ..answer.report
        }),
    }
}
