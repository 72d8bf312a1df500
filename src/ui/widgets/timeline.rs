//! The shared timeline: one lane per worker, one bar per recorded span.
//!
//! Spans live in a [`SpanLog`] that grows in place as telemetry arrives; the widget
//! re-renders when the log's version changes, without cloning the spans per frame.

use crate::model::thread_state::ThreadState;
use crate::model::ticks;
use crate::model::timeline::{self, SpanIn, fixed};
use crate::runtime::telemetry::{MARK_LANE, Span};
use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Spans read so far, shared between the reader and the view; `version` bumps on change.
/// `dropped` counts spans the recorder could not keep (its buffer was full): the timeline
/// says so rather than look complete. `live` marks a log whose run is still going: the
/// timeline then draws a coarser picture (see [`LIVE_COLUMNS`]).
#[derive(Clone, Default)]
pub struct SpanLog {
    spans: Rc<RefCell<Vec<Span>>>,
    dropped: Rc<std::cell::Cell<u64>>,
    version: u64,
    live: bool,
}

impl PartialEq for SpanLog {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.spans, &other.spans)
            && self.version == other.version
            && self.live == other.live
    }
}

impl SpanLog {
    /// A log sharing storage with `self`, seen as changed; `live` while its run goes on.
    pub fn bumped(&self, live: bool) -> SpanLog {
        SpanLog {
            spans: self.spans.clone(),
            dropped: self.dropped.clone(),
            version: self.version + 1,
            live,
        }
    }

    /// Applies one telemetry poll in place (no re-render); returns whether anything changed.
    pub fn apply(&self, poll: crate::runtime::telemetry::Poll) -> bool {
        let mut spans = self.spans.borrow_mut();
        if poll.reset {
            spans.clear();
        }
        let changed = poll.reset || !poll.spans.is_empty() || poll.dropped != self.dropped.get();
        spans.extend(poll.spans);
        self.dropped.set(poll.dropped);
        changed
    }

    /// Spans of this run the recorder had to drop.
    pub fn dropped(&self) -> u64 {
        self.dropped.get()
    }

    /// Number of spans held.
    pub fn len(&self) -> usize {
        self.spans.borrow().len()
    }

    /// True when no span was read yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each span's lane, state and start, for views that count rather than draw.
    pub fn states(&self) -> Vec<(u32, crate::model::thread_state::ThreadState, f64)> {
        self.spans
            .borrow()
            .iter()
            .map(|s| (s.lane, s.state, s.start_ms))
            .collect()
    }
}

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub log: SpanLog,
    /// Colour running spans by logical task (label) instead of by state.
    #[prop_or(true)]
    pub color_by_task: bool,
    /// Text for a phase mark's label.
    pub describe_mark: Callback<u32, String>,
    /// Text for a span's task label, e.g. "task 2".
    pub describe_task: Callback<u32, String>,
    /// Name of a lane; `None` shows "worker N" (lanes are pool worker indices by default).
    #[prop_or_default]
    pub describe_lane: Option<Callback<u32, String>>,
    /// Show the legend of thread states (for labs that record states other than running).
    #[prop_or(false)]
    pub legend: bool,
    /// Replaces the default caption (which speaks of worker threads only).
    #[prop_or_default]
    pub caption: Option<AttrValue>,
}

const WIDTH: f64 = 1000.0;
const LANE_H: f64 = 26.0;
/// A bar's height: its lane less 3 units above and below.
const BAR_H: &str = "20";
/// Least room for lane names.
const LEFT: f64 = 90.0;
const TOP: f64 = 22.0;
/// Keys at or above this colour a bar by task (`TASK_KEY + label % 8`), below by state.
const TASK_KEY: u32 = 1000;
/// Columns a live timeline is reduced to. On a 2-core machine a repaint at one column per
/// unit, with tooltips, took 60–110 ms of the page's thread while four workers ran
/// (producer–consumer at defaults, 700 bars): 300 columns and no tooltips until the run
/// ends keep each repaint short.
pub const LIVE_COLUMNS: usize = 300;
/// Width of a finished timeline's column, in viewBox units (about 1.5 px on a desktop page):
/// the frame that swaps the live picture for the finished one created ~700 bars with
/// tooltips at one unit and took up to 100 ms; at 1.5 it makes about a third fewer.
const DONE_COLUMN_WIDTH: f64 = 1.5;

