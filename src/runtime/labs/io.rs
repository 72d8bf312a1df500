//! The IO models lab for real: the readiness checks of `select`, `poll` and `epoll` timed on a
//! pool worker, at descriptor counts from 10 to 100 000; and the same requests (answered by
//! the site's service worker after a real delay) under blocking, thread-per-connection,
//! non-blocking polling, multiplexing and async IO.

use crate::model::labs::io::{
    ConnectionSpan, IoModelRun, IoModelsParams, IoModelsReport, model_totals,
};
use crate::model::labs::io::{SelectEpollParams, SelectEpollReport, measure_select_epoll};
use crate::runtime::cancel::RunToken;
use crate::runtime::process::Process;
use crate::runtime::sync::{Actor, park};
use crate::runtime::{clock, env, pool, telemetry};
use serde::Deserialize;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `run("select-epoll")`: cost per wait against the number of descriptors watched, timed on
/// a pool worker by the model's own measuring loop (the native benchmark runs the same).
pub async fn select_epoll(params: SelectEpollParams) -> Result<SelectEpollReport, String> {
    params.validate()?;
    pool::submit(move |token| {
        telemetry::reset(params.measurements() as u64);
        measure_select_epoll(&params, &clock::now_ms, &mut || {
            telemetry::progress_add(1);
            !token.is_cancelled()
        })
        .ok_or_else(|| "cancelled".to_string())
    })
    .await?
}

// ---- the four IO models on real requests ----

#[wasm_bindgen(module = "/src/runtime/labs/io.js")]
extern "C" {
    #[wasm_bindgen(js_name = ensureServiceWorker)]
    fn ensure_service_worker(timeout_ms: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_name = delayUrl)]
    fn delay_url(ms: u32, bytes: u32, tag: &str) -> String;
    #[wasm_bindgen(js_name = startRequests)]
    fn start_requests(
        memory: JsValue,
        flags_ptr: u32,
        word_ptr: u32,
        urls: js_sys::Array,
    ) -> js_sys::Promise;
    #[wasm_bindgen(js_name = fetchAll)]
    fn fetch_all(urls: js_sys::Array) -> js_sys::Promise;
}

static RUN_TAG: AtomicU32 = AtomicU32::new(0);

/// One URL per connection, each answered after that connection's seeded delay.
fn urls(params: &IoModelsParams, model: &str) -> Vec<String> {
    let run = RUN_TAG.fetch_add(1, Ordering::Relaxed);
    params
        .delays_ms()
        .iter()
        .enumerate()
        .map(|(i, &ms)| delay_url(ms, params.bytes, &format!("{model}-{run}-{i}")))
        .collect()
}

fn js_array(urls: &[String]) -> js_sys::Array {
    urls.iter().map(|u| JsValue::from_str(u)).collect()
}

#[derive(Deserialize)]
struct BlockedRequest {
    /// When the request went out, ms after the Worker received the work (its own clock).
    start_ms: f64,
    ms: f64,
    bytes: u64,
    status: u32,
}

#[derive(Deserialize)]
struct BlockedRun {
    requests: Vec<BlockedRequest>,
    total_ms: f64,
}

/// A blocked request's life: both phases in one blocking call, so no separate arrival time.
fn blocked_span(request: &BlockedRequest) -> ConnectionSpan {
    ConnectionSpan {
        issued_ms: request.start_ms,
        ready_ms: None,
        handled_ms: request.start_ms + request.ms,
    }
}

/// Synchronous requests in `process`, one after another; what its thread did.
async fn blocked_requests(
    process: &Process,
    urls: &[String],
    limit_ms: u32,
) -> Result<BlockedRun, String> {
    let answer = process
        .request("xhr", &[("urls", js_array(urls).into())], limit_ms)
        .await?;
    let run: BlockedRun = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    if let Some(bad) = run.requests.iter().find(|r| r.status != 200) {
        return Err(format!("a request answered {} instead of 200", bad.status));
    }
    Ok(run)
}

