//! The life cycle of a thread as the notes teach it, shared by every timeline.
//!
//! Telemetry stores a state as a `u32`; the timeline turns it back into a colour and a
//! legend entry. Keeping the list here means the model, runtime and UI agree on it.

use serde::Serialize;

/// One state of a thread's life: New → Runnable ⇄ Running → Dead, with Blocked, Waiting
/// and Sleeping as the three ways a running thread stops for a while.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    New,
    Runnable,
    Running,
    /// Waiting to acquire a lock someone else holds.
    Blocked,
    /// Waiting on a condition, event or queue for another thread's signal.
    Waiting,
    Sleeping,
    Dead,
}

impl ThreadState {
    /// Every state, in life-cycle order (the legend's order).
    pub const ALL: [ThreadState; 7] = [
        ThreadState::New,
        ThreadState::Runnable,
        ThreadState::Running,
        ThreadState::Blocked,
        ThreadState::Waiting,
        ThreadState::Sleeping,
        ThreadState::Dead,
    ];

    /// The compact code stored in shared-memory telemetry.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// Decodes a telemetry code; unknown codes (a torn or future record) give `None`.
    pub fn from_code(code: u32) -> Option<ThreadState> {
        Self::ALL.get(code as usize).copied()
    }

    /// Lower-case name used in CSS classes, JSON and the legend.
    pub fn name(self) -> &'static str {
        match self {
            ThreadState::New => "new",
            ThreadState::Runnable => "runnable",
            ThreadState::Running => "running",
            ThreadState::Blocked => "blocked",
            ThreadState::Waiting => "waiting",
            ThreadState::Sleeping => "sleeping",
            ThreadState::Dead => "dead",
        }
    }

    /// One-line meaning shown beside the legend swatch.
    pub fn meaning(self) -> &'static str {
        match self {
            ThreadState::New => "created, not started",
            ThreadState::Runnable => "ready, waiting for a core",
            ThreadState::Running => "executing on a core",
            ThreadState::Blocked => "wants a lock another thread holds",
            ThreadState::Waiting => "waits for a signal (event, condition, queue)",
            ThreadState::Sleeping => "sleeps for a fixed time or joins",
            ThreadState::Dead => "finished or failed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_codes_are_rejected() {
        for state in ThreadState::ALL {
            assert_eq!(ThreadState::from_code(state.code()), Some(state));
        }
        assert_eq!(ThreadState::from_code(7), None);
        assert_eq!(ThreadState::from_code(u32::MAX), None);
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<_> = ThreadState::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ThreadState::ALL.len());
    }
}
