//! Which network addresses the server may fetch from when someone gives it an address (a
//! partner's calendar feed): only the public internet. Anything else would let whoever
//! types the address reach, from inside, what the outside cannot: the database, the
//! machine's own services, a cloud's metadata service, the office network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Whether `ip` is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        // "This network", carrier-grade NAT, IETF protocol assignments, benchmarking and
        // the reserved block: none is a partner's web server.
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240;
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    // An IPv4 address carried inside IPv6 (mapped, or through NAT64 or 6to4) is judged as
    // the IPv4 address it reaches.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    if s[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    let documentation = s[0] == 0x2001 && s[1] == 0x0db8;
    let special = ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_unique_local()
        || ip.is_unicast_link_local()
        || ip.is_multicast()
        || documentation
        // The deprecated IPv4-compatible form, ::a.b.c.d.
        || s[..6] == [0, 0, 0, 0, 0, 0];
    !special
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("an address"))
    }

    #[test]
    fn the_public_internet_may_be_fetched() {
        for address in [
            "81.2.69.142",
            "8.8.8.8",
            "2a00:1450:4009:81f::200e",
            "100.128.0.1",
        ] {
            assert!(public(address), "{address} is public");
        }
    }

    #[test]
    fn this_machine_its_networks_and_the_clouds_metadata_may_not() {
        for address in [
            "127.0.0.1",
            "127.4.5.6",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:c0a8:0101::1",
            "::127.0.0.1",
        ] {
            assert!(!public(address), "{address} is not public");
        }
    }
}
