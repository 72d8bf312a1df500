//! What the simulator shows: one event per step, snapshots of the whole machine, the
//! timeline for the Gantt chart and the summary of a full run. All of it serializes
//! to JSON for the page and the console API.

use super::program::Lines;
use serde::Serialize;

/// What kind of thing runs on a fiber (a stack of frames of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FiberKind {
    /// The top-level script.
    Script,
    /// An asyncio task / a JavaScript async call.
    Task,
    /// A greenlet, switched by hand or spawned by gevent.
    Greenlet,
    /// A generator, driven by `send` or by a scheduler.
    Generator,
    /// A timer callback, done callback, or promise reaction: one short run.
    Callback,
}

/// The kind of visible move a step made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    PushFrame,
    PopFrame,
    /// An op that neither prints nor moves control (assignments, jumps, scheduling).
    RunOp,
    Print,
    /// CPU work or a blocking call advanced the clock while holding the stack.
    Block,
    /// A fiber parks itself until a future is done; control goes to the loop.
    Suspend,
    /// A parked fiber gets its value and continues.
    Resume,
    /// Control moves directly from one fiber to another (send, yield, switch).
    Transfer,
    /// A task or greenlet finished.
    TaskDone,
    TimerFires,
    TakeMacrotask,
    TakeMicrotask,
    AdvanceClock,
    /// The run ended (see [`Outcome`]).
    Finish,
    /// The program did something invalid; the run ended.
    Error,
}

/// A value moving between two fibers in one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transfer {
    pub from: String,
    pub to: String,
    pub value: String,
}

/// One step of the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    /// 1 for the first step.
    pub step: usize,
    pub kind: EventKind,
    pub description: String,
    /// The virtual clock after this step.
    pub time_ms: u64,
    pub lines: Lines,
    /// Who holds control after this step: a fiber's name, or "event loop".
    pub control: String,
    pub transfer: Option<Transfer>,
    /// The line this step printed, if it printed.
    pub printed: Option<String>,
}

/// A frame on the visible call stack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameView {
    pub name: String,
    /// The fiber the frame belongs to (a generator's frames sit on its sender's).
    pub fiber: String,
}

/// Task states as the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Pending,
    Running,
    Done,
    Cancelled,
}

/// A task, generator, greenlet or the script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub name: String,
    pub kind: FiberKind,
    pub state: TaskState,
    /// Why it is pending ("waiting for sleep(1000 ms)", "suspended at yield", ...).
    pub detail: String,
    /// Where it is in each listing.
    pub lines: Lines,
}

/// A timer on the heap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimerView {
    pub due_ms: u64,
    pub name: String,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Every queue and the timer heap are empty and nothing is left pending.
    Finished,
    /// The loop has nothing to run, yet these are still waiting (for a future nobody
    /// resolves, a generator nobody resumes...).
    IdleWithPending { pending: Vec<String> },
    /// The step budget ran out while the program could still run.
    StepLimit { steps: usize },
    /// The program did something invalid (an error a real runtime would raise).
    Error { message: String },
}

/// The whole machine at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    pub step: usize,
    pub time_ms: u64,
    /// Bottom frame first.
    pub call_stack: Vec<FrameView>,
    /// Front of the queue first.
    pub microtasks: Vec<String>,
    pub macrotasks: Vec<String>,
    /// Soonest first.
    pub timers: Vec<TimerView>,
    pub tasks: Vec<TaskView>,
    pub output: Vec<String>,
    /// The line of the last step in each listing.
    pub lines: Lines,
    pub control: String,
    pub last_transfer: Option<Transfer>,
    pub outcome: Option<Outcome>,
}

/// Whether a fiber held the CPU or waited during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanState {
    Running,
    Waiting,
}

/// A bar of the Gantt chart. Steps are given too, because many programs never move the
/// clock and only the step axis shows their interleaving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub task: String,
    pub kind: FiberKind,
    pub state: SpanState,
    pub start_ms: u64,
    pub end_ms: u64,
    pub start_step: usize,
    pub end_step: usize,
}

/// The summary of [`super::Sim::run_to_end`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunResult {
    pub output: Vec<String>,
    pub virtual_ms: u64,
    pub steps: usize,
    /// Set when the step budget stopped the run.
    pub limit_reached: Option<String>,
    pub outcome: Outcome,
}
