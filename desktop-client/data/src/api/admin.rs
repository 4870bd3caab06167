//! The administration endpoints (`/admin/*`), for the Administration tab.

use std::path::Path;

use messenger_shared::admin::{
    AdminConversation, AdminMessage, AdminUser, AuditEntry, AuditQuery, ExportFormat, ExportQuery,
    LoginAttempt, LoginHistoryQuery, MessageFilter, NewRole, PermissionInfo, RoleChange, RoleInfo,
    RoleUpdate, SetRole, SetStatus, Stats, UserQuery,
};
use messenger_shared::ids::{RoleId, UserId};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Api, ApiError, FileProblem, checked, json};
use crate::i18n::Language;

impl Api {
    pub(super) async fn get_with<Q: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T, ApiError> {
        let request = self.http.get(self.url(path)).query(query);
        json(self.authorized(request).send().await?).await
    }

    pub(super) async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let request = self.http.put(self.url(path)).json(body);
        json(self.authorized(request).send().await?).await
    }

    pub async fn admin_users(&self, query: UserQuery) -> Result<Vec<AdminUser>, ApiError> {
        self.get_with("/admin/users", &query).await
    }

    pub async fn set_status(&self, user: UserId, change: SetStatus) -> Result<AdminUser, ApiError> {
        self.put(&format!("/admin/users/{user}/status"), &change)
            .await
    }

    pub async fn set_role(&self, user: UserId, change: SetRole) -> Result<AdminUser, ApiError> {
        self.put(&format!("/admin/users/{user}/role"), &change)
            .await
    }

    /// One account as it is now.
    pub async fn admin_user(&self, user: UserId) -> Result<AdminUser, ApiError> {
        self.get(&format!("/admin/users/{user}")).await
    }

    pub async fn role_history(&self, user: UserId) -> Result<Vec<RoleChange>, ApiError> {
        self.get(&format!("/admin/users/{user}/role-history")).await
    }

    pub async fn user_conversations(
        &self,
        user: UserId,
    ) -> Result<Vec<AdminConversation>, ApiError> {
        self.get(&format!("/admin/users/{user}/conversations"))
            .await
    }

    pub async fn admin_messages(
        &self,
        filter: MessageFilter,
    ) -> Result<Vec<AdminMessage>, ApiError> {
        self.get_with("/admin/messages", &filter).await
    }

    /// Downloads an export into `file`, chunk by chunk as the server
    /// streams it; returns the bytes written. The file is written through
    /// tokio (its blocking pool), never on the thread that runs the UI's
    /// tasks.
    pub async fn export_messages(
        &self,
        filter: MessageFilter,
        format: ExportFormat,
        language: Language,
        file: &Path,
    ) -> Result<u64, ApiError> {
        use tokio::io::AsyncWriteExt;
        let file_error = FileProblem::writing;
        // A CSV file's column names and dates in the user's language.
        let request = self
            .http
            .get(self.url("/admin/messages/export"))
            .header(reqwest::header::ACCEPT_LANGUAGE, language.code())
            .query(&filter)
            .query(&ExportQuery { format });
        let mut response = checked(self.authorized(request).send().await?).await?;
        let mut out = tokio::fs::File::create(file).await.map_err(file_error)?;
        let mut written = 0;
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    out.write_all(&chunk).await.map_err(file_error)?;
                    written += chunk.len() as u64;
                }
                Ok(None) => break,
                // The server cuts an export off when it cannot finish it:
                // an incomplete file must not pass for a whole one.
                Err(_) => {
                    drop(out);
                    let _ = tokio::fs::remove_file(file).await;
                    return Err(ApiError::CutOff);
                }
            }
        }
        // A tokio file hands writes to a background thread: the last one
        // is on disk only once flushed.
        out.flush().await.map_err(file_error)?;
        Ok(written)
    }

    pub async fn login_history(
        &self,
        query: LoginHistoryQuery,
    ) -> Result<Vec<LoginAttempt>, ApiError> {
        self.get_with("/admin/login-history", &query).await
    }

    pub async fn roles(&self) -> Result<Vec<RoleInfo>, ApiError> {
        self.get("/admin/roles").await
    }

    pub async fn create_role(&self, role: NewRole) -> Result<RoleInfo, ApiError> {
        self.post("/admin/roles", &role).await
    }

    pub async fn update_role(&self, id: RoleId, change: RoleUpdate) -> Result<RoleInfo, ApiError> {
        self.put(&format!("/admin/roles/{id}"), &change).await
    }

    pub async fn delete_role(&self, id: RoleId) -> Result<(), ApiError> {
        self.no_content(self.http.delete(self.url(&format!("/admin/roles/{id}"))))
            .await
    }

    pub async fn permissions(&self) -> Result<Vec<PermissionInfo>, ApiError> {
        self.get("/admin/permissions").await
    }

    pub async fn audit(&self, query: AuditQuery) -> Result<Vec<AuditEntry>, ApiError> {
        self.get_with("/admin/audit", &query).await
    }

    pub async fn stats(&self) -> Result<Stats, ApiError> {
        self.get("/admin/stats").await
    }
}
