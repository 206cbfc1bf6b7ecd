//! A town's SQLite file made by an older Knit opens in a newer one with nothing lost.
//!
//! Migration 0018 rebuilds `training_sessions` to allow match events (SQLite cannot change
//! a CHECK in place), with foreign keys off while it does: done wrong, dropping the old
//! table would take every booking with it.

use knit_domain::training::{SessionPlan, TrainingKind};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

/// The last migration before match events.
const BEFORE_MATCH_EVENTS: i64 = 17;

async fn pool(path: &std::path::Path) -> SqlitePool {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .foreign_keys(true);
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("SQLite opens")
}

#[tokio::test]
async fn sessions_rebuilt_for_match_events_keep_every_booking_and_rule() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("knit.db");
    let older = pool(&path).await;
    sqlx::migrate!("./migrations/sqlite")
        .run_to(BEFORE_MATCH_EVENTS, &older)
        .await
        .expect("the older migrations run");
    let session = uuid::Uuid::now_v7();
    sqlx::query(
        "INSERT INTO training_sessions (id, title, kind, starts_at, ends_at, place, capacity, \
         trainer, created_at) VALUES ($1, 'Local Connector training', 'connector', \
         '2030-01-07T18:30:00.000000000Z', '2030-01-07T19:30:00.000000000Z', 'Library', 12, \
         'Jo', '2029-12-01T09:00:00.000000000Z')",
    )
    .bind(session.hyphenated().to_string())
    .execute(&older)
    .await
    .unwrap();
    for (n, email) in ["ann@example.org", "bo@example.org"].iter().enumerate() {
        sqlx::query(
            "INSERT INTO training_bookings (id, session_id, name, email, status, booked_at, \
             changed_at, cancel_digest) VALUES ($1, $2, 'A booker', $3, 'confirmed', \
             '2029-12-02T09:00:00.000000000Z', '2029-12-02T09:00:00.000000000Z', $4)",
        )
        .bind(uuid::Uuid::now_v7().hyphenated().to_string())
        .bind(session.hyphenated().to_string())
        .bind(*email)
        .bind(format!("digest-{n}"))
        .execute(&older)
        .await
        .unwrap();
    }
    older.close().await;

    let store = knit_store::open(path.to_str().expect("a UTF-8 path"))
        .await
        .expect("the newer Knit opens the older file");
    let kept = store.training_session(session).await.unwrap().unwrap();
    assert_eq!(kept.kind, TrainingKind::Connector);
    assert_eq!(kept.seats_taken, 2);
    assert_eq!(store.bookings(session).await.unwrap().len(), 2);
    // The new kind is allowed.
    let starts_at = kept.starts_at;
    let evening = SessionPlan {
        title: "Volunteer match evening".into(),
        kind: TrainingKind::MatchEvent,
        starts_at,
        ends_at: starts_at + chrono::TimeDelta::hours(2),
        place: Some("Town Hall".into()),
        online_link: None,
        capacity: 40,
        trainer: "Place team".into(),
    };
    let scheduled = store
        .schedule_training(&evening, None, starts_at)
        .await
        .unwrap();
    assert_eq!(scheduled.kind, TrainingKind::MatchEvent);
    drop(store);

    // Every booking still has its session, the rules still hold, and foreign keys are on.
    let after = pool(&path).await;
    let orphans = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&after)
        .await
        .unwrap();
    assert!(
        orphans.is_empty(),
        "{} rows break a foreign key",
        orphans.len()
    );
    let party = sqlx::query(
        "INSERT INTO training_sessions (id, title, kind, starts_at, ends_at, capacity, trainer, \
         created_at) VALUES ('x', 'Party', 'party', 'a', 'b', 1, 'c', 'd')",
    )
    .execute(&after)
    .await;
    assert!(party.is_err(), "an unknown kind is still refused");
    let orphan = sqlx::query(
        "INSERT INTO training_bookings (id, session_id, name, email, status, booked_at, \
         changed_at, cancel_digest) VALUES ('y', 'no-such-session', 'n', 'e', 'confirmed', \
         'a', 'b', 'c')",
    )
    .execute(&after)
    .await;
    assert!(orphan.is_err(), "a booking still needs its session");
    let indexes: Vec<String> = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'training_sessions' \
         AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&after)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert_eq!(indexes, ["training_sessions_by_start"]);
}
