//! Panics are reported in the page, never swallowed.
//!
//! With `panic = "abort"` a panicking worker traps and dies, so the hook is the last code
//! that runs: it logs to the console, stores the message in shared memory for the UI and
//! pending runs (which then fail instead of waiting forever), and on the main thread writes
//! a banner straight into the DOM, since the app itself may be gone.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static CRASHED: AtomicBool = AtomicBool::new(false);
static MESSAGE: Mutex<String> = Mutex::new(String::new());

/// Installs the process-wide hook (the hook lives in shared memory, so once is enough).
/// yew replaces the hook when it mounts unless given ours: see `ui::mount`.
pub fn install_hook() {
    std::panic::set_hook(Box::new(report));
}

/// The panic hook: console, shared message, and a banner when on the main thread.
pub fn report(info: &std::panic::PanicHookInfo<'_>) {
    {
        let on_main = super::env::is_window();
        let pid = super::process::own_pid();
        let who = if on_main {
            "The page's main thread".to_string()
        } else if pid != 0 {
            format!("A thread of process {pid}")
        } else {
            "A worker thread".to_string()
        };
        let text = format!("{who} panicked: {info}");
        web_sys::console::error_1(&text.as_str().into());
        // try_lock: the main thread must never wait, and a poisoned or busy slot only
        // costs the detail, not the report (CRASHED is set regardless).
        if let Ok(mut slot) = MESSAGE.try_lock()
            && slot.is_empty()
        {
            *slot = text.clone();
        }
        CRASHED.store(true, Ordering::Release);
        tell_host(&text);
        if on_main {
            show_banner(&text);
        }
    }
}

/// The first panic's message, once any thread has panicked.
pub fn message() -> Option<String> {
    if !CRASHED.load(Ordering::Acquire) {
        return None;
    }
    let detail = MESSAGE.try_lock().map(|m| m.clone()).unwrap_or_default();
    Some(if detail.is_empty() {
        "A thread panicked (details in the console)".into()
    } else {
        detail
    })
}

/// A process's worker defines `labPanicked` on its global scope (`process.js`): the trap
/// that follows a panic leaves the instance unusable, so the message must leave first.
fn tell_host(text: &str) {
    use wasm_bindgen::JsCast;
    let listener = js_sys::Reflect::get(&js_sys::global(), &"labPanicked".into());
    if let Ok(listener) = listener.and_then(|l| l.dyn_into::<js_sys::Function>()) {
        let _ = listener.call1(&wasm_bindgen::JsValue::NULL, &text.into());
    }
}

fn show_banner(text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(banner) = document.create_element("div") else {
        return;
    };
    banner.set_class_name("crash-banner");
    banner.set_attribute("role", "alert").ok();
    banner.set_text_content(Some(&format!("{text}. Reload the page to start again.")));
    if let Some(body) = document.body() {
        body.prepend_with_node_1(&banner).ok();
    }
}
