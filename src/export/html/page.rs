//! The page around a report: one HTML document with its style sheet inline and a content
//! security policy that lets it load nothing (no script, font, image or style from anywhere).

use super::parts::escape;

/// The style sheet, inline in every page.
const STYLE: &str = include_str!("style.css");

/// A whole page titled `title` with `body` (HTML) as its content.
pub(super) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"costbands {}\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}\
         <footer>Made by costbands {}: every number above is in the CSV and JSON files beside \
         this page; the charts are in <code>plots/</code>.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title),
        env!("CARGO_PKG_VERSION"),
    )
}
