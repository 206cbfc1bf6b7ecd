//! The fund's staff pages. Place leads (`Action::ManageFunds`) set up rounds and choose their
//! panels, decide applications with reasons, record payments and monitoring returns. Staff
//! on a round's panel (`Action::ScoreFundApplications`, and the round's panel list) see its
//! applications scored and ranked, and score each per criterion or declare a conflict of
//! interest, which makes them abstain.
//!
//! The rules are `knit_domain::fund`'s, asked by the store inside each change's transaction;
//! these pages read forms, show what the store says, and audit reads of applications.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::Utc;
use knit_domain::access::Action;
use knit_domain::account::{Email, Role, UserId, UserStatus};
use knit_domain::fund::{
    ApplicationStatus, Decision, DecisionError, MAX_SCORE, Payment, PaymentError, Pence, RoundForm,
    Route, Vote, monitoring_return, rank,
};
use knit_domain::session::token_from_random;
use knit_domain::validation::one_line;
use knit_store::fund::{Application, FundError, MonitoringRef, NewDecision, Round, Scored};
use uuid::Uuid;

use super::{RoundView, closing};
use crate::directory::form_urlencoded_pairs;
use crate::kit::{
    Allowed, FieldError, Notice, PageError, PageResult, parse_date, public_base_url, random_bytes,
    render, see_other, with_repeated,
};
use crate::mail::Message;
use crate::mail::queue::email_job;
use crate::{AppState, Site};

/// Staff offered as panel members: at most this many, by name.
const STAFF_LISTED: u32 = 500;
const ROUNDS_LISTED: u32 = 200;

struct MemberChoice {
    id: Uuid,
    name: String,
    checked: bool,
}

async fn panel_choices(
    state: &AppState,
    chosen: &[UserId],
) -> Result<Vec<MemberChoice>, PageError> {
    let users = state.store.users(0, STAFF_LISTED).await?;
    Ok(users
        .into_iter()
        .filter(|u| u.status == UserStatus::Active)
        .filter(|u| {
            u.memberships.iter().any(|m| {
                matches!(
                    m.role(),
                    Role::PlaceLead | Role::Coordinator | Role::PartnerStaff
                )
            })
        })
        .map(|u| MemberChoice {
            id: u.id.0,
            checked: chosen.contains(&u.id),
            name: u.name,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "fund/staff_rounds.html")]
struct RoundsPage<'a> {
    site: &'a Site,
    csrf: String,
    rounds: Vec<RoundView>,
    may_manage: bool,
    form: RoundForm,
    members: Vec<MemberChoice>,
    error: Option<FieldError>,
}

async fn rounds_page(
    state: &AppState,
    allowed: &Allowed,
    form: RoundForm,
    chosen: &[UserId],
    error: Option<FieldError>,
) -> PageResult {
    let now = Utc::now();
    let may_manage = allowed.may(&Action::ManageFunds);
    let me = allowed.user_id();
    let rounds: Vec<RoundView> = state
        .store
        .fund_rounds(None, ROUNDS_LISTED)
        .await?
        .iter()
        .filter(|r| may_manage || r.panel.contains(&me))
        .map(|r| RoundView::of(r, now))
        .collect();
    let members = if may_manage {
        panel_choices(state, chosen).await?
    } else {
        Vec::new()
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &RoundsPage {
            site: &state.site,
            csrf: allowed.csrf(),
            rounds,
            may_manage,
            form,
            members,
            error,
        },
        status,
    ))
}

/// `/staff/fund`: the rounds (a panel member sees theirs), and for place leads the form to
/// set one up.
pub(crate) async fn rounds(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let form = RoundForm {
        criteria: "Need in the area | 3\nWho it reaches | 2\nValue for money | 1".to_owned(),
        open_to_unconstituted: Some("yes".to_owned()),
        ..RoundForm::default()
    };
    rounds_page(&state, &allowed, form, &[], None).await
}

fn pairs(body: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    let raw = std::str::from_utf8(body)
        .map_err(|_| PageError::BadRequest("the form could not be read".to_owned()))?;
    form_urlencoded_pairs(raw)
        .map_err(|_| PageError::BadRequest("the form could not be read".to_owned()))
}

