//! Configuration read from made-up environments: defaults, every variable's
//! checks, and the names in the errors.
use std::collections::HashMap;

use super::*;

fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let leptos = LeptosOptions::builder().output_name("bookwork").build();
    Config::from_source(
        &EnvSource(move |k| map.get(k).cloned()),
        &leptos,
        Path::new("/srv/bookwork"),
    )
}

#[test]
fn defaults_to_the_embedded_database_in_development() {
    let config = load(&[]).unwrap();
    assert_eq!(config.environment, Environment::Development);
    assert_eq!(
        config.database,
        DatabaseSource::Embedded {
            dir: PathBuf::from("/srv/bookwork/.data/postgres")
        }
    );
    assert!(config.jwt_secret.expose().len() >= MIN_JWT_SECRET_LEN);
}

#[test]
fn database_url_wins_over_the_embedded_default() {
    let config = load(&[("DATABASE_URL", "postgres://u:p@db.internal/bookwork")]).unwrap();
    assert_eq!(
        config.database,
        DatabaseSource::External {
            app: Secret::new("postgres://u:p@db.internal/bookwork"),
            migration: Secret::new("postgres://u:p@db.internal/bookwork"),
        },
        "small set-ups migrate with the same login"
    );
    let split = load(&[
        ("DATABASE_URL", "postgres://bookwork_app:a@db/bookwork"),
        (
            "MIGRATION_DATABASE_URL",
            "postgres://bookwork_owner:o@db/bookwork",
        ),
    ])
    .unwrap();
    let DatabaseSource::External { app, migration } = split.database else {
        panic!("expected external")
    };
    assert_eq!(app.expose(), "postgres://bookwork_app:a@db/bookwork");
    assert_eq!(
        migration.expose(),
        "postgres://bookwork_owner:o@db/bookwork"
    );
    let alone = load(&[("MIGRATION_DATABASE_URL", "postgres://o@db/bookwork")]).unwrap_err();
    assert_eq!(alone.var, "MIGRATION_DATABASE_URL");
}

#[test]
fn db_parts_assemble_a_url() {
    let config = load(&[
        ("DB_HOST", "db"),
        ("DB_USER", "app"),
        ("DB_PASSWORD", "mauve@9 lanterns"),
        ("DB_SSLMODE", "require"),
    ])
    .unwrap();
    let DatabaseSource::External { app: url, .. } = config.database else {
        panic!("expected external")
    };
    assert_eq!(
        url.expose(),
        "postgres://app:mauve%409%20lanterns@db:5432/bookwork?sslmode=require"
    );
}

#[test]
fn db_tls_settings_apply_to_every_url_and_never_contradict_one() {
    let ca = std::env::temp_dir().join("bookwork-config-test-ca.pem");
    std::fs::write(&ca, "not read here").unwrap();
    let ca = ca.to_str().unwrap();
    let urls = |vars: &[(&str, &str)]| match load(vars).unwrap().database {
        DatabaseSource::External { app, migration } => {
            (app.expose().to_owned(), migration.expose().to_owned())
        }
        DatabaseSource::Embedded { .. } => panic!("expected external"),
    };
    let (app, migration) = urls(&[
        ("DATABASE_URL", "postgres://a@db/bookwork"),
        (
            "MIGRATION_DATABASE_URL",
            "postgres://o@db/bookwork?sslmode=verify-full",
        ),
        ("DB_SSLMODE", "verify-full"),
        ("DB_SSLROOTCERT", ca),
    ]);
    let root = format!("sslrootcert={}", ca.replace('/', "%2F"));
    assert_eq!(
        app,
        format!("postgres://a@db/bookwork?sslmode=verify-full&{root}")
    );
    assert_eq!(
        migration,
        format!("postgres://o@db/bookwork?sslmode=verify-full&{root}")
    );
    // The URL's own settings stand when nothing else is said.
    let (app, _) = urls(&[("DATABASE_URL", "postgres://a@db/bookwork?sslmode=require")]);
    assert_eq!(app, "postgres://a@db/bookwork?sslmode=require");

    let contradiction = load(&[
        ("DATABASE_URL", "postgres://a@db/bookwork?sslmode=disable"),
        ("DB_SSLMODE", "verify-full"),
    ])
    .unwrap_err();
    assert_eq!(contradiction.var, "DB_SSLMODE");
    assert!(contradiction.to_string().contains("sslmode=disable"));
    let missing = load(&[
        ("DATABASE_URL", "postgres://a@db/bookwork"),
        ("DB_SSLROOTCERT", "/nowhere/ca.pem"),
    ])
    .unwrap_err();
    assert_eq!(missing.var, "DB_SSLROOTCERT");
    let bad_mode =
        load(&[("DATABASE_URL", "postgres://a@db/bookwork?sslmode=always")]).unwrap_err();
    assert_eq!(bad_mode.var, "DATABASE_URL");
    assert!(bad_mode.to_string().contains("verify-full"));
}

