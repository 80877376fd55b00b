//! What an extension module exports: the public functions (no leading underscore, or exactly
//! `__all__` when the module defines it) with their parameters, defaults, docstrings and text
//! signatures, and the module-level constants. A stage after checking, run only when the file
//! is compiled with `pyrsc build --module`.
//!
//! Python callers can pass anything, so every parameter of an exported function must be
//! annotated with a type that converts from a Python object (numbers, `str`, `bool`, `None`,
//! optionals, lists, tuples, dicts, sets and NumPy arrays) and the result must convert back;
//! anything else is a diagnostic at the offending annotation.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{self, DefaultValue, Export, ExportParam, Extension, GlobalStorage, Literal};
use crate::syntax::{self, ExprKind as S, StmtKind};
use crate::types::Type;

/// The most parameters an exported function takes (the runtime's argument table).
pub const MAX_PARAMS: usize = 32;

/// Fills `module.extension` for the module `name`, or reports what cannot be exported.
pub fn collect(
    syntax: &syntax::Module,
    module: &mut ir::Module,
    name: &str,
    source: &str,
) -> Result<(), Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let all = dunder_all(syntax);
    let public = |n: &str| match &all {
        Some(names) => names.iter().any(|a| a == n),
        None => !n.starts_with('_'),
    };
    let mutated = crate::exports_mutation::mutated_params(module);
    let foreign = crate::exports_mutation::mutates_foreign(module);
    let mut functions = Vec::new();
    for stmt in &syntax.body {
        let StmtKind::FunctionDef(def) = &stmt.kind else { continue };
        if !public(&def.name) {
            continue;
        }
        let Some(index) = module.functions.iter().position(|f| f.name == def.name) else { continue };
        let effects = Effects { mutated: &mutated, foreign: foreign[index] };
        if let Some(export) = export_function(def, index, &module.functions[index], source, &effects, &mut diagnostics)
        {
            functions.push(export);
        }
    }
    arrays_stay_in_the_call(module, &mut diagnostics);
    let mut constants = Vec::new();
    for (index, global) in module.globals.iter_mut().enumerate() {
        if global.name == "__all__" || !public(&global.name) || !exportable_top(&global.ty) {
            continue;
        }
        if functions.iter().any(|f: &Export| f.name == global.name) {
            continue;
        }
        // The module object reads it after the top-level code ran.
        if global.storage == GlobalStorage::ModuleLocal {
            global.storage = GlobalStorage::Static;
        }
        constants.push(ir::GlobalId(index as u32));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    module.extension = Some(Extension {
        name: name.to_owned(),
        doc: docstring(&syntax.body).unwrap_or_default(),
        functions,
        constants,
    });
    Ok(())
}

/// What the mutation analysis says about the module's functions.
struct Effects<'a> {
    mutated: &'a [Vec<bool>],
    /// The exported function may change a container it did not create.
    foreign: bool,
}

