//! The facts layer: everything code generation needs to know about the checked program beyond
//! its IR, computed once, after checking, into one [`Facts`] table that codegen only reads.
//!
//! - per module function ([`FunctionFacts`]): whether a call can raise, recursion, whether a
//!   `prange` body may call it, whether it keeps loop views valid, which parameters arrive by
//!   reference, which container parameters it may change, module state, call length;
//! - per loop: the lists it reaches through views ([`LoopViews`]), and for a `prange` loop its
//!   plan (the race analysis, `parallel.rs`, which also rejects loops that would race);
//! - per expression: [`Facts::expr_raises`], a query over the per-function facts.
//!
//! Interprocedural facts share one call graph and one fixpoint (`calls.rs`).

pub mod calls;
pub mod functions;
pub mod lists;
pub mod mutation;
pub mod raises;

use std::collections::HashMap;

pub use lists::LoopViews;

use crate::diagnostic::Diagnostic;
use crate::ir::{Expr, FuncId, Function, LoopId, Module, ParPlan};

/// What is known about one module function.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FunctionFacts {
    /// A call can raise; a function that cannot returns a plain value.
    pub can_raise: bool,
    /// On a cycle of the call graph: guarded against unbounded recursion (RecursionError).
    pub recursive: bool,
    /// A `prange` body may call it (numbers and strings in and out, no printing, no module
    /// variable writes, transitively).
    pub thread_safe: bool,
    /// Never resizes a list it did not create (transitively): calls keep loop views valid.
    pub keeps_lists: bool,
    /// Per parameter: passed as `&T`.
    pub borrowed: Vec<bool>,
    /// Per parameter: the function may change the container passed there.
    pub mutated_params: Vec<bool>,
    /// May change a container it did not create (a parameter's, a module variable's, or one
    /// reached through either), directly or through a call.
    pub mutates_foreign: bool,
    /// Reads or writes a module variable held in a static slot, directly or through a call.
    pub touches_module_state: bool,
    /// Runs in bounded, short time (no loop, recursion, container work), as do its callees.
    pub quick: bool,
    /// Has a `try` somewhere in its body.
    pub has_try: bool,
    /// Drives other generators by internal iteration (`for x in gen()`, `yield from`).
    pub drives_generators: bool,
}

/// The facts of a checked module.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Per module function, indexed by `FuncId`.
    pub functions: Vec<FunctionFacts>,
    /// The lists each viewable loop reaches through views (loops absent here take none).
    pub views: HashMap<LoopId, LoopViews>,
    /// The plan of every `prange` loop.
    pub plans: HashMap<LoopId, ParPlan>,
}

impl Facts {
    /// Computes every fact of `module`; a `prange` loop that would race is a diagnostic.
    pub fn compute(module: &Module) -> Result<Facts, Vec<Diagnostic>> {
        let graph = calls::CallGraph::new(module);
        let recursive = graph.recursive();
        let can_raise = raises::can_raise(module, &recursive);
        let thread_safe = crate::parallel::thread_safe_functions(module, &graph);
        let keeps_lists = lists::keeps_lists(module, &graph.specials);
        let mutated_params = mutation::mutated_params(module);
        let mutates_foreign = mutation::mutates_foreign(module, &graph);
        let touches_module_state = functions::touches_module_state(module, &graph);
        let quick = functions::quick(module, &graph, &recursive);
        let facts: Vec<FunctionFacts> = module
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| FunctionFacts {
                can_raise: can_raise[i],
                recursive: recursive[i],
                thread_safe: thread_safe[i],
                keeps_lists: keeps_lists[i],
                borrowed: functions::borrowed_params(f),
                mutated_params: mutated_params[i].clone(),
                mutates_foreign: mutates_foreign[i],
                touches_module_state: touches_module_state[i],
                quick: quick[i],
                has_try: functions::has_try(f),
                drives_generators: functions::drives_generators(f),
            })
            .collect();
        let plans = crate::parallel::analyze(module, &thread_safe)?;
        let views = lists::loop_views(module, &keeps_lists, &graph.specials);
        Ok(Facts { functions: facts, views, plans })
    }

    pub fn function(&self, id: FuncId) -> &FunctionFacts {
        &self.functions[id.0 as usize]
    }

    /// Whether evaluating `e` itself (not its operands), in function `f`, can raise.
    pub fn expr_raises(&self, module: &Module, f: &Function, e: &Expr) -> bool {
        raises::expr_raises(module, &|g| self.functions[g.0 as usize].can_raise, f, e)
    }
}
