//! Type annotations → [`Type`]: `int`, `float`, `bool`, `str`, `None`, `list[T]` / `List[T]`,
//! `tuple[A, B]` / `Tuple[A, B]`, `tuple[T, ...]`, `dict[K, V]`, `set[T]`, `Callable[[A], R]`,
//! `T | None` / `Optional[T]`.

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::{Expr, ExprKind};
use crate::types::{Dtype, Type};

/// How annotations see the module's `typing` imports.
pub trait AnnotationNames {
    /// `Some("List")` when `name` is bound to `typing.List`.
    fn typing_name(&self, name: &str) -> Option<&'static str>;
    /// `Some("numpy")`, `Some("numpy.typing")` or `Some("NDArray")` for names bound to those.
    fn numpy_name(&self, _name: &str) -> Option<&'static str> {
        None
    }
    /// The type of instances of the user class `name`.
    fn class(&self, _name: &str) -> Option<Type> {
        None
    }
}

/// `NDArray` in any spelling: the imported name, `npt.NDArray`, `np.typing.NDArray`.
fn is_ndarray(expr: &Expr, names: &dyn AnnotationNames) -> bool {
    match &expr.kind {
        ExprKind::Name(name) => names.numpy_name(name) == Some("NDArray"),
        ExprKind::Attribute { value, attr } if attr == "NDArray" => match &value.kind {
            ExprKind::Name(module) => names.numpy_name(module) == Some("numpy.typing"),
            ExprKind::Attribute { value, attr } if attr == "typing" => {
                matches!(&value.kind, ExprKind::Name(m) if names.numpy_name(m) == Some("numpy"))
            }
            _ => false,
        },
        _ => false,
    }
}

/// The dtype in `NDArray[np.float64]`.
fn array_dtype(index: &Expr, names: &dyn AnnotationNames) -> Result<Dtype, Diagnostic> {
    let name = match &index.kind {
        ExprKind::Attribute { value, attr } if matches!(&value.kind, ExprKind::Name(m) if names.numpy_name(m) == Some("numpy")) => {
            Some(attr.as_str())
        }
        _ => None,
    };
    name.and_then(Dtype::from_numpy).ok_or_else(|| {
        Diagnostic::new(Code::Unsupported, index.span, "this array element type is not supported by pyrsc")
            .label("unsupported dtype")
            .help("write one of np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_")
    })
}

fn unsupported(expr: &Expr, what: String) -> Diagnostic {
    Diagnostic::new(Code::Unsupported, expr.span, format!("the type `{what}` is not supported by pyrsc yet"))
        .label("unsupported type")
        .help("use int, float, bool, str, None, list[T], dict[K, V], set[T] or tuple[A, B]")
}

pub fn parse_annotation(expr: &Expr, names: &dyn AnnotationNames) -> Result<Type, Diagnostic> {
    let ty = parse_type(expr, names)?;
    let nested_array = match &ty {
        Type::Array(..) => false,
        other => other.contains_array(),
    };
    if nested_array {
        return Err(Diagnostic::new(
            Code::Unsupported,
            expr.span,
            format!("`{ty}`: arrays inside containers or optionals are not supported by pyrsc yet"),
        )
        .label("array inside another type")
        .help("pass and store arrays directly (a 2-D array instead of a list of rows)"));
    }
    Ok(ty)
}

