//! Cache integrity, end to end through the `pyrsc` binary: a damaged or missing cached program,
//! runtime rlib or runtime metadata is rebuilt with one line on stderr saying so, and the
//! program then runs correctly; four builds started at once on an empty cache build the runtime
//! once.
//!
//! A runtime build takes about a minute on 2 cores, so the suite builds as few as it can: the
//! concurrency test's cache is built once and serves as a template, and every other test starts
//! from a copy of its `runtime/` directory (times kept, as `cp -a` would) in a fresh
//! `PYRSC_CACHE_DIR`. Only the three tests that damage the runtime build it again.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn pyrsc(cache: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyrsc"))
        .args(args)
        .env("PYRSC_CACHE_DIR", cache)
        .env_remove("PYRSC_RUSTC")
        .env_remove("PYRSC_CARGO")
        .output()
        .expect("run pyrsc")
}

/// Writes a small program that prints `tag`-dependent output; returns its path and that output.
fn program(dir: &Path, name: &str, tag: u32) -> (PathBuf, String) {
    let source = dir.join(format!("{name}.py"));
    let text = format!(
        "def total(n: int) -> int:\n    s: int = 0\n    for i in range(n):\n        s += i * {tag}\n    return s\n\n\nprint('{name}', total(10))\n"
    );
    std::fs::write(&source, text).expect("write program");
    (source, format!("{name} {}\n", 45 * tag))
}

/// `pyrsc build SOURCE -o OUTPUT`, then runs OUTPUT: the build's stderr, and an error unless the
/// build succeeded and the program printed `expected`.
fn build_and_run(cache: &Path, source: &Path, expected: &str) -> Result<String, String> {
    let output = source.with_extension("bin");
    let build = pyrsc(cache, &["build".as_ref(), source.as_os_str(), "-o".as_ref(), output.as_os_str()]);
    let stderr = String::from_utf8_lossy(&build.stderr).into_owned();
    if !build.status.success() {
        return Err(format!("the build of {} failed ({}):\n{stderr}", source.display(), build.status));
    }
    let run = Command::new(&output).output().map_err(|err| format!("cannot run {}: {err}", output.display()))?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    if !run.status.success() || stdout != expected {
        return Err(format!(
            "{} exited with {} and printed {stdout:?}, not {expected:?}",
            output.display(),
            run.status
        ));
    }
    Ok(stderr)
}

/// pyrsc's notes about damaged cache entries.
fn damage_notes(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|line| line.contains("is damaged") || line.contains("could not read")).collect()
}

/// How many times cargo compiled the runtime crate.
fn runtime_builds(stderr: &str) -> usize {
    stderr.lines().filter(|line| line.trim_start().starts_with("Compiling runtime v")).count()
}

/// The concurrency test's results: its cache (the template of the others) and the stderr of
/// each of the four builds, or why it could not run.
struct Concurrent {
    cache: PathBuf,
    stderrs: Vec<String>,
}

fn concurrent() -> &'static Result<Concurrent, String> {
    static RESULT: OnceLock<Result<Concurrent, String>> = OnceLock::new();
    RESULT.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cache-test-template");
        let _ = std::fs::remove_dir_all(&base);
        let cache = base.join("cache");
        let sources = base.join("sources");
        std::fs::create_dir_all(&sources).map_err(|err| format!("cannot create {}: {err}", sources.display()))?;
        let programs: Vec<(PathBuf, String)> = (1..=4).map(|i| program(&sources, &format!("p{i}"), i)).collect();
        let handles: Vec<_> = programs
            .into_iter()
            .map(|(source, expected)| {
                let cache = cache.clone();
                std::thread::spawn(move || build_and_run(&cache, &source, &expected))
            })
            .collect();
        let mut stderrs = Vec::new();
        for handle in handles {
            stderrs.push(handle.join().map_err(|_| "a build thread panicked".to_owned())??);
        }
        Ok(Concurrent { cache, stderrs })
    })
}

/// A fresh cache holding a copy of the template's runtime.
fn cache_with_runtime() -> tempfile::TempDir {
    let template = match concurrent() {
        Ok(concurrent) => &concurrent.cache,
        Err(err) => panic!("the shared runtime could not be built: {err}"),
    };
    let cache = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp cache");
    copy_tree(&template.join("runtime"), &cache.path().join("runtime"));
    cache
}

/// Copies a directory tree, keeping modification times.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for entry in std::fs::read_dir(from).expect("read directory").flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&source, &target);
        } else {
            std::fs::copy(&source, &target).expect("copy file");
            let modified = std::fs::metadata(&source).and_then(|m| m.modified()).expect("modification time");
            std::fs::File::options()
                .write(true)
                .open(&target)
                .and_then(|f| f.set_modified(modified))
                .expect("set time");
        }
    }
}

/// The only entry directory in `cache/kind` (`programs` or `runtime`).
fn only_entry(cache: &Path, kind: &str) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(cache.join(kind))
        .expect("list entries")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    assert_eq!(entries.len(), 1, "expected one entry in {kind}: {entries:?}");
    entries.into_iter().next().expect("one entry")
}

