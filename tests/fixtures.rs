//! The differential fixture harness (`harness = false`, driven by libtest-mimic).
//!
//! - `fixtures/run/**/*.py`: each program runs under CPython and as a pyrsc executable; stdout,
//!   the exit status and stderr (tracebacks with their caret lines) must be identical. A line
//!   `# args: A B` passes arguments to both. A line `# pyrsc-raises: OverflowError` marks a
//!   documented divergence (pyrsc ints are 64-bit): pyrsc's stdout must then be a prefix of
//!   CPython's, and pyrsc must exit 1 with that exception.
//! - `fixtures/errors/**/*.py`: every line marked `# error: [code]` must get a diagnostic with
//!   that code on that line, and no other line may get one. A line `# pyrsc-target: module`
//!   checks the file as an extension module (exported signatures must convert from Python).
//! - `fixtures/modules/*.py` (extension modules, compared with CPython by `tests/python`) take
//!   part in the robustness checks, compiled as modules.
//! - Robustness: every line prefix of every fixture is checked and generated; the front end and
//!   code generation must never panic, and accepted prefixes must produce parseable Rust.
//! - Mutants: every run fixture with one line deleted; each variant the front end accepts must
//!   build with rustc (an accepted program that rustc rejects is a pyrsc bug).
//!
//! Files are discovered by glob; nobody keeps a list. `PYRSC_CACHE_DIR` chooses the cache
//! (default: `target/test-cache`), `PYRSC_TEST_PYTHON` the interpreter (default: `python3`).

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

fn cache_dir() -> PathBuf {
    std::env::var_os("PYRSC_CACHE_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target").join("test-cache"))
}

fn test_name(kind: &str, path: &Path) -> String {
    let relative = path.strip_prefix(root().join("fixtures")).unwrap_or(path);
    format!("{kind}::{}", relative.display())
}

