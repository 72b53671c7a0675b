//! Two Bookwork server processes behind one PgBouncer in transaction pooling
//! mode (Debian's 1.18, a small server pool), as `docs/SCALING.md` and the
//! README's "Running several instances" describe: real HTTP alternating
//! between them, races for the same places split across both, and logs free
//! of prepared-statement errors. `scripts/test.sh` installs pgbouncer.
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use sqlx::{Connection, PgConnection};
use tokio::process::{Child, Command};
use uuid::Uuid;

use crate::common::{free_port, PASSWORD};

/// PgBouncer's connections to PostgreSQL per database and user: far fewer
/// than the clients it serves, so server connections change hands all the
/// time.
const SERVER_POOL: u32 = 3;
/// How many people race for the places.
const RACERS: usize = 40;
const PLACES: i64 = 5;

/// A process that is stopped when dropped, its output in a file.
struct Process {
    child: Child,
    log: PathBuf,
}

impl Process {
    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// The test cluster's socket directory and port, from the owner's URL.
fn cluster_socket(owner_url: &str) -> (String, u16) {
    let url = url::Url::parse(owner_url).unwrap();
    let host = url
        .query_pairs()
        .find(|(k, _)| k == "host")
        .map(|(_, v)| v.into_owned())
        .expect("the test cluster's URL names its socket directory");
    (host, url.port().unwrap_or(5432))
}

fn with_database(owner_url: &str, db: &str) -> String {
    let mut url = url::Url::parse(owner_url).unwrap();
    url.set_path(&format!("/{db}"));
    url.to_string()
}

/// Starts PgBouncer (as the postgres user: it refuses to run as root) in
/// front of `db`, listening on a free port of 127.0.0.1.
async fn start_pgbouncer(dir: &Path, owner_url: &str, db: &str) -> (Process, u16) {
    start_pgbouncer_with(dir, owner_url, db, "extra_float_digits", SERVER_POOL).await
}

/// [`start_pgbouncer`] ignoring the start-up parameters `ignored`, with
/// `server_pool` connections to PostgreSQL.
async fn start_pgbouncer_with(
    dir: &Path,
    owner_url: &str,
    db: &str,
    ignored: &str,
    server_pool: u32,
) -> (Process, u16) {
    let binary = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect(
            "pgbouncer is not installed: scripts/test.sh installs it (apt-get install pgbouncer)",
        );
    let (socket_dir, pg_port) = cluster_socket(owner_url);
    let port = free_port();
    std::fs::write(dir.join("userlist.txt"), "\"bookwork_app\" \"\"\n").unwrap();
    // The configuration docs/SCALING.md recommends, with a tiny pool.
    std::fs::write(
        dir.join("pgbouncer.ini"),
        format!(
            "[databases]\n\
             {db} = host={socket_dir} port={pg_port} dbname={db}\n\
             [pgbouncer]\n\
             listen_addr = 127.0.0.1\n\
             listen_port = {port}\n\
             unix_socket_dir =\n\
             auth_type = trust\n\
             auth_file = {userlist}\n\
             pool_mode = transaction\n\
             default_pool_size = {server_pool}\n\
             max_client_conn = 200\n\
             ignore_startup_parameters = {ignored}\n\
             server_reset_query =\n\
             log_connections = 0\n\
             log_disconnections = 0\n",
            userlist = dir.join("userlist.txt").display(),
        ),
    )
    .unwrap();
    let log = dir.join("pgbouncer.log");
    let out = std::fs::File::create(&log).unwrap();
    let postgres = nix::unistd::User::from_name("postgres")
        .unwrap()
        .expect("a postgres system user (Debian's postgresql package makes it)");
    let mut cmd = Command::new(binary);
    cmd.arg(dir.join("pgbouncer.ini"))
        .current_dir("/")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .kill_on_drop(true);
    if nix::unistd::geteuid().is_root() {
        for path in [dir.to_path_buf(), dir.join("pgbouncer.log")] {
            nix::unistd::chown(&path, Some(postgres.uid), Some(postgres.gid)).unwrap();
        }
        cmd.uid(postgres.uid.as_raw()).gid(postgres.gid.as_raw());
    }
    let process = Process {
        child: cmd.spawn().unwrap(),
        log,
    };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (process, port);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("pgbouncer did not start:\n{}", process.log_text());
}

/// Starts `bookwork` as deployed behind the pooler: the app's login through
/// PgBouncer, migrations over a direct connection.
async fn start_server(dir: &Path, name: &str, app_url: &str, direct_url: &str) -> (Process, u16) {
    let (process, port) = spawn_server(dir, name, app_url, direct_url, true);
    wait_until_ready(process, port, name).await
}

/// Starts `bookwork` as [`start_server`] does, told it is behind a
/// transaction-mode pooler (`DB_POOLER=transaction`) or not; does not wait.
fn spawn_server(
    dir: &Path,
    name: &str,
    app_url: &str,
    direct_url: &str,
    pooler: bool,
) -> (Process, u16) {
    let port = free_port();
    let log = dir.join(format!("{name}.log"));
    let out = std::fs::File::create(&log).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_bookwork"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOSTNAME", name)
        .env("DATABASE_URL", app_url)
        .env("MIGRATION_DATABASE_URL", direct_url);
    if pooler {
        command.env("DB_POOLER", "transaction");
    }
    let child = command
        .env("DB_MAX_OPEN_CONNS", "20")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .env("METRICS_ADDR", "off")
        .env("ENVIRONMENT", "development")
        .env("COOKIE_SECURE", "false")
        // Shared by every instance, so each accepts the others' tokens.
        .env("JWT_SECRET", "one secret shared by every bookwork instance")
        .env("PUBLIC_URL", "http://bookwork.test")
        .env("MAIL_DIR", dir.join("mail"))
        .env("RUST_LOG", "bookwork=debug,info")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    (Process { child, log }, port)
}

