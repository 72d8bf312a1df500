//! Instrumented synchronisation primitives for real worker threads.
//!
//! Lock, RLock, Semaphore (and its bounded variant), Event, Condition, Barrier and a
//! bounded Queue, built on wasm's `memory.atomic.wait32` / `notify`. Every blocking call
//! takes a timeout and also returns early when the run is cancelled or when the watchdog
//! asks the thread to give up (deadlock recovery). While a thread waits, the registry
//! records what it waits for and the telemetry records a Blocked or Waiting span.
//!
//! **Invariant:** only workers call these; nothing here is reachable from the page's main
//! thread, where `wait32` would trap. The watchdog on the main thread only *reads* the
//! registry and *notifies*, both of which never block.

pub mod barrier;
pub mod condition;
pub mod event;
pub mod lock;
pub mod queue;
pub mod registry;
pub mod semaphore;

pub use barrier::Barrier;
pub use condition::Condition;
pub use event::Event;
pub use lock::{Acquired, Lock, RLock};
pub use queue::BoundedQueue;
pub use semaphore::Semaphore;

use super::cancel::RunToken;
use super::clock;
use super::telemetry::{self, Span};
use crate::model::thread_state::ThreadState;
use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
use std::sync::Mutex;
use std::sync::atomic::AtomicI32;

/// Runs `body` on `count` logical threads at once, one pool task each, and returns their
/// results in thread order. Must be called from a pool job (it blocks until all finish),
/// with `count` no larger than the pool, so every thread is running at the same time.
pub fn run_actors<R: Send>(
    count: u32,
    token: RunToken,
    record: bool,
    body: impl Fn(Actor) -> R + Sync,
) -> Vec<R> {
    for index in 0..count {
        telemetry::set_lane_state(index as usize, ThreadState::New);
    }
    let results: Vec<Mutex<Option<R>>> = (0..count).map(|_| Mutex::new(None)).collect();
    super::pool::scope(|scope| {
        for index in 0..count {
            let (results, body) = (&results, &body);
            scope.spawn(move |_| {
                let actor = Actor {
                    index,
                    token,
                    record,
                };
                actor.set_state(ThreadState::Working);
                let result = body(actor);
                actor.set_state(ThreadState::Dead);
                // Workers only: this lock is never reachable from the page's main thread.
                *results[index as usize]
                    .lock()
                    .unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every actor stores a result")
        })
        .collect()
}

/// Why a blocking call returned without what it asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitError {
    TimedOut,
    Cancelled,
    /// The deadlock watchdog chose this thread to give up its wait.
    Aborted,
    /// Releasing a lock this thread does not hold (or a bounded semaphore too often).
    NotOwner,
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WaitError::TimedOut => "timed out",
            WaitError::Cancelled => "cancelled",
            WaitError::Aborted => "aborted by the watchdog",
            WaitError::NotOwner => "released something it does not hold",
        })
    }
}

/// A logical thread of an experiment: its index (its timeline lane and registry slot),
/// its run's cancel token, and whether its waits are recorded as spans.
#[derive(Clone, Copy, Debug)]
pub struct Actor {
    pub index: u32,
    pub token: RunToken,
    pub record: bool,
}

impl Actor {
    /// Records a span of this thread (if recording) and nothing else.
    pub fn span(self, state: ThreadState, label: u32, start_ms: f64, end_ms: f64) {
        if self.record {
            telemetry::record(Span {
                lane: self.index,
                state,
                label,
                start_ms,
                end_ms,
            });
        }
    }

    /// Publishes this thread's live state.
    pub fn set_state(self, state: ThreadState) {
        telemetry::set_lane_state(self.index as usize, state);
    }

    /// Sleeps `ms` (a worker may block), recorded as Sleeping; returns early on cancel.
    pub fn sleep(self, ms: f64, label: u32) -> Result<(), WaitError> {
        let start = clock::now_ms();
        self.set_state(ThreadState::Sleeping);
        let result = sleep_worker(ms, self.token);
        self.span(ThreadState::Sleeping, label, start, clock::now_ms());
        self.set_state(ThreadState::Working);
        result
    }

