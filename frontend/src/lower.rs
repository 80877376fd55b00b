//! Parsing and the first lowering: source text → `rustpython-parser` tree → pyrsc's [`syntax`]
//! tree. This is the only module that names a parser type, so swapping parsers is a one-module
//! change. Constructs outside the supported subset are rejected here with a located diagnostic.

use rustpython_parser::ast::{self, Constant, Ranged};
use rustpython_parser::{parse, Mode, ParseErrorType};

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::*;

/// Parses `source` and lowers it. A syntax error stops here; unsupported constructs are
/// reported and left out, so that checking can go on and report everything else too.
pub fn parse_module(source: &str, path: &str) -> Result<(Module, Vec<Diagnostic>), Vec<Diagnostic>> {
    // CPython refuses the whole file before tokenizing it (the parser would take a NUL in a
    // comment or a string as ordinary text).
    if let Some(offset) = source.find('\0') {
        return Err(vec![Diagnostic::new(
            Code::SyntaxError,
            char_span(source, offset as u32),
            "source code cannot contain null bytes",
        )
        .label("null byte")
        .help("remove the null byte; CPython 3.11 refuses to run a file that contains one")]);
    }
    let parsed = parse(source, Mode::Module, path).map_err(|err| {
        let offset = u32::from(err.offset);
        // The lexer reports a character it cannot start a token with at or just after it.
        let bad = invalid_character(source, offset)
            .or_else(|| invalid_character(source, char_span(source, offset.saturating_sub(1)).start));
        let message = match &err.error {
            _ if bad.is_some() => {
                let c = bad.map_or('?', |(c, _)| c);
                format!("invalid character '{c}' (U+{:04X})", u32::from(c))
            }
            ParseErrorType::Eof => "unexpected end of file".to_owned(),
            ParseErrorType::Lexical(lexical) => format!("invalid syntax: {lexical}"),
            other => other.to_string(),
        };
        let span = bad.map_or_else(|| char_span(source, offset), |(_, span)| span);
        let help = match bad {
            Some(_) => INVALID_CHARACTER_HELP,
            None => "fix the syntax; the file must run under CPython 3.11 as it is",
        };
        vec![Diagnostic::new(Code::SyntaxError, span, message).label("Python cannot parse this").help(help)]
    })?;
    if let Some(diagnostic) = invalid_name_character(source) {
        return Err(vec![diagnostic]);
    }
    let body = match parsed {
        ast::Mod::Module(module) => module.body,
        _ => Vec::new(),
    };
    let mut lowerer = Lowerer { source, diagnostics: Vec::new(), syntax_error: None };
    let body = lowerer.stmts(body);
    if let Some(diagnostic) = lowerer.syntax_error {
        return Err(vec![diagnostic]);
    }
    Ok((Module { body }, lowerer.diagnostics))
}

