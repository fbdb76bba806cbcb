//! `notedeck serve`: the JSON API over HTTP, and the checks that keep other
//! sites and rebinding DNS names out.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::support::Env;

/// A running server, stopped on drop.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// The token it printed in its URL.
    pub token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `notedeck serve` on a free port of `host` and reads its URL.
pub fn start_on(env: &Env, host: &str) -> (Server, String) {
    start_with(env, host, &[])
}

/// As [`start_on`], with more environment variables.
pub fn start_with(env: &Env, host: &str, vars: &[(&str, &str)]) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .args([
            "--db",
            env.db().to_str().expect("db"),
            "--now",
            "2026-03-01T09:00:00Z",
            "serve",
            "--port",
            "0",
            "--host",
            host,
        ])
        .env("TZ", "UTC")
        .env_remove("NOTEDECK_TOKEN")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("line");
    let url = line
        .trim()
        .strip_prefix("notedeck is serving ")
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();
    let (address, token) = url
        .trim_start_matches("http://")
        .split_once("/?token=")
        .unwrap_or_else(|| panic!("no token in {url:?}"));
    let port = address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {url:?}"));
    let server = Server {
        child,
        port,
        token: token.to_owned(),
    };
    (server, url)
}

/// Starts `notedeck serve` on loopback.
pub fn start(env: &Env) -> Server {
    start_on(env, "127.0.0.1").0
}

/// Sends a raw HTTP/1.1 request without the token; returns (status,
/// headers, body).
pub fn raw_request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        text.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    split_response(&response)
}

/// A raw HTTP/1.1 response as (status, headers, body).
fn split_response(response: &[u8]) -> (u16, String, String) {
    let response = String::from_utf8_lossy(response);
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// Sends a request with the server's token in `X-Notedeck-Token`.
pub fn request(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut all = headers.to_vec();
    all.push(("X-Notedeck-Token", &server.token));
    raw_request(server.port, method, path, &all, body)
}

/// The body of a chunked or plain response.
pub fn body_of(head: &str, body: &str) -> String {
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    }
}

/// Posts JSON with the token; returns the status and the parsed answer.
pub fn json_post(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let (status, head, text) = request(
        server,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        body,
    );
    let text = body_of(&head, &text);
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

#[test]
fn api_imports_reviews_and_exports_over_http() {
    let env = Env::new();
    env.write(
        "deck.md",
        "# Deck\n## Q1\nAnswer one.\n## Q2\nAnswer two.\n",
    );
    let server = start(&env);
    let port = server.port;
    let _ = port;
    let (status, _, body) = request(&server, "GET", "/api/health", &[], "");
    assert_eq!((status, body.as_str()), (200, "{\"ok\":true}"));

    let import = format!(
        "{{\"paths\": [{:?}], \"dry_run\": false}}",
        env.notes().to_str().expect("path")
    );
    let (status, report) = json_post(&server, "/api/import", &import);
    assert_eq!(status, 200, "{report:#}");
    assert_eq!(report["totals"]["added"], 2);

    let (_, _, due) = request(&server, "GET", "/api/due", &[], "");
    let due: Value = serde_json::from_str(&due).expect("json");
    assert_eq!(due.as_array().expect("array").len(), 2);
    let id = due[0]["id"].as_str().expect("id");
    let (status, answer) = json_post(
        &server,
        "/api/answer",
        &format!("{{\"card_id\": \"{id}\", \"grade\": \"good\", \"duration_ms\": 2500}}"),
    );
    assert_eq!(status, 200, "{answer:#}");
    assert_eq!(answer["card"]["repetitions"], 1);
    assert_eq!(answer["review"]["duration_ms"], 2500);
    let (status, undone) = json_post(&server, "/api/undo", "");
    assert_eq!(status, 200);
    assert_eq!(undone["card"]["state"], "new");

    let (status, error) = json_post(
        &server,
        "/api/answer",
        "{\"card_id\": \"nope\", \"grade\": \"good\"}",
    );
    assert_eq!(status, 404);
    assert_eq!(error["code"], "card_not_found");

    let (status, head, csv) = request(&server, "GET", "/api/export/cards?format=csv", &[], "");
    assert_eq!(status, 200);
    assert!(
        head.contains("attachment; filename=\"notedeck-cards.csv\""),
        "{head}"
    );
    let csv = body_of(&head, &csv);
    assert!(csv.starts_with("card_id,deck,note"), "{csv}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy: default-src 'none'"),
        "{head}"
    );

    let (status, _, stats) = request(&server, "GET", "/api/stats?days=7", &[], "");
    assert_eq!(status, 200);
    assert!(stats.contains("\"days_in_range\":7"));
}

