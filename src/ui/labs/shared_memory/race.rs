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
                { "Each thread deposits n and withdraws n, over and over (thread 0 uses 5, thread 1 uses 8, …), so the " }
                { "balance should end at 0. But " }<code>{ "balance = balance + n" }</code>{ " is two steps: read the balance, " }
                { "then write the new value. If another thread writes in between, its update is overwritten and lost." }
            </p>
            <p class="lede">
                { "Python spends tens of nanoseconds between that read and that write; compiled code almost none, which " }
                { "makes the window tiny. The \"work between read and write\" field puts the interpreter's gap back " }
                { "(about 1 ns per step). Set it to 0: the race becomes rare, but rare is not never — run enough and it " }
                { "still loses updates. Every variant does the same work, so the cost comparison is fair." }
            </p>
            <details class="aside">
                <summary>{ "Would Python's GIL save you? It depends on the version" }</summary>
                <p>{ "The GIL lets one thread run Python bytecode at a time and hands it over at switch points. " }
                   { "Where those points fall decides whether the notes' bank program loses updates:" }</p>
                <ul>
                    <li>{ "Python 2 and 3.1 and earlier switched every 100 bytecodes, so a switch could fall between the " }
                        { "load of balance and the store: updates were lost, as here." }</li>
                    <li>{ "CPython 3.2 to 3.9 switch after a 5 ms interval, still at almost any bytecode: updates are lost, rarely." }</li>
                    <li>{ "CPython 3.10 and later switch only at calls and loop back-edges (eval-breaker points). The notes' " }
                        { "`balance = balance + n` has none between its load and its store, so it ends at 0: 2 threads × " }
                        { "1 000 000 rounds gave 0 in 3 of 3 runs on CPython 3.11.7 on this project's machine." }</li>
                    <li>{ "Free-threaded CPython 3.13t has no GIL: updates are lost as on the real threads above." }</li>
                </ul>
                <p>{ "The GIL protects the interpreter's own data, never your read-modify-write: a version that happens to " }
                   { "keep the balance today makes no promise. Use a Lock (or an atomic operation)." }</p>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label="Threads" value={(*threads).clone()} min={1} max={threads_available.max(1)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label="Rounds per thread" value={(*iterations).clone()} min={1} max={2_000_000} oninput={set(&iterations)} testid="iterations" disabled={running} />
                <NumberField label="Work between read and write (steps)" value={(*think).clone()} min={0} max={1000} oninput={set(&think)} testid="think" disabled={running} />
                <NumberField label="Runs" value={(*repeats).clone()} min={1} max={50} oninput={set(&repeats)} testid="repeats" disabled={running} />
                <Choice label="Update with" selected={variant_name(*variant)} onchange={on_variant} testid="variant" disabled={running}
                    options={vec![
                        ("unsync".into(), "read, then write (unsynchronised)".into()),
                        ("lock".into(), "a Lock around it".into()),
                        ("atomic".into(), "one atomic add".into()),
                    ]} />
                <RunBar label="Run the race" running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = report {
                { race_results(&report) }
            }
            if !costs.is_empty() {
                <BarChart testid="race-costs" caption="Cost of each fix: median time per update of the latest run of each variant (same machine, same page)."
                    format={Callback::from(|ns: f64| format!("{ns:.1} ns"))}
                    bars={costs.iter().map(|(name, ns)| Bar { label: (*name).to_string(), value: *ns, alert: false }).collect::<Vec<_>>()} />
            }
            <ThreadStates threads={parse_whole("race", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <Timeline log={experiment.telemetry.log.clone()}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|run: u32| format!("run {}", run + 1))}
                describe_task={Callback::from(|t: u32| format!("adds and subtracts {}", race_amount(t)))} />
        </div>
    }
}

fn race_results(report: &RaceReport) -> Html {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    let wrong = report.runs_with_wrong_balance;
    html! {
        <>
            <dl class="summary" data-testid="race-summary">
                <div><dt>{ "final balance (run 1)" }</dt>
                    <dd data-testid="final-balance" class={classes!((report.final_balance != 0).then_some("bad"))}>{ report.final_balance }</dd></div>
                <div><dt>{ "lost updates (run 1)" }</dt><dd data-testid="lost-updates">{ format!("{} of {} updates", report.lost_updates, report.updates_per_run) }</dd>
                    <dd class="note">{ "a lost +n and a lost −n cancel out, so the balance shows only part of the damage" }</dd></div>
                <div><dt>{ "runs with a wrong balance" }</dt><dd data-testid="wrong-runs">{ format!("{wrong} of {}", report.runs.len()) }</dd></div>
                <div><dt>{ "time per update" }</dt><dd data-testid="ns-per-update">{ format!("{:.1} ns", report.ns_per_update) }</dd></div>
            </dl>
            <BarChart testid="race-histogram" caption="Final balance over the runs (0 is correct)."
                format={Callback::from(|n: f64| format!("{n:.0} run{}", if n == 1.0 { "" } else { "s" }))}
                bars={report.histogram.iter().map(|(balance, count)| Bar { label: format!("balance {balance}"), value: *count as f64, alert: *balance != 0 }).collect::<Vec<_>>()} />
            <CopyButton text={json} />
        </>
    }
}
