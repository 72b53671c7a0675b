//! The embedded database stops with the server: the real `bookwork` binary,
//! with no DATABASE_URL, starts its own PostgreSQL cluster; SIGTERM ends the
//! server, and the cluster it started is gone with it (README, "Operating
//! it": "SIGTERM/SIGINT: stop accepting, let in-flight requests finish,
//! stop the embedded database"). Its own test binary: it runs a cluster of
//! its own and sends real signals.
#![cfg(feature = "ssr")]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::process::{start_bookwork, wait_for};
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

/// Whether a process with this id is running (a zombie waiting for its
/// parent to collect it has stopped running).
fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // "pid (comm) state ...": the state follows the last ')'.
        Ok(stat) => {
            let state = stat.rsplit_once(')').unwrap().1.trim_start();
            !state.starts_with('Z')
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => panic!("reading /proc/{pid}/stat: {e}"),
    }
}

#[tokio::test]
async fn sigterm_stops_the_server_and_the_embedded_database_it_started() {
    // Under /tmp and traversable, so that the cluster (run as the postgres
    // user when this runs as root) lives here and not in a fallback place.
    let home = tempfile::Builder::new()
        .prefix("bookwork-embedded-")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data_dir = home.path().join("postgres");
    let (mut server, port) = start_bookwork(
        home.path(),
        "embedded",
        &[("BOOKWORK_DATA_DIR", data_dir.to_str().unwrap())],
        // initdb on a busy machine
        Duration::from_secs(120),
    )
    .await;

    // The cluster it started: postmaster.pid's first line is its process.
    let pid_file = data_dir.join("data").join("postmaster.pid");
    let postmaster: i32 = std::fs::read_to_string(&pid_file)
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", pid_file.display(), server.log_text()))
        .lines()
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(postmaster), "the embedded PostgreSQL runs");
    let r = reqwest::get(format!("http://127.0.0.1:{port}/readyz"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    kill(Pid::from_raw(server.pid()), Signal::SIGTERM).unwrap();
    let status = wait_for("the server to exit", Duration::from_secs(60), || {
        let exited = server.child.try_wait().unwrap();
        async move { exited }
    })
    .await;
    let log = server.log_text();
    assert!(status.success(), "{status}:\n{log}");
    assert!(log.contains("stopping the embedded database"), "{log}");
    // `pg_ctl stop -w` returned before the server exited: nothing is left
    // to wait for.
    assert!(!pid_file.exists(), "postmaster.pid is gone:\n{log}");
    assert!(
        !alive(postmaster),
        "PostgreSQL ({postmaster}) is gone:\n{log}"
    );
}
