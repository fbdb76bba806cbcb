//! Failures say what happened in one line, exit non-zero and change nothing.

use crate::support::Env;

#[track_caller]
fn fails(env: &Env, args: &[&str], expected: &str) {
    let out = env.run(args);
    assert!(!out.status.success(), "{args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(expected), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn missing_path_fails_clearly() {
    let env = Env::new();
    fails(
        &env,
        &["import", "/no/such/folder"],
        "no such file or folder",
    );
}

#[test]
fn import_without_sources_says_what_to_do() {
    let env = Env::new();
    fails(&env, &["import"], "notedeck import PATH");
}

#[test]
fn unknown_deck_fails_clearly() {
    let env = Env::new();
    fails(&env, &["cards", "--deck", "Nope"], "no deck named `Nope`");
}

#[test]
fn a_file_that_is_not_a_collection_is_left_alone() {
    let env = Env::new();
    std::fs::write(env.db(), "just some text, not SQLite").expect("write");
    fails(&env, &["decks"], "is not a notedeck collection");
    assert_eq!(
        std::fs::read_to_string(env.db()).expect("read"),
        "just some text, not SQLite"
    );

    let other = env.dir.path().join("other.sqlite3");
    let conn = rusqlite::Connection::open(&other).expect("open");
    conn.execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);")
        .expect("create");
    drop(conn);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .args(["--db", other.to_str().expect("path"), "decks"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another program"));
}

#[test]
fn a_newer_collection_is_refused_unchanged() {
    let env = Env::new();
    env.ok(&["decks"]);
    env.sql()
        .pragma_update(None, "user_version", 99)
        .expect("bump");
    let before = std::fs::read(env.db()).expect("read");
    fails(&env, &["decks"], "newer notedeck (schema 99");
    assert_eq!(std::fs::read(env.db()).expect("read"), before);
}

#[test]
fn bad_now_is_explained() {
    let env = Env::new();
    fails(&env, &["--now", "yesterday", "decks"], "RFC 3339");
}
