//! A coordinator's caseload and a person's page: who they are, how it is safe to reach
//! them, what matters to them, their needs, plan, referrals, consents, wellbeing and
//! timeline; and the two forms that change the record — details, and the conversation.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use knit_domain::NeedId;
use knit_domain::access::{Action, decide};
use knit_domain::casework::{
    CaseStatus, ConsentMethod, ConsentScope, NeedOutcome, PersonDetails, PersonId, Priority,
    StepKind,
};
use knit_domain::matcher_feedback::corrections;
use knit_domain::needs::NEEDS;
use knit_domain::wellbeing::Stage;
use knit_store::casework::{CaseloadFilter, PersonRecord};
use uuid::Uuid;

use super::{SafeContactFields, case_error, contact_rules, details_of, open_record};

use crate::kit::{
    Allowed, FieldError, PageError, PageResult, day, parse_date, render, see_other, ticked, when,
};
use crate::{AppState, Site};

// --- the caseload ---

struct CaseRow {
    id: String,
    name: String,
    urgent: bool,
    needs: String,
    overdue: u32,
    next_due: String,
    open_referrals: u32,
    closed: bool,
}

#[derive(Template)]
#[template(path = "staff/caseload.html")]
struct CaseloadPage<'a> {
    site: &'a Site,
    rows: Vec<CaseRow>,
    mine: bool,
    include_closed: bool,
    need: String,
    needs: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct CaseloadQuery {
    /// `all` to see every coordinator's people.
    #[serde(default)]
    who: String,
    #[serde(default)]
    closed: String,
    #[serde(default)]
    need: String,
}

/// `/staff/people`: my people, urgent needs and overdue follow-ups first.
pub(crate) async fn caseload(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(query): Query<CaseloadQuery>,
) -> PageResult {
    let mine = query.who != "all";
    let need = NeedId::parse(query.need.trim()).ok();
    let filter = CaseloadFilter {
        coordinator: mine.then_some(allowed.signed_in.user.id),
        include_closed: query.closed == "yes",
        need,
    };
    let today = Utc::now().date_naive();
    let cases = state.store.caseload(&filter, today).await?;
    let rows = cases
        .iter()
        .map(|c| CaseRow {
            id: c.id.0.to_string(),
            name: c.name.clone(),
            urgent: c.urgent_needs > 0,
            needs: c
                .needs
                .iter()
                .map(|n| n.need().label)
                .collect::<Vec<_>>()
                .join(", "),
            overdue: c.overdue_steps,
            next_due: c.next_due.map(day).unwrap_or_default(),
            open_referrals: c.open_referrals,
            closed: c.status != CaseStatus::Open,
        })
        .collect();
    Ok(render(
        &CaseloadPage {
            site: &state.site,
            rows,
            mine,
            include_closed: filter.include_closed,
            need: need.map(|n| n.as_str().to_owned()).unwrap_or_default(),
            needs: NEEDS.iter().map(|n| (n.id.as_str(), n.label)).collect(),
        },
        StatusCode::OK,
    ))
}

// --- the person's page ---

struct NeedRow {
    label: &'static str,
    priority: &'static str,
    urgent: bool,
    note: String,
    outcome: Option<&'static str>,
}

struct StepRow {
    id: String,
    kind: &'static str,
    what: String,
    place: String,
    who: String,
    due: String,
    overdue: bool,
    done: Option<String>,
}

struct ReferralRow {
    id: String,
    service: String,
    status: &'static str,
    sent: String,
    reason: Option<&'static str>,
    result: Option<&'static str>,
}

struct ConsentRow {
    id: String,
    what: String,
    how: &'static str,
    recorded: String,
    expires: String,
    withdrawn: Option<String>,
}

struct MeasureRow {
    stage: &'static str,
    when: String,
    summary: String,
}

struct TimelineRow {
    when: String,
    text: String,
}

