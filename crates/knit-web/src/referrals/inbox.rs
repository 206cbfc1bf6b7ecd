//! Referrals from both sides. The coordinator chooses a service (suggested from the
//! person's needs and where they live), what to share, and records the person's consent;
//! the receiving organisation works its inbox — opening marks a referral received, then
//! accept, turn down with a reason, record the outcome, message the referrer, or refer
//! onward as a new linked referral. The state machine is `knit_domain::referral`; partner
//! staff see only what was shared with their organisation, and only while consent lasts.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::Utc;
use knit_domain::access::{Action, decide};
use knit_domain::account::{Actor, OrganizationId};
use knit_domain::casework::{CaseStatus, ConsentMethod, SharedDetails, SharedPart, may_share_with};
use knit_domain::needs::NeedId;
use knit_domain::referral::{ReferralMove, ReferralResult, ReferralStatus, RejectionReason, Side};
use knit_store::casework::{ConsentGiven, NewReferral, Referral, ReferralError};
use uuid::Uuid;

use super::referral_error;
use crate::casework::{contact_rules, details_of, open_record, parse_referral};
use crate::directory::search::{SearchRequest, locate, search_from};
use knit_domain::validation::MAX_FREE_TEXT;

use crate::kit::{
    Allowed, FieldError, Notice, PageError, PageResult, day, render, see_other, when,
};
use crate::{AppState, Site};

/// Suggestions per need on the referral form.
const SUGGESTIONS_PER_NEED: usize = 3;
const INBOX_LENGTH: u32 = 200;

struct Suggestion {
    service_id: String,
    name: String,
    organisation: String,
    need: &'static str,
    distance: String,
}

struct Choice {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "staff/refer.html")]
struct ReferPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    name: String,
    rules: Vec<String>,
    suggestions: Vec<Suggestion>,
    parts: Vec<Choice>,
    needs: Vec<Choice>,
    service: String,
    message_text: String,
    purpose: String,
    error: Option<FieldError>,
}

async fn suggestions(
    state: &AppState,
    record: &knit_store::casework::PersonRecord,
) -> Vec<Suggestion> {
    let postcode = record
        .details
        .as_ref()
        .map(|d| d.postcode.clone())
        .unwrap_or_default();
    let near = if postcode.trim().is_empty() {
        None
    } else {
        locate(state.store.as_ref(), &postcode).await.ok()
    };
    let mut out: Vec<Suggestion> = Vec::new();
    let now = Utc::now();
    let mut needs: Vec<_> = record
        .needs
        .iter()
        .filter(|n| n.outcome.is_none())
        .collect();
    needs.sort_by_key(|n| n.priority);
    for need in needs {
        let request = SearchRequest {
            need: Some(need.need.as_str().to_owned()),
            ..SearchRequest::default()
        };
        let Ok(outcome) = search_from(
            state.store.as_ref(),
            &state.engine,
            &request,
            near.as_ref(),
            now,
        )
        .await
        else {
            continue;
        };
        for found in outcome.found.into_iter().take(SUGGESTIONS_PER_NEED) {
            if out
                .iter()
                .any(|s| s.service_id == found.service.id.to_string())
            {
                continue;
            }
            let organisation = state
                .store
                .organization(found.service.organization_id)
                .await
                .ok()
                .flatten()
                .map(|o| o.name)
                .unwrap_or_default();
            out.push(Suggestion {
                service_id: found.service.id.to_string(),
                name: found.service.name.clone(),
                organisation,
                need: need.need.need().label,
                distance: found
                    .hit
                    .distance_km
                    .map(|km| format!("{:.1} miles", km / 1.609_344))
                    .unwrap_or_default(),
            });
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn refer_page(
    state: &AppState,
    allowed: &Allowed,
    record: &knit_store::casework::PersonRecord,
    fields: &[(String, String)],
    error: Option<FieldError>,
) -> PageResult {
    let details = details_of(record)?;
    let first = fields.is_empty();
    let has = |name: &str, value: &str| fields.iter().any(|(k, v)| k == name && v == value);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &ReferPage {
            site: &state.site,
            csrf: allowed.signed_in.csrf_secret.clone(),
            id: record.id.0.to_string(),
            name: details.display_name().to_owned(),
            rules: contact_rules(&details.safe_contact),
            suggestions: suggestions(state, record).await,
            parts: SharedPart::ALL
                .iter()
                .map(|p| Choice {
                    code: p.code(),
                    label: p.label(),
                    // Least shared by default: contact details and the needs.
                    checked: if first {
                        matches!(p, SharedPart::Contact | SharedPart::Needs)
                    } else {
                        has("share", p.code())
                    },
                })
                .collect(),
            needs: record
                .needs
                .iter()
                .filter(|n| n.outcome.is_none())
                .map(|n| Choice {
                    code: n.need.as_str(),
                    label: n.need.need().label,
                    checked: has("need", n.need.as_str()),
                })
                .collect(),
            service: field("service"),
            message_text: field("message"),
            purpose: field("purpose"),
            error,
        },
        status,
    ))
}

/// `/staff/people/{id}/refer`.
pub(crate) async fn refer_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    refer_page(&state, &allowed, &record, &[], None).await
}

