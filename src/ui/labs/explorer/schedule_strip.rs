//! The schedule so far: a strip with one lane per thread and one cell per atomic step (who ran
//! when), and the list of step labels; both show the steps ahead of the cursor (undone, or a
//! loaded witness) faded. Clicking a step in the list moves there.

use crate::model::labs::explorer::History;
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScheduleStripProps {
    pub history: History,
    pub thread_names: Vec<String>,
    pub on_go_to: Callback<usize>,
}

const WIDTH: f64 = 1000.0;
const LEFT: f64 = 70.0;
const LANE_H: f64 = 18.0;
const TOP: f64 = 4.0;
/// Steps listed on each side of the cursor; longer schedules are listed in a window.
const LIST_WINDOW: usize = 40;

/// Strip and step list.
#[component]
pub fn ScheduleStrip(props: &ScheduleStripProps) -> Html {
    let steps = props.history.steps();
    let position = props.history.position();
    if steps.is_empty() {
        return html! {
            <p class="muted" data-testid="schedule-empty">{ t!("explorer.schedule.empty").to_string() }</p>
        };
    }
    let lanes = props.thread_names.len().max(1);
    let cell = ((WIDTH - LEFT - 4.0) / steps.len() as f64).min(28.0);
    let height = TOP * 2.0 + lanes as f64 * LANE_H + 14.0;
    let x = |step: usize| LEFT + step as f64 * cell;
    // One rectangle per run of consecutive steps by the same thread, split at the cursor.
    let mut runs: Vec<(usize, usize, usize)> = Vec::new(); // (thread, first, last)
    for (i, step) in steps.iter().enumerate() {
        match runs.last_mut() {
            Some((thread, _, last))
                if *thread == step.thread && *last + 1 == i && i != position =>
            {
                *last = i;
            }
            _ => runs.push((step.thread, i, i)),
        }
    }
    let bars = runs.iter().map(|&(thread, first, last)| {
        let ahead = first >= position;
        let name = props.thread_names.get(thread).cloned().unwrap_or_default();
        let title = if first == last {
            t!("explorer.schedule.step_by", n = first + 1, name = name).to_string()
        } else {
            t!("explorer.schedule.steps_by", from = first + 1, to = last + 1, name = name).to_string()
        };
        html! {
            <rect class={classes!("run", format!("t{}", thread % 8), ahead.then_some("ahead"))}
                  x={format!("{:.1}", x(first) + 0.5)} y={format!("{:.1}", TOP + thread as f64 * LANE_H + 2.0)}
                  width={format!("{:.1}", ((last - first + 1) as f64 * cell - 1.0).max(0.8))} height={(LANE_H - 4.0).to_string()}>
                <title>{ title }</title>
            </rect>
        }
    });
    let labels = props.thread_names.iter().enumerate().map(|(lane, name)| {
        html! { <text class="lane-label" x="4" y={format!("{:.1}", TOP + lane as f64 * LANE_H + LANE_H - 5.0)}>{ name.clone() }</text> }
    });
    let cursor_x = x(position);
    let first_listed = position.saturating_sub(LIST_WINDOW);
    let last_listed = (position + LIST_WINDOW).min(steps.len());
    let items = steps[first_listed..last_listed]
        .iter()
        .enumerate()
        .map(|(offset, step)| {
            let number = first_listed + offset + 1;
            let onclick = {
                let on_go_to = props.on_go_to.clone();
                Callback::from(move |_: MouseEvent| on_go_to.emit(number))
            };
            let class = classes!(
                format!("t{}", step.thread % 8),
                (number == position).then_some("current"),
                (number > position).then_some("ahead"),
                step.lost_update.then_some("lost-update")
            );
            html! {
                <li {class} value={number.to_string()}>
                    <button type="button" class="link" {onclick} aria-current={(number == position).then_some("step")}
                            title={t!("explorer.schedule.go_to", n = number).to_string()}>{ step.label.clone() }</button>
                </li>
            }
        });
    html! {
        <div class="schedule" data-testid="schedule">
            <ChartScroller view_width={WIDTH}>
                <svg viewBox={format!("0 0 {WIDTH} {height:.0}")} role="img"
                     aria-label={t!("explorer.schedule.label", n = steps.len(), taken = position).to_string()}>
                    { for labels }
                    { for bars }
                    { for steps.iter().enumerate().filter(|(_, s)| s.lost_update).map(|(i, s)| html! {
                        <text class="lost-mark" x={format!("{:.1}", x(i) + cell / 2.0)} text-anchor="middle"
                              y={format!("{:.1}", TOP + s.thread as f64 * LANE_H + LANE_H - 5.0)}>
                            <title>{ t!("explorer.schedule.lost_update", n = i + 1).to_string() }</title>{ "✗" }</text>
                    }) }
                    <line class="cursor" x1={format!("{cursor_x:.1}")} x2={format!("{cursor_x:.1}")} y1="0" y2={format!("{:.1}", height - 12.0)} />
                    <text class="tick" x={format!("{cursor_x:.1}")} y={format!("{:.1}", height - 2.0)} text-anchor="middle">
                        { t!("explorer.schedule.step", n = position).to_string() }</text>
                </svg>
            </ChartScroller>
            <details class="step-log-box" open=true>
                <summary>{ match steps.len() - position {
                    0 => t!("explorer.schedule.taken", n = position).to_string(),
                    ahead => t!("explorer.schedule.taken_ahead", n = position, ahead = ahead).to_string(),
                } }</summary>
                if first_listed > 0 {
                    <p class="muted">{ t!("explorer.schedule.earlier", n = first_listed).to_string() }</p>
                }
                <ol class="step-log" data-testid="step-log" start={(first_listed + 1).to_string()}>{ for items }</ol>
                if last_listed < steps.len() {
                    <p class="muted">{ t!("explorer.schedule.more_ahead", n = steps.len() - last_listed).to_string() }</p>
                }
            </details>
        </div>
    }
}
