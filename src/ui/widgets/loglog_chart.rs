//! Lines on log-log axes (decades labelled), for costs that span orders of magnitude.

use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct LogSeries {
    pub name: AttrValue,
    /// CSS class giving its colour.
    pub class: AttrValue,
    /// `(x, y)` with both positive.
    pub points: Vec<(f64, f64)>,
}

#[derive(Properties, PartialEq)]
pub struct LogLogChartProps {
    pub series: Vec<LogSeries>,
    pub x_label: AttrValue,
    pub y_label: AttrValue,
    pub caption: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

const W: f64 = 560.0;
const H: f64 = 300.0;
const LEFT: f64 = 64.0;
const BOTTOM: f64 = 40.0;

#[component]
pub fn LogLogChart(props: &LogLogChartProps) -> Html {
    let all: Vec<(f64, f64)> = props
        .series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .collect();
    let bounds = |f: fn(&(f64, f64)) -> f64| {
        let low = all
            .iter()
            .map(f)
            .fold(f64::INFINITY, f64::min)
            .log10()
            .floor();
        let high = all.iter().map(f).fold(0.0, f64::max).log10().ceil();
        if low.is_finite() && high > low {
            (low, high)
        } else {
            (0.0, 1.0)
        }
    };
    let (x0, x1) = bounds(|p| p.0);
    let (y0, y1) = bounds(|p| p.1);
    let sx = |x: f64| LEFT + (x.log10() - x0) / (x1 - x0) * (W - LEFT - 10.0);
    let sy = |y: f64| (H - BOTTOM) - (y.log10() - y0) / (y1 - y0) * (H - BOTTOM - 10.0);
    let decade = |e: f64| {
        let v = 10f64.powf(e);
        if v >= 1000.0 {
            format!("{:.0}k", v / 1000.0)
        } else {
            format!("{v}")
        }
    };
    let export_id = use_export_id();
    html! {
        <figure class="chart loglog" data-testid={props.testid.clone()} id={export_id.clone()}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={props.caption.clone()}>
                    { for (x0 as i32..=x1 as i32).map(|e| { let x = sx(10f64.powi(e)); html! {
                        <g class="grid"><line x1={x.to_string()} x2={x.to_string()} y1="10" y2={(H - BOTTOM).to_string()} />
                        <text class="tick" x={x.to_string()} y={(H - BOTTOM + 14.0).to_string()} text-anchor="middle">{ decade(f64::from(e)) }</text></g>
                    }}) }
                    { for (y0 as i32..=y1 as i32).map(|e| { let y = sy(10f64.powi(e)); html! {
                        <g class="grid"><line x1={LEFT.to_string()} x2={(W - 10.0).to_string()} y1={y.to_string()} y2={y.to_string()} />
                        <text class="tick" x={(LEFT - 4.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{ decade(f64::from(e)) }</text></g>
                    }}) }
                    { for props.series.iter().map(|s| {
                        let path = s.points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0)
                            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y))).collect::<Vec<_>>().join(" ");
                        html! {
                            <g class={classes!("series", s.class.to_string())}>
                                <polyline class="line" points={path} fill="none" />
                                { for s.points.iter().filter(|(x, y)| *x > 0.0 && *y > 0.0).map(|&(x, y)| html! {
                                    <circle cx={format!("{:.1}", sx(x))} cy={format!("{:.1}", sy(y))} r="3" />
                                }) }
                            </g>
                        }
                    }) }
                    <text class="axis-title" x={((W + LEFT) / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ props.x_label.clone() }</text>
                    <text class="axis-title" x="14" y={((H - BOTTOM) / 2.0).to_string()} text-anchor="middle"
                          transform={format!("rotate(-90 14 {})", (H - BOTTOM) / 2.0)}>{ props.y_label.clone() }</text>
                </svg>
            </ChartScroller>
            <ul class="legend">
                { for props.series.iter().map(|s| html! {
                    <li class={s.class.to_string()}><span class="swatch" />{ s.name.clone() }</li>
                }) }
            </ul>
            <ExportButtons target={export_id.clone()} name="loglog" />
            <figcaption>{ props.caption.clone() }</figcaption>
        </figure>
    }
}
