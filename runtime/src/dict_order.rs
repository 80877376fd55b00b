//! Where a dict's entries sit in CPython's entry table, which is what iteration walks.
//!
//! `Dict` keeps its entries compact (an `IndexMap` in insertion order); CPython's table keeps a
//! hole where an entry was deleted, appends new entries after the last one, and closes the
//! holes only when it is rebuilt, which happens when an insertion finds no usable slot left. A
//! loop over a dict holds a table position, so a key deleted and another added during the loop
//! (the size unchanged) shows exactly as in CPython: the new key is reached, and if the loop
//! has already produced as many keys as the dict had, that is "dictionary keys changed during
//! iteration". [`Layout`] records the holes and CPython's table size and usable count (the
//! rules of `Objects/dictobject.c`: `PyDict_MINSIZE` 8, `USABLE_FRACTION`, growth by
//! `3 * used`, presized displays), so that rebuilds happen at the same insertions.

/// CPython's smallest table.
const MIN_SIZE: usize = 8;

/// `USABLE_FRACTION(size)`: how many entries a table of `size` slots takes.
fn usable_fraction(size: usize) -> usize {
    (size << 1) / 3
}

/// `calculate_log2_keysize`, as a size: the smallest power of two at least `min` (and 8).
fn size_for(min: usize) -> usize {
    (min | MIN_SIZE).next_power_of_two()
}

/// `estimate_log2_keysize`, as a size: a table that holds `n` entries without growing.
fn size_to_hold(n: usize) -> usize {
    size_for((n * 3).div_ceil(2))
}

/// The table of one dict: holes and the room left before a rebuild.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// Table positions of deleted entries, ascending.
    holes: Vec<usize>,
    /// The table's slot count.
    size: usize,
    /// Insertions left before the table is rebuilt.
    usable: usize,
}

impl Default for Layout {
    /// The table of a new empty dict (CPython's shared empty keys: nothing usable).
    fn default() -> Layout {
        Layout { holes: Vec::new(), size: MIN_SIZE, usable: 0 }
    }
}

impl Layout {
    /// A display of `n` entries (`{k: v, ...}`): CPython presizes the table beyond 5.
    pub(crate) fn for_display(n: usize) -> Layout {
        if n <= usable_fraction(MIN_SIZE) {
            return Layout::default();
        }
        let size = size_to_hold(n);
        Layout { holes: Vec::new(), size, usable: usable_fraction(size) }
    }

    /// Whether the table has no holes (positions are the compact indices).
    #[cfg(test)]
    fn is_compact(&self) -> bool {
        self.holes.is_empty()
    }

    /// Rebuilds the table compact with `size` slots around `used` entries.
    fn rebuild(&mut self, size: usize, used: usize) {
        self.holes.clear();
        self.size = size;
        self.usable = usable_fraction(size).saturating_sub(used);
    }

    /// A new key was added to a dict that held `used` entries.
    #[inline]
    pub(crate) fn inserted(&mut self, used: usize) {
        if self.usable == 0 {
            self.rebuild(size_for(used * 3), used);
        }
        self.usable = self.usable.saturating_sub(1);
    }

