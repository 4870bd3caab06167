//! Group chats: made by staff, members only, owners-only posting, removal
//! that takes effect at once, retries, read positions, class groups from
//! the class-list import, and one row per message whatever the size.

use std::time::Duration;

use messenger_shared::admin::{AuditAction, AuditEntry};
use messenger_shared::auth::Session;
use messenger_shared::chat::{EventKind, HistoryPage, Message, SyncPage};
use messenger_shared::error::ErrorCode;
use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::group::{GroupDetails, GroupSummary, MemberRole, Posting};
use messenger_shared::ids::{EventId, GroupId, UserId};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestServer, expect_error, set_role};

/// The built-in Teacher role.
const TEACHER: i64 = 4;

/// An administrator (the first account), a teacher and three students.
struct School {
    admin: Session,
    teacher: Session,
    anna: Session,
    bert: Session,
    cleo: Session,
}

async fn school(server: &TestServer) -> School {
    let admin = server.register("admin").await;
    server.register("teacher").await;
    set_role(server, "teacher", TEACHER);
    let teacher = server.login("teacher", crate::common::PASSWORD).await;
    School {
        admin,
        teacher,
        anna: server.register("anna").await,
        bert: server.register("bert").await,
        cleo: server.register("cleo").await,
    }
}

async fn make_group(
    server: &TestServer,
    owner: &Session,
    title: &str,
    members: &[&Session],
    posting: &str,
) -> GroupDetails {
    let ids: Vec<UserId> = members.iter().map(|s| s.account.id).collect();
    let response = server
        .post(
            "/groups",
            &json!({ "title": title, "member_ids": ids, "posting": posting }),
            Some(&owner.token),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED, "make {title}");
    response.json().await.expect("group")
}

async fn post(
    server: &TestServer,
    who: &Session,
    group: GroupId,
    client_id: &str,
    text: &str,
) -> reqwest::Response {
    server
        .post(
            &format!("/groups/{group}/messages"),
            &json!({ "client_id": client_id, "text": text }),
            Some(&who.token),
        )
        .await
}

async fn history(server: &TestServer, who: &Session, group: GroupId) -> reqwest::Response {
    server
        .get(&format!("/groups/{group}/messages"), Some(&who.token))
        .await
}

async fn list(server: &TestServer, who: &Session) -> Vec<GroupSummary> {
    let response = server.get("/groups", Some(&who.token)).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("groups")
}

/// The next group message on a live link, skipping presence.
async fn next_group_message(live: &mut crate::live::Live) -> (GroupId, Message) {
    match live.next_event().await.kind {
        EventKind::GroupMessage { group, message } => (group, message),
        other => panic!("expected a group message, got {other:?}"),
    }
}