/// Waits until `process` answers `/readyz` on `port` with 200.
async fn wait_until_ready(process: Process, port: u16, name: &str) -> (Process, u16) {
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(r) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
        {
            if r.status() == 200 {
                return (process, port);
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{name} did not become ready:\n{}", process.log_text());
}

/// A browser of one person: cookies, no redirects followed.
fn browser() -> reqwest::Client {
    crate::common::cookie_client()
}

async fn post(
    client: &reqwest::Client,
    port: u16,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let r = client
        .post(format!("http://127.0.0.1:{port}{path}"))
        .form(form)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_behind_pgbouncer_in_transaction_mode_agree_on_everything() {
    let fresh = Fresh::new("bookwork_pooled").await;
    let (dir, direct_url) = (fresh.dir.clone(), fresh.direct_url.clone());
    let (pgbouncer, pgb_port) = start_pgbouncer(&dir, &fresh.owner_url, &fresh.db).await;
    let app_url = fresh.app_url(pgb_port);
    // The first migrates (directly); the second finds nothing to do.
    let (a, port_a) = start_server(&dir, "instance-a", &app_url, &direct_url).await;
    let (b, port_b) = start_server(&dir, "instance-b", &app_url, &direct_url).await;
    let ports = [port_a, port_b];
    let mut fixtures = PgConnection::connect(&direct_url).await.unwrap();

    // Sign up on one instance; the other takes the sign-in as its own, and
    // rotates the refresh token the first issued; the first takes the new one.
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = plain
        .post(format!("http://127.0.0.1:{port_a}/api/auth/register"))
        .form(&[
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.status().as_u16() < 400, "sign-up on A: {}", r.status());
    let (access, refresh) = (cookie(&r, "bw_access"), cookie(&r, "bw_refresh"));
    let me = |port: u16, cookies: String| {
        let plain = plain.clone();
        async move {
            plain
                .post(format!("http://127.0.0.1:{port}/api/auth/me"))
                .header("cookie", cookies)
                .send()
                .await
                .unwrap()
        }
    };
    let on_b = me(port_b, format!("bw_access={access}")).await;
    assert!(
        on_b.text().await.unwrap().contains("ada@example.com"),
        "B does not take A's sign-in"
    );
    let on_b = me(port_b, format!("bw_refresh={refresh}")).await;
    let successor = cookie(&on_b, "bw_refresh");
    assert_ne!(
        successor, refresh,
        "B did not rotate the refresh token A issued"
    );
    assert!(on_b.text().await.unwrap().contains("ada@example.com"));
    let on_a = me(port_a, format!("bw_refresh={successor}")).await;
    assert_ne!(
        cookie(&on_a, "bw_refresh"),
        successor,
        "A did not rotate B's token"
    );
    assert!(on_a.text().await.unwrap().contains("ada@example.com"));
    let ada = browser();
    let (status, body) = post(
        &ada,
        port_b,
        "/api/auth/login",
        &[("email", "ada@example.com"), ("password", PASSWORD)],
    )
    .await;
    assert!(status < 400, "sign-in on B: {status} {body}");

    // Forty people, each signed in on one instance or the other.
    let hash = bookwork::auth::password::hash_password(PASSWORD.to_owned())
        .await
        .unwrap();
    let mut people = Vec::new();
    for i in 0..RACERS {
        let email = format!("racer{i}@example.com");
        sqlx::query("INSERT INTO users (name, email, password_hash) VALUES ($1, $2, $3)")
            .bind(format!("Racer {i}"))
            .bind(&email)
            .bind(&hash)
            .execute(&mut fixtures)
            .await
            .unwrap();
        let client = browser();
        let (status, body) = post(
            &client,
            ports[i % 2],
            "/api/auth/login",
            &[("email", &email), ("password", PASSWORD)],
        )
        .await;
        assert!(status < 400, "sign-in of {email}: {status} {body}");
        people.push(client);
    }
    let ada_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE email = 'ada@example.com'")
        .fetch_one(&mut fixtures)
        .await
        .unwrap();

    // 40 joins for 5 places (Ada, the owner, holds the sixth), split across both.
    let small = club(&mut fixtures, ada_id, true, Some(PLACES + 1)).await;
    let small_id = small.to_string();
    let full = r#"{"Conflict":"This club is full."}"#;
    let joined = race(&people, &ports, Some(full), |c, port| {
        let id = small_id.clone();
        async move { post(&c, port, "/api/clubs/join", &[("id", &id)]).await }
    })
    .await;
    assert_eq!(joined, PLACES as usize, "joins that succeeded");
    let members: i64 =
        sqlx::query_scalar("SELECT count(*) FROM club_members WHERE club_id = $1 AND is_active")
            .bind(small)
            .fetch_one(&mut fixtures)
            .await
            .unwrap();
    assert_eq!(members, PLACES + 1);

    // 40 RSVPs for 5 places: 5 confirmed, 35 on the waitlist, nobody lost.
    let big = club(&mut fixtures, ada_id, true, None).await;
    sqlx::query(
        "INSERT INTO club_members (club_id, user_id, role)
         SELECT $1, id, 'member' FROM users WHERE email LIKE 'racer%'",
    )
    .bind(big)
    .execute(&mut fixtures)
    .await
    .unwrap();
    let event: Uuid = sqlx::query_scalar(
        "INSERT INTO events (club_id, title, event_date, event_time, location, is_public, max_attendees, created_by)
         VALUES ($1, 'Race night', current_date + 7, '19:00', 'Library', true, $2, $3) RETURNING id",
    )
    .bind(big)
    .bind(PLACES as i32)
    .bind(ada_id)
    .fetch_one(&mut fixtures)
    .await
    .unwrap();
    let event_id = event.to_string();
    let answered = race(&people, &ports, None, |c, port| {
        let id = event_id.clone();
        async move {
            post(
                &c,
                port,
                "/api/events/rsvp",
                &[("event", &id), ("status", "available"), ("note", "")],
            )
            .await
        }
    })
    .await;
    assert_eq!(
        answered, RACERS,
        "every RSVP is taken, as a place or on the waitlist"
    );
    let (confirmed, waiting): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE NOT waitlisted), count(*) FILTER (WHERE waitlisted)
           FROM availability WHERE event_id = $1 AND status = 'available'",
    )
    .bind(event)
    .fetch_one(&mut fixtures)
    .await
    .unwrap();
    assert_eq!((confirmed, waiting), (PLACES, RACERS as i64 - PLACES));

    // An invitation for 3, accepted by 10 people at once on both instances.
    let hidden = club(&mut fixtures, ada_id, false, None).await;
    let (status, link) = post(
        &ada,
        port_b,
        "/api/clubs/invites/create",
        &[
            ("club", &hidden.to_string()),
            ("days", "7"),
            ("max_uses", "3"),
            ("email", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{link}");
    let token = link
        .trim_matches('"')
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let used_up = r#"{"Conflict":"This invitation has been used up. Ask the club for a new one."}"#;
    let accepted = race(&people[..10], &ports, Some(used_up), |c, port| {
        let token = token.clone();
        async move { post(&c, port, "/api/invites/accept", &[("token", &token)]).await }
    })
    .await;
    assert_eq!(accepted, 3, "invitation uses");
    let (uses, members): (i32, i64) = sqlx::query_as(
        "SELECT (SELECT uses FROM club_invites WHERE club_id = $1),
                (SELECT count(*) FROM club_members WHERE club_id = $1 AND is_active)",
    )
    .bind(hidden)
    .fetch_one(&mut fixtures)
    .await
    .unwrap();
    assert_eq!((uses, members), (3, 4));

    // The API through the pooler: a program signs in on A; its access token
    // and a personal access token are answered on both instances, each
    // request counted once against its holder's budget (the count commits
    // ahead of the request's own transaction, in the same message); a
    // create retried on the other instance with its key makes one club.
    let api = |port: u16,
               method: reqwest::Method,
               path: &str,
               token: Option<&str>,
               body: Option<serde_json::Value>,
               key: Option<&str>| {
        let mut request = plain.request(method, format!("http://127.0.0.1:{port}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            (
                status,
                response
                    .json::<serde_json::Value>()
                    .await
                    .unwrap_or_default(),
            )
        }
    };
    let (status, signed_in) = api(
        port_a,
        reqwest::Method::POST,
        "/api/v1/sessions",
        None,
        Some(serde_json::json!({"email": "ada@example.com", "password": PASSWORD})),
        None,
    )
    .await;
    assert_eq!(status, 201, "{signed_in}");
    let access = signed_in["access_token"].as_str().unwrap().to_owned();
    let personal = format!("bw_pooled_{}", Uuid::new_v4().simple());
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(personal.as_bytes()))
    };
    let token_id: Uuid = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, scopes)
         SELECT id, 'pooled', $1, ARRAY['read', 'write'] FROM users WHERE email = 'ada@example.com'
         RETURNING id",
    )
    .bind(&hash)
    .fetch_one(&mut fixtures)
    .await
    .unwrap();
    for port in [port_a, port_b, port_a, port_b] {
        for token in [&access, &personal] {
            let (status, me) = api(
                port,
                reqwest::Method::GET,
                "/api/v1/me",
                Some(token),
                None,
                None,
            )
            .await;
            assert_eq!(
                (status, me["email"].as_str()),
                (200, Some("ada@example.com")),
                "{port}"
            );
        }
    }
    let mut made = Vec::new();
    for port in ports {
        let (status, club) = api(
            port,
            reqwest::Method::POST,
            "/api/v1/clubs",
            Some(&personal),
            Some(serde_json::json!({"name": "Pooled API club"})),
            Some("pooled-1"),
        )
        .await;
        assert_eq!(status, 201, "{club}");
        made.push(club["id"].clone());
    }
    assert_eq!(made[0], made[1]);
    let (clubs, counted): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM clubs WHERE name = 'Pooled API club'),
                (SELECT COALESCE(sum(requests), 0) FROM api_request_counts WHERE holder = $1)",
    )
    .bind(token_id)
    .fetch_one(&mut fixtures)
    .await
    .unwrap();
    assert_eq!(
        (clubs, counted),
        (1, 6),
        "one club; four reads and two creates counted"
    );

    // Each instance's clean-up took its turn at start-up: one ran it, the
    // other found it done.
    let logs = [a.log_text(), b.log_text()];
    let ran: usize = logs
        .iter()
        .map(|l| l.matches("clean-up done").count())
        .sum();
    let skipped: usize = logs
        .iter()
        .map(|l| l.matches("clean-up skipped").count())
        .sum();
    assert_eq!((ran, skipped), (1, 1), "{}\n{}", logs[0], logs[1]);

    // Nothing went wrong underneath.
    for (name, log) in [
        ("A", &logs[0]),
        ("B", &logs[1]),
        ("pgbouncer", &pgbouncer.log_text()),
    ] {
        assert!(!log.contains("prepared statement"), "{name}'s log:\n{log}");
        assert!(!log.contains("ERROR"), "{name}'s log:\n{log}");
        // Nor a transaction command PostgreSQL warns is out of place (each
        // API request's count commits in a transaction of its own).
        assert!(
            !log.contains("transaction in progress"),
            "{name}'s log:\n{log}"
        );
    }
    // Every process stopped and its connections closed before the drop:
    // the test cluster's owner may not end the server login's backends.
    for process in [a, b, pgbouncer] {
        stop(process).await;
    }
    drop(fixtures);
    fresh.remove().await;
}

