//! The public directory as a resident meets it, over real HTTP, on SQLite and PostgreSQL.

use crate::support::{Backend, DEMO_POSTCODE, DEMO_POSTCODE_POINT, TestApp, backends};

#[test]
fn demo_postcode_is_in_the_demo() {
    let point = knit::demo::postcodes()
        .into_iter()
        .find(|p| p.postcode.as_str() == DEMO_POSTCODE)
        .expect("the demo has the test postcode");
    assert_eq!(
        (point.position.lat, point.position.lon),
        DEMO_POSTCODE_POINT
    );
}

async fn a_resident_finds_food_help_near_home(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("What do you need help with?"),
        "the home page has the search box"
    );
    assert!(home.contains("Exit this page"));
    assert!(
        home.contains("/search?need=domestic-abuse"),
        "browse by need links every need"
    );

    let (status, results) = app
        .get_text(&format!(
            "/search?q=food&near={}",
            DEMO_POSTCODE.replace(' ', "+")
        ))
        .await;
    assert_eq!(status, 200, "{results}");
    assert!(
        results.contains("services found for “food” near KF1 1AA"),
        "{results}"
    );
    assert!(
        results.contains("miles away"),
        "results near a postcode say how far"
    );
    assert!(
        results.contains("Why this result"),
        "results say why they matched"
    );
    assert!(
        results.len() < 30_000,
        "a results page is {} bytes",
        results.len()
    );

    let first_link = results
        .split("<h2><a href=\"")
        .nth(1)
        .expect("a result")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let (status, page) = app.get_text(&first_link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Last checked"));
    assert!(page.contains("Report a problem with this page"));
}

#[tokio::test]
async fn a_resident_finds_food_help_near_home_on_every_backend() {
    for backend in backends() {
        a_resident_finds_food_help_near_home(backend).await;
    }
}

#[tokio::test]
async fn slang_finds_money_help() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, results) = app.get_text("/search?q=skint").await;
    assert_eq!(status, 200);
    assert!(
        !results.contains("No services found"),
        "“skint” finds money help: {results}"
    );
}

#[tokio::test]
async fn filters_narrow_the_results() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let count = |html: &str| html.matches("<li>\n  <h2><a href=").count();
    let (_, all) = app.get_text("/search?need=physical-activity").await;
    let (_, free) = app.get_text("/search?need=physical-activity&free=1").await;
    assert!(count(&free) <= count(&all));
    let (status, _) = app
        .get_text("/search?need=physical-activity&age=70&day=tue&way_in=drop-in&delivery=in-person")
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_never_a_500() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let long = "a".repeat(10_000);
    for (path, expected_status, says) in [
        (
            "/search?q=food&near=ZZ99+9ZZ".to_owned(),
            400,
            "know the postcode ZZ99 9ZZ",
        ),
        (
            "/search?q=food&near=Nowheresville".to_owned(),
            400,
            "find a place called",
        ),
        (
            "/search?q=food&page=1000000000".to_owned(),
            404,
            "There is no page 1000000000",
        ),
        (
            "/search?q=food&page=99999999999999".to_owned(),
            400,
            "Page must be a whole number",
        ),
        (format!("/search?q={long}"), 400, "Your search is too long"),
        (
            "/search?q=%FF%FE".to_owned(),
            400,
            "characters we can&#39;t read",
        ),
        (
            "/search?need=cake".to_owned(),
            400,
            "is not a need Knit knows",
        ),
        (
            "/search?age=old".to_owned(),
            400,
            "Age must be a whole number",
        ),
        ("/services/not-a-uuid".to_owned(), 404, "find that service"),
        (
            "/services/00000000-0000-0000-0000-000000000000".to_owned(),
            404,
            "find that service",
        ),
        ("/nowhere".to_owned(), 404, "find that page"),
    ] {
        let (status, body) = app.get_text(&path).await;
        assert_eq!(status, expected_status, "{path}: {body}");
        assert!(body.contains(says), "{path} should say {says:?}: {body}");
    }
}

