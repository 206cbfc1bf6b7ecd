//! The organisation's side of volunteering: its roles and the offers waiting for an answer
//! (`/staff/volunteering`), posting a role, and one offer opened with its outcome
//! (`/staff/volunteering/offers/{id}`). Partner staff see and answer only their own
//! organisation's (`Action::ManageVolunteering(org)`); place leads see every organisation's.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use knit_domain::access::Action;
use knit_domain::account::{OrganizationId, Role};
use knit_domain::opening::uk_local;
use knit_domain::volunteering::{InterestAnswer, OpportunityForm};
use knit_store::volunteering::{InterestError, InterestSummary, NewOpportunity};
use serde::Deserialize;
use uuid::Uuid;

use super::public::RoleView;
use crate::directory::search::locate;
use crate::kit::{Allowed, FieldError, PageError, PageResult, render, see_other};
use crate::{AppState, Site};

/// Roles and offers listed at once.
const LISTED: u32 = 200;

struct OrgChoice {
    id: String,
    name: String,
}

struct RoleRow {
    view: RoleView,
    open: bool,
}

impl RoleRow {
    fn of(o: &knit_domain::volunteering::Opportunity) -> RoleRow {
        RoleRow {
            view: RoleView::of(o, None),
            open: o.open,
        }
    }
}

struct OfferRow {
    id: Uuid,
    role: String,
    status: &'static str,
    sent: String,
    chased: &'static str,
}

impl OfferRow {
    fn of(i: &InterestSummary) -> OfferRow {
        OfferRow {
            id: i.id,
            role: i.opportunity_title.clone(),
            status: i.status.label(),
            sent: uk_local(i.sent_at).format("%-d %b %Y").to_string(),
            chased: match i.chased {
                Some(knit_domain::volunteering::InterestChase::EscalateToPlaceLeads) => {
                    "place leads told"
                }
                Some(_) => "reminded",
                None => "",
            },
        }
    }
}

#[derive(Template)]
#[template(path = "volunteering/staff_list.html")]
struct ListPage<'a> {
    site: &'a Site,
    csrf: String,
    roles: Vec<RoleRow>,
    offers: Vec<OfferRow>,
    organizations: Vec<OrgChoice>,
    form: OpportunityForm,
    error: Option<FieldError>,
}

/// The organisations the visitor works for volunteering: `None` for all (a place lead).
/// Anyone else is refused as the policy says.
async fn scope(
    allowed: &mut Allowed,
    state: &AppState,
) -> Result<Option<Vec<OrganizationId>>, PageError> {
    if allowed.may(&Action::ManageVolunteering(Action::EXAMPLE_ORGANIZATION))
        && allowed
            .actor()
            .memberships()
            .iter()
            .any(|m| m.role() == Role::PlaceLead)
    {
        allowed
            .require(
                state,
                &Action::ManageVolunteering(Action::EXAMPLE_ORGANIZATION),
            )
            .await?;
        return Ok(None);
    }
    let own: Vec<OrganizationId> = allowed
        .actor()
        .memberships()
        .iter()
        .filter(|m| m.role() == Role::PartnerStaff)
        .filter_map(|m| m.organization())
        .collect();
    let first = own.first().copied().unwrap_or(Action::EXAMPLE_ORGANIZATION);
    allowed
        .require(state, &Action::ManageVolunteering(first))
        .await?;
    Ok(Some(own))
}

async fn list_page(
    state: &AppState,
    allowed: &Allowed,
    scope: &Option<Vec<OrganizationId>>,
    form: OpportunityForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let store = state.store.as_ref();
    let (mut roles, mut offers, mut organizations) = (Vec::new(), Vec::new(), Vec::new());
    match scope {
        None => {
            for o in store.organization_opportunities(None, LISTED).await? {
                roles.push(RoleRow::of(&o));
            }
            offers.extend(
                store
                    .interests(None, LISTED)
                    .await?
                    .iter()
                    .map(OfferRow::of),
            );
            for org in store.organizations(0, 1_000).await? {
                organizations.push(OrgChoice {
                    id: org.id.to_string(),
                    name: org.name,
                });
            }
        }
        Some(own) => {
            for org in own {
                for o in store.organization_opportunities(Some(*org), LISTED).await? {
                    roles.push(RoleRow::of(&o));
                }
                offers.extend(
                    store
                        .interests(Some(*org), LISTED)
                        .await?
                        .iter()
                        .map(OfferRow::of),
                );
                let name = store
                    .organization(org.0)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_else(|| "Your organisation".to_owned());
                organizations.push(OrgChoice {
                    id: org.0.to_string(),
                    name,
                });
            }
        }
    }
    Ok(render(
        &ListPage {
            site: &state.site,
            csrf: allowed.csrf(),
            roles,
            offers,
            organizations,
            form,
            error,
        },
        status,
    ))
}