#[test]
fn the_pooler_mode_is_transaction_or_none() {
    assert!(!load(&[]).unwrap().transaction_pooler);
    assert!(
        load(&[("DB_POOLER", "transaction")])
            .unwrap()
            .transaction_pooler
    );
    assert!(!load(&[("DB_POOLER", "none")]).unwrap().transaction_pooler);
    assert_eq!(
        load(&[("DB_POOLER", "session")]).unwrap_err().var,
        "DB_POOLER"
    );
}

#[test]
fn short_jwt_secret_is_refused_in_production_naming_the_variable() {
    let err = load(&[("ENVIRONMENT", "production"), ("JWT_SECRET", "too-short")]).unwrap_err();
    assert_eq!(err.var, "JWT_SECRET");
    assert!(err
        .to_string()
        .starts_with("configuration error: JWT_SECRET"));
    assert!(
        !err.to_string().contains("too-short"),
        "the secret itself is never echoed"
    );
}

#[test]
fn unparsable_port_names_the_variable() {
    let err = load(&[("PORT", "eighty")]).unwrap_err();
    assert_eq!(err.var, "PORT");
    assert_eq!(load(&[("PORT", "70000")]).unwrap_err().var, "PORT");
    assert_eq!(load(&[("DB_PORT", "x")]).unwrap_err().var, "DB_PORT");
}

