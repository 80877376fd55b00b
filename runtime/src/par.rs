//! `prange`: counted loops run in parallel on a rayon pool.
//!
//! The front end has proved the body race-free: every variable it assigns is private to the
//! iteration or a reduction, every shared list it writes is written only at the iteration's own
//! slot (an injective function of the loop variable) and read only there, and nothing it calls
//! touches shared state. What is left here:
//!
//! - **Chunks fixed by the trip count alone.** The iterations are cut into chunks whose
//!   boundaries depend only on `n`, each chunk folds its own reduction partial, and the partials
//!   are combined left to right in chunk order. A float sum is therefore the same for 1, 2 or 64
//!   threads (though it may differ in the last digits from the sequential sum), and an integer
//!   result is always exact.
//! - **Exceptions as in sequential code.** A failing chunk records its index; chunks after the
//!   lowest failure are skipped, chunks before it still run, and the error of the lowest failing
//!   iteration is the one raised — the exception sequential code would raise.
//! - **Views instead of handles.** `List` handles are single-threaded, so a body reads shared
//!   lists through [`Items`] and writes its slot through [`Slots`]: a pointer and a length taken
//!   before the loop (the checker forbids any structural change while it runs). When a written
//!   list is the same object as another list the body uses, the chunks run in order on the
//!   calling thread instead, which is exactly sequential execution.
//! - **No cost for tiny loops.** A loop of fewer than [`MIN_CHUNK`] iterations is one chunk,
//!   run inline; otherwise the first chunk runs on the calling thread and, when it shows that the
//!   whole loop would take less than waking the pool ([`INLINE_BELOW`]), the rest follows inline
//!   too. The pool starts on first use and is reused.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use crate::exc::{value_error, Exc, ExcKind, PyResult};
use crate::list::List;

/// Iterations per chunk, at least (loops shorter than this run inline).
pub const MIN_CHUNK: u64 = 16;
/// Chunks per loop, at most (enough to balance 64 threads).
const MAX_CHUNKS: u64 = 256;
/// Loops estimated (from their first chunk) to take less than this run inline.
const INLINE_BELOW: std::time::Duration = std::time::Duration::from_micros(100);
/// Worker stacks are reserved, not committed: deep recursion meets RecursionError first.
const WORKER_STACK: usize = 256 << 20;

fn chunk_count(n: u64) -> u64 {
    (n / MIN_CHUNK).clamp(1, MAX_CHUNKS)
}

/// The pool for `threads` workers (`None`: `PYRSC_NUM_THREADS`, else every core).
fn pool(threads: Option<usize>) -> PyResult<Arc<rayon::ThreadPool>> {
    /// One pool per thread count asked for, built on first use.
    type Pools = Mutex<Vec<(usize, Arc<rayon::ThreadPool>)>>;
    static POOLS: OnceLock<Pools> = OnceLock::new();
    let wanted = match threads {
        Some(k) => k,
        None => default_threads(),
    };
    let pools = POOLS.get_or_init(|| Mutex::new(Vec::new()));
    let mut pools = pools.lock().map_err(|_| Exc::new(ExcKind::RuntimeError, "prange thread pool unavailable"))?;
    if let Some((_, pool)) = pools.iter().find(|(k, _)| *k == wanted) {
        return Ok(Arc::clone(pool));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(wanted)
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|err| Exc::new(ExcKind::RuntimeError, format!("cannot start prange threads: {err}")))?;
    let pool = Arc::new(pool);
    pools.push((wanted, Arc::clone(&pool)));
    Ok(pool)
}

/// A thread count chosen for this program or module after it started (the notebook magic's
/// `--threads`); 0 when none was.
static CHOSEN_THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Sets the number of threads of the prange loops that give no `num_threads` (at least 1).
pub fn set_default_threads(threads: usize) {
    CHOSEN_THREADS.store(threads.max(1), Ordering::Relaxed);
}

