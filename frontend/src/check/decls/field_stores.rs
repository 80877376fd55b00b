//! Which attribute names a statement may assign, directly or through the functions it calls:
//! what keeps narrowing of `x.attr` sound. `if node.left is not None:` lets the branch read
//! `node.left` as a plain object until a statement that may store some `.left` (or rebind
//! `node`): a store in the statement itself, or a call of a function or method that may store
//! it (transitively, by name; a call through a function value may store anything, and so may
//! an operator on objects when some special method stores attributes).

use std::collections::{HashMap, HashSet};

use super::scope::{ModuleName, ModuleScope};
use crate::syntax::{self, ExprKind, StmtKind};

/// Attribute stores per function, closed over calls.
#[derive(Default, Debug)]
pub struct FieldStores {
    /// Module function name, or `Class.method` → attributes it may store.
    by_function: HashMap<String, HashSet<String>>,
    /// Every special method's stores (operators and printing may run them).
    by_specials: HashSet<String>,
}

/// What a call expression may run.
enum Callee {
    Function(String),
    /// Any method of this name (the receiver's class is not known syntactically).
    Method(String),
    /// A class's constructor: its `__init__` chain.
    Class(u32),
    Unknown,
}

const ANY: &str = "*";

impl FieldStores {
    pub fn build(module: &syntax::Module, scope: &ModuleScope) -> FieldStores {
        let mut direct: HashMap<String, (HashSet<String>, Vec<Callee>)> = HashMap::new();
        for stmt in &module.body {
            if let StmtKind::FunctionDef(def) = &stmt.kind {
                direct.insert(def.name.clone(), scan(&def.body, scope));
            }
        }
        for method in &scope.methods {
            let key = format!("{}.{}", scope.classes[method.class as usize].name, method.def.name);
            direct.insert(key, scan(&method.def.body, scope));
        }
        let mut stores: HashMap<String, HashSet<String>> =
            direct.iter().map(|(k, (s, _))| (k.clone(), s.clone())).collect();
        loop {
            let mut changed = false;
            for (name, (_, calls)) in &direct {
                let mut add: HashSet<String> = HashSet::new();
                for call in calls {
                    for key in callee_keys(call, scope) {
                        match stores.get(&key) {
                            Some(s) => add.extend(s.iter().cloned()),
                            None if key == ANY => {
                                add.insert(ANY.to_owned());
                            }
                            None => {}
                        }
                    }
                }
                let entry = stores.entry(name.clone()).or_default();
                let before = entry.len();
                entry.extend(add);
                changed |= entry.len() != before;
            }
            if !changed {
                break;
            }
        }
        let by_specials = scope
            .methods
            .iter()
            .filter(|m| m.def.name.starts_with("__") && m.def.name != "__init__")
            .flat_map(|m| {
                stores
                    .get(&format!("{}.{}", scope.classes[m.class as usize].name, m.def.name))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        FieldStores { by_function: stores, by_specials }
    }

    /// Whether running `stmt` may assign attribute `attr` of some object.
    pub fn stmt_may_store(&self, stmt: &syntax::Stmt, attr: &str, scope: &ModuleScope) -> bool {
        let (direct, calls) = scan(std::slice::from_ref(stmt), scope);
        if direct.contains(attr) {
            return true;
        }
        self.calls_may_store(&calls, attr, scope)
            || (self.specials_store(attr) && runs_operators(std::slice::from_ref(stmt)))
    }

    /// Whether evaluating `e` may assign attribute `attr`.
    pub fn expr_may_store(&self, e: &syntax::Expr, attr: &str, scope: &ModuleScope) -> bool {
        let stmt = syntax::Stmt { kind: StmtKind::Expr(e.clone()), span: e.span };
        self.stmt_may_store(&stmt, attr, scope)
    }

    fn specials_store(&self, attr: &str) -> bool {
        self.by_specials.contains(attr) || self.by_specials.contains(ANY)
    }

    fn calls_may_store(&self, calls: &[Callee], attr: &str, scope: &ModuleScope) -> bool {
        calls.iter().any(|call| {
            callee_keys(call, scope)
                .iter()
                .any(|key| key == ANY || self.by_function.get(key).is_some_and(|s| s.contains(attr) || s.contains(ANY)))
        })
    }
}

/// The functions a callee may be, as `FieldStores` keys (`*` for unknown code).
fn callee_keys(call: &Callee, scope: &ModuleScope) -> Vec<String> {
    match call {
        Callee::Function(name) => vec![name.clone()],
        Callee::Method(name) => scope
            .methods
            .iter()
            .filter(|m| m.def.name == *name)
            .map(|m| format!("{}.{}", scope.classes[m.class as usize].name, m.def.name))
            .collect(),
        Callee::Class(id) => scope
            .ancestry(*id)
            .into_iter()
            .flat_map(|c| scope.methods.iter().filter(move |m| m.class == c && m.def.name == "__init__"))
            .map(|m| format!("{}.__init__", scope.classes[m.class as usize].name))
            .collect(),
        Callee::Unknown => vec![ANY.to_owned()],
    }
}

/// Attribute names stored directly in `stmts`, and the calls they make.
fn scan(stmts: &[syntax::Stmt], scope: &ModuleScope) -> (HashSet<String>, Vec<Callee>) {
    let mut stores = HashSet::new();
    collect_stores(stmts, &mut stores);
    let mut calls = Vec::new();
    syntax::visit_exprs(stmts, &mut |e| {
        if let ExprKind::Call { func, .. } = &e.kind {
            let callee = match &func.kind {
                ExprKind::Name(name) => match scope.names.get(name) {
                    Some(ModuleName::Function(_)) => Some(Callee::Function(name.clone())),
                    Some(ModuleName::Class(id)) => Some(Callee::Class(*id)),
                    // Builtins and imported functions store no attributes.
                    Some(ModuleName::Imported(..)) | Some(ModuleName::Dataclasses(_)) => None,
                    Some(ModuleName::Global(_)) => Some(Callee::Unknown),
                    _ if super::names::is_python_builtin(name) || name == "print" || name == "super" => None,
                    // A local function value may store anything.
                    _ => Some(Callee::Unknown),
                },
                ExprKind::Attribute { attr, .. } => Some(Callee::Method(attr.clone())),
                _ => Some(Callee::Unknown),
            };
            calls.extend(callee);
        }
    });
    (stores, calls)
}

fn collect_stores(stmts: &[syntax::Stmt], out: &mut HashSet<String>) {
    fn target(t: &syntax::Expr, out: &mut HashSet<String>) {
        match &t.kind {
            ExprKind::Attribute { attr, .. } => {
                out.insert(attr.clone());
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().for_each(|i| target(i, out)),
            _ => {}
        }
    }
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            StmtKind::AnnAssign { target: t, .. } | StmtKind::AugAssign { target: t, .. } => target(t, out),
            StmtKind::For { target: t, body, orelse, .. } => {
                target(t, out);
                collect_stores(body, out);
                collect_stores(orelse, out);
            }
            StmtKind::While { body, orelse, .. } | StmtKind::If { body, orelse, .. } => {
                collect_stores(body, out);
                collect_stores(orelse, out);
            }
            StmtKind::Try { .. } | StmtKind::With { .. } => {
                stmt.kind.try_blocks().into_iter().for_each(|b| collect_stores(b, out))
            }
            // A nested function's stores happen when it is called (through a value: unknown).
            StmtKind::FunctionDef(def) => collect_stores(&def.body, out),
            _ => {}
        }
    }
}

/// Whether `stmts` contain operators, comparisons or printing (which may run special methods).
fn runs_operators(stmts: &[syntax::Stmt]) -> bool {
    let mut found = false;
    syntax::visit_exprs(stmts, &mut |e| {
        if matches!(
            e.kind,
            ExprKind::BinOp { .. }
                | ExprKind::UnaryOp { .. }
                | ExprKind::Compare { .. }
                | ExprKind::FString(_)
                | ExprKind::Call { .. }
        ) {
            found = true;
        }
    });
    found || stmts.iter().any(|s| matches!(s.kind, StmtKind::AugAssign { .. }))
}