/// `/staff/volunteering`: the roles, the offers and a form to post a role.
pub(crate) async fn list(State(state): State<AppState>, mut allowed: Allowed) -> PageResult {
    let scope = scope(&mut allowed, &state).await?;
    list_page(
        &state,
        &allowed,
        &scope,
        OpportunityForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/volunteering`: posts a role for one of the visitor's organisations.
pub(crate) async fn post_role(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Form(form): Form<OpportunityForm>,
) -> PageResult {
    let Ok(org) = Uuid::parse_str(form.organization.trim()).map(OrganizationId) else {
        let scope = scope(&mut allowed, &state).await?;
        let error = FieldError::new("organization", "Choose the organisation the role is with");
        return list_page(
            &state,
            &allowed,
            &scope,
            form,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    allowed
        .require(&state, &Action::ManageVolunteering(org))
        .await?;
    let scope = if allowed
        .actor()
        .memberships()
        .iter()
        .any(|m| m.role() == Role::PlaceLead)
    {
        None
    } else {
        Some(vec![org])
    };
    let again = |form: OpportunityForm, error: FieldError| {
        let (state, allowed, scope) = (&state, &allowed, &scope);
        async move {
            list_page(
                state,
                allowed,
                scope,
                form,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let plan = match form.plan(org) {
        Ok(plan) => plan,
        Err(e) => return again(form, FieldError::new(e.field, e.message)).await,
    };
    let Some(organization) = state.store.organization(org.0).await? else {
        return again(
            form,
            FieldError::new("organization", "That organisation is not in the directory"),
        )
        .await;
    };
    let position = match &plan.postcode {
        None => None,
        Some(pc) => match locate(state.store.as_ref(), pc).await {
            Ok(place) => Some(place.position),
            Err(e) => return again(form, FieldError::new("postcode", e.to_string())).await,
        },
    };
    let posted = state
        .store
        .post_opportunity(NewOpportunity {
            plan,
            organization_name: organization.name,
            position,
            stamp: allowed.stamp.clone(),
        })
        .await?;
    state.volunteering.upsert(&posted);
    Ok(see_other(format!("/volunteer/{}", posted.id)))
}

#[derive(Template)]
#[template(path = "volunteering/staff_offer.html")]
struct OfferPage<'a> {
    site: &'a Site,
    csrf: String,
    id: Uuid,
    role_id: Uuid,
    role: String,
    status: &'static str,
    is_final: bool,
    sent: String,
    name: String,
    contact: String,
    message: String,
    reason: String,
    referred: bool,
    error: Option<FieldError>,
}

async fn offer_page(
    state: &AppState,
    allowed: &mut Allowed,
    id: &str,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("offer"))?;
    let interest = state
        .store
        .interest(id)
        .await?
        .ok_or(PageError::NotFound("offer"))?;
    allowed
        .require(
            state,
            &Action::ManageVolunteering(interest.summary.organization),
        )
        .await?;
    allowed.audit_read(state, "volunteer_interest", id).await;
    let s = &interest.summary;
    Ok(render(
        &OfferPage {
            site: &state.site,
            csrf: allowed.csrf(),
            id,
            role_id: s.opportunity,
            role: s.opportunity_title.clone(),
            status: s.status.label(),
            is_final: s.status.is_final(),
            sent: uk_local(s.sent_at).format("%-d %b %Y, %H:%M").to_string(),
            name: interest.offer.name.clone(),
            contact: interest.offer.contact.clone(),
            message: interest.offer.message.clone(),
            reason: interest.reason.clone().unwrap_or_default(),
            referred: s.person.is_some(),
            error,
        },
        status,
    ))
}

/// `/staff/volunteering/offers/{id}`: who offered, and what happened.
pub(crate) async fn show_offer(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    offer_page(&state, &mut allowed, &id, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
}

/// `POST /staff/volunteering/offers/{id}`: in touch, placed, not suitable (why) or withdrew.
pub(crate) async fn answer(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> PageResult {
    let uuid = Uuid::parse_str(&id).map_err(|_| PageError::NotFound("offer"))?;
    let summary = state
        .store
        .interest(uuid)
        .await?
        .ok_or(PageError::NotFound("offer"))?
        .summary;
    allowed
        .require(&state, &Action::ManageVolunteering(summary.organization))
        .await?;
    let answer = match InterestAnswer::parse(&form.outcome, &form.reason) {
        Ok(a) => a,
        Err(e) => {
            let error = FieldError::new(e.field, e.message);
            return offer_page(
                &state,
                &mut allowed,
                &id,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match state
        .store
        .answer_interest(uuid, &answer, allowed.stamp.clone())
        .await
    {
        Ok(done) => {
            tracing::info!(interest = %uuid, status = done.status.code(), "offer answered");
            Ok(see_other(format!("/staff/volunteering/offers/{uuid}")))
        }
        Err(InterestError::Refused(why)) => Err(PageError::refused(
            why,
            format!("/staff/volunteering/offers/{uuid}"),
            "Back to the offer",
        )),
        Err(InterestError::NoSuchInterest) => Err(PageError::NotFound("offer")),
        Err(e) => Err(PageError::internal(e)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct OpenForm {
    #[serde(default)]
    open: String,
}

/// `POST /staff/volunteering/roles/{id}`: closes a role to new offers (`open=0`) or opens it
/// again (`open=1`). Offers already made stay in the list to be answered.
pub(crate) async fn set_open(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<OpenForm>,
) -> PageResult {
    let id = Uuid::parse_str(&id).map_err(|_| PageError::NotFound("role"))?;
    let role = state
        .store
        .opportunity(id)
        .await?
        .ok_or(PageError::NotFound("role"))?;
    allowed
        .require(&state, &Action::ManageVolunteering(role.plan.organization))
        .await?;
    let open = match form.open.trim() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(PageError::BadRequest(
                "Say whether the role is to be closed or opened again.".into(),
            ));
        }
    };
    let role = state
        .store
        .set_opportunity_open(id, open, allowed.stamp.clone())
        .await?
        .ok_or(PageError::NotFound("role"))?;
    state.volunteering.upsert(&role);
    tracing::info!(role = %id, open, "volunteer role opened or closed");
    Ok(see_other("/staff/volunteering#roles"))
}
