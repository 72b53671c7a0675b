//! What a transaction leaves on a pooled connection for its next borrower
//! (`platform::transactions::OpenTransaction`, which opens every page's and
//! every write's transaction): nothing. One that ends normally hands the same
//! connection back, idle; one dropped while open (its request cancelled: a
//! client that hung up, the deadline) never reaches anyone else, or the next
//! request would run inside it, as the previous person.
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

use bookwork::platform::transactions::{set_viewer_statement, OpenTransaction};

/// A pool of one connection, so the next borrower gets the same one.
async fn one_connection(pool: &PgPool) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap()
}

/// The backend the pool's connection talks to, and whom row security would
/// see there now.
async fn next_borrower_sees(pool: &PgPool) -> (i32, String) {
    sqlx::query_as("SELECT pg_backend_pid(), coalesce(current_setting('app.user_id', true), '')")
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test]
async fn a_transaction_dropped_while_open_never_reaches_the_next_borrower(pool: PgPool) {
    let one = one_connection(&pool).await;
    let (before, _) = next_borrower_sees(&one).await;
    let viewer = Uuid::new_v4();
    let (tx, _) = OpenTransaction::begin(&one, &set_viewer_statement(Some(viewer)))
        .await
        .unwrap();
    // As a cancelled request's future is dropped: no COMMIT, no ROLLBACK.
    drop(tx);
    let (after, seen) = next_borrower_sees(&one).await;
    assert_eq!(
        seen, "",
        "the next borrower must not run as the last viewer"
    );
    assert_ne!(after, before, "the connection was closed, not handed on");
}

#[sqlx::test]
async fn a_transaction_that_ends_hands_the_connection_back_idle(pool: PgPool) {
    let one = one_connection(&pool).await;
    let (backend, _) = next_borrower_sees(&one).await;
    for commit in [true, false] {
        let viewer = Uuid::new_v4();
        let (tx, rows) = OpenTransaction::begin(&one, &set_viewer_statement(Some(viewer)))
            .await
            .unwrap();
        assert_eq!(
            rows.len(),
            1,
            "the first statement's row comes back with BEGIN"
        );
        if commit {
            tx.commit().await.unwrap();
        } else {
            tx.rollback().await.unwrap();
        }
        // The same connection (a failed form's rollback must not cost a
        // new one), outside any transaction: the viewer was local to it.
        assert_eq!(next_borrower_sees(&one).await, (backend, String::new()));
    }
}
