//! Names Python gives a meaning to without a definition in the file: its builtins, the built-in
//! exception classes a program can name, and how many dimensions an array parameter's uses in a
//! body need. Plain facts about syntax, used by declarations and by bodies alike.

use crate::syntax::{self, ExprKind as S};

/// Python builtins (pyrsc compiles many of them; the rest are reported as unsupported).
pub const PYTHON_BUILTINS: &[&str] = &[
    "print", "len", "range", "abs", "min", "max", "int", "float", "str", "bool", "sum", "round", "divmod", "pow",
    "repr", "list", "tuple", "dict", "set", "sorted", "reversed", "enumerate", "zip", "map", "filter", "any", "all",
    "open", "input", "isinstance", "type", "ord", "chr", "hash", "id", "iter", "next", "exec", "eval", "compile",
    "globals", "locals", "vars", "getattr", "setattr", "hasattr", "object", "super", "format",
];

/// Python builtins that exist but are not values in pyrsc.
pub fn is_python_builtin(name: &str) -> bool {
    PYTHON_BUILTINS.contains(&name)
}

/// The built-in exception classes a program can name (runtime `ExcKind` variants).
pub const EXCEPTION_CLASSES: &[&str] = &[
    "BaseException", "Exception", "ArithmeticError", "LookupError", "ZeroDivisionError", "OverflowError", "IndexError",
    "KeyError", "ValueError", "TypeError", "NameError", "UnboundLocalError", "RuntimeError", "RecursionError",
    "NotImplementedError", "AssertionError", "StopIteration", "EOFError", "OSError", "FileNotFoundError", "SystemExit",
    "AttributeError", "MemoryError", "ConnectionError", "BrokenPipeError",
];

/// How many dimensions the body's uses of array `name` need: the most indices in one subscript
/// `name[i, j]`, `k + 1` for `name.shape[k]`, or `n` for `a, b = name.shape`. `None` when the
/// body does none of these.
pub fn ndim_from_uses(body: &[syntax::Stmt], name: &str) -> Option<u8> {
    let mut best: Option<u8> = unpacked_shape(body, name);
    syntax::visit_exprs(body, &mut |e| {
        let found = match &e.kind {
            S::Subscript { value, index } if matches!(&value.kind, S::Name(n) if n == name) => match &index.kind {
                S::Tuple(items) => Some(items.len()),
                S::Slice { .. } => None,
                _ => Some(1),
            },
            S::Subscript { value, index } => match (&value.kind, &index.kind) {
                (S::Attribute { value: base, attr }, S::Int(k))
                    if attr == "shape" && matches!(&base.kind, S::Name(n) if n == name) =>
                {
                    usize::try_from(*k).ok().map(|k| k + 1)
                }
                _ => None,
            },
            _ => None,
        };
        if let Some(n) = found {
            let n = n.min(u8::MAX as usize) as u8;
            best = Some(best.map_or(n, |b| b.max(n)));
        }
    });
    best
}

/// `h, w = name.shape` anywhere in `stmts`: the number of names.
fn unpacked_shape(stmts: &[syntax::Stmt], name: &str) -> Option<u8> {
    let mut found = None;
    for stmt in stmts {
        let inner = match &stmt.kind {
            syntax::StmtKind::Assign { targets, value } => {
                let is_shape = matches!(&value.kind, S::Attribute { value: base, attr } if attr == "shape" && matches!(&base.kind, S::Name(n) if n == name));
                targets.iter().find_map(|t| match &t.kind {
                    S::Tuple(items) if is_shape => Some(items.len().min(u8::MAX as usize) as u8),
                    _ => None,
                })
            }
            syntax::StmtKind::If { body, orelse, .. }
            | syntax::StmtKind::While { body, orelse, .. }
            | syntax::StmtKind::For { body, orelse, .. } => {
                unpacked_shape(body, name).or_else(|| unpacked_shape(orelse, name))
            }
            syntax::StmtKind::Try { .. } | syntax::StmtKind::With { .. } => {
                stmt.kind.try_blocks().into_iter().filter_map(|b| unpacked_shape(b, name)).max()
            }
            _ => None,
        };
        found = found.max(inner);
    }
    found
}
