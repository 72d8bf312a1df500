//! x86-TSO: the memory model of x86 processors (Sewell, Sarkar, Owens, Zappa Nardelli and
//! Myreen, "x86-TSO", CACM 2010), as an exhaustive search with a visited set.
//!
//! Each thread gets a FIFO store buffer. A store goes into its thread's buffer; a load reads
//! the thread's own newest buffered store to that variable if there is one, otherwise memory.
//! At any moment the oldest entry of any buffer may drain to memory: that is a step of its
//! own, written `8 + t` in a witness ("thread `t`'s oldest buffered store reaches memory").
//! Locked instructions drain the buffer first: atomics (`cas`, `fetch_add`, `swap`, which are
//! `lock cmpxchg`, `lock xadd`, `xchg` on x86), `fence` (`mfence`), and every lock, semaphore,
//! event and condition operation (they are built from locked instructions). A run ends when no
//! thread can step and every buffer is empty.
//!
//! Buffers hold at most [`BUFFER_CAPACITY`] stores; a thread with a full buffer waits for a
//! drain. Real buffers are larger; the litmus tests never store more than twice per thread.
//!
//! The state is the machine's words followed by each thread's buffer (length, then variable
//! and value pairs), so the visited set hashes it like any other state.

use std::collections::{BTreeMap, HashSet};

use super::super::compile::{Code, Op, PC};
use super::super::machine::{Halt, exec, exec_labelled, is_runnable, next_is_local};
use super::{Collector, WordHash};

/// Most stores a thread's buffer holds.
pub const BUFFER_CAPACITY: usize = 4;
/// A witness entry at or above this is a drain: `FLUSH + t` drains thread `t`'s oldest store.
pub const FLUSH: usize = 8;

const ENTRY: usize = 1 + 2 * BUFFER_CAPACITY;

fn buffer_at(code: &Code, thread: usize) -> usize {
    code.initial_words.len() + thread * ENTRY
}

fn buffered(code: &Code, state: &[i64], thread: usize) -> usize {
    state[buffer_at(code, thread)] as usize
}

/// The state before any step: the machine's words and empty buffers.
pub(crate) fn initial_state(code: &Code) -> Vec<i64> {
    let mut state = code.initial_words.clone();
    state.resize(code.initial_words.len() + code.threads.len() * ENTRY, 0);
    state
}

/// True when the step drains the store buffer first (a locked instruction or a fence).
fn drains_first(op: &Op) -> bool {
    matches!(
        op,
        Op::Acquire { .. }
            | Op::Release { .. }
            | Op::Wait { .. }
            | Op::Notify { .. }
            | Op::SetEvent { .. }
            | Op::ClearEvent { .. }
            | Op::WaitEvent { .. }
            | Op::Atomic { .. }
            | Op::Fence
    )
}

fn can_step(code: &Code, state: &[i64], thread: usize) -> bool {
    if !is_runnable(code, state, thread) {
        return false;
    }
    let op = &code.instrs[state[code.threads[thread].base + PC] as usize].op;
    let count = buffered(code, state, thread);
    if drains_first(op) {
        count == 0
    } else if matches!(op, Op::Store { .. }) {
        count < BUFFER_CAPACITY
    } else {
        true
    }
}

/// Actions possible in `state`: bit `t` for a step of thread `t`, bit `8 + t` for a drain.
fn actions(code: &Code, state: &[i64]) -> u16 {
    let mut mask = 0u16;
    for thread in 0..code.threads.len() {
        if can_step(code, state, thread) {
            mask |= 1 << thread;
        }
        if buffered(code, state, thread) > 0 {
            mask |= 1 << (FLUSH + thread);
        }
    }
    mask
}

/// What a TSO step did, for labels.
struct Effect {
    result: Result<(), Halt>,
    label: String,
}

/// Runs thread `thread`'s next step under TSO (loads see the thread's own buffer, stores go
/// into it), then its purely local steps after it when `fuse`.
fn step(code: &Code, state: &mut [i64], thread: usize, labels: bool) -> Effect {
    let shared = code.shared.len();
    let instr = &code.instrs[state[code.threads[thread].base + PC] as usize];
    let mut overlays: Vec<(usize, i64)> = Vec::new();
    let mut writes: Vec<usize> = Vec::new();
    let mut note = String::new();
    if !drains_first(&instr.op) {
        for (var, write) in instr.footprint.variables(shared) {
            let var = usize::from(var);
            if write {
                writes.push(var);
                continue;
            }
            if let Some(value) = newest_buffered(code, state, thread, var) {
                overlays.push((var, state[var]));
                state[var] = value;
                note = " (from its own store buffer)".to_string();
            }
        }
    }
    let memory: Vec<(usize, i64)> = writes.iter().map(|&var| (var, state[var])).collect();
    let (result, mut label) = if labels {
        exec_labelled(code, state, thread)
    } else {
        (exec(code, state, thread), String::new())
    };
    for (var, old) in memory {
        let value = state[var];
        state[var] = old;
        push(code, state, thread, var, value);
        note = format!(" (into {}'s store buffer)", code.threads[thread].name);
    }
    for (var, value) in overlays {
        state[var] = value;
    }
    if labels {
        label.push_str(&note);
    }
    Effect {
        result: result.map(|_| ()),
        label,
    }
}

