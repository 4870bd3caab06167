//! Files on their way, for the whole app: uploads (a file picked or
//! dropped in a chat, uploaded, then sent as a message) and downloads (a
//! file opened or saved from a bubble). Each counts its bytes as it goes,
//! so a bubble draws a progress bar with the speed, and each can be
//! cancelled. Downloads carry on by themselves after a lost connection
//! (`api::files`).
//!
//! The dashboard owns one [`Transfers`], routes [`Message`]s to it and
//! carries out the [`Done`] it reports; chats only read it to draw.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use iced::Task;
use iced::task::Handle;
use messenger_shared::chat::{Message as ChatMessage, SendMessage};
use messenger_shared::file::{FileInfo, StoredFile};
use messenger_shared::ids::FileId;

use crate::api::{Api, ApiError, FileProblem, Progress};
use crate::conversation::{Place, new_client_id};
use crate::files::Speed;
use crate::pictures::{self, PickError};
use crate::tr;

/// How often progress is redrawn while something moves.
pub const REDRAW_EVERY: Duration = Duration::from_millis(250);

/// A file chosen to send, checked against the server's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub path: PathBuf,
    pub name: String,
    pub size: u64,
}

/// What moving bytes looks like at this moment.
#[derive(Debug, Clone)]
pub struct Moving {
    pub name: String,
    pub size: u64,
    progress: Progress,
    speed: Speed,
}

impl Moving {
    fn new(name: String, size: u64) -> Moving {
        Moving {
            name,
            size,
            progress: Progress::default(),
            speed: Speed::new(Instant::now()),
        }
    }

    pub fn done(&self) -> u64 {
        self.progress.load(Ordering::Relaxed)
    }

    /// From 0 to 1.
    pub fn fraction(&self) -> f32 {
        if self.size == 0 {
            return 0.0;
        }
        (self.done() as f64 / self.size as f64).clamp(0.0, 1.0) as f32
    }

    pub fn bytes_per_second(&self) -> u64 {
        self.speed.bytes_per_second()
    }
}

/// A file being uploaded into a chat, or refused on the way.
#[derive(Debug)]
pub struct Upload {
    pub key: u64,
    pub place: Place,
    pub moving: Moving,
    /// Why it did not go (kept on screen until dismissed).
    pub failed: Option<ApiError>,
    handle: Option<Handle>,
}

/// What a download is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    /// Open it with the program the system chooses.
    Open,
    /// Keep it where the user chose.
    Keep,
}

#[derive(Debug)]
pub struct Download {
    pub moving: Moving,
    target: PathBuf,
    then: Then,
    handle: Handle,
}

/// What the user asks of a file in a bubble.
#[derive(Debug, Clone)]
pub enum Action {
    Open(FileInfo),
    SaveAs(FileInfo),
    ShowInFolder(FileId),
    CancelDownload(FileId),
    CancelUpload(u64),
    DismissUpload(u64),
}

#[derive(Debug, Clone)]
pub enum Message {
    Act(Action),
    Uploaded(u64, Result<StoredFile, ApiError>),
    Sent(u64, Result<Box<ChatMessage>, ApiError>),
    SaveChosen(FileInfo, Result<Option<PathBuf>, PickError>),
    Downloaded(FileId, Result<PathBuf, ApiError>),
    /// Opening a file or its folder did not work.
    NotOpened(PickError),
    Tick(Instant),
}

/// What the dashboard should do after a transfer message.
#[derive(Debug, Clone)]
pub enum Done {
    /// A file message was stored: add it to its chat.
    Sent(Box<ChatMessage>),
    /// A file was saved or opened from here.
    Saved(PathBuf),
    /// Opening a file or folder, or asking where to save, failed.
    Problem(PickError),
    /// A request failed (the session may be over).
    Failed(ApiError),
}

#[derive(Debug, Default)]
pub struct Transfers {
    uploads: Vec<Upload>,
    downloads: HashMap<FileId, Download>,
    /// Files downloaded in this session, and where they are.
    on_disk: HashMap<FileId, PathBuf>,
    next_key: u64,
}

impl Transfers {
    pub fn is_moving(&self) -> bool {
        !self.downloads.is_empty() || self.uploads.iter().any(|u| u.failed.is_none())
    }

    /// The uploads into one chat, oldest first.
    pub fn uploads_to(&self, place: Place) -> impl Iterator<Item = &Upload> {
        self.uploads.iter().filter(move |u| u.place == place)
    }

