//! The worker pool and its conductor.
//!
//! The page starts one dedicated Worker, the *conductor*, on this module's shared memory
//! (`pool.js`). The conductor starts wasm-bindgen-rayon's `threads` compute workers itself,
//! then sleeps in `memory.atomic.wait32` (allowed in a worker) until the page pushes a job
//! onto a lock-free queue and calls `memory.atomic.notify` (allowed on the main thread). It
//! runs jobs one at a time, so measurements never overlap, and a job fans out with
//! [`scope`]. The page's thread therefore never enters rayon, nor any lock.
//!
//! **Invariant:** this file is the only one that names rayon (`tests/tidy.rs` checks);
//! kernels fan out through [`scope`] and ask [`worker_index`], which refuse the page's thread.

use super::cancel::{self, RunToken};
use super::{crash, env};
use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
use crossbeam_queue::SegQueue;
use futures::channel::oneshot;
use futures::future::{Either, select};
use js_sys::JsString;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

type Job = Box<dyn FnOnce() + Send>;

static QUEUE: SegQueue<Job> = SegQueue::new();
/// Bumped on every submit; the conductor sleeps while it is unchanged.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Compute workers available to labs (the conductor not counted); 0 until started.
static THREADS: AtomicU32 = AtomicU32::new(0);

/// How long the conductor sleeps before re-checking the queue anyway (a safety net).
const CONDUCTOR_NAP_NS: i64 = 1_000_000_000;
/// How long the page waits for the pool before it reports that threads are off.
const START_TIMEOUT_MS: u32 = 30_000;
/// The conductor's name in DevTools' thread list.
pub const CONDUCTOR_NAME: &str = "lab-conductor";

#[wasm_bindgen(module = "/src/runtime/pool.js")]
extern "C" {
    #[wasm_bindgen(js_name = startConductor)]
    fn start_conductor(
        main_js: JsString,
        module: JsValue,
        memory: JsValue,
        threads: u32,
        name: &str,
    ) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The URL of wasm-bindgen's JS glue, which the conductor imports to instantiate itself.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS: JsString;
}

/// The URL of this module's JS glue: what a new Worker imports to instantiate the module
/// (the conductor here, processes in `process.rs`).
pub(crate) fn glue_url() -> JsString {
    MAIN_JS.with(Clone::clone)
}

/// Compute workers ready for labs; 0 before the pool is up or without isolation.
pub fn threads() -> u32 {
    THREADS.load(Ordering::Acquire)
}

/// Fewest workers started, even on a 1- or 2-core machine: thread labs need several
/// threads alive at once (a barrier, producers blocked while consumers run), and the
/// cores lab's sweep past the core count shows that extra threads do not add speed.
pub const MIN_THREADS: u32 = 6;

/// The pool size we ask for: one worker per reported core, at least [`MIN_THREADS`],
/// at most 16.
pub fn preferred_threads() -> u32 {
    env::hardware_concurrency().clamp(MIN_THREADS, 16)
}

/// Starts the conductor, which starts `threads` compute workers. Resolves once they can take
/// work. Called on the page: it only creates a Worker and awaits its message.
pub async fn start(threads: u32) -> Result<u32, String> {
    if !env::cross_origin_isolated() {
        let why = env::isolation_problem();
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(" ({why})")
        };
        return Err(format!(
            "the page is not cross-origin isolated{why}, so it cannot share memory with workers"
        ));
    }
    if self::threads() > 0 {
        return Ok(self::threads());
    }
    super::clock::publish_page_origin();
    let started = JsFuture::from(start_conductor(
        glue_url(),
        wasm_bindgen::module(),
        wasm_bindgen::memory(),
        threads,
        CONDUCTOR_NAME,
    ));
    let timeout = gloo::timers::future::TimeoutFuture::new(START_TIMEOUT_MS);
    match select(started, timeout).await {
        Either::Left((Ok(_), _)) => Ok(self::threads()),
        Either::Left((Err(e), _)) => Err(env::js_error_text(&e)),
        Either::Right(_) => Err(format!(
            "the worker pool did not start within {} s",
            START_TIMEOUT_MS / 1000
        )),
    }
}

/// The conductor's entry point (called by `pool.js` inside the conductor Worker): starts the
/// compute workers, tells the page, then serves jobs forever.
#[wasm_bindgen]
pub async fn conductor_main(threads: u32) -> Result<(), JsValue> {
    if env::is_window() {
        return Err("conductor_main runs in the conductor worker, not on the page".into());
    }
    JsFuture::from(wasm_bindgen_rayon::init_thread_pool(threads as usize)).await?;
    THREADS.store(threads, Ordering::Release);
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let ready = js_sys::Object::new();
    js_sys::Reflect::set(&ready, &"type".into(), &"ready".into())?;
    scope.post_message(&ready)?;
    conductor_loop()
}

fn conductor_loop() -> ! {
    loop {
        let seen = SIGNAL.load(Ordering::Acquire);
        while let Some(job) = QUEUE.pop() {
            job();
        }
        // SAFETY: SIGNAL is a live static i32-sized atomic; wait32 only reads it. The
        // conductor is a worker, where waiting is allowed.
        unsafe {
            memory_atomic_wait32(SIGNAL.as_ptr(), seen, CONDUCTOR_NAP_NS);
        }
    }
}

/// Fans `body` out over the compute workers and waits for every task it spawns: rayon's
/// scope, for pool jobs only. On the page's thread it panics (reported in the page) instead
/// of blocking it.
pub fn scope<'scope, R: Send>(body: impl FnOnce(&rayon::Scope<'scope>) -> R + Send) -> R {
    assert!(
        !env::is_window(),
        "pool::scope was called on the page's main thread, which must never block"
    );
    rayon::scope(body)
}

/// Index of the compute worker running this code (0 outside the pool).
pub fn worker_index() -> u32 {
    rayon::current_thread_index().unwrap_or(0) as u32
}

/// Runs `job` on the pool without blocking the caller. The job receives a [`RunToken`]
/// to poll for cancellation. The future fails (instead of hanging) if any thread panics.
pub async fn submit<T, F>(job: F) -> Result<T, String>
where
    T: Send + 'static,
    F: FnOnce(RunToken) -> T + Send + 'static,
{
    if threads() == 0 {
        return Err("the worker pool is not running".into());
    }
    let token = cancel::issue();
    let (sender, receiver) = oneshot::channel();
    QUEUE.push(Box::new(move || {
        let _ = sender.send(job(token));
    }));
    SIGNAL.fetch_add(1, Ordering::AcqRel);
    // SAFETY: as above; notify never blocks and is allowed on the main thread.
    unsafe {
        memory_atomic_notify(SIGNAL.as_ptr(), 1);
    }
    match select(receiver, Box::pin(crash_watch())).await {
        Either::Left((Ok(value), _)) => Ok(value),
        Either::Left((Err(_), _)) => Err("the run was dropped before it finished".into()),
        Either::Right((message, _)) => Err(message),
    }
}

async fn crash_watch() -> String {
    loop {
        if let Some(message) = crash::message() {
            return message;
        }
        gloo::timers::future::TimeoutFuture::new(100).await;
    }
}
