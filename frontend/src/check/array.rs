//! NumPy arrays (`NDArray[np.float64]` and the other supported dtypes): element indexing
//! `a[i, j]` (reads, stores, augmented stores), `a.shape`, `a.shape[k]`, `a.size`, `a.ndim`,
//! `len(a)`, and creation with `np.zeros`/`ones`/`empty`/`full` and their `_like` forms.
//!
//! The number of dimensions of a parameter comes from how the function indexes it (`a[i, j]`
//! makes it 2-D) or reads its shape (`a.shape[2]` needs 3); a created array's from its shape.
//! Elements read as Python values (float, int, bool); a stored int becomes a float in a float
//! array, as NumPy converts.

use super::Checker;
use crate::builtins::{Builtin, Pat};
use crate::diagnostic::Code;
use crate::ir::{ArrayInfo, Expr, ExprKind, Stmt, Target};
use crate::span::{Loc, Span};
use crate::syntax::{self, ExprKind as S, Keyword};
use crate::types::{Dtype, Type};

/// The creation functions: (name, takes a fill value, copies the shape of an array).
const CREATORS: &[(&str, bool, bool)] = &[
    ("zeros", false, false),
    ("ones", false, false),
    ("empty", false, false),
    ("full", true, false),
    ("zeros_like", false, true),
    ("ones_like", false, true),
    ("empty_like", false, true),
    ("full_like", true, true),
];

