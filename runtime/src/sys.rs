//! The `sys` module: `argv` and `exit`.

use std::cell::RefCell;
use std::convert::Infallible;

use crate::exc::{Exc, ExitCode};
use crate::list::List;
use crate::str::Str;

thread_local! {
    static ARGV: RefCell<Option<List<Str>>> = const { RefCell::new(None) };
}

/// Builds `sys.argv`: the script path (as CPython shows it) and the process arguments.
pub(crate) fn init_argv(script: &'static str) {
    let mut items = vec![Str::from_static(script)];
    items.extend(std::env::args().skip(1).map(Str::from));
    ARGV.with(|argv| *argv.borrow_mut() = Some(List::from_vec(items)));
}

/// `sys.argv` (the same list object on every access).
pub fn argv() -> List<Str> {
    ARGV.with(|argv| argv.borrow_mut().get_or_insert_with(List::new).clone())
}

/// `sys.exit()`.
pub fn exit() -> Result<Infallible, Exc> {
    Err(Exc::system_exit_without_code())
}

/// `sys.exit(n)`.
pub fn exit_code(code: i64) -> Result<Infallible, Exc> {
    Err(Exc::system_exit(ExitCode::Code(code)))
}

/// `sys.exit("message")`: prints the message to stderr and exits with status 1.
pub fn exit_message(message: &Str) -> Result<Infallible, Exc> {
    Err(Exc::system_exit(ExitCode::Message(message.as_str().to_owned())))
}

/// `input(prompt)`: writes the prompt (flushing what was printed before), reads one line from
/// stdin without its line end; EOFError at the end of input.
pub fn input_prompt(prompt: &Str) -> Result<Str, Exc> {
    crate::print::write_stdout(prompt.as_str())?;
    input()
}

/// `input()`.
pub fn input() -> Result<Str, Exc> {
    crate::print::flush_stdout()?;
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) | Err(_) => Err(Exc::new(crate::exc::ExcKind::EOFError, "EOF when reading a line")),
        Ok(_) => {
            if line.ends_with('\n') {
                line.pop();
                if line.ends_with('\r') {
                    line.pop();
                }
            }
            Ok(Str::from(line))
        }
    }
}
