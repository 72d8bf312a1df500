//! Tests for the event-loop model: every preset's exact output and virtual time (each
//! derived by hand in its doc comment), snapshots and timelines, the step budget, and
//! malformed programs that must end with a stated outcome instead of a panic or a hang.

use super::*;

const BUDGET: usize = DEFAULT_STEP_LIMIT;

fn run(id: &str) -> RunResult {
    run_preset(id, BUDGET).expect("preset exists")
}

/// Steps a preset to its end, checking every snapshot on the way, and returns all events.
fn events_of(id: &str) -> (Sim, Vec<Event>) {
    let mut sim = Sim::preset(id).expect("preset exists");
    let mut events = Vec::new();
    while let Some(event) = sim.step() {
        check_snapshot(&sim.snapshot(), &event);
        events.push(event);
        assert!(events.len() <= BUDGET, "{id} did not stop");
    }
    (sim, events)
}

/// Invariants that hold after every step.
fn check_snapshot(snap: &Snapshot, event: &Event) {
    let running: Vec<&TaskView> = snap
        .tasks
        .iter()
        .filter(|t| t.state == TaskState::Running)
        .collect();
    assert!(
        running.len() <= 1,
        "two tasks running at step {}",
        snap.step
    );
    assert_eq!(snap.control, event.control);
    assert_eq!(snap.time_ms, event.time_ms);
    if snap.control == "event loop" {
        assert!(
            snap.call_stack.is_empty(),
            "stack without control at step {}",
            snap.step
        );
    }
    assert!(
        snap.timers.windows(2).all(|w| w[0].due_ms <= w[1].due_ms),
        "timers out of order"
    );
}

/// The end state every well-behaved preset reaches.
fn assert_clean_end(sim: &Sim) {
    let snap = sim.snapshot();
    assert_eq!(snap.outcome, Some(Outcome::Finished));
    assert!(
        snap.microtasks.is_empty(),
        "microtasks left: {:?}",
        snap.microtasks
    );
    assert!(
        snap.macrotasks.is_empty(),
        "macrotasks left: {:?}",
        snap.macrotasks
    );
    assert!(snap.timers.is_empty(), "timers left: {:?}", snap.timers);
    assert!(snap.call_stack.is_empty());
    assert_eq!(snap.control, "event loop");
    for task in &snap.tasks {
        assert_eq!(
            task.state,
            TaskState::Done,
            "{} is {:?}",
            task.name,
            task.state
        );
    }
}

fn transfers(events: &[Event]) -> Vec<(String, String, String)> {
    events
        .iter()
        .filter_map(|e| e.transfer.clone())
        .map(|t| (t.from, t.to, t.value))
        .collect()
}

fn triple(from: &str, to: &str, value: &str) -> (String, String, String) {
    (from.into(), to.into(), value.into())
}

// ----- the presets, one by one -----

/// print-sum. The script prints "start", then asyncio.run queues task print_sum and
/// blocks. print_sum calls compute inline (no task); compute prints "Compute 1 + 2 ..."
/// and sleeps: timer at 0 + 1000 ms. Nothing else is ready, so the clock jumps to 1000;
/// the timer resolves the sleep, the task resumes, compute returns 1 + 2 = 3 and
/// print_sum prints "1 + 2 = 3". The task is done, asyncio.run returns, "end".
/// Output: start, Compute 1 + 2 ..., 1 + 2 = 3, end; 1000 ms.
#[test]
fn print_sum_prints_in_order_after_one_second() {
    let result = run("print-sum");
    assert_eq!(
        result.output,
        ["start", "Compute 1 + 2 ...", "1 + 2 = 3", "end"]
    );
    assert_eq!(result.virtual_ms, 1000);
    assert_eq!(result.limit_reached, None);
    let (sim, events) = events_of("print-sum");
    assert_clean_end(&sim);
    assert_eq!(events.len(), result.steps);
}

