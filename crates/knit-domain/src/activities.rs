//! Activities and hubs: what happens where, once or on a rule such as "the second Monday of
//! the month" (RFC 5545 `RRULE`, as HSDS schedules carry them), expanded here into the
//! dates a page shows; and reading the activities out of a partner's iCalendar feed.
//!
//! Times are UK wall-clock times (`NaiveDateTime` in Europe/London): a group that meets at
//! ten meets at ten in summer and in winter.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::OrganizationId;
use crate::opening::{parse_byday, uk_local};
use crate::validation::{MAX_FREE_TEXT, one_line};
use crate::volunteering::{FormError, MAX_LINE};

/// The most events one imported feed may bring.
pub const MAX_FEED_EVENTS: usize = 500;
/// The longest an activity may last, in minutes: a day.
pub const MAX_MINUTES: u32 = 24 * 60;

/// How an activity repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Repeat {
    Once,
    /// Every week on these days.
    Weekly(Vec<Weekday>),
    /// Once a month: the `ordinal`th `weekday` (1 to 4), or counting from the end (-1 is
    /// the last).
    Monthly {
        ordinal: i8,
        weekday: Weekday,
    },
}

fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn ordinal_name(n: i8) -> &'static str {
    match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        -1 => "last",
        -2 => "second to last",
        _ => "",
    }
}

/// Which of its weekdays in the month `date` is: (n from the start, n from the end).
pub fn place_in_month(date: NaiveDate) -> (i8, i8) {
    let first = date.with_day(1).unwrap_or(date);
    let next = first + Months::new(1);
    let days_in_month = (next - first).num_days() as u32;
    let from_start = ((date.day() - 1) / 7 + 1) as i8;
    let from_end = ((days_in_month - date.day()) / 7 + 1) as i8;
    (from_start, -from_end)
}

impl Repeat {
    /// The `RRULE` value, without `UNTIL`; `None` for a one-off.
    pub fn rrule(&self) -> Option<String> {
        match self {
            Repeat::Once => None,
            Repeat::Weekly(days) => Some(format!(
                "FREQ=WEEKLY;BYDAY={}",
                days.iter()
                    .map(|d| day_code(*d))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
            Repeat::Monthly { ordinal, weekday } => Some(format!(
                "FREQ=MONTHLY;BYDAY={ordinal}{}",
                day_code(*weekday)
            )),
        }
    }

    /// Reads the rules Knit keeps: weekly on some days, or monthly on the nth (or nth from
    /// last) weekday. `first` is the first date, whose weekday a weekly rule without days
    /// repeats on. Returns the rule and its `UNTIL` date, if any.
    pub fn parse_rrule(
        text: &str,
        first: NaiveDate,
    ) -> Result<(Repeat, Option<NaiveDate>), String> {
        let mut freq = None;
        let mut byday = None;
        let mut until = None;
        for part in text.trim().split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("the rule part {part:?} has no value"))?;
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(value.trim().to_ascii_uppercase()),
                "BYDAY" => byday = Some(value.trim().to_ascii_uppercase()),
                "INTERVAL" if value.trim() == "1" => {}
                "WKST" => {}
                "UNTIL" => {
                    let v = value.trim();
                    let date = v.get(..8).unwrap_or(v);
                    until = Some(
                        NaiveDate::parse_from_str(date, "%Y%m%d")
                            .map_err(|_| format!("UNTIL={v} is not a date"))?,
                    );
                }
                other => return Err(format!("{other} in a repeat rule is not supported")),
            }
        }
        let repeat = match freq.as_deref() {
            Some("WEEKLY") => {
                let days: Vec<Weekday> = match &byday {
                    None => vec![first.weekday()],
                    Some(list) => {
                        let parsed = parse_byday(list);
                        if parsed.is_empty() || parsed.iter().any(|d| d.ordinal.is_some()) {
                            return Err(format!("BYDAY={list} is not a list of weekdays"));
                        }
                        parsed.iter().map(|d| d.weekday).collect()
                    }
                };
                Repeat::Weekly(days)
            }
            Some("MONTHLY") => {
                let list = byday.ok_or("a monthly rule needs BYDAY, such as 2MO")?;
                let parsed = parse_byday(&list);
                match parsed.as_slice() {
                    [one] => match one.ordinal {
                        Some(n) if (1..=5).contains(&n) || (-5..=-1).contains(&n) => {
                            Repeat::Monthly {
                                ordinal: n,
                                weekday: one.weekday,
                            }
                        }
                        _ => return Err(format!("BYDAY={list} needs a position, such as 2MO")),
                    },
                    _ => return Err(format!("BYDAY={list} must name one day, such as -1FR")),
                }
            }
            Some(other) => return Err(format!("FREQ={other} is not supported")),
            None => return Err("the repeat rule has no FREQ".to_owned()),
        };
        Ok((repeat, until))
    }

    /// In words: "every Tuesday", "the second Monday of each month".
    pub fn describe(&self) -> String {
        match self {
            Repeat::Once => "once".to_owned(),
            Repeat::Weekly(days) => format!(
                "every {}",
                days.iter()
                    .map(|d| day_name(*d))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            Repeat::Monthly { ordinal, weekday } => format!(
                "the {} {} of each month",
                ordinal_name(*ordinal),
                day_name(*weekday)
            ),
        }
    }

    fn occurs_on(&self, first: NaiveDate, date: NaiveDate) -> bool {
        if date < first {
            return false;
        }
        match self {
            Repeat::Once => date == first,
            Repeat::Weekly(days) => days.contains(&date.weekday()),
            Repeat::Monthly { ordinal, weekday } => {
                let (from_start, from_end) = place_in_month(date);
                date.weekday() == *weekday && (*ordinal == from_start || *ordinal == from_end)
            }
        }
    }
}

