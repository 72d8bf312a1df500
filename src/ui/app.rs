//! The app shell: header with machine facts, navigation from the lab registry, hash
//! routing (`#/cores`; works on any static host), and the banners that explain what is
//! off and why.

use super::boot::{self, BootState};
use super::labs;
use super::language;
use super::widgets::copy_button::CopyLinkButton;
use super::widgets::lab_idea::{LabIdea, concept_text};
use crate::model::glossary::GLOSSARY;
use crate::model::labs::{self as registry, PLANNED_LABS, SYLLABUS, Shown};
use crate::model::link;
use crate::runtime::{crash, env};
use gloo::events::EventListener;
use gloo::timers::callback::Interval;
use yew::prelude::*;

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The lab id in `#/<id>?<params>`.
fn current_route() -> String {
    link::split_hash(&location_hash()).0
}

/// A parameter of the hash's query (`#/event-loop?js=…`), decoded.
pub fn hash_param(name: &str) -> Option<String> {
    link::param(&location_hash(), name)
}

/// Sets (or, with `None`, removes) a parameter of the hash's query without a new history
/// entry and without a `hashchange` (the page is already showing it).
pub fn set_hash_param(name: &str, value: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = location_hash();
    let next = link::with_param(&hash, name, value);
    if next != hash
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next));
    }
}

/// The value of input `key` (`<lab>/<name>`) in the link, when that lab is the one shown.
pub fn linked_input<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let (lab, name) = link::split_key(key)?;
    let (route, _) = link::split_hash(&location_hash());
    if route != lab {
        return None;
    }
    link::from_link_value(&hash_param(name)?)
}

/// Overwrites `field` with input `key`'s value when the link carries one (labs whose form
/// lives in a reducer read their link with this).
pub fn read_linked<T: serde::de::DeserializeOwned>(key: &str, field: &mut T) {
    if let Some(value) = linked_input(key) {
        *field = value;
    }
}

/// Writes input `key` into the link (`None` removes it), when that lab is the one shown.
pub fn link_input(key: &str, value: Option<&str>) {
    let Some((lab, name)) = link::split_key(key) else {
        return;
    };
    if current_route() == lab {
        set_hash_param(name, value);
    }
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

    let language = use_state(|| {
        let preferred = language::preferred();
        language::apply(preferred, false);
        preferred
    });
    let on_language = {
        let language = language.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if *language == language::CHINESE {
                language::ENGLISH
            } else {
                language::CHINESE
            };
            language::apply(next, true);
            language.set(next);
        })
    };
    let chinese = *language == language::CHINESE;

    let lab = registry::find(&route);
    html! {
        <ContextProvider<BootState> context={(*boot_state).clone()}>
            <header class="top">
                <h1><a href="#/" lang="en">{ "Concurrency Lab" }</a><span class="zh" lang="zh-CN">{ " 并发实验室" }</span></h1>
                { facts(&boot_state) }
                <button type="button" class="language secondary" onclick={on_language} data-testid="language"
                    lang={if chinese { "en" } else { "zh-CN" }} title={t!("shell.language_hint").to_string()}>
                    { t!("shell.language").to_string() }</button>
                <nav aria-label={t!("shell.nav_label").to_string()}>
                    <a href="#/" class={classes!((lab.is_none()).then_some("active"))}>{ t!("shell.home").to_string() }</a>
                    { for registry::all().iter().map(|l| html! {
                        <a href={format!("#/{}", l.id)} class={classes!((lab.map(|x| x.id) == Some(l.id)).then_some("active"))}>
                            { l.title_in(chinese) }</a>
                    }) }
                </nav>
            </header>
            if let Some(message) = &*crash_message {
                <div class="crash-banner" role="alert" data-testid="crash">{ format!("{message}. ") }
                    <button type="button" data-testid="crash-reload"
                        onclick={Callback::from(|_| { if let Some(w) = web_sys::window() { let _ = w.location().reload(); } })}>
                        { t!("shell.crash_reload").to_string() }</button></div>
            }
            if let BootState::Unavailable { reason } = &*boot_state {
                <div class="warning-banner" role="alert" data-testid="isolation-banner">
                    <strong>{ t!("shell.threads_off").to_string() }</strong>{ reason.clone() }
                    { t!("shell.threads_off_rest").to_string() }
                </div>
            }
            // Keyed by language: a switch remounts the page in the other language (every lab
            // keeps its inputs and results across a remount).
            <main key={*language}>
                { match lab {
                    Some(lab) => html! { <>
                        <CopyLinkButton />
                        <LabIdea lab={lab.id} />
                        { labs::view(lab.id).unwrap_or_default() }
                    </> },
                    None => home(chinese),
                } }
            </main>
            <footer>{ t!("shell.footer").to_string() }</footer>
        </ContextProvider<BootState>>
    }
}

