//! The Python interpreter an extension module is built for: its version, ABI tag and the
//! file-name suffix (`EXT_SUFFIX`) that `import` looks for.

use std::process::Command;

use super::BuildError;

/// What pyrsc needs to know about the target interpreter.
pub struct PythonTarget {
    /// The interpreter, as given (`python3` by default).
    pub command: String,
    /// Its `sys.executable` (absolute, so that cargo's build scripts, which run in another
    /// directory, find it too), or `command` if it reports none.
    pub executable: String,
    /// `sys.executable`, `sys.version` and `EXT_SUFFIX`, one per line: the cache-key identity.
    pub identity: String,
    /// `.cpython-311-x86_64-linux-gnu.so` and the like.
    pub ext_suffix: String,
}

const PROBE: &str = "import sys, sysconfig\nprint(sys.executable)\nprint(sys.version.replace('\\n', ' '))\nprint(sysconfig.get_config_var('EXT_SUFFIX'))\nprint('%d.%d' % sys.version_info[:2])";

impl PythonTarget {
    /// Asks `command` (a Python 3 interpreter) for its identity.
    pub fn detect(command: &str) -> Result<PythonTarget, BuildError> {
        let output = Command::new(command).arg("-c").arg(PROBE).output().map_err(|err| {
            BuildError::Environment(format!("cannot run the Python interpreter `{command}`: {err}. Pass the interpreter that will import the module with --python PATH"))
        })?;
        if !output.status.success() {
            return Err(BuildError::Environment(format!(
                "`{command}` failed to report its configuration: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let (Some(ext_suffix), Some(version)) = (lines.get(2), lines.get(3)) else {
            return Err(BuildError::Environment(format!(
                "`{command}` gave an unexpected configuration report:\n{text}"
            )));
        };
        if ext_suffix.is_empty() || *ext_suffix == "None" {
            return Err(BuildError::Environment(format!("`{command}` reports no EXT_SUFFIX; is it CPython 3?")));
        }
        let minor: Option<u32> = version.strip_prefix("3.").and_then(|m| m.parse().ok());
        if minor.is_none_or(|m| m < 8) {
            return Err(BuildError::Environment(format!(
                "`{command}` is Python {version}; extension modules need CPython 3.8 or newer"
            )));
        }
        let executable = lines.first().filter(|e| !e.is_empty()).unwrap_or(&command).to_string();
        Ok(PythonTarget {
            command: command.to_owned(),
            executable,
            identity: text.clone(),
            ext_suffix: (*ext_suffix).to_owned(),
        })
    }
}
