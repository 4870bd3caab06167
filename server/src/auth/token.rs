//! Bearer tokens: HS256 JWTs naming a user and the session row they belong
//! to. The signature proves the server issued the token; the session row
//! decides whether it still counts.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use messenger_shared::error::ErrorCode;
use messenger_shared::ids::{SessionId, UserId};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id, as a string as the JWT standard wants it.
    pub sub: String,
    /// The session row.
    pub sid: i64,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
}

impl Claims {
    /// Claims for `user`'s session `session`, times in seconds since the epoch.
    pub fn new(user: UserId, session: SessionId, issued_at: i64, expires_at: i64) -> Claims {
        Claims {
            sub: user.to_string(),
            sid: session.0,
            iat: issued_at,
            exp: expires_at,
        }
    }

    /// Whether the token was issued to `user`.
    pub fn names_user(&self, user: UserId) -> bool {
        self.sub == user.to_string()
    }

    pub fn session_id(&self) -> SessionId {
        SessionId(self.sid)
    }
}

/// Signs and checks tokens with the server's secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenKeys {
    pub fn new(secret: &[u8]) -> TokenKeys {
        // Only HS256 is accepted: a token claiming `none` or any other
        // algorithm is refused before its signature is even looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(&self, claims: &Claims) -> Result<String, ApiError> {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding).map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        match decode::<Claims>(token, &self.decoding, &self.validation) {
            Ok(data) => Ok(data.claims),
            Err(err) if matches!(err.kind(), ErrorKind::ExpiredSignature) => Err(ApiError::new(
                ErrorCode::SessionExpired,
                "the session has expired; log in again",
            )),
            Err(_) => Err(ApiError::new(
                ErrorCode::InvalidToken,
                "the token is not valid; log in again",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims::new(UserId(7), SessionId(3), 0, exp)
    }

    fn far_future() -> i64 {
        chrono::Utc::now().timestamp() + 3600
    }

    #[test]
    fn a_token_verifies_with_its_own_secret_only() {
        let keys = TokenKeys::new(&[1; 32]);
        let token = keys.issue(&claims(far_future())).expect("issue");
        assert_eq!(keys.verify(&token).expect("verify").sid, 3);
        let other = TokenKeys::new(&[2; 32]);
        assert_eq!(
            other.verify(&token).unwrap_err().code,
            ErrorCode::InvalidToken
        );
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let keys = TokenKeys::new(&[1; 32]);
        let token = keys.issue(&claims(1_000)).expect("issue");
        assert_eq!(
            keys.verify(&token).unwrap_err().code,
            ErrorCode::SessionExpired
        );
    }
}
