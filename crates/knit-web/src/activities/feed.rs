//! Fetching a partner's iCalendar feed: only `http` and `https` on the public internet
//! (never this machine or a private network, at any hop), a few redirects at most,
//! a body no larger than [`FeedLimits::max_bytes`] and the whole fetch within
//! [`FeedLimits::timeout`]. A feed that breaks a bound is refused with a clear message;
//! nothing of it is read or stored.

use std::net::{IpAddr, SocketAddr};

use knit_domain::outbound;

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
    #[error(
        "That address is on a private network or this server itself, so it was not fetched. Give the feed's public address on the internet."
    )]
    NotPublic,
    #[error("The feed's address sent us on too many times, so nothing was imported.")]
    TooManyRedirects,
}

/// Redirects followed at most, each checked like the first address.
const MAX_REDIRECTS: usize = 3;

/// Fetches `url` within `limits`: the text of the feed, or why not.
pub async fn fetch(url: &str, limits: FeedLimits) -> Result<String, FetchError> {
    let url = url.trim();
    if url.len() > 2_000 {
        return Err(FetchError::BadAddress);
    }
    let mut url = web_address(reqwest::Url::parse(url).map_err(|_| FetchError::BadAddress)?)?;
    let seconds = limits.timeout.as_secs().max(1);
    let work = async {
        // Redirects are followed here rather than by the client, so that every hop's
        // address is checked and pinned before anything connects to it.
        for _ in 0..=MAX_REDIRECTS {
            let client = client_for(&url, limits).await?;
            let response = client
                .get(url.clone())
                .header(reqwest::header::ACCEPT, "text/calendar, text/plain;q=0.5")
                .send()
                .await
                .map_err(|e| FetchError::Unreachable(short(&e)))?;
            if response.status().is_redirection() {
                let status = response.status().as_u16();
                url = response
                    .headers()
                    .get(reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .ok_or(FetchError::Status(status))
                    .and_then(web_address)?;
                continue;
            }
            return body_of(response, limits).await;
        }
        Err(FetchError::TooManyRedirects)
    };
    match tokio::time::timeout(limits.timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(FetchError::TooSlow(seconds)),
    }
}

fn web_address(url: reqwest::Url) -> Result<reqwest::Url, FetchError> {
    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() {
        Ok(url)
    } else {
        Err(FetchError::BadAddress)
    }
}

/// A client that can reach only the addresses `url`'s host has now, each of them public
/// (unless `limits` allow private ones): the name is resolved once, here, and the client
/// pinned to the answer, so a name that later resolves elsewhere cannot slip past.
async fn client_for(url: &reqwest::Url, limits: FeedLimits) -> Result<reqwest::Client, FetchError> {
    let host = url.host_str().ok_or(FetchError::BadAddress)?;
    let port = url.port_or_known_default().ok_or(FetchError::BadAddress)?;
    let allowed = |ip: IpAddr| limits.private_addresses || outbound::is_public(ip);
    // No proxy from the environment: a proxy would connect to the name itself, past the
    // addresses checked here.
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(limits.timeout);
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) if !allowed(ip) => return Err(FetchError::NotPublic),
        Ok(_) => {}
        Err(_) => {
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
                .await
                .map_err(|_| FetchError::Unreachable("its server's name was not found".into()))?
                .collect();
            if addresses.is_empty() {
                return Err(FetchError::Unreachable(
                    "its server's name was not found".into(),
                ));
            }
            if !addresses.iter().all(|a| allowed(a.ip())) {
                return Err(FetchError::NotPublic);
            }
            builder = builder.resolve_to_addrs(host, &addresses);
        }
    }
    builder
        .build()
        .map_err(|e| FetchError::Unreachable(e.without_url().to_string()))
}

async fn body_of(
    mut response: reqwest::Response,
    limits: FeedLimits,
) -> Result<String, FetchError> {
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
