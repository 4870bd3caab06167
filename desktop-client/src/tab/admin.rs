//! The Administration tab: sections down the left (Overview, Users,
//! School, Messages, Login history, Roles, Audit log), each shown only to holders
//! of the permission it needs, the chosen section on the right. Each
//! section is a module under `admin/` with the usual contract (state,
//! `Message`, `update`, `view`); this module only switches between them.

pub mod audit;
mod chart;
mod filters;
pub mod logins;
pub mod messages;
pub mod overview;
mod paged;
pub mod roles;
pub mod school;
mod table;
pub mod users;

use iced::widget::{Column, button, column, container, row, text};
use iced::{Element, Fill, Task};
use messenger_shared::ids::{AttachmentId, UserId};
use messenger_shared::permission::Permission;
use messenger_shared::user::Account;

use super::Context;
use crate::api::Api;
use crate::theme;
use crate::tr;

pub use messages::SEARCH_INPUT as MESSAGE_SEARCH_INPUT;
pub use users::{
    BLOCK_REASON_INPUT, PROFILE_NAME_INPUT, REASON_INPUT, SEARCH_INPUT as USER_SEARCH_INPUT,
};

/// A part of the panel, and the permission it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Users,
    School,
    Messages,
    Logins,
    Roles,
    Audit,
}

impl Section {
    pub const ALL: [Section; 7] = [
        Section::Overview,
        Section::Users,
        Section::School,
        Section::Messages,
        Section::Logins,
        Section::Roles,
        Section::Audit,
    ];

    pub fn permission(self) -> Permission {
        match self {
            Section::Overview | Section::Logins | Section::Audit => Permission::ReportView,
            Section::Users => Permission::UserRead,
            // Adding accounts; the settings in it need role:manage too.
            Section::School => Permission::UserWrite,
            Section::Messages => Permission::MessageReadAll,
            Section::Roles => Permission::RoleManage,
        }
    }

    pub fn title(self) -> String {
        match self {
            Section::Overview => tr!("admin-overview"),
            Section::Users => tr!("admin-users"),
            Section::School => tr!("admin-school"),
            Section::Messages => tr!("admin-messages"),
            Section::Logins => tr!("admin-logins"),
            Section::Roles => tr!("admin-roles"),
            Section::Audit => tr!("admin-audit"),
        }
    }
}

/// The sections `account` may open, in order.
pub fn sections_for(account: &Account) -> Vec<Section> {
    Section::ALL
        .into_iter()
        .filter(|s| account.permissions.contains(&s.permission()))
        .collect()
}

/// Whether the account sees the Administration tab at all.
pub fn is_available(account: &Account) -> bool {
    !sections_for(account).is_empty()
}

pub struct Admin {
    section: Section,
    overview: overview::Overview,
    users: users::Users,
    school: school::School,
    messages: messages::Messages,
    logins: logins::Logins,
    roles: roles::Roles,
    audit: audit::Audit,
}

#[derive(Debug, Clone)]
pub enum Message {
    Select(Section),
    Overview(overview::Message),
    Users(users::Message),
    School(school::Message),
    Messages(messages::Message),
    Logins(logins::Message),
    Roles(roles::Message),
    Audit(audit::Message),
}

impl Message {
    /// See `chat::Message::is_user_input`.
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::Select(_) => true,
            Message::Overview(message) => message.is_user_input(),
            Message::Users(message) => message.is_user_input(),
            Message::School(message) => message.is_user_input(),
            Message::Messages(message) => message.is_user_input(),
            Message::Logins(message) => message.is_user_input(),
            Message::Roles(message) => message.is_user_input(),
            Message::Audit(message) => message.is_user_input(),
        }
    }
}

/// What the panel asks of the main window.
#[derive(Debug, Clone)]
pub enum Event {
    /// Load these pictures' thumbnails into the shared cache.
    WantThumbnails(Vec<AttachmentId>),
    /// Show a picture full size.
    ShowPicture(AttachmentId),
    /// Open, save… a message's file.
    File(crate::transfers::Action),
}

impl Admin {
    /// The panel opened on the first section the account may see.
    pub fn new(context: &Context<'_>) -> (Admin, Task<Message>) {
        let section = sections_for(context.me)
            .first()
            .copied()
            .unwrap_or(Section::Users);
        let mut admin = Admin {
            section,
            overview: overview::Overview::default(),
            users: users::Users::default(),
            school: school::School::default(),
            messages: messages::Messages::default(),
            logins: logins::Logins::default(),
            roles: roles::Roles::default(),
            audit: audit::Audit::default(),
        };
        let task = admin.open(section, context);
        (admin, task)
    }

    pub fn section(&self) -> Section {
        self.section
    }

    /// The Users section (for tests: what it would ask the server).
    /// The people the panel shows now, for their avatars.
    pub fn people_shown(&self) -> Vec<(UserId, Option<messenger_shared::ids::AvatarVersion>)> {
        if self.section == Section::Users {
            self.users.people_shown()
        } else {
            Vec::new()
        }
    }

    pub fn users(&self) -> &users::Users {
        &self.users
    }

