//! The ORUK `Page` header: its fields must all be present (the OpenAPI `Page` schema has no
//! `required` list, so the schema check alone lets them go missing) and must agree with each
//! other, with the page asked for and with `per_page`.

use serde_json::Value;

/// What is missing from the page header, or inconsistent; empty when the header is sound.
pub fn page_problems(body: &Value, requested_page: u64, per_page: u64) -> Vec<String> {
    let mut problems = Vec::new();
    let mut number = |key: &str| match body.get(key).map(|v| (v, v.as_u64())) {
        Some((_, Some(n))) => n,
        Some((v, None)) => {
            problems.push(format!("page field {key} = {v} is not a whole number"));
            0
        }
        None => {
            problems.push(format!("page field {key} is missing"));
            0
        }
    };
    let (total_items, total_pages, page_number, size) = (
        number("total_items"),
        number("total_pages"),
        number("page_number"),
        number("size"),
    );
    let mut flag = |key: &str| match body.get(key).map(Value::as_bool) {
        Some(Some(b)) => b,
        Some(None) => {
            problems.push(format!("page field {key} is not a boolean"));
            false
        }
        None => {
            problems.push(format!("page field {key} is missing"));
            false
        }
    };
    let (first_page, last_page, empty) = (flag("first_page"), flag("last_page"), flag("empty"));
    let contents_len = match body.get("contents").map(Value::as_array) {
        Some(Some(items)) => items.len() as u64,
        _ => {
            problems.push("page field contents is missing or not an array".into());
            0
        }
    };
    if !problems.is_empty() {
        return problems;
    }
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    expect(
        size == contents_len,
        format!("size {size} but contents holds {contents_len} items"),
    );
    expect(
        page_number == requested_page,
        format!("page_number {page_number} but page {requested_page} was asked for"),
    );
    expect(
        first_page == (requested_page == 1),
        format!("first_page is {first_page} on page {requested_page}"),
    );
    expect(
        empty == (size == 0),
        format!("empty is {empty} with size {size}"),
    );
    expect(
        size <= per_page,
        format!("size {size} exceeds per_page {per_page}"),
    );
    // With no items at all, zero pages and one empty page are both honest answers.
    let expected_pages = total_items.div_ceil(per_page);
    let pages_agree = total_pages == expected_pages || (total_items == 0 && total_pages == 1);
    expect(
        pages_agree,
        format!(
            "total_pages {total_pages} but {total_items} items at {per_page} per page make \
             {expected_pages}"
        ),
    );
    expect(
        last_page == (requested_page >= total_pages),
        format!("last_page is {last_page} on page {requested_page} of {total_pages}"),
    );
    let before = requested_page.saturating_sub(1).saturating_mul(per_page);
    let expected_size = total_items.saturating_sub(before).min(per_page);
    expect(
        size == expected_size,
        format!(
            "size {size} on page {requested_page}, but {total_items} items at {per_page} per \
             page leave {expected_size} for it"
        ),
    );
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(total: u64, pages: u64, number: u64, size: usize, first: bool, last: bool) -> Value {
        json!({
            "total_items": total, "total_pages": pages, "page_number": number, "size": size,
            "first_page": first, "last_page": last, "empty": size == 0,
            "contents": vec![json!({}); size],
        })
    }

    #[test]
    fn a_middle_and_a_last_partial_page_agree_with_per_page() {
        assert!(page_problems(&page(23, 3, 2, 10, false, false), 2, 10).is_empty());
        assert!(page_problems(&page(23, 3, 3, 3, false, true), 3, 10).is_empty());
    }

    #[test]
    fn a_page_beyond_the_last_is_empty_and_last() {
        assert!(page_problems(&page(23, 3, 4, 0, false, true), 4, 10).is_empty());
        assert!(page_problems(&page(0, 0, 1, 0, true, true), 1, 10).is_empty());
    }

    #[test]
    fn inconsistent_headers_are_reported() {
        let wrong_pages = page_problems(&page(23, 2, 1, 10, true, false), 1, 10);
        assert!(
            wrong_pages.iter().any(|p| p.starts_with("total_pages 2")),
            "{wrong_pages:?}"
        );
        let mut lying_size = page(23, 3, 1, 10, true, false);
        lying_size["size"] = json!(9);
        assert!(!page_problems(&lying_size, 1, 10).is_empty());
        let not_last = page_problems(&page(23, 3, 3, 3, false, false), 3, 10);
        assert_eq!(not_last.len(), 1, "{not_last:?}");
    }

    #[test]
    fn missing_fields_are_named() {
        let problems = page_problems(&json!({"contents": []}), 1, 10);
        assert_eq!(problems.len(), 7, "{problems:?}");
    }
}
