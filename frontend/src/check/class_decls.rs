//! The typed IR of classes after their methods are checked: method bodies (with `self`, `cls`
//! and `super()` set up), the dispatchers of overridden methods (a class test per overriding
//! implementation, then the base's), and the class table codegen lays objects out from.

use super::classes::MethodDef;
use super::state::FnState;
use super::Checker;
use crate::diagnostic::Code;
use crate::ir::{self, Conversion, Expr, ExprKind, FuncId, Stmt};
use crate::types::Type;

/// Whether a method body calls `super().__init__(...)` (at any depth).
fn calls_super_init(body: &[crate::syntax::Stmt]) -> bool {
    use crate::syntax::ExprKind as S;
    let mut found = false;
    crate::syntax::visit_exprs(body, &mut |e| {
        if let S::Call { func, .. } = &e.kind {
            found |= super::decls::class_fields::is_super_init(func);
        }
    });
    found
}

/// The special methods the runtime calls by itself (printing, `==` inside containers).
const RUNTIME_SPECIALS: &[&str] = &["__repr__", "__str__", "__eq__", "__lt__"];

impl Checker<'_> {
    /// Checks one method body.
    pub(super) fn method(&mut self, method: &MethodDef) -> ir::Function {
        let setup = |f: &mut FnState| {
            f.class = Some(method.class);
            f.cls_param = method.cls_param.clone().map(|name| (name, method.class));
            f.may_init_frozen = method.generated && method.def.name == "__init__";
        };
        let mut function = self.function_with(method.func, &method.def, setup);
        function.method_of = Some(method.class);
        function.setter = self.scope.classes[method.class as usize]
            .methods
            .iter()
            .any(|m| m.func == method.func && m.kind == super::classes::MethodKind::Setter);
        if method.def.name == "__init__" && self.scope.is_exception(method.class) && !calls_super_init(&method.def.body)
        {
            self.error(
                Code::Unsupported,
                method.def.name_span,
                "an exception class's `__init__` must call `super().__init__(message)`",
                "no super().__init__ call",
                "call `super().__init__(message)` in `__init__` (CPython's str(e) comes from those arguments)",
            );
        }
        function
    }

    /// The dispatcher `func` of method `name` defined by `class`: runs the implementation of
    /// the object's own class.
    pub(super) fn dispatcher(&mut self, func: FuncId, class: u32, name: &str) -> ir::Function {
        let signature = self.scope.signatures[func.0 as usize].clone();
        let params_ty = self.inference.params[func.0 as usize].clone();
        let ret = self.inference.rets[func.0 as usize].clone();
        let loc = self.loc(self.scope.classes[class as usize].name_span);
        let mut f = FnState::placeholder();
        let params: Vec<ir::LocalId> =
            signature.params.iter().zip(&params_ty).map(|(p, ty)| f.add_local(&p.name, ty.clone(), true)).collect();
        let read = |i: usize| Expr::new(ExprKind::Local(params[i]), params_ty[i].clone(), loc);
        let base_impl = self.scope.find_method(class, name).map(|(_, m)| m.func);
        // Each class of the hierarchy below `class` runs its nearest implementation.
        let mut groups: Vec<(FuncId, u32, Vec<u32>)> = Vec::new();
        for c in self.scope.subtree(class) {
            let Some((definer, method)) = self.scope.find_method(c, name) else { continue };
            if Some(method.func) == base_impl {
                continue;
            }
            match groups.iter_mut().find(|g| g.0 == method.func) {
                Some(group) => group.2.push(c),
                None => groups.push((method.func, definer, vec![c])),
            }
        }
        let call = |this: &Checker, target: FuncId, receiver_class: u32| {
            let receiver = this.recast(read(0), receiver_class);
            let args: Vec<Expr> = std::iter::once(receiver).chain((1..params.len()).map(read)).collect();
            let target_ret = this.inference.rets[target.0 as usize].clone();
            let call = Expr::new(ExprKind::Call { func: target, args }, target_ret.clone(), loc);
            match (&target_ret, &ret) {
                (Type::Object(a), Type::Object(b)) if a != b => Expr::new(
                    ExprKind::Convert { conversion: Conversion::Recast, value: Box::new(call) },
                    ret.clone(),
                    loc,
                ),
                _ => call,
            }
        };
        let ret_of = |value: Expr| -> Vec<Stmt> {
            if ret == Type::None {
                vec![Stmt::Expr(value), Stmt::Return(None)]
            } else {
                vec![Stmt::Return(Some(value))]
            }
        };
        let mut body = Vec::new();
        for (target, definer, classes) in groups {
            let test = Expr::new(ExprKind::IsInstance { value: Box::new(read(0)), classes }, Type::Bool, loc);
            body.push(Stmt::If { cond: test, then_body: ret_of(call(self, target, definer)), else_body: Vec::new() });
        }
        if let Some(base) = base_impl {
            body.extend(ret_of(call(self, base, class)));
        }
        ir::Function {
            name: name.strip_prefix("$set_").unwrap_or(name).to_owned(),
            params,
            locals: f.locals,
            ret,
            body,
            free: Vec::new(),
            loc,
            method_of: Some(class),
            dispatcher: true,
            setter: name.starts_with("$set_"),
            // (A method returning an iterator must be a generator.)
            generator: matches!(self.inference.rets[func.0 as usize], Type::Iterator(_)),
            source: ir::SourceSignature::default(),
        }
    }

    /// How objects of class `id` hash: CPython gives a class that defines `__eq__` without
    /// `__hash__` no hash (a frozen dataclass hashes its fields).
    fn object_hash(&self, id: u32) -> ir::ObjectHash {
        if let Some((func, _)) = self.scope.method_target(id, "__hash__") {
            return ir::ObjectHash::Method(func);
        }
        let Some((definer, _)) = self.scope.find_method(id, "__eq__") else { return ir::ObjectHash::Identity };
        let info = &self.scope.classes[definer as usize];
        let unhashable_class = || ir::ObjectHash::Unhashable(self.scope.classes[id as usize].name.clone());
        if !info.dataclass.is_some_and(|d| d.frozen && d.eq) {
            return unhashable_class();
        }
        /// `Ok` when values of `ty` hash as in CPython (a `Num` slot hashes its int or float,
        /// and `hash(1) == hash(1.0)`), else the name of the type CPython says has no hash.
        fn hashable(ty: &Type) -> Result<(), Option<&'static str>> {
            match ty {
                Type::Int | Type::Float | Type::Num | Type::Bool | Type::Str | Type::Object(_) => Ok(()),
                Type::Tuple(items) => items.iter().try_for_each(hashable),
                Type::VarTuple(elem) => hashable(elem),
                Type::List(_) => Err(Some("list")),
                Type::Dict(..) => Err(Some("dict")),
                Type::Set(_) => Err(Some("set")),
                _ => Err(None),
            }
        }
        let mut slots = Vec::new();
        for field in info
            .fields
            .iter()
            .filter(|f| f.name != super::classes::MESSAGE_FIELD && f.name != super::classes::ARGS_FIELD)
        {
            match self.field_ref(definer, &field.name) {
                Some(f) if !f.checked => match hashable(&f.ty) {
                    Ok(()) => slots.push(f.slot),
                    // CPython hashes the tuple of the fields: the first field without a hash
                    // raises.
                    Err(Some(name)) => return ir::ObjectHash::Unhashable(name.to_owned()),
                    Err(None) => return unhashable_class(),
                },
                _ => return unhashable_class(),
            }
        }
        ir::ObjectHash::Fields(slots)
    }

    /// The class table: layouts (slots of each root) and the special methods of each class.
    pub(super) fn class_decls(&mut self) -> Vec<ir::ClassDecl> {
        let mut decls = Vec::new();
        for (id, class) in self.scope.classes.iter().enumerate() {
            let id = id as u32;
            let slots = if class.root == id {
                self.scope
                    .slots(id)
                    .into_iter()
                    .map(|(owner, name)| {
                        let field = self.field_ref(owner, &name);
                        let (ty, checked) = field.map(|f| (f.ty, f.checked)).unwrap_or((Type::Unknown, true));
                        ir::SlotDecl { name, ty, checked }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // A comparison method taking another class cannot compare two objects of this one
            // (the checker rejects the comparisons that would need it).
            let specials = RUNTIME_SPECIALS
                .iter()
                .filter(|n| !matches!(**n, "__eq__" | "__lt__") || self.foreign_comparison(id, n).is_none())
                .filter_map(|n| self.scope.find_method(id, n).map(|(_, m)| (n.to_string(), m.func)))
                .collect();
            let exception = if self.scope.is_exception(id) {
                let base = match (class.exception_base, class.base) {
                    (Some(builtin), _) => ir::ExceptionBase::Builtin(builtin),
                    (None, Some(user)) => ir::ExceptionBase::User(user),
                    (None, None) => ir::ExceptionBase::Builtin("Exception"),
                };
                let message = self.field_ref(id, super::classes::MESSAGE_FIELD);
                let args = self.field_ref(id, super::classes::ARGS_FIELD);
                message.zip(args).map(|(m, a)| (base, m.slot, a.slot))
            } else {
                None
            };
            let hash = self.object_hash(id);
            decls.push(ir::ClassDecl {
                name: class.name.clone(),
                base: class.base,
                root: class.root,
                slots,
                specials,
                exception,
                hash,
            });
        }
        // A field that no assignment typed (only `self.x = []`, say) needs an annotation.
        for (owner, class) in self.scope.classes.iter().enumerate() {
            for field in &class.fields {
                if self.field_type(owner as u32, &field.name).has_unknown() {
                    self.diagnostics.push(
                        crate::diagnostic::Diagnostic::new(
                            Code::CannotInfer,
                            field.span,
                            format!("cannot infer the type of field `{}.{}`", class.name, field.name),
                        )
                        .label("type unknown")
                        .help(format!("annotate it where it is assigned, e.g. `self.{}: list[int] = []`", field.name)),
                    );
                }
            }
        }
        decls
    }
}
