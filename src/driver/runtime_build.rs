//! Building the runtime crate once per pyrsc version, runtime source and toolchain.
//!
//! The runtime's sources travel inside the pyrsc binary (`build.rs` embeds them). On first use
//! they are written to the cache, built with `cargo build --release --offline` (the crates it
//! needs are already in cargo's local cache from installing pyrsc; if not, one online attempt
//! follows), and the exact rlib paths are read from cargo's JSON messages. The entry's
//! manifest records every file a program build reads from it; `ensure` checks them before each
//! use and rebuilds a damaged runtime, `rebuild` does so when rustc cannot read one whose
//! manifest still matches.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cache::{build_key, discard, lock_entry, publish, Cache, LAYOUT};
use super::manifest::{self, Damage};
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
    /// The runtime's cache entry (rustc errors that name files in it point at damage).
    pub root: PathBuf,
    /// When this build of the runtime was recorded (see `rebuild`).
    generation: Option<std::time::SystemTime>,
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

/// Names the runtime's rlib, relative to its entry.
const ARTIFACTS: &str = "artifacts.txt";

/// The runtime's cache entry for this toolchain and flavour.
fn entry_dir(cache: &Cache, toolchain: &Toolchain, python: Option<&PythonTarget>) -> PathBuf {
    let flavour = python.map(|p| p.identity.as_str()).unwrap_or("executable");
    let key = build_key(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        LAYOUT.as_bytes(),
        sources_digest().as_bytes(),
        toolchain.version.as_bytes(),
        flavour.as_bytes(),
    ]);
    cache.runtime_dir(&key)
}

/// What the runtime is called in messages.
fn describe(python: Option<&PythonTarget>) -> String {
    match python {
        None => "the runtime for this toolchain".to_owned(),
        Some(p) => format!("the extension-module runtime for {}", p.command),
    }
}

/// Returns the runtime for this toolchain, building it on first use. With `python`, the
/// runtime for extension modules of that interpreter (feature `python`: the CPython glue).
///
/// Every file rustc will read is checked against the entry's manifest first (sizes and times,
/// hashes where a time changed: see `manifest::Check::Stat`); a damaged entry is rebuilt, with
/// one line saying so. Concurrent callers build it once: the first takes the entry's lock, the
/// others wait for it and then use its result.
pub fn ensure(
    cache: &Cache,
    toolchain: &Toolchain,
    python: Option<&PythonTarget>,
    verbose: bool,
) -> Result<RuntimeArtifacts, BuildError> {
    let dir = entry_dir(cache, toolchain, python);
    if let Ok(artifacts) = load(&dir) {
        return Ok(artifacts);
    }
    let _lock = lock_entry(cache, &dir, || {
        eprintln!("pyrsc: waiting for another pyrsc process to finish building {}...", describe(python))
    })?;
    match load(&dir) {
        Ok(artifacts) => return Ok(artifacts),
        Err(Damage::Absent) => {
            eprintln!("pyrsc: building {} (first use only, about a minute on 2 cores)...", describe(python))
        }
        Err(Damage::Damaged(reason)) => {
            eprintln!(
                "pyrsc: the cached {} in {} is damaged ({reason}); rebuilding it (about a minute on 2 cores)...",
                describe(python).trim_start_matches("the "),
                dir.display()
            );
            discard(cache, &dir)?;
        }
    }
    build(cache, &dir, toolchain, python, verbose)
}

