//! `BoundedQueue`: Python's `queue.Queue(maxsize)` built from the primitives above — one
//! lock and two conditions ("not full", "not empty") around a ring of items.

use super::{Actor, Condition, Lock, WaitError};
use crate::runtime::clock;
use std::cell::UnsafeCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct BoundedQueue {
    lock: Lock,
    not_empty: Condition,
    not_full: Condition,
    capacity: usize,
    items: UnsafeCell<VecDeque<u64>>,
    /// Mirrors `items.len()` for readers that must not lock (the live gauge).
    len: AtomicU32,
}

// SAFETY: `items` is only touched while `lock` is held by the calling actor.
unsafe impl Sync for BoundedQueue {}

/// How long a put or get spent waiting, for the "blocked time" figures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QueueWait {
    pub waited_ms: f64,
    /// Items in the queue right after the operation.
    pub len_after: u32,
}

impl BoundedQueue {
    /// A queue of at most `capacity` items; its lock and conditions use ids `id`, `id + 1`
    /// and `id + 2` in the registry.
    pub fn new(id: u32, capacity: u32) -> BoundedQueue {
        BoundedQueue {
            lock: Lock::new(id),
            not_empty: Condition::new(id + 1),
            not_full: Condition::new(id + 2),
            capacity: capacity as usize,
            items: UnsafeCell::new(VecDeque::with_capacity(capacity as usize)),
            len: AtomicU32::new(0),
        }
    }

    /// Adds an item, waiting while the queue is full (at most `timeout_ms` in all).
    pub fn put(&self, actor: Actor, item: u64, timeout_ms: f64) -> Result<QueueWait, WaitError> {
        let start = clock::now_ms();
        let deadline = start + timeout_ms;
        self.lock.acquire(actor, timeout_ms)?;
        // SAFETY (both blocks): we hold the lock.
        while unsafe { &*self.items.get() }.len() >= self.capacity {
            let left = deadline - clock::now_ms();
            if left <= 0.0 {
                self.lock.release(actor)?;
                return Err(WaitError::TimedOut);
            }
            // On error the condition has not re-taken the lock: nothing to release.
            self.not_full.wait(&self.lock, actor, left)?;
        }
        let items = unsafe { &mut *self.items.get() };
        items.push_back(item);
        let len_after = items.len() as u32;
        self.len.store(len_after, Ordering::Relaxed);
        self.not_empty.notify();
        self.lock.release(actor)?;
        Ok(QueueWait {
            waited_ms: clock::now_ms() - start,
            len_after,
        })
    }

    /// Removes the oldest item, waiting while the queue is empty (at most `timeout_ms`).
    pub fn get(&self, actor: Actor, timeout_ms: f64) -> Result<(u64, QueueWait), WaitError> {
        let start = clock::now_ms();
        let deadline = start + timeout_ms;
        self.lock.acquire(actor, timeout_ms)?;
        // SAFETY (both blocks): we hold the lock.
        while unsafe { &*self.items.get() }.is_empty() {
            let left = deadline - clock::now_ms();
            if left <= 0.0 {
                self.lock.release(actor)?;
                return Err(WaitError::TimedOut);
            }
            // On error the condition has not re-taken the lock: nothing to release.
            self.not_empty.wait(&self.lock, actor, left)?;
        }
        let items = unsafe { &mut *self.items.get() };
        let item = items.pop_front().expect("checked non-empty under the lock");
        let len_after = items.len() as u32;
        self.len.store(len_after, Ordering::Relaxed);
        self.not_full.notify();
        self.lock.release(actor)?;
        Ok((
            item,
            QueueWait {
                waited_ms: clock::now_ms() - start,
                len_after,
            },
        ))
    }

    /// Items in the queue now (lock-free read for gauges).
    pub fn len(&self) -> u32 {
        self.len.load(Ordering::Relaxed)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