#[test]
fn foreign_hosts_origins_and_form_posts_are_refused() {
    let env = Env::new();
    let server = start(&env);
    let port = server.port;
    let _ = port;
    let (status, _, body) = request(
        &server,
        "GET",
        "/api/decks",
        &[("Host", "attacker.example:80")],
        "",
    );
    assert_eq!(status, 403, "DNS rebinding: {body}");
    let (status, _, _) = request(
        &server,
        "GET",
        "/api/decks",
        &[("Origin", "https://attacker.example")],
        "",
    );
    assert_eq!(status, 403);
    let own = format!("http://127.0.0.1:{port}");
    let (status, _, _) = request(&server, "GET", "/api/decks", &[("Origin", &own)], "");
    assert_eq!(status, 200);
    let (status, _, _) = request(
        &server,
        "POST",
        "/api/undo",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "a=b",
    );
    assert_eq!(status, 415, "a cross-site form cannot post");
    let (status, _, _) = request(&server, "GET", "/media/..%2Fcollection.sqlite3", &[], "");
    assert_eq!(status, 404);
}

/// Joins the chunks of an HTTP/1.1 chunked body.
pub fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, rest) = body.split_once("\r\n").expect("chunk size line");
        let size = usize::from_str_radix(size.trim(), 16).expect("hex chunk size");
        if size == 0 {
            return out;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].strip_prefix("\r\n").expect("chunk end");
    }
}

#[test]
fn streamed_import_reports_progress_then_the_report() {
    let env = Env::new();
    for i in 0..5 {
        env.write(&format!("note{i}.md"), format!("# Note {i}\n## Q\nA{i}.\n"));
    }
    let server = start(&env);
    let import = format!(
        "{{\"paths\": [{:?}], \"dry_run\": false}}",
        env.notes().to_str().expect("path")
    );
    let (status, head, body) = request(
        &server,
        "POST",
        "/api/import/stream",
        &[("Content-Type", "application/json")],
        &import,
    );
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("application/x-ndjson"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-security-policy"),
        "{head}"
    );
    let lines: Vec<Value> = body_of(&head, &body)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let (last, progress) = lines.split_last().expect("lines");
    assert_eq!(last["report"]["totals"]["added"], 5, "{last:#}");
    assert_eq!(progress[0]["progress"]["done"], 0);
    assert_eq!(progress[0]["progress"]["total"], 5);
    let final_progress = &progress[progress.len() - 1]["progress"];
    assert_eq!(final_progress["phase"], "saving");
    assert_eq!(final_progress["done"], 5);

    // A bad body is an ordinary JSON error, before any streaming.
    let (status, error) = json_post(&server, "/api/import/stream", "{\"paths\": 1}");
    assert_eq!(status, 400);
    assert_eq!(error["code"], "invalid_input");
    // A failing import ends the stream with an error line.
    let (status, head, body) = request(
        &server,
        "POST",
        "/api/import/stream",
        &[("Content-Type", "application/json")],
        "{\"paths\": [\"/no/such/folder\"]}",
    );
    assert_eq!(status, 200);
    let text = body_of(&head, &body);
    let last: Value = serde_json::from_str(text.lines().last().expect("a line")).expect("json");
    assert_eq!(last["error"]["code"], "path_not_found", "{text}");
}

