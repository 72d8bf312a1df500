//! The classic litmus tests of memory models, written in the explorer's language.
//!
//! Each test is a handful of threads storing to and loading from shared `x`, `y`, `z`; what a
//! thread loads lands in a shared register `r0`, `r1`, … that only it writes, so the final
//! state names the outcome. The explorer's searches tell which outcomes sequential consistency
//! and x86-TSO allow; the litmus lab on real threads counts what the visitor's CPU does.
//! Names follow the literature (Alglave, Maranget, Sarkar and Sewell's litmus tests).

use std::collections::BTreeSet;

use super::search::Report;

/// One litmus test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Litmus {
    /// Short name, e.g. `SB`.
    pub id: &'static str,
    /// What the test is called.
    pub title: &'static str,
    /// The program; registers are the shared variables named `r0`, `r1`, ….
    pub source: &'static str,
    /// How many registers the outcome has.
    pub registers: usize,
    /// The outcome the test is about (a weak one: forbidden under sequential consistency).
    pub weak: &'static [i64],
    /// Distinct Mazurkiewicz traces under sequential consistency (steps commute unless they
    /// touch the same variable and one writes it).
    pub traces: u64,
}

/// Every litmus test, smallest first.
impl Litmus {
    /// The title in the page's language (`title` stays English for the console).
    pub fn label(&self) -> String {
        match self.id {
            "SB" => t!("explorer.litmus_test.SB"),
            "MP" => t!("explorer.litmus_test.MP"),
            "LB" => t!("explorer.litmus_test.LB"),
            "WRC" => t!("explorer.litmus_test.WRC"),
            "ISA2" => t!("explorer.litmus_test.ISA2"),
            "RWC" => t!("explorer.litmus_test.RWC"),
            "SB3" => t!("explorer.litmus_test.SB3"),
            "IRIW" => t!("explorer.litmus_test.IRIW"),
            _ => return self.title.to_string(),
        }
        .to_string()
    }
}

pub const LITMUS: &[Litmus] = &[
    Litmus {
        id: "SB",
        title: "Store buffering: each thread stores, then loads the other's variable",
        // The store-buffering preset, comments and all: one text for the menu and the lab.
        source: super::presets::STORE_BUFFERING,
        registers: 2,
        weak: &[0, 0],
        traces: 3,
    },
    Litmus {
        id: "MP",
        title: "Message passing: data, then a flag; the reader sees the flag, then the data",
        source: "\
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0

thread t0 {
    x = 1
    y = 1
}

thread t1 {
    r0 = y
    r1 = x
}
",
        registers: 2,
        weak: &[1, 0],
        traces: 3,
    },
    Litmus {
        id: "LB",
        title: "Load buffering: each thread loads, then stores what the other loads",
        source: "\
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0

thread t0 {
    r0 = x
    y = 1
}

thread t1 {
    r1 = y
    x = 1
}
",
        registers: 2,
        weak: &[1, 1],
        traces: 3,
    },
    Litmus {
        id: "WRC",
        title: "Write-to-read causality: a store seen by one thread, passed on to a third",
        source: "\
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0
shared r2 = 0

thread t0 {
    x = 1
}

thread t1 {
    r0 = x
    y = 1
}

thread t2 {
    r1 = y
    r2 = x
}
",
        registers: 3,
        weak: &[1, 1, 0],
        traces: 7,
    },
    Litmus {
        id: "ISA2",
        title: "ISA2: message passing through a chain of three threads",
        source: "\
shared x = 0
shared y = 0
shared z = 0
shared r0 = 0
shared r1 = 0
shared r2 = 0

thread t0 {
    x = 1
    y = 1
}

thread t1 {
    r0 = y
    z = 1
}

thread t2 {
    r1 = z
    r2 = x
}
",
        registers: 3,
        weak: &[1, 1, 0],
        traces: 7,
    },
    Litmus {
        id: "RWC",
        title: "Read-to-write causality: a reader, and a writer that reads",
        source: "\
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0
shared r2 = 0

thread t0 {
    x = 1
}

thread t1 {
    r0 = x
    r1 = y
}

thread t2 {
    y = 1
    r2 = x
}
",
        registers: 3,
        weak: &[1, 0, 0],
        traces: 7,
    },
    Litmus {
        id: "SB3",
        title: "Store buffering with three threads in a ring",
        source: "\
shared x = 0
shared y = 0
shared z = 0
shared r0 = 0
shared r1 = 0
shared r2 = 0

thread t0 {
    x = 1
    r0 = y
}

thread t1 {
    y = 1
    r1 = z
}

thread t2 {
    z = 1
    r2 = x
}
",
        registers: 3,
        weak: &[0, 0, 0],
        traces: 7,
    },
    Litmus {
        id: "IRIW",
        title: "Independent reads of independent writes: do two readers agree on the order?",
        source: "\
shared x = 0
shared y = 0
shared r0 = 0
shared r1 = 0
shared r2 = 0
shared r3 = 0

thread t0 {
    x = 1
}

thread t1 {
    y = 1
}

thread t2 {
    r0 = x
    r1 = y
}

thread t3 {
    r2 = y
    r3 = x
}
",
        registers: 4,
        weak: &[1, 0, 1, 0],
        traces: 15,
    },
];

/// The litmus test with this id.
pub fn litmus(id: &str) -> Option<&'static Litmus> {
    LITMUS.iter().find(|t| t.id == id)
}

/// The register values (`r0`, `r1`, … in order) of every final state of a report.
pub fn register_values(test: &Litmus, report: &Report) -> BTreeSet<Vec<i64>> {
    report
        .final_states
        .iter()
        .map(|f| {
            (0..test.registers)
                .map(|i| f.shared[&format!("r{i}")])
                .collect()
        })
        .collect()
}

/// An outcome's name as the console prints it: `r0=0,r1=0`.
pub fn outcome_name(registers: &[i64]) -> String {
    registers
        .iter()
        .enumerate()
        .map(|(i, value)| format!("r{i}={value}"))
        .collect::<Vec<_>>()
        .join(",")
}