    pub fn school(&self) -> &school::School {
        &self.school
    }

    /// Someone's account changed (their profile, role, status or
    /// presence): what the panel shows of them is read again.
    pub fn account_changed(&mut self, id: UserId, api: &Api) -> Task<Message> {
        self.users.account_changed(id, api).map(Message::Users)
    }

    /// The account's permissions changed: a section it may no longer see
    /// gives way to the first it may.
    pub fn permissions_changed(&mut self, context: &Context<'_>) -> Task<Message> {
        let sections = sections_for(context.me);
        match sections.first() {
            Some(first) if !sections.contains(&self.section) => self.open(*first, context),
            _ => Task::none(),
        }
    }

    fn open(&mut self, section: Section, context: &Context<'_>) -> Task<Message> {
        self.section = section;
        let api = context.api;
        match section {
            Section::Overview => self.overview.load(api).map(Message::Overview),
            Section::Users => self.users.load(context).map(Message::Users),
            Section::School => self.school.load(context).map(Message::School),
            Section::Messages => self.messages.load(api).map(Message::Messages),
            Section::Logins => self.logins.load(api).map(Message::Logins),
            Section::Roles => self.roles.load(api).map(Message::Roles),
            Section::Audit => self.audit.load(api).map(Message::Audit),
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        context: &Context<'_>,
    ) -> (Task<Message>, Option<Event>) {
        match message {
            Message::Select(section) => {
                if sections_for(context.me).contains(&section) {
                    return (self.open(section, context), None);
                }
                (Task::none(), None)
            }
            Message::Overview(message) => (
                self.overview
                    .update(message, context)
                    .map(Message::Overview),
                None,
            ),
            Message::Users(message) => {
                let (task, event) = self.users.update(message, context);
                let task = task.map(Message::Users);
                match event {
                    Some(users::Event::OpenConversation(a, b)) => {
                        self.section = Section::Messages;
                        let shown = self
                            .messages
                            .show_conversation(a, b, context)
                            .map(Message::Messages);
                        (Task::batch([task, shown]), None)
                    }
                    None => (task, None),
                }
            }
            Message::School(message) => (
                self.school.update(message, context).map(Message::School),
                None,
            ),
            Message::Messages(message) => {
                let (task, event) = self.messages.update(message, context);
                let event = event.map(|event| match event {
                    messages::Event::WantThumbnails(ids) => Event::WantThumbnails(ids),
                    messages::Event::ShowPicture(id) => Event::ShowPicture(id),
                    messages::Event::File(action) => Event::File(action),
                });
                (task.map(Message::Messages), event)
            }
            Message::Logins(message) => (
                self.logins.update(message, context).map(Message::Logins),
                None,
            ),
            Message::Roles(message) => (
                self.roles.update(message, context).map(Message::Roles),
                None,
            ),
            Message::Audit(message) => (
                self.audit.update(message, context).map(Message::Audit),
                None,
            ),
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let mut nav = Column::new().spacing(4).padding(8).width(190);
        for section in sections_for(context.me) {
            nav = nav.push(
                button(text(section.title()).size(14))
                    .width(Fill)
                    .padding([6, 10])
                    .style(theme::contact(section == self.section))
                    .on_press(Message::Select(section)),
            );
        }
        let body: Element<'a, Message> = match self.section {
            Section::Overview => self.overview.view().map(Message::Overview),
            Section::Users => self.users.view(context).map(Message::Users),
            Section::School => self.school.view(context).map(Message::School),
            Section::Messages => self.messages.view(context).map(Message::Messages),
            Section::Logins => self.logins.view(context).map(Message::Logins),
            Section::Roles => self.roles.view(context).map(Message::Roles),
            Section::Audit => self.audit.view().map(Message::Audit),
        };
        row![
            container(nav).height(Fill).style(theme::sidebar),
            container(column![body].padding(12))
                .width(Fill)
                .height(Fill),
        ]
        .into()
    }
}

/// Who a user is, for a line of a table: "Анна Петрова (anna)".
fn person(name: &str, username: &str) -> String {
    if name == username || name.is_empty() {
        username.to_owned()
    } else {
        format!("{name} ({username})")
    }
}

/// The user the list knows by this id, as "Name (username)".
fn named(context: &Context<'_>, id: UserId) -> String {
    if id == context.me.id {
        return person(&context.me.display_name, &context.me.username);
    }
    context.contact(id).map_or_else(
        || format!("#{id}"),
        |c| person(&c.display_name, &c.username),
    )
}

/// The Fluent key of an audit action's text: `audit-user-disabled`.
pub fn action_key(action: messenger_shared::admin::AuditAction) -> String {
    format!("audit-{}", action.as_str().replace('_', "-"))
}

/// The Fluent key of what a built-in permission allows:
/// `permission-user-read`.
pub fn permission_key(code: &str) -> String {
    format!("permission-{}", code.replace(':', "-"))
}

/// The Fluent key of an audit particular's name: `audit-detail-reason`.
pub fn detail_key(name: &str) -> String {
    format!("audit-detail-{}", name.replace('_', "-"))
}
