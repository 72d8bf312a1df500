//! Calls a callback on every animation frame while `active` is true.
//!
//! This is how views read shared-memory telemetry: a non-blocking poll per frame, and no
//! frames are requested while nothing runs.

use gloo::render::{AnimationFrame, request_animation_frame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

struct Loop {
    alive: Cell<bool>,
    frame: RefCell<Option<AnimationFrame>>,
    callback: Rc<RefCell<Callback<()>>>,
}

/// Runs `on_frame` once per frame while `active`; stops cleanly on deactivation/unmount.
#[hook]
pub fn use_animation_frame(active: bool, on_frame: Callback<()>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(active, move |&active| {
        let running = Rc::new(Loop {
            alive: Cell::new(active),
            frame: RefCell::new(None),
            callback: latest,
        });
        if active {
            schedule(running.clone());
        }
        move || {
            // The callback may have re-rendered us from inside a frame: the flag stops the
            // loop even if a next frame was already requested.
            running.alive.set(false);
            running.frame.borrow_mut().take();
        }
    });
}

fn schedule(running: Rc<Loop>) {
    if !running.alive.get() {
        return;
    }
    let next = running.clone();
    let frame = request_animation_frame(move |_| {
        let callback = next.callback.borrow().clone();
        callback.emit(());
        schedule(next);
    });
    *running.frame.borrow_mut() = Some(frame);
}
