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
    let field =
        |which: Field, label: &'static str, value: &str, testid: &'static str, hint: String| {
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
            <p class="muted">
                { "A model checker runs the program under every possible order of atomic steps (or a sample of them) " }
                { "on a worker thread and lists every way it can end, each with a schedule that gets there." }
            </p>
            <form class="controls explore-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ "Mode" }
                    <select onchange={on_mode} disabled={props.running} data-testid="mode">
                        { for Mode::ALL.iter().map(|m| html! {
                            <option value={m.id()} selected={*m == form.mode}>{ m.title() }</option>
                        }) }
                    </select>
                </label>
                { field(Field::Budget, "Budget (states)", &form.budget, "budget",
                        format!("{BUDGET_MIN} to {BUDGET_MAX} states per search")) }
                if form.mode == Mode::Bounded {
                    { field(Field::Preemptions, "Preemptions k", &form.preemptions, "preemptions",
                            "switches away from a thread that could go on".to_string()) }
                }
                if form.mode == Mode::Random {
                    { field(Field::Schedules, "Schedules n", &form.schedules, "schedules", "random schedules to try".to_string()) }
                    { field(Field::Seed, "Seed", &form.seed, "seed", "the same seed gives the same schedules".to_string()) }
                }
                { field(Field::MaxSteps, "Longest schedule (steps)", &form.max_steps, "max-steps",
                        "schedules longer than this are cut (endless loops)".to_string()) }
                <div class="buttons">
                    <button type="button" onclick={props.on_explore.reform(|_: MouseEvent| ())}
                            disabled={props.running || !props.can_explore} data-testid="explore">{ "Explore" }</button>
                    <button type="button" onclick={props.on_cancel.reform(|_: MouseEvent| ())}
                            disabled={!props.running} data-testid="explore-cancel">{ "Cancel" }</button>
                </div>
            </form>
            if !props.can_explore {
                <p class="notice">{ "Fix the program's error to explore it." }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" role="alert" data-testid="explore-error">{ error.clone() }</p>
            }
            if props.running {
                <ProgressBar done={progress.states} total={form.budget.trim().parse::<u64>().unwrap_or(0)}
                    label={format!("{}: {} states, {} schedules (of at most the budget)",
                        if progress.counting { "counting every schedule" } else { "exploring" },
                        progress.states, progress.schedules)} />
            }
        </section>
    }
}
