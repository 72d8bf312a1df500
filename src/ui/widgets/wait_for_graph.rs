//! The wait-for graph: threads on the left, locks on the right; a solid arrow from a lock
//! to the thread that holds it, a dashed arrow from a waiting thread to the lock it wants.
//! Edges of a deadlock cycle are drawn in red.

use crate::ui::widgets::export::{ExportButtons, use_export_id};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WaitForGraphProps {
    pub threads: Vec<String>,
    pub resources: Vec<String>,
    /// `(thread, resource)` pairs.
    pub holding: Vec<(usize, usize)>,
    pub waiting: Vec<(usize, usize)>,
    /// Threads in the deadlock cycle, if one was found.
    #[prop_or_default]
    pub cycle: Vec<usize>,
}

const W: f64 = 420.0;
const ROW: f64 = 64.0;

#[component]
pub fn WaitForGraph(props: &WaitForGraphProps) -> Html {
    let rows = props.threads.len().max(props.resources.len()).max(1);
    let height = ROW * rows as f64 + 20.0;
    let thread_at = |i: usize| (80.0, 40.0 + i as f64 * ROW);
    let resource_at = |i: usize| (W - 80.0, 40.0 + i as f64 * ROW);
    let in_cycle = |thread: usize| props.cycle.contains(&thread);
    let export_id = use_export_id();
    html! {
        <figure class="chart wait-for" data-testid="wait-for-graph" id={export_id.clone()}>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {height}")} role="img"
                     aria-label={t!("widgets.wait_for.aria", holds = props.holding.len(), waits = props.waiting.len()).to_string()}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
                        </marker>
                    </defs>
                    { for props.holding.iter().map(|&(t, r)| {
                        let ((tx, ty), (rx, ry)) = (thread_at(t), resource_at(r));
                        let class = classes!("edge", "holds", in_cycle(t).then_some("cycle"));
                        html! { <g><line {class} x1={(rx - 22.0).to_string()} y1={(ry + 6.0).to_string()} x2={(tx + 24.0).to_string()} y2={(ty + 6.0).to_string()} marker-end="url(#arrow)" /></g> }
                    }) }
                    { for props.waiting.iter().map(|&(t, r)| {
                        let ((tx, ty), (rx, ry)) = (thread_at(t), resource_at(r));
                        let class = classes!("edge", "waits", in_cycle(t).then_some("cycle"));
                        html! { <g><line {class} x1={(tx + 24.0).to_string()} y1={(ty - 6.0).to_string()} x2={(rx - 22.0).to_string()} y2={(ry - 6.0).to_string()} marker-end="url(#arrow)" /></g> }
                    }) }
                    { for props.threads.iter().enumerate().map(|(i, name)| {
                        let (x, y) = thread_at(i);
                        html! { <g class={classes!("node", "thread", in_cycle(i).then_some("cycle"))}>
                            <circle cx={x.to_string()} cy={y.to_string()} r="22" />
                            <text x={x.to_string()} y={(y + 5.0).to_string()} text-anchor="middle">{ name.clone() }</text></g> }
                    }) }
                    { for props.resources.iter().enumerate().map(|(i, name)| {
                        let (x, y) = resource_at(i);
                        html! { <g class="node lock">
                            <rect x={(x - 20.0).to_string()} y={(y - 20.0).to_string()} width="40" height="40" rx="5" />
                            <text x={x.to_string()} y={(y + 5.0).to_string()} text-anchor="middle">{ name.clone() }</text></g> }
                    }) }
                </svg>
            </ChartScroller>
            <ExportButtons target={export_id.clone()} name="wait-for-graph" />
            <figcaption>{ t!("widgets.wait_for.caption").to_string() }</figcaption>
        </figure>
    }
}
