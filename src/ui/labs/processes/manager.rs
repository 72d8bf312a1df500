//! The processes lab's `manager` section: a Manager process serving a dict and a lock to two
//! worker processes, whose `d["n"] += 1` goes through proxies, with or without the lock.

use crate::model::labs::processes::manager::{MAX_INCREMENTS, ManagerParams, ManagerReport};
use crate::runtime::labs::processes as kernel;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::field::{NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use yew::prelude::*;

/// The same in Python; CPython 3.11.7 on this project's 2-core machine printed the comments.
const PYTHON: &str = r#"from multiprocessing import Manager, Process


def work(d, n, lock):
    for _ in range(n):
        if lock is None:
            d["n"] += 1  # a get and a set: two messages to the manager
        else:
            with lock:  # two more: acquire and release
                d["n"] += 1


if __name__ == "__main__":
    for use_lock in (False, True):
        with Manager() as m:  # starts the manager's server process
            d = m.dict(n=0)
            lock = m.Lock() if use_lock else None
            ps = [Process(target=work, args=(d, 500, lock)) for _ in range(2)]
            for p in ps:
                p.start()
            for p in ps:
                p.join()
            print(d["n"])  # 559 or 588 of 1000 without the lock; 1000 with it"#;

#[component]
pub fn ManagerSection() -> Html {
    let experiment = use_kept_experiment::<ManagerReport>("processes/manager");
    let defaults = ManagerParams::default();
    let increments = use_param("processes/manager/increments", || {
        defaults.increments.to_string()
    });
    let lock = use_param("processes/manager/lock", || defaults.lock);
    let on_run = {
        let (experiment, increments, lock) = (experiment.clone(), increments.clone(), lock.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = ManagerParams {
                    increments: parse_whole("manager", "increments", &increments)?,
                    lock: *lock,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::manager)
        })
    };
    let on_lock = {
        let lock = lock.clone();
        Callback::from(move |_: Event| lock.set(!*lock))
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-manager" aria-labelledby="pr-manager-title">
            <h3 id="pr-manager-title">{ t!("heading.manager").to_string() }</h3>
            <p>{ t!("processes.manager.intro").to_string() }</p>
            <details class="aside">
                <summary>{ t!("processes.manager.python").to_string() }</summary>
                <pre class="python">{ PYTHON }</pre>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <NumberField label={t!("processes.manager.increments").to_string()} value={(*increments).clone()} min={1} max={MAX_INCREMENTS}
                    oninput={text_setter(&increments)} testid="pr-manager-increments" disabled={running} />
                <label class="check"><input type="checkbox" checked={*lock} onchange={on_lock} disabled={running} data-testid="pr-manager-lock" />
                    { t!("processes.manager.lock").to_string() }</label>
                <RunBar label={t!("processes.manager.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={super::error_text(experiment.error())} />
            </form>
            if let Some(r) = experiment.result() { <>
                <dl class="summary" data-testid="pr-manager-summary">
                    <div><dt>{ t!("processes.manager.counter").to_string() }</dt>
                        <dd data-testid="pr-manager-counter" class={classes!((r.lost_updates > 0).then_some("bad"))}>{ format!("{} / {}", r.counter, r.expected) }</dd>
                        <dd class="note">{ t!("processes.manager.lost", n = r.lost_updates).to_string() }</dd></div>
                    <div><dt>{ t!("processes.manager.calls").to_string() }</dt>
                        <dd data-testid="pr-manager-calls">{ r.served }</dd>
                        <dd class="note">{ t!("processes.manager.calls_note", per = ManagerReport::calls_per_increment(r.lock),
                            pid = r.manager_pid).to_string() }</dd></div>
                    <div><dt>{ t!("processes.manager.time").to_string() }</dt>
                        <dd data-testid="pr-manager-ms">{ format!("{:.0} ms", r.ms) }</dd>
                        <dd class="note">{ t!("processes.manager.per_call", us = format!("{:.0}", r.us_per_call)).to_string() }</dd></div>
                </dl>
                <p class="verdict" data-testid="pr-manager-why">{ if r.lock {
                    t!("processes.manager.why_lock")
                } else if r.lost_updates > 0 {
                    t!("processes.manager.why_lost", n = r.lost_updates)
                } else {
                    t!("processes.manager.why_lucky")
                }.to_string() }</p>
                { super::copy_json(&*r) }
            </> }
        </section>
    }
}
