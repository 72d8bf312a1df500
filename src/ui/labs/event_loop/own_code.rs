//! Part 4: the visitor's own JavaScript, stepped in the JavaScript model (call stack,
//! microtasks, timers, suspended async functions, output) and run for real in a Worker,
//! the two outputs side by side with the first difference marked.

use super::listing::Listing;
use crate::model::labs::event_loop::js::{self, JsEvent, JsMachine, JsSnapshot};
use crate::model::labs::event_loop::lab::{
    JsRealParams, JsRealReport, MAX_SOURCE_CHARS, first_difference,
};
use crate::runtime::labs::event_loop as kernel;
use crate::ui::app::hash_param;
use crate::ui::hooks::use_experiment;
use crate::ui::widgets::copy_button::CopyButton;
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Programs from the corpus (tests/loop-corpus/js), which Node's output is recorded for.
const EXAMPLES: [(&str, &str); 8] = [
    (
        "async1 / async2, the classic",
        include_str!("../../../../tests/loop-corpus/js/03-async1-async2-classic.js"),
    ),
    (
        "an async body runs at once",
        include_str!("../../../../tests/loop-corpus/js/02-async-runs-sync-until-await.js"),
    ),
    (
        "a returned promise costs two ticks",
        include_str!("../../../../tests/loop-corpus/js/05-returned-promise-costs-two-ticks.js"),
    ),
    (
        "awaiting a thenable",
        include_str!("../../../../tests/loop-corpus/js/07-await-thenable.js"),
    ),
    (
        "finally",
        include_str!("../../../../tests/loop-corpus/js/14-finally.js"),
    ),
    (
        "sleep and Promise.all",
        include_str!("../../../../tests/loop-corpus/js/20-sleep-helper.js"),
    ),
    (
        "let in loops",
        include_str!("../../../../tests/loop-corpus/js/23-let-in-loops.js"),
    ),
    (
        "uncaught and unhandled",
        include_str!("../../../../tests/loop-corpus/js/26-uncaught-and-unhandled.js"),
    ),
];

/// Events kept in the log under the machine.
const LOG: usize = 12;
/// Events "to the end" takes at most.
const END_BUDGET: usize = 100_000;
const PLAY_MS: u32 = 500;

#[derive(Clone)]
struct State {
    source: String,
    machine: Option<Rc<RefCell<JsMachine>>>,
    snapshot: Option<Rc<JsSnapshot>>,
    log: Vec<JsEvent>,
    steps: usize,
    error: Option<String>,
    playing: bool,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
            && self.steps == other.steps
            && self.playing == other.playing
            && self.error == other.error
            && self.snapshot == other.snapshot
    }
}

enum Action {
    Edit(String),
    Step,
    Tick,
    TogglePlay,
    ToEnd,
    Reset,
}

impl State {
    fn new(source: String) -> State {
        State {
            source,
            machine: None,
            snapshot: None,
            log: Vec::new(),
            steps: 0,
            error: None,
            playing: false,
        }
    }

    /// The machine, loading the source on first use; `None` after a syntax error.
    fn machine(&mut self) -> Option<Rc<RefCell<JsMachine>>> {
        if self.machine.is_none() {
            match js::load(&self.source) {
                Ok(m) => self.machine = Some(Rc::new(RefCell::new(m))),
                Err(e) => {
                    self.error = Some(e.to_string());
                    self.playing = false;
                }
            }
        }
        self.machine.clone()
    }

    /// Takes up to `n` steps; false when the program had already finished.
    fn advance(&mut self, n: usize) -> bool {
        let Some(machine) = self.machine() else {
            return false;
        };
        let mut machine = machine.borrow_mut();
        let mut moved = false;
        for _ in 0..n {
            match machine.step() {
                Some(event) => {
                    moved = true;
                    self.steps += 1;
                    self.log.push(event);
                }
                None => break,
            }
        }
        if self.log.len() > LOG {
            self.log.drain(..self.log.len() - LOG);
        }
        if machine.is_finished() {
            self.playing = false;
        }
        self.snapshot = Some(Rc::new(machine.snapshot()));
        moved
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(source) => next = State::new(source),
            Action::Step | Action::Tick => {
                // Nothing moved and nothing new to say (a syntax error is new).
                if !next.advance(1) && !self.playing && next.error == self.error {
                    return self;
                }
            }
            Action::TogglePlay => {
                if self.snapshot.as_ref().is_some_and(|s| s.finished) {
                    return self;
                }
                next.playing = !self.playing;
            }
            Action::ToEnd => {
                next.advance(END_BUDGET);
                next.playing = false;
            }
            Action::Reset => next = State::new(self.source.clone()),
        }
        Rc::new(next)
    }
}

