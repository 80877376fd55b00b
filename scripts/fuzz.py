#!/usr/bin/env python3
"""//! Differential fuzzer for pyrsc: mutates seed programs and reports compiler bugs.

//! pyrsc promises that it never panics, that rustc never rejects the Rust it generates for an
//! accepted program, that every rejection is a located diagnostic (file:line:col, a caret, a help
//! line), and that an accepted program prints exactly what CPython 3.11 prints. This script checks
//! those promises on mutants of seed programs (default: every fixtures/run/**/*.py and
//! fixtures/errors/**/*.py): lines deleted, duplicated or swapped, literals, identifiers,
//! operators and annotations changed, statements wrapped in try/if/for/def/class, and common
//! constructs inserted (decorators, keywords, del, slices, comprehensions, walrus, f-string specs,
//! global/nonlocal, lambdas, generators, with). Each mutant goes through `pyrsc check`, then
//! (when accepted) `pyrsc build`, then its executable and CPython (the repository's .venv
//! python when present, for NumPy; `python/` on PYTHONPATH for `pyrsc`; PYTHONHASHSEED=0) run
//! side by side on empty stdin, with a timeout, in a fresh scratch directory. Failure kinds:
//! panic (a signal or "panicked" from check or build), internal ("internal error" that is not
//! a rustc rejection), rustc (build fails with rustc errors: "bug in pyrsc"), wrong-output
//! (stdout, stderr or exit status differ), bad-diagnostic (a rejection without location, caret
//! or help line, or located past the end of the file), accepts-invalid (pyrsc accepts what
//! CPython's compile() rejects) and hang (pyrsc itself times out). Not failures: mutants that
//! time out in CPython, and README's documented divergences (pyrsc stops with OverflowError,
//! RecursionError, ValueError for a surrogate chr() or `int ** negative int`, or runs out of
//! address space for generator stacks, where CPython goes on).
//!
//! Each distinct failure (by a signature: panic location, first rustc error, first differing
//! line with digits normalised, ...) is minimised by deleting lines, then tokens, while the
//! same failure persists, and written to OUT/NN-kind-name.py with a header comment saying what
//! goes wrong; OUT/summary.md lists them and OUT/state.json remembers signatures across runs.
//! OUT/known.txt, if present, holds regexes (one a line) matched against a failure's detail:
//! failures of a root cause already understood are counted but not minimised again.
//!
//! Run (from the repository root, after `cargo build --release`; Python 3.11, stdlib only):
//!     nice -n 19 python3.11 scripts/fuzz.py --seed 1 --count 2000 --time 3600 --out fuzz-out
//!     python3.11 scripts/fuzz.py --no-mutate /path/to/corpus   # each program once, as is
//! Mutation is deterministic given --seed and the seed files; --count and --time bound the run.
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import keyword
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
import tokenize
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
warnings.simplefilter("ignore")  # CPython's SyntaxWarnings about mutants

# ---------------------------------------------------------------------------------------------
# Mutation


INT_LITERALS = ["0", "-1", "1", "2", "7", "9223372036854775807", "-9223372036854775808",
                "9223372036854775808", "10**20", "255", "0x7f", "1_000"]
OTHER_LITERALS = ["0.0", "-0.0", "1.5", "-2.5", "1e308", "1e-320", "float('nan')", "float('inf')",
                  '""', '"é"', '"😀x"', '"a\\nb"', "'\\t'", '" "', "None", "True", "False", "[]", "{}"]
ANNOTATIONS = ["int", "float", "str", "bool", "object", "int | None", "str | None", "list[int]",
               "list[str]", "list[float]", "list[list[int]]", "dict[str, int]", "set[int]",
               "tuple[int, str]", "tuple[int, ...]", "None", "Optional[float]", "Callable[[int], int]",
               "Iterator[int]"]
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"]
CMPOPS = ["<", "<=", ">", ">=", "==", "!=", " is ", " is not ", " in ", " not in "]
WRAPPERS = [
    ("try:", ["except Exception as _e:", "    print(type(_e).__name__, _e)"]),
    ("try:", ["except (ValueError, IndexError, KeyError):", "    print('caught')"]),
    ("try:", ["finally:", "    print('finally')"]),
    ("if True:", []),
    ("if len('ab') > 5:", ["else:", "    print('else')"]),
    ("for _i in range(2):", []),
    ("while True:", ["    break"]),
    ("def _wrapped() -> None:", ["_wrapped()"]),
    ("class _Wrapper:", []),
]
# Snippets: NAME is replaced by an identifier of the program, EXPR by a literal.
SNIPPETS = [
    "print(NAME)", "del NAME", "print(NAME[1:-1:2])", "NAME = NAME[::-1]", "print(NAME[0], NAME[-1])",
    "print([_x * 2 for _x in range(EXPR) if _x])", "print({_k: _v for _k, _v in zip('abc', [1, 2, 3])})",
    "print({_x % 3 for _x in range(10)})", "if (_n := len(NAME)) > 1:\n    print(_n)",
    'print(f"{NAME!r:>10}|{3.14159:.2f}|{42:08x}|{1234567:,}|{EXPR:^9}")', "global NAME",
    "nonlocal NAME", "_f = lambda _a: _a + 1\nprint(_f(EXPR))", "print((lambda: NAME)())",
    "print(sum(_y for _y in range(4)))", 'with open("fuzz.txt", "w") as _fh:\n    _fh.write(str(NAME))',
    "assert NAME, 'assertion text'", "raise ValueError(NAME)", "yield NAME", "return", "return NAME",
    "break", "continue", "pass", "NAME += EXPR", "NAME.append(NAME)", "print(*NAME)",
    'print(NAME, NAME, sep=", ", end="!\\n")', "print(sorted(NAME, key=lambda _t: -_t, reverse=True))",
    "print(max(NAME, default=EXPR))", "print(round(2.675, 2), divmod(-7, 2), 7 // -2, -7 % 3, 1e16 + 1.0)",
    'print(int(" 42 "), float("inf"), str(-0.0), 0.1 + 0.2, 1 / 3)', 'print("%5.2f|%-4d|%s" % (3.14159, 7, NAME))',
    "NAME: int | None = None", "print(NAME is None)", "print(NAME == NAME, NAME != NAME, NAME < NAME)",
    "print(0 < NAME < 10)", "print(isinstance(NAME, int))", "print(repr(NAME), str(NAME), len(NAME))",
    'print("".join(reversed(NAME)))', "_a, *_b = NAME", "NAME[0] = NAME[-1]", "print(NAME.get(NAME, 0))",
    "print(NAME.upper().split())", "print(NAME * 2)", "print(-NAME, +NAME, ~NAME, not NAME)",
    "print(abs(NAME), NAME ** 2, NAME / 3, NAME // 3, NAME % 3)", "print(NAME << 2, NAME >> 1, NAME & 3)",
    "for _i, _v in enumerate(NAME):\n    print(_i, _v)", "NAME = EXPR", "print(list(map(str, NAME)))",
    "def _gen() -> Iterator[int]:\n    yield EXPR\n    yield from range(2)\nprint(list(_gen()))",
    "print(NAME.pop())", "NAME.sort(reverse=True)", "print(NAME.count(EXPR), NAME.index(EXPR))",
    "print(NAME(EXPR))", "print(NAME(NAME=EXPR))", "print(type(NAME).__name__)", "print(hex(EXPR), bin(EXPR))",
    "print(min(EXPR, 2.5), max(EXPR, -1), int(EXPR), float(EXPR), bool(EXPR), str(EXPR))",
]
DECORATORS = ["@staticmethod", "@classmethod", "@property", "@dataclass", "@functools.cache", "@NAME"]


def tokens_of(source: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def replace_span(lines: list[str], tok: tokenize.TokenInfo, text: str) -> None:
    (row, col), (erow, ecol) = tok.start, tok.end
    if row == erow:
        lines[row - 1] = lines[row - 1][:col] + text + lines[row - 1][ecol:]


def identifiers(source: str) -> list[str]:
    return sorted({t.string for t in tokens_of(source)
                   if t.type == tokenize.NAME and not keyword.iskeyword(t.string)}) or ["x"]


def block_end(lines: list[str], i: int) -> int:
    """Index one past the block that starts at line i (the line and everything indented deeper)."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
        j += 1
    return j