/// Gantt chart of the log, with a legend of thread states.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    // An id of its own, for the Save SVG / PNG buttons to find this chart.
    let id = use_export_id();
    let spans = props.log.spans.borrow();
    let mut lanes: Vec<u32> = spans
        .iter()
        .map(|s| s.lane)
        .filter(|&l| l != MARK_LANE)
        .collect();
    lanes.sort_unstable();
    lanes.dedup();
    if spans.is_empty() {
        return html! { <p class="timeline-empty">{ t!("widgets.timeline.empty").to_string() }</p> };
    }
    // The legend lists the states this timeline draws in state colours, in life-cycle order
    // (working bars coloured by task are not "working" green).
    let shown_states: Vec<ThreadState> = ThreadState::ALL
        .into_iter()
        .filter(|state| !(props.color_by_task && *state == ThreadState::Working))
        .filter(|state| {
            spans
                .iter()
                .any(|s| s.lane != MARK_LANE && s.state == *state)
        })
        .collect();
    let t0 = spans
        .iter()
        .map(|s| s.start_ms)
        .fold(f64::INFINITY, f64::min);
    let t1 = spans
        .iter()
        .map(|s| s.end_ms)
        .fold(f64::NEG_INFINITY, f64::max)
        .max(t0 + 1e-3);
    let live = props.log.live;
    // Live, the axis ends at the next 1-2-5 step: until the run outgrows it, bars already
    // drawn keep their place, and a repaint changes only the newest ones.
    let t1 = if live {
        t0 + ticks::round_up(t1 - t0)
    } else {
        t1
    };
    let lane_name = |lane: u32| match &props.describe_lane {
        Some(describe) => describe.emit(lane),
        // Pool workers count from 1, as DevTools' measures (`lab:cores:T1:…`) do.
        None => t!("widgets.timeline.worker", n = lane + 1).to_string(),
    };
    // Room for the longest lane name (12 px text, about 6.6 units a character).
    let longest_name = lanes
        .iter()
        .map(|&l| lane_name(l).chars().count())
        .max()
        .unwrap_or(0);
    let left = (longest_name as f64 * 6.6 + 12.0).clamp(LEFT, WIDTH / 3.0);
    let scale = (WIDTH - left - 10.0) / (t1 - t0);
    let x = |t: f64| left + (t - t0) * scale;
    let lane_y =
        |lane: u32| TOP + lanes.iter().position(|&l| l == lane).unwrap_or(0) as f64 * LANE_H;
    let height = TOP + lanes.len() as f64 * LANE_H + 24.0;
    // At most one bar per lane per column (see `model::timeline`): a long run stays a few
    // hundred rectangles instead of one per span.
    let inputs: Vec<SpanIn> = spans
        .iter()
        .filter(|s| s.lane != MARK_LANE)
        .map(|s| SpanIn {
            lane: lanes.iter().position(|&l| l == s.lane).unwrap_or(0),
            key: if props.color_by_task && s.state == ThreadState::Working {
                TASK_KEY + s.label % 8
            } else {
                s.state as u32
            },
            start_ms: s.start_ms,
            end_ms: s.end_ms,
        })
        .collect();
    let columns = if live {
        LIVE_COLUMNS
    } else {
        ((WIDTH - left - 10.0) / DONE_COLUMN_WIDTH) as usize
    };
    let column_ms = (t1 - t0) / columns as f64;
    let merged = timeline::bars(&inputs, lanes.len(), t0, t1, columns);
    let bars = merged.iter().map(|bar| {
        let lane = lanes[bar.lane];
        let (class, what) = if bar.key >= TASK_KEY {
            (format!("bar task-{}", bar.key - TASK_KEY), None)
        } else {
            let state = ThreadState::ALL
                .into_iter()
                .find(|s| *s as u32 == bar.key)
                .unwrap_or(ThreadState::Working);
            (format!("bar state-{}", state.name()), Some(state))
        };
        let from = t0 + bar.first as f64 * column_ms;
        let to = t0 + (bar.last + 1) as f64 * column_ms;
        // Tooltips only once the run is over (a live picture changes under the pointer).
        let tip = (!live).then(|| {
            let what = match what {
                Some(state) => state.label(),
                None => props.describe_task.emit(bar.key - TASK_KEY),
            };
            if bar.spans <= 1 && bar.first == bar.last {
                format!(
                    "{} · {what} · {} ms",
                    lane_name(lane),
                    fixed(bar.busy_ms, 2)
                )
            } else {
                t!(
                    "widgets.timeline.tip_many",
                    lane = lane_name(lane),
                    what = what,
                    spans = bar.spans,
                    busy = fixed(bar.busy_ms, 2),
                    from = fixed(from - t0, 1),
                    to = fixed(to - t0, 1)
                )
                .to_string()
            }
        });
        html! {
            <rect {class} x={fixed(x(from), 2)} y={fixed(lane_y(lane) + 3.0, 1)}
                  width={fixed(((to - from) * scale).max(0.6), 2)} height={BAR_H}>
                if let Some(tip) = tip {
                    <title>{ tip }</title>
                }
            </rect>
        }
    });
    // Marks in time order; a label that would run into the previous one moves right of it
    // (11 px text, about 6 units a character), so close phases stay readable.
    let mut mark_spans: Vec<&Span> = spans.iter().filter(|s| s.lane == MARK_LANE).collect();
    mark_spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
    let mut free_from = f64::NEG_INFINITY;
    let marks: Vec<Html> = mark_spans
        .into_iter()
        .map(|s| {
            let mx = x(s.start_ms);
            let text = props.describe_mark.emit(s.label);
            let tx = (mx + 3.0).max(free_from);
            free_from = tx + text.chars().count() as f64 * 6.0 + 8.0;
            html! {
                <g class="mark">
                    <line x1={format!("{mx:.1}")} y1="12" x2={format!("{mx:.1}")} y2={format!("{:.1}", height - 20.0)} />
                    <text x={format!("{tx:.1}")} y="12">{ text }</text>
                </g>
            }
        })
        .collect();
    let lane_labels = lanes.iter().map(|&lane| {
        html! { <text class="lane-label" x="4" y={format!("{:.1}", lane_y(lane) + LANE_H / 2.0 + 4.0)}>{ lane_name(lane) }</text> }
    });
    html! {
        <figure class="timeline" data-testid="timeline" id={id.clone()}>
            <ChartScroller view_width={WIDTH} smallest_text={11.0} label={Some(AttrValue::from(t!("widgets.timeline.scroller").to_string()))}>
                <svg viewBox={format!("0 0 {WIDTH} {height:.0}")} role="img"
                     aria-label={t!("widgets.timeline.aria", spans = inputs.len(), workers = lanes.len(), ms = format!("{:.0}", t1 - t0)).to_string()}>
                    { for lane_labels }
                    { for bars }
                    { for marks }
                    <text class="tick" x={format!("{left:.1}")} y={format!("{:.1}", height - 4.0)}>{ "0 ms" }</text>
                    <text class="tick" x={(WIDTH - 10.0).to_string()} y={format!("{:.1}", height - 4.0)} text-anchor="end">
                        { format!("{:.0} ms", t1 - t0) }
                    </text>
                </svg>
            </ChartScroller>
            <ExportButtons target={id.clone()} name="timeline" />
            if props.log.dropped() > 0 {
                <p class="dropped-spans" role="status" data-testid="dropped-spans">
                    { t!("widgets.timeline.dropped",
                        n = props.log.dropped(), cap = crate::runtime::telemetry::CAPACITY).to_string() }
                </p>
            }
            if props.legend {
                <ul class="legend" aria-label={t!("widgets.timeline.legend").to_string()}>
                    { for shown_states.iter().map(|state| html! {
                        <li><span class={format!("swatch state-{}", state.name())}></span>
                            <strong>{ state.label() }</strong>{ format!(": {}", state.meaning()) }</li>
                    }) }
                </ul>
            }
            <figcaption>
                if let Some(caption) = &props.caption {
                    { caption.clone() }
                } else {
                    { t!("widgets.timeline.caption").to_string() }
                }
                if live {
                    { " " }<span data-testid="timeline-live">{ t!("widgets.timeline.live").to_string() }</span>
                }
            </figcaption>
        </figure>
    }
}
