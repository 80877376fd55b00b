//! House rules, checked under `cargo test` (in the spirit of rust-analyzer's tidy tests):
//! module docs on every Rust file, files under the size cap, one-way crate dependencies,
//! parser types confined to the lowering module, and no skipped or panic-expecting tests.

use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n == "snapshots") {
                continue;
            }
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn project_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["src", "frontend/src", "codegen/src", "runtime/src", "tests", "bench"] {
        rust_files(&root().join(dir), &mut files);
    }
    files.push(root().join("build.rs"));
    files
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let missing: Vec<String> = project_rust_files()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` module doc: {missing:#?}");
}

#[test]
fn files_stay_under_the_size_cap() {
    let long: Vec<String> = project_rust_files()
        .into_iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(&path).unwrap_or_default().lines().count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by responsibility: {long:#?}");
}

fn manifest_dependencies(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(manifest)).expect("manifest");
    let mut in_deps = false;
    let mut deps = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps {
            if let Some((name, _)) = line.split_once('=') {
                deps.push(name.trim().to_owned());
            }
        }
    }
    deps
}

#[test]
fn crate_dependencies_flow_one_way() {
    let runtime = manifest_dependencies("runtime/Cargo.toml");
    assert!(
        !runtime.iter().any(|d| d.starts_with("pyrsc")),
        "the runtime must not depend on a compiler crate: {runtime:?}"
    );
    let frontend = manifest_dependencies("frontend/Cargo.toml");
    assert!(
        !frontend.iter().any(|d| d == "pyrsc-codegen" || d == "runtime"),
        "the front end depends on nothing downstream: {frontend:?}"
    );
    let codegen = manifest_dependencies("codegen/Cargo.toml");
    assert!(
        !codegen.iter().any(|d| d.starts_with("rustpython") || d == "runtime"),
        "codegen reads only the IR: {codegen:?}"
    );
}

#[test]
fn parser_types_stay_in_the_lowering_module() {
    let offenders: Vec<String> = project_rust_files()
        .into_iter()
        .filter(|path| !path.ends_with("frontend/src/lower.rs") && !path.ends_with("tests/tidy.rs"))
        .filter(|path| std::fs::read_to_string(path).unwrap_or_default().contains("rustpython_parser"))
        .map(|path| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "only frontend/src/lower.rs may name rustpython_parser: {offenders:#?}");
}

#[test]
fn no_skipped_or_panic_expecting_tests() {
    let needles = [concat!("#[", "ignore"), concat!("#[", "should_panic")];
    let offenders: Vec<String> = project_rust_files()
        .into_iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            needles.iter().any(|needle| text.contains(needle))
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "tests must run and assert behaviour: {offenders:#?}");
}

#[test]
fn generated_rust_is_built_with_quote_not_strings() {
    // Codegen emits tokens; Rust source text is never assembled by hand there.
    let mut files = Vec::new();
    rust_files(&root().join("codegen/src"), &mut files);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for needle in ["writeln!(", "write!(", "format!(\"fn ", "format!(\"let ", "format!(\"{}::"] {
            assert!(!text.contains(needle), "{} builds Rust with strings ({needle})", path.display());
        }
    }
}

/// `unsafe` lives only in the runtime, each block or impl right under a `// SAFETY:` comment
/// that says why it is sound; the compiler crates and generated code have none.
#[test]
fn unsafe_is_confined_to_audited_runtime_functions() {
    let mut problems = Vec::new();
    for path in project_rust_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let in_runtime = path.starts_with(root().join("runtime"));
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let uses_unsafe = code.contains("unsafe {") || code.contains("unsafe impl") || code.contains("unsafe fn");
            if !uses_unsafe || code.contains("\"") {
                continue;
            }
            let justified = lines[..i].iter().rev().take(4).any(|above| above.trim_start().starts_with("// SAFETY:"))
                || lines[..i]
                    .iter()
                    .rev()
                    .take_while(|above| above.trim_start().starts_with("//"))
                    .any(|above| above.contains("SAFETY:"));
            if !in_runtime {
                problems.push(format!("{}:{}: unsafe outside the runtime", path.display(), i + 1));
            } else if !justified {
                problems.push(format!(
                    "{}:{}: unsafe without a `// SAFETY:` comment just above",
                    path.display(),
                    i + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Formatting is policy (`rustfmt.toml`): `cargo fmt --all` leaves every file unchanged. Clippy
/// with `-D warnings` runs in `scripts/test.sh` (it needs its own build, which a test cannot start
/// while cargo holds the build directory).
#[test]
fn code_is_formatted() {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["fmt", "--all", "--", "--check", "--files-with-diff"])
        .current_dir(root())
        .output()
        .expect("run cargo fmt");
    let unformatted = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "run `cargo fmt --all`; these files differ:\n{unformatted}");
}

/// The checker's declaration layer (`frontend/src/check/decls/`) is worked out before any body
/// is checked: it never names the `Checker`, nor a module of the bodies layer above it.
#[test]
fn the_declaration_layer_does_not_reach_the_bodies() {
    let mut files = Vec::new();
    rust_files(&root().join("frontend/src/check/decls"), &mut files);
    assert!(files.len() >= 5, "the declaration layer moved: update this test");
    let mut offenders = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for needle in ["Checker", "super::super::", "crate::check::"] {
            if text.lines().any(|line| !line.trim_start().starts_with("//") && line.contains(needle)) {
                offenders.push(format!("{}: {needle}", path.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "declarations must not depend on body checking: {offenders:#?}");
}

/// Every row of the builtins table names a runtime function that exists (`module::f` or
/// `module::Type::f` under `runtime/src/`), a method's receiver is its first parameter named
/// `self`, and no row is shadowed by an earlier row of its key with the same parameters.
#[test]
fn builtin_rows_name_runtime_functions() {
    use pyrsc_frontend::builtins::{Key, BUILTINS};
    let mut problems = Vec::new();
    for (index, row) in BUILTINS.iter().enumerate() {
        let parts: Vec<&str> = row.runtime.split("::").collect();
        let (module, function) = (parts[0], parts[parts.len() - 1]);
        let file = root().join("runtime/src").join(format!("{module}.rs"));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if !text.contains(&format!("fn {function}(")) && !text.contains(&format!("fn {function}<")) {
            problems.push(format!("`{}`: no `fn {function}` in {}", row.key, file.display()));
        }
        if matches!(row.key, Key::Method(..)) && row.params.first().map(|p| p.name) != Some("self") {
            problems.push(format!("`{}`: a method's first parameter is its receiver, `self`", row.key));
        }
        let same = |other: &&pyrsc_frontend::builtins::Builtin| {
            other.key == row.key
                && other.params.len() == row.params.len()
                && other.params.iter().zip(row.params).all(|(a, b)| a.pat == b.pat && a.kind == b.kind)
        };
        if BUILTINS[..index].iter().any(|other| same(&other)) {
            problems
                .push(format!("`{}` ({}): an earlier row of the key takes the same parameters", row.key, row.runtime));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
