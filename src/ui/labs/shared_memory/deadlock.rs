//! Deadlock tab: AB-BA on two real threads, a watchdog that draws the wait-for graph live,
//! names the cycle and recovers; the lock-order fix; Lock vs RLock re-entry.

use super::thread_lane;
use crate::model::labs::shared_memory::{DeadlockParams, DeadlockReport, DeadlockScenario};
use crate::model::wait_for::{Holding, Waiting, find_cycle};
use crate::runtime::labs::shared_memory::deadlock;
use crate::runtime::sync::registry::{self, Snapshot};
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_animation_frame, use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_life::ThreadLife;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use crate::ui::widgets::wait_for_graph::WaitForGraph;
use yew::prelude::*;

fn scenario_id(scenario: DeadlockScenario) -> &'static str {
    match scenario {
        DeadlockScenario::AbBa => "ab-ba",
        DeadlockScenario::SelfLock => "self-lock",
        DeadlockScenario::Rlock => "rlock",
    }
}

#[component]
pub fn DeadlockTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<DeadlockReport>("shared-memory/deadlock");
    let scenario = use_param("shared-memory/deadlock/scenario", || DeadlockScenario::AbBa);
    let fix = use_param("shared-memory/deadlock/fix", || false);
    let hold = use_param("shared-memory/deadlock/hold", || "50".to_string());
    let timeout = use_param("shared-memory/deadlock/timeout", || "3000".to_string());
    // The registry as last seen, and the most telling moment (a cycle, else any wait).
    let live = use_state(Snapshot::default);
    let moment = use_mut_ref(Snapshot::default);

    let on_frame = {
        let (live, moment) = (live.clone(), moment.clone());
        Callback::from(move |()| {
            let snapshot = registry::snapshot();
            let mut kept = moment.borrow_mut();
            let kept_has_cycle = find_cycle(&kept.waiting, &kept.holding).is_some();
            if !kept_has_cycle
                && (find_cycle(&snapshot.waiting, &snapshot.holding).is_some()
                    || !snapshot.waiting.is_empty())
            {
                *kept = snapshot.clone();
            }
            if *live != snapshot {
                live.set(snapshot);
            }
        })
    };
    use_animation_frame(experiment.running(), on_frame);

    let on_run = {
        let (scenario, fix, hold, timeout, experiment, moment) = (
            scenario.clone(),
            fix.clone(),
            hold.clone(),
            timeout.clone(),
            experiment.clone(),
            moment.clone(),
        );
        Callback::from(move |()| {
            let params = (|| {
                let params = DeadlockParams {
                    scenario: *scenario,
                    fix: *fix,
                    hold_ms: parse_whole("deadlock", "hold_ms", &hold)?,
                    timeout_ms: parse_whole("deadlock", "timeout_ms", &timeout)?,
                };
                params.validate(threads_available)?;
                Ok::<_, String>(params)
            })();
            match params {
                Ok(params) => {
                    *moment.borrow_mut() = Snapshot::default();
                    experiment.start(deadlock::run(params));
                }
                Err(message) => experiment.fail(message),
            }
        })
    };
    let on_scenario = {
        let scenario = scenario.clone();
        Callback::from(move |value: String| {
            scenario.set(match value.as_str() {
                "self-lock" => DeadlockScenario::SelfLock,
                "rlock" => DeadlockScenario::Rlock,
                _ => DeadlockScenario::AbBa,
            })
        })
    };
    let on_fix = {
        let fix = fix.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                fix.set(input.checked());
            }
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let running = experiment.running();
    // While running show the live registry; afterwards the graph the watchdog acted on
    // (a cycle lives only tens of milliseconds: frames may miss it, the watchdog did not).
    // A run that ended without a deadlock released everything: draw that, not a stale wait.
    let report = experiment.result();
    let shown = match &report {
        Some(r) if !running && !r.waiting.is_empty() => Snapshot {
            waiting: r
                .waiting
                .iter()
                .map(|&(thread, resource)| Waiting { thread, resource })
                .collect(),
            holding: r
                .holding
                .iter()
                .map(|&(thread, resource)| Holding { thread, resource })
                .collect(),
            counts: vec![],
        },
        _ if running => (*live).clone(),
        Some(_) => Snapshot::default(),
        None => moment.borrow().clone(),
    };
    let cycle = find_cycle(&shown.waiting, &shown.holding)
        .map(|c| c.threads())
        .unwrap_or_default();
    let thread_count = if *scenario == DeadlockScenario::AbBa {
        2
    } else {
        1
    };
    let fix_label = if *scenario == DeadlockScenario::AbBa {
        t!("shared_memory.deadlock.fix_order")
    } else {
        t!("shared_memory.deadlock.fix_rlock")
    };

    html! {
        <div class="experiment">
            <p class="lede" data-testid="scenario-text">{ scenario_text(*scenario, *fix) }</p>
            <p class="muted">
                { t!("shared_memory.deadlock.watchdog").to_string() }
            </p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <Choice label={t!("shared_memory.deadlock.scenario").to_string()} selected={scenario_id(*scenario)} onchange={on_scenario} testid="scenario" disabled={running}
                    options={vec![
                        ("ab-ba".into(), t!("shared_memory.deadlock.opt_ab_ba").to_string().into()),
                        ("self-lock".into(), t!("shared_memory.deadlock.opt_self_lock").to_string().into()),
                        ("rlock".into(), t!("shared_memory.deadlock.opt_rlock").to_string().into()),
                    ]} />
                <label class="inline"><input type="checkbox" checked={*fix} onchange={on_fix} disabled={running} data-testid="fix" />{ format!(" {fix_label}") }</label>
                <NumberField label={t!("shared_memory.deadlock.hold").to_string()} value={(*hold).clone()} min={1} max={1000} oninput={set(&hold)} disabled={running} />
                <NumberField label={t!("shared_memory.deadlock.timeout").to_string()} value={(*timeout).clone()} min={100} max={10_000} oninput={set(&timeout)} disabled={running} />
                <RunBar label={t!("shared_memory.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} />
            </form>
            <div class="results-row">
                <WaitForGraph threads={(0..thread_count).map(thread_lane).collect::<Vec<_>>()}
                    resources={if *scenario == DeadlockScenario::AbBa || (*scenario == DeadlockScenario::SelfLock && !*fix) { vec!["A".to_string(), "B".to_string()] } else { vec!["R".to_string()] }}
                    holding={shown.holding.iter().filter(|h| h.resource < 2).map(|h| (h.thread, h.resource)).collect::<Vec<_>>()}
                    waiting={shown.waiting.iter().filter(|w| w.resource < 2).map(|w| (w.thread, w.resource)).collect::<Vec<_>>()}
                    cycle={cycle} />
                if let Some(report) = &report {
                    { deadlock_results(report) }
                }
            </div>
            <ThreadStates threads={if *scenario == DeadlockScenario::AbBa { 2 } else { 1 }} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <ThreadLife log={experiment.telemetry.log.clone()} threads={if *scenario == DeadlockScenario::AbBa { 2 } else { 1 }} done={!experiment.running() && experiment.owns_thread_states()} testid="deadlock-life" />
            <Timeline log={experiment.telemetry.log.clone()} legend={true}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|id: u32| match id { 0 => t!("shared_memory.deadlock.task_a"), 1 => t!("shared_memory.deadlock.task_b"), _ => t!("shared_memory.deadlock.task_start") }.to_string())} />
        </div>
    }
}