#[derive(Template)]
#[template(path = "staff/person.html")]
struct PersonPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    open: bool,
    details: PersonDetails,
    rules: Vec<String>,
    needs: Vec<NeedRow>,
    steps: Vec<StepRow>,
    referrals: Vec<ReferralRow>,
    consents: Vec<ConsentRow>,
    measures: Vec<MeasureRow>,
    changes: Vec<String>,
    timeline: Vec<TimelineRow>,
    step_kinds: [StepKind; 4],
    consent_methods: [ConsentMethod; 3],
    organisations: Vec<(String, String)>,
    can_erase: bool,
}

/// The organisations of the directory, for choosing whom a consent is for.
pub(crate) async fn organisation_names(state: &AppState) -> Vec<(String, String)> {
    match state.store.organizations(0, 1_000).await {
        Ok(orgs) => {
            let mut named: Vec<(String, String)> = orgs
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect();
            named.sort_by(|a, b| a.1.cmp(&b.1));
            named
        }
        Err(_) => Vec::new(),
    }
}

async fn service_names(state: &AppState, record: &PersonRecord) -> BTreeMap<Uuid, String> {
    let ids: Vec<Uuid> = record.referrals.iter().map(|r| r.service_id).collect();
    match state.store.services_by_id(&ids).await {
        Ok(services) => services.into_iter().map(|s| (s.id, s.name)).collect(),
        Err(_) => BTreeMap::new(),
    }
}

/// `/staff/people/{id}`.
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?.clone();
    let today = Utc::now().date_naive();
    let names = service_names(&state, &record).await;
    let organisations = organisation_names(&state).await;
    let org_name = |id: Uuid| {
        organisations
            .iter()
            .find(|(o, _)| *o == id.to_string())
            .map_or_else(|| "an organisation".to_owned(), |(_, n)| n.clone())
    };
    let measures: Vec<MeasureRow> = record
        .measures
        .iter()
        .map(|m| MeasureRow {
            stage: stage_label(m.stage),
            when: day(m.recorded_at.date_naive()),
            summary: m.measure.summary(),
        })
        .collect();
    let changes = wellbeing_changes(&record);
    Ok(render(
        &PersonPage {
            site: &state.site,
            csrf: allowed.signed_in.csrf_secret.clone(),
            id: id.0.to_string(),
            open: record.status == CaseStatus::Open,
            rules: contact_rules(&details.safe_contact),
            details,
            needs: record
                .needs
                .iter()
                .map(|n| NeedRow {
                    label: n.need.need().label,
                    priority: n.priority.label(),
                    urgent: n.priority == Priority::Urgent,
                    note: n.note.clone(),
                    outcome: n.outcome.map(NeedOutcome::label),
                })
                .collect(),
            steps: record
                .steps
                .iter()
                .map(|s| StepRow {
                    id: s.id.to_string(),
                    kind: s.kind.label(),
                    what: s.details.what.clone(),
                    place: s.details.place.clone(),
                    who: s.details.who.clone(),
                    due: s.due.map(day).unwrap_or_default(),
                    overdue: s.overdue(today),
                    done: s.done_at.map(|d| day(d.date_naive())),
                })
                .collect(),
            referrals: record
                .referrals
                .iter()
                .map(|r| ReferralRow {
                    id: r.id.0.to_string(),
                    service: names
                        .get(&r.service_id)
                        .cloned()
                        .unwrap_or_else(|| "A service no longer listed".to_owned()),
                    status: r.status.label(),
                    sent: day(r.sent_at.date_naive()),
                    reason: r.reason.map(|r| r.label()),
                    result: r.result.map(|r| r.label()),
                })
                .collect(),
            consents: record
                .consents
                .iter()
                .map(|c| ConsentRow {
                    id: c.id.to_string(),
                    what: match &c.scope {
                        ConsentScope::KeepRecord => "Keep a record in Knit".to_owned(),
                        ConsentScope::ShareWith {
                            organization,
                            purpose,
                        } => format!("Share with {} for {}", org_name(organization.0), purpose),
                    },
                    how: c.method.label(),
                    recorded: day(c.recorded_at.date_naive()),
                    expires: c.expires.map(day).unwrap_or_default(),
                    withdrawn: c.withdrawn_at.map(|w| day(w.date_naive())),
                })
                .collect(),
            measures,
            changes,
            timeline: record
                .timeline
                .iter()
                .map(|t| TimelineRow {
                    when: when(t.at),
                    text: t.text.clone(),
                })
                .collect(),
            step_kinds: StepKind::ALL,
            consent_methods: ConsentMethod::ALL,
            organisations,
            can_erase: decide(&allowed.signed_in.actor, &Action::ErasePerson).is_allowed(),
        },
        StatusCode::OK,
    ))
}

