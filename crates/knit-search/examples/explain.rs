use std::io::BufRead;
fn main() {
    let m = knit_search::Matcher::new();
    let json = std::env::args().any(|a| a == "--json");
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        if json {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let text = v["text"].as_str().unwrap();
            let ranked: Vec<serde_json::Value> = m.rank_text(text).iter().map(|r| serde_json::json!({"need": r.need.as_str(), "score": r.score, "urgent": r.urgent, "because": r.because})).collect();
            println!(
                "{}",
                serde_json::json!({"id": v["id"], "text": text, "gold": v["needs"], "ranked": ranked})
            );
            continue;
        }
        println!("> {line}");
        for r in m.rank_text(&line) {
            println!(
                "   {:<20} {:.2} {} {:?}",
                r.need.as_str(),
                r.score,
                if r.score >= 0.5 { "*" } else { " " },
                r.because
            );
        }
    }
}
