//! Calls resolved by the builtins table: arguments (positional and keyword) bound to a row's
//! parameters, each checked with the type the row expects there, elements fitted to the
//! receiver's element type, iterables made lists, defaults filled in; then the row that accepts
//! the types, with its conversions. Every rule here is read off the table's columns: nothing
//! is listed by name.

use super::Checker;
use crate::builtins::{self, Accept, Bindings, DefaultArg, Key, Mismatch, Pat, Receiver, Source};
use crate::diagnostic::Code;
use crate::ir::{Conversion, Expr, ExprKind, Stmt};
use crate::span::Span;
use crate::syntax::{self, Keyword};
use crate::types::Type;

/// How one parameter of the rows a call may bind to wants its argument.
struct Slot {
    pat: Pat,
    iterable: bool,
    /// The type every candidate row expects there, given the receiver.
    expected: Option<Type>,
}

impl Checker<'_> {
    /// `key(args..., name=value...)`, with `receiver` (already checked) as the first argument of
    /// a method.
    pub fn table_call(
        &mut self,
        key: Key,
        receiver: Option<Expr>,
        args: &[syntax::Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Expr {
        let offset = usize::from(receiver.is_some());
        let names: Vec<&str> = keywords.iter().map(|k| k.name.as_str()).collect();
        let candidates: Vec<(&builtins::Builtin, builtins::Binding)> = builtins::rows(key)
            .filter_map(|(_, row)| builtins::bind_arguments(row, args.len() + offset, &names).ok().map(|b| (row, b)))
            .collect();
        if candidates.is_empty() {
            // Report why no row binds, from the first row's point of view.
            let types = vec![Type::Unknown; args.len() + offset];
            let keyword_types: Vec<(&str, Type)> = names.iter().map(|n| (*n, Type::Unknown)).collect();
            if let Err(mismatch) = builtins::resolve(key, &types, &keyword_types) {
                self.binding_error(key, mismatch, offset, keywords, span);
            }
            return self.poisoned(span);
        }
        // The receiver binds the rows' type variables: `xs.append(x)` expects the element type.
        let receiver_bindings: Vec<Bindings> = candidates
            .iter()
            .map(|(row, _)| {
                let mut bindings = Bindings::default();
                if let (Some(receiver), Some(param)) = (&receiver, row.params.first()) {
                    param.pat.accepts(&receiver.ty, &mut bindings);
                }
                bindings
            })
            .collect();
        let slot_for = |source: Source| -> Slot {
            let mut slots = candidates.iter().zip(&receiver_bindings).filter_map(|((row, binding), bindings)| {
                let index = binding.sources.iter().position(|s| *s == source)?;
                let param = &row.params[index];
                Some(Slot { pat: param.pat, iterable: param.iterable, expected: param.pat.expected(bindings) })
            });
            let first = slots.next().unwrap_or(Slot { pat: Pat::Any, iterable: false, expected: None });
            slots.fold(first, |mut acc, other| {
                if acc.expected != other.expected {
                    acc.expected = None;
                }
                acc.iterable |= other.iterable;
                acc
            })
        };
        let receiver_kind = receiver.as_ref().and_then(|r| Receiver::of(&r.ty));
        let mut positional: Vec<Expr> = receiver.into_iter().collect();
        for (i, arg) in args.iter().enumerate() {
            let slot = slot_for(Source::Positional(i + offset));
            positional.push(self.table_argument(arg, &slot, receiver_kind));
        }
        let mut named = Vec::new();
        for (k, keyword) in keywords.iter().enumerate() {
            let slot = slot_for(Source::Keyword(k));
            named.push((keyword.name.as_str(), self.table_argument(&keyword.value, &slot, receiver_kind)));
        }
        self.builtin_call_with(key, positional, named, span)
    }

    /// Checks one argument for a table call.
    fn table_argument(&mut self, arg: &syntax::Expr, slot: &Slot, receiver: Option<Receiver>) -> Expr {
        let value = if slot.iterable {
            self.consumed_arg(arg, slot.expected.as_ref())
        } else {
            self.expr(arg, slot.expected.as_ref())
        };
        match (&slot.expected, slot.pat) {
            // An element of the receiver keeps its exact type: an int never silently becomes a
            // float element.
            (Some(elem), Pat::Var | Pat::Var2) if receiver.is_some() => match self.fit(value.clone(), elem) {
                super::ops::Fit::Ok(value) => value,
                _ => {
                    let noun = receiver.map_or("container", |r| r.element_noun(slot.pat == Pat::Var2));
                    self.fit_element(value, elem, arg.span, noun)
                }
            },
            // set methods take any iterable: make it a set first.
            (_, Pat::SetOfVar) if matches!(value.ty, Type::List(_) | Type::Tuple(_) | Type::Range | Type::Str) => {
                self.set_from(value, arg.span)
            }
            _ => value,
        }
    }

    /// Resolves `key` against the table for already checked positional arguments.
    pub fn builtin_call(&mut self, key: Key, args: Vec<Expr>, span: Span) -> Expr {
        self.builtin_call_with(key, args, Vec::new(), span)
    }

    /// Resolves `key` for checked positional and keyword arguments (in source order), applies
    /// the conversions and fills in defaults. Arguments are evaluated in source order even when
    /// keywords bind them to earlier parameters.
    pub fn builtin_call_with(
        &mut self,
        key: Key,
        positional: Vec<Expr>,
        keywords: Vec<(&str, Expr)>,
        span: Span,
    ) -> Expr {
        if positional.iter().chain(keywords.iter().map(|(_, e)| e)).any(|a| a.ty.has_unknown()) {
            return self.poisoned(span);
        }
        let types: Vec<Type> = positional.iter().map(|a| a.ty.clone()).collect();
        let keyword_types: Vec<(&str, Type)> = keywords.iter().map(|(n, e)| (*n, e.ty.clone())).collect();
        let resolved = match builtins::resolve(key, &types, &keyword_types) {
            Ok(resolved) => resolved,
            Err(mismatch) => {
                self.binding_error_types(key, mismatch, &types, &keyword_types, span);
                return self.poisoned(span);
            }
        };
        let row = builtins::builtin(resolved.id);
        // By parameter: the argument's value (in the order written: positional, then keywords).
        let positional_count = positional.len();
        let mut written: Vec<Option<Expr>> =
            positional.into_iter().chain(keywords.into_iter().map(|(_, e)| e)).map(Some).collect();
        let mut by_param: Vec<Option<Expr>> = Vec::new();
        let mut order = vec![0; written.len()];
        for (param, source) in resolved.binding.sources.iter().enumerate() {
            let at = match *source {
                Source::Positional(i) => Some(i),
                Source::Keyword(k) => Some(positional_count + k),
                Source::Default(_) => None,
            };
            if let Some(at) = at {
                order[at] = param;
            }
            by_param.push(at.and_then(|at| written[at].take()));
        }
        let stmts = self.in_written_order(&mut by_param, &order);
        let loc = self.loc(span);
        let args: Vec<Expr> = by_param
            .into_iter()
            .zip(&resolved.binding.sources)
            .zip(resolved.conversions)
            .map(|((value, source), accept)| {
                let arg = match (value, *source) {
                    (Some(value), _) => value,
                    (None, Source::Default(default)) => default_expr(default, loc),
                    (None, _) => self.poisoned(span),
                };
                self.accept(arg, accept)
            })
            .collect();
        if let Some(poisoned) = self.unorderable_objects(key, row, &args, span) {
            return poisoned;
        }
        if self.reject_builtin_values(row, &args, span) {
            return self.poisoned(span);
        }
        let call = Expr::new(ExprKind::Builtin { builtin: resolved.id, args }, resolved.ret, loc);
        if stmts.is_empty() {
            call
        } else {
            let ty = call.ty.clone();
            Expr::new(ExprKind::Block { stmts, value: Box::new(call) }, ty, loc)
        }
    }

    /// Call arguments are evaluated in the order written. `values` holds them by parameter,
    /// `written` the parameter each written argument fills. When a keyword fills an earlier
    /// parameter than a value written before it, the values are held in temporaries, in the
    /// order written (the returned statements), and the call reads those.
    pub(super) fn in_written_order(&mut self, values: &mut [Option<Expr>], written: &[usize]) -> Vec<Stmt> {
        if written.windows(2).all(|w| w[0] < w[1]) {
            return Vec::new();
        }
        let mut stmts = Vec::new();
        for &param in written {
            if let Some(value) = values[param].take() {
                let (held, read) = self.evaluated_once(value);
                stmts.extend(held);
                values[param] = Some(read);
            }
        }
        stmts
    }

    /// Applies a row's conversion to one argument.
    fn accept(&self, arg: Expr, accept: Accept) -> Expr {
        match accept {
            Accept::Exact => arg,
            Accept::IntToFloat => self.convert(arg, Conversion::IntToFloat, Type::Float),
            Accept::BoolToFloat => self.convert(arg, Conversion::BoolToFloat, Type::Float),
            Accept::NumToFloat => self.convert(arg, Conversion::NumToFloat, Type::Float),
            Accept::BoolToInt => self.convert(arg, Conversion::BoolToInt, Type::Int),
            Accept::IntToNum | Accept::FloatToNum => self.to_num(arg),
        }
    }

    /// Sorting objects (and `min`/`max` of them) compares with their class's `__lt__`: a row
    /// that orders a list of objects needs one.
    fn unorderable_objects(&mut self, key: Key, row: &builtins::Builtin, args: &[Expr], span: Span) -> Option<Expr> {
        let index = row.params.iter().position(|p| p.pat == Pat::ListOfOrderable)?;
        let Some(Type::List(elem) | Type::VarTuple(elem)) = args.get(index).map(|a| &a.ty) else { return None };
        let Type::Object(class) = elem.as_ref() else { return None };
        if self.scope.method_target(class.id, "__lt__").is_some() {
            return None;
        }
        let name = match key {
            Key::Method(_, name) | Key::Function(name) | Key::Member(_, name) => name,
            Key::Op(_) => "sorting",
        };
        self.error(
            Code::TypeMismatch,
            span,
            format!("'<' not supported between instances of '{}' and '{}'", class.name, class.name),
            format!("{name} compares with <"),
            format!("define `__lt__` in `{}` (or `@dataclass(order=True)`), or pass `key=`", class.name),
        );
        Some(self.poisoned(span))
    }
}

/// A default argument as an IR literal.
fn default_expr(value: DefaultArg, loc: crate::span::Loc) -> Expr {
    match value {
        DefaultArg::Int(n) => Expr::new(ExprKind::Int(n), Type::Int, loc),
        DefaultArg::Bool(b) => Expr::new(ExprKind::Bool(b), Type::Bool, loc),
        DefaultArg::Str(s) => Expr::new(ExprKind::Str(s.to_owned()), Type::Str, loc),
    }
}

impl Checker<'_> {
    /// Reports why no row of `key` binds a call (before its arguments are checked).
    fn binding_error(&mut self, key: Key, mismatch: Mismatch, offset: usize, keywords: &[Keyword], span: Span) {
        let keyword_span = |name: &str| keywords.iter().find(|k| k.name == name).map_or(span, |k| k.span);
        match mismatch {
            Mismatch::Keyword(name) => self.error(
                Code::WrongArgumentCount,
                keyword_span(&name),
                format!("`{}` takes no keyword argument `{name}` in pyrsc", key),
                "unexpected keyword",
                keyword_help(key),
            ),
            Mismatch::Twice(name) => self.error(
                Code::WrongArgumentCount,
                keyword_span(&name),
                format!("{}() got multiple values for argument '{name}'", key),
                "given twice",
                "pass each argument once",
            ),
            Mismatch::Missing(name) => self.error(
                Code::WrongArgumentCount,
                span,
                format!("`{}` needs the argument `{name}` here", key),
                "argument missing",
                format!("pass `{name}` as well"),
            ),
            Mismatch::Arity(counts) => {
                let counts: Vec<String> = counts.iter().map(|n| n.saturating_sub(offset).to_string()).collect();
                let counts = counts.join(" or ");
                self.error(
                    Code::WrongArgumentCount,
                    span,
                    format!("`{}` takes {counts} positional argument(s) here", key),
                    "wrong number of arguments",
                    format!("call it with {counts} argument(s)"),
                );
            }
            Mismatch::Types => {}
        }
    }

    /// Reports a call whose arguments match no row of `key`.
    fn binding_error_types(
        &mut self,
        key: Key,
        mismatch: Mismatch,
        types: &[Type],
        keywords: &[(&str, Type)],
        span: Span,
    ) {
        if mismatch != Mismatch::Types {
            return self.binding_error(key, mismatch, 0, &[], span);
        }
        let listed: Vec<String> =
            types.iter().map(|t| t.to_string()).chain(keywords.iter().map(|(name, t)| format!("{name}={t}"))).collect();
        self.error(
            Code::TypeMismatch,
            span,
            format!("`{}` does not accept arguments of type ({})", key, listed.join(", ")),
            "unsupported argument types",
            types
                .iter()
                .find_map(super::narrowing::none_check_help)
                .unwrap_or_else(|| "convert the arguments (int(), float(), str()) to the types it takes".to_owned()),
        );
    }
}

/// The keywords the rows of `key` take, for a help line.
fn keyword_help(key: Key) -> String {
    let mut names: Vec<&str> = builtins::rows(key)
        .flat_map(|(_, row)| row.params.iter())
        .filter(|p| p.kind != builtins::ParamKind::Positional)
        .map(|p| p.name)
        .collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        "pass the arguments by position".to_owned()
    } else {
        format!("its keyword arguments are: {}", names.join(", "))
    }
}
