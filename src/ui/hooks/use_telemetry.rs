//! Reads shared-memory telemetry while a run is going: spans for the timeline and the
//! progress counters, polled every frame and repainted at most every [`REPAINT_MS`].
//!
//! On a 2-core machine a main thread redrawing at 60 fps takes a core away from the
//! workers it is measuring, so repaints are throttled; the final poll is forced.
//!
//! Every span read is also a `performance.measure` named `lab:<lab>:T<n>:<state>`, so the
//! DevTools Performance panel shows the experiment on the page's own time axis.

use super::use_animation_frame;
use crate::model::thread_state::thread_name;
use crate::runtime::clock;
use crate::runtime::telemetry::{self, Reader};
use crate::ui::widgets::timeline::SpanLog;
use gloo::render::{AnimationFrame, request_animation_frame};
use yew::prelude::*;

/// Live repaint interval while a run is measured.
pub const REPAINT_MS: f64 = 200.0;

/// What the view needs: the span log, `(done, total)` progress, and a poll to force the
/// last repaint when a run ends.
#[derive(Clone, PartialEq)]
pub struct Telemetry {
    pub log: SpanLog,
    pub progress: (u64, u64),
    /// `emit(true)` polls and repaints now.
    pub poll: Callback<bool>,
}

/// Polls telemetry on every animation frame while `active`.
#[hook]
pub fn use_telemetry(active: bool) -> Telemetry {
    let reader = use_mut_ref(Reader::default);
    let log = use_state(SpanLog::default);
    let progress = use_state(|| (0u64, 0u64));
    let paint = use_mut_ref(|| (f64::NEG_INFINITY, false)); // (last repaint, unpainted spans)
    let detail = use_mut_ref(|| None::<AnimationFrame>);
    let poll = {
        let (log, progress) = (log.clone(), progress.clone());
        Callback::from(move |force: bool| {
            let polled = reader.borrow_mut().poll();
            measure(&polled);
            let changed = log.apply(polled);
            let mut paint = paint.borrow_mut();
            paint.1 |= changed;
            let now = clock::now_ms();
            if !force && now - paint.0 < REPAINT_MS {
                return;
            }
            paint.0 = now;
            if std::mem::take(&mut paint.1) || force {
                log.set(log.bumped(true));
            }
            // The forced poll is the run's last. Its frame already draws the run's results, so
            // the full-detail timeline waits for the next frame (the two together made one
            // 100–150 ms frame at the end of a producer–consumer run).
            if force {
                let finished = log.clone();
                *detail.borrow_mut() = Some(request_animation_frame(move |_| {
                    finished.set(finished.bumped(false));
                }));
            }
            let counts = telemetry::progress();
            if *progress != counts {
                progress.set(counts);
            }
        })
    };
    use_animation_frame(active, poll.reform(|_| false));
    Telemetry {
        log: (*log).clone(),
        progress: *progress,
        poll,
    }
}

/// Most measures kept per run: DevTools keeps every entry until it is cleared.
const MAX_MEASURES: usize = 5_000;

thread_local! {
    static MEASURED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The spans as `performance.measure` entries (a new run clears the last run's).
fn measure(poll: &telemetry::Poll) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    if poll.reset {
        performance.clear_measures();
        MEASURED.with(|m| m.set(0));
    }
    let lab = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| {
            h.trim_start_matches("#/")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .unwrap_or_default();
    let Ok(measure) = js_sys::Reflect::get(&performance, &JsValue::from_str("measure")) else {
        return;
    };
    let Ok(measure) = measure.dyn_into::<js_sys::Function>() else {
        return;
    };
    for span in poll.spans.iter().filter(|s| s.lane != telemetry::MARK_LANE) {
        if MEASURED.with(|m| m.replace(m.get() + 1)) >= MAX_MEASURES {
            return;
        }
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"start".into(), &span.start_ms.into());
        let _ = js_sys::Reflect::set(
            &options,
            &"end".into(),
            &span.end_ms.max(span.start_ms).into(),
        );
        let name = format!("lab:{lab}:{}:{}", thread_name(span.lane), span.state.name());
        let _ = measure.call2(&performance, &JsValue::from_str(&name), &options);
    }
}
