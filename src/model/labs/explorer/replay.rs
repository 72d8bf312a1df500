//! Re-running a schedule (a witness from a report, or one the visitor built) step by step.

use super::ast::Program;
use super::history::MAX_HISTORY;
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

/// Reads a schedule typed by a visitor: thread names (or 0-based thread indices, as witnesses
/// list them) separated by spaces or commas, e.g. `t1 t2 t2 t1`. Names a wrong token by its
/// position. At most [`MAX_HISTORY`] steps.
pub fn parse_schedule(text: &str, threads: &[String]) -> Result<Vec<usize>, String> {
    let mut schedule = Vec::new();
    for (position, token) in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|token| !token.is_empty())
        .enumerate()
    {
        if schedule.len() == MAX_HISTORY {
            return Err(format!("a schedule has at most {MAX_HISTORY} steps"));
        }
        let index = threads
            .iter()
            .position(|name| name == token)
            .or_else(|| token.parse::<usize>().ok().filter(|&i| i < threads.len()))
            .ok_or_else(|| {
                format!(
                    "step {}: no thread '{token}'; the threads are {} (or 0 to {})",
                    position + 1,
                    threads.join(", "),
                    threads.len().saturating_sub(1)
                )
            })?;
        schedule.push(index);
    }
    Ok(schedule)
}

/// Writes a schedule with thread names, the form [`parse_schedule`] reads back.
pub fn schedule_text(schedule: &[usize], threads: &[String]) -> String {
    let names: Vec<String> = schedule
        .iter()
        .map(|&t| threads.get(t).cloned().unwrap_or_else(|| t.to_string()))
        .collect();
    names.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::presets::preset;
    use super::super::testing::program;
    use super::{parse_schedule, replay_machine, schedule_text};

    #[test]
    fn the_notes_schedule_typed_by_name_replays_to_minus_eight() {
        let threads = ["t1".to_string(), "t2".to_string()];
        let schedule = parse_schedule("t1 t2 t2 t1, t1 t1 t2 t2\n", &threads).unwrap();
        assert_eq!(schedule, [0, 1, 1, 0, 0, 0, 1, 1]);
        assert_eq!(
            parse_schedule("0 1 1 0 0 0 1 1", &threads).unwrap(),
            schedule
        );
        assert_eq!(
            schedule_text(&schedule, &threads),
            "t1 t2 t2 t1 t1 t1 t2 t2"
        );
        let (machine, _) =
            replay_machine(&program(preset("balance").unwrap().source), &schedule).unwrap();
        assert_eq!(machine.shared()["balance"], -8);
        assert_eq!(
            parse_schedule("t1 t3", &threads).unwrap_err(),
            "step 2: no thread 't3'; the threads are t1, t2 (or 0 to 1)"
        );
        assert_eq!(
            parse_schedule("t1 2", &threads).unwrap_err().get(..18),
            Some("step 2: no thread ")
        );
        assert_eq!(parse_schedule("  ", &threads).unwrap(), Vec::<usize>::new());
        let long = "t1 ".repeat(super::MAX_HISTORY + 1);
        assert!(
            parse_schedule(&long, &threads)
                .unwrap_err()
                .contains("at most")
        );
    }
}
