//! A small SMTP server for tests, on 127.0.0.1:0: it speaks enough of RFC
//! 5321 for a real client (lettre) to hand over messages, and keeps what it
//! was given. It can be told to stop answering after a number of messages,
//! as a mail server that hangs mid-conversation does.
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::Notify;

#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    /// The message as sent (headers and body, dot-stuffing undone).
    pub data: String,
}

#[derive(Clone, Default)]
pub struct SmtpServer {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    /// Hang (never answer) on the DATA of message number `n + 1`.
    hang_after: Arc<Mutex<Option<usize>>>,
    /// Woken when the server starts hanging.
    pub hanging: Arc<Notify>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        Self::start_hanging_after(None).await
    }

    pub async fn start_hanging_after(messages: Option<usize>) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = SmtpServer {
            url: format!("smtp://{}", listener.local_addr().unwrap()),
            hang_after: Arc::new(Mutex::new(messages)),
            ..SmtpServer::default()
        };
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.conversation(socket).await;
                });
            }
        });
        server
    }

    /// An address where nothing listens: every send fails.
    pub async fn nowhere() -> SmtpServer {
        let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("smtp://{}", closed.local_addr().unwrap());
        drop(closed);
        SmtpServer {
            url,
            ..SmtpServer::default()
        }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn conversation(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.smtp ready\r\n").await?;
        let mut recipients = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                b"250 test.smtp\r\n"
            } else if command.starts_with("MAIL FROM") {
                recipients.clear();
                b"250 OK\r\n"
            } else if command.starts_with("RCPT TO") {
                let to = line.trim_end()[8..]
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>');
                recipients.push(to.to_owned());
                b"250 OK\r\n"
            } else if command == "DATA" {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let hang = {
                    let received = self.received.lock().unwrap();
                    self.hang_after
                        .lock()
                        .unwrap()
                        .is_some_and(|n| received.len() >= n)
                };
                if hang {
                    self.hanging.notify_one();
                    std::future::pending::<()>().await;
                }
                self.received.lock().unwrap().push(Received {
                    recipients: recipients.clone(),
                    data,
                });
                b"250 queued\r\n"
            } else if command == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                // RSET, NOOP and anything else: fine.
                b"250 OK\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}

/// The text/plain part of a message, decoded (quoted-printable or base64),
/// with soft line breaks joined.
pub fn plain_text(data: &str) -> String {
    part(data, "text/plain")
}

/// The text/html part of a message, decoded as [`plain_text`] is.
pub fn html_text(data: &str) -> String {
    part(data, "text/html")
}

fn part(data: &str, content_type: &str) -> String {
    let start = data
        .find(&format!("Content-Type: {content_type}"))
        .unwrap_or_else(|| panic!("a {content_type} part"));
    let part = &data[start..];
    let (headers, rest) = part.split_once("\r\n\r\n").expect("part headers");
    let boundary = header(data, "Content-Type")
        .and_then(|ct| {
            ct.split("boundary=")
                .nth(1)
                .map(|b| b.trim_matches('"').to_owned())
        })
        .expect("a multipart message");
    let body = rest.split(&format!("\r\n--{boundary}")).next().unwrap();
    if headers.contains("Content-Transfer-Encoding: base64") {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(body.replace("\r\n", ""))
            .unwrap();
        String::from_utf8(bytes).unwrap()
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 3 <= bytes.len() {
                if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_owned()
    }
}

/// A header's value (unfolded), from the message's header block.
pub fn header(data: &str, name: &str) -> Option<String> {
    let head = data.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|l| {
        l.split_once(':')
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
    })
}

/// A header's value with its RFC 2047 encoded words (`=?utf-8?b?…?=`,
/// `=?utf-8?q?…?=`) decoded, as a mail program shows it.
pub fn decoded_header(data: &str, name: &str) -> Option<String> {
    use base64::Engine;
    let raw = header(data, name)?;
    let mut out = String::new();
    let mut rest = raw.as_str();
    let mut last_was_word = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            out.push_str(rest);
            break;
        };
        let between = &rest[..start];
        // Space between two encoded words is not part of the text.
        if !(last_was_word && between.trim().is_empty()) {
            out.push_str(between);
        }
        let word = &rest[start + 2..];
        let mut pieces = word.splitn(3, '?');
        let (_charset, encoding, tail) = (pieces.next()?, pieces.next()?, pieces.next()?);
        let end = tail.find("?=")?;
        let text = &tail[..end];
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .ok()?
        } else {
            let text = text.replace('_', " ");
            let mut bytes = Vec::new();
            let mut i = 0;
            let b = text.as_bytes();
            while i < b.len() {
                if b[i] == b'=' && i + 3 <= b.len() {
                    bytes.push(u8::from_str_radix(&text[i + 1..i + 3], 16).ok()?);
                    i += 3;
                } else {
                    bytes.push(b[i]);
                    i += 1;
                }
            }
            bytes
        };
        out.push_str(&String::from_utf8(bytes).ok()?);
        last_was_word = true;
        rest = &tail[end + 2..];
    }
    Some(out)
}
