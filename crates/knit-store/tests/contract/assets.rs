//! What the store promises about community assets and groups, told as stories: the hall's
//! register reads back and a person's offer stays sealed out of public lists; two people
//! ask for the same Thursday evening and two staff approve at once, and exactly one is
//! approved; a request that breaks the slot rule writes nothing; an idea becomes a group
//! and is published as a directory service. Each runs on SQLite and on PostgreSQL.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use knit_domain::account::OrganizationId;
use knit_domain::assets::{
    AssetDetails, AssetKind, AssetPlan, Availability, BookingRequest, BookingStatus, Owner,
    PersonalOffer, Repeat, Requester, SlotProblem,
};
use knit_domain::groups::{GroupIdea, GroupRecord, GroupStatus, as_service, groups_organization};
use knit_domain::language::Language;
use knit_domain::needs::NeedId;
use knit_store::Store;
use knit_store::assets::{
    AssetBookingError, AssetFilter, BookingAnswer, BookingDecision, GroupError, NewAssetBooking,
};
use knit_store::casework::Stamp;
use uuid::Uuid;

use crate::Db;

const PARISH: OrganizationId = OrganizationId(Uuid::from_u128(0x5eed));

/// Monday 2 March 2026, 9am: the week the stories happen in.
fn monday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn local(day: u32, hour: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, day)
        .unwrap()
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn stamp(at: DateTime<Utc>) -> Stamp {
    Stamp {
        by: None,
        role: None,
        at,
        address: None,
    }
}

fn hall() -> AssetPlan {
    AssetPlan {
        kind: AssetKind::Space,
        owner: Owner::Organization(PARISH),
        details: AssetDetails {
            title: "St Mark's hall".into(),
            capacity: Some(60),
            accessible: true,
            ..AssetDetails::default()
        },
        availability: Availability::parse("Thursday 18:00-22:00").unwrap(),
        offer: None,
    }
}

fn request(name: &str, day: u32, from: u32, to: u32, repeat: Repeat, count: u32) -> BookingRequest {
    BookingRequest {
        requester: Requester {
            name: name.into(),
            phone: "07700 900123".into(),
            email: format!("{}@example.org", name.to_lowercase()),
            purpose: "A social group".into(),
            people: 12,
            language: Language::Welsh,
        },
        start: local(day, from),
        end: local(day, to),
        repeat,
        count,
    }
}

async fn ask(
    store: &dyn Store,
    asset: Uuid,
    request: BookingRequest,
) -> Result<Vec<knit_store::assets::AssetBooking>, AssetBookingError> {
    store
        .request_booking(NewAssetBooking {
            asset_id: asset,
            request,
            at: monday(),
            mail: &|_, _| Vec::new(),
        })
        .await
}

async fn answer(
    store: &dyn Store,
    booking: Uuid,
    answer: BookingAnswer,
) -> Result<Vec<knit_store::assets::AssetBooking>, AssetBookingError> {
    store
        .decide_booking(BookingDecision {
            booking_id: booking,
            answer,
            stamp: stamp(monday() + TimeDelta::hours(1)),
            mail: &|_, _| Vec::new(),
        })
        .await
}

