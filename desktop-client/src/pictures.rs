//! Pictures: one cache of thumbnails and full images for the whole app
//! (a picture shown in two places is fetched once), the file picked to
//! attach, and saving an image to disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use iced::Task;
use iced::widget::image::Handle;
use messenger_shared::chat::Message as ChatMessage;
use messenger_shared::ids::AttachmentId;

use crate::api::{Api, ApiError};
use crate::texts::megabytes;
use crate::tr;

/// Files larger than this are refused before reading them: a mistaken
/// pick of a video should not fill memory. (The server's own limit, often
/// 10 MB, is checked before sending.)
const MAX_PICK_BYTES: u64 = 64 * 1024 * 1024;

/// A file dialog that answers "nothing chosen" sooner than this never
/// showed: nobody cancels that fast. (rfd reports a dialog program that
/// fails, e.g. a zenity that cannot reach the display, as a cancel.)
const FASTER_THAN_A_PERSON: Duration = Duration::from_millis(400);

/// An image on its way, here, or refused.
#[derive(Debug, Clone)]
pub enum Picture {
    Loading,
    Ready(Handle),
    Failed(ApiError),
}

/// The two sizes the server keeps of each image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Thumb,
    Full,
}

/// An image that arrived (or did not).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub id: AttachmentId,
    pub size: Size,
    pub result: Result<Vec<u8>, ApiError>,
}

/// A file chosen to attach, shown as a preview before it is sent.
#[derive(Debug, Clone)]
pub struct Picked {
    pub name: String,
    pub bytes: Vec<u8>,
    pub preview: Handle,
}

/// Why no file was picked, read or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickError {
    /// This PC has no file dialog (no desktop portal, no zenity).
    NoDialog,
    /// The file dialog program failed before it showed.
    DialogFailed,
    /// The file is far too large to be a picture for a chat.
    TooLarge {
        name: String,
        bytes: u64,
    },
    CannotRead {
        name: String,
    },
    CannotSave,
    /// No program opened the file or folder.
    CannotOpen {
        path: String,
    },
}

impl PickError {
    pub fn text(&self) -> String {
        match self {
            PickError::NoDialog => tr!("file-dialog-missing"),
            PickError::DialogFailed => tr!("file-dialog-failed"),
            PickError::TooLarge { name, bytes } => {
                tr!(
                    "file-too-large",
                    name = name.clone(),
                    size = megabytes(*bytes)
                )
            }
            PickError::CannotRead { name } => tr!("file-cannot-read", name = name.clone()),
            PickError::CannotSave => tr!("file-cannot-save"),
            PickError::CannotOpen { path } => tr!("file-cannot-open", path = path.clone()),
        }
    }
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

    fn cache(&mut self, size: Size) -> &mut HashMap<AttachmentId, Picture> {
        match size {
            Size::Thumb => &mut self.thumbs,
            Size::Full => &mut self.full,
        }
    }

    /// Fetches an image unless it is here or on its way.
    pub fn want(&mut self, api: &Api, id: AttachmentId, size: Size) -> Task<Loaded> {
        let cache = self.cache(size);
        if matches!(cache.get(&id), Some(Picture::Loading | Picture::Ready(_))) {
            return Task::none();
        }
        cache.insert(id, Picture::Loading);
        let api = api.clone();
        Task::perform(
            async move { api.attachment(id, size == Size::Thumb).await },
            move |result| Loaded { id, size, result },
        )
    }

    /// Thumbnails for every message with a picture.
    pub fn want_all(&mut self, api: &Api, messages: &[ChatMessage]) -> Task<Loaded> {
        Task::batch(
            messages
                .iter()
                .filter_map(|m| m.attachment.as_ref())
                .map(|a| self.want(api, a.id, Size::Thumb))
                .collect::<Vec<_>>(),
        )
    }

    pub fn loaded(&mut self, loaded: Loaded) {
        let picture = match loaded.result {
            Ok(bytes) => Picture::Ready(Handle::from_bytes(bytes)),
            Err(error) => Picture::Failed(error),
        };
        let size = loaded.size;
        let cache = self.cache(size);
        // A full image that arrives after the viewer closed is dropped.
        if size == Size::Thumb || cache.contains_key(&loaded.id) {
            cache.insert(loaded.id, picture);
        }
    }
}

/// Asks for a picture file and reads it. `Ok(None)`: the user cancelled.
pub async fn pick(title: String, filter: String) -> Result<Option<Picked>, PickError> {
    if !dialog_available().await {
        return Err(PickError::NoDialog);
    }
    let asked = Instant::now();
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title(title)
        .add_filter(filter, &["png", "jpg", "jpeg", "gif", "bmp", "webp"])
        .pick_file()
        .await
    else {
        return nothing_chosen(asked.elapsed()).map(|()| None);
    };
    read_picked(file.path()).await.map(Some)
}

