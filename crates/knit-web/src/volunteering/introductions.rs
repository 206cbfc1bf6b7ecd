//! Peer connection with consent. A coordinator records that a person opted in to meet
//! someone in a similar situation or with a shared interest (`/staff/people/{id}/peer`),
//! proposes an introduction between two people who opted in, and records each one's answer
//! as they give it (`/staff/introductions/{id}`). Nobody is named on an introduction until
//! both have said yes (`Answers::may_name`), and someone who said no never is; the
//! proposing coordinator is named on every one. What a person opted in about is sealed.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use knit_domain::casework::PersonId;
use knit_domain::introductions::{Answer, IntroductionStatus, PeerInterest, Side};
use knit_domain::opening::uk_local;
use knit_store::volunteering::{Introduction, IntroductionError};
use serde::Deserialize;
use uuid::Uuid;

use crate::kit::{Allowed, FieldError, PageError, PageResult, render, see_other, ticked};
use crate::{AppState, Site};

const LISTED: u32 = 200;

async fn name_of(state: &AppState, person: PersonId) -> Result<String, PageError> {
    Ok(state
        .store
        .person(person)
        .await?
        .and_then(|r| r.details)
        .map(|d| d.name)
        .unwrap_or_else(|| "A person no longer on record".to_owned()))
}

async fn staff_name(
    state: &AppState,
    user: knit_domain::account::UserId,
) -> Result<String, PageError> {
    Ok(state
        .store
        .user(user)
        .await?
        .map(|u| u.name)
        .unwrap_or_else(|| "A former coordinator".to_owned()))
}

struct OptInRow {
    person: Uuid,
    name: String,
    about: String,
}

/// One side of an introduction as the page shows it.
struct SideView {
    side: &'static str,
    label: String,
    /// The person's record, linked only while they have not said no.
    record: Option<Uuid>,
    about: String,
    answer: &'static str,
    waiting: bool,
}

struct IntroRow {
    id: Uuid,
    first: String,
    second: String,
    status: &'static str,
    coordinator: String,
    proposed: String,
}

/// How a person is shown on an introduction: by name only once both said yes; someone who
/// said no is never named, nor linked.
async fn label(
    state: &AppState,
    intro: &Introduction,
    side: Side,
) -> Result<(String, Option<Uuid>), PageError> {
    let person = intro.person(side);
    let n = match side {
        Side::First => "first",
        Side::Second => "second",
    };
    if intro.answers.may_name(side) {
        return Ok((name_of(state, person).await?, Some(person.0)));
    }
    if intro.answers.of(side) == Answer::No {
        return Ok(("Someone who said no".to_owned(), None));
    }
    Ok((
        format!("The {n} person (not named until both say yes)"),
        Some(person.0),
    ))
}

async fn row(state: &AppState, intro: &Introduction) -> Result<IntroRow, PageError> {
    Ok(IntroRow {
        id: intro.id,
        first: label(state, intro, Side::First).await?.0,
        second: label(state, intro, Side::Second).await?.0,
        status: intro.answers.status().label(),
        coordinator: staff_name(state, intro.coordinator).await?,
        proposed: uk_local(intro.proposed_at).format("%-d %b %Y").to_string(),
    })
}

#[derive(Template)]
#[template(path = "volunteering/introductions.html")]
struct ListPage<'a> {
    site: &'a Site,
    csrf: String,
    opted_in: Vec<OptInRow>,
    introductions: Vec<IntroRow>,
    error: Option<FieldError>,
}

async fn list_page(
    state: &AppState,
    allowed: &Allowed,
    error: Option<FieldError>,
    status: StatusCode,
) -> PageResult {
    let mut opted_in = Vec::new();
    for o in state.store.peer_opt_ins(LISTED).await? {
        opted_in.push(OptInRow {
            person: o.person.0,
            name: name_of(state, o.person).await?,
            about: o.interest.about.clone(),
        });
    }
    let mut introductions = Vec::new();
    for intro in state.store.introductions(None, LISTED).await? {
        introductions.push(row(state, &intro).await?);
    }
    Ok(render(
        &ListPage {
            site: &state.site,
            csrf: allowed.csrf(),
            opted_in,
            introductions,
            error,
        },
        status,
    ))
}

/// `/staff/introductions`: who opted in, the introductions, and a form to propose one.
pub(crate) async fn list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    list_page(&state, &allowed, None, StatusCode::OK).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProposeForm {
    #[serde(default)]
    first: String,
    #[serde(default)]
    second: String,
}

