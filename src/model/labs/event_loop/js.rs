//! The event-loop model for JavaScript: a subset of the language, parsed, compiled and run
//! on a machine whose queues are the ones ECMAScript and HTML specify (promise jobs as
//! microtasks, a checkpoint after every task, timers on a virtual clock).
//!
//! ```
//! use concurrency_lab::model::labs::event_loop::js::run_js;
//! let run = run_js("setTimeout(() => console.log('timer'), 0);
//! Promise.resolve().then(() => console.log('microtask'));
//! console.log('script');", 10_000).unwrap();
//! assert_eq!(run.output, ["script", "microtask", "timer"]);
//! ```

mod compile;
mod parser;
mod syntax;
mod value;
mod vm;

#[cfg(test)]
mod tests;

pub use syntax::{Pos, SourceError};
pub use vm::{JsEvent, JsEventKind, JsMachine, JsSnapshot, MAX_OPS};

/// Parses and compiles `source`; errors name the line, the column and the construct.
pub fn load(source: &str) -> Result<JsMachine, SourceError> {
    let (body, top_await) = parser::parse_program(source)?;
    let script = compile::compile_script(&body, top_await)?;
    Ok(JsMachine::new(script))
}

/// Whether the program awaits at its top level: it then runs as a module body, an async
/// function's (the real run wraps it the same way).
pub fn has_top_level_await(source: &str) -> bool {
    parser::parse_program(source).is_ok_and(|(_, top_await)| top_await)
}

/// A program run to its end (or its step budget).
#[derive(Clone, Debug, PartialEq)]
pub struct JsRun {
    pub output: Vec<String>,
    pub steps: usize,
    pub virtual_ms: f64,
    pub queues_seen: Vec<&'static str>,
    /// Reasons of promises rejected and never handled.
    pub unhandled: Vec<String>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
}

/// Runs `source` for at most `max_steps` events.
pub fn run_js(source: &str, max_steps: usize) -> Result<JsRun, SourceError> {
    let mut machine = load(source)?;
    let (steps, stopped) = super::run_to_end(&mut machine, max_steps);
    Ok(JsRun {
        output: machine.output().to_vec(),
        steps,
        virtual_ms: machine.now_ms(),
        queues_seen: machine.queues_seen(),
        unhandled: machine.unhandled(),
        stopped,
    })
}

impl super::Stepping for JsMachine {
    fn step_once(&mut self) -> bool {
        self.step().is_some()
    }

    fn is_done(&self) -> bool {
        self.is_finished()
    }

    fn failure(&self) -> Option<&str> {
        self.error()
    }
}
