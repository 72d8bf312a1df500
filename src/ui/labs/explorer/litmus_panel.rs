//! "Your CPU's memory model, measured": a litmus test run on real workers millions of times,
//! its outcome counts beside the outcomes sequential consistency and x86-TSO allow.

use crate::model::labs::explorer::LITMUS;
use crate::model::labs::explorer::litmus_hw::{ITERATIONS_RANGE, LitmusHwParams, LitmusHwReport};
use crate::runtime::labs::explorer as kernel;
use crate::ui::hooks::{use_animation_frame, use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LitmusPanelProps {
    /// False without cross-origin isolation: no shared memory between workers.
    pub threads_available: bool,
}

#[component]
pub fn LitmusPanel(props: &LitmusPanelProps) -> Html {
    let experiment = use_kept_experiment::<LitmusHwReport>("explorer/litmus-hw");
    let defaults = LitmusHwParams::default();
    let test = use_param("explorer/litmus-hw/test", || defaults.test.clone());
    let iterations = use_param("explorer/litmus-hw/iterations", || {
        defaults.iterations.to_string()
    });
    let fence = use_param("explorer/litmus-hw/fence", || false);
    let runs = use_state(|| 0u64);
    let running = experiment.running();
    {
        let runs = runs.clone();
        use_animation_frame(
            running,
            Callback::from(move |()| runs.set(kernel::litmus_runs())),
        );
    }
    let on_run = {
        let (experiment, test, iterations, fence) = (
            experiment.clone(),
            test.clone(),
            iterations.clone(),
            fence.clone(),
        );
        Callback::from(move |()| {
            let params = (|| {
                let params = LitmusHwParams {
                    test: (*test).clone(),
                    iterations: parse_whole("litmus-hw", "iterations", &iterations)?,
                    fence: *fence,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::litmus_hw)
        })
    };
    let on_fence = {
        let fence = fence.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                fence.set(input.checked());
            }
        })
    };
    let options = LITMUS
        .iter()
        .map(|t| {
            (
                AttrValue::from(t.id),
                AttrValue::from(format!("{}: {}", t.id, t.label())),
            )
        })
        .collect::<Vec<_>>();
    let total = iterations.trim().parse::<u64>().unwrap_or(0);
    html! {
        <section class="experiment litmus" data-testid="litmus-hw" aria-labelledby="litmus-title">
            <h3 id="litmus-title">{ t!("heading.litmus").to_string() }<span class="badge real">{ t!("home.badge_threads").to_string() }</span></h3>
            <p>{ t!("explorer.litmus.intro").to_string() }</p>
            if !props.threads_available {
                <p class="note" role="status">{ t!("explorer.litmus.no_shared_memory").to_string() }</p>
            }
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <Choice label={t!("explorer.litmus.test").to_string()} options={options} selected={AttrValue::from((*test).clone())}
                    onchange={text_setter(&test)} testid="litmus-test" disabled={running} />
                <NumberField label={t!("explorer.litmus.runs").to_string()} value={(*iterations).clone()} min={ITERATIONS_RANGE.0} max={ITERATIONS_RANGE.1}
                    oninput={text_setter(&iterations)} testid="litmus-iterations" disabled={running} />
                <label class="inline"><input type="checkbox" checked={*fence} onchange={on_fence} disabled={running} data-testid="litmus-fence" />
                    { t!("explorer.litmus.sc_atomics").to_string() }</label>
                <RunBar label={t!("explorer.litmus.run").to_string()} running={running} disabled={!props.threads_available} on_run={on_run}
                    error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={(*runs, total)} />
            </form>
            if let Some(report) = experiment.result() {
                { results(&report) }
            }
        </section>
    }
}

fn results(report: &LitmusHwReport) -> Html {
    let mut outcomes: Vec<&String> = report
        .allowed_tso
        .iter()
        .chain(&report.allowed_sc)
        .chain(report.counts.keys())
        .collect();
    outcomes.sort();
    outcomes.dedup();
    let yes_no = |allowed: bool| {
        if allowed {
            t!("explorer.litmus.allowed")
        } else {
            t!("explorer.litmus.forbidden")
        }
        .to_string()
    };
    let rows = outcomes.into_iter().map(|outcome| {
        let count = report.counts.get(outcome).copied().unwrap_or(0);
        let share = if report.runs > 0 {
            100.0 * count as f64 / report.runs as f64
        } else {
            0.0
        };
        let sc = report.allowed_sc.contains(outcome);
        let tso = report.allowed_tso.contains(outcome);
        let class = match (count > 0, sc, tso) {
            (true, false, false) => "beyond-tso",
            (true, false, true) => "beyond-sc",
            _ => "",
        };
        html! {
            <tr class={class} data-outcome={outcome.clone()}>
                <th scope="row"><code>{ outcome.clone() }</code>
                    if *outcome == report.weak { { t!("explorer.litmus.the_weak_one").to_string() } }</th>
                <td data-testid="litmus-count">{ count }</td>
                <td>{ format!("{share:.3} %") }</td>
                <td>{ yes_no(sc) }</td>
                <td>{ yes_no(tso) }</td>
            </tr>
        }
    });
    let rate = report.runs_per_s.map_or(String::new(), |r| {
        t!("explorer.litmus.rate", n = format!("{:.2}", r / 1e6)).to_string()
    });
    html! {
        <>
            <p class="verdict" data-testid="litmus-verdict">
                { t!("explorer.litmus.verdict", test = report.test.clone(), runs = report.runs,
                    cancelled = if report.cancelled { t!("explorer.litmus.cancelled_early").to_string() } else { String::new() },
                    verdict = report.verdict.clone()).to_string() }</p>
            <table class="data" data-testid="litmus-table">
                <caption>{ t!("explorer.litmus.caption", title = report.title.clone(),
                    fence = if report.fence { t!("explorer.litmus.with_sc_atomics").to_string() } else { String::new() }).to_string() }</caption>
                <thead><tr><th scope="col">{ t!("explorer.litmus.col_outcome").to_string() }</th><th scope="col">{ t!("explorer.litmus.col_runs").to_string() }</th>
                    <th scope="col">{ t!("explorer.litmus.col_share").to_string() }</th>
                    <th scope="col">{ t!("explorer.litmus.col_sc").to_string() }</th><th scope="col">{ "x86-TSO" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="figures" data-testid="litmus-figures">{ t!("explorer.litmus.figures", runs = report.runs, ms = format!("{:.0}", report.ms), rate = rate, method = report.method.clone()).to_string() }</p>
            <CopyButton text={serde_json::to_string_pretty(report).unwrap_or_default()} />
        </>
    }
}
