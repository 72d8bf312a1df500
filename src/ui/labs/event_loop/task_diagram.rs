//! The life cycle of asyncio's tasks as a state diagram: how many tasks sit in each phase at
//! this step (their names on hover), and how often any task took each arrow so far.

use crate::model::labs::event_loop::py::life_cycle::{Moves, TaskPhase};
use crate::ui::widgets::state_diagram::{Arrow, Node, StateDiagram};
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

#[derive(Properties, PartialEq)]
pub struct TaskDiagramProps {
    /// Every task's name and phase at this step.
    pub tasks: Vec<(String, TaskPhase)>,
    pub moves: Moves,
}

#[component]
pub fn TaskDiagram(props: &TaskDiagramProps) -> Html {
    let nodes: Vec<Node> = TaskPhase::ALL
        .into_iter()
        .map(|phase| {
            let names: Vec<&str> = props
                .tasks
                .iter()
                .filter(|(_, p)| *p == phase)
                .map(|(n, _)| n.as_str())
                .collect();
            Node {
                key: phase.key(),
                text: match names.len() {
                    0 => phase_name(phase),
                    n => format!("{} · {n}", phase_name(phase)),
                },
                at: place(phase),
                classes: classes!((!names.is_empty()).then_some("occupied")),
                title: names.join(", "),
                count: Some(names.len()),
            }
        })
        .collect();
    let arrows: Vec<Arrow> = TaskPhase::MOVES
        .iter()
        .map(|&(from, to)| {
            let count = props.moves.count(from, to);
            Arrow {
                from: from.key(),
                to: to.key(),
                label: count.to_string(),
                // Ready and Running are joined both ways: one arrow above the other.
                bend: match (from, to) {
                    (TaskPhase::Ready, TaskPhase::Running) => -7.0,
                    (TaskPhase::Running, TaskPhase::Ready) => 7.0,
                    _ => 0.0,
                },
                unseen: count == 0,
                label_at: 0.5,
            }
        })
        .collect();
    // CPython's repr groups the phases: pending, finished, cancelled.
    let backdrop = html! { <>
        <rect class="group" x="140" y="36" width="282" height="158" rx="10" />
        <text class="group-name" x="148" y="30">{ "<Task pending>" }</text>
        <rect class="group" x="500" y="16" width="120" height="108" rx="10" />
        <text class="group-name" x="504" y="11">{ "<Task finished>" }</text>
        <text class="group-name" x="504" y="200">{ "<Task cancelled>" }</text>
    </> };
    html! {
        <StateDiagram class="task-diagram" testid="own-task-diagram" size={(640.0, 204.0)} {nodes} {arrows} {backdrop}
            caption={t!("event_loop.tasks.caption").to_string()} note={t!("event_loop.tasks.note").to_string()} />
    }
}
