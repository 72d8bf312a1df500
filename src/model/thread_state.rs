//! The states of a worker thread that the page can really observe, shared by every timeline.
//!
//! A browser cannot see the OS scheduler: a worker inside its task may be running on a core or
//! waiting for one, and the page cannot tell which. So these states are named for what is
//! observed (working, idle, blocked on a lock…), not for the notes' ready/running pair; the
//! notes' full life cycle (new, ready, running, blocked, terminated) is a model, drawn as such.
//!
//! Telemetry stores a state as a `u32`; the timeline turns it back into a colour and a
//! legend entry. Keeping the list here means the model, runtime and UI agree on it.

use crate::model::stats::Moves;
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

/// The notes' thread life cycle: new, runnable, running, blocked in one of three ways (a
/// lock, a sleep or join, a wait for a signal), dead. Running and the three stops are what
/// a run's spans show; runnable (waiting for a core) is inferred, the OS's to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeStage {
    New,
    Runnable,
    Running,
    Locked,
    Sleeping,
    Waiting,
    Dead,
}

impl LifeStage {
    pub const ALL: [LifeStage; 7] = [
        LifeStage::New,
        LifeStage::Runnable,
        LifeStage::Running,
        LifeStage::Locked,
        LifeStage::Sleeping,
        LifeStage::Waiting,
        LifeStage::Dead,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LifeStage::New => "new",
            LifeStage::Runnable => "runnable",
            LifeStage::Running => "running",
            LifeStage::Locked => "locked",
            LifeStage::Sleeping => "sleeping",
            LifeStage::Waiting => "waiting",
            LifeStage::Dead => "dead",
        }
    }

    /// The stage a recorded span stands for: working is running, the three stops are
    /// themselves; idle and the rest say nothing of a run's threads.
    fn of(state: ThreadState) -> Option<LifeStage> {
        match state {
            ThreadState::Working => Some(LifeStage::Running),
            ThreadState::Blocked => Some(LifeStage::Locked),
            ThreadState::Sleeping => Some(LifeStage::Sleeping),
            ThreadState::Waiting => Some(LifeStage::Waiting),
            _ => None,
        }
    }
}

/// How often the threads of a run took each move of the life cycle, from each thread's spans
/// `(lane, state, start_ms)`. A thread starts new, becomes runnable and runs; every stop it
/// makes is entered from running and left to runnable (it must be scheduled again), and its
/// last stretch ends in dead. Moves from running back to runnable (preemption) are not seen.
pub fn life_cycle(spans: &[(u32, ThreadState, f64)]) -> Moves<LifeStage> {
    let mut moves = Moves::default();
    let mut add = |from, to| moves.add(from, to);
    let mut lanes: Vec<u32> = spans.iter().map(|s| s.0).collect();
    lanes.sort_unstable();
    lanes.dedup();
    for lane in lanes {
        let mut own: Vec<(f64, LifeStage)> = spans
            .iter()
            .filter(|s| s.0 == lane)
            .filter_map(|s| LifeStage::of(s.1).map(|stage| (s.2, stage)))
            .collect();
        if own.is_empty() {
            continue;
        }
        own.sort_by(|a, b| a.0.total_cmp(&b.0));
        add(LifeStage::New, LifeStage::Runnable);
        add(LifeStage::Runnable, LifeStage::Running);
        let mut now = LifeStage::Running;
        for (_, next) in own {
            if next == now {
                continue;
            }
            if now != LifeStage::Running {
                add(now, LifeStage::Runnable);
                add(LifeStage::Runnable, LifeStage::Running);
            }
            if next != LifeStage::Running {
                add(LifeStage::Running, next);
            }
            now = next;
        }
        if now != LifeStage::Running {
            add(now, LifeStage::Runnable);
            add(LifeStage::Runnable, LifeStage::Running);
        }
        add(LifeStage::Running, LifeStage::Dead);
    }
    moves
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
    fn the_life_cycle_counts_each_threads_moves_through_runnable() {
        use LifeStage::*;
        use ThreadState::{Blocked, Idle, Working};
        // T1: works, waits for a lock, works, sleeps, works. T2: waits for a signal at once,
        // then works. Spans arrive out of order (as telemetry hands them over); idle says
        // nothing; lane 5 has only an idle span and is no thread of the run.
        let spans = [
            (0, Working, 3.0),
            (0, Blocked, 1.0),
            (0, Working, 0.0),
            (1, ThreadState::Waiting, 0.0),
            (0, ThreadState::Sleeping, 4.0),
            (1, Working, 2.0),
            (0, Working, 6.0),
            (0, Working, 7.0),
            (5, Idle, 0.0),
        ];
        let moves = life_cycle(&spans);
        let count = |from, to| moves.count(from, to);
        assert_eq!(count(New, Runnable), 2);
        // T1: start, after the lock, after the sleep; T2: start, after the wait.
        assert_eq!(count(Runnable, Running), 5);
        assert_eq!(count(Running, Locked), 1);
        assert_eq!(count(Locked, Runnable), 1);
        assert_eq!(count(Running, Sleeping), 1);
        assert_eq!(count(Sleeping, Runnable), 1);
        assert_eq!(count(Running, Waiting), 1);
        assert_eq!(count(Waiting, Runnable), 1);
        assert_eq!(count(Running, Dead), 2);
        assert_eq!(count(Running, Runnable), 0, "preemption is never seen");
        assert_eq!(moves.total(), 15);
        assert_eq!(life_cycle(&[]).total(), 0);
    }

    #[test]
    fn names_are_distinct() {
        let mut names: Vec<_> = ThreadState::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ThreadState::ALL.len());
    }
}