/// `expr` with every span moved `by` bytes later (the `(` wrapper in front of the text
/// replaces the quote, so the offsets line up).
fn shifted(mut expr: Expr, by: u32) -> Expr {
    fn shift(e: &mut Expr, by: u32) {
        e.span = Span::new(e.span.start + by, e.span.end + by);
        match &mut e.kind {
            ExprKind::Attribute { value, .. } => shift(value, by),
            ExprKind::BinOp { left, right, .. } => {
                shift(left, by);
                shift(right, by);
            }
            ExprKind::Subscript { value, index } => {
                shift(value, by);
                shift(index, by);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => items.iter_mut().for_each(|i| shift(i, by)),
            _ => {}
        }
    }
    shift(&mut expr, by);
    expr
}

/// The character at byte `offset` if CPython's tokenizer refuses it in a name: a non-ASCII
/// character that cannot continue an identifier (an emoji, `€`, a non-breaking space).
fn invalid_character(source: &str, offset: u32) -> Option<(char, Span)> {
    let span = char_span(source, offset);
    let c = source.get(span.start as usize..)?.chars().next()?;
    (!c.is_ascii() && !unicode_ident::is_xid_continue(c)).then_some((c, span))
}

const INVALID_CHARACTER_HELP: &str =
    "remove the character, or move it into a string or a comment; names take letters, digits and `_`";

/// A name with a character CPython's tokenizer refuses: rustpython's lexer takes an emoji as a
/// name of its own (`😀 = 1`), CPython says "invalid character".
fn invalid_name_character(source: &str) -> Option<Diagnostic> {
    let names = rustpython_parser::lexer::lex(source, Mode::Module).filter_map(|token| match token {
        Ok((rustpython_parser::Tok::Name { name }, range)) => Some((name, u32::from(range.start()))),
        _ => None,
    });
    for (name, start) in names {
        if let Some(diagnostic) = invalid_name(source, &name, start) {
            return Some(diagnostic);
        }
    }
    None
}

/// The syntax error for name `name` (at byte `start`) if it has a character CPython does not
/// take in a name (the first must start an identifier, the others continue one).
fn invalid_name(source: &str, name: &str, start: u32) -> Option<Diagnostic> {
    let (offset, c) = name.char_indices().enumerate().find_map(|(i, (offset, c))| {
        let valid = c == '_' || if i == 0 { unicode_ident::is_xid_start(c) } else { unicode_ident::is_xid_continue(c) };
        (!valid).then_some((offset, c))
    })?;
    Some(
        Diagnostic::new(
            Code::SyntaxError,
            char_span(source, start + offset as u32),
            format!("invalid character '{c}' (U+{:04X})", u32::from(c)),
        )
        .label("Python cannot parse this")
        .help(INVALID_CHARACTER_HELP),
    )
}

/// The span of the one character at byte `offset` (empty at the end of the file); an offset
/// inside a character is moved back to its start.
fn char_span(source: &str, offset: u32) -> Span {
    let mut start = (offset as usize).min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let width = source[start..].chars().next().map_or(0, char::len_utf8);
    Span::new(start as u32, (start + width) as u32)
}

fn span_of(node: &impl Ranged) -> Span {
    let range = node.range();
    Span::new(u32::from(range.start()), u32::from(range.end()))
}

struct Lowerer<'s> {
    source: &'s str,
    diagnostics: Vec<Diagnostic>,
    /// A syntax error found while lowering (it ends compilation, as the parser's do).
    syntax_error: Option<Diagnostic>,
}

