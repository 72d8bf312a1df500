//! The shared-memory lab: what goes wrong when threads share memory, and the primitives
//! that fix it, each run on real worker threads. One tab per experiment.

pub mod deadlock;
pub mod queue;
pub mod race;
pub mod semaphore;
pub mod signals;
pub mod starvation;

use crate::ui::hooks::use_param;
use crate::ui::language::both_languages;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Tab {
    Race,
    Deadlock,
    Semaphore,
    Signals,
    Queue,
    Starvation,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Tab::Race,
        Tab::Deadlock,
        Tab::Semaphore,
        Tab::Signals,
        Tab::Queue,
        Tab::Starvation,
    ];

    fn title(self) -> String {
        match self {
            Tab::Race => t!("tab.race"),
            Tab::Deadlock => t!("tab.deadlock"),
            Tab::Semaphore => t!("tab.semaphore"),
            Tab::Signals => t!("tab.signals"),
            Tab::Queue => t!("tab.queue"),
            Tab::Starvation => t!("tab.starvation"),
        }
        .to_string()
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Race => "race",
            Tab::Deadlock => "deadlock",
            Tab::Semaphore => "semaphore",
            Tab::Signals => "signals",
            Tab::Queue => "queue",
            Tab::Starvation => "starvation",
        }
    }
}

/// Lane names for these labs: logical threads T1, T2, …
pub fn thread_lane(lane: u32) -> String {
    crate::model::thread_state::thread_name(lane)
}

/// The page: intro, tab list, current tab.
#[component]
pub fn SharedMemoryLab() -> Html {
    let tab = use_param("shared-memory/tab", || Tab::Race);
    let on_key = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            let index = Tab::ALL.iter().position(|t| *t == *tab).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowRight" => (index + 1) % Tab::ALL.len(),
                "ArrowLeft" => (index + Tab::ALL.len() - 1) % Tab::ALL.len(),
                _ => return,
            };
            tab.set(Tab::ALL[next]);
        })
    };
    html! {
        <section class="lab" aria-labelledby="shared-title">
            <h2 id="shared-title">{ both_languages("Shared memory: races, locks and signals", "共享内存：竞态、锁与同步") }
                <span class="badge real">{ t!("home.badge_threads").to_string() }</span></h2>
            <p class="lede">
                { "Threads of one process share its memory: any thread can change any variable. That is what makes " }
                { "threads cheap to talk to each other and easy to get wrong. Every experiment below runs on real " }
                { "worker threads sharing one WebAssembly memory, with instrumented primitives: each wait is recorded, " }
                { "every blocking call has a timeout, and Cancel stops any run." }
            </p>
            <p class="lede zh-lede" lang="zh-CN">
                { "同一进程的线程共享它的内存：任何线程都能修改任何变量。这让线程之间交流很便宜，也很容易出错。" }
                { "下面每个实验都运行在共享同一块 WebAssembly 内存的真实工作线程上，同步原语都带有记录：每次等待都会被记下，" }
                { "每个阻塞调用都有超时，“取消”能停止任何一次运行。" }
            </p>
            <div class="tabs" role="tablist" aria-label={t!("shared_memory.tabs_label").to_string()} onkeydown={on_key}>
                { for Tab::ALL.iter().map(|&t| {
                    let select = { let tab = tab.clone(); Callback::from(move |_| tab.set(t)) };
                    html! {
                        <button type="button" role="tab" aria-selected={(t == *tab).to_string()} class={classes!((t == *tab).then_some("active"))}
                                tabindex={if t == *tab { "0" } else { "-1" }} onclick={select} data-testid={format!("tab-{}", t.id())}>
                            { t.title() }</button>
                    }
                }) }
            </div>
            <div role="tabpanel" class="tabpanel">
                { match *tab {
                    Tab::Race => html! { <race::RaceTab /> },
                    Tab::Deadlock => html! { <deadlock::DeadlockTab /> },
                    Tab::Semaphore => html! { <semaphore::SemaphoreTab /> },
                    Tab::Signals => html! { <signals::SignalsTab /> },
                    Tab::Queue => html! { <queue::QueueTab /> },
                    Tab::Starvation => html! { <starvation::StarvationTab /> },
                } }
            </div>
        </section>
    }
}
