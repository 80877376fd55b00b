//! The module as a whole: checks the top-level statements (the `<module>` frame), then each
//! function, and decides how every global is stored.

use std::collections::HashMap;

use super::scope::{collect_assigned, collect_declared, collect_defs_and_nonlocals, Declared, ModuleName};
use super::state::FnState;
use super::stmt::{is_inert, literal_of};
use super::{Checker, Var};
use crate::diagnostic::Code;
use crate::ir::{self, FuncId, GlobalId, GlobalStorage, Literal};
use crate::span::Span;
use crate::syntax::{self, ExprKind as S, StmtKind};
use crate::types::Type;

impl Checker<'_> {
    pub fn global_type(&self, id: GlobalId) -> Type {
        let info = &self.scope.globals[id.0 as usize];
        self.inference
            .vars
            .get(&(None, info.name.clone()))
            .cloned()
            .or_else(|| info.declared.clone())
            .unwrap_or(Type::Unknown)
    }

    pub fn check_all(&mut self, module: &syntax::Module, path: &str) -> ir::Module {
        self.global_maybe_unbound = vec![false; self.scope.globals.len()];
        self.f = FnState::placeholder();
        self.f.assignment_counts = Some(std::rc::Rc::new(super::lazy::assignment_counts(&module.body)));
        let body = self.block(&module.body);
        self.flush_pending();
        let module_fn = ir::Function {
            name: "<module>".to_owned(),
            params: Vec::new(),
            locals: std::mem::take(&mut self.f.locals),
            ret: Type::None,
            body,
            free: Vec::new(),
            loc: self.loc(crate::span::Span::new(0, 0)),
            method_of: None,
            dispatcher: false,
            setter: false,
            generator: false,
            source: ir::SourceSignature::default(),
        };
        let mut functions = Vec::new();
        for stmt in &module.body {
            if let StmtKind::FunctionDef(def) = &stmt.kind {
                if let Some(ModuleName::Function(id)) = self.scope.names.get(&def.name).cloned() {
                    if functions.len() == id.0 as usize {
                        functions.push(self.function(id, def));
                    }
                }
            }
        }
        for method in &self.scope.methods {
            if functions.len() == method.func.0 as usize {
                functions.push(self.method(method));
            }
        }
        for (func, class, name) in &self.scope.dispatcher_funcs {
            if functions.len() == func.0 as usize {
                functions.push(self.dispatcher(*func, *class, name));
            }
        }
        self.check_exception_arg_reads();
        let classes = self.class_decls();
        let globals = self.decide_globals(module);
        ir::Module {
            path: path.to_owned(),
            source: self.source.to_owned(),
            functions,
            globals,
            body: module_fn,
            doc: super::docs::docstring(&module.body),
            all: super::docs::dunder_all(module),
            classes,
        }
    }

    fn function(&mut self, id: FuncId, def: &syntax::FunctionDef) -> ir::Function {
        self.function_with(id, def, |_| {})
    }

    /// Checks a function body; `setup` prepares its state (a method's class, ...).
    pub(super) fn function_with(
        &mut self,
        id: FuncId,
        def: &syntax::FunctionDef,
        setup: impl FnOnce(&mut FnState),
    ) -> ir::Function {
        let signature = &self.scope.signatures[id.0 as usize];
        let mut f = FnState::placeholder();
        setup(&mut f);
        f.owner = Some(id);
        f.name = def.name.clone();
        f.ret = self.inference.rets[id.0 as usize].clone();
        // A generator's `return` ends it (no value); what it yields is checked by `yield`.
        let generator = match &f.ret {
            Type::Iterator(elem) if signature.generator => Some((**elem).clone()),
            _ => None,
        };
        if let Some(elem) = &generator {
            f.yield_ty = Some(elem.clone());
            f.ret = Type::None;
        }
        let mut params = Vec::new();
        for (i, param) in signature.params.iter().enumerate() {
            // A missing or rejected annotation was reported with the signature.
            if param.ty.has_unknown() {
                f.rejected.insert(param.name.clone());
            }
            let ty = self.inference.params[id.0 as usize][i].clone();
            let local = f.add_local(&param.name, ty, true);
            params.push(local);
            f.mark_assigned(Var::Local(local));
        }
        self.declare_locals(&def.body, &mut f);
        f.assignment_counts = Some(std::rc::Rc::new(super::lazy::assignment_counts(&def.body)));
        self.f = f;
        let body = self.block(&def.body);
        self.flush_pending();
        self.check_return_at_end(&def.name, def.name_span);
        let state = std::mem::replace(&mut self.f, FnState::placeholder());
        ir::Function {
            name: def.name.clone(),
            params,
            locals: state.locals,
            ret: match &generator {
                Some(elem) => Type::Iterator(Box::new(elem.clone())),
                None => state.ret,
            },
            body,
            free: Vec::new(),
            loc: self.loc(def.name_span),
            method_of: None,
            dispatcher: false,
            setter: false,
            generator: generator.is_some(),
            source: super::docs::source_signature(def, self.lines, self.source),
        }
    }

    /// A function that returns a value must not reach its end (CPython would return None).
    pub(super) fn check_return_at_end(&mut self, name: &str, name_span: Span) {
        if self.f.assigned.is_some() && !matches!(self.f.ret, Type::None | Type::Unknown) {
            let ret = self.f.ret.clone();
            self.error(
                Code::TypeMismatch,
                name_span,
                format!("`{name}` is declared to return {ret} but can reach its end without a `return` (CPython would return None)"),
                "may fall off the end",
                format!("add a final `return` with a {ret} value"),
            );
        }
    }

    /// Reports the empty containers whose element types nothing gave (at the end of the function
    /// that holds them).
    pub(super) fn flush_pending(&mut self) {
        for (span, kind) in std::mem::take(&mut self.pending_empty) {
            let example = match kind {
                "dict" => "`counts: dict[str, int] = {}`",
                "set" => "`seen: set[int] = set()`",
                _ => "`xs: list[int] = []`",
            };
            self.error(
                Code::CannotInfer,
                span,
                format!("cannot infer the element type of this empty {kind}"),
                format!("empty {kind}"),
                format!("give it a type first, e.g. {example}, and use that variable here"),
            );
        }
        for (var, span) in std::mem::take(&mut self.pending_vars) {
            if self.var_type(var).has_unknown() {
                let (name, rejected) = match var {
                    Var::Local(id) => {
                        let name = self.f.locals[id.0 as usize].name.clone();
                        let rejected = self.f.rejected.contains(&name);
                        (name, rejected)
                    }
                    Var::Global(id) => {
                        let global = &self.scope.globals[id.0 as usize];
                        (global.name.clone(), global.rejected)
                    }
                    Var::Free(i) => (self.f.free[i].0.clone(), false),
                };
                // Its annotation was reported already: no second error about the same type.
                if rejected {
                    continue;
                }
                self.error(
                    Code::CannotInfer,
                    span,
                    format!("cannot infer the element type of the empty container assigned to `{name}`"),
                    "nothing adds to it",
                    format!("annotate it: `{name}: list[int] = []` (or dict[K, V], set[T])"),
                );
            }
        }
    }

    /// Declares the variables a function body assigns (annotated or inferred so far), its nested
    /// functions' names and, for a nested function, its `nonlocal` names (which must be
    /// variables of the enclosing function, `self.f` while a nested function is prepared).
    pub(super) fn declare_locals(&mut self, body: &[syntax::Stmt], f: &mut FnState) {
        let mut declared = Declared::default();
        let mut diagnostics = Vec::new();
        collect_declared(body, self.scope, &mut declared, &mut diagnostics);
        self.diagnostics.extend(diagnostics);
        f.rejected.extend(declared.rejected);
        let declared = declared.types;
        let mut assigned = Vec::new();
        collect_assigned(body, &mut assigned);
        let (mut defs, mut nonlocals) = (Vec::new(), Vec::new());
        collect_defs_and_nonlocals(body, &mut defs, &mut nonlocals);
        assigned.extend(defs);
        for (name, span) in nonlocals {
            if !f.nested || !self.f.by_name.contains_key(&name) {
                self.error(
                    Code::SyntaxError,
                    span,
                    format!("no binding for nonlocal '{name}' found"),
                    "not a variable of an enclosing function",
                    "`nonlocal` names a variable assigned in the enclosing function",
                );
            }
            f.nonlocals.push(name);
        }
        for (name, span) in assigned {
            if f.nonlocals.contains(&name) {
                continue;
            }
            if let Some(existing) = f.by_name.get(&name) {
                // Assigning a parameter keeps it a parameter; an annotation must agree.
                if let Some(ty) = declared.get(&name) {
                    if f.locals[existing.0 as usize].ty != *ty {
                        self.error(
                            Code::TypeMismatch,
                            span,
                            format!("parameter `{name}` is re-declared with another type"),
                            "re-declared",
                            "use a new name for the new value",
                        );
                    }
                }
                continue;
            }
            let inferred = self.inference.vars.get(&(f.owner, format!("{}{name}", f.key_prefix))).cloned();
            let annotated = declared.get(&name).cloned();
            let ty = inferred.or_else(|| annotated.clone()).unwrap_or(Type::Unknown);
            f.add_local(&name, ty, annotated.is_some());
        }
    }

    /// Constants where possible, statics for globals that functions read, module-body locals
    /// for the rest.
    fn decide_globals(&self, module: &syntax::Module) -> Vec<ir::Global> {
        let all = super::docs::dunder_all(module);
        let mut counts: HashMap<String, usize> = HashMap::new();
        count_assignments(&module.body, &mut counts);
        let mut literal: HashMap<String, Literal> = HashMap::new();
        for stmt in &module.body {
            let candidate = match &stmt.kind {
                StmtKind::Assign { targets, value } if targets.len() == 1 => match &targets[0].kind {
                    S::Name(name) => literal_of(value).map(|lit| (name.clone(), lit)),
                    _ => None,
                },
                StmtKind::AnnAssign { target, value: Some(value), .. } => match &target.kind {
                    S::Name(name) => literal_of(value).map(|lit| (name.clone(), lit)),
                    _ => None,
                },
                _ => None,
            };
            match candidate {
                Some((name, lit)) => {
                    literal.insert(name, lit);
                }
                None if is_inert(stmt) => {}
                None => break,
            }
        }
        self.scope
            .globals
            .iter()
            .enumerate()
            .map(|(i, info)| {
                let ty = self.global_type(GlobalId(i as u32));
                let constant = match (literal.get(&info.name), &ty) {
                    (Some(lit @ Literal::Int(_)), Type::Int)
                    | (Some(lit @ Literal::Float(_)), Type::Float)
                    | (Some(lit @ Literal::Bool(_)), Type::Bool)
                    | (Some(lit @ Literal::Str(_)), Type::Str)
                        if counts.get(&info.name) == Some(&1) =>
                    {
                        Some(lit.clone())
                    }
                    _ => None,
                };
                // An extension module's exported constants are read by the module object after the
                // top-level code ran.
                let exported = self.exporting && crate::exports::is_exported_constant(&info.name, &ty, all.as_deref());
                let storage = match constant {
                    Some(lit) => GlobalStorage::Const(lit),
                    None if self.global_read_in_function[i] || exported => GlobalStorage::Static,
                    None => GlobalStorage::ModuleLocal,
                };
                ir::Global { name: info.name.clone(), ty, storage, maybe_unbound: self.global_maybe_unbound[i] }
            })
            .collect()
    }
}

