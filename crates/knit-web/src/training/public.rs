//! Training sessions on the public site: the list, one session with its booking form, the
//! booking itself (a seat or the waiting list), cancelling through the emailed link, and the
//! iCalendar feeds. Nobody needs an account to book.
//!
//! The public site sets no cookie, so these forms carry no token: a booking made from
//! another site gains its maker nothing they could not do by filling the form themselves.
//! Requests a browser marks as coming from another site are refused all the same.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use knit_domain::icalendar::calendar;
use knit_domain::public_forms::PublicForm;
use knit_domain::training::{Booker, BookingStatus, TrainingKind};
use knit_store::connectors::{
    BookingError, BookingNotice, BookingRef, Cancellation, NewBooking, TrainingSession,
};
use uuid::Uuid;

use crate::kit::language;
use crate::kit::{
    ClientAddress, FieldError, Notice, PageError, PageResult, public_base_url, public_limit,
    random_bytes, render,
};
use crate::training::emails::{booking_mail, event, when_spoken, where_};
use crate::{AppState, Site};

/// Sessions listed and put in the feed: a year's worth for any town.
pub(crate) const UPCOMING_LIMIT: u32 = 100;

/// One session as the public pages show it.
pub(crate) struct SessionView {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub is_joint: bool,
    /// A volunteer match event, booked here like training.
    pub is_match_event: bool,
    pub when: String,
    pub where_: String,
    pub trainer: String,
    pub seats_left: u32,
    pub waiting: u32,
}

impl SessionView {
    pub(crate) fn of(s: &TrainingSession) -> SessionView {
        SessionView {
            id: s.id,
            title: s.title.clone(),
            kind: language::domain_words("training-kind", s.kind.code(), s.kind.label()),
            is_joint: s.kind == TrainingKind::Joint,
            is_match_event: s.kind == TrainingKind::MatchEvent,
            when: when_spoken(s),
            where_: where_(s),
            trainer: s.trainer.clone(),
            seats_left: s.seats_left(),
            waiting: s.waiting,
        }
    }
}

#[derive(Template)]
#[template(path = "training_list.html")]
struct ListPage<'a> {
    site: &'a Site,
    sessions: Vec<SessionView>,
}

/// `/training`: every session still to come.
pub(crate) async fn list(State(state): State<AppState>) -> PageResult {
    Ok(
        match state
            .store
            .upcoming_training(Utc::now(), UPCOMING_LIMIT)
            .await
        {
            Ok(sessions) => render(
                &ListPage {
                    site: &state.site,
                    sessions: sessions.iter().map(SessionView::of).collect(),
                },
                StatusCode::OK,
            ),
            Err(e) => return Err(PageError::internal(e)),
        },
    )
}

/// The booking form as typed, kept to show back on a mistake.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct BookingForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organization: String,
}

#[derive(Template)]
#[template(path = "training_session.html")]
struct SessionPage<'a> {
    site: &'a Site,
    session: SessionView,
    /// The organisations coming, when the session is a match event.
    coming: Vec<String>,
    form: BookingForm,
    error: Option<FieldError>,
}

/// The organisations coming to a match event, by name; none for training.
async fn coming(state: &AppState, session: &TrainingSession) -> Result<Vec<String>, PageError> {
    if session.kind != TrainingKind::MatchEvent {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .match_event(session.id)
        .await?
        .map(|e| e.listed_names())
        .unwrap_or_default())
}

async fn find(state: &AppState, id: &str) -> Result<TrainingSession, PageError> {
    let missing = || {
        Notice::new(
            StatusCode::NOT_FOUND,
            crate::t("training-no-such"),
            crate::t("training-no-such-text"),
        )
        .link("/training", crate::t("training-see"))
    };
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(missing().into());
    };
    match state.store.training_session(id).await {
        Ok(Some(session)) => Ok(session),
        Ok(None) => Err(missing().into()),
        Err(e) => Err(e.into()),
    }
}

/// `/training/{id}`: the session and its booking form.
pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let session = find(&state, &id).await?;
    Ok(render(
        &SessionPage {
            site: &state.site,
            session: SessionView::of(&session),
            coming: coming(&state, &session).await?,
            form: BookingForm::default(),
            error: None,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "training_booked.html")]
struct BookedPage<'a> {
    site: &'a Site,
    session: SessionView,
    waiting: bool,
}

