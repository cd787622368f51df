//! Keys: hashes of exactly the inputs an output is made from. The
//! incremental build ([`crate::publish::incremental`]) and the caches
//! ([`crate::publish::cache`]) compare them to decide what to make again.

use std::time::UNIX_EPOCH;

/// A hash of some inputs, as hex.
pub type Key = String;

/// A hasher that takes length-prefixed parts, so ("ab","c") ≠ ("a","bc").
pub struct Hasher(blake3::Hasher);

impl Hasher {
    /// A hasher for keys of one kind (`domain`), which no other kind can equal.
    pub fn new(domain: &str) -> Self {
        let mut hasher = Hasher(blake3::Hasher::new());
        hasher.part(domain.as_bytes());
        hasher
    }

    /// Adds one part.
    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds a number as one part.
    pub fn number(&mut self, n: usize) -> &mut Self {
        self.part(&(n as u64).to_le_bytes())
    }

    /// The jianfan binary: its version, and for a rebuilt binary under the
    /// same version (while developing), its size and modification time.
    pub fn binary(&mut self) -> &mut Self {
        self.part(env!("CARGO_PKG_VERSION").as_bytes());
        if let Ok(meta) = std::env::current_exe().and_then(std::fs::metadata) {
            self.number(meta.len() as usize);
            if let Ok(modified) = meta.modified() {
                let since = modified.duration_since(UNIX_EPOCH).unwrap_or_default();
                self.part(&since.as_nanos().to_le_bytes());
            }
        }
        self
    }

    /// The key of everything added.
    pub fn finish(&self) -> Key {
        self.0.finalize().to_hex()[..32].to_string()
    }
}
