//! Groups in the app: they join the contact list when the server says
//! so, open in tabs with each author's name, say who is typing and how
//! many have read, notify unless muted (a mention still does), close when
//! the user is taken out, and are made in the New group dialog.

use iced_test::simulator;
use messenger_desktop::conversation::Place;
use messenger_desktop::live;
use messenger_desktop::screen::dashboard::{self, Dashboard, group_settings, sidebar};
use messenger_desktop::tab::TabId;
use messenger_shared::chat::{EventKind, HistoryPage, Message};
use messenger_shared::frame::ServerFrame;
use messenger_shared::group::{GroupDetails, GroupMember, MemberRole, Posting};
use messenger_shared::ids::{GroupId, MessageId, UserId};
use messenger_shared::permission::Permission;

use crate::common::{BEN, DAVID, ME, account, message, window_of};
use crate::screens::{apply, live_event, main_window, text_where};

const CLASS: GroupId = GroupId(7);

fn member(id: UserId, name: &str, role: MemberRole, read_up_to: Option<i64>) -> GroupMember {
    GroupMember {
        id,
        username: name.to_lowercase().replace(' ', "."),
        display_name: name.into(),
        role,
        read_up_to: read_up_to.map(MessageId),
    }
}

/// 9A: Ben owns it; Anna (the user) and David are members.
fn class(posting: Posting) -> GroupDetails {
    GroupDetails {
        id: CLASS,
        title: "9A".into(),
        posting,
        class_name: None,
        members: vec![
            member(BEN, "Ben Okafor", MemberRole::Owner, Some(40)),
            member(ME, "Anna Petrova", MemberRole::Member, Some(40)),
            member(DAVID, "David Kim", MemberRole::Member, None),
        ],
    }
}

fn in_class(id: i64, sender: UserId, text: &str) -> Message {
    Message {
        group: Some(CLASS),
        recipient: sender,
        ..message(id, sender, sender, text)
    }
}

fn class_message(event: i64, id: i64, sender: UserId, text: &str) -> dashboard::Message {
    live_event(
        event,
        EventKind::GroupMessage {
            group: CLASS,
            message: in_class(id, sender, text),
        },
    )
}

/// The main window with 9A in the list and its tab open on its history.
fn class_open(posting: Posting) -> Dashboard {
    let mut dashboard = main_window();
    apply(
        &mut dashboard,
        [live_event(
            1,
            EventKind::GroupUpdated {
                group: class(posting),
            },
        )],
    );
    apply(
        &mut dashboard,
        [dashboard::Message::Sidebar(sidebar::Message::Open(
            Place::Group(CLASS),
        ))],
    );
    apply(
        &mut dashboard,
        [dashboard::Message::HistoryLoaded(
            Place::Group(CLASS),
            Ok(HistoryPage {
                messages: vec![
                    in_class(39, BEN, "Homework: page 12"),
                    in_class(40, ME, "Until Friday?"),
                ],
                has_more: false,
                has_newer: false,
            }),
        )],
    );
    dashboard
}

#[test]
fn a_group_joins_the_list_and_its_tab_names_each_author() {
    let dashboard = class_open(Posting::Everyone);
    assert_eq!(dashboard.active(), Some(TabId::Chat(Place::Group(CLASS))));
    assert_eq!(dashboard.tab_title(TabId::Chat(Place::Group(CLASS))), "9A");
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Homework: page 12").is_ok());
    // Ben's name over his message; the member pane lists all three.
    assert!(ui.find("Members").is_ok());
    assert!(ui.find("owner").is_ok());
    assert!(text_where(&mut ui, |t| t == "David Kim").is_some());
    // Anna's own message: read by Ben (his mark is at 40), not by David.
    assert!(ui.find("read by 1 of 2").is_ok(), "the read count");
    assert!(ui.find("3 members").is_ok());
}

#[test]
fn a_read_mark_in_the_group_moves_the_count() {
    let mut dashboard = class_open(Posting::Everyone);
    apply(
        &mut dashboard,
        [live_event(
            2,
            EventKind::GroupRead {
                group: CLASS,
                reader: DAVID,
                up_to: MessageId(40),
            },
        )],
    );
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("read by 2 of 2").is_ok());
}

#[test]
fn two_people_typing_are_named_and_more_are_counted() {
    let mut dashboard = class_open(Posting::Everyone);
    let typing = |from| {
        dashboard::Message::Live(live::Event::Frame(ServerFrame::Typing {
            from,
            group: Some(CLASS),
        }))
    };
    apply(&mut dashboard, [typing(BEN), typing(DAVID)]);
    {
        let mut ui = simulator(dashboard.view());
        assert!(ui.find("Ben Okafor and David Kim are typing…").is_ok());
    }
    // His message ends his "typing…".
    apply(&mut dashboard, [class_message(3, 41, BEN, "Yes, Friday")]);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("David Kim is typing…").is_ok());
}

