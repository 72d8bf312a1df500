//! Turns a checked syntax tree into atomic steps over a flat array of machine words.
//!
//! **Invariant:** every step touches shared memory at most once. `balance = balance + 5` becomes
//! a LOAD of `balance` into a thread-private temporary and then a STORE of `tmp + 5`, which is
//! exactly why it is not atomic. A statement that only writes a local (or only decides a branch)
//! folds its last shared read into its final step. Temporaries are zeroed by the final step so
//! that dead values never make two otherwise equal states look different.
//!
//! This pass is also the name checker: unknown names, methods on the wrong kind of object and
//! the size limits are reported here as [`ParseError`]s with the position of the culprit.

use std::collections::HashMap;

use super::ast::{
    AtomicOp, BinaryOp, DeclarationKind, Expr, Method, Program, Span, Stmt, StmtKind, UnaryOp,
};
use super::parser::{
    MAX_EXPR_DEPTH, MAX_LOCALS, MAX_NESTING, MAX_OBJECTS, MAX_SHARED, MAX_THREADS, ParseError,
};

/// Words at the start of each thread's area: program counter, status, and two for conditions.
pub(crate) const HEADER: usize = 4;
pub(crate) const PC: usize = 0;
pub(crate) const STATUS: usize = 1;
/// Place in a condition's FIFO wait queue (0 = woken first).
pub(crate) const WAIT_POSITION: usize = 2;
/// Re-entrant lock count given up by `wait`, restored on wake-up.
pub(crate) const SAVED_COUNT: usize = 3;

pub(crate) const RUNNING: i64 = 0;
pub(crate) const DONE: i64 = 1;
/// Waiting on the condition named by the `Wait` step at the thread's pc.
pub(crate) const WAITING: i64 = 2;
/// Notified; runnable once the condition's lock is free.
pub(crate) const NOTIFIED: i64 = 3;
/// Owner word of a free lock.
pub(crate) const NO_OWNER: i64 = -1;

/// Room on the evaluation stack; deep enough for any expression the parser accepts.
pub(crate) const EVAL_STACK: usize = MAX_EXPR_DEPTH as usize + 8;

/// A compiled program. Shared by every machine and search run over it.
#[derive(Debug)]
pub(crate) struct Code {
    pub shared: Vec<SharedVar>,
    pub objects: Vec<Object>,
    pub threads: Vec<ThreadCode>,
    pub instrs: Vec<Instr>,
    pub expr_ops: Vec<ExprOp>,
    pub checks: Vec<CompiledCheck>,
    /// Machine words of the state before any step.
    pub initial_words: Vec<i64>,
}

#[derive(Debug)]
pub(crate) struct SharedVar {
    pub name: String,
}

#[derive(Debug)]
pub(crate) struct Object {
    pub name: String,
    pub kind: ObjectKind,
    /// First machine word of the object's state.
    pub word: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    /// Words: owner, count.
    Lock,
    /// Words: owner, count.
    RLock,
    /// Word: permits.
    Semaphore,
    /// Word: flag.
    Event,
    /// No words: waiters are found from thread statuses. Holds the index of its lock.
    Condition { lock: u16 },
}

impl ObjectKind {
    pub fn noun(self) -> &'static str {
        match self {
            ObjectKind::Lock => "lock",
            ObjectKind::RLock => "rlock",
            ObjectKind::Semaphore => "semaphore",
            ObjectKind::Event => "event",
            ObjectKind::Condition { .. } => "condition",
        }
    }
}

#[derive(Debug)]
pub(crate) struct ThreadCode {
    pub name: String,
    /// First machine word of the thread's area (header, then locals).
    pub base: usize,
    /// Names of user locals; slots `0..locals.len()`.
    pub locals: Vec<String>,
    /// First temporary slot; temporaries run to the end of the thread's area.
    pub temp_base: u16,
}

#[derive(Debug)]
pub(crate) struct CompiledCheck {
    pub condition: ExprRef,
    pub text: String,
    pub message: Option<String>,
}

/// One atomic step.
#[derive(Debug)]
pub(crate) struct Instr {
    pub op: Op,
    /// Index of the step that follows (jumps already resolved).
    pub next: u32,
    pub span: Span,
    /// Source text used in labels: a variable, a condition, or a statement.
    pub text: String,
    /// Temporaries of this statement that are already loaded when this step is next.
    pub live_temps: u8,
    /// Temporaries the statement uses in all (for naming them `tmp` or `tmp1`, `tmp2`, ...).
    pub temp_count: u8,
    pub footprint: Footprint,
    /// The step can stop the run (an `assert`, or a division that may be by zero). Such a
    /// step is never run together with the shared step before it: another thread running
    /// in between may be what makes it fail, or may itself fail first.
    pub may_halt: bool,
}

