//! The scheduling model: one task set on a virtual clock under each way of running it
//! (one after another, threads on k cores, threads under a GIL, processes, coroutines,
//! greenlets), as Gantt spans with the total time and the cores' utilisation.
//!
//! A model, not a measurement: time advances in whole virtual milliseconds and every rule is
//! written out below, so tests can check totals exactly.

use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// A piece of a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Cpu(u32),
    Wait(u32),
}

/// A task: a name and its segments in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaskSpec {
    pub name: String,
    pub segments: Vec<Segment>,
}

/// How the tasks are run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// One after another on one thread; a wait blocks it.
    #[default]
    Serial,
    /// One OS thread each on `cores` cores, preempted every `quantum_ms`.
    Threads,
    /// Threads whose computing needs the one GIL, handed over every `interval_ms`.
    ThreadsGil,
    /// One process each: `start_ms` to start, then like threads without a GIL.
    Processes,
    /// One thread; a task computes until it awaits, and waits overlap.
    Coroutines,
    /// One thread; tasks switch where the program says (after each piece) and a wait blocks.
    Greenlet,
}

impl Policy {
    pub const ALL: [Policy; 6] = [
        Policy::Serial,
        Policy::Threads,
        Policy::ThreadsGil,
        Policy::Processes,
        Policy::Coroutines,
        Policy::Greenlet,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Policy::Serial => "serial",
            Policy::Threads => "threads",
            Policy::ThreadsGil => "threads-gil",
            Policy::Processes => "processes",
            Policy::Coroutines => "coroutines",
            Policy::Greenlet => "greenlet",
        }
    }
}

/// What a task does during one span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Computing on a core.
    Cpu,
    /// Waiting for IO.
    Wait,
    /// Ready to compute, but no core (or the GIL, or the thread) is free.
    Ready,
    /// A core switching to this task (lost time).
    Switch,
    /// The process starting.
    Startup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ModelSpan {
    pub task: usize,
    pub activity: Activity,
    pub start_ms: u32,
    pub end_ms: u32,
}

/// The model's knobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Machine {
    pub cores: u32,
    pub quantum_ms: u32,
    pub switch_ms: u32,
    pub interval_ms: u32,
    pub start_ms: u32,
}

/// The model's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schedule {
    pub total_ms: u32,
    /// Computing time over `total_ms × cores`.
    pub utilisation: f64,
    pub cpu_ms: u32,
    pub spans: Vec<ModelSpan>,
}

/// Longest run the model simulates (virtual ms).
pub const MAX_VIRTUAL_MS: u32 = 600_000;

struct Task {
    segment: usize,
    left: u32,
    startup_left: u32,
}

impl Task {
    fn current(&self, spec: &TaskSpec) -> Option<Segment> {
        spec.segments.get(self.segment).copied()
    }
    fn done(&self, spec: &TaskSpec) -> bool {
        self.segment >= spec.segments.len()
    }
    fn wants_cpu(&self, spec: &TaskSpec) -> bool {
        self.startup_left > 0 || matches!(self.current(spec), Some(Segment::Cpu(_)))
    }
    fn advance(&mut self, spec: &TaskSpec) {
        self.segment += 1;
        self.left = match self.current(spec) {
            Some(Segment::Cpu(ms) | Segment::Wait(ms)) => ms,
            None => 0,
        };
    }
}

/// Spans merged as they are appended one millisecond at a time.
struct Recorder {
    spans: Vec<ModelSpan>,
    open: Vec<Option<usize>>,
}

impl Recorder {
    fn record(&mut self, task: usize, activity: Activity, at: u32) {
        if let Some(i) = self.open[task] {
            let span = &mut self.spans[i];
            if span.activity == activity && span.end_ms == at {
                span.end_ms = at + 1;
                return;
            }
        }
        self.spans.push(ModelSpan {
            task,
            activity,
            start_ms: at,
            end_ms: at + 1,
        });
        self.open[task] = Some(self.spans.len() - 1);
    }
}

