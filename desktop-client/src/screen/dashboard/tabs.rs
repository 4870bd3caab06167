//! Opening, closing, selecting and cycling tabs.

use iced::Task;

use super::{Dashboard, Message};
use crate::conversation::{PAGE, Place};
use crate::tab::{self, Tab, TabId, chat};

impl Dashboard {
    /// Opens a chat: as the front tab, or behind the current one.
    pub(super) fn open_chat(&mut self, place: Place, to_front: bool) -> Task<Message> {
        let id = TabId::Chat(place);
        if !self.tabs.iter().any(|tab| tab.id() == id) {
            let draft = self.drafts.remove(&place);
            self.tabs.push(Tab::Chat(tab::Chat::new(place, draft)));
        }
        let history = if self.conversation_mut(place).loaded {
            Task::none()
        } else {
            self.load_history(place, PAGE as u32)
        };
        let shown = if to_front || self.active.is_none() {
            self.select(id)
        } else {
            Task::none()
        };
        Task::batch([history, shown])
    }

    pub(super) fn open_settings(&mut self) -> Task<Message> {
        let mut created = Task::none();
        if !self.tabs.iter().any(|tab| tab.id() == TabId::Settings) {
            let (settings, task) = tab::Settings::new(self.config.clone(), &self.api);
            self.tabs.push(Tab::Settings(settings));
            created =
                task.map(|message| Message::Tab(TabId::Settings, tab::Message::Settings(message)));
        }
        Task::batch([created, self.select(TabId::Settings)])
    }

    /// Opens the Administration tab, for an account that may see it.
    pub(super) fn open_admin(&mut self) -> Task<Message> {
        if !tab::admin::is_available(&self.me) {
            return Task::none();
        }
        let mut created = Task::none();
        if !self.tabs.iter().any(|tab| tab.id() == TabId::Admin) {
            let (admin, task) = tab::Admin::new(&self.tab_context());
            self.tabs.push(Tab::Admin(Box::new(admin)));
            created = task.map(|message| Message::Tab(TabId::Admin, tab::Message::Admin(message)));
        }
        Task::batch([created, self.select(TabId::Admin)])
    }

    /// Opens the Profile tab (from the user's name in the status line).
    pub(super) fn open_profile(&mut self) -> Task<Message> {
        if !self.tabs.iter().any(|tab| tab.id() == TabId::Profile) {
            self.tabs.push(Tab::Profile(tab::Profile::new(&self.me)));
        }
        Task::batch([self.select(TabId::Profile), self.want_avatars()])
    }

    /// Opens the Notifications tab (the bell), which marks them read.
    pub(super) fn open_notifications(&mut self) -> Task<Message> {
        let mut created = Task::none();
        if !self.tabs.iter().any(|tab| tab.id() == TabId::Notifications) {
            let (list, task) = tab::Notifications::new(&self.tab_context());
            self.tabs.push(Tab::Notifications(list));
            created = task.map(|message| {
                Message::Tab(TabId::Notifications, tab::Message::Notifications(message))
            });
        }
        Task::batch([created, self.select(TabId::Notifications)])
    }

    /// Brings a tab to the front.
    pub(super) fn select(&mut self, id: TabId) -> Task<Message> {
        if !self.tabs.iter().any(|tab| tab.id() == id) {
            return Task::none();
        }
        self.active = Some(id);
        match id {
            TabId::Chat(_) => Task::batch([
                self.send_read_mark(),
                iced::widget::operation::focus(chat::COMPOSER),
                // The chats share one list widget; a switched-to chat
                // starts at its newest message.
                chat::show_newest(),
            ]),
            TabId::Settings | TabId::Admin | TabId::Profile | TabId::Notifications => Task::none(),
        }
    }

    pub(super) fn close(&mut self, id: TabId) {
        let Some(at) = self.tabs.iter().position(|tab| tab.id() == id) else {
            return;
        };
        if let Tab::Chat(chat) = self.tabs.remove(at) {
            let place = chat.place();
            let draft = chat.into_draft();
            if !draft.is_empty() {
                self.drafts.insert(place, draft);
            }
        }
        if self.active == Some(id) {
            // The neighbour takes its place, as in a browser.
            self.active = self.tabs.get(at).or_else(|| self.tabs.last()).map(Tab::id);
        }
    }

    pub(super) fn cycle(&mut self, step: isize) -> Task<Message> {
        let Some(active) = self.active else {
            return Task::none();
        };
        let Some(at) = self.tabs.iter().position(|tab| tab.id() == active) else {
            return Task::none();
        };
        let count = self.tabs.len() as isize;
        let next = (at as isize + step).rem_euclid(count) as usize;
        self.select(self.tabs[next].id())
    }
}
