//! The GIL lab on real threads: every worker interprets bytecode and must hold one real
//! global interpreter lock, in shared memory, to execute an instruction.
//!
//! The lock follows CPython's since 3.2: a thread that wants it waits at most the switch
//! interval, then sets a drop request; the holder drops it at its next check point (any
//! instruction, or only eval-breaker points, as the rule says) and waits until another thread
//! has taken it (a forced hand-over). `sleep` releases it for the whole wait. Under `ticks`
//! the holder hands it over every N instructions when someone waits; `free-threaded` has no
//! lock, and `processes` runs each worker in a real process (its own wasm instance, memory,
//! interpreter and globals; see `runtime::process`).

use crate::model::labs::gil::Program;
use crate::model::labs::gil::interp::{Globals, Step, Thread, c_hash};
use crate::model::labs::gil::lab::{
    GilParams, GilReport, GilRun, SwitchRule, ThreadCountParams, ThreadCountReport, Workload,
    report, thread_amount, thread_count_report, workload_source,
};
use crate::model::thread_state::ThreadState;
use crate::model::thread_state::thread_name;
use crate::runtime::process::Process;
use crate::runtime::sync::{self, Actor, WaitError};
use crate::runtime::telemetry::{self, Span};
use crate::runtime::{clock, env, pool};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering};

/// The timeline lane that shows who holds the GIL (labelled by the holder).
pub const GIL_LANE: u32 = 40;
/// Phase marks: `PHASE_BASE + threads`.
pub const PHASE_BASE: u32 = 2_000;
/// The label of a thread's span in `c_hash`, which runs with the GIL released.
pub const C_WITHOUT_GIL: u32 = 1_999;
/// The wait registry's name for the GIL.
const GIL_RESOURCE: u32 = 900;
/// No run may take longer than this; every wait gives up after it.
const RUN_LIMIT_MS: f64 = 120_000.0;
/// Instructions between two looks at the cancel token.
const CANCEL_EVERY: u64 = 4_096;

/// The lock itself: who holds it, whether a waiter asked for it, and a word to park on.
struct Gil {
    /// Thread index of the holder, or -1.
    holder: AtomicI32,
    /// Bumped on every release and take; waiters park on it.
    word: AtomicI32,
    drop_request: AtomicBool,
    /// Takes by a thread other than the previous holder.
    handoffs: AtomicU64,
    last_holder: AtomicI32,
    waiters: AtomicU32,
}

impl Gil {
    fn new() -> Gil {
        Gil {
            holder: AtomicI32::new(-1),
            word: AtomicI32::new(0),
            drop_request: AtomicBool::new(false),
            handoffs: AtomicU64::new(0),
            last_holder: AtomicI32::new(-1),
            waiters: AtomicU32::new(0),
        }
    }

    fn bump(&self) {
        self.word.fetch_add(1, Ordering::AcqRel);
        sync::wake(&self.word, u32::MAX);
    }

    /// Takes the lock, asking the holder to drop it after each `interval_ms` without a switch.
    /// Returns the time waited.
    fn take(&self, actor: Actor, interval_ms: f64, limit_ms: f64) -> Result<f64, WaitError> {
        let me = actor.index as i32;
        let start = clock::now_ms();
        self.waiters.fetch_add(1, Ordering::AcqRel);
        let outcome = loop {
            if self
                .holder
                .compare_exchange(-1, me, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                break Ok(());
            }
            let now = clock::now_ms();
            if now >= limit_ms {
                break Err(WaitError::TimedOut);
            }
            let seen = self.word.load(Ordering::Acquire);
            let handoffs = self.handoffs.load(Ordering::Acquire);
            let deadline = (now + interval_ms).min(limit_ms);
            let holder = &self.holder;
            match sync::block_until(
                actor,
                GIL_RESOURCE,
                ThreadState::Blocked,
                &self.word,
                seen,
                deadline,
                || holder.load(Ordering::Acquire) == -1,
            ) {
                Ok(_) => {}
                Err(WaitError::TimedOut) => {
                    // A whole interval without a switch: ask the holder to drop it.
                    if self.handoffs.load(Ordering::Acquire) == handoffs {
                        self.drop_request.store(true, Ordering::Release);
                    }
                }
                Err(other) => break Err(other),
            }
        };
        self.waiters.fetch_sub(1, Ordering::AcqRel);
        outcome?;
        if self.last_holder.swap(me, Ordering::AcqRel) != me {
            self.handoffs.fetch_add(1, Ordering::AcqRel);
        }
        self.bump();
        Ok(clock::now_ms() - start)
    }

