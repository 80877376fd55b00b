//! Snapshots (insta) of a few rendered diagnostics and of the Rust generated for the fast paths,
//! so that a wording change or an optimisation that silently stops applying shows up in review.
//! Bless with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test snapshots`).

use pyrsc_frontend::{compile_source, FrontendError};

fn diagnostics(source: &str) -> String {
    match compile_source("example.py", source) {
        Err(FrontendError::Diagnostics(diagnostics)) => {
            diagnostics.iter().map(|d| d.render("example.py", source, false)).collect()
        }
        Err(FrontendError::Internal(message)) => panic!("internal error: {message}"),
        Ok(_) => panic!("expected diagnostics"),
    }
}

fn generated(source: &str) -> String {
    let module = compile_source("example.py", source).unwrap_or_else(|err| panic!("{err:?}"));
    pyrsc_codegen::generate(&module).expect("codegen")
}

#[test]
fn type_mismatch_in_call() {
    insta::assert_snapshot!(diagnostics("def half(x: int) -> int:\n    return x // 2\n\nprint(half(\"ten\"))\n"));
}

#[test]
fn int_into_float_list() {
    insta::assert_snapshot!(diagnostics("xs: list[float] = [0.5, 1]\n"));
}

#[test]
fn several_errors_in_one_file() {
    insta::assert_snapshot!(diagnostics("import pandas\n\ndef f(x) -> int:\n    return y\n"));
}

#[test]
fn undefined_name_suggests_a_close_one() {
    insta::assert_snapshot!(diagnostics("count = 3\nprint(cuont + 1)\n"));
}

/// The typed range loop must stay a plain Rust `for` over `start..stop` with unchecked float
/// arithmetic, and a function that cannot raise must not return a `Result`.
#[test]
fn typed_range_loop() {
    let rust = generated(
        "def dot(xs: list[float], ys: list[float], n: int) -> float:\n    total = 0.0\n    for i in range(n):\n        total += xs[i] * ys[i]\n    return total\n\n\ndef scale(x: float) -> float:\n    return x * 2.0\n",
    );
    let start = rust.find("fn f__dot").expect("dot is generated");
    let end = rust.find("fn __module_body").expect("module body is generated");
    insta::assert_snapshot!(&rust[start..end]);
}

#[test]
fn prange_computed_index_race() {
    insta::assert_snapshot!(diagnostics(
        "from pyrsc import prange\n\ndef last_seen(values: list[int]) -> list[int]:\n    bins = [0] * 10\n    for i in prange(len(values)):\n        bins[values[i] % 10] = i\n    return bins\n"
    ));
}

#[test]
fn prange_outer_assignment_race() {
    insta::assert_snapshot!(diagnostics(
        "from pyrsc import prange\n\nlast = 0.0\nxs = [1.0, 2.0]\nfor i in prange(2):\n    last = xs[i] * 2.0\nprint(last)\n"
    ));
}

#[test]
fn possibly_none_value_shows_the_check() {
    insta::assert_snapshot!(diagnostics(
        "def find(xs: list[str], p: str) -> str | None:\n    for x in xs:\n        if x.startswith(p):\n            return x\n    return None\n\nprint(len(find(['a'], 'a')) + 1)\nhit = find(['a'], 'a')\nprint(hit.upper())\n"
    ));
}

fn module_diagnostics(source: &str) -> String {
    let target = pyrsc_frontend::Target::Extension { name: "example".to_owned() };
    match pyrsc_frontend::compile("example.py", source, &target) {
        Err(FrontendError::Diagnostics(diagnostics)) => {
            diagnostics.iter().map(|d| d.render("example.py", source, false)).collect()
        }
        Err(FrontendError::Internal(message)) => panic!("internal error: {message}"),
        Ok(_) => panic!("expected diagnostics"),
    }
}

#[test]
fn exported_function_with_a_callable_parameter() {
    insta::assert_snapshot!(module_diagnostics(
        "from typing import Callable\n\n\ndef apply(f: Callable[[int], int], x: int) -> int:\n    return f(x)\n"
    ));
}

#[test]
fn array_indexed_with_too_few_indices() {
    insta::assert_snapshot!(diagnostics(
        "import numpy as np\nfrom numpy.typing import NDArray\n\n\ndef first_row(a: NDArray[np.float64]) -> float:\n    return a[0, 0] + a[1]\n"
    ));
}

/// An array loop reads each element through `Array::get` on a local header (no handle
/// traffic), with the bounds check that `range(a.shape[k])` lets LLVM remove.
#[test]
fn array_row_loop() {
    let rust = generated(
        "import numpy as np\nfrom numpy.typing import NDArray\n\n\ndef total(a: NDArray[np.float64]) -> float:\n    s = 0.0\n    for i in range(a.shape[0]):\n        for j in range(a.shape[1]):\n            s += a[i, j]\n    return s\n",
    );
    let start = rust.find("fn f__total").expect("total is generated");
    let end = rust.find("fn __module_body").expect("module body is generated");
    insta::assert_snapshot!(&rust[start..end]);
}

#[test]
fn unknown_field_lists_the_class_members() {
    insta::assert_snapshot!(diagnostics("class P:\n    def __init__(self, x: float) -> None:\n        self.x = x\n\n    def norm(self) -> float:\n        return abs(self.x)\n\nprint(P(1.0).y)\n"));
}

#[test]
fn optional_field_read_shows_the_check() {
    insta::assert_snapshot!(diagnostics("class Node:\n    def __init__(self) -> None:\n        self.next: Node | None = None\n        self.value = 0\n\nn = Node()\nprint(n.next.value)\n"));
}

/// A field read on an object is one load through the handle (no check) when every `__init__`
/// assigns the field before `self` is used.
#[test]
fn solid_field_read_is_a_plain_load() {
    let code = generated("class P:\n    def __init__(self, x: float) -> None:\n        self.x = x\n\n    def get(self) -> float:\n        return self.x\n\nprint(P(2.0).get())\n");
    let start = code.find("fn m0__get").expect("method");
    insta::assert_snapshot!(&code[start..start + code[start..].find("\n}\n").expect("end") + 2]);
}

/// CPython's tokenizer message for a character that cannot be part of a name, with the caret
/// under the whole character.
#[test]
fn invalid_character_after_a_name() {
    insta::assert_snapshot!(diagnostics("a\u{1F600} = 1\n"));
}

#[test]
fn null_byte_in_a_comment() {
    insta::assert_snapshot!(diagnostics("x = 1  # a\0b\nprint(x)\n"));
}

/// A decorator pyrsc cannot honour is an error that says how to apply it by hand.
#[test]
fn function_decorator_is_rejected() {
    insta::assert_snapshot!(diagnostics(
        "def twice(f: int) -> int:\n    return f\n\n@twice\ndef inc(x: int) -> int:\n    return x + 1\n"
    ));
}

/// NumPy's array printing is not reproduced: printing an array is an error with a way out.
#[test]
fn printing_an_array() {
    insta::assert_snapshot!(diagnostics("import numpy as np\n\nprint(np.zeros(3))\n"));
}
