//! When a service is open: HSDS schedules (the iCalendar RRULE subset publishers use)
//! read as "is it open now?", "does it open on a Tuesday?", "when does it next open?" and
//! "Every Tuesday, 10am to 12:30pm". All times are UK local wall-clock times.
//!
//! The subset understood: `WEEKLY` with a `BYDAY` list and an optional `INTERVAL` counted
//! from `DTSTART` (fortnightly); `MONTHLY` with ordinal days (`2TU`, `-1FR`) or month days
//! (`BYMONTHDAY=15`, `-1`); seasons (`valid_from`, `valid_to`) and `DTSTART`/`UNTIL`
//! bounds; and overnight sessions whose closing time is not after their opening time
//! (7pm to 8am), which belong to the day they open.

use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike,
    Utc, Weekday,
};

use crate::directory::{Frequency, Schedule};

/// How far ahead [`next_opening`] looks: two months covers every monthly pattern.
pub const LOOKAHEAD_DAYS: u64 = 62;

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// One entry of a `BYDAY` list: a weekday, and for monthly rules which one of the month
/// (1 = first, -1 = last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByDay {
    pub ordinal: Option<i8>,
    pub weekday: Weekday,
}

/// An iCalendar day code (`MO` … `SU`, any case).
fn weekday_code(code: &str) -> Option<Weekday> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// A day of the week as people and other systems write it: an iCalendar code (`TU`), an
/// abbreviation (`tue`) or the name (`Tuesday`), in any case.
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.trim();
    weekday_code(text).or_else(|| text.parse::<Weekday>().ok())
}

/// Reads `MO,2TU,-1FR`. Entries that are not days are skipped: validation refuses them on
/// the way in, and a schedule read here must never fail a search.
pub fn parse_byday(byday: &str) -> Vec<ByDay> {
    byday
        .split(',')
        .filter_map(|entry| {
            let entry = entry.trim();
            if entry.len() < 2 || !entry.is_ascii() {
                return None;
            }
            let (ordinal, day) = entry.split_at(entry.len() - 2);
            let weekday = weekday_code(day)?;
            let ordinal = match ordinal.trim_start_matches('+') {
                "" => None,
                n => Some(
                    n.parse::<i8>()
                        .ok()
                        .filter(|n| (-5..=5).contains(n) && *n != 0)?,
                ),
            };
            Some(ByDay { ordinal, weekday })
        })
        .collect()
}

fn parse_month_days(byday: &str) -> Vec<i8> {
    byday
        .split(',')
        .filter_map(|d| d.trim().parse::<i8>().ok())
        .filter(|d| (1..=31).contains(d) || (-31..=-1).contains(d))
        .collect()
}

fn last_day_of_month(date: NaiveDate) -> u32 {
    let first = date.with_day(1).expect("every month has a first day");
    (first + Months::new(1) - Days::new(1)).day()
}

fn interval(schedule: &Schedule) -> u32 {
    schedule.interval.map_or(1, |i| u32::from(i.max(1)))
}

fn weekday_bit(day: Weekday) -> u8 {
    1 << day.num_days_from_monday()
}

/// A schedule compiled for quick questions: what the index keeps for each service, so
/// "open now" over a million services reads bits instead of RRULE text. Built from a
/// [`Schedule`] with `From`; every rule about what a schedule means lives here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opening {
    /// The first and last days a session may start (DTSTART, UNTIL and the season).
    starts: Option<NaiveDate>,
    ends: Option<NaiveDate>,
    /// What an interval counts from.
    anchor: Option<NaiveDate>,
    monthly: bool,
    interval: u16,
    /// Weekdays every week (weekly rules) or every such day of the month (monthly).
    every_week: u8,
    /// Monthly ordinal days: for each weekday, bit n-1 for the nth (1..=5) and bit 4+m for
    /// the mth from the end (1..=5).
    nth: [u16; 7],
    /// Monthly dates: bit d-1 for day d (1..=31), bit 30+m for the mth from the end.
    month_days: u64,
    /// Minutes after midnight; a schedule without hours runs 0 to 1440.
    opens: u16,
    closes: u16,
}

