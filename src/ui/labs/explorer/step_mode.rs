//! Step mode: the visitor is the scheduler. One column per thread, the shared state, undo and
//! redo, the schedule so far, and the outcome once no thread can run.

use super::schedule_input::ScheduleInput;
use super::schedule_strip::ScheduleStrip;
use super::shared_state::SharedState;
use super::thread_column::ThreadColumn;
use crate::model::labs::explorer::{History, LineRange, Outcome, ThreadStatus, schedule_text};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StepModeProps {
    pub history: History,
    pub source: Rc<str>,
    pub lines: Rc<Vec<LineRange>>,
    /// The editor's text does not parse: say that this is the last version that did.
    pub stale: bool,
    pub notice: Option<String>,
    pub on_step: Callback<usize>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    pub on_go_to: Callback<usize>,
    /// Loads a schedule typed by the visitor.
    pub on_load: Callback<Rc<Vec<usize>>>,
}

/// The step-mode panel.
#[component]
pub fn StepMode(props: &StepModeProps) -> Html {
    let history = &props.history;
    let view = Rc::new(history.current().view());
    let position = history.position();
    let total = history.len();
    let next_thread = history.next_step().map(|s| s.thread);
    let thread_names: Vec<String> = view.threads.iter().map(|t| t.name.clone()).collect();
    let current_schedule = schedule_text(&history.schedule(), &thread_names);
    let go_to = |target: usize| {
        let on_go_to = props.on_go_to.clone();
        Callback::from(move |_: MouseEvent| on_go_to.emit(target))
    };
    let on_undo = props.on_undo.reform(|_: MouseEvent| ());
    let on_redo = props.on_redo.reform(|_: MouseEvent| ());
    let last = history.last_step().map_or_else(
        || "No step yet: press a thread's button to run its next atomic step.".to_string(),
        |s| format!("Step {position}: {}", s.label),
    );
    html! {
        <section class="step-mode" aria-labelledby="step-mode-title" data-testid="step-mode">
            <h3 id="step-mode-title">{ t!("heading.step_mode").to_string() }</h3>
            <p class="muted">
                { "Each button runs that thread's next atomic step: one read or write of a shared variable, or one action on a lock, " }
                { "semaphore, event or condition. The highlighted line is the statement the thread runs next." }
            </p>
            if props.stale {
                <p class="notice">{ "The editor has an error; this is the last version of the program that parsed." }</p>
            }
            <div class="step-controls" role="toolbar" aria-label="History">
                <button type="button" onclick={go_to(0)} disabled={position == 0} data-testid="to-start">{ "◀◀ Start" }</button>
                <button type="button" onclick={on_undo} disabled={position == 0} data-testid="undo">{ "↶ Undo" }</button>
                <button type="button" onclick={on_redo} disabled={position == total} data-testid="redo">{ "↷ Redo" }</button>
                <button type="button" onclick={go_to(total)} disabled={position == total} data-testid="to-end">{ "Jump to end ▶▶" }</button>
                <span class="position" data-testid="position">
                    { if total > position { format!("step {position} of {total}") } else { format!("step {position}") } }
                </span>
            </div>
            <p class="last-step" aria-live="polite" data-testid="last-step">{ last }</p>
            if let Some(notice) = &props.notice {
                <p class="notice" data-testid="step-notice">{ notice.clone() }</p>
            }
            <div class="step-grid">
                <div class="thread-cols">
                    { for view.threads.iter().enumerate().map(|(index, thread)| html! {
                        <ThreadColumn index={index} thread={thread.clone()}
                            can_step={thread.status == ThreadStatus::Running && view.outcome.is_none()}
                            next_in_schedule={next_thread == Some(index)}
                            source={props.source.clone()} lines={props.lines.get(index).copied()}
                            on_step={props.on_step.clone()} />
                    }) }
                </div>
                <SharedState view={view.clone()} />
            </div>
            if let Some(outcome) = &view.outcome {
                { outcome_banner(outcome) }
            }
            <ScheduleInput current={current_schedule} thread_names={Rc::new(thread_names.clone())} on_load={props.on_load.clone()} />
            <ScheduleStrip history={history.clone()} thread_names={thread_names} on_go_to={props.on_go_to.clone()} />
        </section>
    }
}

fn outcome_banner(outcome: &Outcome) -> Html {
    let (class, title, detail) = match outcome {
        Outcome::Finished {
            shared,
            failed_checks,
        } => {
            let values = crate::model::labs::explorer::shared_text(shared);
            if failed_checks.is_empty() {
                ("finished", "Finished", values)
            } else {
                (
                    "failed",
                    "Finished, but a check failed",
                    format!("{values}; {}", failed_checks.join("; ")),
                )
            }
        }
        Outcome::Deadlock { description } => ("deadlock", "Deadlock", description.clone()),
        Outcome::AssertionFailed { message } => ("failed", "Assertion failed", message.clone()),
        Outcome::Error { message } => ("failed", "Error", message.clone()),
    };
    html! {
        <p class={classes!("outcome", class)} role="status" data-testid="step-outcome">
            <strong>{ format!("{title}: ") }</strong>{ detail }
        </p>
    }
}