pub(crate) fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Start => "At the start",
        Stage::Review => "At a review",
        Stage::End => "At the end",
    }
}

/// The change between the first and the latest measure of each kind.
fn wellbeing_changes(record: &PersonRecord) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen_kinds = Vec::new();
    for first in &record.measures {
        let kind = std::mem::discriminant(&first.measure);
        if seen_kinds.contains(&kind) {
            continue;
        }
        seen_kinds.push(kind);
        let latest = record
            .measures
            .iter()
            .rev()
            .find(|m| std::mem::discriminant(&m.measure) == kind);
        if let Some(latest) = latest
            && latest.id != first.id
            && let Ok(change) = first.measure.change_to(&latest.measure)
        {
            out.push(change.summary());
        }
    }
    out
}

// --- details ---

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct DetailsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    known_as: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    needs_interpreter: Option<String>,
    #[serde(default)]
    access_needs: String,
    #[serde(default)]
    household: String,
    #[serde(default)]
    children: String,
    #[serde(flatten)]
    contact: SafeContactFields,
}

impl DetailsForm {
    fn of(details: &PersonDetails) -> DetailsForm {
        DetailsForm {
            name: details.name.clone(),
            known_as: details.known_as.clone(),
            phone: details.phone.clone(),
            email: details.email.clone(),
            address: details.address.clone(),
            postcode: details.postcode.clone(),
            date_of_birth: details
                .date_of_birth
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            language: details.language.clone(),
            needs_interpreter: details.needs_interpreter.then(|| "on".to_owned()),
            access_needs: details.access_needs.clone(),
            household: details.household.clone(),
            children: details
                .children
                .iter()
                .map(|c| match c.age {
                    Some(age) => format!("{} {age}", c.first_name),
                    None => c.first_name.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            contact: SafeContactFields::of(&details.safe_contact),
        }
    }

    /// The details as typed over `base`, or every mistake.
    fn apply(&self, base: &PersonDetails) -> Result<PersonDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "Enter a name, even just a first name",
            ));
        }
        let date_of_birth = match parse_date(&self.date_of_birth) {
            Ok(d) => d,
            Err(e) => {
                errors.push(FieldError::new("date_of_birth", e));
                None
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        // "Amy 7, Ben 4, Cal": a name, and an age when one is given.
        let children = self
            .children
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| {
                let (name, age) = match c.rsplit_once(' ') {
                    Some((name, age)) if age.parse::<u8>().is_ok() => {
                        (name.trim().to_owned(), age.parse().ok())
                    }
                    _ => (c.to_owned(), None),
                };
                knit_domain::casework::Child {
                    first_name: name,
                    age,
                }
            })
            .collect();
        Ok(PersonDetails {
            name: name.to_owned(),
            known_as: self.known_as.trim().to_owned(),
            phone: self.phone.trim().to_owned(),
            email: self.email.trim().to_owned(),
            address: self.address.trim().to_owned(),
            postcode: self.postcode.trim().to_uppercase(),
            date_of_birth,
            safe_contact: self.contact.rules(),
            language: self.language.trim().to_owned(),
            needs_interpreter: ticked(&self.needs_interpreter),
            access_needs: self.access_needs.trim().to_owned(),
            household: self.household.trim().to_owned(),
            children,
            ..base.clone()
        })
    }
}

#[derive(Template)]
#[template(path = "staff/person_details.html")]
struct DetailsPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    form: DetailsForm,
    contact: SafeContactFields,
    errors: Vec<FieldError>,
}

fn details_page(
    site: &Site,
    csrf: String,
    id: PersonId,
    form: DetailsForm,
    errors: Vec<FieldError>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let contact = form.contact.clone();
    render(
        &DetailsPage {
            site,
            csrf,
            id: id.0.to_string(),
            form,
            contact,
            errors,
        },
        status,
    )
}

