//! The asset register for staff: the list of what the visitor may manage with the requests
//! waiting, adding and changing an asset (an organisation's, or for place leads a person's
//! offer, recorded with their consent), a request with approve and decline, and the place
//! leads' "find unused" view. Who may is `Action::ManageAsset(the asset's organisation)`:
//! partner staff for their own organisation's assets, place leads for every asset.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use knit_domain::access::Action;
use knit_domain::account::OrganizationId;
use knit_domain::assets::{AssetForm, AssetKind, BookingStatus, Owner, UNUSED_AFTER};
use knit_store::assets::{
    Asset, AssetBooking, AssetBookingError, AssetFilter, BookingAnswer, BookingDecision,
};
use uuid::Uuid;

use super::emails::{decision_mail, when};
use super::public::AssetView;
use crate::kit::{Allowed, FieldError, PageError, PageResult, public_base_url, render, see_other};
use crate::{AppState, Site};

const LIST_LIMIT: u32 = 500;

struct Row {
    id: Uuid,
    title: String,
    kind: &'static str,
    public: bool,
}

fn row(a: &Asset) -> Row {
    Row {
        id: a.id,
        title: a.details.title.clone(),
        kind: a.kind.label(),
        public: a.public,
    }
}

struct Waiting {
    id: Uuid,
    asset: String,
    when: String,
    people: u32,
}

#[derive(Template)]
#[template(path = "assets/staff_list.html")]
struct ListPage<'a> {
    site: &'a Site,
    assets: Vec<Row>,
    waiting: Vec<Waiting>,
    may_add: bool,
    place_lead: bool,
}

/// `/staff/assets`: the assets the visitor manages and the requests waiting for them.
pub(crate) async fn list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let reach = allowed.reach(Action::ManageAsset);
    let mut assets = Vec::new();
    let mut waiting = Vec::new();
    let owners: Vec<Option<Option<OrganizationId>>> = match &reach {
        None => vec![None],
        Some(orgs) => orgs.iter().map(|o| Some(Some(*o))).collect(),
    };
    for owner in owners {
        let filter = AssetFilter {
            owner,
            ..AssetFilter::default()
        };
        assets.extend(state.store.assets(&filter, LIST_LIMIT).await?);
        waiting.extend(state.store.waiting_requests(owner, LIST_LIMIT).await?);
    }
    let titles: std::collections::HashMap<Uuid, String> = assets
        .iter()
        .map(|a| (a.id, a.details.title.clone()))
        .collect();
    Ok(render(
        &ListPage {
            site: &state.site,
            assets: assets.iter().map(row).collect(),
            waiting: waiting
                .iter()
                .map(|b| Waiting {
                    id: b.id,
                    asset: titles.get(&b.asset_id).cloned().unwrap_or_default(),
                    when: when(&b.slot),
                    people: b.people,
                })
                .collect(),
            may_add: reach.as_ref().is_none_or(|r| !r.is_empty()),
            place_lead: reach.is_none(),
        },
        StatusCode::OK,
    ))
}

struct OwnerChoice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "assets/staff_edit.html")]
struct EditPage<'a> {
    site: &'a Site,
    csrf: String,
    /// `None` for a new asset.
    id: Option<Uuid>,
    form: AssetForm,
    kinds: Vec<(&'static str, &'static str)>,
    owners: Vec<OwnerChoice>,
    bookings: Vec<BookingRow>,
    error: Option<FieldError>,
}

struct BookingRow {
    id: Uuid,
    when: String,
    status: &'static str,
}

