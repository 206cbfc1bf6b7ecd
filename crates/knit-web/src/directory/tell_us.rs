//! "Tell us what's going on": a person's own words to the kinds of help they need and the
//! local services that offer it. The text is read, matched and shown back to the person
//! who wrote it; it is never stored or logged.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use knit_domain::directory::{Delivery, KnitTerm};
use knit_domain::validation::MAX_FREE_TEXT;
use uuid::Uuid;

use super::search::{self, SearchRequest};
use super::service_page::PhoneView;
use super::{ResultItem, form_urlencoded_pairs};
use crate::kit::{PageResult, render};
use crate::{AppState, Site};

/// A shorter summary than the results page: several needs' services share one screen.
const SUMMARY_CHARS: usize = 160;
/// Services shown under each need; the rest are a link away.
const SHOWN_PER_NEED: usize = 3;

#[derive(Default)]
struct TellUsForm {
    text: String,
    near: String,
    age: String,
}

struct NeedSection {
    id: &'static str,
    label: String,
    label_lower: String,
    because: String,
    services: Vec<ResultItem>,
    total: usize,
    more: usize,
    more_href: String,
}

struct CrisisContact {
    id: Uuid,
    name: String,
    phone: Option<PhoneView>,
}

#[derive(Template)]
#[template(path = "tell_us.html")]
struct TellUsPage<'a> {
    site: &'a Site,
    answered: bool,
    error: Option<String>,
    form: TellUsForm,
    crisis: Vec<CrisisContact>,
    needs: Vec<NeedSection>,
}

fn blank(site: &Site) -> TellUsPage<'_> {
    TellUsPage {
        site,
        answered: false,
        error: None,
        form: TellUsForm::default(),
        crisis: vec![],
        needs: vec![],
    }
}

pub(crate) async fn form(State(state): State<AppState>) -> PageResult {
    Ok(render(&blank(&state.site), StatusCode::OK))
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) async fn answer(State(state): State<AppState>, body: axum::body::Bytes) -> PageResult {
    let mut page = blank(&state.site);
    let Some(pairs) = std::str::from_utf8(&body)
        .ok()
        .and_then(|raw| form_urlencoded_pairs(raw).ok())
    else {
        page.error = Some(crate::t("tell-us-unreadable"));
        return Ok(render(&page, StatusCode::BAD_REQUEST));
    };
    for (key, value) in pairs {
        match key.as_str() {
            "text" => page.form.text = value,
            "near" => page.form.near = value.chars().take(60).collect(),
            "age" => page.form.age = value.chars().take(3).collect(),
            _ => {}
        }
    }
    let text = page.form.text.trim().to_owned();
    if text.is_empty() {
        page.error = Some(crate::t("tell-us-empty"));
        return Ok(render(&page, StatusCode::BAD_REQUEST));
    }
    if text.chars().count() > MAX_FREE_TEXT {
        page.error = Some(crate::t1("tell-us-too-long", "max", MAX_FREE_TEXT));
        return Ok(render(&page, StatusCode::BAD_REQUEST));
    }
    let matches = state.engine.matcher().match_text(&text);
    let now = chrono::Utc::now();
    let local_now = knit_domain::opening::uk_local(now);
    let near = Some(page.form.near.clone()).filter(|n| !n.trim().is_empty());
    let age = Some(page.form.age.clone()).filter(|a| !a.trim().is_empty());
    let located = match &near {
        Some(near) => match search::locate(state.store.as_ref(), near.trim()).await {
            Ok(place) => Some(place),
            Err(e) => {
                page.error = Some(e.to_string());
                return Ok(render(&page, e.status()));
            }
        },
        None => None,
    };
    for m in &matches {
        let request = SearchRequest {
            need: Some(m.need.as_str().to_owned()),
            near: near.clone(),
            age: age.clone(),
            ..SearchRequest::default()
        };
        let outcome = match search::search_from(
            state.store.as_ref(),
            &state.engine,
            &request,
            located.as_ref(),
            now,
        )
        .await
        {
            Ok(outcome) => outcome,
            Err(e) => {
                page.error = Some(e.to_string());
                return Ok(render(&page, e.status()));
            }
        };
        if m.urgent {
            let phone_line = SearchRequest {
                delivery: Some(Delivery::Phone.code().to_owned()),
                ..request.clone()
            };
            if let Ok(lines) = search::search_from(
                state.store.as_ref(),
                &state.engine,
                &phone_line,
                located.as_ref(),
                now,
            )
            .await
            {
                page.crisis
                    .extend(lines.found.iter().take(2).map(|f| CrisisContact {
                        id: f.service.id,
                        name: f.service.name.clone(),
                        phone: f.service.phones.first().map(PhoneView::of),
                    }));
            }
        }
        let need = m.need.need();
        let mut more_href = format!("/search?need={}", m.need.as_str());
        for (key, value) in [("near", &near), ("age", &age)] {
            if let Some(value) = value {
                more_href.push_str(&format!("&{key}={}", encode(value)));
            }
        }
        page.needs.push(NeedSection {
            id: m.need.as_str(),
            label: crate::kit::language::need_label(need),
            label_lower: crate::kit::language::need_label(need).to_lowercase(),
            because: m.because.join(", "),
            services: outcome
                .found
                .iter()
                .take(SHOWN_PER_NEED)
                .map(|f| ResultItem::of(f, local_now, SUMMARY_CHARS))
                .collect(),
            total: outcome.total,
            more: outcome.total.saturating_sub(SHOWN_PER_NEED),
            more_href,
        });
    }
    page.crisis.dedup_by_key(|c| c.id);
    page.answered = true;
    Ok(render(&page, StatusCode::OK))
}
