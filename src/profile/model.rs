//! What the profile page shows, and the checks on what people type there.
//! Compiled on both sides.
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::model::checked_name;
use crate::error::{AppError, Checks};
use crate::events::calendar::api::CalendarPrefs;
use crate::forms::Typed;
use crate::notify::model::Preference;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub avatar: Option<String>,
}

/// One signed-in browser, as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: Uuid,
    pub started: String,
    pub last_used: String,
    pub browser: String,
    pub current: bool,
}

/// What `/me` shows (`api::profile_page`): each section's data, and each
/// form's [`Typed`] (what was typed before a failed post, or a successful
/// post's answer).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProfilePageData {
    pub profile: Profile,
    pub api_tokens: Vec<ApiTokenRow>,
    /// The last "make a token" post: the token it made, shown once.
    pub token_form: Typed,
    pub sessions: Vec<SessionInfo>,
    pub notifications: Vec<Preference>,
    pub calendar: CalendarPrefs,
    pub details_form: Typed,
    pub password_form: Typed,
    pub notifications_form: Typed,
    pub zone_form: Typed,
    pub feed_form: Typed,
    pub end_others_form: Typed,
}

/// Trims and checks profile fields (all of them at once); empty optional
/// fields become `None`.
pub fn validate_profile(
    name: &str,
    phone: &str,
    avatar: &str,
) -> Result<(String, Option<String>, Option<String>), AppError> {
    let mut checks = Checks::new();
    let name = checks.check(checked_name(name));
    let phone = phone.trim();
    let phone = if phone.is_empty() {
        None
    } else if phone.len() > 20
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        || phone.chars().filter(char::is_ascii_digit).count() < 5
    {
        checks.add(
            "phone",
            "Enter a phone number of up to 20 characters: digits, spaces, + - ( ).",
        );
        None
    } else {
        Some(phone.to_owned())
    };
    let avatar = avatar.trim();
    let avatar = if avatar.is_empty() {
        None
    } else if avatar.len() > 500
        || !(avatar.starts_with("https://") || avatar.starts_with("http://"))
        || avatar.contains(char::is_whitespace)
    {
        checks.add(
            "avatar",
            "Enter a web address starting with https:// (at most 500 characters).",
        );
        None
    } else {
        Some(avatar.to_owned())
    };
    let name = checks.done(|| name)?;
    Ok((name, phone, avatar))
}

#[cfg(test)]
mod tests {
    use super::validate_profile;

    #[test]
    fn profile_fields_are_checked() {
        assert!(validate_profile("Ada", "", "").is_ok());
        assert!(validate_profile(" ", "", "")
            .unwrap_err()
            .field_message("name")
            .is_some());
        assert!(validate_profile("Ada", "+44 (0)20 7946 0958", "").is_ok());
        assert!(validate_profile("Ada", "call me", "")
            .unwrap_err()
            .field_message("phone")
            .is_some());
        assert!(validate_profile("Ada", "", "javascript:alert(1)")
            .unwrap_err()
            .field_message("avatar")
            .is_some());
        assert!(validate_profile("Ada", "", "https://example.com/me.png").is_ok());
        let all = validate_profile("", "call me", "ftp://x").unwrap_err();
        assert_eq!(
            all.fields(),
            ["name", "phone", "avatar"],
            "every field at once"
        );
    }
}

/// When a new personal access token stops working: (days, label); `""`
/// is never.
pub const EXPIRY_CHOICES: [(&str, &str); 4] = [
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    ("", "Never"),
];

/// A personal access token as its owner sees it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: Uuid,
    pub name: String,
    /// "read", "write".
    pub scopes: Vec<String>,
    /// In the owner's zone.
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
    pub expired: bool,
}