async fn the_register_reads_back_and_a_persons_offer_stays_sealed(db: &Db) {
    let store = db.store();
    let hall = store.add_asset(&hall(), stamp(monday())).await.unwrap();
    assert_eq!(hall.details.capacity, Some(60));
    let offer = AssetPlan {
        kind: AssetKind::Offer,
        owner: Owner::Person,
        details: AssetDetails {
            title: "Cooking for 30".into(),
            ..AssetDetails::default()
        },
        availability: Availability::default(),
        offer: Some(PersonalOffer {
            name: "Pat".into(),
            contact: "07700 900555".into(),
            offer: "I can cook for 30".into(),
            consent: "spoken".into(),
            show_publicly: false,
        }),
    };
    let kept = store.add_asset(&offer, stamp(monday())).await.unwrap();
    assert!(
        !kept.public,
        "an offer is not public unless the person chose so"
    );
    // Staff read it opened; lists never open it.
    let read = store.asset(kept.id).await.unwrap().unwrap();
    assert_eq!(read.offer.as_ref().unwrap().name, "Pat");
    assert!(
        !format!("{read:?}").contains("Pat"),
        "Debug keeps the offer out of logs"
    );
    let public = store
        .assets(
            &AssetFilter {
                public_only: true,
                ..AssetFilter::default()
            },
            50,
        )
        .await
        .unwrap();
    assert_eq!(
        public.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![hall.id]
    );
    let all = store.assets(&AssetFilter::default(), 50).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|a| a.offer.is_none()));
    // Filters: capacity, kind, the organisation's own.
    let big = |n| AssetFilter {
        min_capacity: Some(n),
        ..AssetFilter::default()
    };
    assert_eq!(store.assets(&big(50), 50).await.unwrap().len(), 1);
    assert_eq!(store.assets(&big(61), 50).await.unwrap().len(), 0);
    let offers = AssetFilter {
        kind: Some(AssetKind::Offer),
        owner: Some(None),
        ..AssetFilter::default()
    };
    assert_eq!(store.assets(&offers, 50).await.unwrap()[0].id, kept.id);
    let parish = AssetFilter {
        owner: Some(Some(PARISH)),
        free_only: true,
        accessible_only: true,
        ..AssetFilter::default()
    };
    assert_eq!(store.assets(&parish, 50).await.unwrap()[0].id, hall.id);
    // Both unused: nobody has asked for either.
    assert_eq!(
        store
            .unused_assets(monday() - TimeDelta::days(90), 50)
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn two_approvals_of_one_thursday_evening_at_once_approve_exactly_one(db: &Db) {
    let store: Arc<dyn Store> = Arc::clone(db.shared());
    let hall = store.add_asset(&hall(), stamp(monday())).await.unwrap();
    // Kelly and Lee both ask for Thursday 5 March, 7pm to 9pm; requests do not block each
    // other, as neither is approved yet.
    let kelly = ask(
        store.as_ref(),
        hall.id,
        request("Kelly", 5, 19, 21, Repeat::Once, 1),
    )
    .await
    .unwrap();
    let lee = ask(
        store.as_ref(),
        hall.id,
        request("Lee", 5, 20, 22, Repeat::Once, 1),
    )
    .await
    .unwrap();
    assert_eq!(
        store
            .waiting_requests(Some(Some(PARISH)), 10)
            .await
            .unwrap()
            .len(),
        2
    );
    let mut racers = Vec::new();
    for booking in [kelly[0].id, lee[0].id] {
        let store = Arc::clone(&store);
        racers.push(tokio::spawn(async move {
            answer(store.as_ref(), booking, BookingAnswer::Approve).await
        }));
    }
    let mut approved = 0;
    let mut refused = 0;
    for racer in racers {
        match racer.await.unwrap() {
            Ok(done) => {
                assert_eq!(done[0].status, BookingStatus::Approved);
                approved += 1;
            }
            Err(AssetBookingError::Slot {
                problem: SlotProblem::Overlaps,
                ..
            }) => refused += 1,
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    assert_eq!((approved, refused), (1, 1));
    let from = monday();
    let slots = store
        .approved_slots(&[hall.id], from, from + TimeDelta::days(7))
        .await
        .unwrap();
    assert_eq!(slots[&hall.id].len(), 1);
    // The one still waiting can be declined, with a reason; never without.
    let waiting = store.waiting_requests(None, 10).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert!(matches!(
        answer(
            store.as_ref(),
            waiting[0].id,
            BookingAnswer::Decline { reason: " ".into() }
        )
        .await,
        Err(AssetBookingError::ReasonRequired)
    ));
    let declined = answer(
        store.as_ref(),
        waiting[0].id,
        BookingAnswer::Decline {
            reason: "Already booked that evening".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(declined[0].status, BookingStatus::Declined);
    assert_eq!(
        declined[0].reason.as_deref(),
        Some("Already booked that evening")
    );
    assert!(matches!(
        answer(store.as_ref(), waiting[0].id, BookingAnswer::Approve).await,
        Err(AssetBookingError::AlreadyDecided)
    ));
    // A new request for the approved evening is refused at once: 8pm to 9pm overlaps
    // whichever of the two won.
    assert!(matches!(
        ask(
            store.as_ref(),
            hall.id,
            request("Mo", 5, 20, 21, Repeat::Once, 1)
        )
        .await,
        Err(AssetBookingError::Slot {
            occurrence: 1,
            problem: SlotProblem::Overlaps
        })
    ));
    // The requester's details are sealed and come back for the owner.
    let read = store.asset_booking(kelly[0].id).await.unwrap().unwrap();
    assert_eq!(read.requester.name, "Kelly");
    assert_eq!(
        read.requester.language,
        Language::Welsh,
        "sealed with the request"
    );
    assert!(!format!("{read:?}").contains("Kelly"));
}

async fn a_request_breaking_the_slot_rule_writes_nothing(db: &Db) {
    let store = db.store();
    let hall = store.add_asset(&hall(), stamp(monday())).await.unwrap();
    // Past (Thursday 26 February), outside the hours (Wednesday), backwards.
    let past = BookingRequest {
        start: local(5, 19) - TimeDelta::days(7),
        end: local(5, 21) - TimeDelta::days(7),
        ..request("Kelly", 5, 19, 21, Repeat::Once, 1)
    };
    assert!(matches!(
        ask(store, hall.id, past).await,
        Err(AssetBookingError::Slot {
            problem: SlotProblem::InPast,
            ..
        })
    ));
    assert!(matches!(
        ask(store, hall.id, request("Kelly", 4, 19, 21, Repeat::Once, 1)).await,
        Err(AssetBookingError::Slot {
            problem: SlotProblem::OutsideAvailability,
            ..
        })
    ));
    // Approve the evening of 19 March, then ask for four weeks from 5 March: the third
    // occurrence overlaps, so none of the four is written.
    let first = ask(store, hall.id, request("Ann", 19, 19, 20, Repeat::Once, 1))
        .await
        .unwrap();
    answer(store, first[0].id, BookingAnswer::Approve)
        .await
        .unwrap();
    assert!(matches!(
        ask(
            store,
            hall.id,
            request("Kelly", 5, 19, 21, Repeat::Weekly, 4)
        )
        .await,
        Err(AssetBookingError::Slot {
            occurrence: 3,
            problem: SlotProblem::Overlaps
        })
    ));
    assert!(store.waiting_requests(None, 10).await.unwrap().is_empty());
    // Fortnightly from 12 March (12 and 26 March, 9 April) misses it.
    let series = ask(
        store,
        hall.id,
        request("Kelly", 12, 19, 21, Repeat::Fortnightly, 3),
    )
    .await
    .unwrap();
    assert_eq!(series.len(), 3);
    assert!(series.iter().all(|b| b.series_id == series[0].series_id));
    let done = answer(store, series[1].id, BookingAnswer::Approve)
        .await
        .unwrap();
    assert!(done.iter().all(|b| b.status == BookingStatus::Approved));
    assert_eq!(store.booking_series(series[2].id).await.unwrap().len(), 3);
    // An unknown asset.
    assert!(matches!(
        ask(
            store,
            Uuid::from_u128(1),
            request("Kelly", 5, 19, 21, Repeat::Once, 1)
        )
        .await,
        Err(AssetBookingError::NoSuchAsset)
    ));
}

async fn an_unanswered_request_is_reminded_once(db: &Db) {
    let store = db.store();
    let hall = store.add_asset(&hall(), stamp(monday())).await.unwrap();
    let asked = ask(
        store,
        hall.id,
        request("Kelly", 12, 19, 21, Repeat::Weekly, 2),
    )
    .await
    .unwrap();
    let later = monday() + TimeDelta::days(3);
    let due = store.requests_to_remind(later, 10).await.unwrap();
    assert_eq!(due.len(), 1, "one reminder for the whole series");
    assert!(
        store
            .mark_request_reminded(due[0].series_id, later)
            .await
            .unwrap()
    );
    assert!(
        !store
            .mark_request_reminded(due[0].series_id, later)
            .await
            .unwrap()
    );
    assert!(
        store
            .requests_to_remind(later, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Asked for, so no longer unused.
    assert!(
        store
            .unused_assets(monday() - TimeDelta::days(90), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(asked.len(), 2);
}

async fn an_idea_becomes_a_group_published_as_a_service(db: &Db) {
    let store = db.store();
    let idea = GroupIdea {
        name: "Kelly".into(),
        contact: "07700 900123".into(),
        idea: "A group to meet people".into(),
        who_for: String::new(),
    };
    let id = store.record_group_idea(&idea, monday()).await.unwrap();
    let ideas = store.group_ideas(10).await.unwrap();
    assert_eq!(ideas.len(), 1);
    assert_eq!(ideas[0].idea, idea);
    let mut record = GroupRecord {
        name: "Thursday Friends".into(),
        purpose: "Meet people if you feel lonely".into(),
        needs: vec![NeedId::parse("loneliness").unwrap()],
        ..GroupRecord::default()
    };
    let group = store
        .take_group_idea(id, &record, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(group.status, GroupStatus::Draft);
    assert!(store.group_ideas(10).await.unwrap().is_empty());
    assert!(matches!(
        store.take_group_idea(id, &record, stamp(monday())).await,
        Err(GroupError::IdeaTaken)
    ));
    assert!(store.service(group.service_id).await.unwrap().is_none());
    let service = as_service(
        group.service_id,
        &record,
        None,
        groups_organization("Vale"),
        monday(),
    );
    let changes = store.last_directory_change().await.unwrap();
    let published = store
        .publish_group(group.id, &service, stamp(monday()))
        .await
        .unwrap();
    assert_eq!(published.status, GroupStatus::Published);
    assert_eq!(
        store.service(group.service_id).await.unwrap(),
        Some(service.clone())
    );
    assert!(store.last_directory_change().await.unwrap() > changes);
    assert!(matches!(
        store
            .publish_group(group.id, &service, stamp(monday()))
            .await,
        Err(GroupError::AlreadyPublished)
    ));
    // "We're full" rewrites the listing in the same transaction.
    record.full = true;
    let full = as_service(
        group.service_id,
        &record,
        None,
        groups_organization("Vale"),
        monday(),
    );
    store
        .save_group(group.id, &record, None, &full, stamp(monday()))
        .await
        .unwrap();
    let listed = store.service(group.service_id).await.unwrap().unwrap();
    assert!(listed.alert.unwrap().contains("full"));
    assert!(matches!(
        store
            .save_group(
                group.id,
                &record,
                Some(Uuid::from_u128(3)),
                &full,
                stamp(monday())
            )
            .await,
        Err(GroupError::NoSuchBooking)
    ));
    assert_eq!(store.community_groups(true, 10).await.unwrap().len(), 1);
}

/// Runs each story on SQLite and on PostgreSQL, as the connector stories are.
macro_rules! asset_stories {
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

asset_stories!(
    the_register_reads_back_and_a_persons_offer_stays_sealed,
    two_approvals_of_one_thursday_evening_at_once_approve_exactly_one,
    a_request_breaking_the_slot_rule_writes_nothing,
    an_unanswered_request_is_reminded_once,
    an_idea_becomes_a_group_published_as_a_service,
);
