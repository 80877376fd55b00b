//! The builtins table: one row per (Python callable, argument types) → runtime function.
//!
//! Adding a builtin is one row here, one function in the runtime crate and one fixture. The
//! checker picks the first row whose parameter patterns accept the argument types (rows with
//! exact types come before rows that convert), and code generation calls
//! `runtime::<row.runtime>(args)`, passing each argument by value or by reference as the row says.

use crate::types::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BuiltinId(pub u16);

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

/// How generated code passes an argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    Value,
    Ref,
}

#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub pat: Pat,
    pub pass: Pass,
}

#[derive(Debug)]
pub struct Builtin {
    /// `abs`, `math.sqrt`, or `list.append` for methods (the receiver is the first parameter).
    pub python: &'static str,
    pub params: &'static [Param],
    pub ret: Pat,
    /// Path below the runtime crate, e.g. `math::sqrt` or `list::List::append`.
    pub runtime: &'static str,
    pub raises: bool,
}

const fn v(pat: Pat) -> Param {
    Param { pat, pass: Pass::Value }
}

const fn r(pat: Pat) -> Param {
    Param { pat, pass: Pass::Ref }
}

macro_rules! row {
    ($python:literal, [$($param:expr),*], $ret:ident, $runtime:literal, raises) => {
        Builtin { python: $python, params: &[$($param),*], ret: Pat::$ret, runtime: $runtime, raises: true }
    };
    ($python:literal, [$($param:expr),*], $ret:ident, $runtime:literal) => {
        Builtin { python: $python, params: &[$($param),*], ret: Pat::$ret, runtime: $runtime, raises: false }
    };
}

use Pat::*;