fn panel_of(pairs: &[(String, String)]) -> Vec<UserId> {
    let mut panel: Vec<UserId> = pairs
        .iter()
        .filter(|(k, _)| k == "panel")
        .filter_map(|(_, v)| Uuid::parse_str(v).ok().map(UserId))
        .take(50)
        .collect();
    panel.sort();
    panel.dedup();
    panel
}

/// `POST /staff/fund`: sets up a round and its panel.
pub(crate) async fn create(
    State(state): State<AppState>,
    allowed: Allowed,
    body: axum::body::Bytes,
) -> PageResult {
    let pairs = pairs(&body)?;
    let panel = panel_of(&pairs);
    let (form, _): (RoundForm, _) = with_repeated(pairs, "panel")?;
    let plan = match form.plan(Utc::now()) {
        Ok(plan) => plan,
        Err(e) => {
            let error = FieldError::new(e.field(), crate::kit::capitalised(&e.to_string()));
            return rounds_page(&state, &allowed, form, &panel, Some(error)).await;
        }
    };
    match state
        .store
        .create_round(&plan, &panel, allowed.stamp.clone())
        .await
    {
        Ok(round) => Ok(see_other(format!("/staff/fund/{}", round.id))),
        Err(FundError::NoSuchMember) => {
            let error = FieldError::new("panel", "Choose panel members from the list");
            rounds_page(&state, &allowed, form, &panel, Some(error)).await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

async fn find_round(state: &AppState, id: &str) -> Result<Round, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("fund round"))?;
    state
        .store
        .fund_round(id)
        .await?
        .ok_or(PageError::NotFound("fund round"))
}

/// Only the round's panel and place leads see its applications.
fn may_see(allowed: &Allowed, round: &Round) -> Result<(), PageError> {
    if round.panel.contains(&allowed.user_id()) || allowed.may(&Action::ManageFunds) {
        Ok(())
    } else {
        Err(Notice::new(
            StatusCode::FORBIDDEN,
            "Not on this panel",
            "Only the members of this round's panel and place leads see its applications.",
        )
        .link("/staff/fund", "Back to the fund")
        .into())
    }
}

struct Row {
    rank: usize,
    id: Uuid,
    applicant: String,
    kind: &'static str,
    amount: String,
    score: String,
    scored_by: u32,
    abstained: u32,
    status: &'static str,
    yours: &'static str,
}

#[derive(Template)]
#[template(path = "fund/staff_panel.html")]
struct PanelPage<'a> {
    site: &'a Site,
    csrf: String,
    round: RoundView,
    rows: Vec<Row>,
    fast: Vec<Row>,
    may_manage: bool,
    members: Vec<MemberChoice>,
    panel_names: Vec<String>,
}

/// The panel's ranking: the round's applications with their tallies, best first.
pub fn ranked(round: &Round, applications: Vec<Application>) -> Vec<Scored> {
    let mut scored: Vec<Scored> = applications
        .into_iter()
        .map(|a| Scored::of(&round.plan, a))
        .collect();
    rank(&mut scored);
    scored
}

fn row(n: usize, s: &Scored, me: UserId) -> Row {
    let a = &s.application;
    Row {
        rank: n,
        id: a.id,
        applicant: a.applicant_name().to_owned(),
        kind: match a.kind() {
            knit_domain::fund::ApplicantKind::Individual => "Individual",
            knit_domain::fund::ApplicantKind::UnconstitutedGroup => "Group, not constituted",
            knit_domain::fund::ApplicantKind::ConstitutedGroup => "Constituted group",
        },
        amount: a.draft.amount.map(|p| p.to_string()).unwrap_or_default(),
        score: s.tally.percent(),
        scored_by: s.tally.scored_by,
        abstained: s.tally.abstained,
        status: a.status.label(),
        yours: match a.vote_of(me) {
            Some(Vote::Scores(_)) => "Scored",
            Some(Vote::Conflict { .. }) => "Conflict declared",
            None => "",
        },
    }
}

