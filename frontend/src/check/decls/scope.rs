//! Names and variables: the module scope (functions, globals, imports, signatures) built before
//! checking, and the per-function state (locals, definite assignment, loop nesting).

use std::collections::{HashMap, HashSet};

use super::annotation::{parse_annotation, AnnotationNames};
use crate::builtins;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{FuncId, GlobalId};
use crate::span::{LineIndex, Span};
use crate::syntax::{self, ExprKind, StmtKind};
use crate::types::Type;

/// What a module-level name refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum ModuleName {
    Function(FuncId),
    Global(GlobalId),
    /// `import math` / `import sys`.
    Module(&'static str),
    /// A function or constant of a table module imported by name (`from math import sqrt`), by
    /// the table's own name.
    Imported(builtins::Module, &'static str),
    /// `from pyrsc import prange`.
    Prange,
    /// `from pyrsc import pmap`.
    Pmap,
    /// `from typing import List` and friends (annotations only).
    Typing(&'static str),
    /// A user class (index into `ModuleScope::classes`).
    Class(u32),
    /// `from dataclasses import dataclass` / `field`.
    Dataclasses(&'static str),
}

#[derive(Clone, Debug)]
pub struct ParamSig {
    pub name: String,
    pub ty: Type,
    pub default: Option<syntax::Expr>,
    /// The default is evaluated afresh for each call (a dataclass `default_factory`).
    pub fresh: bool,
}

#[derive(Clone, Debug)]
pub struct Signature {
    pub name: String,
    pub params: Vec<ParamSig>,
    pub ret: Type,
    /// A generator function (its body has `yield`): calling it makes a generator.
    pub generator: bool,
}

#[derive(Clone, Debug)]
pub struct GlobalInfo {
    pub name: String,
    pub declared: Option<Type>,
    /// Its annotation was rejected (already reported): nothing more is said about its type.
    pub rejected: bool,
}

/// Everything known about module-level names before bodies are checked.
pub struct ModuleScope {
    pub names: HashMap<String, ModuleName>,
    /// Module functions, then methods, then dispatchers (indexed by `FuncId`).
    pub signatures: Vec<Signature>,
    pub globals: Vec<GlobalInfo>,
    pub classes: Vec<super::classes::ClassInfo>,
    /// Every method body to check (user-written or generated), in `FuncId` order.
    pub methods: Vec<super::classes::MethodDef>,
    /// (class defining a method, method name) → the dispatcher calls on that class go through.
    pub dispatchers: HashMap<(u32, String), FuncId>,
    /// The dispatchers in `FuncId` order: (function, defining class, method name).
    pub dispatcher_funcs: Vec<(FuncId, u32, String)>,
    /// Which attributes each function may store (for narrowing `x.attr`).
    pub field_stores: super::field_stores::FieldStores,
    /// Every field name of every class (narrowing facts name fields by index here).
    pub field_names: Vec<String>,
}

impl AnnotationNames for ModuleScope {
    fn typing_name(&self, name: &str) -> Option<&'static str> {
        match self.names.get(name) {
            Some(ModuleName::Typing(t)) => Some(t),
            _ => None,
        }
    }

    fn numpy_name(&self, name: &str) -> Option<&'static str> {
        match self.names.get(name) {
            Some(ModuleName::Module(m @ ("numpy" | "numpy.typing"))) => Some(m),
            Some(ModuleName::Typing("NDArray")) => Some("NDArray"),
            _ => None,
        }
    }

    fn class(&self, name: &str) -> Option<Type> {
        match self.names.get(name) {
            Some(ModuleName::Class(id)) => Some(self.class_type(*id)),
            _ => None,
        }
    }
}

const TYPING_NAMES: &[&str] =
    &["List", "Tuple", "Optional", "Dict", "Set", "Any", "Callable", "Iterator", "Iterable", "Generator"];

impl ModuleScope {
    pub fn build(module: &syntax::Module, _lines: &LineIndex) -> (ModuleScope, Vec<Diagnostic>) {
        let mut scope = ModuleScope {
            names: HashMap::new(),
            signatures: Vec::new(),
            globals: Vec::new(),
            classes: Vec::new(),
            methods: Vec::new(),
            dispatchers: HashMap::new(),
            dispatcher_funcs: Vec::new(),
            field_stores: Default::default(),
            field_names: Vec::new(),
        };
        let mut diagnostics = Vec::new();
        // Imports first, so that annotations can use typing names wherever they are imported.
        for stmt in &module.body {
            scope.import(stmt, &mut diagnostics);
        }
        let mut assigned = Vec::new();
        collect_assigned(&module.body, &mut assigned);
        // Class names before any signature, so that annotations can name them.
        scope.declare_classes(module, &mut diagnostics);
        for stmt in &module.body {
            if let StmtKind::FunctionDef(def) = &stmt.kind {
                if scope.names.contains_key(&def.name) {
                    diagnostics.push(
                        Diagnostic::new(Code::Unsupported, def.name_span, format!("`{}` is defined twice", def.name))
                            .label("second definition")
                            .help("give each function its own name"),
                    );
                    continue;
                }
                let id = FuncId(scope.signatures.len() as u32);
                let signature = scope.signature(def, &mut diagnostics);
                scope.signatures.push(signature);
                scope.names.insert(def.name.clone(), ModuleName::Function(id));
            }
        }
        // Methods after the module functions: `FuncId`s follow the order bodies are checked in.
        scope.collect_class_members(module, &mut diagnostics);
        let mut declared = Declared::default();
        collect_declared(&module.body, &scope, &mut declared, &mut diagnostics);
        for (name, span) in assigned {
            match scope.names.get(&name) {
                Some(ModuleName::Global(_)) => {}
                Some(ModuleName::Function(_)) => diagnostics.push(
                    Diagnostic::new(
                        Code::Unsupported,
                        span,
                        format!("`{name}` is a function and cannot be reassigned"),
                    )
                    .label("assigned here")
                    .help("use a different name for the variable"),
                ),
                Some(_) => diagnostics.push(
                    Diagnostic::new(
                        Code::Unsupported,
                        span,
                        format!("`{name}` is an imported name and cannot be reassigned"),
                    )
                    .label("assigned here")
                    .help("use a different name for the variable"),
                ),
                None => {
                    let id = GlobalId(scope.globals.len() as u32);
                    scope.globals.push(GlobalInfo {
                        declared: declared.types.get(&name).cloned(),
                        rejected: declared.rejected.contains(&name),
                        name: name.clone(),
                    });
                    scope.names.insert(name, ModuleName::Global(id));
                }
            }
        }
        for stmt in &module.body {
            match &stmt.kind {
                StmtKind::FunctionDef(def) => {
                    reject_function_decorators(def, &|name| scope.names.contains_key(name), &mut diagnostics)
                }
                StmtKind::ClassDef(_) => {}
                other => reject_conditional_defs(other, &mut diagnostics),
            }
        }
        scope.field_stores = super::field_stores::FieldStores::build(module, &scope);
        let mut field_names: Vec<String> =
            scope.classes.iter().flat_map(|c| c.fields.iter().map(|f| f.name.clone())).collect();
        field_names.sort();
        field_names.dedup();
        scope.field_names = field_names;
        (scope, diagnostics)
    }

    fn import(&mut self, stmt: &syntax::Stmt, diagnostics: &mut Vec<Diagnostic>) {
        match &stmt.kind {
            StmtKind::Import(names) => {
                for import in names {
                    let module = match import.name.as_str() {
                        "math" => "math",
                        "sys" => "sys",
                        "numpy" => "numpy",
                        "numpy.typing" => "numpy.typing",
                        "os" | "os.path" => "os",
                        "dataclasses" => "dataclasses",
                        "typing" | "pyrsc" | "__future__" => continue,
                        other => {
                            diagnostics.push(unsupported_module(other, import.span));
                            continue;
                        }
                    };
                    // `import os.path` binds `os`, as in Python.
                    let bound = import.alias.clone().unwrap_or_else(|| {
                        if module == "os" {
                            "os".to_owned()
                        } else {
                            import.name.clone()
                        }
                    });
                    self.names.insert(bound, ModuleName::Module(module));
                }
            }
            StmtKind::ImportFrom { module, names } => {
                for import in names {
                    let bound = import.alias.clone().unwrap_or_else(|| import.name.clone());
                    let meaning = match module.as_str() {
                        "math" | "sys" | "os" | "os.path" => {
                            let table = builtins::Module::from_name(module).unwrap_or(builtins::Module::Math);
                            let name = builtins::member(table, &import.name)
                                .map(|key| match key {
                                    builtins::Key::Member(_, name) => name,
                                    _ => "",
                                })
                                .or_else(|| {
                                    builtins::constant(table, &import.name).map(|i| builtins::CONSTANTS[i].name)
                                });
                            let Some(name) = name else {
                                diagnostics.push(
                                    Diagnostic::new(
                                        Code::UnsupportedImport,
                                        import.span,
                                        format!("`{module}.{}` is not supported by pyrsc", import.name),
                                    )
                                    .label("not available")
                                    .help(builtins::members_help(table)),
                                );
                                continue;
                            };
                            ModuleName::Imported(table, name)
                        }
                        "numpy.typing" | "pyrsc" if import.name == "NDArray" => ModuleName::Typing("NDArray"),
                        "numpy" if import.name == "typing" => ModuleName::Module("numpy.typing"),
                        "pyrsc" if import.name == "prange" => ModuleName::Prange,
                        "pyrsc" if import.name == "pmap" => ModuleName::Pmap,
                        "typing" => match TYPING_NAMES.iter().find(|t| **t == import.name) {
                            Some(name) => ModuleName::Typing(name),
                            None => {
                                diagnostics.push(
                                    Diagnostic::new(
                                        Code::UnsupportedImport,
                                        import.span,
                                        format!("`typing.{}` is not supported by pyrsc", import.name),
                                    )
                                    .label("not available")
                                    .help("use the built-in generics: list[int], tuple[int, float]"),
                                );
                                continue;
                            }
                        },
                        "collections.abc" => {
                            match ["Iterator", "Iterable", "Generator"].iter().find(|t| **t == import.name) {
                                Some(name) => ModuleName::Typing(name),
                                None => {
                                    diagnostics.push(unsupported_module("collections.abc", import.span));
                                    continue;
                                }
                            }
                        }
                        "dataclasses" if import.name == "dataclass" => ModuleName::Dataclasses("dataclass"),
                        "dataclasses" if import.name == "field" => ModuleName::Dataclasses("field"),
                        "__future__" => continue,
                        other => {
                            diagnostics.push(unsupported_module(other, import.span));
                            continue;
                        }
                    };
                    self.names.insert(bound, meaning);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn signature(&self, def: &syntax::FunctionDef, diagnostics: &mut Vec<Diagnostic>) -> Signature {
        let mut params = Vec::new();
        for param in &def.params {
            let ty = match &param.annotation {
                Some(annotation) => parse_annotation(annotation, self).unwrap_or_else(|d| {
                    diagnostics.push(d);
                    Type::Unknown
                }),
                None => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::MissingAnnotation,
                            param.span,
                            format!("parameter `{}` has no type annotation", param.name),
                        )
                        .label("annotation needed")
                        .help(format!("annotate it, e.g. `{}: int` or `{}: float`", param.name, param.name)),
                    );
                    Type::Unknown
                }
            };
            // An array parameter has as many dimensions as the body indexes it with.
            let ty = match ty {
                Type::Array(dtype, 0) => {
                    Type::Array(dtype, super::names::ndim_from_uses(&def.body, &param.name).unwrap_or(1))
                }
                other => other,
            };
            params.push(ParamSig { name: param.name.clone(), ty, default: param.default.clone(), fresh: false });
        }
        let ret = match &def.returns {
            Some(annotation) => match parse_annotation(annotation, self) {
                Ok(other) if syntax::contains_yield(&def.body) && !matches!(other, Type::Iterator(_)) => {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::TypeMismatch,
                            annotation.span,
                            format!("generator `{}` must be annotated `-> Iterator[T]`", def.name),
                        )
                        .label("a generator function")
                        .help("annotate what it yields: `-> Iterator[int]` (from typing or collections.abc)"),
                    );
                    Type::Unknown
                }
                Ok(ty) => ty,
                Err(d) => {
                    diagnostics.push(d);
                    Type::Unknown
                }
            },
            None => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::MissingAnnotation,
                        def.name_span,
                        format!("function `{}` has no return annotation", def.name),
                    )
                    .label("return type needed")
                    .help("annotate the return type, e.g. `-> int`, or `-> None` when it returns nothing"),
                );
                Type::Unknown
            }
        };
        Signature { name: def.name.clone(), params, ret, generator: syntax::contains_yield(&def.body) }
    }
}

