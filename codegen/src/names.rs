//! Name mangling: the one place that decides the Rust identifier of every Python name, so that
//! Python names never collide with Rust keywords, prelude names, runtime paths or each other.

use proc_macro2::{Ident, Span};

/// Rust keywords and prelude names a Python identifier must not become.
const RESERVED: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become",
    "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
    "Some", "None", "Ok", "Err", "Option", "Result", "Vec", "String", "Box", "main", "runtime", "std", "core", "alloc",
    "drop", "FUNC", "_",
];

fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// A local variable or parameter: the Python name, unless that would collide.
pub fn local(name: &str) -> Ident {
    if let Some(index) = name.strip_prefix('$') {
        return ident(&format!("__t{index}"));
    }
    if RESERVED.contains(&name) || name.starts_with("__") {
        return ident(&format!("{name}_py"));
    }
    ident(name)
}

/// A user function.
pub fn function(name: &str) -> Ident {
    ident(&format!("py_{name}"))
}

/// The Rust function of an IR function: `py_<name>` for module functions, `pym<class>_<name>`
/// for methods (the dispatchers of overridden methods `pyd<class>_<name>`, property setters
/// `pys<class>_<name>`).
pub fn function_of(f: &pyrsc_frontend::ir::Function) -> Ident {
    match (f.method_of, f.dispatcher, f.setter) {
        (Some(class), false, false) => ident(&format!("pym{class}_{}", f.name)),
        (Some(class), false, true) => ident(&format!("pys{class}_{}", f.name)),
        (Some(class), true, false) => ident(&format!("pyd{class}_{}", f.name)),
        (Some(class), true, true) => ident(&format!("pyds{class}_{}", f.name)),
        (None, _, _) => function(&f.name),
    }
}

/// The type alias of user class `id` (the handle type of its hierarchy).
pub fn class(id: u32) -> Ident {
    ident(&format!("__C{id}"))
}

/// A module-level variable stored as a `static` or `const`.
pub fn global(name: &str) -> Ident {
    ident(&format!("G_{name}"))
}

/// Loop labels, numbered per function.
pub fn loop_label(n: usize) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'loop{n}"), Span::call_site())
}

pub fn block_label(n: usize) -> syn::Lifetime {
    syn::Lifetime::new(&format!("'done{n}"), Span::call_site())
}

/// Inside a nested function: its handle to the enclosing function's cell for `name`.
pub fn free(name: &str) -> Ident {
    ident(&format!("free_{name}"))
}
