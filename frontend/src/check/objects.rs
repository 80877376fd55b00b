//! Objects of user classes: construction (`C(args)` is a fresh object, then `__init__`), field
//! reads and stores, method calls (direct, or through a dispatcher when a subclass overrides
//! the method), `super()`, properties, class constants, `@staticmethod`/`@classmethod` calls,
//! `isinstance` with classes, and the special methods behind operators (`==`, `<`, `+`, `len`,
//! `[]`, `in`).

use super::classes::MethodKind;
use super::ops::Fit;
use super::scope::ModuleName;
use super::state::Var;
use super::Checker;
use crate::builtins::Key;
use crate::diagnostic::Code;
use crate::ir::{Conversion, Expr, ExprKind, Stmt, Target};
use crate::span::Span;
use crate::syntax::{self, Keyword};
use crate::types::Type;

/// What `obj.name` resolves to.
pub struct FieldRef {
    pub owner: u32,
    pub slot: usize,
    pub ty: Type,
    pub checked: bool,
}

impl Checker<'_> {
    /// A field's type: declared, or inferred from assignments (`Unknown` until one is seen).
    pub fn field_type(&self, owner: u32, name: &str) -> Type {
        if let Some(ty) = self.inference.fields.get(&(owner, name.to_owned())) {
            return ty.clone();
        }
        self.scope.classes[owner as usize]
            .fields
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.declared.clone())
            .unwrap_or(Type::Unknown)
    }

    pub fn field_ref(&self, class: u32, name: &str) -> Option<FieldRef> {
        let (owner, _) = self.scope.find_field(class, name)?;
        let root = self.scope.classes[class as usize].root;
        let slot = super::classes::slot_index(&self.scope.slots(root), owner, name)?;
        let ty = self.field_type(owner, name);
        let checked = !self.scope.field_solid(owner, name) || !has_placeholder(&ty);
        Some(FieldRef { owner, slot, ty, checked })
    }

    /// The class `name` stands for where a class is expected: a class of the module, or the
    /// `cls` parameter of a class method.
    pub fn class_named(&self, name: &str) -> Option<u32> {
        if self.f.cls_param.as_ref().is_some_and(|(n, _)| n == name) {
            return self.f.cls_param.as_ref().map(|(_, c)| *c);
        }
        if self.f.by_name.contains_key(name) {
            return None;
        }
        match self.scope.names.get(name) {
            Some(ModuleName::Class(id)) => Some(*id),
            _ => None,
        }
    }

    /// `C(args)`: a fresh object of `C`, initialised by `__init__` (the class's own or the
    /// nearest inherited one).
    pub fn construct(&mut self, class: u32, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        let loc = self.loc(span);
        let ty = self.scope.class_type(class);
        let object = Expr::new(ExprKind::Alloc { class }, ty.clone(), loc);
        let Some((init, _)) = self.scope.method_target(class, "__init__") else {
            if self.scope.is_exception(class) {
                return self.new_exception_object(object, class, args, keywords, span);
            }
            if !args.is_empty() || !keywords.is_empty() {
                let name = self.scope.classes[class as usize].name.clone();
                self.error(
                    Code::WrongArgumentCount,
                    span,
                    format!("{name}() takes no arguments"),
                    "arguments given",
                    format!("define `__init__` in `{name}` to take them"),
                );
                return self.poisoned(span);
            }
            return object;
        };
        // The arguments are checked as a call of `__init__` with the new object first.
        let receiver = match self.scope.signatures[init.0 as usize].params.first().map(|p| &p.ty) {
            Some(Type::Object(c)) => self.recast(object, c.id),
            _ => object,
        };
        let call = self.user_call_with(init, Some(receiver), args, keywords, span);
        let ExprKind::Call { mut args, .. } = call.kind else { return self.poisoned(span) };
        args.remove(0);
        Expr::new(ExprKind::New { class, init, args }, ty, loc)
    }

    /// `MyError(message)` for an exception class without `__init__`: the object, with the
    /// message `str(e)` shows.
    fn new_exception_object(
        &mut self,
        object: Expr,
        class: u32,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let loc = self.loc(span);
        let ty = object.ty.clone();
        let Some((prelude, message, args_repr)) = self.exception_args_message(class, args, keywords, span) else {
            return self.poisoned(span);
        };
        let temp = self.f.temp(ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let held = Expr::new(ExprKind::Local(temp), ty.clone(), loc);
        let mut stmts = prelude;
        stmts.push(Stmt::Assign { target: Target::Local(temp), value: object });
        self.store_message(held.clone(), message, args_repr, &mut stmts);
        Expr::new(ExprKind::Block { stmts, value: Box::new(held) }, ty, loc)
    }

    /// `str(e)` of an exception of `class` built with `args` (empty, or its one argument's
    /// str) and the repr of that argument (empty for none), after the statements that
    /// evaluate the argument once.
    fn exception_args_message(
        &mut self,
        class: u32,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Option<(Vec<Stmt>, Expr, Expr)> {
        match (args, keywords) {
            ([], []) => {
                let empty = Expr::new(ExprKind::Str(String::new()), Type::Str, self.loc(span));
                Some((Vec::new(), empty.clone(), empty))
            }
            ([arg], []) => {
                let value = self.expr(arg, None);
                let base = self.exception_builtin_base(class);
                let (prelude, value) = self.evaluated_once(value);
                let args_repr = self.builtin_call(Key::Function("repr"), vec![value.clone()], arg.span);
                Some((prelude, self.exception_message(value, base, arg.span), args_repr))
            }
            _ => {
                self.error(
                    Code::Unsupported,
                    span,
                    "an exception with several arguments or keywords",
                    "arguments",
                    "pass one message, e.g. an f-string",
                );
                None
            }
        }
    }

    /// The built-in class an exception class finally derives from.
    pub fn exception_builtin_base(&self, class: u32) -> &'static str {
        self.scope
            .ancestry(class)
            .iter()
            .find_map(|c| self.scope.classes[*c as usize].exception_base)
            .unwrap_or("Exception")
    }

    /// `value` held in a new local (the statement that assigns it, and its read), so that it
    /// can be used twice; a literal or a variable is used as it is.
    pub(super) fn evaluated_once(&mut self, value: Expr) -> (Vec<Stmt>, Expr) {
        if matches!(
            value.kind,
            ExprKind::Str(_) | ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Bool(_) | ExprKind::Local(_)
        ) {
            return (Vec::new(), value);
        }
        let temp = self.f.temp(value.ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let read = Expr::new(ExprKind::Local(temp), value.ty.clone(), value.loc);
        (vec![Stmt::Assign { target: Target::Local(temp), value }], read)
    }

    /// Stores `message` and `args_repr` into the exception object's hidden fields.
    fn store_message(&mut self, object: Expr, message: Expr, args_repr: Expr, out: &mut Vec<Stmt>) {
        let Type::Object(class) = &object.ty else { return };
        for (name, value) in [(super::classes::MESSAGE_FIELD, message), (super::classes::ARGS_FIELD, args_repr)] {
            if let Some(field) = self.field_ref(class.id, name) {
                out.push(Stmt::Assign {
                    target: Target::Field { base: Box::new(object.clone()), slot: field.slot, name: name.to_owned() },
                    value,
                });
            }
        }
    }

    /// `super().__init__(message)` in an exception class whose bases define no `__init__`:
    /// sets the message (`BaseException.__init__`).
    fn exception_super_init(
        &mut self,
        receiver: Expr,
        class: u32,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let loc = self.loc(span);
        let Some((mut stmts, message, args_repr)) = self.exception_args_message(class, args, keywords, span) else {
            return self.poisoned(span);
        };
        self.store_message(receiver, message, args_repr, &mut stmts);
        Expr::new(
            ExprKind::Block { stmts, value: Box::new(Expr::new(ExprKind::None, Type::None, loc)) },
            Type::None,
            loc,
        )
    }

    /// `value` seen as an instance of `class` (an ancestor or, after a class test, a
    /// descendant of its static class).
    pub fn recast(&self, value: Expr, class: u32) -> Expr {
        match &value.ty {
            Type::Object(c) if c.id != class => {
                let loc = value.loc;
                Expr::new(
                    ExprKind::Convert { conversion: Conversion::Recast, value: Box::new(value) },
                    self.scope.class_type(class),
                    loc,
                )
            }
            _ => value,
        }
    }

    /// `obj.name` read: a field, a property, or a class constant.
    pub fn object_attribute(&mut self, object: Expr, class: u32, attr: &str, span: Span) -> Expr {
        let loc = self.loc(span);
        if let Some(field) = self.field_ref(class, attr) {
            let base = object.clone();
            let kind = ExprKind::Field {
                base: Box::new(object),
                slot: field.slot,
                name: attr.to_owned(),
                checked: field.checked,
            };
            return self.narrowed_field(&base, attr, Expr::new(kind, field.ty, loc));
        }
        if let Some((func, kind)) = self.scope.method_target(class, attr) {
            if kind == MethodKind::Property {
                let receiver =
                    self.recast(object, self.scope.find_method(class, attr).map(|(c, _)| c).unwrap_or(class));
                let ret = self.inference.rets[func.0 as usize].clone();
                return Expr::new(ExprKind::Call { func, args: vec![receiver] }, ret, loc);
            }
            self.error(
                Code::Unsupported,
                span,
                format!("the method `{attr}` is used without calling it"),
                "bound method",
                format!("call it: `{}(...)`; pass a function instead of a bound method", self.text(span)),
            );
            return self.poisoned(span);
        }
        if self.scope.find_constant(class, attr).is_some() {
            return self.object_constant(object, class, attr, span);
        }
        self.unknown_attribute(class, attr, span)
    }

    /// `obj.NAME` for a class constant: the value of the object's own class, which a
    /// subclass may redefine (then chosen by a class test).
    fn object_constant(&mut self, object: Expr, class: u32, attr: &str, span: Span) -> Expr {
        let loc = self.loc(span);
        let mut groups: Vec<(syntax::Expr, Vec<u32>)> = Vec::new();
        for c in self.scope.subtree(class) {
            let Some(value) = self.scope.find_constant(c, attr).cloned() else { continue };
            match groups.iter_mut().find(|(v, _)| v.span == value.span) {
                Some(group) => group.1.push(c),
                None => groups.push((value, vec![c])),
            }
        }
        let values: Vec<(Expr, Vec<u32>)> = groups.into_iter().map(|(v, cs)| (self.class_constant(&v), cs)).collect();
        let ty = values[0].0.ty.clone();
        if values.iter().any(|(v, _)| v.ty != ty) {
            self.error(
                Code::TypeMismatch,
                span,
                format!("class constant `{attr}` has different types in subclasses"),
                "redefined with another type",
                "keep one type for a class constant across the hierarchy",
            );
            return self.poisoned(span);
        }
        let temp = self.f.temp(object.ty.clone());
        self.f.mark_assigned(Var::Local(temp));
        let held = Expr::new(ExprKind::Local(temp), object.ty.clone(), loc);
        let mut values = values.into_iter().rev();
        let Some((mut result, _)) = values.next() else { return self.poisoned(span) };
        for (value, classes) in values {
            let test = Expr::new(ExprKind::IsInstance { value: Box::new(held.clone()), classes }, Type::Bool, loc);
            result = Expr::new(
                ExprKind::IfExp { cond: Box::new(test), then: Box::new(value), orelse: Box::new(result) },
                ty.clone(),
                loc,
            );
        }
        Expr::new(
            ExprKind::Block {
                stmts: vec![Stmt::Assign { target: Target::Local(temp), value: object }],
                value: Box::new(result),
            },
            ty,
            loc,
        )
    }

    fn class_constant(&mut self, constant: &syntax::Expr) -> Expr {
        // Constants are literals, checked without the current function's names.
        let saved = std::mem::take(&mut self.f.by_name);
        let value = self.expr(constant, None);
        self.f.by_name = saved;
        value
    }

    fn unknown_attribute(&mut self, class: u32, attr: &str, span: Span) -> Expr {
        let name = self.scope.classes[class as usize].name.clone();
        let mut known: Vec<String> = Vec::new();
        for c in self.scope.ancestry(class) {
            let info = &self.scope.classes[c as usize];
            known.extend(info.fields.iter().map(|f| f.name.clone()));
            known.extend(info.methods.iter().map(|m| m.name.clone()));
            known.extend(info.constants.iter().map(|(n, _)| n.clone()));
        }
        known.retain(|n| !n.starts_with("__"));
        known.sort();
        known.dedup();
        let help = if known.is_empty() {
            format!("assign it in `{name}.__init__` first (`self.{attr} = ...`)")
        } else {
            format!("`{name}` has: {}", known.join(", "))
        };
        self.error(
            Code::UnknownAttribute,
            span,
            format!("'{name}' object has no attribute '{attr}'"),
            "unknown attribute",
            help,
        );
        self.poisoned(span)
    }

    /// `C.name` read: a class constant.
    pub fn class_attribute(&mut self, class: u32, attr: &str, span: Span) -> Expr {
        if let Some(constant) = self.scope.find_constant(class, attr).cloned() {
            return self.class_constant(&constant);
        }
        let name = self.scope.classes[class as usize].name.clone();
        self.error(
            Code::UnknownAttribute,
            span,
            format!("type object '{name}' has no attribute '{attr}' pyrsc can read"),
            "unknown class attribute",
            "read literal class constants (`NAME = 1` in the class body); call methods, e.g. `C.make(...)`",
        );
        self.poisoned(span)
    }

    /// The type a store to `target` expects (for typing the stored value), when it is a field.
    pub fn field_target_type(&mut self, base: &syntax::Expr, attr: &str) -> Option<Type> {
        let Type::Object(class) = self.probe_type(base) else { return None };
        let field = self.field_ref(class.id, attr)?;
        (!field.ty.has_unknown()).then_some(field.ty)
    }

    /// `obj.name = value`.
    pub fn store_field(
        &mut self,
        base_syntax: &syntax::Expr,
        attr: &str,
        value: Expr,
        span: Span,
        out: &mut Vec<Stmt>,
    ) {
        if let syntax::ExprKind::Name(name) = &base_syntax.kind {
            if let Some(class) = self.class_named(name).filter(|_| !self.f.by_name.contains_key(name)) {
                let class_name = self.scope.classes[class as usize].name.clone();
                self.error(
                    Code::Unsupported,
                    span,
                    format!("cannot assign to the class attribute `{class_name}.{attr}`"),
                    "class attribute",
                    "class constants are fixed; keep changing state in a module variable or a field",
                );
                return;
            }
        }
        let base = self.expr(base_syntax, None);
        self.store_field_on(base, attr, value, span, out);
    }

    /// `base.name = value` for an evaluated `base`.
    pub fn store_field_on(&mut self, base: Expr, attr: &str, value: Expr, span: Span, out: &mut Vec<Stmt>) {
        let class = match &base.ty {
            Type::Object(c) => c.id,
            Type::Unknown => return,
            other => {
                self.error(
                    Code::UnknownAttribute,
                    span,
                    format!("cannot set attribute `{attr}` on {other}"),
                    "not an object",
                    "only objects of your classes have assignable attributes",
                );
                return;
            }
        };
        let Some(field) = self.field_ref(class, attr) else {
            if let Some((setter, _)) = self.scope.method_target(class, &super::classes::setter_name(attr)) {
                // `obj.x = value` runs the property's setter (the value is computed first).
                let loc = self.loc(span);
                let temp = self.f.temp(value.ty.clone());
                self.f.mark_assigned(Var::Local(temp));
                let held = Expr::new(ExprKind::Local(temp), value.ty.clone(), loc);
                out.push(Stmt::Assign { target: Target::Local(temp), value });
                let definer =
                    self.scope.find_method(class, &super::classes::setter_name(attr)).map(|(c, _)| c).unwrap_or(class);
                let receiver = self.recast(base, definer);
                let slot = self.inference.params[setter.0 as usize].get(1).cloned().unwrap_or(Type::Unknown);
                let held = match self.fit(held.clone(), &slot) {
                    Fit::Ok(value) => value,
                    _ => {
                        self.error(
                            Code::TypeMismatch,
                            span,
                            format!("the setter of `{attr}` takes {slot}, not {}", held.ty),
                            format!("this is {}", held.ty),
                            format!("assign a {slot}"),
                        );
                        return;
                    }
                };
                out.push(Stmt::Expr(Expr::new(
                    ExprKind::Call { func: setter, args: vec![receiver, held] },
                    Type::None,
                    loc,
                )));
                return;
            }
            if self.scope.find_method(class, attr).is_some_and(|(_, m)| m.kind == MethodKind::Property) {
                self.error(
                    Code::Unsupported,
                    span,
                    format!("property `{attr}` has no setter in pyrsc"),
                    "read-only property",
                    "assign the underlying field instead",
                );
            } else if self.scope.find_constant(class, attr).is_some() {
                let name = self.scope.classes[class as usize].name.clone();
                self.error(
                    Code::Unsupported,
                    span,
                    format!("`{attr}` is a class attribute of `{name}`; giving one object its own value here is not supported by pyrsc"),
                    "instance attribute outside the class",
                    format!("assign it in a method of `{name}` (`self.{attr} = ...`), which makes it a field every object has"),
                );
            } else {
                self.unknown_attribute(class, attr, span);
            }
            return;
        };
        let value = match self.fit(value.clone(), &field.ty) {
            _ if field.ty.has_unknown() => {
                if !value.ty.has_unknown() {
                    self.inference.fields.insert((field.owner, attr.to_owned()), value.ty.clone());
                }
                value
            }
            Fit::Ok(value) => value,
            Fit::Widen(wider) if matches!(field.ty, Type::Float | Type::Int) && wider == Type::Num => {
                self.inference.fields.insert((field.owner, attr.to_owned()), Type::Num);
                self.to_num(value)
            }
            _ => {
                let class_name = self.scope.classes[class as usize].name.clone();
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("field `{class_name}.{attr}` is {}, but this is {}", field.ty, value.ty),
                    format!("this is {}", value.ty),
                    super::narrowing::none_check_help(&value.ty).unwrap_or_else(|| {
                        format!("store a {} (or annotate the field with the type it should hold)", field.ty)
                    }),
                );
                return;
            }
        };
        let frozen = self
            .scope
            .ancestry(class)
            .iter()
            .any(|c| self.scope.classes[*c as usize].dataclass.is_some_and(|d| d.frozen));
        if frozen && !self.f.may_init_frozen {
            // CPython raises when the assignment runs; the value is computed first.
            let loc = self.loc(span);
            out.push(Stmt::Expr(base));
            out.push(Stmt::Expr(value));
            let message = Expr::new(ExprKind::Str(format!("cannot assign to field '{attr}'")), Type::Str, loc);
            let exc = Expr::new(
                ExprKind::NewException {
                    class: "FrozenInstanceError",
                    message: Some(Box::new(message)),
                    arg_repr: None,
                },
                Type::Exception,
                loc,
            );
            out.push(Stmt::Raise { value: Some(exc), cause: crate::ir::RaiseCause::Implicit, loc });
            return;
        }
        out.push(Stmt::Assign {
            target: Target::Field { base: Box::new(base), slot: field.slot, name: attr.to_owned() },
            value,
        });
    }

    /// `obj.m(args)` on an object of `class`.
    pub fn object_method_call(
        &mut self,
        object: Expr,
        class: u32,
        attr: &str,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let Some((func, kind)) = self.scope.method_target(class, attr) else {
            if self.field_ref(class, attr).is_some() {
                let name = self.scope.classes[class as usize].name.clone();
                self.error(
                    Code::Unsupported,
                    span,
                    format!("`{name}.{attr}` is a field; calling a field's value is not supported"),
                    "field call",
                    "store a function in a variable and call that",
                );
                return self.poisoned(span);
            }
            return self.unknown_attribute(class, attr, span);
        };
        match kind {
            MethodKind::Instance => {
                let definer = self.scope.find_method(class, attr).map(|(c, _)| c).unwrap_or(class);
                let receiver = self.recast(object, definer);
                self.user_call_with(func, Some(receiver), args, keywords, span)
            }
            MethodKind::Static | MethodKind::Class => {
                // Called through an instance: the instance is evaluated and dropped.
                let call = self.user_call_with(func, None, args, keywords, span);
                let (ty, loc) = (call.ty.clone(), call.loc);
                Expr::new(ExprKind::Block { stmts: vec![Stmt::Expr(object)], value: Box::new(call) }, ty, loc)
            }
            MethodKind::Property | MethodKind::Setter => {
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("property `{attr}` is not callable"),
                    "property",
                    format!("read it without parentheses: `.{attr}`"),
                );
                self.poisoned(span)
            }
        }
    }

    /// `C.m(args)`: a static or class method, or `Base.__init__(self, ...)` / `Base.m(self, ...)`
    /// (the base's own method, without dispatch).
    pub fn class_method_call(
        &mut self,
        class: u32,
        attr: &str,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let Some((definer, method)) = self.scope.find_method(class, attr).map(|(c, m)| (c, m.clone())) else {
            return self.class_attribute(class, attr, span);
        };
        if method.kind == MethodKind::Class && definer != class {
            let (name, owner) =
                (self.scope.classes[class as usize].name.clone(), self.scope.classes[definer as usize].name.clone());
            self.error(
                Code::Unsupported,
                span,
                format!("class method `{attr}` is inherited by `{name}`; calling it through the subclass is not supported by pyrsc"),
                "inherited class method",
                format!("call `{owner}.{attr}(...)`, or define `{attr}` in `{name}`"),
            );
            return self.poisoned(span);
        }
        self.user_call_with(method.func, None, args, keywords, span)
    }

    /// `super().m(args)` inside a method: the base class's implementation, called directly.
    pub fn super_call(&mut self, attr: &str, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        let Some(class) = self.f.class else {
            self.error(
                Code::Unsupported,
                span,
                "super() is only available inside a method",
                "no class here",
                "call the function directly",
            );
            return self.poisoned(span);
        };
        let this = self.f.locals.first().map(|l| l.name.clone());
        let base = self.scope.classes[class as usize].base;
        let Some((definer, method)) = base.and_then(|b| self.scope.find_method(b, attr)).map(|(c, m)| (c, m.clone()))
        else {
            if attr == "__init__" && self.scope.is_exception(class) {
                let Some(this) = this else { return self.poisoned(span) };
                let Some(receiver) = self.variable(&this, span) else { return self.poisoned(span) };
                return self.exception_super_init(receiver, class, args, keywords, span);
            }
            if attr == "__init__" {
                // `object.__init__()`: nothing to do.
                return Expr::new(ExprKind::None, Type::None, self.loc(span));
            }
            let name = self.scope.classes[class as usize].name.clone();
            self.error(
                Code::UnknownAttribute,
                span,
                format!("no base class of `{name}` defines `{attr}`"),
                "not inherited",
                "call a method that a base class defines",
            );
            return self.poisoned(span);
        };
        match (method.kind, this) {
            (MethodKind::Instance | MethodKind::Property, Some(this)) if self.f.cls_param.is_none() => {
                let Some(receiver) = self.variable(&this, span) else { return self.poisoned(span) };
                let receiver = self.recast(receiver, definer);
                if method.kind == MethodKind::Property {
                    let ret = self.inference.rets[method.func.0 as usize].clone();
                    return Expr::new(ExprKind::Call { func: method.func, args: vec![receiver] }, ret, self.loc(span));
                }
                self.user_call_with(method.func, Some(receiver), args, keywords, span)
            }
            (MethodKind::Static | MethodKind::Class, _) => self.user_call_with(method.func, None, args, keywords, span),
            _ => {
                self.error(
                    Code::Unsupported,
                    span,
                    "super() needs the method's `self`",
                    "no instance",
                    "call super() from an instance method",
                );
                self.poisoned(span)
            }
        }
    }

    /// `isinstance(obj, C)` / `isinstance(obj, (C, D))` for objects.
    pub fn object_isinstance(&mut self, value: Expr, classes: &[u32], span: Span) -> Expr {
        let loc = self.loc(span);
        let Type::Object(static_class) = &value.ty else { return self.poisoned(span) };
        let static_class = static_class.id;
        if classes.iter().any(|c| self.scope.is_subclass(static_class, *c)) {
            return Expr::new(
                ExprKind::Block {
                    stmts: vec![Stmt::Expr(value)],
                    value: Box::new(Expr::new(ExprKind::Bool(true), Type::Bool, loc)),
                },
                Type::Bool,
                loc,
            );
        }
        let mut tags: Vec<u32> = classes
            .iter()
            .flat_map(|c| self.scope.subtree(*c))
            .filter(|c| self.scope.is_subclass(*c, static_class))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        Expr::new(ExprKind::IsInstance { value: Box::new(value), classes: tags }, Type::Bool, loc)
    }

    /// `left op right` through a special method of the left operand's class (`__eq__`,
    /// `__lt__`, `__add__`, ...): `None` when the class does not define it.
    pub fn special_call(
        &mut self,
        left: Expr,
        method: &str,
        right: Option<Expr>,
        span: Span,
        right_span: Span,
    ) -> Option<Expr> {
        self.protocol_call(left, method, right.map(|r| (r, right_span)).into_iter().collect(), span)
    }
}

/// Whether a field of this type can hold a placeholder until `__init__` assigns it (objects
/// cannot: their fields are always checked).
fn has_placeholder(ty: &Type) -> bool {
    !matches!(ty, Type::Object(_) | Type::Unknown | Type::Function(..) | Type::Exception)
}
