//! What an extension module exports: the public functions (no leading underscore, or exactly
//! `__all__` when the module defines it) with their parameters, defaults, docstrings and text
//! signatures, and the module-level constants. Read off the IR and the facts (which container
//! parameters a function may change) after checking, only when the file is compiled with
//! `pyrsc build --module`.
//!
//! Python callers can pass anything, so every parameter of an exported function must be
//! annotated with a type that converts from a Python object (numbers, `str`, `bool`, `None`,
//! optionals, lists, tuples, dicts, sets and NumPy arrays) and the result must convert back;
//! anything else is a diagnostic at the offending annotation.

use crate::diagnostic::{Code, Diagnostic};
use crate::facts::Facts;
use crate::ir::{self, Export, ExportParam, Extension};
use crate::span::LineIndex;
use crate::types::Type;

/// The most parameters an exported function takes (the runtime's argument table).
pub const MAX_PARAMS: usize = 32;

/// What the extension module `name` exports, or what cannot be exported.
pub fn collect(module: &ir::Module, facts: &Facts, name: &str) -> Result<Extension, Vec<Diagnostic>> {
    let lines = LineIndex::new(&module.source);
    let mut diagnostics = Vec::new();
    // Per function, per parameter: may change the container passed there.
    let mutated: Vec<Vec<bool>> = facts.functions.iter().map(|f| f.mutated_params.clone()).collect();
    let mut functions = Vec::new();
    for (index, function) in module.functions.iter().enumerate() {
        let defined_at_top = function.method_of.is_none() && !function.dispatcher && !function.setter;
        if !defined_at_top || !is_public(&function.name, module.all.as_deref()) {
            continue;
        }
        let id = ir::FuncId(index as u32);
        let foreign = facts.function(id).mutates_foreign;
        if let Some(export) = export_function(id, function, (&mutated, foreign), &lines, &mut diagnostics) {
            functions.push(export);
        }
    }
    arrays_stay_in_the_call(module, &lines, &mut diagnostics);
    let constants = module
        .globals
        .iter()
        .enumerate()
        .filter(|(_, global)| is_exported_constant(&global.name, &global.ty, module.all.as_deref()))
        .filter(|(_, global)| !functions.iter().any(|f: &Export| f.name == global.name))
        .map(|(index, _)| ir::GlobalId(index as u32))
        .collect();
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(Extension { name: name.to_owned(), doc: module.doc.clone().unwrap_or_default(), functions, constants })
}

/// A name Python sees: listed in `__all__` when the module has one, else not `_private`.
pub fn is_public(name: &str, all: Option<&[String]>) -> bool {
    match all {
        Some(names) => names.iter().any(|a| a == name),
        None => !name.starts_with('_'),
    }
}

/// A module variable exported as an attribute of the module object.
pub fn is_exported_constant(name: &str, ty: &Type, all: Option<&[String]>) -> bool {
    name != "__all__" && is_public(name, all) && exportable_top(ty)
}

/// `mutated`: per function, per parameter, whether it may change the container passed there;
/// and whether this function may change containers it did not create.
fn export_function(
    id: ir::FuncId,
    function: &ir::Function,
    mutated: (&[Vec<bool>], bool),
    lines: &LineIndex,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Export> {
    let before = diagnostics.len();
    let name = &function.name;
    let source = &function.source;
    if source.params.len() > MAX_PARAMS {
        diagnostics.push(
            Diagnostic::new(
                Code::Unsupported,
                lines.span_of(function.loc),
                format!("exported function `{name}` has more than {MAX_PARAMS} parameters"),
            )
            .label("too many parameters")
            .help("pass related values together in a tuple or a list"),
        );
    }
    let mut params = Vec::new();
    let mut signature = Vec::new();
    for (param, local) in source.params.iter().zip(&function.params) {
        let ty = &function.local(*local).ty;
        // (A parameter without an annotation was already rejected by the checker.)
        match param.annotation {
            Some(annotation) if !exportable_top(ty) => diagnostics.push(
                Diagnostic::new(Code::Unsupported, lines.span_of(annotation), format!("a {ty} cannot be passed in from Python"))
                    .label("not convertible from a Python object")
                    .help(format!("use numbers, str, bool, lists, tuples, dicts, sets or NumPy arrays in the signature of `{name}`, or make it private (`_{name}`)")),
            ),
            _ => {}
        }
        let write_back = writes_back(function, *local, mutated);
        if write_back && crate::facts::mutation::rebound(function, *local) {
            diagnostics.push(
                Diagnostic::new(
                    Code::Unsupported,
                    lines.span_of(param.loc),
                    format!(
                        "exported function `{name}` both reassigns `{}` and may change the {ty} passed in",
                        param.name
                    ),
                )
                .label("Python callers could not tell which object changed")
                .help(format!("work on a copy under another name, e.g. `{0}_copy = {0}.copy()`", param.name)),
            );
        }
        let mut text = param.name.clone();
        if let Some(default) = &param.default_text {
            text.push('=');
            text.push_str(default);
        }
        signature.push(text);
        params.push(ExportParam { name: param.name.clone(), default: param.default.clone(), write_back });
    }
    if !exportable_top(&function.ret) {
        let at = source.returns.unwrap_or(function.loc);
        diagnostics.push(
            Diagnostic::new(
                Code::Unsupported,
                lines.span_of(at),
                format!("exported function `{name}` returns a {}, which cannot be passed to Python", function.ret),
            )
            .label("not convertible to a Python object")
            .help("return numbers, str, bool, None, lists, tuples, dicts, sets or NumPy arrays"),
        );
    }
    if diagnostics.len() > before {
        return None;
    }
    let mut doc = format!("{name}({})\n--\n\n", signature.join(", "));
    if let Some(text) = &source.doc {
        doc.push_str(text);
    }
    Some(Export { func: id, name: name.clone(), doc, params })
}

/// A container argument arrives as a copy: write it back into the caller's object after the
/// call when the function may have changed it (a nested container whenever the function may
/// change any container it did not build).
fn writes_back(function: &ir::Function, param: ir::LocalId, (mutated, foreign): (&[Vec<bool>], bool)) -> bool {
    let ty = &function.local(param).ty;
    if !crate::facts::mutation::is_container(ty) {
        return false;
    }
    let nested = match ty {
        Type::List(elem) | Type::Set(elem) => has_container(elem),
        Type::Dict(_, value) => has_container(value),
        _ => false,
    };
    crate::facts::mutation::may_mutate(function, param, mutated, true) || (nested && foreign)
}

fn has_container(ty: &Type) -> bool {
    match ty {
        Type::List(_) | Type::Dict(..) | Type::Set(_) => true,
        Type::Tuple(items) => items.iter().any(has_container),
        Type::VarTuple(elem) | Type::Optional(elem) => has_container(elem),
        _ => false,
    }
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

/// An array argument views the caller's memory only during the call, so no function may keep
/// one in a module-level variable (top-level code, which runs at import, may).
fn arrays_stay_in_the_call(module: &ir::Module, lines: &LineIndex, diagnostics: &mut Vec<Diagnostic>) {
    let holds_array = |ty: &Type| ty.contains_array();
    let mut found_in_stmts = Vec::new();
    for f in &module.functions {
        crate::visit::each_node(
            &f.body,
            |stmt: &ir::Stmt| {
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
            |e: &ir::Expr| {
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