    pub fn download(&self, id: FileId) -> Option<&Download> {
        self.downloads.get(&id)
    }

    pub fn on_disk(&self, id: FileId) -> Option<&Path> {
        self.on_disk.get(&id).map(PathBuf::as_path)
    }

    /// Starts uploading files into a chat; each becomes a message of its
    /// own once the server has it.
    pub fn send(&mut self, api: &Api, place: Place, files: Vec<Outgoing>) -> Task<Message> {
        let mut tasks = Vec::new();
        for file in files {
            let key = self.next_key;
            self.next_key += 1;
            let moving = Moving::new(file.name.clone(), file.size);
            let progress = moving.progress.clone();
            let api = api.clone();
            let (task, handle) = Task::perform(
                async move { api.upload(&file.path, &file.name, progress).await },
                move |result| Message::Uploaded(key, result),
            )
            .abortable();
            self.uploads.push(Upload {
                key,
                place,
                moving,
                failed: None,
                handle: Some(handle),
            });
            tasks.push(task);
        }
        Task::batch(tasks)
    }

    pub fn update(&mut self, api: &Api, message: Message) -> (Task<Message>, Option<Done>) {
        match message {
            Message::Act(action) => return self.act(api, action),
            Message::Uploaded(key, Ok(stored)) => {
                let Some(upload) = self.uploads.iter_mut().find(|u| u.key == key) else {
                    return (Task::none(), None);
                };
                let place = upload.place;
                let api = api.clone();
                let message = SendMessage {
                    client_id: new_client_id(),
                    text: String::new(),
                    image: None,
                    file_id: Some(stored.id),
                    reply_to: None,
                    forward_of: None,
                };
                let (task, handle) = Task::perform(
                    async move { api.send(place, message).await },
                    move |result| Message::Sent(key, result.map(Box::new)),
                )
                .abortable();
                upload.handle = Some(handle);
                return (task, None);
            }
            Message::Uploaded(key, Err(error)) | Message::Sent(key, Err(error)) => {
                if let Some(upload) = self.uploads.iter_mut().find(|u| u.key == key) {
                    upload.failed = Some(error.clone());
                    upload.handle = None;
                }
                if error.ends_session() {
                    return (Task::none(), Some(Done::Failed(error)));
                }
            }
            Message::Sent(key, Ok(message)) => {
                self.uploads.retain(|u| u.key != key);
                return (Task::none(), Some(Done::Sent(message)));
            }
            Message::SaveChosen(file, Ok(Some(path))) => {
                return (self.start_download(api, &file, path, Then::Keep), None);
            }
            Message::SaveChosen(_, Ok(None)) => {}
            Message::SaveChosen(_, Err(problem)) => {
                return (Task::none(), Some(Done::Problem(problem)));
            }
            Message::Downloaded(id, Ok(path)) => {
                let Some(download) = self.downloads.remove(&id) else {
                    return (Task::none(), None);
                };
                self.on_disk.insert(id, path.clone());
                if download.then == Then::Open {
                    return (opened(open_file(&path)), None);
                }
                return (Task::none(), Some(Done::Saved(path)));
            }
            Message::Downloaded(id, Err(error)) => {
                self.downloads.remove(&id);
                return (Task::none(), Some(Done::Failed(error)));
            }
            Message::NotOpened(problem) => {
                return (Task::none(), Some(Done::Problem(problem)));
            }
            Message::Tick(now) => {
                for upload in &mut self.uploads {
                    upload.moving.speed.record(now, upload.moving.done());
                }
                for download in self.downloads.values_mut() {
                    download.moving.speed.record(now, download.moving.done());
                }
            }
        }
        (Task::none(), None)
    }

