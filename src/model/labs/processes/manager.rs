//! `manager`: `multiprocessing.Manager()`. One process (the manager) holds the only copy of a
//! dict and a lock; two worker processes reach them through proxies, each call a message to
//! the manager and its answer back. `d["n"] += 1` through a proxy is two calls, a get and a
//! set, so two workers can read the same `n` and one increment is lost, unless they hold
//! the manager's lock around the pair.

use crate::model::params::check_range;
use serde::{Deserialize, Serialize};

/// Most increments per worker (each is 2 or 4 round trips to the manager).
pub const MAX_INCREMENTS: u32 = 2_000;
/// Worker processes sharing the manager's dict.
pub const WORKERS: u32 = 2;

/// `run("manager", {increments, lock})`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ManagerParams {
    /// `d["n"] += 1` this many times in each worker.
    pub increments: u32,
    /// `with lock: d["n"] += 1`, the lock a `m.Lock()` proxy.
    pub lock: bool,
}

impl Default for ManagerParams {
    fn default() -> Self {
        ManagerParams {
            increments: 500,
            lock: false,
        }
    }
}

impl ManagerParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("increments", self.increments, 1, MAX_INCREMENTS)
    }
}

/// What one worker process reports of its increments (the page adds the pid).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkerCalls {
    pub pid: u32,
    /// Proxy calls it made (get, set, acquire, release), each a round trip.
    pub calls: u64,
    pub ms: f64,
}

/// `lab.run("manager", …)` resolves to this.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagerReport {
    pub increments: u32,
    pub lock: bool,
    /// `d["n"]` as the manager holds it at the end.
    pub counter: u64,
    pub expected: u64,
    pub lost_updates: u64,
    pub manager_pid: u32,
    pub workers: Vec<WorkerCalls>,
    /// Calls the manager answered (every worker's calls, counted at the server).
    pub served: u64,
    /// From the first call to the last answer.
    pub ms: f64,
    /// Time per proxy call in each worker (its time over its calls; the workers run at once),
    /// averaged over the workers.
    pub us_per_call: f64,
}

impl ManagerReport {
    pub fn new(
        params: &ManagerParams,
        counter: u64,
        manager_pid: u32,
        workers: Vec<WorkerCalls>,
        served: u64,
        ms: f64,
    ) -> ManagerReport {
        let expected = u64::from(params.increments) * u64::from(WORKERS);
        let per_call: Vec<f64> = workers
            .iter()
            .filter(|w| w.calls > 0)
            .map(|w| w.ms * 1000.0 / w.calls as f64)
            .collect();
        ManagerReport {
            increments: params.increments,
            lock: params.lock,
            counter,
            expected,
            lost_updates: expected.saturating_sub(counter),
            manager_pid,
            workers,
            served,
            ms,
            us_per_call: if per_call.is_empty() {
                0.0
            } else {
                per_call.iter().sum::<f64>() / per_call.len() as f64
            },
        }
    }

    /// Calls each increment costs: a get and a set, and an acquire and a release with the lock.
    pub fn calls_per_increment(lock: bool) -> u64 {
        if lock { 4 } else { 2 }
    }
}