#[test]
fn reads_are_answered_while_an_import_writes() {
    let env = Env::new();
    for n in 0..1500 {
        let mut text = format!("# Note {n}\n");
        for s in 0..8 {
            text.push_str(&format!(
                "## Section {s}\nWords for {n}.{s}, and a few more.\n"
            ));
        }
        env.write(&format!("many/n{n}.md"), text);
    }
    let server = start(&env);
    let body = format!(
        "{{\"paths\": [{:?}]}}",
        env.notes().join("many").to_str().expect("path")
    );
    let mut import = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        import,
        "POST /api/import/stream HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Notedeck-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        server.port,
        server.token,
        body.len()
    )
    .expect("send");
    // Wait until the import is under way (its first progress line).
    let mut reader = BufReader::new(import);
    let mut seen = String::new();
    while !seen.contains("\"progress\"") {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("read") == 0 {
            panic!("the import stream ended early: {seen}");
        }
        seen.push_str(&line);
    }
    // The import's transaction is open: a read that did not wait for it
    // sees the collection as it was before (no decks yet).
    let (status, _, decks) = request(&server, "GET", "/api/decks", &[], "");
    assert_eq!(status, 200);
    assert_eq!(decks, "[]", "the read waited for the import to finish");
    let mut rest = String::new();
    reader.read_to_string(&mut rest).expect("read");
    assert!(rest.contains("\"report\""), "the import finished: {rest}");
    let (_, _, decks) = request(&server, "GET", "/api/decks", &[], "");
    assert!(decks.contains("many"), "{decks}");
}

/// A search whose client disconnects stops: the two reading connections
/// two slow searches held answer the next request at once, not when the
/// searches' budget runs out (issue 21: such searches once held both for
/// 81 s, and closing the client did not stop them).
#[test]
fn a_search_stops_when_its_client_disconnects() {
    let (env, query) = crate::support::long_tag_lists();
    let server = start(&env);
    let path = format!("/api/browse?search={}", query.replace(' ', "%20"));
    let clients: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut client = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            write!(
                client,
                "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Notedeck-Token: {}\r\n\r\n",
                server.port, server.token
            )
            .expect("send");
            client
        })
        .collect();
    // Both searches are under way, each on a reading connection.
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(clients);
    let closed = std::time::Instant::now();
    let (status, _, decks) = request(&server, "GET", "/api/decks", &[], "");
    let waited = closed.elapsed();
    assert_eq!(status, 200, "{decks}");
    assert!(
        waited < std::time::Duration::from_secs(1),
        "the deck list waited {waited:?} for searches nobody waits for"
    );
}

/// `serve --lan` prints a URL a phone can open (the machine's network
/// address when it has one), answers it over loopback when that address
/// is the `Host` (no traffic ever goes to the address itself), and refuses
/// any other name.
#[test]
fn on_the_home_network_the_printed_address_is_answered_and_others_refused() {
    let env = Env::new();
    let (server, lines) = start_lan(&env);
    let (port, token) = (server.port, server.token.clone());
    let address = lines[0]
        .strip_prefix("notedeck is serving http://")
        .and_then(|url| url.split('/').next())
        .expect("address")
        .to_owned();
    let printed = lines.join("\n");
    assert!(
        printed.contains(&format!("http://127.0.0.1:{port}/?token={token}")),
        "the machine's own URL is printed too: {printed}"
    );
    // Every address printed is answered when named as Host, over loopback.
    for shown in lines.iter().filter_map(|l| l.split("http://").nth(1)) {
        let host = shown.split('/').next().expect("host");
        let (status, head, body) = request(&server, "GET", "/api/decks", &[("Host", host)], "");
        assert_eq!(status, 200, "Host {host}: {}", body_of(&head, &body));
    }
    for foreign in [
        format!("attacker.example:{port}"),
        format!("198.51.100.9:{port}"),
    ] {
        let (status, _, _) = request(&server, "GET", "/api/decks", &[("Host", &foreign)], "");
        assert_eq!(status, 403, "Host {foreign} is not this machine");
    }
    if !address.starts_with("127.0.0.1:") {
        let octets: Vec<u8> = address
            .split(':')
            .next()
            .expect("ip")
            .split('.')
            .filter_map(|o| o.parse().ok())
            .collect();
        assert_eq!(octets.len(), 4, "an IPv4 address: {address}");
        assert!(
            octets[0] != 127 && !(octets[0] == 169 && octets[1] == 254),
            "neither loopback nor link-local: {address}"
        );
    }
}

