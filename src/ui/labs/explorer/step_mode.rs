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
        || t!("explorer.step.no_step_yet").to_string(),
        |s| t!("explorer.step.last", n = position, label = s.label.clone()).to_string(),
    );
    html! {
        <section class="step-mode" aria-labelledby="step-mode-title" data-testid="step-mode">
            <h3 id="step-mode-title">{ t!("heading.step_mode").to_string() }</h3>
            <p class="muted">{ t!("explorer.step.intro").to_string() }</p>
            if props.stale {
                <p class="notice">{ t!("explorer.step.stale").to_string() }</p>
            }
            <div class="step-controls" role="toolbar" aria-label={t!("explorer.step.history").to_string()}>
                <button type="button" onclick={go_to(0)} disabled={position == 0} data-testid="to-start">{ t!("explorer.step.to_start").to_string() }</button>
                <button type="button" onclick={on_undo} disabled={position == 0} data-testid="undo">{ t!("explorer.step.undo").to_string() }</button>
                <button type="button" onclick={on_redo} disabled={position == total} data-testid="redo">{ t!("explorer.step.redo").to_string() }</button>
                <button type="button" onclick={go_to(total)} disabled={position == total} data-testid="to-end">{ t!("explorer.step.to_end").to_string() }</button>
                <span class="position" data-testid="position">
                    { if total > position {
                        t!("explorer.step.position_of", n = position, total = total)
                    } else {
                        t!("explorer.schedule.step", n = position)
                    }.to_string() }
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
                ("finished", t!("explorer.step.finished"), values)
            } else {
                (
                    "failed",
                    t!("explorer.step.check_failed"),
                    format!("{values}; {}", failed_checks.join("; ")),
                )
            }
        }
        Outcome::Deadlock { description } => (
            "deadlock",
            t!("explorer.results.deadlock"),
            description.clone(),
        ),
        Outcome::AssertionFailed { message } => (
            "failed",
            t!("explorer.results.assertion_failed"),
            message.clone(),
        ),
        Outcome::Error { message } => ("failed", t!("explorer.results.error"), message.clone()),
    };
    html! {
        <p class={classes!("outcome", class)} role="status" data-testid="step-outcome">
            <strong>{ t!("explorer.results.problem_title", title = title).to_string() }</strong>{ detail }
        </p>
    }
}
