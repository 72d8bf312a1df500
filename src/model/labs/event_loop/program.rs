//! Programs for the event-loop simulator, written as plain data.
//!
//! A program is a set of routines (coroutines, plain functions, callbacks, generators);
//! each routine is a list of ops. Every op remembers which line it stands for in the
//! Python listing and in the JavaScript listing, so the page can highlight both. The
//! builder finds those lines by searching for a snippet of text instead of counting,
//! which keeps the listings and the ops from drifting apart when a listing is edited.

use serde::Serialize;
use std::fmt;

/// A small runtime value: enough for `compute(1, 2)` returning 3 and for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    None,
    Int(i64),
    Str(String),
    List(Vec<Value>),
    /// A future, promise, sleep or gather result, by index in the simulator.
    Future(usize),
    /// A task, generator or greenlet, by index in the simulator.
    Fiber(usize),
}

impl Value {
    /// Python's truthiness, which JavaScript shares for these few kinds.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Int(n) => *n != 0,
            Value::Str(s) => !s.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Future(_) | Value::Fiber(_) => true,
        }
    }

    /// The value as it appears inside a list or a description: strings quoted.
    pub fn repr(&self) -> String {
        match self {
            Value::Str(s) => format!("'{s}'"),
            other => other.to_string(),
        }
    }
}

impl fmt::Display for Value {
    /// The value as `print` / `console.log` shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => f.write_str("None"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Str(s) => f.write_str(s),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(Value::repr).collect();
                write!(f, "[{}]", parts.join(", "))
            }
            Value::Future(id) => write!(f, "<future {id}>"),
            Value::Fiber(id) => write!(f, "<task {id}>"),
        }
    }
}

/// An expression: literals, variables, a little arithmetic and string formatting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Lit(Value),
    Var(String),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Less(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    IsNone(Box<Expr>),
    /// An f-string / template literal: the parts' printed forms joined.
    Concat(Vec<Expr>),
    /// The virtual clock in milliseconds.
    Now,
}

impl Expr {
    pub fn none() -> Expr {
        Expr::Lit(Value::None)
    }

    pub fn int(n: i64) -> Expr {
        Expr::Lit(Value::Int(n))
    }

    pub fn str(text: &str) -> Expr {
        Expr::Lit(Value::Str(text.to_string()))
    }

    pub fn var(name: &str) -> Expr {
        Expr::Var(name.to_string())
    }

    pub fn less(a: Expr, b: Expr) -> Expr {
        Expr::Less(Box::new(a), Box::new(b))
    }

    pub fn is_none(a: Expr) -> Expr {
        Expr::IsNone(Box::new(a))
    }

    pub fn concat(parts: impl IntoIterator<Item = Expr>) -> Expr {
        Expr::Concat(parts.into_iter().collect())
    }
}

// Arithmetic on expressions builds expression trees: `v("x") + v("y")`.
impl std::ops::Add for Expr {
    type Output = Expr;
    fn add(self, other: Expr) -> Expr {
        Expr::Add(Box::new(self), Box::new(other))
    }
}

impl std::ops::Sub for Expr {
    type Output = Expr;
    fn sub(self, other: Expr) -> Expr {
        Expr::Sub(Box::new(self), Box::new(other))
    }
}

impl std::ops::Mul for Expr {
    type Output = Expr;
    fn mul(self, other: Expr) -> Expr {
        Expr::Mul(Box::new(self), Box::new(other))
    }
}

impl std::ops::Not for Expr {
    type Output = Expr;
    fn not(self) -> Expr {
        Expr::Not(Box::new(self))
    }
}

/// Something an `await` can wait for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Awaitable {
    /// `await coro(args)`: the coroutine runs inside the awaiting task, like a call.
    /// Inside a gather it is wrapped in a new task instead.
    Call { routine: String, args: Vec<Expr> },
    /// `await task`, `await future`, `await promise`: an expression giving a handle.
    Handle(Expr),
    /// `await asyncio.sleep(s)` / `await sleep(ms)`: a future that a timer resolves.
    Sleep { ms: Expr },
    /// `asyncio.gather(...)`, `Promise.all([...])`, `gevent.joinall(...)`.
    Gather(Vec<Awaitable>),
}