impl From<&Schedule> for Opening {
    fn from(schedule: &Schedule) -> Opening {
        let starts = schedule
            .dtstart
            .into_iter()
            .chain(schedule.valid_from)
            .max();
        let ends = schedule.until.into_iter().chain(schedule.valid_to).min();
        let monthly = schedule.freq == Some(Frequency::Monthly);
        let days = schedule
            .byday
            .as_deref()
            .map(parse_byday)
            .unwrap_or_default();
        let mut every_week = 0u8;
        let mut nth = [0u16; 7];
        for day in &days {
            let w = day.weekday.num_days_from_monday() as usize;
            match day.ordinal {
                Some(n) if monthly && n > 0 => nth[w] |= 1 << (n - 1),
                Some(n) if monthly => nth[w] |= 1 << (4 - n),
                // A weekly rule with an ordinal is malformed; the weekday still says most.
                _ => every_week |= weekday_bit(day.weekday),
            }
        }
        let mut month_days = 0u64;
        if monthly {
            for d in schedule
                .bymonthday
                .as_deref()
                .map(parse_month_days)
                .unwrap_or_default()
            {
                month_days |= if d > 0 { 1 << (d - 1) } else { 1 << (30 - d) };
            }
            if days.is_empty() && month_days == 0 {
                // A bare monthly rule repeats on DTSTART's date, and with no DTSTART never.
                if let Some(start) = schedule.dtstart {
                    month_days = 1 << (start.day() - 1);
                }
            }
        } else if days.is_empty() {
            // No days given: a weekly rule repeats on DTSTART's weekday; a schedule with no
            // rule at all gives hours that hold every day.
            every_week = match (schedule.freq, schedule.dtstart) {
                (Some(Frequency::Weekly), Some(start)) => weekday_bit(start.weekday()),
                _ => 0x7F,
            };
        }
        let (opens, closes) = match (schedule.opens_at, schedule.closes_at) {
            (Some(open), Some(close)) => (open.minutes(), close.minutes()),
            _ => (0, 24 * 60),
        };
        Opening {
            starts,
            ends,
            anchor: schedule.dtstart,
            monthly,
            interval: interval(schedule) as u16,
            every_week,
            nth,
            month_days,
            opens,
            closes,
        }
    }
}

impl Opening {
    /// Whether a session starts on `date`.
    pub fn occurs_on(&self, date: NaiveDate) -> bool {
        if self.starts.is_some_and(|s| date < s) || self.ends.is_some_and(|e| date > e) {
            return false;
        }
        let weekday = date.weekday();
        // Without DTSTART an interval has nothing to count from, so every week or month
        // counts: better to show a session that may not run than hide one that does.
        let every = i64::from(self.interval);
        if self.monthly {
            if let Some(start) = self.anchor.filter(|_| every > 1) {
                let months = i64::from(date.year() - start.year()) * 12 + i64::from(date.month())
                    - i64::from(start.month());
                if months.rem_euclid(every) != 0 {
                    return false;
                }
            }
            if self.every_week & weekday_bit(weekday) != 0 {
                return true;
            }
            let last = last_day_of_month(date);
            let from_end = last - date.day(); // 0 on the last day
            let ordinals = self.nth[weekday.num_days_from_monday() as usize];
            let nth_from_start = (date.day() - 1) / 7; // 0 for the first
            let nth_from_end = from_end / 7;
            ordinals & (1 << nth_from_start) != 0
                || ordinals & (1 << (5 + nth_from_end)) != 0
                || self.month_days & (1 << (date.day() - 1)) != 0
                || self.month_days & (1 << (31 + from_end)) != 0
        } else {
            if let Some(start) = self.anchor.filter(|_| every > 1) {
                let week_of =
                    |d: NaiveDate| d - Days::new(u64::from(d.weekday().num_days_from_monday()));
                let weeks = (week_of(date) - week_of(start)).num_days() / 7;
                if weeks.rem_euclid(every) != 0 {
                    return false;
                }
            }
            self.every_week & weekday_bit(weekday) != 0
        }
    }

    /// Closing at or before opening means the session runs past midnight.
    pub fn is_overnight(&self) -> bool {
        self.closes <= self.opens
    }

    /// Whether a session is running at this local date and time. An overnight session
    /// belongs to the day it opens.
    pub fn is_open_at(&self, date: NaiveDate, time: NaiveTime) -> bool {
        let now = (time.num_seconds_from_midnight() / 60) as u16;
        if self.is_overnight() {
            (now >= self.opens && self.occurs_on(date))
                || (now < self.closes
                    && date
                        .pred_opt()
                        .is_some_and(|yesterday| self.occurs_on(yesterday)))
        } else {
            now >= self.opens && now < self.closes && self.occurs_on(date)
        }
    }

    /// The weekdays a session can start on, Monday as bit 0 (seasons aside).
    pub fn weekday_mask(&self) -> u8 {
        let mut mask = self.every_week;
        for (w, ordinals) in self.nth.iter().enumerate() {
            if *ordinals != 0 {
                mask |= 1 << w;
            }
        }
        // "The 15th of the month" falls on any weekday.
        if self.month_days != 0 {
            mask = 0x7F;
        }
        mask
    }

