//! The fund on the public site, for a phone and no account: the open rounds, one round
//! with its application form, saving a draft (kept behind a long random link, only whose
//! digest is stored) and coming back to it, submitting, and the monitoring return by an
//! award's link.
//!
//! Like the other public forms these carry no token (the public site sets no cookie); the
//! gate refuses forms a browser marks as sent from another site, and starting an
//! application counts against the public-form limit. A mistake shows the form again with
//! everything typed and nothing stored.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use knit_domain::account::Email;
use knit_domain::fund::{ApplicantKind, ApplicationForm, ApplicationStatus, monitoring_return};
use knit_domain::public_forms::PublicForm;
use knit_domain::validation::one_line;
use knit_store::accounts::NewJob;
use knit_store::casework::Stamp;
use knit_store::fund::{
    Application, ApplicationLink, ApplicationWrite, FundError, MonitoringRef, Round,
};
use uuid::Uuid;

use super::{QuestionView, ROUNDS_SHOWN, RoundView, questions};
use crate::kit::{
    ClientAddress, FieldError, Notice, PageError, PageResult, language, public_base_url,
    public_limit, random_bytes, render, see_other,
};
use crate::mail::Message;
use crate::mail::queue::email_job;
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "fund/rounds.html")]
struct RoundsPage<'a> {
    site: &'a Site,
    rounds: Vec<RoundView>,
}

/// `/fund`: the rounds open now.
pub(crate) async fn rounds(State(state): State<AppState>) -> PageResult {
    let now = Utc::now();
    let rounds = state.store.fund_rounds(Some(now), ROUNDS_SHOWN).await?;
    Ok(render(
        &RoundsPage {
            site: &state.site,
            rounds: rounds.iter().map(|r| RoundView::of(r, now)).collect(),
        },
        StatusCode::OK,
    ))
}

struct KindChoice {
    code: &'static str,
    label: String,
}

fn kinds(round: &Round) -> Vec<KindChoice> {
    ApplicantKind::ALL
        .into_iter()
        .filter(|k| round.plan.accepts(*k))
        .map(|k| KindChoice {
            code: k.code(),
            label: language::domain_words("applicant-kind", k.code(), k.label()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "fund/apply.html")]
struct ApplyPage<'a> {
    site: &'a Site,
    round: RoundView,
    kinds: Vec<KindChoice>,
    form: ApplicationForm,
    questions: Vec<QuestionView>,
    error: Option<FieldError>,
    /// Where the form goes: the round (a new application) or the draft's link.
    action: String,
    /// The draft's own link, once saved, to show the applicant.
    link: Option<String>,
    saved: bool,
}

#[allow(clippy::too_many_arguments)]
fn apply_page(
    site: &Site,
    round: &Round,
    form: ApplicationForm,
    error: Option<FieldError>,
    action: String,
    link: Option<String>,
    saved: bool,
    status: StatusCode,
) -> Response {
    let questions = questions(&form);
    render(
        &ApplyPage {
            site,
            round: RoundView::of(round, Utc::now()),
            kinds: kinds(round),
            form,
            questions,
            error,
            action,
            link,
            saved,
        },
        status,
    )
}

fn no_round() -> PageError {
    Notice::new(
        StatusCode::NOT_FOUND,
        crate::t("fund-no-such-round"),
        crate::t("fund-no-such-round-text"),
    )
    .link("/fund", crate::t("fund-see-open"))
    .into()
}

async fn find_round(state: &AppState, id: &str) -> Result<Round, PageError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Err(no_round());
    };
    state.store.fund_round(id).await?.ok_or_else(no_round)
}

/// `/fund/{id}`: the round and its application form.
pub(crate) async fn round(
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::extract::Query(from): axum::extract::Query<FromGroup>,
) -> PageResult {
    let round = find_round(&state, &id).await?;
    if !round.plan.is_open(Utc::now()) {
        return Err(closed(&round).into());
    }
    let mut form = ApplicationForm {
        kind: kinds(&round)
            .first()
            .map(|k| k.code.to_owned())
            .unwrap_or_default(),
        ..ApplicationForm::default()
    };
    // Applying from a published group's page: the award will be listed on that page.
    let group = from
        .group
        .as_deref()
        .and_then(|g| Uuid::parse_str(g.trim()).ok());
    if let Some(group) = group {
        let published = state
            .store
            .community_group(group)
            .await?
            .filter(|g| g.status == knit_domain::groups::GroupStatus::Published);
        if let Some(group) = published {
            form.group_id = group.id.to_string();
            form.group_name = group.record.name.clone();
        }
    }
    Ok(apply_page(
        &state.site,
        &round,
        form,
        None,
        format!("/fund/{}", round.id),
        None,
        false,
        StatusCode::OK,
    ))
}

