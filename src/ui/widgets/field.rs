//! Labelled form fields that hand their raw text to the view, which validates it on Run
//! with the model's rules (so the page and the console reject the same inputs alike).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NumberFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub min: u32,
    pub max: u32,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub testid: AttrValue,
    #[prop_or(false)]
    pub disabled: bool,
}

/// A number input that reports its text as typed.
#[component]
pub fn NumberField(props: &NumberFieldProps) -> Html {
    let oninput = props.oninput.reform(|e: InputEvent| {
        e.target_dyn_into::<web_sys::HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    });
    html! {
        <label>{ props.label.clone() }
            <input type="number" min={props.min.to_string()} max={props.max.to_string()} value={props.value.clone()}
                   {oninput} disabled={props.disabled} data-testid={props.testid.clone()} />
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub label: AttrValue,
    /// `(value, text)` pairs.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub selected: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub testid: AttrValue,
    #[prop_or(false)]
    pub disabled: bool,
}

/// A select that reports the chosen value.
#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let onchange = props.onchange.reform(|e: Event| {
        e.target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default()
    });
    html! {
        <label>{ props.label.clone() }
            <select {onchange} disabled={props.disabled} data-testid={props.testid.clone()}>
                { for props.options.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={*value == props.selected}>{ text.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// A field's `oninput` that stores the typed text in `handle`.
pub fn text_setter(handle: &UseStateHandle<String>) -> Callback<String> {
    let handle = handle.clone();
    Callback::from(move |text: String| handle.set(text))
}

/// Parses a whole number typed into field `field` of experiment `experiment`; when it is not
/// one, the message names the field and the range the experiment's definitions allow.
pub fn parse_whole(experiment: &str, field: &str, text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| match crate::model::labs::int_range(experiment, field) {
            Some((min, max)) => t!(
                "params.whole_number_in",
                field = field,
                min = min,
                max = max,
                text = text
            )
            .to_string(),
            None => t!("params.whole_number", field = field, text = text).to_string(),
        })
}