impl Checker<'_> {
    /// The index of `a[...]` on an `ndim`-dimensional array: an int, or a tuple of `ndim` ints.
    pub(super) fn array_index(&mut self, index: &syntax::Expr, ndim: u8) -> Option<Expr> {
        let parts: Vec<&syntax::Expr> = match &index.kind {
            S::Tuple(items) => items.iter().collect(),
            _ => vec![index],
        };
        if parts.iter().any(|p| matches!(p.kind, S::Slice { .. })) {
            self.error(
                Code::Unsupported,
                index.span,
                "array slices are not supported by pyrsc yet",
                "a slice",
                "index single elements (`a[i, j]`) in a loop",
            );
            return None;
        }
        if parts.len() != ndim as usize {
            self.error(
                Code::TypeMismatch,
                index.span,
                format!(
                    "this array has {ndim} dimension{}, but {} {} given",
                    if ndim == 1 { "" } else { "s" },
                    parts.len(),
                    if parts.len() == 1 { "index is" } else { "indices are" }
                ),
                "wrong number of indices",
                format!(
                    "index one element with {ndim} integer{} (whole rows are not supported yet)",
                    if ndim == 1 { "" } else { "s" }
                ),
            );
            return None;
        }
        let values: Vec<Expr> = parts.iter().map(|p| self.array_int(p, false)).collect();
        if values.len() == 1 {
            return values.into_iter().next();
        }
        let ty = Type::Tuple(values.iter().map(|v| v.ty.clone()).collect());
        Some(Expr::new(ExprKind::Tuple(values), ty, self.loc(index.span)))
    }

    /// An int index of an array (or, for `shape`, a dimension of a new one). NumPy takes a
    /// bool index as a boolean mask (`a[True]` adds an axis) and refuses a bool or a float in a
    /// shape, so neither is converted to 0 or 1 as a list index would be.
    fn array_int(&mut self, e: &syntax::Expr, shape: bool) -> Expr {
        let value = self.expr(e, None);
        let what = if shape { "an array shape" } else { "an array index" };
        match value.ty {
            Type::Int | Type::Unknown => value,
            Type::Bool => {
                let (code, message, help) = if shape {
                    (
                        Code::TypeMismatch,
                        "NumPy does not take a bool as an array dimension (TypeError)",
                        "pass an int: `int(flag)`",
                    )
                } else {
                    (
                        Code::Unsupported,
                        "a bool as an array index is a boolean mask in NumPy, which pyrsc does not support yet",
                        "index with an int: `int(flag)` if you mean 0 or 1",
                    )
                };
                self.error(code, e.span, message, format!("a bool in {what}"), help);
                self.poisoned(e.span)
            }
            ref other => {
                let other = other.clone();
                self.error(
                    Code::TypeMismatch,
                    e.span,
                    format!("{what} must be made of integers, not {other}"),
                    format!("this is {other}"),
                    "convert it with int(...)",
                );
                self.poisoned(e.span)
            }
        }
    }

    /// `a[i, j]` read.
    pub(super) fn array_subscript(
        &mut self,
        base: Expr,
        index: &syntax::Expr,
        dtype: Dtype,
        ndim: u8,
        span: Span,
        loc: Loc,
    ) -> Expr {
        match self.array_index(index, ndim) {
            Some(index) => {
                Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(index) }, dtype.element(), loc)
            }
            None => self.poisoned(span),
        }
    }

    /// `a[i, j] = value`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn array_store(
        &mut self,
        base: Expr,
        index: &syntax::Expr,
        value: Expr,
        dtype: Dtype,
        ndim: u8,
        span: Span,
        loc: Loc,
    ) -> Option<Stmt> {
        let index = self.array_index(index, ndim)?;
        let value = self.array_element(value, dtype, span);
        Some(Stmt::Assign { target: Target::Index { base: Box::new(base), index: Box::new(index), loc }, value })
    }

    /// A value stored into an array of `dtype`: ints and bools become floats in a float array
    /// and bools ints in an int array, as NumPy converts; anything else is an error.
    pub(super) fn array_element(&mut self, value: Expr, dtype: Dtype, span: Span) -> Expr {
        match (dtype.element(), &value.ty) {
            (_, Type::Unknown) => value,
            (Type::Float, Type::Float) | (Type::Int, Type::Int) | (Type::Bool, Type::Bool) => value,
            (Type::Float, Type::Int | Type::Bool | Type::Num) => self.to_float(value),
            (Type::Int, Type::Bool) => self.to_int(value),
            (element, found) => {
                let found = found.clone();
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("cannot store {found} in an array of {}", dtype.numpy_name()),
                    format!("this is {found}"),
                    format!("store a {element} (convert with {element}(...))"),
                );
                self.poisoned(span)
            }
        }
    }

    /// `a.shape`, `a.size`, `a.ndim`.
    pub(super) fn array_attribute(&mut self, base: Expr, attr: &str, span: Span) -> Expr {
        let Type::Array(_, ndim) = base.ty else { return self.poisoned(span) };
        let loc = self.loc(span);
        match attr {
            "shape" => Expr::new(
                ExprKind::ArrayInfo { base: Box::new(base), what: ArrayInfo::Shape },
                Type::Tuple(vec![Type::Int; ndim as usize]),
                loc,
            ),
            "size" => Expr::new(ExprKind::ArrayInfo { base: Box::new(base), what: ArrayInfo::Size }, Type::Int, loc),
            "ndim" => Expr::new(ExprKind::Int(ndim as i64), Type::Int, loc),
            _ => {
                self.error(
                    Code::UnknownAttribute,
                    span,
                    format!("arrays have no attribute `{attr}` in pyrsc"),
                    "unknown attribute",
                    "pyrsc supports a.shape, a.shape[k], a.size, a.ndim and len(a); write loops for the rest",
                );
                self.poisoned(span)
            }
        }
    }

    /// `a.shape[k]` with a constant `k` (read directly, so loop bounds match index checks).
    pub(super) fn array_dim(&mut self, base: Expr, k: i64, span: Span) -> Expr {
        let Type::Array(_, ndim) = base.ty else { return self.poisoned(span) };
        let n = ndim as i64;
        if !(-n..n).contains(&k) {
            self.error(
                Code::TypeMismatch,
                span,
                "tuple index out of range",
                format!("this array has {ndim} dimension{}", if ndim == 1 { "" } else { "s" }),
                format!("use an axis from 0 to {}", n - 1),
            );
            return self.poisoned(span);
        }
        let axis = if k < 0 { k + n } else { k } as usize;
        Expr::new(ExprKind::ArrayInfo { base: Box::new(base), what: ArrayInfo::Dim(axis) }, Type::Int, self.loc(span))
    }

    /// `len(a)`.
    pub(super) fn array_len(&mut self, base: Expr, span: Span) -> Expr {
        Expr::new(ExprKind::ArrayInfo { base: Box::new(base), what: ArrayInfo::Len }, Type::Int, self.loc(span))
    }

    /// `np.<name>(...)`.
    pub(super) fn numpy_call(&mut self, name: &str, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        let Some(&(_, takes_fill, like)) = CREATORS.iter().find(|(n, _, _)| *n == name) else {
            self.error(
                Code::UnknownAttribute,
                span,
                format!("`numpy.{name}` is not supported by pyrsc"),
                "not available",
                "pyrsc creates arrays with np.zeros, ones, empty, full and their _like forms; write loops for the rest",
            );
            return self.poisoned(span);
        };
        let wanted = 1 + takes_fill as usize;
        let mut dtype_arg = None;
        for keyword in keywords {
            match keyword.name.as_str() {
                "dtype" => dtype_arg = Some(&keyword.value),
                other => {
                    self.error(
                        Code::WrongArgumentCount,
                        keyword.span,
                        format!("np.{name}() keyword `{other}` is not supported by pyrsc"),
                        "unsupported keyword",
                        "pass the shape, the fill value and dtype=",
                    );
                    return self.poisoned(span);
                }
            }
        }
        if args.len() == wanted + 1 && dtype_arg.is_none() {
            dtype_arg = args.last();
        } else if args.len() != wanted {
            let what = if takes_fill { "a shape and a fill value" } else { "a shape" };
            let what = if like { what.replace("a shape", "an array") } else { what.to_owned() };
            self.error(
                Code::WrongArgumentCount,
                span,
                format!("np.{name}() takes {what} (and dtype=)"),
                "wrong arguments",
                format!("call np.{name}(...) with {what}"),
            );
            return self.poisoned(span);
        }
        let explicit = match dtype_arg {
            None => None,
            Some(e) => match self.dtype_of(e) {
                Some(d) => Some(d),
                None => return self.poisoned(span),
            },
        };
        let loc = self.loc(span);
        if like {
            let source = self.expr(&args[0], None);
            let Type::Array(source_dtype, ndim) = source.ty else {
                if !source.ty.has_unknown() {
                    self.error(
                        Code::TypeMismatch,
                        args[0].span,
                        format!("np.{name}() needs an array, found {}", source.ty),
                        "not an array",
                        "pass an NDArray",
                    );
                }
                return self.poisoned(span);
            };
            let dtype = explicit.unwrap_or(source_dtype);
            let fill = self.fill_value(name, args.get(1), dtype);
            return Expr::new(
                ExprKind::ArrayNew { shape: Vec::new(), fill, like: Some(Box::new(source)) },
                Type::Array(dtype, ndim),
                loc,
            );
        }
        let dtype = explicit.unwrap_or(Dtype::F64);
        let shape: Vec<Expr> = match &args[0].kind {
            S::Tuple(items) => items.iter().map(|d| self.array_int(d, true)).collect(),
            _ => vec![self.array_int(&args[0], true)],
        };
        if shape.is_empty() || shape.len() > 3 {
            self.error(
                Code::Unsupported,
                args[0].span,
                "pyrsc arrays have 1 to 3 dimensions",
                "shape",
                "pass an int or a tuple of 2 or 3 ints",
            );
            return self.poisoned(span);
        }
        let fill = self.fill_value(name, args.get(1), dtype);
        let ndim = shape.len() as u8;
        Expr::new(ExprKind::ArrayNew { shape, fill, like: None }, Type::Array(dtype, ndim), loc)
    }

    /// The fill value of `full`/`ones`, converted to the element type.
    fn fill_value(&mut self, name: &str, arg: Option<&syntax::Expr>, dtype: Dtype) -> Option<Box<Expr>> {
        let value = match (name.starts_with("full"), name.starts_with("ones"), arg) {
            (true, _, Some(arg)) => self.expr(arg, Some(&dtype.element())),
            (_, true, _) => {
                let loc = self.loc(Span::new(0, 0));
                match dtype.element() {
                    Type::Float => Expr::new(ExprKind::Float(1.0), Type::Float, loc),
                    Type::Bool => Expr::new(ExprKind::Bool(true), Type::Bool, loc),
                    _ => Expr::new(ExprKind::Int(1), Type::Int, loc),
                }
            }
            _ => return None,
        };
        let span = arg.map(|a| a.span).unwrap_or(Span::new(0, 0));
        Some(Box::new(self.array_element(value, dtype, span)))
    }

    /// `np.float64` and friends as a dtype argument.
    fn dtype_of(&mut self, e: &syntax::Expr) -> Option<Dtype> {
        let name = match &e.kind {
            S::Attribute { value, attr } if matches!(&value.kind, S::Name(m) if matches!(self.scope.names.get(m), Some(super::scope::ModuleName::Module("numpy")))) => {
                Some(attr.as_str())
            }
            S::Name(n) if n == "float" => Some("float64"),
            S::Name(n) if n == "int" => Some("int64"),
            S::Name(n) if n == "bool" => Some("bool"),
            _ => None,
        };
        let dtype = name.and_then(Dtype::from_numpy);
        if dtype.is_none() {
            self.error(
                Code::Unsupported,
                e.span,
                "this dtype is not supported by pyrsc",
                "unsupported dtype",
                "use np.float64, np.float32, np.int64, np.int32, np.uint8 or np.bool_",
            );
        }
        dtype
    }
}