    fn release(&self) {
        self.holder.store(-1, Ordering::Release);
        self.bump();
    }

    /// Drops the lock for a waiter and waits until another thread has taken it (CPython's
    /// forced switching: the dropper may not simply take it straight back).
    fn hand_over(&self, actor: Actor, limit_ms: f64) -> Result<(), WaitError> {
        self.drop_request.store(false, Ordering::Release);
        let handoffs = self.handoffs.load(Ordering::Acquire);
        self.release();
        let seen = self.word.load(Ordering::Acquire);
        let result = sync::block_until(
            actor,
            GIL_RESOURCE,
            ThreadState::Blocked,
            &self.word,
            seen,
            limit_ms,
            || {
                self.handoffs.load(Ordering::Acquire) != handoffs
                    || self.waiters.load(Ordering::Acquire) == 0
            },
        );
        result.map(|_| ())
    }
}

/// Globals shared by the threads of one interpreter, with a version per global so a store
/// can tell that another thread stored since this thread loaded (a lost update).
struct SharedGlobals {
    values: Vec<AtomicI64>,
    versions: Vec<AtomicU64>,
}

/// One thread's view of [`SharedGlobals`].
struct ThreadView<'a> {
    shared: &'a SharedGlobals,
    /// Version seen at this thread's last load of each global (`u64::MAX`: none).
    seen: RefCell<Vec<u64>>,
    lost: Cell<u64>,
}

impl Globals for ThreadView<'_> {
    fn load(&self, index: usize) -> i64 {
        self.seen.borrow_mut()[index] = self.shared.versions[index].load(Ordering::Acquire);
        self.shared.values[index].load(Ordering::Acquire)
    }

    fn store(&self, index: usize, value: i64) {
        let seen = self.seen.borrow()[index];
        let before = self.shared.versions[index].fetch_add(1, Ordering::AcqRel);
        if seen != u64::MAX && before != seen {
            self.lost.set(self.lost.get() + 1);
        }
        self.shared.values[index].store(value, Ordering::Release);
        self.seen.borrow_mut()[index] = before + 1;
    }
}

/// What one thread did.
#[derive(Default)]
struct ThreadStats {
    instructions: u64,
    gil_wait_ms: f64,
    sleep_ms: f64,
    lost: u64,
    /// Its own globals at the end (processes only).
    own_globals: Option<Vec<i64>>,
}

/// Validates, then measures one thread and `params.threads` threads on the pool.
pub async fn run(params: GilParams) -> Result<GilReport, String> {
    params.validate(pool::threads())?;
    if params.rule == SwitchRule::Processes {
        return run_in_processes(params).await;
    }
    let program = params.program()?;
    let cores = env::hardware_concurrency();
    pool::submit(move |token| {
        telemetry::reset(0);
        warm_up();
        // One thread before and after the N threads; the faster stands for one thread, so a
        // late optimisation by the browser cannot flatter the N-thread run.
        let before = measure(&params, &program, 1, token)?;
        let run = measure(&params, &program, params.threads, token)?;
        let after = measure(&params, &program, 1, token)?;
        let baseline = if after.wall_ms < before.wall_ms {
            after
        } else {
            before
        };
        Ok(report(&params, &baseline, &run, cores))
    })
    .await?
}

static WARMED: AtomicBool = AtomicBool::new(false);

/// Lets the browser's optimising compiler finish with the interpreter before anything is
/// timed: runs a countdown until two passes agree within 10 % (at least 200 ms, at most
/// 1.5 s). Once per page, not recorded.
fn warm_up() {
    if WARMED.swap(true, Ordering::Relaxed) {
        return;
    }
    // Always the countdown: the interpreter's code is the same whatever program it runs.
    let Ok(program) = Program::compile(&workload_source(Workload::Cpu, 0, 0)) else {
        return;
    };
    let program = &program;
    let Some(worker) = program.function("worker") else {
        return;
    };
    let globals = RefCell::new(program.globals.iter().map(|(_, v)| *v).collect::<Vec<_>>());
    let begin = clock::now_ms();
    let mut previous = f64::INFINITY;
    loop {
        let pass_start = clock::now_ms();
        let Ok(mut thread) = Thread::new(program, worker, &[5, 20_000]) else {
            return;
        };
        while let Ok(Step::Ran) = thread.step(program, &globals) {}
        let now = clock::now_ms();
        let pass = now - pass_start;
        if ((pass - previous).abs() <= 0.1 * previous && now - begin >= 200.0)
            || now - begin >= 1_500.0
        {
            break;
        }
        previous = pass;
    }
}

