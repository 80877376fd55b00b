//! Calls: user functions (positional, keyword and default arguments), `print`, the builtins
//! table (functions, `math`/`sys` members, list methods), and the few builtins with their own
//! typing rules (`min`/`max` of several values, `bool`, `pow`, argument-less constructors).

use super::scope::ModuleName;
use super::Checker;
use crate::builtins::{self, Key, Module, Op, Receiver};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Span;
use crate::syntax::{self, BinOp, Keyword};
use crate::types::Type;

impl Checker<'_> {
    pub fn call(
        &mut self,
        func: &syntax::Expr,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
        expected: Option<&Type>,
    ) -> Expr {
        let outer = std::mem::replace(&mut self.call_span, span);
        let value = self.call_checked(func, args, keywords, span, expected);
        self.call_span = outer;
        value
    }

    fn call_checked(
        &mut self,
        func: &syntax::Expr,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
        expected: Option<&Type>,
    ) -> Expr {
        if let syntax::ExprKind::Name(name) = &func.kind {
            if let Some(class) = self.f.cls_param.as_ref().filter(|(n, _)| n == name).map(|(_, c)| *c) {
                return self.construct(class, args, keywords, span);
            }
            if self.f.by_name.contains_key(name)
                || self.f.nonlocals.contains(name)
                || (self.f.nested && self.enclosing.last().is_some_and(|p| p.by_name.contains_key(name)))
            {
                let Some(callee) = self.variable(name, func.span) else { return self.poisoned(span) };
                return match callee.ty {
                    Type::Function(_, _) => self.call_value(callee, args, keywords, span),
                    Type::Unknown => self.poisoned(span),
                    _ => {
                        self.error(
                            Code::TypeMismatch,
                            func.span,
                            format!("`{name}` is not callable (it is {})", callee.ty),
                            "not a function",
                            "call a function defined with `def`",
                        );
                        self.poisoned(span)
                    }
                };
            }
        }
        if let (Some(class), true) = (self.exception_class(func), keywords.is_empty()) {
            // `ValueError("...")` as a value: an exception to raise later, pass or store.
            return self.new_exception(class, args, span);
        }
        match &func.kind {
            syntax::ExprKind::Name(name) if name == super::fstring::PERCENT_INT => {
                self.table_call(Key::Op(Op::PercentInt), None, args, keywords, span)
            }
            syntax::ExprKind::Name(name) if name.starts_with('$') => self.dataclass_helper(name, args, span),
            syntax::ExprKind::Name(name) if !self.f.by_name.contains_key(name) => {
                match self.scope.names.get(name).cloned() {
                    Some(ModuleName::Function(id)) => self.user_call(id, args, keywords, span),
                    Some(ModuleName::Class(id)) => self.construct(id, args, keywords, span),
                    Some(ModuleName::Dataclasses(member)) => {
                        self.error(
                            Code::Unsupported,
                            func.span,
                            format!("`{member}` is only supported as a decorator or a dataclass field default"),
                            "here",
                            "use @dataclass on a class, and field(default_factory=...) in its body",
                        );
                        self.poisoned(span)
                    }
                    Some(ModuleName::Imported(module, member)) => match builtins::member(module, member) {
                        Some(key) if !builtins::is_value_member(key) => {
                            self.table_call(key, None, args, keywords, span)
                        }
                        _ => self.not_callable(name, func.span, span),
                    },
                    Some(ModuleName::Prange) => self.range_outside_for(name, span),
                    Some(ModuleName::Pmap) => self.pmap_call(args, keywords, span),
                    Some(ModuleName::Global(id))
                        if matches!(self.global_type(id), Type::Function(_, _) | Type::Unknown) =>
                    {
                        let callee = self.expr(func, None);
                        match callee.ty {
                            Type::Function(_, _) => self.call_value(callee, args, keywords, span),
                            _ => self.poisoned(span),
                        }
                    }
                    Some(ModuleName::Global(_)) | Some(ModuleName::Module(_)) | Some(ModuleName::Typing(_)) => {
                        self.not_callable(name, func.span, span)
                    }
                    None => self.named_builtin(name, func.span, args, keywords, span, expected),
                }
            }
            syntax::ExprKind::Attribute { value, attr } => self.method_call(value, attr, args, keywords, span),
            _ => {
                let callee = self.expr(func, None);
                if let Type::Function(_, _) = callee.ty {
                    return self.call_value(callee, args, keywords, span);
                }
                if !callee.ty.has_unknown() {
                    self.error(
                        Code::TypeMismatch,
                        func.span,
                        format!("{} is not callable", callee.ty),
                        "not a function",
                        "call a function defined with `def`",
                    );
                }
                self.poisoned(span)
            }
        }
    }

    fn not_callable(&mut self, name: &str, name_span: Span, span: Span) -> Expr {
        self.error(
            Code::TypeMismatch,
            name_span,
            format!("`{name}` is not callable"),
            "not a function",
            "call a function defined with `def` or a supported builtin",
        );
        self.poisoned(span)
    }

    fn range_outside_for(&mut self, name: &str, span: Span) -> Expr {
        self.error(
            Code::Unsupported,
            span,
            format!("`{name}(...)` is only supported as the iterable of a `for` loop"),
            "not in a for loop",
            format!("write `for i in {name}(...):`"),
        );
        self.poisoned(span)
    }

    fn reject_keywords(&mut self, name: &str, keywords: &[Keyword]) -> bool {
        if let Some(keyword) = keywords.first() {
            self.error(
                Code::Unsupported,
                keyword.span,
                format!("keyword argument `{}` of `{name}` is not supported", keyword.name),
                "not supported",
                "pass the arguments by position",
            );
            return true;
        }
        false
    }

    /// An argument that the callee consumes at once: a generator expression is materialised, a
    /// dict view (or a dict, meaning its keys) becomes a list snapshot.
    pub(super) fn consumed_arg(&mut self, arg: &syntax::Expr, expected: Option<&Type>) -> Expr {
        if let Some((dict, view)) = self.dict_view_call(arg) {
            let dict_value = self.expr(dict, None);
            if let Type::Dict(_, _) = dict_value.ty {
                return self.dict_snapshot(dict_value, view, arg.span);
            }
        }
        if let Some((is_map, args)) = self.is_map_filter(arg) {
            return self.map_filter(is_map, args, arg.span);
        }
        if let syntax::ExprKind::Call { func, .. } = &arg.kind {
            if let syntax::ExprKind::Name(n) = &func.kind {
                let builtin = !self.f.by_name.contains_key(n) && !self.scope.names.contains_key(n);
                if builtin && matches!(n.as_str(), "zip" | "enumerate" | "reversed") {
                    // list(zip(...)) is [item for item in zip(...)].
                    let item = syntax::Expr { kind: syntax::ExprKind::Name("$item".to_owned()), span: arg.span };
                    let generator = syntax::Comprehension { target: item.clone(), iter: arg.clone(), ifs: Vec::new() };
                    return self
                        .with_loop_span(self.call_span, |this| this.list_comprehension(&item, &[generator], arg.span));
                }
            }
        }
        if !self.is_generator_call(arg) && (self.holds_generator(arg) || self.makes_iterator(arg)) {
            // An iterator held as a value (`list(g)`, `list(iter(range(n)))`): pulled into a
            // list allocated for its length hint first, as CPython's `list()` does.
            let value = self.expr(arg, None);
            if let Type::Iterator(_) = value.ty {
                return self.builtin_call(Key::Op(Op::ListFromIterator), vec![value], self.call_span);
            }
            return value;
        }
        if self.is_generator_call(arg) || self.holds_generator(arg) {
            // list(gen(...)) is [item for item in gen(...)] (and so is list(g)).
            let item = syntax::Expr { kind: syntax::ExprKind::Name("$item".to_owned()), span: arg.span };
            let generator = syntax::Comprehension { target: item.clone(), iter: arg.clone(), ifs: Vec::new() };
            return self.with_loop_span(self.call_span, |this| this.list_comprehension(&item, &[generator], arg.span));
        }
        let value = match &arg.kind {
            syntax::ExprKind::GeneratorExp { elt, generators } => {
                let inner = self.genexp_span(arg.span);
                self.framed("<genexpr>", self.call_span, inner, |this| {
                    this.list_comprehension(elt, generators, arg.span)
                })
            }
            _ => self.expr(arg, expected),
        };
        match value.ty {
            Type::Dict(_, _) => self.dict_snapshot(value, super::dict::DictView::Keys, arg.span),
            Type::Tuple(_) => self.tuple_as_list(value.clone(), arg.span).unwrap_or(value),
            // Materialising a range can fail (MemoryError): CPython reports the consuming call.
            Type::Range => self.builtin_call(Key::Op(Op::RangeList), vec![value], self.call_span),
            Type::Set(_) => self.builtin_call(Key::Op(Op::SetItems), vec![value], arg.span),
            // Any other iterator value (what a function value returned, ...) is pulled.
            Type::Iterator(_) => self.builtin_call(Key::Op(Op::ListFromIterator), vec![value], self.call_span),
            _ => value,
        }
    }

    /// Whether `e` is a builtin call that makes an iterator value (`iter(...)`).
    fn makes_iterator(&mut self, e: &syntax::Expr) -> bool {
        let syntax::ExprKind::Call { func, .. } = &e.kind else { return false };
        let syntax::ExprKind::Name(name) = &func.kind else { return false };
        name == "iter" && !self.f.by_name.contains_key(name) && !self.scope.names.contains_key(name)
    }

    /// Whether `e` calls a generator function (by name, or as a method of an object).
    pub(super) fn is_generator_call(&mut self, e: &syntax::Expr) -> bool {
        let syntax::ExprKind::Call { func, .. } = &e.kind else { return false };
        match &func.kind {
            syntax::ExprKind::Name(name) if !self.f.by_name.contains_key(name) => {
                matches!(self.scope.names.get(name), Some(ModuleName::Function(id)) if self.scope.signatures[id.0 as usize].generator)
            }
            syntax::ExprKind::Attribute { .. } => {
                // A method: its receiver's class decides.
                matches!(self.probe_type(e), Type::Iterator(_))
            }
            _ => false,
        }
    }

    fn named_builtin(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
        expected: Option<&Type>,
    ) -> Expr {
        let loc = self.loc(span);
        match (name, args.len()) {
            ("print", _) => return self.print(args, keywords, span),
            ("iter", 1) if keywords.is_empty() => {
                return match self.iterator_of(&args[0]) {
                    Some(iterator) => iterator,
                    None => self.poisoned(span),
                };
            }
            ("next", 1 | 2) if keywords.is_empty() => {
                // A fresh generator: its first value.
                if let syntax::ExprKind::GeneratorExp { elt, generators } = &args[0].kind {
                    let inner = self.genexp_span(args[0].span);
                    return self
                        .framed("<genexpr>", span, inner, |this| this.first_of(elt, generators, args.get(1), span));
                }
                if self.is_generator_call(&args[0]) {
                    let item = syntax::Expr { kind: syntax::ExprKind::Name("$item".to_owned()), span: args[0].span };
                    let generator =
                        syntax::Comprehension { target: item.clone(), iter: args[0].clone(), ifs: Vec::new() };
                    return self.with_loop_span(span, |this| this.first_of(&item, &[generator], args.get(1), span));
                }
                let iterator = self.expr(&args[0], None);
                if let Type::Iterator(_) = iterator.ty {
                    return self.generator_next(iterator, args.get(1), span);
                }
                if let Type::Object(_) = iterator.ty {
                    let default = args.get(1).map(|d| self.expr(d, None));
                    return self.object_next(iterator, default, span);
                }
                if !iterator.ty.has_unknown() {
                    self.error(
                        Code::Unsupported,
                        span,
                        format!("next() on {} is not supported by pyrsc", iterator.ty),
                        "not an iterator object",
                        "call next() on an object whose class defines `__next__`, or loop with `for`",
                    );
                }
                return self.poisoned(span);
            }
            ("list", 0) if keywords.is_empty() => {
                return match expected {
                    Some(ty @ Type::List(elem)) if !elem.has_unknown() => {
                        Expr::new(ExprKind::List(Vec::new()), ty.clone(), loc)
                    }
                    _ => {
                        self.pending_empty.push((span, "list"));
                        Expr::new(ExprKind::List(Vec::new()), Type::list(Type::Unknown), loc)
                    }
                };
            }
            ("set", _) if keywords.is_empty() => return self.set_call(args, span, expected),
            ("dict", 0) if keywords.is_empty() => {
                let loc = self.loc(span);
                return match expected {
                    Some(ty @ Type::Dict(k, v)) if !k.has_unknown() && !v.has_unknown() => {
                        Expr::new(ExprKind::Dict(Vec::new()), ty.clone(), loc)
                    }
                    _ => {
                        self.pending_empty.push((span, "dict"));
                        Expr::new(ExprKind::Dict(Vec::new()), Type::dict(Type::Unknown, Type::Unknown), loc)
                    }
                };
            }
            ("dict", 1) if keywords.is_empty() => {
                if let syntax::ExprKind::Name(_) = &args[0].kind {
                    let value = self.expr(&args[0], None);
                    if let Type::Dict(_, _) = value.ty {
                        return self.builtin_call(Key::Method(Receiver::Dict, "copy"), vec![value], span);
                    }
                }
                let pairs = self.consumed_arg(&args[0], None);
                if let Type::Dict(_, _) = pairs.ty {
                    return self.builtin_call(Key::Method(Receiver::Dict, "copy"), vec![pairs], span);
                }
                return self.builtin_call(Key::Op(Op::DictFromPairs), vec![pairs], span);
            }
            ("range", _) if keywords.is_empty() => {
                let values = args.iter().map(|a| self.expr(a, None)).collect();
                return self.builtin_call(Key::Function("range"), values, span);
            }
            ("bool", 0) if keywords.is_empty() => return Expr::new(ExprKind::Bool(false), Type::Bool, loc),
            ("int", 0) if keywords.is_empty() => return Expr::new(ExprKind::Int(0), Type::Int, loc),
            ("float", 0) if keywords.is_empty() => return Expr::new(ExprKind::Float(0.0), Type::Float, loc),
            ("str", 0) if keywords.is_empty() => return Expr::new(ExprKind::Str(String::new()), Type::Str, loc),
            ("bool", 1) if keywords.is_empty() => return self.condition(&args[0]),
            ("isinstance", 2) if keywords.is_empty() => return self.isinstance(&args[0], &args[1], span),
            ("open", 1 | 2) if !keywords.is_empty() => return self.open_call(args, keywords, span),
            ("len", 1) if keywords.is_empty() => {
                let value = self.expr(&args[0], None);
                if let Type::Tuple(_) = value.ty {
                    return self.tuple_len(value, span);
                }
                if let Type::Array(..) = value.ty {
                    return self.array_len(value, span);
                }
                if let Type::Object(_) = value.ty {
                    return self.object_len(value, span);
                }
                return self.builtin_call(Key::Function("len"), vec![value], span);
            }
            ("format", 1 | 2) if keywords.is_empty() => {
                let spec = match args.get(1).map(|a| &a.kind) {
                    None => None,
                    Some(syntax::ExprKind::Str(text)) => Some((text.clone(), args[1].span)),
                    Some(_) => {
                        self.error(
                            Code::Unsupported,
                            args[1].span,
                            "the spec of format() must be a string literal",
                            "computed spec",
                            "write the spec literally: format(x, \".2f\")",
                        );
                        return self.poisoned(span);
                    }
                };
                let part = syntax::FStringPart::Value { value: args[0].clone(), conversion: None, spec };
                return self.fstring(&[part], span);
            }
            ("pow", 2) if keywords.is_empty() => {
                let base = self.expr(&args[0], None);
                let exponent = self.expr(&args[1], None);
                return self.binary(BinOp::Pow, base, exponent, span);
            }
            ("any" | "all", 1) if keywords.is_empty() => {
                let is_any = name == "any";
                return match &args[0].kind {
                    syntax::ExprKind::GeneratorExp { elt, generators } => {
                        let inner = self.genexp_span(args[0].span);
                        self.framed("<genexpr>", span, inner, |this| this.any_all(is_any, elt, generators, span))
                    }
                    _ => {
                        // any(xs) is any(x for x in xs) (a list comprehension is built first).
                        let hidden =
                            syntax::Expr { kind: syntax::ExprKind::Name("$item".to_owned()), span: args[0].span };
                        let generator =
                            syntax::Comprehension { target: hidden.clone(), iter: args[0].clone(), ifs: Vec::new() };
                        self.with_loop_span(span, |this| this.any_all(is_any, &hidden, &[generator], span))
                    }
                };
            }
            ("sorted", 1) if keywords.iter().any(|k| k.name == "key") => {
                return self.keyed("sorted", &args[0], keywords, span)
            }
            ("min" | "max", 1) if keywords.iter().any(|k| k.name == "key") => {
                return self.keyed(if name == "min" { "min" } else { "max" }, &args[0], keywords, span)
            }
            ("map" | "filter" | "zip" | "enumerate" | "reversed", _) => {
                self.error(
                    Code::Unsupported,
                    span,
                    format!("the result of {name}() is supported only in a `for` loop or as the argument of list(), sorted(), sum(), min(), max(), any(), all() or str.join()"),
                    "not consumed here",
                    format!("wrap it: `list({name}(...))`, or use a list comprehension"),
                );
                return self.poisoned(span);
            }
            ("min" | "max", n) if n >= 2 => {
                if self.reject_keywords(name, keywords) {
                    return self.poisoned(span);
                }
                let values: Vec<Expr> = args.iter().map(|a| self.expr(a, None)).collect();
                let mut iter = values.into_iter();
                let mut acc = iter.next().unwrap_or_else(|| self.poisoned(span));
                for value in iter {
                    acc = self.builtin_call(
                        Key::Function(if name == "min" { "min" } else { "max" }),
                        vec![acc, value],
                        span,
                    );
                }
                return acc;
            }
            _ => {}
        }
        if let Some(key) = builtins::function(name) {
            return self.table_call(key, None, args, keywords, span);
        }
        let (message, help) = if super::names::is_python_builtin(name) {
            (
                format!("the builtin `{name}` is not supported by pyrsc yet"),
                "write the loop or computation out explicitly".to_owned(),
            )
        } else {
            let help = match self.similar_name(name) {
                Some(similar) => format!("did you mean `{similar}`?"),
                None => "define the function with `def` before calling it, or import it".to_owned(),
            };
            (format!("name `{name}` is not defined"), help)
        };
        let code = if super::names::is_python_builtin(name) { Code::Unsupported } else { Code::UndefinedName };
        self.error(code, name_span, message, "here", help);
        self.poisoned(span)
    }

    /// `module.name(...)`: a function of a module the table provides.
    fn member_call(
        &mut self,
        module: Module,
        attr: &str,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        match builtins::member(module, attr).filter(|key| !builtins::is_value_member(*key)) {
            Some(key) => self.table_call(key, None, args, keywords, span),
            None => {
                self.error(
                    Code::UnknownAttribute,
                    span,
                    format!("`{}.{attr}` is not supported by pyrsc", module.name()),
                    "not available",
                    builtins::members_help(module),
                );
                self.poisoned(span)
            }
        }
    }

    fn method_call(
        &mut self,
        value: &syntax::Expr,
        attr: &str,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        // `os.path.exists(p)`: a function of the `os.path` submodule.
        if let syntax::ExprKind::Attribute { value: module, attr: sub } = &value.kind {
            if let syntax::ExprKind::Name(name) = &module.kind {
                if sub == "path"
                    && !self.f.by_name.contains_key(name)
                    && self.scope.names.get(name) == Some(&ModuleName::Module("os"))
                {
                    return self.member_call(Module::OsPath, attr, args, keywords, span);
                }
            }
        }
        if let syntax::ExprKind::Name(name) = &value.kind {
            if !self.f.by_name.contains_key(name) {
                if let Some(ModuleName::Module(module)) = self.scope.names.get(name).cloned() {
                    if module == "numpy" {
                        return self.numpy_call(attr, args, keywords, span);
                    }
                    let Some(module) = Module::from_name(module) else {
                        self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{module}.{attr}` is not supported by pyrsc"),
                            "not available",
                            format!("pyrsc uses `{module}` only in annotations and decorators"),
                        );
                        return self.poisoned(span);
                    };
                    return self.member_call(module, attr, args, keywords, span);
                }
            }
        }
        if let syntax::ExprKind::Name(name) = &value.kind {
            if let Some(class) = self.class_named(name) {
                return self.class_method_call(class, attr, args, keywords, span);
            }
        }
        if let syntax::ExprKind::Call { func: callee, args: super_args, .. } = &value.kind {
            if matches!(&callee.kind, syntax::ExprKind::Name(n) if n == "super" && !self.f.by_name.contains_key(n))
                && super_args.len() <= 2
            {
                return self.super_call(attr, args, keywords, span);
            }
        }
        self.type_from_use(value, attr, args);
        let object = self.expr(value, None);
        let receiver = match &object.ty {
            Type::Object(class) => {
                let class = class.id;
                return self.object_method_call(object, class, attr, args, keywords, span);
            }
            Type::List(_) if attr == "sort" && keywords.iter().any(|k| k.name == "key") => {
                return self.sort_with_keywords(object, args, keywords, span)
            }
            Type::Dict(_, _) if matches!(attr, "keys" | "values" | "items") => return self.view_not_consumed(span),
            Type::Unknown => return self.poisoned(span),
            other => match Receiver::of(other) {
                Some(receiver) => receiver,
                None => {
                    self.error(
                        Code::UnknownAttribute,
                        span,
                        format!("{other} has no method `{attr}` in pyrsc yet"),
                        "unknown method",
                        super::narrowing::none_check_help(other)
                            .unwrap_or_else(|| "call a function on it instead, e.g. len(x) or str(x)".to_owned()),
                    );
                    return self.poisoned(span);
                }
            },
        };
        let Some(key) = builtins::method(receiver, attr) else {
            self.error(
                Code::UnknownAttribute,
                span,
                format!("{} has no method `{attr}` in pyrsc yet", object.ty),
                "unknown method",
                format!("supported {} methods: {}", receiver.name(), builtins::methods(receiver).join(", ")),
            );
            return self.poisoned(span);
        };
        if let (Key::Method(Receiver::Str, "startswith" | "endswith"), [prefixes], []) = (key, args, keywords) {
            if let syntax::ExprKind::Tuple(items) = &prefixes.kind {
                return self.affix_any(object, key, items, span);
            }
        }
        self.table_call(key, Some(object), args, keywords, span)
    }
}
