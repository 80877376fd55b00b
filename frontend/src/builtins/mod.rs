//! The builtins table: one row per (Python callable, signature) → runtime function, with the
//! row's effects. It is the single source of what pyrsc knows about a builtin:
//!
//! - the **key** ([`Key`]): a builtin function, a module member, a method of a built-in type,
//!   or an operation the checker lowers syntax to ([`Op`]; no Python name spells those);
//! - the **signature**: parameters with CPython's names, whether each may be passed by keyword,
//!   its default, and a type [`Pat`]tern whose type variables say how element types flow
//!   (`list.append(x)` takes the list's element type `T`);
//! - the **runtime function** generated code calls, and how each argument is passed;
//! - the **effects** ([`Effects`]): whether it can raise, which arguments it changes in place,
//!   whether it resizes a list, whether it may run in a `prange` body.
//!
//! Adding a builtin is one row in `rows.rs`, one function in the runtime crate and one fixture.
//! The checker binds a call's arguments to the first row of the key that accepts them (rows with
//! exact types come before rows that convert, `bind.rs`); help lines listing what is supported
//! are generated from the rows ([`members`], [`methods`]); codegen calls
//! `runtime::<row.runtime>(args)`; the analyses read the effects.

mod bind;
mod patterns;
mod rows;

pub use bind::{bind_arguments, default_type, positional_counts, resolve, Binding, Mismatch, Resolved, Source};
pub use patterns::{orderable, Accept, Bindings, Pat};
pub use rows::{BUILTINS, CONSTANTS};

use crate::types::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuiltinId(pub u16);

/// A module whose members the table provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Module {
    Math,
    Sys,
    Os,
    OsPath,
}

impl Module {
    pub fn name(self) -> &'static str {
        match self {
            Module::Math => "math",
            Module::Sys => "sys",
            Module::Os => "os",
            Module::OsPath => "os.path",
        }
    }

    pub fn from_name(name: &str) -> Option<Module> {
        [Module::Math, Module::Sys, Module::Os, Module::OsPath].into_iter().find(|m| m.name() == name)
    }
}

/// A built-in type whose methods the table provides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Receiver {
    List,
    Tuple,
    Str,
    Dict,
    Set,
    File,
    Generator,
}

impl Receiver {
    pub fn name(self) -> &'static str {
        match self {
            Receiver::List => "list",
            Receiver::Tuple => "tuple",
            Receiver::Str => "str",
            Receiver::Dict => "dict",
            Receiver::Set => "set",
            Receiver::File => "file",
            Receiver::Generator => "generator",
        }
    }

    /// The receiver kind of a value of type `ty`, if the table has methods for it.
    pub fn of(ty: &Type) -> Option<Receiver> {
        Some(match ty {
            Type::List(_) => Receiver::List,
            Type::VarTuple(_) => Receiver::Tuple,
            Type::Str => Receiver::Str,
            Type::Dict(_, _) => Receiver::Dict,
            Type::Set(_) => Receiver::Set,
            Type::File => Receiver::File,
            Type::Iterator(_) => Receiver::Generator,
            _ => return None,
        })
    }

    /// How diagnostics name an element of this container (`fit_element`).
    pub fn element_noun(self, second: bool) -> &'static str {
        match (self, second) {
            (Receiver::Dict, true) => "dict value",
            (Receiver::Dict, false) => "dict key",
            (other, _) => other.name(),
        }
    }
}

/// Operations the checker lowers Python syntax to: loops, `in`, `del`, conversions and key
/// functions become these (no Python call spells them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `isinstance(x, int)` on a float slot that may still hold an int.
    NumIsInt,
    /// `isinstance(x, float)` on such a slot.
    NumIsFloat,
    /// The int a `%d` conversion formats.
    PercentInt,
    /// `e.args` of a caught exception.
    ExceptionArgs,
    /// `e.args` of a program's exception object, from the repr of its argument.
    ExceptionArgsFromRepr,
    /// `e.args[i]`, known to be a str.
    ExceptionArg,
    /// `enumerate(g)` over a generator value.
    EnumerateGenerator,
    /// `list(g)` of a generator or iterator value (allocating for its length hint first).
    ListFromIterator,
    /// `zip(g, h)` over generator values.
    ZipGenerators,
    /// The next value of a generator, or None when it is exhausted (`for` over a value).
    GeneratorResume,
    /// `list(range(...))` and other places a range is materialised.
    RangeList,
    /// `x in range(...)`.
    RangeContains,
    /// A list seen as a `tuple[T, ...]`.
    TupleFromList,
    /// A `tuple[T, ...]` read as a list.
    TupleAsList,
    /// `set(xs)` of a list.
    SetFromList,
    /// The elements of a set as a list (iteration order).
    SetItems,
    /// A set display of constants, built once.
    SetConstantDisplay,
    /// `x in s`.
    SetContains,
    /// `a < b` on sets.
    SetProperSubset,
    /// `a > b` on sets.
    SetProperSuperset,
    /// The next occupied slot of a set's table (`for x in s`, raising if it changed size).
    SetNextSlot,
    /// The element in a set's slot.
    SetKeyAtSlot,
    /// `dict(pairs)`.
    DictFromPairs,
    /// `list(d)`, `d.keys()` consumed at once.
    DictKeys,
    /// `d.values()` consumed at once.
    DictValues,
    /// `d.items()` consumed at once.
    DictItems,
    /// `k in d`.
    DictContains,
    /// `del d[k]`.
    DictDelete,
    /// Whether a `for` over a dict goes on (raising if the dict changed size).
    DictIterContinues,
    /// The next position of a `for` over a dict (CPython's entry table: a position and a count).
    DictIterStep,
    /// The key at a position of a dict (dict iteration).
    DictKeyAt,
    /// The value at a position.
    DictValueAt,
    /// The item at a position.
    DictItemAt,
    /// `del xs[i]`.
    ListDelete,
    /// `xs *= n`.
    ListRepeatInPlace,
    /// `sorted(xs, key=f, reverse=r)`: sorts by a list of keys computed with `f`.
    SortedByKeys,
    /// `xs.sort(key=f, reverse=r)`.
    SortByKeys,
    /// `min(xs, key=f)`.
    MinByKeys,
    /// `max(xs, key=f)`.
    MaxByKeys,
    /// The characters of a str, as a list (iteration, `set(s)`).
    StrChars,
    /// `a in b` on strs.
    StrContains,
}

