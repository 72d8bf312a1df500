//! Dynamic partial-order reduction: one schedule per Mazurkiewicz trace.
//!
//! Two schedules are the same *trace* when one becomes the other by swapping adjacent steps
//! that commute (their footprints do not conflict); every schedule of a trace ends in the same
//! state. This is source-set DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas,
//! "Optimal dynamic partial order reduction", POPL 2014, Algorithm 1), written from the paper:
//!
//! - Run one schedule. For every step `e'` taken, find the earlier steps `e` of other threads
//!   that *race* with it: they conflict and nothing between them orders them (tracked with
//!   vector clocks of the happens-before relation).
//! - To reverse a race, the steps after `e` that do not depend on it, followed by `e'`, must be
//!   able to run from the state before `e`. Any thread whose first such step depends on none
//!   of the others (an *initial*) can start that reversed schedule; if none of them is already
//!   scheduled from that state, one is added to its backtrack set.
//! - Sleep sets stop two equivalent complete schedules from both being explored, so on
//!   programs without blocking every complete schedule explored is a distinct trace and every
//!   trace is explored: [`Report::schedules`](super::Report) equals the number of traces. A
//!   path that meets only sleeping threads is abandoned and counted in `sleep_blocked`.
//!
//! **Blocking steps.** Acquiring a lock races with the previous acquire of that lock, not with
//! the release that let it through: a release and an acquire of the same lock are never
//! enabled together, so "the acquire first" is not a schedule (Flanagan and Godefroid's
//! "may be co-enabled"). The same holds for a notified `wait` and its `notify`, and an event's
//! `wait` and `set`. A thread blocked on such a step never takes it, so at every state the
//! blocked threads' next steps are checked for races as if taken. When a race's initials are
//! all blocked where it must be reversed, every runnable thread there is scheduled (the classic
//! conservative choice). A step that halts the run (a failed assert, an error) stops every
//! thread, so every runnable thread is tried before it. The differential test against exhaustive search on generated programs
//! with locks, rlocks, semaphores, events and conditions checks that no outcome is lost.

use super::super::compile::{Code, DONE, Footprint, NOTIFIED, ObjectKind, Op, PC, STATUS};
use super::super::machine::{footprint, runnable_mask};
use super::{Child, Collector, step_child};

/// Programs have at most 8 threads (thread sets are `u8` bit sets).
const THREADS: usize = 8;

/// A vector clock: entry `t` counts thread `t`'s steps that happen before (or are) this one.
type Clock = [u32; THREADS];

/// What a step does to a blocking object, for the "never enabled together" rule above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sync {
    Plain,
    /// Takes a lock, rlock or semaphore (its first machine word).
    Acquire(usize),
    /// Gives one back.
    Release(usize),
    /// `cond.wait()` as first run: gives up the condition's lock.
    WaitRelease {
        lock: usize,
    },
    /// `cond.wait()` after a notify: takes the lock back.
    WaitReacquire {
        lock: usize,
        condition: u16,
    },
    Notify {
        condition: u16,
    },
    SetEvent(usize),
    WaitEvent(usize),
}

impl Sync {
    /// True when `earlier` only ever makes `later` possible and the two are never enabled in
    /// the same state, so "`later` first" is no schedule and the pair is not a race.
    fn enabled_by(later: Sync, earlier: Sync) -> bool {
        match later {
            Sync::Acquire(word) => {
                earlier == Sync::Release(word) || earlier == Sync::WaitRelease { lock: word }
            }
            Sync::WaitReacquire { lock, condition } => {
                earlier == Sync::Release(lock)
                    || earlier == Sync::WaitRelease { lock }
                    || earlier == Sync::Notify { condition }
            }
            Sync::WaitEvent(word) => earlier == Sync::SetEvent(word),
            _ => false,
        }
    }
}

fn sync_of(code: &Code, words: &[i64], thread: usize) -> Sync {
    let base = code.threads[thread].base;
    let word_of = |object: u16| code.objects[object as usize].word;
    let blocking = |object: u16| {
        matches!(
            code.objects[object as usize].kind,
            ObjectKind::Lock | ObjectKind::RLock | ObjectKind::Semaphore
        )
    };
    match code.instrs[words[base + PC] as usize].op {
        Op::Acquire { object } if blocking(object) => Sync::Acquire(word_of(object)),
        Op::Release { object } if blocking(object) => Sync::Release(word_of(object)),
        Op::Wait { condition, lock } if words[base + STATUS] == NOTIFIED => Sync::WaitReacquire {
            lock: word_of(lock),
            condition,
        },
        Op::Wait { lock, .. } => Sync::WaitRelease {
            lock: word_of(lock),
        },
        Op::Notify { condition, .. } => Sync::Notify { condition },
        Op::SetEvent { object } => Sync::SetEvent(word_of(object)),
        Op::WaitEvent { object } => Sync::WaitEvent(word_of(object)),
        _ => Sync::Plain,
    }
}

