//! The starvation tab on two real threads. Starvation: both run the same loop (take a lock,
//! compute, let go, ask again) on a lock that keeps no order among its waiters, so the
//! thread that lets go takes it back before the sleeping waiter looks again; a ticket lock
//! serves them in turn. Livelock: each holds one of two locks and wants the other's; both let
//! go and retry after the same fixed wait, in step, or after random waits.

use crate::model::labs::shared_memory::{
    StarvationParams, StarvationReport, StarvationScenario, StarvationThread, StarvationVerdict,
};
use crate::model::rng::SplitMix64;
use crate::model::thread_state::ThreadState;
use crate::runtime::cancel::RunToken;
use crate::runtime::sync::{self, Actor, WaitError, sleep_worker};
use crate::runtime::telemetry;
use crate::runtime::{clock, pool};
use std::sync::atomic::{AtomicU32, Ordering};

/// Computing while holding the lock, per turn (µs).
const HOLD_US: f64 = 300.0;
/// A waiter that finds the lock taken sleeps this long before it looks again.
const NAP_MS: f64 = 0.1;
/// Livelock: a round of the polite pair. Each starts its attempts on the shared clock's
/// round marks: having collided together and waited the same fixed time, they come back
/// together. Random backoff starts each attempt up to a round later.
const ROUND_MS: f64 = 3.0;
/// Time between taking the first lock and reaching for the second. Spent asleep, as a
/// thread waiting on IO would: two threads computing on a busy 2-core machine would be
/// paused by the OS at random and fall out of step.
const REACH_MS: f64 = 1.0;
/// Finding the second lock taken, a thread keeps its first this long before it lets go:
/// the other, reaching at about the same moment, finds it taken too.
const LINGER_MS: f64 = 1.0;

/// A lock with no order among waiters: whoever finds it free first takes it.
struct NoOrderLock(AtomicU32);

