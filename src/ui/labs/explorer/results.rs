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
                    aria-label={format!("Replay the {steps}-step schedule that ends in {what} in step mode")}>
                { format!("Replay in step mode ({steps} steps)") }
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
                        { "✗ wrong" }<span class="sr-only">{ format!(": {}", state.failed_checks.join("; ")) }</span></span>
                } else if has_checks {
                    <span class="verdict-mark right" data-testid="final-right">{ "✓ as expected" }</span>
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
        .map(|d| ("deadlock", "Deadlock", &d.description, &d.witness, d.schedules))
        .chain(
            result
                .assertion_failures
                .iter()
                .map(|a| {
                    let kind = ("assertion-failure", "Assertion failed");
                    (kind.0, kind.1, &a.message, &a.witness, a.schedules)
                }),
        )
        .chain(
            result
                .errors
                .iter()
                .map(|e| ("run-error", "Error", &e.message, &e.witness, e.schedules)),
        )
        .map(|(testid, title, text, witness, schedules)| {
            html! {
                <li class={testid} data-testid={testid}>
                    <strong>{ format!("{title}: ") }</strong><span class="message">{ text.clone() }</span>
                    if schedules.is_some() {
                        <span class="count" data-testid="problem-count">{ count_text(schedules, total) }</span>
                    }
                    { replay(witness, title.to_lowercase()) }
                </li>
            }
        })
        .collect::<Vec<_>>();
    let where_ = if result.ran_on == ON_WORKER {
        "on a worker thread".to_string()
    } else {
        format!(
            "on the page's main thread with the budget reduced to {} states, because there are no workers",
            thousands(result.budget)
        )
    };
    let searched = match result.mode {
        Mode::Exhaustive => "with reduction",
        Mode::Count => "one by one",
        Mode::Bounded => "with bounded preemption",
        Mode::Random => "at random",
        Mode::Dpor => "with DPOR, one per trace",
        Mode::Tso => "under x86-TSO (store buffers), with a visited set",
    };
    let rate = result.states_per_s.map_or(String::new(), |r| {
        format!(" ({} states/s)", thousands(r as u64))
    });
    let json = serde_json::to_string_pretty(&**result).unwrap_or_default();
    html! {
        <section class="results" data-testid="explore-result" aria-label="What the search found" aria-live="polite">
            <h4>{ format!("Final states ({})", result.final_states.len()) }</h4>
            if result.final_states.is_empty() {
                <p class="muted">{ "No schedule finished with every thread done." }</p>
            }
            <ul class="outcomes">{ for finals }</ul>
            <h4>{ "Deadlocks, failed asserts and errors" }</h4>
            if problems.is_empty() {
                <p class="muted" data-testid="no-problems">{ "None found." }</p>
            } else {
                <ul class="outcomes problems">{ for problems }</ul>
            }
            <p class="figures" data-testid="explore-summary">
                { format!("Explored {} schedules ({} states) {searched} in {} {where_}{rate}.",
                    thousands(result.schedules), thousands(result.states), millis(result.ms)) }
                if let Some(plain) = &result.unreduced {
                    <br />
                    { format!("Every schedule one by one: {} schedules, {} states, {}",
                        thousands(plain.schedules), thousands(plain.states), millis(plain.ms)) }
                    if plain.limit_reached.is_none() && result.states > 0 {
                        { format!(": reduction visited {:.1}× fewer states.", plain.states as f64 / result.states as f64) }
                    } else {
                        { " (stopped at the budget)." }
                    }
                }
            </p>
            <p class="muted jargon" data-testid="explore-words">
                { "A state is one snapshot of every variable and every thread's position; states/s counts \
                   the distinct ones visited per second. Reduction skips schedules that only reorder steps \
                   which cannot affect each other, so it visits fewer states and finds the same endings." }
            </p>
            if let (Some(traces), Some(blocked)) = (result.traces, result.sleep_blocked) {
                <p class="figures" data-testid="dpor-traces">
                    { format!("{} Mazurkiewicz traces (orders of the conflicting steps), one schedule each; \
                               {} paths stopped early because every way on was already covered.",
                        thousands(traces), thousands(blocked)) }
                </p>
            }
            if let Some(model) = &result.memory_model {
                <p class="muted" data-testid="memory-model">{ model.clone() }</p>
            }
            if let Some(limit) = &result.limit_reached {
                <p class="limit" role="status" data-testid="limit">{ format!("Incomplete: {limit}.") }</p>
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
            return html! { <p class="muted">{ format!("The program changed since this search ({e}).") }</p> };
        }
        None => {
            return html! { <p class="muted">{ format!("No walk for this {len}-step witness.") }</p> };
        }
    };
    let rows = steps.iter().enumerate().map(|(index, step)| {
        let buffers = threads.iter().zip(&step.buffers).map(|(name, buffer)| {
            let text = if buffer.is_empty() {
                "empty".to_string()
            } else {
                buffer.join(", ")
            };
            html! { <><span class="tso-buffer">{ format!("{name}: [{text}]") }</span>{ " " }</> }
        });
        html! {
            <li data-testid="tso-step">
                <span class="label">{ format!("{}. {}", index + 1, step.label) }</span>
                <span class="tso-buffers">{ "buffers " }{ for buffers }</span>
            </li>
        }
    });
    html! {
        <details class="tso-witness" data-testid="tso-witness">
            <summary>{ format!("Show the {} steps with the store buffers", steps.len()) }</summary>
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
