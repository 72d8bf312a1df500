//! Section 2 (real): a coroutine that computes without awaiting stops the whole loop.
//! The same work runs blocking, chunked with yields, and offloaded to a worker, while an
//! animation driven by animation frames (not CSS, which runs off the main thread) shows
//! whether the page still moves; the runtime measures frame gaps and long tasks.

use super::frame_strip::{FrameStrip, axis_end};
use crate::model::labs::event_loop::lab::{BlockLoopParams, BlockMode, MAX_CHUNK_MS, MAX_WORK_MS};
use crate::runtime::labs::event_loop::{self as kernel, BlockLoopOutcome};
use crate::runtime::{cancel, clock};
use crate::ui::app::read_linked;
use crate::ui::boot::BootState;
use crate::ui::hooks::{link_value, use_animation_frame, use_kept_reducer};
use crate::ui::language::both_languages;
use std::rc::Rc;
use yew::prelude::*;

/// What a click started.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Running {
    One(BlockMode),
    All,
}

#[derive(Clone, PartialEq)]
struct State {
    work_text: String,
    chunk_text: String,
    running: Option<Running>,
    error: Option<String>,
    /// The latest outcome per mode, in `BlockMode::ALL` order.
    results: [Option<Rc<BlockLoopOutcome>>; 3],
}

impl Default for State {
    fn default() -> Self {
        let defaults = BlockLoopParams::default();
        State {
            work_text: defaults.work_ms.to_string(),
            chunk_text: defaults.chunk_ms.to_string(),
            running: None,
            error: None,
            results: [None, None, None],
        }
    }
}

impl State {
    /// The kept state without a run in flight, with the link's inputs over it.
    fn restored(kept: State) -> State {
        State {
            running: None,
            ..kept
        }
        .with_link()
    }

    fn with_link(mut self) -> State {
        read_linked("event-loop/block-loop/work_ms", &mut self.work_text);
        read_linked("event-loop/block-loop/chunk_ms", &mut self.chunk_text);
        self
    }

    /// Writes the inputs that differ from the defaults into the page's link.
    fn link(&self) {
        let d = State::default();
        link_value(
            "event-loop/block-loop/work_ms",
            &self.work_text,
            &d.work_text,
        );
        link_value(
            "event-loop/block-loop/chunk_ms",
            &self.chunk_text,
            &d.chunk_text,
        );
    }

    fn params(&self, mode: BlockMode) -> Result<BlockLoopParams, String> {
        let number = |text: &str, field: &str, max: u32| {
            text.trim().parse::<u32>().map_err(|_| {
                t!("event_loop.block.bad_number", field = field, max = max).to_string()
            })
        };
        let params = BlockLoopParams {
            work_ms: number(&self.work_text, "work_ms", MAX_WORK_MS)?,
            chunk_ms: number(&self.chunk_text, "chunk_ms", MAX_CHUNK_MS)?,
            mode,
        };
        params.validate()?;
        Ok(params)
    }
}

enum Action {
    Work(String),
    Chunk(String),
    Start(Running),
    Fail(String),
    Measured(BlockMode, BlockLoopOutcome),
    Idle,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Work(text) => next.work_text = text,
            Action::Chunk(text) => next.chunk_text = text,
            Action::Start(running) => {
                next.running = Some(running);
                next.error = None;
            }
            Action::Fail(message) => {
                next.running = None;
                next.error = Some(message);
            }
            Action::Measured(mode, outcome) => {
                let slot = BlockMode::ALL.iter().position(|m| *m == mode).unwrap_or(0);
                next.results[slot] = Some(Rc::new(outcome));
            }
            Action::Idle if self.running.is_none() => return self,
            Action::Idle => next.running = None,
        }
        Rc::new(next)
    }
}

