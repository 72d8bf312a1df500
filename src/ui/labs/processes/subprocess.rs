//! The processes lab's `subprocess` section: a child process fed through its stdin, what it
//! wrote and its exit status, and the states the page saw it in, beside the five-state
//! model whose `ready` a page cannot see.

use crate::model::labs::processes::subprocess::{
    ProcState, StateSpan, SubprocessParams, SubprocessReport, TimedLine, Transition,
};
use crate::runtime::labs::processes as kernel;
use crate::ui::hooks::{use_kept_experiment, use_param};
use crate::ui::widgets::field::{NumberField, parse_whole, text_setter};
use crate::ui::widgets::run_bar::RunBar;
use crate::ui::widgets::scroller::ChartScroller;
use crate::ui::widgets::state_diagram::{Arrow, Node, StateDiagram};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The Python this section runs, parent and child, as the notes would write it.
const PYTHON: &str = r#"# child.py: running totals of the numbers on stdin
import sys

total, bad = 0, 0
for line in sys.stdin:          # blocks until a line (or EOF) arrives
    try:
        total += int(line)
        print(total, flush=True)
    except ValueError:
        print("not a number:", line.strip(), file=sys.stderr, flush=True)
        bad += 1
print("total", total)
sys.exit(1 if bad else 0)

# parent.py
import subprocess, sys, time

child = subprocess.Popen([sys.executable, "child.py"], text=True,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
for line in ["3", "4", "five", "5"]:
    time.sleep(0.2)
    child.stdin.write(line + "\n")
    child.stdin.flush()
child.stdin.close()             # EOF: the child's loop ends
print(child.stdout.read().split(), child.stderr.read().splitlines(), child.wait())
# CPython 3.11: ['3', '7', '12', 'total', '12'] ['not a number: five'] 1"#;

fn state_name(state: ProcState) -> String {
    match state {
        ProcState::New => t!("processes.state.new"),
        ProcState::Ready => t!("processes.state.ready"),
        ProcState::Running => t!("processes.state.running"),
        ProcState::Blocked => t!("processes.state.blocked"),
        ProcState::Terminated => t!("processes.state.terminated"),
    }
    .to_string()
}

fn time_in(state: ProcState) -> String {
    t!("processes.subprocess.time_in", state = state_name(state)).to_string()
}

#[component]
pub fn Subprocess() -> Html {
    let experiment = use_kept_experiment::<SubprocessReport>("processes/subprocess");
    let defaults = SubprocessParams::default();
    let stdin = use_param("processes/subprocess/stdin", || defaults.stdin.clone());
    let interval = use_param("processes/subprocess/interval", || {
        defaults.interval_ms.to_string()
    });
    let on_run = {
        let (experiment, stdin, interval) = (experiment.clone(), stdin.clone(), interval.clone());
        Callback::from(move |()| {
            let params = (|| {
                let params = SubprocessParams {
                    stdin: (*stdin).clone(),
                    interval_ms: parse_whole("subprocess", "interval_ms", &interval)?,
                };
                params.validate()?;
                Ok::<_, String>(params)
            })();
            experiment.launch(params, kernel::subprocess)
        })
    };
    let on_stdin = {
        let set = text_setter(&stdin);
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                set.emit(area.value());
            }
        })
    };
    let running = experiment.running();
    html! {
        <section class="experiment" data-testid="pr-subprocess" aria-labelledby="pr-subprocess-title">
            <h3 id="pr-subprocess-title">{ t!("heading.subprocess").to_string() }</h3>
            <p>{ t!("processes.subprocess.intro").to_string() }</p>
            <details class="aside">
                <summary>{ t!("processes.subprocess.python").to_string() }</summary>
                <pre class="python">{ PYTHON }</pre>
            </details>
            <form class="controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label class="stdin">{ t!("processes.subprocess.stdin").to_string() }
                    <textarea rows="4" cols="16" value={(*stdin).clone()} oninput={on_stdin}
                        data-testid="pr-subprocess-stdin" disabled={running} spellcheck="false" />
                </label>
                <NumberField label={t!("processes.subprocess.interval").to_string()} value={(*interval).clone()} min={0} max={1000}
                    oninput={text_setter(&interval)} testid="pr-subprocess-interval" disabled={running} />
                <RunBar label={t!("processes.subprocess.run").to_string()} running={running} disabled={false} on_run={on_run}
                    error={super::error_text(experiment.error())} />
            </form>
            if let Some(r) = experiment.result() { <>
                <dl class="summary" data-testid="pr-subprocess-summary">
                    <div><dt><code>{ "returncode" }</code></dt><dd data-testid="pr-subprocess-returncode">{ r.returncode }</dd></div>
                    <div><dt>{ t!("processes.subprocess.pid").to_string() }</dt><dd>{ r.pid }</dd></div>
                    <div><dt>{ time_in(ProcState::New) }</dt><dd data-testid="pr-subprocess-new">{ format!("{:.0} ms", r.new_ms) }</dd></div>
                    <div><dt>{ time_in(ProcState::Running) }</dt><dd data-testid="pr-subprocess-running">{ format!("{:.1} ms", r.running_ms) }</dd></div>
                    <div><dt>{ time_in(ProcState::Blocked) }</dt><dd data-testid="pr-subprocess-blocked">{ format!("{:.0} ms", r.blocked_ms) }</dd></div>
                    <div><dt>{ t!("processes.subprocess.total").to_string() }</dt><dd>{ format!("{:.0} ms", r.total_ms) }</dd></div>
                </dl>
                <div class="streams">
                    { stream(html! { { t!("processes.subprocess.stdin_title").to_string() } }, &r.stdin, "pr-subprocess-in") }
                    { stream(html! { <code>{ "stdout" }</code> }, &r.stdout, "pr-subprocess-out") }
                    { stream(html! { <code>{ "stderr" }</code> }, &r.stderr, "pr-subprocess-err") }
                </div>
                { state_strip(&r) }
                { state_diagram(&r.transitions) }
                { super::copy_json(&*r) }
            </> }
        </section>
    }
}

