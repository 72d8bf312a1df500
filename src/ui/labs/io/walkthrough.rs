//! The five IO models stepped on a virtual clock, side by side: each thread's state, each
//! connection's kernel buffer, and the call that made it so.

use crate::model::labs::io::IO_MODELS;
use crate::model::labs::io::steps::{Doing, Phase, WAITERS, Walkthrough, fd};
use crate::ui::language::both_languages;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Milliseconds between steps while playing.
const PLAY_MS: u32 = 450;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Each connection's server delay (the real run's, from its seed).
    pub delays_ms: Vec<u32>,
}

fn phase_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Unsent => "unsent",
        Phase::Waiting => "waiting",
        Phase::InKernel => "in-kernel",
        Phase::Copied => "copied",
    }
}

fn doing_class(doing: Doing) -> &'static str {
    match doing {
        Doing::Idle => "idle",
        Doing::Blocked => "blocked",
        Doing::Polling => "polling",
        Doing::Asleep => "asleep",
        Doing::Handling => "handling",
        Doing::Free => "free",
        Doing::Done => "done",
    }
}

/// "3 blocked, 2 done" for many threads; the one state for one.
fn threads_text(threads: &[Doing]) -> String {
    if let [one] = threads {
        return one.label().to_string();
    }
    let mut counts: Vec<(Doing, usize)> = Vec::new();
    for &t in threads {
        match counts.iter_mut().find(|(d, _)| *d == t) {
            Some((_, n)) => *n += 1,
            None => counts.push((t, 1)),
        }
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(d, n)| format!("{n} {}", d.label()))
        .collect();
    parts.join(", ")
}