impl Lowerer<'_> {
    /// A type annotation; a quoted one (`"Node | None"`, a forward reference, also inside
    /// `list["Node"]`) is parsed as the expression it contains, with spans pointing into the
    /// string.
    fn annotation(&mut self, expr: ast::Expr) -> Expr {
        let span = span_of(&expr);
        match expr {
            ast::Expr::Subscript(sub) => {
                let kind = ExprKind::Subscript {
                    value: Box::new(self.expr(*sub.value)),
                    index: Box::new(self.annotation(*sub.slice)),
                };
                Expr { kind, span }
            }
            ast::Expr::Tuple(tuple) => {
                let kind = ExprKind::Tuple(tuple.elts.into_iter().map(|e| self.annotation(e)).collect());
                Expr { kind, span }
            }
            ast::Expr::List(list) => {
                let kind = ExprKind::List(list.elts.into_iter().map(|e| self.annotation(e)).collect());
                Expr { kind, span }
            }
            ast::Expr::BinOp(bin) if matches!(bin.op, ast::Operator::BitOr) => {
                let kind = ExprKind::BinOp {
                    op: BinOp::BitOr,
                    left: Box::new(self.annotation(*bin.left)),
                    right: Box::new(self.annotation(*bin.right)),
                };
                Expr { kind, span }
            }
            other => self.quoted_annotation(other, span),
        }
    }

    fn quoted_annotation(&mut self, expr: ast::Expr, span: Span) -> Expr {
        if let ast::Expr::Constant(ast::ExprConstant { value: Constant::Str(text), .. }) = &expr {
            let quoted = self.source.get(span.start as usize..span.end as usize).unwrap_or("");
            let simple = quoted.len() == text.len() + 2
                && quoted[1..quoted.len() - 1] == *text
                && !quoted.starts_with("\"\"\"")
                && !quoted.starts_with("'''");
            if simple {
                // `(text)`: the parenthesis stands where the quote is, so shifting by the
                // string's offset gives spans in the file.
                if let Ok(ast::Mod::Expression(inner)) = parse(&format!("({text})"), Mode::Expression, "<annotation>") {
                    let shift = span.start;
                    let lowered = self.expr(*inner.body);
                    return shifted(lowered, shift);
                }
            }
        }
        self.expr(expr)
    }

    fn unsupported(&mut self, span: Span, what: &str, help: &str) {
        self.diagnostics.push(
            Diagnostic::new(Code::Unsupported, span, format!("{what} is not supported by pyrsc"))
                .label("not supported")
                .help(help),
        );
    }

    fn stmts(&mut self, stmts: Vec<ast::Stmt>) -> Vec<Stmt> {
        stmts.into_iter().filter_map(|stmt| self.stmt(stmt)).collect()
    }

    fn stmt(&mut self, stmt: ast::Stmt) -> Option<Stmt> {
        let span = span_of(&stmt);
        let kind = match stmt {
            ast::Stmt::FunctionDef(def) => {
                let decorators = def.decorator_list.into_iter().map(|d| self.expr(d)).collect();
                let name_span = function_name_span(self.source, span.start, def.name.as_str());
                let args = *def.args;
                if let Some(vararg) = &args.vararg {
                    self.unsupported(span_of(vararg.as_ref()), "`*args`", "pass a list instead");
                }
                if let Some(kwarg) = &args.kwarg {
                    self.unsupported(span_of(kwarg.as_ref()), "`**kwargs`", "pass the values as named parameters");
                }
                // Taken as plain parameters, these would accept calls CPython refuses.
                if let Some(first) = args.kwonlyargs.first() {
                    self.unsupported(
                        span_of(&first.def),
                        "a keyword-only parameter (after `*`)",
                        "remove the `*`, so that the parameters may be passed by position or by name",
                    );
                }
                if let Some(last) = args.posonlyargs.last() {
                    self.unsupported(
                        span_of(&last.def),
                        "a positional-only parameter (before `/`)",
                        "remove the `/`, so that the parameters may be passed by position or by name",
                    );
                }
                if let Some(param) = def.type_params.first() {
                    self.unsupported(
                        span_of(param),
                        "a generic function (`def f[T]`, Python 3.12)",
                        "give the parameters concrete types",
                    );
                }
                let params = args
                    .posonlyargs
                    .into_iter()
                    .chain(args.args)
                    .chain(args.kwonlyargs)
                    .map(|param| Param {
                        span: span_of(&param.def),
                        name: param.def.arg.to_string(),
                        annotation: param.def.annotation.map(|a| self.annotation(*a)),
                        default: param.default.map(|d| self.expr(*d)),
                    })
                    .collect();
                StmtKind::FunctionDef(Box::new(FunctionDef {
                    name: def.name.to_string(),
                    name_span,
                    params,
                    returns: def.returns.map(|r| self.annotation(*r)),
                    body: self.stmts(def.body),
                    decorators,
                }))
            }
            ast::Stmt::AsyncFunctionDef(_) => {
                self.unsupported(span, "`async def`", "write a plain `def`; use `prange` for parallel work");
                return None;
            }
            ast::Stmt::ClassDef(class) => {
                if let Some(keyword) = class.keywords.first() {
                    self.unsupported(
                        span_of(keyword),
                        "a class keyword (metaclass=...)",
                        "remove it; pyrsc compiles plain classes",
                    );
                }
                if let Some(param) = class.type_params.first() {
                    self.unsupported(span_of(param), "a generic class", "give the class concrete field types");
                }
                StmtKind::ClassDef(Box::new(ClassDef {
                    name: class.name.to_string(),
                    name_span: keyword_name_span(self.source, span.start, "class", class.name.as_str()),
                    bases: class.bases.into_iter().map(|b| self.expr(b)).collect(),
                    decorators: class.decorator_list.into_iter().map(|d| self.expr(d)).collect(),
                    body: self.stmts(class.body),
                }))
            }
            ast::Stmt::Return(ret) => StmtKind::Return(ret.value.map(|v| self.expr(*v))),
            ast::Stmt::Assign(assign) => StmtKind::Assign {
                targets: assign.targets.into_iter().map(|t| self.expr(t)).collect(),
                value: self.expr(*assign.value),
            },
            ast::Stmt::AugAssign(aug) => StmtKind::AugAssign {
                target: self.expr(*aug.target),
                op: self.operator(aug.op, span)?,
                value: self.expr(*aug.value),
            },
            ast::Stmt::AnnAssign(ann) => StmtKind::AnnAssign {
                target: self.expr(*ann.target),
                annotation: self.annotation(*ann.annotation),
                value: ann.value.map(|v| self.expr(*v)),
            },
            ast::Stmt::For(for_stmt) => StmtKind::For {
                target: self.expr(*for_stmt.target),
                iter: self.expr(*for_stmt.iter),
                body: self.stmts(for_stmt.body),
                orelse: self.stmts(for_stmt.orelse),
            },
            ast::Stmt::While(while_stmt) => StmtKind::While {
                test: self.expr(*while_stmt.test),
                body: self.stmts(while_stmt.body),
                orelse: self.stmts(while_stmt.orelse),
            },
            ast::Stmt::If(if_stmt) => StmtKind::If {
                test: self.expr(*if_stmt.test),
                body: self.stmts(if_stmt.body),
                orelse: self.stmts(if_stmt.orelse),
            },
            ast::Stmt::Assert(assert) => {
                StmtKind::Assert { test: self.expr(*assert.test), msg: assert.msg.map(|m| self.expr(*m)) }
            }
            ast::Stmt::Import(import) => StmtKind::Import(
                import
                    .names
                    .into_iter()
                    .map(|alias| ImportName {
                        span: span_of(&alias),
                        name: alias.name.to_string(),
                        alias: alias.asname.map(|a| a.to_string()),
                    })
                    .collect(),
            ),
            ast::Stmt::ImportFrom(import) => {
                let level = import.level.map(|l| l.to_u32()).unwrap_or(0);
                if level > 0 {
                    self.unsupported(
                        span,
                        "a relative import",
                        "compile one file at a time; import only math, sys, typing and pyrsc",
                    );
                    return None;
                }
                let names = import
                    .names
                    .into_iter()
                    .map(|alias| ImportName {
                        span: span_of(&alias),
                        name: alias.name.to_string(),
                        alias: alias.asname.map(|a| a.to_string()),
                    })
                    .collect::<Vec<_>>();
                if names.iter().any(|n| n.name == "*") {
                    self.unsupported(span, "a star import", "import the names you use: `from math import sqrt, pi`");
                    return None;
                }
                StmtKind::ImportFrom { module: import.module.map(|m| m.to_string()).unwrap_or_default(), names }
            }
            ast::Stmt::Global(_) => {
                self.unsupported(
                    span,
                    "the `global` statement",
                    "pass the value in as a parameter and return the new value",
                );
                return None;
            }
            ast::Stmt::Nonlocal(nonlocal) => StmtKind::Nonlocal(nonlocal.names.iter().map(|n| n.to_string()).collect()),
            ast::Stmt::Expr(expr) => StmtKind::Expr(self.expr(*expr.value)),
            ast::Stmt::Pass(_) => StmtKind::Pass,
            ast::Stmt::Break(_) => StmtKind::Break,
            ast::Stmt::Continue(_) => StmtKind::Continue,
            ast::Stmt::Delete(delete) => StmtKind::Delete(self.exprs(delete.targets)),
            ast::Stmt::Try(try_stmt) => {
                let handlers = try_stmt
                    .handlers
                    .into_iter()
                    .map(|handler| {
                        let ast::ExceptHandler::ExceptHandler(handler) = handler;
                        let whole = span_of(&handler);
                        // The `except ...:` line, as CPython's messages point at it.
                        let line_end = self.source[whole.start as usize..whole.end as usize]
                            .find(':')
                            .map_or(whole.end, |k| whole.start + k as u32 + 1);
                        Handler {
                            types: handler.type_.map(|t| self.expr(*t)),
                            name: handler.name.map(|n| n.to_string()),
                            body: self.stmts(handler.body),
                            span: Span::new(whole.start, line_end),
                        }
                    })
                    .collect();
                StmtKind::Try {
                    body: self.stmts(try_stmt.body),
                    handlers,
                    orelse: self.stmts(try_stmt.orelse),
                    finalbody: self.stmts(try_stmt.finalbody),
                }
            }
            ast::Stmt::TryStar(_) => {
                self.unsupported(span, "`try`/`except*`", "use `except` (exception groups are not compiled)");
                return None;
            }
            ast::Stmt::Raise(raise) => {
                StmtKind::Raise { exc: raise.exc.map(|e| self.expr(*e)), cause: raise.cause.map(|c| self.expr(*c)) }
            }
            ast::Stmt::With(with) => StmtKind::With {
                items: with
                    .items
                    .into_iter()
                    .map(|item| (self.expr(item.context_expr), item.optional_vars.map(|v| self.expr(*v))))
                    .collect(),
                body: self.stmts(with.body),
            },
            ast::Stmt::AsyncWith(_) => {
                self.unsupported(span, "`async with`", "write a plain `with`");
                return None;
            }
            ast::Stmt::AsyncFor(_) => {
                self.unsupported(span, "`async for`", "write a plain `for` loop");
                return None;
            }
            ast::Stmt::Match(_) => {
                self.unsupported(span, "`match`", "write an `if`/`elif` chain");
                return None;
            }
            ast::Stmt::TypeAlias(_) => {
                self.unsupported(span, "a `type` alias", "write the type out where it is used");
                return None;
            }
        };
        Some(Stmt { kind, span })
    }

    fn operator(&mut self, op: ast::Operator, span: Span) -> Option<BinOp> {
        Some(match op {
            ast::Operator::Add => BinOp::Add,
            ast::Operator::Sub => BinOp::Sub,
            ast::Operator::Mult => BinOp::Mul,
            ast::Operator::Div => BinOp::Div,
            ast::Operator::FloorDiv => BinOp::FloorDiv,
            ast::Operator::Mod => BinOp::Mod,
            ast::Operator::Pow => BinOp::Pow,
            ast::Operator::LShift => BinOp::LShift,
            ast::Operator::RShift => BinOp::RShift,
            ast::Operator::BitOr => BinOp::BitOr,
            ast::Operator::BitXor => BinOp::BitXor,
            ast::Operator::BitAnd => BinOp::BitAnd,
            ast::Operator::MatMult => {
                self.unsupported(span, "the `@` operator", "write the matrix product as loops");
                return None;
            }
        })
    }

    /// A placeholder for an expression that was rejected (the diagnostic is already recorded).
    fn error_expr(span: Span) -> Expr {
        Expr { kind: ExprKind::None, span }
    }

    fn exprs(&mut self, exprs: Vec<ast::Expr>) -> Vec<Expr> {
        exprs.into_iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, expr: ast::Expr) -> Expr {
        let span = span_of(&expr);
        let kind = match expr {
            ast::Expr::Constant(constant) => match constant.value {
                Constant::None => ExprKind::None,
                Constant::Bool(b) => ExprKind::Bool(b),
                Constant::Str(s) => ExprKind::Str(s),
                Constant::Int(i) => match i.to_string().parse::<i64>() {
                    Ok(value) => ExprKind::Int(value),
                    Err(_) => {
                        self.diagnostics.push(
                            Diagnostic::new(Code::InvalidLiteral, span, "integer literal does not fit in 64 bits")
                                .label("too large for a pyrsc int")
                                .help("pyrsc ints are 64-bit (-9223372036854775808 to 9223372036854775807); use a float for larger magnitudes"),
                        );
                        return Self::error_expr(span);
                    }
                },
                Constant::Float(f) => ExprKind::Float(f),
                Constant::Bytes(_) => {
                    self.unsupported(span, "a bytes literal", "use a str literal");
                    return Self::error_expr(span);
                }
                Constant::Complex { .. } => {
                    self.unsupported(span, "a complex number", "use two floats for the real and imaginary parts");
                    return Self::error_expr(span);
                }
                Constant::Ellipsis => ExprKind::Ellipsis,
                Constant::Tuple(_) => {
                    self.unsupported(span, "this constant", "write a value of a supported type");
                    return Self::error_expr(span);
                }
            },
            ast::Expr::Name(name) => {
                // Names inside f-strings escape the token check in `parse_module`; like
                // CPython, the first syntax error is the only one reported.
                if self.syntax_error.is_none() {
                    self.syntax_error = invalid_name(self.source, name.id.as_str(), span.start);
                }
                ExprKind::Name(name.id.to_string())
            }
            ast::Expr::Attribute(attr) => {
                ExprKind::Attribute { value: Box::new(self.expr(*attr.value)), attr: attr.attr.to_string() }
            }
            ast::Expr::BinOp(bin) => match self.operator(bin.op, span) {
                Some(op) => {
                    ExprKind::BinOp { op, left: Box::new(self.expr(*bin.left)), right: Box::new(self.expr(*bin.right)) }
                }
                None => return Self::error_expr(span),
            },
            ast::Expr::UnaryOp(unary) => ExprKind::UnaryOp {
                op: match unary.op {
                    ast::UnaryOp::USub => UnaryOp::Neg,
                    ast::UnaryOp::UAdd => UnaryOp::Pos,
                    ast::UnaryOp::Not => UnaryOp::Not,
                    ast::UnaryOp::Invert => UnaryOp::Invert,
                },
                operand: Box::new(self.expr(*unary.operand)),
            },
            ast::Expr::BoolOp(bool_op) => ExprKind::BoolOp {
                op: match bool_op.op {
                    ast::BoolOp::And => BoolOp::And,
                    ast::BoolOp::Or => BoolOp::Or,
                },
                values: self.exprs(bool_op.values),
            },
            ast::Expr::Compare(compare) => ExprKind::Compare {
                left: Box::new(self.expr(*compare.left)),
                ops: compare
                    .ops
                    .into_iter()
                    .map(|op| match op {
                        ast::CmpOp::Eq => CmpOp::Eq,
                        ast::CmpOp::NotEq => CmpOp::NotEq,
                        ast::CmpOp::Lt => CmpOp::Lt,
                        ast::CmpOp::LtE => CmpOp::LtE,
                        ast::CmpOp::Gt => CmpOp::Gt,
                        ast::CmpOp::GtE => CmpOp::GtE,
                        ast::CmpOp::Is => CmpOp::Is,
                        ast::CmpOp::IsNot => CmpOp::IsNot,
                        ast::CmpOp::In => CmpOp::In,
                        ast::CmpOp::NotIn => CmpOp::NotIn,
                    })
                    .collect(),
                comparators: self.exprs(compare.comparators),
            },
            ast::Expr::Call(call) => {
                let mut keywords = Vec::new();
                for keyword in call.keywords {
                    let keyword_span = span_of(&keyword);
                    match keyword.arg {
                        Some(name) => keywords.push(Keyword {
                            name: name.to_string(),
                            value: self.expr(keyword.value),
                            span: keyword_span,
                        }),
                        None => self.unsupported(keyword_span, "`**` in a call", "pass the arguments by name"),
                    }
                }
                let mut args = Vec::new();
                for arg in call.args {
                    if let ast::Expr::Starred(starred) = arg {
                        self.unsupported(span_of(&starred), "`*` in a call", "pass the arguments one by one");
                    } else {
                        args.push(self.expr(arg));
                    }
                }
                ExprKind::Call { func: Box::new(self.expr(*call.func)), args, keywords }
            }
            ast::Expr::IfExp(if_exp) => ExprKind::IfExp {
                test: Box::new(self.expr(*if_exp.test)),
                body: Box::new(self.expr(*if_exp.body)),
                orelse: Box::new(self.expr(*if_exp.orelse)),
            },
            ast::Expr::List(list) => ExprKind::List(self.exprs(list.elts)),
            ast::Expr::Tuple(tuple) => ExprKind::Tuple(self.exprs(tuple.elts)),
            ast::Expr::Subscript(sub) => {
                let index = match *sub.slice {
                    ast::Expr::Slice(slice) => {
                        let slice_span = span_of(&slice);
                        Expr {
                            kind: ExprKind::Slice {
                                lower: slice.lower.map(|e| Box::new(self.expr(*e))),
                                upper: slice.upper.map(|e| Box::new(self.expr(*e))),
                                step: slice.step.map(|e| Box::new(self.expr(*e))),
                            },
                            span: slice_span,
                        }
                    }
                    other => self.expr(other),
                };
                ExprKind::Subscript { value: Box::new(self.expr(*sub.value)), index: Box::new(index) }
            }
            ast::Expr::JoinedStr(joined) => ExprKind::FString(self.fstring_parts(joined.values)),
            ast::Expr::FormattedValue(_) => ExprKind::FString(self.fstring_parts(vec![expr_placeholder(span)])),
            ast::Expr::Lambda(lambda) => {
                let args = *lambda.args;
                if args.vararg.is_some()
                    || args.kwarg.is_some()
                    || !args.kwonlyargs.is_empty()
                    || args.args.iter().chain(&args.posonlyargs).any(|a| a.default.is_some())
                {
                    self.unsupported(
                        span,
                        "a lambda with defaults, `*args` or keyword-only parameters",
                        "use plain parameters: `lambda x: ...`",
                    );
                    return Self::error_expr(span);
                }
                let params = args.posonlyargs.into_iter().chain(args.args).map(|a| a.def.arg.to_string()).collect();
                ExprKind::Lambda { params, body: Box::new(self.expr(*lambda.body)) }
            }
            ast::Expr::ListComp(comp) => {
                let generators = self.comprehensions(comp.generators);
                ExprKind::ListComp { elt: Box::new(self.expr(*comp.elt)), generators }
            }
            ast::Expr::GeneratorExp(comp) => {
                let generators = self.comprehensions(comp.generators);
                ExprKind::GeneratorExp { elt: Box::new(self.expr(*comp.elt)), generators }
            }
            ast::Expr::DictComp(comp) => {
                let generators = self.comprehensions(comp.generators);
                ExprKind::DictComp {
                    key: Box::new(self.expr(*comp.key)),
                    value: Box::new(self.expr(*comp.value)),
                    generators,
                }
            }
            ast::Expr::SetComp(comp) => {
                let generators = self.comprehensions(comp.generators);
                ExprKind::SetComp { elt: Box::new(self.expr(*comp.elt)), generators }
            }
            ast::Expr::Dict(dict) => {
                let mut keys = Vec::new();
                for key in dict.keys {
                    match key {
                        Some(key) => keys.push(self.expr(key)),
                        None => {
                            self.unsupported(span, "`**` unpacking in a dict display", "merge with `d.update(other)`");
                            return Self::error_expr(span);
                        }
                    }
                }
                ExprKind::Dict { keys, values: self.exprs(dict.values) }
            }
            ast::Expr::Set(set) => ExprKind::Set(self.exprs(set.elts)),
            ast::Expr::NamedExpr(_) => {
                self.unsupported(span, "the walrus operator `:=`", "assign the value on its own line first");
                return Self::error_expr(span);
            }
            ast::Expr::Yield(y) => ExprKind::Yield(y.value.map(|v| Box::new(self.expr(*v)))),
            ast::Expr::YieldFrom(y) => ExprKind::YieldFrom(Box::new(self.expr(*y.value))),
            ast::Expr::Await(_) => {
                self.unsupported(span, "`await`", "write a plain function; use `prange` for parallel work");
                return Self::error_expr(span);
            }
            ast::Expr::Starred(_) => {
                self.unsupported(span, "a starred expression", "unpack into a fixed number of names");
                return Self::error_expr(span);
            }
            ast::Expr::Slice(_) => {
                self.unsupported(span, "a slice outside of `[...]`", "write the slice inside a subscript: `xs[a:b]`");
                return Self::error_expr(span);
            }
        };
        Expr { kind, span }
    }

    fn comprehensions(&mut self, generators: Vec<ast::Comprehension>) -> Vec<Comprehension> {
        generators
            .into_iter()
            .map(|generator| {
                if generator.is_async {
                    self.unsupported(span_of(&generator.iter), "`async for`", "use a plain `for`");
                }
                Comprehension {
                    target: self.expr(generator.target),
                    iter: self.expr(generator.iter),
                    ifs: self.exprs(generator.ifs),
                }
            })
            .collect()
    }

    fn fstring_parts(&mut self, values: Vec<ast::Expr>) -> Vec<FStringPart> {
        let mut parts = Vec::new();
        for value in values {
            match value {
                ast::Expr::Constant(ast::ExprConstant { value: Constant::Str(text), .. }) => {
                    parts.push(FStringPart::Literal(text))
                }
                ast::Expr::FormattedValue(formatted) => {
                    let spec = match formatted.format_spec {
                        None => None,
                        Some(spec) => {
                            let spec_span = span_of(spec.as_ref());
                            match *spec {
                                ast::Expr::JoinedStr(joined) => {
                                    let mut text = String::new();
                                    let mut nested = false;
                                    for piece in joined.values {
                                        match piece {
                                            ast::Expr::Constant(ast::ExprConstant {
                                                value: Constant::Str(s), ..
                                            }) => text.push_str(&s),
                                            _ => nested = true,
                                        }
                                    }
                                    if nested {
                                        self.unsupported(
                                            spec_span,
                                            "a computed format spec (`{x:{width}}`)",
                                            "write the spec as a literal, e.g. `{x:>8.3f}`",
                                        );
                                    }
                                    Some((text, spec_span))
                                }
                                ast::Expr::Constant(ast::ExprConstant { value: Constant::Str(s), .. }) => {
                                    Some((s, spec_span))
                                }
                                _ => None,
                            }
                        }
                    };
                    let conversion = formatted.conversion.to_char();
                    parts.push(FStringPart::Value { value: self.expr(*formatted.value), conversion, spec });
                }
                other => {
                    let value = self.expr(other);
                    parts.push(FStringPart::Value { value, conversion: None, spec: None });
                }
            }
        }
        parts
    }
}