/// An activity worth listing: checked, with its words tidied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPlan {
    pub title: String,
    pub description: String,
    pub place: String,
    pub organization: Option<OrganizationId>,
    pub hub: Option<Uuid>,
    /// The first time it happens, UK wall-clock time.
    pub first: NaiveDateTime,
    pub minutes: u32,
    pub repeat: Repeat,
    pub until: Option<NaiveDate>,
}

impl ActivityPlan {
    /// The start of every occurrence on days `from` to `to`, inclusive.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDateTime> {
        let first = self.first.date();
        let last = self.until.map_or(to, |u| u.min(to));
        let mut out = Vec::new();
        let mut day = from.max(first);
        while day <= last {
            if self.repeat.occurs_on(first, day) {
                out.push(day.and_time(self.first.time()));
            }
            day = match day.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        out
    }

    /// The next start at or after `now` (UK time), within a year and a bit.
    pub fn next_after(&self, now: NaiveDateTime) -> Option<NaiveDateTime> {
        let today = now.date();
        self.occurrences(today, today + Days::new(400))
            .into_iter()
            .find(|t| *t >= now)
    }

    pub fn ends(&self, start: NaiveDateTime) -> NaiveDateTime {
        start + TimeDelta::minutes(i64::from(self.minutes))
    }

    /// "Every Tuesday, 10:00 to 12:00".
    pub fn when(&self) -> String {
        let times = format!(
            "{} to {}",
            self.first.format("%H:%M"),
            self.ends(self.first).format("%H:%M")
        );
        match self.repeat {
            Repeat::Once => format!("{}, {times}", self.first.format("%A %-d %B %Y")),
            _ => {
                let mut text = self.repeat.describe();
                if let Some(first) = text.get(..1) {
                    text = first.to_uppercase() + &text[1..];
                }
                format!("{text}, {times}")
            }
        }
    }

    /// The `RRULE` with its `UNTIL`, for calendars.
    pub fn rrule(&self) -> Option<String> {
        let rule = self.repeat.rrule()?;
        Some(match self.until {
            // UNTIL in UTC at the end of the day, as RFC 5545 asks with a TZID start.
            Some(until) => format!("{rule};UNTIL={}T235959Z", until.format("%Y%m%d")),
            None => rule,
        })
    }
}

/// An activity as typed by a place lead.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub hub: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    /// `once`, `weekly`, `monthly` (the same weekday of the month as the first date) or
    /// `monthly_last` (the last such weekday).
    #[serde(default)]
    pub repeat: String,
    #[serde(default)]
    pub until: String,
}

fn time_field(field: &'static str, text: &str) -> Result<NaiveTime, FormError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| FormError::new(field, "Enter a time like 10:00"))
}

fn date_field(field: &'static str, text: &str) -> Result<NaiveDate, FormError> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| FormError::new(field, "Enter a date like 27/03/2027"))
}

