//! School mode: what the login screen asks before anyone logs in, the
//! settings, and accounts made by the staff.

use std::time::Duration;

use messenger_shared::admin::{
    CreatedAccount, ImportPreview, Imported, NewAccount, TemporaryPassword,
};
use messenger_shared::ids::UserId;
use messenger_shared::school::{SchoolSettings, ServerInfo};

use super::{Api, ApiError, json};

/// An import hashes one password after another on the server (a few dozen
/// milliseconds each, behind every login): allow for that, per row.
const IMPORT_TIME_PER_ROW: Duration = Duration::from_millis(250);

impl Api {
    /// Whether this server lets people register, before anyone logs in.
    pub async fn server_info(&self) -> Result<ServerInfo, ApiError> {
        let request = self
            .http
            .get(self.url("/server-info"))
            .timeout(self.answer_timeout);
        json(request.send().await?).await
    }

    pub async fn settings(&self) -> Result<SchoolSettings, ApiError> {
        self.get("/admin/settings").await
    }

    pub async fn change_settings(
        &self,
        settings: SchoolSettings,
    ) -> Result<SchoolSettings, ApiError> {
        self.put("/admin/settings", &settings).await
    }

    pub async fn create_user(&self, account: NewAccount) -> Result<CreatedAccount, ApiError> {
        self.post("/admin/users", &account).await
    }

    /// Checks a class list; nothing is stored.
    pub async fn preview_import(&self, file: Vec<u8>) -> Result<ImportPreview, ApiError> {
        let request = self
            .http
            .post(self.url("/admin/users/import?dry_run=true"))
            .header(reqwest::header::CONTENT_TYPE, "text/csv")
            .body(file);
        json(self.authorized(request).send().await?).await
    }

    /// Makes every account of a class list of `rows` rows, or none.
    pub async fn import_class_list(
        &self,
        file: Vec<u8>,
        rows: usize,
    ) -> Result<Imported, ApiError> {
        let allowance = Duration::from_secs(60) + IMPORT_TIME_PER_ROW * rows as u32;
        let request = self
            .http
            .post(self.url("/admin/users/import"))
            .header(reqwest::header::CONTENT_TYPE, "text/csv")
            .timeout(allowance)
            .body(file);
        json(self.authorized(request).send().await?).await
    }

    pub async fn reset_password(&self, user: UserId) -> Result<TemporaryPassword, ApiError> {
        self.post(
            &format!("/admin/users/{user}/password-reset"),
            &serde_json::json!({}),
        )
        .await
    }
}
