//! The state machine that runs compiled programs one atomic step at a time.
//!
//! A state is a flat `Vec<i64>` of machine words (shared variables, object states, then per
//! thread a header and locals; see [`compile`](super::compile)), so cloning a [`Machine`] is one
//! allocation and a copy, and the search can hash states directly. The free functions here are
//! the engine the searches call without building labels; [`Machine`] adds labels and views for
//! the UI's step mode.
//!
//! **Invariant:** no step panics. Division by zero, releasing a lock one does not hold and the
//! like become an error outcome that stops the run, as a failed `assert` does.

mod view;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::ast::{AtomicOp, BinaryOp, Program, Span};
use super::compile::{
    Code, DONE, EVAL_STACK, ExprOp, ExprRef, Footprint, HEADER, Instr, NO_OWNER, NOTIFIED,
    ObjectKind, Op, PC, RUNNING, Read, SAVED_COUNT, STATUS, WAIT_POSITION, WAITING, compile,
    temp_name,
};
use super::parser::ParseError;

pub use view::{
    ConditionView, EventView, LockView, MachineView, SemaphoreView, ThreadStatus, ThreadView,
    VariableView,
};

/// Why a run stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HaltKind {
    AssertionFailed,
    Error,
}

/// A step that stopped the whole run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Halt {
    pub kind: HaltKind,
    pub message: String,
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Every thread finished. `failed_checks` lists top-level asserts that do not hold.
    Finished {
        /// Final value of every shared variable.
        shared: BTreeMap<String, i64>,
        /// Messages of the top-level asserts that failed.
        failed_checks: Vec<String>,
    },
    /// Some threads are blocked and no thread can run.
    Deadlock {
        /// Who waits for what, e.g. `t1 waits for lock b (held by t2); ...`.
        description: String,
    },
    /// A thread's `assert` failed, which stops the run.
    AssertionFailed {
        /// Thread, condition and message.
        message: String,
    },
    /// A step went wrong (division by zero, releasing a lock not held, ...).
    Error {
        /// What went wrong, with the thread's name.
        message: String,
    },
}

/// What one call to [`Machine::step`] did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepInfo {
    /// Thread that was asked to step.
    pub thread: usize,
    /// Short text for step mode, e.g. `t1: load balance → tmp (0)`.
    pub label: String,
    /// Line of the statement the step belongs to (0 when no step ran).
    pub line: u32,
    /// The statement (for compound statements, their header).
    pub span: Span,
    /// What happened.
    pub effect: StepEffect,
    /// The step stored a value computed from a load of the same variable, and another
    /// thread stored to it in between: that thread's update is lost here.
    pub lost_update: bool,
}

/// The effect of a step, beyond its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepEffect {
    /// The step ran and the thread can go on.
    Ran,
    /// The step ran and was the thread's last.
    Finished,
    /// The thread called `wait` on a condition and now sleeps until notified.
    Waiting,
    /// An `assert` failed; the run is over.
    AssertionFailed {
        /// Same text as in reports.
        message: String,
    },
    /// The step failed; the run is over.
    Error {
        /// Same text as in reports.
        message: String,
    },
    /// Nothing happened: the thread cannot run now.
    NotRunnable {
        /// Why, e.g. `t2 waits for lock m (held by t1)`.
        reason: String,
    },
}

/// A program being run step by step. Cheap to clone (one shared code pointer and one vector), so
/// the UI can keep clones for undo.
#[derive(Clone, Debug)]
pub struct Machine {
    code: Arc<Code>,
    words: Vec<i64>,
    halted: Option<(usize, Halt)>,
    steps: usize,
    /// Per shared variable: stores so far and the thread of the last one (step mode only,
    /// to point at lost updates; not part of the state the searches hash).
    stores: Vec<(u64, usize)>,
    /// Per thread: `(variable, temporary, stores to it when loaded)` of its live loads.
    loads: Vec<Vec<(u16, u16, u64)>>,
}

impl Machine {
    /// Compiles `program` and puts it in its initial state. Fails only for programs that did not
    /// come from [`parse`](super::parse) and break its rules.
    pub fn new(program: &Program) -> Result<Machine, ParseError> {
        Ok(Machine::from_code(Arc::new(compile(program)?)))
    }

    pub(crate) fn from_code(code: Arc<Code>) -> Machine {
        let words = code.initial_words.clone();
        Machine {
            stores: vec![(0, usize::MAX); code.shared.len()],
            loads: vec![Vec::new(); code.threads.len()],
            code,
            words,
            halted: None,
            steps: 0,
        }
    }

    /// Number of threads.
    pub fn thread_count(&self) -> usize {
        self.code.threads.len()
    }

    /// Name of thread `thread`, if it exists.
    pub fn thread_name(&self, thread: usize) -> Option<&str> {
        self.code.threads.get(thread).map(|t| t.name.as_str())
    }

    /// Steps taken since the initial state.
    pub fn steps_taken(&self) -> usize {
        self.steps
    }

    /// Threads that can take a step now, in index order. Empty once the run is over.
    pub fn runnable(&self) -> Vec<usize> {
        if self.halted.is_some() {
            return Vec::new();
        }
        (0..self.thread_count())
            .filter(|&t| is_runnable(&self.code, &self.words, t))
            .collect()
    }

