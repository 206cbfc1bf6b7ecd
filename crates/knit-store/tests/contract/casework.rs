//! What the store promises about casework, told as stories: requests for help wait in
//! Ravi's queue, Mary's record is sealed at rest, her referral to Kestle Debt Advice moves
//! through its states, she withdraws a consent, Ravi's caseload puts the urgent first, a
//! case is closed, reopened and erased, the keys are rotated, an unanswered referral is
//! chased, and Mary's wellbeing is measured. Each runs on SQLite and on PostgreSQL.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use knit_domain::account::{OrganizationId, Role, UserId};
use knit_domain::casework::{
    CaseStatus, ConsentMethod, ConsentScope, IntakeDetails, IntakeSource, NeedOutcome,
    PersonDetails, PersonId, Priority, ReferralId, SafeContact, SharedDetails, SharedPart,
    StepKind,
};
use knit_domain::needs::NeedId;
use knit_domain::referral::{
    Chase, MoveRefused, ReferralMove, ReferralResult, ReferralStatus, RejectionReason, Side,
};
use knit_domain::wellbeing::{Measure, Ons4Answers, Stage, SwemwbsAnswers};
use knit_store::Store;
use knit_store::accounts::AuditFilter;
use knit_store::casework::{
    CaseError, CaseloadFilter, ConsentGiven, IntakeStatus, NewCase, NewIntake, NewReferral,
    NewStep, Referral, ReferralError, ReferralSide, Stamp, StepDetails,
};
use knit_store::sealing::KeyRing;
use sqlx::{AssertSqlSafe, Connection, Row};
use uuid::Uuid;

use crate::{Cleanup, Db};

// --- helpers ---

/// Monday 2 March 2026, nine in the morning.
fn nine_am() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

fn days(d: i64) -> TimeDelta {
    TimeDelta::days(d)
}

fn user() -> UserId {
    UserId(Uuid::new_v4())
}

fn org() -> OrganizationId {
    OrganizationId(Uuid::new_v4())
}

fn need(code: &str) -> NeedId {
    NeedId::parse(code).unwrap()
}

fn by(who: UserId, role: Role, at: DateTime<Utc>) -> Stamp {
    Stamp {
        by: Some(who),
        role: Some(role),
        at,
        address: Some("192.0.2.10".into()),
    }
}

fn public(at: DateTime<Utc>) -> Stamp {
    Stamp {
        by: None,
        role: None,
        at,
        address: Some("198.51.100.7".into()),
    }
}

fn keyed(db: &Db) -> &dyn Store {
    let store = db.store();
    store.use_keys(Arc::new(KeyRing::generate()));
    store
}

fn safe_contact() -> SafeContact {
    SafeContact {
        safe_to_call: true,
        safe_to_text: false,
        safe_to_leave_message: false,
        safe_times: "weekdays 10 till 2".into(),
        ..SafeContact::default()
    }
}

fn person_named(name: &str) -> PersonDetails {
    PersonDetails {
        name: name.into(),
        phone: "07700 900000".into(),
        safe_contact: safe_contact(),
        ..PersonDetails::default()
    }
}

fn intake_details(name: &str, words: &str) -> IntakeDetails {
    IntakeDetails {
        name: name.into(),
        phone: "07700 900111".into(),
        postcode: "TR1 2LS".into(),
        safe_contact: safe_contact(),
        what_is_going_on: words.into(),
        suggested_needs: vec![need("debt")],
        consent_given: true,
        ..IntakeDetails::default()
    }
}

async fn open_case(
    store: &dyn Store,
    details: PersonDetails,
    coordinator: UserId,
    at: DateTime<Utc>,
) -> PersonId {
    store
        .open_case(NewCase {
            from_intake: None,
            details,
            coordinator,
            record_consent: ConsentMethod::Spoken,
            stamp: by(coordinator, Role::Coordinator, at),
        })
        .await
        .unwrap()
}

/// Records that the person agreed to share with `organization`; returns the consent's id.
async fn agree_to_share(
    store: &dyn Store,
    person: PersonId,
    organization: OrganizationId,
    purpose: &str,
    coordinator: UserId,
    at: DateTime<Utc>,
) -> Uuid {
    store
        .record_consent(
            person,
            ConsentScope::ShareWith {
                organization,
                purpose: purpose.into(),
            },
            ConsentMethod::Written,
            None,
            by(coordinator, Role::Coordinator, at),
        )
        .await
        .unwrap()
        .id
}

fn shared(message: &str) -> SharedDetails {
    SharedDetails::of(
        &person_named("Mary Polglase"),
        &[SharedPart::Contact, SharedPart::Needs],
        &[need("debt")],
        message,
    )
}

async fn refer(
    store: &dyn Store,
    person: PersonId,
    organization: OrganizationId,
    message: &str,
    coordinator: UserId,
    at: DateTime<Utc>,
) -> Result<Referral, ReferralError> {
    store
        .send_referral(NewReferral {
            person,
            service_id: Uuid::new_v4(),
            organization,
            shared: shared(message),
            parent: None,
            from_organization: None,
            timeline_text: "Referred to an organisation".into(),
            stamp: by(coordinator, Role::Coordinator, at),
            consent_given: None,
        })
        .await
}

async fn receiver_moves(
    store: &dyn Store,
    id: ReferralId,
    change: ReferralMove,
    worker: UserId,
    at: DateTime<Utc>,
) -> Result<Referral, ReferralError> {
    store
        .move_referral(
            id,
            change,
            Side::Receiver,
            None,
            by(worker, Role::PartnerStaff, at),
        )
        .await
}

const CASEWORK_TABLES: [&str; 9] = [
    "intakes",
    "people",
    "consents",
    "person_needs",
    "plan_steps",
    "wellbeing_measures",
    "case_events",
    "referrals",
    "referral_events",
];

/// A plain connection to the story's database, beside the store, for looking at the rows
/// as someone with a copy of the database would, and for tampering with them.
enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    async fn open(db: &Db) -> Raw {
        match &db.cleanup {
            Cleanup::File(dir) => {
                let path = dir.path().join("knit.db");
                Raw::Sqlite(
                    sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                        .await
                        .unwrap(),
                )
            }
            Cleanup::Schema { url, schema } => {
                let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::query(AssertSqlSafe(format!("SET search_path TO {schema}")))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                Raw::Postgres(conn)
            }
        }
    }

    async fn execute(&mut self, sql: &str) -> u64 {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(conn) => sqlx::query(sql)
                .execute(conn)
                .await
                .unwrap()
                .rows_affected(),
            Raw::Postgres(conn) => sqlx::query(sql)
                .execute(conn)
                .await
                .unwrap()
                .rows_affected(),
        }
    }

    /// Every sealed value in the casework tables.
    async fn sealed_values(&mut self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for table in CASEWORK_TABLES {
            let sql = AssertSqlSafe(format!(
                "SELECT sealed FROM {table} WHERE sealed IS NOT NULL"
            ));
            match self {
                Raw::Sqlite(conn) => {
                    for row in sqlx::query(sql).fetch_all(&mut *conn).await.unwrap() {
                        out.push(row.get::<Vec<u8>, _>(0));
                    }
                }
                Raw::Postgres(conn) => {
                    for row in sqlx::query(sql).fetch_all(&mut *conn).await.unwrap() {
                        out.push(row.get::<Vec<u8>, _>(0));
                    }
                }
            }
        }
        out
    }

    /// PostgreSQL: every row of the casework tables and the audit log as text, all columns.
    async fn rows_as_text(&mut self) -> String {
        let Raw::Postgres(conn) = self else {
            return String::new();
        };
        let mut out = String::new();
        for table in CASEWORK_TABLES.iter().chain(&["audit_events"]) {
            let sql = AssertSqlSafe(format!("SELECT CAST(t AS TEXT) FROM {table} t"));
            for row in sqlx::query(sql).fetch_all(&mut *conn).await.unwrap() {
                out.push_str(&row.get::<String, _>(0));
                out.push('\n');
            }
        }
        out
    }
}

