//! The caller's own profile, password and avatar, and everyone's avatars.

use messenger_shared::admin::AdminUser;
use messenger_shared::ids::UserId;
use messenger_shared::user::{
    Account, AvatarSize, ChangePassword, PasswordChanged, RoleRef, UpdateProfile,
};

use super::{Api, ApiError, checked, json};

impl Api {
    pub async fn update_profile(&self, profile: UpdateProfile) -> Result<Account, ApiError> {
        self.put("/users/me", &profile).await
    }

    pub async fn change_password(
        &self,
        change: ChangePassword,
    ) -> Result<PasswordChanged, ApiError> {
        self.put("/users/me/password", &change).await
    }

    /// Uploads a picture's bytes as the avatar; the server squares it.
    pub async fn set_avatar(&self, bytes: Vec<u8>) -> Result<Account, ApiError> {
        let request = self.http.put(self.url("/users/me/avatar")).body(bytes);
        json(self.authorized(request).send().await?).await
    }

    pub async fn remove_avatar(&self) -> Result<Account, ApiError> {
        let request = self.http.delete(self.url("/users/me/avatar"));
        json(self.authorized(request).send().await?).await
    }

    /// An administrator removes someone's avatar.
    pub async fn remove_avatar_of(&self, user: UserId) -> Result<AdminUser, ApiError> {
        let request = self
            .http
            .delete(self.url(&format!("/admin/users/{user}/avatar")));
        json(self.authorized(request).send().await?).await
    }

    /// An administrator edits someone's profile.
    pub async fn edit_profile(
        &self,
        user: UserId,
        profile: UpdateProfile,
    ) -> Result<AdminUser, ApiError> {
        self.put(&format!("/admin/users/{user}/profile"), &profile)
            .await
    }

    /// One size of a user's avatar.
    pub async fn avatar(&self, user: UserId, size: AvatarSize) -> Result<Vec<u8>, ApiError> {
        let mut request = self.http.get(self.url(&format!("/users/{user}/avatar")));
        if size == AvatarSize::Thumb {
            request = request.query(&[("size", "thumb")]);
        }
        let response = checked(self.authorized(request).send().await?).await?;
        Ok(response.bytes().await?.to_vec())
    }

    /// Every role's id and name.
    pub async fn role_names(&self) -> Result<Vec<RoleRef>, ApiError> {
        self.get("/roles").await
    }
}
