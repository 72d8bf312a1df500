//! Step mode's undo and redo: every machine state the visitor has seen, kept as clones.
//!
//! Two persistent stacks (the steps behind the cursor and the steps ahead of it) share their
//! tails, so stepping, undoing and redoing are O(1) and an old [`History`] stays valid next to
//! the new one. That suits a reducer, which must not copy a long list on every click.

use std::rc::Rc;

use super::ast::Program;
use super::machine::{Machine, StepEffect, StepInfo};
use super::parser::ParseError;

/// Most steps one history holds (the longest schedule a search may report).
pub const MAX_HISTORY: usize = 10_000;

/// One step taken: what it did and the state it left.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The step's label, line and effect.
    pub step: StepInfo,
    /// The machine after the step.
    pub machine: Machine,
}

struct Node {
    entry: Entry,
    below: Stack,
    len: usize,
}

/// A persistent stack of entries: pushing returns a new stack that shares the old one.
#[derive(Clone, Default)]
struct Stack(Option<Rc<Node>>);

impl Stack {
    fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |node| node.len)
    }

    fn top(&self) -> Option<&Entry> {
        self.0.as_ref().map(|node| &node.entry)
    }

    fn push(&self, entry: Entry) -> Stack {
        Stack(Some(Rc::new(Node {
            entry,
            below: self.clone(),
            len: self.len() + 1,
        })))
    }

    fn pop(&self) -> Option<(Entry, Stack)> {
        self.0
            .as_ref()
            .map(|node| (node.entry.clone(), node.below.clone()))
    }

    /// Entries from the top down.
    fn iter(&self) -> impl Iterator<Item = &Entry> {
        std::iter::successors(self.0.as_deref(), |node| node.below.0.as_deref())
            .map(|node| &node.entry)
    }

    fn same(&self, other: &Stack) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl Drop for Stack {
    // Dropping a long chain node by node would recurse once per step; unlink it in a loop.
    fn drop(&mut self) {
        let mut next = self.0.take();
        while let Some(node) = next {
            match Rc::try_unwrap(node) {
                Ok(mut node) => next = node.below.0.take(),
                Err(_) => break,
            }
        }
    }
}

/// The states of one program that step mode can move between: the initial state, the steps
/// taken (up to the cursor) and the steps undone or loaded but not yet shown (after it).
#[derive(Clone)]
pub struct History {
    initial: Rc<Machine>,
    past: Stack,
    future: Stack,
}

impl PartialEq for History {
    /// Two histories are equal when they share the same states: a pointer comparison, cheap
    /// enough for every render. An undo then a redo builds new nodes and so compares unequal,
    /// which costs one re-render, never a wrong one.
    fn eq(&self, other: &History) -> bool {
        Rc::ptr_eq(&self.initial, &other.initial)
            && self.past.same(&other.past)
            && self.future.same(&other.future)
    }
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History")
            .field("position", &self.position())
            .field("len", &self.len())
            .finish()
    }
}

impl History {
    /// A fresh history at the initial state of `program`.
    pub fn new(program: &Program) -> Result<History, ParseError> {
        Ok(History {
            initial: Rc::new(Machine::new(program)?),
            past: Stack::default(),
            future: Stack::default(),
        })
    }

    /// A history holding `schedule` (a witness) ahead of the cursor, which stays at the start;
    /// redo (or [`go_to`](History::go_to)) walks through it. Fails, naming the step, if a thread
    /// in the schedule cannot run at that point.
    pub fn load(program: &Program, schedule: &[usize]) -> Result<History, String> {
        let start = History::new(program).map_err(|e| e.to_string())?;
        if schedule.len() > MAX_HISTORY {
            return Err(format!(
                "the schedule has {} steps; step mode holds at most {MAX_HISTORY}",
                schedule.len()
            ));
        }
        let mut end = start.clone();
        for (index, &thread) in schedule.iter().enumerate() {
            end = end
                .step(thread)
                .map_err(|reason| format!("step {}: {reason}", index + 1))?;
        }
        Ok(end.go_to(0))
    }

    /// The state at the cursor.
    pub fn current(&self) -> &Machine {
        self.past
            .top()
            .map_or(&*self.initial, |entry| &entry.machine)
    }

    /// The step that led to the current state, if any.
    pub fn last_step(&self) -> Option<&StepInfo> {
        self.past.top().map(|entry| &entry.step)
    }

    /// The step ahead of the cursor (undone, or next in a loaded witness), if any.
    pub fn next_step(&self) -> Option<&StepInfo> {
        self.future.top().map(|entry| &entry.step)
    }

    /// Steps behind the cursor.
    pub fn position(&self) -> usize {
        self.past.len()
    }

    /// Steps behind and ahead of the cursor.
    pub fn len(&self) -> usize {
        self.past.len() + self.future.len()
    }

    /// True when no step was taken or loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Runs `thread`'s next atomic step. If it is the step ahead of the cursor, this is a redo
    /// (a loaded witness stays loaded); otherwise the steps ahead are dropped. Fails, saying
    /// why, when the thread cannot run or the history is full.
    pub fn step(&self, thread: usize) -> Result<History, String> {
        if let Some(next) = self.future.top()
            && next.step.thread == thread
        {
            return Ok(self.redo().unwrap_or_else(|| self.clone()));
        }
        if self.past.len() >= MAX_HISTORY {
            return Err(format!(
                "step mode holds at most {MAX_HISTORY} steps; undo or start again"
            ));
        }
        let mut machine = self.current().clone();
        let step = machine.step(thread);
        if let StepEffect::NotRunnable { reason } = &step.effect {
            return Err(reason.clone());
        }
        Ok(History {
            initial: self.initial.clone(),
            past: self.past.push(Entry { step, machine }),
            future: Stack::default(),
        })
    }

