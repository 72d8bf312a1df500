//! Where each asyncio task is in its life, and which moves it made: what the page's task
//! diagram draws. CPython's `repr(task)` says `pending` for the first four phases,
//! `finished` for done and failed, and `cancelled`.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskPhase {
    /// Not yet seen by the machine's tracker (the moment `create_task` makes it).
    Created,
    /// Its next step is in the loop's ready queue (new, woken, or after `sleep(0)`).
    Ready,
    /// Its coroutine is on the call stack.
    Running,
    /// Suspended at an `await` on a future that is not done (`_fut_waiter`).
    Waiting,
    /// Returned: `result()` gives the value.
    Done,
    /// Raised: `result()` raises the exception.
    Failed,
    /// Ended by `CancelledError`.
    Cancelled,
}

impl TaskPhase {
    pub const ALL: [TaskPhase; 7] = [
        TaskPhase::Created,
        TaskPhase::Ready,
        TaskPhase::Running,
        TaskPhase::Waiting,
        TaskPhase::Done,
        TaskPhase::Failed,
        TaskPhase::Cancelled,
    ];

    /// Every move a task can make from one phase to another (the tests check the corpus).
    pub const MOVES: [(TaskPhase, TaskPhase); 8] = [
        (TaskPhase::Created, TaskPhase::Ready),
        (TaskPhase::Ready, TaskPhase::Running),
        (TaskPhase::Running, TaskPhase::Ready),
        (TaskPhase::Running, TaskPhase::Waiting),
        (TaskPhase::Waiting, TaskPhase::Ready),
        (TaskPhase::Running, TaskPhase::Done),
        (TaskPhase::Running, TaskPhase::Failed),
        (TaskPhase::Running, TaskPhase::Cancelled),
    ];

    pub fn key(self) -> &'static str {
        match self {
            TaskPhase::Created => "created",
            TaskPhase::Ready => "ready",
            TaskPhase::Running => "running",
            TaskPhase::Waiting => "waiting",
            TaskPhase::Done => "done",
            TaskPhase::Failed => "failed",
            TaskPhase::Cancelled => "cancelled",
        }
    }
}

/// How many times any task moved from one phase to another.
pub type Moves = crate::model::stats::Moves<TaskPhase>;
