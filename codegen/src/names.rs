//! Name mangling: the one place that decides the Rust identifier of every Python name, so that
//! Python names never collide with Rust keywords, prelude names, pyrsc's own names or each other.
//!
//! The scheme keeps two namespaces apart by one rule: **every name pyrsc makes up contains
//! `__`, and a Python local's name never does**.
//! - A Python local or parameter keeps its name unless it contains `__` or is reserved (a Rust
//!   keyword, a prelude or crate name): then it becomes `u__<name>`.
//! - pyrsc's names are `<tag>__<rest>`, where the tag has no underscore (so the first `__` ends
//!   it and every tag has its own space): its own locals and consts `__<stem>` (empty tag:
//!   `__acc`, `__t3` for the checker's hidden `$3`, `__FILE`, `__FUNC`, `__module_body`),
//!   module variables `g__<name>`, functions `f__<name>`, methods `m<class>__<name>` (setters
//!   `s`, dispatchers `d`, dispatching setters `ds`), a nested function's handle on a cell
//!   `free__<name>`, escaped Python locals `u__<name>`, and `x__<hex>` for a text that is no
//!   identifier at all (never produced from a program the front end accepts).
//!
//! So a Python local `G_x`, `SOURCE` or `f__sq` beside a module variable `x` and a function
//! `sq` never shadows them, whatever the names.

use proc_macro2::{Ident, Span};

/// Rust keywords, prelude and crate names a Python local must not become.
const RESERVED: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
    "Some", "None", "Ok", "Err", "Option", "Result", "Vec", "String", "Box", "main", "runtime", "std", "core", "alloc",
    "drop", "_",
];

/// `text` as an identifier. The front end accepts only names CPython accepts, which Rust
/// accepts too; anything else (it would be a front-end bug) is spelled in hex rather than
/// making `Ident::new` panic.
fn ident(text: &str) -> Ident {
    if syn::parse_str::<Ident>(text).is_ok() {
        return Ident::new(text, Span::call_site());
    }
    let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
    Ident::new(&format!("x__{hex}"), Span::call_site())
}

/// A local variable or parameter: the Python name, unless that could collide (then escaped).
pub fn local(name: &str) -> Ident {
    if let Some(index) = name.strip_prefix('$') {
        return ident(&format!("__t{index}"));
    }
    if RESERVED.contains(&name) || name.contains("__") {
        return ident(&format!("u__{name}"));
    }
    ident(name)
}

/// A module function.
pub fn function(name: &str) -> Ident {
    ident(&format!("f__{name}"))
}

/// The Rust function of an IR function: `f__<name>` for module functions, `m<class>__<name>`
/// for methods (the dispatchers of overridden methods `d<class>__<name>`, property setters
/// `s<class>__<name>`).
pub fn function_of(f: &pyrsc_frontend::ir::Function) -> Ident {
    match (f.method_of, f.dispatcher, f.setter) {
        (Some(class), false, false) => ident(&format!("m{class}__{}", f.name)),
        (Some(class), false, true) => ident(&format!("s{class}__{}", f.name)),
        (Some(class), true, false) => ident(&format!("d{class}__{}", f.name)),
        (Some(class), true, true) => ident(&format!("ds{class}__{}", f.name)),
        (None, _, _) => function(&f.name),
    }
}

/// The type alias of user class `id` (the handle type of its hierarchy; types have a namespace
/// of their own).
pub fn class(id: u32) -> Ident {
    ident(&format!("__C{id}"))
}

/// A module-level variable stored as a `static` or `const`.
pub fn global(name: &str) -> Ident {
    ident(&format!("g__{name}"))
}

/// Loop labels, numbered per function (lifetimes: a namespace of their own).
pub fn loop_label(n: usize) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'loop{n}"), Span::call_site())
}

pub fn block_label(n: usize) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'done{n}"), Span::call_site())
}

/// Inside a nested function: its handle to the enclosing function's cell for `name`.
pub fn free(name: &str) -> Ident {
    ident(&format!("free__{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_locals_never_meet_pyrsc_names() {
        // Python names that spell pyrsc's own names keep out of their way.
        for (python, rust) in [
            ("G_x", "G_x"),
            ("SOURCE", "SOURCE"),
            ("FILE", "FILE"),
            ("g__x", "u__g__x"),
            ("f__sq", "u__f__sq"),
            ("__acc", "u____acc"),
            ("__init__", "u____init__"),
            ("free__n", "u__free__n"),
            ("u__x", "u__u__x"),
            ("runtime", "u__runtime"),
            ("x", "x"),
            ("_private", "_private"),
        ] {
            assert_eq!(local(python).to_string(), rust);
        }
        assert_eq!(global("x").to_string(), "g__x");
        assert_eq!(function("x").to_string(), "f__x");
        assert_eq!(local("$3").to_string(), "__t3");
        // Not an identifier at all: spelled in hex instead of panicking.
        assert_eq!(local("😀").to_string(), "x__f09f9880");
    }
}