    /// True when no thread can run: finished, deadlocked, or stopped by a failure.
    pub fn is_terminal(&self) -> bool {
        self.halted.is_some() || runnable_mask(&self.code, &self.words) == 0
    }

    /// Current values of the shared variables, by name.
    pub fn shared(&self) -> BTreeMap<String, i64> {
        shared_map(&self.code, &self.words)
    }

    /// How the run ended, or `None` while some thread can still run.
    pub fn outcome(&self) -> Option<Outcome> {
        if let Some((_, halt)) = &self.halted {
            let message = halt.message.clone();
            return Some(match halt.kind {
                HaltKind::AssertionFailed => Outcome::AssertionFailed { message },
                HaltKind::Error => Outcome::Error { message },
            });
        }
        if runnable_mask(&self.code, &self.words) != 0 {
            return None;
        }
        Some(if all_done(&self.code, &self.words) {
            Outcome::Finished {
                shared: self.shared(),
                failed_checks: failed_checks(&self.code, &self.words),
            }
        } else {
            Outcome::Deadlock {
                description: deadlock_description(&self.code, &self.words),
            }
        })
    }

    /// Runs one atomic step of `thread`. Asking a thread that cannot run changes nothing and
    /// says why in [`StepEffect::NotRunnable`].
    pub fn step(&mut self, thread: usize) -> StepInfo {
        let not_runnable = |reason: String| StepInfo {
            thread,
            label: reason.clone(),
            line: 0,
            span: Span::default(),
            effect: StepEffect::NotRunnable { reason },
            lost_update: false,
        };
        let Some(name) = self.thread_name(thread).map(str::to_string) else {
            return not_runnable(format!("there is no thread number {thread}"));
        };
        if let Some((_, halt)) = &self.halted {
            return not_runnable(format!("the run is over: {}", halt.message));
        }
        if !is_runnable(&self.code, &self.words, thread) {
            let reason = blocked_reason(&self.code, &self.words, thread)
                .unwrap_or_else(|| "has finished".to_string());
            return not_runnable(format!("{name} {reason}"));
        }
        let code = Arc::clone(&self.code);
        let area = &code.threads[thread];
        let instr = &code.instrs[self.words[area.base + PC] as usize];
        let before = Before::capture(&code, &self.words, thread, instr);
        let overwritten = self.overwritten_writer(thread, instr);
        let result = exec(&code, &mut self.words, thread);
        self.steps += 1;
        if result.is_ok() {
            self.track_accesses(thread, instr);
        }
        let (label, effect) = match result {
            Ok(flag) => {
                let mut label = describe(&code, &self.words, thread, instr, &before, flag);
                if let Some((writer, var)) = overwritten {
                    label.push_str(&format!(
                        " — lost update: {} stored {} after {name} loaded it, and this overwrites it",
                        code.threads[writer].name, code.shared[var as usize].name
                    ));
                }
                let status = self.words[area.base + STATUS];
                let effect = match status {
                    DONE => StepEffect::Finished,
                    WAITING => StepEffect::Waiting,
                    _ => StepEffect::Ran,
                };
                (label, effect)
            }
            Err(halt) => {
                let label = match halt.kind {
                    HaltKind::AssertionFailed => format!("{name}: assert {} → FAILED", instr.text),
                    HaltKind::Error => format!("{name}: error: {}", halt.message),
                };
                let effect = match halt.kind {
                    HaltKind::AssertionFailed => StepEffect::AssertionFailed {
                        message: halt.message.clone(),
                    },
                    HaltKind::Error => StepEffect::Error {
                        message: halt.message.clone(),
                    },
                };
                self.halted = Some((thread, halt));
                (label, effect)
            }
        };
        StepInfo {
            thread,
            label,
            line: instr.span.line,
            span: instr.span,
            effect,
            lost_update: overwritten.is_some(),
        }
    }

    /// The other thread whose store `instr` (a store of `thread`) is about to overwrite,
    /// when the stored value was computed from a load made before that store.
    fn overwritten_writer(&self, thread: usize, instr: &Instr) -> Option<(usize, u16)> {
        let Op::Store { var, value } = instr.op else {
            return None;
        };
        let uses = |temp: u16| {
            self.code
                .expr(value)
                .iter()
                .any(|op| matches!(op, ExprOp::Local(slot) if *slot == temp))
        };
        let &(_, _, seen) = self.loads[thread]
            .iter()
            .find(|&&(v, temp, _)| v == var && uses(temp))?;
        let (stores, writer) = self.stores[var as usize];
        (stores != seen && writer != thread).then_some((writer, var))
    }

    fn track_accesses(&mut self, thread: usize, instr: &Instr) {
        match instr.op {
            Op::Load { var, temp } => {
                let loads = &mut self.loads[thread];
                loads.retain(|&(_, t, _)| t != temp);
                loads.push((var, temp, self.stores[var as usize].0));
            }
            Op::Store { var, .. } | Op::Atomic { var, .. } => {
                let entry = &mut self.stores[var as usize];
                *entry = (entry.0 + 1, thread);
                if matches!(instr.op, Op::Store { .. }) {
                    // The statement is over; its temporaries are gone.
                    self.loads[thread].clear();
                }
            }
            _ => {}
        }
    }

    /// Everything the UI shows about the current state.
    pub fn view(&self) -> MachineView {
        view::build(self)
    }
}

