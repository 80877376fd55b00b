"""The compiler from Python: find the `pyrsc` binary and run it.

`build_module` and `build_executable` compile a file; `compile_module` compiles a source string
into a module and imports it (cached by content). A rejected program raises `CompileError`,
whose message is pyrsc's rendered diagnostics.

Every module the package caches (here, in the notebook magic and in the import hook) gets a
manifest beside it, `<file>.manifest` (its size and SHA-256), and is loaded again only if it
still matches (`cached_library_ok`, about a millisecond per MB): a truncated or changed file is
rebuilt with one line on stderr saying so, never loaded (a truncated extension module can die
with SIGBUS on import).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import ModuleType
from typing import Callable, Optional, Sequence

PACKAGE_DIR = Path(__file__).resolve().parent


class CompileError(Exception):
    """pyrsc rejected the program; `str(error)` is the rendered diagnostics."""

    def __init__(self, message: str, returncode: int = 1):
        super().__init__(message)
        self.returncode = returncode


def binary() -> Path:
    """The `pyrsc` executable: `$PYRSC_BIN`, the one installed with this package, one on PATH,
    or (in a source checkout) `target/release/pyrsc`."""
    candidates = []
    if os.environ.get("PYRSC_BIN"):
        candidates.append(Path(os.environ["PYRSC_BIN"]))
    exe = "pyrsc.exe" if os.name == "nt" else "pyrsc"
    candidates.append(Path(sysconfig.get_path("scripts")) / exe)
    candidates.append(Path(sys.executable).parent / exe)
    found = shutil.which("pyrsc")
    if found:
        candidates.append(Path(found))
    candidates.append(PACKAGE_DIR.parent.parent / "target" / "release" / exe)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError("the pyrsc command was not found: install pyrsc with `pip install .` in its repository, or set PYRSC_BIN")


def ext_suffix() -> str:
    return sysconfig.get_config_var("EXT_SUFFIX") or ".so"


def run(args: Sequence[str], on_stderr_line: Optional[Callable[[str], None]] = None) -> subprocess.CompletedProcess:
    """Runs `pyrsc ARGS`; stderr lines go to `on_stderr_line` as they come (progress of the
    first runtime build), and are also collected."""
    command = [str(binary()), *args]
    if on_stderr_line is None:
        return subprocess.run(command, capture_output=True, text=True)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    lines = []
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line)
        on_stderr_line(line)
    stdout = process.stdout.read() if process.stdout else ""
    return subprocess.CompletedProcess(command, process.wait(), stdout, "".join(lines))


def print_notes(line: str) -> None:
    """The default progress callback: passes pyrsc's own notes (lines starting `pyrsc: `: the
    runtime is being built, a damaged cache entry is rebuilt) on to stderr as they come; the
    rest (diagnostics) goes into `CompileError`."""
    if line.startswith("pyrsc: "):
        sys.stderr.write(line)
        sys.stderr.flush()


def _check(result: subprocess.CompletedProcess) -> None:
    if result.returncode != 0:
        raise CompileError(result.stderr.strip() or f"pyrsc exited with status {result.returncode}", result.returncode)


def build_module(path, out_dir=None, python: Optional[str] = None, debug: bool = False, progress: Optional[Callable[[str], None]] = None) -> Path:
    """Compiles `path` into an extension module for `python` (default: this interpreter) in
    `out_dir` (default: beside the source); returns the module file. `progress` gets pyrsc's
    stderr lines as they come (default: `print_notes`)."""
    path = Path(path)
    out_dir = Path(out_dir) if out_dir is not None else path.parent
    args = ["build", "--module", str(path), "-o", str(out_dir), "--python", python or sys.executable]
    if debug:
        args.append("--debug")
    _check(run(args, progress or print_notes))
    return out_dir / (path.stem + ext_suffix())


def build_executable(path, output=None, debug: bool = False) -> Path:
    """Compiles `path` into an executable (default: beside the source, named after it)."""
    path = Path(path)
    output = Path(output) if output is not None else path.with_suffix("")
    args = ["build", str(path), "-o", str(output)]
    if debug:
        args.append("--debug")
    _check(run(args, print_notes))
    return output


def cache_dir() -> Path:
    """Where `compile_module` keeps its modules: `$PYRSC_CACHE_DIR/python`, else the user cache."""
    base = os.environ.get("PYRSC_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") and os.path.join(os.environ["XDG_CACHE_HOME"], "pyrsc")
    return Path(base or Path.home() / ".cache" / "pyrsc") / "python"


#: The layout of the package's cache entries, part of every key: entries from before manifests
#: existed are left unused rather than reported as damaged.
CACHE_LAYOUT = "layout-2 (manifest)"


def content_key(source: str, *parts: str) -> str:
    """A key for compiled source: the text, the options, pyrsc's version and this Python."""
    from . import __version__

    digest = hashlib.sha256()
    for part in (source, __version__, CACHE_LAYOUT, sys.executable, sys.version, ext_suffix(), *parts):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _manifest(library: Path) -> Path:
    return library.with_name(library.name + ".manifest")


