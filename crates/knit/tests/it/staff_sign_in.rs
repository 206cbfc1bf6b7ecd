//! Staff signing in, as the people who do it meet it: over real HTTP, with a browser that
//! keeps its cookies, on SQLite and on PostgreSQL. Asha is a coordinator; Tom works for the
//! food bank; Priya is the place lead. Users are made directly through the store.

use std::collections::BTreeMap;

use chrono::{TimeDelta, Utc};
use knit_domain::account::{Actor, Email, Membership, OrganizationId, UserId, UserStatus};
use knit_domain::audit::Outcome;
use knit_domain::password::hash_password;
use knit_domain::session::{
    BURST_FAILURES, EmailedLink, MAX_ACCOUNT_FAILURES, MAX_ADDRESS_FAILURES,
};
use knit_domain::totp::{TotpSecret, code_at, hash_recovery_code};
use knit_store::accounts::{AuditFilter, NewLink, NewSession, NewUser, SessionRandom, User};
use knit_web::accounts::invitation::{Invitation, InviteError, invite};
use knit_web::mail::queue;
use knit_web::mail::{DEFAULT_FROM, FileMailer, MemoryMailer};
use uuid::Uuid;

use crate::support::{Backend, TestApp, backends};

const ASHA_PASSWORD: &str = "kettle orchard lantern";
const FOOD_BANK: OrganizationId = OrganizationId(Uuid::from_u128(0xf00d));

async fn app(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |_| Box::pin(async {})).await
}

async fn user(
    app: &TestApp,
    name: &str,
    email: &str,
    password: &str,
    memberships: Vec<Membership>,
) -> User {
    app.store()
        .create_user(NewUser {
            name: name.to_owned(),
            email: Email::parse(email).unwrap(),
            status: UserStatus::Active,
            password_hash: Some(hash_password(password)),
            memberships,
            at: Utc::now(),
        })
        .await
        .expect("the user is created")
}

/// Turns two-factor on for a user with this secret, as if set up long ago, and gives them
/// these recovery codes.
async fn with_two_factor(app: &TestApp, user: UserId, secret: &TotpSecret, recovery: &[&str]) {
    let store = app.store();
    store.set_totp_secret(user, secret).await.unwrap();
    let long_ago = (Utc::now().timestamp() as u64) / 30 - 100;
    assert!(store.confirm_totp(user, long_ago).await.unwrap());
    let hashes: Vec<String> = recovery.iter().map(|c| hash_recovery_code(c)).collect();
    store.set_recovery_codes(user, &hashes).await.unwrap();
}

fn secret(byte: u8) -> TotpSecret {
    TotpSecret::from_random_bytes([byte; 20])
}

/// A browser: keeps the cookies it is given, sends them back, follows no redirect by itself.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    /// Stands for the network address the browser is at (the test server trusts the
    /// forwarded address because it sees every request from the loopback).
    address: String,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    retry_after: Option<String>,
    body: String,
}

impl Page {
    fn hidden_csrf(&self) -> String {
        field_value(&self.body, "csrf").unwrap_or_else(|| panic!("a CSRF field: {}", self.body))
    }

    fn sets(&self, cookie: &str) -> Option<&String> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{cookie}=")))
    }
}

fn field_value(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let rest = &html[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp, address: &str) -> Browser<'a> {
        Browser {
            app,
            cookies: BTreeMap::new(),
            address: address.to_owned(),
        }
    }

    fn session(&self) -> Option<String> {
        self.cookies.get("knit_session").cloned()
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let mut request = request.header("x-forwarded-for", &self.address);
        if !self.cookies.is_empty() {
            let header: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header("cookie", header.join("; "));
        }
        let response = request.send().await.expect("an answer");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let location = header("location");
        let retry_after = header("retry-after");
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if cookie.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status: response.status().as_u16(),
            location,
            set_cookies,
            retry_after,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.app.client.get(format!("{}{path}", self.app.base_url));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self
            .app
            .client
            .post(format!("{}{path}", self.app.base_url))
            .form(form);
        self.send(request).await
    }

    /// Opens a form page and sends it with its CSRF token.
    async fn fill_in(&mut self, path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let form = self.get(path).await;
        assert_eq!(form.status, 200, "{path}: {}", form.body);
        let csrf = form.hidden_csrf();
        let mut fields = fields.to_vec();
        fields.push(("csrf", &csrf));
        self.post(action, &fields).await
    }

    async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.fill_in(
            "/staff/sign-in",
            "/staff/sign-in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    async fn two_factor(&mut self, code: &str) -> Page {
        self.fill_in("/staff/two-factor", "/staff/two-factor", &[("code", code)])
            .await
    }
}

