//! The rows of the builtins table (see `mod.rs` for what a row says). Rows of one key are
//! overloads tried in order: exact types before conversions, fewer parameters before more.
//! Parameter names and kinds follow CPython 3.11's signatures (`help(str.split)`).

use super::patterns::Pat::{self, *};
use super::DefaultArg::Bool as DBool;
use super::Key::{Function as F, Member as M, Method, Op as O};
use super::Module::{Math, Os, OsPath, Sys};
use super::Op::*;
use super::Receiver::Tuple as RTuple;
use super::Receiver::{Dict as RDict, File as RFile, Generator as RGen, List as RList, Set as RSet, Str as RStr};
use super::{r, v, Builtin, Constant, Key, Param};
use crate::types::Type;

const fn row(key: Key, params: &'static [Param], ret: Pat, runtime: &'static str) -> Builtin {
    Builtin::new(key, params, ret, runtime)
}

/// `reverse=False`, keyword-only (`sorted`, `list.sort`).
const REVERSE: Param = v("reverse", Bool).keyword().default(DBool(false));

pub static BUILTINS: &[Builtin] = &[
    // Numbers.
    row(F("abs"), &[v("x", IntExact)], Int, "int::abs").raises(),
    row(F("abs"), &[v("x", Float)], Float, "float::abs"),
    row(F("abs"), &[v("x", NumExact)], Num, "num::abs").raises(),
    row(F("abs"), &[v("x", Bool)], Int, "int::from_bool"),
    row(F("min"), &[v("a", IntExact), v("b", IntExact)], Int, "builtins::min"),
    row(F("min"), &[v("a", Float), v("b", Float)], Float, "builtins::min"),
    row(F("min"), &[r("a", Str), r("b", Str)], Str, "builtins::min_ref"),
    row(F("min"), &[v("a", Num), v("b", Num)], Num, "builtins::min"),
    row(F("max"), &[v("a", IntExact), v("b", IntExact)], Int, "builtins::max"),
    row(F("max"), &[v("a", Float), v("b", Float)], Float, "builtins::max"),
    row(F("max"), &[r("a", Str), r("b", Str)], Str, "builtins::max_ref"),
    row(F("max"), &[v("a", Num), v("b", Num)], Num, "builtins::max"),
    row(F("divmod"), &[v("x", Int), v("y", Int)], TupleIntInt, "int::divmod").raises(),
    row(F("divmod"), &[v("x", Real), v("y", Real)], TupleFloatFloat, "float::divmod").raises(),
    row(F("pow"), &[v("base", Int).either(), v("exp", Int).either(), v("mod", Int).either()], Int, "int::pow_mod")
        .raises(),
    row(F("round"), &[v("number", Float).either()], Int, "float::round").raises(),
    row(F("round"), &[v("number", Float).either(), v("ndigits", Int).either()], Float, "float::round_digits"),
    row(F("round"), &[v("number", Int).either()], Int, "int::identity"),
    row(F("round"), &[v("number", Int).either(), v("ndigits", Int).either()], Int, "int::round_digits").raises(),
    // Conversions.
    row(F("int"), &[v("x", IntExact)], Int, "int::identity"),
    row(F("int"), &[v("x", Bool)], Int, "int::from_bool"),
    row(F("int"), &[v("x", Float)], Int, "int::from_float").raises(),
    row(F("int"), &[v("x", NumExact)], Int, "num::to_int").raises(),
    row(F("int"), &[r("x", Str)], Int, "int::from_str").raises(),
    row(F("float"), &[v("x", Real)], Float, "float::identity"),
    row(F("float"), &[r("x", Str)], Float, "float::from_str").raises(),
    // A value whose text runs the program's `__str__`/`__repr__` can raise.
    row(F("str"), &[r("object", ReprRunsCode).either()], Str, "repr::try_to_str").raises(),
    row(F("str"), &[r("object", Any).either()], Str, "repr::to_str"),
    row(F("repr"), &[r("obj", ReprRunsCode)], Str, "repr::try_to_repr").raises(),
    row(F("repr"), &[r("obj", Any)], Str, "repr::to_repr"),
    row(F("ord"), &[r("c", Str)], Int, "text::ord").raises(),
    row(F("chr"), &[v("i", Int)], Str, "text::chr").raises(),
    row(O(NumIsInt), &[v("x", NumExact)], Bool, "num::is_int"),
    row(O(NumIsFloat), &[v("x", NumExact)], Bool, "num::is_float"),
    row(O(PercentInt), &[v("x", IntExact)], Int, "int::identity"),
    row(O(PercentInt), &[v("x", Bool)], Int, "int::from_bool"),
    row(O(PercentInt), &[v("x", Float)], Int, "int::from_float").raises(),
    row(O(PercentInt), &[v("x", NumExact)], Int, "num::to_int").raises(),
    // Files and paths.
    row(F("open"), &[r("file", Str).either()], File, "file::open_read").raises(),
    row(F("open"), &[r("file", Str).either(), r("mode", Str).either()], File, "file::open").raises(),
    row(Method(RFile, "read"), &[r("self", File)], Str, "file::PyFile::read").raises().mutates(0),
    row(Method(RFile, "readline"), &[r("self", File)], Str, "file::PyFile::readline").raises().mutates(0),
    row(Method(RFile, "readlines"), &[r("self", File)], ListOfStr, "file::PyFile::readlines").raises().mutates(0),
    row(Method(RFile, "write"), &[r("self", File), r("text", Str)], Int, "file::PyFile::write").raises().mutates(0),
    row(Method(RFile, "close"), &[r("self", File)], NoneType, "file::PyFile::close").raises().mutates(0),
    row(M(OsPath, "exists"), &[r("path", Str).either()], Bool, "file::exists"),
    row(M(OsPath, "join"), &[r("a", Str)], Str, "file::join1"),
    row(M(OsPath, "join"), &[r("a", Str), r("p", Str)], Str, "file::join"),
    row(M(OsPath, "join"), &[r("a", Str), r("p", Str), r("q", Str)], Str, "file::join3"),
    row(M(OsPath, "join"), &[r("a", Str), r("p", Str), r("q", Str), r("s", Str)], Str, "file::join4"),
    row(M(Os, "listdir"), &[r("path", Str).either()], ListOfStr, "file::listdir").raises(),
    row(M(Os, "remove"), &[r("path", Str).either()], NoneType, "file::remove").raises(),
    // Generators and iterators.
    row(F("next"), &[r("iterator", IteratorOfVar)], Var, "generator::Generator::next_value").raises().mutates(0),
    row(F("next"), &[r("iterator", IteratorOfVar), v("default", Var)], Var, "generator::Generator::next_or")
        .raises()
        .mutates(0),
    row(Method(RGen, "close"), &[r("self", IteratorOfVar)], NoneType, "generator::Generator::close")
        .raises()
        .mutates(0),
    row(F("iter"), &[r("object", IteratorOfVar)], IteratorOfVar, "generator::iter_generator"),
    row(F("iter"), &[r("object", ListOfVar)], IteratorOfVar, "generator::iter_list"),
    row(O(ListFromIterator), &[r("iterator", IteratorOfVar)], ListOfVar, "generator::to_list").raises().mutates(0),
    row(F("iter"), &[v("object", Range)], IteratorOfInt, "generator::iter_range"),
    row(
        O(EnumerateGenerator),
        &[r("iterable", IteratorOfVar), v("start", Int)],
        IteratorOfIndexed,
        "generator::enumerate",
    ),
    row(O(ZipGenerators), &[r("a", IteratorOfVar), r("b", IteratorOfVar2)], IteratorOfPairs, "generator::zip"),
    row(O(GeneratorResume), &[r("iterator", IteratorOfVar)], OptionalOfVar, "generator::Generator::resume")
        .raises()
        .mutates(0),
    // Exceptions.
    row(O(ExceptionArgs), &[r("e", Exception)], ExcArgs, "exc::Exc::args"),
    row(O(ExceptionArgsFromRepr), &[r("repr", Str)], ExcArgs, "exc::Args::from_repr"),
    row(F("len"), &[r("obj", ExcArgs)], Int, "exc::Args::len"),
    row(O(ExceptionArg), &[r("args", ExcArgs), v("index", Int)], Str, "exc::Args::get").raises(),
    // Lists and iterables.
    row(F("len"), &[r("obj", ListOfVar)], Int, "list::List::len"),
    row(F("len"), &[r("obj", Str)], Int, "str::Str::len"),
    row(F("sum"), &[r("iterable", ListOfInt).iterable()], Int, "list::sum_int").raises(),
    row(F("sum"), &[r("iterable", ListOfFloat).iterable()], Num, "list::sum_float"),
    row(F("sum"), &[r("iterable", ListOfBool).iterable()], Int, "list::sum_bool"),
    row(F("sum"), &[r("iterable", ListOfNum).iterable()], Num, "list::sum_num").raises(),
    row(F("sum"), &[r("iterable", ListOfInt).iterable(), v("start", Int).either()], Int, "list::sum_int_start")
        .raises(),
    row(F("sum"), &[r("iterable", ListOfFloat).iterable(), v("start", Float).either()], Float, "list::sum_float_start"),
    row(Method(RList, "append"), &[r("self", ListOfVar), v("object", Var)], NoneType, "list::List::append").resizes(),
    row(Method(RList, "pop"), &[r("self", ListOfVar)], Var, "list::List::pop").raises().resizes(),
    row(Method(RList, "pop"), &[r("self", ListOfVar), v("index", Int)], Var, "list::List::pop_at").raises().resizes(),
    row(
        Method(RList, "insert"),
        &[r("self", ListOfVar), v("index", Int), v("object", Var)],
        NoneType,
        "list::List::insert",
    )
    .resizes(),
    row(Method(RList, "remove"), &[r("self", ListOfVar), v("value", Var)], NoneType, "list::List::remove")
        .raises()
        .resizes()
        .compares_elements(),
    row(Method(RList, "index"), &[r("self", ListOfVar), v("value", Var)], Int, "list::List::index")
        .raises()
        .compares_elements(),
    row(Method(RList, "count"), &[r("self", ListOfVar), v("value", Var)], Int, "list::List::count").compares_elements(),
    row(Method(RList, "reverse"), &[r("self", ListOfVar)], NoneType, "list::List::reverse").mutates(0),
    row(
        Method(RList, "extend"),
        &[r("self", ListOfVar), r("iterable", ListOfVar).iterable()],
        NoneType,
        "list::List::extend",
    )
    .resizes(),
    row(Method(RList, "clear"), &[r("self", ListOfVar)], NoneType, "list::List::clear").resizes(),
    row(Method(RList, "copy"), &[r("self", ListOfVar)], ListOfVar, "list::List::copy"),
    // Sorting replaces the list's buffer: it counts as a resize for loop views.
    row(Method(RList, "sort"), &[r("self", ListOfOrderable), REVERSE], NoneType, "list::List::sort").resizes(),
    row(F("sorted"), &[r("iterable", ListOfOrderable).iterable(), REVERSE], ListOfVar, "list::sorted"),
    row(F("list"), &[r("iterable", ListOfVar).iterable()], ListOfVar, "list::List::copy"),
    row(F("list"), &[r("iterable", Str)], ListOfStr, "text::chars"),
    row(
        O(SortedByKeys),
        &[r("items", ListOfVar), r("keys", ListOfVar2), v("reverse", Bool)],
        ListOfVar,
        "list::sorted_by_keys",
    ),
    row(
        O(SortByKeys),
        &[r("items", ListOfVar), r("keys", ListOfVar2), v("reverse", Bool)],
        NoneType,
        "list::List::sort_by_keys",
    )
    .resizes(),
    row(O(MinByKeys), &[r("items", ListOfVar), r("keys", ListOfVar2)], Var, "list::min_by_keys").raises(),
    row(O(MaxByKeys), &[r("items", ListOfVar), r("keys", ListOfVar2)], Var, "list::max_by_keys").raises(),
    row(F("min"), &[r("iterable", ListOfOrderable).iterable()], Var, "list::min").raises(),
    row(F("min"), &[r("iterable", ListOfOrderable).iterable(), v("default", Var).keyword()], Var, "list::min_default"),
    row(F("max"), &[r("iterable", ListOfOrderable).iterable()], Var, "list::max").raises(),
    row(F("max"), &[r("iterable", ListOfOrderable).iterable(), v("default", Var).keyword()], Var, "list::max_default"),
    row(O(ListDelete), &[r("list", ListOfVar), v("index", Int)], NoneType, "list::List::delete").raises().resizes(),
    row(O(ListRepeatInPlace), &[r("list", ListOfVar), v("count", Int)], NoneType, "list::List::repeat_in_place")
        .raises()
        .resizes(),
    // str methods.
    row(Method(RStr, "upper"), &[r("self", Str)], Str, "text::upper"),
    row(Method(RStr, "lower"), &[r("self", Str)], Str, "text::lower"),
    row(Method(RStr, "swapcase"), &[r("self", Str)], Str, "text::swapcase"),
    row(Method(RStr, "title"), &[r("self", Str)], Str, "text::title"),
    row(Method(RStr, "capitalize"), &[r("self", Str)], Str, "text::capitalize"),
    row(Method(RStr, "strip"), &[r("self", Str)], Str, "text::strip"),
    row(Method(RStr, "strip"), &[r("self", Str), r("chars", Str)], Str, "text::strip_chars"),
    row(Method(RStr, "lstrip"), &[r("self", Str)], Str, "text::lstrip"),
    row(Method(RStr, "lstrip"), &[r("self", Str), r("chars", Str)], Str, "text::lstrip_chars"),
    row(Method(RStr, "rstrip"), &[r("self", Str)], Str, "text::rstrip"),
    row(Method(RStr, "rstrip"), &[r("self", Str), r("chars", Str)], Str, "text::rstrip_chars"),
    row(Method(RStr, "split"), &[r("self", Str)], ListOfStr, "text::split_whitespace"),
    row(Method(RStr, "split"), &[r("self", Str), r("sep", Str).either()], ListOfStr, "text::split").raises(),
    row(
        Method(RStr, "split"),
        &[r("self", Str), r("sep", Str).either(), v("maxsplit", Int).either()],
        ListOfStr,
        "text::split_max",
    )
    .raises(),
    row(Method(RStr, "rsplit"), &[r("self", Str)], ListOfStr, "text::split_whitespace"),
    row(Method(RStr, "rsplit"), &[r("self", Str), r("sep", Str).either()], ListOfStr, "text::split").raises(),
    row(
        Method(RStr, "rsplit"),
        &[r("self", Str), r("sep", Str).either(), v("maxsplit", Int).either()],
        ListOfStr,
        "text::rsplit_max",
    )
    .raises(),
    row(Method(RStr, "splitlines"), &[r("self", Str)], ListOfStr, "text::splitlines"),
    row(Method(RStr, "join"), &[r("self", Str), r("iterable", ListOfStr).iterable()], Str, "text::join"),
    row(Method(RStr, "replace"), &[r("self", Str), r("old", Str), r("new", Str)], Str, "text::replace"),
    row(
        Method(RStr, "replace"),
        &[r("self", Str), r("old", Str), r("new", Str), v("count", Int)],
        Str,
        "text::replace_count",
    ),
    row(Method(RStr, "find"), &[r("self", Str), r("sub", Str)], Int, "text::find"),
    row(Method(RStr, "rfind"), &[r("self", Str), r("sub", Str)], Int, "text::rfind"),
    row(Method(RStr, "index"), &[r("self", Str), r("sub", Str)], Int, "text::index").raises(),
    row(Method(RStr, "rindex"), &[r("self", Str), r("sub", Str)], Int, "text::rindex").raises(),
    row(Method(RStr, "count"), &[r("self", Str), r("sub", Str)], Int, "text::count"),
    row(Method(RStr, "startswith"), &[r("self", Str), r("prefix", Str)], Bool, "text::startswith"),
    row(Method(RStr, "endswith"), &[r("self", Str), r("suffix", Str)], Bool, "text::endswith"),
    row(Method(RStr, "isdigit"), &[r("self", Str)], Bool, "text::isdigit"),
    row(Method(RStr, "isalpha"), &[r("self", Str)], Bool, "text::isalpha"),
    row(Method(RStr, "isalnum"), &[r("self", Str)], Bool, "text::isalnum"),
    row(Method(RStr, "isspace"), &[r("self", Str)], Bool, "text::isspace"),
    row(Method(RStr, "isupper"), &[r("self", Str)], Bool, "text::isupper"),
    row(Method(RStr, "islower"), &[r("self", Str)], Bool, "text::islower"),
    row(Method(RStr, "zfill"), &[r("self", Str), v("width", Int)], Str, "text::zfill").raises(),
    row(Method(RStr, "center"), &[r("self", Str), v("width", Int)], Str, "text::center").raises(),
    row(Method(RStr, "center"), &[r("self", Str), v("width", Int), r("fillchar", Str)], Str, "text::center_fill")
        .raises(),
    row(Method(RStr, "ljust"), &[r("self", Str), v("width", Int)], Str, "text::ljust").raises(),
    row(Method(RStr, "ljust"), &[r("self", Str), v("width", Int), r("fillchar", Str)], Str, "text::ljust_fill")
        .raises(),
    row(Method(RStr, "rjust"), &[r("self", Str), v("width", Int)], Str, "text::rjust").raises(),
    row(Method(RStr, "rjust"), &[r("self", Str), v("width", Int), r("fillchar", Str)], Str, "text::rjust_fill")
        .raises(),
    row(O(StrChars), &[r("text", Str)], ListOfStr, "text::chars"),
    row(O(StrContains), &[r("needle", Str), r("text", Str)], Bool, "text::is_in"),
    // range objects.
    row(F("range"), &[v("stop", Int)], Range, "range::PyRange::up_to"),
    row(F("range"), &[v("start", Int), v("stop", Int)], Range, "range::PyRange::between"),
    row(F("range"), &[v("start", Int), v("stop", Int), v("step", Int)], Range, "range::PyRange::new").raises(),
    row(F("len"), &[v("obj", Range)], Int, "range::PyRange::len"),
    // Materialising a range can raise MemoryError.
    row(O(RangeList), &[v("range", Range)], ListOfInt, "range::PyRange::to_list").raises(),
    row(O(RangeContains), &[v("value", Int), v("range", Range)], Bool, "range::is_in"),
    // Tuples of any length.
    row(F("tuple"), &[r("iterable", ListOfVar).iterable()], TupleOfVar, "tuple::Tuple::from_list"),
    row(O(TupleFromList), &[r("list", ListOfVar)], TupleOfVar, "tuple::Tuple::from_list"),
    row(O(TupleAsList), &[r("tuple", TupleOfVar)], ListOfVar, "tuple::Tuple::as_list").shares_result(),
    row(Method(RTuple, "count"), &[r("self", TupleOfVar), v("value", Var)], Int, "list::List::count")
        .compares_elements(),
    row(Method(RTuple, "index"), &[r("self", TupleOfVar), v("value", Var)], Int, "tuple::Tuple::index")
        .raises()
        .compares_elements(),
    // Sets.
    row(F("len"), &[r("obj", SetOfVar)], Int, "set::Set::len"),
    row(O(SetFromList), &[r("list", ListOfVar)], SetOfVar, "set::Set::from_list"),
    row(O(SetItems), &[r("set", SetOfVar)], ListOfVar, "set::Set::items"),
    row(O(SetConstantDisplay), &[r("set", SetOfVar)], SetOfVar, "set::Set::constant_display"),
    row(O(SetContains), &[r("value", Var), r("set", SetOfVar)], Bool, "set::Set::is_in"),
    row(Method(RSet, "add"), &[r("self", SetOfVar), v("elem", Var)], NoneType, "set::Set::add").mutates(0),
    row(Method(RSet, "discard"), &[r("self", SetOfVar), r("elem", Var)], NoneType, "set::Set::discard").mutates(0),
    row(Method(RSet, "remove"), &[r("self", SetOfVar), r("elem", Var)], NoneType, "set::Set::remove")
        .raises()
        .mutates(0),
    row(Method(RSet, "pop"), &[r("self", SetOfVar)], Var, "set::Set::pop").raises().mutates(0),
    row(Method(RSet, "clear"), &[r("self", SetOfVar)], NoneType, "set::Set::clear").mutates(0),
    row(Method(RSet, "copy"), &[r("self", SetOfVar)], SetOfVar, "set::Set::copy"),
    row(Method(RSet, "update"), &[r("self", SetOfVar), r("other", SetOfVar)], NoneType, "set::Set::update").mutates(0),
    row(Method(RSet, "union"), &[r("self", SetOfVar), r("other", SetOfVar)], SetOfVar, "set::Set::union"),
    row(Method(RSet, "intersection"), &[r("self", SetOfVar), r("other", SetOfVar)], SetOfVar, "set::Set::intersection"),
    row(Method(RSet, "difference"), &[r("self", SetOfVar), r("other", SetOfVar)], SetOfVar, "set::Set::difference"),
    row(
        Method(RSet, "symmetric_difference"),
        &[r("self", SetOfVar), r("other", SetOfVar)],
        SetOfVar,
        "set::Set::symmetric_difference",
    ),
    row(
        Method(RSet, "intersection_update"),
        &[r("self", SetOfVar), r("other", SetOfVar)],
        NoneType,
        "set::Set::intersection_update",
    )
    .mutates(0),
    row(
        Method(RSet, "difference_update"),
        &[r("self", SetOfVar), r("other", SetOfVar)],
        NoneType,
        "set::Set::difference_update",
    )
    .mutates(0),
    row(
        Method(RSet, "symmetric_difference_update"),
        &[r("self", SetOfVar), r("other", SetOfVar)],
        NoneType,
        "set::Set::symmetric_difference_update",
    )
    .mutates(0),
    row(Method(RSet, "issubset"), &[r("self", SetOfVar), r("other", SetOfVar)], Bool, "set::Set::issubset"),
    row(Method(RSet, "issuperset"), &[r("self", SetOfVar), r("other", SetOfVar)], Bool, "set::Set::issuperset"),
    row(Method(RSet, "isdisjoint"), &[r("self", SetOfVar), r("other", SetOfVar)], Bool, "set::Set::isdisjoint"),
    row(O(SetProperSubset), &[r("a", SetOfVar), r("b", SetOfVar)], Bool, "set::Set::is_proper_subset"),
    row(O(SetProperSuperset), &[r("a", SetOfVar), r("b", SetOfVar)], Bool, "set::Set::is_proper_superset"),
    row(O(SetNextSlot), &[r("set", SetOfVar), v("expected", Int), v("position", Int)], Int, "set::Set::next_slot")
        .raises(),
    row(O(SetKeyAtSlot), &[r("set", SetOfVar), v("slot", Int)], Var, "set::Set::key_at_slot"),
    // Dicts.
    row(F("len"), &[r("obj", DictOfVars)], Int, "dict::Dict::len"),
    row(Method(RDict, "get"), &[r("self", DictOfVars), r("key", Var), v("default", Var2)], Var2, "dict::Dict::get_or"),
    row(Method(RDict, "get"), &[r("self", DictOfVars), r("key", Var)], OptionalOfVar2, "dict::Dict::get_opt"),
    row(
        Method(RDict, "setdefault"),
        &[r("self", DictOfVars), v("key", Var), v("default", Var2)],
        Var2,
        "dict::Dict::setdefault",
    )
    .mutates(0),
    row(Method(RDict, "pop"), &[r("self", DictOfVars), r("key", Var)], Var2, "dict::Dict::pop").raises().mutates(0),
    row(Method(RDict, "pop"), &[r("self", DictOfVars), r("key", Var), v("default", Var2)], Var2, "dict::Dict::pop_or")
        .mutates(0),
    row(Method(RDict, "popitem"), &[r("self", DictOfVars)], PairOfVars, "dict::Dict::popitem").raises().mutates(0),
    row(Method(RDict, "update"), &[r("self", DictOfVars), r("other", DictOfVars)], NoneType, "dict::Dict::update")
        .mutates(0),
    row(Method(RDict, "clear"), &[r("self", DictOfVars)], NoneType, "dict::Dict::clear").mutates(0),
    row(Method(RDict, "copy"), &[r("self", DictOfVars)], DictOfVars, "dict::Dict::copy"),
    row(O(DictFromPairs), &[r("pairs", ListOfPairs)], DictOfVars, "dict::Dict::from_list"),
    row(O(DictKeys), &[r("dict", DictOfVars)], ListOfVar, "dict::Dict::keys"),
    row(O(DictValues), &[r("dict", DictOfVars)], ListOfVar2, "dict::Dict::values"),
    row(O(DictItems), &[r("dict", DictOfVars)], ListOfPairs, "dict::Dict::items"),
    row(O(DictContains), &[r("key", Var), r("dict", DictOfVars)], Bool, "dict::is_in"),
    row(O(DictDelete), &[r("dict", DictOfVars), r("key", Var)], NoneType, "dict::Dict::delete").raises().mutates(0),
    row(
        O(DictIterContinues),
        &[r("dict", DictOfVars), v("expected", Int), v("position", Int)],
        Bool,
        "dict::Dict::iter_continues",
    )
    .raises(),
    row(O(DictIterStep), &[r("dict", DictOfVars), v("position", Int)], Int, "dict::Dict::iter_step"),
    row(O(DictKeyAt), &[r("dict", DictOfVars), v("position", Int)], Var, "dict::Dict::key_at"),
    row(O(DictValueAt), &[r("dict", DictOfVars), v("position", Int)], Var2, "dict::Dict::value_at"),
    row(O(DictItemAt), &[r("dict", DictOfVars), v("position", Int)], PairOfVars, "dict::Dict::item_at"),
    // math.
    row(M(Math, "sqrt"), &[v("x", Real)], Float, "math::sqrt").raises(),
    row(M(Math, "sin"), &[v("x", Real)], Float, "math::sin").raises(),
    row(M(Math, "cos"), &[v("x", Real)], Float, "math::cos").raises(),
    row(M(Math, "tan"), &[v("x", Real)], Float, "math::tan").raises(),
    row(M(Math, "atan2"), &[v("y", Real), v("x", Real)], Float, "math::atan2"),
    row(M(Math, "exp"), &[v("x", Real)], Float, "math::exp").raises(),
    row(M(Math, "log"), &[v("x", Real)], Float, "math::log").raises(),
    row(M(Math, "log"), &[v("x", Real), v("base", Real)], Float, "math::log_base").raises(),
    row(M(Math, "log10"), &[v("x", Real)], Float, "math::log10").raises(),
    row(M(Math, "log1p"), &[v("x", Real)], Float, "math::log1p").raises(),
    row(M(Math, "fabs"), &[v("x", Real)], Float, "math::fabs"),
    row(M(Math, "floor"), &[v("x", IntExact)], Int, "int::identity"),
    row(M(Math, "floor"), &[v("x", Real)], Int, "math::floor").raises(),
    row(M(Math, "ceil"), &[v("x", IntExact)], Int, "int::identity"),
    row(M(Math, "ceil"), &[v("x", Real)], Int, "math::ceil").raises(),
    row(M(Math, "hypot"), &[v("x", Real), v("y", Real)], Float, "math::hypot").raises(),
    row(M(Math, "isnan"), &[v("x", Real)], Bool, "math::isnan"),
    row(M(Math, "isinf"), &[v("x", Real)], Bool, "math::isinf"),
    row(M(Math, "isfinite"), &[v("x", Real)], Bool, "math::isfinite"),
    // sys and the console.
    row(M(Sys, "exit"), &[], Never, "sys::exit").raises(),
    row(M(Sys, "exit"), &[v("status", Int)], Never, "sys::exit_code").raises(),
    row(M(Sys, "exit"), &[r("status", Str)], Never, "sys::exit_message").raises(),
    row(M(Sys, "argv"), &[], ListOfStr, "sys::argv").serial().shares_result(),
    row(F("input"), &[], Str, "sys::input").raises(),
    row(F("input"), &[r("prompt", Str)], Str, "sys::input_prompt").raises(),
];

/// Module constants: `math.pi` and friends, read from runtime `const`s.
pub static CONSTANTS: &[Constant] = &[
    Constant { module: Math, name: "pi", ty: Type::Float, runtime: "math::PI" },
    Constant { module: Math, name: "e", ty: Type::Float, runtime: "math::E" },
    Constant { module: Math, name: "tau", ty: Type::Float, runtime: "math::TAU" },
    Constant { module: Math, name: "inf", ty: Type::Float, runtime: "math::INF" },
    Constant { module: Math, name: "nan", ty: Type::Float, runtime: "math::NAN" },
];