def code_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]


def fill(snippet: str, rng: random.Random, names: list[str]) -> str:
    snippet = re.sub("NAME", lambda _: rng.choice(names), snippet)
    return re.sub("EXPR", lambda _: rng.choice(INT_LITERALS + OTHER_LITERALS), snippet)


def mutate_once(source: str, rng: random.Random) -> str:
    lines = source.split("\n")
    lines_at = code_lines(lines)
    if not lines_at:
        return source
    names = identifiers(source)
    toks = tokens_of(source)
    i = rng.choice(lines_at)
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    op = rng.choice(["delete", "duplicate", "swap", "literal", "literal", "rename", "rename_all",
                     "operator", "annotation", "annotation", "wrap", "insert", "insert", "insert",
                     "decorate", "keyword"])
    if op == "delete":
        del lines[i: block_end(lines, i) if rng.random() < 0.3 else i + 1]
    elif op == "duplicate":
        end = block_end(lines, i)
        lines[end:end] = lines[i:end]
    elif op == "swap":
        j = block_end(lines, i)
        if j < len(lines) and lines[j].startswith(indent) and lines[j].strip():
            k = block_end(lines, j)
            lines[i:k] = lines[j:k] + lines[i:j]
    elif op == "literal":
        lits = [t for t in toks if t.type in (tokenize.NUMBER, tokenize.STRING)]
        lits += [t for t in toks if t.string in ("None", "True", "False")]
        if lits:
            pool = INT_LITERALS if rng.random() < 0.5 else OTHER_LITERALS
            replace_span(lines, rng.choice(lits), rng.choice(pool))
    elif op in ("rename", "rename_all"):
        named = [t for t in toks if t.type == tokenize.NAME and not keyword.iskeyword(t.string)]
        if named:
            tok = rng.choice(named)
            new = rng.choice(names + ["len", "print", "list", "self", "_fresh", "int", "object"])
            if op == "rename":
                replace_span(lines, tok, new)
            else:  # swap two identifiers everywhere
                return re.sub(rf"\b({re.escape(tok.string)}|{re.escape(new)})\b",
                              lambda m: new if m.group(1) == tok.string else tok.string, source)
    elif op == "operator":
        ops = [t for t in toks if t.type == tokenize.OP and t.string.strip() in BINOPS + [c.strip() for c in CMPOPS]]
        ops += [t for t in toks if t.string in ("and", "or", "not", "is", "in")]
        if ops:
            tok = rng.choice(ops)
            pool = CMPOPS if any(tok.string == c.strip() for c in CMPOPS) else BINOPS + [" and ", " or "]
            replace_span(lines, tok, rng.choice(pool))
    elif op == "annotation":
        spots = [(n, m) for n, line in enumerate(lines)
                 for m in re.finditer(r"(?<=: )[\w\[\], .|\"']+?(?=[,)=]|$| =)|(?<=-> )[^:]+(?=:)", line)
                 if not line.lstrip().startswith(("#", "print", "if", "while", "for", "else", "try", "except"))]
        if spots:
            n, m = rng.choice(spots)
            lines[n] = lines[n][: m.start()] + rng.choice(ANNOTATIONS) + lines[n][m.end():]
    elif op == "wrap":
        head, tail = rng.choice(WRAPPERS)
        end = block_end(lines, i)
        body = ["    " + line if line.strip() else line for line in lines[i:end]]
        extra = [indent + t for t in tail]
        if head.startswith("def") and tail:  # the call goes after the def, not inside it
            extra = [indent + tail[0]]
        lines[i:end] = [indent + head] + body + extra
    elif op == "insert":
        header = lines[i].rstrip().endswith(":")
        pad = indent + ("    " if header else "")
        snippet = fill(rng.choice(SNIPPETS), rng, names)
        lines[i + 1: i + 1] = [pad + part for part in snippet.split("\n")]
    elif op == "decorate":
        defs = [n for n in lines_at if lines[n].lstrip().startswith(("def ", "class "))]
        if defs:
            n = rng.choice(defs)
            pad = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
            lines.insert(n, pad + fill(rng.choice(DECORATORS), rng, names))
    elif op == "keyword":
        return keywordize(source, rng) or source
    return "\n".join(lines)


