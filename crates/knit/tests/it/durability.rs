//! Every write Knit said yes to survives `kill -9`. The real `knit serve` binary runs on a
//! SQLite file and on PostgreSQL while a few hundred writes arrive at once over HTTP:
//! residents asking for a call back, and a partner organisation's member of staff
//! (signed in with a password and a two-factor code) moving referrals through their
//! states. The server is killed with SIGKILL part way, started again, and everything that
//! was answered with success is read back through the store.
//!
//! Loopback only, bounded in count and time.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use knit_domain::account::{Email, Membership, OrganizationId, Role, UserStatus};
use knit_domain::casework::{
    ConsentMethod, ConsentScope, PersonDetails, PersonId, ReferralId, SafeContact, SharedDetails,
    SharedPart,
};
use knit_domain::needs::NeedId;
use knit_domain::password::hash_password;
use knit_domain::totp::{TotpSecret, code_at};
use knit_store::casework::{NewCase, NewReferral, Stamp};
use knit_store::sealing::KeyRing;
use knit_store::{ServiceFilter, SharedStore, Store};
use tokio::sync::Semaphore;

use crate::staff_pages::field_value;
use crate::support::{Backend, backends, postgres_url};

const CALL_BACKS: usize = 200;
const REFERRALS: usize = 40;
/// Each referral is opened, then accepted, started and completed: three moves.
const MOVES: [(&str, &str); 3] = [("accept", ""), ("start", ""), ("complete", "need_met")];
/// In flight at once: call-backs and moves each have their own share, so both go on
/// side by side until the kill.
const CALL_BACKS_AT_ONCE: usize = 16;
const MOVES_AT_ONCE: usize = 8;
const PASSWORD: &str = "kettle orchard lantern";

/// One server process on a database that outlives it.
struct Place {
    dir: tempfile::TempDir,
    url: String,
    schema: Option<(String, String)>,
}

impl Place {
    async fn new(backend: Backend) -> Place {
        let dir = tempfile::tempdir().unwrap();
        match backend {
            Backend::Sqlite => Place {
                url: dir.path().join("knit.sqlite").display().to_string(),
                dir,
                schema: None,
            },
            Backend::Postgres => {
                let server = postgres_url().unwrap();
                let (_, schema) = knit_store::open_postgres_isolated(&server).await.unwrap();
                let separator = if server.contains('?') { '&' } else { '?' };
                Place {
                    url: format!("{server}{separator}options=-c%20search_path%3D{schema}"),
                    dir,
                    schema: Some((server, schema)),
                }
            }
        }
    }

    fn key_file(&self) -> PathBuf {
        self.dir.path().join("knit.key")
    }

    async fn store(&self) -> SharedStore {
        let store = knit_store::open(&self.url).await.unwrap();
        store.use_keys(Arc::new(KeyRing::load_or_create(&self.key_file()).unwrap()));
        store
    }

