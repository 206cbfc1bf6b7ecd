//! Place insight's rules, with no I/O: what an "area" is, how a search that found nothing
//! is recorded without anything personal, how response times and the published response
//! promise are worked out, which needs have no service near an area (gaps) and where
//! several organisations meet the same need (overlaps), and how wellbeing changes are
//! summed up. Every count these produce is published through [`crate::disclosure`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::geo::LatLon;
use crate::needs::NeedId;
use crate::opening;
use crate::postcode::Postcode;

/// The area figures are grouped by; a place chooses one with `KNIT_INSIGHT_AREA`
/// (`district`, the default, `sector`, `ward` or `authority`). Districts and sectors come
/// from a listing's postcode; wards and local authorities from where it is, placed by
/// [`crate::wards::WardMap`] once the wards are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AreaLevel {
    /// The postcode district (outcode), such as `EV1`.
    #[default]
    District,
    /// The postcode sector, such as `EV1 1`.
    Sector,
    /// The electoral ward, such as "Abbey (Barking and Dagenham)".
    Ward,
    /// The local authority (district or unitary council), such as "Barking and Dagenham".
    LocalAuthority,
}

impl AreaLevel {
    pub fn parse(text: &str) -> Option<AreaLevel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "district" | "outcode" => Some(AreaLevel::District),
            "sector" => Some(AreaLevel::Sector),
            "ward" => Some(AreaLevel::Ward),
            "authority" | "local-authority" | "la" => Some(AreaLevel::LocalAuthority),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AreaLevel::District => "postcode district",
            AreaLevel::Sector => "postcode sector",
            AreaLevel::Ward => "ward",
            AreaLevel::LocalAuthority => "local authority",
        }
    }

    /// Whether areas at this level are placed from the ward lookup rather than postcodes.
    pub fn needs_wards(self) -> bool {
        matches!(self, AreaLevel::Ward | AreaLevel::LocalAuthority)
    }

    /// The level a postcode alone can name. A search that found nothing keeps its
    /// postcode's area, never its position, so at ward and authority level it is counted
    /// by district.
    pub fn of_postcodes(self) -> AreaLevel {
        match self {
            AreaLevel::Sector => AreaLevel::Sector,
            _ => AreaLevel::District,
        }
    }

    /// The area a postcode (full, sector or district) falls in at this level; a district
    /// asked for at sector level has none, and neither has any postcode at ward or
    /// authority level. Never the full postcode.
    pub fn area_of(self, postcode: &Postcode) -> Option<String> {
        let text = postcode.to_string();
        let district = text.split(' ').next().unwrap_or(&text).to_owned();
        match (self, postcode) {
            (AreaLevel::District, _) => Some(district),
            (AreaLevel::Sector, Postcode::Full(p)) => {
                let (out, inward) = p.split_once(' ')?;
                Some(format!("{out} {}", inward.chars().next()?))
            }
            (AreaLevel::Sector, Postcode::Sector(s)) => Some(s.clone()),
            (AreaLevel::Sector, Postcode::District(_)) => None,
            (AreaLevel::Ward | AreaLevel::LocalAuthority, _) => None,
        }
    }

    /// The area of a postcode as typed in an address, if it is one.
    pub fn area_of_text(self, postal_code: &str) -> Option<String> {
        self.area_of(&Postcode::parse(postal_code).ok()?)
    }

    /// The area of a place from the wards, at ward or authority level.
    pub fn area_of_place(self, wards: &crate::wards::WardMap, at: LatLon) -> Option<String> {
        let ward = wards.ward_of(at)?;
        match self {
            AreaLevel::Ward => Some(ward.label()),
            AreaLevel::LocalAuthority => Some(ward.authority.clone()),
            AreaLevel::District | AreaLevel::Sector => None,
        }
    }
}

/// At most this many words of a search are kept.
pub const MISS_WORDS: usize = 6;
/// At most this many characters of a search are kept.
pub const MISS_CHARS: usize = 60;

