//! Pictures: thumbnails and full images fetched from the server, the file
//! picked to attach, and saving an image to disk.

use std::collections::HashMap;
use std::path::Path;

use iced::Task;
use iced::widget::image::Handle;
use messenger_shared::chat::Message as ChatMessage;
use messenger_shared::ids::AttachmentId;

use super::Message;
use crate::api::{Api, ApiError};
use crate::texts::error_text;

/// Files larger than this are refused before reading them: the server's
/// own limit is 10 MiB, and a mistaken pick of a video should not fill
/// memory.
const MAX_PICK_BYTES: u64 = 32 * 1024 * 1024;

/// An image on its way, here, or refused.
#[derive(Debug, Clone)]
pub enum Picture {
    Loading,
    Ready(Handle),
    Failed(String),
}

/// A file chosen to attach, shown as a preview before it is sent.
#[derive(Debug, Clone)]
pub struct Picked {
    pub name: String,
    pub bytes: Vec<u8>,
    pub preview: Handle,
}

#[derive(Debug, Default)]
pub struct Pictures {
    thumbs: HashMap<AttachmentId, Picture>,
    /// Only the image open in the viewer: full pictures are large.
    full: HashMap<AttachmentId, Picture>,
}

impl Pictures {
    pub fn thumb(&self, id: AttachmentId) -> Option<&Picture> {
        self.thumbs.get(&id)
    }

    pub fn full(&self, id: AttachmentId) -> Option<&Picture> {
        self.full.get(&id)
    }

    pub fn forget_full(&mut self) {
        self.full.clear();
    }

    /// Fetches an image unless it is here or on its way.
    pub fn want(&mut self, api: &Api, id: AttachmentId, thumb: bool) -> Task<Message> {
        let cache = if thumb {
            &mut self.thumbs
        } else {
            &mut self.full
        };
        if matches!(cache.get(&id), Some(Picture::Loading | Picture::Ready(_))) {
            return Task::none();
        }
        cache.insert(id, Picture::Loading);
        let api = api.clone();
        Task::perform(
            async move { api.attachment(id, thumb).await },
            move |result| Message::PictureLoaded(id, thumb, result),
        )
    }

    /// Thumbnails for every message with a picture.
    pub fn want_all(&mut self, api: &Api, messages: &[ChatMessage]) -> Task<Message> {
        Task::batch(
            messages
                .iter()
                .filter_map(|m| m.attachment.as_ref())
                .map(|a| self.want(api, a.id, true))
                .collect::<Vec<_>>(),
        )
    }

    pub fn loaded(&mut self, id: AttachmentId, thumb: bool, result: Result<Vec<u8>, ApiError>) {
        let picture = match result {
            Ok(bytes) => Picture::Ready(Handle::from_bytes(bytes)),
            Err(error) => Picture::Failed(error_text(&error)),
        };
        let cache = if thumb {
            &mut self.thumbs
        } else {
            &mut self.full
        };
        // A full image that arrives after the viewer closed is dropped.
        if thumb || cache.contains_key(&id) {
            cache.insert(id, picture);
        }
    }
}

/// Asks for a picture file and reads it. `Ok(None)`: the user cancelled.
pub async fn pick() -> Result<Option<Picked>, String> {
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title("Attach a picture")
        .add_filter("Pictures", &["png", "jpg", "jpeg", "gif", "bmp", "webp"])
        .pick_file()
        .await
    else {
        return Ok(None);
    };
    read_picked(file.path()).await.map(Some)
}

/// Reads a chosen file for sending; the server judges whether it is a
/// picture, this only keeps absurd files out of memory.
pub async fn read_picked(path: &Path) -> Result<Picked, String> {
    let name = path
        .file_name()
        .map_or_else(|| "picture".into(), |n| n.to_string_lossy().into_owned());
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|e| format!("Cannot read {name}: {e}"))?
        .len();
    if size > MAX_PICK_BYTES {
        return Err(format!(
            "{name} is {} MB; pictures must be much smaller.",
            size / (1024 * 1024)
        ));
    }
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| format!("Cannot read {name}: {e}"))?;
    Ok(Picked {
        name,
        preview: Handle::from_bytes(bytes.clone()),
        bytes,
    })
}

/// "Save image…": asks where, then fetches the full picture and writes it.
pub async fn save(api: Api, id: AttachmentId, mime: String) -> Result<Option<String>, String> {
    let extension = match mime.as_str() {
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/bmp" => "bmp",
        "image/webp" => "webp",
        _ => "png",
    };
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title("Save picture")
        .set_file_name(format!("picture-{id}.{extension}"))
        .save_file()
        .await
    else {
        return Ok(None);
    };
    let bytes = api
        .attachment(id, false)
        .await
        .map_err(|e| error_text(&e))?;
    tokio::fs::write(file.path(), bytes)
        .await
        .map_err(|e| format!("Cannot save the picture: {e}"))?;
    Ok(Some(file.path().display().to_string()))
}
