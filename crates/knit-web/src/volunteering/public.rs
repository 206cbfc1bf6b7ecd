//! Volunteer roles on the public site: browse and search them with the directory's words
//! and distances (`/volunteer`), read one with how quickly its organisation usually replies
//! (`/volunteer/{id}`), and say "I'm interested" without an account. The offer is sealed in
//! the store and never logged; the organisation's staff are emailed a link, never the
//! volunteer's details.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use knit_domain::public_forms::PublicForm;
use knit_domain::volunteering::{Check, OfferForm, Opportunity};
use knit_search::opportunities::OpportunityQuery;
use knit_store::casework::Stamp;
use knit_store::volunteering::{InterestError, NewInterest};
use serde::Deserialize;
use uuid::Uuid;

use crate::directory::search::locate;
use crate::kit::{
    ClientAddress, FieldError, Notice, PageError, PageResult, public_base_url, public_limit, render,
};
use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::organisation_staff;
use crate::{AppState, Site};

/// Roles shown on one page of results.
const SHOWN: usize = 30;

/// One role as the pages show it.
pub(crate) struct RoleView {
    pub id: Uuid,
    pub title: String,
    pub organization: String,
    pub description: String,
    pub place: String,
    pub when: String,
    pub skills: String,
    pub checks: String,
    pub accessibility: String,
    pub suitable_for_new: bool,
    pub suitable_for_recovering: bool,
    pub distance: String,
}

