//! `Semaphore` and its bounded variant: at most `permits` holders at a time.

use super::{Acquired, Actor, WaitError, block_until, wake};
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
        let deadline = clock::now_ms() + timeout_ms;
        let waited_ms = block_until(
            actor,
            self.id,
            ThreadState::Waiting,
            &self.permits,
            0,
            deadline,
            || self.try_take(),
        )?;
        Ok(Acquired { waited_ms })
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
