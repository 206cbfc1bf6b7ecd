//! Volunteer match events: the public list (`/volunteer/events`; booking is training's, at
//! `/training/{id}`), the place lead's events with the organisations coming
//! (`/staff/volunteering/events`), one event with who met whom and how each meeting stands
//! (`/staff/volunteering/events/{id}`), and the follow-up the place leads are sent a month
//! after each event.
//!
//! The rules are `knit_domain::match_events`; a meeting about a role is an offer to
//! volunteer for it, answered and chased like any other.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use knit_domain::account::OrganizationId;
use knit_domain::match_events::{
    ComingOrganisations, FollowUp, MeetingForm, follow_up_due, follow_up_due_if_ended_by,
};
use knit_domain::opening::uk_local;
use knit_domain::training::{BookingStatus, SessionForm};
use knit_store::match_events::{EventsWhen, MatchEvent, MatchEventError, Meeting, NewMeeting};
use knit_store::{Store, StoreError};
use uuid::Uuid;

use crate::kit::{
    Allowed, FieldError, PageError, PageResult, emailed_link, render, see_other, with_repeated,
};
use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::place_leads;
use crate::training::SessionView;
use crate::training::emails::when;
use crate::{AppState, Site};

/// Events listed at once, upcoming and past each.
const LISTED: u32 = 50;
/// Organisations offered on the plan form.
const ORGANISATIONS_OFFERED: u32 = 1_000;

/// An event as a list shows it.
struct EventRow {
    session: SessionView,
    coming: Vec<String>,
}

impl EventRow {
    fn of(event: &MatchEvent) -> EventRow {
        EventRow {
            session: SessionView::of(&event.session),
            coming: event.listed_names(),
        }
    }
}

#[derive(Template)]
#[template(path = "volunteering/events.html")]
struct PublicList<'a> {
    site: &'a Site,
    events: Vec<EventRow>,
}

/// `/volunteer/events`: the match events still to come, with who is coming.
pub(crate) async fn public_list(State(state): State<AppState>) -> PageResult {
    let events = state
        .store
        .match_events(EventsWhen::Upcoming(Utc::now()), LISTED)
        .await?;
    Ok(render(
        &PublicList {
            site: &state.site,
            events: events.iter().map(EventRow::of).collect(),
        },
        StatusCode::OK,
    ))
}

/// The organisations that may be ticked as coming, those with roles first.
struct OrgChoice {
    id: String,
    name: String,
    roles: usize,
    ticked: bool,
}

/// The plan form as typed: the session's fields and the organisations ticked.
#[derive(Debug, Clone, Default)]
pub(crate) struct PlanForm {
    session: SessionForm,
    organizations: Vec<String>,
}

#[derive(Template)]
#[template(path = "volunteering/staff_events.html")]
struct StaffList<'a> {
    site: &'a Site,
    csrf: String,
    upcoming: Vec<EventRow>,
    past: Vec<EventRow>,
    organizations: Vec<OrgChoice>,
    form: SessionForm,
    error: Option<FieldError>,
}

async fn staff_list_page(
    state: &AppState,
    allowed: &Allowed,
    form: PlanForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let store = state.store.as_ref();
    let now = Utc::now();
    let upcoming = store
        .match_events(EventsWhen::Upcoming(now), LISTED)
        .await?;
    let past = store.match_events(EventsWhen::Past(now), LISTED).await?;
    let mut roles: BTreeMap<Uuid, usize> = BTreeMap::new();
    for role in store
        .organization_opportunities(None, ORGANISATIONS_OFFERED)
        .await?
    {
        if role.open {
            *roles.entry(role.plan.organization.0).or_default() += 1;
        }
    }
    let mut organizations: Vec<OrgChoice> = store
        .organizations(0, ORGANISATIONS_OFFERED)
        .await?
        .into_iter()
        .map(|o| OrgChoice {
            ticked: form
                .organizations
                .iter()
                .any(|t| t.trim() == o.id.to_string()),
            roles: roles.get(&o.id).copied().unwrap_or(0),
            id: o.id.to_string(),
            name: o.name,
        })
        .collect();
    // Organisations looking for volunteers come first: they are the ones an event is for.
    organizations.sort_by(|a, b| (b.roles > 0).cmp(&(a.roles > 0)).then(a.name.cmp(&b.name)));
    Ok(render(
        &StaffList {
            site: &state.site,
            csrf: allowed.csrf(),
            upcoming: upcoming.iter().map(EventRow::of).collect(),
            past: past.iter().map(EventRow::of).collect(),
            organizations,
            form: form.session,
            error,
        },
        status,
    ))
}

