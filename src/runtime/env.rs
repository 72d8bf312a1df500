//! Facts about the page and machine, read from whichever global scope we run in.

use crate::model::labs::cores::Machine;
use wasm_bindgen::{JsCast, JsValue};

fn global_property(name: &str) -> JsValue {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// True on the page's main thread (a `Window`), false in workers.
pub fn is_window() -> bool {
    thread_local! {
        // Asked once per thread: the answer never changes, and blocking code checks it often.
        static IS_WINDOW: bool = js_sys::global().dyn_into::<web_sys::Window>().is_ok();
    }
    IS_WINDOW.with(|is_window| *is_window)
}

/// `crossOriginIsolated`: without it there is no SharedArrayBuffer and no threads.
pub fn cross_origin_isolated() -> bool {
    global_property("crossOriginIsolated")
        .as_bool()
        .unwrap_or(false)
}

/// Whether the boot script is still registering the service worker that isolates the page.
pub fn isolation_pending() -> bool {
    let report = global_property("labIsolation");
    js_sys::Reflect::get(&report, &JsValue::from_str("state"))
        .ok()
        .and_then(|s| s.as_string())
        .is_some_and(|s| s == "pending")
}

/// Why the page is not isolated, as the boot script in `www/index.html` found it (its
/// service worker could not start, or did not help); empty when it does not know.
pub fn isolation_problem() -> String {
    let report = global_property("labIsolation");
    js_sys::Reflect::get(&report, &JsValue::from_str("reason"))
        .ok()
        .and_then(|r| r.as_string())
        .unwrap_or_default()
}

fn navigator_property(name: &str) -> JsValue {
    let navigator = global_property("navigator");
    js_sys::Reflect::get(&navigator, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Logical cores as the browser reports them (at least 1).
pub fn hardware_concurrency() -> u32 {
    navigator_property("hardwareConcurrency")
        .as_f64()
        .map_or(1, |n| n.max(1.0) as u32)
}

/// The browser's user-agent string, for result tables.
pub fn user_agent() -> String {
    navigator_property("userAgent")
        .as_string()
        .unwrap_or_default()
}

/// Machine facts with the current pool size.
pub fn machine() -> Machine {
    Machine {
        cores: hardware_concurrency(),
        pool_threads: crate::runtime::pool::threads(),
        cross_origin_isolated: cross_origin_isolated(),
        user_agent: user_agent(),
    }
}

/// Turns a thrown JS value into a readable message.
pub fn js_error_text(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