    /// One step back, or `None` at the start.
    pub fn undo(&self) -> Option<History> {
        let (entry, past) = self.past.pop()?;
        Some(History {
            initial: self.initial.clone(),
            past,
            future: self.future.push(entry),
        })
    }

    /// One step forward again, or `None` when nothing is ahead.
    pub fn redo(&self) -> Option<History> {
        let (entry, future) = self.future.pop()?;
        Some(History {
            initial: self.initial.clone(),
            past: self.past.push(entry),
            future,
        })
    }

    /// Moves the cursor to after step `position` (0 = the initial state), clamped to the steps
    /// held.
    pub fn go_to(&self, position: usize) -> History {
        let target = position.min(self.len());
        let mut history = self.clone();
        while history.position() > target {
            history = history.undo().unwrap_or(history);
        }
        while history.position() < target {
            history = history.redo().unwrap_or(history);
        }
        history
    }

    /// Every step held, in order: behind the cursor, then ahead of it.
    pub fn steps(&self) -> Vec<&StepInfo> {
        let mut steps: Vec<&StepInfo> = self.past.iter().map(|entry| &entry.step).collect();
        steps.reverse();
        steps.extend(self.future.iter().map(|entry| &entry.step));
        steps
    }

    /// The thread of every step held, in order (a schedule [`load`](History::load) accepts).
    pub fn schedule(&self) -> Vec<usize> {
        self.steps().iter().map(|step| step.thread).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::presets::preset;
    use super::super::testing::program;
    use super::{History, MAX_HISTORY};
    use crate::model::labs::explorer::Outcome;

    /// The notes' interleaving: t1 loads 0, t2 deposits 8, t1 stores 5 over it, t1 withdraws
    /// to 0, t2 withdraws to −8.
    const NOTES: [usize; 8] = [0, 1, 1, 0, 0, 0, 1, 1];

    fn balance() -> History {
        History::new(&program(preset("balance").unwrap().source)).unwrap()
    }

    fn value(history: &History) -> i64 {
        history.current().shared()["balance"]
    }

    #[test]
    fn stepping_undo_and_redo_move_between_kept_states() {
        let start = balance();
        let mut history = start.clone();
        for thread in NOTES {
            history = history.step(thread).unwrap();
        }
        assert_eq!(value(&history), -8);
        assert_eq!(history.last_step().unwrap().label, "t2: store balance ← -8");
        assert!(matches!(
            history.current().outcome(),
            Some(Outcome::Finished { .. })
        ));
        let back = history.undo().unwrap().undo().unwrap();
        assert_eq!((back.position(), back.len()), (6, 8));
        assert_eq!(value(&back), 0);
        let again = back.redo().unwrap().redo().unwrap();
        assert_eq!((again.position(), value(&again)), (8, -8));
        assert_eq!(history.clone(), history, "clones share their states");
        assert_eq!(back.schedule(), NOTES);
        // The old histories are untouched.
        assert_eq!(value(&start), 0);
        assert_eq!(start.position(), 0);
        assert!(start.undo().is_none() && history.redo().is_none());
    }

    #[test]
    fn a_different_step_drops_what_was_ahead_and_the_same_one_keeps_it() {
        let history = balance().step(0).unwrap().step(0).unwrap();
        let back = history.go_to(0);
        assert_eq!(back.len(), 2);
        let same = back.step(0).unwrap();
        assert_eq!((same.position(), same.len()), (1, 2), "a redo");
        let other = back.step(1).unwrap();
        assert_eq!((other.position(), other.len()), (1, 1), "a new branch");
        assert_eq!(
            other.last_step().unwrap().label,
            "t2: load balance → tmp (0)"
        );
    }

    #[test]
    fn a_thread_that_cannot_run_says_why_and_changes_nothing() {
        let deadlock = program(preset("deadlock-ab-ba").unwrap().source);
        let history = History::load(&deadlock, &[0, 1]).unwrap().go_to(2);
        assert!(matches!(
            history.current().outcome(),
            Some(Outcome::Deadlock { .. })
        ));
        assert_eq!(
            history.step(0).unwrap_err(),
            "t1 waits for lock b (held by t2)"
        );
        let done = balance().go_to(0);
        assert!(done.step(7).is_err(), "no such thread");
    }

    #[test]
    fn a_loaded_witness_waits_ahead_of_the_cursor() {
        let source = preset("balance").unwrap().source;
        let loaded = History::load(&program(source), &NOTES).unwrap();
        assert_eq!((loaded.position(), loaded.len()), (0, 8));
        assert_eq!(loaded.next_step().unwrap().thread, 0);
        assert!(loaded.last_step().is_none());
        assert_eq!(value(&loaded.go_to(usize::MAX)), -8);
        assert_eq!(
            loaded.steps()[3].label,
            "t1: store balance ← 5 — lost update: t2 stored balance after t1 loaded it, and this overwrites it"
        );
        let error = History::load(&program(source), &[0, 0, 0, 0, 0]).unwrap_err();
        assert_eq!(error, "step 5: t1 has finished");
    }

    #[test]
    fn long_histories_are_bounded_and_drop_without_deep_recursion() {
        let endless = program("shared x = 0\nthread t { while true { x = x + 1 } }");
        let mut history = History::new(&endless).unwrap();
        for _ in 0..MAX_HISTORY {
            history = history.step(0).unwrap();
        }
        assert!(history.step(0).unwrap_err().contains("at most 10000 steps"));
        assert_eq!(history.go_to(5).position(), 5);
        drop(history);
    }
}
