//! The `pyrsc` command line: `build`, `run`, `check`, `emit`.
//!
//! Exit status: 0 success, 1 the program was rejected (diagnostics), 2 usage or file errors,
//! 3 a missing tool or an internal error. `run` exits with the program's own status.

mod driver;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use driver::{BuildError, Source};

#[derive(Parser)]
#[command(
    name = "pyrsc",
    version,
    about = "Compile type-annotated Python to native executables and extension modules through Rust"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a script into an executable (default: beside the source, named after it), or
    /// with --module into an extension module that Python imports.
    Build {
        /// The Python file to compile.
        script: PathBuf,
        /// Where to write the executable; with --module, the directory for the module.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Build an extension module `<name><EXT_SUFFIX>` (import it as `name`).
        #[arg(long)]
        module: bool,
        /// With --module: the interpreter that will import the module.
        #[arg(long, default_value = "python3", requires = "module")]
        python: String,
        /// Build without optimisation (faster to build, slower to run).
        #[arg(long)]
        debug: bool,
        /// Show cargo's output while the runtime is built on first use.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Build (cached) and run a script; ARGS become sys.argv[1:].
    Run {
        script: PathBuf,
        /// Arguments for the program (after `--`).
        #[arg(last = true)]
        args: Vec<String>,
        #[arg(short, long)]
        verbose: bool,
    },
    /// Report diagnostics only; generate nothing.
    Check {
        script: PathBuf,
        /// Check as an extension module (exported signatures must convert from Python).
        #[arg(long)]
        module: bool,
    },
    /// Print the generated Rust.
    Emit {
        script: PathBuf,
        /// Emit the extension-module form.
        #[arg(long)]
        module: bool,
    },
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn fail(error: BuildError) -> ExitCode {
    eprint!("{}", error.render(color()));
    ExitCode::from(error.exit_code() as u8)
}

fn default_output(script: &Path) -> PathBuf {
    let stem = script.file_stem().map(|s| s.to_os_string()).unwrap_or_else(|| "program".into());
    script.with_file_name(stem)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { script, module } => {
            match Source::read(&script).and_then(|s| driver::check_for(&s, &target_of(&s, module)?).map(|_| s)) {
                Ok(source) => {
                    eprintln!("pyrsc: {} is OK", source.display);
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Emit { script, module } => {
            match Source::read(&script).and_then(|s| driver::emit_for(&s, &target_of(&s, module)?)) {
                Ok(rust) => {
                    print!("{rust}");
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Build { script, output, module: true, python, debug, verbose } => {
            let result =
                Source::read(&script).and_then(|source| driver::build_extension(&source, &python, debug, verbose));
            match result {
                Ok(library) => {
                    let directory = output.unwrap_or_else(|| {
                        script.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
                    });
                    let file_name = library.file_name().map(|n| n.to_os_string()).unwrap_or_default();
                    if let Err(err) = std::fs::create_dir_all(&directory) {
                        return fail(BuildError::Io(format!("cannot create {}: {err}", directory.display())));
                    }
                    match copy_artefact(&library, &directory.join(file_name)) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(error) => fail(error),
                    }
                }
                Err(error) => fail(error),
            }
        }
        Command::Build { script, output, module: false, debug, verbose, .. } => {
            let result = Source::read(&script).and_then(|source| driver::build_executable(&source, debug, verbose));
            match result {
                Ok(binary) => {
                    let output = output.unwrap_or_else(|| default_output(&script));
                    match copy_artefact(&binary, &output) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(error) => fail(error),
                    }
                }
                Err(error) => fail(error),
            }
        }
        Command::Run { script, args, verbose } => {
            let binary =
                match Source::read(&script).and_then(|source| driver::build_executable(&source, false, verbose)) {
                    Ok(binary) => binary,
                    Err(error) => return fail(error),
                };
            match std::process::Command::new(&binary).args(&args).status() {
                Ok(status) => ExitCode::from(exit_status_code(status)),
                Err(err) => fail(BuildError::Io(format!("cannot run {}: {err}", binary.display()))),
            }
        }
    }
}

/// What `--module` means for check/emit: an extension module named after the file.
fn target_of(source: &Source, module: bool) -> Result<pyrsc_frontend::Target, BuildError> {
    Ok(if module {
        pyrsc_frontend::Target::Extension { name: driver::module_name(source)? }
    } else {
        pyrsc_frontend::Target::Executable
    })
}

/// Copies through a temporary file and renames, so the output is never half-written (and a
/// process that already loaded an older module keeps its mapping of the old file).
fn copy_artefact(binary: &Path, output: &Path) -> Result<(), BuildError> {
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = tempfile::NamedTempFile::new_in(parent)
        .map_err(|err| BuildError::Io(format!("cannot write into {}: {err}", parent.display())))?;
    std::fs::copy(binary, temp.path()).map_err(|err| BuildError::Io(format!("cannot copy the executable: {err}")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o755));
    }
    temp.persist(output).map_err(|err| BuildError::Io(format!("cannot write {}: {}", output.display(), err.error)))?;
    Ok(())
}

fn exit_status_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return code as u8;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return (128 + signal) as u8;
        }
    }
    1
}
