//! Place insight's storage: searches that found nothing are added up by words, area, need
//! and month and purged by month; response times come back grouped by the weekday sent and
//! the days taken, and referral states, flows and names add up; all on both backends.

use chrono::{TimeDelta, TimeZone, Utc, Weekday};
use knit_store::insight::{Period, SearchMiss, SyntheticReferral};
use uuid::Uuid;

use crate::Db;

fn miss(month: &str, words: &str, area: &str, count: u64) -> SearchMiss {
    SearchMiss {
        month: month.to_owned(),
        words: words.to_owned(),
        area: area.to_owned(),
        need: "food".to_owned(),
        count,
    }
}

async fn searches_that_found_nothing_add_up_and_old_months_go(db: &Db) {
    let store = db.store();
    store
        .add_search_misses(&[
            miss("2025-11", "food bank sunday", "EV1", 3),
            miss("2026-11", "food bank sunday", "EV1", 4),
            miss("2026-12", "food bank sunday", "EV1", 5),
            miss("2026-12", "pantry", "", 1),
        ])
        .await
        .unwrap();
    // A second batch adds to the same counts.
    store
        .add_search_misses(&[miss("2026-12", "food bank sunday", "EV1", 2)])
        .await
        .unwrap();
    let since = store.search_misses("2026-01", 10).await.unwrap();
    assert_eq!(since.len(), 2);
    assert_eq!(since[0].words, "food bank sunday");
    assert_eq!(since[0].count, 11);
    assert_eq!(since[1].count, 1);
    let by_need = store.search_miss_needs("2026-01").await.unwrap();
    let ev1: u64 = by_need
        .iter()
        .filter(|n| n.area == "EV1")
        .map(|n| n.count)
        .sum();
    assert_eq!(ev1, 11);
    assert_eq!(store.purge_search_misses("2026-01").await.unwrap(), 1);
    let all = store.search_misses("2000-01", 10).await.unwrap();
    assert_eq!(all[0].count, 11, "only the old month went");
}

async fn response_times_are_grouped_by_weekday_and_days(db: &Db) {
    let store = db.store();
    let org = Uuid::from_u128(0x0a);
    let other = Uuid::from_u128(0x0b);
    // Monday 2 November 2026, 10:00.
    let monday = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
    let referral =
        |i: u128, to: Uuid, answered: Option<i64>, status: &str, reason: Option<&str>| {
            SyntheticReferral {
                id: Uuid::from_u128(0x1000 + i),
                service_id: Uuid::from_u128(0x5e),
                organization: to,
                from_organization: (to == other).then_some(org),
                status: status.to_owned(),
                reason: reason.map(str::to_owned),
                sent_at: monday,
                answered_at: answered.map(|d| monday + TimeDelta::days(d) + TimeDelta::hours(20)),
                closed_at: (status == "completed" || status == "rejected")
                    .then(|| monday + TimeDelta::days(9)),
            }
        };
    let added = store
        .add_synthetic_referrals(&[
            referral(1, org, Some(0), "completed", None),
            referral(2, org, Some(1), "completed", None),
            referral(3, org, Some(1), "rejected", Some("no_capacity")),
            referral(4, org, None, "requested", None),
            referral(5, other, Some(6), "accepted", None),
        ])
        .await
        .unwrap();
    assert_eq!(added, 5);
    let period = Period {
        from: monday - TimeDelta::days(1),
        until: monday + TimeDelta::days(1),
    };
    let times = store.response_times(period, Some(org)).await.unwrap();
    let mut answers: Vec<(Weekday, u32, u64)> = times
        .to_answer
        .iter()
        .map(|b| (b.sent_on, b.days, b.count))
        .collect();
    answers.sort_by_key(|a| a.1);
    // Answered 20 hours after 10:00: the next calendar day (and the day after that).
    assert_eq!(answers, vec![(Weekday::Mon, 1, 1), (Weekday::Mon, 2, 2)]);
    assert_eq!(times.to_outcome.len(), 1);
    assert_eq!(times.to_outcome[0].days, 9);
    assert_eq!(times.to_outcome[0].count, 3);
    let everyone = store.response_times(period, None).await.unwrap();
    assert_eq!(everyone.to_answer.iter().map(|b| b.count).sum::<u64>(), 4);

    let states = store.referral_states(period).await.unwrap();
    let rejected: Vec<_> = states.iter().filter(|s| s.status == "rejected").collect();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].reason.as_deref(), Some("no_capacity"));
    let flows = store.referral_flow(period).await.unwrap();
    assert!(
        flows
            .iter()
            .any(|f| f.from == Some(org) && f.to == other && f.count == 1)
    );
    assert!(
        flows
            .iter()
            .any(|f| f.from.is_none() && f.to == org && f.count == 4)
    );
    // Nothing outside the period.
    let later = Period {
        from: monday + TimeDelta::days(1),
        until: monday + TimeDelta::days(30),
    };
    assert!(store.referral_flow(later).await.unwrap().is_empty());
}

/// Runs each story on SQLite and on PostgreSQL, as the connector stories are.
macro_rules! insight_stories {
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

insight_stories!(
    searches_that_found_nothing_add_up_and_old_months_go,
    response_times_are_grouped_by_weekday_and_days,
);
