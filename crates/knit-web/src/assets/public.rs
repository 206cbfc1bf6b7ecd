//! The asset register on the public site: browse with filters (kind, free, capacity,
//! accessible, free at a time), one asset with its free times and the booking request form,
//! the request itself (no account; phone-friendly), and the iCalendar feeds of an asset and
//! of one booking. A person's offer shows only when they chose so, and never their contact.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeDelta, Utc};
use knit_domain::account::Email;
use knit_domain::assets::{
    AssetKind, Availability, Price, RequestForm, RequestProblem, SlotProblem, free_times, is_free,
};
use knit_domain::icalendar::calendar;
use knit_domain::opening::{uk_instant, uk_local};
use knit_domain::public_forms::PublicForm;
use knit_store::assets::{Asset, AssetBooking, AssetBookingError, AssetFilter, NewAssetBooking};
use uuid::Uuid;

use super::emails::{event, request_mail, slot_when};
use crate::kit::{
    ClientAddress, FieldError, Notice, PageError, PageResult, language, public_base_url,
    public_limit, render,
};
use crate::{AppState, Site};

/// Assets listed on one page of the browse.
const BROWSE_LIMIT: u32 = 200;
/// How far ahead free times are shown on an asset's page.
const FREE_DAYS: u32 = 14;

/// An asset as the public pages show it.
pub(crate) struct AssetView {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub area: String,
    pub capacity: String,
    pub accessible: bool,
    pub facilities: String,
    pub hire_terms: String,
    pub price: String,
    pub seats: String,
    pub wheelchair_places: String,
    pub who_may_drive: String,
    pub drivers_trained: bool,
    pub is_vehicle: bool,
    pub availability: Vec<String>,
}

impl AssetView {
    pub(crate) fn of(a: &Asset) -> AssetView {
        let d = &a.details;
        let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
        AssetView {
            id: a.id,
            kind: kind_name(a.kind),
            title: d.title.clone(),
            description: d.description.clone(),
            area: d.area.clone(),
            capacity: n(d.capacity),
            accessible: d.accessible,
            facilities: d.facilities.clone(),
            hire_terms: d.hire_terms.clone(),
            price: price_words(d.price()),
            seats: n(d.seats),
            wheelchair_places: n(d.wheelchair_places),
            who_may_drive: d.who_may_drive.clone(),
            drivers_trained: d.drivers_trained,
            is_vehicle: a.kind == AssetKind::Vehicle,
            availability: availability_words(&a.availability),
        }
    }
}

/// The browse filters as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct BrowseQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub free: Option<String>,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub accessible: Option<String>,
    /// Free on this date, from and to these times.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

struct KindChoice {
    code: &'static str,
    label: String,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "assets/browse.html")]
struct BrowsePage<'a> {
    site: &'a Site,
    query: BrowseQuery,
    kinds: Vec<KindChoice>,
    assets: Vec<AssetView>,
    error: Option<FieldError>,
}

fn time(text: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

/// `/assets`: browse the register.
pub(crate) async fn browse(
    State(state): State<AppState>,
    Query(query): Query<BrowseQuery>,
) -> PageResult {
    let mut error = None;
    let kind = AssetKind::from_code(query.kind.trim());
    let capacity = match query.capacity.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = Some(FieldError::new("capacity", crate::t("asset-bad-capacity")));
                None
            }
        },
    };
    let at_time = match (query.date.trim(), query.from.trim(), query.to.trim()) {
        ("", _, _) => None,
        (date, from, to) => match (
            NaiveDate::parse_from_str(date, "%Y-%m-%d"),
            time(from),
            time(to),
        ) {
            (Ok(date), Some(from), Some(to)) if to > from => {
                Some((date.and_time(from), date.and_time(to)))
            }
            (Err(_), _, _) => {
                error = Some(FieldError::new("date", crate::t("asset-bad-date")));
                None
            }
            _ => {
                error = Some(FieldError::new("from", crate::t("asset-bad-times")));
                None
            }
        },
    };
    let filter = AssetFilter {
        kind,
        free_only: query.free.is_some(),
        min_capacity: capacity,
        accessible_only: query.accessible.is_some(),
        public_only: true,
        owner: None,
    };
    let mut assets = state.store.assets(&filter, BROWSE_LIMIT).await?;
    if let Some((start, end)) = at_time {
        let ids: Vec<Uuid> = assets.iter().map(|a| a.id).collect();
        let booked = state
            .store
            .approved_slots(&ids, uk_instant(start), uk_instant(end))
            .await?;
        assets.retain(|a| {
            let taken = booked.get(&a.id).map(Vec::as_slice).unwrap_or(&[]);
            let free = free_times(&a.availability, taken, start.date(), 1);
            is_free(&free, start, end)
        });
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &BrowsePage {
            site: &state.site,
            kinds: AssetKind::ALL
                .iter()
                .map(|k| KindChoice {
                    code: k.code(),
                    label: kind_name(*k),
                    chosen: Some(*k) == kind,
                })
                .collect(),
            query,
            assets: assets.iter().map(AssetView::of).collect(),
            error,
        },
        status,
    ))
}

