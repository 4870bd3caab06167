//! A real server restart with several apps reconnecting (#31, defect 3):
//! after it, nobody who is back may be shown «не в сети».

use std::time::Duration;

use futures_util::{Stream, StreamExt};
use messenger_desktop::api::Api;
use messenger_desktop::live;
use messenger_desktop::screen::dashboard::{self, Dashboard};
use messenger_shared::frame::ServerFrame;
use messenger_shared::ids::UserId;
use messenger_shared::presence::Presence;

use crate::common::{TestServer, config};

const PATIENCE: Duration = Duration::from_secs(15);

/// An app's live link, as its subscription drives it.
fn live_link(api: &Api) -> impl Stream<Item = live::Event> + Unpin + use<> {
    Box::pin(live::connect(&live::Target {
        ws_url: api.ws_url(),
        token: api.token().expect("logged in").to_owned(),
    }))
}

/// Another person's app: connected and kept so, in the background, until
/// the handle is aborted (the app is closed). Like the app, it keeps the
/// sending half of each connection: dropping it closes the link.
fn classmate_app(api: &Api) -> tokio::task::JoinHandle<()> {
    let mut link = live_link(api);
    tokio::spawn(async move {
        let mut _connection = None;
        while let Some(event) = link.next().await {
            if let live::Event::Connected(connection) = event {
                _connection = Some(connection);
            }
        }
    })
}

/// Feeds Anna's window the events of her live link, in order, until
/// `enough` says so.
async fn run_until(
    window: &mut Dashboard,
    link: &mut (impl Stream<Item = live::Event> + Unpin),
    mut enough: impl FnMut(&Dashboard, &live::Event) -> bool,
) {
    tokio::time::timeout(PATIENCE, async {
        loop {
            let event = link.next().await.expect("the link goes on");
            let _ = window.update(dashboard::Message::Live(event.clone()));
            if enough(window, &event) {
                return;
            }
        }
    })
    .await
    .expect("the awaited events came in time");
}

fn shown_online(window: &Dashboard, people: &[UserId]) -> bool {
    people.iter().all(|id| {
        window
            .contact(*id)
            .is_some_and(|contact| contact.presence == Presence::Online)
    })
}

/// The server restarts. Anna's app reconnects by itself and asks for the
/// contact list at once; her classmates' apps come back a moment later;
/// the list, computed while they were still away, reaches her after their
/// presence frames, as it does on a busy school network. Her window shows
/// them online, as the server has them.
#[tokio::test]
async fn after_a_server_restart_classmates_who_reconnect_are_shown_online() {
    let server = TestServer::start();
    let (anna, anna_api) = server.register("anna").await;
    let mut classmates = Vec::new();
    for name in ["ben", "chloe", "david"] {
        classmates.push(server.register(name).await);
    }
    let ids: Vec<UserId> = classmates.iter().map(|(s, _)| s.account.id).collect();

    let (mut window, _) = Dashboard::new(anna_api.clone(), anna.account, config());
    let _ = window.update(dashboard::Message::UsersLoaded(anna_api.users().await));
    let mut link = live_link(&anna_api);
    run_until(&mut window, &mut link, |_, event| {
        matches!(event, live::Event::Frame(ServerFrame::Ready { .. }))
    })
    .await;
    let mut apps: Vec<_> = classmates
        .iter()
        .map(|(_, api)| classmate_app(api))
        .collect();
    run_until(&mut window, &mut link, |window, _| {
        shown_online(window, &ids)
    })
    .await;

    // The restart: every link drops; the classmates' apps wait longer
    // before they try again than Anna's.
    for app in apps.drain(..) {
        app.abort();
    }
    let server = server.restart().await;
    run_until(&mut window, &mut link, |_, event| {
        matches!(event, live::Event::Frame(ServerFrame::Ready { .. }))
    })
    .await;
    // Anna's app has asked for the list (the Ready above); the server
    // answers now, before anyone else is back…
    let early_list = anna_api.users().await;
    assert!(
        early_list
            .as_ref()
            .expect("the list")
            .iter()
            .filter(|u| ids.contains(&u.id))
            .all(|u| u.presence == Presence::Offline),
        "the list was made while the classmates were away"
    );
    // …the classmates reconnect, and their presence reaches Anna…
    let apps: Vec<_> = classmates
        .iter()
        .map(|(_, api)| classmate_app(api))
        .collect();
    let mut back = Vec::new();
    run_until(&mut window, &mut link, |_, event| {
        if let live::Event::Frame(ServerFrame::Presence {
            user,
            presence: Presence::Online,
            ..
        }) = event
        {
            back.push(*user);
        }
        ids.iter().all(|id| back.contains(id))
    })
    .await;
    // …and only then the list.
    let _ = window.update(dashboard::Message::UsersLoaded(early_list));

    assert!(
        shown_online(&window, &ids),
        "everyone who is back is shown online: {:?}",
        ids.iter()
            .map(|id| window.contact(*id).map(|c| c.presence))
            .collect::<Vec<_>>()
    );
    // The server agrees: a list asked for now has them online too.
    let now = server
        .api()
        .with_token(anna_api.token().expect("token"))
        .users()
        .await;
    let now: Vec<_> = now
        .expect("the list")
        .into_iter()
        .filter(|u| ids.contains(&u.id))
        .map(|u| (u.username, u.presence))
        .collect();
    assert!(
        now.iter()
            .all(|(_, presence)| *presence == Presence::Online),
        "the server has them online: {now:?}"
    );
    for app in apps {
        app.abort();
    }
}
