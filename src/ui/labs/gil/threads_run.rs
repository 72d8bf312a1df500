//! One measured comparison: the chosen workload on 1 thread and on N threads under a rule,
//! with the bytecode listing, the figures, and a timeline of who held the GIL.

use super::lane_name;
use crate::model::labs::gil::Program;
use crate::model::labs::gil::lab::{GilParams, GilReport, SwitchRule, Workload, workload_source};
use crate::runtime::labs::gil::{self as kernel, PHASE_BASE};
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::timeline::Timeline;
use yew::prelude::*;

fn workload_from(id: &str) -> Workload {
    Workload::ALL
        .into_iter()
        .find(|w| w.id() == id)
        .unwrap_or_default()
}

fn rule_from(id: &str) -> SwitchRule {
    SwitchRule::ALL
        .into_iter()
        .find(|r| r.id() == id)
        .unwrap_or_default()
}

#[component]
pub fn ThreadsRun() -> Html {
    let pool = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<GilReport>("gil/run");
    let defaults = GilParams::default();
    let threads = use_param("gil/run/threads", || defaults.threads.to_string());
    let workload = use_param("gil/run/workload", || Workload::Cpu);
    let rule = use_param("gil/run/rule", || SwitchRule::IntervalEvalBreaker);
    let switch_ms = use_param("gil/run/switch_ms", || defaults.switch_ms.to_string());
    let ticks = use_param("gil/run/ticks", || defaults.ticks.to_string());
    let units = use_param("gil/run/units", || "0".to_string());
    let program = use_param("gil/run/program", || workload_source(Workload::Bank, 0, 0));

    let params = {
        let (threads, workload, rule, switch_ms, ticks, units, program) = (
            threads.clone(),
            workload.clone(),
            rule.clone(),
            switch_ms.clone(),
            ticks.clone(),
            units.clone(),
            program.clone(),
        );
        move || -> Result<GilParams, String> {
            let params = GilParams {
                threads: parse_whole("gil", "threads", &threads)?,
                workload: *workload,
                rule: *rule,
                switch_ms: parse_whole("gil", "switch_ms", &switch_ms)?,
                ticks: parse_whole("gil", "ticks", &ticks)?,
                units: parse_whole("gil", "units", &units)?,
                program: (*workload == Workload::Custom).then(|| (*program).clone()),
                ..GilParams::default()
            };
            params.validate(pool)?;
            Ok(params)
        }
    };
    let listing = {
        let shown = GilParams {
            workload: *workload,
            program: (*workload == Workload::Custom).then(|| (*program).clone()),
            ..GilParams::default()
        };
        match Program::compile(&shown.source()) {
            Ok(p) => p.listing(),
            Err(e) => format!("does not compile: {e}"),
        }
    };
    let on_run = {
        let experiment = experiment.clone();
        let params = params.clone();
        Callback::from(move |()| experiment.launch(params(), kernel::run))
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let on_workload = {
        let workload = workload.clone();
        Callback::from(move |id: String| workload.set(workload_from(&id)))
    };
    let on_rule = {
        let rule = rule.clone();
        Callback::from(move |id: String| rule.set(rule_from(&id)))
    };
    let on_program = {
        let program = program.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                program.set(area.value());
            }
        })
    };
    let running = experiment.running();
    let source = GilParams {
        workload: *workload,
        program: Some((*program).clone()),
        ..GilParams::default()
    }
    .source();
    html! {
        <div class="experiment" data-testid="gil-run">
            <h3>{ t!("heading.gil_run").to_string() }</h3>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label="Threads" value={(*threads).clone()} min={1} max={pool.max(1)} oninput={set(&threads)} testid="gil-threads" disabled={running} />
                <Choice label="Workload" selected={workload.id()} onchange={on_workload} testid="gil-workload" disabled={running}
                    options={vec![
                        ("cpu".into(), "CPU-bound countdown".into()),
                        ("io".into(), "IO-bound: sleep in a loop".into()),
                        ("mixed".into(), "mixed: count, then sleep".into()),
                        ("bank".into(), "the notes' bank".into()),
                        ("custom".into(), "edit the program".into()),
                    ]} />
                <Choice label="Switch rule" selected={rule.id()} onchange={on_rule} testid="gil-rule" disabled={running}
                    options={SwitchRule::ALL.iter().map(|r| (AttrValue::from(r.id()), AttrValue::from(format!("{} — {}", r.id(), r.versions())))).collect::<Vec<_>>()} />
                <NumberField label="Switch interval (ms)" value={(*switch_ms).clone()} min={1} max={100} oninput={set(&switch_ms)} testid="gil-switch-ms" disabled={running} />
                <NumberField label="Ticks (rule ticks)" value={(*ticks).clone()} min={1} max={100_000} oninput={set(&ticks)} testid="gil-ticks" disabled={running} />
                <NumberField label="Units of work (0: default)" value={(*units).clone()} min={0} max={5_000_000} oninput={set(&units)} testid="gil-units" disabled={running} />
                <RunBar label="Run 1 vs N threads" running={running} disabled={pool == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            <p class="rule-versions" data-testid="gil-versions">{ rule.versions() }</p>
            <div class="gil-code">
                <figure>
                    <figcaption>{ "The program (each thread calls worker(n, units) with its share of the units)" }</figcaption>
                    if *workload == Workload::Custom {
                        <textarea aria-label="program" data-testid="gil-program" rows="14" spellcheck="false"
                                  value={(*program).clone()} oninput={on_program} disabled={running} />
                    } else {
                        <pre data-testid="gil-source">{ source }</pre>
                    }
                </figure>
                <figure>
                    <figcaption>{ "Its bytecode. * marks eval-breaker points, the only places CPython 3.10+ hands the GIL over." }</figcaption>
                    <pre data-testid="gil-listing">{ listing }</pre>
                </figure>
            </div>
            if let Some(report) = experiment.result() {
                { summary(&report) }
            }
            if *rule == SwitchRule::Processes {
                <p class="note" data-testid="gil-processes-note">{ "Under processes each worker is a real process with its own \
                    WebAssembly memory, so its timeline stays in that memory: the page shows only the wall times." }</p>
            }
            <Timeline log={experiment.telemetry.log.clone()} legend={true}
                describe_lane={Some(Callback::from(lane_name))}
                describe_mark={Callback::from(|label: u32| {
                    let n = label.saturating_sub(PHASE_BASE);
                    format!("{n} thread{}", if n == 1 { "" } else { "s" })
                })}
                describe_task={Callback::from(|t: u32| format!("{} holds the GIL", lane_name(t)))}
                caption={AttrValue::from("Each thread's lane shows when it held the GIL (its colour), waited for it (blocked) or slept in IO; \
                    the GIL holder lane shows who held it. One clock for all threads.")} />
        </div>
    }
}

