//! One measured block-loop run as a strip: the work, every animation frame the page
//! drew meanwhile (a tick each), and the long tasks the browser reported.

use crate::runtime::labs::event_loop::BlockLoopOutcome;
use crate::ui::widgets::scroller::ChartScroller;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FrameStripProps {
    /// "block", "chunked" or "offload".
    pub mode: AttrValue,
    pub outcome: Rc<BlockLoopOutcome>,
    /// End of the time axis in ms, shared by the strips shown together so they compare.
    pub axis_ms: f64,
}

const W: f64 = 1000.0;
const LEFT: f64 = 80.0;
const H: f64 = 62.0;

/// The time axis a strip needs: through its last frame or the end of the work.
pub fn axis_end(outcome: &BlockLoopOutcome) -> f64 {
    outcome
        .frames_ms
        .iter()
        .copied()
        .fold(outcome.report.wall_ms, f64::max)
}

/// An SVG strip on a ms axis starting 50 ms before the work.
#[component]
pub fn FrameStrip(props: &FrameStripProps) -> Html {
    let o = &props.outcome;
    let from = -50.0;
    let to = props.axis_ms.max(from + 1.0) + 20.0;
    let x = |t: f64| LEFT + (t - from) / (to - from) * (W - LEFT - 10.0);
    let where_ = if props.mode == "offload" {
        t!("event_loop.strip.on_worker")
    } else {
        t!("event_loop.strip.on_main_thread")
    }
    .to_string();
    html! {
        <figure class="frame-strip" data-testid={format!("bl-strip-{}", props.mode)}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {H}")} role="img"
                     aria-label={t!("event_loop.strip.label", mode = props.mode.clone(), frames = o.report.frames,
                                    gap = format!("{:.0}", o.report.longest_frame_gap_ms), long = o.report.long_tasks).to_string()}>
                    <text class="lane-label" x="4" y="16">{ props.mode.to_string() }</text>
                    <text class="lane-label" x="4" y="34">{ t!("event_loop.strip.frames").to_string() }</text>
                    <text class="lane-label" x="4" y="52">{ t!("event_loop.strip.long_tasks").to_string() }</text>
                    <rect class="work" x={format!("{:.1}", x(0.0))} y="6" height="12"
                          width={format!("{:.1}", (x(o.report.wall_ms) - x(0.0)).max(1.0))}>
                        <title>{ t!("event_loop.strip.work", ms = format!("{:.0}", o.report.wall_ms), place = where_.clone()).to_string() }</title>
                    </rect>
                    { for o.frames_ms.iter().map(|&t| html! {
                        <line class="frame" x1={format!("{:.1}", x(t))} x2={format!("{:.1}", x(t))} y1="24" y2="40" />
                    }) }
                    { for o.long_tasks_ms.iter().map(|&(s, d)| html! {
                        <rect class="long-task" x={format!("{:.1}", x(s))} y="44" height="12"
                              width={format!("{:.1}", (x(s + d) - x(s)).max(1.0))}>
                            <title>{ t!("event_loop.strip.long_task", ms = format!("{d:.0}")).to_string() }</title>
                        </rect>
                    }) }
                </svg>
            </ChartScroller>
            <figcaption>{ t!("event_loop.strip.caption", mode = props.mode.clone(), ms = format!("{:.0}", o.report.wall_ms),
                                place = where_, frames = o.report.frames,
                                gap = format!("{:.0}", o.report.longest_frame_gap_ms)).to_string() }</figcaption>
        </figure>
    }
}