async fn owner_choices(state: &AppState, allowed: &Allowed) -> Result<Vec<OwnerChoice>, PageError> {
    let mut out = Vec::new();
    match allowed.reach(Action::ManageAsset) {
        None => {
            for org in state.store.organizations(0, 1_000).await? {
                out.push(OwnerChoice {
                    value: format!("org:{}", org.id),
                    label: org.name,
                });
            }
            out.push(OwnerChoice {
                value: "person".to_owned(),
                label: "A person (an offer of skills or time)".to_owned(),
            });
        }
        Some(orgs) => {
            for org in orgs {
                let name = state
                    .store
                    .organization(org.0)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_else(|| "Your organisation".to_owned());
                out.push(OwnerChoice {
                    value: format!("org:{}", org.0),
                    label: name,
                });
            }
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn edit_page(
    state: &AppState,
    allowed: &Allowed,
    id: Option<Uuid>,
    form: AssetForm,
    bookings: Vec<AssetBooking>,
    error: Option<FieldError>,
) -> PageResult {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &EditPage {
            site: &state.site,
            csrf: allowed.csrf(),
            id,
            form,
            kinds: AssetKind::ALL
                .iter()
                .map(|k| (k.code(), k.label()))
                .collect(),
            owners: owner_choices(state, allowed).await?,
            bookings: bookings
                .iter()
                .map(|b| BookingRow {
                    id: b.id,
                    when: when(&b.slot),
                    status: b.status.label(),
                })
                .collect(),
            error,
        },
        status,
    ))
}

/// The action for managing assets of `owner`.
fn manage(owner: Owner) -> Action {
    match owner {
        Owner::Organization(org) => Action::ManageAsset(Some(org)),
        Owner::Person => Action::ManageAsset(None),
    }
}

/// The visitor's own scope, for pages that are not about one asset yet.
fn own_scope(allowed: &Allowed) -> Action {
    if allowed.may(&Action::ManageAsset(None)) {
        return Action::ManageAsset(None);
    }
    Action::ManageAsset(allowed.own_organisations().first().copied())
}

/// `/staff/assets/new`.
pub(crate) async fn new_form(State(state): State<AppState>, mut allowed: Allowed) -> PageResult {
    let scope = own_scope(&allowed);
    allowed.require(&state, &scope).await?;
    let owner = match scope {
        Action::ManageAsset(Some(org)) => format!("org:{}", org.0),
        _ => String::new(),
    };
    let form = AssetForm {
        kind: AssetKind::Space.code().to_owned(),
        owner,
        ..AssetForm::default()
    };
    edit_page(&state, &allowed, None, form, Vec::new(), None).await
}

/// `POST /staff/assets/new`.
pub(crate) async fn create(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Form(form): Form<AssetForm>,
) -> PageResult {
    let scope = own_scope(&allowed);
    allowed.require(&state, &scope).await?;
    // Partner staff add their own organisation's assets; place leads choose the owner.
    let mut form = form;
    if let Action::ManageAsset(Some(org)) = scope {
        form.owner = format!("org:{}", org.0);
    }
    let plan = match form.parse() {
        Ok(plan) => plan,
        Err(e) => {
            let error = FieldError::new(e.field(), e);
            return edit_page(&state, &allowed, None, form, Vec::new(), Some(error)).await;
        }
    };
    allowed.require(&state, &manage(plan.owner)).await?;
    let asset = state.store.add_asset(&plan, allowed.stamp.clone()).await?;
    tracing::info!(asset = %asset.id, kind = asset.kind.code(), "asset added");
    Ok(see_other(format!("/staff/assets/{}", asset.id)))
}

async fn find(state: &AppState, allowed: &mut Allowed, id: &str) -> Result<Asset, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("asset"))?;
    let asset = state
        .store
        .asset(id)
        .await?
        .ok_or(PageError::NotFound("asset"))?;
    allowed.require(state, &manage(asset.owner)).await?;
    Ok(asset)
}

