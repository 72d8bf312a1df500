//! A recursive-descent parser for the JavaScript subset. Anything outside it is refused with
//! its line and column and the construct's name, never silently misread.

use super::syntax::{
    Expr, FuncDef, Pos, SourceError, Stmt, TemplateExpr, TemplatePart, Tok, Token, error, lex,
};
use std::rc::Rc;

/// Words the subset does not accept, and what to say about each.
const REFUSED: [(&str, &str); 11] = [
    (
        "class",
        "classes are not in the subset; use an object literal with methods",
    ),
    ("switch", "switch is not in the subset; use if / else"),
    ("do", "do … while is not in the subset; use while"),
    ("yield", "generators are not in the JavaScript subset"),
    ("import", "modules are not in the subset"),
    ("export", "modules are not in the subset"),
    ("delete", "delete is not in the subset"),
    ("in", "the in operator is not in the subset"),
    ("instanceof", "instanceof is not in the subset"),
    ("with", "with is not in the subset"),
    ("debugger", "debugger is not in the subset"),
];

pub struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Inside an async function (where `await` is an operator).
    in_async: bool,
    in_function: bool,
    /// An `await` at the top level (a module's top-level await).
    top_await: bool,
}

/// Parses a whole program; also says whether it awaits at its top level (then the script
/// runs as an async module body does).
pub fn parse_program(source: &str) -> Result<(Vec<Stmt>, bool), SourceError> {
    let mut parser = Parser::new(lex(source, Pos { line: 1, col: 1 })?);
    let mut body = Vec::new();
    while !parser.at_eof() {
        body.push(parser.statement()?);
    }
    Ok((body, parser.top_await))
}

impl Parser {
    fn new(tokens: Vec<Token>) -> Parser {
        Parser {
            tokens,
            at: 0,
            in_async: false,
            in_function: false,
            top_await: false,
        }
    }

    fn peek(&self) -> &Token {
        &self.tokens[self.at]
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        &self.tokens[(self.at + ahead).min(self.tokens.len() - 1)].tok
    }

    fn pos(&self) -> Pos {
        self.peek().pos
    }

    fn at_eof(&self) -> bool {
        self.peek().tok == Tok::Eof
    }

