//! `process-loops`: many processes, each with its own event loop (the notes' multi-process
//! with coroutines, one loop per core). Each request waits (its IO, overlapped by the loop)
//! and then computes (one request at a time per loop); more loops compute side by side.

use crate::model::labs::processes::MAX_PROCESSES;
use crate::model::params::check_range;
use serde::{Deserialize, Serialize};

/// Most requests one run serves.
pub const MAX_REQUESTS: u32 = 64;
/// Most computing one run asks for in all (requests × `cpu_ms`), so a run stays short.
pub const MAX_TOTAL_CPU_MS: u32 = 4000;

/// `run("process-loops", {processes, requests, wait_ms, cpu_ms})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoopsParams {
    /// Processes in the second run, each with its own event loop (the first run has one).
    pub processes: u32,
    /// Requests in all, shared out as evenly as they go.
    pub requests: u32,
    /// Each request's wait (a timer on its process's loop: the IO).
    pub wait_ms: u32,
    /// Each request's computing after its wait (on its process's one thread).
    pub cpu_ms: u32,
}

impl Default for LoopsParams {
    fn default() -> Self {
        LoopsParams {
            processes: 2,
            requests: 16,
            wait_ms: 100,
            cpu_ms: 20,
        }
    }
}

impl LoopsParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("processes", self.processes, 1, MAX_PROCESSES)?;
        check_range("requests", self.requests, 1, MAX_REQUESTS)?;
        check_range("wait_ms", self.wait_ms, 0, 1000)?;
        check_range("cpu_ms", self.cpu_ms, 1, 100)?;
        let total = self.requests * self.cpu_ms;
        if total > MAX_TOTAL_CPU_MS {
            return Err(t!(
                "processes.loops.too_much_cpu",
                max = MAX_TOTAL_CPU_MS,
                total = total
            )
            .to_string());
        }
        Ok(())
    }

    /// How many requests each of `processes` loops serves: as even as they go.
    pub fn shares(&self, processes: u32) -> Vec<u32> {
        let processes = processes.max(1);
        (0..processes)
            .map(|p| self.requests / processes + u32::from(p < self.requests % processes))
            .collect()
    }

    /// The time `processes` loops need on `cores` cores: each overlaps all its waits, then
    /// computes its requests one after another; loops compute side by side up to the cores.
    pub fn expected_ms(&self, processes: u32, cores: u32) -> f64 {
        let busiest = self.shares(processes).into_iter().max().unwrap_or(0);
        let per_loop = f64::from(busiest * self.cpu_ms);
        let all_cores =
            f64::from(self.requests * self.cpu_ms) / f64::from(cores.clamp(1, processes.max(1)));
        f64::from(self.wait_ms) + per_loop.max(all_cores)
    }
}

/// One request as its process's loop served it, ms since the run began.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestTimes {
    /// Which of the run's processes served it (0-based).
    pub process: u32,
    pub start_ms: f64,
    /// When its loop resumed it after the wait, so its computing began: the timer's time,
    /// or later if the loop was busy computing another request then.
    pub waited_ms: f64,
    pub end_ms: f64,
}

/// One run: `processes` loops serving all the requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopsRun {
    pub processes: u32,
    /// From the first request sent to the last answer (processes already started).
    pub ms: f64,
    pub expected_ms: f64,
    pub requests: Vec<RequestTimes>,
}

