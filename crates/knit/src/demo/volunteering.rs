//! Demo volunteering and activities: roles with three Kestleford groups (the food bank's van
//! driver among them), two community hubs, and activities that repeat weekly, on the second
//! Monday and on the last Friday of each month, so `/volunteer` and `/whats-on` have
//! something to show and the browser tests something to use; and a volunteer match evening
//! with those three groups coming. Nobody has offered or booked yet: an offer is a
//! person's, and the demo holds none.

use chrono::{Datelike, Days, NaiveDate, Utc};
use knit_domain::activities::{ActivityForm, HubPlan};
use knit_domain::opening::uk_local;
use knit_domain::volunteering::OpportunityForm;
use knit_store::Store;
use knit_store::casework::Stamp;
use knit_store::volunteering::NewOpportunity;

use super::staff::organization_id;

struct Role {
    org: &'static str,
    org_name: &'static str,
    title: &'static str,
    description: &'static str,
    place: &'static str,
    postcode: &'static str,
    when: &'static str,
    skills: &'static str,
    dbs: bool,
    driving: bool,
    new: bool,
    recovering: bool,
}

const ROLES: &[Role] = &[
    Role {
        org: "foodbank",
        org_name: "Kestle Valley Food Bank",
        title: "Van driver",
        description: "Collect donations from supermarkets and take food parcels to people who cannot get to us.",
        place: "Kestleford Town Hall",
        postcode: "KF1 1AA",
        when: "Tuesday and Friday mornings, 3 hours",
        skills: "driving, lifting, a friendly word",
        dbs: true,
        driving: true,
        new: false,
        recovering: false,
    },
    Role {
        org: "foodbank",
        org_name: "Kestle Valley Food Bank",
        title: "Warehouse helper",
        description: "Sort and pack donations with a friendly team. No experience needed; we show you everything.",
        place: "Kestleford Library",
        postcode: "KF1 1AB",
        when: "Saturday mornings",
        skills: "sorting, packing",
        dbs: false,
        driving: false,
        new: true,
        recovering: true,
    },
    Role {
        org: "community-garden",
        org_name: "Northfield Community Garden",
        title: "Garden volunteer",
        description: "Grow vegetables and flowers with neighbours. Gentle work outdoors, at your own pace.",
        place: "Northfield Community Garden",
        postcode: "",
        when: "Wednesday afternoons",
        skills: "gardening, growing",
        dbs: false,
        driving: false,
        new: true,
        recovering: true,
    },
    Role {
        org: "advice",
        org_name: "Kestleford Advice Centre",
        title: "Befriender on the phone",
        description: "Ring an older person for a chat once a week. Training and support given.",
        place: "From home",
        postcode: "",
        when: "An hour a week, when it suits you",
        skills: "listening, befriending",
        dbs: true,
        driving: false,
        new: true,
        recovering: false,
    },
];

fn tick(on: bool) -> Option<String> {
    on.then(|| "1".to_owned())
}

/// The nth `weekday` on or after `from`'s month (or the last with `n = -1`), as a date
/// still to come.
fn next_matching(from: NaiveDate, fits: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut day = from;
    while !fits(day) {
        day = day + Days::new(1);
    }
    day
}

/// Adds the demo roles, hubs and activities.
pub async fn add_demo_volunteering(store: &dyn Store) -> anyhow::Result<()> {
    let now = Utc::now();
    let stamp = || Stamp {
        by: None,
        role: None,
        at: now,
        address: None,
    };
    for role in ROLES {
        let org = organization_id(role.org);
        let form = OpportunityForm {
            organization: org.0.to_string(),
            title: role.title.into(),
            description: role.description.into(),
            place: role.place.into(),
            postcode: role.postcode.into(),
            when: role.when.into(),
            skills: role.skills.into(),
            dbs: tick(role.dbs),
            driving_licence: tick(role.driving),
            suitable_for_new: tick(role.new),
            suitable_for_recovering: tick(role.recovering),
            ..OpportunityForm::default()
        };
        let plan = form.plan(org)?;
        let position = match &plan.postcode {
            Some(pc) => {
                store
                    .postcode(&knit_domain::postcode::Postcode::parse(pc)?)
                    .await?
            }
            None => None,
        };
        store
            .post_opportunity(NewOpportunity {
                plan,
                organization_name: role.org_name.into(),
                position,
                stamp: stamp(),
            })
            .await?;
    }
    let evening = knit_domain::training::SessionForm {
        title: "Volunteer match evening".into(),
        date: (uk_local(now).date() + Days::new(10))
            .format("%Y-%m-%d")
            .to_string(),
        starts: "18:00".into(),
        ends: "20:00".into(),
        place: "Kestleford Town Hall, Main Hall".into(),
        capacity: "40".into(),
        trainer: "Kestleford Community Links".into(),
        ..Default::default()
    }
    .plan_match_event(now)?;
    let coming = knit_domain::match_events::ComingOrganisations::new(
        ["foodbank", "community-garden", "advice"].map(organization_id),
    )?;
    store.plan_match_event(&evening, &coming, stamp()).await?;
    let library = store
        .add_hub(
            &HubPlan::parse(
                "Kestleford Library hub",
                "3 Sheep Street, Kestleford KF1 1AB",
                "Warm, free and open to all, with something on most days.",
            )?,
            stamp(),
        )
        .await?;
    let fairleigh = store
        .add_hub(
            &HubPlan::parse(
                "Fairleigh Park Community Centre",
                "Fairleigh Park, Kestleford",
                "The estate's own centre: pantry, cafe and clubs.",
            )?,
            stamp(),
        )
        .await?;
    let today = uk_local(now).date();
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let weekday_of_week = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let second_monday = next_matching(today, |d| {
        d.weekday() == chrono::Weekday::Mon && knit_domain::activities::place_in_month(d).0 == 2
    });
    let last_friday = next_matching(today, |d| {
        d.weekday() == chrono::Weekday::Fri && knit_domain::activities::place_in_month(d).1 == -1
    });
    let activities = [
        (
            "Knit and natter",
            "Bring a project or learn to knit; tea and biscuits.",
            library.id,
            date(weekday_of_week + Days::new(1)),
            "10:00",
            "12:00",
            "weekly",
        ),
        (
            "Carers' coffee morning",
            "Time for yourself with other carers.",
            library.id,
            date(second_monday),
            "10:30",
            "12:00",
            "monthly",
        ),
        (
            "Community pantry",
            "Low-cost food for members: join on the day.",
            fairleigh.id,
            date(weekday_of_week + Days::new(3)),
            "13:00",
            "15:00",
            "weekly",
        ),
        (
            "Friday social and quiz",
            "A friendly quiz and a bite to eat.",
            fairleigh.id,
            date(last_friday),
            "18:30",
            "20:30",
            "monthly_last",
        ),
    ];
    for (title, description, hub, first, starts, ends, repeat) in activities {
        let form = ActivityForm {
            title: title.into(),
            description: description.into(),
            hub: hub.to_string(),
            date: first,
            starts: starts.into(),
            ends: ends.into(),
            repeat: repeat.into(),
            ..ActivityForm::default()
        };
        store.add_activity(&form.plan()?, stamp()).await?;
    }
    Ok(())
}
