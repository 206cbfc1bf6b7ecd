//! The plan and what hangs off it: steps (going with them, speaking up for them, follow-ups,
//! their own goals), consents, wellbeing measures, and closing or reopening the case.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use knit_domain::account::OrganizationId;
use knit_domain::casework::{CaseStatus, ConsentMethod, ConsentScope, NeedOutcome, StepKind};
use knit_domain::needs::NeedId;
use knit_domain::wellbeing::{
    Measure, Ons4Answers, Ons4Question, SWEMWBS_RESPONSES, Stage, SwemwbsAnswers, SwemwbsItem,
};
use knit_store::casework::{NewStep, StepDetails};
use uuid::Uuid;

use super::person::stage_label;
use super::{case_error, details_of, open_record, parse_person};

use crate::kit::{
    Allowed, FieldError, Notice, PageError, PageResult, parse_date, render, see_other,
};
use crate::{AppState, Site};

fn back_to(id: knit_domain::casework::PersonId) -> String {
    format!("/staff/people/{}", id.0)
}

fn mistake(id: knit_domain::casework::PersonId, text: impl ToString) -> Response {
    Notice::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Please check what you entered",
        format!("Nothing was saved. {}", text.to_string()),
    )
    .link(back_to(id), "Back to the person's page")
    .into_response()
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct StepForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    due: String,
}

