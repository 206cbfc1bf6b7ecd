//! A connector's postcards, `/staff/postcards`: a printable sheet of four A6 cards, each
//! with the site's address, how to reach a coordinator, the connector's code and a QR code
//! for `/c/CODE`. Print it from the browser: the stylesheet lays the cards out on A4.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use qrcode::{Color, EcLevel, QrCode};

use crate::kit::{Allowed, Notice, PageError, PageResult, public_base_url, render};
use crate::{AppState, Site};

/// Modules of light margin round the code, as the QR standard asks.
const QUIET_ZONE: usize = 4;

/// The QR code for `url` as an SVG drawing: one square per dark module on a white ground,
/// sized by the page's stylesheet. Medium error correction survives a creased card.
pub fn qr_svg(url: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::with_capacity(width * width * 4);
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == Color::Dark {
            let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code for {url}\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>",
        url = attribute_escape(url),
    ))
}

/// The URL goes into an attribute; it is ours, but escaped all the same.
fn attribute_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[derive(Template)]
#[template(path = "staff/postcards.html")]
struct PostcardsPage<'a> {
    site: &'a Site,
    code: String,
    url: String,
    website: String,
    contact: String,
    qr: String,
    cards: [u8; 4],
}

/// `/staff/postcards`: the sheet, for a trained connector.
pub(crate) async fn sheet(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    headers: HeaderMap,
) -> PageResult {
    let record = match state.store.connector(signed_in.user.id).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            // Not a mistake: the page says how to get one.
            return Ok(Notice::new(
                StatusCode::OK,
                "No postcard code yet",
                "Your postcard code comes with your connector training: once a place lead marks \
                 you present at a session, your postcards are here.",
            )
            .link("/training", "Book connector training")
            .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let website = public_base_url(&headers);
    if website.is_empty() {
        // A QR code must carry a whole address; without one it would lead nowhere.
        return Ok(Notice::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Postcards need the site's address",
            "The postcards' QR code carries this site's address, which has not been set. Ask \
             whoever runs Knit here to set KNIT_PUBLIC_URL.",
        )
        .link("/staff/conversations", "Back to my conversations")
        .into_response());
    }
    let url = format!("{website}/c/{}", record.code);
    let qr = qr_svg(&url).map_err(PageError::internal)?;
    Ok(render(
        &PostcardsPage {
            site: &state.site,
            code: record.code.to_string(),
            website: website
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .to_owned(),
            url,
            contact: state
                .site
                .coordinator_contact
                .clone()
                .unwrap_or_else(|| "Ask us to call you back through the website".to_owned()),
            qr,
            cards: [1, 2, 3, 4],
        },
        StatusCode::OK,
    ))
}
