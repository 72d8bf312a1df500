//! The syntax tree compiled to a small stack machine's operations, so a function can stop
//! at `await` and carry on later from the same place (a tree walker cannot).

use super::syntax::{Expr, FuncDef, Pos, SourceError, Stmt, TemplateExpr, error};
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(Rc<str>),
}

#[derive(Clone, Debug)]
pub enum Op {
    /// A statement starts here.
    Line(Pos),
    Push(Lit),
    This,
    Load(Rc<str>, Pos),
    /// Assigns an existing variable; the value stays on the stack.
    Store(Rc<str>, Pos),
    /// Pops a value into a new variable of the current scope (mutable?).
    Declare(Rc<str>, bool),
    PushScope,
    PopScope,
    /// A fresh copy of the current scope: each loop iteration's own `let` bindings.
    RenewScope,
    Closure(Rc<Code>),
    Object(Vec<Rc<str>>),
    Array(usize),
    GetProp(Rc<str>, Pos),
    /// `[object, value]` → value.
    SetProp(Rc<str>, Pos),
    GetIndex(Pos),
    SetIndex(Pos),
    /// `[object]` → `[object, method]`.
    GetMethod(Rc<str>, Pos),
    Call(usize, Pos),
    /// `[this, function, args…]`.
    CallMethod(usize, Pos),
    New(usize, Pos),
    Unary(&'static str),
    Typeof,
    Binary(&'static str, Pos),
    Jump(usize),
    JumpIfFalse(usize),
    /// Jumps keeping the value if it is falsy (`&&`), else pops it.
    JumpIfFalseKeep(usize),
    JumpIfTrueKeep(usize),
    JumpIfNotNullishKeep(usize),
    Pop,
    Dup,
    Dup2,
    Return,
    Await(Pos),
    Throw(Pos),
    /// Catches what is thrown until the matching `TryEnd` and jumps to the handler with it.
    TryStart(usize),
    TryEnd,
    Template(usize),
}

/// A compiled function (or the script).
#[derive(Debug)]
pub struct Code {
    pub name: Rc<str>,
    pub params: Vec<Rc<str>>,
    pub ops: Vec<Op>,
    pub is_async: bool,
    pub is_arrow: bool,
    pub pos: Pos,
}

struct Loop {
    scopes: usize,
    tries: usize,
    breaks: Vec<usize>,
    continues: Vec<usize>,
}

struct Compiler {
    ops: Vec<Op>,
    scopes: usize,
    /// Open `try` blocks, and whether each has a `finally`.
    tries: Vec<bool>,
    loops: Vec<Loop>,
}

/// Compiles the script: its top level is a function named `script`.
pub fn compile_script(body: &[Stmt], top_await: bool) -> Result<Rc<Code>, SourceError> {
    let mut c = Compiler::new();
    c.hoist(body)?;
    for stmt in body {
        c.stmt(stmt)?;
    }
    c.ops.push(Op::Push(Lit::Undefined));
    c.ops.push(Op::Return);
    Ok(Rc::new(Code {
        name: "script".into(),
        params: Vec::new(),
        ops: c.ops,
        is_async: top_await,
        is_arrow: false,
        pos: Pos { line: 1, col: 1 },
    }))
}

fn compile_function(def: &FuncDef, name: Option<&str>) -> Result<Rc<Code>, SourceError> {
    let mut c = Compiler::new();
    c.hoist(&def.body)?;
    for stmt in &def.body {
        c.stmt(stmt)?;
    }
    c.ops.push(Op::Push(Lit::Undefined));
    c.ops.push(Op::Return);
    let name = def.name.as_deref().or(name).unwrap_or("(anonymous)");
    Ok(Rc::new(Code {
        name: name.into(),
        params: def.params.iter().map(|p| Rc::from(p.as_str())).collect(),
        ops: c.ops,
        is_async: def.is_async,
        is_arrow: def.is_arrow,
        pos: def.pos,
    }))
}

impl Compiler {
    fn new() -> Compiler {
        Compiler {
            ops: Vec::new(),
            scopes: 0,
            tries: Vec::new(),
            loops: Vec::new(),
        }
    }

    fn here(&self) -> usize {
        self.ops.len()
    }

    fn emit_jump(&mut self, op: fn(usize) -> Op) -> usize {
        self.ops.push(op(usize::MAX));
        self.ops.len() - 1
    }

    fn patch(&mut self, at: usize) {
        let target = self.here();
        self.patch_to(at, target);
    }

    fn patch_to(&mut self, at: usize, target: usize) {
        self.ops[at] = match self.ops[at] {
            Op::Jump(_) => Op::Jump(target),
            Op::JumpIfFalse(_) => Op::JumpIfFalse(target),
            Op::JumpIfFalseKeep(_) => Op::JumpIfFalseKeep(target),
            Op::JumpIfTrueKeep(_) => Op::JumpIfTrueKeep(target),
            Op::JumpIfNotNullishKeep(_) => Op::JumpIfNotNullishKeep(target),
            Op::TryStart(_) => Op::TryStart(target),
            ref other => other.clone(),
        };
    }

    /// Function declarations are usable before their line, as in JavaScript.
    fn hoist(&mut self, body: &[Stmt]) -> Result<(), SourceError> {
        for stmt in body {
            if let Stmt::Function(def) = stmt {
                let code = compile_function(def, None)?;
                self.ops.push(Op::Closure(code));
                self.ops
                    .push(Op::Declare(def.name.as_deref().unwrap_or("").into(), true));
            }
        }
        Ok(())
    }

    fn block(&mut self, body: &[Stmt]) -> Result<(), SourceError> {
        self.ops.push(Op::PushScope);
        self.scopes += 1;
        self.hoist(body)?;
        for stmt in body {
            self.stmt(stmt)?;
        }
        self.ops.push(Op::PopScope);
        self.scopes -= 1;
        Ok(())
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), SourceError> {
        match stmt {
            Stmt::Expr(e, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(e)?;
                self.ops.push(Op::Pop);
            }
            Stmt::Let(mutable, names, pos) => {
                self.ops.push(Op::Line(*pos));
                for (name, value) in names {
                    match value {
                        Some(Expr::Function(def)) if def.name.is_none() => {
                            self.ops
                                .push(Op::Closure(compile_function(def, Some(name))?));
                        }
                        Some(v) => self.expr(v)?,
                        None => self.ops.push(Op::Push(Lit::Undefined)),
                    }
                    self.ops.push(Op::Declare(name.as_str().into(), *mutable));
                }
            }
            Stmt::Function(_) | Stmt::Empty => {}
            Stmt::Return(value, pos) => {
                if self.tries.iter().any(|&finally| finally) {
                    return error(*pos, "return inside try … finally is not in the subset");
                }
                self.ops.push(Op::Line(*pos));
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.ops.push(Op::Push(Lit::Undefined)),
                }
                self.ops.push(Op::Return);
            }
            Stmt::If(cond, then, otherwise, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(cond)?;
                let to_else = self.emit_jump(Op::JumpIfFalse);
                self.scoped(then)?;
                if let Some(otherwise) = otherwise {
                    let to_end = self.emit_jump(Op::Jump);
                    self.patch(to_else);
                    self.scoped(otherwise)?;
                    self.patch(to_end);
                } else {
                    self.patch(to_else);
                }
            }
            Stmt::While(cond, body, pos) => {
                let top = self.here();
                self.ops.push(Op::Line(*pos));
                self.expr(cond)?;
                let to_end = self.emit_jump(Op::JumpIfFalse);
                self.loop_body(body, top, to_end)?;
            }
            Stmt::For {
                init,
                cond,
                update,
                body,
                pos,
            } => {
                self.ops.push(Op::Line(*pos));
                self.ops.push(Op::PushScope);
                self.scopes += 1;
                if let Some(init) = init {
                    self.stmt(init)?;
                }
                let top = self.here();
                let to_end = match cond {
                    Some(cond) => {
                        self.expr(cond)?;
                        Some(self.emit_jump(Op::JumpIfFalse))
                    }
                    None => None,
                };
                self.loops.push(Loop {
                    scopes: self.scopes,
                    tries: self.tries.len(),
                    breaks: Vec::new(),
                    continues: Vec::new(),
                });
                self.scoped(body)?;
                let lp = self.loops.pop().expect("pushed above");
                let next = self.here();
                for at in lp.continues {
                    self.patch_to(at, next);
                }
                self.ops.push(Op::RenewScope);
                if let Some(update) = update {
                    self.expr(update)?;
                    self.ops.push(Op::Pop);
                }
                self.ops.push(Op::Jump(top));
                if let Some(to_end) = to_end {
                    self.patch(to_end);
                }
                for at in lp.breaks {
                    self.patch(at);
                }
                self.ops.push(Op::PopScope);
                self.scopes -= 1;
            }
            Stmt::Block(body) => self.block(body)?,
            Stmt::Try {
                block,
                catch,
                finally,
                ..
            } => self.try_stmt(block, catch, finally)?,
            Stmt::Throw(value, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(value)?;
                self.ops.push(Op::Throw(*pos));
            }
            Stmt::Break(pos) | Stmt::Continue(pos) => {
                let is_break = matches!(stmt, Stmt::Break(_));
                let Some(lp) = self.loops.last() else {
                    return error(*pos, "break or continue outside a loop");
                };
                if self.tries[lp.tries..].iter().any(|&finally| finally) {
                    return error(
                        *pos,
                        "break or continue out of try … finally is not in the subset",
                    );
                }
                let (pops, ends) = (self.scopes - lp.scopes, self.tries.len() - lp.tries);
                self.ops.push(Op::Line(*pos));
                for _ in 0..ends {
                    self.ops.push(Op::TryEnd);
                }
                for _ in 0..pops {
                    self.ops.push(Op::PopScope);
                }
                let at = self.emit_jump(Op::Jump);
                let lp = self.loops.last_mut().expect("checked above");
                if is_break {
                    lp.breaks.push(at);
                } else {
                    lp.continues.push(at);
                }
            }
        }
        Ok(())
    }

    /// A statement in its own scope when it is a block.
    fn scoped(&mut self, stmt: &Stmt) -> Result<(), SourceError> {
        match stmt {
            Stmt::Block(body) => self.block(body),
            other => self.stmt(other),
        }
    }

    fn loop_body(&mut self, body: &Stmt, top: usize, to_end: usize) -> Result<(), SourceError> {
        self.loops.push(Loop {
            scopes: self.scopes,
            tries: self.tries.len(),
            breaks: Vec::new(),
            continues: Vec::new(),
        });
        self.scoped(body)?;
        let lp = self.loops.pop().expect("pushed above");
        for at in lp.continues {
            self.patch_to(at, top);
        }
        self.ops.push(Op::Jump(top));
        self.patch(to_end);
        for at in lp.breaks {
            self.patch(at);
        }
        Ok(())
    }

    fn try_stmt(
        &mut self,
        block: &[Stmt],
        catch: &Option<(Option<String>, Vec<Stmt>)>,
        finally: &Option<Vec<Stmt>>,
    ) -> Result<(), SourceError> {
        // An outer handler runs `finally` on the way out of a throw, then throws again.
        let outer = finally.as_ref().map(|_| {
            self.tries.push(true);
            self.emit_jump(Op::TryStart)
        });
        if let Some((name, handler)) = catch {
            self.tries.push(false);
            let start = self.emit_jump(Op::TryStart);
            self.block(block)?;
            self.ops.push(Op::TryEnd);
            self.tries.pop();
            let over = self.emit_jump(Op::Jump);
            self.patch(start);
            self.ops.push(Op::PushScope);
            self.scopes += 1;
            match name {
                Some(name) => self.ops.push(Op::Declare(name.as_str().into(), true)),
                None => self.ops.push(Op::Pop),
            }
            for stmt in handler {
                self.stmt(stmt)?;
            }
            self.ops.push(Op::PopScope);
            self.scopes -= 1;
            self.patch(over);
        } else {
            self.block(block)?;
        }
        if let (Some(outer), Some(finally)) = (outer, finally) {
            self.ops.push(Op::TryEnd);
            self.tries.pop();
            self.block(finally)?;
            let over = self.emit_jump(Op::Jump);
            self.patch(outer);
            // The exception waits on the stack while `finally` runs.
            self.block(finally)?;
            self.ops.push(Op::Throw(Pos::default()));
            self.patch(over);
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<(), SourceError> {
        match e {
            Expr::Num(n) => self.ops.push(Op::Push(Lit::Num(*n))),
            Expr::Str(s) => self.ops.push(Op::Push(Lit::Str(s.as_str().into()))),
            Expr::Bool(b) => self.ops.push(Op::Push(Lit::Bool(*b))),
            Expr::Null => self.ops.push(Op::Push(Lit::Null)),
            Expr::Undefined => self.ops.push(Op::Push(Lit::Undefined)),
            Expr::This => self.ops.push(Op::This),
            Expr::Ident(name, pos) => self.ops.push(Op::Load(name.as_str().into(), *pos)),
            Expr::Template(parts) => {
                for part in parts {
                    match part {
                        TemplateExpr::Text(t) => {
                            self.ops.push(Op::Push(Lit::Str(t.as_str().into())))
                        }
                        TemplateExpr::Code(e) => self.expr(e)?,
                    }
                }
                self.ops.push(Op::Template(parts.len()));
            }
            Expr::Array(items) => {
                for item in items {
                    self.expr(item)?;
                }
                self.ops.push(Op::Array(items.len()));
            }
            Expr::Object(props) => {
                for (key, value) in props {
                    match value {
                        Expr::Function(def) if def.name.is_none() => {
                            self.ops
                                .push(Op::Closure(compile_function(def, Some(key))?));
                        }
                        other => self.expr(other)?,
                    }
                }
                self.ops.push(Op::Object(
                    props.iter().map(|(k, _)| Rc::from(k.as_str())).collect(),
                ));
            }
            Expr::Function(def) => self.ops.push(Op::Closure(compile_function(def, None)?)),
            Expr::Unary(op, value) => {
                self.expr(value)?;
                self.ops.push(Op::Unary(op));
            }
            Expr::Typeof(value) => {
                self.expr(value)?;
                self.ops.push(Op::Typeof);
            }
            Expr::Update(op, prefix, name, pos) => {
                let name: Rc<str> = name.as_str().into();
                self.ops.push(Op::Load(name.clone(), *pos));
                self.ops.push(Op::Unary("+"));
                if !prefix {
                    self.ops.push(Op::Dup);
                }
                self.ops.push(Op::Push(Lit::Num(1.0)));
                self.ops
                    .push(Op::Binary(if *op == "++" { "+" } else { "-" }, *pos));
                self.ops.push(Op::Store(name, *pos));
                if !prefix {
                    self.ops.push(Op::Pop);
                }
            }
            Expr::Binary(op, left, right, pos) => {
                self.expr(left)?;
                self.expr(right)?;
                self.ops.push(Op::Binary(op, *pos));
            }
            Expr::Logical(op, left, right) => {
                self.expr(left)?;
                let jump = match *op {
                    "&&" => self.emit_jump(Op::JumpIfFalseKeep),
                    "||" => self.emit_jump(Op::JumpIfTrueKeep),
                    _ => self.emit_jump(Op::JumpIfNotNullishKeep),
                };
                self.expr(right)?;
                self.patch(jump);
            }
            Expr::Cond(cond, then, otherwise) => {
                self.expr(cond)?;
                let to_else = self.emit_jump(Op::JumpIfFalse);
                self.expr(then)?;
                let to_end = self.emit_jump(Op::Jump);
                self.patch(to_else);
                self.expr(otherwise)?;
                self.patch(to_end);
            }
            Expr::Assign(op, target, value, pos) => self.assign(op, target, value, *pos)?,
            Expr::Member(object, name, pos) => {
                self.expr(object)?;
                self.ops.push(Op::GetProp(name.as_str().into(), *pos));
            }
            Expr::Index(object, index, pos) => {
                self.expr(object)?;
                self.expr(index)?;
                self.ops.push(Op::GetIndex(*pos));
            }
            Expr::Call(callee, args, pos) => {
                let method = match &**callee {
                    Expr::Member(object, name, at) => {
                        self.expr(object)?;
                        self.ops.push(Op::GetMethod(name.as_str().into(), *at));
                        true
                    }
                    Expr::Index(object, index, at) => {
                        self.expr(object)?;
                        self.ops.push(Op::Dup);
                        self.expr(index)?;
                        self.ops.push(Op::GetIndex(*at));
                        true
                    }
                    other => {
                        self.expr(other)?;
                        false
                    }
                };
                for arg in args {
                    self.expr(arg)?;
                }
                self.ops.push(if method {
                    Op::CallMethod(args.len(), *pos)
                } else {
                    Op::Call(args.len(), *pos)
                });
            }
            Expr::New(callee, args, pos) => {
                self.expr(callee)?;
                for arg in args {
                    self.expr(arg)?;
                }
                self.ops.push(Op::New(args.len(), *pos));
            }
            Expr::Await(value, pos) => {
                self.expr(value)?;
                self.ops.push(Op::Await(*pos));
            }
        }
        Ok(())
    }

    fn assign(
        &mut self,
        op: &'static str,
        target: &Expr,
        value: &Expr,
        pos: Pos,
    ) -> Result<(), SourceError> {
        let binary = op.strip_suffix('=').filter(|b| !b.is_empty());
        let binary: Option<&'static str> = binary.map(|b| match b {
            "+" => "+",
            "-" => "-",
            "*" => "*",
            "/" => "/",
            _ => "%",
        });
        match target {
            Expr::Ident(name, at) => {
                let name: Rc<str> = name.as_str().into();
                if let Some(b) = binary {
                    self.ops.push(Op::Load(name.clone(), *at));
                    self.expr(value)?;
                    self.ops.push(Op::Binary(b, pos));
                } else {
                    self.expr(value)?;
                }
                self.ops.push(Op::Store(name, *at));
            }
            Expr::Member(object, name, at) => {
                self.expr(object)?;
                if let Some(b) = binary {
                    self.ops.push(Op::Dup);
                    self.ops.push(Op::GetProp(name.as_str().into(), *at));
                    self.expr(value)?;
                    self.ops.push(Op::Binary(b, pos));
                } else {
                    self.expr(value)?;
                }
                self.ops.push(Op::SetProp(name.as_str().into(), *at));
            }
            Expr::Index(object, index, at) => {
                self.expr(object)?;
                self.expr(index)?;
                if let Some(b) = binary {
                    self.ops.push(Op::Dup2);
                    self.ops.push(Op::GetIndex(*at));
                    self.expr(value)?;
                    self.ops.push(Op::Binary(b, pos));
                } else {
                    self.expr(value)?;
                }
                self.ops.push(Op::SetIndex(*at));
            }
            _ => {
                return error(
                    pos,
                    "only a variable, a property or an element can be assigned",
                );
            }
        }
        Ok(())
    }
}
