//! The state of checking one function body (or the module body): its locals, which variables
//! are assigned on every path so far (definite assignment), the loops and handlers around the
//! statement being checked, and what narrowing has proved. Owned by the `Checker`; the
//! declaration layer (`decls/`) knows nothing of it.

use std::collections::{HashMap, HashSet};

use crate::ir::{FuncId, GlobalId, LocalId, LocalVar};
use crate::types::Type;

/// A variable: a function local or a module-level global.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Var {
    Local(LocalId),
    Global(GlobalId),
    /// A variable of the enclosing function used by a nested one (index into its free list).
    Free(usize),
}

/// Per-loop state for definite assignment.
#[derive(Clone)]
pub struct LoopState {
    /// Assigned-sets at each `break`.
    pub break_states: Vec<HashSet<Var>>,
}

/// The function (or module body) being checked.
#[derive(Clone)]
pub struct FnState {
    pub owner: Option<FuncId>,
    /// `<module>` or the function's name, as tracebacks show it.
    pub name: String,
    pub locals: Vec<LocalVar>,
    /// Whether each local has a type annotation (annotated types never widen silently).
    pub annotated: Vec<bool>,
    pub by_name: HashMap<String, LocalId>,
    /// Variables assigned on every path so far; `None` once the code is unreachable.
    pub assigned: Option<HashSet<Var>>,
    pub loops: Vec<LoopState>,
    pub ret: Type,
    pub temps: u32,
    /// A function defined inside another one.
    pub nested: bool,
    /// Prefix of this function's variables in the inference tables (`outer.inner.` for nested).
    pub key_prefix: String,
    /// Enclosing variables used here: name, type, and the enclosing function's local.
    pub free: Vec<(String, Type, LocalId)>,
    /// Names declared `nonlocal`.
    pub nonlocals: Vec<String>,
    /// Locals whose annotation was rejected (already reported): nothing more is said about
    /// their types.
    pub rejected: HashSet<String>,
    /// Optional variables that checks have proved are not None here.
    pub narrowed: Vec<super::narrowing::Fact>,
    /// Narrowing the statement just checked establishes for the rest of its block.
    pub pending_narrow: Vec<super::narrowing::Fact>,
    /// What was narrowed at the end of the block checked last (for merging `if` branches).
    pub block_end_narrowed: Vec<super::narrowing::Fact>,
    /// How many `except` handlers enclose the statement being checked (a bare `raise` needs one).
    pub handling: u32,
    /// For a method: its class (for `super()`).
    pub class: Option<u32>,
    /// For a class method: the name of its `cls` parameter and the class it stands for.
    pub cls_param: Option<(String, u32)>,
    /// A dataclass's generated `__init__`: may assign the fields of a frozen class.
    pub may_init_frozen: bool,
    /// `except MyError as e` objects and the exception local each was caught in.
    pub handler_objects: Vec<(LocalId, LocalId)>,
    /// `except ... as e` locals (of type exception) and the classes their handler catches
    /// (built-in ones, and the program's).
    pub handler_caught: Vec<(LocalId, Vec<&'static str>, Vec<u32>)>,
    /// In a generator function: the type of the values it yields.
    pub yield_ty: Option<Type>,
    /// Why a `yield` may not stand where the statement being checked is (innermost last): a
    /// `finally` block, a handler that would catch the generator's close, `with` over an object.
    pub yield_forbidden: Vec<&'static str>,
    /// How many times the body assigns each name (an assignment in a loop counts twice): a
    /// generator expression kept as a value may read only variables assigned at most once.
    pub assignment_counts: Option<std::rc::Rc<HashMap<String, u32>>>,
}

impl FnState {
    pub fn placeholder() -> FnState {
        FnState {
            owner: None,
            name: "<module>".to_owned(),
            locals: Vec::new(),
            annotated: Vec::new(),
            by_name: HashMap::new(),
            assigned: Some(HashSet::new()),
            loops: Vec::new(),
            ret: Type::None,
            temps: 0,
            nested: false,
            key_prefix: String::new(),
            free: Vec::new(),
            nonlocals: Vec::new(),
            rejected: HashSet::new(),
            narrowed: Vec::new(),
            pending_narrow: Vec::new(),
            block_end_narrowed: Vec::new(),
            handling: 0,
            class: None,
            cls_param: None,
            may_init_frozen: false,
            handler_objects: Vec::new(),
            handler_caught: Vec::new(),
            yield_ty: None,
            yield_forbidden: Vec::new(),
            assignment_counts: None,
        }
    }

    pub fn add_local(&mut self, name: &str, ty: Type, annotated: bool) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(LocalVar { name: name.to_owned(), ty, maybe_unbound: false, captured: false });
        self.annotated.push(annotated);
        self.by_name.insert(name.to_owned(), id);
        id
    }

    /// A hidden local for a value that must be evaluated once.
    pub fn temp(&mut self, ty: Type) -> LocalId {
        let name = format!("${}", self.temps);
        self.temps += 1;
        self.add_local(&name, ty, true)
    }

    pub fn mark_assigned(&mut self, var: Var) {
        if let Some(set) = &mut self.assigned {
            set.insert(var);
        }
    }

    pub fn is_assigned(&self, var: Var) -> bool {
        match &self.assigned {
            Some(set) => set.contains(&var),
            None => true,
        }
    }
}

/// Meet of two definite-assignment states (`None` = unreachable).
pub fn merge(a: Option<HashSet<Var>>, b: Option<HashSet<Var>>) -> Option<HashSet<Var>> {
    match (a, b) {
        (None, other) | (other, None) => other,
        (Some(a), Some(b)) => Some(a.intersection(&b).copied().collect()),
    }
}
