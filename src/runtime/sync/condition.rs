//! `Condition`: wait for a notification while temporarily giving up a lock.
//!
//! Like Python's: `wait` releases the lock, sleeps until notified, then takes the lock
//! again before returning. A notification sent when nobody waits is lost (that is the
//! lost-wakeup bug the explorer lab shows), so callers wait in a `while not predicate` loop.

use super::{Actor, Lock, WaitError, block_until, wake};
use crate::model::thread_state::ThreadState;
use crate::runtime::clock;
use std::sync::atomic::{AtomicI32, Ordering};

pub struct Condition {
    id: u32,
    /// Bumped by every notify; a waiter sleeps while it still reads the value it saw.
    sequence: AtomicI32,
}

impl Condition {
    pub fn new(id: u32) -> Condition {
        Condition {
            id,
            sequence: AtomicI32::new(0),
        }
    }

    /// Releases `lock` (which the caller holds), waits for a notify or `timeout_ms`, then
    /// re-takes `lock`. `Ok(true)`: notified; `Ok(false)`: timed out (lock held again).
    /// `Err`: cancelled or aborted, and the lock is *not* held.
    pub fn wait(&self, lock: &Lock, actor: Actor, timeout_ms: f64) -> Result<bool, WaitError> {
        let seen = self.sequence.load(Ordering::Acquire);
        lock.release(actor)?;
        let deadline = clock::now_ms() + timeout_ms;
        let outcome = match block_until(
            actor,
            self.id,
            ThreadState::Waiting,
            &self.sequence,
            seen,
            deadline,
            || self.sequence.load(Ordering::Acquire) != seen,
        ) {
            Ok(_) => Ok(true),
            Err(WaitError::TimedOut) => Ok(false),
            Err(error) => Err(error),
        };
        // Re-take the lock even after a timeout, as Python does; give it the same budget.
        let notified = outcome?;
        lock.acquire(actor, timeout_ms)?;
        Ok(notified)
    }

    /// Wakes one waiter (if any; otherwise the notification is lost).
    pub fn notify(&self) {
        self.sequence.fetch_add(1, Ordering::AcqRel);
        wake(&self.sequence, 1);
    }

    /// Wakes every waiter.
    pub fn notify_all(&self) {
        self.sequence.fetch_add(1, Ordering::AcqRel);
        wake(&self.sequence, u32::MAX);
    }
}
