//! What's on: this week's activities day by day (`/whatson` is `/whats-on`), one activity
//! with its next dates, a hub with what happens there this week, and the calendar feeds —
//! one per activity, hub and organisation and one for the whole place — each event with its
//! repeat rule (`RRULE`), in UK time.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate, NaiveDateTime, Utc};
use knit_domain::account::OrganizationId;
use knit_domain::activities::{ActivityPlan, Repeat, week_of};
use knit_domain::icalendar::{LocalEvent, local_calendar};
use knit_domain::opening::uk_local;
use knit_store::volunteering::{Activity, ActivityFilter, Hub};
use uuid::Uuid;

use crate::kit::{Notice, PageError, PageResult, language, public_base_url, render};
use crate::{AppState, Site};

pub(crate) struct Occurrence {
    pub id: Uuid,
    pub time: String,
    pub title: String,
    pub place: String,
}

pub(crate) struct Day {
    pub label: String,
    pub items: Vec<Occurrence>,
}

pub(crate) struct ActivityView {
    pub id: Uuid,
    pub title: String,
    pub when: String,
    pub place: String,
    pub description: String,
    pub next: Vec<String>,
}

fn place_of(a: &Activity, hubs: &HashMap<Uuid, Hub>) -> String {
    let hub = a.plan.hub.and_then(|h| hubs.get(&h));
    match (hub, a.plan.place.is_empty()) {
        (Some(h), true) => h.plan.name.clone(),
        (Some(h), false) => format!("{}, {}", a.plan.place, h.plan.name),
        (None, _) => a.plan.place.clone(),
    }
}

fn view(a: &Activity, hubs: &HashMap<Uuid, Hub>, today: NaiveDate) -> ActivityView {
    ActivityView {
        id: a.id,
        title: a.plan.title.clone(),
        when: when_of(&a.plan),
        place: place_of(a, hubs),
        description: a.plan.description.clone(),
        next: a
            .plan
            .occurrences(today, today + Days::new(120))
            .into_iter()
            .take(4)
            .map(|t| format!("{}, {}", language::long_date(t.date()), t.format("%H:%M")))
            .collect(),
    }
}

/// This week, Monday to Sunday, day by day; days already past are left out.
pub(crate) fn this_week(
    activities: &[Activity],
    hubs: &HashMap<Uuid, Hub>,
    today: NaiveDate,
) -> Vec<Day> {
    let (_, sunday) = week_of(today);
    let mut days = Vec::new();
    let mut day = today;
    while day <= sunday {
        let mut items: Vec<(chrono::NaiveDateTime, Occurrence)> = Vec::new();
        for a in activities {
            for start in a.plan.occurrences(day, day) {
                items.push((
                    start,
                    Occurrence {
                        id: a.id,
                        time: times(start, a.plan.ends(start)),
                        title: a.plan.title.clone(),
                        place: place_of(a, hubs),
                    },
                ));
            }
        }
        items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.title.cmp(&b.1.title)));
        days.push(Day {
            label: if day == today {
                crate::t1("activity-today", "date", language::long_date(day))
            } else {
                language::long_date(day)
            },
            items: items.into_iter().map(|(_, o)| o).collect(),
        });
        day = day + Days::new(1);
    }
    days
}

async fn hub_map(state: &AppState) -> Result<HashMap<Uuid, Hub>, PageError> {
    Ok(state
        .store
        .hubs()
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect())
}

struct HubLink {
    id: Uuid,
    name: String,
    address: String,
}

#[derive(Template)]
#[template(path = "activities/whats_on.html")]
struct WhatsOnPage<'a> {
    site: &'a Site,
    days: Vec<Day>,
    hubs: Vec<HubLink>,
    activities: Vec<ActivityView>,
}

fn today() -> NaiveDate {
    uk_local(Utc::now()).date()
}

/// `/whats-on`: this week, every activity, and the hubs.
pub(crate) async fn whats_on(State(state): State<AppState>) -> PageResult {
    let hubs = hub_map(&state).await?;
    let activities = state.store.activities(ActivityFilter::default()).await?;
    let today = today();
    let mut hub_links: Vec<HubLink> = hubs
        .values()
        .map(|h| HubLink {
            id: h.id,
            name: h.plan.name.clone(),
            address: h.plan.address.clone(),
        })
        .collect();
    hub_links.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(render(
        &WhatsOnPage {
            site: &state.site,
            days: this_week(&activities, &hubs, today),
            hubs: hub_links,
            activities: activities.iter().map(|a| view(a, &hubs, today)).collect(),
        },
        StatusCode::OK,
    ))
}

fn missing(what: &str) -> PageError {
    Notice::new(
        StatusCode::NOT_FOUND,
        crate::t(&format!("{what}-no-such")),
        crate::t(&format!("{what}-no-such-text")),
    )
    .link("/whats-on", crate::t("see-whats-on"))
    .into()
}

fn times(start: NaiveDateTime, end: NaiveDateTime) -> String {
    language::time_range(start.format("%H:%M"), end.format("%H:%M"))
}

