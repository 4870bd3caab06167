//! A chat with one person or in a group, as a tab: what is being written
//! (the draft), which part of the history is drawn, and who is typing.
//! A group's tab also draws its members beside the messages
//! (`members.rs`).
//! The messages themselves are the dashboard's (`Conversation`), shared
//! with the contact list; this tab reads them and reports what the user
//! wants done with them as [`Event`]s.
//!
//! `composer.rs` draws and checks the draft, `paging.rs` moves the drawn
//! window, `view.rs` draws the header and the bubbles.

mod composer;
mod members;
mod paging;
mod view;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use iced::widget::{scrollable, text_editor};
use iced::{Element, Task};
use messenger_shared::chat::{Message as ChatMessage, Quote};
use messenger_shared::ids::{AttachmentId, GroupId, MessageId, UserId};

use super::Context;
use crate::api::ApiError;
use crate::conversation::{Conversation, Place, Window};
use crate::menu::Menu;
use crate::notice::Notice;
use crate::pictures::{self, PickError, Picked, SaveError};
use crate::tr;
use crate::transfers;

pub use composer::{COMPOSER, Problem};

/// A file chosen or dropped, as found on disk.
#[derive(Debug, Clone)]
pub struct Inspected {
    pub path: PathBuf,
    pub name: String,
    /// Its size, or `Err` when it cannot be read.
    pub size: Result<u64, ()>,
}

impl Inspected {
    fn is_picture(&self) -> bool {
        crate::files::Kind::of(&self.name) == crate::files::Kind::Picture
            && !self.name.to_lowercase().ends_with(".svg")
            && !self.name.to_lowercase().ends_with(".tif")
            && !self.name.to_lowercase().ends_with(".tiff")
    }
}

/// Reads the names and sizes of chosen files (folders cannot be sent).
async fn inspect(paths: Vec<PathBuf>) -> Vec<Inspected> {
    let mut found = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let size = match tokio::fs::metadata(&path).await {
            Ok(meta) if meta.is_file() => Ok(meta.len()),
            _ => Err(()),
        };
        found.push(Inspected { path, name, size });
    }
    found
}
pub use view::{MESSAGE_LIST, show_newest};

/// What a reply shows of the message it answers.
fn quote_of(message: &ChatMessage) -> Quote {
    Quote {
        id: message.id,
        sender: message.sender,
        text: Quote::excerpt(
            &message.text,
            message.file.as_ref().map(|f| f.name.as_str()),
        ),
        deleted: false,
    }
}

/// Whether the user may still edit this message: theirs, not forwarded,
/// within the server's edit window (when the server says it; an older
/// server decides itself).
pub fn editable(message: &ChatMessage, context: &Context<'_>) -> bool {
    if message.sender != context.me.id || message.forwarded_from.is_some() {
        return false;
    }
    match context.limits.edit_window_secs {
        None => true,
        Some(0) => false,
        Some(window) => {
            let age = chrono::Utc::now() - message.sent_at;
            age.num_seconds() < i64::try_from(window).unwrap_or(i64::MAX)
        }
    }
}

/// How long "typing…" stays after the last typing frame.
const TYPING_SHOWN: Duration = Duration::from_secs(4);
/// At most one typing frame per chat this often.
const TYPING_EVERY: Duration = Duration::from_secs(3);
/// How long the message a chat was opened at stays lit up.
const HIGHLIGHT_SHOWN: Duration = Duration::from_secs(3);

pub struct Chat {
    place: Place,
    draft: Draft,
    /// Which part of the chat is drawn: a chat of 10,000 messages costs no
    /// more to draw than one of a few hundred.
    window: Window,
    /// Who is typing (in a group, several), and when each last said so.
    typing: Vec<(UserId, Instant)>,
    /// When we last told the peer we are typing.
    typing_sent: Option<Instant>,
    /// The message the chat was opened at, lit up for a moment.
    highlight: Option<(MessageId, Instant)>,
}

/// What the user is writing in one chat.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub editor: text_editor::Content,
    pub image: Option<Picked>,
    /// A picture message is on its way (the dashboard uploads it).
    pub sending: bool,
    /// Why the draft cannot go, or why the server refused it; shown
    /// next to it.
    pub problem: Option<Problem>,
    /// The message the draft answers: its quote shows above the box.
    pub reply_to: Option<Quote>,
    /// The draft is an edit of this message of ours; what was being
    /// written before waits in `stashed` and comes back after.
    pub editing: Option<MessageId>,
    pub stashed: Option<text_editor::Content>,
}