/// While compute sleeps, its task is parked with both frames and the only timer is the
/// sleep due at 1000 ms; while compute runs, the stack is print_sum under compute.
#[test]
fn print_sum_snapshots_show_the_parked_task_and_the_nested_frames() {
    let mut sim = Sim::preset("print-sum").unwrap();
    let mut saw_nested_stack = false;
    while let Some(event) = sim.step() {
        let snap = sim.snapshot();
        let names: Vec<&str> = snap.call_stack.iter().map(|f| f.name.as_str()).collect();
        if names == ["print_sum", "compute"] {
            saw_nested_stack = true;
            assert_eq!(snap.control, "compute in print_sum");
        }
        if event.kind == EventKind::Suspend && event.description.contains("sleep(1000 ms)") {
            assert_eq!(snap.control, "event loop");
            assert_eq!(snap.timers.len(), 1);
            assert_eq!(snap.timers[0].due_ms, 1000);
            let task = snap.tasks.iter().find(|t| t.name == "print_sum").unwrap();
            assert_eq!(task.state, TaskState::Pending);
            assert_eq!(task.detail, "waiting for sleep(1000 ms)");
            assert_eq!(
                task.lines.python,
                Some(6),
                "parked on `await asyncio.sleep`"
            );
        }
    }
    assert!(saw_nested_stack);
}

/// future-handoff. main creates the future and gathers producer and consumer, which
/// become tasks queued in that order. producer prints "producer: working for 1 s" and
/// sleeps until 1000 ms; consumer prints "consumer: waiting for the future" and parks
/// on the future. At 1000 ms producer resumes, sets "data" (which only queues the
/// consumer's wake-up) and prints "producer: result set"; then consumer resumes with
/// "data". Output in that order; 1000 ms.
#[test]
fn future_handoff_passes_data_after_one_second() {
    let result = run("future-handoff");
    assert_eq!(
        result.output,
        [
            "producer: working for 1 s",
            "consumer: waiting for the future",
            "producer: result set",
            "consumer: got data",
        ]
    );
    assert_eq!(result.virtual_ms, 1000);
    let (sim, _) = events_of("future-handoff");
    assert_clean_end(&sim);
}

/// create-task. Direct awaits: fetch("A") sleeps 0→1000 and prints "1000 ms: A ready",
/// fetch("B") sleeps 1000→2000 and prints "2000 ms: B ready"; 2000 − 0 = 2000 ms.
/// Tasks: both are created at 2000, both sleep from 2000 to 3000 (timers due together,
/// A's first), so "3000 ms: A ready", "3000 ms: B ready"; 3000 − 2000 = 1000 ms.
#[test]
fn create_task_halves_the_time() {
    let result = run("create-task");
    assert_eq!(
        result.output,
        [
            "1000 ms: A ready",
            "2000 ms: B ready",
            "awaiting one by one took 2000 ms",
            "3000 ms: A ready",
            "3000 ms: B ready",
            "two tasks took 1000 ms",
        ]
    );
    assert_eq!(result.virtual_ms, 3000);
    let (sim, _) = events_of("create-task");
    assert_clean_end(&sim);
}

/// js-order. The script runs first: "script start"; the 0 ms timer goes on the heap;
/// Promise.resolve() is resolved, so then(promise1) queues a microtask at once, while
/// then(promise2) waits on promise1's promise; "script end". Microtasks drain before
/// any macrotask: promise1, whose return resolves its promise and queues promise2, which
/// also runs before the loop looks at timers. Last, the timer's callback.
/// Output: script start, script end, promise1, promise2, setTimeout; 0 ms.
#[test]
fn js_order_runs_microtasks_before_the_timer() {
    let result = run("js-order");
    assert_eq!(
        result.output,
        [
            "script start",
            "script end",
            "promise1",
            "promise2",
            "setTimeout"
        ]
    );
    assert_eq!(result.virtual_ms, 0);
    let (sim, _) = events_of("js-order");
    assert_clean_end(&sim);
}

/// Right after "script end" the queues hold exactly what the puzzle is about.
#[test]
fn js_order_queues_after_the_script() {
    let mut sim = Sim::preset("js-order").unwrap();
    while let Some(event) = sim.step() {
        if event.printed.as_deref() == Some("script end") {
            let snap = sim.snapshot();
            assert_eq!(snap.microtasks, ["reaction promise1"]);
            assert!(snap.macrotasks.is_empty());
            assert_eq!(snap.timers.len(), 1);
            assert_eq!(snap.timers[0].due_ms, 0);
            assert_eq!(event.lines.javascript, Some(15));
            return;
        }
    }
    panic!("never printed 'script end'");
}

