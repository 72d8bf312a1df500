//! The IO models lab: the readiness checks behind IO multiplexing, as real data structures.
//!
//! `select` copies a bitmap of interesting descriptors in, scans all of them, and copies a
//! bitmap out, which the caller scans again; it refuses more than `FD_SETSIZE` (1024).
//! `poll` scans an array of `pollfd`s with no such limit. `epoll` registers interest once and
//! keeps a ready list that readiness fills as it happens, so a wait touches only the ready
//! entries. Each check counts the entries it touches, so tests check the shape of the cost
//! (operations) and the runtime times the very same code.

use crate::model::params::check_range;
use crate::model::rng::SplitMix64;
use serde::{Deserialize, Serialize};
use std::hint::black_box;

pub mod steps;

/// `FD_SETSIZE` on Linux: the most descriptors `select` can watch.
pub const FD_SETSIZE: usize = 1024;
/// Descriptor counts measured, smallest first (those up to `max_fds`).
pub const SIZES: [usize; 9] = [10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000];

/// The table of descriptors a multiplexer watches: which are ready now.
#[derive(Clone, Debug)]
pub struct FdTable {
    ready: Vec<bool>,
}

impl FdTable {
    /// `n` descriptors of which `ready` (spread evenly) have data.
    pub fn new(n: usize, ready: usize) -> FdTable {
        let mut table = vec![false; n];
        let ready = ready.min(n);
        for i in 0..ready {
            table[i * n / ready.max(1)] = true;
        }
        FdTable { ready: table }
    }

    pub fn len(&self) -> usize {
        self.ready.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ready.is_empty()
    }

    /// The ready descriptors, in order.
    pub fn ready_fds(&self) -> Vec<usize> {
        (0..self.ready.len()).filter(|&fd| self.ready[fd]).collect()
    }
}

/// What one wait returned: the ready descriptors and the entries it touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    pub ready: Vec<usize>,
    pub touched: usize,
}

const WORD: usize = 64;

/// `select(n, &readfds, …)`: the caller fills a bitmap, the kernel copies it in, checks every
/// descriptor below `n`, copies the result out; the caller scans the result for set bits.
pub fn select(table: &FdTable) -> Result<Wait, String> {
    let n = table.len();
    if n > FD_SETSIZE {
        return Err(t!("io.model.select_too_many", n = n, limit = FD_SETSIZE).to_string());
    }
    let mut user = [0u64; FD_SETSIZE / WORD];
    for fd in 0..n {
        user[fd / WORD] |= 1 << (fd % WORD);
    }
    // Into the kernel: the whole set is copied on every call.
    let interest = user;
    let mut result = [0u64; FD_SETSIZE / WORD];
    let mut touched = 0;
    for fd in 0..n {
        touched += 1;
        if interest[fd / WORD] & (1 << (fd % WORD)) != 0 && table.ready[fd] {
            result[fd / WORD] |= 1 << (fd % WORD);
        }
    }
    // Back out, and the caller must test every bit it asked about.
    user = result;
    let mut ready = Vec::new();
    for fd in 0..n {
        touched += 1;
        if user[fd / WORD] & (1 << (fd % WORD)) != 0 {
            ready.push(fd);
        }
    }
    Ok(Wait { ready, touched })
}

/// One `struct pollfd`.
#[derive(Clone, Copy, Debug)]
pub struct PollFd {
    pub fd: usize,
    pub revents: bool,
}

/// `poll(fds, n)`: the kernel walks the whole array and sets `revents`; the caller walks it
/// again. No limit on `n`, but every call costs O(n).
pub fn poll(table: &FdTable, fds: &mut [PollFd]) -> Wait {
    let mut touched = 0;
    for entry in fds.iter_mut() {
        touched += 1;
        entry.revents = table.ready[entry.fd];
    }
    let mut ready = Vec::new();
    for entry in fds.iter() {
        touched += 1;
        if entry.revents {
            ready.push(entry.fd);
        }
    }
    Wait { ready, touched }
}

/// An epoll instance: interest registered once (`epoll_ctl`), and a ready list that the
/// descriptors' wake-ups fill as data arrives.
#[derive(Clone, Debug, Default)]
pub struct Epoll {
    interest: Vec<bool>,
    ready_list: Vec<usize>,
}