/// A shared read folded into a statement's final step.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Read {
    pub var: u16,
    pub temp: u16,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct ExprRef {
    pub start: u32,
    pub len: u32,
}

#[derive(Clone, Debug)]
pub(crate) enum Op {
    Load {
        var: u16,
        temp: u16,
    },
    Store {
        var: u16,
        value: ExprRef,
    },
    Assign {
        read: Option<Read>,
        local: u16,
        value: ExprRef,
    },
    Branch {
        read: Option<Read>,
        condition: ExprRef,
        otherwise: u32,
    },
    /// Loop head of `repeat`; the counter is 0 outside the loop, so leaving resets it.
    Repeat {
        counter: u16,
        count: u32,
        exit: u32,
    },
    Assert {
        read: Option<Read>,
        condition: ExprRef,
        message: Option<String>,
    },
    Acquire {
        object: u16,
    },
    Release {
        object: u16,
    },
    SetEvent {
        object: u16,
    },
    ClearEvent {
        object: u16,
    },
    WaitEvent {
        object: u16,
    },
    /// First run: release the lock and wait. Run again once notified: re-acquire and go on.
    Wait {
        condition: u16,
        lock: u16,
    },
    Notify {
        condition: u16,
        lock: u16,
        all: bool,
    },
    /// One atomic read-modify-write of `var`; the arguments read only locals and numbers.
    Atomic {
        var: u16,
        op: AtomicOp,
        local: Option<u16>,
        args: [ExprRef; 2],
    },
    Yield,
    Pass,
    /// Drains the thread's store buffer (TSO); does nothing under sequential consistency.
    Fence,
    /// Only exists during compilation; every reference is redirected to its target.
    Jump {
        target: u32,
    },
    /// Reaching it finishes the thread.
    End,
}

/// Postfix expression code. Shared reads inside threads go through temporaries (`Local`);
/// only final checks read shared variables directly.
#[derive(Clone, Copy, Debug)]
pub(crate) enum ExprOp {
    Const(i64),
    Local(u16),
    Shared(u16),
    Neg,
    Not,
    /// Turns any value into 1 or 0.
    Truth,
    Binary(BinaryOp),
    /// Pops; if zero, pushes 0 and skips the next `n` ops (`and`).
    SkipIfFalse(u32),
    /// Pops; if non-zero, pushes 1 and skips the next `n` ops (`or`).
    SkipIfTrue(u32),
}

/// What a step touches, for deciding which steps commute. Up to two accesses; ids below the
/// number of shared variables are variables, the rest are synchronisation objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Footprint {
    ids: [u16; 2],
    writes: [bool; 2],
}

impl Footprint {
    const UNUSED: u16 = u16::MAX;
    pub const LOCAL: Footprint = Footprint {
        ids: [Self::UNUSED; 2],
        writes: [false; 2],
    };

    fn one(id: u16, write: bool) -> Footprint {
        Footprint {
            ids: [id, Self::UNUSED],
            writes: [write, false],
        }
    }

    fn two(first: u16, second: u16) -> Footprint {
        Footprint {
            ids: [first, second],
            writes: [true, true],
        }
    }

    /// The shared variables the step touches (ids below `shared`), each with whether it
    /// writes it.
    pub fn variables(self, shared: usize) -> impl Iterator<Item = (u16, bool)> {
        (0..2)
            .filter(move |&i| self.ids[i] != Self::UNUSED && usize::from(self.ids[i]) < shared)
            .map(move |i| (self.ids[i], self.writes[i]))
    }

    pub fn is_local(self) -> bool {
        self.ids[0] == Self::UNUSED
    }

    /// True when the two steps may not commute: they share an id and one of them writes it.
    pub fn conflicts(self, other: Footprint) -> bool {
        (0..2).any(|i| {
            self.ids[i] != Self::UNUSED
                && (0..2)
                    .any(|j| self.ids[i] == other.ids[j] && (self.writes[i] || other.writes[j]))
        })
    }
}

impl Code {
    pub fn expr(&self, expr: ExprRef) -> &[ExprOp] {
        &self.expr_ops[expr.start as usize..(expr.start + expr.len) as usize]
    }

    /// Footprint id of synchronisation object `object`.
    fn object_id(shared: usize, object: u16) -> u16 {
        shared as u16 + object
    }
}