#[test]
fn a_muted_group_notifies_only_when_the_user_is_named() {
    let mut dashboard = main_window();
    apply(
        &mut dashboard,
        [live_event(
            1,
            EventKind::GroupUpdated {
                group: class(Posting::Everyone),
            },
        )],
    );
    let (_, event) = dashboard.update(class_message(2, 50, BEN, "Test on Monday"));
    let Some(dashboard::Event::Arrived(arrival)) = event else {
        panic!("not announced: {event:?}");
    };
    assert_eq!(arrival.place, Place::Group(CLASS));
    assert_eq!(arrival.sender_name, "Ben Okafor · 9A");
    assert_eq!(
        dashboard
            .conversation(Place::Group(CLASS))
            .map(|c| c.unread),
        Some(1)
    );

    // Muted from its menu: counted, not announced…
    apply(
        &mut dashboard,
        [dashboard::Message::Sidebar(sidebar::Message::Mute(
            CLASS, true,
        ))],
    );
    let (_, event) = dashboard.update(class_message(3, 51, DAVID, "ok"));
    assert!(event.is_none(), "{event:?}");
    assert_eq!(
        dashboard
            .conversation(Place::Group(CLASS))
            .map(|c| c.unread),
        Some(2)
    );
    // …unless it names her.
    let (_, event) = dashboard.update(class_message(4, 52, BEN, "@anna please bring the key"));
    assert!(
        matches!(event, Some(dashboard::Event::Arrived(_))),
        "{event:?}"
    );
    let mut ui = simulator(dashboard.view());
    assert!(text_where(&mut ui, |t| t.starts_with("muted ·")).is_some());
}

#[test]
fn taken_out_of_a_group_its_tab_closes_and_it_leaves_the_list() {
    let mut dashboard = class_open(Posting::Everyone);
    apply(
        &mut dashboard,
        [live_event(5, EventKind::GroupRemoved { group: CLASS })],
    );
    assert!(dashboard.tab_ids().is_empty());
    assert!(dashboard.group(CLASS).is_none());
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("9A").is_err());
}

#[test]
fn in_an_owners_only_group_a_member_reads_and_sees_why_there_is_no_composer() {
    let dashboard = class_open(Posting::Owners);
    let mut ui = simulator(dashboard.view());
    assert!(
        text_where(&mut ui, |t| t
            .starts_with("Only the owners write in this group"))
        .is_some()
    );
    assert!(ui.find("Send").is_err());
}

#[test]
fn a_teacher_makes_a_group_in_the_dialog_and_its_tab_opens() {
    let mut teacher = account();
    teacher.permissions = vec![Permission::GroupCreate, Permission::MessageStartAny];
    let mut dashboard = window_of(teacher);
    let mut ui = simulator(dashboard.view());
    ui.click("+").expect("the New group button");
    let clicked: Vec<_> = ui.into_messages().collect();
    apply(&mut dashboard, clicked);
    assert!(dashboard.group_settings().is_some());
    apply(
        &mut dashboard,
        [
            dashboard::Message::GroupSettings(group_settings::Message::TitleChanged(
                "Robotics".into(),
            )),
            dashboard::Message::GroupSettings(group_settings::Message::Toggle(BEN, true)),
        ],
    );
    let clicked: Vec<_> = {
        let mut ui = simulator(dashboard.view());
        assert!(ui.find("1 person chosen").is_ok());
        ui.click("Create group").expect("the button");
        ui.into_messages().collect()
    };
    assert!(!clicked.is_empty(), "Create group does something");
    apply(&mut dashboard, clicked);
    // The server's answer: the group, with her as its owner.
    let made = GroupDetails {
        id: GroupId(9),
        title: "Robotics".into(),
        posting: Posting::Everyone,
        class_name: None,
        members: vec![
            member(ME, "Anna Petrova", MemberRole::Owner, None),
            member(BEN, "Ben Okafor", MemberRole::Member, None),
        ],
    };
    apply(
        &mut dashboard,
        [dashboard::Message::GroupSettings(
            group_settings::Message::Saved(Ok(made)),
        )],
    );
    assert!(dashboard.group_settings().is_none());
    assert_eq!(
        dashboard.active(),
        Some(TabId::Chat(Place::Group(GroupId(9))))
    );
    let clicked: Vec<_> = {
        let mut ui = simulator(dashboard.view());
        ui.click("Group settings").expect("owners see the settings");
        ui.into_messages().collect()
    };
    apply(&mut dashboard, clicked);
    // Deleting asks twice.
    let clicked: Vec<_> = {
        let mut ui = simulator(dashboard.view());
        ui.click("Delete the group")
            .expect("the owner may delete it");
        ui.into_messages().collect()
    };
    apply(&mut dashboard, clicked);
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("Delete the group?").is_ok());
}

#[test]
fn searching_for_a_class_picks_all_of_it_at_once() {
    let mut teacher = account();
    teacher.permissions = vec![Permission::GroupCreate];
    let mut dashboard = window_of(teacher);
    apply(
        &mut dashboard,
        [
            live_event(
                1,
                EventKind::GroupUpdated {
                    group: class(Posting::Everyone),
                },
            ),
            dashboard::Message::OpenNewGroup,
            dashboard::Message::GroupSettings(group_settings::Message::SearchChanged("9a".into())),
        ],
    );
    let clicked: Vec<_> = {
        let mut ui = simulator(dashboard.view());
        ui.click("Choose everyone in “9A”")
            .expect("the class's button");
        ui.into_messages().collect()
    };
    apply(&mut dashboard, clicked);
    let mut ui = simulator(dashboard.view());
    // Ben and David: she herself is in any group she makes.
    assert!(ui.find("2 people chosen").is_ok());
}

#[test]
fn a_student_has_no_new_group_button() {
    let dashboard = main_window();
    let mut ui = simulator(dashboard.view());
    assert!(ui.find("+").is_err());
}
