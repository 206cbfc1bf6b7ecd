//! Place leads run training: schedule sessions (`/staff/training`), and on the day take the
//! register on a phone (`/staff/training/{id}`). Marking someone present at connector
//! training (or a refresher) makes them a trained connector: they get a postcard code, and
//! an invitation to a connector account if they have none. A place lead can also cancel a
//! booking from the register, which moves the waiting list on as the emailed link does.
//! Every change is in the audit log; who may is `Action::ManageTraining`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use chrono::{DateTime, Utc};
use knit_domain::access::{Action, decide};
use knit_domain::account::{Membership, UserId};
use knit_domain::audit::NewAuditEvent;
use knit_domain::connector::{CODE_LENGTH, ConnectorCode};
use knit_domain::opening::uk_local;
use knit_domain::training::{BookingStatus, SessionForm, TrainingKind};
use knit_store::connectors::{
    AttendanceError, Booking, BookingError, BookingNotice, BookingRef, Cancellation, EnrolError,
    TrainingSession,
};
use uuid::Uuid;

use crate::accounts::invitation::{Invitation, InviteError, invite};
use crate::kit::session::SignedIn;

use super::SessionView;
use crate::kit::{
    Allowed, ClientAddress, FieldError, Notice, PageError, PageResult, public_base_url,
    random_bytes, render,
};
use crate::training::emails::booking_mail;
use crate::{AppState, Site};

const BACK: (&str, &str) = ("/staff/training", "Back to training");

struct KindChoice {
    code: &'static str,
    label: &'static str,
}

fn kinds() -> Vec<KindChoice> {
    TrainingKind::TRAINING
        .iter()
        .map(|k| KindChoice {
            code: k.code(),
            label: k.label(),
        })
        .collect()
}

/// Someone who signed up to become a connector, for the place lead to welcome.
struct SignUpRow {
    name: String,
    email: String,
    phone: String,
    area: String,
    heard_from: String,
    when: String,
}

/// Sign-ups listed on the training page: the latest, for following up.
const SIGN_UPS_SHOWN: u32 = 50;

#[derive(Template)]
#[template(path = "staff/training.html")]
struct TrainingPage<'a> {
    site: &'a Site,
    csrf: String,
    sessions: Vec<SessionView>,
    sign_ups: Vec<SignUpRow>,
    sign_ups_total: u64,
    kinds: Vec<KindChoice>,
    form: SessionForm,
    error: Option<FieldError>,
}

async fn training_page(
    state: &AppState,
    signed_in: &SignedIn,
    form: SessionForm,
    error: Option<FieldError>,
) -> PageResult {
    let sessions = state
        .store
        .upcoming_training(Utc::now(), super::UPCOMING_LIMIT)
        .await?;
    let (sign_ups, sign_ups_total) = match (
        state.store.recent_sign_ups(SIGN_UPS_SHOWN).await,
        state.store.count_sign_ups().await,
    ) {
        (Ok(list), Ok(total)) => (list, total),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::internal(e)),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &TrainingPage {
            site: &state.site,
            csrf: signed_in.csrf_secret.clone(),
            sessions: sessions.iter().map(SessionView::of).collect(),
            sign_ups: sign_ups
                .into_iter()
                .map(|s| SignUpRow {
                    name: s.name,
                    email: s.email.as_str().to_owned(),
                    phone: s.phone.unwrap_or_default(),
                    area: s.area,
                    heard_from: s.heard_from.unwrap_or_default(),
                    when: uk_local(s.at).format("%-d %B %Y").to_string(),
                })
                .collect(),
            sign_ups_total,
            kinds: kinds(),
            form,
            error,
        },
        status,
    ))
}

/// `/staff/training`: sessions to come, and the form to schedule one.
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let form = SessionForm {
        kind: TrainingKind::Connector.code().to_owned(),
        ..SessionForm::default()
    };
    training_page(&state, &signed_in, form, None).await
}

#[derive(serde::Deserialize)]
pub(crate) struct ScheduleForm {
    #[serde(flatten)]
    session: SessionForm,
}

/// `POST /staff/training`: schedules a session.
pub(crate) async fn schedule(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    Form(form): Form<ScheduleForm>,
) -> PageResult {
    let now = Utc::now();
    let plan = match form.session.plan(now) {
        Ok(plan) => plan,
        Err(e) => {
            let error = FieldError::new(e.field(), e);
            return training_page(&state, &signed_in, form.session, Some(error)).await;
        }
    };
    Ok(
        match state
            .store
            .schedule_training(&plan, Some(signed_in.user.id), now)
            .await
        {
            Ok(session) => {
                audit(
                    &state,
                    &signed_in,
                    "training_session",
                    session.id,
                    &address,
                    now,
                )
                .await;
                Redirect::to(&format!("/staff/training/{}", session.id)).into_response()
            }
            Err(e) => return Err(PageError::internal(e)),
        },
    )
}

