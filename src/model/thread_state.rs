//! The states of a worker thread that the page can really observe, shared by every timeline.
//!
//! A browser cannot see the OS scheduler: a worker inside its task may be running on a core or
//! waiting for one, and the page cannot tell which. So these states are named for what is
//! observed (working, idle, blocked on a lock…), not for the notes' ready/running pair; the
//! notes' full life cycle (new, ready, running, blocked, terminated) is a model, drawn as such.
//!
//! Telemetry stores a state as a `u32`; the timeline turns it back into a colour and a
//! legend entry. Keeping the list here means the model, runtime and UI agree on it.

use serde::Serialize;

/// What a worker thread is doing, as far as the page can observe: New → Working ⇄ Idle →
/// Dead, with Blocked, Waiting and Sleeping as the three ways a thread stops for a while.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    New,
    /// Alive with no task: parked in the pool until work arrives.
    Idle,
    /// Inside its task. The OS may still have paused it to run another thread; the page
    /// cannot see that, so this is not "on a core".
    Working,
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
        ThreadState::Idle,
        ThreadState::Working,
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
            ThreadState::Idle => "idle",
            ThreadState::Working => "working",
            ThreadState::Blocked => "blocked",
            ThreadState::Waiting => "waiting",
            ThreadState::Sleeping => "sleeping",
            ThreadState::Dead => "dead",
        }
    }

    /// The state's name in the page's language (English: the same as [`ThreadState::name`]).
    pub fn label(self) -> String {
        match self {
            ThreadState::New => t!("state.new"),
            ThreadState::Idle => t!("state.idle"),
            ThreadState::Working => t!("state.working"),
            ThreadState::Blocked => t!("state.blocked"),
            ThreadState::Waiting => t!("state.waiting"),
            ThreadState::Sleeping => t!("state.sleeping"),
            ThreadState::Dead => t!("state.dead"),
        }
        .to_string()
    }

    /// One-line meaning shown beside the legend swatch, in the page's language.
    pub fn meaning(self) -> String {
        match self {
            ThreadState::New => t!("state.new_meaning"),
            ThreadState::Idle => t!("state.idle_meaning"),
            ThreadState::Working => t!("state.working_meaning"),
            ThreadState::Blocked => t!("state.blocked_meaning"),
            ThreadState::Waiting => t!("state.waiting_meaning"),
            ThreadState::Sleeping => t!("state.sleeping_meaning"),
            ThreadState::Dead => t!("state.dead_meaning"),
        }
        .to_string()
    }
}

/// The name a page shows for thread `index` (0-based in code): threads count from 1
/// everywhere, as CPython's `Thread-1` and the DevTools measures (`lab:race:T1:…`) do.
pub fn thread_name(index: u32) -> String {
    format!("T{}", index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_named_from_one() {
        assert_eq!(thread_name(0), "T1");
        assert_eq!(thread_name(9), "T10");
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_rejected() {
        for state in ThreadState::ALL {
            assert_eq!(ThreadState::from_code(state.code()), Some(state));
        }
        assert_eq!(ThreadState::from_code(7), None);
        assert_eq!(ThreadState::from_code(u32::MAX), None);
    }

    #[test]
    fn english_labels_are_the_names_and_meanings_are_translated() {
        for state in ThreadState::ALL {
            assert_eq!(state.label(), state.name());
        }
        assert_eq!(
            ThreadState::Blocked.meaning(),
            "wants a lock another thread holds"
        );
        assert_eq!(
            t!("state.blocked_meaning", locale = "zh-CN"),
            "想要另一个线程持有的锁"
        );
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<_> = ThreadState::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ThreadState::ALL.len());
    }
}
