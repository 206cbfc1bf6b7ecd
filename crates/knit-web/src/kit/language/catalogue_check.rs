//! The check that keeps the public site whole in Welsh: every message has both languages,
//! every word the domain states in English has its Welsh, every id a page asks for exists,
//! and no public template carries words of its own outside the catalogue.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fluent_bundle::FluentResource;
use fluent_syntax::ast::Entry;
use knit_domain::directory::{Delivery, KnitTerm, WayIn};
use knit_domain::needs::NeedDomain;

use super::*;
use crate::directory::search::SearchError;

/// Ids only the Welsh catalogue holds: their English is the domain's own words (the needs
/// taxonomy, the ways in, the days), so English states them once, where they are defined.
const WELSH_ONLY_PREFIXES: [&str; 18] = [
    "training-kind-",
    "figures-key",
    "applicant-kind-",
    "application-status-",
    "fund-question-",
    "fund-problem-",
    "asset-kind-",
    "availability-",
    "group-capacity-",
    "repeat-",
    "check-",
    "need-",
    "domain-",
    "way-in-",
    "delivery-",
    "day-",
    "month-",
    "search-error-",
];

/// Public templates not yet in the catalogue: each one here is English on the Welsh site.
/// None is left; a new public template belongs in the catalogue from the start.
const NOT_YET_IN_WELSH: [&str; 0] = [];

