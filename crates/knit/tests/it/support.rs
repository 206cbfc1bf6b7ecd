//! The test app builder: a real Knit, with its demo town, on a real database, serving
//! real HTTP on a loopback port.

#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use knit_store::{SharedStore, Store};
use knit_web::AppState;

/// A postcode in the demo town (the town hall's), and its position, for tests that search
/// near a place. `demo_postcode_is_in_the_demo` keeps these true to the demo data.
pub const DEMO_POSTCODE: &str = "KF1 1AA";
pub const DEMO_POSTCODE_POINT: (f64, f64) = (51.2420, -1.9619);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server named by `KNIT_TEST_POSTGRES`. Without one the PostgreSQL half of
/// a test is skipped, except under CI, where that is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("KNIT_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "CI=true but KNIT_TEST_POSTGRES names no PostgreSQL server; the PostgreSQL run must not skip"
            )
        }
        _ => None,
    }
}

/// The backends to run a story on: SQLite always, PostgreSQL when one is named.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if postgres_url().is_some() {
        backends.push(Backend::Postgres);
    } else {
        eprintln!("skipping the PostgreSQL run: set KNIT_TEST_POSTGRES=postgres://… to include it");
    }
    backends
}

/// The shared folder beside the project, if it is there. Absent under CI is a failure.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but ../shared is missing beside the project");
    }
    eprintln!("skipping: ../shared (the shared test data) is not beside the project");
    None
}

pub struct TestApp {
    pub base_url: String,
    pub state: AppState,
    pub client: reqwest::Client,
    _database: Database,
}

enum Database {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { url: String, schema: String },
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Database::Postgres { url, schema } = self {
            let (url, schema) = (url.clone(), schema.clone());
            // Tidy up the private schema on a thread of its own: drop cannot be async.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let _ = rt.block_on(knit_store::drop_postgres_schema(&url, &schema));
            })
            .join();
        }
    }
}

async fn open(backend: Backend) -> (SharedStore, Database) {
    let (store, database) = open_database(backend).await;
    // A fresh key for each app: sealed data is never shared between tests.
    store.use_keys(Arc::new(knit_store::sealing::KeyRing::generate()));
    (store, database)
}

async fn open_database(backend: Backend) -> (SharedStore, Database) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let url = dir.path().join("knit.sqlite").display().to_string();
            (
                knit_store::open(&url).await.expect("SQLite opens"),
                Database::Sqlite(dir),
            )
        }
        Backend::Postgres => {
            let url = postgres_url().expect("a PostgreSQL server");
            let (store, schema) = knit_store::open_postgres_isolated(&url)
                .await
                .expect("PostgreSQL opens");
            (store, Database::Postgres { url, schema })
        }
    }
}

impl TestApp {
    /// Knit with its demo town.
    pub async fn spawn(backend: Backend) -> TestApp {
        TestApp::spawn_with(backend, |store| {
            Box::pin(async move {
                knit::app::load_demo(store.as_ref())
                    .await
                    .expect("demo loads")
            })
        })
        .await
    }

    /// Knit with whatever `seed` puts in the store first.
    pub async fn spawn_with(
        backend: Backend,
        seed: impl FnOnce(
            SharedStore,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    ) -> TestApp {
        TestApp::spawn_configured(backend, |site| site, seed).await
    }

    /// Knit with whatever `seed` puts in the store first, its settings changed by
    /// `configure`.
    pub async fn spawn_configured(
        backend: Backend,
        configure: impl FnOnce(knit_web::Site) -> knit_web::Site,
        seed: impl FnOnce(
            SharedStore,
        ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    ) -> TestApp {
        let (store, database) = open(backend).await;
        seed(Arc::clone(&store)).await;
        // The test's client stands in for a reverse proxy on this machine: it says, in
        // X-Forwarded-For, which visitor each request is from.
        let site = configure(knit_web::Site {
            trusted_proxies: knit_web::kit::TrustedProxies::parse("127.0.0.1").expect("an address"),
            ..knit::app::demo_site()
        });
        let state = knit::app::state(store, site).await.expect("the app starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address: SocketAddr = listener.local_addr().expect("an address");
        let router =
            knit_web::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("the server runs")
        });
        // Like a browser on one of the site's own pages, every request names its origin.
        let mut origin = reqwest::header::HeaderMap::new();
        origin.insert(
            reqwest::header::ORIGIN,
            format!("http://{address}").parse().expect("an origin"),
        );
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(origin)
            .build()
            .expect("a client");
        TestApp {
            base_url: format!("http://{address}"),
            state,
            client,
            _database: database,
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("the request is answered")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }
}

/// Everything any part of Knit logs in this test process, at every level.
pub fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&logs);
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Sink(Arc::clone(&sink)))
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("the only subscriber in this binary: set here, once");
        logs
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