fn unsupported_module(module: &str, span: Span) -> Diagnostic {
    Diagnostic::new(Code::UnsupportedImport, span, format!("module `{module}` is not supported by pyrsc"))
        .label("cannot be compiled")
        .help("pyrsc compiles one file using math, sys, typing, numpy (arrays) and pyrsc; move other imports out of the compiled file")
}

/// Names assigned by `stmts` (not descending into function definitions), in source order.
pub fn collect_assigned(stmts: &[syntax::Stmt], out: &mut Vec<(String, Span)>) {
    fn target(expr: &syntax::Expr, out: &mut Vec<(String, Span)>) {
        match &expr.kind {
            ExprKind::Name(name) if !out.iter().any(|(n, _)| n == name) => out.push((name.clone(), expr.span)),
            ExprKind::Name(_) => {}
            ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().for_each(|i| target(i, out)),
            _ => {}
        }
    }
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            StmtKind::AnnAssign { target: t, value, .. } => {
                // A bare `x: int` declares without assigning, but still makes `x` a variable.
                let _ = value;
                target(t, out)
            }
            StmtKind::AugAssign { target: t, .. } => target(t, out),
            StmtKind::For { target: t, body, orelse, .. } => {
                target(t, out);
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            StmtKind::While { body, orelse, .. } | StmtKind::If { body, orelse, .. } => {
                collect_assigned(body, out);
                collect_assigned(orelse, out);
            }
            StmtKind::Try { .. } => stmt.kind.try_blocks().into_iter().for_each(|b| collect_assigned(b, out)),
            StmtKind::With { items, body } => {
                items.iter().filter_map(|(_, t)| t.as_ref()).for_each(|t| target(t, out));
                collect_assigned(body, out);
            }
            _ => {}
        }
    }
}