/// Name of temporary `index` of a statement that uses `count` of them.
pub(crate) fn temp_name(index: usize, count: usize) -> String {
    if count <= 1 {
        "tmp".to_string()
    } else {
        format!("tmp{}", index + 1)
    }
}

struct Names {
    shared: HashMap<String, u16>,
    objects: HashMap<String, u16>,
    kinds: Vec<ObjectKind>,
}

/// Checks and compiles a program.
pub(crate) fn compile(program: &Program) -> Result<Code, ParseError> {
    let mut code = Code {
        shared: Vec::new(),
        objects: Vec::new(),
        threads: Vec::new(),
        instrs: Vec::new(),
        expr_ops: Vec::new(),
        checks: Vec::new(),
        initial_words: Vec::new(),
    };
    let mut names = Names {
        shared: HashMap::new(),
        objects: HashMap::new(),
        kinds: Vec::new(),
    };
    let mut seen: HashMap<&str, Span> = HashMap::new();
    let mut initial_shared = Vec::new();
    // Conditions name their lock, which may be declared later: resolve in a second pass.
    let mut pending_conditions = Vec::new();
    for declaration in &program.declarations {
        if let Some(previous) = seen.insert(&declaration.name, declaration.span) {
            return Err(ParseError::at(
                declaration.span,
                format!(
                    "'{}' is already declared on line {}",
                    declaration.name, previous.line
                ),
            ));
        }
        let kind = match &declaration.kind {
            DeclarationKind::Shared { initial } => {
                if code.shared.len() == MAX_SHARED {
                    return Err(ParseError::at(
                        declaration.span,
                        format!("at most {MAX_SHARED} shared variables"),
                    ));
                }
                names
                    .shared
                    .insert(declaration.name.clone(), code.shared.len() as u16);
                code.shared.push(SharedVar {
                    name: declaration.name.clone(),
                });
                initial_shared.push(*initial);
                continue;
            }
            DeclarationKind::Lock => ObjectKind::Lock,
            DeclarationKind::RLock => ObjectKind::RLock,
            DeclarationKind::Semaphore { .. } => ObjectKind::Semaphore,
            DeclarationKind::Event => ObjectKind::Event,
            DeclarationKind::Condition { lock } => {
                pending_conditions.push((names.kinds.len(), lock, declaration.span));
                ObjectKind::Condition { lock: 0 }
            }
        };
        if names.kinds.len() == MAX_OBJECTS {
            return Err(ParseError::at(
                declaration.span,
                format!("at most {MAX_OBJECTS} locks, semaphores, events and conditions"),
            ));
        }
        names
            .objects
            .insert(declaration.name.clone(), names.kinds.len() as u16);
        names.kinds.push(kind);
    }
    for (index, lock_name, span) in pending_conditions {
        let lock = match names.objects.get(lock_name) {
            Some(&lock)
                if matches!(
                    names.kinds[lock as usize],
                    ObjectKind::Lock | ObjectKind::RLock
                ) =>
            {
                lock
            }
            _ => {
                return Err(ParseError::at(
                    span,
                    format!("'{lock_name}' is not a declared lock or rlock"),
                ));
            }
        };
        names.kinds[index] = ObjectKind::Condition { lock };
    }

    // Word layout: shared variables, then objects, then one area per thread.
    code.initial_words = initial_shared;
    let object_declarations = program
        .declarations
        .iter()
        .filter(|d| !matches!(d.kind, DeclarationKind::Shared { .. }));
    for (declaration, &kind) in object_declarations.zip(&names.kinds) {
        let word = code.initial_words.len();
        match &declaration.kind {
            DeclarationKind::Lock | DeclarationKind::RLock => {
                code.initial_words.extend([NO_OWNER, 0]);
            }
            DeclarationKind::Semaphore { permits } => code.initial_words.push(*permits),
            DeclarationKind::Event => code.initial_words.push(0),
            DeclarationKind::Shared { .. } | DeclarationKind::Condition { .. } => {}
        }
        code.objects.push(Object {
            name: declaration.name.clone(),
            kind,
            word,
        });
    }

    if program.threads.len() > MAX_THREADS {
        return Err(ParseError::at(
            program.threads[MAX_THREADS].span,
            format!("at most {MAX_THREADS} threads"),
        ));
    }
    for thread in &program.threads {
        if let Some(previous) = seen.insert(&thread.name, thread.span) {
            return Err(ParseError::at(
                thread.span,
                format!(
                    "'{}' is already used on line {}; give the thread another name",
                    thread.name, previous.line
                ),
            ));
        }
        compile_thread(&mut code, &names, &thread.name, &thread.body)?;
    }

    for check in &program.checks {
        let start = code.expr_ops.len() as u32;
        let mut emitter = ExprEmitter {
            code: &mut code,
            names: &names,
            locals: &[],
            temps: &[],
            context: "after the threads finish; only shared variables can be checked here",
        };
        emitter.emit(&check.condition)?;
        let condition = ExprRef {
            start,
            len: code.expr_ops.len() as u32 - start,
        };
        check_stack(&code, condition, check.span)?;
        code.checks.push(CompiledCheck {
            condition,
            text: check.condition.to_string(),
            message: check.message.clone(),
        });
    }
    mark_halting_steps(&mut code);
    Ok(code)
}

