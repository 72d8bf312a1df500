//! Native figures for the cores lab's kernel, to compare with wasm in the browser.
//!
//! Prints the single-thread render time of the default view (median of 5) and the IO lab's
//! select / poll / epoll costs (the very measuring loop the browser runs), and writes them to
//! `target/bench-native.json`, which `make bench` sets beside the wasm figures measured in
//! headless Chromium to print wasm/native ratios. A benchmark, not a test: it asserts
//! nothing about speed.

#![expect(
    clippy::disallowed_methods,
    reason = "native benchmark: Instant is fine outside the browser"
)]

use concurrency_lab::model::labs::cores::CoresParams;
use concurrency_lab::model::labs::io::{SelectEpollParams, measure_select_epoll};
use concurrency_lab::model::mandelbrot::render_all;
use concurrency_lab::model::stats::Summary;
use std::time::Instant;

fn main() {
    let params = CoresParams::default();
    let view = params.view();
    let mut samples = Vec::new();
    let mut checksum = 0;
    for _ in 0..5 {
        let start = Instant::now();
        let (_, sum) = render_all(&view);
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
        checksum = sum;
    }
    let s = Summary::of(&samples).expect("five finite samples");
    println!(
        "native mandelbrot {}x{} max_iter {}: median {:.1} ms (min {:.1}, max {:.1}), checksum {checksum}",
        view.width, view.height, view.max_iter, s.median, s.min, s.max
    );
    let io = select_epoll();
    let json = format!(
        "{{\"native_single_ms\": {:.3}, \"checksum\": {checksum}, \"io\": {io}}}\n",
        s.median
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let _ = std::fs::create_dir_all(&dir);
    if let Err(e) = std::fs::write(dir.join("bench-native.json"), json) {
        eprintln!("could not write target/bench-native.json: {e}");
    }
}

/// The IO lab's readiness checks, natively: ns per wait at each size and the log-log slopes.
/// Returns the report as JSON.
fn select_epoll() -> String {
    let params = SelectEpollParams::default();
    let origin = Instant::now();
    let now_ms = || origin.elapsed().as_secs_f64() * 1000.0;
    let report = measure_select_epoll(&params, &now_ms, &mut || true).expect("never stopped");
    for p in &report.points {
        println!(
            "native select/poll/epoll n = {:>6}: select {:>12}, poll {:>9.0} ns, epoll {:>5.0} ns per wait",
            p.n,
            p.select_ns
                .map_or("refused".to_string(), |ns| format!("{ns:.0} ns")),
            p.poll_ns,
            p.epoll_ns
        );
    }
    let slope = |s: Option<f64>| s.map_or("-".to_string(), |s| format!("{s:.2}"));
    println!(
        "native log-log slopes (n = 100 ... 100 000, {} ready): select {}, poll {}, epoll {} (goal: ~1, ~1, ~0)",
        params.ready,
        slope(report.slopes.select),
        slope(report.slopes.poll),
        slope(report.slopes.epoll)
    );
    serde_json::to_string(&report).expect("a report serialises")
}
