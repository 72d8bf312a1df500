//! Lock-free, shared-memory telemetry: workers record spans, the UI reads them each frame.
//!
//! Record → aggregate → view, as in tokio-console. A writer claims a slot with one
//! `fetch_add`, fills it, then publishes it by storing the current generation into the
//! slot's `seq` (Release). The reader stops at the first unpublished slot and resumes there
//! on the next frame. The buffer is fixed; spans past its end are counted as dropped and
//! the count is shown, never hidden. Nothing here waits, so the main thread may read.

use crate::model::thread_state::ThreadState;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};

/// Spans kept per run.
pub const CAPACITY: usize = 16_384;
/// Lanes (worker indices) whose live state is tracked.
pub const MAX_LANES: usize = 64;
/// The pseudo-lane of phase marks ("1 thread", "2 threads", …).
pub const MARK_LANE: u32 = u32::MAX;

/// One interval in one thread's life.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    /// Worker index (or [`MARK_LANE`]).
    pub lane: u32,
    pub state: ThreadState,
    /// Lab-defined: the logical task in the cores lab, a phase code for marks.
    pub label: u32,
    pub start_ms: f64,
    pub end_ms: f64,
}

struct Slot {
    seq: AtomicU32,
    lane: AtomicU32,
    state: AtomicU32,
    label: AtomicU32,
    start: AtomicU64,
    end: AtomicU64,
}

impl Slot {
    const fn new() -> Slot {
        Slot {
            seq: AtomicU32::new(0),
            lane: AtomicU32::new(0),
            state: AtomicU32::new(0),
            label: AtomicU32::new(0),
            start: AtomicU64::new(0),
            end: AtomicU64::new(0),
        }
    }
}

static SLOTS: [Slot; CAPACITY] = [const { Slot::new() }; CAPACITY];
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// Starts at 1 so that a never-written slot (seq 0) is never taken as published.
static GENERATION: AtomicU32 = AtomicU32::new(1);
static DROPPED: AtomicU64 = AtomicU64::new(0);
static PROGRESS_DONE: AtomicU64 = AtomicU64::new(0);
static PROGRESS_TOTAL: AtomicU64 = AtomicU64::new(0);
static LANE_STATES: [AtomicU32; MAX_LANES] = [const { AtomicU32::new(0) }; MAX_LANES];

/// Starts a new recording (call at the start of a run, before any worker records).
pub fn reset(progress_total: u64) {
    GENERATION.fetch_add(1, Ordering::AcqRel);
    NEXT.store(0, Ordering::Release);
    DROPPED.store(0, Ordering::Relaxed);
    PROGRESS_DONE.store(0, Ordering::Relaxed);
    PROGRESS_TOTAL.store(progress_total, Ordering::Relaxed);
}

/// Records one span; never blocks, drops (and counts) when the buffer is full.
pub fn record(span: Span) {
    let generation = GENERATION.load(Ordering::Acquire);
    let index = NEXT.fetch_add(1, Ordering::AcqRel);
    let Some(slot) = SLOTS.get(index) else {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        return;
    };
    slot.lane.store(span.lane, Ordering::Relaxed);
    slot.state.store(span.state.code(), Ordering::Relaxed);
    slot.label.store(span.label, Ordering::Relaxed);
    slot.start.store(span.start_ms.to_bits(), Ordering::Relaxed);
    slot.end.store(span.end_ms.to_bits(), Ordering::Relaxed);
    slot.seq.store(generation, Ordering::Release);
}

/// Records a phase mark at `at_ms` (drawn as a labelled line across the timeline).
pub fn mark(label: u32, at_ms: f64) {
    record(Span {
        lane: MARK_LANE,
        state: ThreadState::Working,
        label,
        start_ms: at_ms,
        end_ms: at_ms,
    });
}

/// Counts finished work items for the progress bar.
pub fn progress_add(done: u64) {
    PROGRESS_DONE.fetch_add(done, Ordering::Relaxed);
}

/// `(done, total)` work items of the current run.
pub fn progress() -> (u64, u64) {
    (
        PROGRESS_DONE.load(Ordering::Relaxed),
        PROGRESS_TOTAL.load(Ordering::Relaxed),
    )
}

/// Publishes a worker's live state (shown as the lane's current colour).
pub fn set_lane_state(lane: usize, state: ThreadState) {
    if let Some(cell) = LANE_STATES.get(lane) {
        cell.store(state.code(), Ordering::Relaxed);
    }
}

/// The live state of a lane.
pub fn lane_state(lane: usize) -> ThreadState {
    LANE_STATES
        .get(lane)
        .and_then(|cell| ThreadState::from_code(cell.load(Ordering::Relaxed)))
        .unwrap_or(ThreadState::New)
}

/// What one poll found.
#[derive(Debug, Default)]
pub struct Poll {
    /// A new recording started since the last poll: discard what was read before.
    pub reset: bool,
    pub spans: Vec<Span>,
    pub dropped: u64,
}

/// Incremental reader: each poll returns only the spans published since the last one.
#[derive(Debug, Default)]
pub struct Reader {
    generation: u32,
    cursor: usize,
}

impl Reader {
    /// Reads newly published spans; cheap when nothing changed.
    pub fn poll(&mut self) -> Poll {
        let generation = GENERATION.load(Ordering::Acquire);
        let mut poll = Poll {
            dropped: DROPPED.load(Ordering::Relaxed),
            ..Poll::default()
        };
        if generation != self.generation {
            self.generation = generation;
            self.cursor = 0;
            poll.reset = true;
        }
        let end = NEXT.load(Ordering::Acquire).min(CAPACITY);
        while self.cursor < end {
            let slot = &SLOTS[self.cursor];
            if slot.seq.load(Ordering::Acquire) != generation {
                break; // claimed but not yet published: resume here next frame
            }
            let Some(state) = ThreadState::from_code(slot.state.load(Ordering::Relaxed)) else {
                break;
            };
            poll.spans.push(Span {
                lane: slot.lane.load(Ordering::Relaxed),
                state,
                label: slot.label.load(Ordering::Relaxed),
                start_ms: f64::from_bits(slot.start.load(Ordering::Relaxed)),
                end_ms: f64::from_bits(slot.end.load(Ordering::Relaxed)),
            });
            self.cursor += 1;
        }
        poll
    }
}