async fn audit_outcomes(app: &TestApp, action: &str) -> Vec<Outcome> {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    app.store()
        .audit_events(0, 1000, &filter)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.outcome)
        .collect()
}

/// Sends every queued email to a mailer the test can read.
async fn deliver(app: &TestApp) -> MemoryMailer {
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, Utc::now())
        .await
        .expect("the queue runs");
    mailer
}

fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("a link: {body}"));
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn a_coordinator_sets_up_two_factor_and_reaches_her_page(backend: Backend) {
    let app = app(backend).await;
    user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let mut asha = Browser::new(&app, "198.51.100.10");

    let signed_in = asha.sign_in("Asha@Example.org", ASHA_PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(
        signed_in.location.as_deref(),
        Some("/staff/two-factor/set-up")
    );
    let cookie = signed_in.sets("knit_session").expect("a session cookie");
    for attribute in ["Path=/staff", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(
        !cookie.contains("Max-Age") && !cookie.contains("Expires"),
        "{cookie}"
    );

    // Her role sees personal data, so the staff page waits for two-factor.
    let waiting = asha.get("/staff").await;
    assert_eq!(waiting.status, 303);
    assert_eq!(
        waiting.location.as_deref(),
        Some("/staff/two-factor/set-up")
    );

    let set_up = asha.get("/staff/two-factor/set-up").await;
    assert_eq!(set_up.status, 200, "{}", set_up.body);
    assert!(
        set_up
            .body
            .contains("otpauth://totp/Knit:asha%40example.org"),
        "{}",
        set_up.body
    );
    let key: String = set_up
        .body
        .split("class=\"totp-secret\"")
        .nth(1)
        .unwrap()
        .split("</p>")
        .next()
        .unwrap()
        .split("<span>")
        .skip(1)
        .map(|s| s.split("</span>").next().unwrap())
        .collect();
    let secret = TotpSecret::from_base32(&key).expect("the key on the page is the secret");
    // A reload shows the same key, so an app already scanned still works.
    let again = asha.get("/staff/two-factor/set-up").await;
    assert_eq!(again.hidden_csrf(), set_up.hidden_csrf());
    assert!(
        again
            .body
            .contains(&set_up.body[set_up.body.find("totp-secret").unwrap()..][..60])
    );

    let session_before = asha.session();
    let code = code_at(&secret, Utc::now());
    let confirmed = asha
        .post(
            "/staff/two-factor/set-up",
            &[("code", &code), ("csrf", &set_up.hidden_csrf())],
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let codes: Vec<&str> = confirmed
        .body
        .split("<code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap())
        .collect();
    assert_eq!(codes.len(), 10, "{}", confirmed.body);
    assert_ne!(
        asha.session(),
        session_before,
        "passing two-factor gives a new id"
    );

    let page = asha.get("/staff").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Signed in as Asha Patel (coordinator)"),
        "{}",
        page.body
    );

    // The recovery codes shown work, and only once.
    let mut later = Browser::new(&app, "198.51.100.10");
    later.sign_in("asha@example.org", ASHA_PASSWORD).await;
    let recovered = later.two_factor(codes[4]).await;
    assert_eq!(recovered.status, 303, "{}", recovered.body);
    assert_eq!(later.get("/staff").await.status, 200);
    let mut again = Browser::new(&app, "198.51.100.10");
    again.sign_in("asha@example.org", ASHA_PASSWORD).await;
    assert_eq!(again.two_factor(codes[4]).await.status, 401);

    assert_eq!(
        audit_outcomes(&app, "password_checked").await,
        [Outcome::Succeeded; 3]
    );
    assert_eq!(
        audit_outcomes(&app, "two_factor_enrolled").await,
        [Outcome::Succeeded]
    );
    assert_eq!(
        audit_outcomes(&app, "recovery_code_used").await,
        [Outcome::Succeeded, Outcome::Failed]
    );
    let events = app
        .store()
        .audit_events(0, 1000, &AuditFilter::default())
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .all(|e| e.address.as_deref() == Some("198.51.100.10"))
    );
}

#[tokio::test]
async fn a_coordinator_sets_up_two_factor_and_reaches_her_staff_page() {
    for backend in backends() {
        a_coordinator_sets_up_two_factor_and_reaches_her_page(backend).await;
    }
}

async fn wrong_and_replayed_codes(backend: Backend) {
    let app = app(backend).await;
    let asha = user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let secret = secret(7);
    with_two_factor(&app, asha.id, &secret, &["aaaa-bbbb-cccc-dddd"]).await;

    let mut browser = Browser::new(&app, "198.51.100.11");
    let signed_in = browser.sign_in("asha@example.org", ASHA_PASSWORD).await;
    assert_eq!(signed_in.location.as_deref(), Some("/staff/two-factor"));
    let half = browser.session();

    let now = Utc::now();
    let code = code_at(&secret, now);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let refused = browser.two_factor(wrong).await;
    assert_eq!(refused.status, 401);
    assert!(refused.body.contains("not right"), "{}", refused.body);
    assert_eq!(browser.get("/staff").await.status, 303, "still not through");

    let passed = browser.two_factor(&code).await;
    assert_eq!(passed.status, 303, "{}", passed.body);
    assert_eq!(passed.location.as_deref(), Some("/staff"));
    assert_ne!(browser.session(), half, "a new session id after two-factor");
    assert_eq!(browser.get("/staff").await.status, 200);
    // The half-signed-in id is worth nothing now.
    assert!(
        app.store()
            .session(&half.unwrap(), Utc::now())
            .await
            .unwrap()
            .is_none()
    );

    // Someone who saw the code over her shoulder cannot use it again.
    let mut onlooker = Browser::new(&app, "198.51.100.12");
    onlooker.sign_in("asha@example.org", ASHA_PASSWORD).await;
    let replayed = onlooker.two_factor(&code).await;
    assert_eq!(replayed.status, 401);
    assert!(
        replayed.body.contains("already been used"),
        "{}",
        replayed.body
    );
    assert_eq!(onlooker.get("/staff").await.status, 303);

    assert_eq!(
        audit_outcomes(&app, "two_factor_checked").await,
        [Outcome::Failed, Outcome::Succeeded, Outcome::Failed]
    );
}

#[tokio::test]
async fn a_wrong_or_replayed_two_factor_code_is_refused() {
    for backend in backends() {
        wrong_and_replayed_codes(backend).await;
    }
}

async fn session_fixation(backend: Backend) {
    let app = app(backend).await;
    user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::connector()],
    )
    .await;
    // An attacker makes a session of their own and plants its id in Tom's browser.
    let planted = app
        .store()
        .start_session(NewSession {
            user: None,
            two_factor_passed: false,
            replaces: None,
            random: SessionRandom {
                token: [0x5a; 32],
                csrf: [0xa5; 32],
            },
            at: Utc::now(),
        })
        .await
        .unwrap()
        .token;
    let mut tom = Browser::new(&app, "198.51.100.13");
    tom.cookies.insert("knit_session".into(), planted.clone());

    let signed_in = tom
        .sign_in("tom@example.org", "marmalade bicycle harbour")
        .await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    // Connectors see no personal data: no two-factor needed.
    assert_eq!(signed_in.location.as_deref(), Some("/staff"));
    let now_id = tom.session().unwrap();
    assert_ne!(now_id, planted, "a new session id at sign-in");
    assert!(
        app.store()
            .session(&planted, Utc::now())
            .await
            .unwrap()
            .is_none(),
        "the planted id was ended"
    );
    let page = tom.get("/staff").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Signed in as Tom Baker (connector)"));

    // The attacker's browser, holding the planted id, is not signed in.
    let mut attacker = Browser::new(&app, "203.0.113.66");
    attacker.cookies.insert("knit_session".into(), planted);
    let refused = attacker.get("/staff").await;
    assert_eq!(refused.status, 303);
    assert_eq!(refused.location.as_deref(), Some("/staff/sign-in"));
}

