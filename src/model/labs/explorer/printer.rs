//! Writes programs back as source text in one canonical layout.
//!
//! **Invariant:** `parse(&program.to_string()) == Ok(program)` for every program the parser
//! returns. Parentheses are added exactly where precedence needs them, `elif` is used for an
//! `else` that holds a single `if`, and comments are not kept.

use std::fmt::{self, Display, Formatter, Write};

use super::ast::{
    DeclarationKind, Expr, NEG_PRECEDENCE, NOT_PRECEDENCE, Program, Stmt, StmtKind, UnaryOp,
};

const INDENT: &str = "    ";

impl Display for Program {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for declaration in &self.declarations {
            let name = &declaration.name;
            match &declaration.kind {
                DeclarationKind::Shared { initial } => writeln!(f, "shared {name} = {initial}")?,
                DeclarationKind::Lock => writeln!(f, "lock {name}")?,
                DeclarationKind::RLock => writeln!(f, "rlock {name}")?,
                DeclarationKind::Semaphore { permits } => {
                    writeln!(f, "semaphore {name} = {permits}")?;
                }
                DeclarationKind::Event => writeln!(f, "event {name}")?,
                DeclarationKind::Condition { lock } => writeln!(f, "condition {name}({lock})")?,
            }
        }
        for thread in &self.threads {
            writeln!(f)?;
            write!(f, "thread {} ", thread.name)?;
            write_block(f, &thread.body, 0)?;
            writeln!(f)?;
        }
        if !self.checks.is_empty() {
            writeln!(f)?;
        }
        for check in &self.checks {
            write!(f, "assert {}", check.condition)?;
            write_message(f, check.message.as_deref())?;
            writeln!(f)?;
        }
        Ok(())
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_expr(f, self, 0)
    }
}

impl Display for Stmt {
    /// The statement on one line; compound statements show only their header.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            StmtKind::If { condition, .. } => write!(f, "if {condition}"),
            StmtKind::While { condition, .. } => write!(f, "while {condition}"),
            StmtKind::Repeat { count, .. } => write!(f, "repeat {count}"),
            StmtKind::With { object, .. } => write!(f, "with {object}"),
            _ => write_simple(f, &self.kind),
        }
    }
}

fn write_block(f: &mut Formatter<'_>, body: &[Stmt], depth: usize) -> fmt::Result {
    if body.is_empty() {
        return f
            .write_str("{\n")
            .and_then(|()| write_indent(f, depth))
            .and(f.write_char('}'));
    }
    f.write_str("{\n")?;
    for statement in body {
        write_indent(f, depth + 1)?;
        write_statement(f, statement, depth + 1)?;
        f.write_char('\n')?;
    }
    write_indent(f, depth)?;
    f.write_char('}')
}

fn write_indent(f: &mut Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str(INDENT)?;
    }
    Ok(())
}

fn write_statement(f: &mut Formatter<'_>, statement: &Stmt, depth: usize) -> fmt::Result {
    match &statement.kind {
        StmtKind::If {
            condition,
            then_body,
            else_body,
        } => {
            write!(f, "if {condition} ")?;
            write_block(f, then_body, depth)?;
            write_else(f, else_body, depth)
        }
        StmtKind::While { condition, body } => {
            write!(f, "while {condition} ")?;
            write_block(f, body, depth)
        }
        StmtKind::Repeat { count, body } => {
            write!(f, "repeat {count} ")?;
            write_block(f, body, depth)
        }
        StmtKind::With { object, body } => {
            write!(f, "with {object} ")?;
            write_block(f, body, depth)
        }
        simple => write_simple(f, simple),
    }
}

fn write_else(f: &mut Formatter<'_>, else_body: &[Stmt], depth: usize) -> fmt::Result {
    match else_body {
        [] => Ok(()),
        [
            Stmt {
                kind:
                    StmtKind::If {
                        condition,
                        then_body,
                        else_body,
                    },
                ..
            },
        ] => {
            write!(f, " elif {condition} ")?;
            write_block(f, then_body, depth)?;
            write_else(f, else_body, depth)
        }
        body => {
            f.write_str(" else ")?;
            write_block(f, body, depth)
        }
    }
}

fn write_simple(f: &mut Formatter<'_>, kind: &StmtKind) -> fmt::Result {
    match kind {
        StmtKind::Assign { target, value } => write!(f, "{target} = {value}"),
        StmtKind::Atomic {
            target,
            op,
            var,
            args,
        } => {
            if let Some(target) = target {
                write!(f, "{target} = ")?;
            }
            write!(f, "{}({var}", op.name())?;
            for arg in args {
                write!(f, ", {arg}")?;
            }
            f.write_str(")")
        }
        StmtKind::Call { object, method } => write!(f, "{object}.{}()", method.name()),
        StmtKind::Assert { condition, message } => {
            write!(f, "assert {condition}")?;
            write_message(f, message.as_deref())
        }
        StmtKind::Yield => f.write_str("yield"),
        StmtKind::Pass => f.write_str("pass"),
        StmtKind::Fence => f.write_str("fence"),
        StmtKind::If { .. }
        | StmtKind::While { .. }
        | StmtKind::Repeat { .. }
        | StmtKind::With { .. } => Ok(()),
    }
}

fn write_message(f: &mut Formatter<'_>, message: Option<&str>) -> fmt::Result {
    let Some(message) = message else {
        return Ok(());
    };
    f.write_str(", \"")?;
    for c in message.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// Writes `expr`, parenthesised if it binds looser than `min_precedence`.
fn write_expr(f: &mut Formatter<'_>, expr: &Expr, min_precedence: u8) -> fmt::Result {
    match expr {
        Expr::Int(value) if *value < 0 => write!(f, "({value})"),
        Expr::Int(value) => write!(f, "{value}"),
        Expr::Bool(value) => write!(f, "{value}"),
        Expr::Name { name, .. } => f.write_str(name),
        Expr::Unary { op, operand } => {
            let (precedence, prefix) = match op {
                UnaryOp::Neg => (NEG_PRECEDENCE, "-"),
                UnaryOp::Not => (NOT_PRECEDENCE, "not "),
            };
            let parenthesise = precedence < min_precedence;
            if parenthesise {
                f.write_char('(')?;
            }
            f.write_str(prefix)?;
            write_expr(f, operand, precedence)?;
            if parenthesise {
                f.write_char(')')?;
            }
            Ok(())
        }
        Expr::Binary { op, left, right } => {
            let precedence = op.precedence();
            let parenthesise = precedence < min_precedence;
            if parenthesise {
                f.write_char('(')?;
            }
            // Left-associative; comparisons do not chain, so they parenthesise both sides.
            let left_min = if op.is_comparison() {
                precedence + 1
            } else {
                precedence
            };
            write_expr(f, left, left_min)?;
            write!(f, " {} ", op.symbol())?;
            write_expr(f, right, precedence + 1)?;
            if parenthesise {
                f.write_char(')')?;
            }
            Ok(())
        }
    }
}
