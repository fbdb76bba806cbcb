//! Hostile notes, other local users, other web pages and careless
//! clients: each reproduction of issue 10, as a test (see SECURITY.md).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::serve::{json_post, raw_request, request, start, start_on};
use crate::support::Env;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn media_files(env: &Env) -> Vec<String> {
    let dir = env.dir.path().join("collection.media");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

#[test]
fn a_note_cannot_plant_html_or_script_in_the_media_folder() {
    let env = Env::new();
    env.write("p.html", "<script>fetch('/api/cards')</script>");
    env.write("p.js", "fetch('/api/cards')");
    env.write("fake.png", "<html><script>alert(1)</script></html>");
    env.write("good.png", PNG);
    env.write(
        "trap.md",
        "# Trap\n\n## Pictures\n\n![](p.html) ![](p.js) ![[p.html]] ![](fake.png) ![](good.png)\n",
    );
    let report = env.import_notes();
    let media = media_files(&env);
    assert_eq!(media.len(), 1, "only the real PNG is copied: {media:?}");
    assert!(media[0].ends_with(".png"));
    let warnings = report.to_string();
    assert!(
        warnings.contains("only images, audio, video and PDF files are copied"),
        "{report:#}"
    );
    assert!(
        warnings.contains("its content is not what its file ending says"),
        "{report:#}"
    );

    // Even a file already in the folder (an older collection, another
    // program) is never served as a page or a script.
    let folder = env.dir.path().join("collection.media");
    std::fs::write(
        folder.join("0123456789abcdef0123.html"),
        "<script>1</script>",
    )
    .expect("w");
    std::fs::write(folder.join("0123456789abcdef0123.js"), "alert(1)").expect("w");
    let server = start(&env);
    for name in ["0123456789abcdef0123.html", "0123456789abcdef0123.js"] {
        let (status, _, _) = request(&server, "GET", &format!("/media/{name}"), &[], "");
        assert_eq!(status, 404, "{name} is not served");
    }
    let (status, head, _) = request(&server, "GET", &format!("/media/{}", media[0]), &[], "");
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "content-type"), Some("image/png"));
    assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"));
    let csp = header(&head, "content-security-policy").expect("media CSP");
    assert!(csp.contains("sandbox"), "{csp}");

    // The page allows script only from the UI's own assets.
    let (status, head, _) = raw_request(server.port, "GET", "/", &[], "");
    if status == 200 {
        let csp = header(&head, "content-security-policy").expect("page CSP");
        let script = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("script-src");
        assert!(script.trim().ends_with("/assets/"), "{csp}");
        assert!(!script.contains("'self'"), "{csp}");
    }
}

