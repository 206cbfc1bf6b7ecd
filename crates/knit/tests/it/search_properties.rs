//! Property tests for reading a search: whatever a person or a script puts in the search
//! form's fields (the words, near, need, age, day, distance, page and the ticks), the
//! directory answers with results or a 4xx that says what to change, never a server error.
//! Through the real router, so the form is read exactly as it is in use.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::support::{Backend, TestApp};

/// A field's value: often one the form means, sometimes anything at all.
fn field(meant: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        12 => Just(None),
        4 => prop::sample::select(meant).prop_map(|s| Some(s.to_owned())),
        1 => ".{0,12}".prop_map(Some),
        1 => "[0-9 .,+-]{0,10}".prop_map(Some),
    ]
}

#[derive(Debug, Clone)]
struct Asked(Vec<(&'static str, String)>);

fn asked() -> impl Strategy<Value = Asked> {
    let words = prop_oneof![
        Just(None),
        prop::sample::select(
            &[
                "food bank",
                "for my 4 year old on a tuesday",
                "over 60 free",
                "debt advice",
                "",
            ][..]
        )
        .prop_map(|s| Some(s.to_owned())),
        ".{0,40}".prop_map(Some),
        // Longer than the form allows.
        "[a-z ]{190,230}".prop_map(Some),
    ];
    (
        words,
        field(&[
            "KF1 1AA",
            "KF1",
            "KF1 1",
            "Kestleford",
            "51.24,-1.96",
            "ZZ9 9ZZ",
            "91,0",
        ]),
        field(&["food", "debt", "mental-health", "not-a-need"]),
        field(&["4", "60", "200", "-1"]),
        field(&["tuesday", "TU", "sat", "someday"]),
        field(&["5", "0.5", "500", "nan"]),
        field(&["1", "2", "0", "99999", "4294967296"]),
        field(&["on", "off"]),
        field(&["on", "yes"]),
        field(&["walk_in", "appointment", "sideways"]),
        field(&["online", "in_person", "by_pigeon"]),
    )
        .prop_map(
            |(q, near, need, age, day, within, page, free, open_now, way_in, delivery)| {
                let named = [
                    ("q", q),
                    ("near", near),
                    ("need", need),
                    ("age", age),
                    ("day", day),
                    ("within", within),
                    ("page", page),
                    ("free", free),
                    ("open_now", open_now),
                    ("way_in", way_in),
                    ("delivery", delivery),
                ];
                Asked(
                    named
                        .into_iter()
                        .filter_map(|(name, value)| value.map(|v| (name, v)))
                        .collect(),
                )
            },
        )
}

#[test]
fn any_search_is_answered_or_refused_with_a_reason() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(TestApp::spawn(Backend::Sqlite));
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    let answered = [std::cell::Cell::new(0u32), std::cell::Cell::new(0u32)];
    let with_results = std::cell::Cell::new(0u32);
    runner
        .run(&asked(), |Asked(fields)| {
            let (status, body) = runtime.block_on(async {
                let response = app
                    .client
                    .get(format!("{}/search", app.base_url))
                    .query(&fields)
                    .send()
                    .await
                    .expect("an answer");
                let status = response.status().as_u16();
                (status, response.text().await.unwrap())
            });
            prop_assert!(status < 500, "{status} for {fields:?}: {body}");
            if status == 200 {
                answered[0].set(answered[0].get() + 1);
                let results = body.matches("<h2><a href=\"/services/").count();
                prop_assert!(results <= 10, "{results} results on one page");
                if results > 0 {
                    with_results.set(with_results.get() + 1);
                }
            } else {
                answered[1].set(answered[1].get() + 1);
                prop_assert!(
                    (400..500).contains(&status) && body.contains("<main"),
                    "{status} for {fields:?} is explained on a page: {body}"
                );
            }
            Ok(())
        })
        .unwrap();
    // Both kinds of answer were exercised, or the strategy is not testing the reading.
    let (answers, refusals) = (answered[0].get(), answered[1].get());
    eprintln!(
        "searches: {answers} answered ({} with results), {refusals} refused with a reason",
        with_results.get()
    );
    assert!(
        answers > 10 && refusals > 10 && with_results.get() > 5,
        "{answers} answered, {refusals} refused"
    );
}
