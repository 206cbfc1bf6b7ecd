//! Writing iCalendar (RFC 5545): the feeds of training sessions that people add to their
//! own calendars. Only what Knit needs: a calendar of events with UTC times. Text is
//! escaped and long lines folded as the RFC says, so any calendar program reads it back.

use chrono::{DateTime, Utc};

/// One event in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Globally unique and stable, so a calendar updates the event rather than adding it again.
    pub uid: String,
    /// When this version of the event was written.
    pub stamp: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
}

/// The longest line, in octets, before folding (CRLF not counted).
const LINE_OCTETS: usize = 75;

/// Escapes TEXT values: backslash, semicolon, comma and newline.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            // Other control characters are not allowed in TEXT.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line at 75 octets, never inside a UTF-8 character, with CRLF and a
/// space starting each continuation; ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / LINE_OCTETS * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LINE_OCTETS {
            out.push_str("\r\n ");
            // The space counts towards the continuation line's length.
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A whole calendar: `name` is shown by calendar programs as the feed's title.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    let mut line = |text: String| out.push_str(&fold(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Knit//Training sessions//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{}", utc(event.stamp)));
        line(format!("DTSTART:{}", utc(event.starts_at)));
        line(format!("DTEND:{}", utc(event.ends_at)));
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if let Some(description) = &event.description {
            line(format!("DESCRIPTION:{}", escape_text(description)));
        }
        if let Some(location) = &event.location {
            line(format!("LOCATION:{}", escape_text(location)));
        }
        if let Some(url) = &event.url {
            // A URI value is not escaped, but must not break the line.
            line(format!("URL:{}", url.replace(['\r', '\n'], "")));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// One event in UK wall-clock time, possibly repeating: activities that meet "at ten"
/// whatever the season, written with `TZID=Europe/London` and the zone's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalEvent {
    pub uid: String,
    pub stamp: DateTime<Utc>,
    pub starts: chrono::NaiveDateTime,
    pub ends: chrono::NaiveDateTime,
    /// An RFC 5545 `RRULE` value, such as `FREQ=MONTHLY;BYDAY=2MO`.
    pub rrule: Option<String>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub url: Option<String>,
}

/// The UK's time zone as RFC 5545 describes it: GMT, and BST from the last Sunday of March
/// to the last Sunday of October.
const EUROPE_LONDON: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

fn local(time: chrono::NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

/// A whole calendar of UK-time events, each carrying its repeat rule.
pub fn local_calendar(name: &str, events: &[LocalEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: String| out.push_str(&fold(&text));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Knit//Activities//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for zone_line in EUROPE_LONDON {
        line((*zone_line).to_owned());
    }
    for event in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{}", utc(event.stamp)));
        line(format!(
            "DTSTART;TZID=Europe/London:{}",
            local(event.starts)
        ));
        line(format!("DTEND;TZID=Europe/London:{}", local(event.ends)));
        if let Some(rule) = &event.rrule {
            line(format!("RRULE:{}", rule.replace(['\r', '\n'], "")));
        }
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        if let Some(description) = &event.description {
            line(format!("DESCRIPTION:{}", escape_text(description)));
        }
        if let Some(location) = &event.location {
            line(format!("LOCATION:{}", escape_text(location)));
        }
        if let Some(url) = &event.url {
            line(format!("URL:{}", url.replace(['\r', '\n'], "")));
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("Hall; room 2, upstairs\\back\nbring a pen"),
            "Hall\\; room 2\\, upstairs\\\\back\\nbring a pen"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let line = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn a_calendar_has_its_events_in_utc() {
        let t = |h| Utc.with_ymd_and_hms(2026, 7, 1, h, 0, 0).unwrap();
        let text = calendar(
            "Training",
            &[Event {
                uid: "abc@knit".into(),
                stamp: t(9),
                starts_at: t(17),
                ends_at: t(19),
                summary: "Local Connector training".into(),
                description: None,
                location: Some("Library, Market Street".into()),
                url: None,
            }],
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20260701T170000Z\r\n"));
        assert!(text.contains("LOCATION:Library\\, Market Street\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
