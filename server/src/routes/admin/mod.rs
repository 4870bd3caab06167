//! `/api/v1/admin/*`, one file a section, as `service/admin/` is split.
//! Each handler first turns the caller into an `Admin` for one named
//! permission, then calls the service.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod login_history;
pub(crate) mod messages;
pub(crate) mod roles;
pub(crate) mod settings;
pub(crate) mod stats;
pub(crate) mod users;
