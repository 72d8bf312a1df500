//! The app shell: header with machine facts, navigation from the lab registry, hash
//! routing (`#/cores`; works on any static host), and the banners that explain what is
//! off and why.

use super::boot::{self, BootState};
use super::labs;
use crate::runtime::{crash, env};
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use yew::prelude::*;

fn current_route() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    hash.trim_start_matches('#')
        .trim_start_matches('/')
        .to_string()
}

/// Root component.
#[component]
pub fn App() -> Html {
    let boot_state = use_state(boot::initial_state);
    let route = use_state(current_route);
    let crash_message = use_state(|| None::<String>);

    {
        let boot_state = boot_state.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move { boot_state.set(boot::boot().await) });
        });
    }
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "hashchange", move |_| route.set(current_route())));
            move || drop(listener)
        });
    }
    {
        // A worker's panic is stored in shared memory; surface it even when no run waits.
        let crash_message = crash_message.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(500, move || {
                if let Some(message) = crash::message() {
                    crash_message.set(Some(message));
                }
            });
            move || drop(interval)
        });
    }

    let lab = labs::find(&route);
    html! {
        <ContextProvider<BootState> context={(*boot_state).clone()}>
            <header class="top">
                <h1><a href="#/">{ "Concurrency Lab" }</a><span class="zh">{ " 并发实验室" }</span></h1>
                { facts(&boot_state) }
                <nav aria-label="Labs">
                    <a href="#/" class={classes!((lab.is_none()).then_some("active"))}>{ "Home" }</a>
                    { for labs::all().iter().map(|l| html! {
                        <a href={format!("#/{}", l.id)} class={classes!((lab.map(|x| x.id) == Some(l.id)).then_some("active"))}>
                            { l.title }</a>
                    }) }
                </nav>
            </header>
            if let Some(message) = &*crash_message {
                <div class="crash-banner" role="alert" data-testid="crash">{ format!("{message}. Reload the page to start again.") }</div>
            }
            if let BootState::Unavailable { reason } = &*boot_state {
                <div class="warning-banner" role="alert" data-testid="isolation-banner">
                    <strong>{ "Threads are off: " }</strong>{ reason.clone() }
                    { ". The step-through models still work. To enable threads, serve the site with the headers " }
                    <code>{ "Cross-Origin-Opener-Policy: same-origin" }</code>{ " and " }
                    <code>{ "Cross-Origin-Embedder-Policy: require-corp" }</code>{ " (make serve does)." }
                </div>
            }
            <main>
                { match lab {
                    Some(lab) => (lab.view)(),
                    None => home(),
                } }
            </main>
            <footer>{ "Every timing on this site is measured in your browser, on your cores. Models are labelled as models." }</footer>
        </ContextProvider<BootState>>
    }
}

fn facts(state: &BootState) -> Html {
    let pool = match state {
        BootState::Starting { threads } => format!("starting {threads} workers…"),
        BootState::Ready { threads, ready_ms } => {
            format!("{threads} workers ready in {ready_ms:.0} ms")
        }
        BootState::Unavailable { .. } => "no workers".to_string(),
    };
    let isolated = env::cross_origin_isolated();
    html! {
        <ul class="facts" aria-label="Machine facts">
            <li data-testid="cores">{ format!("{} logical cores", env::hardware_concurrency()) }</li>
            <li data-testid="isolation" class={if isolated { "ok" } else { "bad" }}>
                { if isolated { "cross-origin isolated ✓" } else { "not cross-origin isolated ✗" } }</li>
            <li data-testid="pool" class={classes!(matches!(state, BootState::Starting { .. }).then_some("pending"))}>{ pool }</li>
        </ul>
    }
}

/// Concepts of the notes and where each becomes runnable.
const SYLLABUS: [(&str, &str, &str); 17] = [
    (
        "Processes vs threads, cores vs logical cores",
        "进程与线程、多核",
        "cores",
    ),
    ("Concurrency vs parallelism", "并发与并行", "cores"),
    ("CPU use: N busy threads ≈ N × 100 %", "CPU 占用率", "cores"),
    (
        "Race conditions: balance = balance + n is not atomic",
        "竞态条件",
        "shared-memory",
    ),
    ("Lock, RLock, deadlock", "锁、递归锁、死锁", "shared-memory"),
    (
        "Semaphore, Event, Condition, Queue, producer–consumer",
        "信号量、事件、队列",
        "shared-memory",
    ),
    (
        "Every interleaving of a race, step by step",
        "交错执行",
        "explorer",
    ),
    (
        "asyncio and the JavaScript event loop",
        "事件循环",
        "event-loop",
    ),
    ("Generators, greenlet, gevent", "生成器与协程", "event-loop"),
    (
        "Thread life cycle: new, runnable, running, blocked, waiting, dead",
        "线程的生命周期",
        "shared-memory",
    ),
    (
        "join() and daemon threads",
        "join 与守护线程",
        "threads lab (planned)",
    ),
    (
        "ThreadLocal: per-thread variables",
        "线程局部变量",
        "threads lab (planned)",
    ),
    (
        "Best thread count = (wait + CPU) / CPU × cores",
        "最佳线程数",
        "threads lab (planned)",
    ),
    (
        "select, poll, epoll",
        "IO 多路复用",
        "IO-models lab (planned)",
    ),
    (
        "The GIL: one thread at a time",
        "全局解释器锁",
        "GIL lab (planned)",
    ),
    (
        "Multiprocessing: own memory, crash isolation, IPC",
        "多进程",
        "processes lab (planned)",
    ),
    (
        "IO models: blocking, non-blocking, multiplexing, async",
        "IO 模型",
        "IO-models lab (planned)",
    ),
];

fn home() -> Html {
    html! {
        <section class="home">
            <p class="lede">
                { "Concurrency Lab runs real threads in your browser: web workers sharing one WebAssembly memory, " }
                { "measured with one clock. Pick a lab, run it, and read the numbers your own machine produces." }
            </p>
            <div class="cards">
                { for labs::all().iter().map(|lab| html! {
                    <a class="card" href={format!("#/{}", lab.id)} data-testid={format!("card-{}", lab.id)}>
                        <h3>{ lab.title }<span class="zh">{ format!(" {}", lab.title_zh) }</span></h3>
                        <span class={classes!("badge", if lab.real { "real" } else { "model" })}>
                            { match (lab.real, lab.needs_threads) {
                                (true, true) => "real threads",
                                // Real, but its point is what one thread does.
                                (true, false) => "real · one thread",
                                (false, _) => "model",
                            } }</span>
                        <p>{ lab.summary }</p>
                        <p class="concepts">{ lab.concepts.join(" · ") }</p>
                    </a>
                }) }
            </div>
            <table class="syllabus">
                <caption>{ "From the notes to the labs" }</caption>
                <thead><tr><th>{ "Concept" }</th><th>{ "概念" }</th><th>{ "Lab" }</th></tr></thead>
                <tbody>
                    { for SYLLABUS.iter().map(|(en, zh, lab)| html! {
                        <tr><td>{ *en }</td><td>{ *zh }</td><td>{
                            // Labs that exist are links; planned ones are plain text.
                            match labs::find(lab) {
                                Some(found) => html! { <a href={format!("#/{}", found.id)}>{ found.title }</a> },
                                None => html! { { *lab } },
                            }
                        }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
