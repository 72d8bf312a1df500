//! The GIL lab's model: the language round-trips, the bytecode says where a switch may fall,
//! the switch rules decide whether the notes' bank loses updates (stepped deterministically),
//! and the scheduling model's totals match hand-computed ones.

use super::interp::{Step, Thread};
use super::lab::{BANK, GilParams, SwitchRule, Workload, instructions_until_drop, thread_amount};
use super::parser::parse;
use super::sched::{Machine, Policy, cpu_only, simulate, two_waits};
use super::{Op, Program};
use std::cell::RefCell;

fn bank() -> Program {
    Program::compile(BANK).unwrap()
}

#[test]
fn the_bank_compiles_to_a_listing_with_no_switch_point_between_load_and_store() {
    let program = bank();
    let change = &program.functions[program.function("change_it").unwrap()];
    let names: Vec<&str> = change.code.iter().map(|op| op.name()).collect();
    assert_eq!(
        names,
        [
            "RESUME",
            "LOAD_GLOBAL",
            "LOAD_FAST",
            "BINARY_OP",
            "STORE_GLOBAL",
            "LOAD_GLOBAL",
            "LOAD_FAST",
            "BINARY_OP",
            "STORE_GLOBAL",
            "LOAD_CONST",
            "RETURN_VALUE"
        ]
    );
    // Only RESUME is an eval-breaker point inside change_it.
    let breakers: Vec<usize> = (0..change.code.len())
        .filter(|&i| change.code[i].is_eval_breaker())
        .collect();
    assert_eq!(breakers, [0]);
    let listing = program.listing();
    assert!(listing.contains("global balance = 0"), "{listing}");
    assert!(
        listing.contains("   1    6   LOAD_GLOBAL       balance"),
        "{listing}"
    );
    assert!(listing.contains("   0    4 * RESUME"), "{listing}");
    assert!(
        listing.contains("* CALL              change_it (1 args)"),
        "{listing}"
    );
    assert!(listing.contains("* JUMP_BACKWARD     to "), "{listing}");
}

#[test]
fn a_program_prints_back_to_text_that_parses_to_the_same_program() {
    for source in [
        BANK.to_string(),
        super::lab::workload_source(Workload::Mixed, 10, 100),
        "x = -3\ndef f(a):\n    if a % 2 == 0:\n        return a // 2\n    else:\n        return -(a * 3 + 1)\ndef worker(n, units):\n    x = f(n) - (units - 1)\n".to_string(),
    ] {
        let once = parse(&source).unwrap().to_string();
        let twice = parse(&once).unwrap().to_string();
        assert_eq!(once, twice);
        // The same instructions (source lines differ: comments are not printed).
        let code = |text: &str| {
            let p = Program::compile(text).unwrap();
            (p.globals, p.functions.into_iter().map(|f| (f.name, f.locals, f.code)).collect::<Vec<_>>())
        };
        assert_eq!(code(&once), code(&source));
    }
}

#[test]
fn bad_programs_are_refused_with_line_and_column() {
    let cases = [
        (
            "def worker(n, units):\nunits = 1\n",
            "line 2, column 1: expected an indented block after ':'",
        ),
        (
            "def worker(n, units):\n    units = units +\n",
            "line 2, column 20: expected a number, a name or '('",
        ),
        (
            "def worker(n, units):\n    print(\"hi\")\n",
            "line 2, column 11: '\"' is not part of this language",
        ),
        (
            "def worker(n, units):\n    y = zz\n",
            "line 2, column 1: name 'zz' is not defined",
        ),
        (
            "def worker(n, units):\n\tpass\n",
            "line 2, column 1: use spaces, not tabs, to indent",
        ),
        (
            "def worker(n, units):\n    for i in items:\n        pass\n",
            "line 2, column 14: a for loop runs over range(n) only",
        ),
    ];
    for (source, message) in cases {
        let error = Program::compile(source).unwrap_err().to_string();
        assert_eq!(error, message, "{source}");
    }
    let deep = format!(
        "def worker(n, units):\n    x = {}1{}\n",
        "(".repeat(40),
        ")".repeat(40)
    );
    assert!(
        Program::compile(&deep)
            .unwrap_err()
            .message
            .contains("nests too deeply")
    );
}

