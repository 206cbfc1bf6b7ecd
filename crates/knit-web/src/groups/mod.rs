//! Groups people run: "start a group" on the public site (no account), the group's public
//! page, and the staff pages where coordinators and place leads take up an idea as a draft
//! group, keep its record (with a venue from the asset register) and publish it to the
//! directory with one audited action, so it is found by search, served by the Open Referral
//! API and referred to like any service. Changing the record of a published group rewrites
//! its listing, capacity flags included, in the same transaction.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Utc;
use knit_domain::Service;
use knit_domain::groups::{
    GroupForm, GroupProblem, GroupRecord, GroupStatus, IdeaForm, as_service, capacity_note,
    groups_organization,
};
use knit_domain::public_forms::PublicForm;
use knit_store::assets::{CommunityGroup, GroupError};
use uuid::Uuid;

use crate::assets::emails::{slot_when, when};
use crate::kit::{
    Allowed, ClientAddress, FieldError, Notice, PageError, PageResult, public_limit, render,
    see_other,
};
use crate::{AppState, Site};

const LIST_LIMIT: u32 = 200;

#[derive(Template)]
#[template(path = "groups/start.html")]
struct StartPage<'a> {
    site: &'a Site,
    form: IdeaForm,
    error: Option<FieldError>,
    /// Groups already listed: (id, name).
    groups: Vec<(Uuid, String)>,
}

async fn listed(state: &AppState) -> Result<Vec<(Uuid, String)>, PageError> {
    Ok(state
        .store
        .community_groups(true, LIST_LIMIT)
        .await?
        .into_iter()
        .map(|g| (g.id, g.record.name))
        .collect())
}

/// `/start-a-group`.
pub(crate) async fn start_form(State(state): State<AppState>) -> PageResult {
    Ok(render(
        &StartPage {
            site: &state.site,
            form: IdeaForm::default(),
            error: None,
            groups: listed(&state).await?,
        },
        StatusCode::OK,
    ))
}

