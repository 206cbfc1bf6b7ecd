//! Cutting an HSDS file into the text of one service at a time, so a file of any size is
//! read in the memory of its largest record: a JSON array is split at its top-level
//! commas (only brackets and strings are followed here; each record's own JSON is
//! checked when it is read), a file of JSON lines at its line ends.

use std::fmt;
use std::io::{self, BufRead};

/// How services are laid out in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON array of services, `[ {...}, {...} ]`.
    Array,
    /// One service per line (`ndjson`, JSON lines); blank lines are skipped.
    Lines,
}

impl Format {
    /// The layout a file's first byte other than white space shows: `[` an array, `{`
    /// JSON lines.
    pub fn detect(first: u8) -> Option<Format> {
        match first {
            b'[' => Some(Format::Array),
            b'{' => Some(Format::Lines),
            _ => None,
        }
    }
}

/// Where a record is in its file: the way a person finds it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The 0-based index in the array, written `$[12]`.
    Index(u32),
    /// The 1-based line, written `line 13`.
    Line(u32),
}

impl Place {
    /// A JSON path below the record (`phones[0].id`, or empty for the record itself).
    pub fn path(&self, below: &str) -> String {
        let below = below.trim_start_matches('.');
        match (self, below.is_empty()) {
            (Place::Index(i), true) => format!("$[{i}]"),
            (Place::Index(i), false) => format!("$[{i}].{below}"),
            (Place::Line(n), true) => format!("line {n}"),
            (Place::Line(n), false) => format!("line {n}: $.{below}"),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path(""))
    }
}

/// The largest record accepted: far beyond any real service, and what keeps a broken
/// file (an unclosed string) from filling memory.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// Why the file could not be cut into records: nothing after this point can be trusted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FramingError {
    #[error("the file could not be read: {0}")]
    Read(String),
    #[error("line {line}: {what}")]
    NotJson { line: u32, what: String },
    #[error(
        "the file must hold a JSON array of services, [ {{...}}, ... ], or one service \
         per line (ndjson)"
    )]
    NotServices,
    #[error("{at} is longer than {} MiB; is a string left open?", MAX_RECORD_BYTES >> 20)]
    TooLarge { at: Place },
}

fn read_error(e: io::Error) -> FramingError {
    FramingError::Read(e.to_string())
}

/// A reader of bytes that counts lines, over any buffered reader.
struct Bytes<R> {
    reader: R,
    /// Lines begun so far, 1-based.
    line: u32,
}

impl<R: BufRead> Bytes<R> {
    fn peek(&mut self) -> Result<Option<u8>, FramingError> {
        loop {
            match self.reader.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            }
        }
    }

    fn bump(&mut self, byte: u8) {
        self.reader.consume(1);
        if byte == b'\n' {
            self.line += 1;
        }
    }

    fn next(&mut self) -> Result<Option<u8>, FramingError> {
        let byte = self.peek()?;
        if let Some(byte) = byte {
            self.bump(byte);
        }
        Ok(byte)
    }

    /// The next byte that is not white space, left unread.
    fn skip_space(&mut self) -> Result<Option<u8>, FramingError> {
        while let Some(byte) = self.peek()? {
            if !matches!(byte, b' ' | b'\t' | b'\r' | b'\n') {
                return Ok(Some(byte));
            }
            self.bump(byte);
        }
        Ok(None)
    }

    fn not_json(&self, what: impl Into<String>) -> FramingError {
        FramingError::NotJson {
            line: self.line,
            what: what.into(),
        }
    }
}

/// One record's text and where it was.
#[derive(Debug)]
pub struct RecordText {
    pub at: Place,
    /// The file line the record starts on.
    pub line: u32,
    pub text: Vec<u8>,
}

/// Cuts a file into records, in order.
pub struct Framer<R> {
    bytes: Bytes<R>,
    format: Format,
    /// Records read so far.
    count: u32,
    done: bool,
}

impl<R: BufRead> Framer<R> {
    /// Starts reading a file, in the format given or the one its first byte shows.
    pub fn new(reader: R, format: Option<Format>) -> Result<Framer<R>, FramingError> {
        let mut bytes = Bytes { reader, line: 1 };
        // A byte-order mark some editors write is not part of the JSON.
        if bytes.peek()? == Some(0xEF) {
            for expected in [0xEF, 0xBB, 0xBF] {
                if bytes.next()? != Some(expected) {
                    return Err(FramingError::NotServices);
                }
            }
        }
        let first = bytes.skip_space()?;
        let format = match (format, first) {
            (_, None) => {
                return Err(bytes.not_json("the file is empty"));
            }
            (Some(format), Some(_)) => format,
            (None, Some(byte)) => Format::detect(byte).ok_or(FramingError::NotServices)?,
        };
        if format == Format::Array {
            if first != Some(b'[') {
                return Err(FramingError::NotServices);
            }
            bytes.bump(b'[');
        }
        Ok(Framer {
            bytes,
            format,
            count: 0,
            done: false,
        })
    }

    /// The next record, or None at the end of the file.
    pub fn next_record(&mut self) -> Result<Option<RecordText>, FramingError> {
        if self.done {
            return Ok(None);
        }
        let record = match self.format {
            Format::Array => self.next_element()?,
            Format::Lines => self.next_line()?,
        };
        if record.is_none() {
            self.done = true;
        }
        Ok(record)
    }