#[test]
fn the_interpreter_counts_instructions_and_reports_errors() {
    let program = Program::compile(&super::lab::workload_source(Workload::Cpu, 0, 0)).unwrap();
    let worker = program.function("worker").unwrap();
    let globals = RefCell::new(vec![]);
    let mut thread = Thread::new(&program, worker, &[5, 1000]).unwrap();
    let result = loop {
        if let Step::Finished(v) = thread.step(&program, &globals).unwrap() {
            break v;
        }
    };
    assert_eq!(result, 0);
    // RESUME; per round 9 instructions (load, const, compare, jump if false, load, const,
    // subtract, store, jump back); the last test (4); the return (2).
    assert_eq!(thread.executed, 1 + 1000 * 9 + 4 + 2);

    let program = Program::compile(
        "def f(a):\n    return f(a)\ndef worker(n, units):\n    return 10 // (units - units)\n",
    )
    .unwrap();
    let mut thread = Thread::new(&program, program.function("worker").unwrap(), &[1, 1]).unwrap();
    let error = loop {
        match thread.step(&program, &globals) {
            Err(e) => break e,
            Ok(Step::Finished(_)) => panic!("should fail"),
            Ok(_) => {}
        }
    };
    assert_eq!(error, "division by zero");
    let mut thread = Thread::new(&program, program.function("f").unwrap(), &[1]).unwrap();
    let error = loop {
        if let Err(e) = thread.step(&program, &globals) {
            break e;
        }
    };
    assert!(error.contains("nested calls"), "{error}");
}

/// Two bank threads on a virtual clock of one instruction per tick. The waiter asks for the
/// GIL `interval` instructions after it began to wait; the holder drops it where the rule
/// allows. Returns (final balance, most instructions between request and hand-over).
#[test]
fn c_calls_compile_to_one_uninterruptible_instruction_that_says_what_happens_to_the_gil() {
    let params = |workload| GilParams {
        workload,
        units: 8,
        c_kib: 3,
        ..GilParams::default()
    };
    for (workload, name, releases) in [
        (Workload::CHash, "CALL_C_HASH", true),
        (Workload::CSum, "CALL_C_SUM", false),
    ] {
        let params = params(workload);
        assert_eq!(params.validate(2), Ok(()));
        let program = params.program().unwrap();
        let worker = program.function("worker").unwrap();
        let calls: Vec<Op> = program.functions[worker]
            .code
            .iter()
            .copied()
            .filter(|op| op.name() == name)
            .collect();
        assert_eq!(
            calls,
            [Op::CCall {
                releases_gil: releases
            }]
        );
        assert!(calls[0].is_eval_breaker());
        assert!(program.listing().contains(name));
        // Each unit is one call of c_kib KiB, handed to the caller to run.
        let globals = RefCell::new(vec![]);
        let mut thread = Thread::new(&program, worker, &[5, 8]).unwrap();
        let mut steps = vec![];
        loop {
            match thread.step(&program, &globals).unwrap() {
                Step::Finished(_) => break,
                Step::Ran => {}
                other => steps.push(other),
            }
        }
        let expected = Step::CCall {
            kib: 3,
            releases_gil: releases,
        };
        assert_eq!(steps, vec![expected; 8]);
    }
    // A call's size is checked where it runs, with the function's name and range.
    let program = Program::compile("def worker(n, units):\n    c_sum(units)\n").unwrap();
    let mut thread = Thread::new(&program, 0, &[5, 20_000]).unwrap();
    let error = loop {
        match thread.step(&program, &RefCell::new(vec![])) {
            Err(e) => break e,
            Ok(Step::Finished(_)) => panic!("should fail"),
            Ok(_) => {}
        }
    };
    assert_eq!(error, "c_sum(kib): kib must be 0 … 16384, not 20000");
    let error = Program::compile("def worker(n, units):\n    x = c_hash(4)\n").unwrap_err();
    assert_eq!(error.message, "c_hash(…) is a statement of its own here");
    let error = Program::compile("def worker(n, units):\n    c_hash(4, 5)\n").unwrap_err();
    assert_eq!(error.message, "c_hash takes one argument: KiB");
    // The sizes are bounded per call and in all.
    let error = GilParams {
        c_kib: 0,
        ..params(Workload::CHash)
    }
    .validate(2)
    .unwrap_err();
    assert!(
        error.contains("c_kib") && error.contains("16384"),
        "{error}"
    );
    let error = GilParams {
        units: 2_000,
        c_kib: 1_024,
        ..params(Workload::CSum)
    }
    .validate(2)
    .unwrap_err();
    assert_eq!(
        error,
        "units × c_kib is 2048000 KiB of hashing; keep it at most 1048576 KiB"
    );
}

