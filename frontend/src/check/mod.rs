//! The type checker: names → definitions, expressions → types, syntax → typed IR.
//!
//! Two layers. `decls/` works out what the module declares before any body is checked (module
//! names and imports, signatures, the class table, annotations, docstrings); it never sees the
//! `Checker`. The bodies layer (the files here, split by construct: `expr`, `ops`, `compare`,
//! `call`, `builtin_call`, `user_call`, `comprehension`, `dict`, `set`, `tuple`, `stmt`,
//! `loops`, `exceptions`, `generators`, `nested`, `module`, ...) checks expressions and
//! statements against it, with the per-function state in `state.rs`; expressions and statements
//! are mutually recursive there, as in Python (a comprehension is loops, a lambda a function).
//! A trial check (`probe_type`) restores the whole `Checker`, so it cannot leak state.
//!
//! Types of unannotated variables come from their first assignment; an `int` reaching
//! a `float` slot widens that slot to `Num` (exactly CPython's behaviour). Because a widening can
//! change types read earlier, the whole module is checked repeatedly until nothing changes (a
//! handful of rounds at most); only the last, stable round's diagnostics and IR are kept.

mod array;
mod builtin_call;
mod call;
mod class_decls;
mod compare;
mod comprehension;
mod dataclass_calls;
mod decls;
mod dict;
mod exception_args;
mod exceptions;
mod expr;
mod fstring;
mod functional;
mod generators;
mod lazy;
mod loop_adapters;
mod loops;
mod module;
mod narrowing;
mod nested;
mod object_ops;
mod objects;
mod ops;
mod prange;
mod print;
mod protocols;
mod set;
mod special;
mod state;
mod stmt;
mod tuple;
mod user_call;

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ir;
use crate::span::{LineIndex, Loc, Span};
use crate::syntax;
use crate::types::Type;

// The declaration layer's modules, under the names the bodies layer uses.
use decls::{annotation, classes, docs, names, scope};
pub(crate) use scope::ModuleScope;
pub(crate) use state::{FnState, Var};

/// What inference has learnt so far; carried from one round to the next.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct Inference {
    /// Types of function locals and module-level variables, by owner and name.
    pub vars: HashMap<(Option<ir::FuncId>, String), Type>,
    /// Effective parameter types (declared, possibly widened to `Num`).
    pub params: Vec<Vec<Type>>,
    /// Effective return types.
    pub rets: Vec<Type>,
    /// Types of class fields learnt from assignments (or widened to `Num`), by (class, name).
    pub fields: HashMap<(u32, String), Type>,
}

const MAX_ROUNDS: usize = 8;

/// Checks a lowered module and builds its typed IR.
pub fn check_module(
    module: &syntax::Module,
    path: &str,
    source: &str,
    target: &crate::Target,
) -> Result<ir::Module, Vec<Diagnostic>> {
    let module_name = match target {
        crate::Target::Executable => "__main__",
        crate::Target::Extension { name } => name.as_str(),
    };
    let lines = LineIndex::new(source);
    // Problems with module-level names are reported together with those found in the bodies.
    let (scope, scope_diagnostics) = ModuleScope::build(module, &lines);
    let mut inference = Inference {
        vars: HashMap::new(),
        params: scope.signatures.iter().map(|s| s.params.iter().map(|p| p.ty.clone()).collect()).collect(),
        rets: scope.signatures.iter().map(|s| s.ret.clone()).collect(),
        fields: HashMap::new(),
    };
    let mut round = 0;
    loop {
        round += 1;
        let mut checker = Checker::new(source, &lines, &scope, inference.clone());
        checker.module_name = module_name.to_owned();
        checker.exporting = matches!(target, crate::Target::Extension { .. });
        let ir_module = checker.check_all(module, path);
        if checker.inference == inference || round >= MAX_ROUNDS {
            if checker.diagnostics.is_empty() && scope_diagnostics.is_empty() {
                return Ok(ir_module);
            }
            let mut diagnostics = checker.diagnostics;
            diagnostics.extend(scope_diagnostics);
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
            diagnostics.dedup();
            return Err(diagnostics);
        }
        inference = checker.inference;
    }
}