/// Builds a program in `cache`, applies `damage` to its entry, and checks that the next build
/// says once that it rebuilds it, that the program runs, and that the build after that is a
/// silent hit.
fn program_damage_is_repaired(damage: impl FnOnce(&Path)) {
    let cache = cache_with_runtime();
    let sources = tempfile::tempdir().expect("sources");
    let (source, expected) = program(sources.path(), "damaged", 7);
    let first = build_and_run(cache.path(), &source, &expected).expect("first build");
    assert_eq!(damage_notes(&first), Vec::<&str>::new());
    damage(&only_entry(cache.path(), "programs"));
    let second = build_and_run(cache.path(), &source, &expected).expect("build after the damage");
    let notes = damage_notes(&second);
    assert_eq!(notes.len(), 1, "one note about the rebuild expected:\n{second}");
    assert!(notes[0].starts_with("pyrsc: the cached build of ") && notes[0].ends_with("; rebuilding it"), "{second}");
    let third = build_and_run(cache.path(), &source, &expected).expect("build after the repair");
    assert_eq!(third, "", "the repaired entry is a silent hit");
}

#[test]
fn four_builds_on_an_empty_cache_build_the_runtime_once() {
    let concurrent = concurrent().as_ref().expect("four concurrent builds");
    let all = concurrent.stderrs.concat();
    let announced = all.lines().filter(|line| line.starts_with("pyrsc: building the runtime")).count();
    assert_eq!(announced, 1, "the runtime build is announced once:\n{all}");
    assert_eq!(runtime_builds(&all), 1, "cargo compiled the runtime once:\n{all}");
    assert_eq!(damage_notes(&all), Vec::<&str>::new());
}

#[test]
fn a_truncated_program_is_rebuilt() {
    program_damage_is_repaired(|entry| {
        let program = std::fs::File::options().write(true).open(entry.join("program")).expect("open program");
        program.set_len(4096).expect("truncate");
    });
}

#[test]
fn a_corrupted_program_of_the_same_size_is_rebuilt() {
    program_damage_is_repaired(|entry| {
        let path = entry.join("program");
        let mut bytes = std::fs::read(&path).expect("read program");
        let middle = bytes.len() / 2;
        bytes[middle..middle + 64].fill(0xCC);
        std::fs::write(&path, bytes).expect("write program");
    });
}

#[test]
fn a_deleted_program_is_rebuilt() {
    program_damage_is_repaired(|entry| std::fs::remove_file(entry.join("program")).expect("delete program"));
}

#[test]
fn a_program_without_its_manifest_is_rebuilt() {
    program_damage_is_repaired(|entry| std::fs::remove_file(entry.join("manifest.txt")).expect("delete manifest"));
}

/// Builds a first program, applies `damage` to the runtime entry, then checks that building a
/// second program rebuilds the runtime once, with one note starting with `note`, and that a
/// third build uses the repaired runtime silently.
fn runtime_damage_is_repaired(note: &str, damage: impl FnOnce(&Path)) {
    let cache = cache_with_runtime();
    let sources = tempfile::tempdir().expect("sources");
    let (first, expected) = program(sources.path(), "first", 2);
    let stderr = build_and_run(cache.path(), &first, &expected).expect("build against the copied runtime");
    assert_eq!(stderr, "", "the copied runtime is reused silently");
    damage(&only_entry(cache.path(), "runtime"));
    let (second, expected) = program(sources.path(), "second", 3);
    let stderr = build_and_run(cache.path(), &second, &expected).expect("build after the damage");
    let notes = damage_notes(&stderr);
    assert_eq!(notes.len(), 1, "one note about the rebuild expected:\n{stderr}");
    assert!(notes[0].starts_with(note), "{stderr}");
    assert_eq!(runtime_builds(&stderr), 1, "{stderr}");
    let (third, expected) = program(sources.path(), "third", 4);
    let stderr = build_and_run(cache.path(), &third, &expected).expect("build after the repair");
    assert_eq!(stderr, "", "the repaired runtime is reused silently");
}

#[test]
fn a_truncated_runtime_rlib_is_rebuilt() {
    runtime_damage_is_repaired("pyrsc: the cached runtime for this toolchain in ", |entry| {
        let rlib = entry.join("target/release/libruntime.rlib");
        let file = std::fs::File::options().write(true).open(&rlib).expect("open rlib");
        file.set_len(100_000).expect("truncate rlib");
    });
}

#[test]
fn a_runtime_without_its_metadata_is_rebuilt() {
    runtime_damage_is_repaired("pyrsc: the cached runtime for this toolchain in ", |entry| {
        std::fs::remove_file(entry.join("artifacts.txt")).expect("delete the rlib's name");
    });
}

/// Damage that keeps a file's size and time passes the runtime's stat check; rustc then fails
/// to read the rlib, and the driver rebuilds the runtime and tries again instead of reporting
/// a pyrsc bug.
#[test]
fn a_runtime_rustc_cannot_read_is_rebuilt() {
    runtime_damage_is_repaired("pyrsc: rustc could not read the cached runtime for this toolchain in ", |entry| {
        let rlib = entry.join("target/release/libruntime.rlib");
        let modified = std::fs::metadata(&rlib).and_then(|m| m.modified()).expect("modification time");
        let mut bytes = std::fs::read(&rlib).expect("read rlib");
        bytes[..8].fill(0); // the archive's magic number
        std::fs::write(&rlib, bytes).expect("write rlib");
        std::fs::File::options().write(true).open(&rlib).and_then(|f| f.set_modified(modified)).expect("set time");
    });
}
