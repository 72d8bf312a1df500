//! Part 4: the visitor's own JavaScript or Python, stepped in that language's model (call
//! stack, queues, timers, output). JavaScript also runs for real in a Worker, the two outputs
//! side by side with the first difference marked.

use super::listing::Listing;
use super::task_diagram::TaskDiagram;
use crate::model::labs::event_loop::js::{self, JsMachine};
use crate::model::labs::event_loop::lab::{
    JsRealParams, JsRealReport, MAX_SOURCE_CHARS, first_difference,
};
use crate::model::labs::event_loop::py::life_cycle::{Moves, TaskPhase};
use crate::model::labs::event_loop::py::{self, PyMachine};
use crate::model::link;
use crate::runtime::labs::event_loop as kernel;
use crate::ui::app::hash_param;
use crate::ui::hooks::use_experiment;
use crate::ui::language::both_languages;
use crate::ui::widgets::copy_button::CopyButton;
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Programs from the corpus (tests/loop-corpus/python), which CPython's output is recorded for.
const PY_EXAMPLES: [(&str, &str); 10] = [
    (
        "print_sum, the notes' first coroutine",
        include_str!("../../../../tests/loop-corpus/python/01-print-sum.py"),
    ),
    (
        "a task against an awaited coroutine",
        include_str!("../../../../tests/loop-corpus/python/02-task-vs-inline.py"),
    ),
    (
        "sleep(0) takes turns",
        include_str!("../../../../tests/loop-corpus/python/04-sleep0-round-robin.py"),
    ),
    (
        "done callbacks",
        include_str!("../../../../tests/loop-corpus/python/07-done-callbacks.py"),
    ),
    (
        "wait_for times out",
        include_str!("../../../../tests/loop-corpus/python/09-wait-for-timeout.py"),
    ),
    (
        "leftover tasks are cancelled",
        include_str!("../../../../tests/loop-corpus/python/14-leftover-task-cancelled.py"),
    ),
    (
        "generator ping-pong",
        include_str!("../../../../tests/loop-corpus/python/18-generator-ping-pong.py"),
    ),
    (
        "three downloads overlap",
        include_str!("../../../../tests/loop-corpus/python/25-downloads-overlap.py"),
    ),
    (
        "no lock needed? not across an await",
        include_str!("../../../../tests/loop-corpus/python/26-lock-across-await.py"),
    ),
    (
        "a task's life: pending, finished, cancelled",
        include_str!("../../../../tests/loop-corpus/python/27-task-states.py"),
    ),
];

/// Programs from the corpus (tests/loop-corpus/js), which Node's output is recorded for.
const EXAMPLES: [(&str, &str); 9] = [
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
    (
        "one thread, still a race across an await",
        include_str!("../../../../tests/loop-corpus/js/31-lock-across-await.js"),
    ),
];

/// Events kept in the log under the machine.
const LOG: usize = 12;
/// Events "to the end" takes at most.
const END_BUDGET: usize = 100_000;
const PLAY_MS: u32 = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Language {
    Js,
    Python,
}

impl Language {
    fn key(self) -> &'static str {
        match self {
            Language::Js => "js",
            Language::Python => "py",
        }
    }
}

/// One language's machine, seen the same way by the page.
enum Machine {
    Js(JsMachine),
    Py(PyMachine),
}

/// A box of the machine drawing: title, entries, what it says when empty, test id.
#[derive(Clone, Debug, PartialEq)]
struct BoxView {
    title: String,
    items: Vec<String>,
    empty: String,
    testid: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
struct View {
    boxes: Vec<BoxView>,
    /// Python: every task's name and phase, and the moves so far, for the task diagram.
    tasks: Option<(Vec<(String, TaskPhase)>, Moves)>,
    output: Vec<String>,
    now_ms: f64,
    line: u32,
    finished: bool,
}

impl Machine {
    fn load(language: Language, source: &str) -> Result<Machine, String> {
        match language {
            Language::Js => js::load(source).map(Machine::Js),
            Language::Python => py::load(source).map(Machine::Py),
        }
        .map_err(|e| e.to_string())
    }