/// The words of a search that found nothing, made safe to count: lower case, letters only,
/// in the order typed, at most [`MISS_WORDS`] words. Anything with a digit or an `@` (a
/// phone number, a postcode, an email address, a house number) is dropped, so no address
/// or contact detail is ever kept. `None` when nothing is left.
pub fn miss_words(query: &str) -> Option<String> {
    let mut out = String::new();
    for word in query.split_whitespace() {
        if word.chars().any(|c| c.is_ascii_digit() || c == '@') {
            continue;
        }
        let word: String = word
            .chars()
            .filter(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
            .flat_map(char::to_lowercase)
            .collect();
        let word = word.trim_matches(|c| c == '-' || c == '\'');
        if word.is_empty() {
            continue;
        }
        if out.split(' ').filter(|w| !w.is_empty()).count() >= MISS_WORDS
            || out.chars().count() + word.chars().count() + 1 > MISS_CHARS
        {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// The month a count belongs to, as stored: `YYYY-MM`.
pub fn month_of(day: NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// How long search misses are kept.
pub const MISSES_KEPT_MONTHS: u32 = 12;

/// The first month still kept on `today`: misses of earlier months are purged.
pub fn first_kept_month(today: NaiveDate) -> String {
    let first = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(chrono::Months::new(MISSES_KEPT_MONTHS - 1)))
        .unwrap_or(today);
    month_of(first)
}

/// Working days from a referral's sending to an answer, from the weekday it was sent and
/// the calendar days between: the same count as `referral::working_days_between`, which
/// is how the store can group answers by (weekday, days) instead of reading each one.
pub fn working_days(sent_on: Weekday, calendar_days: u32) -> u32 {
    let start = NaiveDate::from_isoywd_opt(2024, 10, sent_on).expect("a real week");
    let end = start + chrono::Days::new(u64::from(calendar_days));
    crate::referral::working_days_between(start, end)
}

/// Values with how many times each occurred: a histogram in which percentiles are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram(BTreeMap<u32, u64>);

impl Histogram {
    pub fn add(&mut self, value: u32, count: u64) {
        *self.0.entry(value).or_default() += count;
    }

    pub fn n(&self) -> u64 {
        self.0.values().sum()
    }

    /// The nearest-rank percentile `p` (0–100): the smallest value with at least `p`% of
    /// the values at or below it. `None` when empty.
    pub fn percentile(&self, p: u32) -> Option<u32> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let rank = (u64::from(p) * n).div_ceil(100).max(1);
        let mut seen = 0;
        for (value, count) in &self.0 {
            seen += count;
            if seen >= rank {
                return Some(*value);
            }
        }
        self.0.keys().next_back().copied()
    }

    pub fn median(&self) -> Option<u32> {
        self.percentile(50)
    }
}

/// Referrals an organisation needs to have answered in the last [`PROMISE_DAYS`] days
/// before a response promise is published for it.
pub const PROMISE_MIN_REFERRALS: u64 = crate::disclosure::MIN_BASE;
/// The window the response promise is worked out from.
pub const PROMISE_DAYS: i64 = 90;

/// "Usually answers referrals within N working days": the median of the first answers in
/// the window, rounded up to at least one day, when there are enough of them.
pub fn response_promise(answers: &Histogram) -> Option<u32> {
    if answers.n() < PROMISE_MIN_REFERRALS {
        return None;
    }
    answers.median().map(|d| d.max(1))
}

/// The words of a response promise.
pub fn promise_text(days: u32) -> String {
    if days == 1 {
        "Usually answers referrals within 1 working day".to_owned()
    } else {
        format!("Usually answers referrals within {days} working days")
    }
}

/// A place where a need is met: one of a service's locations, with its organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyPoint {
    pub need: NeedId,
    pub position: LatLon,
}

/// An area with its centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPoint {
    pub area: String,
    pub position: LatLon,
}

/// A need with no service within the distance of an area.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    pub area: String,
    pub need: NeedId,
}

/// For each area and each need asked about, whether any service meeting the need has a
/// place within `within_km` of the area's centre. Returns the gaps, by area then need.
pub fn gaps(
    areas: &[AreaPoint],
    needs: &BTreeSet<NeedId>,
    supply: &[SupplyPoint],
    within_km: f64,
) -> Vec<Gap> {
    // Places meeting each need, in square cells at least `within_km` tall, so an area
    // looks only at the cells a place within reach could be in: by ward, thousands of areas
    // each compared with every place took 180 ms for one distance.
    let cell = (within_km / KM_PER_DEGREE).max(1e-6);
    let cell_of = |p: LatLon| ((p.lat / cell).floor() as i64, (p.lon / cell).floor() as i64);
    let mut by_need: BTreeMap<NeedId, HashMap<(i64, i64), Vec<LatLon>>> = BTreeMap::new();
    for point in supply {
        by_need
            .entry(point.need)
            .or_default()
            .entry(cell_of(point.position))
            .or_default()
            .push(point.position);
    }
    let mut out = Vec::new();
    for area in areas {
        let (row, col) = cell_of(area.position);
        // How far in longitude a place in reach can be: the haversine bound at the highest
        // latitude such a place can have, where degrees of longitude are shortest.
        let highest = (area.position.lat.abs() + cell).min(90.0).to_radians();
        let reach = 2.0
            * ((within_km / (2.0 * crate::geo::EARTH_RADIUS_KM)).sin() / highest.cos().max(1e-9))
                .min(1.0)
                .asin();
        let columns = (reach.to_degrees() / cell).ceil().min(1e7) as i64 + 1;
        for need in needs {
            let near = by_need.get(need).is_some_and(|cells| {
                (row - 1..=row + 1).any(|r| {
                    (col - columns..=col + columns).any(|c| {
                        cells.get(&(r, c)).is_some_and(|points| {
                            points
                                .iter()
                                .any(|p| p.distance_km(area.position) <= within_km)
                        })
                    })
                })
            });
            if !near {
                out.push(Gap {
                    area: area.area.clone(),
                    need: *need,
                });
            }
        }
    }
    out.sort();
    out
}

