//! Source positions: byte-offset spans and the line index that turns them into the 1-based
//! lines and 0-based character columns that diagnostics and tracebacks show.

/// A half-open byte range into the source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: u32, end: u32) -> Span {
        Span { start, end: end.max(start) }
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A position as users see it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 0-based character columns on `line` (end is exclusive; an expression that continues on
    /// later lines ends at the last non-blank character of its first line, as CPython shows it).
    pub col_start: u32,
    pub col_end: u32,
    /// For a binary operator or a subscript on one line: the columns CPython 3.11 marks with `^`
    /// in a traceback (the operator, or `[index]`), the rest of the range getting `~`.
    pub anchor: Option<(u32, u32)>,
}

/// Maps byte offsets to lines and columns.
pub struct LineIndex<'a> {
    source: &'a str,
    line_starts: Vec<u32>,
}

impl<'a> LineIndex<'a> {
    pub fn new(source: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        LineIndex { source, line_starts }
    }

    /// 0-based line number containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> u32 {
        self.line_starts[line]
    }

    /// The text of 0-based `line` without its newline.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_starts[line] as usize;
        let end = self.line_starts.get(line + 1).map(|e| *e as usize).unwrap_or(self.source.len());
        self.source.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }

    fn column(&self, line: usize, offset: u32) -> u32 {
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).min(self.source.len()).max(start);
        self.source.get(start..end).map(|t| t.chars().count() as u32).unwrap_or(0)
    }

    /// The byte range of `loc`'s columns (for diagnostics raised on the IR).
    pub fn span_of(&self, loc: Loc) -> Span {
        let line = (loc.line as usize).saturating_sub(1).min(self.line_starts.len() - 1);
        let text = self.line_text(line);
        let offset = |col: u32| text.char_indices().nth(col as usize).map_or(text.len(), |(i, _)| i) as u32;
        let start = self.line_starts[line];
        Span { start: start + offset(loc.col_start), end: start + offset(loc.col_end.max(loc.col_start + 1)) }
    }

    pub fn loc(&self, span: Span) -> Loc {
        let line = self.line_of(span.start);
        let col_start = self.column(line, span.start);
        let end_line = self.line_of(span.end.max(span.start));
        let col_end = if end_line == line {
            self.column(line, span.end)
        } else {
            self.line_text(line).trim_end().chars().count() as u32
        };
        Loc { line: line as u32 + 1, col_start, col_end: col_end.max(col_start), anchor: None }
    }

    /// 0-based character column of `offset` on its line, and that line.
    pub fn column_of(&self, offset: u32) -> (usize, u32) {
        let line = self.line_of(offset);
        (line, self.column(line, offset))
    }
}
