//! The deadlock experiment on real threads, with a watchdog that finds and breaks it.
//!
//! T1 takes A then B while T2 takes B then A: each ends up holding what the other wants.
//! The watchdog runs on the page's main thread, reading the lock registry every 20 ms
//! (atomic loads only), builds the wait-for graph, names the cycle and recovers by
//! aborting one thread's wait; that thread releases what it holds and the other finishes.
//! Every acquire also has a timeout, the backstop if the watchdog were not there.

use crate::model::labs::shared_memory::{
    DeadlockParams, DeadlockReport, DeadlockScenario, DeadlockThread,
};
use crate::model::thread_state::thread_name;
use crate::model::wait_for::find_cycle;
use crate::runtime::sync::{self, Actor, Barrier, Lock, RLock, WaitError, registry};
use crate::runtime::telemetry;
use crate::runtime::{clock, pool};
use futures::future::{Either, select};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Lock names by registry id, for messages and the graph.
pub const LOCK_NAMES: [&str; 2] = ["A", "B"];
/// Registry id of the barrier the threads start from (never part of a cycle: no owner).
const START_LINE_ID: u32 = 9;
const WATCH_EVERY_MS: u32 = 20;

/// Highest RLock count seen in the current run (for the page's live view).
static RLOCK_MAX: AtomicU32 = AtomicU32::new(0);
/// When the threads started, as f64 bits of `clock::now_ms`.
static STARTED_AT: AtomicU64 = AtomicU64::new(0);

/// Runs the scenario with the watchdog on this (main) thread.
pub async fn run(params: DeadlockParams) -> Result<DeadlockReport, String> {
    params.validate(pool::threads())?;
    let job_params = params.clone();
    let mut job = Box::pin(pool::submit(move |token| {
        telemetry::reset(0);
        registry::reset();
        RLOCK_MAX.store(0, Ordering::Relaxed);
        STARTED_AT.store(clock::now_ms().to_bits(), Ordering::Release);
        let threads = if job_params.scenario == DeadlockScenario::AbBa {
            2
        } else {
            1
        };
        // Both threads start together: without this, a thread that a busy machine starts
        // late would find both locks free and the demo would depend on luck.
        let start_line = Barrier::new(START_LINE_ID, threads);
        let outcomes = sync::run_actors(threads, token, true, |actor| {
            if let Err(error) = start_line.wait(actor, f64::from(job_params.timeout_ms)) {
                let name = thread_name(actor.index);
                return DeadlockThread {
                    name,
                    outcome: error.to_string(),
                    acquired: vec![],
                };
            }
            scenario_thread(&job_params, actor)
        });
        (outcomes, clock::now_ms())
    }));
    let mut detection: Option<(String, f64)> = None;
    let mut graph = registry::Snapshot::default();
    let (outcomes, finished_at) = loop {
        let tick = Box::pin(gloo::timers::future::TimeoutFuture::new(WATCH_EVERY_MS));
        match select(job, tick).await {
            Either::Left((result, _)) => break result?,
            Either::Right((_, pending)) => {
                job = pending;
                if detection.is_none()
                    && let Some((cycle, victim, seen)) = watch()
                {
                    detection = Some((cycle, clock::now_ms()));
                    graph = seen;
                    registry::abort(victim);
                }
            }
        }
    };
    let started = f64::from_bits(STARTED_AT.load(Ordering::Acquire));
    let rlock = (params.scenario == DeadlockScenario::Rlock
        || (params.scenario == DeadlockScenario::SelfLock && params.fix))
        .then(|| RLOCK_MAX.load(Ordering::Relaxed));
    Ok(DeadlockReport {
        lab: "deadlock",
        scenario: params.scenario,
        fix: params.fix,
        deadlocked: detection.is_some() || outcomes.iter().any(|t| t.outcome == "timed out"),
        cycle: detection.as_ref().map(|(cycle, _)| cycle.clone()),
        detect_ms: detection.as_ref().map(|(_, at)| at - started),
        recovery_ms: detection.as_ref().map(|(_, at)| finished_at - at),
        ms: finished_at - started,
        threads: outcomes,
        rlock_max_count: rlock,
        holding: graph
            .holding
            .iter()
            .map(|h| (h.thread, h.resource))
            .collect(),
        waiting: graph
            .waiting
            .iter()
            .map(|w| (w.thread, w.resource))
            .collect(),
    })
}

