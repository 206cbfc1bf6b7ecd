//! The store's contract: stories written once against `&dyn Store` and run on SQLite (a
//! temporary file) and on PostgreSQL when `KNIT_TEST_POSTGRES` names a server, each test in
//! a fresh schema of its own. Without that variable the PostgreSQL runs print a skip line
//! and pass, except under `CI=true`, where they fail.

#[path = "contract/accounts.rs"]
mod accounts;
#[path = "contract/assets.rs"]
mod assets;
#[path = "contract/casework.rs"]
mod casework;
#[path = "contract/connectors.rs"]
mod connectors;
#[path = "contract/fixtures.rs"]
mod fixtures;
#[path = "contract/fund.rs"]
mod fund;
#[path = "contract/insight.rs"]
mod insight;
#[path = "contract/migrations.rs"]
mod migrations;
#[path = "contract/stories.rs"]
mod stories;
#[path = "contract/volunteering.rs"]
mod volunteering;

use std::path::PathBuf;

use knit_store::{SharedStore, Store};
use tempfile::TempDir;

/// A store to run a story on, and what to clean up after it.
struct Db {
    store: SharedStore,
    cleanup: Cleanup,
}

enum Cleanup {
    File(#[allow(dead_code)] TempDir),
    Schema { url: String, schema: String },
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Every store gets a fresh key of its own: staff's two-factor secrets and casework are
/// sealed with it.
fn with_keys(store: &SharedStore) {
    store.use_keys(std::sync::Arc::new(knit_store::sealing::KeyRing::generate()));
}

impl Db {
    async fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("knit.db");
        let store = knit_store::open(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("SQLite opens");
        with_keys(&store);
        Db {
            store,
            cleanup: Cleanup::File(dir),
        }
    }

    async fn postgres(story: &str) -> Option<Db> {
        let url = match std::env::var("KNIT_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => url,
            _ if in_ci() => panic!(
                "CI=true but KNIT_TEST_POSTGRES is not set: the contract tests must run on \
                 PostgreSQL in CI (e.g. KNIT_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test)"
            ),
            _ => {
                eprintln!("skipped: postgres::{story} (set KNIT_TEST_POSTGRES to run it)");
                return None;
            }
        };
        let (store, schema) = knit_store::open_postgres_isolated(&url)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at KNIT_TEST_POSTGRES cannot be used: {e}"));
        with_keys(&store);
        Some(Db {
            store,
            cleanup: Cleanup::Schema { url, schema },
        })
    }

    fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The store itself, for stories that hand it to tasks running at once.
    fn shared(&self) -> &SharedStore {
        &self.store
    }

    async fn finish(self) {
        drop(self.store);
        if let Cleanup::Schema { url, schema } = &self.cleanup {
            knit_store::drop_postgres_schema(url, schema)
                .await
                .expect("the test schema drops");
        }
    }
}

/// The shared folder beside the project, when it is there; absent only outside CI.
fn shared_folder() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        Some(dir)
    } else if in_ci() {
        panic!(
            "CI=true but the shared folder is missing at {}",
            dir.display()
        );
    } else {
        eprintln!("skipped: the shared folder is not at {}", dir.display());
        None
    }
}

/// After every story: each service assembled from its rows is what its document says, so
/// the rows hold everything the stories checked through the documents.
async fn rows_and_documents_agree(store: &dyn Store) {
    assert_eq!(
        store.refresh_documents().await.expect("documents refresh"),
        0,
        "stale documents"
    );
}

/// Runs each story on SQLite and on PostgreSQL.
macro_rules! on_both_backends {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = super::Db::sqlite().await;
                    super::stories::$story(db.store()).await;
                    super::rows_and_documents_agree(db.store()).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = super::Db::postgres(stringify!($story)).await else { return };
                    super::stories::$story(db.store()).await;
                    super::rows_and_documents_agree(db.store()).await;
                    db.finish().await;
                }
            )*
        }
    };
}

on_both_backends!(
    a_rich_service_reads_back_equal,
    replacing_a_service_replaces_its_lists,
    importing_the_same_services_twice_adds_nothing,
    a_failed_import_leaves_the_store_as_it_was,
    an_import_in_batches_is_kept_only_when_committed,
    records_shared_by_services_are_kept_once,
    paging_walks_every_service_once_in_id_order,
    services_by_id_keep_the_order_asked_for,
    filters_and_counts_agree,
    deleting_a_service_takes_its_lists_with_it,
    organisations_page_in_name_order,
    postcodes_are_found_full_sector_or_district,
    places_are_found_whatever_the_case,
    problems_reported_reach_the_place_leads,
    elmbridge_reads_back_as_imported,
);

/// The story of a first start: the data folder does not exist yet.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_creates_its_file_on_first_start_and_reopens() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("data").join("nested").join("knit.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let service = fixtures::rich_service(1);
    {
        let store = knit_store::open(&url)
            .await
            .expect("a fresh database opens");
        assert!(path.is_file(), "the database file is created");
        assert_eq!(store.backend_name(), "sqlite");
        store.ping().await.expect("the database answers");
        assert_eq!(store.count_services(&Default::default()).await.unwrap(), 0);
        store
            .put_services(std::slice::from_ref(&service))
            .await
            .unwrap();
    }
    // Opening again finds the migrations applied and the data kept, by URL or by plain path.
    for again in [url.clone(), path.display().to_string()] {
        let store = knit_store::open(&again)
            .await
            .expect("the database opens again");
        assert_eq!(
            store.service(service.id).await.unwrap(),
            Some(service.clone())
        );
    }
}