#[actix_web::test]
async fn a_teacher_writes_once_and_every_member_receives_it_live_and_in_history() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(&server, &s.teacher, "9А", &[&s.anna, &s.bert], "everyone").await;
    assert_eq!(group.title, "9А");
    assert_eq!(group.role_of(s.teacher.account.id), Some(MemberRole::Owner));
    assert_eq!(group.role_of(s.anna.account.id), Some(MemberRole::Member));
    assert_eq!(group.role_of(s.cleo.account.id), None);

    let mut anna = server.connect(&s.anna.token).await;
    let mut bert = server.connect(&s.bert.token).await;
    let mut cleo = server.connect(&s.cleo.token).await;
    let mut teacher = server.connect(&s.teacher.token).await;
    teacher
        .send(&ClientFrame::Send {
            to: None,
            group: Some(group.id),
            message: messenger_shared::chat::SendMessage::text("hw-1", "Домашнее задание: §12"),
        })
        .await;
    let (client_id, ack) = teacher.next_ack().await;
    assert_eq!(client_id, "hw-1");
    let EventKind::GroupMessage {
        message: stored, ..
    } = ack.kind
    else {
        panic!("a group message ack")
    };
    assert_eq!(stored.group, Some(group.id));
    for live in [&mut anna, &mut bert] {
        let (in_group, message) = next_group_message(live).await;
        assert_eq!((in_group, &message), (group.id, &stored));
    }
    cleo.expect_quiet(Duration::from_millis(300)).await;

    // A student answers over REST; everyone else sees it.
    let response = post(&server, &s.anna, group.id, "a-1", "А к какому числу?").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let answer: Message = response.json().await.expect("message");
    assert_eq!(next_group_message(&mut bert).await.1, answer);
    assert_eq!(next_group_message(&mut teacher).await.1, answer);

    let page: HistoryPage = history(&server, &s.bert, group.id)
        .await
        .json()
        .await
        .expect("page");
    let texts: Vec<&str> = page.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["Домашнее задание: §12", "А к какому числу?"]);

    // Unread counts come from read positions.
    let bert_groups = list(&server, &s.bert).await;
    assert_eq!(bert_groups.len(), 1);
    assert_eq!(bert_groups[0].unread, 2);
    assert_eq!(bert_groups[0].member_count, 3);
    assert_eq!(
        bert_groups[0].last_message.as_ref().map(|m| m.id),
        Some(answer.id)
    );
    // Writing in a group reads what came before: Anna answered, so the
    // teacher's message is read for her too.
    let anna_groups = list(&server, &s.anna).await;
    assert_eq!(anna_groups[0].unread, 0);
    let read = server
        .post(
            &format!("/groups/{}/read", group.id),
            &json!({ "up_to": answer.id }),
            Some(&s.bert.token),
        )
        .await;
    assert_eq!(read.status(), StatusCode::NO_CONTENT);
    assert_eq!(list(&server, &s.bert).await[0].unread, 0);
    // The others see who read what: "read by 2 of 2" for the teacher's.
    let EventKind::GroupRead { reader, up_to, .. } = teacher.next_event().await.kind else {
        panic!("a read event")
    };
    assert_eq!((reader, up_to), (s.bert.account.id, answer.id));
    let details: GroupDetails = server
        .get(&format!("/groups/{}", group.id), Some(&s.teacher.token))
        .await
        .json()
        .await
        .expect("details");
    assert_eq!(details.read_count(&stored), (2, 2));
}

#[actix_web::test]
async fn only_members_see_a_group_and_only_staff_make_one() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(&server, &s.teacher, "Проект", &[&s.anna], "everyone").await;

    // A student may not make a group (the role lacks group:create).
    let refused = server
        .post(
            "/groups",
            &json!({ "title": "Свой", "member_ids": [] }),
            Some(&s.bert.token),
        )
        .await;
    expect_error(refused, 403, ErrorCode::Forbidden).await;

    // Someone outside: 404 everywhere, and nothing in their list.
    expect_error(
        history(&server, &s.bert, group.id).await,
        404,
        ErrorCode::GroupNotFound,
    )
    .await;
    expect_error(
        post(&server, &s.bert, group.id, "b-1", "hi").await,
        404,
        ErrorCode::GroupNotFound,
    )
    .await;
    expect_error(
        server
            .get(&format!("/groups/{}", group.id), Some(&s.bert.token))
            .await,
        404,
        ErrorCode::GroupNotFound,
    )
    .await;
    assert!(list(&server, &s.bert).await.is_empty());

    // The administrator reads any group; the reading is audited.
    let response = history(&server, &s.admin, group.id).await;
    assert_eq!(response.status(), StatusCode::OK);
    let audit: Vec<AuditEntry> = server
        .get("/admin/audit", Some(&s.admin.token))
        .await
        .json()
        .await
        .expect("audit");
    assert!(audit.iter().any(|e| e.action == AuditAction::MessagesRead
        && e.details.get("group") == Some(&group.id.to_string())));
    assert!(audit.iter().any(|e| e.action == AuditAction::GroupCreated));
}

#[actix_web::test]
async fn bad_groups_are_refused_with_their_own_codes() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let token = Some(s.teacher.token.as_str());
    let a = s.anna.account.id;
    for (body, status, code) in [
        (
            json!({ "title": "  ", "member_ids": [] }),
            400,
            ErrorCode::InvalidGroupTitle,
        ),
        (
            json!({ "title": "x".repeat(101), "member_ids": [] }),
            400,
            ErrorCode::InvalidGroupTitle,
        ),
        (
            json!({ "title": "ok", "member_ids": [a, a] }),
            400,
            ErrorCode::DuplicateMembers,
        ),
        (
            json!({ "title": "ok", "member_ids": [999_999] }),
            404,
            ErrorCode::UserNotFound,
        ),
        (
            json!({ "title": "ok", "posting": "nobody" }),
            400,
            ErrorCode::InvalidBody,
        ),
    ] {
        expect_error(server.post("/groups", &body, token).await, status, code).await;
    }
    assert!(
        list(&server, &s.teacher).await.is_empty(),
        "nothing was made"
    );
}

