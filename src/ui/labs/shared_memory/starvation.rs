//! Starvation tab: two real threads on a lock with no order among waiters or a ticket lock,
//! and two polite threads that retry in step (livelock) or after random waits.

use super::thread_lane;
use crate::model::labs::shared_memory::{
    StarvationParams, StarvationReport, StarvationScenario, StarvationVerdict,
};
use crate::runtime::labs::shared_memory::starvation;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use yew::prelude::*;

fn scenario_text(scenario: StarvationScenario) -> String {
    match scenario {
        StarvationScenario::UnfairLock => t!("shared_memory.starvation.unfair_lock"),
        StarvationScenario::FairLock => t!("shared_memory.starvation.fair_lock"),
        StarvationScenario::Livelock => t!("shared_memory.starvation.livelock"),
        StarvationScenario::RandomBackoff => t!("shared_memory.starvation.random_backoff"),
        StarvationScenario::PoolExhaustion => t!("shared_memory.starvation.pool_exhaustion"),
    }
    .to_string()
}

fn verdict_text(report: &StarvationReport) -> String {
    let longest = report
        .threads
        .iter()
        .map(|t| t.longest_wait_ms)
        .fold(0.0, f64::max);
    match report.verdict {
        StarvationVerdict::Starved => t!(
            "shared_memory.starvation.verdict_starved",
            ms = format!("{longest:.0}")
        ),
        StarvationVerdict::Shared => t!("shared_memory.starvation.verdict_shared"),
        StarvationVerdict::Livelocked => t!("shared_memory.starvation.verdict_livelocked"),
        StarvationVerdict::Progressed => t!("shared_memory.starvation.verdict_progressed"),
        StarvationVerdict::Exhausted => t!(
            "shared_memory.starvation.verdict_exhausted",
            tasks = report.threads.len(),
            threads = report.threads.len().saturating_sub(1)
        ),
    }
    .to_string()
}

#[component]
pub fn StarvationTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<StarvationReport>("shared-memory/starvation");
    let defaults = StarvationParams::default();
    let scenario = use_param("shared-memory/starvation/scenario", || defaults.scenario);
    let duration = use_param("shared-memory/starvation/duration", || {
        defaults.duration_ms.to_string()
    });
    let on_run = {
        let (experiment, scenario, duration) =
            (experiment.clone(), scenario.clone(), duration.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = StarvationParams {
                    scenario: *scenario,
                    duration_ms: parse_whole("starvation", "duration_ms", &duration)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, starvation::run)
        })
    };
    let on_scenario = {
        let scenario = scenario.clone();
        Callback::from(move |key: String| {
            if let Some(s) = StarvationScenario::ALL.into_iter().find(|s| s.key() == key) {
                scenario.set(s);
            }
        })
    };
    let running = experiment.running();
    let options = StarvationScenario::ALL
        .into_iter()
        .map(|s| (AttrValue::from(s.key()), AttrValue::from(scenario_text(s))))
        .collect::<Vec<_>>();
    html! {
        <div class="experiment">
            <p class="lede">{ t!("shared_memory.starvation.lede").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <Choice label={t!("shared_memory.starvation.scenario").to_string()} options={options}
                    selected={AttrValue::from(scenario.key())} onchange={on_scenario} testid="starvation-scenario" disabled={running} />
                <NumberField label={t!("shared_memory.starvation.duration").to_string()} value={(*duration).clone()} min={100} max={3000}
                    oninput={text_setter(&duration)} testid="starvation-duration" disabled={running} />
                <RunBar label={t!("shared_memory.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                    error={experiment.error().map(|e| AttrValue::from(e.to_string()))} />
            </form>
            <p class="note">{ match *scenario {
                StarvationScenario::UnfairLock | StarvationScenario::FairLock => t!("shared_memory.starvation.lock_note"),
                StarvationScenario::PoolExhaustion => t!("shared_memory.starvation.exhaustion_note", tasks = threads_available + 1, threads = threads_available),
                _ => t!("shared_memory.starvation.livelock_note"),
            }.to_string() }</p>
            if let Some(report) = experiment.result() { <>
                <p class={classes!("verdict", matches!(report.verdict, StarvationVerdict::Starved | StarvationVerdict::Livelocked).then_some("bad"))}
                    data-testid="starvation-verdict">{ verdict_text(&report) }</p>
                <table class="data" data-testid="starvation-table">
                    <thead><tr>
                        <th>{ t!("shared_memory.starvation.thread").to_string() }</th>
                        <th>{ match report.scenario {
                            StarvationScenario::PoolExhaustion => t!("shared_memory.starvation.met_all"),
                            s if s.is_livelock() => t!("shared_memory.starvation.jobs"),
                            _ => t!("shared_memory.starvation.turns"),
                        }.to_string() }</th>
                        <th>{ if report.scenario == StarvationScenario::PoolExhaustion {
                            t!("shared_memory.starvation.thread_wait")
                        } else {
                            t!("shared_memory.starvation.longest_wait")
                        }.to_string() }</th>
                        if report.scenario.is_livelock() { <th>{ t!("shared_memory.starvation.retries").to_string() }</th> }
                    </tr></thead>
                    <tbody>
                        { for report.threads.iter().enumerate().map(|(i, t)| html! {
                            <tr>
                                <td>{ thread_lane(i as u32) }</td>
                                <td>{ t.done }</td>
                                <td>{ format!("{:.1} ms", t.longest_wait_ms) }</td>
                                if report.scenario.is_livelock() { <td>{ t.retries }</td> }
                            </tr>
                        }) }
                    </tbody>
                </table>
                <CopyButton text={serde_json::to_string_pretty(&*report).unwrap_or_default()} />
            </> }
            <ThreadStates threads={if *scenario == StarvationScenario::PoolExhaustion { threads_available + 1 } else { 2 }} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|turn: u32| t!("shared_memory.starvation.task", n = turn + 1).to_string())} />
        </div>
    }
}
