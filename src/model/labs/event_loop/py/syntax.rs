//! The Python subset's tokens (with indentation as INDENT / DEDENT) and syntax tree.

pub use super::super::js::{Pos, SourceError};
use std::rc::Rc;

pub fn error<T>(pos: Pos, message: impl Into<String>) -> Result<T, SourceError> {
    Err(SourceError {
        pos,
        message: message.into(),
    })
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Name(String),
    Int(i64),
    Float(f64),
    Str(String),
    /// An f-string: text parts and `{…}` sources with their format spec.
    FStr(Vec<FPart>),
    Op(&'static str),
    Newline,
    Indent,
    Dedent,
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    Text(String),
    /// Source, conversion (`r`/`s`), format spec, where the source starts.
    Code(String, Option<char>, String, Pos),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

const OPS: [&str; 41] = [
    "**=", "//=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
    ":=", "<<", ">>", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "@", "=", "+", "-", "*",
    "/", "%", "<", ">", "&", "|", "^", "~",
];

/// Splits source into tokens; `start` places a fragment (an f-string's code) in the program.
pub fn lex(source: &str, start: Pos, fragment: bool) -> Result<Vec<Token>, SourceError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut indents = vec![0usize];
    let (mut i, mut line, mut col) = (0usize, start.line, start.col);
    let mut depth = 0usize;
    let mut at_line_start = !fragment;
    let push = |tokens: &mut Vec<Token>, tok: Tok, pos: Pos| tokens.push(Token { tok, pos });
    while i < chars.len() {
        if at_line_start {
            // Measure indentation; blank and comment-only lines do not count.
            let mut width = 0;
            let mut j = i;
            while j < chars.len() && (chars[j] == ' ' || chars[j] == '\t') {
                width += if chars[j] == '\t' { 8 - width % 8 } else { 1 };
                j += 1;
            }
            if j >= chars.len() || chars[j] == '\n' || chars[j] == '#' || chars[j] == '\r' {
                while j < chars.len() && chars[j] != '\n' {
                    j += 1;
                }
                col += (j - i) as u32;
                i = j;
                if i < chars.len() {
                    i += 1;
                    line += 1;
                    col = 1;
                }
                continue;
            }
            col += (j - i) as u32;
            i = j;
            let pos = Pos { line, col };
            let current = *indents.last().expect("never empty");
            if width > current {
                indents.push(width);
                push(&mut tokens, Tok::Indent, pos);
            } else {
                while width < *indents.last().expect("never empty") {
                    indents.pop();
                    push(&mut tokens, Tok::Dedent, pos);
                }
                if width != *indents.last().expect("never empty") {
                    return error(pos, "this line's indentation matches no outer block");
                }
            }
            at_line_start = false;
        }
        let c = chars[i];
        let pos = Pos { line, col };
        if c == '\n' {
            i += 1;
            line += 1;
            col = 1;
            if depth == 0 && !fragment {
                if tokens.last().is_some_and(|t| t.tok != Tok::Newline) {
                    push(&mut tokens, Tok::Newline, pos);
                }
                at_line_start = true;
            }
            continue;
        }
        if c == ' ' || c == '\t' || c == '\r' {
            i += 1;
            col += 1;
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
                col += 1;
            }
            continue;
        }
        if c == '\\' && chars.get(i + 1) == Some(&'\n') {
            i += 2;
            line += 1;
            col = 1;
            continue;
        }
        let begin = i;
        let tok = if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '.'
                    || chars[i] == '_'
                    || ((chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')))
            {
                i += 1;
            }
            let text: String = chars[begin..i].iter().filter(|&&c| c != '_').collect();
            if text.contains(['.', 'e', 'E']) {
                Tok::Float(
                    text.parse()
                        .or_else(|_| error(pos, format!("cannot read the number {text}")))?,
                )
            } else {
                Tok::Int(text.parse().or_else(|_| {
                    error(
                        pos,
                        format!("the integer {text} is too large for the subset"),
                    )
                })?)
            }
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[begin..i].iter().collect();
            let quote = chars.get(i).copied();
            if matches!(quote, Some('\'' | '"'))
                && matches!(word.as_str(), "f" | "F" | "r" | "b" | "rb" | "fr" | "rf")
            {
                if word.contains('b') {
                    return error(pos, "bytes are not in the subset");
                }
                let raw = word.contains(['r', 'R']);
                let (text, next, lines, last_col) = string_body(&chars, i, pos, raw)?;
                col = if lines > 0 {
                    last_col
                } else {
                    col + (next - begin) as u32
                };
                line += lines;
                i = next;
                let tok = if word.contains(['f', 'F']) {
                    Tok::FStr(fstring_parts(
                        &text,
                        Pos {
                            line: pos.line,
                            col: pos.col + 2,
                        },
                    )?)
                } else {
                    Tok::Str(text)
                };
                push(&mut tokens, tok, pos);
                continue;
            }
            Tok::Name(word)
        } else if c == '\'' || c == '"' {
            let (text, next, lines, last_col) = string_body(&chars, i, pos, false)?;
            col = if lines > 0 {
                last_col
            } else {
                col + (next - begin) as u32
            };
            line += lines;
            i = next;
            push(&mut tokens, Tok::Str(text), pos);
            continue;
        } else {
            let rest: String = chars[i..(i + 3).min(chars.len())].iter().collect();
            let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                return error(pos, format!("unexpected character {c:?}"));
            };
            i += op.len();
            match *op {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
            Tok::Op(op)
        };
        col += (i - begin) as u32;
        push(&mut tokens, tok, pos);
    }
    let pos = Pos { line, col };
    if !fragment {
        if tokens.last().is_some_and(|t| t.tok != Tok::Newline) {
            push(&mut tokens, Tok::Newline, pos);
        }
        while indents.len() > 1 {
            indents.pop();
            push(&mut tokens, Tok::Dedent, pos);
        }
    }
    push(&mut tokens, Tok::Eof, pos);
    Ok(tokens)
}

/// A string literal from its opening quote: (text, index after it, lines spanned, column after).
fn string_body(
    chars: &[char],
    start: usize,
    pos: Pos,
    raw: bool,
) -> Result<(String, usize, u32, u32), SourceError> {
    let q = chars[start];
    let triple = chars.get(start + 1) == Some(&q) && chars.get(start + 2) == Some(&q);
    let mut i = start + if triple { 3 } else { 1 };
    let mut text = String::new();
    let (mut lines, mut col) = (0u32, 1u32);
    loop {
        let Some(&c) = chars.get(i) else {
            return error(pos, "unterminated string");
        };
        if c == q && (!triple || (chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q))) {
            i += if triple { 3 } else { 1 };
            return Ok((text, i, lines, col + if triple { 3 } else { 1 }));
        }
        if c == '\n' {
            if !triple {
                return error(pos, "unterminated string");
            }
            lines += 1;
            col = 1;
            text.push('\n');
            i += 1;
            continue;
        }
        if c == '\\' && !raw {
            let e = chars.get(i + 1).copied().unwrap_or('\\');
            text.push(match e {
                'n' => '\n',
                't' => '\t',
                '0' => '\0',
                other => other,
            });
            i += 2;
            col += 2;
            continue;
        }
        text.push(c);
        i += 1;
        col += 1;
    }
}