#[component]
pub fn IoWalkthrough(props: &Props) -> Html {
    let walk = use_memo(props.delays_ms.clone(), |delays| Walkthrough::new(delays));
    let taken = use_state(|| 0usize);
    let playing = use_state(|| false);
    let total = walk.steps.len();

    // A new workload starts from the beginning.
    {
        let (taken, playing) = (taken.clone(), playing.clone());
        use_effect_with(props.delays_ms.clone(), move |_| {
            taken.set(0);
            playing.set(false);
        });
    }
    // Play: one step per tick, stopping at the end.
    {
        let (taken, playing) = (taken.clone(), playing.clone());
        use_effect_with((*playing, *taken, total), move |&(on, at, total)| {
            let tick = (on && at < total).then(|| {
                Timeout::new(PLAY_MS, move || {
                    taken.set(at + 1);
                    if at + 1 >= total {
                        playing.set(false);
                    }
                })
            });
            move || drop(tick)
        });
    }

    let go = |to: fn(usize, usize) -> usize| {
        let (taken, playing) = (taken.clone(), playing.clone());
        Callback::from(move |_: MouseEvent| {
            playing.set(false);
            taken.set(to(*taken, total));
        })
    };
    let on_play = {
        let (taken, playing) = (taken.clone(), playing.clone());
        Callback::from(move |_: MouseEvent| {
            if *taken >= total {
                taken.set(0);
            }
            playing.set(!*playing);
        })
    };
    let on_slider = {
        let (taken, playing) = (taken.clone(), playing.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                playing.set(false);
                taken.set(input.value().parse().unwrap_or(0));
            }
        })
    };

    let at = (*taken).min(total);
    let states = walk.state(at);
    let in_chinese = crate::ui::language::in_chinese();
    let current = at.checked_sub(1).map(|k| &walk.steps[k]);
    let delays: Vec<String> = walk
        .delays_ms
        .iter()
        .enumerate()
        .map(|(c, ms)| format!("fd {} {ms} ms", fd(c)))
        .collect();

    html! {
        <section class="io-walkthrough" data-testid="io-walkthrough" aria-labelledby="io-walk-title">
            <h4 id="io-walk-title">{ both_languages("Step through the five models", "逐步比较五种模型") }
                <span class="badge model">{ t!("home.badge_model").to_string() }</span></h4>
            <p>{ t!("io.walk.intro_before").to_string() }
               <span data-testid="io-walk-delays">{ delays.join(", ") }</span>
               { t!("io.walk.intro_after").to_string() }</p>
            <div class="controls step-controls" role="group" aria-label={t!("io.walk.controls").to_string()}>
                <button type="button" onclick={go(|_, _| 0)} disabled={at == 0} data-testid="io-walk-reset">{ t!("io.walk.reset").to_string() }</button>
                <button type="button" onclick={go(|k, _| k.saturating_sub(1))} disabled={at == 0} data-testid="io-walk-back">{ t!("io.walk.back").to_string() }</button>
                <button type="button" onclick={on_play} aria-pressed={playing.to_string()} data-testid="io-walk-play">
                    { if *playing { t!("io.walk.pause") } else { t!("io.walk.play") }.to_string() }</button>
                <button type="button" onclick={go(|k, total| (k + 1).min(total))} disabled={at >= total} data-testid="io-walk-next">{ t!("io.walk.next").to_string() }</button>
                <button type="button" onclick={go(|_, total| total)} disabled={at >= total} data-testid="io-walk-end">{ t!("io.walk.end").to_string() }</button>
                <label class="slider">{ t!("io.walk.step").to_string() }
                    <input type="range" min="0" max={total.to_string()} value={at.to_string()} oninput={on_slider}
                        data-testid="io-walk-slider" />
                </label>
            </div>
            <p class="step-line" aria-live="polite" data-testid="io-walk-now">
                <span class="step-count">{ t!("io.walk.step_of", at = at, total = total).to_string() }</span>
                <span class="step-time">{ format!("t = {} ms", walk.clock_ms(at)) }</span>
                <span class="step-description">{ current.map_or_else(
                    || t!("io.walk.press_next").to_string(),
                    |s| format!("{}: {}", IO_MODELS[s.model], s.what)) }</span>
            </p>
            <div class="io-walk-models">
                { for states.iter().enumerate().map(|(m, state)| {
                    let acted = current.is_some_and(|s| s.model == m);
                    let last = state.last.map(|k| &walk.steps[k]);
                    let busy = state.threads.iter().any(|t| t.on_cpu());
                    html! {
                        <article class={classes!("io-walk-model", acted.then_some("acted"))} data-model={IO_MODELS[m]}>
                            <h5>{ IO_MODELS[m] }</h5>
                            <p class="waiter">
                                if !in_chinese { { WAITERS[m].0 }<br /> }
                                <span lang="zh">{ WAITERS[m].1 }</span></p>
                            <p class={classes!("thread", busy.then_some("on-cpu"))} data-testid="io-walk-thread">
                                <span class={classes!("doing", doing_class(state.threads[0]))} />
                                { if state.threads.len() > 1 {
                                    t!("io.walk.threads", state = threads_text(&state.threads))
                                } else {
                                    t!("io.walk.thread", state = threads_text(&state.threads))
                                }.to_string() }
                                if busy { <span class="note">{ t!("io.walk.on_core").to_string() }</span> }
                            </p>
                            <ol class="fds" aria-label={t!("io.walk.connections").to_string()}>
                                { for state.connections.iter().enumerate().map(|(c, &phase)| html! {
                                    <li class={classes!("fd", phase_class(phase))} title={format!("fd {}: {}", fd(c), phase_class(phase))}>{ fd(c) }</li>
                                }) }
                            </ol>
                            <p class="last">{ last.map_or("—".to_string(), |s| format!("{} ms: {}", s.at_ms, s.what)) }</p>
                            if let Some(s) = last {
                                <code class="python">{ s.python }</code>
                            }
                        </article>
                    }
                }) }
            </div>
            <ul class="legend io-walk-legend">
                <li><span class="fd unsent">{ "4" }</span>{ t!("io.walk.not_sent").to_string() }</li>
                <li><span class="fd waiting">{ "4" }</span>{ t!("io.legend.waiting").to_string() }</li>
                <li><span class="fd in-kernel">{ "4" }</span>{ t!("io.walk.in_kernel").to_string() }</li>
                <li><span class="fd copied">{ "4" }</span>{ t!("io.walk.copied").to_string() }</li>
            </ul>
        </section>
    }
}
