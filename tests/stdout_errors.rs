//! Write errors on stdout, compared with CPython through real files: every program in
//! `fixtures/stdout/` runs under CPython and compiled with its stdout on `/dev/full` (a full
//! disk), on a pipe whose reader has already gone, and on a pipe whose reader leaves after the
//! first line (`prog | head -1`), and with stderr on `/dev/full`; stderr (tracebacks,
//! "Exception ignored" notes) and the exit status must be identical.
//!
//! CPython runs without `PYTHONUNBUFFERED` (its buffering is what pyrsc reproduces), and
//! `PYRSC_TEST_PYTHON` chooses the interpreter as for the fixtures.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn programs() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures").join("stdout"))
        .expect("fixtures/stdout")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no programs in fixtures/stdout");
    paths
}

fn cache_dir() -> PathBuf {
    std::env::var_os("PYRSC_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target").join("test-cache"))
}

/// Compiles the program into `dir`; returns the executable.
fn build(path: &Path, dir: &Path) -> PathBuf {
    let binary = dir.join(path.file_stem().expect("file name"));
    let build = Command::new(env!("CARGO_BIN_EXE_pyrsc"))
        .arg("build")
        .arg(path)
        .arg("-o")
        .arg(&binary)
        .env("PYRSC_CACHE_DIR", cache_dir())
        .output()
        .expect("run pyrsc");
    assert!(build.status.success(), "pyrsc build {}:\n{}", path.display(), String::from_utf8_lossy(&build.stderr));
    binary
}

/// The program under CPython.
fn cpython(path: &Path) -> Command {
    let python = std::env::var("PYRSC_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let mut command = Command::new(python);
    command.arg(path).env_remove("PYTHONUNBUFFERED");
    command
}

/// Where the program's stdout goes.
#[derive(Clone, Copy, Debug)]
enum Sink {
    /// `/dev/full`: every write fails with ENOSPC.
    FullDisk,
    /// A pipe whose read end is closed before the program starts: every write fails with EPIPE.
    ClosedPipe,
    /// A pipe read up to the first line, then closed.
    FirstLine,
    /// Stdout discarded, stderr on `/dev/full`: reports cannot be written.
    FullStderr,
}

fn full() -> std::fs::File {
    std::fs::OpenOptions::new().write(true).open("/dev/full").expect("open /dev/full")
}

fn run(mut command: Command, sink: Sink) -> Output {
    command.stdin(Stdio::null()).stderr(Stdio::piped());
    match sink {
        Sink::FullStderr => {
            command.stdout(Stdio::null()).stderr(full());
            command.output().expect("run")
        }
        Sink::FullDisk => {
            command.stdout(full());
            command.output().expect("run")
        }
        Sink::ClosedPipe => {
            let (reader, writer) = std::io::pipe().expect("pipe");
            drop(reader);
            command.stdout(writer);
            command.output().expect("run")
        }
        Sink::FirstLine => {
            command.stdout(Stdio::piped());
            let mut child = command.spawn().expect("spawn");
            if let Some(stdout) = child.stdout.take() {
                let mut line = String::new();
                let _ = BufReader::new(stdout).read_line(&mut line);
            }
            child.wait_with_output().expect("wait")
        }
    }
}

fn check(sinks: &[Sink], only: impl Fn(&Path) -> bool) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut problems = Vec::new();
    for path in programs().iter().filter(|p| only(p)) {
        let binary = build(path, dir.path());
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        for sink in sinks {
            let (want, got) = (run(cpython(path), *sink), run(Command::new(&binary), *sink));
            if want.status.code() != got.status.code() {
                problems.push(format!(
                    "{name} ({sink:?}): exit status: CPython {:?}, pyrsc {:?}",
                    want.status.code(),
                    got.status.code()
                ));
            }
            if want.stderr != got.stderr {
                problems.push(format!(
                    "{name} ({sink:?}): stderr differs\n--- CPython\n{}--- pyrsc\n{}",
                    String::from_utf8_lossy(&want.stderr),
                    String::from_utf8_lossy(&got.stderr)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn full_disk_and_closed_pipe_fail_as_in_cpython() {
    check(&[Sink::FullDisk, Sink::ClosedPipe], |_| true);
}

#[test]
fn a_full_stderr_gives_cpythons_exit_status() {
    check(&[Sink::FullStderr], |_| true);
}

#[test]
fn a_reader_leaving_after_one_line_stops_a_printing_loop() {
    // Deterministic only for a program whose every later write fails the same way.
    check(&[Sink::FirstLine], |path| path.ends_with("many_lines.py"));
}
