//! `/staff/audit`: place leads read the audit log, newest first, filtered by who acted, what
//! they did and what kind of thing it concerned, and check that the chain is unbroken.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use knit_domain::account::{Email, UserId};
use knit_domain::audit::AuditEvent;
use knit_store::Store;
use knit_store::accounts::{AuditCheck, AuditFilter, verify_audit_log};
use uuid::Uuid;

use crate::kit::{Allowed, PageResult, render};
use crate::{AppState, Site};

/// Events shown per page.
pub const EVENTS_PER_PAGE: usize = 50;

#[derive(serde::Deserialize, Default)]
pub(crate) struct AuditQuery {
    /// An email address or a user id.
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    object_type: String,
    /// Show events older than this sequence number.
    #[serde(default)]
    before: Option<u64>,
}

struct EventRow {
    seq: u64,
    at: String,
    actor: String,
    role: String,
    action: String,
    object: String,
    address: String,
    outcome: &'static str,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage<'a> {
    site: &'a Site,
    csrf: String,
    actor: String,
    action: String,
    object_type: String,
    events: Vec<EventRow>,
    /// The query string of the next (older) page, if there is one.
    older: Option<String>,
    problem: Option<String>,
    check: Option<String>,
    intact: bool,
}

/// Up to `count` events matching `filter` with sequence numbers below `before`, newest first.
pub async fn newest_first(
    store: &dyn Store,
    filter: &AuditFilter,
    before: u64,
    count: usize,
) -> knit_store::Result<Vec<AuditEvent>> {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    store.audit_events_before(before, count, filter).await
}

/// Reads the filter from the query; an actor that names nobody is a problem to show.
async fn filter_of(
    store: &dyn Store,
    query: &AuditQuery,
) -> knit_store::Result<Result<AuditFilter, String>> {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let actor = match text(&query.actor) {
        None => None,
        Some(a) => match (Uuid::parse_str(&a), Email::parse(&a)) {
            (Ok(id), _) => Some(UserId(id)),
            (_, Ok(email)) => match store.user_by_email(&email).await? {
                Some(user) => Some(user.id),
                None => return Ok(Err("No account has this email address".to_owned())),
            },
            _ => return Ok(Err("Enter an email address or a user id".to_owned())),
        },
    };
    Ok(Ok(AuditFilter {
        actor,
        action: text(&query.action),
        object_type: text(&query.object_type),
        object_id: None,
    }))
}

async fn rows(store: &dyn Store, events: &[AuditEvent]) -> knit_store::Result<Vec<EventRow>> {
    let mut names: HashMap<UserId, String> = HashMap::new();
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        let actor = match event.actor {
            None => "anonymous".to_owned(),
            Some(id) => match names.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name = store
                        .user(id)
                        .await?
                        .map_or_else(|| id.to_string(), |u| u.name);
                    names.insert(id, name.clone());
                    name
                }
            },
        };
        rows.push(EventRow {
            seq: event.seq,
            at: event.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor,
            role: event.actor_role.map_or("", |r| r.label()).to_owned(),
            action: event.action.clone(),
            object: match &event.object_id {
                Some(id) => format!("{} {id}", event.object_type),
                None => event.object_type.clone(),
            },
            address: event.address.clone().unwrap_or_default(),
            outcome: event.outcome.code(),
        });
    }
    Ok(rows)
}

fn query_string(query: &AuditQuery, before: u64) -> String {
    let pairs = [
        ("actor", query.actor.trim()),
        ("action", query.action.trim()),
        ("object_type", query.object_type.trim()),
    ];
    let mut out = String::new();
    for (k, v) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
        out.push_str(&format!("{k}={}&", percent_encoded(v)));
    }
    out.push_str(&format!("before={before}"));
    out
}

/// A query value with everything but letters, digits and `-._~` percent-encoded.
fn percent_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn page(
    state: &AppState,
    csrf_secret: String,
    query: AuditQuery,
    check: Option<AuditCheck>,
) -> PageResult {
    let store = state.store.as_ref();
    let site = &state.site;
    let (events, problem) = match filter_of(store, &query).await {
        Err(e) => return Err(e.into()),
        Ok(Err(problem)) => (Vec::new(), Some(problem)),
        Ok(Ok(filter)) => {
            let before = query.before.unwrap_or(u64::MAX);
            match newest_first(store, &filter, before, EVENTS_PER_PAGE + 1).await {
                Ok(events) => (events, None),
                Err(e) => return Err(e.into()),
            }
        }
    };
    let older = (events.len() > EVENTS_PER_PAGE)
        .then(|| query_string(&query, events[EVENTS_PER_PAGE - 1].seq));
    let shown = &events[..events.len().min(EVENTS_PER_PAGE)];
    let rows = rows(store, shown).await?;
    Ok(render(
        &AuditPage {
            site,
            csrf: csrf_secret,
            actor: query.actor,
            action: query.action,
            object_type: query.object_type,
            events: rows,
            older,
            problem,
            intact: matches!(check, Some(AuditCheck::Intact(_))),
            check: check.map(|c| c.to_string()),
        },
        StatusCode::OK,
    ))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(query): Query<AuditQuery>,
) -> PageResult {
    page(&state, allowed.csrf(), query, None).await
}

/// "Check the chain": verifies the whole log and shows the answer above its newest events.
pub(crate) async fn check(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let verdict = verify_audit_log(state.store.as_ref()).await?;
    page(&state, allowed.csrf(), AuditQuery::default(), Some(verdict)).await
}