def keywordize(source: str, rng: random.Random) -> str | None:
    """Rewrite one call of a module function or print so that it passes arguments by keyword."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    params = {f.name: [a.arg for a in f.args.args] for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
    calls = [c for c in ast.walk(tree) if isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
             and (c.func.id in params or c.func.id == "print") and c.lineno == c.end_lineno]
    if not calls:
        return None
    call = rng.choice(calls)
    if call.func.id == "print":
        call.keywords.append(ast.keyword(rng.choice(["sep", "end"]), ast.Constant(rng.choice(["", "-", "\n", "é"]))))
    else:
        names = [n for n in params[call.func.id] if n != "self"]
        if call.args and len(call.args) <= len(names):
            k = rng.randrange(len(call.args))
            moved = call.args[k:]
            call.args = call.args[:k]
            call.keywords[:0] = [ast.keyword(n, a) for n, a in zip(names[k:], moved)]
            if rng.random() < 0.3:
                rng.shuffle(call.keywords)
        elif names:
            call.keywords.append(ast.keyword(rng.choice(names), ast.Constant(0)))
    lines = source.split("\n")
    row = lines[call.lineno - 1]
    lines[call.lineno - 1] = row[: call.col_offset] + ast.unparse(call) + row[call.end_col_offset:]
    return "\n".join(lines)


def mutate(source: str, rng: random.Random) -> str:
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        source = mutate_once(source, rng)
    return source


# ---------------------------------------------------------------------------------------------
# Running and classifying


@dataclass
class Failure:
    kind: str       # panic | internal | rustc | build-error | wrong-output | bad-diagnostic | accepts-invalid | hang
    stage: str      # check | build | run
    signature: str  # what deduplicates failures
    detail: str     # what the reproducer's header says


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


def run(cmd: list[str], timeout: float, cwd: Path | None = None) -> tuple[int | None, str, str]:
    """Runs cmd with empty stdin; returns (exit status, or None on timeout; stdout; stderr).
    A program under test (cwd given) gets at most 8 GiB of address space. CPython sees the
    `pyrsc` package (python/) and the fixed hash seed that the differential fixtures use."""
    env = dict(os.environ, RUST_BACKTRACE="1", PYTHONHASHSEED="0", PYTHONPATH=str(ROOT / "python"))
    try:
        p = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env=env,
                           preexec_fn=limit_memory if cwd else None)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def normalise(text: str) -> str:
    """A message with paths, numbers and quoted text blanked, for signatures that dedupe."""
    text = re.sub(r"/\S+\.(py|rs)\b", "FILE", text)
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "S", text)
    text = re.sub(r"`[^`]*`", "B", text)
    return text.strip()[:100]


def panic_of(stage: str, rc: int | None, output: str) -> Failure | None:
    """A Rust panic (with its location and pyrsc frames), an internal error, or a signal."""
    m = re.search(r"panicked at ([^\n]*?):\n([^\n]*)", output)
    if m:
        frames = re.findall(r"\d+: (pyrsc\w*::[^\n]+)", output)
        frames = [f for f in frames if "panicking" not in f][:6]
        detail = f"panicked at {m.group(1)}: {m.group(2)}\n" + "\n".join("  in " + f for f in frames)
        return Failure("panic", stage, f"panic {m.group(1)} {normalise(m.group(2))}", detail)
    if "internal error" in output and "bug in pyrsc" in output and not re.search(r"^error(\[E\d+\])?:", output, re.M):
        line = next(l for l in output.splitlines() if "internal error" in l)
        return Failure("internal", stage, f"internal {normalise(line)}", line)
    if rc is not None and rc < 0:
        return Failure("panic", stage, f"signal {-rc} in {stage}", f"pyrsc {stage} killed by signal {-rc}")
    return None


def diagnostic_problem(output: str, source: str) -> Failure | None:
    """A rejection must be diagnostics, each with `--> file:line:col`, a caret and a help line."""
    blocks = re.split(r"\n(?=error)", "\n" + output)
    blocks = [b.strip("\n") for b in blocks if b.strip() and not re.match(r"error: .*\d+ errors? found", b.strip())]
    if not blocks:
        return Failure("bad-diagnostic", "check", "rejected without diagnostics", output[:500])
    nlines = source.count("\n") + 1
    for block in blocks:
        code = re.match(r"error(\[[\w-]+\])?", block).group(0)  # blocks start with "error"
        loc = re.search(r"--> .*:(\d+):(\d+)", block)
        missing = [what for what, ok in [
            ("location", loc is not None),
            ("caret", re.search(r"^\s*\|\s*\^", block, re.M) is not None),
            ("help", re.search(r"^\s*(= )?help:", block, re.M) is not None),
        ] if not ok]
        if loc and int(loc.group(1)) > nlines + 1:
            missing.append("line past end of file")
        if missing:
            return Failure("bad-diagnostic", "check", f"{code} without {', '.join(missing)}",
                           "diagnostic lacks " + ", ".join(missing) + ":\n" + block)
    return None


def excerpt(stdout: str, stderr: str, lines: int = 12) -> str:
    """The first lines of a run's stdout and the last of its stderr, for a reproducer's header."""
    out = [f"  out| {line}" for line in stdout.splitlines()[:lines]]
    err = [f"  err| {line}" for line in stderr.splitlines()[-lines:]]
    return "\n".join(out + err) or "  (no output)"


DOCUMENTED = ["OverflowError:", "RecursionError:", "ValueError: chr() arg is a surrogate",
              "ValueError: negative exponent in int ** int", "ValueError: pow() with a negative exponent"]


def documented_divergence(ours: tuple, py: tuple, source: str) -> bool:
    """pyrsc stops with one of README's documented exceptions (64-bit ints, recursion depth,
    surrogates, int ** negative int) where CPython goes on; what it printed before must match
    (unless `finally`/`except` blocks may have printed on the way out)."""
    last = ours[2].strip().splitlines()[-1] if ours[2].strip() else ""
    if last.startswith("RecursionError") and py[2].strip().endswith(last):
        return True  # both overflow the stack, at depths that differ by a few frames
    handlers = "finally" in source or "except" in source
    if not any(last.startswith(d) for d in DOCUMENTED) or not (py[1].startswith(ours[1]) or handlers):
        return False
    return last.startswith("RecursionError") or not py[2].strip().endswith(last)


def first_difference(a: str, b: str) -> tuple[str, str]:
    al, bl = a.splitlines(), b.splitlines()
    for x, y in zip(al, bl):
        if x != y:
            return x, y
    n = min(len(al), len(bl))
    return ("\n".join(al[n:n + 1]) or "<end>"), ("\n".join(bl[n:n + 1]) or "<end>")


class Tester:
    def __init__(self, pyrsc: str, python: str, work: Path):
        self.pyrsc, self.python, self.work = pyrsc, python, work
        work.mkdir(parents=True, exist_ok=True)
        self.path = work / "mutant.py"
        self.exe = work / "mutant.bin"
        self.scratch = work / "scratch"

    def classify(self, source: str, upto: str = "run") -> Failure | None:
        """The failure this program shows, or None; stops after stage `upto`."""
        self.path.write_text(source, encoding="utf-8")
        if self.exe.exists():
            self.exe.unlink()
        rc, out, err = run([self.pyrsc, "check", str(self.path)], 60)
        if rc is None:
            return Failure("hang", "check", "check timed out", "pyrsc check did not finish in 60 s")
        failure = panic_of("check", rc, out + err)
        if failure or rc not in (0, 1):
            return failure or Failure("panic", "check", f"check exit {rc}", (out + err)[-800:])
        try:
            compile(source, str(self.path), "exec")
            valid = True
        except (SyntaxError, ValueError):
            valid = False
        if rc == 1:
            return diagnostic_problem(out + err, source)
        if not valid:
            return Failure("accepts-invalid", "check", "accepts what CPython rejects",
                           "pyrsc check accepts a program that CPython's compile() rejects")
        if upto == "check":
            return None
        rc, out, err = run([self.pyrsc, "build", str(self.path), "-o", str(self.exe)], 300)
        if rc is None:
            return Failure("hang", "build", "build timed out", "pyrsc build did not finish in 300 s")
        failure = panic_of("build", rc, out + err)
        if failure:
            return failure
        if rc != 0:
            text = out + err
            m = re.search(r"^error(\[E\d+\])?: (.*)$", text, re.M)
            first = m.group(0) if m else text.strip().splitlines()[-1] if text.strip() else f"exit {rc}"
            label = re.search(r"\^+ (.*)$", text[m.end():] if m else "", re.M)
            sig = first + (" | " + label.group(1) if label else "")
            kind = "rustc" if "bug in pyrsc" in text or m else "build-error"
            return Failure(kind, "build", sig, "\n".join(text.splitlines()[:40]))
        if upto == "build":
            return None
        return self.compare(source)

    def execute(self, cmd: list[str]) -> tuple[int | None, str, str]:
        """Runs a program in an empty scratch folder; object addresses in reprs are blanked."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch.mkdir()
        rc, out, err = run(cmd, 20, cwd=self.scratch)
        return rc, re.sub(r" at 0x[0-9a-f]+>", " at 0x…>", out), re.sub(r" at 0x[0-9a-f]+>", " at 0x…>", err)

    def compare(self, source: str) -> Failure | None:
        args = next((line.split(":", 1)[1].split() for line in source.splitlines() if line.startswith("# args:")), [])
        py = self.execute([self.python, str(self.path), *args])
        if py[0] is None:
            return None  # CPython times out: nothing to compare
        ours = self.execute([str(self.exe), *args])
        if ours == py:
            return None
        if ours[0] is None:
            return Failure("wrong-output", "run", "executable times out", f"CPython exits {py[0]} at once; the executable hangs")
        if documented_divergence(ours, py, source) or "MemoryError: cannot reserve a generator stack" in ours[2]:
            return None  # (the latter: 64 MiB of address space per live generator, under our limit)
        if ours[1] != py[1]:
            channel, (a, b) = "stdout", first_difference(ours[1], py[1])
            if sorted(ours[1]) == sorted(py[1]) and re.search(r"\bset\b|\{[^{}:]*\bfor\b", source):
                return None  # README: sets of str iterate in an order of pyrsc's own
        elif ours[2] != py[2]:
            channel, (a, b) = "stderr", first_difference(ours[2], py[2])
        else:
            channel, a, b = "exit status", str(ours[0]), str(py[0])
        detail = (f"{channel} differs: pyrsc's executable prints\n  {a!r}\nwhere CPython prints\n  {b!r}\n"
                  f"pyrsc: exit {ours[0]}\n{excerpt(ours[1], ours[2])}\nCPython: exit {py[0]}\n{excerpt(py[1], py[2])}")
        return Failure("wrong-output", "run", f"{channel}: {normalise(a)} vs {normalise(b)}", detail)


