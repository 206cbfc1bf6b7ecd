//! What the store promises about the local fund, told as stories on SQLite and PostgreSQL:
//! an application is saved by its link and submitted only when eligible, nothing
//! half-written; the panel scores with a conflict declared, a decision is made once, payments
//! never pass the award, the monitoring return is asked for once, and the award exports.

use std::collections::BTreeMap;

use chrono::{DateTime, Months, TimeDelta, TimeZone, Utc};
use knit_domain::account::{Email, Membership, UserId, UserStatus};
use knit_domain::fund::{
    ApplicationForm, ApplicationStatus, Decision, DecisionError, ExportRecipient, Ineligible,
    MonitoringReturn, Payment, PaymentError, Pence, RoundPlan, Route, Vote, VoteError,
    parse_criteria,
};
use knit_domain::session::token_from_random;
use knit_store::Store;
use knit_store::accounts::{AuditFilter, NewUser};
use knit_store::casework::Stamp;
use knit_store::fund::{ApplicationLink, ApplicationWrite, FundError, MonitoringRef, NewDecision};

use crate::Db;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap()
}

fn stamp(by: Option<UserId>, at: DateTime<Utc>) -> Stamp {
    Stamp {
        by,
        role: None,
        at,
        address: Some("203.0.113.9".into()),
    }
}

fn plan() -> RoundPlan {
    RoundPlan {
        title: "Spring grants".into(),
        description: String::new(),
        min: Pence::pounds(100),
        max: Pence::pounds(3_000),
        fast_route_below: Some(Pence::pounds(1_000)),
        closes_at: now() + TimeDelta::days(30),
        criteria: parse_criteria("Need | 3\nReach | 2").unwrap(),
        open_to_individuals: false,
        open_to_unconstituted: true,
    }
}

fn kelly(amount: &str, spending: &str) -> ApplicationForm {
    ApplicationForm {
        kind: "unconstituted_group".into(),
        amount: amount.into(),
        name: "Kelly Marsh".into(),
        email: "kelly@example.org".into(),
        group_name: "Thursday Friends".into(),
        bank_account_number: "12345678".into(),
        what_for: "A weekly social".into(),
        who_benefits: "Nine neighbours".into(),
        spending: spending.into(),
        ..ApplicationForm::default()
    }
}

async fn user(store: &dyn Store, name: &str) -> UserId {
    store
        .create_user(NewUser {
            name: name.into(),
            email: Email::parse(&format!("{}@example.org", name.to_lowercase())).unwrap(),
            status: UserStatus::Active,
            password_hash: None,
            memberships: vec![Membership::place_lead()],
            at: now(),
        })
        .await
        .unwrap()
        .id
}

async fn audits(store: &dyn Store, action: &str) -> usize {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    store.audit_events(0, 1000, &filter).await.unwrap().len()
}