    /// One step: the line it belongs to and what it did.
    fn step(&mut self) -> Option<(u32, String)> {
        match self {
            Machine::Js(m) => m.step().map(|e| (e.line, e.text)),
            Machine::Py(m) => m.step().map(|e| (e.line, e.text)),
        }
    }

    fn language(&self) -> Language {
        match self {
            Machine::Js(_) => Language::Js,
            Machine::Py(_) => Language::Python,
        }
    }

    fn view(&self) -> View {
        let timers = |timers: Vec<(f64, String)>| -> Vec<String> {
            timers
                .iter()
                .map(|(due, what)| t!("event_loop.own.timer", what = what, due = due).to_string())
                .collect()
        };
        // In the order of `empty_boxes`: stack, queue, timers, what waits.
        let (items, output, now_ms, line, finished, tasks) = match self {
            Machine::Js(m) => {
                let s = m.snapshot();
                let stack = s.stack.iter().rev().cloned().collect();
                (
                    vec![stack, s.microtasks, timers(s.timers), s.waiting],
                    s.output,
                    s.now_ms,
                    s.line,
                    s.finished,
                    None,
                )
            }
            Machine::Py(m) => {
                let s = m.snapshot();
                let stack = s.stack.iter().rev().cloned().collect();
                let phases = s.task_names.into_iter().zip(s.phases).collect();
                (
                    vec![stack, s.ready, timers(s.timers), s.tasks],
                    s.output,
                    s.now_ms,
                    s.line,
                    s.finished,
                    Some((phases, s.moves)),
                )
            }
        };
        let boxes = empty_boxes(self.language())
            .into_iter()
            .zip(items)
            .map(|(b, items)| BoxView { items, ..b })
            .collect();
        View {
            boxes,
            tasks,
            output,
            now_ms,
            line,
            finished,
        }
    }
}

/// Each language's machine drawing, empty: call stack, its queue, its timers, what waits.
/// (Known without loading a machine, so the page draws it before the first step.)
fn empty_boxes(language: Language) -> Vec<BoxView> {
    let boxed =
        |title: std::borrow::Cow<'_, str>, empty: std::borrow::Cow<'_, str>, testid| BoxView {
            title: title.to_string(),
            items: Vec::new(),
            empty: empty.to_string(),
            testid,
        };
    let stack = boxed(
        t!("event_loop.own.call_stack"),
        t!("event_loop.own.stack_empty"),
        "own-stack",
    );
    match language {
        Language::Js => vec![
            stack,
            boxed(
                t!("event_loop.own.microtasks"),
                t!("event_loop.own.empty"),
                "own-microtasks",
            ),
            boxed(
                t!("event_loop.own.js_timers"),
                t!("event_loop.own.none"),
                "own-timers",
            ),
            boxed(
                t!("event_loop.own.suspended"),
                t!("event_loop.own.none"),
                "own-waiting",
            ),
        ],
        Language::Python => vec![
            stack,
            boxed(
                t!("event_loop.own.ready_queue"),
                t!("event_loop.own.empty"),
                "own-ready",
            ),
            boxed(
                t!("event_loop.own.py_timers"),
                t!("event_loop.own.none"),
                "own-timers",
            ),
            boxed(
                t!("event_loop.own.tasks"),
                t!("event_loop.own.none_yet"),
                "own-tasks",
            ),
        ],
    }
}

#[derive(Clone)]
struct State {
    language: Language,
    source: String,
    machine: Option<Rc<RefCell<Machine>>>,
    view: Option<Rc<View>>,
    log: Vec<(u32, String)>,
    steps: usize,
    error: Option<String>,
    playing: bool,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.language == other.language
            && self.source == other.source
            && self.steps == other.steps
            && self.playing == other.playing
            && self.error == other.error
            && self.view == other.view
    }
}

enum Action {
    Language(Language),
    /// A program from a link (`?js=` / `?py=`): its language and source.
    Load(State),
    Edit(String),
    Step,
    Tick,
    TogglePlay,
    ToEnd,
    Reset,
}

impl State {
    fn new(language: Language, source: String) -> State {
        State {
            language,
            source,
            machine: None,
            view: None,
            log: Vec::new(),
            steps: 0,
            error: None,
            playing: false,
        }
    }