/// One timed run of `threads` threads, each calling `worker(n, share)`.
fn measure(
    params: &GilParams,
    program: &Program,
    threads: u32,
    token: crate::runtime::cancel::RunToken,
) -> Result<GilRun, String> {
    let rule = params.rule;
    let gil = Gil::new();
    let shared = SharedGlobals {
        values: program
            .globals
            .iter()
            .map(|(_, v)| AtomicI64::new(*v))
            .collect(),
        versions: program.globals.iter().map(|_| AtomicU64::new(0)).collect(),
    };
    let shares = params.shares(threads);
    let start = clock::now_ms();
    let limit_ms = start + RUN_LIMIT_MS;
    telemetry::mark(PHASE_BASE + threads, start);
    let results = sync::run_actors(threads, token, true, |actor| {
        let share = shares[actor.index as usize];
        let args = [thread_amount(actor.index), share];
        if rule.shares_globals() {
            let view = ThreadView {
                shared: &shared,
                seen: RefCell::new(vec![u64::MAX; program.globals.len()]),
                lost: Cell::new(0),
            };
            let lock = rule.has_gil().then_some(&gil);
            let mut stats = interpret(actor, program, params, lock, &view, &args, limit_ms)?;
            stats.lost = view.lost.get();
            Ok(stats)
        } else {
            let own = RefCell::new(program.globals.iter().map(|(_, v)| *v).collect::<Vec<_>>());
            let mut stats = interpret(actor, program, params, None, &own, &args, limit_ms)?;
            stats.own_globals = Some(own.into_inner());
            Ok(stats)
        }
    });
    let wall_ms = clock::now_ms() - start;
    let stats: Vec<ThreadStats> = results.into_iter().collect::<Result<_, String>>()?;
    let named = |values: Vec<i64>| {
        program
            .globals
            .iter()
            .map(|(n, _)| n.clone())
            .zip(values)
            .collect::<Vec<_>>()
    };
    let globals = if rule.shares_globals() {
        vec![named(
            shared
                .values
                .iter()
                .map(|v| v.load(Ordering::Acquire))
                .collect(),
        )]
    } else {
        stats
            .iter()
            .map(|s| named(s.own_globals.clone().unwrap_or_default()))
            .collect()
    };
    Ok(GilRun {
        threads,
        wall_ms,
        instructions: stats.iter().map(|s| s.instructions).sum(),
        handoffs: gil.handoffs.load(Ordering::Acquire).saturating_sub(1),
        gil_wait_ms: stats.iter().map(|s| s.gil_wait_ms).sum(),
        sleep_ms: stats.iter().map(|s| s.sleep_ms).sum(),
        lost_updates: stats.iter().map(|s| s.lost).sum(),
        globals,
    })
}

