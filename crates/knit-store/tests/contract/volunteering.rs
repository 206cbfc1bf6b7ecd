//! What the store promises about volunteering, activities and introductions, on SQLite and
//! PostgreSQL: Dee's offer to drive for the food bank is sealed at rest, chased forwards
//! once per stage and answered once; a partner's feed is stored whole and updated by uid;
//! an introduction needs two people who opted in, one at a time per pair, and each answer
//! once.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use knit_domain::account::{OrganizationId, Role, UserId};
use knit_domain::activities::read_feed;
use knit_domain::casework::{ConsentMethod, PersonDetails};
use knit_domain::introductions::{
    Answer, IntroductionRefused, IntroductionStatus, PeerInterest, Side,
};
use knit_domain::volunteering::{
    AnswerRefused, InterestAnswer, InterestChase, InterestStatus, OpportunityForm, VolunteerOffer,
};
use knit_store::casework::{NewCase, Stamp};
use knit_store::volunteering::{
    ActivityFilter, InterestError, IntroductionError, NewInterest, NewOpportunity,
};
use sqlx::{AssertSqlSafe, Connection, Row};
use uuid::Uuid;

use crate::{Cleanup, Db};

const FOOD_BANK: OrganizationId = OrganizationId(Uuid::from_u128(0xf00d));
const ROSA: UserId = UserId(Uuid::from_u128(0x505a));

/// Monday 1 February 2027, ten in the morning.
fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, 1, 10, 0, 0).unwrap()
}

fn stamp(at: DateTime<Utc>) -> Stamp {
    Stamp {
        by: Some(ROSA),
        role: Some(Role::Coordinator),
        at,
        address: None,
    }
}

