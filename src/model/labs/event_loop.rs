//! The event-loop model: a deterministic simulator of an event loop for the page to
//! step through, with a call stack, a microtask queue, a macrotask (ready) queue, timers
//! on a virtual clock, tasks, futures, generators and greenlets.
//!
//! Programs are plain data ([`Program`]): routines made of ops, each op tied to its line
//! in a Python listing and a JavaScript listing. [`Sim`] runs one visible move per
//! [`Sim::step`], describes it in an [`Event`], and shows the whole machine in a
//! [`Snapshot`]. The clock is virtual (nothing here reads real time), every run is
//! bounded by a step budget, and invalid programs end with a stated [`Outcome`] rather
//! than a panic or a hang.
//!
//! ```
//! use concurrency_lab::model::labs::event_loop::{run_preset, DEFAULT_STEP_LIMIT};
//! let result = run_preset("print-sum", DEFAULT_STEP_LIMIT).unwrap();
//! assert_eq!(result.output, ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]);
//! assert_eq!(result.virtual_ms, 1000);
//! ```

pub mod js;
pub mod lab;
pub mod moves;
mod presets;
mod program;
pub mod py;
mod sim;
mod view;

#[cfg(test)]
mod tests;

pub use presets::{PRESETS, PresetInfo, find as find_preset, presets};
pub use program::{
    Awaitable, Expr, Instr, Lines, LoopLines, Op, Program, ProgramBuilder, ProgramError, Routine,
    RoutineBuilder, SCRIPT_NAME, SpawnStyle, Value,
};
pub use sim::{DEFAULT_STEP_LIMIT, Sim, run_preset};
pub use view::{
    Event, EventKind, FiberKind, FrameView, Outcome, RunResult, Snapshot, Span, SpanState,
    TaskState, TaskView, TimerView, Transfer,
};

/// What a runner needs of a language model (the JavaScript and the Python one).
pub trait Stepping {
    /// One visible step; false once the program has finished.
    fn step_once(&mut self) -> bool;
    fn is_done(&self) -> bool;
    /// Why the machine stopped itself (a budget, a limit), if it did.
    fn failure(&self) -> Option<&str>;
}

/// Steps `machine` at most `max_steps` times: the steps taken, and why the run stopped early
/// (the machine's own reason, or the step budget), if it did.
pub fn run_to_end(machine: &mut impl Stepping, max_steps: usize) -> (usize, Option<String>) {
    let mut steps = 0;
    while steps < max_steps && machine.step_once() {
        steps += 1;
    }
    let stopped = match machine.failure() {
        Some(e) => Some(e.to_string()),
        None if !machine.is_done() => Some(format!(
            "stopped after {max_steps} steps (the step budget); the program had not finished"
        )),
        None => None,
    };
    (steps, stopped)
}
