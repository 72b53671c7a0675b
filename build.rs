//! Records the commit the binary is built from (`BOOKWORK_COMMIT`), for
//! `/admin/system` and the build-info metric; "unknown" outside a git
//! checkout (a source tarball), so the build never depends on git.
use std::path::Path;
use std::process::Command;

fn main() {
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
    // Run again when HEAD moves; a path that does not exist would make cargo
    // run this on every build, so only existing ones are named.
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
