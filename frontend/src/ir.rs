//! The typed IR: the contract between the front end and code generation.
//!
//! Every expression carries a concrete [`Type`] and a source [`Loc`]; every name is resolved to a
//! local, a global, a function or a builtin-table row. Python meaning stays explicit (`ForRange`,
//! `ForList`, builtin calls) so that code generation can choose fast Rust for each. `verify.rs`
//! checks these promises after checking.

use crate::builtins::BuiltinId;
use crate::span::Loc;
use crate::syntax::{BinOp, CmpOp};
use crate::types::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GlobalId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

/// Identifies a loop of the module (`while`, `for` over a range or a list, `prange`), for the
/// facts computed about it (loop views, prange plans). Unique in a module: the verifier checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoopId(pub u32);

#[derive(Clone, Debug)]
pub struct Module {
    /// Absolute path of the source, as tracebacks print it.
    pub path: String,
    pub source: String,
    pub functions: Vec<Function>,
    pub globals: Vec<Global>,
    /// The top-level statements, run as the `<module>` frame.
    pub body: Function,
    /// The module docstring (cleaned as `inspect.cleandoc` does).
    pub doc: Option<String>,
    /// `__all__`, when the module assigns it a list or tuple of string literals.
    pub all: Option<Vec<String>>,
    /// The user classes, indexed by `ClassRef::id`.
    pub classes: Vec<ClassDecl>,
}

/// A user class. All classes of one hierarchy share one object layout, that of their root:
/// an instance records its own class, and holds a slot for every field of the hierarchy.
#[derive(Clone, Debug)]
pub struct ClassDecl {
    pub name: String,
    pub base: Option<u32>,
    pub root: u32,
    /// For a root: every field slot of the hierarchy (`Field::slot` indexes this).
    pub slots: Vec<SlotDecl>,
    /// Methods the runtime itself calls (`__repr__`, `__str__`, `__eq__`), resolved through
    /// inheritance: the function to call for an instance of exactly this class.
    pub specials: Vec<(String, FuncId)>,
    /// For an exception class: its base (a built-in exception name, or a class of the
    /// program), the slot holding its message (`str(e)`), and the slot holding the repr of
    /// the argument it was constructed with (`repr(e)`, `e.args`; empty for none).
    pub exception: Option<(ExceptionBase, usize, usize)>,
    /// How `hash(obj)` (dict keys, set elements) is computed for objects of this class.
    pub hash: ObjectHash,
}

/// `hash(obj)` by class, as in CPython.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjectHash {
    /// No `__eq__`: the object's identity.
    Identity,
    /// The class's `__hash__`.
    Method(FuncId),
    /// A frozen dataclass: the hash of the tuple of these field slots.
    Fields(Vec<usize>),
    /// `__eq__` without `__hash__` (the class's name), or a frozen dataclass with a field that
    /// has no hash (that field's type name): TypeError, unhashable type: 'name'.
    Unhashable(String),
}

/// The base of a program's exception class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionBase {
    Builtin(&'static str),
    User(u32),
}

#[derive(Clone, Debug)]
pub struct SlotDecl {
    pub name: String,
    pub ty: Type,
    /// A read must check that the field was assigned (AttributeError otherwise): some
    /// `__init__` may leave it unset, or its type has no placeholder value.
    pub checked: bool,
}

/// What an extension module exports.
#[derive(Clone, Debug)]
pub struct Extension {
    /// The module name (`import name`).
    pub name: String,
    /// The module docstring.
    pub doc: String,
    pub functions: Vec<Export>,
    /// Module-level variables exported as attributes (stored `Const` or `Static`).
    pub constants: Vec<GlobalId>,
}

/// One exported function.
#[derive(Clone, Debug)]
pub struct Export {
    pub func: FuncId,
    pub name: String,
    /// `name(a, b=1)\n--\n\n` then the docstring: CPython reads `__text_signature__` from it.
    pub doc: String,
    pub params: Vec<ExportParam>,
}

#[derive(Clone, Debug)]
pub struct ExportParam {
    pub name: String,
    pub default: Option<DefaultValue>,
    /// A list, dict or set the function may change: after the call its contents are written
    /// back into the caller's object (arguments arrive as copies).
    pub write_back: bool,
}

/// A parameter's default value (the checker accepts only literals and None).
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    None,
    Literal(Literal),
}