    /// The table position of the entry at compact index `index`: `index` plus the holes before
    /// it, which are the holes `h` (the `i`-th) with `h - i <= index` (`h - i` never decreases).
    fn position_of(&self, index: usize) -> usize {
        let (mut low, mut high) = (0, self.holes.len());
        while low < high {
            let mid = (low + high) / 2;
            if self.holes[mid] - mid <= index {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        index + low
    }

    /// The entry at compact index `index` was deleted: its slot becomes a hole.
    pub(crate) fn removed(&mut self, index: usize) {
        let position = self.position_of(index);
        let at = self.holes.partition_point(|&h| h < position);
        self.holes.insert(at, position);
    }

    /// `popitem()` took the last of `used` entries: CPython's table ends before it, so the holes
    /// after it go too.
    pub(crate) fn popped_last(&mut self, used: usize) {
        if used == 0 {
            return;
        }
        let position = self.position_of(used - 1);
        self.holes.retain(|&h| h < position);
    }

    /// `clear()`: back to the empty table.
    pub(crate) fn cleared(&mut self) {
        *self = Layout::default();
    }

    /// The first entry at table position `from` or later, of a dict with `used` entries: its
    /// table position and its compact index.
    #[inline]
    pub(crate) fn next_entry(&self, from: usize, used: usize) -> Option<(usize, usize)> {
        if self.holes.is_empty() {
            return (from < used).then_some((from, from));
        }
        let mut skipped = self.holes.partition_point(|&h| h < from);
        let mut position = from;
        while self.holes.get(skipped) == Some(&position) {
            position += 1;
            skipped += 1;
        }
        let index = position - skipped;
        (index < used).then_some((position, index))
    }

    /// The table of `d.copy()` for a dict of `used` entries: the same table while at most a
    /// third of it is holes, else what merging into a new dict gives.
    pub(crate) fn copied(&self, used: usize) -> Layout {
        if used == 0 {
            return Layout::default();
        }
        let entries = used + self.holes.len();
        if used >= entries * 2 / 3 {
            return self.clone();
        }
        self.merged_into_empty(used)
    }

    /// The table an empty dict ends with after `update` from a dict with this table and `used`
    /// entries: this one when it is compact and fits (CPython clones it), else a new one grown
    /// once and filled.
    pub(crate) fn merged_into_empty(&self, used: usize) -> Layout {
        if self.holes.is_empty() && (self.size == MIN_SIZE || usable_fraction(self.size / 2) < used) {
            return self.clone();
        }
        let mut layout = Layout::default();
        layout.merging(0, used);
        for before in 0..used {
            layout.inserted(before);
        }
        layout
    }

    /// `d.update(other)` of a dict of `used` entries with `incoming` ones: CPython grows the
    /// table once first when they cannot fit (the insertions follow through [`Layout::inserted`]).
    pub(crate) fn merging(&mut self, used: usize, incoming: usize) {
        if usable_fraction(self.size) < incoming {
            self.rebuild(size_to_hold(used + incoming), used);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_cpython() {
        assert_eq!(size_for(0), 8);
        assert_eq!(size_for(15), 16);
        assert_eq!(size_for(16), 32);
        assert_eq!(size_to_hold(6), 16);
        assert_eq!(Layout::for_display(3).usable, 0);
        assert_eq!(Layout::for_display(6).usable, 10);
    }

    #[test]
    fn positions_count_the_holes_before() {
        let layout = Layout { holes: vec![0, 2, 3, 7], size: 16, usable: 1 };
        // Table: hole, c0, hole, hole, c1, c2, c3, hole, c4.
        let positions: Vec<usize> = (0..5).map(|c| layout.position_of(c)).collect();
        assert_eq!(positions, vec![1, 4, 5, 6, 8]);
    }

    #[test]
    fn holes_shift_positions_until_a_rebuild() {
        let mut layout = Layout::default();
        for used in 0..3 {
            layout.inserted(used);
        }
        // Delete the first entry: positions 1 and 2 hold compact indices 0 and 1.
        layout.removed(0);
        assert_eq!(layout.next_entry(0, 2), Some((1, 0)));
        assert_eq!(layout.next_entry(2, 2), Some((2, 1)));
        layout.inserted(2);
        assert_eq!(layout.next_entry(3, 3), Some((3, 2)));
        assert_eq!(layout.next_entry(4, 3), None);
        // An 8-slot table takes five entries (the hole counts): the sixth insertion rebuilds it.
        layout.inserted(3);
        assert!(!layout.is_compact());
        layout.inserted(4);
        assert!(layout.is_compact());
        assert_eq!(layout.next_entry(1, 5), Some((1, 1)));
    }
}
