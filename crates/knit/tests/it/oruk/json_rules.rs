//! ORUK rules about values that the schemas leave open: optional fields are omitted rather
//! than null or empty, identifiers are UUIDs, and `last_modified` is an RFC 3339 timestamp.

use serde_json::Value;

/// Everything in `body` that breaks the value rules, each message naming its JSON path.
///
/// A page's own `contents` array may be empty (an empty page is still a page), so the caller
/// says whether `body` is a page.
pub fn value_rule_breaks(body: &Value, is_page: bool) -> Vec<String> {
    let mut found = Vec::new();
    match (body, is_page) {
        (Value::Object(map), true) => {
            for (key, child) in map {
                let path = format!("/{key}");
                match (key.as_str(), child) {
                    ("contents", Value::Array(items)) => {
                        for (i, item) in items.iter().enumerate() {
                            walk(item, &format!("/contents/{i}"), &mut found);
                        }
                    }
                    _ => walk(child, &path, &mut found),
                }
            }
        }
        _ => walk(body, "", &mut found),
    }
    found
}

fn walk(value: &Value, path: &str, found: &mut Vec<String>) {
    match value {
        Value::Null => found.push(format!("{path} is null; omit a field that has no value")),
        Value::String(s) if s.trim().is_empty() => {
            found.push(format!("{path} is an empty string; omit it instead"));
        }
        Value::Array(items) if items.is_empty() => {
            found.push(format!("{path} is an empty array; omit it instead"));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}/{i}"), found);
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                let child_path = format!("{path}/{key}");
                if let Value::String(text) = child {
                    if is_id_key(key) && uuid::Uuid::try_parse(text).is_err() {
                        found.push(format!("{child_path} = {text:?} is not a UUID"));
                    }
                    if key == "last_modified" && chrono::DateTime::parse_from_rfc3339(text).is_err()
                    {
                        found.push(format!("{child_path} = {text:?} is not RFC 3339"));
                    }
                }
                walk(child, &child_path, found);
            }
        }
        _ => {}
    }
}

/// The UK compliance rule the schema does not state: a service names its organization
/// (`organization_id`, or an embedded `organization`), and the two agree when both are given.
pub fn service_organization_breaks(service: &Value) -> Vec<String> {
    let by_id = service.get("organization_id").and_then(Value::as_str);
    let embedded = service.pointer("/organization/id").and_then(Value::as_str);
    match (by_id, embedded) {
        (None, None) => vec!["the service names no organization (organization_id)".into()],
        (Some(a), Some(b)) if a != b => {
            vec![format!(
                "organization_id {a} but the embedded organization is {b}"
            )]
        }
        _ => Vec::new(),
    }
}

/// `id` and the HSDS foreign keys (`organization_id`, `taxonomy_term_id`, …). Note that
/// `external_identifier` and friends are free text and deliberately not matched.
fn is_id_key(key: &str) -> bool {
    key == "id" || key.ends_with("_id")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_clean_page_with_no_results_passes() {
        let page = json!({"total_items": 0, "empty": true, "contents": []});
        assert_eq!(value_rule_breaks(&page, true), Vec::<String>::new());
    }

    #[test]
    fn nulls_empties_bad_ids_and_bad_dates_are_each_reported_with_their_path() {
        let service = json!({
            "id": "not-a-uuid",
            "name": "",
            "email": null,
            "attributes": [],
            "organization": {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "last_modified": "Tuesday"}
        });
        let breaks = value_rule_breaks(&service, false);
        assert_eq!(breaks.len(), 5, "{breaks:#?}");
        for path in [
            "/id ",
            "/name ",
            "/email ",
            "/attributes ",
            "/organization/last_modified ",
        ] {
            assert!(
                breaks.iter().any(|b| b.starts_with(path)),
                "{path} missing: {breaks:#?}"
            );
        }
    }

    #[test]
    fn a_service_must_name_its_organization_consistently() {
        let org = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610";
        let other = "3f7b145d-84af-42d7-8fae-eaca714b02b2";
        assert_eq!(
            service_organization_breaks(&json!({"organization_id": org})).len(),
            0
        );
        assert_eq!(
            service_organization_breaks(&json!({"organization": {"id": org}})).len(),
            0
        );
        assert_eq!(
            service_organization_breaks(&json!({"name": "Lunch club"})).len(),
            1
        );
        let split = json!({"organization_id": org, "organization": {"id": other}});
        assert_eq!(service_organization_breaks(&split).len(), 1);
    }

    #[test]
    fn an_empty_array_nested_inside_page_contents_is_still_reported() {
        let page =
            json!({"contents": [{"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "phones": []}]});
        assert_eq!(value_rule_breaks(&page, true).len(), 1);
    }
}