#[test]
fn the_c_kernel_hashes_every_byte_it_is_given() {
    use super::interp::c_hash;
    // No KiB: only the seeded FNV offset basis.
    assert_eq!(c_hash(0, 0), 0xcbf2_9ce4_8422_2325);
    assert_eq!(c_hash(0, 1), 0xcbf2_9ce4_8422_2324);
    // Deterministic, and every KiB and the seed change the result.
    assert_eq!(c_hash(3, 9), c_hash(3, 9));
    assert_ne!(c_hash(3, 9), c_hash(2, 9));
    assert_ne!(c_hash(3, 9), c_hash(3, 8));
    // One byte by hand: FNV-1a of the pattern's first byte (0).
    let mut one = 0xcbf2_9ce4_8422_2325u64;
    for i in 0..1024u32 {
        one ^= u64::from(i.wrapping_mul(31) as u8);
        one = one.wrapping_mul(0x0100_0000_01b3);
    }
    assert_eq!(c_hash(1, 0), one);
}

fn stepped_bank(rule: SwitchRule, interval: usize, ticks: u64, units: i64) -> (i64, usize) {
    let program = bank();
    let worker = program.function("worker").unwrap();
    let globals = RefCell::new(vec![0i64]);
    let mut threads: Vec<Thread> = (0..2)
        .map(|t| Thread::new(&program, worker, &[thread_amount(t), units]).unwrap())
        .collect();
    let mut done = [false, false];
    let (mut holder, mut waited, mut since_take, mut worst) = (0usize, 0usize, 0u64, 0usize);
    while !(done[0] && done[1]) {
        let other = 1 - holder;
        if !done[other] {
            waited += 1;
            let op = threads[holder].next_op(&program).unwrap();
            let drop = match rule {
                SwitchRule::Ticks => since_take >= ticks,
                // No lock: the threads' instructions interleave, `ticks` at a time.
                SwitchRule::FreeThreaded => since_take >= ticks.max(1),
                _ => waited > interval && rule.may_switch_before(op),
            };
            if drop {
                worst = worst.max(waited.saturating_sub(interval + 1));
                holder = other;
                waited = 0;
                since_take = 0;
                continue;
            }
        }
        since_take += 1;
        if let Step::Finished(_) = threads[holder].step(&program, &globals).unwrap() {
            done[holder] = true;
            holder = 1 - holder;
            waited = 0;
        }
    }
    let balance = globals.borrow()[0];
    (balance, worst)
}

#[test]
fn only_rules_that_may_switch_between_load_and_store_lose_the_banks_updates() {
    // Request phases vary with the interval; try many.
    let lost = |rule, ticks| {
        (20..60)
            .filter(|&interval| stepped_bank(rule, interval, ticks, 400).0 != 0)
            .count()
    };
    assert_eq!(lost(SwitchRule::IntervalEvalBreaker, 0), 0);
    assert!(lost(SwitchRule::IntervalAny, 0) > 10);
    let ticks_lost = (90..110)
        .filter(|&t| stepped_bank(SwitchRule::Ticks, 0, t, 400).0 != 0)
        .count();
    assert!(ticks_lost > 5, "{ticks_lost}");
    let free_lost = (1..12)
        .filter(|&k| stepped_bank(SwitchRule::FreeThreaded, 0, k, 400).0 != 0)
        .count();
    assert!(free_lost > 3, "{free_lost}");
}

