//! The demo's community assets and groups: the Fairleigh Park community hall (free on
//! Thursday evenings), the community transport minibus, the library's projector, two
//! people's offers of time (one shown publicly by choice, one not), a request for the hall
//! waiting for an answer, an idea for a group and a published group, so the asset browse,
//! the booking request, the group page and the staff pages can be tried and tested.

use chrono::{DateTime, Datelike, Days, TimeDelta, Utc, Weekday};
use knit_domain::account::OrganizationId;
use knit_domain::assets::{
    AssetDetails, AssetKind, AssetPlan, Availability, BookingRequest, Owner, PersonalOffer, Repeat,
    Requester,
};
use knit_domain::groups::{GroupIdea, GroupRecord, as_service, groups_organization};
use knit_domain::needs::NeedId;
use knit_domain::opening::uk_local;
use knit_store::Store;
use knit_store::assets::NewAssetBooking;
use knit_store::casework::Stamp;

use super::entry::organization;
use super::organisations::org;

fn owner(key: &str) -> Owner {
    Owner::Organization(OrganizationId(organization(org(key)).id))
}

fn plan(kind: AssetKind, owner: Owner, details: AssetDetails, availability: &str) -> AssetPlan {
    AssetPlan {
        kind,
        owner,
        details,
        availability: Availability::parse(availability).expect("the demo's availability reads"),
        offer: None,
    }
}

/// The demo's assets, in the order they are added: the hall first.
pub fn asset_plans() -> Vec<AssetPlan> {
    let mut offer = plan(
        AssetKind::Offer,
        Owner::Person,
        AssetDetails {
            title: "Cooking for a crowd".into(),
            description: "I can cook a hot meal for up to 30 people, once a month.".into(),
            area: "Northfield".into(),
            ..AssetDetails::default()
        },
        "Saturday 10:00-16:00",
    );
    offer.offer = Some(PersonalOffer {
        name: "Pat Demo".into(),
        contact: "07700 900555".into(),
        offer: "I can cook a hot meal for up to 30 people, once a month.".into(),
        consent: "written".into(),
        show_publicly: true,
    });
    let mut private = plan(
        AssetKind::Offer,
        Owner::Person,
        AssetDetails {
            title: "Driving to appointments".into(),
            description: "I can drive people to hospital appointments on Tuesdays.".into(),
            ..AssetDetails::default()
        },
        "Tuesday 09:00-15:00",
    );
    private.offer = Some(PersonalOffer {
        name: "Sam Private".into(),
        contact: "07700 900556".into(),
        offer: "I can drive people to hospital appointments on Tuesdays.".into(),
        consent: "spoken".into(),
        show_publicly: false,
    });
    vec![
        plan(
            AssetKind::Space,
            owner("fairleigh"),
            AssetDetails {
                title: "Fairleigh Park community hall".into(),
                description: "A bright hall with a kitchen, next to the park.".into(),
                area: "Fairleigh Park".into(),
                capacity: Some(60),
                accessible: true,
                facilities: "Kitchen, accessible toilet, 40 chairs, 8 tables, hearing loop".into(),
                hire_terms: "Leave it as you found it; lock up by 10pm.".into(),
                price_pence: None,
                ..AssetDetails::default()
            },
            "Monday 09:00-17:00\nThursday 18:00-22:00\nSaturday 09:00-13:00",
        ),
        plan(
            AssetKind::Vehicle,
            owner("transport"),
            AssetDetails {
                title: "16-seat community minibus".into(),
                description: "A minibus with a tail lift, for groups' trips.".into(),
                area: "Kestleford".into(),
                seats: Some(16),
                wheelchair_places: Some(2),
                who_may_drive: "Drivers with D1 on their licence, or a MiDAS certificate, under a section 19 permit".into(),
                drivers_trained: true,
                price_pence: Some(1500),
                hire_terms: "Fuel is paid by the group; book at least a week ahead.".into(),
                accessible: true,
                ..AssetDetails::default()
            },
            "Monday 09:00-17:00\nTuesday 09:00-17:00\nWednesday 09:00-17:00",
        ),
        plan(
            AssetKind::Equipment,
            owner("library"),
            AssetDetails {
                title: "Projector and screen".into(),
                description: "A portable projector with a pull-up screen.".into(),
                area: "Kestleford".into(),
                ..AssetDetails::default()
            },
            "Monday 10:00-17:00\nFriday 10:00-17:00",
        ),
        offer,
        private,
    ]
}

/// The next Thursday after `now`, at 7pm UK time.
pub fn next_thursday_evening(now: DateTime<Utc>) -> chrono::NaiveDateTime {
    let mut day = uk_local(now).date() + Days::new(1);
    while day.weekday() != Weekday::Thu {
        day = day + Days::new(1);
    }
    day.and_hms_opt(19, 0, 0).expect("a real time")
}

/// Loads the assets, a waiting request, an idea and a published group.
pub async fn add_demo_assets(store: &dyn Store) -> anyhow::Result<()> {
    let now = Utc::now();
    let stamp = || Stamp {
        by: None,
        role: None,
        at: now,
        address: None,
    };
    let mut hall = None;
    for plan in asset_plans() {
        let asset = store.add_asset(&plan, stamp()).await?;
        hall.get_or_insert(asset.id);
    }
    let hall = hall.expect("the demo has a hall");
    // A request for the hall a fortnight on, waiting for the owner's answer.
    let start = next_thursday_evening(now) + TimeDelta::days(7);
    store
        .request_booking(NewAssetBooking {
            asset_id: hall,
            request: BookingRequest {
                requester: Requester {
                    name: "Robin Demo".into(),
                    phone: "07700 900557".into(),
                    email: String::new(),
                    purpose: "A knitting circle".into(),
                    people: 12,
                    language: knit_domain::language::Language::English,
                },
                start,
                end: start + TimeDelta::hours(2),
                repeat: Repeat::Once,
                count: 1,
            },
            at: now,
            mail: &|_, _| Vec::new(),
        })
        .await?;
    store
        .record_group_idea(
            &GroupIdea {
                name: "Alex Demo".into(),
                contact: "07700 900558".into(),
                idea: "A board games night for people new to the town".into(),
                who_for: "Anyone over 18".into(),
            },
            now,
        )
        .await?;
    let idea = store
        .record_group_idea(
            &GroupIdea {
                name: "Jo Demo".into(),
                contact: "07700 900559".into(),
                idea: "A walking group for people who feel lonely".into(),
                who_for: String::new(),
            },
            now,
        )
        .await?;
    let record = GroupRecord {
        name: "Fairleigh Friendship Walkers".into(),
        purpose: "A gentle walk and a cup of tea, to meet people and feel less lonely.".into(),
        who_for: "Anyone who would like company".into(),
        needs: vec![
            NeedId::parse("loneliness")?,
            NeedId::parse("social-groups")?,
        ],
        meeting_pattern: "Mondays, 10am to 11:30am, from the park gates".into(),
        contact: "07700 900559".into(),
        members: 9,
        needs_volunteers: true,
        full: false,
    };
    let group = store.take_group_idea(idea, &record, stamp()).await?;
    let service = as_service(
        group.service_id,
        &record,
        Some("Fairleigh Park"),
        groups_organization(&format!("{} and its villages", super::TOWN)),
        now,
    );
    store.publish_group(group.id, &service, stamp()).await?;
    Ok(())
}
