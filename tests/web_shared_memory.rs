//! wasm tests of the shared-memory lab on real workers (headless Chromium, dedicated
//! worker, pool of 6): mutual exclusion, lost updates, the semaphore bound, the queue's
//! audit, deadlock detection and recovery, and RLock vs Lock re-entry.
#![cfg(target_arch = "wasm32")]

use concurrency_lab::model::labs::shared_memory::*;
use concurrency_lab::runtime::labs::shared_memory::{deadlock, queue, race, semaphore, signals};
use concurrency_lab::runtime::sync::{self, Lock, registry};
use concurrency_lab::runtime::{clock, pool};
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

async fn ensure_pool() {
    assert_eq!(pool::start(pool::MIN_THREADS).await, Ok(pool::MIN_THREADS));
}

#[wasm_bindgen_test]
async fn lock_gives_mutual_exclusion_for_4_threads_x_100000_increments() {
    ensure_pool().await;
    let total = pool::submit(|token| {
        registry::reset();
        let lock = Lock::new(0);
        let counter = AtomicU64::new(0);
        let results = sync::run_actors(4, token, false, |actor| {
            for _ in 0..100_000 {
                lock.acquire(actor, 10_000.0)?;
                // A deliberately non-atomic increment: only the lock makes it safe.
                let seen = counter.load(Ordering::Relaxed);
                counter.store(seen + 1, Ordering::Relaxed);
                lock.release(actor)?;
            }
            Ok::<_, sync::WaitError>(())
        });
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        counter.load(Ordering::SeqCst)
    })
    .await
    .unwrap();
    assert_eq!(total, 400_000);
}

#[wasm_bindgen_test]
async fn unsynchronised_updates_are_lost_within_a_bounded_number_of_tries() {
    ensure_pool().await;
    // How often a run loses updates depends on how the two cores interleave; some runs
    // lose none. Try until one does (at most MAX_TRIES) and report the rate.
    const MAX_TRIES: usize = 30;
    let (mut tries, mut wrong, mut lost) = (0, 0, 0);
    while tries < MAX_TRIES && lost == 0 {
        let report = race::run(RaceParams {
            threads: 2,
            iterations: 1_000_000,
            ..RaceParams::default()
        })
        .await
        .unwrap();
        tries += 1;
        wrong += usize::from(report.final_balance != 0);
        lost += report.lost_updates;
    }
    web_sys::console::log_1(
        &format!("unsync race: {lost} lost updates, {wrong} wrong balances in {tries} tries")
            .into(),
    );
    // (A lost +5 and a lost -5 can cancel out, so a wrong balance is likely, not certain.)
    assert!(lost > 0, "no update was lost in {MAX_TRIES} tries");
}

#[wasm_bindgen_test]
async fn locked_and_atomic_variants_always_end_at_zero() {
    ensure_pool().await;
    for variant in [RaceVariant::Lock, RaceVariant::Atomic] {
        let report = race::run(RaceParams {
            threads: 4,
            iterations: 50_000,
            variant,
            repeats: 3,
            ..RaceParams::default()
        })
        .await
        .unwrap();
        assert_eq!(report.histogram, vec![(0, 3)], "{variant:?}");
        assert_eq!(report.runs.iter().map(|r| r.lost_updates).sum::<u64>(), 0);
    }
}

#[wasm_bindgen_test]
async fn semaphore_never_admits_more_than_its_permits() {
    ensure_pool().await;
    let report = semaphore::run(SemaphoreParams {
        threads: 6,
        permits: 2,
        rounds: 3,
        work_ms: 10,
    })
    .await
    .unwrap();
    assert!(report.max_inside <= 2, "{report:?}");
    assert_eq!(report.max_inside, 2, "six threads should fill both permits");
    assert_eq!(report.entries, 18);
    assert!(report.waited > 0);
}

