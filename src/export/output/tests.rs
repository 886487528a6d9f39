use super::*;

fn write_set(dir: &Path, names: &[&str], text: &str) {
    for name in names {
        fs::write(dir.join(name), text).unwrap();
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn stage_all(out: &mut OutputDir, names: &[&'static str], text: &str) {
    for name in names {
        out.stage(name, |w| w.write_all(text.as_bytes())).unwrap();
    }
}

const RUN_SET: [&str; 3] = ["summary.csv", "bands.csv", "run.json"];

#[test]
fn commit_replaces_the_whole_set_and_nothing_else() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir(&dir).unwrap();
    write_set(&dir, &RUN_SET, "old");
    write_set(&dir, &["samples.csv", "notes.txt"], "old");
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    let written = out.commit().unwrap();
    assert_eq!(written.len(), 3);
    for name in RUN_SET {
        assert_eq!(read(&dir.join(name)), "new");
    }
    assert_eq!(read(&dir.join("notes.txt")), "old");
    assert_eq!(
        entries(&dir),
        [
            LOCK_FILE,
            "bands.csv",
            "notes.txt",
            "run.json",
            "summary.csv"
        ]
    );
}

#[test]
fn a_failed_swap_puts_the_old_set_back() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir(&dir).unwrap();
    write_set(&dir, &["summary.csv", "bands.csv", "samples.csv"], "old");
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    // Something appears in the way after the job started: the swap meets it half done.
    fs::create_dir_all(dir.join("run.json/inside")).unwrap();
    let error = out.commit().unwrap_err();
    assert!(matches!(error, OutputError::InTheWay { .. }), "{error}");
    for name in ["summary.csv", "bands.csv", "samples.csv"] {
        assert_eq!(read(&dir.join(name)), "old", "{name}");
    }
    assert!(dir.join("run.json/inside").is_dir());
    assert_eq!(
        entries(&dir),
        [
            LOCK_FILE,
            "bands.csv",
            "run.json",
            "samples.csv",
            "summary.csv"
        ]
    );
}

#[test]
fn a_swap_cut_short_is_undone_by_the_next_job() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let staging = dir.join(format!("{STAGING_PREFIX}killed01"));
    fs::create_dir_all(staging.join(PREVIOUS)).unwrap();
    // The old set moved aside, summary.csv of the new set moved in, the rest still staged.
    write_set(
        &staging.join(PREVIOUS),
        &["summary.csv", "bands.csv", "run.json", "samples.csv"],
        "old",
    );
    fs::write(dir.join("summary.csv"), "new").unwrap();
    write_set(&staging, &["bands.csv", "run.json"], "new");
    fs::write(staging.join(SWAP_MARKER), RUN_SET.join("\n")).unwrap();
    fs::write(dir.join(".costbands-staging-note.txt"), "mine").unwrap();
    let out = OutputDir::open(&dir).unwrap();
    drop(out);
    for name in ["summary.csv", "bands.csv", "run.json", "samples.csv"] {
        assert_eq!(read(&dir.join(name)), "old", "{name}");
    }
    assert_eq!(
        entries(&dir),
        [
            ".costbands-staging-note.txt",
            LOCK_FILE,
            "bands.csv",
            "run.json",
            "samples.csv",
            "summary.csv"
        ]
    );
}

#[test]
fn a_finished_swap_left_behind_is_only_removed() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let staging = dir.join(format!("{STAGING_PREFIX}killed02"));
    fs::create_dir_all(staging.join(PREVIOUS)).unwrap();
    write_set(&staging.join(PREVIOUS), &RUN_SET, "old");
    write_set(&dir, &RUN_SET, "new");
    let out = OutputDir::open(&dir).unwrap();
    drop(out);
    for name in RUN_SET {
        assert_eq!(read(&dir.join(name)), "new", "{name}");
    }
    assert_eq!(
        entries(&dir),
        [LOCK_FILE, "bands.csv", "run.json", "summary.csv"]
    );
}

#[test]
fn one_job_at_a_time() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let first = OutputDir::open(&dir).unwrap();
    let second = OutputDir::open(&dir).err().expect("the folder is locked");
    assert!(matches!(second, OutputError::Busy { .. }), "{second}");
    drop(first);
    OutputDir::open(&dir).unwrap();
}

