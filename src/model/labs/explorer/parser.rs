//! Parser for the thread language, with errors that point at a line and column.
//!
//! The grammar, informally (`;` or a new line ends a statement):
//!
//! ```text
//! program   := item*
//! item      := "shared" NAME "=" ["-"] INT | "lock" NAME | "rlock" NAME | "event" NAME
//!            | "semaphore" NAME "=" INT | "condition" NAME "(" NAME ")"
//!            | "thread" NAME block | "assert" expr ["," STRING]
//! block     := "{" stmt* "}"
//! stmt      := NAME "=" expr | NAME "." METHOD "(" ")" | "yield" | "pass"
//!            | "if" expr block ["elif" expr block]* ["else" block]
//!            | "while" expr block | "repeat" INT block | "with" NAME block
//!            | "assert" expr ["," STRING]
//! expr      := or ; or := and ("or"|"||" and)* ; and := not ("and"|"&&" not)*
//! not       := "not" not | cmp ; cmp := sum [("=="|"!="|"<"|"<="|">"|">=") sum]
//! sum       := product (("+"|"-") product)* ; product := unary (("*"|"/"|"%") unary)*
//! unary     := ("-"|"!") unary | INT | "true" | "false" | NAME | "(" expr ")"
//! ```
//!
//! **Invariant:** nothing a visitor types can make the parser panic, recurse without bound or run
//! long: input size, nesting and expression depth are capped by the constants below, and every
//! recursive call counts against them.

use std::fmt;

use serde::Serialize;

use super::ast::{
    AtomicOp, BinaryOp, Check, Declaration, DeclarationKind, Expr, Method, Program, Span, Stmt,
    StmtKind, Thread, UnaryOp,
};
use super::compile;
use super::lexer::{Token, TokenKind, tokenize};

/// Longest accepted source, in characters.
pub const MAX_SOURCE_CHARS: usize = 20_000;
/// Deepest nesting of blocks, parentheses and prefix operators.
pub const MAX_NESTING: u32 = 64;
/// Deepest expression tree (a sum of 65 terms is 64 levels deep).
pub const MAX_EXPR_DEPTH: u32 = 64;
/// Most threads in one program (schedules grow exponentially with threads).
pub const MAX_THREADS: usize = 8;
/// Most shared variables in one program.
pub const MAX_SHARED: usize = 64;
/// Most synchronisation objects in one program.
pub const MAX_OBJECTS: usize = 64;
/// Most local variables in one thread (temporaries not included).
pub const MAX_LOCALS: usize = 64;
/// Largest `repeat` count.
pub const MAX_REPEAT: u64 = 1_000_000;
/// Most permits a semaphore can start with.
pub const MAX_PERMITS: u64 = 1_000_000;

/// Words that cannot be used as names. Declaration words (`shared`, `lock`, ...) and `thread` are
/// only special at the start of a top-level line, so `lock lock` declares a lock named `lock`.
pub const RESERVED: [&str; 16] = [
    "if", "elif", "else", "while", "repeat", "with", "assert", "yield", "pass", "fence", "and",
    "or", "not", "true", "false", "thread",
];

/// Why some source text is not a valid program, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What is wrong, written for a learner.
    pub message: String,
}

impl ParseError {
    /// An error at a position.
    pub fn new(line: u32, column: u32, message: impl Into<String>) -> ParseError {
        ParseError {
            line,
            column,
            message: message.into(),
        }
    }