fn form_field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

/// Sends the referral. Sharing needs the person's consent for that organisation: either
/// one already recorded, or the coordinator records it now ("they agreed").
pub(crate) async fn send(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?.clone();
    if record.status != CaseStatus::Open {
        return Err(referral_error(
            &format!("/staff/people/{}", id.0),
            ReferralError::CaseClosed,
        ));
    }
    let service = match Uuid::parse_str(&form_field(&pairs, "service")) {
        Ok(service) => state.store.service(service).await,
        Err(_) => Ok(None),
    };
    let service = match service {
        Ok(Some(service)) => service,
        Ok(None) => {
            let error = FieldError::new("service", "Choose a service to refer to");
            return refer_page(&state, &allowed, &record, &pairs, Some(error)).await;
        }
        Err(e) => return Err(e.into()),
    };
    let organization = OrganizationId(service.organization_id);
    let parts: Vec<SharedPart> = pairs
        .iter()
        .filter(|(k, _)| k == "share")
        .filter_map(|(_, v)| SharedPart::from_code(v))
        .collect();
    let needs: Vec<NeedId> = pairs
        .iter()
        .filter(|(k, _)| k == "need")
        .filter_map(|(_, v)| NeedId::parse(v).ok())
        .collect();
    let agreed = !form_field(&pairs, "agreed").is_empty();
    let now = allowed.stamp.at;
    let mut consent_given = None;
    if !may_share_with(&record.consents, organization, now) {
        if !agreed {
            let error = FieldError::new(
                "agreed",
                format!(
                    "{} has not agreed to share with this organisation. Ask them, then tick the box",
                    details.display_name()
                ),
            );
            return refer_page(&state, &allowed, &record, &pairs, Some(error)).await;
        }
        let purpose = match form_field(&pairs, "purpose") {
            p if p.is_empty() => format!("a referral to {}", service.name),
            p => p,
        };
        consent_given = Some(ConsentGiven {
            purpose,
            method: ConsentMethod::Spoken,
        });
    }
    let message_text = form_field(&pairs, "message");
    let new = NewReferral {
        person: id,
        service_id: service.id,
        organization,
        shared: SharedDetails::of(&details, &parts, &needs, &message_text),
        parent: None,
        from_organization: None,
        timeline_text: format!("Referred to {}", service.name),
        consent_given,
        stamp: allowed.stamp,
    };
    state
        .store
        .send_referral(new)
        .await
        .map_err(|e| referral_error(&format!("/staff/people/{}/refer", id.0), e))?;
    Ok(see_other(format!("/staff/people/{}", id.0)))
}

// --- the organisation's inbox ---

struct InboxRow {
    id: String,
    name: String,
    service: String,
    status: &'static str,
    waiting: bool,
    sent: String,
    chased: bool,
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage<'a> {
    site: &'a Site,
    rows: Vec<InboxRow>,
}

/// The organisations whose inbox this actor works.
pub(crate) fn inbox_organisations(actor: &Actor) -> Vec<OrganizationId> {
    actor
        .memberships()
        .iter()
        .filter_map(|m| m.organization())
        .filter(|org| decide(actor, &Action::WorkReferralInbox(*org)).is_allowed())
        .collect()
}