/// A step as the race analysis sees it.
#[derive(Clone, Copy)]
struct Event {
    thread: usize,
    footprint: Footprint,
    sync: Sync,
    clock: Clock,
}

impl Event {
    /// True when this event happens before `other` (or is it).
    fn precedes(&self, other: &Clock) -> bool {
        other[self.thread] >= self.clock[self.thread]
    }
}

struct Node {
    /// The state before the step taken from this node.
    words: Vec<i64>,
    enabled: u8,
    /// Threads that must be tried from here.
    backtrack: u8,
    /// Threads tried from here.
    done: u8,
    /// Threads whose next step is already covered by an explored sibling.
    sleep: u8,
    path_len: usize,
}

/// Counts of a DPOR search that the common [`Collector`] does not keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DporStats {
    /// Paths abandoned because every runnable thread was asleep.
    pub sleep_blocked: u64,
}

fn join(into: &mut Clock, other: &Clock) {
    for (mine, theirs) in into.iter_mut().zip(other) {
        *mine = (*mine).max(*theirs);
    }
}

/// The clock a step of `thread` with `footprint` would get after `events`.
fn clock_of(events: &[Event], thread: usize, footprint: Footprint) -> Clock {
    let mut clock = events
        .iter()
        .rev()
        .find(|e| e.thread == thread)
        .map_or([0; THREADS], |e| e.clock);
    clock[thread] += 1;
    for event in events {
        if event.thread != thread && event.footprint.conflicts(footprint) {
            join(&mut clock, &event.clock);
        }
    }
    clock
}

/// Finds the races of `next` (a step of its thread after `events`, taken or only pending) and
/// schedules their reversals in the nodes' backtrack sets.
fn schedule_reversals(events: &[Event], nodes: &mut [Node], next: &Event) {
    let thread = next.thread;
    let mut covered = events
        .iter()
        .rev()
        .find(|e| e.thread == thread)
        .map_or([0; THREADS], |e| e.clock);
    for index in (0..events.len()).rev() {
        let event = &events[index];
        if event.thread == thread
            || !event.footprint.conflicts(next.footprint)
            || Sync::enabled_by(next.sync, event.sync)
        {
            continue;
        }
        if !event.precedes(&covered) {
            reverse(events, nodes, index, next);
        }
        join(&mut covered, &event.clock);
    }
}

/// Makes sure some schedule from the node before `events[index]` runs `next`'s thread's part
/// of the race first.
fn reverse(events: &[Event], nodes: &mut [Node], index: usize, next: &Event) {
    let racing = &events[index];
    // The steps after `racing` that do not depend on it, then `next`.
    let later: Vec<&Event> = events[index + 1..]
        .iter()
        .filter(|e| !racing.precedes(&e.clock))
        .chain(std::iter::once(next))
        .collect();
    let mut initials = 0u8;
    let mut seen = 0u8;
    for (position, event) in later.iter().enumerate() {
        let bit = 1u8 << event.thread;
        if seen & bit != 0 {
            continue;
        }
        seen |= bit;
        if !later[..position].iter().any(|e| e.precedes(&event.clock)) {
            initials |= bit;
        }
    }
    let node = &mut nodes[index];
    if initials & node.backtrack != 0 {
        return;
    }
    let runnable = initials & node.enabled;
    let awake = runnable & !node.sleep;
    node.backtrack |= if awake != 0 {
        awake & awake.wrapping_neg()
    } else if runnable != 0 {
        runnable & runnable.wrapping_neg()
    } else {
        node.enabled
    };
}

/// Checks the next steps of the threads blocked in `words` (they may never be taken).
fn schedule_blocked(code: &Code, words: &[i64], enabled: u8, events: &[Event], nodes: &mut [Node]) {
    for thread in 0..code.threads.len() {
        let done = words[code.threads[thread].base + STATUS] == DONE;
        if done || enabled & (1 << thread) != 0 {
            continue;
        }
        let step = footprint(code, words, thread);
        let pending = Event {
            thread,
            footprint: step,
            sync: sync_of(code, words, thread),
            clock: clock_of(events, thread, step),
        };
        schedule_reversals(events, nodes, &pending);
    }
}

