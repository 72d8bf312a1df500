//! A small Python-flavoured language for the GIL lab: integer globals, `def`, `while`,
//! `for … in range(…)`, `if`/`else`, assignments, calls and `sleep(ms)` (blocking IO).
//!
//! Indentation makes blocks, as in Python. Anything else is an error naming line, column and
//! the construct, never a panic; sizes are bounded so no input can exhaust the page.

use std::fmt;

/// Longest program accepted, in characters.
pub const MAX_SOURCE_CHARS: usize = 10_000;
/// Deepest nesting of blocks and of parentheses.
pub const MAX_DEPTH: usize = 16;

/// A parse or compile error at a place in the source (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

fn error<T>(line: usize, column: usize, message: impl Into<String>) -> Result<T, SourceError> {
    Err(SourceError {
        line,
        column,
        message: message.into(),
    })
}

/// Binary operators, with Python's spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => 1,
            BinOp::Add | BinOp::Sub => 2,
            BinOp::Mul | BinOp::FloorDiv | BinOp::Mod => 3,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Int(i64),
    Name(String),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

/// A statement and the line it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub line: usize,
    pub kind: StmtKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    Assign(String, Expr),
    Expr(Expr),
    While(Expr, Vec<Stmt>),
    /// `for name in range(limit):`
    For(String, Expr, Vec<Stmt>),
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    Return(Option<Expr>),
    Global(Vec<String>),
    Pass,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Def {
    pub line: usize,
    pub name: String,
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
}

/// A whole program: integer globals and functions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub globals: Vec<(String, i64)>,
    pub defs: Vec<Def>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Int(i64),
    Name(String),
    Op(&'static str),
}

const OPS: [&str; 17] = [
    "//", "<=", ">=", "==", "!=", "+", "-", "*", "%", "<", ">", "=", "(", ")", ",", ":", ".",
];

fn tokenize(text: &str, line: usize, offset: usize) -> Result<Vec<(Tok, usize)>, SourceError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = offset + i + 1;
        if c == '#' {
            break;
        }
        if c == ' ' {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '_') {
                i += 1;
            }
            let digits: String = chars[start..i].iter().filter(|c| **c != '_').collect();
            let value = digits
                .parse::<i64>()
                .or_else(|_| error(line, column, "this number is too large"))?;
            out.push((Tok::Int(value), column));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Name(chars[start..i].iter().collect()), column));
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        match OPS.iter().find(|op| rest.starts_with(**op)) {
            Some(op) => {
                out.push((Tok::Op(op), column));
                i += op.len();
            }
            None => return error(line, column, format!("'{c}' is not part of this language")),
        }
    }
    Ok(out)
}

/// One logical source line: its number, indentation and tokens.
struct Line {
    number: usize,
    indent: usize,
    toks: Vec<(Tok, usize)>,
}

/// Parses a whole program.
pub fn parse(source: &str) -> Result<Module, SourceError> {
    if source.chars().count() > MAX_SOURCE_CHARS {
        return error(
            1,
            1,
            format!("the program is longer than {MAX_SOURCE_CHARS} characters"),
        );
    }
    let mut lines = Vec::new();
    for (index, raw) in source.lines().enumerate() {
        let number = index + 1;
        if let Some(col) = raw.find('\t') {
            return error(number, col + 1, "use spaces, not tabs, to indent");
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let toks = tokenize(&raw[indent..], number, indent)?;
        if !toks.is_empty() {
            lines.push(Line {
                number,
                indent,
                toks,
            });
        }
    }
    let mut parser = Parser { lines, at: 0 };
    parser.module()
}

struct Parser {
    lines: Vec<Line>,
    at: usize,
}

/// Tokens of one line, consumed left to right.
struct Cursor<'a> {
    line: usize,
    toks: &'a [(Tok, usize)],
    at: usize,
    end_column: usize,
}

