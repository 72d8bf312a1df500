//! The simulator: a single-threaded machine with a call stack, a microtask queue, a
//! macrotask (ready) queue, a timer heap and a virtual clock, stepped one visible move
//! at a time.
//!
//! Everything that runs does so on a *fiber*: a stack of frames of its own. The script,
//! each task, each greenlet, each generator and each callback is one. Only the fiber
//! holding control is on the visible call stack; the others are parked with their
//! frames kept, which is exactly what makes coroutines resumable. When nobody holds
//! control the loop does one of its own moves per step: take a microtask, move a due
//! timer to the macrotask queue, take a macrotask, or jump the clock to the next timer.
//!
//! Awaited futures wake their task through the macrotask queue, as asyncio's
//! `call_soon` does; promise reactions go through the microtask queue, as in browsers.

use super::presets;
use super::program::{Awaitable, Expr, Instr, Lines, Op, Program, ProgramError, SpawnStyle, Value};
use super::view::{
    Event, EventKind, FiberKind, FrameView, Outcome, RunResult, Snapshot, Span, SpanState,
    TaskState, TaskView, TimerView, Transfer,
};
use std::collections::VecDeque;

mod control;
mod exec;
mod values;

/// Steps a simulator takes at most, whatever its caller asks.
pub const DEFAULT_STEP_LIMIT: usize = 100_000;
/// Frames one fiber may hold, so runaway recursion ends as an error.
const MAX_DEPTH: usize = 64;
/// Longest string a program may build, so doubling a string in a loop ends as an error.
const MAX_TEXT: usize = 4_096;
/// Bounds on lists built at run time (gather results, switch arguments).
const MAX_LIST_ITEMS: usize = 1_000;
const MAX_LIST_DEPTH: usize = 16;

