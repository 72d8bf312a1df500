//! Section 3 (model): the event-loop simulator stepped by hand. The same program in
//! Python asyncio and JavaScript notation side by side, the current line lit in both,
//! the machine's boxes with what moved in the last step, the step's description, a Gantt
//! chart of the run so far, and the preset's explanation in English and Chinese.

use super::listing::Listing;
use super::machine_view::MachineView;
use super::model_gantt::ModelGantt;
use crate::model::labs::event_loop::lab::outcome_name;
use crate::model::labs::event_loop::moves::{Moves, moves};
use crate::model::labs::event_loop::{
    DEFAULT_STEP_LIMIT, Event as SimEvent, PRESETS, PresetInfo, Sim, Snapshot, Span, find_preset,
};
use crate::ui::app::linked_input;
use crate::ui::hooks::{link_value, use_kept_reducer};
use crate::ui::language::both_languages;
use crate::ui::widgets::deferred::Deferred;
use gloo::timers::callback::Interval;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Milliseconds per step offered for Play.
const SPEEDS: [(u32, &str); 4] = [
    (1_200, "slow"),
    (600, "normal"),
    (250, "fast"),
    (80, "very fast"),
];
/// The program's input key in the page's link.
const PRESET_KEY: &str = "event-loop/loop-model/preset";

/// Events kept in the log under the description.
const LOG_LEN: usize = 6;

#[derive(Clone)]
struct State {
    preset: &'static PresetInfo,
    sim: Sim,
    snapshot: Rc<Snapshot>,
    moves: Rc<Moves>,
    event: Option<Rc<SimEvent>>,
    log: Vec<Rc<SimEvent>>,
    spans: Rc<Vec<Span>>,
    playing: bool,
    speed_ms: u32,
    by_step: bool,
    error: Option<String>,
}

impl State {
    fn new(preset: &'static PresetInfo, speed_ms: u32, by_step: bool) -> State {
        let (sim, error) = match Sim::preset(preset.id) {
            Ok(sim) => (Some(sim), None),
            Err(e) => (None, Some(e.to_string())),
        };
        // Presets are tested to build; an error still leaves a usable (empty) view.
        let sim = sim.unwrap_or_else(|| {
            Sim::preset(PRESETS[0].id).expect("the first preset builds (native tests)")
        });
        State {
            preset,
            snapshot: Rc::new(sim.snapshot()),
            sim,
            moves: Rc::default(),
            event: None,
            log: Vec::new(),
            spans: Rc::default(),
            playing: false,
            speed_ms,
            by_step,
            error,
        }
    }

    /// One step; false when the run had already ended.
    fn advance(&mut self) -> bool {
        let Some(event) = self.sim.step() else {
            return false;
        };
        let snapshot = self.sim.snapshot();
        self.moves = Rc::new(moves(&self.snapshot, &snapshot, &event));
        self.snapshot = Rc::new(snapshot);
        let event = Rc::new(event);
        self.log.push(event.clone());
        if self.log.len() > LOG_LEN {
            self.log.remove(0);
        }
        self.event = Some(event);
        self.spans = Rc::new(self.sim.timeline());
        true
    }
}

enum Action {
    Select(String),
    Step,
    /// A tick of Play: steps, and stops playing at the end.
    Tick,
    TogglePlay,
    Reset,
    ToEnd,
    Speed(u32),
    ByStep(bool),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Select(id) => {
                let Some(preset) = find_preset(&id) else {
                    return self;
                };
                next = State::new(preset, self.speed_ms, self.by_step);
            }
            Action::Step | Action::Tick => {
                if !next.advance() {
                    if !self.playing {
                        return self;
                    }
                    next.playing = false;
                }
                if next.sim.is_finished() {
                    next.playing = false;
                }
            }
            Action::TogglePlay => {
                if self.sim.is_finished() {
                    return self;
                }
                next.playing = !self.playing;
            }
            Action::Reset => next = State::new(self.preset, self.speed_ms, self.by_step),
            Action::ToEnd => {
                let mut budget = DEFAULT_STEP_LIMIT;
                while budget > 0 && next.advance() {
                    budget -= 1;
                }
                next.playing = false;
            }
            Action::Speed(ms) if ms == self.speed_ms => return self,
            Action::Speed(ms) => next.speed_ms = ms,
            Action::ByStep(on) if on == self.by_step => return self,
            Action::ByStep(on) => next.by_step = on,
        }
        Rc::new(next)
    }
}

