//! The place leads' staff pages — users and the audit log — over real HTTP, with a browser
//! that keeps its cookies, on SQLite and on PostgreSQL. Priya is the place lead; Ravi is a
//! coordinator she looks after. Users are made through the store and sign in over HTTP.

use std::collections::BTreeMap;

use chrono::{TimeDelta, Utc};
use knit_domain::account::{Email, Membership, Role, UserStatus};
use knit_domain::audit::Outcome;
use knit_domain::password::hash_password;
use knit_domain::totp::{TotpSecret, code_at};
use knit_store::accounts::{AuditFilter, NewUser, User};

use crate::support::{Backend, TestApp, backends};

pub(crate) const PASSWORD: &str = "kettle orchard lantern";

/// An active user with this password; with two-factor on (set up long ago) when `secret`
/// is given.
pub(crate) async fn make_user(
    app: &TestApp,
    name: &str,
    email: &str,
    memberships: Vec<Membership>,
    secret: Option<&TotpSecret>,
) -> User {
    let store = app.store();
    let user = store
        .create_user(NewUser {
            name: name.to_owned(),
            email: Email::parse(email).unwrap(),
            status: UserStatus::Active,
            password_hash: Some(hash_password(PASSWORD)),
            memberships,
            at: Utc::now(),
        })
        .await
        .expect("the user is created");
    if let Some(secret) = secret {
        store.set_totp_secret(user.id, secret).await.unwrap();
        let long_ago = (Utc::now().timestamp() as u64) / 30 - 100;
        assert!(store.confirm_totp(user.id, long_ago).await.unwrap());
    }
    user
}

/// A member of staff with two-factor set up (its secret made from `seed`, so each test's
/// people differ), signed in from `address`.
pub(crate) async fn signed_in<'a>(
    app: &'a TestApp,
    name: &str,
    email: &str,
    memberships: Vec<Membership>,
    seed: u8,
    address: &str,
) -> (User, Browser<'a>) {
    let secret = TotpSecret::from_random_bytes([seed; 20]);
    let user = make_user(app, name, email, memberships, Some(&secret)).await;
    let mut browser = Browser::new(app, address);
    browser.sign_in(email, Some(&secret)).await;
    (user, browser)
}

/// A browser: keeps the cookies it is given, sends them back, follows no redirect by itself.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    /// Stands for the network address the browser is at.
    address: String,
    /// The signed-in session's CSRF token, once read from a page.
    pub csrf: String,
    /// Seconds ahead of now to take the two-factor code from: a second sign-in within one
    /// 30-second step needs the next step's code, as the first one's is spent.
    pub code_ahead: i64,
}

pub(crate) struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

