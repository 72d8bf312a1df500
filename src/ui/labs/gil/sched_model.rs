//! The scheduling model: one task set under every way of running it, as Gantt charts with
//! totals and utilisation. A model on a virtual clock, labelled as such.

use crate::model::labs::gil::lab::{SchedParams, SchedReport, TaskSet, sched_model};
use crate::model::labs::gil::sched::{Activity, Policy};
use crate::model::timeline::{SpanIn, fixed, stacks};
use crate::ui::hooks::use_param;
use crate::ui::widgets::field::Choice;
use crate::ui::widgets::scroller::ChartScroller;
use yew::prelude::*;

fn task_set_from(id: &str) -> TaskSet {
    match id {
        "two-waits" => TaskSet::TwoWaits,
        "cpu-only" => TaskSet::CpuOnly,
        _ => TaskSet::Downloads,
    }
}

fn task_set_id(set: TaskSet) -> &'static str {
    match set {
        TaskSet::Downloads => "downloads",
        TaskSet::TwoWaits => "two-waits",
        TaskSet::CpuOnly => "cpu-only",
    }
}

#[component]
pub fn SchedModel() -> Html {
    let tasks = use_param("gil/sched-model/tasks", || TaskSet::Downloads);
    // Simulated once per task set, not on every render.
    let reports = use_memo(*tasks, |&tasks| {
        Policy::ALL
            .iter()
            .filter_map(|&policy| {
                sched_model(&SchedParams {
                    policy,
                    tasks,
                    ..SchedParams::default()
                })
                .ok()
            })
            .collect::<Vec<SchedReport>>()
    });
    let longest = reports.iter().map(|r| r.total_ms).max().unwrap_or(1).max(1);
    let on_tasks = {
        let tasks = tasks.clone();
        Callback::from(move |id: String| tasks.set(task_set_from(&id)))
    };
    html! {
        <div class="experiment" data-testid="gil-sched">
            <h3>{ t!("heading.sched_model").to_string() }<span class="badge model">{ t!("home.badge_model").to_string() }</span></h3>
            <p class="lede">{ t!("gil.sched.lede").to_string() }</p>
            <Choice label={t!("gil.sched.tasks").to_string()} selected={task_set_id(*tasks)} onchange={on_tasks} testid="gil-sched-tasks"
                options={vec![
                    ("downloads".into(), t!("gil.sched.tasks_downloads").to_string().into()),
                    ("two-waits".into(), t!("gil.sched.tasks_two_waits").to_string().into()),
                    ("cpu-only".into(), t!("gil.sched.tasks_cpu_only").to_string().into()),
                ]} />
            <ul class="legend" aria-label={t!("gil.sched.activities").to_string()}>
                { for ACTIVITIES.iter().map(|a| html! {
                    <li><span class={format!("swatch act-{}", activity_id(*a))}></span>{ activity_name(*a) }</li>
                }) }
            </ul>
            <div class="sched-grid">
                { for reports.iter().map(|r| gantt(r, longest)) }
            </div>
        </div>
    }
}

fn activity_name(activity: Activity) -> String {
    match activity {
        Activity::Cpu => t!("gil.sched.computing"),
        Activity::Wait => t!("gil.sched.waiting"),
        Activity::Ready => t!("gil.sched.ready"),
        Activity::Switch => t!("gil.sched.switching"),
        Activity::Startup => t!("gil.sched.starting"),
    }
    .to_string()
}

/// The CSS name of an activity.
fn activity_id(activity: Activity) -> &'static str {
    match activity {
        Activity::Cpu => "cpu",
        Activity::Wait => "wait",
        Activity::Ready => "ready",
        Activity::Switch => "switch",
        Activity::Startup => "startup",
    }
}

const ACTIVITIES: [Activity; 5] = [
    Activity::Cpu,
    Activity::Wait,
    Activity::Ready,
    Activity::Switch,
    Activity::Startup,
];

/// Steps of a lane's height in which a column shares out its activities.
const LEVELS: u32 = 4;

