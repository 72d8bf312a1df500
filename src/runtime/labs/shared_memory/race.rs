//! The race experiment on real threads: every thread deposits n and withdraws n, many
//! times, on one shared balance. Unsynchronised, the balance ends wrong.
//!
//! The unsynchronised variant loads, then stores with `swap`: still two separate steps
//! (another thread can write in between, exactly like `balance = balance + n`), but the
//! swap tells us what we overwrote. If that is not what we loaded, another thread's update
//! has just been lost, and we count it. Relaxed atomics make the race real without
//! undefined behaviour.

use crate::model::labs::shared_memory::{
    RaceParams, RaceReport, RaceRun, RaceVariant, race_amount, race_report,
};
use crate::model::thread_state::ThreadState;
use crate::runtime::sync::{self, Actor, Barrier, Lock, registry};
use crate::runtime::telemetry::{self, Span};
use crate::runtime::{cancel::RunToken, clock, pool};
use std::sync::atomic::{AtomicI64, Ordering};

/// Generous: a lock wait here is at most another thread's few nanoseconds of work.
const LOCK_TIMEOUT_MS: f64 = 10_000.0;

/// Validates, then runs `repeats` races in one job.
pub async fn run(params: RaceParams) -> Result<RaceReport, String> {
    params.validate(pool::threads())?;
    pool::submit(move |token| {
        telemetry::reset(u64::from(params.repeats));
        registry::reset();
        let mut runs = Vec::with_capacity(params.repeats as usize);
        for round in 0..params.repeats {
            runs.push(race_once(&params, token, round)?);
            telemetry::progress_add(1);
        }
        race_report(&params, runs).ok_or_else(|| "no runs".to_string())
    })
    .await?
}

fn race_once(params: &RaceParams, token: RunToken, round: u32) -> Result<RaceRun, String> {
    let balance = AtomicI64::new(0);
    let lock = Lock::new(0);
    let start = clock::now_ms();
    telemetry::mark(round, start);
    // Per-operation spans would be hundreds of thousands; each thread records one span
    // for its whole loop instead (lock waits are summed, not drawn).
    let start_line = Barrier::new(1, params.threads);
    let per_thread = sync::run_actors(params.threads, token, false, |actor| {
        // Start together, as `t1.start(); t2.start()` roughly does: a loop of a few
        // milliseconds could otherwise finish before the other thread is even running.
        start_line.wait(actor, LOCK_TIMEOUT_MS)?;
        let begin = clock::now_ms();
        let result = hammer(params, &balance, &lock, actor);
        telemetry::record(Span {
            lane: actor.index,
            state: ThreadState::Working,
            label: actor.index,
            start_ms: begin,
            end_ms: clock::now_ms(),
        });
        result
    });
    let ms = clock::now_ms() - start;
    if token.is_cancelled() {
        return Err("cancelled".into());
    }
    let mut lost_updates = 0;
    for result in per_thread {
        lost_updates += result.map_err(|e| e.to_string())?;
    }
    Ok(RaceRun {
        final_balance: balance.load(Ordering::SeqCst),
        lost_updates,
        ms,
    })
}

/// One thread's loop; returns the updates it overwrote.
fn hammer(
    params: &RaceParams,
    balance: &AtomicI64,
    lock: &Lock,
    actor: Actor,
) -> Result<u64, sync::WaitError> {
    let n = race_amount(actor.index);
    let mut lost = 0u64;
    for i in 0..params.iterations {
        if i % 4096 == 0 && actor.token.is_cancelled() {
            return Err(sync::WaitError::Cancelled);
        }
        match params.variant {
            RaceVariant::Unsync => {
                lost += unsynchronised_add(balance, n, params.think);
                lost += unsynchronised_add(balance, -n, params.think);
            }
            RaceVariant::Lock => {
                lock.acquire(actor, LOCK_TIMEOUT_MS)?;
                unsynchronised_add(balance, n, params.think);
                unsynchronised_add(balance, -n, params.think);
                lock.release(actor)?;
            }
            RaceVariant::Atomic => {
                balance.fetch_add(think_about(n, params.think), Ordering::Relaxed);
                balance.fetch_sub(think_about(n, params.think), Ordering::Relaxed);
            }
        }
    }
    Ok(lost)
}

/// `balance = balance + n` as two steps; returns 1 if our store overwrote someone's.
#[inline]
fn unsynchronised_add(balance: &AtomicI64, n: i64, think: u32) -> u64 {
    let seen = balance.load(Ordering::Relaxed);
    let new = think_about(seen + n, think);
    let overwritten = balance.swap(new, Ordering::Relaxed);
    u64::from(overwritten != seen)
}

/// Returns `value` after `steps` opaque steps (about a nanosecond each): the time an
/// interpreter spends between reading a variable and writing the result.
#[inline]
fn think_about(value: i64, steps: u32) -> i64 {
    let mut x = value;
    for _ in 0..steps {
        x = std::hint::black_box(x);
    }
    x
}