fn default_threads() -> usize {
    static DEFAULT: OnceLock<usize> = OnceLock::new();
    let chosen = CHOSEN_THREADS.load(Ordering::Relaxed);
    if chosen > 0 {
        return chosen;
    }
    *DEFAULT.get_or_init(|| {
        std::env::var("PYRSC_NUM_THREADS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&k| k > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
    })
}

/// The number of iterations of `range(start, stop, step)`.
fn trip_count(start: i64, stop: i64, step: i64) -> u64 {
    if step > 0 && start < stop {
        ((stop as i128 - start as i128 - 1) / step as i128 + 1) as u64
    } else if step < 0 && start > stop {
        ((start as i128 - stop as i128 - 1) / (-(step as i128)) + 1) as u64
    } else {
        0
    }
}

/// Runs `body(i, &mut partial)` for every `i` of `range(start, stop, step)` and returns the
/// combined partial (`init` when there are no iterations). `sequential` runs the chunks in order
/// on this thread (a written list aliases another list of the loop).
// Generated code calls this with the loop's own pieces; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn for_range<A, F, C>(
    start: i64,
    stop: i64,
    step: i64,
    threads: Option<i64>,
    sequential: bool,
    init: A,
    body: F,
    combine: C,
) -> PyResult<A>
where
    A: Clone + Send + Sync,
    F: Fn(i64, &mut A) -> PyResult<()> + Sync,
    C: Fn(A, A) -> PyResult<A> + Sync,
{
    check_arguments(step, threads)?;
    let threads = threads.map(|k| k as usize);
    let n = trip_count(start, stop, step);
    let chunks = chunk_count(n);
    let first_failure = AtomicUsize::new(usize::MAX);
    let run_chunk = |c: u64| -> Result<A, (u64, Exc)> {
        let bound = |c: u64| (c as u128 * n as u128 / chunks as u128) as u64;
        let (lo, hi) = (bound(c), bound(c + 1));
        let mut partial = init.clone();
        for k in lo..hi {
            if first_failure.load(Ordering::Relaxed) < c as usize {
                // An earlier chunk failed: its error is the one raised; stop early.
                return Ok(partial);
            }
            let i = (start as i128 + k as i128 * step as i128) as i64;
            if let Err(exc) = body(i, &mut partial) {
                first_failure.fetch_min(c as usize, Ordering::Relaxed);
                return Err((k, exc));
            }
        }
        Ok(partial)
    };
    let workers = threads.unwrap_or_else(default_threads);
    let in_order = |from: u64, out: &mut Vec<Result<A, (u64, Exc)>>| {
        for c in from..chunks {
            let result = run_chunk(c);
            let failed = result.is_err();
            out.push(result);
            if failed {
                break;
            }
        }
    };
    let partials: Vec<Result<A, (u64, Exc)>> = if chunks == 1 || sequential || workers == 1 {
        let mut out = Vec::with_capacity(chunks as usize);
        in_order(0, &mut out);
        out
    } else {
        // The first two chunks run here and tell how long the loop would take (the faster of
        // the two: the first may pay for cold caches): a loop cheaper than waking the pool
        // finishes inline (same chunks, same results, no thread hand-off).
        let mut out = Vec::with_capacity(chunks as usize);
        let mut fastest = std::time::Duration::MAX;
        for c in 0..2 {
            let started = std::time::Instant::now();
            let result = run_chunk(c);
            fastest = fastest.min(started.elapsed());
            let failed = result.is_err();
            out.push(result);
            if failed {
                return first_error(out);
            }
        }
        if fastest.saturating_mul(chunks as u32) < INLINE_BELOW {
            in_order(2, &mut out);
        } else {
            let per_task = (chunks as usize / (4 * workers)).max(1);
            let rest: Vec<Result<A, (u64, Exc)>> = pool(threads)?.install(|| {
                (2..chunks as usize).into_par_iter().with_min_len(per_task).map(|c| run_chunk(c as u64)).collect()
            });
            out.extend(rest);
        }
        out
    };
    let mut total = init.clone();
    let mut first = true;
    for partial in partials {
        match partial {
            Err((_, exc)) => return Err(exc),
            Ok(value) if first => {
                total = value;
                first = false;
            }
            Ok(value) => total = combine(total, value)?,
        }
    }
    Ok(total)
}

