//! The output folder: one job at a time, result sets replaced whole.
//!
//! [`OutputDir::open`] checks that the path is (or can become) a folder, takes an exclusive
//! lock on `.costbands.lock` in it for as long as the job runs (a second job into the same
//! folder fails at once), clears what an earlier, killed job left behind, and creates a private
//! staging folder `.costbands-staging-XXXXXXXX` inside it. Files are written into the staging
//! folder, created with the permissions the umask gives (like any file the user creates).
//! [`OutputDir::commit`] then swaps the sets: every result file of the old set (any name in
//! [`result_files`], which names the result folders too, such as `plots`, each swapped whole)
//! is moved into the staging folder, the new set is moved in, the old set is
//! deleted. A failure rolls back, so the folder holds the whole old set or the whole new set,
//! never a mix, and never a stale file of an older run beside new ones. Files the tool does
//! not name as its results are never touched.
//!
//! A result set may hold sub-folders ([`OutputDir::stage_in`]: one per scenario of a batch),
//! named in the set's own list, [`FOLDERS_FILE`]; they are swapped like the files, whole, so
//! the next set replaces them too. A sub-folder of the old set that holds anything but result
//! files is not replaced: the job fails naming what is in the way.
//!
//! A swap writes a marker listing the new set before it starts; a job killed in the middle of
//! one (SIGKILL, power loss) leaves the marker, and the next job into the folder puts the old
//! set back before it does anything else.
//!
//! Staging folders in use are registered process-wide, so that a signal handler can remove
//! them ([`abandon_staged`]); a swap holds that registry for its duration, so a signal waits
//! for a swap to finish rather than cutting it in half.

mod folders;
mod staged;

pub use folders::{is_folder_name, FOLDERS_FILE};
pub use staged::StagedFile;

use super::{at, result_files, result_folders, ExportError};
use folders::{check_old_folders, is_set_entry, listed_folders};
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The lock file every job holds in its output folder while it runs (an empty file, left in
/// place: removing it would let two jobs lock two different files).
pub const LOCK_FILE: &str = ".costbands.lock";

/// How the name of every staging folder starts; the next job removes stale ones.
pub const STAGING_PREFIX: &str = ".costbands-staging-";

/// Inside a staging folder during a swap: the previous result set.
const PREVIOUS: &str = ".previous";

/// Inside a staging folder during a swap: the names of the new set, one a line.
const SWAP_MARKER: &str = ".swapping";

/// Why an output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path exists but is not a folder (or is a link to nothing).
    #[error("output folder {}: {what}; give --out the path of a folder (it is created if missing)", dir.display())]
    NotAFolder {
        /// The path.
        dir: PathBuf,
        /// What it is instead.
        what: String,
    },
    /// Another job holds the folder's lock.
    #[error(
        "output folder {} is in use by another costbands job (it holds {}); wait for that job to \
         finish, or write elsewhere with --out",
        dir.display(),
        dir.join(LOCK_FILE).display()
    )]
    Busy {
        /// The folder.
        dir: PathBuf,
    },
    /// Something that is not a file has the name of a result file, or something that is not
    /// from an earlier result set has the name of a new result sub-folder.
    #[error("{}: {what}; move it away (or write elsewhere with --out), then run again", path.display())]
    InTheWay {
        /// The path.
        path: PathBuf,
        /// What is there.
        what: &'static str,
    },
    /// A sub-folder of the previous result set holds a file that is not a result.
    #[error(
        "{}: not a costbands result, inside a scenario sub-folder of the previous results, which \
         are replaced whole; move the file out, then run again",
        path.display()
    )]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] ExportError),
}

/// A staging folder in use, and whether its job created the output folder.
struct Active {
    staging: PathBuf,
    dir: PathBuf,
    created: bool,
}

static ACTIVE: Mutex<Vec<Active>> = Mutex::new(Vec::new());