/// `run("io-models")`: the same requests, each answered by the site's service worker after
/// `delay_ms`, under the five models; every request is really made and really waited for.
pub async fn io_models(params: IoModelsParams) -> Result<IoModelsReport, String> {
    params.validate()?;
    JsFuture::from(ensure_service_worker(10_000))
        .await
        .map_err(|e| {
            format!(
                "the IO lab needs the site's service worker: {}",
                env::js_error_text(&e)
            )
        })?;
    let n = params.connections;
    // The longest seeded delay is 3/2 of delay_ms.
    let limit = (params.delay_ms * 3 / 2 * n + 20_000).min(120_000);
    let mut models = Vec::new();

    // Blocking: one thread (a Worker of its own), one request after another.
    let single = Process::spawn("io-blocking", 0).await?;
    let start = clock::now_ms();
    let run = blocked_requests(&single, &urls(&params, "blocking"), limit).await;
    let total_ms = clock::now_ms() - start;
    single.terminate();
    let run = run?;
    models.push(IoModelRun {
        name: "blocking".into(),
        total_ms,
        cpu_ms: Some((run.total_ms - run.requests.iter().map(|r| r.ms).sum::<f64>()).max(0.0)),
        calls: u64::from(n),
        bytes: run.requests.iter().map(|r| r.bytes).sum(),
        connections: run.requests.iter().map(blocked_span).collect(),
    });

    // Thread per connection: one blocked Worker per request, all at once (started first).
    let workers = Process::spawn_many("io-connection", n, 0).await?;
    let all = urls(&params, "thread");
    let start = clock::now_ms();
    let runs = futures::future::try_join_all(
        workers
            .iter()
            .zip(&all)
            .map(|(p, url)| blocked_requests(p, std::slice::from_ref(url), limit)),
    )
    .await;
    let total_ms = clock::now_ms() - start;
    workers.iter().for_each(Process::terminate);
    let runs = runs?;
    models.push(IoModelRun {
        name: "thread-per-connection".into(),
        total_ms,
        cpu_ms: Some(
            runs.iter()
                .map(|r| (r.total_ms - r.requests.iter().map(|q| q.ms).sum::<f64>()).max(0.0))
                .sum(),
        ),
        calls: u64::from(n),
        bytes: runs.iter().flat_map(|r| &r.requests).map(|r| r.bytes).sum(),
        connections: runs
            .iter()
            .flat_map(|r| &r.requests)
            .map(blocked_span)
            .collect(),
    });

    for (name, multiplex) in [("non-blocking", false), ("multiplexing", true)] {
        models.push(in_flight(&params, name, multiplex, limit).await?);
    }

    // Async: fetch and await on the page's own loop.
    let all = urls(&params, "async");
    let start = clock::now_ms();
    let answers = JsFuture::from(fetch_all(js_array(&all)))
        .await
        .map_err(|e| env::js_error_text(&e))?;
    let total_ms = clock::now_ms() - start;
    let answers: Vec<(f64, f64)> = byte_arrival_pairs(&answers);
    models.push(IoModelRun {
        name: "async".into(),
        total_ms,
        cpu_ms: None,
        calls: u64::from(n),
        bytes: answers.iter().map(|(b, _)| *b as u64).sum(),
        // The continuation runs as soon as the body is in: arrival and handling coincide.
        connections: answers
            .iter()
            .map(|(_, arrived)| ConnectionSpan {
                issued_ms: 0.0,
                ready_ms: Some(arrived - start),
                handled_ms: arrived - start,
            })
            .collect(),
    });
    let delays_ms = params.delays_ms();
    Ok(IoModelsReport {
        connections: n,
        delay_ms: params.delay_ms,
        seed: params.seed,
        model: model_totals(
            &delays_ms.iter().map(|&d| f64::from(d)).collect::<Vec<_>>(),
            0.0,
        ),
        delays_ms,
        models,
    })
}

