//! Restore drills and the move to PostgreSQL, at the command line as an operator runs them:
//! `knit backup`, `knit restore` and `knit db copy`. Each proves, table by table, that what
//! comes back is what went in, and that sealed data still opens with the key file (which is
//! never in a backup).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::Utc;
use knit_domain::casework::{IntakeDetails, IntakeSource, Priority};
use knit_store::backup::{TableFingerprint, fingerprints};
use knit_store::casework::{NewIntake, Stamp};
use knit_store::sealing::KeyRing;
use knit_store::{ServiceFilter, SharedStore};
use sqlx::{AssertSqlSafe, Connection};

use crate::durability::caseload;
use crate::support::{Backend, backends, postgres_url};

fn knit(data_dir: &Path, database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(args)
        .env("KNIT_DATA_DIR", data_dir)
        .env("KNIT_DATABASE_URL", database_url)
        .env("KNIT_KEY_FILE", data_dir.join("knit.key"))
        .output()
        .expect("knit runs")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn open(url: &str, data_dir: &Path) -> SharedStore {
    let store = knit_store::open(url).await.expect("the database opens");
    store.use_keys(Arc::new(
        KeyRing::load_or_create(&data_dir.join("knit.key")).unwrap(),
    ));
    store
}

/// What a town has after a while: the demo directory and staff, a call-back waiting and a
/// caseload with referrals. Returns the names that are sealed, to look for afterwards.
async fn town(store: &SharedStore) -> Vec<String> {
    knit::app::load_demo(store.as_ref()).await.unwrap();
    knit::app::add_demo_staff(store.as_ref()).await.unwrap();
    caseload(store.as_ref(), 3).await;
    store
        .create_intake(NewIntake {
            source: IntakeSource::CallBack,
            priority: Priority::Soon,
            details: IntakeDetails {
                name: "Drill Caller".into(),
                phone: "07700 900321".into(),
                what_is_going_on: "I need help with money".into(),
                consent_given: true,
                ..IntakeDetails::default()
            },
            stamp: Stamp {
                by: None,
                role: None,
                at: Utc::now(),
                address: Some("192.0.2.44".into()),
            },
        })
        .await
        .unwrap();
    vec!["Drill Caller".into(), "Person 0".into(), "Person 2".into()]
}

/// The sealed names read back through the store, with the key file.
async fn sealed_names(store: &SharedStore) -> Vec<String> {
    let mut names: Vec<String> = store
        .waiting_intakes(100)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|i| i.details.map(|d| d.name))
        .collect();
    let caseload = store
        .caseload(&Default::default(), Utc::now().date_naive())
        .await
        .unwrap();
    names.extend(caseload.into_iter().map(|c| c.name));
    names.sort();
    names
}

fn assert_same(before: &[TableFingerprint], after: &[TableFingerprint]) {
    assert!(
        before.len() > 30,
        "every table is compared: {}",
        before.len()
    );
    assert_eq!(
        before.iter().map(|t| &t.table).collect::<Vec<_>>(),
        after.iter().map(|t| &t.table).collect::<Vec<_>>()
    );
    for (b, a) in before.iter().zip(after) {
        assert_eq!(b, a, "{} differs after the restore", b.table);
    }
    let rows: u64 = before.iter().map(|t| t.rows).sum();
    assert!(rows > 500, "the drill moved a real town: {rows} rows");
}

/// A PostgreSQL database of its own (pg_dump and pg_restore work on whole databases),
/// made afresh and dropped at the end.
struct Scratch {
    server: String,
    name: String,
}

impl Scratch {
    async fn new(server: &str) -> Scratch {
        let name = format!("knit_drill_{}", uuid::Uuid::new_v4().simple());
        let scratch = Scratch {
            server: server.to_owned(),
            name,
        };
        scratch.create().await;
        scratch
    }

    fn url(&self) -> String {
        let (base, query) = self.server.split_once('?').unwrap_or((&self.server, ""));
        let (host, _) = base.rsplit_once('/').expect("a database in the address");
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        format!("{host}/{}{query}", self.name)
    }

