//! What moved in the last step, so the page can draw one arrow between two boxes and
//! light up the entries that are new: the step-through view's "what just happened".
//!
//! Computed from the event and the snapshots before and after it, never from the
//! simulator's insides, so it stays true to what the page shows.

use super::view::{Event, EventKind, Snapshot};
use serde::Serialize;

/// A box of the machine as the page draws it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    CallStack,
    Microtasks,
    Macrotasks,
    Timers,
    Tasks,
    Output,
    Clock,
}

impl Area {
    /// Name used in CSS classes and test ids.
    pub fn name(self) -> &'static str {
        match self {
            Area::CallStack => "call-stack",
            Area::Microtasks => "microtasks",
            Area::Macrotasks => "macrotasks",
            Area::Timers => "timers",
            Area::Tasks => "tasks",
            Area::Output => "output",
            Area::Clock => "clock",
        }
    }

    /// Heading of the box, in the page's language.
    pub fn title(self) -> String {
        match self {
            Area::CallStack => t!("event_loop.area.call_stack"),
            Area::Microtasks => t!("event_loop.area.microtasks"),
            Area::Macrotasks => t!("event_loop.area.macrotasks"),
            Area::Timers => t!("event_loop.area.timers"),
            Area::Tasks => t!("event_loop.area.tasks"),
            Area::Output => t!("event_loop.area.output"),
            Area::Clock => t!("event_loop.area.clock"),
        }
        .to_string()
    }
}

/// The last step's movement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Moves {
    /// Where the arrow starts and ends (`None` for a move inside one box or no move).
    pub from: Option<Area>,
    pub to: Option<Area>,
    /// Indices of entries that are new in each box since the previous snapshot.
    pub new_stack: Vec<usize>,
    pub new_microtasks: Vec<usize>,
    pub new_macrotasks: Vec<usize>,
    pub new_timers: Vec<usize>,
    /// Tasks whose state or place changed.
    pub changed_tasks: Vec<usize>,
    /// Boxes whose contents changed at all.
    pub changed: Vec<Area>,
}

/// Indices in `next` of entries that `prev` had fewer of (a multiset difference that
/// treats repeated labels fairly: the second "reaction promise1" is new if only one was there).
fn new_entries<T: PartialEq>(prev: &[T], next: &[T]) -> Vec<usize> {
    next.iter()
        .enumerate()
        .filter(|(j, item)| {
            let seen_so_far = next[..=*j].iter().filter(|x| x == item).count();
            seen_so_far > prev.iter().filter(|x| x == item).count()
        })
        .map(|(j, _)| j)
        .collect()
}