/// How a module-level variable is stored.
#[derive(Clone, Debug, PartialEq)]
pub enum GlobalStorage {
    /// Assigned once, before anything could read it, from a literal: a Rust `const`.
    Const(Literal),
    /// Read by some function: a static slot (NameError while unassigned).
    Static,
    /// Only used by top-level code: a local of the `<module>` function.
    ModuleLocal,
}

#[derive(Clone, Debug)]
pub struct Global {
    pub name: String,
    pub ty: Type,
    pub storage: GlobalStorage,
    /// Some read may happen before any assignment (only matters for `ModuleLocal`).
    pub maybe_unbound: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
}

#[derive(Clone, Debug)]
pub struct LocalVar {
    pub name: String,
    pub ty: Type,
    /// Some read is not preceded by an assignment on every path: reads are checked at run time.
    pub maybe_unbound: bool,
    /// A nested function uses it: it lives in a shared cell.
    pub captured: bool,
}

/// A variable of the enclosing function that a nested function uses.
#[derive(Clone, Debug)]
pub struct FreeVar {
    pub name: String,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub struct Function {
    pub name: String,
    pub params: Vec<LocalId>,
    pub locals: Vec<LocalVar>,
    pub ret: Type,
    pub body: Vec<Stmt>,
    /// For a nested function: the enclosing variables it uses (read through `Free`), by name.
    pub free: Vec<FreeVar>,
    pub loc: Loc,
    /// A method: the class that defines it (`name` is the method's own name, as tracebacks
    /// show it).
    pub method_of: Option<u32>,
    /// Generated to dispatch a call of an overridden method on the object's class: it adds
    /// no traceback frame of its own.
    pub dispatcher: bool,
    /// A property's setter (it shares its name with the getter).
    pub setter: bool,
    /// A generator function (it has `yield`, or dispatches to generator methods): compiled to
    /// take its consumer's loop body as a sink. A function that returns an `Iterator[T]` it did
    /// not make by `yield` is an ordinary function returning a generator object.
    pub generator: bool,
    /// What the source says about the signature, for an extension module's exports (empty for
    /// methods, dispatchers and nested functions).
    pub source: SourceSignature,
}

/// A module function's signature as written: what an exported function shows Python.
#[derive(Clone, Debug, Default)]
pub struct SourceSignature {
    /// The docstring (cleaned as `inspect.cleandoc` does).
    pub doc: Option<String>,
    pub params: Vec<SourceParam>,
    /// Where the return annotation is.
    pub returns: Option<Loc>,
}

#[derive(Clone, Debug)]
pub struct SourceParam {
    pub name: String,
    /// The whole parameter (name, annotation and default).
    pub loc: Loc,
    /// Where its annotation is.
    pub annotation: Option<Loc>,
    /// The default as a literal, when it is one.
    pub default: Option<DefaultValue>,
    /// The default's source text (`name=text` in the text signature).
    pub default_text: Option<String>,
}

impl Function {
    pub fn local(&self, id: LocalId) -> &LocalVar {
        &self.locals[id.0 as usize]
    }
}

#[derive(Clone, Debug)]
pub enum Target {
    Local(LocalId),
    Global(GlobalId),
    /// `nonlocal` variable `i` of a nested function.
    Free(usize),
    /// `base[index] = value` on a list or a dict; `loc` is the subscript's, as tracebacks show it.
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        loc: Loc,
    },
    Tuple(Vec<Target>),
    /// `base.name = value` on an object; `slot` indexes the root class's slots.
    Field {
        base: Box<Expr>,
        slot: usize,
        name: String,
    },
    /// `base[lower:upper:step] = values` on a list (`values` is a list of the same type).
    Slice {
        base: Box<Expr>,
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
        loc: Loc,
    },
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Assign {
        target: Target,
        value: Expr,
    },
    Expr(Expr),
    If {
        cond: Expr,
        then_body: Vec<Stmt>,
        else_body: Vec<Stmt>,
    },
    While {
        cond: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        id: LoopId,
    },
    /// `for var in range(start, stop, step)`; `step` is a literal when known.
    ForRange {
        var: Target,
        start: Expr,
        stop: Expr,
        step: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        id: LoopId,
    },
    /// `for target in list`, re-reading the length each step as CPython does.
    ForList {
        target: Target,
        iterable: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        id: LoopId,
    },
    /// `for target in text.split()` / `text.split(sep)`: the pieces are produced one at a time
    /// (a str is immutable, so this is exactly iterating the list `split` would build).
    /// `loc` is the `split` call's, where an empty separator's ValueError points.
    ForPieces {
        target: Target,
        text: Expr,
        sep: Option<Expr>,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        loc: Loc,
    },
    /// A parallel loop (`prange`).
    ParFor(Box<ParLoop>),
    Break,
    Continue,
    Return(Option<Expr>),
    Assert {
        test: Expr,
        msg: Option<Expr>,
        loc: Loc,
    },
    /// A nested `def`: creates the function value in `local`, sharing `captures` (locals of
    /// this function, in the order of the nested function's `free` list).
    Def {
        local: LocalId,
        function: Box<Function>,
        captures: Vec<LocalId>,
    },
    /// `del base[lower:upper:step]` on a list.
    DeleteSlice {
        base: Expr,
        lower: Option<Expr>,
        upper: Option<Expr>,
        step: Option<Expr>,
        loc: Loc,
    },
    /// `try` / `except` / `else` / `finally`.
    Try(Box<TryStmt>),
    /// `raise value [from cause]`; `value: None` re-raises the exception being handled (a bare
    /// `raise` in an `except` clause). `loc` is the statement's, as tracebacks show it.
    Raise {
        value: Option<Expr>,
        cause: RaiseCause,
        loc: Loc,
    },
    /// `yield value` in a generator function: hands the value to the loop consuming it.
    Yield {
        value: Expr,
        loc: Loc,
    },
    /// `yield from gen(...)`: the values of another generator (`call`, of type `Iterator`).
    YieldFrom {
        call: Expr,
        loc: Loc,
    },
    /// `for target in gen(...)`: the body runs for each value the generator yields, as it
    /// yields it (`call` is a call of a generator function; `loc` the `for` statement's).
    ForGen {
        target: Target,
        call: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
        loc: Loc,
    },
}

