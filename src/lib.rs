//! Bookwork: book clubs, their members, meetings, RSVPs and what we read.
//!
//! The crate builds twice: with `ssr` it is the server (axum + sqlx), with
//! `hydrate` it is the WASM bundle that makes server-rendered pages live.
//! Feature folders (`home/`, ...) hold the server functions (`api.rs`), the views
//! (`page.rs`) and, on the server only, their queries (`db.rs`).
#![recursion_limit = "256"]

pub mod admin;
pub mod app;
pub mod auth;
pub mod clubs;
pub mod error;
pub mod events;
pub mod forms;
pub mod home;
pub mod layout;
pub mod profile;

#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