impl Epoll {
    /// `epoll_create` + one `epoll_ctl(ADD)` per descriptor: O(n), once.
    pub fn register(n: usize) -> Epoll {
        Epoll {
            interest: vec![true; n],
            ready_list: Vec::new(),
        }
    }

    /// Data arrived on `fd`: its wake-up callback appends it to the ready list (O(1)).
    pub fn became_ready(&mut self, fd: usize) {
        if self.interest.get(fd).copied().unwrap_or(false) {
            self.ready_list.push(fd);
        }
    }

    /// `epoll_wait`: hands over the ready list; touches only the ready entries.
    pub fn wait(&mut self) -> Wait {
        let ready = std::mem::take(&mut self.ready_list);
        Wait {
            touched: ready.len(),
            ready,
        }
    }
}

/// `run("io-models", {connections, delay_ms, bytes, seed})`: the same requests under each model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IoModelsParams {
    pub connections: u32,
    pub delay_ms: u32,
    pub bytes: u32,
    /// 0: every answer takes exactly `delay_ms`; otherwise each connection's delay is drawn
    /// from `delay_ms / 2 ..= 3 * delay_ms / 2` by this seed, so answers arrive out of order.
    pub seed: u32,
}

impl Default for IoModelsParams {
    fn default() -> Self {
        IoModelsParams {
            connections: 10,
            delay_ms: 200,
            bytes: 1024,
            seed: 1,
        }
    }
}

/// The largest seed accepted (any value works; a bound keeps the field checkable).
pub const MAX_SEED: u32 = 1_000_000;

/// Most connections one run opens (thread-per-connection starts a Worker for each).
pub const MAX_CONNECTIONS: u32 = 16;

impl IoModelsParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("connections", self.connections, 1, MAX_CONNECTIONS)?;
        check_range("delay_ms", self.delay_ms, 10, 2000)?;
        check_range("bytes", self.bytes, 0, 65_536)?;
        check_range("seed", self.seed, 0, MAX_SEED)
    }

    /// Each connection's server delay in ms: the same workload for the real run and the model.
    pub fn delays_ms(&self) -> Vec<u32> {
        let mut rng = SplitMix64::new(u64::from(self.seed));
        (0..self.connections)
            .map(|_| match self.seed {
                0 => self.delay_ms,
                _ => self.delay_ms / 2 + rng.below(u64::from(self.delay_ms) + 1) as u32,
            })
            .collect()
    }
}

/// The models, in the order the notes present them.
pub const IO_MODELS: [&str; 5] = [
    "blocking",
    "thread-per-connection",
    "non-blocking",
    "multiplexing",
    "async",
];

/// What each model's handling thread does, in the page's language (`None`: not a model).
pub fn io_model_summary(name: &str) -> Option<String> {
    let text = match name {
        "blocking" => t!("io.model.summary_blocking"),
        "thread-per-connection" => t!("io.model.summary_threads"),
        "non-blocking" => t!("io.model.summary_non_blocking"),
        "multiplexing" => t!("io.model.summary_multiplexing"),
        "async" => t!("io.model.summary_async"),
        _ => return None,
    };
    Some(text.to_string())
}

/// One model's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoModelRun {
    pub name: String,
    /// From the first request to the last byte handled.
    pub total_ms: f64,
    /// Time the lab's handling threads ran rather than slept (their clocks between waits);
    /// `None` for `async`, whose waiting is the page's loop doing other things.
    pub cpu_ms: Option<f64>,
    /// Requests made, plus readiness checks (non-blocking) or waits (multiplexing).
    pub calls: u64,
    pub bytes: u64,
    /// Each connection's life, ms after the model's start, in connection order.
    pub connections: Vec<ConnectionSpan>,
}

/// One connection: when its request went out, when its data was there (`None` where the
/// thread was blocked through both phases and cannot tell them apart), when it was handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionSpan {
    pub issued_ms: f64,
    pub ready_ms: Option<f64>,
    pub handled_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoModelsReport {
    pub connections: u32,
    pub delay_ms: u32,
    pub seed: u32,
    /// Each connection's server delay, as the seed drew it.
    pub delays_ms: Vec<u32>,
    pub models: Vec<IoModelRun>,
    /// The model's prediction for the same requests (no overheads, no copy cost).
    pub model: Vec<ModelTotal>,
}