    fn act(&mut self, api: &Api, action: Action) -> (Task<Message>, Option<Done>) {
        match action {
            Action::Open(file) => {
                if let Some(path) = self.on_disk.get(&file.id).filter(|p| p.is_file()) {
                    return (opened(open_file(path)), None);
                }
                if self.downloads.contains_key(&file.id) {
                    return (Task::none(), None);
                }
                let Some(target) = downloads_dir().map(|dir| free_name(&dir, &file.name)) else {
                    return (Task::none(), Some(Done::Problem(PickError::CannotSave)));
                };
                return (self.start_download(api, &file, target, Then::Open), None);
            }
            Action::SaveAs(file) => {
                let title = tr!("save-file-dialog-title");
                let name = file.name.clone();
                return (
                    Task::perform(pictures::ask_where_to_save(title, name), move |chosen| {
                        Message::SaveChosen(file.clone(), chosen)
                    }),
                    None,
                );
            }
            Action::ShowInFolder(id) => {
                if let Some(path) = self.on_disk.get(&id) {
                    return (opened(show_in_folder(path)), None);
                }
            }
            Action::CancelDownload(id) => {
                if let Some(download) = self.downloads.remove(&id) {
                    download.handle.abort();
                    let _ = std::fs::remove_file(partial(&download.target));
                }
            }
            Action::CancelUpload(key) | Action::DismissUpload(key) => {
                if let Some(at) = self.uploads.iter().position(|u| u.key == key) {
                    let upload = self.uploads.remove(at);
                    if let Some(handle) = upload.handle {
                        handle.abort();
                    }
                }
            }
        }
        (Task::none(), None)
    }

    fn start_download(
        &mut self,
        api: &Api,
        file: &FileInfo,
        target: PathBuf,
        then: Then,
    ) -> Task<Message> {
        let moving = Moving::new(file.name.clone(), file.size);
        let progress = moving.progress.clone();
        let api = api.clone();
        let id = file.id;
        let to = target.clone();
        let (task, handle) = Task::perform(
            async move {
                let part = partial(&to);
                api.download(id, &part, progress).await?;
                tokio::fs::rename(&part, &to)
                    .await
                    .map_err(FileProblem::writing)?;
                Ok(to)
            },
            move |result| Message::Downloaded(id, result),
        )
        .abortable();
        self.downloads.insert(
            id,
            Download {
                moving,
                target,
                then,
                handle,
            },
        );
        task
    }
}

/// Where a download is written until it is whole.
fn partial(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_owned();
    name.push(".part");
    target.with_file_name(name)
}

/// Where files opened from chats are kept: the user's Downloads folder.
fn downloads_dir() -> Option<PathBuf> {
    let dir = dirs::download_dir().or_else(|| dirs::home_dir().map(|h| h.join("Downloads")))?;
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// `dir/name`, or `dir/name (2).ext` and so on when that is taken.
pub fn free_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() && !partial(&first).exists() {
        return first;
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    (2..)
        .map(|n| dir.join(format!("{stem} ({n}){ext}")))
        .find(|path| !path.exists() && !partial(path).exists())
        .unwrap_or(first)
}

fn opened(result: Result<(), PickError>) -> Task<Message> {
    match result {
        Ok(()) => Task::none(),
        Err(problem) => Task::done(Message::NotOpened(problem)),
    }
}

/// Opens a file with the program the system chooses for it.
pub fn open_file(path: &Path) -> Result<(), PickError> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut command = std::process::Command::new("explorer");
        command.arg(path);
        command
    };
    #[cfg(target_os = "macos")]
    let mut command = {
        let mut command = std::process::Command::new("open");
        command.arg(path);
        command
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = {
        let mut command = std::process::Command::new("xdg-open");
        command.arg(path);
        command
    };
    launch(&mut command, path)
}

/// Shows the folder holding a file (with the file selected where the
/// system can).
pub fn show_in_folder(path: &Path) -> Result<(), PickError> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut command = std::process::Command::new("explorer");
        command.arg(format!("/select,{}", path.display()));
        command
    };
    #[cfg(target_os = "macos")]
    let mut command = {
        let mut command = std::process::Command::new("open");
        command.arg("-R").arg(path);
        command
    };
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = {
        let mut command = std::process::Command::new("xdg-open");
        command.arg(path.parent().unwrap_or(Path::new(".")));
        command
    };
    launch(&mut command, path)
}

fn launch(command: &mut std::process::Command, path: &Path) -> Result<(), PickError> {
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|error| {
            eprintln!("cannot open {}: {error}", path.display());
            PickError::CannotOpen {
                path: path.display().to_string(),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_gets_a_number() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(
            free_name(dir.path(), "эссе.docx"),
            dir.path().join("эссе.docx")
        );
        std::fs::write(dir.path().join("эссе.docx"), b"1").expect("write");
        assert_eq!(
            free_name(dir.path(), "эссе.docx"),
            dir.path().join("эссе (2).docx")
        );
        std::fs::write(dir.path().join("эссе (2).docx.part"), b"1").expect("write");
        assert_eq!(
            free_name(dir.path(), "эссе.docx"),
            dir.path().join("эссе (3).docx")
        );
    }
}