fn parse_type(expr: &Expr, names: &dyn AnnotationNames) -> Result<Type, Diagnostic> {
    match &expr.kind {
        ExprKind::None => Ok(Type::None),
        ExprKind::Name(name) => match name.as_str() {
            "int" => Ok(Type::Int),
            "float" => Ok(Type::Float),
            "bool" => Ok(Type::Bool),
            "str" => Ok(Type::Str),
            "None" => Ok(Type::None),
            "list" | "tuple" | "dict" | "set" => {
                Err(Diagnostic::new(Code::MissingAnnotation, expr.span, format!("`{name}` needs its element type"))
                    .label("element type missing")
                    .help(match name.as_str() {
                        "list" => "write e.g. `list[int]`",
                        "dict" => "write e.g. `dict[str, int]`",
                        "set" => "write e.g. `set[int]`",
                        _ => "write e.g. `tuple[int, float]`",
                    }))
            }
            other if names.class(other).is_some() => Ok(names.class(other).unwrap_or(Type::Unknown)),
            // A raised exception of a built-in class (`except ... as e`, passed on or returned).
            other if super::names::EXCEPTION_CLASSES.contains(&other) => Ok(Type::Exception),
            other => match names.typing_name(other) {
                Some("List") | Some("Tuple") => Err(Diagnostic::new(
                    Code::MissingAnnotation,
                    expr.span,
                    format!("`{other}` needs its element type"),
                )
                .label("element type missing")
                .help("write e.g. `List[int]`")),
                _ => Err(unsupported(expr, other.to_owned())),
            },
        },
        ExprKind::BinOp { op: crate::syntax::BinOp::BitOr, left, right } => {
            // `T | None` / `None | T`.
            let (left, right) = (parse_type(left, names)?, parse_type(right, names)?);
            match (left, right) {
                (Type::None, other) | (other, Type::None) if other != Type::None => Ok(Type::optional(other)),
                (a, b) => Err(unsupported(expr, format!("{a} | {b}"))
                    .help("pyrsc supports `T | None` (Optional[T]); for other unions use one type")),
            }
        }
        ExprKind::Subscript { value, index } if is_ndarray(value, names) => {
            Ok(Type::Array(array_dtype(index, names)?, 0))
        }
        ExprKind::Subscript { value, index } => {
            let ExprKind::Name(base) = &value.kind else {
                return Err(unsupported(expr, "this".to_owned()));
            };
            if names.typing_name(base) == Some("Optional") {
                return Ok(Type::optional(parse_type(index, names)?));
            }
            // A generator's result: `Iterator[T]`, `Iterable[T]`, `Generator[T, None, None]`.
            if matches!(names.typing_name(base), Some("Iterator" | "Iterable")) {
                return Ok(Type::Iterator(Box::new(parse_type(index, names)?)));
            }
            if names.typing_name(base) == Some("Generator") {
                let ExprKind::Tuple(parts) = &index.kind else {
                    return Err(unsupported(expr, "Generator without [T, None, None]".to_owned()));
                };
                let rest_none = parts.len() == 3 && parts[1..].iter().all(|p| matches!(p.kind, ExprKind::None));
                if !rest_none {
                    return Err(unsupported(expr, "Generator with a send or return type".to_owned())
                        .help("write `Iterator[T]` (pyrsc generators neither receive values nor return one)"));
                }
                return Ok(Type::Iterator(Box::new(parse_type(&parts[0], names)?)));
            }
            if names.typing_name(base) == Some("Callable") {
                let ExprKind::Tuple(parts) = &index.kind else {
                    return Err(unsupported(expr, "Callable without [[params], result]".to_owned()));
                };
                let (Some(params), Some(ret), 2) = (parts.first(), parts.get(1), parts.len()) else {
                    return Err(unsupported(expr, "Callable without [[params], result]".to_owned()));
                };
                let ExprKind::List(params) = &params.kind else {
                    return Err(unsupported(expr, "Callable[..., R]".to_owned()));
                };
                let params = params.iter().map(|p| parse_type(p, names)).collect::<Result<Vec<_>, _>>()?;
                return Ok(Type::Function(params, Box::new(parse_type(ret, names)?)));
            }
            let generic = match (base.as_str(), names.typing_name(base)) {
                ("list", _) | (_, Some("List")) => "list",
                ("tuple", _) | (_, Some("Tuple")) => "tuple",
                ("dict", _) | (_, Some("Dict")) => "dict",
                ("set", _) | (_, Some("Set")) => "set",
                (other, _) => return Err(unsupported(expr, other.to_owned())),
            };
            if generic == "dict" {
                let ExprKind::Tuple(items) = &index.kind else {
                    return Err(Diagnostic::new(
                        Code::MissingAnnotation,
                        expr.span,
                        "`dict` needs a key and a value type",
                    )
                    .label("two types needed")
                    .help("write e.g. `dict[str, int]`"));
                };
                if items.len() != 2 {
                    return Err(Diagnostic::new(
                        Code::MissingAnnotation,
                        expr.span,
                        "`dict` needs a key and a value type",
                    )
                    .label("two types needed")
                    .help("write e.g. `dict[str, int]`"));
                }
                let key = parse_type(&items[0], names)?;
                if !key.is_hashable_key() {
                    return Err(Diagnostic::new(
                        Code::Unsupported,
                        items[0].span,
                        format!("`{key}` keys are not supported by pyrsc"),
                    )
                    .label("unsupported key type")
                    .help("use int, str, bool or tuples of them as dict keys"));
                }
                return Ok(Type::dict(key, parse_type(&items[1], names)?));
            }
            if generic == "list" {
                return Ok(Type::list(parse_type(index, names)?));
            }
            if generic == "set" {
                let elem = parse_type(index, names)?;
                if !elem.is_hashable_key() {
                    return Err(Diagnostic::new(
                        Code::Unsupported,
                        index.span,
                        format!("sets of {elem} are not supported by pyrsc"),
                    )
                    .label("unsupported element type")
                    .help("use int, str, bool or tuples of them as set elements"));
                }
                return Ok(Type::Set(Box::new(elem)));
            }
            let items = match &index.kind {
                ExprKind::Tuple(items) => items.iter().collect::<Vec<_>>(),
                _ => vec![index.as_ref()],
            };
            if let [elem, rest] = items.as_slice() {
                if matches!(rest.kind, ExprKind::Ellipsis) {
                    return Ok(Type::VarTuple(Box::new(parse_type(elem, names)?)));
                }
            }
            let types = items.into_iter().map(|item| parse_type(item, names)).collect::<Result<Vec<_>, _>>()?;
            if types.is_empty() || types.len() > 8 {
                return Err(unsupported(expr, "tuple with 0 or more than 8 items".to_owned()));
            }
            Ok(Type::Tuple(types))
        }
        ExprKind::Str(_) => {
            Err(Diagnostic::new(Code::Unsupported, expr.span, "string annotations are not supported by pyrsc")
                .label("quoted type")
                .help("write the type without quotes"))
        }
        _ => Err(unsupported(expr, "this expression".to_owned())),
    }
}
