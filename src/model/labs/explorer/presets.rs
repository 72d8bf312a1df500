//! Ready-made programs for the explorer, one per classic concurrency lesson. Ids are stable:
//! the UI and the console refer to presets by id.

/// A named example program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable identifier, e.g. `balance`.
    pub id: &'static str,
    /// One-line title for menus.
    pub title: &'static str,
    /// Program text in the explorer language.
    pub source: &'static str,
}

impl Preset {
    /// The title in the page's language (`title` stays English for the console).
    pub fn label(&self) -> String {
        match self.id {
            "balance" => t!("explorer.preset.balance"),
            "balance-lock" => t!("explorer.preset.balance-lock"),
            "balance-3" => t!("explorer.preset.balance-3"),
            "deadlock-ab-ba" => t!("explorer.preset.deadlock-ab-ba"),
            "rlock" => t!("explorer.preset.rlock"),
            "lost-wakeup" => t!("explorer.preset.lost-wakeup"),
            "semaphore" => t!("explorer.preset.semaphore"),
            "producer-consumer" => t!("explorer.preset.producer-consumer"),
            "check-then-act" => t!("explorer.preset.check-then-act"),
            "cas-counter" => t!("explorer.preset.cas-counter"),
            "fetch-add" => t!("explorer.preset.fetch-add"),
            "spin-lock" => t!("explorer.preset.spin-lock"),
            "aba-stack" => t!("explorer.preset.aba-stack"),
            "store-buffering" => t!("explorer.preset.store-buffering"),
            _ => return self.title.to_string(),
        }
        .to_string()
    }
}

/// Every preset, in menu order.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "balance",
        title: "Lost update: two threads deposit and withdraw",
        source: BALANCE,
    },
    Preset {
        id: "balance-lock",
        title: "The same deposits under a lock",
        source: BALANCE_LOCK,
    },
    Preset {
        id: "balance-3",
        title: "Lost update with three threads",
        source: BALANCE_3,
    },
    Preset {
        id: "deadlock-ab-ba",
        title: "Deadlock: two locks taken in opposite orders",
        source: DEADLOCK_AB_BA,
    },
    Preset {
        id: "rlock",
        title: "Re-entrant lock: acquiring again is fine",
        source: RLOCK,
    },
    Preset {
        id: "lost-wakeup",
        title: "Lost wake-up: notify before wait",
        source: LOST_WAKEUP,
    },
    Preset {
        id: "semaphore",
        title: "Semaphore: at most two of three workers inside",
        source: SEMAPHORE,
    },
    Preset {
        id: "producer-consumer",
        title: "Producer and consumer with a bounded buffer",
        source: PRODUCER_CONSUMER,
    },
    Preset {
        id: "check-then-act",
        title: "Check-then-act: both threads see x == 0",
        source: CHECK_THEN_ACT,
    },
    Preset {
        id: "cas-counter",
        title: "Lock-free: compare-and-swap loses no update",
        source: CAS_COUNTER,
    },
    Preset {
        id: "fetch-add",
        title: "Atomic fetch_add: one step, nothing lost",
        source: FETCH_ADD,
    },
    Preset {
        id: "spin-lock",
        title: "Spin lock from swap (test-and-set)",
        source: SPIN_LOCK,
    },
    Preset {
        id: "aba-stack",
        title: "Lock-free stack: compare-and-swap fooled by A-B-A",
        source: ABA_STACK,
    },
    Preset {
        id: "store-buffering",
        title: "Store buffering: r0 = r1 = 0 only with store buffers (try mode tso)",
        source: STORE_BUFFERING,
    },
];

/// The preset with this id.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

const BALANCE: &str = "\
# Two threads each deposit and then withdraw the same amount, so the
# balance should end at 0. But `balance = balance + 5` is two steps: load
# balance into a temporary, then store the sum. Another thread can run in
# between, and one of the two stores is lost.
shared balance = 0

thread t1 {
    balance = balance + 5
    balance = balance - 5
}