/// Starts `serve --lan`; gives the server and the lines it printed before
/// its QR code.
fn start_lan(env: &Env) -> (Server, Vec<String>) {
    start_lan_with(env, &[])
}

/// Starts `serve --lan` with `extra` arguments (see [`start_lan`]).
fn start_lan_with(env: &Env, extra: &[&str]) -> (Server, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .args([
            "--db",
            env.db().to_str().expect("db"),
            "serve",
            "--lan",
            "--port",
            "0",
        ])
        .args(extra)
        .env_remove("NOTEDECK_TOKEN")
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn serve --lan");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).expect("line") > 0, "{lines:?}");
        let line = line.trim().to_owned();
        let last =
            line.starts_with("on this machine itself:") || line.starts_with("pair a browser");
        lines.push(line);
        if last {
            break;
        }
    }
    let url = lines[0]
        .strip_prefix("notedeck is serving http://")
        .or_else(|| lines[0].strip_prefix("notedeck is serving https://"))
        .unwrap_or_else(|| panic!("no URL in {lines:?}"));
    let (address, token) = url.split_once("/?token=").expect("token");
    let port: u16 = address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");
    let server = Server {
        child,
        port,
        token: token.to_owned(),
    };
    (server, lines)
}

/// A phone pairs by opening the printed pairing URL once: it gets a device
/// cookie (HttpOnly, SameSite=Strict) that opens the API without the
/// server's token; the code works once; wrong codes are rate limited;
/// `notedeck devices` lists the phone and `--forget` shuts it out. All
/// over loopback, with the printed address as `Host`.
#[test]
fn a_phone_pairs_once_by_its_code_and_a_forgotten_one_is_refused() {
    let env = Env::new();
    let (server, lines) = start_lan(&env);
    let pair = lines
        .iter()
        .find_map(|l| {
            l.split_once(": http://")
                .filter(|(what, _)| what.starts_with("pair a"))
        })
        .map(|(_, url)| url.to_owned())
        .unwrap_or_else(|| panic!("no pairing URL in {lines:?}"));
    let (host, path) = pair.split_once('/').expect("path");
    let path = format!("/{path}");
    let phone = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0";
    let port = server.port;
    let get = |path: &str, extra: &[(&str, &str)]| {
        let mut headers = vec![("Host", host), ("User-Agent", phone)];
        headers.extend_from_slice(extra);
        raw_request(port, "GET", path, &headers, "")
    };
    let (status, _, _) = get("/api/decks", &[]);
    assert_eq!(status, 403, "unpaired requests are refused as before");
    let (status, head, _) = get(&path, &[]);
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .unwrap_or_else(|| panic!("no cookie in {head}"));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let device = cookie.split(';').next().expect("pair").to_owned();
    assert!(
        device.starts_with("notedeck_device=") && device.len() > 40,
        "{device}"
    );
    let (status, _, body) = get("/api/decks", &[("Cookie", &device)]);
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = get(&path, &[]);
    assert_eq!(status, 403, "a code is used once");
    let listed: Value = serde_json::from_str(&env.ok(&["devices", "--json"])).expect("json");
    assert_eq!(listed[0]["name"], "Firefox on Android", "{listed}");
    let id = listed[0]["id"].as_str().expect("id").to_owned();
    env.ok(&["devices", "--forget", &id]);
    let (status, _, _) = get("/api/decks", &[("Cookie", &device)]);
    assert_eq!(status, 403, "a forgotten device is refused");
    // The used code was the first wrong try of this minute; four more
    // fill the five allowed.
    for _ in 0..4 {
        let (status, _, _) = get("/pair?code=guess", &[]);
        assert_eq!(status, 403);
    }
    let (status, _, _) = get("/pair?code=guess", &[]);
    assert_eq!(status, 429, "wrong codes are rate limited");
}

