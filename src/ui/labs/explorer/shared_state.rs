//! What all threads share in step mode: variables, locks (owner and count), semaphores, events
//! and the threads waiting on each condition.

use crate::model::labs::explorer::MachineView;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharedStateProps {
    pub view: Rc<MachineView>,
}

/// Variables and synchronisation objects of the current state.
#[component]
pub fn SharedState(props: &SharedStateProps) -> Html {
    let view = &props.view;
    let name = |thread: usize| {
        view.threads.get(thread).map_or_else(
            || t!("explorer.shared.thread", n = thread).to_string(),
            |t| t.name.clone(),
        )
    };
    let names = |threads: &[usize]| {
        if threads.is_empty() {
            t!("explorer.shared.nobody").to_string()
        } else {
            threads
                .iter()
                .map(|&t| name(t))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    html! {
        <aside class="shared-state" aria-label={t!("explorer.shared.label").to_string()} data-testid="shared">
            <h4>{ t!("explorer.shared.variables").to_string() }</h4>
            if view.shared.is_empty() {
                <p class="muted">{ t!("explorer.shared.none").to_string() }</p>
            }
            <dl class="variables">
                { for view.shared.iter().map(|v| html! {
                    <div><dt>{ v.name.clone() }</dt><dd data-testid={format!("var-{}", v.name)}>{ v.value }</dd></div>
                }) }
            </dl>
            if !view.locks.is_empty() {
                <h4>{ t!("explorer.shared.locks").to_string() }</h4>
                <ul class="objects">
                    { for view.locks.iter().map(|lock| {
                        let kind = if lock.reentrant { "rlock" } else { "lock" };
                        let holder = match lock.owner {
                            Some(owner) if lock.reentrant => t!("explorer.shared.held_count", name = name(owner), count = lock.count).to_string(),
                            Some(owner) => t!("explorer.shared.held", name = name(owner)).to_string(),
                            None => t!("explorer.shared.free").to_string(),
                        };
                        html! {
                            <li class={classes!(lock.owner.is_some().then_some("held"))} data-testid={format!("lock-{}", lock.name)}>
                                <code>{ format!("{kind} {}", lock.name) }</code>{ holder }</li>
                        }
                    }) }
                </ul>
            }
            if !view.semaphores.is_empty() {
                <h4>{ t!("explorer.shared.semaphores").to_string() }</h4>
                <ul class="objects">
                    { for view.semaphores.iter().map(|s| html! {
                        <li data-testid={format!("semaphore-{}", s.name)}><code>{ s.name.clone() }</code>
                            { if s.permits == 1 {
                                t!("explorer.shared.permit_left", n = s.permits)
                            } else {
                                t!("explorer.shared.permits_left", n = s.permits)
                            }.to_string() }</li>
                    }) }
                </ul>
            }
            if !view.events.is_empty() {
                <h4>{ t!("explorer.shared.events").to_string() }</h4>
                <ul class="objects">
                    { for view.events.iter().map(|e| html! {
                        <li data-testid={format!("event-{}", e.name)}><code>{ e.name.clone() }</code>
                            { if e.set { t!("explorer.shared.set") } else { t!("explorer.shared.clear") }.to_string() }</li>
                    }) }
                </ul>
            }
            if !view.conditions.is_empty() {
                <h4>{ t!("explorer.shared.conditions").to_string() }</h4>
                <ul class="objects">
                    { for view.conditions.iter().map(|c| html! {
                        <li data-testid={format!("condition-{}", c.name)}><code>{ format!("{}({})", c.name, c.lock) }</code>
                            { t!("explorer.shared.condition", waiting = names(&c.waiting), notified = names(&c.notified)).to_string() }</li>
                    }) }
                </ul>
            }
        </aside>
    }
}
