//! Finding a server on the network: a real server announces itself, the
//! app's discovery code finds it (on loopback, where tests run).

use std::time::Duration;

use futures_util::StreamExt;
use messenger_desktop::discovery::{self, Found, Search};

use crate::common::TestServer;

/// Long enough for an mDNS answer on a busy machine.
const PATIENCE: Duration = Duration::from_secs(15);

/// The first server found that answers at `url`.
async fn find(search: Search, url: &str) -> Found {
    let mut found = Box::pin(discovery::search(search));
    tokio::time::timeout(PATIENCE, async {
        loop {
            let server = found.next().await.expect("the search goes on");
            if server.url == url {
                return server;
            }
        }
    })
    .await
    .expect("found in time")
}

#[tokio::test]
async fn a_server_answers_the_probe_with_its_name_and_version() {
    let server = TestServer::start_with(|config| {
        config.name = "Кабинет 204".into();
        config.discovery.broadcast = true;
        // Any free port: tests run side by side.
        config.discovery.probe_port = 0;
    });
    let probe = server.probe_addr.expect("answers probes");
    let found = find(
        Search {
            mdns: false,
            probe_targets: vec![probe],
        },
        &server.base,
    )
    .await;
    assert_eq!(found.name, "Кабинет 204");
    assert_eq!(found.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn a_server_announced_by_mdns_is_found() {
    let server = TestServer::start_with(|config| {
        config.name = "Кабинет 305".into();
        config.discovery.mdns = true;
    });
    let found = find(
        Search {
            mdns: true,
            probe_targets: Vec::new(),
        },
        &server.base,
    )
    .await;
    assert_eq!(found.name, "Кабинет 305");
}
