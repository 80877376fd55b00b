"""The import hook: after `pyrsc.install()`, importing a module whose source starts with the
marker comment `# pyrsc: compile` (within its first five lines) compiles it with pyrsc (cached
by content, like pyximport) and imports the native module; every other module imports as usual.
A cached module is checked against its manifest before it is loaded (see `build.py`).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from pathlib import Path
from typing import Optional

MARKER = "# pyrsc: compile"


def marked(path: Path) -> bool:
    """Whether a source file opts in to compilation."""
    try:
        with open(path, encoding="utf-8") as source:
            return any(line.strip() == MARKER for line, _ in zip(source, range(5)))
    except OSError:
        return False


class PyrscFinder(importlib.abc.MetaPathFinder):
    """Finds opted-in `.py` modules and gives them an extension-module spec."""

    def __init__(self, debug: bool = False):
        self.debug = debug

    def find_spec(self, fullname: str, path=None, target=None) -> Optional[importlib.machinery.ModuleSpec]:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py") or not marked(Path(spec.origin)):
            return None
        from .build import build_module, cache_dir, cached_library_ok, content_key, ext_suffix, record_library

        source = Path(spec.origin)
        text = source.read_text(encoding="utf-8")
        short_name = fullname.rpartition(".")[2]
        key = content_key(text, str(source.resolve()), "debug" if self.debug else "release")
        directory = cache_dir() / "imports" / key[:2] / key
        library = directory / (short_name + ext_suffix())
        if not cached_library_ok(library):
            directory.mkdir(parents=True, exist_ok=True)
            build_module(source, directory, debug=self.debug)
            record_library(library)
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(library))
        return importlib.util.spec_from_file_location(fullname, str(library), loader=loader)


_finder: Optional[PyrscFinder] = None


def install(debug: bool = False) -> PyrscFinder:
    """Compiles modules marked `# pyrsc: compile` when they are imported (idempotent)."""
    global _finder
    if _finder is None:
        _finder = PyrscFinder(debug)
        sys.meta_path.insert(0, _finder)
    return _finder


def uninstall() -> None:
    """Removes the import hook (modules already imported stay)."""
    global _finder
    if _finder is not None and _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