    /// An error at the start of a span.
    pub fn at(span: Span, message: impl Into<String>) -> ParseError {
        ParseError::new(span.line, span.column, message)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses and checks a program: syntax, names, method/object kinds and size limits.
pub fn parse(source: &str) -> Result<Program, ParseError> {
    if let Some((offset, _)) = source.char_indices().nth(MAX_SOURCE_CHARS) {
        let before = &source[..offset];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        return Err(ParseError::new(
            line,
            column,
            format!("the program is longer than {MAX_SOURCE_CHARS} characters"),
        ));
    }
    let tokens = tokenize(source)?;
    let mut parser = Parser {
        tokens,
        position: 0,
        nesting: 0,
    };
    let program = parser.program()?;
    compile::compile(&program)?;
    Ok(program)
}

struct Parser {
    tokens: Vec<Token>,
    position: usize,
    nesting: u32,
}

type Parsed<T> = Result<T, ParseError>;

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof and `advance` never moves past it.
        &self.tokens[self.position.min(self.tokens.len() - 1)]
    }

    fn peek_kind(&self) -> &TokenKind {
        &self.peek().kind
    }

    fn peek_at(&self, offset: usize) -> &Token {
        &self.tokens[(self.position + offset).min(self.tokens.len() - 1)]
    }

    fn peek_second(&self) -> &TokenKind {
        &self.tokens[(self.position + 1).min(self.tokens.len() - 1)].kind
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != TokenKind::Eof {
            self.position += 1;
        }
        token
    }

    fn previous(&self) -> &Token {
        &self.tokens[self.position.saturating_sub(1)]
    }