/// Every operation of the service layer has its route, and the route runs
/// that operation, not another: a POST route's refusal of a bad body
/// names its operation, a file route offers its operation's file, and a
/// GET route that does not depend on the day answers as `dispatch` does
/// (a route nobody made says so).
#[test]
fn every_operation_has_its_route() {
    let env = Env::new();
    env.write(
        "deck.md",
        "# Deck\n## Q1\nAnswer one.\n## Q2\nAnswer two.\n",
    );
    env.ok(&[
        "import",
        env.notes().to_str().expect("notes"),
        "--deck",
        "Deck",
    ]);
    let server = start(&env);
    let mut service = notedeck_api::Service::open(&env.db()).expect("open");
    let now = "2026-03-01T09:00:00Z".parse().expect("time");
    for op in notedeck_api::OPERATIONS {
        let seen = match (op.delivery, op.method) {
            (notedeck_api::Delivery::File, _) => {
                let (status, head, body) = request(&server, "GET", op.path, &[], "");
                assert_eq!(status, 200, "{}: {body}", op.name);
                let file = notedeck_api::file_delivery(op.name, Value::Null).expect("file");
                assert!(
                    head.contains(&format!("filename=\"{}\"", file.file_name)),
                    "{} offers another file: {head}",
                    op.name
                );
                continue;
            }
            (_, notedeck_api::Method::Post) => {
                let (status, head, body) = request(
                    &server,
                    "POST",
                    op.path,
                    &[("Content-Type", "application/json")],
                    "\"not a request\"",
                );
                let body = body_of(&head, &body);
                assert_eq!(status, 400, "{}: {body}", op.name);
                assert!(
                    body.contains(&format!("bad request for {}:", op.name)),
                    "POST {} runs another operation than {}: {body}",
                    op.path,
                    op.name
                );
                continue;
            }
            (_, notedeck_api::Method::Get) => {
                let (status, head, body) = request(&server, "GET", op.path, &[], "");
                (status, body_of(&head, &body))
            }
        };
        let (status, body) = seen;
        assert!(
            !body.contains("no API route"),
            "GET {} ({}) has no route: {status} {body}",
            op.path,
            op.name
        );
        // The answers that do not depend on the day (or the time zone).
        let steady = [
            "sources",
            "settings",
            "doctor",
            "undo_preview",
            "evaluate_schedulers",
        ];
        if steady.contains(&op.name) {
            let expected = service
                .dispatch(op.name, Value::Null, now, &mut |_| {})
                .unwrap_or_else(|e| serde_json::to_value(e).expect("json"));
            let served: Value = serde_json::from_str(&body).expect("json");
            assert_eq!(served, expected, "GET {} is not {}", op.path, op.name);
        }
    }
    let (status, head, body) = request(&server, "GET", "/api/nothing", &[], "");
    assert_eq!(status, 404);
    assert!(body_of(&head, &body).contains("no API route GET /api/nothing"));
}

/// Settings on the computer asks `serve --lan` for a new pairing code (no
/// restart): its URL and QR image come back, and the code pairs a phone
/// once; a paired phone cannot ask for codes, and a server without
/// `--lan` says how to start one a phone can reach.
#[test]
fn a_new_pairing_code_is_offered_without_a_restart() {
    let env = Env::new();
    let (server, _) = start_lan(&env);
    let (status, offer) = json_post(&server, "/api/pairing", "{}");
    assert_eq!(status, 200, "{offer}");
    let url = offer["url"].as_str().expect("url");
    assert!(
        url.starts_with("http://") && url.contains("/pair?code="),
        "{url}"
    );
    assert_eq!(offer["minutes"], 10);
    let svg = offer["qr_svg"].as_str().expect("svg");
    assert!(svg.contains("<svg") && !svg.contains("<script"), "{svg}");
    let (host, path) = url
        .trim_start_matches("http://")
        .split_once('/')
        .expect("path");
    let path = format!("/{path}");
    let (status, head, _) = raw_request(server.port, "GET", &path, &[("Host", host)], "");
    assert_eq!(status, 303, "the new code pairs: {head}");
    let device = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: ")
                .then(|| l[12..].to_owned())
        })
        .and_then(|c| c.split(';').next().map(str::to_owned))
        .expect("cookie");
    let (status, _, body) = raw_request(
        server.port,
        "POST",
        "/api/pairing",
        &[
            ("Host", host),
            ("Cookie", &device),
            ("Content-Type", "application/json"),
        ],
        "{}",
    );
    assert_eq!(status, 403, "a phone does not offer codes: {body}");

    let other = Env::new();
    let plain = start(&other);
    let (status, refused) = json_post(&plain, "/api/pairing", "{}");
    assert_eq!(status, 400, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .expect("message")
            .contains("serve --lan"),
        "{refused}"
    );
}

