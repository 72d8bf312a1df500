//! Horizontal bars with values, for histograms and cost comparisons.

use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Drawn in the warning colour (e.g. a wrong final balance).
    pub alert: bool,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub bars: Vec<Bar>,
    /// Formats a value for its label, e.g. "12 runs" or "3.4 ns".
    pub format: Callback<f64, String>,
    pub caption: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

const W: f64 = 520.0;
const ROW: f64 = 24.0;
const LABEL_W: f64 = 165.0;

#[component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let top = props
        .bars
        .iter()
        .map(|b| b.value)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE);
    let height = ROW * props.bars.len() as f64 + 8.0;
    let export_id = use_export_id();
    html! {
        <figure class="chart bars" data-testid={props.testid.clone()} id={export_id.clone()}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {height}")} role="img" aria-label={props.caption.clone()}>
                    { for props.bars.iter().enumerate().map(|(i, bar)| {
                        let y = 4.0 + i as f64 * ROW;
                        let width = (bar.value / top * (W - LABEL_W - 90.0)).max(1.0);
                        html! {
                            <g class={classes!("bar-row", bar.alert.then_some("alert"))}>
                                <text class="tick" x={(LABEL_W - 6.0).to_string()} y={(y + 15.0).to_string()} text-anchor="end">{ bar.label.clone() }</text>
                                <rect x={LABEL_W.to_string()} y={(y + 3.0).to_string()} width={format!("{width:.1}")} height={(ROW - 7.0).to_string()} />
                                <text class="value" x={format!("{:.1}", LABEL_W + width + 5.0)} y={(y + 15.0).to_string()}>{ props.format.emit(bar.value) }</text>
                            </g>
                        }
                    }) }
                </svg>
            </ChartScroller>
            <ExportButtons target={export_id.clone()} name="bars" />
            <figcaption>{ props.caption.clone() }</figcaption>
        </figure>
    }
}
