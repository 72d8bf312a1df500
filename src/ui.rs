//! UI layer (yew, wasm only): the app shell, one component per lab, shared widgets, and
//! `window.lab`, the console twin of the UI.
//!
//! **Invariant:** components never touch threads, locks or atomics directly; they call
//! runtime functions that return futures, and read telemetry through the non-blocking
//! [`crate::runtime::telemetry::Reader`] on animation frames.

pub mod app;
pub mod boot;
pub mod console;
pub mod hooks;
pub mod labs;
pub mod language;
pub mod widgets;

/// Mounts the app on `#app` and installs `window.lab`.
pub fn mount() {
    crate::runtime::clock::publish_page_origin();
    // Otherwise yew installs its own hook at mount and panics would skip our reporting.
    yew::set_custom_panic_hook(Box::new(crate::runtime::crash::report));
    console::install();
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(document) = &document {
        link_lab_stylesheets(document);
    }
    let root = document.and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => web_sys::console::error_1(&"Concurrency Lab: no #app element to mount on".into()),
    }
}

/// Links `labs/<id>.css` for every lab in the registry, so a new lab's stylesheet needs no
/// edit of `index.html` (trunk copies `www/labs/` as it is; `tests/tidy.rs` checks the files).
fn link_lab_stylesheets(document: &web_sys::Document) {
    let Ok(Some(head)) = document.query_selector("head") else {
        return;
    };
    for lab in crate::model::labs::all() {
        if let Ok(link) = document.create_element("link") {
            link.set_attribute("rel", "stylesheet").ok();
            link.set_attribute("href", &format!("labs/{}.css", lab.id))
                .ok();
            head.append_child(&link).ok();
        }
    }
}
