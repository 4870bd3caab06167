//! What the tabs ask of the dashboard: each tab updates on its own and
//! reports an event; the dashboard, which owns the messages, the live link
//! and the overlays, carries it out.

use iced::Task;

use super::{Dashboard, Event, Message};
use crate::conversation::Place;
use crate::pictures::Size;
use crate::tab::{self, TabId, chat};

impl Dashboard {
    /// A message for one tab, and what the tab then asks for.
    pub(super) fn tab_message(
        &mut self,
        id: TabId,
        message: tab::Message,
    ) -> (Task<Message>, Option<Event>) {
        let Some(at) = self.tabs.iter().position(|tab| tab.id() == id) else {
            // The tab closed while its answer was on the way.
            return (Task::none(), None);
        };
        // Out of the list while it updates, so it can read the rest of the
        // dashboard through the same context it draws with.
        let mut tab = self.tabs.remove(at);
        let (task, event) = tab.update(message, &self.tab_context());
        self.tabs.insert(at, tab);
        let task = task.map(move |message| Message::Tab(id, message));
        match event {
            None => (task, None),
            Some(tab::Event::Chat(event)) => {
                let TabId::Chat(place) = id else {
                    return (task, None);
                };
                let (more, event) = self.chat_event(place, event);
                (Task::batch([task, more]), event)
            }
            Some(tab::Event::Settings(tab::settings::Event::Changed(config))) => {
                self.config = config.clone();
                (task, Some(Event::SettingsChanged(config)))
            }
            Some(tab::Event::Admin(event)) => {
                let (more, event) = self.admin_event(event);
                (Task::batch([task, more]), event)
            }
            Some(tab::Event::Profile(tab::profile::Event::AccountChanged(account))) => {
                self.me = account;
                (task, None)
            }
            Some(tab::Event::Profile(tab::profile::Event::Failed(error)))
            | Some(tab::Event::Notifications(tab::notifications::Event::Failed(error))) => {
                let (more, event) = self.failed(error);
                (Task::batch([task, more]), event)
            }
            Some(tab::Event::Notifications(tab::notifications::Event::Announce)) => {
                let (more, event) = self.apply(Message::OpenAnnounce);
                (Task::batch([task, more]), event)
            }
        }
    }

    /// Carries out what the Administration tab asked for.
    fn admin_event(&mut self, event: tab::admin::Event) -> (Task<Message>, Option<Event>) {
        let task = match event {
            tab::admin::Event::WantThumbnails(ids) => Task::batch(
                ids.into_iter()
                    .map(|id| self.pictures.want(&self.api, id, Size::Thumb))
                    .collect::<Vec<_>>(),
            )
            .map(Message::PictureLoaded),
            tab::admin::Event::ShowPicture(id) => self.open_viewer(id),
            tab::admin::Event::File(action) => return self.file_action(action),
        };
        (task, None)
    }

    /// Carries out what a chat tab asked for.
    fn chat_event(&mut self, place: Place, event: chat::Event) -> (Task<Message>, Option<Event>) {
        let task = match event {
            chat::Event::Send {
                text,
                picture,
                reply_to,
            } => {
                // Opened further back: the newest messages come first, so
                // that the new one lands where it belongs.
                let newest = if self.conversation_mut(place).has_newer {
                    self.load_latest(place)
                } else {
                    Task::none()
                };
                Task::batch([newest, self.send(place, text, picture, reply_to)])
            }
            chat::Event::EditMessage(id, text) => self.edit_message(place, id, text),
            chat::Event::Forward(_, id) => self.ask_forward(id),
            chat::Event::JumpTo(place, id) => self.open_at(place, id),
            chat::Event::WantNewer => self.load_newer(place),
            chat::Event::WantLatest => self.load_latest(place),
            chat::Event::SendFiles(files) => self.send_files(place, files),
            chat::Event::File(action) => return self.file_action(action),
            chat::Event::Typing => {
                self.send_typing(place);
                Task::none()
            }
            chat::Event::WantOlder(limit) => self.load_history(place, limit),
            chat::Event::OpenMenu(menu) => {
                self.menu = Some(menu);
                Task::none()
            }
            chat::Event::AskDelete(id) => {
                self.ask_delete(place, id);
                Task::none()
            }
            chat::Event::DiscardPending(client_id) => {
                self.conversation_mut(place).discard_pending(&client_id);
                Task::none()
            }
            chat::Event::GroupSettings(group) => self.open_group_settings(group),
            chat::Event::WritePrivately(user) => self.open_chat(Place::Person(user), true),
            chat::Event::SetOwner(group, user, owner) => self.set_owner(group, user, owner),
            chat::Event::RemoveMember(group, user) => self.remove_member(group, user),
            chat::Event::OpenViewer(id) => self.open_viewer(id),
            chat::Event::Notice(notice) => {
                self.show(notice);
                Task::none()
            }
            chat::Event::Failed(error) => return self.failed(error),
        };
        (task, None)
    }
}