impl TryStmt {
    /// Every block: the body, each handler's, `else`, `finally`.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        std::iter::once(self.body.as_slice())
            .chain(self.handlers.iter().map(|h| h.body.as_slice()))
            .chain([self.orelse.as_slice(), self.finally.as_slice()])
            .collect()
    }
}

impl RaiseCause {
    pub fn expr(&self) -> Option<&Expr> {
        match self {
            RaiseCause::Cause(e) => Some(e),
            _ => None,
        }
    }
}

/// `try:` ... with its handlers, `else:` and `finally:` blocks.
#[derive(Clone, Debug)]
pub struct TryStmt {
    pub body: Vec<Stmt>,
    pub handlers: Vec<Handler>,
    pub orelse: Vec<Stmt>,
    pub finally: Vec<Stmt>,
}

/// `except (A, B) as var:`; `classes` are runtime `ExcKind` names (`BaseException` for a
/// bare `except:`), `user` the program's exception classes.
#[derive(Clone, Debug)]
pub struct Handler {
    pub classes: Vec<&'static str>,
    pub user: Vec<u32>,
    pub var: Option<LocalId>,
    /// When only the program's classes are caught: the local that `as name` binds to the
    /// exception object (a class instance), of the classes' nearest common class.
    pub object_var: Option<(LocalId, u32)>,
    pub body: Vec<Stmt>,
}

/// What follows `raise ... from`.
#[derive(Clone, Debug)]
pub enum RaiseCause {
    /// No `from`: the exception being handled, if any, becomes the context.
    Implicit,
    /// `from None`.
    Suppressed,
    /// `from cause` (an exception value).
    Cause(Expr),
}

/// A variable of a function, or of the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VarRef {
    Local(LocalId),
    Global(GlobalId),
}

/// The update a `prange` reduction performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReduceOp {
    Add,
    Sub,
    Mul,
    BitOr,
    BitAnd,
    BitXor,
    Min,
    Max,
}

