//! Building the runtime crate once per pyrsc version, runtime source and toolchain.
//!
//! The runtime's sources travel inside the pyrsc binary (`build.rs` embeds them). On first use
//! they are written to the cache, built with `cargo build --release --offline` (the crates it
//! needs are already in cargo's local cache from installing pyrsc; if not, one online attempt
//! follows), and the exact rlib paths are read from cargo's JSON messages.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cache::{build_key, publish, Cache};
use super::python::PythonTarget;
use super::rustc::Toolchain;
use super::BuildError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/runtime_files.rs"));
}

/// The prebuilt runtime a program links against.
pub struct RuntimeArtifacts {
    pub rlib: PathBuf,
    pub deps: PathBuf,
}

/// Digest of the embedded runtime sources and lock file.
pub fn sources_digest() -> String {
    let mut parts: Vec<&[u8]> = Vec::new();
    for (path, text) in embedded::RUNTIME_FILES {
        parts.push(path.as_bytes());
        parts.push(text.as_bytes());
    }
    parts.push(embedded::CARGO_LOCK.as_bytes());
    build_key(&parts)
}

const MANIFEST: &str = "artifacts.txt";

/// Returns the runtime for this toolchain, building it on first use. With `python`, the
/// runtime for extension modules of that interpreter (feature `python`: the CPython glue).
pub fn ensure(
    cache: &Cache,
    toolchain: &Toolchain,
    python: Option<&PythonTarget>,
    verbose: bool,
) -> Result<RuntimeArtifacts, BuildError> {
    let flavour = python.map(|p| p.identity.as_str()).unwrap_or("executable");
    let key = build_key(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        sources_digest().as_bytes(),
        toolchain.version.as_bytes(),
        flavour.as_bytes(),
    ]);
    let dir = cache.runtime_dir(&key);
    if let Some(artifacts) = read_manifest(&dir) {
        return Ok(artifacts);
    }
    match python {
        None => {
            eprintln!("pyrsc: building the runtime for this toolchain (first use only, about a minute on 2 cores)...")
        }
        Some(p) => eprintln!(
            "pyrsc: building the extension-module runtime for {} (first use only, about a minute on 2 cores)...",
            p.command
        ),
    }
    let staging = cache.staging_dir(&dir)?;
    let root = staging.path();
    for (path, text) in embedded::RUNTIME_FILES {
        let target = root.join("crate").join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|err| BuildError::Io(format!("cannot create {}: {err}", parent.display())))?;
        }
        // A workspace of its own, so cargo never looks for one in the directories above the cache.
        let contents = if *path == "Cargo.toml" { format!("{text}\n[workspace]\n") } else { (*text).to_owned() };
        std::fs::write(&target, contents)
            .map_err(|err| BuildError::Io(format!("cannot write {}: {err}", target.display())))?;
    }
    std::fs::write(root.join("crate").join("Cargo.lock"), embedded::CARGO_LOCK)
        .map_err(|err| BuildError::Io(format!("cannot write the runtime lock file: {err}")))?;
    let rlib = match cargo_build(toolchain, root, python, true, verbose) {
        Ok(rlib) => rlib,
        Err(offline_error) => {
            eprintln!("pyrsc: the offline runtime build failed; trying once with network access");
            cargo_build(toolchain, root, python, false, verbose)
                .map_err(|err| BuildError::Environment(format!("{offline_error}\n{err}")))?
        }
    };
    let relative = rlib.strip_prefix(root).map(Path::to_path_buf).unwrap_or(rlib);
    std::fs::write(root.join(MANIFEST), relative.to_string_lossy().as_bytes())
        .map_err(|err| BuildError::Io(format!("cannot write the runtime manifest: {err}")))?;
    publish(staging, &dir)?;
    read_manifest(&dir)
        .ok_or_else(|| BuildError::Internal(format!("the runtime build in {} left no rlib", dir.display())))
}

fn read_manifest(dir: &Path) -> Option<RuntimeArtifacts> {
    let relative = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let rlib = dir.join(relative.trim());
    // Cargo reports the rlib uplifted into `release/`; its dependencies stay in `release/deps/`.
    let parent = rlib.parent()?;
    let deps = if parent.ends_with("deps") { parent.to_path_buf() } else { parent.join("deps") };
    rlib.is_file().then_some(RuntimeArtifacts { rlib, deps })
}

/// Runs cargo and returns the runtime rlib it reports.
fn cargo_build(
    toolchain: &Toolchain,
    root: &Path,
    python: Option<&PythonTarget>,
    offline: bool,
    verbose: bool,
) -> Result<PathBuf, String> {
    let mut command = Command::new(&toolchain.cargo);
    command
        .arg("build")
        .arg("--release")
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(root.join("crate").join("Cargo.toml"))
        .arg("--target-dir")
        .arg(root.join("target"))
        .env("RUSTC", &toolchain.rustc)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::piped())
        // Cargo's progress lines are the progress report of this one-time build; `--verbose`
        // adds cargo's full command lines.
        .stderr(Stdio::inherit());
    if verbose {
        command.arg("--verbose");
    }
    if let Some(python) = python {
        // pyo3-ffi's build script reads the interpreter's configuration (version, ABI).
        command.arg("--features").arg("python").env("PYO3_PYTHON", &python.command).env_remove("PYO3_CONFIG_FILE");
    }
    if offline {
        command.arg("--offline");
    }
    let mut child = command.spawn().map_err(|err| format!("cannot run `{}`: {err}", toolchain.cargo))?;
    let mut rlib = None;
    if let Some(stdout) = child.stdout.take() {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            let Ok(message) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
            if message["reason"] != "compiler-artifact" || message["target"]["name"] != "runtime" {
                continue;
            }
            if let Some(files) = message["filenames"].as_array() {
                rlib = files.iter().filter_map(|f| f.as_str()).find(|f| f.ends_with(".rlib")).map(PathBuf::from);
            }
        }
    }
    let status = child.wait().map_err(|err| format!("cargo did not finish: {err}"))?;
    if !status.success() {
        return Err(format!("building the pyrsc runtime with cargo failed ({status})"));
    }
    rlib.ok_or_else(|| "cargo built the runtime but reported no rlib".to_owned())
}