    fn error_here(&self, message: impl Into<String>) -> ParseError {
        let token = self.peek();
        ParseError::new(token.line, token.column, message)
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek_kind(), TokenKind::Ident(name) if name == word)
    }

    fn expect(&mut self, kind: TokenKind, context: &str) -> Parsed<Token> {
        if *self.peek_kind() == kind {
            Ok(self.advance())
        } else {
            Err(self.error_here(format!(
                "expected {} {context}, found {}",
                kind.describe(),
                self.peek_kind().describe()
            )))
        }
    }

    fn expect_name(&mut self, what: &str) -> Parsed<(String, Span)> {
        let token = self.peek().clone();
        match &token.kind {
            TokenKind::Ident(name) if RESERVED.contains(&name.as_str()) => Err(self.error_here(
                format!("'{name}' is a reserved word and cannot be used as {what}"),
            )),
            TokenKind::Ident(name) => {
                self.advance();
                Ok((name.clone(), span_of(&token, &token)))
            }
            other => Err(self.error_here(format!("expected {what}, found {}", other.describe()))),
        }
    }

    fn span_from(&self, start: &Token) -> Span {
        span_of(start, self.previous())
    }

    fn skip_separators(&mut self) {
        while matches!(self.peek_kind(), TokenKind::Newline | TokenKind::Semicolon) {
            self.advance();
        }
    }

    /// Counts one level of recursion, failing past [`MAX_NESTING`].
    fn enter(&mut self, at: &Token) -> Parsed<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(ParseError::new(
                at.line,
                at.column,
                format!("nested more than {MAX_NESTING} levels deep"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    fn expect_line_end(&self, what: &str) -> Parsed<()> {
        match self.peek_kind() {
            TokenKind::Newline | TokenKind::Semicolon | TokenKind::RightBrace | TokenKind::Eof => {
                Ok(())
            }
            other => Err(self.error_here(format!(
                "expected a new line or ';' after {what}, found {}",
                other.describe()
            ))),
        }
    }

    fn program(&mut self) -> Parsed<Program> {
        let mut program = Program::default();
        loop {
            self.skip_separators();
            let start = self.peek().clone();
            let TokenKind::Ident(word) = &start.kind else {
                if start.kind == TokenKind::Eof {
                    return Ok(program);
                }
                return Err(self.error_here(format!(
                    "expected a declaration, a thread or an assert, found {}",
                    start.kind.describe()
                )));
            };
            match word.as_str() {
                "thread" => {
                    self.advance();
                    let (name, _) = self.expect_name("a thread name")?;
                    let span = self.span_from(&start);
                    let body = self.block()?;
                    program.threads.push(Thread { name, body, span });
                }
                "assert" => {
                    self.advance();
                    let (condition, message) = self.assert_rest()?;
                    let span = self.span_from(&start);
                    self.expect_line_end("the assert")?;
                    program.checks.push(Check {
                        condition,
                        message,
                        span,
                    });
                }
                "shared" | "lock" | "rlock" | "semaphore" | "event" | "condition" => {
                    let word = word.clone();
                    let declaration = self.declaration(&word)?;
                    self.expect_line_end("the declaration")?;
                    program.declarations.push(declaration);
                }
                _ => {
                    return Err(self.error_here(format!(
                        "expected a declaration (shared, lock, rlock, semaphore, event, \
                         condition), a thread or an assert, found '{word}'; statements belong \
                         inside thread {{ ... }}"
                    )));
                }
            }
        }
    }

    /// Parses a declaration whose keyword `word` is the current token.
    fn declaration(&mut self, word: &str) -> Parsed<Declaration> {
        let start = self.advance();
        let (name, _) = self.expect_name("a name")?;
        let kind = match word {
            "shared" => {
                self.expect(TokenKind::Assign, "and an initial value")?;
                let negative = if *self.peek_kind() == TokenKind::Minus {
                    self.advance();
                    true
                } else {
                    false
                };
                let magnitude = self.integer("an initial value")?;
                let initial = if negative {
                    0i64.wrapping_sub_unsigned(magnitude)
                } else if magnitude > i64::MAX as u64 {
                    return Err(ParseError::new(
                        self.previous().line,
                        self.previous().column,
                        "number is too large (numbers are 64-bit integers)",
                    ));
                } else {
                    magnitude as i64
                };
                DeclarationKind::Shared { initial }
            }
            "lock" => DeclarationKind::Lock,
            "rlock" => DeclarationKind::RLock,
            "event" => DeclarationKind::Event,
            "semaphore" => {
                self.expect(TokenKind::Assign, "and the number of permits")?;
                let permits = self.integer("the number of permits")?;
                if permits > MAX_PERMITS {
                    return Err(ParseError::new(
                        self.previous().line,
                        self.previous().column,
                        format!("a semaphore can start with at most {MAX_PERMITS} permits"),
                    ));
                }
                DeclarationKind::Semaphore {
                    permits: permits as i64,
                }
            }
            _ => {
                self.expect(TokenKind::LeftParen, "and the condition's lock")?;
                let (lock, _) = self.expect_name("the name of a lock")?;
                self.expect(TokenKind::RightParen, "after the lock")?;
                DeclarationKind::Condition { lock }
            }
        };
        Ok(Declaration {
            name,
            kind,
            span: self.span_from(&start),
        })
    }

    fn integer(&mut self, what: &str) -> Parsed<u64> {
        match *self.peek_kind() {
            TokenKind::Int(value) => {
                self.advance();
                Ok(value)
            }
            ref other => {
                Err(self.error_here(format!("expected {what}, found {}", other.describe())))
            }
        }
    }

    fn assert_rest(&mut self) -> Parsed<(Expr, Option<String>)> {
        let condition = self.expression()?;
        let message = if *self.peek_kind() == TokenKind::Comma {
            self.advance();
            match self.advance().kind {
                TokenKind::Str(text) => Some(text),
                other => {
                    let token = self.previous();
                    return Err(ParseError::new(
                        token.line,
                        token.column,
                        format!(
                            "expected a message in double quotes after ',', found {}",
                            other.describe()
                        ),
                    ));
                }
            }
        } else {
            None
        };
        Ok((condition, message))
    }

    fn block(&mut self) -> Parsed<Vec<Stmt>> {
        let open = self.expect(TokenKind::LeftBrace, "to start a block")?;
        self.enter(&open)?;
        let mut body = Vec::new();
        loop {
            self.skip_separators();
            match self.peek_kind() {
                TokenKind::RightBrace => {
                    self.advance();
                    break;
                }
                TokenKind::Eof => {
                    return Err(ParseError::new(
                        open.line,
                        open.column,
                        "this '{' is never closed by a '}'",
                    ));
                }
                _ => {}
            }
            let statement = self.statement()?;
            let compound = matches!(
                statement.kind,
                StmtKind::If { .. }
                    | StmtKind::While { .. }
                    | StmtKind::Repeat { .. }
                    | StmtKind::With { .. }
            );
            body.push(statement);
            if !compound {
                self.expect_line_end("the statement")?;
            }
        }
        self.leave();
        Ok(body)
    }

    fn statement(&mut self) -> Parsed<Stmt> {
        let start = self.peek().clone();
        let TokenKind::Ident(word) = &start.kind else {
            return Err(self.error_here(format!(
                "expected a statement, found {}",
                start.kind.describe()
            )));
        };
        let kind = match word.as_str() {
            "if" => {
                self.advance();
                return self.if_rest(start);
            }
            "while" => {
                self.advance();
                let condition = self.expression()?;
                let span = self.span_from(&start);
                let body = self.block()?;
                return Ok(Stmt {
                    kind: StmtKind::While { condition, body },
                    span,
                });
            }
            "repeat" => {
                self.advance();
                let count = self.integer("how many times to repeat")?;
                if count > MAX_REPEAT {
                    return Err(ParseError::new(
                        self.previous().line,
                        self.previous().column,
                        format!("repeat at most {MAX_REPEAT} times"),
                    ));
                }
                let span = self.span_from(&start);
                let body = self.block()?;
                return Ok(Stmt {
                    kind: StmtKind::Repeat {
                        count: count as u32,
                        body,
                    },
                    span,
                });
            }
            "with" => {
                self.advance();
                let (object, _) = self.expect_name("a lock, rlock, semaphore or condition")?;
                let span = self.span_from(&start);
                let body = self.block()?;
                return Ok(Stmt {
                    kind: StmtKind::With { object, body },
                    span,
                });
            }
            "else" | "elif" => {
                return Err(self.error_here(format!("'{word}' without a matching 'if'")));
            }
            "assert" => {
                self.advance();
                let (condition, message) = self.assert_rest()?;
                StmtKind::Assert { condition, message }
            }
            "yield" => {
                self.advance();
                StmtKind::Yield
            }
            "pass" => {
                self.advance();
                StmtKind::Pass
            }
            "fence" => {
                self.advance();
                StmtKind::Fence
            }
            _ => self.simple_statement()?,
        };
        Ok(Stmt {
            kind,
            span: self.span_from(&start),
        })
    }

    /// Parses after `if` (or `elif`): condition, block, and any `elif`/`else` chain.
    fn if_rest(&mut self, start: Token) -> Parsed<Stmt> {
        let condition = self.expression()?;
        let span = self.span_from(&start);
        let then_body = self.block()?;
        // `else` may follow on a later line, as in Python.
        let resume = self.position;
        self.skip_separators();
        let else_body = if self.is_word("else") {
            self.advance();
            if self.is_word("if") {
                let nested_start = self.advance();
                self.enter(&nested_start)?;
                let nested = self.if_rest(nested_start)?;
                self.leave();
                vec![nested]
            } else {
                self.block()?
            }
        } else if self.is_word("elif") {
            let nested_start = self.advance();
            self.enter(&nested_start)?;
            let nested = self.if_rest(nested_start)?;
            self.leave();
            vec![nested]
        } else {
            self.position = resume;
            Vec::new()
        };
        Ok(Stmt {
            kind: StmtKind::If {
                condition,
                then_body,
                else_body,
            },
            span,
        })
    }

    /// After an atomic's name: `(shared, arg, …)`.
    fn atomic_rest(&mut self, op: AtomicOp, target: Option<String>) -> Parsed<StmtKind> {
        self.expect(TokenKind::LeftParen, &format!("after {}", op.name()))?;
        let (var, _) = self.expect_name("the shared variable")?;
        let mut args = Vec::new();
        for _ in 0..op.arity() {
            self.expect(
                TokenKind::Comma,
                &format!(
                    "({} takes {} values after the variable)",
                    op.name(),
                    op.arity()
                ),
            )?;
            args.push(self.expression()?);
        }
        self.expect(
            TokenKind::RightParen,
            &format!(
                "({} takes {} values after the variable)",
                op.name(),
                op.arity()
            ),
        )?;
        Ok(StmtKind::Atomic {
            target,
            op,
            var,
            args,
        })
    }

    fn atomic_named(&self, offset: usize) -> Option<AtomicOp> {
        let (TokenKind::Ident(word), TokenKind::LeftParen) =
            (&self.peek_at(offset).kind, &self.peek_at(offset + 1).kind)
        else {
            return None;
        };
        AtomicOp::ALL.into_iter().find(|op| op.name() == word)
    }

    fn simple_statement(&mut self) -> Parsed<StmtKind> {
        if let Some(op) = self.atomic_named(0) {
            self.advance();
            return self.atomic_rest(op, None);
        }
        let (name, _) = self.expect_name("a variable or object name")?;
        match self.peek_kind().clone() {
            TokenKind::Assign if self.atomic_named(1).is_some() => {
                self.advance();
                let op = self.atomic_named(0).expect("checked above");
                self.advance();
                self.atomic_rest(op, Some(name))
            }
            TokenKind::Assign => {
                self.advance();
                let value = self.expression()?;
                Ok(StmtKind::Assign {
                    target: name,
                    value,
                })
            }
            TokenKind::Dot => {
                self.advance();
                let method_token = self.peek().clone();
                let (method_name, _) = self.expect_name("a method name")?;
                let Some(method) = Method::ALL.into_iter().find(|m| m.name() == method_name) else {
                    return Err(ParseError::new(
                        method_token.line,
                        method_token.column,
                        format!(
                            "unknown method '{method_name}'; expected acquire, release, wait, \
                             set, clear, notify or notify_all"
                        ),
                    ));
                };
                self.expect(TokenKind::LeftParen, "after the method name")?;
                self.expect(TokenKind::RightParen, "(methods take no arguments)")?;
                Ok(StmtKind::Call {
                    object: name,
                    method,
                })
            }
            TokenKind::Plus | TokenKind::Minus | TokenKind::Star | TokenKind::Slash
                if *self.peek_second() == TokenKind::Assign =>
            {
                Err(self.error_here(format!(
                    "compound assignment is not supported; write {name} = {name} {} ...",
                    match self.peek_kind() {
                        TokenKind::Plus => "+",
                        TokenKind::Minus => "-",
                        TokenKind::Star => "*",
                        _ => "/",
                    }
                )))
            }
            other => Err(self.error_here(format!(
                "expected '=' or '.' after '{name}', found {}",
                other.describe()
            ))),
        }
    }

    fn expression(&mut self) -> Parsed<Expr> {
        Ok(self.or_expr()?.0)
    }

    /// Combines two operands, failing when the tree would exceed [`MAX_EXPR_DEPTH`].
    fn binary(
        &self,
        op: BinaryOp,
        at: &Token,
        (left, left_depth): (Expr, u32),
        (right, right_depth): (Expr, u32),
    ) -> Parsed<(Expr, u32)> {
        let depth = left_depth.max(right_depth) + 1;
        if depth > MAX_EXPR_DEPTH {
            return Err(ParseError::new(
                at.line,
                at.column,
                format!(
                    "expression is more than {MAX_EXPR_DEPTH} operations deep; \
                     split it across several statements"
                ),
            ));
        }
        Ok((
            Expr::Binary {
                op,
                left: Box::new(left),
                right: Box::new(right),
            },
            depth,
        ))
    }

    fn or_expr(&mut self) -> Parsed<(Expr, u32)> {
        let mut left = self.and_expr()?;
        while self.is_word("or") || *self.peek_kind() == TokenKind::OrOr {
            let at = self.advance();
            let right = self.and_expr()?;
            left = self.binary(BinaryOp::Or, &at, left, right)?;
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Parsed<(Expr, u32)> {
        let mut left = self.not_expr()?;
        while self.is_word("and") || *self.peek_kind() == TokenKind::AndAnd {
            let at = self.advance();
            let right = self.not_expr()?;
            left = self.binary(BinaryOp::And, &at, left, right)?;
        }
        Ok(left)
    }

    fn not_expr(&mut self) -> Parsed<(Expr, u32)> {
        if !self.is_word("not") {
            return self.comparison();
        }
        let at = self.advance();
        self.enter(&at)?;
        let (operand, depth) = self.not_expr()?;
        self.leave();
        unary(UnaryOp::Not, &at, operand, depth)
    }

    fn comparison(&mut self) -> Parsed<(Expr, u32)> {
        let left = self.sum()?;
        let Some(op) = comparison_op(self.peek_kind()) else {
            return Ok(left);
        };
        let at = self.advance();
        let right = self.sum()?;
        if comparison_op(self.peek_kind()).is_some() {
            return Err(self.error_here(
                "comparisons cannot be chained; write a < b and b < c instead of a < b < c",
            ));
        }
        self.binary(op, &at, left, right)
    }

    fn sum(&mut self) -> Parsed<(Expr, u32)> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek_kind() {
                TokenKind::Plus => BinaryOp::Add,
                TokenKind::Minus => BinaryOp::Sub,
                _ => return Ok(left),
            };
            let at = self.advance();
            let right = self.product()?;
            left = self.binary(op, &at, left, right)?;
        }
    }

    fn product(&mut self) -> Parsed<(Expr, u32)> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek_kind() {
                TokenKind::Star => BinaryOp::Mul,
                TokenKind::Slash => BinaryOp::Div,
                TokenKind::Percent => BinaryOp::Mod,
                _ => return Ok(left),
            };
            let at = self.advance();
            let right = self.unary()?;
            left = self.binary(op, &at, left, right)?;
        }
    }

    fn unary(&mut self) -> Parsed<(Expr, u32)> {
        let op = match self.peek_kind() {
            TokenKind::Minus => UnaryOp::Neg,
            TokenKind::Bang => UnaryOp::Not,
            _ => return self.primary(),
        };
        let at = self.advance();
        self.enter(&at)?;
        let (operand, depth) = self.unary()?;
        self.leave();
        unary(op, &at, operand, depth)
    }

    fn primary(&mut self) -> Parsed<(Expr, u32)> {
        let token = self.peek().clone();
        match &token.kind {
            TokenKind::Int(value) => {
                if *value > i64::MAX as u64 {
                    return Err(
                        self.error_here("number is too large (numbers are 64-bit integers)")
                    );
                }
                self.advance();
                Ok((Expr::Int(*value as i64), 0))
            }
            TokenKind::Ident(word) if word == "true" || word == "false" => {
                self.advance();
                Ok((Expr::Bool(word == "true"), 0))
            }
            TokenKind::Ident(_) => {
                let (name, span) = self.expect_name("a value")?;
                Ok((Expr::Name { name, span }, 0))
            }
            TokenKind::LeftParen => {
                self.advance();
                self.enter(&token)?;
                let inner = self.or_expr()?;
                self.expect(TokenKind::RightParen, "to close the '('")?;
                self.leave();
                Ok(inner)
            }
            other => Err(self.error_here(format!(
                "expected a value (a number, a variable or '('), found {}",
                other.describe()
            ))),
        }
    }
}