/// generator-pingpong. next(gen) runs the consumer to its first yield (answer None).
/// Then for item 1, 2, 3: "producer sends n"; send(n) makes the yield evaluate to n,
/// the consumer prints "consumer got n", sets answer "200 OK" and yields it, and send
/// returns it: "producer hears 200 OK". close() ends the consumer. No clock involved.
#[test]
fn generator_pingpong_output_and_values_crossing() {
    let result = run("generator-pingpong");
    let mut expected = Vec::new();
    for n in 1..=3 {
        expected.push(format!("producer sends {n}"));
        expected.push(format!("consumer got {n}"));
        expected.push("producer hears 200 OK".to_string());
    }
    assert_eq!(result.output, expected);
    assert_eq!(result.virtual_ms, 0);
    let (sim, events) = events_of("generator-pingpong");
    assert_clean_end(&sim);
    let mut expected = vec![
        triple("producer", "consumer", "None"),
        triple("consumer", "producer", "None"),
    ];
    for n in 1..=3 {
        expected.push(triple("producer", "consumer", &n.to_string()));
        expected.push(triple("consumer", "producer", "'200 OK'"));
    }
    assert_eq!(transfers(&events), expected);
    let consumer = sim
        .snapshot()
        .tasks
        .into_iter()
        .find(|t| t.name == "consumer")
        .unwrap();
    assert_eq!(consumer.detail, "closed");
}

/// Who has control is visible at every step, and a running generator's frame sits on
/// top of the producer's.
#[test]
fn generator_pingpong_control_and_stack() {
    let mut sim = Sim::preset("generator-pingpong").unwrap();
    let mut controls = Vec::new();
    while let Some(event) = sim.step() {
        if event.kind == EventKind::Print {
            controls.push(event.control.clone());
            let snap = sim.snapshot();
            let names: Vec<&str> = snap.call_stack.iter().map(|f| f.name.as_str()).collect();
            if event.control == "consumer" {
                assert_eq!(names, ["<script>", "producer", "consumer"]);
            } else {
                assert_eq!(names, ["<script>", "producer"]);
            }
        }
    }
    assert_eq!(controls.iter().filter(|c| *c == "consumer").count(), 3);
    assert_eq!(controls.iter().filter(|c| *c == "producer").count(), 6);
}

