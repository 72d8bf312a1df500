//! The cores lab on real workers: render the Mandelbrot view on 1…N threads and measure.
//!
//! Rows are cut into chunks handed out by one atomic counter (dynamic work sharing), so
//! uneven rows do not leave a worker idle. Each chunk is recorded as a telemetry span on
//! the worker that computed it; the wall time is measured around the whole render.

use crate::model::labs::cores::{
    CoresParams, CoresReport, LaneUse, Machine, Measured, Schedule, report,
};
use crate::model::mandelbrot::{View, render_row};
use crate::model::thread_state::ThreadState;
use crate::runtime::cancel::RunToken;
use crate::runtime::telemetry::{self, Span};
use crate::runtime::{clock, env, pool};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// Phase marks on the timeline: the label is `PHASE_BASE + threads`.
pub const PHASE_BASE: u32 = 1000;

/// A finished comparison: the report plus the last parallel image for the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct CoresOutcome {
    pub report: CoresReport,
    /// Escape iterations per pixel, row-major.
    pub image: Vec<u32>,
    /// Logical task that computed each row (for the "who did what" overlay).
    pub row_task: Vec<u32>,
    pub run_start_ms: f64,
}

/// Validates, then measures a 1-thread baseline and `params.threads` on the pool.
pub async fn run(params: CoresParams) -> Result<CoresOutcome, String> {
    params.validate(pool::threads())?;
    let machine = env::machine();
    pool::submit(move |token| measure(&params, &machine, token)).await?
}

/// Measures one thread count after another (1, 2, …, `max_threads`) in one job, for the
/// speedup chart. Each report's baseline is the same 1-thread measurement.
pub async fn sweep(params: CoresParams, max_threads: u32) -> Result<Vec<CoresReport>, String> {
    params.validate(pool::threads())?;
    let top = max_threads.clamp(1, pool::threads());
    let machine = env::machine();
    pool::submit(move |token| {
        let chunks = u64::from(params.chunk_count());
        telemetry::reset(chunks * u64::from(params.repeats) * u64::from(top));
        warm_up(token);
        let mut baseline = Vec::new();
        let mut reports = Vec::new();
        for threads in 1..=top {
            let p = CoresParams {
                threads,
                ..params.clone()
            };
            let mut runs = Vec::new();
            for _ in 0..p.repeats {
                runs.push(render(&p, token)?.0);
            }
            if threads == 1 {
                baseline = runs.clone();
            }
            reports.push(report(&p, &baseline, &runs, &machine).ok_or("no measurement")?);
        }
        Ok(reports)
    })
    .await?
}

fn measure(
    params: &CoresParams,
    machine: &Machine,
    token: RunToken,
) -> Result<CoresOutcome, String> {
    let chunks = u64::from(params.chunk_count());
    telemetry::reset(chunks * u64::from(params.repeats) * 2);
    let run_start_ms = clock::now_ms();
    warm_up(token);
    let one = CoresParams {
        threads: 1,
        ..params.clone()
    };
    let mut baseline = Vec::new();
    for _ in 0..params.repeats {
        baseline.push(render(&one, token)?.0);
    }
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..params.repeats {
        let (measured, image, row_task) = render(params, token)?;
        runs.push(measured);
        last = Some((image, row_task));
    }
    let (image, row_task) = last.ok_or("no measurement")?;
    let report = report(params, &baseline, &runs, machine).ok_or("no measurement")?;
    Ok(CoresOutcome {
        report,
        image,
        row_task,
        run_start_ms,
    })
}

static WARMED: AtomicBool = AtomicBool::new(false);

/// The browser first runs wasm from a quick baseline compile and swaps in optimised code
/// later, compiled in the background (on a 2-core machine, competing with our workers).
/// Timing before that swap made the first baseline look twice as slow. So: render a small
/// slice repeatedly until two passes agree within 10 % (at least 150 ms, at most 1.5 s).
/// Once per page; not recorded.
fn warm_up(token: RunToken) {
    if WARMED.swap(true, Ordering::Relaxed) {
        return;
    }
    // A fixed, small view: the warm-up must not grow with what the visitor asked for.
    let view = View::classic(320, 24, 600);
    let mut row = vec![0; view.width as usize];
    let begin = clock::now_ms();
    let mut previous = f64::INFINITY;
    loop {
        let pass_start = clock::now_ms();
        for y in 0..view.height {
            render_row(&view, y, &mut row);
        }
        let now = clock::now_ms();
        let pass = now - pass_start;
        let settled = (pass - previous).abs() <= 0.1 * previous;
        if (settled && now - begin >= 150.0) || now - begin >= 1500.0 || token.is_cancelled() {
            break;
        }
        previous = pass;
    }
}

/// Output rows written by several workers at once.
struct SharedImage {
    pixels: *mut u32,
    row_task: *mut u32,
    width: usize,
}

// SAFETY: every chunk index is handed out exactly once by an atomic counter, so no two
// threads ever write the same row; the buffers outlive the scope that uses them.
unsafe impl Sync for SharedImage {}