    /// The start of the first session at or after `from` within [`LOOKAHEAD_DAYS`].
    fn next_start(&self, from: NaiveDateTime) -> Option<NaiveDateTime> {
        let opens = NaiveTime::from_num_seconds_from_midnight_opt(u32::from(self.opens) * 60, 0)?;
        let mut date = from.date();
        for _ in 0..=LOOKAHEAD_DAYS {
            if self.ends.is_some_and(|e| date > e) {
                return None;
            }
            let start = date.and_time(opens);
            if start >= from && self.occurs_on(date) {
                return Some(start);
            }
            date = date.succ_opt()?;
        }
        None
    }
}

/// Whether this one schedule has a session running at this local date and time.
pub fn schedule_open_at(schedule: &Schedule, date: NaiveDate, time: NaiveTime) -> bool {
    Opening::from(schedule).is_open_at(date, time)
}

/// Whether any of the schedules has a session running at this UK local date and time.
pub fn is_open_at(schedules: &[Schedule], date: NaiveDate, time: NaiveTime) -> bool {
    schedules.iter().any(|s| schedule_open_at(s, date, time))
}

/// Whether a session can start on this weekday at all (ignoring seasons, which a weekday
/// filter cannot know about).
pub fn opens_on(schedules: &[Schedule], day: Weekday) -> bool {
    schedules
        .iter()
        .any(|s| Opening::from(s).weekday_mask() & weekday_bit(day) != 0)
}

/// The weekdays a schedule's sessions can start on, Monday first.
pub fn weekdays(schedule: &Schedule) -> Vec<Weekday> {
    let mask = Opening::from(schedule).weekday_mask();
    WEEK.iter()
        .copied()
        .filter(|w| mask & weekday_bit(*w) != 0)
        .collect()
}

/// The earliest moment at or after `from` when a session is running: `from` itself when
/// one is running now, otherwise the start of the next session, looking
/// [`LOOKAHEAD_DAYS`] ahead.
pub fn next_opening(schedules: &[Schedule], from: NaiveDateTime) -> Option<NaiveDateTime> {
    let openings: Vec<Opening> = schedules.iter().map(Opening::from).collect();
    next_opening_of(&openings, from)
}

/// [`next_opening`] for compiled schedules.
pub fn next_opening_of(openings: &[Opening], from: NaiveDateTime) -> Option<NaiveDateTime> {
    if openings
        .iter()
        .any(|o| o.is_open_at(from.date(), from.time()))
    {
        return Some(from);
    }
    openings.iter().filter_map(|o| o.next_start(from)).min()
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

fn ordinal_word(n: i8) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        -1 => "last".into(),
        -2 => "second to last".into(),
        n => format!("{n}th"),
    }
}

fn day_of_month_word(n: i8) -> String {
    match n {
        -1 => "last day".into(),
        n if n < 0 => format!("{} days before the end", -n - 1),
        n => {
            let suffix = match (n % 10, n % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{n}{suffix}")
        }
    }
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Weekdays as people say them: a run of three or more is "Monday to Friday".
fn days_phrase(days: &[Weekday]) -> String {
    let mut indices: Vec<usize> = days
        .iter()
        .map(|d| d.num_days_from_monday() as usize)
        .collect();
    indices.sort_unstable();
    indices.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < indices.len() {
        let mut j = i;
        while j + 1 < indices.len() && indices[j + 1] == indices[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!(
                "{} to {}",
                day_name(WEEK[indices[i]]),
                day_name(WEEK[indices[j]])
            ));
        } else {
            parts.extend(indices[i..=j].iter().map(|&k| day_name(WEEK[k]).to_owned()));
        }
        i = j + 1;
    }
    and_list(&parts)
}

fn date_phrase(date: NaiveDate) -> String {
    date.format("%-d %B").to_string()
}

/// The schedule in words a resident reads at a glance, such as "Every Tuesday, 10am to
/// 12:30pm", "The second Tuesday of the month, 5:30pm to 7:30pm" or "Every night, 7pm to
/// 8am, 1 December to 31 March".
pub fn plain_english(schedule: &Schedule) -> String {
    let days = schedule
        .byday
        .as_deref()
        .map(parse_byday)
        .unwrap_or_default();
    let every = interval(schedule);
    let overnight = schedule.opens_at.is_some() && Opening::from(schedule).is_overnight();
    let when = match schedule.freq {
        Some(Frequency::Monthly) => {
            let mut parts: Vec<String> = days
                .iter()
                .map(|d| match d.ordinal {
                    Some(n) => format!("{} {}", ordinal_word(n), day_name(d.weekday)),
                    None => format!("every {}", day_name(d.weekday)),
                })
                .collect();
            parts.extend(
                schedule
                    .bymonthday
                    .as_deref()
                    .map(parse_month_days)
                    .unwrap_or_default()
                    .into_iter()
                    .map(day_of_month_word),
            );
            if parts.is_empty() {
                parts.push(match schedule.dtstart {
                    Some(start) => day_of_month_word(start.day() as i8),
                    None => "same day".into(),
                });
            }
            let month = match every {
                1 => "the month".to_owned(),
                2 => "every other month".to_owned(),
                n => format!("every {n} months"),
            };
            let mut phrase = format!("the {} of {month}", and_list(&parts));
            if let Some(first) = phrase.get(..1) {
                phrase = first.to_uppercase() + &phrase[1..];
            }
            phrase
        }
        _ => {
            let weekdays = weekdays(schedule);
            let all_week = weekdays.len() == 7;
            let named = days_phrase(&weekdays);
            match every {
                1 if all_week && overnight => "Every night".to_owned(),
                1 if all_week => "Every day".to_owned(),
                1 if weekdays.len() >= 3
                    && named.contains(" to ")
                    && !named.contains(',')
                    && !named.contains(" and ") =>
                {
                    named
                }
                1 => format!("Every {named}"),
                2 => format!("Every other {named}"),
                n => format!("Every {n} weeks on {named}"),
            }
        }
    };
    let mut out = when;
    if let (Some(open), Some(close)) = (schedule.opens_at, schedule.closes_at) {
        out.push_str(&format!(", {} to {}", open.plain(), close.plain()));
    }
    match (schedule.valid_from, schedule.valid_to) {
        (Some(from), Some(to)) => {
            out.push_str(&format!(", {} to {}", date_phrase(from), date_phrase(to)))
        }
        (Some(from), None) => out.push_str(&format!(", from {}", date_phrase(from))),
        (None, Some(to)) => out.push_str(&format!(", until {}", date_phrase(to))),
        (None, None) => {}
    }
    out
}

/// Welsh day names as they follow "dydd": "Llun", "Mawrth".
fn welsh_day(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Llun",
        Weekday::Tue => "Mawrth",
        Weekday::Wed => "Mercher",
        Weekday::Thu => "Iau",
        Weekday::Fri => "Gwener",
        Weekday::Sat => "Sadwrn",
        Weekday::Sun => "Sul",
    }
}

