//! Type patterns of the builtins table: what a parameter accepts (binding the type variables
//! `T` and `U`), the conversion an argument needs, and the type a return pattern stands for.

use crate::types::Type;

/// What a parameter accepts, and for returns what comes back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pat {
    /// `int`; a `bool` argument is converted.
    Int,
    /// Exactly `int`.
    IntExact,
    /// Exactly `float`.
    Float,
    /// Any number, converted to `float`.
    Real,
    /// `int`, `float` or a possibly-int float slot, converted to `Num`.
    Num,
    /// Exactly `Num`.
    NumExact,
    Bool,
    Str,
    /// Any value (printing, `str()`).
    Any,
    /// A value whose `str`/`repr` may run the program's code: an object (`__repr__`), or a
    /// container holding one. Rows with it come before the `Any` rows and can raise.
    ReprRunsCode,
    /// A type variable `T`, bound by its first use.
    Var,
    /// `list[T]`, binding `T` (a `tuple[T, ...]` is accepted wherever a list is only read).
    ListOfVar,
    /// `tuple[T, ...]`, binding `T`.
    TupleOfVar,
    /// A raised exception (`except ... as e`).
    Exception,
    /// `e.args`.
    ExcArgs,
    /// A generator held as a value (`Iterator[T]`), binding `T`.
    IteratorOfVar,
    /// `Iterator[U]`, binding `U`.
    IteratorOfVar2,
    /// `Iterator[int]` (a return type).
    IteratorOfInt,
    /// `Iterator[tuple[int, T]]` (a return type).
    IteratorOfIndexed,
    /// `Iterator[tuple[T, U]]` (a return type).
    IteratorOfPairs,
    /// `T | None` (a return type).
    OptionalOfVar,
    /// `U | None` (a return type).
    OptionalOfVar2,
    /// A second type variable `U` (a dict's value type).
    Var2,
    /// `dict[T, U]`, binding both.
    DictOfVars,
    /// `list[U]`.
    ListOfVar2,
    /// A `range` object.
    Range,
    /// A text file object.
    File,
    /// `set[T]`, binding `T`.
    SetOfVar,
    /// `list[tuple[T, U]]`.
    ListOfPairs,
    /// `tuple[T, U]`.
    PairOfVars,
    /// `list[T]` where `T` supports `<` (numbers, str, bool, tuples of those), binding `T`.
    ListOfOrderable,
    ListOfInt,
    ListOfFloat,
    ListOfBool,
    ListOfStr,
    /// `list[Num]` (floats that may still be ints, e.g. sums of float lists).
    ListOfNum,
    TupleIntInt,
    TupleFloatFloat,
    NoneType,
    /// Never returns (`sys.exit`): typed `None`, and code after it is unreachable.
    Never,
}

/// The conversion needed to pass an argument of type `arg` where a pattern is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accept {
    Exact,
    IntToFloat,
    BoolToInt,
    BoolToFloat,
    IntToNum,
    FloatToNum,
    NumToFloat,
}

/// The bindings of a row's type variables `T` and `U`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bindings {
    pub var: Option<Type>,
    pub var2: Option<Type>,
}

/// Binds a type variable, or checks it against its binding.
fn bind(slot: &mut Option<Type>, ty: &Type) -> bool {
    match slot {
        Some(bound) => bound == ty,
        None => {
            *slot = Some(ty.clone());
            true
        }
    }
}