/// `/staff/inbox`: referrals sent to the signed-in person's organisations.
pub(crate) async fn inbox(State(state): State<AppState>, mut allowed: Allowed) -> PageResult {
    let organisations = inbox_organisations(allowed.actor());
    if organisations.is_empty() {
        // Not partner staff: the policy's refusal, audited like any other.
        let own = OrganizationId(Uuid::nil());
        allowed
            .require(&state, &Action::WorkReferralInbox(own))
            .await?;
        return Ok(see_other("/staff"));
    }
    let mut referrals = Vec::new();
    for org in &organisations {
        referrals.extend(state.store.referral_inbox(*org, true, INBOX_LENGTH).await?);
        allowed
            .audit(
                &state,
                &Action::WorkReferralInbox(*org),
                "organization",
                org.0,
            )
            .await;
    }
    let names = service_names(&state, &referrals).await;
    referrals.sort_by(|a, b| {
        (!a.status.awaits_answer())
            .cmp(&!b.status.awaits_answer())
            .then(b.sent_at.cmp(&a.sent_at))
    });
    let rows = referrals
        .iter()
        .map(|r| InboxRow {
            id: r.id.0.to_string(),
            name: r
                .shared
                .as_ref()
                .map_or_else(|| "Details withdrawn".to_owned(), |s| s.name.clone()),
            service: names.get(&r.service_id).cloned().unwrap_or_default(),
            status: r.status.label(),
            waiting: r.status.awaits_answer(),
            sent: day(r.sent_at.date_naive()),
            chased: r.chased.is_some(),
        })
        .collect();
    Ok(render(
        &InboxPage {
            site: &state.site,
            rows,
        },
        StatusCode::OK,
    ))
}

async fn service_names(state: &AppState, referrals: &[Referral]) -> BTreeMap<Uuid, String> {
    let ids: Vec<Uuid> = referrals.iter().map(|r| r.service_id).collect();
    match state.store.services_by_id(&ids).await {
        Ok(services) => services.into_iter().map(|s| (s.id, s.name)).collect(),
        Err(_) => BTreeMap::new(),
    }
}

// --- one referral ---

/// Which side of a referral the signed-in person is on, and the action that lets them.
fn side_of(actor: &Actor, referral: &Referral) -> Option<(Side, Action)> {
    let receiver = Action::WorkReferralInbox(referral.organization);
    if decide(actor, &receiver).is_allowed() {
        return Some((Side::Receiver, receiver));
    }
    if decide(actor, &Action::ReferPerson).is_allowed() {
        return Some((Side::Referrer, Action::ReferPerson));
    }
    None
}

/// Loads a referral for whoever may see it, or the refusal; the visitor is then allowed
/// their side's action. Anyone who could see no referral at all is refused before
/// anything is read.
async fn find(
    state: &AppState,
    allowed: &mut Allowed,
    id: &str,
) -> Result<(Referral, Side), PageError> {
    if inbox_organisations(allowed.actor()).is_empty() && !allowed.may(&Action::ReferPerson) {
        allowed.require(state, &Action::ReferPerson).await?;
    }
    let id = parse_referral(id).ok_or(PageError::NotFound("referral"))?;
    let referral = state
        .store
        .referral(id)
        .await?
        .ok_or(PageError::NotFound("referral"))?;
    let Some((side, action)) = side_of(allowed.actor(), &referral) else {
        // Another organisation's referral: refused, and the refusal audited.
        let refused = Action::WorkReferralInbox(referral.organization);
        allowed.require(state, &refused).await?;
        return Err(PageError::NotFound("referral"));
    };
    allowed.require(state, &action).await?;
    Ok((referral, side))
}

struct EventRow {
    when: String,
    who: &'static str,
    what: String,
    text: String,
}

struct MoveButton {
    code: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "staff/referral.html")]
struct ReferralPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    receiver: bool,
    person_link: String,
    service: String,
    status: &'static str,
    shared: Option<SharedDetails>,
    rules: Vec<String>,
    needs: Vec<&'static str>,
    events: Vec<EventRow>,
    moves: Vec<MoveButton>,
    can_reject: bool,
    can_complete: bool,
    reasons: [RejectionReason; 6],
    results: [ReferralResult; 3],
    can_refer_onward: bool,
}