type Fallible<T> = Result<T, String>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Wait {
    Future(String),
    Yield,
    Sent(usize),
    Switched,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Status {
    NotStarted,
    Ready,
    Running,
    Waiting(Wait),
    Done,
    Cancelled,
}

impl Status {
    fn is_over(&self) -> bool {
        matches!(self, Status::Done | Status::Cancelled)
    }
}

#[derive(Clone, Debug)]
struct Frame {
    routine: usize,
    pc: usize,
    locals: Vec<(String, Value)>,
    /// The script's frame writes module globals instead of locals.
    module: bool,
    /// Where the value of the pending call, await, send or switch goes.
    bind: Option<String>,
    /// Parked in `asyncio.run`: cancel the leftover tasks when resumed.
    after_run: bool,
    /// What the frame is parked on, for the description of its wake-up.
    waiting_for: Option<String>,
}

#[derive(Clone, Debug)]
struct Fiber {
    name: String,
    kind: FiberKind,
    style: Option<SpawnStyle>,
    /// Started and woken by the loop (tasks, spawned greenlets, scheduled generators).
    loop_driven: bool,
    status: Status,
    closed: bool,
    frames: Vec<Frame>,
    /// The routine and arguments of the first frame, pushed on the fiber's first step.
    entry: Option<(usize, Vec<Value>)>,
    /// A value to hand to the parked top frame on the fiber's next step.
    resume: Option<Value>,
    done_future: Option<usize>,
    /// The greenlet control returns to when this one finishes.
    parent: Option<usize>,
    /// The fiber that `send`s into this generator and gets its `yield`s.
    resumer: Option<usize>,
    /// The promise a reaction's return value settles.
    derived: Option<usize>,
    /// The Gantt bar in progress: state, start ms, start step.
    span: Option<(SpanState, u64, usize)>,
}

#[derive(Clone, Debug)]
enum Waiter {
    Wake(usize),
    DoneCallback(usize),
    Reaction { routine: usize, derived: usize },
    GatherPart { gather: usize, index: usize },
    Forward(usize),
}

#[derive(Clone, Debug)]
struct FutureSlot {
    label: String,
    value: Option<Value>,
    waiters: Vec<Waiter>,
}

#[derive(Clone, Debug)]
struct GatherSlot {
    future: usize,
    results: Vec<Option<Value>>,
}

#[derive(Clone, Debug)]
enum Job {
    Start(usize),
    Resume {
        fiber: usize,
        value: Value,
    },
    Call {
        routine: usize,
        args: Vec<Value>,
        derived: Option<usize>,
    },
    Resolve {
        future: usize,
        value: Value,
    },
}

impl Job {
    fn fiber(&self) -> Option<usize> {
        match self {
            Job::Start(fiber) | Job::Resume { fiber, .. } => Some(*fiber),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
struct Queued {
    job: Job,
    label: String,
}

#[derive(Clone, Debug)]
struct Timer {
    due: u64,
    seq: u64,
    label: String,
    job: Job,
    owner: Option<usize>,
}

/// An event before the simulator stamps it with step, time and control.
struct Draft {
    kind: EventKind,
    description: String,
    lines: Lines,
    printed: Option<String>,
}

impl Draft {
    fn new(kind: EventKind, description: String, lines: Lines) -> Self {
        Draft {
            kind,
            description,
            lines,
            printed: None,
        }
    }
}

/// A deterministic event-loop machine; see the module docs.
#[derive(Clone, Debug)]
pub struct Sim {
    program: Program,
    now: u64,
    steps: usize,
    step_limit: usize,
    fibers: Vec<Fiber>,
    futures: Vec<FutureSlot>,
    gathers: Vec<GatherSlot>,
    microtasks: VecDeque<Queued>,
    macrotasks: VecDeque<Queued>,
    /// Kept sorted by due time, then by creation order.
    timers: Vec<Timer>,
    timer_seq: u64,
    current: Option<usize>,
    globals: Vec<(String, Value)>,
    output: Vec<String>,
    lines: Lines,
    transfer: Option<Transfer>,
    last_transfer: Option<Transfer>,
    outcome: Option<Outcome>,
    spans: Vec<(usize, Span)>,
}

impl Sim {
    /// A simulator about to run `program`'s script; fails if the program is malformed.
    pub fn new(program: &Program) -> Result<Sim, ProgramError> {
        program.validate()?;
        let main = program
            .routine_index(&program.main)
            .ok_or_else(|| ProgramError("no main routine".into()))?;
        let mut sim = Sim {
            program: program.clone(),
            now: 0,
            steps: 0,
            step_limit: DEFAULT_STEP_LIMIT,
            fibers: Vec::new(),
            futures: Vec::new(),
            gathers: Vec::new(),
            microtasks: VecDeque::new(),
            macrotasks: VecDeque::new(),
            timers: Vec::new(),
            timer_seq: 0,
            current: None,
            globals: Vec::new(),
            output: Vec::new(),
            lines: Lines::default(),
            transfer: None,
            last_transfer: None,
            outcome: None,
            spans: Vec::new(),
        };
        let script = sim.add_fiber("script".into(), FiberKind::Script, None, false);
        sim.fibers[script].entry = Some((main, Vec::new()));
        sim.set_status(script, Status::Ready);
        sim.macrotasks.push_back(Queued {
            job: Job::Start(script),
            label: t!("event_loop.sim.run_the_script").to_string(),
        });
        Ok(sim)
    }

    /// A simulator for the preset with this id.
    pub fn preset(id: &str) -> Result<Sim, ProgramError> {
        let preset =
            presets::find(id).ok_or_else(|| ProgramError(format!("no preset with id '{id}'")))?;
        Sim::new(&(preset.build)())
    }

    /// Lowers the step budget (it never exceeds [`DEFAULT_STEP_LIMIT`]).
    pub fn with_step_limit(mut self, limit: usize) -> Sim {
        self.step_limit = limit.min(DEFAULT_STEP_LIMIT);
        self
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    pub fn is_finished(&self) -> bool {
        self.outcome.is_some()
    }

    pub fn output(&self) -> &[String] {
        &self.output
    }

    pub fn time_ms(&self) -> u64 {
        self.now
    }

    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Makes one visible move; `None` once the run has ended.
    pub fn step(&mut self) -> Option<Event> {
        if self.outcome.is_some() {
            return None;
        }
        if self.steps >= self.step_limit {
            self.outcome = Some(Outcome::StepLimit { steps: self.steps });
            let draft = Draft::new(
                EventKind::Finish,
                format!(
                    "step budget of {} used up: the simulation stops here",
                    self.step_limit
                ),
                Lines::default(),
            );
            return Some(self.record(draft));
        }
        self.steps += 1;
        let result = match self.current {
            Some(fiber) => self.step_fiber(fiber),
            None => self.step_loop(),
        };
        let draft = result.unwrap_or_else(|message| {
            self.outcome = Some(Outcome::Error {
                message: message.clone(),
            });
            Draft::new(EventKind::Error, format!("error: {message}"), self.lines)
        });
        Some(self.record(draft))
    }

    /// Steps until the run ends or `max_steps` more steps have been taken.
    pub fn run_to_end(&mut self, max_steps: usize) -> RunResult {
        let stop_at = self.steps.saturating_add(max_steps);
        while self.outcome.is_none() {
            if self.steps >= stop_at {
                self.outcome = Some(Outcome::StepLimit { steps: self.steps });
                break;
            }
            self.step();
        }
        let outcome = self.outcome.clone().unwrap_or(Outcome::Finished);
        let limit_reached = match outcome {
            Outcome::StepLimit { steps } => Some(format!(
                "stopped after {steps} steps at {} ms: the program was still running",
                self.now
            )),
            _ => None,
        };
        RunResult {
            output: self.output.clone(),
            virtual_ms: self.now,
            steps: self.steps,
            limit_reached,
            outcome,
        }
    }

    /// The whole machine as the page draws it.
    pub fn snapshot(&self) -> Snapshot {
        let queue = |q: &VecDeque<Queued>| q.iter().map(|item| item.label.clone()).collect();
        Snapshot {
            step: self.steps,
            time_ms: self.now,
            call_stack: self.call_stack(),
            microtasks: queue(&self.microtasks),
            macrotasks: queue(&self.macrotasks),
            timers: self
                .timers
                .iter()
                .map(|t| TimerView {
                    due_ms: t.due,
                    name: t.label.clone(),
                })
                .collect(),
            tasks: self
                .fibers
                .iter()
                .filter(|f| f.kind != FiberKind::Callback)
                .map(|f| self.task_view(f))
                .collect(),
            output: self.output.clone(),
            lines: self.lines,
            control: self.control_name(),
            last_transfer: self.last_transfer.clone(),
            outcome: self.outcome.clone(),
        }
    }

    /// Gantt bars so far, grouped by fiber in creation order. Bars that last neither a
    /// millisecond nor a step are left out.
    pub fn timeline(&self) -> Vec<Span> {
        let mut spans = self.spans.clone();
        for (id, fiber) in self.fibers.iter().enumerate() {
            if let Some(open) = fiber.span {
                spans.push((id, self.close_span(id, open)));
            }
        }
        spans.retain(|(_, s)| s.end_ms > s.start_ms || s.end_step > s.start_step);
        spans.sort_by_key(|(id, s)| (*id, s.start_step));
        spans.into_iter().map(|(_, s)| s).collect()
    }

    // ----- the loop's own moves -----

    fn step_loop(&mut self) -> Fallible<Draft> {
        let loop_lines = self.program.loop_lines;
        if let Some(item) = self.microtasks.pop_front() {
            return self.start_job(item, EventKind::TakeMicrotask, loop_lines.microtask);
        }
        if self.timers.first().is_some_and(|t| t.due <= self.now) {
            let timer = self.timers.remove(0);
            let description = t!(
                "event_loop.sim.timer_fires",
                due = timer.due,
                label = timer.label
            )
            .to_string();
            self.macrotasks.push_back(Queued {
                job: timer.job,
                label: timer.label,
            });
            return Ok(Draft::new(
                EventKind::TimerFires,
                description,
                loop_lines.timer_fires,
            ));
        }
        if let Some(item) = self.macrotasks.pop_front() {
            return self.start_job(item, EventKind::TakeMacrotask, loop_lines.macrotask);
        }
        if let Some(next) = self.timers.first() {
            let from = self.now;
            self.now = next.due.max(self.now);
            return Ok(Draft::new(
                EventKind::AdvanceClock,
                t!("event_loop.sim.clock_jumps", from = from, to = self.now).to_string(),
                loop_lines.advance_clock,
            ));
        }
        let pending: Vec<String> = self
            .fibers
            .iter()
            .filter(|f| f.kind != FiberKind::Callback && !f.status.is_over())
            .map(|f| format!("{} ({})", f.name, status_detail(self, f)))
            .collect();
        let description = if pending.is_empty() {
            self.outcome = Some(Outcome::Finished);
            t!("event_loop.sim.finished").to_string()
        } else {
            let text = t!(
                "event_loop.sim.stuck",
                n = pending.len(),
                pending = pending.join("; ")
            )
            .to_string();
            self.outcome = Some(Outcome::IdleWithPending { pending });
            text
        };
        Ok(Draft::new(EventKind::Finish, description, Lines::default()))
    }

    fn start_job(&mut self, item: Queued, kind: EventKind, mut lines: Lines) -> Fallible<Draft> {
        let queue = if kind == EventKind::TakeMicrotask {
            t!("event_loop.sim.microtask_queue")
        } else {
            t!("event_loop.sim.macrotask_queue")
        };
        let description = match item.job {
            Job::Start(fiber) | Job::Resume { fiber, .. }
                if self.fibers[fiber].status.is_over() =>
            {
                t!("event_loop.sim.dropped", queue = queue, label = item.label).to_string()
            }
            Job::Start(fiber) => {
                self.set_status(fiber, Status::Running);
                self.current = Some(fiber);
                let who = self.fiber_label(fiber);
                match self.fibers[fiber].style {
                    _ if self.fibers[fiber].kind == FiberKind::Script => {
                        // Not a move of any scheduler that a listing shows.
                        lines = Lines::default();
                        format!("{queue} → {}", t!("event_loop.sim.run_the_script"))
                    }
                    Some(SpawnStyle::Gevent) => {
                        t!("event_loop.sim.hub_starts", who = who).to_string()
                    }
                    Some(SpawnStyle::Generator) => {
                        t!("event_loop.sim.first_next", who = who).to_string()
                    }
                    _ => t!("event_loop.sim.first_step", queue = queue, who = who).to_string(),
                }
            }
            Job::Resume { fiber, value } => {
                self.set_status(fiber, Status::Running);
                self.fibers[fiber].resume = Some(value);
                self.current = Some(fiber);
                let who = self.fiber_label(fiber);
                match self.fibers[fiber].style {
                    Some(SpawnStyle::Gevent) => {
                        t!("event_loop.sim.hub_back", who = who).to_string()
                    }
                    Some(SpawnStyle::Generator) => {
                        t!("event_loop.sim.scheduler_resumes", who = who).to_string()
                    }
                    _ => t!("event_loop.sim.wake_up", queue = queue, who = who).to_string(),
                }
            }
            Job::Call {
                routine,
                args,
                derived,
            } => {
                let name = self.program.routines[routine].name.clone();
                let fiber = self.add_fiber(name, FiberKind::Callback, None, false);
                self.fibers[fiber].entry = Some((routine, args));
                self.fibers[fiber].derived = derived;
                self.set_status(fiber, Status::Running);
                self.current = Some(fiber);
                t!(
                    "event_loop.sim.run_callback",
                    queue = queue,
                    label = item.label
                )
                .to_string()
            }
            Job::Resolve { future, value } => {
                let notes = self.resolve_future(future, value)?;
                t!(
                    "event_loop.sim.future_resolved",
                    queue = queue,
                    label = item.label,
                    notes = arrow_notes(&notes)
                )
                .to_string()
            }
        };
        Ok(Draft::new(kind, description, lines))
    }

    // ----- a fiber's moves -----

    fn step_fiber(&mut self, fid: usize) -> Fallible<Draft> {
        if let Some(value) = self.fibers[fid].resume.take() {
            return self.deliver(fid, value);
        }
        if let Some((routine, args)) = self.fibers[fid].entry.take() {
            let why = match self.fibers[fid].kind {
                FiberKind::Callback => t!("event_loop.sim.callback_starts"),
                FiberKind::Script => t!("event_loop.sim.script_starts"),
                _ => t!("event_loop.sim.body_starts"),
            };
            return self.push_frame(fid, routine, args, &why);
        }
        let frame = self.fibers[fid].frames.last().ok_or_else(|| {
            format!(
                "{} holds control with nothing to run",
                self.fibers[fid].name
            )
        })?;
        let routine = &self.program.routines[frame.routine];
        match routine.body.get(frame.pc) {
            Some(instr) => {
                let instr = instr.clone();
                self.exec(fid, &instr)
            }
            None => {
                let lines = routine.body.last().map_or(routine.lines, |i| i.lines);
                self.return_from_frame(fid, Value::None, lines)
            }
        }
    }

    /// Hands a parked top frame the value it waited for and moves past its op.
    fn deliver(&mut self, fid: usize, value: Value) -> Fallible<Draft> {
        let frame = self.top_frame_mut(fid)?;
        let bind = frame.bind.take();
        let after_run = std::mem::take(&mut frame.after_run);
        let waited_for = frame.waiting_for.take().unwrap_or_default();
        let pc = frame.pc;
        frame.pc += 1;
        let instr = self.instr_at(fid, pc)?;
        if let Some(var) = bind {
            self.assign(fid, &var, value.clone())?;
        }
        let shown = self.show_repr(&value);
        let place = self.place(fid);
        let mut description = match (&instr.op, self.fibers[fid].style) {
            (Op::Await { .. }, Some(SpawnStyle::Gevent)) => t!(
                "event_loop.sim.hub_switched_back",
                waited = waited_for,
                place = place
            ),
            (Op::Await { .. }, Some(SpawnStyle::Generator)) => t!(
                "event_loop.sim.generator_resumed",
                waited = waited_for,
                place = place
            ),
            (Op::Await { .. }, _) => t!(
                "event_loop.sim.await_gives",
                waited = waited_for,
                shown = shown,
                place = place
            ),
            (Op::Run { .. }, _) => t!("event_loop.sim.run_returns", shown = shown),
            (Op::Send { .. }, _) => t!("event_loop.sim.send_returns", shown = shown, place = place),
            (Op::Switch { .. }, _) => {
                t!(
                    "event_loop.sim.switch_returns",
                    shown = shown,
                    place = place
                )
            }
            (Op::Yield { .. }, _) => t!("event_loop.sim.yield_gives", shown = shown, place = place),
            _ => t!(
                "event_loop.sim.continues_with",
                place = place,
                shown = shown
            ),
        }
        .to_string();
        if after_run {
            let cancelled = self.cancel_leftovers(fid);
            if !cancelled.is_empty() {
                description.push_str(&t!(
                    "event_loop.sim.run_cancels_rest",
                    cancelled = cancelled.join(", ")
                ));
            }
        }
        Ok(Draft::new(EventKind::Resume, description, instr.lines))
    }

    // ----- bookkeeping -----

    fn add_fiber(
        &mut self,
        base: String,
        kind: FiberKind,
        style: Option<SpawnStyle>,
        loop_driven: bool,
    ) -> usize {
        let name = if kind == FiberKind::Callback {
            base
        } else {
            let taken = |n: &str| self.fibers.iter().any(|f| f.name == n);
            let mut name = base.clone();
            let mut n = 2;
            while taken(&name) {
                name = format!("{base} #{n}");
                n += 1;
            }
            name
        };
        self.fibers.push(Fiber {
            name,
            kind,
            style,
            loop_driven,
            status: Status::NotStarted,
            closed: false,
            frames: Vec::new(),
            entry: None,
            resume: None,
            done_future: None,
            parent: None,
            resumer: None,
            derived: None,
            span: None,
        });
        self.fibers.len() - 1
    }

    fn spawn(
        &mut self,
        routine: usize,
        args: Vec<Value>,
        style: SpawnStyle,
        name: Option<&str>,
    ) -> usize {
        let base = name.map_or_else(
            || self.program.routines[routine].name.clone(),
            str::to_string,
        );
        let kind = match style {
            SpawnStyle::Task => FiberKind::Task,
            SpawnStyle::Gevent => FiberKind::Greenlet,
            SpawnStyle::Generator => FiberKind::Generator,
        };
        let fiber = self.add_fiber(base, kind, Some(style), true);
        let future = self.new_future(self.fibers[fiber].name.clone());
        self.fibers[fiber].done_future = Some(future);
        self.fibers[fiber].entry = Some((routine, args));
        self.set_status(fiber, Status::Ready);
        let label = format!("start {}", self.fiber_label(fiber));
        self.queue_macrotask(Job::Start(fiber), label);
        fiber
    }

    fn new_future(&mut self, label: String) -> usize {
        self.futures.push(FutureSlot {
            label,
            value: None,
            waiters: Vec::new(),
        });
        self.futures.len() - 1
    }

    fn add_timer(&mut self, ms: u64, label: String, job: Job, owner: Option<usize>) -> u64 {
        let due = self.now.saturating_add(ms);
        self.timer_seq += 1;
        let timer = Timer {
            due,
            seq: self.timer_seq,
            label,
            job,
            owner,
        };
        let at = self
            .timers
            .partition_point(|t| (t.due, t.seq) <= (timer.due, timer.seq));
        self.timers.insert(at, timer);
        due
    }

    fn queue_macrotask(&mut self, job: Job, label: String) {
        self.macrotasks.push_back(Queued { job, label });
    }

    fn queue_microtask(&mut self, routine: usize, value: Value, derived: usize) {
        let name = self.program.routines[routine].name.clone();
        self.microtasks.push_back(Queued {
            job: Job::Call {
                routine,
                args: vec![value],
                derived: Some(derived),
            },
            label: format!("reaction {name}"),
        });
    }

    /// Changes a fiber's status and closes or opens its Gantt bar when the state flips.
    fn set_status(&mut self, fid: usize, status: Status) {
        let state = match status {
            Status::Running => Some(SpanState::Running),
            Status::NotStarted | Status::Ready | Status::Waiting(_) => Some(SpanState::Waiting),
            Status::Done | Status::Cancelled => None,
        };
        let open = self.fibers[fid].span;
        if open.map(|s| s.0) != state {
            if let Some(open) = open {
                let span = self.close_span(fid, open);
                self.spans.push((fid, span));
            }
            self.fibers[fid].span = state.map(|s| (s, self.now, self.steps));
        }
        self.fibers[fid].status = status;
    }

    fn close_span(
        &self,
        fid: usize,
        (state, start_ms, start_step): (SpanState, u64, usize),
    ) -> Span {
        let fiber = &self.fibers[fid];
        Span {
            task: fiber.name.clone(),
            kind: fiber.kind,
            state,
            start_ms,
            end_ms: self.now,
            start_step,
            end_step: self.steps,
        }
    }

    fn record(&mut self, draft: Draft) -> Event {
        self.lines = draft.lines;
        let transfer = self.transfer.take();
        if transfer.is_some() {
            self.last_transfer.clone_from(&transfer);
        }
        Event {
            step: self.steps,
            kind: draft.kind,
            description: draft.description,
            time_ms: self.now,
            lines: draft.lines,
            control: self.control_name(),
            transfer,
            printed: draft.printed,
        }
    }

    fn advance(&mut self, fid: usize) -> Fallible<()> {
        self.top_frame_mut(fid)?.pc += 1;
        Ok(())
    }

    fn top_frame_mut(&mut self, fid: usize) -> Fallible<&mut Frame> {
        self.fibers[fid]
            .frames
            .last_mut()
            .ok_or_else(|| "no frame on the stack".to_string())
    }

    fn instr_at(&self, fid: usize, pc: usize) -> Fallible<Instr> {
        let frame = self.fibers[fid]
            .frames
            .last()
            .ok_or("no frame on the stack")?;
        let routine = &self.program.routines[frame.routine];
        let instr = routine
            .body
            .get(pc)
            .ok_or("resumed past the end of a routine")?;
        Ok(instr.clone())
    }

    /// The running function and the fiber it runs in, for descriptions:
    /// "task print_sum", "compute in task print_sum", "producer", "the script".
    fn place(&self, fid: usize) -> String {
        let fiber = &self.fibers[fid];
        let label = self.fiber_label(fid);
        match fiber.frames.last() {
            Some(frame) if frame.module => label,
            Some(frame) => {
                let routine = &self.program.routines[frame.routine].name;
                if *routine == fiber.name {
                    label
                } else if fiber.kind == FiberKind::Script {
                    routine.clone()
                } else {
                    t!(
                        "event_loop.sim.routine_in",
                        routine = routine,
                        fiber = label
                    )
                    .to_string()
                }
            }
            None => label,
        }
    }

    /// The running function's name for descriptions; the script's own frame is "the script".
    fn frame_name(&self, fid: usize) -> String {
        match self.fibers[fid].frames.last() {
            Some(frame) if frame.module => t!("event_loop.sim.the_script").to_string(),
            Some(frame) => self.program.routines[frame.routine].name.clone(),
            None => self.fibers[fid].name.clone(),
        }
    }

    /// Who holds control, as the page shows it: the running function, and the task it
    /// runs in when that has another name ("compute in print_sum").
    fn who_runs(&self, fid: usize) -> String {
        let fiber = &self.fibers[fid];
        match fiber.frames.last() {
            Some(frame) if !frame.module => {
                let routine = &self.program.routines[frame.routine].name;
                if *routine == fiber.name || fiber.kind == FiberKind::Script {
                    routine.clone()
                } else {
                    t!(
                        "event_loop.sim.routine_in",
                        routine = routine,
                        fiber = fiber.name
                    )
                    .to_string()
                }
            }
            _ => fiber.name.clone(),
        }
    }

    fn fiber_label(&self, fid: usize) -> String {
        let fiber = &self.fibers[fid];
        match fiber.kind {
            FiberKind::Script => t!("event_loop.sim.the_script"),
            FiberKind::Task => t!("event_loop.sim.task_named", name = fiber.name),
            FiberKind::Greenlet => t!("event_loop.sim.greenlet_named", name = fiber.name),
            FiberKind::Generator => t!("event_loop.sim.generator_named", name = fiber.name),
            FiberKind::Callback => t!("event_loop.sim.callback_named", name = fiber.name),
        }
        .to_string()
    }

    fn control_name(&self) -> String {
        self.current.map_or_else(
            || t!("event_loop.sim.event_loop").to_string(),
            |id| self.who_runs(id),
        )
    }

    fn call_stack(&self) -> Vec<FrameView> {
        let Some(current) = self.current else {
            return Vec::new();
        };
        // A generator runs on top of whoever sent into it.
        let mut chain = vec![current];
        while let Some(below) = self.fibers[*chain.last().unwrap_or(&current)].resumer {
            if chain.contains(&below) {
                break;
            }
            chain.push(below);
        }
        chain
            .iter()
            .rev()
            .flat_map(|&id| {
                self.fibers[id].frames.iter().map(move |f| FrameView {
                    name: self.program.routines[f.routine].name.clone(),
                    fiber: self.fibers[id].name.clone(),
                })
            })
            .collect()
    }

    fn task_view(&self, fiber: &Fiber) -> TaskView {
        let state = match fiber.status {
            Status::Running => TaskState::Running,
            Status::Done => TaskState::Done,
            Status::Cancelled => TaskState::Cancelled,
            _ => TaskState::Pending,
        };
        let lines = fiber.frames.last().map_or(Lines::default(), |f| {
            let routine = &self.program.routines[f.routine];
            routine.body.get(f.pc).map_or(routine.lines, |i| i.lines)
        });
        TaskView {
            name: fiber.name.clone(),
            kind: fiber.kind,
            state,
            detail: status_detail(self, fiber),
            lines,
        }
    }
}

fn arrow_notes(notes: &[String]) -> String {
    if notes.is_empty() {
        String::new()
    } else {
        format!(" → {}", notes.join(", "))
    }
}

fn status_detail(sim: &Sim, fiber: &Fiber) -> String {
    match &fiber.status {
        Status::NotStarted => t!("event_loop.sim.not_started"),
        Status::Ready => t!("event_loop.sim.ready"),
        Status::Running => t!("event_loop.sim.running"),
        Status::Waiting(Wait::Future(label)) => t!("event_loop.sim.waiting_for", what = label),
        Status::Waiting(Wait::Yield) => t!("event_loop.sim.suspended_at_yield"),
        Status::Waiting(Wait::Sent(to)) => t!(
            "event_loop.sim.waiting_to_yield",
            fiber = sim.fibers[*to].name
        ),
        Status::Waiting(Wait::Switched) => t!("event_loop.sim.switched_away"),
        Status::Done if fiber.closed => t!("event_loop.sim.closed"),
        Status::Done => t!("event_loop.sim.done"),
        Status::Cancelled => t!("event_loop.sim.cancelled"),
    }
    .to_string()
}

/// Runs a preset to its end (or `max_steps`) and sums it up: the console API's entry.
pub fn run_preset(id: &str, max_steps: usize) -> Result<RunResult, ProgramError> {
    Ok(Sim::preset(id)?.run_to_end(max_steps))
}