/// `/staff/fund/{id}`: the round's applications, scored and ranked for the panel.
pub(crate) async fn panel(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let round = find_round(&state, &id).await?;
    may_see(&allowed, &round)?;
    let applications = state.store.panel_applications(round.id).await?;
    allowed.audit_read(&state, "fund_round", round.id).await;
    let me = allowed.user_id();
    let scored = ranked(&round, applications);
    let (fast, panel): (Vec<&Scored>, Vec<&Scored>) = scored
        .iter()
        .partition(|s| s.application.route == Some(Route::Fast));
    let may_manage = allowed.may(&Action::ManageFunds);
    let mut panel_names = Vec::new();
    for member in &round.panel {
        if let Some(user) = state.store.user(*member).await? {
            panel_names.push(user.name);
        }
    }
    Ok(render(
        &PanelPage {
            site: &state.site,
            csrf: allowed.csrf(),
            round: RoundView::of(&round, Utc::now()),
            rows: panel
                .iter()
                .enumerate()
                .map(|(i, s)| row(i + 1, s, me))
                .collect(),
            fast: fast
                .iter()
                .enumerate()
                .map(|(i, s)| row(i + 1, s, me))
                .collect(),
            may_manage,
            members: if may_manage {
                panel_choices(&state, &round.panel).await?
            } else {
                Vec::new()
            },
            panel_names,
        },
        StatusCode::OK,
    ))
}

/// `POST /staff/fund/{id}/panel`: who sits on the round's panel.
pub(crate) async fn set_panel(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let round = find_round(&state, &id).await?;
    let panel = panel_of(&pairs(&body)?);
    match state
        .store
        .set_panel(round.id, &panel, allowed.stamp.clone())
        .await
    {
        Ok(()) => Ok(see_other(format!("/staff/fund/{}", round.id))),
        Err(FundError::NoSuchMember) => Err(PageError::refused(
            "choose panel members from the list",
            format!("/staff/fund/{}", round.id),
            "Back to the round",
        )),
        Err(e) => Err(PageError::internal(e)),
    }
}

// --- one application ---

struct CriterionRow {
    key: String,
    label: String,
    weight: u32,
    typed: String,
}

struct VoteRow {
    member: String,
    what: String,
}

struct PaymentRow {
    amount: String,
    paid_on: String,
    reference: String,
}

/// What was typed into the application page's forms, to show back on a mistake.
#[derive(Debug, Clone, Default)]
pub(crate) struct Typed {
    scores: BTreeMap<String, String>,
    conflict: String,
    outcome: String,
    amount: String,
    reasons: String,
    payment_amount: String,
    paid_on: String,
    reference: String,
    what_happened: String,
    people_reached: String,
}

#[derive(Template)]
#[template(path = "fund/staff_application.html")]
struct ApplicationPage<'a> {
    site: &'a Site,
    csrf: String,
    round: RoundView,
    id: Uuid,
    applicant: String,
    kind: &'static str,
    contact_name: String,
    email: String,
    phone: String,
    postcode: String,
    charity_number: String,
    company_number: String,
    bank: String,
    answers: Vec<(&'static str, String)>,
    amount: String,
    route: &'static str,
    status: &'static str,
    score: String,
    votes: Vec<VoteRow>,
    criteria: Vec<CriterionRow>,
    max_score: u8,
    may_vote: bool,
    my_vote: String,
    may_decide: bool,
    decided: String,
    reasons: String,
    awarded: bool,
    payments: Vec<PaymentRow>,
    paid: String,
    monitoring_due: String,
    monitoring: String,
    monitoring_open: bool,
    typed: Typed,
    error: Option<FieldError>,
}

async fn find_application(state: &AppState, id: &str) -> Result<(Application, Round), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("application"))?;
    let application = state
        .store
        .fund_application(id)
        .await?
        .filter(|a| a.status != ApplicationStatus::Draft)
        .ok_or(PageError::NotFound("application"))?;
    let round = state
        .store
        .fund_round(application.round_id)
        .await?
        .ok_or(PageError::NotFound("fund round"))?;
    Ok((application, round))
}