thread t2 {
    balance = balance + 8
    balance = balance - 8
}

assert balance == 0, \"every deposit was withdrawn again\"
";

const BALANCE_LOCK: &str = "\
# The same two threads, but each holds the lock for its whole deposit and
# withdrawal, so no other thread can run in between: the balance ends at 0.
shared balance = 0
lock balance_lock

thread t1 {
    balance_lock.acquire()
    balance = balance + 5
    balance = balance - 5
    balance_lock.release()
}

thread t2 {
    balance_lock.acquire()
    balance = balance + 8
    balance = balance - 8
    balance_lock.release()
}

assert balance == 0, \"the lock keeps the balance at 0\"
";

const BALANCE_3: &str = "\
# Three threads race on one balance: 34650 schedules, 17 possible endings.
shared balance = 0

thread t1 {
    balance = balance + 5
    balance = balance - 5
}

thread t2 {
    balance = balance + 8
    balance = balance - 8
}

thread t3 {
    balance = balance + 13
    balance = balance - 13
}

assert balance == 0, \"every deposit was withdrawn again\"
";

const DEADLOCK_AB_BA: &str = "\
# t1 takes lock a and then b; t2 takes b and then a. If each gets its first
# lock, each waits forever for the other's. Taking locks in one agreed order
# everywhere prevents this.
lock a
lock b

thread t1 {
    a.acquire()
    b.acquire()
    b.release()
    a.release()
}

thread t2 {
    b.acquire()
    a.acquire()
    a.release()
    b.release()
}
";

const RLOCK: &str = "\
# t1 acquires the rlock again while holding it. An rlock counts how often
# its owner acquired it and is free once it was released as often; a plain
# lock would block t1 forever at the inner acquire.
shared count = 0
rlock r

thread t1 {
    with r {
        count = count + 1
        with r {
            count = count + 1
        }
    }
}

thread t2 {
    with r {
        count = count + 1
    }
}

assert count == 3
";

const LOST_WAKEUP: &str = "\
# The waiter checks `ready` without holding the lock. If the notifier sets
# ready and notifies between that check and wait(), nobody is waiting yet,
# the wake-up is lost, and the waiter sleeps forever. The fix: check (in a
# while loop) while holding the lock.
shared ready = 0
lock m
condition cv(m)

thread waiter {
    if ready == 0 {
        with m {
            cv.wait()
        }
    }
}

thread notifier {
    ready = 1
    with m {
        cv.notify()
    }
}
";

const SEMAPHORE: &str = "\
# Three workers share a semaphore with two permits, so at most two are inside
# at once. The counter itself is updated under a lock so it stays exact.
shared inside = 0
semaphore permits = 2
lock counter_lock

thread w1 {
    with permits {
        with counter_lock { inside = inside + 1 }
        assert inside <= 2, \"at most two workers inside\"
        with counter_lock { inside = inside - 1 }
    }
}

thread w2 {
    with permits {
        with counter_lock { inside = inside + 1 }
        assert inside <= 2, \"at most two workers inside\"
        with counter_lock { inside = inside - 1 }
    }
}

thread w3 {
    with permits {
        with counter_lock { inside = inside + 1 }
        assert inside <= 2, \"at most two workers inside\"
        with counter_lock { inside = inside - 1 }
    }
}

assert inside == 0
";

const PRODUCER_CONSUMER: &str = "\
# A buffer with two slots. The producer puts the items 1, 2, 3; the consumer
# takes three items and adds them up. Each waits on a condition while the
# buffer is full (producer) or empty (consumer), re-checking in a while loop.
shared slot0 = 0
shared slot1 = 0
shared count = 0
shared head = 0
shared tail = 0
shared received = 0
lock m
condition not_full(m)
condition not_empty(m)

thread producer {
    item = 1
    while item <= 3 {
        with m {
            while count == 2 {
                not_full.wait()
            }
            if tail == 0 {
                slot0 = item
            } else {
                slot1 = item
            }
            tail = 1 - tail
            count = count + 1
            not_empty.notify()
        }
        item = item + 1
    }
}

