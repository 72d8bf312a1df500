//! The cores lab's parameters, and the arithmetic that turns measurements into a report.
//!
//! The runtime measures (wall times, time each worker spent inside work items, checksum);
//! this module validates what may be asked for and derives speedup, parallel efficiency and
//! CPU use, so those formulas are tested natively and shared by the UI and
//! `window.lab.run("cores", …)`.
//!
//! A browser cannot read CPU time per thread: a worker the OS descheduled in the middle of a
//! work item still looks busy to the clock. So CPU use is *derived* from what can be
//! observed, the work rate against the one-thread rate, and never exceeds the cores.

use crate::model::mandelbrot::View;
use crate::model::params::check_range;
use crate::model::stats::Summary;
use serde::{Deserialize, Serialize};

/// How the work is spread over `threads`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// `threads` workers pull chunks at the same time: parallelism.
    #[default]
    Parallel,
    /// `threads` tasks take turns on ONE worker thread: concurrency without parallelism.
    Interleaved,
}

impl Schedule {
    /// Threads that really run: all of them in parallel, one when tasks take turns.
    pub fn threads_used(self, threads: u32) -> u32 {
        match self {
            Schedule::Parallel => threads,
            Schedule::Interleaved => 1,
        }
    }

    /// "2 threads" or "2 tasks on 1 thread": what a run with `threads` really is, in the
    /// page's language.
    pub fn describe(self, threads: u32) -> String {
        match (self, threads) {
            (Schedule::Parallel, 1) => t!("cores.model.one_thread"),
            (Schedule::Parallel, n) => t!("cores.model.threads", n = n),
            (Schedule::Interleaved, 1) => t!("cores.model.one_task"),
            (Schedule::Interleaved, n) => t!("cores.model.tasks", n = n),
        }
        .to_string()
    }
}

/// What a visitor (or the console API) may ask the cores lab for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CoresParams {
    pub threads: u32,
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
    /// Rows per work item; small chunks balance uneven rows better but cost more hand-offs.
    pub chunk_rows: u32,
    pub schedule: Schedule,
    /// Measurements per thread count; the report uses the median.
    pub repeats: u32,
}

impl Default for CoresParams {
    fn default() -> Self {
        CoresParams {
            threads: 2,
            width: 640,
            height: 400,
            max_iter: 1000,
            chunk_rows: 4,
            schedule: Schedule::Parallel,
            repeats: 1,
        }
    }
}

/// Bounds that keep one run under a few seconds and its image under 16 MB.
pub const MAX_SIDE: u32 = 2048;
pub const MIN_SIDE: u32 = 16;
pub const MAX_ITER: u32 = 20_000;
pub const MAX_REPEATS: u32 = 7;

impl CoresParams {
    /// Checks every field; `max_threads` is the number of compute workers available.
    pub fn validate(&self, max_threads: u32) -> Result<(), String> {
        if max_threads == 0 {
            return Err(
                "no worker threads are available (is the page cross-origin isolated?)".into(),
            );
        }
        check_range("threads", self.threads, 1, max_threads)?;
        check_range("width", self.width, MIN_SIDE, MAX_SIDE)?;
        check_range("height", self.height, MIN_SIDE, MAX_SIDE)?;
        check_range("max_iter", self.max_iter, 1, MAX_ITER)?;
        check_range("chunk_rows", self.chunk_rows, 1, self.height)?;
        check_range("repeats", self.repeats, 1, MAX_REPEATS)?;
        Ok(())
    }

    /// The image this run renders.
    pub fn view(&self) -> View {
        View::classic(self.width, self.height, self.max_iter)
    }

    /// Number of work items the rows are cut into.
    pub fn chunk_count(&self) -> u32 {
        self.height.div_ceil(self.chunk_rows)
    }

    /// Rows of work item `chunk` (the last one may be shorter).
    pub fn chunk_rows_range(&self, chunk: u32) -> std::ops::Range<u32> {
        let start = chunk * self.chunk_rows;
        start..(start + self.chunk_rows).min(self.height)
    }
}

