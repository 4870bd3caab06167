//! Avatars as the app has them: each user's picture, kept by the version
//! the server gave it, so a picture is fetched once and again only when
//! the user's summary names a new version. Thumbnails (64×64) for lists,
//! the full 256×256 only for the Profile tab.

use std::collections::{HashMap, HashSet};

use iced::Task;
use iced::widget::image::Handle;
use messenger_shared::ids::{AvatarVersion, UserId};
use messenger_shared::user::AvatarSize;

use crate::api::{Api, ApiError};

/// An avatar that arrived (or did not).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub user: UserId,
    pub version: AvatarVersion,
    pub size: AvatarSize,
    pub result: Result<Vec<u8>, ApiError>,
}

#[derive(Debug, Default)]
pub struct Avatars {
    pictures: HashMap<(UserId, AvatarSize), (AvatarVersion, Handle)>,
    /// Asked for and not yet here, or refused (not asked again until the
    /// version changes).
    asked: HashSet<(UserId, AvatarVersion, AvatarSize)>,
}

impl Avatars {
    /// The picture of `user` at `version`, if it is here. An older version
    /// is not shown once a newer one is named.
    pub fn get(
        &self,
        user: UserId,
        version: Option<AvatarVersion>,
        size: AvatarSize,
    ) -> Option<&Handle> {
        let version = version?;
        match self.pictures.get(&(user, size)) {
            Some((have, handle)) if *have == version => Some(handle),
            _ => None,
        }
    }

    /// Fetches `user`'s avatar at `version` unless it is here or asked for.
    pub fn want(
        &mut self,
        api: &Api,
        user: UserId,
        version: Option<AvatarVersion>,
        size: AvatarSize,
    ) -> Task<Loaded> {
        let Some(version) = version else {
            return Task::none();
        };
        if self.get(user, Some(version), size).is_some()
            || !self.asked.insert((user, version, size))
        {
            return Task::none();
        }
        let api = api.clone();
        Task::perform(async move { api.avatar(user, size).await }, move |result| {
            Loaded {
                user,
                version,
                size,
                result,
            }
        })
    }

    pub fn loaded(&mut self, loaded: Loaded) {
        match loaded.result {
            Ok(bytes) => {
                let key = (loaded.user, loaded.size);
                let newer = self
                    .pictures
                    .get(&key)
                    .is_none_or(|(have, _)| *have <= loaded.version);
                if newer {
                    self.pictures
                        .insert(key, (loaded.version, Handle::from_bytes(bytes)));
                }
                self.asked
                    .remove(&(loaded.user, loaded.version, loaded.size));
            }
            // Removed meanwhile, or a passing failure: the initials stay.
            Err(error) => eprintln!("avatar of user {} not loaded: {error}", loaded.user),
        }
    }
}
