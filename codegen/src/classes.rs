//! User classes → Rust items. Every class hierarchy becomes one struct (`Obj<root>`: the
//! object's class number, then a slot per field of the hierarchy) behind a reference-counted
//! handle (`O<root>`), so that a subclass object is usable wherever its base is, and a type
//! alias per class (`C<id>`). The handle implements the runtime's `PyRepr` (through the class's
//! `__str__`/`__repr__`, or CPython's default `<__main__.C object at 0x...>`) and `PartialEq`
//! (`__eq__`, or identity), which is what printing and containers of objects need.

use proc_macro2::{Ident, Span, TokenStream};
use pyrsc_frontend::facts::Facts;
use pyrsc_frontend::ir::{self, Expr, ExprKind, Module};
use quote::quote;

use crate::names;
use crate::types::{default_value, rust_type};
use crate::FnGen;

fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// The handle type of the hierarchy rooted at `root`.
pub fn handle(root: u32) -> Ident {
    ident(&format!("__O{root}"))
}

/// The field slot `slot` of a root's struct.
pub fn slot_field(slot: usize) -> Ident {
    ident(&format!("f{slot}"))
}

/// The items for every class of the module.
/// `module_name` is `__main__` for a program, the module's name for an extension module.
pub fn items(module: &Module, facts: &Facts, module_name: &str) -> Vec<TokenStream> {
    let mut items = Vec::new();
    if module.classes.is_empty() {
        return items;
    }
    let names = module.classes.iter().map(|c| c.name.as_str());
    let count = module.classes.len();
    items.push(quote!(const __CLASS_NAMES: [&str; #count] = [#(#names),*];));
    // The runtime's table of exception classes, indexed like the classes (`ExcKind::User`).
    let exception_classes = module.classes.iter().map(|c| {
        let name = &c.name;
        // Tracebacks qualify a class by its module, except `__main__`'s.
        let qualified = if module_name == "__main__" { name.clone() } else { format!("{module_name}.{name}") };
        let parent = match c.exception {
            Some((ir::ExceptionBase::Builtin(base), _, _)) => {
                let base = ident(base);
                quote!(runtime::ExcKind::#base)
            }
            Some((ir::ExceptionBase::User(base), _, _)) => quote!(runtime::ExcKind::User(#base)),
            None => quote!(runtime::ExcKind::Exception),
        };
        quote!(runtime::exc::UserClass { name: #name, qualified: #qualified, parent: #parent })
    });
    items.push(quote!(static __EXCEPTION_CLASSES: [runtime::exc::UserClass; #count] = [#(#exception_classes),*];));
    for (id, class) in module.classes.iter().enumerate() {
        let alias = names::class(id as u32);
        let root = handle(class.root);
        items.push(quote!(type #alias = #root;));
        if class.root != id as u32 {
            continue;
        }
        items.extend(hierarchy(module, id as u32, class, facts, module_name));
    }
    items
}

fn hierarchy(module: &Module, root: u32, decl: &ir::ClassDecl, facts: &Facts, module_name: &str) -> Vec<TokenStream> {
    let data = ident(&format!("__Obj{root}"));
    let handle = handle(root);
    let fields: Vec<TokenStream> = decl
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let name = slot_field(i);
            let ty = rust_type(&slot.ty);
            if slot.checked {
                quote!(#name: runtime::object::MaybeSlot<#ty>)
            } else {
                quote!(#name: runtime::object::Slot<#ty>)
            }
        })
        .collect();
    let inits: Vec<TokenStream> = decl
        .slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let name = slot_field(i);
            if slot.checked {
                quote!(#name: runtime::object::MaybeSlot::unset())
            } else {
                let value = default_value(&slot.ty);
                quote!(#name: runtime::object::Slot::new(#value))
            }
        })
        .collect();
    let members: Vec<u32> =
        module.classes.iter().enumerate().filter(|(_, c)| c.root == root).map(|(i, _)| i as u32).collect();
    let special = |class: u32, name: &str| {
        module.classes[class as usize].specials.iter().find(|(n, _)| n == name).map(|(_, f)| *f)
    };
    // Calls a special method from an infallible trait method: an exception there cannot travel
    // on, so it ends the program with its traceback (as an uncaught one would).
    // The trait methods hold `&self` (and `&other`): passed on as they are, or cloned where
    // the method takes its parameter by value.
    let call = |func: ir::FuncId, receivers: &[TokenStream]| {
        let name = names::function_of(&module.functions[func.0 as usize]);
        let args: Vec<TokenStream> = receivers
            .iter()
            .enumerate()
            .map(
                |(i, r)| {
                    if facts.function(func).borrowed.get(i) == Some(&true) {
                        quote!(#r)
                    } else {
                        quote!(#r.clone())
                    }
                },
            )
            .collect();
        let args = quote!(#(#args),*);
        if facts.function(func).can_raise {
            quote!(match #name(#args) { Ok(value) => value, Err(exc) => runtime::object::special_failed(exc, __FILE, __SOURCE) })
        } else {
            quote!(#name(#args))
        }
    };
    // `__repr__`/`__str__` run where their exception can travel on (`try_write_*`), each
    // under a recursion guard: an object whose repr contains itself meets RecursionError.
    let text_call = |func: ir::FuncId, what: TokenStream| {
        let name = names::function_of(&module.functions[func.0 as usize]);
        let receiver =
            if facts.function(func).borrowed.first() == Some(&true) { quote!(self) } else { quote!(self.clone()) };
        let value = if facts.function(func).can_raise { quote!(#name(#receiver)?) } else { quote!(#name(#receiver)) };
        quote!({
            let _guard = runtime::recursion::ReprGuard::enter(#what)?;
            out.push_str(#value.as_str());
        })
    };
    let repr_arms: Vec<TokenStream> = members
        .iter()
        .map(|c| {
            let text = match special(*c, "__repr__") {
                // `what`: CPython's recursion message names the operation asked for (`str` of a
                // class with only `__repr__` runs `__repr__`).
                Some(f) => text_call(f, quote!(what)),
                None => {
                    let name = &module.classes[*c as usize].name;
                    match module.classes[*c as usize].exception {
                        // `MyError('message')`, `MyError(5)`, or `MyError()` without one.
                        Some((_, _, args)) => {
                            let field = slot_field(args);
                            quote!(runtime::object::exception_repr(#name, &self.0.#field.get(), out))
                        }
                        None => quote!(runtime::object::default_repr(#module_name, #name, runtime::object::Obj::as_ptr(&self.0), out)),
                    }
                }
            };
            quote!(#c => #text,)
        })
        .collect();
    let str_arms: Vec<TokenStream> = members
        .iter()
        .filter_map(|c| {
            let Some(f) = special(*c, "__str__") else {
                // An exception's str is its message (unless the class defines `__repr__` only,
                // which CPython's BaseException.__str__ ignores too).
                let (_, message, _) = module.classes[*c as usize].exception?;
                let field = slot_field(message);
                return Some(quote!(#c => out.push_str(self.0.#field.get().as_str()),));
            };
            let text = text_call(f, quote!("str"));
            Some(quote!(#c => #text,))
        })
        .collect();
    // `self.method(other)` for the classes that define `method` (`__lt__`, `__eq__`).
    let comparison_arms = |method: &str| -> Vec<TokenStream> {
        members
            .iter()
            .filter_map(|c| {
                let f = special(*c, method)?;
                let value = call(f, &[quote!(self), quote!(other)]);
                Some(quote!(#c => #value,))
            })
            .collect()
    };
    let lt_arms = comparison_arms("__lt__");
    let hash_arms: Vec<TokenStream> = members
        .iter()
        .map(|c| {
            let value = match &module.classes[*c as usize].hash {
                ir::ObjectHash::Identity => quote!(runtime::set::identity_hash(runtime::object::Obj::as_ptr(&self.0))),
                ir::ObjectHash::Method(f) => {
                    let value = call(*f, &[quote!(self)]);
                    quote!(runtime::set::PyHash::py_hash(&#value))
                }
                ir::ObjectHash::Fields(slots) => {
                    let fields = slots.iter().map(|s| slot_field(*s));
                    quote!(runtime::set::tuple_hash(&[#(runtime::set::PyHash::py_hash(&self.0.#fields.get())),*]))
                }
                ir::ObjectHash::Unhashable(name) => {
                    let message = format!("unhashable type: '{name}'");
                    quote!(runtime::object::special_failed(runtime::Exc::new(runtime::ExcKind::TypeError, #message), __FILE, __SOURCE))
                }
            };
            quote!(#c => #value,)
        })
        .collect();
    let eq_arms = comparison_arms("__eq__");
    vec![quote! {
        pub struct #data {
            class: u32,
            #(#fields,)*
        }

        impl runtime::object::Pooled for #data {
            fn pool() -> &'static std::thread::LocalKey<runtime::object::Pool<Self>> {
                thread_local! {
                    static POOL: runtime::object::Pool<#data> = const { runtime::object::Pool::new() };
                }
                &POOL
            }
        }

        #[derive(Clone)]
        pub struct #handle(runtime::object::Obj<#data>);

        impl #handle {
            #[inline(always)]
            fn alloc(class: u32) -> #handle {
                #handle(runtime::object::Obj::new(#data { class, #(#inits,)* }))
            }

            /// What a local of this class holds before its first assignment (never read).
            fn placeholder() -> #handle {
                thread_local! {
                    static PLACEHOLDER: #handle = #handle::alloc(u32::MAX);
                }
                PLACEHOLDER.with(|p| p.clone())
            }

            #[inline(always)]
            fn class_name(&self) -> &'static str {
                __CLASS_NAMES.get(self.0.class as usize).copied().unwrap_or("object")
            }
        }

        // The infallible ways in are for the runtime's own messages (a KeyError's key): an
        // exception there cannot travel on and ends the program with its traceback.
        impl runtime::repr::PyRepr for #handle {
            fn write_repr(&self, out: &mut String) {
                if let Err(exc) = self.try_write_repr(out) {
                    runtime::object::special_failed(exc, __FILE, __SOURCE)
                }
            }

            fn write_str(&self, out: &mut String) {
                if let Err(exc) = self.try_write_str(out) {
                    runtime::object::special_failed(exc, __FILE, __SOURCE)
                }
            }

            fn try_write_repr(&self, out: &mut String) -> runtime::PyResult<()> {
                self.write_repr_for(out, "repr")
            }

            fn try_write_str(&self, out: &mut String) -> runtime::PyResult<()> {
                match self.0.class {
                    #(#str_arms)*
                    _ => return self.write_repr_for(out, "str"),
                }
                Ok(())
            }
        }

        impl #handle {
            /// `repr(self)`, asked for as `what` (`"repr"`, or `"str"` without a `__str__`).
            fn write_repr_for(&self, out: &mut String, what: &'static str) -> runtime::PyResult<()> {
                let _ = what;
                match self.0.class {
                    #(#repr_arms)*
                    _ => {}
                }
                Ok(())
            }
        }

        // Sorting and min/max of objects: `__lt__` (the checker requires one there).
        impl PartialOrd for #handle {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(if self.lt(other) {
                    std::cmp::Ordering::Less
                } else if other.lt(self) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                })
            }

            fn lt(&self, other: &Self) -> bool {
                match self.0.class {
                    #(#lt_arms)*
                    _ => runtime::object::special_failed(runtime::Exc::new(runtime::ExcKind::TypeError, format!("'<' not supported between instances of '{}' and '{}'", self.class_name(), other.class_name())), __FILE, __SOURCE),
                }
            }

            fn gt(&self, other: &Self) -> bool {
                other.lt(self)
            }
        }

        // Dict keys and set elements: CPython's hash of the object (see `ir::ObjectHash`).
        impl runtime::set::PyHash for #handle {
            fn py_hash(&self) -> i64 {
                match self.0.class {
                    #(#hash_arms)*
                    _ => 0,
                }
            }
        }

        impl std::hash::Hash for #handle {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                state.write_i64(runtime::set::PyHash::py_hash(self));
            }
        }

        impl Eq for #handle {}

        impl PartialEq for #handle {
            fn eq(&self, other: &Self) -> bool {
                match self.0.class {
                    #(#eq_arms)*
                    _ => runtime::object::Obj::ptr_eq(&self.0, &other.0),
                }
            }
        }
    }]
}

impl FnGen<'_> {
    /// The expressions about objects: construction, fields, class tests, raising one.
    pub(crate) fn object_expr(&mut self, e: &Expr) -> TokenStream {
        match &e.kind {
            ExprKind::IsNone { value, negated } if matches!(value.kind, ExprKind::Field { checked: false, .. }) => {
                // Looks into the field without taking a reference to its object.
                let ExprKind::Field { base, slot, .. } = &value.kind else { return quote!() };
                let field = slot_field(*slot);
                let object = self.expr_ref(base);
                let test = quote!((#object).0.#field.holds_none());
                if *negated {
                    quote!((!#test))
                } else {
                    test
                }
            }
            ExprKind::New { class, init, args } => {
                let alias = names::class(*class);
                let name = names::function_of(&self.module.functions[init.0 as usize]);
                let borrowed = &self.facts.function(*init).borrowed;
                let object = self.fresh("new");
                let receiver = if borrowed[0] { quote!(&#object) } else { quote!(#object.clone()) };
                let args: Vec<TokenStream> = args
                    .iter()
                    .enumerate()
                    .map(|(i, a)| if borrowed[i + 1] { self.expr_ref(a) } else { self.expr(a) })
                    .collect();
                // CPython evaluates the arguments before it creates the object.
                let temps: Vec<proc_macro2::Ident> = (0..args.len()).map(|_| self.fresh("arg")).collect();
                let call = self.raising(e, quote!(#name(#receiver, #(#temps),*)));
                quote!({ #(let #temps = #args;)* let #object = #alias::alloc(#class); #call; #object })
            }
            ExprKind::Alloc { class } => {
                let alias = names::class(*class);
                quote!(#alias::alloc(#class))
            }
            ExprKind::Field { base, slot, name, checked } => {
                let field = slot_field(*slot);
                let object = self.expr_ref(base);
                if *checked {
                    let held = self.fresh("obj");
                    self.raising(e, quote!({ let #held = #object; #held.0.#field.get(#held.class_name(), #name) }))
                } else {
                    quote!((#object).0.#field.get())
                }
            }
            ExprKind::ExceptionOf { value, args } => {
                // The message a traceback shows is `str(e)`: the class's `__str__`, or the
                // message its constructor was given; `repr(e)` and `e.args` show the argument.
                let field = slot_field(*args);
                let object = self.expr(value);
                let held = self.fresh("exc_object");
                quote!({
                    let #held = #object;
                    runtime::Exc::user(
                        runtime::ExcKind::User(#held.0.class),
                        &runtime::repr::PyRepr::to_py_str(&#held),
                        &(&#held).0.#field.get(),
                        #held.clone(),
                        runtime::object::Obj::as_ptr(&#held.0),
                    )
                })
            }
            ExprKind::IsInstance { value, classes } => {
                let object = self.expr_ref(value);
                quote!(matches!((#object).0.class, #(#classes)|*))
            }
            _ => quote!(),
        }
    }
}
