//! `print(...)` with `sep=`, `end=`, `file=` and `flush=`, and `open(path, mode, encoding=)`.

use super::scope::ModuleName;
use super::Checker;
use crate::builtins::Key;
use crate::diagnostic::Code;
use crate::ir::{Expr, ExprKind};
use crate::span::Span;
use crate::syntax::{self, Keyword};
use crate::types::Type;

impl Checker<'_> {
    /// `open(path, mode, encoding="utf-8")`: text files are UTF-8 (another encoding is
    /// rejected), `mode` may be given by keyword.
    pub(crate) fn open_call(&mut self, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        let mut values: Vec<Expr> = args.iter().map(|a| self.expr(a, Some(&Type::Str))).collect();
        for keyword in keywords {
            match (keyword.name.as_str(), &keyword.value.kind) {
                ("encoding", syntax::ExprKind::Str(encoding))
                    if matches!(encoding.to_ascii_lowercase().as_str(), "utf-8" | "utf8") => {}
                ("mode", _) if values.len() == 1 => values.push(self.expr(&keyword.value, Some(&Type::Str))),
                _ => {
                    self.error(
                        Code::Unsupported,
                        keyword.span,
                        format!("`open(..., {}=...)` is not supported by pyrsc", keyword.name),
                        "not supported",
                        "pyrsc opens text files as UTF-8: pass the path, the mode (\"r\", \"w\", \"a\") and at most encoding=\"utf-8\"",
                    );
                    return self.poisoned(span);
                }
            }
        }
        self.builtin_call(Key::Function("open"), values, span)
    }

    pub(crate) fn print(&mut self, args: &[syntax::Expr], keywords: &[Keyword], span: Span) -> Expr {
        let values: Vec<Expr> = args.iter().map(|a| self.expr(a, None)).collect();
        for (value, arg) in values.iter().zip(args) {
            self.reject_array_text(value, arg.span);
        }
        let mut sep = None;
        let mut end = None;
        let (mut stderr, mut flush) = (false, false);
        let mut file = None;
        for keyword in keywords {
            if keyword.name == "file"
                && !matches!(&keyword.value.kind, syntax::ExprKind::Attribute { value, .. } if matches!(&value.kind, syntax::ExprKind::Name(n) if self.scope.names.get(n) == Some(&ModuleName::Module("sys"))))
            {
                let target = self.expr(&keyword.value, None);
                match target.ty {
                    Type::File => file = Some(Box::new(target)),
                    Type::Unknown => {}
                    other => self.error(
                        Code::TypeMismatch,
                        keyword.value.span,
                        format!("`print(..., file=...)` needs a file, not {other}"),
                        format!("this is {other}"),
                        "pass a file from open(path, \"w\"), or sys.stderr",
                    ),
                }
                continue;
            }
            match (keyword.name.as_str(), &keyword.value.kind) {
                ("file", syntax::ExprKind::Attribute { value, attr })
                    if matches!(&value.kind, syntax::ExprKind::Name(n) if self.scope.names.get(n) == Some(&ModuleName::Module("sys")))
                        && (attr == "stderr" || attr == "stdout") =>
                {
                    stderr = attr == "stderr";
                    continue;
                }
                ("flush", syntax::ExprKind::Bool(b)) => {
                    flush = *b;
                    continue;
                }
                ("file" | "flush", _) => {
                    self.error(Code::Unsupported, keyword.span, format!("`print(..., {}=...)` is supported only as `file=sys.stderr`/`sys.stdout` and `flush=True`/`False`", keyword.name), "not supported", "print to sys.stdout or sys.stderr");
                    continue;
                }
                _ => {}
            }
            let value = self.expr(&keyword.value, None);
            let slot = match keyword.name.as_str() {
                "sep" => &mut sep,
                "end" => &mut end,
                other => {
                    self.error(
                        Code::Unsupported,
                        keyword.span,
                        format!("`print(..., {other}=...)` is not supported"),
                        "not supported",
                        "use `sep=`, `end=`, `file=` and `flush=`",
                    );
                    continue;
                }
            };
            match value.ty {
                Type::Str => *slot = Some(Box::new(value)),
                Type::None | Type::Unknown => {}
                _ => self.error(
                    Code::TypeMismatch,
                    keyword.value.span,
                    format!("`{}` must be a str or None, not {}", keyword.name, value.ty),
                    format!("this is {}", value.ty),
                    "pass a string",
                ),
            }
        }
        Expr::new(ExprKind::Print { args: values, sep, end, stderr, flush, file }, Type::None, self.loc(span))
    }
}
