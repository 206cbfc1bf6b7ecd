//! A wall-clock time such as "09:30", as HSDS writes opening times.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Minutes after midnight, 0..=1439. Parsing accepts `HH:MM` and `HH:MM:SS` and
/// writes `HH:MM` back, so a listing round-trips in the shape most publishers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeOfDay(u16);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a time of day; write it as 24-hour HH:MM, such as 09:30 or 17:00")]
pub struct BadTime(pub String);

impl TimeOfDay {
    pub fn from_hm(hours: u16, minutes: u16) -> Option<TimeOfDay> {
        (hours < 24 && minutes < 60).then_some(TimeOfDay(hours * 60 + minutes))
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    pub fn hours(self) -> u16 {
        self.0 / 60
    }

    pub fn minute(self) -> u16 {
        self.0 % 60
    }

    /// "9am", "12:30pm", "midnight": as people say times aloud.
    pub fn plain(self) -> String {
        match (self.hours(), self.minute()) {
            (0, 0) => "midnight".to_owned(),
            (12, 0) => "midday".to_owned(),
            (h, m) => {
                let suffix = if h < 12 { "am" } else { "pm" };
                let h12 = match h % 12 {
                    0 => 12,
                    h => h,
                };
                if m == 0 {
                    format!("{h12}{suffix}")
                } else {
                    format!("{h12}:{m:02}{suffix}")
                }
            }
        }
    }
}

impl FromStr for TimeOfDay {
    type Err = BadTime;

    fn from_str(s: &str) -> Result<TimeOfDay, BadTime> {
        let bad = || BadTime(s.to_owned());
        let mut parts = s.trim().split(':');
        let mut number = |required: bool| -> Result<Option<u16>, BadTime> {
            match parts.next() {
                Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Some(p.parse().map_err(|_| bad())?))
                }
                None if !required => Ok(None),
                _ => Err(bad()),
            }
        };
        let hours = number(true)?.ok_or_else(bad)?;
        let minutes = number(true)?.ok_or_else(bad)?;
        if number(false)?.is_some_and(|seconds| seconds >= 60) {
            return Err(bad());
        }
        if parts.next().is_some() {
            return Err(bad());
        }
        TimeOfDay::from_hm(hours, minutes).ok_or_else(bad)
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hours(), self.minute())
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_publishers_write() {
        assert_eq!("09:30".parse(), Ok(TimeOfDay(570)));
        assert_eq!("9:30".parse(), Ok(TimeOfDay(570)));
        assert_eq!("17:00:00".parse(), Ok(TimeOfDay(1020)));
        for bad in ["24:00", "12:60", "noon", "12", "12:00:00:00", "", "1:2:99"] {
            assert!(bad.parse::<TimeOfDay>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn reads_aloud_as_people_say_it() {
        let t = |s: &str| s.parse::<TimeOfDay>().unwrap().plain();
        assert_eq!(t("09:00"), "9am");
        assert_eq!(t("12:30"), "12:30pm");
        assert_eq!(t("00:00"), "midnight");
        assert_eq!(t("12:00"), "midday");
        assert_eq!(t("19:45"), "7:45pm");
    }
}
