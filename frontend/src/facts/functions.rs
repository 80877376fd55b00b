//! Per-function facts code generation relies on besides raising and lists: module state, how
//! long a call runs, which parameters arrive by reference, and the shapes of a body that change
//! how it is compiled (a `try` anywhere, generators driven by internal iteration).

use super::calls::{fixpoint, CallGraph};
use crate::ir::{Expr, ExprKind, Function, GlobalId, GlobalStorage, LocalId, Module, Stmt, Target, VarRef};
use crate::types::Type;
use crate::visit::{each_node, each_own_node};

/// Per module function: reads or writes a module-level variable held in a static slot,
/// directly or through a call (an extension module keeps the GIL for those: module state is
/// shared by every caller). Printing, comparing or sorting objects runs their special methods
/// without a call in the IR, so every function counts as calling them.
pub fn touches_module_state(module: &Module, graph: &CallGraph) -> Vec<bool> {
    let is_state = |id: &GlobalId| module.globals[id.0 as usize].storage == GlobalStorage::Static;
    let direct = module
        .functions
        .iter()
        .map(|f| {
            let (mut writes, mut touches) = (false, false);
            each_node(
                &f.body,
                |stmt: &Stmt| {
                    let bound = stmt.bound_target().map(Target::vars).unwrap_or_default();
                    writes |= bound.iter().any(|v| matches!(v, VarRef::Global(id) if is_state(id)));
                },
                |e: &Expr| match &e.kind {
                    ExprKind::Global(id) => touches |= is_state(id),
                    // A function value may be any function, including one that touches state.
                    ExprKind::CallValue { .. } | ExprKind::FunctionRef(_) => touches = true,
                    _ => {}
                },
            );
            writes || touches
        })
        .collect();
    graph.spread(direct, true)
}

/// Per module function: runs in bounded, short time — no loop, no comprehension, no recursion,
/// no function value, no array creation, builtins only on scalars, and calls only to such
/// functions (an extension module then keeps the GIL: releasing it would cost more).
pub fn quick(module: &Module, graph: &CallGraph, recursive: &[bool]) -> Vec<bool> {
    let direct: Vec<bool> = module
        .functions
        .iter()
        .zip(recursive)
        .map(|(f, recursive)| {
            let (mut quick, mut loops) = (!recursive, false);
            each_node(
                &f.body,
                |stmt: &Stmt| {
                    loops |= matches!(
                        stmt,
                        Stmt::While { .. }
                            | Stmt::ForRange { .. }
                            | Stmt::ForList { .. }
                            | Stmt::ForPieces { .. }
                            | Stmt::ParFor(_)
                            | Stmt::Def { .. }
                    );
                },
                |e: &Expr| match &e.kind {
                    ExprKind::Block { .. }
                    | ExprKind::CallValue { .. }
                    | ExprKind::ParMap { .. }
                    | ExprKind::ArrayNew { .. }
                    | ExprKind::FunctionRef(_) => quick = false,
                    ExprKind::Builtin { args, .. } => quick &= args.iter().all(|a| a.ty.is_scalar()),
                    _ => {}
                },
            );
            quick && !loops
        })
        .collect();
    fixpoint(direct, |index, quick| quick[index] && graph.callees[index].iter().all(|g| quick[g.0 as usize]))
}

/// Per parameter: passed as `&T`. A handle (`str`, `list`, an object) that the function never
/// rebinds is passed by reference: Python passes references anyway, and this saves a
/// reference-count round trip per call. A generator's arguments are evaluated before its
/// consumer's body borrows the caller's variables, so they arrive as values.
pub fn borrowed_params(f: &Function) -> Vec<bool> {
    let mut rebound: Vec<LocalId> = Vec::new();
    each_own_node(
        &f.body,
        |stmt: &Stmt| rebound.extend(stmt.bound_target().into_iter().flat_map(Target::locals)),
        |_: &Expr| {},
    );
    f.params
        .iter()
        .map(|p| {
            !f.generator
                && matches!(f.local(*p).ty, Type::Str | Type::List(_) | Type::Object(_))
                && !rebound.contains(p)
        })
        .collect()
}

/// Whether the body has a `try` anywhere (its blocks run as closures, so Rust cannot see that
/// every path returns).
pub fn has_try(f: &Function) -> bool {
    let mut found = false;
    each_node(&f.body, |stmt: &Stmt| found |= matches!(stmt, Stmt::Try(_)), |_: &Expr| {});
    found
}

/// Whether the body drives other generators by internal iteration (`for x in gen()`,
/// `yield from`): a suspended generator's stack may then hold their frames too.
pub fn drives_generators(f: &Function) -> bool {
    let mut found = false;
    each_node(
        &f.body,
        |stmt: &Stmt| found |= matches!(stmt, Stmt::ForGen { .. } | Stmt::YieldFrom { .. }),
        |_: &Expr| {},
    );
    found
}