fn initial_source() -> String {
    hash_param("js")
        .filter(|s| !s.is_empty() && s.chars().count() <= MAX_SOURCE_CHARS)
        .unwrap_or_else(|| EXAMPLES[0].1.to_string())
}

/// The link that opens this page with `source` in the editor.
fn share_link(source: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let encoded: String = js_sys::encode_uri_component(source).into();
    format!("{base}#/event-loop?js={encoded}")
}

fn list(items: &[String], empty: &str, testid: &str) -> Html {
    if items.is_empty() {
        return html! { <p class="empty" data-testid={testid.to_string()}>{ empty.to_string() }</p> };
    }
    html! {
        <ol class="items" data-testid={testid.to_string()}>
            { for items.iter().map(|item| html! { <li>{ item.clone() }</li> }) }
        </ol>
    }
}

#[component]
pub fn OwnCode() -> Html {
    let state = use_reducer(|| State::new(initial_source()));
    let real = use_experiment::<JsRealReport>();
    // The model's whole output for the source the real run used, to compare line by line.
    let compared = use_state(|| None::<Result<js::JsRun, String>>);

    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.playing, move |&playing| {
            let interval =
                playing.then(|| Interval::new(PLAY_MS, move || dispatcher.dispatch(Action::Tick)));
            move || drop(interval)
        });
    }

    let act = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(make()))
    };
    let on_edit = {
        let (state, compared) = (state.clone(), compared.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                compared.set(None);
                state.dispatch(Action::Edit(area.value()));
            }
        })
    };
    let on_example = {
        let (state, compared) = (state.clone(), compared.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>()
                && let Some((_, source)) =
                    EXAMPLES.iter().find(|(title, _)| *title == select.value())
            {
                compared.set(None);
                state.dispatch(Action::Edit(source.to_string()));
            }
        })
    };
    let on_real = {
        let (real, compared, source) = (real.clone(), compared.clone(), state.source.clone());
        Callback::from(move |_: MouseEvent| {
            compared.set(Some(
                js::run_js(&source, END_BUDGET).map_err(|e| e.to_string()),
            ));
            let params = JsRealParams {
                source: source.clone(),
                ..JsRealParams::default()
            };
            real.launch(params.validate().map(|()| params), kernel::js_real);
        })
    };

    let snap = state.snapshot.clone();
    let finished = snap.as_ref().is_some_and(|s| s.finished);
    let now = state.log.last().map_or_else(
        || "Press Step to start: the script is the first task.".to_string(),
        |e| e.text.clone(),
    );
    let current_line = snap.as_ref().filter(|s| !s.finished).map(|s| s.line);
    let timers: Vec<String> = snap.as_ref().map_or_else(Vec::new, |s| {
        s.timers
            .iter()
            .map(|(due, what)| format!("{what} at {due} ms"))
            .collect()
    });

    html! {
        <section class="el-part own-code" aria-labelledby="own-code-title" data-testid="part-own-code">
            <h3 id="own-code-title">{ "4 · Your own JavaScript " }<span class="zh">{ "运行你自己的代码" }</span>
                <span class="badge model">{ "model" }</span><span class="badge real">{ "real engine" }</span></h3>
            <p class="lede">
                { "Type or paste a program, step it through the JavaScript model, then run it for real in this browser's " }
                { "engine (a Worker of its own) and compare. The model follows the language's rules: an async function's " }
                { "body runs at once up to its first await; awaiting a promise resumes one microtask later; a promise " }
                { "resolved with another promise (or any thenable) takes two microtasks more; after every task, every " }
                { "microtask runs. The subset and the printing rules are in the README." }
            </p>
            <div class="controls model-controls">
                <label>{ "Example" }
                    <select onchange={on_example} data-testid="own-example">
                        <option value="" selected=true disabled=true>{ "pick an example…" }</option>
                        { for EXAMPLES.iter().map(|(title, _)| html! { <option value={*title}>{ *title }</option> }) }
                    </select>
                </label>
                <div class="buttons">
                    <button type="button" onclick={act(|| Action::Step)} disabled={finished} data-testid="own-step">{ "Step →" }</button>
                    <button type="button" onclick={act(|| Action::TogglePlay)} disabled={finished} aria-pressed={state.playing.to_string()} data-testid="own-play">
                        { if state.playing { "Pause ‖" } else { "Play ▶" } }</button>
                    <button type="button" onclick={act(|| Action::ToEnd)} disabled={finished} data-testid="own-end">{ "To the end »" }</button>
                    <button type="button" onclick={act(|| Action::Reset)} data-testid="own-reset">{ "Reset ↺" }</button>
                    <button type="button" onclick={on_real} disabled={real.running()} data-testid="own-real">{ "Run for real and compare" }</button>
                </div>
                <CopyButton text={share_link(&state.source)} label="Copy link" summary="Show link" />
            </div>
            <div class="own-grid">
                <label class="editor">{ "Program" }
                    <textarea data-testid="own-source" spellcheck="false" rows="18" value={state.source.clone()}
                        oninput={on_edit} maxlength={MAX_SOURCE_CHARS.to_string()} />
                </label>
                <Listing language="own-js" title="Where the model is" code={state.source.clone()} current={current_line} />
            </div>
            if let Some(error) = &state.error {
                <p class="error" role="alert" data-testid="own-error">{ error.clone() }</p>
            }
            <p class="step-line" aria-live="polite" data-testid="own-now">
                <span class="step-count">{ format!("step {}", state.steps) }</span>
                <span class="step-time">{ format!("{} ms", snap.as_ref().map_or(0.0, |s| s.now_ms)) }</span>
                <span class="step-description">{ now }</span>
            </p>
            <div class="machine own-machine">
                <div class="boxes">
                    <section class="el-box stack" aria-label="Call stack"><h4>{ "Call stack" }</h4>
                        { list(&snap.as_ref().map_or_else(Vec::new, |s| s.stack.iter().rev().cloned().collect()), "empty: the event loop has control", "own-stack") }</section>
                    <section class="el-box microtasks" aria-label="Microtask queue"><h4>{ "Microtasks (promise jobs)" }</h4>
                        { list(&snap.as_ref().map_or_else(Vec::new, |s| s.microtasks.clone()), "empty", "own-microtasks") }</section>
                    <section class="el-box timers" aria-label="Timers"><h4>{ "Timers (macrotasks)" }</h4>
                        { list(&timers, "none", "own-timers") }</section>
                    <section class="el-box waiting" aria-label="Suspended async functions"><h4>{ "Suspended at await" }</h4>
                        { list(&snap.as_ref().map_or_else(Vec::new, |s| s.waiting.clone()), "none", "own-waiting") }</section>
                    <section class="el-box output" aria-label="Output"><h4>{ "Output (model)" }</h4>
                        { list(&snap.as_ref().map_or_else(Vec::new, |s| s.output.clone()), "nothing printed yet", "own-output") }</section>
                </div>
                <ol class="event-log" data-testid="own-log">
                    { for state.log.iter().map(|e| html! { <li>{ format!("line {}: {}", e.line, e.text) }</li> }) }
                </ol>
            </div>
            { comparison(&compared, real.result().as_deref(), real.error().map(|e| e.to_string()), real.running()) }
        </section>
    }
}

