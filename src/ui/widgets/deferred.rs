//! A part of a page that is built one task after the page: a page's first render is one
//! long task on the page's thread, and a heavy part (hundreds of SVG bars, a model run)
//! would lengthen it. Split off, each part is a task of its own.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeferredProps {
    pub children: Html,
}

/// Renders nothing at first, then its children from a timer callback (a new task).
#[component]
pub fn Deferred(props: &DeferredProps) -> Html {
    let shown = use_state(|| false);
    {
        let shown = shown.clone();
        use_effect_with((), move |_| {
            let later = Timeout::new(0, move || shown.set(true));
            move || drop(later)
        });
    }
    if *shown {
        props.children.clone()
    } else {
        html! {}
    }
}
