//! The IO models lab for real: the readiness checks of `select`, `poll` and `epoll` timed on a
//! pool worker, at descriptor counts from 10 to 100 000.

use crate::model::labs::io::{
    Epoll, FD_SETSIZE, FdTable, PollFd, SelectEpollParams, SelectEpollReport, SelectPoint, poll,
    select, slopes,
};
use crate::runtime::cancel::RunToken;
use crate::runtime::{clock, pool, telemetry};
use std::hint::black_box;

/// Shortest span timed per figure: the browser's clock ticks every 5 µs at best.
const MIN_SPAN_MS: f64 = 2.0;

/// Nanoseconds per call of `call`, doubling the calls (from `repeats`) until the timed span
/// is long enough for the clock.
fn ns_per_call(repeats: u32, mut call: impl FnMut() -> usize) -> f64 {
    for _ in 0..repeats.min(16) {
        black_box(call());
    }
    let mut calls = u64::from(repeats);
    loop {
        let start = clock::now_ms();
        for _ in 0..calls {
            black_box(call());
        }
        let elapsed = clock::now_ms() - start;
        if elapsed >= MIN_SPAN_MS || calls >= 1 << 26 {
            return elapsed * 1e6 / calls as f64;
        }
        calls *= 4;
    }
}

/// Lets the browser's optimising compiler finish with all three checks before anything is
/// timed (about 30 ms of calls), so the first sizes are not measured on slower code.
fn warm_up(ready: usize) {
    let table = FdTable::new(FD_SETSIZE, ready);
    let mut fds: Vec<PollFd> = (0..FD_SETSIZE)
        .map(|fd| PollFd { fd, revents: false })
        .collect();
    let mut epoll = Epoll::register(FD_SETSIZE);
    let until = clock::now_ms() + 30.0;
    while clock::now_ms() < until {
        black_box(select(&table).map(|w| w.touched).unwrap_or(0));
        black_box(poll(&table, &mut fds).touched);
        for fd in table.ready_fds() {
            epoll.became_ready(fd);
        }
        black_box(epoll.wait().touched);
    }
}

/// `run("select-epoll")`: cost per wait against the number of descriptors watched.
pub async fn select_epoll(params: SelectEpollParams) -> Result<SelectEpollReport, String> {
    params.validate()?;
    pool::submit(move |token| measure(&params, token)).await?
}

/// Rounds over all sizes; each figure is the fastest of its rounds, so a moment when the
/// machine was busy (or the compiler still at work) does not bend the curve.
const ROUNDS: usize = 3;

fn measure(params: &SelectEpollParams, token: RunToken) -> Result<SelectEpollReport, String> {
    let sizes = params.sizes();
    telemetry::reset((sizes.len() * ROUNDS) as u64);
    let ready = params.ready as usize;
    warm_up(ready);
    let mut points: Vec<SelectPoint> = Vec::new();
    for round in 0..ROUNDS {
        for (index, &n) in sizes.iter().enumerate() {
            if token.is_cancelled() {
                return Err("cancelled".into());
            }
            let point = measure_size(n, ready, params.repeats);
            if round == 0 {
                points.push(point);
            } else {
                let best = &mut points[index];
                best.select_ns = best.select_ns.zip(point.select_ns).map(|(a, b)| a.min(b));
                best.poll_ns = best.poll_ns.min(point.poll_ns);
                best.epoll_ns = best.epoll_ns.min(point.epoll_ns);
            }
            telemetry::progress_add(1);
        }
    }
    let select_refusal = select(&FdTable::new(FD_SETSIZE + 1, ready))
        .err()
        .unwrap_or_default();
    Ok(SelectEpollReport {
        ready: params.ready,
        repeats: params.repeats,
        slopes: slopes(&points),
        points,
        select_refusal,
    })
}

/// One size: ns per wait and entries touched per wait, for all three.
fn measure_size(n: usize, ready: usize, repeats: u32) -> SelectPoint {
    let table = FdTable::new(n, ready);
    let (select_ns, select_touched) = match select(&table) {
        Ok(wait) => (
            Some(ns_per_call(repeats, || {
                select(black_box(&table)).map_or(0, |w| w.ready.len())
            })),
            Some(wait.touched as u32),
        ),
        Err(_) => (None, None),
    };
    // The caller keeps its pollfd array between calls, as real code does.
    let mut fds: Vec<PollFd> = (0..n).map(|fd| PollFd { fd, revents: false }).collect();
    let poll_touched = poll(&table, &mut fds).touched as u32;
    let poll_ns = ns_per_call(repeats, || poll(black_box(&table), &mut fds).ready.len());
    // Registered once; per wait, the ready descriptors' wake-ups fill the ready list (that is
    // where epoll does its work) and the wait hands the list over.
    let ready_fds = table.ready_fds();
    let mut epoll = Epoll::register(n);
    let mut epoll_touched = 0;
    let epoll_ns = ns_per_call(repeats, || {
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