#[test]
fn a_waiter_gets_the_gil_within_one_interval_and_one_check() {
    let program = bank();
    // The longest stretch without an eval-breaker point anywhere in the bank's code paths.
    let worker = &program.functions[program.function("worker").unwrap()].code;
    let change = &program.functions[program.function("change_it").unwrap()].code;
    let gap = |code: &[Op]| {
        (0..code.len())
            .filter_map(|start| {
                instructions_until_drop(code, SwitchRule::IntervalEvalBreaker, start)
            })
            .max()
            .unwrap()
    };
    let bound = gap(worker) + gap(change);
    for interval in [10, 25, 50] {
        let (_, worst) = stepped_bank(SwitchRule::IntervalEvalBreaker, interval, 0, 200);
        assert!(
            worst <= bound,
            "waited {worst} past the interval, bound {bound}"
        );
        let (_, worst) = stepped_bank(SwitchRule::IntervalAny, interval, 0, 200);
        assert_eq!(
            worst, 0,
            "interval-any drops before the very next instruction"
        );
    }
    assert_eq!(
        instructions_until_drop(change, SwitchRule::IntervalAny, 3),
        Some(0)
    );
    assert_eq!(instructions_until_drop(change, SwitchRule::Ticks, 3), None);
}

#[test]
fn parameters_are_bounded_and_split_fairly() {
    let p = GilParams::default();
    p.validate(6).unwrap();
    assert_eq!(
        p.shares(4).iter().sum::<i64>(),
        i64::from(p.effective_units())
    );
    assert_eq!(
        GilParams {
            units: 10,
            ..p.clone()
        }
        .shares(4),
        [3, 3, 2, 2]
    );
    assert_eq!(
        (0..5).map(thread_amount).collect::<Vec<_>>(),
        [5, 8, 13, 21, 34]
    );
    let err = GilParams {
        threads: 7,
        ..p.clone()
    }
    .validate(6)
    .unwrap_err();
    assert_eq!(err, "threads must be between 1 and 6 (got 7)");
    let err = GilParams {
        workload: Workload::Io,
        units: 100,
        io_ms: 500,
        ..p.clone()
    }
    .validate(6)
    .unwrap_err();
    assert!(err.contains("50000 ms of sleeping"), "{err}");
    GilParams {
        workload: Workload::Custom,
        ..p.clone()
    }
    .validate(6)
    .unwrap();
    let err = GilParams {
        workload: Workload::Custom,
        program: Some("def work(n):\n    pass\n".into()),
        ..p.clone()
    }
    .validate(6)
    .unwrap_err();
    assert_eq!(
        err,
        "program: define worker(n, units), which each thread calls"
    );
    let err = GilParams {
        workload: Workload::Custom,
        program: Some("def worker(n, units):\n    x = (\n".into()),
        ..p
    }
    .validate(6)
    .unwrap_err();
    assert!(err.starts_with("program: line 2"), "{err}");
}

fn machine(switch_ms: u32) -> Machine {
    Machine {
        cores: 2,
        quantum_ms: 10,
        switch_ms,
        interval_ms: 5,
        start_ms: 50,
    }
}

#[test]
fn two_five_second_waits_take_ten_seconds_in_turn_and_five_at_once() {
    let total = |policy| simulate(&two_waits(), policy, machine(1)).total_ms;
    assert_eq!(total(Policy::Serial), 10_000);
    assert_eq!(total(Policy::Greenlet), 10_000);
    assert_eq!(total(Policy::Threads), 5_000);
    assert_eq!(total(Policy::ThreadsGil), 5_000);
    assert_eq!(total(Policy::Coroutines), 5_000);
    // Each process first spends 50 ms starting, on a core of its own.
    assert_eq!(total(Policy::Processes), 5_050);
}

