//! The sideways scroller every chart and timeline sits in: on a narrow screen an SVG
//! keeps a readable size instead of shrinking its text with the page.

use yew::prelude::*;

/// On-screen size, in CSS px, the smallest text of a chart may shrink to.
pub const READABLE_TEXT_PX: f64 = 9.0;

#[derive(Properties, PartialEq)]
pub struct ChartScrollerProps {
    /// Width of the chart's viewBox.
    pub view_width: f64,
    /// Size of the chart's smallest text, in viewBox units (the style sheet's tick labels are 12).
    #[prop_or(12.0)]
    pub smallest_text: f64,
    /// Name of the scrolling region for screen readers; a generic "Chart" when absent.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    pub children: Html,
}

/// The SVG child never draws narrower than the width at which its smallest text is
/// `READABLE_TEXT_PX` tall; below that the region scrolls (and is focusable, so a
/// keyboard can scroll it too).
#[component]
pub fn ChartScroller(props: &ChartScrollerProps) -> Html {
    let min_width = (props.view_width * READABLE_TEXT_PX / props.smallest_text).ceil();
    let label = props
        .label
        .clone()
        .unwrap_or_else(|| t!("widgets.scroller.chart").to_string().into());
    html! {
        <div class="chart-scroll" tabindex="0" role="region" aria-label={label}
             style={format!("--min-width: {min_width}px")}>
            { props.children.clone() }
        </div>
    }
}
