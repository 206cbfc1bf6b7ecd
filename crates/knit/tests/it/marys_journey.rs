//! Mary's journey, over real HTTP, on SQLite and PostgreSQL.
//!
//! Mary has left an abusive partner; she is in debt, the bailiffs are at the door and she
//! cannot sleep. She asks for a call back and says not to leave messages. Ravi, a
//! coordinator, opens a case from the queue, has the conversation and puts domestic abuse
//! first. With Mary's consent for each, he refers her to three organisations. The debt
//! advice service has no capacity, so Ravi refers her elsewhere; the domestic abuse service
//! accepts and completes with an outcome. Ravi goes with her to an appointment, measures
//! her wellbeing at the start and the end, and closes the case. Along the way: staff of one
//! organisation never see another's referral or Mary's record, withdrawing consent stops
//! the sharing, and nothing Mary said reaches a log line.

use chrono::{TimeDelta, Utc};
use knit_domain::account::{Membership, OrganizationId};
use knit_domain::casework::PersonId;
use knit_domain::referral::{ChasePolicy, ReferralStatus};
use knit_domain::totp::TotpSecret;
use knit_store::accounts::AuditFilter;
use uuid::Uuid;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends, captured_logs};

const MARY_WORDS: &str =
    "My ex keeps turning up at the house, the bailiffs are at the door and I cant sleep";
const MARY_PHONE: &str = "07700 900461";
const CODE_WORD: &str = "bluebell";

/// The first id after `prefix` in a page.
fn id_after(html: &str, prefix: &str) -> Option<String> {
    ids_after(html, prefix).into_iter().next()
}

/// Every id after `prefix` in a page, in order.
fn ids_after(html: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(prefix) {
        let start = at + prefix.len();
        if let Some(id) = rest.get(start..start + 36)
            && Uuid::parse_str(id).is_ok()
            && !out.iter().any(|o| o == id)
        {
            out.push(id.to_owned());
        }
        rest = &rest[start..];
    }
    out
}

/// The services suggested on the referral page: (service id, the need it is for).
fn suggestions(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for id in ids_after(html, "name=\"service\" type=\"radio\" value=\"") {
        let label_at = html
            .find(&format!("<label for=\"service-{id}\">"))
            .expect("a label for each suggestion");
        let label = &html[label_at..];
        let label = &label[..label.find("</label>").unwrap()];
        let need = label.rsplit("— for ").next().unwrap();
        let need = need.split(',').next().unwrap().trim().to_owned();
        out.push((id, need));
    }
    out
}

async fn organisation_of(app: &TestApp, service: &str) -> OrganizationId {
    let service = app
        .store()
        .service(service.parse().unwrap())
        .await
        .unwrap()
        .expect("a suggested service exists");
    OrganizationId(service.organization_id)
}

async fn partner<'a>(app: &'a TestApp, n: u8, org: OrganizationId) -> Browser<'a> {
    let secret = TotpSecret::from_random_bytes([n; 20]);
    let email = format!("partner{n}@example.org");
    make_user(
        app,
        "Partner",
        &email,
        vec![Membership::partner_staff(org)],
        Some(&secret),
    )
    .await;
    let mut browser = Browser::new(app, &format!("198.51.100.{n}"));
    browser.sign_in(&email, Some(&secret)).await;
    browser
}