#[tokio::test]
async fn a_session_id_planted_before_sign_in_is_not_the_one_after() {
    for backend in backends() {
        session_fixation(backend).await;
    }
}

async fn forged_forms(backend: Backend) {
    let app = app(backend).await;
    user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::connector()],
    )
    .await;
    let head = app.store().audit_head().await.unwrap();
    let mut tom = Browser::new(&app, "198.51.100.14");
    let credentials = [
        ("email", "tom@example.org"),
        ("password", "marmalade bicycle harbour"),
    ];

    // No token at all, with and without the form cookie.
    let bare = tom.post("/staff/sign-in", &credentials).await;
    assert_eq!(bare.status, 403, "{}", bare.body);
    let form = tom.get("/staff/sign-in").await;
    assert!(form.sets("knit_form").is_some());
    let without = tom.post("/staff/sign-in", &credentials).await;
    assert_eq!(without.status, 403);
    // A token that is not the browser's.
    let mut wrong = credentials.to_vec();
    let other = "0".repeat(64);
    wrong.push(("csrf", &other));
    let forged = tom.post("/staff/sign-in", &wrong).await;
    assert_eq!(forged.status, 403);
    // The right token sent from another site's page.
    let mut right = credentials.to_vec();
    let token = form.hidden_csrf();
    right.push(("csrf", &token));
    let cross_site = tom
        .send(
            app.client
                .post(format!("{}/staff/sign-in", app.base_url))
                .header("origin", "https://evil.example")
                .form(&right),
        )
        .await;
    assert_eq!(cross_site.status, 403);
    for refused in [&bare, &without, &forged, &cross_site] {
        assert!(refused.sets("knit_session").is_none());
    }
    assert!(tom.session().is_none());
    assert_eq!(
        app.store().audit_head().await.unwrap(),
        head,
        "nothing was recorded"
    );
    let failures = app
        .store()
        .sign_in_failures(
            "tom@example.org",
            "198.51.100.14",
            Utc::now() - TimeDelta::hours(1),
        )
        .await
        .unwrap();
    assert!(failures.account.is_empty() && failures.address.is_empty());

    // Signed in, signing out needs the session's token.
    assert_eq!(tom.post("/staff/sign-in", &right).await.status, 303);
    let page = tom.get("/staff").await;
    assert_eq!(page.status, 200);
    let refused = tom.post("/staff/sign-out", &[("csrf", &token)]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(tom.get("/staff").await.status, 200, "still signed in");
    let out = tom
        .post("/staff/sign-out", &[("csrf", &page.hidden_csrf())])
        .await;
    assert_eq!(out.status, 200, "{}", out.body);
    assert!(tom.session().is_none(), "the cookie is removed");
    assert_eq!(
        audit_outcomes(&app, "signed_out").await,
        [Outcome::Succeeded]
    );
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    for backend in backends() {
        forged_forms(backend).await;
    }
}

