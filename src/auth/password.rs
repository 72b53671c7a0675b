//! Password policy and hashing (argon2id, off the async worker threads).
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

pub const MIN_PASSWORD_CHARS: usize = 8;
/// Generous, so long passphrases fit; bounded, so hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// argon2id with OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.
pub fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19_456, 2, 1, None).expect("valid argon2 parameters"),
    )
}

/// Common passwords that are refused outright (lower-case).
const COMMON: &str = include_str!("common_passwords.txt");

/// Why a new password is not acceptable, in words for the person typing it.
pub fn check_new_password(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!("Use at least {MIN_PASSWORD_CHARS} characters."));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
    }
    let lower = password.to_lowercase();
    if COMMON.lines().any(|common| common == lower) {
        return Err("That password is one of the most common ones, and easy to guess. Try a short phrase only you would think of.".into());
    }
    let first = lower.chars().next();
    if lower.chars().all(|c| Some(c) == first) {
        return Err(
            "Avoid repeating one character. Try a short phrase only you would think of.".into(),
        );
    }
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    if local_part.len() >= 4 && lower.contains(&local_part) {
        return Err("Avoid using your email address in your password.".into());
    }
    Ok(())
}

/// Hashes on a blocking thread: argon2 deliberately takes tens of milliseconds.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| {
                tracing::error!(error = %e, "password hashing failed");
                AppError::Internal
            })
    })
    .await
    .map_err(|_| AppError::Internal)?
}

/// Checks `password` against `stored`. With no stored hash (no such user) it
/// checks against a dummy hash, so both answers take the same time.
pub async fn verify_password(password: String, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let hash_text = match &stored {
            Some(h) => h.as_str(),
            None => {
                dummy = dummy_hash();
                dummy.as_str()
            }
        };
        let Ok(parsed) = PasswordHash::new(hash_text) else {
            return false;
        };
        let matches = argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        matches && stored.is_some()
    })
    .await
    .unwrap_or(false)
}

/// A real hash of a random password, made once per process with the same
/// parameters as real ones, so verifying against it costs the same.
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(uuid::Uuid::new_v4().as_bytes(), &salt)
                .expect("hashing a random password")
                .to_string()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_messages() {
        assert!(check_new_password("short", "a@example.com").is_err());
        assert!(check_new_password("Password123", "a@example.com")
            .unwrap_err()
            .contains("common"));
        assert!(check_new_password("zzzzzzzzzz", "a@example.com").is_err());
        assert!(check_new_password("marjorie-rules", "marjorie@example.com").is_err());
        assert!(check_new_password("correct horse battery staple", "a@example.com").is_ok());
        assert!(
            check_new_password("日本語のパスフレーズです", "a@example.com").is_ok(),
            "any Unicode"
        );
        assert!(
            check_new_password(&"long phrase ".repeat(20), "a@example.com").is_ok(),
            "long passphrases"
        );
        assert!(check_new_password(&"x1".repeat(200), "a@example.com").is_err());
    }

    #[tokio::test]
    async fn hashes_verify_and_use_the_required_parameters() {
        let hash = hash_password("correct horse battery staple".into())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("correct horse battery staple".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong".into(), Some(hash)).await);
    }

    #[tokio::test]
    async fn unknown_users_still_pay_for_a_full_argon2_verification() {
        // The dummy path verifies against a real hash with the same cost, and
        // can never succeed.
        assert!(dummy_hash().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(!verify_password("anything".into(), None).await);
    }
}