fn mark_halting_steps(code: &mut Code) {
    for index in 0..code.instrs.len() {
        let divides = |expr: ExprRef| {
            code.expr(expr)
                .iter()
                .any(|op| matches!(op, ExprOp::Binary(BinaryOp::Div | BinaryOp::Mod)))
        };
        let may_halt = match &code.instrs[index].op {
            Op::Assert { .. } => true,
            Op::Store { value, .. } | Op::Assign { value, .. } => divides(*value),
            Op::Branch { condition, .. } => divides(*condition),
            _ => false,
        };
        code.instrs[index].may_halt = may_halt;
    }
}

fn compile_thread(
    code: &mut Code,
    names: &Names,
    name: &str,
    body: &[Stmt],
) -> Result<(), ParseError> {
    let mut locals = Vec::new();
    let mut repeat_depth = 0;
    collect_locals(names, body, &mut locals, 0, &mut repeat_depth)?;
    let counter_base = locals.len() as u16;
    let temp_base = counter_base + repeat_depth as u16;
    let first = code.instrs.len();
    let mut compiler = ThreadCompiler {
        code,
        names,
        locals: &locals,
        counter_base,
        temp_base,
        max_temps: 0,
    };
    compiler.block(body, 0)?;
    let max_temps = compiler.max_temps;
    let end = code.instrs.len() as u32;
    code.instrs.push(Instr {
        op: Op::End,
        next: end,
        span: Span::default(),
        text: String::new(),
        live_temps: 0,
        temp_count: 0,
        footprint: Footprint::LOCAL,
        may_halt: false,
    });
    resolve_jumps(&mut code.instrs[first..], first as u32);

    let base = code.initial_words.len();
    let entry = first as u32;
    let status = if matches!(code.instrs[first].op, Op::End) {
        DONE
    } else {
        RUNNING
    };
    code.initial_words.extend([i64::from(entry), status, 0, 0]);
    let slots = temp_base as usize + max_temps;
    code.initial_words.extend(std::iter::repeat_n(0, slots));
    code.threads.push(ThreadCode {
        name: name.to_string(),
        base,
        locals,
        temp_base,
    });
    Ok(())
}

/// Collects assigned names that are not shared (thread locals) and the deepest `repeat` nesting.
fn collect_locals(
    names: &Names,
    body: &[Stmt],
    locals: &mut Vec<String>,
    repeats: usize,
    max_repeats: &mut usize,
) -> Result<(), ParseError> {
    for statement in body {
        match &statement.kind {
            StmtKind::Assign { target, .. } => {
                if let Some(&object) = names.objects.get(target) {
                    return Err(ParseError::at(
                        statement.span,
                        format!(
                            "'{target}' is a {}; it cannot be assigned a number",
                            names.kinds[object as usize].noun()
                        ),
                    ));
                }
                if !names.shared.contains_key(target) && !locals.contains(target) {
                    if locals.len() == MAX_LOCALS {
                        return Err(ParseError::at(
                            statement.span,
                            format!("at most {MAX_LOCALS} local variables per thread"),
                        ));
                    }
                    locals.push(target.clone());
                }
            }
            StmtKind::If {
                then_body,
                else_body,
                ..
            } => {
                collect_locals(names, then_body, locals, repeats, max_repeats)?;
                collect_locals(names, else_body, locals, repeats, max_repeats)?;
            }
            StmtKind::While { body, .. } | StmtKind::With { body, .. } => {
                collect_locals(names, body, locals, repeats, max_repeats)?;
            }
            StmtKind::Repeat { body, .. } => {
                *max_repeats = (*max_repeats).max(repeats + 1);
                collect_locals(names, body, locals, repeats + 1, max_repeats)?;
            }
            StmtKind::Atomic {
                target, op, var, ..
            } => {
                if !names.shared.contains_key(var) {
                    return Err(ParseError::at(
                        statement.span,
                        format!("{}({var}, …): '{var}' must be a shared variable", op.name()),
                    ));
                }
                if let Some(target) = target {
                    if names.shared.contains_key(target) || names.objects.contains_key(target) {
                        return Err(ParseError::at(
                            statement.span,
                            format!(
                                "the result of {} goes to a thread-local variable; '{target}' is shared",
                                op.name()
                            ),
                        ));
                    }
                    if !locals.contains(target) {
                        if locals.len() == MAX_LOCALS {
                            return Err(ParseError::at(
                                statement.span,
                                format!("at most {MAX_LOCALS} local variables per thread"),
                            ));
                        }
                        locals.push(target.clone());
                    }
                }
            }
            StmtKind::Call { .. }
            | StmtKind::Assert { .. }
            | StmtKind::Yield
            | StmtKind::Pass
            | StmtKind::Fence => {}
        }
    }
    Ok(())
}