/// Runs `tasks` under `policy` on `machine`.
pub fn simulate(tasks: &[TaskSpec], policy: Policy, machine: Machine) -> Schedule {
    let mut state: Vec<Task> = tasks
        .iter()
        .map(|spec| {
            let left = match spec.segments.first() {
                Some(Segment::Cpu(ms) | Segment::Wait(ms)) => *ms,
                None => 0,
            };
            Task {
                segment: 0,
                left,
                startup_left: if policy == Policy::Processes {
                    machine.start_ms
                } else {
                    0
                },
            }
        })
        .collect();
    let mut rec = Recorder {
        spans: Vec::new(),
        open: vec![None; tasks.len()],
    };
    // Zero-length segments end at once.
    for (t, spec) in state.iter_mut().zip(tasks) {
        while !t.done(spec) && t.left == 0 {
            t.advance(spec);
        }
    }
    let capacity = match policy {
        Policy::Threads | Policy::Processes => machine.cores.max(1) as usize,
        _ => 1,
    };
    let quantum = match policy {
        Policy::Threads | Policy::Processes => machine.quantum_ms.max(1),
        Policy::ThreadsGil => machine.interval_ms.max(1),
        _ => u32::MAX,
    };
    let switch_cost = match policy {
        Policy::Threads | Policy::Processes | Policy::ThreadsGil => machine.switch_ms,
        _ => 0,
    };
    // Which task holds the one thread (serial, greenlet) or each core.
    let mut holder: Option<usize> = None;
    let mut cores: Vec<Option<(usize, u32, u32)>> = vec![None; capacity]; // (task, used, switching)
    let mut last_on_core: Vec<Option<usize>> = vec![None; capacity];
    let mut queue: VecDeque<usize> = (0..tasks.len())
        .filter(|&i| state[i].wants_cpu(&tasks[i]))
        .collect();
    let mut now = 0u32;
    let mut cpu_ms = 0u32;
    while now < MAX_VIRTUAL_MS && state.iter().zip(tasks).any(|(t, s)| !t.done(s)) {
        let mut finished_segment = vec![false; tasks.len()];
        match policy {
            Policy::Serial | Policy::Greenlet => {
                if holder.is_none_or(|h| state[h].done(&tasks[h])) {
                    holder = next_unfinished(&state, tasks, holder, policy == Policy::Greenlet);
                }
                for i in 0..tasks.len() {
                    if state[i].done(&tasks[i]) {
                        continue;
                    }
                    if Some(i) == holder {
                        let activity = match state[i].current(&tasks[i]) {
                            Some(Segment::Cpu(_)) => {
                                cpu_ms += 1;
                                Activity::Cpu
                            }
                            _ => Activity::Wait,
                        };
                        rec.record(i, activity, now);
                        state[i].left -= 1;
                        finished_segment[i] = state[i].left == 0;
                    } else {
                        rec.record(i, Activity::Ready, now);
                    }
                }
            }
            _ => {
                // Free cores whose task stopped computing, or whose quantum ran out while
                // others are ready.
                for core in cores.iter_mut() {
                    if let Some((task, used, switching)) = *core {
                        let stopped = !state[task].wants_cpu(&tasks[task]);
                        if stopped || (switching == 0 && used >= quantum && !queue.is_empty()) {
                            *core = None;
                            if !stopped {
                                queue.push_back(task);
                            }
                        }
                    }
                }
                for c in 0..capacity {
                    if cores[c].is_none()
                        && let Some(task) = queue.pop_front()
                    {
                        let switching = if last_on_core[c].is_some_and(|t| t != task) {
                            switch_cost
                        } else {
                            0
                        };
                        cores[c] = Some((task, 0, switching));
                        last_on_core[c] = Some(task);
                    }
                }
                let mut on_core = vec![false; tasks.len()];
                for slot in cores.iter_mut().flatten() {
                    let (task, used, switching) = slot;
                    on_core[*task] = true;
                    if *switching > 0 {
                        *switching -= 1;
                        rec.record(*task, Activity::Switch, now);
                        continue;
                    }
                    *used += 1;
                    cpu_ms += 1;
                    let t = &mut state[*task];
                    if t.startup_left > 0 {
                        t.startup_left -= 1;
                        rec.record(*task, Activity::Startup, now);
                    } else {
                        t.left -= 1;
                        finished_segment[*task] = t.left == 0;
                        rec.record(*task, Activity::Cpu, now);
                    }
                }
                for i in 0..tasks.len() {
                    if on_core[i] || state[i].done(&tasks[i]) {
                        continue;
                    }
                    match state[i].current(&tasks[i]) {
                        Some(Segment::Wait(_)) if state[i].startup_left == 0 => {
                            state[i].left -= 1;
                            finished_segment[i] = state[i].left == 0;
                            rec.record(i, Activity::Wait, now);
                        }
                        _ => rec.record(i, Activity::Ready, now),
                    }
                }
            }
        }
        now += 1;
        for i in 0..tasks.len() {
            if !finished_segment[i] {
                continue;
            }
            let was_waiting = matches!(state[i].current(&tasks[i]), Some(Segment::Wait(_)));
            state[i].advance(&tasks[i]);
            while !state[i].done(&tasks[i]) && state[i].left == 0 {
                state[i].advance(&tasks[i]);
            }
            if policy == Policy::Greenlet {
                // An explicit switch after every piece.
                holder = next_unfinished(&state, tasks, Some(i), true);
            }
            if was_waiting && state[i].wants_cpu(&tasks[i]) && !queue.contains(&i) {
                queue.push_back(i);
            }
        }
    }
    let cores_used = capacity.max(1) as f64;
    Schedule {
        total_ms: now,
        utilisation: if now == 0 {
            0.0
        } else {
            f64::from(cpu_ms) / (f64::from(now) * cores_used)
        },
        cpu_ms,
        spans: rec.spans,
    }
}