    fn next_line(&mut self) -> Result<Option<RecordText>, FramingError> {
        loop {
            let line = self.bytes.line;
            let at = Place::Line(line);
            let mut text = Vec::new();
            let read = io::Read::take(&mut self.bytes.reader, MAX_RECORD_BYTES as u64 + 1)
                .read_until(b'\n', &mut text)
                .map_err(read_error)?;
            if read == 0 {
                return Ok(None);
            }
            if text.len() > MAX_RECORD_BYTES {
                return Err(FramingError::TooLarge { at });
            }
            self.bytes.line += 1;
            while text.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                text.pop();
            }
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.count += 1;
            return Ok(Some(RecordText { at, line, text }));
        }
    }

    fn next_element(&mut self) -> Result<Option<RecordText>, FramingError> {
        let bytes = &mut self.bytes;
        let first = bytes.skip_space()?;
        if self.count > 0 {
            match first {
                Some(b',') => {
                    bytes.bump(b',');
                }
                Some(b']') => return self.finish(),
                Some(_) => return Err(bytes.not_json("expected , or ] after a service")),
                None => return Err(bytes.not_json("the file ends inside the array")),
            }
        } else if first == Some(b']') {
            return self.finish();
        }
        let bytes = &mut self.bytes;
        let at = Place::Index(self.count);
        match bytes.skip_space()? {
            None => return Err(bytes.not_json("the file ends inside the array")),
            Some(b']') => return Err(bytes.not_json("a comma before ] leaves a service out")),
            Some(_) => {}
        }
        let line = bytes.line;
        let mut text = Vec::with_capacity(4096);
        // Brackets open, and whether the last byte began an escape inside a string.
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        while let Some(byte) = bytes.peek()? {
            if in_string {
                if escaped {
                    escaped = false;
                } else if byte == b'\\' {
                    escaped = true;
                } else if byte == b'"' {
                    in_string = false;
                }
            } else {
                match byte {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth == 0 => break,
                    b'}' | b']' => depth -= 1,
                    b',' if depth == 0 => break,
                    _ => {}
                }
            }
            bytes.bump(byte);
            text.push(byte);
            if text.len() > MAX_RECORD_BYTES {
                return Err(FramingError::TooLarge { at });
            }
            if depth == 0 && !in_string && matches!(byte, b'}' | b']') {
                break;
            }
        }
        if depth > 0 || in_string {
            return Err(bytes.not_json(format!("the file ends inside {at}")));
        }
        self.count += 1;
        Ok(Some(RecordText { at, line, text }))
    }

    /// After the closing bracket only white space may follow.
    fn finish(&mut self) -> Result<Option<RecordText>, FramingError> {
        self.bytes.bump(b']');
        if self.bytes.skip_space()?.is_some() {
            return Err(self
                .bytes
                .not_json("more follows the closing ] of the array"));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &str) -> Result<Vec<(Place, u32, String)>, FramingError> {
        let mut framer = Framer::new(text.as_bytes(), None)?;
        let mut out = Vec::new();
        while let Some(r) = framer.next_record()? {
            out.push((r.at, r.line, String::from_utf8(r.text).unwrap()));
        }
        Ok(out)
    }

    #[test]
    fn an_array_is_cut_at_its_top_level_commas_only() {
        let got =
            records("\u{feff} [\n{\"a\": [1, {\"b\": \"x,]}\\\"\"}]},\n {\"c\": 2}\n]\n").unwrap();
        assert_eq!(
            got,
            [
                (
                    Place::Index(0),
                    2,
                    "{\"a\": [1, {\"b\": \"x,]}\\\"\"}]}".into()
                ),
                (Place::Index(1), 3, "{\"c\": 2}".into()),
            ]
        );
        assert_eq!(records("[]").unwrap(), []);
        assert_eq!(records("[1, \"x\"]").unwrap().len(), 2);
    }

    #[test]
    fn lines_are_records_and_blank_lines_are_skipped() {
        let got = records("{\"a\": 1}\n\n  \n{\"b\": 2}").unwrap();
        assert_eq!(
            got,
            [
                (Place::Line(1), 1, "{\"a\": 1}".into()),
                (Place::Line(4), 4, "{\"b\": 2}".into()),
            ]
        );
    }

    #[test]
    fn broken_framing_is_named_by_line() {
        for (text, line, says) in [
            ("[{\"a\": 1}\n{\"b\": 2}]", 2, "expected , or ]"),
            ("[{\"a\": 1},]", 1, "comma before ]"),
            ("[{\"a\": 1}]\n]", 2, "more follows"),
            ("[{\"a\": \"1}]", 1, "ends inside $[0]"),
            ("[\n{\"a\": 1},\n", 3, "ends inside the array"),
            ("  \n", 2, "empty"),
        ] {
            match records(text) {
                Err(FramingError::NotJson { line: l, what }) => {
                    assert_eq!(l, line, "{text:?}: {what}");
                    assert!(what.contains(says), "{text:?}: {what}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        assert_eq!(records("\"services\""), Err(FramingError::NotServices));
    }

    #[test]
    fn paths_read_as_people_look_for_them() {
        assert_eq!(Place::Index(12).path("phones[0].id"), "$[12].phones[0].id");
        assert_eq!(Place::Index(3).path("."), "$[3]");
        assert_eq!(
            Place::Line(13).path("phones[0].id"),
            "line 13: $.phones[0].id"
        );
        assert_eq!(Place::Line(13).to_string(), "line 13");
    }
}
