//! Exhaustive depth-first search, with or without a visited set and sleep sets.
//!
//! Sleep sets (Godefroid): after exploring thread `u` from a state, a sibling branch that first
//! runs a thread `t` whose step commutes with `u`'s need not try `u` right away, because `t·u`
//! and `u·t` reach the same state; `u` stays "asleep" until some step conflicts with it. This
//! prunes transitions, never outcomes. Combined with the visited set, a state met again with a
//! sleep set that is not a superset of the stored one is re-opened for the threads that were
//! asleep before and are awake now, and the stored set shrinks to the intersection; that keeps
//! every reachable state, and so every final state, deadlock and failure, in the search.
//!
//! The explicit stack keeps deep schedules (up to `max_steps`) off the call stack, and frames
//! are reused so a step allocates only when it stores a new state.

use std::collections::HashMap;

use super::super::compile::Code;
use super::super::machine::{footprint, runnable_mask};
use super::{Child, Collector, Reduction, WordHash, step_child};

struct Frame {
    words: Vec<i64>,
    /// Threads still to try from this state.
    todo: u8,
    /// Threads that need not be tried from this state (see the module doc).
    sleep: u8,
    /// Threads already tried from this state.
    done: u8,
    /// Length of the schedule that reached this state.
    path_len: usize,
}

pub(crate) fn run(code: &Code, reduction: Reduction, collector: &mut Collector<'_>) {
    let caching = reduction != Reduction::None;
    let sleep_sets = reduction == Reduction::Full;
    let max_steps = collector.limits.max_steps;
    let mut visited: HashMap<Box<[i64]>, u8, WordHash> = HashMap::default();
    let mut path: Vec<u8> = Vec::new();
    let root = code.initial_words.clone();
    if !collector.state() {
        return;
    }
    let enabled = runnable_mask(code, &root);
    if enabled == 0 {
        collector.terminal(&root, &path);
        return;
    }
    if caching {
        visited.insert(root.clone().into_boxed_slice(), 0);
    }
    let mut child = Vec::with_capacity(root.len());
    let mut frames = vec![Frame {
        words: root,
        todo: enabled,
        sleep: 0,
        done: 0,
        path_len: 0,
    }];
    let mut live = 1;
    while live > 0 {
        let frame = &mut frames[live - 1];
        if frame.todo == 0 {
            live -= 1;
            continue;
        }
        let thread = frame.todo.trailing_zeros() as usize;
        let bit = 1u8 << thread;
        frame.todo &= !bit;
        path.truncate(frame.path_len);
        let child_sleep = if sleep_sets {
            let mover = footprint(code, &frame.words, thread);
            let mut candidates = frame.sleep | frame.done;
            let mut asleep = 0u8;
            while candidates != 0 {
                let other = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                if !footprint(code, &frame.words, other).conflicts(mover) {
                    asleep |= 1 << other;
                }
            }
            asleep
        } else {
            0
        };
        frame.done |= bit;
        child.clone_from(&frame.words);

        let enabled = match step_child(
            code, &mut child, thread, &mut path, sleep_sets, max_steps, collector,
        ) {
            Child::Explore(enabled) => enabled,
            Child::Ended => continue,
            Child::Stop => return,
        };
        let (todo, sleep) = if caching {
            match visited.get_mut(child.as_slice()) {
                None => {
                    visited.insert(child.clone().into_boxed_slice(), child_sleep);
                    (enabled & !child_sleep, child_sleep)
                }
                Some(stored) => {
                    let reopened = *stored & !child_sleep;
                    *stored &= child_sleep;
                    (enabled & reopened, *stored)
                }
            }
        } else {
            (enabled & !child_sleep, child_sleep)
        };
        if todo == 0 {
            continue;
        }
        if live == frames.len() {
            frames.push(Frame {
                words: Vec::with_capacity(child.len()),
                todo: 0,
                sleep: 0,
                done: 0,
                path_len: 0,
            });
        }
        let next = &mut frames[live];
        std::mem::swap(&mut next.words, &mut child);
        next.todo = todo;
        next.sleep = sleep;
        next.done = 0;
        next.path_len = path.len();
        live += 1;
    }
}
