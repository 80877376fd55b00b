//! Calls: user functions (positional, keyword and default arguments), `print`, the builtins
//! table (functions, `math`/`sys` members, list methods), and the few builtins with their own
//! typing rules (`min`/`max` of several values, `bool`, `pow`, argument-less constructors).

use super::scope::ModuleName;
use super::Checker;
use crate::builtins::{self, Accept};
use crate::diagnostic::Code;
use crate::ir::{Conversion, Expr, ExprKind};
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
                    Some(ModuleName::Imported(qualified)) => self.simple_builtin(&qualified, args, keywords, span),
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
                        self.error(
                            Code::TypeMismatch,
                            func.span,
                            format!("`{name}` is not callable"),
                            "not a function",
                            "call a function defined with `def` or a supported builtin",
                        );
                        self.poisoned(span)
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

    /// A builtin looked up purely by the table.
    fn simple_builtin(&mut self, qualified: &str, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        if self.reject_keywords(qualified, keywords) {
            return self.poisoned(span);
        }
        let values = args
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let expected = builtins::expected_arg(qualified, args.len(), i);
                if qualified == "len" || builtins::takes_generator_value(qualified, args.len(), i) {
                    self.expr(a, expected.as_ref())
                } else {
                    self.consumed_arg(a, expected.as_ref())
                }
            })
            .collect();
        self.builtin_call(qualified, values, span)
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
                return self.builtin_call("list from iterator", vec![value], self.call_span);
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
            Type::Range => self.builtin_call("range list", vec![value], self.call_span),
            Type::Set(_) => self.builtin_call("set items", vec![value], arg.span),
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

    /// Resolves `qualified` against the builtins table and applies the argument conversions.
    pub fn builtin_call(&mut self, qualified: &str, args: Vec<Expr>, span: Span) -> Expr {
        if args.iter().any(|a| a.ty.has_unknown()) {
            return self.poisoned(span);
        }
        // Sorting objects (and min/max of them) compares with their class's `__lt__`.
        if matches!(
            qualified,
            "sorted"
                | "sorted(reverse=True)"
                | "list.sort"
                | "list.sort(reverse=True)"
                | "min"
                | "max"
                | "min default"
                | "max default"
        ) {
            if let Some(Type::List(elem) | Type::VarTuple(elem)) = args.first().map(|a| &a.ty) {
                if let Type::Object(class) = elem.as_ref() {
                    if self.scope.method_target(class.id, "__lt__").is_none() {
                        let name = qualified
                            .split(' ')
                            .next()
                            .unwrap_or(qualified)
                            .split('(')
                            .next()
                            .unwrap_or(qualified)
                            .to_owned();
                        self.error(
                            Code::TypeMismatch,
                            span,
                            format!("'<' not supported between instances of '{}' and '{}'", class.name, class.name),
                            format!("{name} compares with <"),
                            format!(
                                "define `__lt__` in `{}` (or `@dataclass(order=True)`), or pass `key=`",
                                class.name
                            ),
                        );
                        return self.poisoned(span);
                    }
                }
            }
        }
        let types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        let Some(resolved) = builtins::resolve(qualified, &types) else {
            let arities = builtins::arities(qualified);
            let shown =
                qualified.strip_prefix("list.").map(|m| format!("list.{m}")).unwrap_or_else(|| qualified.to_owned());
            if !arities.contains(&args.len()) {
                let counts = arities.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(" or ");
                self.error(
                    Code::WrongArgumentCount,
                    span,
                    format!("`{shown}` takes {counts} argument(s), but {} were given", args.len()),
                    "wrong number of arguments",
                    format!("call it with {counts} argument(s)"),
                );
            } else {
                let listed = types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
                self.error(
                    Code::TypeMismatch,
                    span,
                    format!("`{shown}` does not accept arguments of type ({listed})"),
                    "unsupported argument types",
                    types.iter().find_map(super::narrowing::none_check_help).unwrap_or_else(|| {
                        "convert the arguments (int(), float(), str()) to the types it takes".to_owned()
                    }),
                );
            }
            return self.poisoned(span);
        };
        let args = args
            .into_iter()
            .zip(resolved.conversions)
            .map(|(arg, accept)| match accept {
                Accept::Exact => arg,
                Accept::IntToFloat => self.convert(arg, Conversion::IntToFloat, Type::Float),
                Accept::BoolToFloat => self.convert(arg, Conversion::BoolToFloat, Type::Float),
                Accept::NumToFloat => self.convert(arg, Conversion::NumToFloat, Type::Float),
                Accept::BoolToInt => self.convert(arg, Conversion::BoolToInt, Type::Int),
                Accept::IntToNum | Accept::FloatToNum => self.to_num(arg),
            })
            .collect();
        Expr::new(ExprKind::Builtin { builtin: resolved.id, args }, resolved.ret, self.loc(span))
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
                        return self.builtin_call("dict.copy", vec![value], span);
                    }
                }
                let pairs = self.consumed_arg(&args[0], None);
                if let Type::Dict(_, _) = pairs.ty {
                    return self.builtin_call("dict.copy", vec![pairs], span);
                }
                return self.builtin_call("dict from pairs", vec![pairs], span);
            }
            ("range", _) if keywords.is_empty() => {
                let values = args.iter().map(|a| self.expr(a, None)).collect();
                return self.builtin_call("range", values, span);
            }
            ("bool", 0) => return Expr::new(ExprKind::Bool(false), Type::Bool, loc),
            ("int", 0) => return Expr::new(ExprKind::Int(0), Type::Int, loc),
            ("float", 0) => return Expr::new(ExprKind::Float(0.0), Type::Float, loc),
            ("str", 0) => return Expr::new(ExprKind::Str(String::new()), Type::Str, loc),
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
                return self.builtin_call("len", vec![value], span);
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
            ("sorted", 1) | ("min" | "max", 1) if !keywords.is_empty() => {
                return self.keyed(name, &args[0], keywords, span)
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
                    acc = self.builtin_call(name, vec![acc, value], span);
                }
                return acc;
            }
            _ => {}
        }
        if builtins::exists(name) {
            return self.simple_builtin(name, args, keywords, span);
        }
        let (message, help) = if super::expr::is_python_builtin(name) {
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
        let code = if super::expr::is_python_builtin(name) { Code::Unsupported } else { Code::UndefinedName };
        self.error(code, name_span, message, "here", help);
        self.poisoned(span)
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
                    let qualified = format!("os.path.{attr}");
                    if !builtins::exists(&qualified) {
                        self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{qualified}` is not supported by pyrsc"),
                            "not available",
                            "pyrsc supports os.path.exists, os.path.join, os.listdir and os.remove",
                        );
                        return self.poisoned(span);
                    }
                    return self.simple_builtin(&qualified, args, keywords, span);
                }
            }
        }
        if let syntax::ExprKind::Name(name) = &value.kind {
            if !self.f.by_name.contains_key(name) {
                if let Some(ModuleName::Module(module)) = self.scope.names.get(name).cloned() {
                    if module == "numpy" {
                        return self.numpy_call(attr, args, keywords, span);
                    }
                    let qualified = format!("{module}.{attr}");
                    if !builtins::exists(&qualified) || builtins::VALUE_CALLS.contains(&qualified.as_str()) {
                        self.error(
                            Code::UnknownAttribute,
                            span,
                            format!("`{qualified}` is not supported by pyrsc"),
                            "not available",
                            "pyrsc supports math.sqrt, sin, cos, tan, atan2, exp, log, log10, fabs, floor, ceil, hypot, isnan, isinf, and sys.exit",
                        );
                        return self.poisoned(span);
                    }
                    return self.simple_builtin(&qualified, args, keywords, span);
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
        let qualified = match &object.ty {
            Type::Object(class) => {
                let class = class.id;
                return self.object_method_call(object, class, attr, args, keywords, span);
            }
            Type::List(_) if attr == "sort" && !keywords.is_empty() => {
                return self.sort_with_keywords(object, args, keywords, span)
            }
            Type::List(_) => format!("list.{attr}"),
            Type::VarTuple(_) => format!("tuple.{attr}"),
            Type::Str => format!("str.{attr}"),
            Type::Dict(_, _) if matches!(attr, "keys" | "values" | "items") => return self.view_not_consumed(span),
            Type::Dict(_, _) => format!("dict.{attr}"),
            Type::File => format!("file.{attr}"),
            Type::Set(_) => format!("set.{attr}"),
            Type::Iterator(_) => format!("generator.{attr}"),
            Type::Unknown => return self.poisoned(span),
            other => {
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
        };
        if !builtins::exists(&qualified) {
            let kind = match object.ty {
                Type::Str => "str",
                Type::Dict(_, _) => "dict",
                Type::Set(_) => "set",
                Type::File => "file",
                Type::Iterator(_) => "generator",
                _ => "list",
            };
            self.error(
                Code::UnknownAttribute,
                span,
                format!("{} has no method `{attr}` in pyrsc yet", object.ty),
                "unknown method",
                format!("supported {kind} methods: {}", builtins::methods(kind).join(", ")),
            );
            return self.poisoned(span);
        }
        if self.reject_keywords(&qualified, keywords) {
            return self.poisoned(span);
        }
        if let (Type::Str, "str.startswith" | "str.endswith", [prefixes]) = (&object.ty, qualified.as_str(), args) {
            if let syntax::ExprKind::Tuple(items) = &prefixes.kind {
                return self.affix_any(object, &qualified, items, span);
            }
        }
        let mut values = vec![object.clone()];
        for arg in args {
            let expected = match (&object.ty, qualified.as_str()) {
                (Type::List(_), "list.extend") | (Type::Dict(_, _), "dict.update") => Some(object.ty.clone()),
                (Type::Dict(key, _), "dict.get" | "dict.setdefault" | "dict.pop") if values.len() == 1 => {
                    Some(key.as_ref().clone())
                }
                (Type::Dict(_, value), "dict.get" | "dict.setdefault" | "dict.pop") if values.len() == 2 => {
                    Some(value.as_ref().clone())
                }
                _ => builtins::expected_arg(&qualified, args.len() + 1, values.len()),
            };
            let value = if qualified == "str.join" {
                self.consumed_arg(arg, expected.as_ref())
            } else {
                self.expr(arg, expected.as_ref())
            };
            // Elements keep their exact type: an int never silently becomes a float element.
            let value = match (&object.ty, qualified.as_str()) {
                (Type::List(elem), "list.append" | "list.remove" | "list.index" | "list.count")
                    if values.len() == 1 =>
                {
                    self.fit_element(value, elem, arg.span, "list")
                }
                (Type::VarTuple(elem), "tuple.index" | "tuple.count") if values.len() == 1 => {
                    self.fit_element(value, elem, arg.span, "tuple")
                }
                (Type::List(elem), "list.insert") if values.len() == 2 => {
                    self.fit_element(value, elem, arg.span, "list")
                }
                (Type::Dict(_, value_ty), "dict.get" | "dict.setdefault" | "dict.pop") if values.len() == 2 => {
                    self.fit_element(value, value_ty, arg.span, "dict value")
                }
                (Type::Set(elem), "set.add") => self.fit_element(value, elem, arg.span, "set"),
                (Type::Set(_), _) if matches!(value.ty, Type::List(_) | Type::Tuple(_) | Type::Range | Type::Str) => {
                    // set methods take any iterable: make it a set first.
                    let list = match value.ty {
                        Type::Tuple(_) => self.tuple_as_list(value.clone(), arg.span).unwrap_or(value),
                        Type::Range => self.builtin_call("range list", vec![value], arg.span),
                        Type::Str => self.builtin_call("str iteration", vec![value], arg.span),
                        _ => value,
                    };
                    self.set_from(list, arg.span)
                }
                (Type::Dict(key_ty, _), "dict.get" | "dict.setdefault" | "dict.pop") if values.len() == 1 => {
                    if value.ty == Type::Bool && **key_ty == Type::Int {
                        self.to_int(value)
                    } else {
                        value
                    }
                }
                _ => value,
            };
            values.push(value);
        }
        self.builtin_call(&qualified, values, span)
    }
}