/// Names bound by nested `def`s and declared `nonlocal` in a function body (not descending into
/// the nested functions themselves).
pub fn collect_defs_and_nonlocals(
    stmts: &[syntax::Stmt],
    defs: &mut Vec<(String, Span)>,
    nonlocals: &mut Vec<(String, Span)>,
) {
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::FunctionDef(def) => defs.push((def.name.clone(), def.name_span)),
            StmtKind::Nonlocal(names) => nonlocals.extend(names.iter().map(|n| (n.clone(), stmt.span))),
            StmtKind::For { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::If { body, orelse, .. } => {
                collect_defs_and_nonlocals(body, defs, nonlocals);
                collect_defs_and_nonlocals(orelse, defs, nonlocals);
            }
            StmtKind::Try { .. } | StmtKind::With { .. } => {
                stmt.kind.try_blocks().into_iter().for_each(|b| collect_defs_and_nonlocals(b, defs, nonlocals))
            }
            _ => {}
        }
    }
}

/// Annotated variable declarations (`x: float = 0`) in `stmts`.
/// A `def` or `class` inside a module-level `if`, loop, `try` or `with`: functions and classes
/// are collected from the top level only, so such a definition would be silently missing.
fn reject_conditional_defs(stmt: &StmtKind, diagnostics: &mut Vec<Diagnostic>) {
    let mut blocks = stmt.try_blocks();
    if let StmtKind::If { body, orelse, .. }
    | StmtKind::While { body, orelse, .. }
    | StmtKind::For { body, orelse, .. } = stmt
    {
        blocks.extend([body.as_slice(), orelse.as_slice()]);
    }
    for inner in blocks.into_iter().flatten() {
        let (what, span) = match &inner.kind {
            StmtKind::FunctionDef(def) => ("function", def.name_span),
            StmtKind::ClassDef(class) => ("class", class.name_span),
            other => {
                reject_conditional_defs(other, diagnostics);
                continue;
            }
        };
        diagnostics.push(
            Diagnostic::new(
                Code::Unsupported,
                span,
                format!("a {what} defined inside a module-level `if`, loop, `try` or `with` is not supported by pyrsc"),
            )
            .label(format!("conditional {what}"))
            .help(format!("define the {what} at the top level of the file")),
        );
    }
}

