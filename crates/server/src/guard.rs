//! Who may talk to the server: only the person who started it, through the
//! pages it served.
//!
//! Every API and media request needs the server's **token**, on loopback
//! too (another user of the same machine can reach a loopback port): it is
//! printed in the URL, then kept in an HttpOnly, SameSite=Strict cookie, or
//! sent by scripts as the `X-Notedeck-Token` header. On a loopback address
//! a request's `Host` must also name the server (`127.0.0.1:PORT`,
//! `localhost:PORT`, `[::1]:PORT`, or the address it listens on) — this
//! defeats DNS rebinding — and an `Origin`, when sent, must be the server's
//! own, so other sites cannot call the API from a browser. With `--lan` the
//! same holds, the machine's offered network addresses counting as its own.

use std::net::IpAddr;

/// The server's identity for checking requests.
#[derive(Debug, Clone)]
pub struct Guard {
    port: u16,
    host: IpAddr,
    token: String,
    /// The network addresses `serve --lan` offers (then `Host` must name
    /// one of them or loopback, as on a loopback address).
    lan: Vec<IpAddr>,
    /// The server speaks https.
    secure: bool,
}

/// Why a request was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` is not this server.
    Host,
    /// `Origin` is another site.
    Origin,
    /// The token is missing or wrong.
    Token,
}

impl Refusal {
    /// The message shown to whoever was refused.
    pub fn message(&self) -> &'static str {
        match self {
            Refusal::Host => "this server only answers requests addressed to itself (Host check)",
            Refusal::Origin => "requests from other sites are refused (Origin check)",
            Refusal::Token => {
                "a token is required: open the URL `notedeck serve` printed (it ends in ?token=…)"
            }
        }
    }
}

/// What a request shows of itself to the guard.
#[derive(Debug, Default, Clone, Copy)]
pub struct Credentials<'a> {
    /// The `Host` header.
    pub host: Option<&'a str>,
    /// The `Origin` header.
    pub origin: Option<&'a str>,
    /// `?token=` in the URL.
    pub query_token: Option<&'a str>,
    /// The `Cookie` header.
    pub cookie: Option<&'a str>,
    /// The `X-Notedeck-Token` header.
    pub header_token: Option<&'a str>,
}

impl Guard {
    /// A guard for a server listening on `host:port`, with `token` (a fresh
    /// random one when `None`).
    pub fn new(host: IpAddr, port: u16, token: Option<String>) -> Guard {
        let token = token.unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        Guard {
            port,
            host,
            token,
            lan: Vec::new(),
            secure: false,
        }
    }

    /// The same guard on a server that speaks https (`--tls-cert`): pages
    /// come from `https://` origins, and cookies are marked `Secure`.
    pub fn over_tls(mut self) -> Guard {
        self.secure = true;
        self
    }

    /// True when the server speaks https.
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// `https` or `http`.
    pub fn scheme(&self) -> &'static str {
        if self.secure {
            "https"
        } else {
            "http"
        }
    }

    /// What ends every cookie the server sets: `Secure` over https.
    pub fn cookie_suffix(&self) -> &'static str {
        if self.secure {
            "; Secure"
        } else {
            ""
        }
    }

    /// The same guard on a server reached at `addresses` of the home
    /// network as well as loopback: `Host` must name one of them.
    pub fn on_lan(mut self, addresses: Vec<IpAddr>) -> Guard {
        self.lan = addresses;
        self
    }

    /// The token to put in the URL.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The name of the cookie holding the token (one per port, so two
    /// servers on one machine do not overwrite each other's).
    pub fn cookie_name(&self) -> String {
        format!("notedeck_token_{}", self.port)
    }

    /// True when `Host` must name this server: on loopback (against DNS
    /// rebinding) and on the home network with `--lan`.
    fn strict(&self) -> bool {
        self.host.is_loopback() || !self.lan.is_empty()
    }

    fn own_host(&self, host: &str) -> bool {
        let port = self.port;
        let bound = match self.host {
            IpAddr::V4(v4) => format!("{v4}:{port}"),
            IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        };
        let lan = self.lan.iter().map(|ip| match ip {
            IpAddr::V4(v4) => format!("{v4}:{port}"),
            IpAddr::V6(v6) => format!("[{v6}]:{port}"),
        });
        [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            bound,
        ]
        .into_iter()
        .chain(lan)
        .any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Checks `Host` and `Origin` (every request, pages included).
    pub fn check_site(&self, host: Option<&str>, origin: Option<&str>) -> Result<(), Refusal> {
        let host = host.unwrap_or("");
        let well_formed = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
        if !well_formed || (self.strict() && !self.own_host(host)) {
            return Err(Refusal::Host);
        }
        if let Some(origin) = origin {
            let own = origin
                .strip_prefix(self.scheme())
                .and_then(|rest| rest.strip_prefix("://"))
                .is_some_and(|rest| {
                    rest.eq_ignore_ascii_case(host) && (!self.strict() || self.own_host(rest))
                });
            if !own {
                return Err(Refusal::Origin);
            }
        }
        Ok(())
    }

    /// Checks a request's `Host`, `Origin` and token (from the query, the
    /// cookie or the `X-Notedeck-Token` header).
    pub fn check(&self, given: Credentials<'_>) -> Result<(), Refusal> {
        self.check_site(given.host, given.origin)?;
        if self.token_in(given) {
            Ok(())
        } else {
            Err(Refusal::Token)
        }
    }

    /// True when the request carries this server's token.
    pub fn token_in(&self, given: Credentials<'_>) -> bool {
        let name = self.cookie_name();
        let from_cookie = given.cookie.and_then(|c| {
            c.split(';')
                .filter_map(|part| part.trim().split_once('='))
                .filter(|(key, _)| *key == name)
                .map(|(_, value)| value)
                .next()
        });
        [given.query_token, from_cookie, given.header_token]
            .iter()
            .flatten()
            .any(|t| constant_time_eq(t, &self.token))
    }
}

