//! Depth-first search limited to schedules with at most *k* preemptions.
//!
//! A preemption is a switch away from a thread that could have gone on. Most concurrency bugs
//! need only one or two, so small *k* finds them in programs too big to explore fully. States
//! are cached together with the thread that ran last; a state met again is skipped unless this
//! time fewer preemptions were spent to reach it.

use std::collections::HashMap;

use super::super::compile::Code;
use super::super::machine::runnable_mask;
use super::{Child, Collector, WordHash, step_child};

const NO_THREAD: u8 = u8::MAX;

struct Frame {
    words: Vec<i64>,
    enabled: u8,
    todo: u8,
    /// Thread that made the step into this state.
    last: u8,
    preemptions: u32,
    path_len: usize,
}

pub(crate) fn run(code: &Code, max_preemptions: u32, collector: &mut Collector<'_>) {
    let max_steps = collector.limits.max_steps;
    let mut visited: HashMap<Box<[i64]>, u32, WordHash> = HashMap::default();
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
    let mut frames = vec![Frame {
        words: root,
        enabled,
        todo: enabled,
        last: NO_THREAD,
        preemptions: 0,
        path_len: 0,
    }];
    let mut key = Vec::new();
    while let Some(frame) = frames.last_mut() {
        if frame.todo == 0 {
            frames.pop();
            continue;
        }
        let thread = frame.todo.trailing_zeros() as usize;
        frame.todo &= !(1 << thread);
        path.truncate(frame.path_len);
        let preempts = frame.last != NO_THREAD
            && usize::from(frame.last) != thread
            && frame.enabled & (1 << frame.last) != 0;
        let preemptions = frame.preemptions + u32::from(preempts);
        let mut child = frame.words.clone();

        let enabled = match step_child(
            code, &mut child, thread, &mut path, true, max_steps, collector,
        ) {
            Child::Explore(enabled) => enabled,
            Child::Ended => continue,
            Child::Stop => return,
        };
        key.clear();
        key.extend_from_slice(&child);
        key.push(thread as i64);
        match visited.get_mut(key.as_slice()) {
            Some(spent) if *spent <= preemptions => continue,
            Some(spent) => *spent = preemptions,
            None => {
                visited.insert(key.clone().into_boxed_slice(), preemptions);
            }
        }
        // Staying on the same thread is free; switching away from it costs one preemption.
        let todo = if enabled & (1 << thread) != 0 && preemptions >= max_preemptions {
            1 << thread
        } else {
            enabled
        };
        frames.push(Frame {
            words: child,
            enabled,
            todo,
            last: thread as u8,
            preemptions,
            path_len: path.len(),
        });
    }
}
