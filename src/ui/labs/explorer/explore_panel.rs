//! Explore mode's form: which schedules to try and the budget, Explore and Cancel, and the
//! progress of a search running on a worker.

use super::state::{Field, Form};
use crate::model::labs::explorer::{BUDGET_MAX, BUDGET_MIN, Mode};
use crate::runtime::labs::explorer::ExploreProgress;
use crate::ui::widgets::progress_bar::ProgressBar;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplorePanelProps {
    pub form: Form,
    pub running: bool,
    pub progress: ExploreProgress,
    /// False while the editor's text does not parse.
    pub can_explore: bool,
    pub error: Option<String>,
    pub on_mode: Callback<Mode>,
    pub on_field: Callback<(Field, String)>,
    pub on_explore: Callback<()>,
    pub on_cancel: Callback<()>,
}

/// The search form.
#[component]
pub fn ExplorePanel(props: &ExplorePanelProps) -> Html {
    let on_mode = {
        let on_mode = props.on_mode.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>()
                && let Some(mode) = Mode::from_id(&select.value())
            {
                on_mode.emit(mode);
            }
        })
    };
    let field = |which: Field, label: String, value: &str, testid: &'static str, hint: String| {
        let on_field = props.on_field.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                on_field.emit((which, input.value()));
            }
        });
        html! {
            <label>{ label }
                <input type="text" inputmode="numeric" value={value.to_string()} {oninput}
                       disabled={props.running} data-testid={testid} title={hint} />
            </label>
        }
    };
    let form = &props.form;
    let progress = props.progress;
    html! {
        <section class="explore-panel" aria-labelledby="explore-title">
            <h3 id="explore-title">{ t!("heading.explore").to_string() }</h3>
            <p class="muted">{ t!("explorer.explore.intro").to_string() }</p>
            <form class="controls explore-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t!("explorer.explore.mode").to_string() }
                    <select onchange={on_mode} disabled={props.running} data-testid="mode">
                        { for Mode::ALL.iter().map(|m| html! {
                            <option value={m.id()} selected={*m == form.mode}>{ m.title() }</option>
                        }) }
                    </select>
                </label>
                { field(Field::Budget, t!("explorer.explore.budget").to_string(), &form.budget, "budget",
                        t!("explorer.explore.budget_hint", min = BUDGET_MIN, max = BUDGET_MAX).to_string()) }
                if form.mode == Mode::Bounded {
                    { field(Field::Preemptions, t!("explorer.explore.preemptions").to_string(), &form.preemptions, "preemptions",
                            t!("explorer.explore.preemptions_hint").to_string()) }
                }
                if form.mode == Mode::Random {
                    { field(Field::Schedules, t!("explorer.explore.schedules").to_string(), &form.schedules, "schedules",
                            t!("explorer.explore.schedules_hint").to_string()) }
                    { field(Field::Seed, t!("explorer.explore.seed").to_string(), &form.seed, "seed",
                            t!("explorer.explore.seed_hint").to_string()) }
                }
                { field(Field::MaxSteps, t!("explorer.explore.max_steps").to_string(), &form.max_steps, "max-steps",
                        t!("explorer.explore.max_steps_hint").to_string()) }
                <div class="buttons">
                    <button type="button" onclick={props.on_explore.reform(|_: MouseEvent| ())}
                            disabled={props.running || !props.can_explore} data-testid="explore">{ t!("explorer.explore.explore").to_string() }</button>
                    <button type="button" onclick={props.on_cancel.reform(|_: MouseEvent| ())}
                            disabled={!props.running} data-testid="explore-cancel">{ t!("run.cancel").to_string() }</button>
                </div>
            </form>
            if !props.can_explore {
                <p class="notice">{ t!("explorer.explore.fix_first").to_string() }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" role="alert" data-testid="explore-error">{ error.clone() }</p>
            }
            if props.running {
                <ProgressBar done={progress.states} total={form.budget.trim().parse::<u64>().unwrap_or(0)}
                    label={t!("explorer.explore.progress",
                        what = if progress.counting { t!("explorer.explore.counting") } else { t!("explorer.explore.exploring") },
                        states = progress.states, schedules = progress.schedules).to_string()} />
            }
        </section>
    }
}