fn unary(op: UnaryOp, at: &Token, operand: Expr, depth: u32) -> Parsed<(Expr, u32)> {
    if depth + 1 > MAX_EXPR_DEPTH {
        return Err(ParseError::new(
            at.line,
            at.column,
            format!("expression is more than {MAX_EXPR_DEPTH} operations deep"),
        ));
    }
    Ok((
        Expr::Unary {
            op,
            operand: Box::new(operand),
        },
        depth + 1,
    ))
}

fn comparison_op(kind: &TokenKind) -> Option<BinaryOp> {
    Some(match kind {
        TokenKind::EqualEqual => BinaryOp::Eq,
        TokenKind::NotEqual => BinaryOp::Ne,
        TokenKind::Less => BinaryOp::Lt,
        TokenKind::LessEqual => BinaryOp::Le,
        TokenKind::Greater => BinaryOp::Gt,
        TokenKind::GreaterEqual => BinaryOp::Ge,
        _ => return None,
    })
}

fn span_of(start: &Token, end: &Token) -> Span {
    Span {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.end_column,
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::{BinaryOp, Expr, StmtKind};
    use super::{MAX_SOURCE_CHARS, ParseError, parse};

    fn error(source: &str) -> ParseError {
        parse(source).expect_err("should not parse")
    }

    fn assert_error(source: &str, line: u32, column: u32, needle: &str) {
        let error = error(source);
        assert_eq!(
            (error.line, error.column),
            (line, column),
            "position of {error}"
        );
        assert!(error.message.contains(needle), "{error}");
    }

    #[test]
    fn errors_point_at_the_line_and_column_of_the_culprit() {
        assert_error(
            "shared x = \nthread t {}",
            1,
            12,
            "expected an initial value",
        );
        assert_error(
            "shared x = 0\nthread t {\n  x = y + 1\n}",
            3,
            7,
            "unknown name 'y'",
        );
        assert_error("thread t {\n  m.acquire()\n}", 2, 3, "'m' is not declared");
        assert_error(
            "lock m\nthread t {\n  m.notify()\n}",
            3,
            3,
            "'m' is a lock and has no notify(); it has acquire() and release()",
        );
        assert_error("thread t { x = 1 + }", 1, 20, "expected a value");
        assert_error(
            "shared x = 0\nthread t {\n  if x == 0 {\n    x = 1\n",
            3,
            13,
            "never closed",
        );
        assert_error("thread t { a = 1 < 2 < 3 }", 1, 22, "cannot be chained");
        assert_error("thread t { a = 0\n a += 1 }", 2, 4, "write a = a + ...");
        assert_error("thread t { a = 1 @ 2 }", 1, 18, "unexpected character '@'");
        assert_error("thread t { a = 99999999999999999999 }", 1, 16, "too large");
        assert_error("x = 1", 1, 1, "statements belong inside thread");
        assert_error("lock m\nlock m", 2, 1, "already declared on line 1");
        assert_error(
            "lock m\ncondition c(nope)",
            2,
            1,
            "'nope' is not a declared lock",
        );
        assert_error("shared x = 0\nassert y == 0", 2, 8, "only shared variables");
        assert_error("thread t { m.acquire( }", 1, 23, "expected ')'");
        assert_error("thread if { }", 1, 8, "reserved word");
        assert_error("thread t { else { } }", 1, 12, "without a matching 'if'");
        assert_error("thread t { x = \"text\" }", 1, 16, "expected a value");
        assert_error("thread t { assert 1, \"open }", 1, 22, "no closing");
        assert_eq!(
            error("thread t {\n  x = y\n}").to_string(),
            "line 2, column 7: unknown name 'y'; declare it with 'shared y = 0' or assign it in \
             this thread first"
        );
    }

    #[test]
    fn size_and_nesting_limits_are_errors_not_crashes() {
        let long = format!("shared x = 0\n#{}", "a".repeat(MAX_SOURCE_CHARS));
        assert_error(&long, 2, MAX_SOURCE_CHARS as u32 - 12, "longer than");

        let deep_ifs = format!(
            "shared x = 0\nthread t {{\n{}{}}}",
            "if x == 0 {\n".repeat(64),
            "}\n".repeat(64)
        );
        // The thread's block is the first level, so the 64th `if` (on line 66) is one too many.
        assert_error(&deep_ifs, 66, 11, "nested more than 64");

        for attack in [
            format!("thread t {{ a = {}1 }}", "(".repeat(5000)),
            format!("thread t {{ a = {}1 }}", "-".repeat(5000)),
            format!("thread t {{ a = {}1 }}", "not ".repeat(4000)),
            format!("thread t {{ a = {}1 }}", "1 + ".repeat(4000)),
            format!("lock m\nthread t {{ {} }}", "with m {".repeat(1500)),
            format!("thread t {{ {} }}", "if true {".repeat(1500)),
        ] {
            let error = error(&attack);
            assert!(
                error.message.contains("nested more than")
                    || error.message.contains("operations deep"),
                "{error}"
            );
        }

        let nine_threads: String = (1..=9).map(|i| format!("thread t{i} {{}}\n")).collect();
        assert_error(&nine_threads, 9, 1, "at most 8 threads");
        let shared: String = (0..65).map(|i| format!("shared v{i} = 0\n")).collect();
        assert_error(&shared, 65, 1, "at most 64 shared variables");
        assert!(parse(&format!("thread t {{ a = {}1 }}", "1 + ".repeat(64))).is_ok());
        assert!(parse(&format!("thread t {{ a = {}1 }}", "1 + ".repeat(65))).is_err());
    }

    #[test]
    fn python_flavoured_syntax_parses_as_expected() {
        let program = parse(
            "shared x = -3   # comment\nlock lock\nthread thread_1 {\n  if not x == 1 and x < 2 \
             { x = 1 } elif x > 5 { pass } else { yield }\n  lock.acquire(); lock.release()\n}\n",
        )
        .expect("parses");
        assert_eq!(program.threads[0].name, "thread_1");
        let StmtKind::If {
            condition,
            else_body,
            ..
        } = &program.threads[0].body[0].kind
        else {
            panic!("if expected");
        };
        // `not` binds looser than `==` and tighter than `and`, as in Python.
        let Expr::Binary {
            op: BinaryOp::And,
            left,
            ..
        } = condition
        else {
            panic!("and at the top: {condition:?}");
        };
        assert!(matches!(**left, Expr::Unary { .. }));
        assert!(
            matches!(else_body[0].kind, StmtKind::If { .. }),
            "elif nests"
        );
        assert_eq!(program.threads[0].body.len(), 3);
    }

    #[test]
    fn printing_then_parsing_gives_the_same_program() {
        let source = r#"
shared x = -9223372036854775808
shared y = 2
lock m
rlock r
semaphore s = 2
event e
condition c(m)
thread t1 {
    a = -(x - 1) * (y + 2) / 3 % 4
    b = !(a == 1) == (a < 2)
    k = not (a or b) and -a
    d = 1 - (2 - 3) - 4
    if a { x = 1 } elif b { y = 2 } elif k { pass } else { yield }
    if a { if b { pass } else { pass } }
    while x < 3 and true { x = x + 1 }
    repeat 2 { with r { with c { c.notify_all() } } }
    with s { e.set() }
    e.clear(); e.wait()
    m.acquire(); c.wait(); c.notify(); m.release()
    assert x != y, "quote \" and backslash \\ and\nnewline"
}
thread t2 {
}
assert x >= 0
"#;
        let program = parse(source).expect("parses");
        let printed = program.to_string();
        let reparsed = parse(&printed).unwrap_or_else(|e| panic!("{e}\n{printed}"));
        assert_eq!(reparsed, program, "{printed}");
        assert_eq!(reparsed.to_string(), printed, "printing is stable");
        assert!(printed.contains("} elif b {"), "{printed}");
        assert!(printed.contains("d = 1 - (2 - 3) - 4"), "{printed}");
        assert!(printed.contains("b = (not a == 1) == (a < 2)"), "{printed}");
    }
}
