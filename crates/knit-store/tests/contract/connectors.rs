//! What the store promises about Local Connectors, told as stories: a training session fills
//! up and its waiting list moves when someone cancels; eight people race for the last seat;
//! connectors log conversations, hand out postcards and the figures add up. Each runs on
//! SQLite and on PostgreSQL.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use knit_domain::account::{Email, Membership, UserId, UserStatus};
use knit_domain::connector::{ConnectorCode, Conversation, SignUp};
use knit_domain::language::Language;
use knit_domain::training::{Booker, BookingStatus, SessionPlan, TrainingKind};
use knit_store::Store;
use knit_store::accounts::NewJob;
use knit_store::accounts::NewUser;
use knit_store::connectors::{
    AttendanceError, BookingError, BookingMail, BookingNotice, BookingRef, Cancellation,
    EnrolError, NewBooking,
};
use serde_json::json;
use uuid::Uuid;

use crate::Db;

fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn random32() -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..16].copy_from_slice(Uuid::new_v4().as_bytes());
    out[16..].copy_from_slice(Uuid::new_v4().as_bytes());
    out
}

fn plan(capacity: u32) -> SessionPlan {
    let starts_at = monday() + TimeDelta::days(10);
    SessionPlan {
        title: "Local Connector training".into(),
        kind: TrainingKind::Connector,
        starts_at,
        ends_at: starts_at + TimeDelta::hours(2),
        place: Some("Kestleford Library".into()),
        online_link: None,
        capacity,
        trainer: "Jo Bright".into(),
    }
}

fn booker(name: &str) -> Booker {
    Booker::parse(
        name,
        &format!("{}@example.org", name.to_lowercase()),
        "",
        TrainingKind::Connector,
    )
    .unwrap()
}

/// A job per email, naming who it is for and why, so the story can read the queue back.
fn mail(notice: &BookingNotice<'_>) -> BookingMail {
    let job = |what: &str, run_at| NewJob {
        kind: "email".into(),
        payload: json!({
            "to": notice.booking.email.as_str(),
            "what": what,
            "status": notice.booking.status.code(),
            "token": notice.cancel_token,
        }),
        run_at,
        max_attempts: 3,
    };
    BookingMail {
        now: job("booked", monday()),
        reminder: Some(job(
            "reminder",
            notice.session.starts_at - TimeDelta::days(1),
        )),
    }
}

/// Every queued job due by the session, as (to, what, status, token), in queue order.
async fn drain(store: &dyn Store) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let later = monday() + TimeDelta::days(30);
    while let Some(job) = store.claim_next_job(later).await.unwrap() {
        let text = |k: &str| job.payload[k].as_str().unwrap_or_default().to_owned();
        out.push((text("to"), text("what"), text("status"), text("token")));
        store.complete_job(job.id, later).await.unwrap();
    }
    out
}

async fn book(
    store: &dyn Store,
    session: Uuid,
    name: &str,
    minute: i64,
) -> Result<(knit_store::connectors::Booking, String), BookingError> {
    let mut booker = booker(name);
    // Cy books on the Welsh site: what her booking sends later must be in Welsh.
    if name == "Cy" {
        booker.language = Language::Welsh;
    }
    store
        .book_training(NewBooking {
            session_id: session,
            booker,
            random: random32(),
            at: monday() + TimeDelta::minutes(minute),
            mail: &mail,
        })
        .await
}