#[actix_web::test]
async fn a_group_larger_than_the_limit_is_refused_whole() {
    let server = TestServer::start_with(|config| config.limits.group_members = 3).await;
    let s = school(&server).await;
    let refused = server
        .post(
            "/groups",
            &json!({ "title": "Big", "member_ids": [s.anna.account.id, s.bert.account.id, s.cleo.account.id] }),
            Some(&s.teacher.token),
        )
        .await;
    expect_error(refused, 409, ErrorCode::GroupTooLarge).await;
    assert_eq!(server.count("chat_groups"), 0);
    let group = make_group(
        &server,
        &s.teacher,
        "Small",
        &[&s.anna, &s.bert],
        "everyone",
    )
    .await;
    let refused = server
        .post(
            &format!("/groups/{}/members", group.id),
            &json!({ "user_ids": [s.cleo.account.id] }),
            Some(&s.teacher.token),
        )
        .await;
    expect_error(refused, 409, ErrorCode::GroupTooLarge).await;
}

#[actix_web::test]
async fn in_an_owners_only_group_members_read_and_cannot_post() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let channel = make_group(&server, &s.teacher, "9А: объявления", &[&s.anna], "owners").await;
    assert_eq!(channel.posting, Posting::Owners);
    expect_error(
        post(&server, &s.anna, channel.id, "a-1", "можно?").await,
        403,
        ErrorCode::OwnersOnlyGroup,
    )
    .await;
    assert_eq!(
        post(&server, &s.teacher, channel.id, "t-1", "Завтра контрольная")
            .await
            .status(),
        StatusCode::CREATED
    );
    let page: HistoryPage = history(&server, &s.anna, channel.id)
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(page.messages.len(), 1);

    // The owner opens it: now she may post.
    let opened = server
        .put(
            &format!("/groups/{}", channel.id),
            &json!({ "posting": "everyone" }),
            Some(&s.teacher.token),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    assert_eq!(
        post(&server, &s.anna, channel.id, "a-1", "можно?")
            .await
            .status(),
        StatusCode::CREATED
    );
    // A member cannot change it back.
    expect_error(
        server
            .put(
                &format!("/groups/{}", channel.id),
                &json!({ "posting": "owners" }),
                Some(&s.anna.token),
            )
            .await,
        403,
        ErrorCode::NotGroupOwner,
    )
    .await;
}

#[actix_web::test]
async fn a_removed_member_stops_receiving_at_once_and_loses_the_history() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(
        &server,
        &s.teacher,
        "Команда",
        &[&s.anna, &s.bert],
        "everyone",
    )
    .await;
    let mut bert = server.connect(&s.bert.token).await;
    let removed = server
        .delete(
            &format!("/groups/{}/members/{}", group.id, s.bert.account.id),
            Some(&s.teacher.token),
        )
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    match bert.next_event().await.kind {
        EventKind::GroupRemoved { group: gone } => assert_eq!(gone, group.id),
        other => panic!("expected group_removed, got {other:?}"),
    }
    assert_eq!(
        post(&server, &s.anna, group.id, "a-1", "секрет")
            .await
            .status(),
        StatusCode::CREATED
    );
    bert.expect_quiet(Duration::from_millis(300)).await;
    expect_error(
        history(&server, &s.bert, group.id).await,
        404,
        ErrorCode::GroupNotFound,
    )
    .await;
    // Nor does a catch-up from before bring it back.
    let page: SyncPage = server
        .get("/sync?after=0", Some(&s.bert.token))
        .await
        .json()
        .await
        .expect("sync");
    assert!(
        !page
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::GroupMessage { .. }))
    );
    assert!(
        page.events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::GroupRemoved { .. }))
    );
    // The removal is audited.
    let audit: Vec<AuditEntry> = server
        .get("/admin/audit", Some(&s.admin.token))
        .await
        .json()
        .await
        .expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::GroupMembersChanged
                && e.target.as_ref().map(|t| t.id) == Some(s.bert.account.id))
    );
}

