//! Producer–consumer tab: a bounded blocking queue between real producer and consumer
//! threads, with a live occupancy gauge and an audit that nothing was lost or duplicated.

use crate::model::labs::shared_memory::{QueueParams, QueueReport};
use crate::runtime::labs::shared_memory::queue;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_animation_frame, use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{NumberField, parse_whole};
use crate::ui::widgets::line_chart::LineChart;
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_life::ThreadLife;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use std::rc::Rc;
use yew::prelude::*;

#[component]
pub fn QueueTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<QueueReport>("shared-memory/queue");
    let d = QueueParams::default();
    let fields = [
        use_param("shared-memory/queue/producers", || d.producers.to_string()),
        use_param("shared-memory/queue/consumers", || d.consumers.to_string()),
        use_param("shared-memory/queue/capacity", || d.capacity.to_string()),
        use_param("shared-memory/queue/items", || d.items.to_string()),
        use_param("shared-memory/queue/produce_us", || {
            d.produce_us.to_string()
        }),
        use_param("shared-memory/queue/consume_us", || {
            d.consume_us.to_string()
        }),
    ];
    let on_run = {
        let (fields, experiment) = (fields.clone(), experiment.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = QueueParams {
                    producers: parse_whole("queue", "producers", &fields[0])?,
                    consumers: parse_whole("queue", "consumers", &fields[1])?,
                    capacity: parse_whole("queue", "capacity", &fields[2])?,
                    items: parse_whole("queue", "items", &fields[3])?,
                    produce_us: parse_whole("queue", "produce_us", &fields[4])?,
                    consume_us: parse_whole("queue", "consume_us", &fields[5])?,
                };
                params.validate(threads_available)?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, queue::run)
        })
    };
    let set = |i: usize| {
        let handle = fields[i].clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let running = experiment.running();
    let labels = [
        (t!("shared_memory.queue.producers"), 1, 16, "producers"),
        (t!("shared_memory.queue.consumers"), 1, 16, "consumers"),
        (t!("shared_memory.queue.capacity"), 1, 10_000, "capacity"),
        (t!("shared_memory.queue.items"), 1, 200_000, "items"),
        (
            t!("shared_memory.queue.produce_us"),
            0,
            100_000,
            "produce-us",
        ),
        (
            t!("shared_memory.queue.consume_us"),
            0,
            100_000,
            "consume-us",
        ),
    ];
    let report = experiment.result();
    // Producers are the first threads: name lanes by role once a run says how many.
    let producers = report.as_ref().map_or(d.producers, |r| r.producers);
    html! {
        <div class="experiment">
            <p class="lede">
                { t!("shared_memory.queue.lede").to_string() }
            </p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { for labels.iter().enumerate().map(|(i, (label, min, max, testid))| html! {
                    <NumberField label={label.to_string()} value={(*fields[i]).clone()} min={*min} max={*max} oninput={set(i)} testid={*testid} disabled={running} />
                }) }
                <RunBar label={t!("shared_memory.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if running {
                <LiveOccupancy />
            }
            if let Some(report) = report {
                <QueueResults {report} />
            }
            <ThreadStates threads={parse_whole("queue", "producers", &fields[0]).unwrap_or(0) + parse_whole("queue", "consumers", &fields[1]).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(move |lane: u32| if lane < producers { format!("P{lane}") } else { format!("C{}", lane - producers) })} />
            <ThreadLife log={experiment.telemetry.log.clone()} threads={parse_whole("queue", "producers", &fields[0]).unwrap_or(0) + parse_whole("queue", "consumers", &fields[1]).unwrap_or(0)} done={!experiment.running() && experiment.owns_thread_states()} testid="queue-life" />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(move |lane: u32| {
                    if lane < producers { t!("shared_memory.queue.lane_producer", n = lane) } else { t!("shared_memory.queue.lane_consumer", n = lane - producers) }.to_string()
                }))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|item: u32| t!("shared_memory.queue.task", n = item).to_string())} />
        </div>
    }
}

/// The queue's occupancy, read every frame while a run goes on. A component of its own:
/// the per-frame change re-renders this line, not the whole tab (on a 2-core machine shared
/// with four workers, every millisecond the page's thread spends stretches a frame).
#[component]
fn LiveOccupancy() -> Html {
    let occupancy = use_state(|| 0u32);
    {
        let occupancy = occupancy.clone();
        use_animation_frame(
            true,
            Callback::from(move |()| {
                let now = queue::live_occupancy();
                if *occupancy != now {
                    occupancy.set(now);
                }
            }),
        );
    }
    html! {
        <p class="gauge" data-testid="live-occupancy">{ t!("shared_memory.queue.live", n = *occupancy).to_string() }</p>
    }
}

#[derive(Properties)]
struct QueueResultsProps {
    report: Rc<QueueReport>,
}

// By identity: the tab re-renders while a run goes on, the last report stays the same `Rc`
// (its chart and JSON are not rebuilt then).
impl PartialEq for QueueResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

#[component]
fn QueueResults(props: &QueueResultsProps) -> Html {
    let report: &QueueReport = &props.report;
    let exact = report.duplicates == 0 && report.missing == 0 && report.consumed == report.produced;
    html! {
        <>
            <dl class="summary" data-testid="queue-summary">
                <div><dt>{ t!("shared_memory.queue.produced_consumed").to_string() }</dt><dd data-testid="consumed">{ format!("{} / {}", report.produced, report.consumed) }</dd></div>
                <div><dt>{ t!("shared_memory.queue.lost_duplicated").to_string() }</dt>
                    <dd data-testid="audit" class={classes!((!exact).then_some("bad"))}>
                        { format!("{} / {} {}", report.missing, report.duplicates, if exact { t!("shared_memory.queue.exactly_once") } else { "✗".into() }) }</dd></div>
                <div><dt>{ t!("shared_memory.queue.throughput").to_string() }</dt><dd data-testid="throughput">{ t!("shared_memory.queue.items_per_s", n = format!("{:.0}", report.items_per_s)).to_string() }</dd>
                    if let Some(ideal) = report.ideal_items_per_s {
                        <dd class="note" data-testid="throughput-ideal">{ t!("shared_memory.queue.ideal",
                            pct = format!("{:.0}", 100.0 * report.items_per_s / ideal), ideal = format!("{ideal:.0}")).to_string() }</dd>
                    }</div>
                <div><dt>{ t!("shared_memory.queue.waited").to_string() }</dt>
                    <dd>{ format!("{:.0} ms / {:.0} ms", report.producer_blocked_ms, report.consumer_blocked_ms) }</dd></div>
            </dl>
            <LineChart testid="occupancy-chart" x_label="ms" y_label={t!("shared_memory.queue.y_label").to_string()} limit={Some(f64::from(report.capacity))}
                caption={t!("shared_memory.queue.caption").to_string()}
                points={report.occupancy.iter().map(|&(t, n)| (t, f64::from(n))).collect::<Vec<_>>()} />
            <CopyButton text={serde_json::to_string_pretty(report).unwrap_or_default()} />
        </>
    }
}
