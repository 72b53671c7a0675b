//! Access tokens (signed JWTs) and refresh tokens (random, stored hashed).
use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// How long an access token is good for.
pub const ACCESS_TTL: chrono::Duration = chrono::Duration::minutes(15);
/// How long a sign-in lasts at most, however often it is refreshed.
pub const SESSION_TTL: chrono::Duration = chrono::Duration::days(30);
/// The only audience Bookwork issues tokens for.
pub const AUDIENCE: &str = "bookwork-web";
/// The only algorithm accepted: a token naming any other (including "none") is refused.
const ALGORITHM: Algorithm = Algorithm::HS256;
const ACCESS_TYPE: &str = "access";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    /// The sign-in (refresh-token family) this token belongs to.
    pub sid: Uuid,
    pub iss: String,
    pub aud: String,
    pub typ: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
}

impl TokenKeys {
    pub fn new(secret: &str, issuer: &str) -> Self {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            issuer: issuer.to_owned(),
        }
    }

    pub fn issue_access(&self, user: Uuid, session: Uuid, now: DateTime<Utc>) -> String {
        let claims = AccessClaims {
            sub: user,
            sid: session,
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            typ: ACCESS_TYPE.to_owned(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
        };
        encode(&Header::new(ALGORITHM), &claims, &self.encoding).expect("HS256 signing cannot fail")
    }

    /// Verifies signature, algorithm, expiry, issuer, audience and type.
    pub fn verify_access(&self, token: &str) -> Option<AccessClaims> {
        let mut validation = Validation::new(ALGORITHM);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        let data = decode::<AccessClaims>(token, &self.decoding, &validation).ok()?;
        (data.claims.typ == ACCESS_TYPE).then_some(data.claims)
    }
}

/// A new refresh token: 256 random bits, URL-safe.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes)
}

/// What the database stores instead of the token.
pub fn hash_refresh_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