impl ActivityForm {
    pub fn plan(&self) -> Result<ActivityPlan, FormError> {
        let title = one_line(&self.title);
        if title.is_empty() {
            return Err(FormError::new("title", "Enter what the activity is"));
        }
        if title.chars().count() > MAX_LINE {
            return Err(FormError::new("title", "Keep the title shorter"));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > MAX_FREE_TEXT {
            return Err(FormError::new(
                "description",
                "Keep the description shorter",
            ));
        }
        let place = one_line(&self.place);
        if place.chars().count() > MAX_LINE {
            return Err(FormError::new("place", "Keep the place shorter"));
        }
        let organization = match self.organization.trim() {
            "" => None,
            id => Some(OrganizationId(Uuid::parse_str(id).map_err(|_| {
                FormError::new("organization", "Choose an organisation from the list")
            })?)),
        };
        let hub = match self.hub.trim() {
            "" => None,
            id => Some(
                Uuid::parse_str(id)
                    .map_err(|_| FormError::new("hub", "Choose a hub from the list"))?,
            ),
        };
        let date = date_field("date", &self.date)?;
        let starts = time_field("starts", &self.starts)?;
        let ends = time_field("ends", &self.ends)?;
        if ends <= starts {
            return Err(FormError::new("ends", "The end must be after the start"));
        }
        let minutes = (ends - starts).num_minutes() as u32;
        let (from_start, from_end) = place_in_month(date);
        let repeat = match self.repeat.trim() {
            "" | "once" => Repeat::Once,
            "weekly" => Repeat::Weekly(vec![date.weekday()]),
            "monthly" if from_start <= 4 => Repeat::Monthly {
                ordinal: from_start,
                weekday: date.weekday(),
            },
            "monthly" => {
                return Err(FormError::new(
                    "repeat",
                    "That date is the fifth of its weekday; choose \"the last\" instead",
                ));
            }
            "monthly_last" if from_end == -1 => Repeat::Monthly {
                ordinal: -1,
                weekday: date.weekday(),
            },
            "monthly_last" => {
                return Err(FormError::new(
                    "date",
                    "For \"the last of the month\", start on the last such day of a month",
                ));
            }
            _ => return Err(FormError::new("repeat", "Choose how often it happens")),
        };
        let until = match self.until.trim() {
            "" => None,
            text => {
                let until = date_field("until", text)?;
                if until < date {
                    return Err(FormError::new(
                        "until",
                        "The last date must be after the first",
                    ));
                }
                Some(until)
            }
        };
        Ok(ActivityPlan {
            title,
            description,
            place,
            organization,
            hub,
            first: date.and_time(starts),
            minutes,
            repeat,
            until,
        })
    }
}

/// A hub: a community place with things happening in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubPlan {
    pub name: String,
    pub address: String,
    pub description: String,
}

impl HubPlan {
    pub fn parse(name: &str, address: &str, description: &str) -> Result<HubPlan, FormError> {
        let name = one_line(name);
        if name.is_empty() {
            return Err(FormError::new("name", "Enter the hub's name"));
        }
        if name.chars().count() > MAX_LINE {
            return Err(FormError::new("name", "Keep the name shorter"));
        }
        let address = one_line(address);
        if address.chars().count() > MAX_LINE {
            return Err(FormError::new("address", "Keep the address shorter"));
        }
        let description = description.trim().to_owned();
        if description.chars().count() > MAX_FREE_TEXT {
            return Err(FormError::new(
                "description",
                "Keep the description shorter",
            ));
        }
        Ok(HubPlan {
            name,
            address,
            description,
        })
    }
}

/// The Monday of the week `date` falls in, and the Sunday after: "this week".
pub fn week_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = date - Days::new(u64::from(date.weekday().num_days_from_monday()));
    (monday, monday + Days::new(6))
}

/// Why a feed was refused. Nothing of a refused feed is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("this is not an iCalendar feed: {0}")]
    Malformed(String),
    #[error("the feed has more than {MAX_FEED_EVENTS} events; ask for a shorter one")]
    TooManyEvents,
    #[error("the event {summary:?} has a repeat rule Knit cannot read: {why}")]
    Unsupported { summary: String, why: String },
}

/// One event read from a feed, ready to store as an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// The feed's own id for it, so importing again updates rather than duplicates.
    pub uid: String,
    pub plan: ActivityPlan,
}