/// Runs one thread's `worker` to its end, taking and handing over `gil` as the rule says.
fn interpret(
    actor: Actor,
    program: &Program,
    params: &GilParams,
    gil: Option<&Gil>,
    globals: &dyn Globals,
    args: &[i64],
    limit_ms: f64,
) -> Result<ThreadStats, String> {
    let worker = program.function("worker").ok_or("no worker function")?;
    let mut thread = Thread::new(program, worker, args)?;
    let mut stats = ThreadStats::default();
    let rule = params.rule;
    let interval = f64::from(params.switch_ms);
    let ticks = u64::from(params.ticks);
    let wait_error = |e: WaitError| {
        format!(
            "{} gave up waiting for the GIL: {e}",
            thread_name(actor.index)
        )
    };
    let mut held_since = clock::now_ms();
    if let Some(gil) = gil {
        stats.gil_wait_ms += gil.take(actor, interval, limit_ms).map_err(wait_error)?;
        held_since = clock::now_ms();
    }
    let mut since_take = 0u64;
    let outcome = loop {
        if thread.executed % CANCEL_EVERY == 0 && actor.token.is_cancelled() {
            break Err("cancelled".to_string());
        }
        if let Some(gil) = gil {
            let drop = match rule {
                SwitchRule::Ticks => since_take >= ticks && gil.waiters.load(Ordering::Acquire) > 0,
                _ => {
                    gil.drop_request.load(Ordering::Acquire)
                        && thread
                            .next_op(program)
                            .is_some_and(|op| rule.may_switch_before(op))
                }
            };
            if drop {
                holding_span(actor, held_since);
                gil.hand_over(actor, limit_ms).map_err(wait_error)?;
                stats.gil_wait_ms += gil.take(actor, interval, limit_ms).map_err(wait_error)?;
                held_since = clock::now_ms();
                since_take = 0;
            }
        }
        match thread.step(program, globals) {
            Ok(Step::Ran) => since_take += 1,
            Ok(Step::Sleep(ms)) => {
                if let Some(gil) = gil {
                    holding_span(actor, held_since);
                    gil.release();
                }
                let before = clock::now_ms();
                actor
                    .sleep(ms.clamp(0, 60_000) as f64, actor.index)
                    .map_err(|e| format!("{} stopped sleeping: {e}", thread_name(actor.index)))?;
                stats.sleep_ms += clock::now_ms() - before;
                if let Some(gil) = gil {
                    stats.gil_wait_ms += gil.take(actor, interval, limit_ms).map_err(wait_error)?;
                    held_since = clock::now_ms();
                    since_take = 0;
                }
            }
            Ok(Step::CCall { kib, releases_gil }) => {
                since_take += 1;
                let released = match gil {
                    Some(gil) if releases_gil => {
                        holding_span(actor, held_since);
                        gil.release();
                        Some(gil)
                    }
                    _ => None,
                };
                let before = clock::now_ms();
                std::hint::black_box(c_hash(kib, thread.executed));
                // A call is up to 16 MiB of hashing: check after each, not every 4096 steps
                // (a held GIL is let go after the loop).
                if actor.token.is_cancelled() {
                    break Err("cancelled".to_string());
                }
                if let Some(gil) = released {
                    // Its own lane only: the GIL's lane shows nobody holding it for this call.
                    actor.span(ThreadState::Working, C_WITHOUT_GIL, before, clock::now_ms());
                    stats.gil_wait_ms += gil.take(actor, interval, limit_ms).map_err(wait_error)?;
                    held_since = clock::now_ms();
                    since_take = 0;
                }
            }
            Ok(Step::Finished(_)) => break Ok(()),
            Err(e) => break Err(format!("{}: {e}", thread_name(actor.index))),
        }
    };
    if let Some(gil) = gil
        && gil.holder.load(Ordering::Acquire) == actor.index as i32
    {
        holding_span(actor, held_since);
        gil.release();
    }
    stats.instructions = thread.executed;
    outcome.map(|()| stats)
}

/// Records that `actor` held the GIL from `since` until now, on its lane and on the GIL's;
/// returns now.
fn holding_span(actor: Actor, since: f64) -> f64 {
    let now = clock::now_ms();
    actor.span(ThreadState::Working, actor.index, since, now);
    if actor.record {
        telemetry::record(Span {
            lane: GIL_LANE,
            state: ThreadState::Working,
            label: actor.index,
            start_ms: since,
            end_ms: now,
        });
    }
    now
}

// ---- the `processes` rule on real processes ----

/// One process's share of a `processes` run, as the page sends it.
#[derive(serde::Serialize, serde::Deserialize)]
struct ProcessShare {
    params: GilParams,
    index: u32,
    share: i64,
}

/// What one process reports back: its work, its time, its own globals.
#[derive(serde::Serialize, serde::Deserialize)]
struct ProcessOutcome {
    instructions: u64,
    sleep_ms: f64,
    globals: Vec<i64>,
}

/// Inside a process: lets the browser finish optimising the interpreter (once per process).
pub async fn process_warm_up(_input: String) -> Result<String, String> {
    warm_up();
    Ok(String::new())
}

/// Inside a process: runs `worker(n, share)` on its own interpreter and its own globals, with
/// no lock to share: there is no other thread in this memory.
pub async fn process_interpret(input: String) -> Result<String, String> {
    let share: ProcessShare = serde_json::from_str(&input).map_err(|e| e.to_string())?;
    let program = share.params.program()?;
    let actor = Actor {
        index: share.index,
        token: crate::runtime::cancel::issue(),
        record: false,
    };
    let own = RefCell::new(program.globals.iter().map(|(_, v)| *v).collect::<Vec<_>>());
    let args = [thread_amount(share.index), share.share];
    let limit_ms = clock::now_ms() + RUN_LIMIT_MS;
    let stats = interpret(actor, &program, &share.params, None, &own, &args, limit_ms)?;
    serde_json::to_string(&ProcessOutcome {
        instructions: stats.instructions,
        sleep_ms: stats.sleep_ms,
        globals: own.into_inner(),
    })
    .map_err(|e| e.to_string())
}