/// What a model predicts for a model of IO: its total time and how long its handling threads
/// run, on a virtual clock with no overheads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelTotal {
    pub name: String,
    pub total_ms: f64,
    pub busy_ms: f64,
}

/// The five models on a virtual clock: connection `i`'s data is there `delays[i]` ms after its
/// request, and handling it (the second phase, the copy) takes `copy_ms` of a thread.
/// Blocking waits for each in turn; a thread per connection overlaps them all; the three
/// one-thread models handle each as it becomes ready, in arrival order, and differ in what
/// their thread does meanwhile: polling runs all the time, the others only to handle.
pub fn model_totals(delays: &[f64], copy_ms: f64) -> Vec<ModelTotal> {
    let copies = copy_ms * delays.len() as f64;
    let mut arrivals = delays.to_vec();
    arrivals.sort_by(f64::total_cmp);
    let one_thread = arrivals
        .iter()
        .fold(0.0f64, |t, &ready| t.max(ready) + copy_ms);
    let total = |name: &str, total_ms: f64, busy_ms: f64| ModelTotal {
        name: name.to_string(),
        total_ms,
        busy_ms,
    };
    vec![
        total("blocking", delays.iter().sum::<f64>() + copies, copies),
        total(
            "thread-per-connection",
            delays.iter().fold(0.0f64, |m, &d| m.max(d)) + copy_ms,
            copies,
        ),
        total("non-blocking", one_thread, one_thread),
        total("multiplexing", one_thread, copies),
        total("async", one_thread, copies),
    ]
}

/// `run("select-epoll", {max_fds, ready, repeats})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelectEpollParams {
    pub max_fds: u32,
    pub ready: u32,
    pub repeats: u32,
}

impl Default for SelectEpollParams {
    fn default() -> Self {
        SelectEpollParams {
            max_fds: 100_000,
            ready: 10,
            repeats: 200,
        }
    }
}

impl SelectEpollParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("max_fds", self.max_fds, 10, 100_000)?;
        check_range("ready", self.ready, 1, 10)?;
        check_range("repeats", self.repeats, 10, 2000)
    }

    /// The descriptor counts this run measures.
    pub fn sizes(&self) -> Vec<usize> {
        SIZES
            .iter()
            .copied()
            .filter(|&n| n <= self.max_fds as usize)
            .collect()
    }
}

/// Cost per wait at one descriptor count (`select_ns` is `None` above `FD_SETSIZE`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectPoint {
    pub n: u32,
    pub select_ns: Option<f64>,
    pub poll_ns: f64,
    pub epoll_ns: f64,
    /// Entries each wait touched: 2n, 2n and k.
    pub select_touched: Option<u32>,
    pub poll_touched: u32,
    pub epoll_touched: u32,
}

/// Slopes of log(cost) against log(n): ≈ 1 grows with n, ≈ 0 does not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slopes {
    pub select: Option<f64>,
    pub poll: Option<f64>,
    pub epoll: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelectEpollReport {
    pub ready: u32,
    pub repeats: u32,
    pub points: Vec<SelectPoint>,
    pub slopes: Slopes,
    /// What `select` says when asked for more than `FD_SETSIZE` descriptors.
    pub select_refusal: String,
}