/// `POST /start-a-group`: the idea goes to the coordinators, sealed.
pub(crate) async fn start(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<IdeaForm>,
) -> PageResult {
    let groups = listed(&state).await?;
    let again = |field: &'static str, text: String, status| {
        render(
            &StartPage {
                site: &state.site,
                form: form.clone(),
                error: Some(FieldError::new(field, text)),
                groups: groups.clone(),
            },
            status,
        )
    };
    let idea = match form.parse() {
        Ok(idea) => idea,
        Err(e) => {
            return Ok(again(
                e.field(),
                idea_problem(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if !public_limit::admit(&state, PublicForm::GroupIdea, &address).await {
        return Ok(again(
            "name",
            crate::t("group-too-many"),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    state.store.record_group_idea(&idea, Utc::now()).await?;
    tracing::info!("group idea received");
    Ok(Notice::new(
        StatusCode::OK,
        crate::t("group-idea-thanks"),
        crate::t("group-idea-thanks-text"),
    )
    .link("/assets", crate::t("group-see-spaces"))
    .into_response())
}

/// A group as its public page shows it.
struct GroupView {
    id: Uuid,
    service_id: Uuid,
    name: String,
    purpose: String,
    who_for: String,
    needs: Vec<String>,
    meeting_pattern: String,
    contact: String,
    members: u32,
    capacity: Option<String>,
    venue: Option<VenueView>,
    published: bool,
}

struct VenueView {
    asset_id: Uuid,
    title: String,
    when: String,
}

async fn view(state: &AppState, group: &CommunityGroup) -> Result<GroupView, PageError> {
    let r = &group.record;
    let venue = match group.venue_booking {
        Some(b) => match state.store.asset_booking(b).await? {
            Some(booking) => state
                .store
                .asset(booking.asset_id)
                .await?
                .map(|a| VenueView {
                    asset_id: a.id,
                    title: a.details.title.clone(),
                    when: slot_when(&booking.slot),
                }),
            None => None,
        },
        None => None,
    };
    Ok(GroupView {
        id: group.id,
        service_id: group.service_id,
        name: r.name.clone(),
        purpose: r.purpose.clone(),
        who_for: r.who_for.clone(),
        needs: r
            .needs
            .iter()
            .map(|n| crate::kit::language::need_label(n.need()))
            .collect(),
        meeting_pattern: r.meeting_pattern.clone(),
        contact: r.contact.clone(),
        members: r.members,
        capacity: capacity_note(r).map(|english| {
            let id = match (r.full, r.needs_volunteers) {
                (true, true) => "full-needs-volunteers",
                (true, false) => "full",
                _ => "needs-volunteers",
            };
            crate::kit::language::domain_words("group-capacity", id, english)
        }),
        venue,
        published: group.status == GroupStatus::Published,
    })
}

#[derive(Template)]
#[template(path = "groups/group.html")]
struct GroupPage<'a> {
    site: &'a Site,
    group: GroupView,
    awards: Vec<AwardLine>,
    /// Fund rounds open now, each a link to apply for this group.
    rounds: Vec<(Uuid, String)>,
}

/// A grant the group was given, as its page says it.
struct AwardLine {
    amount: String,
    round: String,
    date: String,
}

/// `/groups/{id}`: a published group.
pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let missing = || {
        PageError::from(
            Notice::new(
                StatusCode::NOT_FOUND,
                crate::t("group-no-such"),
                crate::t("group-no-such-text"),
            )
            .link("/start-a-group", crate::t("group-start")),
        )
    };
    let id = Uuid::parse_str(&id).map_err(|_| missing())?;
    let group = state
        .store
        .community_group(id)
        .await?
        .filter(|g| g.status == GroupStatus::Published)
        .ok_or_else(missing)?;
    let awards = state
        .store
        .group_awards(group.id)
        .await?
        .into_iter()
        .map(|a| AwardLine {
            amount: a.amount.to_string(),
            round: a.round_title,
            date: crate::kit::language::long_date_with_year(a.awarded_on),
        })
        .collect();
    let rounds = state
        .store
        .fund_rounds(Some(Utc::now()), 5)
        .await?
        .into_iter()
        .map(|r| (r.id, r.plan.title))
        .collect();
    Ok(render(
        &GroupPage {
            site: &state.site,
            group: view(&state, &group).await?,
            awards,
            rounds,
        },
        StatusCode::OK,
    ))
}

// --- staff ---

struct IdeaRow {
    id: Uuid,
    name: String,
    contact: String,
    idea: String,
    who_for: String,
    when: String,
}

struct GroupRow {
    id: Uuid,
    name: String,
    published: bool,
    capacity: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "groups/staff_list.html")]
struct ListPage<'a> {
    site: &'a Site,
    csrf: String,
    ideas: Vec<IdeaRow>,
    groups: Vec<GroupRow>,
}

/// `/staff/groups`: ideas waiting to be taken up, and the groups.
pub(crate) async fn list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let ideas = state.store.group_ideas(LIST_LIMIT).await?;
    let groups = state.store.community_groups(false, LIST_LIMIT).await?;
    Ok(render(
        &ListPage {
            site: &state.site,
            csrf: allowed.csrf(),
            ideas: ideas
                .into_iter()
                .map(|i| IdeaRow {
                    id: i.id,
                    name: i.idea.name.clone(),
                    contact: i.idea.contact.clone(),
                    idea: i.idea.idea.clone(),
                    who_for: i.idea.who_for.clone(),
                    when: crate::kit::when(i.at),
                })
                .collect(),
            groups: groups
                .iter()
                .map(|g| GroupRow {
                    id: g.id,
                    name: g.record.name.clone(),
                    published: g.status == GroupStatus::Published,
                    capacity: capacity_note(&g.record),
                })
                .collect(),
        },
        StatusCode::OK,
    ))
}

/// `POST /staff/group-ideas/{id}/take`: the idea becomes a draft group.
pub(crate) async fn take(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let id = Uuid::parse_str(&id).map_err(|_| PageError::NotFound("idea"))?;
    let idea = state
        .store
        .group_idea(id)
        .await?
        .ok_or(PageError::NotFound("idea"))?;
    let record = GroupRecord {
        name: format!("{}'s group", idea.idea.name),
        purpose: idea.idea.idea.clone(),
        who_for: idea.idea.who_for.clone(),
        ..GroupRecord::default()
    };
    match state
        .store
        .take_group_idea(id, &record, allowed.stamp.clone())
        .await
    {
        Ok(group) => Ok(see_other(format!("/staff/groups/{}", group.id))),
        // A colleague took it first: it is in the list of groups.
        Err(GroupError::IdeaTaken) => Ok(see_other("/staff/groups")),
        Err(GroupError::NoSuchIdea) => Err(PageError::NotFound("idea")),
        Err(e) => Err(PageError::internal(e)),
    }
}

struct VenueChoice {
    id: Uuid,
    label: String,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "groups/staff_edit.html")]
struct EditPage<'a> {
    site: &'a Site,
    csrf: String,
    group: GroupView,
    form: GroupForm,
    venues: Vec<VenueChoice>,
    error: Option<FieldError>,
}

/// Approved bookings a group could meet at: of every asset, to come.
async fn venue_choices(state: &AppState, chosen: &str) -> Result<Vec<VenueChoice>, PageError> {
    let mut out = Vec::new();
    let now = Utc::now();
    let filter = knit_store::assets::AssetFilter {
        kind: Some(knit_domain::assets::AssetKind::Space),
        ..Default::default()
    };
    for asset in state.store.assets(&filter, LIST_LIMIT).await? {
        for b in state.store.asset_bookings(asset.id, now).await? {
            if b.status == knit_domain::assets::BookingStatus::Approved
                && b.slot.starts_at
                    == state
                        .store
                        .booking_series(b.id)
                        .await?
                        .first()
                        .map(|f| f.slot.starts_at)
                        .unwrap_or(b.slot.starts_at)
            {
                out.push(VenueChoice {
                    id: b.id,
                    label: format!("{}: {}", asset.details.title, when(&b.slot)),
                    chosen: b.id.to_string() == chosen,
                });
            }
        }
    }
    Ok(out)
}