async fn an_application_is_kept_by_its_link_and_submitted_only_when_eligible(db: &Db) {
    let store = db.store();
    let round = store
        .create_round(&plan(), &[], stamp(None, now()))
        .await
        .unwrap();
    let write = |link, form: ApplicationForm, submit, at| ApplicationWrite {
        link,
        draft: form.draft().unwrap(),
        submit,
        stamp: stamp(None, at),
        mail: None,
    };
    let (draft, token) = store
        .write_application(write(
            ApplicationLink::New {
                round: round.id,
                random: [7; 32],
            },
            kelly("400", ""),
            false,
            now(),
        ))
        .await
        .unwrap();
    assert_eq!(token, token_from_random([7; 32]));
    assert_eq!(draft.status, ApplicationStatus::Draft);
    assert_eq!(draft.details().name, "Kelly Marsh");
    assert!(
        !format!("{draft:?}").contains("Kelly"),
        "Debug shows nothing of her"
    );
    let read = store.application_by_link(&token).await.unwrap().unwrap();
    assert_eq!(read.id, draft.id);
    assert!(
        store
            .application_by_link(&token_from_random([8; 32]))
            .await
            .unwrap()
            .is_none()
    );

    // Submitting unanswered or outside the band is refused and changes nothing.
    let unanswered = store
        .write_application(write(
            ApplicationLink::Existing(&token),
            kelly("300", ""),
            true,
            now(),
        ))
        .await;
    assert!(matches!(
        unanswered,
        Err(FundError::Ineligible(Ineligible::Unanswered(_)))
    ));
    let too_much = store
        .write_application(write(
            ApplicationLink::Existing(&token),
            kelly("5000", "Hall"),
            true,
            now(),
        ))
        .await;
    assert!(matches!(
        too_much,
        Err(FundError::Ineligible(Ineligible::OutsideBand { .. }))
    ));
    let kept = store.fund_application(draft.id).await.unwrap().unwrap();
    assert_eq!(
        kept.draft.amount,
        Some(Pence::pounds(400)),
        "nothing half-written"
    );
    assert_eq!(kept.status, ApplicationStatus::Draft);

    // After the deadline neither a new draft nor a submission is taken.
    let late = now() + TimeDelta::days(31);
    let refused = store
        .write_application(write(
            ApplicationLink::Existing(&token),
            kelly("400", "Hall"),
            true,
            late,
        ))
        .await;
    assert!(matches!(
        refused,
        Err(FundError::Ineligible(Ineligible::DeadlinePassed(_)))
    ));
    let refused = store
        .write_application(write(
            ApplicationLink::New {
                round: round.id,
                random: [9; 32],
            },
            kelly("400", "Hall"),
            false,
            late,
        ))
        .await;
    assert!(matches!(
        refused,
        Err(FundError::Ineligible(Ineligible::DeadlinePassed(_)))
    ));

    let (sent, _) = store
        .write_application(write(
            ApplicationLink::Existing(&token),
            kelly("400", "Hall"),
            true,
            now(),
        ))
        .await
        .unwrap();
    assert_eq!(sent.status, ApplicationStatus::Submitted);
    assert_eq!(sent.route, Some(Route::Fast));
    assert!(sent.submitted_at.is_some());
    let again = store
        .write_application(write(
            ApplicationLink::Existing(&token),
            kelly("400", "Hall"),
            false,
            now(),
        ))
        .await;
    assert!(matches!(again, Err(FundError::NotEditable)));
    assert_eq!(store.panel_applications(round.id).await.unwrap().len(), 1);
    assert_eq!(
        audits(store, "apply_to_fund").await,
        2,
        "one event per write kept"
    );
}