/// The form for an asset as stored, to edit.
fn form_of(asset: &Asset) -> AssetForm {
    let d = &asset.details;
    let n = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    let tick = |b: bool| b.then(|| "on".to_owned());
    let offer = asset.offer.clone().unwrap_or_default();
    AssetForm {
        kind: asset.kind.code().to_owned(),
        owner: match asset.owner {
            Owner::Organization(org) => format!("org:{}", org.0),
            Owner::Person => "person".to_owned(),
        },
        title: d.title.clone(),
        description: d.description.clone(),
        area: d.area.clone(),
        capacity: n(d.capacity),
        accessible: tick(d.accessible),
        facilities: d.facilities.clone(),
        hire_terms: d.hire_terms.clone(),
        price: d
            .price_pence
            .filter(|p| *p > 0)
            .map(|p| format!("{}.{:02}", p / 100, p % 100))
            .unwrap_or_default(),
        seats: n(d.seats),
        wheelchair_places: n(d.wheelchair_places),
        who_may_drive: d.who_may_drive.clone(),
        drivers_trained: tick(d.drivers_trained),
        availability: asset.availability.to_text(),
        person_name: offer.name,
        person_contact: offer.contact,
        consent: offer.consent,
        show_publicly: tick(offer.show_publicly),
    }
}

/// `/staff/assets/{id}`: the asset's form and its bookings to come.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let asset = find(&state, &mut allowed, &id).await?;
    if asset.offer.is_some() {
        allowed.audit_read(&state, "asset", asset.id).await;
    }
    let bookings = state.store.asset_bookings(asset.id, Utc::now()).await?;
    edit_page(
        &state,
        &allowed,
        Some(asset.id),
        form_of(&asset),
        bookings,
        None,
    )
    .await
}

/// `POST /staff/assets/{id}`: saves changes; the owner stays.
pub(crate) async fn update(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(mut form): Form<AssetForm>,
) -> PageResult {
    let asset = find(&state, &mut allowed, &id).await?;
    form.owner = form_of(&asset).owner;
    let plan = match form.parse() {
        Ok(plan) => plan,
        Err(e) => {
            let error = FieldError::new(e.field(), e);
            let bookings = state.store.asset_bookings(asset.id, Utc::now()).await?;
            return edit_page(
                &state,
                &allowed,
                Some(asset.id),
                form,
                bookings,
                Some(error),
            )
            .await;
        }
    };
    state
        .store
        .update_asset(asset.id, &plan, allowed.stamp.clone())
        .await?
        .ok_or(PageError::NotFound("asset"))?;
    Ok(see_other(format!("/staff/assets/{}", asset.id)))
}

#[derive(Template)]
#[template(path = "assets/staff_unused.html")]
struct UnusedPage<'a> {
    site: &'a Site,
    days: i64,
    assets: Vec<AssetView>,
}

/// `/staff/assets/unused`: assets nobody has booked in the last 90 days.
pub(crate) async fn unused(State(state): State<AppState>, _allowed: Allowed) -> PageResult {
    let since = Utc::now() - UNUSED_AFTER;
    let assets = state.store.unused_assets(since, LIST_LIMIT).await?;
    Ok(render(
        &UnusedPage {
            site: &state.site,
            days: UNUSED_AFTER.num_days(),
            assets: assets.iter().map(AssetView::of).collect(),
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "assets/staff_booking.html")]
struct BookingPage<'a> {
    site: &'a Site,
    csrf: String,
    asset: AssetView,
    first: Uuid,
    dates: Vec<String>,
    status: &'static str,
    waiting: bool,
    reason: String,
    name: String,
    phone: String,
    email: String,
    purpose: String,
    people: u32,
    form: DecisionForm,
    error: Option<FieldError>,
}

async fn booking_of(
    state: &AppState,
    allowed: &mut Allowed,
    id: &str,
) -> Result<(Asset, Vec<AssetBooking>), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("booking request"))?;
    let series = state.store.booking_series(id).await?;
    let first = series
        .first()
        .ok_or(PageError::NotFound("booking request"))?;
    let asset = state
        .store
        .asset(first.asset_id)
        .await?
        .ok_or(PageError::NotFound("booking request"))?;
    allowed.require(state, &manage(asset.owner)).await?;
    Ok((asset, series))
}