/// One of the child's streams, each line with when the page saw it.
fn stream(title: Html, lines: &[TimedLine], testid: &'static str) -> Html {
    html! {
        <section class="stream">
            <h4>{ title }</h4>
            if lines.is_empty() {
                <p class="empty" data-testid={testid}>{ t!("processes.subprocess.nothing").to_string() }</p>
            } else {
                <ol data-testid={testid}>
                    { for lines.iter().map(|l| html! {
                        <li><code>{ l.text.clone() }</code><span class="at">{ format!(" {:.0} ms", l.at_ms) }</span></li>
                    }) }
                </ol>
            }
        </section>
    }
}

const STRIP_WIDTH: f64 = 600.0;
const STRIP_LEFT: f64 = 10.0;
/// A running stretch lasts well under a millisecond: drawn at least this wide to be seen.
const MIN_SPAN: f64 = 2.0;

/// The child's observed states on one time axis, the parent's writes marked above them.
fn state_strip(r: &SubprocessReport) -> Html {
    let scale = (STRIP_WIDTH - 2.0 * STRIP_LEFT) / r.total_ms.max(1.0);
    let x = |ms: f64| STRIP_LEFT + ms * scale;
    let span = |s: &StateSpan| {
        let width = ((s.end_ms - s.start_ms) * scale).max(MIN_SPAN);
        html! {
            <rect class={classes!("state", s.state.key())} x={format!("{:.1}", x(s.start_ms))} y="22"
                width={format!("{width:.1}")} height="22" data-state={s.state.key()}>
                <title>{ format!("{}: {:.1}–{:.1} ms", state_name(s.state), s.start_ms, s.end_ms) }</title>
            </rect>
        }
    };
    let shown = [
        ProcState::New,
        ProcState::Running,
        ProcState::Blocked,
        ProcState::Terminated,
    ];
    html! {
        <figure class="state-strip">
            <ChartScroller view_width={STRIP_WIDTH} label={AttrValue::from(t!("processes.subprocess.strip_caption").to_string())}>
                <svg viewBox={format!("0 0 {STRIP_WIDTH} 76")} role="img" data-testid="pr-subprocess-strip"
                    aria-label={t!("processes.subprocess.strip_caption").to_string()}>
                    { for r.stdin.iter().map(|l| html! {
                        <g class="write"><line x1={format!("{:.1}", x(l.at_ms))} x2={format!("{:.1}", x(l.at_ms))} y1="8" y2="20" />
                            <text x={format!("{:.1}", x(l.at_ms))} y="10" text-anchor="middle" class="tick">{ l.text.clone() }</text></g>
                    }) }
                    { for r.states.iter().filter(|s| s.state != ProcState::Terminated).map(span) }
                    <text x={STRIP_LEFT.to_string()} y="62" class="tick">{ "0 ms" }</text>
                    <text x={format!("{:.1}", STRIP_WIDTH - STRIP_LEFT)} y="62" text-anchor="end" class="tick">{ format!("{:.0} ms", r.total_ms) }</text>
                </svg>
            </ChartScroller>
            <figcaption>
                <ul class="legend">
                    { for shown.iter().map(|s| html! { <li><span class={classes!("swatch", "state", s.key())} />{ state_name(*s) }</li> }) }
                </ul>
                { t!("processes.subprocess.strip_note").to_string() }
            </figcaption>
        </figure>
    }
}

