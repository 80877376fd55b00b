//! The cache directory: runtime builds and compiled programs, keyed by content hashes.
//!
//! Location: `$PYRSC_CACHE_DIR`, else `$XDG_CACHE_HOME/pyrsc`, else `~/.cache/pyrsc`. Entries are
//! written under a temporary name and renamed into place, so concurrent builds of the same
//! program never observe a half-written artefact; each carries a manifest (`manifest.rs`) that is
//! checked before reuse. Building or replacing an entry happens under an exclusive lock on
//! `locks/<kind>-<key>.lock` (`File::lock`, released by the OS when the process ends, so a crash
//! leaves no stale lock), so concurrent builds of one entry do the work once.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::BuildError;

/// The layout of cache entries (manifest format and file names), part of every key: entries
/// written by a pyrsc without manifests are never mistaken for damaged ones, only left unused.
pub const LAYOUT: &str = "layout-2 (manifest.txt)";

pub struct Cache {
    pub root: PathBuf,
}

impl Cache {
    pub fn open() -> Result<Cache, BuildError> {
        let root = match std::env::var_os("PYRSC_CACHE_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => match std::env::var_os("XDG_CACHE_HOME") {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("pyrsc"),
                _ => match std::env::var_os("HOME") {
                    Some(home) => PathBuf::from(home).join(".cache").join("pyrsc"),
                    None => std::env::temp_dir().join("pyrsc-cache"),
                },
            },
        };
        std::fs::create_dir_all(&root)
            .map_err(|err| BuildError::Io(format!("cannot create the cache directory {}: {err}", root.display())))?;
        Ok(Cache { root })
    }

    pub fn build_dir(&self, key: &str) -> PathBuf {
        self.root.join("programs").join(key)
    }

    pub fn runtime_dir(&self, key: &str) -> PathBuf {
        self.root.join("runtime").join(key)
    }

    /// Where generated code that rustc rejected is kept for the bug report.
    pub fn failed_dir(&self, key: &str) -> PathBuf {
        self.root.join("failed").join(key)
    }

    /// A fresh temporary directory next to `target`, on the same file system (for renames).
    pub fn staging_dir(&self, target: &Path) -> Result<tempfile::TempDir, BuildError> {
        let parent = target.parent().unwrap_or(&self.root);
        std::fs::create_dir_all(parent)
            .map_err(|err| BuildError::Io(format!("cannot create {}: {err}", parent.display())))?;
        tempfile::Builder::new()
            .prefix(".staging-")
            .tempdir_in(parent)
            .map_err(|err| BuildError::Io(format!("cannot create a staging directory in {}: {err}", parent.display())))
    }
}

/// An exclusive lock on one cache entry, held until dropped.
pub struct EntryLock {
    _file: File,
}

/// Locks the entry `target` (`runtime/KEY` or `programs/KEY`) through `locks/<kind>-<key>.lock`,
/// which stays in place: removing a lock file would let two processes lock different files of
/// the same name. If another process holds it, `waiting` is called once before blocking.
pub fn lock_entry(cache: &Cache, target: &Path, waiting: impl FnOnce()) -> Result<EntryLock, BuildError> {
    let name = |path: Option<&Path>| path.and_then(Path::file_name).unwrap_or_default().to_string_lossy().into_owned();
    let locks = cache.root.join("locks");
    std::fs::create_dir_all(&locks)
        .map_err(|err| BuildError::Io(format!("cannot create {}: {err}", locks.display())))?;
    let path = locks.join(format!("{}-{}.lock", name(target.parent()), name(Some(target))));
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|err| BuildError::Io(format!("cannot open the lock file {}: {err}", path.display())))?;
    let locked = match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => {
            waiting();
            file.lock()
        }
        Err(TryLockError::Error(err)) => Err(err),
    };
    locked.map_err(|err| BuildError::Io(format!("cannot lock {}: {err}", path.display())))?;
    Ok(EntryLock { _file: file })
}

/// Removes a damaged entry (the caller holds its lock): renamed aside first, so the entry
/// disappears at once and never looks half-deleted to a concurrent reader.
pub fn discard(cache: &Cache, target: &Path) -> Result<(), BuildError> {
    let trash = cache.staging_dir(target)?;
    match std::fs::rename(target, trash.path().join("damaged")) {
        Ok(()) => Ok(()),
        Err(_) if !target.exists() => Ok(()),
        Err(err) => Err(BuildError::Io(format!(
            "cannot remove the damaged cache entry {}: {err}; delete it by hand",
            target.display()
        ))),
    }
    // `trash` is deleted with everything in it when it goes out of scope.
}

/// Moves a finished staging directory into place; if another build got there first, theirs is
/// kept (it has the same content).
pub fn publish(staging: tempfile::TempDir, target: &Path) -> Result<(), BuildError> {
    let staged = staging.keep();
    match std::fs::rename(&staged, target) {
        Ok(()) => Ok(()),
        Err(_) if target.is_dir() => {
            let _ = std::fs::remove_dir_all(&staged);
            Ok(())
        }
        Err(err) => Err(BuildError::Io(format!("cannot move {} to {}: {err}", staged.display(), target.display()))),
    }
}

/// Identifies this pyrsc executable (path, size, modification time), so that a rebuilt compiler
/// never reuses programs compiled by an older one, while a cache hit stays a metadata lookup.
pub fn compiler_identity() -> String {
    let Ok(exe) = std::env::current_exe() else { return String::from("unknown") };
    match std::fs::metadata(&exe) {
        Ok(meta) => {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            format!("{}:{}:{modified}", exe.display(), meta.len())
        }
        Err(_) => exe.display().to_string(),
    }
}

/// A hex SHA-256 of the parts, each length-prefixed so that boundaries matter.
pub fn build_key(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
