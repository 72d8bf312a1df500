//! `Event`: a flag threads can wait for; `set` wakes every waiter.

use super::{Actor, WaitError, block_until, wake};
use crate::model::thread_state::ThreadState;
use crate::runtime::clock;
use std::sync::atomic::{AtomicI32, Ordering};

pub struct Event {
    id: u32,
    flag: AtomicI32,
}

impl Event {
    pub fn new(id: u32) -> Event {
        Event {
            id,
            flag: AtomicI32::new(0),
        }
    }

    /// Waits until the flag is set (at most `timeout_ms`); returns the wait's length.
    pub fn wait(&self, actor: Actor, timeout_ms: f64) -> Result<f64, WaitError> {
        let deadline = clock::now_ms() + timeout_ms;
        block_until(
            actor,
            self.id,
            ThreadState::Waiting,
            &self.flag,
            0,
            deadline,
            || self.is_set(),
        )
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        self.flag.store(1, Ordering::Release);
        wake(&self.flag, u32::MAX);
    }

    pub fn clear(&self) {
        self.flag.store(0, Ordering::Release);
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::Acquire) != 0
    }
}