/// Rebuilds the runtime that rustc could not read (`reason`: its first error line) although
/// its manifest matched, unless another process has rebuilt it since `used` was loaded.
pub fn rebuild(
    cache: &Cache,
    toolchain: &Toolchain,
    python: Option<&PythonTarget>,
    verbose: bool,
    used: &RuntimeArtifacts,
    reason: &str,
) -> Result<RuntimeArtifacts, BuildError> {
    let dir = entry_dir(cache, toolchain, python);
    let _lock = lock_entry(cache, &dir, || {
        eprintln!("pyrsc: waiting for another pyrsc process to finish building {}...", describe(python))
    })?;
    if let Ok(artifacts) = load(&dir) {
        if artifacts.generation != used.generation {
            return Ok(artifacts);
        }
    }
    eprintln!(
        "pyrsc: rustc could not read the cached {} in {} ({reason}); rebuilding it (about a minute on 2 cores)...",
        describe(python).trim_start_matches("the "),
        dir.display()
    );
    discard(cache, &dir)?;
    build(cache, &dir, toolchain, python, verbose)
}

/// Builds the runtime into a staging directory, records its manifest and publishes it as `dir`
/// (the caller holds the entry's lock and has removed any damaged entry).
fn build(
    cache: &Cache,
    dir: &Path,
    toolchain: &Toolchain,
    python: Option<&PythonTarget>,
    verbose: bool,
) -> Result<RuntimeArtifacts, BuildError> {
    let staging = cache.staging_dir(dir)?;
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
    std::fs::write(root.join(ARTIFACTS), relative.to_string_lossy().as_bytes())
        .map_err(|err| BuildError::Io(format!("cannot write the runtime manifest: {err}")))?;
    manifest::record(root, &files_to_record(root)?)?;
    publish(staging, dir)?;
    load(dir).map_err(|damage| {
        BuildError::Internal(format!("the runtime just built in {} does not verify: {damage}", dir.display()))
    })
}

/// Where the rlib's dependencies are: cargo reports the rlib uplifted into `release/`, its
/// dependencies stay in `release/deps/`.
fn deps_dir(rlib: &Path) -> Option<PathBuf> {
    let parent = rlib.parent()?;
    Some(if parent.ends_with("deps") { parent.to_path_buf() } else { parent.join("deps") })
}

/// Every file a program build reads from the runtime entry `root`: the pointer to the rlib,
/// the rlib, and everything in its dependency directory but cargo's dep-info files.
fn files_to_record(root: &Path) -> Result<Vec<String>, BuildError> {
    let relative = std::fs::read_to_string(root.join(ARTIFACTS))
        .map_err(|err| BuildError::Io(format!("cannot read the runtime manifest: {err}")))?;
    let relative = relative.trim().to_owned();
    let mut files = vec![ARTIFACTS.to_owned(), relative.clone()];
    let deps = deps_dir(Path::new(&relative))
        .ok_or_else(|| BuildError::Internal(format!("cargo reported the runtime rlib at {relative}")))?;
    let listing = std::fs::read_dir(root.join(&deps))
        .map_err(|err| BuildError::Io(format!("cannot list {}: {err}", root.join(&deps).display())))?;
    let mut names: Vec<String> = listing
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| !name.ends_with(".d"))
        .collect();
    names.sort();
    for name in names {
        let path = format!("{}/{name}", deps.to_string_lossy());
        if path != relative {
            files.push(path);
        }
    }
    Ok(files)
}

/// The runtime in `dir`, if its manifest verifies.
fn load(dir: &Path) -> Result<RuntimeArtifacts, Damage> {
    manifest::verify(dir, &[ARTIFACTS], manifest::Check::Stat)?;
    let relative = std::fs::read_to_string(dir.join(ARTIFACTS))
        .map_err(|err| Damage::Damaged(format!("{ARTIFACTS} cannot be read: {err}")))?;
    let rlib = dir.join(relative.trim());
    let deps = deps_dir(&rlib).ok_or_else(|| Damage::Damaged(format!("{ARTIFACTS} names no rlib")))?;
    if !rlib.is_file() {
        return Err(Damage::Damaged(format!("{ARTIFACTS} names {}, which is missing", relative.trim())));
    }
    Ok(RuntimeArtifacts { rlib, deps, root: dir.to_path_buf(), generation: manifest::generation(dir) })
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
        command.arg("--features").arg("python").env("PYO3_PYTHON", &python.executable).env_remove("PYO3_CONFIG_FILE");
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