/// Which Python callable a row implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A builtin function: `len`, `abs`, `sorted`.
    Function(&'static str),
    /// A member of a module: `math.sqrt`, `sys.exit`, `os.path.join`.
    Member(Module, &'static str),
    /// A method of a built-in type: `list.append`, `str.split` (the receiver is the first
    /// parameter).
    Method(Receiver, &'static str),
    /// An operation the checker lowers syntax to.
    Op(Op),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Function(name) => write!(f, "{name}"),
            Key::Member(module, name) => write!(f, "{}.{name}", module.name()),
            Key::Method(receiver, name) => write!(f, "{}.{name}", receiver.name()),
            Key::Op(op) => write!(f, "{op:?}"),
        }
    }
}

/// How generated code passes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    Value,
    Ref,
}

/// How a caller may pass a parameter (CPython's `/` and `*` markers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Positional-only (before `/`): most builtins' parameters.
    Positional,
    /// By position or by keyword.
    Either,
    /// Keyword-only (after `*`), like `sorted(xs, reverse=True)`.
    Keyword,
}

/// A parameter's default: a literal the checker passes when the caller omits the argument.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DefaultArg {
    Int(i64),
    Bool(bool),
    Str(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Param {
    /// CPython's name for it (keyword arguments, messages).
    pub name: &'static str,
    pub pat: Pat,
    pub pass: Pass,
    pub kind: ParamKind,
    pub default: Option<DefaultArg>,
    /// Any iterable is accepted and made a list first (a generator, a range, a set, a dict's
    /// keys, a tuple): `sum(g)`, `sorted(d)`, `", ".join(x for x in xs)`.
    pub iterable: bool,
}

impl Param {
    /// By position or keyword.
    pub const fn either(self) -> Param {
        Param { kind: ParamKind::Either, ..self }
    }

    /// Keyword-only.
    pub const fn keyword(self) -> Param {
        Param { kind: ParamKind::Keyword, ..self }
    }

    pub const fn default(self, value: DefaultArg) -> Param {
        Param { default: Some(value), ..self }
    }

    pub const fn iterable(self) -> Param {
        Param { iterable: true, ..self }
    }
}

/// A positional-only parameter passed by value.
pub const fn v(name: &'static str, pat: Pat) -> Param {
    Param { name, pat, pass: Pass::Value, kind: ParamKind::Positional, default: None, iterable: false }
}

/// A positional-only parameter passed by reference.
pub const fn r(name: &'static str, pat: Pat) -> Param {
    Param { name, pat, pass: Pass::Ref, kind: ParamKind::Positional, default: None, iterable: false }
}

/// What calling a row may do besides returning its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effects {
    /// It can raise (generated code propagates with `?`).
    pub raises: bool,
    /// Bit `k`: it changes the contents of argument `k` (a container) in place.
    pub mutates: u8,
    /// It may change a list's length or move its buffer (loop views must not span it).
    pub resizes: bool,
    /// It may run in a `prange` body (no process-wide state, no order-dependent I/O).
    pub parallel: bool,
    /// Its result may be an object that exists elsewhere (a global, or the list inside a
    /// tuple), besides results typed as an element of an argument, which always may.
    pub shares_result: bool,
    /// It compares its second argument with the elements of its first by `==` (`xs.index(x)`):
    /// the elements' class must compare with its own instances.
    pub compares_elements: bool,
}

#[derive(Debug)]
pub struct Builtin {
    pub key: Key,
    pub params: &'static [Param],
    pub ret: Pat,
    /// Path below the runtime crate, e.g. `math::sqrt` or `list::List::append`.
    pub runtime: &'static str,
    pub effects: Effects,
}

