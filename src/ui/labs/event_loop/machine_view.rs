//! The simulated machine as boxes: call stack, microtask queue, macrotask queue, timers,
//! tasks, output and the virtual clock. The last step's source and destination boxes are
//! outlined and its new entries lit, so what moved is visible at a glance.

use crate::model::labs::event_loop::moves::{Area, Moves};
use crate::model::labs::event_loop::{Event, Snapshot, TaskState};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct MachineViewProps {
    pub snapshot: Rc<Snapshot>,
    pub moves: Rc<Moves>,
    pub event: Option<Rc<Event>>,
}

/// The boxes, with a one-line "from → to" caption of the last move.
#[component]
pub fn MachineView(props: &MachineViewProps) -> Html {
    let snap = &props.snapshot;
    let m = &props.moves;
    let boxed = |area: Area, body: Html| {
        let class = classes!(
            "el-box",
            area.name(),
            (m.from == Some(area)).then_some("from"),
            (m.to == Some(area)).then_some("to"),
            m.changed.contains(&area).then_some("changed"),
        );
        html! {
            <section {class} data-testid={format!("box-{}", area.name())} aria-label={area.title()}>
                <h4>{ area.title() }</h4>
                { body }
            </section>
        }
    };
    let queue = |items: &[String], new: &[usize], empty: &str| {
        if items.is_empty() {
            return html! { <p class="empty">{ empty.to_string() }</p> };
        }
        html! {
            <ol class="items">
                { for items.iter().enumerate().map(|(i, item)| html! {
                    <li class={classes!(new.contains(&i).then_some("new"))}>{ item.clone() }</li>
                }) }
            </ol>
        }
    };
    // Top of the stack first, as a stack is drawn.
    let stack = if snap.call_stack.is_empty() {
        html! { <p class="empty">{ t!("event_loop.own.stack_empty").to_string() }</p> }
    } else {
        html! {
            <ol class="items stack" reversed=true>
                { for snap.call_stack.iter().enumerate().rev().map(|(i, frame)| html! {
                    <li class={classes!(m.new_stack.contains(&i).then_some("new"))}>
                        <strong>{ frame.name.clone() }</strong>
                        if frame.fiber != frame.name { <span class="muted">{ t!("event_loop.machine.in_fiber", fiber = frame.fiber.clone()).to_string() }</span> }
                    </li>
                }) }
            </ol>
        }
    };
    let timers: Vec<String> = snap
        .timers
        .iter()
        .map(|t| {
            t!(
                "event_loop.machine.timer",
                due = t.due_ms,
                name = t.name.clone()
            )
            .to_string()
        })
        .collect();
    let tasks = if snap.tasks.is_empty() {
        html! { <p class="empty">{ t!("event_loop.own.none").to_string() }</p> }
    } else {
        html! {
            <ul class="items tasks">
                { for snap.tasks.iter().enumerate().map(|(i, t)| {
                    let state = match t.state {
                        TaskState::Pending => "pending",
                        TaskState::Running => "running",
                        TaskState::Done => "done",
                        TaskState::Cancelled => "cancelled",
                    };
                    let shown = match t.state {
                        TaskState::Pending => t!("event_loop.waits.state_pending"),
                        TaskState::Running => t!("event_loop.waits.state_running"),
                        TaskState::Done => t!("event_loop.waits.state_done"),
                        TaskState::Cancelled => t!("event_loop.waits.state_cancelled"),
                    };
                    html! {
                        <li class={classes!("chip", state, m.changed_tasks.contains(&i).then_some("new"))} data-state={state}>
                            <strong>{ t.name.clone() }</strong>{ format!(" · {shown}") }
                            // The detail is in the page's language: compare it with the shown state.
                            if !t.detail.is_empty() && t.detail != state && t.detail != shown {
                                <span class="muted">{ format!(" — {}", t.detail) }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
        }
    };
    let printed_now = props
        .event
        .as_ref()
        .and_then(|e| e.printed.clone())
        .is_some();
    let output = html! { <>
        <ol class="items output-lines" data-testid="model-output">
            { for snap.output.iter().enumerate().map(|(i, line)| html! {
                <li class={classes!((printed_now && i + 1 == snap.output.len()).then_some("new"))}>{ line.clone() }</li>
            }) }
        </ol>
        // An empty box read as broken; part 4's output box says the same.
        if snap.output.is_empty() {
            <p class="empty">{ t!("event_loop.own.nothing_printed").to_string() }</p>
        }
    </> };
    let arrow = match (m.from, m.to) {
        (Some(from), Some(to)) => format!("{} → {}", from.title(), to.title()),
        (None, Some(to)) => t!("event_loop.machine.into", area = to.title()).to_string(),
        (Some(from), None) => t!("event_loop.machine.out_of", area = from.title()).to_string(),
        (None, None) => t!("event_loop.machine.nothing_moved").to_string(),
    };
    html! {
        <div class="machine">
            <p class="arrow" data-testid="model-arrow" aria-live="polite">
                <span class="muted">{ t!("event_loop.machine.moved").to_string() }</span>{ arrow }</p>
            <div class="boxes">
                { boxed(Area::CallStack, html! {
                    <>
                        <p class="control">{ t!("event_loop.machine.control", control = snap.control.clone()).to_string() }</p>
                        { stack }
                    </>
                }) }
                { boxed(Area::Microtasks, queue(&snap.microtasks, &m.new_microtasks, &t!("event_loop.own.empty"))) }
                { boxed(Area::Macrotasks, queue(&snap.macrotasks, &m.new_macrotasks, &t!("event_loop.own.empty"))) }
                { boxed(Area::Timers, queue(&timers, &m.new_timers, &t!("event_loop.machine.no_timers"))) }
                { boxed(Area::Clock, html! { <p class="clock" data-testid="model-clock">{ format!("{} ms", snap.time_ms) }</p> }) }
                { boxed(Area::Tasks, tasks) }
                { boxed(Area::Output, output) }
            </div>
        </div>
    }
}