fn fixture_args(source: &str) -> Vec<String> {
    source
        .lines()
        .find_map(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn run_fixture(path: &Path) -> Result<(), Failed> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let args = fixture_args(&source);
    let python = std::env::var("PYRSC_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let expected = Command::new(&python)
        .arg(path)
        .args(&args)
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONPATH", root().join("python"))
        .output()
        .map_err(|e| format!("cannot run {python}: {e}"))?;
    let build_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let binary = build_dir.path().join("program");
    let build = Command::new(env!("CARGO_BIN_EXE_pyrsc"))
        .arg("build")
        .arg(path)
        .arg("-o")
        .arg(&binary)
        .env("PYRSC_CACHE_DIR", cache_dir())
        .output()
        .map_err(|e| format!("cannot run pyrsc: {e}"))?;
    if !build.status.success() {
        return Err(format!("pyrsc build failed:\n{}", String::from_utf8_lossy(&build.stderr)).into());
    }
    // A program with parallel loops must print the same with 1, 2 and 8 threads.
    let thread_counts: &[Option<&str>] =
        if source.contains("prange") { &[Some("1"), Some("2"), Some("8")] } else { &[None] };
    for threads in thread_counts {
        let mut command = Command::new(&binary);
        command.args(&args);
        if let Some(threads) = threads {
            command.env("PYRSC_NUM_THREADS", threads);
        }
        let actual = command.output().map_err(|e| format!("cannot run the executable: {e}"))?;
        compare(&source, &expected, &actual).map_err(|failed| match threads {
            Some(threads) => {
                format!("with PYRSC_NUM_THREADS={threads}: {}", failed.message().unwrap_or_default()).into()
            }
            None => failed,
        })?;
    }
    Ok(())
}

/// CPython's run against pyrsc's.
fn compare(source: &str, expected: &std::process::Output, actual: &std::process::Output) -> Result<(), Failed> {
    if let Some(exception) = source.lines().find_map(|line| line.strip_prefix("# pyrsc-raises:")) {
        return check_divergence(expected, actual, exception.trim());
    }
    let mut problems = Vec::new();
    if expected.stdout != actual.stdout {
        problems.push(format!(
            "stdout differs\n--- CPython\n{}\n--- pyrsc\n{}",
            String::from_utf8_lossy(&expected.stdout),
            String::from_utf8_lossy(&actual.stdout)
        ));
    }
    if expected.status.code() != actual.status.code() {
        problems.push(format!(
            "exit status differs: CPython {:?}, pyrsc {:?}",
            expected.status.code(),
            actual.status.code()
        ));
    }
    let (want, got) = (String::from_utf8_lossy(&expected.stderr), String::from_utf8_lossy(&actual.stderr));
    if want != got {
        problems.push(format!("stderr differs\n--- CPython\n{want}--- pyrsc\n{got}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// A documented divergence: pyrsc stops with `exception` where CPython (with unbounded ints)
/// goes on; everything pyrsc printed before must match CPython's output.
fn check_divergence(
    expected: &std::process::Output,
    actual: &std::process::Output,
    exception: &str,
) -> Result<(), Failed> {
    if !expected.stdout.starts_with(&actual.stdout) {
        return Err(format!(
            "pyrsc's stdout is not a prefix of CPython's\n--- CPython\n{}\n--- pyrsc\n{}",
            String::from_utf8_lossy(&expected.stdout),
            String::from_utf8_lossy(&actual.stdout)
        )
        .into());
    }
    let stderr = String::from_utf8_lossy(&actual.stderr);
    let last = stderr.lines().last().unwrap_or("");
    if actual.status.code() != Some(1)
        || !last.starts_with(&format!("{exception}:"))
        || !stderr.starts_with("Traceback (most recent call last):")
    {
        return Err(format!(
            "expected a traceback ending in {exception} and exit status 1, got {:?}:\n{stderr}",
            actual.status.code()
        )
        .into());
    }
    Ok(())
}

/// `(line, code)` pairs written as `# error: [code]` in an error fixture.
fn expected_errors(source: &str) -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let mut rest = line;
        while let Some(pos) = rest.find("# error: [") {
            let after = &rest[pos + "# error: [".len()..];
            if let Some(end) = after.find(']') {
                out.push((index as u32 + 1, after[..end].to_owned()));
                rest = &after[end..];
            } else {
                break;
            }
        }
    }
    out.sort();
    out
}

/// How a fixture is compiled: as a program, or (a `# pyrsc-target: module` line, and every file
/// under `fixtures/modules/`) as an extension module named after the file.
fn target_of(path: &Path, source: &str) -> pyrsc_frontend::Target {
    let module = source.lines().any(|l| l.trim() == "# pyrsc-target: module")
        || path.starts_with(root().join("fixtures").join("modules"));
    if module {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        pyrsc_frontend::Target::Extension { name }
    } else {
        pyrsc_frontend::Target::Executable
    }
}

fn error_fixture(path: &Path) -> Result<(), Failed> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let expected = expected_errors(&source);
    if expected.is_empty() {
        return Err("an error fixture must mark at least one line with `# error: [code]`".into());
    }
    let display = path.display().to_string();
    let diagnostics = match pyrsc_frontend::compile(&display, &source, &target_of(path, &source)) {
        Ok(_) => Vec::new(),
        Err(pyrsc_frontend::FrontendError::Diagnostics(diagnostics)) => diagnostics,
        Err(pyrsc_frontend::FrontendError::Internal(message)) => {
            return Err(format!("internal error: {message}").into())
        }
    };
    let mut actual: Vec<(u32, String)> =
        diagnostics.iter().map(|d| (d.line_col(&source).0, d.code.as_str().to_owned())).collect();
    actual.sort();
    actual.dedup();
    for diagnostic in &diagnostics {
        let rendered = diagnostic.render(&display, &source, false);
        if !rendered.contains("help:") || !rendered.contains('^') {
            return Err(format!("diagnostic without caret or help line:\n{rendered}").into());
        }
    }
    if expected != actual {
        let rendered: String = diagnostics.iter().map(|d| d.render(&display, &source, false)).collect();
        return Err(format!("expected diagnostics {expected:?}\n     got diagnostics {actual:?}\n{rendered}").into());
    }
    Ok(())
}

/// Every line prefix of the file goes through the front end and code generation without a
/// panic; accepted prefixes must generate Rust that parses.
fn robustness(path: &Path) -> Result<(), Failed> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let target = target_of(path, &source);
    for cut in 0..=lines.len() {
        let prefix: String = lines[..cut].concat();
        let outcome = std::panic::catch_unwind(|| match pyrsc_frontend::compile("prefix.py", &prefix, &target) {
            Ok(module) => pyrsc_codegen::generate(&module).map(|_| ()),
            Err(pyrsc_frontend::FrontendError::Diagnostics(_)) => Ok(()),
            Err(pyrsc_frontend::FrontendError::Internal(message)) => Err(message),
        });
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Err(format!("first {cut} lines: internal error: {message}").into()),
            Err(_) => return Err(format!("first {cut} lines: the compiler panicked").into()),
        }
    }
    Ok(())
}

/// Every one-line-deleted variant of a run fixture that pyrsc accepts must also build.
fn mutants(path: &Path) -> Result<(), Failed> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for skip in 0..lines.len() {
        if lines[skip].trim().is_empty() {
            continue;
        }
        let variant: String = lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect();
        if pyrsc_frontend::compile_source("mutant.py", &variant).is_err() {
            continue;
        }
        let file = dir.path().join(format!("mutant{skip}.py"));
        std::fs::write(&file, &variant).map_err(|e| e.to_string())?;
        // Whether rustc accepts the code does not depend on optimisation: the unoptimised build
        // answers it several times faster.
        let build = Command::new(env!("CARGO_BIN_EXE_pyrsc"))
            .arg("build")
            .arg("--debug")
            .arg(&file)
            .arg("-o")
            .arg(dir.path().join("program"))
            .env("PYRSC_CACHE_DIR", cache_dir())
            .output()
            .map_err(|e| format!("cannot run pyrsc: {e}"))?;
        if !build.status.success() {
            return Err(format!(
                "without line {}: pyrsc accepted the program but the build failed:\n{}",
                skip + 1,
                String::from_utf8_lossy(&build.stderr)
            )
            .into());
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let fixtures = root().join("fixtures");
    let mut run = Vec::new();
    python_files(&fixtures.join("run"), &mut run);
    let mut errors = Vec::new();
    python_files(&fixtures.join("errors"), &mut errors);
    // Extension-module sources (their calls live in `calls/`, run by tests/python).
    let mut modules = Vec::new();
    python_files(&fixtures.join("modules"), &mut modules);
    modules.retain(|p| !p.starts_with(fixtures.join("modules").join("calls")));
    let mut trials = Vec::new();
    for path in &run {
        let p = path.clone();
        trials.push(Trial::test(test_name("run", path), move || run_fixture(&p)));
    }
    for path in &errors {
        let p = path.clone();
        trials.push(Trial::test(test_name("errors", path), move || error_fixture(&p)));
    }
    for path in run.iter().chain(&errors).chain(&modules) {
        let p = path.clone();
        trials.push(Trial::test(test_name("no-panic", path), move || robustness(&p)));
    }
    for path in &run {
        let p = path.clone();
        trials.push(Trial::test(test_name("mutants", path), move || mutants(&p)));
    }
    libtest_mimic::run(&args, trials).exit();
}
