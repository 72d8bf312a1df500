//! Random schedules: at every step a runnable thread is picked uniformly by a seeded generator.
//!
//! Finds likely bugs in programs far too big to exhaust, proves nothing about the schedules it
//! did not try, and gives the same answers for the same seed.

use super::super::compile::Code;
use super::super::machine::{exec, runnable_mask};
use super::Collector;
use crate::model::rng::SplitMix64;

pub(crate) fn run(code: &Code, schedules: u64, seed: u64, collector: &mut Collector<'_>) {
    let max_steps = collector.limits.max_steps;
    let mut rng = SplitMix64::new(seed);
    let mut words = Vec::with_capacity(code.initial_words.len());
    let mut path = Vec::new();
    for _ in 0..schedules {
        words.clone_from(&code.initial_words);
        path.clear();
        loop {
            let enabled = runnable_mask(code, &words);
            if enabled == 0 {
                collector.terminal(&words, &path);
                break;
            }
            if path.len() >= max_steps {
                collector.step_limit();
                break;
            }
            let thread = nth_set_bit(enabled, rng.below(u64::from(enabled.count_ones())));
            path.push(thread as u8);
            let result = exec(code, &mut words, thread);
            if !collector.state() {
                return;
            }
            if let Err(halt) = result {
                collector.halted(&halt, &path);
                break;
            }
        }
        if collector.stopped() {
            return;
        }
    }
}

/// Index of the `n`-th set bit of `mask` (counting from 0 at the lowest).
fn nth_set_bit(mut mask: u8, n: u64) -> usize {
    for _ in 0..n {
        mask &= mask - 1;
    }
    mask.trailing_zeros() as usize
}
