//! pyrsc's own syntax tree: the subset of Python that later stages understand, with byte spans.
//!
//! `lower.rs` builds it from the parser's tree and rejects every construct that is not listed
//! here, so no parser type travels past that module.

use crate::span::Span;

#[derive(Clone, Debug)]
pub struct Module {
    pub body: Vec<Stmt>,
}

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct FunctionDef {
    pub name: String,
    pub name_span: Span,
    pub params: Vec<Param>,
    pub returns: Option<Expr>,
    pub body: Vec<Stmt>,
}

/// One imported name: `name` (dotted for `import a.b`) bound as `alias` or its own name.
#[derive(Clone, Debug)]
pub struct ImportName {
    pub name: String,
    pub alias: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    FunctionDef(Box<FunctionDef>),
    Import(Vec<ImportName>),
    ImportFrom { module: String, names: Vec<ImportName> },
    /// `a = b = value`.
    Assign { targets: Vec<Expr>, value: Expr },
    AnnAssign { target: Expr, annotation: Expr, value: Option<Expr> },
    AugAssign { target: Expr, op: BinOp, value: Expr },
    Expr(Expr),
    If { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    While { test: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    For { target: Expr, iter: Expr, body: Vec<Stmt>, orelse: Vec<Stmt> },
    Break,
    Continue,
    Return(Option<Expr>),
    Assert { test: Expr, msg: Option<Expr> },
    /// `nonlocal a, b` inside a nested function.
    Nonlocal(Vec<String>),
    /// `del target, ...` (dict entries and list elements).
    Delete(Vec<Expr>),
    Pass,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitOr,
    BitXor,
    BitAnd,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::BitAnd => "&",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    Is,
    IsNot,
    In,
    NotIn,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::NotEq => "!=",
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            CmpOp::GtE => ">=",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Keyword {
    pub name: String,
    pub value: Expr,
    pub span: Span,
}

/// One `for target in iter if cond ...` clause of a comprehension.
#[derive(Clone, Debug)]
pub struct Comprehension {
    pub target: Expr,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

/// A piece of an f-string.
#[derive(Clone, Debug)]
pub enum FStringPart {
    Literal(String),
    Value { value: Expr, conversion: Option<char>, spec: Option<(String, Span)> },
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    None,
    /// `...`: only meaningful in `tuple[T, ...]`.
    Ellipsis,
    Name(String),
    Attribute { value: Box<Expr>, attr: String },
    BinOp { op: BinOp, left: Box<Expr>, right: Box<Expr> },
    UnaryOp { op: UnaryOp, operand: Box<Expr> },
    BoolOp { op: BoolOp, values: Vec<Expr> },
    Compare { left: Box<Expr>, ops: Vec<CmpOp>, comparators: Vec<Expr> },
    Call { func: Box<Expr>, args: Vec<Expr>, keywords: Vec<Keyword> },
    IfExp { test: Box<Expr>, body: Box<Expr>, orelse: Box<Expr> },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Subscript { value: Box<Expr>, index: Box<Expr> },
    FString(Vec<FStringPart>),
    /// `a:b:c` inside a subscript (each part optional).
    Slice { lower: Option<Box<Expr>>, upper: Option<Box<Expr>>, step: Option<Box<Expr>> },
    /// `lambda a, b: body` (used where a function is applied element by element: `key=`,
    /// `map`, `filter`).
    Lambda { params: Vec<String>, body: Box<Expr> },
    /// `{a, b, ...}`.
    Set(Vec<Expr>),
    /// `{elt for ... in ... if ...}`.
    SetComp { elt: Box<Expr>, generators: Vec<Comprehension> },
    /// `{k: v, ...}`.
    Dict { keys: Vec<Expr>, values: Vec<Expr> },
    /// `{k: v for ... in ... if ...}`.
    DictComp { key: Box<Expr>, value: Box<Expr>, generators: Vec<Comprehension> },
    /// `[elt for ... in ... if ...]`.
    ListComp { elt: Box<Expr>, generators: Vec<Comprehension> },
    /// `(elt for ... in ...)`: accepted only where it is consumed at once (`sum`, `any`, ...).
    GeneratorExp { elt: Box<Expr>, generators: Vec<Comprehension> },
}
