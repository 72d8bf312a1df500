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

fn explain(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::Event => {
            "Event: a flag. T1 pauses, then sets it; every other thread waits on it (orange) and all \
             wake together. Measured: from set() to each waiter running again."
        }
        SignalKind::Condition => {
            "Condition: T1 produces items one at a time into a one-item slot; the others wait on the \
             condition while the slot is empty. wait() releases the lock while sleeping and re-takes it \
             when notified. Measured: from notify() to the consumer running."
        }
        SignalKind::Barrier => {
            "Barrier: thread i works (i + 1) × 15 ms, then waits at the barrier. Nobody leaves until the \
             slowest arrives; then all leave at once. Measured: how far apart they arrive vs leave."
        }
    }
}

fn summary_ms(summary: &Option<Summary>) -> String {
    summary.as_ref().map_or("—".into(), |s| {
        format!("median {:.2} ms (max {:.2}, n = {})", s.median, s.max, s.n)
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
                <Choice label="Primitive" selected={kind_id(*kind)} onchange={on_kind} testid="kind" disabled={running}
                    options={vec![("event".into(), "Event".into()), ("condition".into(), "Condition".into()), ("barrier".into(), "Barrier".into())]} />
                <NumberField label="Threads" value={(*threads).clone()} min={2} max={threads_available.max(2)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label="Rounds" value={(*rounds).clone()} min={1} max={50} oninput={set(&rounds)} disabled={running} />
                <RunBar label="Run" running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = experiment.result() {
                <dl class="summary" data-testid="signals-summary">
                    if report.wake_latency_ms.is_some() {
                        <div><dt>{ "wake-up latency" }</dt><dd data-testid="latency">{ summary_ms(&report.wake_latency_ms) }</dd></div>
                    }
                    if report.arrival_spread_ms.is_some() {
                        <div><dt>{ "arrivals spread over" }</dt><dd data-testid="arrivals">{ summary_ms(&report.arrival_spread_ms) }</dd></div>
                        <div><dt>{ "departures spread over" }</dt><dd data-testid="departures">{ summary_ms(&report.departure_spread_ms) }</dd></div>
                    }
                    if !report.handed_over.is_empty() {
                        <div><dt>{ "items handed over, in order" }</dt><dd>{ format!("{:?}", report.handed_over) }</dd></div>
                    }
                    <div><dt>{ "whole run" }</dt><dd>{ format!("{:.0} ms", report.ms) }</dd></div>
                </dl>
                <CopyButton text={serde_json::to_string_pretty(&*report).unwrap_or_default()} />
            }
            <ThreadStates threads={parse_whole("signals", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|label: u32| format!("#{label}"))} />
        </div>
    }
}
