//! `knit search`: the website's search, on the command line.

use anyhow::Context;
use knit_web::directory::search::{self as directory_search, SearchRequest};
use serde::Serialize;

use super::open_store;
use crate::app;
use crate::cli::Global;

#[derive(Serialize)]
struct JsonResult<'a> {
    id: uuid::Uuid,
    name: &'a str,
    score: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    distance_km: Option<f64>,
    organization: Option<&'a str>,
    needs: Vec<&'static str>,
}

pub async fn run(
    global: &Global,
    near: Option<String>,
    need: Option<String>,
    page: u32,
    json: bool,
    words: String,
) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let state = app::state(store, knit_web::Site::default()).await?;
    let request = SearchRequest {
        q: Some(words),
        near,
        need,
        page: Some(page.to_string()),
        ..SearchRequest::default()
    };
    let outcome = directory_search::search(
        state.store.as_ref(),
        &state.engine,
        &request,
        chrono::Utc::now(),
    )
    .await
    .context("search failed")?;
    if json {
        let results: Vec<JsonResult> = outcome
            .found
            .iter()
            .map(|f| JsonResult {
                id: f.service.id,
                name: &f.service.name,
                score: f.hit.score,
                distance_km: f.hit.distance_km.map(|d| (d * 100.0).round() / 100.0),
                organization: f.service.organization.as_ref().map(|o| o.name.as_str()),
                needs: f.service.needs().iter().map(|n| n.as_str()).collect(),
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    println!(
        "{} services found (page {} of {})",
        outcome.total, outcome.page, outcome.pages
    );
    for (i, found) in outcome.found.iter().enumerate() {
        let distance = found
            .hit
            .distance_km
            .map(|d| format!(", {d:.1} km"))
            .unwrap_or_default();
        let org = found
            .service
            .organization
            .as_ref()
            .map(|o| o.name.as_str())
            .unwrap_or("");
        println!(
            "{:>3}. {} — {org}{distance}",
            i + 1 + (outcome.page as usize - 1) * 10,
            found.service.name
        );
    }
    Ok(())
}
