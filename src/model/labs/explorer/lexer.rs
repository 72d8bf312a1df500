//! Splits source text into tokens with their line and column.
//!
//! Newlines are tokens because they end statements (as `;` does). `#` starts a comment that runs
//! to the end of the line. Errors carry the position of the offending character.

use super::parser::ParseError;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Name or keyword; keywords are told apart by the parser.
    Ident(String),
    /// Unsigned integer literal; the parser applies signs and range checks.
    Int(u64),
    /// Double-quoted text, escapes already resolved.
    Str(String),
    Newline,
    Semicolon,
    Comma,
    Dot,
    LeftBrace,
    RightBrace,
    LeftParen,
    RightParen,
    Assign,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    EqualEqual,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    AndAnd,
    OrOr,
    Bang,
    Eof,
}

impl TokenKind {
    /// How the token reads in an error message.
    pub(crate) fn describe(&self) -> String {
        let symbol = match self {
            TokenKind::Ident(name) => return format!("'{name}'"),
            TokenKind::Int(value) => return format!("number {value}"),
            TokenKind::Str(_) => return "a string".to_string(),
            TokenKind::Newline => return "end of line".to_string(),
            TokenKind::Eof => return "end of input".to_string(),
            TokenKind::Semicolon => ";",
            TokenKind::Comma => ",",
            TokenKind::Dot => ".",
            TokenKind::LeftBrace => "{",
            TokenKind::RightBrace => "}",
            TokenKind::LeftParen => "(",
            TokenKind::RightParen => ")",
            TokenKind::Assign => "=",
            TokenKind::Plus => "+",
            TokenKind::Minus => "-",
            TokenKind::Star => "*",
            TokenKind::Slash => "/",
            TokenKind::Percent => "%",
            TokenKind::EqualEqual => "==",
            TokenKind::NotEqual => "!=",
            TokenKind::Less => "<",
            TokenKind::LessEqual => "<=",
            TokenKind::Greater => ">",
            TokenKind::GreaterEqual => ">=",
            TokenKind::AndAnd => "&&",
            TokenKind::OrOr => "||",
            TokenKind::Bang => "!",
        };
        format!("'{symbol}'")
    }
}

/// A token and where it starts and ends (end column is one past the last character).
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub line: u32,
    pub column: u32,
    pub end_column: u32,
}

/// Turns `source` into tokens, ending with [`TokenKind::Eof`].
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut index = 0;
    let mut line = 1u32;
    let mut column = 1u32;
    while index < chars.len() {
        let start_column = column;
        let c = chars[index];
        let single = |kind: TokenKind| Token {
            kind,
            line,
            column: start_column,
            end_column: start_column + 1,
        };
        match c {
            '\n' => {
                tokens.push(single(TokenKind::Newline));
                index += 1;
                line += 1;
                column = 1;
                continue;
            }
            ' ' | '\t' | '\r' => {}
            '#' => {
                while index < chars.len() && chars[index] != '\n' {
                    index += 1;
                    column += 1;
                }
                continue;
            }
            '0'..='9' => {
                let mut value: u64 = 0;
                let mut overflow = false;
                while index < chars.len() && chars[index].is_ascii_digit() {
                    let digit = u64::from(chars[index] as u8 - b'0');
                    match value.checked_mul(10).and_then(|v| v.checked_add(digit)) {
                        Some(next) => value = next,
                        None => overflow = true,
                    }
                    index += 1;
                    column += 1;
                }
                if overflow || value > i64::MAX as u64 + 1 {
                    return Err(ParseError::new(
                        line,
                        start_column,
                        "number is too large (numbers are 64-bit integers)",
                    ));
                }
                if index < chars.len() && is_name_char(chars[index]) {
                    return Err(ParseError::new(
                        line,
                        column,
                        "a name cannot start with a digit",
                    ));
                }
                tokens.push(Token {
                    kind: TokenKind::Int(value),
                    line,
                    column: start_column,
                    end_column: column,
                });
                continue;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = String::new();
                while index < chars.len() && is_name_char(chars[index]) {
                    name.push(chars[index]);
                    index += 1;
                    column += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Ident(name),
                    line,
                    column: start_column,
                    end_column: column,
                });
                continue;
            }
            '"' => {
                let (text, consumed) = read_string(&chars[index..], line, start_column)?;
                index += consumed;
                column += consumed as u32;
                tokens.push(Token {
                    kind: TokenKind::Str(text),
                    line,
                    column: start_column,
                    end_column: column,
                });
                continue;
            }
            _ => {
                let next = chars.get(index + 1).copied();
                let (kind, width) = match (c, next) {
                    ('=', Some('=')) => (TokenKind::EqualEqual, 2),
                    ('!', Some('=')) => (TokenKind::NotEqual, 2),
                    ('<', Some('=')) => (TokenKind::LessEqual, 2),
                    ('>', Some('=')) => (TokenKind::GreaterEqual, 2),
                    ('&', Some('&')) => (TokenKind::AndAnd, 2),
                    ('|', Some('|')) => (TokenKind::OrOr, 2),
                    (';', _) => (TokenKind::Semicolon, 1),
                    (',', _) => (TokenKind::Comma, 1),
                    ('.', _) => (TokenKind::Dot, 1),
                    ('{', _) => (TokenKind::LeftBrace, 1),
                    ('}', _) => (TokenKind::RightBrace, 1),
                    ('(', _) => (TokenKind::LeftParen, 1),
                    (')', _) => (TokenKind::RightParen, 1),
                    ('=', _) => (TokenKind::Assign, 1),
                    ('+', _) => (TokenKind::Plus, 1),
                    ('-', _) => (TokenKind::Minus, 1),
                    ('*', _) => (TokenKind::Star, 1),
                    ('/', _) => (TokenKind::Slash, 1),
                    ('%', _) => (TokenKind::Percent, 1),
                    ('<', _) => (TokenKind::Less, 1),
                    ('>', _) => (TokenKind::Greater, 1),
                    ('!', _) => (TokenKind::Bang, 1),
                    ('&', _) => return Err(ParseError::new(line, column, "use 'and' (or '&&')")),
                    ('|', _) => return Err(ParseError::new(line, column, "use 'or' (or '||')")),
                    _ => {
                        return Err(ParseError::new(
                            line,
                            column,
                            format!("unexpected character {c:?}"),
                        ));
                    }
                };
                tokens.push(Token {
                    kind,
                    line,
                    column: start_column,
                    end_column: start_column + width,
                });
                index += width as usize;
                column += width;
                continue;
            }
        }
        index += 1;
        column += 1;
    }
    tokens.push(Token {
        kind: TokenKind::Eof,
        line,
        column,
        end_column: column,
    });
    Ok(tokens)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Reads a string literal starting at the opening quote; returns its text and characters consumed.
fn read_string(chars: &[char], line: u32, column: u32) -> Result<(String, usize), ParseError> {
    let mut text = String::new();
    let mut index = 1;
    loop {
        match chars.get(index) {
            None | Some('\n') => {
                return Err(ParseError::new(
                    line,
                    column,
                    "this string has no closing '\"' on its line",
                ));
            }
            Some('"') => return Ok((text, index + 1)),
            Some('\\') => {
                let escaped = match chars.get(index + 1) {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    _ => {
                        return Err(ParseError::new(
                            line,
                            column + index as u32,
                            "unknown escape; use \\\" \\\\ \\n or \\t",
                        ));
                    }
                };
                text.push(escaped);
                index += 2;
            }
            Some(&c) => {
                text.push(c);
                index += 1;
            }
        }
    }
}