/// Kilometres in a degree of latitude, on the sphere [`LatLon::distance_km`] measures.
const KM_PER_DEGREE: f64 = crate::geo::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Several organisations meeting the same need in the same area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap<O> {
    pub area: String,
    pub need: NeedId,
    pub organizations: Vec<O>,
}

/// The overlaps among (area, need, organisation) rows: every area and need met by two or
/// more organisations, most organisations first.
pub fn overlaps<O: Ord + Clone>(rows: &[(String, NeedId, O)]) -> Vec<Overlap<O>> {
    let mut cells: BTreeMap<(String, NeedId), BTreeSet<O>> = BTreeMap::new();
    for (area, need, org) in rows {
        cells
            .entry((area.clone(), *need))
            .or_default()
            .insert(org.clone());
    }
    let mut out: Vec<Overlap<O>> = cells
        .into_iter()
        .filter(|(_, orgs)| orgs.len() >= 2)
        .map(|((area, need), orgs)| Overlap {
            area,
            need,
            organizations: orgs.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.organizations
            .len()
            .cmp(&a.organizations.len())
            .then_with(|| (&a.area, a.need).cmp(&(&b.area, b.need)))
    });
    out
}

/// Minutes a week a schedule is open, from its stored fields: weekly schedules with
/// opening and closing times count each day they name; anything else (a monthly meeting,
/// a schedule without times) counts nothing, as it cannot be said per week.
pub fn weekly_minutes(
    freq: Option<&str>,
    byday: Option<&str>,
    opens_at: Option<u16>,
    closes_at: Option<u16>,
) -> u32 {
    let weekly = freq.is_some_and(|f| f.eq_ignore_ascii_case("weekly"));
    let (Some(opens), Some(closes)) = (opens_at, closes_at) else {
        return 0;
    };
    if !weekly || closes <= opens {
        return 0;
    }
    let days = opening::parse_byday(byday.unwrap_or(""))
        .iter()
        .filter(|d| d.ordinal.is_none())
        .count() as u32;
    days * u32::from(closes - opens)
}

/// One person's wellbeing, before and after: the first measure of a kind and the last one
/// recorded after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WellbeingSummary {
    /// People with a measure before and after.
    pub n: u64,
    /// Of those, whose change was meaningful and for the better.
    pub better: u64,
    /// Whose change was meaningful and for the worse.
    pub worse: u64,
}

impl WellbeingSummary {
    /// Adds one person's change.
    pub fn add(&mut self, change: &crate::wellbeing::Change) {
        self.n += 1;
        match meaningful(change) {
            Some(true) => self.better += 1,
            Some(false) => self.worse += 1,
            None => {}
        }
    }
}

/// A meaningful ONS4 change is a move of at least [`ONS4_MEANINGFUL_POINTS`] points on
/// life satisfaction (the headline question); SWEMWBS uses the scale's own threshold.
/// `Some(true)` better, `Some(false)` worse, `None` not meaningful.
pub fn meaningful(change: &crate::wellbeing::Change) -> Option<bool> {
    use crate::wellbeing::{Change, Direction, Ons4Question};
    match change {
        Change::Ons4(c) => {
            let item = c.item(Ons4Question::LifeSatisfaction);
            (item.difference().unsigned_abs() >= ONS4_MEANINGFUL_POINTS)
                .then(|| item.direction() == Direction::Improved)
        }
        Change::Swemwbs(c) => c
            .is_meaningful()
            .then(|| c.direction() == Direction::Improved),
    }
}

/// A change of this many points (of 10) in ONS4 life satisfaction counts as meaningful for
/// one person: a move of a whole band in the ONS's thresholds is about two points.
pub const ONS4_MEANINGFUL_POINTS: u8 = 2;

#[cfg(test)]
mod tests;