async fn reset_links(backend: Backend) {
    let app = app(backend).await;
    let asha = user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let mut asha_browser = Browser::new(&app, "198.51.100.15");
    assert_eq!(
        asha_browser
            .sign_in("asha@example.org", ASHA_PASSWORD)
            .await
            .status,
        303
    );

    // Asking answers the same whether or not there is an account.
    let mut someone = Browser::new(&app, "198.51.100.16");
    let known = someone
        .fill_in(
            "/staff/reset",
            "/staff/reset",
            &[("email", "ASHA@example.org")],
        )
        .await;
    let unknown = someone
        .fill_in(
            "/staff/reset",
            "/staff/reset",
            &[("email", "nobody@example.org")],
        )
        .await;
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(known.body, unknown.body);
    let mailer = deliver(&app).await;
    assert_eq!(mailer.sent().len(), 1, "only the real account gets mail");
    let email = &mailer.sent_to(&asha.email)[0];
    assert!(email.body.contains("Hello Asha Patel"));
    let link = link_in(&email.body, "http://");
    let path = link
        .strip_prefix(&app.base_url)
        .expect("a link to this site")
        .to_owned();
    assert!(path.starts_with("/staff/reset/"), "{path}");

    // A mistake in the form keeps the link usable.
    let mut browser = Browser::new(&app, "198.51.100.15");
    let mismatch = browser
        .fill_in(
            &path,
            &path,
            &[("password", "new river stones"), ("confirm", "other")],
        )
        .await;
    assert_eq!(mismatch.status, 422);
    let changed = browser
        .fill_in(
            &path,
            &path,
            &[
                ("password", "new river stones"),
                ("confirm", "new river stones"),
            ],
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert!(changed.body.contains("Your password has been changed"));

    // Used once, never again.
    let reused = browser
        .fill_in(
            &path,
            &path,
            &[
                ("password", "another fine phrase"),
                ("confirm", "another fine phrase"),
            ],
        )
        .await;
    assert_eq!(reused.status, 410, "{}", reused.body);
    assert!(reused.body.contains("already been used"));

    // Her old session ended with the old password; the new password works.
    assert_eq!(
        asha_browser.get("/staff").await.location.as_deref(),
        Some("/staff/sign-in")
    );
    assert_eq!(
        Browser::new(&app, "198.51.100.15")
            .sign_in("asha@example.org", ASHA_PASSWORD)
            .await
            .status,
        401
    );
    assert_eq!(
        Browser::new(&app, "198.51.100.15")
            .sign_in("asha@example.org", "new river stones")
            .await
            .status,
        303
    );

    // A link sent 31 minutes ago has expired.
    let old = app
        .store()
        .create_link(NewLink {
            purpose: EmailedLink::PasswordReset,
            user: asha.id,
            random: [0x33; 32],
            at: Utc::now() - TimeDelta::minutes(31),
        })
        .await
        .unwrap();
    let expired_path = format!("/staff/reset/{old}");
    let expired = browser
        .fill_in(
            &expired_path,
            &expired_path,
            &[
                ("password", "another fine phrase"),
                ("confirm", "another fine phrase"),
            ],
        )
        .await;
    assert_eq!(expired.status, 410, "{}", expired.body);
    assert!(expired.body.contains("expired"));
    assert_eq!(
        Browser::new(&app, "198.51.100.15")
            .sign_in("asha@example.org", "new river stones")
            .await
            .status,
        303,
        "the password did not change"
    );

    // A made-up link is not recognised.
    let made_up = format!("/staff/reset/{}", "ab".repeat(32));
    let unknown = browser
        .fill_in(
            &made_up,
            &made_up,
            &[
                ("password", "another fine phrase"),
                ("confirm", "another fine phrase"),
            ],
        )
        .await;
    assert_eq!(unknown.status, 404);

    assert_eq!(
        audit_outcomes(&app, "password_reset_requested").await,
        [Outcome::Succeeded, Outcome::Failed]
    );
    assert_eq!(
        audit_outcomes(&app, "password_changed").await,
        [
            Outcome::Succeeded,
            Outcome::Failed,
            Outcome::Failed,
            Outcome::Failed
        ]
    );
}

#[tokio::test]
async fn reset_links_work_once_within_half_an_hour() {
    for backend in backends() {
        reset_links(backend).await;
    }
}

async fn suspension(backend: Backend) {
    let app = app(backend).await;
    let asha = user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let secret = secret(9);
    with_two_factor(&app, asha.id, &secret, &[]).await;
    let mut browser = Browser::new(&app, "198.51.100.17");
    browser.sign_in("asha@example.org", ASHA_PASSWORD).await;
    let code = code_at(&secret, Utc::now());
    assert_eq!(browser.two_factor(&code).await.status, 303);
    assert_eq!(browser.get("/staff").await.status, 200);

    app.store()
        .set_user_status(asha.id, UserStatus::Suspended)
        .await
        .unwrap();
    let after = browser.get("/staff").await;
    assert_eq!(after.status, 303, "her open session stops at once");
    assert_eq!(after.location.as_deref(), Some("/staff/sign-in"));

    let refused = Browser::new(&app, "198.51.100.17")
        .sign_in("asha@example.org", ASHA_PASSWORD)
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("suspended"));
    assert!(refused.sets("knit_session").is_none());
    assert_eq!(
        audit_outcomes(&app, "password_checked").await,
        [Outcome::Succeeded, Outcome::Denied]
    );
}