/// Section 3 of the lab.
#[component]
pub fn LoopModel() -> Html {
    // Kept across pages with its position; the link names the program.
    let state = use_kept_reducer(
        "event-loop/loop-model",
        || {
            let linked = linked_input::<String>(PRESET_KEY).and_then(|id| find_preset(&id));
            State::new(linked.unwrap_or(&PRESETS[0]), SPEEDS[1].0, true)
        },
        |kept| {
            let linked = linked_input::<String>(PRESET_KEY).and_then(|id| find_preset(&id));
            match linked {
                Some(preset) if preset.id != kept.preset.id => {
                    State::new(preset, kept.speed_ms, kept.by_step)
                }
                _ => State {
                    playing: false,
                    ..kept
                },
            }
        },
    );
    use_effect_with(state.preset.id, |id| {
        link_value(PRESET_KEY, id, &PRESETS[0].id);
    });

    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.playing, state.speed_ms), move |&(playing, speed)| {
            let interval =
                playing.then(|| Interval::new(speed, move || dispatcher.dispatch(Action::Tick)));
            move || drop(interval)
        });
    }

    let act = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(make()))
    };
    let on_preset = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.dispatch(Action::Select(select.value()));
            }
        })
    };
    let on_speed = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.dispatch(Action::Speed(select.value().parse().unwrap_or(SPEEDS[1].0)));
            }
        })
    };
    let on_axis = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.dispatch(Action::ByStep(select.value() == "steps"));
            }
        })
    };
    // Keys work anywhere in the section except inside form fields (which need them).
    let on_key = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(
                        el.tag_name().as_str(),
                        "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
                    )
                });
            if in_field || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let action = match e.key().as_str() {
                "ArrowRight" | "n" => Action::Step,
                "p" | " " => Action::TogglePlay,
                "r" => Action::Reset,
                "End" | "e" => Action::ToEnd,
                _ => return,
            };
            e.prevent_default();
            state.dispatch(action);
        })
    };

    let preset = state.preset;
    let snap = &state.snapshot;
    let finished = state.sim.is_finished();
    let description = state.event.as_ref().map_or_else(
        || t!("event_loop.model.first_move").to_string(),
        |e| e.description.clone(),
    );

    html! {
        <section class="el-part" aria-labelledby="loop-model-title" data-testid="part-loop-model">
            <h3 id="loop-model-title">{ "3 · " }{ both_languages("Inside the loop, step by step", "逐步观察事件循环") }
                <span class="badge model">{ t!("home.badge_model").to_string() }</span></h3>
            <p class="lede">{ t!("event_loop.model.lede").to_string() }</p>
            <div class="model-stage" tabindex="0" onkeydown={on_key} data-testid="model-stage"
                 aria-keyshortcuts="ArrowRight n p Space r End"
                 aria-label={t!("event_loop.model.stage_label").to_string()}>
                <div class="controls model-controls">
                    <label>{ t!("event_loop.model.program").to_string() }
                        <select onchange={on_preset} data-testid="model-preset">
                            { for PRESETS.iter().map(|p| html! {
                                <option value={p.id} selected={p.id == preset.id}>{ format!("{} — {}", p.id, p.label()) }</option>
                            }) }
                        </select>
                    </label>
                    <div class="buttons">
                        <button type="button" onclick={act(|| Action::Step)} disabled={finished}
                                data-testid="model-step" title={t!("event_loop.model.step_title").to_string()}>{ t!("event_loop.model.step").to_string() }</button>
                        <button type="button" onclick={act(|| Action::TogglePlay)} disabled={finished}
                                data-testid="model-play" title={t!("event_loop.model.play_title").to_string()} aria-pressed={state.playing.to_string()}>
                            { if state.playing { t!("event_loop.model.pause") } else { t!("event_loop.model.play") }.to_string() }</button>
                        <button type="button" onclick={act(|| Action::ToEnd)} disabled={finished}
                                data-testid="model-end" title={t!("event_loop.model.end_title").to_string()}>{ t!("event_loop.model.end").to_string() }</button>
                        <button type="button" onclick={act(|| Action::Reset)} data-testid="model-reset" title={t!("event_loop.model.reset_title").to_string()}>{ t!("event_loop.model.reset").to_string() }</button>
                    </div>
                    <label>{ t!("event_loop.model.speed").to_string() }
                        <select onchange={on_speed} data-testid="model-speed">
                            { for SPEEDS.iter().map(|(ms, name)| html! {
                                <option value={ms.to_string()} selected={*ms == state.speed_ms}>{ t!("event_loop.model.speed_option", name = speed_name(name), ms = ms).to_string() }</option>
                            }) }
                        </select>
                    </label>
                    <p class="keys">{ t!("event_loop.model.keys").to_string() }</p>
                </div>
                if let Some(error) = &state.error {
                    <p class="error" role="alert">{ error.clone() }</p>
                }
                <div class="step-line" aria-live="polite">
                    <span class="step-count" data-testid="model-step-count">{ t!("event_loop.model.step_count", n = snap.step).to_string() }</span>
                    <span class="step-time">{ format!("{} ms", snap.time_ms) }</span>
                    <span class="step-description" data-testid="model-description">{ description }</span>
                </div>
                if finished {
                    <p class="outcome" data-testid="model-outcome">
                        { t!("event_loop.model.run_ended", outcome = snap.outcome.as_ref().map_or("", outcome_name).replace('_', " ")).to_string() }</p>
                }
                <div class="listings">
                    <Listing language="python" title="Python (asyncio)" code={preset.python} current={snap.lines.python} />
                    <Listing language="javascript" title="JavaScript" code={preset.javascript} current={snap.lines.javascript} />
                </div>
                <Deferred><OwnModels preset={preset.id} /></Deferred>
                <MachineView snapshot={state.snapshot.clone()} moves={state.moves.clone()} event={state.event.clone()} />
                if !state.log.is_empty() {
                    <ol class="event-log" aria-label={t!("event_loop.model.last_steps").to_string()}>
                        { for state.log.iter().rev().map(|e| html! {
                            <li><span class="step-count">{ format!("{}", e.step) }</span>{ e.description.clone() }</li>
                        }) }
                    </ol>
                }
                <div class="gantt-head">
                    <label>{ t!("event_loop.model.gantt_axis").to_string() }
                        <select onchange={on_axis} data-testid="model-axis">
                            <option value="steps" selected={state.by_step}>{ t!("event_loop.model.axis_steps").to_string() }</option>
                            <option value="ms" selected={!state.by_step}>{ t!("event_loop.model.axis_ms").to_string() }</option>
                        </select>
                    </label>
                </div>
                <ModelGantt spans={state.spans.clone()} by_step={state.by_step} step={snap.step} />
                <div class="explanations">
                    <p class="lede" data-testid="model-explanation">{ preset.explanation }</p>
                    <p class="zh-lede" lang="zh" data-testid="model-explanation-zh">{ preset.explanation_zh }</p>
                </div>
            </div>
        </section>
    }
}