/// `processes` for real: each worker is a process with its own wasm instance, memory,
/// interpreter and (absent) GIL. One process runs the whole work before and after `threads`
/// processes share it; the page times each from sending the work to the last answer.
async fn run_in_processes(params: GilParams) -> Result<GilReport, String> {
    let program = params.program()?;
    let cores = env::hardware_concurrency();
    let processes = Process::spawn_many("gil-process", params.threads, 0).await?;
    let outcome = measure_processes(&params, &program, &processes).await;
    processes.iter().for_each(Process::terminate);
    let (baseline, run) = outcome?;
    Ok(report(&params, &baseline, &run, cores))
}

async fn measure_processes(
    params: &GilParams,
    program: &Program,
    processes: &[Process],
) -> Result<(GilRun, GilRun), String> {
    let limit = RUN_LIMIT_MS as u32;
    futures::future::try_join_all(processes.iter().map(|p| p.call("gil-warm", "", limit))).await?;
    let timed = |count: u32| async move {
        let shares = params.shares(count);
        let inputs: Vec<String> = (0..count)
            .map(|index| {
                serde_json::to_string(&ProcessShare {
                    params: params.clone(),
                    index,
                    share: shares[index as usize],
                })
                .unwrap_or_default()
            })
            .collect();
        let start = clock::now_ms();
        let answers = futures::future::try_join_all(
            processes
                .iter()
                .zip(&inputs)
                .map(|(p, input)| p.call("gil-interpret", input, limit)),
        )
        .await?;
        let wall_ms = clock::now_ms() - start;
        let outcomes = answers
            .iter()
            .map(|a| serde_json::from_str::<ProcessOutcome>(a).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let named = |values: &[i64]| {
            program
                .globals
                .iter()
                .map(|(n, _)| n.clone())
                .zip(values.iter().copied())
                .collect::<Vec<_>>()
        };
        Ok::<_, String>(GilRun {
            threads: count,
            wall_ms,
            instructions: outcomes.iter().map(|o| o.instructions).sum(),
            handoffs: 0,
            gil_wait_ms: 0.0,
            sleep_ms: outcomes.iter().map(|o| o.sleep_ms).sum(),
            // One thread per memory: no other thread can overwrite a store.
            lost_updates: 0,
            globals: outcomes.iter().map(|o| named(&o.globals)).collect(),
        })
    };
    let before = timed(1).await?;
    let run = timed(params.threads).await?;
    let after = timed(1).await?;
    let baseline = if after.wall_ms < before.wall_ms {
        after
    } else {
        before
    };
    Ok((baseline, run))
}

// ---- how many threads ----

/// Sweeps the number of threads for tasks of `cpu_ms` computing then `wait_ms` blocking.
///
/// Thread counts up to the pool's size are real threads. Past it, a worker carries several
/// threads and runs their waits as timers: a thread that waits holds no worker, as a thread
/// blocked in IO holds no core. Computing is real busy time, holding the GIL when `gil`
/// (handed over on request after the switch interval, as above).
pub async fn thread_count(params: ThreadCountParams) -> Result<ThreadCountReport, String> {
    params.validate()?;
    let pool_size = pool::threads();
    if pool_size == 0 {
        return Err("the worker pool is not running".into());
    }
    let cores = env::hardware_concurrency();
    pool::submit(move |token| {
        let counts = params.counts();
        telemetry::reset(counts.len() as u64);
        // C ms of computing is a fixed amount of work, calibrated here on one thread: a
        // spin until the clock says C ms would count time the OS gave to other threads.
        let batches_per_ms = calibrate();
        let mut measured = Vec::new();
        for &threads in &counts {
            let workers = threads.min(pool_size);
            let done = AtomicU64::new(0);
            let gil = Gil::new();
            let start = clock::now_ms();
            let end = start + f64::from(params.duration_ms);
            let limit = end + RUN_LIMIT_MS;
            let work = Work {
                batches_per_ms,
                gil: params.gil.then_some(&gil),
                done: &done,
                end,
                limit,
            };
            let results = sync::run_actors(workers, token, false, |actor| {
                carry_threads(actor, &params, threads, workers, &work)
            });
            results.into_iter().collect::<Result<Vec<()>, String>>()?;
            let elapsed = (clock::now_ms() - start).max(1.0);
            let tasks = done.load(Ordering::Acquire) as f64;
            measured.push((threads, tasks * 1000.0 / elapsed));
            telemetry::progress_add(1);
        }
        Ok(thread_count_report(&params, &measured, cores, pool_size))
    })
    .await?
}

/// What every worker of one thread count shares.
struct Work<'a> {
    batches_per_ms: f64,
    gil: Option<&'a Gil>,
    done: &'a AtomicU64,
    end: f64,
    limit: f64,
}

