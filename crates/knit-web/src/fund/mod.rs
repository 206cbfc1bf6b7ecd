//! The local fund: public pages to see open rounds, apply without an account (save a draft
//! and come back by its secret link, then submit) and send a monitoring return by an award's
//! link ([`public`]); staff pages for place leads to set up rounds and panels, for panel
//! members to score or declare a conflict, and for decisions, payments and monitoring
//! ([`staff`]); and the reminder when a monitoring return falls due ([`reminders`]).

pub mod public;
pub mod reminders;
pub mod staff;

use chrono::{DateTime, Utc};
use knit_domain::fund::{Criterion, Pence, QUESTIONS, RoundPlan};
use knit_domain::opening::uk_local;
use knit_store::fund::Round;
use uuid::Uuid;

/// Open rounds listed on the public page.
pub(crate) const ROUNDS_SHOWN: u32 = 50;

/// "Friday 27 March 2027, 11:59pm", UK time.
pub(crate) fn closing(at: DateTime<Utc>) -> String {
    uk_local(at).format("%A %-d %B %Y, %-I:%M%P").to_string()
}

/// [`closing`] in the page's language: Welsh with the catalogue's days and months and the
/// 24-hour clock.
pub(crate) fn closing_words(at: DateTime<Utc>) -> String {
    use crate::kit::language;
    if language::current() == language::Language::English {
        return closing(at);
    }
    let local = uk_local(at);
    format!(
        "{}, {}",
        language::long_date_with_year(local.date()),
        local.format("%H:%M")
    )
}

/// A round as pages show it.
pub(crate) struct RoundView {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub band: String,
    pub min_plain: String,
    pub max_plain: String,
    pub fast_route: String,
    pub closes: String,
    pub is_open: bool,
    pub who: String,
    pub criteria: Vec<Criterion>,
    pub panel_size: usize,
}

impl RoundView {
    pub(crate) fn of(round: &Round, now: DateTime<Utc>) -> RoundView {
        let p: &RoundPlan = &round.plan;
        let mut who = vec![crate::t("fund-who-constituted")];
        if p.open_to_unconstituted {
            who.insert(0, crate::t("fund-who-unconstituted"));
        }
        if p.open_to_individuals {
            who.push(crate::t("fund-who-individuals"));
        }
        RoundView {
            id: round.id,
            title: p.title.clone(),
            description: p.description.clone(),
            band: crate::t2(
                "fund-band",
                &("min", &p.min.to_string()),
                &("max", &p.max.to_string()),
            ),
            min_plain: p.min.plain(),
            max_plain: p.max.plain(),
            fast_route: p
                .fast_route_below
                .map(|b: Pence| crate::t1("fund-fast-route", "amount", b))
                .unwrap_or_default(),
            closes: closing_words(p.closes_at),
            is_open: p.is_open(now),
            who: who.join(", "),
            criteria: p.criteria.clone(),
            panel_size: round.panel.len(),
        }
    }
}

/// A question with what was typed for it.
pub(crate) struct QuestionView {
    pub key: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
}

pub(crate) fn questions(form: &knit_domain::fund::ApplicationForm) -> Vec<QuestionView> {
    QUESTIONS
        .iter()
        .map(|q| QuestionView {
            key: q.key,
            label: crate::kit::language::domain_words("fund-question", q.key, q.label),
            hint: if q.hint.is_empty() {
                String::new()
            } else {
                crate::kit::language::domain_words("fund-question-hint", q.key, q.hint)
            },
            value: match q.key {
                "what_for" => form.what_for.clone(),
                "who_benefits" => form.who_benefits.clone(),
                "spending" => form.spending.clone(),
                _ => form.anything_else.clone(),
            },
        })
        .collect()
}
