//! Search relevance measured the standard way: nDCG@10 over judged queries, with gain
//! 2^rel − 1, so a command or a test can report how well the ranking serves people.

use std::collections::HashMap;

use knit_domain::NeedId;
use knit_domain::geo::LatLon;
use serde::Deserialize;
use uuid::Uuid;

use super::{DirectoryIndex, SearchQuery};

/// One judged search: what was typed, from where, and how useful each service is
/// (2 = the ideal answer, 1 = acceptable).
#[derive(Debug, Clone, Deserialize)]
pub struct JudgedQuery {
    pub id: String,
    pub query: String,
    #[serde(default)]
    pub near: Option<LatLon>,
    pub relevant: HashMap<Uuid, u8>,
}

/// Reads judged queries, one JSON object a line; blank lines are skipped.
pub fn parse_judged_queries(jsonl: &str) -> Result<Vec<JudgedQuery>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

fn gain(relevance: u8) -> f64 {
    2f64.powi(i32::from(relevance)) - 1.0
}

/// Normalised discounted cumulative gain of the first ten results: 1 when the best
/// services come first in the best order, 0 when none of them is in the top ten.
pub fn ndcg_at_10(ranked: &[Uuid], relevant: &HashMap<Uuid, u8>) -> f64 {
    let discount = |position: usize| 1.0 / ((position + 2) as f64).log2();
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, id)| gain(relevant.get(id).copied().unwrap_or(0)) * discount(i))
        .sum();
    let mut ideal: Vec<u8> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(i, r)| gain(*r) * discount(i))
        .sum();
    if idcg == 0.0 { 0.0 } else { dcg / idcg }
}

/// nDCG@10 of each judged query, searched as a resident would (words, and `near` when
/// given), with the needs a matcher suggests for the words passed in as `hints`.
pub fn evaluate(
    index: &DirectoryIndex,
    queries: &[JudgedQuery],
    hints: impl Fn(&str) -> Vec<(NeedId, f32)>,
) -> Vec<(String, f64)> {
    queries
        .iter()
        .map(|judged| {
            let query = SearchQuery {
                words: judged.query.clone(),
                need_hints: hints(&judged.query),
                near: judged.near,
                page: 1,
                per_page: 10,
                ..SearchQuery::default()
            };
            let ranked: Vec<Uuid> = index
                .search(&query)
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect();
            (judged.id.clone(), ndcg_at_10(&ranked, &judged.relevant))
        })
        .collect()
}

/// The mean of per-query scores, 0 for none.
pub fn mean(scores: &[(String, f64)]) -> f64 {
    if scores.is_empty() {
        0.0
    } else {
        scores.iter().map(|(_, s)| s).sum::<f64>() / scores.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndcg_rewards_the_best_first() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let relevant = HashMap::from([(a, 2), (b, 1)]);
        assert!((ndcg_at_10(&[a, b, c], &relevant) - 1.0).abs() < 1e-9);
        let swapped = ndcg_at_10(&[b, a], &relevant);
        assert!(swapped < 1.0 && swapped > 0.5, "{swapped}");
        assert_eq!(ndcg_at_10(&[c], &relevant), 0.0);
        assert_eq!(ndcg_at_10(&[a], &HashMap::new()), 0.0);
    }

    #[test]
    fn judged_queries_are_read_line_by_line() {
        let text = r#"{"id": "q1", "query": "foodbank", "near": null, "relevant": {"00000000-0000-0000-0000-000000000001": 2}}

{"id": "q2", "query": "warm space", "near": {"lat": 53.25, "lon": -2.38}, "relevant": {}}"#;
        let queries = parse_judged_queries(text).unwrap();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[1].near.map(|n| n.lat), Some(53.25));
        assert_eq!(queries[0].relevant[&Uuid::from_u128(1)], 2);
    }
}
