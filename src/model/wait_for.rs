//! The wait-for graph: who holds what, who waits for what, and the cycle that is a deadlock.
//!
//! The runtime's watchdog samples, from shared memory, which thread owns each lock and
//! which lock each blocked thread is waiting for; this module turns that snapshot into
//! thread → thread edges ("T1 waits for T2, which holds B") and finds a cycle. A thread
//! waiting for a lock it holds itself is a cycle of one.

use serde::Serialize;

/// One sampled fact: `thread` is blocked acquiring `resource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub thread: usize,
    pub resource: usize,
}

/// One sampled fact: `thread` owns `resource`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holding {
    pub thread: usize,
    pub resource: usize,
}

/// A deadlock: each thread in the ring holds the resource the previous one waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cycle {
    /// `(thread, holds, waits_for)` around the ring, starting from the lowest thread.
    pub links: Vec<CycleLink>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CycleLink {
    pub thread: usize,
    /// The resource this thread holds that the previous thread in the ring waits for.
    pub holds: Option<usize>,
    pub waits_for: usize,
}

impl Cycle {
    /// "T1 holds A, waits for B; T2 holds B, waits for A", with names for threads/resources.
    pub fn describe(
        &self,
        thread_name: impl Fn(usize) -> String,
        resource_name: impl Fn(usize) -> String,
    ) -> String {
        self.links
            .iter()
            .map(|link| {
                let waits = resource_name(link.waits_for);
                match link.holds {
                    Some(held) => t!(
                        "wait_for.holds_and_waits",
                        thread = thread_name(link.thread),
                        held = resource_name(held),
                        waits = waits
                    ),
                    None => t!(
                        "wait_for.waits",
                        thread = thread_name(link.thread),
                        waits = waits
                    ),
                }
                .to_string()
            })
            .collect::<Vec<_>>()
            .join(&t!("wait_for.separator"))
    }

    /// Threads in the ring.
    pub fn threads(&self) -> Vec<usize> {
        self.links.iter().map(|l| l.thread).collect()
    }
}

/// Finds a cycle in the wait-for relation, if any. Each thread waits for at most one
/// resource at a time, so following "waits for → owner" from every thread is enough.
pub fn find_cycle(waiting: &[Waiting], holding: &[Holding]) -> Option<Cycle> {
    let owner_of = |resource: usize| {
        holding
            .iter()
            .find(|h| h.resource == resource)
            .map(|h| h.thread)
    };
    let waits_of = |thread: usize| {
        waiting
            .iter()
            .find(|w| w.thread == thread)
            .map(|w| w.resource)
    };
    let mut starts: Vec<usize> = waiting.iter().map(|w| w.thread).collect();
    starts.sort_unstable();
    for start in starts {
        let mut path: Vec<usize> = vec![start];
        let mut current = start;
        while let Some(owner) = waits_of(current).and_then(owner_of) {
            if let Some(position) = path.iter().position(|&t| t == owner) {
                let ring = &path[position..];
                if !ring.contains(&start) {
                    break; // a cycle further down the chain; found from its own members
                }
                return Some(ring_to_cycle(ring, &waits_of, holding));
            }
            path.push(owner);
            current = owner;
        }
    }
    None
}

fn ring_to_cycle(
    ring: &[usize],
    waits_of: &impl Fn(usize) -> Option<usize>,
    holding: &[Holding],
) -> Cycle {
    // Rotate so the lowest thread leads: the same deadlock always reads the same way.
    let lead = ring
        .iter()
        .enumerate()
        .min_by_key(|(_, t)| **t)
        .map_or(0, |(i, _)| i);
    let ordered: Vec<usize> = ring[lead..].iter().chain(&ring[..lead]).copied().collect();
    let n = ordered.len();
    let links = (0..n)
        .map(|i| {
            let thread = ordered[i];
            let previous = ordered[(i + n - 1) % n];
            let wanted_by_previous = waits_of(previous);
            let holds = holding
                .iter()
                .find(|h| h.thread == thread && Some(h.resource) == wanted_by_previous)
                .map(|h| h.resource);
            CycleLink {
                thread,
                holds,
                waits_for: waits_of(thread).unwrap_or_default(),
            }
        })
        .collect();
    Cycle { links }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(thread: usize, resource: usize) -> Waiting {
        Waiting { thread, resource }
    }
    fn h(thread: usize, resource: usize) -> Holding {
        Holding { thread, resource }
    }
    const NAMES: [&str; 4] = ["A", "B", "C", "D"];
    fn describe(c: &Cycle) -> String {
        c.describe(
            |t| crate::model::thread_state::thread_name(t as u32),
            |r| NAMES[r].to_string(),
        )
    }

    #[test]
    fn ab_ba_is_found_and_named_the_same_from_either_side() {
        let cycle = find_cycle(&[w(1, 0), w(0, 1)], &[h(0, 0), h(1, 1)]).unwrap();
        assert_eq!(
            describe(&cycle),
            "T1 holds A, waits for B; T2 holds B, waits for A"
        );
        assert_eq!(cycle.threads(), vec![0, 1]);
    }

    #[test]
    fn waiting_for_a_lock_you_hold_is_a_cycle_of_one() {
        let cycle = find_cycle(&[w(0, 0)], &[h(0, 0)]).unwrap();
        assert_eq!(describe(&cycle), "T1 holds A, waits for A");
    }

    #[test]
    fn a_chain_that_ends_at_a_running_thread_is_not_a_deadlock() {
        // T1 waits for A (held by T2), T2 waits for B (held by T3), T3 runs.
        assert_eq!(find_cycle(&[w(0, 0), w(1, 1)], &[h(1, 0), h(2, 1)]), None);
        assert_eq!(find_cycle(&[], &[h(0, 0)]), None);
        assert_eq!(
            find_cycle(&[w(0, 3)], &[]),
            None,
            "waiting on a free lock is a race, not a deadlock"
        );
    }

    #[test]
    fn a_three_thread_ring_and_a_bystander() {
        // T3 waits on the ring without being part of it.
        let waiting = [w(3, 0), w(0, 1), w(1, 2), w(2, 0)];
        let holding = [h(0, 0), h(1, 1), h(2, 2)];
        let cycle = find_cycle(&waiting, &holding).unwrap();
        assert_eq!(cycle.threads(), vec![0, 1, 2]);
        assert_eq!(
            describe(&cycle),
            "T1 holds A, waits for B; T2 holds B, waits for C; T3 holds C, waits for A"
        );
    }
}