/// True when `a` and `b` are equal, in a time that does not tell how much
/// of them agrees.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Guard {
        Guard::new(
            "127.0.0.1".parse().expect("ip"),
            8080,
            Some("secret".into()),
        )
    }

    #[test]
    fn over_https_pages_come_from_https_origins() {
        let guard = loopback().over_tls();
        let host = "127.0.0.1:8080";
        assert_eq!(
            guard.check_site(Some(host), Some("https://127.0.0.1:8080")),
            Ok(())
        );
        assert_eq!(
            guard.check_site(Some(host), Some("http://127.0.0.1:8080")),
            Err(Refusal::Origin)
        );
        assert_eq!(
            loopback().check_site(Some(host), Some("https://127.0.0.1:8080")),
            Err(Refusal::Origin)
        );
        assert_eq!(
            (guard.scheme(), guard.cookie_suffix()),
            ("https", "; Secure")
        );
    }

    fn with(host: &str, origin: Option<&str>, header_token: Option<&str>) -> Credentials<'static> {
        Credentials {
            host: Some(Box::leak(host.to_owned().into_boxed_str())),
            origin: origin.map(|o| &*Box::leak(o.to_owned().into_boxed_str())),
            header_token: header_token.map(|t| &*Box::leak(t.to_owned().into_boxed_str())),
            ..Credentials::default()
        }
    }

    #[test]
    fn on_the_home_network_only_its_own_addresses_are_answered() {
        let guard = Guard::new("0.0.0.0".parse().expect("ip"), 8080, Some("secret".into()))
            .on_lan(vec!["192.168.1.23".parse().expect("ip")]);
        for host in ["192.168.1.23:8080", "127.0.0.1:8080", "localhost:8080"] {
            assert_eq!(
                guard.check(with(host, None, Some("secret"))),
                Ok(()),
                "{host}"
            );
        }
        assert_eq!(
            guard.check(with(
                "192.168.1.23:8080",
                Some("http://192.168.1.23:8080"),
                Some("secret")
            )),
            Ok(())
        );
        assert_eq!(
            guard.check(with("attacker.example:8080", None, Some("secret"))),
            Err(Refusal::Host)
        );
        assert_eq!(
            guard.check(with("192.168.1.24:8080", None, Some("secret"))),
            Err(Refusal::Host)
        );
        assert_eq!(
            guard.check(with("192.168.1.23:8080", None, Some("wrong"))),
            Err(Refusal::Token)
        );
    }

    #[test]
    fn loopback_checks_host_origin_and_token() {
        let guard = loopback();
        assert_eq!(
            guard.check(with("127.0.0.1:8080", None, Some("secret"))),
            Ok(())
        );
        assert_eq!(
            guard.check(with(
                "localhost:8080",
                Some("http://localhost:8080"),
                Some("secret")
            )),
            Ok(())
        );
        assert_eq!(
            guard.check(with("127.0.0.1:8080", None, None)),
            Err(Refusal::Token),
            "loopback needs the token too"
        );
        assert_eq!(
            guard.check(with("127.0.0.1:8080", None, Some("secreT"))),
            Err(Refusal::Token)
        );
        assert_eq!(
            guard.check(with("evil.example:8080", None, Some("secret"))),
            Err(Refusal::Host)
        );
        assert_eq!(guard.check(Credentials::default()), Err(Refusal::Host));
        assert_eq!(
            guard.check(with(
                "127.0.0.1:8080",
                Some("https://evil.example"),
                Some("secret")
            )),
            Err(Refusal::Origin)
        );
        assert_eq!(
            guard.check(with(
                "127.0.0.1:8080",
                Some("http://localhost:8080"),
                Some("secret")
            )),
            Err(Refusal::Origin),
            "origin must match the host the page was loaded from"
        );
    }

    #[test]
    fn the_bound_address_is_its_own_host() {
        let guard = Guard::new("127.0.0.2".parse().expect("ip"), 9000, Some("t".into()));
        assert_eq!(guard.check(with("127.0.0.2:9000", None, Some("t"))), Ok(()));
        assert_eq!(
            guard.check(with("127.0.0.3:9000", None, Some("t"))),
            Err(Refusal::Host)
        );
    }

    #[test]
    fn the_token_comes_from_query_cookie_or_header() {
        let guard = Guard::new("0.0.0.0".parse().expect("ip"), 9000, None);
        let token = guard.token().to_owned();
        assert_eq!(
            guard.check(with("10.0.0.5:9000", None, None)),
            Err(Refusal::Token)
        );
        let query = Credentials {
            host: Some("10.0.0.5:9000"),
            query_token: Some(&token),
            ..Credentials::default()
        };
        assert_eq!(guard.check(query), Ok(()));
        let cookie = format!("theme=dark; notedeck_token_9000={token}");
        let by_cookie = Credentials {
            host: Some("10.0.0.5:9000"),
            cookie: Some(&cookie),
            ..Credentials::default()
        };
        assert_eq!(guard.check(by_cookie), Ok(()));
        let other_port = format!("notedeck_token_9001={token}");
        let wrong_cookie = Credentials {
            host: Some("10.0.0.5:9000"),
            cookie: Some(&other_port),
            ..Credentials::default()
        };
        assert_eq!(guard.check(wrong_cookie), Err(Refusal::Token));
        assert_eq!(
            guard.check(with("evil\r\nx:9000", None, Some(&token))),
            Err(Refusal::Host),
            "a Host that could break a header is refused"
        );
    }
}