/// How a `prange` body uses the state around it, decided by the race analysis
/// (`parallel.rs`) and relied on by code generation.
#[derive(Clone, Debug, Default)]
pub struct ParPlan {
    /// Variables assigned in the body and used nowhere else: fresh in every iteration.
    pub privates: Vec<VarRef>,
    /// Shared lists the body reads (through a read view).
    pub reads: Vec<VarRef>,
    /// Shared lists the body writes, each only at the iteration's own slot.
    pub writes: Vec<VarRef>,
    /// Variables only updated by `s op= e` / `s = min(s, e)` / `s = max(s, e)` (`+=` and `-=`
    /// mixed count as `Add`).
    pub reductions: Vec<(VarRef, ReduceOp)>,
    /// The checker's temporaries that hold a shared list (`$t = xs` for `xs[i] += 1`).
    pub aliases: Vec<(VarRef, VarRef)>,
    /// Shared int lists only incremented (`hist[k] += e`, `-=`) at slots that may collide:
    /// histogram reductions, counted per chunk and added in after the loop.
    pub histograms: Vec<VarRef>,
    /// Shared lists of lists of numbers or strings, only read as `grid[i][j]` (and
    /// `len(grid[i])`): read through a table of row views taken before the loop.
    pub tables: Vec<VarRef>,
    /// Shared dicts and sets of numbers or strings the body only reads (`d[k]`, `d.get(k)`,
    /// `k in d`, `len(d)`): read through views that change nothing.
    pub lookups: Vec<VarRef>,
}

/// `for var in prange(start, stop, step, num_threads=threads)`.
#[derive(Clone, Debug)]
pub struct ParLoop {
    pub var: VarRef,
    pub start: Expr,
    pub stop: Expr,
    pub step: Expr,
    pub threads: Option<Expr>,
    pub body: Vec<Stmt>,
    pub orelse: Vec<Stmt>,
    /// The `prange(...)` call.
    pub loc: Loc,
    pub id: LoopId,
}

/// Implicit conversions the checker inserts, so operands of every operation have equal types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conversion {
    IntToFloat,
    BoolToInt,
    BoolToFloat,
    IntToNum,
    FloatToNum,
    NumToFloat,
    /// Python truthiness of any value, for conditions and `not`.
    Truthy,
    /// A `T` stored into a `T | None` slot.
    Wrap,
    /// An object seen as another class of its hierarchy (a subclass where its base is
    /// expected, or the reverse after a class test): the same reference.
    Recast,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogicOp {
    And,
    Or,
}

/// A piece of an f-string.
#[derive(Clone, Debug)]
pub enum FormatPart {
    Literal(String),
    /// `{value!conv:spec}`; `conversion` is `Some('s')` for `!s` and `Some('r')` for `!r`, after
    /// which the spec formats the resulting string.
    Value {
        value: Expr,
        conversion: Option<char>,
        spec: Option<FormatSpec>,
    },
}