async fn a_panel_scores_with_a_conflict_and_an_award_is_paid_and_monitored(db: &Db) {
    let store = db.store();
    let (ravi, ada, priya, stranger) = (
        user(store, "Ravi").await,
        user(store, "Ada").await,
        user(store, "Priya").await,
        user(store, "Stranger").await,
    );
    let round = store
        .create_round(&plan(), &[ravi, ada], stamp(Some(priya), now()))
        .await
        .unwrap();
    assert_eq!(round.panel.len(), 2);
    let (app, _) = store
        .write_application(ApplicationWrite {
            link: ApplicationLink::New {
                round: round.id,
                random: [3; 32],
            },
            draft: kelly("1500", "Hall").draft().unwrap(),
            submit: true,
            stamp: stamp(None, now()),
            mail: None,
        })
        .await
        .unwrap();
    assert_eq!(app.route, Some(Route::Panel));
    let scores = |n: u8| Vote::Scores(BTreeMap::from([("need".into(), n), ("reach".into(), n)]));
    let off_panel = store
        .cast_vote(app.id, stranger, &scores(5), stamp(Some(stranger), now()))
        .await;
    assert!(matches!(
        off_panel,
        Err(FundError::Vote(VoteError::NotOnPanel))
    ));
    // The decision waits for a score.
    let award = |amount: u64, by| NewDecision {
        application: app.id,
        decision: Decision::Award {
            amount: Pence::pounds(amount),
            reasons: "Clear need".into(),
        },
        random: [4; 32],
        stamp: stamp(Some(by), now()),
        mail: Vec::new(),
    };
    assert!(matches!(
        store.decide(award(1500, priya)).await,
        Err(FundError::Decision(DecisionError::NotScored))
    ));
    let conflict = Vote::Conflict {
        reason: "My neighbour".into(),
    };
    store
        .cast_vote(app.id, ravi, &scores(5), stamp(Some(ravi), now()))
        .await
        .unwrap();
    // Changing his mind to a conflict replaces his scores.
    store
        .cast_vote(app.id, ravi, &conflict, stamp(Some(ravi), now()))
        .await
        .unwrap();
    store
        .cast_vote(app.id, ada, &scores(3), stamp(Some(ada), now()))
        .await
        .unwrap();
    let apps = store.panel_applications(round.id).await.unwrap();
    let scored = knit_store::fund::Scored::of(&round.plan, apps[0].clone());
    assert_eq!((scored.tally.scored_by, scored.tally.abstained), (1, 1));
    assert_eq!(
        scored.tally.score,
        Some(6_000),
        "Ada's 3 of 5; Ravi's 5s never count"
    );
    assert_eq!(apps[0].vote_of(ravi), Some(&conflict));
    // Ravi declared a conflict, so he cannot decide.
    assert!(matches!(
        store.decide(award(1500, ravi)).await,
        Err(FundError::Decision(DecisionError::Conflicted))
    ));
    let decided = store.decide(award(1200, priya)).await.unwrap();
    assert_eq!(decided.status, ApplicationStatus::Awarded);
    let decision = decided.decision.clone().unwrap();
    assert_eq!(decision.awarded, Some(Pence::pounds(1200)));
    assert_eq!(decision.reasons, "Clear need");
    let due = decision.monitoring_due.unwrap();
    assert_eq!(
        due,
        decision
            .awarded_on
            .unwrap()
            .checked_add_months(Months::new(6))
            .unwrap()
    );
    assert!(matches!(
        store.decide(award(1200, priya)).await,
        Err(FundError::Decision(DecisionError::Decided))
    ));
    assert!(matches!(
        store
            .cast_vote(app.id, ada, &scores(1), stamp(Some(ada), now()))
            .await,
        Err(FundError::Vote(VoteError::Decided))
    ));

    let pay = |pounds| Payment {
        amount: Pence::pounds(pounds),
        paid_on: now().date_naive(),
        reference: "BACS".into(),
    };
    store
        .record_payment(app.id, &pay(1000), stamp(Some(priya), now()))
        .await
        .unwrap();
    assert!(matches!(
        store
            .record_payment(app.id, &pay(201), stamp(Some(priya), now()))
            .await,
        Err(FundError::Payment(PaymentError::MoreThanAwarded { .. }))
    ));
    store
        .record_payment(app.id, &pay(200), stamp(Some(priya), now()))
        .await
        .unwrap();
    let paid = store.fund_application(app.id).await.unwrap().unwrap();
    assert_eq!(paid.decision.unwrap().paid(), Pence::pounds(1200));

    // The return is not due yet; then it is, and is asked for once.
    assert!(
        store
            .monitoring_due(now().date_naive(), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due_list = store.monitoring_due(due, 10).await.unwrap();
    assert_eq!(due_list.len(), 1);
    assert_eq!(due_list[0].details.email, "kelly@example.org");
    assert!(
        store
            .mark_monitoring_reminded(app.id, [5; 32], &[], now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_monitoring_reminded(app.id, [6; 32], &[], now())
            .await
            .unwrap()
    );
    assert!(store.monitoring_due(due, 10).await.unwrap().is_empty());
    // The reminder's link replaces the decision's.
    let old = token_from_random([4; 32]);
    assert!(
        store
            .award_by_monitoring_link(&old)
            .await
            .unwrap()
            .is_none()
    );
    let link = token_from_random([5; 32]);
    assert_eq!(
        store
            .award_by_monitoring_link(&link)
            .await
            .unwrap()
            .unwrap()
            .id,
        app.id
    );
    let report = MonitoringReturn {
        what_happened: "We met every week".into(),
        people_reached: 14,
        spent_as_planned: true,
        anything_else: String::new(),
    };
    store
        .submit_monitoring(MonitoringRef::Link(&link), &report, stamp(None, now()))
        .await
        .unwrap();
    assert!(matches!(
        store
            .submit_monitoring(
                MonitoringRef::Application(app.id),
                &report,
                stamp(Some(priya), now())
            )
            .await,
        Err(FundError::Monitoring(_))
    ));
    let done = store.fund_application(app.id).await.unwrap().unwrap();
    assert_eq!(done.decision.unwrap().monitoring, Some(report));

    let exported = store.awards_for_export(None, 10).await.unwrap();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].awarded, Pence::pounds(1200));
    assert_eq!(exported[0].paid, Pence::pounds(1200));
    assert_eq!(exported[0].requested, Pence::pounds(1500));
    assert!(matches!(
        &exported[0].recipient,
        ExportRecipient::Organization { name, charity_number: None, .. } if name == "Thursday Friends"
    ));
    assert!(
        store
            .awards_for_export(Some(app.id), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(audits(store, "score_fund_applications").await, 3);
    assert_eq!(
        audits(store, "manage_funds").await,
        4,
        "round, award, two payments"
    );
}

/// On SQLite, where the file is at hand: what the applicant typed is not in the database in
/// clear.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_applicants_details_are_sealed_at_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("knit.db");
    let store = knit_store::open(path.to_str().unwrap()).await.unwrap();
    store.use_keys(std::sync::Arc::new(knit_store::sealing::KeyRing::generate()));
    let round = store
        .create_round(&plan(), &[], stamp(None, now()))
        .await
        .unwrap();
    store
        .write_application(ApplicationWrite {
            link: ApplicationLink::New {
                round: round.id,
                random: [1; 32],
            },
            draft: kelly("400", "Hall").draft().unwrap(),
            submit: false,
            stamp: stamp(None, now()),
            mail: None,
        })
        .await
        .unwrap();
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let wal = std::fs::read(wal).unwrap_or_default();
    for haystack in [&bytes, &wal] {
        for needle in [
            "Kelly Marsh",
            "kelly@example.org",
            "12345678",
            "Thursday Friends",
        ] {
            assert!(
                !haystack
                    .windows(needle.len())
                    .any(|w| w == needle.as_bytes()),
                "{needle} is in the database in clear"
            );
        }
    }
}

macro_rules! fund_stories {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::Db::sqlite().await;
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = crate::Db::postgres(stringify!($story)).await else { return };
                    super::$story(&db).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// An award to a group in the register is what that group's page lists; other groups have
/// none.
async fn a_groups_awards_are_listed_for_its_page(db: &Db) {
    let store = db.store();
    let priya = user(store, "Priya").await;
    let round = store
        .create_round(&plan(), &[priya], stamp(Some(priya), now()))
        .await
        .unwrap();
    let thursday_friends = uuid::Uuid::from_u128(0x7f);
    let mut draft = kelly("400", "Hall").draft().unwrap();
    draft.group_id = Some(thursday_friends);
    let (app, _) = store
        .write_application(ApplicationWrite {
            link: ApplicationLink::New {
                round: round.id,
                random: [5; 32],
            },
            draft,
            submit: true,
            stamp: stamp(None, now()),
            mail: None,
        })
        .await
        .unwrap();
    assert!(
        store
            .group_awards(thursday_friends)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .decide(NewDecision {
            application: app.id,
            decision: Decision::Award {
                amount: Pence::pounds(350),
                reasons: "Starts a group".into(),
            },
            random: [6; 32],
            stamp: stamp(Some(priya), now()),
            mail: Vec::new(),
        })
        .await
        .unwrap();
    let awards = store.group_awards(thursday_friends).await.unwrap();
    assert_eq!(awards.len(), 1);
    assert_eq!(awards[0].round_title, "Spring grants");
    assert_eq!(awards[0].amount, Pence::pounds(350));
    assert_eq!(awards[0].awarded_on, now().date_naive());
    assert!(
        store
            .group_awards(uuid::Uuid::from_u128(0x80))
            .await
            .unwrap()
            .is_empty()
    );
}

fund_stories!(
    a_groups_awards_are_listed_for_its_page,
    an_application_is_kept_by_its_link_and_submitted_only_when_eligible,
    a_panel_scores_with_a_conflict_and_an_award_is_paid_and_monitored,
);
