//! `Lock` (plain mutual exclusion, like `threading.Lock`) and `RLock` (re-entrant).
//!
//! The state word is 0 (free), 1 (held) or 2 (held, someone may be parked), so a release
//! only pays for a notify when somebody might be waiting. A plain Lock taken twice by the
//! same thread waits for itself forever; the watchdog sees that as a cycle of one.

use super::{Actor, WaitError, block_until, registry, wake};
use crate::model::thread_state::ThreadState;
use crate::runtime::clock;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

const FREE: i32 = 0;
const HELD: i32 = 1;
const CONTENDED: i32 = 2;
/// Tries before parking: a short critical section is usually over by then.
const SPINS: u32 = 64;

/// A plain lock with an owner (for the wait-for graph) and timed acquire.
pub struct Lock {
    id: u32,
    state: AtomicI32,
    /// Owner's actor index + 1; 0 when free.
    owner: AtomicU32,
}

/// What a successful acquire cost.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Acquired {
    /// Time spent blocked (0 when the lock was free).
    pub waited_ms: f64,
}

impl Lock {
    /// A free lock known to the registry as resource `id`.
    pub const fn new(id: u32) -> Lock {
        Lock {
            id,
            state: AtomicI32::new(FREE),
            owner: AtomicU32::new(0),
        }
    }

    /// The registry id of this lock.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Takes the lock, waiting at most `timeout_ms`. Waiting is recorded as Blocked.
    pub fn acquire(&self, actor: Actor, timeout_ms: f64) -> Result<Acquired, WaitError> {
        if self.try_take() {
            self.became_owner(actor, 1);
            return Ok(Acquired { waited_ms: 0.0 });
        }
        for _ in 0..SPINS {
            std::hint::spin_loop();
            if self.try_take() {
                self.became_owner(actor, 1);
                return Ok(Acquired { waited_ms: 0.0 });
            }
        }
        let deadline = clock::now_ms() + timeout_ms;
        // Every try marks the lock contended, so the holder's release wakes us.
        let waited_ms = block_until(
            actor,
            self.id,
            ThreadState::Blocked,
            &self.state,
            CONTENDED,
            deadline,
            || self.state.swap(CONTENDED, Ordering::Acquire) == FREE,
        )?;
        self.became_owner(actor, 1);
        Ok(Acquired { waited_ms })
    }

    /// Releases the lock; only its owner may.
    pub fn release(&self, actor: Actor) -> Result<(), WaitError> {
        if self.owner.load(Ordering::Relaxed) != actor.index + 1 {
            return Err(WaitError::NotOwner);
        }
        self.owner.store(0, Ordering::Relaxed);
        registry::set_owner(self.id, None, 0);
        if self.state.swap(FREE, Ordering::Release) == CONTENDED {
            wake(&self.state, 1);
        }
        Ok(())
    }

    /// The owner's actor index, if held.
    pub fn owner(&self) -> Option<u32> {
        self.owner.load(Ordering::Relaxed).checked_sub(1)
    }

    fn try_take(&self) -> bool {
        self.state
            .compare_exchange(FREE, HELD, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    fn became_owner(&self, actor: Actor, count: u32) {
        self.owner.store(actor.index + 1, Ordering::Relaxed);
        registry::set_owner(self.id, Some(actor.index), count);
    }
}

/// A re-entrant lock: its owner may take it again; it is free when released as often.
pub struct RLock {
    inner: Lock,
    /// Only the owner touches the count, so relaxed atomics are enough.
    count: AtomicU32,
}

impl RLock {
    pub const fn new(id: u32) -> RLock {
        RLock {
            inner: Lock::new(id),
            count: AtomicU32::new(0),
        }
    }

    /// Takes the lock or, for its owner, one more level of it.
    pub fn acquire(&self, actor: Actor, timeout_ms: f64) -> Result<Acquired, WaitError> {
        if self.inner.owner() == Some(actor.index) {
            let count = self.count.fetch_add(1, Ordering::Relaxed) + 1;
            registry::set_owner(self.inner.id, Some(actor.index), count);
            return Ok(Acquired { waited_ms: 0.0 });
        }
        let acquired = self.inner.acquire(actor, timeout_ms)?;
        self.count.store(1, Ordering::Relaxed);
        Ok(acquired)
    }

    /// Drops one level; the lock is free again when the count reaches 0.
    pub fn release(&self, actor: Actor) -> Result<(), WaitError> {
        if self.inner.owner() != Some(actor.index) {
            return Err(WaitError::NotOwner);
        }
        let count = self.count.fetch_sub(1, Ordering::Relaxed) - 1;
        if count == 0 {
            self.inner.release(actor)
        } else {
            registry::set_owner(self.inner.id, Some(actor.index), count);
            Ok(())
        }
    }

    /// Current re-entrancy depth (0 when free).
    pub fn count(&self) -> u32 {
        self.count.load(Ordering::Relaxed)
    }
}
