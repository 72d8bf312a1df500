//! Section 1 (real): many tasks wait at once on the page's one thread, and the same waits
//! are measured one after another and on worker threads that block while they wait.

use crate::model::labs::event_loop::TaskState;
use crate::model::labs::event_loop::lab::{
    AsyncWaitsParams, AsyncWaitsReport, MAX_CPU_MS, MAX_ROUNDS, MAX_STAGGER_MS, MAX_TASKS,
    MAX_TIMEOUT_MS, MAX_WAIT_MS, Strategy,
};
use crate::runtime::cancel;
use crate::runtime::labs::event_loop::{
    self as kernel, Live, MARK_ONE_THREAD, MARK_SEQUENTIAL, MARK_THREADS, WORKER_LANE_BASE,
};
use crate::ui::app::read_linked;
use crate::ui::boot::BootState;
use crate::ui::hooks::{link_value, use_animation_frame, use_kept_reducer, use_telemetry};
use crate::ui::language::both_languages;
use crate::ui::widgets::timeline::Timeline;
use std::rc::Rc;
use yew::prelude::*;

/// The numeric fields of the form, in display order.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Tasks,
    WaitMs,
    CpuMs,
    Rounds,
    StaggerMs,
    TimeoutMs,
}

impl Field {
    const ALL: [Field; 6] = [
        Field::Tasks,
        Field::WaitMs,
        Field::CpuMs,
        Field::Rounds,
        Field::StaggerMs,
        Field::TimeoutMs,
    ];

    fn key(self) -> &'static str {
        match self {
            Field::Tasks => "tasks",
            Field::WaitMs => "wait_ms",
            Field::CpuMs => "cpu_ms",
            Field::Rounds => "rounds",
            Field::StaggerMs => "stagger_ms",
            Field::TimeoutMs => "timeout_ms",
        }
    }

    fn label(self) -> String {
        match self {
            Field::Tasks => t!("event_loop.waits.field_tasks"),
            Field::WaitMs => t!("event_loop.waits.field_wait_ms"),
            Field::CpuMs => t!("event_loop.waits.field_cpu_ms"),
            Field::Rounds => t!("event_loop.waits.field_rounds"),
            Field::StaggerMs => t!("event_loop.waits.field_stagger_ms"),
            Field::TimeoutMs => t!("event_loop.waits.field_timeout_ms"),
        }
        .to_string()
    }

    fn max(self) -> u32 {
        match self {
            Field::Tasks => MAX_TASKS,
            Field::WaitMs => MAX_WAIT_MS,
            Field::CpuMs => MAX_CPU_MS,
            Field::Rounds => MAX_ROUNDS,
            Field::StaggerMs => MAX_STAGGER_MS,
            Field::TimeoutMs => MAX_TIMEOUT_MS,
        }
    }

    fn get(self, p: &AsyncWaitsParams) -> u32 {
        match self {
            Field::Tasks => p.tasks,
            Field::WaitMs => p.wait_ms,
            Field::CpuMs => p.cpu_ms,
            Field::Rounds => p.rounds,
            Field::StaggerMs => p.stagger_ms,
            Field::TimeoutMs => p.timeout_ms,
        }
    }

    fn set(self, p: &mut AsyncWaitsParams, value: u32) {
        match self {
            Field::Tasks => p.tasks = value,
            Field::WaitMs => p.wait_ms = value,
            Field::CpuMs => p.cpu_ms = value,
            Field::Rounds => p.rounds = value,
            Field::StaggerMs => p.stagger_ms = value,
            Field::TimeoutMs => p.timeout_ms = value,
        }
    }
}

#[derive(Clone, PartialEq)]
struct State {
    texts: [String; 6],
    strategy: Strategy,
    sequential: bool,
    threads: bool,
    running: bool,
    error: Option<String>,
    report: Option<Rc<AsyncWaitsReport>>,
}

impl Default for State {
    fn default() -> Self {
        let defaults = AsyncWaitsParams::default();
        State {
            texts: Field::ALL.map(|f| f.get(&defaults).to_string()),
            strategy: defaults.strategy,
            sequential: defaults.sequential,
            threads: defaults.threads,
            running: false,
            error: None,
            report: None,
        }
    }
}

