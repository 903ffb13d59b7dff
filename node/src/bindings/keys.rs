//! Keys for Rust values that JavaScript objects refer to: a `Timeout` object keeps the key of
//! chapter 8's timer behind it. A slab whose keys carry a generation, as chapter 7's handles
//! do: a key stays valid until its value is removed, and a stale key (a timer that already
//! fired, cleared afterwards) finds nothing, even after its slot was reused. JavaScript sees a
//! key as a number (exact up to 2^53).

/// A slab of `T` by generational key.
pub(crate) struct Keys<T> {
    slots: Vec<(u32, Option<T>)>,
    free: Vec<u32>,
}

/// A key: the slot in the low 32 bits, its generation above.
pub(crate) type Key = f64;

impl<T> Keys<T> {
    /// An empty slab.
    pub(crate) const fn new() -> Self {
        Keys {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// A new key, for a value stored with [`fill`](Self::fill) (a callback that must know its
    /// own key is made after the key).
    pub(crate) fn reserve(&mut self) -> Key {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push((0, None));
                (self.slots.len() - 1) as u32
            }
        };
        let generation = self.slots[index as usize].0 & 0x1f_ffff;
        ((u64::from(generation) << 32) | u64::from(index)) as f64
    }

    /// Stores the value of a reserved key.
    pub(crate) fn fill(&mut self, key: Key, value: T) {
        if let Some((index, generation)) = Self::slot(key)
            && let Some(slot) = self.slots.get_mut(index)
            && slot.0 & 0x1f_ffff == generation
        {
            slot.1 = Some(value);
        }
    }

    fn slot(key: Key) -> Option<(usize, u32)> {
        if !(0.0..9_007_199_254_740_992.0).contains(&key) {
            return None;
        }
        let bits = key as u64;
        Some(((bits & 0xffff_ffff) as usize, (bits >> 32) as u32))
    }

    /// The value of a live key.
    pub(crate) fn get(&self, key: Key) -> Option<&T> {
        let (index, generation) = Self::slot(key)?;
        match self.slots.get(index)? {
            (g, Some(value)) if *g & 0x1f_ffff == generation => Some(value),
            _ => None,
        }
    }

    /// The value of a live key, mutably.
    pub(crate) fn get_mut(&mut self, key: Key) -> Option<&mut T> {
        let (index, generation) = Self::slot(key)?;
        match self.slots.get_mut(index)? {
            (g, Some(value)) if *g & 0x1f_ffff == generation => Some(value),
            _ => None,
        }
    }

    /// Removes a live key's value; the key (and every copy of it) is stale from now on.
    pub(crate) fn remove(&mut self, key: Key) -> Option<T> {
        let (index, generation) = Self::slot(key)?;
        let slot = self.slots.get_mut(index)?;
        if slot.0 & 0x1f_ffff != generation || slot.1.is_none() {
            return None;
        }
        slot.0 = slot.0.wrapping_add(1);
        self.free.push(index as u32);
        slot.1.take()
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_key_finds_nothing_after_its_slot_is_reused() {
        let mut keys = Keys::new();
        let old = keys.reserve();
        keys.fill(old, "old");
        assert_eq!(keys.remove(old), Some("old"));
        let new = keys.reserve();
        keys.fill(new, "new");
        assert_ne!(old, new);
        assert_eq!(keys.get(old), None);
        assert_eq!(keys.remove(old), None);
        assert_eq!(keys.get(new), Some(&"new"));
    }

    #[test]
    fn nonsense_keys_find_nothing() {
        let mut keys = Keys::new();
        let key = keys.reserve();
        keys.fill(key, 1);
        for key in [-1.0, f64::NAN, 1e300, 0.5 + 4294967296.0 * 3.0] {
            assert_eq!(keys.get(key), None);
            assert_eq!(keys.remove(key), None);
        }
    }
}