/// A speed's name in the page's language (`SPEEDS` keeps the English one).
fn speed_name(name: &str) -> String {
    match name {
        "slow" => t!("event_loop.model.speed_slow"),
        "normal" => t!("event_loop.model.speed_normal"),
        "fast" => t!("event_loop.model.speed_fast"),
        _ => t!("event_loop.model.speed_very_fast"),
    }
    .to_string()
}

#[derive(Properties, PartialEq)]
struct OwnModelsProps {
    preset: &'static str,
}

/// Each listing run by its own language's model, beside the simulator's drawing of both
/// (run once per preset, not on every step; first shown one task after the page, see
/// `Deferred`, as the interpreters' first call compiles them).
#[component]
fn OwnModels(props: &OwnModelsProps) -> Html {
    use crate::model::labs::event_loop::{js::run_js, py::run_py};
    let runs = use_memo(props.preset, |id| {
        let preset = find_preset(id)?;
        let python = run_py(preset.python, 100_000)
            .map_err(|e| e.message)
            .and_then(|r| r.exception.map_or(Ok(r.output), Err));
        let javascript = run_js(preset.javascript, 100_000)
            .map(|r| r.output)
            .map_err(|e| e.message);
        Some((python, javascript))
    });
    let Some((python, javascript)) = (*runs).clone() else {
        return html! {};
    };
    let preset = find_preset(props.preset);
    let line = |language: &str, result: Result<Vec<String>, String>| match result {
        Ok(output) => {
            // Step this listing in part 4, in its own language's model.
            let (key, source) = match language {
                "Python" => ("py", preset.map_or("", |p| p.python)),
                _ => ("js", preset.map_or("", |p| p.javascript)),
            };
            let encoded: String = js_sys::encode_uri_component(source).into();
            html! { <li>{ t!("event_loop.model.own_model", language = language).to_string() }<code>{ output.join(" · ") }</code>
            { " " }<a href={format!("#/event-loop?{key}={encoded}")} data-testid={format!("step-own-{key}")}>
                { t!("event_loop.model.step_in_part_4").to_string() }</a></li> }
        }
        Err(why) => {
            html! { <li>{ t!("event_loop.model.own_model_fails", language = language, why = why).to_string() }</li> }
        }
    };
    html! {
        <div class="own-models note" data-testid="model-own-runs">
            <p>{ t!("event_loop.model.own_models").to_string() }</p>
            <ul>
                { line("Python", python) }
                { line("JavaScript", javascript) }
            </ul>
        </div>
    }
}
