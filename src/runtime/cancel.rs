//! Cancellation of runs by id.
//!
//! Every submitted run gets an increasing id; cancelling sets a high-water mark, so a
//! cancel that arrives before a queued run starts still reaches it, and nothing has to be
//! "cleared" (which would race with the next run).

use std::sync::atomic::{AtomicU64, Ordering};

static LAST_ISSUED: AtomicU64 = AtomicU64::new(0);
static CANCELLED_UP_TO: AtomicU64 = AtomicU64::new(0);

/// A run's handle to ask "should I stop?"; cheap to copy into every worker task.
#[derive(Clone, Copy, Debug)]
pub struct RunToken {
    pub id: u64,
}

impl RunToken {
    /// True once this run (or any later-issued one) was cancelled.
    pub fn is_cancelled(self) -> bool {
        CANCELLED_UP_TO.load(Ordering::Relaxed) >= self.id
    }
}

/// A fresh token for a new run.
pub fn issue() -> RunToken {
    RunToken {
        id: LAST_ISSUED.fetch_add(1, Ordering::Relaxed) + 1,
    }
}

/// Cancels every run issued so far, running or queued. Never blocks.
pub fn cancel_all() {
    CANCELLED_UP_TO.fetch_max(LAST_ISSUED.load(Ordering::Relaxed), Ordering::Relaxed);
}
