//! `POST /api/import/stream`: an import whose progress streams to the
//! browser as it happens, one JSON object per line (`application/x-ndjson`):
//! `{"progress":{done,total,phase}}` lines, then one `{"report":…}` or
//! `{"error":…}` line.
//!
//! tiny_http buffers chunked bodies in 8 KiB blocks, which would hold the
//! progress back until the end, so this writes the HTTP/1.1 chunked
//! response itself on the connection, flushes every line, and closes the
//! connection afterwards.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use notedeck_api::{ImportRequest, ProgressGate, Service};
use tiny_http::Request;

/// Runs the import on this thread, writing progress to `request`'s connection.
pub fn import(
    service: &mut Service,
    request: Request,
    headers: &[(&'static str, String)],
    paths: &[PathBuf],
    import: &ImportRequest,
    now: DateTime<Utc>,
) {
    let mut out = ChunkedWriter::start(request.into_writer(), headers);
    let mut gate = ProgressGate::default();
    let result = service.import(paths, import, now, &mut |progress| {
        if gate.admit(&progress) {
            out.line(&serde_json::json!({ "progress": progress }));
        }
    });
    let last = match result {
        Ok(report) => serde_json::json!({ "report": report }),
        Err(error) => serde_json::json!({ "error": error }),
    };
    out.line(&last);
    out.finish();
}

/// An HTTP/1.1 chunked response written straight to the connection. A
/// client that went away stops the writing, not the import.
struct ChunkedWriter {
    writer: Box<dyn Write + Send>,
    broken: bool,
}

impl ChunkedWriter {
    fn start(writer: Box<dyn Write + Send>, headers: &[(&'static str, String)]) -> ChunkedWriter {
        // `Connection: close`: tiny_http does not take this connection back
        // after `into_writer`, so a browser reusing it for the next request
        // would wait for ever (seen as a hung favicon in the e2e test).
        let mut head = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut chunked = ChunkedWriter {
            writer,
            broken: false,
        };
        chunked.write(head.as_bytes());
        chunked
    }

    fn line(&mut self, value: &serde_json::Value) {
        let mut text = value.to_string();
        text.push('\n');
        let chunk = format!("{:x}\r\n{text}\r\n", text.len());
        self.write(chunk.as_bytes());
    }

    fn finish(mut self) {
        self.write(b"0\r\n\r\n");
    }

    fn write(&mut self, bytes: &[u8]) {
        if !self.broken {
            self.broken = self
                .writer
                .write_all(bytes)
                .and_then(|()| self.writer.flush())
                .is_err();
        }
    }
}
