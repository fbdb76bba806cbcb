//! Pairing a phone: `serve --lan` offers a one-time code (in the QR code
//! it prints); opening `/pair?code=…` within ten minutes pairs the browser
//! that opened it: it gets a long-lived device token in an HttpOnly,
//! SameSite=Strict cookie (the collection keeps only its hash), and is
//! answered from then on without the server's token, across restarts,
//! until `notedeck devices --forget`. Codes are single-use, and wrong
//! codes are rate limited.

use std::collections::VecDeque;
use std::sync::PoisonError;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use notedeck_api::{ApiError, ErrorCode, PairingDto};

use crate::AppState;

/// How long a pairing code may be used.
pub const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);

/// Wrong codes accepted per minute before every try is refused for the
/// rest of that minute.
pub const MAX_WRONG_PER_MINUTE: usize = 5;

/// The cookie holding a paired device's token.
pub const DEVICE_COOKIE: &str = "notedeck_device";

/// How long the browser keeps the device cookie (400 days, the most
/// browsers allow).
const COOKIE_MAX_AGE_SECS: u64 = 400 * 24 * 60 * 60;

/// The codes on offer and the recent wrong tries.
#[derive(Debug, Default)]
pub struct Codes {
    open: Vec<(String, Instant)>,
    wrong: VecDeque<Instant>,
}

/// Why a code was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Unknown, used or expired.
    Unknown,
    /// Too many wrong codes lately.
    TooMany,
}

impl Codes {
    /// A new code, usable once within [`CODE_LIFETIME`] of `now`.
    pub fn offer(&mut self, now: Instant) -> String {
        let code: String = uuid::Uuid::new_v4()
            .simple()
            .to_string()
            .chars()
            .take(12)
            .collect();
        self.open.retain(|(_, until)| *until > now);
        self.open.push((code.clone(), now + CODE_LIFETIME));
        code
    }

    /// Takes `code` if it is on offer and unexpired (it is then gone).
    pub fn redeem(&mut self, code: &str, now: Instant) -> Result<(), Refused> {
        while self
            .wrong
            .front()
            .is_some_and(|at| now.duration_since(*at) > Duration::from_secs(60))
        {
            self.wrong.pop_front();
        }
        if self.wrong.len() >= MAX_WRONG_PER_MINUTE {
            return Err(Refused::TooMany);
        }
        self.open.retain(|(_, until)| *until > now);
        let found = self
            .open
            .iter()
            .position(|(open, _)| crate::guard::constant_time_eq(open, code));
        match found {
            Some(index) => {
                self.open.remove(index);
                Ok(())
            }
            None => {
                self.wrong.push_back(now);
                Err(Refused::Unknown)
            }
        }
    }
}

