//! Benchmark of the interleaving explorer: states per second, and schedules and states explored
//! with and without reduction for every preset (the 3-thread balance race is `balance-3`).
//!
//! Goals: at least 1 M states/s natively, and at least 10× fewer states with full reduction
//! than with plain enumeration on the 3-thread race. Run with `cargo bench --bench explore`.

#![expect(
    clippy::disallowed_methods,
    reason = "native benchmark: Instant is fine outside the browser"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use concurrency_lab::model::labs::explorer::differential::{ProgramGenerator, compare};
use concurrency_lab::model::labs::explorer::{
    LITMUS, Machine, Options, PRESETS, Program, Reduction, Report, Strategy, explore, parse,
};

/// Each measurement repeats its run until at least this much time has passed.
const MIN_MEASURE: Duration = Duration::from_millis(200);

struct Measurement {
    report: Report,
    seconds_per_run: f64,
}

fn measure(program: &Program, options: &Options) -> Measurement {
    let mut runs = 0u32;
    let start = Instant::now();
    loop {
        let report = explore(black_box(program), options, &mut |_| false).expect("compiles");
        runs += 1;
        let elapsed = start.elapsed();
        if elapsed >= MIN_MEASURE {
            return Measurement {
                report,
                seconds_per_run: elapsed.as_secs_f64() / f64::from(runs),
            };
        }
    }
}

fn outcome_count(report: &Report) -> usize {
    report.final_states.len()
        + report.deadlocks.len()
        + report.assertion_failures.len()
        + report.errors.len()
}

fn main() {
    println!(
        "{:<18} {:<11} {:>10} {:>10} {:>9} {:>12} {:>8}",
        "preset", "reduction", "schedules", "states", "ms/run", "states/s", "outcomes"
    );
    let mut slowest_rate = f64::INFINITY;
    let mut three_thread_ratio = 0.0;
    for preset in PRESETS {
        let program = parse(preset.source).expect("presets parse");
        let mut states = Vec::new();
        let mut unreduced_cut = false;
        for (name, reduction) in [
            ("none", Reduction::None),
            ("state-cache", Reduction::StateCache),
            ("full", Reduction::Full),
            ("dpor", Reduction::Dpor),
        ] {
            let options = Options::with(Strategy::Exhaustive { reduction });
            let measurement = measure(&program, &options);
            let report = &measurement.report;
            let rate = report.states as f64 / measurement.seconds_per_run;
            // DPOR pays per state for its vector clocks; its rate is printed on its own row.
            if report.states >= 1_000 && reduction != Reduction::Dpor {
                slowest_rate = slowest_rate.min(rate);
            }
            println!(
                "{:<18} {:<11} {:>10} {:>10} {:>9.3} {:>12.0} {:>8}{}",
                preset.id,
                name,
                report.schedules,
                report.states,
                measurement.seconds_per_run * 1e3,
                rate,
                outcome_count(report),
                report
                    .limit_reached
                    .as_deref()
                    .map_or(String::new(), |l| format!("  LIMIT: {l}"))
            );
            if reduction == Reduction::None {
                unreduced_cut = report.limit_reached.is_some();
            }
            states.push(report.states as f64);
        }
        let ratio = states[0] / states[2];
        println!(
            "{:<18} reduction: {}{:.1}x fewer states (full vs none), {:.1}x (full vs state-cache), dpor {:.2}x the states of full",
            preset.id,
            if unreduced_cut { "at least " } else { "" },
            ratio,
            states[1] / states[2],
            states[3] / states[2]
        );
        if preset.id == "balance-3" {
            three_thread_ratio = ratio;
        }
    }

    println!("\nlitmus tests: schedules DPOR explores vs Mazurkiewicz traces (goal: equal)");
    for test in LITMUS {
        let program = parse(test.source).expect("litmus tests parse");
        let dpor = measure(
            &program,
            &Options::with(Strategy::Exhaustive {
                reduction: Reduction::Dpor,
            }),
        );
        let plain = measure(&program, &Options::count_schedules());
        println!(
            "{:<5} traces {:>3}  dpor {:>3} schedules {:>4} states  every schedule {:>4}  {}",
            test.id,
            test.traces,
            dpor.report.schedules,
            dpor.report.states,
            plain.report.schedules,
            if dpor.report.schedules == test.traces {
                "ok"
            } else {
                "MISSED"
            }
        );
    }

    // Every exhaustive mode against plain enumeration on generated programs.
    let mut generator = ProgramGenerator::new(7_000_003);
    let programs = 5_000;
    let (mut compared, mut halting, mut disagreements) = (0u32, 0u32, 0u32);
    let start = Instant::now();
    for _ in 0..programs {
        let program = generator.program();
        match compare(&program) {
            Ok(c) if c.compared => {
                compared += 1;
                halting += u32::from(c.halts);
            }
            Ok(_) => {}
            Err(e) => {
                disagreements += 1;
                eprintln!("DISAGREEMENT: {e}\n{program}");
            }
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "differential: {programs} generated programs, {compared} compared in full ({halting} can halt), {disagreements} disagreements, {:.0} programs/s {}",
        f64::from(programs) / seconds,
        if disagreements == 0 { "ok" } else { "MISSED" }
    );

    let program = parse(
        PRESETS
            .iter()
            .find(|p| p.id == "balance-3")
            .expect("balance-3 preset")
            .source,
    )
    .expect("parses");
    let random = measure(&program, &Options::random(10_000, 42));
    println!(
        "random 10000 schedules on balance-3: {:.1} ms, {:.0} states/s, {} final states",
        random.seconds_per_run * 1e3,
        random.report.states as f64 / random.seconds_per_run,
        random.report.final_states.len()
    );
    let bounded = measure(&program, &Options::bounded_preemption(2));
    println!(
        "bounded preemption k=2 on balance-3: {} states, {} final states",
        bounded.report.states,
        bounded.report.final_states.len()
    );

    let machine = Machine::new(&program).expect("compiles");
    let clones = 1_000_000u32;
    let start = Instant::now();
    for _ in 0..clones {
        black_box(black_box(&machine).clone());
    }
    println!(
        "machine clone: {:.0} ns",
        start.elapsed().as_secs_f64() * 1e9 / f64::from(clones)
    );

    println!(
        "slowest exhaustive rate (runs with >= 1000 states): {:.2} M states/s (goal >= 1)",
        slowest_rate / 1e6
    );
    println!(
        "3-thread balance race: {three_thread_ratio:.1}x fewer states with reduction (goal >= 10) {}",
        if three_thread_ratio >= 10.0 {
            "ok"
        } else {
            "MISSED"
        }
    );
}
