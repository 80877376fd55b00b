//! `@dataclass`: the decorator's options, and the methods CPython's `dataclasses` generates,
//! written as pyrsc syntax so that the rest of the checker treats them like user methods:
//! `__init__` (parameters in field order, literal defaults, `field(default_factory=f)` called
//! afresh for each instance, then `__post_init__`), `__repr__` (`P(x=1, y=2.5)`), `__eq__`
//! (field tuples compared) and with `order=True` `__lt__`, `__le__`, `__gt__`, `__ge__`.
//!
//! A dataclass deriving from another takes its fields first (a field declared again keeps its
//! place and takes the new default), as CPython collects them along the class hierarchy. The
//! generated methods look at the object's actual class, as CPython's do: `__repr__` names it
//! (`$class_name(self)`), and `__eq__` is false (`__lt__` raises TypeError) between objects of
//! different classes (`$same_class(self, other)`); the checker expands both helpers.

use super::classes::{is_literal, DataclassOptions};
use super::scope::{ModuleName, ModuleScope};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::{self, CmpOp, Expr, ExprKind, FStringPart, FunctionDef, Param, Stmt, StmtKind};

/// Whether `e` names `dataclasses.<member>` (imported by name or through the module).
pub fn is_dataclasses_member(e: &Expr, member: &str, scope: &ModuleScope) -> bool {
    match &e.kind {
        ExprKind::Name(name) => matches!(scope.names.get(name), Some(ModuleName::Dataclasses(m)) if *m == member),
        ExprKind::Attribute { value, attr } if attr == member => {
            matches!(&value.kind, ExprKind::Name(m) if scope.names.get(m) == Some(&ModuleName::Module("dataclasses")))
        }
        _ => false,
    }
}

/// `@dataclass` / `@dataclass(order=True, frozen=True, eq=False)`.
pub fn dataclass_options(decorator: &Expr, scope: &ModuleScope) -> Result<DataclassOptions, Diagnostic> {
    let mut options = DataclassOptions { order: false, frozen: false, eq: true };
    if is_dataclasses_member(decorator, "dataclass", scope) {
        return Ok(options);
    }
    let unsupported = |span: Span| {
        Diagnostic::new(Code::Unsupported, span, "this class decorator is not supported by pyrsc")
            .label("unsupported decorator")
            .help("classes may use @dataclass, optionally with order=True, frozen=True or eq=False")
    };
    let ExprKind::Call { func, args, keywords } = &decorator.kind else { return Err(unsupported(decorator.span)) };
    if !is_dataclasses_member(func, "dataclass", scope) || !args.is_empty() {
        return Err(unsupported(decorator.span));
    }
    for keyword in keywords {
        let ExprKind::Bool(value) = keyword.value.kind else {
            return Err(Diagnostic::new(
                Code::Unsupported,
                keyword.value.span,
                "dataclass options must be True or False",
            )
            .label("not a literal")
            .help("write e.g. `order=True`"));
        };
        match keyword.name.as_str() {
            "order" => options.order = value,
            "frozen" => options.frozen = value,
            "eq" => options.eq = value,
            _ => {
                return Err(Diagnostic::new(
                    Code::Unsupported,
                    keyword.span,
                    format!("dataclass option `{}` is not supported by pyrsc", keyword.name),
                )
                .label("unsupported option")
                .help("supported: order, frozen, eq"))
            }
        }
    }
    if options.order && !options.eq {
        return Err(Diagnostic::new(Code::Unsupported, decorator.span, "eq must be true if order is true")
            .label("ValueError in CPython")
            .help("drop `eq=False`"));
    }
    Ok(options)
}

/// One field of a dataclass: name, annotation, and how its default is made.
#[derive(Clone, Debug)]
pub struct DataField {
    name: String,
    annotation: Expr,
    default: Option<Expr>,
}

