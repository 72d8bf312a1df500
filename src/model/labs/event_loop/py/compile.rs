//! The Python subset compiled to stack-machine operations. Scopes are decided here, as
//! Python decides them: a name assigned in a function is local unless declared `global` or
//! `nonlocal`. A `finally` runs on every way out: its body is copied onto each `return`,
//! `break` and `continue` that leaves it, and an outer handler runs it on the way out of an
//! exception.

use super::syntax::{Except, Expr, FExpr, FuncDef, Pos, SourceError, Stmt, error};
use std::collections::HashSet;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
}

#[derive(Clone, Debug)]
pub enum Op {
    Line(Pos),
    Const(Lit),
    Load(Rc<str>, Pos),
    StoreLocal(Rc<str>),
    StoreGlobal(Rc<str>),
    StoreNonlocal(Rc<str>),
    /// Pops the default values, then makes a function.
    Function(Rc<Code>, usize),
    List(usize),
    Tuple(usize),
    Dict(usize),
    /// Appends the top of the stack to the list in the named hidden local.
    ListAppend(Rc<str>),
    GetAttr(Rc<str>, Pos),
    /// `[object, value]`.
    SetAttr(Rc<str>, Pos),
    GetItem(Pos),
    /// `[object, key, value]`.
    SetItem(Pos),
    /// Callee, positional arguments (the last one splatted when `star`), keyword values.
    Call {
        args: usize,
        keywords: Rc<Vec<Rc<str>>>,
        star: bool,
        pos: Pos,
    },
    Unary(&'static str, Pos),
    Binary(&'static str, Pos),
    Jump(usize),
    JumpIfFalse(usize),
    JumpIfFalseKeep(usize),
    JumpIfTrueKeep(usize),
    Pop,
    Dup,
    Return,
    Await(Pos),
    Yield(Pos),
    GetIter(Pos),
    /// `[iterator]` → `[iterator, next]`, or pops it and jumps when it is exhausted.
    ForIter(usize),
    Unpack(usize, Pos),
    /// Catches what is raised until `PopHandler`: jumps to the handler with the exception.
    SetupHandler(usize),
    PopHandler,
    /// Entering an `except` body: the exception becomes the one a bare `raise` re-raises.
    EnterHandling,
    ExitHandling,
    /// `[exception]` → `[exception, matches?]` against exception class names.
    Matches(Rc<Vec<String>>),
    Raise(bool, Pos),
    /// Re-raises the exception on the stack (after `finally`, or when no `except` matched).
    Reraise,
    Format(Option<char>, Rc<str>, Pos),
    Concat(usize),
    Import(Rc<str>),
}

#[derive(Debug)]
pub struct Code {
    pub name: Rc<str>,
    pub params: Vec<Rc<str>>,
    pub star: Option<Rc<str>>,
    /// How many parameters take positional arguments (the rest are keyword-only).
    pub positional: usize,
    pub ops: Vec<Op>,
    pub is_async: bool,
    pub is_generator: bool,
    /// Part of the model's asyncio, not the visitor's program.
    pub library: bool,
    pub pos: Pos,
}

enum Block {
    Loop {
        breaks: Vec<usize>,
        continue_to: usize,
        /// A `for` keeps its iterator on the stack; a break pops it.
        is_for: bool,
    },
    Except,
    Finally(Rc<Vec<Stmt>>),
    Handling,
}

struct Compiler {
    ops: Vec<Op>,
    blocks: Vec<Block>,
    globals: HashSet<String>,
    nonlocals: HashSet<String>,
    function: bool,
    library: bool,
    hidden: usize,
}

pub fn compile_module(body: &[Stmt], library: bool) -> Result<Rc<Code>, SourceError> {
    let mut c = Compiler::new(false, library);
    c.body(body)?;
    c.ops.push(Op::Const(Lit::None));
    c.ops.push(Op::Return);
    Ok(Rc::new(Code {
        name: if library { "asyncio" } else { "<module>" }.into(),
        params: Vec::new(),
        star: None,
        positional: 0,
        ops: c.ops,
        is_async: false,
        is_generator: false,
        library,
        pos: Pos { line: 1, col: 1 },
    }))
}

fn compile_function(def: &FuncDef, library: bool) -> Result<Rc<Code>, SourceError> {
    let mut c = Compiler::new(true, library);
    for stmt in &def.body {
        c.declarations(stmt);
    }
    c.body(&def.body)?;
    c.ops.push(Op::Const(Lit::None));
    c.ops.push(Op::Return);
    Ok(Rc::new(Code {
        name: def.name.as_str().into(),
        params: def
            .params
            .iter()
            .map(|(p, _)| Rc::from(p.as_str()))
            .collect(),
        star: def.star.as_deref().map(Rc::from),
        positional: def.positional,
        ops: c.ops,
        is_async: def.is_async,
        is_generator: def.is_generator,
        library,
        pos: def.pos,
    }))
}

impl Compiler {
    fn new(function: bool, library: bool) -> Compiler {
        Compiler {
            ops: Vec::new(),
            blocks: Vec::new(),
            globals: HashSet::new(),
            nonlocals: HashSet::new(),
            function,
            library,
            hidden: 0,
        }
    }

    /// `global` and `nonlocal` anywhere in the function body (not in nested functions).
    fn declarations(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Global(names) => self.globals.extend(names.iter().cloned()),
            Stmt::Nonlocal(names) => self.nonlocals.extend(names.iter().cloned()),
            Stmt::If(_, a, b, _) => a.iter().chain(b).for_each(|s| self.declarations(s)),
            Stmt::While(_, body, _) | Stmt::For(_, _, body, _) => {
                body.iter().for_each(|s| self.declarations(s))
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => {
                body.iter()
                    .chain(finally)
                    .for_each(|s| self.declarations(s));
                for (_, _, h, _) in handlers {
                    h.iter().for_each(|s| self.declarations(s));
                }
            }
            _ => {}
        }
    }

    fn store(&mut self, name: &str) {
        let name: Rc<str> = name.into();
        self.ops.push(if self.globals.contains(&*name) {
            Op::StoreGlobal(name)
        } else if self.nonlocals.contains(&*name) {
            Op::StoreNonlocal(name)
        } else {
            Op::StoreLocal(name)
        });
    }

    fn hidden_name(&mut self, what: &str) -> Rc<str> {
        self.hidden += 1;
        format!("${what}{}", self.hidden).into()
    }

    fn jump(&mut self, op: fn(usize) -> Op) -> usize {
        self.ops.push(op(usize::MAX));
        self.ops.len() - 1
    }

    fn patch(&mut self, at: usize) {
        let here = self.ops.len();
        self.patch_to(at, here);
    }

    fn patch_to(&mut self, at: usize, to: usize) {
        self.ops[at] = match self.ops[at] {
            Op::Jump(_) => Op::Jump(to),
            Op::JumpIfFalse(_) => Op::JumpIfFalse(to),
            Op::JumpIfFalseKeep(_) => Op::JumpIfFalseKeep(to),
            Op::JumpIfTrueKeep(_) => Op::JumpIfTrueKeep(to),
            Op::ForIter(_) => Op::ForIter(to),
            Op::SetupHandler(_) => Op::SetupHandler(to),
            ref other => other.clone(),
        };
    }

    fn body(&mut self, body: &[Stmt]) -> Result<(), SourceError> {
        body.iter().try_for_each(|s| self.stmt(s))
    }

    /// Leaves the blocks above `level`: handlers popped, `finally` bodies run, iterators
    /// dropped when `drop_iterators`.
    fn unwind(&mut self, level: usize, drop_iterators: bool) -> Result<(), SourceError> {
        let mut i = self.blocks.len();
        while i > level {
            i -= 1;
            match &self.blocks[i] {
                Block::Except => self.ops.push(Op::PopHandler),
                Block::Handling => self.ops.push(Op::ExitHandling),
                Block::Finally(body) => {
                    let body = body.clone();
                    self.ops.push(Op::PopHandler);
                    // The finally body runs outside the blocks it closes.
                    let saved: Vec<Block> = self.blocks.drain(i..).collect();
                    self.body(&body)?;
                    self.blocks.extend(saved);
                }
                Block::Loop { is_for, .. } => {
                    if drop_iterators && *is_for {
                        self.ops.push(Op::Pop);
                    }
                }
            }
        }
        Ok(())
    }

    fn stmt(&mut self, stmt: &Stmt) -> Result<(), SourceError> {
        match stmt {
            Stmt::Expr(e, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(e)?;
                self.ops.push(Op::Pop);
            }
            Stmt::Assign(targets, value, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(value)?;
                for (i, target) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.ops.push(Op::Dup);
                    }
                    self.assign(target, *pos)?;
                }
            }
            Stmt::AugAssign(target, op, value, pos) => {
                self.ops.push(Op::Line(*pos));
                match target {
                    Expr::Name(name, at) => {
                        self.ops.push(Op::Load(name.as_str().into(), *at));
                        self.expr(value)?;
                        self.ops.push(Op::Binary(op, *pos));
                        self.store(name);
                    }
                    Expr::Attr(obj, name, at) => {
                        self.expr(obj)?;
                        self.ops.push(Op::Dup);
                        self.ops.push(Op::GetAttr(name.as_str().into(), *at));
                        self.expr(value)?;
                        self.ops.push(Op::Binary(op, *pos));
                        self.ops.push(Op::SetAttr(name.as_str().into(), *at));
                    }
                    Expr::Index(obj, key, at) => {
                        // The key is evaluated twice: fine for the subset's side-effect-free keys.
                        self.expr(obj)?;
                        self.expr(key)?;
                        self.expr(obj)?;
                        self.expr(key)?;
                        self.ops.push(Op::GetItem(*at));
                        self.expr(value)?;
                        self.ops.push(Op::Binary(op, *pos));
                        self.ops.push(Op::SetItem(*at));
                    }
                    _ => {
                        return error(
                            *pos,
                            "augmented assignment needs a name, an attribute or an element",
                        );
                    }
                }
            }
            Stmt::Def(def) => {
                self.function_value(def)?;
                self.store(&def.name);
            }
            Stmt::Return(value, pos) => {
                self.ops.push(Op::Line(*pos));
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.ops.push(Op::Const(Lit::None)),
                }
                if self
                    .blocks
                    .iter()
                    .any(|b| matches!(b, Block::Finally(_) | Block::Handling))
                {
                    let slot = self.hidden_name("return");
                    self.ops.push(Op::StoreLocal(slot.clone()));
                    self.unwind(0, false)?;
                    self.ops.push(Op::Load(slot, *pos));
                }
                self.ops.push(Op::Return);
            }
            Stmt::If(cond, body, otherwise, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(cond)?;
                let to_else = self.jump(Op::JumpIfFalse);
                self.body(body)?;
                if otherwise.is_empty() {
                    self.patch(to_else);
                } else {
                    let to_end = self.jump(Op::Jump);
                    self.patch(to_else);
                    self.body(otherwise)?;
                    self.patch(to_end);
                }
            }
            Stmt::While(cond, body, pos) => {
                let top = self.ops.len();
                self.ops.push(Op::Line(*pos));
                self.expr(cond)?;
                let to_end = self.jump(Op::JumpIfFalse);
                self.blocks.push(Block::Loop {
                    breaks: Vec::new(),
                    continue_to: top,
                    is_for: false,
                });
                self.body(body)?;
                let Some(Block::Loop { breaks, .. }) = self.blocks.pop() else {
                    unreachable!("pushed above")
                };
                self.ops.push(Op::Jump(top));
                self.patch(to_end);
                for b in breaks {
                    self.patch(b);
                }
            }
            Stmt::For(name, iterable, body, pos) => {
                self.ops.push(Op::Line(*pos));
                self.expr(iterable)?;
                self.ops.push(Op::GetIter(*pos));
                let top = self.ops.len();
                let exhausted = self.jump(Op::ForIter);
                self.store(name);
                self.blocks.push(Block::Loop {
                    breaks: Vec::new(),
                    continue_to: top,
                    is_for: true,
                });
                self.body(body)?;
                let Some(Block::Loop { breaks, .. }) = self.blocks.pop() else {
                    unreachable!("pushed above")
                };
                self.ops.push(Op::Jump(top));
                self.patch(exhausted);
                for b in breaks {
                    self.patch(b);
                }
            }
            Stmt::Break(pos) | Stmt::Continue(pos) => {
                let is_break = matches!(stmt, Stmt::Break(_));
                let Some(level) = self
                    .blocks
                    .iter()
                    .rposition(|b| matches!(b, Block::Loop { .. }))
                else {
                    return error(*pos, "break or continue outside a loop");
                };
                self.ops.push(Op::Line(*pos));
                self.unwind(level + 1, false)?;
                if is_break {
                    if let Block::Loop { is_for: true, .. } = self.blocks[level] {
                        self.ops.push(Op::Pop);
                    }
                    let at = self.jump(Op::Jump);
                    if let Block::Loop { breaks, .. } = &mut self.blocks[level] {
                        breaks.push(at);
                    }
                } else if let Block::Loop { continue_to, .. } = self.blocks[level] {
                    self.ops.push(Op::Jump(continue_to));
                }
            }
            Stmt::Try {
                body,
                handlers,
                finally,
                ..
            } => self.try_stmt(body, handlers, finally)?,
            Stmt::Raise(value, pos) => {
                self.ops.push(Op::Line(*pos));
                if let Some(v) = value {
                    self.expr(v)?;
                } else if !self.blocks.iter().any(|b| matches!(b, Block::Handling)) && !self.library
                {
                    return error(*pos, "a bare raise outside an except block");
                }
                self.ops.push(Op::Raise(value.is_some(), *pos));
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass => {
                if let Stmt::Nonlocal(_) = stmt
                    && !self.function
                {
                    return error(Pos::default(), "nonlocal outside a function");
                }
            }
            Stmt::Import(module, pos) => {
                self.ops.push(Op::Line(*pos));
                self.ops.push(Op::Import(module.as_str().into()));
                self.store(module);
            }
        }
        Ok(())
    }