#[tokio::test]
async fn a_suspended_user_is_signed_out_at_once_and_cannot_sign_in() {
    for backend in backends() {
        suspension(backend).await;
    }
}

async fn brute_force(backend: Backend) {
    let app = app(backend).await;
    user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;

    // Per account and address: five wrong passwords, then even the right one must wait
    // there; but Asha, elsewhere, is never locked out by somebody else's guesses.
    let mut guesser = Browser::new(&app, "203.0.113.20");
    for guess in 0..MAX_ACCOUNT_FAILURES {
        let wrong = guesser
            .sign_in("asha@example.org", &format!("guess number {guess}"))
            .await;
        assert_eq!(wrong.status, 401, "{}", wrong.body);
    }
    let throttled = guesser.sign_in("asha@example.org", ASHA_PASSWORD).await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
    assert!(
        throttled.body.contains("try again in 15 minutes"),
        "{}",
        throttled.body
    );
    let wait: i64 = throttled.retry_after.as_deref().unwrap().parse().unwrap();
    assert!((800..=900).contains(&wait), "Retry-After: {wait}");
    assert!(throttled.sets("knit_session").is_none());
    let mut asha = Browser::new(&app, "198.51.100.18");
    let signed_in = asha.sign_in("asha@example.org", ASHA_PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);

    // A burst from several addresses: Asha is still not locked out, and she is told.
    for n in 0..BURST_FAILURES - MAX_ACCOUNT_FAILURES {
        let wrong = Browser::new(&app, &format!("203.0.113.{}", 100 + n))
            .sign_in("asha@example.org", "another guess entirely")
            .await;
        assert_eq!(wrong.status, 401, "{}", wrong.body);
    }
    let asha_email = Email::parse("asha@example.org").unwrap();
    let told = deliver(&app).await.sent_to(&asha_email);
    assert_eq!(told.len(), 1, "told once, as the burst is reached");
    assert!(
        told[0].subject.contains("failed attempts"),
        "{}",
        told[0].subject
    );
    assert!(
        !told[0].body.contains("203.0.113"),
        "the email names no address"
    );
    let again = Browser::new(&app, "198.51.100.19")
        .sign_in("asha@example.org", ASHA_PASSWORD)
        .await;
    assert_eq!(again.status, 303, "{}", again.body);

    // A wrong email and a wrong password read the same.
    let unknown = guesser
        .sign_in("nobody@example.org", "guess number 1")
        .await;
    let known = Browser::new(&app, "203.0.113.21")
        .sign_in("priya@example.org", "guess number 1")
        .await;
    assert_eq!((unknown.status, known.status), (401, 401));

    // Per address: one address trying many accounts is slowed down too.
    let mut sprayer = Browser::new(&app, "203.0.113.30");
    for n in 0..MAX_ADDRESS_FAILURES {
        let page = sprayer
            .sign_in(&format!("person{n}@example.org"), "spring summer autumn")
            .await;
        assert_eq!(page.status, 401, "attempt {n}");
    }
    let slowed = sprayer
        .sign_in("someone@example.org", "spring summer autumn")
        .await;
    assert_eq!(slowed.status, 429);
    // Another address is not held up by it.
    let elsewhere = Browser::new(&app, "203.0.113.31")
        .sign_in("someone@example.org", "spring summer autumn")
        .await;
    assert_eq!(elsewhere.status, 401);

    let outcomes = audit_outcomes(&app, "password_checked").await;
    assert_eq!(
        outcomes.iter().filter(|o| **o == Outcome::Denied).count(),
        2
    );
}

