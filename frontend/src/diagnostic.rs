//! Diagnostics as values: every rejection is a [`Diagnostic`] with a stable kebab-case code, a
//! primary span, a message and a help line saying what to write instead. Rendering (rustc style,
//! with the source line and a caret) goes through `annotate-snippets`.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::span::{LineIndex, Span};

/// Stable diagnostic codes, shown in brackets and matched by the error fixtures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Code {
    SyntaxError,
    UndefinedName,
    TypeMismatch,
    WrongArgumentCount,
    UnknownAttribute,
    MissingAnnotation,
    Unsupported,
    UnsupportedImport,
    CannotInfer,
    InvalidFormatSpec,
    InvalidLiteral,
    /// A `prange` body that would race (or whose result would depend on scheduling).
    Race,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SyntaxError => "syntax-error",
            Code::UndefinedName => "undefined-name",
            Code::TypeMismatch => "type-mismatch",
            Code::WrongArgumentCount => "wrong-argument-count",
            Code::UnknownAttribute => "unknown-attribute",
            Code::MissingAnnotation => "missing-annotation",
            Code::Unsupported => "unsupported",
            Code::UnsupportedImport => "unsupported-import",
            Code::CannotInfer => "cannot-infer",
            Code::InvalidFormatSpec => "invalid-format-spec",
            Code::InvalidLiteral => "invalid-literal",
            Code::Race => "race",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// Text under the caret.
    pub label: String,
    /// What to write instead.
    pub help: String,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, message: message.into(), span, label: String::new(), help: String::new() }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }

    /// 1-based line and column of the primary span.
    pub fn line_col(&self, source: &str) -> (u32, u32) {
        let loc = LineIndex::new(source).loc(self.span);
        (loc.line, loc.col_start + 1)
    }

    /// Renders like rustc: `error[code]: message`, `--> file:line:col`, the source line, a
    /// caret under the span, and the help line.
    pub fn render(&self, path: &str, source: &str, color: bool) -> String {
        let index = LineIndex::new(source);
        let line = index.line_of(self.span.start.min(source.len() as u32));
        let line_start = index.line_start(line) as usize;
        let text = index.line_text(line);
        // Any span is drawn: clamped to the line and widened to whole characters (a span that
        // ends inside a multi-byte character would otherwise make the renderer panic).
        let start = floor_char_boundary(text, (self.span.start as usize).saturating_sub(line_start));
        let end = ceil_char_boundary(text, (self.span.end as usize).saturating_sub(line_start).max(start));
        // An empty span (end of file, say) still gets a caret, under the next character.
        let end = if start == end { ceil_char_boundary(text, end + 1) } else { end };
        let mut annotation = AnnotationKind::Primary.span(start..end);
        if !self.label.is_empty() {
            annotation = annotation.label(self.label.as_str());
        }
        let snippet = Snippet::source(text).line_start(line + 1).path(path).annotation(annotation);
        let title = Level::ERROR.primary_title(self.message.as_str()).id(self.code.as_str());
        let mut report = vec![title.element(snippet)];
        if !self.help.is_empty() {
            report.push(Group::with_title(Level::HELP.secondary_title(self.help.as_str())));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let mut out = renderer.render(&report).to_string();
        out.push('\n');
        out
    }
}

/// The largest character boundary of `text` at or before `offset` (at most `text.len()`).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The smallest character boundary of `text` at or after `offset` (at most `text.len()`).
fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every span over a line of multi-byte characters renders (no panic), caret included.
    #[test]
    fn renders_any_span() {
        let source = "a\u{1F600}é = 1\nb\n";
        for start in 0..=source.len() as u32 + 2 {
            for end in 0..=source.len() as u32 + 2 {
                let diagnostic = Diagnostic::new(Code::SyntaxError, Span { start, end }, "m").label("l").help("h");
                let text = diagnostic.render("p.py", source, false);
                assert!(text.contains('^'), "{start}..{end}: {text}");
            }
        }
    }
}
