//! Who holds which lock and who waits for what, in shared memory, for the watchdog.
//!
//! Threads write their own slots; the watchdog on the main thread reads all slots each
//! frame (plain atomic loads) and builds the wait-for graph. To break a deadlock it sets a
//! thread's abort flag and wakes the address that thread is parked on.

use super::wake;
use crate::model::wait_for::{Holding, Waiting};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicUsize, Ordering};

/// Threads and resources tracked per run.
pub const MAX_ACTORS: usize = 16;
pub const MAX_RESOURCES: usize = 32;

const NONE: u32 = 0;

static WAITING_ON: [AtomicU32; MAX_ACTORS] = [const { AtomicU32::new(NONE) }; MAX_ACTORS];
/// Address of the word a waiting thread is parked on (so the watchdog can wake it).
static PARKED_AT: [AtomicUsize; MAX_ACTORS] = [const { AtomicUsize::new(0) }; MAX_ACTORS];
static ABORT: [AtomicBool; MAX_ACTORS] = [const { AtomicBool::new(false) }; MAX_ACTORS];
static OWNER: [AtomicU32; MAX_RESOURCES] = [const { AtomicU32::new(NONE) }; MAX_RESOURCES];
/// Re-entrancy count of an RLock (1 for a held plain Lock), for the UI.
static COUNT: [AtomicU32; MAX_RESOURCES] = [const { AtomicU32::new(0) }; MAX_RESOURCES];

/// Clears every slot; call at the start of an experiment, before threads start.
pub fn reset() {
    for i in 0..MAX_ACTORS {
        WAITING_ON[i].store(NONE, Ordering::Relaxed);
        PARKED_AT[i].store(0, Ordering::Relaxed);
        ABORT[i].store(false, Ordering::Relaxed);
    }
    for i in 0..MAX_RESOURCES {
        OWNER[i].store(NONE, Ordering::Relaxed);
        COUNT[i].store(0, Ordering::Relaxed);
    }
}

pub(crate) fn set_waiting(actor: u32, resource: u32, word: &AtomicI32) {
    if let (Some(slot), Some(at)) = (
        WAITING_ON.get(actor as usize),
        PARKED_AT.get(actor as usize),
    ) {
        at.store(word.as_ptr() as usize, Ordering::Relaxed);
        slot.store(resource + 1, Ordering::Release);
    }
}

pub(crate) fn clear_waiting(actor: u32) {
    if let Some(slot) = WAITING_ON.get(actor as usize) {
        slot.store(NONE, Ordering::Release);
    }
}

pub(crate) fn set_owner(resource: u32, owner: Option<u32>, count: u32) {
    if let (Some(slot), Some(c)) = (OWNER.get(resource as usize), COUNT.get(resource as usize)) {
        c.store(count, Ordering::Relaxed);
        slot.store(owner.map_or(NONE, |a| a + 1), Ordering::Release);
    }
}

/// True (once) if the watchdog asked `actor` to abandon its wait.
pub(crate) fn take_abort(actor: u32) -> bool {
    ABORT
        .get(actor as usize)
        .is_some_and(|flag| flag.swap(false, Ordering::AcqRel))
}

/// Asks `actor` to give up its current wait and wakes it. Never blocks.
pub fn abort(actor: u32) {
    let Some(flag) = ABORT.get(actor as usize) else {
        return;
    };
    flag.store(true, Ordering::Release);
    let address = PARKED_AT[actor as usize].load(Ordering::Relaxed);
    if address != 0 {
        // SAFETY: the address was taken from a live `AtomicI32` of a primitive that outlives
        // the run; the watchdog only aborts while the run is going.
        wake(unsafe { &*(address as *const AtomicI32) }, u32::MAX);
    }
}

/// What the watchdog sees: waits and lock owners, plus RLock counts per resource.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub waiting: Vec<Waiting>,
    pub holding: Vec<Holding>,
    /// `(resource, count)` for every held resource.
    pub counts: Vec<(usize, u32)>,
}

/// Reads every slot (atomics only; safe on the main thread).
pub fn snapshot() -> Snapshot {
    let mut snap = Snapshot::default();
    for (thread, slot) in WAITING_ON.iter().enumerate() {
        let value = slot.load(Ordering::Acquire);
        if value != NONE {
            snap.waiting.push(Waiting {
                thread,
                resource: (value - 1) as usize,
            });
        }
    }
    for (resource, slot) in OWNER.iter().enumerate() {
        let value = slot.load(Ordering::Acquire);
        if value != NONE {
            snap.holding.push(Holding {
                thread: (value - 1) as usize,
                resource,
            });
            snap.counts
                .push((resource, COUNT[resource].load(Ordering::Relaxed)));
        }
    }
    snap
}
