//! "Save SVG" and "Save PNG" under a chart: the chart as a file (see `export.js`).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/ui/widgets/export.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSvg, catch)]
    fn save_svg(id: &str, name: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = savePng)]
    fn save_png(id: &str, name: &str) -> js_sys::Promise;
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    /// Id of the element holding the chart's `<svg>`.
    pub target: AttrValue,
    /// File name without extension, e.g. `timeline`.
    pub name: AttrValue,
}

/// Two buttons that save the chart in `target` as SVG or PNG; a failure is said, not thrown.
#[component]
pub fn ExportButtons(props: &ExportProps) -> Html {
    let status = use_state(String::new);
    let on_svg = {
        let (target, name, status) = (props.target.clone(), props.name.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            status.set(match save_svg(&target, &name) {
                Ok(()) => String::new(),
                Err(e) => crate::runtime::env::js_error_text(&e),
            });
        })
    };
    let on_png = {
        let (target, name, status) = (props.target.clone(), props.name.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (target, name, status) = (target.clone(), name.clone(), status.clone());
            yew::platform::spawn_local(async move {
                let result = JsFuture::from(save_png(&target, &name)).await;
                status.set(
                    result
                        .err()
                        .map(|e| crate::runtime::env::js_error_text(&e))
                        .unwrap_or_default(),
                );
            });
        })
    };
    html! {
        <div class="export">
            <button type="button" class="secondary" onclick={on_svg} data-testid="save-svg">{ "Save SVG" }</button>
            <button type="button" class="secondary" onclick={on_png} data-testid="save-png">{ "Save PNG" }</button>
            if !status.is_empty() {
                <span class="error" role="alert">{ (*status).clone() }</span>
            }
        </div>
    }
}