impl SharedImage {
    /// # Safety
    /// `y` must be a row no other thread writes concurrently.
    #[expect(clippy::mut_from_ref, reason = "rows are disjoint between threads")]
    unsafe fn row(&self, y: u32) -> &mut [u32] {
        unsafe {
            std::slice::from_raw_parts_mut(self.pixels.add(y as usize * self.width), self.width)
        }
    }

    /// # Safety
    /// As for [`SharedImage::row`].
    unsafe fn set_task(&self, y: u32, task: u32) {
        unsafe { *self.row_task.add(y as usize) = task };
    }
}

type Rendered = (Measured, Vec<u32>, Vec<u32>);

/// One timed render with `params.threads` under `params.schedule`.
fn render(params: &CoresParams, token: RunToken) -> Result<Rendered, String> {
    let view = params.view();
    let mut pixels = vec![0u32; view.pixels()];
    let mut row_task = vec![0u32; view.height as usize];
    let image = SharedImage {
        pixels: pixels.as_mut_ptr(),
        row_task: row_task.as_mut_ptr(),
        width: view.width as usize,
    };
    let next_chunk = AtomicU32::new(0);
    let checksum = AtomicU64::new(0);
    let lanes: Mutex<Vec<LaneUse>> = Mutex::new(Vec::new());

    let start = clock::now_ms();
    telemetry::mark(PHASE_BASE + params.threads, start);
    match params.schedule {
        Schedule::Parallel => crate::runtime::pool::scope(|scope| {
            for task in 0..params.threads {
                let (image, next_chunk, checksum, lanes) = (&image, &next_chunk, &checksum, &lanes);
                scope.spawn(move |_| {
                    let lane = current_lane();
                    let use_ = work_loop(params, &view, image, token, lane, |_| {
                        let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                        (chunk < params.chunk_count()).then_some((chunk, task))
                    });
                    checksum.fetch_add(use_.1, Ordering::Relaxed);
                    merge_lane(lanes, use_.0);
                });
            }
        }),
        Schedule::Interleaved => {
            // Every task gets a turn in rotation on this one worker: chunk c belongs to
            // task c mod threads. Concurrency (all tasks progress) without parallelism.
            let lane = current_lane();
            let use_ = work_loop(params, &view, &image, token, lane, |_| {
                let chunk = next_chunk.fetch_add(1, Ordering::Relaxed);
                (chunk < params.chunk_count()).then_some((chunk, chunk % params.threads))
            });
            checksum.fetch_add(use_.1, Ordering::Relaxed);
            merge_lane(&lanes, use_.0);
        }
    }
    let wall_ms = clock::now_ms() - start;
    if token.is_cancelled() {
        return Err("cancelled".into());
    }
    let mut lanes = lanes
        .into_inner()
        .map_err(|_| "a worker failed while recording")?;
    lanes.sort_by_key(|l| l.lane);
    let measured = Measured {
        threads: params.threads,
        wall_ms,
        checksum: checksum.into_inner(),
        lanes,
    };
    Ok((measured, pixels, row_task))
}

fn current_lane() -> u32 {
    crate::runtime::pool::worker_index()
}

/// Pulls `(chunk, task)` items until none are left or the run is cancelled, rendering
/// and recording each. Returns this lane's use and its checksum contribution.
fn work_loop(
    params: &CoresParams,
    view: &View,
    image: &SharedImage,
    token: RunToken,
    lane: u32,
    mut next: impl FnMut(u32) -> Option<(u32, u32)>,
) -> (LaneUse, u64) {
    let mut use_ = LaneUse {
        lane,
        chunks: 0,
        active_ms: 0.0,
    };
    let mut sum = 0u64;
    telemetry::set_lane_state(lane as usize, ThreadState::Working);
    while !token.is_cancelled() {
        let Some((chunk, task)) = next(lane) else {
            break;
        };
        let begin = clock::now_ms();
        for y in params.chunk_rows_range(chunk) {
            // Checked per row: one row of a large view at a high limit is ~0.1 s.
            if token.is_cancelled() {
                break;
            }
            // SAFETY: this chunk (and so row y) was handed to this thread alone.
            unsafe {
                sum += render_row(view, y, image.row(y));
                image.set_task(y, task);
            }
        }
        let end = clock::now_ms();
        telemetry::record(Span {
            lane,
            state: ThreadState::Working,
            label: task,
            start_ms: begin,
            end_ms: end,
        });
        telemetry::progress_add(1);
        use_.chunks += 1;
        use_.active_ms += end - begin;
    }
    telemetry::set_lane_state(lane as usize, ThreadState::Idle);
    (use_, sum)
}

fn merge_lane(lanes: &Mutex<Vec<LaneUse>>, use_: LaneUse) {
    // Only workers reach this lock, never the page's main thread.
    let mut lanes = lanes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match lanes.iter_mut().find(|l| l.lane == use_.lane) {
        Some(existing) => {
            existing.chunks += use_.chunks;
            existing.active_ms += use_.active_ms;
        }
        None => lanes.push(use_),
    }
}
