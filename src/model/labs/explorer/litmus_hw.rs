//! `lab.run("litmus-hw", …)`: a litmus test run millions of times on real threads, and what
//! the counts say about the visitor's CPU. This half is pure: the parameters, the threads'
//! loads and stores (read off the test's explorer program, so the model and the machine run
//! the same test), the outcome sets sequential consistency and x86-TSO allow (from the
//! explorer's searches), and the verdict. The runtime runs the threads and counts.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::ast::{Expr, Program, StmtKind};
use super::litmus::{LITMUS, Litmus, litmus, outcome_name, register_values};
use super::parser::parse;
use super::search::{Options, Reduction, Strategy, explore};
use crate::model::params::check_range;

/// Fewest and most runs of the test.
pub const ITERATIONS_RANGE: (u32, u32) = (1_000, 10_000_000);

/// Parameters of `lab.run("litmus-hw", params)`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct LitmusHwParams {
    /// Litmus test id: `SB`, `MP`, `LB`, `WRC`, `ISA2`, `RWC`, `SB3` or `IRIW`.
    pub test: String,
    /// How many times to run it.
    pub iterations: u32,
    /// Make every access a sequentially consistent atomic (a fence on x86): weak outcomes
    /// must vanish.
    pub fence: bool,
}

impl Default for LitmusHwParams {
    fn default() -> Self {
        LitmusHwParams {
            test: "SB".into(),
            iterations: 1_000_000,
            fence: false,
        }
    }
}

impl LitmusHwParams {
    /// Checks every field, naming it and its allowed range.
    pub fn validate(&self) -> Result<(), String> {
        if litmus(&self.test).is_none() {
            let ids: Vec<&str> = LITMUS.iter().map(|t| t.id).collect();
            return Err(format!(
                "test must be one of {} (got \"{}\")",
                ids.join(", "),
                self.test
            ));
        }
        check_range(
            "iterations",
            self.iterations,
            ITERATIONS_RANGE.0,
            ITERATIONS_RANGE.1,
        )
    }
}

/// One access of a thread, in program order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HwOp {
    /// Store 1 to variable `var`.
    Store { var: usize },
    /// Load variable `var` into register `reg`.
    Load { var: usize, reg: usize },
}

/// What the threads of a test do, as the runtime's workers run it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HwSpec {
    /// Variables (`x`, `y`, `z`), numbered in declaration order.
    pub vars: usize,
    /// Registers `r0`, `r1`, ….
    pub regs: usize,
    /// Each thread's accesses.
    pub threads: Vec<Vec<HwOp>>,
    /// Use sequentially consistent atomics instead of plain accesses.
    pub fence: bool,
}

/// Reads the loads and stores off a litmus test's program: `v = 1` stores, `rK = v` loads.
pub fn spec(test: &Litmus, fence: bool) -> Result<HwSpec, String> {
    let program = parse(test.source).map_err(|e| e.to_string())?;
    let names: Vec<&str> = program
        .declarations
        .iter()
        .map(|d| d.name.as_str())
        .filter(|name| !is_register(name))
        .collect();
    let var = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| format!("{}: unknown variable {name}", test.id))
    };
    let mut threads = Vec::new();
    for thread in &program.threads {
        let mut ops = Vec::new();
        for stmt in &thread.body {
            let StmtKind::Assign { target, value } = &stmt.kind else {
                return Err(format!("{}: only loads and stores", test.id));
            };
            ops.push(match value {
                Expr::Int(1) => HwOp::Store { var: var(target)? },
                Expr::Name { name: source, .. } if is_register(target) => HwOp::Load {
                    var: var(source)?,
                    reg: target[1..].parse().map_err(|_| "bad register")?,
                },
                _ => return Err(format!("{}: only `v = 1` and `rK = v`", test.id)),
            });
        }
        threads.push(ops);
    }
    Ok(HwSpec {
        vars: names.len(),
        regs: test.registers,
        threads,
        fence,
    })
}

fn is_register(name: &str) -> bool {
    name.len() >= 2 && name.starts_with('r') && name[1..].bytes().all(|b| b.is_ascii_digit())
}

