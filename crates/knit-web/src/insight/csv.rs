//! CSV downloads: UTF-8 with a header row, `text/csv; charset=utf-8`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One field, quoted when it needs to be; a field a spreadsheet would run as a formula
/// starts with an apostrophe.
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The CSV text of a header row and rows.
pub fn text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |fields: Vec<String>| fields.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| field(h)).collect()));
    for row in rows {
        out.push_str(&line(row.iter().map(|f| field(f)).collect()));
    }
    out
}

/// A CSV download named `filename`.
pub fn download(filename: &str, header: &[&str], rows: &[Vec<String>]) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        text(header, rows),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        let csv = super::text(
            &["need", "count"],
            &[vec!["Food, hot".into(), "=1+1".into()]],
        );
        assert_eq!(csv, "need,count\r\n\"Food, hot\",'=1+1\r\n");
    }
}
