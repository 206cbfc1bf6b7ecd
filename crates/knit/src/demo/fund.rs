//! A demo round of the local fund, open for two months, with Priya (the demo place lead) and
//! Ravi (the demo coordinator) on its panel, and two applications sent: a £400 one on the
//! fast route from a group without a constitution, and a £1,500 one for the panel, which
//! Ravi has scored. The applicants are invented.

use std::collections::BTreeMap;

use chrono::{Days, Utc};
use knit_domain::account::Email;
use knit_domain::fund::{ApplicationForm, RoundForm, Vote};
use knit_domain::opening::uk_local;
use knit_store::Store;
use knit_store::casework::Stamp;
use knit_store::fund::{ApplicationLink, ApplicationWrite};

/// The demo round's title, for tests that look for it.
pub const DEMO_ROUND_TITLE: &str = "Kestleford Community Fund: small grants";

pub async fn add_demo_fund(store: &dyn Store) -> anyhow::Result<()> {
    let now = Utc::now();
    let mut panel = Vec::new();
    for email in [
        "lead@demo.kestleford.example",
        "coordinator@demo.kestleford.example",
    ] {
        if let Some(user) = store.user_by_email(&Email::parse(email)?).await? {
            panel.push(user.id);
        }
    }
    let closes = uk_local(now).date() + Days::new(60);
    let plan = RoundForm {
        title: DEMO_ROUND_TITLE.into(),
        description: "Grants from £100 to £5,000 for things that bring people in Kestleford \
                      together. Under £1,000 we decide within two weeks."
            .into(),
        min: "100".into(),
        max: "5000".into(),
        fast_route_below: "1000".into(),
        closes_on: closes.format("%Y-%m-%d").to_string(),
        criteria: "Need in the area | 3\nWho it reaches | 2\nValue for money | 1".into(),
        open_to_individuals: None,
        open_to_unconstituted: Some("yes".into()),
    }
    .plan(now)
    .map_err(|e| anyhow::anyhow!("the demo round: {e}"))?;
    let system = || Stamp {
        by: None,
        role: None,
        at: now,
        address: None,
    };
    let round = store
        .create_round(&plan, &panel, system())
        .await
        .map_err(|e| anyhow::anyhow!("the demo round: {e}"))?;
    let applications = [
        (
            [0x51; 32],
            ApplicationForm {
                kind: "unconstituted_group".into(),
                amount: "400".into(),
                name: "Kelly Demo".into(),
                email: "kelly@demo.kestleford.example".into(),
                group_name: "Northfield Thursday Social".into(),
                what_for: "Hall hire for a weekly social evening for people who feel alone.".into(),
                who_benefits: "About 20 people in Northfield, many living alone.".into(),
                spending: "Hall hire £300, tea and biscuits £100.".into(),
                ..ApplicationForm::default()
            },
        ),
        (
            [0x52; 32],
            ApplicationForm {
                kind: "constituted_group".into(),
                amount: "1500".into(),
                name: "Sam Demo".into(),
                email: "sam@demo.kestleford.example".into(),
                group_name: "Kestle Valley Litter Pickers".into(),
                what_for: "Litter pickers, bags and hi-vis vests for monthly clean-ups.".into(),
                who_benefits: "Volunteers of all ages, and everyone using the riverside.".into(),
                spending: "Pickers £600, vests £400, bags and gloves £500.".into(),
                ..ApplicationForm::default()
            },
        ),
    ];
    let mut ids = Vec::new();
    for (random, form) in applications {
        let draft = form
            .draft()
            .map_err(|e| anyhow::anyhow!("a demo application: {e}"))?;
        let (app, _) = store
            .write_application(ApplicationWrite {
                link: ApplicationLink::New {
                    round: round.id,
                    random,
                },
                draft,
                submit: true,
                stamp: system(),
                mail: None,
            })
            .await
            .map_err(|e| anyhow::anyhow!("a demo application: {e}"))?;
        ids.push(app.id);
    }
    if let Some(ravi) = panel.get(1) {
        let scores: BTreeMap<String, u8> =
            plan.criteria.iter().map(|c| (c.key.clone(), 4)).collect();
        store
            .cast_vote(ids[1], *ravi, &Vote::Scores(scores), system())
            .await
            .map_err(|e| anyhow::anyhow!("a demo score: {e}"))?;
    }
    Ok(())
}
