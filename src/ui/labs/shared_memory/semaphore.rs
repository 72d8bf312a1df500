//! Semaphore tab: k permits guard a section that N real threads keep entering.

use super::thread_lane;
use crate::model::labs::shared_memory::{SemaphoreParams, SemaphoreReport};
use crate::runtime::labs::shared_memory::semaphore;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::thread_life::ThreadLife;
use crate::ui::widgets::thread_states::ThreadStates;
use crate::ui::widgets::timeline::Timeline;
use yew::prelude::*;

#[component]
pub fn SemaphoreTab() -> Html {
    let threads_available = use_context::<BootState>().map_or(0, |b| b.threads());
    let experiment = use_kept_experiment::<SemaphoreReport>("shared-memory/semaphore");
    let defaults = SemaphoreParams::default();
    let threads = use_param("shared-memory/semaphore/threads", || {
        defaults.threads.min(threads_available.max(1)).to_string()
    });
    let permits = use_param("shared-memory/semaphore/permits", || {
        defaults.permits.to_string()
    });
    let rounds = use_param("shared-memory/semaphore/rounds", || {
        defaults.rounds.to_string()
    });
    let work = use_param("shared-memory/semaphore/work", || {
        defaults.work_ms.to_string()
    });
    let on_run = {
        let (threads, permits, rounds, work, experiment) = (
            threads.clone(),
            permits.clone(),
            rounds.clone(),
            work.clone(),
            experiment.clone(),
        );
        Callback::from(move |()| {
            let params = (|| {
                let params = SemaphoreParams {
                    threads: parse_whole("semaphore", "threads", &threads)?,
                    permits: parse_whole("semaphore", "permits", &permits)?,
                    rounds: parse_whole("semaphore", "rounds", &rounds)?,
                    work_ms: parse_whole("semaphore", "work_ms", &work)?,
                };
                params.validate(threads_available)?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, semaphore::run)
        })
    };
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |text: String| handle.set(text))
    };
    let running = experiment.running();
    html! {
        <div class="experiment">
            <p class="lede">
                { t!("shared_memory.semaphore.lede").to_string() }
            </p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("shared_memory.threads").to_string()} value={(*threads).clone()} min={1} max={threads_available.max(1)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label={t!("shared_memory.semaphore.permits").to_string()} value={(*permits).clone()} min={1} max={16} oninput={set(&permits)} testid="permits" disabled={running} />
                <NumberField label={t!("shared_memory.semaphore.rounds").to_string()} value={(*rounds).clone()} min={1} max={20} oninput={set(&rounds)} disabled={running} />
                <NumberField label={t!("shared_memory.semaphore.work").to_string()} value={(*work).clone()} min={1} max={500} oninput={set(&work)} disabled={running} />
                <RunBar label={t!("shared_memory.run").to_string()} running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = experiment.result() {
                <dl class="summary" data-testid="semaphore-summary">
                    <div><dt>{ t!("shared_memory.semaphore.max_inside").to_string() }</dt>
                        <dd data-testid="max-inside" class={classes!((report.max_inside > report.permits).then_some("bad"))}>
                            { t!("shared_memory.semaphore.n_of_m_permits", n = report.max_inside, m = report.permits, mark = if report.max_inside <= report.permits { "✓" } else { "✗" }).to_string() }</dd></div>
                    <div><dt>{ t!("shared_memory.semaphore.waited").to_string() }</dt><dd>{ t!("shared_memory.n_of_m", n = report.waited, m = report.entries).to_string() }</dd></div>
                    <div><dt>{ t!("shared_memory.semaphore.wait_ms").to_string() }</dt><dd>{ format!("{:.0} ms", report.wait_ms) }</dd>
                        <dd class="note">{ t!("shared_memory.semaphore.wait_note",
                            avg = format!("{:.0}", report.wait_ms / f64::from(report.threads.max(1))), ms = format!("{:.0}", report.ms)).to_string() }</dd></div>
                    <div><dt>{ t!("shared_memory.whole_run").to_string() }</dt><dd>{ format!("{:.0} ms", report.ms) }</dd></div>
                </dl>
                <CopyButton text={serde_json::to_string_pretty(&*report).unwrap_or_default()} />
            }
            <ThreadStates threads={parse_whole("semaphore", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <ThreadLife log={experiment.telemetry.log.clone()} threads={parse_whole("semaphore", "threads", &threads).unwrap_or(0)} done={!experiment.running() && experiment.owns_thread_states()} testid="semaphore-life" />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|round: u32| t!("shared_memory.semaphore.task", n = round + 1).to_string())} />
        </div>
    }
}
