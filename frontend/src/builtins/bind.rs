//! Binding a call to the table: its positional and keyword arguments to a row's parameters
//! (CPython's rules: positional-only, keyword-only, defaults), then the types to the row's
//! patterns. The first row of the key that accepts both wins.

use super::patterns::{Accept, Bindings};
use super::{rows, Builtin, BuiltinId, DefaultArg, Key, ParamKind};
use crate::types::Type;

/// Where a parameter's value comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Source {
    /// The `i`th positional argument.
    Positional(usize),
    /// The `i`th keyword argument.
    Keyword(usize),
    /// The parameter's default.
    Default(DefaultArg),
}

/// A call's arguments bound to one row's parameters, in parameter order.
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub sources: Vec<Source>,
}

/// Why no row of a key takes a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Mismatch {
    /// No row takes this many positional arguments: the counts the rows take.
    Arity(Vec<usize>),
    /// A keyword no row has (or only as a positional-only parameter).
    Keyword(String),
    /// A parameter is given both by position and by keyword.
    Twice(String),
    /// A required parameter is missing.
    Missing(&'static str),
    /// The arguments bind, but their types match no row.
    Types,
}

impl Mismatch {
    fn rank(&self) -> u8 {
        match self {
            Mismatch::Arity(_) => 0,
            Mismatch::Keyword(_) => 1,
            Mismatch::Twice(_) => 2,
            Mismatch::Missing(_) => 3,
            Mismatch::Types => 4,
        }
    }
}

/// Binds `positional` arguments and keyword arguments named `keywords` to `row`.
pub fn bind_arguments(row: &Builtin, positional: usize, keywords: &[&str]) -> Result<Binding, Mismatch> {
    let params = row.params;
    let mut sources: Vec<Option<Source>> = vec![None; params.len()];
    let takes_positional = params.iter().filter(|p| p.kind != ParamKind::Keyword).count();
    if positional > takes_positional {
        return Err(Mismatch::Arity(Vec::new()));
    }
    for (i, slot) in sources.iter_mut().take(positional).enumerate() {
        *slot = Some(Source::Positional(i));
    }
    for (k, name) in keywords.iter().enumerate() {
        let Some(index) = params.iter().position(|p| p.name == *name && p.kind != ParamKind::Positional) else {
            return Err(Mismatch::Keyword((*name).to_owned()));
        };
        if sources[index].is_some() {
            return Err(Mismatch::Twice((*name).to_owned()));
        }
        sources[index] = Some(Source::Keyword(k));
    }
    sources
        .into_iter()
        .zip(params)
        .map(|(source, param)| source.or(param.default.map(Source::Default)).ok_or(Mismatch::Missing(param.name)))
        .collect::<Result<Vec<_>, _>>()
        .map(|sources| Binding { sources })
}

/// The type of a default literal.
pub fn default_type(value: DefaultArg) -> Type {
    match value {
        DefaultArg::Int(_) => Type::Int,
        DefaultArg::Bool(_) => Type::Bool,
        DefaultArg::Str(_) => Type::Str,
    }
}

/// A row that accepts a call: its binding, the conversion each parameter's value needs, and the
/// result type.
#[derive(Debug)]
pub struct Resolved {
    pub id: BuiltinId,
    pub binding: Binding,
    pub conversions: Vec<Accept>,
    pub ret: Type,
}

/// Finds the first row of `key` that takes `positional` and `keywords` (name, type).
pub fn resolve(key: Key, positional: &[Type], keywords: &[(&str, Type)]) -> Result<Resolved, Mismatch> {
    let names: Vec<&str> = keywords.iter().map(|(name, _)| *name).collect();
    let (mut types_differ, mut binding_problem) = (false, None);
    for (id, row) in rows(key) {
        let binding = match bind_arguments(row, positional.len(), &names) {
            Ok(binding) => binding,
            Err(problem) => {
                // The most telling problem: a row that knows every keyword but misses a
                // parameter says more than one that does not know a keyword.
                if problem.rank() > binding_problem.as_ref().map_or(0, Mismatch::rank) {
                    binding_problem = Some(problem);
                }
                continue;
            }
        };
        let mut bindings = Bindings::default();
        let conversions = binding
            .sources
            .iter()
            .zip(row.params)
            .map(|(source, param)| {
                let ty = match *source {
                    Source::Positional(i) => positional[i].clone(),
                    Source::Keyword(k) => keywords[k].1.clone(),
                    Source::Default(value) => default_type(value),
                };
                param.pat.accepts(&ty, &mut bindings)
            })
            .collect::<Option<Vec<_>>>();
        match conversions {
            Some(conversions) => return Ok(Resolved { id, binding, conversions, ret: row.ret.instantiate(&bindings) }),
            None => types_differ = true,
        }
    }
    if types_differ {
        return Err(Mismatch::Types);
    }
    Err(binding_problem.unwrap_or_else(|| Mismatch::Arity(positional_counts(key))))
}

/// The numbers of positional arguments the rows of `key` take, for messages.
pub fn positional_counts(key: Key) -> Vec<usize> {
    let mut counts: Vec<usize> = rows(key)
        .flat_map(|(_, row)| {
            let positional = row.params.iter().filter(|p| p.kind != ParamKind::Keyword);
            let required = positional.clone().filter(|p| p.default.is_none()).count();
            required..=positional.count()
        })
        .collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}
