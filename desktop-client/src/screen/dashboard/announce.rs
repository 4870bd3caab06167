//! The "Make an announcement" dialog, for holders of `notification:send`:
//! to everyone, to one role or to one person; a title, a text and whether
//! it is important; a preview of the card its recipients will see.

use iced::widget::{
    button, checkbox, column, container, opaque, pick_list, radio, row, scrollable, space, text,
    text_editor, text_input,
};
use iced::{Element, Fill, Task};
use messenger_shared::admin::UserRef;
use messenger_shared::ids::NotificationId;
use messenger_shared::notification::{
    Audience, Broadcast, Importance, Notification, NotifyUser, Sent, TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
};
use messenger_shared::user::{Account, RoleRef, UserSummary};

use crate::api::{Api, ApiError};
use crate::tab::notifications::card;
use crate::texts::{RoleChoice, error_text};
use crate::theme;
use crate::tr;

pub const TITLE_INPUT: &str = "announce-title";

/// Who the announcement is for, as chosen in the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Everyone,
    Role,
    User,
}

/// A person in the picker: name and login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person(pub UserSummary);

impl std::fmt::Display for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.0.display_name, self.0.username)
    }
}

pub struct Announce {
    to: To,
    roles: Vec<RoleChoice>,
    role: Option<RoleChoice>,
    person: Option<Person>,
    title: String,
    text: text_editor::Content,
    important: bool,
    sending: bool,
    error: Option<ApiError>,
}

#[derive(Debug, Clone)]
pub enum Message {
    RolesLoaded(Result<Vec<RoleRef>, ApiError>),
    To(To),
    RolePicked(RoleChoice),
    PersonPicked(Person),
    TitleChanged(String),
    TextEdited(text_editor::Action),
    ImportantToggled(bool),
    Send,
    Sent(Result<Sent, ApiError>),
    Cancel,
}

pub enum Event {
    /// Sent to this many accounts.
    Sent(u64),
    Cancelled,
    Failed(ApiError),
}

impl Announce {
    /// The dialog, and the request for the roles to choose from.
    pub fn new(api: &Api) -> (Announce, Task<Message>) {
        let dialog = Announce {
            to: To::Everyone,
            roles: Vec::new(),
            role: None,
            person: None,
            title: String::new(),
            text: text_editor::Content::new(),
            important: false,
            sending: false,
            error: None,
        };
        let api = api.clone();
        (
            dialog,
            Task::perform(async move { api.role_names().await }, Message::RolesLoaded),
        )
    }

    /// Whether everything needed is there.
    fn ready(&self) -> bool {
        let title = self.title.trim().chars().count();
        let body = self.body();
        let body = body.trim().chars().count();
        let audience = match self.to {
            To::Everyone => true,
            To::Role => self.role.is_some(),
            To::User => self.person.is_some(),
        };
        (1..=TITLE_MAX_CHARS).contains(&title)
            && (1..=TEXT_MAX_CHARS).contains(&body)
            && audience
            && !self.sending
    }

    fn body(&self) -> String {
        self.text.text()
    }

    pub fn update(&mut self, message: Message, api: &Api) -> (Task<Message>, Option<Event>) {
        match message {
            Message::RolesLoaded(Ok(roles)) => {
                self.roles = roles.into_iter().map(RoleChoice).collect();
            }
            Message::RolesLoaded(Err(error)) => self.error = Some(error),
            Message::To(to) => self.to = to,
            Message::RolePicked(role) => self.role = Some(role),
            Message::PersonPicked(person) => self.person = Some(person),
            Message::TitleChanged(title) => self.title = title,
            Message::TextEdited(action) => self.text.perform(action),
            Message::ImportantToggled(important) => self.important = important,
            Message::Send => {
                if !self.ready() {
                    return (Task::none(), None);
                }
                self.sending = true;
                self.error = None;
                let importance = self.importance();
                let (title, text) = (self.title.trim().to_owned(), self.body().trim().to_owned());
                let api = api.clone();
                let task = match (self.to, &self.person, &self.role) {
                    (To::User, Some(person), _) => {
                        let request = NotifyUser {
                            to: person.0.id,
                            title,
                            text,
                            importance,
                        };
                        Task::perform(async move { api.notify_user(request).await }, Message::Sent)
                    }
                    (to, _, role) => {
                        let request = Broadcast {
                            role: (to == To::Role)
                                .then(|| role.as_ref().map(|r| r.0.id))
                                .flatten(),
                            title,
                            text,
                            importance,
                        };
                        Task::perform(async move { api.broadcast(request).await }, Message::Sent)
                    }
                };
                return (task, None);
            }
            Message::Sent(Ok(sent)) => return (Task::none(), Some(Event::Sent(sent.recipients))),
            Message::Sent(Err(error)) => {
                self.sending = false;
                if error.ends_session() {
                    return (Task::none(), Some(Event::Failed(error)));
                }
                self.error = Some(error);
            }
            Message::Cancel => return (Task::none(), Some(Event::Cancelled)),
        }
        (Task::none(), None)
    }