/// The chart's bars, one SVG path per activity. The GIL's chart has ~2 000 spans of a few
/// ms: one `<rect>` each made the page's first render a 300 ms task, and spans narrower
/// than a pixel drew a blend set by which came last. Each column of one unit instead shows
/// its activities stacked in proportion to their time (`timeline::stacks`), and runs of
/// equal columns are one rectangle.
fn activity_paths(
    report: &SchedReport,
    longest: u32,
    left: f64,
    plot: f64,
    lane: f64,
) -> Vec<(Activity, String)> {
    let columns = plot.floor().max(1.0) as usize;
    let spans: Vec<SpanIn> = report
        .spans
        .iter()
        .map(|s| SpanIn {
            lane: s.task,
            key: ACTIVITIES
                .iter()
                .position(|a| *a == s.activity)
                .unwrap_or(0) as u32,
            start_ms: f64::from(s.start_ms),
            end_ms: f64::from(s.end_ms),
        })
        .collect();
    let column = plot / columns as f64;
    let step = (lane - 4.0) / f64::from(LEVELS);
    let mut paths = vec![String::new(); ACTIVITIES.len()];
    for stack in stacks(
        &spans,
        report.tasks.len(),
        0.0,
        f64::from(longest),
        columns,
        LEVELS,
    ) {
        let x = left + stack.first as f64 * column;
        let width = (stack.last + 1 - stack.first) as f64 * column;
        let mut y = lane * stack.lane as f64 + 2.0;
        for (key, steps) in stack.mix {
            let height = f64::from(steps) * step;
            paths[key as usize].push_str(&format!(
                "M{} {}h{}v{}h-{}z",
                fixed(x, 2),
                fixed(y, 1),
                fixed(width, 2),
                fixed(height, 1),
                fixed(width, 2)
            ));
            y += height;
        }
    }
    ACTIVITIES
        .into_iter()
        .zip(paths)
        .filter(|(_, d)| !d.is_empty())
        .collect()
}

fn gantt(report: &SchedReport, longest: u32) -> Html {
    const W: f64 = 420.0;
    const LANE: f64 = 16.0;
    const LEFT: f64 = 84.0;
    let height = LANE * report.tasks.len() as f64 + 22.0;
    let x = |ms: u32| LEFT + (W - LEFT - 6.0) * f64::from(ms) / f64::from(longest);
    html! {
        <figure class="chart sched" data-testid={format!("sched-{}", report.policy.id())}>
            <figcaption><strong>{ report.policy.id() }</strong>
                { t!("gil.sched.figures", s = format!("{:.1}", f64::from(report.total_ms) / 1000.0), pct = format!("{:.0}", 100.0 * report.utilisation)).to_string() }</figcaption>
            <ChartScroller view_width={W}>
                <svg viewBox={format!("0 0 {W} {height}")} role="img"
                     aria-label={t!("gil.sched.chart_label", policy = report.policy.id(), ms = report.total_ms).to_string()}>
                    { for report.tasks.iter().enumerate().map(|(i, t)| html! {
                        <text class="lane-label" x="2" y={format!("{:.1}", LANE * i as f64 + 12.0)}>{ t.name.clone() }</text>
                    }) }
                    { for activity_paths(report, longest, LEFT, W - LEFT - 6.0, LANE).into_iter().map(|(activity, d)| html! {
                        <path class={format!("act-{}", activity_id(activity))} d={d} data-activity={activity_id(activity)} />
                    }) }
                    <line class="axis" x1={LEFT.to_string()} x2={format!("{:.1}", x(report.total_ms))}
                          y1={format!("{:.1}", height - 18.0)} y2={format!("{:.1}", height - 18.0)} />
                    <text class="tick" x={LEFT.to_string()} y={format!("{:.1}", height - 4.0)}>{ "0 s" }</text>
                    <text class="tick" x={format!("{:.1}", x(report.total_ms))} y={format!("{:.1}", height - 4.0)} text-anchor="end">
                        { format!("{:.1} s", f64::from(report.total_ms) / 1000.0) }</text>
                </svg>
            </ChartScroller>
        </figure>
    }
}