fn summary(report: &GilReport) -> Html {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    let per_thread_wait = report.gil_wait_ms / f64::from(report.threads.max(1));
    html! {
        <>
            <dl class="summary" data-testid="gil-summary">
                <div><dt>{ "1 thread" }</dt><dd data-testid="gil-baseline-ms">{ format!("{:.0} ms", report.baseline_ms) }</dd></div>
                <div><dt>{ format!("{} threads", report.threads) }</dt><dd data-testid="gil-wall-ms">{ format!("{:.0} ms", report.wall_ms) }</dd></div>
                <div><dt>{ "speedup" }</dt><dd data-testid="gil-speedup">{ format!("{:.2}×", report.speedup) }</dd></div>
                <div><dt>{ "CPU use (derived)" }</dt><dd data-testid="gil-cpu">{ report.cpu_text.clone() }</dd>
                    <dd class="note">{ "instructions per second over one thread's rate" }</dd></div>
                <div><dt>{ "GIL hand-overs" }</dt><dd data-testid="gil-handoffs">{ format!("{} ({:.0} per s)", report.handoffs, report.handoffs_per_s) }</dd></div>
                <div><dt>{ "waiting for the GIL" }</dt><dd data-testid="gil-wait">{ format!("{:.0} ms per thread", per_thread_wait) }</dd>
                    <dd class="note">{ format!("{:.0} ms added over {} threads, in a {:.0} ms run", report.gil_wait_ms, report.threads, report.wall_ms) }</dd></div>
                if let Some(balance) = report.final_balance {
                    <div><dt>{ "final balance (should be 0)" }</dt>
                        <dd data-testid="gil-balance" class={classes!((balance != 0).then_some("bad"))}>{ balance }</dd></div>
                }
                if let Some(lost) = report.lost_updates {
                    <div><dt>{ "lost updates" }</dt>
                        <dd data-testid="gil-lost" class={classes!((lost != 0).then_some("bad"))}>{ lost }</dd>
                        <dd class="note">{ format!("of {} stores", 2 * u64::from(report.units)) }</dd></div>
                }
            </dl>
            <p class="verdict" data-testid="gil-why">{ report.why.clone() }</p>
            <CopyButton text={json} />
        </>
    }
}
