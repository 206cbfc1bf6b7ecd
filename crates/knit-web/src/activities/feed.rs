//! Fetching a partner's iCalendar feed: only `http` and `https`, a few redirects at most,
//! a body no larger than [`FeedLimits::max_bytes`] and the whole fetch within
//! [`FeedLimits::timeout`]. A feed that breaks a bound is refused with a clear message;
//! nothing of it is read or stored.

use crate::volunteering::FeedLimits;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("Enter the feed's address, starting with https:// or http://")]
    BadAddress,
    #[error(
        "The feed took longer than {0} seconds to arrive, so it was not imported. Try again later, or ask the partner for a smaller feed."
    )]
    TooSlow(u64),
    #[error(
        "The feed is larger than {0} KB, so it was not imported. Ask the partner for a feed of what is to come only."
    )]
    TooBig(usize),
    #[error("The feed's server answered {0}, so nothing was imported. Check the address.")]
    Status(u16),
    #[error("The feed could not be fetched ({0}), so nothing was imported. Check the address.")]
    Unreachable(String),
    #[error("The feed is not text, so it cannot be a calendar.")]
    NotText,
}

/// Fetches `url` within `limits`: the text of the feed, or why not.
pub async fn fetch(url: &str, limits: FeedLimits) -> Result<String, FetchError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || url.len() > 2_000 {
        return Err(FetchError::BadAddress);
    }
    let seconds = limits.timeout.as_secs().max(1);
    let work = async {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(3))
            .connect_timeout(limits.timeout)
            .build()
            .map_err(|e| FetchError::Unreachable(e.without_url().to_string()))?;
        let mut response = client
            .get(url)
            .header(reqwest::header::ACCEPT, "text/calendar, text/plain;q=0.5")
            .send()
            .await
            .map_err(|e| FetchError::Unreachable(short(&e)))?;
        if !response.status().is_success() {
            return Err(FetchError::Status(response.status().as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > limits.max_bytes as u64)
        {
            return Err(FetchError::TooBig(limits.max_bytes / 1024));
        }
        let mut body: Vec<u8> = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Unreachable(short(&e)))?
        {
            if body.len() + chunk.len() > limits.max_bytes {
                return Err(FetchError::TooBig(limits.max_bytes / 1024));
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).map_err(|_| FetchError::NotText)
    };
    match tokio::time::timeout(limits.timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::TooSlow(seconds)),
    }
}

fn short(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "it took too long".to_owned()
    } else if e.is_connect() {
        "no connection to its server".to_owned()
    } else {
        "the connection failed".to_owned()
    }
}
