//! Did-you-mean hints for names: distribution kinds and parameters, inputs, GPU ids, presets.

/// `" (did you mean `x`?)"` when a known name is within edit distance 2.
pub(crate) fn suggest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> String {
    known
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, candidate)| format!(" (did you mean `{candidate}`?)"))
        .unwrap_or_default()
}

/// `" (did you mean `x` or `y`?)"` for ids people abbreviate or write in another case
/// (`H100` for `h100-sxm` and `h100-pcie`, `chatgpt_class` for `chatgpt-class`): ignoring case
/// and treating `_`, `-` and spaces alike, the names equal to `word`; else those that start
/// with it; else the closest within edit distance 2. Empty when nothing is close.
pub(crate) fn suggest_close<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> String {
    let word = normalize(word);
    let known: Vec<(String, &str)> = known.map(|name| (normalize(name), name)).collect();
    let equal: Vec<&str> = known
        .iter()
        .filter(|(name, _)| *name == word)
        .map(|(_, name)| *name)
        .collect();
    let prefixed: Vec<&str> = known
        .iter()
        .filter(|(name, _)| !word.is_empty() && name.starts_with(&word))
        .map(|(_, name)| *name)
        .collect();
    let matches = if !equal.is_empty() {
        equal
    } else if !prefixed.is_empty() {
        prefixed
    } else {
        known
            .iter()
            .map(|(name, original)| (edit_distance(&word, name), *original))
            .filter(|(distance, _)| *distance <= 2)
            .min()
            .map(|(_, name)| vec![name])
            .unwrap_or_default()
    };
    match matches.as_slice() {
        [] => String::new(),
        [.., last] if matches.len() > 1 => {
            let head: Vec<String> = matches[..matches.len() - 1]
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            format!(" (did you mean {} or `{last}`?)", head.join(", "))
        }
        [only, ..] => format!(" (did you mean `{only}`?)"),
    }
}

fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const GPUS: [&str; 4] = ["b200", "h100-pcie", "h100-sxm", "h200-sxm"];

    #[test]
    fn an_abbreviated_gpu_suggests_every_id_it_starts_regression() {
        assert_eq!(
            suggest_close("H100", GPUS.into_iter()),
            " (did you mean `h100-pcie` or `h100-sxm`?)"
        );
        assert_eq!(
            suggest_close("H100-SXM", GPUS.into_iter()),
            " (did you mean `h100-sxm`?)"
        );
        assert_eq!(
            suggest_close("h200-sx", GPUS.into_iter()),
            " (did you mean `h200-sxm`?)"
        );
        assert_eq!(
            suggest_close("b100", GPUS.into_iter()),
            " (did you mean `b200`?)"
        );
        assert_eq!(suggest_close("tpu-v5", GPUS.into_iter()), "");
        assert_eq!(suggest_close("", GPUS.into_iter()), "");
    }

    #[test]
    fn underscores_and_dashes_are_alike() {
        assert_eq!(
            suggest_close(
                "chatgpt_class",
                ["chatgpt-class", "chatgpt-2025"].into_iter()
            ),
            " (did you mean `chatgpt-class`?)"
        );
    }
}
