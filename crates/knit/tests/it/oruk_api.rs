//! The Open Referral UK API's own promises, beyond what the conformance checker covers.

use crate::support::{Backend, TestApp};

#[tokio::test]
async fn the_api_describes_itself() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, root) = app.get_json("/api/").await;
    assert_eq!(status, 200);
    assert_eq!(root["version"], "HSDS-UK-3.0");
    let openapi_url = root["openapi_url"].as_str().unwrap();
    assert!(openapi_url.ends_with("/api/openapi.json"));
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    for path in [
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/taxonomies",
        "/taxonomy_terms",
        "/organizations",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "the OpenAPI document lists {path}"
        );
    }
    let response = app.get("/api/services").await;
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "*"
    );
}

#[tokio::test]
async fn filters_combine_with_and() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let food = knit_domain::NeedId::parse("food").unwrap().term_id();
    let total = |v: &serde_json::Value| v["total_items"].as_u64().unwrap();
    let (_, all) = app.get_json("/api/services?per_page=1").await;
    let (_, food_only) = app
        .get_json(&format!(
            "/api/services?taxonomy_term_id={food}&per_page=500&full=true"
        ))
        .await;
    assert!(total(&food_only) > 0 && total(&food_only) < total(&all));
    for service in food_only["contents"].as_array().unwrap() {
        let terms: Vec<&str> = service["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["taxonomy_term_id"].as_str().unwrap())
            .collect();
        assert!(terms.contains(&food.to_string().as_str()));
    }
    let (_, food_on_tuesday) = app
        .get_json(&format!(
            "/api/services?taxonomy_term_id={food}&day=TU&per_page=500&full=true"
        ))
        .await;
    assert!(total(&food_on_tuesday) <= total(&food_only));
    for service in food_on_tuesday["contents"].as_array().unwrap() {
        let days: String = service["schedules"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["byday"].as_str())
            .collect();
        assert!(days.contains("TU"), "{}", service["name"]);
    }
}

#[tokio::test]
async fn unknown_ids_and_bad_parameters_are_clear_json_errors() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (path, status) in [
        ("/api/services/00000000-0000-0000-0000-000000000000", 404),
        ("/api/services/nonsense", 404),
        ("/api/taxonomies/nonsense", 404),
        (
            "/api/organizations/00000000-0000-0000-0000-000000000000",
            404,
        ),
        ("/api/services?page=0", 400),
        ("/api/services?minimum_age=old", 400),
        ("/api/services?day=Funday", 400),
        ("/api/services?start_time=noon", 400),
        ("/api/service_at_locations?proximity=1000", 400),
        (
            "/api/service_at_locations?postcode=ZZ99+9ZZ&proximity=1000",
            400,
        ),
        ("/api/nowhere", 404),
    ] {
        let (got, body) = app.get_json(path).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(
            body["error"].as_str().is_some_and(|m| !m.is_empty()),
            "{path} explains itself"
        );
    }
    let (status, page) = app.get_json("/api/services?page=1000000000").await;
    assert_eq!(status, 200);
    assert_eq!(page["empty"], true);
}