/// A dummy `None` constant standing in for a bare `FormattedValue` (the parser never produces
/// one outside a `JoinedStr`).
fn expr_placeholder(span: Span) -> ast::Expr {
    let range = rustpython_parser::text_size::TextRange::new(span.start.into(), span.end.into());
    ast::Expr::Constant(ast::ExprConstant { range, value: Constant::None, kind: None })
}

/// Span of the function name in `def name(...)`, found in the text after the decorators.
fn function_name_span(source: &str, stmt_start: u32, name: &str) -> Span {
    keyword_name_span(source, stmt_start, "def", name)
}

/// Span of the name after `keyword` (`def name`, `class Name`), skipping decorators.
fn keyword_name_span(source: &str, stmt_start: u32, keyword: &str, name: &str) -> Span {
    let from = stmt_start as usize;
    let text = source.get(from..).unwrap_or("");
    let mut search = 0;
    while let Some(pos) = text[search..].find(keyword) {
        let after = search + pos + keyword.len();
        let rest = &text[after..];
        let trimmed = rest.trim_start();
        if rest.len() != trimmed.len() && trimmed.starts_with(name) {
            let start = (from + after + (rest.len() - trimmed.len())) as u32;
            return Span::new(start, start + name.len() as u32);
        }
        search = after;
    }
    Span::new(stmt_start, stmt_start + keyword.len() as u32)
}
