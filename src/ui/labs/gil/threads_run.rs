//! One measured comparison: the chosen workload on 1 thread and on N threads under a rule,
//! with the bytecode listing, the figures, and a timeline of who held the GIL.

use super::lane_name;
use crate::model::labs::gil::Program;
use crate::model::labs::gil::lab::{GilParams, GilReport, SwitchRule, Workload, workload_source};
use crate::runtime::labs::gil::{self as kernel, C_WITHOUT_GIL, PHASE_BASE};
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
            Err(e) => t!("gil.run.no_compile", error = e.to_string()).to_string(),
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
                <NumberField label={t!("gil.run.threads").to_string()} value={(*threads).clone()} min={1} max={pool.max(1)} oninput={set(&threads)} testid="gil-threads" disabled={running} />
                <Choice label={t!("gil.run.workload").to_string()} selected={workload.id()} onchange={on_workload} testid="gil-workload" disabled={running}
                    options={vec![
                        ("cpu".into(), t!("gil.run.workload_cpu").to_string().into()),
                        ("io".into(), t!("gil.run.workload_io").to_string().into()),
                        ("mixed".into(), t!("gil.run.workload_mixed").to_string().into()),
                        ("bank".into(), t!("gil.run.workload_bank").to_string().into()),
                        ("custom".into(), t!("gil.run.workload_custom").to_string().into()),
                        ("c_hash".into(), t!("gil.run.workload_c_hash").to_string().into()),
                        ("c_sum".into(), t!("gil.run.workload_c_sum").to_string().into()),
                    ]} />
                <Choice label={t!("gil.run.rule").to_string()} selected={rule.id()} onchange={on_rule} testid="gil-rule" disabled={running}
                    options={SwitchRule::ALL.iter().map(|r| (AttrValue::from(r.id()), AttrValue::from(format!("{} — {}", r.id(), r.versions())))).collect::<Vec<_>>()} />
                <NumberField label={t!("gil.run.switch_ms").to_string()} value={(*switch_ms).clone()} min={1} max={100} oninput={set(&switch_ms)} testid="gil-switch-ms" disabled={running} />
                <NumberField label={t!("gil.run.ticks").to_string()} value={(*ticks).clone()} min={1} max={100_000} oninput={set(&ticks)} testid="gil-ticks" disabled={running} />
                <NumberField label={t!("gil.run.units").to_string()} value={(*units).clone()} min={0} max={5_000_000} oninput={set(&units)} testid="gil-units" disabled={running} />
                <RunBar label={t!("gil.run.run").to_string()} running={running} disabled={pool == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            <p class="rule-versions" data-testid="gil-versions">{ rule.versions() }</p>
            <div class="gil-code">
                <figure>
                    <figcaption>{ t!("gil.run.program_caption").to_string() }</figcaption>
                    if *workload == Workload::Custom {
                        <textarea aria-label={t!("gil.run.program_label").to_string()} data-testid="gil-program" rows="14" spellcheck="false"
                                  value={(*program).clone()} oninput={on_program} disabled={running} />
                    } else {
                        <pre data-testid="gil-source">{ source }</pre>
                    }
                </figure>
                <figure>
                    <figcaption>{ t!("gil.run.bytecode_caption").to_string() }</figcaption>
                    <pre data-testid="gil-listing">{ listing }</pre>
                </figure>
            </div>
            if let Some(report) = experiment.result() {
                { summary(&report) }
            }
            if *rule == SwitchRule::Processes {
                <p class="note" data-testid="gil-processes-note">{ t!("gil.run.processes_note").to_string() }</p>
            }
            if matches!(*workload, Workload::CHash | Workload::CSum) {
                <p class="note" data-testid="gil-c-note">{ t!("gil.run.c_note").to_string() }</p>
            }
            <Timeline log={experiment.telemetry.log.clone()} legend={true}
                describe_lane={Some(Callback::from(lane_name))}
                describe_mark={Callback::from(|label: u32| {
                    let n = label.saturating_sub(PHASE_BASE);
                    if n == 1 { t!("gil.run.one_thread") } else { t!("gil.run.n_threads", n = n) }.to_string()
                })}
                describe_task={Callback::from(|t: u32| if t == C_WITHOUT_GIL {
                    t!("gil.run.c_without_gil").to_string()
                } else {
                    t!("gil.run.holds_gil", name = lane_name(t)).to_string()
                })}
                caption={AttrValue::from(t!("gil.run.timeline_caption").to_string())} />
        </div>
    }
}

fn summary(report: &GilReport) -> Html {
    let json = serde_json::to_string_pretty(report).unwrap_or_default();
    let per_thread_wait = report.gil_wait_ms / f64::from(report.threads.max(1));
    html! {
        <>
            <dl class="summary" data-testid="gil-summary">
                <div><dt>{ t!("gil.run.one_thread").to_string() }</dt><dd data-testid="gil-baseline-ms">{ format!("{:.0} ms", report.baseline_ms) }</dd></div>
                <div><dt>{ t!("gil.run.n_threads", n = report.threads).to_string() }</dt><dd data-testid="gil-wall-ms">{ format!("{:.0} ms", report.wall_ms) }</dd></div>
                <div><dt>{ t!("gil.run.speedup").to_string() }</dt><dd data-testid="gil-speedup">{ format!("{:.2}×", report.speedup) }</dd></div>
                <div><dt>{ t!("gil.run.cpu_use").to_string() }</dt><dd data-testid="gil-cpu">{ report.cpu_text.clone() }</dd>
                    <dd class="note">{ t!("gil.run.cpu_use_note").to_string() }</dd></div>
                <div><dt>{ t!("gil.run.handoffs").to_string() }</dt><dd data-testid="gil-handoffs">{ t!("gil.run.handoffs_value", n = report.handoffs, rate = format!("{:.0}", report.handoffs_per_s)).to_string() }</dd></div>
                <div><dt>{ t!("gil.run.wait").to_string() }</dt><dd data-testid="gil-wait">{ t!("gil.run.wait_value", ms = format!("{:.0}", per_thread_wait)).to_string() }</dd>
                    <dd class="note">{ t!("gil.run.wait_note", ms = format!("{:.0}", report.gil_wait_ms), n = report.threads, wall = format!("{:.0}", report.wall_ms)).to_string() }</dd></div>
                if let Some(balance) = report.final_balance {
                    <div><dt>{ t!("gil.run.final_balance").to_string() }</dt>
                        <dd data-testid="gil-balance" class={classes!((balance != 0).then_some("bad"))}>{ balance }</dd></div>
                }
                if let Some(lost) = report.lost_updates {
                    <div><dt>{ t!("gil.run.lost_updates").to_string() }</dt>
                        <dd data-testid="gil-lost" class={classes!((lost != 0).then_some("bad"))}>{ lost }</dd>
                        <dd class="note">{ t!("gil.run.of_stores", n = 2 * u64::from(report.units)).to_string() }</dd></div>
                }
            </dl>
            <p class="verdict" data-testid="gil-why">{ report.why.clone() }</p>
            <CopyButton text={json} />
        </>
    }
}