#[tokio::test]
async fn brute_force_is_throttled_per_account_and_per_address() {
    for backend in backends() {
        brute_force(backend).await;
    }
}

async fn invitations(backend: Backend) {
    let app = app(backend).await;
    let priya = user(
        &app,
        "Priya Shah",
        "priya@example.org",
        "lighthouse meadow cobble",
        vec![Membership::place_lead()],
    )
    .await;
    let tom = user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::partner_staff(FOOD_BANK)],
    )
    .await;
    let base = app.base_url.clone();
    let as_actor = |u: &User| Actor::staff(u.id, UserStatus::Active, u.memberships.clone(), true);

    // Tom is not his organisation's lead, so he cannot invite a colleague.
    let refused = invite(
        app.store(),
        &as_actor(&tom),
        Invitation {
            name: "Sam Green".into(),
            email: Email::parse("sam@example.org").unwrap(),
            membership: Membership::partner_staff(FOOD_BANK),
        },
        &base,
        "198.51.100.19",
        Utc::now(),
    )
    .await;
    assert!(
        matches!(refused, Err(InviteError::Denied(_))),
        "{refused:?}"
    );
    assert_eq!(audit_outcomes(&app, "invite_user").await, [Outcome::Denied]);

    let sam = invite(
        app.store(),
        &as_actor(&priya),
        Invitation {
            name: "Sam Green".into(),
            email: Email::parse("sam@example.org").unwrap(),
            membership: Membership::partner_staff(FOOD_BANK),
        },
        &base,
        "198.51.100.19",
        Utc::now(),
    )
    .await
    .expect("a place lead may invite");
    let mailer = deliver(&app).await;
    let email = &mailer.sent_to(&Email::parse("sam@example.org").unwrap())[0];
    let link = link_in(&email.body, "http://");
    let path = link.strip_prefix(&base).unwrap().to_owned();

    let mut browser = Browser::new(&app, "198.51.100.20");
    let weak = browser
        .fill_in(
            &path,
            &path,
            &[("password", "password123"), ("confirm", "password123")],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("easy to guess"), "{}", weak.body);
    // The form comes back with a fresh link, so Sam can try again straight away.
    let action = weak
        .body
        .split("action=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&#x2f;", "/");
    let accepted = browser
        .post(
            &action,
            &[
                ("password", "teapot violin glacier"),
                ("confirm", "teapot violin glacier"),
                ("csrf", &weak.hidden_csrf()),
            ],
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    let stored = app.store().user(sam).await.unwrap().unwrap();
    assert_eq!(stored.status, UserStatus::Active);

    let signed_in = browser
        .sign_in("sam@example.org", "teapot violin glacier")
        .await;
    assert_eq!(
        signed_in.location.as_deref(),
        Some("/staff/two-factor/set-up")
    );
    assert_eq!(
        audit_outcomes(&app, "invitation_accepted").await,
        [Outcome::Succeeded]
    );
}

#[tokio::test]
async fn a_place_lead_invites_a_partner_and_the_link_sets_a_password() {
    for backend in backends() {
        invitations(backend).await;
    }
}

#[tokio::test]
async fn anonymous_pages_set_no_cookie() {
    let app = app(Backend::Sqlite).await;
    for path in ["/", "/search?q=food", "/staff", "/staff/reset/nothing"] {
        let response = app.get(path).await;
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{path} sets no cookie"
        );
    }
    // The sign-in form sets its CSRF cookie, never a session, and only under /staff.
    let mut visitor = Browser::new(&app, "198.51.100.21");
    let form = visitor.get("/staff/sign-in").await;
    assert_eq!(form.set_cookies.len(), 1, "{:?}", form.set_cookies);
    let cookie = form.sets("knit_form").unwrap();
    assert!(cookie.contains("Path=/staff") && cookie.contains("SameSite=Strict"));
    assert!(visitor.session().is_none());
}

