//! "The idea" above every lab: its concept in the page's language, the Python idiom the
//! notes use, and an excerpt of the Rust that runs here, side by side.

use crate::model::labs::idioms::idiom;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LabIdeaProps {
    /// The lab's id in the registry.
    pub lab: AttrValue,
}

/// Lab `id`'s concept in the page's language (`concept.<id>` in `locales/app.yml`).
pub fn concept_text(id: &str) -> String {
    let key = format!("concept.{id}");
    t!(&key).to_string()
}

#[component]
pub fn LabIdea(props: &LabIdeaProps) -> Html {
    let Some(idiom) = idiom(&props.lab) else {
        return Html::default();
    };
    html! {
        <details class="idea" data-testid="lab-idea">
            <summary>{ t!("idea.summary").to_string() }</summary>
            <p data-testid="lab-idea-text">{ concept_text(idiom.lab) }</p>
            <div class="idiom">
                <figure>
                    <figcaption>{ t!("idea.python").to_string() }</figcaption>
                    <pre tabindex="0"><code lang="en" data-testid="idiom-python">{ idiom.python }</code></pre>
                </figure>
                <figure>
                    <figcaption>{ t!("idea.rust", file = idiom.rust_file).to_string() }</figcaption>
                    <pre tabindex="0"><code lang="en" data-testid="idiom-rust">{ idiom.rust }</code></pre>
                </figure>
            </div>
        </details>
    }
}