/// Redirects every reference to a `Jump` to where the jump leads. `offset` is the index of
/// `instrs[0]` in the whole program.
fn resolve_jumps(instrs: &mut [Instr], offset: u32) {
    let resolve = |instrs: &[Instr], mut target: u32| {
        // Jump chains are short and acyclic (every loop has a real head); the bound is a guard.
        for _ in 0..=instrs.len() {
            match instrs[(target - offset) as usize].op {
                Op::Jump { target: next } => target = next,
                _ => break,
            }
        }
        target
    };
    for index in 0..instrs.len() {
        let next = resolve(instrs, instrs[index].next);
        instrs[index].next = next;
        match instrs[index].op {
            Op::Branch { otherwise, .. } => {
                let resolved = resolve(instrs, otherwise);
                if let Op::Branch { otherwise, .. } = &mut instrs[index].op {
                    *otherwise = resolved;
                }
            }
            Op::Repeat { exit, .. } => {
                let resolved = resolve(instrs, exit);
                if let Op::Repeat { exit, .. } = &mut instrs[index].op {
                    *exit = resolved;
                }
            }
            _ => {}
        }
    }
}

struct ThreadCompiler<'a> {
    code: &'a mut Code,
    names: &'a Names,
    locals: &'a [String],
    counter_base: u16,
    temp_base: u16,
    max_temps: usize,
}

