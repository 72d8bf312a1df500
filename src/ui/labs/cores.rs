//! The "Cores & parallelism" lab: the same render on 1…N real threads, measured.

use crate::model::labs::cores::{CoresParams, CoresReport, MAX_ITER, Schedule};
use crate::model::mandelbrot::colour;
use crate::runtime::labs::cores::{self as kernel, CoresOutcome, PHASE_BASE};
use crate::runtime::{cancel, env};
use crate::ui::app::{linked_input, read_linked};
use crate::ui::boot::BootState;
use crate::ui::hooks::{link_value, use_kept_reducer, use_telemetry};
use crate::ui::language::both_languages;
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::progress_bar::ProgressBar;
use crate::ui::widgets::speedup_chart::{SpeedupChart, SpeedupPoint};
use crate::ui::widgets::timeline::Timeline;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The console's cores run: the Run button's run, reported without the image.
pub async fn run_report(params: CoresParams) -> Result<CoresReport, String> {
    kernel::run(params).await.map(|outcome| outcome.report)
}

/// Image sizes offered in the form.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Size {
    Small,
    Medium,
    Large,
}

impl Size {
    const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    fn dims(self) -> (u32, u32) {
        match self {
            Size::Small => (320, 200),
            Size::Medium => (640, 400),
            Size::Large => (1024, 640),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }

    /// The size's name as the form shows it.
    fn label(self) -> String {
        match self {
            Size::Small => t!("cores.size_small"),
            Size::Medium => t!("cores.size_medium"),
            Size::Large => t!("cores.size_large"),
        }
        .to_string()
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Running {
    Compare,
    Sweep,
}

#[derive(Clone, PartialEq)]
struct State {
    threads: u32,
    schedule: Schedule,
    size: Size,
    max_iter_text: String,
    repeats: u32,
    overlay: bool,
    running: Option<Running>,
    error: Option<String>,
    outcome: Option<Rc<CoresOutcome>>,
    sweep: Rc<Vec<CoresReport>>,
    /// Numbers (1-based, as the table's first column) of the run the cards show and of the
    /// sweep's first and last runs, so every figure says which run it belongs to.
    outcome_run: usize,
    sweep_runs: (usize, usize),
    history: Rc<Vec<CoresReport>>,
}

impl Default for State {
    fn default() -> Self {
        let defaults = CoresParams::default();
        State {
            threads: defaults.threads,
            schedule: defaults.schedule,
            size: Size::Medium,
            max_iter_text: defaults.max_iter.to_string(),
            repeats: defaults.repeats,
            overlay: false,
            running: None,
            error: None,
            outcome: None,
            sweep: Rc::default(),
            outcome_run: 0,
            sweep_runs: (0, 0),
            history: Rc::default(),
        }
    }
}

impl State {
    /// The state shown on a return to the page: the kept one without a run in flight, with
    /// the link's inputs over it (a link's value is only text in the form until Run).
    fn restored(kept: State) -> State {
        State {
            running: None,
            ..kept
        }
        .with_link()
    }

    /// This state with the inputs the page's link carries.
    fn with_link(mut self) -> State {
        read_linked("cores/threads", &mut self.threads);
        read_linked("cores/schedule", &mut self.schedule);
        if let Some(size) = linked_input::<String>("cores/size") {
            self.size = Size::ALL
                .into_iter()
                .find(|s| s.name() == size)
                .unwrap_or(self.size);
        }
        read_linked("cores/max_iter", &mut self.max_iter_text);
        read_linked("cores/repeats", &mut self.repeats);
        read_linked("cores/overlay", &mut self.overlay);
        self
    }

    /// The form as parameters, validated against the pool size.
    fn params(&self, pool_threads: u32) -> Result<CoresParams, String> {
        let max_iter = self
            .max_iter_text
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("max_iter must be a whole number from 1 to {MAX_ITER}"))?;
        let (width, height) = self.size.dims();
        let params = CoresParams {
            threads: self.threads.min(pool_threads.max(1)),
            schedule: self.schedule,
            width,
            height,
            max_iter,
            repeats: self.repeats,
            ..CoresParams::default()
        };
        params.validate(pool_threads)?;
        Ok(params)
    }
}

enum Action {
    Threads(u32),
    Schedule(Schedule),
    Size(Size),
    MaxIter(String),
    Repeats(u32),
    Overlay(bool),
    Start(Running),
    Fail(String),
    Compared(Result<CoresOutcome, String>),
    Swept(Result<Vec<CoresReport>, String>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Threads(n) => next.threads = n,
            Action::Schedule(s) => next.schedule = s,
            Action::Size(s) => next.size = s,
            Action::MaxIter(text) => next.max_iter_text = text,
            Action::Repeats(n) => next.repeats = n,
            Action::Overlay(on) => next.overlay = on,
            Action::Start(kind) => {
                next.running = Some(kind);
                next.error = None;
            }
            Action::Fail(message) => {
                next.running = None;
                next.error = Some(message);
            }
            Action::Compared(Ok(outcome)) => {
                next.running = None;
                let mut history = (*next.history).clone();
                history.push(outcome.report.clone());
                next.outcome_run = history.len();
                next.history = Rc::new(history);
                next.outcome = Some(Rc::new(outcome));
            }
            Action::Swept(Ok(reports)) => {
                next.running = None;
                let mut history = (*next.history).clone();
                let first = history.len() + 1;
                history.extend(reports.iter().cloned());
                next.sweep_runs = (first, history.len());
                next.history = Rc::new(history);
                next.sweep = Rc::new(reports);
            }
            Action::Compared(Err(message)) | Action::Swept(Err(message)) => {
                next.running = None;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

/// The lab page.
#[component]
pub fn CoresLab() -> Html {
    let boot = use_context::<BootState>().unwrap_or(BootState::Starting { threads: 0 });
    let pool_threads = boot.threads();
    let state = use_kept_reducer("cores", || State::default().with_link(), State::restored);
    {
        // The form lives in the link while it differs from the defaults.
        let d = State::default();
        let form = (
            state.threads,
            state.schedule,
            state.size,
            state.max_iter_text.clone(),
        );
        let more = (state.repeats, state.overlay);
        use_effect_with(
            (form, more),
            move |((threads, schedule, size, max_iter), (repeats, overlay))| {
                link_value("cores/threads", threads, &d.threads);
                link_value("cores/schedule", schedule, &d.schedule);
                link_value("cores/size", &size.name(), &d.size.name());
                link_value("cores/max_iter", max_iter, &d.max_iter_text);
                link_value("cores/repeats", repeats, &d.repeats);
                link_value("cores/overlay", overlay, &d.overlay);
            },
        );
    }
    let canvas = use_node_ref();
    let telemetry = use_telemetry(state.running.is_some());
    let poll = telemetry.poll.clone();

    {
        let canvas = canvas.clone();
        use_effect_with(
            (state.outcome.clone(), state.overlay),
            move |(outcome, overlay)| {
                if let (Some(outcome), Some(element)) =
                    (outcome, canvas.cast::<web_sys::HtmlCanvasElement>())
                {
                    draw(&element, outcome, *overlay);
                }
            },
        );
    }

    let start = |kind: Running| {
        let (state, poll) = (state.clone(), poll.clone());
        Callback::from(move |_: MouseEvent| {
            let params = match state.params(pool_threads) {
                Ok(params) => params,
                Err(message) => return state.dispatch(Action::Fail(message)),
            };
            state.dispatch(Action::Start(kind));
            let (state, poll) = (state.clone(), poll.clone());
            yew::platform::spawn_local(async move {
                match kind {
                    Running::Compare => {
                        let result = kernel::run(params).await;
                        poll.emit(true);
                        state.dispatch(Action::Compared(result));
                    }
                    Running::Sweep => {
                        let top = params.threads.max(pool_threads);
                        let result = kernel::sweep(params, top).await;
                        poll.emit(true);
                        state.dispatch(Action::Swept(result));
                    }
                }
            });
        })
    };
    let on_compare = start(Running::Compare);
    let on_sweep = start(Running::Sweep);
    let on_cancel = Callback::from(|_: MouseEvent| cancel::cancel_all());

    let on_threads = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(Action::Threads(input.value().parse().unwrap_or(1)));
            }
        })
    };
    let on_schedule = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let schedule = if select.value() == "interleaved" {
                    Schedule::Interleaved
                } else {
                    Schedule::Parallel
                };
                state.dispatch(Action::Schedule(schedule));
            }
        })
    };
    let on_size = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let size = Size::ALL
                    .into_iter()
                    .find(|s| s.name() == select.value())
                    .unwrap_or(Size::Medium);
                state.dispatch(Action::Size(size));
            }
        })
    };
    let on_max_iter = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(Action::MaxIter(input.value()));
            }
        })
    };
    let on_repeats = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.dispatch(Action::Repeats(select.value().parse().unwrap_or(1)));
            }
        })
    };
    let on_overlay = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(Action::Overlay(input.checked()));
            }
        })
    };

    let busy = state.running.is_some();
    let cores = env::hardware_concurrency();
    let disabled = busy || pool_threads == 0;
    let shown_threads = state.threads.clamp(1, pool_threads.max(1));
    let describe_mark = Callback::from(|label: u32| {
        let n = label.saturating_sub(PHASE_BASE);
        if n == 1 {
            t!("cores.mark_one", n = n)
        } else {
            t!("cores.mark_many", n = n)
        }
        .to_string()
    });
    let describe_task = Callback::from(|label: u32| t!("cores.task", n = label).to_string());
    let sweep_points: Vec<SpeedupPoint> = state
        .sweep
        .iter()
        .map(|r| SpeedupPoint {
            threads: r.threads,
            speedup: r.speedup,
            efficiency: r.efficiency,
        })
        .collect();
    // Built when the history changes, not on every repaint of a running measurement.
    let (history_json, facts) = (*use_memo(state.history.clone(), |history| {
        let json = serde_json::to_string_pretty(
            &serde_json::json!({ "machine": env::machine(), "runs": **history }),
        )
        .unwrap_or_default();
        (AttrValue::from(json), machine_facts())
    }))
    .clone();

    html! {
        <section class="lab" aria-labelledby="cores-title">
            <h2 id="cores-title">{ both_languages("Cores & parallelism", "多核与并行") }
                <span class="badge real">{ t!("home.badge_threads").to_string() }</span></h2>
            <p class="lede">
                { "A process is the container; threads are what a core runs. Here the page's process starts worker " }
                { "threads — one per core, and at least six — all sharing the same WebAssembly memory. The job below " }
                { "renders the Mandelbrot set, whose rows cost very different amounts: rows through the black set run " }
                { "to the iteration limit. " }
                { "Workers pull four rows at a time from a shared counter until none are left." }
            </p>
            <p class="lede">
                { "Concurrency means several tasks make progress in the same period; parallelism means they execute at " }
                { "the same instant on different cores. Choose " }<em>{ "taking turns" }</em>
                { " to run the same tasks on one thread: they all progress, but the wall time stays that of one core." }
            </p>
            <p class="lede zh-lede" lang="zh-CN">
                { "进程是容器，线程才是核心真正执行的东西。这里页面所在的进程启动了若干工作线程——每个核心一个，至少六个——" }
                { "它们共享同一块 WebAssembly 内存。下面的任务渲染曼德博集合，各行的计算量差别很大：穿过黑色区域的行要算到迭代上限。" }
                { "工作线程每次从一个共享计数器领取四行，直到领完为止。并发是多个任务在同一时间段内都有进展；并行是它们在同一时刻" }
                { "在不同核心上执行。选择“轮流执行”，同样的任务就在一个线程上运行：每个任务都有进展，但总耗时仍是一个核心的耗时。" }
            </p>
            <details class="aside">
                <summary>{ t!("cores.aside.summary").to_string() }</summary>
                <p>{ t!("cores.aside.reports", n = cores).to_string() }
                   { t!("cores.aside.hyper").to_string() }</p>
                <p>{ t!("cores.aside.cpu").to_string() }</p>
            </details>
            if let BootState::Starting { .. } = boot {
                <p class="notice">{ t!("cores.starting").to_string() }</p>
            }
            if let BootState::Unavailable { .. } = boot {
                <p class="notice">{ t!("cores.unavailable").to_string() }</p>
            }
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label>{ t!("cores.threads").to_string() }<strong data-testid="threads-value">{ shown_threads }</strong>
                    <input type="range" min="1" max={pool_threads.max(1).to_string()} value={shown_threads.to_string()}
                           oninput={on_threads} disabled={disabled} aria-label={t!("cores.threads_aria").to_string()} data-testid="threads" />
                    <small data-testid="cores-note">{ t!("cores.cores_note", n = cores).to_string() }</small>
                </label>
                <label>{ t!("cores.schedule").to_string() }
                    <select onchange={on_schedule} disabled={busy} data-testid="schedule">
                        <option value="parallel" selected={state.schedule == Schedule::Parallel}>{ t!("cores.opt_parallel").to_string() }</option>
                        <option value="interleaved" selected={state.schedule == Schedule::Interleaved}>{ t!("cores.opt_interleaved").to_string() }</option>
                    </select>
                </label>
                <label>{ t!("cores.image").to_string() }
                    <select onchange={on_size} disabled={busy}>
                        { for Size::ALL.iter().map(|s| {
                            let (w, h) = s.dims();
                            html! { <option value={s.name()} selected={*s == state.size}>{ format!("{} {w}×{h}", s.label()) }</option> }
                        }) }
                    </select>
                </label>
                <label>{ t!("cores.max_iter").to_string() }
                    <input type="number" min="1" max={MAX_ITER.to_string()} value={state.max_iter_text.clone()}
                           oninput={on_max_iter} disabled={busy} data-testid="max-iter" />
                </label>
                <label>{ t!("cores.repeats").to_string() }
                    <select onchange={on_repeats} disabled={busy}>
                        { for [1u32, 3, 5].iter().map(|&n| html! { <option value={n.to_string()} selected={n == state.repeats}>{ n }</option> }) }
                    </select>
                </label>
                <div class="buttons">
                    <button type="button" onclick={on_compare} disabled={disabled} data-testid="run">
                        { if state.schedule == Schedule::Parallel {
                            t!("cores.run_parallel", n = shown_threads).to_string()
                        } else {
                            t!("cores.run_interleaved", n = shown_threads).to_string()
                        } }</button>
                    <button type="button" onclick={on_sweep} disabled={disabled} data-testid="sweep">
                        { t!("cores.sweep", n = pool_threads.max(1)).to_string() }</button>
                    <button type="button" onclick={on_cancel} disabled={!busy} data-testid="cancel">{ t!("run.cancel").to_string() }</button>
                </div>
            </form>
            if let Some(error) = &state.error {
                { crate::ui::widgets::run_bar::run_message(error) }
            }
            if busy {
                <ProgressBar done={telemetry.progress.0} total={telemetry.progress.1} label={t!("cores.rendering").to_string()} />
            }
            <Timeline log={telemetry.log.clone()} describe_mark={describe_mark} describe_task={describe_task} />
            <div class="results-row">
                <figure class="canvas-figure" hidden={state.outcome.is_none()}>
                    <canvas ref={canvas} width={state.size.dims().0.to_string()} height={state.size.dims().1.to_string()}
                            aria-label={t!("cores.canvas_label").to_string()} />
                    <figcaption>
                        <label><input type="checkbox" checked={state.overlay} onchange={on_overlay} />
                            { t!("cores.overlay").to_string() }</label>
                    </figcaption>
                </figure>
                if let Some(outcome) = &state.outcome {
                    { summary(&outcome.report, state.outcome_run) }
                }
            </div>
            if !state.sweep.is_empty() {
                <p class="muted" data-testid="sweep-of">{ t!("cores.sweep_of", a = state.sweep_runs.0, b = state.sweep_runs.1).to_string() }</p>
                <SpeedupChart points={sweep_points} max_threads={pool_threads.max(2)} />
            }
            if !state.history.is_empty() {
                { history_table(&state.history, &facts) }
                <CopyButton text={history_json} />
            }
        </section>
    }
}

