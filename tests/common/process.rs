//! The real `bookwork` binary as a process of its own, for what only a
//! process shows: its own metrics recorder, signals, the embedded database
//! it starts and stops. And waiting for a condition with a deadline (never
//! for a fixed time).
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

/// A process killed when dropped, its output in a file.
pub struct Process {
    pub child: Child,
    pub log: PathBuf,
}

impl Process {
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> i32 {
        self.child.id().expect("the process is running") as i32
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// Asks `check` every 50 ms until it answers `Some`, for at most `limit`;
/// then fails, saying what was awaited.
pub async fn wait_for<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "gave up after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Starts `bookwork` (the server) in `dir` with only the environment a
/// deployment would give it, `env` on top; waits until `/readyz` answers
/// 200 (failing with its log if it exits or takes over `ready_within`).
/// Returns the process and its HTTP port.
pub async fn start_bookwork(
    dir: &Path,
    name: &str,
    env: &[(&str, &str)],
    ready_within: Duration,
) -> (Process, u16) {
    let port = super::free_port();
    let log = dir.join(format!("{name}.log"));
    let out = std::fs::File::create(&log).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bookwork"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOSTNAME", name)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("METRICS_ADDR", "off")
        .env("ENVIRONMENT", "development")
        .env("COOKIE_SECURE", "false")
        .env("JWT_SECRET", "one secret shared by every bookwork instance")
        .env("PUBLIC_URL", "http://bookwork.test")
        .env("MAIL_DIR", dir.join("mail"))
        .env("RUST_LOG", "bookwork=debug,info")
        // Its own directory: no `.env` of a checkout is read.
        .current_dir(dir)
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut process = Process {
        child: cmd.spawn().unwrap(),
        log,
    };
    let client = reqwest::Client::new();
    let ready = format!("http://127.0.0.1:{port}/readyz");
    let what = format!("{name} to answer /readyz");
    wait_for(&what, ready_within, || {
        if let Ok(Some(status)) = process.child.try_wait() {
            panic!("{name} exited ({status}):\n{}", process.log_text());
        }
        let request = client.get(&ready).send();
        async move { request.await.ok().filter(|r| r.status() == 200).map(|_| ()) }
    })
    .await;
    (process, port)
}
