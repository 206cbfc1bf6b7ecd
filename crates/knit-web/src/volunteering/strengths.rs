//! A person's strengths and the roles that fit (`/staff/people/{id}/strengths`): what they
//! are good at, what they care about, what they would like to give and when they are free,
//! recorded by their coordinator with their consent and sealed; Knit suggests the open
//! roles and groups that fit (`what_fits::suggest`: their words, near their postcode, when
//! they are free), and the coordinator refers them to a role as to a service. The organisation
//! answers in its usual inbox, and the outcome comes back here: the closed loop.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use knit_domain::casework::{PersonDetails, PersonId};
use knit_domain::opening::uk_local;
use knit_domain::volunteering::{StrengthsProfile, VolunteerOffer};
use knit_store::volunteering::{InterestError, NewInterest};
use serde::Deserialize;
use uuid::Uuid;

use super::public::RoleView;
use super::what_fits::{GroupView, suggest};
use crate::directory::search::locate;
use crate::kit::{
    Allowed, FieldError, PageError, PageResult, public_base_url, render, see_other, ticked,
};
use crate::{AppState, Site};

struct ReferralRow {
    role: String,
    status: &'static str,
    sent: String,
}

#[derive(Template)]
#[template(path = "volunteering/strengths.html")]
struct StrengthsPage<'a> {
    site: &'a Site,
    csrf: String,
    person: Uuid,
    name: String,
    skills: String,
    passions: String,
    give: String,
    availability: String,
    recorded: bool,
    suggestions: Vec<RoleView>,
    groups: Vec<GroupView>,
    referrals: Vec<ReferralRow>,
    error: Option<FieldError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StrengthsForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    passions: String,
    #[serde(default)]
    give: String,
    #[serde(default)]
    availability: String,
    #[serde(default)]
    consent: Option<String>,
}

async fn person_of(
    state: &AppState,
    id: &str,
) -> Result<(PersonId, knit_domain::casework::PersonDetails), PageError> {
    let id = Uuid::parse_str(id)
        .map(PersonId)
        .map_err(|_| PageError::NotFound("person"))?;
    let record = state
        .store
        .person(id)
        .await?
        .ok_or(PageError::NotFound("person"))?;
    let details = crate::casework::details_of(&record)?.clone();
    Ok((id, details))
}

async fn page(
    state: &AppState,
    allowed: &Allowed,
    person: PersonId,
    details: &PersonDetails,
    typed: Option<StrengthsForm>,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let profile = state.store.strengths(person).await?;
    let (mut suggestions, mut groups) = (Vec::new(), Vec::new());
    if let Some(p) = &profile {
        // Near where they live, when their postcode is known and found.
        let near = match details.postcode.trim() {
            "" => None,
            pc => locate(state.store.as_ref(), pc)
                .await
                .ok()
                .map(|p| p.position),
        };
        let fits = suggest(state, p, near).await?;
        suggestions = fits.roles;
        groups = fits.groups;
    }
    let referrals = state
        .store
        .person_interests(person)
        .await?
        .iter()
        .map(|i| ReferralRow {
            role: i.opportunity_title.clone(),
            status: i.status.label(),
            sent: uk_local(i.sent_at).format("%-d %b %Y").to_string(),
        })
        .collect();
    let shown = profile.clone().unwrap_or_default();
    let typed = typed.unwrap_or(StrengthsForm {
        skills: shown.skills.join(", "),
        passions: shown.passions.join(", "),
        give: shown.give.clone(),
        availability: shown.availability.clone(),
        consent: None,
    });
    Ok(render(
        &StrengthsPage {
            site: &state.site,
            csrf: allowed.csrf(),
            person: person.0,
            name: details.name.clone(),
            skills: typed.skills,
            passions: typed.passions,
            give: typed.give,
            availability: typed.availability,
            recorded: profile.is_some(),
            suggestions,
            groups,
            referrals,
            error,
        },
        status,
    ))
}

/// `/staff/people/{id}/strengths`.
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (person, details) = person_of(&state, &id).await?;
    allowed.audit_read(&state, "person", person.0).await;
    page(
        &state,
        &allowed,
        person,
        &details,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/people/{id}/strengths`: records the profile, sealed.
pub(crate) async fn save(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<StrengthsForm>,
) -> PageResult {
    let (person, details) = person_of(&state, &id).await?;
    match StrengthsProfile::parse(
        &form.skills,
        &form.passions,
        &form.give,
        &form.availability,
        ticked(&form.consent),
    ) {
        Ok(profile) => {
            state
                .store
                .set_strengths(person, &profile, allowed.stamp.clone())
                .await?;
            Ok(see_other(format!("/staff/people/{}/strengths", person.0)))
        }
        Err(e) => {
            let error = FieldError::new(e.field, e.message);
            page(
                &state,
                &allowed,
                person,
                &details,
                Some(form),
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReferForm {
    #[serde(default)]
    opportunity: String,
    #[serde(default)]
    consent: Option<String>,
}

/// `POST /staff/people/{id}/volunteer`: refers the person to a role, sharing their name and
/// a way to reach them, with their consent; the organisation answers as to any offer.
pub(crate) async fn refer(
    State(state): State<AppState>,
    allowed: Allowed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<ReferForm>,
) -> PageResult {
    let (person, details) = person_of(&state, &id).await?;
    let back = format!("/staff/people/{}/strengths", person.0);
    let role = Uuid::parse_str(form.opportunity.trim())
        .map_err(|_| PageError::BadRequest("Choose a role to refer them to.".to_owned()))?;
    let opportunity = state
        .store
        .opportunity(role)
        .await?
        .ok_or(PageError::NotFound("volunteer role"))?;
    if !ticked(&form.consent) {
        let error = FieldError::new(
            "consent",
            format!(
                "Tick the box once they have agreed {} may have their name and contact details",
                opportunity.organization_name
            ),
        );
        return page(
            &state,
            &allowed,
            person,
            &details,
            None,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let contact = [details.phone.trim(), details.email.trim()]
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let offer = VolunteerOffer {
        name: details.name.clone(),
        contact: if contact.is_empty() {
            "Through their coordinator".to_owned()
        } else {
            contact
        },
        message: "Referred by their coordinator, who will hear the outcome.".to_owned(),
    };
    let sent = state
        .store
        .express_interest(NewInterest {
            opportunity: opportunity.id,
            offer,
            person: Some(person),
            stamp: allowed.stamp.clone(),
        })
        .await;
    match sent {
        Ok(interest) => {
            super::public::notify_organisation(
                &state,
                &opportunity,
                interest.id,
                &public_base_url(&headers),
            )
            .await;
            Ok(see_other(back))
        }
        Err(InterestError::Closed) => Err(PageError::refused(
            "this role is no longer taking offers",
            back,
            "Back to their strengths",
        )),
        Err(e) => Err(PageError::internal(e)),
    }
}
