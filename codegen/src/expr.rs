//! Expressions → Rust expressions. Every value is produced owned; `expr_ref` borrows where the
//! runtime takes a reference (no clone of a list handle just to read it). A node that can raise
//! is followed by `.at(&FRAME)?`, which records the Python line on the error path only.

use proc_macro2::{Literal as Lit, TokenStream};
use pyrsc_frontend::builtins::{self, Pass, Pat};
use pyrsc_frontend::facts::raises::{divides_by_nonzero_float, divides_by_positive_literal};
use pyrsc_frontend::ir::{Conversion, Expr, ExprKind, GlobalStorage, LogicOp, UnaryOp};
use pyrsc_frontend::span::Loc;
use pyrsc_frontend::syntax::{BinOp, CmpOp};
use pyrsc_frontend::types::Type;
use quote::quote;

use crate::names;
use crate::FnGen;

pub fn int_literal(n: i64) -> TokenStream {
    if n < 0 {
        let lit = Lit::i64_suffixed(n);
        quote!((#lit))
    } else {
        let lit = Lit::i64_suffixed(n);
        quote!(#lit)
    }
}

pub fn float_literal(x: f64) -> TokenStream {
    if x.is_nan() {
        quote!(f64::NAN)
    } else if x.is_infinite() {
        if x > 0.0 {
            quote!(f64::INFINITY)
        } else {
            quote!(f64::NEG_INFINITY)
        }
    } else if x < 0.0 || (x == 0.0 && x.is_sign_negative()) {
        let lit = Lit::f64_suffixed(-x);
        quote!((-#lit))
    } else {
        let lit = Lit::f64_suffixed(x);
        quote!(#lit)
    }
}

impl FnGen<'_> {
    /// The arguments of `.at(...)`: the frame recorded when an exception passes this point.
    pub(crate) fn frame(&self, loc: Loc) -> TokenStream {
        let line = Lit::u32_unsuffixed(loc.line);
        let (start, end) = (Lit::u32_unsuffixed(loc.col_start), Lit::u32_unsuffixed(loc.col_end));
        quote!(__FUNC, #line, #start, #end)
    }

    /// `.at(...)` (or `.at_anchored(...)` when CPython marks an operator or an index with `^`).
    pub(crate) fn at(&self, loc: Loc) -> TokenStream {
        let frame = self.frame(loc);
        match loc.anchor {
            Some((a, b)) => {
                let (a, b) = (Lit::u32_unsuffixed(a), Lit::u32_unsuffixed(b));
                quote!(.at_anchored(#frame, #a, #b))
            }
            None => quote!(.at(#frame)),
        }
    }

    /// Appends `.at(...)?` when `e` itself can raise.
    pub(crate) fn raising(&self, e: &Expr, call: TokenStream) -> TokenStream {
        let raises = self.facts.expr_raises(self.module, self.function, e);
        if self.function.dispatcher && raises {
            // A dispatcher passes its callee's exception on without a frame of its own.
            return quote!(#call ?);
        }
        if raises {
            let at = self.at(e.loc);
            quote!(#call #at ?)
        } else {
            call
        }
    }

    /// `a / b` where neither operand was a float before the checker converted it: CPython's
    /// ZeroDivisionError then says "division by zero" (ints) rather than "float division by
    /// zero", which a `Num` decides at run time.
    fn exact_division(&mut self, e: &Expr, left: &Expr, right: &Expr) -> Option<TokenStream> {
        fn origin(operand: &Expr) -> Option<(&Expr, bool)> {
            match &operand.kind {
                ExprKind::Convert { conversion: Conversion::IntToFloat, value } => Some((value, false)),
                ExprKind::Convert { conversion: Conversion::BoolToFloat, value } => Some((value, false)),
                ExprKind::Convert { conversion: Conversion::NumToFloat, value } => Some((value, true)),
                _ => None,
            }
        }
        let ((l, l_num), (r, r_num)) = (origin(left)?, origin(right)?);
        let as_int = |this: &mut Self, value: &Expr| {
            let tokens = this.expr(value);
            if value.ty == Type::Bool {
                quote!((#tokens as i64))
            } else {
                tokens
            }
        };
        if !l_num && !r_num {
            let (l, r) = (as_int(self, l), as_int(self, r));
            return Some(self.raising(e, quote!(runtime::int::truediv(#l, #r))));
        }
        let as_num = |this: &mut Self, value: &Expr, is_num: bool| {
            if is_num {
                this.expr(value)
            } else {
                let int = as_int(this, value);
                quote!(runtime::Num::Int(#int))
            }
        };
        let (l, r) = (as_num(self, l, l_num), as_num(self, r, r_num));
        Some(self.raising(e, quote!(runtime::num::truediv(#l, #r))))
    }

    /// A borrowed view of the value (`&xs` for a variable, `&(expr)` otherwise).
    pub(crate) fn expr_ref(&mut self, e: &Expr) -> TokenStream {
        if let ExprKind::Local(id) = &e.kind {
            let local = self.function.local(*id);
            if !local.maybe_unbound && !local.captured {
                let name = names::local(&local.name);
                return if self.is_borrowed(*id) { quote!(#name) } else { quote!(&#name) };
            }
        }
        let value = self.expr(e);
        quote!(&(#value))
    }

    /// A `tuple[T, ...]` passed by reference where a row reads it as a list: through the
    /// tuple's `Deref` to its list, explicitly (Rust's deref coercion does not reach through
    /// the `?` of a checked read).
    fn tuple_as_list_ref(&mut self, e: &Expr) -> TokenStream {
        let value = self.expr(e);
        let ty = crate::types::rust_type(&e.ty);
        quote!(&*({ let __tuple: #ty = #value; __tuple }))
    }

    pub(crate) fn expr(&mut self, e: &Expr) -> TokenStream {
        if self.par.is_some() {
            if let Some(tokens) = self.par_expr(e) {
                return tokens;
            }
        }
        match &e.kind {
            ExprKind::Int(n) => int_literal(*n),
            ExprKind::Float(x) => float_literal(*x),
            ExprKind::Bool(b) => quote!(#b),
            ExprKind::Str(s) => quote!(runtime::Str::from_static(#s)),
            ExprKind::None if matches!(e.ty, Type::Optional(_)) => quote!(None),
            ExprKind::None => quote!(()),
            ExprKind::Unpack { value, count } => {
                let names: Vec<proc_macro2::Ident> = (0..*count)
                    .map(|i| proc_macro2::Ident::new(&format!("__item{i}"), proc_macro2::Span::call_site()))
                    .collect();
                let is_tuple = matches!(value.ty, Type::VarTuple(_));
                let value = self.expr_ref(value);
                // A `tuple[T, ...]` is read through the list it wraps.
                let list = if is_tuple { quote!(std::ops::Deref::deref(#value)) } else { value };
                let at = self.at(e.loc);
                quote!({ let [#(#names),*] = runtime::list::unpack::<_, #count>(#list) #at ?; (#(#names,)*) })
            }
            ExprKind::IsNone { value, .. } if matches!(value.kind, ExprKind::Field { checked: false, .. }) => {
                self.object_expr(e)
            }
            ExprKind::IsNone { value, negated } => {
                let value = self.expr_ref(value);
                if *negated {
                    quote!((#value).is_some())
                } else {
                    quote!((#value).is_none())
                }
            }
            ExprKind::Unwrap(value) => {
                // A check before this read proved `Some`; the other arm is never taken.
                let placeholder = crate::types::default_value(&e.ty);
                let value = self.expr(value);
                quote!(match #value { Some(__value) => __value, None => #placeholder })
            }
            ExprKind::Local(id) => {
                let local = self.function.local(*id);
                if local.captured {
                    let name = names::local(&local.name);
                    let text = &local.name;
                    return self.raising(e, quote!(#name.get_local(#text)));
                }
                self.read_variable(e, &local.name, local.maybe_unbound, quote!(runtime::exc::bound))
            }
            ExprKind::Free(i) => {
                let text = &self.function.free[*i].name;
                let cell = names::free(text);
                self.raising(e, quote!(#cell.get_free(#text)))
            }
            ExprKind::CallValue { callee, args } => {
                let callee = self.expr(callee);
                let args: Vec<TokenStream> = args.iter().map(|a| self.expr(a)).collect();
                self.raising(e, quote!((#callee)(#(#args),*)))
            }
            ExprKind::FunctionRef(id) => {
                let target = &self.module.functions[id.0 as usize];
                let name = names::function_of(target);
                let params: Vec<proc_macro2::Ident> = (0..target.params.len())
                    .map(|i| proc_macro2::Ident::new(&format!("__a{i}"), proc_macro2::Span::call_site()))
                    .collect();
                let types: Vec<TokenStream> =
                    target.params.iter().map(|p| crate::types::rust_type(&target.local(*p).ty)).collect();
                let args: Vec<TokenStream> = params
                    .iter()
                    .enumerate()
                    .map(|(i, p)| if self.facts.function(*id).borrowed[i] { quote!(&#p) } else { quote!(#p) })
                    .collect();
                let ret = crate::types::rust_type(&target.ret);
                let code_type = crate::types::code_type(&e.ty);
                // Its identity is its code address (a generator function is generic in its
                // consumer's result type: take one instance).
                let address = if target.generator { quote!(#name::<()>) } else { quote!(#name) };
                let call = if target.generator {
                    // A generator function as a value: calling it makes a generator object,
                    // which runs the function on its own stack when resumed (as `g = gen()`).
                    let facts = self.facts.function(*id);
                    let recursive = facts.recursive || facts.drives_generators;
                    let qualname = &target.name;
                    quote!(Ok(runtime::Generator::new(#qualname, #recursive, move |__sink| {
                        #name::<()>(#(#params,)* __sink).map_err(runtime::exc::from_generator)
                    })))
                } else if self.facts.function(*id).can_raise {
                    quote!(#name(#(#args),*))
                } else {
                    quote!(Ok(#name(#(#args),*)))
                };
                let qualname = &target.name;
                quote!({
                    let __code: #code_type = std::rc::Rc::new(move |#(#params: #types),*| -> runtime::PyResult<#ret> { #call });
                    runtime::Func::module(#qualname, #address as usize, __code)
                })
            }
            ExprKind::Global(id) => {
                let global = &self.module.globals[id.0 as usize];
                let text = &global.name;
                match global.storage {
                    GlobalStorage::Const(_) => {
                        let name = names::global(&global.name);
                        quote!(#name)
                    }
                    GlobalStorage::Static => {
                        let name = names::global(&global.name);
                        self.raising(e, quote!(#name.get(#text)))
                    }
                    GlobalStorage::ModuleLocal => {
                        self.read_variable(e, &global.name, global.maybe_unbound, quote!(runtime::exc::bound_global))
                    }
                }
            }
            ExprKind::Constant(index) => {
                let path = runtime_path(builtins::CONSTANTS[*index].runtime);
                quote!(#path)
            }
            ExprKind::Convert { conversion, value } => self.convert(*conversion, value),
            ExprKind::Binary { op, left, right } => self.binary(e, *op, left, right),
            ExprKind::Unary { op, operand } => {
                let value = self.expr(operand);
                match (op, &operand.ty) {
                    (UnaryOp::Neg, Type::Int) => self.raising(e, quote!(runtime::int::neg(#value))),
                    (UnaryOp::Neg, Type::Num) => self.raising(e, quote!(runtime::num::neg(#value))),
                    (UnaryOp::Neg, _) => quote!((-#value)),
                    (UnaryOp::Not | UnaryOp::Invert, _) => quote!((!#value)),
                }
            }
            ExprKind::Compare { operands, ops } => self.compare(operands, ops),
            ExprKind::Logic { op, values } => self.logic(*op, values),
            ExprKind::IfExp { cond, then, orelse } => {
                let (cond, then, orelse) = (self.expr(cond), self.expr(then), self.expr(orelse));
                quote!((if #cond { #then } else { #orelse }))
            }
            ExprKind::Call { func, .. } if self.module.functions[func.0 as usize].generator => self.generator_value(e),
            ExprKind::Lazy { body, captures } => self.lazy_value(body, captures, &e.ty),
            ExprKind::Frame { name, value } => self.framed(e, name, value),
            ExprKind::Call { func, args } => {
                let name = names::function_of(&self.module.functions[func.0 as usize]);
                let borrowed = &self.facts.function(*func).borrowed;
                let args: Vec<TokenStream> = args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| if borrowed[i] { self.expr_ref(a) } else { self.expr(a) })
                    .collect();
                self.raising(e, quote!(#name(#(#args),*)))
            }
            ExprKind::ParMap { func, items } => {
                let name = names::function_of(&self.module.functions[func.0 as usize]);
                let callee = self.facts.function(*func);
                let arg = if callee.borrowed[0] { quote!(&__x) } else { quote!(__x) };
                let call = if callee.can_raise { quote!(#name(#arg)) } else { quote!(Ok(#name(#arg))) };
                let items = self.expr_ref(items);
                self.raising(e, quote!(runtime::par::pmap(#items, |__x| #call)))
            }
            ExprKind::Builtin { builtin, args }
                if builtins::builtin(*builtin).key == builtins::Key::Function("len")
                    && args.len() == 1
                    && self.loop_view(&args[0]).is_some() =>
            {
                let view = self.loop_view(&args[0]);
                quote!(#view.len())
            }
            ExprKind::Builtin { builtin, args } => {
                let row = builtins::builtin(*builtin);
                let path = runtime_path(row.runtime);
                let args: Vec<TokenStream> = row
                    .params
                    .iter()
                    .zip(args)
                    .map(|(param, arg)| match (param.pass, &arg.ty) {
                        (Pass::Ref, Type::VarTuple(_)) if param.pat.reads_list() => self.tuple_as_list_ref(arg),
                        (Pass::Ref, _) => self.expr_ref(arg),
                        (Pass::Value, _) => self.expr(arg),
                    })
                    .collect();
                let call = self.raising(e, quote!(#path(#(#args),*)));
                if row.ret == Pat::Never {
                    quote!(match #call {})
                } else {
                    call
                }
            }
            ExprKind::Print { args, sep, end, stderr, flush, file } => {
                let values: Vec<TokenStream> = args.iter().map(|a| self.expr(a)).collect();
                let sep = match sep {
                    Some(sep) => self.expr_ref(sep),
                    None => quote!(&runtime::Str::from_static(" ")),
                };
                let end = match end {
                    Some(end) => self.expr_ref(end),
                    None => quote!(&runtime::Str::from_static("\n")),
                };
                let target = if *stderr {
                    quote!(runtime::print::Stream::Stderr)
                } else {
                    quote!(runtime::print::Stream::Stdout)
                };
                // Printing can raise: a value's `__str__`, or the write itself (a closed pipe).
                let call = if let Some(file) = file {
                    let file = self.expr_ref(file);
                    quote!(runtime::file::PyFile::print(#file, &[#(&#values as &dyn runtime::repr::PyRepr),*], #sep, #end))
                } else if *stderr || *flush {
                    quote!(runtime::print::print_to(&[#(&#values as &dyn runtime::repr::PyRepr),*], #sep, #end, #target, #flush))
                } else {
                    quote!(runtime::print::print(&[#(&#values as &dyn runtime::repr::PyRepr),*], #sep, #end))
                };
                self.raising(e, call)
            }
            ExprKind::FString(parts) => self.fstring(e, parts),
            ExprKind::List(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.expr(i)).collect();
                quote!(runtime::List::from_vec(vec![#(#items),*]))
            }
            ExprKind::Tuple(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.expr(i)).collect();
                quote!((#(#items,)*))
            }
            ExprKind::Index { base, index } if self.loop_view(base).is_some() => {
                let view = self.loop_view(base);
                let index = self.expr(index);
                self.raising(e, quote!(#view.get(#index)))
            }
            ExprKind::Index { base, index } if matches!(base.ty, Type::Array(..)) => self.array_get(e, base, index),
            ExprKind::ArrayNew { shape, fill, like } => self.array_new(e, shape, fill.as_deref(), like.as_deref()),
            ExprKind::ArrayInfo { base, what } => self.array_info(base, *what),
            ExprKind::New { .. }
            | ExprKind::Alloc { .. }
            | ExprKind::Field { .. }
            | ExprKind::ExceptionOf { .. }
            | ExprKind::IsInstance { .. } => self.object_expr(e),
            ExprKind::NewException { class, message: Some(message), arg_repr: Some(arg_repr) } => {
                let class = proc_macro2::Ident::new(class, proc_macro2::Span::call_site());
                let (message, arg_repr) = (self.expr(message), self.expr(arg_repr));
                quote!(runtime::Exc::raised_with_arg(runtime::ExcKind::#class, #message, #arg_repr))
            }
            ExprKind::NewException { class, message, .. } => {
                let class = proc_macro2::Ident::new(class, proc_macro2::Span::call_site());
                let message = match message {
                    Some(m) => {
                        let m = self.expr(m);
                        quote!(Some(#m))
                    }
                    None => quote!(None),
                };
                quote!(runtime::Exc::raised(runtime::ExcKind::#class, #message))
            }
            ExprKind::Index { base, index } => {
                let (getter, index) = match &base.ty {
                    Type::Str => (quote!(runtime::Str::get), self.expr(index)),
                    Type::Dict(_, _) => (quote!(runtime::Dict::get), self.expr_ref(index)),
                    Type::Range => {
                        let (base, index) = (self.expr(base), self.expr(index));
                        return self.raising(e, quote!(runtime::range::PyRange::get(#base, #index)));
                    }
                    Type::VarTuple(_) => (quote!(runtime::Tuple::get), self.expr(index)),
                    _ => (quote!(runtime::List::get), self.expr(index)),
                };
                let base = self.expr_ref(base);
                self.raising(e, quote!(#getter(#base, #index)))
            }
            ExprKind::Set(items) => {
                let items: Vec<TokenStream> = items.iter().map(|i| self.expr(i)).collect();
                quote!(runtime::Set::from_vec(vec![#(#items),*]))
            }
            ExprKind::Dict(pairs) => {
                let pairs: Vec<TokenStream> = pairs
                    .iter()
                    .map(|(k, v)| {
                        let (k, v) = (self.expr(k), self.expr(v));
                        quote!((#k, #v))
                    })
                    .collect();
                quote!(runtime::Dict::from_pairs(vec![#(#pairs),*]))
            }
            ExprKind::Slice { base, lower, upper, step } => {
                let slicer = match base.ty {
                    Type::Str => quote!(runtime::Str::slice),
                    Type::VarTuple(_) => quote!(runtime::Tuple::slice),
                    _ => quote!(runtime::List::slice),
                };
                let base = self.expr_ref(base);
                let parts = self.optional_parts([lower.as_deref(), upper.as_deref(), step.as_deref()]);
                self.raising(e, quote!(#slicer(#base, #(#parts),*)))
            }
            ExprKind::Block { stmts, value } => {
                let stmts = self.block(stmts);
                let value = self.expr(value);
                quote!({ #(#stmts)* #value })
            }
            ExprKind::TupleField { base, index } => {
                let index = syn::Index::from(*index);
                if let ExprKind::Local(id) = &base.kind {
                    let local = self.function.local(*id);
                    if !local.maybe_unbound && !local.captured {
                        let name = names::local(&local.name);
                        return if e.ty.is_scalar() { quote!(#name.#index) } else { quote!(#name.#index.clone()) };
                    }
                }
                let base = self.expr(base);
                quote!((#base).#index)
            }
        }
    }

    /// Reads a Rust local: a copy or a handle clone, or through `check` (which raises the
    /// UnboundLocalError / NameError) when it may be unassigned.
    fn read_variable(&self, e: &Expr, name: &str, maybe_unbound: bool, check: TokenStream) -> TokenStream {
        let ident = names::local(name);
        if maybe_unbound {
            self.raising(e, quote!(#check(&#ident, #name)))
        } else if e.ty.is_scalar() {
            quote!(#ident)
        } else {
            quote!(#ident.clone())
        }
    }

    fn convert(&mut self, conversion: Conversion, value: &Expr) -> TokenStream {
        let inner = self.expr(value);
        match conversion {
            Conversion::IntToFloat => quote!((#inner as f64)),
            Conversion::BoolToInt => quote!((#inner as i64)),
            Conversion::BoolToFloat => quote!((#inner as i64 as f64)),
            Conversion::IntToNum => quote!(runtime::Num::Int(#inner)),
            Conversion::FloatToNum => quote!(runtime::Num::Float(#inner)),
            Conversion::NumToFloat => quote!(#inner.to_float()),
            Conversion::Truthy => match &value.ty {
                Type::Bool => inner,
                Type::Int => quote!((#inner != 0)),
                Type::Float => quote!((#inner != 0.0)),
                Type::Num => quote!(#inner.truthy()),
                Type::Str | Type::List(_) | Type::Dict(_, _) | Type::Set(_) | Type::VarTuple(_) | Type::ExcArgs => {
                    let borrowed = self.expr_ref(value);
                    quote!(((#borrowed).len() != 0))
                }
                Type::None => quote!({ let _ = #inner; false }),
                Type::Range => quote!((#inner.len() != 0)),
                // (The checker rejects an array as a condition.)
                Type::Tuple(_)
                | Type::Function(_, _)
                | Type::Array(..)
                | Type::Exception
                | Type::File
                | Type::Object(_)
                | Type::Iterator(_)
                | Type::Unknown => quote!({ let _ = #inner; true }),
                Type::Optional(inner_ty) => {
                    let name = proc_macro2::Ident::new("__some", proc_macro2::Span::call_site());
                    let test = self.truthy_of(&name, inner_ty);
                    quote!(match #inner { Some(#name) => #test, None => false })
                }
            },
            Conversion::Wrap => quote!(Some(#inner)),
            Conversion::Recast => inner,
        }
    }

    fn binary(&mut self, e: &Expr, op: BinOp, left: &Expr, right: &Expr) -> TokenStream {
        use BinOp::*;
        if left.ty == Type::Int && matches!(op, Add | Sub | Mul) && self.is_pure_int_tree(e) && checked_ops(e) >= 2 {
            return self.fused_int_tree(e);
        }
        match &left.ty {
            Type::Str | Type::List(_) | Type::VarTuple(_) => {
                let l = self.expr_ref(left);
                let sequence =
                    if matches!(left.ty, Type::VarTuple(_)) { quote!(runtime::Tuple) } else { quote!(runtime::List) };
                let call = match (op, &left.ty) {
                    (Add, Type::Str) => {
                        let r = self.expr_ref(right);
                        quote!(runtime::Str::concat(#l, #r))
                    }
                    (Add, _) => {
                        let r = self.expr_ref(right);
                        quote!(#sequence::concat(#l, #r))
                    }
                    (_, Type::Str) => {
                        let r = self.expr(right);
                        quote!(runtime::Str::repeat(#l, #r))
                    }
                    _ => {
                        let r = self.expr(right);
                        quote!(#sequence::repeat(#l, #r))
                    }
                };
                return self.raising(e, call);
            }
            _ => {}
        }
        if op == Div {
            if let Some(tokens) = self.exact_division(e, left, right) {
                return tokens;
            }
        }
        let l = self.expr(left);
        let r = self.expr(right);
        if divides_by_positive_literal(op, &left.ty, right) {
            return floor_by_literal(op, l, right);
        }
        let module = match &left.ty {
            Type::Int => quote!(runtime::int),
            Type::Num => quote!(runtime::num),
            _ => quote!(runtime::float),
        };
        let native = |tokens: TokenStream| quote!((#tokens));
        match (&left.ty, op) {
            (_, BitAnd) => native(quote!(#l & #r)),
            (_, BitOr) => native(quote!(#l | #r)),
            (_, BitXor) => native(quote!(#l ^ #r)),
            (Type::Float, Add) => native(quote!(#l + #r)),
            (Type::Float, Sub) => native(quote!(#l - #r)),
            (Type::Float, Mul) => native(quote!(#l * #r)),
            (Type::Float, Div) if divides_by_nonzero_float(op, &left.ty, right) => native(quote!(#l / #r)),
            (_, Add) => self.raising(e, quote!(#module::add(#l, #r))),
            (_, Sub) => self.raising(e, quote!(#module::sub(#l, #r))),
            (_, Mul) => self.raising(e, quote!(#module::mul(#l, #r))),
            (_, Div) => self.raising(e, quote!(#module::truediv(#l, #r))),
            (_, FloorDiv) => self.raising(e, quote!(#module::floordiv(#l, #r))),
            (_, Mod) => self.raising(e, quote!(#module::modulo(#l, #r))),
            (_, Pow) => self.raising(e, quote!(#module::pow(#l, #r))),
            (_, LShift) => self.raising(e, quote!(runtime::int::lshift(#l, #r))),
            (_, RShift) => self.raising(e, quote!(runtime::int::rshift(#l, #r))),
        }
    }

    /// An `int` expression of `+ - *` (and `//`, `%` by positive literals) over variables and
    /// literals: no side effects and nothing else that can raise.
    fn is_pure_int_tree(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Int(_) => true,
            ExprKind::Local(id) => !self.function.local(*id).maybe_unbound,
            ExprKind::Global(id) => matches!(self.module.globals[id.0 as usize].storage, GlobalStorage::Const(_)),
            ExprKind::Convert { conversion: Conversion::BoolToInt, value } => self.is_pure_int_tree(value),
            ExprKind::Binary { op: BinOp::Add | BinOp::Sub | BinOp::Mul, left, right } if left.ty == Type::Int => {
                self.is_pure_int_tree(left) && self.is_pure_int_tree(right)
            }
            ExprKind::Binary { op, left, right } if divides_by_positive_literal(*op, &left.ty, right) => {
                self.is_pure_int_tree(left)
            }
            _ => false,
        }
    }

    /// Evaluates a pure `int` tree with wrapping operations that record overflow, and raises
    /// once at the end: the same OverflowError as step-by-step checks, without a branch per step.
    fn fused_int_tree(&mut self, e: &Expr) -> TokenStream {
        let flag = self.fresh("overflow");
        let value = self.fused_node(e, &flag);
        let at = self.at(e.loc);
        quote!({ let mut #flag = false; let __value = #value; runtime::int::check_flag(__value, #flag) #at ? })
    }

    fn fused_node(&mut self, e: &Expr, flag: &proc_macro2::Ident) -> TokenStream {
        match &e.kind {
            ExprKind::Binary { op: BinOp::Mul, left, right } if positive_literal(left) || positive_literal(right) => {
                let (value, constant) = if positive_literal(right) { (left, right) } else { (right, left) };
                let (v, k) = (self.fused_node(value, flag), self.expr(constant));
                quote!(runtime::int::mul_pos_flag(#v, #k, &mut #flag))
            }
            ExprKind::Binary { op, left, right } if matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) => {
                let (l, r) = (self.fused_node(left, flag), self.fused_node(right, flag));
                let function = match op {
                    BinOp::Add => quote!(add_flag),
                    BinOp::Sub => quote!(sub_flag),
                    _ => quote!(mul_flag),
                };
                quote!(runtime::int::#function(#l, #r, &mut #flag))
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.fused_node(left, flag);
                floor_by_literal(*op, l, right)
            }
            _ => self.expr(e),
        }
    }

    fn compare(&mut self, operands: &[Expr], ops: &[CmpOp]) -> TokenStream {
        if let ([op @ (CmpOp::Is | CmpOp::IsNot)], [a, b]) = (ops, operands) {
            // Identity of two objects.
            let (a, b) = (self.expr_ref(a), self.expr_ref(b));
            let same = quote!(runtime::object::Obj::ptr_eq(&(#a).0, &(#b).0));
            return if *op == CmpOp::IsNot { quote!((!#same)) } else { same };
        }
        if let [CmpOp::In | CmpOp::NotIn] = ops {
            let element = self.expr(&operands[0]);
            let container = self.expr(&operands[1]);
            let (e, c) = (self.fresh("elem"), self.fresh("list"));
            let test = quote!({ let #e = #element; let #c = #container; #c.contains(&#e) });
            return if ops[0] == CmpOp::NotIn { quote!((!#test)) } else { test };
        }
        // An int compared with a float is compared exactly (as CPython does), not after rounding.
        let exact_int: Vec<bool> = operands
            .iter()
            .map(|o| matches!(o.kind, ExprKind::Convert { conversion: Conversion::IntToFloat, .. }))
            .collect();
        let values: Vec<TokenStream> = operands
            .iter()
            .map(|o| match &o.kind {
                ExprKind::Convert { conversion: Conversion::IntToFloat, value } => self.expr(value),
                _ => self.expr(o),
            })
            .collect();
        let pair =
            |k: usize, a: &TokenStream, b: &TokenStream| compare_mixed(ops[k], a, exact_int[k], b, exact_int[k + 1]);
        if ops.len() == 1 {
            return pair(0, &values[0], &values[1]);
        }
        // a < b < c: each operand evaluated once, stopping at the first false comparison.
        let names: Vec<proc_macro2::Ident> = (0..values.len()).map(|_| self.fresh("cmp")).collect();
        let mut result = {
            let (a, b) = (&names[ops.len() - 1], &names[ops.len()]);
            let value = &values[ops.len()];
            let test = pair(ops.len() - 1, &quote!(#a), &quote!(#b));
            quote!({ let #b = #value; #test })
        };
        for k in (0..ops.len() - 1).rev() {
            let (a, b) = (&names[k], &names[k + 1]);
            let value = &values[k + 1];
            let test = pair(k, &quote!(#a), &quote!(#b));
            result = quote!({ let #b = #value; if #test { #result } else { false } });
        }
        let first = &names[0];
        let value = &values[0];
        quote!({ let #first = #value; #result })
    }

    fn logic(&mut self, op: LogicOp, values: &[Expr]) -> TokenStream {
        if values.iter().all(|v| v.ty == Type::Bool) {
            let parts: Vec<TokenStream> = values.iter().map(|v| self.expr(v)).collect();
            return match op {
                LogicOp::And => quote!((#(#parts)&&*)),
                LogicOp::Or => quote!((#(#parts)||*)),
            };
        }
        // Non-bool operands: the result is one of the operands, as in CPython.
        let mut result = self.expr(&values[values.len() - 1]);
        for value in values[..values.len() - 1].iter().rev() {
            let name = self.fresh("logic");
            let operand = self.expr(value);
            let truthy = self.truthy_of(&name, &value.ty);
            result = match op {
                LogicOp::And => quote!({ let #name = #operand; if #truthy { #result } else { #name } }),
                LogicOp::Or => quote!({ let #name = #operand; if #truthy { #name } else { #result } }),
            };
        }
        result
    }

    /// Truthiness of a named value of type `ty`.
    fn truthy_of(&self, name: &proc_macro2::Ident, ty: &Type) -> TokenStream {
        match ty {
            Type::Bool => quote!(#name),
            Type::Int => quote!((#name != 0)),
            Type::Float => quote!((#name != 0.0)),
            Type::Num => quote!(#name.truthy()),
            Type::Str | Type::List(_) | Type::Dict(_, _) | Type::Set(_) | Type::VarTuple(_) | Type::ExcArgs => {
                quote!((#name.len() != 0))
            }
            Type::None => quote!(false),
            Type::Range => quote!((#name.len() != 0)),
            Type::Tuple(_)
            | Type::Function(_, _)
            | Type::Array(..)
            | Type::Exception
            | Type::File
            | Type::Object(_)
            | Type::Iterator(_)
            | Type::Unknown => quote!(true),
            Type::Optional(inner) => {
                let some = proc_macro2::Ident::new("__inner", proc_macro2::Span::call_site());
                let test = self.truthy_of(&some, inner);
                quote!(match &#name { Some(#some) => { let #some = #some.clone(); #test } None => false })
            }
        }
    }
}

/// `l // k` or `l % k` for an int literal `k > 0`: Python's floor semantics. A power of two is
/// a shift or a mask (exactly floor division and modulo in two's complement).
fn floor_by_literal(op: BinOp, l: TokenStream, right: &Expr) -> TokenStream {
    let k = match right.kind {
        ExprKind::Int(k) => k,
        _ => 1,
    };
    if k > 0 && (k as u64).is_power_of_two() {
        let shift = k.trailing_zeros();
        let mask = int_literal(k - 1);
        return if op == BinOp::FloorDiv { quote!((#l >> #shift)) } else { quote!((#l & #mask)) };
    }
    let r = int_literal(k);
    if op == BinOp::FloorDiv {
        quote!(#l.div_euclid(#r))
    } else {
        quote!(#l.rem_euclid(#r))
    }
}

fn positive_literal(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Int(k) if k > 0)
}

/// The number of overflow-checked operations in an `int` tree.
fn checked_ops(e: &Expr) -> usize {
    match &e.kind {
        ExprKind::Binary { op, left, right } => {
            usize::from(matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul)) + checked_ops(left) + checked_ops(right)
        }
        ExprKind::Convert { value, .. } => checked_ops(value),
        _ => 0,
    }
}

/// A comparison where either side may be an int standing in a float comparison.
fn compare_mixed(op: CmpOp, a: &TokenStream, a_int: bool, b: &TokenStream, b_int: bool) -> TokenStream {
    let ordering = match (a_int, b_int) {
        (true, false) => quote!(runtime::float::cmp_int(#a, #b)),
        (false, true) => quote!(runtime::float::cmp_int(#b, #a).map(std::cmp::Ordering::reverse)),
        _ => return compare_tokens(op, a, b),
    };
    match op {
        CmpOp::Eq => quote!((#ordering == Some(std::cmp::Ordering::Equal))),
        CmpOp::NotEq => quote!((#ordering != Some(std::cmp::Ordering::Equal))),
        CmpOp::Lt => quote!((#ordering == Some(std::cmp::Ordering::Less))),
        CmpOp::LtE => quote!(matches!(#ordering, Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal))),
        CmpOp::Gt => quote!((#ordering == Some(std::cmp::Ordering::Greater))),
        CmpOp::GtE => quote!(matches!(#ordering, Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal))),
        _ => compare_tokens(op, a, b),
    }
}

fn compare_tokens(op: CmpOp, a: &TokenStream, b: &TokenStream) -> TokenStream {
    match op {
        CmpOp::Eq => quote!((#a == #b)),
        CmpOp::NotEq => quote!((#a != #b)),
        CmpOp::Lt => quote!((#a < #b)),
        CmpOp::LtE => quote!((#a <= #b)),
        CmpOp::Gt => quote!((#a > #b)),
        CmpOp::GtE => quote!((#a >= #b)),
        // Rejected by the checker; equality is the closest meaning.
        CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn => quote!((#a == #b)),
    }
}

/// `math::sqrt` → `runtime::math::sqrt`.
pub fn runtime_path(path: &str) -> TokenStream {
    let segments = path.split("::").map(|s| proc_macro2::Ident::new(s, proc_macro2::Span::call_site()));
    quote!(runtime #(::#segments)*)
}
