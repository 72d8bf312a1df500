//! The life cycle of asyncio's tasks as a state diagram: how many tasks sit in each phase at
//! this step (their names on hover), and how often any task took each arrow so far.

use crate::model::labs::event_loop::py::life_cycle::{Moves, TaskPhase};
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

/// Centre of each phase's box in the 640 × 204 view.
fn place(phase: TaskPhase) -> (f64, f64) {
    match phase {
        TaskPhase::Created => (60.0, 70.0),
        TaskPhase::Ready => (205.0, 70.0),
        TaskPhase::Running => (360.0, 70.0),
        TaskPhase::Waiting => (282.0, 160.0),
        TaskPhase::Done => (560.0, 40.0),
        TaskPhase::Failed => (560.0, 100.0),
        TaskPhase::Cancelled => (560.0, 165.0),
    }
}

/// Half the width and height of a box.
const HALF: (f64, f64) = (52.0, 17.0);

fn phase_name(phase: TaskPhase) -> String {
    match phase {
        TaskPhase::Created => t!("event_loop.tasks.created"),
        TaskPhase::Ready => t!("event_loop.tasks.ready"),
        TaskPhase::Running => t!("event_loop.tasks.running"),
        TaskPhase::Waiting => t!("event_loop.tasks.waiting"),
        TaskPhase::Done => t!("event_loop.tasks.done"),
        TaskPhase::Failed => t!("event_loop.tasks.failed"),
        TaskPhase::Cancelled => t!("event_loop.tasks.cancelled"),
    }
    .to_string()
}

/// Where the segment from the centre of a box towards (dx, dy) leaves it.
fn edge(dx: f64, dy: f64) -> (f64, f64) {
    let scale = (HALF.0 / dx.abs().max(1e-9)).min(HALF.1 / dy.abs().max(1e-9));
    (dx * scale, dy * scale)
}

#[derive(Properties, PartialEq)]
pub struct TaskDiagramProps {
    /// Every task's name and phase at this step.
    pub tasks: Vec<(String, TaskPhase)>,
    pub moves: Moves,
}

#[component]
pub fn TaskDiagram(props: &TaskDiagramProps) -> Html {
    let arrow = |&(from, to): &(TaskPhase, TaskPhase)| {
        let ((x1, y1), (x2, y2)) = (place(from), place(to));
        // Ready and Running are joined both ways: one arrow above the other.
        let bend = match (from, to) {
            (TaskPhase::Ready, TaskPhase::Running) => -7.0,
            (TaskPhase::Running, TaskPhase::Ready) => 7.0,
            _ => 0.0,
        };
        let (dx, dy) = (x2 - x1, y2 - y1);
        let (ox, oy) = edge(dx, dy);
        let (sx, sy, ex, ey) = (x1 + ox, y1 + oy + bend, x2 - ox, y2 - oy + bend);
        let count = props.moves.count(from, to);
        let (label_dx, label_dy) = match (from, to) {
            (TaskPhase::Running, TaskPhase::Ready) => (0.0, 15.0),
            _ if dy == 0.0 => (0.0, -6.0),
            _ if dx < 0.0 => (-10.0, 4.0),
            _ => (10.0, 4.0),
        };
        html! {
            <g class={classes!("arrow", (count == 0).then_some("unseen"))} data-from={from.key()} data-to={to.key()}>
                <line x1={format!("{sx:.1}")} y1={format!("{sy:.1}")} x2={format!("{ex:.1}")} y2={format!("{ey:.1}")} marker-end="url(#el-arrowhead)" />
                <text x={format!("{:.1}", (sx + ex) / 2.0 + label_dx)} y={format!("{:.1}", (sy + ey) / 2.0 + label_dy)}
                    text-anchor="middle" class="count">{ count }</text>
            </g>
        }
    };
    let node = |phase: TaskPhase| {
        let (x, y) = place(phase);
        let names: Vec<&str> = props
            .tasks
            .iter()
            .filter(|(_, p)| *p == phase)
            .map(|(n, _)| n.as_str())
            .collect();
        html! {
            <g class={classes!("node", phase.key(), (!names.is_empty()).then_some("occupied"))} data-phase={phase.key()} data-count={names.len().to_string()}>
                <title>{ names.join(", ") }</title>
                <rect x={format!("{:.0}", x - HALF.0)} y={format!("{:.0}", y - HALF.1)} width={format!("{:.0}", 2.0 * HALF.0)} height={format!("{:.0}", 2.0 * HALF.1)} rx="6" />
                <text x={format!("{x:.0}")} y={format!("{:.0}", y + 5.0)} text-anchor="middle">
                    { if names.is_empty() { phase_name(phase) } else { format!("{} · {}", phase_name(phase), names.len()) } }</text>
            </g>
        }
    };
    let caption = t!("event_loop.tasks.caption").to_string();
    html! {
        <figure class="state-diagram task-diagram" data-testid="own-task-diagram">
            <ChartScroller view_width={640.0} label={AttrValue::from(caption.clone())}>
                <svg viewBox="0 0 640 204" role="img" aria-label={caption.clone()}>
                    <defs><marker id="el-arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
                        <path d="M0,0 L10,5 L0,10 z" /></marker></defs>
                    // CPython's repr groups the phases: pending, finished, cancelled.
                    <rect class="group" x="140" y="36" width="282" height="158" rx="10" />
                    <text class="group-name" x="148" y="30">{ "<Task pending>" }</text>
                    <rect class="group" x="500" y="16" width="120" height="108" rx="10" />
                    <text class="group-name" x="504" y="11">{ "<Task finished>" }</text>
                    <text class="group-name" x="504" y="200">{ "<Task cancelled>" }</text>
                    { for TaskPhase::MOVES.iter().map(arrow) }
                    { for TaskPhase::ALL.into_iter().map(node) }
                </svg>
            </ChartScroller>
            <figcaption>{ caption }{ " " }{ t!("event_loop.tasks.note").to_string() }</figcaption>
        </figure>
    }
}