async fn application_page(
    state: &AppState,
    allowed: &Allowed,
    application: &Application,
    round: &Round,
    typed: Typed,
    error: Option<FieldError>,
) -> PageResult {
    let me = allowed.user_id();
    let may_manage = allowed.may(&Action::ManageFunds);
    let d = application.details();
    let scored = Scored::of(&round.plan, application.clone());
    let mut votes = Vec::new();
    for cast in &application.votes {
        let member = state
            .store
            .user(cast.member)
            .await?
            .map(|u| u.name)
            .unwrap_or_else(|| "A former member".to_owned());
        let what = match &cast.vote {
            Vote::Conflict { reason } => {
                format!("Declared a conflict of interest ({reason}); abstains")
            }
            Vote::Scores(scores) => round
                .plan
                .criteria
                .iter()
                .map(|c| {
                    format!(
                        "{} {}/{MAX_SCORE}",
                        c.label,
                        scores.get(&c.key).copied().unwrap_or(0)
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        };
        votes.push(VoteRow { member, what });
    }
    let undecided = application.status == ApplicationStatus::Submitted;
    let may_vote = undecided && application.route != Some(Route::Fast) && round.panel.contains(&me);
    let my_vote = match application.vote_of(me) {
        Some(Vote::Scores(_)) => "You have scored this application; scoring again replaces it.",
        Some(Vote::Conflict { .. }) => "You declared a conflict of interest, so you abstain.",
        None => "",
    }
    .to_owned();
    let decision = application.decision.as_ref();
    let awarded = decision.is_some_and(|d| d.awarded.is_some());
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let criteria = round
        .plan
        .criteria
        .iter()
        .map(|c| CriterionRow {
            key: c.key.clone(),
            label: c.label.clone(),
            weight: c.weight,
            typed: typed.scores.get(&c.key).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(render(
        &ApplicationPage {
            site: &state.site,
            csrf: allowed.csrf(),
            round: RoundView::of(round, Utc::now()),
            id: application.id,
            applicant: application.applicant_name().to_owned(),
            kind: application.kind().label(),
            contact_name: d.name.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            postcode: d.postcode.clone(),
            charity_number: d.charity_number.clone(),
            company_number: d.company_number.clone(),
            // Bank details only for the place leads who pay, and only once awarded.
            bank: if may_manage && awarded && !d.bank_account_number.is_empty() {
                format!(
                    "{}, sort code {}, account {}",
                    d.bank_account_name, d.bank_sort_code, d.bank_account_number
                )
            } else {
                String::new()
            },
            answers: knit_domain::fund::QUESTIONS
                .iter()
                .map(|q| (q.label, d.answers.get(q.key).cloned().unwrap_or_default()))
                .collect(),
            amount: application
                .draft
                .amount
                .map(|a| a.to_string())
                .unwrap_or_default(),
            route: application.route.unwrap_or(Route::Panel).label(),
            status: application.status.label(),
            score: scored.tally.percent(),
            votes,
            criteria,
            max_score: MAX_SCORE,
            may_vote,
            my_vote,
            may_decide: may_manage && undecided,
            decided: decision
                .map(|d| match d.awarded {
                    Some(a) => format!("Awarded {a} on {}", closing(d.decided_at)),
                    None => format!("Declined on {}", closing(d.decided_at)),
                })
                .unwrap_or_default(),
            reasons: decision.map(|d| d.reasons.clone()).unwrap_or_default(),
            awarded: awarded && may_manage,
            payments: decision
                .map(|d| {
                    d.payments
                        .iter()
                        .map(|p| PaymentRow {
                            amount: p.payment.amount.to_string(),
                            paid_on: crate::kit::day(p.payment.paid_on),
                            reference: p.payment.reference.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            paid: decision.map(|d| d.paid().to_string()).unwrap_or_default(),
            monitoring_due: decision
                .and_then(|d| d.monitoring_due)
                .map(crate::kit::day)
                .unwrap_or_default(),
            monitoring: decision
                .and_then(|d| d.monitoring.as_ref())
                .map(|m| {
                    format!(
                        "{} ({} people; {})",
                        m.what_happened,
                        m.people_reached,
                        if m.spent_as_planned {
                            "spent as planned"
                        } else {
                            "not all spent as planned"
                        }
                    )
                })
                .unwrap_or_default(),
            monitoring_open: decision.is_some_and(|d| d.monitoring_at.is_none()),
            typed,
            error,
        },
        status,
    ))
}

/// `/staff/fund/applications/{id}`: one application, its scores, and the forms to score,
/// decide, pay and record the monitoring return.
pub(crate) async fn application(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (application, round) = find_application(&state, &id).await?;
    may_see(&allowed, &round)?;
    allowed
        .audit_read(&state, "fund_application", application.id)
        .await;
    application_page(
        &state,
        &allowed,
        &application,
        &round,
        Typed::default(),
        None,
    )
    .await
}

fn back(id: Uuid) -> Response {
    see_other(format!("/staff/fund/applications/{id}"))
}

/// `POST /staff/fund/applications/{id}/vote`: scores per criterion, or a conflict.
pub(crate) async fn vote(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let (application, round) = find_application(&state, &id).await?;
    may_see(&allowed, &round)?;
    let pairs = pairs(&body)?;
    let mut typed = Typed::default();
    let mut conflict = false;
    for (k, v) in &pairs {
        if let Some(key) = k.strip_prefix("score_")
            && round.plan.criteria.iter().any(|c| c.key == key)
        {
            typed.scores.insert(key.to_owned(), v.trim().to_owned());
        } else if k == "conflict" {
            conflict = !v.is_empty();
        } else if k == "conflict_reason" {
            typed.conflict = v.chars().take(500).collect();
        }
    }
    let vote = if conflict {
        Vote::Conflict {
            reason: one_line(&typed.conflict),
        }
    } else {
        let mut scores = BTreeMap::new();
        for c in &round.plan.criteria {
            let text = typed.scores.get(&c.key).map(String::as_str).unwrap_or("");
            match text.parse::<u8>() {
                Ok(n) => {
                    scores.insert(c.key.clone(), n);
                }
                Err(_) if text.is_empty() => {}
                Err(_) => {
                    scores.insert(c.key.clone(), u8::MAX);
                }
            }
        }
        Vote::Scores(scores)
    };
    match state
        .store
        .cast_vote(
            application.id,
            allowed.user_id(),
            &vote,
            allowed.stamp.clone(),
        )
        .await
    {
        Ok(()) => Ok(see_other(format!("/staff/fund/{}", round.id))),
        Err(FundError::Vote(e)) => {
            let field = match &vote {
                Vote::Conflict { .. } => "conflict_reason",
                Vote::Scores(_) => "scores",
            };
            let error = FieldError::new(field, crate::kit::capitalised(&e.to_string()));
            application_page(&state, &allowed, &application, &round, typed, Some(error)).await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reasons: String,
}

fn decision_mail(
    base_url: &str,
    site_name: &str,
    round_title: &str,
    application: &Application,
    decision: &Decision,
    monitoring_token: &str,
    now: chrono::DateTime<Utc>,
) -> Vec<knit_store::accounts::NewJob> {
    let Ok(to) = Email::parse(&application.details().email) else {
        return Vec::new();
    };
    let round = one_line(round_title);
    let words = [("site", site_name), ("round", round.as_str())];
    let why = |reasons: &str| crate::t_with("fund-email-why", &[("reasons", reasons)]);
    // In the language the applicant applied in, whatever the staff page speaks.
    let message =
        crate::kit::language::speaking(application.details().language, || match decision {
            Decision::Award { amount, reasons } => Message {
                to,
                subject: crate::t_with("fund-email-funded-subject", &words),
                body: format!(
                    "{}\n\n{}\n\n{}\n",
                    crate::t_with(
                        "fund-email-funded-body",
                        &[("round", round.as_str()), ("amount", &amount.to_string())],
                    ),
                    why(reasons),
                    crate::t_with(
                        "fund-email-funded-monitoring",
                        &[(
                            "link",
                            &format!("{base_url}/fund/awards/{monitoring_token}/monitoring"),
                        )],
                    ),
                ),
            },
            Decision::Decline { reasons } => Message {
                to,
                subject: crate::t_with("fund-email-declined-subject", &words),
                body: format!(
                    "{}\n\n{}\n",
                    crate::t_with("fund-email-declined-body", &words),
                    why(reasons),
                ),
            },
        });
    vec![email_job(message, now)]
}

/// `POST /staff/fund/applications/{id}/decision`: award (an amount) or decline, with reasons.
pub(crate) async fn decide(
    State(state): State<AppState>,
    allowed: Allowed,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    let (application, round) = find_application(&state, &id).await?;
    let typed = Typed {
        outcome: form.outcome.clone(),
        amount: form.amount.clone(),
        reasons: form.reasons.clone(),
        ..Typed::default()
    };
    let refuse = |e: DecisionError, typed: Typed| {
        let error = FieldError::new(e.field(), crate::kit::capitalised(&e.to_string()));
        (typed, error)
    };
    let reasons = form.reasons.trim().to_owned();
    let decision = match form.outcome.as_str() {
        "award" => match Pence::parse(&form.amount) {
            Ok(amount) => Decision::Award { amount, reasons },
            Err(e) => {
                let (typed, error) = refuse(DecisionError::Amount(e), typed);
                return application_page(
                    &state,
                    &allowed,
                    &application,
                    &round,
                    typed,
                    Some(error),
                )
                .await;
            }
        },
        "decline" => Decision::Decline { reasons },
        _ => {
            let (typed, error) = refuse(DecisionError::NoOutcome, typed);
            return application_page(&state, &allowed, &application, &round, typed, Some(error))
                .await;
        }
    };
    let Ok(random) = random_bytes() else {
        return Err(PageError::internal("no randomness"));
    };
    let now = Utc::now();
    let mail = decision_mail(
        &public_base_url(&headers),
        &state.site.name,
        &round.plan.title,
        &application,
        &decision,
        &token_from_random(random),
        now,
    );
    match state
        .store
        .decide(NewDecision {
            application: application.id,
            decision,
            random,
            stamp: allowed.stamp.clone(),
            mail,
        })
        .await
    {
        Ok(_) => Ok(back(application.id)),
        Err(FundError::Decision(e)) => {
            let (typed, error) = refuse(e, typed);
            application_page(&state, &allowed, &application, &round, typed, Some(error)).await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct PaymentForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    paid_on: String,
    #[serde(default)]
    reference: String,
}

/// `POST /staff/fund/applications/{id}/payments`: a payment made on the award.
pub(crate) async fn pay(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<PaymentForm>,
) -> PageResult {
    let (application, round) = find_application(&state, &id).await?;
    let typed = Typed {
        payment_amount: form.amount.clone(),
        paid_on: form.paid_on.clone(),
        reference: form.reference.clone(),
        ..Typed::default()
    };
    let payment = match (Pence::parse(&form.amount), parse_date(&form.paid_on)) {
        (Ok(amount), Ok(Some(paid_on))) => Payment {
            amount,
            paid_on,
            reference: one_line(&form.reference),
        },
        (Err(e), _) => {
            let error = FieldError::new(
                "payment_amount",
                crate::kit::capitalised(&PaymentError::Amount(e).to_string()),
            );
            return application_page(&state, &allowed, &application, &round, typed, Some(error))
                .await;
        }
        _ => {
            let error = FieldError::new(
                "paid_on",
                crate::kit::capitalised(&PaymentError::BadDate.to_string()),
            );
            return application_page(&state, &allowed, &application, &round, typed, Some(error))
                .await;
        }
    };
    match state
        .store
        .record_payment(application.id, &payment, allowed.stamp.clone())
        .await
    {
        Ok(_) => Ok(back(application.id)),
        Err(FundError::Payment(e)) => {
            let error = FieldError::new("payment_amount", crate::kit::capitalised(&e.to_string()));
            application_page(&state, &allowed, &application, &round, typed, Some(error)).await
        }
        Err(e) => Err(PageError::internal(e)),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct StaffMonitoringForm {
    #[serde(default)]
    what_happened: String,
    #[serde(default)]
    people_reached: String,
    #[serde(default)]
    spent_as_planned: Option<String>,
}

/// `POST /staff/fund/applications/{id}/monitoring`: a return taken by phone or on paper.
pub(crate) async fn monitoring(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<StaffMonitoringForm>,
) -> PageResult {
    let (application, round) = find_application(&state, &id).await?;
    let typed = Typed {
        what_happened: form.what_happened.clone(),
        people_reached: form.people_reached.clone(),
        ..Typed::default()
    };
    let report = match monitoring_return(
        &form.what_happened,
        &form.people_reached,
        crate::kit::ticked(&form.spent_as_planned),
        "",
    ) {
        Ok(r) => r,
        Err(e) => {
            let error = FieldError::new(e.field(), crate::kit::capitalised(&e.to_string()));
            return application_page(&state, &allowed, &application, &round, typed, Some(error))
                .await;
        }
    };
    match state
        .store
        .submit_monitoring(
            MonitoringRef::Application(application.id),
            &report,
            allowed.stamp.clone(),
        )
        .await
    {
        Ok(_) => Ok(back(application.id)),
        Err(FundError::Monitoring(e)) => {
            let error = FieldError::new(e.field(), crate::kit::capitalised(&e.to_string()));
            application_page(&state, &allowed, &application, &round, typed, Some(error)).await
        }
        Err(FundError::NoSuchApplication) => Err(PageError::refused(
            "only an award has a monitoring return",
            format!("/staff/fund/applications/{}", application.id),
            "Back to the application",
        )),
        Err(e) => Err(PageError::internal(e)),
    }
}
