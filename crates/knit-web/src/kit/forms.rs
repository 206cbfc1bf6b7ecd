//! What every form shares: mistakes shown beside their fields, ticked boxes, dates typed in
//! either of the ways people type them, and how dates and times read on a page.

use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};

/// A form with one field that repeats (boxes ticked in a list) read as `T` from its other
/// fields (a field sent twice keeps its last value), with the repeated field's values in the
/// order sent. Plain form decoding cannot put repeated fields in a struct.
pub fn with_repeated<T: serde::de::DeserializeOwned>(
    pairs: Vec<(String, String)>,
    repeated: &str,
) -> Result<(T, Vec<String>), crate::kit::PageError> {
    let mut values = Vec::new();
    let mut rest = serde_json::Map::new();
    for (name, value) in pairs {
        if name == repeated {
            values.push(value);
        } else {
            rest.insert(name, serde_json::Value::String(value));
        }
    }
    let form = serde_json::from_value(serde_json::Value::Object(rest))
        .map_err(|_| crate::kit::PageError::BadRequest("the form could not be read".to_owned()))?;
    Ok((form, values))
}

/// A mistake on a form, shown in the error summary and beside the field it concerns.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl ToString) -> FieldError {
        FieldError {
            field,
            message: message.to_string(),
        }
    }

    /// Whether the mistake is in this field, for templates to show it beside the field.
    pub fn on(&self, field: &str) -> bool {
        self.field == field
    }
}

/// A checkbox is sent only when ticked.
pub fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

/// A date typed as `YYYY-MM-DD` (what a date input sends) or `DD/MM/YYYY`.
pub fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| "Enter a date like 27/03/2027".to_owned())
}

pub fn when(time: DateTime<Utc>) -> String {
    time.format("%-d %b %Y, %H:%M").to_string()
}

pub fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

/// After a form is done, the page to see what it did (so a reload does not send it again).
pub fn see_other(path: impl AsRef<str>) -> Response {
    Redirect::to(path.as_ref()).into_response()
}

/// Random bytes for a session id, CSRF token, emailed link or secret, from the operating
/// system. Fails only if the system has no randomness to give, when nothing safe can be made.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(bytes)
}
