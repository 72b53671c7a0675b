//! Site administration: find people, change their site role, deactivate and
//! reactivate accounts; see how the system is doing. Site admins only.
pub mod api;
#[cfg(feature = "ssr")]
mod db;
pub mod model;
pub mod pages;
pub mod system;