fn newest_buffered(code: &Code, state: &[i64], thread: usize, var: usize) -> Option<i64> {
    let at = buffer_at(code, thread);
    (0..buffered(code, state, thread))
        .rev()
        .find(|&i| state[at + 1 + 2 * i] as usize == var)
        .map(|i| state[at + 2 + 2 * i])
}

fn push(code: &Code, state: &mut [i64], thread: usize, var: usize, value: i64) {
    let at = buffer_at(code, thread);
    let count = state[at] as usize;
    state[at + 1 + 2 * count] = var as i64;
    state[at + 2 + 2 * count] = value;
    state[at] += 1;
}

/// Drains thread `thread`'s oldest buffered store to memory; returns the variable and value.
fn drain(code: &Code, state: &mut [i64], thread: usize) -> (usize, i64) {
    let at = buffer_at(code, thread);
    let count = state[at] as usize;
    let (var, value) = (state[at + 1] as usize, state[at + 2]);
    state[var] = value;
    state.copy_within(at + 3..at + 1 + 2 * count, at + 1);
    state[at + 2 * count - 1] = 0;
    state[at + 2 * count] = 0;
    state[at] -= 1;
    (var, value)
}

/// Runs one action (a step with the local steps after it, or a drain), appending it to `path`.
fn act(code: &Code, state: &mut [i64], action: usize, path: &mut Vec<u8>) -> Result<(), Halt> {
    path.push(action as u8);
    if action >= FLUSH {
        drain(code, state, action - FLUSH);
        return Ok(());
    }
    step(code, state, action, false).result?;
    while next_is_local(code, state, action)
        && !drains_first(&code.instrs[pc(code, state, action)].op)
    {
        path.push(action as u8);
        exec(code, state, action)?;
    }
    Ok(())
}

fn pc(code: &Code, state: &[i64], thread: usize) -> usize {
    state[code.threads[thread].base + PC] as usize
}

pub(crate) fn run(code: &Code, collector: &mut Collector<'_>) {
    let max_steps = collector.limits.max_steps;
    let root = initial_state(code);
    let mut visited: HashSet<Box<[i64]>, WordHash> = HashSet::default();
    if !collector.state() {
        return;
    }
    visited.insert(root.clone().into_boxed_slice());
    // Each frame: a state, the actions still to try from it, and the path length there.
    let mut frames: Vec<(Vec<i64>, u16, usize)> = Vec::new();
    let mut path: Vec<u8> = Vec::new();
    let first = actions(code, &root);
    if first == 0 {
        collector.terminal(&root, &path);
        return;
    }
    frames.push((root, first, 0));
    while let Some((state, todo, path_len)) = frames.last_mut() {
        if *todo == 0 {
            frames.pop();
            continue;
        }
        let action = todo.trailing_zeros() as usize;
        *todo &= *todo - 1;
        path.truncate(*path_len);
        let mut child = state.clone();
        if !collector.state() {
            return;
        }
        if let Err(halt) = act(code, &mut child, action, &mut path) {
            collector.halted(&halt, &path);
            if collector.stopped() {
                return;
            }
            continue;
        }
        let next = actions(code, &child);
        if next == 0 {
            collector.terminal(&child, &path);
        } else if path.len() >= max_steps {
            collector.step_limit();
        } else if visited.insert(child.clone().into_boxed_slice()) {
            let len = path.len();
            frames.push((child, next, len));
            continue;
        } else {
            continue;
        }
        if collector.stopped() {
            return;
        }
    }
}

/// One step of a TSO witness, as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TsoStep {
    /// What happened, e.g. `t0: store x ← 1 (into t0's store buffer)`.
    pub label: String,
    /// Every thread's store buffer after the step, oldest first, as `x = 1`.
    pub buffers: Vec<Vec<String>>,
    /// Shared memory after the step.
    pub memory: BTreeMap<String, i64>,
}

