//! Who may talk to the server: only pages it served itself.
//!
//! On a loopback address, a request's `Host` must name the server
//! (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`) — this defeats DNS
//! rebinding — and an `Origin`, when sent, must be the server's own, so
//! other sites cannot call the API from a browser. On any other address a
//! token is required as well: printed in the URL, then kept in a cookie.

/// The server's identity for checking requests.
pub struct Guard {
    port: u16,
    loopback: bool,
    token: Option<String>,
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

impl Guard {
    /// A guard for a server on `port`; a non-loopback server gets a token.
    pub fn new(port: u16, loopback: bool) -> Guard {
        let token = (!loopback).then(|| uuid::Uuid::new_v4().simple().to_string());
        Guard {
            port,
            loopback,
            token,
        }
    }

    /// The token to put in the URL, when one is required.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn own_host(&self, host: &str) -> bool {
        let port = self.port;
        [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Checks a request's `Host`, `Origin` and token (from the query, the
    /// cookie or the `X-Notedeck-Token` header).
    pub fn check(
        &self,
        host: Option<&str>,
        origin: Option<&str>,
        query_token: Option<&str>,
        cookie: Option<&str>,
        header_token: Option<&str>,
    ) -> Result<(), Refusal> {
        let host = host.unwrap_or("");
        if self.loopback && !self.own_host(host) {
            return Err(Refusal::Host);
        }
        if let Some(origin) = origin {
            let own = origin.strip_prefix("http://").is_some_and(|rest| {
                rest.eq_ignore_ascii_case(host) && (!self.loopback || self.own_host(rest))
            });
            if !own {
                return Err(Refusal::Origin);
            }
        }
        if let Some(token) = &self.token {
            let from_cookie = cookie.and_then(|c| {
                c.split(';')
                    .filter_map(|part| part.trim().strip_prefix("notedeck_token="))
                    .next()
            });
            let given = [query_token, from_cookie, header_token];
            if !given.iter().flatten().any(|t| constant_time_eq(t, token)) {
                return Err(Refusal::Token);
            }
        }
        Ok(())
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_checks_host_and_origin() {
        let guard = Guard::new(8080, true);
        assert_eq!(
            guard.check(Some("127.0.0.1:8080"), None, None, None, None),
            Ok(())
        );
        assert_eq!(
            guard.check(
                Some("localhost:8080"),
                Some("http://localhost:8080"),
                None,
                None,
                None
            ),
            Ok(())
        );
        assert_eq!(
            guard.check(Some("evil.example:8080"), None, None, None, None),
            Err(Refusal::Host)
        );
        assert_eq!(
            guard.check(None, None, None, None, None),
            Err(Refusal::Host)
        );
        assert_eq!(
            guard.check(
                Some("127.0.0.1:8080"),
                Some("https://evil.example"),
                None,
                None,
                None
            ),
            Err(Refusal::Origin)
        );
        assert_eq!(
            guard.check(
                Some("127.0.0.1:8080"),
                Some("http://localhost:8080"),
                None,
                None,
                None
            ),
            Err(Refusal::Origin),
            "origin must match the host the page was loaded from"
        );
    }

    #[test]
    fn other_addresses_need_the_token() {
        let guard = Guard::new(9000, false);
        let token = guard.token().expect("token").to_owned();
        assert_eq!(
            guard.check(Some("10.0.0.5:9000"), None, None, None, None),
            Err(Refusal::Token)
        );
        assert_eq!(
            guard.check(Some("10.0.0.5:9000"), None, Some(&token), None, None),
            Ok(())
        );
        let cookie = format!("theme=dark; notedeck_token={token}");
        assert_eq!(
            guard.check(Some("10.0.0.5:9000"), None, None, Some(&cookie), None),
            Ok(())
        );
        assert_eq!(
            guard.check(Some("10.0.0.5:9000"), None, Some("wrong"), None, None),
            Err(Refusal::Token)
        );
    }
}
