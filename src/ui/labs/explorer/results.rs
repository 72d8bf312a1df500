//! What a search found: every final state (with how many schedules reach it, when counted),
//! deadlocks, failed asserts and errors, each with a button that replays its witness in step
//! mode; then the search's size, time and any limit it reached.

use crate::model::labs::explorer::{
    ExploreResult, Mode, Program, TsoStep, count_text, replay_tso, shared_text,
};
use crate::runtime::labs::explorer::ON_WORKER;
use crate::ui::widgets::copy_button::CopyButton;
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub result: Rc<ExploreResult>,
    /// The program the result is for (step mode replays TSO witnesses here, with buffers).
    pub program: Rc<Program>,
    pub on_replay: Callback<Rc<Vec<usize>>>,
}

/// The outcome list and the search's figures.
#[component]
pub fn Results(props: &ResultsProps) -> Html {
    let result = &props.result;
    let threads = &result.threads;
    // TSO walks replay their witness (compiling the program): once per result, not on every
    // re-render of the page (each step-mode click re-renders it).
    let walks = use_memo(
        (
            Rc::as_ptr(result) as usize,
            Rc::as_ptr(&props.program) as usize,
        ),
        {
            let (result, program) = (result.clone(), props.program.clone());
            move |_| tso_walks(&result, &program)
        },
    );
    let replay = |witness: &[usize], what: String| {
        if result.mode == Mode::Tso {
            return tso_walk(walks.get(witness), threads, witness.len());
        }
        let on_replay = props.on_replay.clone();
        let witness = Rc::new(witness.to_vec());
        let steps = witness.len();
        html! {
            <button type="button" class="replay" data-testid="replay"
                    onclick={Callback::from(move |_: MouseEvent| on_replay.emit(witness.clone()))}
                    aria-label={t!("explorer.results.replay_label", steps = steps, what = what).to_string()}>
                { t!("explorer.results.replay", steps = steps).to_string() }
            </button>
        }
    };
    let total = result.total_schedules;
    // A program with a top-level assert says which endings are right.
    let has_checks = result
        .final_states
        .iter()
        .any(|f| !f.failed_checks.is_empty())
        || result
            .assertion_failures
            .iter()
            .any(|a| a.message.starts_with("after all threads"));
    let finals = result.final_states.iter().map(|state| {
        let wrong = !state.failed_checks.is_empty();
        let values = shared_text(&state.shared);
        let share = match (state.schedules, total) {
            (Some(count), Some(total)) if total > 0 => 100.0 * count as f64 / total as f64,
            _ => 0.0,
        };
        html! {
            <li data-testid="final-state" class={classes!(wrong.then_some("wrong"))}>
                if wrong {
                    <span class="verdict-mark wrong" data-testid="final-wrong" title={state.failed_checks.join("; ")}>
                        { t!("explorer.results.wrong").to_string() }<span class="sr-only">{ format!(": {}", state.failed_checks.join("; ")) }</span></span>
                } else if has_checks {
                    <span class="verdict-mark right" data-testid="final-right">{ t!("explorer.results.as_expected").to_string() }</span>
                }
                <span class="value" data-testid="final-value">{ values.clone() }</span>
                <span class="count" data-testid="final-count">{ count_text(state.schedules, total) }</span>
                if share > 0.0 {
                    <span class="share" aria-hidden="true"><span style={format!("width: {share:.1}%")}></span></span>
                }
                { replay(&state.witness, values) }
            </li>
        }
    });
    let problems = result
        .deadlocks
        .iter()
        .map(|d| {
            let title = t!("explorer.results.deadlock").to_string();
            ("deadlock", title, &d.description, &d.witness, d.schedules)
        })
        .chain(
            result
                .assertion_failures
                .iter()
                .map(|a| {
                    let kind = (
                        "assertion-failure",
                        t!("explorer.results.assertion_failed").to_string(),
                    );
                    (kind.0, kind.1, &a.message, &a.witness, a.schedules)
                }),
        )
        .chain(
            result
                .errors
                .iter()
                .map(|e| {
                    let title = t!("explorer.results.error").to_string();
                    ("run-error", title, &e.message, &e.witness, e.schedules)
                }),
        )
        .map(|(testid, title, text, witness, schedules)| {
            html! {
                <li class={testid} data-testid={testid}>
                    <strong>{ t!("explorer.results.problem_title", title = title.clone()).to_string() }</strong><span class="message">{ text.clone() }</span>
                    if schedules.is_some() {
                        <span class="count" data-testid="problem-count">{ count_text(schedules, total) }</span>
                    }
                    { replay(witness, title.to_lowercase()) }
                </li>
            }
        })
        .collect::<Vec<_>>();
    let where_ = if result.ran_on == ON_WORKER {
        t!("explorer.results.on_worker").to_string()
    } else {
        t!(
            "explorer.results.on_main_thread",
            n = thousands(result.budget)
        )
        .to_string()
    };
    let searched = match result.mode {
        Mode::Exhaustive => t!("explorer.results.searched_reduction"),
        Mode::Count => t!("explorer.results.searched_one_by_one"),
        Mode::Bounded => t!("explorer.results.searched_bounded"),
        Mode::Random => t!("explorer.results.searched_random"),
        Mode::Dpor => t!("explorer.results.searched_dpor"),
        Mode::Tso => t!("explorer.results.searched_tso"),
    }
    .to_string();
    let rate = result.states_per_s.map_or(String::new(), |r| {
        t!("explorer.results.rate", n = thousands(r as u64)).to_string()
    });
    let json = serde_json::to_string_pretty(&**result).unwrap_or_default();
    html! {
        <section class="results" data-testid="explore-result" aria-label={t!("explorer.results.label").to_string()} aria-live="polite">
            <h4>{ t!("explorer.results.final_states", n = result.final_states.len()).to_string() }</h4>
            if result.final_states.is_empty() {
                <p class="muted">{ t!("explorer.results.no_final_state").to_string() }</p>
            }
            <ul class="outcomes">{ for finals }</ul>
            <h4>{ t!("explorer.results.problems").to_string() }</h4>
            if problems.is_empty() {
                <p class="muted" data-testid="no-problems">{ t!("explorer.results.none_found").to_string() }</p>
            } else {
                <ul class="outcomes problems">{ for problems }</ul>
            }
            <p class="figures" data-testid="explore-summary">
                { t!("explorer.results.summary", schedules = thousands(result.schedules), states = thousands(result.states),
                    searched = searched, ms = millis(result.ms), place = where_, rate = rate).to_string() }
                if let Some(plain) = &result.unreduced {
                    <br />
                    { t!("explorer.results.unreduced", schedules = thousands(plain.schedules),
                        states = thousands(plain.states), ms = millis(plain.ms)).to_string() }
                    if plain.limit_reached.is_none() && result.states > 0 {
                        { t!("explorer.results.fewer", x = format!("{:.1}", plain.states as f64 / result.states as f64)).to_string() }
                    } else {
                        { t!("explorer.results.stopped_at_budget").to_string() }
                    }
                }
            </p>
            <p class="muted jargon" data-testid="explore-words">
                { t!("explorer.results.words").to_string() }
            </p>
            if let (Some(traces), Some(blocked)) = (result.traces, result.sleep_blocked) {
                <p class="figures" data-testid="dpor-traces">
                    { t!("explorer.results.traces", traces = thousands(traces), blocked = thousands(blocked)).to_string() }
                </p>
            }
            if let Some(model) = &result.memory_model {
                <p class="muted" data-testid="memory-model">{ model.clone() }</p>
            }
            if let Some(limit) = &result.limit_reached {
                <p class="limit" role="status" data-testid="limit">{ t!("explorer.results.incomplete", limit = limit.clone()).to_string() }</p>
            }
            if let Some(note) = &result.counts_note {
                <p class="muted" data-testid="counts-note">{ format!("{}.", capitalised(note)) }</p>
            }
            <CopyButton text={json} />
        </section>
    }
}

