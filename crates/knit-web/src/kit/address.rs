//! Where a request came from, and the site's own address for links in emails.

use std::net::IpAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use ipnet::IpNet;

use crate::AppState;

/// The reverse proxies in front of Knit whose `X-Forwarded-For` is believed: none unless
/// configured (`KNIT_TRUSTED_PROXIES`), since behind Docker, a NAT or on a LAN any client
/// could otherwise claim any address and every per-address limit would be void.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Reads a list such as `127.0.0.1, 10.0.0.0/8, ::1`: addresses or networks, separated by
    /// commas or spaces.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        text.split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                t.parse::<IpNet>()
                    .or_else(|_| t.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{t:?} is not an address or network such as 10.0.0.0/8"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }
}

/// The address a request came from, for throttling and the audit log.
///
/// The connection's peer, unless that peer is a trusted proxy: then the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy, read from the right, since a client
/// can write anything at the start of that header but not after its proxy's entry.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted: &TrustedProxies,
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if !trusted.trusts(peer) {
        return peer.to_string();
    }
    let mut nearest = peer;
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .collect::<Vec<_>>();
    for hop in hops.into_iter().rev() {
        let Ok(hop) = hop.trim().parse::<IpAddr>() else {
            break;
        };
        nearest = hop;
        if !trusted.trusts(hop) {
            break;
        }
    }
    nearest.to_string()
}

/// Where a request came from, as [`client_address`] reads it: an extractor for handlers.
pub struct ClientAddress(pub String);

impl ClientAddress {
    pub fn of(parts: &Parts, trusted: &TrustedProxies) -> ClientAddress {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        ClientAddress(client_address(&parts.headers, peer, trusted))
    }
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress::of(parts, &state.site.trusted_proxies))
    }
}

/// The site's public address as configured (`KNIT_PUBLIC_URL`, such as
/// `https://help.example.org`), without a trailing slash.
pub fn configured_public_url() -> Option<String> {
    let url = std::env::var("KNIT_PUBLIC_URL").ok()?;
    let url = url.trim().trim_end_matches('/');
    (!url.is_empty()).then(|| url.to_owned())
}

/// A link to `path` for an email sent by a background job, where there is no request to go
/// by: absolute when the public address is configured, else the bare path.
pub fn emailed_link(path: &str) -> String {
    format!("{}{path}", configured_public_url().unwrap_or_default())
}

/// The start of links in emails: the configured public address. Without it, the request's
/// host is used only if it is this machine, for development; a host header from anywhere
/// else could point reset links at someone else's site.
pub fn public_base_url(headers: &HeaderMap) -> String {
    if let Some(url) = configured_public_url() {
        return url;
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
    fn the_address_is_the_peer_unless_a_trusted_proxy_forwarded_it() {
        let none = TrustedProxies::default();
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let public: IpAddr = "198.51.100.4".parse().unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        let spoofed = forwarded("203.0.113.9");
        assert_eq!(
            client_address(&spoofed, Some(public), &trusted),
            "198.51.100.4"
        );
        // Nothing is trusted unless configured: a neighbour on the LAN or a container next
        // door cannot choose its address.
        assert_eq!(client_address(&spoofed, Some(proxy), &none), "127.0.0.1");
        assert_eq!(
            client_address(&spoofed, Some(lan), &trusted),
            "192.168.1.20"
        );
        // Behind a proxy, the client's own additions come first and are ignored.
        let chain = forwarded("203.0.113.9, 192.0.2.77");
        assert_eq!(client_address(&chain, Some(proxy), &trusted), "192.0.2.77");
        // Two trusted proxies in a row: the address before them.
        let two = forwarded("203.0.113.9, 192.0.2.77, 10.1.2.3");
        assert_eq!(client_address(&two, Some(proxy), &trusted), "192.0.2.77");
        assert_eq!(
            client_address(&HeaderMap::new(), Some(proxy), &trusted),
            "127.0.0.1"
        );
        assert_eq!(
            client_address(&forwarded("nonsense"), Some(proxy), &trusted),
            "127.0.0.1"
        );
        assert_eq!(client_address(&spoofed, None, &trusted), "unknown");
    }

    #[test]
    fn trusted_proxies_are_read_or_refused_with_the_reason() {
        let list = TrustedProxies::parse(" 127.0.0.1,::1 10.0.0.0/8 ").unwrap();
        assert!(list.trusts("10.200.0.1".parse().unwrap()));
        assert!(list.trusts("::1".parse().unwrap()));
        assert!(!list.trusts("11.0.0.1".parse().unwrap()));
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
        let refused = TrustedProxies::parse("127.0.0.1, the office").unwrap_err();
        assert!(refused.contains("\"the\""), "{refused}");
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
