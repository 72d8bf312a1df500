//! `Barrier`: `parties` threads wait until all have arrived, then all leave together.

use super::{Actor, WaitError, block_until, wake};
use crate::model::thread_state::ThreadState;
use crate::runtime::clock;
use std::sync::atomic::{AtomicI32, Ordering};

pub struct Barrier {
    id: u32,
    parties: i32,
    arrived: AtomicI32,
    /// Bumped when the last party arrives; waiters sleep on it.
    generation: AtomicI32,
}

impl Barrier {
    pub fn new(id: u32, parties: u32) -> Barrier {
        Barrier {
            id,
            parties: parties as i32,
            arrived: AtomicI32::new(0),
            generation: AtomicI32::new(0),
        }
    }

    /// Arrives and waits for the others (at most `timeout_ms`). `Ok(true)` for the last
    /// thread to arrive, which is the one that releases everybody.
    pub fn wait(&self, actor: Actor, timeout_ms: f64) -> Result<bool, WaitError> {
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.parties {
            self.arrived.store(0, Ordering::Release);
            self.generation.fetch_add(1, Ordering::AcqRel);
            wake(&self.generation, u32::MAX);
            return Ok(true);
        }
        let deadline = clock::now_ms() + timeout_ms;
        block_until(
            actor,
            self.id,
            ThreadState::Waiting,
            &self.generation,
            generation,
            deadline,
            || self.generation.load(Ordering::Acquire) != generation,
        )
        .map(|_| false)
    }
}