#[test]
fn migration_removes_media_the_rule_refuses() {
    let env = Env::new();
    env.write("note.md", "# N\n\n## A\n\nText.\n");
    env.import_notes();
    // Pretend an older notedeck copied these, then open the collection as
    // it was before the media rule (schema 3).
    let folder = env.dir.path().join("collection.media");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("aaaaaaaaaaaaaaaaaaaa.html"), "<script>").expect("w");
    std::fs::write(folder.join("bbbbbbbbbbbbbbbbbbbb.png"), "<script>").expect("w");
    std::fs::write(folder.join("cccccccccccccccccccc.png"), PNG).expect("w");
    {
        let sql = env.sql();
        sql.execute_batch(
            "DROP TRIGGER review_totals_answer_added; DROP TRIGGER review_totals_answer_removed;
             DROP TRIGGER review_totals_answer_changed; DROP TRIGGER review_totals_note_moved;
             DROP TRIGGER review_totals_card_moved; DROP TRIGGER review_totals_card_removed;
             DROP TABLE review_totals_state; DROP TABLE review_day_totals;
             DROP TABLE review_deck_totals;
             DROP INDEX cards_reading; DROP INDEX cards_leech;
             CREATE INDEX cards_note ON cards(note_id, ord);
             DROP INDEX cards_due; CREATE INDEX cards_due ON cards(due_day) WHERE retired = 0;
             DROP INDEX cards_new; DROP INDEX cards_learning; ALTER TABLE cards DROP COLUMN learning;
             ALTER TABLE review_log DROP COLUMN learning_before;
             ALTER TABLE review_log DROP COLUMN learning_after;
             ALTER TABLE review_log DROP COLUMN steps;
             ALTER TABLE cards DROP COLUMN stability; ALTER TABLE cards DROP COLUMN difficulty;
             ALTER TABLE review_log DROP COLUMN epoch;
             ALTER TABLE review_log DROP COLUMN stability_before;
             ALTER TABLE review_log DROP COLUMN difficulty_before;
             ALTER TABLE review_log DROP COLUMN stability_after;
             ALTER TABLE review_log DROP COLUMN difficulty_after;
             ALTER TABLE card_actions DROP COLUMN stability_before;
             ALTER TABLE card_actions DROP COLUMN difficulty_before;
             DROP TABLE scheduler_epochs;
             CREATE INDEX notes_deck ON notes(deck_id); DROP INDEX notes_deck_ord;
             DROP TABLE deck_options; ALTER TABLE review_log DROP COLUMN max_interval;
             ALTER TABLE review_log DROP COLUMN session;
             DROP TABLE card_search; DROP INDEX cards_search_id; DROP INDEX cards_browse;
             ALTER TABLE cards DROP COLUMN search_id;
             DROP TABLE card_actions; ALTER TABLE cards DROP COLUMN suspended;
             ALTER TABLE cards DROP COLUMN buried_until; ALTER TABLE cards DROP COLUMN user_tags;
             DROP TABLE dismissed_findings; DROP TABLE removed_media;
             ALTER TABLE notes DROP COLUMN embeds_notes;
             DROP TABLE reading_choices; DROP TABLE extractions; DROP TABLE devices;
             DROP TABLE answer_keys; DROP TABLE sync_exported; DROP TABLE sync_merged;
             DROP TABLE sync_pending; DROP TABLE sync_files; DROP TABLE undone_answers;
             DROP TABLE undone_actions; DROP TABLE card_places; DROP TABLE card_aliases; DROP TABLE shared_settings;
             DROP TABLE anki_cards; ALTER TABLE review_log DROP COLUMN imported;
             DROP INDEX notes_vault_path; ALTER TABLE notes DROP COLUMN vault_path;
             PRAGMA user_version = 3;",
        )
        .expect("downgrade");
    }
    let out = env.run(&["decks"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("removed 2 file(s) from the media folder"),
        "{stderr}"
    );
    assert_eq!(
        media_files(&env),
        vec!["cccccccccccccccccccc.png".to_owned()]
    );
    let removed: i64 = env
        .sql()
        .query_row("SELECT count(*) FROM removed_media", [], |r| r.get(0))
        .expect("count");
    assert_eq!(removed, 2);
    // Once only.
    let again = env.run(&["decks"]);
    assert!(String::from_utf8_lossy(&again.stderr).is_empty());
}

#[test]
fn references_outside_the_imported_folder_are_not_copied() {
    let env = Env::new();
    let outside = env.dir.path().join("private.png");
    std::fs::write(&outside, PNG).expect("write");
    env.write(
        "escape.md",
        "# Escape\n\n## Tries\n\n![](/etc/hostname) ![](../../../../etc/hostname) ![](%2Fetc%2Fhostname)\n\
         ![[/etc/os-release]] ![](/proc/self/environ) ![](../private.png) ![](/../private.png)\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, env.notes().join("linked.png")).expect("symlink");
    env.write(
        "linked.md",
        "# Linked\n\n## Via a link\n\n![](linked.png) ![[linked.png]]\n",
    );
    env.import_notes();
    assert!(media_files(&env).is_empty(), "{:?}", media_files(&env));

    for path in ["/etc/passwd", "/dev/zero"] {
        if !Path::new(path).exists() {
            continue;
        }
        let out = env.run(&["import", path]);
        assert_eq!(out.status.code(), Some(1), "{path} is refused");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("is not imported"), "{stderr}");
    }
    assert!(env
        .cards()
        .iter()
        .all(|c| !c["note"].as_str().unwrap_or("").starts_with("/etc")));
}

