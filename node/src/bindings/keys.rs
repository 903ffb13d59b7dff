//! Small integer keys for Rust values that JavaScript objects refer to (a `Timeout` object keeps
//! the key of chapter 8's timer behind it): a slab, with freed keys reused.

/// A slab of `T` by `u32` key.
pub(crate) struct Keys<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Keys<T> {
    /// An empty slab.
    pub(crate) const fn new() -> Self {
        Keys {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// A key for a value to be stored with [`set`](Self::set).
    pub(crate) fn reserve(&mut self) -> u32 {
        match self.free.pop() {
            Some(key) => key,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        }
    }

    /// Stores the value of a reserved key.
    pub(crate) fn set(&mut self, key: u32, value: T) {
        if let Some(slot) = self.slots.get_mut(key as usize) {
            *slot = Some(value);
        }
    }

    /// The value of a key.
    pub(crate) fn get(&self, key: u32) -> Option<&T> {
        self.slots.get(key as usize)?.as_ref()
    }

    /// The value of a key, mutably.
    pub(crate) fn get_mut(&mut self, key: u32) -> Option<&mut T> {
        self.slots.get_mut(key as usize)?.as_mut()
    }

    /// Frees a key and returns its value.
    pub(crate) fn remove(&mut self, key: u32) -> Option<T> {
        let value = self.slots.get_mut(key as usize)?.take();
        if value.is_some() {
            self.free.push(key);
        }
        value
    }

    /// Forgets everything.
    pub(crate) fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
    }
}