/// The dataclass fields of `class`: those of its dataclass base (`inherited`), then the body's
/// annotated names in order (one declared again replaces the inherited one in its place).
pub fn fields(class: &syntax::ClassDef, inherited: &[DataField], scope: &ModuleScope) -> Vec<DataField> {
    let mut out = inherited.to_vec();
    for stmt in &class.body {
        let StmtKind::AnnAssign { target, annotation, value } = &stmt.kind else { continue };
        let ExprKind::Name(name) = &target.kind else { continue };
        let default = value.as_ref().map(|v| match &v.kind {
            // `field(default_factory=f)` / `field(default=v)`.
            ExprKind::Call { func, args, keywords }
                if args.is_empty() && is_dataclasses_member(func, "field", scope) =>
            {
                match keywords.iter().find(|k| k.name == "default_factory" || k.name == "default") {
                    Some(k) if k.name == "default_factory" => Expr {
                        kind: ExprKind::Call {
                            func: Box::new(k.value.clone()),
                            args: Vec::new(),
                            keywords: Vec::new(),
                        },
                        span: k.value.span,
                    },
                    Some(k) => k.value.clone(),
                    None => v.clone(),
                }
            }
            _ => v.clone(),
        });
        let field = DataField { name: name.clone(), annotation: annotation.clone(), default };
        match out.iter_mut().find(|f| f.name == *name) {
            Some(previous) => *previous = field,
            None => out.push(field),
        }
    }
    out
}

/// Problems with the fields that CPython reports when the class is created.
pub fn field_diagnostics(fields: &[DataField]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen_default = false;
    for field in fields {
        match &field.default {
            Some(d) if is_literal(d) || matches!(d.kind, ExprKind::Call { .. }) => seen_default = true,
            Some(d) => out.push(
                Diagnostic::new(
                    Code::Unsupported,
                    d.span,
                    "a dataclass default must be a literal or `field(default_factory=...)`",
                )
                .label("not a literal")
                .help("write `field(default_factory=list)` (or a function that makes the value)"),
            ),
            None if seen_default => out.push(
                Diagnostic::new(
                    Code::Unsupported,
                    field.annotation.span,
                    format!("non-default argument '{}' follows default argument", field.name),
                )
                .label("TypeError in CPython")
                .help("move the fields with defaults after those without"),
            ),
            None => {}
        }
    }
    out
}

