//! Gwen reads the site in Welsh: she chooses Cymraeg once on the home page, and every page
//! after that — the results, a service, asking for a call back, even a mistake on the form —
//! speaks Welsh, while each service's own words keep their language. On every backend.

use crate::staff_pages::Browser;
use crate::support::{TestApp, backends};

#[tokio::test]
async fn the_public_journey_works_in_welsh_on_every_backend() {
    for backend in backends() {
        gwen_reads_the_site_in_welsh(TestApp::spawn(backend).await).await;
    }
}

async fn gwen_reads_the_site_in_welsh(app: TestApp) {
    let mut gwen = Browser::new(&app, "203.0.113.40");

    let home = gwen.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<html lang=\"en-GB\">"));
    assert!(
        home.text().contains("href=\"/?lang=cy\""),
        "the switch is a plain link: {}",
        home.body
    );
    assert!(home.text().contains(">Cymraeg</a>"));

    let home = gwen.get("/?lang=cy").await;
    assert_eq!(home.status, 200);
    assert!(home.text().contains("<html lang=\"cy\">"));
    assert!(home.text().contains("Dod o hyd i help yn agos atoch chi"));
    assert!(
        home.text().contains("Gadael y dudalen hon"),
        "the quick exit"
    );
    assert!(home.text().contains("Cymorth gyda bwyd"), "needs in Welsh");
    assert!(home.text().contains(">English</a>"));
    assert!(!home.text().contains("Find help near you"));

    // The choice is kept: no `lang` in the address from here on.
    let results = gwen.get("/search?q=food&near=KF1+1AA").await;
    assert_eq!(results.status, 200);
    assert!(results.text().contains("<html lang=\"cy\">"));
    assert!(
        results.text().contains("gwasanaeth wedi'u canfod")
            || results.text().contains("Un gwasanaeth wedi'i ganfod"),
        "{}",
        results.body
    );
    assert!(results.text().contains("Hidlo'r canlyniadau"));
    assert!(results.text().contains("milltir i ffwrdd"));
    assert!(
        results
            .text()
            .contains("href=\"/search?q=food&amp;near=KT12+1AA&amp;lang=en\"")
            || results
                .text()
                .contains("href=\"/search?q=food&near=KF1+1AA&lang=en\""),
        "the switch keeps the search: {}",
        results.body
    );
    let first = results
        .body
        .split("<h2><a href=\"")
        .nth(1)
        .expect("a result")
        .split('"')
        .next()
        .unwrap()
        .to_owned();

    let service = gwen.get(&first).await;
    assert_eq!(service.status, 200);
    assert!(service.text().contains("Sut i gael help"));
    assert!(service.text().contains("Pryd mae ar agor"));
    assert!(service.text().contains("Gwiriwyd ddiwethaf"));
    assert!(
        service.text().contains("<h1 lang=\"en-GB\">"),
        "the service's name keeps its own language"
    );

    let form = gwen.get("/call-back").await;
    assert!(form.text().contains("Sut mae'n ddiogel cysylltu â chi?"));
    let refused = gwen
        .post("/call-back", &[("name", "Gwen"), ("phone", "07700 900123")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.text().contains("Mae problem"));
    assert!(
        refused
            .body
            .contains("Ticiwch y blwch i ddweud y cawn gadw hyn"),
        "{}",
        refused.body
    );
    assert!(
        refused.text().contains("value=\"Gwen\""),
        "what was typed is kept"
    );
    let sent = gwen
        .post(
            "/call-back",
            &[
                ("name", "Gwen"),
                ("phone", "07700 900123"),
                ("safe_to_call", "on"),
                (
                    "what_is_going_on",
                    "I can't pay the rent and I feel very alone",
                ),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.text().contains("Diolch: byddwn mewn cysylltiad"));

    let missing = gwen.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Heb ddod o hyd i'r dudalen"));

    // Back to English with one link, kept the same way.
    let english = gwen.get("/training?lang=en").await;
    assert!(english.text().contains("<html lang=\"en-GB\">"));
    let again = gwen.get("/").await;
    assert!(again.text().contains("Find help near you"));
}

#[tokio::test]
async fn a_browser_that_prefers_welsh_gets_welsh_without_choosing() {
    let app = TestApp::spawn(backends()[0]).await;
    let response = app
        .client
        .get(format!("{}/tell-us", app.base_url))
        .header("accept-language", "cy-GB, cy;q=0.9, en;q=0.5")
        .send()
        .await
        .unwrap();
    assert!(
        response.headers().get("set-cookie").is_none(),
        "no cookie unless the visitor chooses"
    );
    let vary: Vec<&str> = response
        .headers()
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("accept-language")),
        "caches keep the languages apart: {vary:?}"
    );
    let body = text(&response.text().await.unwrap());
    assert!(body.contains("<html lang=\"cy\">"));
    assert!(body.contains("Dywedwch wrthym beth sy'n digwydd"));
}

