//! One thread in step mode: its button (run its next atomic step), its status, its source with
//! the statement it runs next highlighted, and its locals and temporaries.

use crate::model::labs::explorer::{LineRange, ThreadStatus, ThreadView};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ThreadColumnProps {
    pub index: usize,
    pub thread: ThreadView,
    /// Whether its button may be pressed now.
    pub can_step: bool,
    /// True when the step ahead of the cursor (a loaded witness, or an undone step) is this
    /// thread's.
    pub next_in_schedule: bool,
    pub source: Rc<str>,
    pub lines: Option<LineRange>,
    pub on_step: Callback<usize>,
}

/// A column per thread.
#[component]
pub fn ThreadColumn(props: &ThreadColumnProps) -> Html {
    let thread = &props.thread;
    let onclick = {
        let (on_step, index) = (props.on_step.clone(), props.index);
        Callback::from(move |_: MouseEvent| on_step.emit(index))
    };
    let (status_class, status_text) = status(&thread.status);
    let current = thread.span.map(|s| (s.line, s.end_line.max(s.line)));
    let blocked = matches!(
        thread.status,
        ThreadStatus::Blocked { .. } | ThreadStatus::Waiting { .. }
    );
    let code = props.lines.map(|range| {
        let first = range.first as usize;
        props
            .source
            .lines()
            .enumerate()
            .skip(first.saturating_sub(1))
            .take((range.last - range.first) as usize + 1)
            .map(|(i, text)| {
                let number = i as u32 + 1;
                let here = current.is_some_and(|(from, to)| (from..=to).contains(&number));
                let class = classes!(
                    "code-line",
                    here.then_some("current"),
                    (here && blocked).then_some("blocked")
                );
                html! {
                    <span {class} data-line={number.to_string()} aria-current={here.then_some("step")}>
                        <span class="line-number" aria-hidden="true">{ format!("{number:>3} ") }</span>{ format!("{text}\n") }
                    </span>
                }
            })
            .collect::<Html>()
    });
    html! {
        <article class={classes!("thread-col", format!("t{}", props.index % 8))} data-testid={format!("thread-{}", props.index)}
                 aria-label={t!("explorer.thread.label", name = thread.name.clone()).to_string()}>
            <header>
                <button type="button" class={classes!("step-button", props.next_in_schedule.then_some("suggested"))}
                        onclick={onclick} disabled={!props.can_step} data-testid={format!("step-{}", props.index)}
                        aria-label={t!("explorer.thread.run_next", name = thread.name.clone()).to_string()}>
                    { format!("▶ {}", thread.name) }
                </button>
                <span class={classes!("thread-status", status_class)} data-testid={format!("status-{}", props.index)}>{ status_text }</span>
            </header>
            if props.next_in_schedule {
                <p class="hint">{ t!("explorer.thread.next_in_schedule").to_string() }</p>
            }
            <pre class="thread-code">{ for code }</pre>
            if !thread.locals.is_empty() {
                <ul class="locals" aria-label={t!("explorer.thread.locals", name = thread.name.clone()).to_string()}>
                    { for thread.locals.iter().map(|v| html! {
                        <li><code>{ format!("{} = {}", v.name, v.value) }</code></li>
                    }) }
                </ul>
            }
        </article>
    }
}

fn status(status: &ThreadStatus) -> (&'static str, String) {
    match status {
        ThreadStatus::Running => ("ready", t!("explorer.thread.ready").to_string()),
        ThreadStatus::Blocked { on } => (
            "blocked",
            t!("explorer.thread.blocked", on = on).to_string(),
        ),
        ThreadStatus::Waiting { on } => (
            "waiting",
            t!("explorer.thread.waiting", on = on).to_string(),
        ),
        ThreadStatus::Done => ("done", t!("explorer.thread.finished").to_string()),
        ThreadStatus::Failed { message } => (
            "failed",
            t!("explorer.thread.failed", message = message).to_string(),
        ),
    }
}