/// greenlet. main switches to ping: "ping: serve"; ping switches to pong (first run):
/// "pong: receive"; pong switches back: "ping: return"; ping switches: "pong: smash";
/// pong switches: "ping: done", and ping returns, so control goes to its parent, main:
/// "main: ping has finished, pong is still suspended". main switches to pong, which
/// resumes after its second switch: "pong: done", returns to main: "main: all done".
#[test]
fn greenlet_switches_by_hand() {
    let result = run("greenlet");
    assert_eq!(
        result.output,
        [
            "ping: serve",
            "pong: receive",
            "ping: return",
            "pong: smash",
            "ping: done",
            "main: ping has finished, pong is still suspended",
            "pong: done",
            "main: all done",
        ]
    );
    assert_eq!(result.virtual_ms, 0);
    let (sim, events) = events_of("greenlet");
    assert_clean_end(&sim);
    let hops: Vec<(String, String)> = transfers(&events)
        .into_iter()
        .map(|(f, t, _)| (f, t))
        .collect();
    let expected = [
        ("script", "ping"),
        ("ping", "pong"),
        ("pong", "ping"),
        ("ping", "pong"),
        ("pong", "ping"),
        ("ping", "script"),
        ("script", "pong"),
        ("pong", "script"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    assert_eq!(hops, expected);
}

/// gevent. The three greenlets start in spawn order at 0 ms and park on sleeps due at
/// 3000, 1000 and 2000 ms. The hub wakes b.html at 1000, c.html at 2000, a.html at
/// 3000; joinall then returns. Total 3000 ms (= max of 3, 1, 2 s), not 6000 ms.
#[test]
fn gevent_downloads_overlap() {
    let result = run("gevent");
    assert_eq!(
        result.output,
        [
            "0 ms: a.html start",
            "0 ms: b.html start",
            "0 ms: c.html start",
            "1000 ms: b.html done",
            "2000 ms: c.html done",
            "3000 ms: a.html done",
            "3000 ms: all done",
        ]
    );
    assert_eq!(result.virtual_ms, 3000);
    let (sim, _) = events_of("gevent");
    assert_clean_end(&sim);
    assert_downloads_overlap(&sim.timeline());
}

/// Each download waits from 0 ms until its own end, and every pair of waits overlaps.
fn assert_downloads_overlap(timeline: &[Span]) {
    let waits: Vec<(&str, u64, u64)> = ["a.html", "b.html", "c.html"]
        .iter()
        .map(|name| {
            let span = timeline
                .iter()
                .filter(|s| s.task == *name && s.state == SpanState::Waiting)
                .max_by_key(|s| s.end_ms - s.start_ms)
                .unwrap_or_else(|| panic!("no wait for {name}"));
            (*name, span.start_ms, span.end_ms)
        })
        .collect();
    assert_eq!(
        waits,
        [
            ("a.html", 0, 3000),
            ("b.html", 0, 1000),
            ("c.html", 0, 2000)
        ]
    );
    for (i, a) in waits.iter().enumerate() {
        for b in &waits[i + 1..] {
            assert!(a.1 < b.2 && b.1 < a.2, "{} and {} do not overlap", a.0, b.0);
        }
    }
}

/// downloads-generator. Same schedule as gevent, driven by a scheduler instead of a
/// hub: starts at 0, ends at 1000 (b), 2000 (c), 3000 (a); 3000 ms in all.
#[test]
fn generator_downloads_overlap_like_gevent() {
    let result = run("downloads-generator");
    assert_eq!(result.output, run("gevent").output);
    assert_eq!(result.virtual_ms, 3000);
    let (sim, _) = events_of("downloads-generator");
    assert_clean_end(&sim);
    assert_downloads_overlap(&sim.timeline());
}

/// downloads-greenlet. Each greenlet prints its start and switches back to main, so
/// all three start at 0 ms. Then main resumes them one by one and each blocking sleep
/// holds the thread: a.html 0→3000, b.html 3000→4000, c.html 4000→6000. 6000 ms.
#[test]
fn greenlet_downloads_block_one_after_another() {
    let result = run("downloads-greenlet");
    assert_eq!(
        result.output,
        [
            "0 ms: a.html start",
            "0 ms: b.html start",
            "0 ms: c.html start",
            "3000 ms: a.html done",
            "4000 ms: b.html done",
            "6000 ms: c.html done",
            "6000 ms: all done",
        ]
    );
    assert_eq!(result.virtual_ms, 6000);
    let (sim, _) = events_of("downloads-greenlet");
    assert_clean_end(&sim);
    let running: Vec<(String, u64, u64)> = sim
        .timeline()
        .into_iter()
        .filter(|s| s.state == SpanState::Running && s.end_ms > s.start_ms)
        .map(|s| (s.task, s.start_ms, s.end_ms))
        .collect();
    assert_eq!(
        running,
        [
            ("a.html".to_string(), 0, 3000),
            ("b.html".to_string(), 3000, 4000),
            ("c.html".to_string(), 4000, 6000),
        ]
    );
}

// ----- every preset -----

#[test]
fn preset_list_is_complete_and_well_formed() {
    // Every preset, in menu order: the ids the README documents and promises to keep.
    let ids: Vec<&str> = presets().iter().map(|p| p.id).collect();
    assert_eq!(ids, super::presets::STABLE_IDS);
    for preset in presets() {
        assert!(!preset.title.is_empty() && !preset.explanation.is_empty());
        assert_eq!(preset.label(), preset.title, "English menu title");
        let chinese = t!(format!("event_loop.preset.{}", preset.id), locale = "zh-CN");
        assert!(
            !chinese.is_ascii(),
            "{}: no Chinese title: {chinese}",
            preset.id
        );
        assert!(
            preset
                .explanation_zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{} has no Chinese explanation",
            preset.id
        );
        assert!(find_preset(preset.id).is_some());
    }
}

/// Every op found its snippet, and every line number points at a non-blank line.
#[test]
fn every_op_points_at_real_lines() {
    for preset in presets() {
        let program = (preset.build)();
        assert!(
            program.unresolved.is_empty(),
            "{}: {:?}",
            preset.id,
            program.unresolved
        );
        let py: Vec<&str> = preset.python.lines().collect();
        let js: Vec<&str> = preset.javascript.lines().collect();
        let check = |listing: &[&str], line: Option<u32>| {
            if let Some(n) = line {
                let text = listing.get(n as usize - 1).unwrap_or(&"");
                assert!(!text.trim().is_empty(), "{}: line {n} is blank", preset.id);
            }
        };
        for routine in &program.routines {
            check(&py, routine.lines.python);
            check(&js, routine.lines.javascript);
            for instr in &routine.body {
                check(&py, instr.lines.python);
                check(&js, instr.lines.javascript);
                assert!(
                    instr.lines.python.is_some() || instr.lines.javascript.is_some(),
                    "{}: an op of {} has no line at all",
                    preset.id,
                    routine.name
                );
            }
        }
    }
}

/// Any budget, from none to plenty, ends every preset without a panic, and stepping is
/// deterministic: two runs give identical events.
#[test]
fn presets_survive_every_budget_and_are_deterministic() {
    for preset in presets() {
        let full = run(preset.id).steps;
        for budget in 0..=full + 1 {
            let mut sim = Sim::preset(preset.id).unwrap();
            let result = sim.run_to_end(budget);
            assert_eq!(
                result.limit_reached.is_some(),
                budget < full,
                "{} at {budget}",
                preset.id
            );
            let _ = sim.snapshot();
            let _ = sim.timeline();
            assert!(sim.step().is_none());
        }
        assert_eq!(events_of(preset.id).1, events_of(preset.id).1);
    }
}

#[test]
fn everything_serializes_to_json() {
    let mut sim = Sim::preset("print-sum").unwrap();
    let event = sim.step().unwrap();
    let json = serde_json::to_string(&event).unwrap();
    assert!(json.contains("\"kind\":\"take_macrotask\""), "{json}");
    let json = serde_json::to_string(&sim.snapshot()).unwrap();
    assert!(json.contains("\"time_ms\":0"));
    let result = sim.run_to_end(BUDGET);
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["virtual_ms"], 1000);
    assert_eq!(json["outcome"]["outcome"], "finished");
    let json = serde_json::to_value(presets()).unwrap();
    assert_eq!(json[0]["id"], "print-sum");
    assert!(json[0].get("build").is_none());
    serde_json::to_string(&sim.timeline()).unwrap();
}

#[test]
fn unknown_preset_is_an_error() {
    assert!(Sim::preset("nope").is_err());
    assert!(run_preset("nope", 10).is_err());
}

// ----- hand-made programs -----

fn routine(b: &mut ProgramBuilder, name: &str, params: &[&str], ops: Vec<Op>) {
    let mut r = b.routine(name, params, "", "");
    for op in ops {
        r.op("", "", op);
    }
}

/// A program with no listings: the script's ops, then other routines.
fn program(script: Vec<Op>, routines: Vec<(&str, &[&str], Vec<Op>)>) -> Program {
    let mut b = ProgramBuilder::new("", "");
    for (name, params, ops) in routines {
        routine(&mut b, name, params, ops);
    }
    let mut s = b.script("", "");
    for op in script {
        s.op("", "", op);
    }
    b.finish()
}

fn run_program(program: &Program, budget: usize) -> RunResult {
    Sim::new(program).expect("valid program").run_to_end(budget)
}

fn expect_error(program: &Program, needle: &str) {
    let result = run_program(program, 1_000);
    match result.outcome {
        Outcome::Error { message } => assert!(message.contains(needle), "{message}"),
        other => panic!("expected an error with {needle:?}, got {other:?}"),
    }
}

fn call(routine: &str) -> Op {
    Op::Call {
        routine: routine.into(),
        args: vec![],
        bind: None,
    }
}

fn run_task(routine: &str) -> Op {
    Op::Run {
        routine: routine.into(),
        args: vec![],
        bind: None,
    }
}

fn spawn(routine: &str, var: &str) -> Op {
    Op::Spawn {
        routine: routine.into(),
        args: vec![],
        bind: Some(var.into()),
        style: SpawnStyle::Task,
        name: None,
    }
}

fn await_var(var: &str) -> Op {
    Op::Await {
        what: Awaitable::Handle(Expr::var(var)),
        bind: None,
    }
}

fn sleep(ms: i64) -> Op {
    Op::Await {
        what: Awaitable::Sleep { ms: Expr::int(ms) },
        bind: None,
    }
}

fn stamp(text: &str) -> Op {
    Op::Print(Expr::concat([Expr::Now, Expr::str(text)]))
}

/// `while True: pass` never ends by itself; the budget stops it and says so.
#[test]
fn step_budget_stops_an_endless_loop() {
    let endless = program(vec![Op::Jump { to: 0 }], vec![]);
    let result = run_program(&endless, 500);
    assert_eq!(result.steps, 500);
    assert_eq!(result.outcome, Outcome::StepLimit { steps: 500 });
    assert!(result.limit_reached.unwrap().contains("500 steps"));
    // The simulator's own ceiling holds even for a caller that asks for more.
    let mut sim = Sim::new(&endless).unwrap().with_step_limit(300);
    let result = sim.run_to_end(usize::MAX);
    assert_eq!(result.steps, 300);
    assert!(result.limit_reached.is_some());
}

/// A microtask that queues itself again starves the loop forever, as in a browser; the
/// budget ends it too, and the clock never moves.
#[test]
fn step_budget_stops_an_endless_microtask_chain() {
    let chain = program(
        vec![Op::QueueMicrotask {
            routine: "again".into(),
        }],
        vec![(
            "again",
            &[],
            vec![Op::QueueMicrotask {
                routine: "again".into(),
            }],
        )],
    );
    let result = run_program(&chain, 1_000);
    assert!(result.limit_reached.is_some());
    assert_eq!(result.virtual_ms, 0);
}

/// Awaiting a future nobody resolves: the loop runs dry with the task still pending.
#[test]
fn unresolved_future_ends_idle_with_pending() {
    let stuck = program(
        vec![run_task("main")],
        vec![(
            "main",
            &[],
            vec![Op::NewFuture { bind: "fut".into() }, await_var("fut")],
        )],
    );
    let mut sim = Sim::new(&stuck).unwrap();
    let result = sim.run_to_end(1_000);
    assert_eq!(result.limit_reached, None);
    match &result.outcome {
        Outcome::IdleWithPending { pending } => {
            assert_eq!(pending.len(), 2, "{pending:?}");
            assert!(pending[0].starts_with("script"));
            assert!(pending[1].contains("main (waiting for fut)"), "{pending:?}");
        }
        other => panic!("expected idle with pending, got {other:?}"),
    }
    assert!(result.steps < 20);
}

/// A task awaiting itself can never finish either.
#[test]
fn task_awaiting_itself_ends_idle_with_pending() {
    let selfish = program(
        vec![spawn("me", "t")],
        vec![("me", &[], vec![await_var("t")])],
    );
    let result = run_program(&selfish, 1_000);
    assert!(matches!(result.outcome, Outcome::IdleWithPending { .. }));
}

/// Malformed programs are refused before running.
#[test]
fn malformed_programs_are_rejected() {
    let unknown = program(vec![call("missing")], vec![]);
    assert!(Sim::new(&unknown).unwrap_err().0.contains("missing"));

    let bad_jump = program(vec![Op::Jump { to: 7 }], vec![]);
    assert!(Sim::new(&bad_jump).is_err());

    let mut no_main = program(vec![], vec![]);
    no_main.main = "elsewhere".into();
    assert!(Sim::new(&no_main).is_err());

    let twice = program(vec![], vec![("f", &[], vec![]), ("f", &[], vec![])]);
    assert!(Sim::new(&twice).is_err());

    let forged = program(vec![Op::Print(Expr::Lit(Value::Fiber(99)))], vec![]);
    assert!(Sim::new(&forged).is_err());

    let mut deep = Expr::int(1);
    for _ in 0..100 {
        deep = deep + Expr::int(1);
    }
    assert!(Sim::new(&program(vec![Op::Print(deep)], vec![])).is_err());

    let mut nested = Awaitable::Sleep { ms: Expr::int(1) };
    for _ in 0..100 {
        nested = Awaitable::Gather(vec![nested]);
    }
    let op = Op::Await {
        what: nested,
        bind: None,
    };
    assert!(Sim::new(&program(vec![op], vec![])).is_err());

    let empty = Program::default();
    assert!(Sim::new(&empty).is_err());
}

/// Programs that are well formed but do something a real runtime would refuse end
/// with an error outcome naming the problem.
#[test]
fn invalid_operations_end_with_an_error() {
    let twice = program(
        vec![
            Op::NewFuture { bind: "f".into() },
            Op::SetResult {
                future: Expr::var("f"),
                value: Expr::int(1),
            },
            Op::SetResult {
                future: Expr::var("f"),
                value: Expr::int(2),
            },
        ],
        vec![],
    );
    expect_error(&twice, "InvalidStateError");

    let send_to_future = program(
        vec![
            Op::NewFuture { bind: "f".into() },
            Op::Send {
                generator: Expr::var("f"),
                value: Expr::none(),
                bind: None,
            },
        ],
        vec![],
    );
    expect_error(&send_to_future, "TypeError");

    let stray_yield = program(
        vec![Op::Yield {
            value: Expr::none(),
            bind: None,
        }],
        vec![],
    );
    expect_error(&stray_yield, "yield outside a generator");

    let awaiting_callback = program(
        vec![Op::SetTimeout {
            ms: Expr::int(0),
            routine: "cb".into(),
        }],
        vec![("cb", &[], vec![sleep(10)])],
    );
    expect_error(&awaiting_callback, "cannot await");

    let undefined = program(vec![Op::Print(Expr::var("nobody"))], vec![]);
    expect_error(&undefined, "NameError");

    let recursion = program(
        vec![call("again")],
        vec![("again", &[], vec![call("again")])],
    );
    expect_error(&recursion, "RecursionError");

    let doubling = program(
        vec![
            Op::Let {
                var: "s".into(),
                value: Expr::str("ab"),
            },
            Op::Let {
                var: "s".into(),
                value: Expr::var("s") + Expr::var("s"),
            },
            Op::Jump { to: 1 },
        ],
        vec![],
    );
    expect_error(&doubling, "MemoryError");

    let overflow = program(vec![Op::Print(Expr::int(i64::MAX) + Expr::int(1))], vec![]);
    expect_error(&overflow, "OverflowError");

    let negative = program(vec![run_task("m")], vec![("m", &[], vec![sleep(-5)])]);
    expect_error(&negative, "negative");

    let too_many = program(
        vec![Op::Call {
            routine: "f".into(),
            args: vec![Expr::int(1)],
            bind: None,
        }],
        vec![("f", &[], vec![])],
    );
    expect_error(&too_many, "TypeError");

    let fresh_send = program(
        vec![
            Op::NewGenerator {
                routine: "g".into(),
                args: vec![],
                bind: "g".into(),
                name: None,
            },
            Op::Send {
                generator: Expr::var("g"),
                value: Expr::int(1),
                bind: None,
            },
        ],
        vec![("g", &[], vec![])],
    );
    expect_error(&fresh_send, "just-started");

    let dead_switch = program(
        vec![
            Op::NewGreenlet {
                routine: "g".into(),
                bind: "g".into(),
                name: None,
            },
            Op::Switch {
                greenlet: Expr::var("g"),
                args: vec![],
                bind: None,
            },
            Op::Switch {
                greenlet: Expr::var("g"),
                args: vec![],
                bind: None,
            },
        ],
        vec![("g", &[], vec![])],
    );
    expect_error(&dead_switch, "dead");

    // Feeding each gather's result into the next gather nests the list one level
    // deeper per round; past a bound that is refused instead of eating memory.
    let nesting = program(
        vec![run_task("main")],
        vec![(
            "main",
            &[],
            vec![
                Op::Let {
                    var: "r".into(),
                    value: Expr::none(),
                },
                Op::NewFuture { bind: "f".into() },
                Op::SetResult {
                    future: Expr::var("f"),
                    value: Expr::var("r"),
                },
                Op::Await {
                    what: Awaitable::Gather(vec![Awaitable::Handle(Expr::var("f"))]),
                    bind: Some("r".into()),
                },
                Op::Jump { to: 1 },
            ],
        )],
    );
    expect_error(&nesting, "MemoryError");
}

/// CPU work holds the stack: a 0 ms timer set before 500 ms of computing can only fire
/// after it, at 500 ms ("blocking the loop").
#[test]
fn compute_blocks_the_loop() {
    let blocking = program(
        vec![
            Op::SetTimeout {
                ms: Expr::int(0),
                routine: "tick".into(),
            },
            Op::Compute { ms: Expr::int(500) },
            stamp(" ms: script done"),
        ],
        vec![("tick", &[], vec![stamp(" ms: timer callback")])],
    );
    let result = run_program(&blocking, 1_000);
    assert_eq!(
        result.output,
        ["500 ms: script done", "500 ms: timer callback"]
    );
    assert_eq!(result.virtual_ms, 500);
    assert_eq!(result.outcome, Outcome::Finished);
}

/// When asyncio.run's task returns, tasks still pending are cancelled and their timers
/// dropped, so the loop does not wait for them: 0 ms, and the leftover is cancelled.
#[test]
fn asyncio_run_cancels_leftover_tasks() {
    let leftover = program(
        vec![run_task("main"), Op::Print(Expr::str("after run"))],
        vec![
            ("main", &[], vec![spawn("slow", "t"), sleep(0)]),
            (
                "slow",
                &[],
                vec![sleep(5_000), Op::Print(Expr::str("never"))],
            ),
        ],
    );
    let mut sim = Sim::new(&leftover).unwrap();
    let result = sim.run_to_end(1_000);
    assert_eq!(result.output, ["after run"]);
    assert_eq!(result.virtual_ms, 0);
    assert_eq!(result.outcome, Outcome::Finished);
    let slow = sim
        .snapshot()
        .tasks
        .into_iter()
        .find(|t| t.name == "slow")
        .unwrap();
    assert_eq!(slow.state, TaskState::Cancelled);
    assert!(sim.snapshot().timers.is_empty());
}

/// A done callback runs from the macrotask queue with the future's result.
#[test]
fn done_callback_gets_the_result() {
    let with_callback = program(
        vec![
            Op::NewFuture { bind: "f".into() },
            Op::AddDoneCallback {
                future: Expr::var("f"),
                routine: "report".into(),
            },
            Op::SetResult {
                future: Expr::var("f"),
                value: Expr::int(42),
            },
            Op::Print(Expr::str("result set")),
        ],
        vec![(
            "report",
            &["value"],
            vec![Op::Print(Expr::concat([
                Expr::str("callback got "),
                Expr::var("value"),
            ]))],
        )],
    );
    let result = run_program(&with_callback, 1_000);
    assert_eq!(result.output, ["result set", "callback got 42"]);
}

/// gather collects results in argument order, whatever order they finish in.
#[test]
fn gather_keeps_argument_order() {
    let gathered = program(
        vec![run_task("main")],
        vec![
            (
                "main",
                &[],
                vec![
                    Op::Await {
                        what: Awaitable::Gather(vec![
                            Awaitable::Call {
                                routine: "slow".into(),
                                args: vec![],
                            },
                            Awaitable::Call {
                                routine: "fast".into(),
                                args: vec![],
                            },
                            Awaitable::Gather(vec![]),
                        ]),
                        bind: Some("results".into()),
                    },
                    Op::Print(Expr::var("results")),
                ],
            ),
            ("slow", &[], vec![sleep(200), Op::Return(Expr::str("slow"))]),
            ("fast", &[], vec![sleep(100), Op::Return(Expr::int(1))]),
        ],
    );
    let result = run_program(&gathered, 1_000);
    assert_eq!(result.output, ["['slow', 1, []]"]);
    assert_eq!(result.virtual_ms, 200);
}
