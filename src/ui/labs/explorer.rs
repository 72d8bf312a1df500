//! The "Interleaving explorer" lab: step the threads of a small program by hand, or let a model
//! checker on a worker try every schedule and list every way the program can end.
//!
//! This lab is a model (atomic steps of a tiny language), not real threads; the page says so
//! and points to the labs that measure real threads.

mod editor;
mod explore_panel;
mod litmus_panel;
mod results;
mod schedule_input;
mod schedule_strip;
mod shared_state;
mod state;
mod step_mode;
mod thread_column;

use crate::model::labs::explorer::{ExploreParams, ExploreResult, Mode, parse};
use crate::runtime::labs::explorer;
use crate::runtime::{cancel, clock};
use crate::ui::boot;
use crate::ui::hooks::{use_animation_frame, use_kept_reducer};
use crate::ui::language::both_languages;
use editor::Editor;
use explore_panel::ExplorePanel;
use litmus_panel::LitmusPanel;
use results::Results;
use state::{Action, Field, State};
use std::rc::Rc;
use step_mode::StepMode;
use yew::prelude::*;

/// Progress repaints at most this often while a search runs (the worker needs the core more).
const REPAINT_MS: f64 = 200.0;

/// `window.lab.run("explore", params)`: the same search as the Explore button.
pub async fn run_search(params: ExploreParams) -> Result<ExploreResult, String> {
    params.validate()?;
    let program = parse(params.source()).map_err(|e| format!("explore: {e}"))?;
    explorer::run(program, params).await
}

/// The lab page.
#[component]
pub fn ExplorerLab() -> Html {
    let state = use_kept_reducer("explorer", || State::default().with_link(), State::restored);
    {
        // After every render; `link` rewrites the address only when a value changed.
        let state = state.clone();
        use_effect(move || state.link());
    }
    let threads_available = use_context::<boot::BootState>().is_some_and(|b| b.threads() > 0);

    let last_repaint = use_mut_ref(|| f64::NEG_INFINITY);
    let on_frame = {
        let state = state.clone();
        Callback::from(move |()| {
            let now = clock::now_ms();
            if now - *last_repaint.borrow() >= REPAINT_MS {
                *last_repaint.borrow_mut() = now;
                // The reducer ignores a progress equal to the last one.
                state.dispatch(Action::Progress(explorer::progress()));
            }
        })
    };
    use_animation_frame(state.running, on_frame);

    let dispatch = |make: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(make(text)))
    };
    let on_edit = dispatch(Action::Edit);
    let on_preset = dispatch(Action::Preset);
    let on_step = {
        let state = state.clone();
        Callback::from(move |thread: usize| state.dispatch(Action::Step(thread)))
    };
    let on_undo = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Undo))
    };
    let on_redo = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Redo))
    };
    let on_go_to = {
        let state = state.clone();
        Callback::from(move |position: usize| state.dispatch(Action::GoTo(position)))
    };
    let on_load = {
        let state = state.clone();
        Callback::from(move |schedule: Rc<Vec<usize>>| state.dispatch(Action::Replay(schedule)))
    };
    let step_mode_ref = use_node_ref();
    let on_replay = {
        let (state, step_mode_ref) = (state.clone(), step_mode_ref.clone());
        Callback::from(move |witness: Rc<Vec<usize>>| {
            state.dispatch(Action::Replay(witness));
            // Bring step mode into view: the witness waits there.
            if let Some(element) = step_mode_ref.cast::<web_sys::Element>() {
                element.scroll_into_view();
            }
        })
    };
    let on_mode = {
        let state = state.clone();
        Callback::from(move |mode: Mode| state.dispatch(Action::Mode(mode)))
    };
    let on_field = {
        let state = state.clone();
        Callback::from(move |(field, text): (Field, String)| {
            state.dispatch(Action::Field(field, text));
        })
    };
    let on_explore = {
        let state = state.clone();
        Callback::from(move |()| {
            if state.running {
                return;
            }
            let params = match state.form.params(&state.program_source) {
                Ok(params) => params,
                Err(message) => return state.dispatch(Action::Invalid(message)),
            };
            state.dispatch(Action::Started);
            let program = (*state.program).clone();
            let state = state.clone();
            yew::platform::spawn_local(async move {
                boot::boot().await;
                let result = explorer::run(program, params).await;
                state.dispatch(Action::Finished(result.map(Rc::new)));
            });
        })
    };
    let on_cancel = Callback::from(|()| cancel::cancel_all());

    html! {
        <section class="lab explorer" aria-labelledby="explorer-title">
            <h2 id="explorer-title">{ both_languages("Interleaving explorer", "交错执行") }
                <span class="badge model">{ t!("home.badge_model").to_string() }</span></h2>
            <p class="lede">
                { "A statement such as " }<code>{ "balance = balance + 5" }</code>
                { " is not one step for the machine: a thread reads balance into a temporary, adds, and writes the sum back. " }
                { "Another thread can run between the read and the write, and one of the two writes is lost. " }
                { "Here you can be the scheduler and pick which thread takes the next atomic step, or let a model checker " }
                { "try every order and list every way the program can end." }
            </p>
            <p class="lede zh-lede" lang="zh-CN">
                { "像 balance = balance + 5 这样的语句，对机器来说并不是一步：线程先把 balance 读进临时变量，加上 5，再把和写回去。" }
                { "另一个线程可能在读和写之间运行，于是两次写入中有一次丢失。在这里你可以当调度器，选择由哪个线程执行下一个原子步骤；" }
                { "也可以让模型检查器尝试所有顺序，列出程序所有可能的结局。本实验是模型，不是真实线程。" }
            </p>
            <p class="lede model-note">
                <strong>{ t!("explorer.intro.is_model").to_string() }</strong>
                { t!("explorer.intro.tiny_language").to_string() }
                <a href="#/cores">{ t!("explorer.intro.cores_lab").to_string() }</a>
                { t!("explorer.intro.semicolon").to_string() }<a href="#/shared-memory">{ t!("explorer.intro.shared_memory_lab").to_string() }</a>
                { t!("explorer.intro.same_lost_update").to_string() }
                <strong>{ t!("explorer.intro.litmus_title").to_string() }</strong>
                { t!("explorer.intro.litmus_not_model").to_string() }
            </p>
            <div class="explorer-top">
                <Editor source={state.source.clone()} preset={state.preset} error={state.parse_error.clone()}
                        threads={state.program.threads.len()} locked={state.running}
                        on_edit={on_edit} on_preset={on_preset} />
                <ExplorePanel form={state.form.clone()} running={state.running} progress={state.progress}
                    can_explore={state.parse_error.is_none()} error={state.error.clone()}
                    on_mode={on_mode} on_field={on_field} on_explore={on_explore} on_cancel={on_cancel} />
            </div>
            if let Some(result) = &state.result {
                <Results result={result.clone()} program={state.program.clone()} on_replay={on_replay} />
            }
            <div ref={step_mode_ref}>
                <StepMode history={state.history.clone()} source={state.program_source.clone()} lines={state.lines.clone()}
                    stale={state.parse_error.is_some()} notice={state.notice.clone()}
                    on_step={on_step} on_undo={on_undo} on_redo={on_redo} on_go_to={on_go_to} on_load={on_load} />
            </div>
            <LitmusPanel threads_available={threads_available} />
        </section>
    }
}
