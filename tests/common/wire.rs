//! A counting relay between a server under test and PostgreSQL: it passes
//! every byte through unchanged and reads the messages the server sends
//! (PostgreSQL's frontend protocol), so a test knows exactly which statements
//! a request cost and in how many transactions — what the server sent, not
//! what the database happens to keep statistics about.
//!
//! It listens on a Unix socket of its own; the server's pool is pointed at it
//! with [`Relay::options`].
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sqlx::postgres::{PgConnectOptions, PgSslMode};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixListener, UnixStream};

/// What the server sent, in order, across all its connections.
#[derive(Debug, Default, Clone)]
pub struct Sent {
    /// Every statement executed, by the connection that sent it (numbered
    /// in the order they were opened) and its SQL text (`BEGIN`, `COMMIT`
    /// and `ROLLBACK` included).
    pub sent: Vec<(usize, String)>,
    /// Every exchange that waits for PostgreSQL's answer before the next
    /// (a simple-protocol Query, or extended-protocol messages up to their
    /// Sync), by connection, with the statements it carried: none for
    /// sqlx's ping (a lone Sync).
    pub round_trips: Vec<(usize, Vec<String>)>,
}

impl Sent {
    /// Transactions: each BEGIN, and each statement sent outside a
    /// transaction (PostgreSQL runs it as one of its own). Statements of
    /// different connections interleave, so this follows BEGIN and
    /// COMMIT/ROLLBACK per connection.
    pub fn transactions(&self) -> usize {
        let mut open: HashMap<usize, bool> = HashMap::new();
        let mut count = 0;
        for (connection, sql) in &self.sent {
            let in_transaction = open.entry(*connection).or_default();
            if is_keyword(sql, "BEGIN") {
                *in_transaction = true;
                count += 1;
            } else if is_keyword(sql, "COMMIT") || is_keyword(sql, "ROLLBACK") {
                *in_transaction = false;
            } else if !*in_transaction {
                count += 1;
            }
        }
        count
    }

    /// Statements other than those that begin and end transactions.
    pub fn queries(&self) -> Vec<&str> {
        self.sent
            .iter()
            .map(|(_, sql)| sql.as_str())
            .filter(|s| {
                !["BEGIN", "COMMIT", "ROLLBACK"]
                    .iter()
                    .any(|k| is_keyword(s, k))
            })
            .collect()
    }
}

fn is_keyword(sql: &str, keyword: &str) -> bool {
    sql.trim()
        .trim_end_matches(';')
        .eq_ignore_ascii_case(keyword)
}

pub struct Relay {
    dir: tempfile::TempDir,
    port: u16,
    sent: Arc<Mutex<Sent>>,
}

/// Where the real server is.
enum Upstream {
    Unix(String),
    Tcp(String, u16),
}

impl Relay {
    /// Starts relaying to the database `options` points at.
    pub fn start(options: &PgConnectOptions) -> Relay {
        let port = options.get_port();
        let upstream = match options.get_socket() {
            Some(dir) => Upstream::Unix(format!("{}/.s.PGSQL.{port}", dir.display())),
            None if options.get_host().starts_with('/') => {
                Upstream::Unix(format!("{}/.s.PGSQL.{port}", options.get_host()))
            }
            None => Upstream::Tcp(options.get_host().to_owned(), port),
        };
        let upstream = Arc::new(upstream);
        let dir = tempfile::tempdir().expect("a directory for the relay's socket");
        let listener = UnixListener::bind(dir.path().join(format!(".s.PGSQL.{port}")))
            .expect("the relay listens");
        let sent = Arc::new(Mutex::new(Sent::default()));
        let shared = sent.clone();
        tokio::spawn(async move {
            let mut connections = 0;
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let sent = shared.clone();
                connections += 1;
                let connection = connections;
                tokio::spawn(async move {
                    let server: Box<dyn Duplex> = match &*upstream {
                        Upstream::Unix(path) => Box::new(UnixStream::connect(path).await.unwrap()),
                        Upstream::Tcp(host, port) => {
                            Box::new(TcpStream::connect((host.as_str(), *port)).await.unwrap())
                        }
                    };
                    relay(connection, client, server, sent).await;
                });
            }
        });
        Relay { dir, port, sent }
    }

    /// `options` with the connection going through this relay.
    pub fn options(&self, options: PgConnectOptions) -> PgConnectOptions {
        options
            .socket(self.dir.path())
            .port(self.port)
            .ssl_mode(PgSslMode::Disable)
    }

    /// Everything sent so far.
    pub fn sent(&self) -> Sent {
        self.sent.lock().unwrap().clone()
    }

    /// Forgets what was sent so far.
    pub fn clear(&self) {
        *self.sent.lock().unwrap() = Sent::default();
    }
}