pub(crate) async fn details_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?.clone();
    Ok(details_page(
        &state.site,
        allowed.signed_in.csrf_secret.clone(),
        id,
        DetailsForm::of(&details),
        Vec::new(),
    ))
}

pub(crate) async fn save_details(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<DetailsForm>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let Some(base) = record.details else {
        return Err(PageError::NotFound("person"));
    };
    let details = match form.apply(&base) {
        Ok(details) => details,
        Err(errors) => {
            let csrf = allowed.signed_in.csrf_secret.clone();
            return Ok(details_page(&state.site, csrf, id, form, errors));
        }
    };
    state
        .store
        .update_person(id, details, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(format!("/staff/people/{}", id.0)))
}

// --- the conversation ---

/// One need on the conversation form: chosen or not, how soon, and a note.
struct NeedChoice {
    id: &'static str,
    label: &'static str,
    priority: &'static str,
    note: String,
    /// Why it is offered: the words that suggested it.
    because: String,
    /// Knit suggested it from the person's words (kept through the form, so what the
    /// coordinator does with it can be counted).
    suggested: bool,
}

#[derive(Template)]
#[template(path = "staff/conversation.html")]
struct ConversationPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    name: String,
    what_matters: String,
    strengths: String,
    interests: String,
    goals: String,
    words: String,
    choices: Vec<NeedChoice>,
    others: Vec<(&'static str, &'static str)>,
    priorities: [Priority; 3],
    error: Option<FieldError>,
}

fn conversation_page(
    site: &Site,
    csrf: String,
    id: PersonId,
    details: &PersonDetails,
    fields: &BTreeMap<String, String>,
    choices: Vec<NeedChoice>,
    error: Option<FieldError>,
) -> Response {
    let field = |name: &str, fallback: &str| {
        fields
            .get(name)
            .cloned()
            .unwrap_or_else(|| fallback.to_owned())
    };
    let chosen: Vec<&str> = choices.iter().map(|c| c.id).collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &ConversationPage {
            site,
            csrf,
            id: id.0.to_string(),
            name: details.display_name().to_owned(),
            what_matters: field("what_matters", &details.what_matters),
            strengths: field("strengths", &details.strengths),
            interests: field("interests", &details.interests),
            goals: field("goals", &details.goals),
            words: field("words", ""),
            others: NEEDS
                .iter()
                .filter(|n| !chosen.contains(&n.id.as_str()))
                .map(|n| (n.id.as_str(), n.label))
                .collect(),
            choices,
            priorities: Priority::ALL,
            error,
        },
        status,
    )
}

/// The needs already on the record, as choices.
fn current_choices(record: &PersonRecord) -> Vec<NeedChoice> {
    record
        .needs
        .iter()
        .filter(|n| n.outcome.is_none())
        .map(|n| NeedChoice {
            id: n.need.as_str(),
            label: n.need.need().label,
            priority: n.priority.code(),
            note: n.note.clone(),
            because: String::new(),
            suggested: false,
        })
        .collect()
}

pub(crate) async fn conversation_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?;
    let choices = current_choices(&record);
    Ok(conversation_page(
        &state.site,
        allowed.signed_in.csrf_secret.clone(),
        id,
        details,
        &BTreeMap::new(),
        choices,
        None,
    ))
}