/// An f-string's text split into literal text and `{expr!conv:spec}` parts.
fn fstring_parts(text: &str, pos: Pos) -> Result<Vec<FPart>, SourceError> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' && chars.get(i + 1) == Some(&'{') {
            literal.push('{');
            i += 2;
            continue;
        }
        if c == '}' && chars.get(i + 1) == Some(&'}') {
            literal.push('}');
            i += 2;
            continue;
        }
        if c != '{' {
            literal.push(c);
            i += 1;
            continue;
        }
        parts.push(FPart::Text(std::mem::take(&mut literal)));
        let code_pos = Pos {
            line: pos.line,
            col: pos.col + i as u32 + 1,
        };
        i += 1;
        let (mut code, mut depth) = (String::new(), 0);
        while i < chars.len() && !(depth == 0 && matches!(chars[i], '}' | '!' | ':')) {
            match chars[i] {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            code.push(chars[i]);
            i += 1;
        }
        let mut conversion = None;
        if chars.get(i) == Some(&'!') {
            conversion = chars.get(i + 1).copied();
            i += 2;
        }
        let mut spec = String::new();
        if chars.get(i) == Some(&':') {
            i += 1;
            while i < chars.len() && chars[i] != '}' {
                spec.push(chars[i]);
                i += 1;
            }
        }
        if chars.get(i) != Some(&'}') {
            return error(code_pos, "expected } in the f-string");
        }
        i += 1;
        if code.trim().ends_with('=') {
            return error(code_pos, "f-string = debugging is not in the subset");
        }
        parts.push(FPart::Code(code, conversion, spec, code_pos));
    }
    parts.push(FPart::Text(literal));
    Ok(parts)
}

