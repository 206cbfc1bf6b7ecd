//! The local fund, end to end over real HTTP on SQLite and PostgreSQL. Priya, the place lead,
//! sets up a round with a fast route under £1,000 and a panel of two, Ravi and Ada. Kelly,
//! on her phone and with no account, asks for too much and is told so with what she typed
//! kept; saves a draft of a £400 application for her group (which has no constitution),
//! comes back by the emailed link, and sends it. Ravi declares a conflict of interest and
//! abstains; Ada scores it. Priya awards £400 with reasons and records the payment. Six
//! months on Kelly is asked how it went and answers by her link. The awards export as
//! 360Giving data that validates against the standard's schema, naming no individual.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{Days, Months, Utc};
use jsonschema::{Retrieve, Uri};
use knit_domain::account::{Email, Membership};
use knit_domain::fund::{ApplicationForm, Decision, Pence, RoundForm, Vote};
use knit_domain::opening::uk_local;
use knit_domain::totp::TotpSecret;
use knit_store::casework::Stamp;
use knit_store::fund::{ApplicationLink, ApplicationWrite, NewDecision};
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;
use serde_json::Value;

use crate::staff_pages::{Browser, make_user};
use crate::support::{TestApp, captured_logs};

const PACKAGE_SCHEMA: &str = "360-giving-package-schema.json";
const GRANT_SCHEMA: &str = "360-giving-schema.json";
/// The address the package schema refers to the grant schema by.
const GRANT_SCHEMA_ID: &str = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json";

fn fixtures() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/it/fixtures/360giving"
    ))
}

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(name)).expect("the fixture is there");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

/// Serves the grant schema from the fixtures; refuses anything else, so nothing is fetched.
struct Fixtures;

impl Retrieve for Fixtures {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str() == GRANT_SCHEMA_ID {
            Ok(read_json(GRANT_SCHEMA))
        } else {
            Err(format!("refusing to fetch {uri}: only the grant schema is local").into())
        }
    }
}

/// Every way `package` breaks the 360Giving package schema (draft 2020-12).
pub(crate) fn schema_errors(package: &Value) -> Vec<String> {
    let schema = read_json(PACKAGE_SCHEMA);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_retriever(Fixtures)
        .build(&schema)
        .expect("the 360Giving schema compiles");
    validator
        .iter_errors(package)
        .map(|e| format!("at '{}': {e}", e.instance_path()))
        .collect()
}

async fn deliver(app: &TestApp, at: chrono::DateTime<Utc>) -> MemoryMailer {
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, at)
        .await
        .expect("the queue runs");
    mailer
}

fn link_in(app: &TestApp, body: &str, part: &str) -> String {
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with(&app.base_url) && w.contains(part))
        .unwrap_or_else(|| panic!("a link to {part}: {body}"));
    link.strip_prefix(&app.base_url).unwrap().to_owned()
}

fn kelly_form(amount: &str, spending: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "unconstituted_group".into()),
        ("amount", amount.into()),
        ("name", "Kelly Marsh".into()),
        ("email", "kelly.marsh@example.org".into()),
        ("phone", "07700 900461".into()),
        ("group_name", "Thursday Friends".into()),
        ("postcode", "KF1 1AA".into()),
        (
            "what_for",
            "Hall hire for a Thursday evening social, for people who want company.".into(),
        ),
        (
            "who_benefits",
            "Nine people so far, most living alone.".into(),
        ),
        ("spending", spending.into()),
        ("bank_account_name", "K Marsh".into()),
        ("bank_sort_code", "12-34-56".into()),
        ("bank_account_number", "12345678".into()),
    ]
}

pub(crate) fn kelly_form_for(amount: &str, spending: &str) -> Vec<(&'static str, String)> {
    kelly_form(amount, spending)
}