impl NoOrderLock {
    fn try_take(&self) -> bool {
        self.0
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    fn release(&self) {
        self.0.store(0, Ordering::Release);
    }
}

/// A ticket lock: first come, first served.
struct TicketLock {
    next: AtomicU32,
    serving: AtomicU32,
}

pub async fn run(params: StarvationParams) -> Result<StarvationReport, String> {
    params.validate()?;
    pool::submit(move |token| {
        telemetry::reset(20_000);
        let start = clock::now_ms();
        let deadline = start + f64::from(params.duration_ms);
        let no_order = [
            NoOrderLock(AtomicU32::new(0)),
            NoOrderLock(AtomicU32::new(0)),
        ];
        let ticket = TicketLock {
            next: AtomicU32::new(0),
            serving: AtomicU32::new(0),
        };
        if params.scenario == StarvationScenario::PoolExhaustion {
            return exhaust_pool(token, start, f64::from(params.duration_ms));
        }
        let threads = sync::run_actors(2, token, true, |actor| match params.scenario {
            StarvationScenario::UnfairLock => take_turns(actor, deadline, || {
                wait_until(actor, deadline, || no_order[0].try_take())
                    .map(|got| got.then_some(|| no_order[0].release()))
            }),
            StarvationScenario::FairLock => take_turns(actor, deadline, || {
                let mine = ticket.next.fetch_add(1, Ordering::AcqRel);
                wait_until(actor, deadline, || {
                    ticket.serving.load(Ordering::Acquire) == mine
                })
                .map(|got| {
                    got.then_some(|| {
                        ticket.serving.fetch_add(1, Ordering::AcqRel);
                    })
                })
            }),
            scenario => polite_pair(actor, start, deadline, scenario, &no_order),
        });
        report(params.scenario, threads, start)
    })
    .await?
}

/// Waits (in naps of [`NAP_MS`]) until `ready`; false if the run ended first.
fn wait_until(actor: Actor, deadline: f64, ready: impl Fn() -> bool) -> Result<bool, WaitError> {
    loop {
        if ready() {
            return Ok(true);
        }
        if clock::now_ms() >= deadline {
            return Ok(false);
        }
        sleep_worker(NAP_MS, actor.token)?;
    }
}

/// The lock scenarios' loop: ask for the lock (`take` waits and returns how to let go, or
/// nothing if the run ended), compute while holding it, let go, ask again.
fn take_turns<R: FnOnce()>(
    actor: Actor,
    deadline: f64,
    take: impl Fn() -> Result<Option<R>, WaitError>,
) -> Result<StarvationThread, WaitError> {
    let mut me = StarvationThread::default();
    while clock::now_ms() < deadline {
        let wanted = clock::now_ms();
        actor.set_state(ThreadState::Blocked);
        let taken = take()?;
        let now = clock::now_ms();
        me.longest_wait_ms = me.longest_wait_ms.max(now - wanted);
        // A turn taken at once is no wait worth a bar (the greedy side takes thousands).
        if now - wanted > 0.05 {
            actor.span(ThreadState::Blocked, me.done, wanted, now);
        }
        let Some(release) = taken else { break };
        actor.set_state(ThreadState::Working);
        actor.work(HOLD_US, me.done);
        release();
        me.done += 1;
    }
    Ok(me)
}

/// The livelock scenarios: T1 takes lock 0 and reaches for lock 1, T2 the other way round.
/// Finding the second taken, a thread lingers, lets go of its first and tries again at the
/// next round mark (fixed backoff) or at a random moment of the round after (random).
fn polite_pair(
    actor: Actor,
    start: f64,
    deadline: f64,
    scenario: StarvationScenario,
    locks: &[NoOrderLock; 2],
) -> Result<StarvationThread, WaitError> {
    let (first, second) = if actor.index == 0 {
        (&locks[0], &locks[1])
    } else {
        (&locks[1], &locks[0])
    };
    let mut rng = SplitMix64::new(0x5EED + u64::from(actor.index));
    let mut me = StarvationThread::default();
    let mut wanted = clock::now_ms();
    loop {
        let now = clock::now_ms();
        let mark = start + ((now - start) / ROUND_MS).ceil() * ROUND_MS;
        let at = match scenario {
            StarvationScenario::RandomBackoff => mark + ROUND_MS * rng.below(1000) as f64 / 1000.0,
            _ => mark,
        };
        if at >= deadline {
            break;
        }
        actor.sleep(at - now, me.retries)?;
        if !wait_until(actor, deadline, || first.try_take())? {
            break;
        }
        actor.sleep(REACH_MS, me.retries)?;
        if second.try_take() {
            actor.work(HOLD_US, me.retries);
            second.release();
            first.release();
            me.done += 1;
            me.longest_wait_ms = me.longest_wait_ms.max(clock::now_ms() - wanted);
            wanted = clock::now_ms();
        } else {
            actor.sleep(LINGER_MS, me.retries)?;
            first.release();
            me.retries += 1;
        }
    }
    // A thread that never got both locks waited the whole run.
    me.longest_wait_ms = me.longest_wait_ms.max(clock::now_ms() - wanted);
    Ok(me)
}

/// `pool-exhaustion`: one task more than the pool has threads, each waiting (at most
/// `patience_ms`) until all are running at once. The pool runs as many as it has threads;
/// the one left over gets a thread only when the others give up, and then waits alone.
fn exhaust_pool(token: RunToken, start: f64, patience_ms: f64) -> Result<StarvationReport, String> {
    let tasks = pool::threads() + 1;
    let present = AtomicU32::new(0);
    let met = AtomicU32::new(0);
    let threads = sync::run_actors(tasks, token, true, |actor| {
        let got = clock::now_ms();
        // Until now the task was queued, with no thread to run on.
        actor.span(ThreadState::New, 0, start, got);
        present.fetch_add(1, Ordering::AcqRel);
        actor.set_state(ThreadState::Waiting);
        let all_here = wait_until(actor, got + patience_ms, || {
            if present.load(Ordering::Acquire) >= tasks {
                met.store(1, Ordering::Release);
            }
            met.load(Ordering::Acquire) == 1
        });
        present.fetch_sub(1, Ordering::AcqRel);
        actor.span(ThreadState::Waiting, 0, got, clock::now_ms());
        Ok::<_, WaitError>(StarvationThread {
            done: u32::from(all_here?),
            longest_wait_ms: got - start,
            retries: 0,
        })
    });
    report(StarvationScenario::PoolExhaustion, threads, start)
}

/// The report of a run whose threads ended with `threads` (an error if any wait failed).
fn report(
    scenario: StarvationScenario,
    threads: Vec<Result<StarvationThread, WaitError>>,
    start: f64,
) -> Result<StarvationReport, String> {
    let threads = threads
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(StarvationReport {
        lab: "starvation",
        scenario,
        verdict: StarvationVerdict::of(scenario, &threads),
        threads,
        ms: clock::now_ms() - start,
    })
}