#[tokio::test]
async fn a_partial_postcode_falls_back_to_its_district() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, body) = app.get_text("/search?q=food&near=KF1").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.get_text("/search?q=food&near=KF1+1ZZ").await;
    assert_eq!(
        status, 200,
        "an unknown postcode in a known sector falls back: {body}"
    );
    assert!(body.contains("the area around KF1 1ZZ"), "{body}");
}

/// A public form that writes must say it comes from this site: another site's page, or a
/// script that names no origin, is refused before anything is stored.
#[tokio::test]
async fn public_forms_refuse_what_does_not_come_from_this_site() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let service = knit::demo::directory()[0].id;
    let silent = reqwest::Client::new();
    let report = format!("{}/services/{service}/report", app.base_url);
    let call_back = format!("{}/call-back", app.base_url);
    let attempts = [
        silent.post(&report).form(&[("what", "No origin at all")]),
        silent
            .post(&report)
            .header("origin", "null")
            .form(&[("what", "A null origin and nothing else")]),
        app.client
            .post(&report)
            .header("origin", "https://evil.example")
            .form(&[("what", "From another site")]),
        silent
            .post(&call_back)
            .header("sec-fetch-site", "cross-site")
            .form(&[
                ("name", "Eve"),
                ("phone", "07700 900002"),
                ("consent", "yes"),
            ]),
    ];
    for attempt in attempts {
        let response = attempt.send().await.unwrap();
        assert_eq!(response.status(), 403);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("not sent from this site")
        );
    }
    assert!(app.store().problem_reports().await.unwrap().is_empty());
    // A browser that sends a null origin but says the form is its own page's is heard.
    let kept = silent
        .post(&report)
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&[("what", "The phone number is out of date")])
        .send()
        .await
        .unwrap();
    assert_eq!(kept.status(), 200);
    assert_eq!(app.store().problem_reports().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_problem_report_is_kept_for_the_place_leads() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let service = knit::demo::directory()[0].id;
    let response = app
        .client
        .post(format!("{}/services/{service}/report", app.base_url))
        .form(&[("what", "The Tuesday session has moved to Wednesday.")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Thank you for your report")
    );
    let reports = app.store().problem_reports().await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].service_id, service);

    let empty = app
        .client
        .post(format!("{}/services/{service}/report", app.base_url))
        .form(&[("what", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 400);
    let broken = app
        .client
        .post(format!("{}/services/{service}/report", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"what=%FF%FE".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(
        broken.status(),
        400,
        "broken UTF-8 in a form is a clear 400"
    );
    assert_eq!(
        app.store().problem_reports().await.unwrap().len(),
        1,
        "nothing half-stored"
    );
}

#[tokio::test]
async fn public_pages_are_private_and_safe() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for path in ["/", "/search?q=debt", "/nowhere"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert!(headers.get("set-cookie").is_none(), "{path} sets no cookie");
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
        let body = response.text().await.unwrap();
        assert!(!body.contains("<script>"), "{path} has no inline script");
        for attr in ["src=\"http", "href=\"//"] {
            assert!(
                !body.contains(attr),
                "{path} loads nothing from another site ({attr})"
            );
        }
    }
}

#[tokio::test]
async fn a_confidential_refuge_address_never_appears() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let refuge = knit::demo::directory()
        .into_iter()
        .find(|s| {
            s.service_at_locations
                .iter()
                .any(|sal| sal.location.as_ref().is_some_and(|l| l.confidential))
        })
        .expect("the demo has a refuge");
    let hidden = refuge
        .service_at_locations
        .iter()
        .filter_map(|sal| sal.location.as_ref())
        .find(|l| l.confidential)
        .unwrap();
    let secret = &hidden.addresses[0].address_1;
    for path in [
        format!("/services/{}", refuge.id),
        format!("/api/services/{}", refuge.id),
        "/api/services?full=true&per_page=500".to_owned(),
        "/api/service_at_locations?per_page=500".to_owned(),
        "/search?need=domestic-abuse".to_owned(),
    ] {
        let (_, body) = app.get_text(&path).await;
        assert!(
            !body.contains(secret.as_str()),
            "{path} shows the refuge's address"
        );
        assert!(
            !body.contains(&hidden.id.to_string()),
            "{path} shows the refuge's location id"
        );
    }
}