impl<'a> Cursor<'a> {
    fn new(line: &'a Line) -> Self {
        let end_column = line.toks.last().map_or(1, |(_, c)| c + 1);
        Cursor {
            line: line.number,
            toks: &line.toks,
            at: 0,
            end_column,
        }
    }

    fn column(&self) -> usize {
        self.toks.get(self.at).map_or(self.end_column, |(_, c)| *c)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|(t, _)| t)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.peek() == Some(&Tok::Op(leak(op))) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> Result<(), SourceError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            error(self.line, self.column(), format!("expected '{op}'"))
        }
    }

    fn name(&mut self) -> Result<String, SourceError> {
        match self.peek() {
            Some(Tok::Name(n)) => {
                let n = n.clone();
                self.at += 1;
                Ok(n)
            }
            _ => error(self.line, self.column(), "expected a name"),
        }
    }

    fn done(&self) -> Result<(), SourceError> {
        if self.at == self.toks.len() {
            Ok(())
        } else {
            error(
                self.line,
                self.column(),
                "unexpected text at the end of the line",
            )
        }
    }

    fn expr(&mut self, depth: usize) -> Result<Expr, SourceError> {
        self.binary(0, depth)
    }

    fn binary(&mut self, min_prec: u8, depth: usize) -> Result<Expr, SourceError> {
        let mut left = self.unary(depth)?;
        while let Some(op) = self.peek().and_then(binary_op) {
            if op.precedence() <= min_prec {
                break;
            }
            self.at += 1;
            let right = self.binary(op.precedence(), depth)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, SourceError> {
        if depth > MAX_DEPTH {
            return error(self.line, self.column(), "the expression nests too deeply");
        }
        let column = self.column();
        match self.peek().cloned() {
            Some(Tok::Op("-")) => {
                self.at += 1;
                Ok(Expr::Neg(Box::new(self.unary(depth + 1)?)))
            }
            Some(Tok::Op("(")) => {
                self.at += 1;
                let inner = self.expr(depth + 1)?;
                self.expect_op(")")?;
                Ok(inner)
            }
            Some(Tok::Int(v)) => {
                self.at += 1;
                Ok(Expr::Int(v))
            }
            Some(Tok::Name(name)) => {
                self.at += 1;
                if KEYWORDS.contains(&name.as_str()) {
                    return error(self.line, column, format!("'{name}' cannot be used here"));
                }
                if self.eat_op("(") {
                    let mut args = Vec::new();
                    if !self.eat_op(")") {
                        loop {
                            args.push(self.expr(depth + 1)?);
                            if self.eat_op(")") {
                                break;
                            }
                            self.expect_op(",")?;
                        }
                    }
                    Ok(Expr::Call(name, args))
                } else if self.peek() == Some(&Tok::Op(".")) {
                    error(
                        self.line,
                        self.column(),
                        "attributes (a.b) are not part of this language",
                    )
                } else {
                    Ok(Expr::Name(name))
                }
            }
            _ => error(self.line, column, "expected a number, a name or '('"),
        }
    }
}

/// The binary operator a token spells, if any.
fn binary_op(tok: &Tok) -> Option<BinOp> {
    let Tok::Op(s) = tok else {
        return None;
    };
    Some(match *s {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "//" => BinOp::FloorDiv,
        "%" => BinOp::Mod,
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        _ => return None,
    })
}

/// `eat_op` compares with the interned operator strings.
fn leak(op: &str) -> &'static str {
    OPS.iter().find(|o| **o == op).copied().unwrap_or("")
}

const KEYWORDS: [&str; 12] = [
    "def", "while", "for", "in", "if", "else", "return", "global", "pass", "import", "class",
    "lambda",
];