/// A TSO witness step by step with every thread's store buffer after each step (the SC step
/// mode cannot replay drains).
fn tso_walks(
    result: &ExploreResult,
    program: &Program,
) -> HashMap<Vec<usize>, Result<Vec<TsoStep>, String>> {
    if result.mode != Mode::Tso {
        return HashMap::new();
    }
    let witnesses = result
        .final_states
        .iter()
        .map(|f| &f.witness)
        .chain(result.deadlocks.iter().map(|d| &d.witness))
        .chain(result.assertion_failures.iter().map(|a| &a.witness))
        .chain(result.errors.iter().map(|e| &e.witness));
    witnesses
        .map(|w| (w.clone(), replay_tso(program, w)))
        .collect()
}

fn tso_walk(walk: Option<&Result<Vec<TsoStep>, String>>, threads: &[String], len: usize) -> Html {
    let steps = match walk {
        Some(Ok(steps)) => steps,
        Some(Err(e)) => {
            return html! { <p class="muted">{ t!("explorer.results.program_changed", e = e.clone()).to_string() }</p> };
        }
        None => {
            return html! { <p class="muted">{ t!("explorer.results.no_walk", len = len).to_string() }</p> };
        }
    };
    let rows = steps.iter().enumerate().map(|(index, step)| {
        let buffers = threads.iter().zip(&step.buffers).map(|(name, buffer)| {
            let text = if buffer.is_empty() {
                t!("explorer.results.buffer_empty").to_string()
            } else {
                buffer.join(", ")
            };
            html! { <><span class="tso-buffer">{ format!("{name}: [{text}]") }</span>{ " " }</> }
        });
        html! {
            <li data-testid="tso-step">
                <span class="label">{ format!("{}. {}", index + 1, step.label) }</span>
                <span class="tso-buffers">{ t!("explorer.results.buffers").to_string() }{ for buffers }</span>
            </li>
        }
    });
    html! {
        <details class="tso-witness" data-testid="tso-witness">
            <summary>{ t!("explorer.results.show_buffers", n = steps.len()).to_string() }</summary>
            <ol class="tso-steps">{ for rows }</ol>
        </details>
    }
}

/// `12.3 ms`, or `0.04 ms` for the tiny searches of small programs.
fn millis(ms: f64) -> String {
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

/// `counts not …` → `Counts not …`.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `110251` → `110 251`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}