fn ids(catalogue: &str) -> BTreeSet<String> {
    let resource = FluentResource::try_new(catalogue.to_owned())
        .unwrap_or_else(|(_, errors)| panic!("a catalogue does not parse: {errors:?}"));
    resource
        .entries()
        .filter_map(|entry| match entry {
            Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_english_message_has_welsh_and_welsh_has_nothing_stray() {
    let english = ids(ENGLISH_CATALOGUE);
    let welsh = ids(WELSH_CATALOGUE);
    let missing: Vec<_> = english.difference(&welsh).collect();
    assert!(missing.is_empty(), "no Welsh for {missing:?}");
    let stray: Vec<_> = welsh
        .difference(&english)
        .filter(|id| !WELSH_ONLY_PREFIXES.iter().any(|p| id.starts_with(p)))
        .collect();
    assert!(
        stray.is_empty(),
        "Welsh messages with no English: {stray:?}"
    );
    for id in english.iter().filter(|id| welsh.contains(*id)) {
        assert_ne!(
            Language::English.message(id, None),
            "",
            "{id} is empty in English"
        );
    }
}

#[test]
fn every_word_the_domain_states_in_english_has_welsh() {
    let welsh = ids(WELSH_CATALOGUE);
    let mut wanted: Vec<String> = Vec::new();
    for domain in NeedDomain::ALL {
        wanted.push(format!("domain-{}", domain.id()));
        wanted.extend(domain.needs().map(|n| format!("need-{}", n.id)));
    }
    wanted.extend(WayIn::ALL.iter().map(|w| format!("way-in-{}", w.code())));
    wanted.extend(
        Delivery::ALL
            .iter()
            .map(|d| format!("delivery-{}", d.code())),
    );
    wanted.extend(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            .iter()
            .map(|d| format!("day-{d}")),
    );
    wanted.extend((1..=12).map(|m| format!("month-{m}")));
    wanted.extend(
        knit_domain::training::TrainingKind::ALL
            .iter()
            .map(|k| format!("training-kind-{}", k.code())),
    );
    wanted.extend(
        knit_domain::fund::ApplicantKind::ALL
            .iter()
            .map(|k| format!("applicant-kind-{}", k.code())),
    );
    for q in knit_domain::fund::QUESTIONS {
        wanted.push(format!("fund-question-{}", q.key));
        if !q.hint.is_empty() {
            wanted.push(format!("fund-question-hint-{}", q.key));
        }
    }
    wanted.extend(
        knit_domain::assets::AssetKind::ALL
            .iter()
            .map(|k| format!("asset-kind-{}", k.code())),
    );
    wanted.extend(
        knit_domain::volunteering::Check::ALL
            .iter()
            .map(|c| format!("check-{}", c.code())),
    );
    wanted.extend(
        SearchError::examples()
            .iter()
            .map(|e| format!("search-error-{}", e.code())),
    );
    let missing: Vec<_> = wanted.iter().filter(|id| !welsh.contains(*id)).collect();
    assert!(missing.is_empty(), "no Welsh for {missing:?}");
    assert!(
        wanted.len() > 70,
        "the needs taxonomy was read ({} ids)",
        wanted.len()
    );
}

#[test]
fn every_welsh_only_word_the_pages_put_together_has_welsh() {
    let welsh = ids(WELSH_CATALOGUE);
    let mut wanted: Vec<String> = ["1", "2", "3", "4", "5", "-1", "-2"]
        .iter()
        .map(|n| format!("repeat-monthly-{n}"))
        .collect();
    let codes: [(&str, &[&str]); 6] = [
        ("repeat", &["weekly", "and"]),
        (
            "group-capacity",
            &["full", "full-needs-volunteers", "needs-volunteers"],
        ),
        ("availability", &["weekly", "closed", "only"]),
        (
            "application-status",
            &["draft", "submitted", "awarded", "declined"],
        ),
        (
            "fund-problem",
            &[
                "deadline",
                "outside-band",
                "not-an-amount",
                "zero",
                "too-large",
                "no-amount",
                "unanswered",
                "no-name",
                "no-contact",
                "no-group-name",
                "kind-not-accepted",
                "no-kind",
                "too-long",
                "sort-code",
                "account-number",
                "email",
                "monitoring-empty",
                "monitoring-too-long",
                "monitoring-not-a-number",
                "monitoring-already-sent",
            ],
        ),
        ("figures", &["key"]),
    ];
    for (prefix, codes) in codes {
        wanted.extend(codes.iter().map(|c| format!("{prefix}-{c}")));
    }
    for status in ["draft", "submitted", "awarded", "declined"] {
        assert!(
            knit_domain::fund::ApplicationStatus::from_code(status).is_some(),
            "{status} is a status"
        );
    }
    let missing: Vec<_> = wanted.iter().filter(|id| !welsh.contains(*id)).collect();
    assert!(missing.is_empty(), "no Welsh for {missing:?}");
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Every id named in `crate::t("…")`, `t1`, `t2` or `t_count` calls in the source and the
/// templates.
fn ids_asked_for() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("src"), "rs", &mut files);
    files_under(&root.join("templates"), "html", &mut files);
    let mut asked = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for call in ["t(\"", "t1(\"", "t2(\"", "t_count(\""] {
            for (at, _) in text.match_indices(call) {
                let before = &text[..at];
                let is_ours = before.ends_with("crate::") || before.ends_with("language::");
                if !is_ours {
                    continue;
                }
                let rest = &text[at + call.len()..];
                if let Some(end) = rest.find('"') {
                    let id = &rest[..end];
                    if id.len() > 2 && id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                        asked.insert(id.to_owned());
                    }
                }
            }
        }
    }
    asked
}

#[test]
fn every_message_a_page_asks_for_exists() {
    let english = ids(ENGLISH_CATALOGUE);
    let asked = ids_asked_for();
    assert!(asked.len() > 100, "the scan found {} ids", asked.len());
    let missing: Vec<_> = asked.difference(&english).collect();
    assert!(
        missing.is_empty(),
        "asked for but not in English: {missing:?}"
    );
}