/// Runs `thread`'s next step like [`exec`] and describes it as step mode does.
pub(crate) fn exec_labelled(
    code: &Code,
    words: &mut [i64],
    thread: usize,
) -> (Result<bool, Halt>, String) {
    let instr = &code.instrs[words[code.threads[thread].base + PC] as usize];
    let before = Before::capture(code, words, thread, instr);
    let result = exec(code, words, thread);
    let label = match &result {
        Ok(flag) => describe(code, words, thread, instr, &before, *flag),
        Err(halt) => format!("{}: {}", code.threads[thread].name, halt.message),
    };
    (result, label)
}

/// Values a label needs that the step itself overwrites.
struct Before {
    read_value: Option<(String, i64)>,
    status: i64,
    waiters: Vec<usize>,
}

impl Before {
    fn capture(code: &Code, words: &[i64], thread: usize, instr: &Instr) -> Before {
        let read = match &instr.op {
            Op::Assign { read, .. } | Op::Branch { read, .. } | Op::Assert { read, .. } => *read,
            _ => None,
        };
        let waiters = match instr.op {
            Op::Notify { condition, .. } => waiters(code, words, condition),
            _ => Vec::new(),
        };
        Before {
            read_value: read.map(|r| {
                (
                    code.shared[r.var as usize].name.clone(),
                    words[r.var as usize],
                )
            }),
            status: words[code.threads[thread].base + STATUS],
            waiters,
        }
    }
}

/// Builds the step-mode label of a step that ran without stopping the run.
fn describe(
    code: &Code,
    words: &[i64],
    thread: usize,
    instr: &Instr,
    before: &Before,
    flag: bool,
) -> String {
    let area = &code.threads[thread];
    let name = &area.name;
    let locals = area.base + HEADER;
    let read_suffix = before
        .read_value
        .as_ref()
        .map_or(String::new(), |(var, value)| {
            format!(" (read {var} = {value})")
        });
    let object = |index: u16| &code.objects[index as usize];
    match &instr.op {
        Op::Load { var, temp } => format!(
            "{name}: load {} → {} ({})",
            code.shared[*var as usize].name,
            temp_name(instr.live_temps as usize, instr.temp_count as usize),
            words[locals + *temp as usize]
        ),
        Op::Store { var, .. } => {
            format!(
                "{name}: store {} ← {}",
                code.shared[*var as usize].name, words[*var as usize]
            )
        }
        Op::Atomic { var, op, local, .. } => {
            let result = local.map_or(String::new(), |l| {
                format!(" → {}", words[locals + l as usize])
            });
            format!(
                "{name}: {}({}) atomically, now {}{result}",
                op.name(),
                code.shared[*var as usize].name,
                words[*var as usize]
            )
        }
        Op::Assign { local, .. } => {
            format!(
                "{name}: {} = {}{read_suffix}",
                instr.text,
                words[locals + *local as usize]
            )
        }
        Op::Branch { .. } => format!("{name}: {} → {flag}{read_suffix}", instr.text),
        Op::Repeat { counter, count, .. } => {
            if flag {
                let left = words[locals + *counter as usize];
                let round = i64::from(*count) - left + 1;
                format!("{name}: {}: round {round} of {count}", instr.text)
            } else {
                format!("{name}: {}: done", instr.text)
            }
        }
        Op::Assert { .. } => format!("{name}: assert {} → ok{read_suffix}", instr.text),
        Op::Acquire { object: index } | Op::Release { object: index } => {
            let object = object(*index);
            let verb = if matches!(instr.op, Op::Acquire { .. }) {
                "acquire"
            } else {
                "release"
            };
            let detail = match object.kind {
                ObjectKind::RLock => format!(" (count {})", words[object.word + 1]),
                ObjectKind::Semaphore => format!(" ({} permits left)", words[object.word]),
                _ => String::new(),
            };
            let with = if instr.text.is_empty() {
                String::new()
            } else {
                format!(", {}", instr.text)
            };
            format!(
                "{name}: {verb} {} {}{detail}{with}",
                object.kind.noun(),
                object.name
            )
        }
        Op::SetEvent { object: index } => format!("{name}: set event {}", object(*index).name),
        Op::ClearEvent { object: index } => format!("{name}: clear event {}", object(*index).name),
        Op::WaitEvent { object: index } => {
            format!("{name}: wait for event {}: it is set", object(*index).name)
        }
        Op::Wait { condition, lock } => {
            if before.status == NOTIFIED {
                format!(
                    "{name}: wake up from {}, re-acquire {}",
                    object(*condition).name,
                    object(*lock).name
                )
            } else {
                format!(
                    "{name}: wait on {}, releasing {}",
                    object(*condition).name,
                    object(*lock).name
                )
            }
        }
        Op::Notify { condition, all, .. } => {
            let method = if *all { "notify_all" } else { "notify" };
            let woken: Vec<&str> = before
                .waiters
                .iter()
                .filter(|&&t| words[code.threads[t].base + STATUS] == NOTIFIED)
                .map(|&t| code.threads[t].name.as_str())
                .collect();
            if woken.is_empty() {
                format!(
                    "{name}: {}.{method}() → nobody is waiting; the wake-up is lost",
                    object(*condition).name
                )
            } else {
                format!(
                    "{name}: {}.{method}() → wakes {}",
                    object(*condition).name,
                    woken.join(", ")
                )
            }
        }
        Op::Yield => format!("{name}: yield"),
        Op::Pass => format!("{name}: pass"),
        Op::Fence => format!("{name}: fence"),
        Op::Jump { .. } | Op::End => format!("{name}: (nothing)"),
    }
}

