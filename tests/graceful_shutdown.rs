//! SIGTERM during a slow request: the request completes, then the server stops.
//! (Its own test binary: it sends a real signal to this process.)
#![cfg(feature = "ssr")]

mod common;

use std::time::Duration;

use axum::routing::get;
use bookwork::server::{http, shutdown};
use common::{test_leptos_options, test_state};
use nix::sys::signal::{raise, Signal};
use sqlx::PgPool;
use tokio::sync::mpsc;

#[sqlx::test]
async fn sigterm_lets_an_in_flight_request_finish(pool: PgPool) {
    let (started_tx, mut started) = mpsc::channel::<()>(1);
    let slow = get(move || {
        let started_tx = started_tx.clone();
        async move {
            started_tx.send(()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(1500)).await;
            "finished"
        }
    });
    let app =
        http::router(test_state(pool, test_leptos_options("target/site"))).route("/slow", slow);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(shutdown::serve(listener, app, shutdown::signal()));

    let request = tokio::spawn(async move { reqwest::get(format!("http://{addr}/slow")).await });
    started
        .recv()
        .await
        .expect("the slow request reached its handler");
    raise(Signal::SIGTERM).unwrap();

    let response = request
        .await
        .unwrap()
        .expect("the in-flight request was not cut off");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");

    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops after the request")
        .unwrap()
        .unwrap();
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer accepting connections"
    );
}