/// Box positions of the five-state diagram, in its viewBox.
fn place(state: ProcState) -> (f64, f64) {
    match state {
        ProcState::New => (70.0, 40.0),
        ProcState::Ready => (220.0, 40.0),
        ProcState::Running => (370.0, 40.0),
        ProcState::Blocked => (295.0, 130.0),
        ProcState::Terminated => (520.0, 40.0),
    }
}

/// The five-state model, each arrow with how often this run took it. What passes through
/// `ready` is inferred: a page sees the child run again, never its wait for a core.
fn state_diagram(transitions: &[Transition]) -> Html {
    use ProcState::*;
    let seen = |from, to| {
        transitions
            .iter()
            .find(|t| t.from == from && t.to == to)
            .map_or(0, |t| t.count)
    };
    let (started, woke) = (seen(New, Running), seen(Blocked, Running));
    let arrows: Vec<Arrow> = [
        (New, Ready, started.to_string()),
        (Ready, Running, (started + woke).to_string()),
        (Running, Ready, "?".into()),
        (Running, Blocked, seen(Running, Blocked).to_string()),
        (Blocked, Ready, woke.to_string()),
        (Running, Terminated, seen(Running, Terminated).to_string()),
    ]
    .into_iter()
    .map(|(from, to, label)| Arrow {
        from: from.key(),
        to: to.key(),
        unseen: label == "?",
        label,
        label_at: 0.5,
        // Two arrows join Ready and Running: one above the other.
        bend: match (from, to) {
            (Ready, Running) => -8.0,
            (Running, Ready) => 8.0,
            _ => 0.0,
        },
    })
    .collect();
    let nodes: Vec<Node> = ProcState::ALL
        .into_iter()
        .map(|state| Node {
            key: state.key(),
            text: state_name(state),
            at: place(state),
            classes: Classes::new(),
            title: String::new(),
            count: None,
        })
        .collect();
    html! {
        <StateDiagram class="process-states" testid="pr-subprocess-diagram" size={(600.0, 170.0)} {nodes} {arrows}
            caption={t!("processes.subprocess.diagram_caption").to_string()} note={t!("processes.subprocess.diagram_note").to_string()} />
    }
}