/// Values of the shared variables by name.
pub(crate) fn shared_map(code: &Code, words: &[i64]) -> BTreeMap<String, i64> {
    code.shared
        .iter()
        .enumerate()
        .map(|(i, var)| (var.name.clone(), words[i]))
        .collect()
}

fn eval(code: &Code, expr: ExprRef, words: &[i64], locals: usize) -> Result<i64, &'static str> {
    let ops = code.expr(expr);
    let mut stack = [0i64; EVAL_STACK];
    let mut top = 0usize;
    let mut index = 0;
    // The compiler emits well-formed postfix code whose depth fits EVAL_STACK (check_stack).
    while index < ops.len() {
        match ops[index] {
            ExprOp::Const(value) => {
                stack[top] = value;
                top += 1;
            }
            ExprOp::Local(slot) => {
                stack[top] = words[locals + slot as usize];
                top += 1;
            }
            ExprOp::Shared(var) => {
                stack[top] = words[var as usize];
                top += 1;
            }
            ExprOp::Neg => stack[top - 1] = stack[top - 1].wrapping_neg(),
            ExprOp::Not => stack[top - 1] = i64::from(stack[top - 1] == 0),
            ExprOp::Truth => stack[top - 1] = i64::from(stack[top - 1] != 0),
            ExprOp::Binary(op) => {
                top -= 1;
                stack[top - 1] = apply(op, stack[top - 1], stack[top])?;
            }
            ExprOp::SkipIfFalse(distance) => {
                if stack[top - 1] == 0 {
                    index += distance as usize;
                } else {
                    top -= 1;
                }
            }
            ExprOp::SkipIfTrue(distance) => {
                if stack[top - 1] != 0 {
                    stack[top - 1] = 1;
                    index += distance as usize;
                } else {
                    top -= 1;
                }
            }
        }
        index += 1;
    }
    Ok(stack[0])
}

fn apply(op: BinaryOp, left: i64, right: i64) -> Result<i64, &'static str> {
    Ok(match op {
        BinaryOp::Add => left.wrapping_add(right),
        BinaryOp::Sub => left.wrapping_sub(right),
        BinaryOp::Mul => left.wrapping_mul(right),
        BinaryOp::Div => {
            if right == 0 {
                return Err("division by zero");
            }
            // Round toward negative infinity, like Python's `//`.
            let quotient = left.wrapping_div(right);
            if left.wrapping_rem(right) != 0 && ((left < 0) != (right < 0)) {
                quotient - 1
            } else {
                quotient
            }
        }
        BinaryOp::Mod => {
            if right == 0 {
                return Err("modulo by zero");
            }
            // The result takes the divisor's sign, like Python's `%`.
            let remainder = left.wrapping_rem(right);
            if remainder != 0 && ((remainder < 0) != (right < 0)) {
                remainder + right
            } else {
                remainder
            }
        }
        BinaryOp::Eq => i64::from(left == right),
        BinaryOp::Ne => i64::from(left != right),
        BinaryOp::Lt => i64::from(left < right),
        BinaryOp::Le => i64::from(left <= right),
        BinaryOp::Gt => i64::from(left > right),
        BinaryOp::Ge => i64::from(left >= right),
        BinaryOp::And => i64::from(left != 0 && right != 0),
        BinaryOp::Or => i64::from(left != 0 || right != 0),
    })
}

/// Threads waiting on `condition`, in the order they will be woken.
fn waiters(code: &Code, words: &[i64], condition: u16) -> Vec<usize> {
    let mut waiting: Vec<(i64, usize)> = (0..code.threads.len())
        .filter(|&t| waits_on(code, words, t, condition))
        .map(|t| (words[code.threads[t].base + WAIT_POSITION], t))
        .collect();
    waiting.sort_unstable();
    waiting.into_iter().map(|(_, t)| t).collect()
}

fn waits_on(code: &Code, words: &[i64], thread: usize, condition: u16) -> bool {
    let base = code.threads[thread].base;
    words[base + STATUS] == WAITING
        && matches!(code.instrs[words[base + PC] as usize].op,
            Op::Wait { condition: c, .. } if c == condition)
}

fn clear_temps(words: &mut [i64], locals: usize, temp_base: u16, count: u8) {
    let start = locals + temp_base as usize;
    words[start..start + count as usize].fill(0);
}

