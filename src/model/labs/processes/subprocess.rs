//! `subprocess`: a child program with its own input and output. The child (Python's
//! `child.py`: running totals of the numbers on its stdin) and the report the page builds from
//! what it saw of the child, its output and its states.

use crate::model::params::check_range;
use serde::{Deserialize, Serialize};

/// Most lines the parent may write to the child's stdin.
pub const MAX_LINES: usize = 12;
/// Longest stdin line (a 15-digit integer still adds up without overflow).
pub const MAX_LINE_CHARS: usize = 15;

/// `run("subprocess", {stdin, interval_ms})`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SubprocessParams {
    /// What the parent writes to the child's stdin, a number per line.
    pub stdin: String,
    /// Pause before each line the parent writes; 0 writes them all at once, as
    /// `communicate(input)` does.
    pub interval_ms: u32,
}

impl Default for SubprocessParams {
    fn default() -> Self {
        SubprocessParams {
            stdin: "3\n4\nfive\n5".into(),
            interval_ms: 200,
        }
    }
}

impl SubprocessParams {
    pub fn validate(&self) -> Result<(), String> {
        check_range("interval_ms", self.interval_ms, 0, 1000)?;
        let lines = self.lines();
        if lines.len() > MAX_LINES {
            return Err(t!(
                "processes.subprocess.too_many_lines",
                max = MAX_LINES,
                n = lines.len()
            )
            .to_string());
        }
        if let Some(long) = lines.iter().find(|l| l.chars().count() > MAX_LINE_CHARS) {
            return Err(t!(
                "processes.subprocess.line_too_long",
                max = MAX_LINE_CHARS,
                line = long
            )
            .to_string());
        }
        Ok(())
    }

    /// The stdin lines, as `for line in sys.stdin` would see them (no line endings).
    pub fn lines(&self) -> Vec<String> {
        self.stdin.lines().map(str::to_string).collect()
    }
}

/// What the child wrote in answer to one line, or at the end of its input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChildOutput {
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    /// Its exit status, once it has exited.
    pub exit: Option<i32>,
}

/// The child program:
/// `for line in sys.stdin: total += int(line); print(total)`; a line that is not an integer
/// goes to stderr instead, and the exit status is 1 if any was. Integers are read as Rust
/// reads them after trimming (Python's `int` also takes `1_000`).
#[derive(Clone, Debug, Default)]
pub struct RunningTotal {
    total: i64,
    bad: u32,
}

impl RunningTotal {
    pub fn line(&mut self, line: &str) -> ChildOutput {
        let line = line.trim();
        match line.parse::<i64>() {
            Ok(n) => {
                self.total = self.total.saturating_add(n);
                ChildOutput {
                    stdout: vec![self.total.to_string()],
                    ..ChildOutput::default()
                }
            }
            Err(_) => {
                self.bad += 1;
                ChildOutput {
                    stderr: vec![format!("not a number: {line}")],
                    ..ChildOutput::default()
                }
            }
        }
    }

    /// Stdin was closed (EOF): the last line, and the exit.
    pub fn end(&self) -> ChildOutput {
        ChildOutput {
            stdout: vec![format!("total {}", self.total)],
            stderr: Vec::new(),
            exit: Some(i32::from(self.bad > 0)),
        }
    }
}

/// The five states of a process's life. A page observes four of them for its child; `Ready`
/// (runnable, waiting for a core) is the operating system's to know, so it is never measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProcState {
    New,
    Ready,
    Running,
    Blocked,
    Terminated,
}

impl ProcState {
    pub const ALL: [ProcState; 5] = [
        ProcState::New,
        ProcState::Ready,
        ProcState::Running,
        ProcState::Blocked,
        ProcState::Terminated,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ProcState::New => "new",
            ProcState::Ready => "ready",
            ProcState::Running => "running",
            ProcState::Blocked => "blocked",
            ProcState::Terminated => "terminated",
        }
    }
}

/// One thing the page saw on the child's channel, ms on the page's clock. Kinds: `state`
/// (text `running` or `blocked`, stamped by the child), `stdout`, `stderr`, `exit` (text: the
/// status), and the parent's own `stdin` writes and `eof`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildEvent {
    pub kind: String,
    pub text: String,
    pub at_ms: f64,
}