const WELSH_MONTHS: [&str; 12] = [
    "Ionawr",
    "Chwefror",
    "Mawrth",
    "Ebrill",
    "Mai",
    "Mehefin",
    "Gorffennaf",
    "Awst",
    "Medi",
    "Hydref",
    "Tachwedd",
    "Rhagfyr",
];

/// "10am" reads the same in Welsh; midday and midnight have their own words.
fn welsh_time(time: crate::time_of_day::TimeOfDay) -> String {
    match (time.hours(), time.minute()) {
        (0, 0) => "hanner nos".to_owned(),
        (12, 0) => "canol dydd".to_owned(),
        _ => time.plain(),
    }
}

fn welsh_date(date: NaiveDate) -> String {
    format!("{} {}", date.day(), WELSH_MONTHS[date.month0() as usize])
}

/// "a, b a c" (or "ac" before a vowel).
fn welsh_and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let and = if last.starts_with(['a', 'e', 'i', 'o', 'u', 'w', 'y']) {
                "ac"
            } else {
                "a"
            };
            format!("{} {and} {last}", init.join(", "))
        }
    }
}

/// Weekdays in Welsh: a run of three or more is "dydd Llun i ddydd Gwener" ("i" softens
/// "dydd" to "ddydd").
fn welsh_days_phrase(days: &[Weekday]) -> String {
    let mut indices: Vec<usize> = days
        .iter()
        .map(|d| d.num_days_from_monday() as usize)
        .collect();
    indices.sort_unstable();
    indices.dedup();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < indices.len() {
        let mut j = i;
        while j + 1 < indices.len() && indices[j + 1] == indices[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!(
                "dydd {} i ddydd {}",
                welsh_day(WEEK[indices[i]]),
                welsh_day(WEEK[indices[j]])
            ));
        } else {
            parts.extend(
                indices[i..=j]
                    .iter()
                    .map(|&k| format!("dydd {}", welsh_day(WEEK[k]))),
            );
        }
        i = j + 1;
    }
    welsh_and_list(&parts)
}