/// Re-runs a TSO witness and describes every action. Fails, naming the step, when an action
/// in it cannot run.
pub(crate) fn replay(code: &Code, witness: &[usize]) -> Result<Vec<TsoStep>, String> {
    let mut state = initial_state(code);
    let mut steps = Vec::new();
    let threads = code.threads.len();
    for (index, &action) in witness.iter().enumerate() {
        let possible = actions(code, &state);
        let valid = (action < threads || (FLUSH..FLUSH + threads).contains(&action))
            && possible & (1 << action) != 0;
        if !valid {
            return Err(format!("step {}: action {action} cannot run", index + 1));
        }
        let label = if action >= FLUSH {
            let thread = action - FLUSH;
            let (var, value) = drain(code, &mut state, thread);
            format!(
                "{}'s store buffer: {} = {value} reaches memory",
                code.threads[thread].name, code.shared[var].name
            )
        } else {
            let effect = step(code, &mut state, action, true);
            match effect.result {
                Ok(()) => effect.label,
                Err(halt) => format!("{} (the run stops)", halt.message),
            }
        };
        steps.push(TsoStep {
            label,
            buffers: (0..threads)
                .map(|thread| {
                    let at = buffer_at(code, thread);
                    (0..buffered(code, &state, thread))
                        .map(|i| {
                            let var = state[at + 1 + 2 * i] as usize;
                            format!("{} = {}", code.shared[var].name, state[at + 2 + 2 * i])
                        })
                        .collect()
                })
                .collect(),
            memory: code
                .shared
                .iter()
                .enumerate()
                .map(|(i, var)| (var.name.clone(), state[i]))
                .collect(),
        });
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::super::super::compile::compile;
    use super::super::super::litmus::{LITMUS, litmus, register_values};
    use super::super::super::presets::PRESETS;
    use super::super::super::testing::{outcomes, program, run};
    use super::super::{Options, Reduction, Report, Strategy, explore};
    use super::replay;

    fn tso(source: &str) -> Report {
        let report = explore(&program(source), &Options::with(Strategy::Tso), &mut |_| {
            false
        })
        .expect("compiles");
        assert_eq!(report.limit_reached, None);
        // Every witness replays under TSO to the memory it is reported with.
        let code = compile(&program(source)).unwrap();
        for state in &report.final_states {
            let steps = replay(&code, &state.witness).unwrap();
            let last = steps.last().unwrap();
            assert_eq!(last.memory, state.shared);
            assert!(last.buffers.iter().all(Vec::is_empty));
        }
        report
    }

    #[test]
    fn tso_allows_store_buffering_and_nothing_else_of_the_classic_tests() {
        for test in LITMUS {
            let sc = register_values(test, &run(test.source, Reduction::Full));
            let weak = register_values(test, &tso(test.source));
            assert!(
                !sc.contains(test.weak),
                "{}: SC forbids the weak outcome",
                test.id
            );
            assert!(sc.is_subset(&weak), "{}: TSO allows all SC does", test.id);
            let extra: Vec<_> = weak.difference(&sc).collect();
            // x86-TSO relaxes only a store followed by a load of another variable: the tests
            // with a thread that stores, then loads (RWC's third thread does).
            if ["SB", "SB3", "RWC"].contains(&test.id) {
                assert_eq!(extra, [test.weak], "{}", test.id);
            } else {
                assert!(extra.is_empty(), "{}: {extra:?}", test.id);
            }
        }
    }

    #[test]
    fn a_fence_or_an_atomic_store_restores_sequential_consistency() {
        let sb = litmus("SB").unwrap();
        let fenced = sb
            .source
            .replace("x = 1\n", "x = 1\n    fence\n")
            .replace("y = 1\n", "y = 1\n    fence\n");
        assert!(!register_values(sb, &tso(&fenced)).contains(sb.weak));
        let swapped = sb
            .source
            .replace("x = 1", "swap(x, 1)")
            .replace("y = 1", "swap(y, 1)");
        assert!(!register_values(sb, &tso(&swapped)).contains(sb.weak));
        // One fence is not enough: the other thread's store can still wait.
        let half = sb.source.replace("x = 1\n", "x = 1\n    fence\n");
        assert!(register_values(sb, &tso(&half)).contains(sb.weak));
    }

    #[test]
    fn the_store_buffering_witness_shows_both_stores_waiting() {
        let sb = litmus("SB").unwrap();
        let report = tso(sb.source);
        let weak = report
            .final_states
            .iter()
            .find(|f| f.shared["r0"] == 0 && f.shared["r1"] == 0)
            .unwrap();
        let code = compile(&program(sb.source)).unwrap();
        let steps = replay(&code, &weak.witness).unwrap();
        let both_waiting = steps.iter().any(|s| {
            s.buffers[0].contains(&"x = 1".into()) && s.buffers[1].contains(&"y = 1".into())
        });
        assert!(both_waiting, "{steps:#?}");
        assert!(
            steps[0].label.contains("store buffer"),
            "{}",
            steps[0].label
        );
        assert!(steps.iter().any(|s| s.label.contains("reaches memory")));
    }

    #[test]
    fn tso_keeps_every_outcome_of_the_presets_that_only_use_locks_and_atomics() {
        for preset in PRESETS.iter().filter(|p| p.id != "store-buffering") {
            let sc = run(preset.source, Reduction::Full);
            let weak = tso(preset.source);
            // Locks and atomics drain the buffers, so these programs behave as under SC.
            assert_eq!(outcomes(&sc), outcomes(&weak), "{}", preset.id);
        }
    }
}