fn fields<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Kelly applies on her phone for £400 from the fast route, a panel of two decides (one
/// declares a conflict), the award is made and paid, the monitoring return comes in, and
/// the 360Giving export is valid. Part of her journey from an idea to a listed group
/// (`assets::kellys_group`), which runs it on each backend.
pub(crate) async fn kelly_gets_a_grant(app: &TestApp) {
    let logs = captured_logs();
    let secret = |n| TotpSecret::from_random_bytes([n; 20]);
    let priya = make_user(
        app,
        "Priya Shah",
        "priya.fund@example.org",
        vec![Membership::place_lead()],
        Some(&secret(61)),
    )
    .await;
    let ravi = make_user(
        app,
        "Ravi Kumar",
        "ravi.fund@example.org",
        vec![Membership::coordinator()],
        Some(&secret(62)),
    )
    .await;
    let ada = make_user(
        app,
        "Ada Obi",
        "ada.fund@example.org",
        vec![Membership::partner_staff(
            knit_domain::access::Action::EXAMPLE_ORGANIZATION,
        )],
        Some(&secret(63)),
    )
    .await;
    let mut lead = Browser::new(app, "198.51.100.61");
    lead.sign_in("priya.fund@example.org", Some(&secret(61)))
        .await;

    // Priya sets up the round. A band upside down comes back with what she typed.
    let closes = (uk_local(Utc::now()).date() + Days::new(30))
        .format("%Y-%m-%d")
        .to_string();
    let (ravi_id, ada_id) = (ravi.id.0.to_string(), ada.id.0.to_string());
    let mut round_form = vec![
        ("title", "Northfield small grants"),
        ("description", "For things that bring people together."),
        ("min", "5000"),
        ("max", "3000"),
        ("fast_route_below", "1000"),
        ("closes_on", closes.as_str()),
        ("criteria", "Need in the area | 3\nWho it reaches | 2"),
        ("open_to_unconstituted", "yes"),
        ("panel", ravi_id.as_str()),
        ("panel", ada_id.as_str()),
    ];
    let wrong = lead.submit("/staff/fund", &round_form).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(
        wrong.body.contains("The smallest amount must be less"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("Northfield small grants"));
    round_form[2] = ("min", "100");
    let made = lead.submit("/staff/fund", &round_form).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let round_path = made.location.clone().unwrap();
    let round_id = round_path.rsplit('/').next().unwrap().to_owned();
    let round = app
        .store()
        .fund_round(round_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(round.panel.len(), 2);

    // Kelly, on her phone, finds the round.
    let mut kelly = Browser::new(app, "203.0.113.46");
    let list = kelly.get("/fund").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Northfield small grants"));
    let page = kelly.get(&format!("/fund/{round_id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"viewport\""));

    // Asking for more than the round gives: a clear message, everything kept, nothing stored.
    let apply = format!("/fund/{round_id}");
    let mut too_much = kelly_form("6000", "Hall £300, tea £100");
    too_much.push(("action", "submit".into()));
    let refused = kelly.post(&apply, &fields(&too_much)).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("Ask for between £100 and £3,000"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Thursday Friends") && refused.body.contains("6000"));
    // Too long an answer: the same.
    let mut long = kelly_form("400", &"tea ".repeat(600));
    long.push(("action", "save".into()));
    let refused = kelly.post(&apply, &fields(&long)).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("too long"));
    assert!(
        app.store()
            .panel_applications(round.id)
            .await
            .unwrap()
            .is_empty()
    );

    // She saves a draft without the spending yet, and is emailed its link.
    let mut draft = kelly_form("400", "");
    draft.push(("action", "save".into()));
    let saved = kelly.post(&apply, &fields(&draft)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let draft_path = saved.location.unwrap();
    assert!(draft_path.starts_with("/fund/applications/") && draft_path.ends_with("?saved=1"));
    let mail = deliver(app, Utc::now()).await;
    let sent = mail.sent_to(&Email::parse("kelly.marsh@example.org").unwrap());
    assert_eq!(sent.len(), 1);
    let link = link_in(app, &sent[0].body, "/fund/applications/");
    assert_eq!(link, draft_path.trim_end_matches("?saved=1"));
    let back = kelly.get(&link).await;
    assert_eq!(back.status, 200);
    assert!(back.body.contains("Thursday Friends") && back.body.contains("Kelly Marsh"));
    // Sending it without the spending says which question is unanswered; nothing changes.
    let mut unfinished = kelly_form("400", "");
    unfinished.push(("action", "submit".into()));
    let refused = kelly.post(&link, &fields(&unfinished)).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("How will you spend it?"));
    let mut whole = kelly_form("400", "Hall hire £300, tea and biscuits £100");
    whole.push(("action", "submit".into()));
    // Her daughter sends it for her on the Welsh site, then switches back: every email
    // the application sends from now on speaks Welsh, the language it was sent in.
    assert_eq!(kelly.get("/?lang=cy").await.status, 200);
    let sent = kelly.post(&link, &fields(&whole)).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(kelly.get("/?lang=en").await.status, 200);
    let status = kelly.get(&link).await;
    assert!(
        status.body.contains("Waiting for a decision"),
        "{}",
        status.body
    );
    let again = kelly.post(&link, &fields(&whole)).await;
    assert_eq!(again.status, 409, "a sent application cannot be changed");
    let apps = app.store().panel_applications(round.id).await.unwrap();
    assert_eq!(apps.len(), 1);
    let application = apps[0].clone();
    assert_eq!(application.route, Some(knit_domain::fund::Route::Fast));
    let app_path = format!("/staff/fund/applications/{}", application.id);

    // The panel: Ravi knows Kelly and declares it; Ada scores.
    let mut ravi_b = Browser::new(app, "198.51.100.62");
    ravi_b
        .sign_in("ravi.fund@example.org", Some(&secret(62)))
        .await;
    let vote = format!("{app_path}/vote");
    let no_reason = ravi_b
        .submit(&vote, &[("conflict", "yes"), ("conflict_reason", "")])
        .await;
    assert_eq!(no_reason.status, 422);
    let declared = ravi_b
        .submit(
            &vote,
            &[
                ("conflict", "yes"),
                ("conflict_reason", "Kelly is my neighbour"),
            ],
        )
        .await;
    assert_eq!(declared.status, 303, "{}", declared.body);
    let mut ada_b = Browser::new(app, "198.51.100.63");
    ada_b
        .sign_in("ada.fund@example.org", Some(&secret(63)))
        .await;
    let too_high = ada_b
        .submit(
            &vote,
            &[
                ("score_need_in_the_area", "9"),
                ("score_who_it_reaches", "4"),
            ],
        )
        .await;
    assert_eq!(too_high.status, 422);
    assert!(too_high.body.contains("Scores run from 0 to 5"));
    let scored = ada_b
        .submit(
            &vote,
            &[
                ("score_need_in_the_area", "5"),
                ("score_who_it_reaches", "4"),
            ],
        )
        .await;
    assert_eq!(scored.status, 303, "{}", scored.body);
    let panel = ada_b.get(&round_path).await;
    assert_eq!(panel.status, 200);
    assert!(panel.body.contains("Thursday Friends"));
    // Ada's 5 and 4 on weights 3 and 2: 23 of 25; Ravi's abstention counts nothing.
    let page = ada_b.get(&app_path).await;
    assert!(page.body.contains("92.0%"), "{}", page.body);
    assert!(page.body.contains("Declared a conflict of interest"));
    // A panel member does not decide, and someone off the panel does not see it.
    let not_theirs = ada_b
        .submit(
            &format!("{app_path}/decision"),
            &[("outcome", "award"), ("amount", "400"), ("reasons", "x")],
        )
        .await;
    assert_eq!(not_theirs.status, 403);

    // Priya awards: too much first, then £400 with reasons.
    let decide = format!("{app_path}/decision");
    let over = lead
        .submit(
            &decide,
            &[("outcome", "award"), ("amount", "500"), ("reasons", "Good")],
        )
        .await;
    assert_eq!(over.status, 422);
    assert!(over.body.contains("no more than was asked for"));
    let awarded = lead
        .submit(
            &decide,
            &[
                ("outcome", "award"),
                ("amount", "400"),
                ("reasons", "A clear need, and low cost"),
            ],
        )
        .await;
    assert_eq!(awarded.status, 303, "{}", awarded.body);
    let status = kelly.get(&link).await;
    assert!(status.body.contains("Awarded £400") && status.body.contains("A clear need"));
    let mail = deliver(app, Utc::now()).await;
    let told = mail.sent_to(&Email::parse("kelly.marsh@example.org").unwrap());
    assert!(
        told.iter().any(|m| m
            .subject
            .ends_with(": mae eich cais i Northfield small grants wedi cyrraedd")),
        "{told:?}"
    );
    let funded = told
        .iter()
        .find(|m| m.subject.contains("wedi'i ariannu"))
        .expect("told in Welsh, though the panel decided in English");
    assert!(funded.body.contains("Pam: A clear need"), "{}", funded.body);

    // The payment, and no more than the award.
    let pay = format!("{app_path}/payments");
    let today = uk_local(Utc::now()).date().format("%Y-%m-%d").to_string();
    let paid = lead
        .submit(
            &pay,
            &[
                ("amount", "400"),
                ("paid_on", today.as_str()),
                ("reference", "BACS 0042"),
            ],
        )
        .await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    let over = lead
        .submit(
            &pay,
            &[
                ("amount", "1"),
                ("paid_on", today.as_str()),
                ("reference", ""),
            ],
        )
        .await;
    assert_eq!(over.status, 422);
    assert!(over.body.contains("more than the £400 awarded"));
    let page = lead.get(&app_path).await;
    assert!(page.body.contains("Paid in all: £400"));
    assert!(
        page.body.contains("12345678"),
        "the place lead who pays sees the bank details"
    );
    let ada_page = ada_b.get(&app_path).await;
    assert!(
        !ada_page.body.contains("12345678"),
        "a panel member does not"
    );

    // Six months on, Kelly is asked how it went, once, and answers by her link.
    let later = Utc::now().checked_add_months(Months::new(6)).unwrap() + Days::new(1);
    let asked = knit_web::fund::reminders::remind_due(app.store(), &app.base_url, "Knit", later)
        .await
        .unwrap();
    assert_eq!(asked, 1);
    let again = knit_web::fund::reminders::remind_due(app.store(), &app.base_url, "Knit", later)
        .await
        .unwrap();
    assert_eq!(again, 0, "asked once");
    let mail = deliver(app, later).await;
    let reminder = mail
        .sent_to(&Email::parse("kelly.marsh@example.org").unwrap())
        .into_iter()
        .find(|m| m.subject.contains("sut aeth pethau"))
        .expect("the reminder");
    let monitoring = link_in(app, &reminder.body, "/monitoring");
    let form = kelly.get(&monitoring).await;
    assert_eq!(form.status, 200);
    let empty = kelly
        .post(
            &monitoring,
            &[("what_happened", ""), ("people_reached", "9")],
        )
        .await;
    assert_eq!(empty.status, 422);
    let answered = kelly
        .post(
            &monitoring,
            &[
                (
                    "what_happened",
                    "We met every Thursday; nine became fourteen.",
                ),
                ("people_reached", "14"),
                ("spent_as_planned", "yes"),
            ],
        )
        .await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    let twice = kelly
        .post(
            &monitoring,
            &[("what_happened", "Again"), ("people_reached", "1")],
        )
        .await;
    assert_eq!(twice.status, 409);
    let page = lead.get(&app_path).await;
    assert!(page.body.contains("nine became fourteen"));

    // An individual's award too, in a round open to individuals, for the export.
    let now = Utc::now();
    let open = RoundForm {
        title: "Warm homes".into(),
        min: "50".into(),
        max: "500".into(),
        closes_on: closes.clone(),
        criteria: "Need".into(),
        open_to_individuals: Some("yes".into()),
        ..RoundForm::default()
    }
    .plan(now)
    .unwrap();
    let stamp = |by| Stamp {
        by,
        role: None,
        at: now,
        address: None,
    };
    let warm = app
        .store()
        .create_round(&open, &[priya.id], stamp(None))
        .await
        .unwrap();
    let (person, _) = app
        .store()
        .write_application(ApplicationWrite {
            link: ApplicationLink::New {
                round: warm.id,
                random: [0x77; 32],
            },
            draft: ApplicationForm {
                kind: "individual".into(),
                amount: "250.50".into(),
                name: "Joan Pennyworth".into(),
                phone: "07700 900999".into(),
                postcode: "KF2 3BB".into(),
                what_for: "A new boiler part".into(),
                who_benefits: "Me and my grandson".into(),
                spending: "Part £200, fitting £50.50".into(),
                ..ApplicationForm::default()
            }
            .draft()
            .unwrap(),
            submit: true,
            stamp: stamp(None),
            mail: None,
        })
        .await
        .unwrap();
    let scores = BTreeMap::from([("need".to_owned(), 5)]);
    app.store()
        .cast_vote(
            person.id,
            priya.id,
            &Vote::Scores(scores),
            stamp(Some(priya.id)),
        )
        .await
        .unwrap();
    app.store()
        .decide(NewDecision {
            application: person.id,
            decision: Decision::Award {
                amount: Pence(25_050),
                reasons: "Urgent".into(),
            },
            random: [0x78; 32],
            stamp: stamp(Some(priya.id)),
            mail: Vec::new(),
        })
        .await
        .unwrap();

    // The export: valid 360Giving, no individual named, the group by a 360G- id.
    let meta = knit::fund_publisher(
        Some("360G-kestleford".into()),
        None,
        "Kestleford Fund".into(),
    );
    let mut out = Vec::new();
    let grants = knit::write_360giving(app.store(), &meta, Utc::now(), &mut out)
        .await
        .unwrap();
    assert_eq!(grants, 2);
    let package: Value = serde_json::from_slice(&out).expect("the export is JSON");
    assert_eq!(schema_errors(&package), Vec::<String>::new());
    let text = String::from_utf8(out).unwrap();
    for personal in [
        "Joan",
        "Pennyworth",
        "KF2 3BB",
        "07700",
        "Kelly Marsh",
        "kelly.marsh",
        "12345678",
    ] {
        assert!(!text.contains(personal), "{personal} is not exported");
    }
    let grants = package["grants"].as_array().unwrap();
    let group = grants
        .iter()
        .find(|g| g.get("recipientOrganization").is_some())
        .unwrap();
    assert_eq!(
        group["recipientOrganization"][0]["name"],
        "Thursday Friends"
    );
    assert!(
        group["recipientOrganization"][0]["id"]
            .as_str()
            .unwrap()
            .starts_with("360G-kestleford-ORG-")
    );
    assert_eq!(group["amountAwarded"], 400);
    assert_eq!(group["amountDisbursed"], 400);
    let individual = grants
        .iter()
        .find(|g| g.get("recipientIndividual").is_some())
        .unwrap();
    assert_eq!(
        individual["recipientIndividual"]["name"],
        "Individual Recipient"
    );
    assert_eq!(individual["amountAwarded"], 250.5);
    // A package the standard refuses is caught: no grants, or an individual given a name
    // as an organisation too.
    let mut broken = package.clone();
    broken["grants"][0]["recipientIndividual"] =
        serde_json::json!({"id": "360G-x", "name": "Individual Recipient"});
    assert!(!schema_errors(&broken).is_empty());

    // Nothing Kelly or Joan typed reached a log line.
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    for personal in [
        "Kelly Marsh",
        "kelly.marsh@example.org",
        "Joan Pennyworth",
        "12345678",
        "neighbour",
    ] {
        assert!(!logged.contains(personal), "{personal} was logged");
    }
}

/// For the route × role test: the demo round (with `members` as its whole panel), its
/// fast-route application and that application's link, as `{fund_round}`,
/// `{fund_application}` and `{fund_token}`.
pub(crate) async fn route_ids(
    app: &TestApp,
    members: &[knit_domain::account::UserId],
) -> Vec<(&'static str, String)> {
    let round = app
        .store()
        .fund_rounds(None, 10)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.plan.title == knit::demo::fund::DEMO_ROUND_TITLE)
        .expect("the demo fund round");
    let stamp = Stamp {
        by: None,
        role: None,
        at: Utc::now(),
        address: None,
    };
    app.store()
        .set_panel(round.id, members, stamp)
        .await
        .unwrap();
    let fast = app
        .store()
        .panel_applications(round.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.route == Some(knit_domain::fund::Route::Fast))
        .expect("the demo's fast-route application");
    vec![
        ("{fund_round}", round.id.to_string()),
        ("{fund_application}", fast.id.to_string()),
        (
            "{fund_token}",
            knit_domain::session::token_from_random([0x51; 32]),
        ),
    ]
}