/// "Yr ail ddydd Mawrth": the ordinals that come before the day, with the soft mutation
/// most of them cause ("cyntaf" follows it instead).
fn welsh_ordinal_day(n: i8, day: Weekday) -> String {
    let day = welsh_day(day);
    match n {
        1 => format!("y dydd {day} cyntaf"),
        2 => format!("yr ail ddydd {day}"),
        3 => format!("y trydydd dydd {day}"),
        4 => format!("y pedwerydd dydd {day}"),
        5 => format!("y pumed dydd {day}"),
        -1 => format!("y dydd {day} olaf"),
        n => format!("dydd {day} rhif {n}"),
    }
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// The schedule in Welsh, as [`plain_english`] says it in English: "Bob dydd Mawrth, 10am i
/// 12:30pm", "Yr ail ddydd Mawrth o'r mis, 5:30pm i 7:30pm".
pub fn plain_welsh(schedule: &Schedule) -> String {
    let days = schedule
        .byday
        .as_deref()
        .map(parse_byday)
        .unwrap_or_default();
    let every = interval(schedule);
    let overnight = schedule.opens_at.is_some() && Opening::from(schedule).is_overnight();
    let when = match schedule.freq {
        Some(Frequency::Monthly) => {
            let mut parts: Vec<String> = days
                .iter()
                .map(|d| match d.ordinal {
                    Some(n) => welsh_ordinal_day(n, d.weekday),
                    None => format!("pob dydd {}", welsh_day(d.weekday)),
                })
                .collect();
            let month_days = schedule
                .bymonthday
                .as_deref()
                .map(parse_month_days)
                .unwrap_or_default();
            parts.extend(month_days.into_iter().map(|n| match n {
                -1 => "y diwrnod olaf".to_owned(),
                n => format!("diwrnod {n}"),
            }));
            if parts.is_empty() {
                parts.push(match schedule.dtstart {
                    Some(start) => format!("diwrnod {}", start.day()),
                    None => "yr un diwrnod".to_owned(),
                });
            }
            let month = match every {
                1 => "o'r mis".to_owned(),
                2 => "bob yn ail fis".to_owned(),
                n => format!("bob {n} mis"),
            };
            capitalise_first(&format!("{} {month}", welsh_and_list(&parts)))
        }
        _ => {
            let weekdays = weekdays(schedule);
            let all_week = weekdays.len() == 7;
            let named = welsh_days_phrase(&weekdays);
            match every {
                1 if all_week && overnight => "Bob nos".to_owned(),
                1 if all_week => "Bob dydd".to_owned(),
                1 if named.contains(" i ddydd ") && !named.contains(',') => {
                    capitalise_first(&named)
                }
                1 => format!("Bob {named}"),
                2 => format!("Bob yn ail {named}"),
                n => format!("Bob {n} wythnos ar {named}"),
            }
        }
    };
    let mut out = when;
    if let (Some(open), Some(close)) = (schedule.opens_at, schedule.closes_at) {
        // "i" softens what follows: "i ganol dydd".
        let close = welsh_time(close).replacen("canol", "ganol", 1);
        out.push_str(&format!(", {} i {close}", welsh_time(open)));
    }
    match (schedule.valid_from, schedule.valid_to) {
        (Some(from), Some(to)) => {
            out.push_str(&format!(", {} i {}", welsh_date(from), welsh_date(to)))
        }
        (Some(from), None) => out.push_str(&format!(", o {}", welsh_date(from))),
        (None, Some(to)) => out.push_str(&format!(", tan {}", welsh_date(to))),
        (None, None) => {}
    }
    out
}

/// The last Sunday of a month, at 01:00 UTC: when the UK clocks change.
fn last_sunday_1am_utc(year: i32, month: u32) -> Option<NaiveDateTime> {
    let first_of_next = NaiveDate::from_ymd_opt(year, month, 1)? + Months::new(1);
    let last = first_of_next.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    (last - Days::new(u64::from(back))).and_hms_opt(1, 0, 0)
}

/// UK local wall-clock time for an instant: GMT in winter, BST (UTC+1) from 01:00 UTC on
/// the last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn uk_local(instant: DateTime<Utc>) -> NaiveDateTime {
    let utc = instant.naive_utc();
    let bst = match (
        last_sunday_1am_utc(utc.year(), 3),
        last_sunday_1am_utc(utc.year(), 10),
    ) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    };
    if bst { utc + TimeDelta::hours(1) } else { utc }
}

