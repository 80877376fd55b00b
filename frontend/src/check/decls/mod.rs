//! The declaration layer of the checker: what the module declares, worked out from the syntax
//! before any body is checked — module names and imports, function signatures, the class table
//! (fields, methods, `@dataclass`'s generated methods), annotations, which attributes a
//! statement may assign, docstrings — plus the names Python defines without a declaration.
//!
//! Layering: this layer depends on the syntax tree, the types and the builtins table only; it
//! never sees the `Checker` (the bodies layer, `check/*.rs`), which reads it through
//! `ModuleScope`. `tests/tidy.rs` keeps it that way.

pub mod annotation;
pub mod class_fields;
pub mod classes;
pub mod dataclass;
pub mod docs;
pub mod field_stores;
pub mod names;
pub mod scope;