/// Facts about the machine and page that every report carries.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Machine {
    /// `navigator.hardwareConcurrency`: logical cores the browser reports.
    pub cores: u32,
    /// Worker threads available to labs.
    pub pool_threads: u32,
    pub cross_origin_isolated: bool,
    pub user_agent: String,
}

/// What one worker did during one measured run.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LaneUse {
    /// Worker index in the pool.
    pub lane: u32,
    pub chunks: u32,
    /// Wall time this worker spent inside work items. Not CPU time: it includes any time the
    /// OS gave the core to another thread.
    pub active_ms: f64,
}

/// One measured render.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measured {
    pub threads: u32,
    pub wall_ms: f64,
    pub checksum: u64,
    pub lanes: Vec<LaneUse>,
}

/// The cores lab's result, as shown in the page and returned to the console.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoresReport {
    pub lab: &'static str,
    pub threads: u32,
    pub schedule: Schedule,
    /// Median wall time with `threads`.
    pub wall_ms: f64,
    /// Median wall time of the same work on one thread, measured in the same run.
    pub baseline_ms: f64,
    pub speedup: f64,
    /// Speedup per thread really used (one for `interleaved`).
    pub efficiency: f64,
    /// Threads that ran at once: `threads`, or 1 for `interleaved`.
    pub threads_used: u32,
    /// "2 threads" or "4 tasks on 1 thread".
    pub describe: String,
    /// CPU use derived from the work rate: 100 × baseline / wall, at most cores × 100.
    pub cpu_percent: f64,
    pub cpu_text: String,
    /// How `cpu_percent` is obtained, in one sentence.
    pub cpu_method: String,
    pub cores: u32,
    pub pool_threads: u32,
    pub cross_origin_isolated: bool,
    pub user_agent: String,
    pub checksum: u64,
    pub same_as_baseline: bool,
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
    pub chunk_rows: u32,
    pub repeats: u32,
    pub wall_ms_samples: Vec<f64>,
    pub baseline_ms_samples: Vec<f64>,
    pub lanes: Vec<LaneUse>,
}

/// Speedup of a run over the one-thread baseline.
pub fn speedup(baseline_ms: f64, wall_ms: f64) -> f64 {
    if wall_ms > 0.0 {
        baseline_ms / wall_ms
    } else {
        0.0
    }
}

/// Parallel efficiency: speedup per thread that ran (1.0 is perfect scaling).
pub fn efficiency(speedup: f64, threads: u32) -> f64 {
    if threads == 0 {
        0.0
    } else {
        speedup / f64::from(threads)
    }
}

/// What [`cpu_percent`] measures, as the page and the report say it.
pub fn cpu_method() -> String {
    t!("cores.model.cpu_method").to_string()
}

/// CPU use the way a task manager shows it (100 % per fully busy core), derived from the work
/// rate: the same work took `baseline_ms` on one busy thread and `wall_ms` now, so about
/// `baseline_ms / wall_ms` cores' worth of computing happened per unit of time. Capped at
/// `cores × 100`: more can never run at once, whatever the timer's noise says.
pub fn cpu_percent(baseline_ms: f64, wall_ms: f64, cores: u32) -> f64 {
    if wall_ms > 0.0 {
        (100.0 * baseline_ms / wall_ms).min(100.0 * f64::from(cores.max(1)))
    } else {
        0.0
    }
}

/// "≈ 196 % of 2 cores", the phrasing of the notes' CPU-meter experiment.
pub fn cpu_text(cpu_percent: f64, cores: u32) -> String {
    let percent = format!("{cpu_percent:.0}");
    if cores == 1 {
        t!("cores.model.cpu_of_one_core", percent = percent)
    } else {
        t!("cores.model.cpu_of_cores", percent = percent, cores = cores)
    }
    .to_string()
}