impl State {
    /// The form as parameters, every field checked.
    fn params(&self) -> Result<AsyncWaitsParams, String> {
        let mut p = AsyncWaitsParams {
            strategy: self.strategy,
            sequential: self.sequential,
            threads: self.threads,
            ..AsyncWaitsParams::default()
        };
        for (field, text) in Field::ALL.iter().zip(&self.texts) {
            let value = text.trim().parse::<u32>().map_err(|_| {
                t!(
                    "event_loop.waits.bad_number",
                    field = field.key(),
                    max = field.max()
                )
                .to_string()
            })?;
            field.set(&mut p, value);
        }
        p.validate()?;
        Ok(p)
    }
}

impl State {
    /// The kept state without a run in flight, with the link's inputs over it.
    fn restored(kept: State) -> State {
        State {
            running: false,
            ..kept
        }
        .with_link()
    }

    fn with_link(mut self) -> State {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            read_linked(&Self::link_key(field.key()), &mut self.texts[i]);
        }
        read_linked("event-loop/async-waits/strategy", &mut self.strategy);
        read_linked("event-loop/async-waits/sequential", &mut self.sequential);
        read_linked("event-loop/async-waits/threads", &mut self.threads);
        self
    }

    /// Writes the inputs that differ from the defaults into the page's link.
    fn link(&self) {
        let d = State::default();
        for (i, field) in Field::ALL.into_iter().enumerate() {
            link_value(&Self::link_key(field.key()), &self.texts[i], &d.texts[i]);
        }
        link_value(
            "event-loop/async-waits/strategy",
            &self.strategy,
            &d.strategy,
        );
        link_value(
            "event-loop/async-waits/sequential",
            &self.sequential,
            &d.sequential,
        );
        link_value("event-loop/async-waits/threads", &self.threads, &d.threads);
    }

    fn link_key(name: &str) -> String {
        format!("event-loop/async-waits/{name}")
    }
}

enum Action {
    Text(Field, String),
    Strategy(Strategy),
    Sequential(bool),
    Threads(bool),
    Start,
    Fail(String),
    Finished(Result<AsyncWaitsReport, String>),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Text(field, text) => {
                let slot =
                    &mut next.texts[Field::ALL.iter().position(|f| *f == field).unwrap_or(0)];
                if *slot == text {
                    return self;
                }
                *slot = text;
            }
            Action::Strategy(s) => next.strategy = s,
            Action::Sequential(on) => next.sequential = on,
            Action::Threads(on) => next.threads = on,
            Action::Start => {
                next.running = true;
                next.error = None;
            }
            Action::Fail(message) => {
                next.running = false;
                next.error = Some(message);
            }
            Action::Finished(Ok(report)) => {
                next.running = false;
                next.report = Some(Rc::new(report));
            }
            Action::Finished(Err(message)) => {
                next.running = false;
                next.error = Some(message);
            }
        }
        Rc::new(next)
    }
}