/// How a spawned routine is described; the scheduling is the same for all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpawnStyle {
    /// `asyncio.create_task(...)`, or calling an async function in JavaScript.
    Task,
    /// `gevent.spawn(...)`: a greenlet that the hub starts and wakes up.
    Gevent,
    /// A generator handed to a hand-written scheduler that resumes it on timers.
    Generator,
}

/// One operation of a routine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `print(...)` / `console.log(...)`.
    Print(Expr),
    /// `var = value`.
    Let {
        var: String,
        value: Expr,
    },
    /// CPU work: the clock advances while this routine keeps the stack.
    Compute {
        ms: Expr,
    },
    /// A blocking call such as `time.sleep`: like `Compute`, the thread is stuck.
    BlockingSleep {
        ms: Expr,
    },
    /// A plain synchronous call.
    Call {
        routine: String,
        args: Vec<Expr>,
        bind: Option<String>,
    },
    Await {
        what: Awaitable,
        bind: Option<String>,
    },
    /// `asyncio.run(main())`: start a task and block the script until it is done;
    /// tasks still pending then are cancelled.
    Run {
        routine: String,
        args: Vec<Expr>,
        bind: Option<String>,
    },
    /// `create_task` / `gevent.spawn` / hand a generator to the scheduler.
    Spawn {
        routine: String,
        args: Vec<Expr>,
        bind: Option<String>,
        style: SpawnStyle,
        name: Option<String>,
    },
    /// `loop.create_future()` / a promise together with its `resolve`.
    NewFuture {
        bind: String,
    },
    /// `fut.set_result(value)` / `resolve(value)`.
    SetResult {
        future: Expr,
        value: Expr,
    },
    /// `fut.add_done_callback(routine)`: the callback gets the result.
    AddDoneCallback {
        future: Expr,
        routine: String,
    },
    /// `Promise.resolve(value)`.
    PromiseResolve {
        value: Expr,
        bind: String,
    },
    /// `promise.then(routine)`: binds the derived promise.
    PromiseThen {
        promise: Expr,
        routine: String,
        bind: Option<String>,
    },
    /// `queueMicrotask(routine)`.
    QueueMicrotask {
        routine: String,
    },
    /// `setTimeout(routine, ms)` / `loop.call_later(s, routine)`.
    SetTimeout {
        ms: Expr,
        routine: String,
    },
    /// Calling a generator function: makes the generator, runs nothing yet.
    NewGenerator {
        routine: String,
        args: Vec<Expr>,
        bind: String,
        name: Option<String>,
    },
    /// `gen.send(value)` (`next(gen)` is `send(None)`) / `gen.next(value)`.
    Send {
        generator: Expr,
        value: Expr,
        bind: Option<String>,
    },
    /// `received = yield value` inside a generator driven by `send`.
    Yield {
        value: Expr,
        bind: Option<String>,
    },
    /// `gen.close()` / `gen.return()`.
    Close {
        generator: Expr,
    },
    /// `greenlet(routine)`: its parent is whoever creates it.
    NewGreenlet {
        routine: String,
        bind: String,
        name: Option<String>,
    },
    /// `greenlet.getcurrent()`.
    GetCurrent {
        bind: String,
    },
    /// `g.switch(args...)`: the first switch passes the routine's arguments.
    Switch {
        greenlet: Expr,
        args: Vec<Expr>,
        bind: Option<String>,
    },
    /// Continue at op `to` (loops).
    Jump {
        to: usize,
    },
    /// Continue at op `to` when `cond` is truthy.
    JumpIf {
        cond: Expr,
        to: usize,
    },
    Return(Expr),
}

/// A line number (1-based) in each listing; `None` where a notation has no such line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Lines {
    pub python: Option<u32>,
    pub javascript: Option<u32>,
}

/// An op together with the lines it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instr {
    pub op: Op,
    pub lines: Lines,
}