async fn edit_page(
    state: &AppState,
    allowed: &Allowed,
    group: &CommunityGroup,
    form: GroupForm,
    error: Option<FieldError>,
) -> PageResult {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let venues = venue_choices(state, &form.venue_booking).await?;
    Ok(render(
        &EditPage {
            site: &state.site,
            csrf: allowed.csrf(),
            group: view(state, group).await?,
            form,
            venues,
            error,
        },
        status,
    ))
}

async fn find(state: &AppState, id: &str) -> Result<CommunityGroup, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("group"))?;
    state
        .store
        .community_group(id)
        .await?
        .ok_or(PageError::NotFound("group"))
}

/// `/staff/groups/{id}`.
pub(crate) async fn edit_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let group = find(&state, &id).await?;
    let form = GroupForm::of(&group.record, group.venue_booking);
    edit_page(&state, &allowed, &group, form, None).await
}

/// The service a group is listed as, with its venue's name.
async fn service_of(
    state: &AppState,
    group: &CommunityGroup,
    record: &GroupRecord,
    venue_booking: Option<Uuid>,
) -> Result<Service, PageError> {
    let venue =
        match venue_booking {
            Some(b) => match state.store.asset_booking(b).await? {
                Some(booking) => state.store.asset(booking.asset_id).await?.map(|a| {
                    match a.details.area.as_str() {
                        "" => a.details.title.clone(),
                        area => format!("{}, {area}", a.details.title),
                    }
                }),
                None => None,
            },
            None => None,
        };
    Ok(as_service(
        group.service_id,
        record,
        venue.as_deref(),
        groups_organization(&state.site.area),
        Utc::now(),
    ))
}

/// `POST /staff/groups/{id}`: saves the record; a published group's listing changes with it.
pub(crate) async fn save(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<GroupForm>,
) -> PageResult {
    let group = find(&state, &id).await?;
    let (record, venue) = match form.parse() {
        Ok(parsed) => parsed,
        Err(e) => {
            let error = FieldError::new(e.field(), e);
            return edit_page(&state, &allowed, &group, form, Some(error)).await;
        }
    };
    let service = service_of(&state, &group, &record, venue).await?;
    match state
        .store
        .save_group(group.id, &record, venue, &service, allowed.stamp.clone())
        .await
    {
        Ok(saved) => {
            if saved.status == GroupStatus::Published {
                // The store rewrote the listing with the record; search shows it at once.
                state.engine.upsert_all(std::slice::from_ref(&service));
            }
            Ok(see_other(format!("/staff/groups/{}", group.id)))
        }
        Err(GroupError::NoSuchBooking) => {
            let error = FieldError::new("venue_booking", "Choose a booking from the list");
            edit_page(&state, &allowed, &group, form, Some(error)).await
        }
        Err(GroupError::NoSuchGroup) => Err(PageError::NotFound("group")),
        Err(e) => Err(PageError::internal(e)),
    }
}

/// `POST /staff/groups/{id}/publish`: lists the group in the directory, audited.
pub(crate) async fn publish(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let group = find(&state, &id).await?;
    let service = service_of(&state, &group, &group.record, group.venue_booking).await?;
    match state
        .store
        .publish_group(group.id, &service, allowed.stamp.clone())
        .await
    {
        Ok(_) => {
            state.engine.upsert_all(std::slice::from_ref(&service));
            tracing::info!(group = %group.id, service = %service.id, "group published");
            Ok(see_other(format!("/staff/groups/{}", group.id)))
        }
        // Published meanwhile: the page shows it.
        Err(GroupError::AlreadyPublished) => Ok(see_other(format!("/staff/groups/{}", group.id))),
        Err(GroupError::NoSuchGroup) => Err(PageError::NotFound("group")),
        Err(e) => Err(PageError::internal(e)),
    }
}

/// What is wrong with an idea for a group, in the page's language.
fn idea_problem(problem: &GroupProblem) -> String {
    match problem {
        GroupProblem::NoName => crate::t("group-no-name"),
        GroupProblem::NameTooLong => crate::t("group-name-too-long"),
        GroupProblem::NoContact => crate::t("group-no-contact"),
        GroupProblem::NoIdea => crate::t("group-no-idea"),
        GroupProblem::TooLong(_) => crate::t1(
            "group-too-long",
            "max",
            knit_domain::validation::MAX_FREE_TEXT,
        ),
        other => other.to_string(),
    }
}
