//! Producer–consumer over a bounded blocking queue on real threads.
//!
//! Producers make items (some microseconds of work each) and `put` them; consumers `get`
//! and work on them. When the last producer finishes it puts one "stop" marker per
//! consumer. Every item's consumption is counted, so the page can check that nothing was
//! lost and nothing was taken twice.

use crate::model::labs::shared_memory::{QueueParams, QueueReport, audit, thin};
use crate::runtime::sync::{self, BoundedQueue, WaitError, registry};
use crate::runtime::telemetry;
use crate::runtime::{clock, pool};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

const STOP: u64 = u64::MAX;
/// A put or get waits at most this long; a stalled side ends the run with an error.
const TIMEOUT_MS: f64 = 30_000.0;
/// Above this many items, work bars are not drawn (the timeline would drown in them).
const DRAW_WORK_UP_TO: u32 = 2_000;

/// Items in the queue right now, for the live gauge (one relaxed load per frame).
static LIVE_OCCUPANCY: AtomicU32 = AtomicU32::new(0);

pub fn live_occupancy() -> u32 {
    LIVE_OCCUPANCY.load(Ordering::Relaxed)
}

pub async fn run(params: QueueParams) -> Result<QueueReport, String> {
    params.validate(pool::threads())?;
    pool::submit(move |token| {
        telemetry::reset(u64::from(params.items));
        registry::reset();
        LIVE_OCCUPANCY.store(0, Ordering::Relaxed);
        let queue = BoundedQueue::new(0, params.capacity);
        let consumed: Vec<AtomicU32> = (0..params.items).map(|_| AtomicU32::new(0)).collect();
        let producers_left = AtomicU32::new(params.producers);
        let samples = Mutex::new(Vec::new());
        let draw = params.items <= DRAW_WORK_UP_TO;
        let start = clock::now_ms();
        let threads = params.producers + params.consumers;
        let results = sync::run_actors(
            threads,
            token,
            true,
            |actor| -> Result<(bool, f64), WaitError> {
                let mut local = Vec::new();
                let mut blocked = 0.0;
                let note = |len: u32, local: &mut Vec<(f64, u32)>| {
                    LIVE_OCCUPANCY.store(len, Ordering::Relaxed);
                    local.push((clock::now_ms() - start, len));
                };
                let is_producer = actor.index < params.producers;
                if is_producer {
                    let mut item = u64::from(actor.index);
                    while item < u64::from(params.items) {
                        work(actor, params.produce_us, item as u32, draw);
                        let wait = queue.put(actor, item, TIMEOUT_MS)?;
                        blocked += wait.waited_ms;
                        note(wait.len_after, &mut local);
                        item += u64::from(params.producers);
                    }
                    if producers_left.fetch_sub(1, Ordering::AcqRel) == 1 {
                        for _ in 0..params.consumers {
                            let wait = queue.put(actor, STOP, TIMEOUT_MS)?;
                            note(wait.len_after, &mut local);
                        }
                    }
                } else {
                    loop {
                        let (item, wait) = queue.get(actor, TIMEOUT_MS)?;
                        blocked += wait.waited_ms;
                        note(wait.len_after, &mut local);
                        if item == STOP {
                            break;
                        }
                        consumed[item as usize].fetch_add(1, Ordering::Relaxed);
                        telemetry::progress_add(1);
                        work(actor, params.consume_us, item as u32, draw);
                    }
                }
                samples
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(local);
                Ok((is_producer, blocked))
            },
        );
        let ms = clock::now_ms() - start;
        let counts: Vec<u32> = consumed.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        // Cancel is not a failure: say so, with how far the run got.
        if results
            .iter()
            .any(|r| matches!(r, Err(WaitError::Cancelled)))
        {
            let done: u32 = counts.iter().sum();
            return Err(format!(
                "cancelled after {done} of {} items were consumed, in {ms:.0} ms",
                params.items
            ));
        }
        let (mut producer_blocked_ms, mut consumer_blocked_ms) = (0.0, 0.0);
        for result in results {
            match result.map_err(|e| format!("a queue operation failed: {e}"))? {
                (true, blocked) => producer_blocked_ms += blocked,
                (false, blocked) => consumer_blocked_ms += blocked,
            }
        }
        let (duplicates, missing) = audit(&counts);
        let mut samples = samples.into_inner().unwrap_or_else(|e| e.into_inner());
        samples.sort_by(|a, b| a.0.total_cmp(&b.0));
        let consumed_total: u32 = counts.iter().sum();
        Ok(QueueReport {
            lab: "queue",
            producers: params.producers,
            consumers: params.consumers,
            capacity: params.capacity,
            produced: params.items,
            consumed: consumed_total,
            duplicates,
            missing,
            items_per_s: if ms > 0.0 {
                f64::from(consumed_total) * 1000.0 / ms
            } else {
                0.0
            },
            ideal_items_per_s: params.ideal_items_per_s(),
            ms,
            max_occupancy: samples.iter().map(|s| s.1).max().unwrap_or(0),
            producer_blocked_ms,
            consumer_blocked_ms,
            occupancy: thin(&samples, 400),
        })
    })
    .await?
}

fn work(actor: sync::Actor, us: u32, item: u32, draw: bool) {
    if us == 0 {
        return;
    }
    if draw {
        actor.work(f64::from(us), item);
    } else {
        sync::Actor {
            record: false,
            ..actor
        }
        .work(f64::from(us), item);
    }
}