/// The decorators of a `def` outside a class body (module level or nested): pyrsc honours none
/// there, so each one is an error (CPython would call it and bind the function's name to the
/// result). `defined` says whether a name is bound where the function is.
pub fn reject_function_decorators(
    def: &syntax::FunctionDef,
    defined: &dyn Fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for decorator in &def.decorators {
        let name = match &decorator.kind {
            ExprKind::Name(name) if !defined(name) => Some(name.as_str()),
            _ => None,
        };
        let diagnostic = match name {
            Some(n @ ("property" | "staticmethod" | "classmethod")) => Diagnostic::new(
                Code::Unsupported,
                decorator.span,
                format!("`@{n}` on a function outside a class body is not supported by pyrsc"),
            )
            .label("not in a class body")
            .help(format!("define `{}` as a method in a class body, or drop the decorator", def.name)),
            Some(n) if !super::names::is_python_builtin(n) => {
                Diagnostic::new(Code::UndefinedName, decorator.span, format!("name `{n}` is not defined"))
                    .label("not defined")
                    .help("define the decorator above the function, or drop it")
            }
            _ => {
                let applied = match &decorator.kind {
                    ExprKind::Name(n) => n.clone(),
                    ExprKind::Attribute { value, attr } => match &value.kind {
                        ExprKind::Name(v) => format!("{v}.{attr}"),
                        _ => "decorator".to_owned(),
                    },
                    _ => "decorator".to_owned(),
                };
                Diagnostic::new(Code::Unsupported, decorator.span, "decorators on functions are not supported by pyrsc")
                    .label("decorator")
                    .help(format!(
                        "apply it by hand: define the function as `_{0}` without the decorator, then write `{0} = {applied}(_{0})`",
                        def.name
                    ))
            }
        };
        diagnostics.push(diagnostic);
    }
}

