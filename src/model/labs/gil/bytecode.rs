//! The GIL lab's stack bytecode, compiled from [`super::parser`]'s syntax, and its listing.
//!
//! The instruction set is CPython's in miniature and spelled like `dis` prints it, so the
//! page can show where a switch may fall: `RESUME` at function entry, `JUMP_BACKWARD` at a
//! loop's end and `CALL` are the *eval-breaker* points where CPython 3.10+ honours a request
//! to drop the GIL; older rules may switch before any instruction.

use super::parser::{BinOp, Def, Expr, Module, SourceError, Stmt, StmtKind, parse};
use std::fmt;

/// Most instructions one program may compile to.
pub const MAX_CODE: usize = 4_096;

/// The built-in calls into "C": `c_hash(kib)` releases the GIL while it works, `c_sum(kib)`
/// keeps it.
pub const C_FUNCTIONS: [&str; 2] = ["c_hash", "c_sum"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// Function entry: an eval-breaker point.
    Resume,
    LoadConst(i64),
    LoadGlobal(u16),
    StoreGlobal(u16),
    LoadFast(u16),
    StoreFast(u16),
    Binary(BinOp),
    Neg,
    /// Jumps to an absolute index further on.
    JumpForward(u32),
    /// Jumps back to a loop's head: an eval-breaker point.
    JumpBackward(u32),
    PopJumpIfFalse(u32),
    /// Calls function `func` with `argc` arguments from the stack: an eval-breaker point.
    Call {
        func: u16,
        argc: u8,
    },
    /// Blocking IO: pops milliseconds and waits that long with the GIL released.
    Sleep,
    /// A call into C code: pops KiB and hashes that much, with the GIL released around the
    /// work (`c_hash`, as hashlib does) or held throughout (`c_sum`, as `sum(range(n))` does).
    /// An eval-breaker point like any call, but nothing inside it can be interrupted.
    CCall {
        releases_gil: bool,
    },
    PopTop,
    ReturnValue,
}

impl Op {
    /// Where CPython 3.10+ checks its eval breaker (and so may drop the GIL).
    pub fn is_eval_breaker(self) -> bool {
        matches!(
            self,
            Op::Resume | Op::JumpBackward(_) | Op::Call { .. } | Op::CCall { .. }
        )
    }

    /// The opcode's name as `dis` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Op::Resume => "RESUME",
            Op::LoadConst(_) => "LOAD_CONST",
            Op::LoadGlobal(_) => "LOAD_GLOBAL",
            Op::StoreGlobal(_) => "STORE_GLOBAL",
            Op::LoadFast(_) => "LOAD_FAST",
            Op::StoreFast(_) => "STORE_FAST",
            Op::Binary(_) => "BINARY_OP",
            Op::Neg => "UNARY_NEGATIVE",
            Op::JumpForward(_) => "JUMP_FORWARD",
            Op::JumpBackward(_) => "JUMP_BACKWARD",
            Op::PopJumpIfFalse(_) => "POP_JUMP_IF_FALSE",
            Op::Call { .. } => "CALL",
            Op::Sleep => "CALL_SLEEP",
            Op::CCall { releases_gil: true } => "CALL_C_HASH",
            Op::CCall {
                releases_gil: false,
            } => "CALL_C_SUM",
            Op::PopTop => "POP_TOP",
            Op::ReturnValue => "RETURN_VALUE",
        }
    }
}

/// One compiled function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    pub params: usize,
    /// Names of parameters, then other locals.
    pub locals: Vec<String>,
    pub code: Vec<Op>,
    /// Source line of each instruction.
    pub lines: Vec<usize>,
}

/// A compiled program: globals with their initial values, and functions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    pub globals: Vec<(String, i64)>,
    pub functions: Vec<Function>,
}

impl Program {
    /// Parses and compiles `source`.
    pub fn compile(source: &str) -> Result<Program, SourceError> {
        compile(&parse(source)?)
    }

    /// The function called `name`.
    pub fn function(&self, name: &str) -> Option<usize> {
        self.functions.iter().position(|f| f.name == name)
    }

    /// Index of the global called `name`.
    pub fn global(&self, name: &str) -> Option<usize> {
        self.globals.iter().position(|(n, _)| n == name)
    }
}

fn compile_error<T>(line: usize, message: impl Into<String>) -> Result<T, SourceError> {
    Err(SourceError {
        line,
        column: 1,
        message: message.into(),
    })
}

