//! Roles: a matrix of roles × permissions with check boxes, creating,
//! renaming and deleting roles. Built-in roles keep their names and stay
//! (their boxes may still change); what the server refuses (the last
//! administrator, a role still held) is shown in words.

use iced::widget::{
    Column, Row, button, checkbox, column, container, row, scrollable, text, text_input, tooltip,
};
use iced::{Element, Fill, FillPortion, Task};
use messenger_shared::admin::{NewRole, PermissionInfo, RoleInfo, RoleUpdate};
use messenger_shared::ids::RoleId;

use crate::api::{Api, ApiError};
use crate::tab::Context;
use crate::texts::{error_text, role_name};
use crate::theme;
use crate::tr;
use crate::widget::fitted;

pub const NEW_ROLE_INPUT: &str = "admin-new-role";

#[derive(Default)]
pub struct Roles {
    roles: Vec<RoleInfo>,
    permissions: Vec<PermissionInfo>,
    new_name: String,
    /// A role being renamed, and the name typed so far.
    renaming: Option<(RoleId, String)>,
    error: Option<ApiError>,
}

#[derive(Debug, Clone)]
pub enum Message {
    RolesLoaded(Result<Vec<RoleInfo>, ApiError>),
    PermissionsLoaded(Result<Vec<PermissionInfo>, ApiError>),
    Toggle(RoleId, String, bool),
    NewNameChanged(String),
    Create,
    StartRename(RoleId),
    RenameChanged(String),
    Rename,
    Delete(RoleId),
    Changed(Result<(), ApiError>),
}

impl Message {
    pub fn is_user_input(&self) -> bool {
        match self {
            Message::Toggle(..)
            | Message::NewNameChanged(_)
            | Message::Create
            | Message::StartRename(_)
            | Message::RenameChanged(_)
            | Message::Rename
            | Message::Delete(_) => true,
            Message::RolesLoaded(_) | Message::PermissionsLoaded(_) | Message::Changed(_) => false,
        }
    }
}

impl Roles {
    pub fn load(&mut self, api: &Api) -> Task<Message> {
        let roles = {
            let api = api.clone();
            Task::perform(async move { api.roles().await }, Message::RolesLoaded)
        };
        let api = api.clone();
        let permissions = Task::perform(
            async move { api.permissions().await },
            Message::PermissionsLoaded,
        );
        Task::batch([roles, permissions])
    }