/// `POST /staff/introductions`: proposes an introduction between two people who opted in.
pub(crate) async fn propose(
    State(state): State<AppState>,
    allowed: Allowed,
    Form(form): Form<ProposeForm>,
) -> PageResult {
    let pick = |text: &str, field: &'static str| {
        Uuid::parse_str(text.trim())
            .map(PersonId)
            .map_err(|_| FieldError::new(field, "Choose a person who opted in"))
    };
    let (first, second) = match (pick(&form.first, "first"), pick(&form.second, "second")) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            return list_page(&state, &allowed, Some(e), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match state
        .store
        .propose_introduction(first, second, allowed.stamp.clone())
        .await
    {
        Ok(intro) => Ok(see_other(format!("/staff/introductions/{}", intro.id))),
        Err(IntroductionError::Refused(why)) => {
            let error = FieldError::new("first", capital(&why.to_string()));
            list_page(
                &state,
                &allowed,
                Some(error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

fn capital(text: &str) -> String {
    crate::kit::capitalised(text)
}

#[derive(Template)]
#[template(path = "volunteering/introduction.html")]
struct IntroPage<'a> {
    site: &'a Site,
    csrf: String,
    id: Uuid,
    status: &'static str,
    open: bool,
    agreed: bool,
    coordinator: String,
    sides: Vec<SideView>,
}

async fn find(state: &AppState, id: &str) -> Result<Introduction, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("introduction"))?;
    state
        .store
        .introduction(id)
        .await?
        .ok_or(PageError::NotFound("introduction"))
}

/// `/staff/introductions/{id}`: where it stands, and each side's answer to record.
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let intro = find(&state, &id).await?;
    allowed.audit_read(&state, "introduction", intro.id).await;
    let mut sides = Vec::new();
    for side in [Side::First, Side::Second] {
        let (label, record) = label(&state, &intro, side).await?;
        // What a side opted in about is told to the other side only as "someone who also…",
        // and not at all once they said no.
        let about = if intro.answers.of(side) == Answer::No {
            String::new()
        } else {
            state
                .store
                .peer_opt_in(intro.person(side))
                .await?
                .map(|o| o.interest.about)
                .unwrap_or_default()
        };
        sides.push(SideView {
            side: side.code(),
            label,
            record,
            about,
            answer: intro.answers.of(side).label(),
            waiting: intro.answers.of(side) == Answer::Waiting,
        });
    }
    let status = intro.answers.status();
    Ok(render(
        &IntroPage {
            site: &state.site,
            csrf: allowed.csrf(),
            id: intro.id,
            status: status.label(),
            open: status == IntroductionStatus::Proposed,
            agreed: status == IntroductionStatus::Agreed,
            coordinator: staff_name(&state, intro.coordinator).await?,
            sides,
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct AnswerForm {
    #[serde(default)]
    side: String,
    #[serde(default)]
    answer: String,
}

fn refused(id: Uuid, e: IntroductionError) -> PageError {
    match e {
        IntroductionError::Refused(why) => PageError::refused(
            why,
            format!("/staff/introductions/{id}"),
            "Back to the introduction",
        ),
        IntroductionError::NoSuchIntroduction => PageError::NotFound("introduction"),
        IntroductionError::Store(e) => e.into(),
    }
}

/// `POST /staff/introductions/{id}/answer`: one person's yes or no, as they told their
/// coordinator.
pub(crate) async fn answer(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> PageResult {
    let intro = find(&state, &id).await?;
    let side = Side::from_code(form.side.trim())
        .ok_or_else(|| PageError::BadRequest("Choose whose answer this is.".to_owned()))?;
    let answer = match Answer::from_code(form.answer.trim()) {
        Some(a @ (Answer::Yes | Answer::No)) => a,
        _ => return Err(PageError::BadRequest("Choose yes or no.".to_owned())),
    };
    state
        .store
        .answer_introduction(intro.id, side, answer, allowed.stamp.clone())
        .await
        .map_err(|e| refused(intro.id, e))?;
    Ok(see_other(format!("/staff/introductions/{}", intro.id)))
}

/// `POST /staff/introductions/{id}/stop`: either person asked to stop.
pub(crate) async fn stop(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let intro = find(&state, &id).await?;
    state
        .store
        .stop_introduction(intro.id, allowed.stamp.clone())
        .await
        .map_err(|e| refused(intro.id, e))?;
    Ok(see_other(format!("/staff/introductions/{}", intro.id)))
}

#[derive(Template)]
#[template(path = "volunteering/peer_opt_in.html")]
struct OptInPage<'a> {
    site: &'a Site,
    csrf: String,
    person: Uuid,
    name: String,
    about: String,
    opted_in: bool,
    error: Option<FieldError>,
}

async fn person_of(state: &AppState, id: &str) -> Result<(PersonId, String), PageError> {
    let id = Uuid::parse_str(id)
        .map(PersonId)
        .map_err(|_| PageError::NotFound("person"))?;
    let record = state
        .store
        .person(id)
        .await?
        .ok_or(PageError::NotFound("person"))?;
    let details = crate::casework::details_of(&record)?;
    Ok((id, details.name.clone()))
}

/// `/staff/people/{id}/peer`: record that the person wants to meet a peer.
pub(crate) async fn opt_in_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (person, name) = person_of(&state, &id).await?;
    allowed.audit_read(&state, "person", person.0).await;
    let current = state.store.peer_opt_in(person).await?;
    Ok(render(
        &OptInPage {
            site: &state.site,
            csrf: allowed.csrf(),
            person: person.0,
            name,
            opted_in: current.is_some(),
            about: current.map(|c| c.interest.about).unwrap_or_default(),
            error: None,
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct OptInForm {
    #[serde(default)]
    about: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(default)]
    withdraw: Option<String>,
}

/// `POST /staff/people/{id}/peer`: records the opt-in (or withdraws it).
pub(crate) async fn opt_in(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<OptInForm>,
) -> PageResult {
    let (person, name) = person_of(&state, &id).await?;
    if ticked(&form.withdraw) {
        state
            .store
            .withdraw_peer_opt_in(person, allowed.stamp.clone())
            .await?;
        return Ok(see_other(format!("/staff/people/{}/peer", person.0)));
    }
    match PeerInterest::parse(&form.about, ticked(&form.consent)) {
        Ok(interest) => {
            state
                .store
                .record_peer_opt_in(person, &interest, allowed.stamp.clone())
                .await?;
            Ok(see_other("/staff/introductions"))
        }
        Err(e) => Ok(render(
            &OptInPage {
                site: &state.site,
                csrf: allowed.csrf(),
                person: person.0,
                name,
                opted_in: false,
                about: form.about.clone(),
                error: Some(FieldError::new(e.field, e.message)),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
    }
}