/// `POST /training/{id}`: books a seat, or a place on the waiting list.
pub(crate) async fn book(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<BookingForm>,
) -> PageResult {
    let site = &state.site;
    let session = find(&state, &id).await?;
    let coming = coming(&state, &session).await?;
    let again = |field: &'static str, text: String, status| {
        render(
            &SessionPage {
                site,
                session: SessionView::of(&session),
                coming: coming.clone(),
                form: form.clone(),
                error: Some(FieldError::new(field, text)),
            },
            status,
        )
    };
    let booker = match Booker::parse(&form.name, &form.email, &form.organization, session.kind) {
        Ok(b) => Booker {
            language: language::current(),
            ..b
        },
        Err(e) => {
            return Ok(again(
                e.field(),
                e.to_string(),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if !public_limit::admit(&state, PublicForm::TrainingBooking, &address).await {
        return Ok(again(
            "name",
            crate::t("training-too-many").to_owned(),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let Ok(random) = random_bytes() else {
        return Err(PageError::internal("no randomness"));
    };
    let now = Utc::now();
    let base_url = public_base_url(&headers);
    let site_name = site.name.clone();
    let mail = move |notice: &BookingNotice<'_>| booking_mail(&base_url, &site_name, notice, now);
    let booked = state
        .store
        .book_training(NewBooking {
            session_id: session.id,
            booker,
            random,
            at: now,
            mail: &mail,
        })
        .await;
    Ok(match booked {
        Ok((booking, _)) => {
            tracing::info!(session = %session.id, status = booking.status.code(), "training booked");
            let session = state
                .store
                .training_session(session.id)
                .await
                .ok()
                .flatten()
                .unwrap_or(session);
            render(
                &BookedPage {
                    site,
                    session: SessionView::of(&session),
                    waiting: booking.status == BookingStatus::Waiting,
                },
                StatusCode::OK,
            )
        }
        Err(BookingError::AlreadyBooked) => again(
            "email",
            crate::t("training-already-booked").to_owned(),
            StatusCode::CONFLICT,
        ),
        Err(BookingError::SessionStarted) => Notice::new(
            StatusCode::CONFLICT,
            crate::t("training-started"),
            crate::t("training-started-text"),
        )
        .link("/training", crate::t("training-see"))
        .into_response(),
        Err(BookingError::NoSuchSession) => Notice::new(
            StatusCode::NOT_FOUND,
            crate::t("training-no-such"),
            crate::t("training-not-found"),
        )
        .link("/training", crate::t("training-see"))
        .into_response(),
        Err(e) => return Err(PageError::internal(e)),
    })
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Template)]
#[template(path = "booking_cancel.html")]
struct CancelPage<'a> {
    site: &'a Site,
    token: String,
}

/// `/bookings/{token}/cancel`: asks before cancelling, so a mail scanner opening the link
/// cancels nothing.
pub(crate) async fn cancel_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PageResult {
    if !well_formed(&token) {
        return Ok(unknown_booking());
    }
    Ok(render(
        &CancelPage {
            site: &state.site,
            token,
        },
        StatusCode::OK,
    ))
}

fn unknown_booking() -> Response {
    Notice::new(
        StatusCode::NOT_FOUND,
        crate::t("booking-not-found"),
        crate::t("booking-not-found-text"),
    )
    .link("/training", crate::t("training-see"))
    .into_response()
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    let site = &state.site;
    if !well_formed(&token) {
        return Ok(unknown_booking());
    }
    let Ok(random) = random_bytes() else {
        return Err(PageError::internal("no randomness"));
    };
    let now = Utc::now();
    let base_url = public_base_url(&headers);
    let site_name = site.name.clone();
    let mail = move |notice: &BookingNotice<'_>| booking_mail(&base_url, &site_name, notice, now);
    let cancelled = state
        .store
        .cancel_booking(Cancellation {
            booking: BookingRef::CancelToken(&token),
            random,
            at: now,
            mail: &mail,
        })
        .await;
    Ok(match cancelled {
        Ok(done) => {
            tracing::info!(
                booking = %done.booking.id,
                promoted = done.promoted.is_some(),
                "training booking cancelled"
            );
            Notice::new(
                StatusCode::OK,
                crate::t("booking-cancelled"),
                crate::t("booking-cancelled-text"),
            )
            .link("/training", crate::t("training-see-other"))
            .into_response()
        }
        Err(BookingError::NoSuchBooking) => unknown_booking(),
        Err(BookingError::AlreadyCancelled) => Notice::new(
            StatusCode::CONFLICT,
            crate::t("booking-already-cancelled"),
            crate::t("booking-already-cancelled-text"),
        )
        .link("/training", crate::t("training-see"))
        .into_response(),
        Err(BookingError::AlreadyAttended) => Notice::new(
            StatusCode::CONFLICT,
            crate::t("booking-attended"),
            crate::t("booking-attended-text"),
        )
        .link("/training", crate::t("training-see"))
        .into_response(),
        Err(e) => return Err(PageError::internal(e)),
    })
}

/// The host name for calendar uids: the public address's, or the site's name.
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

/// `/training/{id}/calendar.ics`: one session, to add to a calendar.
pub(crate) async fn session_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let session = find(&state, &id).await?;
    let base_url = public_base_url(&headers);
    let now = Utc::now();
    let events = [event(&session, &base_url, &uid_host(&base_url), now)];
    Ok(ics(
        calendar(&format!("{}: {}", state.site.name, session.title), &events),
        "training.ics",
    ))
}

/// `/training.ics`: every session to come, as a feed calendars subscribe to.
pub(crate) async fn feed(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let now = Utc::now();
    let sessions = match state.store.upcoming_training(now, UPCOMING_LIMIT).await {
        Ok(s) => s,
        Err(e) => return Err(PageError::internal(e)),
    };
    let base_url = public_base_url(&headers);
    let host = uid_host(&base_url);
    let events: Vec<_> = sessions
        .iter()
        .map(|s| event(s, &base_url, &host, now))
        .collect();
    Ok(ics(
        calendar(&format!("{} training sessions", state.site.name), &events),
        "training.ics",
    ))
}
