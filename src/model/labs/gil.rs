//! The GIL lab: small Python-flavoured programs compiled to bytecode ([`bytecode`]) and run
//! by an interpreter ([`interp`]) on real worker threads, each of which must hold one global
//! interpreter lock to execute an instruction. Which instruction boundaries may hand the lock
//! over is the [`SwitchRule`], one per CPython era. Beside it, a scheduling model on a virtual
//! clock ([`sched`]) compares threads, a GIL, processes, coroutines and greenlets.
//!
//! Pure and deterministic: the runtime supplies the real lock, the clock and the threads.

pub mod bytecode;
pub mod interp;
pub mod lab;
pub mod parser;
pub mod sched;

pub use bytecode::{Op, Program};
pub use lab::{
    GilParams, GilReport, GilRun, SchedParams, SchedReport, SwitchRule, TaskSet, ThreadCountParams,
    ThreadCountReport, Workload,
};

#[cfg(test)]
mod tests;
