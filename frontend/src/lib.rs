//! pyrsc front end: Python source → typed IR, or diagnostics.
//!
//! Pipeline (one module per stage):
//! 1. [`lower`]: parse with `rustpython-parser` and lower to pyrsc's own [`syntax`] tree,
//!    rejecting unsupported constructs;
//! 2. [`check`]: resolve names, infer and check types, produce the typed [`ir`];
//! 3. [`parallel`]: the prange race analysis (plans for parallel loops, or race diagnostics);
//! 4. [`effects`]: decide which functions can raise;
//! 5. [`verify`]: assert the IR contract (no unknown types, equal operand types, valid ids).
//!
//! Invariant: no function here panics on user input; every problem is a [`Diagnostic`].

pub mod builtins;
pub mod check;
pub mod diagnostic;
pub mod effects;
pub mod exports;
mod exports_mutation;
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
pub fn compile_source(path: &str, source: &str) -> Result<ir::Module, FrontendError> {
    compile(path, source, &Target::Executable)
}

/// Parses and checks one Python file for `target`.
pub fn compile(path: &str, source: &str, target: &Target) -> Result<ir::Module, FrontendError> {
    let (syntax, mut diagnostics) = lower::parse_module(source, path).map_err(FrontendError::Diagnostics)?;
    let module_name = match target {
        Target::Executable => "__main__",
        Target::Extension { name } => name.as_str(),
    };
    let checked = check::check_module(&syntax, path, source, module_name);
    let mut module = match checked {
        Ok(module) if diagnostics.is_empty() => module,
        Ok(_) => return Err(FrontendError::Diagnostics(diagnostics)),
        Err(more) => {
            diagnostics.extend(more);
            diagnostics.sort_by_key(|d| (d.span.start, d.span.end));
            diagnostics.dedup();
            return Err(FrontendError::Diagnostics(diagnostics));
        }
    };
    if let Target::Extension { name } = target {
        exports::collect(&syntax, &mut module, name, source).map_err(FrontendError::Diagnostics)?;
    }
    parallel::analyze(&mut module).map_err(FrontendError::Diagnostics)?;
    effects::compute_can_raise(&mut module);
    verify::verify(&module).map_err(FrontendError::Internal)?;
    Ok(module)
}
