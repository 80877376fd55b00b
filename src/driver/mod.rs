//! The build driver: Python file → checked IR → Rust source → rustc → artefact, with a
//! content-addressed cache so that an unchanged program is a copy.
//!
//! `runtime_build` compiles the runtime crate once per pyrsc version and toolchain;
//! `cache` owns the cache directory, keys and locks; `manifest` records and checks what each
//! entry holds; `rustc` runs the compiler on generated code.
//!
//! A cache hit is an entry whose manifest verifies (the artefact's size and SHA-256: about
//! 0.6 ms per MB); a damaged entry is rebuilt with one line on stderr saying so.

pub mod cache;
pub mod manifest;
pub mod python;
pub mod runtime_build;
pub mod rustc;

use std::path::{Path, PathBuf};

use manifest::Damage;
use pyrsc_frontend::{Diagnostic, FrontendError, Target};

/// Why a build did not produce an artefact.
#[derive(Debug)]
pub enum BuildError {
    /// The program is rejected: render these.
    Diagnostics { path: String, source: String, diagnostics: Vec<Diagnostic> },
    /// Reading the source or writing the output failed.
    Io(String),
    /// A tool pyrsc needs (rustc, cargo) failed or is missing.
    Environment(String),
    /// A pyrsc bug: generated code was rejected, or the IR broke its contract.
    Internal(String),
}

impl BuildError {
    pub fn exit_code(&self) -> i32 {
        match self {
            BuildError::Diagnostics { .. } => 1,
            BuildError::Io(_) => 2,
            BuildError::Environment(_) | BuildError::Internal(_) => 3,
        }
    }

    /// The text shown to the user.
    pub fn render(&self, color: bool) -> String {
        match self {
            BuildError::Diagnostics { path, source, diagnostics } => {
                let mut out = String::new();
                for diagnostic in diagnostics {
                    out.push_str(&diagnostic.render(path, source, color));
                    out.push('\n');
                }
                let count = diagnostics.len();
                out.push_str(&format!("error: {path}: {count} error{} found; nothing was built\n", if count == 1 { "" } else { "s" }));
                out
            }
            BuildError::Io(message) => format!("error: {message}\n"),
            BuildError::Environment(message) => format!("error: {message}\n"),
            BuildError::Internal(message) => format!(
                "internal error: {message}\nThis is a bug in pyrsc, not in your program; please report it with the file named above.\n"
            ),
        }
    }
}

/// A source file read and identified.
pub struct Source {
    /// As given on the command line (for diagnostics).
    pub display: String,
    /// Absolute path (embedded for tracebacks, as CPython prints it).
    pub absolute: PathBuf,
    pub text: String,
}

impl Source {
    pub fn read(path: &Path) -> Result<Source, BuildError> {
        let text = std::fs::read_to_string(path)
            .map_err(|err| BuildError::Io(format!("cannot read {}: {err}", path.display())))?;
        let absolute = std::path::absolute(path)
            .map_err(|err| BuildError::Io(format!("cannot resolve {}: {err}", path.display())))?;
        Ok(Source { display: path.display().to_string(), absolute, text })
    }
}

/// Front end only, for `target`: diagnostics or the checked program (typed IR and facts).
pub fn check_for(source: &Source, target: &Target) -> Result<pyrsc_frontend::Program, BuildError> {
    let absolute = source.absolute.to_string_lossy();
    let mut program = pyrsc_frontend::compile(&source.display, &source.text, target).map_err(|err| match err {
        FrontendError::Diagnostics(diagnostics) => {
            BuildError::Diagnostics { path: source.display.clone(), source: source.text.clone(), diagnostics }
        }
        FrontendError::Internal(message) => {
            BuildError::Internal(format!("the typed IR of {} is inconsistent: {message}", source.display))
        }
    })?;
    // Tracebacks name the file by its absolute path, as CPython's do.
    program.module.path = absolute.into_owned();
    Ok(program)
}

/// Front end and code generation: the Rust source of the program.
pub fn emit(source: &Source) -> Result<String, BuildError> {
    emit_for(source, &Target::Executable)
}

/// Front end and code generation for `target`.
pub fn emit_for(source: &Source, target: &Target) -> Result<String, BuildError> {
    let program = check_for(source, target)?;
    pyrsc_codegen::generate(&program)
        .map_err(|message| BuildError::Internal(format!("code generation failed for {}: {message}", source.display)))
}

