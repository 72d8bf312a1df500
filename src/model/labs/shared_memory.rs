//! Parameters and reports of the shared-memory lab: race, deadlock, semaphore, signals
//! (event, condition, barrier) and producer–consumer, all run on real threads.
//!
//! Pure data and arithmetic, shared by the UI form and `window.lab.run(…)`, so every bound
//! and every derived figure is tested natively.

use crate::model::params::check_range;
use crate::model::stats::{Summary, tally};
use serde::{Deserialize, Serialize};

/// Most threads one experiment may start (the pool may have fewer; see `validate`).
pub const MAX_THREADS: u32 = 16;

fn check_threads(field: &str, value: u32, min: u32, lanes: u32) -> Result<(), String> {
    if lanes < min {
        return Err(format!(
            "this experiment needs {min} worker threads and the pool has {lanes}"
        ));
    }
    check_range(field, value, min, lanes.min(MAX_THREADS))
}

// ---------------------------------------------------------------------------------------
// Race

/// How `balance = balance + n` is performed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RaceVariant {
    /// A load and a separate store: updates between them are lost.
    #[default]
    Unsync,
    /// The read-modify-write inside a lock.
    Lock,
    /// One atomic fetch_add / fetch_sub.
    Atomic,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RaceParams {
    pub threads: u32,
    /// Deposit-then-withdraw rounds per thread.
    pub iterations: u32,
    pub variant: RaceVariant,
    /// Independent runs, for the histogram of final balances.
    pub repeats: u32,
    /// Steps of arithmetic between reading the balance and writing it back. An interpreter
    /// spends tens of nanoseconds there; compiled code almost none, which makes the race
    /// rare (never impossible). Every variant does the same work, so costs stay comparable.
    pub think: u32,
}

impl Default for RaceParams {
    fn default() -> Self {
        RaceParams {
            threads: 2,
            iterations: 1_000_000,
            variant: RaceVariant::Unsync,
            repeats: 1,
            think: 50,
        }
    }
}

impl RaceParams {
    pub fn validate(&self, lanes: u32) -> Result<(), String> {
        check_threads("threads", self.threads, 1, lanes)?;
        check_range("iterations", self.iterations, 1, 2_000_000)?;
        check_range("repeats", self.repeats, 1, 50)?;
        check_range("think", self.think, 0, 1000)
    }

    /// Updates performed per run: each round adds and then subtracts.
    pub fn updates(&self) -> u64 {
        2 * u64::from(self.threads) * u64::from(self.iterations)
    }
}

/// The amount thread `t` deposits and withdraws: 5 and 8 for the first two, as in the
/// classic example, then other small distinct numbers so a lost update says whose it was.
pub fn race_amount(thread: u32) -> i64 {
    const AMOUNTS: [i64; 8] = [5, 8, 3, 13, 2, 21, 1, 34];
    AMOUNTS[thread as usize % AMOUNTS.len()]
}

/// One run of the race.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RaceRun {
    pub final_balance: i64,
    /// Stores that overwrote another thread's store made after our load.
    pub lost_updates: u64,
    pub ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RaceReport {
    pub lab: &'static str,
    pub threads: u32,
    pub iterations: u32,
    pub variant: RaceVariant,
    /// Of the first run (all runs are in `runs`).
    pub final_balance: i64,
    pub lost_updates: u64,
    /// Median wall time of a run.
    pub ms: f64,
    pub ns_per_update: f64,
    pub updates_per_run: u64,
    pub runs_with_wrong_balance: usize,
    /// `(final balance, how many runs ended there)`, sorted by balance.
    pub histogram: Vec<(i64, usize)>,
    pub runs: Vec<RaceRun>,
}