def _size_and_hash(path: Path) -> "tuple[int, str]":
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def record_library(library: Path) -> None:
    """Writes the manifest of a freshly built `library` (atomically: a temporary file renamed)."""
    size, sha256 = _size_and_hash(library)
    manifest = _manifest(library)
    temporary = manifest.with_name(f"{manifest.name}.{os.getpid()}.tmp")
    temporary.write_text(f"{size} {sha256}\n")
    os.replace(temporary, manifest)


def library_damage(library: Path) -> Optional[str]:
    """Why the cached `library` cannot be loaded: None if it matches its manifest, "" if neither
    exists (not built yet), else the damage, for a one-line message."""
    manifest = _manifest(library)
    if not library.exists() and not manifest.exists():
        return ""
    try:
        recorded = manifest.read_text().split()
    except OSError:
        return "its manifest is missing"
    if len(recorded) != 2 or not recorded[0].isdigit() or len(recorded[1]) != 64:
        return "its manifest is corrupted"
    try:
        if library.stat().st_size != int(recorded[0]):
            return f"it has {library.stat().st_size} bytes, {recorded[0]} were recorded"
        if _size_and_hash(library)[1] != recorded[1]:
            return "it does not match its recorded hash"
    except OSError as error:
        return f"it cannot be read: {error.strerror or error}"
    return None


def cached_library_ok(library: Path) -> bool:
    """Whether the cached `library` can be loaded as it is; if it exists but is damaged, says so
    on stderr (the caller rebuilds it)."""
    damage = library_damage(library)
    if damage:
        print(f"pyrsc: the cached module {library} is damaged ({damage}); rebuilding it", file=sys.stderr)
    return damage is None


_LOADED: dict = {}


def load_module_file(name: str, path: Path) -> ModuleType:
    """Imports the extension module file `path` as `name` (once per process: an extension
    module cannot be loaded twice, so a name already loaded from another file is an error)."""
    if name in _LOADED:
        if _LOADED[name] != path:
            raise ImportError(f"a compiled module named {name!r} is already loaded from other code; extension modules cannot be reloaded: choose another name, or restart the interpreter")
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    _LOADED[name] = path
    return module


def compile_module(source: str, name: Optional[str] = None, debug: bool = False, directory=None, progress: Optional[Callable[[str], None]] = None) -> ModuleType:
    """Compiles Python source text into an extension module and imports it. The module is
    cached by content: the same source is built once. Without `name`, the module gets a name of
    its own per content (a compiled module cannot be imported twice under one name)."""
    key = content_key(source, "debug" if debug else "release")
    name = name or f"_pyrsc_{key[:16]}"
    directory = Path(directory) if directory is not None else cache_dir() / key[:2] / key
    library = directory / (name + ext_suffix())
    if not cached_library_ok(library):
        directory.mkdir(parents=True, exist_ok=True)
        source_file = directory / f"{name}.py"
        source_file.write_text(source)
        build_module(source_file, directory, debug=debug, progress=progress)
        record_library(library)
    return load_module_file(name, library)