/// Runs the next step of `thread`, which must be runnable. `Ok(flag)` is the branch taken for
/// `if`/`while`/`repeat` (true = into the body) and true otherwise.
pub(crate) fn exec(code: &Code, words: &mut [i64], thread: usize) -> Result<bool, Halt> {
    let area = &code.threads[thread];
    let base = area.base;
    let locals = base + HEADER;
    let pc = words[base + PC] as usize;
    let instr = &code.instrs[pc];
    let mut next = instr.next;
    let mut flag = true;
    let error = |message: String| Halt {
        kind: HaltKind::Error,
        message,
    };
    let arithmetic = |problem: &str| {
        error(format!(
            "{}: {problem} on line {}",
            area.name, instr.span.line
        ))
    };
    let read = |words: &mut [i64], read: Option<Read>| {
        if let Some(r) = read {
            words[locals + r.temp as usize] = words[r.var as usize];
        }
    };
    match &instr.op {
        Op::Load { var, temp } => words[locals + *temp as usize] = words[*var as usize],
        Op::Store { var, value } => {
            let value = eval(code, *value, words, locals).map_err(arithmetic)?;
            words[*var as usize] = value;
            clear_temps(words, locals, area.temp_base, instr.temp_count);
        }
        Op::Atomic {
            var,
            op,
            local,
            args,
        } => {
            let first = eval(code, args[0], words, locals).map_err(arithmetic)?;
            let old = words[*var as usize];
            let result = match op {
                AtomicOp::Cas => {
                    let new = eval(code, args[1], words, locals).map_err(arithmetic)?;
                    let swapped = old == first;
                    if swapped {
                        words[*var as usize] = new;
                    }
                    i64::from(swapped)
                }
                AtomicOp::FetchAdd => {
                    words[*var as usize] = old
                        .checked_add(first)
                        .ok_or_else(|| arithmetic("overflow"))?;
                    old
                }
                AtomicOp::Swap => {
                    words[*var as usize] = first;
                    old
                }
            };
            if let Some(local) = local {
                words[locals + *local as usize] = result;
            }
        }
        Op::Assign {
            read: folded,
            local,
            value,
        } => {
            read(words, *folded);
            let value = eval(code, *value, words, locals).map_err(arithmetic)?;
            words[locals + *local as usize] = value;
            clear_temps(words, locals, area.temp_base, instr.temp_count);
        }
        Op::Branch {
            read: folded,
            condition,
            otherwise,
        } => {
            read(words, *folded);
            flag = eval(code, *condition, words, locals).map_err(arithmetic)? != 0;
            clear_temps(words, locals, area.temp_base, instr.temp_count);
            if !flag {
                next = *otherwise;
            }
        }
        Op::Repeat {
            counter,
            count,
            exit,
        } => {
            let slot = locals + *counter as usize;
            let left = if words[slot] == 0 {
                i64::from(*count)
            } else {
                words[slot] - 1
            };
            words[slot] = left;
            flag = left > 0;
            if !flag {
                next = *exit;
            }
        }
        Op::Assert {
            read: folded,
            condition,
            message,
        } => {
            read(words, *folded);
            let holds = eval(code, *condition, words, locals).map_err(arithmetic)? != 0;
            clear_temps(words, locals, area.temp_base, instr.temp_count);
            if !holds {
                let mut text = format!("{}: assert {} failed", area.name, instr.text);
                if let Some(message) = message {
                    text.push_str(": ");
                    text.push_str(message);
                }
                return Err(Halt {
                    kind: HaltKind::AssertionFailed,
                    message: text,
                });
            }
        }
        Op::Acquire { object } => {
            let object = &code.objects[*object as usize];
            match object.kind {
                ObjectKind::Lock => {
                    words[object.word] = thread as i64;
                    words[object.word + 1] = 1;
                }
                ObjectKind::RLock => {
                    words[object.word] = thread as i64;
                    words[object.word + 1] += 1;
                }
                ObjectKind::Semaphore => words[object.word] -= 1,
                ObjectKind::Event | ObjectKind::Condition { .. } => {}
            }
        }
        Op::Release { object } => {
            let object = &code.objects[*object as usize];
            match object.kind {
                ObjectKind::Lock | ObjectKind::RLock => {
                    if words[object.word] != thread as i64 {
                        return Err(error(format!(
                            "{} released {} {}, which it does not hold",
                            area.name,
                            object.kind.noun(),
                            object.name
                        )));
                    }
                    words[object.word + 1] -= 1;
                    if words[object.word + 1] == 0 {
                        words[object.word] = NO_OWNER;
                    }
                }
                ObjectKind::Semaphore => {
                    words[object.word] = words[object.word].saturating_add(1);
                }
                ObjectKind::Event | ObjectKind::Condition { .. } => {}
            }
        }
        Op::SetEvent { object } => words[code.objects[*object as usize].word] = 1,
        Op::ClearEvent { object } => words[code.objects[*object as usize].word] = 0,
        Op::WaitEvent { .. } | Op::Yield | Op::Pass | Op::Fence | Op::Jump { .. } | Op::End => {}
        Op::Wait { condition, lock } => {
            let lock_word = code.objects[*lock as usize].word;
            if words[base + STATUS] == NOTIFIED {
                words[lock_word] = thread as i64;
                words[lock_word + 1] = words[base + SAVED_COUNT];
                words[base + SAVED_COUNT] = 0;
                words[base + STATUS] = RUNNING;
            } else {
                if words[lock_word] != thread as i64 {
                    return Err(error(format!(
                        "{} called {}.wait() without holding {}",
                        area.name,
                        code.objects[*condition as usize].name,
                        code.objects[*lock as usize].name
                    )));
                }
                let queue_length = waiters(code, words, *condition).len();
                words[base + SAVED_COUNT] = words[lock_word + 1];
                words[lock_word] = NO_OWNER;
                words[lock_word + 1] = 0;
                words[base + STATUS] = WAITING;
                words[base + WAIT_POSITION] = queue_length as i64;
                next = pc as u32;
            }
        }
        Op::Notify {
            condition,
            lock,
            all,
        } => {
            if words[code.objects[*lock as usize].word] != thread as i64 {
                return Err(error(format!(
                    "{} called {}.{}() without holding {}",
                    area.name,
                    code.objects[*condition as usize].name,
                    if *all { "notify_all" } else { "notify" },
                    code.objects[*lock as usize].name
                )));
            }
            for other in 0..code.threads.len() {
                if !waits_on(code, words, other, *condition) {
                    continue;
                }
                let other_base = code.threads[other].base;
                if *all || words[other_base + WAIT_POSITION] == 0 {
                    words[other_base + STATUS] = NOTIFIED;
                    words[other_base + WAIT_POSITION] = 0;
                } else {
                    words[other_base + WAIT_POSITION] -= 1;
                }
            }
        }
    }
    words[base + PC] = i64::from(next);
    if matches!(code.instrs[next as usize].op, Op::End) {
        words[base + STATUS] = DONE;
    }
    Ok(flag)
}

