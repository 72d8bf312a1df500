//! State that outlives its component: a lab tab's inputs and last result survive switching
//! to another tab and back (yew drops a component's hooks when it unmounts).
//!
//! Values live in a page-wide map keyed by a stable name such as `shared-memory/race/threads`;
//! the page is one thread, so a thread-local map is the whole store.

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use yew::prelude::*;

thread_local! {
    static KEPT: RefCell<HashMap<&'static str, Box<dyn Any>>> = RefCell::new(HashMap::new());
}

/// The value kept under `key`, if any (and of type `T`).
pub fn kept<T: Clone + 'static>(key: &'static str) -> Option<T> {
    KEPT.with(|kept| {
        kept.borrow()
            .get(key)
            .and_then(|v| v.downcast_ref::<T>().cloned())
    })
}

/// Keeps `value` under `key`.
pub fn keep<T: 'static>(key: &'static str, value: T) {
    KEPT.with(|kept| kept.borrow_mut().insert(key, Box::new(value)));
}

/// Like `use_state`, but starts from the value kept under `key` and keeps every change.
#[hook]
pub fn use_kept<T, F>(key: &'static str, init: F) -> UseStateHandle<T>
where
    T: Clone + PartialEq + 'static,
    F: FnOnce() -> T,
{
    let state = use_state(|| kept(key).unwrap_or_else(init));
    use_effect_with((*state).clone(), move |value| keep(key, value.clone()));
    state
}
