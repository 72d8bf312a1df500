//! `Semaphore` and its bounded variant: at most `permits` holders at a time.

use super::{Acquired, Actor, WaitError, park, registry, wake};
use crate::model::thread_state::ThreadState;
use crate::runtime::clock;
use std::sync::atomic::{AtomicI32, Ordering};

pub struct Semaphore {
    id: u32,
    permits: AtomicI32,
    /// For a bounded semaphore: releasing past this is an error, as in Python.
    bound: Option<i32>,
}

impl Semaphore {
    pub fn new(id: u32, permits: u32) -> Semaphore {
        Semaphore {
            id,
            permits: AtomicI32::new(permits as i32),
            bound: None,
        }
    }

    /// A semaphore that refuses to be released more often than acquired.
    pub fn bounded(id: u32, permits: u32) -> Semaphore {
        Semaphore {
            bound: Some(permits as i32),
            ..Semaphore::new(id, permits)
        }
    }

    /// Takes a permit, waiting at most `timeout_ms`; waiting is recorded as Waiting.
    pub fn acquire(&self, actor: Actor, timeout_ms: f64) -> Result<Acquired, WaitError> {
        if self.try_take() {
            return Ok(Acquired { waited_ms: 0.0 });
        }
        let start = clock::now_ms();
        registry::set_waiting(actor.index, self.id, &self.permits);
        actor.set_state(ThreadState::Waiting);
        let result = loop {
            if self.try_take() {
                break Ok(());
            }
            if let Err(error) = park(&self.permits, 0, start + timeout_ms, actor, true) {
                break Err(error);
            }
        };
        registry::clear_waiting(actor.index);
        let end = clock::now_ms();
        actor.span(ThreadState::Waiting, self.id, start, end);
        actor.set_state(ThreadState::Running);
        result.map(|()| Acquired {
            waited_ms: end - start,
        })
    }

    /// Returns a permit and wakes one waiter.
    pub fn release(&self) -> Result<(), WaitError> {
        let after = self.permits.fetch_add(1, Ordering::AcqRel) + 1;
        if self.bound.is_some_and(|bound| after > bound) {
            self.permits.fetch_sub(1, Ordering::AcqRel);
            return Err(WaitError::NotOwner);
        }
        wake(&self.permits, 1);
        Ok(())
    }

    /// Permits available now.
    pub fn available(&self) -> i32 {
        self.permits.load(Ordering::Relaxed)
    }

    fn try_take(&self) -> bool {
        let mut current = self.permits.load(Ordering::Relaxed);
        while current > 0 {
            match self.permits.compare_exchange_weak(
                current,
                current - 1,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(seen) => current = seen,
            }
        }
        false
    }
}
