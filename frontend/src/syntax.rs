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
    /// `@staticmethod`, `@classmethod`, `@property`, `@name.setter` (only methods take them).
    pub decorators: Vec<Expr>,
}

/// `class Name(Base): body` with its decorators (`@dataclass`, `@dataclass(order=True)`).
#[derive(Clone, Debug)]
pub struct ClassDef {
    pub name: String,
    pub name_span: Span,
    pub bases: Vec<Expr>,
    pub decorators: Vec<Expr>,
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
    ClassDef(Box<ClassDef>),
    Import(Vec<ImportName>),
    ImportFrom {
        module: String,
        names: Vec<ImportName>,
    },
    /// `a = b = value`.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
    },
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    Expr(Expr),
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    For {
        target: Expr,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Break,
    Continue,
    Return(Option<Expr>),
    Assert {
        test: Expr,
        msg: Option<Expr>,
    },
    /// `nonlocal a, b` inside a nested function.
    Nonlocal(Vec<String>),
    /// `del target, ...` (dict entries and list elements).
    Delete(Vec<Expr>),
    Pass,
    /// `try:` with its `except` clauses, `else:` and `finally:`.
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// `raise`, `raise exc`, `raise exc from cause`.
    Raise {
        exc: Option<Expr>,
        cause: Option<Expr>,
    },
    /// `with a as x, b as y: body` (context expression, optional target).
    With {
        items: Vec<(Expr, Option<Expr>)>,
        body: Vec<Stmt>,
    },
}

impl StmtKind {
    /// The statement lists inside a `try` (body, each handler's body, `else`, `finally`), for
    /// the syntactic walkers; empty for other statements.
    pub fn try_blocks(&self) -> Vec<&[Stmt]> {
        match self {
            StmtKind::Try { body, handlers, orelse, finalbody } => std::iter::once(body.as_slice())
                .chain(handlers.iter().map(|h| h.body.as_slice()))
                .chain([orelse.as_slice(), finalbody.as_slice()])
                .collect(),
            StmtKind::With { body, .. } => vec![body.as_slice()],
            _ => Vec::new(),
        }
    }
}

/// `except T as name:` (`types` is `None` for a bare `except:`).
#[derive(Clone, Debug)]
pub struct Handler {
    pub types: Option<Expr>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    /// The `except ...:` line (up to the colon).
    pub span: Span,
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
    Attribute {
        value: Box<Expr>,
        attr: String,
    },
    BinOp {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    UnaryOp {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    BoolOp {
        op: BoolOp,
        values: Vec<Expr>,
    },
    Compare {
        left: Box<Expr>,
        ops: Vec<CmpOp>,
        comparators: Vec<Expr>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    FString(Vec<FStringPart>),
    /// `a:b:c` inside a subscript (each part optional).
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// `lambda a, b: body` (used where a function is applied element by element: `key=`,
    /// `map`, `filter`).
    Lambda {
        params: Vec<String>,
        body: Box<Expr>,
    },
    /// `{a, b, ...}`.
    Set(Vec<Expr>),
    /// `{elt for ... in ... if ...}`.
    SetComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `{k: v, ...}`.
    Dict {
        keys: Vec<Expr>,
        values: Vec<Expr>,
    },
    /// `{k: v for ... in ... if ...}`.
    DictComp {
        key: Box<Expr>,
        value: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `[elt for ... in ... if ...]`.
    ListComp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `(elt for ... in ...)`: accepted only where it is consumed at once (`sum`, `any`, ...).
    GeneratorExp {
        elt: Box<Expr>,
        generators: Vec<Comprehension>,
    },
    /// `yield value` (a statement of a generator function).
    Yield(Option<Box<Expr>>),
    /// `yield from iterable`.
    YieldFrom(Box<Expr>),
}

/// Whether a function body is a generator's: it contains `yield` outside nested functions.
pub fn contains_yield(stmts: &[Stmt]) -> bool {
    let mut found = false;
    let own: Vec<Stmt> =
        stmts.iter().filter(|s| !matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_))).cloned().collect();
    visit_exprs_shallow(&own, &mut |e| found |= matches!(e.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)));
    found
}

/// [`visit_exprs`] without entering nested function bodies.
fn visit_exprs_shallow(stmts: &[Stmt], f: &mut dyn FnMut(&Expr)) {
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::FunctionDef(_) | StmtKind::ClassDef(_) => {}
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                visit_expr(test, f);
                visit_exprs_shallow(body, f);
                visit_exprs_shallow(orelse, f);
            }
            StmtKind::For { target, iter, body, orelse } => {
                visit_expr(target, f);
                visit_expr(iter, f);
                visit_exprs_shallow(body, f);
                visit_exprs_shallow(orelse, f);
            }
            StmtKind::Try { .. } | StmtKind::With { .. } => {
                let mut heads = Vec::new();
                if let StmtKind::With { items, .. } = &stmt.kind {
                    heads.extend(items.iter().map(|(c, _)| c.clone()));
                }
                if let StmtKind::Try { handlers, .. } = &stmt.kind {
                    heads.extend(handlers.iter().filter_map(|h| h.types.clone()));
                }
                heads.iter().for_each(|h| visit_expr(h, f));
                stmt.kind.try_blocks().into_iter().for_each(|b| visit_exprs_shallow(b, f));
            }
            _ => visit_exprs(std::slice::from_ref(stmt), f),
        }
    }
}

