//! The call graph of a module and the one fixpoint every interprocedural fact uses.
//!
//! A function's callees are the module functions it calls directly (`f(...)`, `C(...)`'s
//! `__init__`, `pmap(f, ...)`), including calls made by the functions nested in it, plus the
//! special methods that printing, comparing and hashing objects run without a call in the IR.

use crate::ir::{Expr, FuncId, Module};
use crate::visit::{each_node, Visitor};

pub struct CallGraph {
    /// Per module function: the functions it may call, sorted, without repeats.
    pub callees: Vec<Vec<FuncId>>,
    /// The special methods (`__repr__`, `__eq__`, ...) the runtime calls on objects.
    pub specials: Vec<FuncId>,
}

impl CallGraph {
    pub fn new(module: &Module) -> CallGraph {
        let specials: Vec<FuncId> = module.classes.iter().flat_map(|c| c.specials.iter().map(|(_, f)| *f)).collect();
        let callees = module.functions.iter().map(|f| callees_of(&f.body)).collect();
        CallGraph { callees, specials }
    }

    /// Functions that can reach themselves through calls.
    pub fn recursive(&self) -> Vec<bool> {
        (0..self.callees.len())
            .map(|start| {
                let mut seen = vec![false; self.callees.len()];
                let mut stack = self.callees[start].clone();
                while let Some(next) = stack.pop() {
                    let next = next.0 as usize;
                    if next == start {
                        return true;
                    }
                    if next < seen.len() && !seen[next] {
                        seen[next] = true;
                        stack.extend(self.callees[next].iter().copied());
                    }
                }
                false
            })
            .collect()
    }

    /// The least set containing every function with `direct`, and every function that calls
    /// one in the set (or, with `specials`, that may run a special method in the set).
    pub fn spread(&self, direct: Vec<bool>, specials: bool) -> Vec<bool> {
        let special_hit = |facts: &[bool]| specials && self.specials.iter().any(|f| facts[f.0 as usize]);
        fixpoint(direct, |index, facts| {
            facts[index] || special_hit(facts) || self.callees[index].iter().any(|g| facts[g.0 as usize])
        })
    }
}

/// The one fixpoint: applies `step` to every index until no value changes. `step` sees the
/// current values; a monotone step (values only grow) terminates.
pub fn fixpoint<T: Clone + PartialEq>(mut values: Vec<T>, mut step: impl FnMut(usize, &[T]) -> T) -> Vec<T> {
    loop {
        let mut changed = false;
        for index in 0..values.len() {
            let next = step(index, &values);
            if next != values[index] {
                values[index] = next;
                changed = true;
            }
        }
        if !changed {
            return values;
        }
    }
}

/// The module functions a body calls directly (nested functions' calls included).
pub fn callees_of(body: &[crate::ir::Stmt]) -> Vec<FuncId> {
    let mut out = Vec::new();
    each_node(body, |_| {}, |e: &Expr| out.extend(e.kind.callee()));
    out.sort_unstable();
    out.dedup();
    out
}

/// Calls made by a single expression tree (for the analyses that look at one loop).
pub fn callees_in(e: &Expr) -> Vec<FuncId> {
    struct Calls(Vec<FuncId>);
    impl<'ir> Visitor<'ir> for Calls {
        fn expr(&mut self, e: &'ir Expr) {
            self.0.extend(e.kind.callee());
            crate::visit::walk_expr(self, e);
        }
    }
    let mut calls = Calls(Vec::new());
    calls.expr(e);
    calls.0
}
