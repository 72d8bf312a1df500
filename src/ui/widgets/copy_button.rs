//! "Copy as JSON": puts text on the clipboard, and says so (or why not); a JSON report can
//! also be saved as a JSON or a CSV file.

use super::export::save_text;
use crate::model::csv::table_from_json;
use crate::model::link::split_hash;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// "Copy as JSON" in the page's language when not given.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// "Show JSON" in the page's language when not given.
    #[prop_or_default]
    pub summary: Option<AttrValue>,
}

/// A button that copies `text`; the text is also shown in a collapsible block so it can be
/// selected by hand where the clipboard is not allowed.
#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let status = use_state(String::new);
    let onclick = {
        let status = status.clone();
        let text = props.text.clone();
        Callback::from(move |_| {
            let status = status.clone();
            let text = text.clone();
            yew::platform::spawn_local(async move {
                let Some(window) = web_sys::window() else {
                    return;
                };
                let promise = window.navigator().clipboard().write_text(&text);
                match JsFuture::from(promise).await {
                    Ok(_) => status.set(t!("copy.copied").to_string()),
                    Err(_) => status.set(t!("copy.no_clipboard").to_string()),
                }
            });
        })
    };
    // A JSON report can also be saved, as it is or as a CSV table.
    let is_report = props.text.starts_with(['{', '[']);
    let save = |csv: bool| {
        let (text, status) = (props.text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let base = format!("concurrency-lab-{}", report_name());
            if !csv {
                return save_text(&text, &format!("{base}.json"));
            }
            match table_from_json(&text) {
                Ok(table) => save_text(&table, &format!("{base}.csv")),
                Err(e) => status.set(e),
            }
        })
    };
    html! {
        <div class="copy">
            <button type="button" {onclick}>{ props.label.clone().unwrap_or_else(|| t!("copy.json").to_string().into()) }</button>
            if is_report {
                <button type="button" class="secondary" onclick={save(false)} data-testid="save-json">{ t!("copy.save_json").to_string() }</button>
                <button type="button" class="secondary" onclick={save(true)} data-testid="save-csv">{ t!("copy.save_csv").to_string() }</button>
            }
            <span class="copy-status" role="status">{ (*status).clone() }</span>
            <details>
                <summary>{ props.summary.clone().unwrap_or_else(|| t!("copy.show_json").to_string().into()) }</summary>
                <pre class="json" data-testid="results-json">{ props.text.clone() }</pre>
            </details>
        </div>
    }
}

/// The shown lab's id, for file names (`concurrency-lab-cores.csv`).
fn report_name() -> String {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let (lab, _) = split_hash(&hash);
    if lab.is_empty() {
        "report".to_string()
    } else {
        lab
    }
}

/// "Copy link": the page's address as it is when clicked, with the shown lab's inputs in it.
#[component]
pub fn CopyLinkButton() -> Html {
    let status = use_state(String::new);
    let onclick = {
        let status = status.clone();
        Callback::from(move |_| {
            let status = status.clone();
            yew::platform::spawn_local(async move {
                let Some(window) = web_sys::window() else {
                    return;
                };
                let href = window.location().href().unwrap_or_default();
                let promise = window.navigator().clipboard().write_text(&href);
                match JsFuture::from(promise).await {
                    Ok(_) => status.set(t!("copy.link_copied").to_string()),
                    Err(_) => status.set(t!("copy.link_manual", href = href).to_string()),
                }
            });
        })
    };
    html! {
        <div class="copy-link">
            <button type="button" class="secondary" {onclick} data-testid="copy-link"
                title={t!("copy.link_title").to_string()}>
                { t!("copy.link").to_string() }</button>
            <span class="copy-status" role="status" data-testid="copy-link-status">{ (*status).clone() }</span>
        </div>
    }
}