pub static BUILTINS: &[Builtin] = &[
    // Numbers.
    row!("abs", [v(IntExact)], Int, "int::abs", raises),
    row!("abs", [v(Float)], Float, "float::abs"),
    row!("abs", [v(NumExact)], Num, "num::abs", raises),
    row!("abs", [v(Bool)], Int, "int::from_bool"),
    row!("min", [v(IntExact), v(IntExact)], Int, "builtins::min"),
    row!("min", [v(Float), v(Float)], Float, "builtins::min"),
    row!("min", [r(Str), r(Str)], Str, "builtins::min_ref"),
    row!("min", [v(Num), v(Num)], Num, "builtins::min"),
    row!("max", [v(IntExact), v(IntExact)], Int, "builtins::max"),
    row!("max", [v(Float), v(Float)], Float, "builtins::max"),
    row!("max", [r(Str), r(Str)], Str, "builtins::max_ref"),
    row!("max", [v(Num), v(Num)], Num, "builtins::max"),
    row!("divmod", [v(Int), v(Int)], TupleIntInt, "int::divmod", raises),
    row!("divmod", [v(Real), v(Real)], TupleFloatFloat, "float::divmod", raises),
    row!("pow", [v(Int), v(Int), v(Int)], Int, "int::pow_mod", raises),
    row!("round", [v(Float)], Int, "float::round", raises),
    row!("round", [v(Float), v(Int)], Float, "float::round_digits"),
    row!("round", [v(Int)], Int, "int::identity"),
    row!("round", [v(Int), v(Int)], Int, "int::round_digits", raises),
    // Conversions.
    row!("int", [v(IntExact)], Int, "int::identity"),
    row!("int", [v(Bool)], Int, "int::from_bool"),
    row!("int", [v(Float)], Int, "int::from_float", raises),
    row!("int", [v(NumExact)], Int, "num::to_int", raises),
    row!("int", [r(Str)], Int, "int::from_str", raises),
    row!("float", [v(Real)], Float, "float::identity"),
    row!("float", [r(Str)], Float, "float::from_str", raises),
    row!("str", [r(ReprRunsCode)], Str, "repr::try_to_str", raises),
    row!("str", [r(Any)], Str, "repr::to_str"),
    row!("ord", [r(Str)], Int, "text::ord", raises),
    row!("isinstance int", [v(NumExact)], Bool, "num::is_int"),
    row!("isinstance float", [v(NumExact)], Bool, "num::is_float"),
    row!("%d", [v(IntExact)], Int, "int::identity"),
    row!("%d", [v(Bool)], Int, "int::from_bool"),
    row!("%d", [v(Float)], Int, "int::from_float", raises),
    row!("%d", [v(NumExact)], Int, "num::to_int", raises),
    row!("chr", [v(Int)], Str, "text::chr", raises),
    row!("repr", [r(ReprRunsCode)], Str, "repr::try_to_repr", raises),
    row!("repr", [r(Any)], Str, "repr::to_repr"),
    // Sequences.
    // Files and paths.
    row!("open", [r(Str)], File, "file::open_read", raises),
    row!("open", [r(Str), r(Str)], File, "file::open", raises),
    row!("file.read", [r(File)], Str, "file::PyFile::read", raises),
    row!("file.readline", [r(File)], Str, "file::PyFile::readline", raises),
    row!("next", [r(IteratorOfVar)], Var, "generator::Generator::next_value", raises),
    row!("next", [r(IteratorOfVar), v(Var)], Var, "generator::Generator::next_or", raises),
    row!("generator.close", [r(IteratorOfVar)], NoneType, "generator::Generator::close", raises),
    row!("iter", [r(IteratorOfVar)], IteratorOfVar, "generator::iter_generator"),
    row!("exception args", [r(Exception)], ExcArgs, "exc::Exc::args"),
    row!("exception args from repr", [r(Str)], ExcArgs, "exc::Args::from_repr"),
    row!("len", [r(ExcArgs)], Int, "exc::Args::len"),
    row!("exception arg", [r(ExcArgs), v(Int)], Str, "exc::Args::get", raises),
    row!("iter", [r(ListOfVar)], IteratorOfVar, "generator::iter_list"),
    row!("list from iterator", [r(IteratorOfVar)], ListOfVar, "generator::to_list", raises),
    row!("iter", [v(Range)], IteratorOfInt, "generator::iter_range"),
    row!("enumerate generator", [r(IteratorOfVar), v(Int)], IteratorOfIndexed, "generator::enumerate"),
    row!("zip generators", [r(IteratorOfVar), r(IteratorOfVar2)], IteratorOfPairs, "generator::zip"),
    row!("generator resume", [r(IteratorOfVar)], OptionalOfVar, "generator::Generator::resume", raises),
    row!("file.readlines", [r(File)], ListOfStr, "file::PyFile::readlines", raises),
    row!("file.write", [r(File), r(Str)], Int, "file::PyFile::write", raises),
    row!("file.close", [r(File)], NoneType, "file::PyFile::close", raises),
    row!("os.path.exists", [r(Str)], Bool, "file::exists"),
    row!("os.path.join", [r(Str)], Str, "file::join1"),
    row!("os.path.join", [r(Str), r(Str)], Str, "file::join"),
    row!("os.path.join", [r(Str), r(Str), r(Str)], Str, "file::join3"),
    row!("os.path.join", [r(Str), r(Str), r(Str), r(Str)], Str, "file::join4"),
    row!("os.listdir", [r(Str)], ListOfStr, "file::listdir", raises),
    row!("os.remove", [r(Str)], NoneType, "file::remove", raises),
    row!("len", [r(ListOfVar)], Int, "list::List::len"),
    row!("len", [r(Str)], Int, "str::Str::len"),
    row!("sum", [r(ListOfInt)], Int, "list::sum_int", raises),
    row!("sum", [r(ListOfFloat)], Num, "list::sum_float"),
    row!("sum", [r(ListOfBool)], Int, "list::sum_bool"),
    row!("sum", [r(ListOfNum)], Num, "list::sum_num", raises),
    row!("list.append", [r(ListOfVar), v(Var)], NoneType, "list::List::append"),
    row!("list.pop", [r(ListOfVar)], Var, "list::List::pop", raises),
    row!("list.pop", [r(ListOfVar), v(Int)], Var, "list::List::pop_at", raises),
    row!("list.insert", [r(ListOfVar), v(Int), v(Var)], NoneType, "list::List::insert"),
    row!("list.remove", [r(ListOfVar), v(Var)], NoneType, "list::List::remove", raises),
    row!("list.index", [r(ListOfVar), v(Var)], Int, "list::List::index", raises),
    row!("list.count", [r(ListOfVar), v(Var)], Int, "list::List::count"),
    row!("list.reverse", [r(ListOfVar)], NoneType, "list::List::reverse"),
    row!("list.extend", [r(ListOfVar), r(ListOfVar)], NoneType, "list::List::extend"),
    row!("list.clear", [r(ListOfVar)], NoneType, "list::List::clear"),
    row!("list.copy", [r(ListOfVar)], ListOfVar, "list::List::copy"),
    row!("list.sort", [r(ListOfOrderable)], NoneType, "list::List::sort"),
    row!("list.sort(reverse=True)", [r(ListOfOrderable)], NoneType, "list::List::sort_reverse"),
    row!("sorted", [r(ListOfOrderable)], ListOfVar, "list::sorted"),
    row!("list", [r(ListOfVar)], ListOfVar, "list::List::copy"),
    row!("list", [r(Str)], ListOfStr, "text::chars"),
    row!("sorted(reverse=True)", [r(ListOfOrderable)], ListOfVar, "list::sorted_reverse"),
    row!("sorted by key", [r(ListOfVar), r(ListOfVar2)], ListOfVar, "list::sorted_by_keys"),
    row!("sorted by key reversed", [r(ListOfVar), r(ListOfVar2)], ListOfVar, "list::sorted_by_keys_reverse"),
    row!("sort by key", [r(ListOfVar), r(ListOfVar2)], NoneType, "list::List::sort_by_keys"),
    row!("sort by key reversed", [r(ListOfVar), r(ListOfVar2)], NoneType, "list::List::sort_by_keys_reverse"),
    row!("min by key", [r(ListOfVar), r(ListOfVar2)], Var, "list::min_by_keys", raises),
    row!("max by key", [r(ListOfVar), r(ListOfVar2)], Var, "list::max_by_keys", raises),
    row!("min default", [r(ListOfOrderable), v(Var)], Var, "list::min_default"),
    row!("max default", [r(ListOfOrderable), v(Var)], Var, "list::max_default"),
    row!("min", [r(ListOfOrderable)], Var, "list::min", raises),
    row!("max", [r(ListOfOrderable)], Var, "list::max", raises),
    // str methods.
    row!("str.upper", [r(Str)], Str, "text::upper"),
    row!("str.lower", [r(Str)], Str, "text::lower"),
    row!("str.swapcase", [r(Str)], Str, "text::swapcase"),
    row!("str.title", [r(Str)], Str, "text::title"),
    row!("str.capitalize", [r(Str)], Str, "text::capitalize"),
    row!("str.strip", [r(Str)], Str, "text::strip"),
    row!("str.strip", [r(Str), r(Str)], Str, "text::strip_chars"),
    row!("str.lstrip", [r(Str)], Str, "text::lstrip"),
    row!("str.lstrip", [r(Str), r(Str)], Str, "text::lstrip_chars"),
    row!("str.rstrip", [r(Str)], Str, "text::rstrip"),
    row!("str.rstrip", [r(Str), r(Str)], Str, "text::rstrip_chars"),
    row!("str.split", [r(Str)], ListOfStr, "text::split_whitespace"),
    row!("str.split", [r(Str), r(Str)], ListOfStr, "text::split", raises),
    row!("str.split", [r(Str), r(Str), v(Int)], ListOfStr, "text::split_max", raises),
    row!("str.rsplit", [r(Str)], ListOfStr, "text::split_whitespace"),
    row!("str.rsplit", [r(Str), r(Str)], ListOfStr, "text::split", raises),
    row!("str.rsplit", [r(Str), r(Str), v(Int)], ListOfStr, "text::rsplit_max", raises),
    row!("str.splitlines", [r(Str)], ListOfStr, "text::splitlines"),
    row!("str.join", [r(Str), r(ListOfStr)], Str, "text::join"),
    row!("str.replace", [r(Str), r(Str), r(Str)], Str, "text::replace"),
    row!("str.replace", [r(Str), r(Str), r(Str), v(Int)], Str, "text::replace_count"),
    row!("str.find", [r(Str), r(Str)], Int, "text::find"),
    row!("str.rfind", [r(Str), r(Str)], Int, "text::rfind"),
    row!("str.index", [r(Str), r(Str)], Int, "text::index", raises),
    row!("str.rindex", [r(Str), r(Str)], Int, "text::rindex", raises),
    row!("str.count", [r(Str), r(Str)], Int, "text::count"),
    row!("str.startswith", [r(Str), r(Str)], Bool, "text::startswith"),
    row!("str.endswith", [r(Str), r(Str)], Bool, "text::endswith"),
    row!("str.isdigit", [r(Str)], Bool, "text::isdigit"),
    row!("str.isalpha", [r(Str)], Bool, "text::isalpha"),
    row!("str.isalnum", [r(Str)], Bool, "text::isalnum"),
    row!("str.isspace", [r(Str)], Bool, "text::isspace"),
    row!("str.isupper", [r(Str)], Bool, "text::isupper"),
    row!("str.islower", [r(Str)], Bool, "text::islower"),
    row!("str.zfill", [r(Str), v(Int)], Str, "text::zfill"),
    row!("str.center", [r(Str), v(Int)], Str, "text::center"),
    row!("str.center", [r(Str), v(Int), r(Str)], Str, "text::center_fill", raises),
    row!("str.ljust", [r(Str), v(Int)], Str, "text::ljust"),
    row!("str.ljust", [r(Str), v(Int), r(Str)], Str, "text::ljust_fill", raises),
    row!("str.rjust", [r(Str), v(Int)], Str, "text::rjust"),
    row!("str.rjust", [r(Str), v(Int), r(Str)], Str, "text::rjust_fill", raises),
    // range objects.
    row!("range", [v(Int)], Range, "range::PyRange::up_to"),
    row!("range", [v(Int), v(Int)], Range, "range::PyRange::between"),
    row!("range", [v(Int), v(Int), v(Int)], Range, "range::PyRange::new", raises),
    row!("len", [v(Range)], Int, "range::PyRange::len"),
    row!("range list", [v(Range)], ListOfInt, "range::PyRange::to_list", raises),
    row!("tuple", [r(ListOfVar)], TupleOfVar, "tuple::Tuple::from_list"),
    row!("tuple from list", [r(ListOfVar)], TupleOfVar, "tuple::Tuple::from_list"),
    row!("tuple as list", [r(TupleOfVar)], ListOfVar, "tuple::Tuple::as_list"),
    row!("tuple.count", [r(TupleOfVar), v(Var)], Int, "list::List::count"),
    row!("tuple.index", [r(TupleOfVar), v(Var)], Int, "tuple::Tuple::index", raises),
    row!("range in", [v(Int), v(Range)], Bool, "range::is_in"),
    // set.
    row!("len", [r(SetOfVar)], Int, "set::Set::len"),
    row!("set from list", [r(ListOfVar)], SetOfVar, "set::Set::from_list"),
    row!("set items", [r(SetOfVar)], ListOfVar, "set::Set::items"),
    row!("set constant display", [r(SetOfVar)], SetOfVar, "set::Set::constant_display"),
    row!("set in", [r(Var), r(SetOfVar)], Bool, "set::Set::is_in"),
    row!("set.add", [r(SetOfVar), v(Var)], NoneType, "set::Set::add"),
    row!("set.discard", [r(SetOfVar), r(Var)], NoneType, "set::Set::discard"),
    row!("set.remove", [r(SetOfVar), r(Var)], NoneType, "set::Set::remove", raises),
    row!("set.pop", [r(SetOfVar)], Var, "set::Set::pop", raises),
    row!("set.clear", [r(SetOfVar)], NoneType, "set::Set::clear"),
    row!("set.copy", [r(SetOfVar)], SetOfVar, "set::Set::copy"),
    row!("set.update", [r(SetOfVar), r(SetOfVar)], NoneType, "set::Set::update"),
    row!("set.union", [r(SetOfVar), r(SetOfVar)], SetOfVar, "set::Set::union"),
    row!("set.intersection", [r(SetOfVar), r(SetOfVar)], SetOfVar, "set::Set::intersection"),
    row!("set.difference", [r(SetOfVar), r(SetOfVar)], SetOfVar, "set::Set::difference"),
    row!("set.symmetric_difference", [r(SetOfVar), r(SetOfVar)], SetOfVar, "set::Set::symmetric_difference"),
    row!("set.intersection_update", [r(SetOfVar), r(SetOfVar)], NoneType, "set::Set::intersection_update"),
    row!("set.difference_update", [r(SetOfVar), r(SetOfVar)], NoneType, "set::Set::difference_update"),
    row!(
        "set.symmetric_difference_update",
        [r(SetOfVar), r(SetOfVar)],
        NoneType,
        "set::Set::symmetric_difference_update"
    ),
    row!("set.issubset", [r(SetOfVar), r(SetOfVar)], Bool, "set::Set::issubset"),
    row!("set.issuperset", [r(SetOfVar), r(SetOfVar)], Bool, "set::Set::issuperset"),
    row!("set.isdisjoint", [r(SetOfVar), r(SetOfVar)], Bool, "set::Set::isdisjoint"),
    row!("set <", [r(SetOfVar), r(SetOfVar)], Bool, "set::Set::is_proper_subset"),
    row!("set >", [r(SetOfVar), r(SetOfVar)], Bool, "set::Set::is_proper_superset"),
    row!("set next slot", [r(SetOfVar), v(Int), v(Int)], Int, "set::Set::next_slot", raises),
    row!("set key at slot", [r(SetOfVar), v(Int)], Var, "set::Set::key_at_slot"),
    // dict.
    row!("len", [r(DictOfVars)], Int, "dict::Dict::len"),
    row!("dict.get", [r(DictOfVars), r(Var), v(Var2)], Var2, "dict::Dict::get_or"),
    row!("dict.get", [r(DictOfVars), r(Var)], OptionalOfVar2, "dict::Dict::get_opt"),
    row!("dict.setdefault", [r(DictOfVars), v(Var), v(Var2)], Var2, "dict::Dict::setdefault"),
    row!("dict.pop", [r(DictOfVars), r(Var)], Var2, "dict::Dict::pop", raises),
    row!("dict.pop", [r(DictOfVars), r(Var), v(Var2)], Var2, "dict::Dict::pop_or"),
    row!("dict.popitem", [r(DictOfVars)], PairOfVars, "dict::Dict::popitem", raises),
    row!("dict.update", [r(DictOfVars), r(DictOfVars)], NoneType, "dict::Dict::update"),
    row!("dict.clear", [r(DictOfVars)], NoneType, "dict::Dict::clear"),
    row!("dict.copy", [r(DictOfVars)], DictOfVars, "dict::Dict::copy"),
    row!("dict from pairs", [r(ListOfPairs)], DictOfVars, "dict::Dict::from_list"),
    row!("dict keys", [r(DictOfVars)], ListOfVar, "dict::Dict::keys"),
    row!("dict values", [r(DictOfVars)], ListOfVar2, "dict::Dict::values"),
    row!("dict items", [r(DictOfVars)], ListOfPairs, "dict::Dict::items"),
    row!("dict in", [r(Var), r(DictOfVars)], Bool, "dict::is_in"),
    row!("dict del", [r(DictOfVars), r(Var)], NoneType, "dict::Dict::delete", raises),
    row!("dict iter continues", [r(DictOfVars), v(Int), v(Int)], Bool, "dict::Dict::iter_continues", raises),
    row!("dict iter step", [r(DictOfVars), v(Int)], Int, "dict::Dict::iter_step"),
    row!("dict key at", [r(DictOfVars), v(Int)], Var, "dict::Dict::key_at"),
    row!("dict value at", [r(DictOfVars), v(Int)], Var2, "dict::Dict::value_at"),
    row!("dict item at", [r(DictOfVars), v(Int)], PairOfVars, "dict::Dict::item_at"),
    row!("list del", [r(ListOfVar), v(Int)], NoneType, "list::List::delete", raises),
    row!("list *=", [r(ListOfVar), v(Int)], NoneType, "list::List::repeat_in_place", raises),
    // Internal rows (names no Python call can spell).
    row!("str iteration", [r(Str)], ListOfStr, "text::chars"),
    row!("str in", [r(Str), r(Str)], Bool, "text::is_in"),
    // math.
    row!("math.sqrt", [v(Real)], Float, "math::sqrt", raises),
    row!("math.sin", [v(Real)], Float, "math::sin", raises),
    row!("math.cos", [v(Real)], Float, "math::cos", raises),
    row!("math.tan", [v(Real)], Float, "math::tan", raises),
    row!("math.atan2", [v(Real), v(Real)], Float, "math::atan2"),
    row!("math.exp", [v(Real)], Float, "math::exp", raises),
    row!("math.log", [v(Real)], Float, "math::log", raises),
    row!("math.log", [v(Real), v(Real)], Float, "math::log_base", raises),
    row!("math.log10", [v(Real)], Float, "math::log10", raises),
    row!("math.fabs", [v(Real)], Float, "math::fabs"),
    row!("math.floor", [v(IntExact)], Int, "int::identity"),
    row!("math.floor", [v(Real)], Int, "math::floor", raises),
    row!("math.ceil", [v(IntExact)], Int, "int::identity"),
    row!("math.ceil", [v(Real)], Int, "math::ceil", raises),
    row!("math.hypot", [v(Real), v(Real)], Float, "math::hypot", raises),
    row!("math.isnan", [v(Real)], Bool, "math::isnan"),
    row!("math.isinf", [v(Real)], Bool, "math::isinf"),
    row!("math.isfinite", [v(Real)], Bool, "math::isfinite"),
    // sys.
    row!("sys.exit", [], Never, "sys::exit", raises),
    row!("sys.exit", [v(Int)], Never, "sys::exit_code", raises),
    row!("sys.exit", [r(Str)], Never, "sys::exit_message", raises),
    row!("sys.argv", [], ListOfStr, "sys::argv"),
    row!("input", [], Str, "sys::input", raises),
    row!("input", [r(Str)], Str, "sys::input_prompt", raises),
    row!("sum", [r(ListOfInt), v(Int)], Int, "list::sum_int_start", raises),
    row!("sum", [r(ListOfFloat), v(Float)], Float, "list::sum_float_start"),
];

