//! The school settings: kept in the database, read from memory on every
//! send and registration, changed by holders of `role:manage` and applied
//! at once.

pub mod in_force;

use messenger_shared::admin::AuditAction;
use messenger_shared::frame::ServerFrame;
use messenger_shared::school::{SchoolSettings, ServerInfo};

use super::admin::Admin;
use super::admin::audit::{self, details};
use crate::db;
use crate::db::settings;
use crate::error::ApiError;
use crate::state::AppState;
pub use in_force::Settings;

/// `GET /server-info`: what the login screen needs, before anyone logs in.
pub fn server_info(state: &AppState) -> ServerInfo {
    let now = state.settings.now();
    ServerInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        registration: now.registration,
        messaging: now.messaging,
        limits: state.limits(),
    }
}

/// `GET /admin/settings`.
pub fn get(state: &AppState, _admin: &Admin) -> SchoolSettings {
    state.settings.now()
}

/// `PUT /admin/settings`: stored with its audit row in one transaction,
/// then in force for the next request, and everyone connected is told.
pub async fn change(
    state: &AppState,
    admin: &Admin,
    new: SchoolSettings,
) -> Result<SchoolSettings, ApiError> {
    let old = state.settings.now();
    if new == old {
        return Ok(old);
    }
    let record = admin.clone();
    state
        .db
        .run(move |conn| {
            db::write_transaction(conn, |conn| {
                settings::store(conn, new)?;
                let particulars = details([
                    changed("messaging", old.messaging, new.messaging),
                    changed("registration", old.registration, new.registration),
                ]);
                audit::record(
                    conn,
                    &record,
                    AuditAction::SettingsChanged,
                    None,
                    &particulars,
                )?;
                Ok(())
            })
        })
        .await?;
    state.settings.replace(new);
    tracing::info!(by = %admin.caller.user_id, ?new, "school settings changed");
    state
        .hub
        .broadcast(ServerFrame::SettingsChanged { settings: new });
    Ok(new)
}

/// `old → new` when a setting changed.
fn changed<T: PartialEq + serde::Serialize>(name: &str, old: T, new: T) -> (&str, Option<String>) {
    let value =
        (old != new).then(|| format!("{} → {}", settings::to_word(old), settings::to_word(new)));
    (name, value)
}
