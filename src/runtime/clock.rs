//! One clock for every thread.
//!
//! `performance.now()` counts from each global's own time origin, and a worker starts
//! later than the page. Adding `performance.timeOrigin` gives wall-clock milliseconds that
//! agree across threads; subtracting the page's origin (published once in shared memory)
//! keeps the numbers small: "ms since the page started", on every thread.

use std::cell::OnceCell;
use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen::{JsCast, JsValue};

/// The page's `performance.timeOrigin`, as f64 bits; 0 until [`publish_page_origin`].
static PAGE_ORIGIN_BITS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static PERFORMANCE: OnceCell<web_sys::Performance> = const { OnceCell::new() };
}

fn with_performance<T>(f: impl FnOnce(&web_sys::Performance) -> T) -> T {
    PERFORMANCE.with(|cell| {
        let perf = cell.get_or_init(|| {
            js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"))
                .expect("every browser global has `performance`")
                .unchecked_into()
        });
        f(perf)
    })
}

/// Publishes the calling thread's origin as everyone's zero, unless one already is.
/// Called before any worker starts (the pool does), so all threads agree from the first span.
pub fn publish_page_origin() {
    let origin = with_performance(|p| p.time_origin());
    let _ =
        PAGE_ORIGIN_BITS.compare_exchange(0, origin.to_bits(), Ordering::AcqRel, Ordering::Acquire);
}

/// The epoch time (ms) that [`now_ms`] counts from: a stamp `performance.timeOrigin +
/// performance.now()` taken anywhere, minus this, is on the same axis.
pub fn page_time_origin() -> f64 {
    let page = f64::from_bits(PAGE_ORIGIN_BITS.load(Ordering::Acquire));
    if page == 0.0 {
        with_performance(|p| p.time_origin())
    } else {
        page
    }
}

/// Milliseconds since the page started, comparable between threads (µs resolution when
/// the page is cross-origin isolated).
pub fn now_ms() -> f64 {
    let (origin, now) = with_performance(|p| (p.time_origin(), p.now()));
    let page = f64::from_bits(PAGE_ORIGIN_BITS.load(Ordering::Acquire));
    if page == 0.0 {
        now
    } else {
        origin + now - page
    }
}