thread consumer {
    taken = 0
    while taken < 3 {
        with m {
            while count == 0 {
                not_empty.wait()
            }
            if head == 0 {
                got = slot0
            } else {
                got = slot1
            }
            head = 1 - head
            count = count - 1
            received = received + got
            not_full.notify()
        }
        taken = taken + 1
    }
}

assert received == 6, \"every item produced was consumed once\"
assert count == 0
";

const CHECK_THEN_ACT: &str = "\
# Both threads check that x is still 0 and only then add 1. The check and
# the update are separate steps, so both threads can see 0 and both add.
shared x = 0

thread t1 {
    if x == 0 {
        x = x + 1
    }
}

thread t2 {
    if x == 0 {
        x = x + 1
    }
}

assert x == 1, \"only one thread should act\"
";

const CAS_COUNTER: &str = "\
# The balance race without a lock: each thread reads the balance, computes the
# new value, and publishes it with compare-and-swap, which writes only if the
# balance is still what the thread read. If another thread wrote in between,
# cas fails and the thread tries again. No update is lost; nobody waits.
shared balance = 0

thread t1 {
    done = 0
    while done == 0 {
        old = balance
        done = cas(balance, old, old + 5)
    }
}

thread t2 {
    done = 0
    while done == 0 {
        old = balance
        done = cas(balance, old, old + 8)
    }
}

assert balance == 13, \"compare-and-swap loses no update\"
";

const FETCH_ADD: &str = "\
# fetch_add reads, adds and writes in one atomic step (x86: lock xadd), so
# the read-then-write gap of `hits = hits + 1` does not exist.
shared hits = 0

thread t1 {
    fetch_add(hits, 1)
    fetch_add(hits, 1)
}

thread t2 {
    before = fetch_add(hits, 1)
}

assert hits == 3, \"no increment is lost\"
";

const SPIN_LOCK: &str = "\
# A test-and-set spin lock: swap writes 1 and returns the old value; only the
# thread that got 0 back may enter. The other keeps spinning: it runs, burns
# its steps, and is never blocked (compare a lock, which makes it wait).
shared flag = 0
shared inside = 0

thread t1 {
    got = swap(flag, 1)
    while got == 1 {
        got = swap(flag, 1)
    }
    inside = inside + 1
    assert inside == 1, \"one thread at a time\"
    inside = inside - 1
    flag = 0
}

thread t2 {
    got = swap(flag, 1)
    while got == 1 {
        got = swap(flag, 1)
    }
    inside = inside + 1
    assert inside == 1, \"one thread at a time\"
    inside = inside - 1
    flag = 0
}
";

const ABA_STACK: &str = "\
# A lock-free stack of nodes 1 -> 2 (0 ends it; nextN is node N's link).
# pop reads top and top's next, then cas(top, old, new) swings top only if
# top is still old. t1 pops once. t2 pops 1, pops 2 and pushes 1 back. If
# all of t2 runs between t1's reads and t1's cas, top is 1 again (A, B, A),
# so the cas succeeds and top becomes node 2, which t2 has taken off.
shared top = 1
shared next1 = 2
shared next2 = 0
shared taken2 = 0

thread t1 {
    ok = 0
    while ok == 0 {
        old = top
        if old == 1 {
            new = next1
        } elif old == 2 {
            new = next2
        } else {
            new = 0
        }
        ok = cas(top, old, new)
    }
}

thread t2 {
    repeat 2 {
        ok = 0
        while ok == 0 {
            old = top
            if old == 1 {
                new = next1
            } elif old == 2 {
                new = next2
            } else {
                new = 0
            }
            ok = cas(top, old, new)
        }
        if old == 2 {
            taken2 = 1
        }
    }
    ok = 0
    while ok == 0 {
        old = top
        next1 = old
        ok = cas(top, old, 1)
    }
}

assert not (top == 2 and taken2 == 1), \"ABA: top is node 2, which t2 popped\"
";