# ---------------------------------------------------------------------------------------------
# Minimising and reporting


def same(a: Failure | None, b: Failure) -> bool:
    return a is not None and a.kind == b.kind and a.signature == b.signature


def minimise(source: str, failure: Failure, tester: Tester, budget: float) -> str:
    """Deletes chunks of lines, then single tokens, while the same failure persists."""
    deadline = time.monotonic() + budget
    upto = {"check": "check", "build": "build"}.get(failure.stage, "run")

    def fails(candidate: str) -> bool:
        return time.monotonic() < deadline and same(tester.classify(candidate, upto), failure)

    lines = source.split("\n")
    chunk = max(1, len(lines) // 2)
    while chunk >= 1 and time.monotonic() < deadline:
        i, changed = 0, False
        while i < len(lines):
            trial = lines[:i] + lines[i + chunk:]
            if trial and fails("\n".join(trial)):
                lines, changed = trial, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    text = "\n".join(lines)
    toks = [t for t in tokens_of(text) if t.string.strip() and t.type not in (tokenize.INDENT, tokenize.DEDENT)]
    for tok in reversed(toks):  # from the end, so earlier positions stay valid
        if time.monotonic() >= deadline:
            break
        trial_lines = text.split("\n")
        replace_span(trial_lines, tok, "")
        trial = "\n".join(trial_lines)
        if trial != text and fails(trial):
            text = trial
    return text.rstrip("\n") + "\n"


class Report:
    """The output folder: one reproducer per distinct failure, summary.md, state.json."""

    def __init__(self, out: Path):
        self.out = out
        out.mkdir(parents=True, exist_ok=True)
        (out / "raw").mkdir(exist_ok=True)
        self.state_path = out / "state.json"
        self.state = json.loads(self.state_path.read_text()) if self.state_path.exists() else {"failures": []}
        self.seen = {(f["kind"], f["signature"]) for f in self.state["failures"]}
        known = out / "known.txt"  # one regex a line: failures already understood, by detail
        self.patterns = [re.compile(p, re.S) for p in known.read_text().splitlines()
                         if p.strip() and not p.startswith("#")] if known.exists() else []

    def known(self, failure: Failure) -> bool:
        return (failure.kind, failure.signature) in self.seen or any(p.search(failure.detail) for p in self.patterns)

    def add(self, failure: Failure, seed: str, original: str, minimal: str, python_behaviour: str) -> str:
        n = len(self.state["failures"]) + 1
        slug = re.sub(r"[^a-z0-9]+", "-", failure.signature.lower())[:40].strip("-")
        name = f"{n:02d}-{failure.kind}-{slug}.py"
        header = "\n".join("# " + line for line in
                           [f"{failure.kind} (found at pyrsc {failure.stage}; from {seed})", *failure.detail.splitlines(),
                            f"CPython 3.11: {python_behaviour}"])
        (self.out / name).write_text(header + "\n\n" + minimal, encoding="utf-8")
        (self.out / "raw" / name).write_text(original, encoding="utf-8")
        self.state["failures"].append({"file": name, "kind": failure.kind, "signature": failure.signature, "seed": seed})
        self.seen.add((failure.kind, failure.signature))
        self.save()
        return name

    def save(self, stats: dict | None = None) -> None:
        if stats:
            totals = self.state.setdefault("totals", {})
            for key, value in stats.items():
                totals[key] = totals.get(key, 0) + value
        self.state_path.write_text(json.dumps(self.state, indent=1))
        lines = ["# pyrsc fuzzing summary", "", "Totals over all runs: " + json.dumps(self.state.get("totals", {})), ""]
        for kind in sorted({f["kind"] for f in self.state["failures"]}):
            lines.append(f"## {kind}")
            lines += [f"- `{f['file']}`: {f['signature']} (seed {f['seed']})"
                      for f in self.state["failures"] if f["kind"] == kind]
            lines.append("")
        (self.out / "summary.md").write_text("\n".join(lines))


def python_behaviour(tester: Tester, source: str) -> str:
    try:
        compile(source, "mutant.py", "exec")
    except (SyntaxError, ValueError) as err:
        return f"rejects it ({type(err).__name__}: {err})"
    tester.path.write_text(source, encoding="utf-8")
    rc, out, err = tester.execute([tester.python, str(tester.path)])
    if rc is None:
        return "times out"
    last = err.strip().splitlines()[-1] if err.strip() else ""
    return f"exits {rc}" + (f", stdout {out[:200]!r}" if out else "") + (f", stderr ends {last!r}" if last else "")


# ---------------------------------------------------------------------------------------------
# Driver


def seed_files(paths: list[str]) -> list[Path]:
    if not paths:
        paths = [str(ROOT / "fixtures" / "run"), str(ROOT / "fixtures" / "errors")]
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0].lstrip("/! "))
    ap.add_argument("seeds", nargs="*", help="seed files or folders (default: fixtures/run and fixtures/errors)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (mutants are deterministic given it)")
    ap.add_argument("--count", type=int, default=1000, help="number of mutants")
    ap.add_argument("--time", type=float, default=3600, help="stop after this many seconds")
    ap.add_argument("--out", default="fuzz-out", help="folder for reproducers, summary.md, state.json")
    ap.add_argument("--pyrsc", default=str(ROOT / "target" / "release" / "pyrsc"))
    venv = ROOT / ".venv" / "bin" / "python"  # scripts/test.sh makes it, with NumPy
    ap.add_argument("--python", default=str(venv) if venv.exists() else sys.executable,
                    help="the CPython 3.11 to compare with (NumPy needed for array programs)")
    ap.add_argument("--work", default=None, help="scratch folder (default: OUT/work)")
    ap.add_argument("--no-mutate", action="store_true", help="test each seed once as it is, no mutants")
    ap.add_argument("--test-seeds", action="store_true", help="also test each seed as it is before mutating")
    ap.add_argument("--minimise-time", type=float, default=240, help="seconds spent minimising one failure")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    out = Path(args.out)
    report = Report(out)
    tester = Tester(args.pyrsc, args.python, Path(args.work or out / "work").resolve())
    files = seed_files(args.seeds)
    seeds = [(str(f), f.read_text(encoding="utf-8", errors="replace")) for f in files]
    jobs = [(name, text) for name, text in seeds] if args.no_mutate or args.test_seeds else []
    start, stats = time.monotonic(), {"programs": 0, "accepted": 0, "failures": 0, "new": 0}
    n = 0
    while time.monotonic() - start < args.time:
        if jobs:
            name, source = jobs.pop(0)
        elif args.no_mutate or n >= args.count:
            break
        else:
            name, text = rng.choice(seeds)
            name, source, n = f"{name} (mutant {n} of --seed {args.seed})", mutate(text, rng), n + 1
        failure = tester.classify(source)
        stats["programs"] += 1
        stats["accepted"] += tester.exe.exists()
        if stats["programs"] % 100 == 0:  # totals survive an interrupted run
            report.save(stats)
            stats = dict.fromkeys(stats, 0)
            print(f"[{time.monotonic() - start:.0f} s] {n} mutants", flush=True)
        if failure is None:
            continue
        stats["failures"] += 1
        if report.known(failure):
            continue
        print(f"[{time.monotonic() - start:.0f} s] new {failure.kind}: {failure.signature}  ({name})", flush=True)
        minimal = minimise(source, failure, tester, args.minimise_time)
        final = tester.classify(minimal)
        if same(final, failure):
            failure = final  # its detail describes the minimal program
        else:
            minimal = source  # minimising drifted; keep the original
        file = report.add(failure, name, source, minimal, python_behaviour(tester, minimal))
        stats["new"] += 1
        print(f"    -> {out / file}", flush=True)
    report.save(stats)
    print(f"done: totals over all runs {report.state['totals']}; see {out / 'summary.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