    /// After a change: the server's answer, then the list as it is now.
    fn changed<F>(api: &Api, change: F) -> Task<Message>
    where
        F: Future<Output = Result<(), ApiError>> + Send + 'static,
    {
        let api = api.clone();
        Task::perform(change, Message::Changed).chain(Task::perform(
            async move { api.roles().await },
            Message::RolesLoaded,
        ))
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Task<Message> {
        let api = context.api;
        match message {
            Message::RolesLoaded(Ok(roles)) => {
                self.roles = roles;
                Task::none()
            }
            Message::PermissionsLoaded(Ok(permissions)) => {
                self.permissions = permissions;
                Task::none()
            }
            Message::RolesLoaded(Err(error)) | Message::PermissionsLoaded(Err(error)) => {
                self.error = Some(error);
                Task::none()
            }
            Message::Toggle(role, code, on) => {
                let Some(current) = self.roles.iter().find(|r| r.id == role) else {
                    return Task::none();
                };
                let mut codes = current.permissions.clone();
                codes.retain(|c| *c != code);
                if on {
                    codes.push(code);
                }
                let change = RoleUpdate {
                    permissions: Some(codes),
                    ..RoleUpdate::default()
                };
                let call = api.clone();
                Self::changed(api, async move {
                    call.update_role(role, change).await.map(drop)
                })
            }
            Message::NewNameChanged(name) => {
                self.new_name = name;
                Task::none()
            }
            Message::Create => {
                let role = NewRole {
                    name: self.new_name.trim().to_owned(),
                    description: String::new(),
                    permissions: Vec::new(),
                };
                self.new_name.clear();
                let call = api.clone();
                Self::changed(api, async move { call.create_role(role).await.map(drop) })
            }
            Message::StartRename(id) => {
                let name = self
                    .roles
                    .iter()
                    .find(|r| r.id == id)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                self.renaming = Some((id, name));
                Task::none()
            }
            Message::RenameChanged(name) => {
                if let Some((_, typed)) = &mut self.renaming {
                    *typed = name;
                }
                Task::none()
            }
            Message::Rename => {
                let Some((id, name)) = self.renaming.take() else {
                    return Task::none();
                };
                let change = RoleUpdate {
                    name: Some(name),
                    ..RoleUpdate::default()
                };
                let call = api.clone();
                Self::changed(
                    api,
                    async move { call.update_role(id, change).await.map(drop) },
                )
            }
            Message::Delete(id) => {
                let call = api.clone();
                Self::changed(api, async move { call.delete_role(id).await })
            }
            Message::Changed(answer) => {
                self.error = answer.err();
                Task::none()
            }
        }
    }

    pub fn view<'a>(&'a self, _context: &Context<'a>) -> Element<'a, Message> {
        // The matrix: a row per permission, a column per role.
        let mut header = Row::new().spacing(8).push(
            text(tr!("admin-column-permission"))
                .size(13)
                .color(theme::MUTED)
                .width(FillPortion(3)),
        );
        for role in &self.roles {
            // Narrow columns: a name that does not fit ends with "…" (never
            // broken inside the word) and is there whole on hover and in the
            // list of roles below.
            let shown = role_name(&role.name);
            let mut name = column![
                fitted(shown.clone())
                    .size(11)
                    .font(theme::FONT_BOLD)
                    .width(Fill)
            ];
            if role.builtin {
                name = name.push(
                    text(tr!("admin-role-builtin"))
                        .size(11)
                        .color(theme::MUTED)
                        .wrapping(text::Wrapping::Word),
                );
            }
            header = header.push(
                container(tooltip(
                    name,
                    container(text(shown).size(12))
                        .padding([2, 6])
                        .style(container::bordered_box),
                    tooltip::Position::Bottom,
                ))
                .width(FillPortion(2)),
            );
        }
        let mut matrix = Column::new()
            .spacing(2)
            .push(container(header.padding([4, 8])).style(theme::table_header));
        for permission in &self.permissions {
            let mut line = Row::new().spacing(8).align_y(iced::Center).push(
                column![
                    text(permission.code.clone())
                        .size(13)
                        .font(theme::FONT_BOLD),
                    text(permission_text(permission))
                        .size(12)
                        .color(theme::MUTED),
                ]
                .width(FillPortion(3)),
            );
            for role in &self.roles {
                let code = permission.code.clone();
                let held = role.permissions.contains(&permission.code);
                let id = role.id;
                line = line.push(
                    container(
                        checkbox(held).on_toggle(move |on| Message::Toggle(id, code.clone(), on)),
                    )
                    .width(FillPortion(2)),
                );
            }
            matrix = matrix.push(container(line.padding([4, 8])).style(theme::table_line(false)));
        }

        // The roles themselves: rename, delete, how many hold each.
        let mut list = Column::new().spacing(6);
        for role in &self.roles {
            let holders = tr!("admin-role-holders", count = role.users);
            let mut line = Row::new().spacing(8).align_y(iced::Center);
            match &self.renaming {
                Some((id, typed)) if *id == role.id => {
                    line = line
                        .push(
                            text_input("", typed)
                                .on_input(Message::RenameChanged)
                                .on_submit(Message::Rename)
                                .style(theme::input)
                                .width(220),
                        )
                        .push(button(text(tr!("admin-save"))).on_press(Message::Rename));
                }
                _ => {
                    line = line.push(text(role_name(&role.name)).size(14).width(220));
                }
            }
            line = line.push(text(holders).size(13).color(theme::MUTED).width(Fill));
            if role.builtin {
                line = line.push(text(tr!("admin-role-builtin")).size(12).color(theme::MUTED));
            } else {
                line = line
                    .push(
                        button(text(tr!("admin-rename")).size(13))
                            .style(theme::flat)
                            .on_press(Message::StartRename(role.id)),
                    )
                    .push(
                        button(text(tr!("delete")).size(13))
                            .style(iced::widget::button::danger)
                            .on_press(Message::Delete(role.id)),
                    );
            }
            list = list.push(line);
        }
        let create = row![
            text_input(&tr!("admin-new-role"), &self.new_name)
                .id(NEW_ROLE_INPUT)
                .on_input(Message::NewNameChanged)
                .on_submit(Message::Create)
                .style(theme::input)
                .width(260),
            button(text(tr!("admin-create-role")))
                .on_press_maybe((!self.new_name.trim().is_empty()).then_some(Message::Create)),
        ]
        .spacing(8);

        let mut body =
            column![text(tr!("admin-roles")).size(20).font(theme::FONT_BOLD)].spacing(10);
        if let Some(error) = &self.error {
            body = body.push(text(error_text(error)).color(theme::ERROR));
        }
        body = body
            .push(matrix)
            .push(
                text(tr!("admin-roles-list"))
                    .size(15)
                    .font(theme::FONT_BOLD),
            )
            .push(list)
            .push(create);
        scrollable(body.padding([0, 8])).height(Fill).into()
    }
}

/// What a permission allows, in the user's language for those the server
/// checks; an administrator's own label as they wrote it.
fn permission_text(permission: &PermissionInfo) -> String {
    if permission.builtin {
        crate::i18n::text(&super::permission_key(&permission.code), None)
    } else {
        permission.description.clone()
    }
}
