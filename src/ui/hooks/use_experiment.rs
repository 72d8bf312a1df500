//! The life of one experiment run in a view: start it, poll its telemetry while it runs,
//! keep its result or its error. The run itself is a runtime future (it never blocks).

use super::use_kept::{keep, kept};
use super::use_telemetry::{Telemetry, use_telemetry};
use std::future::Future;
use std::rc::Rc;
use yew::prelude::*;

/// Where a view's experiment stands.
pub struct ExperimentState<R> {
    pub running: bool,
    pub error: Option<String>,
    pub result: Option<Rc<R>>,
}

impl<R> Default for ExperimentState<R> {
    fn default() -> Self {
        ExperimentState {
            running: false,
            error: None,
            result: None,
        }
    }
}

/// Handle returned by [`use_experiment`].
pub struct Experiment<R: 'static> {
    state: UseStateHandle<Rc<ExperimentState<R>>>,
    pub telemetry: Telemetry,
    /// Where its last result is kept across unmounts ([`use_kept_experiment`]).
    key: Option<&'static str>,
}

// Manual: a derive would demand `R: Clone`, but only handles are cloned.
impl<R: 'static> Clone for Experiment<R> {
    fn clone(&self) -> Self {
        Experiment {
            state: self.state.clone(),
            telemetry: self.telemetry.clone(),
            key: self.key,
        }
    }
}

impl<R: 'static> Experiment<R> {
    pub fn running(&self) -> bool {
        self.state.running
    }

    pub fn error(&self) -> Option<&str> {
        self.state.error.as_deref()
    }

    pub fn result(&self) -> Option<Rc<R>> {
        self.state.result.clone()
    }

    /// True when the threads' live states on the page are this experiment's: it is running,
    /// or its result came from the last run started anywhere on the page. (Another tab's run
    /// would otherwise show its threads' states here.)
    pub fn owns_thread_states(&self) -> bool {
        self.running()
            || (self.state.result.is_some()
                && self.key.is_some()
                && kept::<&str>(LAST_RUN) == self.key)
    }

    /// Shows a validation message without running anything.
    pub fn fail(&self, message: String) {
        self.state.set(Rc::new(ExperimentState {
            error: Some(message),
            result: self.state.result.clone(),
            running: false,
        }));
    }

    /// Runs `run(params)` when the parameters are valid, else shows their error.
    pub fn launch<P, Fut>(&self, params: Result<P, String>, run: impl FnOnce(P) -> Fut)
    where
        Fut: Future<Output = Result<R, String>> + 'static,
    {
        match params {
            Ok(params) => self.start(run(params)),
            Err(message) => self.fail(message),
        }
    }

    /// Starts `run`; its result (or error) replaces the previous one when it resolves.
    pub fn start(&self, run: impl Future<Output = Result<R, String>> + 'static) {
        if let Some(key) = self.key {
            keep(LAST_RUN, key);
        }
        let previous = self.state.result.clone();
        self.state.set(Rc::new(ExperimentState {
            running: true,
            error: None,
            result: previous.clone(),
        }));
        let (state, poll, key) = (self.state.clone(), self.telemetry.poll.clone(), self.key);
        yew::platform::spawn_local(async move {
            let outcome = run.await;
            poll.emit(true);
            let outcome = outcome.map(Rc::new);
            if let (Some(key), Ok(result)) = (key, &outcome) {
                // Kept at once, not by an effect: the tab may be gone when the run ends.
                keep(key, result.clone());
            }
            state.set(Rc::new(match outcome {
                Ok(result) => ExperimentState {
                    running: false,
                    error: None,
                    result: Some(result),
                },
                Err(error) => ExperimentState {
                    running: false,
                    error: Some(error),
                    result: previous,
                },
            }));
        });
    }
}

/// An experiment slot for a view, with live telemetry while it runs.
#[hook]
pub fn use_experiment<R: 'static>() -> Experiment<R> {
    let state = use_state(|| Rc::new(ExperimentState::<R>::default()));
    let telemetry = use_telemetry(state.running);
    Experiment {
        state,
        telemetry,
        key: None,
    }
}

/// Like [`use_experiment`], but the last result is kept under `key` and shown again when the
/// view comes back (a tab switched away and back).
#[hook]
pub fn use_kept_experiment<R: 'static>(key: &'static str) -> Experiment<R> {
    let state = use_state(|| {
        Rc::new(ExperimentState::<R> {
            result: kept::<Rc<R>>(key),
            ..ExperimentState::default()
        })
    });
    let telemetry = use_telemetry(state.running);
    Experiment {
        state,
        telemetry,
        key: Some(key),
    }
}

/// Key of the experiment whose run started last on the page.
const LAST_RUN: &str = "last-run";