#[actix_web::test]
async fn members_leave_but_not_the_last_owner() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(&server, &s.teacher, "Кружок", &[&s.anna], "everyone").await;
    let leave = |who: &Session| {
        let path = format!("/groups/{}/members/{}", group.id, who.account.id);
        let token = who.token.clone();
        let server = &server;
        async move { server.delete(&path, Some(&token)).await }
    };
    expect_error(leave(&s.teacher).await, 409, ErrorCode::LastGroupOwner).await;
    assert_eq!(leave(&s.anna).await.status(), StatusCode::NO_CONTENT);
    assert!(list(&server, &s.anna).await.is_empty());
    // A co-owner lets the first one leave.
    server
        .post(
            &format!("/groups/{}/members", group.id),
            &json!({ "user_ids": [s.bert.account.id], "role": "owner" }),
            Some(&s.teacher.token),
        )
        .await;
    assert_eq!(leave(&s.teacher).await.status(), StatusCode::NO_CONTENT);
    let left: GroupDetails = server
        .get(&format!("/groups/{}", group.id), Some(&s.bert.token))
        .await
        .json()
        .await
        .expect("details");
    assert_eq!(left.members.len(), 1);
    assert_eq!(left.role_of(s.bert.account.id), Some(MemberRole::Owner));
}

#[actix_web::test]
async fn a_retried_group_message_is_stored_once() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(&server, &s.teacher, "Повтор", &[&s.anna], "everyone").await;
    let first = post(&server, &s.anna, group.id, "same", "один раз").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Message = first.json().await.expect("message");
    let again = post(&server, &s.anna, group.id, "same", "один раз").await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: Message = again.json().await.expect("message");
    assert_eq!(first, again);
    let page: HistoryPage = history(&server, &s.teacher, group.id)
        .await
        .json()
        .await
        .expect("page");
    assert_eq!(page.messages.len(), 1);
}

#[actix_web::test]
async fn a_group_message_costs_one_message_row_and_no_event_row_at_any_size() {
    let server = TestServer::start_with(|config| config.limits.registrations.burst = 100).await;
    let admin = server.register("admin").await;
    let mut students = Vec::new();
    for n in 0..30 {
        students.push(server.register(&format!("student{n}")).await);
    }
    let mut rows = Vec::new();
    for size in [2_usize, 30] {
        let members: Vec<&Session> = students.iter().take(size - 1).collect();
        let group = make_group(
            &server,
            &admin,
            &format!("size {size}"),
            &members,
            "everyone",
        )
        .await;
        let (messages, events) = (server.count("messages"), server.count("events"));
        assert_eq!(
            post(&server, &admin, group.id, &format!("m{size}"), "всем")
                .await
                .status(),
            StatusCode::CREATED
        );
        rows.push((
            server.count("messages") - messages,
            server.count("events") - events,
        ));
    }
    // The message is its own event in every member's stream.
    assert_eq!(rows, [(1, 0), (1, 0)]);
}

#[actix_web::test]
async fn owners_delete_any_message_of_their_group_and_members_only_their_own() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(
        &server,
        &s.teacher,
        "Чистота",
        &[&s.anna, &s.bert],
        "everyone",
    )
    .await;
    let anna_says: Message = post(&server, &s.anna, group.id, "a", "спам")
        .await
        .json()
        .await
        .expect("m");
    expect_error(
        server
            .delete(&format!("/messages/{}", anna_says.id), Some(&s.bert.token))
            .await,
        403,
        ErrorCode::NotYourMessage,
    )
    .await;
    let mut bert = server.connect(&s.bert.token).await;
    let deleted = server
        .delete(
            &format!("/messages/{}", anna_says.id),
            Some(&s.teacher.token),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    match bert.next_event().await.kind {
        EventKind::GroupMessageDeleted {
            group: g,
            message_id,
        } => {
            assert_eq!((g, message_id), (group.id, anna_says.id))
        }
        other => panic!("expected a deletion, got {other:?}"),
    }
    let page: HistoryPage = history(&server, &s.bert, group.id)
        .await
        .json()
        .await
        .expect("page");
    assert!(page.messages.is_empty());
}

