//! Letting the apps on the school network find the server, so that nobody
//! has to type its address (`messenger_shared::discovery` says how). Both
//! ways are best effort: a network that allows neither only means people
//! type the address, so a failure here is logged and the server runs on.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use mdns_sd::{ServiceDaemon, ServiceInfo};
use messenger_shared::discovery::{Announcement, PROBE, SERVICE_TYPE, TXT_NAME, TXT_VERSION};
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

use crate::config::DiscoveryConfig;

/// The announcements under way; they stop when this is dropped.
#[derive(Default)]
pub struct Discovery {
    mdns: Option<ServiceDaemon>,
    probes: Option<JoinHandle<()>>,
    /// Where probes are answered, when they are.
    pub probe_addr: Option<SocketAddr>,
}

impl Drop for Discovery {
    fn drop(&mut self) {
        if let Some(daemon) = self.mdns.take() {
            // Says goodbye on the network, so apps drop the entry at once.
            let _ = daemon.shutdown();
        }
        if let Some(task) = self.probes.take() {
            task.abort();
        }
    }
}

/// Starts announcing the server called `name`, listening at `bound`.
/// Must run inside a Tokio runtime.
pub fn start(config: &DiscoveryConfig, name: &str, bound: SocketAddr) -> Discovery {
    let announcement = Announcement {
        name: name.to_owned(),
        port: bound.port(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let mut discovery = Discovery::default();
    if config.mdns {
        match announce(&announcement, bound.ip()) {
            Ok(daemon) => discovery.mdns = Some(daemon),
            Err(err) => tracing::warn!(%err, "cannot announce the server by mDNS"),
        }
    }
    if config.broadcast {
        // A server bound to one address answers there; otherwise on every
        // interface, which is what receives broadcasts.
        let ip = if bound.ip().is_unspecified() {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            bound.ip()
        };
        match answer_probes(SocketAddr::new(ip, config.probe_port), announcement) {
            Ok((addr, task)) => {
                discovery.probe_addr = Some(addr);
                discovery.probes = Some(task);
            }
            Err(err) => tracing::warn!(
                %err,
                port = config.probe_port,
                "cannot answer discovery probes (is another server running on this PC?)"
            ),
        }
    }
    discovery
}

/// Registers the DNS-SD service on every interface (or on the one address
/// the server is bound to).
fn announce(announcement: &Announcement, ip: IpAddr) -> Result<ServiceDaemon, mdns_sd::Error> {
    let host = host_label();
    let daemon = ServiceDaemon::new()?;
    let properties = [
        (TXT_NAME, announcement.name.as_str()),
        (TXT_VERSION, announcement.version.as_str()),
    ];
    // The instance name must be unique on the network; the school's name
    // for the server need not be, so it travels in the TXT record.
    let instance = format!("{host}-{}", announcement.port);
    let host_name = format!("{host}.local.");
    let service = if ip.is_unspecified() {
        ServiceInfo::new(
            SERVICE_TYPE,
            &instance,
            &host_name,
            "",
            announcement.port,
            &properties[..],
        )?
        .enable_addr_auto()
    } else {
        ServiceInfo::new(
            SERVICE_TYPE,
            &instance,
            &host_name,
            ip,
            announcement.port,
            &properties[..],
        )?
    };
    daemon.register(service)?;
    Ok(daemon)
}

/// This PC's name as a DNS label (letters, digits and hyphens).
fn host_label() -> String {
    let name = gethostname::gethostname().to_string_lossy().to_lowercase();
    let label: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let label = label.trim_matches('-');
    if label.is_empty() {
        "local-messenger".to_owned()
    } else {
        label.chars().take(50).collect()
    }
}

/// Answers every probe that arrives at `addr` with `announcement`.
fn answer_probes(
    addr: SocketAddr,
    announcement: Announcement,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let socket = std::net::UdpSocket::bind(addr)?;
    socket.set_nonblocking(true)?;
    let socket = UdpSocket::from_std(socket)?;
    let bound = socket.local_addr()?;
    let answer = serde_json::to_vec(&announcement).map_err(std::io::Error::other)?;
    let task = tokio::spawn(async move {
        let mut buffer = [0u8; 64];
        loop {
            match socket.recv_from(&mut buffer).await {
                Ok((len, from)) if &buffer[..len] == PROBE => {
                    if let Err(err) = socket.send_to(&answer, from).await {
                        tracing::debug!(%err, %from, "cannot answer a discovery probe");
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    // Some systems report an earlier answer that could not
                    // be delivered here; a pause keeps that from spinning.
                    tracing::debug!(%err, "discovery probe socket");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
    });
    Ok((bound, task))
}