/// Everyone in `people` sends their request at once, alternating between
/// the instances; returns how many succeeded. Every other answer must be
/// 409 with `refusal` as its body (none may be refused without one).
async fn race<F, Fut>(
    people: &[reqwest::Client],
    ports: &[u16; 2],
    refusal: Option<&str>,
    send: F,
) -> usize
where
    F: Fn(reqwest::Client, u16) -> Fut,
    Fut: std::future::Future<Output = (u16, String)> + Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(people.len()));
    let mut tasks = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let request = send(person.clone(), ports[i % 2]);
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            request.await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        if status == 200 {
            ok += 1;
        } else {
            assert_eq!((status, Some(body.as_str())), (409, refusal));
        }
    }
    ok
}

/// A club owned by `owner`, who is its admin.
async fn club(db: &mut PgConnection, owner: Uuid, public: bool, max_members: Option<i64>) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public, max_members) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(format!("Club {}", Uuid::new_v4().simple()))
    .bind(owner)
    .bind(public)
    .bind(max_members.map(|m| m as i32))
    .fetch_one(&mut *db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, 'admin')")
        .bind(id)
        .bind(owner)
        .execute(&mut *db)
        .await
        .unwrap();
    id
}

/// The value of cookie `name` a response sets (empty when it sets none).
fn cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned()
}

