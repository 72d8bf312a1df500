//! Reads shared-memory telemetry while a run is going: spans for the timeline and the
//! progress counters, polled every frame and repainted at most every [`REPAINT_MS`].
//!
//! On a 2-core machine a main thread redrawing at 60 fps takes a core away from the
//! workers it is measuring, so repaints are throttled; the final poll is forced.

use super::use_animation_frame;
use crate::runtime::clock;
use crate::runtime::telemetry::{self, Reader};
use crate::ui::widgets::timeline::SpanLog;
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
    let poll = {
        let (log, progress) = (log.clone(), progress.clone());
        Callback::from(move |force: bool| {
            let changed = log.apply(reader.borrow_mut().poll());
            let mut paint = paint.borrow_mut();
            paint.1 |= changed;
            let now = clock::now_ms();
            if !force && now - paint.0 < REPAINT_MS {
                return;
            }
            paint.0 = now;
            if std::mem::take(&mut paint.1) || force {
                log.set(log.bumped());
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