fn closed(round: &Round) -> Notice {
    Notice::new(
        StatusCode::GONE,
        crate::t("fund-closed"),
        crate::t2(
            "fund-closed-text",
            &("round", &round.plan.title),
            &("date", &super::closing_words(round.plan.closes_at)),
        ),
    )
    .link("/fund", crate::t("fund-see-open"))
}

/// `?group=` on a round's page: the published group the application is for.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct FromGroup {
    #[serde(default)]
    group: Option<String>,
}

/// The application form as sent, with the button pressed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct ApplyForm {
    #[serde(flatten)]
    form: ApplicationForm,
    /// `save` keeps a draft; `submit` sends it.
    #[serde(default)]
    action: String,
}

/// The emails an application sends: its link when first saved, and word when submitted.
fn application_mail(
    base_url: &str,
    site_name: &str,
    round_title: &str,
    new: bool,
    token: &str,
    application: &Application,
    now: chrono::DateTime<Utc>,
) -> Vec<NewJob> {
    let Ok(to) = Email::parse(&application.details().email) else {
        return Vec::new();
    };
    let link = format!("{base_url}/fund/applications/{token}");
    let round = one_line(round_title);
    let words = [("site", site_name), ("round", round.as_str())];
    let message = crate::kit::language::speaking(application.details().language, || {
        match application.status {
            ApplicationStatus::Submitted => Some(Message {
                to,
                subject: crate::t_with("fund-email-submitted-subject", &words),
                body: format!(
                    "{}\n\n{}\n",
                    crate::t_with("fund-email-submitted-body", &words),
                    crate::t_with("fund-email-where-it-stands", &[("link", link.as_str())]),
                ),
            }),
            _ if new => Some(Message {
                to,
                subject: crate::t_with("fund-email-draft-subject", &words),
                body: format!(
                    "{}\n\n{link}\n",
                    crate::t_with("fund-email-draft-body", &words)
                ),
            }),
            _ => None,
        }
    });
    message.map(|m| email_job(m, now)).into_iter().collect()
}