fn at(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

fn name(text: &str, span: Span) -> Expr {
    at(ExprKind::Name(text.to_owned()), span)
}

fn attr(of: &str, field: &str, span: Span) -> Expr {
    at(ExprKind::Attribute { value: Box::new(name(of, span)), attr: field.to_owned() }, span)
}

fn method(def_name: &str, params: Vec<Param>, returns: &str, body: Vec<Stmt>, span: Span) -> FunctionDef {
    FunctionDef {
        name: def_name.to_owned(),
        name_span: span,
        params,
        returns: Some(name(returns, span)),
        body,
        decorators: Vec::new(),
    }
}

fn param(text: &str, annotation: Option<Expr>, default: Option<Expr>, span: Span) -> Param {
    Param { name: text.to_owned(), annotation, default, span }
}

/// The methods `@dataclass` adds (a method the class defines itself wins, as in CPython).
/// `compared_with`: the class the comparison methods take (the topmost dataclass of the
/// hierarchy, so that a subclass's methods override its base's with the same signature).
pub fn generated_methods(
    class: &syntax::ClassDef,
    options: DataclassOptions,
    fields: &[DataField],
    compared_with: &str,
) -> Vec<FunctionDef> {
    let span = class.name_span;
    let stmt = |kind: StmtKind| Stmt { kind, span };
    let mut out = Vec::new();

    let mut params = vec![param("self", None, None, span)];
    let mut body = Vec::new();
    for field in fields {
        params.push(param(&field.name, Some(field.annotation.clone()), field.default.clone(), span));
        body.push(stmt(StmtKind::Assign {
            targets: vec![attr("self", &field.name, span)],
            value: name(&field.name, span),
        }));
    }
    let defines_post_init =
        class.body.iter().any(|s| matches!(&s.kind, StmtKind::FunctionDef(d) if d.name == "__post_init__"));
    if defines_post_init {
        let call = ExprKind::Call {
            func: Box::new(attr("self", "__post_init__", span)),
            args: Vec::new(),
            keywords: Vec::new(),
        };
        body.push(stmt(StmtKind::Expr(at(call, span))));
    }
    if body.is_empty() {
        body.push(stmt(StmtKind::Pass));
    }
    out.push(method("__init__", params, "None", body, span));

    let helper = |helper: &str, args: Vec<Expr>| {
        at(ExprKind::Call { func: Box::new(name(helper, span)), args, keywords: Vec::new() }, span)
    };
    let class_name = |of: &str| FStringPart::Value {
        value: helper("$class_name", vec![name(of, span)]),
        conversion: None,
        spec: None,
    };
    let mut parts = vec![class_name("self"), FStringPart::Literal("(".to_owned())];
    for (i, field) in fields.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        parts.push(FStringPart::Literal(format!("{sep}{}=", field.name)));
        parts.push(FStringPart::Value { value: attr("self", &field.name, span), conversion: Some('r'), spec: None });
    }
    parts.push(FStringPart::Literal(")".to_owned()));
    let repr = stmt(StmtKind::Return(Some(at(ExprKind::FString(parts), span))));
    out.push(method("__repr__", vec![param("self", None, None, span)], "str", vec![repr], span));

    let tuple_of = |of: &str| at(ExprKind::Tuple(fields.iter().map(|f| attr(of, &f.name, span)).collect()), span);
    let same_class = helper("$same_class", vec![name("self", span), name("other", span)]);
    let compare = |op: CmpOp| {
        let value = if fields.is_empty() {
            at(ExprKind::Bool(matches!(op, CmpOp::Eq | CmpOp::LtE | CmpOp::GtE)), span)
        } else {
            at(
                ExprKind::Compare {
                    left: Box::new(tuple_of("self")),
                    ops: vec![op],
                    comparators: vec![tuple_of("other")],
                },
                span,
            )
        };
        // `other` is of this class from here on (`isinstance` narrows it).
        let not_this_class = at(
            ExprKind::UnaryOp {
                op: syntax::UnaryOp::Not,
                operand: Box::new(helper("isinstance", vec![name("other", span), name(&class.name, span)])),
            },
            span,
        );
        if op == CmpOp::Eq {
            // Objects of different classes are never equal (CPython: NotImplemented both ways).
            let unequal = stmt(StmtKind::Return(Some(at(ExprKind::Bool(false), span))));
            let both = at(ExprKind::BoolOp { op: syntax::BoolOp::And, values: vec![same_class.clone(), value] }, span);
            return vec![
                stmt(StmtKind::If { test: not_this_class, body: vec![unequal], orelse: Vec::new() }),
                stmt(StmtKind::Return(Some(both))),
            ];
        }
        // Ordering objects of different classes raises TypeError (NotImplemented both ways).
        let symbol = match op {
            CmpOp::Lt => "<",
            CmpOp::LtE => "<=",
            CmpOp::Gt => ">",
            _ => ">=",
        };
        let message = at(
            ExprKind::FString(vec![
                FStringPart::Literal(format!("'{symbol}' not supported between instances of '")),
                class_name("self"),
                FStringPart::Literal("' and '".to_owned()),
                class_name("other"),
                FStringPart::Literal("'".to_owned()),
            ]),
            span,
        );
        let raise = stmt(StmtKind::Raise { exc: Some(helper("TypeError", vec![message])), cause: None });
        let different = at(ExprKind::UnaryOp { op: syntax::UnaryOp::Not, operand: Box::new(same_class.clone()) }, span);
        vec![
            stmt(StmtKind::If { test: not_this_class, body: vec![raise.clone()], orelse: Vec::new() }),
            stmt(StmtKind::If { test: different, body: vec![raise], orelse: Vec::new() }),
            stmt(StmtKind::Return(Some(value))),
        ]
    };
    let binary = |def_name: &str, op: CmpOp| {
        let params = vec![param("self", None, None, span), param("other", Some(name(compared_with, span)), None, span)];
        method(def_name, params, "bool", compare(op), span)
    };
    if options.eq {
        out.push(binary("__eq__", CmpOp::Eq));
    }
    if options.order {
        for (def_name, op) in
            [("__lt__", CmpOp::Lt), ("__le__", CmpOp::LtE), ("__gt__", CmpOp::Gt), ("__ge__", CmpOp::GtE)]
        {
            out.push(binary(def_name, op));
        }
    }
    out
}