#[test]
fn a_failed_job_removes_the_folder_it_created() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("new/out");
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &["summary.csv"], "new");
    drop(out);
    assert!(!dir.exists());
    fs::create_dir_all(&dir).unwrap();
    drop(OutputDir::open(&dir).unwrap());
    assert_eq!(entries(&dir), [LOCK_FILE]);
}

#[test]
fn paths_that_are_not_folders() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("file");
    fs::write(&file, "x").unwrap();
    let message = OutputDir::open(&file).err().unwrap().to_string();
    assert!(message.contains("is a file, not a folder"), "{message}");
    #[cfg(unix)]
    {
        let link = root.path().join("link");
        std::os::unix::fs::symlink(root.path().join("nowhere"), &link).unwrap();
        let message = OutputDir::open(&link).err().unwrap().to_string();
        assert!(
            message.contains("a symbolic link to") && message.contains("nowhere"),
            "{message}"
        );
        let message = check_output_path(Path::new("/dev/null"))
            .unwrap_err()
            .to_string();
        assert!(message.contains("is a device, not a folder"), "{message}");
    }
}

fn stage_folder(out: &mut OutputDir, folder: &str, text: &str) {
    for name in RUN_SET {
        out.stage_in(folder, name, |w| w.write_all(text.as_bytes()))
            .unwrap();
    }
}

#[test]
fn sub_folders_are_swapped_in_and_out_with_the_set() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "first");
    stage_folder(&mut out, "a", "first a");
    stage_folder(&mut out, "b", "first b");
    let written = out.commit().unwrap();
    assert!(written.contains(&dir.join("a")) && written.contains(&dir.join("b")));
    assert_eq!(read(&dir.join(FOLDERS_FILE)), "a\nb\n");
    assert_eq!(read(&dir.join("a/run.json")), "first a");
    assert_eq!(
        entries(&dir.join("b")),
        ["bands.csv", "run.json", "summary.csv"]
    );
    let existing = OutputDir::existing_results(&dir);
    assert!(existing.contains(&dir.join("a")) && existing.contains(&dir.join("summary.csv")));
    // The next set has b and c: a goes (no stale sub-folder), b is replaced whole.
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "second");
    stage_folder(&mut out, "c", "second c");
    out.stage_in("b", "summary.csv", |w| w.write_all(b"second b"))
        .unwrap();
    out.commit().unwrap();
    assert_eq!(read(&dir.join(FOLDERS_FILE)), "c\nb\n");
    assert_eq!(entries(&dir.join("b")), ["summary.csv"]);
    assert_eq!(read(&dir.join("c/bands.csv")), "second c");
    assert_eq!(
        entries(&dir),
        [
            FOLDERS_FILE,
            LOCK_FILE,
            "b",
            "bands.csv",
            "c",
            "notes.txt",
            "run.json",
            "summary.csv"
        ]
    );
    // A set without sub-folders removes them and their list.
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "third");
    out.commit().unwrap();
    assert_eq!(
        entries(&dir),
        [
            LOCK_FILE,
            "bands.csv",
            "notes.txt",
            "run.json",
            "summary.csv"
        ]
    );
}

#[test]
fn a_sub_folder_holding_a_file_of_the_user_is_not_replaced() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let mut out = OutputDir::open(&dir).unwrap();
    stage_folder(&mut out, "a", "old");
    out.commit().unwrap();
    fs::write(dir.join("a/notes.txt"), "mine").unwrap();
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    stage_folder(&mut out, "a", "new");
    let error = out.commit().unwrap_err();
    assert!(matches!(error, OutputError::Foreign { .. }), "{error}");
    assert!(error.to_string().contains("a/notes.txt"), "{error}");
    assert_eq!(read(&dir.join("a/run.json")), "old");
    assert_eq!(read(&dir.join("a/notes.txt")), "mine");
    assert_eq!(entries(&dir), [FOLDERS_FILE, LOCK_FILE, "a"]);
}

#[test]
fn a_folder_of_the_user_with_a_new_sub_folder_name_stops_the_swap() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir_all(dir.join("b")).unwrap();
    write_set(&dir, &RUN_SET, "old");
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    stage_folder(&mut out, "a", "new");
    stage_folder(&mut out, "b", "new");
    let error = out.commit().unwrap_err();
    assert!(matches!(error, OutputError::InTheWay { .. }), "{error}");
    assert!(error
        .to_string()
        .contains("not part of the previous results"));
    for name in RUN_SET {
        assert_eq!(read(&dir.join(name)), "old", "{name}");
    }
    assert!(entries(&dir.join("b")).is_empty());
    assert_eq!(
        entries(&dir),
        [LOCK_FILE, "b", "bands.csv", "run.json", "summary.csv"]
    );
}

