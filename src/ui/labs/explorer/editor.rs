//! The program editor: a preset picker, the text, and the parse error (line, column and a caret
//! under the spot) as the visitor types.

use crate::model::labs::explorer::{MAX_SOURCE_CHARS, PRESETS, ParseError};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub source: Rc<str>,
    /// The preset the text came from, if unedited.
    pub preset: Option<&'static str>,
    pub error: Option<ParseError>,
    /// Threads in the last program that parsed.
    pub threads: usize,
    /// True while a search runs: the program must not change under it.
    pub locked: bool,
    pub on_edit: Callback<String>,
    pub on_preset: Callback<String>,
}

/// Editor with live parse errors.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let on_input = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                on_edit.emit(area.value());
            }
        })
    };
    let on_change = {
        let on_preset = props.on_preset.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                on_preset.emit(select.value());
            }
        })
    };
    let status = match &props.error {
        Some(error) => html! {
            <div class="parse-error" data-testid="parse-error">
                <strong>{ t!("explorer.editor.error_at", line = error.line, column = error.column).to_string() }</strong>
                { error.message.clone() }
                <pre aria-hidden="true">{ caret_excerpt(&props.source, error) }</pre>
                <span class="muted">{ t!("explorer.editor.last_parsed").to_string() }</span>
            </div>
        },
        None => html! {
            <p class="parse-ok" data-testid="parse-ok">
                { if props.threads == 1 {
                    t!("explorer.editor.parsed_one", n = props.threads)
                } else {
                    t!("explorer.editor.parsed_many", n = props.threads)
                }.to_string() }
            </p>
        },
    };
    html! {
        <div class="editor">
            <label class="preset-picker">{ t!("explorer.editor.preset").to_string() }
                <select data-testid="preset" onchange={on_change} disabled={props.locked}>
                    <option value="" selected={props.preset.is_none()}>{ t!("explorer.editor.own_program").to_string() }</option>
                    { for PRESETS.iter().map(|p| html! {
                        <option value={p.id} selected={props.preset == Some(p.id)}>{ p.label() }</option>
                    }) }
                </select>
            </label>
            <label for="explorer-source" class="visually-hidden">{ t!("explorer.editor.program").to_string() }</label>
            <textarea id="explorer-source" data-testid="source" class="source"
                      value={props.source.to_string()} oninput={on_input} readonly={props.locked}
                      spellcheck="false" autocomplete="off" wrap="off" rows="20"
                      maxlength={MAX_SOURCE_CHARS.to_string()}
                      aria-invalid={props.error.is_some().to_string()}
                      aria-describedby="explorer-parse-status" />
            <div id="explorer-parse-status" aria-live="polite">{ status }</div>
            <details class="language">
                <summary>{ t!("explorer.editor.the_language").to_string() }</summary>
                <ul>
                    <li><code>{ "shared x = 0" }</code>{ ", " }<code>{ "lock m" }</code>{ ", " }<code>{ "rlock r" }</code>{ ", " }
                        <code>{ "semaphore s = 2" }</code>{ ", " }<code>{ "event e" }</code>{ ", " }<code>{ "condition c(m)" }</code></li>
                    <li><code>{ "thread t { … }" }</code>{ t!("explorer.editor.lang_threads").to_string() }<code>{ ";" }</code></li>
                    <li><code>{ "x = x + 1" }</code>{ t!("explorer.editor.lang_locals").to_string() }
                        <code>{ "if … elif … else" }</code>{ ", " }<code>{ "while" }</code>{ ", " }<code>{ "repeat 3 { … }" }</code></li>
                    <li><code>{ "m.acquire()" }</code>{ ", " }<code>{ "m.release()" }</code>{ ", " }<code>{ "with m { … }" }</code>{ ", " }
                        <code>{ "e.set()" }</code>{ ", " }<code>{ "e.clear()" }</code>{ ", " }<code>{ "e.wait()" }</code>{ ", " }
                        <code>{ "c.wait()" }</code>{ ", " }<code>{ "c.notify()" }</code>{ ", " }<code>{ "c.notify_all()" }</code></li>
                    <li><code>{ "assert x >= 0, \"message\"" }</code>{ t!("explorer.editor.lang_assert").to_string() }
                        <code>{ "yield" }</code>{ ", " }<code>{ "pass" }</code>{ ", " }<code>{ "fence" }</code>{ t!("explorer.editor.lang_fence").to_string() }<code>{ "# comment" }</code></li>
                    <li><code>{ "r = cas(x, 0, 1)" }</code>{ ", " }<code>{ "r = fetch_add(x, 1)" }</code>{ ", " }<code>{ "r = swap(x, 1)" }</code>{ t!("explorer.editor.lang_rmw").to_string() }</li>
                    <li>{ t!("explorer.editor.lang_step").to_string() }</li>
                </ul>
            </details>
        </div>
    }
}

/// The offending line and a caret under the column, e.g. `    x = = 1` / `        ^`.
fn caret_excerpt(source: &str, error: &ParseError) -> String {
    let line = source
        .lines()
        .nth(error.line.saturating_sub(1) as usize)
        .unwrap_or("");
    // Long lines are cut around the column so the excerpt stays readable.
    let column = error.column.saturating_sub(1) as usize;
    let skip = column.saturating_sub(60);
    let shown: String = line.chars().skip(skip).take(100).collect();
    let mut before = line.chars().skip(skip);
    let pad: String = (skip..column)
        .map(|_| {
            if before.next() == Some('\t') {
                '\t'
            } else {
                ' '
            }
        })
        .collect();
    format!("{:>4} | {shown}\n     | {pad}^", error.line)
}
