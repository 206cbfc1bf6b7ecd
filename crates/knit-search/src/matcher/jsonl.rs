//! The `knit match --jsonl` contract: one `{"id": "...", "text": "..."}` object a line in,
//! one `{"id": "...", "needs": [{"id", "score", "because"}, ...]}` line out, holding the
//! needs the matcher would show, best first.

use std::fmt;
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use super::{Matcher, NeedMatch};

#[derive(Debug)]
pub enum JsonlError {
    /// Reading the input failed.
    Read { line: usize, source: std::io::Error },
    /// A line is not a JSON object of the expected shape.
    BadLine { line: usize, message: String },
    /// Writing the output failed.
    Write(std::io::Error),
}

impl fmt::Display for JsonlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonlError::Read { line, source } => write!(f, "line {line}: could not read: {source}"),
            JsonlError::BadLine { line, message } => write!(f, "line {line}: {message}"),
            JsonlError::Write(source) => write!(f, "could not write the output: {source}"),
        }
    }
}

impl std::error::Error for JsonlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonlError::Read { source, .. } | JsonlError::Write(source) => Some(source),
            JsonlError::BadLine { .. } => None,
        }
    }
}

#[derive(Deserialize)]
struct Request {
    id: String,
    text: String,
}

#[derive(Serialize)]
struct Response<'a> {
    id: &'a str,
    needs: Vec<ShownNeed>,
}

#[derive(Serialize)]
struct ShownNeed {
    id: &'static str,
    score: f64,
    because: Vec<String>,
}

impl From<NeedMatch> for ShownNeed {
    fn from(m: NeedMatch) -> ShownNeed {
        ShownNeed {
            id: m.need.as_str(),
            score: (f64::from(m.score) * 100.0).round() / 100.0,
            because: m.because,
        }
    }
}

/// Reads JSONL requests from `input` and writes one response line each to `output`.
/// Blank lines are skipped. Returns how many texts were matched; stops at the first bad
/// line with an error naming it (counting from 1).
pub fn run_jsonl(
    input: impl BufRead,
    mut output: impl Write,
    matcher: &Matcher,
) -> Result<usize, JsonlError> {
    let mut matched = 0;
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|source| JsonlError::Read {
            line: number,
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let request: Request = serde_json::from_str(&line).map_err(|e| JsonlError::BadLine {
            line: number,
            message: format!("expected {{\"id\": \"...\", \"text\": \"...\"}}: {e}"),
        })?;
        let response = Response {
            id: &request.id,
            needs: matcher
                .match_text(&request.text)
                .into_iter()
                .map(ShownNeed::from)
                .collect(),
        };
        serde_json::to_writer(&mut output, &response)
            .map_err(|e| JsonlError::Write(std::io::Error::other(e)))?;
        output.write_all(b"\n").map_err(JsonlError::Write)?;
        matched += 1;
    }
    output.flush().map_err(JsonlError::Write)?;
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_in_gives_one_line_out_in_the_contract_shape() {
        let matcher = Matcher::new();
        let input = "{\"id\": \"a\", \"text\": \"the bailiffs are at the door\"}\n\n\
                     {\"id\": \"b\", \"text\": \"\"}\n";
        let mut out = Vec::new();
        let count = run_jsonl(input.as_bytes(), &mut out, &matcher).unwrap();
        assert_eq!(count, 2);
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "a");
        let first = &lines[0]["needs"][0];
        assert_eq!(first["id"], "debt");
        assert_eq!(first["because"], serde_json::json!(["bailiffs"]));
        let score = first["score"].as_f64().unwrap();
        assert!(score > 0.5 && score <= 1.0 && (score * 100.0).fract() == 0.0);
        assert_eq!(lines[1], serde_json::json!({"id": "b", "needs": []}));
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let matcher = Matcher::new();
        let input = "{\"id\": \"a\", \"text\": \"skint\"}\nnot json\n";
        let err = run_jsonl(input.as_bytes(), Vec::new(), &matcher).unwrap_err();
        assert!(matches!(err, JsonlError::BadLine { line: 2, .. }), "{err}");
        assert!(err.to_string().starts_with("line 2: "));
    }
}