/// The error of the lowest failing chunk among `partials`.
fn first_error<A>(partials: Vec<Result<A, (u64, Exc)>>) -> PyResult<A> {
    match partials.into_iter().find_map(Result::err) {
        Some((_, exc)) => Err(exc),
        None => Err(Exc::new(ExcKind::RuntimeError, "prange: no failing chunk")),
    }
}

/// The errors `prange(...)` itself raises (before any iteration runs).
pub fn check_arguments(step: i64, threads: Option<i64>) -> PyResult<()> {
    if step == 0 {
        return Err(value_error("range() arg 3 must not be zero"));
    }
    if threads.is_some_and(|k| k < 1) {
        return Err(value_error("prange() num_threads must be at least 1"));
    }
    Ok(())
}

/// `pmap(f, items)`: `[f(x) for x in items]` computed in parallel, in order, with the chunking
/// and the exception rule of [`for_range`]. The front end has checked that `f` is thread-safe.
pub fn pmap<T, U, F>(items: &List<T>, f: F) -> PyResult<List<U>>
where
    T: Clone + Send + Sync,
    U: Clone + Send + Sync,
    F: Fn(T) -> PyResult<U> + Sync,
{
    let view = Items::new(items);
    let results = for_range(
        0,
        view.len(),
        1,
        None,
        false,
        Vec::new(),
        |i, partial: &mut Vec<U>| {
            partial.push(f(view.get(i)?)?);
            Ok(())
        },
        |mut a, b| {
            a.extend(b);
            Ok(a)
        },
    )?;
    Ok(List::from_vec(results))
}

/// The loop variable's value after a loop that ran: the last `i` of the range, or `None`.
pub fn last_value(start: i64, stop: i64, step: i64) -> Option<i64> {
    let n = trip_count(start, stop, step);
    (n > 0 && step != 0).then(|| (start as i128 + (n as i128 - 1) * step as i128) as i64)
}

/// A shared list read by the iterations of a parallel loop.
pub struct Items<T> {
    ptr: *const T,
    len: usize,
}

// SAFETY: an `Items` is built from a list right before a parallel loop and used only inside it;
// the front end forbids any structural change to a list while the loop runs, so the pointer stays
// valid and in bounds, and elements are only read (cloned) — `T: Sync` makes that shareable.
unsafe impl<T: Send + Sync> Sync for Items<T> {}
// SAFETY: as for `Sync`; the view holds no ownership.
unsafe impl<T: Send + Sync> Send for Items<T> {}

impl<T: Clone + Send + Sync> Items<T> {
    pub fn new(list: &List<T>) -> Items<T> {
        let (ptr, len) = list.raw_parts();
        Items { ptr, len }
    }

    /// `xs[i]`, negative indices counting from the end.
    #[inline(always)]
    pub fn get(&self, index: i64) -> PyResult<T> {
        let pos = if index < 0 { index + self.len as i64 } else { index };
        if pos < 0 || pos as u64 >= self.len as u64 {
            return Err(Exc::new(ExcKind::IndexError, "list index out of range"));
        }
        // SAFETY: `pos < len`, and the list is not resized while the loop runs (see above).
        Ok(unsafe { (*self.ptr.add(pos as usize)).clone() })
    }

    #[inline(always)]
    pub fn len(&self) -> i64 {
        self.len as i64
    }

    pub fn address(&self) -> usize {
        self.ptr as usize
    }
}

/// A shared dict the iterations only read (`d[k]`, `d.get(k, ...)`, `k in d`, `len(d)`).
pub struct Lookup<K, V> {
    map: *const crate::dict::Map<K, V>,
}

// SAFETY: built right before a parallel loop whose body only reads the dict through these
// methods (the front end rejects every other use, and calls from the body cannot reach a dict);
// nothing writes the map while the loop runs — not even the dict's last-found hint, which these
// reads bypass — so shared reads from several threads are sound for `K, V: Sync`.
unsafe impl<K: Send + Sync, V: Send + Sync> Sync for Lookup<K, V> {}
// SAFETY: as for `Sync`; the view owns nothing.
unsafe impl<K: Send + Sync, V: Send + Sync> Send for Lookup<K, V> {}

impl<K: Clone + std::hash::Hash + Eq + crate::repr::PyRepr, V: Clone> Lookup<K, V> {
    pub fn new(dict: &crate::Dict<K, V>) -> Self {
        Lookup { map: dict.raw_map() }
    }

