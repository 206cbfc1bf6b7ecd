//! The activities page (`/staff/activities`): the activities the visitor looks after, a form
//! to add one (once, weekly, or monthly on the same weekday of the month or the last), the
//! import of a partner's iCalendar feed, fetched by the server within bounds and stored
//! whole or not at all, and for place leads a form to add a hub. Who may is
//! `Action::ManageActivities`: partner staff for their own organisation's activities, place
//! leads for every activity, the place's own and the hubs.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use knit_domain::access::Action;
use knit_domain::account::OrganizationId;
use knit_domain::activities::{ActivityForm, HubPlan, read_feed};
use knit_store::volunteering::ActivityFilter;
use serde::Deserialize;
use uuid::Uuid;

use super::feed::fetch;
use crate::kit::{Allowed, FieldError, PageError, PageResult, render, see_other};
use crate::{AppState, Site};

struct Choice {
    id: String,
    name: String,
}

struct Row {
    id: Uuid,
    title: String,
    when: String,
    imported: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ImportForm {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub hub: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct HubForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Template)]
#[template(path = "activities/staff.html")]
struct StaffPage<'a> {
    site: &'a Site,
    csrf: String,
    activities: Vec<Row>,
    hubs: Vec<Choice>,
    organizations: Vec<Choice>,
    form: ActivityForm,
    feed: ImportForm,
    hub_form: HubForm,
    imported: String,
    /// Whether the visitor adds hubs and the place's own activities (a place lead).
    place_wide: bool,
    error: Option<FieldError>,
}

struct Typed {
    form: ActivityForm,
    import: ImportForm,
    hub_form: HubForm,
    imported: String,
}

impl Default for Typed {
    fn default() -> Typed {
        Typed {
            form: ActivityForm {
                repeat: "weekly".to_owned(),
                ..ActivityForm::default()
            },
            import: ImportForm::default(),
            hub_form: HubForm::default(),
            imported: String::new(),
        }
    }
}

/// What the visitor looks after: every activity (`None`), or their organisations'
/// (`Some`). Refused when neither.
async fn reach(
    state: &AppState,
    allowed: &mut Allowed,
) -> Result<Option<Vec<OrganizationId>>, PageError> {
    let reach = allowed.reach(Action::ManageActivities);
    // Asked for one of their organisations, so that someone with none is refused.
    let asked = reach
        .as_ref()
        .map(|own| own.first().copied().unwrap_or(Action::EXAMPLE_ORGANIZATION));
    allowed
        .require(state, &Action::ManageActivities(asked))
        .await?;
    Ok(reach)
}

async fn page(
    state: &AppState,
    allowed: &Allowed,
    reach: &Option<Vec<OrganizationId>>,
    typed: Typed,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let filters: Vec<ActivityFilter> = match reach {
        None => vec![ActivityFilter::default()],
        Some(orgs) => orgs
            .iter()
            .map(|o| ActivityFilter {
                organization: Some(*o),
                ..ActivityFilter::default()
            })
            .collect(),
    };
    let mut activities = Vec::new();
    for filter in filters {
        activities.extend(
            state
                .store
                .activities(filter)
                .await?
                .into_iter()
                .map(|a| Row {
                    id: a.id,
                    title: a.plan.title.clone(),
                    when: a.plan.when(),
                    imported: a.feed.is_some(),
                }),
        );
    }
    let hubs = state
        .store
        .hubs()
        .await?
        .into_iter()
        .map(|h| Choice {
            id: h.id.to_string(),
            name: h.plan.name,
        })
        .collect();
    let organizations = match reach {
        None => state
            .store
            .organizations(0, 1_000)
            .await?
            .into_iter()
            .map(|o| Choice {
                id: o.id.to_string(),
                name: o.name,
            })
            .collect(),
        Some(orgs) => {
            let mut own = Vec::new();
            for org in orgs {
                if let Some(o) = state.store.organization(org.0).await? {
                    own.push(Choice {
                        id: o.id.to_string(),
                        name: o.name,
                    });
                }
            }
            own
        }
    };
    Ok(render(
        &StaffPage {
            site: &state.site,
            csrf: allowed.csrf(),
            activities,
            hubs,
            organizations,
            form: typed.form,
            feed: typed.import,
            hub_form: typed.hub_form,
            imported: typed.imported,
            place_wide: reach.is_none(),
            error,
        },
        status,
    ))
}