fn active() -> MutexGuard<'static, Vec<Active>> {
    ACTIVE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes every staging folder of this process (and an output folder its job created, when
/// nothing else is in it); returns the output folders concerned. For a signal handler, right
/// before the process exits: no job of this process can write results afterwards. Waits for a
/// swap in progress to finish.
pub fn abandon_staged() -> Vec<PathBuf> {
    let mut guard = active();
    let dirs = guard
        .drain(..)
        .map(|entry| {
            discard(&entry);
            entry.dir
        })
        .collect();
    // Hold the registry for good: a job still running cannot stage or commit any more.
    std::mem::forget(guard);
    dirs
}

fn discard(entry: &Active) {
    let _ = fs::remove_dir_all(&entry.staging);
    if entry.created {
        let _ = fs::remove_file(entry.dir.join(LOCK_FILE));
        let _ = fs::remove_dir(&entry.dir);
    }
}

/// Fails when `dir` exists but is not a folder (a file, a device, a link to nothing).
pub fn check_output_path(dir: &Path) -> Result<(), OutputError> {
    let not_a_folder = |what: String| OutputError::NotAFolder {
        dir: dir.to_path_buf(),
        what,
    };
    let link = match fs::symlink_metadata(dir) {
        Ok(link) => link,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(at(dir, e).into()),
    };
    match fs::metadata(dir) {
        Ok(target) if target.is_dir() => Ok(()),
        Ok(target) => Err(not_a_folder(format!("is {}", describe(&target)))),
        Err(e) if e.kind() == io::ErrorKind::NotFound && link.file_type().is_symlink() => {
            let to = fs::read_link(dir).map_or_else(|_| "?".into(), |t| t.display().to_string());
            Err(not_a_folder(format!(
                "is a symbolic link to {to}, which does not exist"
            )))
        }
        Err(e) => Err(at(dir, e).into()),
    }
}

fn describe(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_char_device() || kind.is_block_device() {
            return "a device, not a folder";
        }
        if kind.is_fifo() {
            return "a named pipe, not a folder";
        }
        if kind.is_socket() {
            return "a socket, not a folder";
        }
    }
    if metadata.is_file() {
        "a file, not a folder"
    } else {
        "not a folder"
    }
}

/// An output folder, locked for one job, whose result set is staged and swapped in whole.
pub struct OutputDir {
    dir: PathBuf,
    staging: PathBuf,
    staged: Vec<&'static str>,
    /// Sub-folders of the new set, in the order first staged.
    folders: Vec<String>,
    /// Set once the staging folder is gone (committed) or must be kept (a failed rollback).
    settled: bool,
    _lock: File,
}

impl OutputDir {
    /// Existing result files, and sub-folders of the result set, in `dir` that a job would
    /// replace.
    pub fn existing_results(dir: &Path) -> Vec<PathBuf> {
        let files = result_files().into_iter().map(|name| dir.join(name));
        let folders = listed_folders(dir).into_iter().map(|name| dir.join(name));
        files
            .chain(folders)
            .filter(|path| fs::symlink_metadata(path).is_ok())
            .collect()
    }

    /// Creates `dir` (and parents) if missing, locks it for this job, recovers or removes what
    /// killed jobs left in it, and opens a staging folder.
    pub fn open(dir: &Path) -> Result<OutputDir, OutputError> {
        check_output_path(dir)?;
        let created = fs::symlink_metadata(dir).is_err();
        fs::create_dir_all(dir).map_err(|e| at(dir, e))?;
        let lock = lock(dir)?;
        for stale in stale_staging(dir)? {
            recover(dir, &stale).map_err(|e| at(&stale, e))?;
        }
        for path in result_files().into_iter().map(|name| dir.join(name)) {
            if fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) && !is_result_folder(&path) {
                return Err(OutputError::InTheWay {
                    path,
                    what: FOLDER_AT_FILE,
                });
            }
        }
        let mut registry = active();
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .rand_bytes(8)
            .tempdir_in(dir)
            .map_err(|e| at(dir, e))?
            .keep();
        registry.push(Active {
            staging: staging.clone(),
            dir: dir.to_path_buf(),
            created,
        });
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            staging,
            staged: Vec::new(),
            folders: Vec::new(),
            settled: false,
            _lock: lock,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Stages `name`, written by `write` into the staging folder.
    pub fn stage(
        &mut self,
        name: &'static str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), ExportError> {
        let mut file = self.create(None, name)?;
        write(&mut file).map_err(|e| file.error(e))?;
        file.finish()
    }

    /// Stages `folder/name`: a file in a sub-folder of the result set (created when first
    /// staged). `folder` must be a [folder name](is_folder_name).
    pub fn stage_in(
        &mut self,
        folder: &str,
        name: &'static str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), ExportError> {
        let mut file = self.create(Some(folder), name)?;
        write(&mut file).map_err(|e| file.error(e))?;
        file.finish()
    }