/// What the chosen scenario does, with the fix on or off.
fn scenario_text(scenario: DeadlockScenario, fix: bool) -> String {
    match (scenario, fix) {
        (DeadlockScenario::AbBa, false) => t!("shared_memory.deadlock.text_ab_ba"),
        (DeadlockScenario::AbBa, true) => t!("shared_memory.deadlock.text_ab_ba_fixed"),
        (DeadlockScenario::SelfLock, false) => t!("shared_memory.deadlock.text_self_lock"),
        (DeadlockScenario::SelfLock, true) | (DeadlockScenario::Rlock, _) => {
            t!("shared_memory.deadlock.text_rlock")
        }
    }
    .to_string()
}

fn deadlock_results(report: &DeadlockReport) -> Html {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    html! {
        <div class="deadlock-results">
            <p class={classes!("verdict", if report.deadlocked { "bad" } else { "good" })} data-testid="verdict">
                { if report.deadlocked { t!("shared_memory.deadlock.deadlocked") } else { t!("shared_memory.deadlock.no_deadlock") }.to_string() }</p>
            if let Some(cycle) = &report.cycle {
                <p data-testid="cycle"><strong>{ t!("shared_memory.deadlock.cycle").to_string() }</strong>{ cycle.clone() }</p>
            }
            <dl class="summary">
                if let Some(ms) = report.detect_ms {
                    <div><dt>{ t!("shared_memory.deadlock.detected_after").to_string() }</dt><dd data-testid="detect-ms">{ format!("{ms:.0} ms") }</dd></div>
                }
                if let Some(ms) = report.recovery_ms {
                    <div><dt>{ t!("shared_memory.deadlock.recovered_in").to_string() }</dt><dd>{ format!("{ms:.0} ms") }</dd></div>
                }
                if let Some(count) = report.rlock_max_count {
                    <div><dt>{ t!("shared_memory.deadlock.rlock_count").to_string() }</dt><dd data-testid="rlock-count">{ count }</dd></div>
                }
                <div><dt>{ t!("shared_memory.whole_run").to_string() }</dt><dd>{ format!("{:.0} ms", report.ms) }</dd></div>
            </dl>
            <table class="history">
                <thead><tr><th>{ t!("shared_memory.deadlock.col_thread").to_string() }</th><th>{ t!("shared_memory.deadlock.col_ended").to_string() }</th><th>{ t!("shared_memory.deadlock.col_locks").to_string() }</th></tr></thead>
                <tbody>
                    { for report.threads.iter().map(|t| html! {
                        <tr><td>{ t.name.clone() }</td><td>{ outcome_label(&t.outcome) }</td><td>{ t.acquired.join(", ") }</td></tr>
                    }) }
                </tbody>
            </table>
            <CopyButton text={json} />
        </div>
    }
}

/// A thread's outcome as the runtime reports it ("finished" or how its wait failed), in the
/// page's language.
fn outcome_label(outcome: &str) -> String {
    match outcome {
        "finished" => t!("shared_memory.outcome.finished"),
        "timed out" => t!("shared_memory.outcome.timed_out"),
        "cancelled" => t!("shared_memory.outcome.cancelled"),
        "aborted by the watchdog" => t!("shared_memory.outcome.aborted"),
        "released something it does not hold" => t!("shared_memory.outcome.not_owner"),
        other => return other.to_string(),
    }
    .to_string()
}