    /// The machine, loading the source on first use; `None` after a syntax error.
    fn machine(&mut self) -> Option<Rc<RefCell<Machine>>> {
        if self.machine.is_none() {
            match Machine::load(self.language, &self.source) {
                Ok(m) => self.machine = Some(Rc::new(RefCell::new(m))),
                Err(e) => {
                    self.error = Some(e);
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
        let view = machine.view();
        if view.finished {
            self.playing = false;
        }
        self.view = Some(Rc::new(view));
        moved
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(source) => next = State::new(self.language, source),
            Action::Load(loaded)
                if loaded.source == self.source && loaded.language == self.language =>
            {
                return self;
            }
            Action::Load(loaded) => next = loaded,
            Action::Language(language) if language == self.language => return self,
            Action::Language(language) => {
                let source = match language {
                    Language::Js => EXAMPLES[0].1,
                    Language::Python => PY_EXAMPLES[0].1,
                };
                next = State::new(language, source.to_string());
            }
            Action::Step | Action::Tick => {
                // Nothing moved and nothing new to say (a syntax error is new).
                if !next.advance(1) && !self.playing && next.error == self.error {
                    return self;
                }
            }
            Action::TogglePlay => {
                if self.view.as_ref().is_some_and(|s| s.finished) {
                    return self;
                }
                next.playing = !self.playing;
            }
            Action::ToEnd => {
                next.advance(END_BUDGET);
                next.playing = false;
            }
            Action::Reset => next = State::new(self.language, self.source.clone()),
        }
        Rc::new(next)
    }
}

/// The program in the link (`?js=` or `?py=`), if there is one.
fn linked_state() -> Option<State> {
    let from = |key: &str| {
        hash_param(key).filter(|s| !s.is_empty() && s.chars().count() <= MAX_SOURCE_CHARS)
    };
    match (from("py"), from("js")) {
        (Some(py), _) => Some(State::new(Language::Python, py)),
        (None, Some(js)) => Some(State::new(Language::Js, js)),
        (None, None) => None,
    }
}

/// The program in the link, else the first JavaScript example.
fn initial_state() -> State {
    linked_state().unwrap_or_else(|| State::new(Language::Js, EXAMPLES[0].1.to_string()))
}

/// The link that opens this page with `source` in the editor.
fn share_link(language: Language, source: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    // The same query encoding as every other lab input in the link (model::link).
    let pairs = [(language.key().to_string(), source.to_string())];
    format!("{base}{}", link::join_hash("event-loop", &pairs))
}

/// An example's title in the page's language (the English title is the option's value).
fn example_title(title: &str) -> String {
    match title {
        "print_sum, the notes' first coroutine" => t!("event_loop.own.example_py_print_sum"),
        "a task against an awaited coroutine" => t!("event_loop.own.example_py_task_vs_inline"),
        "sleep(0) takes turns" => t!("event_loop.own.example_py_sleep0"),
        "done callbacks" => t!("event_loop.own.example_py_done_callbacks"),
        "wait_for times out" => t!("event_loop.own.example_py_wait_for"),
        "leftover tasks are cancelled" => t!("event_loop.own.example_py_leftover"),
        "generator ping-pong" => t!("event_loop.own.example_py_ping_pong"),
        "three downloads overlap" => t!("event_loop.own.example_py_downloads"),
        "async1 / async2, the classic" => t!("event_loop.own.example_js_async1_async2"),
        "an async body runs at once" => t!("event_loop.own.example_js_async_body"),
        "a returned promise costs two ticks" => t!("event_loop.own.example_js_returned_promise"),
        "awaiting a thenable" => t!("event_loop.own.example_js_thenable"),
        "finally" => t!("event_loop.own.example_js_finally"),
        "sleep and Promise.all" => t!("event_loop.own.example_js_sleep_all"),
        "let in loops" => t!("event_loop.own.example_js_let_loops"),
        "no lock needed? not across an await" => t!("event_loop.own.example_py_lock_across_await"),
        "a task's life: pending, finished, cancelled" => {
            t!("event_loop.own.example_py_task_states")
        }
        "one thread, still a race across an await" => {
            t!("event_loop.own.example_js_lock_across_await")
        }
        _ => t!("event_loop.own.example_js_uncaught"),
    }
    .to_string()
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
    let state = use_reducer(initial_state);
    let real = use_experiment::<JsRealReport>();
    // A link on this page (part 3's "step it here") loads its program and scrolls to it.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "hashchange", move |_| {
                    if let Some(loaded) = linked_state() {
                        dispatcher.dispatch(Action::Load(loaded));
                        if let Some(part) =
                            web_sys::window().and_then(|w| w.document()).and_then(|d| {
                                d.query_selector("[data-testid=part-own-code]")
                                    .ok()
                                    .flatten()
                            })
                        {
                            part.scroll_into_view();
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }
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
    let examples: &[(&str, &str)] = match state.language {
        Language::Js => &EXAMPLES,
        Language::Python => &PY_EXAMPLES,
    };
    let on_language = {
        let (state, compared) = (state.clone(), compared.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                compared.set(None);
                let language = if select.value() == "py" {
                    Language::Python
                } else {
                    Language::Js
                };
                state.dispatch(Action::Language(language));
            }
        })
    };
    let on_example = {
        let (state, compared) = (state.clone(), compared.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>()
                && let Some((_, source)) = EXAMPLES
                    .iter()
                    .chain(&PY_EXAMPLES)
                    .find(|(title, _)| *title == select.value())
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

    let view = state.view.clone();
    let finished = view.as_ref().is_some_and(|s| s.finished);
    let now = state.log.last().map_or_else(
        || t!("event_loop.own.first_step").to_string(),
        |(_, text)| text.clone(),
    );
    let current_line = view.as_ref().filter(|s| !s.finished).map(|s| s.line);
    let is_js = state.language == Language::Js;
    let boxes: Vec<BoxView> = match &view {
        Some(v) => v.boxes.clone(),
        // Not Machine::load: that would compile the Python model's asyncio on every keystroke.
        None => empty_boxes(state.language),
    };

    html! {
        <section class="el-part own-code" aria-labelledby="own-code-title" data-testid="part-own-code">
            <h3 id="own-code-title">{ "4 · " }{ both_languages("Your own code", "运行你自己的代码") }
                <span class="badge model">{ t!("home.badge_model").to_string() }</span><span class="badge real">{ t!("badge.real_engine").to_string() }</span></h3>
            <p class="lede">{ t!("event_loop.own.lede").to_string() }</p>
            <div class="controls model-controls">
                <label>{ t!("event_loop.own.language").to_string() }
                    <select onchange={on_language} data-testid="own-language">
                        <option value="js" selected={is_js}>{ "JavaScript" }</option>
                        <option value="py" selected={!is_js}>{ "Python (asyncio)" }</option>
                    </select>
                </label>
                <label>{ t!("event_loop.own.example").to_string() }
                    <select onchange={on_example} data-testid="own-example">
                        <option value="" selected=true disabled=true>{ t!("event_loop.own.pick_example").to_string() }</option>
                        { for examples.iter().map(|(title, _)| html! { <option value={*title}>{ example_title(title) }</option> }) }
                    </select>
                </label>
                <div class="buttons">
                    <button type="button" onclick={act(|| Action::Step)} disabled={finished} data-testid="own-step">{ t!("event_loop.model.step").to_string() }</button>
                    <button type="button" onclick={act(|| Action::TogglePlay)} disabled={finished} aria-pressed={state.playing.to_string()} data-testid="own-play">
                        { if state.playing { t!("event_loop.model.pause") } else { t!("event_loop.model.play") }.to_string() }</button>
                    <button type="button" onclick={act(|| Action::ToEnd)} disabled={finished} data-testid="own-end">{ t!("event_loop.model.end").to_string() }</button>
                    <button type="button" onclick={act(|| Action::Reset)} data-testid="own-reset">{ t!("event_loop.model.reset").to_string() }</button>
                    if is_js {
                        <button type="button" onclick={on_real} disabled={real.running()} data-testid="own-real">{ t!("event_loop.own.run_real").to_string() }</button>
                    }
                </div>
                <CopyButton text={share_link(state.language, &state.source)} label={t!("copy.link").to_string()} summary={t!("event_loop.own.show_link").to_string()} />
            </div>
            <div class="own-grid">
                <label class="editor">{ t!("event_loop.model.program").to_string() }
                    <textarea data-testid="own-source" spellcheck="false" rows="18" value={state.source.clone()}
                        oninput={on_edit} maxlength={MAX_SOURCE_CHARS.to_string()} />
                </label>
                <Listing language="own-code" title={t!("event_loop.own.where_model_is").to_string()} code={state.source.clone()} current={current_line} />
            </div>
            if let Some(error) = &state.error {
                <p class="error" role="alert" data-testid="own-error">{ error.clone() }</p>
            }
            <p class="step-line" aria-live="polite" data-testid="own-now">
                <span class="step-count">{ t!("event_loop.model.step_count", n = state.steps).to_string() }</span>
                <span class="step-time">{ format!("{} ms", view.as_ref().map_or(0.0, |s| s.now_ms)) }</span>
                <span class="step-description">{ now }</span>
            </p>
            <div class="machine own-machine">
                <div class="boxes">
                    { for boxes.iter().map(|b| html! {
                        <section class="el-box" aria-label={b.title.clone()}><h4>{ b.title.clone() }</h4>
                            { list(&b.items, &b.empty, b.testid) }</section>
                    }) }
                    <section class="el-box output" aria-label={t!("event_loop.own.output").to_string()}><h4>{ t!("event_loop.own.output_model").to_string() }</h4>
                        { list(&view.as_ref().map_or_else(Vec::new, |s| s.output.clone()), &t!("event_loop.own.nothing_printed"), "own-output") }</section>
                </div>
                <ol class="event-log" data-testid="own-log">
                    { for state.log.iter().map(|(line, text)| html! { <li>{ t!("event_loop.own.log_line", line = line, text = text).to_string() }</li> }) }
                </ol>
            </div>
            if !is_js {
                <TaskDiagram tasks={view.as_ref().and_then(|v| v.tasks.as_ref()).map_or_else(Vec::new, |t| t.0.clone())}
                    moves={view.as_ref().and_then(|v| v.tasks.as_ref()).map_or_else(Moves::default, |t| t.1.clone())} />
            }
            if is_js {
                { comparison(&compared, real.result().as_deref(), real.error().map(|e| e.to_string()), real.running()) }
            }
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
        return html! { <p class="note" data-testid="own-verdict">{ t!("event_loop.own.running_worker").to_string() }</p> };
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
            return html! { <p class="error" role="alert" data-testid="own-verdict">{ t!("event_loop.own.model_refuses", e = e).to_string() }</p> };
        }
    };
    let mut model_lines = model.output.clone();
    let mut real_lines = real.output.clone();
    model_lines.extend(
        model
            .unhandled
            .iter()
            .map(|u| t!("event_loop.own.unhandled", u = u).to_string()),
    );
    real_lines.extend(
        real.unhandled
            .iter()
            .map(|u| t!("event_loop.own.unhandled", u = u).to_string()),
    );
    let differ = first_difference(&model_lines, &real_lines);
    let verdict = match (differ, &real.error) {
        (_, Some(e)) => t!("event_loop.own.engine_stopped", e = e).to_string(),
        (None, None) => t!("event_loop.own.agree", n = model_lines.len()).to_string(),
        (Some(i), None) => t!("event_loop.own.differ", n = i + 1).to_string(),
    };
    let rows = model_lines.len().max(real_lines.len());
    html! {
        <figure class="own-compare">
            <p class={classes!("verdict", differ.is_some().then_some("bad"))} data-testid="own-verdict">{ verdict }</p>
            <table class="data" data-testid="own-compare">
                <caption>{ t!("event_loop.own.compare_caption", virtual_ms = model.virtual_ms, ms = format!("{:.0}", real.ms)).to_string() }</caption>
                <thead><tr><th scope="col">{ "#" }</th><th scope="col">{ t!("event_loop.own.col_model").to_string() }</th><th scope="col">{ t!("event_loop.own.col_real").to_string() }</th></tr></thead>
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