/// The conversation form: the person's words are matched to suggested needs (`suggest`),
/// which the coordinator accepts, changes or drops before saving (`save`). Needs arrive as
/// `priority_<need>` (`urgent`, `soon`, `later` or empty to drop) and `note_<need>`.
pub(crate) async fn save_conversation(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let fields: BTreeMap<String, String> = pairs.iter().cloned().collect();
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?.clone();
    let csrf = allowed.signed_in.csrf_secret.clone();

    // The needs on the form, in the order shown, with what the coordinator chose.
    let suggested: Vec<NeedId> = pairs
        .iter()
        .filter(|(name, _)| name == "suggested")
        .filter_map(|(_, need)| NeedId::parse(need).ok())
        .collect();
    let mut choices: Vec<NeedChoice> = Vec::new();
    for (name, value) in &pairs {
        let Some(need) = name.strip_prefix("priority_") else {
            continue;
        };
        let Ok(need) = NeedId::parse(need) else {
            continue;
        };
        if choices.iter().any(|c| c.id == need.as_str()) {
            continue;
        }
        choices.push(NeedChoice {
            id: need.as_str(),
            label: need.need().label,
            priority: Priority::from_code(value).map_or("", Priority::code),
            note: fields
                .get(&format!("note_{}", need.as_str()))
                .cloned()
                .unwrap_or_default(),
            because: String::new(),
            suggested: suggested.contains(&need),
        });
    }
    if let Some(added) = fields.get("add_need").and_then(|n| NeedId::parse(n).ok())
        && !choices.iter().any(|c| c.id == added.as_str())
    {
        let priority = fields
            .get("add_priority")
            .and_then(|p| Priority::from_code(p))
            .unwrap_or(Priority::Soon);
        choices.push(NeedChoice {
            id: added.as_str(),
            label: added.need().label,
            priority: priority.code(),
            note: String::new(),
            because: String::new(),
            suggested: false,
        });
    }

    if fields.get("intent").map(String::as_str) == Some("suggest") {
        let words = fields.get("words").cloned().unwrap_or_default();
        for found in state.engine.matcher().match_text(&words) {
            let because = found.because.join(", ");
            match choices.iter_mut().find(|c| c.id == found.need.as_str()) {
                Some(choice) => {
                    choice.because = because;
                    choice.suggested = true;
                }
                None => choices.push(NeedChoice {
                    id: found.need.as_str(),
                    label: found.need.need().label,
                    priority: if found.urgent {
                        Priority::Urgent.code()
                    } else {
                        Priority::Soon.code()
                    },
                    note: String::new(),
                    because,
                    suggested: true,
                }),
            }
        }
        return Ok(conversation_page(
            &state.site,
            csrf,
            id,
            &details,
            &fields,
            choices,
            None,
        ));
    }

    let text = |name: &str| {
        fields
            .get(name)
            .map(|t| t.trim().to_owned())
            .unwrap_or_default()
    };
    let updated = PersonDetails {
        what_matters: text("what_matters"),
        strengths: text("strengths"),
        interests: text("interests"),
        goals: text("goals"),
        ..details.clone()
    };
    if updated != details
        && let Err(e) = state
            .store
            .update_person(id, updated, allowed.stamp.clone())
            .await
    {
        return Err(case_error(id, e));
    }
    let before: BTreeMap<&str, (&str, &str)> = record
        .needs
        .iter()
        .filter(|n| n.outcome.is_none())
        .map(|n| (n.need.as_str(), (n.priority.code(), n.note.as_str())))
        .collect();
    for choice in &choices {
        let Ok(need) = NeedId::parse(choice.id) else {
            continue;
        };
        match Priority::from_code(choice.priority) {
            Some(priority) => {
                if before.get(choice.id) == Some(&(priority.code(), choice.note.trim())) {
                    continue;
                }
                if let Err(e) = state
                    .store
                    .set_need(id, need, priority, &choice.note, allowed.stamp.clone())
                    .await
                {
                    return Err(case_error(id, e));
                }
            }
            None if before.contains_key(choice.id) => {
                if let Err(e) = state
                    .store
                    .remove_need(id, need, allowed.stamp.clone())
                    .await
                {
                    return Err(case_error(id, e));
                }
            }
            None => {}
        }
    }
    let chosen: Vec<NeedId> = choices
        .iter()
        .filter(|c| Priority::from_code(c.priority).is_some())
        .filter_map(|c| NeedId::parse(c.id).ok())
        .collect();
    let counted = corrections(&suggested, &chosen);
    if !counted.is_empty()
        && let Err(e) = state
            .store
            .count_corrections(&counted, allowed.stamp.at)
            .await
    {
        // The conversation is saved; only the matcher's tally missed this one.
        tracing::error!(error = %e, "matcher corrections not counted");
    }
    Ok(see_other(format!("/staff/people/{}", id.0)))
}