impl Draft {
    /// See [`Chat::picture_sent`] (also for the draft of a closed tab).
    pub fn picture_sent(&mut self) {
        *self = Draft::default();
    }

    /// See [`Chat::picture_refused`].
    pub fn picture_refused(&mut self, error: ApiError) {
        self.sending = false;
        self.problem = Some(Problem::Refused(error));
    }

    pub fn is_empty(&self) -> bool {
        self.image.is_none() && self.text().trim().is_empty()
    }

    /// Leaves an edit or a reply; an edit gives back what was being
    /// written before it. True when there was one to leave.
    pub fn cancel_compose(&mut self) -> bool {
        if self.editing.take().is_some() {
            self.editor = self.stashed.take().unwrap_or_default();
            self.problem = None;
            return true;
        }
        self.reply_to.take().is_some()
    }

    pub fn text(&self) -> String {
        let mut text = self.editor.text();
        // The editor keeps a final line break of its own.
        if text.ends_with('\n') {
            text.pop();
        }
        text
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(text_editor::Action),
    Send,
    Attach,
    /// A file dragged onto the window while this chat is in front.
    FileDropped(PathBuf),
    /// Files chosen in the dialog (none: cancelled).
    FilesChosen(Result<Vec<PathBuf>, PickError>),
    /// Their names and sizes, read from disk.
    FilesInspected(Vec<Inspected>),
    Picked(Result<Option<Picked>, PickError>),
    /// Open, save, cancel… a file in a bubble.
    File(transfers::Action),
    RemoveAttachment,
    Scrolled(scrollable::Viewport),
    /// Page turns in a chat longer than `MAX_DRAWN`.
    OlderPage,
    NewerPage,
    JumpToLatest,
    OpenMenu(Menu),
    CopyText(String),
    AskDelete(MessageId),
    /// Answer this message (the menu; Ctrl+R answers the newest incoming).
    Reply(MessageId),
    /// Edit this message of ours (the menu; ↑ in an empty box, the newest).
    StartEdit(MessageId),
    /// ↑ in an empty box.
    EditNewest,
    /// Leave the reply or the edit (×, Esc).
    CancelCompose,
    Forward(MessageId),
    /// A click on a quote: open the chat at the quoted message.
    JumpTo(MessageId),
    /// Read on below a jump (the chat was opened further back).
    LoadNewer,
    DiscardPending(String),
    SaveImage(AttachmentId, String),
    Saved(Result<Option<PathBuf>, SaveError>),
    OpenViewer(AttachmentId),
    /// Group tabs: the owners' settings dialog.
    GroupSettings,
    /// Group tabs: write to a member privately.
    WritePrivately(UserId),
    /// Group tabs: what a member may do.
    SetOwner(UserId, bool),
    RemoveMember(UserId),
}

impl Message {
    /// Clicks and keys, as opposed to answers and scroll positions: the
    /// dashboard closes an open menu on user input only. Every variant is
    /// named, so a new one must be decided on.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::Edit(action) => !matches!(action, text_editor::Action::Scroll { .. }),
            Message::Send
            | Message::Attach
            | Message::FileDropped(_)
            | Message::File(_)
            | Message::RemoveAttachment
            | Message::OlderPage
            | Message::NewerPage
            | Message::JumpToLatest
            | Message::OpenMenu(_)
            | Message::CopyText(_)
            | Message::AskDelete(_)
            | Message::Reply(_)
            | Message::StartEdit(_)
            | Message::EditNewest
            | Message::CancelCompose
            | Message::Forward(_)
            | Message::JumpTo(_)
            | Message::LoadNewer
            | Message::DiscardPending(_)
            | Message::SaveImage(..)
            | Message::OpenViewer(_)
            | Message::GroupSettings
            | Message::WritePrivately(_)
            | Message::SetOwner(..)
            | Message::RemoveMember(_) => true,
            Message::Picked(_)
            | Message::FilesChosen(_)
            | Message::FilesInspected(_)
            | Message::Scrolled(_)
            | Message::Saved(_) => false,
        }
    }
}