/// The test's program with a `fence` between every two accesses of a thread.
pub fn fenced_source(test: &Litmus) -> String {
    let mut out = String::new();
    let mut in_thread = false;
    let mut statements = 0;
    for line in test.source.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("thread ") {
            in_thread = true;
            statements = 0;
        } else if trimmed == "}" {
            in_thread = false;
        } else if in_thread && !trimmed.is_empty() {
            if statements > 0 {
                out.push_str("    fence\n");
            }
            statements += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The outcomes (register values in order) a model allows: `tso` false for sequential
/// consistency.
pub fn allowed(test: &Litmus, fence: bool, tso: bool) -> Result<BTreeSet<Vec<i64>>, String> {
    let source = if fence {
        fenced_source(test)
    } else {
        test.source.to_string()
    };
    let program: Program = parse(&source).map_err(|e| e.to_string())?;
    let strategy = if tso {
        Strategy::Tso
    } else {
        Strategy::Exhaustive {
            reduction: Reduction::Full,
        }
    };
    let report =
        explore(&program, &Options::with(strategy), &mut |_| false).map_err(|e| e.to_string())?;
    Ok(register_values(test, &report))
}

/// What `lab.run("litmus-hw", …)` resolves to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LitmusHwReport {
    pub test: String,
    /// The test's title.
    pub title: String,
    pub fence: bool,
    /// Runs asked for.
    pub iterations: u32,
    /// Runs done (fewer when cancelled).
    pub runs: u64,
    /// How often each outcome appeared, by name (`r0=0,r1=0`); outcomes never seen are left out.
    pub counts: BTreeMap<String, u64>,
    /// Outcomes sequential consistency allows.
    pub allowed_sc: Vec<String>,
    /// Outcomes x86-TSO allows.
    pub allowed_tso: Vec<String>,
    /// The outcome the test is about.
    pub weak: String,
    /// Which model the CPU behaved like in these runs.
    pub verdict: String,
    /// Wall time of the runs on the workers (barriers included).
    pub ms: f64,
    /// Runs per second.
    pub runs_per_s: Option<f64>,
    /// True when the run was cancelled; the counts cover the runs done.
    pub cancelled: bool,
    /// How the threads ran.
    pub method: String,
}

/// Builds the report from the runtime's counts, indexed by `Σ r_k << k`.
pub fn report(
    params: &LitmusHwParams,
    counts_by_index: &[u64],
    runs: u64,
    ms: f64,
    cancelled: bool,
    threads: usize,
) -> Result<LitmusHwReport, String> {
    let test = litmus(&params.test).ok_or("unknown test")?;
    let sc = allowed(test, params.fence, false)?;
    let tso = allowed(test, params.fence, true)?;
    let mut seen = BTreeSet::new();
    let mut counts = BTreeMap::new();
    for (index, &count) in counts_by_index.iter().enumerate() {
        if count == 0 || index >= 1 << test.registers {
            continue;
        }
        let registers: Vec<i64> = (0..test.registers)
            .map(|k| ((index >> k) & 1) as i64)
            .collect();
        counts.insert(outcome_name(&registers), count);
        seen.insert(registers);
    }
    let names = |set: &BTreeSet<Vec<i64>>| set.iter().map(|r| outcome_name(r)).collect::<Vec<_>>();
    let beyond_sc: BTreeSet<_> = seen.difference(&sc).cloned().collect();
    let beyond_tso: BTreeSet<_> = seen.difference(&tso).cloned().collect();
    let verdict = if !beyond_tso.is_empty() {
        t!(
            "explorer.litmus_hw.weaker_than_tso",
            seen = names(&beyond_tso).join("; ")
        )
    } else if !beyond_sc.is_empty() {
        t!(
            "explorer.litmus_hw.like_tso",
            seen = names(&beyond_sc).join("; ")
        )
    } else if tso.len() > sc.len() {
        t!(
            "explorer.litmus_hw.sc_tso_allows_more",
            runs = runs,
            more = names(&tso.difference(&sc).cloned().collect()).join("; ")
        )
    } else {
        t!("explorer.litmus_hw.sc_as_required", runs = runs)
    }
    .to_string();
    let access = if params.fence {
        t!("explorer.litmus_hw.access_atomics")
    } else {
        t!("explorer.litmus_hw.access_plain")
    };
    Ok(LitmusHwReport {
        test: test.id.to_string(),
        title: test.label(),
        fence: params.fence,
        iterations: params.iterations,
        runs,
        counts,
        allowed_sc: names(&sc),
        allowed_tso: names(&tso),
        weak: outcome_name(test.weak),
        verdict,
        ms,
        runs_per_s: (ms > 0.0).then(|| runs as f64 / ms * 1000.0),
        cancelled,
        method: t!(
            "explorer.litmus_hw.method",
            threads = threads,
            access = access
        )
        .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_read_off_the_programs() {
        let sb = spec(litmus("SB").unwrap(), false).unwrap();
        assert_eq!((sb.vars, sb.regs), (2, 2));
        assert_eq!(
            sb.threads,
            [
                vec![HwOp::Store { var: 0 }, HwOp::Load { var: 1, reg: 0 }],
                vec![HwOp::Store { var: 1 }, HwOp::Load { var: 0, reg: 1 }],
            ]
        );
        for test in LITMUS {
            let spec = spec(test, true).unwrap();
            let accesses: usize = spec.threads.iter().map(Vec::len).sum();
            assert!(accesses >= 4, "{}", test.id);
            assert!(spec.threads.len() <= 4);
        }
    }

    #[test]
    fn fences_take_the_weak_outcomes_away_in_the_model() {
        for test in LITMUS {
            let fenced_tso = allowed(test, true, true).unwrap();
            assert_eq!(
                fenced_tso,
                allowed(test, true, false).unwrap(),
                "{}",
                test.id
            );
            assert_eq!(
                fenced_tso,
                allowed(test, false, false).unwrap(),
                "{}",
                test.id
            );
            assert!(!fenced_tso.contains(test.weak));
        }
        assert!(fenced_source(litmus("SB").unwrap()).contains("x = 1\n    fence\n    r0 = y"));
    }

    #[test]
    fn the_verdict_names_the_model_the_counts_fit() {
        let params = LitmusHwParams::default();
        // Index Σ r_k << k: 0 is r0=0,r1=0; 1 is r0=1,r1=0; 2 is r0=0,r1=1; 3 both 1.
        let tso_like = report(&params, &[120, 440, 440, 0], 1000, 10.0, false, 2).unwrap();
        assert!(
            tso_like.verdict.starts_with("like x86-TSO: saw r0=0,r1=0"),
            "{}",
            tso_like.verdict
        );
        assert_eq!(tso_like.counts["r0=0,r1=0"], 120);
        assert!(!tso_like.counts.contains_key("r0=1,r1=1"));
        assert_eq!(tso_like.allowed_sc, ["r0=0,r1=1", "r0=1,r1=0", "r0=1,r1=1"]);
        assert_eq!(tso_like.allowed_tso.len(), 4);
        assert_eq!(tso_like.runs_per_s, Some(100_000.0));
        let sc_like = report(&params, &[0, 500, 500, 0], 1000, 10.0, false, 2).unwrap();
        assert!(
            sc_like.verdict.contains("TSO would also allow r0=0,r1=0"),
            "{}",
            sc_like.verdict
        );
        let mp = LitmusHwParams {
            test: "MP".into(),
            ..params
        };
        let arm = report(&mp, &[10, 5, 0, 985], 1000, 10.0, false, 2).unwrap();
        assert!(
            arm.verdict
                .starts_with("weaker than x86-TSO: saw r0=1,r1=0"),
            "{}",
            arm.verdict
        );
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let bad = LitmusHwParams {
            test: "XX".into(),
            ..LitmusHwParams::default()
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            "test must be one of SB, MP, LB, WRC, ISA2, RWC, SB3, IRIW (got \"XX\")"
        );
        let few = LitmusHwParams {
            iterations: 5,
            ..LitmusHwParams::default()
        };
        assert!(
            few.validate()
                .unwrap_err()
                .starts_with("iterations must be")
        );
    }
}
