//! A labelled progress bar for long runs.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressBarProps {
    pub done: u64,
    pub total: u64,
    pub label: AttrValue,
}

/// Shows `done / total` as a bar with a percentage; indeterminate while `total` is 0.
#[component]
pub fn ProgressBar(props: &ProgressBarProps) -> Html {
    let percent = (100 * props.done.min(props.total))
        .checked_div(props.total)
        .unwrap_or(0);
    html! {
        <div class="progress" role="status" aria-live="polite">
            if props.total > 0 {
                <progress max={props.total.to_string()} value={props.done.to_string()} />
            } else {
                <progress />
            }
            <span>{ format!("{} — {percent} %", props.label) }</span>
        </div>
    }
}