/// State of one checking round. It is `Clone` so that a trial check ([`Checker::probe_type`])
/// can restore all of it: whatever a new field holds, a trial cannot leak it.
#[derive(Clone)]
pub(crate) struct Checker<'a> {
    pub source: &'a str,
    pub lines: &'a LineIndex<'a>,
    pub scope: &'a ModuleScope,
    pub inference: Inference,
    pub diagnostics: Vec<Diagnostic>,
    /// The function (or module body) being checked.
    pub f: FnState,
    /// Per global: read from inside some function.
    pub global_read_in_function: Vec<bool>,
    /// Per global: read by top-level code where it may not be assigned yet.
    pub global_maybe_unbound: Vec<bool>,
    /// The `for` statement being lowered (errors of its iteration point at it, as in CPython).
    pub loop_span: Span,
    /// The call being checked (a generator expression it consumes reports its errors there).
    pub call_span: Span,
    /// The functions enclosing the one being checked (for a nested `def`).
    pub enclosing: Vec<FnState>,
    /// Empty `[]` / `{}` / `set()` whose element types are not known yet: reported at the end of
    /// the round unless a variable takes them (and is then typed by a later `append`, ...).
    pub pending_empty: Vec<(Span, &'static str)>,
    /// Variables first assigned an empty container, with that assignment's span.
    pub pending_vars: Vec<(Var, Span)>,
    /// How many `prange` bodies enclose the statement being checked (inner ones run serially).
    pub prange_depth: u32,
    /// What `__name__` reads: `"__main__"` for a program, the module name for an extension.
    pub module_name: String,
    /// Compiling an extension module: its public constants are exported.
    pub exporting: bool,
    /// The next loop's id (loops are numbered across the module).
    pub next_loop: u32,
    /// Built-in exception classes the program constructs with an argument that is not a str.
    pub nonstr_exception_args: Vec<&'static str>,
    /// `e.args[i]` reads (typed str): the built-in classes their handler catches, and where.
    pub exception_arg_reads: Vec<(Vec<&'static str>, Span)>,
}

impl<'a> Checker<'a> {
    fn new(source: &'a str, lines: &'a LineIndex<'a>, scope: &'a ModuleScope, inference: Inference) -> Checker<'a> {
        Checker {
            source,
            lines,
            scope,
            inference,
            diagnostics: Vec::new(),
            f: FnState::placeholder(),
            global_read_in_function: vec![false; scope.globals.len()],
            global_maybe_unbound: vec![false; scope.globals.len()],
            loop_span: Span::default(),
            call_span: Span::default(),
            enclosing: Vec::new(),
            pending_empty: Vec::new(),
            pending_vars: Vec::new(),
            prange_depth: 0,
            module_name: "__main__".to_owned(),
            exporting: false,
            next_loop: 0,
            nonstr_exception_args: Vec::new(),
            exception_arg_reads: Vec::new(),
        }
    }

    /// A fresh loop id.
    pub fn loop_id(&mut self) -> ir::LoopId {
        self.next_loop += 1;
        ir::LoopId(self.next_loop - 1)
    }

    pub fn loc(&self, span: Span) -> Loc {
        self.lines.loc(span)
    }

    pub fn error(
        &mut self,
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic::new(code, span, message).label(label).help(help));
    }

    /// An expression standing for something already reported; its type silences follow-ups.
    pub fn poisoned(&self, span: Span) -> ir::Expr {
        ir::Expr::new(ir::ExprKind::None, Type::Unknown, self.loc(span))
    }

    /// The type `e` would have, checked on trial: nothing the trial does stays (diagnostics,
    /// hidden locals, inferred widenings, loop ids...): it all happens again, for real, when `e`
    /// is checked in place.
    pub fn probe_type(&mut self, e: &syntax::Expr) -> Type {
        let saved = self.clone();
        let ty = self.expr(e, None).ty;
        *self = saved;
        ty
    }

    /// Source text of a span, for messages.
    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.start as usize..span.end as usize).unwrap_or("")
    }
}