pub(crate) async fn add_step(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> PageResult {
    let id = parse_person(&id)?;
    let Some(kind) = StepKind::from_code(&form.kind) else {
        return Ok(mistake(id, "Choose what kind of step this is."));
    };
    if form.what.trim().is_empty() {
        return Ok(mistake(id, "Say what the step is."));
    }
    let due = match parse_date(&form.due) {
        Ok(due) => due,
        Err(e) => return Ok(mistake(id, e)),
    };
    if kind == StepKind::FollowUp && due.is_none() {
        return Ok(mistake(id, "A follow-up needs a date to follow up by."));
    }
    let step = NewStep {
        kind,
        details: StepDetails {
            what: form.what.trim().to_owned(),
            place: form.place.trim().to_owned(),
            who: form.who.trim().to_owned(),
        },
        due,
    };
    state
        .store
        .add_step(id, step, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

pub(crate) async fn complete_step(
    State(state): State<AppState>,
    allowed: Allowed,
    Path((id, step)): Path<(String, String)>,
) -> PageResult {
    let (Ok(id), Ok(step)) = (parse_person(&id), Uuid::parse_str(&step)) else {
        return Err(PageError::NotFound("step"));
    };
    state
        .store
        .complete_step(id, step, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ConsentForm {
    /// `keep_record`, or an organisation's id to share with.
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    expires: String,
}

pub(crate) async fn record_consent(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<ConsentForm>,
) -> PageResult {
    let id = parse_person(&id)?;
    let scope = if form.organisation == "keep_record" {
        ConsentScope::KeepRecord
    } else {
        let Ok(org) = Uuid::parse_str(form.organisation.trim()) else {
            return Ok(mistake(
                id,
                "Choose the organisation they agreed to share with.",
            ));
        };
        match state.store.organization(org).await {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Ok(mistake(id, "That organisation is not in the directory."));
            }
            Err(e) => return Err(e.into()),
        }
        if form.purpose.trim().is_empty() {
            return Ok(mistake(id, "Say what the sharing is for, in a few words."));
        }
        ConsentScope::ShareWith {
            organization: OrganizationId(org),
            purpose: form.purpose.trim().to_owned(),
        }
    };
    let Some(method) = ConsentMethod::from_code(&form.method) else {
        return Ok(mistake(id, "Say how they gave their consent."));
    };
    let expires = match parse_date(&form.expires) {
        Ok(e) => e,
        Err(e) => return Ok(mistake(id, e)),
    };
    state
        .store
        .record_consent(id, scope, method, expires, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

pub(crate) async fn withdraw_consent(
    State(state): State<AppState>,
    allowed: Allowed,
    Path((id, consent)): Path<(String, String)>,
) -> PageResult {
    let (Ok(id), Ok(consent)) = (parse_person(&id), Uuid::parse_str(&consent)) else {
        return Err(PageError::NotFound("consent"));
    };
    state
        .store
        .withdraw_consent(id, consent, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

// --- wellbeing ---

struct Question {
    name: String,
    text: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "staff/wellbeing.html")]
struct WellbeingPage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    name: String,
    kind: String,
    stage: String,
    stages: Vec<(&'static str, &'static str)>,
    ons4: Vec<Question>,
    swemwbs: Vec<Question>,
    responses: [&'static str; 5],
    error: Option<FieldError>,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
pub(crate) struct WellbeingForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    ons4_0: String,
    #[serde(default)]
    ons4_1: String,
    #[serde(default)]
    ons4_2: String,
    #[serde(default)]
    ons4_3: String,
    #[serde(default)]
    swemwbs_0: String,
    #[serde(default)]
    swemwbs_1: String,
    #[serde(default)]
    swemwbs_2: String,
    #[serde(default)]
    swemwbs_3: String,
    #[serde(default)]
    swemwbs_4: String,
    #[serde(default)]
    swemwbs_5: String,
    #[serde(default)]
    swemwbs_6: String,
}

impl WellbeingForm {
    fn ons4(&self) -> [&str; 4] {
        [&self.ons4_0, &self.ons4_1, &self.ons4_2, &self.ons4_3]
    }

    fn swemwbs(&self) -> [&str; 7] {
        [
            &self.swemwbs_0,
            &self.swemwbs_1,
            &self.swemwbs_2,
            &self.swemwbs_3,
            &self.swemwbs_4,
            &self.swemwbs_5,
            &self.swemwbs_6,
        ]
    }

    fn measure(&self) -> Result<Measure, FieldError> {
        match self.kind.as_str() {
            "ons4" => Ons4Answers::parse(self.ons4())
                .map(Measure::Ons4)
                .map_err(|e| FieldError::new("ons4_0", e)),
            "swemwbs" => SwemwbsAnswers::parse(self.swemwbs())
                .map(Measure::Swemwbs)
                .map_err(|e| FieldError::new("swemwbs_0", e)),
            _ => Err(FieldError::new("kind", "Choose which measure this is")),
        }
    }
}

fn wellbeing_page(
    site: &Site,
    csrf: String,
    id: knit_domain::casework::PersonId,
    name: String,
    form: &WellbeingForm,
    error: Option<FieldError>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let ons4 = Ons4Question::ALL
        .iter()
        .zip(form.ons4())
        .enumerate()
        .map(|(i, (q, value))| Question {
            name: format!("ons4_{i}"),
            text: q.text(),
            value: value.to_owned(),
        })
        .collect();
    let swemwbs = SwemwbsItem::ALL
        .iter()
        .zip(form.swemwbs())
        .enumerate()
        .map(|(i, (q, value))| Question {
            name: format!("swemwbs_{i}"),
            text: q.text(),
            value: value.to_owned(),
        })
        .collect();
    render(
        &WellbeingPage {
            site,
            csrf,
            id: id.0.to_string(),
            name,
            kind: form.kind.clone(),
            stage: form.stage.clone(),
            stages: Stage::ALL
                .iter()
                .map(|s| (s.code(), stage_label(*s)))
                .collect(),
            ons4,
            swemwbs,
            responses: SWEMWBS_RESPONSES,
            error,
        },
        status,
    )
}

pub(crate) async fn wellbeing_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let details = details_of(&record)?.clone();
    let stage = if record.measures.is_empty() {
        Stage::Start
    } else {
        Stage::Review
    };
    let form = WellbeingForm {
        kind: "swemwbs".to_owned(),
        stage: stage.code().to_owned(),
        ..WellbeingForm::default()
    };
    Ok(wellbeing_page(
        &state.site,
        allowed.signed_in.csrf_secret.clone(),
        id,
        details.display_name().to_owned(),
        &form,
        None,
    ))
}

pub(crate) async fn record_wellbeing(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<WellbeingForm>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let parsed = Stage::from_code(&form.stage)
        .map_err(|_| FieldError::new("stage", "Choose when in their support this is"))
        .and_then(|stage| form.measure().map(|m| (stage, m)));
    let (stage, measure) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            let name = record
                .details
                .map(|d| d.display_name().to_owned())
                .unwrap_or_default();
            let csrf = allowed.signed_in.csrf_secret.clone();
            return Ok(wellbeing_page(
                &state.site,
                csrf,
                id,
                name,
                &form,
                Some(error),
            ));
        }
    };
    state
        .store
        .record_measure(id, stage, measure, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

// --- closing ---

struct OutcomeChoice {
    id: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "staff/close.html")]
struct ClosePage<'a> {
    site: &'a Site,
    csrf: String,
    id: String,
    name: String,
    needs: Vec<OutcomeChoice>,
    outcomes: [NeedOutcome; 5],
    error: Option<FieldError>,
}

pub(crate) async fn close_form(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    Ok(close_page(
        &state.site,
        allowed.signed_in.csrf_secret.clone(),
        &record,
        None,
    ))
}

fn close_page(
    site: &Site,
    csrf: String,
    record: &knit_store::casework::PersonRecord,
    error: Option<FieldError>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &ClosePage {
            site,
            csrf,
            id: record.id.0.to_string(),
            name: record
                .details
                .as_ref()
                .map(|d| d.display_name().to_owned())
                .unwrap_or_default(),
            needs: record
                .needs
                .iter()
                .filter(|n| n.outcome.is_none())
                .map(|n| OutcomeChoice {
                    id: n.need.as_str(),
                    label: n.need.need().label,
                })
                .collect(),
            outcomes: NeedOutcome::ALL,
            error,
        },
        status,
    )
}

/// Closes the case: every open need must have an outcome (`outcome_<need>`).
pub(crate) async fn close(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    if record.status != CaseStatus::Open {
        return Ok(see_other(back_to(id)));
    }
    let mut outcomes: Vec<(NeedId, NeedOutcome)> = Vec::new();
    for need in record.needs.iter().filter(|n| n.outcome.is_none()) {
        let chosen = pairs
            .iter()
            .find(|(k, _)| *k == format!("outcome_{}", need.need.as_str()))
            .and_then(|(_, v)| NeedOutcome::from_code(v));
        match chosen {
            Some(outcome) => outcomes.push((need.need, outcome)),
            None => {
                let error = FieldError::new(
                    "outcome",
                    format!("Choose how “{}” ended", need.need.need().label),
                );
                let csrf = allowed.signed_in.csrf_secret.clone();
                return Ok(close_page(&state.site, csrf, &record, Some(error)));
            }
        }
    }
    state
        .store
        .close_case(id, &outcomes, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}

pub(crate) async fn reopen(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let id = parse_person(&id)?;
    state
        .store
        .reopen_case(id, allowed.stamp)
        .await
        .map_err(|e| case_error(id, e))?;
    Ok(see_other(back_to(id)))
}
