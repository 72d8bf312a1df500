//! Gantt chart of a simulated run (`Sim::timeline()`): one lane per task, bars for
//! running and waiting, on the step axis or on the virtual clock.

use crate::model::labs::event_loop::{Span, SpanState};
use crate::ui::widgets::scroller::ChartScroller;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModelGanttProps {
    pub spans: Rc<Vec<Span>>,
    /// Steps on the x axis (true) or virtual milliseconds (false).
    pub by_step: bool,
    /// The current step, drawn as a line on the step axis.
    pub step: usize,
}

const W: f64 = 1000.0;
const LEFT: f64 = 150.0;
const LANE: f64 = 22.0;
const TOP: f64 = 8.0;

/// Lanes in order of first appearance; waiting bars are drawn lighter than running ones.
#[component]
pub fn ModelGantt(props: &ModelGanttProps) -> Html {
    let mut lanes: Vec<&str> = Vec::new();
    for span in props.spans.iter() {
        if !lanes.contains(&span.task.as_str()) {
            lanes.push(&span.task);
        }
    }
    if lanes.is_empty() {
        return html! { <p class="timeline-empty">{ t!("event_loop.gantt.empty").to_string() }</p> };
    }
    let by_step = props.by_step;
    let start = move |s: &Span| -> f64 {
        if by_step {
            s.start_step as f64
        } else {
            s.start_ms as f64
        }
    };
    let end = move |s: &Span| -> f64 {
        if by_step {
            s.end_step as f64
        } else {
            s.end_ms as f64
        }
    };
    let top = props
        .spans
        .iter()
        .map(end)
        .fold(
            if props.by_step {
                props.step as f64
            } else {
                0.0
            },
            f64::max,
        )
        .max(1.0);
    let x = |t: f64| LEFT + t / top * (W - LEFT - 10.0);
    let height = TOP + lanes.len() as f64 * LANE + 22.0;
    let lane_y =
        |name: &str| TOP + lanes.iter().position(|l| *l == name).unwrap_or(0) as f64 * LANE;
    let unit = if props.by_step {
        t!("event_loop.gantt.unit_steps").to_string()
    } else {
        "ms".to_string()
    };
    html! {
        <figure class="timeline model-gantt" data-testid="model-gantt">
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {height:.0}")} role="img"
                     aria-label={t!("event_loop.gantt.label", n = lanes.len(), top = format!("{top:.0}"), unit = unit.clone()).to_string()}>
                    { for lanes.iter().map(|name| html! {
                        <text class="lane-label" x="4" y={format!("{:.1}", lane_y(name) + LANE / 2.0 + 4.0)}>{ name.to_string() }</text>
                    }) }
                    { for props.spans.iter().map(|s| {
                        let (a, b) = (start(s), end(s));
                        let class = match s.state {
                            SpanState::Running => "bar state-working",
                            SpanState::Waiting => "bar state-waiting",
                        };
                        html! {
                            <rect {class} x={format!("{:.1}", x(a))} y={format!("{:.1}", lane_y(&s.task) + 3.0)}
                                  width={format!("{:.1}", (x(b) - x(a)).max(1.5))} height={(LANE - 6.0).to_string()}>
                                <title>{ t!("event_loop.gantt.bar", task = s.task.clone(),
                                    state = if s.state == SpanState::Running { t!("event_loop.waits.state_running") } else { t!("event_loop.gantt.waiting") },
                                    from = s.start_step, to = s.end_step, start = s.start_ms, end = s.end_ms).to_string() }</title>
                            </rect>
                        }
                    }) }
                    if props.by_step {
                        <line class="now" x1={format!("{:.1}", x(props.step as f64))} x2={format!("{:.1}", x(props.step as f64))}
                              y1="2" y2={format!("{:.1}", height - 18.0)} />
                    }
                    <text class="tick" x={LEFT.to_string()} y={format!("{:.1}", height - 4.0)}>{ format!("0 {unit}") }</text>
                    <text class="tick" x={(W - 10.0).to_string()} y={format!("{:.1}", height - 4.0)} text-anchor="end">
                        { format!("{top:.0} {unit}") }</text>
                </svg>
            </ChartScroller>
            <figcaption>{ t!("event_loop.gantt.caption").to_string() }</figcaption>
        </figure>
    }
}
