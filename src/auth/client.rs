//! Which client sent a request, for rate limiting. `X-Forwarded-For` is
//! believed only when the direct peer is a configured trusted proxy: a direct
//! client cannot reset its limit by forging the header.
use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;

pub async fn client_ip(trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let ConnectInfo(peer) = leptos_axum::extract::<ConnectInfo<SocketAddr>>()
        .await
        .ok()?;
    let headers = leptos_axum::extract::<HeaderMap>().await.ok()?;
    Some(resolve_client_ip(peer.ip(), &headers, trusted_proxies))
}

pub fn resolve_client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    // Each proxy appends the address it received from; the right-most entry
    // not added by one of ours is the real client.
    let chain: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse().ok())
        .collect();
    chain
        .into_iter()
        .rev()
        .find(|ip| !trusted_proxies.contains(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn a_direct_client_cannot_choose_its_address() {
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        assert_eq!(resolve_client_ip(peer, &xff("198.51.100.1"), &[]), peer);
    }

    #[test]
    fn behind_a_trusted_proxy_the_forwarded_client_counts() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let got = resolve_client_ip(proxy, &xff("1.2.3.4, 203.0.113.9"), &[proxy]);
        assert_eq!(
            got,
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the left part was forged by the client"
        );
    }
}
