//! The event-loop model for Python: a subset of the language run on a machine whose loop is
//! asyncio's as CPython 3.11 runs it. `asyncio.run`, `sleep`, `gather` and `wait_for` are
//! CPython's own Python code trimmed to the subset (`py/prelude.py`), so they cost the same
//! loop iterations; the loop, futures and tasks (C in CPython) are the machine's.
//!
//! ```
//! use concurrency_lab::model::labs::event_loop::py::run_py;
//! let run = run_py("import asyncio
//! async def main():
//!     print('start')
//!     await asyncio.sleep(1)
//!     print('end')
//! asyncio.run(main())
//! ", 10_000).unwrap();
//! assert_eq!(run.output, ["start", "end"]);
//! assert_eq!(run.virtual_ms, 1000.0);
//! ```

mod compile;
pub mod life_cycle;
mod parser;
mod syntax;
mod value;
mod vm;

#[cfg(test)]
mod tests;

pub use super::js::{Pos, SourceError};
pub use vm::{PyEvent, PyEventKind, PyMachine, PySnapshot};

/// The model's asyncio, in the subset.
const PRELUDE: &str = include_str!("py/prelude.py");

/// Parses and compiles `source` (and the model's asyncio); errors name line, column, construct.
pub fn load(source: &str) -> Result<PyMachine, SourceError> {
    let library = compile::compile_module(&parser::parse_program(PRELUDE)?, true)?;
    let program = compile::compile_module(&parser::parse_program(source)?, false)?;
    Ok(PyMachine::new(library, program))
}

/// A program run to its end (or its step budget).
#[derive(Clone, Debug, PartialEq)]
pub struct PyRun {
    pub output: Vec<String>,
    pub steps: usize,
    pub virtual_ms: f64,
    /// The exception that ended the program (a traceback's last line), if one did.
    pub exception: Option<String>,
    /// Why the run stopped early, if it did.
    pub stopped: Option<String>,
}

pub fn run_py(source: &str, max_steps: usize) -> Result<PyRun, SourceError> {
    let mut machine = load(source)?;
    let (steps, stopped) = super::run_to_end(&mut machine, max_steps);
    Ok(PyRun {
        output: machine.output(),
        steps,
        virtual_ms: (machine.now_ms() * 1000.0).round() / 1000.0,
        exception: machine.uncaught().map(str::to_string),
        stopped,
    })
}

impl super::Stepping for PyMachine {
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
