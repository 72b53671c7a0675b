//! TLS to the database, end to end: a PostgreSQL that speaks TLS with a
//! certificate from a throw-away CA made here, and the `bookwork` binary
//! connecting with `verify-full`, refusing a certificate for another host
//! name, and refusing a server without TLS when `require` asks for it, each
//! with a start-up error that names the setting.
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use bookwork::server::embedded_pg::EmbeddedPostgres;
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{Connection, PgConnection};

use crate::common::free_port;

/// A CA and a certificate for "localhost" signed by it: (ca.pem, server.pem, server.key).
fn make_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Bookwork test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key).unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    );
    std::fs::write(&paths.0, ca_cert.pem()).unwrap();
    std::fs::write(&paths.1, server_cert.pem()).unwrap();
    std::fs::write(&paths.2, server_key.serialize_pem()).unwrap();
    // PostgreSQL refuses a key others can read; it runs as the postgres user.
    std::fs::set_permissions(&paths.2, std::fs::Permissions::from_mode(0o600)).unwrap();
    if nix::unistd::geteuid().is_root() {
        let pg = nix::unistd::User::from_name("postgres").unwrap().unwrap();
        for path in [dir, &paths.1, &paths.2] {
            nix::unistd::chown(path, Some(pg.uid), Some(pg.gid)).unwrap();
        }
    }
    paths
}