/// The instant a UK wall-clock time names: the inverse of [`uk_local`]. In the hour the
/// clocks go back (which happens twice) the first, summer-time, instant is taken; a time in
/// the hour skipped in spring is read as if the clocks had not yet changed.
pub fn uk_instant(local: NaiveDateTime) -> DateTime<Utc> {
    let summer = (local - TimeDelta::hours(1)).and_utc();
    if uk_local(summer) == local {
        summer
    } else {
        local.and_utc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time_of_day::TimeOfDay;
    use chrono::TimeZone;
    use uuid::Uuid;

    #[test]
    fn a_uk_wall_clock_time_is_read_back_to_its_instant() {
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .and_hms_opt(18, 30, 0)
            .unwrap();
        assert_eq!(
            uk_instant(summer),
            Utc.with_ymd_and_hms(2026, 7, 1, 17, 30, 0).unwrap()
        );
        let winter = NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(18, 30, 0)
            .unwrap();
        assert_eq!(
            uk_instant(winter),
            Utc.with_ymd_and_hms(2026, 12, 1, 18, 30, 0).unwrap()
        );
        for instant in [uk_instant(summer), uk_instant(winter)] {
            assert_eq!(uk_instant(uk_local(instant)), instant);
        }
    }

    #[test]
    fn weekdays_are_read_however_they_are_written() {
        for text in ["TU", "tu", "tue", "Tue", "Tuesday", " TUESDAY "] {
            assert_eq!(parse_weekday(text), Some(Weekday::Tue), "{text}");
        }
        for text in ["Funday", "moon", "", "T"] {
            assert_eq!(parse_weekday(text), None, "{text}");
        }
    }

    fn schedule(freq: Option<Frequency>, byday: &str, opens: &str, closes: &str) -> Schedule {
        Schedule {
            id: Uuid::nil(),
            service_id: None,
            valid_from: None,
            valid_to: None,
            dtstart: None,
            until: None,
            freq,
            interval: None,
            byday: (!byday.is_empty()).then(|| byday.to_owned()),
            bymonthday: None,
            opens_at: (!opens.is_empty()).then(|| opens.parse::<TimeOfDay>().unwrap()),
            closes_at: (!closes.is_empty()).then(|| closes.parse::<TimeOfDay>().unwrap()),
            description: None,
            notes: None,
        }
    }

    fn weekly(byday: &str, opens: &str, closes: &str) -> Schedule {
        schedule(Some(Frequency::Weekly), byday, opens, closes)
    }

    fn monthly(byday: &str, opens: &str, closes: &str) -> Schedule {
        schedule(Some(Frequency::Monthly), byday, opens, closes)
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_tuesday_foodbank_is_open_on_tuesday_mornings_only() {
        let foodbank = [weekly("TU", "10:00", "12:30")];
        // 2025-11-25 is a Tuesday.
        assert!(is_open_at(&foodbank, d("2025-11-25"), t("10:00")));
        assert!(is_open_at(&foodbank, d("2025-11-25"), t("12:29")));
        assert!(
            !is_open_at(&foodbank, d("2025-11-25"), t("12:30")),
            "closing time is closed"
        );
        assert!(!is_open_at(&foodbank, d("2025-11-25"), t("09:59")));
        assert!(
            !is_open_at(&foodbank, d("2025-11-26"), t("11:00")),
            "Wednesday"
        );
        assert!(opens_on(&foodbank, Weekday::Tue));
        assert!(!opens_on(&foodbank, Weekday::Wed));
    }

    #[test]
    fn a_monthly_group_meets_on_the_second_tuesday_and_the_last_friday() {
        let group = [monthly("2TU,-1FR", "17:30", "19:30")];
        // November 2025: Tuesdays 4, 11, 18, 25; Fridays 7, 14, 21, 28.
        assert!(is_open_at(&group, d("2025-11-11"), t("18:00")));
        assert!(!is_open_at(&group, d("2025-11-04"), t("18:00")));
        assert!(!is_open_at(&group, d("2025-11-18"), t("18:00")));
        assert!(is_open_at(&group, d("2025-11-28"), t("18:00")));
        assert!(!is_open_at(&group, d("2025-11-21"), t("18:00")));
        // In a month with five Fridays the last is the fifth: May 2026 has 1, 8, 15, 22, 29.
        assert!(is_open_at(&group, d("2026-05-29"), t("18:00")));
        assert!(!is_open_at(&group, d("2026-05-22"), t("18:00")));
        assert!(opens_on(&group, Weekday::Tue) && opens_on(&group, Weekday::Fri));
        assert!(!opens_on(&group, Weekday::Mon));
    }

    #[test]
    fn a_fortnightly_session_counts_weeks_from_its_start() {
        let mut youth = weekly("WE", "17:30", "19:30");
        youth.interval = Some(2);
        youth.dtstart = Some(d("2025-09-03"));
        let youth = [youth];
        assert!(is_open_at(&youth, d("2025-09-03"), t("18:00")));
        assert!(!is_open_at(&youth, d("2025-09-10"), t("18:00")));
        assert!(is_open_at(&youth, d("2025-09-17"), t("18:00")));
        assert!(
            !is_open_at(&youth, d("2025-08-20"), t("18:00")),
            "nothing before it started"
        );
        assert_eq!(
            next_opening(&youth, dt("2025-09-04 09:00")),
            Some(dt("2025-09-17 17:30"))
        );
    }

    #[test]
    fn the_winter_night_shelter_is_open_overnight_only_in_its_season() {
        let mut shelter = weekly("MO,TU,WE,TH,FR,SA,SU", "19:00", "08:00");
        shelter.valid_from = Some(d("2025-12-01"));
        shelter.valid_to = Some(d("2026-03-31"));
        let shelter = [shelter];
        assert!(is_open_at(&shelter, d("2025-12-01"), t("19:00")));
        assert!(
            is_open_at(&shelter, d("2025-12-02"), t("07:59")),
            "still open from the night before"
        );
        assert!(!is_open_at(&shelter, d("2025-12-02"), t("08:00")));
        assert!(
            !is_open_at(&shelter, d("2025-12-01"), t("07:00")),
            "the season starts that evening"
        );
        assert!(
            is_open_at(&shelter, d("2026-04-01"), t("07:00")),
            "the last night runs into April"
        );
        assert!(!is_open_at(&shelter, d("2026-04-01"), t("20:00")));
        assert_eq!(
            next_opening(&shelter, dt("2025-11-20 12:00")),
            Some(dt("2025-12-01 19:00"))
        );
        assert_eq!(
            plain_english(&shelter[0]),
            "Every night, 7pm to 8am, 1 December to 31 March"
        );
    }

    #[test]
    fn next_opening_is_now_when_open_and_the_soonest_session_otherwise() {
        let centre = [
            weekly("MO,WE", "10:00", "13:00"),
            monthly("1SA", "10:00", "12:00"),
        ];
        // 2025-11-24 is a Monday.
        assert_eq!(
            next_opening(&centre, dt("2025-11-24 11:00")),
            Some(dt("2025-11-24 11:00"))
        );
        assert_eq!(
            next_opening(&centre, dt("2025-11-24 13:00")),
            Some(dt("2025-11-26 10:00"))
        );
        assert_eq!(
            next_opening(&centre, dt("2025-11-27 09:00")),
            Some(dt("2025-12-01 10:00"))
        );
        // The first Saturday of December 2025 is the 6th.
        assert_eq!(
            next_opening(&centre[1..], dt("2025-11-27 09:00")),
            Some(dt("2025-12-06 10:00"))
        );
        assert_eq!(next_opening(&[], dt("2025-11-27 09:00")), None);
        let mut ended = weekly("MO", "10:00", "11:00");
        ended.valid_to = Some(d("2025-01-01"));
        assert_eq!(next_opening(&[ended], dt("2025-11-27 09:00")), None);
    }

    #[test]
    fn a_month_day_rule_and_a_rule_without_days() {
        let mut clinic = monthly("", "09:00", "12:00");
        clinic.bymonthday = Some("-1".into());
        assert!(is_open_at(
            std::slice::from_ref(&clinic),
            d("2026-02-28"),
            t("10:00")
        ));
        assert!(!is_open_at(
            std::slice::from_ref(&clinic),
            d("2026-02-27"),
            t("10:00")
        ));
        assert_eq!(
            plain_english(&clinic),
            "The last day of the month, 9am to midday"
        );
        clinic.bymonthday = Some("15".into());
        assert!(is_open_at(
            std::slice::from_ref(&clinic),
            d("2026-02-15"),
            t("10:00")
        ));
        assert_eq!(
            plain_english(&clinic),
            "The 15th of the month, 9am to midday"
        );

        let helpline = schedule(None, "", "", "");
        assert!(
            is_open_at(std::slice::from_ref(&helpline), d("2026-02-15"), t("03:00")),
            "no hours: always"
        );
        assert_eq!(plain_english(&helpline), "Every day");
    }

    #[test]
    fn schedules_read_aloud_in_welsh() {
        assert_eq!(
            plain_welsh(&weekly("TU", "10:00", "12:30")),
            "Bob dydd Mawrth, 10am i 12:30pm"
        );
        assert_eq!(
            plain_welsh(&weekly("MO,TU,WE,TH,FR", "09:00", "17:00")),
            "Dydd Llun i ddydd Gwener, 9am i 5pm"
        );
        assert_eq!(
            plain_welsh(&weekly("MO,WE,FR", "10:00", "12:00")),
            "Bob dydd Llun, dydd Mercher a dydd Gwener, 10am i ganol dydd"
        );
        assert_eq!(
            plain_welsh(&monthly("2TU", "17:30", "19:30")),
            "Yr ail ddydd Mawrth o'r mis, 5:30pm i 7:30pm"
        );
        assert_eq!(
            plain_welsh(&monthly("-1FR", "10:00", "11:00")),
            "Y dydd Gwener olaf o'r mis, 10am i 11am"
        );
        assert_eq!(plain_welsh(&schedule(None, "", "", "")), "Bob dydd");
    }

    #[test]
    fn schedules_read_aloud() {
        assert_eq!(
            plain_english(&weekly("TU", "10:00", "12:30")),
            "Every Tuesday, 10am to 12:30pm"
        );
        assert_eq!(
            plain_english(&weekly("MO,TU,WE,TH,FR", "09:00", "17:00")),
            "Monday to Friday, 9am to 5pm"
        );
        assert_eq!(
            plain_english(&weekly("MO,WE,FR", "10:00", "14:00")),
            "Every Monday, Wednesday and Friday, 10am to 2pm"
        );
        assert_eq!(
            plain_english(&weekly("SA,SU", "10:00", "16:00")),
            "Every Saturday and Sunday, 10am to 4pm"
        );
        assert_eq!(
            plain_english(&weekly("MO,TU,WE,TH,FR,SA,SU", "06:00", "10:00")),
            "Every day, 6am to 10am"
        );
        assert_eq!(
            plain_english(&weekly("MO,TU,WE,FR", "09:00", "17:00")),
            "Every Monday to Wednesday and Friday, 9am to 5pm"
        );
        assert_eq!(
            plain_english(&monthly("2TU", "17:30", "19:30")),
            "The second Tuesday of the month, 5:30pm to 7:30pm"
        );
        assert_eq!(
            plain_english(&monthly("1TH,3TH", "14:00", "16:00")),
            "The first Thursday and third Thursday of the month, 2pm to 4pm"
        );
        assert_eq!(
            plain_english(&monthly("-1FR", "13:00", "15:00")),
            "The last Friday of the month, 1pm to 3pm"
        );
        let mut fortnightly = weekly("WE", "17:30", "19:30");
        fortnightly.interval = Some(2);
        assert_eq!(
            plain_english(&fortnightly),
            "Every other Wednesday, 5:30pm to 7:30pm"
        );
        let mut winter = weekly("TU,TH", "10:00", "15:00");
        winter.valid_from = Some(d("2025-11-01"));
        winter.valid_to = Some(d("2026-03-31"));
        assert_eq!(
            plain_english(&winter),
            "Every Tuesday and Thursday, 10am to 3pm, 1 November to 31 March"
        );
        assert_eq!(plain_english(&weekly("MO", "", "")), "Every Monday");
    }

    #[test]
    fn a_rule_without_days_repeats_on_its_start_day() {
        let mut repair_cafe = weekly("", "10:00", "12:00");
        repair_cafe.dtstart = Some(d("2025-11-27")); // a Thursday
        assert_eq!(weekdays(&repair_cafe), [Weekday::Thu]);
        assert!(opens_on(std::slice::from_ref(&repair_cafe), Weekday::Thu));
        assert!(!opens_on(std::slice::from_ref(&repair_cafe), Weekday::Fri));
        let compiled = Opening::from(&repair_cafe);
        assert!(compiled.occurs_on(d("2025-12-04")));
        assert!(!compiled.occurs_on(d("2025-11-20")), "not before it starts");
        assert_eq!(compiled.weekday_mask(), 1 << 3);
        let mut market = monthly("", "09:00", "13:00");
        market.dtstart = Some(d("2025-11-08"));
        assert!(
            Opening::from(&market).occurs_on(d("2026-01-08")),
            "monthly on the start date"
        );
        assert!(!Opening::from(&market).occurs_on(d("2026-01-09")));
    }

    #[test]
    fn unreadable_days_are_skipped_not_fatal() {
        assert_eq!(
            parse_byday("MO,XX,9TU,2WE"),
            vec![
                ByDay {
                    ordinal: None,
                    weekday: Weekday::Mon
                },
                ByDay {
                    ordinal: Some(2),
                    weekday: Weekday::Wed
                },
            ]
        );
    }

    #[test]
    fn uk_clocks_change_at_one_in_the_morning_utc_on_the_last_sundays() {
        let utc = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        // 2026: BST from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
        assert_eq!(uk_local(utc(2026, 1, 15, 12, 0)), dt("2026-01-15 12:00"));
        assert_eq!(uk_local(utc(2026, 3, 29, 0, 59)), dt("2026-03-29 00:59"));
        assert_eq!(uk_local(utc(2026, 3, 29, 1, 0)), dt("2026-03-29 02:00"));
        assert_eq!(uk_local(utc(2026, 7, 1, 23, 30)), dt("2026-07-02 00:30"));
        assert_eq!(uk_local(utc(2026, 10, 25, 0, 59)), dt("2026-10-25 01:59"));
        assert_eq!(uk_local(utc(2026, 10, 25, 1, 0)), dt("2026-10-25 01:00"));
        // 2025: 30 March and 26 October.
        assert_eq!(uk_local(utc(2025, 3, 30, 1, 0)), dt("2025-03-30 02:00"));
        assert_eq!(uk_local(utc(2025, 10, 26, 0, 30)), dt("2025-10-26 01:30"));
        assert_eq!(uk_local(utc(2025, 10, 26, 1, 30)), dt("2025-10-26 01:30"));
    }
}
