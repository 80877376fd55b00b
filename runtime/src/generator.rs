//! Generators held as values: `g = gen()`, then `next(g)`, `for x in g`, `yield from g`, passing
//! `g` to a function. Generator functions are compiled for internal iteration (the consumer's
//! loop body is a sink called at each `yield`); a [`Generator`] runs such a function on a stack of
//! its own (a `corosensei` coroutine) whose sink *suspends* the coroutine with the yielded value,
//! so the generator can be resumed later, from anywhere, as CPython's generator objects are.
//!
//! Closing: when the last reference to a suspended generator goes away, it is resumed once more
//! with "close": its pending `yield` tells the generator to stop (the same request a consumer's
//! `break` makes), so its `finally` blocks and `with` exits run, as CPython's `close()` does.
//!
//! Stacks are reserved, not committed (the pages a generator touches are the ones it costs), and
//! a finished generator's stack is kept for the next one on the same thread, so creating a
//! generator costs no system call in a loop.

use std::cell::RefCell;
use std::rc::Rc;

use corosensei::stack::DefaultStack;
use corosensei::{Coroutine, CoroutineResult, Yielder};

use crate::exc::{Exc, ExcKind, Flow, PyResult};
use crate::recursion;

/// What a generator's stack is given: deep recursion inside a generator meets RecursionError
/// (a counter) long before this. Reserved address space only.
const STACK_SIZE: usize = 64 << 20;
/// Finished generators' stacks kept per thread for reuse.
const POOLED_STACKS: usize = 16;

/// The flow a suspended `yield` returns to the generator body when the generator is closed.
const CLOSED: u32 = u32::MAX - 2;

thread_local! {
    static STACKS: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
}

/// Why a generator is resumed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Resume {
    Next,
    Close,
}

type Body<T> = Coroutine<Resume, T, PyResult<()>, DefaultStack>;

/// The sink a generator function is called with: each value it yields.
pub type Sink<'a, T> = &'a mut dyn FnMut(T) -> Flow<()>;

/// A generator object: a shared reference (assignment aliases it, as in Python).
pub struct Generator<T: 'static>(Rc<RefCell<State<T>>>);

struct State<T: 'static> {
    /// The generator function's name, for `repr`.
    name: &'static str,
    /// `None` once the generator has finished (or for a placeholder).
    source: Option<Source<T>>,
}

/// Where a generator's values come from.
enum Source<T: 'static> {
    /// A generator function, suspended at a `yield` (or not started).
    Body(Body<T>),
    /// An iterator pulled one value at a time (`enumerate(g)`, `zip(g, xs)`): no stack of its
    /// own, nothing to close.
    Pull(Box<dyn FnMut() -> PyResult<Option<T>>>),
    /// An iterator that cannot fail and knows how many values are left (`iter(range(...))`,
    /// `iter(xs)`): CPython's `__length_hint__`, which `list(it)` allocates for at once.
    Counted(Box<dyn Iterator<Item = T>>),
}

impl<T: 'static> Clone for Generator<T> {
    fn clone(&self) -> Self {
        Generator(Rc::clone(&self.0))
    }
}

impl<T: 'static> PartialEq for Generator<T> {
    /// Generators compare (and hash) by identity.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: 'static> Eq for Generator<T> {}

impl<T: 'static> std::hash::Hash for Generator<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (Rc::as_ptr(&self.0) as usize).hash(state)
    }
}

impl<T: 'static> crate::repr::PyRepr for Generator<T> {
    /// `<generator object name at 0x...>`: the address differs from run to run, in CPython too.
    fn write_repr(&self, out: &mut String) {
        use std::fmt::Write as _;
        let name = self.0.try_borrow().map_or("<running>", |state| state.name);
        let _ = write!(out, "<generator object {name} at {:#x}>", Rc::as_ptr(&self.0) as usize);
    }
}

