//! The app shell: header with machine facts, navigation from the lab registry, hash
//! routing (`#/cores`; works on any static host), and the banners that explain what is
//! off and why.

use super::boot::{self, BootState};
use super::labs;
use crate::model::glossary::GLOSSARY;
use crate::model::labs::{self as registry, PLANNED_LABS, SYLLABUS, Shown};
use crate::runtime::{crash, env};
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// The lab id in `#/<id>?<params>`.
fn current_route() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    path.split('?').next().unwrap_or_default().to_string()
}

/// A parameter of the hash's query (`#/event-loop?js=…`), decoded.
pub fn hash_param(name: &str) -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let (_, query) = hash.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| {
            js_sys::decode_uri_component(value)
                .map(String::from)
                .unwrap_or_default()
        })
    })
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

    let lab = registry::find(&route);
    html! {
        <ContextProvider<BootState> context={(*boot_state).clone()}>
            <header class="top">
                <h1><a href="#/">{ "Concurrency Lab" }</a><span class="zh">{ " 并发实验室" }</span></h1>
                { facts(&boot_state) }
                <nav aria-label="Labs">
                    <a href="#/" class={classes!((lab.is_none()).then_some("active"))}>{ "Home" }</a>
                    { for registry::all().iter().map(|l| html! {
                        <a href={format!("#/{}", l.id)} class={classes!((lab.map(|x| x.id) == Some(l.id)).then_some("active"))}>
                            { l.title }</a>
                    }) }
                </nav>
            </header>
            if let Some(message) = &*crash_message {
                <div class="crash-banner" role="alert" data-testid="crash">{ format!("{message}. ") }
                    <button type="button" data-testid="crash-reload"
                        onclick={Callback::from(|_| { if let Some(w) = web_sys::window() { let _ = w.location().reload(); } })}>
                        { "Reload the page" }</button></div>
            }
            if let BootState::Unavailable { reason } = &*boot_state {
                <div class="warning-banner" role="alert" data-testid="isolation-banner">
                    <strong>{ "Threads are off: " }</strong>{ reason.clone() }
                    { ". The step-through models (the explorer, the event-loop and IO models, your own code) still work; \
                       the labs that measure threads need a normal (not private) window of a current browser." }
                </div>
            }
            <main>
                { match lab {
                    Some(lab) => labs::view(lab.id).unwrap_or_default(),
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

fn home() -> Html {
    html! {
        <section class="home">
            <p class="lede">
                { "Concurrency Lab runs real threads in your browser: web workers sharing one WebAssembly memory, " }
                { "measured with one clock. Pick a lab, run it, and read the numbers your own machine produces." }
            </p>
            <div class="cards">
                { for registry::all().iter().map(|lab| html! {
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
                        <p class="concepts">{ card_concepts(lab) }</p>
                    </a>
                }) }
            </div>
            <table class="syllabus">
                <caption>{ "From the notes to the labs" }</caption>
                <thead><tr><th>{ "Concept" }</th><th>{ "概念" }</th><th>{ "Lab" }</th></tr></thead>
                <tbody>
                    { for SYLLABUS.iter().map(|concept| html! {
                        <tr class={classes!((concept.shown == Shown::Planned).then_some("planned"))}>
                            <td>{ concept.en }</td><td lang="zh">{ concept.zh }</td>
                            <td>{ syllabus_labs(concept) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <table class="glossary" id="glossary" data-testid="glossary">
                <caption>{ "Words used here " }<span class="zh">{ "术语" }</span></caption>
                <thead><tr><th scope="col">{ "Term" }</th><th scope="col">{ "Meaning" }</th>
                    <th scope="col" lang="zh">{ "术语" }</th><th scope="col" lang="zh">{ "含义" }</th></tr></thead>
                <tbody>
                    { for GLOSSARY.iter().map(|t| html! {
                        <tr><th scope="row">{ t.en }</th><td>{ t.meaning_en }</td>
                            <td lang="zh">{ t.zh }</td><td lang="zh">{ t.meaning_zh }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// The labs of one syllabus row: links to those that exist, the planned one's name, and
/// what is missing where the row is shown only in part.
fn syllabus_labs(concept: &registry::Concept) -> Html {
    let title = |id: &str| {
        registry::find(id)
            .map(|lab| lab.title)
            .or_else(|| PLANNED_LABS.iter().find(|(p, _)| *p == id).map(|(_, t)| *t))
            .unwrap_or(id)
            .to_string()
    };
    if concept.shown == Shown::Planned {
        // Not shown anywhere yet: name the lab that will show it, link nothing.
        let owner = title(concept.labs[0]);
        let owner = if owner.ends_with("(planned)") {
            owner
        } else {
            format!("{owner} (planned)")
        };
        return html! {
            <>
                <span class="planned-lab">{ owner }</span>
                if !concept.gap.is_empty() { <small class="gap">{ format!(" — {}", concept.gap) }</small> }
            </>
        };
    }
    let links = concept
        .labs
        .iter()
        .filter_map(|id| registry::find(id))
        .map(|found| {
            html! { <><a href={format!("#/{}", found.id)}>{ found.title }</a>{ " " }</> }
        });
    html! {
        <>
            { for links }
            if concept.shown == Shown::Partly {
                <small class="gap">{ format!("partly: {}", concept.gap) }</small>
            }
        </>
    }
}

/// The first few syllabus rows a lab shows, and how many more: the full list is the table.
fn card_concepts(lab: &registry::LabInfo) -> String {
    const SHOWN: usize = 4;
    let all: Vec<&str> = lab.concepts().map(|c| c.en).collect();
    let mut text = all
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    if all.len() > SHOWN {
        text.push_str(&format!(
            " · and {} more in the table below",
            all.len() - SHOWN
        ));
    }
    text
}
