//! A recursive-descent parser for the Python subset; anything outside it is refused with its
//! line, column and name.

use super::syntax::{
    Args, Expr, FExpr, FPart, FuncDef, Params, Pos, SourceError, Stmt, Tok, Token, error, lex,
};
use std::rc::Rc;

const REFUSED: [(&str, &str); 8] = [
    ("class", "classes are not in the subset"),
    ("with", "with is not in the subset (async with neither)"),
    ("del", "del is not in the subset"),
    ("assert", "assert is not in the subset; use if … raise"),
    ("match", "match is not in the subset"),
    (
        "from",
        "from … import is not in the subset; write import asyncio",
    ),
    ("yield from", "yield from is not in the subset; use await"),
    ("async for", "async for is not in the subset"),
];

pub fn parse_program(source: &str) -> Result<Vec<Stmt>, SourceError> {
    let mut p = Parser {
        tokens: lex(source, Pos { line: 1, col: 1 }, false)?,
        at: 0,
        in_async: false,
        in_function: false,
        saw_yield: false,
    };
    let mut body = Vec::new();
    while p.peek() != &Tok::Eof {
        body.extend(p.statement()?);
    }
    Ok(body)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    in_async: bool,
    in_function: bool,
    saw_yield: bool,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at].tok
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        self.tokens[self.at].pos
    }

    fn next(&mut self) -> Token {
        let t = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        t
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == w)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.next();
        }
        yes
    }

    fn eat_word(&mut self, w: &str) -> bool {
        let yes = self.is_word(w);
        if yes {
            self.next();
        }
        yes
    }

    fn expect_op(&mut self, op: &str) -> Result<(), SourceError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            error(
                self.pos(),
                format!("expected {op} but found {}", describe(self.peek())),
            )
        }
    }

    fn name(&mut self) -> Result<String, SourceError> {
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) => {
                self.next();
                Ok(n)
            }
            other => error(
                self.pos(),
                format!("expected a name but found {}", describe(&other)),
            ),
        }
    }

    fn end_line(&mut self) -> Result<(), SourceError> {
        if self.eat_op(";") && !matches!(self.peek(), Tok::Newline | Tok::Eof) {
            return error(
                self.pos(),
                "several statements on one line are not in the subset",
            );
        }
        match self.peek() {
            Tok::Newline => {
                self.next();
                Ok(())
            }
            Tok::Eof | Tok::Dedent => Ok(()),
            other => error(
                self.pos(),
                format!("expected the end of the line but found {}", describe(other)),
            ),
        }
    }

    fn block(&mut self) -> Result<Vec<Stmt>, SourceError> {
        self.expect_op(":")?;
        if !matches!(self.peek(), Tok::Newline) {
            // `if x: return 1` on one line.
            return self.simple();
        }
        self.next();
        if self.peek() != &Tok::Indent {
            return error(self.pos(), "expected an indented block");
        }
        self.next();
        let mut body = Vec::new();
        while !matches!(self.peek(), Tok::Dedent | Tok::Eof) {
            body.extend(self.statement()?);
        }
        if self.peek() == &Tok::Dedent {
            self.next();
        }
        Ok(body)
    }

    fn refuse(&self) -> Result<(), SourceError> {
        let word = match self.peek() {
            Tok::Name(w) => w.clone(),
            _ => return Ok(()),
        };
        let two = match self.peek_at(1) {
            Tok::Name(n) => format!("{word} {n}"),
            _ => word.clone(),
        };
        for (w, why) in REFUSED {
            if w == two || (w == word && !w.contains(' ')) {
                // `match` is also an ordinary name; only refuse it at a statement's start
                // when followed by a name.
                if w == "match" && !matches!(self.peek_at(1), Tok::Name(_)) {
                    continue;
                }
                return error(self.pos(), why);
            }
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<Vec<Stmt>, SourceError> {
        self.refuse()?;
        let pos = self.pos();
        if self.is_word("async") && matches!(self.peek_at(1), Tok::Name(n) if n == "def") {
            self.next();
            self.next();
            return Ok(vec![Stmt::Def(self.def_rest(true, pos)?)]);
        }
        if self.eat_word("def") {
            return Ok(vec![Stmt::Def(self.def_rest(false, pos)?)]);
        }
        if self.eat_word("if") {
            return Ok(vec![self.if_rest(pos)?]);
        }
        if self.eat_word("while") {
            let cond = self.expr()?;
            let body = self.block()?;
            if self.is_word("else") {
                return error(self.pos(), "while … else is not in the subset");
            }
            return Ok(vec![Stmt::While(cond, body, pos)]);
        }
        if self.eat_word("for") {
            let name = self.name()?;
            if self.is_op(",") {
                return error(
                    self.pos(),
                    "unpacking in for is not in the subset; use one name",
                );
            }
            if !self.eat_word("in") {
                return error(self.pos(), "expected in");
            }
            let iterable = self.expr_list()?;
            let body = self.block()?;
            if self.is_word("else") {
                return error(self.pos(), "for … else is not in the subset");
            }
            return Ok(vec![Stmt::For(name, iterable, body, pos)]);
        }
        if self.eat_word("try") {
            let body = self.block()?;
            let mut handlers = Vec::new();
            while self.is_word("except") {
                let hpos = self.pos();
                self.next();
                let mut types = Vec::new();
                if self.eat_op("(") {
                    loop {
                        types.push(self.dotted()?);
                        if !self.eat_op(",") {
                            break;
                        }
                    }
                    self.expect_op(")")?;
                } else if !self.is_op(":") {
                    types.push(self.dotted()?);
                }
                let name = if self.eat_word("as") {
                    Some(self.name()?)
                } else {
                    None
                };
                handlers.push((types, name, self.block()?, hpos));
            }
            if self.is_word("else") {
                return error(self.pos(), "try … else is not in the subset");
            }
            let finally = if self.eat_word("finally") {
                self.block()?
            } else {
                Vec::new()
            };
            if handlers.is_empty() && finally.is_empty() {
                return error(pos, "try needs except or finally");
            }
            return Ok(vec![Stmt::Try {
                body,
                handlers,
                finally,
                pos,
            }]);
        }
        self.simple()
    }

    /// `asyncio.CancelledError` or `ValueError`: the last name is what counts.
    fn dotted(&mut self) -> Result<String, SourceError> {
        let mut name = self.name()?;
        while self.eat_op(".") {
            name = self.name()?;
        }
        Ok(name)
    }

    fn if_rest(&mut self, pos: Pos) -> Result<Stmt, SourceError> {
        let cond = self.expr()?;
        let body = self.block()?;
        let otherwise = if self.is_word("elif") {
            let epos = self.pos();
            self.next();
            vec![self.if_rest(epos)?]
        } else if self.eat_word("else") {
            self.block()?
        } else {
            Vec::new()
        };
        Ok(Stmt::If(cond, body, otherwise, pos))
    }

    fn def_rest(&mut self, is_async: bool, pos: Pos) -> Result<Rc<FuncDef>, SourceError> {
        let name = self.name()?;
        self.expect_op("(")?;
        let (params, star, positional) = self.params(")")?;
        if self.eat_op("->") {
            self.expr()?;
        }
        let saved = (self.in_async, self.in_function, self.saw_yield);
        (self.in_async, self.in_function, self.saw_yield) = (is_async, true, false);
        let body = self.block();
        let is_generator = self.saw_yield;
        (self.in_async, self.in_function, self.saw_yield) = saved;
        let body = body?;
        if is_async && is_generator {
            return error(pos, "async generators are not in the subset");
        }
        Ok(Rc::new(FuncDef {
            name,
            params,
            star,
            positional,
            body,
            is_async,
            is_generator,
            pos,
        }))
    }

    fn params(&mut self, close: &str) -> Result<Params, SourceError> {
        let mut params = Vec::new();
        let mut star = None;
        let mut positional = None;
        while !self.eat_op(close) {
            if self.eat_op("*") {
                if self.is_op("*") {
                    return error(self.pos(), "**kwargs is not in the subset");
                }
                star = Some(self.name()?);
                positional = Some(params.len());
            } else if self.is_op("**") {
                return error(self.pos(), "**kwargs is not in the subset");
            } else {
                let name = self.name()?;
                if close != ":" && self.eat_op(":") {
                    self.expr()?;
                }
                let default = if self.eat_op("=") {
                    Some(self.expr()?)
                } else {
                    None
                };
                params.push((name, default));
            }
            if !self.is_op(close) {
                self.expect_op(",")?;
            }
        }
        let positional = positional.unwrap_or(params.len());
        Ok((params, star, positional))
    }

    /// One line of simple statements.
    fn simple(&mut self) -> Result<Vec<Stmt>, SourceError> {
        self.refuse()?;
        let pos = self.pos();
        let stmt = if self.eat_word("pass") {
            Stmt::Pass
        } else if self.eat_word("break") {
            Stmt::Break(pos)
        } else if self.eat_word("continue") {
            Stmt::Continue(pos)
        } else if self.eat_word("return") {
            if !self.in_function {
                return error(pos, "return outside a function");
            }
            let value = if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Dedent) {
                None
            } else {
                Some(self.expr_list()?)
            };
            Stmt::Return(value, pos)
        } else if self.eat_word("raise") {
            let value = if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Dedent) {
                None
            } else {
                Some(self.expr()?)
            };
            if self.eat_word("from") {
                self.expr()?;
            }
            Stmt::Raise(value, pos)
        } else if self.eat_word("global") || self.eat_word("nonlocal") {
            let nonlocal = matches!(&self.tokens[self.at - 1].tok, Tok::Name(n) if n == "nonlocal");
            let mut names = vec![self.name()?];
            while self.eat_op(",") {
                names.push(self.name()?);
            }
            if nonlocal {
                Stmt::Nonlocal(names)
            } else {
                Stmt::Global(names)
            }
        } else if self.eat_word("import") {
            let module = self.name()?;
            if self.is_op(".") || self.is_word("as") {
                return error(
                    self.pos(),
                    "only import asyncio and import time are in the subset",
                );
            }
            if !matches!(module.as_str(), "asyncio" | "time") {
                return error(
                    pos,
                    format!("import {module}: only asyncio and time can be imported in the subset"),
                );
            }
            Stmt::Import(module, pos)
        } else {
            let first = self.expr_list()?;
            if self.is_op("=") {
                let mut targets = vec![first];
                let mut value = None;
                while self.eat_op("=") {
                    let next = self.expr_list()?;
                    if self.is_op("=") {
                        targets.push(next);
                    } else {
                        value = Some(next);
                    }
                }
                for t in &targets {
                    check_target(t, pos)?;
                }
                Stmt::Assign(targets, value.expect("the loop ends on a value"), pos)
            } else if let Tok::Op(op @ ("+=" | "-=" | "*=" | "/=" | "//=" | "%=")) = *self.peek() {
                self.next();
                check_target(&first, pos)?;
                if let Expr::Tuple(_) = first {
                    return error(pos, "augmented assignment needs one target");
                }
                let value = self.expr()?;
                Stmt::AugAssign(first, &op[..op.len() - 1], value, pos)
            } else {
                Stmt::Expr(first, pos)
            }
        };
        self.end_line()?;
        Ok(vec![stmt])
    }

    /// Expressions separated by commas make a tuple.
    fn expr_list(&mut self) -> Result<Expr, SourceError> {
        let first = self.star_or_expr()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if matches!(self.peek(), Tok::Newline | Tok::Eof | Tok::Op("=" | ")")) {
                break;
            }
            items.push(self.star_or_expr()?);
        }
        Ok(Expr::Tuple(items))
    }

    fn star_or_expr(&mut self) -> Result<Expr, SourceError> {
        if self.eat_op("*") {
            return Ok(Expr::Star(Box::new(self.expr()?)));
        }
        self.expr()
    }

    pub fn expr(&mut self) -> Result<Expr, SourceError> {
        if self.is_word("lambda") {
            let pos = self.pos();
            self.next();
            let (params, star, positional) = self.params(":")?;
            let saved = (self.in_async, self.in_function);
            (self.in_async, self.in_function) = (false, true);
            let body = self.expr();
            (self.in_async, self.in_function) = saved;
            let body = body?;
            return Ok(Expr::Lambda(Rc::new(FuncDef {
                name: "<lambda>".into(),
                params,
                star,
                positional,
                body: vec![Stmt::Return(Some(body), pos)],
                is_async: false,
                is_generator: false,
                pos,
            })));
        }
        if self.is_word("yield") {
            let pos = self.pos();
            self.next();
            if !self.in_function {
                return error(pos, "yield outside a function");
            }
            if self.in_async {
                return error(pos, "async generators are not in the subset");
            }
            self.saw_yield = true;
            let value = if matches!(
                self.peek(),
                Tok::Newline | Tok::Eof | Tok::Op(")" | "]" | "}" | "," | "=")
            ) {
                None
            } else {
                Some(Box::new(self.expr()?))
            };
            return Ok(Expr::Yield(value, pos));
        }
        let value = self.or()?;
        if self.is_word("if") && !matches!(self.peek_at(1), Tok::Newline) {
            let save = self.at;
            self.next();
            let cond = self.or()?;
            if !self.eat_word("else") {
                self.at = save;
                return Ok(value);
            }
            let otherwise = self.expr()?;
            return Ok(Expr::IfElse(
                Box::new(cond),
                Box::new(value),
                Box::new(otherwise),
            ));
        }
        Ok(value)
    }

    fn or(&mut self) -> Result<Expr, SourceError> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Expr::Logic("or", Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, SourceError> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Expr::Logic("and", Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, SourceError> {
        if self.eat_word("not") {
            return Ok(Expr::Unary("not", Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, SourceError> {
        let left = self.arith(0)?;
        let pos = self.pos();
        let op: &'static str = match self.peek() {
            Tok::Op("==") => "==",
            Tok::Op("!=") => "!=",
            Tok::Op("<") => "<",
            Tok::Op(">") => ">",
            Tok::Op("<=") => "<=",
            Tok::Op(">=") => ">=",
            Tok::Name(n) if n == "in" => "in",
            Tok::Name(n) if n == "is" => "is",
            Tok::Name(n) if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") => {
                "not in"
            }
            _ => return Ok(left),
        };
        self.next();
        let op = match op {
            "not in" => {
                self.next();
                "not in"
            }
            "is" if self.eat_word("not") => "is not",
            other => other,
        };
        let right = self.arith(0)?;
        if matches!(self.peek(), Tok::Op("==" | "!=" | "<" | ">" | "<=" | ">=")) {
            return error(
                self.pos(),
                "chained comparisons are not in the subset; use and",
            );
        }
        Ok(Expr::Binary(op, Box::new(left), Box::new(right), pos))
    }

    fn arith(&mut self, min: u8) -> Result<Expr, SourceError> {
        let mut left = self.unary()?;
        loop {
            let (op, prec): (&'static str, u8) = match self.peek() {
                Tok::Op("+") => ("+", 1),
                Tok::Op("-") => ("-", 1),
                Tok::Op("*") => ("*", 2),
                Tok::Op("/") => ("/", 2),
                Tok::Op("//") => ("//", 2),
                Tok::Op("%") => ("%", 2),
                Tok::Op(o @ ("&" | "|" | "^" | "<<" | ">>" | "@")) => {
                    return error(self.pos(), format!("the operator {o} is not in the subset"));
                }
                _ => break,
            };
            if prec < min {
                break;
            }
            let pos = self.pos();
            self.next();
            let right = self.arith(prec + 1)?;
            left = Expr::Binary(op, Box::new(left), Box::new(right), pos);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SourceError> {
        if self.eat_op("-") {
            return Ok(Expr::Unary("-", Box::new(self.unary()?)));
        }
        if self.eat_op("+") {
            return Ok(Expr::Unary("+", Box::new(self.unary()?)));
        }
        if self.is_word("await") {
            let pos = self.pos();
            self.next();
            if !self.in_async {
                return error(pos, "await outside an async function");
            }
            return Ok(Expr::Await(Box::new(self.unary()?), pos));
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, SourceError> {
        let base = self.postfix()?;
        if self.is_op("**") {
            let pos = self.pos();
            self.next();
            let exp = self.unary()?;
            return Ok(Expr::Binary("**", Box::new(base), Box::new(exp), pos));
        }
        Ok(base)
    }

    fn postfix(&mut self) -> Result<Expr, SourceError> {
        let mut e = self.atom()?;
        loop {
            let pos = self.pos();
            if self.eat_op(".") {
                e = Expr::Attr(Box::new(e), self.name()?, pos);
            } else if self.eat_op("(") {
                let (args, kwargs) = self.call_args()?;
                e = Expr::Call(Box::new(e), args, kwargs, pos);
            } else if self.eat_op("[") {
                if self.is_op(":") {
                    return error(pos, "slices are not in the subset");
                }
                let index = self.expr()?;
                if self.is_op(":") {
                    return error(self.pos(), "slices are not in the subset");
                }
                self.expect_op("]")?;
                e = Expr::Index(Box::new(e), Box::new(index), pos);
            } else {
                return Ok(e);
            }
        }
    }

    fn call_args(&mut self) -> Result<Args, SourceError> {
        let (mut args, mut kwargs) = (Vec::new(), Vec::new());
        while !self.eat_op(")") {
            if self.is_op("**") {
                return error(self.pos(), "**kwargs is not in the subset");
            }
            if let (Tok::Name(n), Tok::Op("=")) = (self.peek().clone(), self.peek_at(1).clone()) {
                self.next();
                self.next();
                kwargs.push((n, self.expr()?));
            } else {
                if !kwargs.is_empty() {
                    return error(self.pos(), "a positional argument after a keyword argument");
                }
                let arg = self.star_or_expr()?;
                if self.is_word("for") {
                    return error(
                        self.pos(),
                        "generator expressions are not in the subset; use a list comprehension [ … ]",
                    );
                }
                args.push(arg);
            }
            if !self.is_op(")") {
                self.expect_op(",")?;
            }
        }
        Ok((args, kwargs))
    }

    fn atom(&mut self) -> Result<Expr, SourceError> {
        let token = self.next();
        let pos = token.pos;
        Ok(match token.tok {
            Tok::Int(n) => Expr::Int(n),
            Tok::Float(f) => Expr::Float(f),
            Tok::Str(mut s) => {
                // Adjacent literals join.
                while let Tok::Str(more) = self.peek().clone() {
                    self.next();
                    s.push_str(&more);
                }
                Expr::Str(s)
            }
            Tok::FStr(parts) => {
                let mut out = Vec::new();
                for part in parts {
                    out.push(match part {
                        FPart::Text(t) => FExpr::Text(t),
                        FPart::Code(code, conversion, spec, at) => {
                            let mut inner = Parser {
                                tokens: lex(&code, at, true)?,
                                at: 0,
                                in_async: self.in_async,
                                in_function: self.in_function,
                                saw_yield: false,
                            };
                            let e = inner.expr()?;
                            if inner.peek() != &Tok::Eof {
                                return error(inner.pos(), "expected } in the f-string");
                            }
                            FExpr::Code(e, conversion, spec)
                        }
                    });
                }
                Expr::FStr(out)
            }
            Tok::Op("(") => {
                if self.eat_op(")") {
                    return Ok(Expr::Tuple(Vec::new()));
                }
                let first = self.star_or_expr()?;
                if self.is_word("for") {
                    return error(
                        self.pos(),
                        "generator expressions are not in the subset; use a list comprehension [ … ]",
                    );
                }
                if self.eat_op(")") {
                    return Ok(first);
                }
                let mut items = vec![first];
                while self.eat_op(",") {
                    if self.is_op(")") {
                        break;
                    }
                    items.push(self.star_or_expr()?);
                }
                self.expect_op(")")?;
                Expr::Tuple(items)
            }
            Tok::Op("[") => {
                let mut items = Vec::new();
                if !self.is_op("]") {
                    let first = self.star_or_expr()?;
                    if self.eat_word("for") {
                        let name = self.name()?;
                        if !self.eat_word("in") {
                            return error(self.pos(), "expected in");
                        }
                        let iterable = self.or()?;
                        let cond = if self.eat_word("if") {
                            Some(Box::new(self.or()?))
                        } else {
                            None
                        };
                        if self.is_word("for") {
                            return error(
                                self.pos(),
                                "nested comprehensions are not in the subset",
                            );
                        }
                        self.expect_op("]")?;
                        return Ok(Expr::ListComp(
                            Box::new(first),
                            name,
                            Box::new(iterable),
                            cond,
                        ));
                    }
                    items.push(first);
                    while self.eat_op(",") {
                        if self.is_op("]") {
                            break;
                        }
                        items.push(self.star_or_expr()?);
                    }
                }
                self.expect_op("]")?;
                Expr::List(items)
            }
            Tok::Op("{") => {
                let mut items = Vec::new();
                while !self.eat_op("}") {
                    let key = self.expr()?;
                    if !self.eat_op(":") {
                        return error(
                            self.pos(),
                            "sets are not in the subset; use a list or a dict",
                        );
                    }
                    items.push((key, self.expr()?));
                    if !self.is_op("}") {
                        self.expect_op(",")?;
                    }
                }
                Expr::Dict(items)
            }
            Tok::Name(n) => match n.as_str() {
                "None" => Expr::None,
                "True" => Expr::Bool(true),
                "False" => Expr::Bool(false),
                _ if is_keyword(&n) => return error(pos, format!("unexpected {n}")),
                _ => Expr::Name(n, pos),
            },
            other => return error(pos, format!("unexpected {}", describe(&other))),
        })
    }
}

fn check_target(e: &Expr, pos: Pos) -> Result<(), SourceError> {
    match e {
        Expr::Name(..) | Expr::Attr(..) | Expr::Index(..) => Ok(()),
        Expr::Tuple(items) if items.iter().all(|i| matches!(i, Expr::Name(..))) => Ok(()),
        _ => error(
            pos,
            "only names, attributes, elements or a tuple of names can be assigned",
        ),
    }
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "def"
            | "async"
            | "await"
            | "if"
            | "elif"
            | "else"
            | "while"
            | "for"
            | "in"
            | "is"
            | "not"
            | "and"
            | "or"
            | "return"
            | "yield"
            | "try"
            | "except"
            | "finally"
            | "raise"
            | "pass"
            | "break"
            | "continue"
            | "import"
            | "from"
            | "as"
            | "global"
            | "nonlocal"
            | "lambda"
            | "class"
            | "with"
            | "del"
            | "assert"
            | "None"
            | "True"
            | "False"
    )
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Name(n) => n.clone(),
        Tok::Int(n) => n.to_string(),
        Tok::Float(f) => f.to_string(),
        Tok::Str(_) | Tok::FStr(_) => "a string".into(),
        Tok::Op(o) => (*o).to_string(),
        Tok::Newline => "the end of the line".into(),
        Tok::Indent => "an indent".into(),
        Tok::Dedent => "a dedent".into(),
        Tok::Eof => "the end".into(),
    }
}