    fn map(&self) -> &crate::dict::Map<K, V> {
        // SAFETY: the dict outlives the loop and is not changed during it (see above).
        unsafe { &*self.map }
    }

    /// `d[k]`.
    pub fn get(&self, key: &K) -> PyResult<V> {
        self.map().get(key).cloned().ok_or_else(|| crate::dict::key_error(key))
    }

    /// `d.get(k, default)`.
    pub fn get_or(&self, key: &K, default: V) -> V {
        self.map().get(key).cloned().unwrap_or(default)
    }

    /// `d.get(k)`.
    pub fn get_opt(&self, key: &K) -> Option<V> {
        self.map().get(key).cloned()
    }

    /// `k in d`.
    pub fn contains(&self, key: &K) -> bool {
        self.map().contains_key(key)
    }

    /// `len(d)`.
    pub fn len(&self) -> i64 {
        self.map().len() as i64
    }
}

/// A shared set the iterations only read (`x in s`, `len(s)`).
pub struct Members<T> {
    table: *const crate::set::Table<T>,
}

// SAFETY: as for `Lookup`: only membership tests and the size are read while the loop runs, and
// nothing changes the set meanwhile.
unsafe impl<T: Send + Sync> Sync for Members<T> {}
// SAFETY: as for `Sync`.
unsafe impl<T: Send + Sync> Send for Members<T> {}

impl<T: Clone + PartialEq + crate::set::PyHash> Members<T> {
    pub fn new(set: &crate::Set<T>) -> Self {
        Members { table: set.raw_table() }
    }

    fn table(&self) -> &crate::set::Table<T> {
        // SAFETY: the set outlives the loop and is not changed during it (see above).
        unsafe { &*self.table }
    }

    /// `x in s`.
    pub fn contains(&self, value: &T) -> bool {
        self.table().has(value)
    }

    /// `len(s)`.
    pub fn len(&self) -> i64 {
        self.table().size()
    }
}

/// A shared list of lists read by the iterations as `grid[i][j]`: the rows' buffers, taken
/// before the loop, so no iteration touches a row's (non-atomic) handle.
pub struct Table<T> {
    rows: Vec<(*const T, usize)>,
}

// SAFETY: built right before a parallel loop whose body only reads `grid[i][j]` and
// `len(grid[i])` (the front end rejects every other use of the list and of its rows, and calls
// from the body cannot reach lists), so neither the outer list nor any row changes while the
// loop runs; elements are only read (cloned), and `T: Sync` makes that shareable.
unsafe impl<T: Send + Sync> Sync for Table<T> {}
// SAFETY: as for `Sync`; the table owns nothing.
unsafe impl<T: Send + Sync> Send for Table<T> {}

impl<T: Clone + Send + Sync> Table<T> {
    pub fn new(grid: &List<List<T>>) -> Table<T> {
        let (outer, len) = grid.raw_parts();
        // SAFETY: `outer` points at `len` initialised rows of the list, which is not changed
        // while this runs (no user code runs here).
        let rows = (0..len).map(|k| unsafe { (*outer.add(k)).raw_parts() }).collect();
        Table { rows }
    }

    fn row(&self, index: i64) -> PyResult<(*const T, usize)> {
        let pos = if index < 0 { index + self.rows.len() as i64 } else { index };
        if pos < 0 || pos as u64 >= self.rows.len() as u64 {
            return Err(Exc::new(ExcKind::IndexError, "list index out of range"));
        }
        Ok(self.rows[pos as usize])
    }

    /// `grid[i][j]`.
    #[inline(always)]
    pub fn get(&self, i: i64, j: i64) -> PyResult<T> {
        let (ptr, len) = self.row(i)?;
        let pos = if j < 0 { j + len as i64 } else { j };
        if pos < 0 || pos as u64 >= len as u64 {
            return Err(Exc::new(ExcKind::IndexError, "list index out of range"));
        }
        // SAFETY: `pos < len` of a row that does not change during the loop (see above).
        Ok(unsafe { (*ptr.add(pos as usize)).clone() })
    }

