//! Scenario names. A name becomes a folder name (`results/<name>`) and a column of every
//! result file, so it must be safe as one path component everywhere: 1 to 64 ASCII letters,
//! digits, `-`, `_` or `.`, not starting with `.` (so never `..`, an absolute path, a separator
//! or a hidden folder). A file without a `name` is named after its file stem, made safe the same
//! way (`my scenario.toml` runs as `my-scenario`).

use super::ScenarioError;

/// The longest name.
pub const MAX_NAME_LEN: usize = 64;

/// The rule, as error messages state it.
pub const NAME_RULE: &str =
    "a name is 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'";

/// Whether `name` follows the rule.
pub fn is_valid_name(name: &str) -> bool {
    (1..=MAX_NAME_LEN).contains(&name.len()) && !name.starts_with('.') && name.bytes().all(allowed)
}

fn allowed(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.')
}

/// `text` made into a valid name: every other character becomes `-` (runs of them one), a
/// leading `.` or `-` is dropped, the length is cut to 64; `scenario` if nothing is left.
pub fn safe_name(text: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        let c = if c.is_ascii() && allowed(c as u8) {
            c
        } else {
            '-'
        };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
        if name.len() > 2 * MAX_NAME_LEN {
            break;
        }
    }
    let name = name.trim_start_matches(['.', '-']);
    let mut name = name[..name.len().min(MAX_NAME_LEN)]
        .trim_end_matches('-')
        .to_string();
    if name.is_empty() {
        name = "scenario".to_string();
    }
    name
}

/// The scenario's name: the file's `name` when it follows the rule (an error naming the file,
/// the field, the rule and a valid name when not), else the file stem made safe.
pub(super) fn checked(
    given: Option<String>,
    stem: &str,
    origin: &str,
) -> Result<String, ScenarioError> {
    let Some(name) = given else {
        return Ok(safe_name(stem));
    };
    if is_valid_name(&name) {
        return Ok(name);
    }
    let shown = if name.chars().count() > 40 {
        let head: String = name.chars().take(40).collect();
        format!("{head:?}… ({} bytes)", name.len())
    } else {
        format!("{name:?}")
    };
    Err(ScenarioError::field(
        origin,
        "name",
        format!(
            "{shown} cannot name a results folder: {NAME_RULE}; e.g. name = \"{}\"",
            safe_name(&name)
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        for name in ["chatgpt-class", "a", "x_1.5", &"n".repeat(64)] {
            assert!(is_valid_name(name), "{name}");
        }
        for name in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "/abs",
            "a b",
            "a\0b",
            "é",
            &"n".repeat(65),
        ] {
            assert!(!is_valid_name(name), "{name:?}");
        }
    }

    #[test]
    fn safe_names_are_valid() {
        let cases = [
            ("../../evil", "evil"),
            ("/abs/path", "abs-path"),
            ("..", "scenario"),
            ("", "scenario"),
            ("my scenario", "my-scenario"),
            ("a\0b", "a-b"),
            ("naïve  model", "na-ve-model"),
        ];
        for (text, expected) in cases {
            assert_eq!(safe_name(text), expected, "{text:?}");
        }
        let long = safe_name(&"x".repeat(1 << 20));
        assert_eq!(long.len(), MAX_NAME_LEN);
        for text in ["-.-a", "a-----", &format!("{}-", "y".repeat(63))] {
            assert!(is_valid_name(&safe_name(text)), "{text:?}");
        }
    }

    #[test]
    fn an_invalid_name_is_an_error_with_a_fix() {
        let error = checked(Some("../../evil".into()), "bad", "bad.toml").unwrap_err();
        let message = error.to_string();
        assert!(
            message.starts_with("bad.toml: name: \"../../evil\" cannot name"),
            "{message}"
        );
        assert!(
            message.contains(NAME_RULE) && message.ends_with("name = \"evil\""),
            "{message}"
        );
        let huge = checked(Some("z".repeat(1 << 20)), "bad", "bad.toml").unwrap_err();
        assert!(huge.to_string().len() < 400, "{huge}");
        assert_eq!(checked(None, "my file", "my file.toml").unwrap(), "my-file");
    }
}