impl ThreadCompiler<'_> {
    fn emit(&mut self, op: Op, span: Span, text: String, footprint: Footprint) -> u32 {
        let index = self.code.instrs.len() as u32;
        self.code.instrs.push(Instr {
            op,
            next: index + 1,
            span,
            text,
            live_temps: 0,
            temp_count: 0,
            footprint,
            may_halt: false,
        });
        index
    }

    fn object_id(&self, object: u16) -> u16 {
        Code::object_id(self.code.shared.len(), object)
    }

    fn block(&mut self, body: &[Stmt], repeats: u16) -> Result<(), ParseError> {
        for statement in body {
            self.statement(statement, repeats)?;
        }
        Ok(())
    }

    /// Emits LOADs for the shared variables `expr` reads, except the last one when `fold_last`,
    /// then compiles `expr` over the temporaries. Returns the expression and the folded read.
    fn reads_then_expr(
        &mut self,
        expr: &Expr,
        span: Span,
        fold_last: bool,
    ) -> Result<(ExprRef, Option<Read>, u8), ParseError> {
        let mut vars = Vec::new();
        shared_reads(&self.names.shared, expr, &mut vars);
        self.max_temps = self.max_temps.max(vars.len());
        let temps: Vec<(u16, u16)> = vars
            .iter()
            .enumerate()
            .map(|(i, &var)| (var, self.temp_base + i as u16))
            .collect();
        let count = vars.len() as u8;
        let loads = if fold_last {
            vars.len().saturating_sub(1)
        } else {
            vars.len()
        };
        for (i, &(var, temp)) in temps.iter().take(loads).enumerate() {
            let index = self.emit(
                Op::Load { var, temp },
                span,
                self.code.shared[var as usize].name.clone(),
                Footprint::one(var, false),
            );
            let instr = &mut self.code.instrs[index as usize];
            instr.live_temps = i as u8;
            instr.temp_count = count;
        }
        let folded = if fold_last {
            temps.last().map(|&(var, temp)| Read { var, temp })
        } else {
            None
        };
        let start = self.code.expr_ops.len() as u32;
        let mut emitter = ExprEmitter {
            code: self.code,
            names: self.names,
            locals: self.locals,
            temps: &temps,
            context: "",
        };
        emitter.emit(expr)?;
        let value = ExprRef {
            start,
            len: self.code.expr_ops.len() as u32 - start,
        };
        check_stack(self.code, value, span)?;
        Ok((value, folded, count))
    }

    /// Emits a statement's final step, marking how many temporaries are live before it.
    fn emit_final(
        &mut self,
        op: Op,
        span: Span,
        text: String,
        footprint: Footprint,
        temps: u8,
        folded: bool,
    ) -> u32 {
        let index = self.emit(op, span, text, footprint);
        let instr = &mut self.code.instrs[index as usize];
        instr.temp_count = temps;
        instr.live_temps = if folded { temps - 1 } else { temps };
        index
    }

    fn read_footprint(&self, read: Option<Read>) -> Footprint {
        read.map_or(Footprint::LOCAL, |r| Footprint::one(r.var, false))
    }

    fn statement(&mut self, statement: &Stmt, repeats: u16) -> Result<(), ParseError> {
        let span = statement.span;
        match &statement.kind {
            StmtKind::Assign { target, value } => {
                if let Some(&var) = self.names.shared.get(target) {
                    let (value, _, temps) = self.reads_then_expr(value, span, false)?;
                    self.emit_final(
                        Op::Store { var, value },
                        span,
                        target.clone(),
                        Footprint::one(var, true),
                        temps,
                        false,
                    );
                } else {
                    let local = self.local_slot(target);
                    let (value, read, temps) = self.reads_then_expr(value, span, true)?;
                    let footprint = self.read_footprint(read);
                    self.emit_final(
                        Op::Assign { read, local, value },
                        span,
                        target.clone(),
                        footprint,
                        temps,
                        read.is_some(),
                    );
                }
            }
            StmtKind::Atomic {
                target,
                op,
                var,
                args,
            } => {
                let var_index = self.names.shared[var];
                let mut refs = [ExprRef { start: 0, len: 0 }; 2];
                for (i, arg) in args.iter().enumerate() {
                    let mut reads = Vec::new();
                    shared_reads(&self.names.shared, arg, &mut reads);
                    if !reads.is_empty() {
                        return Err(ParseError::at(
                            span,
                            format!(
                                "{}'s values may read only thread-local variables and numbers \
                                 (one shared access per step): load '{}' into a local first",
                                op.name(),
                                self.code.shared[reads[0] as usize].name
                            ),
                        ));
                    }
                    refs[i] = self.reads_then_expr(arg, span, false)?.0;
                }
                let local = target.as_ref().map(|t| self.local_slot(t));
                self.emit_final(
                    Op::Atomic {
                        var: var_index,
                        op: *op,
                        local,
                        args: refs,
                    },
                    span,
                    var.clone(),
                    Footprint::one(var_index, true),
                    0,
                    false,
                );
            }
            StmtKind::Call { object, method } => self.call(object, *method, span)?,
            StmtKind::If {
                condition,
                then_body,
                else_body,
            } => {
                let branch = self.branch(condition, span, "if")?;
                self.block(then_body, repeats)?;
                if else_body.is_empty() {
                    self.set_otherwise(branch, self.code.instrs.len() as u32);
                } else {
                    let jump = self.emit(
                        Op::Jump { target: 0 },
                        span,
                        String::new(),
                        Footprint::LOCAL,
                    );
                    self.set_otherwise(branch, self.code.instrs.len() as u32);
                    self.block(else_body, repeats)?;
                    let end = self.code.instrs.len() as u32;
                    self.code.instrs[jump as usize].op = Op::Jump { target: end };
                }
            }
            StmtKind::While { condition, body } => {
                let head = self.code.instrs.len() as u32;
                let branch = self.branch(condition, span, "while")?;
                self.block(body, repeats)?;
                self.emit(
                    Op::Jump { target: head },
                    span,
                    String::new(),
                    Footprint::LOCAL,
                );
                self.set_otherwise(branch, self.code.instrs.len() as u32);
            }
            StmtKind::Repeat { count, body } => {
                let head = self.emit(
                    Op::Repeat {
                        counter: self.counter_base + repeats,
                        count: *count,
                        exit: 0,
                    },
                    span,
                    format!("repeat {count}"),
                    Footprint::LOCAL,
                );
                self.block(body, repeats + 1)?;
                self.emit(
                    Op::Jump { target: head },
                    span,
                    String::new(),
                    Footprint::LOCAL,
                );
                let exit = self.code.instrs.len() as u32;
                if let Op::Repeat { exit: slot, .. } = &mut self.code.instrs[head as usize].op {
                    *slot = exit;
                }
            }
            StmtKind::With { object, body } => {
                let (index, kind) = self.object(object, span)?;
                let held = match kind {
                    ObjectKind::Lock | ObjectKind::RLock | ObjectKind::Semaphore => index,
                    ObjectKind::Condition { lock } => lock,
                    ObjectKind::Event => {
                        return Err(ParseError::at(
                            span,
                            format!(
                                "'{object}' is an event; 'with' needs a lock, rlock, semaphore or condition"
                            ),
                        ));
                    }
                };
                let footprint = Footprint::one(self.object_id(held), true);
                self.emit(Op::Acquire { object: held }, span, String::new(), footprint);
                self.block(body, repeats)?;
                self.emit(
                    Op::Release { object: held },
                    span,
                    "end of with".to_string(),
                    footprint,
                );
            }
            StmtKind::Assert { condition, message } => {
                let (value, read, temps) = self.reads_then_expr(condition, span, true)?;
                let footprint = self.read_footprint(read);
                self.emit_final(
                    Op::Assert {
                        read,
                        condition: value,
                        message: message.clone(),
                    },
                    span,
                    condition.to_string(),
                    footprint,
                    temps,
                    read.is_some(),
                );
            }
            StmtKind::Yield => {
                self.emit(Op::Yield, span, String::new(), Footprint::LOCAL);
            }
            StmtKind::Fence => {
                self.emit(Op::Fence, span, String::new(), Footprint::LOCAL);
            }
            StmtKind::Pass => {
                self.emit(Op::Pass, span, String::new(), Footprint::LOCAL);
            }
        }
        Ok(())
    }

    fn branch(&mut self, condition: &Expr, span: Span, keyword: &str) -> Result<u32, ParseError> {
        let (value, read, temps) = self.reads_then_expr(condition, span, true)?;
        let footprint = self.read_footprint(read);
        Ok(self.emit_final(
            Op::Branch {
                read,
                condition: value,
                otherwise: 0,
            },
            span,
            format!("{keyword} {condition}"),
            footprint,
            temps,
            read.is_some(),
        ))
    }

    fn set_otherwise(&mut self, branch: u32, target: u32) {
        if let Op::Branch { otherwise, .. } = &mut self.code.instrs[branch as usize].op {
            *otherwise = target;
        }
    }

    fn local_slot(&self, name: &str) -> u16 {
        // collect_locals registered every assigned local before compilation.
        self.locals.iter().position(|l| l == name).unwrap_or(0) as u16
    }

    fn object(&self, name: &str, span: Span) -> Result<(u16, ObjectKind), ParseError> {
        match self.names.objects.get(name) {
            Some(&index) => Ok((index, self.names.kinds[index as usize])),
            None if self.names.shared.contains_key(name) => Err(ParseError::at(
                span,
                format!("'{name}' is a shared variable, not a lock, semaphore, event or condition"),
            )),
            None => Err(ParseError::at(
                span,
                format!("'{name}' is not declared; declare it at the top, e.g. 'lock {name}'"),
            )),
        }
    }

    fn call(&mut self, object: &str, method: Method, span: Span) -> Result<(), ParseError> {
        let (index, kind) = self.object(object, span)?;
        let id = self.object_id(index);
        let touches = Footprint::one(id, true);
        let op = match (kind, method) {
            (ObjectKind::Lock | ObjectKind::RLock | ObjectKind::Semaphore, Method::Acquire) => {
                Op::Acquire { object: index }
            }
            (ObjectKind::Lock | ObjectKind::RLock | ObjectKind::Semaphore, Method::Release) => {
                Op::Release { object: index }
            }
            (ObjectKind::Event, Method::Set) => Op::SetEvent { object: index },
            (ObjectKind::Event, Method::Clear) => Op::ClearEvent { object: index },
            (ObjectKind::Event, Method::Wait) => Op::WaitEvent { object: index },
            (ObjectKind::Condition { lock }, Method::Wait) => {
                let footprint = Footprint::two(id, self.object_id(lock));
                self.emit(
                    Op::Wait {
                        condition: index,
                        lock,
                    },
                    span,
                    String::new(),
                    footprint,
                );
                return Ok(());
            }
            (ObjectKind::Condition { lock }, Method::Notify | Method::NotifyAll) => Op::Notify {
                condition: index,
                lock,
                all: method == Method::NotifyAll,
            },
            (kind, method) => {
                let allowed = match kind {
                    ObjectKind::Lock | ObjectKind::RLock | ObjectKind::Semaphore => {
                        "acquire() and release()"
                    }
                    ObjectKind::Event => "set(), clear() and wait()",
                    ObjectKind::Condition { .. } => "wait(), notify() and notify_all()",
                };
                return Err(ParseError::at(
                    span,
                    format!(
                        "'{object}' is a {} and has no {}(); it has {allowed}",
                        kind.noun(),
                        method.name()
                    ),
                ));
            }
        };
        self.emit(op, span, String::new(), touches);
        Ok(())
    }
}