/// Builds an executable for `source` and returns the path of the cached binary.
pub fn build_executable(source: &Source, debug: bool, verbose: bool) -> Result<PathBuf, BuildError> {
    let profile = if debug { rustc::DEBUG_PROFILE } else { rustc::PROFILE };
    let cache = cache::Cache::open()?;
    let toolchain = rustc::Toolchain::detect()?;
    let key = cache::build_key(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        cache::compiler_identity().as_bytes(),
        cache::LAYOUT.as_bytes(),
        toolchain.version.as_bytes(),
        runtime_build::sources_digest().as_bytes(),
        source.absolute.to_string_lossy().as_bytes(),
        source.text.as_bytes(),
        profile.as_bytes(),
    ]);
    let entry = cache.build_dir(&key);
    cached(&cache, &entry, "program", &source.display, || {
        // Diagnostics come before anything slow, so a rejected program never waits for rustc.
        let rust = emit(source)?;
        let build = Build { cache: &cache, toolchain: &toolchain, python: None, verbose, entry: &entry };
        build.compile(&rust, profile, rustc::Artefact::Executable, &source.display)
    })
}

/// `entry/file` if the entry verifies; otherwise `build` fills the entry (under its lock, so
/// concurrent builds of one program compile it once) and a damaged entry is first removed,
/// with one line on stderr saying so.
fn cached(
    cache: &cache::Cache,
    entry: &Path,
    file: &str,
    display: &str,
    build: impl FnOnce() -> Result<(), BuildError>,
) -> Result<PathBuf, BuildError> {
    let artefact = entry.join(file);
    if manifest::verify(entry, &[file], manifest::Check::Hash).is_ok() {
        return Ok(artefact);
    }
    let _lock = cache::lock_entry(cache, entry, || {})?;
    match manifest::verify(entry, &[file], manifest::Check::Hash) {
        Ok(()) => return Ok(artefact),
        Err(Damage::Absent) => {}
        Err(Damage::Damaged(reason)) => {
            eprintln!("pyrsc: the cached build of {display} is damaged ({reason}); rebuilding it");
            cache::discard(cache, entry)?;
        }
    }
    build()?;
    Ok(artefact)
}

/// One program build against the runtime of its flavour.
struct Build<'a> {
    cache: &'a cache::Cache,
    toolchain: &'a rustc::Toolchain,
    python: Option<&'a python::PythonTarget>,
    verbose: bool,
    entry: &'a Path,
}

impl Build<'_> {
    /// Compiles `rust` into the entry; if rustc cannot read the runtime (damaged although its
    /// manifest matched), rebuilds the runtime once and tries again.
    fn compile(&self, rust: &str, profile: &str, artefact: rustc::Artefact, display: &str) -> Result<(), BuildError> {
        let runtime = runtime_build::ensure(self.cache, self.toolchain, self.python, self.verbose)?;
        let run = |runtime: &runtime_build::RuntimeArtifacts| {
            rustc::compile(self.toolchain, runtime, rust, profile, artefact, self.entry, self.cache, display)
        };
        match run(&runtime) {
            Ok(()) => Ok(()),
            Err(rustc::Failure::RuntimeUnreadable { reason, .. }) => {
                let runtime =
                    runtime_build::rebuild(self.cache, self.toolchain, self.python, self.verbose, &runtime, &reason)?;
                run(&runtime).map_err(rustc::Failure::into_error)
            }
            Err(rustc::Failure::Other(error)) => Err(error),
        }
    }
}

/// The module name of `source`: its file stem, which must be a Python identifier.
pub fn module_name(source: &Source) -> Result<String, BuildError> {
    let stem = source.absolute.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let valid = stem.chars().next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && stem.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    if valid {
        Ok(stem)
    } else {
        Err(BuildError::Io(format!(
            "`{stem}` is not a valid module name: rename {} to an ASCII identifier (letters, digits, `_`)",
            source.display
        )))
    }
}

/// Builds an extension module for `source` and the interpreter `python`; returns the cached
/// shared library (named `<module><EXT_SUFFIX>`).
pub fn build_extension(source: &Source, python: &str, debug: bool, verbose: bool) -> Result<PathBuf, BuildError> {
    let profile = if debug { rustc::DEBUG_PROFILE } else { rustc::PROFILE };
    let name = module_name(source)?;
    let cache = cache::Cache::open()?;
    let toolchain = rustc::Toolchain::detect()?;
    let target = python::PythonTarget::detect(python)?;
    let key = cache::build_key(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        cache::compiler_identity().as_bytes(),
        cache::LAYOUT.as_bytes(),
        toolchain.version.as_bytes(),
        runtime_build::sources_digest().as_bytes(),
        target.identity.as_bytes(),
        source.absolute.to_string_lossy().as_bytes(),
        source.text.as_bytes(),
        profile.as_bytes(),
    ]);
    let entry = cache.build_dir(&key);
    let file = format!("{name}{}", target.ext_suffix);
    cached(&cache, &entry, &file, &source.display, || {
        let rust = emit_for(source, &Target::Extension { name: name.clone() })?;
        let build = Build { cache: &cache, toolchain: &toolchain, python: Some(&target), verbose, entry: &entry };
        let artefact = rustc::Artefact::Extension { name: &name, ext_suffix: &target.ext_suffix };
        build.compile(&rust, profile, artefact, &source.display)
    })
}