async fn email_retry(backend: Backend) {
    let app = app(backend).await;
    let asha = user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let mut browser = Browser::new(&app, "198.51.100.22");
    let asked = browser
        .fill_in(
            "/staff/reset",
            "/staff/reset",
            &[("email", "asha@example.org")],
        )
        .await;
    assert_eq!(asked.status, 200);

    // The outbox cannot be written (a file stands where its folder should be): the message
    // waits in the queue instead of being lost.
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("outbox"), "not a folder").unwrap();
    let broken = FileMailer::in_data_dir(data.path(), DEFAULT_FROM).unwrap();
    let now = Utc::now();
    let pass = queue::run_due(app.store(), &broken, now).await.unwrap();
    assert_eq!((pass.sent, pass.retrying, pass.dead), (0, 1, 0));

    // It is not tried again before its backoff, then it goes.
    let mailer = MemoryMailer::new();
    let early = queue::run_due(app.store(), &mailer, now + TimeDelta::seconds(10))
        .await
        .unwrap();
    assert_eq!(early.sent, 0);
    let later = queue::run_due(app.store(), &mailer, now + TimeDelta::seconds(31))
        .await
        .unwrap();
    assert_eq!(later.sent, 1);
    assert_eq!(mailer.sent_to(&asha.email).len(), 1);
}

#[tokio::test]
async fn an_email_that_cannot_be_sent_waits_in_the_queue_and_goes_later() {
    for backend in backends() {
        email_retry(backend).await;
    }
}

async fn invitation_page(backend: Backend) {
    let app = app(backend).await;
    let priya = user(
        &app,
        "Priya Shah",
        "priya@example.org",
        "lighthouse meadow cobble",
        vec![Membership::place_lead()],
    )
    .await;
    let tom = user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::partner_staff(FOOD_BANK)],
    )
    .await;
    with_two_factor(&app, priya.id, &secret(1), &["priy-aaaa-bbbb-cccc"]).await;
    with_two_factor(&app, tom.id, &secret(2), &["tomm-aaaa-bbbb-cccc"]).await;

    let mut browser = Browser::new(&app, "198.51.100.23");
    browser
        .sign_in("priya@example.org", "lighthouse meadow cobble")
        .await;
    assert_eq!(browser.two_factor("priy-aaaa-bbbb-cccc").await.status, 303);
    let page = browser.get("/staff").await;
    assert!(
        page.body.contains("href=\"/staff/invitations\""),
        "{}",
        page.body
    );
    let form = browser.get("/staff/invitations").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("<option value=\"coordinator\""),
        "{}",
        form.body
    );
    let sent = browser
        .post(
            "/staff/invitations",
            &[
                ("name", "Jo Carter"),
                ("email", "jo@example.org"),
                ("membership", "coordinator"),
                ("csrf", &form.hidden_csrf()),
            ],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("Invitation sent"));
    let mailer = deliver(&app).await;
    let jo = Email::parse("jo@example.org").unwrap();
    assert!(
        mailer.sent_to(&jo)[0]
            .body
            .contains("invited to Knit as coordinator")
    );
    let again = browser
        .post(
            "/staff/invitations",
            &[
                ("name", "Jo Carter"),
                ("email", "jo@example.org"),
                ("membership", "coordinator"),
                ("csrf", &form.hidden_csrf()),
            ],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already has an account"));

    // Tom is partner staff but not his organisation's lead: no invitations.
    let mut tom_browser = Browser::new(&app, "198.51.100.24");
    tom_browser
        .sign_in("tom@example.org", "marmalade bicycle harbour")
        .await;
    assert_eq!(
        tom_browser.two_factor("tomm-aaaa-bbbb-cccc").await.status,
        303
    );
    assert!(
        !tom_browser
            .get("/staff")
            .await
            .body
            .contains("/staff/invitations")
    );
    let refused = tom_browser.get("/staff/invitations").await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        audit_outcomes(&app, "invitation_sent").await,
        [Outcome::Succeeded]
    );
    assert_eq!(audit_outcomes(&app, "invite_user").await, [Outcome::Denied]);
}

#[tokio::test]
async fn a_place_lead_invites_from_her_staff_page_and_partner_staff_cannot() {
    for backend in backends() {
        invitation_page(backend).await;
    }
}

