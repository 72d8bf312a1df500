//! The JavaScript subset's tokens and syntax tree.

use std::rc::Rc;

/// A place in the source, 1-based, for error messages and the highlighted line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// An error the visitor can act on: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    pub pos: Pos,
    pub message: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.pos.line, self.pos.col, self.message
        )
    }
}

pub fn error<T>(pos: Pos, message: impl Into<String>) -> Result<T, SourceError> {
    Err(SourceError {
        pos,
        message: message.into(),
    })
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Num(f64),
    Str(String),
    /// A template literal: text parts and `${…}` sources (with where each starts).
    Template(Vec<TemplatePart>),
    Punct(&'static str),
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Code(String, Pos),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// A line break came before this token (for `return` and automatic semicolons).
    pub newline_before: bool,
}

const PUNCTS: [&str; 45] = [
    "===", "!==", "...", "**=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "++", "--", "+=",
    "-=", "*=", "/=", "%=", "?.", "**", "{", "}", "(", ")", "[", "]", ";", ",", ".", "<", ">", "+",
    "-", "*", "/", "%", "!", "=", "?", ":", "&", "|", "^", "~",
];

/// Splits source text into tokens; `start` is where the text begins in the whole program.
pub fn lex(source: &str, start: Pos) -> Result<Vec<Token>, SourceError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0, start.line, start.col);
    let mut newline_before = false;
    macro_rules! bump {
        () => {{
            if chars[i] == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
            i += 1;
        }};
    }
    while i < chars.len() {
        let c = chars[i];
        let pos = Pos { line, col };
        if c == '\n' {
            newline_before = true;
            bump!();
            continue;
        }
        if c.is_whitespace() {
            bump!();
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                bump!();
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            bump!();
            bump!();
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    newline_before = true;
                }
                bump!();
            }
            if i >= chars.len() {
                return error(pos, "unterminated comment");
            }
            bump!();
            bump!();
            continue;
        }
        let tok = if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let begin = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                bump!();
            }
            let text: String = chars[begin..i].iter().filter(|&&c| c != '_').collect();
            match text.parse::<f64>() {
                Ok(n) => Tok::Num(n),
                Err(_) => return error(pos, format!("cannot read the number {text}")),
            }
        } else if c.is_alphabetic() || c == '_' || c == '$' {
            let begin = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                bump!();
            }
            Tok::Ident(chars[begin..i].iter().collect())
        } else if c == '"' || c == '\'' {
            bump!();
            let mut text = String::new();
            loop {
                match chars.get(i) {
                    None | Some('\n') => return error(pos, "unterminated string"),
                    Some(&q) if q == c => {
                        bump!();
                        break;
                    }
                    Some('\\') => {
                        bump!();
                        let Some(&e) = chars.get(i) else {
                            return error(pos, "unterminated string");
                        };
                        text.push(escape(e));
                        bump!();
                    }
                    Some(&other) => {
                        text.push(other);
                        bump!();
                    }
                }
            }
            Tok::Str(text)
        } else if c == '`' {
            bump!();
            let mut parts = Vec::new();
            let mut text = String::new();
            loop {
                match chars.get(i) {
                    None => return error(pos, "unterminated template literal"),
                    Some('`') => {
                        bump!();
                        break;
                    }
                    Some('\\') => {
                        bump!();
                        let Some(&e) = chars.get(i) else {
                            return error(pos, "unterminated template literal");
                        };
                        text.push(escape(e));
                        bump!();
                    }
                    Some('$') if chars.get(i + 1) == Some(&'{') => {
                        bump!();
                        bump!();
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                        let code_pos = Pos { line, col };
                        let mut depth = 0;
                        let mut code = String::new();
                        loop {
                            match chars.get(i) {
                                None => return error(pos, "unterminated ${ in a template literal"),
                                Some('}') if depth == 0 => {
                                    bump!();
                                    break;
                                }
                                Some(&ch) => {
                                    if ch == '{' {
                                        depth += 1;
                                    } else if ch == '}' {
                                        depth -= 1;
                                    }
                                    code.push(ch);
                                    bump!();
                                }
                            }
                        }
                        parts.push(TemplatePart::Code(code, code_pos));
                    }
                    Some(&other) => {
                        text.push(other);
                        bump!();
                    }
                }
            }
            parts.push(TemplatePart::Text(text));
            Tok::Template(parts)
        } else {
            let rest: String = chars[i..(i + 4).min(chars.len())].iter().collect();
            let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) else {
                return error(pos, format!("unexpected character {c:?}"));
            };
            for _ in 0..p.chars().count() {
                bump!();
            }
            Tok::Punct(p)
        };
        tokens.push(Token {
            tok,
            pos,
            newline_before,
        });
        newline_before = false;
    }
    tokens.push(Token {
        tok: Tok::Eof,
        pos: Pos { line, col },
        newline_before: true,
    });
    Ok(tokens)
}

fn escape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        '0' => '\0',
        other => other,
    }
}

/// A function's definition, shared by every closure made from it.
#[derive(Debug, PartialEq)]
pub struct FuncDef {
    pub name: Option<String>,
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
    pub is_async: bool,
    pub is_arrow: bool,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    Bool(bool),
    Null,
    Undefined,
    This,
    Ident(String, Pos),
    Template(Vec<TemplateExpr>),
    Array(Vec<Expr>),
    /// Properties in order; methods are function expressions.
    Object(Vec<(String, Expr)>),
    Function(Rc<FuncDef>),
    Unary(&'static str, Box<Expr>),
    Typeof(Box<Expr>),
    /// `++`/`--` on a variable: operator, prefix?, name.
    Update(&'static str, bool, String, Pos),
    Binary(&'static str, Box<Expr>, Box<Expr>, Pos),
    Logical(&'static str, Box<Expr>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `=` or a compound operator, target, value.
    Assign(&'static str, Box<Expr>, Box<Expr>, Pos),
    Member(Box<Expr>, String, Pos),
    Index(Box<Expr>, Box<Expr>, Pos),
    Call(Box<Expr>, Vec<Expr>, Pos),
    New(Box<Expr>, Vec<Expr>, Pos),
    Await(Box<Expr>, Pos),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplateExpr {
    Text(String),
    Code(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Expr(Expr, Pos),
    /// `let`/`const`/`var`: mutable?, names and initial values.
    Let(bool, Vec<(String, Option<Expr>)>, Pos),
    Function(Rc<FuncDef>),
    Return(Option<Expr>, Pos),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>, Pos),
    For {
        init: Option<Box<Stmt>>,
        cond: Option<Expr>,
        update: Option<Expr>,
        body: Box<Stmt>,
        pos: Pos,
    },
    While(Expr, Box<Stmt>, Pos),
    Block(Vec<Stmt>),
    Try {
        block: Vec<Stmt>,
        catch: Option<(Option<String>, Vec<Stmt>)>,
        finally: Option<Vec<Stmt>>,
        pos: Pos,
    },
    Throw(Expr, Pos),
    Break(Pos),
    Continue(Pos),
    Empty,
}