fn export_function(
    def: &syntax::FunctionDef,
    index: usize,
    function: &ir::Function,
    source: &str,
    effects: &Effects,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Export> {
    let before = diagnostics.len();
    if def.params.len() > MAX_PARAMS {
        diagnostics.push(
            Diagnostic::new(
                Code::Unsupported,
                def.name_span,
                format!("exported function `{}` has more than {MAX_PARAMS} parameters", def.name),
            )
            .label("too many parameters")
            .help("pass related values together in a tuple or a list"),
        );
    }
    let mut params = Vec::new();
    let mut signature = Vec::new();
    for (param, local) in def.params.iter().zip(&function.params) {
        let ty = &function.local(*local).ty;
        // (A parameter without an annotation was already rejected by the checker.)
        match &param.annotation {
            Some(annotation) if !exportable_top(ty) => diagnostics.push(
                Diagnostic::new(Code::Unsupported, annotation.span, format!("a {ty} cannot be passed in from Python"))
                    .label("not convertible from a Python object")
                    .help(format!("use numbers, str, bool, lists, tuples, dicts, sets or NumPy arrays in the signature of `{}`, or make it private (`_{}`)", def.name, def.name)),
            ),
            _ => {}
        }
        let write_back = writes_back(function, *local, effects);
        if write_back && crate::exports_mutation::rebound(function, *local) {
            diagnostics.push(
                Diagnostic::new(
                    Code::Unsupported,
                    param.span,
                    format!(
                        "exported function `{}` both reassigns `{}` and may change the {} passed in",
                        def.name, param.name, ty
                    ),
                )
                .label("Python callers could not tell which object changed")
                .help(format!("work on a copy under another name, e.g. `{0}_copy = {0}.copy()`", param.name)),
            );
        }
        let default = param.default.as_ref().map(default_value);
        let mut text = param.name.clone();
        if let Some(expr) = &param.default {
            text.push('=');
            text.push_str(source.get(expr.span.start as usize..expr.span.end as usize).unwrap_or("..."));
        }
        signature.push(text);
        params.push(ExportParam { name: param.name.clone(), default: default.flatten(), write_back });
    }
    if !exportable_top(&function.ret) {
        let span = def.returns.as_ref().map(|r| r.span).unwrap_or(def.name_span);
        diagnostics.push(
            Diagnostic::new(
                Code::Unsupported,
                span,
                format!(
                    "exported function `{}` returns a {}, which cannot be passed to Python",
                    def.name, function.ret
                ),
            )
            .label("not convertible to a Python object")
            .help("return numbers, str, bool, None, lists, tuples, dicts, sets or NumPy arrays"),
        );
    }
    if diagnostics.len() > before {
        return None;
    }
    let mut doc = format!("{}({})\n--\n\n", def.name, signature.join(", "));
    if let Some(text) = docstring(&def.body) {
        doc.push_str(&text);
    }
    Some(Export { func: ir::FuncId(index as u32), name: def.name.clone(), doc, params })
}

/// A container argument arrives as a copy: write it back into the caller's object after the
/// call when the function may have changed it (a nested container whenever the function may
/// change any container it did not build).
fn writes_back(function: &ir::Function, param: ir::LocalId, effects: &Effects) -> bool {
    let ty = &function.local(param).ty;
    if !crate::exports_mutation::is_container(ty) {
        return false;
    }
    let nested = match ty {
        Type::List(elem) | Type::Set(elem) => has_container(elem),
        Type::Dict(_, value) => has_container(value),
        _ => false,
    };
    crate::exports_mutation::may_mutate(function, param, effects.mutated, true) || (nested && effects.foreign)
}

fn has_container(ty: &Type) -> bool {
    match ty {
        Type::List(_) | Type::Dict(..) | Type::Set(_) => true,
        Type::Tuple(items) => items.iter().any(has_container),
        Type::VarTuple(elem) | Type::Optional(elem) => has_container(elem),
        _ => false,
    }
}

/// A literal default (the checker accepted only literals), `None` for Python's None.
fn default_value(expr: &syntax::Expr) -> Option<DefaultValue> {
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

/// Types that convert from and to Python objects.
pub fn exportable(ty: &Type) -> bool {
    match ty {
        Type::Int | Type::Float | Type::Num | Type::Bool | Type::Str | Type::None => true,
        Type::List(elem) | Type::Set(elem) | Type::VarTuple(elem) | Type::Optional(elem) => exportable(elem),
        Type::Dict(key, value) => exportable(key) && exportable(value),
        Type::Tuple(items) => !items.is_empty() && items.iter().all(exportable),
        // Arrays cross the boundary as parameters and results only (see `exportable_top`).
        Type::Array(..)
        | Type::Function(..)
        | Type::Range
        | Type::Exception
        | Type::File
        | Type::Object(_)
        | Type::Iterator(_)
        | Type::ExcArgs
        | Type::Unknown => false,
    }
}

/// The type of a parameter, a result or a module constant.
pub fn exportable_top(ty: &Type) -> bool {
    matches!(ty, Type::Array(_, 1..=3)) || exportable(ty)
}

/// `__all__ = ["a", "b"]` (a list or tuple of string literals) at the top level.
fn dunder_all(module: &syntax::Module) -> Option<Vec<String>> {
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
fn docstring(body: &[syntax::Stmt]) -> Option<String> {
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

/// An array argument views the caller's memory only during the call, so no function may keep
/// one in a module-level variable (top-level code, which runs at import, may).
fn arrays_stay_in_the_call(module: &ir::Module, diagnostics: &mut Vec<Diagnostic>) {
    let lines = crate::span::LineIndex::new(&module.source);
    let holds_array = |ty: &Type| ty.contains_array();
    let mut found_in_stmts = Vec::new();
    for f in &module.functions {
        crate::parallel::visit_deep(
            &f.body,
            &mut |stmt| {
                if let ir::Stmt::Assign { target: ir::Target::Global(id), value } = stmt {
                    let global = &module.globals[id.0 as usize];
                    if holds_array(&global.ty) {
                        found_in_stmts.push(
                            Diagnostic::new(Code::Unsupported, lines.span_of(value.loc), format!("a function of an extension module cannot store an array in the module variable `{}`", global.name))
                                .label("the array may be the caller's, valid only during the call")
                                .help("return the array to the caller instead, or create module-level arrays in top-level code"),
                        );
                    }
                }
            },
            &mut |e| {
                if let ir::ExprKind::Global(id) = &e.kind {
                    let global = &module.globals[id.0 as usize];
                    if holds_array(&global.ty) && !matches!(global.ty, Type::Array(..)) {
                        diagnostics.push(
                            Diagnostic::new(Code::Unsupported, lines.span_of(e.loc), format!("a function of an extension module cannot use `{}`, a module-level container of arrays", global.name))
                                .label("could keep a caller's array past the call")
                                .help("pass the arrays as parameters"),
                        );
                    }
                }
            },
        );
    }
    diagnostics.extend(found_in_stmts);
}