    fn importance(&self) -> Importance {
        if self.important {
            Importance::Important
        } else {
            Importance::Normal
        }
    }

    /// The card as its recipients will see it.
    fn preview(&self, me: &Account) -> Notification {
        let person = |id, username: &str, display_name: &str| UserRef {
            id,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
        };
        let audience = match (self.to, &self.role, &self.person) {
            (To::Role, Some(role), _) => Audience::Role {
                id: role.0.id,
                name: role.0.name.clone(),
            },
            (To::User, _, Some(picked)) => Audience::User {
                user: person(picked.0.id, &picked.0.username, &picked.0.display_name),
            },
            _ => Audience::Everyone,
        };
        Notification {
            id: NotificationId(0),
            sender: Some(person(me.id, &me.username, &me.display_name)),
            audience,
            title: self.title.trim().to_owned(),
            text: self.body().trim().to_owned(),
            importance: self.importance(),
            created_at: chrono::Utc::now(),
            read: false,
        }
    }

    /// `me` for the preview's sender line, `contacts` to pick one person
    /// from.
    pub fn view<'a>(&'a self, me: &Account, contacts: &'a [UserSummary]) -> Element<'a, Message> {
        let audience = column![
            text(tr!("announce-to")).size(13).color(theme::MUTED),
            row![
                radio(
                    tr!("announce-to-everyone"),
                    To::Everyone,
                    Some(self.to),
                    Message::To
                ),
                radio(
                    tr!("announce-to-role"),
                    To::Role,
                    Some(self.to),
                    Message::To
                ),
                radio(
                    tr!("announce-to-user"),
                    To::User,
                    Some(self.to),
                    Message::To
                ),
            ]
            .spacing(16),
        ]
        .spacing(6);
        let picker: Element<'a, Message> = match self.to {
            To::Everyone => space::vertical().height(0).into(),
            To::Role => pick_list(self.roles.clone(), self.role.clone(), Message::RolePicked)
                .placeholder(tr!("announce-pick-role"))
                .width(Fill)
                .into(),
            To::User => {
                let people: Vec<Person> = contacts.iter().cloned().map(Person).collect();
                pick_list(people, self.person.clone(), Message::PersonPicked)
                    .placeholder(tr!("announce-pick-user"))
                    .width(Fill)
                    .into()
            }
        };
        let form = column![
            text(tr!("announce-title")).size(18),
            audience,
            picker,
            text_input(&tr!("announce-title-placeholder"), &self.title)
                .id(TITLE_INPUT)
                .on_input(Message::TitleChanged)
                .padding(8)
                .style(theme::input),
            text_editor(&self.text)
                .placeholder(tr!("announce-text-placeholder"))
                .on_action(Message::TextEdited)
                .height(110)
                .padding(8)
                .style(theme::editor),
            checkbox(self.important)
                .label(tr!("announce-important"))
                .on_toggle(Message::ImportantToggled),
            text(tr!("announce-preview")).size(13).color(theme::MUTED),
        ]
        .spacing(10);
        let preview = self.preview(me);
        let mut body = column![form, card(&preview, false)].spacing(10);
        if let Some(error) = &self.error {
            body = body.push(text(error_text(error)).color(theme::ERROR));
        }
        let buttons = row![
            space::horizontal(),
            button(text(tr!("cancel")))
                .style(button::secondary)
                .on_press(Message::Cancel),
            button(text(tr!("announce-send")))
                .style(button::primary)
                .on_press_maybe(self.ready().then_some(Message::Send)),
        ]
        .spacing(10);
        let dialog = container(column![scrollable(body).height(iced::Shrink), buttons].spacing(14))
            .padding(20)
            .width(520)
            .style(theme::popup);
        opaque(container(dialog).center(Fill).style(theme::backdrop))
    }
}
