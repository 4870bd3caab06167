//! Files in chats, as the dashboard sees them: it starts the uploads a
//! chat asks for and carries out what a finished transfer reports (the
//! sent message joins its chat, a saved file or a problem is told on the
//! status line). The transfers themselves are `crate::transfers`.

use iced::Task;

use super::{Dashboard, Event, Message};
use crate::conversation::Place;
use crate::notice::Notice;
use crate::transfers::{self, Done, Outgoing};

impl Dashboard {
    pub(super) fn send_files(&mut self, place: Place, files: Vec<Outgoing>) -> Task<Message> {
        self.transfers
            .send(&self.api, place, files)
            .map(Message::Transfer)
    }

    pub(super) fn file_action(
        &mut self,
        action: transfers::Action,
    ) -> (Task<Message>, Option<Event>) {
        self.transfer(transfers::Message::Act(action))
    }

    pub(super) fn transfer(
        &mut self,
        message: transfers::Message,
    ) -> (Task<Message>, Option<Event>) {
        let (task, done) = self.transfers.update(&self.api, message);
        let task = task.map(Message::Transfer);
        let then = match done {
            None => Task::none(),
            Some(Done::Sent(message)) => self.apply_message(*message, false).0,
            Some(Done::Saved(path)) => {
                self.show(Notice::FileSaved(path));
                Task::none()
            }
            Some(Done::Problem(problem)) => {
                self.show(Notice::File(problem));
                Task::none()
            }
            Some(Done::Failed(error)) => {
                let (failed, event) = self.failed(error);
                return (Task::batch([task, failed]), event);
            }
        };
        (Task::batch([task, then]), None)
    }
}