#[wasm_bindgen_test]
async fn queue_loses_and_duplicates_nothing() {
    ensure_pool().await;
    let params = QueueParams {
        producers: 3,
        consumers: 3,
        capacity: 4,
        items: 3000,
        produce_us: 0,
        consume_us: 50,
    };
    let report = queue::run(params).await.unwrap();
    assert_eq!(
        (report.consumed, report.duplicates, report.missing),
        (3000, 0, 0)
    );
    assert!(report.max_occupancy <= 4);
}

#[wasm_bindgen_test]
async fn ab_ba_deadlock_is_detected_named_and_recovered_within_a_second() {
    ensure_pool().await;
    let started = clock::now_ms();
    let report = deadlock::run(DeadlockParams::default()).await.unwrap();
    assert!(report.deadlocked);
    assert_eq!(
        report.cycle.as_deref(),
        Some("T1 holds A, waits for B; T2 holds B, waits for A")
    );
    let detect = report.detect_ms.unwrap();
    assert!(detect < 1000.0, "detected after {detect} ms");
    assert!(report.recovery_ms.unwrap() < 1000.0, "{report:?}");
    assert_eq!(report.threads[1].outcome, "aborted by the watchdog");
    assert_eq!(report.threads[0].outcome, "finished");
    assert!(
        clock::now_ms() - started < 3000.0,
        "recovery did not wait for the timeout"
    );
}

#[wasm_bindgen_test]
async fn global_lock_order_never_deadlocks() {
    ensure_pool().await;
    for _ in 0..3 {
        let report = deadlock::run(DeadlockParams {
            fix: true,
            ..DeadlockParams::default()
        })
        .await
        .unwrap();
        assert!(!report.deadlocked, "{report:?}");
        assert!(report.threads.iter().all(|t| t.outcome == "finished"));
    }
}

#[wasm_bindgen_test]
async fn lock_reentry_is_reported_and_rlock_reentry_works() {
    ensure_pool().await;
    let selfish = deadlock::run(DeadlockParams {
        scenario: DeadlockScenario::SelfLock,
        ..DeadlockParams::default()
    })
    .await
    .unwrap();
    assert!(selfish.deadlocked);
    assert_eq!(selfish.cycle.as_deref(), Some("T1 holds A, waits for A"));
    let reentrant = deadlock::run(DeadlockParams {
        scenario: DeadlockScenario::Rlock,
        ..DeadlockParams::default()
    })
    .await
    .unwrap();
    assert!(!reentrant.deadlocked);
    assert_eq!(reentrant.rlock_max_count, Some(2));
}

#[wasm_bindgen_test]
async fn event_condition_and_barrier_wake_their_waiters() {
    ensure_pool().await;
    let event = signals::run(SignalParams {
        kind: SignalKind::Event,
        threads: 4,
        rounds: 2,
    })
    .await
    .unwrap();
    let latency = event.wake_latency_ms.unwrap();
    assert_eq!(latency.n, 6, "3 waiters × 2 rounds");
    assert!(latency.median < 50.0, "{latency:?}");
    let condition = signals::run(SignalParams {
        kind: SignalKind::Condition,
        threads: 3,
        rounds: 3,
    })
    .await
    .unwrap();
    let mut handed = condition.handed_over.clone();
    handed.sort_unstable();
    assert_eq!(
        handed,
        (0..6).collect::<Vec<_>>(),
        "every item handed over exactly once"
    );
    let barrier = signals::run(SignalParams {
        kind: SignalKind::Barrier,
        threads: 4,
        rounds: 2,
    })
    .await
    .unwrap();
    let (arrive, depart) = (
        barrier.arrival_spread_ms.unwrap(),
        barrier.departure_spread_ms.unwrap(),
    );
    assert!(
        arrive.min > 30.0,
        "threads arrive at different times: {arrive:?}"
    );
    // Medians, not extremes: on a loaded machine one thread can be woken late.
    assert!(
        depart.median < arrive.median / 2.0,
        "but leave together: {depart:?} vs {arrive:?}"
    );
}