/// Module constants: `math.pi` and friends, read from runtime `const`s.
pub static CONSTANTS: &[(&str, Type, &str)] = &[
    ("math.pi", Type::Float, "math::PI"),
    ("math.e", Type::Float, "math::E"),
    ("math.tau", Type::Float, "math::TAU"),
    ("math.inf", Type::Float, "math::INF"),
    ("math.nan", Type::Float, "math::NAN"),
];

/// Module attributes that are values computed by a call (`sys.argv`).
pub static VALUE_CALLS: &[&str] = &["sys.argv"];

pub fn builtin(id: BuiltinId) -> &'static Builtin {
    &BUILTINS[id.0 as usize]
}

/// The method names the table has for `kind` (`list` or `str`), for help lines.
pub fn methods(kind: &str) -> Vec<&'static str> {
    let prefix = format!("{kind}.");
    let mut names: Vec<&str> = BUILTINS
        .iter()
        .filter_map(|row| row.python.strip_prefix(prefix.as_str()))
        .filter(|n| !n.contains('('))
        .collect();
    names.dedup();
    names
}

/// Whether any row has this Python name.
pub fn exists(python: &str) -> bool {
    BUILTINS.iter().any(|row| row.python == python)
}

/// The conversion needed to pass an argument of type `arg` where `pat` is expected.
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