/// A short name for the browser that sent `user_agent` (`Firefox on
/// Android`).
pub fn device_name(user_agent: &str) -> String {
    let browser = [
        ("Firefox", "Firefox"),
        ("EdgA", "Edge"),
        ("Edg", "Edge"),
        ("SamsungBrowser", "Samsung Internet"),
        ("CriOS", "Chrome"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map_or("A browser", |(_, name)| name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| user_agent.contains(mark))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

/// The device token in a `Cookie` header, if any.
pub fn device_token(cookie: Option<&str>) -> Option<&str> {
    cookie?
        .split(';')
        .filter_map(|part| part.trim().split_once('='))
        .find(|(key, _)| *key == DEVICE_COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

fn refusal(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `POST /api/pairing`: a new code on offer, asked for on the computer
/// that holds the collection (Settings → Review on your phone), with its
/// URL and QR code; the codes offered before stay usable until they expire.
pub async fn new_code(
    State(state): State<AppState>,
    peer: Option<axum::Extension<crate::Peer>>,
    device: Option<axum::Extension<crate::PairedDevice>>,
) -> Response {
    let here =
        device.is_none() && peer.is_some_and(|axum::Extension(crate::Peer(ip))| ip.is_loopback());
    if !here {
        return crate::Failure(ApiError::new(
            ErrorCode::Forbidden,
            "a phone is paired from the computer that holds the collection: open Settings there",
        ))
        .into_response();
    }
    match offer(&state) {
        Ok(offered) => axum::Json(offered).into_response(),
        Err(error) => crate::Failure(error).into_response(),
    }
}

/// A new code on offer, with the URL that pairs a phone (at the best
/// home-network address) and its QR code.
pub(crate) fn offer(state: &AppState) -> Result<PairingDto, ApiError> {
    let Some(candidates) = &state.0.lan else {
        return Err(ApiError::new(
            ErrorCode::InvalidInput,
            "this server listens on this computer only, where a phone cannot reach it: stop it and run `notedeck serve --lan`",
        ));
    };
    let code = state
        .0
        .pairing
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .offer(Instant::now());
    let port = state.0.port;
    let scheme = state.0.guard.scheme();
    let url_at = |address: String| format!("{scheme}://{address}:{port}/pair?code={code}");
    let (url, interface) = match candidates.first() {
        Some(best) => (url_at(best.address.to_string()), best.interface.clone()),
        None => (
            url_at("127.0.0.1".to_owned()),
            "this computer only (no network found)".to_owned(),
        ),
    };
    let qr_svg = crate::lan::qr_svg(&url).unwrap_or_default();
    Ok(PairingDto {
        other_urls: candidates
            .iter()
            .skip(1)
            .map(|c| url_at(c.address.to_string()))
            .collect(),
        url,
        interface,
        minutes: (CODE_LIFETIME.as_secs() / 60) as u32,
        qr_svg,
    })
}

/// The code of a `/pair` request.
#[derive(Debug, serde::Deserialize)]
pub struct PairQuery {
    code: Option<String>,
}

/// `GET /pair?code=…`: pairs the browser that opened a code on offer, then
/// sends it to the app.
pub async fn pair(
    State(state): State<AppState>,
    Query(query): Query<PairQuery>,
    headers: HeaderMap,
) -> Response {
    let code = query.code.unwrap_or_default();
    let redeemed = state
        .0
        .pairing
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .redeem(&code, Instant::now());
    match redeemed {
        Err(Refused::TooMany) => {
            return refusal(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many wrong pairing codes: wait a minute, then scan the code again.",
            )
        }
        Err(Refused::Unknown) => {
            return refusal(
                StatusCode::FORBIDDEN,
                "This pairing code is used or expired: on the computer, open Settings → Review on your phone → New pairing code, and scan that.",
            )
        }
        Ok(()) => {}
    }
    let name = device_name(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    );
    let paired = state
        .with_service(move |s, now| s.pair_device(&name, now))
        .await;
    let token = match paired {
        Ok((_, token)) => token,
        Err(error) => return crate::Failure(error).into_response(),
    };
    let cookie = format!(
        "{DEVICE_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}{}",
        state.0.guard.cookie_suffix()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let out = response.headers_mut();
    out.insert(header::LOCATION, HeaderValue::from_static("/"));
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        out.insert(header::SET_COOKIE, value);
    }
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_taken_once_within_its_lifetime_and_wrong_ones_are_limited() {
        let start = Instant::now();
        let mut codes = Codes::default();
        let code = codes.offer(start);
        assert_eq!(codes.redeem(&code, start), Ok(()));
        assert_eq!(codes.redeem(&code, start), Err(Refused::Unknown));
        let late = codes.offer(start);
        assert_eq!(
            codes.redeem(&late, start + CODE_LIFETIME + Duration::from_secs(1)),
            Err(Refused::Unknown)
        );
        let mut codes = Codes::default();
        let good = codes.offer(start);
        for _ in 0..MAX_WRONG_PER_MINUTE {
            assert_eq!(codes.redeem("guess", start), Err(Refused::Unknown));
        }
        assert_eq!(codes.redeem(&good, start), Err(Refused::TooMany));
        assert_eq!(codes.redeem(&good, start + Duration::from_secs(61)), Ok(()));
    }

    #[test]
    fn browsers_are_named_as_people_call_them() {
        assert_eq!(
            device_name("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"),
            "Firefox on Android"
        );
        assert_eq!(
            device_name("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"),
            "Safari on iPhone"
        );
        assert_eq!(device_name(""), "A browser");
        assert_eq!(device_token(Some("a=b; notedeck_device=xyz")), Some("xyz"));
        assert_eq!(device_token(Some("notedeck_device=")), None);
    }
}
