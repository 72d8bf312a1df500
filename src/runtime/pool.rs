//! The worker pool and its conductor.
//!
//! wasm-bindgen-rayon starts `threads + 1` web workers sharing this module's memory. One
//! of them becomes the *conductor*: it sleeps in `memory.atomic.wait32` (allowed in a
//! worker) until the page pushes a job onto a lock-free queue and calls
//! `memory.atomic.notify` (allowed on the main thread). The conductor runs jobs one at a
//! time, so measurements never overlap, and a job fans out with `rayon::scope`.
//! The main thread therefore never touches a lock: not rayon's, not a channel's.

use super::cancel::{self, RunToken};
use super::{crash, env};
use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
use crossbeam_queue::SegQueue;
use futures::channel::oneshot;
use futures::future::{Either, select};
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use wasm_bindgen_futures::JsFuture;

type Job = Box<dyn FnOnce() + Send>;

static QUEUE: SegQueue<Job> = SegQueue::new();
/// Bumped on every submit; the conductor sleeps while it is unchanged.
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Compute workers available to labs (the conductor not counted); 0 until started.
static THREADS: AtomicU32 = AtomicU32::new(0);

/// How long the conductor sleeps before re-checking the queue anyway (a safety net).
const CONDUCTOR_NAP_NS: i64 = 1_000_000_000;

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

/// Starts `threads` compute workers plus the conductor. Resolves once they can take work.
pub async fn start(threads: u32) -> Result<u32, String> {
    if !env::cross_origin_isolated() {
        return Err(
            "the page is not cross-origin isolated, so it cannot share memory with workers".into(),
        );
    }
    if self::threads() > 0 {
        return Ok(self::threads());
    }
    super::clock::publish_page_origin();
    let promise = wasm_bindgen_rayon::init_thread_pool(threads as usize + 1);
    JsFuture::from(promise)
        .await
        .map_err(|e| env::js_error_text(&e))?;
    // rayon's wake-up path takes a short internal lock; give the fresh workers time to
    // park first, so this one spawn from the main thread finds the lock free.
    gloo::timers::future::TimeoutFuture::new(50).await;
    rayon::spawn(conductor);
    THREADS.store(threads, Ordering::Release);
    Ok(threads)
}

fn conductor() {
    loop {
        let seen = SIGNAL.load(Ordering::Acquire);
        while let Some(job) = QUEUE.pop() {
            job();
        }
        // SAFETY: SIGNAL is a live static i32-sized atomic; wait32 only reads it.
        unsafe {
            memory_atomic_wait32(SIGNAL.as_ptr(), seen, CONDUCTOR_NAP_NS);
        }
    }
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
