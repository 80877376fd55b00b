//! What the source says about a module and its functions beyond types: docstrings (cleaned as
//! `inspect.cleandoc` does), `__all__`, and each parameter's default as written. The IR keeps
//! them (`Module::doc`, `Module::all`, `Function::source`) for an extension module's exports.

use crate::ir::{DefaultValue, Literal, SourceParam, SourceSignature};
use crate::span::LineIndex;
use crate::syntax::{self, ExprKind as S, StmtKind};

/// The signature of `def` as written (`lines` and `source` are the file's).
pub fn source_signature(def: &syntax::FunctionDef, lines: &LineIndex, source: &str) -> SourceSignature {
    let text = |span: crate::span::Span| source.get(span.start as usize..span.end as usize).unwrap_or("").to_owned();
    let params = def
        .params
        .iter()
        .map(|param| SourceParam {
            name: param.name.clone(),
            loc: lines.loc(param.span),
            annotation: param.annotation.as_ref().map(|a| lines.loc(a.span)),
            default: param.default.as_ref().and_then(default_value),
            default_text: param.default.as_ref().map(|d| text(d.span)),
        })
        .collect();
    SourceSignature { doc: docstring(&def.body), params, returns: def.returns.as_ref().map(|r| lines.loc(r.span)) }
}

/// A literal default (the checker accepted only literals), `None` for Python's None.
pub fn default_value(expr: &syntax::Expr) -> Option<DefaultValue> {
    Some(match &expr.kind {
        S::None => DefaultValue::None,
        S::Int(n) => DefaultValue::Literal(Literal::Int(*n)),
        S::Float(x) => DefaultValue::Literal(Literal::Float(*x)),
        S::Bool(b) => DefaultValue::Literal(Literal::Bool(*b)),
        S::Str(s) => DefaultValue::Literal(Literal::Str(s.clone())),
        S::UnaryOp { op: syntax::UnaryOp::Neg, operand } => match &operand.kind {
            S::Int(n) => DefaultValue::Literal(Literal::Int(n.checked_neg()?)),
            S::Float(x) => DefaultValue::Literal(Literal::Float(-x)),
            _ => return None,
        },
        _ => return None,
    })
}

/// `__all__ = ["a", "b"]` (a list or tuple of string literals) at the top level.
pub fn dunder_all(module: &syntax::Module) -> Option<Vec<String>> {
    module.body.iter().rev().find_map(|stmt| {
        let (targets, value): (Vec<&syntax::Expr>, &syntax::Expr) = match &stmt.kind {
            StmtKind::Assign { targets, value } => (targets.iter().collect(), value),
            StmtKind::AnnAssign { target, value: Some(value), .. } => (vec![target], value),
            _ => return None,
        };
        if !targets.iter().any(|t| matches!(&t.kind, S::Name(n) if n == "__all__")) {
            return None;
        }
        let (S::List(items) | S::Tuple(items)) = &value.kind else { return None };
        items
            .iter()
            .map(|item| match &item.kind {
                S::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    })
}

/// The docstring: a string literal as the first statement of a body, with CPython's
/// indentation cleaning (`inspect.cleandoc`).
pub fn docstring(body: &[syntax::Stmt]) -> Option<String> {
    let first = body.first()?;
    let StmtKind::Expr(expr) = &first.kind else { return None };
    let S::Str(text) = &expr.kind else { return None };
    Some(cleandoc(text))
}

fn cleandoc(text: &str) -> String {
    let text = text.replace('\t', "        ");
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut cleaned: Vec<String> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        cleaned.push(if i == 0 {
            line.trim_start().to_owned()
        } else {
            line.get(indent..).unwrap_or("").trim_end().to_owned()
        });
    }
    while cleaned.first().is_some_and(|l| l.is_empty()) {
        cleaned.remove(0);
    }
    while cleaned.last().is_some_and(|l| l.is_empty()) {
        cleaned.pop();
    }
    cleaned.join("\n")
}
