//! Semaphore tab: k permits guard a section that N real threads keep entering.

use super::thread_lane;
use crate::model::labs::shared_memory::{SemaphoreParams, SemaphoreReport};
use crate::runtime::labs::shared_memory::semaphore;
use crate::ui::boot::BootState;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::copy_button::CopyButton;
use crate::ui::widgets::field::{NumberField, parse_whole};
use crate::ui::widgets::run_bar::RunBar;
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
                { "A semaphore holds k permits. acquire() takes one, or waits while none is left; release() gives it back. " }
                { "So at most k threads are inside at once — useful to limit how many use a scarce resource (connections, " }
                { "licences, memory). Green bars are threads inside; orange bars are threads waiting for a permit. A counter " }
                { "of who is inside, updated atomically, checks the bound on every entry." }
            </p>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label="Threads" value={(*threads).clone()} min={1} max={threads_available.max(1)} oninput={set(&threads)} testid="threads" disabled={running} />
                <NumberField label="Permits (k)" value={(*permits).clone()} min={1} max={16} oninput={set(&permits)} testid="permits" disabled={running} />
                <NumberField label="Entries per thread" value={(*rounds).clone()} min={1} max={20} oninput={set(&rounds)} disabled={running} />
                <NumberField label="Work inside (ms)" value={(*work).clone()} min={1} max={500} oninput={set(&work)} disabled={running} />
                <RunBar label="Run" running={running} disabled={threads_available == 0} on_run={on_run}
                        error={experiment.error().map(|e| AttrValue::from(e.to_string()))} progress={experiment.telemetry.progress} />
            </form>
            if let Some(report) = experiment.result() {
                <dl class="summary" data-testid="semaphore-summary">
                    <div><dt>{ "most inside at once" }</dt>
                        <dd data-testid="max-inside" class={classes!((report.max_inside > report.permits).then_some("bad"))}>
                            { format!("{} of {} permits {}", report.max_inside, report.permits, if report.max_inside <= report.permits { "✓" } else { "✗" }) }</dd></div>
                    <div><dt>{ "entries that waited" }</dt><dd>{ format!("{} of {}", report.waited, report.entries) }</dd></div>
                    <div><dt>{ "waiting, all threads added" }</dt><dd>{ format!("{:.0} ms", report.wait_ms) }</dd>
                        <dd class="note">{ format!("{:.0} ms per thread on average, in a {:.0} ms run",
                            report.wait_ms / f64::from(report.threads.max(1)), report.ms) }</dd></div>
                    <div><dt>{ "whole run" }</dt><dd>{ format!("{:.0} ms", report.ms) }</dd></div>
                </dl>
                <CopyButton text={serde_json::to_string_pretty(&*report).unwrap_or_default()} />
            }
            <ThreadStates threads={parse_whole("semaphore", "threads", &threads).unwrap_or(0)} active={experiment.running()} owned={experiment.owns_thread_states()} name={Callback::from(thread_lane)} />
            <Timeline log={experiment.telemetry.log.clone()} legend={true} color_by_task={false}
                describe_lane={Some(Callback::from(thread_lane))}
                describe_mark={Callback::from(|_| String::new())}
                describe_task={Callback::from(|round: u32| format!("entry {}", round + 1))} />
        </div>
    }
}