/// Unescapes an iCalendar TEXT value.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A start or end time as a feed writes it: UTC (`…Z`), local with a `TZID` (read as UK
/// time), floating, or a whole day (`VALUE=DATE`).
fn feed_time(params: &str, value: &str) -> Option<(NaiveDateTime, bool)> {
    let value = value.trim();
    if params.to_ascii_uppercase().contains("VALUE=DATE") && !value.contains('T') {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d").ok()?;
        return Some((date.and_hms_opt(0, 0, 0)?, true));
    }
    if let Some(utc) = value.strip_suffix('Z') {
        let t = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some((uk_local(t.and_utc()), false));
    }
    let t = NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()?;
    Some((t, false))
}

/// Minutes in an RFC 5545 duration such as `PT1H30M` or `P1D`.
fn duration_minutes(text: &str) -> Option<u32> {
    let text = text.trim().strip_prefix('P')?;
    let (days, time) = match text.split_once('T') {
        Some((d, t)) => (d, t),
        None => (text, ""),
    };
    let mut minutes = 0u32;
    let mut number = String::new();
    for c in days.chars().chain(std::iter::once('|')).chain(time.chars()) {
        match c {
            '0'..='9' => number.push(c),
            'W' => minutes += number.parse::<u32>().ok()? * 7 * 24 * 60,
            'D' => minutes += number.parse::<u32>().ok()? * 24 * 60,
            'H' => minutes += number.parse::<u32>().ok()? * 60,
            'M' => minutes += number.parse::<u32>().ok()?,
            'S' | '|' => {}
            _ => return None,
        }
        if c.is_ascii_alphabetic() || c == '|' {
            number.clear();
        }
    }
    Some(minutes)
}

/// Reads every event of an iCalendar feed as activities (of `organization`, at `hub`), or
/// refuses the whole feed. Lines are unfolded and TEXT unescaped as RFC 5545 says.
pub fn read_feed(
    text: &str,
    organization: Option<OrganizationId>,
    hub: Option<Uuid>,
) -> Result<Vec<FeedEvent>, FeedError> {
    let malformed = |why: &str| FeedError::Malformed(why.to_owned());
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t']) {
            match lines.last_mut() {
                Some(last) => last.push_str(rest),
                None => return Err(malformed("it starts with a continuation line")),
            }
        } else if !raw.is_empty() {
            lines.push(raw.to_owned());
        }
    }
    if lines
        .first()
        .map(|l| l.trim().to_ascii_uppercase())
        .as_deref()
        != Some("BEGIN:VCALENDAR")
    {
        return Err(malformed("it does not start with BEGIN:VCALENDAR"));
    }
    if lines
        .last()
        .map(|l| l.trim().to_ascii_uppercase())
        .as_deref()
        != Some("END:VCALENDAR")
    {
        return Err(malformed("it does not end with END:VCALENDAR"));
    }
    let mut events = Vec::new();
    let mut current: Option<Vec<(String, String, String)>> = None;
    let mut depth = 0usize;
    for line in &lines[1..lines.len() - 1] {
        let (head, value) = line
            .split_once(':')
            .ok_or_else(|| malformed(&format!("the line {:?} has no colon", truncate(line))))?;
        let (name, params) = match head.split_once(';') {
            Some((n, p)) => (n, p),
            None => (head, ""),
        };
        let name = name.trim().to_ascii_uppercase();
        match (name.as_str(), value.trim().to_ascii_uppercase().as_str()) {
            ("BEGIN", "VEVENT") if current.is_none() && depth == 0 => current = Some(Vec::new()),
            ("END", "VEVENT") if depth == 0 => {
                let props = current
                    .take()
                    .ok_or_else(|| malformed("END:VEVENT without BEGIN:VEVENT"))?;
                events.push(props);
                if events.len() > MAX_FEED_EVENTS {
                    return Err(FeedError::TooManyEvents);
                }
            }
            ("BEGIN", _) => depth += 1,
            ("END", _) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| malformed("an END without its BEGIN"))?
            }
            _ => {
                if let Some(props) = current.as_mut()
                    && depth == 0
                {
                    props.push((name, params.to_owned(), value.to_owned()));
                }
            }
        }
    }
    if current.is_some() || depth != 0 {
        return Err(malformed("a component is not closed"));
    }
    let mut out = Vec::with_capacity(events.len());
    for props in events {
        let get = |key: &str| props.iter().find(|(n, _, _)| n == key);
        let summary = one_line(&unescape(
            get("SUMMARY").map(|(_, _, v)| v.as_str()).unwrap_or(""),
        ));
        if summary.is_empty() {
            return Err(malformed("an event has no SUMMARY"));
        }
        let (_, params, value) = get("DTSTART")
            .ok_or_else(|| malformed(&format!("the event {summary:?} has no DTSTART")))?;
        let (first, all_day) = feed_time(params, value).ok_or_else(|| {
            malformed(&format!("the event {summary:?} has an unreadable DTSTART"))
        })?;
        let minutes = if let Some((_, params, value)) = get("DTEND") {
            let (end, _) = feed_time(params, value).ok_or_else(|| {
                malformed(&format!("the event {summary:?} has an unreadable DTEND"))
            })?;
            (end - first).num_minutes()
        } else if let Some((_, _, value)) = get("DURATION") {
            i64::from(duration_minutes(value).ok_or_else(|| {
                malformed(&format!("the event {summary:?} has an unreadable DURATION"))
            })?)
        } else if all_day {
            i64::from(MAX_MINUTES)
        } else {
            60
        };
        if minutes <= 0 || minutes > i64::from(MAX_MINUTES) {
            return Err(malformed(&format!(
                "the event {summary:?} ends before it starts or lasts over a day"
            )));
        }
        let (repeat, until) = match get("RRULE") {
            None => (Repeat::Once, None),
            Some((_, _, rule)) => {
                Repeat::parse_rrule(rule, first.date()).map_err(|why| FeedError::Unsupported {
                    summary: summary.clone(),
                    why,
                })?
            }
        };
        let text = |key: &str| get(key).map(|(_, _, v)| unescape(v)).unwrap_or_default();
        let mut description = text("DESCRIPTION");
        if description.chars().count() > MAX_FREE_TEXT {
            description = description.chars().take(MAX_FREE_TEXT).collect();
        }
        let place: String = one_line(&text("LOCATION")).chars().take(MAX_LINE).collect();
        let uid = match get("UID") {
            Some((_, _, uid)) if !uid.trim().is_empty() => {
                uid.trim().chars().take(MAX_LINE).collect()
            }
            _ => format!("{}-{}", first.format("%Y%m%dT%H%M%S"), summary),
        };
        out.push(FeedEvent {
            uid,
            plan: ActivityPlan {
                title: summary.chars().take(MAX_LINE).collect(),
                description,
                place,
                organization,
                hub,
                first,
                minutes: minutes as u32,
                repeat,
                until,
            },
        });
    }
    Ok(out)
}

