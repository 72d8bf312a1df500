//! The IO models lab: what multiplexing costs. `select`, `poll` and `epoll`'s readiness checks
//! as real data structures, timed on a worker from 10 to 100 000 descriptors.

use crate::model::labs::io::{
    FD_SETSIZE, IoModelsParams, IoModelsReport, MAX_SEED, SLOPE_FROM, SelectEpollParams,
    SelectEpollReport, io_model_summary,
};
use crate::runtime::labs::io as kernel;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::language::both_languages;
use crate::ui::widgets::bar_chart::{Bar, BarChart};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{NumberField, parse_whole, text_setter};
use crate::ui::widgets::loglog_chart::{LogLogChart, LogSeries};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

mod walkthrough;
use walkthrough::IoWalkthrough;

/// The lab page.
#[component]
pub fn IoLab() -> Html {
    html! {
        <section class="lab io" aria-labelledby="io-title">
            <h2 id="io-title">{ both_languages("IO models", "IO 模型") }
                <span class="badge real">{ t!("badge.real_requests").to_string() }</span></h2>
            <p class="lede">
                { "Reading from a socket has two phases: waiting until data has arrived, then copying it from the " }
                { "kernel into the program. Blocking IO sleeps through both; non-blocking IO asks again and again " }
                { "(a waiter who keeps checking every table); multiplexing asks one call which of many sockets are " }
                { "ready (a waiter who is told which table raised a hand); asynchronous IO is told when both phases " }
                { "are over. Multiplexing is what a one-thread server like Nginx or Node is built on, and how it " }
                { "asks decides how it scales." }
            </p>
            <p class="lede zh-lede" lang="zh">
                { "读取数据分两个阶段：等待数据到达，再把数据从内核复制到程序。阻塞 IO 两个阶段都在等；非阻塞 IO 反复询问；" }
                { "IO 多路复用用一次调用询问许多连接中哪些已就绪；异步 IO 在两个阶段都完成后才收到通知。" }
            </p>
            <IoModels />
            <SelectEpoll />
        </section>
    }
}