/// What the chat asks of the dashboard, which owns the messages and the
/// live link.
#[derive(Debug, Clone)]
pub enum Event {
    /// Send this message: the text, and the picture's bytes if one is
    /// attached. The dashboard sends every message; the chat only hears
    /// back about a picture ([`Chat::picture_sent`], [`Chat::picture_refused`]).
    Send {
        text: String,
        picture: Option<Vec<u8>>,
        reply_to: Option<MessageId>,
    },
    /// Give a message of ours new text.
    EditMessage(MessageId, String),
    /// Choose a chat to forward this message to.
    Forward(Place, MessageId),
    /// Open this chat at this message (loading the page around it).
    JumpTo(Place, MessageId),
    /// Load the page below the newest loaded message.
    WantNewer,
    /// Load the newest page again (leaving a jump).
    WantLatest,
    /// Upload these files and send each as a message.
    SendFiles(Vec<transfers::Outgoing>),
    /// Open, save, cancel… a file.
    File(transfers::Action),
    /// Tell the peer we are typing.
    Typing,
    /// Load older history: this many messages.
    WantOlder(u32),
    OpenMenu(Menu),
    AskDelete(MessageId),
    DiscardPending(String),
    OpenViewer(AttachmentId),
    Notice(Notice),
    /// A request failed in a way that may end the session.
    Failed(ApiError),
    /// Open the settings dialog of this group.
    GroupSettings(GroupId),
    /// Open a private chat with this member.
    WritePrivately(UserId),
    SetOwner(GroupId, UserId, bool),
    RemoveMember(GroupId, UserId),
}

impl Chat {
    pub fn new(place: Place, draft: Option<Draft>) -> Chat {
        Chat {
            place,
            draft: draft.unwrap_or_default(),
            window: Window::LATEST,
            typing: Vec::new(),
            typing_sent: None,
            highlight: None,
        }
    }

    /// The message lit up after a jump, while it is.
    pub fn highlighted(&self) -> Option<MessageId> {
        self.highlight.map(|(id, _)| id)
    }

    /// Shows message `id`, which is loaded: the window ends a little
    /// below it, it is lit up, and the list scrolls to it.
    pub fn show_message(&mut self, id: MessageId, conversation: &Conversation) -> Task<Message> {
        self.window = conversation.window_around(id);
        self.highlight = Some((id, Instant::now()));
        let drawn = conversation.drawn(&self.window);
        let at = drawn.iter().position(|m| m.id == id).unwrap_or(0);
        view::show_at(at, drawn.len())
    }

    pub fn place(&self) -> Place {
        self.place
    }

    pub fn window(&self) -> Window {
        self.window
    }

    /// The draft, taken when the tab closes (kept for when it reopens).
    pub fn into_draft(self) -> Draft {
        self.draft
    }

    pub fn draft(&self) -> &Draft {
        &self.draft
    }

    pub fn is_typing(&self) -> bool {
        !self.typing.is_empty()
    }