#[test]
fn computing_scales_with_cores_only_without_a_gil() {
    let run = |policy| simulate(&cpu_only(), policy, machine(0));
    assert_eq!(run(Policy::Serial).total_ms, 4_000);
    assert_eq!(run(Policy::Coroutines).total_ms, 4_000);
    assert_eq!(run(Policy::ThreadsGil).total_ms, 4_000);
    let threads = run(Policy::Threads);
    assert_eq!(threads.total_ms, 2_000);
    assert!((threads.utilisation - 1.0).abs() < 1e-12);
    // Four 50 ms start-ups share the two cores too.
    assert_eq!(run(Policy::Processes).total_ms, 2_100);
    // Switching costs time: with 1 ms per switch and a 10 ms quantum, four tasks on two
    // cores lose a little over 9 % to switches.
    let costly = simulate(&cpu_only(), Policy::Threads, machine(1));
    assert!(
        costly.total_ms > 2_150 && costly.total_ms < 2_250,
        "{}",
        costly.total_ms
    );
    // Every task's spans tile its time without gaps or overlaps.
    for task in 0..4 {
        let mut spans: Vec<_> = costly.spans.iter().filter(|s| s.task == task).collect();
        spans.sort_by_key(|s| s.start_ms);
        assert_eq!(spans[0].start_ms, 0);
        for pair in spans.windows(2) {
            assert_eq!(pair[0].end_ms, pair[1].start_ms);
        }
    }
}

#[test]
fn the_downloads_model_orders_the_policies_as_the_notes_do() {
    let tasks = super::sched::downloads();
    let total = |policy| simulate(&tasks, policy, machine(1)).total_ms;
    let serial = total(Policy::Serial);
    assert_eq!(serial, 3 * 400 + 18_000 + 3_000);
    // Waits overlap under every concurrent policy: the longest download bounds them.
    for policy in [
        Policy::Threads,
        Policy::ThreadsGil,
        Policy::Processes,
        Policy::Coroutines,
    ] {
        let t = total(policy);
        assert!((7_400..9_000).contains(&t), "{policy:?}: {t}");
    }
    assert_eq!(total(Policy::Greenlet), serial);
}

#[test]
fn the_thread_count_formula_and_its_ideal_curve() {
    use super::lab::{ThreadCountParams, thread_count_report};
    let p = ThreadCountParams {
        wait_ms: 20,
        cpu_ms: 5,
        max_threads: 32,
        gil: false,
        duration_ms: 400,
    };
    assert_eq!(p.counts(), [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]);
    assert_eq!(
        ThreadCountParams {
            max_threads: 10,
            ..p.clone()
        }
        .counts(),
        [1, 2, 3, 4, 6, 8, 10]
    );
    // 2 cores × (1 + 20 / 5) = 10 threads; with a GIL, 1 × 5.
    assert_eq!(p.formula_optimum(2), 10.0);
    assert_eq!(
        ThreadCountParams {
            gil: true,
            ..p.clone()
        }
        .formula_optimum(2),
        5.0
    );
    // One thread: a task per 25 ms = 40/s; saturated at 2 cores / 5 ms = 400/s.
    assert_eq!(p.ideal_tasks_per_s(1, 2), 40.0);
    assert_eq!(p.ideal_tasks_per_s(10, 2), 400.0);
    assert_eq!(p.ideal_tasks_per_s(32, 2), 400.0);
    let report = thread_count_report(
        &p,
        &[
            (1, 39.0),
            (4, 150.0),
            (8, 300.0),
            (12, 390.0),
            (16, 396.0),
            (32, 380.0),
        ],
        2,
        6,
    );
    assert_eq!(report.measured_optimum, 12);
    assert_eq!(report.points[0].ideal_tasks_per_s, 40.0);
    assert!(p.validate().is_ok());
    assert_eq!(
        ThreadCountParams { cpu_ms: 0, ..p }.validate().unwrap_err(),
        "cpu_ms must be between 1 and 100 (got 0)"
    );
}