impl Builtin {
    pub const fn new(key: Key, params: &'static [Param], ret: Pat, runtime: &'static str) -> Builtin {
        let effects = Effects {
            raises: false,
            mutates: 0,
            resizes: false,
            parallel: true,
            shares_result: false,
            compares_elements: false,
        };
        Builtin { key, params, ret, runtime, effects }
    }

    pub const fn raises(self) -> Builtin {
        Builtin { effects: Effects { raises: true, ..self.effects }, ..self }
    }

    /// Changes argument `index` (a container) in place.
    pub const fn mutates(self, index: u8) -> Builtin {
        Builtin { effects: Effects { mutates: self.effects.mutates | (1 << index), ..self.effects }, ..self }
    }

    /// Changes the first argument's length (a list): implies `mutates(0)`.
    pub const fn resizes(self) -> Builtin {
        Builtin { effects: Effects { resizes: true, mutates: self.effects.mutates | 1, ..self.effects }, ..self }
    }

    /// Must not run in a `prange` body.
    pub const fn serial(self) -> Builtin {
        Builtin { effects: Effects { parallel: false, ..self.effects }, ..self }
    }

    /// Its result may be an object that exists elsewhere.
    pub const fn shares_result(self) -> Builtin {
        Builtin { effects: Effects { shares_result: true, ..self.effects }, ..self }
    }

    /// Compares an element with the container's elements by `==`.
    pub const fn compares_elements(self) -> Builtin {
        Builtin { effects: Effects { compares_elements: true, ..self.effects }, ..self }
    }

    /// Whether the result is a new object, created by the call (no other reference to it).
    pub fn returns_new_object(&self) -> bool {
        !self.effects.shares_result
            && !matches!(self.ret, Pat::Var | Pat::Var2 | Pat::OptionalOfVar | Pat::OptionalOfVar2)
    }

    /// Whether the row changes its argument `index` in place.
    pub fn mutates_arg(&self, index: usize) -> bool {
        index < 8 && self.effects.mutates & (1 << index) != 0
    }
}

pub fn builtin(id: BuiltinId) -> &'static Builtin {
    &BUILTINS[id.0 as usize]
}

/// The rows implementing `key`, with their ids.
pub fn rows(key: Key) -> impl Iterator<Item = (BuiltinId, &'static Builtin)> {
    BUILTINS.iter().enumerate().filter(move |(_, row)| row.key == key).map(|(i, row)| (BuiltinId(i as u16), row))
}

/// Whether any row implements `key`.
pub fn exists(key: Key) -> bool {
    rows(key).next().is_some()
}

/// The key of builtin function `name`, with the table's own name.
pub fn function(name: &str) -> Option<Key> {
    BUILTINS.iter().map(|row| row.key).find(|key| matches!(key, Key::Function(n) if *n == name))
}

/// The key of method `name` of `receiver`.
pub fn method(receiver: Receiver, name: &str) -> Option<Key> {
    BUILTINS.iter().map(|row| row.key).find(|key| matches!(key, Key::Method(r, n) if *r == receiver && *n == name))
}

/// The key of function `name` of `module`, with the table's own name.
pub fn member(module: Module, name: &str) -> Option<Key> {
    BUILTINS.iter().map(|row| row.key).find(|key| matches!(key, Key::Member(m, n) if *m == module && *n == name))
}

/// Module members read as values rather than called (`sys.argv`): a row without parameters
/// that generated code calls when the attribute is read.
pub fn is_value_member(key: Key) -> bool {
    matches!(key, Key::Member(Module::Sys, "argv"))
}

/// A module constant (`math.pi`): its index in [`CONSTANTS`].
pub fn constant(module: Module, name: &str) -> Option<usize> {
    CONSTANTS.iter().position(|c| c.module == module && c.name == name)
}

/// A module constant, read from a runtime `const`.
pub struct Constant {
    pub module: Module,
    pub name: &'static str,
    pub ty: Type,
    pub runtime: &'static str,
}

/// The names of `receiver`'s methods, sorted, for help lines.
pub fn methods(receiver: Receiver) -> Vec<&'static str> {
    let mut names: Vec<&str> = BUILTINS
        .iter()
        .filter_map(|row| match row.key {
            Key::Method(r, name) if r == receiver => Some(name),
            _ => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The members of `module` (functions and constants), sorted, for help lines.
pub fn members(module: Module) -> Vec<&'static str> {
    let functions = BUILTINS.iter().filter_map(|row| match row.key {
        Key::Member(m, name) if m == module => Some(name),
        _ => None,
    });
    let constants = CONSTANTS.iter().filter(|c| c.module == module).map(|c| c.name);
    let mut names: Vec<&str> = functions.chain(constants).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// "pyrsc supports these math functions: acos, ..." — the help line for an unknown member.
pub fn members_help(module: Module) -> String {
    format!("pyrsc supports these from {}: {}", module.name(), members(module).join(", "))
}