impl Parser {
    fn module(&mut self) -> Result<Module, SourceError> {
        let mut module = Module {
            globals: Vec::new(),
            defs: Vec::new(),
        };
        while self.at < self.lines.len() {
            let line = &self.lines[self.at];
            if line.indent != 0 {
                return error(line.number, line.indent + 1, "unexpected indentation");
            }
            let mut c = Cursor::new(line);
            if c.peek() == Some(&Tok::Name("def".into())) {
                module.defs.push(self.def()?);
                continue;
            }
            if c.peek() == Some(&Tok::Name("import".into())) {
                // `import threading` at the top of a pasted program is harmless.
                self.at += 1;
                continue;
            }
            let name = c.name()?;
            c.expect_op("=")?;
            let column = c.column();
            let value = constant(&c.expr(0)?)
                .ok_or(())
                .or_else(|_| error(line.number, column, "a global starts as a whole number"))?;
            c.done()?;
            module.globals.push((name, value));
            self.at += 1;
        }
        Ok(module)
    }

    fn def(&mut self) -> Result<Def, SourceError> {
        let line = &self.lines[self.at];
        let mut c = Cursor::new(line);
        c.at = 1;
        let name = c.name()?;
        c.expect_op("(")?;
        let mut params = Vec::new();
        if !c.eat_op(")") {
            loop {
                params.push(c.name()?);
                if c.eat_op(")") {
                    break;
                }
                c.expect_op(",")?;
            }
        }
        c.expect_op(":")?;
        c.done()?;
        let (number, indent) = (line.number, line.indent);
        self.at += 1;
        let body = self.block(indent, 1)?;
        Ok(Def {
            line: number,
            name,
            params,
            body,
        })
    }

    /// The block below a line indented by `outer`.
    fn block(&mut self, outer: usize, depth: usize) -> Result<Vec<Stmt>, SourceError> {
        if depth > MAX_DEPTH {
            let line = self.lines.get(self.at).map_or(0, |l| l.number);
            return error(line, 1, "blocks nest too deeply");
        }
        let Some(first) = self.lines.get(self.at) else {
            let line = self.lines.last().map_or(1, |l| l.number);
            return error(line, 1, "expected an indented block after ':'");
        };
        if first.indent <= outer {
            return error(
                first.number,
                first.indent + 1,
                "expected an indented block after ':'",
            );
        }
        let indent = first.indent;
        let mut body = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.indent < indent {
                if line.indent > outer {
                    return error(
                        line.number,
                        line.indent + 1,
                        "this indentation matches no block",
                    );
                }
                break;
            }
            if line.indent > indent {
                return error(line.number, line.indent + 1, "unexpected indentation");
            }
            body.push(self.statement(indent, depth)?);
        }
        Ok(body)
    }

    fn statement(&mut self, indent: usize, depth: usize) -> Result<Stmt, SourceError> {
        let line = &self.lines[self.at];
        let number = line.number;
        let mut c = Cursor::new(line);
        let keyword = match c.peek() {
            Some(Tok::Name(n)) => n.clone(),
            _ => String::new(),
        };
        let kind = match keyword.as_str() {
            "while" => {
                c.at += 1;
                let cond = c.expr(0)?;
                c.expect_op(":")?;
                c.done()?;
                self.at += 1;
                StmtKind::While(cond, self.block(indent, depth + 1)?)
            }
            "for" => {
                c.at += 1;
                let var = c.name()?;
                if c.name().ok().as_deref() != Some("in") {
                    return error(number, c.column(), "expected 'in range(…)'");
                }
                let column = c.column();
                let limit = match c.expr(0)? {
                    Expr::Call(f, mut args) if f == "range" && args.len() == 1 => args.remove(0),
                    _ => return error(number, column, "a for loop runs over range(n) only"),
                };
                c.expect_op(":")?;
                c.done()?;
                self.at += 1;
                StmtKind::For(var, limit, self.block(indent, depth + 1)?)
            }
            "if" => {
                c.at += 1;
                let cond = c.expr(0)?;
                c.expect_op(":")?;
                c.done()?;
                self.at += 1;
                let then = self.block(indent, depth + 1)?;
                let mut otherwise = Vec::new();
                if let Some(next) = self.lines.get(self.at)
                    && next.indent == indent
                    && next.toks.first().map(|(t, _)| t) == Some(&Tok::Name("else".into()))
                {
                    let mut e = Cursor::new(next);
                    e.at = 1;
                    e.expect_op(":")?;
                    e.done()?;
                    self.at += 1;
                    otherwise = self.block(indent, depth + 1)?;
                }
                StmtKind::If(cond, then, otherwise)
            }
            "return" => {
                c.at += 1;
                let value = if c.peek().is_some() {
                    Some(c.expr(0)?)
                } else {
                    None
                };
                c.done()?;
                self.at += 1;
                StmtKind::Return(value)
            }
            "global" => {
                c.at += 1;
                let mut names = vec![c.name()?];
                while c.eat_op(",") {
                    names.push(c.name()?);
                }
                c.done()?;
                self.at += 1;
                StmtKind::Global(names)
            }
            "pass" => {
                c.at += 1;
                c.done()?;
                self.at += 1;
                StmtKind::Pass
            }
            "def" | "else" | "import" | "class" | "lambda" | "in" => {
                return error(
                    number,
                    c.column(),
                    format!("'{keyword}' is not allowed here"),
                );
            }
            _ => {
                let is_assign = matches!(c.toks.get(1), Some((Tok::Op("="), _)))
                    && matches!(c.peek(), Some(Tok::Name(_)));
                let kind = if is_assign {
                    let name = c.name()?;
                    c.expect_op("=")?;
                    StmtKind::Assign(name, c.expr(0)?)
                } else {
                    StmtKind::Expr(c.expr(0)?)
                };
                c.done()?;
                self.at += 1;
                kind
            }
        };
        Ok(Stmt { line: number, kind })
    }
}

