//! Finding servers on the school network for the login screen, both ways
//! the server announces itself (`messenger_shared::discovery`): browsing
//! mDNS, and broadcasting UDP probes for networks that filter multicast.
//! Results arrive as they come; nothing waits for them, and the search
//! stops when its stream is dropped. A way that does not work on this PC
//! (no multicast, no broadcast) just finds nothing: the address can always
//! be typed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use mdns_sd::{ServiceDaemon, ServiceEvent};
use messenger_shared::discovery::{
    Announcement, PROBE, PROBE_PORT, SERVICE_TYPE, TXT_NAME, TXT_VERSION,
};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

/// A server that answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// What the school called it.
    pub name: String,
    /// The address to type, e.g. `http://192.168.1.10:8000`.
    pub url: String,
    pub version: String,
}

/// How to search.
#[derive(Debug, Clone)]
pub struct Search {
    /// Browse mDNS.
    pub mdns: bool,
    /// Where to send probes; empty sends none.
    pub probe_targets: Vec<SocketAddr>,
}

impl Default for Search {
    /// Both ways, probes to everyone on the local segment.
    fn default() -> Self {
        Search {
            mdns: true,
            probe_targets: vec![SocketAddr::from((Ipv4Addr::BROADCAST, PROBE_PORT))],
        }
    }
}

/// Seconds between probes: quick at first, then now and again, so that a
/// server started while the login screen is open still turns up.
const PROBE_PAUSES: [u64; 4] = [1, 2, 4, 10];

/// Every server found, as it is found (a server may come more than once,
/// by both ways). Nothing starts until the stream is first polled (on the
/// app's runtime); it ends only when dropped.
pub fn search(search: Search) -> impl Stream<Item = Found> {
    futures_util::stream::once(async move { begin(search) }).flatten()
}

fn begin(search: Search) -> impl Stream<Item = Found> {
    let (sender, receiver) = mpsc::unbounded_channel();
    if search.mdns {
        tokio::spawn(browse(sender.clone()));
    }
    if !search.probe_targets.is_empty() {
        tokio::spawn(probe(search.probe_targets, sender));
    }
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|found| (found, receiver))
    })
}

/// Browses DNS-SD until nobody listens any more.
async fn browse(sender: mpsc::UnboundedSender<Found>) {
    let Ok(daemon) = ServiceDaemon::new() else {
        return;
    };
    let Ok(events) = daemon.browse(SERVICE_TYPE) else {
        let _ = daemon.shutdown();
        return;
    };
    loop {
        let event = tokio::select! {
            event = events.recv_async() => event,
            () = sender.closed() => break,
        };
        let Ok(event) = event else { break };
        if let ServiceEvent::ServiceResolved(service) = event {
            let name = service.get_property_val_str(TXT_NAME).unwrap_or_default();
            let version = service
                .get_property_val_str(TXT_VERSION)
                .unwrap_or_default();
            let addresses: Vec<Ipv4Addr> = service.get_addresses_v4().into_iter().collect();
            if let Some(ip) = best_address(&addresses) {
                let found = Found {
                    name: name.to_owned(),
                    url: url(IpAddr::V4(ip), service.get_port()),
                    version: version.to_owned(),
                };
                if sender.send(found).is_err() {
                    break;
                }
            }
        }
    }
    let _ = daemon.shutdown();
}

/// The address to show of a server on several: one the other PCs can
/// reach, loopback only when there is nothing else.
fn best_address(addresses: &[Ipv4Addr]) -> Option<Ipv4Addr> {
    let mut sorted = addresses.to_vec();
    sorted.sort_by_key(|ip| (ip.is_loopback() || ip.is_link_local(), *ip));
    sorted.first().copied()
}

/// Sends probes now and again, and passes on every answer.
async fn probe(targets: Vec<SocketAddr>, sender: mpsc::UnboundedSender<Found>) {
    let Ok(socket) = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).await else {
        return;
    };
    // Without it only the probes to single addresses go out.
    let _ = socket.set_broadcast(true);
    let mut pauses = PROBE_PAUSES.iter().copied().chain(std::iter::repeat(10));
    let mut buffer = [0u8; 1024];
    loop {
        for target in &targets {
            // A target this PC cannot reach (no network yet) is tried again
            // next round.
            let _ = socket.send_to(PROBE, target).await;
        }
        let next = tokio::time::sleep(Duration::from_secs(pauses.next().unwrap_or(10)));
        tokio::pin!(next);
        loop {
            tokio::select! {
                () = &mut next => break,
                () = sender.closed() => return,
                answer = socket.recv_from(&mut buffer) => {
                    let Ok((len, from)) = answer else {
                        // An unreachable target reported back (Windows does
                        // this): pause rather than spin.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    };
                    let Ok(announcement) = serde_json::from_slice::<Announcement>(&buffer[..len])
                    else {
                        continue;
                    };
                    let found = Found {
                        name: announcement.name,
                        url: url(from.ip(), announcement.port),
                        version: announcement.version,
                    };
                    if sender.send(found).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

fn url(ip: IpAddr, port: u16) -> String {
    format!("http://{}", SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_shown_is_one_other_pcs_can_reach() {
        let lan = Ipv4Addr::new(192, 168, 1, 10);
        let found = best_address(&[Ipv4Addr::LOCALHOST, Ipv4Addr::new(169, 254, 3, 4), lan]);
        assert_eq!(found, Some(lan));
        assert_eq!(
            best_address(&[Ipv4Addr::LOCALHOST]),
            Some(Ipv4Addr::LOCALHOST)
        );
        assert_eq!(best_address(&[]), None);
    }
}
