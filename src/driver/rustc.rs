//! Running rustc on generated code: one direct invocation per program against the prebuilt
//! runtime rlib (no cargo project per script, which would add latency and lock contention).

use std::path::Path;
use std::process::Command;

use super::cache::{publish, Cache};
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
pub enum Artefact<'a> {
    /// `entry/program`.
    Executable,
    /// `entry/<name><ext_suffix>`, a shared library CPython imports as `name`.
    Extension { name: &'a str, ext_suffix: &'a str },
}

/// Compiles generated Rust into the cache entry `entry`.
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
) -> Result<(), BuildError> {
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
        .arg(staging.path().join(output_name))
        .output()
        .map_err(|err| BuildError::Environment(format!("cannot run `{}`: {err}", toolchain.rustc)))?;
    if !output.status.success() {
        let kept = cache.failed_dir(entry.file_name().and_then(|n| n.to_str()).unwrap_or("program"));
        let _ = std::fs::create_dir_all(&kept);
        let kept_file = kept.join("program.rs");
        let _ = std::fs::copy(&source_path, &kept_file);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first_lines: String = stderr.lines().take(30).collect::<Vec<_>>().join("\n");
        return Err(BuildError::Internal(format!(
            "rustc rejected the code generated for {display}; the generated file is kept at {}\n{first_lines}",
            kept_file.display()
        )));
    }
    publish(staging, entry)
}