/// Compiles a parsed module. Names resolve like Python's: a function's parameters and the
/// names it assigns (unless declared `global`, or a module global) are local.
pub fn compile(module: &Module) -> Result<Program, SourceError> {
    let mut program = Program {
        globals: module.globals.clone(),
        functions: Vec::new(),
    };
    for def in &module.defs {
        if program.function(&def.name).is_some() {
            return compile_error(
                def.line,
                format!("function '{}' is defined twice", def.name),
            );
        }
        program.functions.push(Function {
            name: def.name.clone(),
            params: def.params.len(),
            locals: def.params.clone(),
            code: Vec::new(),
            lines: Vec::new(),
        });
    }
    let signatures: Vec<(String, usize)> = module
        .defs
        .iter()
        .map(|d| (d.name.clone(), d.params.len()))
        .collect();
    let mut total = 0;
    for (index, def) in module.defs.iter().enumerate() {
        let mut emitter = Emitter {
            program: &program,
            signatures: &signatures,
            locals: def.params.clone(),
            code: Vec::new(),
            lines: Vec::new(),
            line: def.line,
        };
        emitter.declare_locals(def)?;
        emitter.push(Op::Resume);
        emitter.block(&def.body)?;
        emitter.push(Op::LoadConst(0));
        emitter.push(Op::ReturnValue);
        total += emitter.code.len();
        if total > MAX_CODE {
            return compile_error(
                def.line,
                format!("the program compiles to more than {MAX_CODE} instructions"),
            );
        }
        let (locals, code, lines) = (emitter.locals, emitter.code, emitter.lines);
        let function = &mut program.functions[index];
        function.locals = locals;
        function.code = code;
        function.lines = lines;
    }
    Ok(program)
}

struct Emitter<'a> {
    program: &'a Program,
    signatures: &'a [(String, usize)],
    locals: Vec<String>,
    code: Vec<Op>,
    lines: Vec<usize>,
    line: usize,
}

impl Emitter<'_> {
    fn push(&mut self, op: Op) -> usize {
        self.code.push(op);
        self.lines.push(self.line);
        self.code.len() - 1
    }

    fn here(&self) -> u32 {
        self.code.len() as u32
    }

    /// Python's rule: a name assigned anywhere in the body is local unless declared global.
    fn declare_locals(&mut self, def: &Def) -> Result<(), SourceError> {
        let mut declared_global = Vec::new();
        collect_globals(&def.body, &mut declared_global);
        let mut assigned = Vec::new();
        collect_assigned(&def.body, &mut assigned);
        for name in assigned {
            let global = declared_global.contains(&name) || self.program.global(&name).is_some();
            if !global && !self.locals.contains(&name) {
                self.locals.push(name);
            }
        }
        if self.locals.len() > 64 {
            return compile_error(def.line, "a function may have at most 64 local names");
        }
        Ok(())
    }

    fn block(&mut self, body: &[Stmt]) -> Result<(), SourceError> {
        for stmt in body {
            self.line = stmt.line;
            self.stmt(stmt)?;
        }
        Ok(())
    }

    fn store(&mut self, name: &str) -> Result<(), SourceError> {
        if let Some(i) = self.locals.iter().position(|l| l == name) {
            self.push(Op::StoreFast(i as u16));
        } else if let Some(i) = self.program.global(name) {
            self.push(Op::StoreGlobal(i as u16));
        } else {
            return compile_error(
                self.line,
                format!("'{name}' is declared global but never defined at the top"),
            );
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), SourceError> {
        match &stmt.kind {
            StmtKind::Assign(name, value) => {
                self.expr(value)?;
                self.store(name)?;
            }
            StmtKind::Expr(Expr::Call(name, args)) if name == "sleep" => {
                if args.len() != 1 {
                    return compile_error(self.line, "sleep takes one argument: milliseconds");
                }
                self.expr(&args[0])?;
                self.push(Op::Sleep);
            }
            StmtKind::Expr(Expr::Call(name, args)) if C_FUNCTIONS.contains(&name.as_str()) => {
                if args.len() != 1 {
                    return compile_error(self.line, format!("{name} takes one argument: KiB"));
                }
                self.expr(&args[0])?;
                self.push(Op::CCall {
                    releases_gil: name == "c_hash",
                });
            }
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.push(Op::PopTop);
            }
            StmtKind::While(cond, body) => {
                let head = self.here();
                self.expr(cond)?;
                let exit = self.push(Op::PopJumpIfFalse(0));
                self.block(body)?;
                self.line = stmt.line;
                self.push(Op::JumpBackward(head));
                self.code[exit] = Op::PopJumpIfFalse(self.here());
            }
            StmtKind::For(var, limit, body) => {
                // range(limit) with a hidden local holding the limit.
                let hidden = format!(".limit{}", self.code.len());
                self.locals.push(hidden.clone());
                self.expr(limit)?;
                self.store(&hidden)?;
                self.push(Op::LoadConst(0));
                self.store(var)?;
                let head = self.here();
                self.load(var)?;
                self.load(&hidden)?;
                self.push(Op::Binary(BinOp::Lt));
                let exit = self.push(Op::PopJumpIfFalse(0));
                self.block(body)?;
                self.line = stmt.line;
                self.load(var)?;
                self.push(Op::LoadConst(1));
                self.push(Op::Binary(BinOp::Add));
                self.store(var)?;
                self.push(Op::JumpBackward(head));
                self.code[exit] = Op::PopJumpIfFalse(self.here());
            }
            StmtKind::If(cond, then, otherwise) => {
                self.expr(cond)?;
                let to_else = self.push(Op::PopJumpIfFalse(0));
                self.block(then)?;
                if otherwise.is_empty() {
                    self.code[to_else] = Op::PopJumpIfFalse(self.here());
                } else {
                    let to_end = self.push(Op::JumpForward(0));
                    self.code[to_else] = Op::PopJumpIfFalse(self.here());
                    self.block(otherwise)?;
                    self.code[to_end] = Op::JumpForward(self.here());
                }
            }
            StmtKind::Return(value) => {
                match value {
                    Some(e) => self.expr(e)?,
                    None => {
                        self.push(Op::LoadConst(0));
                    }
                }
                self.push(Op::ReturnValue);
            }
            StmtKind::Global(_) | StmtKind::Pass => {}
        }
        Ok(())
    }

    fn load(&mut self, name: &str) -> Result<(), SourceError> {
        if let Some(i) = self.locals.iter().position(|l| l == name) {
            self.push(Op::LoadFast(i as u16));
        } else if let Some(i) = self.program.global(name) {
            self.push(Op::LoadGlobal(i as u16));
        } else {
            return compile_error(self.line, format!("name '{name}' is not defined"));
        }
        Ok(())
    }

    fn expr(&mut self, expr: &Expr) -> Result<(), SourceError> {
        match expr {
            Expr::Int(v) => {
                self.push(Op::LoadConst(*v));
            }
            Expr::Name(n) => self.load(n)?,
            Expr::Neg(e) => {
                self.expr(e)?;
                self.push(Op::Neg);
            }
            Expr::Binary(op, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                self.push(Op::Binary(*op));
            }
            Expr::Call(name, args) => {
                if name == "sleep" || C_FUNCTIONS.contains(&name.as_str()) {
                    return compile_error(
                        self.line,
                        format!("{name}(…) is a statement of its own here"),
                    );
                }
                let Some(func) = self.signatures.iter().position(|(n, _)| n == name) else {
                    return compile_error(self.line, format!("function '{name}' is not defined"));
                };
                let expected = self.signatures[func].1;
                if args.len() != expected {
                    return compile_error(
                        self.line,
                        format!("{name}() takes {expected} arguments, {} given", args.len()),
                    );
                }
                for a in args {
                    self.expr(a)?;
                }
                self.push(Op::Call {
                    func: func as u16,
                    argc: args.len() as u8,
                });
            }
        }
        Ok(())
    }
}

