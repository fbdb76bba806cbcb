//! `notedeck serve --lan`: the addresses a phone on the home network can
//! reach this machine at, best first, and the QR code of a URL drawn in
//! text for a terminal.
//!
//! Candidates are this machine's IPv4 addresses that are up, neither
//! loopback nor link-local: private-range addresses (10/8, 172.16/12,
//! 192.168/16) first, others next, and VPN tunnels and container or VM
//! bridges (names such as `docker0`, `br-…`, `veth…`, `virbr…`, `tun…`,
//! `wg…`, `tailscale…`) last, since a phone on the home Wi-Fi cannot reach
//! those.

use std::net::{IpAddr, Ipv4Addr};

/// One address the server may be reached at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The interface's name (`wlan0`, `eth0`, `docker0`).
    pub interface: String,
    /// Its address.
    pub address: Ipv4Addr,
}

impl Candidate {
    /// How likely a phone on the home network reaches it: lower first.
    fn rank(&self) -> u8 {
        let virtual_name = [
            "docker",
            "br-",
            "veth",
            "virbr",
            "vmnet",
            "vboxnet",
            "tun",
            "tap",
            "wg",
            "tailscale",
            "zt",
            "utun",
            "lxc",
            "lxd",
            "cni",
            "flannel",
            "podman",
        ]
        .iter()
        .any(|prefix| self.interface.starts_with(prefix));
        match (virtual_name, self.address.is_private()) {
            (false, true) => 0,
            (false, false) => 1,
            (true, _) => 2,
        }
    }
}

/// `found` without loopback, link-local, unspecified or down addresses, in
/// the order a phone most likely reaches them (ties keep their order).
pub fn rank(found: Vec<(String, IpAddr, bool)>) -> Vec<Candidate> {
    let mut candidates: Vec<Candidate> = found
        .into_iter()
        .filter_map(|(interface, ip, up)| match ip {
            IpAddr::V4(address)
                if up
                    && !address.is_loopback()
                    && !address.is_link_local()
                    && !address.is_unspecified() =>
            {
                Some(Candidate { interface, address })
            }
            _ => None,
        })
        .collect();
    candidates.sort_by_key(Candidate::rank);
    candidates.dedup_by(|a, b| a.address == b.address);
    candidates
}

/// This machine's candidates (none when the interfaces cannot be listed).
pub fn candidates() -> Vec<Candidate> {
    let found = if_addrs::get_if_addrs().unwrap_or_default();
    rank(
        found
            .into_iter()
            .map(|i| {
                let up = i.is_oper_up() || i.oper_status == if_addrs::IfOperStatus::Unknown;
                let ip = i.ip();
                (i.name, ip, up)
            })
            .collect(),
    )
}

/// `text` as a QR code drawn with half-block characters, two rows of
/// modules per line, dark on a light quiet zone (as a terminal shows it
/// to a phone's camera).
pub fn qr_text(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::L).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

/// `text` as a QR code in an SVG document (dark modules on white, with
/// its quiet zone), for the Settings screen to show as an image.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn home_network_addresses_come_first_and_bridges_last() {
        let ranked = rank(vec![
            ("lo".into(), v4("127.0.0.1"), true),
            ("docker0".into(), v4("172.17.0.1"), true),
            ("tailscale0".into(), v4("100.101.102.103"), true),
            ("eth1".into(), v4("203.0.113.7"), true),
            ("wlan0".into(), v4("192.168.1.23"), true),
            ("eth0".into(), v4("169.254.3.4"), true),
            ("eth2".into(), v4("10.0.0.5"), false),
            ("wlan0".into(), "fe80::1".parse().expect("v6"), true),
        ]);
        let order: Vec<String> = ranked.iter().map(|c| c.address.to_string()).collect();
        assert_eq!(
            order,
            [
                "192.168.1.23",
                "203.0.113.7",
                "172.17.0.1",
                "100.101.102.103"
            ]
        );
    }

    #[test]
    fn a_url_becomes_a_qr_code_image() {
        let svg = qr_svg("http://192.168.1.23:7870/pair?code=abc").expect("qr");
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn a_url_becomes_a_qr_code_in_text() {
        let drawn = qr_text("http://192.168.1.23:7870/?token=abc").expect("qr");
        let lines: Vec<&str> = drawn.lines().collect();
        assert!(lines.len() >= 12, "{drawn}");
        assert!(lines
            .iter()
            .all(|l| l.chars().count() == lines[0].chars().count()));
        assert!(drawn.contains('█') || drawn.contains('▀') || drawn.contains('▄'));
    }
}