pub(crate) fn run(code: &Code, collector: &mut Collector<'_>) -> DporStats {
    let mut stats = DporStats::default();
    let max_steps = collector.limits.max_steps;
    let mut path: Vec<u8> = Vec::new();
    let root = code.initial_words.clone();
    if !collector.state() {
        return stats;
    }
    let enabled = runnable_mask(code, &root);
    if enabled == 0 {
        collector.terminal(&root, &path);
        return stats;
    }
    let mut nodes = vec![Node {
        words: root,
        enabled,
        backtrack: enabled & enabled.wrapping_neg(),
        done: 0,
        sleep: 0,
        path_len: 0,
    }];
    let mut events: Vec<Event> = Vec::new();
    let mut child = Vec::new();
    while let Some(node) = nodes.last_mut() {
        let todo = node.backtrack & node.enabled & !node.done & !node.sleep;
        if todo == 0 {
            nodes.pop();
            events.pop();
            continue;
        }
        let thread = todo.trailing_zeros() as usize;
        let step = footprint(code, &node.words, thread);
        let mut asleep = 0u8;
        let mut candidates = node.sleep | node.done;
        while candidates != 0 {
            let other = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            if !footprint(code, &node.words, other).conflicts(step) {
                asleep |= 1 << other;
            }
        }
        node.done |= 1 << thread;
        path.truncate(node.path_len);
        let event = Event {
            thread,
            footprint: step,
            sync: sync_of(code, &node.words, thread),
            clock: clock_of(&events, thread, step),
        };
        child.clone_from(&node.words);
        schedule_reversals(&events, &mut nodes, &event);
        events.push(event);
        let outcome = step_child(
            code, &mut child, thread, &mut path, true, max_steps, collector,
        );
        let enabled = match outcome {
            Child::Stop => return stats,
            Child::Ended => {
                if runnable_mask(code, &child) == 0 {
                    // A deadlock or the end: blocked threads' next steps may race with what
                    // blocked them.
                    schedule_blocked(code, &child, 0, &events, &mut nodes);
                } else if path.len() < max_steps {
                    // The step halted the run (a failed assert, an error): it stops every
                    // other thread, so it conflicts with all of them. Try each one here.
                    let node = nodes.last_mut().expect("the node just stepped from");
                    node.backtrack |= node.enabled;
                }
                events.pop();
                continue;
            }
            Child::Explore(enabled) => enabled,
        };
        schedule_blocked(code, &child, enabled, &events, &mut nodes);
        let awake = enabled & !asleep;
        if awake == 0 {
            stats.sleep_blocked += 1;
            events.pop();
            continue;
        }
        nodes.push(Node {
            words: std::mem::take(&mut child),
            enabled,
            backtrack: awake & awake.wrapping_neg(),
            done: 0,
            sleep: asleep,
            path_len: path.len(),
        });
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::super::super::differential::count_traces;
    use super::super::super::litmus::LITMUS;
    use super::super::super::presets::PRESETS;
    use super::super::super::testing::{outcomes, program, run};
    use super::super::Reduction;

    #[test]
    fn dpor_explores_one_schedule_per_trace_of_every_litmus_test() {
        for test in LITMUS {
            let dpor = run(test.source, Reduction::Dpor);
            assert_eq!(dpor.limit_reached, None, "{}", test.id);
            assert_eq!(
                count_traces(&program(test.source)).unwrap(),
                test.traces,
                "{}",
                test.id
            );
            assert_eq!(dpor.schedules, test.traces, "{}", test.id);
            assert_eq!(dpor.traces, Some(test.traces), "{}", test.id);
            assert_eq!(
                outcomes(&dpor),
                outcomes(&run(test.source, Reduction::None)),
                "{}",
                test.id
            );
        }
    }

    #[test]
    fn dpor_finds_every_outcome_of_every_preset_in_fewer_states() {
        for preset in PRESETS {
            let dpor = run(preset.source, Reduction::Dpor);
            let full = run(preset.source, Reduction::Full);
            if preset.id == "spin-lock" {
                // No visited set: spinning makes schedules of any length, and DPOR says so.
                assert!(dpor.limit_reached.unwrap().contains("max_steps"));
                continue;
            }
            assert_eq!(dpor.limit_reached, None, "{}", preset.id);
            assert_eq!(outcomes(&dpor), outcomes(&full), "{}", preset.id);
        }
        let balance = PRESETS.iter().find(|p| p.id == "balance-3").unwrap();
        let dpor = run(balance.source, Reduction::Dpor);
        let traces = count_traces(&program(balance.source)).unwrap();
        assert_eq!(dpor.schedules, traces);
        let plain = run(balance.source, Reduction::None);
        eprintln!(
            "balance-3: dpor {} schedules, {} states; plain {} schedules, {} states",
            dpor.schedules, dpor.states, plain.schedules, plain.states
        );
        assert!(dpor.states * 4 < plain.states);
    }
}