fn summary(report: &CoresReport, run: usize) -> Html {
    let verdict = if report.same_as_baseline {
        t!("cores.same_image")
    } else {
        t!("cores.image_differs")
    };
    html! {
        <dl class="summary" data-testid="summary">
            <div class="summary-of"><dt>{ t!("cores.run").to_string() }</dt><dd class="phrase" data-testid="summary-of">{ t!("cores.summary_of", run = run, describe = report.describe, w = report.width, h = report.height).to_string() }</dd></div>
            <div><dt>{ t!("cores.one_thread").to_string() }</dt><dd data-testid="baseline-ms">{ format!("{:.1} ms", report.baseline_ms) }</dd></div>
            <div><dt>{ report.describe.clone() }</dt><dd data-testid="wall-ms">{ format!("{:.1} ms", report.wall_ms) }</dd></div>
            <div><dt>{ t!("cores.speedup").to_string() }</dt><dd data-testid="speedup">{ format!("{:.2}×", report.speedup) }</dd></div>
            <div><dt>{ t!("cores.efficiency").to_string() }</dt><dd data-testid="efficiency">{ format!("{:.0} %", 100.0 * report.efficiency) }</dd></div>
            <div><dt>{ t!("cores.cpu_use").to_string() }</dt><dd data-testid="cpu" title={report.cpu_method.clone()}>{ report.cpu_text.clone() }</dd></div>
            <div><dt>{ t!("cores.answer").to_string() }</dt><dd class="phrase" data-testid="same-answer">{ verdict.to_string() }</dd></div>
        </dl>
    }
}