/// `[[bytes, arrived], …]` from `fetchAll`.
fn byte_arrival_pairs(value: &JsValue) -> Vec<(f64, f64)> {
    js_sys::Array::from(value)
        .iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            (
                pair.get(0).as_f64().unwrap_or(0.0),
                pair.get(1).as_f64().unwrap_or(0.0),
            )
        })
        .collect()
}

/// Requests started asynchronously by the page, whose completion only sets a flag in shared
/// memory; one pool thread handles them, either checking every flag over and over
/// (non-blocking) or sleeping on one readiness word until something is ready (multiplexing).
async fn in_flight(
    params: &IoModelsParams,
    name: &str,
    multiplex: bool,
    limit_ms: u32,
) -> Result<IoModelRun, String> {
    let n = params.connections as usize;
    let flags: Arc<Vec<AtomicI32>> = Arc::new((0..n).map(|_| AtomicI32::new(0)).collect());
    let word = Arc::new(AtomicI32::new(0));
    let all = urls(params, name);
    let start = clock::now_ms();
    let requests = JsFuture::from(start_requests(
        wasm_bindgen::memory(),
        flags.as_ptr() as u32,
        word.as_ptr() as u32,
        js_array(&all),
    ));
    let (job_flags, job_word) = (flags.clone(), word.clone());
    let handler = pool::submit(move |token| {
        handle_in_flight(&job_flags, &job_word, multiplex, f64::from(limit_ms), token)
    });
    let (arrivals, handled) = futures::future::join(requests, handler).await;
    let arrivals = arrivals.map_err(|e| env::js_error_text(&e))?;
    let (cpu_ms, calls, bytes, handled_at) = handled??;
    let arrivals: Vec<f64> = js_sys::Array::from(&arrivals)
        .iter()
        .map(|t| t.as_f64().unwrap_or(start))
        .collect();
    Ok(IoModelRun {
        name: name.into(),
        total_ms: clock::now_ms() - start,
        cpu_ms: Some(cpu_ms),
        calls: calls + n as u64,
        bytes,
        connections: arrivals
            .iter()
            .zip(&handled_at)
            .map(|(arrived, handled)| ConnectionSpan {
                issued_ms: 0.0,
                ready_ms: Some(arrived - start),
                handled_ms: handled - start,
            })
            .collect(),
    })
}

/// The handling thread: until every connection is handled, poll all flags (non-blocking) or
/// wait on the readiness word and then handle what is ready (multiplexing). Returns its busy
/// time, its checks or waits, the bytes it handled and when it handled each connection.
fn handle_in_flight(
    flags: &[AtomicI32],
    word: &AtomicI32,
    multiplex: bool,
    limit_ms: f64,
    token: RunToken,
) -> Result<(f64, u64, u64, Vec<f64>), String> {
    let actor = Actor {
        index: 0,
        token,
        record: false,
    };
    let deadline = clock::now_ms() + limit_ms;
    let mut handled = vec![false; flags.len()];
    let mut handled_at = vec![0.0; flags.len()];
    let (mut left, mut calls, mut bytes, mut busy_ms) = (flags.len(), 0u64, 0u64, 0.0);
    let mut running_since = clock::now_ms();
    while left > 0 {
        if token.is_cancelled() || clock::now_ms() > deadline {
            return Err("the requests did not all finish in time".into());
        }
        let seen = word.load(Ordering::Acquire);
        for (i, flag) in flags.iter().enumerate() {
            if handled[i] {
                continue;
            }
            if !multiplex {
                calls += 1; // a non-blocking read that may find nothing
            }
            let value = flag.load(Ordering::Acquire);
            if value > 0 {
                handled[i] = true;
                handled_at[i] = clock::now_ms();
                left -= 1;
                bytes += (value - 1) as u64;
            }
        }
        if multiplex && left > 0 {
            calls += 1; // one wait for all of them
            busy_ms += clock::now_ms() - running_since;
            let _ = park(word, seen, deadline, actor, false);
            running_since = clock::now_ms();
        }
    }
    busy_ms += clock::now_ms() - running_since;
    Ok((busy_ms, calls, bytes, handled_at))
}