async fn marys_journey(backend: Backend) {
    let logs = captured_logs();
    let app = TestApp::spawn(backend).await;

    // Mary asks for a call back: calls and texts are safe, messages are not.
    let mut mary = Browser::new(&app, "203.0.113.7");
    let form = mary.get("/call-back").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("How is it safe to get in touch?"));
    let sent = mary
        .post(
            "/call-back",
            &[
                ("name", "Mary Whitlock"),
                ("phone", MARY_PHONE),
                ("postcode", "KF1 1AA"),
                ("safe_to_call", "on"),
                ("safe_to_text", "on"),
                ("safe_times", "weekdays 10 till 2"),
                ("code_word", CODE_WORD),
                ("what_is_going_on", MARY_WORDS),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("we will be in touch"), "{}", sent.body);
    assert!(
        sent.body.contains("call 999"),
        "an urgent request shows crisis contacts"
    );

    // A form without consent is refused, says why, and keeps what was typed.
    let refused = mary
        .post(
            "/call-back",
            &[("name", "Mary Whitlock"), ("phone", MARY_PHONE)],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Tick the box to say we may keep this")
    );
    assert!(refused.body.contains("value=\"Mary Whitlock\""));

    // Ravi, a coordinator, sees her at the top of the queue with her contact rules.
    let ravi_secret = TotpSecret::from_random_bytes([61; 20]);
    let ravi_user = make_user(
        &app,
        "Ravi Kumar",
        "ravi@example.org",
        vec![Membership::coordinator()],
        Some(&ravi_secret),
    )
    .await;
    let mut ravi = Browser::new(&app, "198.51.100.61");
    ravi.sign_in("ravi@example.org", Some(&ravi_secret)).await;
    let queue = ravi.get("/staff/intakes").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Mary Whitlock"));
    assert!(queue.body.contains("Asked for a call back"));
    assert!(queue.body.contains("Do not leave messages"));
    assert!(
        queue.body.contains("Urgent"),
        "domestic abuse makes it urgent"
    );
    let intake = id_after(&queue.body, "/staff/intakes/").expect("Mary's request");

    let opened = ravi
        .submit(&format!("/staff/intakes/{intake}/open"), &[])
        .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let person_path = opened.location.expect("to Mary's page");
    let person = PersonId(person_path.rsplit('/').next().unwrap().parse().unwrap());
    let page = ravi.get(&person_path).await;
    assert!(page.body.contains("Before you get in touch"));
    assert!(page.body.contains("Do not leave messages"));
    assert!(page.body.contains("Use the code word"));
    assert!(
        page.body.contains(CODE_WORD),
        "the coordinator needs the word itself"
    );
    // The queue is empty again, and a second open is refused.
    assert!(
        !ravi
            .get("/staff/intakes")
            .await
            .body
            .contains("Mary Whitlock")
    );
    let again = ravi
        .submit(&format!("/staff/intakes/{intake}/open"), &[])
        .await;
    assert_eq!(again.status, 409);

    // The conversation: the matcher suggests needs from her words; Ravi sets three, with
    // domestic abuse first.
    let suggested = ravi
        .submit(
            &format!("{person_path}/conversation"),
            &[("words", MARY_WORDS), ("intent", "suggest")],
        )
        .await;
    assert_eq!(suggested.status, 200);
    assert!(
        suggested.body.contains("we picked up"),
        "{}",
        suggested.body
    );
    // The page carries back which needs Knit suggested, as a browser would send them.
    let offered: Vec<String> = suggested
        .body
        .split("name=\"suggested\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    assert!(offered.iter().any(|n| n == "debt"), "{offered:?}");
    let mut form = vec![
        (
            "what_matters",
            "Keeping the children safe and at their school",
        ),
        ("strengths", "Organised, a good cook"),
        ("priority_domestic-abuse", "urgent"),
        ("note_domestic-abuse", "Ex turns up at the house"),
        ("priority_debt", "soon"),
        ("priority_mental-health", "soon"),
        ("intent", "save"),
    ];
    form.extend(offered.iter().map(|need| ("suggested", need.as_str())));
    let saved = ravi
        .submit(&format!("{person_path}/conversation"), &form)
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    // What Ravi did with the suggestions is counted per need, and nothing else is kept.
    let counts = app
        .store()
        .correction_counts(chrono::Utc::now() - chrono::TimeDelta::days(31))
        .await
        .unwrap();
    let chosen = ["domestic-abuse", "debt", "mental-health"];
    for count in &counts {
        let need = count.need.as_str();
        let was_offered = offered.iter().any(|n| n == need);
        let was_chosen = chosen.contains(&need);
        assert_eq!(
            (count.kept, count.removed, count.added),
            (
                u64::from(was_offered && was_chosen),
                u64::from(was_offered && !was_chosen),
                u64::from(!was_offered && was_chosen)
            ),
            "{need}"
        );
    }
    assert_eq!(
        counts.len(),
        offered
            .iter()
            .map(String::as_str)
            .chain(chosen)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    let record = app.store().person(person).await.unwrap().unwrap();
    let needs: Vec<(&str, &str)> = record
        .needs
        .iter()
        .map(|n| (n.need.as_str(), n.priority.code()))
        .collect();
    assert_eq!(needs[0], ("domestic-abuse", "urgent"), "{needs:?}");
    for expected in [("debt", "soon"), ("mental-health", "soon")] {
        assert!(needs.contains(&expected), "{needs:?}");
    }

    // Referrals to three organisations, one for each need, each with Mary's consent.
    let refer_page = ravi.get(&format!("{person_path}/refer")).await;
    assert_eq!(refer_page.status, 200);
    assert!(
        refer_page
            .body
            .contains("These contact rules travel with the referral")
    );
    let offered = suggestions(&refer_page.body);
    let mut chosen: Vec<(String, OrganizationId, &str)> = Vec::new();
    for need in ["Domestic abuse", "Debt advice", "Mental health"] {
        for (service, for_need) in &offered {
            let org = organisation_of(&app, service).await;
            if for_need.starts_with(need) && chosen.iter().all(|(_, o, _)| *o != org) {
                chosen.push((service.clone(), org, need));
                break;
            }
        }
    }
    assert_eq!(
        chosen.len(),
        3,
        "a service from a different organisation for each need: {offered:?}"
    );

    // Without her agreement nothing is sent.
    let no_consent = ravi
        .submit(
            &format!("{person_path}/refer"),
            &[("service", &chosen[0].0), ("share", "contact")],
        )
        .await;
    assert_eq!(no_consent.status, 422);
    assert!(no_consent.body.contains("has not agreed to share"));
    for (service, _, need) in &chosen {
        let need_code = match *need {
            "Domestic abuse" => "domestic-abuse",
            "Debt advice" => "debt",
            _ => "mental-health",
        };
        let sent = ravi
            .submit(
                &format!("{person_path}/refer"),
                &[
                    ("service", service),
                    ("share", "contact"),
                    ("need", need_code),
                    ("message", "Mary would like a call on a weekday morning"),
                    ("agreed", "yes"),
                    ("purpose", "support"),
                ],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
    let record = app.store().person(person).await.unwrap().unwrap();
    assert_eq!(record.referrals.len(), 3);
    let shares = record
        .consents
        .iter()
        .filter(|c| {
            matches!(
                c.scope,
                knit_domain::casework::ConsentScope::ShareWith { .. }
            )
        })
        .count();
    assert_eq!(shares, 3, "one consent to share for each organisation");
    let referral_to = |org: OrganizationId| {
        record
            .referrals
            .iter()
            .find(|r| r.organization == org)
            .unwrap()
            .id
            .0
            .to_string()
    };
    let (abuse_org, debt_org, health_org) = (chosen[0].1, chosen[1].1, chosen[2].1);
    let abuse_referral = referral_to(abuse_org);
    let debt_referral = referral_to(debt_org);
    let health_referral = referral_to(health_org);

    // The debt advice service opens its inbox: opening marks the referral received. It has
    // no capacity.
    let mut debt_staff = partner(&app, 71, debt_org).await;
    let inbox = debt_staff.get("/staff/inbox").await;
    assert_eq!(inbox.status, 200);
    assert!(inbox.body.contains("Mary Whitlock"));
    assert!(
        !inbox.body.contains(&abuse_referral),
        "only its own referrals"
    );
    let seen = debt_staff
        .get(&format!("/staff/referrals/{debt_referral}"))
        .await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains(MARY_PHONE), "contact was shared");
    assert!(
        seen.body.contains("Do not leave messages"),
        "the rules travel"
    );
    assert!(!seen.body.contains("KF1 1AA"), "the address was not shared");
    assert!(
        !seen.body.contains("Keeping the children safe"),
        "nor what matters to her"
    );
    let turned_down = debt_staff
        .submit(
            &format!("/staff/referrals/{debt_referral}/moves"),
            &[
                ("move", "reject"),
                ("reason", "no_capacity"),
                ("note", "Full until March"),
            ],
        )
        .await;
    assert_eq!(turned_down.status, 303, "{}", turned_down.body);

    // Another organisation's staff can see neither the referral nor Mary's record.
    let mut health_staff = partner(&app, 72, health_org).await;
    let other = health_staff
        .get(&format!("/staff/referrals/{debt_referral}"))
        .await;
    assert_eq!(other.status, 403);
    assert!(!other.body.contains("Mary"));
    let record_page = health_staff.get(&person_path).await;
    assert_eq!(record_page.status, 403);
    let other_move = health_staff
        .submit(
            &format!("/staff/referrals/{abuse_referral}/moves"),
            &[("move", "accept")],
        )
        .await;
    assert_eq!(other_move.status, 403);

    // Ravi sees the answer and refers her to another debt service.
    let record = app.store().person(person).await.unwrap().unwrap();
    let debt = record
        .referrals
        .iter()
        .find(|r| r.organization == debt_org)
        .unwrap();
    assert_eq!(debt.status, ReferralStatus::Rejected);
    let kinds: Vec<&str> = debt.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["send", "open", "reject"]);
    let page = ravi.get(&person_path).await;
    assert!(page.body.contains("No capacity at the moment"));
    let alternative = offered
        .iter()
        .map(|(s, n)| (s.clone(), n.clone()))
        .find(|(s, n)| n.starts_with("Debt advice") && *s != chosen[1].0);
    let alternative = match alternative {
        Some((service, _)) => service,
        None => {
            // Fewer than two suggested: any other debt service in the directory.
            let results = ravi.get("/search?need=debt").await.body;
            ids_after(&results, "/services/")
                .into_iter()
                .find(|s| *s != chosen[1].0)
                .expect("another debt service")
        }
    };
    let other_debt_org = organisation_of(&app, &alternative).await;
    assert_ne!(other_debt_org, debt_org);
    let sent = ravi
        .submit(
            &format!("{person_path}/refer"),
            &[
                ("service", &alternative),
                ("share", "contact"),
                ("need", "debt"),
                ("agreed", "yes"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);

    // The domestic abuse service accepts, works with her, and records the outcome.
    let mut abuse_staff = partner(&app, 73, abuse_org).await;
    let opened = abuse_staff
        .get(&format!("/staff/referrals/{abuse_referral}"))
        .await;
    assert!(opened.body.contains("Accept"));
    // Nothing can be completed before it is accepted.
    let skipped = abuse_staff
        .submit(
            &format!("/staff/referrals/{abuse_referral}/moves"),
            &[("move", "complete"), ("result", "need_met")],
        )
        .await;
    assert_eq!(skipped.status, 409);
    for (change, extra) in [
        ("accept", ("result", "")),
        ("start", ("result", "")),
        ("complete", ("result", "need_met")),
    ] {
        let page = abuse_staff
            .submit(
                &format!("/staff/referrals/{abuse_referral}/moves"),
                &[
                    ("move", change),
                    extra,
                    ("note", "Safety plan made, locks changed"),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "{change}: {}", page.body);
    }
    let messaged = abuse_staff
        .submit(
            &format!("/staff/referrals/{abuse_referral}/messages"),
            &[("text", "Mary is safe at home now")],
        )
        .await;
    assert_eq!(messaged.status, 303);

    // Ravi goes with her to the housing office, and the step is done.
    let step = ravi
        .submit(
            &format!("{person_path}/steps"),
            &[
                ("kind", "go_with"),
                ("what", "Go with Mary to the housing office"),
                ("place", "Kestleford Town Hall"),
                ("who", "Ravi"),
                (
                    "due",
                    &(Utc::now().date_naive() + TimeDelta::days(3)).to_string(),
                ),
            ],
        )
        .await;
    assert_eq!(step.status, 303, "{}", step.body);
    let page = ravi.get(&person_path).await;
    let step_id = id_after(&page.body, "/steps/").expect("the step");
    let done = ravi
        .submit(&format!("{person_path}/steps/{step_id}/done"), &[])
        .await;
    assert_eq!(done.status, 303);

    // SWEMWBS at the start and at the end.
    for (stage, answers) in [
        ("start", ["2", "2", "1", "2", "2", "2", "3"]),
        ("end", ["4", "3", "3", "4", "4", "3", "4"]),
    ] {
        let mut form = vec![("kind", "swemwbs"), ("stage", stage)];
        let names = [
            "swemwbs_0",
            "swemwbs_1",
            "swemwbs_2",
            "swemwbs_3",
            "swemwbs_4",
            "swemwbs_5",
            "swemwbs_6",
        ];
        for (name, answer) in names.iter().zip(answers.iter()) {
            form.push((name, answer));
        }
        let page = ravi
            .submit(&format!("{person_path}/wellbeing"), &form)
            .await;
        assert_eq!(page.status, 303, "{}", page.body);
    }
    let bad = ravi
        .submit(
            &format!("{person_path}/wellbeing"),
            &[("kind", "swemwbs"), ("stage", "review"), ("swemwbs_0", "9")],
        )
        .await;
    assert_eq!(bad.status, 422, "an answer out of range is refused");

    // Close the case with an outcome for each need.
    let close = ravi.get(&format!("{person_path}/close")).await;
    assert!(close.body.contains("Domestic abuse"));
    let closed = ravi
        .submit(
            &format!("{person_path}/close"),
            &[
                ("outcome_domestic-abuse", "resolved"),
                ("outcome_debt", "referred_on"),
                ("outcome_mental-health", "improved"),
            ],
        )
        .await;
    assert_eq!(closed.status, 303, "{}", closed.body);

    let page = ravi.get(&person_path).await;
    assert!(page.body.contains("Case closed"));
    assert!(
        page.body.contains("Wellbeing score rose"),
        "the change is shown"
    );
    let record = app.store().person(person).await.unwrap().unwrap();
    let abuse = record
        .referrals
        .iter()
        .find(|r| r.organization == abuse_org)
        .unwrap();
    let kinds: Vec<&str> = abuse.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["send", "open", "accept", "start", "complete", "message"]
    );
    assert_eq!(abuse.status, ReferralStatus::Completed);
    assert_eq!(record.referrals.len(), 4);
    assert_eq!(record.measures.len(), 2);
    assert!(record.steps.iter().all(|s| s.done_at.is_some()));
    assert!(record.needs.iter().all(|n| n.outcome.is_some()));
    let timeline: Vec<&str> = record.timeline.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(timeline.first(), Some(&"opened"));
    assert_eq!(timeline.last(), Some(&"closed"));
    let times: Vec<_> = record.timeline.iter().map(|t| t.at).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "the timeline is in order"
    );

    // Every read of Mary's record is in the audit log, with her id and Ravi's.
    let reads = app
        .store()
        .audit_events(
            0,
            10_000,
            &AuditFilter {
                action: Some("read_person".to_owned()),
                object_id: Some(person.0.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(
        reads
            .iter()
            .filter(|e| e.actor == Some(ravi_user.id))
            .count()
            >= 4,
        "{} reads audited",
        reads.len()
    );
    let refused = app
        .store()
        .audit_events(0, 10_000, &AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == knit_domain::audit::Outcome::Denied)
        .count();
    assert!(
        refused >= 3,
        "the other organisation's attempts are audited"
    );

    // Reopening works, and the subject-access export holds everything.
    let reopened = ravi.submit(&format!("{person_path}/reopen"), &[]).await;
    assert_eq!(reopened.status, 303);
    let export = ravi.get(&format!("{person_path}/export?format=json")).await;
    assert_eq!(export.status, 200);
    let json: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(json["details"]["name"], "Mary Whitlock");
    assert_eq!(json["referrals"].as_array().unwrap().len(), 4);
    assert_eq!(json["measures"].as_array().unwrap().len(), 2);

    // Unanswered referrals are chased: the health service never answered.
    let policy = ChasePolicy::default();
    let later = Utc::now() + TimeDelta::days(8);
    let pass = knit_web::referrals::chaser::chase_due(app.store(), &policy, later)
        .await
        .unwrap();
    assert!(pass.reminded >= 2, "{pass:?}");
    assert!(
        pass.emails >= 1,
        "the health service's staff are emailed: {pass:?}"
    );
    let again = knit_web::referrals::chaser::chase_due(app.store(), &policy, later)
        .await
        .unwrap();
    assert_eq!(again.reminded, 0, "each stage once");
    let much_later = Utc::now() + TimeDelta::days(16);
    let pass = knit_web::referrals::chaser::chase_due(app.store(), &policy, much_later)
        .await
        .unwrap();
    assert!(pass.escalated >= 1, "Ravi is told: {pass:?}");
    let health = app
        .store()
        .referral(knit_domain::casework::ReferralId(
            health_referral.parse().unwrap(),
        ))
        .await
        .unwrap()
        .unwrap();
    assert!(health.events.iter().any(|e| e.kind == "escalated"));

    // Mary withdraws her consent to share with the health service: the referral stops and
    // its staff no longer see her details.
    let record = app.store().person(person).await.unwrap().unwrap();
    let consent = record
        .consents
        .iter()
        .find(|c| {
            matches!(&c.scope, knit_domain::casework::ConsentScope::ShareWith { organization, .. }
                if *organization == health_org)
        })
        .unwrap()
        .id;
    let withdrawn = ravi
        .submit(&format!("{person_path}/consents/{consent}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status, 303);
    let seen = health_staff
        .get(&format!("/staff/referrals/{health_referral}"))
        .await;
    assert_eq!(seen.status, 200);
    assert!(!seen.body.contains(MARY_PHONE));
    assert!(seen.body.contains("withdrew their consent"));
    assert!(seen.body.contains("cancelled"));
    let resend = ravi
        .submit(
            &format!("{person_path}/refer"),
            &[("service", &chosen[2].0), ("share", "contact")],
        )
        .await;
    assert_eq!(
        resend.status, 422,
        "no further sharing without a new consent"
    );

    // A place lead erases the record on Mary's request: her words are gone, the counts stay.
    let lead_secret = TotpSecret::from_random_bytes([81; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&lead_secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.81");
    priya.sign_in("priya@example.org", Some(&lead_secret)).await;
    assert_eq!(
        priya.get(&person_path).await.status,
        403,
        "place leads do not read records"
    );
    // She sees where the matcher is weak, from counts that name nobody.
    let weak = priya.get("/staff/matcher").await;
    assert_eq!(weak.status, 200, "{}", weak.body);
    assert!(weak.body.contains("Domestic abuse"), "{}", weak.body);
    assert!(!weak.body.contains("Mary"), "the counts name nobody");
    let erased = priya
        .submit(
            "/staff/erasures",
            &[("reference", &person.0.to_string()), ("confirm", "erase")],
        )
        .await;
    assert_eq!(erased.status, 200, "{}", erased.body);
    let record = app.store().person(person).await.unwrap().unwrap();
    assert!(record.details.is_none());
    assert!(record.referrals.iter().all(|r| r.shared.is_none()));
    assert!(record.timeline.iter().all(|t| t.text.is_empty()));
    assert_eq!(
        record.needs.len(),
        3,
        "the needs' codes and outcomes stay for reports"
    );
    assert_eq!(ravi.get(&person_path).await.status, 404);

    // Nothing Mary said, nor how to reach her, reached a log line.
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logs.contains("intakes"),
        "the capture sees the database statements, so it would see a leak"
    );
    for secret in [
        "Mary Whitlock",
        MARY_PHONE,
        "bailiffs",
        CODE_WORD,
        "Full until March",
    ] {
        assert!(!logs.contains(secret), "{secret:?} was logged");
    }
}

#[tokio::test]
async fn marys_journey_from_a_call_back_to_a_closed_case() {
    for backend in backends() {
        marys_journey(backend).await;
    }
}

/// A script cannot bury the coordinators' queue: after five requests in an hour from one
/// address the next is turned away kindly, while another address is still heard.
async fn one_address_cannot_fill_the_queue(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut flood = Browser::new(&app, "203.0.113.66");
    let fields = [
        ("name", "Test Person"),
        ("phone", "07700 900999"),
        ("safe_to_call", "on"),
        ("consent", "yes"),
        ("what_is_going_on", "I need help with money"),
    ];
    for n in 0..knit_domain::casework::PUBLIC_REQUESTS_PER_WINDOW {
        let page = flood.post("/call-back", &fields).await;
        assert_eq!(page.status, 200, "request {n}");
    }
    let refused = flood.post("/refer", &fields).await;
    assert_eq!(refused.status, 429);
    assert!(refused.body.contains("a coordinator will be in touch"));
    assert!(
        refused.body.contains("value=\"Test Person\""),
        "nothing typed is lost"
    );
    let mut neighbour = Browser::new(&app, "203.0.113.67");
    assert_eq!(neighbour.post("/call-back", &fields).await.status, 200);
    let waiting = app.store().waiting_intakes(100).await.unwrap();
    assert_eq!(
        waiting.len() as u64,
        knit_domain::casework::PUBLIC_REQUESTS_PER_WINDOW + 1
    );
}

#[tokio::test]
async fn one_address_cannot_fill_the_coordinators_queue() {
    for backend in backends() {
        one_address_cannot_fill_the_queue(backend).await;
    }
}