/// A stretch of time the child spent in one state, ms since the parent called `Popen`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateSpan {
    pub state: ProcState,
    pub start_ms: f64,
    pub end_ms: f64,
}

/// How often the child went from one state to another.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub from: ProcState,
    pub to: ProcState,
    pub count: u32,
}

/// A line on a stream and when the page saw it, ms since `Popen`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimedLine {
    pub text: String,
    pub at_ms: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubprocessReport {
    pub pid: u32,
    pub stdin: Vec<TimedLine>,
    pub stdout: Vec<TimedLine>,
    pub stderr: Vec<TimedLine>,
    pub returncode: i32,
    /// The child's observed states in order: new (until its module has started), running
    /// and blocked (waiting on stdin) as the child itself stamps them, and terminated (a
    /// span of zero length at its exit).
    pub states: Vec<StateSpan>,
    pub transitions: Vec<Transition>,
    /// Total ms in new, running and blocked.
    pub new_ms: f64,
    pub running_ms: f64,
    pub blocked_ms: f64,
    /// From `Popen` to the exit.
    pub total_ms: f64,
    pub interval_ms: u32,
}

/// Builds the report from the child's start-up time and the events on its channel, all in
/// ms since `Popen`. Fails if the child never exited or sent a state it cannot have.
pub fn report(
    pid: u32,
    interval_ms: u32,
    started_ms: f64,
    events: &[ChildEvent],
) -> Result<SubprocessReport, String> {
    let lines = |kind: &str| -> Vec<TimedLine> {
        events
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| TimedLine {
                text: e.text.clone(),
                at_ms: e.at_ms,
            })
            .collect()
    };
    let exit = events
        .iter()
        .find(|e| e.kind == "exit")
        .ok_or("the child never exited")?;
    let returncode: i32 = exit
        .text
        .parse()
        .map_err(|_| format!("the child exited with '{}'", exit.text))?;
    let mut states = vec![StateSpan {
        state: ProcState::New,
        start_ms: 0.0,
        end_ms: started_ms,
    }];
    for event in events.iter().filter(|e| e.kind == "state") {
        let state = match event.text.as_str() {
            "running" => ProcState::Running,
            "blocked" => ProcState::Blocked,
            other => return Err(format!("the child reported the state '{other}'")),
        };
        // A stamp from the child's clock never precedes the last one.
        let at = event.at_ms.max(states.last().map_or(0.0, |s| s.start_ms));
        if let Some(last) = states.last_mut() {
            last.end_ms = at;
        }
        if states.last().is_some_and(|s| s.state == state) {
            continue;
        }
        states.push(StateSpan {
            state,
            start_ms: at,
            end_ms: at,
        });
    }
    let end = exit.at_ms.max(states.last().map_or(0.0, |s| s.start_ms));
    if let Some(last) = states.last_mut() {
        last.end_ms = end;
    }
    states.push(StateSpan {
        state: ProcState::Terminated,
        start_ms: end,
        end_ms: end,
    });
    let mut transitions: Vec<Transition> = Vec::new();
    for pair in states.windows(2) {
        let (from, to) = (pair[0].state, pair[1].state);
        match transitions
            .iter_mut()
            .find(|t| t.from == from && t.to == to)
        {
            Some(t) => t.count += 1,
            None => transitions.push(Transition { from, to, count: 1 }),
        }
    }
    let time_in = |state: ProcState| -> f64 {
        states
            .iter()
            .filter(|s| s.state == state)
            .map(|s| s.end_ms - s.start_ms)
            .sum()
    };
    Ok(SubprocessReport {
        pid,
        stdin: lines("stdin"),
        stdout: lines("stdout"),
        stderr: lines("stderr"),
        returncode,
        new_ms: time_in(ProcState::New),
        running_ms: time_in(ProcState::Running),
        blocked_ms: time_in(ProcState::Blocked),
        total_ms: end,
        transitions,
        states,
        interval_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, text: &str, at_ms: f64) -> ChildEvent {
        ChildEvent {
            kind: kind.into(),
            text: text.into(),
            at_ms,
        }
    }

    #[test]
    fn the_child_prints_running_totals_and_fails_on_a_bad_line() {
        let mut child = RunningTotal::default();
        let outputs: Vec<ChildOutput> = SubprocessParams::default()
            .lines()
            .iter()
            .map(|l| child.line(l))
            .collect();
        let stdout: Vec<String> = outputs.iter().flat_map(|o| o.stdout.clone()).collect();
        let stderr: Vec<String> = outputs.iter().flat_map(|o| o.stderr.clone()).collect();
        assert_eq!(stdout, ["3", "7", "12"]);
        assert_eq!(stderr, ["not a number: five"]);
        assert!(outputs.iter().all(|o| o.exit.is_none()));
        assert_eq!(
            child.end(),
            ChildOutput {
                stdout: vec!["total 12".into()],
                stderr: vec![],
                exit: Some(1)
            }
        );
        let mut clean = RunningTotal::default();
        assert_eq!(clean.line(" -4 ").stdout, ["-4"]);
        assert_eq!(clean.end().exit, Some(0));
    }

    #[test]
    fn stdin_is_bounded_by_lines_and_line_length() {
        let with = |stdin: &str| SubprocessParams {
            stdin: stdin.into(),
            interval_ms: 0,
        };
        assert_eq!(with("").validate(), Ok(()));
        assert_eq!(with(&"1\n".repeat(MAX_LINES)).validate(), Ok(()));
        let err = with(&"1\n".repeat(MAX_LINES + 1)).validate().unwrap_err();
        assert_eq!(err, "stdin must have at most 12 lines, not 13");
        let err = with("1\n1234567890123456").validate().unwrap_err();
        assert_eq!(
            err,
            "each stdin line must be at most 15 characters: '1234567890123456' is longer"
        );
        let err = SubprocessParams {
            interval_ms: 1001,
            ..SubprocessParams::default()
        }
        .validate()
        .unwrap_err();
        assert!(err.contains("interval_ms") && err.contains("1000"), "{err}");
    }

    #[test]
    fn the_report_follows_the_child_through_its_states() {
        let events = [
            event("state", "running", 30.0),
            event("state", "blocked", 30.5),
            event("stdin", "3", 40.0),
            event("state", "running", 40.2),
            event("stdout", "3", 40.6),
            event("state", "blocked", 40.3),
            event("eof", "", 50.0),
            event("state", "running", 50.1),
            event("stdout", "total 3", 50.3),
            event("exit", "0", 50.2),
        ];
        let r = report(7, 10, 30.0, &events).unwrap();
        let kinds: Vec<ProcState> = r.states.iter().map(|s| s.state).collect();
        use ProcState::*;
        assert_eq!(
            kinds,
            [New, Running, Blocked, Running, Blocked, Running, Terminated]
        );
        assert_eq!(r.states[0].end_ms, 30.0);
        assert_eq!(r.states[2].start_ms, 30.5);
        assert_eq!(r.states[2].end_ms, 40.2);
        assert_eq!(r.returncode, 0);
        assert_eq!(r.total_ms, 50.2);
        assert!(
            (r.blocked_ms - (9.7 + 9.8)).abs() < 1e-9,
            "{}",
            r.blocked_ms
        );
        assert!((r.new_ms - 30.0).abs() < 1e-9);
        let count = |from, to| {
            r.transitions
                .iter()
                .find(|t| t.from == from && t.to == to)
                .map_or(0, |t| t.count)
        };
        assert_eq!(count(New, Running), 1);
        assert_eq!(count(Running, Blocked), 2);
        assert_eq!(count(Blocked, Running), 2);
        assert_eq!(count(Running, Terminated), 1);
        assert_eq!(
            r.stdout.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["3", "total 3"]
        );
        assert_eq!(r.stdin[0].at_ms, 40.0);
        // The states add up to the whole run.
        assert!((r.new_ms + r.running_ms + r.blocked_ms - r.total_ms).abs() < 1e-9);
    }

    #[test]
    fn a_child_that_never_exits_or_reports_nonsense_is_an_error() {
        assert_eq!(
            report(1, 0, 5.0, &[event("state", "running", 6.0)]).unwrap_err(),
            "the child never exited"
        );
        let err = report(
            1,
            0,
            5.0,
            &[event("state", "ready", 6.0), event("exit", "0", 7.0)],
        )
        .unwrap_err();
        assert!(err.contains("'ready'"), "{err}");
    }
}