/// Section 1 of the lab.
#[component]
pub fn AsyncWaits() -> Html {
    let boot = use_context::<BootState>().unwrap_or(BootState::Starting { threads: 0 });
    let pool_threads = boot.threads();
    let state = use_kept_reducer(
        "event-loop/async-waits",
        || State::default().with_link(),
        State::restored,
    );
    use_effect_with(state.clone(), |state| state.link());
    let telemetry = use_telemetry(state.running);
    let live = use_state(Live::default);

    // Task states are a few atomics: read them every frame while running, beside the
    // (throttled) telemetry; the final poll refreshes both.
    let refresh_live = {
        let live = live.clone();
        Callback::from(move |()| {
            let now_live = kernel::live();
            if *live != now_live {
                live.set(now_live);
            }
        })
    };
    use_animation_frame(state.running, refresh_live.clone());
    let poll = {
        let telemetry_poll = telemetry.poll.clone();
        Callback::from(move |force: bool| {
            telemetry_poll.emit(force);
            refresh_live.emit(());
        })
    };

    let on_run = {
        let (state, poll) = (state.clone(), poll.clone());
        Callback::from(move |_: MouseEvent| {
            let params = match state.params() {
                Ok(params) => params,
                Err(message) => return state.dispatch(Action::Fail(message)),
            };
            state.dispatch(Action::Start);
            let (state, poll) = (state.clone(), poll.clone());
            yew::platform::spawn_local(async move {
                let result = kernel::async_waits(params).await;
                poll.emit(true);
                state.dispatch(Action::Finished(result));
            });
        })
    };
    let on_cancel = Callback::from(|_: MouseEvent| cancel::cancel_all());
    let on_text = |field: Field| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(Action::Text(field, input.value()));
            }
        })
    };
    let on_strategy = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let strategy = match select.value().as_str() {
                    "first" => Strategy::First,
                    "timeout" => Strategy::Timeout,
                    _ => Strategy::Gather,
                };
                state.dispatch(Action::Strategy(strategy));
            }
        })
    };
    let on_check = |make: fn(bool) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                state.dispatch(make(input.checked()));
            }
        })
    };

    let busy = state.running;
    let describe_lane = Callback::from(|lane: u32| {
        if lane >= WORKER_LANE_BASE {
            t!(
                "event_loop.waits.lane_worker",
                n = lane - WORKER_LANE_BASE + 1
            )
            .to_string()
        } else {
            t!("event_loop.waits.lane_task", n = lane).to_string()
        }
    });
    let describe_task =
        Callback::from(|label: u32| t!("event_loop.waits.task", n = label).to_string());
    let describe_mark = Callback::from(|mark: u32| match mark {
        MARK_ONE_THREAD => t!("event_loop.waits.mark_one_thread").to_string(),
        MARK_SEQUENTIAL => t!("event_loop.waits.one_after_another").to_string(),
        MARK_THREADS => t!("event_loop.waits.mark_threads").to_string(),
        _ => String::new(),
    });
    // While running, the live states; afterwards, how each task ended.
    let states: Vec<TaskState> = if busy || state.report.is_none() {
        live.states.clone()
    } else {
        state
            .report
            .as_ref()
            .map(|r| r.states.clone())
            .unwrap_or_default()
    };

    html! {
        <section class="el-part" aria-labelledby="async-waits-title" data-testid="part-async-waits">
            <h3 id="async-waits-title">{ "1 · " }{ both_languages("Many waits, one thread", "单线程上的并发等待") }
                <span class="badge real">{ t!("badge.real").to_string() }</span></h3>
            <p class="lede">{ t!("event_loop.waits.lede").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for Field::ALL.iter().enumerate().map(|(i, &field)| html! {
                    <label>{ field.label() }
                        <input type="number" min="0" max={field.max().to_string()} value={state.texts[i].clone()}
                               oninput={on_text(field)} disabled={busy} data-testid={format!("aw-{}", field.key())} />
                    </label>
                }) }
                <label>{ t!("event_loop.waits.wait_for").to_string() }
                    <select onchange={on_strategy} disabled={busy} data-testid="aw-strategy">
                        <option value="gather" selected={state.strategy == Strategy::Gather}>{ t!("event_loop.waits.strategy_gather").to_string() }</option>
                        <option value="first" selected={state.strategy == Strategy::First}>{ t!("event_loop.waits.strategy_first").to_string() }</option>
                        <option value="timeout" selected={state.strategy == Strategy::Timeout}>{ t!("event_loop.waits.strategy_timeout").to_string() }</option>
                    </select>
                </label>
                <label class="check"><input type="checkbox" checked={state.sequential} disabled={busy}
                        onchange={on_check(Action::Sequential)} />{ t!("event_loop.waits.also_sequential").to_string() }</label>
                <label class="check"><input type="checkbox" checked={state.threads} disabled={busy || pool_threads == 0}
                        onchange={on_check(Action::Threads)} />{ t!("event_loop.waits.also_threads", n = pool_threads).to_string() }</label>
                <div class="buttons">
                    <button type="button" onclick={on_run} disabled={busy} data-testid="aw-run">{ t!("event_loop.waits.run").to_string() }</button>
                    <button type="button" onclick={on_cancel} disabled={!busy} data-testid="aw-cancel">{ t!("run.cancel").to_string() }</button>
                </div>
            </form>
            if let Some(error) = &state.error {
                <p class="error" role="alert" data-testid="aw-error">{ error.clone() }</p>
            }
            if busy && !live.phase.is_empty() {
                <p class="phase" role="status">{ t!("event_loop.waits.running", phase = live.phase).to_string() }</p>
            }
            if !states.is_empty() {
                <ol class="task-chips" aria-label={t!("event_loop.waits.task_states").to_string()} data-testid="aw-states">
                    { for states.iter().enumerate().map(|(i, s)| {
                        let name = task_state_name(*s);
                        let shown = task_state_label(*s);
                        html! { <li class={classes!("chip", name)} data-state={name}>{ t!("event_loop.waits.chip", i = i, state = shown).to_string() }</li> }
                    }) }
                </ol>
            }
            if let Some(report) = &state.report {
                { summary(report) }
            }
            <Timeline log={telemetry.log.clone()} color_by_task={false} legend={true} caption={t!("event_loop.waits.timeline_caption").to_string()}
                      describe_lane={describe_lane} describe_task={describe_task} describe_mark={describe_mark} />
        </section>
    }
}