/// One free stretch, as the asset page lists it.
struct FreeTime {
    day: String,
    times: String,
}

#[derive(Template)]
#[template(path = "assets/asset.html")]
struct AssetPage<'a> {
    site: &'a Site,
    asset: AssetView,
    free: Vec<FreeTime>,
    form: RequestForm,
    error: Option<FieldError>,
}

pub(crate) async fn find(state: &AppState, id: &str) -> Result<Asset, PageError> {
    let missing = || {
        Notice::new(
            StatusCode::NOT_FOUND,
            crate::t("asset-no-such"),
            crate::t("asset-no-such-text"),
        )
        .link("/assets", crate::t("asset-browse"))
    };
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(missing().into());
    };
    match state.store.asset(id).await? {
        Some(asset) if asset.public => Ok(asset),
        _ => Err(missing().into()),
    }
}

async fn asset_page(
    state: &AppState,
    asset: &Asset,
    form: RequestForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let today = uk_local(Utc::now()).date();
    let from = today
        .and_hms_opt(0, 0, 0)
        .map(uk_instant)
        .unwrap_or_else(Utc::now);
    let to = from + TimeDelta::days(i64::from(FREE_DAYS));
    let taken = state
        .store
        .approved_slots(&[asset.id], from, to)
        .await?
        .remove(&asset.id)
        .unwrap_or_default();
    let now_local = uk_local(Utc::now());
    let free = free_times(&asset.availability, &taken, today, FREE_DAYS)
        .into_iter()
        .filter(|(_, end)| *end > now_local)
        .map(|(s, e)| FreeTime {
            day: language::long_date(s.date()),
            times: language::time_range(s.format("%H:%M"), e.format("%H:%M")),
        })
        .collect();
    Ok(render(
        &AssetPage {
            site: &state.site,
            asset: AssetView::of(asset),
            free,
            form,
            error,
        },
        status,
    ))
}

/// `/assets/{id}`: the asset, its free times and the request form.
pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let asset = find(&state, &id).await?;
    let tomorrow = uk_local(Utc::now()).date().succ_opt().unwrap_or_default();
    let form = RequestForm {
        date: tomorrow.to_string(),
        people: String::new(),
        repeat: "once".to_owned(),
        count: "1".to_owned(),
        ..RequestForm::default()
    };
    asset_page(&state, &asset, form, None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "assets/requested.html")]
struct RequestedPage<'a> {
    site: &'a Site,
    asset: AssetView,
    dates: Vec<String>,
    emailed: bool,
}

/// Who hears of a request for `asset`.
pub(crate) async fn owners(state: &AppState, asset: &Asset) -> Result<Vec<Email>, PageError> {
    Ok(super::reminders::owners(state.store.as_ref(), asset).await?)
}

