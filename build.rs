//! Records the commit the binary is built from (`BOOKWORK_COMMIT`), for
//! `/admin/system` and the build-info metric; "unknown" outside a git
//! checkout (a source tarball), so the build never depends on git.
//!
//! Only the server reads it. The WASM bundle is built from the same crate,
//! and a value that changes with every commit would rebuild (and re-optimise,
//! minutes in release) a bundle whose code did not change; so for the WASM
//! target nothing is recorded and nothing in git is watched.
use std::path::Path;
use std::process::Command;

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rerun-if-changed=build.rs");
        return;
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=BOOKWORK_COMMIT={commit}");
    // The migrations are embedded by `sqlx::migrate!`, which cargo does not
    // see reading them: a new migration must rebuild the server.
    println!("cargo:rerun-if-changed=migrations");
    // Run again when HEAD moves; a path that does not exist would make cargo
    // run this on every build, so only existing ones are named.
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