/// Everything the database holds as bytes someone could read: on SQLite every file of the
/// database (the write-ahead log included); on PostgreSQL every sealed value and every row
/// as text.
async fn database_bytes(db: &Db, raw: &mut Raw) -> Vec<u8> {
    match &db.cleanup {
        Cleanup::File(dir) => {
            let mut bytes = Vec::new();
            let mut files = 0;
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("knit.db"))
                {
                    bytes.extend(std::fs::read(&path).unwrap());
                    files += 1;
                }
            }
            assert!(files >= 1, "the database file is read");
            bytes
        }
        Cleanup::Schema { .. } => {
            let mut bytes = Vec::new();
            for value in raw.sealed_values().await {
                bytes.extend(value);
            }
            bytes.extend(raw.rows_as_text().await.into_bytes());
            bytes
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

// --- stories ---

/// Requests for help reach Ravi's queue from a call-back form, a professional and a
/// connector; he takes the urgent one first, and nobody can take it twice.
pub async fn the_queue_puts_the_urgent_first_and_a_request_is_taken_once(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let connector = user();
    let t0 = nine_am();

    let new = |source, priority, details: IntakeDetails, stamp: Stamp| NewIntake {
        source,
        priority,
        details,
        stamp,
    };
    let call_back = store
        .create_intake(new(
            IntakeSource::CallBack,
            Priority::Soon,
            intake_details("Mary Polglase", "Letters from bailiffs"),
            public(t0),
        ))
        .await
        .unwrap();
    let urgent = store
        .create_intake(new(
            IntakeSource::Professional,
            Priority::Urgent,
            intake_details("Jim Rowe", "No money for the electric meter"),
            public(t0 + minutes(10)),
        ))
        .await
        .unwrap();
    let later = store
        .create_intake(new(
            IntakeSource::Connector,
            Priority::Later,
            intake_details("Sue Hocking", "Would like company"),
            by(connector, Role::Connector, t0 + minutes(5)),
        ))
        .await
        .unwrap();
    let soon_after = store
        .create_intake(new(
            IntakeSource::Professional,
            Priority::Soon,
            intake_details("Ann Tregear", "Rent arrears"),
            public(t0 + minutes(20)),
        ))
        .await
        .unwrap();
    assert_eq!(later.created_by, Some(connector));

    let queue = store.waiting_intakes(10).await.unwrap();
    assert_eq!(
        queue.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![urgent.id, call_back.id, soon_after.id, later.id],
        "urgent first, then oldest first"
    );
    assert_eq!(queue[0], urgent, "a waiting request reads back as written");
    assert_eq!(queue[1].source, IntakeSource::CallBack);
    assert_eq!(store.waiting_intakes(2).await.unwrap().len(), 2);

    // Ravi opens a case from the urgent one.
    let details = PersonDetails::from_intake(urgent.details.as_ref().unwrap());
    let jim = store
        .open_case(NewCase {
            from_intake: Some(urgent.id),
            details: details.clone(),
            coordinator: ravi,
            record_consent: ConsentMethod::Spoken,
            stamp: by(ravi, Role::Coordinator, t0 + minutes(30)),
        })
        .await
        .unwrap();
    let taken = store.intake(urgent.id).await.unwrap().unwrap();
    assert_eq!(taken.status, IntakeStatus::Opened);
    assert_eq!(taken.person, Some(jim));
    assert_eq!(
        store
            .waiting_intakes(10)
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        vec![call_back.id, soon_after.id, later.id]
    );
    let record = store.person(jim).await.unwrap().unwrap();
    assert_eq!(record.details, Some(details.clone()));
    assert_eq!(record.coordinator, Some(ravi));
    assert_eq!(record.status, CaseStatus::Open);
    assert_eq!(
        record.intakes.iter().map(|i| i.id).collect::<Vec<_>>(),
        vec![urgent.id]
    );
    assert_eq!(record.consents.len(), 1);
    assert_eq!(record.consents[0].scope, ConsentScope::KeepRecord);
    assert_eq!(record.consents[0].method, ConsentMethod::Spoken);
    assert_eq!(record.timeline.len(), 1);
    assert_eq!(record.timeline[0].kind, "opened");
    assert_eq!(record.timeline[0].by, Some(ravi));

    // A second coordinator, a moment later, cannot take it again, nor close it.
    let again = store
        .open_case(NewCase {
            from_intake: Some(urgent.id),
            details,
            coordinator: user(),
            record_consent: ConsentMethod::Spoken,
            stamp: by(ravi, Role::Coordinator, t0 + minutes(31)),
        })
        .await;
    assert!(matches!(again, Err(CaseError::IntakeTaken)), "{again:?}");
    let closed = store
        .close_intake(urgent.id, by(ravi, Role::Coordinator, t0 + minutes(32)))
        .await;
    assert!(matches!(closed, Err(CaseError::IntakeTaken)), "{closed:?}");
    assert_eq!(
        store
            .caseload(&CaseloadFilter::default(), t0.date_naive())
            .await
            .unwrap()
            .len(),
        1,
        "the refused second case left nothing behind"
    );

    // Sue's request is closed without a case, once.
    store
        .close_intake(later.id, by(ravi, Role::Coordinator, t0 + minutes(40)))
        .await
        .unwrap();
    assert_eq!(
        store.intake(later.id).await.unwrap().unwrap().status,
        IntakeStatus::Closed
    );
    assert!(matches!(
        store
            .close_intake(later.id, by(ravi, Role::Coordinator, t0 + minutes(41)))
            .await,
        Err(CaseError::IntakeTaken)
    ));
    assert_eq!(store.waiting_intakes(10).await.unwrap().len(), 2);

    // One audit event per write, none for the refusals.
    let events = store
        .audit_events(0, 100, &AuditFilter::default())
        .await
        .unwrap();
    let seen: Vec<(String, String, Option<String>)> = events
        .iter()
        .map(|e| (e.action.clone(), e.object_type.clone(), e.object_id.clone()))
        .collect();
    let expect = |action: &str, kind: &str, id: Uuid| {
        (action.to_owned(), kind.to_owned(), Some(id.to_string()))
    };
    assert_eq!(
        seen,
        vec![
            expect("request_call_back", "intake", call_back.id.0),
            expect("refer_as_professional", "intake", urgent.id.0),
            expect("hand_off_to_coordinator", "intake", later.id.0),
            expect("refer_as_professional", "intake", soon_after.id.0),
            expect("edit_person", "person", jim.0),
            expect("triage_intakes", "intake", later.id.0),
        ]
    );
    assert_eq!(events[4].actor, Some(ravi));
    assert_eq!(events[4].actor_role, Some(Role::Coordinator));
    assert_eq!(events[0].actor, None);
    let about_jim = store
        .audit_events(
            0,
            100,
            &AuditFilter {
                object_id: Some(jim.0.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(about_jim.len(), 1);
}

/// Everything Mary told Ravi is sealed: a copy of the database shows none of it, the store
/// reads it all back, and a sealed value moved to another row no longer opens.
pub async fn what_mary_said_is_sealed_at_rest_and_bound_to_its_row(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let kestle = org();
    let t0 = nine_am();
    let secrets = [
        "Marigold Quillfeather",
        "07700 900461",
        "14 Tregarthen Row",
        "intake-words-heliotrope",
        "bailiffs-note-zephyr",
        "walk-with-marigold-trevarno",
        "purpose-kestle-obsidian",
        "message-to-kestle-saffron",
        "reply-from-kestle-tamarind",
        "note-on-opening-juniper",
    ];

    let intake = store
        .create_intake(NewIntake {
            source: IntakeSource::CallBack,
            priority: Priority::Urgent,
            details: IntakeDetails {
                name: secrets[0].into(),
                phone: secrets[1].into(),
                what_is_going_on: secrets[3].into(),
                ..intake_details("", "")
            },
            stamp: public(t0),
        })
        .await
        .unwrap();
    let details = PersonDetails {
        name: secrets[0].into(),
        known_as: "Mari".into(),
        phone: secrets[1].into(),
        address: secrets[2].into(),
        postcode: "TR1 2LS".into(),
        date_of_birth: NaiveDate::from_ymd_opt(1961, 5, 4),
        safe_contact: safe_contact(),
        ..PersonDetails::default()
    };
    let mary = store
        .open_case(NewCase {
            from_intake: Some(intake.id),
            details: details.clone(),
            coordinator: ravi,
            record_consent: ConsentMethod::Spoken,
            stamp: by(ravi, Role::Coordinator, t0 + minutes(1)),
        })
        .await
        .unwrap();
    let stamp = |m| by(ravi, Role::Coordinator, t0 + minutes(m));
    store
        .set_need(mary, need("debt"), Priority::Urgent, secrets[4], stamp(2))
        .await
        .unwrap();
    store
        .set_need(mary, need("benefits"), Priority::Soon, "", stamp(3))
        .await
        .unwrap();
    let step_details = StepDetails {
        what: secrets[5].into(),
        place: "Truro".into(),
        who: "Ravi".into(),
    };
    store
        .add_step(
            mary,
            NewStep {
                kind: StepKind::GoWith,
                details: step_details.clone(),
                due: NaiveDate::from_ymd_opt(2026, 3, 9),
            },
            stamp(4),
        )
        .await
        .unwrap();
    agree_to_share(store, mary, kestle, secrets[6], ravi, t0 + minutes(5)).await;
    let what_kestle_sees = SharedDetails::of(
        &details,
        &[SharedPart::Contact, SharedPart::Address, SharedPart::Needs],
        &[need("debt")],
        secrets[7],
    );
    let referral = store
        .send_referral(NewReferral {
            person: mary,
            service_id: Uuid::new_v4(),
            organization: kestle,
            shared: what_kestle_sees.clone(),
            parent: None,
            from_organization: None,
            timeline_text: "Referred to Kestle Debt Advice".into(),
            stamp: stamp(6),
            consent_given: None,
        })
        .await
        .unwrap();
    let worker = user();
    store
        .message_on_referral(
            referral.id,
            Side::Receiver,
            secrets[8],
            by(worker, Role::PartnerStaff, t0 + minutes(7)),
        )
        .await
        .unwrap();
    store
        .move_referral(
            referral.id,
            ReferralMove::Open,
            Side::Receiver,
            Some(secrets[9]),
            by(worker, Role::PartnerStaff, t0 + minutes(8)),
        )
        .await
        .unwrap();

    // The store reads it all back.
    let record = store.person(mary).await.unwrap().unwrap();
    assert_eq!(record.details, Some(details.clone()));
    assert_eq!(record.intakes[0].details, intake.details);
    assert_eq!(record.needs[0].need, need("debt"));
    assert_eq!(record.needs[0].note, secrets[4]);
    assert_eq!(record.steps[0].details, step_details);
    assert_eq!(
        record.consents[1].scope,
        ConsentScope::ShareWith {
            organization: kestle,
            purpose: secrets[6].into()
        }
    );
    let sent = &record.referrals[0];
    assert_eq!(sent.shared, Some(what_kestle_sees.clone()));
    assert_eq!(
        sent.events
            .iter()
            .map(|e| e.text.as_deref())
            .collect::<Vec<_>>(),
        vec![Some(secrets[7]), Some(secrets[8]), Some(secrets[9])]
    );
    assert!(
        record.timeline.iter().any(|e| e.text.contains(secrets[5])),
        "the step is on the timeline"
    );

    // A copy of the database shows none of it, though it shows the ids beside it.
    let mut raw = Raw::open(db).await;
    let bytes = database_bytes(db, &mut raw).await;
    assert!(!raw.sealed_values().await.is_empty());
    assert!(
        contains(&bytes, &mary.0.to_string()),
        "the search finds what is kept in clear"
    );
    for secret in secrets {
        assert!(!contains(&bytes, secret), "{secret:?} is in the database");
    }

    // Nell's row, given Mary's sealed details, does not open as Mary.
    let nell = open_case(store, person_named("Nell Pascoe"), ravi, t0 + minutes(9)).await;
    assert_eq!(
        raw.execute(&format!(
            "UPDATE people SET sealed = (SELECT sealed FROM people WHERE id = '{mary}') \
             WHERE id = '{nell}'",
            mary = mary.0,
            nell = nell.0
        ))
        .await,
        1
    );
    let read = store.person(nell).await;
    assert!(
        read.is_err(),
        "a value moved to another row opens: {read:?}"
    );
    assert!(
        store
            .caseload(&CaseloadFilter::default(), t0.date_naive())
            .await
            .is_err()
    );
    assert_eq!(
        store.person(mary).await.unwrap().unwrap().details,
        Some(details),
        "Mary's own row still opens"
    );
    raw.execute(&format!(
        "UPDATE people SET sealed = NULL WHERE id = '{}'",
        nell.0
    ))
    .await;

    // Nor does the note on one need, moved to another of hers.
    raw.execute(&format!(
        "UPDATE person_needs SET sealed = (SELECT sealed FROM person_needs \
         WHERE person_id = '{mary}' AND need = 'debt') \
         WHERE person_id = '{mary}' AND need = 'benefits'",
        mary = mary.0
    ))
    .await;
    assert!(store.person(mary).await.is_err());
    // Put right, so the checks after the story read a whole database.
    raw.execute(&format!(
        "UPDATE person_needs SET sealed = NULL WHERE person_id = '{}' AND need = 'benefits'",
        mary.0
    ))
    .await;
    assert!(store.person(mary).await.is_ok());
}

/// Mary's referral to Kestle Debt Advice goes through every state the rules allow and
/// none they refuse.
pub async fn a_referral_follows_the_state_machine(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let kestle_worker = user();
    let kestle = org();
    let t0 = nine_am();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;

    // No consent to share with Kestle yet: nothing is sent.
    let refused = refer(
        store,
        mary,
        kestle,
        "Help with debts",
        ravi,
        t0 + minutes(1),
    )
    .await;
    assert!(
        matches!(refused, Err(ReferralError::NoConsent)),
        "{refused:?}"
    );
    assert!(
        store
            .person(mary)
            .await
            .unwrap()
            .unwrap()
            .referrals
            .is_empty()
    );
    // Consent to share with someone else does not count.
    agree_to_share(store, mary, org(), "Food bank", ravi, t0 + minutes(2)).await;
    assert!(matches!(
        refer(store, mary, kestle, "Help", ravi, t0 + minutes(3)).await,
        Err(ReferralError::NoConsent)
    ));

    agree_to_share(store, mary, kestle, "Debt advice", ravi, t0 + minutes(4)).await;
    let referral = refer(
        store,
        mary,
        kestle,
        "Help with debts",
        ravi,
        t0 + minutes(5),
    )
    .await
    .unwrap();
    assert_eq!(referral.status, ReferralStatus::Requested);
    assert_eq!(referral.organization, kestle);
    assert_eq!(referral.referred_by, Some(ravi));
    assert_eq!(referral.shared, Some(shared("Help with debts")));
    assert_eq!(
        store.referral(referral.id).await.unwrap(),
        Some(referral.clone())
    );

    // Kestle cannot accept what it has not opened; Ravi cannot open it for them.
    let early = receiver_moves(store, referral.id, ReferralMove::Accept, kestle_worker, t0).await;
    assert!(
        matches!(
            early,
            Err(ReferralError::Refused(MoveRefused::NotFromHere {
                from: ReferralStatus::Requested,
                ..
            }))
        ),
        "{early:?}"
    );
    let wrong_side = store
        .move_referral(
            referral.id,
            ReferralMove::Open,
            Side::Referrer,
            None,
            by(ravi, Role::Coordinator, t0),
        )
        .await;
    assert!(
        matches!(
            wrong_side,
            Err(ReferralError::Refused(MoveRefused::WrongSide { .. }))
        ),
        "{wrong_side:?}"
    );
    assert_eq!(
        store
            .referral(referral.id)
            .await
            .unwrap()
            .unwrap()
            .events
            .len(),
        1,
        "refused moves record nothing"
    );

    let moves = [
        (ReferralMove::Open, ReferralStatus::Received),
        (ReferralMove::Accept, ReferralStatus::Accepted),
        (ReferralMove::Start, ReferralStatus::InProgress),
        (ReferralMove::PutOnHold, ReferralStatus::OnHold),
        (ReferralMove::Resume, ReferralStatus::InProgress),
        (
            ReferralMove::Complete(ReferralResult::NeedMet),
            ReferralStatus::Completed,
        ),
    ];
    for (i, (change, after)) in moves.into_iter().enumerate() {
        let at = t0 + minutes(10 + i as i64);
        let moved = receiver_moves(store, referral.id, change, kestle_worker, at)
            .await
            .unwrap();
        assert_eq!(moved.status, after);
        assert_eq!(moved.updated_at, at);
    }
    let done = store.referral(referral.id).await.unwrap().unwrap();
    assert_eq!(done.status, ReferralStatus::Completed);
    assert_eq!(done.result, Some(ReferralResult::NeedMet));
    assert_eq!(done.reason, None);
    assert_eq!(
        done.events
            .iter()
            .map(|e| (e.seq, e.kind.as_str(), e.status))
            .collect::<Vec<_>>(),
        vec![
            (1, "send", ReferralStatus::Requested),
            (2, "open", ReferralStatus::Received),
            (3, "accept", ReferralStatus::Accepted),
            (4, "start", ReferralStatus::InProgress),
            (5, "hold", ReferralStatus::OnHold),
            (6, "resume", ReferralStatus::InProgress),
            (7, "complete", ReferralStatus::Completed),
        ]
    );
    assert_eq!(done.events[0].side, Some(ReferralSide::Referrer));
    assert_eq!(done.events[0].by, Some(ravi));
    assert!(
        done.events[1..]
            .iter()
            .all(|e| e.side == Some(ReferralSide::Receiver) && e.by == Some(kestle_worker))
    );

    // Nothing leaves a finished referral.
    for change in [
        ReferralMove::Complete(ReferralResult::NeedMet),
        ReferralMove::Start,
        ReferralMove::Cancel,
    ] {
        let late =
            receiver_moves(store, referral.id, change, kestle_worker, t0 + minutes(30)).await;
        assert!(
            matches!(
                late,
                Err(ReferralError::Refused(MoveRefused::NotFromHere {
                    from: ReferralStatus::Completed,
                    ..
                }))
            ),
            "{late:?}"
        );
    }
    assert_eq!(store.referral(referral.id).await.unwrap().unwrap(), done);

    // A second referral is turned down, and keeps why.
    let second = refer(store, mary, kestle, "Again", ravi, t0 + minutes(40))
        .await
        .unwrap();
    receiver_moves(
        store,
        second.id,
        ReferralMove::Open,
        kestle_worker,
        t0 + minutes(41),
    )
    .await
    .unwrap();
    let rejected = store
        .move_referral(
            second.id,
            ReferralMove::Reject(RejectionReason::NoCapacity),
            Side::Receiver,
            Some("Our waiting list is closed"),
            by(kestle_worker, Role::PartnerStaff, t0 + minutes(42)),
        )
        .await
        .unwrap();
    assert_eq!(rejected.status, ReferralStatus::Rejected);
    let read = store.referral(second.id).await.unwrap().unwrap();
    assert_eq!(read.reason, Some(RejectionReason::NoCapacity));
    assert_eq!(
        read.events.last().unwrap().text.as_deref(),
        Some("Our waiting list is closed")
    );
    assert!(matches!(
        receiver_moves(
            store,
            second.id,
            ReferralMove::Accept,
            kestle_worker,
            t0 + minutes(43)
        )
        .await,
        Err(ReferralError::Refused(_))
    ));

    // Two Kestle workers accept the same referral at the same moment: one does.
    let third = refer(store, mary, kestle, "Third", ravi, t0 + minutes(50))
        .await
        .unwrap();
    receiver_moves(
        store,
        third.id,
        ReferralMove::Open,
        kestle_worker,
        t0 + minutes(51),
    )
    .await
    .unwrap();
    let (a, b) = tokio::join!(
        receiver_moves(
            store,
            third.id,
            ReferralMove::Accept,
            kestle_worker,
            t0 + minutes(52)
        ),
        receiver_moves(
            store,
            third.id,
            ReferralMove::Accept,
            user(),
            t0 + minutes(52)
        ),
    );
    assert_eq!(
        u32::from(a.is_ok()) + u32::from(b.is_ok()),
        1,
        "exactly one accept: {a:?} {b:?}"
    );
    let loser = if a.is_ok() { b } else { a };
    assert!(
        matches!(
            loser,
            Err(ReferralError::Refused(MoveRefused::NotFromHere {
                from: ReferralStatus::Accepted,
                ..
            }))
        ),
        "{loser:?}"
    );
    let third = store.referral(third.id).await.unwrap().unwrap();
    assert_eq!(third.status, ReferralStatus::Accepted);
    assert_eq!(
        third.events.iter().filter(|e| e.kind == "accept").count(),
        1
    );

    // Each write is audited, on the referral, as the side that made it.
    let audited = store
        .audit_events(
            0,
            100,
            &AuditFilter {
                object_id: Some(referral.id.0.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<&str> = audited.iter().map(|e| e.action.as_str()).collect();
    let mut expected = vec!["refer_person"];
    expected.extend(["work_referral_inbox"; 6]);
    assert_eq!(actions, expected);
}

/// Mary withdraws her consent to share with Kestle Debt Advice: its unfinished referral
/// stops, neither of its referrals shows her details any more, and the food bank's is
/// untouched.
pub async fn withdrawing_consent_stops_that_organisations_referrals(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let worker = user();
    let kestle = org();
    let food_bank = org();
    let t0 = nine_am();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;
    let to_kestle = agree_to_share(store, mary, kestle, "Debt advice", ravi, t0).await;
    agree_to_share(store, mary, food_bank, "Food parcels", ravi, t0).await;

    let accepted = refer(store, mary, kestle, "Debts", ravi, t0 + minutes(1))
        .await
        .unwrap();
    let completed = refer(store, mary, kestle, "Earlier debts", ravi, t0 + minutes(2))
        .await
        .unwrap();
    let food = refer(store, mary, food_bank, "Food", ravi, t0 + minutes(3))
        .await
        .unwrap();
    for change in [ReferralMove::Open, ReferralMove::Accept] {
        receiver_moves(store, accepted.id, change, worker, t0 + minutes(4))
            .await
            .unwrap();
    }
    for change in [
        ReferralMove::Open,
        ReferralMove::Accept,
        ReferralMove::Complete(ReferralResult::PartlyMet),
    ] {
        receiver_moves(store, completed.id, change, worker, t0 + minutes(5))
            .await
            .unwrap();
    }
    let completed_before = store.referral(completed.id).await.unwrap().unwrap();

    let stopped = store
        .withdraw_consent(
            mary,
            to_kestle,
            by(ravi, Role::Coordinator, t0 + minutes(10)),
        )
        .await
        .unwrap();
    assert_eq!(stopped, 1);

    let cancelled = store.referral(accepted.id).await.unwrap().unwrap();
    assert_eq!(cancelled.status, ReferralStatus::Cancelled);
    assert_eq!(cancelled.shared, None);
    let last = cancelled.events.last().unwrap();
    assert_eq!(last.kind, "cancel");
    assert_eq!(last.status, ReferralStatus::Cancelled);
    assert_eq!(last.by, Some(ravi));

    let finished = store.referral(completed.id).await.unwrap().unwrap();
    assert_eq!(finished.status, ReferralStatus::Completed);
    assert_eq!(finished.shared, None, "what Kestle was shown goes");
    assert_eq!(finished.events, completed_before.events);

    let untouched = store.referral(food.id).await.unwrap().unwrap();
    assert_eq!(untouched.status, ReferralStatus::Requested);
    assert_eq!(untouched.shared, Some(shared("Food")));
    assert_eq!(untouched.events.len(), 1);

    let record = store.person(mary).await.unwrap().unwrap();
    let consent = record.consents.iter().find(|c| c.id == to_kestle).unwrap();
    assert_eq!(consent.withdrawn_at, Some(t0 + minutes(10)));
    assert_eq!(consent.withdrawn_by, Some(ravi));
    assert_eq!(record.timeline.last().unwrap().kind, "consent_withdrawn");

    let again = refer(store, mary, kestle, "Once more", ravi, t0 + minutes(11)).await;
    assert!(matches!(again, Err(ReferralError::NoConsent)), "{again:?}");
    refer(store, mary, food_bank, "More food", ravi, t0 + minutes(12))
        .await
        .unwrap();
    let twice = store
        .withdraw_consent(
            mary,
            to_kestle,
            by(ravi, Role::Coordinator, t0 + minutes(13)),
        )
        .await;
    assert!(matches!(twice, Err(CaseError::NotFound)), "{twice:?}");
}

/// Ravi's caseload puts people with an urgent need first, then those with a follow-up
/// overdue, then what falls due soonest.
pub async fn the_caseload_puts_the_urgent_and_the_overdue_first(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let asha = user();
    let kestle = org();
    let t0 = nine_am();
    let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let stamp = |who, m| by(who, Role::Coordinator, t0 + minutes(m));

    let alf = open_case(store, person_named("Alf Bray"), ravi, t0).await;
    let bea = open_case(store, person_named("Bea Curnow"), ravi, t0 + minutes(60)).await;
    let cat = open_case(store, person_named("Cat Dunstan"), ravi, t0 + minutes(120)).await;
    let dot = open_case(store, person_named("Dot Eddy"), asha, t0 + minutes(180)).await;
    let eve = open_case(store, person_named("Eve Fox"), ravi, t0 + minutes(240)).await;

    // Alf's follow-up was late but is done.
    let step = |due| NewStep {
        kind: StepKind::FollowUp,
        details: StepDetails {
            what: "Ring back".into(),
            ..StepDetails::default()
        },
        due: Some(due),
    };
    let done = store
        .add_step(alf, step(today - days(3)), stamp(ravi, 300))
        .await
        .unwrap();
    store
        .complete_step(alf, done, stamp(ravi, 301))
        .await
        .unwrap();
    store
        .set_need(bea, need("food"), Priority::Later, "", stamp(ravi, 302))
        .await
        .unwrap();
    store
        .add_step(bea, step(today - days(1)), stamp(ravi, 303))
        .await
        .unwrap();
    store
        .add_step(bea, step(today + days(7)), stamp(ravi, 304))
        .await
        .unwrap();
    store
        .set_need(cat, need("debt"), Priority::Urgent, "", stamp(ravi, 305))
        .await
        .unwrap();
    store
        .set_need(cat, need("food"), Priority::Soon, "", stamp(ravi, 306))
        .await
        .unwrap();
    store
        .set_need(dot, need("debt"), Priority::Soon, "", stamp(asha, 307))
        .await
        .unwrap();
    store
        .add_step(dot, step(today + days(2)), stamp(asha, 308))
        .await
        .unwrap();
    store
        .set_need(eve, need("debt"), Priority::Urgent, "", stamp(ravi, 309))
        .await
        .unwrap();
    store
        .close_case(
            eve,
            &[(need("debt"), NeedOutcome::Resolved)],
            stamp(ravi, 310),
        )
        .await
        .unwrap();

    // Cat has two referrals to Kestle; one was turned down.
    agree_to_share(store, cat, kestle, "Debts", ravi, t0 + minutes(311)).await;
    refer(store, cat, kestle, "One", ravi, t0 + minutes(312))
        .await
        .unwrap();
    let turned_down = refer(store, cat, kestle, "Two", ravi, t0 + minutes(313))
        .await
        .unwrap();
    for change in [
        ReferralMove::Open,
        ReferralMove::Reject(RejectionReason::OutOfArea),
    ] {
        receiver_moves(store, turned_down.id, change, user(), t0 + minutes(314))
            .await
            .unwrap();
    }

    let ids =
        |rows: &[knit_store::casework::CaseSummary]| rows.iter().map(|s| s.id).collect::<Vec<_>>();
    let all = store
        .caseload(&CaseloadFilter::default(), today)
        .await
        .unwrap();
    assert_eq!(ids(&all), vec![cat, bea, dot, alf]);
    let (c, b, d, a) = (&all[0], &all[1], &all[2], &all[3]);
    assert_eq!(c.name, "Cat Dunstan");
    assert_eq!(c.urgent_needs, 1);
    assert_eq!(c.needs.len(), 2);
    assert_eq!(c.open_referrals, 1);
    assert_eq!(c.coordinator, Some(ravi));
    assert_eq!(b.overdue_steps, 1);
    assert_eq!(b.next_due, Some(today - days(1)));
    assert_eq!(b.urgent_needs, 0);
    assert_eq!(b.open_referrals, 0);
    assert_eq!(d.next_due, Some(today + days(2)));
    assert_eq!(d.overdue_steps, 0);
    assert_eq!(a.overdue_steps, 0, "a done step is not overdue");
    assert_eq!(a.next_due, None);
    assert_eq!(a.status, CaseStatus::Open);
    assert_eq!(a.opened_at, t0);

    let ravis = store
        .caseload(
            &CaseloadFilter {
                coordinator: Some(ravi),
                ..CaseloadFilter::default()
            },
            today,
        )
        .await
        .unwrap();
    assert_eq!(ids(&ravis), vec![cat, bea, alf]);
    let in_debt = store
        .caseload(
            &CaseloadFilter {
                need: Some(need("debt")),
                ..CaseloadFilter::default()
            },
            today,
        )
        .await
        .unwrap();
    assert_eq!(ids(&in_debt), vec![cat, dot]);
    let with_closed = store
        .caseload(
            &CaseloadFilter {
                coordinator: Some(ravi),
                include_closed: true,
                ..CaseloadFilter::default()
            },
            today,
        )
        .await
        .unwrap();
    assert_eq!(ids(&with_closed), vec![cat, bea, alf, eve]);
    assert_eq!(with_closed[3].status, CaseStatus::Closed);
    // The day before Bea's step fell due, it is not overdue.
    let earlier = store
        .caseload(&CaseloadFilter::default(), today - days(1))
        .await
        .unwrap();
    assert_eq!(ids(&earlier), vec![cat, bea, dot, alf]);
    assert_eq!(earlier[1].overdue_steps, 0);
    assert_eq!(
        store
            .caseload(
                &CaseloadFilter {
                    coordinator: Some(user()),
                    ..CaseloadFilter::default()
                },
                today
            )
            .await
            .unwrap(),
        vec![]
    );
}

/// Mary's case is closed with an outcome for each need, reopened, closed again, and at
/// last erased: only codes, statuses and the audit trail remain.
pub async fn a_case_is_closed_reopened_and_erased(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let lead = user();
    let kestle = org();
    let t0 = nine_am();
    let stamp = |m| by(ravi, Role::Coordinator, t0 + minutes(m));

    let intake = store
        .create_intake(NewIntake {
            source: IntakeSource::CallBack,
            priority: Priority::Soon,
            details: intake_details("Mary Polglase", "Bailiffs"),
            stamp: public(t0),
        })
        .await
        .unwrap();
    let mary = store
        .open_case(NewCase {
            from_intake: Some(intake.id),
            details: person_named("Mary Polglase"),
            coordinator: ravi,
            record_consent: ConsentMethod::Spoken,
            stamp: stamp(1),
        })
        .await
        .unwrap();
    store
        .set_need(
            mary,
            need("debt"),
            Priority::Urgent,
            "Bailiffs on Friday",
            stamp(2),
        )
        .await
        .unwrap();
    store
        .set_need(
            mary,
            need("food"),
            Priority::Soon,
            "Empty cupboards",
            stamp(3),
        )
        .await
        .unwrap();
    store
        .add_step(
            mary,
            NewStep {
                kind: StepKind::GoWith,
                details: StepDetails {
                    what: "Go with Mary to the council".into(),
                    ..StepDetails::default()
                },
                due: None,
            },
            stamp(4),
        )
        .await
        .unwrap();
    store
        .record_measure(
            mary,
            Stage::Start,
            Measure::Ons4(Ons4Answers::new([5, 5, 5, 7]).unwrap()),
            stamp(5),
        )
        .await
        .unwrap();
    agree_to_share(store, mary, kestle, "Debt advice", ravi, t0 + minutes(6)).await;
    let finished = refer(store, mary, kestle, "Debts", ravi, t0 + minutes(7))
        .await
        .unwrap();
    for change in [
        ReferralMove::Open,
        ReferralMove::Accept,
        ReferralMove::Complete(ReferralResult::NeedMet),
    ] {
        receiver_moves(store, finished.id, change, user(), t0 + minutes(8))
            .await
            .unwrap();
    }
    let waiting = refer(store, mary, kestle, "More debts", ravi, t0 + minutes(9))
        .await
        .unwrap();

    // Closed, with an outcome for each need.
    let outcomes = [
        (need("debt"), NeedOutcome::Resolved),
        (need("food"), NeedOutcome::ReferredOn),
    ];
    store.close_case(mary, &outcomes, stamp(10)).await.unwrap();
    let closed = store.person(mary).await.unwrap().unwrap();
    assert_eq!(closed.status, CaseStatus::Closed);
    assert_eq!(closed.closed_at, Some(t0 + minutes(10)));
    assert_eq!(
        closed
            .needs
            .iter()
            .map(|n| (n.need, n.outcome))
            .collect::<Vec<_>>(),
        vec![
            (need("debt"), Some(NeedOutcome::Resolved)),
            (need("food"), Some(NeedOutcome::ReferredOn)),
        ]
    );
    assert!(matches!(
        store.close_case(mary, &outcomes, stamp(11)).await,
        Err(CaseError::Closed)
    ));
    assert!(matches!(
        store
            .set_need(mary, need("benefits"), Priority::Soon, "", stamp(11))
            .await,
        Err(CaseError::Closed)
    ));
    assert!(matches!(
        refer(store, mary, kestle, "Closed", ravi, t0 + minutes(11)).await,
        Err(ReferralError::CaseClosed)
    ));
    assert_eq!(store.person(mary).await.unwrap().unwrap(), closed);

    store.reopen_case(mary, stamp(12)).await.unwrap();
    let reopened = store.person(mary).await.unwrap().unwrap();
    assert_eq!(reopened.status, CaseStatus::Open);
    assert_eq!(reopened.closed_at, None);
    assert!(matches!(
        store.reopen_case(mary, stamp(13)).await,
        Err(CaseError::AlreadyOpen)
    ));

    // Nell's case closed first, Mary's again later; Olly's stays open.
    let nell = open_case(store, person_named("Nell Pascoe"), ravi, t0).await;
    let olly = open_case(store, person_named("Olly Quick"), ravi, t0).await;
    store.close_case(nell, &[], stamp(20)).await.unwrap();
    store.close_case(mary, &outcomes, stamp(30)).await.unwrap();
    assert_eq!(
        store
            .closed_cases_before(t0 + minutes(31), 10)
            .await
            .unwrap(),
        vec![(nell, t0 + minutes(20)), (mary, t0 + minutes(30))]
    );
    assert_eq!(
        store
            .closed_cases_before(t0 + minutes(30), 10)
            .await
            .unwrap(),
        vec![(nell, t0 + minutes(20))]
    );
    assert_eq!(
        store.closed_cases_before(t0 + days(1), 1).await.unwrap(),
        vec![(nell, t0 + minutes(20))]
    );
    assert!(
        !store
            .closed_cases_before(t0 + days(1), 10)
            .await
            .unwrap()
            .iter()
            .any(|(p, _)| *p == olly)
    );

    let audit_before = store
        .audit_events(
            0,
            200,
            &AuditFilter {
                object_id: Some(mary.0.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    let before = store.person(mary).await.unwrap().unwrap();

    // A place lead erases Mary.
    store
        .erase_person(mary, by(lead, Role::PlaceLead, t0 + minutes(40)))
        .await
        .unwrap();
    let erased = store.person(mary).await.unwrap().unwrap();
    assert_eq!(erased.status, CaseStatus::Erased);
    assert_eq!(erased.details, None);
    assert_eq!(erased.intakes.len(), 1);
    assert_eq!(erased.intakes[0].details, None);
    assert_eq!(erased.intakes[0].status, IntakeStatus::Erased);
    assert_eq!(
        store.intake(intake.id).await.unwrap().unwrap().details,
        None
    );
    assert!(erased.measures.is_empty(), "the wellbeing answers go");
    assert_eq!(erased.timeline.len(), before.timeline.len() + 1);
    assert!(
        erased.timeline.iter().all(|e| e.text.is_empty()),
        "timeline texts go: {:?}",
        erased.timeline
    );
    assert_eq!(erased.timeline.last().unwrap().kind, "erased");
    assert_eq!(
        erased
            .timeline
            .iter()
            .map(|e| &e.kind)
            .take(before.timeline.len())
            .collect::<Vec<_>>(),
        before.timeline.iter().map(|e| &e.kind).collect::<Vec<_>>(),
        "the kinds of what happened stay"
    );
    assert!(erased.needs.iter().all(|n| n.note.is_empty()));
    assert!(
        erased
            .steps
            .iter()
            .all(|s| s.details == StepDetails::default())
    );
    assert_eq!(
        erased
            .needs
            .iter()
            .map(|n| (n.need, n.priority, n.outcome))
            .collect::<Vec<_>>(),
        before
            .needs
            .iter()
            .map(|n| (n.need, n.priority, n.outcome))
            .collect::<Vec<_>>()
    );
    for consent in &erased.consents {
        if let ConsentScope::ShareWith { purpose, .. } = &consent.scope {
            assert_eq!(purpose, "");
        }
    }
    assert!(erased.referrals.iter().all(|r| r.shared.is_none()));
    assert!(
        erased
            .referrals
            .iter()
            .flat_map(|r| &r.events)
            .all(|e| e.text.is_none())
    );
    let status_of = |id: ReferralId| {
        erased
            .referrals
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.status)
            .unwrap()
    };
    assert_eq!(status_of(finished.id), ReferralStatus::Completed);
    assert_eq!(status_of(waiting.id), ReferralStatus::Cancelled);
    // Its history says it was stopped, so the organisation sees why it went.
    let waiting_events = &erased
        .referrals
        .iter()
        .find(|r| r.id == waiting.id)
        .unwrap()
        .events;
    assert_eq!(
        waiting_events.last().map(|e| e.kind.as_str()),
        Some("cancel")
    );

    let audit_after = store
        .audit_events(
            0,
            200,
            &AuditFilter {
                object_id: Some(mary.0.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audit_after.len(), audit_before.len() + 1);
    assert_eq!(audit_after[..audit_before.len()], audit_before[..]);
    assert_eq!(audit_after.last().unwrap().action, "erase_person");
    assert_eq!(audit_after.last().unwrap().actor, Some(lead));

    assert!(matches!(
        store
            .erase_person(mary, by(lead, Role::PlaceLead, t0 + minutes(41)))
            .await,
        Err(CaseError::Erased)
    ));
    assert!(matches!(
        store.reopen_case(mary, stamp(42)).await,
        Err(CaseError::Erased)
    ));
    assert_eq!(
        store.closed_cases_before(t0 + days(1), 10).await.unwrap(),
        vec![(nell, t0 + minutes(20))],
        "an erased case is no longer waiting for review"
    );
    // Nell, closed but not erased, keeps everything.
    assert_eq!(
        store.person(nell).await.unwrap().unwrap().details,
        Some(person_named("Nell Pascoe"))
    );
}

/// Knit's keys are rotated: values sealed under the old key are sealed again under the
/// new one, and the old key can then be retired.
pub async fn after_rotation_every_value_is_resealed_under_the_new_key(db: &Db) {
    let store = db.store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys").join("knit.keys");
    let first = KeyRing::load_or_create(&path).unwrap();
    let first_id = first.primary_id();
    store.use_keys(Arc::new(first));
    let ravi = user();
    let kestle = org();
    let t0 = nine_am();

    store
        .create_intake(NewIntake {
            source: IntakeSource::CallBack,
            priority: Priority::Soon,
            details: intake_details("Jim Rowe", "Meter"),
            stamp: public(t0),
        })
        .await
        .unwrap();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;
    let stamp = |m| by(ravi, Role::Coordinator, t0 + minutes(m));
    store
        .set_need(mary, need("debt"), Priority::Urgent, "Bailiffs", stamp(1))
        .await
        .unwrap();
    store
        .add_step(
            mary,
            NewStep {
                kind: StepKind::Goal,
                details: StepDetails {
                    what: "Clear the arrears".into(),
                    ..StepDetails::default()
                },
                due: None,
            },
            stamp(2),
        )
        .await
        .unwrap();
    store
        .record_measure(
            mary,
            Stage::Start,
            Measure::Swemwbs(SwemwbsAnswers::new([2, 3, 2, 3, 2, 3, 2]).unwrap()),
            stamp(3),
        )
        .await
        .unwrap();
    agree_to_share(store, mary, kestle, "Debt advice", ravi, t0 + minutes(4)).await;
    let referral = refer(store, mary, kestle, "Debts", ravi, t0 + minutes(5))
        .await
        .unwrap();
    let before = store.person(mary).await.unwrap().unwrap();

    let mut raw = Raw::open(db).await;
    let values = raw.sealed_values().await;
    let count = values.len() as u64;
    assert!(count >= 10, "only {count} sealed values");
    assert_eq!(
        store.reseal_all().await.unwrap(),
        0,
        "nothing to reseal yet"
    );

    let old_copy = KeyRing::load(&path).unwrap();
    let rotated = KeyRing::rotate_file(&path).unwrap();
    assert_ne!(rotated.primary_id(), first_id);
    let new_only = rotated.without_old_keys();
    store.use_keys(Arc::new(rotated));
    // Until resealed, the old values need the old key.
    assert_eq!(store.person(mary).await.unwrap().unwrap(), before);
    store.use_keys(Arc::new(new_only));
    assert!(store.person(mary).await.is_err());
    store.use_keys(Arc::new(KeyRing::load(&path).unwrap()));

    assert_eq!(store.reseal_all().await.unwrap(), count);
    assert_eq!(store.reseal_all().await.unwrap(), 0);

    let retired = KeyRing::retire_file(&path).unwrap();
    assert_eq!(retired.key_ids(), vec![retired.primary_id()]);
    for value in raw.sealed_values().await {
        assert!(
            !retired.needs_reseal(&value),
            "a value not under the new key"
        );
    }
    let retired = Arc::new(retired);
    store.use_keys(retired.clone());
    assert_eq!(store.person(mary).await.unwrap().unwrap(), before);
    assert_eq!(
        store.referral(referral.id).await.unwrap().unwrap().shared,
        Some(shared("Debts"))
    );
    assert_eq!(store.waiting_intakes(10).await.unwrap().len(), 1);
    assert_eq!(store.reseal_all().await.unwrap(), 0);

    // The old key alone opens nothing any more.
    store.use_keys(Arc::new(old_copy));
    assert!(store.person(mary).await.is_err());
    store.use_keys(retired);
}

/// Kestle Debt Advice has not answered: it is reminded once, then Ravi is told, and the
/// referral is not chased again.
pub async fn an_unanswered_referral_is_chased_forwards_only(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let worker = user();
    let kestle = org();
    let food_bank = org();
    let t0 = nine_am();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;
    agree_to_share(store, mary, kestle, "Debts", ravi, t0).await;
    agree_to_share(store, mary, food_bank, "Food", ravi, t0).await;

    let unopened = refer(store, mary, kestle, "A", ravi, t0).await.unwrap();
    let answered = refer(store, mary, food_bank, "C", ravi, t0 + minutes(30))
        .await
        .unwrap();
    let opened = refer(store, mary, kestle, "D", ravi, t0 + minutes(60))
        .await
        .unwrap();
    let recent = refer(store, mary, kestle, "B", ravi, t0 + days(1))
        .await
        .unwrap();
    for change in [ReferralMove::Open, ReferralMove::Accept] {
        receiver_moves(store, answered.id, change, worker, t0 + minutes(90))
            .await
            .unwrap();
    }
    receiver_moves(
        store,
        opened.id,
        ReferralMove::Open,
        worker,
        t0 + minutes(90),
    )
    .await
    .unwrap();

    let cutoff = t0 + days(1);
    let due = store.referrals_to_chase(cutoff, 10).await.unwrap();
    assert_eq!(
        due.iter().map(|r| (r.id, r.status)).collect::<Vec<_>>(),
        vec![
            (unopened.id, ReferralStatus::Requested),
            (opened.id, ReferralStatus::Received),
        ]
    );
    assert_eq!(due[0].organization, kestle);
    assert_eq!(due[0].referred_by, Some(ravi));
    assert_eq!(due[0].sent_at, t0);
    assert_eq!(due[0].chased, None);
    assert_eq!(
        store
            .referrals_to_chase(cutoff + minutes(1), 10)
            .await
            .unwrap()
            .len(),
        3,
        "the recent one, once old enough"
    );
    assert_eq!(store.referrals_to_chase(cutoff, 1).await.unwrap().len(), 1);

    let later = t0 + days(7);
    assert!(
        !store
            .mark_chased(unopened.id, Chase::Nothing, later)
            .await
            .unwrap()
    );
    assert!(
        store
            .mark_chased(unopened.id, Chase::RemindOrganisation, later)
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_chased(unopened.id, Chase::RemindOrganisation, later)
            .await
            .unwrap(),
        "reminded once"
    );
    let due = store.referrals_to_chase(cutoff, 10).await.unwrap();
    assert_eq!(due[0].id, unopened.id);
    assert_eq!(due[0].chased, Some(Chase::RemindOrganisation));

    assert!(
        store
            .mark_chased(unopened.id, Chase::EscalateToReferrer, later + days(5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_chased(unopened.id, Chase::EscalateToReferrer, later + days(5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_chased(unopened.id, Chase::RemindOrganisation, later + days(6))
            .await
            .unwrap(),
        "no reminder after an escalation"
    );
    assert_eq!(
        store
            .referrals_to_chase(cutoff, 10)
            .await
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>(),
        vec![opened.id]
    );
    assert!(
        !store
            .mark_chased(answered.id, Chase::RemindOrganisation, later)
            .await
            .unwrap(),
        "an answered referral is not chased"
    );

    let chased = store.referral(unopened.id).await.unwrap().unwrap();
    assert_eq!(chased.status, ReferralStatus::Requested);
    assert_eq!(chased.chased, Some(Chase::EscalateToReferrer));
    assert_eq!(
        chased
            .events
            .iter()
            .map(|e| (e.kind.as_str(), e.side, e.by, e.at, e.status))
            .collect::<Vec<_>>(),
        vec![
            (
                "send",
                Some(ReferralSide::Referrer),
                Some(ravi),
                t0,
                ReferralStatus::Requested
            ),
            ("reminded", None, None, later, ReferralStatus::Requested),
            (
                "escalated",
                None,
                None,
                later + days(5),
                ReferralStatus::Requested
            ),
        ]
    );
    assert_eq!(
        store.referral(answered.id).await.unwrap().unwrap().chased,
        None
    );
    // Once Kestle answers, the opened one is no longer chased either.
    receiver_moves(store, opened.id, ReferralMove::Accept, worker, later)
        .await
        .unwrap();
    assert!(
        store
            .referrals_to_chase(cutoff, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let _ = recent;
}

/// Mary answers ONS4 and SWEMWBS when she starts and again at the end.
pub async fn wellbeing_measures_read_back_in_order(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let t0 = nine_am();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;
    let measures = [
        (
            Stage::Start,
            Measure::Ons4(Ons4Answers::new([4, 5, 3, 8]).unwrap()),
            t0 + minutes(1),
        ),
        (
            Stage::Start,
            Measure::Swemwbs(SwemwbsAnswers::new([2, 3, 2, 3, 2, 3, 1]).unwrap()),
            t0 + minutes(2),
        ),
        (
            Stage::End,
            Measure::Ons4(Ons4Answers::new([7, 8, 7, 3]).unwrap()),
            t0 + days(90),
        ),
        (
            Stage::End,
            Measure::Swemwbs(SwemwbsAnswers::new([4, 4, 3, 4, 5, 3, 4]).unwrap()),
            t0 + days(90) + minutes(1),
        ),
    ];
    let mut ids = Vec::new();
    for (stage, measure, at) in measures {
        ids.push(
            store
                .record_measure(mary, stage, measure, by(ravi, Role::Coordinator, at))
                .await
                .unwrap(),
        );
    }
    let record = store.person(mary).await.unwrap().unwrap();
    assert_eq!(
        record
            .measures
            .iter()
            .map(|m| (m.id, m.stage, m.measure, m.recorded_at))
            .collect::<Vec<_>>(),
        ids.iter()
            .zip(measures)
            .map(|(id, (stage, measure, at))| (*id, stage, measure, at))
            .collect::<Vec<_>>()
    );
    let lines: Vec<&str> = record
        .timeline
        .iter()
        .filter(|e| e.kind == "measure")
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[1].contains(&measures[1].1.summary()), "{lines:?}");
    let closed = store
        .close_case(mary, &[], by(ravi, Role::Coordinator, t0 + days(91)))
        .await;
    assert!(closed.is_ok());
    assert!(matches!(
        store
            .record_measure(
                mary,
                Stage::Review,
                measures[0].1,
                by(ravi, Role::Coordinator, t0 + days(92))
            )
            .await,
        Err(CaseError::Closed)
    ));
    assert_eq!(store.person(mary).await.unwrap().unwrap().measures.len(), 4);
}

/// Runs each story on SQLite and on PostgreSQL, as the accounts stories are.
macro_rules! casework_stories {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::Db::sqlite().await;
                    super::$story(&db).await;
                    crate::rows_and_documents_agree(db.store()).await;
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
                    crate::rows_and_documents_agree(db.store()).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// Consent given as a referral is sent is recorded with the referral, in its transaction:
/// both or neither.
pub async fn consent_given_with_a_referral_is_kept_only_with_it(db: &Db) {
    let store = keyed(db);
    let ravi = user();
    let kestle = org();
    let t0 = nine_am();
    let mary = open_case(store, person_named("Mary Polglase"), ravi, t0).await;
    let with_consent = |organization: OrganizationId, at: DateTime<Utc>| NewReferral {
        person: mary,
        service_id: Uuid::new_v4(),
        organization,
        shared: shared("Help with debts"),
        parent: None,
        from_organization: None,
        timeline_text: "Referred to an organisation".into(),
        consent_given: Some(ConsentGiven {
            purpose: "debt advice".into(),
            method: ConsentMethod::Spoken,
        }),
        stamp: by(ravi, Role::Coordinator, at),
    };
    let sent = store
        .send_referral(with_consent(kestle, t0 + minutes(1)))
        .await
        .unwrap();
    assert_eq!(sent.status, ReferralStatus::Requested);
    let record = store.person(mary).await.unwrap().unwrap();
    let shares: Vec<_> = record
        .consents
        .iter()
        .filter(|c| matches!(&c.scope, ConsentScope::ShareWith { organization, .. } if *organization == kestle))
        .collect();
    assert_eq!(shares.len(), 1, "{:?}", record.consents);
    assert!(record.timeline.iter().any(|e| e.kind == "consent"));

    // Closed, the case takes no referral, and the consent offered with it is not kept.
    store
        .close_case(mary, &[], by(ravi, Role::Coordinator, t0 + minutes(2)))
        .await
        .unwrap();
    let consents_before = store.person(mary).await.unwrap().unwrap().consents.len();
    let refused = store
        .send_referral(with_consent(org(), t0 + minutes(3)))
        .await;
    assert!(
        matches!(refused, Err(ReferralError::CaseClosed)),
        "{refused:?}"
    );
    assert_eq!(
        store.person(mary).await.unwrap().unwrap().consents.len(),
        consents_before
    );
}

casework_stories!(
    consent_given_with_a_referral_is_kept_only_with_it,
    the_queue_puts_the_urgent_first_and_a_request_is_taken_once,
    what_mary_said_is_sealed_at_rest_and_bound_to_its_row,
    a_referral_follows_the_state_machine,
    withdrawing_consent_stops_that_organisations_referrals,
    the_caseload_puts_the_urgent_and_the_overdue_first,
    a_case_is_closed_reopened_and_erased,
    after_rotation_every_value_is_resealed_under_the_new_key,
    an_unanswered_referral_is_chased_forwards_only,
    wellbeing_measures_read_back_in_order,
);