fn move_label(change: ReferralMove, side: Side) -> &'static str {
    match (change, side) {
        (ReferralMove::Accept, _) => "Accept",
        (ReferralMove::Start, _) => "Start working with them",
        (ReferralMove::PutOnHold, _) => "Put on hold",
        (ReferralMove::Resume, _) => "Resume",
        (ReferralMove::Cancel, Side::Referrer) => "Cancel this referral",
        (ReferralMove::Cancel, Side::Receiver) => "Stop: they no longer need us",
        (ReferralMove::Fail, _) => "Close: we could not contact them",
        (ReferralMove::Send, _) => "Send",
        _ => "",
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (mut referral, side) = find(&state, &mut allowed, &id).await?;
    allowed.audit_read(&state, "referral", referral.id.0).await;
    // Opening a new referral tells the referrer it was seen.
    if side == Side::Receiver && referral.status == ReferralStatus::Requested {
        match state
            .store
            .move_referral(
                referral.id,
                ReferralMove::Open,
                Side::Receiver,
                None,
                allowed.stamp.clone(),
            )
            .await
        {
            Ok(opened) => referral = opened,
            Err(ReferralError::Refused(_)) => {}
            Err(e) => return Err(referral_error("/staff/inbox", e)),
        }
    }
    let service = match state.store.service(referral.service_id).await {
        Ok(Some(s)) => s.name,
        _ => "A service no longer listed".to_owned(),
    };
    let moves: Vec<ReferralMove> = referral.status.moves_for(side);
    let shared = referral.shared.clone();
    let rules = shared
        .as_ref()
        .map(|s| contact_rules(&s.safe_contact))
        .unwrap_or_default();
    let needs = shared
        .as_ref()
        .map(|s| s.needs.iter().map(|n| n.need().label).collect())
        .unwrap_or_default();
    Ok(render(
        &ReferralPage {
            site: &state.site,
            csrf: allowed.signed_in.csrf_secret.clone(),
            id: referral.id.0.to_string(),
            receiver: side == Side::Receiver,
            person_link: format!("/staff/people/{}", referral.person.0),
            service,
            status: referral.status.label(),
            shared,
            rules,
            needs,
            events: referral
                .events
                .iter()
                .map(|e| EventRow {
                    when: when(e.at),
                    who: match e.side {
                        Some(knit_store::casework::ReferralSide::Referrer) => "Referrer",
                        Some(knit_store::casework::ReferralSide::Receiver) => "Organisation",
                        None => "Knit",
                    },
                    what: event_label(&e.kind),
                    text: e.text.clone().unwrap_or_default(),
                })
                .collect(),
            can_reject: moves.iter().any(|m| matches!(m, ReferralMove::Reject(_))),
            can_complete: moves.iter().any(|m| matches!(m, ReferralMove::Complete(_))),
            moves: moves
                .iter()
                .filter(|m| !matches!(m, ReferralMove::Reject(_) | ReferralMove::Complete(_)))
                .map(|m| MoveButton {
                    code: m.code(),
                    label: move_label(*m, side),
                })
                .filter(|b| !b.label.is_empty())
                .collect(),
            reasons: RejectionReason::ALL,
            results: ReferralResult::ALL,
            can_refer_onward: side == Side::Receiver
                && allowed.may(&Action::ReferOnward(referral.organization))
                && referral.shared.is_some(),
        },
        StatusCode::OK,
    ))
}

fn event_label(kind: &str) -> String {
    match kind {
        "send" => "Sent",
        "open" => "Opened",
        "accept" => "Accepted",
        "reject" => "Turned down",
        "start" => "Started",
        "hold" => "Put on hold",
        "resume" => "Resumed",
        "complete" => "Completed",
        "cancel" => "Cancelled",
        "fail" => "Closed: could not help",
        "message" => "Message",
        "reminded" => "Reminder sent to the organisation",
        "escalated" => "Referrer told it has not been answered",
        other => other,
    }
    .to_owned()
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct MoveForm {
    #[serde(default, rename = "move")]
    change: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    note: String,
}

impl MoveForm {
    fn change(&self) -> Result<ReferralMove, &'static str> {
        Ok(match self.change.as_str() {
            "accept" => ReferralMove::Accept,
            "reject" => ReferralMove::Reject(
                RejectionReason::from_code(&self.reason)
                    .ok_or("Choose why you are turning it down")?,
            ),
            "start" => ReferralMove::Start,
            "hold" => ReferralMove::PutOnHold,
            "resume" => ReferralMove::Resume,
            "complete" => ReferralMove::Complete(
                ReferralResult::from_code(&self.result).ok_or("Choose how it turned out")?,
            ),
            "cancel" => ReferralMove::Cancel,
            "fail" => ReferralMove::Fail,
            _ => return Err("Choose what to do with the referral"),
        })
    }
}