    fn try_stmt(
        &mut self,
        body: &[Stmt],
        handlers: &[Except],
        finally: &[Stmt],
    ) -> Result<(), SourceError> {
        let finally_block = (!finally.is_empty()).then(|| Rc::new(finally.to_vec()));
        let outer = finally_block.as_ref().map(|f| {
            let at = self.jump(Op::SetupHandler);
            self.blocks.push(Block::Finally(f.clone()));
            at
        });
        if handlers.is_empty() {
            self.body(body)?;
        } else {
            let setup = self.jump(Op::SetupHandler);
            self.blocks.push(Block::Except);
            self.body(body)?;
            self.blocks.pop();
            self.ops.push(Op::PopHandler);
            let over = self.jump(Op::Jump);
            self.patch(setup);
            let mut ends = vec![over];
            for (types, name, handler, pos) in handlers {
                self.ops.push(Op::Line(*pos));
                let next = if types.is_empty() {
                    None
                } else {
                    self.ops.push(Op::Dup);
                    self.ops.push(Op::Matches(Rc::new(types.clone())));
                    Some(self.jump(Op::JumpIfFalse))
                };
                self.ops.push(Op::EnterHandling);
                match name {
                    Some(n) => self.store(n),
                    None => self.ops.push(Op::Pop),
                }
                self.blocks.push(Block::Handling);
                self.body(handler)?;
                self.blocks.pop();
                self.ops.push(Op::ExitHandling);
                ends.push(self.jump(Op::Jump));
                if let Some(next) = next {
                    self.patch(next);
                }
            }
            // No clause matched: on up it goes.
            self.ops.push(Op::Reraise);
            for e in ends {
                self.patch(e);
            }
        }
        if let (Some(outer), Some(finally)) = (outer, finally_block) {
            self.blocks.pop();
            self.ops.push(Op::PopHandler);
            self.body(&finally)?;
            let over = self.jump(Op::Jump);
            self.patch(outer);
            // The exception waits on the stack while `finally` runs, then goes on up.
            self.body(&finally)?;
            self.ops.push(Op::Reraise);
            self.patch(over);
        }
        Ok(())
    }

