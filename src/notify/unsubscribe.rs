//! Signed unsubscribe links: one per reader and kind, that work without
//! signing in and cannot be made for anyone else or any other kind (an HMAC
//! over both, keyed from `JWT_SECRET`). They do not expire: a link in an old
//! e-mail must still work.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::model::Kind;

type HmacSha256 = Hmac<Sha256>;

/// The key links are signed with, derived from the site's secret so that it
/// is never the session-signing key itself.
#[derive(Clone)]
pub struct UnsubscribeKey([u8; 32]);

impl UnsubscribeKey {
    pub fn from_secret(secret: &str) -> Self {
        let mut mac =
            HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
        mac.update(b"bookwork unsubscribe links v1");
        UnsubscribeKey(mac.finalize().into_bytes().into())
    }

    fn mac(&self, user: Uuid, kind: Kind) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(user.as_bytes());
        mac.update(kind.as_str().as_bytes());
        mac
    }

    /// `<user>.<kind>.<signature>`, safe in a URL as it is.
    pub fn token(&self, user: Uuid, kind: Kind) -> String {
        let signature = URL_SAFE_NO_PAD.encode(self.mac(user, kind).finalize().into_bytes());
        format!("{}.{}.{signature}", user.simple(), kind.as_str())
    }

    /// Whose link for which kind, if the signature is right (checked in
    /// constant time).
    pub fn verify(&self, token: &str) -> Option<(Uuid, Kind)> {
        let mut parts = token.trim().splitn(3, '.');
        let user = Uuid::parse_str(parts.next()?).ok()?;
        let kind = Kind::parse(parts.next()?)?;
        let signature = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        self.mac(user, kind)
            .verify_slice(&signature)
            .ok()
            .map(|()| (user, kind))
    }
}

/// The page a reader opens from an e-mail.
pub fn link(public_url: &str, token: &str) -> String {
    format!("{public_url}/unsubscribe?token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_names_one_reader_and_one_kind_and_cannot_be_altered() {
        let key = UnsubscribeKey::from_secret("a-secret-that-is-long-enough-for-tests");
        let alice = Uuid::new_v4();
        let bob = Uuid::new_v4();
        let token = key.token(alice, Kind::Reminder);
        assert_eq!(key.verify(&token), Some((alice, Kind::Reminder)));
        let signature = token.rsplit('.').next().unwrap();
        // The same signature for someone else or another kind is refused.
        assert_eq!(
            key.verify(&format!("{}.reminder.{signature}", bob.simple())),
            None
        );
        assert_eq!(
            key.verify(&format!("{}.event_new.{signature}", alice.simple())),
            None
        );
        assert_eq!(key.verify(&format!("{}.reminder.", alice.simple())), None);
        assert_eq!(key.verify("garbage"), None);
        // Another site's key does not sign for this one.
        let other = UnsubscribeKey::from_secret("another-secret-that-is-long-enough");
        assert_eq!(other.verify(&token), None);
    }
}
