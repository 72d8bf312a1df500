//! The notes' thread life cycle drawn for a finished run: each arrow counts how often the
//! run's threads took it, counted from their recorded spans. Runnable is inferred (a page
//! never sees a thread wait for a core), and preemption (running → runnable) is never seen.

use crate::model::thread_state::{LifeStage, life_cycle};
use crate::ui::widgets::state_diagram::{Arrow, Node, StateDiagram};
use crate::ui::widgets::timeline::SpanLog;
use yew::prelude::*;

/// The three ways to block in a row under runnable and running: each entered from running
/// and left to runnable, the slanted arrows' counts near their start so none overlap.
fn place(stage: LifeStage) -> (f64, f64) {
    match stage {
        LifeStage::New => (55.0, 40.0),
        LifeStage::Runnable => (195.0, 40.0),
        LifeStage::Running => (415.0, 40.0),
        LifeStage::Dead => (555.0, 40.0),
        LifeStage::Locked => (195.0, 165.0),
        LifeStage::Sleeping => (305.0, 165.0),
        LifeStage::Waiting => (415.0, 165.0),
    }
}

fn stage_name(stage: LifeStage) -> String {
    match stage {
        LifeStage::New => t!("widgets.thread_life.new"),
        LifeStage::Runnable => t!("widgets.thread_life.runnable"),
        LifeStage::Running => t!("widgets.thread_life.running"),
        LifeStage::Locked => t!("widgets.thread_life.locked"),
        LifeStage::Sleeping => t!("widgets.thread_life.sleeping"),
        LifeStage::Waiting => t!("widgets.thread_life.waiting"),
        LifeStage::Dead => t!("widgets.thread_life.dead"),
    }
    .to_string()
}

/// Every arrow of the diagram, the unseen preemption among them.
const ARROWS: [(LifeStage, LifeStage); 10] = [
    (LifeStage::New, LifeStage::Runnable),
    (LifeStage::Runnable, LifeStage::Running),
    (LifeStage::Running, LifeStage::Runnable),
    (LifeStage::Running, LifeStage::Locked),
    (LifeStage::Running, LifeStage::Sleeping),
    (LifeStage::Running, LifeStage::Waiting),
    (LifeStage::Locked, LifeStage::Runnable),
    (LifeStage::Sleeping, LifeStage::Runnable),
    (LifeStage::Waiting, LifeStage::Runnable),
    (LifeStage::Running, LifeStage::Dead),
];

#[derive(Properties, PartialEq)]
pub struct ThreadLifeProps {
    pub log: SpanLog,
    /// The run's threads are lanes `0..threads`; other lanes (locks, marks) are left out.
    pub threads: u32,
    /// Drawn only once the run is over: a thread still alive has not reached dead.
    pub done: bool,
    pub testid: AttrValue,
}

#[component]
pub fn ThreadLife(props: &ThreadLifeProps) -> Html {
    if !props.done || props.log.is_empty() {
        return html! {};
    }
    let spans: Vec<_> = props
        .log
        .states()
        .into_iter()
        .filter(|s| s.0 < props.threads)
        .collect();
    let moves = life_cycle(&spans);
    let nodes: Vec<Node> = LifeStage::ALL
        .into_iter()
        .map(|stage| Node {
            key: stage.key(),
            text: stage_name(stage),
            at: place(stage),
            classes: classes!((stage == LifeStage::Runnable).then_some("inferred")),
            title: String::new(),
            count: None,
        })
        .collect();
    let arrows: Vec<Arrow> = ARROWS
        .into_iter()
        .map(|(from, to)| {
            let preempted = (from, to) == (LifeStage::Running, LifeStage::Runnable);
            let n = moves.count(from, to);
            Arrow {
                from: from.key(),
                to: to.key(),
                label: if preempted { "?".into() } else { n.to_string() },
                bend: match (from, to) {
                    (LifeStage::Runnable, LifeStage::Running) => -8.0,
                    (LifeStage::Running, LifeStage::Runnable) => 8.0,
                    _ => 0.0,
                },
                unseen: preempted || n == 0,
                label_at: if place(from).0 != place(to).0 && place(from).1 != place(to).1 {
                    0.3
                } else {
                    0.5
                },
            }
        })
        .collect();
    let mut note = t!("widgets.thread_life.note").to_string();
    if props.log.dropped() > 0 {
        // Counted from what the recorder kept: say so rather than look complete.
        note.push(' ');
        note.push_str(&t!("widgets.thread_life.partial", n = props.log.dropped()));
    }
    html! {
        <StateDiagram class="thread-life" testid={props.testid.clone()} size={(610.0, 190.0)} {nodes} {arrows}
            caption={t!("widgets.thread_life.caption").to_string()} {note} />
    }
}
