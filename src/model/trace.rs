//! `lab.trace()`: the last run's timeline as Chrome's trace-event JSON, which the Performance
//! panel of Chrome DevTools, `chrome://tracing` and Perfetto (ui.perfetto.dev) load.
//!
//! Format: the "JSON Object Format" of the Trace Event Format document: `traceEvents` with one
//! complete event (`"ph": "X"`, start `ts` and duration `dur` in microseconds) per span, one
//! instant event (`"ph": "i"`) per phase mark, and `thread_name` metadata naming each lane.

use serde_json::{Value, json};

/// One recorded span, as the telemetry keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceSpan {
    /// Lane (a worker thread); `None` for a phase mark.
    pub lane: Option<u32>,
    /// Thread state name, e.g. `working`, `blocked`.
    pub state: &'static str,
    /// Lab-defined label (task or phase number).
    pub label: u32,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// The trace: timestamps relative to the first span, lanes as threads of one process.
pub fn trace_events(spans: &[TraceSpan], lane_name: impl Fn(u32) -> String) -> Value {
    let t0 = spans
        .iter()
        .map(|s| s.start_ms)
        .fold(f64::INFINITY, f64::min);
    let us = |ms: f64| ((ms - t0) * 1000.0 * 1000.0).round() / 1000.0;
    let mut lanes: Vec<u32> = spans.iter().filter_map(|s| s.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    let mut events: Vec<Value> = vec![json!({
        "ph": "M", "name": "process_name", "pid": 1, "tid": 0,
        "args": { "name": "Concurrency Lab" }
    })];
    events.extend(lanes.iter().map(|&lane| {
        json!({
            "ph": "M", "name": "thread_name", "pid": 1, "tid": lane + 1,
            "args": { "name": lane_name(lane) }
        })
    }));
    for span in spans {
        events.push(match span.lane {
            Some(lane) => json!({
                "ph": "X", "name": span.state, "cat": "lab", "pid": 1, "tid": lane + 1,
                "ts": us(span.start_ms), "dur": us(span.end_ms) - us(span.start_ms),
                "args": { "label": span.label }
            }),
            None => json!({
                "ph": "i", "s": "p", "name": format!("phase {}", span.label), "cat": "mark",
                "pid": 1, "tid": 0, "ts": us(span.start_ms)
            }),
        });
    }
    json!({ "traceEvents": events, "displayTimeUnit": "ms" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_complete_events_on_named_threads() {
        let spans = [
            TraceSpan {
                lane: Some(2),
                state: "working",
                label: 7,
                start_ms: 100.0,
                end_ms: 101.5,
            },
            TraceSpan {
                lane: Some(0),
                state: "blocked",
                label: 1,
                start_ms: 100.5,
                end_ms: 102.0,
            },
            TraceSpan {
                lane: None,
                state: "working",
                label: 3,
                start_ms: 101.0,
                end_ms: 101.0,
            },
        ];
        let trace = trace_events(&spans, |lane| format!("worker {lane}"));
        let events = trace["traceEvents"].as_array().unwrap();
        let names: Vec<(&str, u64, &str)> = events
            .iter()
            .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
            .map(|e| {
                (
                    e["name"].as_str().unwrap(),
                    e["tid"].as_u64().unwrap(),
                    e["args"]["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("thread_name", 1, "worker 0"),
                ("thread_name", 3, "worker 2")
            ]
        );
        let complete: Vec<(u64, f64, f64, &str)> = events
            .iter()
            .filter(|e| e["ph"] == "X")
            .map(|e| {
                (
                    e["tid"].as_u64().unwrap(),
                    e["ts"].as_f64().unwrap(),
                    e["dur"].as_f64().unwrap(),
                    e["name"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            complete,
            [(3, 0.0, 1500.0, "working"), (1, 500.0, 1500.0, "blocked")]
        );
        let mark = events.iter().find(|e| e["ph"] == "i").unwrap();
        assert_eq!(
            (mark["ts"].as_f64().unwrap(), mark["name"].as_str().unwrap()),
            (1000.0, "phase 3")
        );
        assert_eq!(trace["displayTimeUnit"], "ms");
    }

    #[test]
    fn an_empty_run_is_an_empty_trace() {
        let trace = trace_events(&[], |lane| format!("worker {lane}"));
        assert_eq!(trace["traceEvents"].as_array().unwrap().len(), 1);
    }
}