impl RoleView {
    pub(crate) fn of(o: &Opportunity, distance_km: Option<f64>) -> RoleView {
        let p = &o.plan;
        let place = match (&p.postcode, p.place.is_empty()) {
            (Some(pc), false) => format!("{}, {pc}", p.place),
            (Some(pc), true) => pc.clone(),
            (None, _) => p.place.clone(),
        };
        RoleView {
            id: o.id,
            title: p.title.clone(),
            organization: o.organization_name.clone(),
            description: p.description.clone(),
            place,
            when: p.when.clone(),
            skills: p.skills.join(", "),
            checks: if p.checks.is_empty() {
                crate::t("volunteer-checks-none")
            } else {
                p.checks
                    .iter()
                    .map(|c: &Check| {
                        crate::kit::language::domain_words("check", c.code(), c.label())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            accessibility: p.accessibility.clone(),
            suitable_for_new: p.suitable_for_new,
            suitable_for_recovering: p.suitable_for_recovering,
            distance: distance_km
                .map(|d| crate::t1("distance-km", "km", format!("{d:.1}")))
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct BrowseQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub near: String,
    #[serde(default)]
    pub within: String,
    #[serde(default)]
    pub new: Option<String>,
    #[serde(default)]
    pub recovering: Option<String>,
    #[serde(default)]
    pub no_dbs: Option<String>,
}

#[derive(Template)]
#[template(path = "volunteering/browse.html")]
struct BrowsePage<'a> {
    site: &'a Site,
    query: BrowseQuery,
    new: bool,
    recovering: bool,
    no_dbs: bool,
    near_label: String,
    total: usize,
    roles: Vec<RoleView>,
    error: Option<FieldError>,
}

/// `/volunteer`: open roles, searched and filtered like the directory.
pub(crate) async fn browse(
    State(state): State<AppState>,
    Query(query): Query<BrowseQuery>,
) -> PageResult {
    let ticked = crate::kit::ticked;
    let (new, recovering, no_dbs) = (
        ticked(&query.new),
        ticked(&query.recovering),
        ticked(&query.no_dbs),
    );
    let mut error = None;
    if query.q.chars().count() > 200 {
        error = Some(FieldError::new("q", crate::t("volunteer-too-long")));
    }
    let mut near = None;
    let mut near_label = String::new();
    if error.is_none() && !query.near.trim().is_empty() {
        match locate(state.store.as_ref(), query.near.trim()).await {
            Ok(place) => {
                near_label = place.label;
                near = Some(place.position);
            }
            Err(e) => error = Some(FieldError::new("near", e.to_string())),
        }
    }
    let within_km = match query.within.trim() {
        "" => None,
        text => match text.parse::<f64>() {
            Ok(km) if (1.0..=500.0).contains(&km) => Some(km),
            _ => {
                error = error.or(Some(FieldError::new("within", crate::t("choose-distance"))));
                None
            }
        },
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let (mut total, mut roles) = (0, Vec::new());
    if error.is_none() {
        state.volunteering.refresh(state.store.as_ref()).await?;
        let (count, hits) = state.volunteering.search(&OpportunityQuery {
            words: query.q.clone(),
            near,
            within_km: within_km.filter(|_| near.is_some()),
            suitable_for_new: new,
            suitable_for_recovering: recovering,
            no_dbs,
            free: None,
            limit: SHOWN,
        });
        total = count;
        for hit in hits {
            if let Some(o) = state.store.opportunity(hit.id).await? {
                roles.push(RoleView::of(&o, hit.distance_km));
            }
        }
    }
    Ok(render(
        &BrowsePage {
            site: &state.site,
            query,
            new,
            recovering,
            no_dbs,
            near_label,
            total,
            roles,
            error,
        },
        status,
    ))
}

#[derive(Template)]
#[template(path = "volunteering/role.html")]
struct RolePage<'a> {
    site: &'a Site,
    role: RoleView,
    open: bool,
    replies: String,
    form: FormView,
    error: Option<FieldError>,
}

/// The offer form as typed, shown back on a mistake.
#[derive(Default)]
struct FormView {
    name: String,
    contact: String,
    message: String,
    consent: bool,
}

impl FormView {
    fn of(form: &OfferForm) -> FormView {
        FormView {
            name: form.name.clone(),
            contact: form.contact.clone(),
            message: form.message.clone(),
            consent: crate::kit::ticked(&form.consent),
        }
    }
}

async fn find(state: &AppState, id: &str) -> Result<Opportunity, PageError> {
    let missing = || {
        PageError::from(
            Notice::new(
                StatusCode::NOT_FOUND,
                crate::t("volunteer-no-such"),
                crate::t("volunteer-no-such-text"),
            )
            .link("/volunteer", crate::t("volunteer-see-roles")),
        )
    };
    let id = Uuid::parse_str(id).map_err(|_| missing())?;
    state.store.opportunity(id).await?.ok_or_else(missing)
}

async fn role_page(
    state: &AppState,
    o: &Opportunity,
    form: FormView,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let replies = super::reply_figure(state.store.as_ref(), o.plan.organization)
        .await?
        .unwrap_or_default();
    Ok(render(
        &RolePage {
            site: &state.site,
            role: RoleView::of(o, None),
            open: o.open,
            replies,
            form,
            error,
        },
        status,
    ))
}

/// `/volunteer/{id}`: the role, and "I'm interested".
pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let o = find(&state, &id).await?;
    role_page(&state, &o, FormView::default(), None, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "volunteering/offered.html")]
struct OfferedPage<'a> {
    site: &'a Site,
    role: RoleView,
    replies: String,
}

/// `POST /volunteer/{id}`: an offer to volunteer, kept sealed; the organisation is told.
pub(crate) async fn offer(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<OfferForm>,
) -> PageResult {
    let o = find(&state, &id).await?;
    if public_limit::already_full(&state, PublicForm::VolunteerOffer, &address).await {
        return role_page(
            &state,
            &o,
            FormView::of(&form),
            Some(too_many()),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let offer = match form.offer() {
        Ok(offer) => offer,
        Err(e) => {
            let error = FieldError::new(e.field, offer_problem(&e, &form));
            return role_page(
                &state,
                &o,
                FormView::of(&form),
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if !public_limit::admit(&state, PublicForm::VolunteerOffer, &address).await {
        return role_page(
            &state,
            &o,
            FormView::of(&form),
            Some(too_many()),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let now = Utc::now();
    let made = state
        .store
        .express_interest(NewInterest {
            opportunity: o.id,
            offer,
            person: None,
            stamp: Stamp {
                by: None,
                role: None,
                at: now,
                address: Some(address),
            },
        })
        .await;
    let interest = match made {
        Ok(i) => i,
        Err(InterestError::Closed) => {
            return Err(Notice::new(
                StatusCode::CONFLICT,
                crate::t("volunteer-filled"),
                crate::t("volunteer-filled-text"),
            )
            .link("/volunteer", crate::t("volunteer-see-roles"))
            .into());
        }
        Err(InterestError::NoSuchOpportunity) => return Err(PageError::NotFound("volunteer role")),
        Err(e) => return Err(PageError::internal(e)),
    };
    tracing::info!(interest = %interest.id, role = %o.id, "offer to volunteer received");
    let base = public_base_url(&headers);
    notify_organisation(&state, &o, interest.id, &base).await;
    let replies = super::reply_figure(state.store.as_ref(), o.plan.organization)
        .await?
        .unwrap_or_default();
    Ok(render(
        &OfferedPage {
            site: &state.site,
            role: RoleView::of(&o, None),
            replies,
        },
        StatusCode::OK,
    ))
}

fn too_many() -> FieldError {
    FieldError::new("name", crate::t("volunteer-too-many"))
}

/// What is wrong with an offer, in the page's language: the domain says it in English, and
/// which field it is on and what was typed tell which message it is.
fn offer_problem(e: &knit_domain::volunteering::FormError, form: &OfferForm) -> String {
    use knit_domain::validation::{MAX_FREE_TEXT, one_line};
    use knit_domain::volunteering::MAX_LINE;
    let blank = |text: &str| one_line(text).is_empty();
    let long = |text: &str| one_line(text).chars().count() > MAX_LINE;
    match e.field {
        "name" if blank(&form.name) => crate::t("offer-no-name"),
        "name" => crate::t1("offer-name-too-long", "max", MAX_LINE),
        "contact" if blank(&form.contact) => crate::t("offer-no-contact"),
        "contact" if long(&form.contact) => crate::t1("offer-contact-too-long", "max", MAX_LINE),
        "contact" => crate::t("offer-bad-contact"),
        "message" => crate::t1("offer-message-too-long", "max", MAX_FREE_TEXT),
        "consent" => crate::t("offer-no-consent"),
        _ => e.message.clone(),
    }
}

/// Emails the organisation's staff a link to the offer: the role's title, nobody's name.
pub(crate) async fn notify_organisation(
    state: &AppState,
    o: &Opportunity,
    interest: Uuid,
    base: &str,
) {
    let link = super::staff_link(base, &format!("/staff/volunteering/offers/{interest}"));
    let staff = match organisation_staff(
        state.store.as_ref(),
        knit_domain::account::OrganizationId(o.plan.organization.0),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "could not find who to tell about an offer");
            return;
        }
    };
    for member in staff {
        let message = Message {
            to: member.email.clone(),
            subject: "Someone would like to volunteer with you".to_owned(),
            body: format!(
                "Someone has offered to volunteer as \"{}\".\n\nPlease get in touch with them \
                 within {} working days, and record what happened: {link}\n",
                knit_domain::validation::one_line(&o.plan.title),
                knit_domain::volunteering::REMIND_AFTER_WORKING_DAYS
            ),
        };
        if let Err(e) = enqueue_email(state.store.as_ref(), message, Utc::now()).await {
            tracing::error!(error = %e, "could not queue the email about an offer");
        }
    }
}