fn booking_page(
    state: &AppState,
    allowed: &Allowed,
    asset: &Asset,
    series: &[AssetBooking],
    form: DecisionForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let first = &series[0];
    Ok(render(
        &BookingPage {
            site: &state.site,
            csrf: allowed.csrf(),
            asset: AssetView::of(asset),
            first: first.id,
            dates: series.iter().map(|b| when(&b.slot)).collect(),
            status: first.status.label(),
            waiting: first.status == BookingStatus::Requested,
            reason: first.reason.clone().unwrap_or_default(),
            name: first.requester.name.clone(),
            phone: first.requester.phone.clone(),
            email: first.requester.email.clone(),
            purpose: first.requester.purpose.clone(),
            people: first.people,
            form,
            error,
        },
        status,
    ))
}

/// `/staff/asset-bookings/{id}`: a request, with who asked, and the answer form.
pub(crate) async fn booking(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (asset, series) = booking_of(&state, &mut allowed, &id).await?;
    allowed
        .audit_read(&state, "asset_booking", series[0].series_id)
        .await;
    booking_page(
        &state,
        &allowed,
        &asset,
        &series,
        DecisionForm::default(),
        None,
        StatusCode::OK,
    )
}

/// `POST /staff/asset-bookings/{id}`: approves or declines (with a reason) every occurrence.
pub(crate) async fn decide(
    State(state): State<AppState>,
    mut allowed: Allowed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    let (asset, series) = booking_of(&state, &mut allowed, &id).await?;
    let back = format!("/staff/asset-bookings/{}", series[0].id);
    let answer = match form.decision.as_str() {
        "approve" => BookingAnswer::Approve,
        "decline" => {
            let reason = form.reason.trim();
            if reason.is_empty() {
                let error = FieldError::new(
                    "reason",
                    "Say why the request is declined: the person asking is told",
                );
                return booking_page(
                    &state,
                    &allowed,
                    &asset,
                    &series,
                    form,
                    Some(error),
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
            if reason.chars().count() > knit_domain::validation::MAX_FREE_TEXT {
                let error = FieldError::new(
                    "reason",
                    format!(
                        "The reason must be {} characters or fewer",
                        knit_domain::validation::MAX_FREE_TEXT
                    ),
                );
                return booking_page(
                    &state,
                    &allowed,
                    &asset,
                    &series,
                    form,
                    Some(error),
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
            BookingAnswer::Decline {
                reason: reason.to_owned(),
            }
        }
        _ => {
            let error = FieldError::new("decision", "Choose approve or decline");
            return booking_page(
                &state,
                &allowed,
                &asset,
                &series,
                form,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let base_url = public_base_url(&headers);
    let site_name = state.site.name.clone();
    let now = allowed.stamp.at;
    let mail = move |asset: &Asset, bookings: &[AssetBooking]| {
        decision_mail(&base_url, &site_name, asset, bookings, now)
    };
    let decided = state
        .store
        .decide_booking(BookingDecision {
            booking_id: series[0].id,
            answer,
            stamp: allowed.stamp.clone(),
            mail: &mail,
        })
        .await;
    match decided {
        Ok(done) => {
            tracing::info!(series = %done[0].series_id, status = done[0].status.code(), "asset booking decided");
            Ok(see_other(back))
        }
        // Answered meanwhile (by a colleague, or in another tab): the page says how.
        Err(AssetBookingError::AlreadyDecided) => Ok(see_other(back)),
        Err(AssetBookingError::Slot {
            occurrence,
            problem,
        }) => {
            let error = FieldError::new(
                "decision",
                format!(
                    "It cannot be approved: {} ({problem})",
                    series
                        .get(occurrence - 1)
                        .map(|b| when(&b.slot))
                        .unwrap_or_default()
                ),
            );
            booking_page(
                &state,
                &allowed,
                &asset,
                &series,
                form,
                Some(error),
                StatusCode::CONFLICT,
            )
        }
        Err(AssetBookingError::ReasonRequired) => {
            let error = FieldError::new("reason", "Say why the request is declined");
            booking_page(
                &state,
                &allowed,
                &asset,
                &series,
                form,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(PageError::internal(e)),
    }
}
