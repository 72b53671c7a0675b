//! Structured logs: JSON lines in production, readable text in development.
//! `RUST_LOG` adjusts the filter (default: info for Bookwork, warn elsewhere).
//!
//! One event is one line, whatever its values hold: JSON escapes line
//! breaks itself, and text logs go through [`OneLine`], so a value that
//! quotes something a person typed (a database error repeating the input, a
//! mail server's several-line reply) can never start a forged entry.
use std::io::{self, Write};

use tracing::Subscriber;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("bookwork=info,tower_http=info,warn"));
    // A second init (tests) is harmless: keep the first subscriber.
    let _ = subscriber(json, filter, io::stderr).try_init();
}

/// The subscriber the server logs through, writing to `writer`.
pub fn subscriber<W>(json: bool, filter: EnvFilter, writer: W) -> Box<dyn Subscriber + Send + Sync>
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let builder = fmt().with_env_filter(filter).with_target(false);
    if json {
        Box::new(builder.json().with_writer(writer).finish())
    } else {
        Box::new(builder.with_writer(OneLine(writer)).finish())
    }
}

/// Writes each event (which the formatter hands over in one `write`, ending
/// in its line break) as one line: a line break or carriage return inside it
/// is written as `\n` or `\r`.
pub struct OneLine<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for OneLine<M> {
    type Writer = OneLineWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        OneLineWriter(self.0.make_writer())
    }
}

pub struct OneLineWriter<W>(W);

impl<W: Write> Write for OneLineWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let body = buf.strip_suffix(b"\n").unwrap_or(buf);
        let mut line = Vec::with_capacity(buf.len() + 8);
        for &b in body {
            match b {
                b'\n' => line.extend_from_slice(b"\\n"),
                b'\r' => line.extend_from_slice(b"\\r"),
                b => line.push(b),
            }
        }
        if body.len() < buf.len() {
            line.push(b'\n');
        }
        self.0.write_all(&line)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects what is written, for reading back.
    #[derive(Clone, Default)]
    pub struct Capture(Arc<Mutex<Vec<u8>>>);

    impl Write for Capture {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Capture {
        type Writer = Capture;
        fn make_writer(&'a self) -> Capture {
            self.clone()
        }
    }

    #[test]
    fn a_line_break_in_a_value_cannot_forge_a_log_entry() {
        let forged =
            "x\"\n2026-12-04T00:00:00.000000Z ERROR forged: the admin password is hunter2\r\n";
        for json in [false, true] {
            let capture = Capture::default();
            let log = subscriber(json, EnvFilter::new("info"), capture.clone());
            tracing::subscriber::with_default(log, || {
                tracing::error!(error = %format!("invalid input syntax for type uuid: \"{forged}\""), "database error");
                tracing::info!(name = forged, "signed up");
                tracing::info!("and the next entry");
            });
            let written = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
            let lines: Vec<&str> = written.lines().collect();
            assert_eq!(lines.len(), 3, "json: {json}\n{written}");
            assert!(
                lines.iter().all(|l| !l.contains("\r")),
                "json: {json}\n{written}"
            );
            assert!(lines[0].contains("forged") && lines[1].contains("forged"));
            assert!(lines[2].contains("and the next entry"));
        }
    }
}
