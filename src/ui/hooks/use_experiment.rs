//! The life of one experiment run in a view: start it, poll its telemetry while it runs,
//! keep its result or its error. The run itself is a runtime future (it never blocks).

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
}

// Manual: a derive would demand `R: Clone`, but only handles are cloned.
impl<R: 'static> Clone for Experiment<R> {
    fn clone(&self) -> Self {
        Experiment {
            state: self.state.clone(),
            telemetry: self.telemetry.clone(),
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
        let previous = self.state.result.clone();
        self.state.set(Rc::new(ExperimentState {
            running: true,
            error: None,
            result: previous.clone(),
        }));
        let (state, poll) = (self.state.clone(), self.telemetry.poll.clone());
        yew::platform::spawn_local(async move {
            let outcome = run.await;
            poll.emit(true);
            state.set(Rc::new(match outcome {
                Ok(result) => ExperimentState {
                    running: false,
                    error: None,
                    result: Some(Rc::new(result)),
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
    Experiment { state, telemetry }
}