    async fn drop(self) {
        if let Some((server, schema)) = self.schema {
            knit_store::drop_postgres_schema(&server, &schema)
                .await
                .unwrap();
        }
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `knit serve` and waits until it answers.
    async fn start(place: &Place) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let child = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .env("KNIT_DATA_DIR", place.dir.path())
            .env("KNIT_DATABASE_URL", &place.url)
            .env("KNIT_KEY_FILE", place.key_file())
            .env("KNIT_PUBLIC_URL", &base)
            // The test client stands in for a proxy on this machine, telling each resident's
            // address, whether or not loopback peers are trusted by default.
            .env("KNIT_TRUSTED_PROXIES", "127.0.0.1")
            .env("KNIT_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("knit serve starts");
        let server = Server { child, base };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ok = client
                .get(format!("{}/healthz", server.base))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ok {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "knit serve did not answer in 60 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL: no chance to flush or shut down.
    fn kill(mut self) {
        self.child.kill().expect("the server is killed");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in member of staff's cookies and CSRF token.
struct Staff {
    cookie: String,
    csrf: String,
}

fn cookies_of(response: &reqwest::Response, jar: &mut Vec<(String, String)>) {
    for cookie in response.headers().get_all("set-cookie") {
        let pair = cookie.to_str().unwrap().split(';').next().unwrap();
        let (name, value) = pair.split_once('=').unwrap();
        jar.retain(|(n, _)| n != name);
        jar.push((name.to_owned(), value.to_owned()));
    }
}

fn cookie_header(jar: &[(String, String)]) -> String {
    jar.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, secret: &TotpSecret) -> Staff {
    let mut jar = Vec::new();
    let form_of = async |jar: &mut Vec<(String, String)>, path: &str| {
        let response = client
            .get(format!("{base}{path}"))
            .header("cookie", cookie_header(jar))
            .send()
            .await
            .unwrap();
        cookies_of(&response, jar);
        field_value(&response.text().await.unwrap(), "csrf").expect("a CSRF field")
    };
    let post = async |jar: &mut Vec<(String, String)>, path: &str, form: &[(&str, &str)]| {
        let response = client
            .post(format!("{base}{path}"))
            .header("cookie", cookie_header(jar))
            .header("origin", base)
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        cookies_of(&response, jar);
        response.status().as_u16()
    };
    let csrf = form_of(&mut jar, "/staff/sign-in").await;
    let status = post(
        &mut jar,
        "/staff/sign-in",
        &[("email", email), ("password", PASSWORD), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, 303, "{email} signs in");
    let csrf = form_of(&mut jar, "/staff/two-factor").await;
    let code = code_at(secret, Utc::now());
    let status = post(
        &mut jar,
        "/staff/two-factor",
        &[("code", &code), ("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, 303, "{email} passes two-factor");
    let csrf = form_of(&mut jar, "/staff").await;
    Staff {
        cookie: cookie_header(&jar),
        csrf,
    }
}

/// A coordinator's caseload: `count` people, each referred (with their consent) to the
/// organisation of the directory's first service.
pub(crate) struct Caseload {
    pub organization: OrganizationId,
    pub people: Vec<PersonId>,
    pub referrals: Vec<ReferralId>,
}

pub(crate) async fn caseload(store: &dyn Store, count: usize) -> Caseload {
    let service = store
        .services_after(None, 1, &ServiceFilter::default())
        .await
        .unwrap()
        .remove(0);
    let organization = OrganizationId(service.organization_id);
    let coordinator = store
        .create_user(new_user(
            "Ravi Kumar",
            "ravi@example.org",
            Membership::coordinator(),
        ))
        .await
        .unwrap();
    let stamp = || Stamp {
        by: Some(coordinator.id),
        role: Some(Role::Coordinator),
        at: Utc::now(),
        address: Some("192.0.2.10".into()),
    };
    let need = NeedId::parse("debt").unwrap();
    let mut out = Caseload {
        organization,
        people: Vec::new(),
        referrals: Vec::new(),
    };
    for n in 0..count {
        let details = PersonDetails {
            name: format!("Person {n}"),
            phone: "07700 900000".into(),
            safe_contact: SafeContact {
                safe_to_call: true,
                ..SafeContact::default()
            },
            ..PersonDetails::default()
        };
        let person = store
            .open_case(NewCase {
                from_intake: None,
                details: details.clone(),
                coordinator: coordinator.id,
                record_consent: ConsentMethod::Spoken,
                stamp: stamp(),
            })
            .await
            .unwrap();
        store
            .record_consent(
                person,
                ConsentScope::ShareWith {
                    organization,
                    purpose: "support".into(),
                },
                ConsentMethod::Spoken,
                None,
                stamp(),
            )
            .await
            .unwrap();
        let referral = store
            .send_referral(NewReferral {
                person,
                service_id: service.id,
                organization,
                shared: SharedDetails::of(&details, &[SharedPart::Contact], &[need], ""),
                parent: None,
                from_organization: None,
                timeline_text: "Referred to an organisation".into(),
                stamp: stamp(),
                consent_given: None,
            })
            .await
            .unwrap();
        out.people.push(person);
        out.referrals.push(referral.id);
    }
    out
}

fn new_user(name: &str, email: &str, membership: Membership) -> knit_store::accounts::NewUser {
    knit_store::accounts::NewUser {
        name: name.to_owned(),
        email: Email::parse(email).unwrap(),
        status: UserStatus::Active,
        password_hash: Some(hash_password(PASSWORD)),
        memberships: vec![membership],
        at: Utc::now(),
    }
}

/// The demo town and a caseload whose referrals wait for one partner organisation, whose
/// member of staff has two-factor set up.
async fn seed(place: &Place) -> (Vec<ReferralId>, TotpSecret) {
    let store = place.store().await;
    knit::app::load_demo(store.as_ref()).await.unwrap();
    let caseload = caseload(store.as_ref(), REFERRALS).await;
    let partner = store
        .create_user(new_user(
            "Pat Partner",
            "pat@example.org",
            Membership::partner_staff(caseload.organization),
        ))
        .await
        .unwrap();
    let secret = TotpSecret::from_random_bytes([91; 20]);
    store.set_totp_secret(partner.id, &secret).await.unwrap();
    let long_ago = (Utc::now().timestamp() as u64) / 30 - 100;
    assert!(store.confirm_totp(partner.id, long_ago).await.unwrap());
    (caseload.referrals, secret)
}

/// What the server said yes to.
#[derive(Default)]
struct Acknowledged {
    call_backs: std::sync::Mutex<Vec<String>>,
    moves: std::sync::Mutex<Vec<(ReferralId, &'static str)>>,
    count: AtomicUsize,
}

async fn call_back(client: &reqwest::Client, base: &str, n: usize, run: &str) -> Option<String> {
    let name = format!("Caller {run} {n}");
    let response = client
        .post(format!("{base}/call-back"))
        // A documentation address of its own for each resident: five an hour each.
        .header("x-forwarded-for", format!("2001:db8::{n:x}"))
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("name", name.as_str()),
            ("phone", "07700 900123"),
            ("safe_to_call", "on"),
            ("consent", "yes"),
            ("what_is_going_on", "I need help with money"),
        ])
        .send()
        .await
        .ok()?;
    let ok = response.status() == 200;
    let body = response.text().await.ok()?;
    (ok && body.contains("we will be in touch")).then_some(name)
}

async fn move_referral(
    client: &reqwest::Client,
    base: &str,
    staff: &Staff,
    referral: ReferralId,
    change: &str,
    result: &str,
) -> bool {
    let sent = client
        .post(format!("{base}/staff/referrals/{}/moves", referral.0))
        .header("cookie", &staff.cookie)
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("move", change),
            ("result", result),
            ("csrf", staff.csrf.as_str()),
        ])
        .send()
        .await;
    sent.is_ok_and(|r| r.status() == 303)
}

async fn writes_survive_a_kill(backend: Backend) {
    let started = Instant::now();
    let place = Place::new(backend).await;
    let (referrals, secret) = seed(&place).await;
    let server = Server::start(&place).await;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let staff = Arc::new(sign_in(&client, &base, "pat@example.org", &secret).await);
    // Opening each referral is itself a write (it tells the referrer it was seen); it is
    // done before the storm so that every move that follows is a move the rules allow.
    for referral in &referrals {
        let page = client
            .get(format!("{base}/staff/referrals/{}", referral.0))
            .header("cookie", &staff.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
    }

    let total = CALL_BACKS + REFERRALS * MOVES.len();
    let acknowledged = Arc::new(Acknowledged::default());
    let public_gate = Arc::new(Semaphore::new(CALL_BACKS_AT_ONCE));
    let staff_gate = Arc::new(Semaphore::new(MOVES_AT_ONCE));
    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_owned();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..CALL_BACKS {
        let (client, base, acknowledged, gate, run) = (
            client.clone(),
            base.clone(),
            Arc::clone(&acknowledged),
            Arc::clone(&public_gate),
            run.clone(),
        );
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            if let Some(name) = call_back(&client, &base, n, &run).await {
                acknowledged.call_backs.lock().unwrap().push(name);
                acknowledged.count.fetch_add(1, Ordering::SeqCst);
            }
        });
    }
    for referral in referrals.clone() {
        let (client, base, acknowledged, gate, staff) = (
            client.clone(),
            base.clone(),
            Arc::clone(&acknowledged),
            Arc::clone(&staff_gate),
            Arc::clone(&staff),
        );
        tasks.spawn(async move {
            // A referral's moves follow one another; different referrals' moves overlap.
            for (change, result) in MOVES {
                let _permit = gate.acquire().await.unwrap();
                if !move_referral(&client, &base, &staff, referral, change, result).await {
                    return;
                }
                acknowledged.moves.lock().unwrap().push((referral, change));
                acknowledged.count.fetch_add(1, Ordering::SeqCst);
            }
        });
    }

    // Kill the server once about half the writes have been answered.
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.count.load(Ordering::SeqCst) < total / 2 {
        assert!(
            Instant::now() < deadline,
            "only {} of {total} writes were answered in 120 s",
            acknowledged.count.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let at_kill = acknowledged.count.load(Ordering::SeqCst);
    server.kill();
    while tasks.join_next().await.is_some() {}
    let call_backs = acknowledged.call_backs.lock().unwrap().clone();
    let moves = acknowledged.moves.lock().unwrap().clone();
    assert!(
        call_backs.len() + moves.len() < total,
        "the kill came after every write was answered, so it proved nothing"
    );
    assert!(!moves.is_empty() && !call_backs.is_empty());

    // Started again on the same database, it serves, and keeps every acknowledged write.
    let server = Server::start(&place).await;
    let store = place.store().await;
    let waiting = store.waiting_intakes(10 * CALL_BACKS as u32).await.unwrap();
    let stored: std::collections::BTreeSet<String> = waiting
        .iter()
        .filter_map(|i| i.details.as_ref().map(|d| d.name.clone()))
        .collect();
    let lost: Vec<&String> = call_backs.iter().filter(|n| !stored.contains(*n)).collect();
    assert!(lost.is_empty(), "acknowledged call-backs lost: {lost:?}");
    let mut lost_moves = Vec::new();
    for (referral, change) in &moves {
        let stored = store
            .referral(*referral)
            .await
            .unwrap()
            .expect("the referral");
        if !stored.events.iter().any(|e| e.kind == *change) {
            lost_moves.push((referral.0, *change));
        }
    }
    assert!(
        lost_moves.is_empty(),
        "acknowledged moves lost: {lost_moves:?}"
    );
    // A referral never holds a move the server did not get to answer twice.
    for referral in &referrals {
        let stored = store.referral(*referral).await.unwrap().unwrap();
        for (change, _) in MOVES {
            let times = stored.events.iter().filter(|e| e.kind == change).count();
            assert!(times <= 1, "{change} recorded {times} times");
        }
    }
    let after = call_back(&client, &server.base, CALL_BACKS + 1, &run).await;
    assert!(after.is_some(), "the restarted server takes new requests");
    if backend == Backend::Sqlite {
        // An online backup, taken while the server runs, holds every acknowledged write.
        let file = place.dir.path().join("online.backup");
        let made = Command::new(env!("CARGO_BIN_EXE_knit"))
            .args(["backup", file.to_str().unwrap()])
            .env("KNIT_DATA_DIR", place.dir.path())
            .env("KNIT_DATABASE_URL", &place.url)
            .env("KNIT_KEY_FILE", place.key_file())
            .output()
            .unwrap();
        assert!(made.status.success(), "{made:?}");
        let copy = knit_store::open(&file.display().to_string()).await.unwrap();
        copy.use_keys(Arc::new(
            KeyRing::load_or_create(&place.key_file()).unwrap(),
        ));
        let backed_up: std::collections::BTreeSet<String> = copy
            .waiting_intakes(10 * CALL_BACKS as u32)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|i| i.details.map(|d| d.name))
            .collect();
        for name in call_backs.iter().chain(after.iter()) {
            assert!(backed_up.contains(name), "{name} is in the online backup");
        }
    }
    eprintln!(
        "durability on {backend:?}: {} of {CALL_BACKS} call-backs and {} of {} referral moves \
         acknowledged ({at_kill} when killed), all {} found after restart; {:.1} s",
        call_backs.len(),
        moves.len(),
        REFERRALS * MOVES.len(),
        call_backs.len() + moves.len(),
        started.elapsed().as_secs_f64()
    );
    drop(server);
    place.drop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_a_sigkill_of_the_server() {
    for backend in backends() {
        writes_survive_a_kill(backend).await;
    }
}
