//! Race tab: the bank-balance example on real threads, unsynchronised, locked and atomic.

use super::thread_lane;
use crate::model::labs::shared_memory::{RaceParams, RaceReport, RaceVariant, race_amount};
use crate::runtime::labs::shared_memory::race;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::bar_chart::{Bar, BarChart};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use std::collections::BTreeMap;
use yew::prelude::*;

fn variant_name(variant: RaceVariant) -> &'static str {
    match variant {
        RaceVariant::Unsync => "unsync",
        RaceVariant::Lock => "lock",
        RaceVariant::Atomic => "atomic",
    }
}

/// A variant's bar in the cost chart.
fn cost_label(name: &str) -> String {
    match name {
        "lock" => t!("shared_memory.race.cost_lock"),
        "atomic" => t!("shared_memory.race.cost_atomic"),
        _ => t!("shared_memory.race.cost_unsync"),
    }
    .to_string()
}

#[component]
pub fn RaceTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<RaceReport>("shared-memory/race");
    let threads = use_param("shared-memory/race/threads", || "2".to_string());
    let iterations = use_param("shared-memory/race/iterations", || {
        RaceParams::default().iterations.to_string()
    });
    let repeats = use_param("shared-memory/race/repeats", || "10".to_string());
    let think = use_param("shared-memory/race/think", || {
        RaceParams::default().think.to_string()
    });
    let variant = use_param("shared-memory/race/variant", || RaceVariant::Unsync);
    // Median ns per update of the latest run of each variant: the cost of each fix.
    let costs = use_state(BTreeMap::<&'static str, f64>::new);

    {
        let costs = costs.clone();
        use_effect_with(experiment.result(), move |result| {
            if let Some(report) = result {
                let mut next = (*costs).clone();
                next.insert(variant_name(report.variant), report.ns_per_update);
                costs.set(next);
            }
        });
    }

    let on_run = {
        let (threads, iterations, repeats, variant, think) = (
            threads.clone(),
            iterations.clone(),
            repeats.clone(),
            variant.clone(),
            think.clone(),
        );
        let experiment_start = experiment.clone();
        Callback::from(move |()| {
            let params = (|| {
                let params = RaceParams {
                    threads: parse_whole("race", "threads", &threads)?,
                    iterations: parse_whole("race", "iterations", &iterations)?,
                    repeats: parse_whole("race", "repeats", &repeats)?,
                    variant: *variant,
                    think: parse_whole("race", "think", &think)?,
                };
                params.validate(threads_available)?;
                Ok::<_, String>(params)
            })();
            experiment_start.launch(params, race::run)
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let on_variant = {
        let variant = variant.clone();
        Callback::from(move |value: String| {
            variant.set(match value.as_str() {
                "lock" => RaceVariant::Lock,
                "atomic" => RaceVariant::Atomic,
                _ => RaceVariant::Unsync,
            })
        })
    };
    let running = experiment.running();
    let report = experiment.result();

    html! {
        <div class="experiment">
            <p class="lede">
                { t!("shared_memory.race.lede_1a").to_string() }<code>{ "balance = balance + n" }</code>
                { t!("shared_memory.race.lede_1b").to_string() }
            </p>
            <p class="lede">
                { t!("shared_memory.race.lede_2").to_string() }
            </p>
            <details class="aside">
                <summary>{ t!("shared_memory.race.gil_summary").to_string() }</summary>
                <p>{ t!("shared_memory.race.gil_intro").to_string() }</p>
                <ul>
                    <li>{ t!("shared_memory.race.gil_py2").to_string() }</li>
                    <li>{ t!("shared_memory.race.gil_py32").to_string() }</li>
                    <li>{ t!("shared_memory.race.gil_py310").to_string() }</li>
                    <li>{ t!("shared_memory.race.gil_py313").to_string() }</li>
                </ul>
                <p>{ t!("shared_memory.race.gil_outro").to_string() }</p>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("shared_memory.threads").to_string()} value={(*threads).clone()} min={1} max={threads_available.max(1)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label={t!("shared_memory.race.rounds").to_string()} value={(*iterations).clone()} min={1} max={2_000_000} oninput={set(&iterations)} testid="iterations" disabled={running} />
                <NumberField label={t!("shared_memory.race.think").to_string()} value={(*think).clone()} min={0} max={1000} oninput={set(&think)} testid="think" disabled={running} />
                <NumberField label={t!("shared_memory.race.runs").to_string()} value={(*repeats).clone()} min={1} max={50} oninput={set(&repeats)} testid="repeats" disabled={running} />
                <Choice label={t!("shared_memory.race.update_with").to_string()} selected={variant_name(*variant)} onchange={on_variant} testid="variant" disabled={running}
                    options={vec![
                        ("unsync".into(), t!("shared_memory.race.opt_unsync").to_string().into()),
                        ("lock".into(), t!("shared_memory.race.opt_lock").to_string().into()),
                        ("atomic".into(), t!("shared_memory.race.opt_atomic").to_string().into()),
                    ]} />
                <RunBar label={t!("shared_memory.race.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = report {
                { race_results(&report) }
            }
            if !costs.is_empty() {
                <BarChart testid="race-costs" caption={t!("shared_memory.race.costs_caption").to_string()}
                    format={Callback::from(|ns: f64| format!("{ns:.1} ns"))}
                    bars={costs.iter().map(|(name, ns)| Bar { label: cost_label(name), value: *ns, alert: false }).collect::<Vec<_>>()} />
            }
            <ThreadStates threads={parse_whole("race", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <Timeline log={experiment.telemetry.log.clone()}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|run: u32| t!("shared_memory.race.mark_run", n = run + 1).to_string())}
                describe_task={Callback::from(|t: u32| t!("shared_memory.race.task", n = race_amount(t)).to_string())} />
        </div>
    }
}

fn race_results(report: &RaceReport) -> Html {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    let wrong = report.runs_with_wrong_balance;
    html! {
        <>
            <dl class="summary" data-testid="race-summary">
                <div><dt>{ t!("shared_memory.race.final_balance").to_string() }</dt>
                    <dd data-testid="final-balance" class={classes!((report.final_balance != 0).then_some("bad"))}>{ report.final_balance }</dd></div>
                <div><dt>{ t!("shared_memory.race.lost_updates").to_string() }</dt><dd data-testid="lost-updates">{ t!("shared_memory.race.n_of_m_updates", n = report.lost_updates, m = report.updates_per_run).to_string() }</dd>
                    <dd class="note">{ t!("shared_memory.race.cancel_out").to_string() }</dd></div>
                <div><dt>{ t!("shared_memory.race.wrong_runs").to_string() }</dt><dd data-testid="wrong-runs">{ t!("shared_memory.n_of_m", n = wrong, m = report.runs.len()).to_string() }</dd></div>
                <div><dt>{ t!("shared_memory.race.ns_per_update").to_string() }</dt><dd data-testid="ns-per-update">{ format!("{:.1} ns", report.ns_per_update) }</dd></div>
            </dl>
            <BarChart testid="race-histogram" caption={t!("shared_memory.race.histogram_caption").to_string()}
                format={Callback::from(|n: f64| if n == 1.0 { t!("shared_memory.race.one_run", n = format!("{n:.0}")) } else { t!("shared_memory.race.n_runs", n = format!("{n:.0}")) }.to_string())}
                bars={report.histogram.iter().map(|(balance, count)| Bar { label: t!("shared_memory.race.balance", b = balance).to_string(), value: *count as f64, alert: *balance != 0 }).collect::<Vec<_>>()} />
            <CopyButton text={json} />
        </>
    }
}
