//! Bookwork's three database roles, and the SQL an administrator runs once
//! to make them (`bookwork db roles`; the embedded database runs it itself):
//!
//! * `bookwork_owner` owns the schema and every object, and runs migrations;
//! * `bookwork_app` is the server's login: data rights on the tables it
//!   needs, nothing else (no DDL, not an owner, no `BYPASSRLS`);
//! * `bookwork_readonly` reads, for reports, under the same row security.
//!
//! What each may do inside the database (grants, default privileges,
//! row-level security) is a migration's job
//! (`migrations/*_roles_and_row_security.sql`); this only makes the roles,
//! and hands the database and anything made before them to the owner.
use sqlx::Connection;

pub const OWNER: &str = "bookwork_owner";
pub const APP: &str = "bookwork_app";
pub const READONLY: &str = "bookwork_readonly";

/// Passwords for the three logins, or none (the embedded cluster trusts
/// connections on its private socket).
pub struct Passwords {
    pub owner: String,
    pub app: String,
    pub readonly: String,
}

impl Passwords {
    /// Three new random passwords.
    pub fn random() -> Self {
        let new = crate::platform::tokens::new_refresh_token;
        Passwords {
            owner: new(),
            app: new(),
            readonly: new(),
        }
    }
}

/// The SQL that makes (or brings back in line) the roles and hands the
/// current database to the owner. Run it connected to the Bookwork database
/// as a superuser or a role with CREATEROLE and CREATEDB (the admin login of
/// a managed service, for instance). It is safe to run again.
pub fn setup_sql(passwords: Option<&Passwords>) -> String {
    let password = |p: Option<&str>| match p {
        Some(p) => format!(" PASSWORD '{}'", p.replace('\'', "''")),
        None => String::new(),
    };
    let (owner_pw, app_pw, readonly_pw) = match passwords {
        Some(p) => (
            password(Some(&p.owner)),
            password(Some(&p.app)),
            password(Some(&p.readonly)),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    format!(
        r#"-- Bookwork's database roles: run once, connected to the Bookwork database as a
-- superuser or a role with CREATEROLE and CREATEDB. Safe to run again.
DO $$
DECLARE
    role text;
BEGIN
    FOREACH role IN ARRAY ARRAY['{OWNER}', '{APP}', '{READONLY}'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I', role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- made a moment ago by someone running this too
            END;
        END IF;
    END LOOP;
END
$$;
-- Logins with nothing beyond what the database grants them. New roles have
-- none of these powers; taking them from an old role that has them needs a
-- superuser (PostgreSQL refuses anyone else, saying so), so only a role
-- that has one is altered, and a managed service's admin can run the rest.
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT rolname FROM pg_roles
         WHERE rolname IN ('{OWNER}', '{APP}', '{READONLY}')
           AND (rolsuper OR rolcreaterole OR rolreplication OR rolbypassrls
                OR (rolcreatedb AND rolname <> '{OWNER}'))
    LOOP
        EXECUTE format('ALTER ROLE %I WITH NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS%s',
                       found.rolname, CASE WHEN found.rolname = '{OWNER}' THEN '' ELSE ' NOCREATEDB' END);
    END LOOP;
END
$$;
ALTER ROLE {OWNER} WITH LOGIN{owner_pw};
ALTER ROLE {APP} WITH LOGIN{app_pw};
ALTER ROLE {READONLY} WITH LOGIN{readonly_pw};
-- Whoever runs this may act as the owner, to hand existing objects over.
DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        EXECUTE format('GRANT {OWNER} TO %I', current_user);
    END IF;
END
$$;
-- This database and what is in it belong to the owner.
DO $$
DECLARE
    object record;
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO {OWNER}', current_database());
    GRANT USAGE, CREATE ON SCHEMA public TO {OWNER};
    FOR object IN
        SELECT c.relkind, n.nspname, c.relname
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'tower_sessions', 'bookwork_private')
           AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND pg_get_userbyid(c.relowner) <> '{OWNER}'
           AND NOT (c.relkind = 'S' AND EXISTS (
                   SELECT 1 FROM pg_depend d
                    WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
    LOOP
        EXECUTE format('ALTER %s %I.%I OWNER TO {OWNER}',
                       CASE object.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                                           WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                       object.nspname, object.relname);
    END LOOP;
    FOR object IN
        SELECT p.oid::regprocedure AS signature
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname IN ('public', 'bookwork_private')
           AND pg_get_userbyid(p.proowner) <> '{OWNER}'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER}', object.signature);
    END LOOP;
    FOR object IN
        SELECT nspname FROM pg_namespace
         WHERE nspname IN ('tower_sessions', 'bookwork_private')
           AND pg_get_userbyid(nspowner) <> '{OWNER}'
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO {OWNER}', object.nspname);
    END LOOP;
END
$$;
-- Statistics for the monitoring views: pg_stat_statements where the server
-- has it (it must also be in shared_preload_libraries to collect anything),
-- and every login's statistics readable by the owner (whose functions serve
-- the views) and by reports. Where this login may not, a notice says so
-- and the views show what they can.
-- In a schema of its own, so that everything in public stays the owner's.
DO $$
BEGIN
    CREATE SCHEMA IF NOT EXISTS extensions;
    GRANT USAGE ON SCHEMA extensions TO {OWNER};
    CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA extensions;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_stat_statements was not installed: %', SQLERRM;
END
$$;
DO $$
BEGIN
    GRANT pg_read_all_stats TO {OWNER}, {READONLY};
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_read_all_stats was not granted: %', SQLERRM;
END
$$;
"#
    )
}

/// Runs [`setup_sql`] on the database at `admin_url` (an administrator's
/// connection to the Bookwork database).
pub async fn apply(admin_url: &str, passwords: Option<&Passwords>) -> Result<(), sqlx::Error> {
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    sqlx::raw_sql(&setup_sql(passwords))
        .execute(&mut conn)
        .await?;
    conn.close().await
}

/// `url` with the login `role` (and `password`, if any) instead of its own.
pub fn url_as(url: &str, role: &str, password: Option<&str>) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username(role);
            let _ = parsed.set_password(password);
            parsed.to_string()
        }
        Err(_) => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_quoted_and_logins_are_plain() {
        let sql = setup_sql(Some(&Passwords {
            owner: "o'wner".into(),
            app: "a".into(),
            readonly: "r".into(),
        }));
        assert!(sql.contains("PASSWORD 'o''wner'"));
        assert!(sql.contains("ALTER ROLE bookwork_app WITH LOGIN PASSWORD 'a'"));
        assert!(!setup_sql(None).contains("PASSWORD"));
        assert_eq!(
            url_as(
                "postgres://postgres@localhost/bookwork?host=%2Frun",
                APP,
                None
            ),
            "postgres://bookwork_app@localhost/bookwork?host=%2Frun"
        );
    }
}