pub(crate) fn field_value(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    let rest = &html[start..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp, address: &str) -> Browser<'a> {
        Browser {
            app,
            cookies: BTreeMap::new(),
            address: address.to_owned(),
            csrf: String::new(),
            code_ahead: 0,
        }
    }

    pub(crate) async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
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
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        for cookie in response.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().unwrap();
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
            body: response.text().await.unwrap(),
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let request = self.app.client.get(format!("{}{path}", self.app.base_url));
        self.send(request).await
    }

    pub(crate) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self
            .app
            .client
            .post(format!("{}{path}", self.app.base_url))
            .form(form);
        self.send(request).await
    }

    /// Posts a form with the session's CSRF token added.
    pub(crate) async fn submit(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut form = form.to_vec();
        form.push(("csrf", &csrf));
        self.post(path, &form).await
    }

    /// Signs in with the password, and with a code from `secret` when two-factor is on; then
    /// reads the session's CSRF token from the staff page.
    pub(crate) async fn sign_in(&mut self, email: &str, secret: Option<&TotpSecret>) {
        let form = self.get("/staff/sign-in").await;
        let csrf = field_value(&form.body, "csrf").expect("a CSRF field");
        let page = self
            .post(
                "/staff/sign-in",
                &[("email", email), ("password", PASSWORD), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(page.status, 303, "{email} signs in: {}", page.body);
        if let Some(secret) = secret {
            assert_eq!(page.location.as_deref(), Some("/staff/two-factor"));
            let form = self.get("/staff/two-factor").await;
            let csrf = field_value(&form.body, "csrf").expect("a CSRF field");
            let code = code_at(secret, Utc::now() + TimeDelta::seconds(self.code_ahead));
            let page = self
                .post("/staff/two-factor", &[("code", &code), ("csrf", &csrf)])
                .await;
            assert_eq!(page.status, 303, "{email} passes two-factor: {}", page.body);
        }
        let staff = self.get("/staff").await;
        assert_eq!(staff.status, 200, "{email} reaches /staff: {}", staff.body);
        self.csrf = field_value(&staff.body, "csrf").expect("the sign-out form's token");
    }
}

fn secret(byte: u8) -> TotpSecret {
    TotpSecret::from_random_bytes([byte; 20])
}

async fn audit_of(app: &TestApp, action: &str) -> Vec<knit_domain::audit::AuditEvent> {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    app.store().audit_events(0, 1000, &filter).await.unwrap()
}

async fn a_place_lead_manages_users(backend: Backend) {
    let app = TestApp::spawn_with(backend, |_| Box::pin(async {})).await;
    let (priya_secret, ravi_secret) = (secret(1), secret(2));
    let priya = make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&priya_secret),
    )
    .await;
    let ravi = make_user(
        &app,
        "Ravi Kumar",
        "ravi@example.org",
        vec![Membership::coordinator()],
        Some(&ravi_secret),
    )
    .await;
    let mut priya_browser = Browser::new(&app, "198.51.100.20");
    priya_browser
        .sign_in("priya@example.org", Some(&priya_secret))
        .await;
    let mut ravi_browser = Browser::new(&app, "198.51.100.21");
    ravi_browser
        .sign_in("ravi@example.org", Some(&ravi_secret))
        .await;

    let list = priya_browser.get("/staff/users").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("Ravi Kumar") && list.body.contains("ravi@example.org"));
    assert!(list.body.contains("Page 1 of 1"), "{}", list.body);
    let ravi_page = format!("/staff/users/{}", ravi.id);
    assert!(list.body.contains(&ravi_page));

    // A role added, then taken away again, each audited with who did it to whom.
    let add = priya_browser
        .submit(&format!("{ravi_page}/roles"), &[("add", "connector")])
        .await;
    assert_eq!(add.status, 303, "{}", add.body);
    let stored = app.store().user(ravi.id).await.unwrap().unwrap();
    assert!(stored.memberships.contains(&Membership::connector()));
    let shown = priya_browser.get(&ravi_page).await;
    assert!(shown.body.contains("Connector"), "{}", shown.body);
    let remove = priya_browser
        .submit(&format!("{ravi_page}/roles"), &[("remove", "connector")])
        .await;
    assert_eq!(remove.status, 303, "{}", remove.body);
    let stored = app.store().user(ravi.id).await.unwrap().unwrap();
    assert_eq!(stored.memberships, vec![Membership::coordinator()]);
    let changes = audit_of(&app, "role_changed").await;
    assert_eq!(changes.len(), 2);
    for change in &changes {
        assert_eq!(change.actor, Some(priya.id));
        assert_eq!(change.actor_role, Some(Role::PlaceLead));
        assert_eq!(change.object_id, Some(ravi.id.to_string()));
        assert_eq!(change.address.as_deref(), Some("198.51.100.20"));
    }

    // A partner role needs its organisation: the form says so and nothing changes.
    let missing = priya_browser
        .submit(&format!("{ravi_page}/roles"), &[("add", "partner_staff")])
        .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert!(missing.body.contains("need an organisation id"));

    // A form without its token changes nothing.
    let forged = priya_browser
        .post(&format!("{ravi_page}/suspend"), &[("csrf", "0")])
        .await;
    assert_eq!(forged.status, 403);
    let stored = app.store().user(ravi.id).await.unwrap().unwrap();
    assert_eq!(stored.status, UserStatus::Active);

    // Suspending Ravi ends his session at once.
    let suspend = priya_browser
        .submit(&format!("{ravi_page}/suspend"), &[])
        .await;
    assert_eq!(suspend.status, 303, "{}", suspend.body);
    let stored = app.store().user(ravi.id).await.unwrap().unwrap();
    assert_eq!(stored.status, UserStatus::Suspended);
    let after = ravi_browser.get("/staff").await;
    assert_eq!(after.status, 303);
    assert_eq!(after.location.as_deref(), Some("/staff/sign-in"));
    let suspended = audit_of(&app, "suspended").await;
    assert_eq!(suspended.len(), 1);
    assert_eq!(suspended[0].outcome, Outcome::Succeeded);
    assert_eq!(suspended[0].object_id, Some(ravi.id.to_string()));

    // Priya cannot suspend herself, and her page offers no button to.
    let own = format!("/staff/users/{}", priya.id);
    let own_page = priya_browser.get(&own).await;
    assert_eq!(own_page.status, 200);
    assert!(!own_page.body.contains("Suspend this account"));
    let herself = priya_browser.submit(&format!("{own}/suspend"), &[]).await;
    assert_eq!(herself.status, 409, "{}", herself.body);
    assert!(herself.body.contains("You cannot suspend yourself"));
    let stored = app.store().user(priya.id).await.unwrap().unwrap();
    assert_eq!(stored.status, UserStatus::Active);

    // Reinstated, Ravi signs in again.
    let reinstate = priya_browser
        .submit(&format!("{ravi_page}/reinstate"), &[])
        .await;
    assert_eq!(reinstate.status, 303, "{}", reinstate.body);
    assert_eq!(audit_of(&app, "reinstated").await.len(), 1);
    let mut ravi_again = Browser::new(&app, "198.51.100.22");
    ravi_again.code_ahead = 30;
    ravi_again
        .sign_in("ravi@example.org", Some(&ravi_secret))
        .await;

    // Reinstating an active account is refused.
    let again = priya_browser
        .submit(&format!("{ravi_page}/reinstate"), &[])
        .await;
    assert_eq!(again.status, 409);
}