impl Pat {
    /// Whether an argument of type `arg` fits, binding type variables; the conversion it needs.
    pub fn accepts(self, arg: &Type, bindings: &mut Bindings) -> Option<Accept> {
        use Accept::*;
        let Bindings { var, var2 } = bindings;
        Some(match (self, arg) {
            (Pat::Range, Type::Range) => Exact,
            (Pat::File, Type::File) => Exact,
            (Pat::Exception, Type::Exception) | (Pat::ExcArgs, Type::ExcArgs) => Exact,
            (Pat::NoneType, Type::None) => Exact,
            (Pat::SetOfVar, Type::Set(elem)) if bind(var, elem) => Exact,
            (Pat::Var2, t) if bind(var2, t) => Exact,
            (Pat::ListOfVar2, Type::List(elem) | Type::VarTuple(elem)) if bind(var2, elem) => Exact,
            (Pat::TupleOfVar, Type::VarTuple(elem)) if bind(var, elem) => Exact,
            (Pat::IteratorOfVar, Type::Iterator(elem)) if bind(var, elem) => Exact,
            (Pat::IteratorOfVar2, Type::Iterator(elem)) if bind(var2, elem) => Exact,
            (Pat::ListOfPairs, Type::List(elem)) => match elem.as_ref() {
                Type::Tuple(items)
                    if items.len() == 2
                        && items[0].is_hashable_key()
                        && bind(var, &items[0])
                        && bind(var2, &items[1]) =>
                {
                    Exact
                }
                _ => return None,
            },
            (Pat::DictOfVars, Type::Dict(key, value)) if bind(var, key) && bind(var2, value) => Exact,
            (Pat::Int, Type::Int) | (Pat::IntExact, Type::Int) => Exact,
            (Pat::Int, Type::Bool) => BoolToInt,
            (Pat::Float, Type::Float) | (Pat::Real, Type::Float) => Exact,
            (Pat::Real, Type::Int) => IntToFloat,
            (Pat::Real, Type::Bool) => BoolToFloat,
            (Pat::Real, Type::Num) => NumToFloat,
            (Pat::Num, Type::Num) | (Pat::NumExact, Type::Num) => Exact,
            (Pat::Num, Type::Int) => IntToNum,
            (Pat::Num, Type::Float) => FloatToNum,
            (Pat::Bool, Type::Bool) => Exact,
            (Pat::Str, Type::Str) => Exact,
            (Pat::Any, _) => Exact,
            (Pat::ReprRunsCode, t) if t.repr_runs_code() => Exact,
            (Pat::Var, t) if bind(var, t) => Exact,
            (Pat::ListOfVar, Type::List(elem) | Type::VarTuple(elem)) if bind(var, elem) => Exact,
            (Pat::ListOfOrderable, Type::List(elem) | Type::VarTuple(elem)) if orderable(elem) && bind(var, elem) => {
                Exact
            }
            (Pat::ListOfInt, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Int => Exact,
            (Pat::ListOfFloat, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Float => Exact,
            (Pat::ListOfBool, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Bool => Exact,
            (Pat::ListOfStr, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Str => Exact,
            (Pat::ListOfNum, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Num => Exact,
            _ => return None,
        })
    }

    /// The type this pattern stands for under `bindings` (`Unknown` where a variable is unbound).
    pub fn instantiate(self, bindings: &Bindings) -> Type {
        let t = || bindings.var.clone().unwrap_or(Type::Unknown);
        let u = || bindings.var2.clone().unwrap_or(Type::Unknown);
        match self {
            Pat::Var => t(),
            Pat::Var2 => u(),
            Pat::Range => Type::Range,
            Pat::File => Type::File,
            Pat::Exception => Type::Exception,
            Pat::ExcArgs => Type::ExcArgs,
            Pat::SetOfVar => Type::Set(Box::new(t())),
            Pat::DictOfVars => Type::dict(t(), u()),
            Pat::ListOfVar2 => Type::list(u()),
            Pat::ListOfPairs => Type::list(Type::Tuple(vec![t(), u()])),
            Pat::PairOfVars => Type::Tuple(vec![t(), u()]),
            Pat::Int | Pat::IntExact => Type::Int,
            Pat::Float | Pat::Real => Type::Float,
            Pat::Num | Pat::NumExact => Type::Num,
            Pat::Bool => Type::Bool,
            Pat::Str => Type::Str,
            Pat::NoneType | Pat::Any | Pat::ReprRunsCode | Pat::Never => Type::None,
            Pat::ListOfVar | Pat::ListOfOrderable => Type::list(t()),
            Pat::TupleOfVar => Type::VarTuple(Box::new(t())),
            Pat::IteratorOfVar => Type::Iterator(Box::new(t())),
            Pat::IteratorOfVar2 => Type::Iterator(Box::new(u())),
            Pat::IteratorOfInt => Type::Iterator(Box::new(Type::Int)),
            Pat::IteratorOfIndexed => Type::Iterator(Box::new(Type::Tuple(vec![Type::Int, t()]))),
            Pat::IteratorOfPairs => Type::Iterator(Box::new(Type::Tuple(vec![t(), u()]))),
            Pat::OptionalOfVar => Type::optional(t()),
            Pat::OptionalOfVar2 => Type::optional(u()),
            Pat::ListOfInt => Type::list(Type::Int),
            Pat::ListOfFloat => Type::list(Type::Float),
            Pat::ListOfBool => Type::list(Type::Bool),
            Pat::ListOfStr => Type::list(Type::Str),
            Pat::ListOfNum => Type::list(Type::Num),
            Pat::TupleIntInt => Type::Tuple(vec![Type::Int, Type::Int]),
            Pat::TupleFloatFloat => Type::Tuple(vec![Type::Float, Type::Float]),
        }
    }

    /// The type an argument for this pattern should have, when the pattern and `bindings` pin it
    /// down (so that `", ".join([])` knows the empty list holds strings, and `d.get(k, [])` that
    /// the default is a list of the dict's value type).
    pub fn expected(self, bindings: &Bindings) -> Option<Type> {
        match self {
            // These accept several types, converting: no single expectation.
            Pat::Int | Pat::Real | Pat::Num | Pat::Any | Pat::ReprRunsCode => None,
            _ => Some(self.instantiate(bindings)).filter(|ty| !ty.has_unknown()),
        }
    }

    /// The pattern takes the generator or iterator itself (`next(g)`, `str(g)`), not its values.
    pub fn takes_iterator_value(self) -> bool {
        matches!(self, Pat::Any | Pat::ReprRunsCode | Pat::IteratorOfVar | Pat::IteratorOfVar2)
    }

    /// A list pattern (a `tuple[T, ...]` argument is read as its list).
    pub fn reads_list(self) -> bool {
        matches!(
            self,
            Pat::ListOfVar
                | Pat::ListOfVar2
                | Pat::ListOfOrderable
                | Pat::ListOfInt
                | Pat::ListOfFloat
                | Pat::ListOfBool
                | Pat::ListOfStr
                | Pat::ListOfNum
                | Pat::ListOfPairs
        )
    }

    /// The pattern is a bare type variable: the argument is an element of a container that an
    /// earlier parameter bound (`xs.append(x)`, `d.get(k, default)`, `s.add(x)`).
    pub fn is_element(self) -> bool {
        matches!(self, Pat::Var | Pat::Var2)
    }
}

/// Types whose values CPython can order with `<` (and the runtime implements `PartialOrd` for).
pub fn orderable(ty: &Type) -> bool {
    match ty {
        Type::Int | Type::Float | Type::Num | Type::Bool | Type::Str => true,
        // Ordered by its class's `__lt__` (the checker requires one).
        Type::Object(_) => true,
        Type::Tuple(items) => items.iter().all(orderable),
        Type::List(elem) | Type::VarTuple(elem) => orderable(elem),
        _ => false,
    }
}