/// A cluster of its own, in a new directory under /tmp (readable by the
/// `postgres` user it runs as), listening on a free port on loopback, with
/// the Bookwork database and roles, and a CA and a certificate for
/// "localhost" made for it; TLS is off until [`TlsCluster::turn_tls_on`].
pub(crate) struct TlsCluster {
    pub dir: tempfile::TempDir,
    pub cluster: EmbeddedPostgres,
    pub port: u16,
    pub ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl TlsCluster {
    pub async fn start(prefix: &str) -> TlsCluster {
        let dir = tempfile::Builder::new()
            .prefix(prefix)
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let certs = dir.path().join("certs");
        std::fs::create_dir(&certs).unwrap();
        let (ca, cert, key) = make_certificates(&certs);
        let port = free_port();
        let cluster = EmbeddedPostgres::new(&dir.path().join("pg"), true)
            .unwrap()
            .listening_on(port);
        cluster.start().await.unwrap();
        cluster.ensure_database("bookwork").await.unwrap();
        TlsCluster {
            dir,
            cluster,
            port,
            ca,
            cert,
            key,
        }
    }

    /// Turns TLS on with the certificate for "localhost" (over `admin`, a
    /// superuser's connection) and returns once the server answers it.
    pub async fn turn_tls_on(&self, admin: &mut PgConnection) {
        for setting in [
            format!("ALTER SYSTEM SET ssl_cert_file = '{}'", self.cert.display()),
            format!("ALTER SYSTEM SET ssl_key_file = '{}'", self.key.display()),
            "ALTER SYSTEM SET ssl = on".to_owned(),
        ] {
            sqlx::query(&setting).execute(&mut *admin).await.unwrap();
        }
        sqlx::query("SELECT pg_reload_conf()")
            .execute(&mut *admin)
            .await
            .unwrap();
        until_tls_is_on(self.port).await;
    }
}

/// What `bookwork` does when started with `env`: Ok once it answers
/// /readyz, or Err with what it printed when it exits first.
async fn start_bookwork(
    dir: &Path,
    env: &[(&str, String)],
) -> Result<tokio::process::Child, String> {
    let port = free_port();
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_bookwork"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("METRICS_ADDR", "off")
        .env("ENVIRONMENT", "development")
        .env("MAIL_DIR", dir.join("mail"))
        .env("LEPTOS_SITE_ROOT", "target/site")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Some(_status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().await.unwrap();
            return Err(format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status() == 200 {
                return Ok(child);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("bookwork neither became ready nor stopped");
}

/// Returns once the server on `port` has reloaded its configuration and
/// answers a TLS connection; fails after 10 s.
async fn until_tls_is_on(port: u16) {
    let tls = PgConnectOptions::new_without_pgpass()
        .host("localhost")
        .port(port)
        .username("postgres")
        .database("bookwork")
        .ssl_mode(PgSslMode::Require);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match PgConnection::connect_with(&tls).await {
            Ok(conn) => return conn.close().await.unwrap(),
            Err(err) if tokio::time::Instant::now() >= deadline => {
                panic!("the server did not answer TLS within 10 s of reloading: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_to_the_database_is_verified_and_its_failures_are_named() {
    let tls = TlsCluster::start("bookwork-tls").await;
    let (dir, cluster, port, ca) = (&tls.dir, &tls.cluster, tls.port, &tls.ca);
    let tcp = |role: &str, host: &str, query: &str| {
        format!("postgres://{role}@{host}:{port}/bookwork{query}")
    };

    // No TLS on the server yet: `require` is refused, naming the setting.
    let refused = start_bookwork(
        dir.path(),
        &[
            ("DATABASE_URL", tcp("bookwork_app", "localhost", "")),
            (
                "MIGRATION_DATABASE_URL",
                tcp("bookwork_owner", "localhost", ""),
            ),
            ("DB_SSLMODE", "require".to_owned()),
        ],
    )
    .await
    .expect_err("require against a server without TLS must not start");
    assert!(refused.contains("DB_SSLMODE"), "{refused}");
    assert!(refused.to_lowercase().contains("tls"), "{refused}");

    // TLS on, with the test CA's certificate for "localhost".
    let mut admin = PgConnection::connect(&cluster.database_url("bookwork"))
        .await
        .unwrap();
    tls.turn_tls_on(&mut admin).await;

    // verify-full with the CA in the URL: it starts, and its connections are TLS.
    let verified = format!("?sslmode=verify-full&sslrootcert={}", ca.display());
    let server = start_bookwork(
        dir.path(),
        &[
            ("DATABASE_URL", tcp("bookwork_app", "localhost", &verified)),
            (
                "MIGRATION_DATABASE_URL",
                tcp("bookwork_owner", "localhost", &verified),
            ),
        ],
    )
    .await
    .unwrap_or_else(|out| panic!("verify-full with the right CA must start: {out}"));
    let (connections, encrypted): (i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE s.ssl)
           FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)
          WHERE a.application_name = 'bookwork'",
    )
    .fetch_one(&mut admin)
    .await
    .unwrap();
    assert!(connections >= 1);
    assert_eq!(encrypted, connections);
    drop(server);

    // The same through DB_SSLMODE and DB_SSLROOTCERT.
    let server = start_bookwork(
        dir.path(),
        &[
            ("DATABASE_URL", tcp("bookwork_app", "localhost", "")),
            (
                "MIGRATION_DATABASE_URL",
                tcp("bookwork_owner", "localhost", ""),
            ),
            ("DB_SSLMODE", "verify-full".to_owned()),
            ("DB_SSLROOTCERT", ca.display().to_string()),
        ],
    )
    .await
    .unwrap_or_else(|out| panic!("DB_SSLMODE=verify-full with DB_SSLROOTCERT must start: {out}"));
    drop(server);

    // The certificate is for "localhost": reaching the server as 127.0.0.1
    // with verify-full must fail, and say which setting insisted.
    let wrong_host = start_bookwork(
        dir.path(),
        &[
            ("DATABASE_URL", tcp("bookwork_app", "127.0.0.1", "")),
            (
                "MIGRATION_DATABASE_URL",
                tcp("bookwork_owner", "127.0.0.1", ""),
            ),
            ("DB_SSLMODE", "verify-full".to_owned()),
            ("DB_SSLROOTCERT", ca.display().to_string()),
        ],
    )
    .await
    .expect_err("verify-full against another host name must not start");
    assert!(wrong_host.contains("DB_SSLMODE"), "{wrong_host}");
    assert!(wrong_host.contains("certificate"), "{wrong_host}");

    // A CA that did not sign the server's certificate is refused too.
    let stranger_dir = dir.path().join("stranger");
    std::fs::create_dir(&stranger_dir).unwrap();
    let (stranger_ca, ..) = make_certificates(&stranger_dir);
    let stranger = start_bookwork(
        dir.path(),
        &[
            ("DATABASE_URL", tcp("bookwork_app", "localhost", "")),
            (
                "MIGRATION_DATABASE_URL",
                tcp("bookwork_owner", "localhost", ""),
            ),
            ("DB_SSLMODE", "verify-full".to_owned()),
            ("DB_SSLROOTCERT", stranger_ca.display().to_string()),
        ],
    )
    .await
    .expect_err("a certificate from another CA must not be trusted");
    assert!(stranger.contains("certificate"), "{stranger}");

    admin.close().await.unwrap();
    cluster.stop().await.unwrap();
}
