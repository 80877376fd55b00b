//! Running rustc on generated code: one direct invocation per program against the prebuilt
//! runtime rlib (no cargo project per script, which would add latency and lock contention).
//! A failure that comes from reading the runtime (invalid metadata, a missing crate, a linker
//! error in one of its files) is told apart from rejected generated code, so the driver can
//! rebuild a damaged runtime instead of reporting a pyrsc bug.

use std::path::Path;
use std::process::Command;

use super::cache::{publish, Cache};
use super::manifest;
use super::runtime_build::RuntimeArtifacts;
use super::BuildError;

/// Code generation settings for user programs; part of the cache key.
pub const PROFILE: &str = "opt-level=3;codegen-units=1;panic=unwind;strip=symbols";
/// `--debug`: no optimisation, for the fastest build (the runtime stays optimised).
pub const DEBUG_PROFILE: &str = "opt-level=0;codegen-units=16;panic=unwind;strip=symbols";

/// The optimisation flags of a profile.
fn profile_flags(profile: &str) -> [&'static str; 4] {
    if profile == DEBUG_PROFILE {
        ["-C", "opt-level=0", "-C", "codegen-units=16"]
    } else {
        ["-C", "opt-level=3", "-C", "codegen-units=1"]
    }
}

/// The rustc that builds both the runtime and the programs.
pub struct Toolchain {
    pub rustc: String,
    pub cargo: String,
    /// `rustc -vV` output: identifies the compiler in cache keys.
    pub version: String,
}

