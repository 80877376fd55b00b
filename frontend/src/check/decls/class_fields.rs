//! The fields of a class: declared in the class body, or assigned through `self` in any method
//! (with the type the assignment makes evident); and which of them every `__init__` surely
//! assigns before `self` escapes (those need no "is it set?" check on reads).

use super::annotation::parse_annotation;
use super::classes::{is_literal, FieldInfo, MethodDef, MethodKind};
use super::scope::ModuleName;
use super::scope::ModuleScope;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::{self, ExprKind, FunctionDef, StmtKind};
use crate::types::Type;

impl ModuleScope {
    /// Fields: annotations in the class body, then `self.x = ...` in the methods.
    pub(crate) fn class_fields(&mut self, id: u32, class: &syntax::ClassDef, diagnostics: &mut Vec<Diagnostic>) {
        let add = |scope: &mut ModuleScope,
                   name: &str,
                   declared: Option<Type>,
                   span: Span,
                   diagnostics: &mut Vec<Diagnostic>| {
            let base = scope.classes[id as usize].base;
            if let Some((_, field)) = base.and_then(|b| scope.find_field(b, name)) {
                if let (Some(a), Some(b)) = (&field.declared, &declared) {
                    if a != b {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                span,
                                format!("field `{name}` is declared {a} in a base class"),
                            )
                            .label(format!("declared {b} here"))
                            .help("keep one type for a field across the class hierarchy"),
                        );
                    }
                }
                return;
            }
            let fields = &mut scope.classes[id as usize].fields;
            match fields.iter_mut().find(|f| f.name == name) {
                Some(field) => {
                    if field.declared.is_none() {
                        field.declared = declared;
                    } else if declared.is_some() && field.declared != declared {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::TypeMismatch,
                                span,
                                format!("field `{name}` is declared twice with different types"),
                            )
                            .label("second declaration")
                            .help("keep one type per field"),
                        );
                    }
                }
                None => fields.push(FieldInfo { name: name.to_owned(), declared, span }),
            }
        };
        for stmt in &class.body {
            if let StmtKind::AnnAssign { target, annotation, value } = &stmt.kind {
                let ExprKind::Name(name) = &target.kind else { continue };
                let ty = parse_annotation(annotation, self).map_err(|d| diagnostics.push(d)).ok();
                let is_dataclass = self.classes[id as usize].dataclass.is_some();
                if let (Some(value), false) = (value, is_dataclass) {
                    if is_literal(value) {
                        self.classes[id as usize].constants.push((name.clone(), value.clone()));
                    } else {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::Unsupported,
                                value.span,
                                "a class attribute's value must be a literal",
                            )
                            .label("not a literal")
                            .help("assign it in `__init__` instead (`self.x = ...`)"),
                        );
                    }
                }
                add(self, name, ty, target.span, diagnostics);
            }
        }
        let methods: Vec<MethodDef> = self.methods.iter().filter(|m| m.class == id).cloned().collect();
        for method in methods {
            let kind = self.classes[id as usize].methods.iter().find(|m| m.func == method.func).map(|m| m.kind);
            if !matches!(kind, Some(MethodKind::Instance | MethodKind::Property | MethodKind::Setter)) {
                continue;
            }
            let Some(this) = method.def.params.first().map(|p| p.name.clone()) else { continue };
            let mut found: Vec<(String, Option<syntax::Expr>, Span, Option<syntax::Expr>)> = Vec::new();
            collect_self_stores(&method.def.body, &this, &mut found);
            for (name, annotation, span, value) in found {
                let ty = match annotation {
                    Some(a) => parse_annotation(&a, self).map_err(|d| diagnostics.push(d)).ok(),
                    // `self.x = x` in `__init__`: the parameter's annotation types the field.
                    None if method.def.name == "__init__" => value.and_then(|v| self.evident_type(&v, &method.def)),
                    None => None,
                };
                add(self, &name, ty, span, diagnostics);
            }
        }
    }

    /// The type a field gets from `self.x = value` in `__init__` when the value says it
    /// plainly: an annotated parameter, a literal, or a new object.
    fn evident_type(&self, value: &syntax::Expr, init: &FunctionDef) -> Option<Type> {
        match &value.kind {
            ExprKind::Name(name) => {
                let param = init.params.iter().skip(1).find(|p| p.name == *name)?;
                let ty = parse_annotation(param.annotation.as_ref()?, self).ok()?;
                // `x: float = 0` style widening is for inference to decide.
                (!matches!(ty, Type::Array(..))).then_some(ty)
            }
            ExprKind::Int(_) => Some(Type::Int),
            ExprKind::Str(_) => Some(Type::Str),
            ExprKind::Bool(_) => Some(Type::Bool),
            ExprKind::Float(_) => Some(Type::Float),
            ExprKind::Call { func, .. } => match &func.kind {
                ExprKind::Name(n) => match self.names.get(n) {
                    Some(ModuleName::Class(id)) => Some(self.class_type(*id)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// Fields surely assigned by `class`'s `__init__` (its own or inherited) before `self`
    /// is used otherwise; conservative (a scan of the top-level statements only).
    pub(crate) fn init_assigned(&self, class: u32) -> Vec<String> {
        let Some((definer, method)) = self.find_method(class, "__init__") else { return Vec::new() };
        let Some(def) = self.methods.iter().find(|m| m.func == method.func) else { return Vec::new() };
        let Some(this) = def.def.params.first().map(|p| p.name.as_str()) else { return Vec::new() };
        let mut assigned: Vec<String> = Vec::new();
        for stmt in &def.def.body {
            // `__init__` may end here: the fields assigned below are not sure to be set.
            if may_return(stmt) {
                break;
            }
            match &stmt.kind {
                StmtKind::Assign { targets, value } if targets.len() == 1 => match self_field(&targets[0], this) {
                    Some(name) if uses_self_only_through(value, this, &assigned) => assigned.push(name),
                    _ if !mentions(stmt, this) => {}
                    _ => break,
                },
                StmtKind::AnnAssign { target, value: Some(value), .. } => match self_field(target, this) {
                    Some(name) if uses_self_only_through(value, this, &assigned) => assigned.push(name),
                    _ => break,
                },
                StmtKind::Expr(syntax::Expr { kind: ExprKind::Call { func, args, keywords }, .. })
                    if is_super_init(func) =>
                {
                    let clean = args
                        .iter()
                        .chain(keywords.iter().map(|k| &k.value))
                        .all(|a| uses_self_only_through(a, this, &assigned));
                    if !clean {
                        break;
                    }
                    if let Some(base) = self.classes[definer as usize].base {
                        assigned.extend(self.init_assigned(base));
                    }
                }
                _ if !mentions(stmt, this) => {}
                _ => break,
            }
        }
        assigned
    }
}

/// `this.name` as an assignment target.
fn self_field(target: &syntax::Expr, this: &str) -> Option<String> {
    match &target.kind {
        ExprKind::Attribute { value, attr } if matches!(&value.kind, ExprKind::Name(n) if n == this) => {
            Some(attr.clone())
        }
        _ => None,
    }
}

/// `super().__init__` or `super(C, self).__init__`.
pub(crate) fn is_super_init(func: &syntax::Expr) -> bool {
    match &func.kind {
        ExprKind::Attribute { value, attr } if attr == "__init__" => {
            matches!(&value.kind, ExprKind::Call { func, .. } if matches!(&func.kind, ExprKind::Name(n) if n == "super"))
        }
        _ => false,
    }
}

/// Whether `e` reads `this` only as `this.f` for already assigned fields `f`.
fn uses_self_only_through(e: &syntax::Expr, this: &str, assigned: &[String]) -> bool {
    let mut clean = true;
    let mut allowed = 0usize;
    let mut total = 0usize;
    syntax::visit_exprs(&[syntax::Stmt { kind: StmtKind::Expr(e.clone()), span: e.span }], &mut |x| match &x.kind {
        ExprKind::Attribute { value, attr } if matches!(&value.kind, ExprKind::Name(n) if n == this) => {
            if assigned.contains(attr) {
                allowed += 1;
            } else {
                clean = false;
            }
        }
        ExprKind::Name(n) if n == this => total += 1,
        ExprKind::Lambda { .. } => clean = false,
        _ => {}
    });
    clean && total == allowed
}

/// Whether `stmt` holds a `return` of the function it is in (nested functions' do not count).
fn may_return(stmt: &syntax::Stmt) -> bool {
    let any = |stmts: &[syntax::Stmt]| stmts.iter().any(may_return);
    match &stmt.kind {
        StmtKind::Return(_) => true,
        StmtKind::If { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::For { body, orelse, .. } => any(body) || any(orelse),
        other => other.try_blocks().into_iter().any(any),
    }
}

fn mentions(stmt: &syntax::Stmt, this: &str) -> bool {
    let mut found = false;
    syntax::visit_exprs(std::slice::from_ref(stmt), &mut |x| {
        if matches!(&x.kind, ExprKind::Name(n) if n == this) {
            found = true;
        }
    });
    found || matches!(stmt.kind, StmtKind::FunctionDef(_))
}

/// A store found in a method: field name, annotation, span, and the value when it is the
/// whole right-hand side of a plain assignment.
type SelfStore = (String, Option<syntax::Expr>, Span, Option<syntax::Expr>);

/// Every `this.name = ...` / `this.name: T = ...` / `this.name op= ...` in a method body.
fn collect_self_stores(stmts: &[syntax::Stmt], this: &str, out: &mut Vec<SelfStore>) {
    fn target(
        t: &syntax::Expr,
        this: &str,
        annotation: Option<&syntax::Expr>,
        value: Option<&syntax::Expr>,
        out: &mut Vec<SelfStore>,
    ) {
        match &t.kind {
            ExprKind::Attribute { value: base, attr } if matches!(&base.kind, ExprKind::Name(n) if n == this) => {
                out.push((attr.clone(), annotation.cloned(), t.span, value.cloned()))
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| target(i, this, None, None, out))
            }
            _ => {}
        }
    }
    for stmt in stmts {
        match &stmt.kind {
            StmtKind::Assign { targets, value } => targets.iter().for_each(|t| target(t, this, None, Some(value), out)),
            StmtKind::AnnAssign { target: t, annotation, .. } => target(t, this, Some(annotation), None, out),
            StmtKind::AugAssign { target: t, .. } => target(t, this, None, None, out),
            StmtKind::For { target: t, body, orelse, .. } => {
                target(t, this, None, None, out);
                collect_self_stores(body, this, out);
                collect_self_stores(orelse, this, out);
            }
            StmtKind::While { body, orelse, .. } | StmtKind::If { body, orelse, .. } => {
                collect_self_stores(body, this, out);
                collect_self_stores(orelse, this, out);
            }
            StmtKind::Try { .. } | StmtKind::With { .. } => {
                stmt.kind.try_blocks().into_iter().for_each(|b| collect_self_stores(b, this, out))
            }
            _ => {}
        }
    }
}