    /// Creates the staged file `name`, in the sub-folder `folder` when given, and returns a
    /// writer to it that does not borrow the folder (for files written as a job runs).
    pub fn create(
        &mut self,
        folder: Option<&str>,
        name: &'static str,
    ) -> Result<StagedFile, ExportError> {
        let relative = match folder {
            Some(folder) => Path::new(folder).join(name),
            None => PathBuf::from(name),
        };
        let target = self.dir.join(&relative);
        if let Some(folder) = folder {
            self.stage_folder(folder, &target)?;
        }
        let file = {
            let registry = active();
            if !registry.iter().any(|a| a.staging == self.staging) {
                let e = io::Error::new(io::ErrorKind::Interrupted, "the job was interrupted");
                return Err(at(&target, e));
            }
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(self.staging.join(&relative))
                .map_err(|e| at(&target, e))?
        };
        if folder.is_none() {
            self.staged.push(name);
        }
        Ok(StagedFile {
            writer: BufWriter::new(file),
            target,
        })
    }

    /// Creates the sub-folder `folder` of the staging folder, once.
    fn stage_folder(&mut self, folder: &str, target: &Path) -> Result<(), ExportError> {
        if !is_folder_name(folder) {
            let e = io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("\"{folder}\" cannot name a sub-folder of the results"),
            );
            return Err(at(target, e));
        }
        if self.folders.iter().any(|f| f == folder) {
            return Ok(());
        }
        let path = self.staging.join(folder);
        fs::create_dir(&path).map_err(|e| at(target, e))?;
        self.folders.push(folder.to_string());
        Ok(())
    }

    /// Every top-level entry of the new set: files, sub-folders and their list.
    fn new_entries(&self) -> Vec<String> {
        let mut entries: Vec<String> = self.staged.iter().map(|n| n.to_string()).collect();
        entries.extend(self.folders.iter().cloned());
        if !self.folders.is_empty() {
            entries.push(FOLDERS_FILE.to_string());
        }
        entries
    }

    /// Stages file `name` inside the result folder `folder` (one of [`result_folders`], e.g.
    /// `plots`), which is swapped in whole like a result file. `name` must be a plain file
    /// name.
    pub fn stage_in_result_folder(
        &mut self,
        folder: &'static str,
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), ExportError> {
        let target = self.dir.join(folder).join(name);
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains(['/', '\\'])
            && result_folders().contains(&folder);
        if !plain {
            let e = io::Error::new(io::ErrorKind::InvalidInput, "not a result file name");
            return Err(at(&target, e));
        }
        let inside = self.staging.join(folder);
        match fs::create_dir(&inside) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(at(&target, e)),
            _ => {}
        }
        let file = {
            let registry = active();
            if !registry.iter().any(|a| a.staging == self.staging) {
                let e = io::Error::new(io::ErrorKind::Interrupted, "the job was interrupted");
                return Err(at(&target, e));
            }
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(inside.join(name))
                .map_err(|e| at(&target, e))?
        };
        let mut buffered = BufWriter::new(file);
        write(&mut buffered).map_err(|e| at(&target, e))?;
        buffered.flush().map_err(|e| at(&target, e))?;
        if !self.staged.contains(&folder) {
            self.staged.push(folder);
        }
        Ok(())
    }

    /// Replaces the folder's result set (every file named in [`result_files`]) by the staged
    /// files, all or nothing; returns the paths written.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let mut registry = active();
        let swapped = self.write_folder_list().and_then(|()| self.swap());
        let outcome = match swapped {
            Ok(()) => {
                let _ = fs::remove_dir_all(&self.staging);
                let written = self.staged.iter().map(|name| name.to_string());
                let written = written.chain(self.folders.iter().cloned());
                Ok(written.map(|name| self.dir.join(name)).collect())
            }
            Err(error) => match self.roll_back() {
                Ok(()) => {
                    let _ = fs::remove_dir_all(&self.staging);
                    Err(error)
                }
                Err(undo) => Err(at(
                    &self.dir,
                    io::Error::other(format!(
                        "{error}; putting the previous results back failed too ({undo}): they \
                         are in {}, and the next run into this folder restores them",
                        self.staging.join(PREVIOUS).display()
                    )),
                )
                .into()),
            },
        };
        registry.retain(|a| a.staging != self.staging);
        self.settled = true;
        outcome
    }

    /// Stages the list of the new set's sub-folders, when it has any.
    fn write_folder_list(&self) -> Result<(), OutputError> {
        if self.folders.is_empty() {
            return Ok(());
        }
        let path = self.staging.join(FOLDERS_FILE);
        let list: String = self.folders.iter().map(|f| format!("{f}\n")).collect();
        fs::write(&path, list).map_err(|e| at(&self.dir.join(FOLDERS_FILE), e).into())
    }

    /// Moves the old set into the staging folder and the new set in.
    fn swap(&self) -> Result<(), OutputError> {
        let previous = self.staging.join(PREVIOUS);
        fs::create_dir(&previous).map_err(|e| at(&previous, e))?;
        let marker = self.staging.join(SWAP_MARKER);
        let entries = self.new_entries();
        fs::write(&marker, entries.join("\n")).map_err(|e| at(&marker, e))?;
        let old_folders = listed_folders(&self.dir);
        check_old_folders(&self.dir, &old_folders)?;
        for name in result_files() {
            let path = self.dir.join(name);
            match fs::symlink_metadata(&path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(at(&path, e).into()),
                Ok(m) if m.is_dir() && !result_folders().contains(&name) => {
                    return Err(OutputError::InTheWay {
                        path,
                        what: FOLDER_AT_FILE,
                    })
                }
                Ok(_) => fs::rename(&path, previous.join(name)).map_err(|e| at(&path, e))?,
            }
        }
        for name in old_folders.iter().map(String::as_str).chain([FOLDERS_FILE]) {
            let path = self.dir.join(name);
            if fs::symlink_metadata(&path).is_ok() {
                fs::rename(&path, previous.join(name)).map_err(|e| at(&path, e))?;
            }
        }
        for name in &entries {
            let path = self.dir.join(name);
            if fs::symlink_metadata(&path).is_ok() {
                return Err(OutputError::InTheWay {
                    path,
                    what: "already there, and not part of the previous results",
                });
            }
            fs::rename(self.staging.join(name), &path).map_err(|e| at(&path, e))?;
        }
        fs::remove_file(&marker).map_err(|e| at(&marker, e).into())
    }

    /// Undoes a partial [`swap`](Self::swap): the new files out, the old ones back.
    fn roll_back(&self) -> io::Result<()> {
        let entries = self.new_entries();
        let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
        undo_swap(&self.dir, &self.staging, &entries)
    }
}

