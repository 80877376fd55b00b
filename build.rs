//! Embeds the runtime crate's sources (and the workspace lock file) in the `pyrsc` binary, so
//! that an installed pyrsc can build its runtime without the repository.

use std::fmt::Write as _;
use std::path::Path;

fn collect(dir: &Path, root: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("runtime dir").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path.strip_prefix(root).expect("prefix").to_string_lossy().into_owned());
        }
    }
}

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir");
    let root = Path::new(&manifest);
    let runtime = root.join("runtime");
    let mut files = vec!["Cargo.toml".to_owned()];
    collect(&runtime.join("src"), &runtime, &mut files);
    let mut code = String::from("/// The runtime crate's files: (path relative to the crate, contents).\npub static RUNTIME_FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        let full = runtime.join(file);
        println!("cargo:rerun-if-changed={}", full.display());
        let _ = writeln!(code, "    ({file:?}, include_str!({:?})),", full.display().to_string());
    }
    code.push_str("];\n");
    let lock = root.join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let _ = writeln!(code, "/// The workspace lock file, so the runtime builds with the versions pyrsc was tested with.\npub static CARGO_LOCK: &str = include_str!({:?});", lock.display().to_string());
    println!("cargo:rerun-if-changed={}", runtime.join("src").display());
    let out = Path::new(&std::env::var("OUT_DIR").expect("out dir")).join("runtime_files.rs");
    std::fs::write(out, code).expect("write runtime_files.rs");
}