/// The value of a constant expression (a global's initial value).
fn constant(expr: &Expr) -> Option<i64> {
    match expr {
        Expr::Int(v) => Some(*v),
        Expr::Neg(inner) => constant(inner).map(i64::wrapping_neg),
        _ => None,
    }
}

// ---- printing back (a program prints as it parses) ----

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Int(v) => write!(f, "{v}"),
            Expr::Name(n) => f.write_str(n),
            Expr::Neg(e) => write!(f, "-({e})"),
            Expr::Binary(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
            Expr::Call(name, args) => {
                write!(f, "{name}(")?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

fn write_block(f: &mut fmt::Formatter<'_>, body: &[Stmt], indent: usize) -> fmt::Result {
    let pad = " ".repeat(indent);
    for stmt in body {
        match &stmt.kind {
            StmtKind::Assign(n, e) => writeln!(f, "{pad}{n} = {e}")?,
            StmtKind::Expr(e) => writeln!(f, "{pad}{e}")?,
            StmtKind::While(c, b) => {
                writeln!(f, "{pad}while {c}:")?;
                write_block(f, b, indent + 4)?;
            }
            StmtKind::For(v, l, b) => {
                writeln!(f, "{pad}for {v} in range({l}):")?;
                write_block(f, b, indent + 4)?;
            }
            StmtKind::If(c, t, e) => {
                writeln!(f, "{pad}if {c}:")?;
                write_block(f, t, indent + 4)?;
                if !e.is_empty() {
                    writeln!(f, "{pad}else:")?;
                    write_block(f, e, indent + 4)?;
                }
            }
            StmtKind::Return(Some(e)) => writeln!(f, "{pad}return {e}")?,
            StmtKind::Return(None) => writeln!(f, "{pad}return")?,
            StmtKind::Global(names) => writeln!(f, "{pad}global {}", names.join(", "))?,
            StmtKind::Pass => writeln!(f, "{pad}pass")?,
        }
    }
    Ok(())
}

impl fmt::Display for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in &self.globals {
            writeln!(f, "{name} = {value}")?;
        }
        for def in &self.defs {
            writeln!(f, "def {}({}):", def.name, def.params.join(", "))?;
            write_block(f, &def.body, 4)?;
        }
        Ok(())
    }
}
