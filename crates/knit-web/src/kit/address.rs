//! Where a request came from, and the site's own address for links in emails.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

/// The address a request came from, for throttling and the audit log.
///
/// The connection's peer, unless that peer is this machine or a private network (a reverse
/// proxy in front of Knit), in which case the last address the proxy appended to
/// `X-Forwarded-For`: a client can put anything at the start of that header but not after
/// its proxy's entry. When the server was started without peer addresses the header's last
/// entry is used too.
pub fn client_address(headers: &HeaderMap, peer: Option<IpAddr>) -> String {
    let forwarded = || {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(','))
            .next_back()
            .and_then(|last| last.trim().parse::<IpAddr>().ok())
    };
    let behind_proxy = match peer {
        None => true,
        Some(IpAddr::V4(v4)) => v4.is_loopback() || v4.is_private(),
        Some(IpAddr::V6(v6)) => v6.is_loopback() || v6.is_unique_local(),
    };
    let address = if behind_proxy {
        forwarded().or(peer)
    } else {
        peer
    };
    address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())
}

/// Where a request came from, as [`client_address`] reads it: an extractor for handlers.
pub struct ClientAddress(pub String);

impl ClientAddress {
    pub fn of(parts: &Parts) -> ClientAddress {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        ClientAddress(client_address(&parts.headers, peer))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress::of(parts))
    }
}

/// The start of links in emails: `KNIT_PUBLIC_URL` (such as `https://help.example.org`).
/// Without it, the request's host is used only if it is this machine, for development; a
/// host header from anywhere else could point reset links at someone else's site.
pub fn public_base_url(headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("KNIT_PUBLIC_URL") {
        let url = url.trim().trim_end_matches('/');
        if !url.is_empty() {
            return url.to_owned();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let local = name == "localhost" || name == "[::1]" || name.starts_with("127.");
    if local {
        format!("http://{host}")
    } else {
        tracing::warn!("KNIT_PUBLIC_URL is not set; emailed links carry no site address");
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(value));
        h
    }

    #[test]
    fn the_address_is_the_peer_unless_a_local_proxy_forwarded_it() {
        let public: IpAddr = "198.51.100.4".parse().unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let spoofed = forwarded("203.0.113.9");
        assert_eq!(client_address(&spoofed, Some(public)), "198.51.100.4");
        // Behind a proxy, the client's own additions come first and are ignored.
        let chain = forwarded("203.0.113.9, 192.0.2.77");
        assert_eq!(client_address(&chain, Some(proxy)), "192.0.2.77");
        assert_eq!(client_address(&HeaderMap::new(), Some(proxy)), "127.0.0.1");
        assert_eq!(client_address(&forwarded("nonsense"), None), "unknown");
    }

    #[test]
    fn links_point_at_the_configured_site_or_this_machine_only() {
        let mut local = HeaderMap::new();
        local.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        let mut other = HeaderMap::new();
        other.insert(header::HOST, HeaderValue::from_static("evil.example"));
        if std::env::var("KNIT_PUBLIC_URL").is_err() {
            assert_eq!(public_base_url(&local), "http://127.0.0.1:8080");
            assert_eq!(public_base_url(&other), "");
        }
    }
}