/// A coroutine, function, callback or generator body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routine {
    pub name: String,
    pub params: Vec<String>,
    pub body: Vec<Instr>,
    /// The `def` / `function` line, shown when a frame is pushed.
    pub lines: Lines,
}

/// Lines shown for the loop's own moves, where a listing has something to point at
/// (`asyncio.run(...)`, a hand-written scheduler's `while` line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopLines {
    pub advance_clock: Lines,
    pub timer_fires: Lines,
    pub macrotask: Lines,
    pub microtask: Lines,
}

/// A whole program: the routine named `main` is the script that runs first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    pub routines: Vec<Routine>,
    pub main: String,
    pub loop_lines: LoopLines,
    /// Snippets the builder could not find in a listing; the tests require none.
    pub unresolved: Vec<String>,
}

/// Why a program cannot be simulated at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProgramError(pub String);

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProgramError {}

impl Program {
    /// The index of the routine called `name`.
    pub fn routine_index(&self, name: &str) -> Option<usize> {
        self.routines.iter().position(|r| r.name == name)
    }

    /// Checks everything that can be checked before running: names resolve, jumps land
    /// inside their routine, no routine is defined twice.
    pub fn validate(&self) -> Result<(), ProgramError> {
        let fail = |msg: String| Err(ProgramError(msg));
        if self.routine_index(&self.main).is_none() {
            return fail(format!("the main routine '{}' is not defined", self.main));
        }
        for (i, routine) in self.routines.iter().enumerate() {
            if self.routines[..i].iter().any(|r| r.name == routine.name) {
                return fail(format!("routine '{}' is defined twice", routine.name));
            }
            for (pc, instr) in routine.body.iter().enumerate() {
                for callee in referenced_routines(&instr.op) {
                    if self.routine_index(callee).is_none() {
                        return fail(format!(
                            "{} op {pc}: routine '{callee}' is not defined",
                            routine.name
                        ));
                    }
                }
                check_nesting(&instr.op)
                    .map_err(|msg| ProgramError(format!("{} op {pc}: {msg}", routine.name)))?;
                if let Op::Jump { to } | Op::JumpIf { to, .. } = instr.op
                    && to > routine.body.len()
                {
                    return fail(format!(
                        "{} op {pc}: jump to {to} is outside the routine ({} ops)",
                        routine.name,
                        routine.body.len()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// How deeply expressions and gathers may nest; deeper input is rejected up front.
const MAX_NESTING: usize = 32;

/// Rejects over-deep nesting and literal handles (handles only come from the simulator).
/// Walks with an explicit stack so hostile input cannot overflow the real one.
fn check_nesting(op: &Op) -> Result<(), String> {
    let mut awaitables: Vec<(&Awaitable, usize)> = Vec::new();
    let mut exprs: Vec<(&Expr, usize)> = Vec::new();
    match op {
        Op::Print(e) | Op::Return(e) => exprs.push((e, 1)),
        Op::Let { value: e, .. }
        | Op::Compute { ms: e }
        | Op::BlockingSleep { ms: e }
        | Op::PromiseResolve { value: e, .. }
        | Op::PromiseThen { promise: e, .. }
        | Op::AddDoneCallback { future: e, .. }
        | Op::SetTimeout { ms: e, .. }
        | Op::Yield { value: e, .. }
        | Op::Close { generator: e }
        | Op::JumpIf { cond: e, .. } => exprs.push((e, 1)),
        Op::SetResult { future, value } => exprs.extend([(future, 1), (value, 1)]),
        Op::Send {
            generator, value, ..
        } => exprs.extend([(generator, 1), (value, 1)]),
        Op::Switch { greenlet, args, .. } => {
            exprs.push((greenlet, 1));
            exprs.extend(args.iter().map(|a| (a, 1)));
        }
        Op::Call { args, .. }
        | Op::Run { args, .. }
        | Op::Spawn { args, .. }
        | Op::NewGenerator { args, .. } => exprs.extend(args.iter().map(|a| (a, 1))),
        Op::Await { what, .. } => awaitables.push((what, 1)),
        Op::NewFuture { .. }
        | Op::QueueMicrotask { .. }
        | Op::NewGreenlet { .. }
        | Op::GetCurrent { .. }
        | Op::Jump { .. } => {}
    }
    while let Some((what, depth)) = awaitables.pop() {
        if depth > MAX_NESTING {
            return Err(format!("awaitables nest deeper than {MAX_NESTING}"));
        }
        match what {
            Awaitable::Call { args, .. } => exprs.extend(args.iter().map(|a| (a, depth))),
            Awaitable::Handle(e) | Awaitable::Sleep { ms: e } => exprs.push((e, depth)),
            Awaitable::Gather(items) => awaitables.extend(items.iter().map(|i| (i, depth + 1))),
        }
    }
    while let Some((expr, depth)) = exprs.pop() {
        if depth > MAX_NESTING {
            return Err(format!("expressions nest deeper than {MAX_NESTING}"));
        }
        match expr {
            Expr::Lit(value) => check_literal(value)?,
            Expr::Var(_) | Expr::Now => {}
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Less(a, b) => {
                exprs.extend([(&**a, depth + 1), (&**b, depth + 1)]);
            }
            Expr::Not(a) | Expr::IsNone(a) => exprs.push((a, depth + 1)),
            Expr::Concat(parts) => exprs.extend(parts.iter().map(|p| (p, depth + 1))),
        }
    }
    Ok(())
}

fn check_literal(value: &Value) -> Result<(), String> {
    let mut values = vec![(value, 1)];
    while let Some((value, depth)) = values.pop() {
        match value {
            Value::Future(_) | Value::Fiber(_) => {
                return Err("a literal cannot hold a future or task handle".into());
            }
            Value::List(_) if depth > MAX_NESTING => {
                return Err(format!("literal lists nest deeper than {MAX_NESTING}"));
            }
            Value::List(items) => values.extend(items.iter().map(|v| (v, depth + 1))),
            Value::None | Value::Int(_) | Value::Str(_) => {}
        }
    }
    Ok(())
}

fn referenced_routines(op: &Op) -> Vec<&str> {
    let mut out = Vec::new();
    match op {
        Op::Call { routine, .. }
        | Op::Run { routine, .. }
        | Op::Spawn { routine, .. }
        | Op::AddDoneCallback { routine, .. }
        | Op::PromiseThen { routine, .. }
        | Op::QueueMicrotask { routine }
        | Op::SetTimeout { routine, .. }
        | Op::NewGenerator { routine, .. }
        | Op::NewGreenlet { routine, .. } => out.push(routine.as_str()),
        Op::Await { what, .. } => {
            let mut pending = vec![what];
            while let Some(what) = pending.pop() {
                match what {
                    Awaitable::Call { routine, .. } => out.push(routine.as_str()),
                    Awaitable::Gather(items) => pending.extend(items.iter().rev()),
                    Awaitable::Handle(_) | Awaitable::Sleep { .. } => {}
                }
            }
        }
        _ => {}
    }
    out
}

/// Builds a [`Program`] next to its two listings, locating each op's line by a snippet.
///
/// A snippet is searched from the previous op's line onwards (so several ops can share a
/// line), wrapping around to the routine's first line (so a loop can jump back). A
/// snippet starting with `^` must be on a later line than the previous op, for listings
/// that repeat a line verbatim. An empty snippet means "no line in this notation".
pub struct ProgramBuilder {
    python: Vec<&'static str>,
    javascript: Vec<&'static str>,
    /// The previous routine's first line in each listing: routine snippets are searched
    /// from there, so `^` can pick the next of two identical lines.
    last_start: [Option<usize>; 2],
    program: Program,
}

/// Appends ops to one routine of a [`ProgramBuilder`].
pub struct RoutineBuilder<'a> {
    owner: &'a mut ProgramBuilder,
    index: usize,
    start: [Option<usize>; 2],
    cursor: [Option<usize>; 2],
}

impl ProgramBuilder {
    pub fn new(python: &'static str, javascript: &'static str) -> Self {
        ProgramBuilder {
            python: python.lines().collect(),
            javascript: javascript.lines().collect(),
            last_start: [None, None],
            program: Program::default(),
        }
    }

    /// Starts a routine whose `def` / `function` lines contain the given snippets.
    pub fn routine(
        &mut self,
        name: &str,
        params: &[&str],
        python: &str,
        javascript: &str,
    ) -> RoutineBuilder<'_> {
        let start = [
            self.locate(0, python, self.last_start[0], None),
            self.locate(1, javascript, self.last_start[1], None),
        ];
        for (last, found) in self.last_start.iter_mut().zip(start) {
            if found.is_some() {
                *last = found;
            }
        }
        self.program.routines.push(Routine {
            name: name.to_string(),
            params: params.iter().map(|p| p.to_string()).collect(),
            body: Vec::new(),
            lines: to_lines(start),
        });
        let index = self.program.routines.len() - 1;
        RoutineBuilder {
            owner: self,
            index,
            start,
            cursor: start,
        }
    }

    /// Starts the script (the routine that runs first) at the given lines.
    pub fn script(&mut self, python: &str, javascript: &str) -> RoutineBuilder<'_> {
        self.program.main = SCRIPT_NAME.to_string();
        self.routine(SCRIPT_NAME, &[], python, javascript)
    }

    /// Lines to show for the loop's own moves.
    pub fn loop_lines(
        &mut self,
        pick: fn(&mut LoopLines) -> &mut Lines,
        python: &str,
        javascript: &str,
    ) -> &mut Self {
        let lines = to_lines([
            self.locate(0, python, None, None),
            self.locate(1, javascript, None, None),
        ]);
        *pick(&mut self.program.loop_lines) = lines;
        self
    }

    pub fn finish(self) -> Program {
        self.program
    }

    /// Finds `snippet` in listing `which` (0 Python, 1 JavaScript); see the type's docs.
    fn locate(
        &mut self,
        which: usize,
        snippet: &str,
        cursor: Option<usize>,
        start: Option<usize>,
    ) -> Option<usize> {
        if snippet.is_empty() {
            return None;
        }
        let source = if which == 0 {
            &self.python
        } else {
            &self.javascript
        };
        let (needle, strictly_after) = match snippet.strip_prefix('^') {
            Some(rest) => (rest, true),
            None => (snippet, false),
        };
        let from = match (cursor, strictly_after) {
            (Some(c), true) => c + 1,
            (Some(c), false) => c,
            (None, _) => 0,
        };
        let found = (from..source.len())
            .find(|&i| source[i].contains(needle))
            .or_else(|| {
                (start.unwrap_or(0)..from.min(source.len())).find(|&i| source[i].contains(needle))
            });
        if found.is_none() {
            let notation = if which == 0 { "python" } else { "javascript" };
            self.program
                .unresolved
                .push(format!("{notation}: {snippet}"));
        }
        found
    }
}

/// The name of the script routine that every preset starts with.
pub const SCRIPT_NAME: &str = "<script>";

fn to_lines(found: [Option<usize>; 2]) -> Lines {
    let one_based = |i: Option<usize>| i.and_then(|i| u32::try_from(i + 1).ok());
    Lines {
        python: one_based(found[0]),
        javascript: one_based(found[1]),
    }
}

impl RoutineBuilder<'_> {
    /// Appends `op`, standing for the lines containing the two snippets.
    pub fn op(&mut self, python: &str, javascript: &str, op: Op) -> &mut Self {
        let snippets = [python, javascript];
        let mut found = [None, None];
        for which in 0..2 {
            found[which] = self.owner.locate(
                which,
                snippets[which],
                self.cursor[which],
                self.start[which],
            );
            if found[which].is_some() {
                self.cursor[which] = found[which];
            }
        }
        self.owner.program.routines[self.index].body.push(Instr {
            op,
            lines: to_lines(found),
        });
        self
    }

    /// How many ops the routine has so far: the index the next op will get.
    pub fn len(&self) -> usize {
        self.owner.program.routines[self.index].body.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