/// A stack for a new generator. Failing to reserve address space is running out of memory,
/// which aborts the program as any failed allocation does.
fn take_stack() -> DefaultStack {
    if let Some(stack) = STACKS.with(|stacks| stacks.borrow_mut().pop()) {
        return stack;
    }
    match DefaultStack::new(STACK_SIZE) {
        Ok(stack) => stack,
        Err(err) => {
            eprintln!("MemoryError: cannot reserve a generator stack: {err}");
            std::process::abort()
        }
    }
}

fn give_back(body: Body<impl Sized>) {
    let stack = body.into_stack();
    STACKS.with(|stacks| {
        let mut stacks = stacks.borrow_mut();
        if stacks.len() < POOLED_STACKS {
            stacks.push(stack);
        }
    });
}

impl<T: 'static> Generator<T> {
    /// A generator running `function` (a generator function applied to its arguments) when
    /// first resumed. Nothing runs now, as in CPython. `recursive`: whether a suspended
    /// generator may hold recursive calls (their share of the recursion count then leaves with
    /// it at each `yield`).
    pub fn new(
        name: &'static str,
        recursive: bool,
        function: impl FnOnce(Sink<'_, T>) -> PyResult<Option<Flow<()>>> + 'static,
    ) -> Self {
        let stack = take_stack();
        let body = Coroutine::with_stack(stack, move |yielder: &Yielder<Resume, T>, first: Resume| {
            if first == Resume::Close {
                return Ok(());
            }
            // A suspended generator's frames are not active calls: their share of the recursion
            // count leaves with them and comes back when the generator is resumed.
            let flow = |resumed: Resume| match resumed {
                Resume::Next => Flow::Normal,
                Resume::Close => Flow::Break(CLOSED),
            };
            let mut base = if recursive { recursion::depth() } else { 0 };
            let mut sink = |value: T| {
                if !recursive {
                    return flow(yielder.suspend(value));
                }
                let own = recursion::depth().saturating_sub(base);
                recursion::set_depth(base);
                let resumed = yielder.suspend(value);
                base = recursion::depth();
                recursion::set_depth(base + own);
                flow(resumed)
            };
            function(&mut sink).map(|_| ()).map_err(crate::exc::from_generator)
        });
        Generator(Rc::new(RefCell::new(State { name, source: Some(Source::Body(body)) })))
    }

    /// A finished generator (what a variable holds before its first assignment).
    pub fn placeholder() -> Self {
        Generator(Rc::new(RefCell::new(State { name: "<placeholder>", source: None })))
    }

    /// An iterator whose next value `pull` gives (`None` when it is exhausted).
    pub fn from_pull(name: &'static str, pull: impl FnMut() -> PyResult<Option<T>> + 'static) -> Self {
        Generator(Rc::new(RefCell::new(State { name, source: Some(Source::Pull(Box::new(pull))) })))
    }

    /// Runs the generator to its next `yield`: `Some(value)`, or `None` once it has finished.
    /// Its exception, if it raises one, is raised here (and it is finished after it).
    pub fn resume(&self) -> PyResult<Option<T>> {
        let Ok(mut state) = self.0.try_borrow_mut() else {
            return Err(Exc::new(ExcKind::ValueError, "generator already executing"));
        };
        let outcome = match state.source.as_mut() {
            None => return Ok(None),
            Some(Source::Pull(pull)) => pull(),
            Some(Source::Counted(values)) => Ok(values.next()),
            Some(Source::Body(body)) => match body.resume(Resume::Next) {
                CoroutineResult::Yield(value) => return Ok(Some(value)),
                CoroutineResult::Return(outcome) => outcome.map(|()| None),
            },
        };
        // Finished (or failed): a generator that raised is finished too, as in CPython.
        if !matches!(outcome, Ok(Some(_))) {
            if let Some(Source::Body(body)) = state.source.take() {
                give_back(body);
            }
        }
        outcome
    }

    /// CPython's `__length_hint__`: how many values are left, when the iterator knows.
    fn length_hint(&self) -> Option<usize> {
        let state = self.0.try_borrow().ok()?;
        match state.source.as_ref() {
            Some(Source::Counted(values)) => Some(values.size_hint().0),
            _ => None,
        }
    }

    /// `next(g)`.
    pub fn next_value(&self) -> PyResult<T> {
        self.resume()?.ok_or_else(|| Exc::new(ExcKind::StopIteration, ""))
    }

    /// `next(g, default)`.
    pub fn next_or(&self, default: T) -> PyResult<T> {
        Ok(self.resume()?.unwrap_or(default))
    }

    /// `for x in g`: feeds `sink` until the generator finishes or the sink asks to stop (the
    /// generator then stays suspended, as after `break` in CPython). The flow that stopped it.
    pub fn drive<R>(&self, sink: &mut dyn FnMut(T) -> Flow<R>) -> PyResult<Option<Flow<R>>> {
        while let Some(value) = self.resume()? {
            match sink(value) {
                Flow::Normal => {}
                flow => return Ok(Some(flow)),
            }
        }
        Ok(None)
    }

    /// `yield from g`: as [`Generator::drive`], but a consumer that stops also closes `g`, as
    /// CPython closes the generator it delegates to.
    pub fn delegate<R>(&self, sink: &mut dyn FnMut(T) -> Flow<R>) -> PyResult<Option<Flow<R>>> {
        let outcome = self.drive(sink)?;
        if outcome.is_some() {
            self.close()?;
        }
        Ok(outcome)
    }

    /// `g.close()`: a suspended generator stops at its `yield`, running its `finally` blocks.
    pub fn close(&self) -> PyResult<()> {
        let Ok(mut state) = self.0.try_borrow_mut() else {
            return Err(Exc::new(ExcKind::ValueError, "generator already executing"));
        };
        let Some(Source::Body(mut body)) = state.source.take() else { return Ok(()) };
        drop(state);
        if !body.started() {
            drop(body);
            return Ok(());
        }
        match body.resume(Resume::Close) {
            CoroutineResult::Return(outcome) => {
                give_back(body);
                outcome
            }
            // A generator that yields after being told to stop (the checker rules out the
            // places where one could): its stack unwinds when `body` is dropped.
            CoroutineResult::Yield(_) => Err(Exc::new(ExcKind::RuntimeError, "generator ignored GeneratorExit")),
        }
    }
}

