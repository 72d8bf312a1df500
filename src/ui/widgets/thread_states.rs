//! Live thread states: one chip per thread ("T1 blocked"), read each frame while a run
//! goes from the states the primitives publish in shared memory (atomic loads only).

use crate::model::thread_state::ThreadState;
use crate::runtime::telemetry;
use crate::ui::hooks::use_animation_frame;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ThreadStatesProps {
    /// Threads of the run (lanes `0..threads`).
    pub threads: u32,
    /// Read every frame while true; the last states stay shown afterwards.
    pub active: bool,
    pub name: Callback<u32, String>,
    /// False when the page's last run belongs to another view: its threads' states are not
    /// this view's, so nothing is shown.
    #[prop_or(true)]
    pub owned: bool,
}

#[component]
pub fn ThreadStates(props: &ThreadStatesProps) -> Html {
    let states = use_state(Vec::<ThreadState>::new);
    let read = {
        let (states, threads) = (
            states.clone(),
            props.threads.min(telemetry::MAX_LANES as u32),
        );
        Callback::from(move |()| {
            let now: Vec<ThreadState> = (0..threads)
                .map(|lane| telemetry::lane_state(lane as usize))
                .collect();
            if *states != now {
                states.set(now);
            }
        })
    };
    use_animation_frame(props.active, read.clone());
    // Frames stop with the run: read once more so the chips end on the final states.
    use_effect_with(props.active, move |&active| {
        if !active {
            read.emit(());
        }
    });
    if states.is_empty() || !props.owned {
        return html! {};
    }
    html! {
        <ul class="thread-states" aria-label={t!("widgets.thread_states.label").to_string()} data-testid="thread-states">
            { for states.iter().enumerate().map(|(lane, state)| html! {
                <li class={format!("chip state-{}", state.name())} title={state.meaning()}>
                    { format!("{} {}", props.name.emit(lane as u32), state.label()) }</li>
            }) }
        </ul>
    }
}