impl LoopsRun {
    /// The most requests computing at the same moment in this run.
    pub fn most_computing_at_once(&self) -> u32 {
        let mut edges: Vec<(f64, i32)> = self
            .requests
            .iter()
            .flat_map(|r| [(r.waited_ms, 1), (r.end_ms, -1)])
            .collect();
        // Ends before starts at the same instant: touching is not overlapping.
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut now, mut most) = (0i32, 0i32);
        for (_, step) in edges {
            now += step;
            most = most.max(now);
        }
        most as u32
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopsReport {
    pub one_loop: LoopsRun,
    pub many_loops: LoopsRun,
    /// `one_loop.ms / many_loops.ms`.
    pub speedup: f64,
    /// The most requests computing at once in each run: 1 in one loop, up to the processes
    /// (and the cores) in many.
    pub one_loop_most_computing: u32,
    pub many_loops_most_computing: u32,
    /// `navigator.hardwareConcurrency`, which the expectations assume.
    pub cores: u32,
    pub wait_ms: u32,
    pub cpu_ms: u32,
}

impl LoopsReport {
    pub fn new(one_loop: LoopsRun, many_loops: LoopsRun, cores: u32, params: &LoopsParams) -> Self {
        LoopsReport {
            speedup: one_loop.ms / many_loops.ms.max(f64::EPSILON),
            one_loop_most_computing: one_loop.most_computing_at_once(),
            many_loops_most_computing: many_loops.most_computing_at_once(),
            one_loop,
            many_loops,
            cores,
            wait_ms: params.wait_ms,
            cpu_ms: params.cpu_ms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_shared_evenly_and_the_busiest_loop_sets_the_time() {
        let p = LoopsParams {
            requests: 7,
            ..LoopsParams::default()
        };
        assert_eq!(p.shares(1), [7]);
        assert_eq!(p.shares(3), [3, 2, 2]);
        assert_eq!(p.shares(8), [1, 1, 1, 1, 1, 1, 1, 0]);
        // Defaults: 100 ms of waiting overlapped, then 16 × 20 ms in one loop, 8 × 20 in two.
        let d = LoopsParams::default();
        assert_eq!(d.expected_ms(1, 2), 100.0 + 320.0);
        assert_eq!(d.expected_ms(2, 2), 100.0 + 160.0);
        // Four loops on two cores compute no faster than two.
        assert_eq!(d.expected_ms(4, 2), 100.0 + 160.0);
        assert_eq!(d.expected_ms(4, 4), 100.0 + 80.0);
    }

    #[test]
    fn bounds_name_their_field() {
        let err = LoopsParams {
            requests: 64,
            cpu_ms: 100,
            ..LoopsParams::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            err,
            "requests × cpu_ms must be at most 4000 ms of computing, not 6400"
        );
        for (params, field) in [
            (
                LoopsParams {
                    processes: 9,
                    ..LoopsParams::default()
                },
                "processes",
            ),
            (
                LoopsParams {
                    requests: 0,
                    ..LoopsParams::default()
                },
                "requests",
            ),
            (
                LoopsParams {
                    wait_ms: 1001,
                    ..LoopsParams::default()
                },
                "wait_ms",
            ),
            (
                LoopsParams {
                    cpu_ms: 0,
                    ..LoopsParams::default()
                },
                "cpu_ms",
            ),
        ] {
            let err = params.validate().unwrap_err();
            assert!(err.contains(field), "{err}");
        }
        assert_eq!(LoopsParams::default().validate(), Ok(()));
    }

    #[test]
    fn overlap_counts_computing_requests_at_the_same_moment() {
        let request = |process, waited_ms, end_ms| RequestTimes {
            process,
            start_ms: 0.0,
            waited_ms,
            end_ms,
        };
        let run = LoopsRun {
            processes: 2,
            ms: 50.0,
            expected_ms: 40.0,
            requests: vec![
                request(0, 10.0, 20.0),
                request(0, 20.0, 30.0),
                request(1, 10.0, 20.0),
                request(1, 25.0, 35.0),
            ],
        };
        assert_eq!(run.most_computing_at_once(), 2);
        let serial = LoopsRun {
            requests: vec![request(0, 10.0, 20.0), request(0, 20.0, 30.0)],
            ..run.clone()
        };
        assert_eq!(serial.most_computing_at_once(), 1);
        let report = LoopsReport::new(run.clone(), serial, 2, &LoopsParams::default());
        assert_eq!(
            (
                report.one_loop_most_computing,
                report.many_loops_most_computing
            ),
            (2, 1)
        );
        assert_eq!(report.speedup, 1.0);
    }
}
