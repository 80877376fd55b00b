//! Which functions, statements and expressions can raise. A function that cannot returns a
//! plain value (no `Result`), so code that provably cannot fail pays nothing for exceptions.
//! Every IR form is decided here, without a wildcard arm: a new form must say whether it raises.

use super::calls::fixpoint;
use crate::builtins;
use crate::ir::{Expr, ExprKind, FormatPart, FuncId, Function, GlobalStorage, Module, Stmt, Target, UnaryOp};
use crate::syntax::BinOp;
use crate::types::Type;
use crate::visit::{walk_expr, walk_stmt, walk_target, Visitor};

/// Per module function: a call can raise. Starts from the recursive functions (RecursionError)
/// and adds every function whose body can raise, until stable.
pub fn can_raise(module: &Module, recursive: &[bool]) -> Vec<bool> {
    fixpoint(recursive.to_vec(), |index, raising| {
        raising[index] || body_raises(module, &|g: FuncId| raising[g.0 as usize], &module.functions[index])
    })
}

/// Whether `f`'s body can raise, given which module functions can.
fn body_raises(module: &Module, raising: &dyn Fn(FuncId) -> bool, f: &Function) -> bool {
    struct Finder<'a> {
        module: &'a Module,
        raising: &'a dyn Fn(FuncId) -> bool,
        f: &'a Function,
        found: bool,
    }
    impl<'ir> Visitor<'ir> for Finder<'_> {
        fn stmt(&mut self, stmt: &'ir Stmt) {
            self.found |= stmt_raises(stmt);
            walk_stmt(self, stmt);
        }
        fn expr(&mut self, e: &'ir Expr) {
            self.found |= expr_raises(self.module, self.raising, self.f, e);
            walk_expr(self, e);
        }
        fn target(&mut self, target: &'ir Target) {
            self.found |= target_raises(target);
            walk_target(self, target);
        }
        // Creating a nested function cannot fail; calling it is a `CallValue`, which may.
        fn nested(&mut self, _: &'ir Function) {}
    }
    let mut finder = Finder { module, raising, f, found: false };
    crate::visit::walk_block(&mut finder, &f.body);
    finder.found
}

/// Whether a statement itself (not the expressions and blocks in it) can raise.
pub fn stmt_raises(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Assign { .. }
        | Stmt::Expr(_)
        | Stmt::If { .. }
        | Stmt::While { .. }
        | Stmt::ForList { .. }
        | Stmt::Break
        | Stmt::Continue
        | Stmt::Return(_)
        | Stmt::Def { .. } => false,
        // A range step that is not a non-zero literal may raise ValueError.
        Stmt::ForRange { step, .. } => !matches!(step.kind, ExprKind::Int(n) if n != 0),
        // An empty separator raises ValueError.
        Stmt::ForPieces { sep, .. } => sep.is_some(),
        // A zero step or a bad thread count raises, and so may starting the thread pool.
        Stmt::ParFor(_) => true,
        // Generators and their consumers always return results.
        Stmt::Yield { .. } | Stmt::YieldFrom { .. } | Stmt::ForGen { .. } => true,
        // A function with a `try` returns a result (its blocks run as closures that do).
        Stmt::Assert { .. } | Stmt::DeleteSlice { .. } | Stmt::Try(_) | Stmt::Raise { .. } => true,
    }
}

/// Whether storing into a target itself can raise.
pub fn target_raises(target: &Target) -> bool {
    match target {
        Target::Local(_) | Target::Global(_) | Target::Free(_) | Target::Tuple(_) | Target::Field { .. } => false,
        // Element assignment can raise IndexError (a dict entry assignment cannot).
        Target::Index { base, .. } => !matches!(base.ty, Type::Dict(_, _)),
        Target::Slice { .. } => true,
    }
}

