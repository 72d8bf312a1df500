//! Measured speedup against ideal linear scaling, with parallel efficiency per point.

use crate::model::ticks::{nice_step, nice_ticks, tick_label};
use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

/// One measured point.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeedupPoint {
    pub threads: u32,
    pub speedup: f64,
    pub efficiency: f64,
}

#[derive(Properties, PartialEq)]
pub struct SpeedupChartProps {
    pub points: Vec<SpeedupPoint>,
    /// Highest thread count on the x axis.
    pub max_threads: u32,
}

const W: f64 = 480.0;
const H: f64 = 260.0;
const PAD: f64 = 40.0;
/// Room on the left for the tick labels and the rotated axis title.
const LEFT: f64 = 56.0;
/// Room on the right for the last point's label.
const RIGHT: f64 = 110.0;

/// An SVG chart: dashed ideal line y = x, measured points joined, labels "1.9× · 95 %".
#[component]
pub fn SpeedupChart(props: &SpeedupChartProps) -> Html {
    let top = f64::from(props.max_threads.max(2));
    let highest = props.points.iter().map(|p| p.speedup).fold(top, f64::max);
    let y_ticks = nice_ticks(0.0, highest, 4);
    let y_step = nice_step(highest / 4.0);
    let y_top = y_ticks.last().copied().unwrap_or(highest);
    let x = |threads: f64| LEFT + (threads - 1.0) / (top - 1.0) * (W - LEFT - RIGHT);
    let y = |speedup: f64| H - PAD - speedup / y_top * (H - 2.0 * PAD);
    let best = props.points.iter().enumerate().fold(0, |best, (i, p)| {
        if p.speedup > props.points[best].speedup {
            i
        } else {
            best
        }
    });
    let measured: Vec<String> = props
        .points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(f64::from(p.threads)), y(p.speedup)))
        .collect();
    // Every thread count up to 12, then round steps: labels never overlap.
    let x_step = if props.max_threads <= 12 {
        1
    } else {
        nice_step(f64::from(props.max_threads) / 8.0) as u32
    };
    let ticks: Vec<u32> = (1..=props.max_threads.max(2))
        .filter(|t| *t == 1 || t % x_step.max(1) == 0)
        .collect();
    let export_id = use_export_id();
    html! {
        <figure class="chart" data-testid="speedup-chart" id={export_id.clone()}>
            <ChartScroller view_width={W} smallest_text={11.0}>
                <svg viewBox={format!("0 0 {W} {H}")} role="img"
                     aria-label={t!("widgets.speedup.aria").to_string()}>
                    <line class="axis" x1={LEFT.to_string()} y1={(H - PAD).to_string()} x2={(W - RIGHT).to_string()} y2={(H - PAD).to_string()} />
                    <line class="axis" x1={LEFT.to_string()} y1={PAD.to_string()} x2={LEFT.to_string()} y2={(H - PAD).to_string()} />
                    { for ticks.iter().map(|&t| html! {
                        <text class="tick" x={x(f64::from(t)).to_string()} y={(H - PAD + 16.0).to_string()} text-anchor="middle">{ t }</text>
                    }) }
                    { for y_ticks.iter().map(|&t| html! {
                        <g class="gridline">
                            <line class="grid" x1={LEFT.to_string()} x2={(W - RIGHT).to_string()} y1={format!("{:.1}", y(t))} y2={format!("{:.1}", y(t))} />
                            <text class="tick" x={(LEFT - 6.0).to_string()} y={format!("{:.1}", y(t) + 4.0)} text-anchor="end">{ format!("{}×", tick_label(t, y_step)) }</text>
                        </g>
                    }) }
                    <text class="axis-title" x={(W / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ t!("widgets.speedup.x_axis").to_string() }</text>
                    <text class="axis-title" x="12" y={(H / 2.0).to_string()} transform={format!("rotate(-90 12 {})", H / 2.0)} text-anchor="middle">{ t!("widgets.speedup.y_axis").to_string() }</text>
                    <line class="ideal" x1={x(1.0).to_string()} y1={y(1.0).to_string()} x2={x(top).to_string()} y2={y(top).to_string()} />
                    <polyline class="measured" points={measured.join(" ")} />
                    { for props.points.iter().enumerate().map(|(i, p)| {
                        let (cx, cy) = (x(f64::from(p.threads)), y(p.speedup));
                        let text = t!("widgets.speedup.tip", n = p.threads, speedup = format!("{:.2}", p.speedup), efficiency = format!("{:.0}", 100.0 * p.efficiency)).to_string();
                        // Neighbouring labels overlap: only the best and the last point carry one;
                        // every point names its figures on hover.
                        let labelled = i == best || i + 1 == props.points.len();
                        html! {
                            <g class="point">
                                <circle cx={cx.to_string()} cy={cy.to_string()} r="4"><title>{ text }</title></circle>
                                if labelled {
                                    // The last point's label goes under it, so it never meets the best's.
                                    <text x={cx.to_string()} y={(if i == best { cy - 10.0 } else { cy + 20.0 }).to_string()} text-anchor="middle">
                                        { format!("{:.2}× · {:.0} %", p.speedup, 100.0 * p.efficiency) }
                                    </text>
                                }
                            </g>
                        }
                    }) }
                </svg>
            </ChartScroller>
            <ExportButtons target={export_id.clone()} name="speedup" />
            <figcaption>{ t!("widgets.speedup.caption").to_string() }</figcaption>
        </figure>
    }
}
