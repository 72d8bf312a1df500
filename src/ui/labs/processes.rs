//! The processes lab: real processes (workers with their own wasm instance and memory) beside
//! threads that share the page's memory. One section per experiment, each with its own run.

mod loops;
mod manager;
mod subprocess;

use crate::model::labs::processes::{
    CostsParams, CostsReport, CrashMode, CrashParams, CrashReport, IsolationParams,
    IsolationReport, MAX_TASKS, PoolParams, PoolReport, Submit, ThreadLocalParams,
    ThreadLocalReport, costs_csv, task_input,
};
use crate::model::labs::processes::{
    DOWNLOAD_STRATEGIES, DownloadsParams, DownloadsReport, JoinDaemonParams, JoinDaemonReport,
};
use crate::model::thread_state::thread_name;
use crate::runtime::labs::processes as kernel;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::language::both_languages;
use crate::ui::widgets::bar_chart::{Bar, BarChart};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{Choice, NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use serde::Serialize;
use yew::prelude::*;

fn copy_json<T: Serialize>(report: &T) -> Html {
    html! { <CopyButton text={serde_json::to_string_pretty(report).unwrap_or_default()} /> }
}

fn error_text(error: Option<&str>) -> Option<AttrValue> {
    error.map(|e| AttrValue::from(e.to_string()))
}

/// The lab page.
#[component]
pub fn ProcessesLab() -> Html {
    html! {
        <section class="lab processes" aria-labelledby="processes-title">
            <h2 id="processes-title">{ both_languages("Processes", "多进程") }
                <span class="badge real">{ t!("badge.real_processes").to_string() }</span></h2>
            <p class="lede">
                { "A process owns its memory; its threads share it. Here every process is a Web Worker that loads " }
                { "this site's WebAssembly module into a fresh memory of its own, so its globals, heap and allocator " }
                { "are its own, and the only way to reach it is a message, which the browser copies (as Python pickles " }
                { "what it sends to another process). Threads are the page's worker pool, all on one shared memory." }
            </p>
            <p class="lede zh-lede" lang="zh">
                { "进程拥有自己的内存，线程共享所属进程的内存。这里每个进程都是一个 Web Worker，它把本站的 WebAssembly " }
                { "模块加载到一块全新的、只属于它的内存中；与它通信只能靠消息，而浏览器会复制消息（就像 Python 把发往其他进程的数据序列化）。" }
            </p>
            <details class="aside" data-testid="pr-fork">
                <summary>{ t!("processes.fork.summary").to_string() }</summary>
                <p>{ t!("processes.fork.text").to_string() }</p>
            </details>
            <Isolation />
            <manager::ManagerSection />
            <Pool />
            <Downloads />
            <Crash />
            <JoinDaemon />
            <ThreadLocal />
            <subprocess::Subprocess />
            <loops::ProcessLoops />
            <Costs />
        </section>
    }
}

#[component]
fn Isolation() -> Html {
    let experiment = use_kept_experiment::<IsolationReport>("processes/isolation");
    let increments = use_param("processes/isolation/increments", || {
        IsolationParams::default().increments.to_string()
    });
    let on_run = {
        let (experiment, increments) = (experiment.clone(), increments.clone());
        Callback::from(move |()| {
            let params =
                parse_whole("isolation", "increments", &increments).and_then(|increments| {
                    let params = IsolationParams { increments };
                    params.validate().map(|()| params)
                });
            experiment.launch(params, kernel::isolation)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-isolation" aria-labelledby="pr-isolation-title">
            <h3 id="pr-isolation-title">{ t!("heading.isolation").to_string() }</h3>
            <p>{ t!("processes.isolation.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.isolation.increments").to_string()} value={(*increments).clone()} min={1} max={1_000_000}
                    oninput={text_setter(&increments)} testid="pr-increments" disabled={running} />
                <RunBar label={t!("processes.isolation.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(report) = experiment.result() { <>
                <dl class="summary" data-testid="pr-isolation-summary">
                    { for report.process_counters.iter().zip(&report.pids).map(|(value, pid)| html! {
                        <div><dt>{ t!("processes.isolation.process_counter", pid = pid).to_string() }</dt><dd data-testid="pr-process-counter">{ value }</dd></div>
                    }) }
                    <div><dt>{ t!("processes.isolation.page_copy").to_string() }</dt><dd data-testid="pr-page-counter">{ report.page_counter }</dd>
                        <dd class="note">{ t!("processes.isolation.page_note").to_string() }</dd></div>
                    <div><dt>{ t!("processes.isolation.thread_counter").to_string() }</dt><dd data-testid="pr-thread-counter">{ report.thread_counter }</dd>
                        <dd class="note">{ t!("processes.isolation.thread_note", a = report.increments, b = report.increments).to_string() }</dd></div>
                </dl>
                { copy_json(&*report) }
            </> }
        </section>
    }
}

#[component]
fn Pool() -> Html {
    let experiment = use_kept_experiment::<PoolReport>("processes/pool");
    let defaults = PoolParams::default();
    let processes = use_param("processes/pool/processes", || {
        defaults.processes.to_string()
    });
    let tasks = use_param("processes/pool/tasks", || defaults.tasks.to_string());
    let task_ms = use_param("processes/pool/task_ms", || defaults.task_ms.to_string());
    let submit = use_param("processes/pool/submit", || Submit::Map);
    let fail_task = use_param("processes/pool/fail_task", || {
        defaults.fail_task.to_string()
    });
    let descending = use_param("processes/pool/descending", || false);
    let on_run = {
        let (experiment, processes, tasks, task_ms) = (
            experiment.clone(),
            processes.clone(),
            tasks.clone(),
            task_ms.clone(),
        );
        let (submit, fail_task, descending) =
            (submit.clone(), fail_task.clone(), descending.clone());
        Callback::from(move |()| {
            let params = (|| {
                let tasks = parse_whole("pool", "tasks", &tasks)?;
                let params = PoolParams {
                    processes: parse_whole("pool", "processes", &processes)?,
                    tasks,
                    task_ms: parse_whole("pool", "task_ms", &task_ms)?,
                    submit: *submit,
                    fail_task: failing_task(&fail_task, tasks),
                    descending: *descending,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::pool_map)
        })
    };
    let on_submit = {
        let submit = submit.clone();
        Callback::from(move |id: String| {
            submit.set(if id == "apply_async" {
                Submit::ApplyAsync
            } else {
                Submit::Map
            })
        })
    };
    let fail_options: Vec<(AttrValue, AttrValue)> = std::iter::once((
        "-1".into(),
        t!("processes.pool.no_failure").to_string().into(),
    ))
    .chain(
        (0..tasks.trim().parse::<u32>().unwrap_or(0).min(MAX_TASKS)).map(|i| {
            let text = t!(
                "processes.pool.task_raises",
                task = i,
                input = task_input(i)
            );
            (i.to_string().into(), text.to_string().into())
        }),
    )
    .collect();
    let on_descending = {
        let descending = descending.clone();
        Callback::from(move |_: Event| descending.set(!*descending))
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-pool" aria-labelledby="pr-pool-title">
            <h3 id="pr-pool-title">{ t!("heading.pool").to_string() }</h3>
            <p>{ t!("processes.pool.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.pool.processes").to_string()} value={(*processes).clone()} min={1} max={8} oninput={text_setter(&processes)} testid="pr-processes" disabled={running} />
                <NumberField label={t!("processes.pool.tasks").to_string()} value={(*tasks).clone()} min={1} max={64} oninput={text_setter(&tasks)} testid="pr-tasks" disabled={running} />
                <NumberField label={t!("processes.pool.task_ms").to_string()} value={(*task_ms).clone()} min={0} max={2000} oninput={text_setter(&task_ms)} testid="pr-task-ms" disabled={running} />
                <Choice label={t!("processes.pool.submit").to_string()} selected={if *submit == Submit::ApplyAsync { "apply_async" } else { "map" }}
                    onchange={on_submit} testid="pr-submit" disabled={running}
                    options={vec![
                        ("map".into(), "pool.map(square, inputs)".into()),
                        ("apply_async".into(), "pool.apply_async(square, (x,), callback, error_callback)".into()),
                    ]} />
                <Choice label={t!("processes.pool.fail_task").to_string()} onchange={text_setter(&fail_task)}
                    selected={failing_task(&fail_task, tasks.trim().parse().unwrap_or(0)).to_string()}
                    testid="pr-fail-task" disabled={running} options={fail_options} />
                <label class="check"><input type="checkbox" checked={*descending} onchange={on_descending} disabled={running} data-testid="pr-descending" />
                    { t!("processes.pool.descending").to_string() }</label>
                <RunBar label={t!("processes.pool.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(report) = experiment.result() {
                { pool_results(&report) }
            }
        </section>
    }
}

/// The failing task the select shows and the run uses: its value (from the select's own
/// options), or none once fewer tasks are asked for than it names.
fn failing_task(selected: &str, tasks: u32) -> i32 {
    selected
        .parse::<i32>()
        .ok()
        .filter(|&t| t >= 0 && i64::from(t) < i64::from(tasks))
        .unwrap_or(-1)
}

fn pool_results(report: &PoolReport) -> Html {
    html! {
        <>
            <dl class="summary" data-testid="pr-pool-summary">
                if let Some(raised) = &report.map_raised {
                    <div><dt>{ t!("processes.pool.result").to_string() }</dt><dd data-testid="pr-in-order" class="bad">{ t!("processes.pool.map_raised", error = raised).to_string() }</dd>
                        <dd class="note">{ t!("processes.pool.map_raised_note", ms = format!("{:.0}", report.last_result_ms)).to_string() }</dd></div>
                } else if report.submit == Submit::Map {
                    <div><dt>{ t!("processes.pool.result").to_string() }</dt><dd data-testid="pr-in-order">{
                        report.results_in_order.iter().map(|v| v.map_or(t!("processes.pool.error").to_string(), |v| v.to_string())).collect::<Vec<_>>().join(", ")
                    }</dd><dd class="note">{ t!("processes.pool.map_returned", ms = format!("{:.0}", report.last_result_ms)).to_string() }</dd></div>
                } else {
                    <div><dt>{ t!("processes.pool.callbacks").to_string() }</dt><dd>
                        <ol class="callbacks" data-testid="pr-callbacks">
                            { for report.callbacks.iter().map(|c| html! {
                                <li class={classes!(c.error.is_some().then_some("bad"))}>{ format!("{:.0} ms · {}({}) ← task {}", c.at_ms, c.kind,
                                    c.value.map_or_else(|| c.error.clone().unwrap_or_default(), |v| v.to_string()), c.task) }</li>
                            }) }
                        </ol></dd>
                        <dd class="note">{ t!("processes.pool.callbacks_note", first = format!("{:.0}", report.first_result_ms), last = format!("{:.0}", report.last_result_ms)).to_string() }</dd></div>
                }
                <div><dt>{ t!("processes.pool.arrival").to_string() }</dt><dd data-testid="pr-arrival">{
                    report.arrival_order.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                }</dd></div>
                <div><dt>{ t!("processes.pool.wall").to_string() }</dt><dd data-testid="pr-pool-ms">{ format!("{:.0} ms", report.ms) }</dd>
                    <dd class="note">{ t!("processes.pool.wall_note", start = format!("{:.0}", report.start_ms), n = report.processes,
                        expected = report.expected_ms).to_string() }</dd></div>
            </dl>
            <table class="data" data-testid="pr-pool-table">
                <caption>{ t!("processes.pool.caption").to_string() }</caption>
                <thead><tr><th scope="col">{ t!("processes.pool.th_task").to_string() }</th><th scope="col">{ t!("processes.pool.th_input").to_string() }</th><th scope="col">{ t!("processes.pool.th_result").to_string() }</th>
                    <th scope="col">{ t!("processes.pool.th_process").to_string() }</th><th scope="col">{ t!("processes.pool.th_done_at").to_string() }</th></tr></thead>
                <tbody>
                    { for report.results.iter().map(|r| html! {
                        <tr>
                            <td>{ r.task }</td><td>{ r.input }</td>
                            <td>{ r.value.map_or_else(|| r.error.clone().unwrap_or_default(), |v| v.to_string()) }</td>
                            <td>{ r.pid }</td><td>{ format!("{:.0} ms", r.done_ms) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            { copy_json(report) }
        </>
    }
}

#[component]
fn Crash() -> Html {
    let experiment = use_kept_experiment::<CrashReport>("processes/crash");
    let run = |mode: CrashMode| {
        let experiment = experiment.clone();
        Callback::from(move |_: MouseEvent| experiment.start(kernel::crash(CrashParams { mode })))
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-crash" aria-labelledby="pr-crash-title">
            <h3 id="pr-crash-title">{ t!("heading.crash").to_string() }</h3>
            <p>{ t!("processes.crash.intro").to_string() }</p>
            <div class="controls">
                <button type="button" onclick={run(CrashMode::Process)} disabled={running} data-testid="pr-crash-process">
                    { t!("processes.crash.process").to_string() }</button>
                <button type="button" onclick={run(CrashMode::Thread)} disabled={running} data-testid="pr-crash-thread">
                    { t!("processes.crash.thread").to_string() }</button>
            </div>
            if let Some(error) = experiment.error() {
                <p class="error" role="alert">{ error.to_string() }</p>
            }
            if running { <p role="status">{ t!("processes.crash.crashing").to_string() }</p> }
            if let Some(report) = experiment.result() { <>
                <dl class="summary" data-testid="pr-crash-summary">
                    <div><dt>{ t!("processes.crash.died").to_string() }</dt><dd data-testid="pr-crashed">{ report.crashed }</dd></div>
                    <div><dt>{ t!("processes.crash.completed").to_string() }</dt><dd data-testid="pr-completed">
                        { t!("processes.crash.k_of_n", k = report.completed_tasks, n = report.total_tasks).to_string() }</dd></div>
                    <div><dt>{ t!("processes.crash.restarted").to_string() }</dt><dd data-testid="pr-restarted">{ report.restarted }</dd></div>
                    if report.mode == CrashMode::Thread {
                        <div><dt>{ t!("processes.crash.threads_lost").to_string() }</dt><dd data-testid="pr-threads-lost">{ report.threads_lost }</dd></div>
                    }
                    <div><dt>{ t!("processes.crash.page").to_string() }</dt><dd data-testid="pr-page-alive">{ if report.page_alive { t!("processes.crash.page_alive") } else { t!("processes.crash.page_dead") }.to_string() }</dd></div>
                    <div><dt>{ t!("processes.crash.exit_message").to_string() }</dt><dd data-testid="pr-exit-message">{ report.exit_message.clone() }</dd></div>
                </dl>
                { copy_json(&*report) }
            </> }
        </section>
    }
}

#[component]
fn ThreadLocal() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<ThreadLocalReport>("processes/thread-local");
    let threads = use_param("processes/thread-local/threads", || {
        ThreadLocalParams::default().threads.to_string()
    });
    let on_run = {
        let (experiment, threads) = (experiment.clone(), threads.clone());
        Callback::from(move |()| {
            let params = parse_whole("thread-local", "threads", &threads).and_then(|threads| {
                let params = ThreadLocalParams { threads };
                params.validate(threads_available).map(|()| params)
            });
            experiment.launch(params, kernel::thread_local)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-thread-local" aria-labelledby="pr-tl-title">
            <h3 id="pr-tl-title">{ t!("heading.thread_local").to_string() }</h3>
            <p>{ t!("processes.thread_local.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.thread_local.threads").to_string()} value={(*threads).clone()} min={1} max={threads_available.max(1)}
                    oninput={text_setter(&threads)} testid="pr-tl-threads" disabled={running} />
                <RunBar label={t!("processes.thread_local.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(report) = experiment.result() { <>
                <table class="data" data-testid="pr-tl-table">
                    <caption>{ t!("processes.thread_local.caption").to_string() }</caption>
                    <thead><tr><th scope="col">{ t!("processes.thread_local.th_thread").to_string() }</th><th scope="col">{ "threading.local()" }</th>
                        <th scope="col">{ "dict[thread]" }</th><th scope="col">{ t!("processes.thread_local.th_shared").to_string() }</th></tr></thead>
                    <tbody>
                        { for report.values.iter().enumerate().map(|(i, local)| html! {
                            <tr>
                                <td>{ thread_name(i as u32) }</td><td>{ local.clone() }</td>
                                <td>{ report.dict_values.get(i).cloned().unwrap_or_default() }</td>
                                <td class={classes!((report.shared_reads.get(i) != Some(local)).then_some("bad"))}>
                                    { report.shared_reads.get(i).cloned().unwrap_or_default() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                { copy_json(&*report) }
            </> }
        </section>
    }
}

#[component]
fn Costs() -> Html {
    let experiment = use_kept_experiment::<CostsReport>("processes/costs");
    let repeats = use_param("processes/costs/repeats", || {
        CostsParams::default().repeats.to_string()
    });
    let on_run = {
        let (experiment, repeats) = (experiment.clone(), repeats.clone());
        Callback::from(move |()| {
            let params = parse_whole("costs", "repeats", &repeats).and_then(|repeats| {
                let params = CostsParams { repeats };
                params.validate().map(|()| params)
            });
            experiment.launch(params, kernel::costs)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-costs" aria-labelledby="pr-costs-title">
            <h3 id="pr-costs-title">{ t!("heading.costs").to_string() }</h3>
            <p>{ t!("processes.costs.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.costs.repeats").to_string()} value={(*repeats).clone()} min={3} max={101}
                    oninput={text_setter(&repeats)} testid="pr-repeats" disabled={running} />
                <RunBar label={t!("processes.costs.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(report) = experiment.result() {
                { costs_results(&report) }
            }
        </section>
    }
}

fn micros(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else if us >= 10.0 {
        format!("{us:.0} µs")
    } else {
        format!("{us:.2} µs")
    }
}

fn costs_results(report: &CostsReport) -> Html {
    let bars = |prefix: &str| {
        report
            .rows
            .iter()
            .filter(|r| r.name.starts_with(prefix))
            .map(|r| Bar {
                label: r.name.trim_start_matches(prefix).to_string(),
                value: r.median_us,
                alert: false,
            })
            .collect::<Vec<_>>()
    };
    html! {
        <>
            <ul class="verdicts" data-testid="pr-verdicts">
                { for report.verdicts.iter().map(|v| html! {
                    <li class={classes!(if v.confirmed { "good" } else { "bad" })}>
                        <strong>{ if v.confirmed { t!("processes.costs.confirmed") } else { t!("processes.costs.not_confirmed") }.to_string() }</strong>
                        { v.claim.clone() }<br /><span class="note">{ v.detail.clone() }</span>
                    </li>
                }) }
            </ul>
            <table class="data" data-testid="pr-costs-table">
                <caption>{ t!("processes.costs.caption").to_string() }</caption>
                <thead><tr><th scope="col">{ t!("processes.costs.th_row").to_string() }</th><th scope="col">{ t!("processes.costs.th_what").to_string() }</th><th scope="col">{ t!("processes.costs.th_median").to_string() }</th>
                    <th scope="col">{ "p10" }</th><th scope="col">{ "p90" }</th><th scope="col">{ t!("processes.costs.th_samples").to_string() }</th></tr></thead>
                <tbody>
                    { for report.rows.iter().map(|r| html! {
                        <tr data-row={r.name.clone()}>
                            <th scope="row">{ r.name.clone() }</th><td>{ r.what.clone() }</td>
                            <td>{ micros(r.median_us) }</td><td>{ micros(r.p10_us) }</td><td>{ micros(r.p90_us) }</td>
                            <td>{ format!("{} × {}", r.samples, r.batch) }</td>
                        </tr>
                    }) }
                    { for report.transfer.iter().map(|t| html! {
                        <tr data-row={t.name.clone()}>
                            <th scope="row">{ t.name.clone() }</th>
                            <td>{ t!("processes.costs.transfer", mb = format!("{:.0}", t.megabytes), bytes = t.bytes_copied).to_string() }</td>
                            <td colspan="4">{ format!("{:.0} MB/s", t.mb_per_s) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <BarChart testid="pr-roundtrip-chart" caption={t!("processes.costs.roundtrip_caption").to_string()}
                format={Callback::from(micros)} bars={bars("roundtrip-")} />
            <BarChart testid="pr-spawn-chart" caption={t!("processes.costs.spawn_caption").to_string()}
                format={Callback::from(micros)} bars={bars("spawn-")} />
            { copy_json(report) }
            <CopyButton text={costs_csv(report)} label={AttrValue::from(t!("processes.costs.copy_csv").to_string())} />
        </>
    }
}

#[component]
fn Downloads() -> Html {
    let experiment = use_kept_experiment::<DownloadsReport>("processes/downloads");
    let defaults = DownloadsParams::default();
    let scale = use_param("processes/downloads/scale", || {
        defaults.scale_ms.to_string()
    });
    let seed = use_param("processes/downloads/seed", || defaults.seed.to_string());
    let on_run = {
        let (experiment, scale, seed) = (experiment.clone(), scale.clone(), seed.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = DownloadsParams {
                    scale_ms: parse_whole("downloads", "scale_ms", &scale)?,
                    seed: parse_whole("downloads", "seed", &seed)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::downloads)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-downloads" aria-labelledby="pr-dl-title">
            <h3 id="pr-dl-title">{ t!("heading.downloads").to_string() }</h3>
            <p>{ t!("processes.downloads.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.downloads.scale").to_string()} value={(*scale).clone()} min={10} max={400} oninput={text_setter(&scale)} testid="pr-dl-scale" disabled={running} />
                <NumberField label={t!("processes.downloads.seed").to_string()} value={(*seed).clone()} min={0} max={1_000_000} oninput={text_setter(&seed)} testid="pr-dl-seed" disabled={running} />
                <RunBar label={t!("processes.downloads.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(report) = experiment.result() { <>
                <p data-testid="pr-dl-files">{ report.files.iter().map(|f| format!("{} {} s = {} ms", f.name, f.seconds, f.ms)).collect::<Vec<_>>().join(" · ") }</p>
                <BarChart testid="pr-dl-chart" caption={t!("processes.downloads.chart_caption").to_string()}
                    format={Callback::from(|ms: f64| format!("{ms:.0} ms"))}
                    bars={report.strategies.iter().map(|s| Bar {
                        label: t!("processes.downloads.bar_label", name = s.name, n = s.files).to_string(), value: s.ms, alert: false,
                    }).collect::<Vec<_>>()} />
                <table class="data" data-testid="pr-dl-table">
                    <caption>{ t!("processes.downloads.caption").to_string() }</caption>
                    <thead><tr><th scope="col">{ t!("processes.downloads.th_way").to_string() }</th><th scope="col">{ t!("processes.downloads.th_expected").to_string() }</th><th scope="col">{ t!("processes.downloads.th_took").to_string() }</th>
                        <th scope="col">{ t!("processes.downloads.th_start").to_string() }</th></tr></thead>
                    <tbody>
                        { for report.strategies.iter().map(|s| {
                            let why = DOWNLOAD_STRATEGIES.iter().find(|(n, _, _)| *n == s.name).map_or("", |(_, _, w)| w);
                            html! {
                                <tr data-row={s.name.clone()}>
                                    <th scope="row">{ s.name.clone() }<br /><span class="note">{ why }</span></th>
                                    <td>{ format!("{} ms", s.expected_ms) }</td><td>{ format!("{:.0} ms", s.ms) }</td>
                                    <td>{ if s.start_ms > 0.0 { format!("{:.0} ms", s.start_ms) } else { "—".to_string() } }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { copy_json(&*report) }
            </> }
        </section>
    }
}

/// The `join-daemon` section's program as Python writes it (CPython 3.11 prints the comments).
const THREADS_PYTHON: &str = r#"import threading
import time


def work(ms):
    print(threading.current_thread().name, "works", ms, "ms")  # worker works 600 ms
    time.sleep(ms / 1000)


def housekeeping(ms):
    for _ in range(ms // 10):
        time.sleep(0.01)


worker = threading.Thread(target=work, args=(600,), name="worker")
daemon = threading.Thread(target=housekeeping, args=(1800,), name="daemon", daemon=True)
worker.start()
daemon.start()
worker.join(timeout=0.2)
print(threading.current_thread().name, worker.is_alive())  # MainThread True
# The program ends after worker (600 ms), without waiting for daemon."#;

#[component]
fn JoinDaemon() -> Html {
    let experiment = use_kept_experiment::<JoinDaemonReport>("processes/join-daemon");
    let defaults = JoinDaemonParams::default();
    let work = use_param("processes/join-daemon/work", || {
        defaults.work_ms.to_string()
    });
    let timeout = use_param("processes/join-daemon/timeout", || {
        defaults.join_timeout_ms.to_string()
    });
    let on_run = {
        let (experiment, work, timeout) = (experiment.clone(), work.clone(), timeout.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = JoinDaemonParams {
                    work_ms: parse_whole("join-daemon", "work_ms", &work)?,
                    join_timeout_ms: parse_whole("join-daemon", "join_timeout_ms", &timeout)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::join_daemon)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-join" aria-labelledby="pr-join-title">
            <h3 id="pr-join-title">{ t!("heading.join_daemon").to_string() }</h3>
            <p>{ t!("processes.join.intro").to_string() }</p>
            <details class="aside">
                <summary>{ t!("processes.join.python").to_string() }</summary>
                <pre class="python">{ THREADS_PYTHON }</pre>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.join.work").to_string()} value={(*work).clone()} min={50} max={5000} oninput={text_setter(&work)} testid="pr-join-work" disabled={running} />
                <NumberField label={t!("processes.join.timeout").to_string()} value={(*timeout).clone()} min={10} max={5000} oninput={text_setter(&timeout)} testid="pr-join-timeout" disabled={running} />
                <RunBar label={t!("processes.join.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={error_text(experiment.error())} />
            </form>
            if let Some(r) = experiment.result() { <>
                <dl class="summary" data-testid="pr-join-summary">
                    <div><dt>{ t!("processes.join.returned").to_string() }</dt><dd data-testid="pr-join-returned">{ format!("{:.0} ms", r.join_returned_ms) }</dd></div>
                    <div><dt>{ t!("processes.join.alive").to_string() }</dt><dd data-testid="pr-join-alive">{ if r.alive_after_join { "True" } else { "False" } }</dd></div>
                    <div><dt>{ t!("processes.join.worker_finished").to_string() }</dt><dd>{ format!("{:.0} ms", r.worker_finished_ms) }</dd></div>
                    <div><dt>{ t!("processes.join.program_ended").to_string() }</dt><dd data-testid="pr-join-exit">{ format!("{:.0} ms", r.program_exit_ms) }</dd></div>
                    <div><dt>{ t!("processes.join.daemon").to_string() }</dt><dd data-testid="pr-join-daemon">{
                        if r.daemon_finished { t!("processes.join.daemon_finished", n = r.daemon_rounds) } else { t!("processes.join.daemon_stopped", n = r.daemon_rounds) }.to_string()
                    }</dd></div>
                </dl>
                <table class="data" data-testid="pr-join-threads">
                    <caption>{ t!("processes.join.threads_caption").to_string() }</caption>
                    <thead><tr><th>{ "name" }</th><th>{ "target(args)" }</th><th>{ "daemon" }</th><th>{ "get_ident()" }</th><th>{ "current_thread().name" }</th></tr></thead>
                    <tbody>
                        { for r.threads.iter().map(|t| html! {
                            <tr><td><code>{ t.name.clone() }</code></td><td><code>{ t.target.clone() }</code></td>
                                <td>{ if t.daemon { "True" } else { "False" } }</td><td>{ t.ident }</td>
                                <td><code>{ t.current_thread.clone() }</code></td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="note">{ t!("processes.join.main_note").to_string() }</p>
                { copy_json(&*r) }
            </> }
        </section>
    }
}
