//! What the dashboard does with what its overlays say: the banner, the
//! announce dialog, the delete question and the image viewer (each a
//! sibling module with its own Message, Event, update and view), and Esc,
//! which closes the topmost of them.

use iced::Task;
use messenger_shared::ids::{AttachmentId, MessageId};

use super::{
    Announce, ConfirmDelete, Dashboard, Event, Message, Viewer, announce, banner, confirm, viewer,
};
use crate::conversation::Place;
use crate::notice::Notice;
use crate::pictures::Size;

impl Dashboard {
    pub(super) fn banner_message(
        &mut self,
        message: banner::Message,
    ) -> (Task<Message>, Option<Event>) {
        let Some(shown) = &self.banner else {
            return (Task::none(), None);
        };
        match shown.update(message) {
            banner::Event::Open => {
                self.banner = None;
                (self.open_notifications(), None)
            }
            banner::Event::Dismissed => {
                self.banner = None;
                (Task::none(), None)
            }
        }
    }

    pub(super) fn open_announce(&mut self) -> Task<Message> {
        let (dialog, task) = Announce::new(&self.api);
        self.announce = Some(dialog);
        Task::batch([
            task.map(Message::Announce),
            iced::widget::operation::focus(announce::TITLE_INPUT),
        ])
    }

    pub(super) fn announce_message(
        &mut self,
        message: announce::Message,
    ) -> (Task<Message>, Option<Event>) {
        let Some(dialog) = &mut self.announce else {
            return (Task::none(), None);
        };
        let (task, event) = dialog.update(message, &self.api);
        match event {
            Some(announce::Event::Sent(recipients)) => {
                self.announce = None;
                self.show(Notice::Announced(recipients));
            }
            Some(announce::Event::Cancelled) => self.announce = None,
            Some(announce::Event::Failed(error)) => return self.failed(error),
            None => {}
        }
        (task.map(Message::Announce), None)
    }

    /// Asks whether to delete a message of the chat with `peer`.
    pub(super) fn ask_delete(&mut self, place: Place, id: MessageId) {
        let own = self
            .conversation(place)
            .and_then(|c| c.messages().iter().find(|m| m.id == id))
            .is_some_and(|m| m.sender == self.me.id);
        self.confirm_delete = Some(ConfirmDelete::new(place, id, own));
    }

    pub(super) fn confirm_message(&mut self, message: confirm::Message) -> Task<Message> {
        let Some(question) = self.confirm_delete.take() else {
            return Task::none();
        };
        match question.update(message) {
            confirm::Event::Delete(place, id) => {
                let api = self.api.clone();
                Task::perform(async move { api.delete(id).await }, move |result| {
                    Message::DeleteAnswered(place, id, result)
                })
            }
            confirm::Event::Cancelled => Task::none(),
        }
    }

    /// Shows a picture at full size, fetching it.
    pub(super) fn open_viewer(&mut self, id: AttachmentId) -> Task<Message> {
        self.viewer = Some(Viewer::new(id));
        self.pictures
            .want(&self.api, id, Size::Full)
            .map(Message::PictureLoaded)
    }

    pub(super) fn viewer_message(&mut self, message: viewer::Message) -> Task<Message> {
        if let Some(shown) = &mut self.viewer {
            match shown.update(message) {
                viewer::Event::Closed => self.close_viewer(),
            }
        }
        Task::none()
    }

    fn close_viewer(&mut self) {
        self.viewer = None;
        self.pictures.forget_full();
    }

    /// Esc: the menu, if any, closed already (it is user input); then the
    /// viewer, then the dialog.
    pub(super) fn escape(&mut self) -> Task<Message> {
        if self.viewer.is_some() {
            self.close_viewer();
        } else if self.announce.is_some() {
            self.announce = None;
        } else if self.group_settings.is_some() {
            self.group_settings = None;
        } else if self.forward.is_some() {
            self.forward = None;
        } else if self.confirm_delete.is_some() {
            self.confirm_delete = None;
        } else {
            self.cancel_compose();
        }
        Task::none()
    }
}