#[tokio::test]
async fn the_pages_for_taking_part_speak_welsh_too() {
    let app = TestApp::spawn(backends()[0]).await;
    let mut gwen = Browser::new(&app, "203.0.113.41");
    let pages = [
        (
            "/volunteer?lang=cy",
            "Gwirfoddoli yn agos atoch chi",
            "Volunteer near you",
        ),
        (
            "/whats-on",
            "Beth sy'n digwydd yr wythnos hon",
            "What's on this week",
        ),
        ("/start-a-group", "Dechrau grŵp", "Start a group"),
        (
            "/volunteer/events",
            "Digwyddiadau paru gwirfoddolwyr",
            "Volunteer match events",
        ),
        ("/fund", "Cronfa leol", "Local fund"),
        (
            "/insight/map",
            "Pwy sy'n gwneud beth ble",
            "Who does what where",
        ),
        (
            "/assets",
            "Lleoedd, cerbydau a help i'w benthyg",
            "Spaces, vehicles and help to borrow",
        ),
    ];
    for (path, welsh, english) in pages {
        let page = gwen.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let text = page.text();
        assert!(text.contains("<html lang=\"cy\">"), "{path}");
        assert!(text.contains(welsh), "{path} in Welsh: {text}");
        assert!(!text.contains(english), "{path} has no English: {text}");
    }
    // What fits her strengths is posted, so it is read from the answer.
    let fits = gwen
        .post(
            "/volunteer/strengths",
            &[("skills", "driving"), ("passions", "walking")],
        )
        .await;
    assert_eq!(fits.status, 200);
    let text = fits.text();
    assert!(text.contains("<html lang=\"cy\">"));
    assert!(text.contains("Rolau a allai fod yn addas i chi"), "{text}");
    assert!(!text.contains("Roles that could suit you"), "{text}");
    let whats_on = gwen.get("/whats-on").await.text();
    assert!(
        whats_on.contains("Pob gweithgaredd") && whats_on.contains("lang=\"en-GB\""),
        "the activities keep their own language: {whats_on}"
    );
    let refused = gwen.post("/start-a-group", &[("name", "Gwen")]).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("Rhowch rif ffôn neu gyfeiriad e-bost"),
        "{}",
        refused.body
    );
    let assets = gwen.get("/assets?capacity=lots").await;
    assert_eq!(assets.status, 422);
    assert!(assets.text().contains("Rhowch nifer y bobl fel rhif cyfan"));
    let roles = gwen.get("/volunteer").await.body;
    let at = roles.find("href=\"/volunteer/").expect("a role") + 6;
    let role = roles[at..].split('"').next().unwrap().to_owned();
    let page = gwen.get(&role).await;
    assert!(
        page.text().contains("Mae gen i ddiddordeb"),
        "{}",
        page.body
    );
    assert!(!page.text().contains("I'm interested"));
    let refused = gwen
        .post(&role, &[("name", "Gwen"), ("contact", "gwen@example.org")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .text()
            .contains("Ticiwch y blwch er mwyn i'r sefydliad gael cysylltu â chi"),
        "{}",
        refused.body
    );
    let roles = gwen.get("/volunteer?within=900").await;
    assert_eq!(roles.status, 400);
    assert!(roles.text().contains("Dewiswch bellter o'r rhestr"));
}

/// A page's HTML with the escapes askama writes turned back into characters, so the test
/// reads the words a visitor reads.
fn text(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

trait Readable {
    fn text(&self) -> String;
}

impl Readable for crate::staff_pages::Page {
    fn text(&self) -> String {
        text(&self.body)
    }
}