#[test]
fn a_swap_of_sub_folders_cut_short_is_undone_by_the_next_job() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    let staging = dir.join(format!("{STAGING_PREFIX}killed03"));
    let previous = staging.join(PREVIOUS);
    // The old set (summary.csv, sub-folder a, the list) moved aside; the new summary.csv and
    // sub-folder b moved in; the new list still staged.
    fs::create_dir_all(previous.join("a")).unwrap();
    fs::write(previous.join("summary.csv"), "old").unwrap();
    fs::write(previous.join("a/run.json"), "old a").unwrap();
    fs::write(previous.join(FOLDERS_FILE), "a\n").unwrap();
    fs::create_dir_all(dir.join("b")).unwrap();
    fs::write(dir.join("summary.csv"), "new").unwrap();
    fs::write(dir.join("b/run.json"), "new b").unwrap();
    fs::write(staging.join(FOLDERS_FILE), "b\n").unwrap();
    let marker = ["summary.csv", "b", FOLDERS_FILE].join("\n");
    fs::write(staging.join(SWAP_MARKER), marker).unwrap();
    drop(OutputDir::open(&dir).unwrap());
    assert_eq!(read(&dir.join("summary.csv")), "old");
    assert_eq!(read(&dir.join("a/run.json")), "old a");
    assert_eq!(read(&dir.join(FOLDERS_FILE)), "a\n");
    assert_eq!(entries(&dir), [FOLDERS_FILE, LOCK_FILE, "a", "summary.csv"]);
}

#[test]
fn sub_folder_names_stay_inside_the_folder_and_off_result_names() {
    for good in ["a", "chatgpt-class", "x.y_z", "results"] {
        assert!(is_folder_name(good), "{good}");
    }
    for bad in [
        "",
        ".",
        "..",
        ".hidden",
        "a/b",
        "a\\b",
        "run.json",
        "Summary.CSV",
    ] {
        assert!(!is_folder_name(bad), "{bad}");
    }
    let root = tempfile::tempdir().unwrap();
    let mut out = OutputDir::open(&root.path().join("out")).unwrap();
    let error = out
        .stage_in("../escape", "run.json", |w| w.write_all(b"x"))
        .unwrap_err();
    assert!(
        error.to_string().contains("cannot name a sub-folder"),
        "{error}"
    );
    assert!(!root.path().join("escape").exists());
}

#[test]
fn a_result_folder_is_swapped_whole_and_names_inside_it_are_plain() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir_all(dir.join("plots")).unwrap();
    write_set(&dir, &RUN_SET, "old");
    fs::write(dir.join("plots/stale.svg"), "old").unwrap();
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    for bad in ["", ".hidden.svg", "../escape.svg", "a/b.svg"] {
        assert!(
            out.stage_in_result_folder("plots", bad, |w| w.write_all(b"x"))
                .is_err(),
            "{bad}"
        );
    }
    assert!(out
        .stage_in_result_folder("notes", "a.svg", |w| w.write_all(b"x"))
        .is_err());
    out.stage_in_result_folder("plots", "a.svg", |w| w.write_all(b"new"))
        .unwrap();
    out.stage_in_result_folder("plots", "b.svg", |w| w.write_all(b"new"))
        .unwrap();
    out.commit().unwrap();
    assert_eq!(entries(&dir.join("plots")), ["a.svg", "b.svg"]);
    assert_eq!(read(&dir.join("plots/a.svg")), "new");
    assert!(!root.path().join("escape.svg").exists());
}

#[test]
fn an_old_folder_of_results_goes_with_the_old_set() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("out");
    fs::create_dir_all(dir.join("plots")).unwrap();
    fs::write(dir.join("plots/old.svg"), "old").unwrap();
    write_set(&dir, &RUN_SET, "old");
    // Without a new plots folder, the old one goes with the old set: no stale charts.
    let mut out = OutputDir::open(&dir).unwrap();
    stage_all(&mut out, &RUN_SET, "new");
    out.commit().unwrap();
    assert!(!dir.join("plots").exists());
}