#[test]
fn other_bad_values_name_their_variables() {
    assert_eq!(
        load(&[("ENVIRONMENT", "staging")]).unwrap_err().var,
        "ENVIRONMENT"
    );
    assert_eq!(
        load(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var,
        "DATABASE_URL"
    );
    assert_eq!(
        load(&[("DB_SSLMODE", "sometimes")]).unwrap_err().var,
        "DB_SSLMODE"
    );
    assert_eq!(
        load(&[("DB_MAX_OPEN_CONNS", "0")]).unwrap_err().var,
        "DB_MAX_OPEN_CONNS"
    );
    for bad_limit in ["0", "many", "-3"] {
        assert_eq!(
            load(&[("SIGN_UPS_PER_HOUR", bad_limit)]).unwrap_err().var,
            "SIGN_UPS_PER_HOUR"
        );
    }
    for bad_limit in ["0", "lots", "-1"] {
        assert_eq!(
            load(&[("API_REQUESTS_PER_MINUTE", bad_limit)])
                .unwrap_err()
                .var,
            "API_REQUESTS_PER_MINUTE"
        );
    }
    assert_eq!(
        load(&[("DB_CONN_MAX_LIFETIME", "soon")]).unwrap_err().var,
        "DB_CONN_MAX_LIFETIME"
    );
    assert_eq!(load(&[("HOST", "not a host")]).unwrap_err().var, "HOST");
}

#[test]
fn host_and_port_override_the_leptos_site_addr() {
    let config = load(&[("HOST", "0.0.0.0"), ("PORT", "8000")]).unwrap();
    assert_eq!(config.listen_addr, "0.0.0.0:8000".parse().unwrap());
}

#[test]
fn secrets_do_not_print() {
    let config = load(&[("JWT_SECRET", "0123456789abcdef0123456789abcdef-secret")]).unwrap();
    assert!(!format!("{config:?}").contains("0123456789abcdef"));
}

#[test]
fn public_url_is_required_in_production_and_defaults_to_the_listen_address() {
    assert_eq!(load(&[]).unwrap().public_url, "http://localhost:3000");
    assert_eq!(
        load(&[("HOST", "192.168.1.5"), ("PORT", "8000")])
            .unwrap()
            .public_url,
        "http://192.168.1.5:8000"
    );
    let prod = [
        ("ENVIRONMENT", "production"),
        ("JWT_SECRET", "prod-test-signing-key-f4c1e2d9b8a7c6e5"),
    ];
    assert_eq!(load(&prod).unwrap_err().var, "PUBLIC_URL");
    let mut with_url = prod.to_vec();
    with_url.push(("PUBLIC_URL", "https://books.example.org/"));
    assert_eq!(
        load(&with_url).unwrap().public_url,
        "https://books.example.org"
    );
    for bad_url in [
        "books.example.org",
        "ftp://x.org",
        "https://x.org/app?x=1",
        "https://u:p@x.org",
    ] {
        assert_eq!(
            load(&[("PUBLIC_URL", bad_url)]).unwrap_err().var,
            "PUBLIC_URL",
            "{bad_url}"
        );
    }
}

#[test]
fn metrics_have_their_own_address_and_are_not_public_in_production() {
    let config = load(&[]).unwrap();
    assert_eq!(config.metrics_addr, Some("127.0.0.1:9464".parse().unwrap()));
    assert_eq!(config.metrics_token, None);
    assert_eq!(load(&[("METRICS_ADDR", "off")]).unwrap().metrics_addr, None);
    assert_eq!(
        load(&[("METRICS_ADDR", "9464")]).unwrap_err().var,
        "METRICS_ADDR"
    );
    let prod = [
        ("ENVIRONMENT", "production"),
        ("JWT_SECRET", "prod-test-signing-key-f4c1e2d9b8a7c6e5"),
        ("PUBLIC_URL", "https://books.example.org"),
        ("METRICS_ADDR", "0.0.0.0:9464"),
    ];
    assert_eq!(load(&prod).unwrap_err().var, "METRICS_TOKEN");
    let mut with_token = prod.to_vec();
    with_token.push(("METRICS_TOKEN", "scrape-key-3f9a"));
    let config = load(&with_token).unwrap();
    assert_eq!(config.metrics_addr, Some("0.0.0.0:9464".parse().unwrap()));
    assert!(!format!("{config:?}").contains("scrape-key-3f9a"));
}

#[test]
fn mail_settings_are_checked() {
    let config = load(&[]).unwrap();
    assert_eq!(config.mail.smtp_url, None);
    assert_eq!(config.mail.dir, PathBuf::from("/srv/bookwork/.data/mail"));
    assert_eq!(
        load(&[("SMTP_URL", "http://mail")]).unwrap_err().var,
        "SMTP_URL"
    );
    assert_eq!(
        load(&[("MAIL_FROM", "not an address")]).unwrap_err().var,
        "MAIL_FROM"
    );
    assert!(load(&[("SMTP_URL", "smtp://u:p@mail.example.org:587?tls=required")]).is_ok());
    assert!(!format!(
        "{:?}",
        load(&[("SMTP_URL", "smtp://u:Zq7-mail-pass-w3@mail")]).unwrap()
    )
    .contains("Zq7-mail-pass-w3"));
}

#[test]
fn the_pool_is_sized_for_the_cores_unless_set() {
    // PostgreSQL's rule of thumb, 2 × cores + 2, kept within 4..=25.
    let cores = std::thread::available_parallelism().unwrap().get() as u32;
    let expected = (cores * 2 + 2).clamp(4, 25);
    assert_eq!(load(&[]).unwrap().max_connections, expected);
    assert_eq!(
        load(&[("DB_MAX_OPEN_CONNS", "40")])
            .unwrap()
            .max_connections,
        40
    );
    // Kept connections may not outnumber the pool, whichever size it is.
    assert_eq!(
        load(&[("DB_MAX_OPEN_CONNS", "3"), ("DB_MAX_IDLE_CONNS", "5")])
            .unwrap_err()
            .var,
        "DB_MAX_IDLE_CONNS"
    );
}