fn facts(state: &BootState) -> Html {
    let pool = match state {
        BootState::Starting { threads } => t!("shell.pool_starting", n = threads).to_string(),
        BootState::Ready { threads, ready_ms } => t!(
            "shell.pool_ready",
            n = threads,
            ms = format!("{ready_ms:.0}")
        )
        .to_string(),
        BootState::Unavailable { .. } => t!("shell.pool_none").to_string(),
    };
    let isolated = env::cross_origin_isolated();
    html! {
        <ul class="facts" aria-label={t!("shell.facts_label").to_string()}>
            <li data-testid="cores">{ t!("shell.cores", n = env::hardware_concurrency()).to_string() }</li>
            <li data-testid="isolation" class={if isolated { "ok" } else { "bad" }} title={t!("shell.isolated_why").to_string()}>
                { if isolated { t!("shell.isolated") } else { t!("shell.not_isolated") }.to_string() }</li>
            <li data-testid="pool" class={classes!(matches!(state, BootState::Starting { .. }).then_some("pending"))}
                title={t!("shell.pool_ready_why").to_string()}>{ pool }</li>
        </ul>
    }
}

fn home(chinese: bool) -> Html {
    html! {
        <section class="home">
            <p class="lede">{ t!("home.lede").to_string() }</p>
            <div class="cards">
                { for registry::all().iter().map(|lab| html! {
                    <a class="card" href={format!("#/{}", lab.id)} data-testid={format!("card-{}", lab.id)}>
                        <h3>{ language::both_languages(lab.title, lab.title_zh) }</h3>
                        <span class={classes!("badge", if lab.real { "real" } else { "model" })}>
                            { match (lab.real, lab.needs_threads) {
                                (true, true) => t!("home.badge_threads"),
                                // Real, but its point is what one thread does.
                                (true, false) => t!("home.badge_one_thread"),
                                (false, _) => t!("home.badge_model"),
                            }.to_string() }</span>
                        // The registry's summaries are English; the translated idea stands in.
                        <p>{ if chinese { concept_text(lab.id) } else { lab.summary.to_string() } }</p>
                        <p class="concepts">{ card_concepts(lab, chinese) }</p>
                    </a>
                }) }
            </div>
            <table class="syllabus">
                <caption>{ t!("home.syllabus_caption").to_string() }</caption>
                <thead><tr><th lang="en">{ "Concept" }</th><th lang="zh-CN">{ "概念" }</th><th>{ t!("home.lab").to_string() }</th></tr></thead>
                <tbody>
                    { for SYLLABUS.iter().map(|concept| html! {
                        <tr class={classes!((concept.shown == Shown::Planned).then_some("planned"))}>
                            <td lang="en">{ concept.en }</td><td lang="zh">{ concept.zh }</td>
                            <td>{ syllabus_labs(concept, chinese) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <table class="glossary" id="glossary" data-testid="glossary">
                <caption>{ t!("home.glossary_caption").to_string() }</caption>
                <thead><tr><th scope="col" lang="en">{ "Term" }</th><th scope="col" lang="en">{ "Meaning" }</th>
                    <th scope="col" lang="zh">{ "术语" }</th><th scope="col" lang="zh">{ "含义" }</th></tr></thead>
                <tbody>
                    { for GLOSSARY.iter().map(|t| html! {
                        <tr><th scope="row" lang="en">{ t.en }</th><td lang="en">{ t.meaning_en }</td>
                            <td lang="zh">{ t.zh }</td><td lang="zh">{ t.meaning_zh }</td></tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

/// The labs of one syllabus row: links to those that exist, the planned one's name, and
/// what is missing where the row is shown only in part.
fn syllabus_labs(concept: &registry::Concept, chinese: bool) -> Html {
    let title = |id: &str| {
        registry::find(id)
            .map(|lab| lab.title_in(chinese))
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
            format!("{owner} {}", t!("home.planned"))
        };
        return html! {
            <>
                <span class="planned-lab">{ owner }</span>
                if !concept.gap.is_empty() { <small class="gap">{ format!(" — {}", concept.gap_text()) }</small> }
            </>
        };
    }
    let links = concept
        .labs
        .iter()
        .filter_map(|id| registry::find(id))
        .map(|found| {
            html! { <><a href={format!("#/{}", found.id)}>{ found.title_in(chinese) }</a>{ " " }</> }
        });
    html! {
        <>
            { for links }
            if concept.shown == Shown::Partly {
                <small class="gap">{ t!("home.partly", gap = concept.gap_text()).to_string() }</small>
            }
        </>
    }
}

/// The first few syllabus rows a lab shows, and how many more: the full list is the table.
fn card_concepts(lab: &registry::LabInfo, chinese: bool) -> String {
    const SHOWN: usize = 4;
    let all: Vec<&str> = lab
        .concepts()
        .map(|c| if chinese { c.zh } else { c.en })
        .collect();
    let mut text = all
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    if all.len() > SHOWN {
        text.push_str(&t!("home.more_concepts", n = all.len() - SHOWN));
    }
    text
}
