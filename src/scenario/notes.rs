//! The comments of a scenario file, kept for reports: the file's opening comment (what the
//! scenario is about) and, for each input of `[inputs]`, the comment lines right above it and
//! a comment at the end of its line (where its range comes from). TOML parsers drop comments,
//! so they are read from the text by lines; an input written over several lines, or in an
//! inline `inputs = { ... }` table, simply has no note.

/// What a scenario file's comments say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    /// The comment block that opens the file, one paragraph per blank comment line.
    pub about: String,
    /// `(input name, comment)` for each input of `[inputs]` that has one, in file order.
    pub inputs: Vec<(String, String)>,
}

/// Reads the comments of scenario `text`.
pub fn read(text: &str) -> Notes {
    let mut notes = Notes {
        about: opening_comment(text),
        inputs: Vec::new(),
    };
    let mut table = String::new();
    let mut pending: Vec<&str> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(comment) = trimmed.strip_prefix('#') {
            pending.push(comment.trim());
            continue;
        }
        if trimmed.starts_with('[') {
            table = trimmed
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
        } else if let (true, Some((key, value))) = (table == "inputs", trimmed.split_once('=')) {
            let key = key.trim().trim_matches('"');
            let mut lines: Vec<&str> = pending.iter().copied().filter(|l| !l.is_empty()).collect();
            lines.extend(trailing_comment(value));
            if !lines.is_empty() && !key.is_empty() {
                notes.inputs.push((key.to_string(), lines.join(" ")));
            }
        }
        pending.clear();
    }
    notes
}

/// The comment lines before the first line that is not a comment, blank comment lines
/// separating paragraphs.
fn opening_comment(text: &str) -> String {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for line in text.lines() {
        let Some(comment) = line.trim().strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        let current = paragraphs.last_mut().expect("one paragraph at least");
        if comment.is_empty() {
            if !current.is_empty() {
                paragraphs.push(String::new());
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(comment);
        }
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs.join("\n\n")
}

/// The comment after a value on its line: a `#` outside any quoted string.
fn trailing_comment(value: &str) -> Option<&str> {
    let mut quote: Option<char> = None;
    for (at, c) in value.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => {
                let comment = value[at + 1..].trim();
                return (!comment.is_empty()).then_some(comment);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::read;

    #[test]
    fn inputs_keep_the_comments_above_them_and_at_the_end_of_their_line() {
        let text = "# A scenario.\n# Second line.\n#\n# Another paragraph.\n\nname = \"x\"\n\
                    # not an input\n[inputs]\n# Where the range comes from:\n# a survey.\n\
                    queries_per_day = \"1e6 to 1e7\" # 90% interval\n\n\
                    mfu = 0.3\n\"pue\" = { dist = \"uniform\", min = 1.1, max = 1.3 } # \"PUE # 2\"\n\
                    [sampling]\n# not an input either\nsamples = 10\n";
        let notes = read(text);
        assert_eq!(
            notes.about,
            "A scenario. Second line.\n\nAnother paragraph."
        );
        assert_eq!(
            notes.inputs,
            vec![
                (
                    "queries_per_day".to_string(),
                    "Where the range comes from: a survey. 90% interval".to_string()
                ),
                ("pue".to_string(), "\"PUE # 2\"".to_string()),
            ]
        );
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let notes = read("[inputs]\nmfu = \"0.2 to 0.4\"\ngpu_hour_usd = 'a#b'\n");
        assert!(notes.inputs.is_empty(), "{:?}", notes.inputs);
    }
}