/// True when `thread` can take a step in state `words`.
pub(crate) fn is_runnable(code: &Code, words: &[i64], thread: usize) -> bool {
    let base = code.threads[thread].base;
    let instr = &code.instrs[words[base + PC] as usize];
    match words[base + STATUS] {
        RUNNING => match instr.op {
            Op::Acquire { object } => {
                let object = &code.objects[object as usize];
                let word = words[object.word];
                match object.kind {
                    ObjectKind::Lock => word == NO_OWNER,
                    ObjectKind::RLock => word == NO_OWNER || word == thread as i64,
                    ObjectKind::Semaphore => word > 0,
                    ObjectKind::Event | ObjectKind::Condition { .. } => true,
                }
            }
            Op::WaitEvent { object } => words[code.objects[object as usize].word] != 0,
            Op::End => false,
            _ => true,
        },
        NOTIFIED => match instr.op {
            Op::Wait { lock, .. } => words[code.objects[lock as usize].word] == NO_OWNER,
            _ => false,
        },
        _ => false,
    }
}

/// Runnable threads as a bit set (bit `t` for thread `t`; programs have at most 8 threads).
pub(crate) fn runnable_mask(code: &Code, words: &[i64]) -> u8 {
    let mut mask = 0;
    for thread in 0..code.threads.len() {
        if is_runnable(code, words, thread) {
            mask |= 1 << thread;
        }
    }
    mask
}

/// What the next step of `thread` touches.
pub(crate) fn footprint(code: &Code, words: &[i64], thread: usize) -> Footprint {
    let base = code.threads[thread].base;
    code.instrs[words[base + PC] as usize].footprint
}

/// True when `thread` is running and its next step touches nothing shared and cannot stop the
/// run, so it commutes with every other thread's steps.
pub(crate) fn next_is_local(code: &Code, words: &[i64], thread: usize) -> bool {
    let base = code.threads[thread].base;
    let instr = &code.instrs[words[base + PC] as usize];
    words[base + STATUS] == RUNNING
        && instr.footprint.is_local()
        && !instr.may_halt
        && !matches!(instr.op, Op::End)
}

pub(crate) fn all_done(code: &Code, words: &[i64]) -> bool {
    code.threads
        .iter()
        .all(|area| words[area.base + STATUS] == DONE)
}

/// Why `thread` cannot run, e.g. `waits for lock m (held by t2)`; `None` if it can or is done.
pub(crate) fn blocked_reason(code: &Code, words: &[i64], thread: usize) -> Option<String> {
    if is_runnable(code, words, thread) {
        return None;
    }
    let base = code.threads[thread].base;
    let instr = &code.instrs[words[base + PC] as usize];
    let holder = |word: i64| -> String {
        if word == thread as i64 {
            "held by itself".to_string()
        } else {
            usize::try_from(word)
                .ok()
                .and_then(|t| code.threads.get(t))
                .map_or("held".to_string(), |t| format!("held by {}", t.name))
        }
    };
    let reason = match (words[base + STATUS], &instr.op) {
        (RUNNING, Op::Acquire { object }) => {
            let object = &code.objects[*object as usize];
            match object.kind {
                ObjectKind::Semaphore => {
                    format!("waits for semaphore {} (no permits left)", object.name)
                }
                kind => format!(
                    "waits for {} {} ({})",
                    kind.noun(),
                    object.name,
                    holder(words[object.word])
                ),
            }
        }
        (RUNNING, Op::WaitEvent { object }) => {
            format!(
                "waits for event {} to be set",
                code.objects[*object as usize].name
            )
        }
        (WAITING, Op::Wait { condition, .. }) => {
            format!(
                "waits on condition {} to be notified",
                code.objects[*condition as usize].name
            )
        }
        (NOTIFIED, Op::Wait { lock, .. }) => {
            let lock = &code.objects[*lock as usize];
            format!(
                "was notified and waits to re-acquire {} ({})",
                lock.name,
                holder(words[lock.word])
            )
        }
        _ => return None,
    };
    Some(reason)
}