/// Saves or submits: the one path for new applications and drafts by their link.
#[allow(clippy::too_many_arguments)]
async fn write(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    round: &Round,
    link: ApplicationLink<'_>,
    sent: ApplyForm,
    action: String,
) -> PageResult {
    let site = &state.site;
    let existing = match link {
        ApplicationLink::Existing(token) => Some(token.to_owned()),
        ApplicationLink::New { .. } => None,
    };
    let again = |field: &'static str, message: String, status| {
        apply_page(
            site,
            round,
            sent.form.clone(),
            Some(FieldError::new(field, message)),
            action.clone(),
            existing
                .as_ref()
                .map(|t| format!("{}/fund/applications/{t}", public_base_url(headers))),
            false,
            status,
        )
    };
    let draft = match sent.form.draft().map(|mut d| {
        d.details.language = crate::kit::language::current();
        d
    }) {
        Ok(d) => d,
        Err(e) => {
            return Ok(again(
                e.field(),
                ineligible(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let submit = sent.action == "submit";
    let new = existing.is_none();
    if new && !public_limit::admit(state, PublicForm::FundApplication, address).await {
        return Ok(again(
            "name",
            crate::t("fund-too-many"),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let now = Utc::now();
    let base_url = public_base_url(headers);
    let site_name = site.name.clone();
    let title = round.plan.title.clone();
    let mail = move |token: &str, app: &Application| {
        application_mail(&base_url, &site_name, &title, new, token, app, now)
    };
    let written = state
        .store
        .write_application(ApplicationWrite {
            link,
            draft,
            submit,
            stamp: Stamp {
                by: None,
                role: None,
                at: now,
                address: Some(address.to_owned()),
            },
            mail: Some(&mail),
        })
        .await;
    match written {
        Ok((application, token)) => {
            tracing::info!(
                application = %application.id,
                status = application.status.code(),
                "fund application written"
            );
            let query = if submit { "?sent=1" } else { "?saved=1" };
            Ok(see_other(format!("/fund/applications/{token}{query}")))
        }
        Err(FundError::Ineligible(e)) => {
            let status = match e {
                knit_domain::fund::Ineligible::DeadlinePassed(_) => StatusCode::GONE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok(again(e.field(), ineligible(&e), status))
        }
        Err(FundError::NotEditable) => Err(Notice::new(
            StatusCode::CONFLICT,
            crate::t("fund-already-sent"),
            crate::t("fund-already-sent-text"),
        )
        .link("/fund", crate::t("fund-see"))
        .into()),
        Err(FundError::NoSuchApplication) => Err(unknown_link()),
        Err(FundError::NoSuchRound) => Err(no_round()),
        Err(e) => Err(PageError::internal(e)),
    }
}

fn capital(e: &impl std::fmt::Display) -> String {
    crate::kit::capitalised(&e.to_string())
}

/// `POST /fund/{id}`: starts an application, saved as a draft or sent at once.
pub(crate) async fn apply(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(sent): Form<ApplyForm>,
) -> PageResult {
    let round = find_round(&state, &id).await?;
    let Ok(random) = random_bytes() else {
        return Err(PageError::internal("no randomness"));
    };
    let action = format!("/fund/{}", round.id);
    write(
        &state,
        &headers,
        &address,
        &round,
        ApplicationLink::New {
            round: round.id,
            random,
        },
        sent,
        action,
    )
    .await
}

fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn unknown_link() -> PageError {
    Notice::new(
        StatusCode::NOT_FOUND,
        crate::t("fund-unknown-link"),
        crate::t("fund-unknown-link-text"),
    )
    .link("/fund", crate::t("fund-see"))
    .into()
}

#[derive(Template)]
#[template(path = "fund/status.html")]
struct StatusPage<'a> {
    site: &'a Site,
    round: RoundView,
    status: String,
    sent: bool,
    amount: String,
    outcome: String,
    reasons: String,
    link: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Shown {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    sent: Option<String>,
}

/// `/fund/applications/{token}`: a draft to carry on with, or where a sent one stands.
pub(crate) async fn draft(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    axum::extract::Query(shown): axum::extract::Query<Shown>,
) -> PageResult {
    if !well_formed(&token) {
        return Err(unknown_link());
    }
    let application = state
        .store
        .application_by_link(&token)
        .await?
        .ok_or_else(unknown_link)?;
    let round = state
        .store
        .fund_round(application.round_id)
        .await?
        .ok_or_else(no_round)?;
    let link = format!("{}/fund/applications/{token}", public_base_url(&headers));
    if application.status == ApplicationStatus::Draft {
        return Ok(apply_page(
            &state.site,
            &round,
            ApplicationForm::of(&application.draft),
            None,
            format!("/fund/applications/{token}"),
            Some(link),
            shown.saved.is_some(),
            StatusCode::OK,
        ));
    }
    let (outcome, reasons) = match &application.decision {
        Some(d) => (
            match d.awarded {
                Some(amount) => crate::t1("fund-awarded", "amount", amount),
                None => crate::t("fund-not-funded"),
            },
            d.reasons.clone(),
        ),
        None => (String::new(), String::new()),
    };
    Ok(render(
        &StatusPage {
            site: &state.site,
            round: RoundView::of(&round, Utc::now()),
            status: language::domain_words(
                "application-status",
                application.status.code(),
                application.status.label(),
            ),
            sent: shown.sent.is_some(),
            amount: application
                .draft
                .amount
                .map(|a| a.to_string())
                .unwrap_or_default(),
            outcome,
            reasons,
            link,
        },
        StatusCode::OK,
    ))
}

/// `POST /fund/applications/{token}`: saves the draft again, or sends it.
pub(crate) async fn save_draft(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(sent): Form<ApplyForm>,
) -> PageResult {
    if !well_formed(&token) {
        return Err(unknown_link());
    }
    let application = state
        .store
        .application_by_link(&token)
        .await?
        .ok_or_else(unknown_link)?;
    let round = state
        .store
        .fund_round(application.round_id)
        .await?
        .ok_or_else(no_round)?;
    let action = format!("/fund/applications/{token}");
    write(
        &state,
        &headers,
        &address,
        &round,
        ApplicationLink::Existing(&token),
        sent,
        action,
    )
    .await
}

// --- the monitoring return ---

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct MonitoringForm {
    #[serde(default)]
    pub what_happened: String,
    #[serde(default)]
    pub people_reached: String,
    #[serde(default)]
    pub spent_as_planned: Option<String>,
    #[serde(default)]
    pub anything_else: String,
}

#[derive(Template)]
#[template(path = "fund/monitoring.html")]
struct MonitoringPage<'a> {
    site: &'a Site,
    round_title: String,
    amount: String,
    action: String,
    form: MonitoringForm,
    error: Option<FieldError>,
    done: bool,
}

fn monitoring_page(
    site: &Site,
    round_title: String,
    application: &Application,
    action: String,
    form: MonitoringForm,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    let done = application
        .decision
        .as_ref()
        .is_some_and(|d| d.monitoring_at.is_some());
    render(
        &MonitoringPage {
            site,
            round_title,
            amount: application
                .decision
                .as_ref()
                .and_then(|d| d.awarded)
                .map(|a| a.to_string())
                .unwrap_or_default(),
            action,
            form,
            error,
            done,
        },
        status,
    )
}

async fn award_by_link(state: &AppState, token: &str) -> Result<(Application, String), PageError> {
    if !well_formed(token) {
        return Err(unknown_link());
    }
    let application = state
        .store
        .award_by_monitoring_link(token)
        .await?
        .ok_or_else(unknown_link)?;
    let title = state
        .store
        .fund_round(application.round_id)
        .await?
        .map(|r| r.plan.title)
        .unwrap_or_default();
    Ok((application, title))
}

/// `/fund/awards/{token}/monitoring`: the short return six months after an award.
pub(crate) async fn monitoring_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> PageResult {
    let (application, title) = award_by_link(&state, &token).await?;
    Ok(monitoring_page(
        &state.site,
        title,
        &application,
        format!("/fund/awards/{token}/monitoring"),
        MonitoringForm {
            spent_as_planned: Some("yes".to_owned()),
            ..MonitoringForm::default()
        },
        None,
        StatusCode::OK,
    ))
}

/// `POST /fund/awards/{token}/monitoring`.
pub(crate) async fn send_monitoring(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(token): Path<String>,
    Form(form): Form<MonitoringForm>,
) -> PageResult {
    let (application, title) = award_by_link(&state, &token).await?;
    let action = format!("/fund/awards/{token}/monitoring");
    let again = |e: &knit_domain::fund::MonitoringError, status| {
        monitoring_page(
            &state.site,
            title.clone(),
            &application,
            action.clone(),
            form.clone(),
            Some(FieldError::new(e.field(), monitoring_problem(e))),
            status,
        )
    };
    let report = match monitoring_return(
        &form.what_happened,
        &form.people_reached,
        crate::kit::ticked(&form.spent_as_planned),
        &form.anything_else,
    ) {
        Ok(r) => r,
        Err(e) => return Ok(again(&e, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    let stamp = Stamp {
        by: None,
        role: None,
        at: Utc::now(),
        address: Some(address),
    };
    match state
        .store
        .submit_monitoring(MonitoringRef::Link(&token), &report, stamp)
        .await
    {
        Ok(_) => Ok(Notice::new(
            StatusCode::OK,
            crate::t("volunteer-thank-you"),
            crate::t("fund-monitoring-thanks"),
        )
        .link("/fund", crate::t("fund-see"))
        .into_response()),
        Err(FundError::Monitoring(e)) => Ok(again(&e, StatusCode::CONFLICT)),
        Err(FundError::NoSuchApplication) => Err(unknown_link()),
        Err(e) => Err(PageError::internal(e)),
    }
}

/// Why an application cannot be saved or sent, in the page's language: the domain says it
/// in English.
fn ineligible(e: &knit_domain::fund::Ineligible) -> String {
    use knit_domain::fund::{AmountError, Ineligible, QUESTIONS};
    let english = capital(e);
    let (code, args): (&str, Vec<(&str, String)>) = match e {
        Ineligible::DeadlinePassed(date) => ("deadline", vec![("date", date.clone())]),
        Ineligible::OutsideBand { min, max } => (
            "outside-band",
            vec![("min", min.to_string()), ("max", max.to_string())],
        ),
        Ineligible::Amount(AmountError::NotAnAmount) => ("not-an-amount", vec![]),
        Ineligible::Amount(AmountError::Zero) => ("zero", vec![]),
        Ineligible::Amount(AmountError::TooLarge) => ("too-large", vec![]),
        Ineligible::NoAmount => ("no-amount", vec![]),
        Ineligible::Unanswered(label) => {
            let question = QUESTIONS
                .iter()
                .find(|q| q.label == *label)
                .map(|q| language::domain_words("fund-question", q.key, q.label))
                .unwrap_or_else(|| (*label).to_owned());
            ("unanswered", vec![("question", question)])
        }
        Ineligible::NoName => ("no-name", vec![]),
        Ineligible::NoContact => ("no-contact", vec![]),
        Ineligible::NoGroupName => ("no-group-name", vec![]),
        Ineligible::KindNotAccepted(_) => ("kind-not-accepted", vec![]),
        Ineligible::NoKind => ("no-kind", vec![]),
        Ineligible::TooLong(_) => (
            "too-long",
            vec![("max", knit_domain::validation::MAX_FREE_TEXT.to_string())],
        ),
        Ineligible::SortCode => ("sort-code", vec![]),
        Ineligible::AccountNumber => ("account-number", vec![]),
        Ineligible::Email => ("email", vec![]),
    };
    let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
    language::domain_words_with("fund-problem", code, &english, &args)
}

/// What is wrong with a monitoring return, in the page's language.
fn monitoring_problem(e: &knit_domain::fund::MonitoringError) -> String {
    use knit_domain::fund::MonitoringError;
    let code = match e {
        MonitoringError::Empty => "monitoring-empty",
        MonitoringError::TooLong => "monitoring-too-long",
        MonitoringError::NotANumber => "monitoring-not-a-number",
        MonitoringError::AlreadySent => "monitoring-already-sent",
    };
    let max = knit_domain::validation::MAX_FREE_TEXT.to_string();
    language::domain_words_with("fund-problem", code, &capital(e), &[("max", &max)])
}