/// `/staff/volunteering/events`: the events, and a form to plan one.
pub(crate) async fn staff_list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    staff_list_page(&state, &allowed, PlanForm::default(), None, StatusCode::OK).await
}

/// `POST /staff/volunteering/events`: plans an event with the organisations coming.
pub(crate) async fn plan(
    State(state): State<AppState>,
    allowed: Allowed,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (session, organizations) = with_repeated(pairs, "organizations")?;
    let form = PlanForm {
        session,
        organizations,
    };
    let now = Utc::now();
    let checked = form
        .session
        .plan_match_event(now)
        .map_err(|e| FieldError::new(e.field(), e))
        .and_then(|plan| {
            ComingOrganisations::ticked(&form.organizations)
                .map(|coming| (plan, coming))
                .map_err(|e| FieldError::new(e.field(), e))
        });
    let (plan, coming) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            return staff_list_page(
                &state,
                &allowed,
                form,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .plan_match_event(&plan, &coming, allowed.stamp.clone())
        .await
    {
        Ok(event) => {
            tracing::info!(
                event = %event.session.id,
                coming = coming.ids().len(),
                "match event planned"
            );
            Ok(see_other(format!(
                "/staff/volunteering/events/{}",
                event.session.id
            )))
        }
        Err(MatchEventError::BadEvent(e)) => {
            staff_list_page(
                &state,
                &allowed,
                form,
                Some(FieldError::new(e.field(), e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

struct Choice {
    id: String,
    label: String,
}

/// The roles of one organisation coming, for the meeting form's groups.
struct RoleGroup {
    organization: String,
    roles: Vec<Choice>,
}

struct MeetingRow {
    volunteer: String,
    organization: String,
    role: Option<String>,
    status: &'static str,
    offer: Option<Uuid>,
    recorded: String,
}

#[derive(Template)]
#[template(path = "volunteering/staff_event.html")]
struct EventPage<'a> {
    site: &'a Site,
    csrf: String,
    event: EventRow,
    id: Uuid,
    follow_up: FollowUp,
    month_on: bool,
    follow_up_date: String,
    meetings: Vec<MeetingRow>,
    volunteers: Vec<Choice>,
    organizations: Vec<Choice>,
    roles: Vec<RoleGroup>,
    form: MeetingForm,
    error: Option<FieldError>,
}

fn organisation_name(event: &MatchEvent, org: OrganizationId) -> String {
    event
        .coming
        .iter()
        .find(|c| c.organization == org)
        .and_then(|c| c.name.clone())
        .unwrap_or_else(|| "An organisation no longer listed".to_owned())
}

fn meeting_row(event: &MatchEvent, m: &Meeting) -> MeetingRow {
    MeetingRow {
        volunteer: m.volunteer.clone(),
        organization: organisation_name(event, m.organization),
        role: m.role.as_ref().map(|r| r.title.clone()),
        status: m
            .role
            .as_ref()
            .map(|r| r.status.label())
            .unwrap_or("Talked without a role in mind"),
        offer: m.role.as_ref().map(|r| r.interest),
        recorded: uk_local(m.recorded_at).format("%-d %b %Y").to_string(),
    }
}

async fn find(state: &AppState, id: &str) -> Result<MatchEvent, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("match event"))?;
    state
        .store
        .match_event(id)
        .await?
        .ok_or(PageError::NotFound("match event"))
}

async fn event_page(
    state: &AppState,
    allowed: &Allowed,
    event: MatchEvent,
    form: MeetingForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let store = state.store.as_ref();
    let id = event.session.id;
    allowed.audit_read(state, "match_event", id).await;
    let meetings = store.meetings(id).await?;
    let volunteers = store
        .bookings(id)
        .await?
        .into_iter()
        .filter(|b| b.status.holds_a_seat())
        .map(|b| Choice {
            id: b.id.to_string(),
            label: if b.status == BookingStatus::Attended {
                b.name
            } else {
                format!("{} (not marked present)", b.name)
            },
        })
        .collect();
    let mut roles = Vec::new();
    for c in &event.coming {
        let open: Vec<Choice> = store
            .organization_opportunities(Some(c.organization), ORGANISATIONS_OFFERED)
            .await?
            .into_iter()
            .filter(|r| r.open)
            .map(|r| Choice {
                id: r.id.to_string(),
                label: r.plan.title,
            })
            .collect();
        if !open.is_empty() {
            roles.push(RoleGroup {
                organization: organisation_name(&event, c.organization),
                roles: open,
            });
        }
    }
    let organizations = event
        .coming
        .iter()
        .map(|c| Choice {
            id: c.organization.0.to_string(),
            label: organisation_name(&event, c.organization),
        })
        .collect();
    let due = follow_up_due(event.session.ends_at);
    Ok(render(
        &EventPage {
            site: &state.site,
            csrf: allowed.csrf(),
            id,
            follow_up: FollowUp::of(meetings.iter().map(Meeting::offer_status)),
            month_on: Utc::now() >= due,
            follow_up_date: uk_local(due).format("%-d %B %Y").to_string(),
            meetings: meetings.iter().map(|m| meeting_row(&event, m)).collect(),
            event: EventRow::of(&event),
            volunteers,
            organizations,
            roles,
            form,
            error,
        },
        status,
    ))
}

/// `/staff/volunteering/events/{id}`: who is coming, who met whom, and how it went.
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let event = find(&state, &id).await?;
    event_page(
        &state,
        &allowed,
        event,
        MeetingForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/volunteering/events/{id}/meetings`: records who met whom; a meeting about
/// a role sends the organisation an offer to volunteer for it.
pub(crate) async fn record_meeting(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<MeetingForm>,
) -> PageResult {
    let event = find(&state, &id).await?;
    let again = |event, form, error: FieldError| {
        let (state, allowed) = (&state, &allowed);
        async move {
            event_page(
                state,
                allowed,
                event,
                form,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let plan = match form.plan() {
        Ok(plan) => plan,
        Err(e) => return again(event, form, FieldError::new(e.field(), e)).await,
    };
    let offer_message = format!(
        "We met at {} ({}).",
        knit_domain::validation::one_line(&event.session.title),
        when(&event.session)
    );
    let recorded = state
        .store
        .record_meeting(NewMeeting {
            event: event.session.id,
            plan,
            offer_message,
            stamp: allowed.stamp.clone(),
        })
        .await;
    match recorded {
        Ok(meeting) => {
            tracing::info!(event = %event.session.id, meeting = %meeting.id, "meeting recorded");
            Ok(see_other(format!(
                "/staff/volunteering/events/{}#meetings",
                event.session.id
            )))
        }
        Err(MatchEventError::Refused(why)) => {
            again(event, form, FieldError::new(why.field(), why)).await
        }
        Err(MatchEventError::NoSuchEvent) => Err(PageError::NotFound("match event")),
        Err(e) => Err(PageError::internal(e)),
    }
}

/// What one follow-up pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUpPass {
    pub events: u32,
    pub emails: u32,
}

fn follow_up_body(event: &MatchEvent, f: &FollowUp, link: &str) -> String {
    format!(
        "A month ago {title} ({when}) brought volunteers and {organisations} organisations \
         together. {meetings} meetings were recorded. Where they stand now:\n\n\
         - placed: {placed}\n- in touch: {in_touch}\n- waiting for an answer: {waiting}\n\
         - not suitable: {not_suitable}\n- withdrew: {withdrew}\n\
         - talked without a role in mind: {no_role}\n\n\
         Who met whom, and each offer: {link}\n",
        title = knit_domain::validation::one_line(&event.session.title),
        when = when(&event.session),
        organisations = event.coming.len(),
        meetings = f.meetings,
        placed = f.placed,
        in_touch = f.in_touch,
        waiting = f.waiting,
        not_suitable = f.not_suitable,
        withdrew = f.withdrew,
        no_role = f.no_role,
    )
}

/// Sends the place leads each event's follow-up once it is a month old, once: the figures
/// and a link, naming nobody.
pub async fn send_follow_ups(
    store: &dyn Store,
    now: DateTime<Utc>,
) -> Result<FollowUpPass, StoreError> {
    let mut pass = FollowUpPass::default();
    let ended_by = follow_up_due_if_ended_by(now);
    for event in store.match_events_to_follow_up(ended_by, 100).await? {
        // Noted first: if two instances look at once, only one sends.
        if !store.mark_followed_up(event.session.id, now).await? {
            continue;
        }
        pass.events += 1;
        let meetings = store.meetings(event.session.id).await?;
        let figures = FollowUp::of(meetings.iter().map(Meeting::offer_status));
        let link = emailed_link(&format!("/staff/volunteering/events/{}", event.session.id));
        let body = follow_up_body(&event, &figures, &link);
        for lead in place_leads(store).await? {
            let message = Message {
                to: lead.email.clone(),
                subject: format!(
                    "A month on from {}",
                    knit_domain::validation::one_line(&event.session.title)
                ),
                body: body.clone(),
            };
            enqueue_email(store, message, now).await?;
            pass.emails += 1;
        }
    }
    Ok(pass)
}