    /// `len(grid[i])`.
    pub fn row_len(&self, i: i64) -> PyResult<i64> {
        Ok(self.row(i)?.1 as i64)
    }
}

/// A shared list whose elements the iterations write, each only at its own index.
pub struct Slots<T> {
    ptr: *mut T,
    len: usize,
}

// SAFETY: the front end proves that each iteration writes (and reads) only the slot at its own
// index, an injective, non-negative function of the loop variable, and that nothing else touches
// the list during the loop; distinct threads therefore never access the same element.
unsafe impl<T: Send> Sync for Slots<T> {}
// SAFETY: as for `Sync`.
unsafe impl<T: Send> Send for Slots<T> {}

impl<T: Clone + Send> Slots<T> {
    pub fn new(list: &List<T>) -> Slots<T> {
        let (ptr, len) = list.raw_parts();
        Slots { ptr: ptr as *mut T, len }
    }

    fn position(&self, index: i64, message: &'static str) -> PyResult<usize> {
        if index < 0 || index as u64 >= self.len as u64 {
            return Err(Exc::new(ExcKind::IndexError, message));
        }
        Ok(index as usize)
    }

    /// `out[i] = value` for this iteration's `i`.
    #[inline(always)]
    pub fn set(&self, index: i64, value: T) -> PyResult<()> {
        let pos = self.position(index, "list assignment index out of range")?;
        // SAFETY: in bounds, and no other thread touches this element (see the `Sync` impl).
        unsafe { *self.ptr.add(pos) = value };
        Ok(())
    }

    /// `out[i]` read back by the iteration that owns it.
    #[inline(always)]
    pub fn get(&self, index: i64) -> PyResult<T> {
        let pos = self.position(index, "list index out of range")?;
        // SAFETY: as for `set`.
        Ok(unsafe { (*self.ptr.add(pos)).clone() })
    }

    #[inline(always)]
    pub fn len(&self) -> i64 {
        self.len as i64
    }

    pub fn address(&self) -> usize {
        self.ptr as usize
    }
}

/// Whether a written list is the same object as another list the loop uses (then the loop
/// runs in order on one thread, which is exact).
pub fn aliased(written: &[usize], used: &[usize]) -> bool {
    written.iter().enumerate().any(|(i, w)| used.contains(w) || written[i + 1..].contains(w))
}

/// `s = s0 + total` for an int sum reduction (partials are i128, so only the result can overflow).
pub fn finish_int_sum(start: i64, total: i128) -> PyResult<i64> {
    i64::try_from(start as i128 + total).map_err(|_| crate::exc::int_overflow())
}

/// Folds `value` into a `min`/`max` partial with Python's rule (the earlier value wins ties).
#[inline(always)]
pub fn fold_min<T: PartialOrd>(partial: Option<T>, value: T) -> Option<T> {
    Some(match partial {
        Some(current) => crate::builtins::min(current, value),
        None => value,
    })
}

#[inline(always)]
pub fn fold_max<T: PartialOrd>(partial: Option<T>, value: T) -> Option<T> {
    Some(match partial {
        Some(current) => crate::builtins::max(current, value),
        None => value,
    })
}

/// Combines two `min` partials (the earlier chunk first).
pub fn combine_min<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match b {
        Some(value) => fold_min(a, value),
        None => a,
    }
}

pub fn combine_max<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Option<T> {
    match b {
        Some(value) => fold_max(a, value),
        None => a,
    }
}

/// `s = min(s0, partial)` after the loop.
pub fn finish_min<T: PartialOrd>(start: T, partial: Option<T>) -> T {
    match partial {
        Some(value) => crate::builtins::min(start, value),
        None => start,
    }
}