/// "2 logical cores · cross-origin isolated · 6 workers · Chrome 156": where the runs were measured.
fn machine_facts() -> String {
    let machine = env::machine();
    let browser = machine
        .user_agent
        .split_whitespace()
        .find(|part| {
            part.starts_with("Chrome/")
                || part.starts_with("HeadlessChrome/")
                || part.starts_with("Firefox/")
        })
        .map_or_else(
            || t!("cores.unknown_browser").to_string(),
            |part| part.replace('/', " "),
        );
    t!(
        "cores.measured_on",
        cores = machine.cores,
        isolation = if machine.cross_origin_isolated {
            t!("cores.isolated")
        } else {
            t!("cores.not_isolated")
        },
        workers = machine.pool_threads,
        browser = browser,
    )
    .to_string()
}

fn history_table(history: &[CoresReport], facts: &str) -> Html {
    html! {
        <table class="history" data-testid="history">
            <caption>{ t!("cores.history_caption").to_string() }
                <span class="machine" data-testid="machine-facts">{ facts.to_string() }</span></caption>
            <thead><tr>
                <th>{ "#" }</th><th>{ t!("cores.run").to_string() }</th><th>{ t!("cores.col_schedule").to_string() }</th>
                <th>{ t!("cores.col_image").to_string() }</th><th>{ t!("cores.col_one_thread_ms").to_string() }</th>
                <th>{ "ms" }</th><th>{ t!("cores.speedup").to_string() }</th><th>{ t!("cores.efficiency").to_string() }</th>
                <th>{ t!("cores.col_cpu").to_string() }</th>
            </tr></thead>
            <tbody>
                { for history.iter().enumerate().rev().map(|(i, r)| html! {
                    <tr>
                        <td>{ i + 1 }</td>
                        <td>{ r.describe.clone() }</td>
                        <td>{ if r.schedule == Schedule::Parallel { t!("cores.parallel") } else { t!("cores.taking_turns") }.to_string() }</td>
                        <td>{ t!("cores.image_cell", w = r.width, h = r.height, it = r.max_iter).to_string() }</td>
                        <td>{ format!("{:.1}", r.baseline_ms) }</td>
                        <td>{ format!("{:.1}", r.wall_ms) }</td>
                        <td>{ format!("{:.2}×", r.speedup) }</td>
                        <td>{ format!("{:.0} %", 100.0 * r.efficiency) }</td>
                        <td>{ r.cpu_text.clone() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// Task tints for the overlay (same hues as the timeline's task colours).
const TASK_TINTS: [[u8; 3]; 8] = [
    [66, 153, 225],
    [237, 137, 54],
    [72, 187, 120],
    [237, 100, 166],
    [159, 122, 234],
    [236, 201, 75],
    [56, 178, 172],
    [245, 101, 101],
];

fn draw(canvas: &web_sys::HtmlCanvasElement, outcome: &CoresOutcome, overlay: bool) {
    let (width, height) = (outcome.report.width, outcome.report.height);
    canvas.set_width(width);
    canvas.set_height(height);
    let mut rgba = Vec::with_capacity(outcome.image.len() * 4);
    for (i, &iterations) in outcome.image.iter().enumerate() {
        let mut px = colour(iterations, outcome.report.max_iter);
        if overlay {
            let task = outcome
                .row_task
                .get(i / width as usize)
                .copied()
                .unwrap_or(0) as usize;
            let tint = TASK_TINTS[task % TASK_TINTS.len()];
            for c in 0..3 {
                px[c] = ((u16::from(px[c]) + 2 * u16::from(tint[c])) / 3) as u8;
            }
        }
        rgba.extend_from_slice(&px);
    }
    // ImageData refuses views of shared memory, so copy into a fresh JS array first.
    let array = js_sys::Uint8ClampedArray::new_with_length(rgba.len() as u32);
    array.copy_from(&rgba);
    let Ok(image) = web_sys::ImageData::new_with_js_u8_clamped_array_and_sh(&array, width, height)
    else {
        return;
    };
    let context = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
    if let Some(context) = context {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}
