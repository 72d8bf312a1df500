//! "Copy as JSON": puts text on the clipboard, and says so (or why not).

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    #[prop_or(AttrValue::Static("Copy as JSON"))]
    pub label: AttrValue,
    #[prop_or(AttrValue::Static("Show JSON"))]
    pub summary: AttrValue,
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
                    Ok(_) => status.set("copied".into()),
                    Err(_) => status
                        .set("the clipboard is not available here: select the text below".into()),
                }
            });
        })
    };
    html! {
        <div class="copy">
            <button type="button" {onclick}>{ props.label.clone() }</button>
            <span class="copy-status" role="status">{ (*status).clone() }</span>
            <details>
                <summary>{ props.summary.clone() }</summary>
                <pre class="json" data-testid="results-json">{ props.text.clone() }</pre>
            </details>
        </div>
    }
}
