//! The needs taxonomy is a contract: Knit's built-in needs are exactly the shared file's.

use crate::support::shared_dir;

#[test]
fn built_in_needs_match_the_shared_taxonomy() {
    let Some(shared) = shared_dir() else { return };
    let csv = std::fs::read_to_string(shared.join("taxonomy/needs.csv")).expect("needs.csv reads");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("id,domain,label"));
    let shared: Vec<(String, String, String)> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut f = l.splitn(3, ',');
            let mut next = || f.next().expect("three columns").to_owned();
            (next(), next(), next())
        })
        .collect();
    let ours: Vec<(String, String, String)> = knit_domain::NEEDS
        .iter()
        .map(|n| {
            (
                n.id.as_str().to_owned(),
                n.domain.id().to_owned(),
                n.label.to_owned(),
            )
        })
        .collect();
    assert_eq!(
        ours, shared,
        "knit-domain's NEEDS must list the shared needs, in order, with the same domains and labels"
    );
}