/// Who waits for what, for a state where no thread can run but not all are done.
pub(crate) fn deadlock_description(code: &Code, words: &[i64]) -> String {
    let reasons: Vec<String> = (0..code.threads.len())
        .filter_map(|t| {
            blocked_reason(code, words, t)
                .map(|reason| format!("{} {reason}", code.threads[t].name))
        })
        .collect();
    reasons.join("; ")
}

/// Messages of the top-level asserts that do not hold in the final state `words`.
pub(crate) fn failed_checks(code: &Code, words: &[i64]) -> Vec<String> {
    code.checks
        .iter()
        .filter_map(|check| {
            let problem = match eval(code, check.condition, words, 0) {
                Ok(0) => "failed",
                Ok(_) => return None,
                Err(problem) => problem,
            };
            let mut text = format!("after all threads: assert {} {problem}", check.text);
            if let Some(message) = &check.message {
                text.push_str(": ");
                text.push_str(message);
            }
            Some(text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::program;
    use super::{Machine, Outcome, StepEffect, ThreadStatus};

    fn machine(source: &str) -> Machine {
        Machine::new(&program(source)).expect("compiles")
    }

    /// Runs `schedule` and returns the labels.
    fn labels(machine: &mut Machine, schedule: &[usize]) -> Vec<String> {
        schedule.iter().map(|&t| machine.step(t).label).collect()
    }

    fn finished(machine: &Machine) -> i64 {
        match machine.outcome() {
            Some(Outcome::Finished { shared, .. }) => shared["a"],
            other => panic!("not finished: {other:?}"),
        }
    }

    #[test]
    fn arithmetic_follows_python_and_wraps() {
        let mut m = machine("shared a = 0\nthread t { a = -7 / 2 * 100 + -7 % 2 + 7 % -2 }");
        m.step(0);
        assert_eq!(finished(&m), -4 * 100 + 1 - 1);
        let mut m = machine("shared a = 9223372036854775807\nthread t { a = a + 1 }");
        m.step(0);
        m.step(0);
        assert_eq!(finished(&m), i64::MIN);
        let mut m = machine("shared a = -9223372036854775808\nthread t { a = a / -1 }");
        m.step(0);
        m.step(0);
        assert_eq!(finished(&m), i64::MIN);
    }

    #[test]
    fn division_by_zero_is_an_error_outcome_and_and_short_circuits() {
        let mut m = machine("shared a = 0\nthread t {\n  b = 1 / a\n}");
        let info = m.step(0);
        let message = "t: division by zero on line 3".to_string();
        assert_eq!(
            info.effect,
            StepEffect::Error {
                message: message.clone()
            }
        );
        assert_eq!(m.outcome(), Some(Outcome::Error { message }));
        assert!(m.is_terminal());
        assert!(matches!(
            m.view().threads[0].status,
            ThreadStatus::Failed { .. }
        ));
        assert!(matches!(m.step(0).effect, StepEffect::NotRunnable { .. }));

        let mut m = machine("shared a = 0\nthread t { if a != 0 and 5 / a > 1 { a = 9 } }");
        while !m.is_terminal() {
            m.step(0);
        }
        assert_eq!(finished(&m), 0);
    }

    #[test]
    fn a_step_is_one_shared_access_with_labels_and_lines() {
        let mut m = machine(
            "shared a = 1\nshared b = 2\nthread t {\n  a = a + b\n  c = a * 10\n  if c > 5 \
             { pass }\n}",
        );
        let seen = labels(&mut m, &[0, 0, 0, 0, 0, 0]);
        assert_eq!(
            seen,
            [
                "t: load a → tmp1 (1)",
                "t: load b → tmp2 (2)",
                "t: store a ← 3",
                "t: c = 30 (read a = 3)",
                "t: if c > 5 → true",
                "t: pass",
            ]
        );
        assert!(m.is_terminal());
        let mut m = machine("shared a = 1\nshared b = 2\nthread t {\n  a = a + b\n}");
        m.step(0);
        let view = m.view();
        assert_eq!(view.threads[0].line, Some(4));
        assert_eq!(
            view.threads[0]
                .locals
                .iter()
                .map(|v| (v.name.as_str(), v.value))
                .collect::<Vec<_>>(),
            [("tmp1", 1)],
            "loaded temporaries show while the statement runs"
        );
        m.step(0);
        m.step(0);
        assert!(m.view().threads[0].locals.is_empty());
        assert_eq!(m.view().threads[0].status, ThreadStatus::Done);
        assert_eq!(m.view().threads[0].line, None);
    }

    #[test]
    fn repeat_runs_its_body_exactly_n_times_even_when_nested() {
        let mut m = machine("shared a = 0\nthread t { repeat 3 { repeat 2 { a = a + 1 } } }");
        let mut steps = 0;
        while !m.is_terminal() {
            m.step(0);
            steps += 1;
        }
        assert_eq!(finished(&m), 6);
        // 4 outer tests, 3 × 3 inner tests, 6 × (load + store).
        assert_eq!(steps, 4 + 9 + 12);
        let mut m = machine("shared a = 0\nthread t { repeat 0 { a = 1 } }");
        assert_eq!(m.step(0).label, "t: repeat 0: done");
        assert_eq!(finished(&m), 0);
    }

    #[test]
    fn locks_block_and_misuse_is_an_error() {
        let mut m = machine("lock m\nthread t1 { m.acquire() }\nthread t2 { m.acquire() }");
        assert_eq!(m.step(0).label, "t1: acquire lock m");
        assert_eq!(m.runnable(), Vec::<usize>::new());
        let view = m.view();
        assert_eq!(view.locks[0].owner, Some(0));
        assert_eq!(
            view.threads[1].status,
            ThreadStatus::Blocked {
                on: "lock m (held by t1)".to_string()
            }
        );
        assert_eq!(
            m.step(1).effect,
            StepEffect::NotRunnable {
                reason: "t2 waits for lock m (held by t1)".to_string()
            }
        );
        assert_eq!(
            m.outcome(),
            Some(Outcome::Deadlock {
                description: "t2 waits for lock m (held by t1)".to_string()
            })
        );

        let mut m = machine("lock m\nthread t { m.release() }");
        assert_eq!(
            m.step(0).effect,
            StepEffect::Error {
                message: "t released lock m, which it does not hold".to_string()
            }
        );
        let mut m = machine("lock m\ncondition c(m)\nthread t { c.notify() }");
        assert!(matches!(m.step(0).effect, StepEffect::Error { .. }));
        let mut m = machine("rlock r\nthread t { r.acquire(); r.acquire(); r.release() }");
        let seen = labels(&mut m, &[0, 0, 0]);
        assert_eq!(seen[1], "t: acquire rlock r (count 2)");
        assert_eq!(seen[2], "t: release rlock r (count 1)");
        assert_eq!(m.view().locks[0].owner, Some(0));
        assert!(matches!(m.outcome(), Some(Outcome::Finished { .. })));
    }

    #[test]
    fn conditions_wake_waiters_in_fifo_order_and_lose_early_notifies() {
        let source = "lock m\ncondition c(m)\nthread a { with m { c.wait() } }\nthread b { with \
                      m { c.wait() } }\nthread n { with m { c.notify() } }";
        let mut m = machine(source);
        // b waits first, then a; one notify wakes b.
        let seen = labels(&mut m, &[1, 1, 0, 0, 2, 2]);
        assert_eq!(seen[1], "b: wait on c, releasing m");
        assert_eq!(seen[5], "n: c.notify() → wakes b");
        let view = m.view();
        assert_eq!(view.conditions[0].waiting, vec![0]);
        assert_eq!(view.conditions[0].notified, vec![1]);
        assert_eq!(
            view.threads[1].status,
            ThreadStatus::Blocked {
                on: "re-acquire m (held by n)".to_string()
            }
        );
        m.step(2);
        assert_eq!(m.step(1).label, "b: wake up from c, re-acquire m");
        m.step(1);
        assert_eq!(
            m.outcome(),
            Some(Outcome::Deadlock {
                description: "a waits on condition c to be notified".to_string()
            })
        );

        let mut m = machine("lock m\ncondition c(m)\nthread n { with m { c.notify() } }");
        assert_eq!(
            labels(&mut m, &[0, 0])[1],
            "n: c.notify() → nobody is waiting; the wake-up is lost"
        );
    }

    #[test]
    fn events_and_semaphores() {
        let mut m = machine(
            "event e\nsemaphore s = 1\nthread w { e.wait(); s.acquire() }\nthread g { \
             s.acquire(); e.set() }",
        );
        assert_eq!(m.runnable(), vec![1]);
        assert_eq!(m.step(1).label, "g: acquire semaphore s (0 permits left)");
        assert_eq!(m.step(1).label, "g: set event e");
        assert!(m.view().events[0].set);
        assert_eq!(m.step(0).label, "w: wait for event e: it is set");
        assert_eq!(
            m.outcome(),
            Some(Outcome::Deadlock {
                description: "w waits for semaphore s (no permits left)".to_string()
            })
        );
    }

    #[test]
    fn clones_are_independent_snapshots() {
        let mut m = machine("shared a = 0\nthread t { a = a + 1 }");
        let before = m.clone();
        m.step(0);
        m.step(0);
        assert_eq!(m.shared()["a"], 1);
        assert_eq!(before.shared()["a"], 0);
        assert_eq!(before.steps_taken(), 0);
        assert_eq!(m.steps_taken(), 2);
        assert!(matches!(m.step(7).effect, StepEffect::NotRunnable { .. }));
    }

    #[test]
    fn step_mode_points_at_the_store_that_loses_an_update() {
        let program = crate::model::labs::explorer::parse(
            "shared balance = 0\nthread t1 { balance = balance + 5 }\nthread t2 { balance = balance + 8 }",
        )
        .unwrap();
        let mut machine = Machine::new(&program).unwrap();
        // t1 loads, t2 loads and stores 8, t1 stores 5 over it: t2's update is lost.
        let steps: Vec<super::StepInfo> =
            [0, 1, 1, 0].into_iter().map(|t| machine.step(t)).collect();
        assert_eq!(
            steps.iter().map(|s| s.lost_update).collect::<Vec<_>>(),
            [false, false, false, true]
        );
        assert_eq!(
            steps[3].label,
            "t1: store balance ← 5 — lost update: t2 stored balance after t1 loaded it, and this overwrites it"
        );
        // In turn, nothing is lost.
        let mut serial = Machine::new(&program).unwrap();
        assert!(
            [0, 0, 1, 1]
                .into_iter()
                .all(|t| !serial.step(t).lost_update)
        );
    }
}