    /// Computes (spins) for `us` microseconds: CPU-bound work, recorded as Running.
    pub fn work(self, us: f64, label: u32) {
        let start = clock::now_ms();
        let until = start + us / 1000.0;
        let mut x = 0u64;
        while clock::now_ms() < until {
            for i in 0..64 {
                x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
            }
        }
        self.span(ThreadState::Working, label, start, clock::now_ms());
    }
}

/// Blocks the calling worker for `ms`, returning early (`Cancelled`) on cancel. A worker may
/// block; the page's main thread may not (`wait32` traps there), so there it returns at once.
pub fn sleep_worker(ms: f64, token: RunToken) -> Result<(), WaitError> {
    static NEVER_CHANGES: AtomicI32 = AtomicI32::new(0);
    if super::env::is_window() {
        return Ok(());
    }
    let quiet = Actor {
        index: 0,
        token,
        record: false,
    };
    match park(&NEVER_CHANGES, 0, clock::now_ms() + ms, quiet, false) {
        Err(WaitError::TimedOut) => Ok(()),
        other => other,
    }
}

/// Longest single sleep inside a wait: how often cancel, abort and deadline are checked.
const SLICE_MS: f64 = 20.0;

/// Sleeps while `word == expected`, in slices, until woken (`Ok`), or the deadline, a
/// cancel or (when `abortable`) a watchdog abort. Callers re-check their condition: a
/// wake-up is only a hint.
pub(crate) fn park(
    word: &AtomicI32,
    expected: i32,
    deadline_ms: f64,
    actor: Actor,
    abortable: bool,
) -> Result<(), WaitError> {
    // `wait32` traps on the page's thread; a clear report beats a trap.
    assert!(
        !super::env::is_window(),
        "a blocking wait was reached from the page's main thread, which must never block"
    );
    loop {
        if actor.token.is_cancelled() {
            return Err(WaitError::Cancelled);
        }
        if abortable && registry::take_abort(actor.index) {
            return Err(WaitError::Aborted);
        }
        let now = clock::now_ms();
        if now >= deadline_ms {
            return Err(WaitError::TimedOut);
        }
        let slice_ns = ((deadline_ms - now).min(SLICE_MS) * 1e6) as i64;
        // SAFETY: `word` is a live, aligned i32 atomic; wait32 only reads it. Workers only.
        let result = unsafe { memory_atomic_wait32(word.as_ptr(), expected, slice_ns.max(1)) };
        if result != 2 {
            return Ok(()); // 0: notified, 1: the value had already changed
        }
    }
}

/// The common shape of every blocking call: until `ready()` says yes, register what this
/// thread waits for, show `state`, and park on `word` while it still reads `expected`.
/// Records the wait as a span (labelled with the resource id) when there was one.
/// Returns the time waited.
pub(crate) fn block_until(
    actor: Actor,
    resource: u32,
    state: ThreadState,
    word: &AtomicI32,
    expected: i32,
    deadline_ms: f64,
    mut ready: impl FnMut() -> bool,
) -> Result<f64, WaitError> {
    if ready() {
        return Ok(0.0);
    }
    let start = clock::now_ms();
    registry::set_waiting(actor.index, resource, word);
    actor.set_state(state);
    let result = loop {
        if ready() {
            break Ok(());
        }
        if let Err(error) = park(word, expected, deadline_ms, actor, true) {
            break Err(error);
        }
    };
    registry::clear_waiting(actor.index);
    let end = clock::now_ms();
    actor.span(state, resource, start, end);
    actor.set_state(ThreadState::Working);
    result.map(|()| end - start)
}

/// Parks until `ready(word)` holds (re-checked after every wake-up), the deadline or a cancel.
/// For plain hand-offs through one word; resources that wait-for graphs must see use
/// [`block_until`].
pub(crate) fn park_until(
    word: &AtomicI32,
    deadline_ms: f64,
    actor: Actor,
    ready: impl Fn(i32) -> bool,
) -> Result<(), WaitError> {
    loop {
        let seen = word.load(std::sync::atomic::Ordering::Acquire);
        if ready(seen) {
            return Ok(());
        }
        park(word, seen, deadline_ms, actor, false)?;
    }
}

/// Wakes up to `count` threads parked on `word`. Never blocks (allowed on the main thread).
pub(crate) fn wake(word: &AtomicI32, count: u32) {
    // SAFETY: as for `park`; notify does not block.
    unsafe {
        memory_atomic_notify(word.as_ptr(), count);
    }
}