fn collect_globals(body: &[Stmt], out: &mut Vec<String>) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Global(names) => out.extend(names.iter().cloned()),
            StmtKind::While(_, b) | StmtKind::For(_, _, b) => collect_globals(b, out),
            StmtKind::If(_, t, e) => {
                collect_globals(t, out);
                collect_globals(e, out);
            }
            _ => {}
        }
    }
}

fn collect_assigned(body: &[Stmt], out: &mut Vec<String>) {
    for stmt in body {
        match &stmt.kind {
            StmtKind::Assign(name, _) => out.push(name.clone()),
            StmtKind::For(var, _, b) => {
                out.push(var.clone());
                collect_assigned(b, out);
            }
            StmtKind::While(_, b) => collect_assigned(b, out),
            StmtKind::If(_, t, e) => {
                collect_assigned(t, out);
                collect_assigned(e, out);
            }
            _ => {}
        }
    }
}

impl Program {
    /// The listing the page shows, one instruction per line, like `dis`: index, source line,
    /// a `*` where CPython 3.10+ may drop the GIL, the opcode and its argument.
    pub fn listing(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.globals {
            writeln!(f, "global {name} = {value}")?;
        }
        for function in &self.functions {
            writeln!(
                f,
                "\ndef {}({}):",
                function.name,
                function.locals[..function.params].join(", ")
            )?;
            for (i, op) in function.code.iter().enumerate() {
                let mark = if op.is_eval_breaker() { '*' } else { ' ' };
                let arg = match *op {
                    Op::LoadConst(v) => v.to_string(),
                    Op::LoadGlobal(g) | Op::StoreGlobal(g) => self.globals[g as usize].0.clone(),
                    Op::LoadFast(l) | Op::StoreFast(l) => function.locals[l as usize].clone(),
                    Op::Binary(b) => b.symbol().to_string(),
                    Op::JumpForward(t) | Op::JumpBackward(t) | Op::PopJumpIfFalse(t) => {
                        format!("to {t}")
                    }
                    Op::Call { func, argc } => {
                        format!("{} ({argc} args)", self.functions[func as usize].name)
                    }
                    _ => String::new(),
                };
                writeln!(
                    f,
                    "{i:>4} {:>4} {mark} {:<18}{arg}",
                    function.lines[i],
                    op.name()
                )?;
            }
        }
        Ok(())
    }
}
