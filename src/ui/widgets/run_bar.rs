//! Run and Cancel buttons with the error line and the progress bar of a running experiment.

use super::progress_bar::ProgressBar;
use crate::runtime::cancel;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunBarProps {
    pub label: AttrValue,
    pub running: bool,
    /// No pool yet: Run is disabled.
    pub disabled: bool,
    pub on_run: Callback<()>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
    #[prop_or_default]
    pub progress: (u64, u64),
}

#[component]
pub fn RunBar(props: &RunBarProps) -> Html {
    let on_run = props.on_run.reform(|_: MouseEvent| ());
    let on_cancel = Callback::from(|_: MouseEvent| cancel::cancel_all());
    html! {
        <>
            <div class="buttons">
                <button type="button" onclick={on_run} disabled={props.running || props.disabled} data-testid="run">
                    { props.label.clone() }</button>
                <button type="button" onclick={on_cancel} disabled={!props.running} data-testid="cancel">{ t!("run.cancel").to_string() }</button>
            </div>
            if props.disabled && !props.running {
                <p class="note" role="status" data-testid="disabled-why">
                    { t!("run.disabled_why").to_string() }</p>
            }
            if let Some(error) = &props.error {
                { run_message(error) }
            }
            if props.running {
                <ProgressBar done={props.progress.0} total={props.progress.1} label={t!("widgets.run_bar.running").to_string()} />
            }
        </>
    }
}

/// A run's error line. Cancelling is the visitor's choice, not a failure: it is said calmly
/// as a status, not as an error.
pub fn run_message(error: &str) -> Html {
    if error.starts_with("cancelled") {
        html! {
            <p class="note cancelled" role="status" data-testid="cancelled">
                { t!("run.cancelled", detail = error).to_string() }</p>
        }
    } else {
        html! { <p class="error" role="alert" data-testid="error">{ error.to_string() }</p> }
    }
}