async fn a_full_session_keeps_a_waiting_list_that_moves_when_someone_cancels(db: &Db) {
    let store = db.store();
    let session = store
        .schedule_training(&plan(2), None, monday())
        .await
        .unwrap();
    assert_eq!(
        (session.capacity, session.seats_taken, session.waiting),
        (2, 0, 0)
    );
    let (ann, ann_token) = book(store, session.id, "Ann", 1).await.unwrap();
    let (bo, _) = book(store, session.id, "Bo", 2).await.unwrap();
    let (cy, cy_token) = book(store, session.id, "Cy", 3).await.unwrap();
    let (di, di_token) = book(store, session.id, "Di", 4).await.unwrap();
    assert_eq!(ann.status, BookingStatus::Confirmed);
    assert_eq!(bo.status, BookingStatus::Confirmed);
    assert_eq!(cy.status, BookingStatus::Waiting);
    assert_eq!(di.status, BookingStatus::Waiting);
    assert!(matches!(
        book(store, session.id, "Ann", 5).await,
        Err(BookingError::AlreadyBooked)
    ));
    assert!(matches!(
        book(store, Uuid::new_v4(), "Ed", 5).await,
        Err(BookingError::NoSuchSession)
    ));
    let full = store.training_session(session.id).await.unwrap().unwrap();
    assert_eq!(
        (full.seats_taken, full.waiting, full.seats_left()),
        (2, 2, 0)
    );

    // Ann cancels through her link: Cy, first in line, takes the seat and is told at once.
    let cancelled = store
        .cancel_booking(Cancellation {
            booking: BookingRef::CancelToken(&ann_token),
            random: random32(),
            at: monday() + TimeDelta::hours(1),
            mail: &mail,
        })
        .await
        .unwrap();
    assert_eq!(cancelled.booking.status, BookingStatus::Cancelled);
    let promoted = cancelled.promoted.expect("Cy is promoted");
    assert_eq!(promoted.id, cy.id);
    assert_eq!(promoted.language, Language::Welsh, "kept for her emails");
    assert_eq!(cy.language, Language::Welsh);
    assert_eq!(promoted.status, BookingStatus::Confirmed);
    // Cy's old link (from the waiting-list email) no longer works; the new one is emailed.
    assert!(matches!(
        store
            .cancel_booking(Cancellation {
                booking: BookingRef::CancelToken(&cy_token),
                random: random32(),
                at: monday() + TimeDelta::hours(1),
                mail: &mail,
            })
            .await,
        Err(BookingError::NoSuchBooking)
    ));
    assert!(matches!(
        store
            .cancel_booking(Cancellation {
                booking: BookingRef::Id(ann.id),
                random: random32(),
                at: monday() + TimeDelta::hours(2),
                mail: &mail,
            })
            .await,
        Err(BookingError::AlreadyCancelled)
    ));
    // Di leaves the waiting list: nobody is promoted, as she held no seat.
    let left = store
        .cancel_booking(Cancellation {
            booking: BookingRef::CancelToken(&di_token),
            random: random32(),
            at: monday() + TimeDelta::hours(3),
            mail: &mail,
        })
        .await
        .unwrap();
    assert_eq!(left.promoted, None);

    let queue = drain(store).await;
    let for_whom = |to: &str, what: &str| {
        queue
            .iter()
            .filter(|(t, w, _, _)| t == to && w == what)
            .cloned()
            .collect::<Vec<_>>()
    };
    // Ann's reminder was withdrawn with her booking; Bo keeps hers; Cy was told twice, the
    // second time with a seat, a fresh link and a reminder to come; Di never had a reminder.
    assert_eq!(for_whom("ann@example.org", "booked").len(), 1);
    assert!(for_whom("ann@example.org", "reminder").is_empty());
    assert_eq!(for_whom("bo@example.org", "reminder").len(), 1);
    let mut cy_told = for_whom("cy@example.org", "booked");
    // Sent in either order; what matters is one of each.
    cy_told.sort_by(|a, b| b.2.cmp(&a.2));
    assert_eq!(cy_told.len(), 2);
    assert_eq!(cy_told[0].2, "waiting");
    assert_eq!(cy_told[1].2, "confirmed");
    assert_ne!(cy_told[1].3, cy_token);
    assert_eq!(for_whom("cy@example.org", "reminder").len(), 1);
    assert!(for_whom("di@example.org", "reminder").is_empty());
    // Cy's new link works.
    let new_link = cy_told[1].3.clone();

    // On the day: Bo is marked present and can no longer cancel; a waiting or cancelled
    // booking cannot be marked.
    let present = store
        .mark_attendance(bo.id, true, monday() + TimeDelta::days(10))
        .await
        .unwrap();
    assert_eq!(present.status, BookingStatus::Attended);
    assert!(matches!(
        store.mark_attendance(ann.id, true, monday()).await,
        Err(AttendanceError::NoSeat(BookingStatus::Cancelled))
    ));
    assert!(matches!(
        store
            .cancel_booking(Cancellation {
                booking: BookingRef::Id(bo.id),
                random: random32(),
                at: monday() + TimeDelta::days(10),
                mail: &mail,
            })
            .await,
        Err(BookingError::AlreadyAttended)
    ));
    let register = store.bookings(session.id).await.unwrap();
    let order: Vec<(Uuid, BookingStatus)> = register.iter().map(|b| (b.id, b.status)).collect();
    assert_eq!(
        order,
        [
            (bo.id, BookingStatus::Attended),
            (cy.id, BookingStatus::Confirmed),
            (ann.id, BookingStatus::Cancelled),
            (di.id, BookingStatus::Cancelled),
        ]
    );
    assert!(!format!("{:?}", register[0]).contains("bo@example.org"));
    // The session has started: nobody books now, and a late cancellation frees no seat.
    assert!(matches!(
        store
            .book_training(NewBooking {
                session_id: session.id,
                booker: booker("Fay"),
                random: random32(),
                at: session.starts_at,
                mail: &mail,
            })
            .await,
        Err(BookingError::SessionStarted)
    ));
    let late = store
        .cancel_booking(Cancellation {
            booking: BookingRef::CancelToken(&new_link),
            random: random32(),
            at: session.starts_at + TimeDelta::minutes(5),
            mail: &mail,
        })
        .await
        .unwrap();
    assert_eq!(late.booking.id, cy.id);
    let upcoming = store.upcoming_training(monday(), 10).await.unwrap();
    assert_eq!(upcoming.len(), 1);
    assert!(
        store
            .upcoming_training(session.ends_at, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn eight_people_racing_for_the_last_seat_do_not_all_get_it(db: &Db) {
    let store: Arc<dyn Store> = Arc::clone(&db.store);
    let session = store
        .schedule_training(&plan(3), None, monday())
        .await
        .unwrap();
    let mut racers = Vec::new();
    for n in 0..8 {
        let store = Arc::clone(&store);
        racers.push(tokio::spawn(async move {
            book(store.as_ref(), session.id, &format!("Racer{n}"), n)
                .await
                .unwrap()
                .0
        }));
    }
    let mut seated = 0;
    for racer in racers {
        if racer.await.unwrap().status == BookingStatus::Confirmed {
            seated += 1;
        }
    }
    assert_eq!(seated, 3);
    let after = store.training_session(session.id).await.unwrap().unwrap();
    assert_eq!((after.seats_taken, after.waiting), (3, 5));
}

/// Sixty bookings and cancellations in a fixed pseudo-random order, each checked against a
/// plain model of the rule: seats first come first served, then a waiting list, whose
/// first person takes any seat freed.
async fn bookings_and_cancellations_in_any_order_keep_the_waiting_list_fair(db: &Db) {
    let store = db.store();
    let capacity = 3;
    let session = store
        .schedule_training(&plan(capacity), None, monday())
        .await
        .unwrap();
    let mut seed: u64 = 0x6b6e_6974;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    // The model: who holds a seat, and who waits, in order.
    let mut seated: Vec<Uuid> = Vec::new();
    let mut waiting: Vec<Uuid> = Vec::new();
    let mut people = 0;
    let mut promotions = 0;
    for step in 0..60 {
        let live = seated.len() + waiting.len();
        if live == 0 || next(3) > 0 {
            people += 1;
            let (booking, _) = book(store, session.id, &format!("Person{people}"), step)
                .await
                .unwrap();
            if seated.len() < capacity as usize {
                assert_eq!(booking.status, BookingStatus::Confirmed, "step {step}");
                seated.push(booking.id);
            } else {
                assert_eq!(booking.status, BookingStatus::Waiting, "step {step}");
                waiting.push(booking.id);
            }
        } else {
            let pick = next(live as u64) as usize;
            let id = if pick < seated.len() {
                seated[pick]
            } else {
                waiting[pick - seated.len()]
            };
            let done = store
                .cancel_booking(Cancellation {
                    booking: BookingRef::Id(id),
                    random: random32(),
                    at: monday() + TimeDelta::minutes(step),
                    mail: &mail,
                })
                .await
                .unwrap();
            let expected = if let Some(at) = seated.iter().position(|s| *s == id) {
                seated.remove(at);
                (!waiting.is_empty()).then(|| waiting.remove(0))
            } else {
                waiting.retain(|w| *w != id);
                None
            };
            if let Some(promoted) = expected {
                seated.push(promoted);
                promotions += 1;
            }
            assert_eq!(done.promoted.map(|b| b.id), expected, "step {step}");
        }
        let now = store.training_session(session.id).await.unwrap().unwrap();
        assert_eq!(
            (now.seats_taken as usize, now.waiting as usize),
            (seated.len(), waiting.len()),
            "step {step}"
        );
        assert!(now.seats_taken <= capacity);
    }
    let register = store.bookings(session.id).await.unwrap();
    let in_line: Vec<Uuid> = register
        .iter()
        .filter(|b| b.status == BookingStatus::Waiting)
        .map(|b| b.id)
        .collect();
    assert_eq!(
        in_line, waiting,
        "the register lists the waiting list in its order"
    );
    assert!(
        promotions >= 3,
        "the sequence moves the waiting list on: {promotions}"
    );
}

async fn user(store: &dyn Store, name: &str) -> UserId {
    store
        .create_user(NewUser {
            name: name.into(),
            email: Email::parse(&format!("{}@example.org", name.to_lowercase())).unwrap(),
            status: UserStatus::Invited,
            password_hash: None,
            memberships: vec![Membership::connector()],
            at: monday(),
        })
        .await
        .unwrap()
        .id
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

/// A connector's own stamp on what they log, on the Monday.
fn connector_stamp(connector: UserId) -> knit_store::casework::Stamp {
    knit_store::casework::Stamp {
        by: Some(connector),
        role: Some(knit_domain::account::Role::Connector),
        at: monday(),
        address: None,
    }
}

fn conversation(on: NaiveDate, needs: &[&str], done: &[&str]) -> Conversation {
    let needs: Vec<String> = needs.iter().map(|s| s.to_string()).collect();
    let done: Vec<String> = done.iter().map(|s| s.to_string()).collect();
    let service = done
        .iter()
        .any(|d| d == "pointed_to_service")
        .then(|| Uuid::from_u128(5));
    Conversation::parse(
        &on.to_string(),
        "Northfield",
        &needs,
        &done,
        service,
        day(20),
    )
    .unwrap()
}

async fn connectors_log_conversations_hand_out_postcards_and_the_figures_add_up(db: &Db) {
    let store = db.store();
    let sign_up = SignUp::parse("Sam", "sam@example.org", "", "Old Town", "a postcard").unwrap();
    store.record_sign_up(&sign_up, monday()).await.unwrap();
    assert_eq!(store.count_sign_ups().await.unwrap(), 1);
    let kept = store.recent_sign_ups(10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].name.as_str(), kept[0].area.as_str()),
        ("Sam", "Old Town")
    );
    assert_eq!(kept[0].email.as_str(), "sam@example.org");
    assert_eq!(kept[0].heard_from.as_deref(), Some("a postcard"));
    assert!(!format!("{:?}", kept[0]).contains("Sam"));

    let sam = user(store, "Sam").await;
    let lou = user(store, "Lou").await;
    let code = ConnectorCode::parse("K7M2QX").unwrap();
    let sams = store
        .enrol_connector(sam, &code, day(2), monday())
        .await
        .unwrap();
    assert_eq!(sams.code, code);
    assert!(matches!(
        store.enrol_connector(lou, &code, day(2), monday()).await,
        Err(EnrolError::CodeTaken)
    ));
    assert!(matches!(
        store
            .enrol_connector(
                UserId(Uuid::new_v4()),
                &ConnectorCode::parse("ZZZZZZ").unwrap(),
                day(2),
                monday()
            )
            .await,
        Err(EnrolError::NoSuchUser)
    ));
    let lou_code = ConnectorCode::parse("P3R4TW").unwrap();
    store
        .enrol_connector(
            lou,
            &lou_code,
            NaiveDate::from_ymd_opt(2025, 1, 10).unwrap(),
            monday(),
        )
        .await
        .unwrap();
    // A refresher moves Sam's training on and keeps his code; an older date moves nothing.
    let again = store
        .enrol_connector(
            sam,
            &ConnectorCode::parse("AAAAAA").unwrap(),
            day(9),
            monday(),
        )
        .await
        .unwrap();
    assert_eq!(
        (again.code.clone(), again.trained_on),
        (code.clone(), day(9))
    );
    let older = store
        .enrol_connector(sam, &code, day(1), monday())
        .await
        .unwrap();
    assert_eq!(older.trained_on, day(9));
    assert_eq!(store.connector(sam).await.unwrap(), Some(again));

    assert!(store.count_postcard_visit(&code, day(3)).await.unwrap());
    assert!(store.count_postcard_visit(&code, day(3)).await.unwrap());
    assert!(store.count_postcard_visit(&code, day(4)).await.unwrap());
    assert!(
        !store
            .count_postcard_visit(&ConnectorCode::parse("WWWWWW").unwrap(), day(4))
            .await
            .unwrap()
    );

    store
        .log_conversation(
            sam,
            &conversation(day(3), &["food", "debt"], &["listened", "gave_postcard"]),
            &connector_stamp(sam),
        )
        .await
        .unwrap();
    store
        .log_conversation(
            sam,
            &conversation(
                day(4),
                &["food"],
                &["pointed_to_service", "passed_to_coordinator"],
            ),
            &connector_stamp(sam),
        )
        .await
        .unwrap();
    store
        .log_conversation(
            lou,
            &conversation(
                NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
                &["loneliness"],
                &["listened"],
            ),
            &connector_stamp(lou),
        )
        .await
        .unwrap();

    let due = store.refreshers_due(day(20)).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].user, due[0].name.as_str()), (lou, "Lou"));
    assert!(
        store
            .refreshers_due(NaiveDate::from_ymd_opt(2027, 3, 9).unwrap())
            .await
            .unwrap()
            .iter()
            .any(|d| d.user == sam),
        "Sam's falls due a year after his refresher"
    );
    assert!(
        !store
            .refreshers_due(NaiveDate::from_ymd_opt(2027, 3, 8).unwrap())
            .await
            .unwrap()
            .iter()
            .any(|d| d.user == sam)
    );
    let place = store.connector_figures(None, day(20)).await.unwrap();
    assert_eq!(place.trained, 2);
    assert_eq!(place.refresher_due, 1, "Lou trained over a year ago");
    assert_eq!(place.active, 2);
    assert_eq!(place.conversations, 3);
    assert_eq!(place.conversations_last_year, 3);
    assert_eq!(place.offers_of_help, 3);
    assert_eq!(place.hand_offs, 1);
    assert_eq!(place.postcard_visits, 3);
    let needs: Vec<(String, &str, u64)> = place
        .needs_by_month
        .iter()
        .map(|(m, n, c)| (m.clone(), n.as_str(), *c))
        .collect();
    assert_eq!(
        needs,
        [
            ("2026-03".to_owned(), "debt", 1),
            ("2026-03".to_owned(), "food", 2),
            ("2026-02".to_owned(), "loneliness", 1),
        ]
    );

    let own = store.connector_figures(Some(lou), day(20)).await.unwrap();
    assert_eq!(
        (own.trained, own.refresher_due, own.conversations),
        (1, 1, 1)
    );
    assert_eq!(
        (own.offers_of_help, own.hand_offs, own.postcard_visits),
        (0, 0, 0)
    );
    assert_eq!(own.needs_by_month.len(), 1);

    // Ninety days on, nobody is active; a year on, last year's conversations are gone from
    // the yearly count but not from the total.
    let later = store
        .connector_figures(None, NaiveDate::from_ymd_opt(2027, 4, 5).unwrap())
        .await
        .unwrap();
    assert_eq!(
        (
            later.active,
            later.conversations,
            later.conversations_last_year
        ),
        (0, 3, 0)
    );
    assert!(later.needs_by_month.is_empty());
    // A suspended connector no longer counts as trained.
    store
        .set_user_status(lou, UserStatus::Suspended)
        .await
        .unwrap();
    assert_eq!(
        store
            .connector_figures(None, day(20))
            .await
            .unwrap()
            .trained,
        1
    );
}

