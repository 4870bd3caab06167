//! Presence pushed live, the heartbeat finding dead peers, typing.

use std::time::Duration;

use messenger_shared::frame::{ClientFrame, ServerFrame};
use messenger_shared::ids::UserId;
use messenger_shared::presence::{ClientStatus, Presence};
use messenger_shared::user::UserSummary;

use crate::common::TestServer;
use crate::live::Live;

/// The next presence frame about `user`.
async fn presence_of(live: &mut Live, user: UserId) -> (Presence, bool) {
    loop {
        if let ServerFrame::Presence {
            user: who,
            presence,
            last_seen,
        } = live.next().await
            && who == user
        {
            return (presence, last_seen.is_some());
        }
    }
}

async fn listed_presence(
    server: &TestServer,
    token: &str,
    path: &str,
    user: UserId,
) -> Option<Presence> {
    let users: Vec<UserSummary> = server
        .get(path, Some(token))
        .await
        .json()
        .await
        .expect("users");
    users.iter().find(|u| u.id == user).map(|u| u.presence)
}

#[actix_web::test]
async fn presence_goes_online_away_and_offline_and_everyone_hears() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    assert_eq!(
        listed_presence(&server, &anna.token, "/users", bert.account.id).await,
        Some(Presence::Offline)
    );
    assert_eq!(
        listed_presence(&server, &anna.token, "/users/online", bert.account.id).await,
        None
    );

    let mut bert_live = server.connect(&bert.token).await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await,
        (Presence::Online, false)
    );
    assert_eq!(
        listed_presence(&server, &anna.token, "/users/online", bert.account.id).await,
        Some(Presence::Online)
    );

    bert_live
        .send(&ClientFrame::Status {
            status: ClientStatus::Away,
        })
        .await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await,
        (Presence::Away, false)
    );
    assert_eq!(
        listed_presence(&server, &anna.token, "/users", bert.account.id).await,
        Some(Presence::Away)
    );

    // A second PC in use makes Bert online again; closing it, away again.
    let mut bert_pc2 = server.connect(&bert.token).await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await,
        (Presence::Online, false)
    );
    bert_pc2
        .send(&ClientFrame::Status {
            status: ClientStatus::Online,
        })
        .await;
    bert_pc2.close().await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await,
        (Presence::Away, false)
    );

    bert_live.close().await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await,
        (Presence::Offline, true)
    );
    let users: Vec<UserSummary> = server
        .get("/users", Some(&anna.token))
        .await
        .json()
        .await
        .expect("users");
    let bert_row = users
        .iter()
        .find(|u| u.id == bert.account.id)
        .expect("bert");
    assert_eq!(bert_row.presence, Presence::Offline);
    tokio::time::sleep(Duration::from_millis(200)).await; // last_seen is written in the background
    let users: Vec<UserSummary> = server
        .get("/users", Some(&anna.token))
        .await
        .json()
        .await
        .expect("users");
    assert!(
        users
            .iter()
            .find(|u| u.id == bert.account.id)
            .expect("bert")
            .last_seen
            .is_some()
    );
}

#[actix_web::test]
async fn a_peer_that_stops_answering_is_dropped_by_the_heartbeat() {
    let server = TestServer::start_with(|config| {
        config.heartbeat_secs = 1;
        config.client_timeout_secs = 2;
    })
    .await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    // Bert's app freezes: it never reads (so never answers a ping) and never writes.
    let _frozen = server.connect(&bert.token).await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await.0,
        Presence::Online
    );
    let started = std::time::Instant::now();
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await.0,
        Presence::Offline
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[actix_web::test]
async fn a_connection_killed_without_a_goodbye_goes_offline() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let mut anna_live = server.connect(&anna.token).await;
    let bert_live = server.connect(&bert.token).await;
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await.0,
        Presence::Online
    );
    drop(bert_live); // the TCP connection ends, no close frame
    assert_eq!(
        presence_of(&mut anna_live, bert.account.id).await.0,
        Presence::Offline
    );
}

#[actix_web::test]
async fn typing_reaches_only_the_peer_and_is_rate_limited() {
    let server = TestServer::start().await;
    let anna = server.register("anna").await;
    let bert = server.register("bert").await;
    let carl = server.register("carl").await;
    let mut anna_live = server.connect(&anna.token).await;
    let mut bert_live = server.connect(&bert.token).await;
    let mut carl_live = server.connect(&carl.token).await;

    for _ in 0..5 {
        anna_live
            .send(&ClientFrame::Typing {
                to: Some(bert.account.id),
                group: None,
            })
            .await;
    }
    assert_eq!(
        bert_live.next_chat().await,
        ServerFrame::Typing {
            from: anna.account.id,
            group: None,
        }
    );
    bert_live.expect_quiet(Duration::from_millis(500)).await;
    carl_live.expect_quiet(Duration::from_millis(100)).await;
    anna_live.expect_quiet(Duration::from_millis(100)).await;
}
