//! The pyrsc runtime: the crate every generated program links against.
//!
//! Generated Rust calls into this crate for everything that carries Python meaning: checked
//! integer arithmetic, float printing, format specs, strings, lists, exceptions and tracebacks,
//! printing and the program entry point. The compiler crates never depend on it, and it never
//! depends on them: the only contract is the set of public functions listed in the builtins table
//! of the front end (`frontend/src/builtins/rows.rs`) plus the types generated code names directly.
//!
//! Invariant: nothing here panics on behalf of user code; every Python error is an [`Exc`] value.

// Containers mirror Python's `len()` (an `i64`); Python has no `is_empty`, and generated code
// never asks for one.
#![allow(clippy::len_without_is_empty)]

/// Instantiates a per-arity tuple macro (`$m!(A: 0, B: 1, ...)`) for every tuple size the
/// front end accepts, 1 to 8, so each tuple trait lists the sizes once.
macro_rules! for_tuple_arities {
    ($m:ident) => {
        $m!(A: 0);
        $m!(A: 0, B: 1);
        $m!(A: 0, B: 1, C: 2);
        $m!(A: 0, B: 1, C: 2, D: 3);
        $m!(A: 0, B: 1, C: 2, D: 3, E: 4);
        $m!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5);
        $m!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6);
        $m!(A: 0, B: 1, C: 2, D: 3, E: 4, F: 5, G: 6, H: 7);
    };
}

pub mod alloc;
pub mod array;
pub mod buffer;
pub mod builtins;
pub mod cell;
pub mod dict;
mod dict_order;
pub mod exc;
pub mod file;
pub mod float;
pub mod fmt;
pub mod func;
pub mod generator;
pub mod global;
pub mod int;
pub mod list;
pub mod math;
pub mod num;
pub mod object;
pub mod par;
pub mod pieces;
pub mod print;
#[cfg(feature = "python")]
pub mod python;
pub mod range;
pub mod recursion;
pub mod repr;
pub mod set;
pub mod slice;
pub mod str;
pub mod sys;
pub mod text;
pub mod tuple;
mod unicode;
pub mod view;

pub use array::Array;
pub use cell::Cell;
pub use dict::Dict;
pub use exc::{Exc, ExcKind, Flow, Frame, Located, PyResult};
pub use func::Func;
pub use generator::Generator;
pub use global::Global;
pub use list::List;
pub use num::Num;
pub use set::Set;
pub use str::Str;
pub use tuple::Tuple;

/// Runs a compiled program: `module` is the generated `<module>` body.
///
/// Stores `argv`, prints an uncaught exception and flushes stdout at the end as CPython does
/// (`print::exit_status`), and returns the process exit status (0, 1, the code given to
/// `sys.exit`, or 120 when stdout cannot be flushed).
pub fn run_main(file: &'static str, source: &'static str, module: fn() -> PyResult<()>) -> i32 {
    tune_allocator();
    // A large stack (reserved, not committed) so that CPython's 1000-frame recursion limit, not
    // the thread's stack, is what deep recursion meets.
    let program = move || {
        sys::init_argv(file);
        let outcome = module();
        print::exit_status(|| match outcome {
            Ok(()) => 0,
            Err(exc) => exc::report_uncaught(exc, file, source),
        })
    };
    match std::thread::Builder::new().stack_size(512 << 20).spawn(program) {
        Ok(handle) => handle.join().unwrap_or(1),
        Err(_) => program(),
    }
}

/// glibc's malloc gives a second thread its own arena, grown a page run at a time with an
/// `mprotect` call each: allocation-heavy programs (strings, lists) spent a quarter of their
/// time there. One arena grown in large steps, and not trimmed after every big free, behaves
/// like CPython's allocator: a program only pays for the memory it touches. Blocks up to 8 MiB
/// come from that arena too, so memory a program frees is reused without new page faults;
/// larger ones (big output lists) stay fresh mappings, whose pages the first writer faults in —
/// under `prange`, every worker in parallel. (32 MiB made string programs 3% faster and the
/// row-parallel benchmark's serial part 12% longer.)
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_TOP_PAD: i32 = -2;
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    // SAFETY: `mallopt` only changes allocator tuning parameters; it is called before any other
    // thread exists, with parameters glibc documents for these constants.
    unsafe {
        mallopt(M_ARENA_MAX, 1);
        mallopt(M_TOP_PAD, 64 << 20);
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
        mallopt(M_MMAP_THRESHOLD, 8 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
