//! Re-running a schedule (a witness from a report, or one the visitor built) step by step.

use super::ast::Program;
use super::machine::{Machine, StepEffect, StepInfo};

/// Runs `schedule` (one thread index per atomic step) from the initial state and returns every
/// step's info. Fails, naming the step, if a thread in it cannot run at that point.
pub fn replay(program: &Program, schedule: &[usize]) -> Result<Vec<StepInfo>, String> {
    replay_machine(program, schedule).map(|(_, steps)| steps)
}

/// Like [`replay`], and also returns the machine in the state the schedule reaches, so the
/// caller can read its [`outcome`](Machine::outcome) or show its [`view`](Machine::view).
pub fn replay_machine(
    program: &Program,
    schedule: &[usize],
) -> Result<(Machine, Vec<StepInfo>), String> {
    let mut machine = Machine::new(program).map_err(|error| error.to_string())?;
    let mut steps = Vec::with_capacity(schedule.len());
    for (index, &thread) in schedule.iter().enumerate() {
        let info = machine.step(thread);
        if let StepEffect::NotRunnable { reason } = &info.effect {
            return Err(format!("step {}: {reason}", index + 1));
        }
        steps.push(info);
    }
    Ok((machine, steps))
}
