//! The sub-folders of a result set: their names, the set's list of them, and the check that a
//! sub-folder about to be replaced holds nothing but results.

use super::{at, result_files, OutputError};
use std::fs;
use std::path::Path;

/// In the output folder: the names of the result set's sub-folders, one a line (written only
/// when the set has sub-folders). It belongs to the set: it is replaced with it.
pub const FOLDERS_FILE: &str = ".costbands-folders";

/// Whether `name` may name a sub-folder of a result set: 1 to 255 bytes, no path separator or
/// NUL, not starting with `.` (so never `.`, `..`, a staging folder or the tool's own files),
/// and not the name of a result file.
pub fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && !result_files()
            .iter()
            .any(|file| file.eq_ignore_ascii_case(name))
}

/// Whether `name` can be a top-level entry of a result set: a result file, the folder list,
/// or a sub-folder.
pub(super) fn is_set_entry(name: &str) -> bool {
    result_files().contains(&name) || name == FOLDERS_FILE || is_folder_name(name)
}

/// The sub-folders the result set in `dir` lists (empty when it lists none).
pub(super) fn listed_folders(dir: &Path) -> Vec<String> {
    let Ok(list) = fs::read_to_string(dir.join(FOLDERS_FILE)) else {
        return Vec::new();
    };
    list.lines()
        .filter(|name| is_folder_name(name))
        .map(str::to_string)
        .collect()
}

/// Fails when a listed sub-folder of the old set holds anything but result files: a file the
/// user put there, which replacing the sub-folder whole would delete.
pub(super) fn check_old_folders(dir: &Path, folders: &[String]) -> Result<(), OutputError> {
    let known = result_files();
    for folder in folders {
        let path = dir.join(folder);
        let Ok(entries) = fs::read_dir(&path) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| at(&path, e))?;
            let is_result = entry.file_type().is_ok_and(|t| t.is_file())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| known.contains(&name));
            if !is_result {
                return Err(OutputError::Foreign { path: entry.path() });
            }
        }
    }
    Ok(())
}
