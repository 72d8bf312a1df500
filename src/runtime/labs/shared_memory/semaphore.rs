//! The semaphore experiment: `threads` threads enter a section guarded by `permits`
//! permits; an atomic counter of who is inside checks that never more than `permits` are.

use crate::model::labs::shared_memory::{SemaphoreParams, SemaphoreReport};
use crate::runtime::sync::{self, Semaphore, registry};
use crate::runtime::telemetry;
use crate::runtime::{clock, pool};
use std::sync::atomic::{AtomicU32, Ordering};

const WAIT_TIMEOUT_MS: f64 = 30_000.0;

pub async fn run(params: SemaphoreParams) -> Result<SemaphoreReport, String> {
    params.validate(pool::threads())?;
    pool::submit(move |token| {
        telemetry::reset(u64::from(params.threads * params.rounds));
        registry::reset();
        let semaphore = Semaphore::bounded(0, params.permits);
        let inside = AtomicU32::new(0);
        let max_inside = AtomicU32::new(0);
        let start = clock::now_ms();
        let per_thread = sync::run_actors(params.threads, token, true, |actor| {
            let (mut waited, mut wait_ms) = (0u32, 0.0);
            for round in 0..params.rounds {
                let acquired = semaphore.acquire(actor, WAIT_TIMEOUT_MS)?;
                if acquired.waited_ms > 0.0 {
                    waited += 1;
                    wait_ms += acquired.waited_ms;
                }
                let now_inside = inside.fetch_add(1, Ordering::AcqRel) + 1;
                max_inside.fetch_max(now_inside, Ordering::AcqRel);
                actor.work(f64::from(params.work_ms) * 1000.0, round);
                inside.fetch_sub(1, Ordering::AcqRel);
                semaphore.release()?;
                telemetry::progress_add(1);
                // A short pause outside, so the others get their turn at the permits.
                actor.sleep(2.0, round)?;
            }
            Ok::<_, sync::WaitError>((waited, wait_ms))
        });
        let ms = clock::now_ms() - start;
        let (mut waited, mut wait_ms) = (0, 0.0);
        for result in per_thread {
            let (w, ms) = result.map_err(|e| e.to_string())?;
            waited += w;
            wait_ms += ms;
        }
        Ok(SemaphoreReport {
            lab: "semaphore",
            threads: params.threads,
            permits: params.permits,
            max_inside: max_inside.load(Ordering::Acquire),
            entries: params.threads * params.rounds,
            waited,
            wait_ms,
            ms,
        })
    })
    .await?
}