    async fn sql(&self, sql: &str) {
        let mut conn = sqlx::PgConnection::connect(&self.server).await.unwrap();
        sqlx::query(AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }

    async fn create(&self) {
        self.sql(&format!("CREATE DATABASE {}", self.name)).await;
    }

    async fn wipe(&self) {
        self.drop().await;
        self.create().await;
    }

    async fn drop(&self) {
        self.sql(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .await;
    }
}

async fn restore_drill(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let scratch = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(Scratch::new(&postgres_url().unwrap()).await),
    };
    let url = match &scratch {
        None => dir.path().join("knit.sqlite").display().to_string(),
        Some(scratch) => scratch.url(),
    };
    let store = open(&url, dir.path()).await;
    let names = town(&store).await;
    let services = store
        .count_services(&ServiceFilter::default())
        .await
        .unwrap();
    drop(store);
    let before = fingerprints(&url).await.unwrap();

    let file = dir.path().join("town.backup");
    let made = knit(dir.path(), &url, &["backup", file.to_str().unwrap()]);
    if backend == Backend::Postgres && which("pg_dump").is_none() {
        assert!(!made.status.success());
        assert!(
            said(&made).contains("pg_dump is not installed"),
            "{}",
            said(&made)
        );
        eprintln!("skipping the PostgreSQL restore drill: pg_dump is not installed");
        scratch.unwrap().drop().await;
        return;
    }
    assert!(made.status.success(), "{}", said(&made));
    assert!(said(&made).contains("The key file is not in it"));
    let key = std::fs::read(dir.path().join("knit.key")).unwrap();
    let backup = std::fs::read(&file).unwrap();
    assert!(
        !backup
            .windows(key.len().min(32))
            .any(|w| w == &key[..key.len().min(32)]),
        "the key file's bytes are not in the backup"
    );
    let again = knit(dir.path(), &url, &["backup", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(said(&again).contains("already exists"), "{}", said(&again));

    // A restore over the living database is refused without --force; nothing changes.
    let refused = knit(dir.path(), &url, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(said(&refused).contains("--force"), "{}", said(&refused));
    assert_eq!(fingerprints(&url).await.unwrap(), before);

    // A missing or damaged file is named as such.
    let missing = knit(dir.path(), &url, &["restore", "/nonexistent/town.backup"]);
    assert!(!missing.status.success());
    assert!(
        said(&missing).contains("does not exist"),
        "{}",
        said(&missing)
    );
    let damaged = dir.path().join("damaged.backup");
    std::fs::write(&damaged, &backup[..backup.len() / 3]).unwrap();
    let broken = knit(
        dir.path(),
        &url,
        &["restore", "--force", damaged.to_str().unwrap()],
    );
    assert!(!broken.status.success());
    assert!(
        said(&broken).contains("is not a Knit backup"),
        "{}",
        said(&broken)
    );
    assert_eq!(
        fingerprints(&url).await.unwrap(),
        before,
        "a bad file changes nothing"
    );

    // The drill: the database is lost, the backup brings it back whole.
    match &scratch {
        None => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{url}{suffix}"));
            }
        }
        Some(scratch) => scratch.wipe().await,
    }
    let restored = knit(dir.path(), &url, &["restore", file.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", said(&restored));
    assert!(said(&restored).contains(&format!("({services} services)")));
    assert_same(&before, &fingerprints(&url).await.unwrap());
    let store = open(&url, dir.path()).await;
    let read = sealed_names(&store).await;
    for name in &names {
        assert!(
            read.contains(name),
            "{name} opens with the key file: {read:?}"
        );
    }
    let audit = knit(dir.path(), &url, &["audit", "verify"]);
    assert!(audit.status.success(), "{}", said(&audit));
    drop(store);

    // --force replaces a database that holds data.
    let forced = knit(
        dir.path(),
        &url,
        &["restore", "--force", file.to_str().unwrap()],
    );
    assert!(forced.status.success(), "{}", said(&forced));
    assert_same(&before, &fingerprints(&url).await.unwrap());
    if let Some(scratch) = scratch {
        scratch.drop().await;
    }
}

fn which(tool: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|path| path.is_file())
    })
}

#[tokio::test]
async fn a_backup_restores_every_table_and_sealed_data_still_opens() {
    for backend in backends() {
        restore_drill(backend).await;
    }
}

#[tokio::test]
async fn a_sqlite_town_moves_to_postgresql_whole_or_not_at_all() {
    let Some(server) = postgres_url() else {
        eprintln!("skipping: set KNIT_TEST_POSTGRES=postgres://… to copy to PostgreSQL");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite = dir.path().join("knit.sqlite").display().to_string();
    let store = open(&sqlite, dir.path()).await;
    let names = town(&store).await;
    let services = store
        .count_services(&ServiceFilter::default())
        .await
        .unwrap();
    drop(store);
    let source = fingerprints(&sqlite).await.unwrap();

    let (_, schema) = knit_store::open_postgres_isolated(&server).await.unwrap();
    let separator = if server.contains('?') { '&' } else { '?' };
    let target = format!("{server}{separator}options=-c%20search_path%3D{schema}");

    // A SQLite backup is not restored into PostgreSQL: the error says how to move it.
    let file = dir.path().join("town.backup");
    assert!(
        knit(dir.path(), &sqlite, &["backup", file.to_str().unwrap()])
            .status
            .success()
    );
    let crossed = knit(dir.path(), &target, &["restore", file.to_str().unwrap()]);
    assert!(!crossed.status.success());
    assert!(
        said(&crossed).contains("knit db copy"),
        "{}",
        said(&crossed)
    );

    // A source row PostgreSQL cannot take, in a table copied late: the copy stops and the
    // target keeps nothing of what came before it.
    let spoiled = dir.path().join("spoiled.sqlite");
    std::fs::copy(&sqlite, &spoiled).unwrap();
    let mut raw = sqlx::SqliteConnection::connect(&format!("sqlite://{}", spoiled.display()))
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO sign_in_failures (id, account, address, at)
         VALUES ('not-a-uuid', 'someone', '192.0.2.1', '2026-01-01T00:00:00.000000000Z')",
    )
    .execute(&mut raw)
    .await
    .unwrap();
    raw.close().await.unwrap();
    let failed = knit(
        dir.path(),
        &spoiled.display().to_string(),
        &["db", "copy", "--to", &target],
    );
    assert!(!failed.status.success());
    assert!(
        said(&failed).contains("sign_in_failures.id"),
        "{}",
        said(&failed)
    );
    let empty = open(&target, dir.path()).await;
    assert_eq!(
        empty
            .count_services(&ServiceFilter::default())
            .await
            .unwrap(),
        0
    );
    assert!(
        fingerprints(&target)
            .await
            .unwrap()
            .iter()
            .all(|t| t.rows == 0 || knit_store::backup::SEEDED.iter().any(|s| s.0 == t.table)),
        "nothing was kept from the failed copy"
    );
    drop(empty);

    let copied = knit(dir.path(), &sqlite, &["db", "copy", "--to", &target]);
    assert!(copied.status.success(), "{}", said(&copied));
    assert!(said(&copied).contains("every table's row count and hash match"));
    let on_postgres = fingerprints(&target).await.unwrap();
    assert_eq!(
        source
            .iter()
            .map(|t| (&t.table, t.rows))
            .collect::<Vec<_>>(),
        on_postgres
            .iter()
            .map(|t| (&t.table, t.rows))
            .collect::<Vec<_>>(),
        "the same rows in every table"
    );
    let store = open(&target, dir.path()).await;
    assert_eq!(
        store
            .count_services(&ServiceFilter::default())
            .await
            .unwrap(),
        services
    );
    let read = sealed_names(&store).await;
    for name in &names {
        assert!(read.contains(name), "{name} opens on PostgreSQL: {read:?}");
    }
    let audit = knit(dir.path(), &target, &["audit", "verify"]);
    assert!(
        audit.status.success(),
        "the audit chain survives: {}",
        said(&audit)
    );
    // New writes carry on after the copied ones.
    let change = store.last_directory_change().await.unwrap();
    let service = store
        .services_after(None, 1, &ServiceFilter::default())
        .await
        .unwrap()
        .remove(0);
    assert!(store.delete_service(service.id).await.unwrap());
    assert!(store.last_directory_change().await.unwrap() > change);
    drop(store);

    // A second copy into the same (now full) database is refused.
    let again = knit(dir.path(), &sqlite, &["db", "copy", "--to", &target]);
    assert!(!again.status.success());
    assert!(
        said(&again).contains("already holds data"),
        "{}",
        said(&again)
    );
    knit_store::drop_postgres_schema(&server, &schema)
        .await
        .unwrap();
}
