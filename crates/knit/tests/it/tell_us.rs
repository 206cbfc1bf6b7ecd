//! "Tell us what's going on": Mary's own words become the help she needs, privately.

use crate::support::{Backend, TestApp, captured_logs};

const MARY: &str =
    "My ex keeps turning up at the house and the bailiffs are at the door. I can't sleep.";

async fn tell(app: &TestApp, fields: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/tell-us", app.base_url))
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn marys_words_put_safety_first_and_never_reach_a_log() {
    let logs = captured_logs();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, page) = app.get_text("/tell-us").await;
    assert_eq!(status, 200);
    assert!(page.contains("What&#39;s going on?") || page.contains("What's going on?"));

    let (status, page) = tell(
        &app,
        &[("text", MARY), ("near", crate::support::DEMO_POSTCODE)],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let crisis = page
        .find("class=\"crisis\"")
        .expect("a crisis box for domestic abuse");
    let picked = page.find("We picked up").expect("what we picked up");
    assert!(crisis < picked, "crisis contacts come first");
    let abuse = page
        .find("id=\"need-domestic-abuse\"")
        .expect("domestic abuse services");
    let debt = page.find("id=\"need-debt\"").expect("debt advice");
    assert!(abuse < debt, "safety before money");
    assert!(
        page.contains("<strong>bailiffs</strong> → Debt advice"),
        "says why: {page}"
    );
    assert!(page.contains("miles away"), "services near the person");

    let logged = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    for private in ["bailiffs", "ex keeps", "can't sleep"] {
        assert!(!logged.contains(private), "“{private}” reached a log line");
    }
}

#[tokio::test]
async fn a_giver_is_offered_volunteering_and_denials_are_respected() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, page) = tell(
        &app,
        &[(
            "text",
            "I used to be a chef and I'd love to cook for people",
        )],
    )
    .await;
    assert!(page.contains("id=\"need-volunteering\""), "{page}");
    assert!(
        !page.contains("id=\"need-food\""),
        "offering to cook is not needing food"
    );
    assert!(
        !page.contains("class=\"crisis\""),
        "no crisis box for an offer of help"
    );

    let (_, page) = tell(
        &app,
        &[("text", "my benefits are fine, it's the loneliness")],
    )
    .await;
    assert!(page.contains("id=\"need-loneliness\""), "{page}");
    assert!(
        !page.contains("id=\"need-benefits\""),
        "a need the person denies is not shown"
    );
}

#[tokio::test]
async fn empty_overlong_or_unreadable_text_gets_a_clear_message() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, page) = tell(&app, &[("text", "   ")]).await;
    assert_eq!(status, 400);
    assert!(page.contains("Tell us a little about"));
    let long = "word ".repeat(1000);
    let (status, page) = tell(&app, &[("text", long.as_str())]).await;
    assert_eq!(status, 400);
    assert!(page.contains("fewer than 2000 characters"));
    let broken = app
        .client
        .post(format!("{}/tell-us", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"text=%FF%FE".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let (status, page) = tell(&app, &[("text", "we need food"), ("near", "Nowheresville")]).await;
    assert_eq!(status, 400);
    assert!(page.contains("find a place called"), "{page}");
    let (status, page) = tell(&app, &[("text", "asdf qwer zxcv")]).await;
    assert_eq!(status, 200);
    assert!(page.contains("pick out the kind of help"), "{page}");
}