async fn audit(
    state: &AppState,
    signed_in: &SignedIn,
    object_type: &str,
    id: Uuid,
    address: &str,
    now: DateTime<Utc>,
) {
    let action = Action::ManageTraining;
    let decision = decide(&signed_in.actor, &action);
    let new = NewAuditEvent::for_decision(
        &signed_in.actor,
        &action,
        &decision,
        object_type,
        Some(id.to_string()),
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = state.store.append_audit(new).await {
        tracing::error!(error = %e, "audit event not written");
    }
}

/// One line of the register.
struct RegisterRow {
    id: Uuid,
    name: String,
    organization: String,
    status: &'static str,
    present: bool,
    cancellable: bool,
    invited: bool,
}

impl RegisterRow {
    fn of(b: &Booking) -> RegisterRow {
        RegisterRow {
            id: b.id,
            name: b.name.clone(),
            organization: b.organization.clone().unwrap_or_default(),
            status: b.status.label(),
            present: b.status == BookingStatus::Attended,
            cancellable: matches!(b.status, BookingStatus::Confirmed | BookingStatus::Waiting),
            invited: b.invited_user.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/training_register.html")]
struct RegisterPage<'a> {
    site: &'a Site,
    csrf: String,
    session: SessionView,
    trains_connectors: bool,
    seated: Vec<RegisterRow>,
    waiting: Vec<RegisterRow>,
    cancelled: usize,
    present: usize,
    /// For joint training: the organisations whose staff came, in order of first arrival.
    organizations_attended: Vec<String>,
    notice: Option<String>,
}

async fn find(state: &AppState, id: &str) -> Result<TrainingSession, PageError> {
    let missing = || {
        Notice::new(
            StatusCode::NOT_FOUND,
            "No such training session",
            "There is no training session at this address.",
        )
        .link(BACK.0, BACK.1)
    };
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(missing().into());
    };
    match state.store.training_session(id).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(missing().into()),
        Err(e) => Err(e.into()),
    }
}

async fn register_page(
    state: &AppState,
    signed_in: &SignedIn,
    session: &TrainingSession,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let bookings = state.store.bookings(session.id).await?;
    let mut organizations_attended: Vec<String> = Vec::new();
    for b in bookings
        .iter()
        .filter(|b| b.status == BookingStatus::Attended)
    {
        if let Some(org) = &b.organization
            && !organizations_attended
                .iter()
                .any(|o| o.eq_ignore_ascii_case(org))
        {
            organizations_attended.push(org.clone());
        }
    }
    Ok(render(
        &RegisterPage {
            site: &state.site,
            csrf: signed_in.csrf_secret.clone(),
            session: SessionView::of(session),
            trains_connectors: session.kind.trains_connectors(),
            seated: bookings
                .iter()
                .filter(|b| b.status.holds_a_seat())
                .map(RegisterRow::of)
                .collect(),
            waiting: bookings
                .iter()
                .filter(|b| b.status == BookingStatus::Waiting)
                .map(RegisterRow::of)
                .collect(),
            cancelled: bookings
                .iter()
                .filter(|b| b.status == BookingStatus::Cancelled)
                .count(),
            present: bookings
                .iter()
                .filter(|b| b.status == BookingStatus::Attended)
                .count(),
            organizations_attended,
            notice,
        },
        status,
    ))
}

/// `/staff/training/{id}`: the register.
pub(crate) async fn register(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let session = find(&state, &id).await?;
    register_page(&state, &signed_in, &session, None, StatusCode::OK).await
}

#[derive(serde::Deserialize)]
pub(crate) struct BookingActionForm {
    #[serde(default)]
    booking: String,
    /// `yes` to mark present, `no` to undo.
    #[serde(default)]
    present: String,
}

/// The booking a register form names, if it belongs to this session.
async fn booking_of(
    state: &AppState,
    session: &TrainingSession,
    form: &BookingActionForm,
) -> Result<Booking, PageError> {
    let not_here = || {
        Notice::new(
            StatusCode::NOT_FOUND,
            "No such booking",
            "That booking is not on this session's register. Reload the register and try again.",
        )
        .link("/staff/training", "Back to training")
    };
    let Ok(id) = Uuid::parse_str(form.booking.trim()) else {
        return Err(not_here().into());
    };
    match state.store.booking(id).await {
        Ok(Some(b)) if b.session_id == session.id => Ok(b),
        Ok(_) => Err(not_here().into()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/training/{id}/attendance`: marks a booking present (or undoes it). At
/// connector training, someone marked present becomes a trained connector.
pub(crate) async fn attendance(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<BookingActionForm>,
) -> PageResult {
    let now = Utc::now();
    let session = find(&state, &id).await?;
    let booking = booking_of(&state, &session, &form).await?;
    let present = match form.present.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Ok(Notice::new(
                StatusCode::BAD_REQUEST,
                "There is a problem",
                "Choose whether the person is present.",
            )
            .link("/staff/training", "Back to training")
            .into_response());
        }
    };
    let marked = match state.store.mark_attendance(booking.id, present, now).await {
        Ok(b) => b,
        Err(AttendanceError::NoSeat(_)) => {
            return register_page(
                &state,
                &signed_in,
                &session,
                Some(
                    "Only someone with a place can be marked present. Someone on the waiting \
                     list needs a place first."
                        .to_owned(),
                ),
                StatusCode::CONFLICT,
            )
            .await;
        }
        Err(AttendanceError::NoSuchBooking) => {
            return Ok(Notice::new(
                StatusCode::NOT_FOUND,
                "No such booking",
                "That booking is not on this register.",
            )
            .link(BACK.0, BACK.1)
            .into_response());
        }
        Err(e) => return Err(PageError::internal(e)),
    };
    audit(
        &state,
        &signed_in,
        "training_booking",
        marked.id,
        &address,
        now,
    )
    .await;
    if present && session.kind.trains_connectors() && marked.invited_user.is_none() {
        let trained_on = uk_local(session.starts_at).date();
        if let Err(e) = make_connector(
            &state, &signed_in, &marked, trained_on, &headers, &address, now,
        )
        .await
        {
            return register_page(
                &state,
                &signed_in,
                &session,
                Some(format!(
                    "{} is marked present, but their connector account could not be set up: \
                     {e}. Mark them present again to try again.",
                    marked.name
                )),
                StatusCode::CONFLICT,
            )
            .await;
        }
    }
    Ok(Redirect::to(&format!("/staff/training/{}", session.id)).into_response())
}

/// Gives the person who attended a connector account (an invitation, or the connector role
/// added to the account they have) and a postcard code.
async fn make_connector(
    state: &AppState,
    signed_in: &SignedIn,
    booking: &Booking,
    trained_on: chrono::NaiveDate,
    headers: &HeaderMap,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), String> {
    let store = state.store.as_ref();
    let existing = store
        .user_by_email(&booking.email)
        .await
        .map_err(|e| e.to_string())?;
    let user: UserId = match existing {
        Some(user) => {
            if !user.memberships.contains(&Membership::connector()) {
                if !decide(&signed_in.actor, &Action::ChangeUserRole).is_allowed() {
                    return Err("your role cannot give an existing account a new role".into());
                }
                store
                    .add_membership(user.id, Membership::connector())
                    .await
                    .map_err(|e| e.to_string())?;
            }
            user.id
        }
        None => invite(
            store,
            &signed_in.actor,
            Invitation {
                name: booking.name.clone(),
                email: booking.email.clone(),
                membership: Membership::connector(),
            },
            &public_base_url(headers),
            address,
            now,
        )
        .await
        .map_err(|e| match e {
            InviteError::Store(e) => {
                tracing::error!(error = %e, "connector invitation failed");
                "the database did not answer".to_owned()
            }
            other => other.to_string(),
        })?,
    };
    // A code is drawn until a free one comes up: with 590 million codes, nearly always once.
    for _ in 0..8 {
        let bytes = random_bytes::<{ 2 * CODE_LENGTH }>()?;
        let Some(code) = ConnectorCode::from_random(&bytes) else {
            continue;
        };
        match store.enrol_connector(user, &code, trained_on, now).await {
            Ok(_) => {
                store
                    .set_booking_invited_user(booking.id, user)
                    .await
                    .map_err(|e| e.to_string())?;
                return Ok(());
            }
            Err(EnrolError::CodeTaken) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err("no free postcard code was found; try again".into())
}

/// `POST /staff/training/{id}/cancel`: cancels a booking for someone who phoned in; the
/// first person waiting moves up and is emailed, as with the emailed link.
pub(crate) async fn cancel(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<BookingActionForm>,
) -> PageResult {
    let now = Utc::now();
    let session = find(&state, &id).await?;
    let booking = booking_of(&state, &session, &form).await?;
    let Ok(random) = random_bytes() else {
        return Err(PageError::internal("no randomness"));
    };
    let base_url = public_base_url(&headers);
    let site_name = state.site.name.clone();
    let mail = move |notice: &BookingNotice<'_>| booking_mail(&base_url, &site_name, notice, now);
    let cancelled = state
        .store
        .cancel_booking(Cancellation {
            booking: BookingRef::Id(booking.id),
            random,
            at: now,
            mail: &mail,
        })
        .await;
    let refused = |text: &str| {
        register_page(
            &state,
            &signed_in,
            &session,
            Some(text.to_owned()),
            StatusCode::CONFLICT,
        )
    };
    Ok(match cancelled {
        Ok(done) => {
            audit(
                &state,
                &signed_in,
                "training_booking",
                done.booking.id,
                &address,
                now,
            )
            .await;
            let notice = match &done.promoted {
                Some(p) => format!(
                    "{} is cancelled. {} was first on the waiting list, has the place and has \
                     been emailed.",
                    done.booking.name, p.name
                ),
                None => format!("{} is cancelled.", done.booking.name),
            };
            register_page(&state, &signed_in, &session, Some(notice), StatusCode::OK).await?
        }
        Err(BookingError::AlreadyCancelled) => {
            refused("That booking was cancelled already.").await?
        }
        Err(BookingError::AlreadyAttended) => {
            refused("That person is marked present; undo that first if it was a mistake.").await?
        }
        Err(BookingError::NoSuchBooking) => {
            refused("That booking is not on this register.").await?
        }
        Err(e) => return Err(PageError::internal(e)),
    })
}
