//! How an app finds servers on the school network without being told an
//! address. The server announces itself two ways, and the app listens for
//! both:
//!
//! - DNS-SD over multicast DNS: the service type [`SERVICE_TYPE`], with the
//!   server's name and version in the TXT record ([`TXT_NAME`],
//!   [`TXT_VERSION`]).
//! - A UDP probe, for networks whose switches filter multicast: the app
//!   broadcasts [`PROBE`] to [`PROBE_PORT`], and every server answers the
//!   sender with an [`Announcement`] as JSON. The server's address is the
//!   one the answer came from.

use serde::{Deserialize, Serialize};

/// The DNS-SD service type, in the form mDNS libraries take it.
pub const SERVICE_TYPE: &str = "_local-messenger._tcp.local.";

/// TXT record keys.
pub const TXT_NAME: &str = "name";
pub const TXT_VERSION: &str = "version";

/// The UDP port servers answer probes on (a fixed one: the app cannot ask
/// which).
pub const PROBE_PORT: u16 = 8001;

/// What the app broadcasts. Anything else sent to the port is ignored.
pub const PROBE: &[u8] = b"local-messenger/1 who is there?";

/// A server's answer to a probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    /// What the school called the server, e.g. "Кабинет 204".
    pub name: String,
    /// The TCP port of its API.
    pub port: u16,
    /// The server's version.
    pub version: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_keeps_its_json_shape() {
        let announcement = Announcement {
            name: "Кабинет 204".into(),
            port: 8000,
            version: "0.1.0".into(),
        };
        let json = serde_json::to_string(&announcement).expect("serializes");
        assert_eq!(
            json,
            r#"{"name":"Кабинет 204","port":8000,"version":"0.1.0"}"#
        );
        let back: Announcement = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, announcement);
    }
}
