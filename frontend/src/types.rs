//! The types of the typed IR.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Int,
    Float,
    /// A `float` slot that may hold an `int` (CPython keeps `x: float = 0` an int until a float
    /// arrives). Only introduced where an int really reaches a float-annotated slot.
    Num,
    Bool,
    Str,
    None,
    List(Box<Type>),
    /// `set[T]`; `T` is hashable (int, str, bool, or tuples of them).
    Set(Box<Type>),
    /// `dict[K, V]`; `K` is hashable (int, str, bool, or tuples of them).
    Dict(Box<Type>, Box<Type>),
    Tuple(Vec<Type>),
    /// `tuple[T, ...]`: an immutable sequence of any length.
    VarTuple(Box<Type>),
    /// `T | None` / `Optional[T]` (`T` is neither None nor optional itself).
    Optional(Box<Type>),
    /// A function value: `Callable[[A, B], R]` (a nested `def`, or a module function by name).
    Function(Vec<Type>, Box<Type>),
    /// A `range` object held as a value (a `for` over `range(...)` directly needs none).
    Range,
    /// An exception object (`except ValueError as e`).
    Exception,
    /// A text file opened with `open(...)`.
    File,
    /// `numpy.typing.NDArray[dtype]` with `ndim` dimensions (1 to 3; 0 only while a
    /// signature is built, before the body's indexing says how many).
    Array(Dtype, u8),
    /// An instance of a user class (a shared reference, as in Python).
    Object(ClassRef),
    /// What calling a generator function gives (`Iterator[T]`), also kept as a value.
    Iterator(Box<Type>),
    /// `e.args`: the arguments an exception was constructed with (a tuple in CPython).
    ExcArgs,
    /// Not known yet; exists only during inference and never reaches the final IR.
    Unknown,
}

/// A user class, by its index in the module's class table (the name is for messages).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClassRef {
    pub id: u32,
    pub name: std::sync::Arc<str>,
}

/// The element types of NumPy arrays that pyrsc compiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dtype {
    F64,
    F32,
    I64,
    I32,
    U8,
    Bool,
}

impl Dtype {
    /// From the NumPy scalar type name (`float64`, ...).
    pub fn from_numpy(name: &str) -> Option<Dtype> {
        Some(match name {
            "float64" | "double" => Dtype::F64,
            "float32" | "single" => Dtype::F32,
            "int64" => Dtype::I64,
            "int32" => Dtype::I32,
            "uint8" => Dtype::U8,
            "bool_" | "bool" => Dtype::Bool,
            _ => return None,
        })
    }

    pub fn numpy_name(self) -> &'static str {
        match self {
            Dtype::F64 => "float64",
            Dtype::F32 => "float32",
            Dtype::I64 => "int64",
            Dtype::I32 => "int32",
            Dtype::U8 => "uint8",
            Dtype::Bool => "bool",
        }
    }

    /// The Python type of an element read from the array.
    pub fn element(self) -> Type {
        match self {
            Dtype::F64 | Dtype::F32 => Type::Float,
            Dtype::I64 | Dtype::I32 | Dtype::U8 => Type::Int,
            Dtype::Bool => Type::Bool,
        }
    }
}