#[actix_web::test]
async fn typing_in_a_group_reaches_the_other_members() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(
        &server,
        &s.teacher,
        "Печать",
        &[&s.anna, &s.bert],
        "everyone",
    )
    .await;
    let mut anna = server.connect(&s.anna.token).await;
    let mut bert = server.connect(&s.bert.token).await;
    anna.send(&ClientFrame::Typing {
        to: None,
        group: Some(group.id),
    })
    .await;
    match bert.next_chat().await {
        ServerFrame::Typing {
            from,
            group: Some(g),
        } => assert_eq!((from, g), (s.anna.account.id, group.id)),
        other => panic!("expected typing, got {other:?}"),
    }
    anna.expect_quiet(Duration::from_millis(200)).await;
    // Neither a person nor a group: a clear refusal.
    anna.send(&ClientFrame::Typing {
        to: None,
        group: None,
    })
    .await;
    match anna.next_chat().await {
        ServerFrame::Error { code, .. } => assert_eq!(code, ErrorCode::InvalidFrame),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[actix_web::test]
async fn a_member_catches_up_on_group_messages_through_sync() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let group = make_group(&server, &s.teacher, "Догонять", &[&s.anna], "everyone").await;
    let live = server.connect(&s.anna.token).await;
    let from: EventId = live.ready_at;
    drop(live);
    for n in 0..3 {
        post(
            &server,
            &s.teacher,
            group.id,
            &format!("t{n}"),
            &format!("сообщение {n}"),
        )
        .await;
    }
    let page: SyncPage = server
        .get(&format!("/sync?after={from}"), Some(&s.anna.token))
        .await
        .json()
        .await
        .expect("sync");
    let texts: Vec<String> = page
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::GroupMessage { message, .. } => Some(message.text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["сообщение 0", "сообщение 1", "сообщение 2"]);
    // And the position a new link starts from counts the group's events.
    let again = server.connect(&s.anna.token).await;
    assert_eq!(again.ready_at, page.last_event_id);
}

#[actix_web::test]
async fn a_class_list_makes_class_groups_that_students_cannot_leave() {
    let server = TestServer::start().await;
    let s = school(&server).await;
    let file = "username,name,class\nivanov,Иван Иванов,9А\npetrova,Мария Петрова,9А\nsidorov,Пётр Сидоров,9Б\n";
    let imported = reqwest::Client::new()
        .post(server.url("/admin/users/import"))
        .bearer_auth(&s.admin.token)
        .header("Content-Type", "text/csv")
        .body(file)
        .send()
        .await
        .expect("import");
    assert_eq!(imported.status(), StatusCode::CREATED);
    let imported: messenger_shared::admin::Imported = imported.json().await.expect("imported");
    let petrova_first = imported
        .accounts
        .iter()
        .find(|a| a.username == "petrova")
        .expect("petrova")
        .password
        .clone();
    let groups = list(&server, &s.admin).await;
    let mut titles: Vec<(String, u32)> = groups
        .iter()
        .map(|g| (g.title.clone(), g.member_count))
        .collect();
    titles.sort();
    assert_eq!(titles, [("9А".to_owned(), 3), ("9Б".to_owned(), 2)]);
    assert!(groups.iter().all(|g| g.class_name.is_some()));

    // Importing newcomers to 9А adds them to the same group.
    let more = "username,name,класс\nkozlov,Олег Козлов,9А\n";
    let imported = reqwest::Client::new()
        .post(server.url("/admin/users/import"))
        .bearer_auth(&s.admin.token)
        .header("Content-Type", "text/csv")
        .body(more)
        .send()
        .await
        .expect("import");
    assert_eq!(imported.status(), StatusCode::CREATED);
    let nine_a = list(&server, &s.admin)
        .await
        .into_iter()
        .find(|g| g.title == "9А")
        .expect("9А");
    assert_eq!(nine_a.member_count, 4);
    assert_eq!(server.count("chat_groups"), 2);

    // A student cannot leave it.
    let petrova: Session = server
        .post(
            "/auth/login",
            &json!({ "login": "petrova", "password": petrova_first, "new_password": "Kp9!vRw2qZ" }),
            None,
        )
        .await
        .json()
        .await
        .expect("session");
    expect_error(
        server
            .delete(
                &format!("/groups/{}/members/{}", nine_a.id, petrova.account.id),
                Some(&petrova.token),
            )
            .await,
        409,
        ErrorCode::CannotLeaveClassGroup,
    )
    .await;
}