    /// Who is typing, in the order they started.
    pub fn typists(&self) -> impl Iterator<Item = UserId> + '_ {
        self.typing.iter().map(|(who, _)| *who)
    }

    pub fn someone_typing(&mut self, who: UserId, now: Instant) {
        match self.typing.iter_mut().find(|(typist, _)| *typist == who) {
            Some((_, since)) => *since = now,
            None => self.typing.push((who, now)),
        }
    }

    /// Their message ends their "typing…".
    pub fn wrote(&mut self, who: UserId) {
        self.typing.retain(|(typist, _)| *typist != who);
    }

    pub fn tick(&mut self, now: Instant) {
        self.typing
            .retain(|(_, since)| now.duration_since(*since) < TYPING_SHOWN);
        if self
            .highlight
            .is_some_and(|(_, since)| now.duration_since(since) >= HIGHLIGHT_SHOWN)
        {
            self.highlight = None;
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        let conversation = context.conversations.get(&self.place);
        match message {
            Message::Edit(action) => {
                let edit = action.is_edit();
                self.draft.editor.perform(action);
                if edit {
                    self.draft.problem = None;
                    return (Task::none(), self.typing());
                }
            }
            Message::Send => return self.send(context),
            Message::Attach => {
                let title = tr!("attach-dialog-title");
                return (
                    Task::perform(pictures::pick_files(title), Message::FilesChosen),
                    None,
                );
            }
            Message::FileDropped(path) => {
                return (
                    Task::perform(inspect(vec![path]), Message::FilesInspected),
                    None,
                );
            }
            Message::FilesChosen(Ok(paths)) => {
                return (Task::perform(inspect(paths), Message::FilesInspected), None);
            }
            Message::FilesChosen(Err(problem)) => {
                self.draft.problem = Some(Problem::File(problem));
            }
            Message::FilesInspected(files) => return self.files_chosen(files, context),
            Message::File(action) => return (Task::none(), Some(Event::File(action))),
            Message::Picked(Ok(Some(picked))) => {
                self.draft.problem = composer::check_image(&picked, context.limits);
                self.draft.image = Some(picked);
            }
            Message::Picked(Ok(None)) => {}
            Message::Picked(Err(problem)) => self.draft.problem = Some(Problem::File(problem)),
            Message::RemoveAttachment => {
                self.draft.image = None;
                self.draft.problem = None;
            }
            Message::Scrolled(viewport) => {
                return (Task::none(), self.scrolled(viewport, conversation));
            }
            Message::OlderPage => {
                if let Some(conversation) = conversation {
                    self.window = conversation.older_page(&self.window);
                }
                // Reading upwards goes on from the bottom of the older page.
                return (view::show_newest(), self.prefetch_older(conversation));
            }
            Message::NewerPage => {
                if let Some(conversation) = conversation {
                    self.window = conversation.newer_page(&self.window);
                }
                return (view::show_oldest(), None);
            }
            Message::JumpToLatest => {
                self.window = Window::LATEST;
                // Below a jump the newest messages are not loaded yet.
                let event = conversation
                    .is_some_and(|c| c.has_newer)
                    .then_some(Event::WantLatest);
                return (view::show_newest(), event);
            }
            Message::OpenMenu(menu) => return (Task::none(), Some(Event::OpenMenu(menu))),
            Message::CopyText(text) => return (iced::clipboard::write(text), None),
            Message::AskDelete(id) => return (Task::none(), Some(Event::AskDelete(id))),
            Message::Reply(id) => {
                if let Some(message) = conversation.and_then(|c| c.find(id)) {
                    self.draft.reply_to = Some(quote_of(message));
                    return (iced::widget::operation::focus(COMPOSER), None);
                }
            }
            Message::StartEdit(id) => {
                if let Some(message) = conversation.and_then(|c| c.find(id)) {
                    return self.start_edit(message);
                }
            }
            Message::EditNewest => {
                let newest = conversation.and_then(Conversation::newest_own);
                if let Some(message) = newest.filter(|m| editable(m, context)) {
                    return self.start_edit(message);
                }
            }
            Message::CancelCompose => {
                self.draft.cancel_compose();
            }
            Message::Forward(id) => {
                return (Task::none(), Some(Event::Forward(self.place, id)));
            }
            Message::JumpTo(id) => {
                return (Task::none(), Some(Event::JumpTo(self.place, id)));
            }
            Message::LoadNewer => return (Task::none(), Some(Event::WantNewer)),
            Message::DiscardPending(client_id) => {
                return (Task::none(), Some(Event::DiscardPending(client_id)));
            }
            Message::SaveImage(id, mime) => {
                let api = context.api.clone();
                let title = tr!("save-dialog-title");
                let file_name = tr!("picture-file-name", id = id.0);
                return (
                    Task::perform(
                        pictures::save(api, id, mime, title, file_name),
                        Message::Saved,
                    ),
                    None,
                );
            }
            Message::Saved(Ok(Some(path))) => {
                return (
                    Task::none(),
                    Some(Event::Notice(Notice::PictureSaved(path))),
                );
            }
            Message::Saved(Ok(None)) => {}
            Message::Saved(Err(SaveError::Api(error))) => {
                return (Task::none(), Some(Event::Failed(error)));
            }
            Message::Saved(Err(SaveError::File(problem))) => {
                return (Task::none(), Some(Event::Notice(Notice::File(problem))));
            }
            Message::OpenViewer(id) => return (Task::none(), Some(Event::OpenViewer(id))),
            Message::WritePrivately(user) => {
                return (Task::none(), Some(Event::WritePrivately(user)));
            }
            Message::GroupSettings | Message::SetOwner(..) | Message::RemoveMember(_) => {
                let Place::Group(group) = self.place else {
                    return (Task::none(), None);
                };
                let event = match message {
                    Message::GroupSettings => Event::GroupSettings(group),
                    Message::SetOwner(user, owner) => Event::SetOwner(group, user, owner),
                    Message::RemoveMember(user) => Event::RemoveMember(group, user),
                    _ => return (Task::none(), None),
                };
                return (Task::none(), Some(event));
            }
        }
        (Task::none(), None)
    }

    /// Files chosen or dropped: one picture goes into the draft, to be
    /// sent with a caption and shown inline; anything else is checked
    /// against the server's rules and, if they allow it, sent at once,
    /// one message per file. A refused file is named in the draft.
    fn files_chosen(
        &mut self,
        files: Vec<Inspected>,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        if let [one] = files.as_slice()
            && one.is_picture()
            && one
                .size
                .is_ok_and(|size| size <= context.limits.max_image_bytes)
        {
            let path = one.path.clone();
            return (
                Task::perform(
                    async move { pictures::read_picked(&path).await.map(Some) },
                    Message::Picked,
                ),
                None,
            );
        }
        let rules = context.limits.files.as_ref();
        let mut outgoing = Vec::new();
        self.draft.problem = None;
        for file in files {
            let size = match file.size {
                Ok(size) => size,
                Err(()) => {
                    self.draft.problem =
                        Some(Problem::File(PickError::CannotRead { name: file.name }));
                    continue;
                }
            };
            match crate::files::check(&file.name, size, rules) {
                Ok(()) => outgoing.push(transfers::Outgoing {
                    path: file.path,
                    name: file.name,
                    size,
                }),
                Err(refusal) => {
                    self.draft.problem = Some(Problem::FileRefused {
                        name: file.name,
                        refusal,
                    });
                }
            }
        }
        if outgoing.is_empty() {
            return (Task::none(), None);
        }
        (view::show_newest(), Some(Event::SendFiles(outgoing)))
    }

    /// Tells the peer we are typing, at most every few seconds.
    fn typing(&mut self) -> Option<Event> {
        let now = Instant::now();
        if self
            .typing_sent
            .is_some_and(|at| now.duration_since(at) < TYPING_EVERY)
        {
            return None;
        }
        self.typing_sent = Some(now);
        Some(Event::Typing)
    }

    fn send(&mut self, context: &Context<'_>) -> (Task<Message>, Option<Event>) {
        if self.draft.sending || self.draft.is_empty() {
            return (Task::none(), None);
        }
        if let Some(problem) = composer::check(&self.draft, context.limits) {
            self.draft.problem = Some(problem);
            return (Task::none(), None);
        }
        let text = self.draft.text().trim().to_owned();
        if let Some(id) = self.draft.editing {
            self.draft.cancel_compose();
            return (Task::none(), Some(Event::EditMessage(id, text)));
        }
        let reply_to = self.draft.reply_to.as_ref().map(|quote| quote.id);
        // What one sends shows at the bottom: back to the newest messages.
        self.window = Window::LATEST;
        let Some(picked) = &self.draft.image else {
            self.draft.editor = text_editor::Content::new();
            self.draft.reply_to = None;
            let picture = None;
            return (
                view::show_newest(),
                Some(Event::Send {
                    text,
                    picture,
                    reply_to,
                }),
            );
        };
        // A picture stays in the draft until the server has it, so that a
        // refusal can be shown next to it.
        self.draft.sending = true;
        self.draft.problem = None;
        let picture = Some(picked.bytes.clone());
        (
            Task::none(),
            Some(Event::Send {
                text,
                picture,
                reply_to,
            }),
        )
    }

    /// The box takes the message's text to edit; what was in it waits.
    fn start_edit(&mut self, message: &ChatMessage) -> (Task<Message>, Option<Event>) {
        if self.draft.editing.is_none() {
            let before = std::mem::take(&mut self.draft.editor);
            self.draft.stashed = Some(before);
        }
        self.draft.editing = Some(message.id);
        self.draft.reply_to = None;
        self.draft.problem = None;
        self.draft.editor = text_editor::Content::with_text(&message.text);
        self.draft
            .editor
            .perform(text_editor::Action::Move(text_editor::Motion::DocumentEnd));
        (iced::widget::operation::focus(COMPOSER), None)
    }

    /// Leaves a reply or an edit (Esc); false when there was none.
    pub fn cancel_compose(&mut self) -> bool {
        self.draft.cancel_compose()
    }

    /// Ctrl+R: answer the newest message from the other side.
    pub fn reply_to_newest(&mut self, conversation: &Conversation) -> Task<Message> {
        match conversation.newest_incoming_message() {
            Some(message) => {
                self.draft.reply_to = Some(quote_of(message));
                iced::widget::operation::focus(COMPOSER)
            }
            None => Task::none(),
        }
    }

    /// The server stored the picture message: the draft is done.
    pub fn picture_sent(&mut self) {
        self.draft.picture_sent();
    }

    /// The server refused the picture message: it stays attached, with why.
    pub fn picture_refused(&mut self, error: ApiError) {
        self.draft.picture_refused(error);
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        view::view(self, context)
    }
}