impl Type {
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Float | Type::Num | Type::Bool)
    }

    /// True when the type contains `Unknown` anywhere.
    pub fn has_unknown(&self) -> bool {
        match self {
            Type::Unknown => true,
            Type::List(elem) | Type::Set(elem) | Type::VarTuple(elem) | Type::Optional(elem) | Type::Iterator(elem) => {
                elem.has_unknown()
            }
            Type::Dict(key, value) => key.has_unknown() || value.has_unknown(),
            Type::Function(params, ret) => params.iter().any(Type::has_unknown) || ret.has_unknown(),
            Type::Tuple(items) => items.iter().any(Type::has_unknown),
            _ => false,
        }
    }

    /// `T | None` (`None | None` is `None`, and an optional stays one level deep).
    pub fn optional(inner: Type) -> Type {
        match inner {
            Type::None | Type::Optional(_) | Type::Unknown => inner,
            other => Type::Optional(Box::new(other)),
        }
    }

    pub fn dict(key: Type, value: Type) -> Type {
        Type::Dict(Box::new(key), Box::new(value))
    }

    /// Usable as a dict key: hashable in CPython and `Hash + Eq` in the runtime.
    pub fn is_hashable_key(&self) -> bool {
        match self {
            Type::Int | Type::Str | Type::Bool | Type::Unknown => true,
            // By the class's hash (identity, `__hash__`, or a frozen dataclass's fields).
            Type::Object(_) => true,
            Type::Tuple(items) => items.iter().all(Type::is_hashable_key),
            Type::VarTuple(elem) => elem.is_hashable_key(),
            _ => false,
        }
    }

    /// Whether a NumPy array appears anywhere in the type (arrays inside other types are not
    /// supported).
    pub fn contains_array(&self) -> bool {
        match self {
            Type::Array(..) => true,
            Type::List(e) | Type::Set(e) | Type::VarTuple(e) | Type::Optional(e) => e.contains_array(),
            Type::Dict(k, v) => k.contains_array() || v.contains_array(),
            Type::Tuple(items) => items.iter().any(Type::contains_array),
            Type::Function(params, ret) => params.iter().any(Type::contains_array) || ret.contains_array(),
            _ => false,
        }
    }

    /// Whether `str`/`repr` of a value of this type may run the program's code (an object's
    /// `__repr__`/`__str__`, directly or inside a container), and so raise.
    pub fn repr_runs_code(&self) -> bool {
        match self {
            Type::Object(_) => true,
            Type::List(e) | Type::Set(e) | Type::VarTuple(e) | Type::Optional(e) => e.repr_runs_code(),
            Type::Dict(k, v) => k.repr_runs_code() || v.repr_runs_code(),
            Type::Tuple(items) => items.iter().any(Type::repr_runs_code),
            _ => false,
        }
    }

    /// Values of this type are copied bitwise (no handle to clone).
    pub fn is_scalar(&self) -> bool {
        matches!(self, Type::Int | Type::Float | Type::Num | Type::Bool | Type::None | Type::Range)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Int => write!(f, "int"),
            Type::Float => write!(f, "float"),
            Type::Num => write!(f, "float (possibly still an int)"),
            Type::Bool => write!(f, "bool"),
            Type::Str => write!(f, "str"),
            Type::None => write!(f, "None"),
            Type::List(elem) => write!(f, "list[{elem}]"),
            Type::Set(elem) => write!(f, "set[{elem}]"),
            Type::Dict(key, value) => write!(f, "dict[{key}, {value}]"),
            Type::Tuple(items) => {
                write!(f, "tuple[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{item}")?;
                }
                if items.is_empty() {
                    write!(f, "()")?;
                }
                write!(f, "]")
            }
            Type::VarTuple(elem) => write!(f, "tuple[{elem}, ...]"),
            Type::Optional(inner) => write!(f, "{inner} | None"),
            Type::Range => write!(f, "range"),
            Type::Exception => write!(f, "exception"),
            Type::File => write!(f, "file"),
            Type::Object(class) => write!(f, "{}", class.name),
            Type::Iterator(elem) => write!(f, "Iterator[{elem}]"),
            Type::ExcArgs => write!(f, "tuple (exception arguments)"),
            Type::Array(dtype, 0) => write!(f, "NDArray[{}]", dtype.numpy_name()),
            Type::Array(dtype, ndim) => write!(f, "NDArray[{}] ({ndim}-D)", dtype.numpy_name()),
            Type::Function(params, ret) => {
                write!(f, "Callable[[")?;
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{p}")?;
                }
                write!(f, "], {ret}]")
            }
            Type::Unknown => write!(f, "<unknown>"),
        }
    }
}