/// Section 2 of the lab.
#[component]
pub fn BlockLoop() -> Html {
    let boot = use_context::<BootState>().unwrap_or(BootState::Starting { threads: 0 });
    let have_threads = matches!(boot, BootState::Ready { .. });
    let state = use_kept_reducer(
        "event-loop/block-loop",
        || State::default().with_link(),
        State::restored,
    );
    use_effect_with(state.clone(), |state| state.link());
    let ball = use_node_ref();

    // The page's own animation: moved from an animation-frame callback on the main
    // thread, so it stops exactly when the main thread stops.
    {
        let ball = ball.clone();
        use_animation_frame(
            true,
            Callback::from(move |_| {
                if let Some(element) = ball.cast::<web_sys::Element>() {
                    let phase = (clock::now_ms() / 900.0).sin();
                    let left = 50.0 + 47.0 * phase;
                    let _ =
                        element.set_attribute("style", &format!("left: calc({left:.2}% - 0.6rem)"));
                }
            }),
        );
    }

    let start = |running: Running| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let modes: Vec<BlockMode> = match running {
                Running::One(mode) => vec![mode],
                Running::All => BlockMode::ALL.to_vec(),
            };
            let mut all = Vec::new();
            for mode in modes {
                match state.params(mode) {
                    Ok(params) => all.push(params),
                    Err(message) => return state.dispatch(Action::Fail(message)),
                }
            }
            state.dispatch(Action::Start(running));
            let state = state.clone();
            yew::platform::spawn_local(async move {
                for params in all {
                    let mode = params.mode;
                    match kernel::block_loop(params).await {
                        Ok(outcome) => state.dispatch(Action::Measured(mode, outcome)),
                        Err(message) => return state.dispatch(Action::Fail(message)),
                    }
                }
                state.dispatch(Action::Idle);
            });
        })
    };
    let on_text = |make: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(make(input.value()));
            }
        })
    };
    let on_cancel = Callback::from(|_: MouseEvent| cancel::cancel_all());
    let busy = state.running.is_some();
    let chunk = state.chunk_text.trim().to_string();

    html! {
        <section class="el-part" aria-labelledby="block-loop-title" data-testid="part-block-loop">
            <h3 id="block-loop-title">{ "2 · " }{ both_languages("Blocking the loop", "阻塞事件循环") }
                <span class="badge real">{ t!("badge.real").to_string() }</span></h3>
            <p class="lede">{ t!("event_loop.block.lede").to_string() }</p>
            <div class="ball-track" aria-hidden="true"><span class="ball" ref={ball}></span></div>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t!("event_loop.block.work_ms").to_string() }
                    <input type="number" min="1" max={MAX_WORK_MS.to_string()} value={state.work_text.clone()}
                           oninput={on_text(Action::Work)} disabled={busy} data-testid="bl-work-ms" />
                </label>
                <label>{ t!("event_loop.block.chunk_ms").to_string() }
                    <input type="number" min="1" max={MAX_CHUNK_MS.to_string()} value={state.chunk_text.clone()}
                           oninput={on_text(Action::Chunk)} disabled={busy} data-testid="bl-chunk-ms" />
                </label>
                <label>{ t!("event_loop.block.typing").to_string() }
                    <input type="text" placeholder={t!("event_loop.block.typing_placeholder").to_string()} data-testid="bl-typing" />
                </label>
                <div class="buttons">
                    <button type="button" onclick={start(Running::One(BlockMode::Block))} disabled={busy}
                            data-testid="bl-run-block">{ t!("event_loop.block.run_block").to_string() }</button>
                    <button type="button" onclick={start(Running::One(BlockMode::Chunked))} disabled={busy}
                            data-testid="bl-run-chunked">{ t!("event_loop.block.run_chunked", ms = chunk).to_string() }</button>
                    <button type="button" onclick={start(Running::One(BlockMode::Offload))} disabled={busy || !have_threads}
                            data-testid="bl-run-offload">{ t!("event_loop.block.run_offload").to_string() }</button>
                    <button type="button" onclick={start(Running::All)} disabled={busy || !have_threads}
                            data-testid="bl-run-all">{ t!("event_loop.block.run_all").to_string() }</button>
                    <button type="button" onclick={on_cancel} disabled={!busy} data-testid="bl-cancel">{ t!("run.cancel").to_string() }</button>
                </div>
            </form>
            <p class="note">{ t!("event_loop.block.note", max = MAX_WORK_MS).to_string() }</p>
            if let Some(error) = &state.error {
                <p class="error" role="alert" data-testid="bl-error">{ error.clone() }</p>
            }
            if busy {
                <p class="phase" role="status">{ t!("event_loop.block.measuring").to_string() }</p>
            }
            { comparison(&state.results) }
        </section>
    }
}

fn comparison(results: &[Option<Rc<BlockLoopOutcome>>; 3]) -> Html {
    // One time axis for all strips, so a longer run looks longer.
    let axis_ms = results
        .iter()
        .flatten()
        .map(|o| axis_end(o))
        .fold(0.0, f64::max);
    let cell = |mode: BlockMode, what: &str, f: &dyn Fn(&BlockLoopOutcome) -> String| {
        let slot = BlockMode::ALL.iter().position(|m| *m == mode).unwrap_or(0);
        let text = results[slot].as_deref().map_or("—".to_string(), f);
        html! { <td data-testid={format!("bl-{}-{what}", mode.name())}>{ text }</td> }
    };
    let row = |title: String, what: &str, f: &dyn Fn(&BlockLoopOutcome) -> String| {
        html! {
            <tr><th scope="row">{ title }</th>
                { for BlockMode::ALL.iter().map(|&mode| cell(mode, what, f)) }</tr>
        }
    };
    html! {
        <>
        <table class="el-compare" data-testid="bl-table">
            <caption>{ t!("event_loop.block.caption").to_string() }</caption>
            <thead><tr><th></th>
                <th scope="col">{ t!("event_loop.block.col_block").to_string() }</th>
                <th scope="col">{ t!("event_loop.block.col_chunked").to_string() }</th>
                <th scope="col">{ t!("event_loop.block.col_offload").to_string() }</th></tr></thead>
            <tbody>
                { row(t!("event_loop.block.row_wall").to_string(), "wall", &|o| format!("{:.0} ms", o.report.wall_ms)) }
                { row(t!("event_loop.block.row_gap").to_string(), "gap", &|o| format!("{:.0} ms", o.report.longest_frame_gap_ms)) }
                { row(t!("event_loop.block.row_frames").to_string(), "frames", &|o| o.report.frames.to_string()) }
                { row(t!("event_loop.block.row_long_tasks").to_string(), "long-tasks", &|o| if o.report.long_tasks_supported {
                    o.report.long_tasks.to_string() } else { t!("event_loop.block.not_reported").to_string() }) }
                { row(t!("event_loop.block.row_longest").to_string(), "longest", &|o| format!("{:.0} ms", o.report.longest_long_task_ms)) }
                { row(t!("event_loop.block.row_yields").to_string(), "yields", &|o| if o.report.yield_with.is_empty() { "0".into() } else {
                    format!("{} × {}", o.report.yields, o.report.yield_with) }) }
            </tbody>
        </table>
        <div class="strips">
            { for BlockMode::ALL.iter().zip(results.iter()).filter_map(|(mode, r)| r.as_ref().map(|o| html! {
                <FrameStrip mode={mode.name()} outcome={o.clone()} axis_ms={axis_ms} />
            })) }
        </div>
        </>
    }
}