/// Reads a chosen or dropped file for sending; the server judges whether
/// it is a picture, this only keeps absurd files out of memory.
pub async fn read_picked(path: &Path) -> Result<Picked, PickError> {
    let name = path
        .file_name()
        .map_or_else(|| "picture".into(), |n| n.to_string_lossy().into_owned());
    let cannot_read = |error: std::io::Error| {
        eprintln!("cannot read {}: {error}", path.display());
        PickError::CannotRead { name: name.clone() }
    };
    let bytes = tokio::fs::metadata(path).await.map_err(cannot_read)?.len();
    if bytes > MAX_PICK_BYTES {
        return Err(PickError::TooLarge { name, bytes });
    }
    let data = tokio::fs::read(path).await.map_err(cannot_read)?;
    Ok(Picked {
        name,
        preview: Handle::from_bytes(data.clone()),
        bytes: data,
    })
}

/// Asks for files to send (any kind, several at once). Empty: the user
/// cancelled.
pub async fn pick_files(title: String) -> Result<Vec<PathBuf>, PickError> {
    if !dialog_available().await {
        return Err(PickError::NoDialog);
    }
    let asked = Instant::now();
    let Some(files) = rfd::AsyncFileDialog::new()
        .set_title(title)
        .pick_files()
        .await
    else {
        return nothing_chosen(asked.elapsed()).map(|()| Vec::new());
    };
    Ok(files.iter().map(|f| f.path().to_owned()).collect())
}

/// Asks where to save a file named `name`. `Ok(None)`: the user cancelled.
pub async fn ask_where_to_save(title: String, name: String) -> Result<Option<PathBuf>, PickError> {
    if !dialog_available().await {
        return Err(PickError::NoDialog);
    }
    let asked = Instant::now();
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(name)
        .save_file()
        .await
    else {
        return nothing_chosen(asked.elapsed()).map(|()| None);
    };
    Ok(Some(file.path().to_owned()))
}

/// "Save image…": asks where, then fetches the full picture and writes it.
/// `Ok(None)`: the user cancelled.
/// `title` and `file_name` (without extension) are in the user's language.
pub async fn save(
    api: Api,
    id: AttachmentId,
    mime: String,
    title: String,
    file_name: String,
) -> Result<Option<PathBuf>, SaveError> {
    let extension = match mime.as_str() {
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/bmp" => "bmp",
        "image/webp" => "webp",
        _ => "png",
    };
    if !dialog_available().await {
        return Err(SaveError::File(PickError::NoDialog));
    }
    let asked = Instant::now();
    let Some(file) = rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(format!("{file_name}.{extension}"))
        .save_file()
        .await
    else {
        return nothing_chosen(asked.elapsed())
            .map(|()| None)
            .map_err(SaveError::File);
    };
    let bytes = api.attachment(id, false).await.map_err(SaveError::Api)?;
    tokio::fs::write(file.path(), bytes)
        .await
        .map_err(|error| {
            eprintln!("cannot save {}: {error}", file.path().display());
            SaveError::File(PickError::CannotSave)
        })?;
    Ok(Some(file.path().to_owned()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    Api(ApiError),
    File(PickError),
}

/// A dialog that came back with nothing after `asked_for`: the user
/// cancelled, or (sooner than anyone could) the dialog failed to show.
fn nothing_chosen(asked_for: Duration) -> Result<(), PickError> {
    if asked_for < FASTER_THAN_A_PERSON {
        Err(PickError::DialogFailed)
    } else {
        Ok(())
    }
}

/// Whether a file dialog can open here. On Linux rfd asks the desktop
/// portal and falls back to `zenity`; with neither, it would silently
/// return nothing, so the app checks first and can say so instead.
#[cfg(target_os = "linux")]
async fn dialog_available() -> bool {
    const PORTAL: &str = "org.freedesktop.portal.Desktop";
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    if zenity {
        return true;
    }
    let Ok(bus) = zbus::Connection::session().await else {
        return false;
    };
    let Ok(dbus) = zbus::fdo::DBusProxy::new(&bus).await else {
        return false;
    };
    let Ok(name) = zbus::names::BusName::try_from(PORTAL) else {
        return false;
    };
    if dbus.name_has_owner(name).await.unwrap_or(false) {
        return true;
    }
    dbus.list_activatable_names()
        .await
        .is_ok_and(|names| names.iter().any(|n| n.as_str() == PORTAL))
}

/// Windows and macOS always have their own dialogs.
#[cfg(not(target_os = "linux"))]
async fn dialog_available() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_that_comes_back_at_once_failed_to_show() {
        assert_eq!(
            nothing_chosen(Duration::from_millis(15)),
            Err(PickError::DialogFailed)
        );
        assert_eq!(nothing_chosen(Duration::from_secs(3)), Ok(()), "cancelled");
    }
}
