//! Signals between real threads: an Event set by one thread and awaited by the others, a
//! Condition handshake between a producer and consumers, and a Barrier that releases
//! threads of uneven speed together. Each measures how quickly waiters wake.

use crate::model::labs::shared_memory::{SignalKind, SignalParams, SignalReport};
use crate::model::stats::Summary;
use crate::runtime::sync::{self, Actor, Barrier, Condition, Event, Lock, WaitError, registry};
use crate::runtime::telemetry;
use crate::runtime::{cancel::RunToken, clock, pool};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

const TIMEOUT_MS: f64 = 10_000.0;
/// Registry ids: events use 0..rounds; the others use these.
const LOCK_ID: u32 = 0;
const READY_ID: u32 = 1;
const TAKEN_ID: u32 = 2;
const BARRIER_ID: u32 = 0;

pub async fn run(params: SignalParams) -> Result<SignalReport, String> {
    params.validate(pool::threads())?;
    pool::submit(move |token| {
        telemetry::reset(u64::from(params.rounds));
        registry::reset();
        let start = clock::now_ms();
        let mut report = match params.kind {
            SignalKind::Event => event_rounds(&params, token),
            SignalKind::Condition => condition_handshake(&params, token),
            SignalKind::Barrier => barrier_rounds(&params, token),
        }
        .map_err(|e| e.to_string())?;
        report.ms = clock::now_ms() - start;
        Ok(report)
    })
    .await?
}

fn empty_report(params: &SignalParams) -> SignalReport {
    SignalReport {
        lab: "signals",
        kind: params.kind,
        threads: params.threads,
        rounds: params.rounds,
        wake_latency_ms: None,
        arrival_spread_ms: None,
        departure_spread_ms: None,
        handed_over: Vec::new(),
        ms: 0.0,
    }
}

fn collect<T>(results: Vec<Result<T, WaitError>>) -> Result<Vec<T>, WaitError> {
    results.into_iter().collect()
}

/// T1 sets one event per round after a pause; every other thread waits for it.
fn event_rounds(params: &SignalParams, token: RunToken) -> Result<SignalReport, WaitError> {
    let events: Vec<Event> = (0..params.rounds).map(Event::new).collect();
    let set_at: Vec<AtomicU64> = (0..params.rounds).map(|_| AtomicU64::new(0)).collect();
    let latencies = Mutex::new(Vec::new());
    let results = sync::run_actors(params.threads, token, true, |actor: Actor| {
        for round in 0..params.rounds as usize {
            if actor.index == 0 {
                actor.sleep(60.0, round as u32)?;
                set_at[round].store(clock::now_ms().to_bits(), Ordering::Release);
                events[round].set();
                telemetry::progress_add(1);
            } else {
                let waited = events[round].wait(actor, TIMEOUT_MS)?;
                let woke = clock::now_ms();
                if waited > 0.0 {
                    let set = f64::from_bits(set_at[round].load(Ordering::Acquire));
                    latencies
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(woke - set);
                }
            }
        }
        Ok(())
    });
    collect(results)?;
    let latencies = latencies.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(SignalReport {
        wake_latency_ms: Summary::of(&latencies),
        ..empty_report(params)
    })
}

/// T1 hands items to the other threads one at a time through a one-item slot guarded by
/// a lock, with a "ready" and a "taken" condition.
fn condition_handshake(params: &SignalParams, token: RunToken) -> Result<SignalReport, WaitError> {
    const EMPTY: u32 = u32::MAX;
    let lock = Lock::new(LOCK_ID);
    let ready = Condition::new(READY_ID);
    let taken = Condition::new(TAKEN_ID);
    let slot = AtomicU32::new(EMPTY);
    let notified_at = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let total = params.rounds * (params.threads - 1);
    let handed = Mutex::new(Vec::new());
    let latencies = Mutex::new(Vec::new());
    let results = sync::run_actors(params.threads, token, true, |actor: Actor| {
        if actor.index == 0 {
            for item in 0..total {
                actor.work(2000.0, item); // "produce" for 2 ms
                lock.acquire(actor, TIMEOUT_MS)?;
                while slot.load(Ordering::Acquire) != EMPTY {
                    taken.wait(&lock, actor, TIMEOUT_MS)?;
                }
                slot.store(item, Ordering::Release);
                notified_at.store(clock::now_ms().to_bits(), Ordering::Release);
                ready.notify();
                lock.release(actor)?;
            }
            lock.acquire(actor, TIMEOUT_MS)?;
            done.store(true, Ordering::Release);
            ready.notify_all();
            lock.release(actor)?;
            return Ok(());
        }
        loop {
            lock.acquire(actor, TIMEOUT_MS)?;
            let mut waited = false;
            while slot.load(Ordering::Acquire) == EMPTY && !done.load(Ordering::Acquire) {
                ready.wait(&lock, actor, TIMEOUT_MS)?;
                waited = true;
            }
            let item = slot.swap(EMPTY, Ordering::AcqRel);
            if item == EMPTY {
                lock.release(actor)?;
                return Ok(()); // done and nothing left
            }
            if waited {
                let at = f64::from_bits(notified_at.load(Ordering::Acquire));
                latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(clock::now_ms() - at);
            }
            handed.lock().unwrap_or_else(|e| e.into_inner()).push(item);
            taken.notify();
            lock.release(actor)?;
            telemetry::progress_add(1);
            actor.work(3000.0, item); // "consume" for 3 ms, outside the lock
        }
    });
    collect(results)?;
    Ok(SignalReport {
        wake_latency_ms: Summary::of(&latencies.into_inner().unwrap_or_else(|e| e.into_inner())),
        handed_over: handed.into_inner().unwrap_or_else(|e| e.into_inner()),
        ..empty_report(params)
    })
}

/// Threads of uneven speed meet at a barrier each round and leave together.
fn barrier_rounds(params: &SignalParams, token: RunToken) -> Result<SignalReport, WaitError> {
    let barrier = Barrier::new(BARRIER_ID, params.threads);
    let times = Mutex::new(Vec::new());
    let results = sync::run_actors(params.threads, token, true, |actor: Actor| {
        for round in 0..params.rounds {
            // Uneven work: thread i needs (i + 1) × 15 ms.
            actor.work(f64::from(actor.index + 1) * 15_000.0, round);
            let arrived = clock::now_ms();
            if barrier.wait(actor, TIMEOUT_MS)? {
                telemetry::progress_add(1);
            }
            let left = clock::now_ms();
            times
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((round, arrived, left));
        }
        Ok(())
    });
    collect(results)?;
    let times = times.into_inner().unwrap_or_else(|e| e.into_inner());
    let spread = |pick: fn(&(u32, f64, f64)) -> f64| {
        let per_round: Vec<f64> = (0..params.rounds)
            .map(|round| {
                let values: Vec<f64> = times.iter().filter(|t| t.0 == round).map(pick).collect();
                values.iter().copied().fold(f64::MIN, f64::max)
                    - values.iter().copied().fold(f64::MAX, f64::min)
            })
            .collect();
        Summary::of(&per_round)
    };
    Ok(SignalReport {
        arrival_spread_ms: spread(|t| t.1),
        departure_spread_ms: spread(|t| t.2),
        ..empty_report(params)
    })
}
