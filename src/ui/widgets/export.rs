//! "Save SVG" and "Save PNG" under a chart: the chart as a file (see `export.js`); reports
//! as JSON or CSV files go through [`save_text`].

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/ui/widgets/export.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSvg, catch)]
    fn save_svg(id: &str, name: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = savePng)]
    fn save_png(id: &str, name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = saveText)]
    fn save_text_file(text: &str, name: &str, mime: &str);
}

/// Saves a report as `name` (`.json` or `.csv` decides the type).
pub fn save_text(text: &str, name: &str) {
    let mime = if name.ends_with(".csv") {
        "text/csv"
    } else {
        "application/json"
    };
    save_text_file(text, name, mime);
}

static NEXT_ID: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// An element id of its own for a chart (`chart-7`), for its Save buttons to find it.
#[hook]
pub fn use_export_id() -> AttrValue {
    let id = use_state(|| {
        let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        AttrValue::from(format!("chart-{n}"))
    });
    (*id).clone()
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
            <button type="button" class="secondary" onclick={on_svg} data-testid="save-svg">{ t!("export.svg").to_string() }</button>
            <button type="button" class="secondary" onclick={on_png} data-testid="save-png">{ t!("export.png").to_string() }</button>
            if !status.is_empty() {
                <span class="error" role="alert">{ (*status).clone() }</span>
            }
        </div>
    }
}