impl Toolchain {
    pub fn detect() -> Result<Toolchain, BuildError> {
        let rustc = std::env::var("PYRSC_RUSTC").unwrap_or_else(|_| "rustc".to_owned());
        let cargo = std::env::var("PYRSC_CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let output = Command::new(&rustc).arg("-vV").output().map_err(|err| {
            BuildError::Environment(format!(
                "cannot run `{rustc}`: {err}. pyrsc needs a Rust toolchain: install it with rustup (https://rustup.rs)"
            ))
        })?;
        if !output.status.success() {
            return Err(BuildError::Environment(format!(
                "`{rustc} -vV` failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        Ok(Toolchain { rustc, cargo, version: String::from_utf8_lossy(&output.stdout).into_owned() })
    }
}

/// What rustc produces.
#[derive(Clone, Copy)]
pub enum Artefact<'a> {
    /// `entry/program`.
    Executable,
    /// `entry/<name><ext_suffix>`, a shared library CPython imports as `name`.
    Extension { name: &'a str, ext_suffix: &'a str },
}

/// Why rustc produced nothing.
pub enum Failure {
    /// rustc could not read the runtime's files (`reason`: its first error line); `error` is
    /// what to report if a rebuilt runtime does not help.
    RuntimeUnreadable { reason: String, error: BuildError },
    /// Anything else (generated code rejected, rustc missing, I/O).
    Other(BuildError),
}

impl Failure {
    pub fn into_error(self) -> BuildError {
        match self {
            Failure::RuntimeUnreadable { error, .. } | Failure::Other(error) => error,
        }
    }
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Failure {
        Failure::Other(error)
    }
}

/// rustc's errors when a crate file cannot be loaded: invalid or mismatched metadata, a crate
/// that is not found or not found as an rlib.
const CRATE_LOADING_ERRORS: &[&str] = &[
    "E0460",
    "E0461",
    "E0462",
    "E0463",
    "E0464",
    "E0514",
    "E0523",
    "E0786",
    "invalid metadata",
    "required to be available in rlib format",
];

/// The first error line of rustc's `stderr` that says a file of the runtime in `runtime_root`
/// could not be read: a crate-loading error, or an error line (the linker's, say) that names a
/// file in the runtime's entry.
pub fn runtime_read_error(stderr: &str, runtime_root: &Path) -> Option<String> {
    let root = runtime_root.to_string_lossy();
    stderr
        .lines()
        .filter(|line| line.contains("error:") || line.contains("error["))
        .find(|line| CRATE_LOADING_ERRORS.iter().any(|needle| line.contains(needle)) || line.contains(root.as_ref()))
        .map(|line| line.trim().to_owned())
}

/// Compiles generated Rust into the cache entry `entry`, with a manifest of the artefact.
#[allow(clippy::too_many_arguments)]
pub fn compile(
    toolchain: &Toolchain,
    runtime: &RuntimeArtifacts,
    rust: &str,
    profile: &str,
    artefact: Artefact,
    entry: &Path,
    cache: &Cache,
    display: &str,
) -> Result<(), Failure> {
    let staging = cache.staging_dir(entry)?;
    let source_path = staging.path().join("program.rs");
    std::fs::write(&source_path, rust)
        .map_err(|err| BuildError::Io(format!("cannot write {}: {err}", source_path.display())))?;
    let (crate_type, crate_name, output_name) = match artefact {
        Artefact::Executable => ("bin", "program", "program".to_owned()),
        Artefact::Extension { name, ext_suffix } => ("cdylib", name, format!("{name}{ext_suffix}")),
    };
    let output = Command::new(&toolchain.rustc)
        .arg("--edition=2021")
        .arg(format!("--crate-type={crate_type}"))
        .arg(format!("--crate-name={crate_name}"))
        .args(profile_flags(profile))
        .args(["-C", "strip=symbols"])
        .args(["--cap-lints", "allow"])
        .arg("--extern")
        .arg(format!("runtime={}", runtime.rlib.display()))
        .arg("-L")
        .arg(format!("dependency={}", runtime.deps.display()))
        .arg(&source_path)
        .arg("-o")
        .arg(staging.path().join(&output_name))
        .output()
        .map_err(|err| BuildError::Environment(format!("cannot run `{}`: {err}", toolchain.rustc)))?;
    if !output.status.success() {
        let kept = cache.failed_dir(entry.file_name().and_then(|n| n.to_str()).unwrap_or("program"));
        let _ = std::fs::create_dir_all(&kept);
        let kept_file = kept.join("program.rs");
        let _ = std::fs::copy(&source_path, &kept_file);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first_lines: String = stderr.lines().take(30).collect::<Vec<_>>().join("\n");
        let error = BuildError::Internal(format!(
            "rustc rejected the code generated for {display}; the generated file is kept at {}\n{first_lines}",
            kept_file.display()
        ));
        return Err(match runtime_read_error(&stderr, &runtime.root) {
            Some(reason) => Failure::RuntimeUnreadable { reason, error },
            None => Failure::Other(error),
        });
    }
    manifest::record(staging.path(), &[output_name])?;
    Ok(publish(staging, entry)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_loading_errors_point_at_the_runtime() {
        let root = Path::new("/cache/runtime/abc");
        let truncated = "error[E0786]: found invalid metadata files for crate `runtime`\n  --> program.rs:17:5\n";
        assert_eq!(
            runtime_read_error(truncated, root).as_deref(),
            Some("error[E0786]: found invalid metadata files for crate `runtime`")
        );
        let not_rlib = "error: crate `rayon` required to be available in rlib format, but was not found in this form\n";
        assert!(runtime_read_error(not_rlib, root).is_some());
        let linker = "error: linking with `cc` failed: exit status: 1\n  = note: rust-lld: error: /cache/runtime/abc/target/release/libruntime.rlib(x.o): invalid symbol index\n";
        assert!(runtime_read_error(linker, root).is_some_and(|line| line.contains("invalid symbol index")));
    }

    #[test]
    fn errors_in_generated_code_are_not_blamed_on_the_runtime() {
        let root = Path::new("/cache/runtime/abc");
        let type_error = "error[E0308]: mismatched types\n --> program.rs:3:9\n";
        assert_eq!(runtime_read_error(type_error, root), None);
        let undefined = "error: linking with `cc` failed: exit status: 1\n  = note: \"cc\" \"/cache/runtime/abc/target/release/libruntime.rlib\"\n  = note: rust-lld: error: undefined symbol: missing\n";
        assert_eq!(runtime_read_error(undefined, root), None);
    }
}