/// The words of a template outside its expressions, tags and attributes that hold no text.
fn loose_words(template: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = template;
    // Drop template expressions and tags first: what they print comes from Rust or the
    // catalogue.
    while let Some(start) = rest.find(['{']) {
        text.push_str(&rest[..start]);
        let after = &rest[start..];
        let close = match after.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                text.push('{');
                rest = &after[1..];
                continue;
            }
        };
        match after.find(close) {
            Some(end) => rest = &after[end + 2..],
            None => break,
        }
    }
    text.push_str(rest);
    let mut words = Vec::new();
    let mut outside = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
                    if let Some(at) = tag.find(attribute) {
                        let value = &tag[at + attribute.len()..];
                        let value = value.split('"').next().unwrap_or("");
                        if value.chars().any(char::is_alphabetic) {
                            words.push(value.to_owned());
                        }
                    }
                }
                outside.push(' ');
            }
            (true, c) => tag.push(c),
            (false, c) => outside.push(c),
        }
    }
    words.extend(
        outside
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .filter(|w| !w.starts_with('&'))
            .map(str::to_owned),
    );
    words
}

/// The templates a visitor of the public site reads: those in the public layout
/// (`{% extends "base.html" %}`), the layout itself and whatever they include.
fn public_templates(root: &Path) -> BTreeSet<String> {
    let mut files = Vec::new();
    files_under(root, "html", &mut files);
    let read = |name: &str| std::fs::read_to_string(root.join(name)).unwrap_or_default();
    let mut public: BTreeSet<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(root)
                .expect("under the templates")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| read(name).contains("{% extends \"base.html\" %}"))
        .collect();
    public.insert("base.html".to_owned());
    let mut queue: Vec<String> = public.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for (at, _) in read(&name).match_indices("{% include \"") {
            let rest = &read(&name)[at + 12..];
            let included = rest[..rest.find('"').unwrap_or(0)].to_owned();
            if public.insert(included.clone()) {
                queue.push(included);
            }
        }
    }
    public
}

#[test]
fn public_templates_carry_no_words_of_their_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let public = public_templates(&root);
    assert!(
        public.contains("safe_contact_fields.html") && !public.contains("staff/base.html"),
        "public pages and what they include, and no staff page: {public:?}"
    );
    let mut checked = 0;
    let mut loose = Vec::new();
    for name in public
        .iter()
        .filter(|name| !NOT_YET_IN_WELSH.contains(&name.as_str()))
    {
        checked += 1;
        let text = std::fs::read_to_string(root.join(name)).expect("a template");
        let words = loose_words(&text);
        if !words.is_empty() {
            loose.push(format!("{name}: {}", words.join(" ")));
        }
    }
    assert!(checked >= 10, "{checked} public templates checked");
    assert!(
        loose.is_empty(),
        "words outside the catalogue (add them to locales/*/public.ftl):\n{}",
        loose.join("\n")
    );
}

#[test]
fn the_check_sees_words_left_in_a_template() {
    assert_eq!(
        loose_words("<p>Hello {{ name }}</p><a aria-label=\"Pages\">{{ crate::t(\"x\") }}</a>"),
        ["Pages", "Hello"]
    );
    assert!(loose_words("<p>{{ crate::t(\"x\") }} · 116 123</p>").is_empty());
}

#[test]
fn welsh_plurals_take_all_six_forms_and_english_two() {
    let welsh: Vec<String> = [0, 1, 2, 3, 6, 7]
        .into_iter()
        .map(|n| {
            let mut args = FluentArgs::new();
            args.set("count", FluentValue::from(n));
            Language::Welsh.message("places-left", Some(&args))
        })
        .collect();
    assert_eq!(
        welsh,
        [
            "Dim lleoedd ar ôl",
            "Un lle ar ôl",
            "Dau le ar ôl",
            "Tri lle ar ôl",
            "Chwe lle ar ôl",
            "7 lle ar ôl",
        ]
    );
    let english: Vec<String> = [0, 1, 2]
        .into_iter()
        .map(|n| {
            let mut args = FluentArgs::new();
            args.set("count", FluentValue::from(n));
            Language::English.message("places-left", Some(&args))
        })
        .collect();
    assert_eq!(english, ["No places left", "1 place left", "2 places left"]);
}
