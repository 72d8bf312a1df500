//! The processes lab's `process-loops` section: requests that wait and then compute, served
//! by one process's event loop and then by one loop per process, drawn on one time axis.

use crate::model::labs::processes::MAX_PROCESSES;
use crate::model::labs::processes::loops::{LoopsParams, LoopsReport, LoopsRun, MAX_REQUESTS};
use crate::runtime::labs::processes as kernel;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::field::{NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

/// The same two runs in Python (CPython 3.11 on 2 cores printed the figures in comments).
const PYTHON: &str = r#"import asyncio
import multiprocessing
import time


async def request(wait_s, cpu_s):
    await asyncio.sleep(wait_s)  # the IO: every request of this loop waits at once
    end = time.perf_counter() + cpu_s
    while time.perf_counter() < end:  # the computing: one request at a time per loop
        pass


def serve(n, wait_s, cpu_s):  # one process, one event loop
    async def main():
        await asyncio.gather(*(request(wait_s, cpu_s) for _ in range(n)))

    asyncio.run(main())


if __name__ == "__main__":
    start = time.perf_counter()
    serve(16, 0.1, 0.02)
    print(f"one loop: {time.perf_counter() - start:.2f} s")  # 0.42 s
    with multiprocessing.Pool(2) as pool:  # one loop per core
        start = time.perf_counter()
        pool.starmap(serve, [(8, 0.1, 0.02)] * 2)
        print(f"two loops: {time.perf_counter() - start:.2f} s")  # 0.27 s"#;

#[component]
pub fn ProcessLoops() -> Html {
    let experiment = use_kept_experiment::<LoopsReport>("processes/process-loops");
    let defaults = LoopsParams::default();
    let processes = use_param("processes/process-loops/processes", || {
        defaults.processes.to_string()
    });
    let requests = use_param("processes/process-loops/requests", || {
        defaults.requests.to_string()
    });
    let wait = use_param("processes/process-loops/wait", || {
        defaults.wait_ms.to_string()
    });
    let cpu = use_param("processes/process-loops/cpu", || {
        defaults.cpu_ms.to_string()
    });
    let on_run = {
        let experiment = experiment.clone();
        let fields = (
            processes.clone(),
            requests.clone(),
            wait.clone(),
            cpu.clone(),
        );
        Callback::from(move |()| {
            let (processes, requests, wait, cpu) = &fields;
            let params = (|| {
                let params = LoopsParams {
                    processes: parse_whole("process-loops", "processes", processes)?,
                    requests: parse_whole("process-loops", "requests", requests)?,
                    wait_ms: parse_whole("process-loops", "wait_ms", wait)?,
                    cpu_ms: parse_whole("process-loops", "cpu_ms", cpu)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::process_loops)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-loops" aria-labelledby="pr-loops-title">
            <h3 id="pr-loops-title">{ t!("heading.process_loops").to_string() }</h3>
            <p>{ t!("processes.loops.intro").to_string() }</p>
            <details class="aside">
                <summary>{ t!("processes.loops.python").to_string() }</summary>
                <pre class="python">{ PYTHON }</pre>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.loops.processes").to_string()} value={(*processes).clone()} min={1} max={MAX_PROCESSES}
                    oninput={text_setter(&processes)} testid="pr-loops-processes" disabled={running} />
                <NumberField label={t!("processes.loops.requests").to_string()} value={(*requests).clone()} min={1} max={MAX_REQUESTS}
                    oninput={text_setter(&requests)} testid="pr-loops-requests" disabled={running} />
                <NumberField label={t!("processes.loops.wait").to_string()} value={(*wait).clone()} min={0} max={1000}
                    oninput={text_setter(&wait)} testid="pr-loops-wait" disabled={running} />
                <NumberField label={t!("processes.loops.cpu").to_string()} value={(*cpu).clone()} min={1} max={100}
                    oninput={text_setter(&cpu)} testid="pr-loops-cpu" disabled={running} />
                <RunBar label={t!("processes.loops.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={super::error_text(experiment.error())} />
            </form>
            if let Some(r) = experiment.result() { <>
                <table class="data" data-testid="pr-loops-table">
                    <caption>{ t!("processes.loops.caption", cores = r.cores).to_string() }</caption>
                    <thead><tr>
                        <th>{ t!("processes.loops.col_loops").to_string() }</th>
                        <th>{ t!("processes.loops.col_measured").to_string() }</th>
                        <th>{ t!("processes.loops.col_expected").to_string() }</th>
                        <th>{ t!("processes.loops.col_at_once").to_string() }</th>
                    </tr></thead>
                    <tbody>
                        { row(&r.one_loop, r.one_loop_most_computing) }
                        { row(&r.many_loops, r.many_loops_most_computing) }
                    </tbody>
                </table>
                <p data-testid="pr-loops-speedup">{ t!("processes.loops.speedup",
                    speedup = format!("{:.2}", r.speedup), n = r.many_loops.processes).to_string() }</p>
                { chart(&r) }
                { super::copy_json(&*r) }
            </> }
        </section>
    }
}

fn row(run: &LoopsRun, at_once: u32) -> Html {
    html! {
        <tr>
            <td>{ run.processes }</td>
            <td>{ format!("{:.0} ms", run.ms) }</td>
            <td>{ format!("{:.0} ms", run.expected_ms) }</td>
            <td>{ at_once }</td>
        </tr>
    }
}

const WIDTH: f64 = 600.0;
const LEFT: f64 = 86.0;
const LANE: f64 = 16.0;

/// Both runs on one time axis: a lane per process; each request's wait a thin line, its
/// computing a block (one loop computes one request at a time).
fn chart(r: &LoopsReport) -> Html {
    let end = r.one_loop.ms.max(r.many_loops.ms).max(1.0);
    let scale = (WIDTH - LEFT - 10.0) / end;
    let x = |ms: f64| LEFT + ms.max(0.0) * scale;
    let mut y = 8.0;
    let mut parts = Vec::new();
    for (label, run) in [
        (t!("processes.loops.one_loop"), &r.one_loop),
        (
            t!("processes.loops.many_loops", n = r.many_loops.processes),
            &r.many_loops,
        ),
    ] {
        parts.push(html! { <text x="0" y={format!("{:.0}", y + 10.0)} class="tick run-label">{ label.to_string() }</text> });
        y += 16.0;
        for lane in 0..run.processes {
            let top = y + f64::from(lane) * LANE;
            parts.push(html! {
                <g class="lane" data-run={run.processes.to_string()} data-process={lane.to_string()}>
                    <text x="0" y={format!("{:.0}", top + 11.0)} class="tick">{ format!("pid {}", lane + 1) }</text>
                    // Waits first, so the blocks drawn after cover them.
                    { for run.requests.iter().filter(|q| q.process == lane).map(|q| html! {
                        <line class="wait" x1={format!("{:.1}", x(q.start_ms))} x2={format!("{:.1}", x(q.waited_ms))}
                            y1={format!("{:.1}", top + 7.0)} y2={format!("{:.1}", top + 7.0)} />
                    }) }
                    { for run.requests.iter().filter(|q| q.process == lane).map(|q| html! {
                        <rect class="compute" x={format!("{:.1}", x(q.waited_ms))} y={format!("{:.1}", top + 1.0)}
                            width={format!("{:.1}", ((q.end_ms - q.waited_ms) * scale).max(1.0))} height="12">
                            <title>{ format!("{:.0}–{:.0} ms", q.waited_ms, q.end_ms) }</title>
                        </rect>
                    }) }
                </g>
            });
        }
        y += f64::from(run.processes) * LANE + 8.0;
    }
    let height = y + 16.0;
    html! {
        <figure class="loops-chart">
            <ChartScroller view_width={WIDTH} label={AttrValue::from(t!("processes.loops.chart").to_string())}>
                <svg viewBox={format!("0 0 {WIDTH} {height:.0}")} role="img" data-testid="pr-loops-chart"
                    aria-label={t!("processes.loops.chart").to_string()}>
                    { for parts }
                    <text x={LEFT.to_string()} y={format!("{:.0}", height - 4.0)} class="tick">{ "0 ms" }</text>
                    <text x={format!("{:.0}", WIDTH - 10.0)} y={format!("{:.0}", height - 4.0)} text-anchor="end" class="tick">{ format!("{end:.0} ms") }</text>
                </svg>
            </ChartScroller>
            <figcaption>{ t!("processes.loops.chart").to_string() }</figcaption>
        </figure>
    }
}