    fn assign(&mut self, target: &Expr, pos: Pos) -> Result<(), SourceError> {
        match target {
            Expr::Name(name, _) => self.store(name),
            Expr::Attr(obj, name, at) => {
                self.expr(obj)?;
                self.ops.push(Op::SetAttr(name.as_str().into(), *at));
            }
            Expr::Index(obj, key, at) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.ops.push(Op::SetItem(*at));
            }
            Expr::Tuple(items) => {
                self.ops.push(Op::Unpack(items.len(), pos));
                for item in items {
                    self.assign(item, pos)?;
                }
            }
            _ => return error(pos, "this cannot be assigned"),
        }
        Ok(())
    }

    fn function_value(&mut self, def: &FuncDef) -> Result<(), SourceError> {
        let mut defaults = 0;
        for (_, default) in &def.params {
            if let Some(d) = default {
                self.expr(d)?;
                defaults += 1;
            }
        }
        let code = compile_function(def, self.library)?;
        self.ops.push(Op::Function(code, defaults));
        Ok(())
    }

    fn expr(&mut self, e: &Expr) -> Result<(), SourceError> {
        match e {
            Expr::None => self.ops.push(Op::Const(Lit::None)),
            Expr::Bool(b) => self.ops.push(Op::Const(Lit::Bool(*b))),
            Expr::Int(n) => self.ops.push(Op::Const(Lit::Int(*n))),
            Expr::Float(f) => self.ops.push(Op::Const(Lit::Float(*f))),
            Expr::Str(s) => self.ops.push(Op::Const(Lit::Str(s.as_str().into()))),
            Expr::FStr(parts) => {
                for part in parts {
                    match part {
                        FExpr::Text(t) => self.ops.push(Op::Const(Lit::Str(t.as_str().into()))),
                        FExpr::Code(e, conversion, spec) => {
                            self.expr(e)?;
                            self.ops.push(Op::Format(
                                *conversion,
                                spec.as_str().into(),
                                Pos::default(),
                            ));
                        }
                    }
                }
                self.ops.push(Op::Concat(parts.len()));
            }
            Expr::Name(name, pos) => self.ops.push(Op::Load(name.as_str().into(), *pos)),
            Expr::List(items) | Expr::Tuple(items) => {
                if items.iter().any(|i| matches!(i, Expr::Star(_))) {
                    return error(
                        Pos::default(),
                        "starred items in a list or tuple are not in the subset",
                    );
                }
                for item in items {
                    self.expr(item)?;
                }
                self.ops.push(if let Expr::List(_) = e {
                    Op::List(items.len())
                } else {
                    Op::Tuple(items.len())
                });
            }
            Expr::Dict(items) => {
                for (k, v) in items {
                    self.expr(k)?;
                    self.expr(v)?;
                }
                self.ops.push(Op::Dict(items.len()));
            }
            Expr::ListComp(element, name, iterable, cond) => {
                let list = self.hidden_name("list");
                self.ops.push(Op::List(0));
                self.ops.push(Op::StoreLocal(list.clone()));
                self.expr(iterable)?;
                self.ops.push(Op::GetIter(Pos::default()));
                let top = self.ops.len();
                let exhausted = self.jump(Op::ForIter);
                self.store(name);
                let skip = match cond {
                    Some(c) => {
                        self.expr(c)?;
                        Some(self.jump(Op::JumpIfFalse))
                    }
                    None => None,
                };
                self.expr(element)?;
                self.ops.push(Op::ListAppend(list.clone()));
                if let Some(skip) = skip {
                    self.patch(skip);
                }
                self.ops.push(Op::Jump(top));
                self.patch(exhausted);
                self.ops.push(Op::Load(list, Pos::default()));
            }
            Expr::Lambda(def) => self.function_value(def)?,
            Expr::Unary(op, value) => {
                self.expr(value)?;
                self.ops.push(Op::Unary(op, Pos::default()));
            }
            Expr::Binary(op, left, right, pos) => {
                self.expr(left)?;
                self.expr(right)?;
                self.ops.push(Op::Binary(op, *pos));
            }
            Expr::Logic(op, left, right) => {
                self.expr(left)?;
                let jump = if *op == "and" {
                    self.jump(Op::JumpIfFalseKeep)
                } else {
                    self.jump(Op::JumpIfTrueKeep)
                };
                self.expr(right)?;
                self.patch(jump);
            }
            Expr::IfElse(cond, then, otherwise) => {
                self.expr(cond)?;
                let to_else = self.jump(Op::JumpIfFalse);
                self.expr(then)?;
                let to_end = self.jump(Op::Jump);
                self.patch(to_else);
                self.expr(otherwise)?;
                self.patch(to_end);
            }
            Expr::Attr(obj, name, pos) => {
                self.expr(obj)?;
                self.ops.push(Op::GetAttr(name.as_str().into(), *pos));
            }
            Expr::Index(obj, key, pos) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.ops.push(Op::GetItem(*pos));
            }
            Expr::Call(callee, args, kwargs, pos) => {
                self.expr(callee)?;
                let star = args.last().is_some_and(|a| matches!(a, Expr::Star(_)));
                if args
                    .iter()
                    .rev()
                    .skip(1)
                    .any(|a| matches!(a, Expr::Star(_)))
                {
                    return error(
                        *pos,
                        "only the last positional argument may be starred in the subset",
                    );
                }
                for arg in args {
                    match arg {
                        Expr::Star(inner) => self.expr(inner)?,
                        other => self.expr(other)?,
                    }
                }
                for (_, value) in kwargs {
                    self.expr(value)?;
                }
                self.ops.push(Op::Call {
                    args: args.len(),
                    keywords: Rc::new(kwargs.iter().map(|(k, _)| Rc::from(k.as_str())).collect()),
                    star,
                    pos: *pos,
                });
            }
            Expr::Star(_) => {
                return error(
                    Pos::default(),
                    "a starred expression is only allowed as the last call argument",
                );
            }
            Expr::Await(value, pos) => {
                self.expr(value)?;
                self.ops.push(Op::Await(*pos));
            }
            Expr::Yield(value, pos) => {
                match value {
                    Some(v) => self.expr(v)?,
                    None => self.ops.push(Op::Const(Lit::None)),
                }
                self.ops.push(Op::Yield(*pos));
            }
        }
        Ok(())
    }
}