/// Runs each story on SQLite and on PostgreSQL, as the account stories are.
macro_rules! connector_stories {
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

connector_stories!(
    a_full_session_keeps_a_waiting_list_that_moves_when_someone_cancels,
    eight_people_racing_for_the_last_seat_do_not_all_get_it,
    bookings_and_cancellations_in_any_order_keep_the_waiting_list_fair,
    connectors_log_conversations_hand_out_postcards_and_the_figures_add_up,
    a_hand_off_queues_the_person_and_logs_the_conversation_together,
);

/// A connector's hand-off is one transaction: the person joins the coordinators' queue and
/// the conversation is counted as a hand-off, each with its audit event.
async fn a_hand_off_queues_the_person_and_logs_the_conversation_together(db: &Db) {
    use knit_domain::access::ActionKind;
    use knit_domain::account::Role;
    use knit_domain::casework::{IntakeDetails, IntakeSource, Priority};
    use knit_store::accounts::AuditFilter;
    use knit_store::casework::{NewIntake, Stamp};

    let store = db.store();
    store.use_keys(Arc::new(knit_store::sealing::KeyRing::generate()));
    let sam = user(store, "Sam").await;
    let talk = conversation(day(3), &["debt"], &["listened", "passed_to_coordinator"]);
    let (intake, conversation_id) = store
        .hand_off(
            sam,
            NewIntake {
                source: IntakeSource::Connector,
                priority: Priority::Soon,
                details: IntakeDetails {
                    name: "Mary Polglase".into(),
                    phone: "07700 900111".into(),
                    what_is_going_on: "Bailiffs at the door".into(),
                    consent_given: true,
                    ..IntakeDetails::default()
                },
                stamp: Stamp {
                    by: Some(sam),
                    role: Some(Role::Connector),
                    at: monday(),
                    address: Some("192.0.2.30".into()),
                },
            },
            &talk,
        )
        .await
        .unwrap();
    let queue = store.waiting_intakes(10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].id, intake.id);
    assert_eq!(queue[0].created_by, Some(sam));
    let figures = store.connector_figures(Some(sam), day(4)).await.unwrap();
    assert_eq!((figures.conversations, figures.hand_offs), (1, 1));
    let events = store
        .audit_events(0, 10, &AuditFilter::default())
        .await
        .unwrap();
    let kinds: Vec<(String, Option<String>)> = events
        .iter()
        .map(|e| (e.action.clone(), e.object_id.clone()))
        .collect();
    assert!(kinds.contains(&(
        ActionKind::HandOffToCoordinator.code().to_owned(),
        Some(intake.id.0.to_string())
    )));
    assert!(kinds.contains(&(
        ActionKind::LogConversation.code().to_owned(),
        Some(conversation_id.to_string())
    )));
}
