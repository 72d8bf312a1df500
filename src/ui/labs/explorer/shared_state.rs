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
        view.threads
            .get(thread)
            .map_or_else(|| format!("thread {thread}"), |t| t.name.clone())
    };
    let names = |threads: &[usize]| {
        if threads.is_empty() {
            "nobody".to_string()
        } else {
            threads
                .iter()
                .map(|&t| name(t))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    html! {
        <aside class="shared-state" aria-label="Shared state" data-testid="shared">
            <h4>{ "Shared variables" }</h4>
            if view.shared.is_empty() {
                <p class="muted">{ "none" }</p>
            }
            <dl class="variables">
                { for view.shared.iter().map(|v| html! {
                    <div><dt>{ v.name.clone() }</dt><dd data-testid={format!("var-{}", v.name)}>{ v.value }</dd></div>
                }) }
            </dl>
            if !view.locks.is_empty() {
                <h4>{ "Locks" }</h4>
                <ul class="objects">
                    { for view.locks.iter().map(|lock| {
                        let kind = if lock.reentrant { "rlock" } else { "lock" };
                        let holder = match lock.owner {
                            Some(owner) if lock.reentrant => format!("held by {} (count {})", name(owner), lock.count),
                            Some(owner) => format!("held by {}", name(owner)),
                            None => "free".to_string(),
                        };
                        html! {
                            <li class={classes!(lock.owner.is_some().then_some("held"))} data-testid={format!("lock-{}", lock.name)}>
                                <code>{ format!("{kind} {}", lock.name) }</code>{ format!(": {holder}") }</li>
                        }
                    }) }
                </ul>
            }
            if !view.semaphores.is_empty() {
                <h4>{ "Semaphores" }</h4>
                <ul class="objects">
                    { for view.semaphores.iter().map(|s| html! {
                        <li data-testid={format!("semaphore-{}", s.name)}><code>{ s.name.clone() }</code>
                            { format!(": {} permit{} left", s.permits, if s.permits == 1 { "" } else { "s" }) }</li>
                    }) }
                </ul>
            }
            if !view.events.is_empty() {
                <h4>{ "Events" }</h4>
                <ul class="objects">
                    { for view.events.iter().map(|e| html! {
                        <li data-testid={format!("event-{}", e.name)}><code>{ e.name.clone() }</code>
                            { if e.set { ": set" } else { ": clear" } }</li>
                    }) }
                </ul>
            }
            if !view.conditions.is_empty() {
                <h4>{ "Conditions" }</h4>
                <ul class="objects">
                    { for view.conditions.iter().map(|c| html! {
                        <li data-testid={format!("condition-{}", c.name)}><code>{ format!("{}({})", c.name, c.lock) }</code>
                            { format!(": waiting {}; notified {}", names(&c.waiting), names(&c.notified)) }</li>
                    }) }
                </ul>
            }
        </aside>
    }
}
