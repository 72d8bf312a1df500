//! A schedule as text: shows the one in step mode (`t1 t2 t2 t1 …`) and loads one the visitor
//! types or pastes, so any interleaving (the notes', a console witness) can be replayed.

use crate::model::labs::explorer::{MAX_HISTORY, parse_schedule};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ScheduleInputProps {
    /// The schedule held in step mode, written with thread names.
    pub current: AttrValue,
    pub thread_names: Rc<Vec<String>>,
    pub on_load: Callback<Rc<Vec<usize>>>,
}

/// Text field and Load button.
#[component]
pub fn ScheduleInput(props: &ScheduleInputProps) -> Html {
    let draft = use_state(|| props.current.to_string());
    let error = use_state(|| None::<String>);
    {
        // A new schedule in step mode replaces whatever was typed.
        let (draft, error) = (draft.clone(), error.clone());
        use_effect_with(props.current.clone(), move |current| {
            draft.set(current.to_string());
            error.set(None);
        });
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                draft.set(input.value());
            }
        })
    };
    let onsubmit = {
        let (draft, error) = (draft.clone(), error.clone());
        let (names, on_load) = (props.thread_names.clone(), props.on_load.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match parse_schedule(&draft, &names) {
                Ok(schedule) => {
                    error.set(None);
                    on_load.emit(Rc::new(schedule));
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    html! {
        <form class="schedule-input" {onsubmit}>
            <label>{ t!("explorer.schedule.schedule").to_string() }
                <input type="text" value={(*draft).clone()} {oninput} spellcheck="false" data-testid="schedule-input"
                       maxlength={(MAX_HISTORY * 12).to_string()}
                       placeholder={props.thread_names.join(" ")}
                       title={t!("explorer.schedule.input_title").to_string()} />
            </label>
            <button type="submit" data-testid="load-schedule">{ t!("explorer.schedule.load").to_string() }</button>
            if let Some(message) = &*error {
                <span class="error" role="alert" data-testid="schedule-error">{ message.clone() }</span>
            }
        </form>
    }
}