/// A parsed, validated format spec (mirrors the runtime's `fmt::Spec`).
#[derive(Clone, Debug, PartialEq)]
pub struct FormatSpec {
    pub fill: char,
    pub align: Option<char>,
    pub sign: char,
    pub alternate: bool,
    pub zero_pad: bool,
    pub width: usize,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub kind: Option<char>,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    None,
    Local(LocalId),
    Global(GlobalId),
    /// Free variable `i` of a nested function.
    Free(usize),
    /// A module function used as a value.
    FunctionRef(FuncId),
    /// A call of a function value (a nested function or a `Callable` parameter).
    CallValue {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A module constant such as `math.pi` (index into `builtins::CONSTANTS`).
    Constant(usize),
    Convert {
        conversion: Conversion,
        value: Box<Expr>,
    },
    /// Both operands have the same type (after conversions); `ty` is the result.
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    /// `a < b < c`: each operand evaluated once, left to right, stopping at the first false.
    /// Operand pairs have equal types.
    Compare {
        operands: Vec<Expr>,
        ops: Vec<CmpOp>,
    },
    /// `a and b`, `a or b`: returns one of the operands, all of type `ty`.
    Logic {
        op: LogicOp,
        values: Vec<Expr>,
    },
    IfExp {
        cond: Box<Expr>,
        then: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call {
        func: FuncId,
        args: Vec<Expr>,
    },
    Builtin {
        builtin: BuiltinId,
        args: Vec<Expr>,
    },
    /// `print(*args, sep=, end=, file=sys.stderr, flush=True)`; `file` is a file object
    /// (`print(..., file=f)`).
    Print {
        args: Vec<Expr>,
        sep: Option<Box<Expr>>,
        end: Option<Box<Expr>>,
        stderr: bool,
        flush: bool,
        file: Option<Box<Expr>>,
    },
    FString(Vec<FormatPart>),
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    /// `{a, b, ...}`: items added in source order.
    Set(Vec<Expr>),
    /// `{k: v, ...}`: keys and values evaluated in source order.
    Dict(Vec<(Expr, Expr)>),
    /// `base[index]` on a list or a str (IndexError), or `base[key]` on a dict (KeyError).
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
    },
    /// `base[lower:upper:step]` on a list or a str: a new list or str.
    Slice {
        base: Box<Expr>,
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// The items of a list or `tuple[T, ...]` as a tuple of `count` (for `a, b = xs`); a
    /// length other than `count` raises ValueError as CPython's unpacking does.
    Unpack {
        value: Box<Expr>,
        count: usize,
    },
    /// `value is None` (`negated`: `is not None`) on an optional value.
    IsNone {
        value: Box<Expr>,
        negated: bool,
    },
    /// An optional variable read where a check has proved it is not None (narrowing).
    Unwrap(Box<Expr>),
    /// `t[k]` with a constant `k` on a tuple.
    TupleField {
        base: Box<Expr>,
        index: usize,
    },
    /// `pmap(func, items)`: `[func(x) for x in items]` computed in parallel (the race analysis
    /// checks that `func` is thread-safe).
    ParMap {
        func: FuncId,
        items: Box<Expr>,
    },
    /// Statements, then a value: what a comprehension becomes (its loops fill a hidden list).
    Block {
        stmts: Vec<Stmt>,
        value: Box<Expr>,
    },
    /// `np.zeros(shape)`, `np.ones`, `np.empty`, `np.full(shape, fill)` (one expression per
    /// axis in `shape`), or with `like`, `np.zeros_like(a)` and friends; `ty` is the array type.
    ArrayNew {
        shape: Vec<Expr>,
        fill: Option<Box<Expr>>,
        like: Option<Box<Expr>>,
    },
    /// `a.shape`, `a.size`, `len(a)` of an array.
    ArrayInfo {
        base: Box<Expr>,
        what: ArrayInfo,
    },
    /// `ValueError("message")` / `ValueError()`: a new exception of the runtime `ExcKind` named
    /// `class`; `message` is a str (the str of the argument; the repr of a KeyError's key);
    /// `arg_repr`, the repr of an argument that is not a str (for `repr(e)` and `e.args`).
    NewException {
        class: &'static str,
        message: Option<Box<Expr>>,
        arg_repr: Option<Box<Expr>>,
    },
    /// A new instance of class `class` with every field unset (an object without `__init__`).
    Alloc {
        class: u32,
    },
    /// `C(args)`: a new instance of `class`, then `init(obj, args...)` (its own or inherited
    /// `__init__`, whose receiver type may be an ancestor's); the value is the object.
    New {
        class: u32,
        init: FuncId,
        args: Vec<Expr>,
    },
    /// `base.name` on an object; `slot` indexes the root class's slots; `checked` reads raise
    /// AttributeError while the field is unset.
    Field {
        base: Box<Expr>,
        slot: usize,
        name: String,
        checked: bool,
    },
    /// `isinstance(value, C)`: whether the object's class is one of `classes`.
    IsInstance {
        value: Box<Expr>,
        classes: Vec<u32>,
    },
    /// A comprehension's value, computed in a frame of its own (`<listcomp>`, `<genexpr>`, ...)
    /// as CPython 3.11 does: an exception from inside gets that frame, then the enclosing
    /// function's at `loc` (the comprehension, or the call consuming a generator expression).
    Frame {
        name: &'static str,
        value: Box<Expr>,
    },
    /// A generator expression kept as a value (`g = (f(x) for x in xs)`), of type
    /// `Iterator[T]`: `body` runs on the generator's own stack as it is resumed (its loops
    /// `Yield` each value); it reads the variables it uses as they were when it was created:
    /// `captures`, every variable the body reads or assigns, cloned into it.
    Lazy {
        body: Vec<Stmt>,
        captures: Vec<VarRef>,
    },
    /// `raise obj` for an object of a program's exception class: the exception it raises
    /// (the repr of its constructor's argument in slot `args`).
    ExceptionOf {
        value: Box<Expr>,
        args: usize,
    },
}

/// What `ExprKind::ArrayInfo` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayInfo {
    /// `a.shape`: a tuple of ints.
    Shape,
    /// `a.shape[k]`.
    Dim(usize),
    /// `a.size`.
    Size,
    /// `len(a)`.
    Len,
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Type, loc: Loc) -> Expr {
        Expr { kind, ty, loc }
    }
}
