//! "What could you give?" (`/volunteer/strengths`): a resident says what they are good at,
//! what they care about and when they are free, and Knit suggests the open roles and the
//! local groups that fit ([`suggest`]), near them if they give a postcode. Nothing typed is kept: the page writes nothing,
//! and the words are in no log line. The form is posted, as "tell us" is, so what someone
//! cares about stays out of the address bar, a shared phone's history and any proxy's log.
//! A coordinator records a profile to keep, with consent (`strengths`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use knit_domain::geo::LatLon;
use knit_domain::volunteering::{OfferRefused, StrengthsProfile, Times, times_fit};
use knit_search::opportunities::OpportunityQuery;
use serde::Deserialize;
use uuid::Uuid;

use super::public::RoleView;
use crate::directory::search::locate;
use knit_store::StoreError;

use crate::kit::{FieldError, PageResult, render};
use crate::{AppState, Site};

/// Roles and groups suggested at once.
const SUGGESTED: usize = 10;
const GROUPS_SUGGESTED: usize = 5;
/// Published groups read to find those that fit: a town's worth.
const GROUPS_READ: u32 = 500;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct WhatFitsForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    passions: String,
    #[serde(default)]
    near: String,
    #[serde(default)]
    availability: String,
}

pub(crate) struct GroupView {
    pub id: Uuid,
    pub name: String,
    pub purpose: String,
    pub meets: String,
    pub needs_volunteers: bool,
}

#[derive(Template)]
#[template(path = "volunteering/what_fits.html")]
struct WhatFitsPage<'a> {
    site: &'a Site,
    query: WhatFitsForm,
    asked: bool,
    roles: Vec<RoleView>,
    groups: Vec<GroupView>,
    error: Option<FieldError>,
}

/// `/volunteer/strengths`: the form.
pub(crate) async fn form(State(state): State<AppState>) -> PageResult {
    Ok(render(
        &WhatFitsPage {
            site: &state.site,
            query: WhatFitsForm::default(),
            asked: false,
            roles: Vec::new(),
            groups: Vec::new(),
            error: None,
        },
        StatusCode::OK,
    ))
}

/// `POST /volunteer/strengths`: what fits what they typed.
pub(crate) async fn show(
    State(state): State<AppState>,
    Form(query): Form<WhatFitsForm>,
) -> PageResult {
    let page = |roles, groups, error: Option<FieldError>| {
        let status = if error.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        render(
            &WhatFitsPage {
                site: &state.site,
                query: query.clone(),
                asked: true,
                roles,
                groups,
                error,
            },
            status,
        )
    };
    let profile =
        match StrengthsProfile::offered(&query.skills, &query.passions, &query.availability) {
            Ok(profile) => profile,
            Err(OfferRefused::Nothing) => {
                let error = FieldError::new("skills", crate::t("strengths-say-something"));
                return Ok(page(Vec::new(), Vec::new(), Some(error)));
            }
            Err(OfferRefused::TooMany) => {
                let error = FieldError::new("skills", crate::t("strengths-too-many"));
                return Ok(page(Vec::new(), Vec::new(), Some(error)));
            }
        };
    let near = match query.near.trim() {
        "" => None,
        typed => match locate(state.store.as_ref(), typed).await {
            Ok(place) => Some(place.position),
            Err(e) => {
                let error = FieldError::new("near", e.to_string());
                return Ok(page(Vec::new(), Vec::new(), Some(error)));
            }
        },
    };
    let fits = suggest(&state, &profile, near).await?;
    Ok(page(fits.roles, fits.groups, None))
}

/// What fits a person's strengths: open roles by their words, nearest first when `near` is
/// known, and groups that share their words, each only if it happens when they are free
/// (`times_fit`). The resident's page and the coordinator's page both ask here.
pub(crate) struct Suggestions {
    pub roles: Vec<RoleView>,
    pub groups: Vec<GroupView>,
}

pub(crate) async fn suggest(
    state: &AppState,
    profile: &StrengthsProfile,
    near: Option<LatLon>,
) -> Result<Suggestions, StoreError> {
    state.volunteering.refresh(state.store.as_ref()).await?;
    let (_, hits) = state.volunteering.search(&OpportunityQuery {
        words: profile.search_words(),
        near,
        free: Times::read(&profile.availability),
        limit: SUGGESTED,
        ..OpportunityQuery::default()
    });
    let mut roles = Vec::new();
    for hit in hits {
        if let Some(o) = state.store.opportunity(hit.id).await? {
            roles.push(RoleView::of(&o, hit.distance_km));
        }
    }
    let mut fitting: Vec<(usize, GroupView)> = state
        .store
        .community_groups(true, GROUPS_READ)
        .await?
        .into_iter()
        .filter(|g| !g.record.full)
        .filter(|g| times_fit(&profile.availability, &g.record.meeting_pattern))
        .filter_map(|g| {
            let fit = profile.fits_group(&g.record.name, &g.record.purpose);
            let view = GroupView {
                id: g.id,
                name: g.record.name,
                purpose: g.record.purpose,
                meets: g.record.meeting_pattern,
                needs_volunteers: g.record.needs_volunteers,
            };
            (fit > 0).then_some((fit, view))
        })
        .collect();
    // Groups asking for volunteers first, then those that share the most words.
    fitting.sort_by(|a, b| {
        (b.1.needs_volunteers, b.0)
            .cmp(&(a.1.needs_volunteers, a.0))
            .then_with(|| a.1.name.cmp(&b.1.name))
    });
    let groups = fitting
        .into_iter()
        .take(GROUPS_SUGGESTED)
        .map(|(_, g)| g)
        .collect();
    Ok(Suggestions { roles, groups })
}