impl<T: 'static> Drop for State<T> {
    fn drop(&mut self) {
        let Some(Source::Body(mut body)) = self.source.take() else { return };
        if body.started() && !body.done() {
            // CPython reports an exception raised while a collected generator closes as
            // "Exception ignored" on stderr and goes on; so does this.
            if let CoroutineResult::Return(Err(exc)) = body.resume(Resume::Close) {
                crate::exc::report_ignored(&exc, "<generator object>");
            }
        }
        if body.done() {
            give_back(body);
        }
    }
}

/// `iter(xs)`: CPython's list iterator (it re-reads the length at each step, and once
/// exhausted stays so even if the list grows).
pub fn iter_list<T: Clone + 'static>(list: &crate::List<T>) -> Generator<T> {
    struct ListIterator<T> {
        list: crate::List<T>,
        position: usize,
        exhausted: bool,
    }
    impl<T: Clone> Iterator for ListIterator<T> {
        type Item = T;
        fn next(&mut self) -> Option<T> {
            if self.exhausted {
                return None;
            }
            let item = self.list.iter_get(self.position);
            match item {
                Some(_) => self.position += 1,
                None => self.exhausted = true,
            }
            item
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            let left = if self.exhausted { 0 } else { (self.list.len() as usize).saturating_sub(self.position) };
            (left, None)
        }
    }
    let values = ListIterator { list: list.clone(), position: 0, exhausted: false };
    Generator(Rc::new(RefCell::new(State { name: "list_iterator", source: Some(Source::Counted(Box::new(values))) })))
}