fn truncate(line: &str) -> String {
    line.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn plan(first: NaiveDate, repeat: Repeat) -> ActivityPlan {
        ActivityPlan {
            title: "Knit and natter".into(),
            description: String::new(),
            place: String::new(),
            organization: None,
            hub: None,
            first: first.and_hms_opt(10, 0, 0).unwrap(),
            minutes: 90,
            repeat,
            until: None,
        }
    }

    #[test]
    fn the_second_monday_and_the_last_friday() {
        let second_monday = plan(
            d(2027, 1, 11),
            Repeat::Monthly {
                ordinal: 2,
                weekday: Weekday::Mon,
            },
        );
        let dates: Vec<_> = second_monday
            .occurrences(d(2027, 1, 1), d(2027, 4, 30))
            .iter()
            .map(|t| t.date())
            .collect();
        assert_eq!(
            dates,
            [d(2027, 1, 11), d(2027, 2, 8), d(2027, 3, 8), d(2027, 4, 12)]
        );
        assert_eq!(second_monday.rrule().unwrap(), "FREQ=MONTHLY;BYDAY=2MO");
        let last_friday = plan(
            d(2027, 1, 29),
            Repeat::Monthly {
                ordinal: -1,
                weekday: Weekday::Fri,
            },
        );
        let dates: Vec<_> = last_friday
            .occurrences(d(2027, 1, 1), d(2027, 4, 30))
            .iter()
            .map(|t| t.date())
            .collect();
        assert_eq!(
            dates,
            [
                d(2027, 1, 29),
                d(2027, 2, 26),
                d(2027, 3, 26),
                d(2027, 4, 30)
            ]
        );
        assert_eq!(last_friday.rrule().unwrap(), "FREQ=MONTHLY;BYDAY=-1FR");
        assert_eq!(
            last_friday.repeat.describe(),
            "the last Friday of each month"
        );
    }

    #[test]
    fn weekly_rules_and_until_bound_the_dates() {
        let mut tuesdays = plan(d(2027, 1, 5), Repeat::Weekly(vec![Weekday::Tue]));
        tuesdays.until = Some(d(2027, 1, 19));
        let dates = tuesdays.occurrences(d(2027, 1, 1), d(2027, 2, 28));
        assert_eq!(dates.len(), 3);
        assert_eq!(
            tuesdays.rrule().unwrap(),
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270119T235959Z"
        );
        let (back, until) =
            Repeat::parse_rrule("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270119T235959Z", d(2027, 1, 5))
                .unwrap();
        assert_eq!(back, tuesdays.repeat);
        assert_eq!(until, Some(d(2027, 1, 19)));
        assert!(Repeat::parse_rrule("FREQ=DAILY", d(2027, 1, 5)).is_err());
        assert!(Repeat::parse_rrule("FREQ=MONTHLY;BYDAY=MO", d(2027, 1, 5)).is_err());
        assert!(Repeat::parse_rrule("FREQ=WEEKLY;COUNT=3", d(2027, 1, 5)).is_err());
    }

    #[test]
    fn a_form_takes_the_position_of_its_first_date() {
        let form = ActivityForm {
            title: "Carers' coffee".into(),
            date: "2027-01-11".into(),
            starts: "10:00".into(),
            ends: "11:30".into(),
            repeat: "monthly".into(),
            ..ActivityForm::default()
        };
        let plan = form.plan().unwrap();
        assert_eq!(
            plan.repeat,
            Repeat::Monthly {
                ordinal: 2,
                weekday: Weekday::Mon
            }
        );
        assert_eq!(plan.minutes, 90);
        assert_eq!(
            plan.when(),
            "The second Monday of each month, 10:00 to 11:30"
        );
        let last = ActivityForm {
            date: "2027-01-29".into(),
            repeat: "monthly_last".into(),
            ..form.clone()
        };
        assert_eq!(
            last.plan().unwrap().rrule().unwrap(),
            "FREQ=MONTHLY;BYDAY=-1FR"
        );
        let wrong = ActivityForm {
            ends: "09:00".into(),
            ..form
        };
        assert_eq!(wrong.plan().unwrap_err().field, "ends");
    }

    #[test]
    fn a_feed_is_read_or_refused_whole() {
        let feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n\
            BEGIN:STANDARD\r\nDTSTART:19701025T020000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
            BEGIN:VEVENT\r\nUID:walk-1@partner\r\nSUMMARY:Health walk\\, gentle\r\n\
            DTSTART;TZID=Europe/London:20270111T100000\r\nDURATION:PT1H30M\r\n\
            RRULE:FREQ=MONTHLY;BYDAY=2MO\r\nLOCATION:Park gates\r\nDESCRIPTION:Meet at the\r\n  \
            gates\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:Quiz night\r\nDTSTART:20270129T190000Z\r\n\
            DTEND:20270129T210000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let events = read_feed(feed, None, None).unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].uid, "walk-1@partner");
        assert_eq!(events[0].plan.title, "Health walk, gentle");
        assert_eq!(events[0].plan.description, "Meet at the gates");
        assert_eq!(events[0].plan.minutes, 90);
        assert_eq!(events[0].plan.rrule().unwrap(), "FREQ=MONTHLY;BYDAY=2MO");
        assert_eq!(events[1].plan.minutes, 120);
        assert_eq!(events[1].plan.repeat, Repeat::Once);
        assert!(matches!(
            read_feed("<html>", None, None),
            Err(FeedError::Malformed(_))
        ));
        let no_start =
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert!(matches!(
            read_feed(no_start, None, None),
            Err(FeedError::Malformed(_))
        ));
        let daily = feed.replace("FREQ=MONTHLY;BYDAY=2MO", "FREQ=DAILY");
        assert!(matches!(
            read_feed(&daily, None, None),
            Err(FeedError::Unsupported { .. })
        ));
        let many = format!(
            "BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n",
            "BEGIN:VEVENT\r\nSUMMARY:x\r\nDTSTART:20270101T100000Z\r\nEND:VEVENT\r\n"
                .repeat(MAX_FEED_EVENTS + 1)
        );
        assert_eq!(read_feed(&many, None, None), Err(FeedError::TooManyEvents));
    }

    #[test]
    fn this_week_runs_monday_to_sunday() {
        assert_eq!(week_of(d(2027, 1, 13)), (d(2027, 1, 11), d(2027, 1, 17)));
        assert_eq!(duration_minutes("P1DT2H"), Some(26 * 60));
    }
}
