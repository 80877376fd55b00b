//! pyrsc front end: Python source → typed IR, or diagnostics.
//!
//! Pipeline (one module per stage):
//! 1. [`lower`]: parse with `rustpython-parser` and lower to pyrsc's own [`syntax`] tree,
//!    rejecting unsupported constructs;
//! 2. [`check`]: resolve names, infer and check types, produce the typed [`ir`];
//! 3. [`facts`]: everything code generation needs to know beyond the IR, computed once
//!    (which functions can raise, loop views, the prange race analysis in [`parallel`], ...);
//! 4. [`exports`]: for an extension module, what it exports;
//! 5. [`verify`]: assert the IR contract and the facts (types, valid ids, raising calls).
//!
//! Invariant: no function here panics on user input; every problem is a [`Diagnostic`].

pub mod builtins;
pub mod check;
pub mod diagnostic;
pub mod exports;
pub mod facts;
pub mod format_spec;
pub mod ir;
pub mod lower;
pub mod parallel;
mod parallel_body;
mod parallel_order;
mod parallel_slots;
pub mod span;
pub mod syntax;
pub mod types;
pub mod verify;
pub mod visit;

pub use diagnostic::{Code, Diagnostic};

/// Why a source file did not become IR.
#[derive(Debug)]
pub enum FrontendError {
    /// The program is rejected; each diagnostic names a line and says what to write instead.
    Diagnostics(Vec<Diagnostic>),
    /// The IR broke its own contract: a pyrsc bug, not the user's.
    Internal(String),
}

/// What a file is compiled into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A program: `__name__` is `"__main__"`.
    Executable,
    /// An extension module imported as `name` (`__name__` is `name`); its public functions and
    /// constants are exported.
    Extension { name: String },
}

/// Parses and checks one Python file as a program. `path` is shown in diagnostics and
/// tracebacks.
pub fn compile_source(path: &str, source: &str) -> Result<Program, FrontendError> {
    compile(path, source, &Target::Executable)
}

/// A checked program: its IR, the facts computed about it, and for an extension module what
/// it exports. Code generation reads these and computes nothing of its own.
#[derive(Debug)]
pub struct Program {
    pub module: ir::Module,
    pub facts: facts::Facts,
    /// Set when the file is compiled as an extension module.
    pub extension: Option<ir::Extension>,
}

/// Parses and checks one Python file for `target`.
pub fn compile(path: &str, source: &str, target: &Target) -> Result<Program, FrontendError> {
    let (syntax, mut diagnostics) = lower::parse_module(source, path).map_err(FrontendError::Diagnostics)?;
    let module = match check::check_module(&syntax, path, source, target) {
        Ok(module) if diagnostics.is_empty() => module,
        Ok(_) => return Err(FrontendError::Diagnostics(diagnostics)),
        Err(more) => {
            diagnostics.extend(more);
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
            diagnostics.dedup();
            return Err(FrontendError::Diagnostics(diagnostics));
        }
    };
    let facts = facts::Facts::compute(&module).map_err(FrontendError::Diagnostics)?;
    let extension = match target {
        Target::Extension { name } => {
            Some(exports::collect(&module, &facts, name).map_err(FrontendError::Diagnostics)?)
        }
        Target::Executable => None,
    };
    verify::verify(&module, &facts).map_err(FrontendError::Internal)?;
    Ok(Program { module, facts, extension })
}
