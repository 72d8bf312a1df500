//! wasm tests in headless Chromium, in a dedicated worker (which may block) with a real
//! pool of shared-memory workers: parallel answers equal sequential ones, telemetry from
//! workers is read back intact, and the conductor path used by the page works.
#![cfg(target_arch = "wasm32")]

use concurrency_lab::model::labs::cores::{CoresParams, Schedule};
use concurrency_lab::model::mandelbrot::{View, render_all, render_row};
use concurrency_lab::model::thread_state::ThreadState;
use concurrency_lab::runtime::labs::cores;
use concurrency_lab::runtime::telemetry::{self, Reader, Span};
use concurrency_lab::runtime::{cancel, pool};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::Mutex;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const THREADS: u32 = 2;

async fn ensure_pool() {
    assert!(
        concurrency_lab::runtime::env::cross_origin_isolated(),
        "the test runner must serve COOP/COEP"
    );
    assert_eq!(pool::start(THREADS).await, Ok(THREADS));
}

#[wasm_bindgen_test]
async fn parallel_render_equals_sequential_and_uses_several_workers() {
    ensure_pool().await;
    let view = View::classic(256, 160, 400);
    let (_, sequential) = render_all(&view);
    let workers = Mutex::new(BTreeSet::new());
    let parallel: u64 = (0..view.height)
        .into_par_iter()
        .map(|y| {
            workers
                .lock()
                .unwrap()
                .insert(rayon::current_thread_index());
            let mut row = vec![0; view.width as usize];
            render_row(&view, y, &mut row)
        })
        .sum();
    assert_eq!(parallel, sequential);
    assert!(
        workers.lock().unwrap().len() >= 2,
        "work ran on {:?}",
        workers.lock().unwrap()
    );
}

#[wasm_bindgen_test]
async fn spans_recorded_by_workers_are_read_back_exactly() {
    ensure_pool().await;
    telemetry::reset(0);
    let mut reader = Reader::default();
    (0..500u32).into_par_iter().for_each(|i| {
        let lane = rayon::current_thread_index().unwrap_or(0) as u32;
        telemetry::record(Span {
            lane,
            state: ThreadState::Working,
            label: i,
            start_ms: f64::from(i),
            end_ms: f64::from(i) + 0.5,
        });
    });
    let poll = reader.poll();
    assert!(poll.reset);
    assert_eq!(poll.dropped, 0);
    let labels: BTreeSet<u32> = poll.spans.iter().map(|s| s.label).collect();
    assert_eq!(labels, (0..500).collect());
    assert!(poll.spans.iter().all(|s| s.end_ms - s.start_ms == 0.5));
    assert!(
        reader.poll().spans.is_empty(),
        "a second poll returns only new spans"
    );
}

#[wasm_bindgen_test]
async fn overflowing_the_span_buffer_counts_drops() {
    ensure_pool().await;
    telemetry::reset(0);
    let extra = 100;
    for i in 0..(telemetry::CAPACITY + extra) {
        telemetry::record(Span {
            lane: 0,
            state: ThreadState::Working,
            label: i as u32,
            start_ms: 0.0,
            end_ms: 1.0,
        });
    }
    let poll = Reader::default().poll();
    assert_eq!(poll.spans.len(), telemetry::CAPACITY);
    assert_eq!(poll.dropped, extra as u64);
}

#[wasm_bindgen_test]
async fn cores_run_through_the_conductor_matches_one_thread() {
    ensure_pool().await;
    let params = CoresParams {
        threads: THREADS,
        width: 200,
        height: 120,
        max_iter: 300,
        ..CoresParams::default()
    };
    let outcome = cores::run(params.clone()).await.expect("run succeeds");
    let (_, expected) = render_all(&params.view());
    assert_eq!(outcome.report.checksum, expected);
    assert!(outcome.report.same_as_baseline);
    assert_eq!(outcome.image.len(), 200 * 120);
    assert!(
        outcome.report.lanes.len() >= 2,
        "lanes: {:?}",
        outcome.report.lanes
    );
    let chunks: u32 = outcome.report.lanes.iter().map(|l| l.chunks).sum();
    assert_eq!(chunks, params.chunk_count());
}

#[wasm_bindgen_test]
async fn interleaved_schedule_runs_every_task_on_one_worker() {
    ensure_pool().await;
    let params = CoresParams {
        threads: 2,
        schedule: Schedule::Interleaved,
        width: 120,
        height: 64,
        max_iter: 200,
        ..CoresParams::default()
    };
    let outcome = cores::run(params).await.expect("run succeeds");
    assert_eq!(
        outcome.report.lanes.len(),
        1,
        "one worker only: {:?}",
        outcome.report.lanes
    );
    let tasks: BTreeSet<u32> = outcome.row_task.iter().copied().collect();
    assert_eq!(tasks, BTreeSet::from([0, 1]));
}

#[wasm_bindgen_test]
async fn invalid_parameters_are_rejected_before_any_work() {
    ensure_pool().await;
    let err = cores::run(CoresParams {
        threads: 99,
        ..CoresParams::default()
    })
    .await
    .unwrap_err();
    assert_eq!(
        err,
        format!("threads must be between 1 and {THREADS} (got 99)")
    );
}

#[wasm_bindgen_test]
async fn a_cancelled_run_reports_cancelled() {
    ensure_pool().await;
    let big = CoresParams {
        threads: 2,
        width: 1024,
        height: 1024,
        max_iter: 20_000,
        ..CoresParams::default()
    };
    let cancel_soon = async {
        gloo::timers::future::TimeoutFuture::new(50).await;
        cancel::cancel_all();
    };
    let (result, ()) = futures::join!(cores::run(big), cancel_soon);
    assert_eq!(result.unwrap_err(), "cancelled");
}
