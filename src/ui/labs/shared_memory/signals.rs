//! Signals tab: Event, Condition and Barrier on real threads, with measured wake-ups.

use super::thread_lane;
use crate::model::labs::shared_memory::{SignalKind, SignalParams, SignalReport};
use crate::model::stats::Summary;
use crate::runtime::labs::shared_memory::signals;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_life::ThreadLife;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use yew::prelude::*;

fn kind_id(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::Event => "event",
        SignalKind::Condition => "condition",
        SignalKind::Barrier => "barrier",
    }
}

fn explain(kind: SignalKind) -> String {
    match kind {
        SignalKind::Event => t!("shared_memory.signals.event"),
        SignalKind::Condition => t!("shared_memory.signals.condition"),
        SignalKind::Barrier => t!("shared_memory.signals.barrier"),
    }
    .to_string()
}

fn summary_ms(summary: &Option<Summary>) -> String {
    summary.as_ref().map_or("—".into(), |s| {
        t!(
            "shared_memory.signals.summary",
            median = format!("{:.2}", s.median),
            max = format!("{:.2}", s.max),
            n = s.n
        )
        .to_string()
    })
}

#[component]
pub fn SignalsTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<SignalReport>("shared-memory/signals");
    let kind = use_param("shared-memory/signals/kind", || SignalKind::Event);
    let threads = use_param("shared-memory/signals/threads", || "4".to_string());
    let rounds = use_param("shared-memory/signals/rounds", || "3".to_string());
    let on_run = {
        let (kind, threads, rounds, experiment) = (
            kind.clone(),
            threads.clone(),
            rounds.clone(),
            experiment.clone(),
        );
        Callback::from(move |()| {
            let params = (|| {
                let params = SignalParams {
                    kind: *kind,
                    threads: parse_whole("signals", "threads", &threads)?,
                    rounds: parse_whole("signals", "rounds", &rounds)?,
                };
                params.validate(threads_available)?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, signals::run)
        })
    };
    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |value: String| {
            kind.set(match value.as_str() {
                "condition" => SignalKind::Condition,
                "barrier" => SignalKind::Barrier,
                _ => SignalKind::Event,
            })
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let running = experiment.running();
    html! {
        <div class="experiment">
            <p class="lede">{ explain(*kind) }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <Choice label={t!("shared_memory.signals.primitive").to_string()} selected={kind_id(*kind)} onchange={on_kind} testid="kind" disabled={running}
                    options={vec![("event".into(), "Event".into()), ("condition".into(), "Condition".into()), ("barrier".into(), "Barrier".into())]} />
                <NumberField label={t!("shared_memory.threads").to_string()} value={(*threads).clone()} min={2} max={threads_available.max(2)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label={t!("shared_memory.signals.rounds").to_string()} value={(*rounds).clone()} min={1} max={50} oninput={set(&rounds)} disabled={running} />
                <RunBar label={t!("shared_memory.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = experiment.result() {
                <dl class="summary" data-testid="signals-summary">
                    if report.wake_latency_ms.is_some() {
                        <div><dt>{ t!("shared_memory.signals.latency").to_string() }</dt><dd data-testid="latency">{ summary_ms(&report.wake_latency_ms) }</dd></div>
                    }
                    if report.arrival_spread_ms.is_some() {
                        <div><dt>{ t!("shared_memory.signals.arrivals").to_string() }</dt><dd data-testid="arrivals">{ summary_ms(&report.arrival_spread_ms) }</dd></div>
                        <div><dt>{ t!("shared_memory.signals.departures").to_string() }</dt><dd data-testid="departures">{ summary_ms(&report.departure_spread_ms) }</dd></div>
                    }
                    if !report.handed_over.is_empty() {
                        <div><dt>{ t!("shared_memory.signals.handed_over").to_string() }</dt><dd>{ format!("{:?}", report.handed_over) }</dd></div>
                    }
                    <div><dt>{ t!("shared_memory.whole_run").to_string() }</dt><dd>{ format!("{:.0} ms", report.ms) }</dd></div>
                </dl>
                <CopyButton text={serde_json::to_string_pretty(&*report).unwrap_or_default()} />
            }
            <ThreadStates threads={parse_whole("signals", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <ThreadLife log={experiment.telemetry.log.clone()} threads={parse_whole("signals", "threads", &threads).unwrap_or(0)} done={!experiment.running() && experiment.owns_thread_states()} testid="signals-life" />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|label: u32| format!("#{label}"))} />
        </div>
    }
}
