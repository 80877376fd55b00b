//! Index arithmetic for the `prange` race analysis: the shapes of slot expressions (`a*i + b`,
//! the row block `i*w + j`) and the proof that a list's written slots are distinct across
//! iterations.

use std::collections::HashMap;

use crate::ir::{Expr, ExprKind, Function, ParLoop, ReduceOp, VarRef};
use crate::parallel::var_of;
use crate::parallel_body::InnerLoop;
use crate::span::Loc;

/// `index` as `a * i + b` in the loop variable `i`.
pub(crate) fn affine(e: &Expr, var: VarRef) -> Option<(i64, i64)> {
    if var_of(e) == Some(var) {
        return Some((1, 0));
    }
    match &e.kind {
        ExprKind::Int(c) => Some((0, *c)),
        ExprKind::Binary { op, left, right } => {
            let ((a1, b1), (a2, b2)) = (affine(left, var)?, affine(right, var)?);
            match op {
                crate::syntax::BinOp::Add => Some((a1.checked_add(a2)?, b1.checked_add(b2)?)),
                crate::syntax::BinOp::Sub => Some((a1.checked_sub(a2)?, b1.checked_sub(b2)?)),
                crate::syntax::BinOp::Mul if a1 == 0 => Some((a2.checked_mul(b1)?, b2.checked_mul(b1)?)),
                crate::syntax::BinOp::Mul if a2 == 0 => Some((a1.checked_mul(b2)?, b1.checked_mul(b2)?)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Structural equality of two index expressions (same variables, literals and operators).
pub(crate) fn same_expr(a: &Expr, b: &Expr) -> bool {
    match (&a.kind, &b.kind) {
        (ExprKind::Int(x), ExprKind::Int(y)) => x == y,
        (ExprKind::Local(x), ExprKind::Local(y)) => x == y,
        (ExprKind::Global(x), ExprKind::Global(y)) => x == y,
        (ExprKind::Binary { op: o1, left: l1, right: r1 }, ExprKind::Binary { op: o2, left: l2, right: r2 }) => {
            o1 == o2 && same_expr(l1, l2) && same_expr(r1, r2)
        }
        (ExprKind::Convert { conversion: c1, value: v1 }, ExprKind::Convert { conversion: c2, value: v2 }) => {
            c1 == c2 && same_expr(v1, v2)
        }
        _ => false,
    }
}

pub(crate) fn literal(e: &Expr) -> Option<i64> {
    match e.kind {
        ExprKind::Int(k) => Some(k),
        _ => None,
    }
}

/// `e` with the checker's hidden temporaries replaced by what they hold (`$t` → `i`).
pub(crate) fn substitute(e: &Expr, aliases: &HashMap<VarRef, VarRef>, f: &Function) -> Expr {
    if let Some(held) = var_of(e).and_then(|v| aliases.get(&v)) {
        let kind = match held {
            VarRef::Local(id) => ExprKind::Local(*id),
            VarRef::Global(id) => ExprKind::Global(*id),
        };
        return Expr::new(kind, e.ty.clone(), e.loc);
    }
    let _ = f;
    match &e.kind {
        ExprKind::Binary { op, left, right } => Expr::new(
            ExprKind::Binary {
                op: *op,
                left: Box::new(substitute(left, aliases, f)),
                right: Box::new(substitute(right, aliases, f)),
            },
            e.ty.clone(),
            e.loc,
        ),
        _ => e.clone(),
    }
}

/// Whether the slots a list is written at are distinct across iterations. Two shapes are
/// provable: `a*i + b_k` (one `a >= 1`, offsets distinct modulo `a*step`, over a range that keeps
/// them non-negative), and the row block `i*w + j` with `j` an inner `range(w)` loop variable.
pub(crate) fn disjoint_slots(
    writes: &[(Expr, Loc, &Vec<InnerLoop>)],
    par: &ParLoop,
    assigned: &HashMap<VarRef, Vec<(Loc, Option<ReduceOp>)>>,
) -> Result<(), (Loc, String, String)> {
    let (start, step) = (literal(&par.start), literal(&par.step));
    let unprovable = |loc: Loc| {
        (
            loc,
            "cannot prove that the iterations of this prange loop write different elements of `{list}`".to_owned(),
            "index by the loop variable (`{list}[i]`, `{list}[2 * i + 1]`, or `{list}[i * w + j]` inside `for j in range(w)`) over prange(start >= 0, stop, step > 0); increments at computed indices (`{list}[k] += 1`) are fine: they become a histogram reduction".to_owned(),
        )
    };
    let (Some(s0), Some(step)) = (start, step) else { return Err(unprovable(writes[0].1)) };
    if s0 < 0 || step < 1 {
        return Err(unprovable(writes[0].1));
    }
    if let Some((w, _)) = row_block(&writes[0].0, writes[0].2, par, assigned) {
        let _ = w;
        return match writes
            .iter()
            .find(|(e, _, _)| !same_expr(e, &writes[0].0) || row_block(e, writes[0].2, par, assigned).is_none())
        {
            Some((_, loc, _)) => Err(unprovable(*loc)),
            None => Ok(()),
        };
    }
    let mut forms: Vec<(i64, i64, Loc)> = Vec::new();
    for (index, loc, _) in writes {
        match affine(index, par.var) {
            Some((a, b)) if a >= 1 && a.checked_mul(s0).and_then(|x| x.checked_add(b)).is_some_and(|low| low >= 0) => {
                forms.push((a, b, *loc))
            }
            _ => return Err(unprovable(*loc)),
        }
    }
    let (a, _, _) = forms[0];
    let period = a.saturating_mul(step);
    for (i, (a_i, b_i, loc)) in forms.iter().enumerate() {
        if *a_i != a {
            return Err(unprovable(*loc));
        }
        for (_, b_j, _) in &forms[..i] {
            if b_i != b_j && (b_i - b_j).rem_euclid(period) == 0 {
                return Err(unprovable(*loc));
            }
        }
    }
    Ok(())
}

/// `i*w + j` (either operand order) where `j` loops over `range(w)` (start >= 0, step >= 1)
/// inside the body, and neither `w` nor `j` is otherwise assigned there: `(w, j)`.
pub(crate) fn row_block<'e>(
    index: &'e Expr,
    inner: &[InnerLoop],
    par: &ParLoop,
    assigned: &HashMap<VarRef, Vec<(Loc, Option<ReduceOp>)>>,
) -> Option<(&'e Expr, VarRef)> {
    let ExprKind::Binary { op: crate::syntax::BinOp::Add, left, right } = &index.kind else { return None };
    let (product, column) = if matches!(left.kind, ExprKind::Binary { op: crate::syntax::BinOp::Mul, .. }) {
        (left, right)
    } else {
        (right, left)
    };
    let ExprKind::Binary { op: crate::syntax::BinOp::Mul, left: a, right: b } = &product.kind else { return None };
    let width = if var_of(a) == Some(par.var) {
        b.as_ref()
    } else if var_of(b) == Some(par.var) {
        a.as_ref()
    } else {
        return None;
    };
    let j = var_of(column)?;
    let invariant = match var_of(width) {
        Some(w) => !assigned.contains_key(&w),
        None => literal(width).is_some_and(|w| w >= 0),
    };
    let inner_loop = inner.iter().find(|l| l.var == j)?;
    let counted = literal(&inner_loop.start).is_some_and(|s| s >= 0)
        && literal(&inner_loop.step).is_some_and(|s| s >= 1)
        && same_expr(&inner_loop.stop, width);
    let j_once = assigned.get(&j).is_some_and(|a| a.len() == 1);
    (invariant && counted && j_once).then_some((width, j))
}