/// Sends a raw HTTP/1.1 request over TLS to 127.0.0.1, trusting only
/// `cert_pem`; returns (status, headers, body).
fn tls_request(
    port: u16,
    cert_pem: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String, String) {
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(cert_pem.as_bytes()) {
        roots.add(cert.expect("cert")).expect("root");
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        #[allow(deprecated)]
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = rustls::pki_types::ServerName::try_from("127.0.0.1").expect("name");
    let connection = rustls::ClientConnection::new(std::sync::Arc::new(config), name).expect("tls");
    let socket = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut stream = rustls::StreamOwned::new(connection, socket);
    let mut text =
        format!("GET {path} HTTP/1.1\r\nConnection: close\r\nHost: 127.0.0.1:{port}\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).expect("send");
    let mut response = Vec::new();
    // The server may close without a TLS close_notify: what came is enough.
    let _ = stream.read_to_end(&mut response);
    let (status, head, body) = split_response(&response);
    let body = body_of(&head, &body);
    (status, head, body)
}

/// `serve --lan --tls-cert --tls-key` serves https with the user's own
/// certificate: https URLs, `Secure` cookies, a page policy naming https,
/// and only then a web app manifest and home-screen icons. Plain http
/// offers no manifest; a key that cannot be read is said so, and nothing
/// is served.
#[test]
fn https_with_the_users_certificate_offers_the_home_screen() {
    let env = Env::new();
    let made =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
            .expect("certificate");
    let cert_pem = made.cert.pem();
    let cert = env.write("tls/cert.pem", &cert_pem);
    let key = env.write("tls/key.pem", made.signing_key.serialize_pem());
    let (server, lines) = start_lan_with(
        &env,
        &[
            "--tls-cert",
            cert.to_str().expect("path"),
            "--tls-key",
            key.to_str().expect("path"),
        ],
    );
    assert!(
        lines[0].starts_with("notedeck is serving https://"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("https://") && l.contains("/pair?code=")),
        "{lines:?}"
    );
    let port = server.port;
    let (status, head, _) = tls_request(port, &cert_pem, &format!("/?token={}", server.token), &[]);
    assert_eq!(status, 303, "{head}");
    let cookie_line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie in {head}"));
    assert!(cookie_line.contains("; Secure"), "{cookie_line}");
    let token_header = ("X-Notedeck-Token", server.token.as_str());
    let (status, head, page) = tls_request(port, &cert_pem, "/", &[token_header]);
    assert_eq!(status, 200, "{head}");
    assert!(
        page.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#),
        "{page}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("script-src https://127.0.0.1:{port}/assets/")),
        "{head}"
    );
    let (status, head, manifest) =
        tls_request(port, &cert_pem, "/manifest.webmanifest", &[token_header]);
    assert_eq!(status, 200, "{head}");
    let manifest: Value = serde_json::from_str(&manifest).expect("manifest JSON");
    assert_eq!(manifest["display"], "standalone");
    let icon = manifest["icons"][0]["src"].as_str().expect("icon");
    let (status, head, _) = tls_request(port, &cert_pem, icon, &[token_header]);
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: image/png"),
        "{head}"
    );
    drop(server);

    // Plain http: no manifest, no link to one.
    let plain = start(&env);
    let (status, _, _) = request(&plain, "GET", "/manifest.webmanifest", &[], "");
    assert_eq!(status, 404);
    let (_, head, page) = request(&plain, "GET", "/", &[], "");
    assert!(!body_of(&head, &page).contains("manifest"), "{page}");
    drop(plain);

    // A key that is not one: said so, and nothing listens.
    let bad = env.write("tls/bad.pem", "not a key");
    let out = env.run(&[
        "serve",
        "--lan",
        "--port",
        "0",
        "--tls-cert",
        cert.to_str().expect("path"),
        "--tls-key",
        bad.to_str().expect("path"),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot read a private key from"),
        "{stderr}"
    );
}
