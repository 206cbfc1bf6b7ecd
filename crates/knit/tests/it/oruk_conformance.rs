//! Open Referral UK 3.0 conformance: a checker that talks to a publisher over real HTTP,
//! tested first on the ORUK validator's own good and bad canned answers, then run on Knit.
//!
//! The schemas and the canned answers live in `shared/data` beside the project. Without that
//! folder these tests skip with a message, except under `CI=true`, where they fail.
//!
//! Other tests may call [`check_publisher`] with their own [`CheckOptions`].

#[path = "oruk/checker.rs"]
pub mod checker;
#[path = "oruk/filters.rs"]
mod filters;
#[path = "oruk/json_rules.rs"]
mod json_rules;
#[path = "oruk/knit_publisher.rs"]
mod knit_publisher;
#[path = "oruk/mock_publisher.rs"]
mod mock_publisher;
#[path = "oruk/paging.rs"]
mod paging;
#[path = "oruk/schemas.rs"]
mod schemas;
#[path = "oruk/tampering_proxy.rs"]
mod tampering_proxy;

use std::path::PathBuf;

pub use checker::{CheckOptions, PostcodeProbe, Violation, check_publisher};

/// `shared/data`; `None` (after saying why) when the shared folder is absent outside CI.
pub fn shared_data() -> Option<PathBuf> {
    crate::support::shared_dir().map(|shared| shared.join("data"))
}

/// The options for the validator's mocks, which answer every query with the same file:
/// one item per page keeps their page headers consistent, and nothing that needs real
/// filtering or paging is asked of them.
fn mock_options(data: &std::path::Path) -> CheckOptions {
    CheckOptions {
        per_page: 1,
        check_filters: false,
        // The Default organization list is itself non-conformant (ids such as "attr-001", an
        // empty array), and organizations are HSDS superset endpoints outside ORUK.
        check_organizations: false,
        // The mock's openapi_url points at the public internet.
        check_openapi_url: false,
        check_page_beyond_last: false,
        postcode: None,
        ..CheckOptions::full(data.join("oruk-3.0"))
    }
}

/// The violations as lines for a failure message; a publisher broken at the root can break
/// the same rule hundreds of times, so the list is cut short.
fn report(violations: &[Violation]) -> String {
    const SHOWN: usize = 60;
    let mut lines: String = violations
        .iter()
        .take(SHOWN)
        .map(|v| format!("  {v}\n"))
        .collect();
    if violations.len() > SHOWN {
        lines.push_str(&format!("  … and {} more\n", violations.len() - SHOWN));
    }
    lines
}

#[tokio::test]
async fn oruk_checker_passes_the_validators_default_mocks() {
    let Some(data) = shared_data() else { return };
    let mocks = data.join("oruk-validator/mocks/V3.0-UK-Default");
    let base = mock_publisher::serve_mock_folder(&mocks).await.unwrap();
    let violations = check_publisher(&base, &mock_options(&data)).await;
    assert!(
        violations.is_empty(),
        "the Default mocks should pass:\n{}",
        report(&violations)
    );
}

#[tokio::test]
async fn oruk_checker_fails_the_validators_fail_mocks_for_the_right_reasons() {
    let Some(data) = shared_data() else { return };
    let mocks = data.join("oruk-validator/mocks/V3.0-UK-Fail");
    let base = mock_publisher::serve_mock_folder(&mocks).await.unwrap();
    let violations = check_publisher(&base, &mock_options(&data)).await;
    let found = |endpoint: &str, words: &str| {
        violations
            .iter()
            .any(|v| v.endpoint.starts_with(endpoint) && v.message.contains(words))
    };
    let expected = [
        // api_details.json has no profile and a relative openapi_url.
        ("GET /", "profile is missing"),
        ("GET /", "\"uri\""),
        // service_list.json: a service without a name.
        ("GET /services?page=1", "\"name\" is a required property"),
        // service_full.json: an email and a URL that are neither.
        ("GET /services/ac148810", "\"email\""),
        ("GET /services/ac148810", "\"uri\""),
        // taxonomy_term_list.json lists an id that has no item behind it.
        ("GET /taxonomy_terms/0bc248fa", "status 404, expected 200"),
        // service_at_location_list.json claims ten pages but holds the same item on each.
        (
            "GET /service_at_locations?page=2",
            "page_number 1 but page 2",
        ),
    ];
    let missing: Vec<_> = expected.iter().filter(|(e, w)| !found(e, w)).collect();
    assert!(
        missing.is_empty(),
        "expected violations not reported: {missing:?}\nreported:\n{}",
        report(&violations)
    );
}

#[tokio::test]
async fn oruk_checker_reports_a_publisher_that_is_not_there() {
    let Some(data) = shared_data() else { return };
    // Bind then drop a listener, so the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let violations =
        check_publisher(&format!("http://127.0.0.1:{port}"), &mock_options(&data)).await;
    assert!(
        violations
            .iter()
            .any(|v| v.endpoint == "GET /" && v.message.starts_with("request failed"))
    );
}