/// One look at the registry: the cycle's description, the thread to abort, and the graph.
pub fn watch() -> Option<(String, u32, registry::Snapshot)> {
    let snapshot = registry::snapshot();
    let cycle = find_cycle(&snapshot.waiting, &snapshot.holding)?;
    let text = cycle.describe(|t| thread_name(t as u32), resource_name);
    // Abort the highest-numbered thread: any member of the ring breaks it.
    let victim = cycle.threads().into_iter().max()? as u32;
    Some((text, victim, snapshot))
}

/// "A", "B", or "#n" for other resources.
pub fn resource_name(resource: usize) -> String {
    LOCK_NAMES
        .get(resource)
        .map_or_else(|| format!("#{resource}"), |name| name.to_string())
}

fn scenario_thread(params: &DeadlockParams, actor: Actor) -> DeadlockThread {
    let timeout = f64::from(params.timeout_ms);
    let hold = f64::from(params.hold_ms);
    let name = thread_name(actor.index);
    let (acquired, result) = match params.scenario {
        DeadlockScenario::AbBa => {
            let (a, b) = (&LOCKS.0, &LOCKS.1);
            let order = if params.fix || actor.index == 0 {
                [a, b]
            } else {
                [b, a]
            };
            take_in_order(&order, actor, timeout, hold)
        }
        DeadlockScenario::SelfLock if !params.fix => {
            let a = &LOCKS.0;
            take_in_order(&[a, a], actor, timeout, hold)
        }
        DeadlockScenario::SelfLock | DeadlockScenario::Rlock => reenter(actor, timeout, hold),
    };
    let outcome = match result {
        Ok(()) => "finished".to_string(),
        Err(error) => error.to_string(),
    };
    DeadlockThread {
        name,
        outcome,
        acquired,
    }
}

/// Fresh locks for each run would have to outlive the watchdog's wake-ups; two statics
/// are simpler and safe because runs are serialised by the conductor.
struct Locks(Lock, Lock);
static LOCKS: Locks = Locks(Lock::new(0), Lock::new(1));
static REENTRANT: RLock = RLock::new(0);

/// Takes the locks one after another (holding each a while), then releases them all.
fn take_in_order(
    order: &[&Lock],
    actor: Actor,
    timeout: f64,
    hold: f64,
) -> (Vec<String>, Result<(), WaitError>) {
    let mut held: Vec<&Lock> = Vec::new();
    let mut result = Ok(());
    for lock in order {
        match lock.acquire(actor, timeout) {
            Ok(_) => {
                held.push(lock);
                // Holding the lock a while makes the bad interleaving certain, not lucky.
                if let Err(error) = actor.sleep(hold, lock.id()) {
                    result = Err(error);
                    break;
                }
            }
            Err(error) => {
                result = Err(error);
                break;
            }
        }
    }
    let names = held
        .iter()
        .map(|l| resource_name(l.id() as usize))
        .collect();
    // Release in reverse order; a self-deadlocked thread holds A once.
    for lock in held.iter().rev() {
        let _ = lock.release(actor);
    }
    (names, result)
}

/// Takes the RLock twice (count 2), holds it, and releases both levels.
fn reenter(actor: Actor, timeout: f64, hold: f64) -> (Vec<String>, Result<(), WaitError>) {
    let mut names = Vec::new();
    let mut result = Ok(());
    for _ in 0..2 {
        match REENTRANT.acquire(actor, timeout) {
            Ok(_) => {
                names.push("R".to_string());
                RLOCK_MAX.fetch_max(REENTRANT.count(), Ordering::Relaxed);
                if let Err(error) = actor.sleep(hold, 0) {
                    result = Err(error);
                    break;
                }
            }
            Err(error) => {
                result = Err(error);
                break;
            }
        }
    }
    for _ in 0..names.len() {
        let _ = REENTRANT.release(actor);
    }
    (names, result)
}
