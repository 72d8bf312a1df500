//! `window.lab`: the console API, through the same code paths as the UI.
//!
//! `lab.labs()` lists experiment ids (what `run` accepts); `lab.help()` prints each with its
//! parameters, ranges and defaults (the definitions that validate them); `await lab.run(id, params)`
//! resolves to a plain JSON object of what was measured, or rejects with an `Error` whose
//! message says what was wrong;
//! `lab.cancel()` cancels every queued or running run; `lab.machine()` gives the facts;
//! `lab.trace()` returns the last run's timeline as Chrome trace-event JSON (Perfetto loads it);
//! `lab.memory()` gives the bytes of the shared wasm memory;
//! `lab.selftest("worker-panic")` panics a worker on purpose, to prove panics are reported
//! (it breaks the pool: the page must be reloaded after it).

use super::labs;
use crate::model::labs as registry;
use crate::model::trace::{TraceSpan, trace_events};
use crate::runtime::{cancel, env, pool, telemetry};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Defines `window.lab`. Safe to call twice (the second call replaces the first).
pub fn install() {
    let lab = Object::new();
    // Experiment ids: what `lab.run` accepts (a page may offer several).
    let labs_fn = Closure::<dyn Fn() -> Array>::new(|| {
        registry::experiments()
            .map(|e| JsValue::from_str(e.id))
            .collect()
    });
    let help_fn = Closure::<dyn Fn() -> JsValue>::new(help);
    let run_fn = Closure::<dyn Fn(JsValue, JsValue) -> Promise>::new(run);
    let cancel_fn = Closure::<dyn Fn()>::new(cancel::cancel_all);
    let machine_fn = Closure::<dyn Fn() -> JsValue>::new(|| {
        to_js(&serde_json::to_string(&env::machine()).unwrap_or_default()).unwrap_or(JsValue::NULL)
    });
    set(&lab, "labs", labs_fn.into_js_value());
    set(&lab, "help", help_fn.into_js_value());
    set(&lab, "run", run_fn.into_js_value());
    set(&lab, "cancel", cancel_fn.into_js_value());
    let selftest_fn = Closure::<dyn Fn(JsValue) -> Promise>::new(selftest);
    set(&lab, "machine", machine_fn.into_js_value());
    let trace_fn = Closure::<dyn Fn() -> JsValue>::new(trace);
    set(&lab, "trace", trace_fn.into_js_value());
    // Bytes of the page's shared wasm memory (it grows, never shrinks): what a soak watches.
    let memory_fn = Closure::<dyn Fn() -> JsValue>::new(|| {
        let buffer = Reflect::get(&wasm_bindgen::memory(), &"buffer".into()).unwrap_or_default();
        Reflect::get(&buffer, &"byteLength".into()).unwrap_or(JsValue::NULL)
    });
    set(&lab, "memory", memory_fn.into_js_value());
    set(&lab, "selftest", selftest_fn.into_js_value());
    set(&js_sys::global().into(), "lab", lab.into());
}

/// `lab.trace()`: the last run's timeline (every span the telemetry recorded) in Chrome's
/// trace-event JSON; save it to a file and load it in Perfetto or the Performance panel.
fn trace() -> JsValue {
    let spans: Vec<TraceSpan> = telemetry::Reader::default()
        .poll()
        .spans
        .into_iter()
        .map(|s| TraceSpan {
            lane: (s.lane != telemetry::MARK_LANE).then_some(s.lane),
            state: s.state.name(),
            label: s.label,
            start_ms: s.start_ms,
            end_ms: s.end_ms,
        })
        .collect();
    let value = trace_events(&spans, |lane| format!("worker {}", lane + 1));
    to_js(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// `lab.help()`: one row per parameter of every experiment, printed as a table and returned.
fn help() -> JsValue {
    let rows: Vec<serde_json::Value> = registry::experiments()
        .flat_map(|e| {
            let params: Vec<_> = if e.params.is_empty() {
                vec![None]
            } else {
                e.params.iter().map(Some).collect()
            };
            params.into_iter().map(move |p| {
                serde_json::json!({
                    "experiment": e.id,
                    "summary": e.summary,
                    "parameter": p.map(|p| p.name),
                    "range": p.map(|p| p.range_text()),
                    "doc": p.map(|p| p.doc),
                })
            })
        })
        .collect();
    let value = to_js(&serde_json::Value::Array(rows).to_string()).unwrap_or(JsValue::NULL);
    web_sys::console::table_1(&value);
    value
}

fn set(target: &JsValue, key: &str, value: JsValue) {
    // Reflect::set fails only on frozen objects; ours are fresh.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

fn to_js(json: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(json)
}

fn run(id: JsValue, params: JsValue) -> Promise {
    future_to_promise(async move {
        let id = id
            .as_string()
            .ok_or_else(|| reject("lab.run(id, params): id must be a string"))?;
        let runner = labs::runner(&id).ok_or_else(|| {
            let ids: Vec<&str> = registry::experiments().map(|e| e.id).collect();
            reject(&format!("unknown lab '{id}'; labs are: {}", ids.join(", ")))
        })?;
        let json = if params.is_undefined() || params.is_null() {
            String::new()
        } else {
            js_sys::JSON::stringify(&params)
                .map(String::from)
                .map_err(|_| reject(&format!("{id}: params must be a plain JSON object")))?
        };
        let result = runner(json).await.map_err(|message| reject(&message))?;
        let value = to_js(&result).map_err(|_| reject(&format!("{id}: produced invalid JSON")))?;
        // DevTools shows the result as a table too (its top-level fields, one row each).
        web_sys::console::table_1(&value);
        Ok(value)
    })
}

fn reject(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

fn selftest(kind: JsValue) -> Promise {
    future_to_promise(async move {
        match kind.as_string().as_deref() {
            Some("worker-panic") => {
                super::boot::require_threads()
                    .await
                    .map_err(|m| reject(&m))?;
                let outcome = pool::submit(|_| -> u32 {
                    panic!("deliberate panic requested by lab.selftest")
                })
                .await;
                match outcome {
                    Ok(_) => Err(reject("the worker did not panic")),
                    Err(message) => Err(reject(&message)),
                }
            }
            _ => Err(reject("selftest kinds: worker-panic")),
        }
    })
}