trait Duplex: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Duplex for T {}

async fn relay(
    connection: usize,
    client: UnixStream,
    server: Box<dyn Duplex>,
    sent: Arc<Mutex<Sent>>,
) {
    let (mut client_read, mut client_write) = tokio::io::split(client);
    let (mut server_read, mut server_write) = tokio::io::split(server);
    let answers = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
    });
    let mut reader = Frontend::default();
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match client_read.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        // Counted before it is passed on: by the time the answer reaches the
        // server under test, the statement is on the list.
        let (statements, round_trips) = reader.feed(&buffer[..n]);
        if !statements.is_empty() || !round_trips.is_empty() {
            let mut sent = sent.lock().unwrap();
            sent.sent
                .extend(statements.into_iter().map(|sql| (connection, sql)));
            sent.round_trips
                .extend(round_trips.into_iter().map(|sqls| (connection, sqls)));
        }
        if server_write.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    answers.abort();
}

/// Reads the frontend's messages as they stream past and names each
/// statement it executes.
#[derive(Default)]
struct Frontend {
    pending: Vec<u8>,
    /// The startup message (and any SSL request before it) is untyped.
    started: bool,
    /// Prepared statements by name, and portals by name, to their SQL.
    prepared: HashMap<String, String>,
    portals: HashMap<String, String>,
    /// What the extended-protocol messages since the last Sync executed.
    since_sync: Vec<String>,
}

/// The SSL and GSS encryption requests' codes: the untyped message that
/// comes before the real startup message.
const ENCRYPTION_REQUESTS: [u32; 2] = [80_877_103, 80_877_104];

impl Frontend {
    /// The statements executed and the round trips completed by `bytes`.
    fn feed(&mut self, bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
        self.pending.extend_from_slice(bytes);
        let mut executed = Vec::new();
        let mut round_trips = Vec::new();
        loop {
            if !self.started {
                let Some(length) = be_u32(&self.pending, 0) else {
                    break;
                };
                let length = length as usize;
                if self.pending.len() < length {
                    break;
                }
                let code = be_u32(&self.pending, 4).unwrap_or(0);
                if !ENCRYPTION_REQUESTS.contains(&code) {
                    self.started = true;
                }
                self.pending.drain(..length);
                continue;
            }
            let Some(length) = be_u32(&self.pending, 1) else {
                break;
            };
            let total = 1 + length as usize;
            if self.pending.len() < total {
                break;
            }
            let kind = self.pending[0];
            let body: Vec<u8> = self.pending[5..total].to_vec();
            self.pending.drain(..total);
            let mut strings = body.split(|b| *b == 0).map(|s| String::from_utf8_lossy(s));
            match kind {
                // Query: simple protocol, a text of one or more statements
                // (`BEGIN; SELECT set_config(...)` is one message).
                b'Q' => {
                    let statements = split_statements(&strings.next().unwrap_or_default());
                    executed.extend(statements.iter().cloned());
                    round_trips.push(statements);
                }
                // Sync: the end of an extended-protocol exchange.
                b'S' => round_trips.push(std::mem::take(&mut self.since_sync)),
                // Parse: statement name, then its SQL.
                b'P' => {
                    let name = strings.next().unwrap_or_default().into_owned();
                    let sql = strings.next().unwrap_or_default().into_owned();
                    self.prepared.insert(name, sql);
                }
                // Bind: portal name, then the statement it runs.
                b'B' => {
                    let portal = strings.next().unwrap_or_default().into_owned();
                    let statement = strings.next().unwrap_or_default().into_owned();
                    let sql = self.prepared.get(&statement).cloned().unwrap_or_default();
                    self.portals.insert(portal, sql);
                }
                // Execute: the portal.
                b'E' => {
                    let portal = strings.next().unwrap_or_default().into_owned();
                    let sql = self.portals.get(&portal).cloned().unwrap_or_default();
                    self.since_sync.push(sql.clone());
                    executed.push(sql);
                }
                // Close: 'S' statement or 'P' portal, then its name.
                b'C' => {
                    let target = body.first().copied();
                    let name = String::from_utf8_lossy(
                        body.get(1..)
                            .unwrap_or_default()
                            .split(|b| *b == 0)
                            .next()
                            .unwrap_or_default(),
                    )
                    .into_owned();
                    match target {
                        Some(b'S') => self.prepared.remove(&name),
                        _ => self.portals.remove(&name),
                    };
                }
                _ => {}
            }
        }
        (executed, round_trips)
    }
}

/// The statements of a simple query, split at semicolons outside quotes.
fn split_statements(text: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            ';' if !quoted => {
                statements.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    statements.push(current);
    statements
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let slice = bytes.get(at..at + 4)?;
    Some(u32::from_be_bytes(slice.try_into().ok()?))
}
