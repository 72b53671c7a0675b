//! Serving with graceful shutdown: on SIGINT or SIGTERM the listener stops
//! accepting, in-flight requests run to completion, then `serve` returns.
use std::future::Future;

use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;

/// Resolves on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("installing the SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("installing the SIGINT handler");
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM received; finishing in-flight requests"),
        _ = int.recv() => tracing::info!("SIGINT received; finishing in-flight requests"),
    }
}

/// Serves `app` on `listener` until `shutdown` resolves and open requests finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Without TCP_NODELAY every request after the first on a keep-alive
    // connection waits ~40 ms for Nagle's algorithm and delayed ACKs.
    let listener = listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::warn!(error = %err, "could not set TCP_NODELAY");
        }
    });
    // Peer addresses feed per-client rate limiting.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