#[cfg(unix)]
#[test]
fn fifos_are_skipped_and_listed_and_never_block() {
    let env = Env::new();
    env.write("real.md", "# Real\n\n## Q\n\nA.\n");
    let fifo = env.notes().join("pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    // Nobody writes to the FIFO: reading it would wait for ever.
    let report = env.import_notes();
    assert_eq!(report["totals"]["added"], 1, "{report:#}");
    let text = report.to_string();
    assert!(text.contains("FIFO"), "the FIFO is listed: {report:#}");
    let out = env.run(&["import", fifo.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FIFO"));
}

#[test]
fn the_api_needs_the_token_on_loopback_too() {
    let env = Env::new();
    let server = start(&env);
    let port = server.port;
    for path in [
        "/api/decks",
        "/api/cards",
        "/media/0123456789abcdef0123.png",
    ] {
        let (status, head, body) = raw_request(port, "GET", path, &[], "");
        assert_eq!(status, 403, "{path} without the token: {body}");
        // Refusals carry the security headers too.
        assert!(header(&head, "content-security-policy").is_some(), "{head}");
        assert_eq!(header(&head, "x-content-type-options"), Some("nosniff"));
    }
    let (status, _, body) = raw_request(
        port,
        "POST",
        "/api/import",
        &[("Content-Type", "application/json")],
        "{\"paths\":[\"/etc\"]}",
    );
    assert_eq!(status, 403, "{body}");
    let (status, _, _) = raw_request(port, "GET", "/api/health", &[], "");
    assert_eq!(status, 200, "the health check is open");

    // The URL's token becomes an HttpOnly, SameSite=Strict cookie, and the
    // page is opened again without it in the address.
    let (status, head, _) = raw_request(port, "GET", &format!("/?token={}", server.token), &[], "");
    assert_eq!(status, 303, "{head}");
    assert_eq!(header(&head, "location"), Some("/"));
    let cookie = header(&head, "set-cookie").expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("pair");
    let (status, _, _) = raw_request(port, "GET", "/api/decks", &[("Cookie", pair)], "");
    assert_eq!(status, 200);
    let (status, _, _) = raw_request(
        port,
        "GET",
        "/api/decks",
        &[("Cookie", "notedeck_token_1=wrong")],
        "",
    );
    assert_eq!(status, 403);
}

#[test]
fn out_of_range_numbers_get_a_clear_error_and_the_server_goes_on() {
    let env = Env::new();
    env.write("deck.md", "# Deck\n## Q1\nA.\n");
    env.import_notes();
    let server = start(&env);
    for days in ["4000000000", "95000000", "0", "abc", "-1", "99999999999999"] {
        let (status, _, body) =
            request(&server, "GET", &format!("/api/stats?days={days}"), &[], "");
        assert_eq!(status, 400, "days={days}: {body}");
        assert!(body.contains("days must be"), "{body}");
    }
    let (status, _, _) = request(&server, "GET", "/api/health", &[], "");
    assert_eq!(status, 200, "still serving");
    let id = env.cards()[0]["id"].as_str().expect("id").to_owned();
    for ms in ["-5", "9223372036854775807"] {
        let (status, error) = json_post(
            &server,
            "/api/answer",
            &format!("{{\"card_id\":\"{id}\",\"grade\":\"good\",\"duration_ms\":{ms}}}"),
        );
        assert_eq!(status, 400, "duration_ms {ms}: {error}");
    }
    let (status, _, stats) = request(&server, "GET", "/api/stats?days=7", &[], "");
    assert_eq!(status, 200, "{stats}");
    assert!(!stats.contains("\"time_ms\":-"), "no negative times");

    let out = env.run(&["stats", "--days", "4000000000"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("days must be between 1 and 36500"));
    let out = env.run(&["answer", &id, "good", "--duration-ms=-3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("duration_ms must be between"));
}

#[test]
fn a_slow_client_does_not_hold_the_server() {
    let env = Env::new();
    let server = start(&env);
    // Declares ten megabytes, sends one byte, and waits.
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        slow,
        "POST /api/import HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Notedeck-Token: {}\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{{",
        server.port, server.token
    )
    .expect("send");
    // One that never finishes its headers.
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(silent, "GET /api/health HTTP/1.1\r\nHost: 127").expect("send");
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..3 {
        let (status, _, _) = request(&server, "GET", "/api/decks", &[], "");
        assert_eq!(status, 200, "others are answered meanwhile");
    }
    // A body declared bigger than the limit is refused at once.
    let big = "x".repeat(2 * 1024 * 1024);
    let (status, _, _) = request(
        &server,
        "POST",
        "/api/import",
        &[("Content-Type", "application/json")],
        &big,
    );
    assert!(status == 400 || status == 413, "status {status}");
    // The slow client is cut off after the read timeout.
    slow.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut answer = String::new();
    let _ = slow.read_to_string(&mut answer);
    assert!(
        answer.is_empty() || answer.contains(" 400 ") || answer.contains(" 408 "),
        "{answer}"
    );
}

#[test]
fn two_processes_giving_the_first_answer_of_a_day_both_succeed() {
    const PROCESSES: usize = 4;
    for trial in 0..6 {
        let env = Env::new();
        let mut note = String::from("# Deck\n");
        for i in 0..PROCESSES {
            note.push_str(&format!("## Q{i}\nA{i}.\n"));
        }
        env.write("deck.md", note);
        env.import_notes();
        let ids: Vec<String> = env
            .cards()
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect();
        let children: Vec<_> = ids
            .iter()
            .map(|id| {
                Command::new(env!("CARGO_BIN_EXE_notedeck"))
                    .arg("--db")
                    .arg(env.db())
                    .args(["--now", "2026-03-02T09:00:00Z", "answer", id, "good"])
                    .env("TZ", "UTC")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            assert!(
                out.status.success(),
                "trial {trial}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                String::from_utf8_lossy(&out.stderr).is_empty(),
                "trial {trial}: no warning: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let stored: i64 = env
            .sql()
            .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))
            .expect("count");
        assert_eq!(stored, PROCESSES as i64, "trial {trial}");
        let check = env.json(&["check"]);
        assert_eq!(check["ok"], true, "{check:#}");
        let backups = env.dir.path().join("collection.backups");
        let names: Vec<String> = std::fs::read_dir(&backups)
            .expect("backups")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            vec!["collection-2026-03-02.sqlite3".to_owned()],
            "{names:?}"
        );
    }
}

#[test]
fn an_answer_waits_for_an_import_instead_of_failing() {
    let env = Env::new();
    env.write("first.md", "# First\n## Q\nA.\n");
    env.import_notes();
    let id = env.cards()[0]["id"].as_str().expect("id").to_owned();
    // A big folder and pathological nesting keep the import busy.
    let big = env.dir.path().join("big");
    std::fs::create_dir_all(&big).expect("mkdir");
    std::fs::write(
        big.join("lists.md"),
        format!("# L\n## D\n{}x\n", "- ".repeat(40_000)),
    )
    .expect("w");
    std::fs::write(
        big.join("quotes.md"),
        format!("# Q\n## D\n{}x\n", ">".repeat(200_000)),
    )
    .expect("w");
    std::fs::write(
        big.join("divs.md"),
        format!("# V\n## D\n{}x\n", "<div>".repeat(40_000)),
    )
    .expect("w");
    for n in 0..400 {
        let mut text = format!("# Note {n}\n");
        for s in 0..10 {
            text.push_str(&format!(
                "## Section {s}\nSome words for {n}.{s} and more.\n"
            ));
        }
        std::fs::write(big.join(format!("n{n}.md")), text).expect("w");
    }
    let import = Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .arg("--db")
        .arg(env.db())
        .args(["import", big.to_str().expect("path")])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn import");
    std::thread::sleep(Duration::from_millis(150));
    let answer = env.run(&["--now", "2026-03-02T09:00:00Z", "answer", &id, "good"]);
    assert!(
        answer.status.success(),
        "{}",
        String::from_utf8_lossy(&answer.stderr)
    );
    let out = import.wait_with_output().expect("import");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn names_cannot_drive_the_terminal() {
    let env = Env::new();
    env.write(
        "evil\x1b]0;pwned\x07/note\x1b[31m.md",
        "# Title\x1b[2J\n## Q\nA.\n",
    );
    env.import_notes();
    for args in [
        vec!["import", env.notes().to_str().expect("path")],
        vec!["decks"],
        vec!["due"],
        vec!["cards"],
    ] {
        let out = env.ok(&args);
        assert!(!out.contains('\x1b'), "{args:?} printed an escape: {out:?}");
        assert!(!out.contains('\x07'), "{args:?} printed a bell: {out:?}");
    }
}

#[test]
fn the_url_names_the_address_the_server_listens_on() {
    let env = Env::new();
    let (server, url) = start_on(&env, "127.0.0.2");
    assert!(url.starts_with("http://127.0.0.2:"), "{url}");
    let mut stream = TcpStream::connect(("127.0.0.2", server.port)).expect("connect");
    write!(
        stream,
        "GET /api/decks HTTP/1.1\r\nHost: 127.0.0.2:{}\r\nX-Notedeck-Token: {}\r\nConnection: close\r\n\r\n",
        server.port, server.token
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn links_in_the_media_folder_are_not_followed() {
    let env = Env::new();
    let folder = env.dir.path().join("collection.media");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let secret = env.dir.path().join("secret.png");
    std::fs::write(&secret, PNG).expect("w");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, folder.join("dddddddddddddddddddd.png")).expect("link");
    let server = start(&env);
    let (status, _, _) = request(&server, "GET", "/media/dddddddddddddddddddd.png", &[], "");
    assert_eq!(status, 404);
}

#[test]
fn cards_hold_no_form_controls_and_remote_images_can_be_blocked() {
    let env = Env::new();
    env.write(
        "tasks.md",
        "# Tasks\n\n## List\n\n- [ ] open\n- [x] done\n\n<input type=\"text\" value=\"x\"><button>b</button>\n",
    );
    env.import_notes();
    let back = env.card("List")["back_html"]
        .as_str()
        .expect("html")
        .to_owned();
    assert!(!back.contains("<input"), "{back}");
    assert!(back.contains("☐") && back.contains("☑"), "{back}");

    let settings = env.json(&["settings"]);
    assert_eq!(settings["remote_images"], true, "on by default");
    env.json(&["settings", "--remote-images", "off"]);
    let server = start(&env);
    let (status, head, _) = raw_request(server.port, "GET", "/", &[], "");
    if status == 200 {
        let csp = header(&head, "content-security-policy").expect("csp");
        let images = csp
            .split(';')
            .find(|d| d.trim().starts_with("img-src"))
            .expect("img-src");
        assert!(!images.contains("https:"), "{csp}");
    }
    let (_, settings) = json_post(&server, "/api/settings", "{\"remote_images\": true}");
    assert_eq!(settings["remote_images"], true);
    let (_, head, _) = raw_request(server.port, "GET", "/", &[], "");
    let csp = header(&head, "content-security-policy").unwrap_or("");
    assert!(csp.is_empty() || csp.contains("https:"), "{csp}");
    let _: Option<Value> = None;
}

#[test]
fn audio_video_and_pdf_embeds_become_players_and_links() {
    let env = Env::new();
    env.write("talk.mp3", b"ID3\x04\0\0\0\0\0\0");
    env.write("clip.mp4", b"\0\0\0\x18ftypisom\0\0\0\0isom");
    env.write("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\n");
    env.write(
        "media.md",
        "# Media\n\n## Players\n![[talk.mp3]] ![[clip.mp4|320]] ![[paper.pdf#page=3]] ![[Albums.base]]\n",
    );
    env.import_notes();
    let back = env.card("Players")["back_html"]
        .as_str()
        .expect("html")
        .to_owned();
    assert!(back.contains("<audio controls"), "{back}");
    assert!(
        back.contains("<video controls") && back.contains("width=\"320\""),
        "{back}"
    );
    assert!(
        back.contains("class=\"media-file pdf\"") && back.contains(".pdf#page=3"),
        "{back}"
    );
    assert!(back.contains("embed-file"), "{back}");
    assert!(
        !back.contains("<img"),
        "no file is shown as an image: {back}"
    );
    assert_eq!(media_files(&env).len(), 3, "{:?}", media_files(&env));
    let server = start(&env);
    let pdf = media_files(&env)
        .into_iter()
        .find(|n| n.ends_with(".pdf"))
        .expect("pdf");
    let (status, head, _) = request(&server, "GET", &format!("/media/{pdf}"), &[], "");
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-type"), Some("application/pdf"));
    assert_eq!(header(&head, "content-disposition"), Some("attachment"));
}
