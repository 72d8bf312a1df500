//! A step line over time, for gauges such as queue occupancy.

use crate::model::ticks::{nice_step, nice_ticks, tick_label};
use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LineChartProps {
    /// `(x, y)` points in increasing x.
    pub points: Vec<(f64, f64)>,
    pub x_label: AttrValue,
    pub y_label: AttrValue,
    /// A dashed reference line (e.g. the queue's capacity).
    #[prop_or_default]
    pub limit: Option<f64>,
    pub caption: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

const W: f64 = 560.0;
const H: f64 = 200.0;
const PAD: f64 = 36.0;

#[component]
pub fn LineChart(props: &LineChartProps) -> Html {
    let x_max = props
        .points
        .iter()
        .map(|p| p.0)
        .fold(0.0, f64::max)
        .max(1e-9);
    let y_max = props
        .points
        .iter()
        .map(|p| p.1)
        .chain(props.limit)
        .fold(0.0, f64::max)
        .max(1.0);
    let y_ticks = nice_ticks(0.0, y_max, 4);
    let y_step = nice_step(y_max / 4.0);
    let y_max = y_ticks.last().copied().unwrap_or(y_max);
    let x_ticks = nice_ticks(0.0, x_max, 6);
    let x_step = nice_step(x_max / 6.0);
    let x_max = x_ticks.last().copied().unwrap_or(x_max);
    let x = |v: f64| PAD + v / x_max * (W - 2.0 * PAD);
    let y = |v: f64| H - PAD - v / y_max * (H - 2.0 * PAD);
    let mut path = String::new();
    for (i, &(px, py)) in props.points.iter().enumerate() {
        if i == 0 {
            path.push_str(&format!("M{:.1},{:.1}", x(px), y(py)));
        } else {
            path.push_str(&format!(" H{:.1} V{:.1}", x(px), y(py)));
        }
    }
    let export_id = use_export_id();
    html! {
        <figure class="chart" data-testid={props.testid.clone()} id={export_id.clone()}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={props.caption.clone()}>
                    <line class="axis" x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} />
                    <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} />
                    if let Some(limit) = props.limit {
                        <line class="ideal" x1={PAD.to_string()} y1={format!("{:.1}", y(limit))} x2={(W - PAD).to_string()} y2={format!("{:.1}", y(limit))} />
                    }
                    <path class="measured" d={path} />
                    { for y_ticks.iter().map(|&t| html! {
                        <text class="tick" x={(PAD - 6.0).to_string()} y={format!("{:.1}", y(t) + 4.0)} text-anchor="end">{ tick_label(t, y_step) }</text>
                    }) }
                    { for x_ticks.iter().map(|&t| html! {
                        <text class="tick" x={format!("{:.1}", x(t))} y={(H - PAD + 16.0).to_string()} text-anchor="middle">{ tick_label(t, x_step) }</text>
                    }) }
                    <text class="axis-title" x={(W / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ props.x_label.clone() }</text>
                    <text class="axis-title" x="4" y={(PAD - 10.0).to_string()}>{ props.y_label.clone() }</text>
                </svg>
            </ChartScroller>
            <ExportButtons target={export_id.clone()} name="line" />
            <figcaption>{ props.caption.clone() }</figcaption>
        </figure>
    }
}
