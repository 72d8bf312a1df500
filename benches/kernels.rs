//! Native figures for the cores lab's kernel, to compare with wasm in the browser.
//!
//! Prints the single-thread render time of the default view (median of 5) and writes it to
//! `target/bench-native.json`, which `make bench` sets beside the wasm figure measured in
//! headless Chromium to print the wasm/native ratio. A benchmark, not a test: it asserts
//! nothing about speed.

#![expect(
    clippy::disallowed_methods,
    reason = "native benchmark: Instant is fine outside the browser"
)]

use concurrency_lab::model::labs::cores::CoresParams;
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
    let json = format!(
        "{{\"native_single_ms\": {:.3}, \"checksum\": {checksum}}}\n",
        s.median
    );
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let _ = std::fs::create_dir_all(&dir);
    if let Err(e) = std::fs::write(dir.join("bench-native.json"), json) {
        eprintln!("could not write target/bench-native.json: {e}");
    }
}