pub(crate) const STORE_BUFFERING: &str = "\
# Each thread stores 1, then loads the other's variable. With one memory
# (sequential consistency) some store comes first, so r0 = r1 = 0 cannot
# happen. x86 CPUs put stores in a store buffer and let a later load go
# first: choose mode tso and r0 = r1 = 0 appears. Add `fence` after each
# store and it is gone again.
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0

thread t0 {
    x = 1
    r0 = y
}

thread t1 {
    y = 1
    r1 = x
}
";

#[cfg(test)]
mod tests {
    use super::super::parser::parse;
    use super::super::replay::replay_machine;
    use super::super::search::{Options, Reduction, Strategy, explore};
    use super::super::testing::{final_values, outcomes, program, run};
    use super::super::{Machine, Outcome};
    use super::{PRESETS, preset};

    fn source(id: &str) -> &'static str {
        preset(id).expect("preset exists").source
    }

    #[test]
    fn every_preset_has_a_translated_title_that_reads_as_its_title_in_english() {
        for p in PRESETS {
            assert_eq!(p.label(), p.title, "{}", p.id);
            let chinese = t!(format!("explorer.preset.{}", p.id), locale = "zh-CN");
            assert!(!chinese.is_ascii(), "{}: {chinese}", p.id);
        }
    }

    #[test]
    fn every_preset_parses_and_round_trips_through_the_printer() {
        let mut ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PRESETS.len(), "ids are unique");
        for preset in PRESETS {
            let parsed = program(preset.source);
            assert_eq!(parse(&parsed.to_string()), Ok(parsed), "{}", preset.id);
        }
    }

    /// Reachable final balances of `balance`, by hand. Each thread runs L (load into its tmp),
    /// S (store tmp + n), L', S' (store tmp' − n). The final balance is what the last store
    /// wrote. Say t2 stores last (S2' = q' − 8, q' = what L2' read); case on whose store L2'
    /// read:
    ///
    /// - t2's own S2 = q + 8: the result is q, what L2 read: 0 (t1 had stored nothing, or both
    ///   its stores) or 5 (only t1's deposit) → {0, 5}.
    /// - t1's S1 = r + 5, landing after S2: r is 0 (L1 before S2) or 8 (after) → {−3, 5}.
    /// - t1's S1' = r' − 5, landing after S2: r' is 5 (t1's own deposit), 8 or 13 (t2's
    ///   deposit, made on 0 or on 5, landed between S1 and L1') → {−8, −5, 0}.
    ///
    /// t1 storing last is the mirror image (swap 5 and 8): {0, 8}, {3, 8}, {−5, −8, 0}. So the
    /// final balance is one of {−8, −5, −3, 0, 3, 5, 8}, and 13, −13 or anything else never
    /// happens. −8 is the Python notes' schedule: t1 loads 0, t2 deposits 8, t1 overwrites it
    /// with 5, t1 withdraws to 0, t2 withdraws to −8.
    ///
    /// Schedules: 4 + 4 steps interleave in C(8, 4) = 70 ways; enumerating them gives 30 that
    /// end at 0, 8 each at ±5 and ±8, and 4 each at ±3. The enumeration tree has
    /// Σ_{a,b ≤ 4} C(a + b, a) = C(10, 5) − 1 = 251 nodes, which is the state count.
    #[test]
    fn balance_final_states_schedule_counts_and_the_minus_eight_witness() {
        let report = run(source("balance"), Reduction::None);
        let values = final_values(&report, "balance");
        assert_eq!(
            values,
            [-8, -5, -3, 0, 3, 5, 8].into_iter().collect(),
            "full set"
        );
        for reachable in [-8, -5, -3, 0, 3, 5, 8] {
            assert!(values.contains(&reachable));
        }
        for unreachable in [13, -13, 1, 10, -10] {
            assert!(!values.contains(&unreachable));
        }
        assert_eq!(report.schedules, 70);
        assert_eq!(report.states, 251);
        assert_eq!(report.limit_reached, None);
        let counts: Vec<(i64, Option<u64>)> = report
            .final_states
            .iter()
            .map(|f| (f.shared["balance"], f.schedules))
            .collect();
        assert_eq!(
            counts,
            [(-8, 8), (-5, 8), (-3, 4), (0, 30), (3, 4), (5, 8), (8, 8)].map(|(v, c)| (v, Some(c)))
        );
        assert!(report.deadlocks.is_empty());
        // Every ending but 0 is wrong: the check fails there, counted like an ending.
        assert_eq!(report.assertion_failures.len(), 1);
        assert_eq!(report.assertion_failures[0].schedules, Some(40));
        for state in &report.final_states {
            assert_eq!(
                state.failed_checks.is_empty(),
                state.shared["balance"] == 0,
                "{state:?}"
            );
        }

        let minus_eight = report
            .final_states
            .iter()
            .find(|f| f.shared["balance"] == -8)
            .expect("−8 is reachable");
        assert_eq!(minus_eight.witness.len(), 8);
        let (machine, steps) =
            replay_machine(&program(source("balance")), &minus_eight.witness).expect("replays");
        assert_eq!(machine.shared()["balance"], -8);
        assert_eq!(steps.len(), 8);

        // The notes' schedule, step by step.
        let (machine, steps) =
            replay_machine(&program(source("balance")), &[0, 1, 1, 0, 0, 0, 1, 1]).unwrap();
        assert_eq!(machine.shared()["balance"], -8);
        assert_eq!(steps[0].label, "t1: load balance → tmp (0)");
        assert_eq!(steps[1].label, "t2: load balance → tmp (0)");
        assert_eq!(steps[2].label, "t2: store balance ← 8");
        assert_eq!(
            steps[3].label,
            "t1: store balance ← 5 — lost update: t2 stored balance after t1 loaded it, and this overwrites it"
        );
        assert!(steps[3].lost_update && !steps[7].lost_update);
        assert_eq!(steps[7].label, "t2: store balance ← -8");
        assert_eq!(steps[0].line, 8);
        assert_eq!(steps[7].line, 14);
    }

    #[test]
    fn balance_with_the_lock_always_ends_at_zero() {
        for reduction in [Reduction::None, Reduction::Full] {
            let report = run(source("balance-lock"), reduction);
            assert_eq!(final_values(&report, "balance"), [0].into_iter().collect());
            assert!(report.assertion_failures.is_empty());
            assert!(report.deadlocks.is_empty());
        }
        // Only whole critical sections interleave: t1 first or t2 first.
        assert_eq!(run(source("balance-lock"), Reduction::None).schedules, 2);
    }

    #[test]
    fn three_thread_balance_has_seventeen_endings() {
        // Each of ±5, ±8, ±13 may be lost or kept, in every combination the interleavings
        // allow; a small brute force over load/store steps gives the same 17 values.
        let expected = [
            -21, -18, -16, -13, -10, -8, -5, -3, 0, 3, 5, 8, 10, 13, 16, 18, 21,
        ];
        for reduction in [Reduction::Full, Reduction::None] {
            let report = run(source("balance-3"), reduction);
            let values = final_values(&report, "balance");
            assert_eq!(values, expected.into_iter().collect(), "{reduction:?}");
            assert!(report.deadlocks.is_empty() && report.errors.is_empty());
        }
    }

    #[test]
    fn opposite_lock_orders_deadlock_and_one_order_does_not() {
        let report = run(source("deadlock-ab-ba"), Reduction::Full);
        assert_eq!(report.deadlocks.len(), 1);
        assert_eq!(
            report.deadlocks[0].description,
            "t1 waits for lock b (held by t2); t2 waits for lock a (held by t1)"
        );
        assert_eq!(report.final_states.len(), 1, "finishing is also possible");

        let fixed = source("deadlock-ab-ba").replace(
            "    b.acquire()\n    a.acquire()\n    a.release()\n    b.release()",
            "    a.acquire()\n    b.acquire()\n    b.release()\n    a.release()",
        );
        assert_ne!(fixed, source("deadlock-ab-ba"));
        for reduction in [Reduction::None, Reduction::Full] {
            let report = run(&fixed, reduction);
            assert!(report.deadlocks.is_empty());
            assert_eq!(report.final_states.len(), 1);
        }
    }

    #[test]
    fn rlock_reentry_is_fine_and_a_plain_lock_blocks_itself() {
        let report = run(source("rlock"), Reduction::None);
        assert!(report.deadlocks.is_empty());
        assert!(report.assertion_failures.is_empty());
        assert_eq!(final_values(&report, "count"), [3].into_iter().collect());

        let plain = source("rlock").replace("rlock r", "lock r");
        let report = run(&plain, Reduction::Full);
        assert!(report.final_states.is_empty(), "t1 can never finish");
        assert!(
            report.deadlocks.iter().any(|d| d
                .description
                .contains("t1 waits for lock r (held by itself)")),
            "{:?}",
            report.deadlocks
        );
    }

    #[test]
    fn lost_wakeup_is_found_as_a_hang() {
        let report = run(source("lost-wakeup"), Reduction::Full);
        assert_eq!(report.deadlocks.len(), 1);
        assert_eq!(
            report.deadlocks[0].description,
            "waiter waits on condition cv to be notified"
        );
        assert_eq!(final_values(&report, "ready"), [1].into_iter().collect());
        // The witness shows the lost notify.
        let (_, steps) = replay_machine(
            &program(source("lost-wakeup")),
            &report.deadlocks[0].witness,
        )
        .unwrap();
        assert!(
            steps
                .iter()
                .any(|s| s.label.contains("the wake-up is lost")),
            "{steps:#?}"
        );
    }

    #[test]
    fn semaphore_never_lets_three_in() {
        for reduction in [Reduction::None, Reduction::Full] {
            let report = run(source("semaphore"), reduction);
            assert!(report.assertion_failures.is_empty());
            assert!(report.deadlocks.is_empty());
            assert!(report.errors.is_empty());
            assert_eq!(final_values(&report, "inside"), [0].into_iter().collect());
        }
        // With three permits the assertion can fail.
        let loose = source("semaphore").replace("permits = 2", "permits = 3");
        let report = run(&loose, Reduction::Full);
        assert_eq!(
            outcomes(&report).assertion_failures,
            ["w1", "w2", "w3"]
                .map(|w| format!("{w}: assert inside <= 2 failed: at most two workers inside"))
                .into_iter()
                .collect()
        );
    }

    #[test]
    fn producer_consumer_loses_nothing() {
        let report = run(source("producer-consumer"), Reduction::Full);
        assert!(report.assertion_failures.is_empty(), "{report:#?}");
        assert!(report.deadlocks.is_empty());
        assert_eq!(report.limit_reached, None);
        assert_eq!(final_values(&report, "received"), [6].into_iter().collect());
        // notify instead of a while-loop re-check would still be fine here; waiting with `if`
        // and two consumers would not, but that is a different lesson.
    }

    #[test]
    fn check_then_act_assertion_can_fail() {
        let report = run(source("check-then-act"), Reduction::None);
        assert_eq!(final_values(&report, "x"), [1, 2].into_iter().collect());
        assert_eq!(
            outcomes(&report).assertion_failures,
            ["after all threads: assert x == 1 failed: only one thread should act".to_string()]
                .into_iter()
                .collect()
        );
        let failing = &report.assertion_failures[0].witness;
        let mut machine = Machine::new(&program(source("check-then-act"))).unwrap();
        for &thread in failing {
            machine.step(thread);
        }
        assert!(matches!(
            machine.outcome(),
            Some(Outcome::Finished { failed_checks, .. }) if failed_checks.len() == 1
        ));
    }

    #[test]
    fn atomics_lose_no_update_and_the_spin_lock_excludes() {
        for reduction in [Reduction::None, Reduction::Full] {
            let cas = run(source("cas-counter"), reduction);
            assert_eq!(final_values(&cas, "balance"), [13].into_iter().collect());
            assert!(outcomes(&cas).assertion_failures.is_empty());
            let adds = run(source("fetch-add"), reduction);
            assert_eq!(final_values(&adds, "hits"), [3].into_iter().collect());
            let spin = run(source("spin-lock"), reduction);
            assert!(
                outcomes(&spin).assertion_failures.is_empty(),
                "{:?}",
                outcomes(&spin)
            );
            assert_eq!(final_values(&spin, "flag"), [0].into_iter().collect());
            // Spinning makes schedules of any length: only the state cache finishes.
            assert_eq!(spin.limit_reached.is_some(), reduction == Reduction::None);
        }
        // Without cas, the same loop shape loses updates: the atomic step is what saves it.
        let plain = run(
            "shared balance = 0\nthread t1 {\n    old = balance\n    balance = old + 5\n}\nthread t2 {\n    old = balance\n    balance = old + 8\n}\n",
            Reduction::None,
        );
        assert_eq!(
            final_values(&plain, "balance"),
            [5, 8, 13].into_iter().collect()
        );
    }

    #[test]
    fn atomics_are_checked_and_printed_back() {
        let err = parse("shared x = 0\nthread t {\n    r = cas(y, 0, 1)\n}\n").unwrap_err();
        assert!(
            err.message.contains("'y' must be a shared variable"),
            "{err:?}"
        );
        let err =
            parse("shared x = 0\nshared y = 0\nthread t {\n    r = cas(x, y, 1)\n}\n").unwrap_err();
        assert!(
            err.message.contains("load 'y' into a local first"),
            "{err:?}"
        );
        let err = parse("shared x = 0\nthread t {\n    x = swap(x, 1)\n}\n").unwrap_err();
        assert!(
            err.message.contains("goes to a thread-local variable"),
            "{err:?}"
        );
        let printed =
            program("shared x = 0\nthread t {\n    r = fetch_add(x, 2)\n    swap(x, r)\n}\n")
                .to_string();
        assert!(
            printed.contains("r = fetch_add(x, 2)") && printed.contains("swap(x, r)"),
            "{printed}"
        );
    }

    #[test]
    fn aba_lets_the_cas_put_a_popped_node_back_on_top() {
        let report = run(source("aba-stack"), Reduction::Full);
        assert_eq!(report.limit_reached, None);
        assert_eq!(
            outcomes(&report).assertion_failures,
            ["after all threads: assert not (top == 2 and taken2 == 1) failed: ABA: top is node 2, which t2 popped".to_string()]
                .into_iter()
                .collect()
        );
        // The witness: t1 reads top (1) and next1 (2); t2 then runs its three operations;
        // t1's cas still sees 1 and succeeds.
        let witness = &report.assertion_failures[0].witness;
        let (_, steps) = replay_machine(&program(source("aba-stack")), witness).unwrap();
        let cas = steps
            .iter()
            .rposition(|s| s.label.starts_with("t1: cas(top)"))
            .unwrap();
        assert!(steps[cas].label.contains("→ 1"), "{}", steps[cas].label);
        assert!(
            steps[..cas]
                .iter()
                .any(|s| s.label.starts_with("t2: cas(top)"))
        );
        let dpor = run(source("aba-stack"), Reduction::Dpor);
        assert_eq!(outcomes(&dpor), outcomes(&report));
    }

    #[test]
    fn store_buffering_needs_store_buffers() {
        let sc = run(source("store-buffering"), Reduction::Full);
        assert!(
            !sc.final_states
                .iter()
                .any(|f| f.shared["r0"] == 0 && f.shared["r1"] == 0)
        );
        assert_eq!(sc.final_states.len(), 3);
        let tso = explore(
            &program(source("store-buffering")),
            &Options::with(Strategy::Tso),
            &mut |_| false,
        )
        .unwrap();
        assert_eq!(tso.final_states.len(), 4);
        assert!(
            tso.final_states
                .iter()
                .any(|f| f.shared["r0"] == 0 && f.shared["r1"] == 0)
        );
    }
}