/// What [`OutputError::InTheWay`] says of a folder at the name of a result file.
const FOLDER_AT_FILE: &str = "a folder where a result file belongs";

impl Drop for OutputDir {
    fn drop(&mut self) {
        if self.settled {
            return;
        }
        let mut registry = active();
        if let Some(index) = registry.iter().position(|a| a.staging == self.staging) {
            discard(&registry.remove(index));
        } else {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Whether `path` is named as a result folder (a folder of result files, swapped whole).
fn is_result_folder(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| result_folders().contains(&n))
}

/// Opens and locks `dir/.costbands.lock`, making sure the file locked is the one at that path
/// (a job that created the folder removes the file when it fails).
fn lock(dir: &Path) -> Result<File, OutputError> {
    let path = dir.join(LOCK_FILE);
    for _ in 0..3 {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| at(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(OutputError::Busy {
                    dir: dir.to_path_buf(),
                })
            }
            Err(fs::TryLockError::Error(e)) => return Err(at(&path, e).into()),
        }
        if same_file(&file, &path) {
            return Ok(file);
        }
    }
    Err(OutputError::Busy {
        dir: dir.to_path_buf(),
    })
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

/// Staging folders in `dir` (its lock held): left by a job that was killed.
fn stale_staging(dir: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| at(dir, e))? {
        let entry = entry.map_err(|e| at(dir, e))?;
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(STAGING_PREFIX));
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.push(entry.path());
        }
    }
    Ok(found)
}

/// Puts back the old set of a swap a killed job left half done, then removes its staging
/// folder.
fn recover(dir: &Path, staging: &Path) -> io::Result<()> {
    let marker = staging.join(SWAP_MARKER);
    if let Ok(list) = fs::read_to_string(&marker) {
        let staged: Vec<&str> = list.lines().filter(|n| is_set_entry(n)).collect();
        undo_swap(dir, staging, &staged)?;
    }
    fs::remove_dir_all(staging)
}

/// The new files (named `staged`) that reached `dir` go back to `staging`; the old files in
/// `staging/.previous` go back to `dir`.
fn undo_swap(dir: &Path, staging: &Path, staged: &[&str]) -> io::Result<()> {
    for name in staged {
        let (placed, home) = (dir.join(name), staging.join(name));
        if fs::symlink_metadata(&home).is_err() && fs::symlink_metadata(&placed).is_ok() {
            fs::rename(&placed, &home)?;
        }
    }
    let previous = staging.join(PREVIOUS);
    let entries = match fs::read_dir(&previous) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        if entry.file_name().to_str().is_some_and(is_set_entry) {
            fs::rename(entry.path(), dir.join(entry.file_name()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
