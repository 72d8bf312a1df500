//! State that outlives its component: a lab tab's inputs and last result survive switching
//! to another tab and back (yew drops a component's hooks when it unmounts).
//!
//! Values live in a page-wide map keyed by a stable name such as `shared-memory/race/threads`;
//! the page is one thread, so a thread-local map is the whole store.
//!
//! [`use_param`] also puts an input in the page's link (`#/gil?threads=4`) while it differs
//! from its default, and starts from the link's value, so "copy link" reproduces a run.

use crate::model::link::to_link_value;
use crate::ui::app::{link_input, linked_input};
use serde::Serialize;
use serde::de::DeserializeOwned;
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

/// An input of lab `<lab>/<name>` that is kept like [`use_kept`] and lives in the link:
/// it starts from the link's value (else the kept one, else `init`), and every change
/// writes it there, or removes it when it is back to `init`'s value. A link's value is
/// only text in a field: the Run button validates it like typed input.
#[hook]
pub fn use_param<T, F>(key: &'static str, init: F) -> UseStateHandle<T>
where
    T: Clone + PartialEq + Serialize + DeserializeOwned + 'static,
    F: FnOnce() -> T,
{
    let default = use_memo((), move |_| init());
    let state = {
        let default = default.clone();
        use_state(move || {
            linked_input(key)
                .or_else(|| kept(key))
                .unwrap_or_else(|| (*default).clone())
        })
    };
    use_effect_with((*state).clone(), move |value| {
        keep(key, value.clone());
        let text = (*value != *default).then(|| to_link_value(value));
        link_input(key, text.as_deref());
    });
    state
}

/// `use_reducer` whose state outlives its component, kept under `key`. `restore` turns a
/// kept state into the one shown on return (a run in flight cannot report to an unmounted
/// view, so restore drops it), then `init` covers the first visit.
#[hook]
pub fn use_kept_reducer<R, F>(
    key: &'static str,
    init: F,
    restore: fn(R) -> R,
) -> UseReducerHandle<R>
where
    R: Reducible + Clone + 'static,
    F: FnOnce() -> R,
{
    let state = use_reducer(move || kept::<R>(key).map(restore).unwrap_or_else(init));
    // After every render: a state's fields are mostly `Rc`s, so keeping it is cheap.
    {
        let state = state.clone();
        use_effect(move || keep(key, (*state).clone()));
    }
    state
}

/// Writes input `key` of a reducer's state into the link: its value, or nothing when it is
/// the default (the counterpart of [`use_param`] for labs whose form lives in a reducer).
pub fn link_value<T: Serialize + PartialEq>(key: &str, value: &T, default: &T) {
    let text = (value != default).then(|| to_link_value(value));
    link_input(key, text.as_deref());
}