/// `/staff/activities`.
pub(crate) async fn list(State(state): State<AppState>, mut allowed: Allowed) -> PageResult {
    let reach = reach(&state, &mut allowed).await?;
    page(
        &state,
        &allowed,
        &reach,
        Typed::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/activities`: adds an activity.
pub(crate) async fn add(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Form(form): Form<ActivityForm>,
) -> PageResult {
    let reach = reach(&state, &mut allowed).await?;
    match form.plan() {
        Ok(plan) => {
            allowed
                .require(&state, &Action::ManageActivities(plan.organization))
                .await?;
            let activity = state
                .store
                .add_activity(&plan, allowed.stamp.clone())
                .await?;
            Ok(see_other(format!("/activities/{}", activity.id)))
        }
        Err(e) => {
            let typed = Typed {
                form,
                ..Typed::default()
            };
            page(
                &state,
                &allowed,
                &reach,
                typed,
                Some(FieldError::new(e.field, e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /staff/hubs`: adds a hub.
pub(crate) async fn add_hub(
    State(state): State<AppState>,
    allowed: Allowed,
    Form(form): Form<HubForm>,
) -> PageResult {
    match HubPlan::parse(&form.name, &form.address, &form.description) {
        Ok(plan) => {
            let hub = state.store.add_hub(&plan, allowed.stamp.clone()).await?;
            Ok(see_other(format!("/hubs/{}", hub.id)))
        }
        Err(e) => {
            let field = match e.field {
                "name" => "hub_name",
                "address" => "hub_address",
                _ => "hub_description",
            };
            let typed = Typed {
                hub_form: form,
                ..Typed::default()
            };
            page(
                &state,
                &allowed,
                &None,
                typed,
                Some(FieldError::new(field, e.message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /staff/activities/import`: fetches a partner's feed and stores its events, or
/// refuses it whole.
pub(crate) async fn import(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Form(form): Form<ImportForm>,
) -> PageResult {
    let reach = reach(&state, &mut allowed).await?;
    let organization = match form.organization.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id).map(|id| Some(OrganizationId(id))),
    };
    if let Ok(organization) = organization {
        allowed
            .require(&state, &Action::ManageActivities(organization))
            .await?;
    }
    let again = |form: ImportForm, message: String| {
        let (state, allowed, reach) = (&state, &allowed, &reach);
        async move {
            let typed = Typed {
                import: form,
                ..Typed::default()
            };
            page(
                state,
                allowed,
                reach,
                typed,
                Some(FieldError::new("url", message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let Ok(organization) = organization else {
        return again(form, "Choose an organisation from the list".to_owned()).await;
    };
    let hub = match form.hub.trim() {
        "" => None,
        id => match Uuid::parse_str(id) {
            Ok(id) if state.store.hub(id).await?.is_some() => Some(id),
            _ => return again(form, "Choose a hub from the list".to_owned()).await,
        },
    };
    let text = match fetch(&form.url, state.volunteering.feed_limits()).await {
        Ok(text) => text,
        Err(e) => {
            tracing::info!(reason = ?e, "a calendar feed was refused");
            return again(form, e.to_string()).await;
        }
    };
    let events = match read_feed(&text, organization, hub) {
        Ok(events) => events,
        Err(e) => {
            let message = format!("Nothing was imported: {e}.");
            return again(form, crate::kit::capitalised(&message)).await;
        }
    };
    let mut stamp = allowed.stamp.clone();
    stamp.at = Utc::now();
    let done = state
        .store
        .import_activities(form.url.trim(), &events, stamp)
        .await
        .map_err(PageError::from)?;
    tracing::info!(
        added = done.added,
        updated = done.updated,
        "calendar feed imported"
    );
    let typed = Typed {
        imported: format!(
            "Imported the feed: {} new activities, {} updated.",
            done.added, done.updated
        ),
        ..Typed::default()
    };
    page(&state, &allowed, &reach, typed, None, StatusCode::OK).await
}