/// `POST /assets/{id}/request`: asks for a slot (or a weekly or fortnightly run of them).
pub(crate) async fn request(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<RequestForm>,
) -> PageResult {
    let asset = find(&state, &id).await?;
    let again = |field: &'static str, text: String, status| {
        let state = state.clone();
        let asset = asset.clone();
        let form = form.clone();
        async move {
            asset_page(
                &state,
                &asset,
                form,
                Some(FieldError::new(field, text)),
                status,
            )
            .await
        }
    };
    let request = match form.parse(asset.details.capacity).map(|mut r| {
        r.requester.language = crate::kit::language::current();
        r
    }) {
        Ok(r) => r,
        Err(e) => {
            return again(
                e.field(),
                request_problem(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if !public_limit::admit(&state, PublicForm::AssetBooking, &address).await {
        return again(
            "name",
            crate::t("asset-too-many"),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let owners = owners(&state, &asset).await?;
    let now = Utc::now();
    let base_url = public_base_url(&headers);
    let site_name = state.site.name.clone();
    let mail = move |asset: &Asset, bookings: &[AssetBooking]| {
        request_mail(&base_url, &site_name, &owners, asset, bookings, now)
    };
    let made = state
        .store
        .request_booking(NewAssetBooking {
            asset_id: asset.id,
            request,
            at: now,
            mail: &mail,
        })
        .await;
    match made {
        Ok(bookings) => {
            tracing::info!(asset = %asset.id, occurrences = bookings.len(), "asset booking requested");
            Ok(render(
                &RequestedPage {
                    site: &state.site,
                    asset: AssetView::of(&asset),
                    dates: bookings.iter().map(|b| slot_when(&b.slot)).collect(),
                    emailed: !form.email.trim().is_empty(),
                },
                StatusCode::OK,
            ))
        }
        Err(AssetBookingError::Slot {
            occurrence,
            problem,
        }) => {
            let problem = slot_problem(problem);
            let text = if occurrence > 1 {
                language::t_with(
                    "asset-slot-nth",
                    &[
                        ("nth", &ordinal(occurrence)),
                        ("number", &occurrence.to_string()),
                        ("problem", &problem),
                    ],
                )
            } else {
                crate::t1("asset-slot-sorry", "problem", problem)
            };
            again("date", text, StatusCode::CONFLICT).await
        }
        Err(AssetBookingError::NoSuchAsset) => Err(Notice::new(
            StatusCode::NOT_FOUND,
            crate::t("asset-no-such"),
            crate::t("asset-not-found"),
        )
        .link("/assets", crate::t("asset-browse"))
        .into()),
        Err(e) => Err(PageError::internal(e)),
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The host name for calendar uids.
fn uid_host(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .and_then(|h| h.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("knit.invalid")
        .to_owned()
}

fn ics(body: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `/assets/{id}/calendar.ics`: the asset's approved bookings to come, without who booked.
pub(crate) async fn asset_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let asset = find(&state, &id).await?;
    let now = Utc::now();
    let base_url = public_base_url(&headers);
    let host = uid_host(&base_url);
    let events: Vec<_> = state
        .store
        .asset_bookings(asset.id, now)
        .await?
        .iter()
        .filter(|b| b.status == knit_domain::assets::BookingStatus::Approved)
        .map(|b| event(&asset, b, &base_url, &host, now))
        .collect();
    Ok(ics(
        calendar(
            &format!("{}: {}", state.site.name, asset.details.title),
            &events,
        ),
        "asset.ics",
    ))
}

/// `/asset-bookings/{id}/calendar.ics`: one approved booking (every occurrence of it).
pub(crate) async fn booking_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let missing = || {
        PageError::from(
            Notice::new(
                StatusCode::NOT_FOUND,
                crate::t("asset-no-such-booking"),
                crate::t("asset-no-such-booking-text"),
            )
            .link("/assets", crate::t("asset-browse")),
        )
    };
    let id = Uuid::parse_str(&id).map_err(|_| missing())?;
    let series = state.store.booking_series(id).await?;
    let approved: Vec<&AssetBooking> = series
        .iter()
        .filter(|b| b.status == knit_domain::assets::BookingStatus::Approved)
        .collect();
    let Some(first) = approved.first() else {
        return Err(missing());
    };
    let asset = state
        .store
        .asset(first.asset_id)
        .await?
        .ok_or_else(missing)?;
    let now = Utc::now();
    let base_url = public_base_url(&headers);
    let host = uid_host(&base_url);
    let events: Vec<_> = approved
        .iter()
        .map(|b| event(&asset, b, &base_url, &host, now))
        .collect();
    Ok(ics(
        calendar(
            &format!("{}: {}", state.site.name, asset.details.title),
            &events,
        ),
        "booking.ics",
    ))
}

/// A kind of asset in the page's language.
fn kind_name(kind: AssetKind) -> String {
    language::domain_words("asset-kind", kind.code(), kind.label())
}

/// "Free" or "£12.50 an hour" in the page's language.
fn price_words(price: Price) -> String {
    match price {
        Price::Free => crate::t("free"),
        Price::PerHour(p) => crate::t1(
            "asset-price-per-hour",
            "price",
            format!("£{}.{:02}", p / 100, p % 100),
        ),
    }
}

/// When an asset can be used, one line per rule, in the page's language.
fn availability_words(availability: &Availability) -> Vec<String> {
    if language::current() == language::Language::English {
        return availability.plain();
    }
    let times = |from: &chrono::NaiveTime, to: &chrono::NaiveTime| {
        language::time_range(from.format("%H:%M"), to.format("%H:%M"))
    };
    let mut lines: Vec<String> = availability
        .weekly
        .iter()
        .map(|w| {
            let name = language::day_name(w.day);
            let mut chars = name.chars();
            let day = chars
                .next()
                .map(|c| c.to_lowercase().collect::<String>() + chars.as_str())
                .unwrap_or_default();
            let times = times(&w.from, &w.to);
            language::domain_words_with(
                "availability",
                "weekly",
                "",
                &[("day", &day), ("times", &times)],
            )
        })
        .collect();
    for e in &availability.exceptions {
        let date = language::long_date_with_year(e.date);
        if e.open.is_empty() {
            lines.push(language::domain_words_with(
                "availability",
                "closed",
                "",
                &[("date", &date)],
            ));
        } else {
            for (from, to) in &e.open {
                let times = times(from, to);
                lines.push(language::domain_words_with(
                    "availability",
                    "only",
                    "",
                    &[("date", &date), ("times", &times)],
                ));
            }
        }
    }
    lines
}

/// What is wrong with a booking request, in the page's language.
fn request_problem(problem: &RequestProblem) -> String {
    use knit_domain::assets::MAX_OCCURRENCES;
    use knit_domain::validation::MAX_FREE_TEXT;
    match problem {
        RequestProblem::NoName => crate::t("group-no-name"),
        RequestProblem::NameTooLong => crate::t("group-name-too-long"),
        RequestProblem::NoContact => crate::t("asset-no-contact"),
        RequestProblem::BadPhone => crate::t("asset-bad-phone"),
        RequestProblem::BadEmail => crate::t("asset-bad-email"),
        RequestProblem::NoPurpose => crate::t("asset-no-purpose"),
        RequestProblem::PurposeTooLong => crate::t1("asset-purpose-too-long", "max", MAX_FREE_TEXT),
        RequestProblem::BadPeople => crate::t("asset-bad-people"),
        RequestProblem::TooManyPeople(n) => crate::t1("asset-too-many-people", "count", n),
        RequestProblem::BadDate => crate::t("asset-bad-date"),
        RequestProblem::BadFrom => crate::t("asset-bad-from"),
        RequestProblem::BadTo => crate::t("asset-bad-to"),
        RequestProblem::BadRepeat => crate::t("asset-bad-repeat"),
        RequestProblem::BadCount => crate::t1("asset-bad-count", "max", MAX_OCCURRENCES),
    }
}

/// Why a time cannot be asked for, in the page's language.
fn slot_problem(problem: SlotProblem) -> String {
    crate::t(match problem {
        SlotProblem::Backwards => "slot-backwards",
        SlotProblem::InPast => "slot-in-past",
        SlotProblem::OutsideAvailability => "slot-outside-availability",
        SlotProblem::Overlaps => "slot-overlaps",
    })
}