    fn next(&mut self) -> Token {
        let token = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(q) if *q == p)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(name) if name == w)
    }

    fn eat_punct(&mut self, p: &str) -> bool {
        let yes = self.is_punct(p);
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

    fn expect(&mut self, p: &str) -> Result<(), SourceError> {
        if self.eat_punct(p) {
            Ok(())
        } else {
            error(
                self.pos(),
                format!("expected {p} but found {}", describe(&self.peek().tok)),
            )
        }
    }

    fn ident(&mut self) -> Result<String, SourceError> {
        match &self.peek().tok {
            Tok::Ident(name) if !is_reserved(name) => {
                let name = name.clone();
                self.next();
                Ok(name)
            }
            other => error(
                self.pos(),
                format!("expected a name but found {}", describe(other)),
            ),
        }
    }

    /// A statement ends at `;`, before `}`, at the end, or at a line break.
    fn end_statement(&mut self) -> Result<(), SourceError> {
        if self.eat_punct(";") || self.is_punct("}") || self.at_eof() || self.peek().newline_before
        {
            Ok(())
        } else {
            error(
                self.pos(),
                format!("expected ; but found {}", describe(&self.peek().tok)),
            )
        }
    }

    fn refuse_word(&self) -> Result<(), SourceError> {
        if let Tok::Ident(name) = &self.peek().tok
            && let Some((_, why)) = REFUSED.iter().find(|(w, _)| w == name)
        {
            return error(self.pos(), *why);
        }
        Ok(())
    }

    fn statement(&mut self) -> Result<Stmt, SourceError> {
        self.refuse_word()?;
        let pos = self.pos();
        if self.is_punct("{") {
            return Ok(Stmt::Block(self.block()?));
        }
        if self.eat_punct(";") {
            return Ok(Stmt::Empty);
        }
        if self.is_word("async") && self.peek_at(1) == &Tok::Ident("function".into()) {
            self.next();
            self.next();
            return Ok(Stmt::Function(self.function_rest(true, true, pos)?));
        }
        if self.eat_word("function") {
            return Ok(Stmt::Function(self.function_rest(false, true, pos)?));
        }
        if self.is_word("let") || self.is_word("const") || self.is_word("var") {
            let mutable = !self.is_word("const");
            self.next();
            let decl = self.declarations(mutable, pos)?;
            self.end_statement()?;
            return Ok(decl);
        }
        if self.eat_word("return") {
            if !self.in_function {
                return error(pos, "return outside a function");
            }
            let value = if self.is_punct(";")
                || self.is_punct("}")
                || self.at_eof()
                || self.peek().newline_before
            {
                None
            } else {
                Some(self.expression()?)
            };
            self.end_statement()?;
            return Ok(Stmt::Return(value, pos));
        }
        if self.eat_word("if") {
            self.expect("(")?;
            let cond = self.expression()?;
            self.expect(")")?;
            let then = Box::new(self.statement()?);
            let otherwise = if self.eat_word("else") {
                Some(Box::new(self.statement()?))
            } else {
                None
            };
            return Ok(Stmt::If(cond, then, otherwise, pos));
        }
        if self.eat_word("while") {
            self.expect("(")?;
            let cond = self.expression()?;
            self.expect(")")?;
            return Ok(Stmt::While(cond, Box::new(self.statement()?), pos));
        }
        if self.eat_word("for") {
            self.expect("(")?;
            let init = if self.eat_punct(";") {
                None
            } else {
                let init_pos = self.pos();
                let init = if self.is_word("let") || self.is_word("const") || self.is_word("var") {
                    let mutable = !self.is_word("const");
                    self.next();
                    self.declarations(mutable, init_pos)?
                } else {
                    Stmt::Expr(self.expression()?, init_pos)
                };
                if self.is_word("of") || self.is_word("in") {
                    return error(
                        self.pos(),
                        "for … of and for … in are not in the subset; use for (let i = 0; …)",
                    );
                }
                self.expect(";")?;
                Some(Box::new(init))
            };
            let cond = if self.is_punct(";") {
                None
            } else {
                Some(self.expression()?)
            };
            self.expect(";")?;
            let update = if self.is_punct(")") {
                None
            } else {
                Some(self.expression()?)
            };
            self.expect(")")?;
            let body = Box::new(self.statement()?);
            return Ok(Stmt::For {
                init,
                cond,
                update,
                body,
                pos,
            });
        }
        if self.eat_word("try") {
            let block = self.block()?;
            let catch = if self.eat_word("catch") {
                let name = if self.eat_punct("(") {
                    let name = self.ident()?;
                    self.expect(")")?;
                    Some(name)
                } else {
                    None
                };
                Some((name, self.block()?))
            } else {
                None
            };
            let finally = if self.eat_word("finally") {
                Some(self.block()?)
            } else {
                None
            };
            if catch.is_none() && finally.is_none() {
                return error(pos, "try needs catch or finally");
            }
            return Ok(Stmt::Try {
                block,
                catch,
                finally,
                pos,
            });
        }
        if self.eat_word("throw") {
            let value = self.expression()?;
            self.end_statement()?;
            return Ok(Stmt::Throw(value, pos));
        }
        if self.eat_word("break") {
            self.end_statement()?;
            return Ok(Stmt::Break(pos));
        }
        if self.eat_word("continue") {
            self.end_statement()?;
            return Ok(Stmt::Continue(pos));
        }
        let expr = self.expression()?;
        self.end_statement()?;
        Ok(Stmt::Expr(expr, pos))
    }

    fn declarations(&mut self, mutable: bool, pos: Pos) -> Result<Stmt, SourceError> {
        let mut names = Vec::new();
        loop {
            if self.is_punct("{") || self.is_punct("[") {
                return error(self.pos(), "destructuring is not in the subset");
            }
            let name = self.ident()?;
            let value = if self.eat_punct("=") {
                Some(self.assignment()?)
            } else {
                None
            };
            if !mutable && value.is_none() && !self.is_word("of") && !self.is_word("in") {
                return error(self.pos(), format!("const {name} needs a value"));
            }
            names.push((name, value));
            if !self.eat_punct(",") {
                break;
            }
        }
        Ok(Stmt::Let(mutable, names, pos))
    }

    fn block(&mut self) -> Result<Vec<Stmt>, SourceError> {
        self.expect("{")?;
        let mut body = Vec::new();
        while !self.is_punct("}") {
            if self.at_eof() {
                return error(self.pos(), "missing } at the end");
            }
            body.push(self.statement()?);
        }
        self.next();
        Ok(body)
    }

    /// After `function` (and its `async`): optional name, parameters, body.
    fn function_rest(
        &mut self,
        is_async: bool,
        needs_name: bool,
        pos: Pos,
    ) -> Result<Rc<FuncDef>, SourceError> {
        if self.is_punct("*") {
            return error(self.pos(), "generators are not in the JavaScript subset");
        }
        let name = if needs_name || matches!(self.peek().tok, Tok::Ident(_)) {
            Some(self.ident()?)
        } else {
            None
        };
        let params = self.params()?;
        self.body(name, params, is_async, false, pos)
    }

    fn params(&mut self) -> Result<Vec<String>, SourceError> {
        self.expect("(")?;
        let mut params = Vec::new();
        while !self.eat_punct(")") {
            if self.is_punct("...") {
                return error(self.pos(), "rest parameters are not in the subset");
            }
            if self.is_punct("{") || self.is_punct("[") {
                return error(self.pos(), "destructuring is not in the subset");
            }
            params.push(self.ident()?);
            if self.is_punct("=") {
                return error(self.pos(), "default parameters are not in the subset");
            }
            if !self.is_punct(")") {
                self.expect(",")?;
            }
        }
        Ok(params)
    }

    fn body(
        &mut self,
        name: Option<String>,
        params: Vec<String>,
        is_async: bool,
        is_arrow: bool,
        pos: Pos,
    ) -> Result<Rc<FuncDef>, SourceError> {
        let saved = (self.in_async, self.in_function);
        self.in_async = is_async;
        self.in_function = true;
        let body = if is_arrow && !self.is_punct("{") {
            let value_pos = self.pos();
            let value = self.assignment();
            value.map(|v| vec![Stmt::Return(Some(v), value_pos)])
        } else {
            self.block()
        };
        (self.in_async, self.in_function) = saved;
        Ok(Rc::new(FuncDef {
            name,
            params,
            body: body?,
            is_async,
            is_arrow,
            pos,
        }))
    }

    pub fn expression(&mut self) -> Result<Expr, SourceError> {
        let first = self.assignment()?;
        if self.is_punct(",") {
            return error(self.pos(), "the comma operator is not in the subset");
        }
        Ok(first)
    }

    /// Is the next thing an arrow function's parameter list (`x =>`, `(a, b) =>`, `() =>`)?
    fn arrow_ahead(&self) -> bool {
        match self.peek_at(0) {
            Tok::Ident(_) => self.peek_at(1) == &Tok::Punct("=>"),
            Tok::Punct("(") => {
                let mut depth = 0;
                let mut k = 0;
                loop {
                    match self.peek_at(k) {
                        Tok::Punct("(") => depth += 1,
                        Tok::Punct(")") => {
                            depth -= 1;
                            if depth == 0 {
                                return self.peek_at(k + 1) == &Tok::Punct("=>");
                            }
                        }
                        Tok::Eof => return false,
                        _ => {}
                    }
                    k += 1;
                }
            }
            _ => false,
        }
    }

    fn arrow(&mut self, is_async: bool) -> Result<Expr, SourceError> {
        let pos = self.pos();
        let params = if let Tok::Ident(_) = self.peek().tok {
            vec![self.ident()?]
        } else {
            self.params()?
        };
        self.expect("=>")?;
        Ok(Expr::Function(
            self.body(None, params, is_async, true, pos)?,
        ))
    }

    fn assignment(&mut self) -> Result<Expr, SourceError> {
        if self.is_word("async") && !self.peek().newline_before {
            let save = self.at;
            self.next();
            if self.arrow_ahead() {
                return self.arrow(true);
            }
            self.at = save;
        }
        if self.arrow_ahead() {
            return self.arrow(false);
        }
        let target = self.conditional()?;
        let pos = self.pos();
        for op in ["=", "+=", "-=", "*=", "/=", "%="] {
            if self.is_punct(op) {
                if !matches!(target, Expr::Ident(..) | Expr::Member(..) | Expr::Index(..)) {
                    return error(
                        pos,
                        "only a variable, a property or an element can be assigned",
                    );
                }
                self.next();
                let value = self.assignment()?;
                return Ok(Expr::Assign(op, Box::new(target), Box::new(value), pos));
            }
        }
        Ok(target)
    }

    fn conditional(&mut self) -> Result<Expr, SourceError> {
        let cond = self.binary(0)?;
        if self.eat_punct("?") {
            let then = self.assignment()?;
            self.expect(":")?;
            let otherwise = self.assignment()?;
            return Ok(Expr::Cond(
                Box::new(cond),
                Box::new(then),
                Box::new(otherwise),
            ));
        }
        Ok(cond)
    }

    fn binary(&mut self, min: u8) -> Result<Expr, SourceError> {
        let mut left = self.unary()?;
        loop {
            let Tok::Punct(op) = self.peek().tok else {
                if let Tok::Ident(w) = &self.peek().tok
                    && (w == "in" || w == "instanceof")
                {
                    self.refuse_word()?;
                }
                break;
            };
            let Some(prec) = precedence(op) else { break };
            if prec < min {
                break;
            }
            if op == "&" || op == "|" || op == "^" {
                return error(
                    self.pos(),
                    format!("the bitwise operator {op} is not in the subset"),
                );
            }
            let pos = self.pos();
            self.next();
            // `**` groups to the right; the rest to the left.
            let right = self.binary(if op == "**" { prec } else { prec + 1 })?;
            left = match op {
                "&&" | "||" | "??" => Expr::Logical(op, Box::new(left), Box::new(right)),
                _ => Expr::Binary(op, Box::new(left), Box::new(right), pos),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SourceError> {
        let pos = self.pos();
        for op in ["!", "-", "+"] {
            if self.eat_punct(op) {
                return Ok(Expr::Unary(op, Box::new(self.unary()?)));
            }
        }
        if self.is_punct("~") {
            return error(pos, "the bitwise operator ~ is not in the subset");
        }
        if self.eat_word("typeof") {
            return Ok(Expr::Typeof(Box::new(self.unary()?)));
        }
        if self.is_word("void") {
            return error(pos, "void is not in the subset");
        }
        if self.is_word("await") {
            if !self.in_function {
                self.top_await = true;
            } else if !self.in_async {
                return error(pos, "await outside an async function");
            }
            self.next();
            return Ok(Expr::Await(Box::new(self.unary()?), pos));
        }
        for op in ["++", "--"] {
            if self.eat_punct(op) {
                let Expr::Ident(name, _) = self.unary()? else {
                    return error(pos, format!("{op} works on a variable in the subset"));
                };
                return Ok(Expr::Update(op, true, name, pos));
            }
        }
        let expr = self.postfix()?;
        for op in ["++", "--"] {
            if !self.peek().newline_before && self.is_punct(op) {
                let Expr::Ident(name, _) = expr else {
                    return error(
                        self.pos(),
                        format!("{op} works on a variable in the subset"),
                    );
                };
                self.next();
                return Ok(Expr::Update(op, false, name, pos));
            }
        }
        Ok(expr)
    }

    fn postfix(&mut self) -> Result<Expr, SourceError> {
        let mut expr = if self.eat_word("new") {
            let pos = self.pos();
            let callee = self.primary()?;
            let callee = self.members(callee, false)?;
            let args = if self.is_punct("(") {
                self.args()?
            } else {
                Vec::new()
            };
            Expr::New(Box::new(callee), args, pos)
        } else {
            self.primary()?
        };
        expr = self.members(expr, true)?;
        Ok(expr)
    }

    fn members(&mut self, mut expr: Expr, calls: bool) -> Result<Expr, SourceError> {
        loop {
            let pos = self.pos();
            if self.is_punct("?.") {
                return error(pos, "optional chaining (?.) is not in the subset");
            }
            if self.eat_punct(".") {
                let name = match self.next().tok {
                    Tok::Ident(name) => name,
                    other => {
                        return error(
                            pos,
                            format!("expected a property name but found {}", describe(&other)),
                        );
                    }
                };
                expr = Expr::Member(Box::new(expr), name, pos);
            } else if self.eat_punct("[") {
                let index = self.expression()?;
                self.expect("]")?;
                expr = Expr::Index(Box::new(expr), Box::new(index), pos);
            } else if calls && self.is_punct("(") {
                let args = self.args()?;
                expr = Expr::Call(Box::new(expr), args, pos);
            } else if let Tok::Template(_) = self.peek().tok {
                return error(pos, "tagged templates are not in the subset");
            } else {
                return Ok(expr);
            }
        }
    }

    fn args(&mut self) -> Result<Vec<Expr>, SourceError> {
        self.expect("(")?;
        let mut args = Vec::new();
        while !self.eat_punct(")") {
            if self.is_punct("...") {
                return error(self.pos(), "spread arguments are not in the subset");
            }
            args.push(self.assignment()?);
            if !self.is_punct(")") {
                self.expect(",")?;
            }
        }
        Ok(args)
    }

    fn primary(&mut self) -> Result<Expr, SourceError> {
        self.refuse_word()?;
        let token = self.next();
        let pos = token.pos;
        Ok(match token.tok {
            Tok::Num(n) => Expr::Num(n),
            Tok::Str(s) => Expr::Str(s),
            Tok::Template(parts) => {
                let mut out = Vec::new();
                for part in parts {
                    out.push(match part {
                        TemplatePart::Text(t) => TemplateExpr::Text(t),
                        TemplatePart::Code(code, at) => {
                            let mut inner = Parser::new(lex(&code, at)?);
                            inner.in_async = self.in_async;
                            inner.in_function = self.in_function;
                            let e = inner.expression()?;
                            if !inner.at_eof() {
                                return error(inner.pos(), "expected } to close ${");
                            }
                            TemplateExpr::Code(e)
                        }
                    });
                }
                Expr::Template(out)
            }
            Tok::Punct("(") => {
                let e = self.expression()?;
                self.expect(")")?;
                e
            }
            Tok::Punct("[") => {
                let mut items = Vec::new();
                while !self.eat_punct("]") {
                    if self.is_punct("...") {
                        return error(self.pos(), "spread is not in the subset");
                    }
                    items.push(self.assignment()?);
                    if !self.is_punct("]") {
                        self.expect(",")?;
                    }
                }
                Expr::Array(items)
            }
            Tok::Punct("{") => self.object()?,
            Tok::Ident(word) => match word.as_str() {
                "true" => Expr::Bool(true),
                "false" => Expr::Bool(false),
                "null" => Expr::Null,
                "undefined" => Expr::Undefined,
                "this" => Expr::This,
                "function" => Expr::Function(self.function_rest(false, false, pos)?),
                "async" if self.is_word("function") => {
                    self.next();
                    Expr::Function(self.function_rest(true, false, pos)?)
                }
                _ if is_reserved(&word) => return error(pos, format!("unexpected {word}")),
                _ => Expr::Ident(word, pos),
            },
            other => return error(pos, format!("unexpected {}", describe(&other))),
        })
    }

    /// An object literal after `{`: `key: value`, shorthand `key`, methods `key() {}`.
    fn object(&mut self) -> Result<Expr, SourceError> {
        let mut props = Vec::new();
        while !self.eat_punct("}") {
            let pos = self.pos();
            if self.is_punct("...") {
                return error(pos, "spread is not in the subset");
            }
            let is_async = self.is_word("async")
                && !matches!(self.peek_at(1), Tok::Punct(":" | "(" | "," | "}"));
            if is_async {
                self.next();
            }
            let key = match self.next().tok {
                Tok::Ident(name) => name,
                Tok::Str(s) => s,
                Tok::Num(n) => super::value::number_text(n),
                other => {
                    return error(
                        pos,
                        format!("expected a property name but found {}", describe(&other)),
                    );
                }
            };
            if self.is_punct("(") {
                let params = self.params()?;
                let method = self.body(Some(key.clone()), params, is_async, false, pos)?;
                props.push((key, Expr::Function(method)));
            } else if self.eat_punct(":") {
                props.push((key, self.assignment()?));
            } else {
                props.push((key.clone(), Expr::Ident(key, pos)));
            }
            if !self.is_punct("}") {
                self.expect(",")?;
            }
        }
        Ok(Expr::Object(props))
    }
}

fn precedence(op: &str) -> Option<u8> {
    Some(match op {
        "??" => 1,
        "||" => 2,
        "&&" => 3,
        "|" => 4,
        "^" => 5,
        "&" => 6,
        "==" | "!=" | "===" | "!==" => 7,
        "<" | ">" | "<=" | ">=" => 8,
        "+" | "-" => 10,
        "*" | "/" | "%" => 11,
        "**" => 12,
        _ => return None,
    })
}

fn is_reserved(word: &str) -> bool {
    matches!(
        word,
        "if" | "else"
            | "for"
            | "while"
            | "return"
            | "function"
            | "let"
            | "const"
            | "var"
            | "new"
            | "try"
            | "catch"
            | "finally"
            | "throw"
            | "break"
            | "continue"
            | "typeof"
            | "true"
            | "false"
            | "null"
            | "this"
            | "class"
            | "switch"
            | "do"
            | "yield"
            | "import"
            | "export"
            | "delete"
            | "in"
            | "instanceof"
            | "with"
            | "void"
            | "await"
    )
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(w) => w.clone(),
        Tok::Num(n) => super::value::number_text(*n),
        Tok::Str(_) => "a string".into(),
        Tok::Template(_) => "a template literal".into(),
        Tok::Punct(p) => (*p).to_string(),
        Tok::Eof => "the end".into(),
    }
}