fn count_assignments(stmts: &[syntax::Stmt], counts: &mut HashMap<String, usize>) {
    fn target(expr: &syntax::Expr, counts: &mut HashMap<String, usize>) {
        match &expr.kind {
            S::Name(name) => *counts.entry(name.clone()).or_default() += 1,
            S::Tuple(items) | S::List(items) => items.iter().for_each(|i| target(i, counts)),
            _ => {}
        }
    }
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, counts)),
            StmtKind::AnnAssign { target: t, value: Some(_), .. } | StmtKind::AugAssign { target: t, .. } => {
                target(t, counts)
            }
            StmtKind::For { target: t, body, orelse, .. } => {
                target(t, counts);
                count_assignments(body, counts);
                count_assignments(orelse, counts);
            }
            StmtKind::While { body, orelse, .. } | StmtKind::If { body, orelse, .. } => {
                count_assignments(body, counts);
                count_assignments(orelse, counts);
            }
            StmtKind::Try { .. } => stmt.kind.try_blocks().into_iter().for_each(|b| count_assignments(b, counts)),
            StmtKind::With { items, body } => {
                items.iter().filter_map(|(_, t)| t.as_ref()).for_each(|t| target(t, counts));
                count_assignments(body, counts);
            }
            _ => {}
        }
    }
}