/// Calls `f` on every expression of `stmts`, sub-expressions and nested function bodies
/// included (a syntactic search, before any checking).
pub fn visit_exprs(stmts: &[Stmt], f: &mut dyn FnMut(&Expr)) {
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::FunctionDef(def) => {
                def.params.iter().filter_map(|p| p.default.as_ref()).for_each(|d| visit_expr(d, f));
                visit_exprs(&def.body, f);
            }
            StmtKind::ClassDef(class) => visit_exprs(&class.body, f),
            StmtKind::Import(_)
            | StmtKind::ImportFrom { .. }
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Nonlocal(_)
            | StmtKind::Pass => {}
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| visit_expr(t, f));
                visit_expr(value, f);
            }
            StmtKind::AnnAssign { target, value, .. } => {
                visit_expr(target, f);
                value.iter().for_each(|v| visit_expr(v, f));
            }
            StmtKind::AugAssign { target, value, .. } => {
                visit_expr(target, f);
                visit_expr(value, f);
            }
            StmtKind::Expr(e) => visit_expr(e, f),
            StmtKind::If { test, body, orelse } | StmtKind::While { test, body, orelse } => {
                visit_expr(test, f);
                visit_exprs(body, f);
                visit_exprs(orelse, f);
            }
            StmtKind::For { target, iter, body, orelse } => {
                visit_expr(target, f);
                visit_expr(iter, f);
                visit_exprs(body, f);
                visit_exprs(orelse, f);
            }
            StmtKind::Return(value) => value.iter().for_each(|v| visit_expr(v, f)),
            StmtKind::Assert { test, msg } => {
                visit_expr(test, f);
                msg.iter().for_each(|m| visit_expr(m, f));
            }
            StmtKind::Delete(targets) => targets.iter().for_each(|t| visit_expr(t, f)),
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                visit_exprs(body, f);
                for handler in handlers {
                    handler.types.iter().for_each(|t| visit_expr(t, f));
                    visit_exprs(&handler.body, f);
                }
                visit_exprs(orelse, f);
                visit_exprs(finalbody, f);
            }
            StmtKind::Raise { exc, cause } => exc.iter().chain(cause).for_each(|e| visit_expr(e, f)),
            StmtKind::With { items, body } => {
                for (context, target) in items {
                    visit_expr(context, f);
                    target.iter().for_each(|t| visit_expr(t, f));
                }
                visit_exprs(body, f);
            }
        }
    }
}

fn visit_expr(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    let each = |items: &[Expr], f: &mut dyn FnMut(&Expr)| items.iter().for_each(|i| visit_expr(i, f));
    let generators = |gens: &[Comprehension], f: &mut dyn FnMut(&Expr)| {
        for g in gens {
            visit_expr(&g.target, f);
            visit_expr(&g.iter, f);
            g.ifs.iter().for_each(|i| visit_expr(i, f));
        }
    };
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Float(_)
        | ExprKind::Bool(_)
        | ExprKind::Str(_)
        | ExprKind::None
        | ExprKind::Ellipsis
        | ExprKind::Name(_) => {}
        ExprKind::Attribute { value, .. } | ExprKind::UnaryOp { operand: value, .. } | ExprKind::YieldFrom(value) => {
            visit_expr(value, f)
        }
        ExprKind::Yield(value) => value.iter().for_each(|v| visit_expr(v, f)),
        ExprKind::BinOp { left, right, .. } => {
            visit_expr(left, f);
            visit_expr(right, f);
        }
        ExprKind::BoolOp { values, .. } => each(values, f),
        ExprKind::Compare { left, comparators, .. } => {
            visit_expr(left, f);
            each(comparators, f);
        }
        ExprKind::Call { func, args, keywords } => {
            visit_expr(func, f);
            each(args, f);
            keywords.iter().for_each(|k| visit_expr(&k.value, f));
        }
        ExprKind::IfExp { test, body, orelse } => {
            visit_expr(test, f);
            visit_expr(body, f);
            visit_expr(orelse, f);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => each(items, f),
        ExprKind::Subscript { value, index } => {
            visit_expr(value, f);
            visit_expr(index, f);
        }
        ExprKind::FString(parts) => {
            for part in parts {
                if let FStringPart::Value { value, .. } = part {
                    visit_expr(value, f);
                }
            }
        }
        ExprKind::Slice { lower, upper, step } => {
            [lower, upper, step].into_iter().flatten().for_each(|p| visit_expr(p, f))
        }
        ExprKind::Lambda { body, .. } => visit_expr(body, f),
        ExprKind::SetComp { elt, generators: gens }
        | ExprKind::ListComp { elt, generators: gens }
        | ExprKind::GeneratorExp { elt, generators: gens } => {
            visit_expr(elt, f);
            generators(gens, f);
        }
        ExprKind::Dict { keys, values } => {
            each(keys, f);
            each(values, f);
        }
        ExprKind::DictComp { key, value, generators: gens } => {
            visit_expr(key, f);
            visit_expr(value, f);
            generators(gens, f);
        }
    }
}