/// The model's output and the engine's, line by line, the first difference marked.
fn comparison(
    compared: &Option<Result<js::JsRun, String>>,
    real: Option<&JsRealReport>,
    real_error: Option<String>,
    running: bool,
) -> Html {
    if running {
        return html! { <p class="note" data-testid="own-verdict">{ "Running in a Worker…" }</p> };
    }
    if let Some(e) = real_error {
        return html! { <p class="error" role="alert" data-testid="own-verdict">{ e }</p> };
    }
    let (Some(compared), Some(real)) = (compared, real) else {
        return html! {};
    };
    let model = match compared {
        Ok(run) => run,
        Err(e) => {
            return html! { <p class="error" role="alert" data-testid="own-verdict">{ format!("The model refuses it: {e}") }</p> };
        }
    };
    let mut model_lines = model.output.clone();
    let mut real_lines = real.output.clone();
    model_lines.extend(
        model
            .unhandled
            .iter()
            .map(|u| format!("(unhandled rejection) {u}")),
    );
    real_lines.extend(
        real.unhandled
            .iter()
            .map(|u| format!("(unhandled rejection) {u}")),
    );
    let differ = first_difference(&model_lines, &real_lines);
    let verdict = match (differ, &real.error) {
        (_, Some(e)) => format!("The engine stopped: {e}"),
        (None, None) => format!(
            "The model and the engine agree on all {} lines.",
            model_lines.len()
        ),
        (Some(i), None) => format!("They differ from line {}.", i + 1),
    };
    let rows = model_lines.len().max(real_lines.len());
    html! {
        <figure class="own-compare">
            <p class={classes!("verdict", differ.is_some().then_some("bad"))} data-testid="own-verdict">{ verdict }</p>
            <table class="data" data-testid="own-compare">
                <caption>{ format!("Model (virtual clock, ended at {} ms) and real engine (took {:.0} ms)", model.virtual_ms, real.ms) }</caption>
                <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ "model" }</th><th scope="col">{ "real engine" }</th></tr></thead>
                <tbody>
                    { for (0..rows).map(|i| html! {
                        <tr class={classes!((differ == Some(i)).then_some("differ"))}>
                            <th scope="row">{ i + 1 }</th>
                            <td>{ model_lines.get(i).cloned().unwrap_or_default() }</td>
                            <td>{ real_lines.get(i).cloned().unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </figure>
    }
}
