//! Tasks per second against the number of threads, one line per series, with the formula's
//! ideal as a dashed line and the formula's optimum marked.

use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

/// One measured series.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: AttrValue,
    /// CSS class of the line (`measured`, `measured-alt`).
    pub class: AttrValue,
    /// `(threads, tasks per second)`.
    pub points: Vec<(f64, f64)>,
    /// The formula's ideal at the same thread counts.
    pub ideal: Vec<(f64, f64)>,
    /// The formula's best thread count, marked on the x axis.
    pub optimum: f64,
}

#[derive(Properties, PartialEq)]
pub struct ThroughputChartProps {
    pub series: Vec<Series>,
    pub caption: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

const W: f64 = 560.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

#[component]
pub fn ThroughputChart(props: &ThroughputChartProps) -> Html {
    let all = || {
        props
            .series
            .iter()
            .flat_map(|s| s.points.iter().chain(&s.ideal))
    };
    let x_max = all().map(|p| p.0).fold(1.0, f64::max);
    let y_max = all().map(|p| p.1).fold(1.0, f64::max) * 1.1;
    let x = |v: f64| LEFT + v / x_max * (W - LEFT - 12.0);
    let y = |v: f64| H - BOTTOM - v / y_max * (H - BOTTOM - TOP);
    let path = |points: &[(f64, f64)]| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "{}{:.1},{:.1}",
                    if i == 0 { "M" } else { "L" },
                    x(p.0),
                    y(p.1)
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let y_ticks: Vec<f64> = (0..=4).map(|i| y_max * f64::from(i) / 4.0).collect();
    let x_ticks: Vec<f64> = [1.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0]
        .into_iter()
        .filter(|&t| t <= x_max)
        .collect();
    let export_id = use_export_id();
    html! {
        <figure class="chart throughput" data-testid={props.testid.clone()} id={export_id.clone()}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={props.caption.clone()}>
                    <line class="axis" x1={LEFT.to_string()} x2={(W - 12.0).to_string()} y1={(H - BOTTOM).to_string()} y2={(H - BOTTOM).to_string()} />
                    <line class="axis" x1={LEFT.to_string()} x2={LEFT.to_string()} y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                    { for y_ticks.iter().map(|&t| html! {
                        <text class="tick" x={(LEFT - 4.0).to_string()} y={format!("{:.1}", y(t) + 4.0)} text-anchor="end">{ format!("{t:.0}") }</text>
                    }) }
                    { for x_ticks.iter().map(|&t| html! {
                        <text class="tick" x={format!("{:.1}", x(t))} y={(H - BOTTOM + 14.0).to_string()} text-anchor="middle">{ format!("{t:.0}") }</text>
                    }) }
                    <text class="axis-title" x={format!("{:.1}", (LEFT + W) / 2.0)} y={(H - 6.0).to_string()} text-anchor="middle">{ t!("widgets.throughput.x_axis").to_string() }</text>
                    <text class="axis-title" x="12" y={format!("{:.1}", (H - BOTTOM) / 2.0)} transform={format!("rotate(-90 12 {:.1})", (H - BOTTOM) / 2.0)} text-anchor="middle">{ t!("widgets.throughput.y_axis").to_string() }</text>
                    { for props.series.iter().map(|s| html! {
                        <g class={classes!("series", s.class.to_string())}>
                            <path class="ideal" d={path(&s.ideal)} fill="none" />
                            <path class="line" d={path(&s.points)} fill="none" />
                            <line class="optimum" x1={format!("{:.1}", x(s.optimum))} x2={format!("{:.1}", x(s.optimum))}
                                  y1={TOP.to_string()} y2={(H - BOTTOM).to_string()} />
                            { for s.points.iter().map(|p| html! {
                                <circle cx={format!("{:.1}", x(p.0))} cy={format!("{:.1}", y(p.1))} r="3">
                                    <title>{ t!("widgets.throughput.tip", name = s.name, n = p.0, rate = format!("{:.0}", p.1)).to_string() }</title></circle>
                            }) }
                        </g>
                    }) }
                </svg>
            </ChartScroller>
            <ul class="legend">
                { for props.series.iter().map(|s| html! {
                    <li class={classes!("series", s.class.to_string())}><span class="swatch"></span>
                        { t!("widgets.throughput.legend", name = s.name, best = format!("{:.1}", s.optimum)).to_string() }</li>
                }) }
            </ul>
            <ExportButtons target={export_id.clone()} name="throughput" />
            <figcaption>{ props.caption.clone() }</figcaption>
        </figure>
    }
}