pub fn finish_max<T: PartialOrd>(start: T, partial: Option<T>) -> T {
    match partial {
        Some(value) => crate::builtins::max(start, value),
        None => start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_exact_and_thread_count_independent() {
        let run = |threads| {
            for_range(
                0,
                100_000,
                1,
                Some(threads),
                false,
                (0i128, 0.0f64),
                |i, acc: &mut (i128, f64)| {
                    acc.0 += i as i128;
                    acc.1 += 1.0 / (i as f64 + 1.0);
                    Ok(())
                },
                |a, b| Ok((a.0 + b.0, a.1 + b.1)),
            )
            .ok()
        };
        let one = run(1).expect("ran");
        assert_eq!(one.0, (0..100_000i128).sum::<i128>());
        assert_eq!(run(2).map(|r| r.1.to_bits()), Some(one.1.to_bits()));
        assert_eq!(run(7).map(|r| r.1.to_bits()), Some(one.1.to_bits()));
    }

    #[test]
    fn the_lowest_failing_iteration_wins() {
        for threads in [1, 2, 4] {
            let result = for_range(
                0,
                10_000,
                1,
                Some(threads),
                false,
                (),
                |i, _| {
                    if i == 7_777 || i == 9_000 || i == 123 {
                        return Err(Exc::new(ExcKind::ValueError, format!("at {i}")));
                    }
                    Ok(())
                },
                |_, _| Ok(()),
            );
            assert_eq!(result.err().map(|e| e.message().to_owned()), Some("at 123".to_owned()));
        }
    }

    #[test]
    fn trip_counts_and_last_values_follow_range() {
        assert_eq!(trip_count(0, 10, 3), 4);
        assert_eq!(trip_count(10, 0, -3), 4);
        assert_eq!(trip_count(5, 5, 1), 0);
        assert_eq!(last_value(0, 10, 3), Some(9));
        assert_eq!(last_value(10, 0, -3), Some(1));
        assert_eq!(last_value(0, 0, 1), None);
        assert_eq!(trip_count(i64::MIN, i64::MAX, 1), u64::MAX);
    }
}

/// The per-chunk counts of a histogram reduction (`hist[k] += e` where two iterations may hit
/// the same `k`): dense for short lists, sparse for long ones (so 256 chunks never hold 256
/// copies of a long list). Integer addition is exact, so the result equals the sequential one.
#[derive(Clone)]
pub struct Histogram {
    len: usize,
    dense: Vec<i64>,
    sparse: rustc_hash::FxHashMap<usize, i64>,
}

/// Lists up to this length are counted densely.
const DENSE_UP_TO: usize = 4096;

impl Histogram {
    pub fn new(len: i64) -> Histogram {
        Histogram { len: len.max(0) as usize, dense: Vec::new(), sparse: Default::default() }
    }

    /// The position `hist[index]` reads (negative indices count from the end), or IndexError.
    #[inline(always)]
    pub fn slot(&self, index: i64) -> PyResult<usize> {
        let pos = if index < 0 { index + self.len as i64 } else { index };
        if pos < 0 || pos as u64 >= self.len as u64 {
            return Err(Exc::new(ExcKind::IndexError, "list index out of range"));
        }
        Ok(pos as usize)
    }

    /// Adds `delta` (or subtracts it) at `pos`.
    #[inline(always)]
    pub fn add(&mut self, pos: usize, delta: i64, subtract: bool) -> PyResult<()> {
        let delta = if subtract { delta.checked_neg().ok_or_else(crate::exc::int_overflow)? } else { delta };
        let slot = if self.len <= DENSE_UP_TO {
            if self.dense.is_empty() {
                self.dense.resize(self.len, 0);
            }
            &mut self.dense[pos]
        } else {
            self.sparse.entry(pos).or_insert(0)
        };
        *slot = slot.checked_add(delta).ok_or_else(crate::exc::int_overflow)?;
        Ok(())
    }

    /// The counts of two chunks together.
    pub fn merge(mut a: Histogram, b: Histogram) -> PyResult<Histogram> {
        for (pos, count) in b
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0)
            .map(|(p, c)| (p, *c))
            .chain(b.sparse.iter().map(|(p, c)| (*p, *c)))
        {
            a.add(pos, count, false)?;
        }
        Ok(a)
    }

    /// `hist[k] += count` for every counted `k`, after the loop.
    pub fn apply(&self, list: &List<i64>) -> PyResult<()> {
        let counts = self
            .dense
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0)
            .map(|(p, c)| (p, *c))
            .chain(self.sparse.iter().map(|(p, c)| (*p, *c)));
        for (pos, count) in counts {
            let current = list.get(pos as i64)?;
            list.set(pos as i64, crate::int::add(current, count)?)?;
        }
        Ok(())
    }
}