async fn idle_and_old_sessions(backend: Backend) {
    let app = app(backend).await;
    let tom = user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::connector()],
    )
    .await;
    let started = |minutes_ago: i64, byte: u8| {
        app.store().start_session(NewSession {
            user: Some(tom.id),
            two_factor_passed: false,
            replaces: None,
            random: SessionRandom {
                token: [byte; 32],
                csrf: [byte ^ 0xff; 32],
            },
            at: Utc::now() - TimeDelta::minutes(minutes_ago),
        })
    };
    for (minutes_ago, byte, live) in [(29, 1, true), (31, 2, false), (13 * 60, 3, false)] {
        let token = started(minutes_ago, byte).await.unwrap().token;
        let mut browser = Browser::new(&app, "198.51.100.25");
        browser.cookies.insert("knit_session".into(), token);
        let page = browser.get("/staff").await;
        let expected = if live { 200 } else { 303 };
        assert_eq!(page.status, expected, "a session {minutes_ago} minutes old");
    }
}

#[tokio::test]
async fn a_session_ends_after_half_an_hour_idle() {
    for backend in backends() {
        idle_and_old_sessions(backend).await;
    }
}

async fn reset_flood(backend: Backend) {
    let app = app(backend).await;
    let asha = user(
        &app,
        "Asha Patel",
        "asha@example.org",
        ASHA_PASSWORD,
        vec![Membership::coordinator()],
    )
    .await;
    let mut pest = Browser::new(&app, "203.0.113.40");
    for _ in 0..MAX_ACCOUNT_FAILURES {
        let asked = pest
            .fill_in(
                "/staff/reset",
                "/staff/reset",
                &[("email", "asha@example.org")],
            )
            .await;
        assert_eq!(asked.status, 200);
    }
    let refused = pest
        .fill_in(
            "/staff/reset",
            "/staff/reset",
            &[("email", "asha@example.org")],
        )
        .await;
    assert_eq!(refused.status, 429);
    assert_eq!(
        deliver(&app).await.sent_to(&asha.email).len(),
        MAX_ACCOUNT_FAILURES
    );
    // Asking for links did not lock Asha out of signing in.
    let signed_in = Browser::new(&app, "198.51.100.26")
        .sign_in("asha@example.org", ASHA_PASSWORD)
        .await;
    assert_eq!(signed_in.status, 303);
}

#[tokio::test]
async fn nobody_can_flood_a_colleagues_inbox_with_reset_links() {
    for backend in backends() {
        reset_flood(backend).await;
    }
}

async fn optional_two_factor(backend: Backend) {
    let app = app(backend).await;
    let tom = user(
        &app,
        "Tom Baker",
        "tom@example.org",
        "marmalade bicycle harbour",
        vec![Membership::connector()],
    )
    .await;
    with_two_factor(&app, tom.id, &secret(3), &["tomm-aaaa-bbbb-cccc"]).await;
    let mut browser = Browser::new(&app, "198.51.100.27");
    let signed_in = browser
        .sign_in("tom@example.org", "marmalade bicycle harbour")
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/staff/two-factor"));
    // Going straight to the staff page does not skip the second step.
    let skipped = browser.get("/staff").await;
    assert_eq!(skipped.status, 303);
    assert_eq!(skipped.location.as_deref(), Some("/staff/two-factor"));
    assert_eq!(browser.two_factor("tomm-aaaa-bbbb-cccc").await.status, 303);
    assert_eq!(browser.get("/staff").await.status, 200);
}

#[tokio::test]
async fn a_connector_who_turned_on_two_factor_cannot_skip_it() {
    for backend in backends() {
        optional_two_factor(backend).await;
    }
}

/// `knit demo`'s staff accounts exist, active, with the demo password and two-factor on from
/// the secret the demo prints, whose current code is accepted.
#[tokio::test]
async fn the_demo_staff_accounts_can_sign_in() {
    use knit::demo::staff::{DEMO_STAFF, DEMO_STAFF_PASSWORD};
    use knit_domain::password::verify_password;
    use knit_domain::totp::check_code;
    use knit_store::accounts::TwoFactor;

    let app = TestApp::spawn(Backend::Sqlite).await;
    assert_eq!(DEMO_STAFF.len(), 6);
    for staff in DEMO_STAFF {
        let user = app
            .store()
            .user_by_email(&Email::parse(staff.email).unwrap())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{} exists", staff.email));
        assert_eq!(user.status, UserStatus::Active, "{}", staff.email);
        let hash = user.password_hash.as_deref().expect("a password");
        assert!(
            verify_password(DEMO_STAFF_PASSWORD, hash),
            "{}",
            staff.email
        );
        let TwoFactor::On {
            secret,
            last_used_step,
        } = &user.two_factor
        else {
            panic!("{} has two-factor on", staff.email);
        };
        assert_eq!(secret.to_base32(), staff.secret().to_base32());
        let now = Utc::now();
        let code = code_at(&staff.secret(), now);
        let step = check_code(secret, &code, now, *last_used_step).expect("the code is accepted");
        assert!(app.store().record_totp_step(user.id, step).await.unwrap());
    }
}