#[component]
fn SelectEpoll() -> Html {
    let experiment = use_kept_experiment::<SelectEpollReport>("io/select-epoll");
    let defaults = SelectEpollParams::default();
    let max_fds = use_param("io/select-epoll/max_fds", || defaults.max_fds.to_string());
    let ready = use_param("io/select-epoll/ready", || defaults.ready.to_string());
    let repeats = use_param("io/select-epoll/repeats", || defaults.repeats.to_string());
    let on_run = {
        let (experiment, max_fds, ready, repeats) = (
            experiment.clone(),
            max_fds.clone(),
            ready.clone(),
            repeats.clone(),
        );
        Callback::from(move |()| {
            let params = (|| {
                let params = SelectEpollParams {
                    max_fds: parse_whole("select-epoll", "max_fds", &max_fds)?,
                    ready: parse_whole("select-epoll", "ready", &ready)?,
                    repeats: parse_whole("select-epoll", "repeats", &repeats)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::select_epoll)
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="io-select" aria-labelledby="io-select-title">
            <h3 id="io-select-title">{ t!("heading.select_epoll").to_string() }</h3>
            <p>{ t!("io.select.intro", setsize = FD_SETSIZE, from = SLOPE_FROM).to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("io.select.max_fds").to_string()} value={(*max_fds).clone()} min={10} max={100_000} oninput={text_setter(&max_fds)} testid="io-max-fds" disabled={running} />
                <NumberField label={t!("io.select.ready").to_string()} value={(*ready).clone()} min={1} max={10} oninput={text_setter(&ready)} testid="io-ready" disabled={running} />
                <NumberField label={t!("io.select.repeats").to_string()} value={(*repeats).clone()} min={10} max={2000} oninput={text_setter(&repeats)} testid="io-repeats" disabled={running} />
                <RunBar label={t!("io.select.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = experiment.result() {
                { results(&report) }
            }
        </section>
    }
}

fn slope_text(slope: Option<f64>) -> String {
    slope.map_or("—".to_string(), |s| format!("{s:.2}"))
}

fn results(report: &SelectEpollReport) -> Html {
    let series =
        |name: &str,
         class: &str,
         f: &dyn Fn(&crate::model::labs::io::SelectPoint) -> Option<f64>| LogSeries {
            name: AttrValue::from(name.to_string()),
            class: AttrValue::from(class.to_string()),
            points: report
                .points
                .iter()
                .filter_map(|p| f(p).map(|y| (f64::from(p.n), y)))
                .collect(),
        };
    let verdict = match (
        report.slopes.select,
        report.slopes.poll,
        report.slopes.epoll,
    ) {
        (Some(s), Some(p), Some(e)) => {
            let confirmed = s > 0.6 && p > 0.6 && e < 0.3;
            t!(
                "io.select.verdict",
                status = if confirmed {
                    t!("io.select.confirmed")
                } else {
                    t!("io.select.not_confirmed")
                },
                s = format!("{s:.2}"),
                p = format!("{p:.2}"),
                e = format!("{e:.2}")
            )
            .to_string()
        }
        _ => t!("io.select.too_few").to_string(),
    };
    html! {
        <>
            <p class="verdict" data-testid="io-verdict">{ verdict }</p>
            <LogLogChart testid="io-chart" x_label={t!("io.select.x_label").to_string()} y_label={t!("io.select.y_label").to_string()}
                caption={t!("io.select.chart_caption", ready = report.ready, setsize = FD_SETSIZE).to_string()}
                series={vec![
                    series("select", "sel", &|p| p.select_ns),
                    series("poll", "pol", &|p| Some(p.poll_ns)),
                    series("epoll", "epo", &|p| Some(p.epoll_ns)),
                ]} />
            <table class="data" data-testid="io-table">
                <caption>{ t!("io.select.caption").to_string() }</caption>
                <thead><tr><th scope="col">{ "n" }</th><th scope="col">{ "select" }</th><th scope="col">{ "poll" }</th><th scope="col">{ "epoll" }</th></tr></thead>
                <tbody>
                    { for report.points.iter().map(|p| html! {
                        <tr data-n={p.n.to_string()}>
                            <th scope="row">{ p.n }</th>
                            <td>{ match (p.select_ns, p.select_touched) {
                                (Some(ns), Some(t)) => format!("{ns:.0} ({t})"),
                                _ => t!("io.select.refused").to_string(),
                            } }</td>
                            <td>{ format!("{:.0} ({})", p.poll_ns, p.poll_touched) }</td>
                            <td>{ format!("{:.0} ({})", p.epoll_ns, p.epoll_touched) }</td>
                        </tr>
                    }) }
                    <tr><th scope="row">{ t!("io.select.slope").to_string() }</th><td data-testid="io-slope-select">{ slope_text(report.slopes.select) }</td>
                        <td data-testid="io-slope-poll">{ slope_text(report.slopes.poll) }</td>
                        <td data-testid="io-slope-epoll">{ slope_text(report.slopes.epoll) }</td></tr>
                </tbody>
            </table>
            <p class="note" data-testid="io-refusal">{ t!("io.select.refusal", n = FD_SETSIZE + 1, refusal = &report.select_refusal).to_string() }</p>
            <CopyButton text={serde_json::to_string_pretty(report).unwrap_or_default()} />
        </>
    }
}

#[component]
fn IoModels() -> Html {
    let experiment = use_kept_experiment::<IoModelsReport>("io/io-models");
    let defaults = IoModelsParams::default();
    let connections = use_param("io/io-models/connections", || {
        defaults.connections.to_string()
    });
    let delay = use_param("io/io-models/delay", || defaults.delay_ms.to_string());
    let bytes = use_param("io/io-models/bytes", || defaults.bytes.to_string());
    let seed = use_param("io/io-models/seed", || defaults.seed.to_string());
    let params = (|| {
        let params = IoModelsParams {
            connections: parse_whole("io-models", "connections", &connections)?,
            delay_ms: parse_whole("io-models", "delay_ms", &delay)?,
            bytes: parse_whole("io-models", "bytes", &bytes)?,
            seed: parse_whole("io-models", "seed", &seed)?,
        };
        params.validate()?;
        Ok::<_, String>(params)
    })();
    let on_run = {
        let (experiment, params) = (experiment.clone(), params.clone());
        Callback::from(move |()| experiment.launch(params.clone(), kernel::io_models))
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="io-models" aria-labelledby="io-models-title">
            <h3 id="io-models-title">{ t!("heading.io_models").to_string() }</h3>
            <p>{ t!("io.models.intro").to_string() }</p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("io.models.connections").to_string()} value={(*connections).clone()} min={1} max={16} oninput={text_setter(&connections)} testid="io-connections" disabled={running} />
                <NumberField label={t!("io.models.delay").to_string()} value={(*delay).clone()} min={10} max={2000} oninput={text_setter(&delay)} testid="io-delay" disabled={running} />
                <NumberField label={t!("io.models.bytes").to_string()} value={(*bytes).clone()} min={0} max={65_536} oninput={text_setter(&bytes)} testid="io-bytes" disabled={running} />
                <NumberField label={t!("io.models.seed").to_string()} value={(*seed).clone()} min={0} max={MAX_SEED} oninput={text_setter(&seed)} testid="io-seed" disabled={running} />
                <RunBar label={t!("io.models.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={experiment.error().map(|e| AttrValue::from(e.to_string()))} />
            </form>
            if let Some(report) = experiment.result() {
                { io_results(&report) }
            }
            if let Ok(params) = &params {
                <IoWalkthrough delays_ms={params.delays_ms()} />
            }
        </section>
    }
}

/// "200 ms each" or "100–300 ms, seed 1".
fn delays_text(report: &IoModelsReport) -> String {
    let low = report.delays_ms.iter().min().copied().unwrap_or(0);
    let high = report.delays_ms.iter().max().copied().unwrap_or(0);
    if low == high {
        t!("io.models.delays_equal", ms = low).to_string()
    } else {
        t!(
            "io.models.delays_range",
            low = low,
            high = high,
            seed = report.seed
        )
        .to_string()
    }
}

fn io_results(report: &IoModelsReport) -> Html {
    let bars = |f: &dyn Fn(&crate::model::labs::io::IoModelRun) -> Option<f64>| {
        report
            .models
            .iter()
            .filter_map(|m| {
                f(m).map(|value| Bar {
                    label: m.name.clone(),
                    value,
                    alert: false,
                })
            })
            .collect::<Vec<_>>()
    };
    html! {
        <>
            <BarChart testid="io-total-chart" caption={t!("io.models.total_caption", n = report.connections, delays = delays_text(report)).to_string()}
                format={Callback::from(|ms: f64| format!("{ms:.0} ms"))} bars={bars(&|m| Some(m.total_ms))} />
            <BarChart testid="io-cpu-chart" caption={t!("io.models.cpu_caption").to_string()}
                format={Callback::from(|ms: f64| format!("{ms:.1} ms"))} bars={bars(&|m| m.cpu_ms)} />
            { connection_charts(report) }
            <table class="data" data-testid="io-models-table">
                <caption>{ t!("io.models.caption").to_string() }</caption>
                <thead><tr><th scope="col">{ t!("io.models.th_model").to_string() }</th><th scope="col">{ t!("io.models.th_total").to_string() }</th>
                    <th scope="col">{ t!("io.models.th_model_says").to_string() }</th><th scope="col">{ t!("io.models.th_busy").to_string() }</th>
                    <th scope="col">{ t!("io.models.th_calls").to_string() }</th><th scope="col">{ t!("io.models.th_bytes").to_string() }</th></tr></thead>
                <tbody>
                    { for report.models.iter().map(|m| {
                        let what = io_model_summary(&m.name).unwrap_or_default();
                        html! {
                            <tr data-model={m.name.clone()}>
                                <th scope="row">{ m.name.clone() }<br /><span class="note">{ what }</span></th>
                                <td>{ format!("{:.0} ms", m.total_ms) }</td>
                                <td class="model-figure">{ report.model.iter().find(|t| t.name == m.name)
                                    .map_or("—".to_string(), |t| t!("io.models.model_figure", total = format!("{:.0}", t.total_ms), busy = format!("{:.0}", t.busy_ms)).to_string()) }</td>
                                <td>{ m.cpu_ms.map_or("—".to_string(), |c| format!("{c:.1} ms")) }</td>
                                <td>{ m.calls }</td><td>{ m.bytes }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <CopyButton text={serde_json::to_string_pretty(report).unwrap_or_default()} />
        </>
    }
}

/// Each model's connections on one time axis: waiting for data (the first phase), data there
/// but not yet handled, or blocked through both phases where a thread cannot tell them apart.
fn connection_charts(report: &IoModelsReport) -> Html {
    const W: f64 = 520.0;
    const LEFT: f64 = 150.0;
    const ROW: f64 = 7.0;
    let axis_ms = report.models.iter().map(|m| m.total_ms).fold(1.0, f64::max);
    let x = |ms: f64| LEFT + ms.clamp(0.0, axis_ms) / axis_ms * (W - LEFT - 10.0);
    let rows = report.connections as f64;
    let lane_h = rows * ROW + 10.0;
    let height = lane_h * report.models.len() as f64 + 24.0;
    let bar = |class: &'static str, from: f64, to: f64, y: f64| {
        html! { <rect class={class} x={format!("{:.1}", x(from))} y={format!("{y:.1}")}
        width={format!("{:.1}", (x(to) - x(from)).max(1.0))} height={(ROW - 2.0).to_string()} /> }
    };
    html! {
        <figure class="chart io-connections" data-testid="io-connections">
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {height}")} role="img"
                     aria-label={t!("io.models.connections_label").to_string()}>
                    { for report.models.iter().enumerate().map(|(m, model)| {
                        let top = 4.0 + m as f64 * lane_h;
                        html! {
                            <g class="model-lane" data-model={model.name.clone()}>
                                <text class="tick" x={(LEFT - 6.0).to_string()} y={format!("{:.1}", top + lane_h / 2.0)} text-anchor="end">{ model.name.clone() }</text>
                                { for model.connections.iter().enumerate().map(|(c, span)| {
                                    let y = top + c as f64 * ROW;
                                    match span.ready_ms {
                                        None => bar("io-blocked", span.issued_ms, span.handled_ms, y),
                                        Some(ready) => html! { <>
                                            { bar("io-waiting", span.issued_ms, ready, y) }
                                            { bar("io-ready", ready, span.handled_ms, y) }
                                        </> },
                                    }
                                }) }
                            </g>
                        }
                    }) }
                    <text class="tick" x={LEFT.to_string()} y={(height - 4.0).to_string()}>{ "0" }</text>
                    <text class="tick" x={(W - 10.0).to_string()} y={(height - 4.0).to_string()} text-anchor="end">{ format!("{axis_ms:.0} ms") }</text>
                </svg>
            </ChartScroller>
            <ul class="legend">
                <li><span class="swatch io-waiting" />{ t!("io.legend.waiting").to_string() }</li>
                <li><span class="swatch io-ready" />{ t!("io.legend.ready").to_string() }</li>
                <li><span class="swatch io-blocked" />{ t!("io.legend.blocked").to_string() }</li>
            </ul>
            <figcaption>{ t!("io.models.connections_caption").to_string() }</figcaption>
        </figure>
    }
}
