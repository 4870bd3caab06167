//! Who is calling, and may they: password hashing, signed tokens bound to
//! session rows, the login throttle and the permission check.

pub mod password;
pub mod secret;
pub mod session_cache;
pub mod throttle;
pub mod token;
mod user;

pub use user::{AuthUser, ClientInfo, authenticate, bearer_token, bearer_token_in};