/// What moved from `prev` to `next` in `event`.
pub fn moves(prev: &Snapshot, next: &Snapshot, event: &Event) -> Moves {
    let stack_names = |s: &Snapshot| -> Vec<(String, String)> {
        s.call_stack
            .iter()
            .map(|f| (f.name.clone(), f.fiber.clone()))
            .collect()
    };
    let (old_stack, new_stack) = (stack_names(prev), stack_names(next));
    // Frames above the common bottom part are new (a whole other fiber may have come in).
    let common = old_stack
        .iter()
        .zip(&new_stack)
        .take_while(|(a, b)| a == b)
        .count();
    let timers = |s: &Snapshot| -> Vec<(u64, String)> {
        s.timers
            .iter()
            .map(|t| (t.due_ms, t.name.clone()))
            .collect()
    };
    let mut m = Moves {
        new_stack: (common..new_stack.len()).collect(),
        new_microtasks: new_entries(&prev.microtasks, &next.microtasks),
        new_macrotasks: new_entries(&prev.macrotasks, &next.macrotasks),
        new_timers: new_entries(&timers(prev), &timers(next)),
        changed_tasks: next
            .tasks
            .iter()
            .enumerate()
            .filter(|(i, t)| prev.tasks.get(*i) != Some(t))
            .map(|(i, _)| i)
            .collect(),
        ..Moves::default()
    };
    let pairs = [
        (Area::CallStack, old_stack != new_stack),
        (Area::Microtasks, prev.microtasks != next.microtasks),
        (Area::Macrotasks, prev.macrotasks != next.macrotasks),
        (Area::Timers, prev.timers != next.timers),
        (Area::Tasks, prev.tasks != next.tasks),
        (Area::Output, prev.output != next.output),
        (Area::Clock, prev.time_ms != next.time_ms),
    ];
    m.changed = pairs.iter().filter(|p| p.1).map(|p| p.0).collect();
    // A queue that gained an entry while a fiber ran: the code put it there.
    let gained = if !m.new_microtasks.is_empty() {
        Some(Area::Microtasks)
    } else if !m.new_macrotasks.is_empty() {
        Some(Area::Macrotasks)
    } else if !m.new_timers.is_empty() {
        Some(Area::Timers)
    } else {
        None
    };
    let (from, to) = match event.kind {
        EventKind::TakeMicrotask => (Some(Area::Microtasks), Some(Area::CallStack)),
        EventKind::TakeMacrotask => (Some(Area::Macrotasks), Some(Area::CallStack)),
        EventKind::TimerFires => (Some(Area::Timers), Some(Area::Macrotasks)),
        EventKind::AdvanceClock => (Some(Area::Timers), Some(Area::Clock)),
        EventKind::Print => (Some(Area::CallStack), Some(Area::Output)),
        EventKind::Block => (Some(Area::CallStack), Some(Area::Clock)),
        EventKind::Resume => (Some(Area::Tasks), Some(Area::CallStack)),
        EventKind::Suspend | EventKind::TaskDone => {
            (Some(Area::CallStack), gained.or(Some(Area::Tasks)))
        }
        EventKind::PushFrame | EventKind::PopFrame | EventKind::RunOp | EventKind::Transfer
            if gained.is_some() =>
        {
            (Some(Area::CallStack), gained)
        }
        // A frame comes onto or leaves the stack: an arrow with one end.
        EventKind::PushFrame => (None, Some(Area::CallStack)),
        EventKind::PopFrame => (Some(Area::CallStack), None),
        EventKind::RunOp | EventKind::Transfer => (None, None),
        EventKind::Finish | EventKind::Error => (None, None),
    };
    m.from = from;
    m.to = to;
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labs::event_loop::Sim;

    /// Steps a preset, returning each event with its moves.
    fn trace(id: &str) -> Vec<(Event, Moves)> {
        let mut sim = Sim::preset(id).unwrap();
        let mut prev = sim.snapshot();
        let mut out = Vec::new();
        while let Some(event) = sim.step() {
            let next = sim.snapshot();
            out.push((event.clone(), moves(&prev, &next, &event)));
            prev = next;
        }
        out
    }

    #[test]
    fn repeated_labels_count_as_a_multiset() {
        let a = ["x".to_string(), "y".to_string()];
        let b = ["y".to_string(), "x".to_string(), "x".to_string()];
        assert_eq!(new_entries(&a, &b), [2]);
        assert_eq!(new_entries::<String>(&[], &a), [0, 1]);
        assert!(new_entries(&b, &a).is_empty());
    }

    /// In js-order, `then` on a resolved promise puts the reaction in the microtask queue,
    /// `setTimeout` puts a timer on the heap, and later the loop takes the microtask
    /// (microtasks → call stack) before the timer fires (timers → macrotasks).
    #[test]
    fn js_order_arrows() {
        let steps = trace("js-order");
        let arrows: Vec<(Option<Area>, Option<Area>)> =
            steps.iter().map(|(_, m)| (m.from, m.to)).collect();
        let first = |pair| arrows.iter().position(|a| *a == pair);
        let to_micro = first((Some(Area::CallStack), Some(Area::Microtasks))).unwrap();
        let to_timer = first((Some(Area::CallStack), Some(Area::Timers))).unwrap();
        let take_micro = first((Some(Area::Microtasks), Some(Area::CallStack))).unwrap();
        let fire = first((Some(Area::Timers), Some(Area::Macrotasks))).unwrap();
        assert!(
            to_timer < to_micro,
            "setTimeout comes before then() in the listing"
        );
        assert!(to_micro < take_micro && take_micro < fire);
        let (event, m) = &steps[to_micro];
        assert_eq!(m.new_microtasks, [0]);
        assert!(m.changed.contains(&Area::Microtasks), "{event:?}");
        // Every print draws stack → output and changes the output box.
        for (event, m) in &steps {
            if event.printed.is_some() {
                assert_eq!((m.from, m.to), (Some(Area::CallStack), Some(Area::Output)));
                assert!(m.changed.contains(&Area::Output));
            }
        }
    }

    /// print-sum: the clock jump is the only move that changes the clock box, and the
    /// nested frame of compute is new on the stack when it is pushed.
    #[test]
    fn print_sum_clock_and_stack() {
        let steps = trace("print-sum");
        let clock: Vec<&Event> = steps
            .iter()
            .filter(|(_, m)| m.changed.contains(&Area::Clock))
            .map(|(e, _)| e)
            .collect();
        assert_eq!(clock.len(), 1);
        assert_eq!(clock[0].kind, EventKind::AdvanceClock);
        let push = steps
            .iter()
            .find(|(e, _)| e.kind == EventKind::PushFrame && e.description.contains("compute"))
            .expect("compute is pushed");
        assert_eq!(push.1.new_stack, [1], "compute sits on top of print_sum");
    }
}
