"""`%%pyrsc`: compile a notebook cell into an extension module, import it and define its public
names (or `__all__`) in the notebook.

    %load_ext pyrsc
    %%pyrsc [-f] [--emit] [--debug] [--name NAME] [--threads N]

Cells are cached by content (cell text, options, pyrsc's version and the kernel's Python) in
IPython's cache directory, so an unchanged cell is a hit, also after a kernel restart (if the
module still matches its manifest: a damaged one is rebuilt, saying so); a changed cell gets a
new module name (an extension module cannot be reloaded). A rejected cell shows
pyrsc's diagnostics with the cell's line numbers, not a traceback; exceptions raised by compiled
code are ordinary Python exceptions.
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .build import CompileError, build_module, cached_library_ok, content_key, ext_suffix, load_module_file, record_library, run


def cell_cache_dir() -> Path:
    from IPython.paths import get_ipython_cache_dir

    return Path(get_ipython_cache_dir()) / "pyrsc"


class CellError(Exception):
    """A rejected cell: shown as the diagnostics alone (IPython prints no traceback for it)."""

    def _render_traceback_(self):
        return str(self).splitlines()


@magics_class
class PyrscMagics(Magics):
    """The `%%pyrsc` cell magic."""

    #: What the last `%%pyrsc` did: "hit" (cached module) or "built" (compiled now).
    last_outcome = None

    @magic_arguments()
    @argument("-f", "--force", action="store_true", help="rebuild even if the cell is cached")
    @argument("--emit", action="store_true", help="show the generated Rust (highlighted)")
    @argument("--debug", action="store_true", help="build without optimisation (faster build, slower code)")
    @argument("--name", default=None, help="the module name (default: one per cell content)")
    @argument("--threads", type=int, default=None, help="threads for prange loops without num_threads")
    @cell_magic
    def pyrsc(self, line: str, cell: str):
        """Compile the cell with pyrsc and define its public names here."""
        args = parse_argstring(self.pyrsc, line)
        key = content_key(cell, "debug" if args.debug else "release", args.name or "")
        name = args.name or f"_pyrsc_cell_{key[:16]}"
        directory = cell_cache_dir() / key[:16]
        library = directory / (name + ext_suffix())
        source = directory / f"{name}.py"
        if args.force or not cached_library_ok(library):
            directory.mkdir(parents=True, exist_ok=True)
            source.write_text(cell)
            try:
                build_module(source, directory, debug=args.debug, progress=_Progress())
            except CompileError as error:
                raise CellError(str(error).replace(str(source), "<cell>")) from None
            record_library(library)
            PyrscMagics.last_outcome = "built"
        else:
            PyrscMagics.last_outcome = "hit"
        if args.emit:
            self._show_rust(source)
        try:
            module = load_module_file(name, library)
        except ImportError as error:
            raise CellError(f"error: {error}") from None
        if args.threads is not None:
            module._pyrsc_set_threads(args.threads)
        names = getattr(module, "__all__", None) or [n for n in dir(module) if not n.startswith("_")]
        for public in names:
            self.shell.user_ns[public] = getattr(module, public)
        self.shell.user_ns.setdefault("__pyrsc_modules__", {})[name] = module

    def _show_rust(self, source: Path) -> None:
        result = run(["emit", "--module", str(source)])
        rust = result.stdout
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import RustLexer

            markup = highlight(rust, RustLexer(), HtmlFormatter(noclasses=True))
        except ImportError:
            markup = f"<pre>{html.escape(rust)}</pre>"
        from IPython.display import HTML, display

        display(HTML(markup))


class _Progress:
    """Shows pyrsc's own notes (lines starting `pyrsc: `, e.g. that a damaged cache entry is
    rebuilt, or that another process is building the runtime) and the progress of a slow runtime
    build as they happen; everything else pyrsc prints (diagnostics) is shown once, with the
    cell's name."""

    def __init__(self) -> None:
        self.building = False

    def __call__(self, line: str) -> None:
        # "building the runtime ..." or "the cached runtime ... is damaged (...); rebuilding it":
        # cargo's progress follows, up to its "Finished" line.
        note = line.startswith("pyrsc: ")
        if note and (line.startswith("pyrsc: building") or ("runtime" in line and "rebuilding it" in line)):
            self.building = True
        if self.building or note:
            sys.stderr.write(line)
            sys.stderr.flush()
        if self.building and line.lstrip().startswith("Finished"):
            self.building = False