/// Whether the text of a value of type `ty` (its `str`/`repr`) would show a NumPy array: the
/// array itself, or one inside a list, tuple, dict, set or optional. (An object's or a
/// function's repr does not show its contents.)
pub fn shows_array(ty: &Type) -> bool {
    match ty {
        Type::Array(..) => true,
        Type::List(t) | Type::Set(t) | Type::VarTuple(t) | Type::Optional(t) => shows_array(t),
        Type::Dict(k, v) => shows_array(k) || shows_array(v),
        Type::Tuple(items) => items.iter().any(shows_array),
        _ => false,
    }
}

impl Checker<'_> {
    /// Rejects turning `value` into text (`print`, `str`, `repr`, an f-string, `%`, an exception
    /// or assertion message) when that would show a NumPy array: pyrsc does not reproduce
    /// NumPy's array printing. True when it reported.
    pub(crate) fn reject_array_text(&mut self, value: &Expr, span: Span) -> bool {
        if !shows_array(&value.ty) {
            return false;
        }
        let ty = value.ty.clone();
        self.error(
            Code::Unsupported,
            span,
            "printing a NumPy array, or turning one into text, is not supported by pyrsc yet",
            format!("this is {ty}"),
            "print its elements (`a[i]`, in a loop) or its shape (`a.shape`) instead",
        );
        true
    }
}