/// A database of its own, made by the test cluster's owner, and a folder
/// for the processes' files; dropped by [`Fresh::remove`].
struct Fresh {
    owner_url: String,
    db: String,
    direct_url: String,
    dir: PathBuf,
}

impl Fresh {
    async fn new(prefix: &str) -> Fresh {
        let owner_url =
            std::env::var("DATABASE_URL").expect("DATABASE_URL (the test cluster's owner)");
        let db = format!("{prefix}_{}", &Uuid::new_v4().simple().to_string()[..8]);
        let mut admin = PgConnection::connect(&owner_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {db}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let dir = std::env::temp_dir().join(&db);
        std::fs::create_dir_all(&dir).unwrap();
        Fresh {
            direct_url: with_database(&owner_url, &db),
            owner_url,
            db,
            dir,
        }
    }

    fn app_url(&self, pgbouncer_port: u16) -> String {
        format!(
            "postgres://bookwork_app@127.0.0.1:{pgbouncer_port}/{}",
            self.db
        )
    }

    /// Once every process using it is gone (and with them their
    /// connections), drops the database.
    async fn remove(self) {
        let mut admin = PgConnection::connect(&self.owner_url).await.unwrap();
        let connected = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = '{}'",
            self.db
        );
        crate::common::process::wait_for(
            "the database's connections to close",
            Duration::from_secs(30),
            || {
                let sql = connected.clone();
                let owner_url = self.owner_url.clone();
                async move {
                    let mut db = PgConnection::connect(&owner_url).await.unwrap();
                    let n: i64 = sqlx::query_scalar(&sql).fetch_one(&mut db).await.unwrap();
                    (n == 0).then_some(())
                }
            },
        )
        .await;
        sqlx::query(&format!("DROP DATABASE {}", self.db))
            .execute(&mut admin)
            .await
            .unwrap();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Stops `process` and waits until it has exited.
async fn stop(mut process: Process) {
    process.child.kill().await.unwrap();
}

/// The README says the scenario above fails without `DB_POOLER=transaction`.
/// With the PgBouncer configuration it recommends, an instance not told so
/// does not start at all: it asks each connection to plan generically
/// (`options=-c plan_cache_mode=…`, a start-up parameter), and PgBouncer
/// refuses the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_db_pooler_an_instance_behind_pgbouncer_does_not_start() {
    let fresh = Fresh::new("bookwork_unpooled").await;
    let (pgbouncer, pgb_port) = start_pgbouncer(&fresh.dir, &fresh.owner_url, &fresh.db).await;
    let (mut server, _) = spawn_server(
        &fresh.dir,
        "unpooled",
        &fresh.app_url(pgb_port),
        &fresh.direct_url,
        false,
    );
    let status = crate::common::process::wait_for(
        "the instance to give up",
        Duration::from_secs(60),
        || {
            let exited = server.child.try_wait().unwrap();
            async move { exited }
        },
    )
    .await;
    let log = server.log_text();
    assert!(!status.success(), "{log}");
    assert!(
        log.contains(
            "bookwork: database error: cannot connect: error returned from database: unsupported startup parameter: options"
        ),
        "{log}"
    );
    let refused = pgbouncer.log_text();
    assert!(
        refused.contains(
            "unsupported startup parameter: options=-c plan_cache_mode=force_generic_plan"
        ),
        "{refused}"
    );
    stop(pgbouncer).await;
    fresh.remove().await;
}

/// And a PgBouncer told to ignore that parameter too lets such instances
/// start, but their prepared statements collide on the server connections
/// they share: sqlx names each client connection's statements sqlx_s_1,
/// sqlx_s_2, … and never drops them. With one server connection the
/// collision is certain rather than likely: the first instance's first
/// statement is prepared on it as sqlx_s_1, and the second instance's first
/// statement finds the name taken (SQLSTATE 42P05). Told `DB_POOLER=transaction`,
/// two instances start on that same connection without an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_db_pooler_two_instances_prepared_statements_collide() {
    let fresh = Fresh::new("bookwork_collide").await;
    let (pgbouncer, pgb_port) = start_pgbouncer_with(
        &fresh.dir,
        &fresh.owner_url,
        &fresh.db,
        "extra_float_digits, options",
        1,
    )
    .await;
    let app_url = fresh.app_url(pgb_port);
    let start = |name: &'static str, pooler: bool| {
        let (process, port) = spawn_server(&fresh.dir, name, &app_url, &fresh.direct_url, pooler);
        wait_until_ready(process, port, name)
    };
    let check_failed = "could not check the server's database privileges";
    let (a, _) = start("unpooled-a", false).await;
    let (b, _) = start("unpooled-b", false).await;
    let (a_log, b_log) = (a.log_text(), b.log_text());
    assert!(!a_log.contains(check_failed), "{a_log}");
    let b_check: Vec<&str> = b_log.lines().filter(|l| l.contains(check_failed)).collect();
    assert_eq!(b_check.len(), 1, "{b_log}");
    assert!(
        b_check[0].contains(
            "error returned from database: prepared statement \"sqlx_s_1\" already exists"
        ),
        "{b_log}"
    );
    stop(a).await;
    stop(b).await;

    let (c, _) = start("pooled-c", true).await;
    let (d, _) = start("pooled-d", true).await;
    for process in [&c, &d] {
        let log = process.log_text();
        assert!(!log.contains("prepared statement"), "{log}");
        assert!(!log.contains(check_failed), "{log}");
    }
    stop(c).await;
    stop(d).await;
    stop(pgbouncer).await;
    fresh.remove().await;
}