/// A function definition.
#[derive(Debug, PartialEq)]
pub struct FuncDef {
    pub name: String,
    /// Parameters with default values, and the `*args` name.
    pub params: Vec<(String, Option<Expr>)>,
    pub star: Option<String>,
    /// Parameters before `*args` take positional arguments; the rest are keyword-only.
    pub positional: usize,
    pub body: Vec<Stmt>,
    pub is_async: bool,
    /// Contains `yield`: calling it makes a generator.
    pub is_generator: bool,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    FStr(Vec<FExpr>),
    Name(String, Pos),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Dict(Vec<(Expr, Expr)>),
    /// `[element for name in iterable if condition]`.
    ListComp(Box<Expr>, String, Box<Expr>, Option<Box<Expr>>),
    Lambda(Rc<FuncDef>),
    Unary(&'static str, Box<Expr>),
    Binary(&'static str, Box<Expr>, Box<Expr>, Pos),
    /// `and` / `or`.
    Logic(&'static str, Box<Expr>, Box<Expr>),
    IfElse(Box<Expr>, Box<Expr>, Box<Expr>),
    Attr(Box<Expr>, String, Pos),
    Index(Box<Expr>, Box<Expr>, Pos),
    /// Callee, positional arguments (a starred one is `Star`), keyword arguments.
    Call(Box<Expr>, Vec<Expr>, Vec<(String, Expr)>, Pos),
    Star(Box<Expr>),
    Await(Box<Expr>, Pos),
    Yield(Option<Box<Expr>>, Pos),
}

#[derive(Clone, Debug, PartialEq)]
pub enum FExpr {
    Text(String),
    Code(Expr, Option<char>, String),
}

/// One `except` clause: the class names it catches (none: all), `as` name, body, where.
pub type Except = (Vec<String>, Option<String>, Vec<Stmt>, Pos);

/// A function's parameters with their defaults, the `*args` name, how many are positional.
pub type Params = (Vec<(String, Option<Expr>)>, Option<String>, usize);

/// A call's positional and keyword arguments.
pub type Args = (Vec<Expr>, Vec<(String, Expr)>);

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Expr(Expr, Pos),
    /// Targets (names, attributes, elements or a tuple of names) and the value.
    Assign(Vec<Expr>, Expr, Pos),
    AugAssign(Expr, &'static str, Expr, Pos),
    Def(Rc<FuncDef>),
    Return(Option<Expr>, Pos),
    If(Expr, Vec<Stmt>, Vec<Stmt>, Pos),
    While(Expr, Vec<Stmt>, Pos),
    For(String, Expr, Vec<Stmt>, Pos),
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Except>,
        finally: Vec<Stmt>,
        pos: Pos,
    },
    Raise(Option<Expr>, Pos),
    Global(Vec<String>),
    Nonlocal(Vec<String>),
    Import(String, Pos),
    Pass,
    Break(Pos),
    Continue(Pos),
}