/// Least-squares slope of log10(y) on log10(x); `None` with fewer than two usable points.
pub fn log_log_slope(points: &[(f64, f64)]) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0 && x.is_finite() && y.is_finite())
        .map(|(x, y)| (x.log10(), y.log10()))
        .collect();
    if logs.len() < 2 {
        return None;
    }
    let n = logs.len() as f64;
    let (mx, my) = (
        logs.iter().map(|p| p.0).sum::<f64>() / n,
        logs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxx: f64 = logs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Slopes are fitted from this many descriptors up: below it, each call's fixed costs (the
/// whole 1024-bit set copied whatever n is, the result list) hide the per-descriptor cost.
pub const SLOPE_FROM: u32 = 100;

/// The slopes of a set of measured points, from [`SLOPE_FROM`] descriptors up.
pub fn slopes(points: &[SelectPoint]) -> Slopes {
    let series = |f: &dyn Fn(&SelectPoint) -> Option<f64>| {
        log_log_slope(
            &points
                .iter()
                .filter(|p| p.n >= SLOPE_FROM)
                .filter_map(|p| f(p).map(|y| (f64::from(p.n), y)))
                .collect::<Vec<_>>(),
        )
    };
    Slopes {
        select: series(&|p| p.select_ns),
        poll: series(&|p| Some(p.poll_ns)),
        epoll: series(&|p| Some(p.epoll_ns)),
    }
}

/// Shortest span timed per figure: the browser's clock ticks every 5 µs at best.
const MIN_SPAN_MS: f64 = 2.0;

/// Rounds over all sizes; each figure is the fastest of its rounds, so a moment when the
/// machine was busy (or the compiler still at work) does not bend the curve.
pub const ROUNDS: usize = 3;

impl SelectEpollParams {
    /// How many figures a run measures (for progress).
    pub fn measurements(&self) -> usize {
        self.sizes().len() * ROUNDS
    }
}

/// Nanoseconds per call of `call` on the clock `now_ms`, multiplying the calls (from
/// `repeats`) until the timed span is long enough for the clock.
fn ns_per_call(now_ms: &dyn Fn() -> f64, repeats: u32, mut call: impl FnMut() -> usize) -> f64 {
    for _ in 0..repeats.min(16) {
        black_box(call());
    }
    let mut calls = u64::from(repeats);
    loop {
        let start = now_ms();
        for _ in 0..calls {
            black_box(call());
        }
        let elapsed = now_ms() - start;
        if elapsed >= MIN_SPAN_MS || calls >= 1 << 26 {
            return elapsed * 1e6 / calls as f64;
        }
        calls *= 4;
    }
}

/// Lets an optimising compiler (the browser's) finish with all three checks before anything
/// is timed (about 30 ms of calls), so the first sizes are not measured on slower code.
fn warm_up(now_ms: &dyn Fn() -> f64, ready: usize) {
    let table = FdTable::new(FD_SETSIZE, ready);
    let mut fds: Vec<PollFd> = (0..FD_SETSIZE)
        .map(|fd| PollFd { fd, revents: false })
        .collect();
    let mut epoll = Epoll::register(FD_SETSIZE);
    let until = now_ms() + 30.0;
    while now_ms() < until {
        black_box(select(&table).map(|w| w.touched).unwrap_or(0));
        black_box(poll(&table, &mut fds).touched);
        for fd in table.ready_fds() {
            epoll.became_ready(fd);
        }
        black_box(epoll.wait().touched);
    }
}

/// The whole measurement, on any clock: the browser's worker passes its clock, the native
/// benchmark `Instant`. `next` is called after each figure and stops the run (`None`) by
/// returning false.
pub fn measure_select_epoll(
    params: &SelectEpollParams,
    now_ms: &dyn Fn() -> f64,
    next: &mut dyn FnMut() -> bool,
) -> Option<SelectEpollReport> {
    let sizes = params.sizes();
    let ready = params.ready as usize;
    warm_up(now_ms, ready);
    let mut points: Vec<SelectPoint> = Vec::new();
    for round in 0..ROUNDS {
        for (index, &n) in sizes.iter().enumerate() {
            let point = measure_size(now_ms, n, ready, params.repeats);
            if round == 0 {
                points.push(point);
            } else {
                let best = &mut points[index];
                best.select_ns = best.select_ns.zip(point.select_ns).map(|(a, b)| a.min(b));
                best.poll_ns = best.poll_ns.min(point.poll_ns);
                best.epoll_ns = best.epoll_ns.min(point.epoll_ns);
            }
            if !next() {
                return None;
            }
        }
    }
    let select_refusal = select(&FdTable::new(FD_SETSIZE + 1, ready))
        .err()
        .unwrap_or_default();
    Some(SelectEpollReport {
        ready: params.ready,
        repeats: params.repeats,
        slopes: slopes(&points),
        points,
        select_refusal,
    })
}

/// One size: ns per wait and entries touched per wait, for all three.
fn measure_size(now_ms: &dyn Fn() -> f64, n: usize, ready: usize, repeats: u32) -> SelectPoint {
    let table = FdTable::new(n, ready);
    let (select_ns, select_touched) = match select(&table) {
        Ok(wait) => (
            Some(ns_per_call(now_ms, repeats, || {
                select(black_box(&table)).map_or(0, |w| w.ready.len())
            })),
            Some(wait.touched as u32),
        ),
        Err(_) => (None, None),
    };
    // The caller keeps its pollfd array between calls, as real code does.
    let mut fds: Vec<PollFd> = (0..n).map(|fd| PollFd { fd, revents: false }).collect();
    let poll_touched = poll(&table, &mut fds).touched as u32;
    let poll_ns = ns_per_call(now_ms, repeats, || {
        poll(black_box(&table), &mut fds).ready.len()
    });
    // Registered once; per wait, the ready descriptors' wake-ups fill the ready list (that is
    // where epoll does its work) and the wait hands the list over.
    let ready_fds = table.ready_fds();
    let mut epoll = Epoll::register(n);
    let mut epoll_touched = 0;
    let epoll_ns = ns_per_call(now_ms, repeats, || {
        for &fd in &ready_fds {
            epoll.became_ready(black_box(fd));
        }
        let wait = epoll.wait();
        epoll_touched = wait.touched;
        wait.ready.len()
    });
    SelectPoint {
        n: n as u32,
        select_ns,
        poll_ns,
        epoll_ns,
        select_touched,
        poll_touched,
        epoll_touched: epoll_touched as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_totals_of_a_hand_computed_three_connection_workload() {
        // Data after 100, 300 and 200 ms; 10 ms to handle each.
        let totals = model_totals(&[100.0, 300.0, 200.0], 10.0);
        let by = |name: &str| totals.iter().find(|t| t.name == name).unwrap().clone();
        // One after another: 110 + 310 + 210.
        assert_eq!(
            (by("blocking").total_ms, by("blocking").busy_ms),
            (630.0, 30.0)
        );
        assert_eq!(by("thread-per-connection").total_ms, 310.0);
        // One thread, in arrival order: handled at 110, 210, 310.
        assert_eq!(
            (by("non-blocking").total_ms, by("non-blocking").busy_ms),
            (310.0, 310.0)
        );
        assert_eq!(
            (by("multiplexing").total_ms, by("multiplexing").busy_ms),
            (310.0, 30.0)
        );
        assert_eq!(by("async").total_ms, 310.0);
        // Two arrivals at once: the second waits for the thread.
        let busy = model_totals(&[100.0, 100.0], 30.0);
        assert_eq!(busy[3].total_ms, 160.0);
        assert_eq!(busy[1].total_ms, 130.0, "a thread each: no waiting");
    }

    #[test]
    fn seeded_delays_are_spread_reproducible_and_bounded() {
        let equal = IoModelsParams {
            seed: 0,
            ..IoModelsParams::default()
        };
        assert_eq!(equal.delays_ms(), vec![200; 10]);
        let spread = IoModelsParams::default();
        let delays = spread.delays_ms();
        assert_eq!(delays, spread.delays_ms(), "the seed fixes them");
        assert!(
            delays.iter().all(|&d| (100..=300).contains(&d)),
            "{delays:?}"
        );
        assert!(delays.windows(2).any(|w| w[0] != w[1]), "{delays:?}");
        let other = IoModelsParams {
            seed: 2,
            ..IoModelsParams::default()
        };
        assert_ne!(other.delays_ms(), delays);
        let err = IoModelsParams {
            seed: MAX_SEED + 1,
            ..IoModelsParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.contains("seed"), "{err}");
    }

    #[test]
    fn io_model_bounds_are_named() {
        assert!(IoModelsParams::default().validate().is_ok());
        let err = IoModelsParams {
            connections: 17,
            ..IoModelsParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.contains("connections") && err.contains("16"), "{err}");
        assert_eq!(IO_MODELS.len(), 5);
        assert!(IO_MODELS.iter().all(|m| io_model_summary(m).is_some()));
        assert_eq!(
            io_model_summary("async").as_deref(),
            Some("fetch and await on the page's loop: told when each has finished")
        );
        assert_eq!(io_model_summary("threads"), None);
    }

    #[test]
    fn select_refuses_more_than_fd_setsize() {
        let err = select(&FdTable::new(1025, 10)).unwrap_err();
        assert!(
            err.contains("1025") && err.contains("FD_SETSIZE (1024)"),
            "{err}"
        );
        assert!(select(&FdTable::new(1024, 10)).is_ok());
    }

    #[test]
    fn all_three_find_the_same_ready_descriptors() {
        let table = FdTable::new(1000, 7);
        let expected = table.ready_fds();
        assert_eq!(expected.len(), 7);
        assert_eq!(select(&table).unwrap().ready, expected);
        let mut fds: Vec<PollFd> = (0..1000).map(|fd| PollFd { fd, revents: false }).collect();
        assert_eq!(poll(&table, &mut fds).ready, expected);
        let mut epoll = Epoll::register(1000);
        for &fd in &expected {
            epoll.became_ready(fd);
        }
        assert_eq!(epoll.wait().ready, expected);
        assert_eq!(
            epoll.wait().ready,
            Vec::<usize>::new(),
            "the ready list was handed over"
        );
    }

    #[test]
    fn select_and_poll_touch_every_entry_twice_while_epoll_touches_only_the_ready() {
        for n in [10, 100, 1000] {
            let table = FdTable::new(n, 5);
            assert_eq!(select(&table).unwrap().touched, 2 * n);
            let mut fds: Vec<PollFd> = (0..n).map(|fd| PollFd { fd, revents: false }).collect();
            assert_eq!(poll(&table, &mut fds).touched, 2 * n);
            let mut epoll = Epoll::register(n);
            for fd in table.ready_fds() {
                epoll.became_ready(fd);
            }
            assert_eq!(epoll.wait().touched, 5, "n = {n}");
        }
    }

    #[test]
    fn the_measuring_loop_runs_on_any_clock_and_stops_when_told() {
        // A clock that moves 3 ms per reading: every timed span is 3 ms of `repeats` calls.
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + 3.0);
            ticks.get()
        };
        let params = SelectEpollParams {
            max_fds: 3000,
            ready: 4,
            repeats: 10,
        };
        let mut figures = 0;
        let report = measure_select_epoll(&params, &clock, &mut || {
            figures += 1;
            true
        })
        .unwrap();
        assert_eq!(figures, params.measurements());
        assert_eq!(figures, 6 * ROUNDS);
        let ns: Vec<f64> = report.points.iter().map(|p| p.poll_ns).collect();
        assert_eq!(ns, vec![3e6 / 10.0; 6]);
        assert_eq!(report.points[5].select_ns, None, "3000 > FD_SETSIZE");
        assert_eq!(report.points[0].select_touched, Some(20));
        assert_eq!(report.points[5].epoll_touched, 4);
        let mut left = 2;
        let stopped = measure_select_epoll(&params, &clock, &mut || {
            left -= 1;
            left > 0
        });
        assert_eq!(stopped, None);
    }

    #[test]
    fn slopes_of_exact_power_laws() {
        let linear: Vec<(f64, f64)> = [10.0, 100.0, 1000.0]
            .iter()
            .map(|&x| (x, 3.0 * x))
            .collect();
        assert!((log_log_slope(&linear).unwrap() - 1.0).abs() < 1e-9);
        let flat: Vec<(f64, f64)> = [10.0, 100.0, 1000.0].iter().map(|&x| (x, 50.0)).collect();
        assert!(log_log_slope(&flat).unwrap().abs() < 1e-9);
        assert_eq!(log_log_slope(&[(10.0, 1.0)]), None);
    }

    #[test]
    fn sizes_stop_at_max_fds_and_bounds_are_named() {
        let params = SelectEpollParams {
            max_fds: 1000,
            ..SelectEpollParams::default()
        };
        assert_eq!(params.sizes(), vec![10, 30, 100, 300, 1000]);
        let err = SelectEpollParams {
            ready: 11,
            ..SelectEpollParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.contains("ready"), "{err}");
    }
}
