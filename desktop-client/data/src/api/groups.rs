//! Group chats: the caller's groups, making and changing them.

use messenger_shared::group::{
    AddMembers, GroupChange, GroupDetails, GroupSummary, MemberRole, MuteGroup, NewGroup,
    SetMemberRole,
};
use messenger_shared::ids::{GroupId, UserId};

use super::{Api, ApiError};

impl Api {
    pub async fn groups(&self) -> Result<Vec<GroupSummary>, ApiError> {
        self.get("/groups").await
    }

    pub async fn group(&self, id: GroupId) -> Result<GroupDetails, ApiError> {
        self.get(&format!("/groups/{id}")).await
    }

    pub async fn create_group(&self, group: NewGroup) -> Result<GroupDetails, ApiError> {
        self.post("/groups", &group).await
    }

    pub async fn change_group(
        &self,
        id: GroupId,
        change: GroupChange,
    ) -> Result<GroupDetails, ApiError> {
        self.put(&format!("/groups/{id}"), &change).await
    }

    pub async fn delete_group(&self, id: GroupId) -> Result<(), ApiError> {
        self.no_content(self.http.delete(self.url(&format!("/groups/{id}"))))
            .await
    }

    pub async fn add_group_members(
        &self,
        id: GroupId,
        users: Vec<UserId>,
    ) -> Result<GroupDetails, ApiError> {
        let body = AddMembers {
            user_ids: users,
            role: None,
        };
        self.post(&format!("/groups/{id}/members"), &body).await
    }

    pub async fn set_group_role(
        &self,
        id: GroupId,
        user: UserId,
        role: MemberRole,
    ) -> Result<GroupDetails, ApiError> {
        self.put(
            &format!("/groups/{id}/members/{user}"),
            &SetMemberRole { role },
        )
        .await
    }

    /// Takes `user` out of the group; the caller themselves to leave it.
    pub async fn remove_group_member(&self, id: GroupId, user: UserId) -> Result<(), ApiError> {
        let path = format!("/groups/{id}/members/{user}");
        self.no_content(self.http.delete(self.url(&path))).await
    }

    pub async fn mute_group(&self, id: GroupId, muted: bool) -> Result<(), ApiError> {
        let request = self
            .http
            .put(self.url(&format!("/groups/{id}/mute")))
            .json(&MuteGroup { muted });
        self.no_content(request).await
    }
}