pub(crate) async fn make_move(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    let (referral, side) = find(&state, &mut allowed, &id).await?;
    let back = format!("/staff/referrals/{}", referral.id.0);
    let change = match form.change() {
        Ok(change) => change,
        Err(problem) => {
            return Ok(Notice::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please check what you chose",
                format!("Nothing was changed. {problem}."),
            )
            .link(&back, "Back to the referral")
            .into_response());
        }
    };
    let note = Some(form.note.as_str()).filter(|n| !n.trim().is_empty());
    state
        .store
        .move_referral(referral.id, change, side, note, allowed.stamp)
        .await
        .map_err(|e| referral_error(&back, e))?;
    Ok(see_other(back))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    text: String,
}

pub(crate) async fn add_message(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<MessageForm>,
) -> PageResult {
    let (referral, side) = find(&state, &mut allowed, &id).await?;
    let back = format!("/staff/referrals/{}", referral.id.0);
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > MAX_FREE_TEXT {
        let most = format!("Write a message of up to {MAX_FREE_TEXT} characters.");
        return Ok(Notice::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check your message",
            most,
        )
        .link(&back, "Back to the referral")
        .into_response());
    }
    state
        .store
        .message_on_referral(referral.id, side, text, allowed.stamp)
        .await
        .map_err(|e| referral_error(&back, e))?;
    Ok(see_other(back))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct OnwardForm {
    #[serde(default)]
    service: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    agreed: Option<String>,
}

/// The receiving organisation passes the person on to another service: a new referral
/// linked to this one, carrying what this organisation was shown, and only with the
/// person's agreement to share with the new organisation.
pub(crate) async fn refer_onward(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<OnwardForm>,
) -> PageResult {
    let (referral, side) = find(&state, &mut allowed, &id).await?;
    let back = format!("/staff/referrals/{}", referral.id.0);
    let onward = Action::ReferOnward(referral.organization);
    allowed.require(&state, &onward).await?;
    if side != Side::Receiver {
        return Ok(see_other(back));
    }
    let refuse = |text: &str| {
        Notice::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check what you entered",
            format!("Nothing was sent. {text}"),
        )
        .link(&back, "Back to the referral")
        .into_response()
    };
    let Some(shared) = referral.shared.clone() else {
        return Ok(refuse(
            "The person withdrew their consent to share, so it cannot be passed on.",
        ));
    };
    let service = match Uuid::parse_str(form.service.trim()) {
        Ok(service) => match state.store.service(service).await {
            Ok(Some(service)) => service,
            Ok(None) => return Ok(refuse("Choose a service from the directory.")),
            Err(e) => return Err(e.into()),
        },
        Err(_) => return Ok(refuse("Choose a service from the directory.")),
    };
    if form.agreed.as_deref().is_none_or(str::is_empty) {
        return Ok(refuse(
            "Tick the box to confirm the person agreed to be passed on.",
        ));
    }
    let organization = OrganizationId(service.organization_id);
    let new = NewReferral {
        person: referral.person,
        service_id: service.id,
        organization,
        shared: SharedDetails {
            message: form.message.trim().to_owned(),
            ..shared
        },
        parent: Some(referral.id),
        from_organization: Some(referral.organization),
        timeline_text: format!("Referred on to {}", service.name),
        consent_given: Some(ConsentGiven {
            purpose: format!("passed on to {}", service.name),
            method: ConsentMethod::Spoken,
        }),
        stamp: allowed.stamp,
    };
    state
        .store
        .send_referral(new)
        .await
        .map_err(|e| referral_error(&back, e))?;
    Ok(see_other(back))
}
