//! How many threads? Tasks of C ms computing and W ms waiting, swept over the thread count
//! with and without the GIL, against the notes' formula N = cores × (1 + W / C).

use crate::model::labs::gil::lab::{ThreadCountParams, ThreadCountReport};
use crate::runtime::labs::gil as kernel;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::field::{NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::throughput_chart::{Series, ThroughputChart};
use yew::prelude::*;

/// Both sweeps of one click: with the GIL, then without.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweeps {
    pub with_gil: ThreadCountReport,
    pub without: ThreadCountReport,
}

async fn both(params: ThreadCountParams) -> Result<Sweeps, String> {
    let with_gil = kernel::thread_count(ThreadCountParams {
        gil: true,
        ..params.clone()
    })
    .await?;
    let without = kernel::thread_count(ThreadCountParams {
        gil: false,
        ..params
    })
    .await?;
    Ok(Sweeps { with_gil, without })
}

fn series(report: &ThreadCountReport, name: &str, class: &str) -> Series {
    Series {
        name: AttrValue::from(name.to_string()),
        class: AttrValue::from(class.to_string()),
        points: report
            .points
            .iter()
            .map(|p| (f64::from(p.threads), p.tasks_per_s))
            .collect(),
        ideal: report
            .points
            .iter()
            .map(|p| (f64::from(p.threads), p.ideal_tasks_per_s))
            .collect(),
        optimum: report.formula_optimum,
    }
}

#[component]
pub fn ThreadCount() -> Html {
    let pool = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<Sweeps>("gil/thread-count");
    let defaults = ThreadCountParams::default();
    let wait_ms = use_param("gil/thread-count/wait_ms", || defaults.wait_ms.to_string());
    let cpu_ms = use_param("gil/thread-count/cpu_ms", || defaults.cpu_ms.to_string());
    let max_threads = use_param("gil/thread-count/max_threads", || {
        defaults.max_threads.to_string()
    });
    let on_run = {
        let (wait_ms, cpu_ms, max_threads) = (wait_ms.clone(), cpu_ms.clone(), max_threads.clone());
        let experiment = experiment.clone();
        Callback::from(move |()| {
            let params = (|| {
                let params = ThreadCountParams {
                    wait_ms: parse_whole("thread-count", "wait_ms", &wait_ms)?,
                    cpu_ms: parse_whole("thread-count", "cpu_ms", &cpu_ms)?,
                    max_threads: parse_whole("thread-count", "max_threads", &max_threads)?,
                    ..ThreadCountParams::default()
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, both)
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let running = experiment.running();
    html! {
        <div class="experiment" data-testid="gil-thread-count">
            <h3>{ t!("heading.thread_count").to_string() }</h3>
            <p class="lede">{ t!("gil.count.lede").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("gil.count.cpu_ms").to_string()} value={(*cpu_ms).clone()} min={1} max={100} oninput={set(&cpu_ms)} testid="tc-cpu-ms" disabled={running} />
                <NumberField label={t!("gil.count.wait_ms").to_string()} value={(*wait_ms).clone()} min={0} max={1000} oninput={set(&wait_ms)} testid="tc-wait-ms" disabled={running} />
                <NumberField label={t!("gil.count.max_threads").to_string()} value={(*max_threads).clone()} min={1} max={64} oninput={set(&max_threads)} testid="tc-max-threads" disabled={running} />
                <RunBar label={t!("gil.count.run").to_string()} running={running} disabled={pool == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(sweeps) = experiment.result() {
                <ThroughputChart testid="tc-chart"
                    series={vec![series(&sweeps.with_gil, &t!("gil.count.with_gil"), "with-gil"), series(&sweeps.without, &t!("gil.count.without_gil"), "no-gil")]}
                    caption={AttrValue::from(t!("gil.count.caption", cores = sweeps.without.cores,
                        gil = sweeps.with_gil.measured_optimum, free = sweeps.without.measured_optimum).to_string())} />
                <dl class="summary" data-testid="tc-summary">
                    <div><dt>{ t!("gil.count.best_gil").to_string() }</dt>
                        <dd data-testid="tc-gil-optimum">{ format!("{} / {:.1}", sweeps.with_gil.measured_optimum, sweeps.with_gil.formula_optimum) }</dd></div>
                    <div><dt>{ t!("gil.count.best_free").to_string() }</dt>
                        <dd data-testid="tc-free-optimum">{ format!("{} / {:.1}", sweeps.without.measured_optimum, sweeps.without.formula_optimum) }</dd></div>
                </dl>
            }
        </div>
    }
}
