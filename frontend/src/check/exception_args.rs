//! `e.args`: the arguments an exception was constructed with (type `ExcArgs`, a tuple in
//! CPython). Printing them (`print(e.args)`, `str`, `repr`, f-strings), `len(e.args)`, their
//! truth and `==` work for every exception: the runtime keeps each argument's repr.
//!
//! `e.args[i]` is typed `str`, so it is accepted only where every exception the handler can
//! catch was built from str arguments: not where a KeyError (its key), an OSError (its errno),
//! SystemExit (its code), an exception class of the program, or a built-in class that the
//! program constructs with a non-str argument (`ValueError(5)`) could arrive. The last is only
//! known once the whole module is checked, so those reads are checked then.

use super::Checker;
use crate::builtins::{Key, Op};
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Loc;
use crate::span::Span;
use crate::types::Type;

/// Built-in classes whose arguments are not all str when the runtime raises them.
const NON_STR_ARGS: &[&str] =
    &["KeyError", "OSError", "FileNotFoundError", "ConnectionError", "BrokenPipeError", "SystemExit", "MemoryError"];

/// The base of a built-in exception class, as in CPython's hierarchy.
fn builtin_parent(class: &str) -> Option<&'static str> {
    Some(match class {
        "BaseException" => return None,
        "Exception" | "SystemExit" => "BaseException",
        "ZeroDivisionError" | "OverflowError" => "ArithmeticError",
        "IndexError" | "KeyError" => "LookupError",
        "UnboundLocalError" => "NameError",
        "RecursionError" | "NotImplementedError" => "RuntimeError",
        "FileNotFoundError" | "ConnectionError" => "OSError",
        "BrokenPipeError" => "ConnectionError",
        "FrozenInstanceError" => "AttributeError",
        _ => "Exception",
    })
}

/// Whether built-in class `class` is `ancestor` or derives from it.
fn builtin_is_a(class: &str, ancestor: &str) -> bool {
    let mut current = Some(class);
    while let Some(c) = current {
        if c == ancestor {
            return true;
        }
        current = builtin_parent(c);
    }
    false
}

/// "a" or "an" before a class name.
fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

impl Checker<'_> {
    /// Whether `ty` is an object of one of the program's exception classes that does not define
    /// an `args` member of its own.
    pub(super) fn is_exception_object(&self, ty: &Type) -> bool {
        let Type::Object(class) = ty else { return false };
        self.scope.is_exception(class.id)
            && self.field_ref(class.id, "args").is_none()
            && self.scope.find_method(class.id, "args").is_none()
    }

    /// `e.args` of a handler's exception or of an exception object of the program.
    pub(super) fn exception_args(&mut self, value: Expr, span: Span) -> Expr {
        match &value.ty {
            Type::Object(class) => {
                let Some(field) = self.field_ref(class.id, super::classes::ARGS_FIELD) else {
                    return self.poisoned(span);
                };
                let loc = self.loc(span);
                let repr = Expr::new(
                    ExprKind::Field {
                        base: Box::new(value),
                        slot: field.slot,
                        name: super::classes::ARGS_FIELD.to_owned(),
                        checked: false,
                    },
                    Type::Str,
                    loc,
                );
                self.builtin_call(Key::Op(Op::ExceptionArgsFromRepr), vec![repr], span)
            }
            _ => self.builtin_call(Key::Op(Op::ExceptionArgs), vec![value], span),
        }
    }

    /// `e.args[index]`: a str, where the handler of `e` can only catch exceptions built from str
    /// arguments (see the module doc).
    pub(super) fn exception_arg(&mut self, args: Expr, index: Expr, span: Span, loc: Loc) -> Expr {
        let (handler, object_class) = match &args.kind {
            ExprKind::Builtin { args: inner, .. } => match inner.first().map(|e| (&e.kind, &e.ty)) {
                Some((ExprKind::Local(id), _)) => {
                    (self.f.handler_caught.iter().rev().find(|(local, _, _)| local == id).cloned(), None)
                }
                Some((ExprKind::Field { base, .. }, _)) => {
                    (None, if let Type::Object(class) = &base.ty { Some(class.id) } else { None })
                }
                _ => (None, None),
            },
            _ => (None, None),
        };
        let handler = match (handler, object_class) {
            (None, Some(class)) => Some((crate::ir::LocalId(u32::MAX), Vec::new(), vec![class])),
            (handler, _) => handler,
        };
        let Some((_, classes, user)) = handler else {
            self.error(
                Code::Unsupported,
                span,
                "`args[i]` is supported on the exception of an `except ... as e` handler that catches built-in classes",
                "not a handler's exception",
                "use str(e) for the message, or a field of the exception object",
            );
            return self.poisoned(span);
        };
        let program_class = (0..self.scope.classes.len() as u32)
            .filter(|c| self.scope.is_exception(*c))
            .find(|c| user.contains(c) || classes.iter().any(|h| builtin_is_a(self.exception_builtin_base(*c), h)));
        if let Some(class) = program_class {
            let name = self.scope.classes[class as usize].name.clone();
            self.error(
                Code::Unsupported,
                span,
                format!("`e.args[i]` where this handler may catch `{name}`, an exception class of the program, is not supported by pyrsc yet"),
                "may be a program's exception",
                format!("read str(e), or a field of the `{name}` object (`except {name} as err: err.field`)"),
            );
            return self.poisoned(span);
        }
        if let Some(risky) = NON_STR_ARGS.iter().find(|r| classes.iter().any(|h| builtin_is_a(r, h))) {
            self.error(
                Code::Unsupported,
                span,
                format!("`e.args[i]` where this handler may catch {} {risky}, whose arguments are not all str, is not supported by pyrsc", article(risky)),
                format!("may be {} {risky}", article(risky)),
                "print e.args as a whole, use str(e), or catch narrower classes (ValueError, IndexError, ...)",
            );
            return self.poisoned(span);
        }
        self.exception_arg_reads.push((classes, span));
        let mut read = self.builtin_call(Key::Op(Op::ExceptionArg), vec![args, index], span);
        read.loc = loc;
        read
    }

    /// After the module: `e.args[i]` reads whose handler may catch a built-in class that the
    /// program constructs with a non-str argument.
    pub(super) fn check_exception_arg_reads(&mut self) {
        let reads = std::mem::take(&mut self.exception_arg_reads);
        for (classes, span) in reads {
            let constructed =
                self.nonstr_exception_args.iter().find(|c| classes.iter().any(|h| builtin_is_a(c, h))).copied();
            if let Some(class) = constructed {
                self.error(
                    Code::Unsupported,
                    span,
                    format!("`e.args[i]` where this handler may catch {} {class} that this program builds from a value that is not a str", article(class)),
                    "may not be a str",
                    format!("build the {class} from a str (an f-string), or print e.args as a whole"),
                );
            }
        }
    }
}