#[tokio::test]
async fn a_place_lead_changes_roles_suspends_and_reinstates() {
    for backend in backends() {
        a_place_lead_manages_users(backend).await;
    }
}

async fn a_place_lead_reads_the_audit_log(backend: Backend) {
    let app = TestApp::spawn_with(backend, |_| Box::pin(async {})).await;
    let priya_secret = secret(3);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&priya_secret),
    )
    .await;
    let connector = make_user(
        &app,
        "Sam Connor",
        "sam@example.org",
        vec![Membership::connector()],
        None,
    )
    .await;
    // Sam signs in and out 30 times: more events of his than one page shows.
    for _ in 0..30 {
        let mut sam = Browser::new(&app, "198.51.100.31");
        sam.sign_in("sam@example.org", None).await;
        sam.submit("/staff/sign-out", &[]).await;
    }
    let mut priya = Browser::new(&app, "198.51.100.30");
    priya
        .sign_in("priya@example.org", Some(&priya_secret))
        .await;

    let page = priya.get("/staff/audit?actor=sam%40example.org").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let rows = page.body.matches("class=\"audit-event\"").count();
    assert_eq!(rows, 50, "a page holds 50 events");
    assert!(page.body.contains("Sam Connor"));
    assert!(!page.body.contains("Priya Shah"), "only Sam's events");
    // Newest first: the sequence numbers shown go down.
    let seqs: Vec<u64> = page
        .body
        .split("<tr class=\"audit-event\"><td>")
        .skip(1)
        .map(|s| s[..s.find('<').unwrap()].parse().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "{seqs:?}");
    let older = page
        .body
        .split("href=\"/staff/audit?")
        .nth(1)
        .map(|s| {
            s[..s.find('"').unwrap()]
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        })
        .expect("a link to older events");
    let rest = priya.get(&format!("/staff/audit?{older}")).await;
    assert_eq!(rest.status, 200, "{}", rest.body);
    let sam_events = app
        .store()
        .audit_events(
            0,
            1000,
            &AuditFilter {
                actor: Some(connector.id),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap()
        .len();
    assert_eq!(
        50 + rest.body.matches("class=\"audit-event\"").count(),
        sam_events,
        "the second page holds the rest"
    );

    let signed_out = priya.get("/staff/audit?action=signed_out").await;
    assert_eq!(signed_out.body.matches("class=\"audit-event\"").count(), 30);
    let nobody = priya.get("/staff/audit?actor=nobody%40example.org").await;
    assert!(nobody.body.contains("No account has this email address"));

    let check = priya.submit("/staff/audit/check", &[]).await;
    assert_eq!(check.status, 200, "{}", check.body);
    assert!(
        check.body.contains("the audit log is intact"),
        "{}",
        check.body
    );
}

#[tokio::test]
async fn a_place_lead_filters_pages_and_checks_the_audit_log() {
    for backend in backends() {
        a_place_lead_reads_the_audit_log(backend).await;
    }
}
