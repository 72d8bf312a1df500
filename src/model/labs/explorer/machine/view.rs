//! A read-only snapshot of a [`Machine`] for the UI: threads, variables and object states.

use serde::Serialize;

use super::super::ast::Span;
use super::super::compile::{
    DONE, HEADER, NO_OWNER, NOTIFIED, ObjectKind, PC, STATUS, WAITING, temp_name,
};
use super::{Machine, Outcome, blocked_reason, is_runnable, waiters};

/// Everything step mode shows about one state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MachineView {
    /// One entry per thread, by index.
    pub threads: Vec<ThreadView>,
    /// Shared variables in declaration order.
    pub shared: Vec<VariableView>,
    /// Locks and rlocks in declaration order.
    pub locks: Vec<LockView>,
    /// Semaphores in declaration order.
    pub semaphores: Vec<SemaphoreView>,
    /// Events in declaration order.
    pub events: Vec<EventView>,
    /// Conditions in declaration order.
    pub conditions: Vec<ConditionView>,
    /// How the run ended, once it has.
    pub outcome: Option<Outcome>,
    /// Steps taken so far.
    pub steps: usize,
}

/// One thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThreadView {
    /// Name from the source.
    pub name: String,
    /// Whether it can run, and if not why.
    pub status: ThreadStatus,
    /// Line of the statement it runs next (`None` once done).
    pub line: Option<u32>,
    /// That statement's span.
    pub span: Option<Span>,
    /// Local variables, then temporaries loaded by the current statement (`tmp`, `tmp1`, ...).
    pub locals: Vec<VariableView>,
}

/// A thread's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ThreadStatus {
    /// Can take a step now.
    Running,
    /// Waits for a lock, semaphore or event.
    Blocked {
        /// E.g. `lock m (held by t2)`.
        on: String,
    },
    /// Sleeps in `condition.wait()` until notified.
    Waiting {
        /// E.g. `condition not_empty`.
        on: String,
    },
    /// Ran its last statement.
    Done,
    /// Its step stopped the run (failed assert or error).
    Failed {
        /// Same text as in reports.
        message: String,
    },
}

/// A named integer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VariableView {
    /// Variable name.
    pub name: String,
    /// Current value.
    pub value: i64,
}

/// A lock or rlock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockView {
    /// Lock name.
    pub name: String,
    /// True for an rlock.
    pub reentrant: bool,
    /// Index of the holding thread.
    pub owner: Option<usize>,
    /// Times the owner has acquired it (0 or 1 for a plain lock).
    pub count: i64,
}

/// A semaphore.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SemaphoreView {
    /// Semaphore name.
    pub name: String,
    /// Permits available now.
    pub permits: i64,
}

/// An event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventView {
    /// Event name.
    pub name: String,
    /// True once set (until cleared).
    pub set: bool,
}

/// A condition variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConditionView {
    /// Condition name.
    pub name: String,
    /// Its lock's name.
    pub lock: String,
    /// Threads sleeping in `wait()`, in the order `notify()` wakes them.
    pub waiting: Vec<usize>,
    /// Threads notified but not yet holding the lock again.
    pub notified: Vec<usize>,
}

pub(super) fn build(machine: &Machine) -> MachineView {
    let code = &*machine.code;
    let words = &machine.words;
    let mut view = MachineView {
        threads: Vec::new(),
        shared: code
            .shared
            .iter()
            .enumerate()
            .map(|(i, var)| VariableView {
                name: var.name.clone(),
                value: words[i],
            })
            .collect(),
        locks: Vec::new(),
        semaphores: Vec::new(),
        events: Vec::new(),
        conditions: Vec::new(),
        outcome: machine.outcome(),
        steps: machine.steps,
    };
    for (index, area) in code.threads.iter().enumerate() {
        let status_word = words[area.base + STATUS];
        let instr = &code.instrs[words[area.base + PC] as usize];
        let status = match &machine.halted {
            Some((thread, halt)) if *thread == index => ThreadStatus::Failed {
                message: halt.message.clone(),
            },
            _ if status_word == DONE => ThreadStatus::Done,
            _ if status_word == WAITING => ThreadStatus::Waiting {
                on: blocked_reason(code, words, index).map_or_else(String::new, |r| strip_verb(&r)),
            },
            _ if is_runnable(code, words, index) => ThreadStatus::Running,
            _ => ThreadStatus::Blocked {
                on: blocked_reason(code, words, index).map_or_else(String::new, |r| strip_verb(&r)),
            },
        };
        let locals_start = area.base + HEADER;
        let mut locals: Vec<VariableView> = area
            .locals
            .iter()
            .enumerate()
            .map(|(slot, name)| VariableView {
                name: name.clone(),
                value: words[locals_start + slot],
            })
            .collect();
        if status_word != DONE {
            for i in 0..instr.live_temps as usize {
                locals.push(VariableView {
                    name: temp_name(i, instr.temp_count as usize),
                    value: words[locals_start + area.temp_base as usize + i],
                });
            }
        }
        let running = status_word != DONE;
        view.threads.push(ThreadView {
            name: area.name.clone(),
            status,
            line: running.then_some(instr.span.line),
            span: running.then_some(instr.span),
            locals,
        });
    }
    for (index, object) in code.objects.iter().enumerate() {
        let name = object.name.clone();
        match object.kind {
            ObjectKind::Lock | ObjectKind::RLock => view.locks.push(LockView {
                name,
                reentrant: object.kind == ObjectKind::RLock,
                owner: (words[object.word] != NO_OWNER)
                    .then(|| usize::try_from(words[object.word]).ok())
                    .flatten(),
                count: words[object.word + 1],
            }),
            ObjectKind::Semaphore => view.semaphores.push(SemaphoreView {
                name,
                permits: words[object.word],
            }),
            ObjectKind::Event => view.events.push(EventView {
                name,
                set: words[object.word] != 0,
            }),
            ObjectKind::Condition { lock } => {
                let notified = (0..code.threads.len())
                    .filter(|&t| {
                        let base = code.threads[t].base;
                        words[base + STATUS] == NOTIFIED
                            && matches!(
                                code.instrs[words[base + PC] as usize].op,
                                super::Op::Wait { condition, .. } if condition as usize == index
                            )
                    })
                    .collect();
                view.conditions.push(ConditionView {
                    name,
                    lock: code.objects[lock as usize].name.clone(),
                    waiting: waiters(code, words, index as u16),
                    notified,
                });
            }
        }
    }
    view
}

/// Turns `waits for lock m (held by t2)` into `lock m (held by t2)` for the status badge.
fn strip_verb(reason: &str) -> String {
    for prefix in ["waits for ", "waits on ", "was notified and waits to "] {
        if let Some(rest) = reason.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    reason.to_string()
}