fn task_state_name(state: TaskState) -> &'static str {
    match state {
        TaskState::Pending => "pending",
        TaskState::Running => "running",
        TaskState::Done => "done",
        TaskState::Cancelled => "cancelled",
    }
}

/// The state's name in the page's language (`task_state_name` stays the English id).
fn task_state_label(state: TaskState) -> String {
    match state {
        TaskState::Pending => t!("event_loop.waits.state_pending"),
        TaskState::Running => t!("event_loop.waits.state_running"),
        TaskState::Done => t!("event_loop.waits.state_done"),
        TaskState::Cancelled => t!("event_loop.waits.state_cancelled"),
    }
    .to_string()
}

fn ms(value: Option<f64>) -> String {
    value.map_or("—".into(), |v| format!("{v:.0} ms"))
}

/// "10 tasks, each 2 × (20 ms computing + 300 ms waiting): ".
fn work_text(r: &AsyncWaitsReport) -> String {
    let rounds = if r.rounds > 1 {
        format!("{} × ", r.rounds)
    } else {
        String::new()
    };
    let stagger = if r.stagger_ms > 0 {
        t!("event_loop.waits.stagger", ms = r.stagger_ms).to_string()
    } else {
        String::new()
    };
    let one = if r.cpu_ms > 0 {
        t!(
            "event_loop.waits.work_cpu",
            rounds = rounds,
            cpu = r.cpu_ms,
            wait = r.wait_ms,
            stagger = stagger
        )
        .to_string()
    } else {
        t!(
            "event_loop.waits.work_wait",
            rounds = rounds,
            wait = r.wait_ms,
            stagger = stagger
        )
        .to_string()
    };
    t!("event_loop.waits.work", n = r.tasks, one = one).to_string()
}

fn summary(r: &AsyncWaitsReport) -> Html {
    let strategy = match r.strategy {
        Strategy::Gather => t!("event_loop.waits.all_of_them").to_string(),
        Strategy::First => t!(
            "event_loop.waits.the_first",
            n = r.winner.map_or("—".into(), |w| w.to_string())
        )
        .to_string(),
        Strategy::Timeout => t!("event_loop.waits.until", ms = r.timeout_ms).to_string(),
    };
    html! {
        <>
        <dl class="summary el-summary" data-testid="aw-summary">
            <div><dt>{ t!("event_loop.waits.one_thread", strategy = strategy).to_string() }</dt>
                <dd data-testid="aw-wall-ms">{ format!("{:.0} ms", r.wall_ms) }</dd></div>
            <div><dt>{ t!("event_loop.waits.one_after_another").to_string() }</dt><dd data-testid="aw-sequential-ms">{ ms(r.sequential_ms) }</dd></div>
            <div><dt>{ t!("event_loop.waits.on_threads", n = r.threads_used).to_string() }</dt>
                <dd data-testid="aw-threads-ms">{ ms(r.threads_ms) }</dd></div>
            <div><dt>{ t!("event_loop.waits.done_cancelled").to_string() }</dt><dd data-testid="aw-counts">{ format!("{} · {}", r.done, r.cancelled) }</dd></div>
        </dl>
        <p class="verdict" data-testid="aw-verdict">
            { work_text(r) }
            { t!("event_loop.waits.verdict_one_thread", ms = format!("{:.0}", r.wall_ms), ideal = r.ideal_ms).to_string() }
            if let Some(seq) = r.sequential_ms {
                { t!("event_loop.waits.verdict_sequential", ms = format!("{seq:.0}"), ideal = r.sequential_ideal_ms).to_string() }
            }
            if let (Some(t), Some(ideal)) = (r.threads_ms, r.threads_ideal_ms) {
                { t!("event_loop.waits.verdict_threads", ms = format!("{t:.0}"), n = r.threads_used, ideal = ideal).to_string() }
            }
            { t!("event_loop.waits.verdict_end").to_string() }
            if let Some(overlap) = r.overlap {
                { t!("event_loop.waits.verdict_overlap", n = format!("{overlap:.1}")).to_string() }
            }
        </p>
        </>
    }
}
