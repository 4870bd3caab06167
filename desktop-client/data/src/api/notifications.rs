//! Notifications: the caller's list and read marks, and sending them.

use messenger_shared::ids::NotificationId;
use messenger_shared::notification::{
    Broadcast, NotificationPage, NotificationQuery, NotifyUser, Sent, Unread,
};

use super::{Api, ApiError};

impl Api {
    pub async fn notifications(
        &self,
        query: NotificationQuery,
    ) -> Result<NotificationPage, ApiError> {
        self.get_with("/notifications", &query).await
    }

    pub async fn read_notification(&self, id: NotificationId) -> Result<Unread, ApiError> {
        self.post(&format!("/notifications/{id}/read"), &serde_json::json!({}))
            .await
    }

    pub async fn read_all_notifications(&self) -> Result<Unread, ApiError> {
        self.post("/notifications/read-all", &serde_json::json!({}))
            .await
    }

    pub async fn notify_user(&self, request: NotifyUser) -> Result<Sent, ApiError> {
        self.post("/notifications", &request).await
    }

    pub async fn broadcast(&self, request: Broadcast) -> Result<Sent, ApiError> {
        self.post("/notifications/broadcast", &request).await
    }
}