pub fn race_report(params: &RaceParams, runs: Vec<RaceRun>) -> Option<RaceReport> {
    let first = runs.first()?.clone();
    let ms = Summary::of(&runs.iter().map(|r| r.ms).collect::<Vec<_>>())?.median;
    let updates = params.updates();
    Some(RaceReport {
        lab: "race",
        threads: params.threads,
        iterations: params.iterations,
        variant: params.variant,
        final_balance: first.final_balance,
        lost_updates: first.lost_updates,
        ms,
        ns_per_update: if updates > 0 {
            ms * 1e6 / updates as f64
        } else {
            0.0
        },
        updates_per_run: updates,
        runs_with_wrong_balance: runs.iter().filter(|r| r.final_balance != 0).count(),
        histogram: tally(&runs.iter().map(|r| r.final_balance).collect::<Vec<_>>()),
        runs,
    })
}

// ---------------------------------------------------------------------------------------
// Deadlock

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlockScenario {
    /// T1 takes A then B, T2 takes B then A.
    #[default]
    AbBa,
    /// One thread takes the same plain Lock twice.
    SelfLock,
    /// One thread takes the same RLock twice (no deadlock: the count goes to 2).
    Rlock,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeadlockParams {
    pub scenario: DeadlockScenario,
    /// Take locks in one global order (A before B): the fix for AB-BA.
    pub fix: bool,
    /// How long each thread holds its first lock before asking for the second.
    pub hold_ms: u32,
    /// Every acquire gives up after this long (the backstop behind the watchdog).
    pub timeout_ms: u32,
}

impl Default for DeadlockParams {
    fn default() -> Self {
        DeadlockParams {
            scenario: DeadlockScenario::AbBa,
            fix: false,
            hold_ms: 50,
            timeout_ms: 3000,
        }
    }
}

impl DeadlockParams {
    pub fn validate(&self, lanes: u32) -> Result<(), String> {
        check_threads("threads", 2, 2, lanes)?;
        check_range("hold_ms", self.hold_ms, 1, 1000)?;
        check_range("timeout_ms", self.timeout_ms, 100, 10_000)
    }
}

/// How one thread of the deadlock experiment ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeadlockThread {
    pub name: String,
    /// "finished", "aborted by the watchdog" or "timed out".
    pub outcome: String,
    /// Locks it held at the end of its critical section, in order taken.
    pub acquired: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeadlockReport {
    pub lab: &'static str,
    pub scenario: DeadlockScenario,
    pub fix: bool,
    pub deadlocked: bool,
    /// "T1 holds A, waits for B; T2 holds B, waits for A".
    pub cycle: Option<String>,
    /// From the start of the run to the watchdog seeing the cycle.
    pub detect_ms: Option<f64>,
    /// From detection to every thread having finished.
    pub recovery_ms: Option<f64>,
    pub ms: f64,
    pub threads: Vec<DeadlockThread>,
    /// Highest RLock count seen (the RLock scenario).
    pub rlock_max_count: Option<u32>,
    /// The wait-for graph as the watchdog saw it when it found the cycle:
    /// `(thread, lock)` pairs. Empty when there was no deadlock.
    pub holding: Vec<(usize, usize)>,
    pub waiting: Vec<(usize, usize)>,
}

// ---------------------------------------------------------------------------------------
// Semaphore

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SemaphoreParams {
    pub threads: u32,
    pub permits: u32,
    /// Times each thread enters the section.
    pub rounds: u32,
    /// Time spent inside per entry.
    pub work_ms: u32,
}

impl Default for SemaphoreParams {
    fn default() -> Self {
        SemaphoreParams {
            threads: 5,
            permits: 2,
            rounds: 3,
            work_ms: 40,
        }
    }
}

impl SemaphoreParams {
    pub fn validate(&self, lanes: u32) -> Result<(), String> {
        check_threads("threads", self.threads, 1, lanes)?;
        check_range("permits", self.permits, 1, MAX_THREADS)?;
        check_range("rounds", self.rounds, 1, 20)?;
        check_range("work_ms", self.work_ms, 1, 500)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SemaphoreReport {
    pub lab: &'static str,
    pub threads: u32,
    pub permits: u32,
    /// Most threads seen inside the section at one instant.
    pub max_inside: u32,
    pub entries: u32,
    /// Entries that had to wait for a permit, and their total wait.
    pub waited: u32,
    pub wait_ms: f64,
    pub ms: f64,
}

// ---------------------------------------------------------------------------------------
// Signals: event, condition, barrier

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// Threads wait on a flag another thread sets.
    #[default]
    Event,
    /// A producer and a consumer hand items over through a condition variable.
    Condition,
    /// Threads of uneven speed meet at a barrier and leave together.
    Barrier,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignalParams {
    pub kind: SignalKind,
    pub threads: u32,
    pub rounds: u32,
}

impl Default for SignalParams {
    fn default() -> Self {
        SignalParams {
            kind: SignalKind::Event,
            threads: 4,
            rounds: 3,
        }
    }
}

impl SignalParams {
    pub fn validate(&self, lanes: u32) -> Result<(), String> {
        check_threads("threads", self.threads, 2, lanes)?;
        check_range("rounds", self.rounds, 1, 50)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SignalReport {
    pub lab: &'static str,
    pub kind: SignalKind,
    pub threads: u32,
    pub rounds: u32,
    /// Signal → waiter running again, over every wake-up.
    pub wake_latency_ms: Option<Summary>,
    /// Barrier only: spread of arrival times vs spread of departure times per round.
    pub arrival_spread_ms: Option<Summary>,
    pub departure_spread_ms: Option<Summary>,
    /// Condition only: items handed over, in order, by the consumer.
    pub handed_over: Vec<u32>,
    pub ms: f64,
}

// ---------------------------------------------------------------------------------------
// Producer–consumer

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QueueParams {
    pub producers: u32,
    pub consumers: u32,
    pub capacity: u32,
    pub items: u32,
    /// Work per produced item, in microseconds.
    pub produce_us: u32,
    /// Work per consumed item, in microseconds.
    pub consume_us: u32,
}

impl QueueParams {
    /// The most items per second producers and consumers could move if nobody ever waited:
    /// each producer makes one item per `produce_us` and each consumer takes one per
    /// `consume_us`. The work is timed on the clock, so threads sharing a core still take
    /// their time and the cores do not enter. `None` when neither side does any work.
    pub fn ideal_items_per_s(&self) -> Option<f64> {
        let rate =
            |threads: u32, us: u32| (us > 0).then(|| f64::from(threads) * 1e6 / f64::from(us));
        match (
            rate(self.producers, self.produce_us),
            rate(self.consumers, self.consume_us),
        ) {
            (Some(p), Some(c)) => Some(p.min(c)),
            (one, other) => one.or(other),
        }
    }
}

impl Default for QueueParams {
    fn default() -> Self {
        QueueParams {
            producers: 2,
            consumers: 2,
            capacity: 8,
            items: 2000,
            produce_us: 200,
            consume_us: 400,
        }
    }
}

impl QueueParams {
    pub fn validate(&self, lanes: u32) -> Result<(), String> {
        check_range("producers", self.producers, 1, MAX_THREADS)?;
        check_range("consumers", self.consumers, 1, MAX_THREADS)?;
        check_threads(
            "producers + consumers",
            self.producers + self.consumers,
            2,
            lanes,
        )?;
        check_range("capacity", self.capacity, 1, 10_000)?;
        check_range("items", self.items, 1, 200_000)?;
        check_range("produce_us", self.produce_us, 0, 100_000)?;
        check_range("consume_us", self.consume_us, 0, 100_000)?;
        // Keep one run under about a minute even at the slowest settings.
        let slowest = u64::from(self.items) * u64::from(self.produce_us.max(self.consume_us))
            / u64::from(self.producers.min(self.consumers));
        if slowest > 60_000_000 {
            return Err(
                "items × work per item would take more than a minute: use fewer items or less work"
                    .into(),
            );
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueReport {
    pub lab: &'static str,
    pub producers: u32,
    pub consumers: u32,
    pub capacity: u32,
    pub produced: u32,
    pub consumed: u32,
    /// Items consumed more than once.
    pub duplicates: u32,
    /// Items never consumed.
    pub missing: u32,
    pub items_per_s: f64,
    /// The rate with no waiting at all ([`QueueParams::ideal_items_per_s`]).
    pub ideal_items_per_s: Option<f64>,
    pub ms: f64,
    pub max_occupancy: u32,
    /// Total time producers waited for room, and consumers for items.
    pub producer_blocked_ms: f64,
    pub consumer_blocked_ms: f64,
    /// `(ms since start, items in the queue)`, thinned to at most 400 points.
    pub occupancy: Vec<(f64, u32)>,
}

/// Keeps at most `max` points, evenly spaced, always the first and the last.
pub fn thin<T: Clone>(points: &[T], max: usize) -> Vec<T> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let step = (points.len() - 1) as f64 / (max - 1) as f64;
    (0..max)
        .map(|i| points[((i as f64 * step).round() as usize).min(points.len() - 1)].clone())
        .collect()
}

/// Counts duplicates and missing items from per-item consumption counts.
pub fn audit(consumed_counts: &[u32]) -> (u32, u32) {
    let duplicates = consumed_counts.iter().filter(|&&c| c > 1).count() as u32;
    let missing = consumed_counts.iter().filter(|&&c| c == 0).count() as u32;
    (duplicates, missing)
}

// ---------------------------------------------------------------------------------------
// Starvation and livelock

/// What the two threads of the starvation tab do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StarvationScenario {
    /// Two threads run the same loop on a lock that keeps no order among its waiters: the
    /// one that lets go asks again at once and gets it back before the other, asleep while
    /// it waits, looks again.
    UnfairLock,
    /// The same two threads on a ticket lock: first come, first served.
    FairLock,
    /// Two polite threads each hold one lock and want the other's; both let go and try
    /// again after the same fixed time, so they meet again, in step.
    Livelock,
    /// The same, each waiting a random time before trying again.
    RandomBackoff,
    /// One task more than the pool has threads, each needing all the others running at
    /// once: the one left over cannot get a thread until the others give up.
    PoolExhaustion,
}

impl StarvationScenario {
    pub const ALL: [StarvationScenario; 5] = [
        StarvationScenario::UnfairLock,
        StarvationScenario::FairLock,
        StarvationScenario::Livelock,
        StarvationScenario::RandomBackoff,
        StarvationScenario::PoolExhaustion,
    ];

    pub fn key(self) -> &'static str {
        match self {
            StarvationScenario::UnfairLock => "unfair-lock",
            StarvationScenario::FairLock => "fair-lock",
            StarvationScenario::Livelock => "livelock",
            StarvationScenario::RandomBackoff => "random-backoff",
            StarvationScenario::PoolExhaustion => "pool-exhaustion",
        }
    }

    pub fn is_livelock(self) -> bool {
        matches!(
            self,
            StarvationScenario::Livelock | StarvationScenario::RandomBackoff
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StarvationParams {
    pub scenario: StarvationScenario,
    /// How long both threads keep at it; in `pool-exhaustion`, how long each task waits for
    /// the others before it gives up.
    pub duration_ms: u32,
}

impl Default for StarvationParams {
    fn default() -> Self {
        StarvationParams {
            scenario: StarvationScenario::UnfairLock,
            duration_ms: 600,
        }
    }
}

impl StarvationParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("duration_ms", self.duration_ms, 100, 3000)
    }
}

/// One of the threads: how often it got what it wanted and how long it waited.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StarvationThread {
    /// Times it held the lock (lock scenarios) or both locks (livelock scenarios); in
    /// `pool-exhaustion`, 1 if it found all the other tasks running with it.
    pub done: u32,
    /// Longest stretch from wanting to getting, or to the end of the run if it never got it;
    /// in `pool-exhaustion`, how long the task waited for a thread to run on.
    pub longest_wait_ms: f64,
    /// Livelock scenarios: times it had to let go of its first lock and start again.
    pub retries: u32,
}

/// A wait for one turn this long is starvation: the lock scenarios' turns take 0.3 ms, so
/// the other thread had over 150 turns meanwhile.
pub const STARVED_WAIT_MS: f64 = 50.0;

/// How a starvation run went, judged from its counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StarvationVerdict {
    /// A thread waited [`STARVED_WAIT_MS`] or longer for a single turn.
    Starved,
    /// Both threads got their turns.
    Shared,
    /// Both threads kept busy letting go and retrying: ten retries or more per job done.
    Livelocked,
    /// Jobs got done despite collisions.
    Progressed,
    /// A task never met the others: it got a thread only after they had given up.
    Exhausted,
}

impl StarvationVerdict {
    pub fn of(scenario: StarvationScenario, threads: &[StarvationThread]) -> StarvationVerdict {
        let done: u32 = threads.iter().map(|t| t.done).sum();
        if scenario == StarvationScenario::PoolExhaustion {
            if threads.iter().any(|t| t.done == 0) {
                StarvationVerdict::Exhausted
            } else {
                StarvationVerdict::Progressed
            }
        } else if scenario.is_livelock() {
            let retries: u32 = threads.iter().map(|t| t.retries).sum();
            if retries > 0 && retries >= done.saturating_mul(10) {
                StarvationVerdict::Livelocked
            } else {
                StarvationVerdict::Progressed
            }
        } else if threads.iter().any(|t| t.longest_wait_ms >= STARVED_WAIT_MS) {
            StarvationVerdict::Starved
        } else {
            StarvationVerdict::Shared
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StarvationReport {
    pub lab: &'static str,
    pub scenario: StarvationScenario,
    /// T1, T2 (and in `pool-exhaustion` one per task, a task more than the pool's threads).
    pub threads: Vec<StarvationThread>,
    pub verdict: StarvationVerdict,
    pub ms: f64,
}

#[cfg(test)]
mod starvation_tests {
    use super::*;

    fn thread(done: u32, retries: u32) -> StarvationThread {
        StarvationThread {
            done,
            retries,
            longest_wait_ms: 0.0,
        }
    }

    fn waited(done: u32, longest_wait_ms: f64) -> StarvationThread {
        StarvationThread {
            done,
            retries: 0,
            longest_wait_ms,
        }
    }

    #[test]
    fn verdicts_follow_the_counts() {
        use StarvationScenario::*;
        use StarvationVerdict::*;
        let of = StarvationVerdict::of;
        // Long streaks starve even when the totals end up close.
        assert_eq!(
            of(UnfairLock, &[waited(1367, 182.7), waited(597, 415.0)]),
            Starved
        );
        assert_eq!(
            of(UnfairLock, &[waited(900, 49.9), waited(800, 2.0)]),
            Shared
        );
        assert_eq!(of(FairLock, &[waited(785, 2.4), waited(786, 2.5)]), Shared);
        assert_eq!(of(Livelock, &[thread(0, 70), thread(0, 70)]), Livelocked);
        assert_eq!(of(Livelock, &[thread(7, 70), thread(0, 70)]), Livelocked);
        assert_eq!(of(Livelock, &[thread(8, 70), thread(8, 70)]), Progressed);
        assert_eq!(
            of(RandomBackoff, &[thread(30, 5), thread(28, 6)]),
            Progressed
        );
        assert_eq!(of(RandomBackoff, &[thread(0, 0), thread(0, 0)]), Progressed);
        let met = [thread(1, 0), thread(1, 0), thread(1, 0)];
        assert_eq!(of(PoolExhaustion, &met), Progressed);
        assert_eq!(
            of(PoolExhaustion, &[thread(0, 0), thread(0, 0), thread(0, 0)]),
            Exhausted
        );
        let json = serde_json::to_string(&StarvationParams::default()).unwrap();
        assert_eq!(json, r#"{"scenario":"unfair-lock","duration_ms":600}"#);
        assert!(
            StarvationParams {
                duration_ms: 99,
                ..StarvationParams::default()
            }
            .validate()
            .unwrap_err()
            .contains("duration_ms")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::parse_json;

    #[test]
    fn defaults_validate_on_a_six_lane_pool() {
        assert!(RaceParams::default().validate(6).is_ok());
        assert!(DeadlockParams::default().validate(6).is_ok());
        assert!(SemaphoreParams::default().validate(6).is_ok());
        assert!(SignalParams::default().validate(6).is_ok());
        assert!(QueueParams::default().validate(6).is_ok());
    }

    #[test]
    fn bounds_are_named_in_messages() {
        let p = RaceParams {
            threads: 9,
            ..RaceParams::default()
        };
        assert_eq!(
            p.validate(6).unwrap_err(),
            "threads must be between 1 and 6 (got 9)"
        );
        let q = QueueParams {
            producers: 4,
            consumers: 4,
            ..QueueParams::default()
        };
        assert_eq!(
            q.validate(6).unwrap_err(),
            "producers + consumers must be between 2 and 6 (got 8)"
        );
        assert!(
            DeadlockParams::default()
                .validate(1)
                .unwrap_err()
                .contains("needs 2 worker threads")
        );
        let slow = QueueParams {
            items: 200_000,
            consume_us: 100_000,
            produce_us: 100_000,
            producers: 1,
            consumers: 1,
            capacity: 8,
        };
        assert!(slow.validate(6).unwrap_err().contains("more than a minute"));
    }

    #[test]
    fn console_json_uses_readable_names() {
        let p: RaceParams = parse_json("race", r#"{"threads": 4, "variant": "atomic"}"#).unwrap();
        assert_eq!(
            (p.threads, p.variant, p.iterations),
            (4, RaceVariant::Atomic, 1_000_000)
        );
        let d: DeadlockParams =
            parse_json("deadlock", r#"{"fix": true, "scenario": "self-lock"}"#).unwrap();
        assert_eq!((d.fix, d.scenario), (true, DeadlockScenario::SelfLock));
        let s: SignalParams = parse_json("signals", r#"{"kind": "barrier"}"#).unwrap();
        assert_eq!(s.kind, SignalKind::Barrier);
        assert!(parse_json::<RaceParams>("race", r#"{"variant": "gil"}"#).is_err());
    }

    #[test]
    fn race_report_counts_wrong_runs_and_builds_the_histogram() {
        let params = RaceParams {
            threads: 2,
            iterations: 10,
            ..RaceParams::default()
        };
        let run = |final_balance, lost_updates, ms| RaceRun {
            final_balance,
            lost_updates,
            ms,
        };
        let report = race_report(
            &params,
            vec![run(-8, 3, 2.0), run(0, 0, 1.0), run(-8, 1, 3.0)],
        )
        .unwrap();
        assert_eq!(report.final_balance, -8);
        assert_eq!(report.runs_with_wrong_balance, 2);
        assert_eq!(report.histogram, vec![(-8, 2), (0, 1)]);
        assert_eq!(report.updates_per_run, 40);
        assert!((report.ns_per_update - 2.0e6 / 40.0).abs() < 1e-9);
        assert!(race_report(&params, vec![]).is_none());
    }

    #[test]
    fn amounts_follow_the_classic_example() {
        assert_eq!((race_amount(0), race_amount(1)), (5, 8));
        assert_eq!(race_amount(8), 5);
    }

    #[test]
    fn thinning_keeps_ends_and_bounds_length() {
        let points: Vec<u32> = (0..1000).collect();
        let thinned = thin(&points, 5);
        assert_eq!(thinned, vec![0, 250, 500, 749, 999]);
        assert_eq!(thin(&points[..3], 5), vec![0, 1, 2]);
    }

    #[test]
    fn audit_finds_duplicates_and_gaps() {
        assert_eq!(audit(&[1, 1, 2, 0, 1]), (1, 1));
        assert_eq!(audit(&[1, 1, 1]), (0, 0));
    }

    #[test]
    fn the_ideal_queue_rate_is_the_slower_side_with_no_waiting() {
        let params = |producers, consumers, produce_us, consume_us| QueueParams {
            producers,
            consumers,
            produce_us,
            consume_us,
            ..QueueParams::default()
        };
        // Defaults: 2 producers at 200 µs (10 000/s) against 2 consumers at 400 µs (5 000/s).
        assert_eq!(params(2, 2, 200, 400).ideal_items_per_s(), Some(5000.0));
        assert_eq!(params(1, 4, 500, 400).ideal_items_per_s(), Some(2000.0));
        assert_eq!(params(2, 2, 0, 250).ideal_items_per_s(), Some(8000.0));
        assert_eq!(params(2, 2, 0, 0).ideal_items_per_s(), None);
    }
}