/// Iterations of the spin kernel per batch.
const BATCH: u64 = 256;

/// One batch of pure computing.
fn spin_batch(seed: u64) -> u64 {
    let mut x = seed;
    for i in 0..BATCH {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
    }
    x
}

/// Batches per millisecond on this thread, timed as the tasks run them: a fixed count with no
/// clock reads in between (reading the clock every few batches made calibration slower than
/// the work, so tasks came out shorter than C ms), after a warm-up that lets the optimising
/// compiler finish, and the best of five windows of at least 6 ms, so a window in which the
/// OS ran something else does not make every task shorter than C ms.
fn calibrate() -> f64 {
    let mut x = 1u64;
    let warm_until = clock::now_ms() + 30.0;
    while clock::now_ms() < warm_until {
        for _ in 0..64 {
            x = spin_batch(x);
        }
    }
    let mut best = 0.0f64;
    for _ in 0..5 {
        let mut batches = 64u64;
        loop {
            let start = clock::now_ms();
            // The very loop the tasks run, so the rate is theirs (no GIL: nothing to wait for).
            x = compute(x, batches, None).unwrap_or(x);
            let elapsed = clock::now_ms() - start;
            if elapsed >= 6.0 || batches >= 1 << 30 {
                best = best.max(batches as f64 / elapsed.max(1e-3));
                break;
            }
            batches *= 2;
        }
    }
    std::hint::black_box(x);
    best
}

/// `batches` of computing, handing the GIL over when a waiter asks (with `gil`: the lock, the
/// thread, its switch interval and the run's limit). Tasks and calibration both run this.
fn compute(
    mut x: u64,
    batches: u64,
    gil: Option<(&Gil, Actor, f64, f64)>,
) -> Result<u64, WaitError> {
    for _ in 0..batches {
        x = spin_batch(x);
        if let Some((gil, actor, interval, limit)) = gil
            && gil.drop_request.load(Ordering::Acquire)
        {
            gil.hand_over(actor, limit)?;
            gil.take(actor, interval, limit)?;
        }
    }
    Ok(x)
}

/// One worker running the logical threads `actor.index, actor.index + workers, …` until
/// `work.end`: each computes its C ms of batches, then waits W ms as a timer.
fn carry_threads(
    actor: Actor,
    params: &ThreadCountParams,
    threads: u32,
    workers: u32,
    work: &Work<'_>,
) -> Result<(), String> {
    let mine = (actor.index..threads).step_by(workers as usize).count();
    let mut ready_at = vec![clock::now_ms(); mine];
    let batches = (work.batches_per_ms * f64::from(params.cpu_ms)).ceil() as u64;
    let interval = 5.0;
    let wait_error = |e: WaitError| format!("thread-count: {e}");
    let mut x = u64::from(actor.index);
    loop {
        if actor.token.is_cancelled() {
            return Err("cancelled".into());
        }
        let (next, &at) = ready_at
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .ok_or("no threads")?;
        let now = clock::now_ms();
        if at >= work.end {
            return Ok(());
        }
        if at > now {
            actor.sleep(at - now, actor.index).map_err(wait_error)?;
            continue;
        }
        if let Some(gil) = work.gil {
            gil.take(actor, interval, work.limit).map_err(wait_error)?;
        }
        x = compute(
            x,
            batches,
            work.gil.map(|gil| (gil, actor, interval, work.limit)),
        )
        .map_err(wait_error)?;
        if let Some(gil) = work.gil {
            gil.release();
        }
        if clock::now_ms() <= work.end {
            work.done.fetch_add(1, Ordering::AcqRel);
        }
        ready_at[next] = clock::now_ms() + f64::from(params.wait_ms);
        std::hint::black_box(x);
    }
}
