//! What the user administration pages show. Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const USERS_PER_PAGE: i64 = 20;
pub const SITE_ROLES: [&str; 4] = ["admin", "moderator", "member", "guest"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUserRow {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    pub is_active: bool,
    pub last_login: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<AdminUserRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}