/// When an activity happens ("Every Tuesday, 10:00 to 12:00"), in the page's language:
/// the domain words it in English.
fn when_of(plan: &ActivityPlan) -> String {
    if language::current() == language::Language::English {
        return plan.when();
    }
    let day_name = language::day_name;
    let times = times(plan.first, plan.ends(plan.first));
    let text = match &plan.repeat {
        Repeat::Once => language::long_date_with_year(plan.first.date()),
        Repeat::Weekly(days) => {
            let and = format!(" {} ", language::domain_words("repeat", "and", "and"));
            let days = days
                .iter()
                .map(|d| lower_first(&day_name(*d)))
                .collect::<Vec<_>>()
                .join(&and);
            language::domain_words_with("repeat", "weekly", "", &[("days", &days)])
        }
        Repeat::Monthly { ordinal, weekday } => {
            let name = day_name(*weekday);
            let bare = name.split_once(' ').map_or(name.as_str(), |(_, n)| n);
            let ordinal = ordinal.to_string();
            language::domain_words_with("repeat-monthly", &ordinal, "", &[("day", bare)])
        }
    };
    format!("{text}, {times}")
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

async fn find(state: &AppState, id: &str) -> Result<Activity, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| missing("activity"))?;
    state
        .store
        .activity(id)
        .await?
        .ok_or_else(|| missing("activity"))
}

async fn find_hub(state: &AppState, id: &str) -> Result<Hub, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| missing("hub"))?;
    state.store.hub(id).await?.ok_or_else(|| missing("hub"))
}

#[derive(Template)]
#[template(path = "activities/activity.html")]
struct ActivityPage<'a> {
    site: &'a Site,
    activity: ActivityView,
    hub: Option<HubLink>,
}

/// `/activities/{id}`: when it happens, the next dates, and its calendar.
pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let a = find(&state, &id).await?;
    let hubs = hub_map(&state).await?;
    let hub = a.plan.hub.and_then(|h| hubs.get(&h)).map(|h| HubLink {
        id: h.id,
        name: h.plan.name.clone(),
        address: h.plan.address.clone(),
    });
    Ok(render(
        &ActivityPage {
            site: &state.site,
            activity: view(&a, &hubs, today()),
            hub,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "activities/hub.html")]
struct HubPage<'a> {
    site: &'a Site,
    id: Uuid,
    name: String,
    address: String,
    description: String,
    days: Vec<Day>,
    activities: Vec<ActivityView>,
}

/// `/hubs/{id}`: the hub and what happens there this week.
pub(crate) async fn hub(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let hub = find_hub(&state, &id).await?;
    let hubs = hub_map(&state).await?;
    let activities = state
        .store
        .activities(ActivityFilter {
            hub: Some(hub.id),
            ..ActivityFilter::default()
        })
        .await?;
    let today = today();
    Ok(render(
        &HubPage {
            site: &state.site,
            id: hub.id,
            name: hub.plan.name.clone(),
            address: hub.plan.address.clone(),
            description: hub.plan.description.clone(),
            days: this_week(&activities, &hubs, today),
            activities: activities.iter().map(|a| view(a, &hubs, today)).collect(),
        },
        StatusCode::OK,
    ))
}

fn uid_host(base_url: &str) -> String {
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if host.is_empty() {
        "knit.invalid".to_owned()
    } else {
        host.to_owned()
    }
}

fn events(activities: &[Activity], hubs: &HashMap<Uuid, Hub>, base_url: &str) -> Vec<LocalEvent> {
    let host = uid_host(base_url);
    activities
        .iter()
        .map(|a| {
            let location = place_of(a, hubs);
            LocalEvent {
                uid: format!("activity-{}@{host}", a.id),
                stamp: a.changed_at,
                starts: a.plan.first,
                ends: a.plan.ends(a.plan.first),
                rrule: a.plan.rrule(),
                summary: a.plan.title.clone(),
                description: Some(a.plan.description.clone()).filter(|d| !d.is_empty()),
                location: Some(location).filter(|l| !l.is_empty()),
                url: Some(format!("{base_url}/activities/{}", a.id)),
            }
        })
        .collect()
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

async fn feed_of(
    state: &AppState,
    headers: &HeaderMap,
    filter: ActivityFilter,
    name: &str,
    file: &str,
) -> PageResult {
    let hubs = hub_map(state).await?;
    let activities = state.store.activities(filter).await?;
    let base = public_base_url(headers);
    Ok(ics(
        local_calendar(name, &events(&activities, &hubs, &base)),
        file,
    ))
}

/// `/activities/{id}/calendar.ics`: one activity with its repeat rule.
pub(crate) async fn activity_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let a = find(&state, &id).await?;
    let hubs = hub_map(&state).await?;
    let base = public_base_url(&headers);
    let name = format!("{}: {}", state.site.name, a.plan.title);
    Ok(ics(
        local_calendar(&name, &events(&[a], &hubs, &base)),
        "activity.ics",
    ))
}

/// `/whats-on.ics`: every activity in the place.
pub(crate) async fn place_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> PageResult {
    let name = format!("What's on in {}", state.site.area);
    feed_of(
        &state,
        &headers,
        ActivityFilter::default(),
        &name,
        "whats-on.ics",
    )
    .await
}

/// `/hubs/{id}/calendar.ics`: what happens at one hub.
pub(crate) async fn hub_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let hub = find_hub(&state, &id).await?;
    let filter = ActivityFilter {
        hub: Some(hub.id),
        ..ActivityFilter::default()
    };
    feed_of(
        &state,
        &headers,
        filter,
        &format!("What's on at {}", hub.plan.name),
        "hub.ics",
    )
    .await
}

/// `/organisations/{id}/activities.ics`: one organisation's activities.
pub(crate) async fn organisation_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let id = Uuid::parse_str(&id).map_err(|_| missing("organisation"))?;
    let org = state
        .store
        .organization(id)
        .await?
        .ok_or_else(|| missing("organisation"))?;
    let filter = ActivityFilter {
        organization: Some(OrganizationId(id)),
        ..ActivityFilter::default()
    };
    feed_of(
        &state,
        &headers,
        filter,
        &format!("{}: activities", org.name),
        "activities.ics",
    )
    .await
}
