//! Expressions: literals, names, attributes, subscripts, list and tuple displays, conditional
//! expressions, and `and`/`or`. Comparisons live in `compare.rs`, calls in `call.rs`, f-strings in `fstring.rs`,
//! operators in `ops.rs`.

use super::ops::Fit;
use super::scope::ModuleName;
use super::{Checker, Var};
use crate::builtins;
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind, LogicOp};
use crate::span::Span;
use crate::syntax::{self};
use crate::types::Type;

impl Checker<'_> {
    /// Checks an expression. `expected` guides literals (`xs: list[float] = []`).
    pub fn expr(&mut self, e: &syntax::Expr, expected: Option<&Type>) -> Expr {
        let loc = self.loc(e.span);
        use syntax::ExprKind as S;
        match &e.kind {
            S::Int(n) => Expr::new(ExprKind::Int(*n), Type::Int, loc),
            S::Float(x) => Expr::new(ExprKind::Float(*x), Type::Float, loc),
            S::Bool(b) => Expr::new(ExprKind::Bool(*b), Type::Bool, loc),
            S::Str(s) => Expr::new(ExprKind::Str(s.clone()), Type::Str, loc),
            S::None => Expr::new(ExprKind::None, Type::None, loc),
            S::Ellipsis => {
                self.error(
                    Code::Unsupported,
                    e.span,
                    "`...` (Ellipsis) is not supported as a value",
                    "not supported",
                    "use `...` only in annotations such as `tuple[int, ...]`; write `pass` for an empty body",
                );
                self.poisoned(e.span)
            }
            S::Name(name) => self.name(name, e.span),
            S::Attribute { value, attr } => self.attribute(value, attr, e.span),
            S::BinOp { op, left: l, right: r } => {
                if let (syntax::BinOp::Mod, S::Str(format)) = (op, &l.kind) {
                    return self.percent_format(format, l.span, r, e.span);
                }
                let left = self.expr(l, None);
                let right = self.expr(r, None);
                let mut result = self.binary(*op, left, right, e.span);
                result.loc.anchor = self.operator_anchor(e.span, l.span, r.span);
                result
            }
            S::UnaryOp { op, operand } => {
                let operand =
                    if *op == syntax::UnaryOp::Not { self.condition(operand) } else { self.expr(operand, None) };
                self.unary(*op, operand, e.span)
            }
            S::BoolOp { op, values } => self.logic(*op, values, e.span, false),
            S::Compare { left, ops, comparators } => self.compare(left, ops, comparators, e.span),
            S::Call { func, args, keywords } => self.call(func, args, keywords, e.span, expected),
            S::IfExp { test, body, orelse } => {
                let cond = self.condition(test);
                let checks = self.none_checks(test);
                let then = self.with_narrowed(&checks.when_true, |this| this.expr(body, expected));
                let orelse = self.with_narrowed(&checks.when_false, |this| this.expr(orelse, expected));
                match Self::join(&then.ty, &orelse.ty) {
                    Some(ty) => {
                        let then = self.to_joined(then, &ty);
                        let orelse = self.to_joined(orelse, &ty);
                        Expr::new(
                            ExprKind::IfExp { cond: Box::new(cond), then: Box::new(then), orelse: Box::new(orelse) },
                            ty,
                            loc,
                        )
                    }
                    None => {
                        self.error(
                            Code::TypeMismatch,
                            e.span,
                            format!(
                                "the branches of this conditional expression have different types: {} and {}",
                                then.ty, orelse.ty
                            ),
                            "branches differ",
                            "make both branches the same type",
                        );
                        self.poisoned(e.span)
                    }
                }
            }
            S::List(items) => self.list_display(items, e.span, expected),
            S::Tuple(items) if matches!(expected, Some(Type::VarTuple(_))) => {
                let Some(Type::VarTuple(elem)) = expected else { return self.poisoned(e.span) };
                let values: Vec<Expr> = items
                    .iter()
                    .map(|item| {
                        let value = self.expr(item, Some(elem));
                        self.fit_element(value, elem, item.span, "tuple")
                    })
                    .collect();
                let list = Expr::new(ExprKind::List(values), Type::List(elem.clone()), loc);
                self.builtin_call(Key::Op(Op::TupleFromList), vec![list], e.span)
            }
            S::Tuple(items) => {
                let expected_items = match expected {
                    Some(Type::Tuple(types)) if types.len() == items.len() => Some(types.clone()),
                    _ => None,
                };
                if items.is_empty() || items.len() > 8 {
                    self.error(
                        Code::Unsupported,
                        e.span,
                        "tuples must have 1 to 8 items in pyrsc",
                        "here",
                        "use a list for longer sequences",
                    );
                    return self.poisoned(e.span);
                }
                let mut values = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let slot = expected_items.as_ref().map(|t| &t[i]);
                    let value = self.expr(item, slot);
                    values.push(match slot {
                        Some(slot) => self.fit_element(value, slot, item.span, "tuple"),
                        None => value,
                    });
                }
                let ty = Type::Tuple(values.iter().map(|v| v.ty.clone()).collect());
                Expr::new(ExprKind::Tuple(values), ty, loc)
            }
            S::Subscript { value, index } => self.subscript(value, index, e.span),
            S::FString(parts) => self.fstring(parts, e.span),
            S::ListComp { elt, generators } => {
                self.framed("<listcomp>", e.span, e.span, |this| this.list_comprehension(elt, generators, e.span))
            }
            S::Dict { keys, values } => self.dict_display(keys, values, e.span, expected),
            S::Set(items) => self.set_display(items, e.span, expected),
            S::SetComp { elt, generators } => {
                self.framed("<setcomp>", e.span, e.span, |this| this.set_comprehension(elt, generators, e.span))
            }
            S::Lambda { params, body } => self.lambda(params, body, e.span, expected),
            S::DictComp { key, value, generators } => self
                .framed("<dictcomp>", e.span, e.span, |this| this.dict_comprehension(key, value, generators, e.span)),
            S::GeneratorExp { elt, generators } => self.lazy_generator(elt, generators, e.span),
            S::Yield(_) | S::YieldFrom(_) => {
                self.error(
                    Code::Unsupported,
                    e.span,
                    "`yield` as an expression is not supported by pyrsc",
                    "yield value used",
                    "write `yield value` as a statement of its own (generators do not receive values)",
                );
                self.poisoned(e.span)
            }
            S::Slice { .. } => {
                self.error(
                    Code::Unsupported,
                    e.span,
                    "a slice outside of `[...]` is not supported",
                    "here",
                    "write the slice inside a subscript: `xs[a:b]`",
                );
                self.poisoned(e.span)
            }
        }
    }

    /// An expression used as a condition: any type, tested for truthiness. `and`/`or` here may
    /// mix types, since only their truth value is observed.
    pub fn condition(&mut self, e: &syntax::Expr) -> Expr {
        let value = match &e.kind {
            syntax::ExprKind::BoolOp { op, values } => self.logic(*op, values, e.span, true),
            _ => self.expr(e, None),
        };
        self.truthy(value)
    }

    /// Fits a value into a container element of type `slot`; an int never silently becomes a
    /// float element (CPython would keep the int and print it as one).
    /// One item of a display: without an annotation the first item fixes the element type
    /// `slot`, once `admit` accepts it; every later item must fit it. `None` when `admit`
    /// refused the first item's type (it has reported why).
    pub fn display_item(
        &mut self,
        value: Expr,
        slot: &mut Option<Type>,
        span: Span,
        container: &str,
        admit: impl FnOnce(&mut Self, &Type, Span) -> bool,
    ) -> Option<Expr> {
        match slot {
            Some(ty) => Some(self.fit_element(value, ty, span, container)),
            None if admit(self, &value.ty, span) => {
                *slot = Some(value.ty.clone());
                Some(value)
            }
            None => None,
        }
    }

    pub fn fit_element(&mut self, value: Expr, slot: &Type, span: Span, container: &str) -> Expr {
        match self.fit(value.clone(), slot) {
            Fit::Ok(value) => value,
            Fit::Widen(_) => {
                let text = self.text(span).to_owned();
                let help = if value.ty == Type::Int && text.chars().all(|c| c.is_ascii_digit() || c == '-') {
                    format!("write `{text}.0`: CPython would keep `{text}` an int inside the {container}")
                } else {
                    format!("write `float({text})`: CPython would keep the int inside the {container}")
                };
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("expected a {slot} {container} element, found {}", value.ty),
                    format!("this is {}", value.ty),
                    help,
                );
                self.poisoned(span)
            }
            Fit::Mismatch => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("expected a {slot} {container} element, found {}", value.ty),
                    format!("this is {}", value.ty),
                    format!("all elements of a {container} of {slot} must be {slot}"),
                );
                self.poisoned(span)
            }
        }
    }

    fn list_display(&mut self, items: &[syntax::Expr], span: crate::span::Span, expected: Option<&Type>) -> Expr {
        let loc = self.loc(span);
        let expected_elem = match expected {
            Some(Type::List(elem)) if !elem.has_unknown() => Some(elem.as_ref().clone()),
            _ => None,
        };
        let mut values: Vec<Expr> = Vec::new();
        let mut elem = expected_elem.clone();
        for item in items {
            let value = self.expr(item, elem.as_ref());
            values.extend(self.display_item(value, &mut elem, item.span, "list", |_, _, _| true));
        }
        match elem {
            Some(elem) => Expr::new(ExprKind::List(values), Type::list(elem), loc),
            None => {
                // Typed later by the variable it is assigned to, or reported at the end of the round.
                self.pending_empty.push((span, "list"));
                Expr::new(ExprKind::List(values), Type::list(Type::Unknown), loc)
            }
        }
    }

    pub fn read_var(&mut self, var: Var, span: Span) -> Expr {
        let value = self.read_var_unchecked(var, span);
        self.narrowed_read(var, value)
    }

    fn read_var_unchecked(&mut self, var: Var, span: Span) -> Expr {
        let loc = self.loc(span);
        match var {
            Var::Local(id) => {
                if !self.f.is_assigned(var) {
                    self.f.locals[id.0 as usize].maybe_unbound = true;
                }
                let ty = self.f.locals[id.0 as usize].ty.clone();
                let name = &self.f.locals[id.0 as usize].name;
                // A hidden local is unknown only after an error reported where it arose.
                if ty == Type::Unknown && !name.starts_with('$') {
                    let name = name.clone();
                    self.cannot_infer(&name, span);
                }
                Expr::new(ExprKind::Local(id), ty, loc)
            }
            Var::Free(i) => {
                let ty = self.f.free[i].1.clone();
                Expr::new(ExprKind::Free(i), ty, loc)
            }
            Var::Global(id) => {
                if self.f.owner.is_some() || self.f.nested {
                    self.global_read_in_function[id.0 as usize] = true;
                } else if !self.f.is_assigned(var) {
                    self.global_maybe_unbound[id.0 as usize] = true;
                }
                let ty = self.global_type(id);
                if ty == Type::Unknown {
                    let name = self.scope.globals[id.0 as usize].name.clone();
                    self.cannot_infer(&name, span);
                }
                Expr::new(ExprKind::Global(id), ty, loc)
            }
        }
    }

    pub fn cannot_infer(&mut self, name: &str, span: Span) {
        // A variable whose annotation was rejected (or missing, for a parameter) was reported.
        let rejected = match self.f.by_name.contains_key(name) {
            true => self.f.rejected.contains(name),
            false => match self.scope.names.get(name) {
                Some(super::scope::ModuleName::Global(id)) => self.scope.globals[id.0 as usize].rejected,
                _ => self.enclosing.iter().any(|f| f.rejected.contains(name)),
            },
        };
        if rejected {
            return;
        }
        self.error(
            Code::CannotInfer,
            span,
            format!("cannot infer the type of `{name}`"),
            "type unknown here",
            format!("annotate the variable where it is first assigned, e.g. `{name}: int = 0`"),
        );
    }

    fn name(&mut self, name: &str, span: Span) -> Expr {
        match self.variable(name, span) {
            Some(value) => value,
            None => self.module_name(name, span),
        }
    }

    /// A function-local, nonlocal or free variable named `name`, read.
    pub fn variable(&mut self, name: &str, span: Span) -> Option<Expr> {
        if self.f.nonlocals.iter().any(|n| n == name) {
            let index = self.free_var(name)?;
            return Some(self.read_var(Var::Free(index), span));
        }
        if let Some(id) = self.f.by_name.get(name).copied() {
            return Some(self.read_var(Var::Local(id), span));
        }
        let index = self.free_var(name)?;
        Some(self.read_var(Var::Free(index), span))
    }

    fn module_name(&mut self, name: &str, span: Span) -> Expr {
        match self.scope.names.get(name).cloned() {
            Some(ModuleName::Global(id)) => self.read_var(Var::Global(id), span),
            Some(ModuleName::Imported(module, member)) => {
                if let Some(index) = builtins::constant(module, member) {
                    return self.module_constant(index, span);
                }
                self.not_a_value(name, span, "call it: functions cannot be used as values yet")
            }
            Some(ModuleName::Function(id)) => self.function_ref(id, span),
            Some(ModuleName::Module(_)) => self.not_a_value(name, span, "use one of its members, e.g. `math.sqrt(x)`"),
            Some(ModuleName::Prange) => {
                self.not_a_value(name, span, "use it directly in a loop: `for i in prange(n):`")
            }
            Some(ModuleName::Pmap) => self.not_a_value(name, span, "call it: `pmap(f, items)`"),
            Some(ModuleName::Typing(_)) => self.not_a_value(name, span, "typing names are for annotations only"),
            Some(ModuleName::Class(_)) => {
                self.not_a_value(name, span, "call it to make an object (`C(...)`), or read a constant (`C.NAME`)")
            }
            Some(ModuleName::Dataclasses(_)) => {
                self.not_a_value(name, span, "use it as a decorator or in a dataclass field")
            }
            None if name == "__name__" => Expr::new(ExprKind::Str(self.module_name.clone()), Type::Str, self.loc(span)),
            None if super::names::is_python_builtin(name) => {
                self.not_a_value(name, span, "call it: builtins cannot be used as values yet")
            }
            None => {
                let help = match self.similar_name(name) {
                    Some(similar) => format!("did you mean `{similar}`?"),
                    None => "define it before this line, or import it (pyrsc supports math, sys and typing)".to_owned(),
                };
                self.error(Code::UndefinedName, span, format!("name `{name}` is not defined"), "not defined", help);
                self.poisoned(span)
            }
        }
    }

    /// A visible name close to `name` (a likely typo), for the help line.
    pub fn similar_name(&self, name: &str) -> Option<String> {
        let mut candidates: Vec<&str> =
            self.f.by_name.keys().map(String::as_str).filter(|n| !n.starts_with('$')).collect();
        candidates.extend(self.scope.names.keys().map(String::as_str));
        candidates.extend(super::names::PYTHON_BUILTINS.iter().copied());
        let limit = (name.chars().count() / 3).max(1);
        candidates
            .into_iter()
            .filter(|c| *c != name)
            .map(|c| (edit_distance(name, c), c))
            .filter(|(d, _)| *d <= limit)
            .min()
            .map(|(_, c)| c.to_owned())
    }

    fn not_a_value(&mut self, name: &str, span: Span, help: &str) -> Expr {
        self.error(Code::Unsupported, span, format!("`{name}` cannot be used as a value"), "used as a value", help);
        self.poisoned(span)
    }

    fn module_constant(&mut self, index: usize, span: Span) -> Expr {
        let loc = self.loc(span);
        Expr::new(ExprKind::Constant(index), builtins::CONSTANTS[index].ty.clone(), loc)
    }

    fn attribute(&mut self, value: &syntax::Expr, attr: &str, span: Span) -> Expr {
        if let syntax::ExprKind::Name(name) = &value.kind {
            if !self.f.by_name.contains_key(name) {
                if let Some(ModuleName::Module(module)) = self.scope.names.get(name).cloned() {
                    let Some(table) = builtins::Module::from_name(module) else {
                        self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{module}.{attr}` is not supported by pyrsc"),
                            "here",
                            format!("pyrsc uses `{module}` only in annotations and decorators"),
                        );
                        return self.poisoned(span);
                    };
                    if let Some(index) = builtins::constant(table, attr) {
                        return self.module_constant(index, span);
                    }
                    match builtins::member(table, attr) {
                        Some(key) if builtins::is_value_member(key) => return self.builtin_call(key, Vec::new(), span),
                        Some(_) => self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{module}.{attr}` cannot be used as a value"),
                            "here",
                            format!("call it: `{module}.{attr}(...)`"),
                        ),
                        None => self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{module}.{attr}` is not supported by pyrsc"),
                            "here",
                            builtins::members_help(table),
                        ),
                    }
                    return self.poisoned(span);
                }
            }
        }
        if let syntax::ExprKind::Name(name) = &value.kind {
            if let Some(class) = self.class_named(name) {
                return self.class_attribute(class, attr, span);
            }
        }
        let object = self.expr(value, None);
        if let Type::Array(..) = object.ty {
            return self.array_attribute(object, attr, span);
        }
        if attr == "args" && (object.ty == Type::Exception || self.is_exception_object(&object.ty)) {
            return self.exception_args(object, span);
        }
        if let Type::Object(class) = &object.ty {
            let class = class.id;
            return self.object_attribute(object, class, attr, span);
        }
        if !object.ty.has_unknown() {
            let help = super::narrowing::none_check_help(&object.ty)
                .unwrap_or_else(|| "check the spelling; methods must be called, e.g. `xs.append(x)`".to_owned());
            self.error(
                Code::UnknownAttribute,
                span,
                format!("{} has no attribute `{attr}` in pyrsc", object.ty),
                "unknown attribute",
                help,
            );
        }
        self.poisoned(span)
    }

    /// CPython 3.11's caret anchor for a binary operator: the operator's characters, found by
    /// scanning from the end of the left operand (skipping blanks and closing parentheses).
    fn operator_anchor(&self, whole: Span, left: Span, right: Span) -> Option<(u32, u32)> {
        let (line, _) = self.lines.column_of(whole.start);
        if self.lines.line_of(whole.end.saturating_sub(1).max(whole.start)) != line {
            return None;
        }
        let between = self.source.get(left.end as usize..right.start as usize)?;
        let chars: Vec<(usize, char)> = between.char_indices().collect();
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k].1;
            if c.is_whitespace() || (c == ')' && k + 1 < chars.len()) {
                k += 1;
                continue;
            }
            let start = left.end + chars[k].0 as u32;
            let two = k + 1 < chars.len() && !chars[k + 1].1.is_whitespace();
            let (_, a) = self.lines.column_of(start);
            return Some((a, a + if two { 2 } else { 1 }));
        }
        None
    }

    /// CPython 3.11's caret anchor for a subscript: from its `[` to the end of the expression.
    pub fn subscript_anchor(&self, whole: Span, value: Span, _index: Span) -> Option<(u32, u32)> {
        let (line, _) = self.lines.column_of(whole.start);
        if self.lines.line_of(whole.end.saturating_sub(1).max(whole.start)) != line {
            return None;
        }
        let after_value = self.source.get(value.end as usize..whole.end as usize)?;
        let bracket = value.end + after_value.find('[')? as u32;
        let (_, a) = self.lines.column_of(bracket);
        let (_, b) = self.lines.column_of(whole.end);
        Some((a, b))
    }

    fn subscript(&mut self, value: &syntax::Expr, index: &syntax::Expr, span: Span) -> Expr {
        let mut loc = self.loc(span);
        loc.anchor = self.subscript_anchor(span, value.span, index.span);
        // `a.shape[k]` of an array reads one axis directly.
        if let (syntax::ExprKind::Attribute { value: array, attr }, Some(k)) = (&value.kind, constant_index(index)) {
            if attr == "shape" {
                let (saved, pending) = (self.diagnostics.len(), self.pending_empty.len());
                let base = self.expr(array, None);
                if let Type::Array(..) = base.ty {
                    return self.array_dim(base, k, span);
                }
                // Not an array: checked again below, as any other subscript.
                self.diagnostics.truncate(saved);
                self.pending_empty.truncate(pending);
            }
        }
        let base = self.expr(value, None);
        if let Type::Array(dtype, ndim) = base.ty {
            return self.array_subscript(base, index, dtype, ndim, span, loc);
        }
        if let syntax::ExprKind::Slice { lower, upper, step } = &index.kind {
            return self.slice(base, [lower, upper, step], span, loc);
        }
        match base.ty.clone() {
            Type::Object(_) => {
                let key = self.expr(index, None);
                self.object_getitem(base, key, index.span, span)
            }
            Type::ExcArgs => {
                let index = self.index_value(index);
                self.exception_arg(base, index, span, loc)
            }
            Type::List(elem) | Type::VarTuple(elem) => {
                let index = self.index_value(index);
                Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(index) }, *elem, loc)
            }
            Type::Str => {
                let index = self.index_value(index);
                Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(index) }, Type::Str, loc)
            }
            Type::Dict(key_ty, value_ty) => {
                let key = self.lookup_key(index, &key_ty);
                Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(key) }, *value_ty, loc)
            }
            Type::Range => {
                let index = self.index_value(index);
                Expr::new(ExprKind::Index { base: Box::new(base), index: Box::new(index) }, Type::Int, loc)
            }
            Type::Tuple(items) => {
                let position = match &index.kind {
                    syntax::ExprKind::Int(n) => Some(*n),
                    syntax::ExprKind::UnaryOp { op: syntax::UnaryOp::Neg, operand } => match operand.kind {
                        syntax::ExprKind::Int(n) => Some(-n),
                        _ => None,
                    },
                    _ => None,
                };
                let len = items.len() as i64;
                match position {
                    Some(k) if -len <= k && k < len => {
                        let k = if k < 0 { k + len } else { k } as usize;
                        Expr::new(ExprKind::TupleField { base: Box::new(base), index: k }, items[k].clone(), loc)
                    }
                    Some(_) => {
                        self.error(
                            Code::TypeMismatch,
                            index.span,
                            "tuple index out of range",
                            format!("this tuple has {len} items"),
                            "use an index from 0 to len - 1",
                        );
                        self.poisoned(span)
                    }
                    None => {
                        self.error(
                            Code::Unsupported,
                            index.span,
                            "tuples can only be indexed by a constant",
                            "not a constant",
                            "unpack the tuple (`a, b = t`) or index it with a literal",
                        );
                        self.poisoned(span)
                    }
                }
            }
            Type::Unknown => self.poisoned(span),
            other => {
                self.error(
                    Code::TypeMismatch,
                    value.span,
                    format!("{other} cannot be indexed"),
                    format!("this is {other}"),
                    "index a list, a str or a tuple",
                );
                self.poisoned(span)
            }
        }
    }

    /// `base[lower:upper:step]` on a list or a str.
    fn slice(&mut self, base: Expr, parts: [&Option<Box<syntax::Expr>>; 3], span: Span, loc: crate::span::Loc) -> Expr {
        let [lower, upper, step] = parts.map(|part| part.as_ref().map(|e| Box::new(self.index_value(e))));
        match &base.ty {
            Type::List(_) | Type::Str | Type::VarTuple(_) => {
                let ty = base.ty.clone();
                Expr::new(ExprKind::Slice { base: Box::new(base), lower, upper, step }, ty, loc)
            }
            Type::Unknown => self.poisoned(span),
            other => {
                self.error(
                    Code::Unsupported,
                    span,
                    format!("slicing {other} is not supported"),
                    "here",
                    "slice a list or a str",
                );
                self.poisoned(span)
            }
        }
    }

    /// `not test` when `negate` (for `not in`).
    pub(crate) fn negated_if(&self, negate: bool, test: Expr) -> Expr {
        if !negate {
            return test;
        }
        let loc = test.loc;
        Expr::new(ExprKind::Unary { op: crate::ir::UnaryOp::Not, operand: Box::new(test) }, Type::Bool, loc)
    }

    /// An index must be an int (a bool is accepted, as in CPython).
    pub fn index_value(&mut self, index: &syntax::Expr) -> Expr {
        let value = self.expr(index, None);
        match value.ty {
            Type::Int | Type::Unknown => value,
            Type::Bool => self.to_int(value),
            _ => {
                self.error(
                    Code::TypeMismatch,
                    index.span,
                    format!("list indices must be integers, not {}", value.ty),
                    format!("this is {}", value.ty),
                    "convert it with int(...)",
                );
                self.poisoned(index.span)
            }
        }
    }

    pub fn logic(&mut self, op: syntax::BoolOp, values: &[syntax::Expr], span: Span, as_condition: bool) -> Expr {
        let loc = self.loc(span);
        let op = match op {
            syntax::BoolOp::And => LogicOp::And,
            syntax::BoolOp::Or => LogicOp::Or,
        };
        // `x is not None and x > 0`: each operand sees what the ones before it proved.
        let mut checked: Vec<Expr> = Vec::new();
        let mut proved: Vec<super::narrowing::Fact> = Vec::new();
        for v in values {
            self.keep_facts_across(&mut proved, v);
            let value =
                self.with_narrowed(
                    &proved.clone(),
                    |this| if as_condition { this.condition(v) } else { this.expr(v, None) },
                );
            checked.push(value);
            let checks = self.none_checks(v);
            proved.extend(if op == LogicOp::And { checks.when_true } else { checks.when_false });
        }
        let first = checked[0].ty.clone();
        if let Type::Array(..) = first {
            // `a or b` tests the truth value of `a` (NumPy raises ValueError): reported, and
            // the value keeps its type.
            self.truthy(checked[0].clone());
        }
        if checked.iter().all(|v| v.ty == first) {
            return Expr::new(ExprKind::Logic { op, values: checked }, first, loc);
        }
        if let (LogicOp::Or, [maybe, fallback]) = (op, checked.as_slice()) {
            if let Type::Optional(inner) = &maybe.ty {
                if **inner == fallback.ty {
                    // `x or default`: x when it is truthy (so not None), else the default.
                    return self.optional_or(checked, loc);
                }
            }
        }
        self.error(
            Code::TypeMismatch,
            span,
            "the operands of `and`/`or` have different types, so the result's type would depend on the values",
            "mixed operand types",
            "compare explicitly (`x != 0 and y`) or use `if`",
        );
        self.poisoned(span)
    }
}

/// Edit distance between two names (by character; an adjacent swap counts as one edit).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in table.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in table[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[i - 1][j] + 1).min(table[i][j - 1] + 1).min(table[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[i - 2][j - 2] + 1);
            }
            table[i][j] = best;
        }
    }
    table[a.len()][b.len()]
}

/// An integer literal index (`2`, `-1`).
fn constant_index(index: &syntax::Expr) -> Option<i64> {
    match &index.kind {
        syntax::ExprKind::Int(n) => Some(*n),
        syntax::ExprKind::UnaryOp { op: syntax::UnaryOp::Neg, operand } => match operand.kind {
            syntax::ExprKind::Int(n) => Some(-n),
            _ => None,
        },
        _ => None,
    }
}