/// Every byte someone could read: the SQLite files, or PostgreSQL's rows as text.
async fn readable(db: &Db) -> Vec<u8> {
    match &db.cleanup {
        Cleanup::File(dir) => {
            let mut bytes = Vec::new();
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("knit.db"))
                {
                    bytes.extend(std::fs::read(&path).unwrap());
                }
            }
            bytes
        }
        Cleanup::Schema { url, schema } => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(AssertSqlSafe(format!("SET search_path TO {schema}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let mut out = String::new();
            for table in ["volunteer_interests", "peer_opt_ins", "audit_events"] {
                let sql = AssertSqlSafe(format!("SELECT CAST(t AS TEXT) FROM {table} t"));
                for row in sqlx::query(sql).fetch_all(&mut conn).await.unwrap() {
                    out.push_str(&row.get::<String, _>(0));
                }
            }
            out.into_bytes()
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Posts a role titled `title` for `org`, as stamped at `at`.
async fn post_role(
    store: &dyn knit_store::Store,
    org: OrganizationId,
    title: &str,
    description: &str,
    at: DateTime<Utc>,
) -> knit_domain::volunteering::Opportunity {
    let plan = OpportunityForm {
        title: title.into(),
        description: description.into(),
        when: "Fridays".into(),
        ..OpportunityForm::default()
    }
    .plan(org)
    .unwrap();
    store
        .post_opportunity(NewOpportunity {
            plan,
            organization_name: "Kestle Valley Food Bank".into(),
            position: None,
            stamp: stamp(at),
        })
        .await
        .unwrap()
}

async fn an_offer_is_sealed_chased_forwards_and_answered_once(db: &Db) {
    let store = db.store();
    let role = post_role(store, FOOD_BANK, "Van driver", "Deliver parcels", monday()).await;
    assert_eq!(store.opportunity(role.id).await.unwrap().unwrap(), role);
    assert_eq!(
        store.open_opportunities(None, 10).await.unwrap(),
        vec![role.clone()]
    );
    let before = store.opportunities_version().await.unwrap();
    let offer = VolunteerOffer {
        name: "Dee Quinton".into(),
        contact: "dee.quinton@example.org".into(),
        message: "I have a clean licence".into(),
    };
    let sent = store
        .express_interest(NewInterest {
            opportunity: role.id,
            offer: offer.clone(),
            person: None,
            stamp: Stamp {
                by: None,
                role: None,
                at: monday(),
                address: None,
            },
        })
        .await
        .unwrap();
    assert_eq!(sent.status, InterestStatus::Waiting);
    assert_eq!(
        store.opportunities_version().await.unwrap(),
        before,
        "an offer changes no role"
    );
    assert!(matches!(
        store
            .express_interest(NewInterest {
                opportunity: Uuid::from_u128(1),
                offer: offer.clone(),
                person: None,
                stamp: stamp(monday()),
            })
            .await,
        Err(InterestError::NoSuchOpportunity)
    ));
    // Sealed at rest: none of what Dee sent is readable in the database.
    let bytes = readable(db).await;
    assert!(!bytes.is_empty());
    for secret in ["Dee Quinton", "dee.quinton@example.org", "clean licence"] {
        assert!(!contains(&bytes, secret), "{secret:?} is readable at rest");
    }
    assert_eq!(store.interest(sent.id).await.unwrap().unwrap().offer, offer);

    // Chased forwards only, each stage once.
    let later = monday() + TimeDelta::days(10);
    assert_eq!(store.interests_to_chase(later, 10).await.unwrap().len(), 1);
    assert!(
        store
            .mark_interest_chased(sent.id, InterestChase::RemindOrganisation, later)
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_interest_chased(sent.id, InterestChase::RemindOrganisation, later)
            .await
            .unwrap()
    );
    assert!(
        store
            .mark_interest_chased(sent.id, InterestChase::EscalateToPlaceLeads, later)
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_interest_chased(sent.id, InterestChase::RemindOrganisation, later)
            .await
            .unwrap()
    );
    assert!(
        store
            .interests_to_chase(later, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Answered: the first answer counts for "usually replies"; an outcome is final.
    let answered_at = monday() + TimeDelta::days(2);
    let not = InterestAnswer::NotSuitable("Needs a car of their own".into());
    let done = store
        .answer_interest(sent.id, &not, stamp(answered_at))
        .await
        .unwrap();
    assert_eq!(done.status, InterestStatus::NotSuitable);
    assert_eq!(done.answered_at, Some(answered_at));
    assert!(matches!(
        store
            .answer_interest(sent.id, &InterestAnswer::Placed, stamp(later))
            .await,
        Err(InterestError::Refused(AnswerRefused::AlreadyFinal))
    ));
    let opened = store.interest(sent.id).await.unwrap().unwrap();
    assert_eq!(opened.reason.as_deref(), Some("Needs a car of their own"));
    let times = store
        .reply_times(FOOD_BANK, monday() - TimeDelta::days(1))
        .await
        .unwrap();
    assert_eq!(times.len(), 1);
    assert_eq!(times[0].answered, Some(answered_at));
    assert!(
        !contains(&readable(db).await, "car of their own"),
        "the reason is sealed too"
    );
    assert_eq!(store.interests(Some(FOOD_BANK), 10).await.unwrap().len(), 1);
    assert!(
        store
            .interests(Some(OrganizationId(Uuid::from_u128(2))), 10)
            .await
            .unwrap()
            .is_empty()
    );

    // Closed, the role leaves the open list and takes no offer; the offer made stays; the
    // version moves, so every instance rebuilds its search.
    let version = store.opportunities_version().await.unwrap();
    let closed = store
        .set_opportunity_open(role.id, false, stamp(later))
        .await
        .unwrap()
        .expect("the role");
    assert!(!closed.open);
    assert!(store.open_opportunities(None, 10).await.unwrap().is_empty());
    assert_ne!(store.opportunities_version().await.unwrap(), version);
    assert!(matches!(
        store
            .express_interest(NewInterest {
                opportunity: role.id,
                offer: offer.clone(),
                person: None,
                stamp: stamp(later),
            })
            .await,
        Err(InterestError::Closed)
    ));
    assert_eq!(store.interests(Some(FOOD_BANK), 10).await.unwrap().len(), 1);
    let reopened = store
        .set_opportunity_open(role.id, true, stamp(later))
        .await
        .unwrap()
        .expect("the role");
    assert_eq!(
        store.open_opportunities(None, 10).await.unwrap(),
        vec![reopened]
    );
    assert_eq!(
        store
            .set_opportunity_open(Uuid::from_u128(1), false, stamp(later))
            .await
            .unwrap(),
        None
    );
}

async fn a_feed_is_stored_whole_and_updated_by_uid(db: &Db) {
    let store = db.store();
    let feed = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a@p\r\nSUMMARY:Walk\r\nDTSTART:20270111T100000\r\n\
        RRULE:FREQ=MONTHLY;BYDAY=2MO\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b@p\r\nSUMMARY:Choir\r\n\
        DTSTART:20270105T190000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let events = read_feed(feed, Some(FOOD_BANK), None).unwrap();
    let first = store
        .import_activities("https://p.example/feed.ics", &events, stamp(monday()))
        .await
        .unwrap();
    assert_eq!((first.added, first.updated), (2, 0));
    let again = store
        .import_activities("https://p.example/feed.ics", &events, stamp(monday()))
        .await
        .unwrap();
    assert_eq!((again.added, again.updated), (0, 2));
    let stored = store
        .activities(ActivityFilter {
            organization: Some(FOOD_BANK),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let walk = stored.iter().find(|a| a.plan.title == "Walk").unwrap();
    assert_eq!(walk.plan.rrule().as_deref(), Some("FREQ=MONTHLY;BYDAY=2MO"));
    assert_eq!(walk.feed.as_deref(), Some("https://p.example/feed.ics"));
    assert_eq!(store.activity(walk.id).await.unwrap().as_ref(), Some(walk));
}

async fn introductions_need_two_opted_in_and_each_answer_once(db: &Db) {
    let store = db.store();
    let mut people = Vec::new();
    for name in ["Ann Green", "Bo Hill", "Cal Irons"] {
        people.push(
            store
                .open_case(NewCase {
                    from_intake: None,
                    details: PersonDetails {
                        name: name.into(),
                        ..PersonDetails::default()
                    },
                    coordinator: ROSA,
                    record_consent: ConsentMethod::Spoken,
                    stamp: stamp(monday()),
                })
                .await
                .unwrap(),
        );
    }
    let (ann, bo, cal) = (people[0], people[1], people[2]);
    let gardening = PeerInterest::parse("loves gardening", true).unwrap();
    store
        .record_peer_opt_in(ann, &gardening, stamp(monday()))
        .await
        .unwrap();
    assert!(matches!(
        store.propose_introduction(ann, bo, stamp(monday())).await,
        Err(IntroductionError::Refused(IntroductionRefused::NotOptedIn))
    ));
    store
        .record_peer_opt_in(bo, &gardening, stamp(monday()))
        .await
        .unwrap();
    store
        .record_peer_opt_in(cal, &gardening, stamp(monday()))
        .await
        .unwrap();
    assert!(
        !contains(&readable(db).await, "loves gardening"),
        "sealed at rest"
    );
    assert!(matches!(
        store.propose_introduction(ann, ann, stamp(monday())).await,
        Err(IntroductionError::Refused(IntroductionRefused::SamePerson))
    ));
    let intro = store
        .propose_introduction(ann, bo, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(intro.coordinator, ROSA);
    assert!(matches!(
        store.propose_introduction(bo, ann, stamp(monday())).await,
        Err(IntroductionError::Refused(
            IntroductionRefused::AlreadyProposed
        ))
    ));
    store
        .answer_introduction(intro.id, Side::First, Answer::Yes, stamp(monday()))
        .await
        .unwrap();
    assert!(matches!(
        store
            .answer_introduction(intro.id, Side::First, Answer::No, stamp(monday()))
            .await,
        Err(IntroductionError::Refused(
            IntroductionRefused::AlreadyAnswered
        ))
    ));
    let agreed = store
        .answer_introduction(intro.id, Side::Second, Answer::Yes, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(agreed.answers.status(), IntroductionStatus::Agreed);
    let declined = store
        .propose_introduction(ann, cal, stamp(monday()))
        .await
        .unwrap();
    let declined = store
        .answer_introduction(declined.id, Side::Second, Answer::No, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(declined.answers.status(), IntroductionStatus::NotGoingAhead);
    assert!(!declined.answers.may_name(Side::Second));
    // Once one said no, the pair may be proposed again later.
    assert!(
        store
            .propose_introduction(cal, ann, stamp(monday()))
            .await
            .is_ok()
    );
    let stopped = store
        .stop_introduction(intro.id, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(stopped.answers.status(), IntroductionStatus::Stopped);
    assert_eq!(store.introductions(Some(ann), 10).await.unwrap().len(), 3);
    assert_eq!(store.introductions(Some(bo), 10).await.unwrap().len(), 1);
    assert!(
        store
            .withdraw_peer_opt_in(bo, stamp(monday()))
            .await
            .unwrap()
    );
    assert!(store.peer_opt_in(bo).await.unwrap().is_none());
    assert_eq!(store.peer_opt_ins(10).await.unwrap().len(), 2);
}

/// A sealed booking email for the stories below: what it says does not matter here.
fn booking_mail(
    notice: &knit_store::connectors::BookingNotice<'_>,
) -> knit_store::connectors::BookingMail {
    knit_store::connectors::BookingMail {
        now: knit_store::accounts::NewJob {
            kind: "email".into(),
            payload: serde_json::json!({ "to": notice.booking.email.as_str() }),
            run_at: monday(),
            max_attempts: 3,
        },
        reminder: None,
    }
}

async fn a_meeting_at_a_match_event_makes_its_offer_or_nothing(db: &Db) {
    use knit_domain::match_events::{BadEvent, ComingOrganisations, MeetingPlan, MeetingRefused};
    use knit_domain::training::{Booker, SessionPlan, TrainingKind};
    use knit_store::connectors::NewBooking;
    use knit_store::match_events::{EventsWhen, MatchEventError, NewMeeting};

    let store = db.store();
    let (trust, hall) = (
        crate::fixtures::rich_service(0),
        crate::fixtures::rich_service(3),
    );
    store
        .put_services(&[trust.clone(), hall.clone()])
        .await
        .unwrap();
    let (trust, hall) = (
        OrganizationId(trust.organization_id),
        OrganizationId(hall.organization_id),
    );
    let role = |org, title| post_role(store, org, title, "Help out", monday());
    let driver = role(trust, "Driver").await;
    let closed = role(trust, "Cook").await;
    store
        .set_opportunity_open(closed.id, false, stamp(monday()))
        .await
        .unwrap();
    let halls_role = role(hall, "Caretaker").await;

    let starts_at = monday() + TimeDelta::days(7);
    let evening = SessionPlan {
        title: "Volunteer match evening".into(),
        kind: TrainingKind::MatchEvent,
        starts_at,
        ends_at: starts_at + TimeDelta::hours(2),
        place: Some("Town Hall".into()),
        online_link: None,
        capacity: 1,
        trainer: "Place team".into(),
    };
    // The lead's account is not in this store; sessions name their maker only if it is.
    let lead = || Stamp {
        by: None,
        role: Some(Role::PlaceLead),
        at: monday(),
        address: None,
    };
    // An organisation not in the directory refuses the whole plan: no session is left.
    let unknown = OrganizationId(Uuid::from_u128(0xdead));
    assert!(matches!(
        store
            .plan_match_event(
                &evening,
                &ComingOrganisations::new([trust, unknown]).unwrap(),
                lead()
            )
            .await,
        Err(MatchEventError::BadEvent(BadEvent::UnknownOrganisation))
    ));
    let upcoming = EventsWhen::Upcoming(monday());
    assert!(store.match_events(upcoming, 10).await.unwrap().is_empty());
    let event = store
        .plan_match_event(
            &evening,
            &ComingOrganisations::new([trust, hall]).unwrap(),
            lead(),
        )
        .await
        .unwrap();
    assert_eq!(event.coming.len(), 2);
    assert!(event.coming.iter().all(|c| c.name.is_some()));
    assert_eq!(
        store.match_events(upcoming, 10).await.unwrap(),
        vec![event.clone()]
    );
    assert!(
        store
            .upcoming_training(monday(), 10)
            .await
            .unwrap()
            .is_empty(),
        "an event is not listed as training"
    );

    let book = |name: &str| {
        store.book_training(NewBooking {
            session_id: event.session.id,
            booker: Booker::parse(
                name,
                &format!("{name}@example.org"),
                "",
                TrainingKind::MatchEvent,
            )
            .unwrap(),
            random: [name.as_bytes()[0]; 32],
            at: monday(),
            mail: &booking_mail,
        })
    };
    let (ria, _) = book("ria").await.unwrap();
    let (wes, _) = book("wes").await.unwrap();
    let meet = |booking: Uuid, organization, role| {
        store.record_meeting(NewMeeting {
            event: event.session.id,
            plan: MeetingPlan {
                booking,
                organization,
                role,
            },
            offer_message: "We met at the evening.".into(),
            stamp: stamp(starts_at),
        })
    };
    let refused = |r: Result<_, MatchEventError>| match r {
        Err(MatchEventError::Refused(why)) => why,
        other => panic!("refused, not {other:?}"),
    };
    assert_eq!(
        refused(meet(ria.id, trust, Some(closed.id)).await),
        MeetingRefused::RoleClosed
    );
    assert_eq!(
        refused(meet(wes.id, trust, None).await),
        MeetingRefused::NotBooked,
        "wes is waiting for a seat"
    );
    assert_eq!(
        refused(meet(ria.id, trust, Some(halls_role.id)).await),
        MeetingRefused::RoleNotTheirs
    );
    assert_eq!(
        refused(meet(ria.id, unknown, None).await),
        MeetingRefused::NotComing
    );
    assert!(store.interests(Some(trust), 10).await.unwrap().is_empty());
    assert!(store.meetings(event.session.id).await.unwrap().is_empty());

    let met = meet(ria.id, trust, Some(driver.id)).await.unwrap();
    let made = met.role.clone().expect("the offer it made");
    assert_eq!(made.status, InterestStatus::Waiting);
    assert_eq!(made.title, "Driver");
    let offer = store.interest(made.interest).await.unwrap().unwrap();
    assert_eq!(offer.offer.name, "ria");
    assert_eq!(offer.offer.contact, "ria@example.org");
    assert!(!format!("{met:?}").contains("ria"), "{met:?}");
    assert_eq!(
        refused(meet(ria.id, trust, None).await),
        MeetingRefused::AlreadyMet
    );
    let chat = meet(ria.id, hall, None).await.unwrap();
    assert_eq!(chat.role, None);
    assert_eq!(store.interests(Some(trust), 10).await.unwrap().len(), 1);
    assert_eq!(
        store.meetings(event.session.id).await.unwrap(),
        vec![met, chat]
    );
    let audit = store
        .audit_events(0, 1_000, &knit_store::accounts::AuditFilter::default())
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "run_match_events").count(),
        3,
        "the plan and two meetings: {actions:?}"
    );

    // Once it has ended it is listed for its follow-up (the web works out when a month has
    // passed), and the follow-up is noted once.
    let ends = event.session.ends_at;
    let month_on = ends + knit_domain::match_events::FOLLOW_UP_AFTER;
    let before = ends - TimeDelta::minutes(1);
    assert!(
        store
            .match_events_to_follow_up(before, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = store.match_events_to_follow_up(ends, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert!(
        store
            .mark_followed_up(event.session.id, month_on)
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_followed_up(event.session.id, month_on)
            .await
            .unwrap()
    );
    assert!(
        store
            .match_events_to_follow_up(month_on, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let noted = store.match_event(event.session.id).await.unwrap().unwrap();
    assert!(noted.followed_up_at.is_some());
}

/// Another instance's clock may be behind: a change stamped before the latest change still
/// tells every instance its search of roles is stale.
async fn a_role_changed_with_an_earlier_stamp_still_moves_the_version(db: &Db) {
    let store = db.store();
    let mut posted = Vec::new();
    for (title, at) in [
        ("Van driver", monday()),
        ("Warehouse helper", monday() + TimeDelta::days(1)),
    ] {
        posted.push(post_role(store, FOOD_BANK, title, "Help out", at).await);
    }
    let before = store.opportunities_version().await.unwrap();
    store
        .set_opportunity_open(posted[0].id, false, stamp(monday() - TimeDelta::days(30)))
        .await
        .unwrap();
    let after = store.opportunities_version().await.unwrap();
    assert_ne!(
        after, before,
        "the same count and the same latest time, but a change"
    );
    assert_eq!(store.opportunities_version().await.unwrap(), after);
}

macro_rules! volunteering_stories {
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

volunteering_stories!(
    an_offer_is_sealed_chased_forwards_and_answered_once,
    a_feed_is_stored_whole_and_updated_by_uid,
    introductions_need_two_opted_in_and_each_answer_once,
    a_meeting_at_a_match_event_makes_its_offer_or_nothing,
    a_role_changed_with_an_earlier_stamp_still_moves_the_version,
);