/// Builds the report from the baseline and the measured runs (both non-empty).
pub fn report(
    params: &CoresParams,
    baseline: &[Measured],
    runs: &[Measured],
    machine: &Machine,
) -> Option<CoresReport> {
    let median = |ms: &[Measured]| {
        Summary::of(&ms.iter().map(|m| m.wall_ms).collect::<Vec<_>>()).map(|s| s.median)
    };
    let baseline_ms = median(baseline)?;
    let wall_ms = median(runs)?;
    // The run whose wall time is closest to the median stands for the lane breakdown.
    let typical = runs.iter().min_by(|a, b| {
        (a.wall_ms - wall_ms)
            .abs()
            .total_cmp(&(b.wall_ms - wall_ms).abs())
    })?;
    let speed = speedup(baseline_ms, wall_ms);
    let cpu = cpu_percent(baseline_ms, wall_ms, machine.cores);
    let threads_used = params.schedule.threads_used(params.threads);
    let reference = baseline[0].checksum;
    Some(CoresReport {
        lab: "cores",
        threads: params.threads,
        schedule: params.schedule,
        wall_ms,
        baseline_ms,
        speedup: speed,
        efficiency: efficiency(speed, threads_used),
        threads_used,
        describe: params.schedule.describe(params.threads),
        cpu_percent: cpu,
        cpu_text: cpu_text(cpu, machine.cores),
        cpu_method: cpu_method(),
        cores: machine.cores,
        pool_threads: machine.pool_threads,
        cross_origin_isolated: machine.cross_origin_isolated,
        user_agent: machine.user_agent.clone(),
        checksum: typical.checksum,
        same_as_baseline: baseline.iter().chain(runs).all(|m| m.checksum == reference),
        width: params.width,
        height: params.height,
        max_iter: params.max_iter,
        chunk_rows: params.chunk_rows,
        repeats: params.repeats,
        wall_ms_samples: runs.iter().map(|m| m.wall_ms).collect(),
        baseline_ms_samples: baseline.iter().map(|m| m.wall_ms).collect(),
        lanes: typical.lanes.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::params::parse_json;

    fn measured(threads: u32, wall_ms: f64, checksum: u64) -> Measured {
        Measured {
            threads,
            wall_ms,
            checksum,
            lanes: vec![],
        }
    }

    #[test]
    fn defaults_are_valid_and_bounds_are_named() {
        let p = CoresParams::default();
        assert!(p.validate(2).is_ok());
        let too_many = CoresParams {
            threads: 3,
            ..p.clone()
        };
        assert_eq!(
            too_many.validate(2).unwrap_err(),
            "threads must be between 1 and 2 (got 3)"
        );
        let wide = CoresParams {
            width: 5000,
            ..p.clone()
        };
        assert!(
            wide.validate(2)
                .unwrap_err()
                .starts_with("width must be between")
        );
        assert!(p.validate(0).unwrap_err().contains("cross-origin isolated"));
    }

    #[test]
    fn console_json_is_parsed_with_defaults_and_rejects_typos() {
        let p: CoresParams =
            parse_json("cores", r#"{"threads": 2, "schedule": "interleaved"}"#).unwrap();
        assert_eq!(
            (p.threads, p.schedule, p.width),
            (2, Schedule::Interleaved, 640)
        );
        assert!(parse_json::<CoresParams>("cores", r#"{"thread": 2}"#).is_err());
        assert!(parse_json::<CoresParams>("cores", r#"{"schedule": "magic"}"#).is_err());
    }

    #[test]
    fn chunks_cover_every_row_exactly_once() {
        let p = CoresParams {
            height: 10,
            chunk_rows: 4,
            ..CoresParams::default()
        };
        assert_eq!(p.chunk_count(), 3);
        let rows: Vec<u32> = (0..p.chunk_count())
            .flat_map(|c| p.chunk_rows_range(c))
            .collect();
        assert_eq!(rows, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn report_uses_medians_and_checks_answers() {
        let params = CoresParams {
            threads: 2,
            repeats: 3,
            ..CoresParams::default()
        };
        let machine = Machine {
            cores: 2,
            pool_threads: 2,
            cross_origin_isolated: true,
            user_agent: "t".into(),
        };
        let base = [
            measured(1, 100.0, 7),
            measured(1, 110.0, 7),
            measured(1, 90.0, 7),
        ];
        let runs = [
            measured(2, 55.0, 7),
            measured(2, 50.0, 7),
            measured(2, 60.0, 7),
        ];
        let r = report(&params, &base, &runs, &machine).unwrap();
        assert_eq!((r.baseline_ms, r.wall_ms), (100.0, 55.0));
        assert!((r.speedup - 100.0 / 55.0).abs() < 1e-12);
        assert!((r.efficiency - 100.0 / 110.0).abs() < 1e-12);
        assert!((r.cpu_percent - 100.0 * 100.0 / 55.0).abs() < 1e-9);
        assert_eq!(r.cpu_text, "≈ 182 % of 2 cores");
        assert_eq!((r.threads_used, r.describe.as_str()), (2, "2 threads"));
        assert!(r.same_as_baseline);
        let wrong = [measured(2, 50.0, 8)];
        assert!(
            !report(&params, &base, &wrong, &machine)
                .unwrap()
                .same_as_baseline
        );
        assert!(report(&params, &[], &runs, &machine).is_none());
    }

    #[test]
    fn degenerate_inputs_do_not_divide_by_zero() {
        assert_eq!(speedup(10.0, 0.0), 0.0);
        assert_eq!(efficiency(2.0, 0), 0.0);
        assert_eq!(cpu_percent(5.0, 0.0, 2), 0.0);
        assert_eq!(cpu_text(100.0, 1), "≈ 100 % of 1 core");
    }

    fn two_cores() -> Machine {
        Machine {
            cores: 2,
            pool_threads: 6,
            cross_origin_isolated: true,
            user_agent: "t".into(),
        }
    }

    #[test]
    fn six_threads_on_two_cores_never_report_more_than_two_cores() {
        // Six workers share two cores: each chunk's wall span is about three times its CPU
        // time, which the old busy-time sum reported as ≈ 600 %. The derived figure cannot.
        let params = CoresParams {
            threads: 6,
            ..CoresParams::default()
        };
        let base = [measured(1, 300.0, 7)];
        let noisy_fast = [measured(6, 140.0, 7)]; // 2.14× on 2 cores: timer noise
        let r = report(&params, &base, &noisy_fast, &two_cores()).unwrap();
        assert_eq!(r.cpu_percent, 200.0);
        assert_eq!(r.cpu_text, "≈ 200 % of 2 cores");
        let realistic = [measured(6, 160.0, 7)];
        let r = report(&params, &base, &realistic, &two_cores()).unwrap();
        assert!((r.cpu_percent - 187.5).abs() < 1e-9);
        assert!((r.efficiency - 300.0 / 160.0 / 6.0).abs() < 1e-12);
        assert!(r.cpu_method.contains("cannot read CPU time"));
    }

    #[test]
    fn tasks_taking_turns_count_as_one_thread() {
        let params = CoresParams {
            threads: 4,
            schedule: Schedule::Interleaved,
            ..CoresParams::default()
        };
        let base = [measured(1, 200.0, 7)];
        let turns = [measured(4, 210.0, 7)];
        let r = report(&params, &base, &turns, &two_cores()).unwrap();
        assert_eq!(r.threads_used, 1);
        assert_eq!(r.describe, "4 tasks on 1 thread");
        // Efficiency per thread that ran: 0.95, not 0.95 / 4.
        assert!((r.efficiency - 200.0 / 210.0).abs() < 1e-12);
        assert!((r.cpu_percent - 100.0 * 200.0 / 210.0).abs() < 1e-9);
        assert_eq!(Schedule::Interleaved.describe(1), "1 task on 1 thread");
    }
}