/// The next task after `after` (round robin when `rotate`, else the first) that has work.
fn next_unfinished(
    state: &[Task],
    tasks: &[TaskSpec],
    after: Option<usize>,
    rotate: bool,
) -> Option<usize> {
    let n = tasks.len();
    let start = match (after, rotate) {
        (Some(a), true) => a + 1,
        _ => 0,
    };
    (0..n)
        .map(|k| (start + k) % n)
        .find(|&i| !state[i].done(&tasks[i]))
}

/// The notes' download example plus two CPU tasks: three downloads of 5, 6 and 7 s with
/// 200 ms of parsing before and after, and two computations of 1.5 s.
pub fn downloads() -> Vec<TaskSpec> {
    let mut tasks: Vec<TaskSpec> = [5_000, 6_000, 7_000]
        .iter()
        .enumerate()
        .map(|(i, &wait)| TaskSpec {
            name: t!("gil.model.task_download", n = i + 1).to_string(),
            segments: vec![Segment::Cpu(200), Segment::Wait(wait), Segment::Cpu(200)],
        })
        .collect();
    for i in 0..2 {
        tasks.push(TaskSpec {
            name: t!("gil.model.task_compute", n = i + 1).to_string(),
            segments: vec![Segment::Cpu(1_500)],
        });
    }
    tasks
}

/// Two tasks that only wait 5 s each: the notes' "10 s in turn, 5 s at once".
pub fn two_waits() -> Vec<TaskSpec> {
    (1..=2)
        .map(|i| TaskSpec {
            name: t!("gil.model.task_wait", n = i).to_string(),
            segments: vec![Segment::Wait(5_000)],
        })
        .collect()
}

/// Four tasks that only compute, 1 s each.
pub fn cpu_only() -> Vec<TaskSpec> {
    (1..=4)
        .map(|i| TaskSpec {
            name: t!("gil.model.task_compute", n = i).to_string(),
            segments: vec![Segment::Cpu(1_000)],
        })
        .collect()
}