/// `iter(range(...))`: its values one at a time (never a list).
pub fn iter_range(range: crate::range::PyRange) -> Generator<i64> {
    let values = range.iter();
    Generator(Rc::new(RefCell::new(State { name: "range_iterator", source: Some(Source::Counted(Box::new(values))) })))
}

/// `list(it)` of an iterator held as a value: room for CPython's length hint first (so
/// `list(iter(range(10**18)))` raises MemoryError at once, as in CPython), then its values.
pub fn to_list<T: Clone + 'static>(iterator: &Generator<T>) -> PyResult<crate::List<T>> {
    let mut items = crate::alloc::vec_with_capacity(iterator.length_hint().unwrap_or(0))?;
    while let Some(value) = iterator.resume()? {
        items.push(value);
    }
    Ok(crate::List::from_vec(items))
}

/// `iter(g)` of a generator is the generator itself.
pub fn iter_generator<T: 'static>(generator: &Generator<T>) -> Generator<T> {
    generator.clone()
}

/// `enumerate(g, start)`.
pub fn enumerate<T: 'static>(generator: &Generator<T>, start: i64) -> Generator<(i64, T)> {
    let generator = generator.clone();
    let mut count = Some(start);
    Generator::from_pull("enumerate", move || {
        let Some(value) = generator.resume()? else { return Ok(None) };
        let Some(index) = count else { return Err(crate::exc::int_overflow()) };
        count = index.checked_add(1);
        Ok(Some((index, value)))
    })
}

/// `zip(a, b)`: pulls from `a`, then from `b`, and stops at the first that is exhausted (the
/// value already taken from `a` is then lost, as in CPython).
pub fn zip<T: 'static, U: 'static>(first: &Generator<T>, second: &Generator<U>) -> Generator<(T, U)> {
    let (first, second) = (first.clone(), second.clone());
    Generator::from_pull("zip", move || {
        let Some(a) = first.resume()? else { return Ok(None) };
        let Some(b) = second.resume()? else { return Ok(None) };
        Ok(Some((a, b)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn counter(limit: i64, log: Rc<Cell<i64>>) -> Generator<i64> {
        Generator::new("counter", false, move |sink| {
            for i in 0..limit {
                if let Flow::Break(_) = sink(i) {
                    log.set(-1);
                    return Ok(Some(Flow::Break(0)));
                }
            }
            log.set(limit);
            Ok(None)
        })
    }

    #[test]
    fn resumes_where_it_left_off_and_finishes() {
        let log = Rc::new(Cell::new(0));
        let g = counter(3, Rc::clone(&log));
        assert_eq!(g.next_value().unwrap(), 0);
        let alias = g.clone();
        assert_eq!(alias.next_value().unwrap(), 1);
        assert_eq!(g.resume().unwrap(), Some(2));
        assert_eq!(g.resume().unwrap(), None);
        assert_eq!(log.get(), 3);
        assert_eq!(g.next_value().unwrap_err().kind(), ExcKind::StopIteration);
        assert_eq!(g.next_or(7).unwrap(), 7);
    }

    #[test]
    fn dropping_a_suspended_generator_closes_it() {
        let log = Rc::new(Cell::new(0));
        let g = counter(10, Rc::clone(&log));
        assert_eq!(g.next_value().unwrap(), 0);
        drop(g);
        assert_eq!(log.get(), -1);
        // An unstarted one never runs.
        let log = Rc::new(Cell::new(0));
        drop(counter(10, Rc::clone(&log)));
        assert_eq!(log.get(), 0);
    }

    #[test]
    fn an_exception_finishes_the_generator() {
        let g: Generator<i64> = Generator::new("failing", true, |sink| {
            let _ = sink(1);
            Err(Exc::new(ExcKind::ValueError, "bad"))
        });
        assert_eq!(g.next_value().unwrap(), 1);
        assert_eq!(g.next_value().unwrap_err().kind(), ExcKind::ValueError);
        assert_eq!(g.next_value().unwrap_err().kind(), ExcKind::StopIteration);
    }
}