fn accepts(pat: Pat, arg: &Type, var: &mut Option<Type>, var2: &mut Option<Type>) -> Option<Accept> {
    use Accept::*;
    Some(match (pat, arg) {
        (Pat::Range, Type::Range) => Exact,
        (Pat::File, Type::File) => Exact,
        (Pat::Exception, Type::Exception) | (Pat::ExcArgs, Type::ExcArgs) => Exact,
        (Pat::SetOfVar, Type::Set(elem)) if bind(var, elem) => Exact,
        (Pat::Var2, t) if bind(var2, t) => Exact,
        (Pat::ListOfVar2, Type::List(elem) | Type::VarTuple(elem)) if bind(var2, elem) => Exact,
        (Pat::TupleOfVar, Type::VarTuple(elem)) if bind(var, elem) => Exact,
        (Pat::IteratorOfVar, Type::Iterator(elem)) if bind(var, elem) => Exact,
        (Pat::IteratorOfVar2, Type::Iterator(elem)) if bind(var2, elem) => Exact,
        (Pat::ListOfPairs, Type::List(elem)) => match elem.as_ref() {
            Type::Tuple(items)
                if items.len() == 2 && items[0].is_hashable_key() && bind(var, &items[0]) && bind(var2, &items[1]) =>
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
        (Pat::Var, t) => match var {
            Some(bound) if bound == t => Exact,
            Some(_) => return None,
            None => {
                *var = Some(t.clone());
                Exact
            }
        },
        (Pat::ListOfVar, Type::List(elem) | Type::VarTuple(elem)) => match var {
            Some(bound) if bound == elem.as_ref() => Exact,
            Some(_) => return None,
            None => {
                *var = Some(elem.as_ref().clone());
                Exact
            }
        },
        (Pat::ListOfOrderable, Type::List(elem) | Type::VarTuple(elem)) if orderable(elem) => match var {
            Some(bound) if bound == elem.as_ref() => Exact,
            Some(_) => return None,
            None => {
                *var = Some(elem.as_ref().clone());
                Exact
            }
        },
        (Pat::ListOfInt, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Int => Exact,
        (Pat::ListOfFloat, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Float => Exact,
        (Pat::ListOfBool, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Bool => Exact,
        (Pat::ListOfStr, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Str => Exact,
        (Pat::ListOfNum, Type::List(elem) | Type::VarTuple(elem)) if **elem == Type::Num => Exact,
        _ => return None,
    })
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

/// The type a return pattern stands for, given the bound type variables.
pub fn return_type(pat: Pat, var: &Option<Type>, var2: &Option<Type>) -> Type {
    let t = || var.clone().unwrap_or(Type::Unknown);
    let u = || var2.clone().unwrap_or(Type::Unknown);
    match pat {
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
        Pat::Var => var.clone().unwrap_or(Type::Unknown),
        Pat::ListOfVar | Pat::ListOfOrderable => Type::list(var.clone().unwrap_or(Type::Unknown)),
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

/// Whether some row named `python` with `arity` parameters takes a generator at `index` as the
/// value it is (`str(g)`, `next(g)`), rather than the values it yields.
pub fn takes_generator_value(python: &str, arity: usize, index: usize) -> bool {
    BUILTINS
        .iter()
        .filter(|row| row.python == python && row.params.len() == arity)
        .any(|row| matches!(row.params[index].pat, Pat::Any | Pat::IteratorOfVar | Pat::IteratorOfVar2))
}

/// The type every row named `python` with `arity` parameters expects at `index`, when they all
/// agree on a concrete one (so that `", ".join([])` knows the empty list holds strings).
pub fn expected_arg(python: &str, arity: usize, index: usize) -> Option<Type> {
    let mut found: Option<Type> = None;
    for row in BUILTINS.iter().filter(|row| row.python == python && row.params.len() == arity) {
        let ty = match row.params[index].pat {
            Pat::ListOfInt => Type::list(Type::Int),
            Pat::ListOfFloat => Type::list(Type::Float),
            Pat::ListOfBool => Type::list(Type::Bool),
            Pat::ListOfStr => Type::list(Type::Str),
            Pat::ListOfNum => Type::list(Type::Num),
            Pat::Str => Type::Str,
            _ => return None,
        };
        match &found {
            Some(previous) if *previous != ty => return None,
            _ => found = Some(ty),
        }
    }
    found
}

/// A row that accepts the argument types, with the conversion for each argument.
pub struct Resolved {
    pub id: BuiltinId,
    pub conversions: Vec<Accept>,
    pub ret: Type,
}

/// Finds the first row named `python` that accepts `args`.
pub fn resolve(python: &str, args: &[Type]) -> Option<Resolved> {
    BUILTINS.iter().enumerate().find_map(|(index, row)| {
        if row.python != python || row.params.len() != args.len() {
            return None;
        }
        let (mut var, mut var2) = (None, None);
        let conversions = row
            .params
            .iter()
            .zip(args)
            .map(|(param, arg)| accepts(param.pat, arg, &mut var, &mut var2))
            .collect::<Option<Vec<_>>>()?;
        Some(Resolved { id: BuiltinId(index as u16), conversions, ret: return_type(row.ret, &var, &var2) })
    })
}

/// The parameter counts the rows named `python` accept, for error messages.
pub fn arities(python: &str) -> Vec<usize> {
    let mut counts: Vec<usize> =
        BUILTINS.iter().filter(|row| row.python == python).map(|row| row.params.len()).collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}
