//! What the browser and the server exchange about accounts. Compiled on both
//! sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The signed-in user as pages see it. Deliberately has no password hash:
/// everything here may be serialized into the HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// A person's name as typed: trimmed, present, at most 100 characters.
pub fn checked_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Enter your name."));
    }
    if name.chars().count() > 100 {
        return Err(AppError::validation("name", "Use at most 100 characters."));
    }
    Ok(name.to_owned())
}

/// Where to go after signing in: only a path on this site, never another
/// site (`//evil.example`, `https://…`, `/\evil`), else the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_ever_points_at_this_site() {
        assert_eq!(
            safe_next(Some("/clubs/42?tab=events")),
            "/clubs/42?tab=events"
        );
        for hostile in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/\t/evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