impl Checker<'_> {
    /// Rejects the builtins that would turn an array into text (`str`, `repr`) or compare one
    /// by value (`index`, `count`, `remove` of a list or tuple of arrays). True when it reported.
    pub(crate) fn reject_array_builtin(&mut self, row: &Builtin, args: &[Expr], span: Span) -> bool {
        // A parameter that takes any value renders it (`str(a)`, `repr(a)`).
        let rendered = row.params.iter().zip(args).filter(|(p, _)| p.pat == Pat::Any).map(|(_, a)| a);
        for value in rendered {
            if self.reject_array_text(value, span) {
                return true;
            }
        }
        match args {
            [_, element] if row.effects.compares_elements => {
                self.reject_array_compare(std::slice::from_ref(element), &[syntax::CmpOp::Eq], span)
            }
            _ => false,
        }
    }

    /// Rejects `==`, `!=`, `in`, `not in` and ordering where an operand is or holds a NumPy
    /// array: NumPy compares element by element (an array of bools, or "the truth value of an
    /// array is ambiguous" inside a list). `is` keeps working. True when it reported.
    pub(crate) fn reject_array_compare(&mut self, operands: &[Expr], ops: &[syntax::CmpOp], span: Span) -> bool {
        let by_value = ops.iter().any(|op| !matches!(op, syntax::CmpOp::Is | syntax::CmpOp::IsNot));
        let Some(array) = operands.iter().find(|o| shows_array(&o.ty)) else { return false };
        if !by_value {
            return false;
        }
        let ty = array.ty.clone();
        self.error(
            Code::Unsupported,
            span,
            format!("comparing {ty} by value is not supported by pyrsc yet"),
            "NumPy compares arrays element by element",
            "compare the elements (`a[i] == b[i]`) in a loop, or the shapes (`a.shape == b.shape`)",
        );
        true
    }
}
