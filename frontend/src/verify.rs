//! The IR verifier: checks the contract code generation relies on, after every compilation.
//! A failure here is a pyrsc bug and is reported as an internal error, never as a user error.

use crate::ir::{Expr, ExprKind, FormatPart, Function, Module, Stmt, Target};
use crate::syntax::BinOp;
use crate::types::Type;

pub fn verify(module: &Module) -> Result<(), String> {
    for function in module.functions.iter().chain(std::iter::once(&module.body)) {
        let cx = Verifier { module, function };
        for param in &function.params {
            cx.local(param.0)?;
        }
        if function.ret.has_unknown() {
            return Err(format!("function `{}` has an unknown return type", function.name));
        }
        for local in &function.locals {
            if local.ty.has_unknown() {
                return Err(format!("local `{}` of `{}` has an unknown type", local.name, function.name));
            }
        }
        cx.block(&function.body)?;
    }
    for global in &module.globals {
        if global.ty.has_unknown() {
            return Err(format!("global `{}` has an unknown type", global.name));
        }
    }
    Ok(())
}

struct Verifier<'a> {
    module: &'a Module,
    function: &'a Function,
}

impl Verifier<'_> {
    fn fail<T>(&self, what: &str, e: &Expr) -> Result<T, String> {
        Err(format!("in `{}` at line {}: {what} ({:?})", self.function.name, e.loc.line, e.ty))
    }

    fn local(&self, id: u32) -> Result<(), String> {
        if (id as usize) < self.function.locals.len() {
            Ok(())
        } else {
            Err(format!("local id {id} out of range in `{}`", self.function.name))
        }
    }

    fn block(&self, stmts: &[Stmt]) -> Result<(), String> {
        stmts.iter().try_for_each(|s| self.stmt(s))
    }

    fn target(&self, target: &Target) -> Result<(), String> {
        match target {
            Target::Local(id) => self.local(id.0),
            Target::Global(id) if (id.0 as usize) < self.module.globals.len() => Ok(()),
            Target::Global(id) => Err(format!("global id {} out of range", id.0)),
            Target::Index { base, index, .. } => {
                self.expr(base)?;
                self.expr(index)
            }
            Target::Tuple(items) => items.iter().try_for_each(|t| self.target(t)),
            Target::Field { base, slot, .. } => {
                let Type::Object(class) = &base.ty else { return Err("field store on a non-object".to_owned()) };
                let root = self.module.classes.get(class.id as usize).map(|c| c.root as usize).unwrap_or(usize::MAX);
                if self.module.classes.get(root).is_none_or(|c| *slot >= c.slots.len()) {
                    return Err(format!("field slot {slot} out of range"));
                }
                self.expr(base)
            }
            Target::Slice { base, lower, upper, step, .. } => {
                self.expr(base)?;
                [lower, upper, step].into_iter().flatten().try_for_each(|e| self.expr(e))
            }
            Target::Free(i) if *i < self.function.free.len() => Ok(()),
            Target::Free(i) => Err(format!("free variable {i} out of range in `{}`", self.function.name)),
        }
    }

    fn stmt(&self, stmt: &Stmt) -> Result<(), String> {
        match stmt {
            Stmt::Assign { target, value } => {
                self.target(target)?;
                self.expr(value)
            }
            Stmt::Expr(e) | Stmt::Yield { value: e, .. } => self.expr(e),
            Stmt::YieldFrom { call, .. } => self.expr(call),
            Stmt::ForGen { target, call, body, orelse, .. } => {
                if !matches!(call.ty, Type::Iterator(_)) {
                    return Err(format!(
                        "a generator loop over something else than a generator in `{}`",
                        self.function.name
                    ));
                }
                self.target(target)?;
                self.expr(call)?;
                self.block(body)?;
                self.block(orelse)
            }
            Stmt::If { cond, then_body, else_body } => {
                self.condition(cond)?;
                self.block(then_body)?;
                self.block(else_body)
            }
            Stmt::While { cond, body, orelse } => {
                self.condition(cond)?;
                self.block(body)?;
                self.block(orelse)
            }
            Stmt::ForRange { var, start, stop, step, body, orelse } => {
                self.target(var)?;
                for bound in [start, stop, step] {
                    self.expr(bound)?;
                    if bound.ty != Type::Int {
                        return self.fail("range bound is not an int", bound);
                    }
                }
                self.block(body)?;
                self.block(orelse)
            }
            Stmt::ForList { target, iterable, body, orelse } => {
                self.target(target)?;
                self.expr(iterable)?;
                self.block(body)?;
                self.block(orelse)
            }
            Stmt::ParFor(par) => {
                for bound in [&par.start, &par.stop, &par.step].into_iter().chain(&par.threads) {
                    self.expr(bound)?;
                    if bound.ty != Type::Int {
                        return self.fail("prange bound is not an int", bound);
                    }
                }
                self.block(&par.body)?;
                self.block(&par.orelse)
            }
            Stmt::ForPieces { target, text, sep, body, orelse, .. } => {
                self.target(target)?;
                self.expr(text)?;
                if let Some(sep) = sep {
                    self.expr(sep)?;
                }
                self.block(body)?;
                self.block(orelse)
            }
            Stmt::Break | Stmt::Continue => Ok(()),
            Stmt::Return(value) => value.as_ref().map_or(Ok(()), |v| self.expr(v)),
            Stmt::Assert { test, msg, .. } => {
                self.condition(test)?;
                msg.as_ref().map_or(Ok(()), |m| self.expr(m))
            }
            Stmt::Def { local, function, captures } => {
                self.local(local.0)?;
                captures.iter().try_for_each(|c| self.local(c.0))?;
                if captures.len() != function.free.len() {
                    return Err(format!(
                        "`{}` captures {} variables for {} free ones",
                        function.name,
                        captures.len(),
                        function.free.len()
                    ));
                }
                let nested = Verifier { module: self.module, function };
                function.params.iter().try_for_each(|p| nested.local(p.0))?;
                nested.block(&function.body)
            }
            Stmt::DeleteSlice { base, lower, upper, step, .. } => {
                self.expr(base)?;
                [lower, upper, step].into_iter().flatten().try_for_each(|e| self.expr(e))
            }
            Stmt::Try(t) => {
                for handler in &t.handlers {
                    if let Some(var) = handler.var {
                        self.local(var.0)?;
                    }
                    if handler.classes.is_empty() && handler.user.is_empty() {
                        return Err(format!("an except clause with no class in `{}`", self.function.name));
                    }
                }
                t.blocks().into_iter().try_for_each(|b| self.block(b))
            }
            Stmt::Raise { value, cause, .. } => {
                for e in value.iter().chain(cause.expr()) {
                    self.expr(e)?;
                    if e.ty != Type::Exception {
                        return self.fail("raised value is not an exception", e);
                    }
                }
                Ok(())
            }
        }
    }

    fn condition(&self, cond: &Expr) -> Result<(), String> {
        self.expr(cond)?;
        if cond.ty != Type::Bool {
            return self.fail("condition is not a bool", cond);
        }
        Ok(())
    }

    fn expr(&self, e: &Expr) -> Result<(), String> {
        if e.ty.has_unknown() {
            return self.fail("expression of unknown type", e);
        }
        self.block(e.inner_stmts())?;
        e.children().into_iter().try_for_each(|child| self.expr(child))?;
        self.invariants(e)
    }

    /// The checks particular to one kind of expression; its children are already verified.
    fn invariants(&self, e: &Expr) -> Result<(), String> {
        match &e.kind {
            ExprKind::Local(id) => self.local(id.0),
            ExprKind::Global(id) if (id.0 as usize) >= self.module.globals.len() => {
                self.fail("global id out of range", e)
            }
            ExprKind::Free(i) if *i >= self.function.free.len() => self.fail("free variable out of range", e),
            ExprKind::FunctionRef(id) if (id.0 as usize) >= self.module.functions.len() => {
                self.fail("function reference out of range", e)
            }
            ExprKind::Binary { op, left, right } => {
                let repeat = *op == BinOp::Mul
                    && matches!(left.ty, Type::Str | Type::List(_) | Type::VarTuple(_))
                    && right.ty == Type::Int;
                if left.ty != right.ty && !repeat {
                    return self.fail("binary operands differ in type", e);
                }
                Ok(())
            }
            ExprKind::Compare { operands, ops } if operands.len() != ops.len() + 1 => {
                self.fail("comparison operand count", e)
            }
            ExprKind::IfExp { cond, then, orelse } => {
                if cond.ty != Type::Bool {
                    return self.fail("condition is not a bool", cond);
                }
                if then.ty != orelse.ty {
                    return self.fail("conditional branches differ in type", e);
                }
                Ok(())
            }
            ExprKind::Call { func, args } => {
                let callee = self.module.functions.get(func.0 as usize).ok_or("call to an unknown function")?;
                if callee.params.len() != args.len() {
                    return self.fail("argument count", e);
                }
                match callee.params.iter().zip(args).find(|(param, arg)| callee.local(**param).ty != arg.ty) {
                    Some((_, arg)) => self.fail("argument type differs from parameter type", arg),
                    None => Ok(()),
                }
            }
            ExprKind::New { init, args, .. } => {
                let callee = self.module.functions.get(init.0 as usize).ok_or("constructor of an unknown function")?;
                if callee.params.len() != args.len() + 1 {
                    return self.fail("constructor argument count", e);
                }
                match callee.params.iter().skip(1).zip(args).find(|(param, arg)| callee.local(**param).ty != arg.ty) {
                    Some((_, arg)) => self.fail("constructor argument type differs from parameter type", arg),
                    None => Ok(()),
                }
            }
            ExprKind::FString(parts) => parts.iter().try_for_each(|part| match part {
                FormatPart::Value { value, conversion: None, spec: Some(_) }
                    if !matches!(value.ty, Type::Int | Type::Bool | Type::Float | Type::Num | Type::Str) =>
                {
                    self.fail("format spec applied to a value that has no __format__ with a spec", value)
                }
                _ => Ok(()),
            }),
            _ => Ok(()),
        }
    }
}