/// Whether evaluating `e` itself (not its operands) can raise. `raising` tells, per module
/// function, whether calling it can raise; `f` is the function `e` is in.
pub fn expr_raises(module: &Module, raising: &dyn Fn(FuncId) -> bool, f: &Function, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Local(id) => f.local(*id).maybe_unbound || f.local(*id).captured,
        // A free variable may be unassigned; a function value may raise.
        ExprKind::Free(_) | ExprKind::CallValue { .. } => true,
        ExprKind::Global(id) => match module.globals[id.0 as usize].storage {
            GlobalStorage::Const(_) => false,
            GlobalStorage::Static => true,
            GlobalStorage::ModuleLocal => module.globals[id.0 as usize].maybe_unbound,
        },
        ExprKind::Binary { op, left, right } => {
            binary_raises(*op, &left.ty)
                && !divides_by_positive_literal(*op, &left.ty, right)
                && !divides_by_nonzero_float(*op, &left.ty, right)
        }
        ExprKind::Unary { op, operand } => *op == UnaryOp::Neg && matches!(operand.ty, Type::Int | Type::Num),
        ExprKind::Call { func, .. } | ExprKind::New { init: func, .. } => raising(*func),
        // The function may raise, and starting the thread pool may fail.
        ExprKind::ParMap { .. } => true,
        // A length other than the number of names raises ValueError.
        ExprKind::Unpack { .. } => true,
        ExprKind::Builtin { builtin, .. } => builtins::builtin(*builtin).effects.raises,
        // A spec can be refused; a value's text may run its class's `__str__`/`__repr__`.
        ExprKind::FString(parts) => parts.iter().any(|p| match p {
            FormatPart::Value { spec, value, .. } => spec.is_some() || value.ty.repr_runs_code(),
            FormatPart::Literal(_) => false,
        }),
        ExprKind::Index { .. } => true,
        // Negative dimensions, or a fill value that does not fit the element type.
        ExprKind::ArrayNew { .. } => true,
        // Writing can fail (a closed file, a full disk, a closed pipe on stdout), and so can a
        // value's `__str__`.
        ExprKind::Print { .. } => true,
        // The runtime slices return a result (a zero step raises ValueError).
        ExprKind::Slice { .. } => true,
        // A field some path leaves unset raises AttributeError.
        ExprKind::Field { checked, .. } => *checked,
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::None
        | ExprKind::FunctionRef(_)
        | ExprKind::Constant(_)
        | ExprKind::Convert { .. }
        | ExprKind::Compare { .. }
        | ExprKind::Logic { .. }
        | ExprKind::IfExp { .. }
        | ExprKind::List(_)
        | ExprKind::Tuple(_)
        | ExprKind::Set(_)
        | ExprKind::Dict(_)
        | ExprKind::IsNone { .. }
        | ExprKind::Unwrap(_)
        | ExprKind::TupleField { .. }
        | ExprKind::Block { .. }
        | ExprKind::ArrayInfo { .. }
        | ExprKind::NewException { .. }
        | ExprKind::Alloc { .. }
        | ExprKind::IsInstance { .. }
        | ExprKind::Frame { .. }
        | ExprKind::Lazy { .. }
        | ExprKind::ExceptionOf { .. } => false,
    }
}

/// `a // k` and `a % k` on ints with a literal `k > 0` cannot raise (no zero, no `MIN // -1`);
/// code generation emits them as `div_euclid` / `rem_euclid`, which floor exactly like Python.
pub fn divides_by_positive_literal(op: BinOp, operand: &Type, right: &Expr) -> bool {
    matches!(op, BinOp::FloorDiv | BinOp::Mod)
        && *operand == Type::Int
        && matches!(right.kind, ExprKind::Int(k) if k > 0)
}

/// `x / k` on floats with a literal `k != 0` cannot raise: IEEE division, as CPython does it.
pub fn divides_by_nonzero_float(op: BinOp, operand: &Type, right: &Expr) -> bool {
    op == BinOp::Div && *operand == Type::Float && matches!(right.kind, ExprKind::Float(k) if k != 0.0)
}

/// Whether an operator on operands of this type can raise.
fn binary_raises(op: BinOp, operand: &Type) -> bool {
    match operand {
        Type::Int | Type::Num => !matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor),
        Type::Float => matches!(op, BinOp::Div | BinOp::FloorDiv | BinOp::Mod | BinOp::Pow),
        Type::Bool => false,
        Type::Str | Type::List(_) | Type::VarTuple(_) => op == BinOp::Mul,
        _ => false,
    }
}
