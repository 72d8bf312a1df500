//! Where each thread sits in the source text, so step mode can show a thread's own lines.
//!
//! Spans in the syntax tree cover a statement or a compound statement's header, never a whole
//! `thread name { … }` block; the block ends at the brace that balances its first `{`. Counting
//! braces on tokens (not characters) keeps braces inside comments and strings out of the count.

use super::lexer::{TokenKind, tokenize};

/// First and last line (1-based, inclusive) of one `thread` block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRange {
    /// Line of the `thread` keyword.
    pub first: u32,
    /// Line of the closing `}`.
    pub last: u32,
}

impl LineRange {
    /// True when `line` lies inside the range.
    pub fn contains(self, line: u32) -> bool {
        (self.first..=self.last).contains(&line)
    }
}

/// The line range of every thread, in thread order (index `i` is thread `i` of the parsed
/// program). Returns an empty list for text the lexer rejects; a thread whose block never closes
/// runs to the last line.
pub fn thread_lines(source: &str) -> Vec<LineRange> {
    let Ok(tokens) = tokenize(source) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    let mut open: Option<u32> = None;
    let mut depth = 0u32;
    let mut last_line = 1;
    for token in &tokens {
        if !matches!(token.kind, TokenKind::Newline | TokenKind::Eof) {
            last_line = token.line;
        }
        match &token.kind {
            // `thread` is reserved, so at depth 0 it can only start a thread.
            TokenKind::Ident(word) if depth == 0 && word == "thread" => {
                if let Some(first) = open.take() {
                    ranges.push(LineRange {
                        first,
                        last: token.line.saturating_sub(1).max(first),
                    });
                }
                open = Some(token.line);
            }
            TokenKind::LeftBrace => depth += 1,
            TokenKind::RightBrace => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(first) = open.take()
                {
                    ranges.push(LineRange {
                        first,
                        last: token.line,
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(first) = open {
        ranges.push(LineRange {
            first,
            last: last_line,
        });
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::super::presets::{PRESETS, preset};
    use super::super::testing::program;
    use super::{LineRange, thread_lines};

    #[test]
    fn each_thread_runs_from_its_keyword_to_its_closing_brace() {
        let ranges = thread_lines(preset("balance").unwrap().source);
        // Lines 7–10 and 12–15 of the preset (four comment lines, `shared`, a blank line).
        assert_eq!(
            ranges,
            [
                LineRange { first: 7, last: 10 },
                LineRange {
                    first: 12,
                    last: 15
                }
            ]
        );
        assert!(ranges[0].contains(8) && !ranges[0].contains(11));
    }

    #[test]
    fn braces_in_comments_strings_and_nested_blocks_do_not_count() {
        let source = "shared x = 0\n\
                      thread a { # }}} not code\n\
                      \x20   with m { assert x < 9, \"}\" }\n\
                      }\n\
                      lock m\n\
                      thread b { x = 1 }\n";
        assert_eq!(
            thread_lines(source),
            [
                LineRange { first: 2, last: 4 },
                LineRange { first: 6, last: 6 }
            ]
        );
    }

    #[test]
    fn every_preset_has_one_range_per_thread_covering_its_statements() {
        for preset in PRESETS {
            let parsed = program(preset.source);
            let ranges = thread_lines(preset.source);
            assert_eq!(ranges.len(), parsed.threads.len(), "{}", preset.id);
            for (thread, range) in parsed.threads.iter().zip(&ranges) {
                assert_eq!(thread.span.line, range.first, "{}", preset.id);
                for statement in &thread.body {
                    assert!(range.contains(statement.span.line), "{}", preset.id);
                }
            }
        }
    }

    #[test]
    fn unfinished_or_unlexable_text_never_panics() {
        assert_eq!(
            thread_lines("thread t {\n x = 1\n"),
            [LineRange { first: 1, last: 2 }]
        );
        assert!(thread_lines("thread t { x = $ }").is_empty());
        assert!(thread_lines("").is_empty());
    }
}
