//! Casework throughput, printed as figures: how fast a coordinator's caseload page and a
//! person's record load when everything personal is sealed, and how fast changes are
//! written with their audit events.
//!
//! `cargo bench -p knit-store --bench casework` builds `KNIT_BENCH_PEOPLE` (default 2,000)
//! people shared between 10 coordinators, each with three needs, two steps, a consent and a
//! referral with three events, in a fresh SQLite file; then times the writes, one
//! coordinator's caseload (200 people) and reading whole records. With `KNIT_TEST_POSTGRES`
//! set it does the same on PostgreSQL, in a schema of its own that it drops afterwards.

use std::sync::Arc;
use std::time::Instant;

use chrono::Utc;
use knit_domain::account::{OrganizationId, Role, UserId};
use knit_domain::casework::{
    ConsentMethod, ConsentScope, PersonDetails, PersonId, Priority, SafeContact, SharedDetails,
    SharedPart, StepKind,
};
use knit_domain::needs::NeedId;
use knit_domain::referral::{ReferralMove, Side};
use knit_store::Store;
use knit_store::casework::{CaseloadFilter, NewCase, NewReferral, NewStep, Stamp, StepDetails};
use knit_store::sealing::KeyRing;
use uuid::Uuid;

const COORDINATORS: usize = 10;

fn stamp(by: UserId) -> Stamp {
    Stamp {
        by: Some(by),
        role: Some(Role::Coordinator),
        at: Utc::now(),
        address: None,
    }
}

async fn run(label: &str, store: &dyn Store, people: usize) {
    store.use_keys(Arc::new(KeyRing::generate()));
    let coordinators: Vec<UserId> = (0..COORDINATORS).map(|_| UserId(Uuid::now_v7())).collect();
    let needs = ["debt", "domestic-abuse", "mental-health"].map(|n| NeedId::parse(n).unwrap());
    let org = OrganizationId(Uuid::now_v7());
    let started = Instant::now();
    let mut ids: Vec<PersonId> = Vec::with_capacity(people);
    let mut writes = 0usize;
    for i in 0..people {
        let by = coordinators[i % COORDINATORS];
        let details = PersonDetails {
            name: format!("Person {i}"),
            phone: format!("07700 9{i:05}"),
            address: format!("{i} Long Lane"),
            postcode: "KF1 1AA".to_owned(),
            what_matters: "Keeping the children at their school and getting some sleep".into(),
            safe_contact: SafeContact {
                safe_to_call: true,
                safe_times: "weekdays 10 till 2".into(),
                ..SafeContact::default()
            },
            ..PersonDetails::default()
        };
        let person = store
            .open_case(NewCase {
                from_intake: None,
                details: details.clone(),
                coordinator: by,
                record_consent: ConsentMethod::Spoken,
                stamp: stamp(by),
            })
            .await
            .unwrap();
        for (n, need) in needs.iter().enumerate() {
            let priority = if n == 0 && i % 3 == 0 {
                Priority::Urgent
            } else {
                Priority::Soon
            };
            store
                .set_need(person, *need, priority, "Talked it through", stamp(by))
                .await
                .unwrap();
        }
        for kind in [StepKind::GoWith, StepKind::FollowUp] {
            store
                .add_step(
                    person,
                    NewStep {
                        kind,
                        details: StepDetails {
                            what: "Go to the housing office together".into(),
                            ..StepDetails::default()
                        },
                        due: Some(Utc::now().date_naive()),
                    },
                    stamp(by),
                )
                .await
                .unwrap();
        }
        store
            .record_consent(
                person,
                ConsentScope::ShareWith {
                    organization: org,
                    purpose: "debt advice".into(),
                },
                ConsentMethod::Spoken,
                None,
                stamp(by),
            )
            .await
            .unwrap();
        let referral = store
            .send_referral(NewReferral {
                person,
                service_id: Uuid::now_v7(),
                organization: org,
                shared: SharedDetails::of(&details, &[SharedPart::Contact], &needs, "Hello"),
                parent: None,
                from_organization: None,
                timeline_text: "Referred".into(),
                stamp: stamp(by),
                consent_given: None,
            })
            .await
            .unwrap();
        for change in [ReferralMove::Open, ReferralMove::Accept] {
            store
                .move_referral(referral.id, change, Side::Receiver, None, stamp(by))
                .await
                .unwrap();
        }
        writes += 10;
        ids.push(person);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{label}: {people} people written, {writes} changes each with its audit event and \
         timeline line: {:.0} changes/s ({seconds:.1} s)",
        writes as f64 / seconds
    );

    let today = Utc::now().date_naive();
    let filter = CaseloadFilter {
        coordinator: Some(coordinators[0]),
        ..CaseloadFilter::default()
    };
    let rounds = 20;
    let started = Instant::now();
    let mut shown = 0;
    for _ in 0..rounds {
        shown = store.caseload(&filter, today).await.unwrap().len();
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    println!("{label}: a caseload of {shown} people: {ms:.1} ms");

    let sample = 200.min(ids.len());
    let started = Instant::now();
    for id in &ids[..sample] {
        store.person(*id).await.unwrap().unwrap();
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / sample as f64;
    println!(
        "{label}: a whole record (details, needs, steps, consents, referral, timeline): {ms:.2} ms"
    );
}

fn main() {
    let people: usize = std::env::var("KNIT_BENCH_PEOPLE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.sqlite");
        let store = knit_store::open(path.to_str().unwrap()).await.unwrap();
        run("sqlite", store.as_ref(), people).await;
        if let Ok(url) = std::env::var("KNIT_TEST_POSTGRES")
            && !url.is_empty()
        {
            let (store, schema) = knit_store::open_postgres_isolated(&url).await.unwrap();
            run("postgres", store.as_ref(), people).await;
            knit_store::drop_postgres_schema(&url, &schema)
                .await
                .unwrap();
        }
    });
}