/// Distinct shared variables `expr` reads, in order of first appearance.
fn shared_reads(shared: &HashMap<String, u16>, expr: &Expr, out: &mut Vec<u16>) {
    match expr {
        Expr::Int(_) | Expr::Bool(_) => {}
        Expr::Name { name, .. } => {
            if let Some(&var) = shared.get(name)
                && !out.contains(&var)
            {
                out.push(var);
            }
        }
        Expr::Unary { operand, .. } => shared_reads(shared, operand, out),
        Expr::Binary { left, right, .. } => {
            shared_reads(shared, left, out);
            shared_reads(shared, right, out);
        }
    }
}

struct ExprEmitter<'a> {
    code: &'a mut Code,
    names: &'a Names,
    locals: &'a [String],
    /// Shared variable → temporary holding its loaded value. Empty for final checks.
    temps: &'a [(u16, u16)],
    /// Why locals are unavailable, when they are.
    context: &'a str,
}

impl ExprEmitter<'_> {
    fn emit(&mut self, expr: &Expr) -> Result<(), ParseError> {
        match expr {
            Expr::Int(value) => self.code.expr_ops.push(ExprOp::Const(*value)),
            Expr::Bool(value) => self.code.expr_ops.push(ExprOp::Const(i64::from(*value))),
            Expr::Name { name, span } => {
                let op = self.name(name, *span)?;
                self.code.expr_ops.push(op);
            }
            Expr::Unary { op, operand } => {
                self.emit(operand)?;
                self.code.expr_ops.push(match op {
                    UnaryOp::Neg => ExprOp::Neg,
                    UnaryOp::Not => ExprOp::Not,
                });
            }
            Expr::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                left,
                right,
            } => {
                self.emit(left)?;
                let skip = self.code.expr_ops.len();
                self.code.expr_ops.push(ExprOp::Truth);
                self.emit(right)?;
                self.code.expr_ops.push(ExprOp::Truth);
                let distance = (self.code.expr_ops.len() - skip - 1) as u32;
                self.code.expr_ops[skip] = if *op == BinaryOp::And {
                    ExprOp::SkipIfFalse(distance)
                } else {
                    ExprOp::SkipIfTrue(distance)
                };
            }
            Expr::Binary { op, left, right } => {
                self.emit(left)?;
                self.emit(right)?;
                self.code.expr_ops.push(ExprOp::Binary(*op));
            }
        }
        Ok(())
    }

    fn name(&self, name: &str, span: Span) -> Result<ExprOp, ParseError> {
        if let Some(&var) = self.names.shared.get(name) {
            if self.context.is_empty() {
                let temp = self
                    .temps
                    .iter()
                    .find(|(v, _)| *v == var)
                    .map_or(0, |&(_, temp)| temp);
                return Ok(ExprOp::Local(temp));
            }
            return Ok(ExprOp::Shared(var));
        }
        if let Some(slot) = self.locals.iter().position(|l| l == name) {
            return Ok(ExprOp::Local(slot as u16));
        }
        if let Some(&object) = self.names.objects.get(name) {
            return Err(ParseError::at(
                span,
                format!(
                    "'{name}' is a {}, not a number",
                    self.names.kinds[object as usize].noun()
                ),
            ));
        }
        if !self.context.is_empty() {
            return Err(ParseError::at(
                span,
                format!("'{name}' is not a shared variable ({})", self.context),
            ));
        }
        Err(ParseError::at(
            span,
            format!(
                "unknown name '{name}'; declare it with 'shared {name} = 0' or assign it in this thread first"
            ),
        ))
    }
}

/// Fails if evaluating `expr` could need more room than [`EVAL_STACK`].
fn check_stack(code: &Code, expr: ExprRef, span: Span) -> Result<(), ParseError> {
    let mut depth: usize = 0;
    let mut deepest = 0;
    for op in code.expr(expr) {
        match op {
            ExprOp::Const(_) | ExprOp::Local(_) | ExprOp::Shared(_) => depth += 1,
            ExprOp::Binary(_) | ExprOp::SkipIfFalse(_) | ExprOp::SkipIfTrue(_) => {
                depth = depth.saturating_sub(1);
            }
            ExprOp::Neg | ExprOp::Not | ExprOp::Truth => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > EVAL_STACK {
        return Err(ParseError::at(
            span,
            format!("expression nests more than {MAX_NESTING} levels deep"),
        ));
    }
    Ok(())
}
