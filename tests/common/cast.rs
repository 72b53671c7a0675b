//! A cast of signed-in people, one per actor of AUTHZ.md, and a club that
//! gives each their role. Shared by the clubs and events table tests.
use std::collections::HashMap;

use sqlx::PgPool;
use uuid::Uuid;

use super::{cookie_client, sign_up, TestApp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    Anon,
    SGuest,
    Out,
    CGuest,
    Mem,
    CMod,
    CAdm,
    Owner,
    SMod,
    SAdm,
}
use Who::*;
pub const EVERYONE: [Who; 10] = [
    Anon, SGuest, Out, CGuest, Mem, CMod, CAdm, Owner, SMod, SAdm,
];

pub struct Cast {
    pub clients: HashMap<Who, reqwest::Client>,
    pub ids: HashMap<Who, Uuid>,
}

/// One signed-in account per actor (the anonymous one has no cookies).
pub async fn cast(app: &TestApp, pool: &PgPool) -> Cast {
    let mut clients = HashMap::new();
    let mut ids = HashMap::new();
    for who in EVERYONE {
        let c = if who == Anon {
            cookie_client()
        } else {
            let email = format!("{who:?}@example.com").to_lowercase();
            let c = sign_up(app, &format!("{who:?}"), &email).await;
            let site_role = match who {
                SGuest => "guest",
                SMod => "moderator",
                SAdm => "admin",
                _ => "member",
            };
            let id: Uuid =
                sqlx::query_scalar("UPDATE users SET role = $1 WHERE email = $2 RETURNING id")
                    .bind(site_role)
                    .bind(&email)
                    .fetch_one(pool)
                    .await
                    .unwrap();
            ids.insert(who, id);
            c
        };
        clients.insert(who, c);
    }
    Cast { clients, ids }
}

/// A fresh club owned by Owner, with CGuest/Mem/CMod/CAdm in their roles.
pub async fn club(pool: &PgPool, cast: &Cast, public: bool) -> Uuid {
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO clubs (name, owner_id, is_public) VALUES ('Readers', $1, $2) RETURNING id",
    )
    .bind(cast.ids[&Owner])
    .bind(public)
    .fetch_one(pool)
    .await
    .unwrap();
    for (who, role) in [
        (Owner, "admin"),
        (CGuest, "guest"),
        (Mem, "member"),
        (CMod, "moderator"),
        (CAdm, "admin"),
    ] {
        sqlx::query("INSERT INTO club_members (club_id, user_id, role) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(cast.ids[&who])
            .bind(role)
            .execute(pool)
            .await
            .unwrap();
    }
    id
}

/// Walks an authorization table: for every action, in a public and a private
/// setting, one request per actor (`attempt` sends it and returns the status).
/// Returns each cell that answered otherwise than `expected` says, naming
/// the action, the setting (`what`: "club", "event", …) and the actor.
pub async fn table_failures<Fut: std::future::Future<Output = u16>>(
    actions: &[&'static str],
    what: &str,
    expected: impl Fn(&str, bool) -> [u16; 10],
    mut attempt: impl FnMut(Who, &'static str, bool) -> Fut,
) -> Vec<String> {
    let mut failures = Vec::new();
    for &action in actions {
        for public in [true, false] {
            for (who, want) in EVERYONE.into_iter().zip(expected(action, public)) {
                let got = attempt(who, action, public).await;
                if got != want {
                    failures.push(format!(
                        "{action} in a {} {what} as {who:?}: expected {want}, got {got}",
                        if public { "public" } else { "private" }
                    ));
                }
            }
        }
    }
    failures
}