/// The annotated variables of a body: their types, and the names whose annotation was rejected.
#[derive(Default)]
pub struct Declared {
    pub types: HashMap<String, Type>,
    pub rejected: HashSet<String>,
}

pub fn collect_declared(
    stmts: &[syntax::Stmt],
    names: &dyn AnnotationNames,
    out: &mut Declared,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::AnnAssign { target, annotation, .. } => {
                if let ExprKind::Name(name) = &target.kind {
                    match parse_annotation(annotation, names) {
                        // An array variable's dimensions: from its uses here, else from the
                        // first array assigned to it (the checker's widening).
                        Ok(Type::Array(dtype, 0)) if super::names::ndim_from_uses(stmts, name).is_some() => {
                            out.types.insert(
                                name.clone(),
                                Type::Array(dtype, super::names::ndim_from_uses(stmts, name).unwrap_or(1)),
                            );
                        }
                        Ok(ty) => match out.types.get(name) {
                            Some(previous) if *previous != ty => diagnostics.push(
                                Diagnostic::new(
                                    Code::TypeMismatch,
                                    annotation.span,
                                    format!("`{name}` was already declared as {previous}"),
                                )
                                .label(format!("declared again as {ty}"))
                                .help("a variable keeps one type; use a new name for the other value"),
                            ),
                            _ => {
                                out.types.insert(name.clone(), ty);
                            }
                        },
                        Err(diagnostic) => {
                            diagnostics.push(diagnostic);
                            out.rejected.insert(name.clone());
                        }
                    }
                }
            }
            StmtKind::For { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::If { body, orelse, .. } => {
                collect_declared(body, names, out, diagnostics);
                collect_declared(orelse, names, out, diagnostics);
            }
            StmtKind::Try { .. } | StmtKind::With { .. } => {
                stmt.kind.try_blocks().into_iter().for_each(|b| collect_declared(b, names, out, diagnostics))
            }
            _ => {}
        }
    }
}
