//! The app's per-user settings: `config.toml` in the OS config directory
//! (`~/.config/local-messenger/` on Linux, `%APPDATA%\local-messenger\` on
//! Windows). It is written from an annotated template on the first run, and
//! the server address is saved again after each successful login, so a
//! student types it once per PC.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Overrides where the config file lives (tests, several profiles).
pub const CONFIG_ENV: &str = "MESSENGER_CLIENT_CONFIG";

/// The server asked when nothing else is configured.
pub const DEFAULT_SERVER_URL: &str = "http://127.0.0.1:8000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub server_url: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            server_url: DEFAULT_SERVER_URL.into(),
        }
    }
}

/// The config as read at start-up, and where it lives.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    /// Why the file could not be used, shown on the login screen; the app
    /// then runs on the defaults and leaves the file alone until a login.
    pub problem: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    client: ClientSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ClientSection {
    server_url: Option<String>,
}

/// The file's place: `MESSENGER_CLIENT_CONFIG`, else the OS config dir.
pub fn default_path() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_ENV) {
        Some(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => dirs::config_dir().map(|dir| dir.join("local-messenger").join("config.toml")),
    }
}

/// Reads the config, creating it from the template when it is missing.
pub fn load(path: Option<PathBuf>) -> Loaded {
    let Some(path) = path else {
        return Loaded {
            config: Config::default(),
            path: None,
            problem: Some("This system has no config directory; settings are not saved.".into()),
        };
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => match parse(&text) {
            Ok(config) => Loaded {
                config,
                path: Some(path),
                problem: None,
            },
            Err(reason) => Loaded {
                config: Config::default(),
                problem: Some(format!("{} is not valid: {reason}", path.display())),
                path: Some(path),
            },
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let config = Config::default();
            let problem = save(&path, &config)
                .err()
                .map(|e| format!("Cannot create {}: {e}", path.display()));
            Loaded {
                config,
                path: Some(path),
                problem,
            }
        }
        Err(error) => Loaded {
            config: Config::default(),
            problem: Some(format!("Cannot read {}: {error}", path.display())),
            path: Some(path),
        },
    }
}

pub fn parse(text: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| e.message().to_owned())?;
    Ok(Config {
        server_url: file
            .client
            .server_url
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_SERVER_URL.into()),
    })
}

/// Writes the annotated file with the given values.
pub fn save(path: &Path, config: &Config) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, render(config))
}

/// The template, with the values filled in. Written whole each time: the
/// app owns this file, and the comments stay for whoever opens it.
pub fn render(config: &Config) -> String {
    let url = toml::Value::String(config.server_url.clone());
    format!(
        "# Local Messenger desktop app: your settings on this PC.\n\
         # The app writes this file; you may edit it while the app is closed.\n\
         \n\
         [client]\n\
         # The server to connect to: the address printed in the server's\n\
         # start-up log, e.g. \"http://192.168.1.10:8000\". The login screen\n\
         # changes it, and it is saved here after a successful login.\n\
         server_url = {url}\n"
    )
}

/// What the user typed as a server address, made into a base URL:
/// `192.168.1.10:8000` → `http://192.168.1.10:8000`.
pub fn normalize_server_url(input: &str) -> String {
    let trimmed = input.trim().trim_end_matches('/');
    if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("http://{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_created_from_the_template_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sub").join("config.toml");
        let loaded = load(Some(path.clone()));
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.problem.is_none());
        let text = std::fs::read_to_string(&path).expect("created");
        assert!(text.contains("[client]") && text.contains("# The server to connect to"));
        assert_eq!(parse(&text), Ok(Config::default()));
    }

    #[test]
    fn a_saved_address_survives_a_restart() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        let config = Config {
            server_url: "http://10.0.0.5:8000".into(),
        };
        save(&path, &config).expect("saved");
        assert_eq!(load(Some(path)).config, config);
    }

    #[test]
    fn a_broken_file_is_reported_and_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[client]\nserver_url = 5\n").expect("written");
        let loaded = load(Some(path.clone()));
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.problem.is_some_and(|p| p.contains("not valid")));
        assert_eq!(
            std::fs::read_to_string(&path).expect("still there"),
            "[client]\nserver_url = 5\n"
        );
    }

    #[test]
    fn the_repository_sample_config_is_a_valid_client_config() {
        let sample = include_str!("../../config.toml");
        let client_part = &sample[sample.find("[client]").expect("has [client]")..];
        assert_eq!(parse(client_part), Ok(Config::default()));
    }

    #[test]
    fn a_bare_address_gets_a_scheme() {
        assert_eq!(
            normalize_server_url(" 10.0.0.5:8000/ "),
            "http://10.0.0.5:8000"
        );
        assert_eq!(normalize_server_url("https://a.school"), "https://a.school");
    }
}
