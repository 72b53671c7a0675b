//! The session check: is the sign-in an access token names still live, and
//! whose is it? One indexed lookup per request (`bookwork_private.
//! check_sign_in`), which is what makes sign-out, password change and
//! deactivation take effect at once.
//!
//! It runs in one of three ways, by what the request goes on to do:
//! - on a page load, as the first statement of the page's transaction
//!   ([`open_page`]), with the bell's count;
//! - in a form's or a script's write, as the first statement of the write's
//!   own transaction ([`begin_checked`]), so the check costs no round trip
//!   of its own;
//! - otherwise on its own ([`session_user`]).
//!
//! The function sets the viewer (`app.user_id`, local to the transaction)
//! before it reads the sign-in, which row security needs, and clears it
//! again when the sign-in is not valid.
use std::future::Future;
use std::pin::Pin;

use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool};
use uuid::Uuid;

use super::model::SessionUser;
use crate::error::AppError;
use crate::platform::db::in_transaction;
use crate::platform::page_transaction::PageTransaction;
use crate::platform::transactions::OpenTransaction;

/// A row of `bookwork_private.check_sign_in`.
#[derive(FromRow)]
struct SignIn {
    user_id: Uuid,
    user_name: String,
    user_email: String,
    site_role: String,
    unread: Option<i64>,
}

impl SignIn {
    fn user(self) -> (SessionUser, Option<i64>) {
        let user = SessionUser {
            id: self.user_id,
            name: self.user_name,
            email: self.user_email,
            role: self.site_role,
        };
        (user, self.unread)
    }
}

/// The check as the text of a statement, for the message that also begins
/// a transaction (the simple protocol takes no parameters). Both ids come
/// from a verified token as `Uuid`s, which format as hex digits and hyphens,
/// and `count_unread` as `true` or `false`: nothing to escape.
fn check_statement(user: Uuid, session: Uuid, count_unread: bool) -> String {
    format!("SELECT * FROM bookwork_private.check_sign_in('{user}', '{session}', {count_unread})")
}

fn found(rows: &[PgRow]) -> Result<Option<(SessionUser, Option<i64>)>, AppError> {
    match rows.first() {
        Some(row) => Ok(Some(SignIn::from_row(row)?.user())),
        None => Ok(None),
    }
}

/// The signed-in user for an access token's session, if that session is
/// still live and the account active, checked on its own.
///
/// Boxed: it is awaited inside server functions, whose futures must be
/// `Send` for every lifetime, which the compiler cannot prove through the
/// async closure given to `in_transaction` (rust-lang/rust#110338).
pub fn session_user(
    pool: &PgPool,
    user: Uuid,
    session: Uuid,
) -> Pin<Box<dyn Future<Output = Result<Option<SessionUser>, AppError>> + Send + '_>> {
    Box::pin(async move {
        // The viewer it sets lasts only as long as this one statement's
        // transaction. No unread count: only pages show it.
        let row = in_transaction(pool, async |db| lone_check(db, user, session).await).await?;
        Ok(row.map(|r| r.user().0))
    })
}

async fn lone_check(
    db: &mut sqlx::PgConnection,
    user: Uuid,
    session: Uuid,
) -> Result<Option<SignIn>, AppError> {
    let row = sqlx::query_as!(
        SignIn,
        r#"SELECT user_id AS "user_id!", user_name AS "user_name!", user_email AS "user_email!",
                  site_role AS "site_role!", unread
             FROM bookwork_private.check_sign_in($1, $2, false)"#,
        user,
        session
    )
    .fetch_optional(db)
    .await?;
    Ok(row)
}

/// [`session_user`] as the statement that opens `page`'s transaction, which
/// it makes `user`'s for row-level security when the sign-in is valid (and
/// rolls back when it is not). Every page's header shows the bell, so the
/// same statement also counts the person's unread notices.
pub async fn open_page(
    page: &PageTransaction,
    pool: &PgPool,
    user: Uuid,
    session: Uuid,
) -> Result<Option<(SessionUser, i64)>, AppError> {
    page.begin_with(pool, &check_statement(user, session, true), |rows| {
        Ok(found(rows)?.map(|(user, unread)| (user.id, (user, unread.unwrap_or(0)))))
    })
    .await
}

/// A write's transaction, begun with the session check in the same
/// message: the person, if the sign-in is valid, and the transaction, in
/// which row security sees them (a visitor otherwise).
pub async fn begin_checked(
    pool: &PgPool,
    user: Uuid,
    session: Uuid,
) -> Result<(Option<SessionUser>, OpenTransaction), AppError> {
    let (tx, rows) = OpenTransaction::begin(pool, &check_statement(user, session, false)).await?;
    // A row that cannot be read leaves `tx` to be dropped: closed, not reused.
    let user = found(&rows)?.map(|(user, _)| user);
    Ok((user, tx))
}

/// [`begin_checked`], with `before` run and committed first in the same
/// message (`OpenTransaction::begin_after`); also answers `before`'s rows.
pub async fn begin_checked_after(
    pool: &PgPool,
    user: Uuid,
    session: Uuid,
    before: &str,
) -> Result<(Option<SessionUser>, OpenTransaction, Vec<PgRow>), AppError> {
    let (tx, before_rows, rows) =
        OpenTransaction::begin_after(pool, before, &check_statement(user, session, false)).await?;
    let user = found(&rows)?.map(|(user, _)| user);
    Ok((user, tx, before_rows))
}
