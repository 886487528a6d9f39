//! The module map of docs/ARCHITECTURE.md is the code's: no module refers to a module listed
//! above it (so there is no cycle between modules), and every module is on the map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The layer list between the markers, bottom to top.
fn layers() -> Vec<String> {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/ARCHITECTURE.md")).unwrap();
    let start = doc.find("<!-- layers: begin -->").expect("begin marker");
    let end = doc.find("<!-- layers: end -->").expect("end marker");
    doc[start..end]
        .lines()
        .skip(1)
        .filter(|line| !line.starts_with("```") && !line.trim().is_empty())
        .map(|line| line.split_whitespace().next().unwrap().to_string())
        .collect()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for lib.rs and main.rs).
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(Path::new(ROOT).join("src")).unwrap();
    let mut parts = relative.iter();
    let first = parts.next()?.to_str()?.to_string();
    if parts.next().is_some() {
        return Some(first);
    }
    let stem = first.strip_suffix(".rs")?;
    (stem != "lib" && stem != "main").then(|| stem.to_string())
}

/// The top-level modules named as `crate::NAME` in `text`, code, comments and doc links alike.
fn references(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if rest.starts_with('{') {
            let group = &rest[1..rest.find('}').unwrap_or(rest.len())];
            found.extend(group.split(',').map(|item| head(item.trim())));
        } else {
            found.push(head(rest));
        }
    }
    found.retain(|name| !name.is_empty());
    found
}

fn head(path: &str) -> String {
    path.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn no_module_refers_to_a_module_above_it() {
    let order = layers();
    let rank: BTreeMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let mut files = Vec::new();
    rust_files(&Path::new(ROOT).join("src"), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let own = *rank
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module {module} is not on docs/ARCHITECTURE.md's map"));
        let text = std::fs::read_to_string(file).unwrap();
        for target in references(&text) {
            if let Some(&other) = rank.get(target.as_str()) {
                if other > own {
                    violations.push(format!("{}: {module} -> {target}", file.display()));
                }
            }
        }
    }
    violations.sort();
    violations.dedup();
    assert!(
        violations.is_empty(),
        "upward references:\n{}",
        violations.join("\n")
    );
}

#[test]
fn every_module_of_the_library_is_on_the_map() {
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let order = layers();
    for line in lib.lines() {
        if let Some(name) = line
            .trim()
            .strip_prefix("pub mod ")
            .or_else(|| line.trim().strip_prefix("mod "))
        {
            let name = name.trim_end_matches(';');
            assert!(
                order.iter().any(|m| m == name),
                "{name} is missing from the map"
            );
        }
    }
}

#[test]
fn the_reference_scanner_sees_grouped_and_doc_references() {
    let text = "use crate::{stats, model::Input};\n/// See [`crate::engine::run`].";
    assert_eq!(references(text), ["stats", "model", "engine"]);
}
